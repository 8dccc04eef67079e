//! The build cache: a repeat build reuses what did not change, produces exactly what a clean
//! build produces, and never trusts a damaged or foreign cache.

mod common;
use common::{build_ok, copy_fixture, gongshi, snapshot};
use std::fs;
use std::path::Path;

/// Edits a fixture site the same way in every test: a new sentence in one report's body, a new
/// title for another (which shows on lists, feeds and related lists), and one report deleted.
fn edit(site: &Path) {
    let jiaoyu = site.join("content/2021/jiaoyu.md");
    let text = fs::read_to_string(&jiaoyu).unwrap();
    fs::write(
        &jiaoyu,
        format!("{text}\n评议组回访时，整改措施已全部落实。\n"),
    )
    .unwrap();
    let genzong = site.join("content/2021/genzong.md");
    let text = fs::read_to_string(&genzong).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    fs::write(
        &genzong,
        text.replace(title_line, "title: 整改情况跟踪评议报告（修订）"),
    )
    .unwrap();
    fs::remove_file(site.join("content/2021/pinned.md")).unwrap();
}

/// Asserts two snapshots hold the same files with the same bytes, naming the ones that differ.
fn assert_same(got: &Snapshot, want: &Snapshot) {
    let differ: Vec<_> = got
        .keys()
        .chain(want.keys())
        .filter(|path| got.get(*path) != want.get(*path))
        .collect();
    assert!(differ.is_empty(), "these files differ: {differ:?}");
}

type Snapshot = std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>;

/// `1080` as the summary line writes it: `1,080`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The built files of a site, without the cache.
fn output(site: &Path) -> Snapshot {
    snapshot(&site.join("public"))
}

/// Rewrites the body of one report: a sentence replaced, so the search index loses grams and
/// gains others while every report keeps its place (the index is updated, not made again).
fn edit_body(site: &Path) {
    let jiaoyu = site.join("content/2021/jiaoyu.md");
    let text = fs::read_to_string(&jiaoyu).unwrap();
    let (front, body) = text.rsplit_once("---").unwrap();
    let sentence = body
        .split('。')
        .find(|s| s.trim().chars().count() > 8)
        .unwrap();
    let body = body.replacen(sentence, "\n评议组回访核实：整改台账逐项销号", 1);
    fs::write(&jiaoyu, format!("{front}---{body}")).unwrap();
}

#[test]
fn repeat_build_after_edits_is_byte_identical_to_a_clean_build() {
    repeat_equals_clean("", edit, 1);
    repeat_equals_clean("", edit_body, 3);
}

#[test]
fn repeat_build_with_a_traditional_chinese_edition_equals_a_clean_build() {
    repeat_equals_clean("variants: [zh-Hant]\n", edit, 1);
    repeat_equals_clean("variants: [zh-Hant]\n", edit_body, 3);
}

/// Builds the fixture (with `extra_config` appended to site.yaml), changes it with `edit` and
/// builds again with the cache, which must reuse `reused` reports (not those linking to others); then builds the edited
/// fixture from scratch; both outputs must be equal.
fn repeat_equals_clean(extra_config: &str, edit: fn(&Path), reused: usize) {
    let configure = |site: &Path| {
        let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
        fs::write(site.join("site.yaml"), format!("{yaml}{extra_config}")).unwrap();
    };
    let cached = copy_fixture("basic");
    configure(cached.path());
    build_ok(cached.path());
    assert!(cached.path().join(".gongshi-cache/output.cache").is_file());
    edit(cached.path());
    let repeat = build_ok(cached.path());

    let clean = copy_fixture("basic");
    configure(clean.path());
    edit(clean.path());
    let run = gongshi(clean.path(), &["build", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!clean.path().join(".gongshi-cache").exists());

    assert_same(&output(cached.path()), &output(clean.path()));
    assert!(
        repeat
            .stderr
            .contains(&format!("unchanged since the last build: {reused} reports")),
        "{}",
        repeat.stderr
    );
}

#[test]
fn unchanged_site_rebuilds_without_writing_and_hand_edits_are_repaired() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let before = output(site.path());
    let page = site.path().join("public/reports/jiaoyu/index.html");
    fs::write(&page, "edited by hand").unwrap();
    let run = build_ok(site.path());
    assert_same(&output(site.path()), &before);
    let files = before.len() - 1; // every file but the marker
    assert!(
        run.stderr
            .contains(&format!("not re-read), {} files", grouped(files - 1))),
        "{}",
        run.stderr
    );
}

