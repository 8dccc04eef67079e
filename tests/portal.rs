//! What a Chinese government office needs to publish the portal as it is (issue 20): the right
//! labels, the site-level facts every government site shows, the standard meta tags, a search
//! box on every page and distinct titles for list pages.

mod common;
use common::{build_ok, copy_fixture, page};
use std::fs;
use std::path::Path;

/// Appends `lines` to the fixture's site.yaml.
fn configure(site: &Path, lines: &str) {
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(site.join("site.yaml"), format!("{yaml}\n{lines}\n")).unwrap();
}

/// The `content` of `<meta name="{name}">` in `html`, if present.
fn meta(html: &str, name: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(&format!("meta[name=\"{name}\"]")).unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("content"))
        .map(str::to_string)
}

/// The report table's rows as (label, text).
fn report_rows(html: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse(".report-meta tr").unwrap();
    let th = scraper::Selector::parse("th").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    document
        .select(&rows)
        .map(|row| {
            let text = |s: &scraper::Selector| {
                row.select(s)
                    .next()
                    .map(|e| e.text().collect::<String>())
                    .unwrap_or_default()
            };
            (text(&th), text(&td))
        })
        .collect()
}

const GOVERNMENT: &str = "publisher: 清河区人大常委会
organizer: 清河区人大常委会办公室
contact: 010-12345678
site_id: \"1101050001\"
icp: 京ICP备12345678号
police_record: 京公网安备 11010502030143号
conac_url: https://bszs.conac.cn/sitename?method=show&id=123";

#[test]
fn a_report_names_the_appraised_body_and_the_publisher_apart() {
    let site = copy_fixture("basic");
    configure(site.path(), GOVERNMENT);
    build_ok(site.path());
    let html = page(site.path(), "reports/jiaoyu/index.html");
    let rows = report_rows(&html);
    assert!(
        rows.contains(&("评议对象".to_string(), "区教育局".to_string())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("发布机构".to_string(), "清河区人大常委会".to_string())),
        "{rows:?}"
    );
    assert_eq!(
        meta(&html, "ContentSource").as_deref(),
        Some("清河区人大常委会")
    );

    // A report may name its own publisher.
    let file = site.path().join("content/2021/jiaoyu.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("---\n", "---\npublisher: 清河区人民政府办公室\n", 1),
    )
    .unwrap();
    build_ok(site.path());
    let html = page(site.path(), "reports/jiaoyu/index.html");
    assert!(
        report_rows(&html).contains(&("发布机构".to_string(), "清河区人民政府办公室".to_string()))
    );
    assert_eq!(
        meta(&html, "ContentSource").as_deref(),
        Some("清河区人民政府办公室")
    );
}

#[test]
fn every_page_carries_the_government_meta_tags_and_footer() {
    let site = copy_fixture("basic");
    configure(site.path(), GOVERNMENT);
    build_ok(site.path());
    let cases = [
        ("index.html", "首页", "https://example.gov.cn/pingyi/"),
        (
            "reports/jiaoyu/index.html",
            "评议报告",
            "https://example.gov.cn/pingyi/reports/jiaoyu/",
        ),
        (
            "tags/index.html",
            "热词",
            "https://example.gov.cn/pingyi/tags/",
        ),
        (
            "departments/index.html",
            "评议对象",
            "https://example.gov.cn/pingyi/departments/",
        ),
        (
            "archive/index.html",
            "年度归档",
            "https://example.gov.cn/pingyi/archive/",
        ),
    ];
    for (file, column, url) in cases {
        let html = page(site.path(), file);
        assert_eq!(
            meta(&html, "SiteName").as_deref(),
            Some("测试门户"),
            "{file}"
        );
        assert_eq!(
            meta(&html, "SiteDomain").as_deref(),
            Some("example.gov.cn"),
            "{file}"
        );
        assert_eq!(
            meta(&html, "SiteIDCode").as_deref(),
            Some("1101050001"),
            "{file}"
        );
        assert_eq!(meta(&html, "ColumnName").as_deref(), Some(column), "{file}");
        assert_eq!(meta(&html, "Url").as_deref(), Some(url), "{file}");
        for shown in [
            "主办单位：清河区人大常委会",
            "承办单位：清河区人大常委会办公室",
            "联系方式：010-12345678",
            "网站标识码：1101050001",
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">京ICP备12345678号</a>",
            "href=\"https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143\"",
            "class=\"conac-mark\" href=\"https://bszs.conac.cn/sitename?method=show&amp;id=123\"",
        ] {
            assert!(html.contains(shown), "{file}: {shown}");
        }
    }
    let report = page(site.path(), "reports/jiaoyu/index.html");
    assert_eq!(
        meta(&report, "ArticleTitle").as_deref(),
        Some("区教育局工作评议报告")
    );
    assert_eq!(meta(&report, "Keywords").as_deref(), Some("教育,评议"));
    assert!(meta(&report, "PubDate").unwrap().starts_with("2021-06-01"));
}

#[test]
fn a_site_without_the_settings_shows_no_empty_lines() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "reports/jiaoyu/index.html");
    assert!(meta(&html, "SiteIDCode").is_none());
    assert!(meta(&html, "ContentSource").is_none());
    assert!(!html.contains("主办单位"));
    assert!(!html.contains("发布机构"));
    assert!(!html.contains("备案"));
}

