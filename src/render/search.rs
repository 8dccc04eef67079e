//! The search index: n-grams that work for Chinese, sharded so a browser loads only what a query needs.
//!
//! Chinese has no spaces, and readers expect any substring of a title or body to be found. Each
//! report is cut into single Han characters, Han bigrams and lower-cased Latin/digit words (and
//! the prefixes of Latin words, `displ*`); a query is cut the same way and a report that carries
//! every gram of the query is a candidate. Bigrams and words also store where they occur (the
//! character offset in the report's fields, one running count), so `search.js` keeps only the
//! reports where a query word's bigrams lie side by side as typed: 发改委员 needs 发改 at `p`
//! and 委员 at `p + 2`, from the index alone, without reading any report page (reading pages
//! to check a phrase cost 135 KB per page of results). Grams are spread over shards by a hash
//! (FNV-1a of the UTF-8 bytes, computed the same way in `search.js`), small enough that a query
//! of a few characters loads a few kilobytes; a document list gives each result's title and a
//! short excerpt for its snippet.

use super::context::chinese_date;
use super::open_data::html_safe_json;
use crate::content::Report;
use crate::content::markdown::{is_han, is_word_char};
use crate::model::Site;
use crate::script::{Converter, Direction};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use xxhash_rust::xxh3::Xxh3;

mod shard;
pub use shard::{Posting, read_shard};
use shard::{Postings, shard_bytes};

/// An index file: its site-relative path and its bytes.
pub type IndexFile = (String, Vec<u8>);

/// The gram occurs in the title.
const IN_TITLE: u32 = 1;
/// The gram occurs in a keyword or the department.
const IN_KEYWORDS: u32 = 2;
/// The gram occurs in the body or summary.
const IN_BODY: u32 = 4;
/// Numbers per shard aimed at (postings, position counts and positions: about 1.4 KB of
/// varints, which gzip hardly shrinks), so a query of seven grams stays under 30 KB.
const ENTRIES_PER_SHARD: usize = 1_000;
/// Reports per document-list file (title, URL, date, department, excerpt: about 0.8 KB); few,
/// because the ten results of a page are often in ten files.
const DOCS_PER_FILE: usize = 2;
/// Characters of a report's summary kept in the document list for its snippet.
const EXCERPT_CHARS: usize = 72;

/// A gram: Han characters and pairs packed in a number (no allocation per gram), words as text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Gram {
    /// One Han character, or two as `first << 32 | second`.
    Han(u64),
    /// A run of Latin letters or digits, lower-cased.
    Word(String),
    /// A word inside a joined one (`mesh` in `ServiceMesh`): indexed as a word, without the
    /// prefixes a word has, so `mes` finds `Mesh…` but not `ServiceMesh`.
    Part(String),
}

impl Gram {
    fn text(&self) -> String {
        match self {
            Gram::Han(packed) => {
                let char_of = |code: u64| char::from_u32(code as u32).unwrap_or('\u{fffd}');
                let first = packed >> 32;
                if first == 0 {
                    char_of(*packed).to_string()
                } else {
                    format!("{}{}", char_of(first), char_of(packed & 0xffff_ffff))
                }
            }
            Gram::Word(word) | Gram::Part(word) => word.clone(),
        }
    }
}

/// Longer runs of letters and digits (base64 data, hashes) are not words anyone searches for;
/// indexing them would only bloat the shards.
const MAX_WORD_CHARS: usize = 64;

/// Prefixes of Latin words are indexed from this many characters on (`dis` finds `display`).
const MIN_PREFIX_CHARS: usize = 3;

/// Prefixes are indexed up to this many characters; a longer typed prefix is matched by its
/// first [`MAX_PREFIX_CHARS`] characters and then checked as a phrase by `search.js`.
const MAX_PREFIX_CHARS: usize = 16;

/// Marks a prefix gram: `displ*` is in every report with a longer word starting with `displ`.
const PREFIX_MARK: char = '*';

/// A stretch without spaces or Han characters longer than this (bytes) is data (base64, a
/// pasted URL list), not prose, and is left out of the index.
const MAX_DATA_RUN: usize = 256;

/// Cuts text into search grams: each Han character, each pair of adjacent Han characters, and
/// each run of Latin letters or digits, lower-cased, up to [`MAX_WORD_CHARS`] long, with the
/// position of its first character (`start` plus its offset in characters). Long space-free
/// stretches without Han characters are skipped (see [`MAX_DATA_RUN`]). Returns the position
/// after the text and one gap, where the next field starts.
fn gram_keys(text: &str, start: u32, mut emit: impl FnMut(Gram, u32)) -> u32 {
    let mut emit = |gram: Gram, at: u32| match gram {
        Gram::Word(word) if word.chars().count() > MAX_WORD_CHARS => {}
        Gram::Word(word) => {
            word_prefixes(&word, &mut |prefix| emit(prefix, at));
            emit(Gram::Word(word), at);
        }
        Gram::Part(word) => emit(Gram::Word(word), at),
        han => emit(han, at),
    };
    let mut at = start;
    for run in text.split(char::is_whitespace) {
        if !run.is_empty() && (run.len() <= MAX_DATA_RUN || run.chars().any(is_han)) {
            run_grams(run, at, &mut emit);
        }
        at += run.chars().count() as u32 + 1;
    }
    at
}

