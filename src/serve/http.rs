//! Answers one request: the guard first, then a page of the newest snapshot or a tab's
//! live-reload stream (Server-Sent Events).

use super::guard::{OwnAddress, refusal, split_target};
use super::live::{LIVE_RELOAD_PATH, page_changed};
use super::versions::Versions;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// How often an idle live-reload stream sends a comment: writing to a closed tab fails, which
/// ends its thread.
const PING_INTERVAL: Duration = Duration::from_secs(15);

/// Answers `request` from the newest snapshot in `versions`; blocks for as long as a
/// live-reload stream stays open.
pub fn answer(request: Request, own: OwnAddress, versions: &Versions) {
    if let Some(refused) = refusal(own, request.url(), request.headers()) {
        let _ = request.respond(refused);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let refused = Response::empty(405).with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(refused);
        return;
    }
    let target = split_target(request.url()).1.to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path == LIVE_RELOAD_PATH {
        live_reload(request, query, versions);
    } else {
        page(request, path, versions);
    }
}

/// A header from two ASCII strings of ours.
fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("an ASCII header")
}

/// The file at `path` (as sent: percent-encoded), or the site's redirect or 404 page.
fn page(request: Request, path: &str, versions: &Versions) {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let reply = versions.newest().reply(&decoded);
    let response = if reply.status == 301 {
        // `/` added to the path as the browser sent it, still encoded: a valid header.
        let Ok(location) = Header::from_bytes("Location", format!("{path}/")) else {
            let _ = request.respond(Response::empty(400));
            return;
        };
        Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(location)
    } else {
        Response::from_data(reply.body)
            .with_status_code(reply.status)
            .with_header(header("Content-Type", reply.content_type))
    };
    // A known length is sent as Content-Length, never chunked.
    let response = response
        .with_header(header("Cache-Control", "no-store"))
        .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}

/// The stream of a tab showing the page named by the query's `page` (its `location.pathname`,
/// URI-component encoded): `data: reload` each time a new snapshot changes that page.
fn live_reload(request: Request, query: &str, versions: &Versions) {
    let page = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .map(|page| percent_decode_str(page).decode_utf8_lossy().into_owned());
    let Some(page) = page else {
        let _ = request
            .respond(Response::from_string("page=<path> is missing\n").with_status_code(400));
        return;
    };
    // The pathname as the browser sent it, decoded as a page request's path is.
    let page = percent_decode_str(&page).decode_utf8_lossy().into_owned();
    if *request.method() == Method::Head {
        let _ = request
            .respond(Response::empty(200).with_header(header("Content-Type", "text/event-stream")));
        return;
    }
    let mut shown = versions.newest();
    // tiny_http buffers a streamed body into chunks: the head and each event are written on
    // the raw connection, and flushed, instead. The body ends when the connection does.
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    let mut send = |text: &str| {
        stream
            .write_all(text.as_bytes())
            .and_then(|()| stream.flush())
            .is_ok()
    };
    if !send(head) {
        return;
    }
    loop {
        let event = match versions.wait_newer(shown.version, PING_INTERVAL) {
            None => ": ping\n\n",
            Some(newest) => {
                let changed = page_changed(&shown, &newest, &page);
                shown = newest;
                if !changed {
                    continue;
                }
                "data: reload\n\n"
            }
        };
        if !send(event) {
            return;
        }
    }
}
