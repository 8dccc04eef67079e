//! The language gongshi speaks to the person at the terminal: diagnostics, hints, progress lines
//! and the serve overlay. Fixed once at start-up by the command line (`--lang`, then the
//! `GONGSHI_LANG` environment variable, then site.yaml `language`, then Chinese); the library on
//! its own speaks English, so callers that never choose get stable English text.

use crate::script::{Converter, Direction};
use std::sync::atomic::{AtomicU8, Ordering};

/// A language messages can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese (`zh-CN`, the default for a new site).
    ZhHans,
    /// Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`): the Simplified text, converted.
    ZhHant,
}

impl Lang {
    /// Reads a language tag as written in site.yaml or on the command line; `None` if unknown.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        match tag.as_str() {
            "en" | "english" => Some(Lang::En),
            t if t.starts_with("en-") => Some(Lang::En),
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => Some(Lang::ZhHant),
            t if t.starts_with("zh-hant-") => Some(Lang::ZhHant),
            "zh" | "zh-cn" | "zh-hans" | "zh-sg" | "cn" => Some(Lang::ZhHans),
            t if t.starts_with("zh-") => Some(Lang::ZhHans),
            _ => None,
        }
    }

    /// True for either Chinese script.
    pub fn is_chinese(self) -> bool {
        self != Lang::En
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every message made from now on; call once, before any work starts.
pub fn set(lang: Lang) {
    let code = match lang {
        Lang::En => 0,
        Lang::ZhHans => 1,
        Lang::ZhHant => 2,
    };
    CURRENT.store(code, Ordering::Relaxed);
}

/// The language messages are made in (English until [`set`] is called).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::ZhHans,
        2 => Lang::ZhHant,
        _ => Lang::En,
    }
}

/// True when messages are made in Chinese.
pub fn chinese() -> bool {
    current().is_chinese()
}

/// Text about to be shown to the user, in the current script: Simplified Chinese messages are
/// converted to Traditional for a zh-Hant site; everything else is returned as it is.
pub fn localize(text: &str) -> String {
    if current() != Lang::ZhHant {
        return text.to_string();
    }
    static CONVERTER: std::sync::OnceLock<Option<Converter>> = std::sync::OnceLock::new();
    match CONVERTER.get_or_init(|| Converter::new(Direction::ToTraditional).ok()) {
        Some(converter) => converter.convert(text),
        None => text.to_string(),
    }
}

/// A message in the current language: `msg!("english {x}", "中文 {x}")`, with the same arguments
/// (inline or after the two texts) for both.
#[macro_export]
macro_rules! msg {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        if $crate::lang::chinese() {
            format!($zh $(, $arg)*)
        } else {
            format!($en $(, $arg)*)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_as_editors_write_them_are_read() {
        for (tag, lang) in [
            ("en", Lang::En),
            ("en-US", Lang::En),
            ("zh-CN", Lang::ZhHans),
            ("zh", Lang::ZhHans),
            ("zh_CN", Lang::ZhHans),
            ("zh-Hant", Lang::ZhHant),
            ("zh-TW", Lang::ZhHant),
        ] {
            assert_eq!(Lang::from_tag(tag), Some(lang), "{tag}");
        }
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
