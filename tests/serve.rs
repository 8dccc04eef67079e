//! `gongshi serve`: pages from memory, live reload over Server-Sent Events, errors in the browser.

mod common;
use common::copy_fixture;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `gongshi serve`; killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Serve {
    fn start(root: &std::path::Path) -> Serve {
        Serve::spawn(Command::new(env!("CARGO_BIN_EXE_gongshi")), root)
    }

    /// A server that may hold at most `files` file descriptors (`ulimit -n`).
    fn start_with_file_limit(root: &std::path::Path, files: u32) -> Serve {
        let mut shell = Command::new("sh");
        shell.args([
            "-c",
            &format!("ulimit -n {files} && exec \"$0\" \"$@\""),
            env!("CARGO_BIN_EXE_gongshi"),
        ]);
        Serve::spawn(shell, root)
    }

    fn spawn(mut command: Command, root: &std::path::Path) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = command
            .env("GONGSHI_LANG", "en")
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (send, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut serve = Serve {
            child,
            port: 0,
            log,
        };
        let line = serve.wait_for_line("serving ");
        serve.port = line
            .rsplit(':')
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        serve
    }

    fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(line) = self.log.recv_timeout(Duration::from_millis(100))
                && line.contains(needle)
            {
                return line;
            }
        }
        panic!("no line containing {needle:?} within 20 s");
    }

    fn get(&self, path: &str) -> (u16, String) {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let response = ureq::get(&url)
            .config()
            .http_status_as_error(false)
            .build()
            .call()
            .unwrap();
        let status = response.status().as_u16();
        (status, response.into_body().read_to_string().unwrap())
    }

    /// Polls `path` until its body satisfies `condition` (bounded wait).
    fn wait_for_page(&self, path: &str, condition: impl Fn(u16, &str) -> bool) -> (u16, String) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (status, body) = self.get(path);
            if condition(status, &body) {
                return (status, body);
            }
            assert!(
                Instant::now() < deadline,
                "{path} never matched; last status {status}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn edits_show_up_with_a_reload_message_and_errors_show_in_the_browser() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let (status, html) = server.get("/reports/jiaoyu/");
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        server
            .log
            .try_iter()
            .all(|line| !line.starts_with("changed:")),
        "serving must not rebuild without an edit"
    );
    assert!(html.contains("教育局评议的第一段。"));
    assert!(
        html.contains("/__gongshi/livereload"),
        "live reload script injected"
    );
    assert!(
        !site.path().join("public").exists(),
        "serve writes nothing to disk"
    );

    let mut tab = Tab::open(server.port, "/reports/jiaoyu/", "");
    let report = site.path().join("content/2021/jiaoyu.md");
    let original = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, original.replace("第一段", "修改后的第一段")).unwrap();
    assert_eq!(
        tab.next_event(Duration::from_secs(15)).as_deref(),
        Some("reload")
    );
    let (_, html) = server.wait_for_page("/reports/jiaoyu/", |_, body| {
        body.contains("教育局评议的修改后的第一段。")
    });
    assert!(html.contains("<h1>区教育局工作评议报告</h1>"));

    std::fs::write(
        &report,
        original.replace("date: 2021/6/1 09:30", "date: 2021-02-30"),
    )
    .unwrap();
    // `fs::write` truncates first: a rebuild may see the empty file before the new text.
    let (status, html) = server.wait_for_page("/reports/jiaoyu/", |status, body| {
        status == 500 && !body.contains("the file is empty")
    });
    assert_eq!(status, 500);
    assert!(
        html.contains("content/2021/jiaoyu.md:4:7: error: `date`: 2021-02-30 is not a real date"),
        "{html}"
    );
    server.wait_for_line("build failed");

    std::fs::write(&report, &original).unwrap();
    let (status, html) = server.wait_for_page("/reports/jiaoyu/", |status, _| status == 200);
    assert_eq!(status, 200);
    assert!(html.contains("教育局评议的第一段。"));
}

