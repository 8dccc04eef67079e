//! Chinese emphasis: pairs the delimiter runs that CommonMark leaves as text only because Han text
//! or full-width punctuation stands outside them (`这是**“重点”**内容`), and nothing else.
//!
//! CommonMark decides whether `**` may open or close from the characters on either side: `是**“`
//! cannot open, since punctuation follows and a letter precedes. Chinese puts no spaces around
//! emphasis, so such runs stay literal. Here a run left as text is repaired when:
//! - it is exactly a marker (`*`, `**`, `***`, `_`, `__`, `~~`), not part of a longer run, and
//!   not escaped (`\\*`);
//! - it can open (close) once a Han character or full-width punctuation on its outer side is read
//!   as a space, its inner neighbour is not whitespace, and at least one run of the pair needs
//!   that reading;
//! - both runs lie in one inline span (same block, same nesting level, outside code).
//!
//! Masks stay text: a `*` run between letters, digits or Han (`王**等`, `于*年`) never takes part,
//! nor a `_` next to an ASCII letter or digit (`报告_2020_终稿.pdf`);
//! an opener never sits before closing or separating punctuation (`张**，`), a closer never after
//! opening punctuation, and when only the opener needs the Han reading, the closer must follow
//! punctuation (`张**（女）和李**（男）` stays as written).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// Text events with the delimiter runs that CommonMark left unmatched because of Chinese text
/// around them turned into emphasis, strong emphasis or strikethrough.
pub(super) fn repair<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
) -> Vec<Event<'a>> {
    let (events, runs) = split_runs(merge_verbatim_text(events, source), source);
    let pairs = pair(&runs);
    let mut kinds: Vec<Option<(Marker, bool)>> = vec![None; events.len()];
    for (opener, closer) in pairs {
        let marker = runs[opener].marker;
        kinds[runs[opener].index] = Some((marker, true));
        kinds[runs[closer].index] = Some((marker, false));
    }
    let mut out = Vec::with_capacity(events.len());
    for (event, kind) in events.into_iter().zip(kinds) {
        match kind {
            Some((marker, true)) => out.extend(marker.tags().into_iter().map(Event::Start)),
            Some((marker, false)) => out.extend(
                marker
                    .tags()
                    .into_iter()
                    .rev()
                    .map(|tag| Event::End(tag.to_end())),
            ),
            None => out.push(event),
        }
    }
    out
}

/// A delimiter run gongshi may repair.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Marker {
    Emphasis,
    Strong,
    StrongEmphasis,
    Strikethrough,
}

impl Marker {
    fn of(run: &str) -> Option<Marker> {
        match run {
            "*" | "_" => Some(Marker::Emphasis),
            "**" | "__" => Some(Marker::Strong),
            "***" => Some(Marker::StrongEmphasis),
            "~~" => Some(Marker::Strikethrough),
            _ => None,
        }
    }

    /// The tags it opens, outermost first (`***` is `<em><strong>`, as CommonMark renders it).
    fn tags(self) -> Vec<Tag<'static>> {
        match self {
            Marker::Emphasis => vec![Tag::Emphasis],
            Marker::Strong => vec![Tag::Strong],
            Marker::StrongEmphasis => vec![Tag::Emphasis, Tag::Strong],
            Marker::Strikethrough => vec![Tag::Strikethrough],
        }
    }
}

/// One unmatched run and what it may do.
#[derive(Debug)]
struct Run {
    /// Its text event.
    index: usize,
    marker: Marker,
    /// `*`, `_` or `~`, so `**` never pairs with `__`.
    delimiter: char,
    /// The inline span it lies in.
    span: usize,
    opener: Role,
    closer: Role,
    /// Its inner neighbour as a closer (the character before it) is punctuation.
    after_punctuation: bool,
}

/// Whether a run may open (or close), and whether only the Chinese reading allows it.
#[derive(Clone, Copy, Debug)]
struct Role {
    allowed: bool,
    needs_han_reading: bool,
}

/// How far back a closer looks for its opener, so a hostile body of unmatched runs costs linear
/// time; real paragraphs never have this many runs open.
const MAX_OPENERS_SEARCHED: usize = 64;

