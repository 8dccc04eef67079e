//! Rendering: one [`Job`] per output file, rendered in parallel and handed to output.

pub mod context;
pub mod costly;
pub mod feeds;
pub mod open_data;
pub mod page_context;
pub mod pages;
pub mod redirects;
pub mod search;
pub mod sink;
pub mod sitemap;
pub mod theme;
pub mod variables;
mod xml;

use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Site, TaxonomyKind};
use context::{iso_date, page_folder};
use costly::Mode;
use feeds::FeedScope;
use pages::Renderer;
use rayon::prelude::*;
use redirects::Redirect;
use sink::{Sink, WriteError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// One output to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Page `n` (1-based) of the newest-first list.
    Home(usize),
    /// One report, by index.
    Report(usize),
    /// One standalone page (信息公开指南…), by index into `Site::pages`.
    Page(usize),
    /// The index of a taxonomy (`/tags/`).
    TermIndex(TaxonomyKind),
    /// Page `n` of one term (`/tags/<slug>/`).
    Term(TaxonomyKind, usize, usize),
    /// The list of years (`/archive/`).
    YearIndex,
    /// Page `n` of one year.
    Year(usize, usize),
    /// `/data/`: explains the open-data files.
    DataPage,
    /// `/search/`: the search page.
    SearchPage,
    /// `/404.html`.
    NotFound,
    /// A redirect page for an alias (index into the redirect list).
    Redirect(usize),
    /// An Atom feed.
    Feed(FeedScope),
    /// `sitemap.xml` (and its parts) plus `robots.txt`.
    Sitemap,
    /// `/data/reports.json`, `.csv` and the schema.
    OpenData,
    /// The search index under `/search/`.
    SearchIndex,
}

impl Job {
    /// The site-relative URL path of a page job (`reports/a/`, `404.html`); `None` for files.
    pub fn page_path(self, site: &Site) -> Option<String> {
        let term_first = |kind: TaxonomyKind, t: usize| {
            format!("{}/{}/", kind.folder(), site.taxonomy(kind).terms[t].slug)
        };
        Some(match self {
            Job::Home(n) => page_folder("", n),
            Job::Report(i) => site.reports[i].url_path.clone(),
            Job::Page(i) => site.pages[i].url_path.clone(),
            Job::TermIndex(kind) => format!("{}/", kind.folder()),
            Job::Term(kind, t, n) => page_folder(&term_first(kind, t), n),
            Job::YearIndex => "archive/".to_string(),
            Job::Year(y, n) => page_folder(&format!("archive/{}/", site.years[y].year), n),
            Job::DataPage => "data/".to_string(),
            Job::SearchPage => "search/".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::Redirect(_) | Job::Feed(_) | Job::Sitemap | Job::OpenData | Job::SearchIndex => {
                return None;
            }
        })
    }

    /// The date a page last changed, for the sitemap: its newest report's `updated` or `date`.
    fn lastmod(self, site: &Site) -> Option<String> {
        let newest = |ids: &[usize]| ids.first().map(|&i| &site.reports[i]);
        let report = match self {
            Job::Report(i) => Some(&site.reports[i]),
            Job::Page(i) => {
                let page = &site.pages[i];
                return page
                    .meta
                    .updated
                    .as_ref()
                    .or(page.meta.date.as_ref())
                    .map(iso_date);
            }
            Job::Term(kind, t, _) => newest(&site.taxonomy(kind).terms[t].reports),
            Job::Year(y, _) => newest(&site.years[y].reports),
            _ => site.reports.first(),
        }?;
        Some(iso_date(
            report.meta.updated.as_ref().unwrap_or(&report.date),
        ))
    }
}

/// Every page job: lists, reports, terms, years, data page and 404.
pub fn page_jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.paginate;
    let pages = |count: usize| count.div_ceil(per_page).max(1);
    let mut jobs: Vec<Job> = (1..=pages(site.reports.len())).map(Job::Home).collect();
    jobs.extend((0..site.reports.len()).map(Job::Report));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for taxonomy in site.taxonomies() {
        jobs.push(Job::TermIndex(taxonomy.kind));
        for (t, term) in taxonomy.terms.iter().enumerate() {
            jobs.extend((1..=pages(term.reports.len())).map(|n| Job::Term(taxonomy.kind, t, n)));
        }
    }
    jobs.push(Job::YearIndex);
    for (y, year) in site.years.iter().enumerate() {
        jobs.extend((1..=pages(year.reports.len())).map(|n| Job::Year(y, n)));
    }
    jobs.push(Job::DataPage);
    jobs.push(Job::SearchPage);
    jobs.push(Job::NotFound);
    jobs
}