/// True for a gram whose positions the index keeps: Han pairs and whole words (not single
/// characters, whose postings are the longest, nor prefixes).
fn has_positions(gram: &Gram) -> bool {
    match gram {
        Gram::Han(key) => key >> 32 != 0,
        Gram::Word(word) | Gram::Part(word) => !word.ends_with(PREFIX_MARK),
    }
}

/// [`has_positions`] for a gram as written in a shard.
fn text_has_positions(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if is_han(first) => chars.next().is_some(),
        _ => !text.ends_with(PREFIX_MARK),
    }
}

/// The prefix grams of a word that starts with a Latin letter: `dis*`, `disp*`, … up to one
/// character short of the word and at most [`MAX_PREFIX_CHARS`] long.
fn word_prefixes(word: &str, emit: &mut impl FnMut(Gram)) {
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return;
    }
    let ends = word.char_indices().map(|(at, _)| at).skip(MIN_PREFIX_CHARS);
    for end in ends.take(MAX_PREFIX_CHARS + 1 - MIN_PREFIX_CHARS) {
        emit(Gram::Word(format!("{}{PREFIX_MARK}", &word[..end])));
    }
}

/// `c` with full-width ASCII forms (`Ｇ`, `５`, `％`) as their ASCII letters, digits and signs,
/// so that `ＧＤＰ` and `GDP` are one word; `search.js` folds a query the same way.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Traditional characters with their Simplified forms (the characters of U+4E00–U+9FFF that
/// OpenCC's `s2t` changes, one character each, the lowest Simplified form kept when two share a
/// Traditional one), indexed by code point. Grams are folded with it in both editions and
/// `search.js` folds queries and highlights with `fold-<n>.json` (the pairs of the characters
/// the reports have), so 发改委 and 發改委 find each other. The table itself is fixed, not taken
/// from the reports, so an updated index equals one made from scratch.
fn script_fold() -> &'static [char] {
    static FOLD: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    FOLD.get_or_init(|| {
        let mut fold: Vec<char> = (0..0x1_0000u32)
            .map(|code| char::from_u32(code).unwrap_or('\u{fffd}'))
            .collect();
        let Ok(converter) = Converter::new(Direction::ToTraditional) else {
            return fold;
        };
        for simplified in ('\u{4E00}'..='\u{9FFF}').rev() {
            let mut traditional = String::new();
            traditional.push(simplified);
            let converted = converter.convert(&traditional);
            let mut chars = converted.chars();
            if let (Some(t), None) = (chars.next(), chars.next())
                && t != simplified
                && (t as usize) < fold.len()
            {
                fold[t as usize] = simplified;
            }
        }
        fold
    })
}

/// `c` in Simplified form when [`script_fold`] knows one.
fn simplified(c: char) -> char {
    script_fold().get(c as usize).copied().unwrap_or(c)
}

/// The folded pairs (Traditional, Simplified) whose Simplified character `wanted` accepts; a
/// site needs only those of the characters its reports have (folded), the others find nothing.
fn fold_pairs(wanted: impl Fn(char) -> bool) -> Vec<(char, char)> {
    script_fold()
        .iter()
        .enumerate()
        .filter(|&(code, &to)| to as usize != code && wanted(to))
        .map(|(code, &to)| (char::from_u32(code as u32).unwrap_or(to), to))
        .collect()
}

/// Files for `pairs` folded pairs: about [`PAIRS_PER_FOLD_FILE`] each, a power of two up to
/// [`MAX_FOLD_FILES`] (a 14-report site has 16, not a thousand).
fn fold_file_count(pairs: usize) -> u32 {
    (pairs
        .div_ceil(PAIRS_PER_FOLD_FILE)
        .max(1)
        .next_power_of_two() as u32)
        .min(MAX_FOLD_FILES)
}

/// `search/fold-<n>.json`: `{"from": "發…", "to": "发…"}`, the `pairs` whose Traditional or
/// Simplified character is `n` modulo `count`, so that the file of a query's character tells
/// its Simplified form and the file of that form all its Traditional ones.
fn fold_files(pairs: &[(char, char)], count: u32) -> Vec<IndexFile> {
    let mut files: Vec<(String, String)> = vec![Default::default(); count as usize];
    for &(from, to) in pairs {
        let (a, b) = (from as u32 % count, to as u32 % count);
        for n in if a == b { vec![a] } else { vec![a, b] } {
            let (froms, tos) = &mut files[n as usize];
            froms.push(from);
            tos.push(to);
        }
    }
    files
        .into_iter()
        .enumerate()
        .map(|(n, (from, to))| {
            let json = serde_json::json!({ "from": from, "to": to }).to_string();
            (format!("search/fold-{n}.json"), json.into_bytes())
        })
        .collect()
}

/// The grams of one space-free run of text that starts at position `start`.
fn run_grams(text: &str, start: u32, emit: &mut impl FnMut(Gram, u32)) {
    let mut previous_han: Option<char> = None;
    let mut word: Vec<char> = Vec::new();
    let mut word_start = start;
    for (offset, c) in text.chars().map(half_width).map(simplified).enumerate() {
        let at = start + offset as u32;
        if is_han(c) {
            word_grams(&mut word, word_start, emit);
            emit(Gram::Han(c as u64), at);
            if let Some(p) = previous_han {
                emit(Gram::Han((p as u64) << 32 | c as u64), at - 1);
            }
            previous_han = Some(c);
        } else {
            previous_han = None;
            if is_word_char(c) {
                if word.is_empty() {
                    word_start = at;
                }
                word.push(c);
            } else {
                word_grams(&mut word, word_start, emit);
            }
        }
    }
    word_grams(&mut word, word_start, emit);
}

