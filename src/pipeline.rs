//! Runs a build: load → model → render → output, collecting every problem on the way.

use crate::config::{SiteConfig, load_config};
use crate::content::cache::{ParseCache, fingerprint};
use crate::content::{load_reports, render_bodies};
use crate::diagnostics::{Diagnostic, Position, Severity};
use crate::model::links::check_links;
use crate::model::{Site, build_site};
use crate::output::{OutputLock, Staging};
use crate::render::{render_site, theme::load_templates};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site folder (holds site.yaml and content/).
    pub root: PathBuf,
    /// Output folder; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Overrides site.yaml `base_url`.
    pub base_url: Option<String>,
    /// Include reports marked `draft: true`.
    pub drafts: bool,
}

/// What a finished (or checked) build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem, sorted; the build failed if any is an error.
    pub problems: Vec<Diagnostic>,
    /// Reports built.
    pub reports: usize,
    /// Pages written (0 for a check).
    pub pages: usize,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    /// True when an error was found.
    pub fn failed(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }
}

/// How the site folder is named in messages: `` for the current folder.
fn display_root(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.to_path_buf()
    }
}

/// Loads and models the site, without writing; the first half of every build. Parsed and rendered
/// reports are reused from `cache` (the dev server's) where files did not change.
pub fn load_site_cached(
    options: &BuildOptions,
    report: &mut BuildReport,
    cache: Option<&ParseCache>,
) -> Option<Site> {
    let root = &options.root;
    let shown = display_root(root);
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut config: SiteConfig = load_config(
        &root.join("site.yaml"),
        &shown.join("site.yaml"),
        &mut problems,
    );
    if let Some(url) = &options.base_url {
        config.set_base_url(url);
    }
    if !config.base_url.contains("://") {
        problems.push(
            Diagnostic::warning(&shown.join("site.yaml"), Position::default(), format!("base_url `{}` has no domain, so feed entries and sitemap URLs are not absolute", config.base_url))
                .with_hint("set `base_url: https://your.domain/` in site.yaml (or pass --base-url) before publishing"),
        );
    }
    if let Some(cache) = cache {
        let site_yaml = std::fs::read(root.join("site.yaml")).unwrap_or_default();
        cache.check_config(fingerprint(&(site_yaml, &options.base_url, options.drafts)));
    }
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error(&shown.join("content"), Position::default(), "there is no content/ folder here")
                .with_hint("run gongshi in the site folder, pass --root DIR, or create one with `gongshi init`"),
        );
        report.problems = problems;
        return None;
    }
    let mut loaded = load_reports(
        &content_dir,
        &shown.join("content"),
        &config,
        options.drafts,
        cache,
    );
    problems.extend(loaded.problems);
    report.timings.push(("load", started.elapsed()));
    let started = Instant::now();
    render_bodies(&mut loaded.reports, &config, cache);
    report.timings.push(("markdown", started.elapsed()));
    let started = Instant::now();
    let (site, model_problems) = build_site(config, loaded.reports);
    problems.extend(model_problems);
    report.timings.push(("model", started.elapsed()));
    report
        .timings
        .push(("related (in model)", site.related_time));
    report.reports = site.reports.len();
    report.problems = problems;
    Some(site)
}

/// Checks everything a build would, and every link and image in the reports; writes nothing.
pub fn check(options: &BuildOptions) -> BuildReport {
    let (loaded, mut report) = load_in_memory(options, None);
    if let Some(LoadedSite { site, plan, .. }) = loaded {
        let files = crate::render::known_files(&site, &plan, &options.root);
        report
            .problems
            .extend(check_links(&site, &files, Severity::Error));
    }
    finish(report)
}

/// A site loaded into memory with its templates and job plan, ready to render any page (serve).
pub struct LoadedSite {
    /// The model.
    pub site: Site,
    /// The templates.
    pub tera: tera::Tera,
    /// Every job and the alias redirects.
    pub plan: crate::render::Plan,
}

