//! Finds the report files under content/, in a stable order, reporting symbolic-link loops,
//! links that leave the site, files over the size limit and unreadable folders.

use super::names;
use crate::diagnostics::{Diagnostic, Position};
use crate::incremental::stamp::Stamp;
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
                    crate::msg!(
                        "the file is {}, over the {} limit for a report; it was not read",
                        "文件大小 {}，超过报告的上限 {}；没有读取",
                        human_size(size),
                        human_size(max_size)
                    ),
                )
                .with_hint(crate::msg!(
                    "move embedded images and attachments to static/ and link them, split the report, or raise `max_file_size` in site.yaml",
                    "把嵌入的图片和附件移到 static/ 并用链接引用，或拆分报告，或在 site.yaml 中调大 `max_file_size`"
                )));
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
        crate::msg!(
            "skipped: `_index.md` is a Hugo section page (the text of a list), not a report",
            "已跳过：`_index.md` 是 Hugo 的栏目页（列表页的说明文字），不是报告"
        ),
    )
    .with_hint(crate::msg!(
        "to publish its text, make it a report with a `title:` and a `date:` under another name",
        "要发布其中的文字，请换个文件名，写上 `title:` 和 `date:`，做成一篇报告"
    ))
}

/// The error for a report whose file name is not UTF-8 (a GBK name copied from an old Windows
/// share): it is reported, never skipped in silence.
fn not_utf8_name(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::default(),
        crate::msg!(
            "the file name is not UTF-8 (probably GBK from an old Windows system); the report was not read",
            "文件名不是 UTF-8 编码（可能是旧 Windows 系统的 GBK）；没有读取这篇报告"
        ),
    )
    .with_hint(crate::msg!(
        "rename the file, e.g. `convmv -f gbk -t utf-8 --notest <file>`, or give it an ASCII name",
        "重命名文件，例如 `convmv -f gbk -t utf-8 --notest <文件>`，或改用英文文件名"
    ))
}

/// The error for a symbolic link at `shown` that leads to `target` outside the site; `not_done`
/// says what gongshi did not do with it (`followed`, `copied`).
fn outside_link(shown: &Path, target: &Path, not_done: &str) -> Diagnostic {
    Diagnostic::error(
        shown,
        Position::default(),
        crate::msg!(
            "symbolic link to {} outside the site; it was not {}",
            "符号链接指向站点之外的 {}；没有{}",
            target.display(),
            action_word(not_done)
        ),
    )
    .with_hint(crate::msg!(
        "copy the file or folder into the site instead of linking to it",
        "把文件或文件夹复制到站点里，不要用链接"
    ))
}

/// What was not done with a refused link (`followed`, `copied`), in the message language.
fn action_word(not_done: &str) -> &str {
    match (not_done, crate::lang::chinese()) {
        ("followed", true) => "跟随读取",
        ("copied", true) => "复制",
        _ => not_done,
    }
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
            crate::msg!(
                "symbolic link to the hidden file or folder `{}` of the site; it was not {}",
                "符号链接指向站点中的隐藏文件或文件夹 `{}`；没有{}",
                inside.display(),
                action_word(not_done)
            ),
        )
        .with_hint(crate::msg!(
            "hidden files (.env, .git) are never published; copy what should be public to a visible file, or name a hidden folder such as .well-known in site.yaml `publish_hidden`",
            "隐藏文件（.env、.git）从不发布；要公开的内容请复制到不以点开头的文件中，或在 site.yaml 的 `publish_hidden` 中列出 .well-known 这样的隐藏文件夹"
        )),
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
            crate::msg!(
                "symbolic link loop: this link points back to a folder that contains it",
                "符号链接成环：这个链接指回包含它的文件夹"
            ),
        )
        .with_hint(crate::msg!(
            "remove the link or point it elsewhere; it was not followed",
            "删除这个链接或让它指向别处；没有跟随读取"
        ))
    } else if is_link {
        let reason = error
            .io_error()
            .map_or_else(|| error.to_string(), |e| e.to_string());
        Diagnostic::error(
            &display,
            Position::default(),
            crate::msg!(
                "broken symbolic link ({reason}); it was not followed",
                "符号链接已失效（{reason}）；没有跟随读取"
            ),
        )
        .with_hint(crate::msg!(
            "remove the link or point it at a file inside the site",
            "删除这个链接，或让它指向站点内的文件"
        ))
    } else {
        Diagnostic::error(
            &display,
            Position::default(),
            crate::msg!("cannot read: {error}", "无法读取：{error}"),
        )
        .with_hint(crate::msg!(
            "check the file's permissions",
            "检查文件的读取权限"
        ))
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
        crate::msg!("{bytes} bytes", "{bytes} 字节")
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// True for a report file's name (`.md`, `.markdown`), never an editor's lock or backup file.
pub fn is_report(path: &Path) -> bool {
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
