//! Runs a build: load → model → render → output, collecting every problem on the way.

use crate::config::{SiteConfig, load_config};
use crate::content::parse_cache::ParseCache;
use crate::content::store::ReportStore;
use crate::content::{load_reports, render_bodies};
use crate::diagnostics::{Diagnostic, Position, Severity};
use crate::incremental::CACHE_DIR;
use crate::incremental::manifest::Manifest;
use crate::incremental::session::{Session, not_saved, output_settings, parse_settings};
use crate::model::links::check_links;
use crate::model::variant::variant_site;
use crate::model::{Site, build_site};
use crate::output::{MARKER, OutputLock, Staging};
use crate::render::search::IndexState;
use crate::render::sink::WriteError;
use crate::render::{render_site, theme::load_templates};
use std::collections::HashMap;
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
    /// Neither read nor write the build cache (`.gongshi-cache/`): a clean build.
    pub no_cache: bool,
    /// Access logs or view-count CSV files given with `--views` (beside site.yaml `views`).
    pub views: Vec<PathBuf>,
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
    /// Things the user should know that are not problems (a discarded build cache).
    pub notices: Vec<String>,
    /// Reports reused from the build cache instead of parsed.
    pub reused: usize,
    /// Of those, the reports whose files were not even read: size and times were unchanged.
    pub unread: usize,
    /// Output files the previous build left as they are.
    pub unchanged: usize,
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

/// Files parsed in this build (not reused from the build cache): path under content/ → hash of
/// the bytes and warnings.
type Fresh = std::collections::HashMap<PathBuf, (u64, Vec<Diagnostic>)>;

/// Related lists with the fingerprint of the inputs they were computed from.
type RelatedLists = (u64, Vec<crate::model::Related>);

/// Where parsed reports may be reused from: the dev server's memory, or the build cache.
#[derive(Clone, Copy, Default)]
pub struct Reuse<'a> {
    /// The dev server's cache, keyed by file stamps.
    pub serve: Option<&'a ParseCache>,
    /// The build cache, keyed by file contents.
    pub store: Option<&'a ReportStore>,
    /// Related lists from the previous build, with the fingerprint of their inputs.
    pub related: Option<&'a RelatedLists>,
}

/// Loads and models the site, without writing; the first half of every build. Parsed and rendered
/// reports are reused from `reuse` where files did not change.
pub fn load_site_cached(
    options: &BuildOptions,
    report: &mut BuildReport,
    reuse: Reuse,
) -> Option<(Site, Fresh)> {
    let cache = reuse.serve;
    let mut problems = Vec::new();
    let config = read_config(options, &mut problems);
    if let Some(cache) = cache {
        cache.check_config(crate::content::parse_cache::parse_key(&config));
    }
    let Some(loaded) = read_reports(options, &config, reuse, report, &mut problems) else {
        report.problems = problems;
        return None;
    };
    let site = model(
        options,
        config,
        loaded.reports,
        reuse,
        report,
        &mut problems,
    );
    if reuse.store.is_some() {
        report.reused = site
            .reports
            .iter()
            .filter(|r| r.source_hash.is_none())
            .count();
        report.unread = loaded.unread;
    }
    report.problems = problems;
    Some((site, loaded.fresh))
}

/// Reads and renders the reports under content/ (reusing what `reuse` holds); `None` without
/// a content/ folder.
fn read_reports(
    options: &BuildOptions,
    config: &SiteConfig,
    reuse: Reuse,
    report: &mut BuildReport,
    problems: &mut Vec<Diagnostic>,
) -> Option<crate::content::Loaded> {
    let (cache, shown) = (reuse.serve, display_root(&options.root));
    let started = Instant::now();
    let content_dir = options.root.join("content");
    if !content_dir.is_dir() {
        problems.push(no_content_folder(&shown));
        return None;
    }
    let mut loaded = load_reports(
        &content_dir,
        &shown.join("content"),
        config,
        options.drafts,
        cache,
        reuse.store,
    );
    problems.append(&mut loaded.problems);
    report.timings.push(("load", started.elapsed()));
    let started = Instant::now();
    render_bodies(&mut loaded.reports, config, cache);
    report.timings.push(("markdown", started.elapsed()));
    Some(loaded)
}

