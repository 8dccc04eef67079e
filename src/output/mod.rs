//! Writing: every file goes into a staging folder beside the output, which replaces the output
//! only when the whole build succeeded. A failed build leaves the previous output untouched.

pub mod manifest;

use crate::build_cache::hash_bytes;
use manifest::{FileRecord, Manifest, marker_line};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The file that marks a folder as gongshi's output, so a folder gongshi did not make is never replaced.
pub const MARKER: &str = ".gongshi-output";

/// A build in progress: files land in `staging` and move to `target` on [`Staging::commit`].
///
/// A clean build writes every file and swaps the whole folder in. An update (the previous
/// build's [`Manifest`] can be trusted) writes only files whose bytes changed, then moves them
/// into the existing output one by one and deletes the files that are gone.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    minify: bool,
    committed: bool,
    /// The previous build's files, when updating in place.
    previous: Option<Manifest>,
    /// This build's files.
    files: Mutex<HashMap<String, FileRecord>>,
    /// Files written into `staging`.
    written: Mutex<Vec<String>>,
    /// Files left as the previous build wrote them.
    unchanged: AtomicUsize,
    /// True when the manifest is kept for the next build, so files' inputs are worth recording.
    remember: bool,
}

/// What went wrong while writing, with the path that failed.
#[derive(Debug)]
pub struct WriteError {
    /// The path that could not be written or moved.
    pub path: PathBuf,
    /// What happened.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

impl WriteError {
    /// The error as a diagnostic at its path, with its hint.
    pub fn into_diagnostic(self) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            &self.path,
            crate::diagnostics::Position::default(),
            self.message,
        )
        .with_hint(self.hint)
    }

    fn io(path: &Path, error: io::Error) -> Self {
        WriteError {
            path: path.to_path_buf(),
            message: error.to_string(),
            hint: "check that the disk has space and the folder is writable",
        }
    }
}

/// An advisory lock on an output folder, held for the whole write-and-swap, so two builds into
/// one folder never interleave: the second waits for the first. Released when dropped (also
/// when a build is killed: the operating system drops the lock with the process).
pub struct OutputLock {
    _file: fs::File,
}

/// The lock file beside the output (`.public.gongshi-lock`); it stays, empty, between builds.
fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("public");
    parent_of(target).join(format!(".{name}.gongshi-lock"))
}