/// Feeds: the site's, and one per keyword and per department.
fn feed_jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Feed(FeedScope::Site)];
    for kind in [TaxonomyKind::Tags, TaxonomyKind::Departments] {
        jobs.extend(
            (0..site.taxonomy(kind).terms.len()).map(|t| Job::Feed(FeedScope::Term(kind, t))),
        );
    }
    jobs
}

/// A produced file: HTML pages are minified on write, other files written as they are.
enum Output {
    /// A page and the fingerprint of its template and variables.
    Page {
        html: Vec<u8>,
        input: u64,
    },
    File(Vec<u8>),
    /// A file and the fingerprint of what it was made from (see [`Sink::keep`]).
    Made {
        bytes: Vec<u8>,
        input: u64,
    },
    /// A page whose inputs did not change since the previous build: its file stays.
    Kept,
}

/// Decides, from a page's file and input fingerprint, whether the previous build's file stays.
type Keep<'a> = Option<&'a (dyn Fn(&str, u64) -> bool + Sync)>;

/// Every job of a site, with the redirects its aliases need.
pub struct Plan {
    /// All jobs, pages first.
    pub jobs: Vec<Job>,
    /// Alias redirects, indexed by [`Job::Redirect`].
    pub redirects: Vec<Redirect>,
    /// The files and folders the jobs write, to refuse a static file that would replace one.
    pub generated: Generated,
}

