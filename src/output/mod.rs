//! Writing: every file goes into a staging folder beside the output, which replaces the output
//! in one step only when the whole build succeeded. A failed or killed build leaves the previous
//! output untouched.

use crate::incremental::hash_bytes;
use crate::incremental::manifest::{FileRecord, Manifest, marker_line};
use crate::render::sink::{Sink, WriteError};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The file that marks a folder as gongshi's output, so a folder gongshi did not make is never replaced.
pub const MARKER: &str = ".gongshi-output";

/// A build in progress: files land in `staging`, which replaces `target` on [`Staging::commit`].
///
/// The staging folder always ends up holding the whole new output. An update (the previous
/// build's [`Manifest`] can be trusted) writes only the files whose bytes changed; the others are
/// hard-linked (or copied) from the previous output at commit, which reads but never changes
/// it. The two folders are then exchanged in one step.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    minify: bool,
    committed: bool,
    /// The previous build's files, when updating.
    previous: Option<Manifest>,
    /// This build's files.
    files: Mutex<HashMap<String, FileRecord>>,
    /// Files left as the previous build wrote them, linked into `staging` at commit.
    kept: Mutex<Vec<String>>,
    /// True when the manifest is kept for the next build, so files' inputs are worth recording.
    remember: bool,
    /// The folders of the recycled spare (relative), emptied of files; those this build leaves
    /// empty are removed at commit.
    spare_folders: Vec<PathBuf>,
}

/// An advisory lock on an output folder, held for the whole write-and-swap, so two builds into
/// one folder never interleave: the second waits for the first. Released when dropped (also
/// when a build is killed: the operating system drops the lock with the process).
pub struct OutputLock {
    _file: fs::File,
}

/// The output folder's name, which names the files gongshi keeps beside it.
fn output_name(target: &Path) -> &str {
    target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("public")
}

/// The lock file beside the output (`.public.gongshi-lock`); it stays, empty, between builds.
fn lock_path(target: &Path) -> PathBuf {
    parent_of(target).join(format!(".{}.gongshi-lock", output_name(target)))
}

/// The previous build, kept beside the output after a swap (`.public.gongshi-spare`): the next
/// build empties its files and builds into its folders, as making a report's folder anew costs
/// ext4 a search for a free inode (15,704 `mkdir` calls took 9.2 s of system time in one
/// unchanged 10k build, its 15,700 `rmdir` calls 1.9 s more).
fn spare_path(target: &Path) -> PathBuf {
    parent_of(target).join(format!(".{}.gongshi-spare", output_name(target)))
}

