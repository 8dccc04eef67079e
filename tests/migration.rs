//! Content trees from Hugo, Jekyll and Hexo read as their owners wrote them (issue 19): dated
//! file names, page bundles with their files, section pages, Hexo headers, messy tags.
//! Fixture: tests/fixtures/migration.

mod common;
use common::{build_ok, copy_fixture, gongshi, page};
use std::fs;

#[test]
fn jekyll_file_names_give_the_date_and_the_slug_when_the_front_matter_has_none() {
    let site = copy_fixture("migration");
    build_ok(site.path());
    let jekyll = page(
        site.path(),
        "reports/gong-min-xie-li-chuang-zao-geng-hao-de-bao-shui-ruan-ti/index.html",
    );
    assert!(jekyll.contains("<time datetime=\"2017-09-07T00:00:00+08:00\">2017年9月7日"));
    // A `date:` line wins over the file name, which still gives the slug.
    let dated = page(site.path(), "reports/minsheng-shishi/index.html");
    assert!(dated.contains("<time datetime=\"2018-03-20T09:30:00+08:00\">2018年3月20日"));
}

#[test]
fn page_bundles_are_named_after_their_folder_and_publish_their_files() {
    let site = copy_fixture("migration");
    let run = build_ok(site.path());
    let html = page(site.path(), "reports/jiaoyu-pingyi/index.html");
    assert!(html.contains("<img src=\"chart.png\" alt=\"课后服务问卷统计\" />"));
    assert!(html.contains("<a href=\"fujian/baogao.pdf\">调查报告 PDF</a>"));
    let public = site.path().join("public/reports/jiaoyu-pingyi");
    assert_eq!(
        fs::read(public.join("chart.png")).unwrap(),
        b"\x89PNG\r\n\x1a\nchart"
    );
    assert_eq!(
        fs::read(public.join("fujian/baogao.pdf")).unwrap(),
        b"%PDF-1.4 baogao"
    );
    // A dated bundle folder gives the date and the name, like a Jekyll file name.
    let dated = page(site.path(), "reports/huanbao-diaoyan/index.html");
    assert!(dated.contains("<time datetime=\"2021-05-10T00:00:00+08:00\">"));
    assert!(!run.stderr.contains("index-"), "{}", run.stderr);
    assert!(run.stderr.contains("built 4 reports"), "{}", run.stderr);
}

#[test]
fn links_to_bundle_files_pass_the_link_check() {
    let site = copy_fixture("migration");
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("broken"), "{}", run.stderr);
}

#[test]
fn hugo_section_pages_are_skipped_with_a_notice() {
    let site = copy_fixture("migration");
    let run = build_ok(site.path());
    assert!(
        run.stderr.contains(
            "content/post/_index.md: notice: skipped: `_index.md` is a Hugo section page (the text of a list), not a report"
        ),
        "{}",
        run.stderr
    );
    // A notice is not a warning: only the base_url warning is counted.
    assert!(run.stderr.contains("(1 warning(s))"), "{}", run.stderr);
}

#[test]
fn bundle_files_follow_the_report_into_the_traditional_edition() {
    let site = copy_fixture("migration");
    fs::write(
        site.path().join("site.yaml"),
        "title: 区人大常委会评议公示\nminify: false\nvariants: [zh-Hant]\n",
    )
    .unwrap();
    build_ok(site.path());
    assert!(
        site.path()
            .join("public/zh-hant/reports/jiaoyu-pingyi/chart.png")
            .is_file()
    );
}

#[test]
fn full_width_list_separators_and_invisible_characters_are_named() {
    let site = tempfile::tempdir().unwrap();
    fs::create_dir(site.path().join("content")).unwrap();
    fs::write(
        site.path().join("content/jiaoyu.md"),
        "---\ntitle: 区教育局工作评议\ndate: 2020-01-01\ntags: [教育，评议、满意度, 民生\u{200B}]\n\u{3000}source: 讲话发言\n---\n正文\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/jiaoyu.md:4:8: warning: `教育，评议、满意度` is one list item with full-width separators; read as 3 tags",
        "hint: a YAML list needs ASCII commas: `tags: [教育, 评议, 满意度]`",
        "content/jiaoyu.md:4:21: warning: an invisible zero-width space (U+200B) was removed here",
        "content/jiaoyu.md:5:1: error: the key `source` has an invisible full-width space (U+3000) next to it, so it is not read as `source`",
        "hint: delete the full-width space (U+3000) around `source`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    fs::write(
        site.path().join("content/jiaoyu.md"),
        "---\ntitle: 区教育局工作评议\ndate: 2020-01-01\ntags: [教育，评议、满意度, 民生\u{200B}]\n---\n正文\n",
    )
    .unwrap();
    build_ok(site.path());
    for tag in ["jiao-yu", "ping-yi", "man-yi-du", "min-sheng"] {
        assert!(page(site.path(), &format!("tags/{tag}/index.html")).contains("区教育局工作评议"));
    }
}

