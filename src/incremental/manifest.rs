//! What the previous build wrote: every output file with a fingerprint of what produced it and
//! a hash of its bytes, kept in the build cache. A build that can trust it writes only the files
//! whose bytes changed and links the others from the previous output.

use super::cache_file as build_cache;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One output file.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// Fingerprint of the inputs that produced it (a page's template variables); 0 when the file
    /// is compared by its bytes only.
    pub input: u64,
    /// Hash of its bytes.
    pub output: u64,
    /// Its length, to notice files changed by hand.
    pub len: u64,
}

/// The output files of one build.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The output folder, absolute.
    pub target: PathBuf,
    /// Identifies the build; the output folder's marker names it too.
    pub build: u64,
    /// Fingerprint of everything pages depend on besides their variables (templates, minify).
    pub settings: u64,
    /// Files by path relative to the output folder.
    pub files: HashMap<String, FileRecord>,
}

/// The manifest's file in the cache folder.
fn file_in(cache_dir: &Path) -> PathBuf {
    cache_dir.join("output.cache")
}

/// The line of the output marker that names the build.
pub fn marker_line(build: u64) -> String {
    format!("build: {build:016x}\n")
}

impl Manifest {
    /// The previous build's manifest, if it describes `target` as it is now: same folder, same
    /// build named in its marker. Files missing or changed in size since are dropped from it (so
    /// they are written again). A damaged or foreign manifest comes back as a notice.
    pub fn open(
        cache_dir: &Path,
        target: &Path,
        marker: &str,
    ) -> (Option<Manifest>, Option<String>) {
        let path = file_in(cache_dir);
        let mut manifest: Manifest = match build_cache::read(&path) {
            Ok(manifest) => manifest,
            Err(why) => return (None, why.notice(&path)),
        };
        if !manifest.still_current(target, marker) {
            return (None, None);
        }
        let stale: Vec<String> = manifest
            .files
            .par_iter()
            .filter(|(file, record)| {
                std::fs::symlink_metadata(target.join(file))
                    .map_or(true, |meta| !meta.is_file() || meta.len() != record.len)
            })
            .map(|(file, _)| file.clone())
            .collect();
        for file in stale {
            manifest.files.remove(&file);
        }
        (Some(manifest), None)
    }

    /// True while `target` is still the output this manifest describes: its marker names this
    /// build (another build may have replaced the output since the manifest was opened).
    pub fn still_current(&self, target: &Path, marker: &str) -> bool {
        let marked = std::fs::read_to_string(target.join(marker)).unwrap_or_default();
        self.target == target && marked.contains(&marker_line(self.build))
    }

    /// Saves the manifest into the cache folder.
    pub fn save(&self, cache_dir: &Path) -> std::io::Result<()> {
        build_cache::write(&file_in(cache_dir), self)
    }
}
