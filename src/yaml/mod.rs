//! All YAML parsing lives here: text → a small tree of values that remember their line and column.
//!
//! Front-matter and site.yaml are read as a generic tree first (not straight into structs) so that
//! every key and value keeps its position: that is what lets an error say `a.md:5:9` and lets
//! unknown keys be reported instead of silently dropped.

pub mod fields;
pub mod write;

use crate::diagnostics::{Diagnostic, Position};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts in the file.
    pub position: Position,
    /// The text as written, for scalars (`1.10` stays `1.10` when read as a title).
    pub raw: String,
}

/// The shapes a YAML value can take.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key is written.
    pub position: Position,
}

/// A YAML syntax error at a position in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub position: Position,
    /// What it found, in the parser's words.
    pub message: String,
}

impl Value {
    /// A short name of the value's kind for messages ("a list", "a map").
    pub fn kind(&self) -> &'static str {
        let (english, chinese) = match self {
            Value::Null => ("nothing", "空值"),
            Value::Bool(_) => ("true/false", "true/false"),
            Value::Int(_) | Value::Float(_) => ("a number", "数字"),
            Value::Str(_) => ("text", "文字"),
            Value::Seq(_) => ("a list", "列表"),
            Value::Map(_) => ("a map", "键值映射"),
        };
        if crate::lang::chinese() {
            chinese
        } else {
            english
        }
    }
}

impl Node {
    /// The scalar as text: strings as they are, numbers and booleans as written.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(&self.raw),
            _ => None,
        }
    }
}

/// Parses `text` as a YAML mapping; positions are shifted down by `first_line - 1` lines so they
/// are file lines. An empty document is an empty mapping.
pub fn parse_mapping(text: &str, first_line: usize) -> Result<Vec<(Key, Node)>, SyntaxError> {
    let shift =
        |line: u64, column: u64| Position::new(line as usize + first_line - 1, column as usize);
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    // Repeated keys reach the tree (each with its place) so callers can name both lines and
    // say which value Hugo and Jekyll used: see [`repeated_keys`].
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    let parsed: Result<Option<Spanned<RawNode>>, _> =
        serde_saphyr::from_str_with_options(text, options);
    let root = match parsed {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Vec::new()),
        Err(error) => {
            if let Some((line, column, message)) = likely_cause(text) {
                return Err(SyntaxError {
                    position: shift(line, column),
                    message,
                });
            }
            let (line, column) = error
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            return Err(SyntaxError {
                position: shift(line, column),
                message: plain_message(&error.without_snippet().to_string()),
            });
        }
    };
    let root = convert(root, text, &shift);
    match root.value {
        Value::Map(entries) => Ok(entries),
        Value::Null => Ok(Vec::new()),
        other => Err(SyntaxError {
            position: root.position,
            message: crate::msg!(
                "expected `key: value` lines, found {}",
                "这里应是 `键: 值` 形式的行，却是{}",
                other.kind()
            ),
        }),
    }
}

/// A key written a second (or later) time in one mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatedKey {
    /// The key.
    pub name: String,
    /// Where it was written before.
    pub earlier: Position,
    /// Where it is written again.
    pub later: Position,
    /// The value of its last line, as written: the one Hugo and Jekyll use.
    pub last_value: String,
}

impl RepeatedKey {
    /// The error at the repeat in the file shown as `display`, naming the earlier line; callers
    /// add the hint that fits their file.
    pub fn error(&self, display: &std::path::Path) -> Diagnostic {
        Diagnostic::error(
            display,
            self.later,
            crate::msg!(
                "`{}` is written twice: on line {} and again here",
                "`{}` 写了两次：第 {} 行一次，这里又一次",
                self.name,
                self.earlier.line
            ),
        )
    }
}

/// Each key of `entries` written more than once, at every repeat, with the value of its last line.
pub fn repeated_keys(entries: &[(Key, Node)]) -> Vec<RepeatedKey> {
    let mut seen: std::collections::HashMap<&str, Position> = Default::default();
    let mut last: std::collections::HashMap<&str, &Node> = Default::default();
    for (key, node) in entries {
        last.insert(&key.name, node);
    }
    let mut repeats = Vec::new();
    for (key, _) in entries {
        if let Some(earlier) = seen.insert(&key.name, key.position) {
            repeats.push(RepeatedKey {
                name: key.name.clone(),
                earlier,
                later: key.position,
                last_value: last
                    .get(key.name.as_str())
                    .map_or_else(String::new, |n| as_written(n)),
            });
        }
    }
    repeats
}