/// A build's folder beside the output, named for the output, its `kind` (`staging` or `old`)
/// and the build's process: `.public.gongshi-staging-4242`.
fn leftover_path(target: &Path, kind: &str, pid: u32) -> PathBuf {
    parent_of(target).join(format!(".{}.gongshi-{kind}-{pid}", output_name(target)))
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
    /// Checks that `target` may be replaced, removes what killed builds left beside it and
    /// creates an empty (marked) staging folder; with `previous` (the manifest of the build now
    /// in `target`) only changed files are written.
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
                message: crate::msg!(
                    "this folder was not created by gongshi, so it will not be replaced",
                    "这个文件夹不是 gongshi 生成的，不会被替换"
                ),
                hint: crate::msg!(
                    "choose another folder with --output, or empty it first",
                    "用 --output 另选文件夹，或先清空它"
                ),
            });
        }
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(|e| WriteError::io(&parent, e))?;
        clean_leftovers(target);
        let staging = leftover_path(target, "staging", std::process::id());
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
        }
        let spare_folders = recycle_spare(target, &staging);
        fs::create_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
        // Marked from the start, so that the next build knows what a kill left as gongshi's.
        let marker = staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| WriteError::io(&marker, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
            minify,
            committed: false,
            previous,
            files: Mutex::new(HashMap::new()),
            kept: Mutex::new(Vec::new()),
            remember,
            spare_folders,
        })
    }

    /// How many files the previous build left that this one did not have to write.
    pub fn unchanged(&self) -> usize {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    fn kept_file(&self, relative: &str) {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(relative.to_string());
    }

    fn record(&self, relative: &str, record: FileRecord) {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(relative.to_string(), record);
    }

    /// Writes a file made from `input` (see [`Sink::keep`]); an update skips files whose
    /// bytes did not change.
    fn write_made(&self, relative: &str, bytes: &[u8], input: u64) -> Result<(), WriteError> {
        let path = self.resolve(relative)?;
        let record = FileRecord {
            input,
            output: hash_bytes(bytes),
            len: bytes.len() as u64,
        };
        let previous = self.previous.as_ref().and_then(|m| m.files.get(relative));
        if previous.is_some_and(|p| p.output == record.output && p.len == record.len) {
            self.record(relative, record);
            self.kept_file(relative);
            return Ok(());
        }
        // Errors name the place in the output the user knows, not the hidden staging folder.
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                let shown = Path::new(relative).parent().unwrap_or(Path::new(""));
                WriteError::io(&self.target.join(shown), e)
            })?;
        }
        let written = fs::write(&path, bytes);
        // A folder of the recycled spare where this build has a file gives way.
        let written = match written {
            Err(_) if folder_in_the_way(&path) => fs::write(&path, bytes),
            other => other,
        };
        written.map_err(|e| WriteError::io(&self.target.join(relative), e))?;
        self.record(relative, record);
        Ok(())
    }

    fn resolve(&self, relative: &str) -> Result<PathBuf, WriteError> {
        if !plainly_inside(relative) {
            return Err(WriteError {
                path: self.target.join(relative.replace('\0', "␀")),
                message: crate::msg!(
                    "this path would leave the output folder",
                    "这个路径会跑出输出文件夹"
                ),
                hint: crate::msg!(
                    "slugs and file names may not contain `..`, `\\` or start with `/`",
                    "网址名和文件名不能含 `..`、`\\`，也不能以 `/` 开头"
                ),
            });
        }
        Ok(self.staging.join(relative))
    }

    /// Puts the finished build in place and returns its manifest (`settings` is recorded for the
    /// next build). The marker names the build by a fingerprint of its files,
    /// so equal outputs are equal to the byte, marker included. Files kept from the previous
    /// build are linked into the staging folder, which then replaces the output in one step.
    pub fn commit(mut self, settings: u64) -> Result<Manifest, WriteError> {
        let files = std::mem::take(self.files.get_mut().unwrap_or_else(|p| p.into_inner()));
        // The files' bytes name the build, not what they were made from: a build without the
        // cache (which fingerprints no inputs) marks equal files equally.
        let mut listing: Vec<(&String, u64, u64)> = files
            .iter()
            .map(|(path, record)| (path, record.output, record.len))
            .collect();
        listing.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let build = crate::incremental::fingerprint(&listing);
        let marker = format!("{MARKER_TEXT}{}", marker_line(build));
        self.link_kept()?;
        self.remove_unused_folders(&files);
        let path = self.staging.join(MARKER);
        fs::write(&path, &marker).map_err(|e| WriteError::io(&path, e))?;
        self.swap()?;
        Ok(Manifest {
            target: fs::canonicalize(&self.target).unwrap_or_else(|_| self.target.clone()),
            build,
            settings,
            files,
        })
    }

    /// Hard-links each file kept from the previous output into the staging folder (a copy where
    /// the file system has no hard links). The previous output is only read.
    fn link_kept(&mut self) -> Result<(), WriteError> {
        let kept = std::mem::take(self.kept.get_mut().unwrap_or_else(|p| p.into_inner()));
        // Parents first: one depth after the other, each in parallel.
        for folders in by_depth(folders_of(&kept)).values() {
            folders.par_iter().try_for_each(|folder| {
                match fs::create_dir(self.staging.join(folder)) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                        Err(WriteError::io(&self.target.join(folder), e))
                    }
                    _ => Ok(()),
                }
            })?;
        }
        kept.par_iter().try_for_each(|relative| {
            let to = self.resolve(relative)?;
            let from = self.target.join(relative);
            let linked = match fs::hard_link(&from, &to) {
                // A folder of the recycled spare where this build has a file gives way.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && folder_in_the_way(&to) => {
                    fs::hard_link(&from, &to)
                }
                other => other,
            };
            match linked {
                Ok(()) => Ok(()),
                // Written by this build after all: its own file stays.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Err(WriteError {
                    path: from,
                    message: crate::msg!(
                        "this file of the previous build disappeared while building",
                        "上一次构建的这个文件在构建过程中不见了"
                    ),
                    hint: crate::msg!(
                        "build again; the next build writes it anew",
                        "再构建一次；下次构建会重新写入它"
                    ),
                }),
                Err(_) => fs::copy(&from, &to)
                    .map(drop)
                    .map_err(|e| WriteError::io(&from, e)),
            }
        })
    }

    /// Removes the recycled spare's folders that hold none of this build's `files`, deepest
    /// first.
    fn remove_unused_folders(&mut self, files: &HashMap<String, FileRecord>) {
        let spare = std::mem::take(&mut self.spare_folders);
        if spare.is_empty() {
            return;
        }
        let used = folders_of(&files.keys().collect::<Vec<_>>())
            .into_iter()
            .map(Path::to_path_buf)
            .collect::<BTreeSet<_>>();
        let unused: BTreeSet<&Path> = spare
            .iter()
            .filter(|folder| !used.contains(*folder))
            .map(PathBuf::as_path)
            .collect();
        for folders in by_depth(unused).values().rev() {
            for folder in folders {
                let _ = fs::remove_dir(self.staging.join(folder));
            }
        }
    }

    /// Replaces the output with the staging folder: one exchange of the two folders where the
    /// system has it (Linux), so the output is at every moment the whole old or the whole new
    /// build; the old build is then removed. Elsewhere the old output is renamed aside and the
    /// new one renamed in: a build killed between the two renames leaves no output, and the next
    /// build puts the old one back (see [`clean_leftovers`]).
    fn swap(&mut self) -> Result<(), WriteError> {
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target).map_err(|e| WriteError::io(&self.target, e))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.staging, &self.target) {
            Ok(()) => {
                self.committed = true;
                // The old build now lies in the staging folder: it becomes the spare, or (when
                // that fails) is removed; what a failure leaves goes with the next leftovers.
                self.keep_as_spare(&self.staging);
                return Ok(());
            }
            Err(e) if !exchange_unsupported(&e) => return Err(WriteError::io(&self.target, e)),
            Err(_) => {}
        }
        let aside = leftover_path(&self.target, "old", std::process::id());
        fs::rename(&self.target, &aside).map_err(|e| WriteError::io(&self.target, e))?;
        if let Err(error) = fs::rename(&self.staging, &self.target) {
            let _ = fs::rename(&aside, &self.target);
            return Err(WriteError::io(&self.target, error));
        }
        self.committed = true;
        self.keep_as_spare(&aside);
        Ok(())
    }

    /// Keeps the previous build, now at `folder`, as the spare for the next build. A spare
    /// already there is removed marker last (a kill meanwhile leaves it known as gongshi's);
    /// anything else at that name stays, and `folder` is removed instead.
    fn keep_as_spare(&self, folder: &Path) {
        let spare = spare_path(&self.target);
        let free = match fs::symlink_metadata(&spare) {
            Err(_) => true,
            Ok(_) => {
                is_marked_folder(&spare)
                    && empty_of_files(&spare, Path::new("")).is_ok()
                    && remove_tree(&spare).is_ok()
            }
        };
        if !free || fs::rename(folder, &spare).is_err() {
            let _ = self.remove_previous(folder);
        }
    }

    /// Removes the previous build, now at `folder`. With its manifest, the files it lists and
    /// their folders (deepest first) are removed by name, which takes a third of the calls of
    /// reading every folder; whatever is left (files added by hand) goes after.
    fn remove_previous(&self, folder: &Path) -> io::Result<()> {
        if let Some(previous) = &self.previous {
            let listed: Vec<&String> = previous
                .files
                .keys()
                .filter(|relative| plainly_inside(relative))
                .collect();
            listed.par_iter().for_each(|relative| {
                let _ = fs::remove_file(folder.join(relative));
            });
            for dirs in by_depth(folders_of(&listed)).values().rev() {
                dirs.par_iter().for_each(|dir| {
                    let _ = fs::remove_dir(folder.join(dir));
                });
            }
        }
        remove_tree(folder)
    }
}

