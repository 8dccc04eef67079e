//! A cache of parsed and rendered reports for the dev server: a save re-reads only the files
//! that changed, and a template change re-renders without re-parsing any Markdown.

use super::Report;
use super::markdown::RenderedBody;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::incremental::stamp::Stamp;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One file's parse: its stamp, the report without its Markdown (if it had no errors) and its
/// problems. Shared, so a lookup copies it outside the lock.
type ParsedFile = (Stamp, Option<Arc<Report>>, Arc<Vec<Diagnostic>>);

/// Parsed reports by file, and rendered bodies by file and Markdown text.
#[derive(Default)]
pub struct ParseCache {
    /// The configuration these entries were made under ([`parse_key`]).
    config_key: Mutex<u64>,
    parsed: Mutex<HashMap<PathBuf, ParsedFile>>,
    /// Each parsed report's Markdown, with its hash, by path under content/: kept apart so a
    /// report copied out of the cache does not copy its Markdown, which is needed only when its
    /// body must be rendered again.
    markdown: Mutex<HashMap<PathBuf, (u64, Arc<str>)>>,
    /// Keyed by the Markdown's hash and by the map of report files to URLs (links depend on it).
    bodies: Mutex<HashMap<PathBuf, (u64, Arc<RenderedBody>)>>,
    /// Files parsed (cache misses) since the cache was made.
    parses: AtomicUsize,
    /// Bodies rendered from Markdown (cache misses) since the cache was made.
    renders: AtomicUsize,
}

/// A fingerprint of the site.yaml settings that parsing and rendering a report's Markdown read:
/// a change to any other setting (title, menus, feeds) keeps every parsed report.
pub fn parse_key(config: &SiteConfig) -> u64 {
    let settings = format!(
        "{:?}",
        (
            config.max_file_size,
            &config.permalink,
            config.slugify,
            &config.timezone_name,
            config.raw_html,
            &config.iframe_hosts,
            config.base_path(),
        )
    );
    crate::incremental::fingerprint(&settings)
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
            self.markdown
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
            self.bodies
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
        }
    }

    /// The cached parse of `path` if the file has not changed; the report comes without its
    /// Markdown ([`ParseCache::markdown`] has it).
    pub fn parsed(&self, path: &Path, stamp: Stamp) -> Option<(Option<Report>, Vec<Diagnostic>)> {
        let (report, problems) = {
            let parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
            let (cached_stamp, report, problems) = parsed.get(path)?;
            if *cached_stamp != stamp {
                return None;
            }
            (report.clone(), problems.clone())
        };
        Some((report.map(|r| (*r).clone()), problems.to_vec()))
    }

    /// The hash of the Markdown of the report parsed from `content_path` (under content/).
    pub fn markdown_hash(&self, content_path: &Path) -> Option<u64> {
        let markdown = self.markdown.lock().unwrap_or_else(|p| p.into_inner());
        markdown.get(content_path).map(|(hash, _)| *hash)
    }

    /// The Markdown of the report parsed from `content_path` (under content/).
    pub fn markdown(&self, content_path: &Path) -> Option<String> {
        let text = {
            let markdown = self.markdown.lock().unwrap_or_else(|p| p.into_inner());
            markdown.get(content_path)?.1.clone()
        };
        Some(text.to_string())
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
        let report = report.as_ref().map(|report| {
            let text: Arc<str> = Arc::from(report.markdown.as_str());
            let hash = crate::incremental::hash_bytes(text.as_bytes());
            self.markdown
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(report.content_path.clone(), (hash, text));
            Arc::new(Report {
                markdown: String::new(),
                ..report.clone()
            })
        });
        let mut parsed = self.parsed.lock().unwrap_or_else(|p| p.into_inner());
        parsed.insert(
            path.to_path_buf(),
            (stamp, report, Arc::new(problems.to_vec())),
        );
    }

    /// The cached body of `path` rendered from the same Markdown and links.
    pub fn body(&self, path: &Path, key: u64) -> Option<RenderedBody> {
        let body = {
            let bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
            bodies
                .get(path)
                .filter(|(k, _)| *k == key)
                .map(|(_, body)| body.clone())?
        };
        Some((*body).clone())
    }

    /// Remembers a rendered body.
    pub fn store_body(&self, path: &Path, key: u64, body: &RenderedBody) {
        self.renders.fetch_add(1, Ordering::Relaxed);
        let mut bodies = self.bodies.lock().unwrap_or_else(|p| p.into_inner());
        bodies.insert(path.to_path_buf(), (key, Arc::new(body.clone())));
    }
}
