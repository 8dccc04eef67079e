//! Broken sites: each problem is reported at its exact place, the build exits 1, and the
//! previous public/ stays byte-for-byte as it was.

mod common;
use common::{build_ok, copy_fixture, copy_tree, fixture, gongshi, snapshot};

/// (fixture under tests/fixtures/broken, text the error must contain)
const CASES: &[(&str, &str)] = &[
    ("malformed_yaml", "content/bad.md:3:5: error: invalid YAML"),
    (
        "missing_title",
        "content/notitle.md:1:1: error: the front-matter has no `title`",
    ),
    (
        "impossible_date",
        "content/baddate.md:3:7: error: `date`: 2018-02-31 is not a real date",
    ),
    (
        "duplicate_key",
        "content/dup.md:4:1: error: `title` is written twice: on line 2 and again here",
    ),
    (
        "gb18030",
        "content/legacy.md:2:8: error: the file is not UTF-8 text (it looks like a legacy encoding such as GB 18030/GBK)",
    ),
    (
        "duplicate_url",
        "content/b/same.md:1:1: error: two reports on one URL /reports/same/: this one and content/a/same.md",
    ),
    (
        "bad_tags",
        "content/tags.md:4:7: error: `tags` must be a list or a string, found a map",
    ),
];

#[test]
fn each_broken_site_fails_at_the_exact_place_and_keeps_the_previous_output() {
    for (case, expected) in CASES {
        let site = copy_fixture("basic");
        build_ok(site.path());
        let before = snapshot(&site.path().join("public"));
        copy_tree(&fixture(&format!("broken/{case}")), site.path());
        let run = gongshi(site.path(), &["build"]);
        assert_eq!(run.code, 1, "{case}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{case}: expected {expected:?} in\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("= hint: "), "{case} has a hint");
        assert_eq!(
            before,
            snapshot(&site.path().join("public")),
            "{case}: public/ changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .map(|n| n.to_string_lossy().into_owned())
            // The empty lock file and the previous build (the spare) stay between builds on
            // purpose; staging folders must not.
            .filter(|n| {
                n.contains("gongshi-")
                    && !n.ends_with(".gongshi-lock")
                    && !n.ends_with(".gongshi-spare")
                    && n != ".gongshi-cache"
            })
            .collect();
        assert!(leftovers.is_empty(), "{case}: {leftovers:?}");
    }
}

#[test]
fn every_problem_of_every_file_is_listed_in_one_run() {
    let site = copy_fixture("basic");
    for (case, _) in CASES {
        copy_tree(&fixture(&format!("broken/{case}")), site.path());
    }
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1);
    for (case, expected) in CASES {
        assert!(
            run.stderr.contains(expected),
            "{case} missing from\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains(&format!("error: {} error(s)", CASES.len())),
        "{}",
        run.stderr
    );
}

#[test]
fn error_shows_the_offending_line_and_a_caret() {
    let site = copy_fixture("basic");
    copy_tree(&fixture("broken/impossible_date"), site.path());
    let run = gongshi(site.path(), &["build"]);
    assert!(
        run.stderr.contains(" 3 | date: 2018-02-31\n   |       ^\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_keys_warn_with_a_suggestion_but_build() {
    let site = copy_fixture("basic");
    std::fs::write(
        site.path().join("content/typo.md"),
        "---\ntitle: 拼写\ndate: 2020-01-01\ntag: [评议]\n---\n正文\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/typo.md:4:1: warning: unknown front-matter key `tag`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `tags`?"));
}

#[test]
fn a_folder_gongshi_did_not_create_is_never_replaced() {
    let site = copy_fixture("basic");
    std::fs::create_dir_all(site.path().join("public")).unwrap();
    std::fs::write(site.path().join("public/precious.txt"), "keep me").unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("was not created by gongshi"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("public/precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn output_that_is_the_site_or_inside_content_is_refused() {
    let site = copy_fixture("basic");
    for output in [".", "content/out", ".."] {
        let run = gongshi(site.path(), &["build", "--output", output]);
        assert_eq!(run.code, 1, "{output}");
        assert!(
            run.stderr.contains("refusing to build into this folder"),
            "{output}: {}",
            run.stderr
        );
    }
    assert!(site.path().join("content/2020/fagaiwei.md").exists());
}
