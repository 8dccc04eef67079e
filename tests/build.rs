//! Builds the `basic` fixture site and checks the pages a reader sees.

mod common;
use common::{build_ok, copy_fixture, gongshi, page, snapshot};

#[test]
fn report_page_has_metadata_table_body_and_keywords() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "reports/fagaiwei/index.html");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<title>区发改委专项工作评议调查报告 - 测试门户</title>"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.cn/pingyi/reports/fagaiwei/\">"
    ));
    assert!(
        html.contains("<meta name=\"description\" content=\"评议组对区发改委开展了专项调查。\">")
    );
    assert!(html.contains("<time datetime=\"2020-08-06T00:00:00+08:00\">2020年8月6日</time>"));
    assert!(html.contains("<a href=\"/pingyi/departments/qu-fa-gai-wei/\">区发改委</a>"));
    assert!(html.contains("<a href=\"/pingyi/sources/jiang-hua-fa-yan/\">讲话发言</a>"));
    assert!(html.contains("<a href=\"/pingyi/tags/fa-gai-wei/\">发改委</a>"));
    assert!(html.contains("<h2 id=\"一专项工作推进情况\">一、专项工作推进情况</h2>"));
}

#[test]
fn chinese_markdown_defects_do_not_reach_readers() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "reports/fagaiwei/index.html");
    assert!(
        html.contains("这是<strong>“重点”</strong>内容，换行后不应出现空格。"),
        "{html}"
    );
    assert!(html.contains("<strong>发改委：</strong>关于整改的说明"));
    assert!(!html.contains("**"));
}

#[test]
fn footnotes_tables_and_links_between_reports_render() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "reports/fagaiwei/index.html");
    assert!(html.contains("<a href=\"#fn-1\" id=\"fn-ref-1\">1</a>"));
    assert!(html.contains("<li id=\"fn-1\">"));
    assert!(html.contains("<table>"));
    assert!(
        html.contains(
            "href=\"/pingyi/reports/genzong/#%E4%B8%80%E6%95%B4%E6%94%B9%E6%83%85%E5%86%B5\""
        ),
        "{html}"
    );
}

#[test]
fn disclosure_fields_appear_in_the_metadata_table() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "reports/jiaoyu/index.html");
    for expected in [
        "<th scope=\"row\">索引号</th><td>QH-2021-0001</td>",
        "<th scope=\"row\">发文字号</th><td>清人常〔2021〕1号</td>",
        "<th scope=\"row\">成文日期</th><td>2021年5月28日</td>",
        "<th scope=\"row\">公开属性</th><td>主动公开</td>",
        "<th scope=\"row\">主题分类</th><td>人大工作</td>",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
}

