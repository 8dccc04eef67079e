//! A cache of parsed and rendered reports for the dev server: a save re-reads only the files
//! that changed, and a template change re-renders without re-parsing any Markdown.

use crate::content::Report;
use crate::content::markdown::RenderedBody;
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// What identifies a file's version without reading it: its size, modification and change
/// times and inode, as `stat` gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// The inode change time (`ctime`): set by the kernel on every write, rename or `chmod`,
    /// and unlike `mtime` it cannot be set back by `touch` or `tar`.
    changed: Option<SystemTime>,
    inode: u64,
}

/// How long before a build a file must have last changed for its stamp to be trusted by the
/// next build. File times come from a clock that ticks coarsely (a few milliseconds; some file
/// systems keep whole seconds), so a file changed twice within one tick can keep its stamp;
/// a file changed this long before the build cannot have changed again unseen.
const SETTLE: Duration = Duration::from_secs(2);

impl Stamp {
    /// The stamp of the file `metadata` describes.
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = u64::try_from(metadata.ctime()).ok().and_then(|seconds| {
                let nanos = u32::try_from(metadata.ctime_nsec()).ok()?;
                SystemTime::UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
            });
            (changed, metadata.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (None, 0);
        Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            changed,
            inode,
        }
    }

    /// True when the file last changed at least [`SETTLE`] before `moment`, so that any later
    /// change gives it another stamp. Without a change time (not Unix) a stamp never settles.
    pub fn settled_before(&self, moment: SystemTime) -> bool {
        self.changed
            .and_then(|changed| changed.checked_add(SETTLE))
            .is_some_and(|settled| settled <= moment)
    }
}

/// One file's parse: its stamp, the report (if it had no errors) and its problems.
type ParsedFile = (Stamp, Option<Report>, Vec<Diagnostic>);

/// Parsed reports by file, and rendered bodies by file and Markdown text.
#[derive(Default)]
pub struct ParseCache {
    /// The configuration these entries were made under (site.yaml text and flags).
    config_key: Mutex<u64>,
    parsed: Mutex<HashMap<PathBuf, ParsedFile>>,
    /// Keyed by the Markdown and by the map of report files to URLs (links depend on it).
    bodies: Mutex<HashMap<PathBuf, (u64, RenderedBody)>>,
    /// Files parsed (cache misses) since the cache was made.
    parses: AtomicUsize,
    /// Bodies rendered from Markdown (cache misses) since the cache was made.
    renders: AtomicUsize,
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets everything when the configuration changed since the last use.
    pub fn check_config(&self, key: u64) {
        let mut current = self.config_key.lock().unwrap_or_else(|p| p.into_inner());
        if *current != key {
            *current = key;
            self.parsed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
            self.bodies
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
        }
    }

    /// The cached parse of `path` if the file has not changed.
    pub fn parsed(&self, path: &Path, stamp: Stamp) -> Option<(Option<Report>, Vec<Diagnostic>)> {
        let parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        let (cached_stamp, report, problems) = parsed.get(path)?;
        (*cached_stamp == stamp).then(|| (report.clone(), problems.clone()))
    }

    /// How many files were parsed and bodies rendered (not found in the cache) so far.
    pub fn misses(&self) -> (usize, usize) {
        (
            self.parses.load(Ordering::Relaxed),
            self.renders.load(Ordering::Relaxed),
        )
    }

    /// Remembers the parse of `path`.
    pub fn store_parsed(
        &self,
        path: &Path,
        stamp: Stamp,
        report: &Option<Report>,
        problems: &[Diagnostic],
    ) {
        self.parses.fetch_add(1, Ordering::Relaxed);
        let mut parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        parsed.insert(
            path.to_path_buf(),
            (stamp, report.clone(), problems.to_vec()),
        );
    }

    /// The cached body of `path` rendered from the same Markdown and links.
    pub fn body(&self, path: &Path, key: u64) -> Option<RenderedBody> {
        let bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
        bodies
            .get(path)
            .filter(|(k, _)| *k == key)
            .map(|(_, body)| body.clone())
    }

    /// Remembers a rendered body.
    pub fn store_body(&self, path: &Path, key: u64, body: &RenderedBody) {
        self.renders.fetch_add(1, Ordering::Relaxed);
        let mut bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
        bodies.insert(path.to_path_buf(), (key, body.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_settle_two_seconds_after_the_last_change() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let stamp = Stamp::of(&file.as_file().metadata().unwrap());
        let now = SystemTime::now();
        assert!(!stamp.settled_before(now));
        assert!(!stamp.settled_before(now + Duration::from_millis(1500)));
        assert!(stamp.settled_before(now + Duration::from_secs(3)));
        std::fs::write(file.path(), "x").unwrap();
        assert_ne!(Stamp::of(&file.as_file().metadata().unwrap()), stamp);
    }
}
