//! Template pages: the context each page job hands to its Tera template.

use super::Job;
use super::context::{
    Paginator, TermLink, TermSummary, Urls, chinese_date, report_card, term_links, term_summaries,
};
use super::open_data::COLUMNS;
use super::redirects::Redirect;
use super::variables::{
    Alternate, Column, CountedLink, DepartmentNewest, FeedLink, Listing, PageInfo, PopularQuery,
    RedirectTarget, TaxonomyInfo,
};
use crate::content::markdown::TocEntry;
use crate::incremental::page_context::PageContext;
use crate::model::{Site, Taxonomy, TaxonomyKind};
use serde::Serialize;
use std::sync::OnceLock;
use tera::Value;

/// Values shared by every page.
#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    /// Where theme files (css, js, icons) are: the main edition's base path, shared by variants.
    asset_path: &'a str,
    language: &'a str,
    /// The host of `base_url`, for the SiteDomain meta tag.
    domain: &'a str,
    /// 主办单位, 承办单位, 联系方式, 网站标识码 and the registration numbers.
    government: &'a crate::config::GovernmentInfo,
    /// The digits of the 公安机关备案号, for the link to its register entry.
    police_code: String,
}

/// What a report's own page shows besides its card. `content` is the body's HTML when the page
/// is rendered and the body's hash when it is fingerprinted (a body kept in the build cache is
/// read only when its page is rendered): one struct, so no field can miss the fingerprint.
#[derive(Serialize)]
struct ReportView<'r, C> {
    content: C,
    /// 发布机构: the report's own `publisher`, else the site's.
    publisher: &'r str,
    toc: &'r [TocEntry],
    show_toc: bool,
    updated_display: Option<String>,
    index_no: &'r Option<String>,
    doc_no: &'r Option<String>,
    written_display: Option<String>,
    disclosure: &'r Option<String>,
    topic: &'r Option<String>,
    extra: &'r serde_json::Value,
    keywords: Vec<TermLink>,
}

/// What a standalone page (信息公开指南, 联系我们) shows.
#[derive(Serialize)]
struct StandalonePage<'p> {
    title: &'p str,
    content: &'p str,
    toc: &'p [TocEntry],
    show_toc: bool,
    updated_display: Option<String>,
    extra: &'p serde_json::Value,
}

/// A standalone page's link in the navigation.
#[derive(Serialize)]
struct NavLink<'p> {
    title: &'p str,
    url: String,
}

/// Keywords in the home page's hot-keyword cloud.
const HOT_TAGS: usize = 20;

/// Reports shown per department on the home page.
const NEWEST_PER_DEPARTMENT: usize = 3;