/// Moves the spare beside `target` (when it is gongshi's) to `staging` and removes its files,
/// keeping its folders; returns them (relative to `staging`), or nothing when there was no
/// usable spare (`staging` is then absent).
fn recycle_spare(target: &Path, staging: &Path) -> Vec<PathBuf> {
    let spare = spare_path(target);
    // Anything else at that name (no marker, a link) is left alone.
    if !is_marked_folder(&spare) || fs::rename(&spare, staging).is_err() {
        return Vec::new();
    }
    match empty_of_files(staging, Path::new("")) {
        Ok(folders) => folders,
        Err(_) => {
            let _ = remove_tree(staging);
            Vec::new()
        }
    }
}

/// Removes every file and link under `folder` (never following a link) but the top marker,
/// so a build killed meanwhile leaves a staging folder the next build knows as gongshi's, and
/// returns the folders below it, relative (`inside` is `folder`'s own relative path).
fn empty_of_files(folder: &Path, inside: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(folder)?.collect::<Result<Vec<_>, _>>()?;
    if inside.as_os_str().is_empty() {
        entries.retain(|entry| entry.file_name() != MARKER);
    }
    let nested: Vec<Vec<PathBuf>> = entries
        .par_iter()
        .map(|entry| {
            if entry.file_type()?.is_dir() {
                let relative = inside.join(entry.file_name());
                let mut below = empty_of_files(&entry.path(), &relative)?;
                below.push(relative);
                Ok(below)
            } else {
                fs::remove_file(entry.path()).map(|()| Vec::new())
            }
        })
        .collect::<io::Result<_>>()?;
    Ok(nested.into_iter().flatten().collect())
}

