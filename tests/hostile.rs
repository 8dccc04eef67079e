//! Hostile and messy input (issue 8): every case gets an exact diagnostic or a predictable
//! lenient reading, nothing panics, and a failed build leaves the previous public/ as it was.
//! Fixtures: tests/fixtures/hostile/ (see its README.md for the case list).

mod common;
use common::{build_ok, copy_fixture, copy_tree, fixture, gongshi, page, snapshot};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// (fixture under tests/fixtures/hostile/rejected, the exact first diagnostic line, hint text)
const REJECTED: &[(&str, &str, &str)] = &[
    (
        "impossible_date",
        "content/baddate.md:3:7: error: `date`: 2019-02-29 is not a real date: 2019年2月 has 28 days",
        "write one of 2020-08-06",
    ),
    (
        "duplicate_key",
        "content/dup.md:5:1: error: `tags` is written twice: on line 4 and again here",
        "Hugo and Jekyll used the last value (`tags: [b]`)",
    ),
    (
        "key_case",
        "content/caps.md:2:1: error: `Title` is written with capitals: front-matter keys are lower case",
        "write `title:`",
    ),
    (
        "empty_file",
        "content/empty.md: error: the file is empty",
        "write a report or delete the file",
    ),
    (
        "full_width_colon",
        "content/colon.md:3:5: error: `date` is followed by a full-width colon `：`; YAML needs `:`",
        "write `date: …` with an ASCII colon",
    ),
    (
        "unsafe_slug",
        "content/slug.md:4:7: error: slug `../../etc` cannot be used in a URL",
        "e.g. `slug: etc`",
    ),
    (
        "reserved_slug",
        "content/reserved.md:4:7: error: slug `con` cannot be used in a URL",
        "e.g. `slug: con-x`",
    ),
    (
        "unsafe_alias",
        "content/alias.md:4:1: error: alias `../../outside.html` is not a path inside the site",
        "no `..`",
    ),
    (
        "date_not_text",
        "content/bad.md:3:7: error: `date` must be a date, found a list",
        "write one of",
    ),
];

/// Builds the basic site, applies `change`, rebuilds, and checks that the build failed with
/// `expected` and `hint` and left public/ byte-for-byte as it was and no staging folder behind.
fn fails_and_keeps_output(
    case: &str,
    change: impl FnOnce(&Path),
    args: &[&str],
    expected: &str,
    hint: &str,
) {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let before = snapshot(&site.path().join("public"));
    change(site.path());
    let run = gongshi(site.path(), args);
    assert_eq!(run.code, 1, "{case}: {}", run.stderr);
    // The whole line, or for a path that varies (absolute temp folders) the line's end.
    let found = run
        .stderr
        .lines()
        .any(|l| l == expected || (expected.starts_with(": ") && l.ends_with(expected)));
    assert!(
        found,
        "{case}: expected the line {expected:?} in\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= hint: ") && run.stderr.contains(hint),
        "{case}: hint {hint:?} missing in\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{case}: {}", run.stderr);
    assert_eq!(
        before,
        snapshot(&site.path().join("public")),
        "{case}: public/ changed"
    );
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongshi-staging") || n.contains("gongshi-old"))
        .collect();
    assert!(leftovers.is_empty(), "{case}: {leftovers:?}");
}

#[test]
fn each_rejected_case_names_its_place_and_fix_and_keeps_the_previous_output() {
    for (case, expected, hint) in REJECTED {
        let source = fixture(&format!("hostile/rejected/{case}"));
        fails_and_keeps_output(
            case,
            |site| copy_tree(&source, site),
            &["build"],
            expected,
            hint,
        );
    }
}

