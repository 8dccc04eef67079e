//! Turns names into URL slugs: ASCII pinyin by default (发改委 → fa-gai-wei), or Unicode kept.

use pinyin::ToPinyin;

/// How names become slugs (site.yaml `slugify`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SlugMode {
    /// Chinese transliterated to pinyin; only `a-z 0-9 -` remain.
    #[default]
    Pinyin,
    /// Letters of any script kept, lower-cased.
    Unicode,
}

/// The longest slug in bytes. File systems allow 255 bytes a name; a long keyword in pinyin
/// (`zhong-hua-ren-min-gong-he-guo-…`) passes that, and long URLs break in chat apps.
pub const MAX_SLUG_BYTES: usize = 80;

/// The slug of `name` under `mode`; never empty (falls back to `x`), at most [`MAX_SLUG_BYTES`]
/// (a longer one is cut and ends in a short hash of the whole, so two long names stay distinct).
pub fn slugify(name: &str, mode: SlugMode) -> String {
    capped(full_slug(name, mode))
}

/// `slug` cut to [`MAX_SLUG_BYTES`] with `-` and 8 hex digits of its hash when it is longer.
fn capped(slug: String) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes()) as u32;
    let mut cut = MAX_SLUG_BYTES - 9;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash:08x}", slug[..cut].trim_end_matches('-'))
}

fn full_slug(name: &str, mode: SlugMode) -> String {
    let mut slug = String::new();
    let push_separator = |slug: &mut String| {
        if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    };
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if let (SlugMode::Pinyin, Some(syllable)) = (mode, c.to_pinyin()) {
            push_separator(&mut slug);
            // Plain pinyin still writes ü (女 nü, 旅 lü); URLs write it v, as input methods do.
            slug.extend(
                syllable
                    .plain()
                    .chars()
                    .map(|c| if c == 'ü' { 'v' } else { c }),
            );
            slug.push('-');
        } else if mode == SlugMode::Unicode && c.is_alphanumeric() {
            // Lower-casing may add combining marks (İ → i + U+0307), which are not letters.
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if mode == SlugMode::Pinyin && c.is_alphabetic() {
            // Latin letters with accents and other scripts have no safe ASCII form: drop them.
            continue;
        } else {
            push_separator(&mut slug);
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "x".to_string()
    } else if is_windows_reserved(&slug) {
        // `con`, `nul`, `com1`… cannot be folder names on Windows hosts.
        format!("{slug}-x")
    } else {
        slug
    }
}

/// True when `slug` is safe as one URL path segment and folder name on any host: letters,
/// digits, `-`, `_`, `.`, no `..`, no leading dot, not a Windows device name (`con`, `com1`), at
/// most [`MAX_SLUG_BYTES`] long.
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG_BYTES
        && slug != "."
        && !slug.contains("..")
        && !slug.starts_with('.')
        && !is_windows_reserved(slug)
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// True when `name` can be a file or folder name on every static host: no control characters,
/// no `\ / < > : " | ? *`, not a Windows device name.
pub fn is_portable_name(name: &str) -> bool {
    !name.is_empty()
        && !is_windows_reserved(name)
        && !name.chars().any(|c| {
            c.is_control() || matches!(c, '\\' | '/' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        })
}

/// Windows device names (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, with or
/// without an extension, any case), which cannot be file or folder names on Windows.
pub fn is_windows_reserved(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_table() {
        let cases = [
            ("发改委", SlugMode::Pinyin, "fa-gai-wei"),
            ("区发改委", SlugMode::Pinyin, "qu-fa-gai-wei"),
            ("公示", SlugMode::Pinyin, "gong-shi"),
            ("十四五规划", SlugMode::Pinyin, "shi-si-wu-gui-hua"),
            ("GDP增长", SlugMode::Pinyin, "gdp-zeng-zhang"),
            ("5G 网络", SlugMode::Pinyin, "5g-wang-luo"),
            ("Open Data", SlugMode::Pinyin, "open-data"),
            ("“营商环境”", SlugMode::Pinyin, "ying-shang-huan-jing"),
            ("！！", SlugMode::Pinyin, "x"),
            ("发改委", SlugMode::Unicode, "发改委"),
            ("CON", SlugMode::Pinyin, "con-x"),
            ("女性旅游", SlugMode::Pinyin, "nv-xing-lv-you"),
            ("İM\u{1}\0.0", SlugMode::Unicode, "im-0"),
            ("com1", SlugMode::Unicode, "com1-x"),
            ("Nul.txt", SlugMode::Pinyin, "nul-txt"),
            ("Open Data 公开", SlugMode::Unicode, "open-data-公开"),
        ];
        for (name, mode, expected) in cases {
            assert_eq!(slugify(name, mode), expected, "{name}");
        }
    }

    #[test]
    fn long_names_get_capped_distinct_slugs() {
        let long = "关于进一步加强和改进人大常委会专项工作评议调查研究并推动审议意见落实情况的报告及其附件说明材料汇编";
        let other = format!("{long}二");
        for mode in [SlugMode::Pinyin, SlugMode::Unicode] {
            let (a, b) = (slugify(long, mode), slugify(&other, mode));
            assert!(
                a.len() <= MAX_SLUG_BYTES && b.len() <= MAX_SLUG_BYTES,
                "{a} {b}"
            );
            assert_ne!(a, b);
            assert!(is_safe_segment(&a) && is_safe_segment(&b), "{a} {b}");
            assert_eq!(a, slugify(long, mode), "deterministic");
        }
        assert!(!is_safe_segment(&"a".repeat(MAX_SLUG_BYTES + 1)));
    }

    #[test]
    fn pinyin_slugs_are_ascii_for_every_han_character() {
        // Found by fuzz/slugs: 女 gave `nü`.
        for c in (0x3400..=0x4DBF)
            .chain(0x4E00..=0x9FFF)
            .filter_map(char::from_u32)
        {
            let slug = slugify(&c.to_string(), SlugMode::Pinyin);
            assert!(slug.is_ascii() && is_safe_segment(&slug), "{c} → {slug}");
        }
    }

    #[test]
    fn unsafe_segments_are_refused() {
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "a\\b",
            ".hidden",
            "a\0b",
            "a b",
            "con",
            "NUL",
            "com1",
            "lpt9.html",
            "aux.x",
        ] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
        for good in ["fa-gai-wei", "r000123", "2020_report", "发改委", "v1.2"] {
            assert!(is_safe_segment(good), "{good:?}");
        }
    }
}
