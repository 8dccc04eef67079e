//! The build cache of parsed and rendered reports, kept between `gongshi build` runs: a file
//! whose bytes did not change is neither parsed nor rendered again.
//!
//! Entries are keyed by the file's path and a hash of its bytes (or, without reading the file, its
//! size, times and inode once they have settled), and the whole store by a
//! fingerprint of the settings that shape parsing (site.yaml, command-line overrides). It lives
//! in shards so that a build after a small edit rewrites only the shards that changed. A shard
//! whose checksum does not match is damaged when it is read: it is dropped with a notice, and
//! its reports are parsed again.

use super::Report;
use crate::diagnostics::Diagnostic;
use crate::incremental::cache_file as cache;
use crate::incremental::hash_bytes;
use crate::incremental::stamp::Stamp;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Shard files, `reports-<n>.cache`.
const SHARDS: usize = 32;

/// One file as it was last built.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// Hash of the file's bytes.
    content: u64,
    /// The file's stamp, if it had settled when it was read (see [`Stamp::settled_before`]).
    stamp: Option<Stamp>,
    /// The report with its body rendered (Markdown dropped); taken out when reused (it is
    /// written as a plain report, see [`EntryRef`]).
    report: Option<Report>,
    /// Warnings found while parsing it.
    problems: Vec<Diagnostic>,
}

/// One shard: the settings it was made under and its entries by path relative to content/.
#[derive(Serialize, Deserialize, Default)]
struct Shard {
    settings: u64,
    entries: Vec<(PathBuf, Entry)>,
    /// Position of each entry in `entries`.
    #[serde(skip)]
    index: FxHashMap<PathBuf, usize>,
}

impl Shard {
    fn get(&self, relative: &Path) -> Option<&Entry> {
        Some(&self.entries[*self.index.get(relative)?].1)
    }

    fn get_mut(&mut self, relative: &Path) -> Option<&mut Entry> {
        Some(&mut self.entries[*self.index.get(relative)?].1)
    }

    /// Reads shard `n` from `dir`; anything that does not fit is unusable.
    fn open(dir: &Path, n: usize) -> Result<Shard, cache::Unusable> {
        let mut shard: Shard = cache::read(&dir.join(format!("reports-{n}.cache")))?;
        shard.index = (shard.entries.iter().enumerate())
            .map(|(i, (path, _))| (path.clone(), i))
            .collect();
        Ok(shard)
    }
}

/// [`Entry`] borrowed from this build's reports, for writing.
#[derive(Serialize)]
struct EntryRef<'a> {
    content: u64,
    stamp: Option<Stamp>,
    report: &'a Report,
    problems: &'a [Diagnostic],
}

/// [`Shard`] borrowed, for writing: encodes exactly like a `Shard`.
#[derive(Serialize)]
struct ShardRef<'a> {
    settings: u64,
    entries: &'a [(&'a Path, EntryRef<'a>)],
}

/// Reports kept from the previous build.
pub struct ReportStore {
    dir: PathBuf,
    settings: u64,
    shards: Vec<Mutex<Shard>>,
    /// Notices about discarded cache files.
    pub notices: Vec<String>,
}

/// What a lookup found: the cached report and its warnings.
pub type Hit = (Report, Vec<Diagnostic>);

/// What a lookup knows of the file now.
#[derive(Clone, Copy)]
pub enum Version {
    /// Its stamp, without reading it: matches an entry that recorded the same settled stamp.
    Stamp(Stamp),
    /// The hash of its bytes.
    Content(u64),
}

/// True when the body links to another report's `.md` file.
fn links_to_reports(report: &Report) -> bool {
    report.body.links.iter().any(|link| {
        let file = link.target.split('#').next().unwrap_or_default();
        file.to_ascii_lowercase().ends_with(".md")
    })
}

fn shard_of(relative: &Path) -> usize {
    (hash_bytes(relative.as_os_str().as_encoded_bytes()) % SHARDS as u64) as usize
}

