//! Related reports: shared keywords weighted by rarity, plus bonuses for the same department and
//! closeness in time. Never all pairs: candidates come from an inverted index (keyword → reports)
//! and each keyword contributes at most a fixed window of reports nearest in time, so the work
//! per report is bounded and the total grows linearly with the number of reports.

use super::taxonomy::Taxonomy;
use crate::config::RelatedConfig;
use crate::content::Report;
use rayon::prelude::*;

/// Reports on either side (in time) that one shared keyword may contribute as candidates.
const WINDOW: usize = 100;

/// Keywords carried by this many reports or fewer are never "too common", so that small sites,
/// where any keyword is a large share, still get related lists.
const COMMON_FLOOR: usize = 5;

/// The related list of one report.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Related {
    /// Report indexes, best first.
    pub ids: Vec<usize>,
    /// True when nothing matched and the list is the newest reports of the same department.
    pub fallback: bool,
}

/// Computes every report's related list. `reports` are sorted newest first, so a smaller index
/// is a newer report (ties on date are already broken by slug).
pub fn related_reports(
    reports: &[Report],
    tags: &Taxonomy,
    departments: &Taxonomy,
    config: &RelatedConfig,
) -> Vec<Related> {
    let total = reports.len();
    let limit = (config.max_share * total as f64).max(COMMON_FLOOR as f64);
    let rarity: Vec<Option<f64>> = tags
        .terms
        .iter()
        .map(|term| {
            let count = term.reports.len();
            (count >= 2 && count as f64 <= limit).then(|| (1.0 + total as f64 / count as f64).ln())
        })
        .collect();
    // Compact copies of what scoring reads, so candidates do not touch the (large) reports.
    let facts: Vec<Facts> = reports
        .iter()
        .zip(&departments.of_report)
        .map(|(report, ids)| Facts {
            seconds: report.date.timestamp().as_second(),
            department: ids.first().map_or(NO_DEPARTMENT, |&d| d as u32),
        })
        .collect();
    (0..total)
        .into_par_iter()
        .map_init(
            || Scores::new(total),
            |scores, index| related_for(index, &facts, tags, departments, &rarity, config, scores),
        )
        .collect()
}

/// Tag scores of one report's candidates, in an array indexed by report (one per thread, reused
/// from report to report): about 50 ns per candidate in a hash map, mostly cache misses, and
/// there are up to 201 candidates per keyword.
struct Scores {
    /// NaN for reports without a score.
    by_report: Vec<f64>,
    /// Reports with a score, in the order they were first scored.
    touched: Vec<usize>,
}

impl Scores {
    fn new(total: usize) -> Self {
        Scores {
            by_report: vec![f64::NAN; total],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, report: usize, score: f64) {
        let slot = &mut self.by_report[report];
        if slot.is_nan() {
            self.touched.push(report);
            *slot = score;
        } else {
            *slot += score;
        }
    }

    /// Each scored report with its score, leaving the scores empty for the next report.
    fn drain(&mut self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let by_report = &mut self.by_report;
        self.touched
            .drain(..)
            .map(|report| (report, std::mem::replace(&mut by_report[report], f64::NAN)))
    }
}

/// What scoring reads of a candidate: its date in seconds and its department, side by side so
/// that one cache line holds both (candidates are scattered over all reports).
struct Facts {
    seconds: i64,
    department: u32,
}

/// [`Facts::department`] of a report without one.
const NO_DEPARTMENT: u32 = u32::MAX;

fn related_for(
    index: usize,
    facts: &[Facts],
    tags: &Taxonomy,
    departments: &Taxonomy,
    rarity: &[Option<f64>],
    config: &RelatedConfig,
    scores: &mut Scores,
) -> Related {
    for &tag in &tags.of_report[index] {
        let Some(weight) = rarity[tag] else { continue };
        let posting = &tags.terms[tag].reports;
        let at = posting.binary_search(&index).unwrap_or_else(|i| i);
        let window = &posting[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(posting.len())];
        for &other in window.iter().filter(|&&other| other != index) {
            scores.add(other, config.tags_weight * weight);
        }
    }
    let Facts {
        seconds: date,
        department,
    } = facts[index];
    let mut ranked: Vec<(f64, usize)> = scores
        .drain()
        .map(|(other, tag_score)| {
            let same_department =
                department != NO_DEPARTMENT && facts[other].department == department;
            let days = (date - facts[other].seconds).abs() as f64 / 86_400.0;
            let closeness = 0.5f64.powf(days / 365.0);
            let score = tag_score
                + if same_department {
                    config.department_weight
                } else {
                    0.0
                }
                + config.date_weight * closeness;
            (score, other)
        })
        .collect();
    // Best first, ties by id (a total order); only the first `count` need sorting.
    let best_first = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if ranked.len() > config.count && config.count > 0 {
        ranked.select_nth_unstable_by(config.count - 1, best_first);
        ranked.truncate(config.count);
    }
    ranked.sort_unstable_by(best_first);
    // Not `into_iter`: collecting in place would keep all of `ranked`'s capacity (hundreds of
    // candidates) behind every list, 0.86 GB at 100k reports.
    let ids: Vec<usize> = ranked
        .iter()
        .take(config.count)
        .map(|&(_, id)| id)
        .collect();
    if !ids.is_empty() || config.count == 0 {
        return Related {
            ids,
            fallback: false,
        };
    }
    let ids = (department != NO_DEPARTMENT)
        .then_some(department as usize)
        .map(|d| {
            departments.terms[d]
                .reports
                .iter()
                .copied()
                .filter(|&o| o != index)
                .take(config.count)
                .collect()
        })
        .unwrap_or_default();
    Related {
        ids,
        fallback: true,
    }
}
