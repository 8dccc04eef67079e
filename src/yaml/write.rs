//! The one YAML writer: front-matter values written so that the reader reads back the same
//! text (used by `gongshi import` and `gongshi new`).

/// A YAML scalar for `text`: plain when that reads back as the same string, else double-quoted.
/// Double-quoted YAML accepts JSON's escapes, so serde_json writes it.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

/// A date: plain (`2020-08-06 10:00:00 +08:00`) when it holds only date characters, else quoted.
pub fn date_scalar(text: &str) -> String {
    let date_chars = |c: char| c.is_ascii_digit() || "-/:.T+Z 年月日".contains(c);
    if !text.is_empty() && text.chars().all(date_chars) && !text.contains(": ") {
        text.to_string()
    } else {
        scalar(text)
    }
}

/// A flow list `[a, b]`; items are plain-safe or quoted, so commas inside stay inside.
pub fn list(items: &[String]) -> String {
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
