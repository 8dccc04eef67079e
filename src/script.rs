//! Simplified ⇄ Traditional Chinese conversion with OpenCC's phrase tables (via ferrous-opencc).
//!
//! Phrase tables matter: character-by-character conversion gets 发 wrong half the time
//! (发展 → 發展 but 头发 → 頭髮). The tables are OpenCC's own, under Apache-2.0.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Which way a [`Converter`] converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Simplified → Traditional (OpenCC `s2t`).
    ToTraditional,
    /// Traditional → Simplified (OpenCC `t2s`).
    ToSimplified,
}

/// A loaded conversion table; cheap to share between threads.
pub struct Converter {
    opencc: OpenCC,
}

impl Converter {
    /// Loads the built-in tables for `direction`.
    pub fn new(direction: Direction) -> Result<Self, String> {
        let config = match direction {
            Direction::ToTraditional => BuiltinConfig::S2t,
            Direction::ToSimplified => BuiltinConfig::T2s,
        };
        OpenCC::from_config(config)
            .map(|opencc| Converter { opencc })
            .map_err(|e| format!("cannot load the Chinese conversion tables: {e}"))
    }

    /// `text` converted; characters outside Han script are left as they are.
    pub fn convert(&self, text: &str) -> String {
        if text.is_ascii() {
            return text.to_string();
        }
        self.opencc.convert(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_convert_both_ways() {
        let to_traditional = Converter::new(Direction::ToTraditional).unwrap();
        let to_simplified = Converter::new(Direction::ToSimplified).unwrap();
        let cases = [
            (
                "区发改委专项工作评议调查报告",
                "區發改委專項工作評議調查報告",
            ),
            ("头发", "頭髮"),
            ("发展", "發展"),
            ("Open Data 2020", "Open Data 2020"),
        ];
        for (simplified, traditional) in cases {
            assert_eq!(to_traditional.convert(simplified), traditional);
            assert_eq!(to_simplified.convert(traditional), simplified);
        }
    }
}