impl OutputLock {
    /// Locks `target`'s lock file; if another build holds it, calls `on_wait` once and waits.
    pub fn acquire(target: &Path, on_wait: impl FnOnce()) -> Result<OutputLock, WriteError> {
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(|e| WriteError::io(&parent, e))?;
        let path = lock_path(target);
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| WriteError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(|e| WriteError::io(&path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(WriteError::io(&path, e)),
        }
        Ok(OutputLock { _file: file })
    }
}

/// The folder holding `target` (`.` for a bare name).
fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Staging {
    /// Checks that `target` may be replaced and creates an empty staging folder beside it; with
    /// `previous` (the manifest of the build now in `target`) the output is updated in place.
    /// `remember` says whether this build's manifest is kept (a build with the cache).
    pub fn begin(
        target: &Path,
        minify: bool,
        previous: Option<Manifest>,
        remember: bool,
    ) -> Result<Staging, WriteError> {
        if target.exists() && !is_replaceable(target) {
            return Err(WriteError {
                path: target.to_path_buf(),
                message: "this folder was not created by gongshi, so it will not be replaced"
                    .to_string(),
                hint: "choose another folder with --output, or empty it first",
            });
        }
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(|e| WriteError::io(&parent, e))?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("public");
        let staging = parent.join(format!(".{name}.gongshi-staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
            minify,
            committed: false,
            previous,
            files: Mutex::new(HashMap::new()),
            written: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            remember,
        })
    }

    /// True when the next build will see what each file was made from: only then are inputs
    /// worth fingerprinting.
    pub fn remembers(&self) -> bool {
        self.remember
    }

    /// True when updating an existing output in place.
    pub fn is_update(&self) -> bool {
        self.previous.is_some()
    }

    /// Keeps the previous build's `relative` file when it was made from the same `input`
    /// fingerprint; false when it must be produced again.
    pub fn keep(&self, relative: &str, input: u64) -> bool {
        let Some(record) = self.previous.as_ref().and_then(|m| m.files.get(relative)) else {
            return false;
        };
        if record.input != input {
            return false;
        }
        self.record(relative, *record);
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// The previous build's `relative` file as text, if it is still what that build wrote.
    pub fn previous_text(&self, relative: &str) -> Option<String> {
        let record = self.previous.as_ref()?.files.get(relative)?;
        let text = fs::read_to_string(self.target.join(relative)).ok()?;
        let intact =
            text.len() as u64 == record.len && hash_bytes(text.as_bytes()) == record.output;
        intact.then_some(text)
    }

    /// How many files the previous build left that this one did not have to write.
    pub fn unchanged(&self) -> usize {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Keeps every previous file whose path satisfies `belongs` (the files of one job whose
    /// inputs did not change); returns how many.
    pub fn keep_all(&self, belongs: impl Fn(&str) -> bool) -> usize {
        let Some(previous) = &self.previous else {
            return 0;
        };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let mut kept = 0;
        for (path, record) in previous.files.iter().filter(|(path, _)| belongs(path)) {
            files.insert(path.clone(), *record);
            kept += 1;
        }
        self.unchanged.fetch_add(kept, Ordering::Relaxed);
        kept
    }

    fn record(&self, relative: &str, record: FileRecord) {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(relative.to_string(), record);
    }

    /// Writes an HTML page at the site-relative path `relative`, minified when configured;
    /// `input` fingerprints what it was made from (see [`Staging::keep`]).
    pub fn write_page(&self, relative: &str, html: &[u8], input: u64) -> Result<(), WriteError> {
        if self.minify {
            let mut cfg = minify_html::Cfg::new();
            cfg.minify_css = true;
            cfg.minify_js = false;
            cfg.keep_html_and_head_opening_tags = true;
            cfg.keep_closing_tags = true;
            let bytes = minify_html::minify(html, &cfg);
            self.write_made(relative, &bytes, input)
        } else {
            self.write_made(relative, html, input)
        }
    }

    /// Writes bytes at the site-relative path `relative`; paths that would leave the output are refused.
    pub fn write_file(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.write_made(relative, bytes, 0)
    }

    /// Writes a file made from `input` (see [`Staging::keep`]); an update skips files whose
    /// bytes did not change.
    pub fn write_made(&self, relative: &str, bytes: &[u8], input: u64) -> Result<(), WriteError> {
        let path = self.resolve(relative)?;
        let record = FileRecord {
            input,
            output: hash_bytes(bytes),
            len: bytes.len() as u64,
        };
        let previous = self.previous.as_ref().and_then(|m| m.files.get(relative));
        if previous.is_some_and(|p| p.output == record.output && p.len == record.len) {
            self.record(relative, record);
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        // Errors name the place in the output the user knows, not the hidden staging folder.
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                let shown = Path::new(relative).parent().unwrap_or(Path::new(""));
                WriteError::io(&self.target.join(shown), e)
            })?;
        }
        fs::write(&path, bytes).map_err(|e| WriteError::io(&self.target.join(relative), e))?;
        self.record(relative, record);
        if self.previous.is_some() {
            self.written
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(relative.to_string());
        }
        Ok(())
    }

    fn resolve(&self, relative: &str) -> Result<PathBuf, WriteError> {
        let path = Path::new(relative);
        let inside = !relative.contains('\0')
            && !relative.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(WriteError {
                path: self.target.join(relative.replace('\0', "␀")),
                message: "this path would leave the output folder".to_string(),
                hint: "slugs and file names may not contain `..`, `\\` or start with `/`",
            });
        }
        Ok(self.staging.join(path))
    }

    /// Puts the finished build in place and returns its manifest (`settings` and `search` are
    /// recorded for the next build). The marker names the build by a fingerprint of its files,
    /// so equal outputs are equal to the byte, marker included. A clean build swaps folders: old output
    /// aside, new in, old removed. An update moves the changed files in and deletes the files
    /// this build did not produce.
    pub fn commit(
        mut self,
        settings: u64,
        search: HashMap<String, crate::render::search::IndexState>,
    ) -> Result<Manifest, WriteError> {
        let files = std::mem::take(self.files.get_mut().unwrap_or_else(|p| p.into_inner()));
        // The files' bytes name the build, not what they were made from: a build without the
        // cache (which fingerprints no inputs) marks equal files equally.
        let mut listing: Vec<(&String, u64, u64)> = files
            .iter()
            .map(|(path, record)| (path, record.output, record.len))
            .collect();
        listing.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let build = crate::build_cache::fingerprint(&listing);
        let marker = format!(
            "This folder is generated by gongshi; it is replaced on every build.\n{}",
            marker_line(build)
        );
        match self.previous.take() {
            Some(previous) => self.move_in(&previous, &files, &marker)?,
            None => {
                let path = self.staging.join(MARKER);
                fs::write(&path, &marker).map_err(|e| WriteError::io(&path, e))?;
                self.swap()?;
            }
        }
        Ok(Manifest {
            target: fs::canonicalize(&self.target).unwrap_or_else(|_| self.target.clone()),
            build,
            settings,
            search,
            files,
        })
    }

    /// Update: moves each written file into the output, deletes files no longer produced.
    fn move_in(
        &mut self,
        previous: &Manifest,
        files: &HashMap<String, FileRecord>,
        marker: &str,
    ) -> Result<(), WriteError> {
        let written = std::mem::take(self.written.get_mut().unwrap_or_else(|p| p.into_inner()));
        for relative in &written {
            let to = self.target.join(relative);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
            }
            fs::rename(self.staging.join(relative), &to).map_err(|e| WriteError::io(&to, e))?;
        }
        for gone in previous.files.keys().filter(|f| !files.contains_key(*f)) {
            let path = self.target.join(gone);
            if fs::remove_file(&path).is_ok() {
                // Remove the page's folder too once it is empty; a folder still in use stays.
                let mut folder = path.parent();
                while let Some(dir) = folder.filter(|d| *d != self.target) {
                    if fs::remove_dir(dir).is_err() {
                        break;
                    }
                    folder = dir.parent();
                }
            }
        }
        let path = self.target.join(MARKER);
        fs::write(&path, marker).map_err(|e| WriteError::io(&path, e))?;
        self.committed = true;
        let _ = fs::remove_dir_all(&self.staging);
        Ok(())
    }

