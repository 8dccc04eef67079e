//! The site as data: reports sorted once, and indexes into them (terms, years, neighbours).

pub mod links;
pub mod readers;
pub mod related;
pub mod taxonomy;
pub mod term;
mod term_slugs;
pub mod variant;

use crate::config::SiteConfig;
use crate::content::Report;
use crate::diagnostics::Diagnostic;
use crate::permalink::Permalink;
pub use related::Related;
use std::collections::BTreeMap;
pub use taxonomy::{Taxonomy, YearArchive};
pub use term::{TaxonomyKind, Term};

/// Everything the render stage needs, computed once.
pub struct Site {
    /// The configuration.
    pub config: SiteConfig,
    /// Reports, newest first (date, then slug), the order every list uses.
    pub reports: Vec<Report>,
    /// Home-page order: pinned reports first, then the rest newest first.
    pub home_order: Vec<usize>,
    /// Hot keywords.
    pub tags: Taxonomy,
    /// Appraised bodies.
    pub departments: Taxonomy,
    /// Kinds of text.
    pub sources: Taxonomy,
    /// Years, newest first.
    pub years: Vec<YearArchive>,
    /// For each report, its related reports.
    pub related: Vec<Related>,
    /// For each keyword, the keywords that most often occur with it, with counts.
    pub co_tags: Vec<Vec<(usize, usize)>>,
    /// Keywords ranked by use in the 12 months up to the newest report, with counts.
    pub trending: Vec<(usize, usize)>,
    /// Time spent computing related lists, for `--verbose`.
    pub related_time: std::time::Duration,
    /// Fingerprint of everything the related lists are computed from.
    pub related_inputs: u64,
    /// Standalone pages, navigation ones first in `nav` order, then by slug.
    pub pages: Vec<Report>,
    /// View counts and the most-read reports, when access logs were given (`--views`).
    pub readers: Option<readers::Readers>,
    /// In a variant edition, converts the interface text written in Rust (page titles such as
    /// 年度归档); `None` in the main edition.
    pub ui_converter: Option<std::sync::Arc<crate::script::Converter>>,
}

impl Site {
    /// The three taxonomies, for code that treats them alike.
    pub fn taxonomies(&self) -> [&Taxonomy; 3] {
        [&self.tags, &self.departments, &self.sources]
    }

    /// Frees each report's plain text once the search index is written (it is needed for
    /// nothing else), lowering a build's peak memory.
    pub fn drop_search_text(&mut self) {
        for report in &mut self.reports {
            report.body.text = Default::default();
        }
    }

    /// Interface text in this edition's script.
    pub fn ui(&self, text: &str) -> String {
        match &self.ui_converter {
            Some(converter) => converter.convert(text),
            None => text.to_string(),
        }
    }

    /// The taxonomy of one kind.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        match kind {
            TaxonomyKind::Tags => &self.tags,
            TaxonomyKind::Departments => &self.departments,
            TaxonomyKind::Sources => &self.sources,
        }
    }
}

/// Keywords listed as occurring with a keyword.
const CO_TAGS: usize = 10;
/// Keywords in the trending block.
const TRENDING: usize = 20;

/// Builds the model; errors (two reports on one URL) and warnings (slug collisions) are returned.
/// `known_related` are related lists computed before, with the fingerprint of their inputs:
/// they are reused when the inputs are the same.
pub fn build_site(
    config: SiteConfig,
    reports: Vec<Report>,
    known_related: Option<&(u64, Vec<Related>)>,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    // Standalone pages (信息公开指南, 联系我们) live apart: no list, feed or index ever sees them.
    let (mut pages, mut reports): (Vec<Report>, Vec<Report>) =
        reports.into_iter().partition(|r| r.meta.page);
    pages.sort_by(|a, b| {
        (a.meta.nav.is_none(), a.meta.nav, &a.slug).cmp(&(
            b.meta.nav.is_none(),
            b.meta.nav,
            &b.slug,
        ))
    });
    // Keys first, then each report moved into place once: sorting the reports themselves (840
    // bytes each) moved them about log₂ n times, on one thread (188 ms at 100k reports).
    reports.sort_by_cached_key(|r| (std::cmp::Reverse(r.date.timestamp()), r.slug.clone()));
    let mut home_order: Vec<usize> = (0..reports.len())
        .filter(|&i| reports[i].meta.pinned)
        .collect();
    home_order.extend((0..reports.len()).filter(|&i| !reports[i].meta.pinned));
    // The checks and the three taxonomies are independent: built side by side.
    let taxonomy = |kind| {
        let mut found = Vec::new();
        (Taxonomy::build(kind, &reports, &config, &mut found), found)
    };
    let (
        ((tags, tag_problems), (departments, department_problems)),
        ((sources, source_problems), url_problems),
    ) = rayon::join(
        || {
            rayon::join(
                || taxonomy(TaxonomyKind::Tags),
                || taxonomy(TaxonomyKind::Departments),
            )
        },
        || {
            rayon::join(
                || taxonomy(TaxonomyKind::Sources),
                || {
                    let mut found = Vec::new();
                    check_unique_urls(&reports, &config.permalink, &mut found);
                    found
                },
            )
        },
    );
    problems.extend(url_problems);
    problems.extend(tag_problems);
    problems.extend(department_problems);
    problems.extend(source_problems);
    let years = taxonomy::years(&reports);
    let related_started = std::time::Instant::now();
    let related_inputs = related_fingerprint(&reports, &tags, &departments, &config);
    let (related, (co_tags, trending)) = rayon::join(
        || match known_related {
            Some((inputs, lists)) if *inputs == related_inputs => lists.clone(),
            _ => related::related_reports(&reports, &tags, &departments, &config.related),
        },
        || {
            (
                taxonomy::co_occurring(&tags, CO_TAGS),
                taxonomy::trending(&reports, &tags, TRENDING, config.year_ago()),
            )
        },
    );
    let related_time = related_started.elapsed();
    let site = Site {
        config,
        reports,
        home_order,
        tags,
        departments,
        sources,
        years,
        related,
        co_tags,
        trending,
        related_time,
        related_inputs,
        pages,
        readers: None,
        ui_converter: None,
    };
    (site, problems)
}

