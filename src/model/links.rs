//! Checks the links and images written in reports: other reports (by file or URL), `#anchors`,
//! and files the site publishes. Each broken one is reported at its file and line.

use crate::content::{Report, lexical_join};
use crate::diagnostics::{Diagnostic, Position, Severity};
use crate::model::Site;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Every broken link and image of every report. `files` are the site-relative files the build
/// produces (pages as `…/index.html`, static files, feeds…).
pub fn check_links(site: &Site, files: &BTreeSet<String>, severity: Severity) -> Vec<Diagnostic> {
    let by_file: HashMap<&Path, usize> = site
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.content_path.as_path(), i))
        .collect();
    let by_page: HashMap<String, usize> = site
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("{}index.html", r.url_path), i))
        .collect();
    let base = site.config.base_path();
    let mut problems = Vec::new();
    for report in &site.reports {
        for link in report.body.links.iter().filter(|link| link.no_alt) {
            let position = Position::new(report.body_first_line + link.line - 1, 0);
            problems.push(
                Diagnostic::warning(
                    &report.path,
                    position,
                    crate::msg!(
                        "image `{}` has no alt text: screen readers announce nothing for it",
                        "图片 `{}` 没有替代文字：读屏软件读不出它的内容",
                        link.target
                    ),
                )
                .with_hint(crate::msg!(
                    "describe the picture inside the brackets, e.g. `![评议组走访区政务服务中心](/files/photo.jpg)`",
                    "在方括号里描述图片，例如 `![评议组走访区政务服务中心](/files/photo.jpg)`"
                )),
            );
        }
        for link in &report.body.links {
            let Some(message) = problem(
                report,
                &link.target,
                link.image,
                site,
                &by_file,
                &by_page,
                files,
                &base,
            ) else {
                continue;
            };
            let position = Position::new(report.body_first_line + link.line - 1, 0);
            let target = &link.target;
            let message = match (link.image, crate::lang::chinese()) {
                (true, false) => format!("broken image `{target}`: {message}"),
                (false, false) => format!("broken link `{target}`: {message}"),
                (true, true) => format!("图片 `{target}` 无效：{message}"),
                (false, true) => format!("链接 `{target}` 无效：{message}"),
            };
            let mut diagnostic = Diagnostic::error(&report.path, position, message).with_hint(
                crate::msg!(
                    "links to other reports may use their file (`../2020/a.md#一`) or URL (`/reports/a/`); files must be in static/",
                    "链接到其他报告可以写文件（`../2020/a.md#一`）或网址（`/reports/a/`）；附件必须放在 static/ 中"
                ),
            );
            diagnostic.severity = severity;
            problems.push(diagnostic);
        }
    }
    problems
}

#[allow(clippy::too_many_arguments)]
fn problem(
    report: &Report,
    target: &str,
    image: bool,
    site: &Site,
    by_file: &HashMap<&Path, usize>,
    by_page: &HashMap<String, usize>,
    files: &BTreeSet<String>,
    base: &str,
) -> Option<String> {
    let lower = target.to_ascii_lowercase();
    if crate::content::markdown::is_script_url(target) {
        return Some(crate::msg!(
            "script URLs are removed from the page",
            "脚本网址会从页面中删除"
        ));
    }
    if target.contains("://")
        || ["mailto:", "tel:", "data:", "//"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let path = percent_encoding::percent_decode_str(path.split('?').next().unwrap_or(path))
        .decode_utf8_lossy()
        .into_owned();
    let anchor = anchor.map(|a| {
        percent_encoding::percent_decode_str(a)
            .decode_utf8_lossy()
            .into_owned()
    });
    if path.is_empty() {
        return anchor.and_then(|a| missing_anchor(report, &a));
    }
    if !image && lower.split('#').next().unwrap_or_default().ends_with(".md") {
        let folder = report.content_path.parent().unwrap_or(Path::new(""));
        let Some(&target) = by_file.get(lexical_join(folder, &path).as_path()) else {
            return Some(crate::msg!(
                "there is no such report in content/",
                "content/ 中没有这篇报告"
            ));
        };
        return anchor.and_then(|a| missing_anchor(&site.reports[target], &a));
    }
    let site_path = if let Some(rooted) = path.strip_prefix(base) {
        rooted.to_string()
    } else if let Some(rooted) = path.strip_prefix('/') {
        rooted.to_string()
    } else {
        lexical_join(&PathBuf::from(&report.url_path), &path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let site_path = lexical_join(Path::new(""), &site_path)
        .to_string_lossy()
        .replace('\\', "/");
    let candidates = if site_path.is_empty() {
        vec!["index.html".to_string()]
    } else {
        vec![site_path.clone(), format!("{site_path}/index.html")]
    };
    let Some(found) = candidates.iter().find(|c| files.contains(c.as_str())) else {
        return Some(crate::msg!(
            "the site has no file /{site_path}",
            "站点中没有文件 /{site_path}"
        ));
    };
    match (by_page.get(found.as_str()), anchor) {
        (Some(&target), Some(anchor)) => missing_anchor(&site.reports[target], &anchor),
        _ => None,
    }
}

/// A message when `report` has no heading or footnote with the id `anchor`.
fn missing_anchor(report: &Report, anchor: &str) -> Option<String> {
    if anchor.is_empty()
        || anchor.starts_with("fn-")
        || report.body.toc.iter().any(|h| h.id == anchor)
    {
        return None;
    }
    let known: Vec<String> = report
        .body
        .toc
        .iter()
        .take(5)
        .map(|h| format!("#{}", h.id))
        .collect();
    Some(if known.is_empty() {
        crate::msg!(
            "{} has no headings to link to",
            "{} 没有可链接的标题",
            report.path.display()
        )
    } else {
        format!(
            "{} has no heading `#{anchor}` (it has {})",
            report.path.display(),
            known.join(", ")
        )
    })
}
