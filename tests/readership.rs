//! 热点文章 and 点击 from the web server's own access logs (issue 22): only people's successful
//! page views count, once per client and page in 30 minutes, aliases count for their report,
//! rotated and gzipped logs are read once, and no address or user agent is written anywhere.

mod common;
use common::{build_ok, copy_fixture, page};
use std::fs;
use std::io::Write;
use std::path::Path;

const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0";
const DESKTOP: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120 Safari/537.36";

/// One combined-format line.
fn line(client: &str, time: &str, request: &str, status: u16, agent: &str) -> String {
    format!("{client} - - [{time} +0800] \"{request}\" {status} 512 \"-\" \"{agent}\"\n")
}

/// A day of traffic on the basic fixture (base path `/pingyi/`): jiaoyu is read three times by
/// people, fagaiwei twice (once through its alias), and the rest is noise that must not count.
fn day_of_traffic() -> String {
    [
        line(
            "198.51.100.1",
            "20/Nov/2026:09:00:00",
            "GET /pingyi/reports/jiaoyu/ HTTP/1.1",
            200,
            PHONE,
        ),
        // The same client again within 30 minutes: not a new view.
        line(
            "198.51.100.1",
            "20/Nov/2026:09:10:00",
            "GET /pingyi/reports/jiaoyu/ HTTP/1.1",
            200,
            PHONE,
        ),
        // …and after 30 minutes: a new one.
        line(
            "198.51.100.1",
            "20/Nov/2026:09:45:00",
            "GET /pingyi/reports/jiaoyu/index.html HTTP/1.1",
            304,
            PHONE,
        ),
        line(
            "198.51.100.2",
            "20/Nov/2026:10:00:00",
            "GET /pingyi/reports/jiaoyu/?from=feed HTTP/1.1",
            200,
            DESKTOP,
        ),
        line(
            "198.51.100.3",
            "20/Nov/2026:10:05:00",
            "GET /pingyi/reports/fagaiwei/ HTTP/1.1",
            200,
            DESKTOP,
        ),
        line(
            "198.51.100.4",
            "20/Nov/2026:10:06:00",
            "GET /pingyi/old/show.php HTTP/1.1",
            200,
            PHONE,
        ),
        // Not counted: a crawler, a 404, a redirect, a POST, an asset, another site's path.
        line(
            "66.249.66.1",
            "20/Nov/2026:10:07:00",
            "GET /pingyi/reports/genzong/ HTTP/1.1",
            200,
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
        ),
        line(
            "198.51.100.5",
            "20/Nov/2026:10:08:00",
            "GET /pingyi/reports/nothing/ HTTP/1.1",
            404,
            PHONE,
        ),
        line(
            "198.51.100.5",
            "20/Nov/2026:10:08:01",
            "GET /pingyi/reports/genzong HTTP/1.1",
            301,
            PHONE,
        ),
        line(
            "198.51.100.5",
            "20/Nov/2026:10:08:02",
            "POST /pingyi/reports/genzong/ HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.5",
            "20/Nov/2026:10:08:03",
            "GET /pingyi/style.css HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.5",
            "20/Nov/2026:10:08:04",
            "GET /elsewhere/reports/genzong/ HTTP/1.1",
            200,
            PHONE,
        ),
        // Searches: 评议 three times by three people; a phone number never.
        line(
            "198.51.100.6",
            "20/Nov/2026:11:00:00",
            "GET /pingyi/search/?q=%E8%AF%84%E8%AE%AE HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.7",
            "20/Nov/2026:11:01:00",
            "GET /pingyi/search/?q=%E8%AF%84%E8%AE%AE HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.8",
            "20/Nov/2026:11:02:00",
            "GET /pingyi/search/?q=+%E8%AF%84%E8%AE%AE+ HTTP/1.1",
            200,
            DESKTOP,
        ),
        line(
            "198.51.100.6",
            "20/Nov/2026:11:03:00",
            "GET /pingyi/search/?q=13812345678 HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.7",
            "20/Nov/2026:11:04:00",
            "GET /pingyi/search/?q=13812345678 HTTP/1.1",
            200,
            PHONE,
        ),
        line(
            "198.51.100.8",
            "20/Nov/2026:11:05:00",
            "GET /pingyi/search/?q=13812345678 HTTP/1.1",
            200,
            PHONE,
        ),
        "this line is not a log line\n".to_string(),
    ]
    .concat()
}