/// Loads everything a build would, without rendering or writing; errors come back in the report.
pub fn load_in_memory(
    options: &BuildOptions,
    cache: Option<&ParseCache>,
) -> (Option<LoadedSite>, BuildReport) {
    let mut report = BuildReport::default();
    let Some(site) = load_site_cached(options, &mut report, cache) else {
        return (None, finish(report));
    };
    let tera = match load_templates(
        &options.root,
        &display_root(&options.root),
        &site.config.theme,
    ) {
        Ok(tera) => tera,
        Err(problems) => {
            report.problems.extend(problems);
            return (None, finish(report));
        }
    };
    report
        .problems
        .extend(crate::render::theme::static_link_problems(
            &options.root,
            &display_root(&options.root),
            &site.config.theme,
        ));
    let plan = match crate::render::plan(&site) {
        Ok(plan) => plan,
        Err(problems) => {
            report.problems.extend(problems);
            return (None, finish(report));
        }
    };
    let report = finish(report);
    if report.failed() {
        return (None, report);
    }
    (Some(LoadedSite { site, tera, plan }), report)
}

/// Builds the site into the output folder; on any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| display_root(&options.root).join("public"));
    if let Some(problem) = unsafe_output(&options.root, &output) {
        report.problems.push(problem);
        return finish(report);
    }
    let (loaded, loaded_report) = load_in_memory(options, None);
    report.problems.extend(loaded_report.problems);
    report.timings.extend(loaded_report.timings);
    report.reports = loaded_report.reports;
    let Some(LoadedSite { site, tera, plan }) = loaded else {
        return finish(report);
    };
    let files = crate::render::known_files(&site, &plan, &options.root);
    report
        .problems
        .extend(check_links(&site, &files, Severity::Warning));
    let _lock = match OutputLock::acquire(&output, || {
        eprintln!(
            "another gongshi build is writing {}; waiting for it to finish…",
            output.display()
        )
    }) {
        Ok(lock) => lock,
        Err(error) => {
            report.problems.push(
                Diagnostic::error(&error.path, Position::default(), error.message)
                    .with_hint(error.hint),
            );
            return finish(report);
        }
    };
    let staging = match Staging::begin(&output, site.config.minify) {
        Ok(staging) => staging,
        Err(error) => {
            report.problems.push(
                Diagnostic::error(&error.path, Position::default(), error.message)
                    .with_hint(error.hint),
            );
            return finish(report);
        }
    };
    let bar: std::sync::OnceLock<crate::progress::Progress> = std::sync::OnceLock::new();
    let progress = |total: Option<usize>| match total {
        Some(total) => {
            let _ = bar.set(crate::progress::Progress::new(total));
        }
        None => {
            if let Some(bar) = bar.get() {
                bar.tick();
            }
        }
    };
    let search_started = Instant::now();
    let mut site = site;
    match crate::render::write_search_index(&site, &staging) {
        Ok(files) => report.pages += files,
        Err(problem) => {
            report.problems.push(problem);
            return finish(report);
        }
    }
    site.drop_search_text();
    report
        .timings
        .push(("search index", search_started.elapsed()));
    let started = Instant::now();
    let rendered = render_site(&site, &tera, &plan, &options.root, &staging, &progress);
    if let Some(bar) = bar.get() {
        bar.finish();
    }
    match rendered {
        Ok(files) => report.pages += files,
        Err(problems) => {
            report.problems.extend(problems);
            return finish(report);
        }
    }
    report.timings.push(("render + write", started.elapsed()));
    let started = Instant::now();
    if let Err(error) = staging.commit() {
        report.problems.push(
            Diagnostic::error(
                &error.path,
                Position::default(),
                format!("cannot move the new build into place: {}", error.message),
            )
            .with_hint(error.hint),
        );
    }
    report.timings.push(("swap", started.elapsed()));
    finish(report)
}

/// Sorts problems so output is deterministic.
fn finish(mut report: BuildReport) -> BuildReport {
    let collected = crate::diagnostics::Diagnostics::new();
    collected.extend(std::mem::take(&mut report.problems));
    report.problems = collected.into_sorted();
    report
}

/// Refuses an output folder that is the site itself, contains it, or is inside content/.
fn unsafe_output(root: &Path, output: &Path) -> Option<Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize_lexically(&joined)
    };
    let root = absolute(root);
    let output = absolute(output);
    let content = root.join("content");
    let refuse = output == root
        || root.starts_with(&output)
        || output.starts_with(&content)
        || output.parent().is_none();
    refuse.then(|| {
        Diagnostic::error(&output, Position::default(), "refusing to build into this folder: it is the site, contains it, or lies inside content/")
            .with_hint("choose an output folder of its own, e.g. --output public")
    })
}

/// Removes `.` and `..` components without touching the disk.
fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
