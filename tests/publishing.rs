//! Feeds, sitemap, open data, redirects and sub-path hosting, read back with real parsers.

mod common;
use common::{build_ok, copy_fixture, gongshi, page};
use std::fs;

fn child<'a, 'input>(
    node: &roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children().find(|c| c.tag_name().name() == name)
}

fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn site_feed_is_valid_atom_with_newest_entries_and_escaped_text() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let feed = page(site.path(), "feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let ids = xml_texts(&feed, "id");
    assert_eq!(ids[0], "https://example.gov.cn/pingyi/feed.xml");
    assert_eq!(
        &ids[1..],
        [
            "https://example.gov.cn/pingyi/reports/xss/",
            "https://example.gov.cn/pingyi/reports/jiaoyu/",
            "https://example.gov.cn/pingyi/reports/genzong/",
            "https://example.gov.cn/pingyi/reports/fagaiwei/",
            "https://example.gov.cn/pingyi/reports/pinned/",
        ]
    );
    let titles = xml_texts(&feed, "title");
    assert!(
        titles.contains(&"<script>alert(1)</script>标题".to_string()),
        "escaped in XML, intact once parsed"
    );
    assert!(!feed.contains("<script>"));
    let summaries = xml_texts(&feed, "summary");
    assert!(summaries.contains(&"评议组对区发改委开展了专项调查。".to_string()));
    assert!(!feed.contains("<table>"), "summaries, not whole bodies");
}

#[test]
fn feed_limit_and_term_feeds_with_alternate_links() {
    let site = copy_fixture("basic");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap() + "feed_limit: 2\n";
    fs::write(site.path().join("site.yaml"), yaml).unwrap();
    build_ok(site.path());
    assert_eq!(xml_texts(&page(site.path(), "feed.xml"), "entry").len(), 2);
    let tag_feed = page(site.path(), "tags/fa-gai-wei/feed.xml");
    let ids = xml_texts(&tag_feed, "id");
    assert_eq!(
        &ids[1..],
        [
            "https://example.gov.cn/pingyi/reports/genzong/",
            "https://example.gov.cn/pingyi/reports/fagaiwei/"
        ]
    );
    assert!(
        site.path()
            .join("public/departments/qu-fa-gai-wei/feed.xml")
            .exists()
    );
    assert!(page(site.path(), "tags/fa-gai-wei/index.html").contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"热词：发改委\" href=\"/pingyi/tags/fa-gai-wei/feed.xml\">"));
    assert!(
        page(site.path(), "index.html")
            .contains("type=\"application/atom+xml\" title=\"测试门户\" href=\"/pingyi/feed.xml\"")
    );
}

#[test]
fn term_feeds_carry_the_newest_twenty_and_entries_stay_complete_atom() {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: 测试门户\nbase_url: https://example.gov.cn/\n",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("content")).unwrap();
    for n in 1..=25 {
        let updated = if n == 25 { "updated: 2024-06-01\n" } else { "" };
        fs::write(
            site.path().join(format!("content/r{n:02}.md")),
            format!(
                "---\ntitle: 报告{n}\ndate: 2024-01-{n:02}\n{updated}department: 区教育局\ntags: [教育]\n---\n第{n}篇的摘要。\n"
            ),
        )
        .unwrap();
    }
    build_ok(site.path());
    let site_feed = page(site.path(), "feed.xml");
    assert_eq!(xml_texts(&site_feed, "entry").len(), 25, "feed_limit 50");
    let tag_feed = page(site.path(), "tags/jiao-yu/feed.xml");
    let doc = roxmltree::Document::parse(&tag_feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 20, "a term feed keeps its newest 20");
    let newest = entries[0];
    assert_eq!(child(&newest, "title").unwrap().text(), Some("报告25"));
    let link = child(&newest, "link").unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.gov.cn/reports/r25/")
    );
    assert_eq!(
        link.attribute("rel"),
        None,
        "Atom's default rel is alternate"
    );
    assert_eq!(
        child(&newest, "published").unwrap().text(),
        Some("2024-01-25T00:00:00+08:00"),
        "published kept when the report was updated"
    );
    assert_eq!(
        child(&newest, "updated").unwrap().text(),
        Some("2024-06-01T00:00:00+08:00")
    );
    let oldest = entries[19];
    assert_eq!(child(&oldest, "title").unwrap().text(), Some("报告6"));
    assert!(child(&oldest, "published").is_none(), "equal to updated");
    assert_eq!(
        child(&oldest, "updated").unwrap().text(),
        Some("2024-01-06T00:00:00+08:00")
    );
    let author = child(&oldest, "author").unwrap();
    assert_eq!(child(&author, "name").unwrap().text(), Some("区教育局"));
    assert_eq!(
        child(&oldest, "summary").unwrap().text(),
        Some("第6篇的摘要。")
    );
    assert!(
        child(&oldest, "category").is_none(),
        "a term feed is about its term: no <category> per entry"
    );
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_robots_points_to_it() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let sitemap = page(site.path(), "sitemap.xml");
    let locs = xml_texts(&sitemap, "loc");
    let public = site.path().join("public");
    let pages: Vec<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let folder = e
                .path()
                .parent()
                .unwrap()
                .strip_prefix(&public)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if folder.is_empty() {
                "https://example.gov.cn/pingyi/".to_string()
            } else {
                format!("https://example.gov.cn/pingyi/{folder}/")
            }
        })
        .collect();
    let mut expected = pages.clone();
    expected.sort();
    let mut got = locs.clone();
    got.sort();
    assert_eq!(got, expected);
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let report = doc
        .descendants()
        .find(|n| {
            n.tag_name().name() == "url"
                && n.children()
                    .any(|c| c.text() == Some("https://example.gov.cn/pingyi/reports/fagaiwei/"))
        })
        .unwrap();
    let lastmod = report
        .children()
        .find(|c| c.tag_name().name() == "lastmod")
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(lastmod, "2020-08-06T00:00:00+08:00");
    assert!(
        page(site.path(), "robots.txt")
            .contains("Sitemap: https://example.gov.cn/pingyi/sitemap.xml")
    );
}

