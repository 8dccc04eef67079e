//! Markdown → HTML tuned for Chinese: emphasis next to full-width punctuation (`cjk_emphasis`),
//! no stray spaces between Han characters and outline items on their own lines (`line_breaks`),
//! heading ids for Chinese headings, numbered footnotes, a table of contents.

use super::body_text::BodyText;
use super::cjk_emphasis;
use super::line_breaks::chinese_line_breaks;
use crate::config::RawHtml;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// Chinese characters read per minute, and other words per minute, for reading time.
const HAN_PER_MINUTE: usize = 400;
const WORDS_PER_MINUTE: usize = 200;

/// The summary marker editors put after the lead paragraph.
const MORE_MARKER: &str = "<!-- more -->";

/// One heading in the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`…
    pub level: u8,
    /// The heading's `id`, to link to.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A report body rendered to HTML, with what templates need besides the HTML.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RenderedBody {
    /// The body as HTML.
    pub html: BodyText,
    /// The lead as plain text, for descriptions and lists.
    pub summary_text: String,
    /// Headings in order.
    pub toc: Vec<TocEntry>,
    /// Han characters plus other words, for reading time.
    pub length: TextLength,
    /// The body as plain text, for the search index.
    pub text: BodyText,
    /// Links and images as written, with the body line they are on, for `gongshi check`.
    pub links: Vec<LinkRef>,
}

/// A link or image target written in a report body.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The target as written (`../2020/a.md#二`, `/images/x.png`).
    pub target: String,
    /// 1-based line within the body.
    pub line: usize,
    /// True for `![…](…)`.
    pub image: bool,
    /// For an image: true when its brackets hold no text (no alt text for screen readers).
    pub no_alt: bool,
}

/// How much text there is, counted the way readers read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextLength {
    /// Han characters.
    pub han_chars: usize,
    /// Words in other scripts.
    pub words: usize,
}

impl TextLength {
    /// Minutes to read, at least one.
    pub fn reading_minutes(&self) -> usize {
        let minutes = self.han_chars as f64 / HAN_PER_MINUTE as f64
            + self.words as f64 / WORDS_PER_MINUTE as f64;
        (minutes.ceil() as usize).max(1)
    }

    fn count(&mut self, text: &str) {
        let mut in_word = false;
        for c in text.chars() {
            if is_han(c) {
                self.han_chars += 1;
                in_word = false;
            } else if is_word_char(c) {
                if !in_word {
                    self.words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }
}

/// The pulldown-cmark extensions gongshi parses with: GFM tables, footnotes, strikethrough, task
/// lists, and `{#id .class}` after a heading.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a report body; `resolve` maps a link to another report's `.md` file, or a link or
/// image at a site-absolute path (`/files/x.pdf`), to its URL (the site's base path prefixed).
/// When sanitizing, `<iframe>`s survive only with an `https://` address on one of
/// `iframe_hosts` (site.yaml `markdown.iframe_hosts`).
pub fn render(
    markdown: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    raw_html: RawHtml,
    iframe_hosts: &[String],
) -> RenderedBody {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .collect();
    let links = link_refs(&events, markdown);
    let events = chinese_line_breaks(cjk_emphasis::repair(events, markdown));
    let events = resolve_report_links(events, resolve);
    let mut length = TextLength::default();
    for event in &events {
        if let Event::Text(text) | Event::Code(text) = event {
            length.count(text);
        }
    }
    let (events, toc) = assign_heading_ids(events);
    let summary_text = shortened(plain_text(&lead_events(&events)), MAX_SUMMARY_CHARS);
    let text = searchable_text(&events, raw_html);
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.trim() != MORE_MARKER));
    // The sanitiser's HTML parser takes time quadratic in nesting depth (40,000 nested `<ul><li>`
    // took 19 s): raw HTML nested deeper than any real document is shown as text instead.
    let raw_html = if raw_html == RawHtml::Sanitize && raw_html_depth(&events) > MAX_RAW_HTML_DEPTH
    {
        RawHtml::Escape
    } else {
        raw_html
    };
    let events = apply_raw_html_policy(events, raw_html);
    let mut html = to_html(footnotes_to_html(events, "fn-"));
    if raw_html == RawHtml::Sanitize && has_raw_html {
        html = sanitize(&html, iframe_hosts);
    }
    RenderedBody {
        html: exact_size(html).into(),
        summary_text,
        toc,
        length,
        text: text.into(),
        links,
    }
}

/// Raw HTML nested deeper than this is escaped rather than sanitised.
const MAX_RAW_HTML_DEPTH: usize = 256;

/// The deepest nesting the raw HTML of a body reaches, counting start tags up and end tags
/// down (an estimate: void elements such as `<br>` count up too, which only errs high).
fn raw_html_depth(events: &[Event<'_>]) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for event in events {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        let bytes = html.as_bytes();
        for (at, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b'<') {
            match bytes.get(at + 1) {
                Some(b'/') => depth = depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                _ => {}
            }
        }
    }
    deepest
}

/// Drops the `<!-- more -->` marker, neutralises script URLs in Markdown links and images (in
/// every mode), and in `Escape` mode turns raw HTML into text.
fn apply_raw_html_policy(events: Vec<Event<'_>>, raw_html: RawHtml) -> Vec<Event<'_>> {
    events
        .into_iter()
        .filter(|e| !matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER))
        .map(|event| match (raw_html, event) {
            (RawHtml::Escape, Event::Html(h) | Event::InlineHtml(h)) => Event::Text(h),
            (_, Event::Start(tag)) => Event::Start(without_script_url(tag)),
            (_, event) => event,
        })
        .collect()
}

/// A link or image whose URL would run a script gets `#` instead.
fn without_script_url(tag: Tag<'_>) -> Tag<'_> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } if is_script_url(&dest_url) => Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } if is_script_url(&dest_url) => Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        },
        other => other,
    }
}

