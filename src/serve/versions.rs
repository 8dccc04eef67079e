//! The newest snapshot, and the wake-up of the live-reload streams when a new one is published.

use super::live::Snapshot;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The snapshot requests get, swapped by the rebuild thread, waited on by live-reload streams.
pub struct Versions {
    newest: Mutex<Arc<Snapshot>>,
    published: Condvar,
}

impl Versions {
    /// Starts with the first snapshot.
    pub fn new(first: Arc<Snapshot>) -> Self {
        Versions {
            newest: Mutex::new(first),
            published: Condvar::new(),
        }
    }

    /// The snapshot a request is answered from.
    pub fn newest(&self) -> Arc<Snapshot> {
        self.lock().clone()
    }

    /// Makes `snapshot` the newest, wakes every waiting stream, and returns the one it replaces
    /// (for the caller to free where it costs nobody time).
    pub fn publish(&self, snapshot: Arc<Snapshot>) -> Arc<Snapshot> {
        let replaced = std::mem::replace(&mut *self.lock(), snapshot);
        self.published.notify_all();
        replaced
    }

    /// Waits up to `timeout` for a snapshot other than version `seen`: the newest then, or
    /// `None` when none came.
    pub fn wait_newer(&self, seen: u64, timeout: Duration) -> Option<Arc<Snapshot>> {
        let (newest, waited) = self
            .published
            .wait_timeout_while(self.lock(), timeout, |newest| newest.version == seen)
            .unwrap_or_else(|p| p.into_inner());
        (!waited.timed_out()).then(|| newest.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Arc<Snapshot>> {
        self.newest.lock().unwrap_or_else(|p| p.into_inner())
    }
}