/// `entries` with only the last line of each repeated key, in the order of those last lines.
pub fn keep_last_values(entries: Vec<(Key, Node)>) -> Vec<(Key, Node)> {
    let mut last: std::collections::HashMap<String, usize> = Default::default();
    for (index, (key, _)) in entries.iter().enumerate() {
        last.insert(key.name.clone(), index);
    }
    entries
        .into_iter()
        .enumerate()
        .filter(|(index, (key, _))| last.get(&key.name) == Some(index))
        .map(|(_, entry)| entry)
        .collect()
}

/// A value as it reads in the file, for messages: scalars as written, lists in flow style.
fn as_written(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => {
            let items: Vec<String> = items.iter().map(as_written).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(_) => "a map".to_string(),
        Value::Null => "nothing".to_string(),
        Value::Str(s) if node.raw.is_empty() => s.clone(),
        _ => node.raw.clone(),
    }
}

/// What an editor most likely did when YAML does not parse, at its line and column (1-based, in
/// `text`): a tab in the indentation (YAML indents with spaces; the parser reports the line
/// before), or `: ` inside an unquoted value such as a title (YAML reads a second key there).
fn likely_cause(text: &str) -> Option<(u64, u64, String)> {
    let lines = || {
        text.lines()
            .enumerate()
            .map(|(n, line)| (n as u64 + 1, line))
    };
    for (number, line) in lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        if let Some(at) = indent.find('\t') {
            let column = indent[..at].chars().count() as u64 + 1;
            return Some((
                number,
                column,
                crate::msg!(
                    "a tab in the indentation of this line: YAML indents with spaces only",
                    "这一行的缩进里有制表符（Tab）：YAML 只能用空格缩进"
                ),
            ));
        }
    }
    for (number, line) in lines() {
        if line.starts_with([' ', '#', '-']) {
            continue;
        }
        let Some((key, value)) = line.split_once(": ") else {
            continue;
        };
        let trimmed = value.trim_start();
        if trimmed.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
            continue;
        }
        if let Some(at) = trimmed.find(": ") {
            let before = key.chars().count()
                + 2
                + (value.len() - trimmed.len())
                + trimmed[..at].chars().count();
            return Some((
                number,
                before as u64 + 1,
                crate::msg!(
                    "the value of `{}` holds `: `, which YAML reads as the start of another key",
                    "`{}` 的值里有英文冒号加空格 `: `，YAML 会把它当成另一个键的开头",
                    key.trim()
                ),
            ));
        }
    }
    None
}

/// Strips the parser's own `error: line N column M:` prefix, keeping its explanation; in
/// Chinese, says what the parser's words mean for an editor.
fn plain_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_place = match first.split_once(": ") {
        Some((place, rest)) if place.starts_with("line ") => rest,
        _ => first,
    };
    let cleaned = without_place
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(without_place);
    // The parser's own "at line N, column M" counts from the front-matter, not the file.
    let cleaned = match cleaned.find(" at line ") {
        Some(at) if cleaned[at..].contains(", column ") => &cleaned[..at],
        _ => cleaned,
    };
    if crate::lang::chinese() {
        return format!("YAML 格式有误：{}", explain(cleaned));
    }
    format!("invalid YAML: {cleaned}")
}

/// The parser's common complaints in an editor's words (Chinese), else the parser's own.
fn explain(parser_words: &str) -> String {
    let words = parser_words.to_ascii_lowercase();
    let known = [
        (
            "mapping values are not allowed",
            "这里不能再写 `键: 值`：可能是上一行的值里有英文冒号，或缩进不对",
        ),
        (
            "did not find expected key",
            "缩进没有对齐：同一层的键要用相同个数的空格开头",
        ),
        (
            "could not find expected ':'",
            "这一行缺少键后面的英文冒号 `:`",
        ),
        (
            "found character that cannot start any token",
            "这一行以 YAML 不接受的字符开头（如 `@`、`` ` ``、Tab），请给值加上引号",
        ),
        (
            "unexpected end of stream",
            "文件在引号或括号还没闭合时就结束了",
        ),
        (
            "did not find expected node content",
            "缺少值：冒号或 `-` 后面应写内容",
        ),
        (
            "found undefined alias",
            "`*` 开头的值是 YAML 的引用，请给这个值加上引号",
        ),
        (
            "did not find expected ',' or ']'",
            "列表 `[...]` 没有闭合，或项目之间缺少英文逗号",
        ),
        (
            "did not find expected ',' or '}'",
            "映射 `{...}` 没有闭合，或项目之间缺少英文逗号",
        ),
    ];
    known
        .iter()
        .find(|(english, _)| words.contains(english))
        .map_or_else(
            || parser_words.to_string(),
            |(_, chinese)| (*chinese).to_string(),
        )
}