/// Lists every job; alias problems (collisions, escapes) are errors.
pub fn plan(site: &Site) -> Result<Plan, Vec<Diagnostic>> {
    let pages = page_jobs(site);
    let feeds = feed_jobs(site);
    let (generated, mut problems) = generated_files(site, &pages, &feeds);
    let (redirects, alias_problems) = redirects::redirects(site, &generated);
    problems.extend(alias_problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut jobs = pages;
    jobs.extend((0..redirects.len()).map(Job::Redirect));
    jobs.extend(feeds);
    jobs.extend([Job::Sitemap, Job::OpenData, Job::SearchIndex]);
    Ok(Plan {
        jobs,
        redirects,
        generated,
    })
}

/// What owns each generated file or folder, for naming it when an alias would overwrite it:
/// pages, feeds, the sitemap and robots.txt, and whole folders (`search/`, `data/`, each
/// edition's) that only gongshi writes into.
pub struct Generated {
    files: BTreeMap<String, String>,
    folders: Vec<(String, String)>,
}

/// How a site path is compared for collisions: case-insensitively and without trailing dots or
/// spaces in its segments, as Windows, macOS and many object stores compare names
/// (`/Feed.xml` and `/feed.xml.` are `/feed.xml` there).
pub fn collision_key(path: &str) -> String {
    path.split('/')
        .map(|segment| segment.trim_end_matches(['.', ' ']).to_lowercase())
        .collect::<Vec<_>>()
        .join("/")
}

impl Generated {
    /// The owner of `file`, if a generated file or folder claims it (compared by
    /// [`collision_key`]).
    pub fn owner(&self, file: &str) -> Option<&str> {
        let file = &collision_key(file);
        if let Some(owner) = self.files.get(file) {
            return Some(owner);
        }
        // A generated file where the path needs a folder (`feed.xml/index.html`).
        let parent = file
            .match_indices('/')
            .find_map(|(at, _)| self.files.get(&file[..at]));
        if let Some(owner) = parent {
            return Some(owner);
        }
        let is_sitemap = file.starts_with("sitemap") && file.ends_with(".xml");
        if is_sitemap || file == "robots.txt" {
            return Some(if crate::lang::chinese() {
                "站点地图"
            } else {
                "the sitemap"
            });
        }
        self.folders
            .iter()
            .find(|(folder, _)| file.starts_with(folder.as_str()))
            .map(|(_, owner)| owner.as_str())
    }
}

/// The generated files and folders, and an error for each standalone page whose address is
/// already another page's (pages are placed last, so the built-in page keeps its address).
fn generated_files(site: &Site, pages: &[Job], feeds: &[Job]) -> (Generated, Vec<Diagnostic>) {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    let is_page = |job: &&Job| matches!(job, Job::Page(_));
    for job in pages
        .iter()
        .filter(|j| !is_page(j))
        .chain(pages.iter().filter(is_page))
    {
        let Some(path) = job.page_path(site) else {
            continue;
        };
        let owner = crate::msg!("the page /{path}", "页面 /{path}");
        let key = collision_key(&output_file(&path));
        if let (Job::Page(i), Some(taken)) = (job, files.get(&key)) {
            let page = &site.pages[*i];
            problems.push(
                Diagnostic::error(
                    &page.path,
                    page.slug_position,
                    crate::msg!(
                        "the page's address /{path} is already {taken}",
                        "页面的地址 /{path} 已被{taken}占用"
                    ),
                )
                .with_hint(crate::msg!(
                    "give the page another file name or a `slug:` line",
                    "给页面换个文件名，或加一行 `slug:`"
                )),
            );
            continue;
        }
        files.insert(key, owner);
    }
    for feed in feeds {
        if let Job::Feed(scope) = feed {
            let path = scope.path(site);
            files.insert(
                collision_key(&path),
                crate::msg!("the feed /{path}", "订阅 /{path}"),
            );
        }
    }
    let mut folders = vec![
        (
            "search/".to_string(),
            crate::msg!("the search index (/search/)", "搜索索引（/search/）"),
        ),
        (
            "data/".to_string(),
            crate::msg!("the open data (/data/)", "开放数据（/data/）"),
        ),
    ];
    for variant in &site.config.variants {
        let folder = variant.folder().to_string();
        let owner = crate::msg!(
            "the {} edition (/{folder})",
            "{} 版（/{folder}）",
            folder.trim_end_matches('/')
        );
        folders.push((folder, owner));
    }
    (Generated { files, folders }, problems)
}

/// Renders one job into `sink` (the dev server renders pages on request).
pub fn render_job(
    site: &Site,
    tera: &Tera,
    plan: &Plan,
    job: Job,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let renderer = Renderer::new(site, &plan.redirects);
    let outputs = run(
        job,
        site,
        &renderer,
        tera,
        &plan.redirects,
        &plan.jobs,
        None,
    )?;
    write_outputs(sink, "", outputs)
}

/// Writes a job's outputs into `sink` under `folder`.
fn write_outputs(
    sink: &dyn Sink,
    folder: &str,
    outputs: Vec<(String, Output)>,
) -> Result<(), Diagnostic> {
    for (file, output) in outputs {
        let file = format!("{folder}{file}");
        match output {
            Output::Page { html, input } => sink.page(&file, &html, input),
            Output::File(bytes) => sink.file(&file, &bytes, 0),
            Output::Made { bytes, input } => sink.file(&file, &bytes, input),
            Output::Kept => Ok(()),
        }
        .map_err(write_error)?;
    }
    Ok(())
}

/// The file each single-file job writes: pages, redirects and feeds.
pub fn files_by_job(site: &Site, plan: &Plan) -> Vec<(String, Job)> {
    plan.jobs
        .iter()
        .filter_map(|&job| {
            let file = match job {
                Job::Redirect(r) => plan.redirects[r].file.clone(),
                Job::Feed(scope) => scope.path(site),
                Job::Sitemap | Job::OpenData | Job::SearchIndex => return None,
                page => output_file(&page.page_path(site)?),
            };
            Some((file, job))
        })
        .collect()
}

/// The files of the open-data job.
const OPEN_DATA_FILES: [&str; 3] = [
    "data/reports.json",
    "data/reports.csv",
    "data/reports.schema.json",
];

/// The job that produces the site-relative file `path`: a multi-file job by its prefix, else the
/// entry of `files` (made by [`files_by_job`]).
pub fn job_for_file(files: &std::collections::HashMap<String, Job>, path: &str) -> Option<Job> {
    if search::is_index_file(path) {
        return Some(Job::SearchIndex);
    }
    if path == "robots.txt" || sitemap::is_sitemap_file(path) {
        return Some(Job::Sitemap);
    }
    if OPEN_DATA_FILES.contains(&path) {
        return Some(Job::OpenData);
    }
    files.get(path).copied()
}

/// Every site-relative file a build produces except the search index: pages, redirects, feeds,
/// sitemap, open data and static files (for checking links).
pub fn known_files(site: &Site, plan: &Plan, root: &Path) -> std::collections::BTreeSet<String> {
    let mut files: std::collections::BTreeSet<String> = files_by_job(site, plan)
        .into_iter()
        .map(|(file, _)| file)
        .collect();
    files.extend(
        ["sitemap.xml", "robots.txt"]
            .into_iter()
            .chain(OPEN_DATA_FILES)
            .map(String::from),
    );
    files.extend(
        published_files(site, root)
            .into_iter()
            .map(|(path, _)| path),
    );
    files
}

/// Every file copied as it is into the main edition: the static files of the theme and of the
/// site, then the page bundles' files (see [`bundle_files`]).
pub fn published_files(site: &Site, root: &Path) -> Vec<(String, theme::StaticSource)> {
    let mut files = theme::static_files(root, &site.config);
    files.extend(bundle_files(site, root));
    files
}

/// The files of every page bundle (`post/<name>/chart.png` beside `post/<name>/index.md`), each
/// in its report's URL folder (`reports/<name>/chart.png`), so relative links keep working.
pub fn bundle_files(site: &Site, root: &Path) -> Vec<(String, theme::StaticSource)> {
    let content_dir = root.join("content");
    let mut files = Vec::new();
    for (i, report) in site.reports.iter().enumerate() {
        if report.resources.is_empty() {
            continue;
        }
        let page = Job::Report(i).page_path(site).unwrap_or_default();
        let folder = content_dir.join(report.content_path.parent().unwrap_or(Path::new("")));
        for resource in &report.resources {
            let relative = resource.to_string_lossy().replace('\\', "/");
            files.push((
                format!("{page}{relative}"),
                theme::StaticSource::Disk(folder.join(resource)),
            ));
        }
    }
    files
}

/// Writes the search index into `sink` under `folder` (`` or a variant's `zh-hant/`; a
/// stage of its own in a build, so the reports' plain text can be dropped before pages are
/// rendered); returns the state to update it from next time.
/// When updating an output whose index was made from `previous`, only the shards that the
/// changed reports' grams are in are made again (`old_report` gives a report as the previous
/// build had it); the rest of the previous index stays.
pub fn write_search_index(
    site: &Site,
    sink: &dyn Sink,
    folder: &str,
    previous: Option<&search::IndexState>,
    old_report: &dyn Fn(&crate::content::Report) -> Option<crate::content::Report>,
) -> Result<search::IndexState, Diagnostic> {
    let base_path = site.config.base_path();
    let read = |path: &str| sink.previous_bytes(&format!("{folder}{path}"));
    let updated = previous
        .and_then(|previous| search::updated_files(site, &base_path, previous, old_report, &read));
    let (files, state) = match updated {
        Some((files, state)) => {
            let made: std::collections::HashSet<String> = files
                .iter()
                .map(|(path, _)| format!("{folder}{path}"))
                .collect();
            sink.keep_all(&|path| {
                !made.contains(path) && path.strip_prefix(folder).is_some_and(search::is_index_file)
            });
            (files, state)
        }
        None => search::index_files(site, &base_path),
    };
    files
        .into_par_iter()
        .try_for_each(|(path, bytes)| sink.file(&format!("{folder}{path}"), &bytes, 0))
        .map_err(write_error)?;
    Ok(state)
}

/// Renders every job except the search index (see [`write_search_index`]) into `sink` under
/// `folder` (`` for the main edition, which also gets the static files, or a variant's
/// `zh-hant/`); returns the number of files written. `progress` is told the number of jobs,
/// then called once per finished job.
pub fn render_site(
    site: &Site,
    tera: &Tera,
    plan: &Plan,
    root: &Path,
    sink: &dyn Sink,
    folder: &str,
    progress: &(dyn Fn(Option<usize>) + Sync),
) -> Result<usize, Vec<Diagnostic>> {
    let Plan {
        jobs, redirects, ..
    } = plan;
    let jobs: Vec<Job> = jobs
        .iter()
        .copied()
        .filter(|job| *job != Job::SearchIndex)
        .collect();
    let jobs = &jobs;
    progress(Some(jobs.len()));
    let renderer = Renderer::new(site, redirects);
    let keep = |file: &str, input: u64| sink.keep(&format!("{folder}{file}"), input);
    // Without a build cache nothing is kept, and what files are made from is not fingerprinted.
    let keep: Keep = sink.remembers().then_some(&keep);
    let results: Vec<Result<usize, Diagnostic>> = jobs
        .par_iter()
        .map(|&job| {
            let outputs = run(job, site, &renderer, tera, redirects, jobs, keep)?;
            progress(None);
            let count = outputs.len();
            write_outputs(sink, folder, outputs)?;
            Ok(count)
        })
        .collect();
    let mut written = 0;
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(count) => written += count,
            Err(problem) => problems.push(problem),
        }
    }
    match copy_static(site, plan, root, sink, folder) {
        Ok(count) => written += count,
        Err(mut more) => problems.append(&mut more),
    }
    if problems.is_empty() {
        Ok(written)
    } else {
        Err(problems)
    }
}

