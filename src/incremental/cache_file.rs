//! Files of the build cache in `.gongshi-cache/` beside content/: each carries a header and a
//! checksum so that a cache from another gongshi version, or a damaged one, is
//! recognised and discarded instead of trusted.

use super::hash_bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io;
use std::path::Path;

/// The cache folder's name, inside the site folder.
pub const CACHE_DIR: &str = ".gongshi-cache";

/// The first line of every cache file: which gongshi wrote it, in which format.
fn header() -> String {
    format!("gongshi-cache {} format 8\n", env!("CARGO_PKG_VERSION"))
}

/// Why a cache file was not used.
#[derive(Debug, PartialEq, Eq)]
pub enum Unusable {
    /// There is no such file (a first build): nothing to report.
    Missing,
    /// Written by another gongshi version or not a gongshi cache at all.
    Foreign,
    /// The checksum or the encoding is wrong.
    Corrupt,
}

impl Unusable {
    /// The notice shown to the user, or `None` when there is nothing to say.
    pub fn notice(&self, path: &Path) -> Option<String> {
        let why = match self {
            Unusable::Missing => return None,
            Unusable::Foreign => crate::msg!(
                "it was written by another gongshi version",
                "它由另一个版本的 gongshi 写成"
            ),
            Unusable::Corrupt => crate::msg!("it is damaged", "它已损坏"),
        };
        let notice = crate::diagnostics::Severity::Notice.label();
        Some(crate::msg!(
            "{}: {notice}: discarding the build cache: {why}; this build starts from scratch",
            "{}: {notice}: 弃用构建缓存：{why}；本次从头构建",
            path.display()
        ))
    }
}

/// Reads a cache file written by [`write`]; anything unexpected makes it unusable.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, Unusable> {
    let bytes = std::fs::read(path).map_err(|_| Unusable::Missing)?;
    let header = header();
    let rest = bytes
        .strip_prefix(header.as_bytes())
        .ok_or(Unusable::Foreign)?;
    if rest.len() < 8 {
        return Err(Unusable::Corrupt);
    }
    let (sum, payload) = rest.split_at(8);
    if u64::from_le_bytes(sum.try_into().map_err(|_| Unusable::Corrupt)?) != hash_bytes(payload) {
        return Err(Unusable::Corrupt);
    }
    rmp_serde::from_slice(payload).map_err(|_| Unusable::Corrupt)
}

/// Writes `value` to `path` with the header and a checksum, through a temporary file and a
/// rename, so a crash leaves either the old file or the new one.
pub fn write<T: Serialize + ?Sized>(path: &Path, value: &T) -> io::Result<()> {
    let payload = rmp_serde::to_vec(value).map_err(io::Error::other)?;
    let mut bytes = header().into_bytes();
    bytes.extend_from_slice(&hash_bytes(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    replace(path, &bytes)
}

/// Replaces `path` with `bytes` through a temporary file and a rename, so a crash leaves either
/// the old file or the new one (a reader that opened the old file keeps reading the old one).
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage_detection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.cache");
        write(&path, &vec!["营商环境".to_string(), "民生".to_string()]).unwrap();
        let back: Vec<String> = read(&path).unwrap();
        assert_eq!(back, ["营商环境", "民生"]);

        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read::<Vec<String>>(&path), Err(Unusable::Corrupt));

        std::fs::write(&path, b"gongshi-cache 0.0.1 format 1\nxxxxxxxx").unwrap();
        assert_eq!(read::<Vec<String>>(&path), Err(Unusable::Foreign));
        assert_eq!(
            read::<Vec<String>>(&dir.path().join("none")),
            Err(Unusable::Missing)
        );
    }
}
