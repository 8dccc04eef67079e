//! The small, ready values templates receive; built once per report and reused by every list.

use crate::content::Report;
use crate::model::{Site, Taxonomy, TaxonomyKind};
use jiff::ZonedDateTime as Zoned;
use serde::Serialize;

/// A link to a term page.
#[derive(Clone, Debug, Serialize)]
pub struct TermLink {
    /// The term as written.
    pub name: String,
    /// Its page, base path included.
    pub url: String,
}

/// A term with its use, for indexes and clouds.
#[derive(Clone, Debug, Serialize)]
pub struct TermSummary {
    /// The term as written.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Its page.
    pub url: String,
    /// Reports carrying it.
    pub count: usize,
    /// Date of its newest report, `2020年8月6日`.
    pub latest_date: String,
    /// 1 (rare) … 5 (most used), for a weighted cloud.
    pub weight: u8,
}

/// What a list shows of a report.
#[derive(Clone, Debug, Serialize)]
pub struct ReportCard {
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// ISO 8601 date-time, for `<time datetime>`.
    pub date: String,
    /// `2020年8月6日`.
    pub date_display: String,
    /// Appraised body.
    pub department: Option<TermLink>,
    /// Kind of text.
    pub source: Option<TermLink>,
    /// Hot keywords.
    pub tags: Vec<TermLink>,
    /// Plain-text lead.
    pub summary: String,
    /// Pinned on the home page.
    pub pinned: bool,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// All-time views, when the site shows them (`show_views` and access logs).
    pub views: Option<u64>,
}

/// `2020年8月6日`.
pub fn chinese_date(date: &Zoned) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// `2020-08-06T00:00:00+08:00`: ISO 8601 with the site's offset, for `<time>` and meta tags.
pub fn iso_date(date: &Zoned) -> String {
    date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Site paths for pages, all under the base path.
#[derive(Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// URLs under `base_path` (`/` or `/pingyi/`).
    pub fn new(base_path: String) -> Self {
        Urls { base: base_path }
    }

    /// The base path itself.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `base` + `relative` (`reports/a/`).
    pub fn path(&self, relative: &str) -> String {
        self.joined(&[relative])
    }

    /// A report's page.
    pub fn report(&self, report: &Report) -> String {
        self.joined(&[&report.url_path])
    }

    /// A term's page.
    pub fn term(&self, kind: TaxonomyKind, slug: &str) -> String {
        self.joined(&[kind.folder(), "/", slug, "/"])
    }

    /// `base` followed by `parts` (made for every card and link, so without `format!`).
    fn joined(&self, parts: &[&str]) -> String {
        let len = self.base.len() + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut url = String::with_capacity(len);
        url.push_str(&self.base);
        parts.iter().for_each(|part| url.push_str(part));
        url
    }
}

/// The card of report `index`.
pub fn report_card(site: &Site, urls: &Urls, index: usize) -> ReportCard {
    let report: &Report = &site.reports[index];
    let first_link = |taxonomy: &Taxonomy| term_links(taxonomy, urls, index).into_iter().next();
    ReportCard {
        title: report.meta.title.clone(),
        url: urls.report(report),
        date: iso_date(&report.date),
        date_display: chinese_date(&report.date),
        department: first_link(&site.departments),
        source: first_link(&site.sources),
        tags: term_links(&site.tags, urls, index),
        summary: report
            .meta
            .summary
            .clone()
            .unwrap_or_else(|| report.body.summary_text.clone()),
        pinned: report.meta.pinned,
        reading_minutes: report.body.length.reading_minutes(),
        views: shown_views(site, index),
    }
}

/// Report `index`'s all-time views when the site shows them.
fn shown_views(site: &Site, index: usize) -> Option<u64> {
    let readers = site.readers.as_ref().filter(|_| site.config.show_views)?;
    readers.views.get(index).map(|&(total, _)| total)
}

/// Links to the terms report `index` carries.
pub fn term_links(taxonomy: &Taxonomy, urls: &Urls, index: usize) -> Vec<TermLink> {
    taxonomy.of_report[index]
        .iter()
        .map(|&t| {
            let term = &taxonomy.terms[t];
            TermLink {
                name: term.name.clone(),
                url: urls.term(taxonomy.kind, &term.slug),
            }
        })
        .collect()
}

/// Every term of a taxonomy with counts and cloud weights, in rank order.
pub fn term_summaries(site: &Site, taxonomy: &Taxonomy, urls: &Urls) -> Vec<TermSummary> {
    let max = taxonomy.terms.first().map_or(1, |t| t.reports.len()).max(1) as f64;
    taxonomy
        .terms
        .iter()
        .map(|term| {
            let count = term.reports.len();
            let weight = 1 + ((count as f64).ln_1p() / max.ln_1p() * 4.0).round() as u8;
            TermSummary {
                name: term.name.clone(),
                slug: term.slug.clone(),
                url: urls.term(taxonomy.kind, &term.slug),
                count,
                latest_date: chinese_date(&site.reports[term.reports[0]].date),
                weight: weight.min(5),
            }
        })
        .collect()
}

/// Page links for a paginated list.
#[derive(Clone, Debug, Serialize)]
pub struct Paginator {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page, if any.
    pub previous: Option<String>,
    /// Next page, if any.
    pub next: Option<String>,
    /// Numbered links: first, last and up to two either side of the current page (a gap between
    /// two links whose numbers are not consecutive is for the template to show as `…`).
    pub pages: Vec<PageLink>,
}

/// One numbered page link.
#[derive(Clone, Debug, Serialize)]
pub struct PageLink {
    /// 1-based number.
    pub number: usize,
    /// Its URL.
    pub url: String,
    /// True for the page being shown.
    pub current: bool,
}

/// The site-relative folder of page `number` of a list at `first` (`` for the home page).
pub fn page_folder(first: &str, number: usize) -> String {
    if number == 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

impl Paginator {
    /// Page `current` of `total`, for a list whose first page is at site-relative `first`.
    pub fn new(urls: &Urls, first: &str, current: usize, total: usize) -> Self {
        let url = |n: usize| urls.path(&page_folder(first, n));
        Paginator {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: page_window(current, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: url(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

/// Page numbers to link: first, last, and the current page ± 2, so long lists stay cheap.
fn page_window(current: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = vec![1];
    for n in current.saturating_sub(2).max(2)..=(current + 2).min(total) {
        pages.push(n);
    }
    if total > 1 && pages.last() != Some(&total) {
        pages.push(total);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_window_table() {
        let cases: &[(usize, usize, &[usize])] = &[
            (1, 1, &[1]),
            (1, 3, &[1, 2, 3]),
            (1, 10, &[1, 2, 3, 10]),
            (5, 10, &[1, 3, 4, 5, 6, 7, 10]),
            (10, 10, &[1, 8, 9, 10]),
        ];
        for (current, total, expected) in cases {
            assert_eq!(
                page_window(*current, *total),
                *expected,
                "{current}/{total}"
            );
        }
    }
}