/// site.yaml with the command line's overrides, and a warning for a `base_url` without a domain.
fn read_config(options: &BuildOptions, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let shown = display_root(&options.root);
    let mut config: SiteConfig = load_config(
        &options.root.join("site.yaml"),
        &shown.join("site.yaml"),
        problems,
    );
    if let Some(url) = &options.base_url {
        config.set_base_url(url);
    }
    if !config.base_url.contains("://") {
        problems.push(
            Diagnostic::warning(
                &shown.join("site.yaml"),
                Position::default(),
                crate::msg!(
                    "base_url `{}` has no domain, so feed entries and sitemap URLs are not absolute",
                    "base_url `{}` 没有域名，订阅和站点地图中的网址不是完整网址",
                    config.base_url
                ),
            )
            .with_hint(crate::msg!(
                "set `base_url: https://your.domain/` in site.yaml (or pass --base-url) before publishing",
                "发布前在 site.yaml 中设置 `base_url: https://你的域名/`（或用 --base-url 指定）"
            )),
        );
    }
    config
}

/// The error for a site folder without content/.
fn no_content_folder(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        &shown.join("content"),
        Position::default(),
        crate::msg!(
            "there is no content/ folder here",
            "这里没有 content/ 文件夹"
        ),
    )
    .with_hint(crate::msg!(
        "run gongshi in the site folder, pass --root DIR, or create one with `gongshi init`",
        "在站点文件夹中运行 gongshi，或用 --root 指定站点文件夹，或用 `gongshi init` 新建一个"
    ))
}

/// Models the loaded reports, with their related lists and view counts.
fn model(
    options: &BuildOptions,
    config: SiteConfig,
    reports: Vec<crate::content::Report>,
    reuse: Reuse,
    report: &mut BuildReport,
    problems: &mut Vec<Diagnostic>,
) -> Site {
    let started = Instant::now();
    let (mut site, model_problems) = build_site(config, reports, reuse.related);
    problems.extend(model_problems);
    report.timings.push(("model", started.elapsed()));
    let started = Instant::now();
    site.readers = read_readers(&site, options, problems);
    report.timings.push(("readership", started.elapsed()));
    report
        .timings
        .push(("related (in model)", site.related_time));
    report.reports = site.reports.len();
    site
}

/// View counts from the access logs in site.yaml `views` and `--views` (paths in site.yaml are
/// relative to the site folder); `None` without any. Counts kept in the build cache let a later
/// build read only new log lines.
fn read_readers(
    site: &Site,
    options: &BuildOptions,
    problems: &mut Vec<Diagnostic>,
) -> Option<crate::model::readers::Readers> {
    let config = &site.config;
    let paths: Vec<PathBuf> = config
        .views
        .iter()
        .map(|p| options.root.join(p))
        .chain(options.views.iter().cloned())
        .collect();
    if paths.is_empty() {
        return None;
    }
    let base_path = config.base_path();
    let cache_dir = (!options.no_cache).then(|| options.root.join(CACHE_DIR));
    let readership = crate::readership::read(
        &crate::readership::Sources {
            paths: &paths,
            cache_dir: cache_dir.as_deref(),
            base_path: &base_path,
            zone: &config.timezone,
            today: config.today,
        },
        problems,
    );
    let urls = report_urls(site, &base_path);
    Some(crate::model::readers::Readers::new(
        &readership,
        &urls,
        config.today,
    ))
}

/// Each report's addresses as a log line shows them: its URL, then its aliases.
fn report_urls(site: &Site, base_path: &str) -> Vec<Vec<String>> {
    site.reports
        .iter()
        .map(|report| {
            std::iter::once(format!("{base_path}{}", report.url_path))
                .chain(report.meta.aliases.iter().map(|alias| {
                    let alias = alias.trim().trim_start_matches('/');
                    let is_file = Path::new(alias).extension().is_some() && !alias.ends_with('/');
                    let slash = if is_file || alias.ends_with('/') {
                        ""
                    } else {
                        "/"
                    };
                    format!("{base_path}{alias}{slash}")
                }))
                .collect()
        })
        .collect()
}

