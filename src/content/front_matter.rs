//! Turns a parsed front-matter mapping into checked report metadata, reporting every problem.

use super::dates::{accepted_forms, parse_date};
use super::tags::{split_keywords, unique_keywords};
use crate::diagnostics::{Diagnostic, Position};
use crate::msg;
use crate::yaml::fields::{Field, Reader, Table};
use crate::yaml::{Key, Node, Value};
use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use std::path::Path;

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

/// What front-matter is read into: the metadata, and the time zone dates without an offset are in.
struct Reading {
    meta: FrontMatter,
    zone: TimeZone,
}

/// Every key a report's front-matter may carry, and how each is read.
static FIELDS: Table<Reading> = Table {
    fields: &[
        Field {
            key: "title",
            read: |r, k, n, t| {
                let Some(title) = r.text(k, n) else { return };
                if title.trim().is_empty() {
                    r.error(
                        n.position,
                        msg!("`title` is empty", "`title` 是空的"),
                        msg!(
                            "write the report's title, e.g. `title: 区发改委专项工作评议调查报告`",
                            "写上报告标题，例如 `title: 区发改委专项工作评议调查报告`"
                        ),
                    );
                } else {
                    t.meta.title = title.trim().to_string();
                }
            },
        },
        Field {
            key: "date",
            read: |r, k, n, t| t.meta.date = date(r, k, n, &t.zone),
        },
        Field {
            key: "department",
            read: |r, k, n, t| t.meta.department = r.optional_text(k, n),
        },
        Field {
            key: "publisher",
            read: |r, k, n, t| t.meta.publisher = r.optional_text(k, n),
        },
        Field {
            key: "source",
            read: |r, k, n, t| t.meta.source = r.optional_text(k, n),
        },
        Field {
            key: "tags",
            read: |r, k, n, t| t.meta.tags = list(r, k, n, "tag"),
        },
        Field {
            key: "summary",
            read: |r, k, n, t| t.meta.summary = r.optional_text(k, n),
        },
        Field {
            key: "slug",
            read: |r, k, n, t| t.meta.slug = r.optional_text(k, n).map(|s| (s, n.position)),
        },
        Field {
            key: "updated",
            read: |r, k, n, t| t.meta.updated = date(r, k, n, &t.zone),
        },
        Field {
            key: "draft",
            read: |r, k, n, t| t.meta.draft = r.flag(k, n).unwrap_or(false),
        },
        Field {
            key: "pinned",
            read: |r, k, n, t| t.meta.pinned = r.flag(k, n).unwrap_or(false),
        },
        Field {
            key: "page",
            read: |r, k, n, t| t.meta.page |= r.flag(k, n).unwrap_or(false),
        },
        Field {
            key: "nav",
            read: |r, _, n, t| match n.value {
                Value::Int(place) => t.meta.nav = Some(place),
                _ => r.error(
                    n.position,
                    msg!("`nav` must be a whole number", "`nav` 必须是整数"),
                    msg!(
                        "write `nav: 1` to put the page first in the navigation, `nav: 2` next…",
                        "写 `nav: 1` 把页面排在导航第一位，`nav: 2` 排第二……"
                    ),
                ),
            },
        },
        Field {
            key: "aliases",
            read: |r, k, n, t| {
                t.meta.aliases = list(r, k, n, "alias");
                t.meta.aliases_position = k.position;
            },
        },
        Field {
            key: "extra",
            read: |r, _, n, t| match &n.value {
                Value::Map(_) => {
                    t.meta.extra = crate::yaml::to_json(n, crate::yaml::Floats::AsNumbers)
                }
                Value::Null => {}
                other => r.error(
                    n.position,
                    msg!(
                        "`extra` must be a map, found {}",
                        "`extra` 必须是键值映射，却是{}",
                        other.kind()
                    ),
                    msg!(
                        "indent the values under `extra:`, one `name: value` per line",
                        "在 `extra:` 下缩进，每行写一个 `名称: 值`"
                    ),
                ),
            },
        },
        Field {
            key: "index_no",
            read: |r, k, n, t| t.meta.index_no = r.optional_text(k, n),
        },
        Field {
            key: "doc_no",
            read: |r, k, n, t| t.meta.doc_no = r.optional_text(k, n),
        },
        Field {
            key: "written",
            read: |r, k, n, t| t.meta.written = date(r, k, n, &t.zone),
        },
        Field {
            key: "disclosure",
            read: |r, k, n, t| t.meta.disclosure = r.optional_text(k, n),
        },
        Field {
            key: "topic",
            read: |r, k, n, t| t.meta.topic = r.optional_text(k, n),
        },
        // Provenance written by `gongshi import`: checked to be text, not shown.
        Field {
            key: "imported_from",
            read: |r, k, n, _| {
                r.optional_text(k, n);
            },
        },
    ],
    file: ("front-matter", "头部信息"),
    prefix: "",
    fallback_hint: |_| {
        msg!(
            "put custom values under `extra:` to hand them to templates",
            "自定义的值请写在 `extra:` 下，模板可以读到"
        )
    },
};

