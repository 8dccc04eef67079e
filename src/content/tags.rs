//! Splits a keyword string (`"教育, 评议、满意度"`) into keywords.

/// Characters that separate keywords written as one string.
const SEPARATORS: [char; 5] = [',', '，', '、', ';', '；'];

/// Splits on `, ， 、 ; ；` and whitespace, trims, drops empties and repeats (first spelling wins).
pub fn split_keywords(text: &str) -> Vec<String> {
    unique_keywords(text.split(|c: char| SEPARATORS.contains(&c) || c.is_whitespace()))
}

/// Adds a keyword unless it is empty or already present (for the importers, which add keywords
/// from several places one at a time).
pub fn push_unique(keywords: &mut Vec<String>, keyword: &str) {
    let keyword = keyword.trim();
    if !keyword.is_empty() && !keywords.iter().any(|k| k == keyword) {
        keywords.push(keyword.to_string());
    }
}

/// The keywords trimmed, without empties and repeats (first spelling wins), in linear time: a
/// hostile file may list a hundred thousand.
pub fn unique_keywords<'a>(keywords: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    keywords
        .into_iter()
        .map(str::trim)
        .filter(|keyword| !keyword.is_empty() && seen.insert(*keyword))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_strings_table() {
        let cases: &[(&str, &[&str])] = &[
            ("发改委, 评议, 调查报告", &["发改委", "评议", "调查报告"]),
            ("教育，评议、满意度", &["教育", "评议", "满意度"]),
            ("教育;评议；民生", &["教育", "评议", "民生"]),
            ("营商环境 评议\t整改", &["营商环境", "评议", "整改"]),
            ("评议, 评议,, ", &["评议"]),
            ("  ", &[]),
            ("2021, 十四五", &["2021", "十四五"]),
        ];
        for (input, expected) in cases {
            assert_eq!(split_keywords(input), *expected, "{input:?}");
        }
    }
}