/// The basic fixture with an alias on fagaiwei and `show_views: true`.
fn site_with_views() -> tempfile::TempDir {
    let site = copy_fixture("basic");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}\nshow_views: true\n"),
    )
    .unwrap();
    let file = site.path().join("content/2020/fagaiwei.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("---\n", "---\naliases: [/old/show.php]\n", 1),
    )
    .unwrap();
    site
}

/// Builds as of 2026-12-01 with `--views` and the given paths.
fn build_with_views(site: &Path, views: &[&Path]) -> common::Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gongshi"));
    command
        .env("GONGSHI_LANG", "en")
        .args(["build", "--views"])
        .args(views)
        .current_dir(site)
        .env("SOURCE_DATE_EPOCH", "1796140800")
        .env("NO_COLOR", "1");
    let output = command.output().unwrap();
    let run = common::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// The 热点文章 list of a page: titles in order.
fn hot_list(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(".hot-list li a").unwrap();
    document
        .select(&selector)
        .map(|a| a.text().collect())
        .collect()
}

#[test]
fn views_count_people_once_per_half_hour_and_aliases_for_their_report() {
    let site = site_with_views();
    let logs = tempfile::tempdir().unwrap();
    fs::write(logs.path().join("access.log"), day_of_traffic()).unwrap();
    let run = build_with_views(site.path(), &[&logs.path().join("access.log")]);
    assert!(
        run.stderr
            .contains("access.log:19:1: warning: not a line of the combined log format"),
        "{}",
        run.stderr
    );
    let report = page(site.path(), "reports/jiaoyu/index.html");
    assert!(report.contains("<td>阅读 3 次</td>"), "{report}");
    let fagaiwei = page(site.path(), "reports/fagaiwei/index.html");
    assert!(fagaiwei.contains("<td>阅读 2 次</td>"), "alias counted");
    assert!(!page(site.path(), "reports/genzong/index.html").contains("阅读 "));
    let home = page(site.path(), "index.html");
    assert_eq!(
        hot_list(&home),
        ["区教育局工作评议报告", "区发改委专项工作评议调查报告"],
        "most read first"
    );
    let tags = page(site.path(), "tags/index.html");
    assert!(tags.contains("热门搜索"), "{tags}");
    assert!(tags.contains(">评议</a>"));
    assert!(!tags.contains("13812345678"), "personal data is not shown");
    assert!(page(site.path(), "data/index.html").contains("views.csv</a>：每篇报告每月的阅读次数"));
    let data = page(site.path(), "data/views.csv");
    assert!(
        data.contains(
            "https://example.gov.cn/pingyi/reports/jiaoyu/,区教育局工作评议报告,2026-11,3"
        ),
        "{data}"
    );
}

