//! The theme API: the typed value each template is rendered from — one struct per template,
//! each holding [`Common`] — and the values inside them besides cards and term summaries (see
//! `docs/theme-api.md`, which `tests/theme_api.rs` keeps in step with them).

use super::context::{Paginator, TermLink, TermSummary};
use super::costly::{Body, Card, Cards};
use crate::content::markdown::TocEntry;
use serde::Serialize;

/// What every page receives (its fields are variables of every template).
#[derive(Serialize)]
pub struct Common<'r> {
    /// `site`: the portal.
    pub site: &'r SiteInfo<'r>,
    /// `nav_pages`: standalone pages in the navigation.
    pub nav_pages: &'r [NavLink<'r>],
    /// `feed`: the site's feed, or a keyword's or department's on its list pages.
    pub feed: FeedLink,
    /// `page`: this page.
    pub page: PageInfo,
    /// `hot_reports`: 热点文章 (empty without access logs).
    pub hot_reports: Cards<'r>,
    /// `popular_queries`: 热门搜索 (empty without access logs).
    pub popular_queries: &'r [PopularQuery],
}

/// `index.html`: a page of the home list.
#[derive(Serialize)]
pub struct HomePage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `reports` and `paginator`.
    #[serde(flatten)]
    pub list: ListPart<'r>,
    /// `hot_tags`: the most used keywords.
    pub hot_tags: &'r [TermSummary],
    /// `departments`: every department.
    pub departments: &'r [TermSummary],
    /// `newest_by_department`: each department with its newest reports.
    pub newest_by_department: Vec<DepartmentNewest<'r>>,
}

/// `report.html`: a report's own page.
#[derive(Serialize)]
pub struct ReportPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `card`: the report as lists show it.
    pub card: Card<'r>,
    /// `report`: what only its own page shows.
    pub report: ReportView<'r>,
    /// `related`: related reports.
    pub related: Cards<'r>,
    /// `related_fallback`: `related` holds the newest reports because none is related.
    pub related_fallback: bool,
    /// `newer`: the next newer report.
    pub newer: Option<Card<'r>>,
    /// `older`: the next older report.
    pub older: Option<Card<'r>>,
}

/// `page.html`: a standalone page (信息公开指南, 联系我们).
#[derive(Serialize)]
pub struct StandalonePage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `standalone`: the page.
    pub standalone: StandaloneView<'r>,
}

/// `terms.html`: the index of a taxonomy, or of years.
#[derive(Serialize)]
pub struct TermsPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `taxonomy`: which index.
    pub taxonomy: TaxonomyInfo,
    /// `terms`: every term (or year), most used first.
    pub terms: Vec<TermSummary>,
    /// `trending`: keywords used most in the last year (the keyword index only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trending: Option<Vec<CountedLink>>,
}

/// `list.html`: a page of one term's or year's reports.
#[derive(Serialize)]
pub struct ListPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `listing`: what is listed.
    pub listing: Listing,
    /// `co_tags`: keywords used together with this one (keywords only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co_tags: Option<Vec<CountedLink>>,
    /// `reports` and `paginator`.
    #[serde(flatten)]
    pub list: ListPart<'r>,
}

/// `data.html`: the open-data page.
#[derive(Serialize)]
pub struct DataPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `columns`: the columns of the exports.
    pub columns: Vec<Column>,
    /// `report_count`: reports in the exports.
    pub report_count: usize,
    /// `has_views`: `views.csv` is published.
    pub has_views: bool,
}

/// `search.html`: the search page.
#[derive(Serialize)]
pub struct SearchPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `search_departments`: the departments, for the filter.
    pub search_departments: Vec<&'r str>,
    /// `search_years`: the years, for the filter.
    pub search_years: Vec<i16>,
}

/// `redirect.html`: the page left at a report's old address.
#[derive(Serialize)]
pub struct RedirectPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
    /// `target`: the report it moved to.
    pub target: RedirectTarget,
}

/// `404.html`: only the variables of every page.
#[derive(Serialize)]
pub struct NotFoundPage<'r> {
    /// The variables of every page.
    #[serde(flatten)]
    pub common: Common<'r>,
}

/// `reports` and `paginator`: one page of a list.
#[derive(Serialize)]
pub struct ListPart<'r> {
    /// `reports`: this page's reports.
    pub reports: Cards<'r>,
    /// `paginator`: the page links.
    pub paginator: Paginator,
}

/// `site`: the portal, from site.yaml.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    /// Its name.
    pub title: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Where the site is served.
    pub base_url: &'a str,
    /// The path part of `base_url`.
    pub base_path: String,
    /// Where theme files (css, js, icons) are: the main edition's base path, shared by variants.
    pub asset_path: String,
    /// `<html lang>`.
    pub language: &'a str,
    /// The host of `base_url`, for the SiteDomain meta tag.
    pub domain: &'a str,
    /// 主办单位, 承办单位, 联系方式, 网站标识码 and the registration numbers.
    pub government: &'a crate::config::GovernmentInfo,
    /// The digits of the 公安机关备案号, for the link to its register entry.
    pub police_code: String,
}

