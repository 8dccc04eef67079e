//! Hexo, Hugo and Jekyll posts: YAML front-matter mapped onto a report's keys, the rest under
//! `extra`; the Markdown body kept as written.

use super::{CategoryField, Draft, check_date};
use crate::content::names::{ReportName, report_name};
use crate::content::tags::{push_unique, split_keywords};
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml::{
    Floats, Key, Node, Value, keep_last_values, parse_mapping, repeated_keys, to_json,
};
use std::path::Path;

/// Which blog engine wrote the post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Hexo: front-matter may lack its opening `---`.
    Hexo,
    /// Hugo: YAML front-matter (TOML `+++` is refused with a hint).
    Hugo,
    /// Jekyll: the date may come from the file name `2020-08-06-title.md`.
    Jekyll,
}

impl Engine {
    /// The engine's name, for messages.
    fn name(self) -> &'static str {
        match self {
            Engine::Hexo => "Hexo",
            Engine::Hugo => "Hugo",
            Engine::Jekyll => "Jekyll",
        }
    }
}

/// Reads one post; returns it with the file name it should get (its `slug`, else the input's
/// file name without a Jekyll date, or a page bundle's folder name).
pub fn parse(
    text: &str,
    path: &Path,
    engine: Engine,
    categories: CategoryField,
    department: Option<&str>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Draft, String), String> {
    let ReportName {
        name,
        date: name_date,
    } = report_name(path);
    let (yaml, first_line, body, body_line) = split(text, engine)?;
    let entries = parse_mapping(yaml, first_line).map_err(|e| {
        crate::msg!(
            "line {}: {} (fix the front-matter, then import again)",
            "第 {} 行：{}（改好头部信息后再导入）",
            e.position.line,
            e.message
        )
    })?;
    for repeat in repeated_keys(&entries) {
        warnings.push(
            Diagnostic::warning(
                path,
                repeat.later,
                crate::msg!(
                    "`{}` is written twice, on lines {} and {}; the last value is kept, as {} does: `{}`",
                    "`{}` 写了两次，在第 {} 行和第 {} 行；与 {} 一样保留最后一个值：`{}`",
                    repeat.name,
                    repeat.earlier.line,
                    repeat.later.line,
                    engine.name(),
                    repeat.last_value
                ),
            )
            .with_hint(crate::msg!(
                "check the imported report; gongshi build refuses a repeated key",
                "请核对导入的报告；gongshi build 不接受重复的键"
            ))
            .with_source(text),
        );
    }
    let entries = keep_last_values(entries);
    let mut draft = Draft {
        department: department.map(str::to_string),
        ..Draft::default()
    };
    let mut date = None;
    let mut slug = None;
    let mut category_names = Vec::new();
    for (key, node) in entries {
        let text = node.as_text().map(|t| t.trim().to_string());
        match key.name.as_str() {
            "title" => draft.title = text.unwrap_or_default(),
            "date" => date = text,
            "updated" | "lastmod" | "last_modified_at" => draft.updated = text,
            "categories" | "category" => leaves(&node, &mut category_names),
            "tags" | "keywords" => {
                let mut tags = Vec::new();
                leaves(&node, &mut tags);
                for tag in tags.iter().flat_map(|t| split_keywords(t)) {
                    push_unique(&mut draft.tags, &tag);
                }
            }
            "description" | "summary" | "excerpt" => draft.summary = text,
            "department" => draft.department = text,
            "source" => draft.source = text,
            "slug" => slug = text,
            "draft" => draft.draft = node.value == Value::Bool(true),
            "published" => draft.draft = node.value == Value::Bool(false),
            "aliases" | "url" | "permalink" => alias_or_extra(&key, &node, &mut draft),
            _ => draft
                .extra
                .push((key.name.clone(), to_json(&node, Floats::AsWritten))),
        }
    }
    let mut categories_left = category_names.into_iter();
    if let Some(first) = categories_left.next() {
        match categories {
            CategoryField::Source if draft.source.is_none() => draft.source = Some(first),
            CategoryField::Department if draft.department.is_none() => {
                draft.department = Some(first)
            }
            _ => push_unique(&mut draft.tags, &first),
        }
    }
    for more in categories_left {
        push_unique(&mut draft.tags, &more);
    }
    let date = date
        .filter(|d| !d.is_empty())
        .or(name_date.map(str::to_string))
        .ok_or_else(|| {
            crate::msg!(
                "the front-matter has no `date` and the file name does not start with one",
                "头部信息没有 `date`，文件名也不以日期开头"
            )
        })?;
    draft.date = check_date(&date).map_err(|e| format!("`date`: {e}"))?;
    let mut body = body.to_string();
    if draft.title.is_empty() {
        draft.title = take_heading(&mut body)
            .ok_or_else(|| crate::msg!("the post has no `title`", "文章没有 `title`（标题）"))?;
    }
    for (number, line) in body.lines().enumerate() {
        if let Some(column) = line.find("{%").or_else(|| line.find("{{")) {
            let column = line[..column].chars().count() + 1;
            warnings.push(
                Diagnostic::warning(
                    path,
                    Position::new(body_line + number, column),
                    crate::msg!(
                        "a Liquid tag or Hugo shortcode is kept as text; gongshi does not run it",
                        "Liquid 标签或 Hugo 短代码按文字保留；gongshi 不执行它"
                    ),
                )
                .with_hint(crate::msg!(
                    "replace it with plain Markdown (a link, an image or a table)",
                    "换成普通的 Markdown（链接、图片或表格）"
                ))
                .with_source(text),
            );
        }
    }
    draft.body = body;
    let name = slug.filter(|s| !s.is_empty()).unwrap_or(name.to_string());
    Ok((draft, name))
}

