//! Writes an imported report as Markdown with YAML front-matter that `gongshi build` reads back.

use super::Draft;
use std::fs;
use std::io::Write;
use std::path::Path;

/// The whole Markdown file for `draft`: front-matter in a fixed key order, then the body.
pub fn render(draft: &Draft) -> String {
    let mut text = String::from("---\n");
    let mut line = |key: &str, value: String| text.push_str(&format!("{key}: {value}\n"));
    line("title", scalar(&draft.title));
    line("date", date_scalar(&draft.date));
    if let Some(updated) = &draft.updated {
        line("updated", date_scalar(updated));
    }
    if let Some(department) = &draft.department {
        line("department", scalar(department));
    }
    if let Some(source) = &draft.source {
        line("source", scalar(source));
    }
    if !draft.tags.is_empty() {
        line("tags", list(&draft.tags));
    }
    if let Some(summary) = &draft.summary {
        line("summary", scalar(summary));
    }
    if let Some(slug) = &draft.slug {
        line("slug", scalar(slug));
    }
    if draft.draft {
        line("draft", "true".to_string());
    }
    if !draft.aliases.is_empty() {
        line("aliases", list(&draft.aliases));
    }
    line("imported_from", scalar(&draft.imported_from));
    if !draft.extra.is_empty() {
        text.push_str("extra:\n");
        for (key, value) in &draft.extra {
            let value = match value {
                serde_json::Value::String(s) => scalar(s),
                // JSON is YAML's flow style, so any other value can be written as JSON.
                other => other.to_string(),
            };
            text.push_str(&format!("  {}: {value}\n", scalar(key)));
        }
    }
    text.push_str("---\n");
    let body = draft.body.trim_matches('\n');
    if !body.is_empty() {
        text.push_str(body);
        text.push('\n');
    }
    text
}

/// Writes `text` to `path`, creating folders; fails rather than replace an existing file.
pub fn write_new(path: &Path, text: &str) -> Result<(), String> {
    write_bytes_new(path, text.as_bytes())
}

/// Writes `bytes` to `path`, creating folders; fails rather than replace an existing file.
fn write_bytes_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies `from` to `to`, creating folders; fails rather than replace an existing file.
pub fn copy_new(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    write_bytes_new(to, &bytes)
}

/// A YAML scalar for `text`: plain when that reads back as the same string, else double-quoted.
/// Double-quoted YAML accepts JSON's escapes, so serde_json writes it.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

/// Dates stay plain (`2020-08-06 10:00:00 +08:00`) when they hold only date characters.
fn date_scalar(text: &str) -> String {
    let date_chars = |c: char| c.is_ascii_digit() || "-/:.T+Z 年月日".contains(c);
    if !text.is_empty() && text.chars().all(date_chars) && !text.contains(": ") {
        text.to_string()
    } else {
        scalar(text)
    }
}

/// A flow list `[a, b]`; items are plain-safe or quoted, so commas inside stay inside.
fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| scalar(item)).collect();
    format!("[{}]", items.join(", "))
}

/// True when `text` written bare is read back by YAML as the same string, also inside `[…]`.
fn is_plain_safe(text: &str) -> bool {
    const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let Some(first) = text.chars().next() else {
        return false;
    };
    let ascii_number_like = text.is_ascii() && (first.is_ascii_digit() || ".+".contains(first));
    text.trim() == text
        && !"-?~".contains(first)
        && !ascii_number_like
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
        && !text
            .chars()
            .any(|c| c.is_control() || ":#,[]{}&*!|>'\"%@`\\".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Value, parse_mapping};

    #[test]
    fn scalars_read_back_as_the_same_text() {
        let cases = [
            "区发改委专项工作评议调查报告",
            "标题: 带冒号",
            "引号\"与'单引号",
            "2021",
            "true",
            "- 列表",
            "a, b",
            "#话题",
            " 前后空格 ",
            "反斜杠\\",
            "",
            "行\n换",
            "在**镇",
            "Open Data 2.0",
        ];
        for text in cases {
            let yaml = format!("key: {}\nlist: [{}]\n", scalar(text), scalar(text));
            let entries = parse_mapping(&yaml, 1).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            assert_eq!(entries[0].1.value, Value::Str(text.to_string()), "{yaml}");
            match &entries[1].1.value {
                Value::Seq(items) => {
                    assert_eq!(items[0].value, Value::Str(text.to_string()), "{yaml}")
                }
                other => panic!("{yaml}: {other:?}"),
            }
        }
    }

    #[test]
    fn plain_chinese_stays_readable() {
        assert_eq!(scalar("讲话发言"), "讲话发言");
        assert_eq!(scalar("标题：全角冒号"), "标题：全角冒号");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(date_scalar("2020-08-06 10:00:00"), "2020-08-06 10:00:00");
    }
}
