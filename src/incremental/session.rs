//! One build's use of the build cache, in three steps: [`Session::open`] before the site loads
//! (what may be reused), [`Session::save_model`] once it is modelled, and
//! [`Session::previous_output`] / [`Session::finish`] around writing the output.

use super::cache_file::{self, CACHE_DIR};
use super::manifest::Manifest;
use super::report_store::ReportStore;
use crate::content::Report;
use crate::diagnostics::Diagnostic;
use crate::model::Related;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// Related lists with the fingerprint of the inputs they were computed from.
pub type RelatedLists = (u64, Vec<Related>);

/// The previous output folder (absolute) and its manifest, or a notice why there is none.
type Opening = JoinHandle<Option<(PathBuf, (Option<Manifest>, Option<String>))>>;

/// The build cache of one build.
pub struct Session {
    dir: PathBuf,
    /// Reports parsed by the previous build.
    pub store: ReportStore,
    related_file: PathBuf,
    /// Related lists of the previous build.
    pub related: Option<RelatedLists>,
    /// The previous output's manifest, read in the background while the site loads.
    opening: Option<Opening>,
    /// Notices about cache files discarded or not saved.
    pub notices: Vec<String>,
}

/// A fingerprint of what parsing depends on besides the report files: site.yaml's bytes and the
/// command-line overrides.
pub fn parse_settings(root: &Path, base_url: &Option<String>, drafts: bool) -> u64 {
    let site_yaml = std::fs::read(root.join("site.yaml")).unwrap_or_default();
    super::fingerprint(&(site_yaml, base_url, drafts))
}

/// A fingerprint of what every page depends on besides its variables: the templates' text and
/// minification. A previous output made with other settings is not reused.
pub fn output_settings(theme_fingerprint: u64, minify: bool) -> u64 {
    super::fingerprint(&(theme_fingerprint, minify))
}

impl Session {
    /// Opens the cache of the site in `root` for a build into `output`; `settings` is
    /// [`parse_settings`].
    pub fn open(root: &Path, output: &Path, settings: u64) -> Session {
        let dir = root.join(CACHE_DIR);
        // The manifest is read, and its files checked, while the site loads; it is checked again
        // once the output is locked, in case another build replaced it meanwhile.
        let opening = {
            let (dir, output) = (dir.clone(), output.to_path_buf());
            std::thread::spawn(move || {
                let target = std::fs::canonicalize(&output).ok()?;
                let opened = Manifest::open(&dir, &target, crate::output::MARKER);
                Some((target, opened))
            })
        };
        let store = ReportStore::open(&dir, settings);
        let mut notices = store.notices.clone();
        let related_file = dir.join("related.cache");
        let related = match cache_file::read(&related_file) {
            Ok(related) => Some(related),
            Err(why) => {
                notices.extend(why.notice(&related_file));
                None
            }
        };
        Session {
            dir,
            store,
            related_file,
            related,
            opening: Some(opening),
            notices,
        }
    }

    /// Saves the parsed reports (`fresh`: those parsed in this build, with their content hash
    /// and warnings) and the related lists when they changed.
    pub fn save_model(
        &self,
        reports: &[Report],
        fresh: &HashMap<PathBuf, (u64, Vec<Diagnostic>)>,
        related: (u64, &[Related]),
    ) -> Vec<String> {
        let mut unsaved = Vec::new();
        if let Err(error) = self.store.save(reports, fresh) {
            unsaved.push(not_saved(&error));
        }
        if self.related.as_ref().map(|(inputs, _)| *inputs) != Some(related.0)
            && let Err(error) = cache_file::write(&self.related_file, &related)
        {
            unsaved.push(not_saved(&error));
        }
        unsaved
    }

    /// The previous build's manifest, if it was made with the same `settings` (templates,
    /// minify) and still describes the output folder; call once the output is locked.
    pub fn previous_output(&mut self, settings: u64, marker: &str) -> Option<Manifest> {
        let (target, (manifest, notice)) = self.opening.take()?.join().ok().flatten()?;
        self.notices.extend(notice);
        manifest.filter(|m| m.settings == settings && m.still_current(&target, marker))
    }

    /// A body file of the cache that was read and found damaged: the build must write nothing.
    pub fn damaged(&self) -> Option<PathBuf> {
        self.store.damaged().map(Path::to_path_buf)
    }

    /// Saves the manifest of the output just written; returns the notices of the whole session.
    pub fn finish(mut self, manifest: &Manifest) -> Vec<String> {
        if let Err(error) = manifest.save(&self.dir) {
            self.notices.push(not_saved(&error));
        }
        let notices = std::mem::take(&mut self.notices);
        // Freeing the parsed reports takes a while; the build does not wait for it.
        std::thread::spawn(move || drop(self));
        notices
    }
}

/// The notice for a build cache that could not be written (the build itself succeeded).
pub fn not_saved(error: &std::io::Error) -> String {
    let notice = crate::diagnostics::Severity::Notice.label();
    crate::msg!(
        "{CACHE_DIR}: {notice}: cannot save the build cache: {error}",
        "{CACHE_DIR}: {notice}: 无法保存构建缓存：{error}"
    )
}
