//! Search in a real headless Chromium, driven over WebDriver (chromedriver): type a Chinese
//! substring that appears only mid-sentence in one report, and get that report first.

mod common;
use common::{build_ok, copy_fixture, serve_under};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process with one browser session; both end when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or `None` when they are not installed
    /// (never in CI: `.ci/run` installs them, and a missing browser fails there).
    fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists()
        {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install chromium and chromium-driver"
            );
            eprintln!(
                "skipping: {CHROMEDRIVER} or {CHROMIUM} not installed (apt-get install -y chromium chromium-driver)"
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            profile,
        };
        let created = browser.post("/session", capabilities);
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        Some(browser)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let mut response = ureq::post(&url)
            .send_json(body)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        response.body_mut().read_json::<Value>().unwrap()["value"].clone()
    }

    fn session(&self, path: &str, body: Value) -> Value {
        self.post(&format!("/session/{}{path}", self.session), body)
    }

    fn open(&self, url: &str) {
        self.session("/url", json!({ "url": url }));
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.session("/element", json!({ "using": "css selector", "value": css }));
        let id = element
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element found")
            .to_string();
        self.session(&format!("/element/{id}/value"), json!({ "text": text }));
    }

    fn script(&self, script: &str) -> Value {
        self.session("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs `script` until it returns something other than null/empty, for up to 15 seconds.
    fn wait_for(&self, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.script(script);
            let empty = value.is_null()
                || value.as_array().is_some_and(Vec::is_empty)
                || value.as_str() == Some("");
            if !empty {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "timed out waiting for: {script}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = &self.profile;
    }
}

/// The basic fixture plus one report whose body holds 落地滞后 mid-sentence, built and served
/// under `/pingyi/`.
fn basic_site_with_a_review_report() -> (tempfile::TempDir, common::Server) {
    let site = copy_fixture("basic");
    std::fs::write(
        site.path().join("content/2021/shenpi.md"),
        "---\ntitle: 区行政审批局工作评议报告\ndepartment: 区行政审批局\ndate: 2021-02-01\ntags: [评议]\n---\n评议组认为，部分项目因审批环节过多导致落地滞后的问题依然存在，需要继续整改。\n",
    )
    .unwrap();
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    (site, server)
}

#[test]
fn typing_a_chinese_mid_sentence_substring_finds_its_report_first() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_site, server) = basic_site_with_a_review_report();
    browser.open(&format!("http://127.0.0.1:{}/pingyi/search/", server.port));
    browser.type_into("#search-q", "落地滞后\u{E007}");
    let links = browser.wait_for("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href'))");
    assert_eq!(links[0], "/pingyi/reports/shenpi/", "{links}");
    assert_eq!(
        links.as_array().unwrap().len(),
        1,
        "only one report contains the phrase"
    );
    let marked = browser.wait_for("return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)");
    assert_eq!(marked[0], "落地滞后", "the snippet highlights the match");
    let status = browser.script("return document.getElementById('search-status').textContent");
    assert_eq!(status, "找到 1 篇相关报告");
    let location = browser.script("return location.search");
    assert!(
        location.as_str().unwrap().contains("q="),
        "the query is kept in the URL: {location}"
    );
}

#[test]
fn title_matches_rank_above_body_matches_and_filters_narrow_results() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/search/?q=评议",
        server.port
    ));
    let links = browser.wait_for("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href'))");
    let links: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // Title matches first (newest first among them), then reports that carry 评议 only as a keyword.
    assert_eq!(
        links[..3],
        [
            "/pingyi/reports/jiaoyu/",
            "/pingyi/reports/fagaiwei/",
            "/pingyi/reports/pinned/"
        ],
        "{links:?}"
    );
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/search/?q=评议&year=2020",
        server.port
    ));
    let filtered = browser.wait_for("return document.querySelectorAll('#search-results li').length === 1 ? Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href')) : null");
    assert_eq!(filtered, json!(["/pingyi/reports/fagaiwei/"]));
}

#[test]
fn queries_named_like_object_properties_find_nothing_without_an_error() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    for query in ["constructor", "__proto__", "hasOwnProperty", "toString"] {
        browser.open(&format!(
            "http://127.0.0.1:{}/pingyi/search/?q={query}",
            server.port
        ));
        let status = browser.wait_for(
            "var s = document.getElementById('search-status').textContent; return s && s !== '正在检索…' ? s : null",
        );
        assert_eq!(
            status,
            json!(format!("没有找到包含“{query}”的报告")),
            "{query}"
        );
    }
}