#[test]
fn csv_round_trips_with_the_same_rows_as_json_and_neutralises_formulas() {
    let site = copy_fixture("basic");
    fs::write(site.path().join("content/formula.md"), "---\ntitle: \"=HYPERLINK(\\\"http://evil\\\")\"\ndate: 2018-01-01\ndepartment: \"+区审计局\"\ntags: [\"-1\", 评议]\n---\n正文\n").unwrap();
    build_ok(site.path());
    let json: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.json")).unwrap();
    let rows = json.as_array().unwrap();
    let bytes = fs::read(site.path().join("public/data/reports.csv")).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "BOM for spreadsheet programs"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "title",
            "url",
            "date",
            "department",
            "source",
            "tags",
            "summary",
            "updated",
            "index_no",
            "doc_no",
            "written",
            "disclosure",
            "topic"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(rows) {
        assert_eq!(record[1], *row["url"].as_str().unwrap());
        let title = row["title"].as_str().unwrap();
        if title.starts_with('=') {
            assert_eq!(&record[0], format!("'{title}"));
            assert_eq!(&record[3], "'+区审计局");
            assert_eq!(&record[5], "'-1;评议");
        } else {
            assert_eq!(&record[0], title);
        }
    }
    let jiaoyu = rows
        .iter()
        .find(|r| r["url"] == "https://example.gov.cn/pingyi/reports/jiaoyu/")
        .unwrap();
    assert_eq!(jiaoyu["doc_no"], "清人常〔2021〕1号");
    assert_eq!(jiaoyu["tags"], serde_json::json!(["教育", "评议"]));
    let schema: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.schema.json")).unwrap();
    assert_eq!(
        schema["items"]["properties"].as_object().unwrap().len(),
        header.len()
    );
    assert!(page(site.path(), "data/index.html").contains("reports.csv"));
}

#[test]
fn aliases_write_redirect_pages() {
    let site = copy_fixture("basic");
    fs::write(site.path().join("content/moved.md"), "---\ntitle: 迁移的报告\ndate: 2018-01-01\naliases: [/old/show.php, old/list/]\n---\n正文\n").unwrap();
    build_ok(site.path());
    let redirect = page(site.path(), "old/show.php");
    assert!(
        redirect
            .contains("<meta http-equiv=\"refresh\" content=\"0; url=/pingyi/reports/moved/\">"),
        "{redirect}"
    );
    assert!(redirect.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.cn/pingyi/reports/moved/\">"
    ));
    assert!(redirect.contains("<a href=\"/pingyi/reports/moved/\">迁移的报告</a>"));
    assert!(site.path().join("public/old/list/index.html").exists());
    let sitemap = page(site.path(), "sitemap.xml");
    assert!(
        !sitemap.contains("/old/"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn alias_collisions_and_escapes_are_errors_naming_both_files() {
    let cases = [
        (
            "aliases: [/reports/fagaiwei/]",
            "alias `/reports/fagaiwei/` would overwrite the page /reports/fagaiwei/, which gongshi writes at /reports/fagaiwei/index.html",
        ),
        (
            "aliases: [/search/index.json]",
            "alias `/search/index.json` would overwrite the search index (/search/)",
        ),
        (
            "aliases: [/feed.xml]",
            "alias `/feed.xml` would overwrite the feed /feed.xml",
        ),
        (
            "aliases: [/robots.txt]",
            "alias `/robots.txt` would overwrite the sitemap",
        ),
        (
            "aliases: [/sitemap.xml]",
            "alias `/sitemap.xml` would overwrite the sitemap",
        ),
        (
            "aliases: [/data/reports.json]",
            "alias `/data/reports.json` would overwrite the open data (/data/)",
        ),
        (
            "aliases: [../../etc/passwd]",
            "alias `../../etc/passwd` is not a path inside the site",
        ),
    ];
    for (line, expected) in cases {
        let site = copy_fixture("basic");
        fs::write(
            site.path().join("content/moved.md"),
            format!("---\ntitle: 迁移\ndate: 2018-01-01\n{line}\n---\n正文\n"),
        )
        .unwrap();
        let run = gongshi(site.path(), &["build"]);
        assert_eq!(run.code, 1, "{line}");
        assert!(
            run.stderr
                .contains(&format!("content/moved.md:4:1: error: {expected}")),
            "{}",
            run.stderr
        );
    }
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("content/a1.md"),
        "---\ntitle: 一\ndate: 2018-01-01\naliases: [/old/x.html]\n---\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/a2.md"),
        "---\ntitle: 二\ndate: 2018-01-02\naliases: [/old/x.html]\n---\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/a1.md:4:1: error: alias `/old/x.html` is also an alias of content/a2.md"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sub_path_build_served_under_the_sub_path_has_no_broken_links() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let server = common::serve_under(site.path().join("public"), "/pingyi/");
    let broken = common::crawl(&server, "/pingyi/");
    assert!(broken.visited > 20, "crawled {} pages", broken.visited);
    assert!(broken.failures.is_empty(), "{:?}", broken.failures);
}
