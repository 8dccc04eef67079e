//! Scraped disclosure pages in plain text: title line, a `发布时间:… 来源:… 点击:` line, body
//! paragraphs with `一、` / `1、` headings, then `相关热词搜索:` keywords and a trailer.

use super::noise::{NoiseKind, find_noise, strip_pinyin};
use super::{Draft, check_date};
use crate::content::tags::split_keywords;
use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// Labels on the line under the title, in the order they are searched (longer ones first so
/// `时间` does not match inside `发布时间`).
const LABELS: &[(&str, Field)] = &[
    ("发布时间", Field::Date),
    ("發布時間", Field::Date),
    ("发布日期", Field::Date),
    ("發布日期", Field::Date),
    ("浏览次数", Field::Ignored),
    ("瀏覽次數", Field::Ignored),
    ("时间", Field::Date),
    ("時間", Field::Date),
    ("日期", Field::Date),
    ("来源", Field::Source),
    ("來源", Field::Source),
    ("作者", Field::Author),
    ("点击", Field::Ignored),
    ("點擊", Field::Ignored),
    ("浏览", Field::Ignored),
    ("瀏覽", Field::Ignored),
];

/// Lines that start the keywords (`相关热词搜索:发改委 评议`).
const KEYWORD_LABELS: &[&str] = &["相关热词搜索", "相關熱詞搜索", "相关热词", "相關熱詞"];

/// Trailers that close a page and carry nothing.
const TRAILERS: &[&str] = &["热点文章阅读", "熱點文章閱讀"];

/// What a label on the meta line stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Date,
    Source,
    Author,
    /// Click counts: page furniture, not content.
    Ignored,
}

/// Reads one scraped page and counts the pinyin glosses removed; `warnings` get redactions,
/// lost characters and dropped text.
pub fn parse(
    text: &str,
    path: &Path,
    department: Option<&str>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Draft, usize), String> {
    for noise in find_noise(text) {
        let position = Position::new(noise.line, noise.column);
        let warning = match noise.kind {
            NoiseKind::Redaction => Diagnostic::warning(
                path,
                position,
                "`**` stands for a redacted name; it is kept as written",
            )
            .with_hint("check the original document, or leave it if the name is withheld"),
            NoiseKind::LostCharacter => Diagnostic::warning(
                path,
                position,
                "a character was lost in an encoding round-trip (`?` or `\u{FFFD}`)",
            )
            .with_hint("look the character up in the original document and type it in"),
        };
        warnings.push(warning.with_source(text));
    }
    let (clean, glosses) = strip_pinyin(text);
    let lines: Vec<(usize, &str)> = clean
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .collect();
    let mut rest = lines.iter();
    let Some(&(_, title)) = rest.next() else {
        return Err("the file is empty".to_string());
    };
    let meta = rest
        .next()
        .and_then(|&(_, line)| read_meta_line(line))
        .ok_or("the line under the title has no `发布时间:`, so the report has no date")?;
    let date = meta.date.ok_or("`发布时间:` has no date after it")?;
    let date = check_date(&date).map_err(|e| format!("`发布时间`: {e}"))?;

    let mut body_lines = Vec::new();
    let mut tags = Vec::new();
    let mut ended = false;
    for &(number, line) in rest {
        if let Some(keywords) = keyword_line(line) {
            tags.extend(split_keywords(keywords));
            ended = true;
        } else if TRAILERS.contains(&line) {
            ended = true;
        } else if ended {
            warnings.push(
                Diagnostic::warning(
                    path,
                    Position::new(number, 1),
                    "text after the keywords line is page furniture; it was dropped",
                )
                .with_source(text),
            );
        } else {
            body_lines.push(line);
        }
    }
    let mut extra = Vec::new();
    if let Some(author) = meta.author {
        extra.push(("author".to_string(), serde_json::Value::String(author)));
    }
    let draft = Draft {
        title: title.to_string(),
        date,
        department: department.map(str::to_string),
        source: meta.source,
        tags,
        extra,
        body: to_markdown(&body_lines),
        ..Draft::default()
    };
    Ok((draft, glosses))
}

/// The values of the line under the title.
#[derive(Default)]
struct Meta {
    date: Option<String>,
    source: Option<String>,
    author: Option<String>,
}

/// Reads `发布时间:2020-08-06 来源: 讲话发言 点击:`; `None` when the line has no date label.
fn read_meta_line(line: &str) -> Option<Meta> {
    let mut found: Vec<(usize, usize, Field)> = Vec::new();
    for &(label, field) in LABELS {
        for (start, _) in line.match_indices(label) {
            let after = &line[start + label.len()..];
            let trimmed = after.trim_start();
            let Some(colon) = trimmed.chars().next().filter(|c| *c == ':' || *c == '：') else {
                continue;
            };
            let end = line.len() - trimmed.len() + colon.len_utf8();
            let overlaps = found.iter().any(|&(s, e, _)| start < e && s < end);
            if !overlaps {
                found.push((start, end, field));
            }
        }
    }
    found.sort_by_key(|&(start, _, _)| start);
    let mut meta = Meta::default();
    for (i, &(_, end, field)) in found.iter().enumerate() {
        let next = found.get(i + 1).map_or(line.len(), |&(start, _, _)| start);
        let value = line[end..next].trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        match field {
            Field::Date => meta.date = meta.date.or(value),
            Field::Source => meta.source = meta.source.or(value),
            Field::Author => meta.author = meta.author.or(value),
            Field::Ignored => {}
        }
    }
    found
        .iter()
        .any(|&(_, _, field)| field == Field::Date)
        .then_some(meta)
}