/// Every key a report's front-matter may carry.
pub fn known_keys() -> Vec<&'static str> {
    FIELDS.keys()
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
    let mut reading = Reading {
        meta: FrontMatter {
            extra: serde_json::Value::Object(Default::default()),
            page: standalone,
            ..FrontMatter::default()
        },
        zone: zone.clone(),
    };
    let mut reader = Reader::new(path, problems);
    let seen = FIELDS.read(&entries, &mut reader, &mut reading);
    let mut meta = reading.meta;
    if !seen.contains("title") {
        reader.error(
            Position::new(1, 1),
            msg!(
                "the front-matter has no `title`",
                "头部信息缺少 `title`（标题）"
            ),
            msg!(
                "add a line such as `title: 区发改委专项工作评议调查报告` between the `---` lines",
                "在两行 `---` 之间加一行，例如 `title: 区发改委专项工作评议调查报告`"
            ),
        );
    }
    if !seen.contains("date") && !meta.page {
        match date_from_name {
            Some(date) => meta.date = Some(date),
            None => reader.error(
                Position::new(1, 1),
                msg!("the front-matter has no `date`", "头部信息缺少 `date`（日期）"),
                msg!(
                    "add a line such as `date: 2020-08-06` between the `---` lines, or start the file name with the date (`2020-08-06-name.md`)",
                    "在两行 `---` 之间加一行，例如 `date: 2020-08-06`，或让文件名以日期开头（`2020-08-06-name.md`）"
                ),
            ),
        }
    }
    meta
}

/// A date in one of the accepted forms; an empty `date:` is an error, other empty dates are none.
fn date(reader: &mut Reader<'_>, key: &Key, node: &Node, zone: &TimeZone) -> Option<Zoned> {
    if node.value == Value::Null && key.name != "date" {
        return None;
    }
    let name = &key.name;
    let Value::Str(text) = &node.value else {
        let found = node.value.kind();
        reader.error(
            node.position,
            msg!(
                "`{name}` must be a date, found {found}",
                "`{name}` 必须是日期，却是{found}"
            ),
            accepted_forms(),
        );
        return None;
    };
    match parse_date(text, zone) {
        Ok(date) => Some(date),
        Err(message) => {
            reader.error(
                node.position,
                format!("`{name}`: {message}"),
                accepted_forms(),
            );
            None
        }
    }
}

/// Keywords or aliases: a list, or one string split on commas; at most [`MAX_LIST_ITEMS`].
fn list(reader: &mut Reader<'_>, key: &Key, node: &Node, item: &str) -> Vec<String> {
    let name = &key.name;
    let mut values = match &node.value {
        Value::Null => Vec::new(),
        Value::Str(text) => split_keywords(text),
        Value::Seq(items) => {
            let mut texts = Vec::with_capacity(items.len());
            for entry in items {
                match entry.as_text() {
                    Some(text) if item == "tag" && text.contains(FULL_WIDTH_SEPARATORS) => {
                        let parts: Vec<&str> = text.split(FULL_WIDTH_SEPARATORS).collect();
                        reader.warning(
                            entry.position,
                            msg!(
                                "`{text}` is one list item with full-width separators; read as {} tags",
                                "`{text}` 是用中文标点隔开的一项，已按 {} 个关键词读取",
                                parts.len()
                            ),
                            msg!(
                                "a YAML list needs ASCII commas: `{name}: [{}]`",
                                "YAML 列表要用英文逗号：`{name}: [{}]`",
                                parts.join(", ")
                            ),
                        );
                        texts.extend(parts);
                    }
                    Some(text) => texts.push(text),
                    None => {
                        let found = entry.value.kind();
                        reader.error(
                            entry.position,
                            msg!(
                                "a {} must be text, found {found}",
                                "{} 必须是文字，却是{found}",
                                item_word(item)
                            ),
                            msg!(
                                "write {name} as a list of words: `{name}: [发改委, 评议]`",
                                "把 {name} 写成词语列表：`{name}: [发改委, 评议]`"
                            ),
                        );
                    }
                }
            }
            unique_keywords(texts)
        }
        other => {
            let found = other.kind();
            reader.error(
                node.position,
                msg!(
                    "`{name}` must be a list or a string, found {found}",
                    "`{name}` 必须是列表或文字，却是{found}"
                ),
                msg!(
                    "write `{name}: [发改委, 评议]` or `{name}: 发改委, 评议`",
                    "写成 `{name}: [发改委, 评议]` 或 `{name}: 发改委, 评议`"
                ),
            );
            Vec::new()
        }
    };
    if values.len() > MAX_LIST_ITEMS {
        reader.error(
            key.position,
            msg!(
                "`{name}` lists {} entries; a report may have at most {MAX_LIST_ITEMS}",
                "`{name}` 列了 {} 项；一篇报告最多 {MAX_LIST_ITEMS} 项",
                values.len()
            ),
            msg!(
                "keep the {}s readers need; every one makes pages and feed entries, so a list this long is usually a pasted text",
                "只保留读者需要的{}：每一项都会生成页面和订阅条目，这么长的列表多半是误粘贴的正文",
                item_word(item)
            ),
        );
        values.truncate(MAX_LIST_ITEMS);
    }
    values
}

/// The name of a list's items in messages (`tag`, or 关键词 in Chinese).
fn item_word(item: &str) -> &str {
    match (item, crate::lang::chinese()) {
        ("alias", true) => "别名",
        ("tag", true) => "关键词",
        _ => item,
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
