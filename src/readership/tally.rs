//! Counts page views from log hits: only successful GETs of pages by people, one view per client
//! and page in 30 minutes, and the searches typed on `/search/?q=`.

use super::log_line::Hit;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// A client seeing the same page again within this many seconds is not a new view.
const REPEAT_WINDOW: i64 = 30 * 60;

/// Substrings of user agents of crawlers, monitors and scripts (compared in lower case).
const ROBOTS: &[&str] = &[
    "bot",
    "spider",
    "crawl",
    "slurp",
    "spyder",
    "archiver",
    "facebookexternalhit",
    "bingpreview",
    "mediapartners",
    "headless",
    "lighthouse",
    "pingdom",
    "uptime",
    "monitor",
    "curl/",
    "wget/",
    "python-",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "scrapy",
    "feed",
    "rss",
];

/// File endings of what is not a page (assets, feeds, data).
const ASSETS: &[&str] = &[
    ".css", ".js", ".json", ".xml", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico",
    ".woff", ".woff2", ".ttf", ".pdf", ".csv", ".txt", ".zip", ".map", ".mp4", ".bin",
];

/// One day's counts: views per page path and searches per query.
pub type DayCounts = BTreeMap<String, u32>;

/// Counts while reading: views per key, kept in a hash map (one lookup per hit, no allocation
/// for a key seen before).
type LiveCounts = FxHashMap<String, u32>;

/// Counts as they are read, by day; a query is stored under `?q=<query>`.
pub struct Tally {
    /// Day (days since 1970 in the site's time zone) → key → count.
    days: FxHashMap<i64, LiveCounts>,
    /// (client hash, page hash) → second of the last counted view, for the repeat window.
    last_seen: FxHashMap<(u64, u64), i64>,
    /// A secret mixed into client hashes, made anew each run and never written.
    salt: u64,
    /// Lines read since the repeat window was last pruned.
    since_prune: usize,
    /// The site's time zone, for the day a hit belongs to.
    zone: jiff::tz::TimeZone,
    /// The last minute converted to a day, and that day (days since 1970, local).
    last_day: Option<(i64, i64)>,
}

impl Tally {
    /// An empty tally whose days are counted in `zone`.
    pub fn new(zone: jiff::tz::TimeZone) -> Self {
        let salt = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(32);
        Tally {
            days: FxHashMap::default(),
            last_seen: FxHashMap::default(),
            salt,
            since_prune: 0,
            zone,
            last_day: None,
        }
    }

    /// Counts one hit if it is a person's view of a page (or a search), and says whether it was.
    pub fn add(&mut self, hit: &Hit<'_>, base_path: &str) -> bool {
        let ok_status = (200..300).contains(&hit.status) || hit.status == 304;
        if hit.method != "GET" || !ok_status || is_robot(hit.agent) {
            return false;
        }
        let Some(path) = page_path(hit.target, base_path) else {
            return false;
        };
        self.prune(hit.second);
        let query = search_query(hit.target, &path, base_path);
        if query.is_none() && path.ends_with("/search/") {
            return false;
        }
        let key: std::borrow::Cow<'_, str> = match &query {
            Some(query) => format!("?q={query}").into(),
            None => path,
        };
        let client = xxhash_rust::xxh3::xxh3_64_with_seed(hit.client.as_bytes(), self.salt);
        let page = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
        match self.last_seen.get(&(client, page)) {
            Some(&last) if hit.second - last < REPEAT_WINDOW && hit.second >= last => return false,
            _ => {}
        }
        self.last_seen.insert((client, page), hit.second);
        let day = self.day_of(hit.second);
        let counts = self.days.entry(day).or_default();
        match counts.get_mut(key.as_ref()) {
            Some(count) => *count += 1,
            None => {
                counts.insert(key.into_owned(), 1);
            }
        }
        true
    }

    /// The counts by civil day (`2026-12-01`), sorted.
    pub fn into_days(self) -> BTreeMap<String, DayCounts> {
        self.days
            .into_iter()
            .map(|(day, counts)| {
                let date = jiff::civil::date(1970, 1, 1)
                    .checked_add(jiff::Span::new().days(day))
                    .map_or_else(|_| "1970-01-01".to_string(), |d| d.to_string());
                (date, counts.into_iter().collect())
            })
            .collect()
    }

    /// Forgets views older than the repeat window every 100,000 lines, so memory stays bounded by
    /// the clients of half an hour, not by the size of the log.
    fn prune(&mut self, now: i64) {
        self.since_prune += 1;
        if self.since_prune >= 100_000 {
            self.since_prune = 0;
            self.last_seen
                .retain(|_, last| now - *last < REPEAT_WINDOW || *last > now);
        }
    }

    /// The civil day of `second` in the site's time zone, as days since 1970.
    fn day_of(&mut self, second: i64) -> i64 {
        let minute = second.div_euclid(60);
        if let Some((cached, day)) = self.last_day
            && cached == minute
        {
            return day;
        }
        let offset = jiff::Timestamp::from_second(second)
            .map_or(0, |t| i64::from(self.zone.to_offset(t).seconds()));
        let day = (second + offset).div_euclid(86_400);
        self.last_day = Some((minute, day));
        day
    }
}

/// True for crawlers, monitors and scripts, and for requests without a user agent.
fn is_robot(agent: &str) -> bool {
    let agent = agent.trim();
    if agent.is_empty() || agent == "-" {
        return true;
    }
    let lower = agent.to_ascii_lowercase();
    ROBOTS.iter().any(|robot| lower.contains(robot))
}

