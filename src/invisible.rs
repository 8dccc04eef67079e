//! Characters a reader cannot see that change what a file means: a zero-width space pasted from
//! a web page splits a keyword in two, a full-width space before a key hides the key. Messages
//! name them, since the editor cannot see what is wrong.

use crate::diagnostics::{Diagnostic, Position};
use std::borrow::Cow;
use std::path::Path;

/// Normalises what editors and old exports leave behind: a UTF-8 BOM, CRLF and lone CR line ends.
/// Line numbers are unchanged because each line end stays one line end.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Invisible characters that carry no meaning in a report and are removed, with their names.
const ZERO_WIDTH: &[(char, &str, &str)] = &[
    (
        '\u{200B}',
        "zero-width space (U+200B)",
        "零宽空格（U+200B）",
    ),
    ('\u{2060}', "word joiner (U+2060)", "零宽连字符（U+2060）"),
    (
        '\u{FEFF}',
        "byte-order mark (U+FEFF) inside the file",
        "文件中间的字节序标记（U+FEFF）",
    ),
];

/// The name of an invisible or blank-looking character, for messages.
pub fn name_of(c: char) -> Option<&'static str> {
    let chinese = crate::lang::chinese();
    match c {
        '\u{3000}' if chinese => Some("全角空格（U+3000）"),
        '\u{3000}' => Some("full-width space (U+3000)"),
        '\u{00A0}' if chinese => Some("不换行空格（U+00A0）"),
        '\u{00A0}' => Some("no-break space (U+00A0)"),
        _ => ZERO_WIDTH
            .iter()
            .find(|(known, _, _)| *known == c)
            .map(|(_, en, zh)| if chinese { *zh } else { *en }),
    }
}

/// `text` without the zero-width characters of [`ZERO_WIDTH`], and one warning for the file
/// naming the character, how many there were and where the first was. Line numbers do not move.
pub fn strip_zero_width<'a>(text: &'a str, display: &Path) -> (Cow<'a, str>, Option<Diagnostic>) {
    let is_zero_width = |c: char| ZERO_WIDTH.iter().any(|(known, _, _)| *known == c);
    let Some(first) = text.find(is_zero_width) else {
        return (Cow::Borrowed(text), None);
    };
    let before = &text[..first];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    let character = text[first..].chars().next().unwrap_or_default();
    let name = name_of(character).unwrap_or("?");
    let count = text.chars().filter(|c| is_zero_width(*c)).count();
    let message = if count == 1 {
        crate::msg!(
            "an invisible {name} was removed here",
            "这里有一个看不见的{name}，已删除"
        )
    } else {
        crate::msg!(
            "{count} invisible characters were removed, the first a {name} here",
            "删除了 {count} 个看不见的字符，第一个是这里的{name}"
        )
    };
    let warning = Diagnostic::warning(display, Position::new(line, column), message)
        .with_hint(crate::msg!(
            "text copied from web pages and chat apps carries them; they would split a keyword or a date in two. Delete them in an editor that shows them (VS Code: \"Render Control Characters\")",
            "从网页和聊天软件复制的文字常带有这类字符，会把关键词或日期断成两半。请在能显示它们的编辑器中删除（VS Code：“Render Control Characters”）"
        ))
        .with_source(text);
    let cleaned: String = text.chars().filter(|c| !is_zero_width(*c)).collect();
    (Cow::Owned(cleaned), Some(warning))
}

/// `key` without leading or trailing invisible characters, and the name of the first one, when
/// it has some (`　source` → `source`, a full-width space).
pub fn hidden_in_key(key: &str) -> Option<(&str, &'static str)> {
    let is_hidden = |c: char| name_of(c).is_some();
    let cleaned = key.trim_matches(is_hidden);
    if cleaned.len() == key.len() {
        return None;
    }
    let first = key.chars().find(|c| is_hidden(*c))?;
    Some((cleaned, name_of(first)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_characters_are_removed_with_one_warning() {
        let text = "---\ntitle: 评议\ntags: [教育\u{200B}, 评\u{200B}议]\n---\n";
        let (cleaned, warning) = strip_zero_width(text, Path::new("a.md"));
        assert_eq!(cleaned, "---\ntitle: 评议\ntags: [教育, 评议]\n---\n");
        let warning = warning.unwrap();
        assert_eq!(warning.position, Position::new(3, 10));
        assert_eq!(
            warning.message,
            "2 invisible characters were removed, the first a zero-width space (U+200B) here"
        );
        let (same, none) = strip_zero_width("　　正文", Path::new("a.md"));
        assert!(matches!(same, Cow::Borrowed(_)) && none.is_none());
    }

    #[test]
    fn keys_with_hidden_characters_are_named() {
        assert_eq!(
            hidden_in_key("\u{3000}source"),
            Some(("source", "full-width space (U+3000)"))
        );
        assert_eq!(hidden_in_key("source"), None);
    }
}
