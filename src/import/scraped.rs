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
                crate::msg!(
                    "`**` stands for a redacted name; it is kept as written",
                    "`**` 表示隐去的姓名，按原样保留"
                ),
            )
            .with_hint(crate::msg!(
                "check the original document, or leave it if the name is withheld",
                "核对原文；如果是有意隐去的姓名，保持不动"
            )),
            NoiseKind::LostCharacter => Diagnostic::warning(
                path,
                position,
                crate::msg!(
                    "a character was lost in an encoding round-trip (`?` or `\u{FFFD}`)",
                    "有一个字在编码转换中丢失了（`?` 或 `\u{FFFD}`）"
                ),
            )
            .with_hint(crate::msg!(
                "look the character up in the original document and type it in",
                "在原文中查出这个字并补上"
            )),
        };
        warnings.push(warning.with_source(text));
    }
    let (clean, glosses) = strip_pinyin(text);
    let lines: Vec<(usize, &str)> = clean
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end()))
        .filter(|(_, line)| !line.trim().is_empty())
        .collect();
    let mut rest = lines.iter();
    let Some(&(title_line, title)) = rest.next() else {
        return Err(crate::msg!("the file is empty", "文件是空的"));
    };
    let title = title.trim();
    let meta = rest
        .next()
        .and_then(|&(_, line)| read_meta_line(line.trim()))
        .ok_or_else(|| {
            crate::msg!(
                "the line under the title has no `发布时间:`, so the report has no date",
                "标题下一行没有 `发布时间:`，报告没有日期"
            )
        })?;
    let date = meta.date.ok_or_else(|| {
        crate::msg!(
            "`发布时间:` has no date after it",
            "`发布时间:` 后面没有日期"
        )
    })?;
    let date = check_date(&date).map_err(|e| format!("`发布时间`: {e}"))?;

    let mut body_lines = Vec::new();
    let mut tags = Vec::new();
    let mut ended = false;
    for &(number, untrimmed) in rest {
        let line = untrimmed.trim();
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
                    crate::msg!(
                        "text after the keywords line is page furniture; it was dropped",
                        "关键词行之后是网页的栏目文字，已舍去"
                    ),
                )
                .with_source(text),
            );
        } else {
            body_lines.push(untrimmed);
        }
    }
    let mut extra = Vec::new();
    if let Some(author) = meta.author {
        extra.push(("author".to_string(), serde_json::Value::String(author)));
    }
    let department = department.map(str::to_string).or_else(|| {
        let inferred = department_in_title(title)?;
        warnings.push(
            Diagnostic::warning(
                path,
                Position::new(title_line, 1),
                crate::msg!(
                    "the page names no department; `{inferred}` was taken from the title",
                    "网页中没有写评议对象；已从标题中取出 `{inferred}`"
                ),
            )
            .with_hint(crate::msg!(
                "check it in the imported report, or pass --department to set it yourself",
                "请在导入的报告中核对，或用 --department 自己指定"
            ))
            .with_source(text),
        );
        Some(inferred.to_string())
    });
    let draft = Draft {
        title: title.to_string(),
        date,
        department,
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

/// Body lines as Markdown: each line a paragraph, except that a line a page layout broke in
/// mid-sentence is joined to the next (see [`continues`]); `一、…`, `（一）…` and `1、…` outline
/// headings become `##`, `###`, `####` (each kind one level below the kinds above it that the
/// page uses), `1.` and `•` lines lists, Markdown characters escaped.
fn to_markdown(lines: &[&str]) -> String {
    let joined = join_broken_lines(lines);
    let kinds_used: Vec<Numbering> = joined.iter().filter_map(|line| heading(line)).collect();
    let mut blocks: Vec<String> = Vec::new();
    let mut in_list = false;
    for line in &joined {
        let item = list_item(line);
        let block = if let Some(kind) = heading(line) {
            let above = [
                Numbering::Chinese,
                Numbering::Parenthesized,
                Numbering::Arabic,
            ]
            .iter()
            .take_while(|k| **k != kind)
            .filter(|k| kinds_used.contains(k))
            .count();
            format!("{} {}", "#".repeat(2 + above), escape(line))
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

/// The body's paragraphs, trimmed: lines broken in mid-sentence joined (no space between Chinese
/// characters, one between two Latin words).
fn join_broken_lines(lines: &[&str]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let text = line.trim();
        let starts_paragraph = line.starts_with(['\u{3000}', ' ', '\t'])
            || heading(text).is_some()
            || list_item(text).is_some();
        match paragraphs.last_mut() {
            Some(last) if open && !starts_paragraph => {
                let latin_gap = last.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && text.starts_with(|c: char| c.is_ascii_alphanumeric());
                if latin_gap {
                    last.push(' ');
                }
                last.push_str(text);
            }
            _ => paragraphs.push(text.to_string()),
        }
        let last = paragraphs.last().map_or("", String::as_str);
        open = continues(last) && heading(last).is_none() && list_item(last).is_none();
    }
    paragraphs
}

/// True when a paragraph looks cut by the page layout: long (a layout breaks at a column
/// width, a title or a signature is short) and without a closing punctuation mark.
fn continues(paragraph: &str) -> bool {
    const CLOSING: &[char] = &[
        '。', '！', '？', '；', '：', '…', '”', '’', '」', '』', '）', ')', '.', '!', '?', ';', ':',
    ];
    paragraph.chars().count() >= 20 && !paragraph.ends_with(CLOSING)
}

/// The appraised department named at the start of a title: `区发改委` of
/// `區發改委單位專項工作評議調查報告` or `关于区教育局工作评议的调查报告` (a name ending
/// in 局, 委, 办, 院…, before 单位, 专项工作 or 工作评议).
fn department_in_title(title: &str) -> Option<&str> {
    const AFTER: &[&str] = &[
        "单位",
        "單位",
        "专项工作",
        "專項工作",
        "工作评议",
        "工作評議",
        "工作情况",
        "工作情況",
    ];
    const BEFORE: &[&str] = &["关于对", "關於對", "关于", "關於", "对", "對"];
    const ENDINGS: &[&str] = &[
        "局",
        "委",
        "办",
        "辦",
        "院",
        "厅",
        "廳",
        "署",
        "中心",
        "公司",
        "委员会",
        "委員會",
        "政府",
        "街道",
        "镇",
        "鎮",
        "乡",
        "鄉",
        "所",
        "站",
        "队",
        "隊",
    ];
    let end = AFTER.iter().filter_map(|word| title.find(word)).min()?;
    let mut name = &title[..end];
    if let Some(rest) = BEFORE.iter().find_map(|word| name.strip_prefix(word)) {
        name = rest;
    }
    let length = name.chars().count();
    ((2..=15).contains(&length) && ENDINGS.iter().any(|e| name.ends_with(e))).then_some(name)
}

/// How a heading is numbered, from the top of an outline down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbering {
    /// `一、`
    Chinese,
    /// `（一）`
    Parenthesized,
    /// `1、`
    Arabic,
}

/// `Some` when `line` is an outline heading: `一、`, `（一）` or `1、` then a short phrase without a
/// full stop (a numbered paragraph `1、加强领导。区委…` stays a paragraph).
fn heading(line: &str) -> Option<Numbering> {
    let is_chinese_number =
        |n: &str| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十百零〇".contains(c));
    let parenthesized = ["（", "("].iter().find_map(|open| {
        let rest = line.strip_prefix(open)?;
        let (number, rest) = rest.split_once(['）', ')'])?;
        is_chinese_number(number).then_some(rest)
    });
    let (kind, rest) = if let Some(rest) = parenthesized {
        (Numbering::Parenthesized, rest)
    } else {
        let (number, rest) = line.split_once('、')?;
        if is_chinese_number(number) {
            (Numbering::Chinese, rest)
        } else if !number.is_empty()
            && number.len() <= 2
            && number.chars().all(|c| c.is_ascii_digit())
        {
            (Numbering::Arabic, rest)
        } else {
            return None;
        }
    };
    let phrase = rest.trim().trim_end_matches('。');
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
            ("（一）健全机制", Some(Numbering::Parenthesized)),
            ("(二)完善制度", Some(Numbering::Parenthesized)),
            ("（一）加强领导。区委高度重视。", None),
            ("评议、测评、整改", None),
        ];
        for (line, expected) in cases {
            assert_eq!(heading(line), expected, "{line}");
        }
    }

    #[test]
    fn outline_levels_and_broken_lines() {
        let lines = [
            "一、基本情况",
            "（一）工作推进",
            "　　区人大常委会评议组于2020年8月对区发改委开展了专",
            "项评议，听取了工作汇报。",
            "1、项目审批",
            "　　审批时间压缩至15个工作日以内，群众满意度明显提升。",
            "区人大常委会评议组",
            "2020年8月6日",
        ];
        assert_eq!(
            to_markdown(&lines),
            "## 一、基本情况\n\n### （一）工作推进\n\n区人大常委会评议组于2020年8月对区发改委开展了专项评议，听取了工作汇报。\n\n#### 1、项目审批\n\n审批时间压缩至15个工作日以内，群众满意度明显提升。\n\n区人大常委会评议组\n\n2020年8月6日"
        );
    }

    #[test]
    fn departments_in_titles() {
        let cases = [
            ("區發改委單位專項工作評議調查報告", Some("區發改委")),
            (
                "关于区教育局工作评议的调查报告：“双减”落实情况",
                Some("区教育局"),
            ),
            ("关于对区市场监管局专项工作评议的报告", Some("区市场监管局")),
            ("2020年民生实事项目评议报告", None),
        ];
        for (title, expected) in cases {
            assert_eq!(department_in_title(title), expected, "{title}");
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
