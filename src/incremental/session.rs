//! One build's use of the build cache: [`Session::open`] before the site loads, [`Session::kept`]
//! and [`Session::keep`] for values the layers above persist (parsed reports go through their
//! own store in the same folder), and [`Session::previous_output`] / [`Session::finish`] around
//! writing the output. The session knows no type of the layers above.

use super::cache_file::{self, CACHE_DIR};
use super::manifest::Manifest;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// The previous output folder (absolute) and its manifest, or a notice why there is none.
type Opening = JoinHandle<Option<(PathBuf, (Option<Manifest>, Option<String>))>>;

/// The build cache of one build.
pub struct Session {
    dir: PathBuf,
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
    /// Opens the cache of the site in `root` for a build into `output`, whose marker file is
    /// `marker` (the previous output's manifest is read in the background).
    pub fn open(root: &Path, output: &Path, marker: &'static str) -> Session {
        let dir = root.join(CACHE_DIR);
        // The manifest is read, and its files checked, while the site loads; it is checked again
        // once the output is locked, in case another build replaced it meanwhile.
        let opening = {
            let (dir, output) = (dir.clone(), output.to_path_buf());
            std::thread::spawn(move || {
                let target = std::fs::canonicalize(&output).ok()?;
                let opened = Manifest::open(&dir, &target, marker);
                Some((target, opened))
            })
        };
        Session {
            dir,
            opening: Some(opening),
            notices: Vec::new(),
        }
    }

    /// The cache folder, for stores of their own.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The value kept under `name` by [`Session::keep`], if it can be read; a damaged or foreign
    /// file is a notice and no value.
    pub fn kept<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let path = self.file(name);
        match cache_file::read(&path) {
            Ok(value) => Some(value),
            Err(why) => {
                self.notices.extend(why.notice(&path));
                None
            }
        }
    }

    /// Keeps `value` under `name` for the next build; a failure is a notice.
    pub fn keep<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), String> {
        cache_file::write(&self.file(name), value).map_err(|error| not_saved(&error))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.cache"))
    }

    /// The previous build's manifest, if it was made with the same `settings` (templates,
    /// minify) and still describes the output folder; call once the output is locked.
    pub fn previous_output(&mut self, settings: u64, marker: &str) -> Option<Manifest> {
        let (target, (manifest, notice)) = self.opening.take()?.join().ok().flatten()?;
        self.notices.extend(notice);
        manifest.filter(|m| m.settings == settings && m.still_current(&target, marker))
    }

    /// Saves the manifest of the output just written; returns the notices of the whole session.
    pub fn finish(mut self, manifest: &Manifest) -> Vec<String> {
        if let Err(error) = manifest.save(&self.dir) {
            self.notices.push(not_saved(&error));
        }
        self.notices
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