/// Checks everything a build would, and every link and image in the reports; writes nothing.
pub fn check(options: &BuildOptions) -> BuildReport {
    let (loaded, mut report) = load_in_memory(options, Reuse::default());
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
    /// Fingerprint of the templates.
    pub theme_fingerprint: u64,
    /// Files parsed now rather than reused (see [`Reuse`]).
    pub fresh: Fresh,
}

/// Loads everything a build would, without rendering or writing; errors come back in the report.
pub fn load_in_memory(options: &BuildOptions, reuse: Reuse) -> (Option<LoadedSite>, BuildReport) {
    let mut report = BuildReport::default();
    let Some((site, fresh)) = load_site_cached(options, &mut report, reuse) else {
        return (None, finish(report));
    };
    let Some((tera, theme_fingerprint, plan)) = templates_and_plan(options, &site, &mut report)
    else {
        return (None, finish(report));
    };
    let report = finish(report);
    if report.failed() {
        return (None, report);
    }
    (
        Some(LoadedSite {
            site,
            tera,
            plan,
            theme_fingerprint,
            fresh,
        }),
        report,
    )
}

/// The site's templates (with their fingerprint) and its job plan; problems go to `report`.
fn templates_and_plan(
    options: &BuildOptions,
    site: &Site,
    report: &mut BuildReport,
) -> Option<(tera::Tera, u64, crate::render::Plan)> {
    let started = Instant::now();
    let (tera, theme_fingerprint) = match load_templates(
        &options.root,
        &display_root(&options.root),
        &site.config.theme,
        None,
    ) {
        Ok(tera) => tera,
        Err(problems) => {
            report.problems.extend(problems);
            return None;
        }
    };
    report
        .problems
        .extend(crate::render::theme::static_link_problems(
            &options.root,
            &display_root(&options.root),
            &site.config,
        ));
    let plan = match crate::render::plan(site) {
        Ok(plan) => plan,
        Err(problems) => {
            report.problems.extend(problems);
            return None;
        }
    };
    report.timings.push(("templates + plan", started.elapsed()));
    Some((tera, theme_fingerprint, plan))
}

/// Builds the site into the output folder; on any error the previous output stays as it was.
/// With the build cache, unchanged reports are not parsed again and unchanged pages not
/// rendered again; the output is the same, byte for byte, as a clean build's.
pub fn build(options: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    // A build that stopped has its problems in the report already.
    let _ = stages(options, &mut report);
    finish(report)
}

/// A build stopped before writing its output; the errors are in its report.
struct Stop;

/// The build cache as one build uses it: the session (previous output, kept values), the parsed
/// reports of the previous build, and its related lists.
struct Cache {
    session: Session,
    store: ReportStore,
    related: Option<RelatedLists>,
}

/// The stages of a build, in order; each records its problems and timings in `report`.
fn stages(options: &BuildOptions, report: &mut BuildReport) -> Result<(), Stop> {
    let output = output_folder(options, report)?;
    let mut cache = open_cache(options, &output, report);
    let loaded = load(options, cache.as_ref(), report)?;
    save_model_and_check_links(options, &loaded, cache.as_mut(), report);
    let target = begin_output(&output, &loaded, cache.as_mut(), report)?;
    let search = write_editions(
        options,
        loaded,
        &target.staging,
        &target.previous_search,
        cache.as_ref(),
        report,
    )?;
    commit(target, search, cache, report);
    Ok(())
}

/// Opens the build cache, unless the build is a clean one.
fn open_cache(options: &BuildOptions, output: &Path, report: &mut BuildReport) -> Option<Cache> {
    if options.no_cache {
        return None;
    }
    let started = Instant::now();
    let mut session = Session::open(&options.root, output, MARKER);
    let settings = parse_settings(&options.root, &options.base_url, options.drafts);
    let store = ReportStore::open(session.dir(), settings);
    session.notices.extend(store.notices.iter().cloned());
    let related = session.kept("related");
    report.timings.push(("cache read", started.elapsed()));
    Some(Cache {
        session,
        store,
        related,
    })
}