/// (front-matter, its first file line, body, the body's first file line).
fn split(text: &str, engine: Engine) -> Result<(&str, usize, &str, usize), String> {
    if text.starts_with("+++") {
        return Err(crate::msg!(
            "TOML front-matter (`+++`) is not read; run `hugo convert toYAML` first",
            "不读取 TOML 格式的头部信息（`+++`）；请先运行 `hugo convert toYAML`"
        ));
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_fence = |line: &str| line.trim_end() == "---";
    // Blank lines above the opening fence are skipped, as Hugo does.
    let blank = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let (start, first_line) = if lines.get(blank).is_some_and(|l| is_fence(l)) {
        (blank + 1, blank + 2)
    } else if engine == Engine::Hexo {
        (0, 1)
    } else {
        return Err(crate::msg!(
            "no front-matter: the file does not start with `---`",
            "没有头部信息：文件不以 `---` 开头"
        ));
    };
    let end = lines
        .iter()
        .skip(start)
        .position(|l| is_fence(l))
        .map(|i| i + start)
        .ok_or_else(|| {
            crate::msg!(
                "the front-matter has no closing `---`",
                "头部信息没有结束的 `---`"
            )
        })?;
    let offset = |index: usize| lines[..index].iter().map(|l| l.len()).sum::<usize>();
    let yaml = &text[offset(start)..offset(end)];
    let body = &text[offset(end + 1)..];
    Ok((yaml, first_line, body, end + 2))
}

/// Every text leaf of a scalar or (nested) list, e.g. Hexo's `categories: [[政务, 评议]]`.
fn leaves(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|item| leaves(item, out)),
        _ => {
            if let Some(text) = node.as_text() {
                push_unique(out, text);
            }
        }
    }
}

/// Site-relative old URLs become `aliases` (redirects); anything else is kept under `extra`.
fn alias_or_extra(key: &Key, node: &Node, draft: &mut Draft) {
    let mut urls = Vec::new();
    leaves(node, &mut urls);
    let usable = |url: &String| {
        url.starts_with('/') && !url.contains([':', '?', '#']) && !url.contains("..")
    };
    if !urls.is_empty() && urls.iter().all(usable) {
        for url in urls {
            push_unique(&mut draft.aliases, &url);
        }
    } else {
        draft
            .extra
            .push((key.name.clone(), to_json(node, Floats::AsWritten)));
    }
}

/// Removes a leading `# Title` line from `body` and returns the title.
fn take_heading(body: &mut String) -> Option<String> {
    let trimmed = body.trim_start_matches('\n');
    let line = trimmed.lines().next()?;
    let title = line.strip_prefix("# ")?.trim().to_string();
    let rest = trimmed[line.len()..].to_string();
    *body = rest;
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexo_front_matter_without_opening_fence() {
        let text = "title: 评议\ndate: 2020-08-06\n---\n正文\n";
        let (yaml, first, body, body_line) = split(text, Engine::Hexo).unwrap();
        assert_eq!(
            (yaml, first, body, body_line),
            ("title: 评议\ndate: 2020-08-06\n", 1, "正文\n", 4)
        );
        assert!(split(text, Engine::Jekyll).is_err());
        assert_eq!(
            split("\n---\ntitle: a\n---\nbody", Engine::Hugo).unwrap(),
            ("title: a\n", 3, "body", 5)
        );
        assert!(
            split("+++\ntitle = \"x\"\n+++\n", Engine::Hugo)
                .unwrap_err()
                .contains("toYAML")
        );
    }
}
