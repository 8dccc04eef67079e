//! Reads the date forms editors write (`2020-08-06`, `2020/8/6`, `2020年8月6日`, RFC 3339 …).

use jiff::ZonedDateTime as Zoned;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

/// The forms accepted, for hints: "write one of …".
pub fn accepted_forms() -> String {
    crate::msg!(
        "write one of 2020-08-06, 2020-08-06 10:00, 2020-08-06T10:00:00+08:00, 2020/8/6 or 2020年8月6日",
        "写成以下任一形式：2020-08-06、2020-08-06 10:00、2020-08-06T10:00:00+08:00、2020/8/6 或 2020年8月6日"
    )
}

/// Parses `text` as a date, placing dates without an offset in `zone`. The result is in `zone`.
pub fn parse_date(text: &str, zone: &TimeZone) -> Result<Zoned, String> {
    let mut cursor = Cursor::new(text.trim());
    let written = text.trim();
    let not_a_date = || crate::msg!("`{written}` is not a date", "`{written}` 不是日期");
    let year = cursor.number(4, 4).ok_or_else(not_a_date)?;
    let separator = cursor
        .one_of(&['-', '/', '.', '年'])
        .ok_or_else(not_a_date)?;
    let month = cursor.number(1, 2).ok_or_else(not_a_date)?;
    let expected = if separator == '年' { '月' } else { separator };
    if !cursor.eat(expected) {
        return Err(not_a_date());
    }
    let day = cursor.number(1, 2).ok_or_else(not_a_date)?;
    if separator == '年' {
        cursor.eat('日');
    }
    let date = real_date(year, month, day)?;

    let had_separator = cursor.eat('T') || cursor.eat_spaces();
    if cursor.at_end() {
        return date
            .to_zoned_datetime(zone.clone())
            .map_err(|e| format!("{}: {e}", text.trim()));
    }
    if !had_separator {
        return Err(not_a_date());
    }
    let hour = cursor.number(1, 2).ok_or_else(not_a_date)?;
    if !(cursor.eat(':') || cursor.eat('：')) {
        return Err(not_a_date());
    }
    let minute = cursor.number(2, 2).ok_or_else(not_a_date)?;
    let mut second = 0;
    let mut nanos = 0;
    if cursor.eat(':') {
        second = cursor.number(2, 2).ok_or_else(not_a_date)?;
        if cursor.eat('.') {
            let digits = cursor.digits(1, 9).ok_or_else(not_a_date)?;
            nanos = format!("{digits:0<9}").parse().map_err(|_| not_a_date())?;
        }
    }
    let time = Time::new(hour as i8, minute as i8, second as i8, nanos).map_err(|_| {
        crate::msg!(
            "`{written}` has no such time of day",
            "`{written}` 中的时刻不存在"
        )
    })?;
    let civil = DateTime::from_parts(date, time);
    cursor.eat_spaces();
    if cursor.at_end() {
        return civil
            .to_zoned_datetime(zone.clone())
            .map_err(|e| format!("{}: {e}", text.trim()));
    }
    let offset = cursor.offset().ok_or_else(not_a_date)?;
    if !cursor.at_end() {
        return Err(not_a_date());
    }
    let instant = offset
        .to_timestamp(civil)
        .map_err(|e| format!("{}: {e}", text.trim()))?;
    Ok(instant.to_zoned_datetime(zone.clone()))
}

/// A calendar date, or a message that says why it does not exist.
fn real_date(year: u32, month: u32, day: u32) -> Result<Date, String> {
    if !(1..=12).contains(&month) {
        return Err(crate::msg!(
            "month {month} does not exist: months run from 1 to 12",
            "没有 {month} 月：月份只有 1 到 12"
        ));
    }
    let first = Date::new(year as i16, month as i8, 1).map_err(|e| e.to_string())?;
    let days = first.days_in_month() as u32;
    if day == 0 || day > days {
        return Err(crate::msg!(
            "{year}-{month:02}-{day:02} is not a real date: {year}年{month}月 has {days} days",
            "{year}-{month:02}-{day:02} 这一天不存在：{year}年{month}月只有 {days} 天"
        ));
    }
    Date::new(year as i16, month as i8, day as i8).map_err(|e| e.to_string())
}