/// The output being written: its lock, its staging folder and the search state of the output
/// it updates.
struct Target {
    _lock: OutputLock,
    staging: Staging,
    /// Fingerprint of the templates and minification.
    settings: u64,
    previous_search: HashMap<String, IndexState>,
}

/// Locks the output folder and begins a staging folder beside it, updating the previous output
/// when the cache describes it.
fn begin_output(
    output: &Path,
    loaded: &LoadedSite,
    cache: Option<&mut Cache>,
    report: &mut BuildReport,
) -> Result<Target, Stop> {
    let started = Instant::now();
    let lock = OutputLock::acquire(output, || {
        eprintln!(
            "{}",
            crate::lang::localize(&crate::msg!(
                "another gongshi build is writing {}; waiting for it to finish…",
                "另一个 gongshi 构建正在写入 {}；等它完成……",
                output.display()
            ))
        )
    })
    .map_err(|error| stop(report, error.into_diagnostic()))?;
    let settings = output_settings(loaded.theme_fingerprint, loaded.site.config.minify);
    let remember = cache.is_some();
    let (previous, previous_search) = match cache {
        Some(cache) => previous_output(&mut cache.session, settings),
        None => (None, HashMap::new()),
    };
    let staging = Staging::begin(output, loaded.site.config.minify, previous, remember)
        .map_err(|error| stop(report, error.into_diagnostic()))?;
    report.timings.push(("previous output", started.elapsed()));
    Ok(Target {
        _lock: lock,
        staging,
        settings,
        previous_search,
    })
}

/// The previous output's manifest, if it can be updated, with what its search indexes were made
/// from (kept with the build they belong to).
fn previous_output(
    session: &mut Session,
    settings: u64,
) -> (Option<Manifest>, HashMap<String, IndexState>) {
    let Some(manifest) = session.previous_output(settings, MARKER) else {
        return (None, HashMap::new());
    };
    let search = session
        .kept::<(u64, HashMap<String, IndexState>)>("search")
        .filter(|(build, _)| *build == manifest.build)
        .map(|(_, search)| search)
        .unwrap_or_default();
    (Some(manifest), search)
}

/// Records `problem` and stops the build.
fn stop(report: &mut BuildReport, problem: Diagnostic) -> Stop {
    report.problems.push(problem);
    Stop
}

/// The output folder, unless it is one a build must not replace.
fn output_folder(options: &BuildOptions, report: &mut BuildReport) -> Result<PathBuf, Stop> {
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| display_root(&options.root).join("public"));
    match unsafe_output(&options.root, &output) {
        Some(problem) => Err(stop(report, problem)),
        None => Ok(output),
    }
}

/// Loads the site, its templates and job plan, reusing what `cache` kept.
fn load(
    options: &BuildOptions,
    cache: Option<&Cache>,
    report: &mut BuildReport,
) -> Result<LoadedSite, Stop> {
    let reuse = Reuse {
        serve: None,
        store: cache.map(|c| &c.store),
        related: cache.and_then(|c| c.related.as_ref()),
    };
    let (loaded, loaded_report) = load_in_memory(options, reuse);
    report.problems.extend(loaded_report.problems);
    report.timings.extend(loaded_report.timings);
    report.reports = loaded_report.reports;
    report.reused = loaded_report.reused;
    report.unread = loaded_report.unread;
    loaded.ok_or(Stop)
}

/// Saves the parsed reports into the cache and checks links, side by side (they are
/// independent); broken links are warnings.
fn save_model_and_check_links(
    options: &BuildOptions,
    loaded: &LoadedSite,
    cache: Option<&mut Cache>,
    report: &mut BuildReport,
) {
    let started = Instant::now();
    let site = &loaded.site;
    let save = || {
        cache
            .as_deref()
            .map_or_else(Vec::new, |c| save_model(c, loaded))
    };
    let links = || {
        let files = crate::render::known_files(site, &loaded.plan, &options.root);
        check_links(site, &files, Severity::Warning)
    };
    let (unsaved, link_problems) = rayon::join(save, links);
    if let Some(cache) = cache {
        cache.session.notices.extend(unsaved);
    }
    report.problems.extend(link_problems);
    report
        .timings
        .push(("cache write + links", started.elapsed()));
}

