//! Finds the report files under content/, in a stable order, reporting symbolic-link loops,
//! links that leave the site, files over the size limit and unreadable folders.

use super::names;
use crate::diagnostics::{Diagnostic, Position};
use crate::incremental::parse_cache::Stamp;
use rayon::prelude::*;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// A report file found under content/.
pub struct ReportFile {
    /// Where it is.
    pub path: PathBuf,
    /// How messages name it.
    pub display: PathBuf,
    /// Its size and times when it was found, if they could be read.
    pub stamp: Option<Stamp>,
    /// For a page bundle's `index.md`: the other files of its folder, relative to it (images,
    /// PDFs), published beside the report's page.
    pub resources: Vec<PathBuf>,
}

/// Every `*.md` file under `content_dir`, sorted.
/// Hidden files and editor leftovers (`.#x`, `x~`, `.swp`) are skipped. content/ and the symbolic
/// links in it are followed only when they lead to a visible place inside the site (the folder
/// holding content/); others are errors and are not read. Files over `max_size` bytes are errors,
/// and so are Markdown files whose names are not UTF-8 (they are never skipped in silence).
/// Hugo's section pages (`_index.md`) are skipped with a notice; a page bundle's `index.md`
/// carries the other files of its folder as resources.
pub fn markdown_files(
    content_dir: &Path,
    display_dir: &Path,
    max_size: u64,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ReportFile> {
    let shown = |path: &Path| display_dir.join(path.strip_prefix(content_dir).unwrap_or(path));
    let bounds = SiteBounds::new(content_dir.parent().unwrap_or(Path::new("")), &[]);
    let refused = RefCell::new(Vec::new());
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden(entry.file_name()) {
                return false;
            }
            match bounds.refusal(entry) {
                Some(refusal) => {
                    refused.borrow_mut().push(refused_link(
                        &shown(entry.path()),
                        &refusal,
                        "followed",
                    ));
                    false
                }
                None => true,
            }
        });
    let mut found = Vec::new();
    let mut other_files = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && entry.file_name().to_str().is_none() => {
                let lossy = entry.file_name().to_string_lossy().to_ascii_lowercase();
                if lossy.ends_with(".md") || lossy.ends_with(".markdown") {
                    problems.push(not_utf8_name(&shown(entry.path())));
                }
            }
            Ok(entry) if entry.file_type().is_file() && is_report(entry.path()) => {
                let relative = entry
                    .path()
                    .strip_prefix(content_dir)
                    .unwrap_or(entry.path());
                if names::is_section_page(relative) {
                    problems.push(section_page_skipped(&shown(entry.path())));
                } else {
                    found.push(entry.into_path());
                }
            }
            Ok(entry) if entry.file_type().is_file() && !is_editor_leftover(entry.file_name()) => {
                other_files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(error) => problems.push(walk_error(&error, content_dir, &shown)),
        }
    }
    let mut resources = bundle_resources(content_dir, &found, other_files);
    // Each file's size and stamp, on all cores (one stat each: most of the walk's time).
    let found: Vec<(PathBuf, Vec<PathBuf>)> = found
        .into_iter()
        .map(|path| {
            let own = resources.remove(&path).unwrap_or_default();
            (path, own)
        })
        .collect();
    let checked: Vec<Result<ReportFile, Diagnostic>> = found
        .into_par_iter()
        .map(|(path, resources)| {
            let display = shown(&path);
            let metadata = std::fs::metadata(&path).ok();
            let stamp = metadata.as_ref().map(Stamp::of);
            let size = metadata.map_or(0, |m| m.len());
            if size > max_size {
                return Err(Diagnostic::error(
                    &display,
                    Position::default(),
                    format!("the file is {}, over the {} limit for a report; it was not read", human_size(size), human_size(max_size)),
                )
                .with_hint("move embedded images and attachments to static/ and link them, split the report, or raise `max_file_size` in site.yaml"));
            }
            Ok(ReportFile {
                path,
                display,
                stamp,
                resources,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(checked.len());
    for file in checked {
        match file {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(refused.into_inner());
    files
}

/// Each bundle page of `reports` (a `post/<name>/index.md`) with the files of `other_files` in
/// its folder or below it, relative to that folder, sorted.
fn bundle_resources(
    content_dir: &Path,
    reports: &[PathBuf],
    other_files: Vec<PathBuf>,
) -> std::collections::HashMap<PathBuf, Vec<PathBuf>> {
    let bundles: std::collections::BTreeMap<&Path, &PathBuf> = reports
        .iter()
        .filter(|path| names::is_bundle_page(path.strip_prefix(content_dir).unwrap_or(path)))
        .filter_map(|path| Some((path.parent()?, path)))
        .collect();
    let mut resources: std::collections::HashMap<PathBuf, Vec<PathBuf>> = Default::default();
    for file in other_files {
        // The nearest bundle folder above the file owns it.
        let owner = file
            .ancestors()
            .skip(1)
            .find_map(|folder| bundles.get_key_value(folder));
        if let Some((folder, page)) = owner
            && let Ok(relative) = file.strip_prefix(folder)
        {
            resources
                .entry((*page).clone())
                .or_default()
                .push(relative.to_path_buf());
        }
    }
    for files in resources.values_mut() {
        files.sort();
    }
    resources
}

/// The notice for Hugo's `_index.md`: the text of a list page, not a report.
fn section_page_skipped(shown: &Path) -> Diagnostic {
    Diagnostic::notice(
        shown,
        Position::default(),
        "skipped: `_index.md` is a Hugo section page (the text of a list), not a report",
    )
    .with_hint(
        "to publish its text, make it a report with a `title:` and a `date:` under another name",
    )
}

/// The error for a report whose file name is not UTF-8 (a GBK name copied from an old Windows
/// share): it is reported, never skipped in silence.
fn not_utf8_name(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::default(),
        "the file name is not UTF-8 (probably GBK from an old Windows system); the report was not read",
    )
    .with_hint("rename the file, e.g. `convmv -f gbk -t utf-8 --notest <file>`, or give it an ASCII name")
}

/// The error for a symbolic link at `shown` that leads to `target` outside the site; `not_done`
/// says what gongshi did not do with it (`followed`, `copied`).
fn outside_link(shown: &Path, target: &Path, not_done: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::default(),
        format!(
            "symbolic link to {} outside the site; it was not {not_done}",
            target.display()
        ),
    )
    .with_hint("copy the file or folder into the site instead of linking to it")
}

/// Where the files of a walk may come from: inside the site's real folder, and not from a hidden
/// file or folder in it (`.env`, `.git/`) unless site.yaml's `publish_hidden` names it. Checked
/// for the walked folder itself (`static` may be a link out of the site) and for every link in it.
pub(crate) struct SiteBounds {
    root: Option<PathBuf>,
    publish_hidden: Vec<String>,
}

/// Why a walked entry is not read.
pub(crate) enum Refusal {
    /// It leads outside the site, to this real path.
    Outside(PathBuf),
    /// It leads to a hidden file or folder of the site, with this path in the site.
    Hidden(PathBuf),
}

impl SiteBounds {
    /// The bounds of the site in `root` (an empty path is the current folder); hidden names in
    /// `publish_hidden` (`.well-known`) may be read.
    pub(crate) fn new(root: &Path, publish_hidden: &[String]) -> Self {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        SiteBounds {
            root: std::fs::canonicalize(root).ok(),
            publish_hidden: publish_hidden.to_vec(),
        }
    }

    /// Why `entry` may not be read, if it is the walk's own folder or a symbolic link and leads
    /// outside the site or to a hidden place in it.
    pub(crate) fn refusal(&self, entry: &DirEntry) -> Option<Refusal> {
        if entry.depth() > 0 && !entry.path_is_symlink() {
            return None;
        }
        let root = self.root.as_ref()?;
        let target = std::fs::canonicalize(entry.path()).ok()?;
        let Ok(inside) = target.strip_prefix(root) else {
            return Some(Refusal::Outside(target));
        };
        let hidden = inside.components().any(|part| {
            let name = part.as_os_str().to_string_lossy();
            name.starts_with('.') && !self.publish_hidden.iter().any(|n| *n == name)
        });
        hidden.then(|| Refusal::Hidden(inside.to_path_buf()))
    }

    /// True when a hidden `name` met in a walk may be read (listed in `publish_hidden`).
    pub(crate) fn publishes(&self, name: &std::ffi::OsStr) -> bool {
        let name = name.to_string_lossy();
        !name.starts_with('.') || self.publish_hidden.iter().any(|n| *n == name)
    }
}

/// The error for an entry at `shown` that `refusal` keeps out; `not_done` says what gongshi did
/// not do with it (`followed`, `copied`). The target's contents are never read or echoed.
pub(crate) fn refused_link(shown: &Path, refusal: &Refusal, not_done: &str) -> Diagnostic {
    match refusal {
        Refusal::Outside(target) => outside_link(shown, target, not_done),
        Refusal::Hidden(inside) => Diagnostic::error(
            shown,
            Position::default(),
            format!(
                "symbolic link to the hidden file or folder `{}` of the site; it was not {not_done}",
                inside.display()
            ),
        )
        .with_hint("hidden files (.env, .git) are never published; copy what should be public to a visible file, or name a hidden folder such as .well-known in site.yaml `publish_hidden`"),
    }
}

/// A walking error as a diagnostic: a loop, a broken link, or an unreadable entry.
pub(crate) fn walk_error(
    error: &walkdir::Error,
    content_dir: &Path,
    shown: &impl Fn(&Path) -> PathBuf,
) -> Diagnostic {
    let path = error.path().unwrap_or(content_dir);
    let display = shown(path);
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if error.loop_ancestor().is_some() {
        Diagnostic::error(
            &display,
            Position::default(),
            "symbolic link loop: this link points back to a folder that contains it",
        )
        .with_hint("remove the link or point it elsewhere; it was not followed")
    } else if is_link {
        let reason = error
            .io_error()
            .map_or_else(|| error.to_string(), |e| e.to_string());
        Diagnostic::error(
            &display,
            Position::default(),
            format!("broken symbolic link ({reason}); it was not followed"),
        )
        .with_hint("remove the link or point it at a file inside the site")
    } else {
        Diagnostic::error(
            &display,
            Position::default(),
            format!("cannot read: {error}"),
        )
        .with_hint("check the file's permissions")
    }
}

/// `1.5 MB`, `300 KB` or `12 bytes`, in units of 1024.
fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes * 10 / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_report(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default();
    let lower = name.to_string_lossy().to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown")) && !is_editor_leftover(name)
}

/// Editors' lock and backup files (`.#x`, `x~`, `.x.swp`), never content.
fn is_editor_leftover(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(".#") || name.ends_with('~') || name.ends_with(".swp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_for_people() {
        let cases = [
            (12, "12 bytes"),
            (500 * 1024, "500 KB"),
            (10 * 1024 * 1024, "10 MB"),
            (11 * 1024 * 1024 + 300 * 1024, "11.2 MB"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(human_size(bytes), expected);
        }
    }
}
