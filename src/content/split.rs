//! Splits a report file into its YAML front-matter and its Markdown body.

/// A report file cut into front-matter and body, with the file line each part starts on.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitFile<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// File line of the first YAML line (2: the opening `---` is line 1).
    pub yaml_first_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_first_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only whitespace.
    Empty,
    /// The first line is not `---`, and the file does not start with Hexo's `key: value`
    /// lines closed by `---` either.
    NoOpeningFence,
    /// Hugo's TOML front-matter (`+++`), which gongshi does not read.
    Toml,
    /// The opening `---` is never closed.
    Unclosed,
}

/// Splits normalised text (see [`crate::invisible::normalize`]) at the `---` fences; the closing fence may be `...`,
/// and blank lines may come first.
/// Hexo's header without the opening fence (`title: …` on line 1, closed by `---`) is read too.
pub fn split(text: &str) -> Result<SplitFile<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    // Blank lines above the opening fence are skipped, as Hugo does.
    let blank_lines = text
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty())
        .count();
    let skipped: usize = text
        .split_inclusive('\n')
        .take(blank_lines)
        .map(str::len)
        .sum();
    let mut lines = text[skipped..].split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() == "+++" {
        return Err(SplitError::Toml);
    }
    if first.trim_end() != "---" {
        return hexo_header(text);
    }
    let yaml_start = skipped + first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            let body_start = offset + line.len();
            return Ok(SplitFile {
                yaml: &text[yaml_start..offset],
                yaml_first_line: blank_lines + 2,
                body: &text[body_start..],
                body_first_line: blank_lines + index + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// Hexo's header: `key: value` lines up to the first `---` line (blank lines above it skipped,
/// as Hexo does). Only a first line that starts with an ASCII key (`title:`) is taken for one,
/// so a Markdown file that happens to hold a `---` rule is still reported as having no
/// front-matter.
fn hexo_header(text: &str) -> Result<SplitFile<'_>, SplitError> {
    let blank_lines = text.lines().take_while(|l| l.trim().is_empty()).count();
    let first = text
        .lines()
        .nth(blank_lines)
        .unwrap_or_default()
        .trim_start();
    let starts_with_key = first.split_once(':').is_some_and(|(key, _)| {
        key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    if !starts_with_key {
        return Err(SplitError::NoOpeningFence);
    }
    let mut offset = 0;
    let mut yaml_start = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index == blank_lines {
            yaml_start = offset;
        }
        if index > blank_lines && line.trim_end() == "---" {
            return Ok(SplitFile {
                yaml: &text[yaml_start..offset],
                yaml_first_line: blank_lines + 1,
                body: &text[offset + line.len()..],
                body_first_line: index + 2,
            });
        }
        offset += line.len();
    }
    Err(SplitError::NoOpeningFence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_table() {
        type Expected = Result<(&'static str, &'static str, usize), SplitError>;
        let cases: &[(&str, Expected)] = &[
            (
                "---\ntitle: a\n---\nbody\n",
                Ok(("title: a\n", "body\n", 4)),
            ),
            ("---\ntitle: a\n...\nbody", Ok(("title: a\n", "body", 4))),
            (
                "\n\n---\ntitle: a\n---\nbody",
                Ok(("title: a\n", "body", 6)),
            ),
            ("---  \ntitle: a\n---\n", Ok(("title: a\n", "", 4))),
            ("---\n---\nonly body", Ok(("", "only body", 3))),
            (
                "---\ntitle: a\n--- \n\n## 一\n",
                Ok(("title: a\n", "\n## 一\n", 4)),
            ),
            ("", Err(SplitError::Empty)),
            ("  \n\n", Err(SplitError::Empty)),
            ("title: a\n---\nbody", Ok(("title: a\n", "body", 3))),
            (
                "title: a\ndate: 2020-01-01\n---\n\n正文",
                Ok(("title: a\ndate: 2020-01-01\n", "\n正文", 4)),
            ),
            ("title: a\nbody", Err(SplitError::NoOpeningFence)),
            (
                "\n title: a\n date: b\n---\nbody",
                Ok((" title: a\n date: b\n", "body", 5)),
            ),
            (
                "注意: 这不是元数据\n---\n正文",
                Err(SplitError::NoOpeningFence),
            ),
            ("# 标题\n正文", Err(SplitError::NoOpeningFence)),
            ("+++\ntitle = \"a\"\n+++\n", Err(SplitError::Toml)),
            ("---\ntitle: a\nbody", Err(SplitError::Unclosed)),
        ];
        for (input, expected) in cases {
            let got = split(input).map(|s| (s.yaml, s.body, s.body_first_line));
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    #[test]
    fn bom_and_crlf_are_normalised_without_moving_lines() {
        let text = crate::invisible::normalize("\u{feff}---\r\ntitle: a\r\n---\r\nline1\rline2\n");
        assert_eq!(text, "---\ntitle: a\n---\nline1\nline2\n");
        let parts = split(&text).unwrap();
        assert_eq!(parts.yaml, "title: a\n");
        assert_eq!(parts.body_first_line, 4);
    }
}
