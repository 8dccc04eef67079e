//! `variants: [zh-Hant]`: the whole portal again in Traditional Chinese under `/zh-hant/`.

mod common;
use common::{build_ok, copy_fixture, page};
use std::fs;
use std::path::Path;

/// The `basic` fixture (served under `/pingyi/`) with the Traditional-Chinese edition on.
fn site_with_variant() -> tempfile::TempDir {
    let site = copy_fixture("basic");
    let yaml = site.path().join("site.yaml");
    let mut text = fs::read_to_string(&yaml).unwrap();
    text.push_str("variants: [zh-Hant]\n");
    fs::write(&yaml, text).unwrap();
    build_ok(site.path());
    site
}

/// The `href` of the script-switch link on a built page.
fn switch_link(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a.script-switch").unwrap();
    let links: Vec<_> = document.select(&selector).collect();
    assert_eq!(links.len(), 1, "one switch link");
    links[0].value().attr("href").unwrap().to_string()
}

/// The file a site path (`/pingyi/reports/a/`) is written to.
fn file_of(site: &Path, url: &str) -> std::path::PathBuf {
    let relative = url.strip_prefix("/pingyi/").expect("under the base path");
    site.join("public").join(relative).join("index.html")
}

#[test]
fn zh_hant_page_has_the_converted_title_and_interface() {
    let site = site_with_variant();
    let html = page(site.path(), "zh-hant/reports/fagaiwei/index.html");
    assert!(
        html.contains("<title>區發改委專項工作評議調查報告 - 測試門戶</title>"),
        "{html}"
    );
    assert!(html.contains("<html lang=\"zh-Hant\">"));
    assert!(html.contains(">熱詞</a>"), "navigation converted");
    assert!(
        html.contains("評議組對區發改委開展了專項調查。"),
        "body converted"
    );
    let main = page(site.path(), "reports/fagaiwei/index.html");
    assert!(main.contains("<title>区发改委专项工作评议调查报告 - 测试门户</title>"));
    assert!(main.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn switch_links_lead_to_the_same_page_in_the_other_script_both_ways() {
    let site = site_with_variant();
    for relative in ["reports/fagaiwei/", "tags/", "archive/", ""] {
        let main = page(site.path(), &format!("{relative}index.html"));
        let to_hant = switch_link(&main);
        assert_eq!(to_hant, format!("/pingyi/zh-hant/{relative}"));
        assert!(file_of(site.path(), &to_hant).exists(), "{to_hant}");
        let hant = fs::read_to_string(file_of(site.path(), &to_hant)).unwrap();
        let back = switch_link(&hant);
        assert_eq!(back, format!("/pingyi/{relative}"));
        assert!(file_of(site.path(), &back).exists(), "{back}");
    }
}

#[test]
fn hreflang_alternates_name_both_editions_on_both() {
    let site = site_with_variant();
    for file in [
        "reports/fagaiwei/index.html",
        "zh-hant/reports/fagaiwei/index.html",
    ] {
        let html = page(site.path(), file);
        for link in [
            "<link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://example.gov.cn/pingyi/reports/fagaiwei/\">",
            "<link rel=\"alternate\" hreflang=\"zh-Hant\" href=\"https://example.gov.cn/pingyi/zh-hant/reports/fagaiwei/\">",
        ] {
            assert!(html.contains(link), "{file}: {link}");
        }
    }
}

#[test]
fn the_variant_has_its_own_feeds_search_index_open_data_and_sitemap() {
    let site = site_with_variant();
    let feed = page(site.path(), "zh-hant/feed.xml");
    assert!(feed.contains("<title>測試門戶</title>"), "{feed}");
    assert!(feed.contains("https://example.gov.cn/pingyi/zh-hant/reports/fagaiwei/"));
    assert!(
        site.path()
            .join("public/zh-hant/tags/fa-gai-wei/feed.xml")
            .exists(),
        "slugs stay identical"
    );
    let sitemap = page(site.path(), "zh-hant/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.gov.cn/pingyi/zh-hant/reports/fagaiwei/</loc>"));
    let robots = page(site.path(), "robots.txt");
    assert!(robots.contains("Sitemap: https://example.gov.cn/pingyi/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.gov.cn/pingyi/zh-hant/sitemap.xml\n"));
    assert!(!site.path().join("public/zh-hant/robots.txt").exists());
    let json = page(site.path(), "zh-hant/data/reports.json");
    assert!(json.contains("區發改委專項工作評議調查報告"));
    let shards: Vec<_> = fs::read_dir(site.path().join("public/zh-hant/search"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        shards.iter().any(|s| s.contains("評議")),
        "search index holds converted text"
    );
}

#[test]
fn a_variant_build_served_under_the_sub_path_has_no_broken_links() {
    let site = site_with_variant();
    let server = common::serve_under(site.path().join("public"), "/pingyi/");
    let crawl = common::crawl(&server, "/pingyi/zh-hant/");
    assert!(crawl.failures.is_empty(), "{:?}", crawl.failures);
    assert!(
        crawl.visited > 40,
        "both editions crawled: {}",
        crawl.visited
    );
}

#[test]
fn unknown_variants_are_errors_with_a_hint() {
    let site = copy_fixture("basic");
    let yaml = site.path().join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap() + "variants: [zh-Latn]\n";
    fs::write(&yaml, text).unwrap();
    let run = common::gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.yaml:6:12: error: unknown variant `zh-Latn`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`zh-Hant`"));
}
