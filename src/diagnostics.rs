//! One place that turns problems into `path:line:col: error: message` plus the line, a caret and a hint.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How bad a problem is: errors fail the build, warnings and notices do not.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; the editor should still look.
    Warning,
    /// Something gongshi did on purpose that the editor should know of (a file it skipped).
    Notice,
}

impl Severity {
    /// The word printed before the message: `error`, or `错误` when messages are in Chinese.
    pub fn label(self) -> &'static str {
        match (self, crate::lang::chinese()) {
            (Severity::Error, false) => "error",
            (Severity::Warning, false) => "warning",
            (Severity::Notice, false) => "notice",
            (Severity::Error, true) => "错误",
            (Severity::Warning, true) => "警告",
            (Severity::Notice, true) => "说明",
        }
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Position {
    /// 1-based line in the file (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub column: usize,
}

impl Position {
    /// A position at `line`, `column`.
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// One problem found in the user's input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, as the user would type it.
    pub path: PathBuf,
    /// Where in the file.
    pub position: Position,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The offending source line, shown under the message with a caret.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at `path:position`.
    pub fn error(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            position,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning at `path:position`.
    pub fn warning(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, position, message)
        }
    }

    /// A notice at `path:position`.
    pub fn notice(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Notice,
            ..Diagnostic::error(path, position, message)
        }
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the offending line, taken from the whole file text.
    pub fn with_source(mut self, file_text: &str) -> Self {
        if self.position.line > 0 {
            self.source_line = file_text
                .lines()
                .nth(self.position.line - 1)
                .map(|line| line.trim_end_matches('\r').to_string());
        }
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = crate::lang::localize(self.severity.label());
        let path = self.path.display().to_string();
        let path = printable(&path);
        let Position { line, column } = self.position;
        let message = crate::lang::localize(&printable(&self.message));
        match (line, column) {
            (0, _) => write!(f, "{path}: {kind}: {message}")?,
            (_, 0) => write!(f, "{path}:{line}: {kind}: {message}")?,
            _ => write!(f, "{path}:{line}:{column}: {kind}: {message}")?,
        }
        if let Some(source) = &self.source_line {
            let (source, column) = excerpt(source, column);
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(f, "\n {pad} |\n {gutter} | {source}")?;
            if column > 0 {
                let lead: String = source
                    .chars()
                    .take(column - 1)
                    .flat_map(|c| {
                        match c {
                            '\t' => "\t",
                            c if is_wide(c) => "  ",
                            _ => " ",
                        }
                        .chars()
                    })
                    .collect();
                write!(f, "\n {pad} | {lead}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            let label = if crate::lang::chinese() {
                "提示"
            } else {
                "hint"
            };
            write!(f, "\n  = {label}: {}", crate::lang::localize(hint))?;
        }
        Ok(())
    }
}

/// Text safe to print on a terminal: control characters (escape sequences a hostile file could
/// carry) become `�`; tabs stay.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(|c| c.is_control() && c != '\t') {
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\t' {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Characters of a source line shown around the caret; longer lines (base64 images, minified
/// exports) are cut to this many, marked with `…`.
const EXCERPT_CHARS: usize = 120;

/// The printable part of `source` around `column`, and the caret's column within it.
fn excerpt(source: &str, column: usize) -> (String, usize) {
    let count = source.chars().count();
    if count <= EXCERPT_CHARS {
        return (printable(source).into_owned(), column);
    }
    let start = column
        .saturating_sub(1 + EXCERPT_CHARS / 2)
        .min(count - EXCERPT_CHARS);
    let mut shown: String = if start > 0 {
        "…".into()
    } else {
        String::new()
    };
    shown.extend(source.chars().skip(start).take(EXCERPT_CHARS));
    if start + EXCERPT_CHARS < count {
        shown.push('…');
    }
    let column = match column {
        0 => 0,
        c => c - start + usize::from(start > 0),
    };
    (printable(&shown).into_owned(), column)
}

/// True for characters a terminal draws two cells wide (CJK, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Collects diagnostics from many threads; hands them out sorted so output is deterministic.
#[derive(Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.items
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        let mut items = self.items.lock().unwrap_or_else(|p| p.into_inner());
        items.extend(diagnostics);
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .any(Diagnostic::is_error)
    }

    /// All problems, sorted by file, then position, then message.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|p| p.into_inner());
        items.sort_by(|a, b| {
            (&a.path, a.position, a.severity, &a.message)
                .cmp(&(&b.path, b.position, b.severity, &b.message))
        });
        items.dedup();
        items
    }
}

/// The closest candidate to `word`, if one is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let plural = format!("{lower}s");
            let score = if *c == lower || *c == plural || c.starts_with(&lower) && lower.len() >= 3
            {
                1.0
            } else {
                strsim::jaro_winkler(&lower, c)
            };
            (score, *c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_renders_path_line_column_source_caret_and_hint() {
        let text = "---\ntitle: a\ntags: {x: 1}\n---\n";
        let d = Diagnostic::error(
            Path::new("content/a.md"),
            Position::new(3, 7),
            "tags must be a list",
        )
        .with_hint("write tags: [a, b]")
        .with_source(text);
        let shown = d.to_string();
        assert_eq!(
            shown,
            "content/a.md:3:7: error: tags must be a list\n   |\n 3 | tags: {x: 1}\n   |       ^\n  = hint: write tags: [a, b]"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_control_characters_are_not_printed() {
        let line = format!("![]({}\u{1b}[31mX)", "A".repeat(500_000));
        let d = Diagnostic::error(
            Path::new("a\u{1b}.md"),
            Position::new(1, 250_000),
            "bad \u{7}",
        )
        .with_source(&line);
        let shown = d.to_string();
        assert!(shown.len() < 600, "{} bytes", shown.len());
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..caret + 1], "A", "{shown}");
        let tail = Diagnostic::error(Path::new("a.md"), Position::new(1, 500_010), "x")
            .with_source(&line)
            .to_string();
        let lines: Vec<&str> = tail.lines().collect();
        let caret = lines[3].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('X'), "{tail}");
    }

    #[test]
    fn caret_accounts_for_wide_chinese_characters() {
        let d =
            Diagnostic::error(Path::new("a.md"), Position::new(1, 4), "x").with_source("标题: [");
        assert!(
            d.to_string().ends_with("\n 1 | 标题: [\n   |      ^"),
            "{d}"
        );
    }

    #[test]
    fn did_you_mean_finds_plural_case_and_typos() {
        let keys = ["title", "date", "tags", "department", "source"];
        let cases = [
            ("tag", Some("tags")),
            ("Title", Some("title")),
            ("departmnet", Some("department")),
            ("sourse", Some("source")),
            ("colour", None),
        ];
        for (input, expected) in cases {
            assert_eq!(did_you_mean(input, &keys), expected, "{input}");
        }
    }
}
