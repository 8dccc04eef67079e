//! One report with many links, tags, footnotes and headings, made from a short fuzz input: the
//! first bytes choose how many of each (up to tens of thousands), the rest is the text repeated.
//! libFuzzer's `-timeout` catches any stage that grows faster than the file; parsing must finish
//! and every diagnostic must render.
#![no_main]

use gongshi::config::SiteConfig;
use gongshi::content::parse_report_bytes;
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let count = |byte: u8| usize::from(byte) * 100;
    let (links, tags, notes, headings) = (count(data[0]), count(data[1]), count(data[2]), count(data[3]));
    let text = String::from_utf8_lossy(&data[4..]);
    let mut report = String::from("---\ntitle: 大报告\ndate: 2021-01-01\ntags: [");
    for tag in 0..tags {
        let _ = write!(report, "词{tag},");
    }
    report.push_str("]\n---\n");
    for heading in 0..headings {
        let _ = writeln!(report, "## {text}{heading} {{#h{}}}\n", heading % 7);
    }
    for link in 0..links {
        let _ = writeln!(report, "[{text}](a{link}.md#{text}) ![{link}](/i/{link}.png)");
    }
    for note in 0..notes {
        let _ = writeln!(report, "正文[^{note}]{text}\n\n[^{note}]: 注{note}\n");
    }
    let path = Path::new("content/big.md");
    let (_, problems) = parse_report_bytes(report.into_bytes(), path, path, &SiteConfig::default());
    for problem in &problems {
        let _ = problem.to_string();
    }
});