/// Pre-computed values reused across page jobs.
pub struct Renderer<'a> {
    site: &'a Site,
    redirects: &'a [Redirect],
    urls: Urls,
    /// Each report's card fingerprint (a hash of the card), made on first use (a dev-server
    /// request needs only a few).
    card_prints: Vec<OnceLock<u64>>,
    /// Each report's card as a template value, made when a page showing it is rendered.
    card_values: Vec<OnceLock<Value>>,
    base: PageContext<'a>,
    /// `hot_tags`, `departments` and `newest_by_department`, the same on every home page.
    home_sidebar: OnceLock<PageContext<'a>>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`; `fingerprinted` says whether page contexts are fingerprinted
    /// (only a build with the cache compares them).
    pub fn new(site: &'a Site, redirects: &'a [Redirect], fingerprinted: bool) -> Self {
        let config = &site.config;
        let urls = Urls::new(config.base_path());
        let asset_path = config.main_base_path();
        let mut base = PageContext::new(fingerprinted);
        base.insert(
            "site",
            &SiteContext {
                title: &config.title,
                description: &config.description,
                base_url: &config.base_url,
                base_path: urls.base(),
                asset_path: &asset_path,
                language: &config.language,
                domain: config.domain(),
                government: &config.government,
                police_code: config
                    .government
                    .police_record
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect(),
            },
        );
        let nav_pages: Vec<NavLink> = site
            .pages
            .iter()
            .filter(|page| page.meta.nav.is_some())
            .map(|page| NavLink {
                title: &page.meta.title,
                url: urls.path(&page.url_path),
            })
            .collect();
        base.insert("nav_pages", &nav_pages);
        base.insert(
            "feed",
            &FeedLink {
                title: config.title.clone(),
                url: urls.path("feed.xml"),
            },
        );
        Renderer {
            site,
            redirects,
            urls,
            card_prints: (0..site.reports.len()).map(|_| OnceLock::new()).collect(),
            card_values: (0..site.reports.len()).map(|_| OnceLock::new()).collect(),
            base,
            home_sidebar: OnceLock::new(),
        }
    }

    /// URL maker for this site.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// The card of report `index`, as a template value.
    fn card(&self, index: usize) -> Value {
        self.card_values[index]
            .get_or_init(|| Value::from_serializable(&report_card(self.site, &self.urls, index)))
            .clone()
    }

    /// The fingerprint of report `index`'s card, made once.
    fn card_fingerprint(&self, index: usize) -> u64 {
        *self.card_prints[index].get_or_init(|| {
            crate::incremental::fingerprint(&report_card(self.site, &self.urls, index))
        })
    }

    /// Sets `key` to the card of report `index`, or to none.
    fn insert_card<'s>(
        &'s self,
        context: &mut PageContext<'s>,
        key: &'static str,
        index: Option<usize>,
    ) {
        match index {
            Some(i) => context.insert_made(key, || self.card_fingerprint(i), move || self.card(i)),
            None => context.insert_value(key, Value::none()),
        }
    }

    /// Sets `key` to the list of cards of `ids`, fingerprinted from the cards' fingerprints.
    fn insert_cards<'s>(
        &'s self,
        context: &mut PageContext<'s>,
        key: &'static str,
        ids: &'s [usize],
    ) {
        let fingerprint = || {
            let fingerprints: Vec<u64> = ids.iter().map(|&i| self.card_fingerprint(i)).collect();
            crate::incremental::fingerprint(&fingerprints)
        };
        context.insert_made(key, fingerprint, move || self.cards_of(ids));
    }

    fn home_sidebar(&self) -> PageContext<'a> {
        let site = self.site;
        let mut context = PageContext::new(self.base.fingerprinted());
        let hot: Vec<_> = term_summaries(site, &site.tags, &self.urls)
            .into_iter()
            .take(HOT_TAGS)
            .collect();
        context.insert("hot_tags", &hot);
        let departments = term_summaries(site, &site.departments, &self.urls);
        context.insert("departments", &departments);
        let by_department: Vec<DepartmentNewest> = site
            .departments
            .terms
            .iter()
            .zip(&departments)
            .map(|(term, summary)| {
                let newest = &term.reports[..term.reports.len().min(NEWEST_PER_DEPARTMENT)];
                DepartmentNewest {
                    name: summary.name.clone(),
                    url: summary.url.clone(),
                    count: summary.count,
                    reports: self.cards_of(newest),
                }
            })
            .collect();
        context.insert("newest_by_department", &by_department);
        context
    }

    fn cards_of(&self, ids: &[usize]) -> Value {
        Value::from(ids.iter().map(|&i| self.card(i)).collect::<Vec<_>>())
    }

    /// Adds page `n` of the list `ids` (first page at `first`): its `reports` and `paginator`.
    fn insert_list<'s>(
        &'s self,
        context: &mut PageContext<'s>,
        ids: &'s [usize],
        first: &str,
        n: usize,
    ) {
        let per_page = self.site.config.paginate;
        self.insert_cards(context, "reports", page_slice(ids, n, per_page));
        let pages = ids.len().div_ceil(per_page).max(1);
        context.insert_later("paginator", Paginator::new(&self.urls, first, n, pages));
    }

    /// A context with `page` filled: title, description, path and absolute URL.
    fn page_context(
        &self,
        kind: &str,
        folder: &str,
        title: &str,
        description: &str,
    ) -> PageContext<'_> {
        let mut context = self.base.clone();
        let path = self.urls.path(folder);
        context.insert_later(
            "page",
            PageInfo {
                kind: kind.to_string(),
                title: title.to_string(),
                description: if description.is_empty() {
                    self.site.config.description.clone()
                } else {
                    description.to_string()
                },
                permalink: self.site.config.absolute_url(&path),
                path,
                alternates: self.alternates(folder),
                column: self.site.ui(column_name(kind, folder)),
            },
        );
        self.insert_readers(&mut context);
        context
    }

    /// Adds `hot_reports` (热点文章, as cards) and `popular_queries` (热门搜索, each with the URL
    /// that runs it) when the site has access logs; both empty otherwise.
    fn insert_readers<'s>(&'s self, context: &mut PageContext<'s>) {
        let Some(readers) = &self.site.readers else {
            context.insert_value("hot_reports", Value::from(Vec::<Value>::new()));
            context.insert_value("popular_queries", Value::from(Vec::<Value>::new()));
            return;
        };
        self.insert_cards(context, "hot_reports", &readers.hot);
        let search = self.urls.path("search/");
        let queries: Vec<PopularQuery> = readers
            .popular_queries
            .iter()
            .map(|(query, count)| {
                let encoded = percent_encoding::utf8_percent_encode(
                    query,
                    percent_encoding::NON_ALPHANUMERIC,
                );
                PopularQuery {
                    query: query.clone(),
                    count: *count,
                    url: format!("{search}?q={encoded}"),
                }
            })
            .collect();
        context.insert("popular_queries", &queries);
    }

    /// The page at site-relative `folder` in every edition (none without variants), for
    /// `hreflang` links and the script switch.
    fn alternates(&self, folder: &str) -> Vec<Alternate> {
        let config = &self.site.config;
        if config.variants.is_empty() {
            return Vec::new();
        }
        let main = config.main_base_url();
        let editions = std::iter::once((None, "zh-Hans", "简体", String::new())).chain(
            config
                .variants
                .iter()
                .map(|v| (Some(*v), v.language(), v.label(), v.folder().to_string())),
        );
        editions
            .map(|(edition, hreflang, label, prefix)| {
                let base = format!("{main}{prefix}");
                let base_path = crate::config::base_path_of(&base);
                Alternate {
                    hreflang,
                    label,
                    url: format!("{base_path}{folder}"),
                    permalink: format!("{base}{folder}"),
                    current: edition == config.edition,
                }
            })
            .collect()
    }

    /// What report `i`'s own page shows, with `content` standing for its body.
    fn report_view<C>(&self, i: usize, content: C) -> ReportView<'a, C> {
        let site = self.site;
        let meta = &site.reports[i].meta;
        let body = &site.reports[i].body;
        ReportView {
            content,
            publisher: meta
                .publisher
                .as_deref()
                .unwrap_or(&site.config.government.publisher),
            toc: &body.toc,
            show_toc: body.toc.len() >= 3,
            updated_display: meta.updated.as_ref().map(chinese_date),
            index_no: &meta.index_no,
            doc_no: &meta.doc_no,
            written_display: meta.written.as_ref().map(chinese_date),
            disclosure: &meta.disclosure,
            topic: &meta.topic,
            extra: &meta.extra,
            keywords: term_links(&site.tags, &self.urls, i),
        }
    }

    /// The template and context of a page job.
    pub fn context(&self, job: Job) -> (&'static str, PageContext<'_>) {
        let site = self.site;
        let folder = job.page_path(site).unwrap_or_default();
        match job {
            Job::Home(n) => {
                let mut context = self.page_context("home", &folder, &site.config.title, "");
                self.insert_list(&mut context, &site.home_order, "", n);
                context.extend(
                    self.home_sidebar
                        .get_or_init(|| self.home_sidebar())
                        .clone(),
                );
                ("index.html", context)
            }
            Job::Page(i) => {
                let page = &site.pages[i];
                let meta = &page.meta;
                let summary = meta.summary.as_deref().unwrap_or(&page.body.summary_text);
                let mut context = self.page_context("page", &folder, &meta.title, summary);
                context.insert(
                    "standalone",
                    &StandalonePage {
                        title: &meta.title,
                        content: &page.body.html,
                        toc: &page.body.toc,
                        show_toc: page.body.toc.len() >= 3,
                        updated_display: meta.updated.as_ref().map(chinese_date),
                        extra: &meta.extra,
                    },
                );
                ("page.html", context)
            }
            Job::Report(i) => {
                let report = &site.reports[i];
                let meta = &report.meta;
                // The card's summary: the front-matter's, else the body's lead.
                let summary = meta.summary.as_deref().unwrap_or(&report.body.summary_text);
                let mut context = self.page_context("report", &folder, &meta.title, summary);
                self.insert_card(&mut context, "card", Some(i));
                let html = &report.body.html;
                context.insert_made(
                    "report",
                    move || crate::incremental::fingerprint(&self.report_view(i, html.hash())),
                    move || Value::from_serializable(&self.report_view(i, &**html)),
                );
                let related = &site.related[i];
                self.insert_cards(&mut context, "related", &related.ids);
                context.insert("related_fallback", &related.fallback);
                // Newer report is "previous" in a newest-first list; the template labels them.
                self.insert_card(&mut context, "newer", i.checked_sub(1));
                let older = Some(i + 1).filter(|&o| o < site.reports.len());
                self.insert_card(&mut context, "older", older);
                ("report.html", context)
            }
            Job::TermIndex(kind) => {
                let taxonomy = taxonomy_of(site, kind);
                let title = site.ui(taxonomy_title(kind));
                let mut context = self.page_context("terms", &folder, &title, "");
                context.insert_later(
                    "taxonomy",
                    TaxonomyInfo {
                        kind: kind.folder(),
                        title: title.clone(),
                    },
                );
                let terms = term_summaries(site, taxonomy, &self.urls);
                if kind == TaxonomyKind::Tags {
                    let trending: Vec<_> = site
                        .trending
                        .iter()
                        .map(|&(t, count)| CountedLink {
                            name: terms[t].name.clone(),
                            url: terms[t].url.clone(),
                            count,
                        })
                        .collect();
                    context.insert("trending", &trending);
                }
                context.insert("terms", &terms);
                ("terms.html", context)
            }
            Job::Term(kind, t, n) => {
                let term = &taxonomy_of(site, kind).terms[t];
                let first = format!("{}/{}/", kind.folder(), term.slug);
                let kind_title = site.ui(taxonomy_title(kind));
                let title = format!("{kind_title}：{}", term.name);
                let mut context = self.page_context("term", &folder, &title, "");
                let first_use = term
                    .reports
                    .last()
                    .map(|&r| chinese_date(&site.reports[r].date));
                context.insert_later(
                    "listing",
                    Listing {
                        kind: kind.folder(),
                        kind_title: kind_title.clone(),
                        name: term.name.clone(),
                        count: term.reports.len(),
                        index_url: self.urls.path(&format!("{}/", kind.folder())),
                        first_date: first_use,
                        latest_date: Some(chinese_date(&site.reports[term.reports[0]].date)),
                    },
                );
                if kind != TaxonomyKind::Sources {
                    context.insert_later(
                        "feed",
                        FeedLink {
                            title: title.clone(),
                            url: self.urls.path(&format!("{first}feed.xml")),
                        },
                    );
                }
                if kind == TaxonomyKind::Tags {
                    let co: Vec<_> = site.co_tags[t]
                        .iter()
                        .map(|&(other, count)| {
                            let other = &site.tags.terms[other];
                            CountedLink {
                                name: other.name.clone(),
                                url: self.urls.term(kind, &other.slug),
                                count,
                            }
                        })
                        .collect();
                    context.insert_later("co_tags", co);
                }
                self.insert_list(&mut context, &term.reports, &first, n);
                ("list.html", context)
            }
            Job::YearIndex => {
                let title = site.ui("年度归档");
                let mut context = self.page_context("terms", &folder, &title, "");
                context.insert_later(
                    "taxonomy",
                    TaxonomyInfo {
                        kind: "archive",
                        title: title.clone(),
                    },
                );
                let years: Vec<_> = site
                    .years
                    .iter()
                    .map(|y| TermSummary {
                        name: format!("{}年", y.year),
                        slug: y.year.to_string(),
                        url: self.urls.path(&format!("archive/{}/", y.year)),
                        count: y.reports.len(),
                        latest_date: chinese_date(&site.reports[y.reports[0]].date),
                        weight: 3,
                    })
                    .collect();
                context.insert("terms", &years);
                ("terms.html", context)
            }
            Job::Year(y, n) => {
                let year = &site.years[y];
                let first = format!("archive/{}/", year.year);
                let title = site.ui(&format!("{}年报告", year.year));
                let mut context = self.page_context("term", &folder, &title, "");
                context.insert_later(
                    "listing",
                    Listing {
                        kind: "archive",
                        kind_title: site.ui("年度归档"),
                        name: format!("{}年", year.year),
                        count: year.reports.len(),
                        index_url: self.urls.path("archive/"),
                        first_date: None,
                        latest_date: None,
                    },
                );
                self.insert_list(&mut context, &year.reports, &first, n);
                ("list.html", context)
            }
            Job::DataPage => {
                let mut context = self.page_context(
                    "data",
                    &folder,
                    &site.ui("开放数据"),
                    &site.ui("全部报告的元数据，JSON 与 CSV 格式下载"),
                );
                let columns: Vec<Column> = COLUMNS
                    .iter()
                    .map(|&(name, description)| Column {
                        name,
                        description: site.ui(description),
                    })
                    .collect();
                context.insert("columns", &columns);
                context.insert("report_count", &site.reports.len());
                context.insert("has_views", &site.readers.is_some());
                ("data.html", context)
            }
            Job::Redirect(r) => {
                let redirect = &self.redirects[r];
                let path = self.urls.report(&site.reports[redirect.report]);
                let mut context =
                    self.page_context("redirect", &redirect.file, &site.ui("页面已迁移"), "");
                context.insert_later(
                    "target",
                    RedirectTarget {
                        permalink: site.config.absolute_url(&path),
                        url: path,
                        title: site.reports[redirect.report].meta.title.clone(),
                    },
                );
                ("redirect.html", context)
            }
            Job::SearchPage => {
                let mut context = self.page_context("search", &folder, &site.ui("全文检索"), "");
                let departments: Vec<&str> = site
                    .departments
                    .terms
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect();
                let years: Vec<i16> = site.years.iter().map(|y| y.year).collect();
                context.insert("search_departments", &departments);
                context.insert("search_years", &years);
                ("search.html", context)
            }
            Job::Feed(_) | Job::Sitemap | Job::OpenData | Job::SearchIndex => {
                unreachable!("{job:?} is not a page")
            }
            Job::NotFound => {
                let context = self.page_context("404", &folder, &site.ui("页面未找到"), "");
                ("404.html", context)
            }
        }
    }
}

