//! Any text as a keyword string: keywords are non-empty, trimmed, unique, and hold no separator.
#![no_main]

use gongshi::content::tags::split_keywords;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let keywords = split_keywords(text);
    for (i, keyword) in keywords.iter().enumerate() {
        assert!(!keyword.is_empty());
        assert_eq!(keyword.trim(), keyword);
        assert!(
            !keyword
                .chars()
                .any(|c| c.is_whitespace() || [',', '，', '、', ';', '；'].contains(&c)),
            "{keyword:?}"
        );
        assert!(!keywords[..i].contains(keyword), "repeat {keyword:?}");
        assert!(text.contains(keyword.as_str()));
    }
});