/// One of `nav_pages`: a standalone page's link in the navigation.
#[derive(Serialize)]
pub struct NavLink<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its URL.
    pub url: String,
}

/// `report`: what a report's own page shows besides its card.
#[derive(Serialize)]
pub struct ReportView<'r> {
    /// The body as HTML.
    pub content: Body<'r>,
    /// 发布机构: the report's own `publisher`, else the site's.
    pub publisher: &'r str,
    /// The body's headings.
    pub toc: &'r [TocEntry],
    /// Three headings or more.
    pub show_toc: bool,
    /// `updated`, shown.
    pub updated_display: Option<String>,
    /// 索引号.
    pub index_no: &'r Option<String>,
    /// 文号.
    pub doc_no: &'r Option<String>,
    /// 成文日期, shown.
    pub written_display: Option<String>,
    /// 公开方式.
    pub disclosure: &'r Option<String>,
    /// 主题分类.
    pub topic: &'r Option<String>,
    /// Front-matter fields gongshi does not know.
    pub extra: &'r serde_json::Value,
    /// The report's keywords.
    pub keywords: Vec<TermLink>,
}

/// `standalone`: what a standalone page shows.
#[derive(Serialize)]
pub struct StandaloneView<'p> {
    /// Its title.
    pub title: &'p str,
    /// Its body as HTML.
    pub content: &'p str,
    /// Its headings.
    pub toc: &'p [TocEntry],
    /// Three headings or more.
    pub show_toc: bool,
    /// `updated`, shown.
    pub updated_display: Option<String>,
    /// Front-matter fields gongshi does not know.
    pub extra: &'p serde_json::Value,
}

/// `page`: the page being rendered.
#[derive(Serialize)]
pub struct PageInfo {
    /// `home`, `report`, `page`, `terms`, `term`, `data`, `search`, `redirect` or `404`.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its description (a report's summary, else the site's).
    pub description: String,
    /// Its URL.
    pub path: String,
    /// Its absolute URL.
    pub permalink: String,
    /// The page in every edition (empty without variants).
    pub alternates: Vec<Alternate>,
    /// The ColumnName (栏目名称) meta tag.
    pub column: String,
}

/// One edition of a page, for `hreflang` links and the script switch.
#[derive(Serialize)]
pub struct Alternate {
    /// `zh-Hans`, `zh-Hant`.
    pub hreflang: &'static str,
    /// `简体`, `繁體`.
    pub label: &'static str,
    /// The page's URL in that edition.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// True for the edition being built.
    pub current: bool,
}

/// `feed`: the Atom feed a page advertises.
#[derive(Serialize)]
pub struct FeedLink {
    /// The feed's title.
    pub title: String,
    /// Its URL.
    pub url: String,
}

/// One of `popular_queries` (热门搜索).
#[derive(Serialize)]
pub struct PopularQuery {
    /// The query.
    pub query: String,
    /// How often it was searched.
    pub count: u64,
    /// The search page running it.
    pub url: String,
}

/// `taxonomy`: which index `terms.html` shows.
#[derive(Serialize)]
pub struct TaxonomyInfo {
    /// `tags`, `departments`, `sources` or `archive`.
    pub kind: &'static str,
    /// Its heading.
    pub title: String,
}

/// A keyword with a count: one of `trending` or `co_tags`.
#[derive(Serialize)]
pub struct CountedLink {
    /// The keyword.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Reports counted.
    pub count: usize,
}

/// `listing`: what `list.html` lists.
#[derive(Serialize)]
pub struct Listing {
    /// `tags`, `departments`, `sources` or `archive`.
    pub kind: &'static str,
    /// 热词, 评议对象, 来源 or 年度归档.
    pub kind_title: String,
    /// The term, or the year (`2021年`).
    pub name: String,
    /// Its reports.
    pub count: usize,
    /// The index of its kind.
    pub index_url: String,
    /// Its oldest report's date (terms only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<String>,
    /// Its newest report's date (terms only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_date: Option<String>,
}

/// One of `columns` on the open-data page.
#[derive(Serialize)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// What it holds.
    pub description: String,
}

/// `target`: where a redirect page sends the reader.
#[derive(Serialize)]
pub struct RedirectTarget {
    /// The report's URL.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// Its title.
    pub title: String,
}

/// One of `newest_by_department` on the home page.
#[derive(Serialize)]
pub struct DepartmentNewest<'r> {
    /// The department.
    pub name: &'r str,
    /// Its page.
    pub url: &'r str,
    /// Its reports.
    pub count: usize,
    /// Its newest reports.
    pub reports: Cards<'r>,
}