#[test]
fn damaged_or_foreign_cache_is_discarded_with_a_notice() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let expected = output(site.path());
    let cache = site.path().join(".gongshi-cache");
    let manifest = cache.join("output.cache");
    let mut bytes = fs::read(&manifest).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    fs::write(&manifest, bytes).unwrap();
    for entry in fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("reports-")
        {
            fs::write(&path, "gongshi-cache 0.0.0 format 1\n\0\0\0\0\0\0\0\0").unwrap();
        }
    }
    let run = build_ok(site.path());
    assert!(
        run.stderr.contains(
            "output.cache: notice: discarding the build cache: it is damaged; this build starts from scratch"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "notice: discarding the build cache: it was written by another gongshi version"
        ),
        "{}",
        run.stderr
    );
    // One notice for all the report shards, not one per shard.
    let foreign = run
        .stderr
        .lines()
        .filter(|line| line.contains("written by another gongshi version"))
        .collect::<Vec<_>>();
    assert_eq!(foreign.len(), 1, "{}", run.stderr);
    assert!(
        foreign[0].contains("reports-*.cache: notice"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unchanged since"), "{}", run.stderr);
    assert_same(&output(site.path()), &expected);
    // The damaged files were replaced: the next build reuses everything.
    let again = build_ok(site.path());
    assert!(!again.stderr.contains("notice"), "{}", again.stderr);
}

/// The report store's shards (`reports-<n>.cache`) that hold reports.
fn report_shards(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = fs::read_dir(cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("reports-") && fs::metadata(path).unwrap().len() > 200
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_body_is_caught_when_its_shard_is_read_and_its_reports_are_parsed_again() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let expected = output(site.path());
    let cache = site.path().join(".gongshi-cache");
    let shards = report_shards(&cache);
    assert!(
        !shards.is_empty(),
        "no report shards in {}",
        cache.display()
    );
    // Same length, one byte of a body's text changed: only the checksum can tell.
    for file in &shards {
        let mut bytes = fs::read(file).unwrap();
        let at = bytes.windows(3).rposition(|w| w == b"<p>").unwrap() + 1;
        bytes[at] ^= 0x20;
        fs::write(file, bytes).unwrap();
    }
    fs::remove_dir_all(site.path().join("public")).unwrap();
    let run = build_ok(site.path());
    assert!(
        run.stderr
            .contains("reports-*.cache: notice: discarding the build cache: it is damaged"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("unchanged since"), "{}", run.stderr);
    assert_same(&output(site.path()), &expected);
    let again = build_ok(site.path());
    assert!(!again.stderr.contains("notice"), "{}", again.stderr);
    assert!(again.stderr.contains("unchanged since"), "{}", again.stderr);
}

#[test]
fn cached_reports_keep_their_warnings_and_links_follow_renamed_reports() {
    let site = copy_fixture("basic");
    let jiaoyu = site.path().join("content/2021/jiaoyu.md");
    let text = fs::read_to_string(&jiaoyu).unwrap();
    fs::write(&jiaoyu, text.replacen("title:", "tag: 教育\ntitle:", 1)).unwrap();
    let first = build_ok(site.path());
    assert!(
        first.stderr.contains("did you mean `tags`"),
        "{}",
        first.stderr
    );
    // fagaiwei.md links to genzong.md: moving genzong to a new slug must update that link even
    // though fagaiwei.md itself did not change.
    let genzong = site.path().join("content/2021/genzong.md");
    let text = fs::read_to_string(&genzong).unwrap();
    fs::write(
        &genzong,
        text.replacen("title:", "slug: follow-up\ntitle:", 1),
    )
    .unwrap();
    let second = build_ok(site.path());
    assert!(
        second.stderr.contains("did you mean `tags`"),
        "{}",
        second.stderr
    );
    let page = common::page(site.path(), "reports/fagaiwei/index.html");
    assert!(
        page.contains("href=\"/pingyi/reports/follow-up/#"),
        "{page}"
    );
}

#[test]
fn settled_files_are_not_reread_and_same_size_edits_are_still_seen() {
    let site = copy_fixture("basic");
    // File times tick coarsely, so a stamp is trusted only once the file has settled (2 s).
    std::thread::sleep(std::time::Duration::from_millis(2200));
    build_ok(site.path());
    // Same length, other text: only the file's times tell the edit apart without reading it.
    let jiaoyu = site.path().join("content/2021/jiaoyu.md");
    let text = fs::read_to_string(&jiaoyu).unwrap();
    fs::write(&jiaoyu, text.replace("第二段。", "第三段。")).unwrap();
    // Rewritten with the same bytes: read again (its times changed), then reused.
    let xss = site.path().join("content/2021/xss.md");
    fs::write(&xss, fs::read(&xss).unwrap()).unwrap();
    let run = build_ok(site.path());
    assert!(
        run.stderr
            .contains("unchanged since the last build: 3 reports (2 not re-read)"),
        "{}",
        run.stderr
    );
    let page = fs::read_to_string(site.path().join("public/reports/jiaoyu/index.html")).unwrap();
    assert!(page.contains("第三段。") && !page.contains("第二段。"));
}