/// The file a page path is written to: folders get `index.html`.
fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Produces the files of one job.
fn run(
    job: Job,
    site: &Site,
    renderer: &Renderer,
    tera: &Tera,
    redirects: &[Redirect],
    all_jobs: &[Job],
    keep: Keep,
) -> Result<Vec<(String, Output)>, Diagnostic> {
    let config = &site.config;
    let urls = renderer.urls();
    let files = match job {
        Job::Feed(scope) => {
            let file = scope.path(site);
            // Made every time (about as cheap as fingerprinting its inputs); an unchanged feed
            // is not written again.
            vec![(
                file,
                Output::File(feeds::atom(site, urls, scope).into_bytes()),
            )]
        }
        Job::Sitemap => {
            let entries: Vec<sitemap::SitemapEntry> = all_jobs
                .iter()
                .filter(|job| !matches!(job, Job::NotFound))
                .filter_map(|job| {
                    let path = job.page_path(site)?;
                    Some(sitemap::SitemapEntry {
                        url: config.absolute_url(&urls.path(&path)),
                        lastmod: job.lastmod(site),
                    })
                })
                .collect();
            let absolute = |path: &str| config.absolute_url(&urls.path(path));
            let mut files: Vec<(String, Output)> = sitemap::sitemaps(&entries, absolute)
                .into_iter()
                .map(|(path, xml)| (path, Output::File(xml.into_bytes())))
                .collect();
            // robots.txt lives at the root only; it names every edition's sitemap.
            if config.edition.is_none() {
                let mut sitemaps = vec![absolute("sitemap.xml")];
                sitemaps.extend(
                    config
                        .variants
                        .iter()
                        .map(|v| format!("{}{}sitemap.xml", config.main_base_url(), v.folder())),
                );
                let robots = sitemap::robots(&sitemaps);
                files.push(("robots.txt".to_string(), Output::File(robots.into_bytes())));
            }
            files
        }
        Job::OpenData => {
            let rows = open_data::rows(site, urls);
            // Both exports come from the rows; made in parallel (this job is the last one
            // running in a clean build).
            let input = keep.map_or(0, |_| crate::incremental::fingerprint(&rows));
            let files = ["data/reports.json", "data/reports.csv"];
            let (json, csv) = rayon::join(
                || kept_or_made(keep, files[0], || input, || open_data::json(&rows)),
                || kept_or_made(keep, files[1], || input, || open_data::csv(&rows)),
            );
            let mut outputs = vec![
                (files[0].to_string(), json),
                (files[1].to_string(), csv),
                (
                    "data/reports.schema.json".to_string(),
                    Output::File(open_data::schema(
                        &config.absolute_url(&urls.path("data/reports.schema.json")),
                    )),
                ),
            ];
            if let Some(readers) = &site.readers {
                let views = open_data::views_csv(site, urls, readers);
                outputs.push(("data/views.csv".to_string(), Output::File(views)));
            }
            outputs
        }
        Job::SearchIndex => search::index_files(site, urls.base())
            .0
            .into_iter()
            .map(|(path, bytes)| (path, Output::File(bytes)))
            .collect(),
        Job::Redirect(r) => {
            let file = redirects[r].file.clone();
            let output = render_page(tera, renderer, job, &file, keep)?;
            vec![(file, output)]
        }
        page => {
            let file = output_file(&page.page_path(site).unwrap_or_default());
            let output = render_page(tera, renderer, page, &file, keep)?;
            vec![(file, output)]
        }
    };
    Ok(files)
}