/// True for `javascript:`, `vbscript:` and non-image `data:` URLs (spaces and case ignored, as
/// browsers do).
pub fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || (squeezed.starts_with("data:") && !squeezed.starts_with("data:image/"))
}

/// Cleans rendered HTML with ammonia, keeping everything Markdown itself writes (heading and
/// footnote ids, classes, task-list checkboxes, table column alignment, links as they are) and the
/// usual formatting, tables, images and links of raw HTML. Iframes are kept only when
/// `iframe_hosts` lists their host.
fn sanitize(html: &str, iframe_hosts: &[String]) -> String {
    static CLEANER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    if iframe_hosts.is_empty() {
        return CLEANER
            .get_or_init(|| cleaner(Vec::new()))
            .clean(html)
            .to_string();
    }
    cleaner(iframe_hosts.to_vec()).clean(html).to_string()
}

/// The sanitizer: `style` only as a table cell's `text-align`, iframes only from `iframe_hosts`.
/// No `rel` is added to links: `target` is removed, so a link cannot reach back to its opener.
fn cleaner(iframe_hosts: Vec<String>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags([
            "input",
            "section",
            "del",
            "s",
            "mark",
            "figure",
            "figcaption",
        ])
        .add_generic_attributes(["id", "class", "aria-label", "role", "align"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["colspan", "rowspan", "style"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope", "style"])
        .link_rel(None);
    if !iframe_hosts.is_empty() {
        builder
            .add_tags(["iframe"])
            .add_tag_attributes(
                "iframe",
                [
                    "src",
                    "width",
                    "height",
                    "title",
                    "allowfullscreen",
                    "loading",
                ],
            )
            .set_tag_attribute_value(
                "iframe",
                "sandbox",
                "allow-scripts allow-same-origin allow-presentation allow-popups",
            );
    }
    builder.attribute_filter(move |element, attribute, value| {
        let keep = match (element, attribute) {
            (_, "style") => is_text_align(value),
            ("iframe", "src") => is_listed_https(value, &iframe_hosts),
            _ => true,
        };
        keep.then(|| value.into())
    });
    builder
}

/// True for the styles Markdown tables write: `text-align: left`, `right` or `center`.
fn is_text_align(style: &str) -> bool {
    let squeezed: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        squeezed.trim_end_matches(';'),
        "text-align:left" | "text-align:right" | "text-align:center"
    )
}

/// True when `url` is `https://` on one of `hosts` or a subdomain of one.
fn is_listed_https(url: &str, hosts: &[String]) -> bool {
    let Some(rest) = url.trim().strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return false;
    }
    let host = authority
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    hosts.iter().any(|allowed| {
        let allowed = allowed.to_ascii_lowercase();
        host == allowed || host.ends_with(&format!(".{allowed}"))
    })
}

/// Every link and image target with its line. The line ends are found once and each link's line
/// looked up by binary search, so a body with many links stays fast.
fn link_refs(events: &[(Event<'_>, Range<usize>)], source: &str) -> Vec<LinkRef> {
    let mut line_ends: Option<Vec<usize>> = None;
    let mut links = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        let (target, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        let ends = line_ends.get_or_insert_with(|| {
            source
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(at, _)| at)
                .collect()
        });
        let line = ends.partition_point(|&end| end < range.start) + 1;
        // An image's alt text is the text up to its end (images do not nest, so this stays linear).
        let no_alt = image
            && events[index + 1..]
                .iter()
                .map(|(event, _)| event)
                .take_while(|event| !matches!(event, Event::End(TagEnd::Image)))
                .all(|event| !matches!(event, Event::Text(t) | Event::Code(t) if !t.trim().is_empty()));
        links.push(LinkRef {
            target: target.to_string(),
            line,
            image,
            no_alt,
        });
    }
    links
}

/// `text` in an allocation of exactly its length: a body's HTML stays in memory until its page is
/// rendered, and grown by doubling it leaves up to half its capacity unused (0.2 GB at 100k
/// reports). A copy, since `shrink_to_fit` keeps the block when mimalloc finds it half used.
pub(crate) fn exact_size(text: String) -> String {
    if text.capacity() == text.len() {
        text
    } else {
        text.as_str().to_owned()
    }
}

fn to_html(events: Vec<Event<'_>>) -> String {
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// True for Han characters (CJK ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// True for letters and digits (`char::is_alphanumeric`); Chinese punctuation (the commonest
/// non-Han characters in a report) is answered without the Unicode tables.
pub fn is_word_char(c: char) -> bool {
    let punctuation = matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}');
    !punctuation && c.is_alphanumeric()
}

/// Rewrites links to `.md` files (`../2020/a.md#二`) to the linked report's URL.
fn resolve_report_links<'a>(
    mut events: Vec<Event<'a>>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Vec<Event<'a>> {
    for event in &mut events {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        if dest_url.contains("://") || dest_url.starts_with("mailto:") {
            continue;
        }
        let (file, anchor) = match dest_url.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor)),
            None => (dest_url.as_ref(), None),
        };
        let resolved = if file.to_ascii_lowercase().ends_with(".md") {
            let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
            resolve(&decoded).map(|url| match anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url,
            })
        } else if dest_url.starts_with('/') && !dest_url.starts_with("//") {
            resolve(dest_url)
        } else {
            None
        };
        if let Some(url) = resolved {
            *dest_url = CowStr::from(url);
        }
    }
    events
}