/// Pairs openers with closers as CommonMark does (nearest opener first, openers in between
/// dropped), only within one span, and only pairs that need the Chinese reading.
fn pair(runs: &[Run]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut openers: Vec<usize> = Vec::new();
    for (at, run) in runs.iter().enumerate() {
        if run.closer.allowed {
            let searched = openers.len().saturating_sub(MAX_OPENERS_SEARCHED);
            let found = openers[searched..].iter().rposition(|&opener| {
                let opener = &runs[opener];
                opener.span == run.span
                    && opener.delimiter == run.delimiter
                    && opener.marker == run.marker
                    && (opener.opener.needs_han_reading || run.closer.needs_han_reading)
                    && (run.closer.needs_han_reading || run.after_punctuation)
            });
            if let Some(position) = found.map(|found| searched + found) {
                pairs.push((openers[position], at));
                openers.truncate(position);
                continue;
            }
        }
        if run.opener.allowed {
            openers.push(at);
        }
    }
    pairs
}

/// Splits verbatim text at the runs that are exactly a marker, and lists those runs. Text inside
/// code blocks is left alone.
fn split_runs<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
) -> (Vec<Event<'a>>, Vec<Run>) {
    let mut out = Vec::with_capacity(events.len());
    let mut runs = Vec::new();
    let mut spans = SpanTracker::default();
    for (event, range) in events {
        spans.see(&event);
        let verbatim =
            matches!(&event, Event::Text(text) if source.get(range.clone()) == Some(text.as_ref()));
        if !verbatim || spans.in_code_block {
            out.push(event);
            continue;
        }
        let text = &source[range.clone()];
        let mut written = 0;
        for (start, end) in delimiter_runs(text) {
            let (absolute_start, absolute_end) = (range.start + start, range.start + end);
            let Some(run) = classify(source, absolute_start, absolute_end) else {
                continue;
            };
            if start > written {
                out.push(Event::Text(CowStr::Borrowed(&text[written..start])));
            }
            runs.push(Run {
                index: out.len(),
                span: spans.current(),
                ..run
            });
            out.push(Event::Text(CowStr::Borrowed(&text[start..end])));
            written = end;
        }
        if written < text.len() {
            out.push(Event::Text(CowStr::Borrowed(&text[written..])));
        }
    }
    (out, runs)
}

/// Byte ranges of the runs of `*`, `_` or `~` in `text`.
fn delimiter_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if matches!(bytes[at], b'*' | b'_' | b'~') {
            let start = at;
            while at < bytes.len() && bytes[at] == bytes[start] {
                at += 1;
            }
            runs.push((start, at));
        } else {
            at += 1;
        }
    }
    runs
}

/// What the run at `start..end` of `source` may do, or `None` when it never takes part.
fn classify(source: &str, start: usize, end: usize) -> Option<Run> {
    let written = &source[start..end];
    let delimiter = written.chars().next()?;
    let marker = Marker::of(written)?;
    let before = source[..start].chars().next_back();
    let after = source[end..].chars().next();
    if before == Some(delimiter) || after == Some(delimiter) || before == Some('\\') {
        return None;
    }
    let masked = delimiter == '*' && is_word(before) && is_word(after);
    let identifier = delimiter == '_' && (is_ascii_word(before) || is_ascii_word(after));
    if masked || identifier {
        return None;
    }
    let opener = Role {
        allowed: can_open(delimiter, han_as_space(before), after) && !ends_text(after),
        needs_han_reading: !can_open(delimiter, before, after),
    };
    let closer = Role {
        allowed: can_close(delimiter, before, han_as_space(after)) && !starts_text(before),
        needs_han_reading: !can_close(delimiter, before, after),
    };
    if !opener.allowed && !closer.allowed {
        return None;
    }
    Some(Run {
        index: 0,
        marker,
        delimiter,
        span: 0,
        opener,
        closer,
        after_punctuation: is_punctuation(before),
    })
}

/// CommonMark's rule for a run that may open emphasis.
fn can_open(delimiter: char, before: Option<char>, after: Option<char>) -> bool {
    let left = left_flanking(before, after);
    left && (delimiter != '_' || !right_flanking(before, after) || is_punctuation(before))
}