/// The previous build's `file` when `keep` says it was made from the same `input`, else the
/// bytes `make` returns (recorded with their input when updating).
fn kept_or_made(
    keep: Keep,
    file: &str,
    input: impl FnOnce() -> u64,
    make: impl FnOnce() -> Vec<u8>,
) -> Output {
    let Some(keep) = keep else {
        return Output::File(make());
    };
    let input = input();
    if keep(file, input) {
        Output::Kept
    } else {
        Output::Made {
            bytes: make(),
            input,
        }
    }
}

/// Bytes reserved for a rendered page, enough for most reports without growing the buffer.
const PAGE_CAPACITY: usize = 32 * 1024;

/// Renders a template page unless `keep` says the previous build's `file` stays.
fn render_page(
    tera: &Tera,
    renderer: &Renderer,
    job: Job,
    file: &str,
    keep: Keep,
) -> Result<Output, Diagnostic> {
    let input = match keep {
        Some(keep) => {
            let input = renderer.context(job, Mode::Fingerprint).fingerprint();
            if keep(file, input) {
                return Ok(Output::Kept);
            }
            input
        }
        None => 0,
    };
    let context = renderer.context(job, Mode::Render);
    let template = context.template();
    let values = context
        .to_tera()
        .map_err(|e| template_error(template, &e))?;
    // Rendered as bytes: they go to a file, so Tera's check that they are UTF-8 (its `render`
    // makes a String; 7 % of a clean build's CPU) is not needed.
    let mut html = Vec::with_capacity(PAGE_CAPACITY);
    tera.render_to(template, &values, &mut html)
        .map_err(|e| template_error(template, &e))?;
    Ok(Output::Page { html, input })
}