/// A word whose case or letter/digit changes this many times or more is an identifier of data
/// (a hash, base64), not words joined together; it is indexed whole only.
const MAX_WORD_PARTS: usize = 6;

/// Emits `word` (as written, then emptied) lower-cased at `start`, and as [`Gram::Part`]s at
/// their positions each word joined in it and the rest of it from there (`SOFAServerlessTask` →
/// `sofa`, `serverless`, `serverlesstask`, `task`; `Xms1024m` → `xms`, `1024`, `1024m`, `m`), so
/// that every word a reader sees in it can be found.
fn word_grams(word: &mut Vec<char>, start: u32, emit: &mut impl FnMut(Gram, u32)) {
    if word.is_empty() {
        return;
    }
    let lower = |chars: &[char]| {
        chars
            .iter()
            .flat_map(|c| c.to_lowercase())
            .collect::<String>()
    };
    emit(Gram::Word(lower(word)), start);
    if word.len() <= MAX_WORD_CHARS {
        let parts: Vec<usize> = (1..word.len())
            .filter(|&i| part_starts(word[i - 1], word[i], word.get(i + 1).copied()))
            .collect();
        if !parts.is_empty() && parts.len() < MAX_WORD_PARTS {
            let mut from = 0;
            for end in parts.iter().copied().chain([word.len()]) {
                emit(Gram::Part(lower(&word[from..end])), start + from as u32);
                if from > 0 && end < word.len() {
                    emit(Gram::Part(lower(&word[from..])), start + from as u32);
                }
                from = end;
            }
        }
    }
    word.clear();
}

/// True where a word joined to the one before begins at `c` (after `before`, followed by
/// `after`): `eM` (camelCase), `AMe` (an acronym before a word: SOFAMesh), or a change between
/// letters and digits (`k8s`, `xms1024m`).
fn part_starts(before: char, c: char, after: Option<char>) -> bool {
    (before.is_lowercase() && c.is_uppercase())
        || (before.is_uppercase() && c.is_uppercase() && after.is_some_and(char::is_lowercase))
        || (before.is_alphabetic() && c.is_numeric())
        || (before.is_numeric() && c.is_alphabetic())
}

/// The grams of `text` as strings, in order (what `search.js` computes for a query).
#[cfg(test)]
fn grams(text: &str, mut emit: impl FnMut(String)) {
    gram_keys(text, 0, |gram, _| emit(gram.text()));
}

/// 32-bit FNV-1a over UTF-8 bytes; `search.js` computes the same.
pub fn shard_hash(gram: &str) -> u32 {
    gram.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Reports whose grams are gathered at once; bounds the memory the index build needs.
const BATCH: usize = 512;

/// The fields of a report the index reads besides its body, each with its mask.
fn short_fields(report: &Report) -> impl Iterator<Item = (&str, u32)> {
    let meta = &report.meta;
    std::iter::once((meta.title.as_str(), IN_TITLE))
        .chain(meta.tags.iter().map(|tag| (tag.as_str(), IN_KEYWORDS)))
        .chain(meta.department.as_deref().map(|d| (d, IN_KEYWORDS)))
        .chain([(meta.summary.as_deref().unwrap_or_default(), IN_BODY)])
}

/// The fields of a report the index reads, each with its mask; the body comes last.
fn fields(report: &Report) -> impl Iterator<Item = (&str, u32)> {
    short_fields(report).chain([(&*report.body.text, IN_BODY)])
}

/// A report's fields in the script of `site`'s edition (a report kept from the previous build is
/// in the main edition's script).
fn fields_in_edition<'r>(site: &Site, report: &'r Report) -> Vec<(Cow<'r, str>, u32)> {
    fields(report)
        .map(|(text, field)| match site.ui_converter {
            Some(_) => (Cow::Owned(site.ui(text)), field),
            None => (Cow::Borrowed(text), field),
        })
        .collect()
}

/// A fingerprint of the fields a report is indexed by, given its short fields and the hash of
/// its body (a body kept in the build cache is not read): equal fingerprints give equal grams.
fn doc_fingerprint<S: AsRef<str>>(short: impl Iterator<Item = (S, u32)>, body_hash: u64) -> u64 {
    let mut hasher = Xxh3::new();
    for (text, field) in short {
        let text = text.as_ref();
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
        hasher.update(&field.to_le_bytes());
    }
    hasher.update(&body_hash.to_le_bytes());
    hasher.digest()
}

/// A gram of one report: the fields it occurs in (a mask) and, for a gram
/// [`has_positions`], where (`positions[from..to]` of its [`ReportGrams`], ascending).
#[derive(Clone, Copy)]
struct Found {
    mask: u32,
    from: u32,
    to: u32,
}

/// One report's grams, each once, with the fields it occurs in and its positions.
#[derive(Default)]
struct ReportGrams {
    /// Han grams as packed numbers, grouped by [`partition_of`]: partition `p` is
    /// `han[starts[p]..starts[p + 1]]`.
    han: Vec<(u64, Found)>,
    starts: [u32; PARTITIONS + 1],
    /// Latin and digit words and their prefixes.
    words: Vec<(String, Found)>,
    /// The positions of all grams, each gram's in a range.
    positions: Vec<u32>,
}

impl ReportGrams {
    /// The Han grams in partition `p`.
    fn partition(&self, p: usize) -> &[(u64, Found)] {
        &self.han[self.starts[p] as usize..self.starts[p + 1] as usize]
    }

