//! docs/theme-api.md lists every variable each template receives and the struct it is made
//! from; this test builds the context of every page of a fixture site and fails when a variable
//! is missing from the doc, the doc lists one no page of that template receives, or a section
//! names another struct than the one its pages are made from.

mod common;

use gongshi::pipeline::{BuildOptions, Reuse, load_in_memory};
use gongshi::render::Job;
use gongshi::render::costly::Mode;
use gongshi::render::pages::Renderer;
use gongshi::render::variables::Common;
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

/// docs/theme-api.md.
fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/theme-api.md"))
        .expect("docs/theme-api.md")
}

/// The struct each section names (`Struct: `ReportPage`.` under `## report.html`).
fn structs() -> BTreeMap<String, String> {
    let mut structs = BTreeMap::new();
    let mut current = String::new();
    for line in doc().lines() {
        if let Some(title) = line.strip_prefix("## ") {
            current = title.trim().to_string();
        } else if let Some(name) = line.strip_prefix("Struct: `") {
            let name = name.split('`').next().unwrap_or_default();
            structs.insert(current.clone(), name.to_string());
        }
    }
    structs
}

/// Each section's table rows (`## index.html`, `## Every page`, `## card`): the variable in
/// backquotes and its type cell.
fn sections() -> BTreeMap<String, Vec<(String, String)>> {
    let doc = doc();
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

/// The key paths each template receives on the fixture site's pages, and the struct its pages
/// are made from.
fn received() -> BTreeMap<String, (BTreeSet<String>, BTreeSet<&'static str>)> {
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
    let renderer = Renderer::new(&loaded.site, &loaded.plan.redirects);
    let mut templates: BTreeMap<String, (BTreeSet<String>, BTreeSet<&'static str>)> =
        BTreeMap::new();
    for &job in &loaded.plan.jobs {
        if matches!(
            job,
            Job::Feed(_) | Job::Sitemap | Job::OpenData | Job::SearchIndex
        ) {
            continue;
        }
        let context = renderer.context(job, Mode::Render);
        let json = serde_json::to_value(&context).unwrap();
        let (keys, structs) = templates.entry(context.template().to_string()).or_default();
        key_paths(&json, "", keys);
        structs.insert(context.struct_name());
    }
    templates
}

#[test]
fn the_theme_api_doc_lists_exactly_what_templates_receive() {
    let sections = sections();
    let every = documented(&sections, "Every page");
    let mut problems = Vec::new();
    let templates = received();
    let named = structs();
    let common = std::any::type_name::<Common>().split('<').next().unwrap();
    let common = common.rsplit("::").next().unwrap();
    if named.get("Every page").map(String::as_str) != Some(common) {
        problems.push(format!("`Every page` does not say `Struct: `{common}`.`"));
    }
    for (template, (keys, made_from)) in &templates {
        for name in made_from {
            if named.get(template).map(String::as_str) != Some(*name) {
                problems.push(format!(
                    "{template}: made from `{name}`, but docs/theme-api.md names {:?}",
                    named.get(template)
                ));
            }
        }
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