#[test]
fn every_page_but_search_has_a_search_box_that_goes_to_the_search_page() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    for file in [
        "index.html",
        "reports/jiaoyu/index.html",
        "tags/index.html",
        "404.html",
    ] {
        let html = page(site.path(), file);
        assert!(
            html.contains(
                "<form class=\"header-search\" action=\"/pingyi/search/\" role=\"search\">"
            ),
            "{file}"
        );
        assert!(html.contains("name=\"q\""), "{file}");
    }
    let search = page(site.path(), "search/index.html");
    assert!(
        !search.contains("header-search"),
        "one search form on /search/"
    );
}

#[test]
fn later_list_pages_have_titles_of_their_own() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let title = |file: &str| {
        let html = page(site.path(), file);
        html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()].to_string()
    };
    assert_eq!(title("index.html"), "测试门户");
    assert_eq!(title("page/2/index.html"), "最新报告（第 2 页） - 测试门户");
    assert_eq!(title("tags/ping-yi/index.html"), "热词：评议 - 测试门户");
    assert_eq!(
        title("tags/ping-yi/page/2/index.html"),
        "热词：评议（第 2 页） - 测试门户"
    );
}

#[test]
fn the_table_of_contents_is_folded_so_the_body_starts_early() {
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("content/2021/long.md"),
        "---\ntitle: 长报告\ndate: 2021-03-01\n---\n## 一、总体情况\n\n正文。\n\n## 二、存在问题\n\n正文。\n\n## 三、意见建议\n\n正文。\n",
    )
    .unwrap();
    build_ok(site.path());
    let html = page(site.path(), "reports/long/index.html");
    assert!(
        html.contains("<details>\n<summary><h2 id=\"toc-title\">目录</h2></summary>"),
        "{html}"
    );
}

#[test]
fn recent_keywords_are_counted_back_from_the_build_date() {
    let site = copy_fixture("basic");
    let build_on = |epoch: &str| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .env("GONGSHI_LANG", "en")
            .arg("build")
            .current_dir(site.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
        page(site.path(), "tags/index.html")
    };
    // 2021-07-01: the fixture's 2021 reports are recent.
    let active = build_on("1625097600");
    assert!(active.contains("近一年热词"), "{active}");
    // 2030-01-01: nothing is recent on an idle site.
    let idle = build_on("1893456000");
    assert!(!idle.contains("近一年热词"), "{idle}");
}

#[test]
fn department_aliases_merge_two_names_of_one_body() {
    let site = copy_fixture("basic");
    configure(
        site.path(),
        "department_aliases:\n  区发展和改革委员会: 区发改委",
    );
    fs::write(
        site.path().join("content/2021/quanming.md"),
        "---\ntitle: 区发展和改革委员会工作评议报告\ndepartment: 区发展和改革委员会\ndate: 2021-04-01\n---\n正文。\n",
    )
    .unwrap();
    build_ok(site.path());
    let pages = [
        page(site.path(), "departments/qu-fa-gai-wei/index.html"),
        page(site.path(), "departments/qu-fa-gai-wei/page/2/index.html"),
    ]
    .concat();
    assert!(pages.contains("区发展和改革委员会工作评议报告"), "{pages}");
    let index = page(site.path(), "departments/index.html");
    assert!(!index.contains("区发展和改革委员会"), "{index}");
    assert!(
        !site
            .path()
            .join("public/departments/qu-fa-zhan-he-gai-ge-wei-yuan-hui")
            .exists()
    );
}

#[test]
fn site_absolute_links_in_markdown_work_under_a_sub_path() {
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static/files")).unwrap();
    fs::write(site.path().join("static/files/x.pdf"), "%PDF").unwrap();
    fs::write(site.path().join("static/files/photo.jpg"), "jpg").unwrap();
    fs::write(
        site.path().join("content/2021/att.md"),
        "---\ntitle: 附件\ndate: 2021-03-01\n---\n见[附件](/files/x.pdf)、![现场照片](/files/photo.jpg)、[报告](/reports/jiaoyu/#二)、[已含前缀](/pingyi/files/x.pdf)和[外站](https://example.org/a)。\n",
    )
    .unwrap();
    build_ok(site.path());
    let html = page(site.path(), "reports/att/index.html");
    for expected in [
        "href=\"/pingyi/files/x.pdf\"",
        "src=\"/pingyi/files/photo.jpg\"",
        "href=\"/pingyi/reports/jiaoyu/#%E4%BA%8C\"",
        "href=\"https://example.org/a\"",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert!(!html.contains("/pingyi/pingyi/"), "{html}");
}

#[test]
fn check_warns_about_images_without_alt_text_at_their_line() {
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static/files")).unwrap();
    fs::write(site.path().join("static/files/a.jpg"), "jpg").unwrap();
    fs::write(
        site.path().join("content/2021/photos.md"),
        "---\ntitle: 现场照片\ndate: 2021-03-01\n---\n评议组现场走访。\n\n![](/files/a.jpg)\n\n![区政务服务中心大厅](/files/a.jpg)\n",
    )
    .unwrap();
    let run = common::gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert!(
        run.stderr
            .contains("content/2021/photos.md:7: warning: image `/files/a.jpg` has no alt text"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("has no alt text").count(),
        1,
        "{}",
        run.stderr
    );
}
