//! Helpers for tests that build whole fixture sites with the real binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `gongshi args…` in `dir`.
pub fn gongshi(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .env("GONGSHI_LANG", "en")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the gongshi binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The fixture folder `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A temporary copy of a fixture site.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Copies every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A built page as text.
pub fn page(site: &Path, relative: &str) -> String {
    let path = site.join("public").join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Builds a site and insists it succeeds.
pub fn build_ok(site: &Path) -> Run {
    let run = gongshi(site, &["build"]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run
}

/// A tiny static file server on 127.0.0.1 serving `folder` under the URL prefix `prefix`.
pub struct Server {
    pub port: u16,
}

/// Starts a server thread; it lives until the test process ends.
pub fn serve_under(folder: PathBuf, prefix: &'static str) -> Server {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request);
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let decoded = percent_encoding::percent_decode_str(path.split('?').next().unwrap())
                .decode_utf8_lossy()
                .into_owned();
            let file = decoded.strip_prefix(prefix).map(|rest| {
                let rest = if rest.is_empty() || rest.ends_with('/') {
                    format!("{rest}index.html")
                } else {
                    rest.to_string()
                };
                folder.join(rest)
            });
            let response = match file.filter(|f| f.is_file() && !decoded.contains("..")) {
                Some(file) => {
                    let body = fs::read(file).unwrap();
                    let mut head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    head.extend(body);
                    head
                }
                None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    Server { port }
}

/// Fetches `path` from the server: (status, body).
pub fn fetch(server: &Server, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// What a crawl found.
pub struct Crawl {
    pub visited: usize,
    pub failures: Vec<String>,
}

/// Follows every same-site `href` and `src` from `start`, reporting links that do not answer 200.
pub fn crawl(server: &Server, start: &str) -> Crawl {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    let mut failures = Vec::new();
    let mut visited = 0;
    seen.insert(start.to_string());
    while let Some(url) = queue.pop_front() {
        let (status, body) = fetch(server, &url);
        if status != 200 {
            failures.push(format!("{url}: {status}"));
            continue;
        }
        if !(url.ends_with('/') || url.ends_with(".html")) {
            continue;
        }
        visited += 1;
        for link in links(&body) {
            let Some(target) = resolve(&url, &link) else {
                continue;
            };
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    Crawl { visited, failures }
}

/// `href` and `src` attribute values, read by an HTML parser.
fn links(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    document
        .select(&selector)
        .flat_map(|element| [element.value().attr("href"), element.value().attr("src")])
        .flatten()
        .map(String::from)
        .collect()
}

/// An absolute path for a same-site link, or `None` for other sites, anchors and mail.
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.split('#').next()?.split('?').next()?;
    if link.is_empty()
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("//")
    {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    let base = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = if link.ends_with('/') { "/" } else { "" };
    Some(format!("/{}{trailing}", parts.join("/")))
}
