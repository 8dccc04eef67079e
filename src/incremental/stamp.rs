//! A file's stamp: what tells one version of a file from another without reading it.

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