    /// The positions of a gram.
    fn positions_of(&self, found: Found) -> &[u32] {
        &self.positions[found.from as usize..found.to as usize]
    }

    /// Every gram with its posting for document `doc`.
    fn into_map(self, doc: u32) -> FxHashMap<Gram, Posting> {
        let posting = |found: Found| Posting {
            doc,
            mask: found.mask,
            positions: self.positions_of(found).to_vec(),
        };
        let han = self
            .han
            .iter()
            .map(|&(key, found)| (Gram::Han(key), posting(found)));
        let words = self
            .words
            .iter()
            .map(|(w, found)| (Gram::Word(w.clone()), posting(*found)));
        han.chain(words).collect()
    }
}

/// Code points below this are Han characters looked up in [`GramCutter`]'s table, not a map.
const TABLE_CHARS: usize = 0x1_0000;

/// Cuts reports into [`ReportGrams`], one after another on one thread, reusing its tables:
/// single characters of the Basic Multilingual Plane (half of all grams) are merged in a table
/// indexed by code point; pairs, the rest and words are gathered as occurrences and sorted.
struct GramCutter {
    /// Mask of each single character seen in the current report.
    singles: Vec<u8>,
    /// The characters set in `singles`.
    seen: Vec<u16>,
    /// Occurrences of Han pairs and characters outside the table: key, position, field.
    others: Vec<(u64, u32, u32)>,
    /// Occurrences of words: number in `word_names`, position, field.
    word_hits: Vec<(u32, u32, u32)>,
    word_numbers: FxHashMap<String, u32>,
    word_names: Vec<String>,
}

/// Groups occurrences sorted by key and position into one [`Found`] per key, storing the
/// positions of keys that `keeps_positions` says have them.
fn group_hits<K: Copy + PartialEq>(
    hits: &[(K, u32, u32)],
    keeps_positions: impl Fn(K) -> bool,
    positions: &mut Vec<u32>,
    mut found: impl FnMut(K, Found),
) {
    for group in hits.chunk_by(|a, b| a.0 == b.0) {
        let key = group[0].0;
        let from = positions.len() as u32;
        if keeps_positions(key) {
            // Each position once (deduplicating the whole list here, as before, made cutting
            // quadratic in a report's length: 70 % of the cutter's time at 10k reports).
            for hit in group {
                if positions.len() == from as usize || positions.last() != Some(&hit.1) {
                    positions.push(hit.1);
                }
            }
        }
        let mask = group.iter().fold(0, |mask, hit| mask | hit.2);
        let to = positions.len() as u32;
        found(key, Found { mask, from, to });
    }
}

impl GramCutter {
    fn new() -> Self {
        GramCutter {
            singles: vec![0; TABLE_CHARS],
            seen: Vec::new(),
            others: Vec::new(),
            word_hits: Vec::new(),
            word_numbers: FxHashMap::default(),
            word_names: Vec::new(),
        }
    }

    /// The grams of one report's fields with their field masks and positions; the fields
    /// follow each other in one count of positions, a gap between them.
    fn cut<S: AsRef<str>>(&mut self, fields: impl Iterator<Item = (S, u32)>) -> ReportGrams {
        let GramCutter {
            singles,
            seen,
            others,
            word_hits,
            word_numbers,
            word_names,
        } = self;
        let mut at = 0;
        for (text, field) in fields {
            at = gram_keys(text.as_ref(), at, |gram, position| match gram {
                Gram::Han(key) if (key as usize) < TABLE_CHARS => {
                    let mask = &mut singles[key as usize];
                    if *mask == 0 {
                        seen.push(key as u16);
                    }
                    *mask |= field as u8;
                }
                Gram::Han(key) => others.push((key, position, field)),
                Gram::Word(word) | Gram::Part(word) => {
                    let next = word_names.len() as u32;
                    let number = *word_numbers.entry(word).or_insert_with_key(|word| {
                        word_names.push(word.clone());
                        next
                    });
                    word_hits.push((number, position, field));
                }
            })
        }
        let mut positions = Vec::new();
        let mut grouped: Vec<(u64, Found)> = seen
            .drain(..)
            .map(|c| {
                let mask = u32::from(std::mem::take(&mut singles[c as usize]));
                (
                    u64::from(c),
                    Found {
                        mask,
                        from: 0,
                        to: 0,
                    },
                )
            })
            .collect();
        others.sort_unstable();
        group_hits(
            others,
            |key| key >> 32 != 0,
            &mut positions,
            |key, found| grouped.push((key, found)),
        );
        others.clear();
        word_hits.sort_unstable();
        let mut words = Vec::with_capacity(word_names.len());
        group_hits(
            word_hits,
            |number| !word_names[number as usize].ends_with(PREFIX_MARK),
            &mut positions,
            |number, found| words.push((word_names[number as usize].clone(), found)),
        );
        word_hits.clear();
        word_names.clear();
        word_numbers.clear();
        // Counting sort by partition.
        let mut counts = [0u32; PARTITIONS];
        for (key, _) in &grouped {
            counts[partition_of(*key)] += 1;
        }
        let mut starts = [0u32; PARTITIONS + 1];
        for p in 0..PARTITIONS {
            starts[p + 1] = starts[p] + counts[p];
        }
        let mut next = starts;
        let empty = Found {
            mask: 0,
            from: 0,
            to: 0,
        };
        let mut han = vec![(0, empty); grouped.len()];
        for (key, found) in grouped {
            let slot = &mut next[partition_of(key)];
            han[*slot as usize] = (key, found);
            *slot += 1;
        }
        ReportGrams {
            han,
            starts,
            words,
            positions,
        }
    }
}

