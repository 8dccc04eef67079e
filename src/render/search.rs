//! The search index: n-grams that work for Chinese, sharded so a browser loads only what a query needs.
//!
//! Chinese has no spaces, and readers expect any substring of a title or body to be found. Each
//! report is cut into single Han characters, Han bigrams and lower-cased Latin/digit words; a
//! query is cut the same way and a report matches when it carries every gram of the query. Grams
//! are spread over shards by a hash (FNV-1a of the UTF-8 bytes, computed the same way in
//! `search.js`), so a 2–4 character query loads one to three shards.

use super::context::chinese_date;
use super::open_data::html_safe_json;
use crate::content::markdown::is_han;
use crate::model::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The gram occurs in the title.
const IN_TITLE: u32 = 1;
/// The gram occurs in a keyword or the department.
const IN_KEYWORDS: u32 = 2;
/// The gram occurs in the body or summary.
const IN_BODY: u32 = 4;
/// Postings per shard aimed at (about 30–40 KB of JSON).
const POSTINGS_PER_SHARD: usize = 8_000;
/// Reports per document-list file (title, URL, date, department: about 7 KB).
const DOCS_PER_FILE: usize = 50;

/// A gram: Han characters and pairs packed in a number (no allocation per gram), words as text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Gram {
    /// One Han character, or two as `first << 32 | second`.
    Han(u64),
    /// A run of Latin letters or digits, lower-cased.
    Word(String),
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
            Gram::Word(word) => word.clone(),
        }
    }
}

/// Longer runs of letters and digits (base64 data, hashes) are not words anyone searches for;
/// indexing them would only bloat the shards.
const MAX_WORD_CHARS: usize = 64;

/// A stretch without spaces or Han characters longer than this (bytes) is data (base64, a
/// pasted URL list), not prose, and is left out of the index.
const MAX_DATA_RUN: usize = 256;

/// Cuts text into search grams: each Han character, each pair of adjacent Han characters, and
/// each run of Latin letters or digits, lower-cased, up to [`MAX_WORD_CHARS`] long. Long
/// space-free stretches without Han characters are skipped (see [`MAX_DATA_RUN`]).
fn gram_keys(text: &str, mut emit: impl FnMut(Gram)) {
    let mut emit = |gram: Gram| {
        if !matches!(&gram, Gram::Word(w) if w.chars().count() > MAX_WORD_CHARS) {
            emit(gram);
        }
    };
    for run in text.split_whitespace() {
        if run.len() <= MAX_DATA_RUN || run.chars().any(is_han) {
            run_grams(run, &mut emit);
        }
    }
}

/// True for letters and digits; Chinese punctuation (the commonest non-Han characters in a
/// report) is answered without the Unicode tables.
fn is_word_char(c: char) -> bool {
    let punctuation = matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}');
    !punctuation && c.is_alphanumeric()
}

/// The grams of one space-free run of text.
fn run_grams(text: &str, emit: &mut impl FnMut(Gram)) {
    let mut previous_han: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if is_han(c) {
            if !word.is_empty() {
                emit(Gram::Word(std::mem::take(&mut word)));
            }
            emit(Gram::Han(c as u64));
            if let Some(p) = previous_han {
                emit(Gram::Han((p as u64) << 32 | c as u64));
            }
            previous_han = Some(c);
        } else {
            previous_han = None;
            if is_word_char(c) {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                emit(Gram::Word(std::mem::take(&mut word)));
            }
        }
    }
    if !word.is_empty() {
        emit(Gram::Word(word));
    }
}

/// The grams of `text` as strings, in order (what `search.js` computes for a query).
#[cfg(test)]
fn grams(text: &str, mut emit: impl FnMut(String)) {
    gram_keys(text, |gram| emit(gram.text()));
}

