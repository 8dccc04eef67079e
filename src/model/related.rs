//! Related reports: shared keywords weighted by rarity, plus bonuses for the same department and
//! closeness in time. Never all pairs: candidates come from an inverted index (keyword → reports)
//! and each keyword contributes at most a fixed window of reports nearest in time, so the work
//! per report is bounded and the total grows linearly with the number of reports.

use super::taxonomy::Taxonomy;
use crate::config::RelatedConfig;
use crate::content::Report;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

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
    let facts = Facts {
        seconds: reports
            .iter()
            .map(|r| r.date.timestamp().as_second())
            .collect(),
        department: departments
            .of_report
            .iter()
            .map(|ids| ids.first().copied())
            .collect(),
    };
    (0..total)
        .into_par_iter()
        .map(|index| related_for(index, &facts, tags, departments, &rarity, config))
        .collect()
}

/// Per report: date in seconds and department, indexed like the reports.
struct Facts {
    seconds: Vec<i64>,
    department: Vec<Option<usize>>,
}

fn related_for(
    index: usize,
    facts: &Facts,
    tags: &Taxonomy,
    departments: &Taxonomy,
    rarity: &[Option<f64>],
    config: &RelatedConfig,
) -> Related {
    let mut scores: FxHashMap<usize, f64> = FxHashMap::default();
    for &tag in &tags.of_report[index] {
        let Some(weight) = rarity[tag] else { continue };
        let posting = &tags.terms[tag].reports;
        let at = posting.binary_search(&index).unwrap_or_else(|i| i);
        let window = &posting[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(posting.len())];
        for &other in window.iter().filter(|&&other| other != index) {
            *scores.entry(other).or_insert(0.0) += config.tags_weight * weight;
        }
    }
    let department = facts.department[index];
    let date = facts.seconds[index];
    let mut ranked: Vec<(f64, usize)> = scores
        .into_iter()
        .map(|(other, tag_score)| {
            let same_department = department.is_some() && facts.department[other] == department;
            let days = (date - facts.seconds[other]).abs() as f64 / 86_400.0;
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
    let ids = department
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
