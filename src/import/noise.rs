//! The noise that scraped disclosure pages carry: pinyin glosses after characters (`發(fā)布`),
//! `**` for redacted place names and `?` or U+FFFD where an encoding round-trip lost a character.

use crate::content::markdown::is_han;
use pinyin::ToPinyin;

/// Something in the input an editor should look at, 1-based line and column (in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Noise {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What was found.
    pub kind: NoiseKind,
}

/// The kinds of noise that are kept but reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    /// `**` (or more asterisks) standing for a redacted name.
    Redaction,
    /// `?` between Chinese characters or U+FFFD: a character lost in an encoding round-trip.
    LostCharacter,
}

/// Removes pinyin glosses written after a Han character (`區(qū)` → `區`); returns the text and
/// how many were removed. A gloss is one syllable in ASCII or full-width parentheses that has a
/// tone mark or is the character's own reading, so `(de)` after 的 goes but `(APP)` stays.
pub fn strip_pinyin(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if is_han(chars[i])
            && let Some(len) = gloss_length(chars[i], &chars[i + 1..])
        {
            i += len;
            removed += 1;
        }
        i += 1;
    }
    (out, removed)
}

/// The length in characters of a pinyin gloss for `han` at the start of `rest`, if there is one.
fn gloss_length(han: char, rest: &[char]) -> Option<usize> {
    let close = match rest.first()? {
        '(' => ')',
        '（' => '）',
        _ => return None,
    };
    let end = rest.iter().take(8).position(|&c| c == close)?;
    let syllable: String = rest[1..end].iter().collect();
    if syllable.is_empty() || !syllable.chars().all(is_pinyin_letter) {
        return None;
    }
    let toned = syllable.chars().any(|c| !c.is_ascii_lowercase());
    let own_reading = han.to_pinyin().is_some_and(|p| p.plain() == syllable);
    (toned || own_reading).then_some(end + 1)
}

/// Lower-case Latin letters and the vowels with tone marks that pinyin uses.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ".contains(c)
}

/// Every redaction and lost character in `text`, in reading order.
pub fn find_noise(text: &str) -> Vec<Noise> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut column = 0;
        while column < chars.len() {
            let c = chars[column];
            let at = |kind| Noise {
                line: index + 1,
                column: column + 1,
                kind,
            };
            if c == '*' && chars.get(column + 1) == Some(&'*') {
                found.push(at(NoiseKind::Redaction));
                column += chars[column..].iter().take_while(|&&c| c == '*').count();
                continue;
            }
            if c == '\u{FFFD}' || c == '?' && lost_question_mark(&chars, column) {
                found.push(at(NoiseKind::LostCharacter));
            }
            column += 1;
        }
    }
    found
}

/// A `?` is a lost character when it stands next to a Chinese character or another such `?`;
/// in Latin text (`index.php?id=3`, `Why?`) it is a question mark.
fn lost_question_mark(chars: &[char], at: usize) -> bool {
    let run_start = chars[..at].iter().rev().take_while(|&&c| c == '?').count();
    let run_end = chars[at..].iter().take_while(|&&c| c == '?').count();
    let before = at.checked_sub(run_start + 1).map(|i| chars[i]);
    let after = chars.get(at + run_end).copied();
    before.is_some_and(is_han) || after.is_some_and(is_han)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_glosses_table() {
        let cases = [
            ("發(fā)布時間", "發布時間", 1),
            ("區(qū)人大常委會", "區人大常委會", 1),
            ("评(píng)议（yì）工作", "评议工作", 2),
            ("我们的(de)工作", "我们的工作", 1),
            ("手机(APP)客户端", "手机(APP)客户端", 0),
            ("见附件(一)", "见附件(一)", 0),
            ("全国(national)", "全国(national)", 0),
            ("(fā) 开头", "(fā) 开头", 0),
        ];
        for (input, expected, count) in cases {
            assert_eq!(
                strip_pinyin(input),
                (expected.to_string(), count),
                "{input}"
            );
        }
    }

    #[test]
    fn redactions_and_lost_characters_have_positions() {
        let text = "标题\n在**镇和***村调研\n问题?较多，见 index.php?id=3\n损坏\u{FFFD}字，??两个";
        let found: Vec<(usize, usize, NoiseKind)> = find_noise(text)
            .into_iter()
            .map(|n| (n.line, n.column, n.kind))
            .collect();
        assert_eq!(
            found,
            [
                (2, 2, NoiseKind::Redaction),
                (2, 6, NoiseKind::Redaction),
                (3, 3, NoiseKind::LostCharacter),
                (4, 3, NoiseKind::LostCharacter),
                (4, 6, NoiseKind::LostCharacter),
                (4, 7, NoiseKind::LostCharacter),
            ]
        );
    }
}