#[test]
fn home_lists_pinned_first_then_newest_across_pages() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let titles = |html: &str| -> Vec<String> {
        html.split("<h2><a href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let first = page(site.path(), "index.html");
    let second = page(site.path(), "page/2/index.html");
    let third = page(site.path(), "page/3/index.html");
    let mut all = titles(&first);
    all.extend(titles(&second));
    all.extend(titles(&third));
    assert_eq!(
        all,
        [
            "/pingyi/reports/pinned/",
            "/pingyi/reports/xss/",
            "/pingyi/reports/jiaoyu/",
            "/pingyi/reports/genzong/",
            "/pingyi/reports/fagaiwei/",
        ]
    );
    assert!(first.contains("<a rel=\"next\" href=\"/pingyi/page/2/\">"));
    assert!(!site.path().join("public/page/4").exists());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    assert!(!site.path().join("public/reports/draft").exists());
    let run = gongshi(site.path(), &["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path().join("public/reports/draft/index.html").exists());
}

#[test]
fn keyword_strings_are_split_and_term_pages_list_reports_newest_first() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let html = page(site.path(), "tags/fa-gai-wei/index.html");
    let genzong = html.find("/pingyi/reports/genzong/").unwrap();
    let fagaiwei = html.find("/pingyi/reports/fagaiwei/").unwrap();
    assert!(genzong < fagaiwei, "newest first");
    assert!(page(site.path(), "tags/zheng-gai/index.html").contains("/pingyi/reports/genzong/"));
    let index = page(site.path(), "tags/index.html");
    assert!(
        index.find(">评议<").unwrap() < index.find(">发改委<").unwrap(),
        "ranked by use"
    );
    let year = page(site.path(), "archive/2021/index.html");
    assert!(year.contains("/pingyi/reports/xss/") && year.contains("/pingyi/reports/jiaoyu/"));
    assert!(
        page(site.path(), "archive/2021/page/2/index.html").contains("/pingyi/reports/genzong/")
    );
    assert!(site.path().join("public/404.html").exists());
}

#[test]
fn front_matter_text_is_escaped_everywhere() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    for relative in ["reports/xss/index.html", "index.html", "page/2/index.html"] {
        let html = page(site.path(), relative);
        assert!(!html.contains("<script>alert"), "{relative}");
        assert!(!html.contains("<img src=x"), "{relative}");
        assert!(!html.contains("<b>热词</b>"), "{relative}");
    }
    assert!(
        page(site.path(), "reports/xss/index.html")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;标题")
    );
}

#[test]
fn two_builds_are_byte_identical_and_leave_no_stale_files() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let first = snapshot(&site.path().join("public"));
    std::fs::remove_file(site.path().join("content/2021/jiaoyu.md")).unwrap();
    build_ok(site.path());
    assert!(
        !site.path().join("public/reports/jiaoyu").exists(),
        "stale page removed"
    );
    common::copy_tree(
        &common::fixture("basic/content"),
        &site.path().join("content"),
    );
    build_ok(site.path());
    assert_eq!(first, snapshot(&site.path().join("public")));
}

#[test]
fn minified_output_keeps_html_and_head_tags() {
    let site = copy_fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml"))
        .unwrap()
        .replace("minify: false", "minify: true");
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    build_ok(site.path());
    let html = page(site.path(), "reports/fagaiwei/index.html");
    assert!(
        html.starts_with("<!doctype html><html lang=zh-CN><head>"),
        "{}",
        &html[..80]
    );
    assert!(!html.contains("\n\n"));
}

#[test]
fn theme_override_replaces_one_template_and_static_files_are_copied() {
    let site = copy_fixture("basic");
    let templates = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "<!DOCTYPE html><html lang=\"{{ site.language }}\"><title>自定义404</title></html>",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static/files")).unwrap();
    std::fs::write(site.path().join("static/files/附件.txt"), "附件").unwrap();
    build_ok(site.path());
    assert!(page(site.path(), "404.html").contains("自定义404"));
    assert!(
        page(site.path(), "index.html").contains("最新报告"),
        "other templates still from the default theme"
    );
    assert_eq!(page(site.path(), "files/附件.txt"), "附件");
    assert!(site.path().join("public/style.css").exists());
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = copy_fixture("basic");
    let run = gongshi(
        site.path(),
        &["build", "--base-url", "http://localhost:8080/"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = page(site.path(), "reports/fagaiwei/index.html");
    assert!(html.contains("href=\"http://localhost:8080/reports/fagaiwei/\""));
    assert!(html.contains("href=\"/style.css\""));
}

#[test]
fn raw_html_is_sanitized_by_default_and_escaped_on_request() {
    let site = copy_fixture("basic");
    let body = "---\ntitle: 原始HTML\ndate: 2018-01-01\n---\n<div class=\"note\" onmouseover=\"steal()\">提示<script>alert(1)</script></div>\n\n<table><tr><td>保留的表格</td></tr></table>\n\n[恶意链接](javascript:alert(1))\n";
    std::fs::write(site.path().join("content/raw.md"), body).unwrap();
    build_ok(site.path());
    let html = page(site.path(), "reports/raw/index.html");
    assert!(
        !html.contains("alert(1)") && !html.contains("onmouseover"),
        "{html}"
    );
    assert!(html.contains("<td>保留的表格</td>"));
    assert!(html.contains("<a href=\"#\">恶意链接</a>"), "{html}");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap()
        + "markdown:\n  raw_html: escape\n";
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    build_ok(site.path());
    let escaped = page(site.path(), "reports/raw/index.html");
    assert!(escaped.contains("&lt;table&gt;") && !escaped.contains("<td>保留的表格</td>"));
}
