//! Line breaks inside Chinese paragraphs. A browser shows a soft line break as a space, which is
//! wrong between two Chinese characters; and editors put each outline item (`（一）`, `一、`, `1．`)
//! on its own line, as official documents do, expecting to see it there.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Drops each soft break between two CJK characters, looking through inline markup (`**`, links,
/// code) and general punctuation (curly quotes, dashes), and turns a soft break before a line that
/// begins with an outline number into a line break.
pub(super) fn chinese_line_breaks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut replacements: Vec<(usize, Option<Event<'static>>)> = Vec::new();
    for (index, event) in events.iter().enumerate() {
        if !matches!(event, Event::SoftBreak) {
            continue;
        }
        let after = &events[index + 1..];
        if first_text(after).is_some_and(starts_with_outline_number) {
            replacements.push((index, Some(Event::HardBreak)));
            continue;
        }
        let before = neighbour(events[..index].iter().rev(), |text| {
            text.chars().rev().find(|&c| !is_general_punctuation(c))
        });
        let after = neighbour(after.iter(), |text| {
            text.chars().find(|&c| !is_general_punctuation(c))
        });
        if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
            replacements.push((index, None));
        }
    }
    if replacements.is_empty() {
        return events;
    }
    let mut replacements = replacements.into_iter().peekable();
    let mut out = Vec::with_capacity(events.len());
    for (index, event) in events.into_iter().enumerate() {
        match replacements.next_if(|(at, _)| *at == index) {
            Some((_, replacement)) => out.extend(replacement),
            None => out.push(event),
        }
    }
    out
}

/// The first character `visible` finds in the text next to a soft break, looking through inline
/// tags and text made only of general punctuation; `None` at anything else (another break, HTML, a
/// block's edge).
fn neighbour<'e, 'a: 'e>(
    events: impl Iterator<Item = &'e Event<'a>>,
    visible: impl Fn(&str) -> Option<char>,
) -> Option<char> {
    for event in events {
        match event {
            Event::Text(text) | Event::Code(text) => {
                if let Some(c) = visible(text) {
                    return Some(c);
                }
            }
            Event::Start(tag) if is_inline(tag) => {}
            Event::End(tag) if is_inline_end(tag) => {}
            _ => return None,
        }
    }
    None
}

/// The text a line starts with, after any inline tags that open it.
fn first_text<'e>(events: &'e [Event<'_>]) -> Option<&'e str> {
    events.iter().find_map(|event| match event {
        Event::Start(tag) if is_inline(tag) => None,
        Event::Text(text) => Some(Some(text.as_ref())),
        _ => Some(None),
    })?
}

/// True when `line` begins with an outline number: `（一）`, `（1）`, `一、`, `1、`, `1．` or `①`.
fn starts_with_outline_number(line: &str) -> bool {
    let is_numeral = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    if line.starts_with(|c| ('\u{2460}'..='\u{2473}').contains(&c)) {
        return true;
    }
    if let Some(rest) = line.strip_prefix('（') {
        let number: String = rest
            .chars()
            .take_while(|&c| is_numeral(c) || is_digit(c))
            .collect();
        return (1..=3).contains(&number.chars().count()) && rest[number.len()..].starts_with('）');
    }
    let numerals: String = line.chars().take_while(|&c| is_numeral(c)).collect();
    if (1..=3).contains(&numerals.chars().count()) {
        return line[numerals.len()..].starts_with('、');
    }
    let digits: String = line.chars().take_while(|&c| is_digit(c)).collect();
    (1..=3).contains(&digits.chars().count()) && line[digits.len()..].starts_with(['、', '．'])
}

/// True for characters next to which Chinese text takes no space: Han, CJK punctuation, kana and
/// full-width forms. Curly quotes and other general punctuation are not among them: they are
/// looked through.
fn is_cjk(c: char) -> bool {
    super::markdown::is_han(c) || matches!(c, '\u{3000}'..='\u{30FF}' | '\u{FF00}'..='\u{FFEF}')
}

/// General punctuation (`“”‘’…—`), shared by Chinese and Western text.
fn is_general_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// True for inline tags a line break's neighbour is looked for through (emphasis, links, images…).
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// True for the ends of the tags [`is_inline`] accepts.
fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::starts_with_outline_number;

    #[test]
    fn outline_numbers_table() {
        let cases = [
            ("（一）加强领导", true),
            ("（十二）其他", true),
            ("（1）细则", true),
            ("（３）细则", true),
            ("一、总体情况", true),
            ("十一、附则", true),
            ("1．完善制度", true),
            ("12、事项", true),
            ("①第一项", true),
            ("（一加强", false),
            ("一二类", false),
            ("1. 列表", false),
            ("(1) 英文", false),
            ("2020年", false),
            ("（附件）", false),
        ];
        for (line, expected) in cases {
            assert_eq!(starts_with_outline_number(line), expected, "{line}");
        }
    }
}
