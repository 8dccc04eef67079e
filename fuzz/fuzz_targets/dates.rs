//! Any text as a date: never a panic; an accepted date is a real calendar date that prints and
//! parses back to the same instant.
#![no_main]

use gongshi::content::dates::parse_date;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let zone = TimeZone::get("Asia/Shanghai").expect("bundled zone");
    if let Ok(date) = parse_date(text, &zone) {
        let printed = date.timestamp().to_string();
        let again: jiff::Timestamp = printed.parse().expect("printed instant parses");
        assert_eq!(again, date.timestamp());
        let iso = date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
        let back = parse_date(&iso, &zone).expect("an accepted date round-trips");
        assert_eq!(back.timestamp().as_second(), date.timestamp().as_second(), "{text:?}");
    }
});