/// The result links shown for `query` on the search page of the site served at `port`, once
/// the status line says the search is done.
fn results_for(browser: &Browser, port: u16, query: &str) -> Vec<String> {
    browser.open(&format!("http://127.0.0.1:{port}/pingyi/search/"));
    browser.type_into("#search-q", &format!("{query}\u{E007}"));
    // The status line comes before the first page of results is filled in: wait for both.
    browser.wait_for(
        "var s = document.getElementById('search-status').textContent; return s && s !== '正在检索…' && (!s.startsWith('找到') || document.querySelector('#search-results li')) ? s : null",
    );
    let links = browser.script("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href'))");
    let mut links: Vec<String> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    links.sort();
    links
}

/// Writes a report `content/2022/<slug>.md` with `body`.
fn write_report(site: &std::path::Path, slug: &str, title: &str, body: &str) {
    let folder = site.join("content/2022");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join(format!("{slug}.md")),
        format!("---\ntitle: {title}\ndepartment: 区人大常委会\ndate: 2022-03-01\ntags: [专项评议]\n---\n{body}\n"),
    )
    .unwrap();
}

#[test]
fn a_chinese_query_finds_only_reports_that_contain_it_as_typed() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    // 发改委 and 委员 apart: every bigram of 发改委员 is there, the phrase is not.
    write_report(
        site.path(),
        "apart",
        "代表视察报告",
        "代表们听取了发改委的汇报，委员们随后提出了意见。",
    );
    write_report(
        site.path(),
        "together",
        "座谈会纪要",
        "区发改委员会召开座谈会，听取各方意见和建议。",
    );
    write_report(
        site.path(),
        "middle",
        "营商环境调研",
        "调研发现部分企业反映审批流程仍然较长，需要进一步压缩时限。全年GDP增长5%。",
    );
    // Text in a table written as HTML is searchable like any other text.
    write_report(
        site.path(),
        "table",
        "管网改造进度",
        "进度见下表。\n\n<table><caption>雨污分流工程</caption><tr><td>城东片区已完工</td></tr></table>",
    );
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    let port = server.port;
    assert_eq!(
        results_for(&browser, port, "雨污分流"),
        ["/pingyi/reports/table/"]
    );
    assert_eq!(
        results_for(&browser, port, "片区已完"),
        ["/pingyi/reports/table/"]
    );
    assert_eq!(
        results_for(&browser, port, "发改委员"),
        ["/pingyi/reports/together/"]
    );
    // A 3-character substring mid-sentence: exactly the reports that contain it.
    assert_eq!(
        results_for(&browser, port, "流程仍"),
        ["/pingyi/reports/middle/"]
    );
    assert_eq!(
        results_for(&browser, port, "听取了发改委"),
        ["/pingyi/reports/apart/"]
    );
    // Each space-separated word is a phrase of its own.
    assert_eq!(
        results_for(&browser, port, "意见 委员会"),
        ["/pingyi/reports/together/"]
    );
    let status = browser.script("return document.getElementById('search-status').textContent");
    assert_eq!(status, "找到 1 篇相关报告");
    // Full-width letters and digits are their half-width forms, upper case is lower case.
    assert_eq!(
        results_for(&browser, port, "ｇｄｐ增长５"),
        ["/pingyi/reports/middle/"]
    );
}

#[test]
fn the_traditional_edition_says_what_it_found_in_traditional() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    let yaml = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap() + "variants: [zh-Hant]\n";
    std::fs::write(&yaml, text).unwrap();
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/zh-hant/search/?q=評議",
        server.port
    ));
    let status = browser.wait_for(
        "var s = document.getElementById('search-status').textContent; return s && s !== '正在檢索…' ? s : null",
    );
    assert!(
        status.as_str().unwrap().starts_with("找到 ")
            && status.as_str().unwrap().ends_with(" 篇相關報告"),
        "{status}"
    );
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/zh-hant/search/?q=無此詞語",
        server.port
    ));
    let status = browser.wait_for(
        "var s = document.getElementById('search-status').textContent; return s && s !== '正在檢索…' ? s : null",
    );
    assert_eq!(status, "沒有找到包含“無此詞語”的報告");
}

#[test]
fn a_latin_prefix_finds_longer_words_ranked_below_the_whole_word() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    write_report(
        site.path(),
        "whole",
        "数据展示规范",
        "政务公开页面统一使用 displ 字段。",
    );
    write_report(
        site.path(),
        "longer",
        "系统升级说明",
        "新版本的 displayHTS 模块改进了表格显示。",
    );
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/search/?q=displ",
        server.port
    ));
    let links = browser.wait_for("var l = Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href')); return l.length === 2 ? l : null");
    assert_eq!(
        links,
        json!(["/pingyi/reports/whole/", "/pingyi/reports/longer/"]),
        "the whole word first"
    );
    let port = server.port;
    assert_eq!(
        results_for(&browser, port, "displayh"),
        ["/pingyi/reports/longer/"]
    );
    assert!(results_for(&browser, port, "dis").len() >= 2);
}

