//! One line of a web server's access log in the combined format of Nginx and Apache:
//! `client - user [10/Oct/2026:13:55:36 +0800] "GET /path HTTP/1.1" 200 2326 "referer" "agent"`.

/// The parts of a log line that readership needs; borrowed from the line.
#[derive(Debug, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The client address (only hashed, never kept).
    pub client: &'a str,
    /// Seconds since 1970, UTC.
    pub second: i64,
    /// `GET`, `HEAD`…
    pub method: &'a str,
    /// The request target as sent (`/reports/a/?from=feed`).
    pub target: &'a str,
    /// The HTTP status.
    pub status: u16,
    /// The user agent.
    pub agent: &'a str,
}

/// Reads one combined-format line; `None` when it is not one.
pub fn parse(line: &str) -> Option<Hit<'_>> {
    let (client, rest) = line.split_once(' ')?;
    let open = rest.find('[')?;
    let close = open + rest[open..].find(']')?;
    let second = parse_time(&rest[open + 1..close])?;
    let rest = rest[close + 1..].trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    let mut request = rest[..end].split(' ');
    let method = request.next()?;
    let target = request.next()?;
    let rest = rest[end + 1..].trim_start();
    let (status, rest) = rest.split_once(' ')?;
    let status: u16 = status.parse().ok()?;
    // After the byte count: "referer" "agent" (the agent may be missing in the common format).
    let agent = rest
        .rsplit_once('"')
        .and_then(|(before, _)| before.rsplit_once('"'))
        .map_or("", |(_, agent)| agent);
    Some(Hit {
        client,
        second,
        method,
        target,
        status,
        agent,
    })
}

/// `10/Oct/2026:13:55:36 +0800` as seconds since 1970 (UTC).
fn parse_time(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 26 || bytes[2] != b'/' || bytes[6] != b'/' || bytes[11] != b':' {
        return None;
    }
    let number =
        |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse::<i64>().ok() };
    let day = number(0..2)?;
    let month = MONTHS.iter().position(|m| *m == &text[3..6])? as i64 + 1;
    let year = number(7..11)?;
    let (hour, minute, second) = (number(12..14)?, number(15..17)?, number(18..20)?);
    let sign = match bytes[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset = sign * (number(22..24)? * 3600 + number(24..26)? * 60);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), after H. Hinnant's algorithm.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_lines_table() {
        let line = r#"203.0.113.9 - - [01/Dec/2026:10:30:00 +0800] "GET /reports/a/?from=feed HTTP/1.1" 200 5120 "https://example.gov.cn/" "Mozilla/5.0 (iPhone)""#;
        assert_eq!(
            parse(line),
            Some(Hit {
                client: "203.0.113.9",
                second: 1_796_092_200,
                method: "GET",
                target: "/reports/a/?from=feed",
                status: 200,
                agent: "Mozilla/5.0 (iPhone)",
            })
        );
        let common = r#"::1 - - [29/Feb/2024:23:59:59 -0100] "HEAD / HTTP/1.0" 304 0"#;
        let hit = parse(common).unwrap();
        assert_eq!((hit.method, hit.status, hit.agent), ("HEAD", 304, ""));
        assert_eq!(hit.second, 1_709_254_799);
        for broken in [
            "",
            "not a log line",
            r#"1.2.3.4 - - [01/Foo/2026:10:30:00 +0800] "GET / HTTP/1.1" 200 1"#,
            r#"1.2.3.4 - - [01/Dec/2026:10:30:00 +0800] "GET / HTTP/1.1" abc 1"#,
            r#"1.2.3.4 - - [01/Dec/2026:10:30"#,
        ] {
            assert_eq!(parse(broken), None, "{broken}");
        }
    }

    #[test]
    fn civil_days_agree_with_jiff() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 12, 1), (1969, 12, 31)] {
            let expected = jiff::civil::date(y, m, d)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
                .as_second()
                / 86_400;
            assert_eq!(
                days_from_civil(y.into(), m.into(), d.into()),
                expected,
                "{y}-{m}-{d}"
            );
        }
    }
}