/// Copies the theme's and the site's static files and the page bundles' files into the main
/// edition (`folder` empty), and the bundles' files into a variant's `folder`, so that a report's
/// relative links to them work in every edition.
fn copy_static(
    site: &Site,
    plan: &Plan,
    root: &Path,
    sink: &dyn Sink,
    folder: &str,
) -> Result<usize, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let files = if folder.is_empty() {
        published_files(site, root)
    } else {
        bundle_files(site, root)
    };
    let aliases: BTreeMap<&str, usize> = plan
        .redirects
        .iter()
        .map(|r| (r.file.as_str(), r.report))
        .collect();
    for (relative, source) in &files {
        let owner = match aliases.get(relative.as_str()) {
            Some(&report) => Some(crate::msg!(
                "the redirect for an alias of {}",
                "{} 的别名跳转页",
                site.reports[report].path.display()
            )),
            None => plan.generated.owner(relative).map(str::to_string),
        };
        if let (Some(&report), theme::StaticSource::Embedded(_)) =
            (aliases.get(relative.as_str()), source)
        {
            let report = &site.reports[report];
            problems.push(
                Diagnostic::error(
                    &report.path,
                    report.meta.aliases_position,
                    crate::msg!(
                        "an alias would overwrite the theme's file /{relative}",
                        "别名会覆盖主题文件 /{relative}"
                    ),
                )
                .with_hint(crate::msg!(
                    "remove that alias: the theme's file is needed by every page",
                    "删掉这个别名：每个页面都要用到这个主题文件"
                )),
            );
            continue;
        }
        if let (Some(owner), theme::StaticSource::Disk(path)) = (owner, source) {
            problems.push(
                Diagnostic::error(
                    path,
                    Position::default(),
                    crate::msg!(
                        "this static file would overwrite {owner}, which gongshi writes at /{relative}",
                        "这个静态文件会覆盖 gongshi 生成在 /{relative} 的{owner}"
                    ),
                )
                .with_hint(crate::msg!(
                    "rename or move the static file; every address in the output has one source",
                    "重命名或移走这个静态文件；输出中每个地址只能有一个来源"
                )),
            );
            continue;
        }
        let bytes = match source {
            theme::StaticSource::Embedded(bytes) => Ok(bytes.to_vec()),
            theme::StaticSource::Disk(path) => std::fs::read(path),
        };
        match bytes {
            Ok(bytes) => {
                if let Err(error) = sink.file(&format!("{folder}{relative}"), &bytes, 0) {
                    problems.push(write_error(error));
                }
            }
            Err(error) => problems.push(Diagnostic::error(
                Path::new(relative),
                Position::default(),
                format!("cannot read static file: {error}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(files.len())
    } else {
        Err(problems)
    }
}

fn template_error(template: &str, error: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        &PathBuf::from("templates").join(template),
        Position::default(),
        format!("cannot render: {}", theme::error_chain(error)),
    )
    .with_hint("a template uses a variable or filter that does not exist; see the README section on themes")
}

fn write_error(error: WriteError) -> Diagnostic {
    Diagnostic::error(
        &error.path,
        Position::default(),
        format!("cannot write: {}", error.message),
    )
    .with_hint(error.hint)
}