/// True for a real folder (not a link) that carries gongshi's marker.
fn is_marked_folder(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) && path.join(MARKER).is_file()
}

/// Removes the folder at `path` (left there by the recycled spare), saying whether it did.
fn folder_in_the_way(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) && remove_tree(path).is_ok()
}

/// Folders grouped by how deep they are.
fn by_depth(folders: BTreeSet<&Path>) -> BTreeMap<usize, Vec<&Path>> {
    let mut grouped: BTreeMap<usize, Vec<&Path>> = BTreeMap::new();
    for folder in folders {
        grouped
            .entry(folder.components().count())
            .or_default()
            .push(folder);
    }
    grouped
}

/// The folders that hold `files` (site-relative paths) and their parents.
fn folders_of<S: AsRef<str>>(files: &[S]) -> BTreeSet<&Path> {
    let mut folders = BTreeSet::new();
    for relative in files {
        let mut folder = Path::new(relative.as_ref()).parent();
        while let Some(dir) = folder.filter(|d| !d.as_os_str().is_empty()) {
            if !folders.insert(dir) {
                break;
            }
            folder = dir.parent();
        }
    }
    folders
}

/// True for a relative path that stays inside the folder it is joined to: no `..`, no root,
/// no `\`, no NUL.
fn plainly_inside(relative: &str) -> bool {
    !relative.contains('\0')
        && !relative.contains('\\')
        && Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Removes what killed builds of `target` left beside it: staging and old folders named for
/// `target` (see [`leftover_path`]) whose process is gone, that are gongshi's (marked, or
/// empty). Called with the output locked, so no other build of `target` is writing them. When
/// `target` itself is missing, a build was killed between the two renames of the fallback swap:
/// the old output it renamed aside is put back instead.
fn clean_leftovers(target: &Path) {
    let Ok(entries) = fs::read_dir(parent_of(target)) else {
        return;
    };
    let prefix = format!(".{}.gongshi-", output_name(target));
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let (old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("staging-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            && (path.join(MARKER).is_file()
                || fs::read_dir(&path).is_ok_and(|mut e| e.next().is_none()));
        if !ours || !parse_pid(pid).is_some_and(process_gone) {
            continue;
        }
        if old && !target.exists() && fs::rename(&path, target).is_ok() {
            continue;
        }
        let _ = remove_tree(&path);
    }
}

/// A process id as gongshi writes it: decimal, positive, no leading zero.
fn parse_pid(text: &str) -> Option<i32> {
    text.parse::<i32>()
        .ok()
        .filter(|pid| *pid > 0 && pid.to_string() == text)
}

/// True when no process `pid` runs (one run by another user counts as running).
#[cfg(unix)]
fn process_gone(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result != 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// Without a way to tell, every process counts as running: leftovers stay.
#[cfg(not(unix))]
fn process_gone(_: i32) -> bool {
    false
}

/// Removes a folder and all it holds, its subfolders in parallel (an output has thousands).
/// Symbolic links are removed, never followed, `folder` itself included (an output folder that
/// was a link to another place leaves that place as it is).
fn remove_tree(folder: &Path) -> io::Result<()> {
    if fs::symlink_metadata(folder)?.is_dir() {
        remove_folder(folder)
    } else {
        fs::remove_file(folder)
    }
}

/// [`remove_tree`] of a folder known not to be a link.
fn remove_folder(folder: &Path) -> io::Result<()> {
    let entries = fs::read_dir(folder)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_folder(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(folder)
}

/// The first line of every marker.
const MARKER_TEXT: &str = "This folder is generated by gongshi; it is replaced on every build.\n";

/// Exchanges two folders in one step (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Systems without an exchange of two paths use the two-rename fallback.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// True when the exchange failed because the system or file system lacks it (old kernels,
/// some network file systems), not because of the folders.
fn exchange_unsupported(error: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        error.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    error.kind() == io::ErrorKind::Unsupported
}

/// The staging folder takes the rendered files: pages minified when configured, paths that would
/// leave the output refused, files whose bytes did not change left as the previous build wrote them.
impl Sink for Staging {
    fn page(&self, relative: &str, html: &[u8], input: u64) -> Result<(), WriteError> {
        if self.minify {
            // Spec-compliant: quoted attribute values where needed, spaces between
            // attributes and the DOCTYPE kept; `<style>` and `<script>` contents as written.
            let mut cfg = minify_html::Cfg::spec_compliant();
            cfg.keep_html_and_head_opening_tags = true;
            cfg.keep_closing_tags = true;
            let bytes = minify_html::minify(html, &cfg);
            self.write_made(relative, &bytes, input)
        } else {
            self.write_made(relative, html, input)
        }
    }

    fn file(&self, relative: &str, bytes: &[u8], input: u64) -> Result<(), WriteError> {
        self.write_made(relative, bytes, input)
    }

    /// Only when the next build will see what each file was made from.
    fn remembers(&self) -> bool {
        self.remember
    }

    fn keep(&self, relative: &str, input: u64) -> bool {
        let Some(record) = self.previous.as_ref().and_then(|m| m.files.get(relative)) else {
            return false;
        };
        if record.input != input {
            return false;
        }
        self.record(relative, *record);
        self.kept_file(relative);
        true
    }

    fn keep_all(&self, belongs: &dyn Fn(&str) -> bool) {
        let Some(previous) = &self.previous else {
            return;
        };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        for (path, record) in previous.files.iter().filter(|(path, _)| belongs(path)) {
            files.insert(path.clone(), *record);
            kept.push(path.clone());
        }
    }

    fn previous_bytes(&self, relative: &str) -> Option<Vec<u8>> {
        let record = self.previous.as_ref()?.files.get(relative)?;
        let bytes = fs::read(self.target.join(relative)).ok()?;
        let intact = bytes.len() as u64 == record.len && hash_bytes(&bytes) == record.output;
        intact.then_some(bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.staging);
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
            assert!(staging.file(bad, b"x", 0).is_err(), "{bad:?}");
        }
        assert!(staging.file("reports/a/index.html", b"x", 0).is_ok());
    }

    #[test]
    fn commit_replaces_marked_output_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = Staging::begin(&target, false, None, false).unwrap();
        first.file("old.html", b"old", 0).unwrap();
        first.commit(0).unwrap();
        let second = Staging::begin(&target, false, None, false).unwrap();
        second.file("new.html", b"new", 0).unwrap();
        second.commit(0).unwrap();
        assert!(target.join("new.html").exists());
        assert!(!target.join("old.html").exists());
        // The first build is kept beside the output as the spare; a third build recycles it.
        let spare = dir.path().join(".public.gongshi-spare");
        assert!(spare.join("old.html").is_file());
        let third = Staging::begin(&target, false, None, false).unwrap();
        third.file("third.html", b"3", 0).unwrap();
        third.commit(0).unwrap();
        assert!(!target.join("old.html").exists() && !target.join("new.html").exists());
        assert!(spare.join("new.html").is_file() && !spare.join("old.html").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.gongshi-spare", "public"]);
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
        first.file("index.html", b"old", 0).unwrap();
        first.commit(0).unwrap();
        let second = Staging::begin(&target, false, None, false).unwrap();
        second.file("reports/a/index.html", b"new", 0).unwrap();
        // A file where a folder must go fails the next write, as a full disk would.
        second.file("tags", b"in the way", 0).unwrap();
        let error = second.file("tags/x/index.html", b"x", 0).unwrap_err();
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
    fn an_output_renamed_aside_by_a_killed_build_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // Above the largest process id Linux hands out, so never a running process.
        let aside = leftover_path(&target, "old", 4_194_400);
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(aside.join("index.html"), "old").unwrap();
        let staging = Staging::begin(&target, false, None, false).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"old");
        assert!(!aside.exists());
        drop(staging);
    }

    #[test]
    fn a_spare_recycled_by_a_build_killed_before_it_finished_is_cleaned_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        for n in 0..2 {
            let staging = Staging::begin(&target, false, None, false).unwrap();
            staging
                .file(&format!("reports/r{n}/index.html"), b"x", 0)
                .unwrap();
            staging.commit(0).unwrap();
        }
        // A build killed just after emptying the spare: its staging folder, named for a process
        // that is gone, still carries the marker.
        let killed = leftover_path(&target, "staging", 4_194_401);
        let folders = recycle_spare(&target, &killed);
        assert!(
            folders.contains(&PathBuf::from("reports/r0")),
            "{folders:?}"
        );
        assert!(killed.join(MARKER).is_file());
        assert!(!killed.join("reports/r0/index.html").exists());
        let next = Staging::begin(&target, false, None, false).unwrap();
        assert!(!killed.exists(), "the next build removes it");
        drop(next);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_spare_name_is_neither_followed_nor_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::write(elsewhere.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(elsewhere.join("mine.txt"), "mine").unwrap();
        std::os::unix::fs::symlink(&elsewhere, spare_path(&target)).unwrap();
        for n in 0..2 {
            let staging = Staging::begin(&target, false, None, false).unwrap();
            staging.file(&format!("f{n}.html"), b"x", 0).unwrap();
            staging.commit(0).unwrap();
        }
        assert!(target.join("f1.html").is_file() && !target.join("f0.html").exists());
        assert_eq!(
            fs::read_to_string(elsewhere.join("mine.txt")).unwrap(),
            "mine"
        );
        assert!(
            fs::symlink_metadata(spare_path(&target))
                .unwrap()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_link_is_replaced_without_emptying_where_it_led() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("www");
        let first = Staging::begin(&elsewhere, false, None, false).unwrap();
        first.file("index.html", b"old", 0).unwrap();
        first.commit(0).unwrap();
        let target = dir.path().join("public");
        std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
        let second = Staging::begin(&target, false, None, false).unwrap();
        second.file("index.html", b"new", 0).unwrap();
        second.commit(0).unwrap();
        assert_eq!(fs::read(target.join("index.html")).unwrap(), b"new");
        assert_eq!(fs::read(elsewhere.join("index.html")).unwrap(), b"old");
    }

    #[test]
    fn process_ids_in_folder_names_table() {
        let cases = [
            ("4242", Some(4242)),
            ("1", Some(1)),
            ("0", None),
            ("-1", None),
            ("042", None),
            ("+42", None),
            ("42x", None),
            ("", None),
            ("99999999999", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_pid(text), expected, "{text:?}");
        }
    }

    #[test]
    fn abandoned_build_leaves_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("public"), false, None, false).unwrap();
        staging.file("a.html", b"x", 0).unwrap();
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
