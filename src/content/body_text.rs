//! Long text of a report body (its HTML, or its plain text for the search index) with its hash,
//! computed once: page fingerprints and search documents use the hash, not the text.

use crate::incremental::hash_bytes;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// A text with its hash, computed on first use; dereferences to `str`. In the build cache it is
/// kept as the text itself, which the cache file's checksum covers. Clones share the text: the
/// dev server copies every report out of its parse cache on each rebuild (two bodies of ~6 KB
/// each per report, ~120 MB at 10k reports when they were copied).
#[derive(Clone, Default)]
pub struct BodyText {
    text: Arc<str>,
    hash: OnceLock<u64>,
}

impl BodyText {
    /// The text's xxh3 hash: what fingerprints of pages and search documents use.
    pub fn hash(&self) -> u64 {
        *self.hash.get_or_init(|| hash_bytes(self.text.as_bytes()))
    }
}

impl From<String> for BodyText {
    fn from(text: String) -> Self {
        BodyText {
            text: Arc::from(text),
            hash: OnceLock::new(),
        }
    }
}

impl Deref for BodyText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Debug for BodyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text.fmt(f)
    }
}

impl std::fmt::Display for BodyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for BodyText {
    fn eq(&self, other: &BodyText) -> bool {
        *self.text == *other.text
    }
}

impl Eq for BodyText {}

impl PartialEq<str> for BodyText {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl PartialEq<&str> for BodyText {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl PartialEq<String> for BodyText {
    fn eq(&self, other: &String) -> bool {
        *self.text == **other
    }
}

impl serde::Serialize for BodyText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.text.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for BodyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(BodyText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_round_trips_through_the_cache_encoding_with_its_hash() {
        let text = BodyText::from("<p>整改落实情况</p>".to_string());
        let back: BodyText = rmp_serde::from_slice(&rmp_serde::to_vec(&text).unwrap()).unwrap();
        assert_eq!(back, "<p>整改落实情况</p>");
        assert_eq!(back.hash(), hash_bytes("<p>整改落实情况</p>".as_bytes()));
        assert_ne!(back.hash(), BodyText::from("评议意见".to_string()).hash());
    }
}