/// Ids the theme's page around a body uses, and the footnote prefix: a heading never takes them,
/// so `{#main}` or `{#fn-1}` cannot break the skip link or a footnote's back-link.
const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "content",
    "elderly-toggle",
    "toc",
    "toc-title",
    "kw",
    "related-title",
    "hot-title",
    "hot-reports",
    "popular-title",
    "search-q",
    "search-form",
    "site-search",
];

/// Gives every heading an id (kept if written `{#id}`, reduced to letters, digits, `-` and `_`),
/// unique in the page, and lists them. Other heading attributes (`{onfocus=…}`, `{style=…}`) are
/// dropped and classes are kept only when they are plain names: Markdown syntax never writes an
/// event handler or a style, whatever the raw-HTML setting.
fn assign_heading_ids(mut events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<TocEntry>) {
    let mut toc = Vec::new();
    let mut taken: std::collections::HashSet<String> =
        RESERVED_IDS.iter().map(|id| id.to_string()).collect();
    let mut suffixes: BTreeMap<String, usize> = BTreeMap::new();
    for index in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[index] else {
            continue;
        };
        let level = *level;
        let title = heading_text(&events[index + 1..]);
        let written = id
            .as_deref()
            .map(|id| {
                id.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>()
            })
            .filter(|id| !id.is_empty());
        let mut base = written.unwrap_or_else(|| heading_slug(&title));
        if base.starts_with("fn-") {
            base.insert_str(0, "h-");
        }
        let unique = if taken.insert(base.clone()) {
            base
        } else {
            // `a`, `a-2`, `a-3`…, skipping ids taken since (a heading written `{#a-2}`).
            let suffix = suffixes.entry(base.clone()).or_insert(1);
            loop {
                *suffix += 1;
                let candidate = format!("{base}-{suffix}");
                if taken.insert(candidate.clone()) {
                    break candidate;
                }
            }
        };
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &mut events[index]
        {
            *id = Some(CowStr::from(unique.clone()));
            attrs.clear();
            classes.retain(|class| {
                !class.is_empty()
                    && class
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        }
        toc.push(TocEntry {
            level: heading_number(level),
            id: unique,
            title,
        });
    }
    (events, toc)
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// An id for a heading: letters (Han included) and digits kept, spaces to `-`, punctuation dropped.
pub fn heading_slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// The summary: everything before `<!-- more -->`, else the first paragraph.
fn lead_events<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let is_marker = |e: &Event<'_>| matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER);
    if let Some(marker) = events.iter().position(is_marker) {
        let mut lead: Vec<Event<'a>> = events[..marker].to_vec();
        close_open_tags(&mut lead);
        return lead;
    }
    let paragraph_after = |from: usize| -> Option<(usize, usize)> {
        let start = from
            + events[from..]
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
        let end = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            .map_or(events.len(), |offset| start + offset + 1);
        Some((start, end))
    };
    let Some((mut start, mut end)) = paragraph_after(0) else {
        return Vec::new();
    };
    // A speech opens with its salutation (主任、各位副主任、各位委员：): the lead is what follows.
    if is_salutation(&plain_text(&events[start..end]))
        && let Some(next) = paragraph_after(end)
    {
        (start, end) = next;
    }
    events[start..end].to_vec()
}

/// True for a short line of forms of address that ends with a colon (各位代表：), as a speech's
/// salutation does; a sentence that introduces a list (…意见如下：) has a comma and is not one.
fn is_salutation(text: &str) -> bool {
    let text = text.trim();
    (text.ends_with('：') || text.ends_with(':'))
        && text.chars().count() <= 30
        && !text.contains(['，', ',', '。', '；', ';', '！', '？'])
}

/// A summary taken from the body is cut to this many characters (a first paragraph may be a
/// whole exported document on one line, or base64 data), so cards, feeds and open data stay small.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// `text` cut to `max` characters, with `…` when something was cut.
fn shortened(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    }
}

