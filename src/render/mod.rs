//! Rendering: one [`Job`] per output page, rendered in parallel through Tera and handed to output.

pub mod context;
pub mod theme;

use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Site, Taxonomy, TaxonomyKind};
use crate::output::Staging;
use context::{
    Paginator, Urls, chinese_date, page_folder, report_cards, term_links, term_summaries,
};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tera::{Context, Tera, Value};

/// One page to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Page `n` (1-based) of the newest-first list.
    Home(usize),
    /// One report, by index.
    Report(usize),
    /// The index of a taxonomy (`/tags/`).
    TermIndex(TaxonomyKind),
    /// Page `n` of one term (`/tags/<slug>/`).
    Term(TaxonomyKind, usize, usize),
    /// The list of years (`/archive/`).
    YearIndex,
    /// Page `n` of one year.
    Year(usize, usize),
    /// `/404.html`.
    NotFound,
}

/// Every page the site has.
pub fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.paginate;
    let pages = |count: usize| count.div_ceil(per_page).max(1);
    let mut jobs: Vec<Job> = (1..=pages(site.reports.len())).map(Job::Home).collect();
    jobs.extend((0..site.reports.len()).map(Job::Report));
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
    jobs.push(Job::NotFound);
    jobs
}

/// Values shared by every page.
#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
}

