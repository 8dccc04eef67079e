//! The search index updated from the previous one after an edit equals one made from scratch,
//! is made again when what it was made from is not known, its folding table holds only the
//! reports' characters, and its binary shards hold each gram where its hash says (render::search,
//! on a fixture site loaded as a build would).

use gongshi::content::Report;
use gongshi::model::Site;
use gongshi::pipeline::{BuildOptions, load_in_memory};
use gongshi::render::search::{
    IndexFile, IndexState, Posting, index_files, read_shard, shard_hash, updated_files,
};
use std::collections::BTreeMap;

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

/// The grams and postings of the shard of `files` that `gram` is in (read with the library's
/// reader, the one updates use), and the shard's path.
fn shard_with(files: &[IndexFile], gram: &str) -> (String, BTreeMap<String, Vec<Posting>>) {
    let index: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|(p, _)| p == "search/index.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(index["version"], 3);
    let shards = index["shards"].as_u64().unwrap() as u32;
    let path = format!("search/shard-{}.bin", shard_hash(gram) % shards);
    let bytes = &files.iter().find(|(p, _)| *p == path).unwrap().1;
    (
        path.clone(),
        read_shard(bytes).unwrap_or_else(|| panic!("{path} unreadable")),
    )
}

#[test]
fn each_title_bigram_is_in_its_shard_with_the_title_field_and_its_place() {
    let (site, files, _) = fixture();
    for (doc, report) in site.reports.iter().enumerate() {
        let title: Vec<char> = report.meta.title.chars().collect();
        for (at, pair) in title.windows(2).enumerate() {
            let gram: String = pair.iter().collect();
            if !pair.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
                continue;
            }
            let (path, grams) = shard_with(&files, &gram);
            let posting = grams
                .get(&gram)
                .and_then(|list| list.iter().find(|p| p.doc == doc as u32))
                .unwrap_or_else(|| panic!("{gram} of report {doc} not in {path}"));
            assert!(posting.mask & 1 != 0, "{gram}: {posting:?}");
            assert!(
                posting.positions.contains(&(at as u32)),
                "{gram}: {posting:?}"
            );
        }
    }
}
