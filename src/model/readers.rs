//! What readers do, from the access logs (see [`crate::readership`]), as values the pages show:
//! each report's view counts, the most-read reports (热点文章) and the most searched words (热门搜索).

use crate::readership::Readership;
use jiff::civil::Date;

/// Reports in the 热点文章 list.
const HOT_REPORTS: usize = 10;

/// Queries in the 热门搜索 list.
const POPULAR_QUERIES: usize = 10;

/// Readership as the model holds it: indexes into `Site::reports`.
#[derive(Clone, Debug, Default)]
pub struct Readers {
    /// For each report, all-time views and views in the last 30 days (its aliases included).
    pub views: Vec<(u64, u64)>,
    /// The most-read reports of the last 30 days, most first (all time when none were read
    /// lately); ties go to the newer report.
    pub hot: Vec<usize>,
    /// The most searched queries with their counts.
    pub popular_queries: Vec<(String, u64)>,
    /// Views per report and month (`2026-12`), for the open data.
    pub monthly: Vec<(usize, String, u64)>,
}

impl Readers {
    /// Counts the views of each report at its URL and its aliases' (`urls[i]` are report `i`'s
    /// site paths, base path included).
    pub fn new(readership: &Readership, urls: &[Vec<String>], today: Date) -> Readers {
        let views: Vec<(u64, u64)> = urls
            .iter()
            .map(|paths| {
                paths.iter().fold((0, 0), |(total, recent), path| {
                    let (t, r) = readership.views(path, today);
                    (total + t, recent + r)
                })
            })
            .collect();
        let rank = |pick: fn(&(u64, u64)) -> u64| {
            let mut ids: Vec<usize> = (0..views.len()).filter(|&i| pick(&views[i]) > 0).collect();
            // Reports are newest first, so the stable sort keeps newer reports first in a tie.
            ids.sort_by_key(|&i| std::cmp::Reverse(pick(&views[i])));
            ids.truncate(HOT_REPORTS);
            ids
        };
        let recent = rank(|v| v.1);
        let hot = if recent.is_empty() {
            rank(|v| v.0)
        } else {
            recent
        };
        let owner: std::collections::HashMap<&str, usize> = urls
            .iter()
            .enumerate()
            .flat_map(|(i, paths)| paths.iter().map(move |p| (p.as_str(), i)))
            .collect();
        let mut monthly: std::collections::BTreeMap<(usize, String), u64> = Default::default();
        for ((path, month), n) in readership.monthly() {
            if let Some(&report) = owner.get(path.as_str()) {
                *monthly.entry((report, month)).or_insert(0) += n;
            }
        }
        Readers {
            views,
            hot,
            popular_queries: readership.popular_queries(today, POPULAR_QUERIES),
            monthly: monthly.into_iter().map(|((r, m), n)| (r, m, n)).collect(),
        }
    }
}