/// A small reader over the characters of a date string.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { rest: text }
    }

    fn at_end(&self) -> bool {
        self.rest.is_empty()
    }

    fn eat(&mut self, expected: char) -> bool {
        match self.rest.strip_prefix(expected) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn eat_spaces(&mut self) -> bool {
        let trimmed = self.rest.trim_start();
        let ate = trimmed.len() != self.rest.len();
        self.rest = trimmed;
        ate
    }

    fn one_of(&mut self, options: &[char]) -> Option<char> {
        let c = self.rest.chars().next().filter(|c| options.contains(c))?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }

    fn digits(&mut self, min: usize, max: usize) -> Option<&'a str> {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if len < min || len > max {
            return None;
        }
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(digits)
    }

    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        self.digits(min, max)?.parse().ok()
    }

    /// Exactly two digits, even when more follow (`+0800`).
    fn two_digits(&mut self) -> Option<u32> {
        let (head, rest) = (self.rest.get(..2)?, self.rest.get(2..)?);
        let value = head
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| head.parse().ok())??;
        self.rest = rest;
        Some(value)
    }

    /// `Z`, `+08:00`, `+0800` or `+08`.
    fn offset(&mut self) -> Option<Offset> {
        if self.eat('Z') || self.eat('z') {
            return Some(Offset::UTC);
        }
        let sign = if self.eat('+') {
            1
        } else if self.eat('-') {
            -1
        } else {
            return None;
        };
        let hours = self.two_digits()? as i32;
        self.eat(':');
        let minutes = if self.at_end() {
            0
        } else {
            self.two_digits()? as i32
        };
        Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn accepted_forms_table() {
        let cases = [
            ("2020-08-06", "2020-08-06T00:00:00+08:00"),
            ("2020-08-06 10:00", "2020-08-06T10:00:00+08:00"),
            ("2020-08-06 10:00:30", "2020-08-06T10:00:30+08:00"),
            ("2020-08-06T10:00:00+08:00", "2020-08-06T10:00:00+08:00"),
            ("2020-08-06T02:00:00Z", "2020-08-06T10:00:00+08:00"),
            ("2020-08-06T02:00:00.5Z", "2020-08-06T10:00:00.5+08:00"),
            ("2020-08-06 10:00 +0000", "2020-08-06T18:00:00+08:00"),
            ("2020/8/6", "2020-08-06T00:00:00+08:00"),
            ("2020/08/06 9:05", "2020-08-06T09:05:00+08:00"),
            ("2020年8月6日", "2020-08-06T00:00:00+08:00"),
            ("2020年08月06日 10:00", "2020-08-06T10:00:00+08:00"),
            ("2015-8-7", "2015-08-07T00:00:00+08:00"),
            ("2019-05-28T7:15:43+08:00", "2019-05-28T07:15:43+08:00"),
            ("  2020.8.6 ", "2020-08-06T00:00:00+08:00"),
        ];
        for (input, expected) in cases {
            let parsed = parse_date(input, &shanghai()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                parsed.timestamp().to_string(),
                expected.parse::<jiff::Timestamp>().unwrap().to_string(),
                "{input}"
            );
            assert_eq!(parsed.time_zone().iana_name(), Some("Asia/Shanghai"));
        }
    }

    #[test]
    fn rejected_forms_say_why() {
        let cases = [
            ("2018-02-31", "2018年2月 has 28 days"),
            ("2020-02-30", "2020年2月 has 29 days"),
            ("2020-13-01", "month 13 does not exist"),
            ("2020-08-06 25:00", "no such time of day"),
            ("yesterday", "is not a date"),
            ("2020-08", "is not a date"),
            ("2020-08-06x", "is not a date"),
            ("20-08-06", "is not a date"),
            ("2020-08/06", "is not a date"),
        ];
        for (input, expected) in cases {
            let error = parse_date(input, &shanghai()).unwrap_err();
            assert!(error.contains(expected), "{input}: {error}");
        }
    }
}