/// Renders every job and static file into `staging`; returns the number of pages written.
pub fn render_site(
    site: &Site,
    tera: &Tera,
    root: &Path,
    staging: &Staging,
) -> Result<usize, Vec<Diagnostic>> {
    let renderer = Renderer::new(site);
    let jobs = jobs(site);
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            let (folder, template, context) = renderer.context(*job);
            let file = if *job == Job::NotFound {
                "404.html".to_string()
            } else {
                format!("{folder}index.html")
            };
            let result = tera
                .render(template, &context)
                .map_err(|e| template_error(template, &e))
                .and_then(|html| staging.write_page(&file, &html).map_err(write_error));
            result.err()
        })
        .collect();
    let mut problems = problems;
    for (relative, source) in theme::static_files(root, &site.config.theme) {
        let bytes = match source {
            theme::StaticSource::Embedded(bytes) => Ok(bytes.to_vec()),
            theme::StaticSource::Disk(path) => std::fs::read(&path),
        };
        match bytes {
            Ok(bytes) => {
                if let Err(error) = staging.write_file(&relative, &bytes) {
                    problems.push(write_error(error));
                }
            }
            Err(error) => problems.push(Diagnostic::error(
                Path::new(&relative),
                Position::default(),
                format!("cannot read static file: {error}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(jobs.len())
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

fn write_error(error: crate::output::WriteError) -> Diagnostic {
    Diagnostic::error(
        &error.path,
        Position::default(),
        format!("cannot write: {}", error.message),
    )
    .with_hint(error.hint)
}

/// Keywords in the home page's hot-keyword cloud.
const HOT_TAGS: usize = 20;

/// Reports shown per department on the home page.
const NEWEST_PER_DEPARTMENT: usize = 3;

/// Pre-computed values reused across jobs.
struct Renderer<'a> {
    site: &'a Site,
    urls: Urls,
    cards: Vec<Value>,
    base: Context,
    /// `hot_tags`, `departments` and `newest_by_department`, the same on every home page.
    home_sidebar: Context,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site) -> Self {
        let config = &site.config;
        let urls = Urls::new(config.base_path());
        let cards = report_cards(site, &urls);
        let mut base = Context::new();
        base.insert(
            "site",
            &SiteContext {
                title: &config.title,
                description: &config.description,
                base_url: &config.base_url,
                base_path: urls.base(),
                language: &config.language,
            },
        );
        let mut renderer = Renderer {
            site,
            urls,
            cards,
            base,
            home_sidebar: Context::new(),
        };
        renderer.home_sidebar = renderer.home_sidebar();
        renderer
    }

    fn home_sidebar(&self) -> Context {
        let site = self.site;
        let mut context = Context::new();
        let hot: Vec<_> = term_summaries(site, &site.tags, &self.urls)
            .into_iter()
            .take(HOT_TAGS)
            .collect();
        context.insert("hot_tags", &hot);
        let departments = term_summaries(site, &site.departments, &self.urls);
        context.insert("departments", &departments);
        let by_department: Vec<Value> = site
            .departments
            .terms
            .iter()
            .zip(&departments)
            .map(|(term, summary)| {
                let mut entry = tera::Map::new();
                entry.insert("name".into(), Value::from(summary.name.as_str()));
                entry.insert("url".into(), Value::from(summary.url.as_str()));
                entry.insert("count".into(), Value::from(summary.count));
                let newest = &term.reports[..term.reports.len().min(NEWEST_PER_DEPARTMENT)];
                entry.insert("reports".into(), self.cards_of(newest));
                Value::from(entry)
            })
            .collect();
        context.insert_value("newest_by_department", Value::from(by_department));
        context
    }

    fn cards_of(&self, ids: &[usize]) -> Value {
        Value::from(
            ids.iter()
                .map(|&i| self.cards[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// A context with `page` filled: title, description, path and absolute URL.
    fn page_context(&self, kind: &str, folder: &str, title: &str, description: &str) -> Context {
        let mut context = self.base.clone();
        let path = self.urls.path(folder);
        context.insert(
            "page",
            &serde_json::json!({
                "kind": kind,
                "title": title,
                "description": if description.is_empty() { &self.site.config.description } else { description },
                "path": path,
                "permalink": self.site.config.absolute_url(&path),
            }),
        );
        context
    }

    /// The output folder, template and context of a job.
    fn context(&self, job: Job) -> (String, &'static str, Context) {
        let site = self.site;
        let per_page = site.config.paginate;
        match job {
            Job::Home(n) => {
                let folder = page_folder("", n);
                let mut context = self.page_context("home", &folder, &site.config.title, "");
                let ids = page_slice(&site.home_order, n, per_page);
                context.insert_value("reports", self.cards_of(ids));
                context.insert(
                    "paginator",
                    &Paginator::new(
                        &self.urls,
                        "",
                        n,
                        site.home_order.len().div_ceil(per_page).max(1),
                    ),
                );
                context.extend(self.home_sidebar.clone());
                (folder, "index.html", context)
            }
            Job::Report(i) => {
                let report = &site.reports[i];
                let folder = format!("reports/{}/", report.slug);
                let card = &self.cards[i];
                let summary = card
                    .get_from_path("summary")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let mut context =
                    self.page_context("report", &folder, &report.meta.title, &summary);
                let meta = &report.meta;
                context.insert_value("card", card.clone());
                context.insert(
                    "report",
                    &serde_json::json!({
                        "content": report.body.html,
                        "toc": report.body.toc,
                        "show_toc": report.body.toc.len() >= 3,
                        "updated_display": meta.updated.as_ref().map(chinese_date),
                        "index_no": meta.index_no,
                        "doc_no": meta.doc_no,
                        "written_display": meta.written.as_ref().map(chinese_date),
                        "disclosure": meta.disclosure,
                        "topic": meta.topic,
                        "extra": meta.extra,
                        "keywords": term_links(&site.tags, &self.urls, i),
                    }),
                );
                let related = &site.related[i];
                context.insert_value("related", self.cards_of(&related.ids));
                context.insert("related_fallback", &related.fallback);
                // Newer report is "previous" in a newest-first list; the template labels them.
                context.insert_value(
                    "newer",
                    i.checked_sub(1)
                        .map_or(Value::none(), |p| self.cards[p].clone()),
                );
                context.insert_value(
                    "older",
                    self.cards.get(i + 1).cloned().unwrap_or(Value::none()),
                );
                (folder, "report.html", context)
            }
            Job::TermIndex(kind) => {
                let taxonomy = taxonomy_of(site, kind);
                let folder = format!("{}/", kind.folder());
                let title = taxonomy_title(kind);
                let mut context = self.page_context("terms", &folder, title, "");
                context.insert(
                    "taxonomy",
                    &serde_json::json!({ "kind": kind.folder(), "title": title }),
                );
                let terms = term_summaries(site, taxonomy, &self.urls);
                if kind == TaxonomyKind::Tags {
                    let trending: Vec<_> = site
                        .trending
                        .iter()
                        .map(|&(t, count)| serde_json::json!({ "name": terms[t].name, "url": terms[t].url, "count": count }))
                        .collect();
                    context.insert("trending", &trending);
                }
                context.insert("terms", &terms);
                (folder, "terms.html", context)
            }
            Job::Term(kind, t, n) => {
                let term = &taxonomy_of(site, kind).terms[t];
                let first = format!("{}/{}/", kind.folder(), term.slug);
                let folder = page_folder(&first, n);
                let title = format!("{}：{}", taxonomy_title(kind), term.name);
                let mut context = self.page_context("term", &folder, &title, "");
                let first_use = term
                    .reports
                    .last()
                    .map(|&r| chinese_date(&site.reports[r].date));
                context.insert(
                    "listing",
                    &serde_json::json!({
                        "kind": kind.folder(), "kind_title": taxonomy_title(kind), "name": term.name,
                        "count": term.reports.len(), "index_url": self.urls.path(&format!("{}/", kind.folder())),
                        "first_date": first_use, "latest_date": chinese_date(&site.reports[term.reports[0]].date),
                    }),
                );
                if kind == TaxonomyKind::Tags {
                    let co: Vec<_> = site.co_tags[t]
                        .iter()
                        .map(|&(other, count)| {
                            let other = &site.tags.terms[other];
                            serde_json::json!({ "name": other.name, "url": self.urls.term(kind, &other.slug), "count": count })
                        })
                        .collect();
                    context.insert("co_tags", &co);
                }
                context.insert_value(
                    "reports",
                    self.cards_of(page_slice(&term.reports, n, per_page)),
                );
                context.insert(
                    "paginator",
                    &Paginator::new(&self.urls, &first, n, term.reports.len().div_ceil(per_page)),
                );
                (folder, "list.html", context)
            }
            Job::YearIndex => {
                let mut context = self.page_context("terms", "archive/", "年度归档", "");
                context.insert(
                    "taxonomy",
                    &serde_json::json!({ "kind": "archive", "title": "年度归档" }),
                );
                let years: Vec<_> = site
                    .years
                    .iter()
                    .map(|y| serde_json::json!({
                        "name": format!("{}年", y.year), "slug": y.year.to_string(), "count": y.reports.len(),
                        "url": self.urls.path(&format!("archive/{}/", y.year)),
                        "latest_date": chinese_date(&site.reports[y.reports[0]].date), "weight": 3,
                    }))
                    .collect();
                context.insert("terms", &years);
                ("archive/".to_string(), "terms.html", context)
            }
            Job::Year(y, n) => {
                let year = &site.years[y];
                let first = format!("archive/{}/", year.year);
                let folder = page_folder(&first, n);
                let title = format!("{}年报告", year.year);
                let mut context = self.page_context("term", &folder, &title, "");
                context.insert(
                    "listing",
                    &serde_json::json!({
                        "kind": "archive", "kind_title": "年度归档", "name": format!("{}年", year.year),
                        "count": year.reports.len(), "index_url": self.urls.path("archive/"),
                    }),
                );
                context.insert_value(
                    "reports",
                    self.cards_of(page_slice(&year.reports, n, per_page)),
                );
                context.insert(
                    "paginator",
                    &Paginator::new(&self.urls, &first, n, year.reports.len().div_ceil(per_page)),
                );
                (folder, "list.html", context)
            }
            Job::NotFound => {
                let context = self.page_context("404", "404.html", "页面未找到", "");
                (String::new(), "404.html", context)
            }
        }
    }
}

fn taxonomy_of(site: &Site, kind: TaxonomyKind) -> &Taxonomy {
    match kind {
        TaxonomyKind::Tags => &site.tags,
        TaxonomyKind::Departments => &site.departments,
        TaxonomyKind::Sources => &site.sources,
    }
}

/// The heading of a taxonomy's pages.
fn taxonomy_title(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Tags => "热词",
        TaxonomyKind::Departments => "评议对象",
        TaxonomyKind::Sources => "来源",
    }
}

/// The ids on page `n` (1-based).
fn page_slice(ids: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(ids.len());
    let end = (start + per_page).min(ids.len());
    &ids[start..end]
}
