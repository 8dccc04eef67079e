//! Templates and theme files: the default theme embedded in the binary, overridden file by file
//! by the site's `themes/<name>/`.

use crate::config::SiteConfig;
use crate::content::walk::{SiteBounds, refused_link, walk_error};
use crate::diagnostics::{Diagnostic, Position};
use crate::script::Converter;
use include_dir::{Dir, include_dir};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;
use walkdir::WalkDir;

/// The default theme, compiled in.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Template files: name → (text, where it came from, for messages).
type Sources = BTreeMap<String, (String, PathBuf)>;

/// Builds the template engine: embedded templates, then the site theme's templates on top. With
/// `script`, the templates' own text (navigation, labels) is converted for a variant edition;
/// only Han characters change, so Tera syntax and HTML are untouched.
/// Also returns a fingerprint of the templates' text (pages depend on it).
pub fn load_templates(
    root: &Path,
    display_root: &Path,
    theme: &str,
    script: Option<&Converter>,
) -> Result<(Tera, u64), Vec<Diagnostic>> {
    let mut sources: Sources = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        for file in dir.files() {
            let name = file.path().strip_prefix("templates").unwrap_or(file.path());
            let text = file.contents_utf8().unwrap_or_default().to_string();
            sources.insert(
                name.to_string_lossy().into_owned(),
                (text, PathBuf::from("(built-in theme)").join(file.path())),
            );
        }
    }
    let mut problems = Vec::new();
    let theme_dir = root.join("themes").join(theme);
    if theme != "default" && !theme_dir.is_dir() {
        problems.push(
            Diagnostic::error(
                &display_root.join("site.yaml"),
                Position::default(),
                crate::msg!(
                    "theme `{theme}` not found: there is no folder themes/{theme}/",
                    "找不到主题 `{theme}`：没有 themes/{theme}/ 文件夹"
                ),
            )
            .with_hint(crate::msg!(
                "create it, or remove the `theme:` line to use the built-in theme",
                "建立这个文件夹，或删掉 `theme:` 这一行以使用内置主题"
            )),
        );
        return Err(problems);
    }
    let templates_dir = theme_dir.join("templates");
    let shown_templates = display_root.join("themes").join(theme).join("templates");
    let templates = walk_static(&templates_dir, root, &[], |mut problem| {
        let relative = problem
            .path
            .strip_prefix(&templates_dir)
            .unwrap_or(&problem.path);
        problem.path = shown_templates.join(relative);
        problems.push(problem);
    });
    for (path, relative) in templates {
        let display = display_root
            .join("themes")
            .join(theme)
            .join("templates")
            .join(&relative);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                sources.insert(
                    relative.to_string_lossy().replace('\\', "/"),
                    (text, display),
                );
            }
            Err(error) => problems.push(Diagnostic::error(
                &display,
                Position::default(),
                crate::msg!("cannot read the template: {error}", "无法读取模板：{error}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let templates: Vec<(String, String)> = sources
        .iter()
        .map(|(name, (text, _))| {
            let text = script.map_or_else(|| text.clone(), |c| c.convert(text));
            (name.clone(), compact(&text))
        })
        .collect();
    let fingerprint = crate::incremental::fingerprint(&templates);
    if let Err(error) = tera.add_raw_templates(templates) {
        let message = error_chain(&error);
        let culprit = sources
            .iter()
            .find(|(name, _)| message.contains(name.as_str()))
            .map_or_else(
                || display_root.join("themes"),
                |(_, (_, path))| path.clone(),
            );
        problems.push(
            Diagnostic::error(
                &culprit,
                Position::default(),
                crate::msg!("template error: {message}", "模板有错：{message}"),
            )
            .with_hint(crate::msg!(
                "fix the template syntax; see the README section on themes",
                "修改模板语法；参见 README 中关于主题的一节和 docs/theme-api.md"
            )),
        );
        return Err(problems);
    }
    Ok((tera, fingerprint))
}

/// The template text without the indentation at the start of each line (except inside `<pre>`
/// and `<textarea>`), so pages come out compact without a minifier. Lines are kept, so template
/// errors still point at the right line.
fn compact(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut verbatim = false;
    for line in template.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        out.push_str(if verbatim {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        });
        let opens = lower.rfind("<pre").max(lower.rfind("<textarea"));
        let closes = lower.rfind("</pre").max(lower.rfind("</textarea"));
        if opens.is_some() || closes.is_some() {
            verbatim = opens > closes;
        }
    }
    out
}

/// A Tera error with its causes, on one line each.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// Static files to copy, in order: built-in theme, site theme, site `static/` (later wins).
pub fn static_files(root: &Path, config: &SiteConfig) -> Vec<(String, StaticSource)> {
    let mut files: BTreeMap<String, StaticSource> = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("static") {
        collect_embedded(dir, &mut files);
    }
    for folder in static_folders(root, &config.theme) {
        for (path, relative) in walk_static(&folder, root, &config.publish_hidden, |_| {}) {
            files.insert(
                relative.to_string_lossy().replace('\\', "/"),
                StaticSource::Disk(path),
            );
        }
    }
    files.into_iter().collect()
}

/// Where a static file's bytes come from.
pub enum StaticSource {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// On disk.
    Disk(PathBuf),
}

fn collect_embedded(dir: &'static Dir<'static>, files: &mut BTreeMap<String, StaticSource>) {
    for file in dir.files() {
        let relative = file.path().strip_prefix("static").unwrap_or(file.path());
        files.insert(
            relative.to_string_lossy().replace('\\', "/"),
            StaticSource::Embedded(file.contents()),
        );
    }
    for sub in dir.dirs() {
        collect_embedded(sub, files);
    }
}

/// Symbolic links in the theme's and the site's `static/` (or those folders themselves) that leave
/// the site, lead to a hidden file of it, loop or dangle:
/// one error each (they are not copied). `display_root` names the site folder in messages.
pub fn static_link_problems(
    root: &Path,
    display_root: &Path,
    config: &SiteConfig,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for folder in static_folders(root, &config.theme) {
        let shown = display_root.join(folder.strip_prefix(root).unwrap_or(&folder));
        walk_static(&folder, root, &config.publish_hidden, |mut problem| {
            let relative = problem.path.strip_prefix(&folder).unwrap_or(&problem.path);
            problem.path = shown.join(relative);
            problems.push(problem);
        });
    }
    problems
}

/// The site's static folders, in copy order (later wins).
fn static_folders(root: &Path, theme: &str) -> [PathBuf; 2] {
    [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ]
}

/// Walks a static folder, following links that stay inside `root` and handing every refused
/// entry (a link outside the site or to a hidden file of it, a loop, a broken link) to
/// `refused`, with its path under `folder`. Hidden files and folders (`.git/`, `.env`) are not
/// copied unless `publish_hidden` names them.
fn walk_static(
    folder: &Path,
    root: &Path,
    publish_hidden: &[String],
    mut refused: impl FnMut(Diagnostic),
) -> Vec<(PathBuf, PathBuf)> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let bounds = SiteBounds::new(root, publish_hidden);
    let outside = RefCell::new(Vec::new());
    let walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && !bounds.publishes(entry.file_name()) {
                return false;
            }
            match bounds.refusal(entry) {
                Some(refusal) => {
                    outside
                        .borrow_mut()
                        .push(refused_link(entry.path(), &refusal, "copied"));
                    false
                }
                None => true,
            }
        });
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let relative = e
                    .path()
                    .strip_prefix(folder)
                    .unwrap_or(e.path())
                    .to_path_buf();
                let portable = relative.components().all(|part| {
                    part.as_os_str()
                        .to_str()
                        .is_some_and(crate::slug::is_portable_name)
                });
                if portable {
                    files.push((e.path().to_path_buf(), relative));
                } else {
                    refused(
                        Diagnostic::error(
                            e.path(),
                            Position::default(),
                            crate::msg!(
                                "this file name cannot be published on every web server (it holds `\\`, a control character, `< > : \" | ? *`, is a Windows device name or is not UTF-8); it was not copied",
                                "这个文件名不能在所有网站服务器上发布（含有 `\\`、控制字符、`< > : \" | ? *`，是 Windows 设备名，或不是 UTF-8）；没有复制"
                            ),
                        )
                        .with_hint(crate::msg!(
                            "rename the file with letters, digits, `-`, `_` and `.`",
                            "用字母、数字、`-`、`_` 和 `.` 重命名文件"
                        )),
                    );
                }
            }
            Ok(_) => {}
            Err(error) => refused(walk_error(&error, folder, &|p: &Path| p.to_path_buf())),
        }
    }
    for problem in outside.into_inner() {
        refused(problem);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_drops_indentation_but_keeps_lines_and_pre() {
        let template =
            "<ul>\n    <li>{{ a }}</li>\n\t</ul>\n<pre>\n  code\n    more</pre>\n  <p>x</p>\n";
        assert_eq!(
            compact(template),
            "<ul>\n<li>{{ a }}</li>\n</ul>\n<pre>\n  code\n    more</pre>\n<p>x</p>\n"
        );
    }
}
