//! Writes an imported report as Markdown with YAML front-matter that `gongshi build` reads back.

use super::Draft;
use crate::yaml::write::{date_scalar, list, scalar};
use std::fs;
use std::io::Write;
use std::path::Path;

/// The whole Markdown file for `draft`: front-matter in a fixed key order, then the body.
pub fn render(draft: &Draft) -> String {
    let mut text = String::from("---\n");
    let mut line = |key: &str, value: String| text.push_str(&format!("{key}: {value}\n"));
    line("title", scalar(&draft.title));
    line("date", date_scalar(&draft.date));
    if let Some(updated) = &draft.updated {
        line("updated", date_scalar(updated));
    }
    if let Some(department) = &draft.department {
        line("department", scalar(department));
    }
    if let Some(source) = &draft.source {
        line("source", scalar(source));
    }
    if !draft.tags.is_empty() {
        line("tags", list(&draft.tags));
    }
    if let Some(summary) = &draft.summary {
        line("summary", scalar(summary));
    }
    if let Some(slug) = &draft.slug {
        line("slug", scalar(slug));
    }
    if draft.draft {
        line("draft", "true".to_string());
    }
    if !draft.aliases.is_empty() {
        line("aliases", list(&draft.aliases));
    }
    line("imported_from", scalar(&draft.imported_from));
    if !draft.extra.is_empty() {
        text.push_str("extra:\n");
        for (key, value) in &draft.extra {
            let value = match value {
                serde_json::Value::String(s) => scalar(s),
                // JSON is YAML's flow style, so any other value can be written as JSON.
                other => other.to_string(),
            };
            text.push_str(&format!("  {}: {value}\n", scalar(key)));
        }
    }
    text.push_str("---\n");
    let body = draft.body.trim_matches('\n');
    if !body.is_empty() {
        text.push_str(body);
        text.push('\n');
    }
    text
}

/// Writes `text` to `path`, creating folders; fails rather than replace an existing file.
pub fn write_new(path: &Path, text: &str) -> Result<(), String> {
    write_bytes_new(path, text.as_bytes())
}

/// Writes `bytes` to `path`, creating folders; fails rather than replace an existing file.
fn write_bytes_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies `from` to `to`, creating folders; fails rather than replace an existing file.
pub fn copy_new(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    write_bytes_new(to, &bytes)
}
