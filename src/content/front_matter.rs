//! Turns a parsed front-matter mapping into checked report metadata, reporting every problem.

use super::dates::{ACCEPTED_FORMS, parse_date};
use super::tags::{split_keywords, unique_keywords};
use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::yaml::{Key, Node, Value};
use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use std::path::Path;

/// Every key a report's front-matter may carry.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "department",
    "publisher",
    "source",
    "tags",
    "summary",
    "slug",
    "updated",
    "draft",
    "pinned",
    "page",
    "nav",
    "aliases",
    "extra",
    "index_no",
    "doc_no",
    "written",
    "disclosure",
    "topic",
    "imported_from",
];

/// A report's metadata, checked.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    /// Plain-text title.
    pub title: String,
    /// Publication date in the site's time zone.
    pub date: Option<Zoned>,
    /// Last update, if given.
    pub updated: Option<Zoned>,
    /// The appraised body (评议对象).
    pub department: Option<String>,
    /// The body that publishes the report (发布机构), when not the site's `publisher`.
    pub publisher: Option<String>,
    /// Kind or origin of the text (讲话发言, 调查报告…).
    pub source: Option<String>,
    /// Hot keywords, in the order written, without repeats.
    pub tags: Vec<String>,
    /// An explicit summary.
    pub summary: Option<String>,
    /// An explicit URL slug.
    pub slug: Option<(String, Position)>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Pinned reports lead the home page.
    pub pinned: bool,
    /// A standalone page (信息公开指南, 联系我们): `page: true`, or a file under `content/pages/`.
    /// No date needed; never in lists, feeds, open data, search or related lists.
    pub page: bool,
    /// A standalone page's place in the navigation (`nav: 1` comes first); absent: not there.
    pub nav: Option<i64>,
    /// Old URLs (paths under the site root) that should redirect here.
    pub aliases: Vec<String>,
    /// Position of the `aliases` key, for messages about them.
    pub aliases_position: Position,
    /// A free map handed to templates.
    pub extra: serde_json::Value,
    /// 索引号.
    pub index_no: Option<String>,
    /// 发文字号.
    pub doc_no: Option<String>,
    /// 成文日期.
    pub written: Option<Zoned>,
    /// 公开属性.
    pub disclosure: Option<String>,
    /// 主题分类.
    pub topic: Option<String>,
}