/// What the related lists depend on: each report's slug, date, keywords and department, in
/// order, and the `related:` settings.
fn related_fingerprint(
    reports: &[Report],
    tags: &Taxonomy,
    departments: &Taxonomy,
    config: &SiteConfig,
) -> u64 {
    let inputs: Vec<_> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let stamp = r.date.timestamp();
            let time = (stamp.as_second(), stamp.subsec_nanosecond());
            (&r.slug, time, &tags.of_report[i], &departments.of_report[i])
        })
        .collect();
    crate::incremental::fingerprint(&(&config.related, inputs))
}

/// Folders at the site root that gongshi writes itself: a report URL (`permalink: /:slug/`)
/// must not land on one.
const GENERATED_FOLDERS: &[&str] = &[
    "tags",
    "departments",
    "sources",
    "archive",
    "search",
    "data",
    "page",
    "zh-hant",
];

/// Two reports on one URL would write one page: an error naming both files. So is a report
/// whose URL is a folder the site generates (`/tags/` under `permalink: /:slug/`).
fn check_unique_urls(reports: &[Report], permalink: &Permalink, problems: &mut Vec<Diagnostic>) {
    let mut by_url: BTreeMap<&str, Vec<&Report>> = BTreeMap::new();
    for report in reports {
        by_url
            .entry(report.url_path.as_str())
            .or_default()
            .push(report);
        let first_folder = report.url_path.split('/').next().unwrap_or_default();
        if GENERATED_FOLDERS.contains(&first_folder) {
            problems.push(
                Diagnostic::error(
                    &report.path,
                    report.slug_position,
                    crate::msg!(
                        "the report's URL /{} is inside /{first_folder}/, which gongshi generates",
                        "报告的网址 /{} 位于 gongshi 生成的 /{first_folder}/ 中",
                        report.url_path
                    ),
                )
                .with_hint(crate::msg!(
                    "give the report a `slug:` line with another name",
                    "给报告加一行 `slug:`，换个名字"
                )),
            );
        }
    }
    let hint = if permalink.has_date() {
        crate::msg!(
            "give one of them another file name or a `slug:` line in its front-matter",
            "给其中一篇换个文件名，或在头部信息中加一行 `slug:`"
        )
    } else {
        crate::msg!(
            "give one of them another file name or a `slug:` line in its front-matter; if the old site told them apart by date, put the date in site.yaml `permalink` (now `{}`), e.g. `permalink: /:year/:month/:slug/`",
            "给其中一篇换个文件名，或在头部信息中加一行 `slug:`；如果旧网站靠日期区分它们，请在 site.yaml 的 `permalink`（现为 `{}`）中加上日期，例如 `permalink: /:year/:month/:slug/`",
            permalink.as_written()
        )
    };
    for (url, mut claimants) in by_url {
        if claimants.len() < 2 {
            continue;
        }
        claimants.sort_by(|a, b| a.path.cmp(&b.path));
        let first = claimants[0];
        for other in &claimants[1..] {
            problems.push(
                Diagnostic::error(
                    &other.path,
                    other.slug_position,
                    crate::msg!(
                        "two reports on one URL /{url}: this one and {}",
                        "两篇报告用了同一个网址 /{url}：这一篇和 {}",
                        first.path.display()
                    ),
                )
                .with_hint(hint.clone()),
            );
        }
    }
}