#[test]
fn rotated_and_gzipped_logs_are_read_once_and_only_new_lines_later() {
    let site = site_with_views();
    let logs = tempfile::tempdir().unwrap();
    let traffic = day_of_traffic();
    fs::write(logs.path().join("access.log"), &traffic).unwrap();
    build_with_views(site.path(), &[logs.path()]);
    // Rotation: access.log becomes access.log.1.gz; a new access.log starts, its last line
    // still being written.
    fs::remove_file(logs.path().join("access.log")).unwrap();
    let gz = fs::File::create(logs.path().join("access.log.1.gz")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(gz, flate2::Compression::default());
    encoder.write_all(traffic.as_bytes()).unwrap();
    encoder.finish().unwrap();
    let new_day = line(
        "198.51.100.9",
        "30/Nov/2026:08:00:00",
        "GET /pingyi/reports/genzong/ HTTP/1.1",
        200,
        PHONE,
    );
    fs::write(
        logs.path().join("access.log"),
        format!("{new_day}198.51.100.9 - - [30/Nov/2026:08:0"),
    )
    .unwrap();
    build_with_views(site.path(), &[logs.path()]);
    assert!(
        page(site.path(), "reports/jiaoyu/index.html").contains("<td>阅读 3 次</td>"),
        "the gzipped copy is not counted again"
    );
    assert!(page(site.path(), "reports/genzong/index.html").contains("<td>阅读 1 次</td>"));
    // The half-written line is finished: it counts once, and nothing else again.
    let finished = line(
        "198.51.100.10",
        "30/Nov/2026:08:01:00",
        "GET /pingyi/reports/genzong/ HTTP/1.1",
        200,
        PHONE,
    );
    fs::write(
        logs.path().join("access.log"),
        format!("{new_day}{finished}"),
    )
    .unwrap();
    build_with_views(site.path(), &[logs.path()]);
    assert!(page(site.path(), "reports/genzong/index.html").contains("<td>阅读 2 次</td>"));
    assert!(page(site.path(), "reports/jiaoyu/index.html").contains("<td>阅读 3 次</td>"));
    // A build without the cache reads every log in full and gives byte-identical output.
    let cached = common::snapshot(&site.path().join("public"));
    let clean = std::process::Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .env("GONGSHI_LANG", "en")
        .args(["build", "--no-cache", "--views"])
        .arg(logs.path())
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1796140800")
        .output()
        .unwrap();
    assert!(clean.status.success(), "{clean:?}");
    let fresh = common::snapshot(&site.path().join("public"));
    let differ: Vec<_> = fresh
        .keys()
        .filter(|path| cached.get(*path) != fresh.get(*path))
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
}

#[test]
fn no_address_or_user_agent_is_written_anywhere() {
    let site = site_with_views();
    let logs = tempfile::tempdir().unwrap();
    fs::write(logs.path().join("access.log"), day_of_traffic()).unwrap();
    build_with_views(site.path(), &[&logs.path().join("access.log")]);
    for entry in walkdir::WalkDir::new(site.path())
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
    {
        let bytes = fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "198.51.100",
            "66.249.66.1",
            "MicroMessenger",
            "Googlebot",
            "13812345678",
        ] {
            assert!(
                !text.contains(secret),
                "{secret} in {}",
                entry.path().display()
            );
        }
    }
    let exchange = fs::read_to_string(site.path().join(".gongshi-cache/views.csv")).unwrap();
    assert!(
        exchange.starts_with("url,views,last_30_days\n"),
        "{exchange}"
    );
    assert!(
        exchange.contains("/pingyi/reports/jiaoyu/,3,3\n"),
        "{exchange}"
    );
}

#[test]
fn a_site_without_logs_can_supply_counts_as_csv() {
    let site = site_with_views();
    let counts = site.path().join("counts.csv");
    fs::write(
        &counts,
        "url,views,last_30_days\n/pingyi/reports/genzong/,120,7\n",
    )
    .unwrap();
    build_with_views(site.path(), &[&counts]);
    assert!(page(site.path(), "reports/genzong/index.html").contains("<td>阅读 120 次</td>"));
    assert_eq!(
        hot_list(&page(site.path(), "index.html"))[0],
        "区发改委整改情况跟踪报告"
    );
}

#[test]
fn views_stay_hidden_unless_the_site_shows_them() {
    let site = copy_fixture("basic");
    let logs = tempfile::tempdir().unwrap();
    fs::write(logs.path().join("access.log"), day_of_traffic()).unwrap();
    build_with_views(site.path(), &[&logs.path().join("access.log")]);
    let report = page(site.path(), "reports/jiaoyu/index.html");
    assert!(!report.contains("阅读 3 次"));
    assert!(
        !hot_list(&page(site.path(), "index.html")).is_empty(),
        "热点文章 still shown"
    );
    build_ok(site.path());
}