/// Reads `entries` into [`FrontMatter`]; problems go to `problems` with positions in `path`.
/// `date_from_name` (Jekyll's `2020-08-06-name.md`) is the date when there is no `date:` line;
/// `standalone` (a file under `content/pages/`) makes it a page, which needs no date.
pub fn read_front_matter(
    entries: Vec<(Key, Node)>,
    zone: &TimeZone,
    path: &Path,
    date_from_name: Option<Zoned>,
    standalone: bool,
    problems: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut meta = FrontMatter {
        extra: serde_json::Value::Object(Default::default()),
        page: standalone,
        ..FrontMatter::default()
    };
    let mut reader = FieldReader { path, problems };
    let mut saw_title = false;
    let mut saw_date = false;
    for (key, node) in entries {
        match key.name.as_str() {
            "title" => {
                saw_title = true;
                if let Some(title) = reader.text(&key, &node) {
                    if title.trim().is_empty() {
                        reader.error(node.position, "`title` is empty").with_hint(
                            "write the report's title, e.g. `title: 区发改委专项工作评议调查报告`",
                        );
                    } else {
                        meta.title = title.trim().to_string();
                    }
                }
            }
            "date" => {
                saw_date = true;
                meta.date = reader.date(&key, &node, zone);
            }
            "updated" => meta.updated = reader.date(&key, &node, zone),
            "written" => meta.written = reader.date(&key, &node, zone),
            "department" => meta.department = reader.optional_text(&key, &node),
            "source" => meta.source = reader.optional_text(&key, &node),
            "publisher" => meta.publisher = reader.optional_text(&key, &node),
            "summary" => meta.summary = reader.optional_text(&key, &node),
            "index_no" => meta.index_no = reader.optional_text(&key, &node),
            "doc_no" => meta.doc_no = reader.optional_text(&key, &node),
            "disclosure" => meta.disclosure = reader.optional_text(&key, &node),
            "topic" => meta.topic = reader.optional_text(&key, &node),
            // Provenance written by `gongshi import`: checked to be text, not shown.
            "imported_from" => {
                reader.optional_text(&key, &node);
            }
            "slug" => {
                meta.slug = reader
                    .optional_text(&key, &node)
                    .map(|s| (s, node.position));
            }
            "tags" => meta.tags = reader.list(&key, &node, "tag"),
            "aliases" => {
                meta.aliases = reader.list(&key, &node, "alias");
                meta.aliases_position = key.position;
            }
            "draft" => meta.draft = reader.flag(&key, &node),
            "pinned" => meta.pinned = reader.flag(&key, &node),
            "page" => meta.page |= reader.flag(&key, &node),
            "nav" => match node.value {
                Value::Int(n) => meta.nav = Some(n),
                _ => {
                    reader
                        .error(node.position, "`nav` must be a whole number")
                        .with_hint("write `nav: 1` to put the page first in the navigation, `nav: 2` next…");
                }
            },
            "extra" => match &node.value {
                Value::Map(_) => {
                    meta.extra = crate::yaml::to_json(&node, crate::yaml::Floats::AsNumbers)
                }
                Value::Null => {}
                other => {
                    reader
                        .error(
                            node.position,
                            format!("`extra` must be a map, found {}", other.kind()),
                        )
                        .with_hint("indent the values under `extra:`, one `name: value` per line");
                }
            },
            other if KNOWN_KEYS.contains(&other.to_lowercase().as_str()) => {
                let lower = other.to_lowercase();
                saw_title |= lower == "title";
                saw_date |= lower == "date";
                reader
                    .error(
                        key.position,
                        format!(
                            "`{other}` is written with capitals: front-matter keys are lower case"
                        ),
                    )
                    .with_hint(format!("write `{lower}:`"));
            }
            unknown => {
                if let Some((cleaned, name)) = super::invisible::hidden_in_key(unknown) {
                    let known = KNOWN_KEYS.contains(&cleaned);
                    saw_title |= cleaned == "title";
                    saw_date |= cleaned == "date";
                    let message = format!(
                        "the key `{cleaned}` has an invisible {name} next to it, so it is not read as `{cleaned}`"
                    );
                    let hint = format!(
                        "delete the {name} around `{cleaned}` (an input method typed it; it looks like a space or nothing)"
                    );
                    let diagnostic = if known {
                        Diagnostic::error(path, key.position, message)
                    } else {
                        Diagnostic::warning(path, key.position, message)
                    };
                    reader.problems.push(diagnostic.with_hint(hint));
                    continue;
                }
                let message = format!("unknown front-matter key `{unknown}`; it is ignored");
                let hint = match did_you_mean(unknown, KNOWN_KEYS) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => {
                        "put custom values under `extra:` to hand them to templates".to_string()
                    }
                };
                reader
                    .problems
                    .push(Diagnostic::warning(path, key.position, message).with_hint(hint));
            }
        }
    }
    if !saw_title {
        reader
            .error(Position::new(1, 1), "the front-matter has no `title`")
            .with_hint(
                "add a line such as `title: 区发改委专项工作评议调查报告` between the `---` lines",
            );
    }
    if !saw_date && !meta.page {
        match date_from_name {
            Some(date) => meta.date = Some(date),
            None => {
                reader
                    .error(Position::new(1, 1), "the front-matter has no `date`")
                    .with_hint("add a line such as `date: 2020-08-06` between the `---` lines, or start the file name with the date (`2020-08-06-name.md`)");
            }
        }
    }
    meta
}

/// Reads typed values out of nodes, recording a diagnostic for each misfit.
struct FieldReader<'a> {
    path: &'a Path,
    problems: &'a mut Vec<Diagnostic>,
}

/// Lets a just-recorded diagnostic take a hint in the same expression.
struct Recorded<'a>(&'a mut Diagnostic);

impl Recorded<'_> {
    fn with_hint(self, hint: impl Into<String>) {
        self.0.hint = Some(hint.into());
    }
}

