//! Chinese emphasis. CommonMark decides whether `**` may open or close from the characters on
//! either side: in `这是**“重点”**内容` the first `**` cannot open (punctuation follows, a letter
//! precedes) and the second cannot close, so both stay literal; and in `**“甲”**和**“乙”**` the
//! middle runs pair with each other (`和` lets them), which bolds `和` instead of the quotes.
//! Chinese puts no spaces around emphasis, so gongshi reads the text once more, narrowly:
//!
//! - A Han character or full-width punctuation on a run's outer side counts as a space, for runs
//!   that are exactly a marker (`*`, `**`, `***`, `_`, `__`, `~~`), not escaped, whose inner
//!   neighbour is not whitespace.
//! - Only inline spans (a block's text, or a link's) where that reading changes what some run may
//!   do are paired again, with CommonMark's own algorithm and these rules; every other span keeps
//!   pulldown-cmark's events untouched, so Latin text follows CommonMark exactly.
//! - Masks stay text: a pair that needs the Chinese reading never uses a `*` run between letters,
//!   digits or Han (`王**等`, `于**年`); an opener never comes before closing or separating
//!   punctuation (`张**，`), a closer never after opening punctuation; `_` next to an ASCII letter
//!   or digit (`报告_2020_终稿.pdf`) gains nothing; and when only the opener needs the Chinese
//!   reading, the closer must follow punctuation (`张**（女）和李**（男）` stays as written).
//! - Text in code blocks and code spans is never touched.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// The events with emphasis, strong emphasis and strikethrough paired again, Chinese-aware, in the
/// spans where the Chinese reading changes anything.
pub(super) fn repair<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
) -> Vec<Event<'a>> {
    pair_again(events, source, false)
}

/// [`repair`], or with `every_span` every span paired again (to test the algorithm against
/// pulldown-cmark's).
fn pair_again<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
    every_span: bool,
) -> Vec<Event<'a>> {
    let (pieces, mut runs) = pieces(merge_verbatim_text(events, source), source);
    for run in &mut runs {
        run.classify(source);
    }
    let mut again = Vec::new();
    for run in &runs {
        if every_span || run.opener.needs_han_reading || run.closer.needs_han_reading {
            again.push(run.span);
        }
    }
    again.sort_unstable();
    again.dedup();
    pair(&mut runs, &again);
    let mut out = Vec::with_capacity(pieces.len());
    let mut runs: Vec<Option<Run<'a>>> = runs.into_iter().map(Some).collect();
    for piece in pieces {
        match piece {
            Piece::Event(event) => out.push(event),
            Piece::Run(index) => {
                let run = runs[index].take().expect("each run is one piece");
                if again.binary_search(&run.span).is_ok() {
                    run.write(source, &mut out);
                } else {
                    out.extend(run.original);
                }
            }
        }
    }
    out
}

/// An event, or a delimiter run (by index into the runs).
enum Piece<'a> {
    Event(Event<'a>),
    Run(usize),
}

/// A run of `*`, `_` or `~`: as pulldown-cmark left it (literal text, or the edges of emphasis it
/// paired), and as it is paired again.
struct Run<'a> {
    start: usize,
    len: usize,
    delimiter: char,
    span: usize,
    /// pulldown-cmark's events for it, written back when its span is not paired again.
    original: Vec<Event<'a>>,
    opener: Role,
    closer: Role,
    /// A `*` run between letters, digits or Han: a mask's shape (`王**等`).
    masked: bool,
    /// The character before it is punctuation.
    after_punctuation: bool,
    /// Delimiters not used yet.
    remaining: usize,
    /// Delimiters used by each pair it opens (innermost first) and closes (innermost first).
    opens: Vec<usize>,
    closes: Vec<usize>,
}

/// Whether a run may open (or close), and whether only the Chinese reading allows it.
#[derive(Clone, Copy, Debug, Default)]
struct Role {
    allowed: bool,
    needs_han_reading: bool,
}

impl<'a> Run<'a> {
    fn new(start: usize, len: usize, delimiter: char, span: usize, original: Event<'a>) -> Self {
        Run {
            start,
            len,
            delimiter,
            span,
            original: vec![original],
            opener: Role::default(),
            closer: Role::default(),
            masked: false,
            after_punctuation: false,
            remaining: len,
            opens: Vec::new(),
            closes: Vec::new(),
        }
    }

