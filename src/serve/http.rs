//! Answers one request: the guard first, then a page of the newest snapshot or a tab's
//! live-reload stream (Server-Sent Events).

use super::connection::{Answer, Handled, Head};
use super::guard::{OwnAddress, refusal, split_target};
use super::live::{LIVE_RELOAD_PATH, page_changed};
use super::versions::Versions;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

/// How often an idle live-reload stream sends a comment: writing to a closed tab fails, which
/// ends its thread.
const PING_INTERVAL: Duration = Duration::from_secs(15);

/// Answers the request `head` from the newest snapshot in `versions`; a live-reload stream is
/// written to `stream` and holds it for as long as the tab stays open.
pub fn answer(
    head: &Head,
    own: OwnAddress,
    versions: &Versions,
    stream: &mut TcpStream,
) -> Handled {
    if let Some(refused) = refusal(own, &head.target, |name| head.header(name)) {
        return Handled::Answer(refused);
    }
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        let refused = Answer::text(405, "only GET and HEAD are answered\n".to_string());
        return Handled::Answer(refused.with("Allow", "GET, HEAD".to_string()));
    }
    let target = split_target(&head.target).1;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path == LIVE_RELOAD_PATH {
        live_reload(head, query, versions, stream)
    } else {
        Handled::Answer(page(path, query, versions))
    }
}

/// The file at `path` (as sent: percent-encoded), or the site's redirect or 404 page.
fn page(path: &str, query: &str, versions: &Versions) -> Answer {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let reply = versions.newest().reply(&decoded);
    if reply.status == 301 {
        // `/` added to the path as the browser sent it, still encoded, and the query kept.
        let location = match query {
            "" => format!("{path}/"),
            query => format!("{path}/?{query}"),
        };
        return Answer::new(301, "text/plain; charset=utf-8", Vec::new())
            .with("Location", location);
    }
    Answer::new(reply.status, reply.content_type, reply.body)
}

/// The stream of a tab showing the page named by the query's `page`: `data: reload` each time
/// a new snapshot changes that page.
fn live_reload(head: &Head, query: &str, versions: &Versions, stream: &mut TcpStream) -> Handled {
    // The value is `encodeURIComponent(location.pathname)`: decoded once it is the pathname as
    // the browser sent it (still percent-encoded), decoded again as a page request's path is.
    let page = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .map(|page| percent_decode_str(page).decode_utf8_lossy().into_owned())
        .map(|sent| percent_decode_str(&sent).decode_utf8_lossy().into_owned());
    let Some(page) = page else {
        return Handled::Answer(Answer::text(400, "page=<path> is missing\n".to_string()));
    };
    if head.method == "HEAD" {
        return Handled::Answer(Answer::new(200, "text/event-stream", Vec::new()));
    }
    let mut shown = versions.newest();
    // The body ends when the connection does; each event is flushed as it is written.
    let start = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                 X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    let mut send = |text: &str| {
        stream
            .write_all(text.as_bytes())
            .and_then(|()| stream.flush())
            .is_ok()
    };
    if !send(start) {
        return Handled::Streamed;
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
            return Handled::Streamed;
        }
    }
}