impl FieldReader<'_> {
    fn error(&mut self, position: Position, message: impl Into<String>) -> Recorded<'_> {
        self.problems
            .push(Diagnostic::error(self.path, position, message));
        Recorded(self.problems.last_mut().expect("just pushed"))
    }

    fn text(&mut self, key: &Key, node: &Node) -> Option<String> {
        match node.as_text() {
            Some(text) => Some(text.to_string()),
            None => {
                let found = node.value.kind();
                self.error(
                    node.position,
                    format!("`{}` must be text, found {found}", key.name),
                )
                .with_hint(format!("write it on one line: `{}: …`", key.name));
                None
            }
        }
    }

    fn optional_text(&mut self, key: &Key, node: &Node) -> Option<String> {
        if node.value == Value::Null {
            return None;
        }
        self.text(key, node)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    fn date(&mut self, key: &Key, node: &Node, zone: &TimeZone) -> Option<Zoned> {
        if node.value == Value::Null && key.name != "date" {
            return None;
        }
        let text = match &node.value {
            Value::Str(s) => s.as_str(),
            _ => {
                let found = node.value.kind();
                self.error(
                    node.position,
                    format!("`{}` must be a date, found {found}", key.name),
                )
                .with_hint(format!("write one of {ACCEPTED_FORMS}"));
                return None;
            }
        };
        match parse_date(text, zone) {
            Ok(date) => Some(date),
            Err(message) => {
                self.error(node.position, format!("`{}`: {message}", key.name))
                    .with_hint(format!("write one of {ACCEPTED_FORMS}"));
                None
            }
        }
    }

    fn flag(&mut self, key: &Key, node: &Node) -> bool {
        match node.value {
            Value::Bool(b) => b,
            Value::Null => false,
            _ => {
                self.error(
                    node.position,
                    format!("`{}` must be true or false", key.name),
                )
                .with_hint(format!("write `{}: true` or remove the line", key.name));
                false
            }
        }
    }

    fn list(&mut self, key: &Key, node: &Node, item: &str) -> Vec<String> {
        let mut values = match &node.value {
            Value::Null => Vec::new(),
            Value::Str(text) => split_keywords(text),
            Value::Seq(items) => {
                let mut texts = Vec::with_capacity(items.len());
                for entry in items {
                    match entry.as_text() {
                        Some(text) if item == "tag" && text.contains(FULL_WIDTH_SEPARATORS) => {
                            let parts: Vec<&str> = text.split(FULL_WIDTH_SEPARATORS).collect();
                            self.problems.push(
                                Diagnostic::warning(
                                    self.path,
                                    entry.position,
                                    format!(
                                        "`{text}` is one list item with full-width separators; read as {} tags",
                                        parts.len()
                                    ),
                                )
                                .with_hint(format!(
                                    "a YAML list needs ASCII commas: `{}: [{}]`",
                                    key.name,
                                    parts.join(", ")
                                )),
                            );
                            texts.extend(parts);
                        }
                        Some(text) => texts.push(text),
                        None => {
                            let found = entry.value.kind();
                            self.error(
                                entry.position,
                                format!("a {item} must be text, found {found}"),
                            )
                            .with_hint(format!(
                                "write {} as a list of words: `{}: [发改委, 评议]`",
                                key.name, key.name
                            ));
                        }
                    }
                }
                unique_keywords(texts)
            }
            other => {
                let found = other.kind();
                self.error(
                    node.position,
                    format!("`{}` must be a list or a string, found {found}", key.name),
                )
                .with_hint(format!(
                    "write `{}: [发改委, 评议]` or `{}: 发改委, 评议`",
                    key.name, key.name
                ));
                Vec::new()
            }
        };
        if values.len() > MAX_LIST_ITEMS {
            self.error(
                key.position,
                format!(
                    "`{}` lists {} entries; a report may have at most {MAX_LIST_ITEMS}",
                    key.name,
                    values.len()
                ),
            )
            .with_hint(format!(
                "keep the {item}s readers need; every one makes pages and feed entries, so a list this long is usually a pasted text"
            ));
            values.truncate(MAX_LIST_ITEMS);
        }
        values
    }
}

/// Separators a Chinese input method types inside a list item (`[教育，评议]`): the item is
/// split on them, as a keyword string is.
const FULL_WIDTH_SEPARATORS: [char; 3] = ['，', '、', '；'];