/// The site path of a page request under `base_path` (`/pingyi/reports/a/`), without the query
/// string, percent-decoded, `index.html` folded into its folder; `None` for assets and for
/// requests outside the site.
fn page_path<'t>(target: &'t str, base_path: &str) -> Option<std::borrow::Cow<'t, str>> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if !decoded.starts_with(base_path) || decoded.contains("/../") || decoded.contains('\0') {
        return None;
    }
    let is_asset = ASSETS.iter().any(|ending| {
        decoded.len() >= ending.len()
            && decoded.as_bytes()[decoded.len() - ending.len()..]
                .eq_ignore_ascii_case(ending.as_bytes())
    });
    if is_asset || decoded.len() > 512 {
        return None;
    }
    Some(match decoded {
        std::borrow::Cow::Borrowed(text) => text.strip_suffix("index.html").unwrap_or(text).into(),
        std::borrow::Cow::Owned(text) => text
            .strip_suffix("index.html")
            .map_or_else(|| text.clone(), str::to_string)
            .into(),
    })
}

/// The normalised query of a `/search/?q=…` request, if it is one worth counting: 2 to 20
/// characters, and nothing that looks like personal data (runs of five or more digits, as in
/// phone and ID numbers, or an e-mail address).
fn search_query(target: &str, path: &str, base_path: &str) -> Option<String> {
    if path != format!("{base_path}search/") {
        return None;
    }
    let query = target.split_once('?')?.1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))?
        .replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&raw)
        .decode_utf8()
        .ok()?;
    let normalised: String = decoded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let length = normalised.chars().count();
    let mut digits = 0;
    let mut longest_digits = 0;
    for c in normalised.chars() {
        digits = if c.is_ascii_digit() { digits + 1 } else { 0 };
        longest_digits = longest_digits.max(digits);
    }
    let personal = longest_digits >= 5 || normalised.contains('@');
    let control = normalised.chars().any(char::is_control);
    ((2..=20).contains(&length) && !personal && !control).then_some(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_and_people_table() {
        for robot in [
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "Sogou web spider/4.0",
            "curl/8.5.0",
            "python-requests/2.31",
            "-",
            "",
            "Mozilla/5.0 HeadlessChrome/120",
        ] {
            assert!(is_robot(robot), "{robot}");
        }
        for person in [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36",
        ] {
            assert!(!is_robot(person), "{person}");
        }
    }

    #[test]
    fn page_paths_table() {
        let cases = [
            ("/pingyi/reports/a/", Some("/pingyi/reports/a/")),
            (
                "/pingyi/reports/a/index.html?from=x",
                Some("/pingyi/reports/a/"),
            ),
            (
                "/pingyi/tags/%E6%95%99%E8%82%B2/",
                Some("/pingyi/tags/教育/"),
            ),
            ("/pingyi/style.css", None),
            ("/pingyi/search/shard-3.json", None),
            ("/pingyi/search/shard-3.bin", None),
            ("/other/reports/a/", None),
            ("/pingyi/feed.xml", None),
            ("/pingyi/old/show.php?id=3", Some("/pingyi/old/show.php")),
        ];
        for (target, expected) in cases {
            assert_eq!(
                page_path(target, "/pingyi/").as_deref(),
                expected,
                "{target}"
            );
        }
    }

    #[test]
    fn search_queries_are_normalised_and_personal_data_is_dropped() {
        let query = |target: &str| {
            let path = page_path(target, "/").unwrap();
            search_query(target, &path, "/")
        };
        assert_eq!(
            query("/search/?q=%E5%8F%91%E6%94%B9%E5%A7%94").as_deref(),
            Some("发改委")
        );
        assert_eq!(
            query("/search/?year=2020&q=Open+%20Data").as_deref(),
            Some("open data")
        );
        for personal in [
            "/search/?q=13812345678",
            "/search/?q=110101199001011234",
            "/search/?q=a%40b.cn",
            "/search/?q=x",
            "/search/?q=%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80%E4%BA%8C%E4%B8%89%E5%9B%9B%E4%BA%94%E5%85%AD%E4%B8%83%E5%85%AB%E4%B9%9D%E5%8D%81%E4%B8%80",
        ] {
            assert_eq!(query(personal), None, "{personal}");
        }
    }

    #[test]
    fn one_view_per_client_and_page_in_thirty_minutes() {
        let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let mut tally = Tally::new(zone);
        let hit = |client, second, target, status| Hit {
            client,
            second,
            method: "GET",
            target,
            status,
            agent: "Mozilla/5.0 (iPhone)",
        };
        let start = 1_796_092_200;
        assert!(tally.add(&hit("a", start, "/reports/x/", 200), "/"));
        assert!(!tally.add(&hit("a", start + 600, "/reports/x/", 200), "/"));
        assert!(tally.add(&hit("b", start + 600, "/reports/x/", 200), "/"));
        assert!(tally.add(&hit("a", start + 1801, "/reports/x/", 304), "/"));
        assert!(!tally.add(&hit("c", start, "/reports/x/", 404), "/"));
        assert!(!tally.add(&hit("c", start, "/reports/x/", 301), "/"));
        assert_eq!(tally.into_days()["2026-12-01"]["/reports/x/"], 3);
    }
}