#[test]
fn deleting_a_report_removes_its_page_and_unknown_paths_are_404() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    assert_eq!(server.get("/reports/genzong/").0, 200);
    std::fs::remove_file(site.path().join("content/2021/genzong.md")).unwrap();
    server.wait_for_page("/reports/genzong/", |status, _| status == 404);
    for traversal in [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/%2fetc%2fpasswd",
        "/content/2021/genzong.md",
        "/site.yaml",
    ] {
        let (status, body) = server.get(traversal);
        assert_eq!(status, 404, "{traversal}");
        assert!(
            !body.contains("root:") && !body.contains("title:"),
            "{traversal}"
        );
    }
    assert_eq!(server.get("/style.css").0, 200);
    assert_eq!(server.get("/search/index.json").0, 200);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = copy_fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .env("GONGSHI_LANG", "en")
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said_in_use = false;
    for line in stderr.lines().map_while(Result::ok) {
        if line.contains(&format!("port {port} is in use; serving on port")) {
            said_in_use = true;
        }
        if line.starts_with("serving ") {
            assert!(line.contains("http://127.0.0.1:"), "{line}");
            assert!(!line.contains(&format!(":{port}/")), "{line}");
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(said_in_use);
}

/// Sends `GET path` with the given `Host` and extra header lines; (status, head, body).
fn raw_get(port: u16, path: &str, host: &str, extra: &str) -> (u16, String, String) {
    raw_request(port, "GET", path, host, extra)
}

/// Sends `method path` with the given `Host` and extra header lines; (status, head, body).
fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    host: &str,
    extra: &str,
) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

#[test]
fn requests_naming_another_host_or_origin_are_refused() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _, body) = raw_get(port, "/reports/jiaoyu/", &host, "");
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("教育局评议的第一段。"), "{host}");
    }
    // DNS rebinding: a page on another site whose name now points at 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        let (status, _, body) = raw_get(port, "/reports/jiaoyu/", &host, "");
        assert!(status == 403 || status == 421, "{host}: {status}");
        assert!(!body.contains("教育局评议"), "{host}");
    }
    let (status, _, _) = raw_get(
        port,
        "/reports/jiaoyu/",
        &format!("127.0.0.1:{port}"),
        "Origin: http://evil.example\r\n",
    );
    assert!(status == 403 || status == 421, "foreign Origin: {status}");

    let (status, _, body) = raw_get(
        port,
        "/__gongshi/livereload?page=%2F",
        &format!("127.0.0.1:{port}"),
        "Origin: http://evil.example\r\n",
    );
    assert_eq!(status, 403, "a foreign page's live-reload stream");
    assert!(!body.contains("data:"));
    let (status, _, _) = raw_get(port, "/__gongshi/livereload?page=%2F", "evil.example", "");
    assert_eq!(status, 403, "a rebound name's live-reload stream");
    // Opening it asserts a 200 event stream.
    Tab::open(port, "/", &format!("Origin: http://localhost:{port}\r\n"));
}

#[test]
fn only_get_and_head_are_answered() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    let (status, head, body) = raw_request(server.port, "HEAD", "/reports/jiaoyu/", &host, "");
    assert_eq!(status, 200);
    assert!(body.is_empty(), "{body}");
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"), "{head}");
    for method in ["POST", "PUT", "DELETE"] {
        let (status, head, _) = raw_request(server.port, method, "/reports/jiaoyu/", &host, "");
        assert_eq!(status, 405, "{method}");
        assert!(
            head.to_ascii_lowercase().contains("allow: get, head"),
            "{head}"
        );
    }
}

#[test]
fn no_url_redirects_to_another_host() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    for path in [
        "//tags",
        "//evil.example",
        "//evil.example/reports/jiaoyu",
        "///evil.example/tags",
        "/%2Fevil.example/tags",
        "/%2F%2Fevil.example",
        "/\\evil.example/tags",
        "/%5Cevil.example/tags",
        "/%5C%5Cevil.example",
    ] {
        let (status, head, _) = raw_get(server.port, path, &host, "");
        let location = head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("location:")
                .map(|v| v.trim().to_string())
        });
        if let Some(location) = location {
            let same_site = location.starts_with('/')
                && !location.starts_with("//")
                && !location.starts_with("/\\");
            assert!(same_site, "{path}: {status} to {location}");
        }
    }
    let (status, head, _) = raw_get(server.port, "/reports/jiaoyu", &host, "");
    assert_eq!(status, 301);
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /reports/jiaoyu/"),
        "{head}"
    );
}

