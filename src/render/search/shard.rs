//! The bytes of a search shard (`search/shard-<n>.bin`, index version 3), written here and read
//! by `search.js` with a `DataView`, and here again when an update edits a shard.
//!
//! A shard is its grams one after another, sorted by their UTF-8 bytes, each as
//! `varint(gram bytes) gram varint(posting bytes) postings`; the postings are LEB128 varints:
//! `(doc - previous doc) * 8 + mask`, and for a gram with positions that times 4 plus their
//! count when it is 1 to 3 (else plus 0, and the count follows), then the first position and
//! the gaps to the next. The posting length lets a reader skip a gram without decoding it. At
//! 10,000 generated reports the 4,096 shards take 27.3 MB (20.5 MB gzipped) where the same
//! numbers as decimal JSON took 73.5 MB (24.0 MB gzipped), and 31.1 MB (21.3 MB) with the count
//! in a varint of its own.

use super::text_has_positions;
use std::collections::BTreeMap;

/// One report's posting of a gram: document, fields (a mask) and positions, as absolute numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The report's number in the index (its place in the site's report list).
    pub doc: u32,
    /// The fields the gram occurs in (title 1, keywords 2, body 4).
    pub mask: u32,
    /// Where it occurs, ascending; empty for a gram without positions.
    pub positions: Vec<u32>,
}

impl Posting {
    /// The numbers it adds to a shard: the posting, and for a gram with positions their count
    /// and the positions.
    pub(super) fn entries(&self, with_positions: bool) -> usize {
        1 + if with_positions {
            1 + self.positions.len()
        } else {
            0
        }
    }
}

/// One gram's postings as a shard holds them (see the module note). Most numbers take a byte,
/// where a `Vec<u32>` took four (0.48 GB of postings at 100k reports).
#[derive(Default)]
pub(super) struct Postings {
    /// The varints.
    bytes: Vec<u8>,
    /// The last document added.
    last: u32,
    /// Numbers added (postings, position counts and positions, as [`Posting::entries`] counts
    /// them, whether or not a count shares a varint).
    pub(super) entries: u32,
}

/// Position counts up to this share their posting's varint; 0 there means the count follows.
const INLINE_COUNTS: u32 = 3;

/// Appends `value` to `bytes` as a LEB128 varint.
fn put_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push(value as u8 | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

impl Postings {
    /// Adds `doc`'s posting, with `positions` (ascending) when the gram keeps them; documents
    /// come in increasing order.
    pub(super) fn push(&mut self, doc: u32, mask: u32, positions: Option<&[u32]>) {
        let packed = (doc - self.last) * 8 + mask;
        self.last = doc;
        let Some(positions) = positions else {
            put_varint(&mut self.bytes, packed);
            self.entries += 1;
            return;
        };
        let count = positions.len() as u32;
        if (1..=INLINE_COUNTS).contains(&count) {
            put_varint(&mut self.bytes, packed * 4 + count);
        } else {
            put_varint(&mut self.bytes, packed * 4);
            put_varint(&mut self.bytes, count);
        }
        let mut previous = 0;
        for &at in positions {
            put_varint(&mut self.bytes, at - previous);
            previous = at;
        }
        self.entries += 2 + count;
    }
}

/// The shard file of `grams`, sorted by their bytes for stable output.
pub(super) fn shard_bytes(mut grams: Vec<(String, Postings)>) -> Vec<u8> {
    grams.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let size: usize = grams
        .iter()
        .map(|(gram, list)| gram.len() + list.bytes.len() + 10)
        .sum();
    let mut bytes = Vec::with_capacity(size);
    for (gram, list) in &grams {
        put_varint(&mut bytes, gram.len() as u32);
        bytes.extend_from_slice(gram.as_bytes());
        put_varint(&mut bytes, list.bytes.len() as u32);
        bytes.extend_from_slice(&list.bytes);
    }
    bytes
}

/// Reads varints from a shard's bytes.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Reader<'_> {
    /// The next varint; `None` at the end or in a truncated or oversized one.
    fn varint(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u32::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Option<&[u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(slice)
    }
}

/// A shard's grams and postings, with documents and positions as absolute numbers; `None` when
/// the bytes are not a shard as [`shard_bytes`] writes them.
pub fn read_shard(bytes: &[u8]) -> Option<BTreeMap<String, Vec<Posting>>> {
    let mut reader = Reader { bytes, at: 0 };
    let mut grams = BTreeMap::new();
    while reader.at < bytes.len() {
        let len = reader.varint()? as usize;
        let gram = std::str::from_utf8(reader.take(len)?).ok()?.to_string();
        let len = reader.varint()? as usize;
        let mut list = Reader {
            bytes: reader.take(len)?,
            at: 0,
        };
        let with_positions = text_has_positions(&gram);
        let mut postings = Vec::new();
        let mut doc: u32 = 0;
        while list.at < list.bytes.len() {
            let mut packed = list.varint()?;
            let mut count = 0;
            if with_positions {
                count = match packed % 4 {
                    0 => list.varint()?,
                    inline => inline,
                };
                packed /= 4;
            }
            doc = doc.checked_add(packed / 8)?;
            let mut positions = Vec::new();
            let mut at: u32 = 0;
            for _ in 0..count {
                at = at.checked_add(list.varint()?)?;
                positions.push(at);
            }
            postings.push(Posting {
                doc,
                mask: packed % 8,
                positions,
            });
        }
        grams.insert(gram, postings);
    }
    Some(grams)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_reads_back_as_written() {
        let mut pair = Postings::default();
        pair.push(3, 5, Some(&[0, 200, 70_000]));
        pair.push(130, 1, Some(&[7, 8, 9, 300]));
        let mut single = Postings::default();
        single.push(0, 4, None);
        single.push(9, 2, None);
        let bytes = shard_bytes(vec![("发改".into(), pair), ("发".into(), single)]);
        // 发 sorts before 发改; 3 bytes of text, then 2 one-byte varints (0*8+4, 9*8+2).
        assert_eq!(&bytes[..7], &[3, 0xe5, 0x8f, 0x91, 2, 4, 74]);
        let grams = read_shard(&bytes).unwrap();
        assert_eq!(grams.len(), 2);
        assert_eq!(
            grams["发改"],
            [
                Posting {
                    doc: 3,
                    mask: 5,
                    positions: vec![0, 200, 70_000]
                },
                Posting {
                    doc: 130,
                    mask: 1,
                    positions: vec![7, 8, 9, 300]
                }
            ]
        );
        assert_eq!(grams["发"][1].doc, 9);
        assert!(grams["发"][1].positions.is_empty());
    }

    #[test]
    fn a_damaged_shard_is_refused() {
        let mut pair = Postings::default();
        pair.push(1, 1, Some(&[5, 9]));
        let bytes = shard_bytes(vec![("委员".into(), pair)]);
        for cut in 1..bytes.len() {
            assert_eq!(read_shard(&bytes[..cut]), None, "cut at {cut}");
        }
        assert_eq!(read_shard(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), None);
        assert_eq!(read_shard(&[2, 0xff, 0xfe, 0]), None);
    }
}
