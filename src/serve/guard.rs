//! Requests must name the server's own address, so a page on another site cannot read the
//! preview (drafts included) by pointing a name of its own at 127.0.0.1 (DNS rebinding), nor
//! open the live-reload socket from the browser.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// The address the server listens on, which every request's `Host` (and `Origin`, when sent)
/// must name.
#[derive(Clone, Copy, Debug)]
pub struct OwnAddress(pub SocketAddr);

impl OwnAddress {
    /// True when `authority` (`host[:port]`) names this server, on its port: `localhost` or a
    /// loopback address when listening on loopback, the address listened on, or any address
    /// (never a name but `localhost`) when listening on all of them.
    pub fn accepts_host(&self, authority: &str) -> bool {
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        let bound = self.0.ip();
        let accepted = if host.eq_ignore_ascii_case("localhost") {
            bound.is_loopback() || bound.is_unspecified()
        } else {
            host.parse::<IpAddr>().is_ok_and(|ip| {
                ip == bound || (ip.is_loopback() && bound.is_loopback()) || bound.is_unspecified()
            })
        };
        accepted && port == self.0.port()
    }

    /// True when a request's `Origin` is a page of this server.
    pub fn accepts_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|authority| self.accepts_host(authority))
    }
}

/// `host:port`, `[v6]:port` or a bare host (port 80) → (host, port).
fn split_authority(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?,
        None => authority.split_at(authority.find(':').unwrap_or(authority.len())),
    };
    let port = match port {
        "" => 80,
        port => port.strip_prefix(':')?.parse().ok()?,
    };
    Some((host, port))
}

/// Passes requests addressed to this server on; answers 403 to the rest, without looking
/// further.
pub async fn only_own_address(
    State(own): State<OwnAddress>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let authority = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => headers.get(header::HOST).and_then(|h| h.to_str().ok()),
    };
    let origin_ok = headers
        .get(header::ORIGIN)
        .is_none_or(|o| o.to_str().is_ok_and(|o| own.accepts_origin(o)));
    if origin_ok && authority.is_some_and(|a| own.accepts_host(a)) {
        return next.run(request).await;
    }
    let message = format!(
        "gongshi serve answers only requests for its own address: open http://127.0.0.1:{}/\n",
        own.0.port()
    );
    (StatusCode::FORBIDDEN, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_accepted_by_address_listened_on() {
        let loopback = OwnAddress("127.0.0.1:1111".parse().unwrap());
        let all = OwnAddress("0.0.0.0:1111".parse().unwrap());
        let lan = OwnAddress("192.168.1.5:1111".parse().unwrap());
        let cases = [
            (loopback, "127.0.0.1:1111", true),
            (loopback, "localhost:1111", true),
            (loopback, "LocalHost:1111", true),
            (loopback, "[::1]:1111", true),
            (loopback, "127.0.0.1:2222", false),
            (loopback, "127.0.0.1", false),
            (loopback, "evil.example:1111", false),
            (loopback, "127.0.0.1.evil.example:1111", false),
            (loopback, "192.168.1.5:1111", false),
            (loopback, "127.0.0.1:1111:1", false),
            (loopback, "[::1:1111", false),
            (loopback, "", false),
            (all, "192.168.1.5:1111", true),
            (all, "localhost:1111", true),
            (all, "evil.example:1111", false),
            (lan, "192.168.1.5:1111", true),
            (lan, "localhost:1111", false),
            (lan, "evil.example:1111", false),
        ];
        for (own, host, expected) in cases {
            assert_eq!(own.accepts_host(host), expected, "{own:?} {host}");
        }
    }

    #[test]
    fn origins_must_be_pages_of_this_server() {
        let own = OwnAddress("127.0.0.1:1111".parse().unwrap());
        assert!(own.accepts_origin("http://127.0.0.1:1111"));
        assert!(own.accepts_origin("http://localhost:1111"));
        assert!(!own.accepts_origin("http://evil.example"));
        assert!(!own.accepts_origin("null"));
        assert!(!own.accepts_origin("https://127.0.0.1.evil.example:1111"));
    }
}
