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

/// Converts the text of an HTML fragment, leaving tags, attribute values (URLs, ids), comments
/// and the contents of `<script>`, `<style>` and `<code>` untouched.
pub fn convert_html_text(html: &str, converter: &Converter) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    let mut raw_until: Option<&str> = None;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            push_text(&mut out, rest, raw_until.is_none(), converter);
            break;
        };
        push_text(&mut out, &rest[..open], raw_until.is_none(), converter);
        rest = &rest[open..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |i| i + 3)
        } else {
            rest.find('>').map_or(rest.len(), |i| i + 1)
        };
        let tag = &rest[..end];
        let lower = tag.to_ascii_lowercase();
        match raw_until {
            Some(close) if lower.starts_with(close) => raw_until = None,
            Some(_) => {}
            None => {
                raw_until = ["script", "style", "code"]
                    .into_iter()
                    .find(|name| is_open_tag(&lower, name))
                    .map(|name| match name {
                        "script" => "</script",
                        "style" => "</style",
                        _ => "</code",
                    });
            }
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out
}

/// True for `<name>` or `<name attr…>`.
fn is_open_tag(lower_tag: &str, name: &str) -> bool {
    lower_tag
        .strip_prefix('<')
        .and_then(|t| t.strip_prefix(name))
        .is_some_and(|t| t.starts_with(['>', ' ', '\t', '\n', '/']))
}

fn push_text(out: &mut String, text: &str, convert: bool, converter: &Converter) {
    if convert {
        out.push_str(&converter.convert(text));
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_converts_but_tags_urls_and_code_do_not() {
        let converter = Converter::new(Direction::ToTraditional).unwrap();
        let html = "<h2 id=\"一发展\">一、发展</h2><p><a href=\"/reports/fa-zhan/\" title=\"发展\">发展报告</a></p><!-- 发展 --><pre><code>发展</code></pre><p>发展</p>";
        assert_eq!(
            convert_html_text(html, &converter),
            "<h2 id=\"一发展\">一、發展</h2><p><a href=\"/reports/fa-zhan/\" title=\"发展\">發展報告</a></p><!-- 发展 --><pre><code>发展</code></pre><p>發展</p>"
        );
    }

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
