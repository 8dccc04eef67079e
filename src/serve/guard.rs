//! Requests must name the server's own address, so a page on another site cannot read the
//! preview (drafts included) by pointing a name of its own at 127.0.0.1 (DNS rebinding), nor
//! open the live-reload stream from the browser.

use super::connection::Answer;
use super::live::LIVE_RELOAD_PATH;
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
        port => {
            let digits = port.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()?
        }
    };
    Some((host, port))
}

/// A request target → the authority an absolute-form one names (`http://host/path`), and the
/// path and query.
pub fn split_target(target: &str) -> (Option<&str>, &str) {
    match target.strip_prefix("http://") {
        Some(rest) => match rest.find('/') {
            Some(at) => (Some(&rest[..at]), &rest[at..]),
            None => (Some(rest), "/"),
        },
        None => (None, target),
    }
}

/// `None` for a request addressed to this server; the 403 to answer otherwise, without
/// looking further. `target` is the request target as sent: an absolute-form target
/// (`http://host/path`) names the host itself, else the `Host` header does. A browser's
/// request made by another site's page (`Sec-Fetch-Site` other than same-origin, for anything
/// but following a link to a page: frames and the live-reload stream included) is refused
/// too: it could not read the answer, but could hold connections open.
pub fn refusal<'h>(
    own: OwnAddress,
    target: &'h str,
    header: impl Fn(&str) -> Option<&'h str>,
) -> Option<Answer> {
    let (named, path) = split_target(target);
    let authority = named.or_else(|| header("Host"));
    let origin_ok = header("Origin").is_none_or(|o| own.accepts_origin(o));
    // A reader following a link from elsewhere opens a page; a frame or a stream does not.
    let top_level_link = header("Sec-Fetch-Mode") == Some("navigate")
        && header("Sec-Fetch-Dest") == Some("document")
        && !path.starts_with(LIVE_RELOAD_PATH);
    let site_ok = header("Sec-Fetch-Site")
        .is_none_or(|site| matches!(site, "same-origin" | "none"))
        || top_level_link;
    if origin_ok && site_ok && authority.is_some_and(|a| own.accepts_host(a)) {
        return None;
    }
    let message = format!(
        "gongshi serve answers only requests for its own address: open http://127.0.0.1:{}/\n",
        own.0.port()
    );
    Some(Answer::text(403, message))
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
            (loopback, "127.0.0.1:+1111", false),
            (loopback, "127.0.0.1:01111", true),
            (loopback, "127.0.0.1:", false),
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

    #[test]
    fn targets_split_into_authority_and_path() {
        let cases = [
            ("/reports/a/?x=1", (None, "/reports/a/?x=1")),
            ("http://127.0.0.1:1111/a/", (Some("127.0.0.1:1111"), "/a/")),
            ("http://127.0.0.1:1111", (Some("127.0.0.1:1111"), "/")),
            ("*", (None, "*")),
        ];
        for (target, expected) in cases {
            assert_eq!(split_target(target), expected, "{target}");
        }
    }

    #[test]
    fn requests_are_refused_unless_host_and_origin_name_this_server() {
        let own = OwnAddress("127.0.0.1:1111".parse().unwrap());
        let host = ("Host", "127.0.0.1:1111");
        let refused = |target: &str, lines: &[(&str, &str)]| {
            let header = |name: &str| {
                let found = lines
                    .iter()
                    .find(|(field, _)| field.eq_ignore_ascii_case(name));
                found.map(|(_, value)| *value)
            };
            refusal(own, target, header).map(|answer| answer.status)
        };
        assert_eq!(refused("/", &[host]), None);
        assert_eq!(refused("/", &[("host", "localhost:1111")]), None);
        assert_eq!(
            refused("/", &[host, ("Origin", "http://localhost:1111")]),
            None
        );
        assert_eq!(refused("/", &[]), Some(403), "no Host");
        assert_eq!(refused("/", &[("Host", "evil.example:1111")]), Some(403));
        assert_eq!(
            refused("/", &[host, ("Origin", "http://evil.example")]),
            Some(403)
        );
        assert_eq!(refused("http://127.0.0.1:1111/a/", &[]), None);
        let cross_site = ("Sec-Fetch-Site", "cross-site");
        assert_eq!(
            refused("/", &[host, cross_site, ("Sec-Fetch-Mode", "no-cors")]),
            Some(403),
            "another site's <img> or EventSource"
        );
        assert_eq!(
            refused("/", &[host, ("Sec-Fetch-Site", "same-site")]),
            Some(403),
            "a page on another port of this host"
        );
        let navigate = ("Sec-Fetch-Mode", "navigate");
        let document = ("Sec-Fetch-Dest", "document");
        assert_eq!(
            refused("/", &[host, cross_site, navigate, document]),
            None,
            "following a link from elsewhere"
        );
        assert_eq!(
            refused(
                "/",
                &[host, cross_site, navigate, ("Sec-Fetch-Dest", "iframe")]
            ),
            Some(403),
            "another site's frame"
        );
        assert_eq!(
            refused(
                "/__gongshi/livereload?page=%2F",
                &[host, cross_site, navigate, document]
            ),
            Some(403),
            "the stream opened as a page from elsewhere"
        );
        assert_eq!(
            refused("/", &[host, ("Sec-Fetch-Site", "same-origin")]),
            None
        );
        assert_eq!(
            refused("http://evil.example:1111/a/", &[host]),
            Some(403),
            "an absolute-form target names the host, not the Host header"
        );
    }
}
