//! Watches the site's inputs and reports changes, ignoring editor leftovers.

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The folders of a site whose files are inputs.
const INPUT_FOLDERS: [&str; 3] = ["content", "static", "themes"];

/// Watches a site's inputs; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    /// The site folder, absolute.
    root: PathBuf,
}

impl Watcher {
    /// Watches again each input folder that `changed` names itself: created, removed or
    /// replaced (`mv content old && cp -r old content`). A watch follows the folder it was put
    /// on, not its name, so a replaced folder would otherwise never be seen again.
    pub fn rearm(&mut self, changed: &[PathBuf]) {
        for folder in INPUT_FOLDERS {
            let path = self.root.join(folder);
            if !changed.contains(&path) {
                continue;
            }
            // Not watched any more when it was removed: nothing to undo then.
            let _ = self.debouncer.unwatch(&path);
            if path.is_dir()
                && let Err(error) = self.debouncer.watch(&path, RecursiveMode::Recursive)
            {
                eprintln!(
                    "{}",
                    crate::lang::localize(&crate::msg!(
                        "warning: cannot watch {}: {error}",
                        "警告：无法监视 {}：{error}",
                        path.display()
                    ))
                );
            }
        }
    }
}

/// True for files editors write while saving (`.x.swp`, `x~`, `.#x`, vim's `4913` probe).
pub fn is_editor_leftover(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || name.ends_with(".tmp")
        || (name.starts_with('.') && name != ".")
}

/// True when a change to `path` matters for the site at `root`.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    if is_editor_leftover(path) {
        return false;
    }
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative == Path::new("site.yaml")
        || INPUT_FOLDERS
            .iter()
            .any(|folder| relative.starts_with(folder))
}

/// True for events that change what a file says or where it is; reading a file (which the
/// rebuild itself does) only produces access events and must not trigger another rebuild.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// How long a path must stay quiet before its change is reported. An editor's save (write, or
/// write-and-rename) comes as a burst of events within a few milliseconds; every millisecond
/// here is added to the time from save to reload (100 ms before: 370–440 ms at 10k reports).
const DEBOUNCE: Duration = Duration::from_millis(30);

/// Calls `on_change` with the changed paths whenever inputs under `root` change (debounced by
/// [`DEBOUNCE`]): the site folder itself is watched (site.yaml, and input folders coming and going),
/// and each input folder with all it holds.
pub fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, String> {
    let absolute_root = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let filter_root = absolute_root.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|event| changes_content(&event.kind))
                .flat_map(|event| event.paths.iter().cloned())
                .filter(|path| is_relevant(&filter_root, path))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !paths.is_empty() {
                on_change(paths);
            }
        }
    })
    .map_err(|e| e.to_string())?;
    debouncer
        .watch(&absolute_root, RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    for folder in INPUT_FOLDERS {
        let path = absolute_root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(Watcher {
        debouncer,
        root: absolute_root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_files_is_not_a_change() {
        use notify_debouncer_full::notify::event::{
            AccessKind, CreateKind, DataChange, MetadataKind,
        };
        assert!(!changes_content(&EventKind::Access(AccessKind::Any)));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn relevant_changes_table() {
        let root = Path::new("/site");
        let cases = [
            ("/site/content/a.md", true),
            ("/site/content/2020/b.md", true),
            ("/site/site.yaml", true),
            ("/site/themes/default/templates/base.html", true),
            ("/site/static/logo.png", true),
            ("/site/public/index.html", false),
            ("/site/content/.a.md.swp", false),
            ("/site/content/a.md~", false),
            ("/site/content/.#a.md", false),
            ("/site/content/4913", false),
            ("/site/README.md", false),
        ];
        for (path, expected) in cases {
            assert_eq!(is_relevant(root, Path::new(path)), expected, "{path}");
        }
    }
}