/// The most keywords or aliases one report may list: each makes output (a keyword page and feed
/// entries, a redirect file), so one file must not be able to make the build unbounded.
pub const MAX_LIST_ITEMS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_mapping;

    fn read(yaml: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let zone = TimeZone::get("Asia/Shanghai").unwrap();
        let mut problems = Vec::new();
        let entries = parse_mapping(yaml, 2).unwrap();
        let meta = read_front_matter(
            entries,
            &zone,
            Path::new("a.md"),
            None,
            false,
            &mut problems,
        );
        (meta, problems)
    }

    #[test]
    fn full_front_matter_is_read() {
        let (meta, problems) = read(
            "title: 报告\ndate: 2020-08-06\ndepartment: 区发改委\nsource: 讲话发言\ntags: [发改委, 评议, 发改委]\npinned: true\nextra:\n  cover: a.png\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(meta.title, "报告");
        assert_eq!(meta.tags, ["发改委", "评议"]);
        assert_eq!(meta.department.as_deref(), Some("区发改委"));
        assert!(meta.pinned);
        assert_eq!(meta.extra["cover"], "a.png");
    }

    #[test]
    fn tags_written_as_one_string_are_split() {
        let (meta, _) = read("title: a\ndate: 2020-01-01\ntags: 教育，评议、 满意度\n");
        assert_eq!(meta.tags, ["教育", "评议", "满意度"]);
    }

    #[test]
    fn problems_table() {
        let cases = [
            ("date: 2020-01-01\n", (1, 1), "no `title`"),
            ("title: a\n", (1, 1), "no `date`"),
            (
                "title: a\ndate:\n",
                (3, 5),
                "`date` must be a date, found nothing",
            ),
            ("title: a\ndate: 2018-02-31\n", (3, 7), "not a real date"),
            (
                "title: a\ndate: 2020-01-01\ntags: {a: 1}\n",
                (4, 7),
                "must be a list or a string, found a map",
            ),
            (
                "title: a\ndate: 2020-01-01\ntags: [a, [b]]\n",
                (4, 11),
                "a tag must be text, found a list",
            ),
            (
                "title: [a]\ndate: 2020-01-01\n",
                (2, 8),
                "`title` must be text",
            ),
            (
                "title: a\ndate: 2020-01-01\ndraft: maybe\n",
                (4, 8),
                "must be true or false",
            ),
            (
                "title: a\ndate: 2020-01-01\ntag: [a]\n",
                (4, 1),
                "unknown front-matter key `tag`",
            ),
        ];
        for (yaml, (line, column), expected) in cases {
            let (_, problems) = read(yaml);
            let found = problems
                .iter()
                .find(|p| p.message.contains(expected))
                .unwrap_or_else(|| panic!("{yaml:?}: {problems:?}"));
            assert_eq!(found.position, Position::new(line, column), "{yaml:?}");
        }
    }

    #[test]
    fn unknown_key_suggests_the_closest_known_one() {
        let (_, problems) = read("title: a\ndate: 2020-01-01\ntag: [a]\ndepartments: x\n");
        let hints: Vec<_> = problems.iter().map(|p| p.hint.clone().unwrap()).collect();
        assert_eq!(
            hints,
            ["did you mean `tags`?", "did you mean `department`?"]
        );
        assert!(problems.iter().all(|p| !p.is_error()));
    }

    #[test]
    fn known_keys_in_capitals_are_errors_not_dropped() {
        let (_, problems) = read("Title: a\nDATE: 2020-01-01\nDepartment: x\n");
        let shown: Vec<_> = problems
            .iter()
            .map(|p| (p.position.line, p.message.clone(), p.hint.clone().unwrap()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    2,
                    "`Title` is written with capitals: front-matter keys are lower case"
                        .to_string(),
                    "write `title:`".to_string()
                ),
                (
                    3,
                    "`DATE` is written with capitals: front-matter keys are lower case".to_string(),
                    "write `date:`".to_string()
                ),
                (
                    4,
                    "`Department` is written with capitals: front-matter keys are lower case"
                        .to_string(),
                    "write `department:`".to_string()
                ),
            ]
        );
    }

    #[test]
    fn list_items_with_full_width_separators_are_split_with_a_warning() {
        let (meta, problems) =
            read("title: a\ndate: 2020-01-01\ntags: [教育，评议、满意度, 民生；整改]\n");
        assert_eq!(meta.tags, ["教育", "评议", "满意度", "民生", "整改"]);
        let shown: Vec<_> = problems
            .iter()
            .map(|p| {
                (
                    p.position,
                    p.message.as_str(),
                    p.hint.as_deref().unwrap(),
                    p.is_error(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    Position::new(4, 8),
                    "`教育，评议、满意度` is one list item with full-width separators; read as 3 tags",
                    "a YAML list needs ASCII commas: `tags: [教育, 评议, 满意度]`",
                    false
                ),
                (
                    Position::new(4, 19),
                    "`民生；整改` is one list item with full-width separators; read as 2 tags",
                    "a YAML list needs ASCII commas: `tags: [民生, 整改]`",
                    false
                ),
            ]
        );
    }

    #[test]
    fn a_full_width_space_before_a_key_is_named() {
        let (meta, problems) =
            read("title: a\ndate: 2020-01-01\n\u{3000}source: 讲话发言\n\u{3000}note: x\n");
        assert_eq!(meta.source, None);
        let shown: Vec<_> = problems
            .iter()
            .map(|p| (p.position.line, p.message.as_str(), p.is_error()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    4,
                    "the key `source` has an invisible full-width space (U+3000) next to it, so it is not read as `source`",
                    true
                ),
                (
                    5,
                    "the key `note` has an invisible full-width space (U+3000) next to it, so it is not read as `note`",
                    false
                ),
            ]
        );
    }

    #[test]
    fn numeric_title_keeps_its_written_text() {
        let (meta, problems) = read("title: 2021\ndate: 2021-01-01\n");
        assert!(problems.is_empty());
        assert_eq!(meta.title, "2021");
    }
}
