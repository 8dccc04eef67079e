//! `gongshi import`: scraped pages and blog posts become reports that build.

mod common;
use common::{copy_tree, fixture, gongshi};
use std::fs;
use std::path::Path;

/// A temporary site folder with the fixture inputs of `kind` copied into `old/`.
fn with_inputs(kind: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("import").join(kind), &dir.path().join("old"));
    dir
}

/// The expected output `tests/fixtures/import/expected/<name>`.
fn expected(name: &str) -> String {
    fs::read_to_string(fixture("import/expected").join(name)).unwrap()
}

fn written(dir: &Path, relative: &str) -> String {
    let path = dir.join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn scraped_pages_import_to_the_expected_markdown() {
    let dir = with_inputs("scraped");
    let run = gongshi(dir.path(), &["import", "--from", "scraped", "old"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in [
        "guan-yu-qu-jiao-yu-ju-gong-zuo-ping-yi-de-diao-cha-bao-gao.md",
        "qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md",
    ] {
        assert_eq!(
            written(dir.path(), &format!("content/{name}")),
            expected(name),
            "{name}"
        );
    }
    assert!(
        run.stdout
            .ends_with("imported 2, skipped 0, 4 pinyin glosses removed, 6 warning(s)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn redactions_and_lost_characters_are_warned_at_their_place() {
    let dir = with_inputs("scraped");
    let run = gongshi(
        dir.path(),
        &["import", "--from", "scraped", "old", "--dry-run"],
    );
    for warning in [
        "old/qinghe-jiaoyu.txt:7:9: warning: `**` stands for a redacted name",
        "old/qinghe-jiaoyu.txt:7:13: warning: `**` stands for a redacted name",
        "old/qinghe-jiaoyu.txt:12:34: warning: a character was lost",
        "old/fanti-fagaiwei.txt:9:32: warning: a character was lost",
    ] {
        assert!(run.stderr.contains(warning), "{warning}\n{}", run.stderr);
    }
}

#[test]
fn traditional_pages_convert_to_simplified_on_request() {
    let dir = with_inputs("scraped");
    let input = "old/fanti-fagaiwei.txt";
    let run = gongshi(
        dir.path(),
        &[
            "import",
            "--from",
            "scraped",
            input,
            "--to-simplified",
            "--department",
            "区发改委",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        written(
            dir.path(),
            "content/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md"
        ),
        expected("fanti-fagaiwei-simplified.md")
    );
}

#[test]
fn gb18030_input_is_detected_and_converted() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = fs::read_to_string(fixture("import/scraped/qinghe-jiaoyu.txt")).unwrap();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the input really is not UTF-8"
    );
    fs::create_dir(dir.path().join("old")).unwrap();
    fs::write(dir.path().join("old/legacy.txt"), &bytes).unwrap();
    let run = gongshi(
        dir.path(),
        &["import", "--from", "scraped", "old/legacy.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("1 converted from GB 18030"),
        "{}",
        run.stdout
    );
    let name = "guan-yu-qu-jiao-yu-ju-gong-zuo-ping-yi-de-diao-cha-bao-gao.md";
    assert_eq!(
        written(dir.path(), &format!("content/{name}")),
        expected(name).replace("old/qinghe-jiaoyu.txt", "old/legacy.txt")
    );
}

#[test]
fn rerunning_an_import_skips_existing_files() {
    let dir = with_inputs("scraped");
    let first = gongshi(dir.path(), &["import", "--from", "scraped", "old"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let path = dir
        .path()
        .join("content/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md");
    fs::write(&path, "edited by hand\n").unwrap();
    let second = gongshi(dir.path(), &["import", "--from", "scraped", "old"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains(
            "skipped old/fanti-fagaiwei.txt: content/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md already exists"
        ),
        "{}",
        second.stdout
    );
    assert!(
        second.stdout.contains("imported 0, skipped 2"),
        "{}",
        second.stdout
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "edited by hand\n");
}

#[test]
fn dry_run_prints_the_files_and_writes_nothing() {
    let dir = with_inputs("scraped");
    let run = gongshi(
        dir.path(),
        &["import", "--from", "scraped", "old", "--dry-run"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!dir.path().join("content").exists());
    assert!(
        run.stdout
            .contains("would write content/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md")
    );
    assert!(run.stdout.contains("title: 區發改委專項工作評議報告\n"));
    assert!(run.stdout.contains("would import 2, skipped 0"));
}

#[test]
fn blog_posts_map_their_front_matter() {
    let cases = [
        ("hexo", "pingyi-dongyuan.md"),
        ("hugo", "zhenggai-genzong.md"),
        ("jekyll", "minsheng-shishi.md"),
    ];
    for (engine, name) in cases {
        let dir = with_inputs(engine);
        let run = gongshi(
            dir.path(),
            &[
                "import",
                "--from",
                engine,
                "old",
                "--categories",
                "department",
            ],
        );
        assert_eq!(run.code, 0, "{engine}: {}", run.stderr);
        assert_eq!(
            written(dir.path(), &format!("content/{name}")),
            expected(&format!("{engine}-{name}")),
            "{engine}"
        );
    }
}

#[test]
fn hugo_shortcodes_are_warned_and_toml_is_refused_with_a_hint() {
    let dir = with_inputs("hugo");
    fs::write(dir.path().join("old/toml.md"), "+++\ntitle = \"x\"\n+++\n").unwrap();
    let run = gongshi(dir.path(), &["import", "--from", "hugo", "old"]);
    assert_eq!(run.code, 1, "one input failed: {}", run.stdout);
    assert!(
        run.stderr
            .contains("old/zhenggai-genzong.md:15:1: warning: a Liquid tag or Hugo shortcode")
    );
    assert!(run.stdout.contains("skipped old/toml.md: TOML front-matter (`+++`) is not read; run `hugo convert toYAML` first"), "{}", run.stdout);
    assert!(run.stdout.contains("imported 1, skipped 1"));
}

#[test]
fn imported_reports_build_into_a_portal() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["scraped", "hexo", "hugo", "jekyll"] {
        copy_tree(
            &fixture("import").join(kind),
            &dir.path().join("old").join(kind),
        );
        let run = gongshi(
            dir.path(),
            &[
                "import",
                "--from",
                kind,
                &format!("old/{kind}"),
                "--department",
                "区人大常委会",
            ],
        );
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
    }
    fs::write(dir.path().join("site.yaml"), "title: 导入测试\n").unwrap();
    let build = gongshi(dir.path(), &["build", "--drafts"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        !build.stderr.contains("unknown front-matter key"),
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("built 5 reports"), "{}", build.stderr);
    let page = common::page(dir.path(), "reports/pingyi-dongyuan/index.html");
    assert!(page.contains("评议动员会召开: 区人大常委会部署年度评议"));
    let page = common::page(
        dir.path(),
        "reports/guan-yu-qu-jiao-yu-ju-gong-zuo-ping-yi-de-diao-cha-bao-gao/index.html",
    );
    assert!(
        page.contains("调查组走访了**镇、**街道"),
        "redactions show as written"
    );
    assert!(
        dir.path()
            .join("public/2022/11/zhenggai-genzong/index.html")
            .exists(),
        "Hugo url became a redirect"
    );
}

#[test]
fn a_repeated_key_is_a_warning_naming_both_lines_and_the_last_value_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("old")).unwrap();
    fs::write(
        dir.path().join("old/pingyi.md"),
        "---\ntitle: 区司法局工作评议\ndate: 2019-06-01\nreviewer: 张三\ntags: [司法]\nreviewer: 李四\n---\n正文\n",
    )
    .unwrap();
    let run = gongshi(dir.path(), &["import", "--from", "hugo", "old"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "old/pingyi.md:6:1: warning: `reviewer` is written twice, on lines 4 and 6; the last value is kept, as Hugo does: `李四`"
        ),
        "{}",
        run.stderr
    );
    let text = written(dir.path(), "content/pingyi.md");
    assert!(text.contains("extra:\n  reviewer: 李四\n"), "{text}");
    assert!(!text.contains("张三"), "{text}");
}

#[test]
fn old_url_writes_an_alias_for_each_old_address_that_moves() {
    let dir = with_inputs("hugo-permalinks");
    let run = gongshi(
        dir.path(),
        &[
            "import",
            "--from",
            "hugo",
            "old",
            "--old-url",
            "/:year/:month/:slug/",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = written(dir.path(), "content/monthly.md");
    assert!(first.contains("aliases: [/2019/03/monthly/]\n"), "{first}");
    let second = written(dir.path(), "content/monthly-2.md");
    assert!(
        second.contains("aliases: [/2020/03/monthly/]\n"),
        "{second}"
    );
    assert!(!second.contains("slug:"), "{second}");
    let build = gongshi(dir.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let redirect = common::page(dir.path(), "2020/03/monthly/index.html");
    assert!(redirect.contains("/reports/monthly-2/"), "{redirect}");
}

#[test]
fn under_a_dated_permalink_reused_names_keep_their_slug_and_need_no_alias() {
    let dir = with_inputs("hugo-permalinks");
    fs::write(
        dir.path().join("site.yaml"),
        "permalink: /:year/:month/:slug/\n",
    )
    .unwrap();
    let run = gongshi(
        dir.path(),
        &[
            "import",
            "--from",
            "hugo",
            "old",
            "--old-url",
            "/:year/:month/:slug/",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = written(dir.path(), "content/monthly-2.md");
    assert!(second.contains("slug: monthly\n"), "{second}");
    assert!(!second.contains("aliases"), "{second}");
    let build = gongshi(dir.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        common::page(dir.path(), "2019/03/monthly/index.html").contains("本月评议组走访了区发改委")
    );
    assert!(common::page(dir.path(), "2020/03/monthly/index.html").contains("区教育局的工作汇报"));
}

#[test]
fn jekyll_html_addresses_become_aliases() {
    let dir = with_inputs("jekyll");
    let run = gongshi(
        dir.path(),
        &[
            "import",
            "--from",
            "jekyll",
            "old",
            "--old-url",
            "/:year/:month/:day/:slug.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = written(dir.path(), "content/minsheng-shishi.md");
    assert!(text.contains("/2018/06/30/minsheng-shishi.html"), "{text}");
}

#[test]
fn hugo_page_bundles_import_as_bundles_with_their_files() {
    let dir = with_inputs("hugo-bundles");
    let run = gongshi(dir.path(), &["import", "--from", "hugo", "old"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "old/post/_index.md: warning: skipped: `_index.md` is a Hugo section page (the text of a list), not a post"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("imported old/post/jiaoyu-pingyi/index.md → content/jiaoyu-pingyi/index.md"),
        "{}",
        run.stdout
    );
    assert_eq!(
        fs::read(dir.path().join("content/jiaoyu-pingyi/images/chart.png")).unwrap(),
        b"\x89PNG\r\n\x1a\nchart"
    );
    let build = gongshi(dir.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let html = common::page(dir.path(), "reports/jiaoyu-pingyi/index.html");
    assert!(html.contains("<img src=\"images/chart.png\""), "{html}");
    assert!(
        dir.path()
            .join("public/reports/jiaoyu-pingyi/images/chart.png")
            .is_file()
    );
}

#[test]
fn imported_from_is_relative_to_the_input_even_when_given_an_absolute_path() {
    let dir = with_inputs("scraped");
    let absolute = dir.path().join("old");
    let run = gongshi(
        dir.path(),
        &["import", "--from", "scraped", absolute.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = written(
        dir.path(),
        "content/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-bao-gao.md",
    );
    assert!(
        text.contains("imported_from: old/fanti-fagaiwei.txt\n"),
        "{text}"
    );
}