/// The bytes of `path` under `public` compressed with gzip, as a static host serves them.
fn gzipped_size(public: &std::path::Path, path: &str) -> usize {
    use std::io::Write;
    let file = public.join(path.trim_start_matches('/'));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&std::fs::read(&file).unwrap()).unwrap();
    encoder.finish().unwrap().len()
}

#[test]
fn a_phrase_matches_only_where_its_characters_are_adjacent_without_reading_report_pages() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    for n in 0..40 {
        write_report(
            site.path(),
            &format!("apart-{n:02}"),
            &format!("代表视察报告{n}"),
            "代表们听取了发改委的汇报，委员们随后提出了意见。",
        );
    }
    write_report(
        site.path(),
        "together",
        "专题询问报告",
        "会上，发改委员会主任回答了询问。",
    );
    build_ok(site.path());
    let public = site.path().join("public");
    let server = serve_under(public.clone(), "/pingyi/");
    browser.open(&format!("http://127.0.0.1:{}/pingyi/search/", server.port));
    browser.script("performance.clearResourceTimings()");
    browser.type_into("#search-q", "发改委员\u{E007}");
    let status = "var s = document.getElementById('search-status').textContent; return s && s !== '正在检索…' ? s : null";
    assert_eq!(browser.wait_for(status), "找到 1 篇相关报告");
    let links = browser.script("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href'))");
    assert_eq!(links, json!(["/pingyi/reports/together/"]));
    let marked = browser.script("return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)");
    assert_eq!(
        marked,
        json!(["发改委员"]),
        "the snippet comes from the index"
    );
    let fetched = browser.script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)",
    );
    let fetched: Vec<String> = fetched
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap()
                .trim_start_matches("/pingyi")
                .to_string()
        })
        .filter(|path| !path.ends_with("favicon.svg"))
        .collect();
    assert!(
        fetched.iter().all(|path| path.starts_with("/search/")),
        "only index files are read: {fetched:?}"
    );
    assert!(fetched.iter().any(|path| path.contains("/shard-")));
    let bytes: usize = fetched.iter().map(|path| gzipped_size(&public, path)).sum();
    assert!(bytes < 30_000, "{bytes} compressed bytes: {fetched:?}");
}

#[test]
fn arrow_keys_move_from_the_search_box_through_the_results_and_back() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    browser.open(&format!("http://127.0.0.1:{}/pingyi/search/", server.port));
    browser.type_into("#search-q", "评议\u{E007}");
    browser.wait_for("return document.querySelectorAll('#search-results li').length > 1 || null");
    let focused = "return document.activeElement.id || document.activeElement.getAttribute('href')";
    let links = browser.script("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href'))");
    const DOWN: &str = "\u{E015}";
    const UP: &str = "\u{E013}";
    browser.type_into("#search-q", DOWN);
    assert_eq!(browser.script(focused), links[0]);
    browser.type_into("#search-results li:nth-child(1) h2 a", DOWN);
    assert_eq!(browser.script(focused), links[1]);
    browser.type_into("#search-results li:nth-child(2) h2 a", UP);
    assert_eq!(browser.script(focused), links[0]);
    browser.type_into("#search-results li:nth-child(1) h2 a", "\u{E00C}");
    assert_eq!(browser.script(focused), "search-q");
}

#[test]
fn simplified_and_traditional_queries_find_the_same_reports_in_both_editions() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    let yaml = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap() + "variants: [zh-Hant]\n";
    std::fs::write(&yaml, text).unwrap();
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    let links = |edition: &str, query: &str| {
        browser.open(&format!(
            "http://127.0.0.1:{}/pingyi/{edition}search/?q={query}",
            server.port
        ));
        browser.wait_for(
            "var s = document.getElementById('search-status').textContent; return s && !/正在|檢索…/.test(s) ? s : null",
        );
        let found = browser.script("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href').replace('/zh-hant', ''))");
        let mut found: Vec<String> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        found.sort();
        found
    };
    let simplified_main = links("", "发改委专项");
    assert!(!simplified_main.is_empty());
    assert_eq!(links("zh-hant/", "发改委专项"), simplified_main);
    assert_eq!(links("zh-hant/", "發改委專項"), simplified_main);
    assert_eq!(links("", "發改委專項"), simplified_main);
}