    /// Works out what the run may do, by CommonMark's rules and by the Chinese reading.
    fn classify(&mut self, source: &str) {
        let before = source[..self.start].chars().next_back();
        let after = source[self.start + self.len..].chars().next();
        let delimiter = self.delimiter;
        let strict_open = can_open(delimiter, before, after);
        let strict_close = can_close(delimiter, before, after);
        let marker = matches!(
            (delimiter, self.len),
            ('*', 1..=3) | ('_', 1..=2) | ('~', 2)
        );
        let eligible = marker
            && before != Some('\\')
            && !(delimiter == '_' && (is_ascii_word(before) || is_ascii_word(after)));
        let han_open =
            eligible && can_open(delimiter, han_as_space(before), after) && !ends_text(after);
        let han_close =
            eligible && can_close(delimiter, before, han_as_space(after)) && !starts_text(before);
        self.opener = Role {
            allowed: strict_open || han_open,
            needs_han_reading: !strict_open && han_open,
        };
        self.closer = Role {
            allowed: strict_close || han_close,
            needs_han_reading: !strict_close && han_close,
        };
        self.masked = delimiter == '*' && is_word(before) && is_word(after);
        self.after_punctuation = is_punctuation(before);
    }

    /// True when this run may close emphasis opened by `opener`.
    fn closes_opener(&self, opener: &Run<'_>) -> bool {
        let han = opener.opener.needs_han_reading || self.closer.needs_han_reading;
        let multiple_of_three = (opener.opener.allowed && opener.closer.allowed
            || self.opener.allowed && self.closer.allowed)
            && (opener.len + self.len).is_multiple_of(3)
            && !(opener.len.is_multiple_of(3) && self.len.is_multiple_of(3));
        opener.span == self.span
            && opener.delimiter == self.delimiter
            && opener.opener.allowed
            && opener.remaining > 0
            && if self.delimiter == '~' {
                opener.len == self.len && self.len <= 2
            } else {
                !multiple_of_three
            }
            && !(han && (opener.masked || self.masked))
            && (self.closer.needs_han_reading
                || !opener.opener.needs_han_reading
                || self.after_punctuation)
    }

    /// Writes the run: the end tags it closes, what is left of it as text, the tags it opens.
    fn write(self, source: &'a str, out: &mut Vec<Event<'a>>) {
        for &used in &self.closes {
            out.push(Event::End(self.tag(used).to_end()));
        }
        let closed: usize = self.closes.iter().sum();
        let opened: usize = self.opens.iter().sum();
        let text = &source[self.start + closed..self.start + self.len - opened];
        if !text.is_empty() {
            out.push(Event::Text(CowStr::Borrowed(text)));
        }
        for &used in self.opens.iter().rev() {
            out.push(Event::Start(self.tag(used)));
        }
    }

    fn tag(&self, used: usize) -> Tag<'static> {
        match (self.delimiter, used) {
            ('~', _) => Tag::Strikethrough,
            (_, 1) => Tag::Emphasis,
            _ => Tag::Strong,
        }
    }
}

/// How far back a closer looks for its opener, so a hostile body of unmatched runs costs linear
/// time; real paragraphs never have this many runs open.
const MAX_OPENERS_SEARCHED: usize = 64;

/// CommonMark's emphasis algorithm over the runs of the spans in `again` (sorted): each closer
/// takes the nearest opener it may close, strong first, and runs in between are left as text.
fn pair(runs: &mut [Run<'_>], again: &[usize]) {
    for closer in 0..runs.len() {
        if again.binary_search(&runs[closer].span).is_err() {
            continue;
        }
        while runs[closer].remaining > 0 && runs[closer].closer.allowed {
            let bottom = closer.saturating_sub(MAX_OPENERS_SEARCHED);
            let Some(opener) = (bottom..closer)
                .rev()
                .find(|&opener| runs[closer].closes_opener(&runs[opener]))
            else {
                break;
            };
            let used = match runs[closer].delimiter {
                '~' => runs[closer].len,
                _ if runs[opener].remaining >= 2 && runs[closer].remaining >= 2 => 2,
                _ => 1,
            };
            runs[opener].remaining -= used;
            runs[opener].opens.push(used);
            runs[closer].remaining -= used;
            runs[closer].closes.push(used);
            for between in &mut runs[opener + 1..closer] {
                between.opener.allowed = false;
            }
        }
    }
}

/// Splits the events into pieces: emphasis edges and runs of `*`, `_`, `~` in verbatim text become
/// runs (neighbouring ones of one delimiter joined), everything else stays an event.
fn pieces<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    source: &'a str,
) -> (Vec<Piece<'a>>, Vec<Run<'a>>) {
    let mut pieces = Vec::with_capacity(events.len());
    let mut runs: Vec<Run<'a>> = Vec::new();
    let mut spans = SpanTracker::default();
    let mut add_run = |pieces: &mut Vec<Piece<'a>>,
                       start: usize,
                       len: usize,
                       span: usize,
                       original: Event<'a>| {
        let delimiter = source[start..].chars().next().unwrap_or('*');
        if let Some(Piece::Run(last)) = pieces.last()
            && let Some(run) = runs.get_mut(*last)
            && run.delimiter == delimiter
            && run.span == span
            && run.start + run.len == start
        {
            run.len += len;
            run.remaining += len;
            run.original.push(original);
            return;
        }
        pieces.push(Piece::Run(runs.len()));
        runs.push(Run::new(start, len, delimiter, span, original));
    };
    for (event, range) in events {
        if let Some((start, len)) = emphasis_edge(&event, &range, source) {
            add_run(&mut pieces, start, len, spans.current(), event);
            continue;
        }
        spans.see(&event);
        let verbatim =
            matches!(&event, Event::Text(text) if source.get(range.clone()) == Some(text.as_ref()));
        if !verbatim || spans.in_code_block {
            pieces.push(Piece::Event(event));
            continue;
        }
        let text = &source[range.clone()];
        let mut written = 0;
        for (mut start, end) in delimiter_runs(text) {
            if source[..range.start + start].ends_with('\\') {
                start += 1;
            }
            if start == end {
                continue;
            }
            if start > written {
                pieces.push(Piece::Event(Event::Text(CowStr::Borrowed(
                    &text[written..start],
                ))));
            }
            let original = Event::Text(CowStr::Borrowed(&text[start..end]));
            add_run(
                &mut pieces,
                range.start + start,
                end - start,
                spans.current(),
                original,
            );
            written = end;
        }
        if written < text.len() {
            pieces.push(Piece::Event(Event::Text(CowStr::Borrowed(
                &text[written..],
            ))));
        }
    }
    (pieces, runs)
}

