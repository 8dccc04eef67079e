//! Finds the report files under content/, in a stable order, reporting loops and unreadable folders.

use crate::diagnostics::{Diagnostic, Position};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Every `*.md` file under `content_dir` as (real path, path shown in messages), sorted.
/// Hidden files and editor leftovers (`.#x`, `x~`, `.swp`) are skipped.
pub fn markdown_files(
    content_dir: &Path,
    display_dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, PathBuf)> {
    let mut files = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_report(entry.path()) => {
                let relative = entry
                    .path()
                    .strip_prefix(content_dir)
                    .unwrap_or(entry.path());
                files.push((entry.path().to_path_buf(), display_dir.join(relative)));
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(content_dir);
                let relative = path.strip_prefix(content_dir).unwrap_or(path);
                let display = display_dir.join(relative);
                let diagnostic = if error.loop_ancestor().is_some() {
                    Diagnostic::error(
                        &display,
                        Position::default(),
                        "symbolic link loop: this link points back to a folder that contains it",
                    )
                    .with_hint("remove the link or point it elsewhere; it was not followed")
                } else {
                    Diagnostic::error(
                        &display,
                        Position::default(),
                        format!("cannot read: {error}"),
                    )
                    .with_hint("check the file's permissions")
                };
                problems.push(diagnostic);
            }
        }
    }
    files
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_report(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown"))
        && !name.starts_with(".#")
        && !name.ends_with('~')
}
