//! Where rendered files go: [`Sink`] is written by the renderer and implemented by the build's
//! staging folder on disk (`output`) and by the dev server's memory (`serve`), so rendering knows
//! neither.

use std::path::{Path, PathBuf};

/// A place that takes rendered files, at site-relative paths (`reports/a/index.html`).
pub trait Sink: Sync {
    /// Takes an HTML page; `input` fingerprints its template and variables (0: not fingerprinted).
    fn page(&self, relative: &str, html: &[u8], input: u64) -> Result<(), WriteError>;

    /// Takes any other file; `input` fingerprints what it was made from (0: compared by bytes).
    fn file(&self, relative: &str, bytes: &[u8], input: u64) -> Result<(), WriteError>;

    /// True when what files are made from is worth fingerprinting (a later build may reuse them).
    fn remembers(&self) -> bool {
        false
    }

    /// True when the previous file at `relative`, made from the same `input`, stays as it is
    /// (the caller then produces nothing for it).
    fn keep(&self, _relative: &str, _input: u64) -> bool {
        false
    }

    /// Keeps every previous file whose path satisfies `belongs`.
    fn keep_all(&self, _belongs: &dyn Fn(&str) -> bool) {}

    /// The previous file at `relative`, if it is still what was written then.
    fn previous_bytes(&self, _relative: &str) -> Option<Vec<u8>> {
        None
    }
}

/// What went wrong while writing, with the path that failed.
#[derive(Debug)]
pub struct WriteError {
    /// The path that could not be written or moved.
    pub path: PathBuf,
    /// What happened.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl WriteError {
    /// The error as a diagnostic at its path, with its hint.
    pub fn into_diagnostic(self) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            &self.path,
            crate::diagnostics::Position::default(),
            self.message,
        )
        .with_hint(self.hint)
    }

    /// An I/O error at `path`, with the usual hint.
    pub fn io(path: &Path, error: std::io::Error) -> Self {
        WriteError {
            path: path.to_path_buf(),
            message: error.to_string(),
            hint: crate::msg!(
                "check that the disk has space and the folder is writable",
                "检查磁盘空间是否足够、文件夹是否可写"
            ),
        }
    }
}
