//! Any bytes as a report file: UTF-8 check, BOM/CRLF normalising, front-matter splitting, YAML,
//! field checks, slug, and the rendering of every diagnostic (line, caret) must never panic.
#![no_main]

use gongshi::config::SiteConfig;
use gongshi::content::parse_report_bytes;
use gongshi::content::split::{normalize, split};
use gongshi::slug::is_safe_segment;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(SiteConfig::default)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let text = normalize(text);
        if let Ok(parts) = split(&text) {
            // The parts are slices of the text, in order, and the body starts after the YAML.
            assert!(parts.body_first_line > parts.yaml_first_line);
            assert!(text.ends_with(parts.body));
        }
    }
    let path = Path::new("content/报告 （2020）.md");
    let (report, problems) = parse_report_bytes(data.to_vec(), path, path, config());
    for problem in &problems {
        let _ = problem.to_string();
    }
    if let Some(report) = report {
        assert!(
            is_safe_segment(&report.slug),
            "unsafe slug {:?}",
            report.slug
        );
        assert!(!report.meta.title.trim().is_empty());
        assert!(problems.iter().all(|p| !p.is_error()));
    } else {
        assert!(
            problems.iter().any(|p| p.is_error()),
            "rejected without an error"
        );
    }
});