#[test]
fn messy_but_readable_content_builds_predictably() {
    let site = copy_fixture("hostile/messy");
    let started = Instant::now();
    let run = build_ok(site.path());
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        run.stderr.contains(
            "content/frontmatter_only.md:4:1: warning: the report has no text after the front-matter"
        ),
        "{}",
        run.stderr
    );
    let json: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.json")).unwrap();
    let row = |url_end: &str| -> serde_json::Value {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["url"].as_str().unwrap().ends_with(url_end))
            .unwrap_or_else(|| panic!("no report at {url_end}: {json:#}"))
            .clone()
    };
    assert_eq!(row("/quoted_date/")["date"], "2020-08-06T00:00:00+08:00");
    assert_eq!(row("/quoted_date/")["updated"], "2020-08-07T10:00:00+08:00");
    assert_eq!(row("/one_digit/")["date"], "2015-08-07T00:00:00+08:00");
    assert_eq!(row("/one_digit/")["updated"], "2019-05-28T07:15:43+08:00");
    assert_eq!(row("/numeric_title/")["title"], "2021");
    assert_eq!(
        row("/numeric_title/")["tags"],
        serde_json::json!(["2021", "十四五", "1.10"])
    );
    assert_eq!(
        row("/tags_string/")["tags"],
        serde_json::json!(["教育", "评议", "满意度", "民生"])
    );
    assert_eq!(
        row("/guan-yu-fa-gai-wei-gong-zuo-de-bao-gao-2020/")["title"],
        "全角标点的文件名"
    );
    assert_eq!(row("/crlf/")["tags"], serde_json::json!(["换行"]));
    assert_eq!(row("/bom/")["title"], "带 BOM");
    assert_eq!(row("/hexo_no_fence/")["title"], "Hexo 风格");
    assert_eq!(row("/hexo_no_fence/")["date"], "2020-01-01T00:00:00+08:00");
    assert!(page(site.path(), "reports/hexo_no_fence/index.html").contains("<p>正文</p>"));
    let crlf = page(site.path(), "reports/crlf/index.html");
    assert!(crlf.contains("第三行") && !crlf.contains('\r'), "{crlf}");
    assert!(page(site.path(), "reports/frontmatter_only/index.html").contains("只有元数据"));
}

#[test]
fn a_500_kb_single_line_report_builds_quickly_and_stays_out_of_cards_and_index() {
    let site = copy_fixture("hostile/messy");
    let data: String = (0..500_000)
        .map(|i| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i * 7 % 64] as char
        })
        .collect();
    fs::write(
        site.path().join("content/base64.md"),
        format!("---\ntitle: 内嵌数据\ndate: 2020-10-01\n---\n{data}\n\n![图](data:image/png;base64,{data})\n"),
    )
    .unwrap();
    let started = Instant::now();
    build_ok(site.path());
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let report = page(site.path(), "reports/base64/index.html");
    assert!(report.contains(&format!("src=\"data:image/png;base64,{data}\"")));
    for small in [
        "index.html",
        "feed.xml",
        "data/reports.json",
        "data/reports.csv",
    ] {
        let size = fs::metadata(site.path().join("public").join(small))
            .unwrap()
            .len();
        assert!(size < 40_000, "{small} is {size} bytes");
    }
    for entry in fs::read_dir(site.path().join("public/search")).unwrap() {
        let size = entry.unwrap().metadata().unwrap().len();
        assert!(size < 40_000, "a search file is {size} bytes");
    }
}

/// Every built file as text, with its path.
fn built_files(site: &Path) -> Vec<(String, String)> {
    snapshot(&site.join("public"))
        .into_iter()
        .filter_map(|(path, bytes)| {
            let text = String::from_utf8(bytes).ok()?;
            Some((path.to_string_lossy().replace('\\', "/"), text))
        })
        .collect()
}