/// Where the delimiters of an emphasis, strong or strikethrough edge lie in the source.
fn emphasis_edge(event: &Event<'_>, range: &Range<usize>, source: &str) -> Option<(usize, usize)> {
    let tildes = |text: &str| text.len() - text.trim_start_matches('~').len();
    match event {
        Event::Start(Tag::Emphasis) => Some((range.start, 1)),
        Event::End(TagEnd::Emphasis) => Some((range.end - 1, 1)),
        Event::Start(Tag::Strong) => Some((range.start, 2)),
        Event::End(TagEnd::Strong) => Some((range.end - 2, 2)),
        Event::Start(Tag::Strikethrough) => {
            Some((range.start, tildes(&source[range.start..]).min(2)))
        }
        Event::End(TagEnd::Strikethrough) => {
            let len = source[..range.end].len() - source[..range.end].trim_end_matches('~').len();
            Some((range.end - len.min(2), len.min(2)))
        }
        _ => None,
    }
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

/// The inline span each event lies in: a new one for every block, link and image. Emphasis does
/// not make one: it is what gets paired again.
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
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.enter(),
            Event::End(TagEnd::Link | TagEnd::Image) => {
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
    use pulldown_cmark::{Event, Parser, html};

    fn repaired(markdown: &str) -> Vec<Event<'_>> {
        let events = Parser::new_ext(markdown, super::super::markdown::parser_options())
            .into_offset_iter()
            .collect();
        super::repair(events, markdown)
    }

    /// Pairing every span again gives pulldown-cmark's own result on every CommonMark and GFM
    /// spec example: the algorithm is CommonMark's, the Chinese reading aside.
    #[test]
    fn pairing_again_agrees_with_pulldown_cmark_on_the_spec() {
        #[derive(serde::Deserialize)]
        struct Example {
            markdown: String,
        }
        let mut examples: Vec<Example> = Vec::new();
        for file in ["commonmark-0.31.2.json", "gfm-extensions.json"] {
            let path = format!(
                "{}/tests/fixtures/markdown-spec/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            examples.extend(
                serde_json::from_str::<Vec<Example>>(&std::fs::read_to_string(path).unwrap())
                    .unwrap(),
            );
        }
        let mut differing = Vec::new();
        for example in &examples {
            let markdown = example.markdown.as_str();
            let parse = || {
                Parser::new_ext(markdown, super::super::markdown::parser_options())
                    .into_offset_iter()
                    .collect::<Vec<_>>()
            };
            let mut expected = String::new();
            html::push_html(&mut expected, parse().into_iter().map(|(event, _)| event));
            let mut again = String::new();
            html::push_html(
                &mut again,
                super::pair_again(parse(), markdown, true).into_iter(),
            );
            if again != expected {
                differing.push(markdown);
            }
        }
        assert!(examples.len() > 660);
        assert!(differing.is_empty(), "{differing:#?}");
    }

    #[test]
    fn a_body_of_unmatched_runs_is_repaired_in_linear_time() {
        // Four times the input may take about four times as long, not sixteen: compared as a
        // ratio of the fastest of three runs each, so a loaded machine slows both sides alike.
        let fastest = |copies: usize| {
            let hostile = "这是*“重点”__内容".repeat(copies);
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    let events = repaired(&hostile);
                    assert!(events.len() > copies);
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        let (small, large) = (fastest(10_000), fastest(40_000));
        assert!(
            large < small * 10,
            "4x the input took {:.1}x as long ({small:?} -> {large:?})",
            large.as_secs_f64() / small.as_secs_f64()
        );
    }
}