/// A site with two reports named `monthly` in different years, the second linking to the first.
fn monthly_site(site_yaml: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for (year, date, body) in [
        ("2019", "2019-03-05", "本月评议组走访了区发改委。"),
        (
            "2020",
            "2020-03-04",
            "参见[上年同期月报](../2019/monthly.md)。",
        ),
    ] {
        let folder = site.path().join("content").join(year);
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join("monthly.md"),
            format!("---\ntitle: {year}年3月评议工作月报\ndate: {date}\ndepartment: 区人大常委会\ntags: [月报, 评议]\n---\n{body}\n"),
        )
        .unwrap();
    }
    fs::write(site.path().join("site.yaml"), site_yaml).unwrap();
    site
}

#[test]
fn a_permalink_with_the_date_keeps_old_addresses_everywhere() {
    let site = monthly_site(
        "title: 月报\nbase_url: https://pingyi.example.gov.cn/\npermalink: /:year/:month/:slug/\nvariants: [zh-Hant]\n",
    );
    build_ok(site.path());
    let newer = page(site.path(), "2020/03/monthly/index.html");
    assert!(newer.contains("<a href=\"/2019/03/monthly/\">上年同期月报</a>"));
    assert!(page(site.path(), "2019/03/monthly/index.html").contains("本月评议组走访了区发改委"));
    assert!(!site.path().join("public/reports").exists());
    let variant = page(site.path(), "zh-hant/2020/03/monthly/index.html");
    assert!(
        variant.contains("<a href=\"/zh-hant/2019/03/monthly/\">"),
        "{variant}"
    );
    let home = page(site.path(), "index.html");
    assert!(home.contains("href=\"/2020/03/monthly/\""));
    let sitemap = page(site.path(), "sitemap.xml");
    assert!(sitemap.contains("<loc>https://pingyi.example.gov.cn/2019/03/monthly/</loc>"));
    let feed = page(site.path(), "feed.xml");
    assert!(feed.contains("href=\"https://pingyi.example.gov.cn/2020/03/monthly/\""));
    let json = page(site.path(), "data/reports.json");
    assert!(json.contains("\"url\":\"https://pingyi.example.gov.cn/2019/03/monthly/\""));
    let search: String = fs::read_dir(site.path().join("public/search"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(search.contains("/2019/03/monthly/"));
    let related = &newer[newer.find("<section class=\"related\"").unwrap()..];
    assert!(related.contains("href=\"/2019/03/monthly/\""), "{related}");
}

#[test]
fn the_same_slug_on_the_default_permalink_is_an_error_that_suggests_a_dated_one() {
    let site = monthly_site("title: 月报\n");
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "content/2020/monthly.md:1:1: error: two reports on one URL /reports/monthly/: this one and content/2019/monthly.md"
    ), "{}", run.stderr);
    assert!(run.stderr.contains("put the date in site.yaml `permalink` (now `/reports/:slug/`), e.g. `permalink: /:year/:month/:slug/`"));
}

#[test]
fn a_bad_permalink_is_an_error_in_site_yaml() {
    let site = monthly_site("permalink: /:year/:title/\n");
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "site.yaml:1:12: error: `permalink`: `:title` is not a permalink variable; use `:year`, `:month`, `:day` and `:slug`"
    ), "{}", run.stderr);
}

#[test]
fn a_slug_permalink_cannot_take_a_generated_folder() {
    let site = monthly_site("permalink: /:slug/\n");
    fs::write(
        site.path().join("content/2019/monthly.md"),
        "---\ntitle: 热词说明\ndate: 2019-03-05\nslug: tags\n---\n正文\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "content/2019/monthly.md:4:7: error: the report's URL /tags/ is inside /tags/, which gongshi generates"
    ), "{}", run.stderr);
}

#[test]
fn blank_lines_above_the_front_matter_are_skipped_and_toml_is_named() {
    let site = tempfile::tempdir().unwrap();
    fs::create_dir(site.path().join("content")).unwrap();
    fs::write(
        site.path().join("content/kuokong.md"),
        "\n\n---\ntitle: 区住建局工作评议\ndate: 2021-06-01\n---\n正文\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/toml.md"),
        "+++\ntitle = \"区住建局\"\n+++\n正文\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/toml.md:1:1: error: the front-matter is TOML (`+++`); gongshi reads YAML (`---`)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hugo convert toYAML"), "{}", run.stderr);
    assert!(!run.stderr.contains("kuokong.md"), "{}", run.stderr);
}