#[test]
fn markup_in_front_matter_and_body_is_escaped_in_every_output() {
    const TITLE: &str = "\"><script>alert(1)</script>标题";
    let site = copy_fixture("basic");
    copy_tree(&fixture("hostile/escaping"), site.path());
    build_ok(site.path());
    let files = built_files(site.path());
    assert!(files.iter().any(|(p, _)| p == "search/docs-0.json"));
    for (path, text) in &files {
        if path.ends_with(".csv") {
            continue; // data, checked cell by cell below
        }
        for bad in ["<script>alert", "<iframe"] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
    let selector = scraper::Selector::parse("*").unwrap();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let document = scraper::Html::parse_document(text);
        for element in document.select(&selector) {
            for (name, value) in element.value().attrs() {
                assert!(!name.starts_with("on"), "{path}: {name}={value}");
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !squeezed.starts_with("javascript:"),
                    "{path}: {name}={value}"
                );
            }
        }
    }
    let report = page(site.path(), "reports/hostile/index.html");
    let document = scraper::Html::parse_document(&report);
    let h1 = scraper::Selector::parse("h1").unwrap();
    let shown: String = document.select(&h1).next().unwrap().text().collect();
    assert_eq!(shown.trim(), TITLE, "the title is shown as text");
    let table = scraper::Selector::parse("td b").unwrap();
    assert!(
        document
            .select(&table)
            .any(|b| b.text().collect::<String>() == "整改")
    );

    let feed = page(site.path(), "feed.xml");
    let xml = roxmltree::Document::parse(&feed).expect("well-formed feed");
    let titles: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&TITLE), "{titles:?}");

    let json: serde_json::Value =
        serde_json::from_str(&page(site.path(), "data/reports.json")).unwrap();
    let row = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == TITLE)
        .expect("the title round-trips through JSON");
    assert_eq!(row["department"], "<script>alert('dep')</script>区发改委");
    let docs: serde_json::Value =
        serde_json::from_str(&page(site.path(), "search/docs-0.json")).unwrap();
    assert!(docs.as_array().unwrap().iter().any(|d| d[0] == TITLE));

    let csv_bytes = fs::read(site.path().join("public/data/reports.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[column("title")] == TITLE)
        .expect("the title round-trips through CSV");
    assert!(record[column("summary")].starts_with("'=HYPERLINK("));
    for cell in record.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "formula cell {cell:?}"
        );
    }
}

#[test]
fn symlinks_leaving_the_site_looping_or_broken_are_reported_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: 机密\ndate: 2020-01-01\n---\n机密\n",
    )
    .unwrap();
    let secret = outside.path().join("secret.md");
    let folder = outside.path().to_path_buf();
    fails_and_keeps_output(
        "symlinks",
        |site| {
            let content = site.join("content");
            std::os::unix::fs::symlink(&secret, content.join("leak.md")).unwrap();
            std::os::unix::fs::symlink(&folder, content.join("shared")).unwrap();
            std::os::unix::fs::symlink("..", content.join("2020/loop")).unwrap();
            std::os::unix::fs::symlink("missing.md", content.join("broken.md")).unwrap();
            std::os::unix::fs::symlink("../2020/fagaiwei.md", content.join("2021/inside.md"))
                .unwrap();
        },
        &["build"],
        "content/2020/loop: error: symbolic link loop: this link points back to a folder that contains it",
        "it was not followed",
    );
    let site = copy_fixture("basic");
    let content = site.path().join("content");
    std::os::unix::fs::symlink(&secret, content.join("leak.md")).unwrap();
    std::os::unix::fs::symlink("missing.md", content.join("broken.md")).unwrap();
    let run = gongshi(site.path(), &["check"]);
    let real = fs::canonicalize(&secret).unwrap();
    for expected in [
        format!(
            "content/leak.md: error: symbolic link to {} outside the site; it was not followed",
            real.display()
        ),
        "content/broken.md: error: broken symbolic link (No such file or directory (os error 2)); it was not followed".to_string(),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("机密"));
}

#[test]
fn symlinks_in_static_leaving_the_site_are_reported_not_copied() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    let key = outside.path().join("id_rsa");
    let real = fs::canonicalize(&key).unwrap();
    fails_and_keeps_output(
        "static symlink",
        |site| {
            fs::create_dir_all(site.join("static/img")).unwrap();
            fs::write(site.join("static/img/logo.txt"), "logo").unwrap();
            std::os::unix::fs::symlink(&key, site.join("static/key.txt")).unwrap();
            std::os::unix::fs::symlink("img/logo.txt", site.join("static/logo.txt")).unwrap();
        },
        &["build"],
        &format!(
            "static/key.txt: error: symbolic link to {} outside the site; it was not copied",
            real.display()
        ),
        "copy the file or folder into the site",
    );
    let site = copy_fixture("basic");
    fs::create_dir_all(site.path().join("static/img")).unwrap();
    fs::write(site.path().join("static/img/logo.txt"), "logo").unwrap();
    std::os::unix::fs::symlink("img/logo.txt", site.path().join("static/logo.txt")).unwrap();
    build_ok(site.path());
    assert_eq!(
        page(site.path(), "logo.txt"),
        "logo",
        "links inside the site are copied"
    );
}

