//! A progress bar for long builds: shown only on an interactive terminal, only once a build has
//! run for a second, and never in CI or when stderr is piped.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Builds shorter than this never show a bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Counts finished jobs and draws a bar when it is worth it.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A hidden bar for `total` jobs.
    pub fn new(total: usize) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let template = crate::msg!(
            "{{bar:40}} {{pos}}/{{len}} pages {{elapsed}}",
            "{{bar:40}} {{pos}}/{{len}} 页 {{elapsed}}"
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        let enabled = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress {
            bar,
            started: Instant::now(),
            enabled,
            shown: AtomicBool::new(false),
        }
    }

    /// One more job done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && self.started.elapsed() > SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
