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
    /// The first line is not `---`; `looks_like_yaml` when it reads as `key: value` (Hexo style).
    NoOpeningFence {
        /// True when the first line looks like a front-matter key.
        looks_like_yaml: bool,
    },
    /// The opening `---` is never closed.
    Unclosed,
}

/// Normalises what editors and old exports leave behind: a UTF-8 BOM, CRLF and lone CR line ends.
/// Line numbers are unchanged because each line end stays one line end.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits normalised text (see [`normalize`]) at the `---` fences; the closing fence may be `...`.
pub fn split(text: &str) -> Result<SplitFile<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        // Hexo writes `key: value` lines closed by `---` with no opening fence.
        let looks_like_yaml = first
            .split_once(':')
            .is_some_and(|(key, _)| !key.trim().is_empty() && !key.contains(' '))
            && lines.any(|line| line.trim_end() == "---");
        return Err(SplitError::NoOpeningFence { looks_like_yaml });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." {
            let body_start = offset + line.len();
            return Ok(SplitFile {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[body_start..],
                body_first_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
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
            ("---  \ntitle: a\n---\n", Ok(("title: a\n", "", 4))),
            ("---\n---\nonly body", Ok(("", "only body", 3))),
            (
                "---\ntitle: a\n--- \n\n## 一\n",
                Ok(("title: a\n", "\n## 一\n", 4)),
            ),
            ("", Err(SplitError::Empty)),
            ("  \n\n", Err(SplitError::Empty)),
            (
                "title: a\n---\nbody",
                Err(SplitError::NoOpeningFence {
                    looks_like_yaml: true,
                }),
            ),
            (
                "注意: 这不是元数据\n正文",
                Err(SplitError::NoOpeningFence {
                    looks_like_yaml: false,
                }),
            ),
            (
                "# 标题\n正文",
                Err(SplitError::NoOpeningFence {
                    looks_like_yaml: false,
                }),
            ),
            ("---\ntitle: a\nbody", Err(SplitError::Unclosed)),
        ];
        for (input, expected) in cases {
            let got = split(input).map(|s| (s.yaml, s.body, s.body_first_line));
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    #[test]
    fn bom_and_crlf_are_normalised_without_moving_lines() {
        let text = normalize("\u{feff}---\r\ntitle: a\r\n---\r\nline1\rline2\n");
        assert_eq!(text, "---\ntitle: a\n---\nline1\nline2\n");
        let parts = split(&text).unwrap();
        assert_eq!(parts.yaml, "title: a\n");
        assert_eq!(parts.body_first_line, 4);
    }
}
