//! docs/theme-api.md lists every variable each template receives; this test builds the context
//! of every page of a fixture site and fails when a variable is missing from the doc, or the doc
//! lists one no page of that template receives.

mod common;

use gongshi::pipeline::{BuildOptions, Reuse, load_in_memory};
use gongshi::render::Job;
use gongshi::render::pages::Renderer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Adds the key paths of `value` under `prefix`: `a`, `a.b`, `a[].b`. The keys of `extra`
/// (the report's own front-matter fields) are the site author's, not the theme API's.
fn key_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                if key != "extra" {
                    key_paths(inner, &path, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Each section's table rows (`## index.html`, `## Every page`, `## card`): the variable in
/// backquotes and its type cell.
fn sections() -> BTreeMap<String, Vec<(String, String)>> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/theme-api.md"))
        .expect("docs/theme-api.md");
    let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = String::new();
    for line in doc.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            current = title.trim().to_string();
            sections.entry(current.clone()).or_default();
        } else if let Some(row) = line.strip_prefix("| `") {
            let mut cells = row.split('|');
            let key = cells
                .next()
                .unwrap_or_default()
                .trim()
                .trim_end_matches('`');
            let kind = cells.next().unwrap_or_default().trim();
            let rows = sections.entry(current.clone()).or_default();
            rows.push((key.to_string(), kind.to_string()));
        }
    }
    sections
}

/// The key paths a section documents, with the fields of the types its rows link to
/// (`list of [card](#card)` adds `key[].title`, …).
fn documented(
    sections: &BTreeMap<String, Vec<(String, String)>>,
    section: &str,
) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (key, kind) in sections.get(section).into_iter().flatten() {
        keys.insert(key.clone());
        let Some(linked) = kind
            .split("](#")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
        else {
            continue;
        };
        let prefix = if kind.starts_with("list of") {
            format!("{key}[]")
        } else {
            key.clone()
        };
        for field in documented(sections, linked) {
            keys.insert(format!("{prefix}.{field}"));
        }
    }
    keys
}

/// The key paths each template receives on the fixture site's pages.
fn received() -> BTreeMap<String, BTreeSet<String>> {
    let site = common::copy_fixture("theme-api");
    // Keywords trend over the last year before the build: the newest report is dated two days
    // ago (whatever the time zone).
    let newest = site.path().join("content/2026/xinnian.md");
    let recent = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(48);
    let today = recent
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let text = std::fs::read_to_string(&newest).unwrap();
    std::fs::write(
        &newest,
        text.replace("2026-06-01", &today)
            .replace("2026-06-20", &today),
    )
    .unwrap();
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let (loaded, report) = load_in_memory(&options, Reuse::default());
    let loaded = loaded.unwrap_or_else(|| panic!("{:?}", report.problems));
    let renderer = Renderer::new(&loaded.site, &loaded.plan.redirects, false);
    let mut templates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for &job in &loaded.plan.jobs {
        if matches!(
            job,
            Job::Feed(_) | Job::Sitemap | Job::OpenData | Job::SearchIndex
        ) {
            continue;
        }
        let (template, context) = renderer.context(job);
        let variables: serde_json::Map<String, Value> = context
            .into_values()
            .into_iter()
            .map(|(key, value)| (key.to_string(), serde_json::to_value(&value).unwrap()))
            .collect();
        let json = Value::Object(variables);
        key_paths(
            &json,
            "",
            templates.entry(template.to_string()).or_default(),
        );
    }
    templates
}

#[test]
fn the_theme_api_doc_lists_exactly_what_templates_receive() {
    let sections = sections();
    let every = documented(&sections, "Every page");
    let mut problems = Vec::new();
    let templates = received();
    for (template, keys) in &templates {
        let own = documented(&sections, template);
        for key in keys {
            if !own.contains(key) && !every.contains(key) {
                problems.push(format!("{template}: `{key}` is not in docs/theme-api.md"));
            }
        }
        for key in own.iter().chain(&every) {
            if !keys.contains(key) {
                problems.push(format!(
                    "{template}: `{key}` is documented but not received"
                ));
            }
        }
    }
    for section in sections.keys() {
        if section.ends_with(".html") && !templates.contains_key(section) {
            problems.push(format!(
                "docs/theme-api.md documents `{section}`, which no page uses"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