/// Partitions of the Han grams, filled in parallel.
const PARTITIONS: usize = 16;

/// The partition of a Han gram.
fn partition_of(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize
}

/// What one edition's index was made from, kept in the build cache so that the next build can
/// update the index instead of making it again.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IndexState {
    /// Each report's [`doc_fingerprint`], in index order.
    docs: Vec<u64>,
    /// Numbers in all shards (postings, position counts and positions).
    entries: usize,
}

/// The most shards an index has: past it shards grow instead (at 10,000 generated reports, 4,096
/// shards of 7.6 KB, 5.2 KB compressed; both the 491 real posts of `bench/search-bench.sh` and
/// these are at the cap, and half as many shards would double the shard bytes of a query;
/// 16,384 shards made the search stage spend a third of its time making files).
const MAX_SHARDS: usize = 4_096;

/// The most document-list files: past it each file holds more reports than [`DOCS_PER_FILE`].
const MAX_DOC_FILES: usize = 1_024;

/// Folded pairs per `search/fold-<n>.json` aimed at, so a query loads the pairs of its own
/// characters only (about 0.2 KB compressed a file; 64 files of 0.6 KB made a 20-character
/// title fetch 18 KB of them).
const PAIRS_PER_FOLD_FILE: usize = 16;

/// The most files the Simplified/Traditional folding table is split into.
const MAX_FOLD_FILES: u32 = 1024;

/// Shards for this many numbers: a power of two, so a query knows the count from `index.json`.
fn shard_count(entries: usize) -> usize {
    (entries / ENTRIES_PER_SHARD)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS)
}

/// The path of shard `n`.
fn shard_path(n: usize) -> String {
    format!("search/shard-{n}.bin")
}

/// True for a path an index can have: `search/index.json`, `search/filters.json`,
/// `search/shard-<n>.bin`, `search/docs-<n>.json` or `search/fold-<n>.json`; any other name
/// needs no index to refuse.
pub fn is_index_file(path: &str) -> bool {
    let Some(name) = path.strip_prefix("search/") else {
        return false;
    };
    let number = |text: &str| text.parse::<usize>().ok().filter(|n| n.to_string() == text);
    let numbered = |prefix: &str, suffix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.strip_suffix(suffix))
            .and_then(number)
    };
    matches!(name, "index.json" | "filters.json")
        || numbered("shard-", ".bin").is_some_and(|n| n < MAX_SHARDS)
        || numbered("docs-", ".json").is_some()
        || numbered("fold-", ".json").is_some_and(|n| n < MAX_FOLD_FILES as usize)
}

/// The shard a gram's postings are in.
fn shard_of(gram: &str, shards: usize) -> usize {
    shard_hash(gram) as usize % shards
}

/// Each report's [`doc_fingerprint`].
fn doc_fingerprints(site: &Site) -> Vec<u64> {
    site.reports
        .par_iter()
        .map(|report| doc_fingerprint(short_fields(report), report.body.text.hash()))
        .collect()
}

/// The index files as (site-relative path, JSON), and the state to update them from next time.
pub fn index_files(site: &Site, base_path: &str) -> (Vec<IndexFile>, IndexState) {
    // Postings grouped by gram for all reports, filled batch by batch: Han grams in partitions
    // filled in parallel, words (few in Chinese reports) beside them.
    let mut partitions: Vec<FxHashMap<u64, Postings>> =
        (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
    let mut words: FxHashMap<String, Postings> = FxHashMap::default();
    for (batch_number, batch) in site.reports.chunks(BATCH).enumerate() {
        let gathered: Vec<ReportGrams> = batch
            .par_iter()
            .map_init(GramCutter::new, |cutter, r| cutter.cut(fields(r)))
            .collect();
        let first_doc = (batch_number * BATCH) as u32;
        let fill_words = || {
            for (offset, grams) in gathered.iter().enumerate() {
                for (word, found) in &grams.words {
                    let positions =
                        (!word.ends_with(PREFIX_MARK)).then(|| grams.positions_of(*found));
                    let doc = first_doc + offset as u32;
                    match words.get_mut(word.as_str()) {
                        Some(postings) => postings.push(doc, found.mask, positions),
                        None => {
                            let mut postings = Postings::default();
                            postings.push(doc, found.mask, positions);
                            words.insert(word.clone(), postings);
                        }
                    }
                }
            }
        };
        let fill_han = || {
            partitions
                .par_iter_mut()
                .enumerate()
                .for_each(|(p, postings)| {
                    for (offset, grams) in gathered.iter().enumerate() {
                        for &(key, found) in grams.partition(p) {
                            let positions = (key >> 32 != 0).then(|| grams.positions_of(found));
                            postings.entry(key).or_default().push(
                                first_doc + offset as u32,
                                found.mask,
                                positions,
                            );
                        }
                    }
                })
        };
        rayon::join(fill_words, fill_han);
    }
    let mut in_corpus = vec![false; TABLE_CHARS];
    for key in partitions.iter().flat_map(|p| p.keys()) {
        if (*key as usize) < TABLE_CHARS {
            in_corpus[*key as usize] = true;
        }
    }
    let pairs = fold_pairs(|c| in_corpus[c as usize]);
    let fold_count = fold_file_count(pairs.len());
    let han = partitions
        .into_iter()
        .flatten()
        .map(|(key, list)| (Gram::Han(key).text(), list));
    let postings: Vec<(String, Postings)> = han.chain(words).collect();
    let total: usize = postings.iter().map(|(_, list)| list.entries as usize).sum();
    let shards = shard_count(total);
    let mut by_shard: Vec<Vec<(String, Postings)>> = (0..shards).map(|_| Vec::new()).collect();
    for (text, list) in postings {
        by_shard[shard_of(&text, shards)].push((text, list));
    }
    let mut files: Vec<IndexFile> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(n, shard)| (shard_path(n), shard_bytes(shard)))
        .collect();
    files.extend(listing_files(site, base_path, shards, fold_count));
    files.extend(fold_files(&pairs, fold_count));
    let state = IndexState {
        docs: doc_fingerprints(site),
        entries: total,
    };
    (files, state)
}

