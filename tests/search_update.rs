//! The search index updated from the previous one after an edit equals one made from scratch,
//! and is made again when what it was made from is not known (render::search, on a fixture
//! site loaded as a build would).

use gongshi::content::Report;
use gongshi::model::Site;
use gongshi::pipeline::{BuildOptions, load_in_memory};
use gongshi::render::search::{IndexState, index_files, updated_files};

/// The sample fixture's model and its index.
fn fixture() -> (Site, Vec<(String, String)>, IndexState) {
    let options = BuildOptions {
        root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        ..Default::default()
    };
    let (loaded, report) = load_in_memory(&options, Default::default());
    let site = loaded
        .unwrap_or_else(|| panic!("{:?}", report.problems))
        .site;
    let (files, state) = index_files(&site, "/");
    (site, files, state)
}

#[test]
fn an_updated_index_equals_one_made_from_scratch() {
    let (mut site, before, state) = fixture();
    let old = site.reports[1].clone();
    let edited = &mut site.reports[1];
    // Text (with a Latin word and its prefixes) and a keyword added, the opening and the old
    // title gone.
    let kept: String = edited.body.text.chars().skip(40).collect();
    edited.body.text = format!("{kept}并于回访时在 displayHTS 中核实了整改台账。").into();
    edited.meta.tags.push("整改台账".to_string());
    edited.meta.title = "整改情况复核".to_string();
    let read = |path: &str| {
        before
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, json)| json.clone())
    };
    let old_report =
        |report: &Report| (report.content_path == old.content_path).then(|| old.clone());
    let (updated, _) = updated_files(&site, "/", &state, &old_report, &read).expect("an update");
    let (scratch, _) = index_files(&site, "/");
    let shards_updated = updated.iter().filter(|(p, _)| p.contains("shard-")).count();
    assert!(shards_updated > 0);
    for (path, json) in &scratch {
        let got = updated.iter().chain(&before).find(|(p, _)| p == path);
        assert_eq!(got.map(|(_, j)| j), Some(json), "{path}");
    }
}

#[test]
fn an_index_is_made_again_when_the_old_report_is_unknown_or_reports_moved() {
    let (mut site, before, state) = fixture();
    let read = |path: &str| {
        before
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, json)| json.clone())
    };
    let old = site.reports[0].clone();
    site.reports[0].body.text = format!("{}新增一句。", site.reports[0].body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| None, &read).is_none());
    let mut stale = old.clone();
    stale.body.text = format!("{}另一句。", stale.body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| Some(stale.clone()), &read).is_none());
    site.reports.swap(0, 1);
    site.reports.pop();
    assert!(updated_files(&site, "/", &state, &|_| Some(old.clone()), &read).is_none());
}