#[test]
fn unknown_generated_files_are_404_without_building_and_built_files_are_kept() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("content")).unwrap();
    std::fs::write(site.path().join("site.yaml"), "title: 测试\n").unwrap();
    let han: Vec<char> = "评议组听取了区教育局医疗卫生营商环境交通住房养老环保就业汇报整改落实情况群众满意度调查结果"
        .chars()
        .collect();
    for n in 0..1500usize {
        let body: String = (0..600)
            .map(|i| han[(n * 31 + i * i * 7 + i / 3) % han.len()])
            .collect();
        std::fs::write(
            site.path().join(format!("content/r{n}.md")),
            format!(
                "---\ntitle: 报告{n}\ndate: 2020-01-01\ntags: [t{}]\n---\n{body}\n",
                n % 40
            ),
        )
        .unwrap();
    }
    let server = Serve::start(site.path());
    let timed = |path: &str| {
        let started = Instant::now();
        let (status, _) = server.get(path);
        (status, started.elapsed())
    };
    let (status, first) = timed("/search/index.json");
    assert_eq!(status, 200);
    let (status, again) = timed("/search/index.json");
    assert_eq!(status, 200);
    assert!(
        again * 4 < first,
        "a second request rebuilt the index: {again:?} after {first:?}"
    );
    let started = Instant::now();
    for n in 0..4 {
        for path in [
            format!("/search/nothing-{n}.json"),
            format!("/search/shard-{}.json", 90_000 + n),
            format!("/sitemap-{}.xml", 700 + n),
            format!("/data/reports.{n}"),
        ] {
            assert_eq!(server.get(&path).0, 404, "{path}");
        }
    }
    let unknown = started.elapsed();
    assert!(
        unknown < first * 4,
        "16 unknown files took {unknown:?}; building the index once took {first:?}"
    );
}

#[test]
fn replacing_the_content_folder_keeps_the_watch() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    assert_eq!(server.get("/reports/jiaoyu/").0, 200);
    std::fs::rename(site.path().join("content"), site.path().join("old")).unwrap();
    common::copy_tree(&site.path().join("old"), &site.path().join("content"));
    std::thread::sleep(Duration::from_millis(500));
    let report = site.path().join("content/2021/jiaoyu.md");
    let original = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, original.replace("第一段", "替换目录后的第一段")).unwrap();
    server.wait_for_page("/reports/jiaoyu/", |_, body| {
        body.contains("教育局评议的替换目录后的第一段。")
    });
}

/// The live-reload stream of a tab showing `path`, read as a browser's EventSource would.
struct Tab {
    lines: BufReader<std::net::TcpStream>,
}

impl Tab {
    /// Opens the stream with extra header lines; asserts a 200 `text/event-stream` answer.
    fn open(port: u16, path: &str, extra: &str) -> Tab {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let page: String =
            percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
                .collect();
        write!(
            stream,
            "GET /__gongshi/livereload?page={page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Accept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut lines = BufReader::new(stream);
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            assert_ne!(lines.read_line(&mut head).unwrap(), 0, "closed: {head}");
        }
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{head}"
        );
        Tab { lines }
    }

    /// The data of the next event within `timeout`, or `None` if none came (comments, such as
    /// pings, and the retry field are skipped).
    fn next_event(&mut self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let mut data = None;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.lines
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut line = String::new();
            match self.lines.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches('\n');
            if line.is_empty() && data.is_some() {
                return data;
            }
            if let Some(value) = line.strip_prefix("data:") {
                data = Some(value.trim_start().to_string());
            }
        }
    }
}

#[test]
fn a_saved_report_shows_first_and_the_lists_follow() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let mut report_tab = Tab::open(server.port, "/reports/jiaoyu/", "");
    let mut home_tab = Tab::open(server.port, "/", "");
    assert_eq!(server.get("/departments/qu-fa-gai-wei/").0, 200);
    let mut other_tab = Tab::open(server.port, "/departments/qu-fa-gai-wei/", "");
    let report = site.path().join("content/2021/jiaoyu.md");
    let original = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        original.replace("区教育局工作评议报告", "区教育局工作评议报告（修订）"),
    )
    .unwrap();
    server.wait_for_line("report page updated in");
    assert_eq!(
        report_tab.next_event(Duration::from_secs(15)).as_deref(),
        Some("reload")
    );
    let (_, html) = server.get("/reports/jiaoyu/");
    assert!(html.contains("区教育局工作评议报告（修订）"));
    server.wait_for_line("ready in");
    assert_eq!(
        home_tab.next_event(Duration::from_secs(15)).as_deref(),
        Some("reload"),
        "the home page lists the report: reloaded after the full rebuild"
    );
    assert!(server.get("/").1.contains("区教育局工作评议报告（修订）"));
    assert_eq!(
        other_tab.next_event(Duration::from_millis(500)),
        None,
        "a page that does not show the report is not reloaded"
    );
}

#[test]
fn a_tab_hears_of_its_saved_page_within_a_second() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let mut tab = Tab::open(server.port, "/reports/jiaoyu/", "");
    let report = site.path().join("content/2021/jiaoyu.md");
    let original = std::fs::read_to_string(&report).unwrap();
    for (n, edit) in ["第一次修改", "第二次修改"].into_iter().enumerate() {
        let saved = Instant::now();
        std::fs::write(&report, original.replace("第一段", edit)).unwrap();
        // A correctness check with a generous deadline (a save takes milliseconds), not a
        // benchmark: the event must be flushed at once, not held in a buffer.
        assert_eq!(
            tab.next_event(Duration::from_secs(1)).as_deref(),
            Some("reload"),
            "save {n}: no event within 1 s"
        );
        assert!(saved.elapsed() < Duration::from_secs(1));
        // The full rebuild that follows leaves the page as the preview showed it: no second event.
        server.wait_for_line("ready in");
        assert_eq!(tab.next_event(Duration::from_millis(300)), None, "save {n}");
    }
}