/// Reports per document-list file for `docs` reports: [`DOCS_PER_FILE`], or more past
/// [`MAX_DOC_FILES`] files.
fn docs_per_file(docs: usize) -> usize {
    docs.div_ceil(MAX_DOC_FILES).max(DOCS_PER_FILE)
}

/// The files besides the shards and the folding table: `index.json`, the filters and the
/// document lists.
fn listing_files(site: &Site, base_path: &str, shards: usize, fold_files: u32) -> Vec<IndexFile> {
    let per_file = docs_per_file(site.reports.len());
    let index = serde_json::json!({
        "version": 3,
        "shards": shards,
        "docs": site.reports.len(),
        "per_file": per_file,
        "fold_files": fold_files,
    });
    let mut files = vec![
        (
            "search/index.json".to_string(),
            index.to_string().into_bytes(),
        ),
        (
            "search/filters.json".to_string(),
            filters_json(site).into_bytes(),
        ),
    ];
    let ids: Vec<usize> = (0..site.reports.len()).collect();
    files.par_extend(ids.par_chunks(per_file).enumerate().map(|(n, chunk)| {
        (
            format!("search/docs-{n}.json"),
            docs_json(site, chunk, base_path).into_bytes(),
        )
    }));
    files
}

/// More reports changed than an update is worth; the index is made again.
const MAX_UPDATED_DOCS: usize = 256;

/// One change to a shard: gram, document, and its new posting (`None`: the gram left it).
type Edit = (String, u32, Option<Posting>);

/// The index files that differ from the `previous` build's, made by editing the shards that the
/// changed reports' grams are in, with the state for the next build. `old_report` gives a
/// report as the previous build had it, `read` a file of the previous index. `None` when the
/// index must be made again: reports were added, removed or reordered, too many changed, the
/// shard count changes, or a previous file or report is missing or not what it was.
pub fn updated_files(
    site: &Site,
    base_path: &str,
    previous: &IndexState,
    old_report: &dyn Fn(&Report) -> Option<Report>,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Option<(Vec<IndexFile>, IndexState)> {
    let docs = doc_fingerprints(site);
    if docs.len() != previous.docs.len() {
        return None;
    }
    let changed: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i] != previous.docs[i])
        .collect();
    if changed.len() > MAX_UPDATED_DOCS {
        return None;
    }
    let shards = shard_count(previous.entries);
    let mut edits: std::collections::BTreeMap<usize, Vec<Edit>> = Default::default();
    let mut entries = previous.entries;
    let mut cutter = GramCutter::new();
    for &doc in &changed {
        let report = &site.reports[doc];
        let old = old_report(report)?;
        let old_fields = fields_in_edition(site, &old);
        let (body, short) = old_fields.split_last()?;
        let body_hash = crate::incremental::hash_bytes(body.0.as_bytes());
        if doc_fingerprint(short.iter().map(|(text, field)| (text, *field)), body_hash)
            != previous.docs[doc]
        {
            return None;
        }
        let doc = doc as u32;
        let old_grams = cutter.cut(old_fields.into_iter()).into_map(doc);
        let new_grams = cutter.cut(fields(report)).into_map(doc);
        let mut edit = |gram: &Gram, posting: Option<Posting>| {
            let text = gram.text();
            edits
                .entry(shard_of(&text, shards))
                .or_default()
                .push((text, doc, posting));
        };
        for (gram, posting) in &new_grams {
            let with_positions = has_positions(gram);
            match old_grams.get(gram) {
                Some(old) if old == posting => {}
                old => {
                    let old_entries = old.map_or(0, |old| old.entries(with_positions));
                    entries = entries + posting.entries(with_positions) - old_entries;
                    edit(gram, Some(posting.clone()));
                }
            }
        }
        for (gram, old) in old_grams
            .iter()
            .filter(|(gram, _)| !new_grams.contains_key(*gram))
        {
            entries -= old.entries(has_positions(gram));
            edit(gram, None);
        }
    }
    // Editing most shards costs as much as making the index again.
    if shard_count(entries) != shards || edits.len() > (shards / 4).max(1) {
        return None;
    }
    // The folding table stays as it was unless a character with a Traditional form comes into
    // the reports or leaves them; then the index is made again.
    let index: serde_json::Value = serde_json::from_slice(&read("search/index.json")?).ok()?;
    let fold_count = u32::try_from(index.get("fold_files")?.as_u64()?).ok()?;
    let fold_targets: rustc_hash::FxHashSet<char> =
        fold_pairs(|_| true).into_iter().map(|(_, to)| to).collect();
    let folds = |gram: &str| {
        let mut chars = gram.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if fold_targets.contains(&c))
    };
    let mut files = Vec::with_capacity(edits.len());
    for (n, shard_edits) in edits {
        let path = shard_path(n);
        let mut grams = read_shard(&read(&path)?)?;
        for (gram, doc, posting) in shard_edits {
            if edit_postings(&mut grams, &gram, doc, posting) && folds(&gram) {
                return None;
            }
        }
        let shard = grams.into_iter().map(|(gram, list)| {
            let with_positions = text_has_positions(&gram);
            let mut postings = Postings::default();
            for posting in list {
                let positions = with_positions.then_some(posting.positions.as_slice());
                postings.push(posting.doc, posting.mask, positions);
            }
            (gram, postings)
        });
        files.push((path, shard_bytes(shard.collect())));
    }
    files.extend(listing_files(site, base_path, shards, fold_count));
    Some((files, IndexState { docs, entries }))
}

