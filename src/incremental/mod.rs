//! Everything kept between builds, in one place, used by a build through a [`session::Session`]: the cache files in `.gongshi-cache/` and their
//! format, the parsed-report caches (the build's [`report_store`], the dev server's
//! [`parse_cache`]), report bodies kept on disk ([`body_text`]), the record of the previous
//! output ([`manifest`]), and the one fingerprint that decides what is reused ([`fingerprint`]):
//! a page is reused when the hash of the value it is rendered from (`render::page_context`) is
//! the one recorded for its file.

pub mod body_text;
pub mod cache_file;
pub mod manifest;
pub mod parse_cache;
pub mod report_store;
pub mod session;

use serde::Serialize;
use std::io::{self, Write};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

pub use cache_file::CACHE_DIR;

/// A 64-bit fingerprint of raw bytes (file contents).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// Feeds everything written to it into an xxh3 hasher.
struct HashWriter(Xxh3);

impl Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A 64-bit fingerprint of any serializable value (its MessagePack encoding, hashed): the only
/// fingerprint in gongshi, stable across runs, so it can be kept in the cache.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut writer = HashWriter(Xxh3::new());
    // Writing into a hasher cannot fail; a value that cannot be encoded still hashes what it wrote.
    let _ = rmp_serde::encode::write(&mut writer, value);
    writer.0.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_by_content() {
        assert_eq!(fingerprint(&("a", 1)), fingerprint(&("a", 1)));
        assert_ne!(fingerprint(&("a", 1)), fingerprint(&("a", 2)));
    }
}