#[test]
fn the_header_box_of_a_report_page_shows_results_as_one_types_and_enter_opens_the_search_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_site, server) = basic_site_with_a_review_report();
    browser.open(&format!(
        "http://127.0.0.1:{}/pingyi/reports/genzong/",
        server.port
    ));
    let scripts =
        "return Array.from(document.scripts).map(s => s.getAttribute('src')).filter(Boolean)";
    let loaded = browser.script(scripts);
    assert!(
        !loaded.to_string().contains("search.js"),
        "a report page loads no search code until the box is used: {loaded}"
    );
    browser.type_into("#header-q", "行政审批");
    let links = browser.wait_for(
        "var b = document.getElementById('header-results'); return b && !b.hidden ? Array.from(b.querySelectorAll('a')).map(a => a.getAttribute('href')) : null",
    );
    assert_eq!(links, json!(["/pingyi/reports/shenpi/"]));
    let marked = browser.script("return Array.from(document.querySelectorAll('#header-results mark')).map(m => m.textContent)");
    assert_eq!(marked, json!(["行政审批"]));
    assert!(browser.script(scripts).to_string().contains("search.js"));
    // The arrow keys walk the list and back; Escape closes it.
    let focused = "return document.activeElement.id || document.activeElement.getAttribute('href')";
    browser.type_into("#header-q", "\u{E015}");
    assert_eq!(browser.script(focused), "/pingyi/reports/shenpi/");
    browser.type_into("#header-results a", "\u{E00C}");
    assert_eq!(browser.script(focused), "header-q");
    assert_eq!(
        browser.script("return document.getElementById('header-results').hidden"),
        true
    );
    // Enter opens the search page with the query, which finds the same report.
    browser.type_into("#header-q", "\u{E007}");
    let found = browser.wait_for("return location.pathname === '/pingyi/search/' ? Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.getAttribute('href')) : null");
    assert_eq!(found, json!(["/pingyi/reports/shenpi/"]));
    let query = browser.script("return new URLSearchParams(location.search).get('q')");
    assert_eq!(query, "行政审批");
}

#[test]
fn words_joined_in_camel_case_and_table_cells_are_found_and_the_index_sizes_load_with_the_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    write_report(
        site.path(),
        "camel",
        "网格化治理试点",
        "试点采用 ServiceMesh 架构，平台基于 SOFABoot 与 RocksDB，参数 Xms1024m。",
    );
    write_report(
        site.path(),
        "cells",
        "配置项更名说明",
        "| 旧配置 | 新配置 |\n|---|---|\n| com.alipay.sofa.tracer.disableDigestLog | sofa.core.tracer.disableConfiguration |",
    );
    build_ok(site.path());
    let server = serve_under(site.path().join("public"), "/pingyi/");
    browser.open(&format!("http://127.0.0.1:{}/pingyi/search/", server.port));
    let fetched = browser.wait_for(
        "var f = performance.getEntriesByType('resource').map(e => new URL(e.name).pathname); return f.some(p => p.endsWith('/search/index.json')) ? f : null",
    );
    assert!(
        !fetched.to_string().contains("shard-"),
        "before any query only the index's sizes: {fetched}"
    );
    let port = server.port;
    for query in ["mesh", "Boot", "db", "1024", "1024m", "servicem"] {
        assert_eq!(
            results_for(&browser, port, query),
            ["/pingyi/reports/camel/"],
            "{query}"
        );
    }
    // A word inside a joined one is found whole, not by its start: `mes` is no word there.
    assert!(results_for(&browser, port, "mes").is_empty());
    for query in ["disableconfigu", "disableDigestLog", "alipay", "新配置"] {
        assert_eq!(
            results_for(&browser, port, query),
            ["/pingyi/reports/cells/"],
            "{query}"
        );
    }
}

/// `gongshi serve --port PORT` on `site`, once it says it is serving; killed when dropped.
struct DevServer(Child);

impl DevServer {
    fn start(site: &std::path::Path, port: u16) -> DevServer {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .env("GONGSHI_LANG", "en")
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(site)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut lines = stderr.lines().map_while(Result::ok);
        let serving = lines.find(|line| line.starts_with("serving ")).unwrap();
        assert!(serving.contains(&format!(":{port}/")), "{serving}");
        // Keep reading, so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        DevServer(child)
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn an_open_tab_reloads_on_a_save_and_after_serve_restarts() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = copy_fixture("basic");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = DevServer::start(site.path(), port);
    browser.open(&format!("http://127.0.0.1:{port}/reports/jiaoyu/"));
    // A reload forgets this mark.
    let marked = "window.gongshiMark = 1; return document.readyState";
    let reloaded = "return window.gongshiMark === undefined ? 'reloaded' : ''";
    browser.wait_for(marked);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        browser.script(reloaded),
        json!(""),
        "the stream's first open does not reload"
    );

    let report = site.path().join("content/2021/jiaoyu.md");
    let original = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, original.replace("第一段", "保存后的第一段")).unwrap();
    browser.wait_for(reloaded);
    browser.wait_for(
        "return document.body.innerText.includes('教育局评议的保存后的第一段。') ? 'shown' : ''",
    );

    // The full rebuild right behind the preview may reload the tab once more: let it.
    std::thread::sleep(Duration::from_millis(1500));
    browser.wait_for(marked);
    drop(server);
    let _restarted = DevServer::start(site.path(), port);
    browser.wait_for(reloaded);
}