#[test]
fn a_flood_of_connections_leaves_the_server_answering() {
    use std::io::Write;
    let site = copy_fixture("basic");
    // 64 descriptors: the flood runs the process out of them, as 10,000 connections would
    // with the usual limit.
    let server = Serve::start_with_file_limit(site.path(), 64);
    let host = format!("127.0.0.1:{}", server.port);
    let mut flood = Vec::new();
    for _ in 0..300 {
        let address = ([127, 0, 0, 1], server.port).into();
        // Once the server has no descriptor left, the kernel's queue fills and connects wait.
        let Ok(mut stream) =
            std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200))
        else {
            continue;
        };
        let _ = write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\nX-Never-Ends: ");
        flood.push(stream);
    }
    std::thread::sleep(Duration::from_millis(500));
    drop(flood);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, body) = raw_get(server.port, "/reports/jiaoyu/", &host, "");
        if status == 200 {
            assert!(body.contains("教育局评议的第一段。"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not answering after the flood: {status}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn oversized_and_stalled_request_heads_are_cut_off() {
    use std::io::{Read, Write};
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    let padding = "a".repeat(64 * 1024);
    let (status, _, _) = raw_get(server.port, "/", &host, &format!("X-Big: {padding}\r\n"));
    assert_eq!(status, 431, "a 64 KB header");
    let long_path = format!("/__gongshi/livereload?page={padding}");
    let (status, _, _) = raw_get(server.port, &long_path, &host, "");
    assert_eq!(status, 431, "a 64 KB request line");

    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stalled, "GET / HTTP/1.1\r\nHost: {host}\r\n").unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = stalled.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "a head that never ends is dropped after its deadline"
    );
    let (status, _, _) = raw_get(server.port, "/reports/jiaoyu/", &host, "");
    assert_eq!(status, 200);
}

#[test]
fn other_sites_pages_get_no_stream_and_answers_are_not_sniffed() {
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    // Another site's <img src> or EventSource: the right Host, no Origin, but the browser
    // says where the request comes from.
    let hostile = "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\n";
    let (status, _, body) = raw_get(
        server.port,
        "/__gongshi/livereload?page=%2F",
        &host,
        hostile,
    );
    assert_eq!(status, 403);
    assert!(!body.contains("data:"));
    let (status, _, _) = raw_get(server.port, "/reports/jiaoyu/", &host, hostile);
    assert_eq!(status, 403);
    // Following a link from elsewhere still opens the page.
    let link =
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n";
    // …but not another site's frame, nor the stream opened as a page (a frame's own script
    // would be same-origin: frames are refused, and every answer says X-Frame-Options).
    let frame =
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: iframe\r\n";
    let (status, _, _) = raw_get(server.port, "/reports/jiaoyu/", &host, frame);
    assert_eq!(status, 403, "another site's frame");
    let (status, _, _) = raw_get(server.port, "/__gongshi/livereload?page=%2F", &host, link);
    assert_eq!(status, 403, "the stream as a page from elsewhere");
    let (status, head, _) = raw_get(server.port, "/reports/jiaoyu/", &host, link);
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("x-frame-options: sameorigin"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("x-content-type-options: nosniff"),
        "{head}"
    );
    let (status, head, _) = raw_get(server.port, "/reports/jiaoyu?from=feed", &host, "");
    assert_eq!(status, 301);
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /reports/jiaoyu/?from=feed"),
        "the redirect keeps the query: {head}"
    );
}

#[test]
fn framing_that_could_hide_a_second_request_closes_the_connection() {
    use std::io::{Read, Write};
    let site = copy_fixture("basic");
    let server = Serve::start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    let hidden = format!("GET /reports/jiaoyu/ HTTP/1.1\r\nHost: {host}\r\n\r\n");
    for framing in [
        format!("Content-Length: 0\r\nContent-Length: {}\r\n", hidden.len()),
        format!("Content-Length: {}\r\n", hidden.len()),
        "Transfer-Encoding: chunked\r\n".to_string(),
        "Connection: keep-alive, close\r\n".to_string(),
    ] {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {host}\r\n{framing}\r\n{hidden}"
        )
        .unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response);
        assert_eq!(
            text.matches("HTTP/1.1 ").count(),
            1,
            "{framing:?}: one answer, then the connection closes"
        );
    }
}