/// Saves the parsed reports (those parsed in this build with their content hash and warnings)
/// and the related lists when they changed; returns the notices of what could not be saved.
fn save_model(cache: &Cache, loaded: &LoadedSite) -> Vec<String> {
    let site = &loaded.site;
    let mut unsaved = Vec::new();
    if let Err(error) = cache.store.save(&site.reports, &loaded.fresh) {
        unsaved.push(not_saved(&error));
    }
    let inputs = cache.related.as_ref().map(|(inputs, _)| *inputs);
    if inputs != Some(site.related_inputs) {
        let related = (site.related_inputs, &site.related);
        unsaved.extend(cache.session.keep("related", &related).err());
    }
    unsaved
}

/// Writes every edition (the main one, then each variant) into `staging`: its search index,
/// then its pages. Returns what each edition's search index was made from.
fn write_editions(
    options: &BuildOptions,
    loaded: LoadedSite,
    staging: &Staging,
    previous_search: &HashMap<String, IndexState>,
    cache: Option<&Cache>,
    report: &mut BuildReport,
) -> Result<HashMap<String, IndexState>, Stop> {
    let bar: std::sync::OnceLock<crate::progress::Progress> = std::sync::OnceLock::new();
    let started = Instant::now();
    let LoadedSite {
        site, tera, plan, ..
    } = loaded;
    let mut editions = vec![(String::new(), site, tera)];
    let variants = variant_editions(&editions[0].1, &options.root).map_err(|problems| {
        report.problems.extend(problems);
        Stop
    })?;
    editions.extend(variants);
    if editions.len() > 1 {
        report.timings.push(("variants", started.elapsed()));
    }
    let mut search = HashMap::new();
    for (folder, site, tera) in editions {
        let edition = Edition {
            folder: &folder,
            tera: &tera,
            plan: &plan,
            staging,
            bar: &bar,
        };
        let inputs = write_edition(options, site, &edition, previous_search, cache, report)?;
        search.insert(folder, inputs);
    }
    if let Some(bar) = bar.get() {
        bar.finish();
    }
    Ok(search)
}

/// What one edition is written with.
struct Edition<'e> {
    folder: &'e str,
    tera: &'e tera::Tera,
    plan: &'e crate::render::Plan,
    staging: &'e Staging,
    bar: &'e std::sync::OnceLock<crate::progress::Progress>,
}

/// Writes one edition's search index, then its pages.
fn write_edition(
    options: &BuildOptions,
    mut site: Site,
    edition: &Edition,
    previous_search: &HashMap<String, IndexState>,
    cache: Option<&Cache>,
    report: &mut BuildReport,
) -> Result<IndexState, Stop> {
    let inputs = write_search(&site, edition, previous_search, cache, report)?;
    site.drop_search_text();
    let started = Instant::now();
    let progress = |total: Option<usize>| match total {
        Some(total) => {
            let _ = edition.bar.set(crate::progress::Progress::new(total));
        }
        None => edition.bar.get().into_iter().for_each(|bar| bar.tick()),
    };
    let (tera, plan, staging) = (edition.tera, edition.plan, edition.staging);
    let rendered = render_site(
        &site,
        tera,
        plan,
        &options.root,
        staging,
        edition.folder,
        &progress,
    );
    report.pages += rendered.map_err(|problems| {
        report.problems.extend(problems);
        Stop
    })?;
    report.timings.push(("render + write", started.elapsed()));
    free_in_background(site);
    Ok(inputs)
}

/// Writes one edition's search index, updating the previous one where it can; returns what it
/// was made from.
fn write_search(
    site: &Site,
    edition: &Edition,
    previous_search: &HashMap<String, IndexState>,
    cache: Option<&Cache>,
    report: &mut BuildReport,
) -> Result<IndexState, Stop> {
    let started = Instant::now();
    let old_report = |report: &crate::content::Report| {
        cache.and_then(|cache| cache.store.previous(&report.content_path))
    };
    let previous = previous_search.get(edition.folder);
    // Index files are not pages: the summary line counts what readers open.
    let inputs = crate::render::write_search_index(
        site,
        edition.staging,
        edition.folder,
        previous,
        &old_report,
    )
    .map_err(|problem| stop(report, problem))?;
    report.timings.push(("search index", started.elapsed()));
    Ok(inputs)
}