fn convert(node: Spanned<RawNode>, text: &str, shift: &impl Fn(u64, u64) -> Position) -> Node {
    let location = node.referenced;
    let position = shift(location.line(), location.column());
    let span = location.span();
    let raw = match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => text
            .get(start as usize..(start + len) as usize)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let value = match node.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => {
            Value::Seq(items.into_iter().map(|n| convert(n, text, shift)).collect())
        }
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        position: shift(k.referenced.line(), k.referenced.column()),
                        name: k.value,
                    };
                    (key, convert(v, text, shift))
                })
                .collect(),
        ),
    };
    let raw = if matches!(value, Value::Seq(_) | Value::Map(_)) {
        String::new()
    } else {
        raw
    };
    Node {
        value,
        position,
        raw,
    }
}

/// The tree as serde hands it over, before positions are made file-relative.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_lines_after_the_opening_fence() {
        let entries = parse_mapping("title: 报告\ntags: [a, b]\n", 2).unwrap();
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(entries[0].0.position, Position::new(2, 1));
        assert_eq!(entries[1].1.position, Position::new(3, 7));
        let Value::Seq(tags) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(tags[1].position, Position::new(3, 11));
    }

    #[test]
    fn what_the_editor_did_is_named_at_its_place() {
        let cases = [
            (
                "title: 报告\ndate: 2020-08-06\nextra:\n  a: 1\n\tb: 2\n",
                Position::new(6, 1),
                "a tab in the indentation of this line",
            ),
            (
                "title: 关于区发改委: 专项评议报告\ndate: 2020-08-06\n",
                Position::new(2, 14),
                "the value of `title` holds `: `",
            ),
        ];
        for (yaml, position, message) in cases {
            let error = parse_mapping(yaml, 2).unwrap_err();
            assert_eq!(error.position, position, "{yaml}");
            assert!(error.message.contains(message), "{}", error.message);
        }
        assert!(parse_mapping("title: \"甲: 乙\"\nlink: https://x.cn\n", 1).is_ok());
    }

    #[test]
    fn numbers_keep_their_written_text() {
        let entries = parse_mapping("title: 1.10\n", 1).unwrap();
        assert_eq!(entries[0].1.as_text(), Some("1.10"));
    }

    #[test]
    fn repeated_keys_are_kept_with_their_places_and_the_last_value_named() {
        let entries =
            parse_mapping("title: a\nreviewer: 张三\ntags: [x]\nreviewer: 李四\n", 2).unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(
            repeated_keys(&entries),
            [RepeatedKey {
                name: "reviewer".to_string(),
                earlier: Position::new(3, 1),
                later: Position::new(5, 1),
                last_value: "李四".to_string(),
            }]
        );
        let kept = keep_last_values(entries);
        let names: Vec<_> = kept
            .iter()
            .map(|(k, n)| (k.name.as_str(), n.as_text()))
            .collect();
        assert_eq!(
            names,
            [
                ("title", Some("a")),
                ("tags", None),
                ("reviewer", Some("李四"))
            ]
        );
    }

    #[test]
    fn malformed_yaml_reports_where_the_parser_stopped() {
        let error = parse_mapping("title: [a\ndate: x\n", 2).unwrap_err();
        assert_eq!(error.position.line, 3);
        assert!(
            error.message.starts_with("invalid YAML: "),
            "{}",
            error.message
        );
        assert!(!error.message.contains("at line"), "{}", error.message);
    }

    #[test]
    fn a_list_at_the_top_is_rejected() {
        let error = parse_mapping("- a\n- b\n", 2).unwrap_err();
        assert!(error.message.contains("found a list"), "{}", error.message);
    }
}

/// How [`to_json`] writes floats.
#[derive(Clone, Copy)]
pub enum Floats {
    /// As JSON numbers (templates compare them).
    AsNumbers,
    /// As the text written in the YAML (`1.10` stays `1.10`), for re-writing front-matter.
    AsWritten,
}

/// A YAML node as JSON (front-matter `extra`).
pub fn to_json(node: &Node, floats: Floats) -> serde_json::Value {
    use serde_json::Value as Json;
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => match floats {
            Floats::AsNumbers => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Floats::AsWritten => Json::String(node.raw.clone()),
        },
        Value::Str(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(|n| to_json(n, floats)).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v, floats)))
                .collect(),
        ),
    }
}
