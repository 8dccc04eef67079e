//! Template pages: the context each page job's template is rendered from, one builder per page.

use super::Job;
use super::context::{Paginator, TermSummary, Urls, chinese_date, term_links, term_summaries};
use super::costly::{Body, CardCache, Mode};
use super::open_data::COLUMNS;
use super::page_context::PageContext;
use super::redirects::Redirect;
use super::variables::{
    Alternate, Column, Common, CountedLink, DataPage, DepartmentNewest, FeedLink, HomePage,
    ListPage, ListPart, Listing, NavLink, NotFoundPage, PageInfo, PopularQuery, RedirectPage,
    RedirectTarget, ReportPage, ReportView, SearchPage, SiteInfo, StandalonePage, StandaloneView,
    TaxonomyInfo, TermsPage,
};
use crate::model::{Site, Taxonomy, TaxonomyKind};
use std::sync::OnceLock;

/// Keywords in the home page's hot-keyword cloud.
const HOT_TAGS: usize = 20;

/// Reports shown per department on the home page.
const NEWEST_PER_DEPARTMENT: usize = 3;

/// Builds page contexts, keeping what many pages share.
pub struct Renderer<'a> {
    site: &'a Site,
    redirects: &'a [Redirect],
    urls: Urls,
    cards: CardCache<'a>,
    site_info: SiteInfo<'a>,
    nav_pages: Vec<NavLink<'a>>,
    popular_queries: Vec<PopularQuery>,
    /// The home page's `hot_tags` and `departments`, made on first use.
    home_terms: OnceLock<(Vec<TermSummary>, Vec<TermSummary>)>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(site: &'a Site, redirects: &'a [Redirect]) -> Self {
        let config = &site.config;
        let urls = Urls::new(config.base_path());
        let site_info = SiteInfo {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: urls.base().to_string(),
            asset_path: config.main_base_path(),
            language: &config.language,
            domain: config.domain(),
            government: &config.government,
            police_code: config
                .government
                .police_record
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
        };
        let nav_pages = site
            .pages
            .iter()
            .filter(|page| page.meta.nav.is_some())
            .map(|page| NavLink {
                title: &page.meta.title,
                url: urls.path(&page.url_path),
            })
            .collect();
        Renderer {
            site,
            redirects,
            cards: CardCache::new(site, urls.clone()),
            popular_queries: popular_queries(site, &urls),
            urls,
            site_info,
            nav_pages,
            home_terms: OnceLock::new(),
        }
    }

    /// URL maker for this site.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// The context of a page job, its costly parts made as `mode` says.
    pub fn context(&self, job: Job, mode: Mode) -> PageContext<'_> {
        let folder = &job.page_path(self.site).unwrap_or_default();
        match job {
            Job::Home(n) => PageContext::Home(self.home_page(n, folder, mode)),
            Job::Report(i) => PageContext::Report(self.report_page(i, folder, mode)),
            Job::Page(i) => PageContext::Standalone(self.standalone_page(i, folder, mode)),
            Job::TermIndex(kind) => PageContext::Terms(self.term_index(kind, folder, mode)),
            Job::YearIndex => PageContext::Terms(self.year_index(folder, mode)),
            Job::Term(kind, t, n) => PageContext::List(self.term_page(kind, t, n, folder, mode)),
            Job::Year(y, n) => PageContext::List(self.year_page(y, n, folder, mode)),
            Job::DataPage => PageContext::Data(self.data_page(folder, mode)),
            Job::SearchPage => PageContext::Search(self.search_page(folder, mode)),
            Job::Redirect(r) => PageContext::Redirect(self.redirect_page(r, mode)),
            Job::NotFound => PageContext::NotFound(NotFoundPage {
                common: self.common("404", folder, &self.site.ui("页面未找到"), "", None, mode),
            }),
            Job::Feed(_) | Job::Sitemap | Job::OpenData | Job::SearchIndex => {
                unreachable!("{job:?} is not a page")
            }
        }
    }

    /// What every page gets; `feed` replaces the site's feed.
    fn common(
        &self,
        kind: &str,
        folder: &str,
        title: &str,
        description: &str,
        feed: Option<FeedLink>,
        mode: Mode,
    ) -> Common<'_> {
        let config = &self.site.config;
        let hot: &[usize] = self.site.readers.as_ref().map_or(&[], |r| &r.hot);
        let path = self.urls.path(folder);
        Common {
            site: &self.site_info,
            nav_pages: &self.nav_pages,
            feed: feed.unwrap_or_else(|| FeedLink {
                title: config.title.clone(),
                url: self.urls.path("feed.xml"),
            }),
            page: PageInfo {
                kind: kind.to_string(),
                title: title.to_string(),
                description: if description.is_empty() {
                    config.description.clone()
                } else {
                    description.to_string()
                },
                permalink: config.absolute_url(&path),
                path,
                alternates: self.alternates(folder),
                column: self.site.ui(column_name(kind, folder)),
            },
            hot_reports: self.cards.cards(hot, mode),
            popular_queries: &self.popular_queries,
        }
    }

    /// Page `n` of the list `ids`, whose first page is at `first`.
    fn list_part<'s>(
        &'s self,
        ids: &'s [usize],
        first: &str,
        n: usize,
        mode: Mode,
    ) -> ListPart<'s> {
        let per_page = self.site.config.paginate;
        let pages = ids.len().div_ceil(per_page).max(1);
        ListPart {
            reports: self.cards.cards(page_slice(ids, n, per_page), mode),
            paginator: Paginator::new(&self.urls, first, n, pages),
        }
    }

    /// `index.html`: page `n` of the home list.
    fn home_page(&self, n: usize, folder: &str, mode: Mode) -> HomePage<'_> {
        let site = self.site;
        let (hot_tags, departments) = self.home_terms.get_or_init(|| {
            let mut hot = term_summaries(site, &site.tags, &self.urls);
            hot.truncate(HOT_TAGS);
            (hot, term_summaries(site, &site.departments, &self.urls))
        });
        let newest_by_department = site
            .departments
            .terms
            .iter()
            .zip(departments)
            .map(|(term, summary)| DepartmentNewest {
                name: &summary.name,
                url: &summary.url,
                count: summary.count,
                reports: self.cards.cards(
                    &term.reports[..term.reports.len().min(NEWEST_PER_DEPARTMENT)],
                    mode,
                ),
            })
            .collect();
        HomePage {
            common: self.common("home", folder, &site.config.title, "", None, mode),
            list: self.list_part(&site.home_order, "", n, mode),
            hot_tags,
            departments,
            newest_by_department,
        }
    }

    /// `report.html`: report `i`'s own page.
    fn report_page(&self, i: usize, folder: &str, mode: Mode) -> ReportPage<'_> {
        let site = self.site;
        let report = &site.reports[i];
        let meta = &report.meta;
        // The card's summary: the front-matter's, else the body's lead.
        let summary = meta.summary.as_deref().unwrap_or(&report.body.summary_text);
        let related = &site.related[i];
        // Newer report is "previous" in a newest-first list; the template labels them.
        let older = Some(i + 1).filter(|&o| o < site.reports.len());
        ReportPage {
            common: self.common("report", folder, &meta.title, summary, None, mode),
            card: self.cards.card(i, mode),
            report: self.report_view(i, mode),
            related: self.cards.cards(&related.ids, mode),
            related_fallback: related.fallback,
            newer: i.checked_sub(1).map(|newer| self.cards.card(newer, mode)),
            older: older.map(|older| self.cards.card(older, mode)),
        }
    }

    /// What report `i`'s own page shows besides its card.
    fn report_view(&self, i: usize, mode: Mode) -> ReportView<'_> {
        let site = self.site;
        let meta = &site.reports[i].meta;
        let body = &site.reports[i].body;
        ReportView {
            content: Body::new(&body.html, mode),
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

    /// `page.html`: standalone page `i`.
    fn standalone_page(&self, i: usize, folder: &str, mode: Mode) -> StandalonePage<'_> {
        let page = &self.site.pages[i];
        let meta = &page.meta;
        let summary = meta.summary.as_deref().unwrap_or(&page.body.summary_text);
        StandalonePage {
            common: self.common("page", folder, &meta.title, summary, None, mode),
            standalone: StandaloneView {
                title: &meta.title,
                content: &page.body.html,
                toc: &page.body.toc,
                show_toc: page.body.toc.len() >= 3,
                updated_display: meta.updated.as_ref().map(chinese_date),
                extra: &meta.extra,
            },
        }
    }

    /// `terms.html` for a taxonomy: every term, and the trending keywords on the keyword index.
    fn term_index(&self, kind: TaxonomyKind, folder: &str, mode: Mode) -> TermsPage<'_> {
        let site = self.site;
        let title = site.ui(taxonomy_title(kind));
        let terms = term_summaries(site, taxonomy_of(site, kind), &self.urls);
        let trending = (kind == TaxonomyKind::Tags).then(|| {
            site.trending
                .iter()
                .map(|&(t, count)| CountedLink {
                    name: terms[t].name.clone(),
                    url: terms[t].url.clone(),
                    count,
                })
                .collect()
        });
        TermsPage {
            common: self.common("terms", folder, &title, "", None, mode),
            taxonomy: TaxonomyInfo {
                kind: kind.folder(),
                title,
            },
            terms,
            trending,
        }
    }

    /// `terms.html` for the years.
    fn year_index(&self, folder: &str, mode: Mode) -> TermsPage<'_> {
        let site = self.site;
        let title = site.ui("年度归档");
        let years = site
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
        TermsPage {
            common: self.common("terms", folder, &title, "", None, mode),
            taxonomy: TaxonomyInfo {
                kind: "archive",
                title,
            },
            terms: years,
            trending: None,
        }
    }

    /// `list.html`: page `n` of term `t`'s reports, with its feed (not for sources) and the
    /// keywords used with it (keywords only).
    fn term_page(
        &self,
        kind: TaxonomyKind,
        t: usize,
        n: usize,
        folder: &str,
        mode: Mode,
    ) -> ListPage<'_> {
        let site = self.site;
        let term = &taxonomy_of(site, kind).terms[t];
        let first = format!("{}/{}/", kind.folder(), term.slug);
        let kind_title = site.ui(taxonomy_title(kind));
        let title = format!("{kind_title}：{}", term.name);
        let feed = (kind != TaxonomyKind::Sources).then(|| FeedLink {
            title: title.clone(),
            url: self.urls.path(&format!("{first}feed.xml")),
        });
        let co_tags = (kind == TaxonomyKind::Tags).then(|| {
            site.co_tags[t]
                .iter()
                .map(|&(other, count)| {
                    let other = &site.tags.terms[other];
                    CountedLink {
                        name: other.name.clone(),
                        url: self.urls.term(kind, &other.slug),
                        count,
                    }
                })
                .collect()
        });
        let listing = Listing {
            kind: kind.folder(),
            kind_title,
            name: term.name.clone(),
            count: term.reports.len(),
            index_url: self.urls.path(&format!("{}/", kind.folder())),
            first_date: term
                .reports
                .last()
                .map(|&r| chinese_date(&site.reports[r].date)),
            latest_date: Some(chinese_date(&site.reports[term.reports[0]].date)),
        };
        ListPage {
            common: self.common("term", folder, &title, "", feed, mode),
            listing,
            co_tags,
            list: self.list_part(&term.reports, &first, n, mode),
        }
    }

    /// `list.html`: page `n` of year `y`'s reports.
    fn year_page(&self, y: usize, n: usize, folder: &str, mode: Mode) -> ListPage<'_> {
        let site = self.site;
        let year = &site.years[y];
        let first = format!("archive/{}/", year.year);
        let title = site.ui(&format!("{}年报告", year.year));
        ListPage {
            common: self.common("term", folder, &title, "", None, mode),
            listing: Listing {
                kind: "archive",
                kind_title: site.ui("年度归档"),
                name: format!("{}年", year.year),
                count: year.reports.len(),
                index_url: self.urls.path("archive/"),
                first_date: None,
                latest_date: None,
            },
            co_tags: None,
            list: self.list_part(&year.reports, &first, n, mode),
        }
    }

    /// `data.html`: the open-data page.
    fn data_page(&self, folder: &str, mode: Mode) -> DataPage<'_> {
        let site = self.site;
        let title = site.ui("开放数据");
        let description = site.ui("全部报告的元数据，JSON 与 CSV 格式下载");
        DataPage {
            common: self.common("data", folder, &title, &description, None, mode),
            columns: COLUMNS
                .iter()
                .map(|&(name, description)| Column {
                    name,
                    description: site.ui(description),
                })
                .collect(),
            report_count: site.reports.len(),
            has_views: site.readers.is_some(),
        }
    }

    /// `search.html`: the search page, with the departments and years to filter by.
    fn search_page(&self, folder: &str, mode: Mode) -> SearchPage<'_> {
        let site = self.site;
        SearchPage {
            common: self.common("search", folder, &site.ui("全文检索"), "", None, mode),
            search_departments: site
                .departments
                .terms
                .iter()
                .map(|t| t.name.as_str())
                .collect(),
            search_years: site.years.iter().map(|y| y.year).collect(),
        }
    }

    /// `redirect.html`: the page at alias `r`, sending the reader to its report.
    fn redirect_page(&self, r: usize, mode: Mode) -> RedirectPage<'_> {
        let site = self.site;
        let redirect = &self.redirects[r];
        let report = &site.reports[redirect.report];
        let path = self.urls.report(report);
        let title = site.ui("页面已迁移");
        RedirectPage {
            common: self.common("redirect", &redirect.file, &title, "", None, mode),
            target: RedirectTarget {
                permalink: site.config.absolute_url(&path),
                url: path,
                title: report.meta.title.clone(),
            },
        }
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
}

/// `popular_queries` (热门搜索), each with the URL that runs it; empty without access logs.
fn popular_queries(site: &Site, urls: &Urls) -> Vec<PopularQuery> {
    let Some(readers) = &site.readers else {
        return Vec::new();
    };
    let search = urls.path("search/");
    readers
        .popular_queries
        .iter()
        .map(|(query, count)| {
            let encoded =
                percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC);
            PopularQuery {
                query: query.clone(),
                count: *count,
                url: format!("{search}?q={encoded}"),
            }
        })
        .collect()
}

/// The taxonomy of `kind`.
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
