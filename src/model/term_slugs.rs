//! Gives every term a unique slug: distinct terms never share a page (公示, 公式 and 工时 are
//! all `gong-shi` in pinyin).
//!
//! Within a group of terms that meet on one slug, the term first used earliest keeps the plain
//! slug and the others get a suffix computed from their own text. Adding a newer colliding term
//! later therefore never moves an existing page, and a suffix never depends on other terms.

use super::term::{TaxonomyKind, Term};
use crate::config::SiteConfig;
use crate::content::Report;
use crate::diagnostics::{Diagnostic, Position};
use crate::slug::slugify;
use std::collections::{BTreeMap, BTreeSet};

/// Fills `slug` on every term, pinned slugs from site.yaml first.
pub fn assign_slugs(
    kind: TaxonomyKind,
    terms: &mut [Term],
    reports: &[Report],
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, term) in terms.iter().enumerate() {
        let base = config
            .slugs
            .get(&term.name)
            .cloned()
            .unwrap_or_else(|| slugify(&term.name, config.slugify));
        groups.entry(base).or_default().push(index);
    }
    let mut taken: BTreeSet<String> = groups.keys().cloned().collect();
    for (base, mut members) in groups {
        // Oldest first use keeps the plain slug: the largest index is the oldest report.
        members.sort_by(|&a, &b| {
            let oldest = |t: &Term| std::cmp::Reverse(*t.reports.iter().max().unwrap_or(&0));
            oldest(&terms[a])
                .cmp(&oldest(&terms[b]))
                .then_with(|| terms[a].name.cmp(&terms[b].name))
        });
        terms[members[0]].slug = base.clone();
        for &other in &members[1..] {
            let slug = suffixed(&base, &terms[other].name, &taken);
            taken.insert(slug.clone());
            let newest_use = &reports[terms[other].reports[0]];
            problems.push(
                Diagnostic::warning(
                    &newest_use.path,
                    Position::default(),
                    crate::msg!(
                        "{} `{}` and `{}` both make the URL /{}/{base}/; `{}` gets /{}/{slug}/",
                        "{} `{}` 和 `{}` 都生成网址 /{}/{base}/；`{}` 改用 /{}/{slug}/",
                        kind.folder(),
                        terms[members[0]].name,
                        terms[other].name,
                        kind.folder(),
                        terms[other].name,
                        kind.folder(),
                    ),
                )
                .with_hint(crate::msg!(
                    "to choose the URL yourself, add to site.yaml:\nslugs:\n  {}: your-slug",
                    "要自己指定网址，在 site.yaml 中加上：\nslugs:\n  {}: your-slug",
                    terms[other].name
                )),
            );
            terms[other].slug = slug;
        }
    }
}

/// `base-xxxx`, where `xxxx` comes from a hash of the term's own text (longer if still taken).
fn suffixed(base: &str, name: &str, taken: &BTreeSet<String>) -> String {
    let hash = format!("{:08x}", fnv1a(name.as_bytes()));
    // Room for the longest suffix (`-xxxxxxxx-nn`) within the slug limit.
    let mut cut = base.len().min(crate::slug::MAX_SLUG_BYTES - 12);
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    let base = base[..cut].trim_end_matches('-');
    for len in 4..=8 {
        let candidate = format!("{base}-{}", &hash[..len]);
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{hash}-{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// 32-bit FNV-1a: a stable hash (unlike std's, which may change between Rust releases).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}