impl ReportStore {
    /// Opens the store in `dir`; shards made under other settings, by another version or damaged
    /// are dropped (the latter two with a notice).
    pub fn open(dir: &Path, settings: u64) -> ReportStore {
        let loaded: Vec<(Shard, Option<cache::Unusable>)> = (0..SHARDS)
            .into_par_iter()
            .map(|n| match Shard::open(dir, n) {
                Ok(shard) if shard.settings == settings => (shard, None),
                Ok(_) => (Shard::default(), None),
                Err(why) => (Shard::default(), Some(why)),
            })
            .collect();
        let mut shards = Vec::with_capacity(SHARDS);
        // One notice per reason, however many shards it applies to.
        let mut reasons: Vec<cache::Unusable> = Vec::new();
        for (shard, why) in loaded {
            shards.push(Mutex::new(shard));
            if let Some(why) = why
                && !reasons.contains(&why)
            {
                reasons.push(why);
            }
        }
        let shown = dir.join("reports-*.cache");
        let notices = reasons
            .iter()
            .filter_map(|why| why.notice(&shown))
            .collect();
        ReportStore {
            dir: dir.to_path_buf(),
            settings,
            shards,
            notices,
        }
    }

    fn shard(&self, n: usize) -> std::sync::MutexGuard<'_, Shard> {
        self.shards[n].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached report for the file at `relative` (under content/) if it is the `version`
    /// that was cached, moved out of the store. Reports that link to other reports' `.md` files
    /// are never reused: their bodies depend on the other reports' URLs.
    pub fn lookup(&self, relative: &Path, version: Version) -> Option<Hit> {
        let mut shard = self.shard(shard_of(relative));
        let entry = shard.get_mut(relative)?;
        let same = match version {
            Version::Stamp(stamp) => entry.stamp == Some(stamp),
            Version::Content(content) => entry.content == content,
        };
        let reusable = same
            && entry
                .report
                .as_ref()
                .is_some_and(|report| !links_to_reports(report));
        if !reusable {
            return None;
        }
        Some((entry.report.take()?, entry.problems.clone()))
    }

    /// The report at `relative` (under content/) as the previous build had it, whatever the
    /// file holds now.
    pub fn previous(&self, relative: &Path) -> Option<Report> {
        let shard = self.shard(shard_of(relative));
        shard.get(relative)?.report.clone()
    }

    /// Saves `reports` as the store's new contents, rewriting only the shards that changed.
    /// `fresh` maps the files parsed in this build to their content hash and warnings; the others
    /// keep their entries. Entries are written by reference, so saving copies no report.
    pub fn save(
        &self,
        reports: &[Report],
        fresh: &HashMap<PathBuf, (u64, Vec<Diagnostic>)>,
    ) -> std::io::Result<()> {
        let shards: Vec<_> = (0..SHARDS).map(|n| self.shard(n)).collect();
        let mut by_shard: Vec<Vec<(&Path, EntryRef)>> = (0..SHARDS).map(|_| Vec::new()).collect();
        let mut changed: Vec<bool> = shards
            .iter()
            .map(|shard| shard.settings != self.settings)
            .collect();
        for report in reports {
            let path = report.content_path.as_path();
            let n = shard_of(path);
            let entry = match fresh.get(path) {
                Some((content, problems)) => {
                    changed[n] = true;
                    EntryRef {
                        content: *content,
                        stamp: report.stamp,
                        report,
                        problems,
                    }
                }
                // Reused: the report was moved out of the store into this build; a new stamp
                // (a file touched, or one that has settled since) is worth rewriting the shard.
                None => match shards[n].get(path) {
                    Some(old) => {
                        changed[n] |= old.stamp != report.stamp;
                        EntryRef {
                            content: old.content,
                            stamp: report.stamp,
                            report,
                            problems: &old.problems,
                        }
                    }
                    None => continue,
                },
            };
            by_shard[n].push((path, entry));
        }
        for (n, entries) in by_shard.iter().enumerate() {
            // A shard that lost entries (deleted or now-failing files) must be rewritten too.
            if entries.len() != shards[n].entries.len() {
                changed[n] = true;
            }
        }
        by_shard
            .par_iter()
            .enumerate()
            .filter(|(n, _)| changed[*n])
            .try_for_each(|(n, entries)| {
                let shard = ShardRef {
                    settings: self.settings,
                    entries,
                };
                cache::write(&self.dir.join(format!("reports-{n}.cache")), &shard)
            })
    }
}