/// 32-bit FNV-1a over UTF-8 bytes; `search.js` computes the same.
pub fn shard_hash(gram: &str) -> u32 {
    gram.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Reports whose grams are gathered at once; bounds the memory the index build needs.
const BATCH: usize = 512;

/// The grams of one report with their field masks.
fn report_grams(report: &crate::content::Report) -> Vec<(Gram, u32)> {
    // Han grams (most of them) in a map keyed by the packed integer, words in their own.
    let size = report.body.text.len() / 4;
    let mut han: FxHashMap<u64, u32> =
        FxHashMap::with_capacity_and_hasher(size, Default::default());
    let mut words: FxHashMap<String, u32> = FxHashMap::default();
    let mut add = |text: &str, field: u32| {
        gram_keys(text, |gram| match gram {
            Gram::Han(key) => *han.entry(key).or_insert(0) |= field,
            Gram::Word(word) => *words.entry(word).or_insert(0) |= field,
        })
    };
    add(&report.meta.title, IN_TITLE);
    for tag in &report.meta.tags {
        add(tag, IN_KEYWORDS);
    }
    if let Some(department) = &report.meta.department {
        add(department, IN_KEYWORDS);
    }
    add(report.meta.summary.as_deref().unwrap_or_default(), IN_BODY);
    add(&report.body.text, IN_BODY);
    han.into_iter()
        .map(|(key, mask)| (Gram::Han(key), mask))
        .chain(
            words
                .into_iter()
                .map(|(word, mask)| (Gram::Word(word), mask)),
        )
        .collect()
}

/// One gram's postings in the form `shard_json` writes them, `(doc - previous doc) * 8 + mask`,
/// each as a LEB128 varint: most take a byte, where a `Vec<u32>` of `doc * 8 + mask` took four
/// (0.48 GB of postings at 100k reports).
#[derive(Default)]
struct Postings {
    /// The varints.
    bytes: Vec<u8>,
    /// The last document added.
    last: u32,
    /// Postings added.
    count: usize,
}

impl Postings {
    /// Adds `doc`'s posting; documents come in increasing order.
    fn push(&mut self, doc: u32, mask: u32) {
        let mut value = (doc - self.last) * 8 + mask;
        while value >= 0x80 {
            self.bytes.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
        self.last = doc;
        self.count += 1;
    }

    /// The postings as `doc * 8 + mask`, in document order.
    fn packed(&self) -> Vec<u32> {
        let mut packed = Vec::with_capacity(self.count);
        let (mut doc, mut value, mut shift) = (0, 0, 0);
        for &byte in &self.bytes {
            value |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                doc += value / 8;
                packed.push(doc * 8 + value % 8);
                (value, shift) = (0, 0);
            }
        }
        packed
    }
}

/// Partitions of the gram space, filled in parallel.
const PARTITIONS: usize = 16;

/// A report's grams split by partition.
fn partitioned(grams: Vec<(Gram, u32)>) -> Vec<Vec<(Gram, u32)>> {
    let mut parts: Vec<Vec<(Gram, u32)>> = (0..PARTITIONS).map(|_| Vec::new()).collect();
    for (gram, mask) in grams {
        let hash = match &gram {
            Gram::Han(packed) => *packed,
            Gram::Word(word) => u64::from(shard_hash(word)),
        };
        parts[(hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize].push((gram, mask));
    }
    parts
}

/// The index files as (site-relative path, JSON).
pub fn index_files(site: &Site, base_path: &str) -> Vec<(String, String)> {
    // Postings as `doc * 8 + mask`, grouped by gram, for all reports, filled batch by batch.
    // Grams are split into partitions that are filled in parallel.
    let mut partitions: Vec<FxHashMap<Gram, Postings>> =
        (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
    for (batch_number, batch) in site.reports.chunks(BATCH).enumerate() {
        let gathered: Vec<Vec<Vec<(Gram, u32)>>> = batch
            .par_iter()
            .map(|r| partitioned(report_grams(r)))
            .collect();
        // Transpose [doc][partition] into [partition][doc], moving the lists.
        let mut by_partition: Vec<Vec<Vec<(Gram, u32)>>> = (0..PARTITIONS)
            .map(|_| Vec::with_capacity(batch.len()))
            .collect();
        for lists in gathered {
            for (part, list) in lists.into_iter().enumerate() {
                by_partition[part].push(list);
            }
        }
        partitions
            .par_iter_mut()
            .zip(by_partition)
            .for_each(|(postings, docs)| {
                for (offset, list) in docs.into_iter().enumerate() {
                    let doc = (batch_number * BATCH + offset) as u32;
                    for (gram, mask) in list {
                        postings.entry(gram).or_default().push(doc, mask);
                    }
                }
            });
    }
    let postings: Vec<(Gram, Postings)> = partitions.into_iter().flatten().collect();
    let total: usize = postings.iter().map(|(_, list)| list.count).sum();
    let shards = (total / POSTINGS_PER_SHARD)
        .max(1)
        .next_power_of_two()
        .min(8192);
    let mut by_shard: Vec<Vec<(String, Postings)>> = (0..shards).map(|_| Vec::new()).collect();
    for (gram, list) in postings {
        let text = gram.text();
        by_shard[shard_hash(&text) as usize % shards].push((text, list));
    }
    let mut files: Vec<(String, String)> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(n, shard)| {
            let grams = shard.into_iter().map(|(text, list)| (text, list.packed()));
            (
                format!("search/shard-{n}.json"),
                shard_json(grams.collect()),
            )
        })
        .collect();
    let index = serde_json::json!({ "version": 1, "shards": shards, "docs": site.reports.len(), "per_file": DOCS_PER_FILE });
    files.push(("search/index.json".to_string(), index.to_string()));
    files.push(("search/filters.json".to_string(), filters_json(site)));
    for (n, chunk) in (0..site.reports.len())
        .collect::<Vec<_>>()
        .chunks(DOCS_PER_FILE)
        .enumerate()
    {
        files.push((
            format!("search/docs-{n}.json"),
            docs_json(site, chunk, base_path),
        ));
    }
    files
}

/// A fingerprint of everything the index is made from: equal fingerprints give equal files.
pub fn input_fingerprint(site: &Site, base_path: &str) -> u64 {
    let reports: Vec<_> = site
        .reports
        .iter()
        .zip(&site.departments.of_report)
        .map(|(report, departments)| {
            let meta = &report.meta;
            (
                (&meta.title, &meta.tags, &meta.department, &meta.summary),
                (&report.body.text, &report.slug, chinese_date(&report.date)),
                (report.date.year(), departments.first()),
            )
        })
        .collect();
    crate::build_cache::fingerprint(&(base_path, reports))
}

/// `{"gram": [first*8+mask, delta*8+mask, …], …}` with grams sorted for stable output.
fn shard_json(mut grams: Vec<(String, Vec<u32>)>) -> String {
    grams.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut json = String::from("{");
    for (i, (gram, list)) in grams.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::to_string(gram).unwrap_or_default());
        json.push_str(":[");
        let mut previous = 0;
        for (j, packed) in list.iter().enumerate() {
            if j > 0 {
                json.push(',');
            }
            let doc = packed / 8;
            json.push_str(&((doc - previous) * 8 + packed % 8).to_string());
            previous = doc;
        }
        json.push(']');
    }
    json.push('}');
    crate::content::markdown::exact_size(json)
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

/// Title, URL, date and department of each report in `ids`.
fn docs_json(site: &Site, ids: &[usize], base_path: &str) -> String {
    let docs: Vec<serde_json::Value> = ids
        .iter()
        .map(|&i| {
            let report = &site.reports[i];
            serde_json::json!([
                report.meta.title,
                format!("{base_path}reports/{}/", report.slug),
                chinese_date(&report.date),
                report.meta.department,
            ])
        })
        .collect();
    html_safe_json(serde_json::Value::Array(docs).to_string())
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

    #[test]
    fn grams_table() {
        let cases: &[(&str, &[&str])] = &[
            ("发改委", &["发", "改", "发改", "委", "改委"]),
            ("GDP增长5%", &["gdp", "增", "长", "增长", "5"]),
            ("营商 环境", &["营", "商", "营商", "环", "境", "环境"]),
            ("Open-Data", &["open", "data"]),
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
    fn shard_hash_is_fnv1a_of_utf8() {
        assert_eq!(shard_hash(""), 0x811c9dc5);
        assert_eq!(shard_hash("a"), 0xe40c292c);
    }
}
