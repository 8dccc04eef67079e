//! What the output-size cuts of issue 23 keep and leave out: each list and feed still carries
//! what a reader needs, without repeating what the page itself already says.

mod common;
use common::{build_ok, page};
use std::fs;

/// A site of three reports: two of 区发改委 (one without a source), one of 区教育局.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("site.yaml"),
        "title: 测试门户\nbase_url: https://example.gov.cn/pingyi/\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    let reports = [
        (
            "a",
            "2024-03-01",
            "区发改委",
            "source: 调查报告\n",
            "[营商环境, 评议]",
        ),
        ("b", "2024-02-01", "区发改委", "", "[营商环境]"),
        (
            "c",
            "2024-01-01",
            "区教育局",
            "source: 调查报告\n",
            "[营商环境, 教育]",
        ),
    ];
    for (slug, date, department, source, tags) in reports {
        fs::write(
            dir.path().join(format!("content/{slug}.md")),
            format!(
                "---\ntitle: 报告{slug}\ndate: {date}\ndepartment: {department}\n{source}tags: {tags}\n---\n报告{slug}的摘要。\n"
            ),
        )
        .unwrap();
    }
    build_ok(dir.path());
    dir
}

/// The `<ul class="cards">` of a list page.
fn cards(html: &str) -> &str {
    let start = html.find("<ul class=\"cards\">").expect("a card list");
    &html[start..start + html[start..].find("</ul>").unwrap()]
}

#[test]
fn a_department_list_does_not_link_each_card_back_to_itself() {
    let site = site();
    let department = page(site.path(), "departments/qu-fa-gai-wei/index.html");
    let list = cards(&department);
    assert_eq!(list.matches("<li><h2><a href=").count(), 2, "{list}");
    assert!(!list.contains("/departments/qu-fa-gai-wei/"), "{list}");
    assert!(list.contains("/sources/diao-cha-bao-gao/"), "{list}");
    assert!(department.contains("<h1>区发改委 "), "the heading names it");

    let source = page(site.path(), "sources/diao-cha-bao-gao/index.html");
    let list = cards(&source);
    assert!(!list.contains("/sources/"), "{list}");
    assert!(list.contains("/departments/qu-jiao-yu-ju/"), "{list}");

    for file in ["index.html", "tags/ying-shang-huan-jing/index.html"] {
        let list = cards(&page(site.path(), file)).to_string();
        assert_eq!(
            list.matches("/departments/qu-fa-gai-wei/").count(),
            2,
            "{file}"
        );
        assert_eq!(
            list.matches("/sources/diao-cha-bao-gao/").count(),
            2,
            "{file}"
        );
        assert!(list.contains("<time datetime=\"2024-03-01\">2024年3月1日</time>"));
        assert!(
            list.contains("<p>报告a的摘要。</p>"),
            "{file}: summary kept"
        );
    }
}

#[test]
fn a_related_report_shows_its_date_and_department() {
    let site = site();
    let html = page(site.path(), "reports/b/index.html");
    let start = html
        .find("<ul class=\"related-list\">")
        .expect("related list");
    let related = &html[start..start + html[start..].find("</ul>").unwrap()];
    assert!(
        related.contains(
            "<a href=\"/pingyi/reports/a/\">报告a</a> <span>2024年3月1日 · 区发改委</span>"
        ),
        "{related}"
    );
}

#[test]
fn only_the_site_feed_lists_each_entrys_keywords() {
    let site = site();
    let site_feed = page(site.path(), "feed.xml");
    assert_eq!(site_feed.matches("<entry>").count(), 3);
    assert!(
        site_feed.contains("<category term=\"教育\"/>"),
        "{site_feed}"
    );
    for feed in [
        "tags/ying-shang-huan-jing/feed.xml",
        "departments/qu-fa-gai-wei/feed.xml",
    ] {
        let xml = page(site.path(), feed);
        assert!(roxmltree::Document::parse(&xml).is_ok(), "{feed}");
        assert!(xml.matches("<entry>").count() >= 2, "{feed}");
        assert!(!xml.contains("<category"), "{feed}: {xml}");
        assert!(xml.contains("<summary>报告a的摘要。</summary>"), "{feed}");
        assert!(
            xml.contains("<author><name>区发改委</name></author>"),
            "{feed}"
        );
    }
}

#[test]
fn open_data_json_leaves_out_missing_fields_and_csv_keeps_every_column() {
    let site = site();
    let json: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.json")).unwrap();
    let rows = json.as_array().unwrap();
    let b = rows
        .iter()
        .find(|r| r["title"] == "报告b")
        .unwrap()
        .as_object()
        .unwrap();
    let keys: Vec<&str> = b.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["date", "department", "summary", "tags", "title", "url"],
        "no source, no null (keys as serde_json sorts them)"
    );
    assert!(!page(site.path(), "data/reports.json").contains("null"));
    let schema: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.schema.json")).unwrap();
    let required = schema["items"]["required"].as_array().unwrap();
    assert!(!required.contains(&serde_json::json!("source")));
    assert_eq!(schema["items"]["properties"]["source"]["type"], "string");
    let csv = page(site.path(), "data/reports.csv");
    let b_line = csv.lines().find(|l| l.starts_with("报告b,")).unwrap();
    assert_eq!(b_line.split(',').count(), 13, "{b_line}");
}
