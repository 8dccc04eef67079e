//! The typed values templates receive besides cards and term summaries (see
//! `docs/theme-api.md`, which `tests/theme_api.rs` keeps in step with them).

use serde::Serialize;

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
pub struct DepartmentNewest {
    /// The department.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Its reports.
    pub count: usize,
    /// Its newest reports, as cards.
    pub reports: tera::Value,
}
