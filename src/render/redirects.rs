//! Redirect pages for `aliases:`: old URLs that lead to a report after a migration.

use super::Generated;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::slug::is_portable_name;
use std::collections::BTreeMap;
use std::path::Path;

/// One redirect: the file to write and the report it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// Site-relative file (`old/page.html` or `old/path/index.html`).
    pub file: String,
    /// Index of the target report.
    pub report: usize,
}

/// Every alias as a redirect file, checked: an alias must stay inside the output, and may not
/// collide with a generated file (a page, a feed, the sitemap, a file of the search index or the
/// open data, another edition) or with another alias: every output file has one producer.
pub fn redirects(site: &Site, generated: &Generated) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    let mut list = Vec::new();
    for (index, report) in site.reports.iter().enumerate() {
        let position = report.meta.aliases_position;
        for alias in &report.meta.aliases {
            let Some(file) = alias_file(alias) else {
                problems.push(
                    Diagnostic::error(
                        &report.path,
                        position,
                        crate::msg!(
                            "alias `{alias}` is not a path inside the site",
                            "别名 `{alias}` 不是站内路径"
                        ),
                    )
                    .with_hint(crate::msg!(
                        "write the old path under the site root, e.g. `aliases: [/old/2020/fagaiwei.html]`; no `..`, `\\`, `?`, `:` or `http://`",
                        "写站点根目录下的旧路径，例如 `aliases: [/old/2020/fagaiwei.html]`；不要含 `..`、`\\`、`?`、`:` 或 `http://`"
                    )),
                );
                continue;
            };
            if let Some(owner) = generated.owner(&file) {
                problems.push(
                    Diagnostic::error(
                        &report.path,
                        position,
                        crate::msg!(
                            "alias `{alias}` would overwrite {owner}, which gongshi writes at /{file}",
                            "别名 `{alias}` 会覆盖 gongshi 生成在 /{file} 的{owner}"
                        ),
                    )
                    .with_hint(crate::msg!(
                        "remove the alias: that address already shows something, and a redirect there would replace it",
                        "删掉这个别名：那个地址已有内容，在那里放跳转会把它替换掉"
                    )),
                );
            } else if let Some(&other) = claimed.get(&super::collision_key(&file)) {
                let other_path = site.reports[other].path.display().to_string();
                problems.push(
                    Diagnostic::error(
                        &report.path,
                        position,
                        crate::msg!(
                            "alias `{alias}` is also an alias of {other_path}",
                            "别名 `{alias}` 也是 {other_path} 的别名"
                        ),
                    )
                    .with_hint(crate::msg!(
                        "an old URL can redirect to one report only; remove it from one of the two files",
                        "一个旧网址只能跳转到一篇报告；从两个文件之一中删掉它"
                    )),
                );
            } else {
                claimed.insert(super::collision_key(&file), index);
                list.push(Redirect {
                    file,
                    report: index,
                });
            }
        }
    }
    (list, problems)
}

/// The file an alias is written to, or `None` if it would leave the output folder.
pub fn alias_file(alias: &str) -> Option<String> {
    let trimmed = alias.trim();
    if trimmed.contains("://")
        || trimmed.contains('\\')
        || trimmed.contains('\0')
        || trimmed.starts_with("//")
    {
        return None;
    }
    let path = trimmed.trim_start_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty()
        || segments
            .iter()
            .any(|s| *s == "." || *s == ".." || !is_portable_name(s))
    {
        return None;
    }
    if segments.iter().any(|s| s.starts_with('.'))
        || segments
            .iter()
            .any(|s| s.eq_ignore_ascii_case("web.config"))
        || (segments.len() == 1 && is_server_index(segments[0]))
    {
        return None;
    }
    let joined = segments.join("/");
    let last = segments[segments.len() - 1];
    if !path.ends_with('/') && Path::new(last).extension().is_some() {
        Some(joined)
    } else {
        Some(format!("{joined}/index.html"))
    }
}

/// Names a web server may serve for the site root before `index.html` (IIS, Apache, Nginx
/// configurations differ): an alias there would take over the home page.
fn is_server_index(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    let (stem, extension) = lower.rsplit_once('.').unwrap_or((&lower, ""));
    matches!(stem, "index" | "default" | "home")
        && matches!(
            extension,
            "htm" | "html" | "php" | "asp" | "aspx" | "jsp" | "shtml" | "cgi"
        )
}

#[cfg(test)]
mod tests {
    use super::alias_file;

    #[test]
    fn alias_files_table() {
        let cases = [
            ("/old/2020/a.html", Some("old/2020/a.html")),
            ("old/path/", Some("old/path/index.html")),
            ("/old/path", Some("old/path/index.html")),
            ("/show.php", Some("show.php")),
            ("../escape.html", None),
            ("/a/../../b", None),
            ("https://x.cn/a", None),
            ("//x.cn/a", None),
            ("a\\b", None),
            ("/", None),
            ("/con.html", None),
            ("/COM1/x", None),
            ("/show.php?id=3", None),
            ("/a\u{1}b/", None),
            ("/C:/x", None),
            ("/老网站/报告.html", Some("老网站/报告.html")),
            ("/.htaccess", None),
            ("/old/.git/config", None),
            ("/web.config", None),
            ("/old/Web.Config", None),
            ("/index.htm", None),
            ("/Default.aspx", None),
            ("/index.php", None),
            ("/old/index.php", Some("old/index.php")),
        ];
        for (alias, expected) in cases {
            assert_eq!(alias_file(alias).as_deref(), expected, "{alias}");
        }
    }
}
