//! Any text as a name, slug or alias: slugs are always safe URL segments (never `..`, `/`, `\`,
//! NUL or a Windows device name), and an alias always maps to a file inside the output.
#![no_main]

use gongshi::render::redirects::alias_file;
use gongshi::slug::{SlugMode, is_safe_segment, slugify};
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

fuzz_target!(|text: &str| {
    for mode in [SlugMode::Pinyin, SlugMode::Unicode] {
        let slug = slugify(text, mode);
        assert!(is_safe_segment(&slug), "{text:?} → {slug:?}");
        assert_eq!(slug, slugify(text, mode), "deterministic");
        if mode == SlugMode::Pinyin {
            assert!(slug.is_ascii(), "{text:?} → {slug:?}");
        }
    }
    if is_safe_segment(text) {
        assert!(
            Path::new(text)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        );
    }
    if let Some(file) = alias_file(text) {
        assert!(
            !file.contains('\\') && !file.contains('\0'),
            "{text:?} → {file:?}"
        );
        assert!(
            Path::new(&file)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{text:?} → {file:?}"
        );
    }
});
