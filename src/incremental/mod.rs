//! What is kept between builds, below every layer that renders: the cache files in
//! `.gongshi-cache/` and their format ([`cache_file`]), the record of the previous output
//! ([`manifest`]), a build's use of them ([`session::Session`]), file stamps ([`stamp`]) and the
//! one fingerprint that decides what is reused ([`fingerprint`]). It stores values of the layers
//! above without naming their types: parsed reports are kept by `content::store`, search state by
//! the pipeline for `render::search`, page inputs by `render::page_context`.

pub mod cache_file;
pub mod manifest;
pub mod session;
pub mod stamp;

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