pub fn taxonomy_of(site: &Site, kind: TaxonomyKind) -> &Taxonomy {
    match kind {
        TaxonomyKind::Tags => &site.tags,
        TaxonomyKind::Departments => &site.departments,
        TaxonomyKind::Sources => &site.sources,
    }
}

/// The ColumnName (栏目名称) of a page, for the government-site meta tag: its section.
fn column_name(kind: &str, folder: &str) -> &'static str {
    let section = folder.split('/').next().unwrap_or_default();
    match (kind, section) {
        ("report" | "redirect", _) => "评议报告",
        ("search", _) => "检索",
        ("404", _) => "页面未找到",
        (_, "tags") => taxonomy_title(TaxonomyKind::Tags),
        (_, "departments") => taxonomy_title(TaxonomyKind::Departments),
        (_, "sources") => taxonomy_title(TaxonomyKind::Sources),
        (_, "archive") => "年度归档",
        (_, "data") => "开放数据",
        _ => "首页",
    }
}

/// The heading of a taxonomy's pages (热词, 评议对象, 来源).
pub fn taxonomy_title(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Tags => "热词",
        TaxonomyKind::Departments => "评议对象",
        TaxonomyKind::Sources => "来源",
    }
}

/// The ids on page `n` (1-based).
pub fn page_slice(ids: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(ids.len());
    let end = (start + per_page).min(ids.len());
    &ids[start..end]
}