/// Closes tags left open when the lead was cut inside a block (a marker inside a list, say).
fn close_open_tags(events: &mut Vec<Event<'_>>) {
    let mut open: Vec<TagEnd> = Vec::new();
    for event in events.iter() {
        match event {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    while let Some(end) = open.pop() {
        events.push(Event::End(end));
    }
}

/// The Markdown text of `events` without raw HTML, spaces collapsed (summaries, salutations).
fn plain_text(events: &[Event<'_>]) -> String {
    text_of(events, None)
}

/// The text a reader sees in a body, for the search index: [`plain_text`] plus the text of raw
/// HTML blocks and inline HTML (tables and captions written as HTML), or with `Escape` the HTML
/// as written, since that is what the page shows.
fn searchable_text(events: &[Event<'_>], raw_html: RawHtml) -> String {
    text_of(events, Some(raw_html))
}

/// The text of `events`, spaces collapsed; raw HTML read as `raw_html` shows it, or skipped.
fn text_of(events: &[Event<'_>], raw_html: Option<RawHtml>) -> String {
    let mut text = String::new();
    let mut hidden_until = None;
    for event in events {
        match (event, raw_html) {
            (Event::Html(h) | Event::InlineHtml(h), _) if h.trim() == MORE_MARKER => {}
            (Event::Html(h) | Event::InlineHtml(h), Some(RawHtml::Escape)) => text.push_str(h),
            (Event::Html(h) | Event::InlineHtml(h), Some(_)) => {
                html_text(h, &mut hidden_until, &mut text)
            }
            // Inline `<script>…</script>`: the text between the tags is not shown.
            (Event::Text(_) | Event::Code(_), _) if hidden_until.is_some() => {}
            (Event::Text(t) | Event::Code(t), _) => text.push_str(t),
            (Event::SoftBreak | Event::HardBreak, _) => text.push(' '),
            // A table's cells and a code block's end are word breaks too: `| a | b |` is shown
            // as two cells, not as the one word `ab`.
            (
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::TableRow
                    | TagEnd::TableHead
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::FootnoteDefinition,
                ),
                _,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends the text of an HTML fragment: tags dropped (block tags become a space, inline ones
/// nothing, so `<b>发改</b>委` stays one word), `<script>`/`<style>` contents and comments left out,
/// common character references decoded. `hidden_until` carries an open `<script>` or `<style>`
/// from one fragment to the next.
fn html_text(html: &str, hidden_until: &mut Option<&'static str>, text: &mut String) {
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(end) = *hidden_until {
            match rest.to_ascii_lowercase().find(end) {
                Some(at) => {
                    rest = &rest[at..];
                    *hidden_until = None;
                }
                None => return,
            }
        }
        let open = rest.find('<').unwrap_or(rest.len());
        push_decoded(&rest[..open], text);
        rest = &rest[open..];
        if rest.is_empty() {
            break;
        }
        let close = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |at| at + 3)
        } else {
            rest.find('>').map_or(rest.len(), |at| at + 1)
        };
        let name: String = rest[1..close]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !rest.starts_with("</") {
            match name.as_str() {
                "script" => *hidden_until = Some("</script"),
                "style" => *hidden_until = Some("</style"),
                _ => {}
            }
        }
        if BLOCK.contains(&name.as_str()) {
            text.push(' ');
        }
        rest = &rest[close..];
    }
}

/// Appends HTML text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;` and numeric
/// references decoded; other references are kept as written.
fn push_decoded(html: &str, text: &mut String) {
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| match &rest[1..end] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            "#39" => Some('\''),
            number => number
                .strip_prefix("#x")
                .or_else(|| number.strip_prefix("#X"))
                .map_or_else(
                    || number.strip_prefix('#').and_then(|n| n.parse().ok()),
                    |hex| u32::from_str_radix(hex, 16).ok(),
                )
                .and_then(char::from_u32),
        });
        match (decoded, end) {
            (Some(c), Some(end)) => {
                text.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
}

/// Replaces footnote events with HTML: references become numbered links and the definitions
/// move to an end-notes list. Ids start with `prefix` so they never clash with heading ids.
fn footnotes_to_html<'a>(events: Vec<Event<'a>>, prefix: &str) -> Vec<Event<'a>> {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut definitions: BTreeMap<String, Vec<Event<'a>>> = BTreeMap::new();
    let mut definition_order: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let name = name.to_string();
                definition_order.push(name.clone());
                current = Some(name);
            }
            Event::End(TagEnd::FootnoteDefinition) => current = None,
            event if current.is_some() => {
                let name = current.as_ref().expect("checked");
                definitions.entry(name.clone()).or_default().push(event);
            }
            Event::FootnoteReference(name) => {
                let name = name.to_string();
                let first = !numbers.contains_key(&name);
                let next = numbers.len() + 1;
                let number = *numbers.entry(name.clone()).or_insert(next);
                if first {
                    order.push(name.clone());
                }
                let back = if first {
                    format!(" id=\"{prefix}ref-{number}\"")
                } else {
                    String::new()
                };
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{prefix}{number}\"{back}>{number}</a></sup>"
                ))));
            }
            other => out.push(other),
        }
    }
    for name in definition_order {
        if !numbers.contains_key(&name) {
            order.push(name);
        }
    }
    // A note's id is its number (its place in `order`), so two names never share an id.
    let notes: Vec<(usize, String)> = order
        .into_iter()
        .enumerate()
        .map(|(index, name)| (index + 1, name))
        .filter(|(_, name)| definitions.contains_key(name))
        .collect();
    if notes.is_empty() {
        return out;
    }
    out.push(Event::Html(CowStr::Borrowed(
        "<section class=\"footnotes\" role=\"doc-endnotes\"><ol>",
    )));
    for (number, name) in notes {
        out.push(Event::Html(CowStr::from(format!(
            "<li id=\"{prefix}{number}\">"
        ))));
        out.extend(definitions.remove(&name).unwrap_or_default());
        if numbers.contains_key(&name) {
            out.push(Event::Html(CowStr::from(format!(
                "<a class=\"footnote-back\" href=\"#{prefix}ref-{number}\" aria-label=\"返回正文\">↩</a>"
            ))));
        }
        out.push(Event::Html(CowStr::Borrowed("</li>")));
    }
    out.push(Event::Html(CowStr::Borrowed("</ol></section>")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_chars_agree_with_unicode_everywhere_the_fast_path_answers() {
        for c in ('\u{2000}'..='\u{3100}').chain('\u{FF00}'..='\u{FF70}') {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    fn render(markdown: &str) -> RenderedBody {
        super::render(markdown, &|_| None, RawHtml::Sanitize, &[])
    }

    #[test]
    fn empty_markdown_renders_the_empty_body() {
        // render_bodies skips empty Markdown, relying on this.
        let body = render("");
        let empty = RenderedBody::default();
        assert_eq!(
            (
                body.html.to_string(),
                body.summary_text,
                body.toc,
                body.length,
                body.text.to_string(),
                body.links
            ),
            (
                empty.html.to_string(),
                empty.summary_text,
                empty.toc,
                empty.length,
                empty.text.to_string(),
                empty.links
            )
        );
    }

    #[test]
    fn raw_html_policies_table() {
        let input = "正文<script>alert(1)</script><b onclick=\"x()\">粗</b>\n\n<table><tr><td>单元格</td></tr></table>\n\n<iframe src=\"https://x\"></iframe>\n\n[链接](javascript:alert(1)) [二](JaVaScRiPt:x)";
        let sanitized = super::render(input, &|_| None, RawHtml::Sanitize, &[]).html;
        for gone in ["<script", "onclick", "<iframe", "javascript:"] {
            assert!(!sanitized.contains(gone), "{gone} in {sanitized}");
        }
        assert!(
            sanitized.contains("<b>粗</b>") && sanitized.contains("<td>单元格</td>"),
            "{sanitized}"
        );
        let allowed = super::render(input, &|_| None, RawHtml::Allow, &[]).html;
        assert!(allowed.contains("<script>alert(1)</script>"));
        let escaped = super::render(input, &|_| None, RawHtml::Escape, &[]).html;
        assert!(
            escaped.contains("&lt;script&gt;") && !escaped.contains("<table>"),
            "{escaped}"
        );
    }

    #[test]
    fn searchable_text_has_the_visible_text_of_raw_html() {
        let input = "表一如下。\n\n<table><caption>排水管网改造</caption><tr><td>城东</td><td>3&amp;4 公里</td></tr></table>\n\n正文<b>发改</b>委<script>var 隐藏 = 1;</script>说明&#x4E00;<!-- 注释 -->";
        let cases = [
            (
                RawHtml::Sanitize,
                "表一如下。 排水管网改造 城东 3&4 公里 正文发改委说明一",
            ),
            (
                RawHtml::Allow,
                "表一如下。 排水管网改造 城东 3&4 公里 正文发改委说明一",
            ),
        ];
        for (raw_html, expected) in cases {
            let body = super::render(input, &|_| None, raw_html, &[]);
            assert_eq!(&*body.text, expected, "{raw_html:?}");
            assert!(!body.summary_text.contains("排水"), "{}", body.summary_text);
        }
        let escaped = super::render(input, &|_| None, RawHtml::Escape, &[]);
        assert!(escaped.text.contains("<caption>排水管网改造</caption>"));
    }

    #[test]
    fn searchable_text_keeps_markdown_table_cells_apart() {
        let input = "| 旧配置 | 新配置 |\n|---|---|\n| com.alipay.disableConfiguration | sofa.boot.disableConfiguration |\n\n```\nrun\n```\n后文";
        let body = super::render(input, &|_| None, RawHtml::Sanitize, &[]);
        assert_eq!(
            &*body.text,
            "旧配置 新配置 com.alipay.disableConfiguration sofa.boot.disableConfiguration run 后文"
        );
    }

    #[test]
    fn iframes_survive_only_from_listed_https_hosts() {
        let hosts = ["player.example.cn".to_string()];
        let cases = [
            ("https://player.example.cn/v/1", true),
            ("https://www.player.example.cn/v/1", true),
            ("http://player.example.cn/v/1", false),
            ("https://player.example.cn.evil.com/v", false),
            ("https://player.example.cn@evil.com/v", false),
            ("javascript:alert(1)", false),
        ];
        for (src, kept) in cases {
            let input = format!("<iframe src=\"{src}\" onload=\"x()\"></iframe>\n");
            let html = super::render(&input, &|_| None, RawHtml::Sanitize, &hosts).html;
            assert_eq!(
                html.contains(&format!("src=\"{src}\"")),
                kept,
                "{src}: {html}"
            );
            assert!(!html.contains("onload"), "{html}");
            if kept {
                assert!(html.contains("sandbox="), "{html}");
            }
        }
        let unlisted = super::render(
            "<iframe src=\"https://player.example.cn/v\"></iframe>\n",
            &|_| None,
            RawHtml::Sanitize,
            &[],
        );
        assert!(!unlisted.html.contains("iframe"), "{}", unlisted.html);
    }

    #[test]
    fn sanitizing_keeps_what_gongshi_writes() {
        let body = super::render(
            "## 一、标题\n\n- [x] 完成\n\n正文[^1]<br>\n\n[^1]: 注释",
            &|_| None,
            RawHtml::Sanitize,
            &[],
        );
        assert!(body.html.contains("<h2 id=\"一标题\">"), "{}", body.html);
        assert!(body.html.contains("type=\"checkbox\""), "{}", body.html);
        assert!(body.html.contains("id=\"fn-1\""), "{}", body.html);
        assert!(!body.html.contains("more"));
    }

    #[test]
    fn links_and_images_are_listed_with_their_lines() {
        let body = render("第一行\n\n见[甲](a.md)和\n![图](/img/x.png)\n\n![ ](b.png)");
        assert_eq!(
            body.links,
            [
                LinkRef {
                    target: "a.md".into(),
                    line: 3,
                    image: false,
                    no_alt: false,
                },
                LinkRef {
                    target: "/img/x.png".into(),
                    line: 4,
                    image: true,
                    no_alt: false,
                },
                LinkRef {
                    target: "b.png".into(),
                    line: 6,
                    image: true,
                    no_alt: true,
                },
            ]
        );
    }

    #[test]
    fn links_to_report_files_become_their_urls() {
        let resolve = |target: &str| (target == "../2020/a.md").then(|| "/reports/a/".to_string());
        let body = super::render(
            "[上年](../2020/a.md#二) [外部](https://x.cn/a.md) [缺失](b.md)",
            &resolve,
            RawHtml::Sanitize,
            &[],
        );
        assert!(
            body.html.contains("href=\"/reports/a/#%E4%BA%8C\""),
            "{}",
            body.html
        );
        assert!(body.html.contains("href=\"https://x.cn/a.md\""));
        assert!(body.html.contains("href=\"b.md\""));
    }

    #[test]
    fn chinese_headings_get_ids_and_toc_entries() {
        let body = render(
            "## 一、推进情况\n\n### （一）主要做法\n\n## 一、推进情况\n\n## Plan B {#plan}\n",
        );
        let ids: Vec<_> = body.toc.iter().map(|t| (t.level, t.id.as_str())).collect();
        assert_eq!(
            ids,
            [
                (2, "一推进情况"),
                (3, "一主要做法"),
                (2, "一推进情况-2"),
                (2, "plan")
            ]
        );
        assert!(
            body.html
                .contains("<h2 id=\"一推进情况\">一、推进情况</h2>"),
            "{}",
            body.html
        );
    }

    #[test]
    fn footnotes_are_prefixed_numbered_and_collected_at_the_end() {
        let body = render("正文[^a]，又见[^1]。\n\n[^1]: 第二条。\n[^a]: 第一条。\n\n## 1\n");
        assert!(
            body.html
                .contains("<a href=\"#fn-1\" id=\"fn-ref-1\">1</a>"),
            "{}",
            body.html
        );
        assert!(
            body.html
                .contains("<a href=\"#fn-2\" id=\"fn-ref-2\">2</a>"),
            "{}",
            body.html
        );
        let notes = &body.html[body.html.find("class=\"footnotes\"").unwrap()..];
        assert!(notes.find("第一条").unwrap() < notes.find("第二条").unwrap());
        assert!(notes.find("id=\"fn-1\"").unwrap() < notes.find("id=\"fn-2\"").unwrap());
        assert!(body.html.contains("<h2 id=\"1\">"));
    }

    #[test]
    fn heading_attributes_never_write_handlers_styles_or_duplicate_ids() {
        let cases = [
            "# 点我 {tabindex=0 autofocus onfocus=alert(document.domain)}",
            "# 标题 {style=color:red onmouseover=alert(1)}",
            "## 一、总体情况 {#main}\n\n## 二 {#fn-1}\n\n正文[^1]\n\n[^1]: 注",
            "# x {.ok .\"bad\" onclick=\"x\" #\"a}",
            "## a\n\n## a\n\n## b {#a-2}\n\n## a\n",
        ];
        for raw_html in [RawHtml::Sanitize, RawHtml::Allow, RawHtml::Escape] {
            for case in cases {
                let html = super::render(case, &|_| None, raw_html, &[])
                    .html
                    .to_string();
                for banned in [
                    "onfocus",
                    "onmouseover",
                    "style=",
                    "autofocus",
                    "tabindex",
                    "<script",
                ] {
                    assert!(!html.contains(banned), "{banned} in {html} ({raw_html:?})");
                }
                let ids: Vec<&str> = html
                    .split("id=\"")
                    .skip(1)
                    .map(|r| &r[..r.find('"').unwrap()])
                    .collect();
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(ids.len(), unique.len(), "duplicate ids in {html}");
                assert!(!ids.contains(&"main"), "{html}");
            }
        }
        let kept = render("## 附件 {#annex .wide}").html.to_string();
        assert!(
            kept.contains("id=\"annex\"") && kept.contains("class=\"wide\""),
            "{kept}"
        );
    }

    #[test]
    fn deeply_nested_raw_html_is_shown_as_text_in_linear_time() {
        let deep = "<ul><li>".repeat(40_000);
        let started = std::time::Instant::now();
        let body = render(&deep);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(
            body.html.starts_with("&lt;ul&gt;&lt;li&gt;"),
            "{}",
            &body.html[..60]
        );
        let shallow = render("<div><b>粗</b></div>");
        assert!(shallow.html.contains("<b>粗</b>"), "{}", shallow.html);
    }

    #[test]
    fn script_urls_in_markdown_links_are_neutralised_in_every_mode() {
        for raw_html in [RawHtml::Sanitize, RawHtml::Allow, RawHtml::Escape] {
            let html = super::render(
                "[点](javascript:alert(1)) ![图](JaVaScRiPt:x)",
                &|_| None,
                raw_html,
                &[],
            )
            .html
            .to_string();
            assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        }
    }

    #[test]
    fn summaries_table() {
        let cases = [
            ("导语。\n\n<!-- more -->\n\n正文。", "导语。"),
            ("## 标题\n\n第一段。\n\n第二段。", "第一段。"),
            ("- 列表<!-- more -->\n- 其后", "列表"),
            ("## 只有标题", ""),
            (
                "主任、各位副主任、各位委员：\n\n受常委会委托，现将评议情况报告如下。",
                "受常委会委托，现将评议情况报告如下。",
            ),
            ("各位代表:\n\n现在报告。", "现在报告。"),
            ("只有称呼：", "只有称呼："),
            (
                "评议组认为，以下三方面问题需要重点整改，具体意见如下：\n\n一是……",
                "评议组认为，以下三方面问题需要重点整改，具体意见如下：",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(render(input).summary_text, expected, "{input}");
        }
        let long = render(&"字".repeat(500_000)).summary_text;
        assert_eq!(long, format!("{}…", "字".repeat(MAX_SUMMARY_CHARS)));
    }

    #[test]
    fn tables_task_lists_and_strikethrough_render() {
        let body = render("| 序号 | 事项 |\n|---|---|\n| 1 | 整改 |\n\n- [x] 完成\n\n~~删除~~");
        assert!(body.html.contains("<table>"));
        assert!(body.html.contains("type=\"checkbox\""));
        assert!(body.html.contains("<del>删除</del>"));
    }

    #[test]
    fn reading_time_counts_han_characters_and_words() {
        let han = "字".repeat(800);
        assert_eq!(render(&han).length.reading_minutes(), 2);
        let words = "word ".repeat(250);
        assert_eq!(
            render(&words).length,
            TextLength {
                han_chars: 0,
                words: 250
            }
        );
        assert_eq!(render("短").length.reading_minutes(), 1);
    }
}