#[test]
fn a_file_over_the_size_limit_is_rejected_by_name() {
    fails_and_keeps_output(
        "default limit",
        |site| {
            let body = "字".repeat(4 * 1024 * 1024);
            fs::write(
                site.join("content/huge.md"),
                format!("---\ntitle: 大\ndate: 2020-01-01\n---\n{body}"),
            )
            .unwrap();
        },
        &["build"],
        "content/huge.md: error: the file is 12 MB, over the 10 MB limit for a report; it was not read",
        "raise `max_file_size` in site.yaml",
    );
    fails_and_keeps_output(
        "configured limit",
        |site| {
            let mut yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
            yaml.push_str("max_file_size: 1 KB\n");
            fs::write(site.join("site.yaml"), yaml).unwrap();
            let body = "a".repeat(2100);
            fs::write(
                site.join("content/big.md"),
                format!("---\ntitle: 大\ndate: 2020-01-01\n---\n{body}"),
            )
            .unwrap();
        },
        &["build"],
        "content/big.md: error: the file is 2 KB, over the 1 KB limit for a report; it was not read",
        "split the report",
    );
}

#[test]
fn output_folders_that_hold_the_site_or_content_are_refused() {
    for output in [
        "/",
        ".",
        "content",
        "content/2020",
        "..",
        "static",
        "static/out",
        "themes/x",
    ] {
        fails_and_keeps_output(
            output,
            |_| {},
            &["build", "--output", output],
            ": error: refusing to build into this folder: it is the site, contains it, or lies inside content/, static/ or themes/",
            "choose an output folder of its own",
        );
    }
}

#[test]
fn a_second_build_into_the_same_folder_waits_for_the_first() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let before = snapshot(&site.path().join("public"));
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(site.path().join(".public.gongshi-lock"))
        .unwrap();
    lock.lock().unwrap();
    fs::write(
        site.path().join("content/new.md"),
        "---\ntitle: 新报告\ndate: 2022-01-01\n---\n正文\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .env("GONGSHI_LANG", "en")
        .arg("build")
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "another gongshi build is writing public; waiting for it to finish…\n"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the second build did not wait"
    );
    assert_eq!(before, snapshot(&site.path().join("public")));
    lock.unlock().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(site.path().join("public/reports/new/index.html").exists());
}

#[test]
fn a_write_error_mid_build_keeps_the_previous_output_and_names_the_path() {
    let site = copy_fixture("basic");
    build_ok(site.path());
    let before = snapshot(&site.path().join("public"));
    // A file-size limit makes the kernel refuse the first large write (as a full disk would);
    // SIGXFSZ is ignored so the write fails with an error instead of killing the process.
    // --no-cache: with the build cache, a repeat build of an unchanged site writes nothing.
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" build --no-cache")
        .arg(env!("CARGO_BIN_EXE_gongshi"))
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .env("GONGSHI_LANG", "en")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("public/") && stderr.contains(": error: cannot write: File too large"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&site.path().join("public")));
}

#[test]
fn a_read_only_site_folder_keeps_the_previous_output_and_names_the_path() {
    use std::os::unix::fs::PermissionsExt;
    let site = copy_fixture("basic");
    build_ok(site.path());
    let before = snapshot(&site.path().join("public"));
    fs::set_permissions(site.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let probe = site.path().join("probe");
    if fs::write(&probe, "x").is_ok() {
        // Running as root: permissions are not enforced, the test above covers write errors.
        fs::remove_file(&probe).unwrap();
        fs::set_permissions(site.path(), fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: permissions are not enforced for this user");
        return;
    }
    let run = gongshi(site.path(), &["build"]);
    fs::set_permissions(site.path(), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert_eq!(before, snapshot(&site.path().join("public")));
}
