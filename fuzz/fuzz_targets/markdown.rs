//! Any text as a report body, in every raw-HTML mode: rendering never panics, and Markdown
//! syntax never writes an event handler, `autofocus`, a `style` other than table alignment, or a
//! `javascript:` URL. In `allow` mode raw HTML passes by design, so only bodies without `<` count.
#![no_main]

use gongshi::content::markdown::{RawHtml, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        if mode == RawHtml::Allow && text.contains('<') {
            continue;
        }
        let body = render(text, &|_| None, mode, &[]);
        check_tags(&body.html);
    }
});

/// Walks the start tags of `html` (attribute values are quoted and escaped by the renderer) and
/// fails on an attribute that could run script.
fn check_tags(html: &str) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset + 1;
        at = start;
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut quote = None;
        let mut end = start;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            end += 1;
        }
        let tag = &html[start..end.min(html.len())];
        for attribute in attributes(tag) {
            let (name, value) = attribute.split_once('=').unwrap_or((attribute, ""));
            let name = name.to_ascii_lowercase();
            let value = value.trim_matches(['"', '\'']).to_ascii_lowercase();
            assert!(!name.starts_with("on"), "handler in <{tag}>");
            assert!(name != "autofocus", "autofocus in <{tag}>");
            assert!(
                name != "style" || value.starts_with("text-align"),
                "style in <{tag}>"
            );
            if name == "href" || name == "src" {
                let squeezed: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(!squeezed.starts_with("javascript:"), "script URL in <{tag}>");
            }
        }
        at = end;
    }
}

/// The `name=value` pieces of a start tag's inside, split on white space outside quotes.
fn attributes(tag: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut quote = None;
    let mut begin = 0;
    for (index, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() || c == '/' => {
                if index > begin {
                    pieces.push(&tag[begin..index]);
                }
                begin = index + c.len_utf8();
            }
            _ => {}
        }
    }
    if tag.len() > begin {
        pieces.push(&tag[begin..]);
    }
    pieces.into_iter().skip(1).collect()
}
