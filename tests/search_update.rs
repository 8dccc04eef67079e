//! The search index updated from the previous one after an edit equals one made from scratch,
//! is made again when what it was made from is not known, and its folding table holds only the
//! reports' characters (render::search, on a fixture site loaded as a build would).

use gongshi::content::Report;
use gongshi::model::Site;
use gongshi::pipeline::{BuildOptions, load_in_memory};
use gongshi::render::search::{IndexFile, IndexState, index_files, updated_files};

/// The sample fixture's model and its index.
fn fixture() -> (Site, Vec<IndexFile>, IndexState) {
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
    // title gone; their characters stay in the reports (reversed), so the folding table
    // stays as it was.
    let reversed = |text: &str| text.chars().rev().collect::<String>();
    let opening: String = edited.body.text.chars().take(40).collect();
    let kept: String = edited.body.text.chars().skip(40).collect();
    let title = reversed(&edited.meta.title);
    edited.body.text = format!("{kept}{} displayHTS 。", reversed(&opening)).into();
    edited.meta.tags.push(title.clone());
    edited.meta.title = title;
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
    // 鑫 (one form in both scripts) is new to the reports: the update goes ahead; 龟 (龜 in
    // Traditional) is new too: the folding table changes, and the index is made again.
    site.reports[0].body.text = format!("{}鑫。", old.body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| Some(old.clone()), &read).is_some());
    site.reports[0].body.text = format!("{}龟。", old.body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| Some(old.clone()), &read).is_none());
    site.reports[0].body.text = format!("{}新增一句。", old.body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| None, &read).is_none());
    let mut stale = old.clone();
    stale.body.text = format!("{}另一句。", stale.body.text).into();
    assert!(updated_files(&site, "/", &state, &|_| Some(stale.clone()), &read).is_none());
    site.reports.swap(0, 1);
    site.reports.pop();
    assert!(updated_files(&site, "/", &state, &|_| Some(old.clone()), &read).is_none());
}

#[test]
fn the_folding_table_holds_the_pairs_of_the_reports_characters_in_a_few_files() {
    let (site, files, _) = fixture();
    let file = |path: &str| files.iter().find(|(p, _)| p == path).map(|(_, j)| j);
    let index: serde_json::Value =
        serde_json::from_slice(file("search/index.json").unwrap()).unwrap();
    let count = index["fold_files"].as_u64().unwrap() as u32;
    let folds: Vec<&IndexFile> = files.iter().filter(|(p, _)| p.contains("fold-")).collect();
    assert_eq!(folds.len() as u32, count);
    assert!(
        count <= 64,
        "{count} files for {} reports",
        site.reports.len()
    );
    let mut pairs = Vec::new();
    for (_, json) in folds {
        let table: serde_json::Value = serde_json::from_slice(json).unwrap();
        let from: Vec<char> = table["from"].as_str().unwrap().chars().collect();
        let to: Vec<char> = table["to"].as_str().unwrap().chars().collect();
        pairs.extend(from.into_iter().zip(to));
    }
    // 发改委 is in the fixture, 龟 is not.
    assert!(pairs.contains(&('發', '发')));
    assert!(!pairs.iter().any(|&(_, to)| to == '龟'));
    let path = |c: char| format!("search/fold-{}.json", c as u32 % count);
    let fold_file = String::from_utf8(file(&path('發')).unwrap().clone()).unwrap();
    assert!(fold_file.contains('发'));
}