/// Sets (or with `None` removes) `doc`'s posting in `gram`'s list, which stays in document order;
/// true when the gram comes into the shard or leaves it.
fn edit_postings(
    grams: &mut std::collections::BTreeMap<String, Vec<Posting>>,
    gram: &str,
    doc: u32,
    posting: Option<Posting>,
) -> bool {
    let list = grams.entry(gram.to_string()).or_default();
    let was_empty = list.is_empty();
    match (list.binary_search_by_key(&doc, |p| p.doc), posting) {
        (Ok(at), Some(posting)) => list[at] = posting,
        (Ok(at), None) => {
            list.remove(at);
        }
        (Err(at), Some(posting)) => list.insert(at, posting),
        (Err(_), None) => {}
    }
    let is_empty = list.is_empty();
    if is_empty {
        grams.remove(gram);
    }
    was_empty != is_empty
}

/// Each report's department (index into the department list, -1 for none) and year, loaded only
/// when a filter is used.
fn filters_json(site: &Site) -> String {
    let department_of: Vec<i64> = site
        .departments
        .of_report
        .iter()
        .map(|ids| ids.first().map_or(-1, |&d| d as i64))
        .collect();
    let years: Vec<i16> = site.reports.iter().map(|r| r.date.year()).collect();
    html_safe_json(serde_json::json!({ "department": department_of, "year": years }).to_string())
}

