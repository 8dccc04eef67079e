//! Connections: the accept loop with its limits, reading request heads (parsed by `httparse`)
//! and writing answers. A hostile local process or LAN peer must not be able to stop the
//! server: connections are capped, a head must arrive whole, small and in time, and a failed
//! `accept` (out of file descriptors) is waited out instead of ending the loop.

use super::guard::OwnAddress;
use super::http;
use super::versions::Versions;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Open connections served at once; more are closed as they arrive. A browser opens at most six
/// per server plus one stream per tab.
const MAX_CONNECTIONS: usize = 256;
/// The largest request head (request line and headers) read; larger ones get a 431.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Headers a request may have.
const MAX_HEADERS: usize = 64;
/// Time for a whole request head to arrive, and for a kept-alive connection's next request.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Time a write may block (a tab that stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a refused request's remaining bytes are read before closing.
const DRAIN_TIME: Duration = Duration::from_secs(1);
/// How much of a refused request's remaining bytes is read before closing.
const DRAIN_BYTES: usize = 1024 * 1024;
/// The pause after `accept` fails (no file descriptor left) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// A request head: what the answer depends on.
pub struct Head {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (origin-form `/path?query` or absolute-form `http://…`).
    pub target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    /// The first header called `name` (any case), as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).next()
    }

    /// Every header called `name` (any case), in the order sent.
    fn headers_named<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A complete answer, written with its length.
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// Headers beside the length, `Cache-Control`, `X-Content-Type-Options` and
    /// `X-Frame-Options`, added to all.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent to `HEAD`).
    pub body: Vec<u8>,
}

impl Answer {
    /// An answer with a body and its content type.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A plain-text answer.
    pub fn text(status: u16, text: String) -> Answer {
        Answer::new(status, "text/plain; charset=utf-8", text.into_bytes())
    }

    /// The answer with one more header.
    pub fn with(mut self, name: &'static str, value: String) -> Answer {
        self.headers.push((name, value));
        self
    }
}

/// What a handler did with the connection.
pub enum Handled {
    /// It wants this answer written; the connection may serve another request.
    Answer(Answer),
    /// It wrote to the connection itself (a live-reload stream) and is done with it.
    Streamed,
}

/// Accepts connections on `listener` forever, each on its own thread, at most
/// `MAX_CONNECTIONS` at once.
pub fn accept_forever(listener: TcpListener, own: OwnAddress, versions: Arc<Versions>) {
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of file descriptors (or a connection reset before it was taken): the
            // connections holding them close in time; the loop must not end.
            Err(_) => {
                std::thread::sleep(ACCEPT_BACKOFF);
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(stream);
            continue;
        }
        let slot = Slot(open.clone());
        let versions = versions.clone();
        // A connection not handed to a thread is closed (and its slot freed) on the spot.
        let _ = std::thread::Builder::new().spawn(move || {
            let _slot = slot;
            serve_connection(stream, own, &versions);
        });
    }
}

/// Tells a connection over the cap why it is closed, without waiting for it.
fn refuse_busy(mut stream: TcpStream) {
    if stream.set_nonblocking(true).is_ok() {
        let busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n\
                    Connection: close\r\n\r\n";
        let _ = stream.write_all(busy.as_bytes());
    }
}

/// One of the `MAX_CONNECTIONS`, given back when the connection's thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers the requests of one connection until it closes, misbehaves or idles too long.
fn serve_connection(mut stream: TcpStream, own: OwnAddress, versions: &Versions) {
    let _ = stream.set_nodelay(true);
    if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let mut buffer = Vec::new();
    loop {
        let (head, keep_alive) = match read_head(&mut stream, &mut buffer) {
            Ok(Some(read)) => read,
            Ok(None) => return,
            Err(status) => {
                let message = match status {
                    431 => "request head too large\n",
                    _ => "malformed request\n",
                };
                let answer = Answer::text(status, message.to_string());
                if write_answer(&mut stream, answer, true, false).is_ok() {
                    drain(&mut stream);
                }
                return;
            }
        };
        let send_body = head.method != "HEAD";
        match http::answer(&head, own, versions, &mut stream) {
            Handled::Streamed => return,
            Handled::Answer(answer) => {
                if write_answer(&mut stream, answer, send_body, keep_alive).is_err() {
                    return;
                }
                if !keep_alive {
                    drain(&mut stream);
                    return;
                }
            }
        }
    }
}

/// The next request head on `stream` (bytes after it stay in `buffer`) and whether the
/// connection may carry another request; `Ok(None)` when the connection closed or idled out
/// between requests; `Err(status)` for a head to refuse (400, 431) or one that stalled.
fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<(Head, bool)>, u16> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    loop {
        let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut fields);
        match request.parse(buffer) {
            Ok(httparse::Status::Complete(length)) => {
                let head = Head {
                    method: request.method.unwrap_or_default().to_string(),
                    target: request.path.unwrap_or_default().to_string(),
                    headers: request
                        .headers
                        .iter()
                        .map(|h| {
                            let value = String::from_utf8_lossy(h.value).into_owned();
                            (h.name.to_string(), value)
                        })
                        .collect(),
                };
                let keep_alive = request.version == Some(1) && reusable(&head);
                buffer.drain(..length);
                return Ok(Some((head, keep_alive)));
            }
            Ok(httparse::Status::Partial) if buffer.len() >= MAX_HEAD_BYTES => return Err(431),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(431),
            Err(_) => return Err(400),
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let mut chunk = [0; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// Reads and drops what the client is still sending (a bounded amount, for a bounded time)
/// after a refusal, so that closing the connection does not reset it before the client has
/// read the answer.
fn drain(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = Instant::now() + DRAIN_TIME;
    let mut left = DRAIN_BYTES;
    let mut chunk = [0; 4096];
    while left > 0 {
        let time = deadline.saturating_duration_since(Instant::now());
        if time.is_zero() || stream.set_read_timeout(Some(time)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(read) => left = left.saturating_sub(read),
        }
    }
}

/// True when the connection can carry another request after this one: the client did not ask
/// to close it and sent no body (bodies are never read, so what follows could not be parsed).
fn reusable(head: &Head) -> bool {
    let closing = head
        .headers_named("Connection")
        .flat_map(|value| value.split(','))
        .any(|token| token.trim().eq_ignore_ascii_case("close"));
    // Any framing but one `Content-Length: 0` may hide a body (or a second request in it).
    let lengths: Vec<&str> = head.headers_named("Content-Length").collect();
    let may_have_body = head.header("Transfer-Encoding").is_some()
        || lengths.len() > 1
        || lengths.iter().any(|l| l.trim() != "0");
    !closing && !may_have_body && matches!(head.method.as_str(), "GET" | "HEAD")
}

/// Writes `answer` with its length (the body only when `send_body`).
fn write_answer(
    stream: &mut TcpStream,
    answer: Answer,
    send_body: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         X-Frame-Options: SAMEORIGIN\r\n",
        answer.body.len()
    ));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if send_body {
        bytes.extend_from_slice(&answer.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// The reason phrase of the statuses serve answers with.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}
