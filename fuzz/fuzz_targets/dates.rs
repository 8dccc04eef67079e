//! Any text as a date: never a panic; an accepted date is a real calendar date whose civil time,
//! written back in the plain form, reads the same again.
#![no_main]

use gongshi::content::dates::parse_date;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let zone = TimeZone::get("Asia/Shanghai").expect("bundled zone");
    if let Ok(date) = parse_date(text, &zone) {
        let civil = date.datetime();
        // Civil time, not the offset: old Shanghai dates carry LMT offsets with seconds (+08:05:43).
        let plain = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            civil.year(),
            civil.month(),
            civil.day(),
            civil.hour(),
            civil.minute(),
            civil.second()
        );
        let back = parse_date(&plain, &zone)
            .unwrap_or_else(|e| panic!("{text:?} → {plain:?} is refused: {e}"));
        assert_eq!(back.datetime().date(), civil.date(), "{text:?}");
        assert_eq!(
            (back.hour(), back.minute(), back.second()),
            (civil.hour(), civil.minute(), civil.second()),
            "{text:?}"
        );
    }
});
