//! The dev server's [`Sink`]: a job's rendered files kept in memory, to answer one request.

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::sink::{Sink, WriteError};
use crate::render::{Job, Plan, render_job};
use std::sync::Mutex;

/// One rendered file.
pub struct RenderedFile {
    /// Site-relative path (`reports/a/index.html`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
    /// True for HTML pages (they get the live-reload script).
    pub is_page: bool,
}

/// Files rendered into memory.
#[derive(Default)]
struct Memory(Mutex<Vec<RenderedFile>>);

impl Memory {
    fn push(&self, path: &str, bytes: &[u8], is_page: bool) -> Result<(), WriteError> {
        let file = RenderedFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
            is_page,
        };
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(file);
        Ok(())
    }
}

impl Sink for Memory {
    fn page(&self, relative: &str, html: &[u8], _input: u64) -> Result<(), WriteError> {
        self.push(relative, html, true)
    }

    fn file(&self, relative: &str, bytes: &[u8], _input: u64) -> Result<(), WriteError> {
        self.push(relative, bytes, false)
    }
}

/// Renders one job of `site` into memory.
pub fn render_in_memory(
    site: &Site,
    tera: &tera::Tera,
    plan: &Plan,
    job: Job,
) -> Result<Vec<RenderedFile>, Diagnostic> {
    let memory = Memory::default();
    render_job(site, tera, plan, job, &memory)?;
    Ok(memory.0.into_inner().unwrap_or_else(|p| p.into_inner()))
}