/// Moves the new build into place and records it, with what its search indexes were made
/// from, in the build cache.
fn commit(
    target: Target,
    search: HashMap<String, IndexState>,
    cache: Option<Cache>,
    report: &mut BuildReport,
) {
    let started = Instant::now();
    report.unchanged = target.staging.unchanged();
    let committed = target.staging.commit(target.settings);
    let Some(Cache { session, store, .. }) = cache else {
        report.problems.extend(committed.err().map(swap_failed));
        report.timings.push(("swap", started.elapsed()));
        return;
    };
    // Freeing the reports the build did not reuse takes a while; the build does not wait for it.
    free_in_background(store);
    match committed {
        Ok(manifest) => {
            let mut notices = Vec::new();
            notices.extend(session.keep("search", &(manifest.build, &search)).err());
            report.notices = session.finish(&manifest);
            report.notices.append(&mut notices);
        }
        Err(error) => {
            report.notices = session.notices;
            report.problems.push(swap_failed(error));
        }
    }
    report.timings.push(("swap", started.elapsed()));
}

/// The error of a build that could not be moved into place.
fn swap_failed(error: WriteError) -> Diagnostic {
    Diagnostic::error(
        &error.path,
        Position::default(),
        crate::msg!(
            "cannot move the new build into place: {}",
            "无法把新构建放到位：{}",
            error.message
        ),
    )
    .with_hint(error.hint)
}

/// The variant editions site.yaml asks for: each its folder, its converted model and its
/// templates with the interface text converted.
pub fn variant_editions(
    site: &Site,
    root: &Path,
) -> Result<Vec<(String, Site, tera::Tera)>, Vec<Diagnostic>> {
    let mut editions = Vec::new();
    for &variant in &site.config.variants {
        let converted = variant_site(site, variant).map_err(|message| {
            vec![Diagnostic::error(
                Path::new("site.yaml"),
                Position::default(),
                message,
            )]
        })?;
        // Same template sources as the main edition, so the same fingerprint.
        let (tera, _) = load_templates(
            root,
            &display_root(root),
            &site.config.theme,
            converted.ui_converter.as_deref(),
        )?;
        editions.push((variant.folder().to_string(), converted, tera));
    }
    Ok(editions)
}

/// Frees a large value on another thread: the build does not wait for it, and a command that
/// exits first leaves it to the operating system (about 7 % of a 10k repeat build's CPU time).
fn free_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Sorts problems so output is deterministic.
fn finish(mut report: BuildReport) -> BuildReport {
    let collected = crate::diagnostics::Diagnostics::new();
    collected.extend(std::mem::take(&mut report.problems));
    report.problems = collected.into_sorted();
    report
}

/// Refuses an output folder that is the site itself, contains it, or is inside a folder the build
/// reads (content/, static/, themes/): a build would copy its previous output into itself.
fn unsafe_output(root: &Path, output: &Path) -> Option<Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize_lexically(&joined)
    };
    let refused = |root: &Path, output: &Path| {
        output == root
            || root.starts_with(output)
            || ["content", "static", "themes"]
                .iter()
                .any(|source| output.starts_with(root.join(source)))
            || output.parent().is_none()
    };
    let (root, output) = (absolute(root), absolute(output));
    // Also as the file system resolves them: a link may lead into static/ (`-o link/out`).
    let refuse = refused(&root, &output) || refused(&real_path(&root), &real_path(&output));
    refuse.then(|| {
        Diagnostic::error(
            &output,
            Position::default(),
            crate::msg!(
                "refusing to build into this folder: it is the site, contains it, or lies inside content/, static/ or themes/",
                "拒绝输出到这个文件夹：它就是站点本身、包含站点，或位于 content/、static/、themes/ 之内"
            ),
        )
        .with_hint(crate::msg!(
            "choose an output folder of its own, e.g. --output public",
            "另选一个单独的输出文件夹，例如 --output public"
        ))
    })
}

/// `path` with symbolic links resolved: its nearest existing ancestor made canonical, the rest
/// (folders not made yet) appended as written.
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |real, part| real.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
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
