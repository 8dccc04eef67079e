//! Long text of a report body (its HTML, or its plain text for the search index), read from the
//! build cache only when something uses it.
//!
//! A repeat build reuses almost every report but renders few pages: reading and copying every
//! body out of the cache was most of its cache-read time. A reused body keeps its hash, length
//! and place in the cache's body file; fingerprints use the hash, and the text is read (and
//! checked against the hash) the first time it is dereferenced.

use super::hash_bytes;
use std::fs::File;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A body file of the build cache, opened once per build; texts are read from it by offset.
#[derive(Debug)]
pub struct BodyFile {
    path: PathBuf,
    file: File,
    /// Set when a text read from it was not what the cache recorded.
    damaged: AtomicBool,
}

impl BodyFile {
    /// Wraps an open body file.
    pub fn new(path: &Path, file: File) -> Arc<BodyFile> {
        Arc::new(BodyFile {
            path: path.to_path_buf(),
            file,
            damaged: AtomicBool::new(false),
        })
    }

    /// The file, as shown in notices.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when a text read from this file did not match its recorded hash.
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    /// `len` bytes at `offset`, if they can be read.
    fn read(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        let mut bytes = vec![0; len];
        read_exact_at(&self.file, &mut bytes, offset).ok()?;
        Some(bytes)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Where a text kept in the cache is: its file (once the store attached it) and byte range.
#[derive(Clone, Debug)]
struct Stored {
    file: Option<Arc<BodyFile>>,
    offset: u64,
    len: usize,
}

/// A long text with its hash; dereferences to `str`. Made from a `String`, or read from a
/// body file of the build cache on first use (a text that does not match its hash reads as
/// empty and marks the file damaged, which makes the build start again without the cache).
#[derive(Clone, Default)]
pub struct BodyText {
    text: OnceLock<String>,
    hash: OnceLock<u64>,
    stored: Option<Stored>,
}

impl BodyText {
    /// The text's xxh3 hash: what fingerprints of pages and search documents use.
    pub fn hash(&self) -> u64 {
        *self.hash.get_or_init(|| hash_bytes(self.as_bytes()))
    }

    /// Its length in bytes, without reading a stored text.
    pub fn byte_len(&self) -> usize {
        match (&self.stored, self.text.get()) {
            (Some(stored), None) => stored.len,
            _ => self.len(),
        }
    }

    /// Places a text read from the cache at `*offset` in `file`, and moves `*offset` past it.
    pub fn attach(&mut self, file: &Arc<BodyFile>, offset: &mut u64) {
        if let Some(stored) = &mut self.stored {
            stored.file = Some(Arc::clone(file));
            stored.offset = *offset;
            *offset += stored.len as u64;
        }
    }

    /// The stored text, checked against its hash.
    fn load(&self) -> String {
        let Some(Stored {
            file: Some(file),
            offset,
            len,
        }) = &self.stored
        else {
            return String::new();
        };
        let text = file
            .read(*offset, *len)
            .filter(|bytes| Some(&hash_bytes(bytes)) == self.hash.get())
            .and_then(|bytes| String::from_utf8(bytes).ok());
        text.unwrap_or_else(|| {
            file.damaged.store(true, Ordering::Relaxed);
            String::new()
        })
    }
}

impl From<String> for BodyText {
    fn from(text: String) -> Self {
        BodyText {
            text: OnceLock::from(text),
            ..BodyText::default()
        }
    }
}

impl Deref for BodyText {
    type Target = str;

    fn deref(&self) -> &str {
        self.text.get_or_init(|| self.load())
    }
}

impl std::fmt::Debug for BodyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.text.get() {
            Some(text) => text.fmt(f),
            None => write!(f, "<{} bytes in the build cache>", self.byte_len()),
        }
    }
}

impl std::fmt::Display for BodyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl PartialEq<str> for BodyText {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for BodyText {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl PartialEq<String> for BodyText {
    fn eq(&self, other: &String) -> bool {
        **self == **other
    }
}

/// In the cache a text is written as its hash and length; the store writes the bytes to the
/// body file in the same order (see `content::store`).
impl serde::Serialize for BodyText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.hash(), self.byte_len() as u64).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for BodyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (hash, len) = <(u64, u64)>::deserialize(deserializer)?;
        Ok(BodyText {
            text: OnceLock::new(),
            hash: OnceLock::from(hash),
            stored: Some(Stored {
                file: None,
                offset: 0,
                len: len as usize,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text as the store reads it back: hash and length from the cache, bytes from `file`.
    fn stored(text: &BodyText, file: &Arc<BodyFile>, offset: &mut u64) -> BodyText {
        let bytes = rmp_serde::to_vec(text).unwrap();
        let mut back: BodyText = rmp_serde::from_slice(&bytes).unwrap();
        back.attach(file, offset);
        back
    }

    #[test]
    fn stored_texts_are_read_on_use_and_checked_against_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bodies.cache");
        let first = BodyText::from("<p>整改落实情况</p>".to_string());
        let second = BodyText::from("评议意见".to_string());
        std::fs::write(&path, format!("head{}{}", &*first, &*second)).unwrap();
        let file = BodyFile::new(&path, File::open(&path).unwrap());
        let mut offset = 4;
        let (a, b) = (
            stored(&first, &file, &mut offset),
            stored(&second, &file, &mut offset),
        );
        assert_eq!(offset as usize, 4 + first.len() + second.len());
        assert_eq!(a.byte_len(), first.len());
        assert!(a.text.get().is_none(), "not read before use");
        assert_eq!(a.hash(), first.hash());
        assert_eq!(a, "<p>整改落实情况</p>");
        assert_eq!(b, "评议意见");
        assert!(!file.damaged());

        // Same length, other bytes: read as empty, and the file is marked damaged.
        std::fs::write(&path, format!("head{}{}", &*first, "评议意味")).unwrap();
        let file = BodyFile::new(&path, File::open(&path).unwrap());
        let mut offset = 4 + first.len() as u64;
        let damaged = stored(&second, &file, &mut offset);
        assert_eq!(damaged, "");
        assert!(file.damaged());
    }
}