/// The start of a report's summary (its own, or its opening), for a result's snippet.
fn excerpt(report: &Report) -> String {
    let summary = report
        .meta
        .summary
        .as_deref()
        .unwrap_or(&report.body.summary_text);
    let mut text: String = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = text.char_indices().nth(EXCERPT_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Title, URL, date, department and excerpt of each report in `ids`.
fn docs_json(site: &Site, ids: &[usize], base_path: &str) -> String {
    let docs: Vec<serde_json::Value> = ids
        .iter()
        .map(|&i| {
            let report = &site.reports[i];
            serde_json::json!([
                report.meta.title,
                format!("{base_path}{}", report.url_path),
                chinese_date(&report.date),
                report.meta.department,
                excerpt(report),
            ])
        })
        .collect();
    html_safe_json(serde_json::Value::Array(docs).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_file_names_table() {
        let cases = [
            ("search/index.json", true),
            ("search/filters.json", true),
            ("search/shard-0.bin", true),
            ("search/shard-4095.bin", true),
            ("search/shard-0.json", false),
            ("search/docs-12.json", true),
            ("search/fold-1023.json", true),
            ("search/fold-1024.json", false),
            ("search/fold.json", false),
            ("search/shard-4096.bin", false),
            ("search/shard-01.bin", false),
            ("search/docs-3.bin", false),
            ("search/docs-.json", false),
            ("search/nothing.json", false),
            ("search/index.html", false),
            ("search/sub/index.json", false),
            ("index.json", false),
        ];
        for (path, expected) in cases {
            assert_eq!(is_index_file(path), expected, "{path}");
        }
    }

    #[test]
    fn grams_table() {
        let cases: &[(&str, &[&str])] = &[
            ("发改委", &["发", "改", "发改", "委", "改委"]),
            ("GDP增长5%", &["gdp", "增", "长", "增长", "5"]),
            ("营商 环境", &["营", "商", "营商", "环", "境", "环境"]),
            ("Open-Data", &["ope*", "open", "dat*", "data"]),
            (
                "displayHTS 2020",
                &[
                    "dis*",
                    "disp*",
                    "displ*",
                    "displa*",
                    "display*",
                    "displayh*",
                    "displayht*",
                    "displayhts",
                    "display",
                    "hts",
                    "2020",
                ],
            ),
            ("ＧＤＰ增长５％", &["gdp", "增", "长", "增长", "5"]),
            (
                "SOFAMesh k8s",
                &[
                    "sof*", "sofa*", "sofam*", "sofame*", "sofames*", "sofamesh", "sofa", "mesh",
                    "k8s", "k", "8", "8s", "s",
                ],
            ),
            ("0f4b6d1e9a", &["0f4b6d1e9a"]),
            ("發改委", &["发", "改", "发改", "委", "改委"]),
            (
                &"a".repeat(20),
                &[
                    "aaa*",
                    "aaaa*",
                    "aaaaa*",
                    "aaaaaa*",
                    "aaaaaaa*",
                    "aaaaaaaa*",
                    "aaaaaaaaa*",
                    "aaaaaaaaaa*",
                    "aaaaaaaaaaa*",
                    "aaaaaaaaaaaa*",
                    "aaaaaaaaaaaaa*",
                    "aaaaaaaaaaaaaa*",
                    "aaaaaaaaaaaaaaa*",
                    "aaaaaaaaaaaaaaaa*",
                    "aaaaaaaaaaaaaaaaaaaa",
                ],
            ),
            (&format!("图{}片", "A".repeat(65)), &["图", "片"]),
            (&format!("x {} y", "Ab1+".repeat(100)), &["x", "y"]),
        ];
        for (text, expected) in cases {
            let mut got = Vec::new();
            grams(text, |g| got.push(g));
            assert_eq!(got, *expected, "{text}");
        }
    }

    #[test]
    fn a_report_is_cut_into_each_gram_once_with_the_fields_it_is_in() {
        let mut cutter = GramCutter::new();
        let fields = [
            ("营商环境", IN_TITLE),
            ("环境 GDP", IN_KEYWORDS),
            ("环境𠀀境", IN_BODY),
        ];
        let cut = |cutter: &mut GramCutter| {
            let grams = cutter.cut(fields.into_iter());
            for p in 0..PARTITIONS {
                assert!(
                    grams
                        .partition(p)
                        .iter()
                        .all(|(key, _)| partition_of(*key) == p)
                );
            }
            let mut found: Vec<(String, u32)> = grams
                .into_map(0)
                .into_iter()
                .map(|(gram, posting)| (gram.text(), posting.mask))
                .collect();
            found.sort();
            found
        };
        let mut expected: Vec<(String, u32)> = [
            ("营", IN_TITLE),
            ("商", IN_TITLE),
            ("营商", IN_TITLE),
            ("商环", IN_TITLE),
            ("环", IN_TITLE | IN_KEYWORDS | IN_BODY),
            ("境", IN_TITLE | IN_KEYWORDS | IN_BODY),
            ("环境", IN_TITLE | IN_KEYWORDS | IN_BODY),
            ("gdp", IN_KEYWORDS),
            ("𠀀", IN_BODY),
            ("境𠀀", IN_BODY),
            ("𠀀境", IN_BODY),
        ]
        .into_iter()
        .map(|(gram, mask)| (gram.to_string(), mask))
        .collect();
        expected.sort();
        assert_eq!(cut(&mut cutter), expected);
        // The tables are left empty for the next report.
        assert_eq!(cut(&mut cutter), expected);
    }

    #[test]
    fn pairs_and_words_keep_where_they_occur_in_one_count_over_the_fields() {
        let mut cutter = GramCutter::new();
        // Title at 0; the body after the title's 4 characters and a gap; spaces count.
        let fields = [("发改委员", IN_TITLE), ("发改委 GDP增长 委员", IN_BODY)];
        let grams = cutter.cut(fields.into_iter()).into_map(3);
        let positions = |text: &str| {
            let (_, posting) = grams.iter().find(|(gram, _)| gram.text() == text).unwrap();
            assert_eq!(posting.doc, 3);
            posting.positions.clone()
        };
        assert_eq!(positions("发改"), [0, 5]);
        assert_eq!(positions("委员"), [2, 15]);
        assert_eq!(positions("改委"), [1, 6]);
        assert_eq!(positions("gdp"), [9]);
        assert_eq!(positions("增长"), [12]);
        assert_eq!(positions("发"), [] as [u32; 0]);
        let shard = shard_bytes(
            grams
                .into_iter()
                .filter(|(gram, _)| ["发改", "发", "gdp"].contains(&gram.text().as_str()))
                .map(|(gram, posting)| {
                    let mut list = Postings::default();
                    let positions = has_positions(&gram).then_some(posting.positions.as_slice());
                    list.push(posting.doc, posting.mask, positions);
                    (gram.text(), list)
                })
                .collect(),
        );
        // gdp first (bytes sort before Han): 3 bytes, then 2 bytes of postings: doc 3 in the
        // body with one position ((3 * 8 + 4) * 4 + 1), at 9.
        assert_eq!(&shard[..7], &[3, b'g', b'd', b'p', 2, 113, 9]);
        let parsed = read_shard(&shard).unwrap();
        assert_eq!(parsed.keys().collect::<Vec<_>>(), ["gdp", "发", "发改"]);
        assert_eq!(parsed["发改"][0].positions, [0, 5]);
        assert_eq!(parsed["发"][0].mask, IN_TITLE | IN_BODY);
        assert!(parsed["发"][0].positions.is_empty());
    }

    #[test]
    fn a_long_report_is_cut_into_the_grams_of_its_text() {
        // 1,100 distinct characters, then the first ones again in another order.
        let distinct: String = (0..1100u32)
            .map(|i| char::from_u32(0x4E00 + i).unwrap())
            .collect();
        let text = format!("{distinct}。{}", distinct.chars().rev().collect::<String>());
        let mut expected = std::collections::BTreeSet::new();
        grams(&text, |gram| {
            expected.insert(gram);
        });
        let mut cutter = GramCutter::new();
        for _ in 0..2 {
            let found: std::collections::BTreeSet<String> = cutter
                .cut([(text.as_str(), IN_BODY)].into_iter())
                .into_map(0)
                .into_iter()
                .map(|(gram, posting)| {
                    assert_eq!(posting.mask, IN_BODY);
                    gram.text()
                })
                .collect();
            assert_eq!(found, expected);
        }
    }

    #[test]
    fn shard_hash_is_fnv1a_of_utf8() {
        assert_eq!(shard_hash(""), 0x811c9dc5);
        assert_eq!(shard_hash("a"), 0xe40c292c);
    }
}
