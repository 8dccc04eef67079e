//! The second round of hostile input (issue 16): what a contributor with write access to
//! content/, static/ or a theme could do to the portal's readers or the build machine. Each test
//! failed on the code before the fix it guards.

mod common;
use common::{build_ok, copy_fixture, gongshi, page};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes `content/<name>` with a title, a date, `front` lines and `body`.
fn report(site: &Path, name: &str, front: &str, body: &str) {
    let path = site.join("content").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(
        path,
        format!("---\ntitle: 测试报告\ndate: 2021-05-01\n{front}---\n{body}\n"),
    )
    .unwrap();
}

/// Runs `gongshi import --from scraped <input>` in `site` and insists it succeeds.
fn import_scraped(site: &Path, input: &Path) -> common::Run {
    let run = gongshi(
        site,
        &["import", "--from", "scraped", input.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Every file under the site's public/, as text where it is text.
fn outputs(site: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site.join("public"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

#[test]
fn heading_attributes_never_become_event_handlers_in_any_mode_or_edition() {
    for raw_html in ["sanitize", "allow", "escape"] {
        let site = copy_fixture("basic");
        let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
        fs::write(
            site.path().join("site.yaml"),
            format!("{yaml}\nvariants: [zh-Hant]\nmarkdown:\n  raw_html: {raw_html}\n"),
        )
        .unwrap();
        report(
            site.path(),
            "attr.md",
            "slug: attr-xss\n",
            "# 点我 {tabindex=0 autofocus onfocus=alert(document.domain)}\n\n## 二 {style=\"position:fixed\" onmouseover=alert(1)}\n\n[链接](javascript:alert(1))\n",
        );
        build_ok(site.path());
        for file in [
            "reports/attr-xss/index.html",
            "zh-hant/reports/attr-xss/index.html",
        ] {
            let html = page(site.path(), file);
            assert!(html.contains("点我"), "{file}: the heading is there");
            assert_no_active_attributes(file, &html);
            for banned in [
                "onfocus",
                "onmouseover",
                "autofocus",
                "position:fixed",
                "javascript:",
            ] {
                assert!(!html.contains(banned), "{banned} in {file} ({raw_html})");
            }
        }
    }
}

#[test]
fn an_imported_scraped_line_with_braces_does_not_become_an_attribute() {
    let input = tempfile::tempdir().unwrap();
    fs::write(
        input.path().join("page.txt"),
        "区发改委专项工作评议调查报告\n发布时间:2020-08-06 来源: 调查报告\n\n一、总体情况 {onmouseover=alert(1) autofocus tabindex=0}\n　　评议组开展了调查。\n1、加强管理 {#main .x onfocus=alert(2)}\n",
    )
    .unwrap();
    let site = copy_fixture("basic");
    import_scraped(site.path(), input.path());
    build_ok(site.path());
    let mut pages = 0;
    for (file, text) in outputs(site.path()) {
        if file.ends_with(".html") {
            pages += 1;
            assert_no_active_attributes(&file, &text);
        }
    }
    assert!(pages > 10);
    let report = page(
        site.path(),
        "reports/qu-fa-gai-wei-zhuan-xiang-gong-zuo-ping-yi-diao-cha-bao-gao/index.html",
    );
    assert!(
        report.contains("{#main .x onfocus=alert(2)}"),
        "the braces stay text: {report}"
    );
}

/// Fails when an element of `html` has an event handler, `autofocus` or a `style` other than
/// the table alignment Markdown writes.
fn assert_no_active_attributes(file: &str, html: &str) {
    let document = scraper::Html::parse_document(html);
    for element in document.tree.values().filter_map(|node| node.as_element()) {
        for (name, value) in element.attrs() {
            let active = name.starts_with("on")
                || name == "autofocus"
                || (name == "style" && !value.starts_with("text-align"));
            assert!(!active, "{file}: <{} {name}=\"{value}\">", element.name());
        }
    }
}

#[test]
fn one_report_with_many_links_builds_in_linear_time() {
    let site = copy_fixture("basic");
    let links: String = (0..80_000)
        .map(|i| format!("[第{i}项](https://example.gov.cn/files/{i}.pdf)\n"))
        .collect();
    report(site.path(), "links.md", "", &links);
    let started = Instant::now();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Quadratic line counting took a minute here; linear takes well under a second in release
    // and a few seconds in a debug build.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_report_with_thousands_of_tags_is_refused_at_its_line() {
    let site = copy_fixture("basic");
    let tags: Vec<String> = (0..4_000).map(|i| format!("词{i}")).collect();
    report(
        site.path(),
        "tags.md",
        &format!("tags: [{}]\n", tags.join(", ")),
        "正文",
    );
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/tags.md:4:1: error: `tags` lists 4000 entries; a report may have at most 100"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public/tags").exists());
    let aliases: Vec<String> = (0..500).map(|i| format!("/old/{i}.html")).collect();
    report(
        site.path(),
        "tags.md",
        &format!("aliases: [{}]\n", aliases.join(", ")),
        "正文",
    );
    let run = gongshi(site.path(), &["check"]);
    assert!(
        run.stderr
            .contains("content/tags.md:4:1: error: `aliases` lists 500 entries"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_long_chinese_keyword_gets_a_capped_slug_and_check_and_build_agree() {
    let site = copy_fixture("basic");
    let long = "关于进一步加强和改进人大常委会专项工作评议调查研究并推动审议意见落实情况的报告附件";
    let longer = format!("{long}二");
    report(
        site.path(),
        "long.md",
        &format!("tags: [{long}, {longer}]\ndepartment: {long}\n"),
        "正文",
    );
    let check = gongshi(site.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    build_ok(site.path());
    let tags: Vec<String> = fs::read_dir(site.path().join("public/tags"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("guan-yu"))
        .collect();
    assert_eq!(tags.len(), 2, "two distinct keyword pages: {tags:?}");
    for name in tags {
        assert!(name.len() <= 80, "{name}");
    }
}

#[test]
fn static_or_content_folders_that_are_links_out_of_the_site_are_refused() {
    let private = tempfile::tempdir().unwrap();
    fs::write(private.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    fs::write(
        private.path().join("secret.md"),
        "---\ntitle: 机密\ndate: 2020-01-01\n---\n机密正文\n",
    )
    .unwrap();
    let real = fs::canonicalize(private.path()).unwrap();

    let site = copy_fixture("basic");
    std::os::unix::fs::symlink(private.path(), site.path().join("static")).unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "static/: error: symbolic link to {} outside the site; it was not copied",
            real.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public/id_rsa").exists());

    let site = copy_fixture("basic");
    fs::remove_dir_all(site.path().join("content")).unwrap();
    std::os::unix::fs::symlink(private.path(), site.path().join("content")).unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("symbolic link to ")
            && run.stderr.contains("outside the site; it was not followed"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("机密正文"));
    assert!(!site.path().join("public").exists());
}

#[test]
fn links_to_hidden_files_and_hidden_folders_are_never_published_or_echoed() {
    let site = copy_fixture("basic");
    let root = site.path();
    fs::write(root.join(".env"), "DB_PASSWORD=hunter2\n").unwrap();
    fs::create_dir_all(root.join("static/.git")).unwrap();
    fs::write(root.join("static/.git/config"), "[remote] url=secret").unwrap();
    fs::create_dir_all(root.join("static/.well-known")).unwrap();
    fs::write(root.join("static/.well-known/security.txt"), "Contact: x").unwrap();
    std::os::unix::fs::symlink("../.env", root.join("static/env.txt")).unwrap();
    std::os::unix::fs::symlink("../.env", root.join("content/x.md")).unwrap();
    let run = gongshi(root, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    for expected in [
        "static/env.txt: error: symbolic link to the hidden file or folder `.env` of the site; it was not copied",
        "content/x.md: error: symbolic link to the hidden file or folder `.env` of the site; it was not followed",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    fs::remove_file(root.join("static/env.txt")).unwrap();
    fs::remove_file(root.join("content/x.md")).unwrap();
    build_ok(root);
    assert!(!root.join("public/.git").exists(), ".git is not published");
    assert!(
        !root.join("public/.well-known").exists(),
        "not named in site.yaml"
    );
    let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
    fs::write(
        root.join("site.yaml"),
        format!("{yaml}\npublish_hidden: [.well-known]\n"),
    )
    .unwrap();
    build_ok(root);
    assert_eq!(page(root, ".well-known/security.txt"), "Contact: x");
    assert!(!root.join("public/.git").exists());
}

#[test]
fn a_static_file_may_not_replace_a_generated_one() {
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static/search")).unwrap();
    fs::write(site.path().join("static/feed.xml"), "<x/>").unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "static/feed.xml: error: this static file would overwrite the feed /feed.xml"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_markdown_file_whose_name_is_not_utf8_is_reported_not_dropped() {
    use std::os::unix::ffi::OsStrExt;
    let site = copy_fixture("basic");
    // 报告 in GBK.
    let name = std::ffi::OsStr::from_bytes(b"\xb1\xa8\xb8\xe6.md");
    fs::write(
        site.path().join("content").join(name),
        "---\ntitle: 旧系统导出\ndate: 2020-01-01\n---\n正文\n",
    )
    .unwrap();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: the file name is not UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn headings_and_footnotes_never_repeat_an_id_of_the_page() {
    let site = copy_fixture("basic");
    report(
        site.path(),
        "ids.md",
        "slug: ids\n",
        "## 总体 {#main}\n\n## 附注 {#fn-1}\n\n## 附注\n\n## 另 {#附注-2}\n\n正文[^a]与[^a b]。\n\n[^a]: 注一\n[^a b]: 注二\n",
    );
    build_ok(site.path());
    let html = page(site.path(), "reports/ids/index.html");
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("[id]").unwrap();
    let mut ids: Vec<&str> = document
        .select(&selector)
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids: {ids:?}");
}

#[test]
fn a_utf8_page_with_one_bad_byte_is_imported_as_utf8_with_a_warning() {
    let input = tempfile::tempdir().unwrap();
    let mut bytes = "区发改委专项工作评议调查报告\n发布时间:2020-08-06 来源: 调查报告\n\n　　评议组开展了专项调查，"
        .as_bytes()
        .to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice("形成本报告。\n".as_bytes());
    fs::write(input.path().join("page.txt"), bytes).unwrap();
    let site = tempfile::tempdir().unwrap();
    let run = import_scraped(site.path(), input.path());
    assert!(
        run.stderr
            .contains("page.txt:4:1: warning: the file is UTF-8 with damaged bytes"),
        "{}",
        run.stderr
    );
    let written: String = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        written.contains("评议组开展了专项调查，\u{FFFD}形成本报告。"),
        "{written}"
    );
}

/// Builds the basic site with `aliases: [alias]` on a new report and returns stderr; the build
/// must fail.
fn refused_alias(alias: &str) -> String {
    let site = copy_fixture("basic");
    report(
        site.path(),
        "moved.md",
        &format!("aliases: [\"{alias}\"]\n"),
        "正文",
    );
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{alias}: {}", run.stderr);
    assert!(!site.path().join("public").exists(), "{alias}");
    run.stderr
}

#[test]
fn aliases_cannot_take_server_files_or_collide_on_case_insensitive_hosts() {
    for alias in [
        "/.htaccess",
        "/old/.git/config",
        "/web.config",
        "/index.htm",
        "/Default.aspx",
    ] {
        let stderr = refused_alias(alias);
        assert!(
            stderr.contains(&format!("alias `{alias}` is not a path inside the site")),
            "{alias}: {stderr}"
        );
    }
    for (alias, owner) in [
        ("/Feed.xml", "the feed /feed.xml"),
        ("/feed.xml.", "the feed /feed.xml"),
        ("/feed.xml/", "the feed /feed.xml"),
        ("/Search/index.json", "the search index"),
        ("/REPORTS/jiaoyu/", "the page /reports/jiaoyu/"),
    ] {
        let stderr = refused_alias(alias);
        assert!(
            stderr.contains(&format!("alias `{alias}` would overwrite {owner}")),
            "{alias}: {stderr}"
        );
    }
    let stderr = refused_alias("/style.css");
    assert!(
        stderr.contains("an alias would overwrite the theme's file /style.css"),
        "{stderr}"
    );
}

#[test]
fn static_names_that_break_some_hosts_are_refused() {
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/files\\.htaccess"), "Deny from all").unwrap();
    fs::write(site.path().join("static/Feed.xml"), "<x/>").unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("this file name cannot be published on every web server"),
        "{}",
        run.stderr
    );
    fs::remove_file(site.path().join("static/files\\.htaccess")).unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "static/Feed.xml: error: this static file would overwrite the feed /feed.xml"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_output_folder_reached_through_a_link_into_static_is_refused() {
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("to-static");
    std::os::unix::fs::symlink(site.path().join("static"), &link).unwrap();
    let output = link.join("out");
    let run = gongshi(
        site.path(),
        &["build", "--output", output.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("refusing to build into this folder"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("static/out").exists());
}

#[test]
fn a_theme_template_linked_out_of_the_site_is_an_error() {
    let site = copy_fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("card.html"), "SECRET").unwrap();
    let templates = site.path().join("themes/mine/templates");
    fs::create_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("card.html"),
        templates.join("card.html"),
    )
    .unwrap();
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}\ntheme: mine\n"),
    )
    .unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("themes/mine/templates/card.html: error: symbolic link to"),
        "{}",
        run.stderr
    );
}