    /// Clean build: old output aside, new in, old removed.
    fn swap(&mut self) -> Result<(), WriteError> {
        let aside = self.staging.with_file_name(format!(
            ".{}.gongshi-old-{}",
            self.target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("public"),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &aside).map_err(|e| WriteError::io(&self.target, e))?;
        }
        if let Err(error) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&aside, &self.target);
            }
            return Err(WriteError::io(&self.target, error));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&aside).map_err(|e| WriteError::io(&aside, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A folder may be replaced when it is empty or carries gongshi's marker.
fn is_replaceable(folder: &Path) -> bool {
    if !folder.is_dir() {
        return false;
    }
    folder.join(MARKER).is_file()
        || fs::read_dir(folder)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("public"), false, None, false).unwrap();
        for bad in ["../x.html", "/etc/x", "a/../../x", "a\\..\\x", "a\0b"] {
            assert!(staging.write_file(bad, b"x").is_err(), "{bad:?}");
        }
        assert!(staging.write_file("reports/a/index.html", b"x").is_ok());
    }

    #[test]
    fn commit_replaces_marked_output_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = Staging::begin(&target, false, None, false).unwrap();
        first.write_file("old.html", b"old").unwrap();
        first.commit(0, HashMap::new()).unwrap();
        let second = Staging::begin(&target, false, None, false).unwrap();
        second.write_file("new.html", b"new").unwrap();
        second.commit(0, HashMap::new()).unwrap();
        assert!(target.join("new.html").exists());
        assert!(!target.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn unmarked_non_empty_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let error = Staging::begin(dir.path(), false, None, false)
            .err()
            .unwrap();
        assert!(error.message.contains("not created by gongshi"));
    }

    #[test]
    fn a_second_lock_on_one_output_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = OutputLock::acquire(&target, || panic!("nothing to wait for")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let target = target.clone();
            std::thread::spawn(move || {
                let waited = std::cell::Cell::new(false);
                let _second = OutputLock::acquire(&target, || waited.set(true)).unwrap();
                tx.send(waited.get()).unwrap();
            })
        };
        let early = rx.recv_timeout(std::time::Duration::from_millis(300));
        assert!(
            early.is_err(),
            "the second lock was granted while the first was held"
        );
        drop(first);
        assert!(rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap());
        waiter.join().unwrap();
    }

    #[test]
    fn a_write_error_mid_build_names_the_path_and_leaves_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = Staging::begin(&target, false, None, false).unwrap();
        first.write_file("index.html", b"old").unwrap();
        first.commit(0, HashMap::new()).unwrap();
        let second = Staging::begin(&target, false, None, false).unwrap();
        second.write_file("reports/a/index.html", b"new").unwrap();
        // A file where a folder must go fails the next write, as a full disk would.
        second.write_file("tags", b"in the way").unwrap();
        let error = second.write_file("tags/x/index.html", b"x").unwrap_err();
        assert!(
            error.path.ends_with("public/tags/x"),
            "{}",
            error.path.display()
        );
        drop(second);
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old");
        assert!(!target.join("reports").exists());
    }

    #[test]
    fn abandoned_build_leaves_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("public"), false, None, false).unwrap();
        staging.write_file("a.html", b"x").unwrap();
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