/// CommonMark's rule for a run that may close emphasis.
fn can_close(delimiter: char, before: Option<char>, after: Option<char>) -> bool {
    let right = right_flanking(before, after);
    right && (delimiter != '_' || !left_flanking(before, after) || is_punctuation(after))
}

fn left_flanking(before: Option<char>, after: Option<char>) -> bool {
    !is_space(after) && (!is_punctuation(after) || is_space(before) || is_punctuation(before))
}

fn right_flanking(before: Option<char>, after: Option<char>) -> bool {
    !is_space(before) && (!is_punctuation(before) || is_space(after) || is_punctuation(after))
}

/// The neighbour as the Chinese reading sees it: Han or full-width punctuation counts as a space.
fn han_as_space(c: Option<char>) -> Option<char> {
    c.filter(|&c| !(super::markdown::is_han(c) || is_full_width_punctuation(c)))
}

/// A line's start or end, or Unicode whitespace (the ideographic space included).
fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// ASCII punctuation, or any other character that is neither a letter, a digit nor a space
/// (CommonMark's Unicode punctuation and symbols, near enough).
fn is_punctuation(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
    })
}

/// A letter, a digit or a Han character.
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// An ASCII letter or digit: `_` next to one belongs to a name (`报告_2020_终稿.pdf`).
fn is_ascii_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// CJK symbols and punctuation (`、。《》「」【】`) and the full-width forms (`，：；！？（）`).
fn is_full_width_punctuation(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// Punctuation that ends or separates text: emphasis does not start before it.
fn ends_text(c: Option<char>) -> bool {
    c.is_some_and(|c| "，、。．：；！？）》〉」』】〕〗〙］｝”’…,.;:!?)]}".contains(c))
}

/// Punctuation that opens text: emphasis does not end after it.
fn starts_text(c: Option<char>) -> bool {
    c.is_some_and(|c| "（《〈「『【〔〖〘［｛“‘([{".contains(c))
}

/// The inline span each event lies in: a new one for every block and every inline tag.
#[derive(Default)]
struct SpanTracker {
    next: usize,
    open: Vec<usize>,
    in_code_block: bool,
}

impl SpanTracker {
    fn current(&self) -> usize {
        self.open.last().copied().unwrap_or(0)
    }

    fn see(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(tag) if is_inline(tag) => self.enter(),
            Event::End(tag) if is_inline_end(tag) => {
                self.open.pop();
            }
            Event::Start(tag) => {
                self.in_code_block = matches!(tag, Tag::CodeBlock(_));
                self.open.clear();
                self.enter();
            }
            Event::End(_) => {
                self.in_code_block = false;
                self.open.clear();
                self.enter();
            }
            _ => {}
        }
    }

    fn enter(&mut self) {
        self.next += 1;
        self.open.push(self.next);
    }
}

/// True for tags that open an inline span (emphasis, links, images…).
pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
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
pub(super) fn is_inline_end(tag: &TagEnd) -> bool {
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

/// Joins neighbouring text events that are verbatim, contiguous source (the parser emits an
/// unmatched `**` as two `*` events), so a run is found in one piece. Each event is compared with
/// the source once, so a long paragraph costs linear time.
fn merge_verbatim_text<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(events.len());
    let mut last_verbatim = false;
    for (event, range) in events {
        let verbatim =
            matches!(&event, Event::Text(t) if source.get(range.clone()) == Some(t.as_ref()));
        if verbatim
            && last_verbatim
            && let Some((last, last_range)) = out.last_mut()
            && last_range.end == range.start
        {
            last_range.end = range.end;
            *last = Event::Text(CowStr::Borrowed(&source[last_range.clone()]));
            continue;
        }
        last_verbatim = verbatim;
        out.push((event, range));
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser};

    fn repaired(markdown: &str) -> Vec<Event<'_>> {
        let events = Parser::new_ext(markdown, super::super::markdown::parser_options())
            .into_offset_iter()
            .collect();
        super::repair(events, markdown)
    }

    #[test]
    fn a_body_of_unmatched_runs_is_repaired_in_linear_time() {
        let hostile = "这是*“重点”__内容".repeat(50_000);
        let started = std::time::Instant::now();
        let events = repaired(&hostile);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(events.len() > 50_000);
    }
}