/// The keywords after `相关热词搜索:`, if `line` is that line.
fn keyword_line(line: &str) -> Option<&str> {
    KEYWORD_LABELS.iter().find_map(|label| {
        let rest = line.strip_prefix(label)?.trim_start();
        rest.strip_prefix(':')
            .or_else(|| rest.strip_prefix('：'))
            .or((rest.is_empty()).then_some(""))
    })
}

/// Body lines as Markdown: each line a paragraph, `一、…` and `1、…` headings as `##` (`1、` as
/// `###` under `一、` headings), `1.` and `•` lines as lists, Markdown characters escaped.
fn to_markdown(lines: &[&str]) -> String {
    let has_chinese_headings = lines
        .iter()
        .any(|line| heading(line) == Some(Numbering::Chinese));
    let mut blocks: Vec<String> = Vec::new();
    let mut in_list = false;
    for line in lines {
        let item = list_item(line);
        let block = if let Some(kind) = heading(line) {
            let level = match (kind, has_chinese_headings) {
                (Numbering::Arabic, true) => "###",
                _ => "##",
            };
            format!("{level} {}", escape(line))
        } else if let Some(item) = &item {
            item.clone()
        } else {
            escape(line)
        };
        match blocks.last_mut() {
            Some(last) if in_list && item.is_some() => {
                last.push('\n');
                last.push_str(&block);
            }
            _ => blocks.push(block),
        }
        in_list = item.is_some();
    }
    blocks.join("\n\n")
}

/// How a heading is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbering {
    /// `一、`
    Chinese,
    /// `1、`
    Arabic,
}

/// `Some` when `line` is a heading: a numbering, `、`, then a short phrase without a full stop
/// (a numbered paragraph `1、加强领导。区委…` stays a paragraph).
fn heading(line: &str) -> Option<Numbering> {
    let (number, rest) = line.split_once('、')?;
    let kind = if !number.is_empty()
        && number
            .chars()
            .all(|c| "一二三四五六七八九十百零〇".contains(c))
    {
        Numbering::Chinese
    } else if !number.is_empty() && number.len() <= 2 && number.chars().all(|c| c.is_ascii_digit())
    {
        Numbering::Arabic
    } else {
        return None;
    };
    let phrase = rest.trim_end_matches('。');
    let short = phrase.chars().count() <= 40;
    let sentence = phrase.contains(['。', '；', '！', '？', ';']);
    (short && !sentence && !phrase.is_empty()).then_some(kind)
}

/// A Markdown list item for `1.` / `1．` numbered and `•` / `●` / `·` / `-` bulleted lines.
fn list_item(line: &str) -> Option<String> {
    for bullet in ['•', '●', '·', '▪', '-'] {
        if let Some(rest) = line.strip_prefix(bullet) {
            let rest = rest.trim_start();
            if !rest.is_empty() && !rest.starts_with(bullet) {
                return Some(format!("- {}", escape(rest)));
            }
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &line[digits..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix('．'))?;
    let rest = rest.trim_start();
    (!rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| format!("{}. {}", &line[..digits], escape(rest)))
}

/// Escapes what Markdown would read as markup, so plain text stays plain (`**` stays `**`, and
/// a trailing `{…}` stays text instead of becoming heading attributes).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let at_start = i == 0;
        if "\\`*_[]{}<>|~&".contains(c) || at_start && "#+-=".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_lines_table() {
        let cases = [
            (
                "发布时间:2020-08-06 来源: 讲话发言 点击:",
                Some(("2020-08-06", Some("讲话发言"))),
            ),
            (
                "發布時間：2021-03-02 10:00 來源：調查報告 點擊：125",
                Some(("2021-03-02 10:00", Some("調查報告"))),
            ),
            ("时间: 2019/5/8  来源:", Some(("2019/5/8", None))),
            ("点击: 12", None),
            ("这是一段正文，没有时间。", None),
        ];
        for (line, expected) in cases {
            let meta = read_meta_line(line);
            let got = meta
                .as_ref()
                .map(|m| (m.date.as_deref().unwrap_or(""), m.source.as_deref()));
            assert_eq!(got, expected, "{line}");
        }
    }

    #[test]
    fn headings_table() {
        let cases = [
            ("一、基本情况", Some(Numbering::Chinese)),
            ("十二、其他事项", Some(Numbering::Chinese)),
            ("1、工作成效", Some(Numbering::Arabic)),
            ("1、加强组织领导。区委高度重视评议工作。", None),
            ("一、", None),
            ("（一）健全机制", None),
            ("评议、测评、整改", None),
        ];
        for (line, expected) in cases {
            assert_eq!(heading(line), expected, "{line}");
        }
    }

    #[test]
    fn lists_and_escapes() {
        assert_eq!(list_item("1．动员部署"), Some("1. 动员部署".to_string()));
        assert_eq!(list_item("• 走访学校"), Some("- 走访学校".to_string()));
        assert_eq!(list_item("2020.8 工作"), None);
        assert_eq!(escape("在**镇 <b> a_b"), "在\\*\\*镇 \\<b\\> a\\_b");
        assert_eq!(escape("# 不是标题"), "\\# 不是标题");
        assert_eq!(
            keyword_line("相关热词搜索:评议 发改委"),
            Some("评议 发改委")
        );
        assert_eq!(keyword_line("相關熱詞搜索："), Some(""));
    }
}
