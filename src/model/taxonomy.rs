//! Terms (keywords, departments, sources) and years, as indexes into the sorted report list.

use super::term::{TaxonomyKind, Term};
use super::term_slugs::assign_slugs;
use crate::config::SiteConfig;
use crate::content::Report;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// All terms of one kind, ranked by use.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    /// Which kind.
    pub kind: TaxonomyKind,
    /// Terms by count (desc), then newest use (desc), then name.
    pub terms: Vec<Term>,
    /// For each report, the terms it carries (indexes into `terms`), in the order written.
    pub of_report: Vec<Vec<usize>>,
}

impl Taxonomy {
    /// Groups `reports` (already sorted newest first) by `kind`.
    pub fn build<'a>(
        kind: TaxonomyKind,
        reports: &'a [Report],
        config: &'a SiteConfig,
        problems: &mut Vec<Diagnostic>,
    ) -> Taxonomy {
        let canonical = |name: &'a str| -> &'a str {
            match kind {
                TaxonomyKind::Tags => config.tag_aliases.get(name).map_or(name, String::as_str),
                TaxonomyKind::Departments => config
                    .department_aliases
                    .get(name)
                    .map_or(name, String::as_str),
                TaxonomyKind::Sources => name,
            }
        };
        // Terms numbered as first met, with their reports; each report's terms by that number.
        let mut number_of: FxHashMap<&str, usize> = FxHashMap::default();
        let mut names: Vec<&str> = Vec::new();
        let mut reports_of: Vec<Vec<usize>> = Vec::new();
        let met: Vec<Vec<usize>> = reports
            .iter()
            .enumerate()
            .map(|(index, report)| {
                let mut ids: Vec<usize> = Vec::new();
                for name in kind.names(report) {
                    let name = canonical(name);
                    let id = *number_of.entry(name).or_insert_with(|| {
                        names.push(name);
                        reports_of.push(Vec::new());
                        names.len() - 1
                    });
                    if reports_of[id].last() != Some(&index) {
                        reports_of[id].push(index);
                    }
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            })
            .collect();
        // Newest use = smallest index, since reports are sorted newest first.
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| {
            reports_of[b]
                .len()
                .cmp(&reports_of[a].len())
                .then(reports_of[a][0].cmp(&reports_of[b][0]))
                .then_with(|| names[a].cmp(names[b]))
        });
        let mut rank = vec![0; names.len()];
        for (position, &id) in order.iter().enumerate() {
            rank[id] = position;
        }
        let mut terms: Vec<Term> = order
            .iter()
            .map(|&id| Term {
                name: names[id].to_string(),
                slug: String::new(),
                reports: std::mem::take(&mut reports_of[id]),
            })
            .collect();
        assign_slugs(kind, &mut terms, reports, config, problems);
        let of_report = met
            .into_iter()
            .map(|ids| ids.into_iter().map(|id| rank[id]).collect())
            .collect();
        Taxonomy {
            kind,
            terms,
            of_report,
        }
    }
}

/// One year's reports.
#[derive(Clone, Debug)]
pub struct YearArchive {
    /// The year, in the site's time zone.
    pub year: i16,
    /// Its reports, newest first.
    pub reports: Vec<usize>,
}

/// Reports grouped by year, newest year first.
pub fn years(reports: &[Report]) -> Vec<YearArchive> {
    let mut years: Vec<YearArchive> = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        let year = report.date.year();
        match years.last_mut() {
            Some(archive) if archive.year == year => archive.reports.push(index),
            _ => years.push(YearArchive {
                year,
                reports: vec![index],
            }),
        }
    }
    years
}

/// For each term, the terms that most often share a report with it: (term, count), by count then
/// rank, at most `limit`. Costs the sum over reports of (keywords per report)², i.e. linear.
pub fn co_occurring(taxonomy: &Taxonomy, limit: usize) -> Vec<Vec<(usize, usize)>> {
    let terms = taxonomy.terms.len();
    taxonomy
        .terms
        .par_iter()
        .enumerate()
        .map_init(
            // Counts by term, and the terms counted, reset after each term.
            || (vec![0usize; terms], Vec::new()),
            |(counts, counted), (t, term)| {
                for &report in &term.reports {
                    for &other in taxonomy.of_report[report].iter().filter(|&&o| o != t) {
                        if counts[other] == 0 {
                            counted.push(other);
                        }
                        counts[other] += 1;
                    }
                }
                let mut ranked: Vec<(usize, usize)> = counted
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut counts[other])))
                    .collect();
                ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                ranked.truncate(limit);
                ranked
            },
        )
        .collect()
}

/// Terms ranked by use in reports dated `since` or later (a year before the build): (term,
/// count), at most `limit`. An idle site shows none rather than years-old keywords as recent.
pub fn trending(
    reports: &[Report],
    taxonomy: &Taxonomy,
    limit: usize,
    since: jiff::Timestamp,
) -> Vec<(usize, usize)> {
    let recent = reports
        .iter()
        .take_while(|r| r.date.timestamp() >= since)
        .count();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for ids in &taxonomy.of_report[..recent] {
        for &t in ids {
            *counts.entry(t).or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    ranked
}
