//! The one reader of YAML mappings into settings, for site.yaml and front-matter alike: a table
//! lists the keys a mapping may carry and how each value is read, and misfits, keys written in
//! capitals, keys hiding an invisible character and unknown keys are reported the same way for
//! every file. The list of known keys is the table itself, so it cannot drift from the readers.

use super::{Key, Node, Value};
use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::msg;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One key a mapping may carry and how its value is read into a `T`.
pub struct Field<T> {
    /// The key, in lower case.
    pub key: &'static str,
    /// Reads the value into the target, reporting what does not fit.
    pub read: fn(&mut Reader<'_>, &Key, &Node, &mut T),
}

/// The keys of one kind of mapping, and how messages speak of it.
pub struct Table<T: 'static> {
    /// Every key the mapping may carry.
    pub fields: &'static [Field<T>],
    /// The file, in messages: `site.yaml`, `front-matter`.
    pub file: (&'static str, &'static str),
    /// Written before each key in messages: `related.` for a map inside site.yaml.
    pub prefix: &'static str,
    /// The hint for an unknown key that resembles no known one (the known keys are passed in).
    pub fallback_hint: fn(&[&'static str]) -> String,
}

impl<T> Table<T> {
    /// Every key of the table.
    pub fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|field| field.key).collect()
    }

    fn field(&self, key: &str) -> Option<&Field<T>> {
        self.fields.iter().find(|field| field.key == key)
    }

    /// Reads `entries` into `target`; returns the known keys that were written, in any spelling
    /// (`Title:` counts as `title`), so callers can tell a missing key from a misspelt one.
    pub fn read(
        &self,
        entries: &[(Key, Node)],
        reader: &mut Reader<'_>,
        target: &mut T,
    ) -> BTreeSet<&'static str> {
        let mut seen = BTreeSet::new();
        for (key, node) in entries {
            if let Some(field) = self.field(&key.name) {
                seen.insert(field.key);
                (field.read)(reader, key, node, target);
            } else if let Some(field) = self.field(&key.name.to_lowercase()) {
                seen.insert(field.key);
                self.written_in_capitals(reader, key, field.key);
            } else if let Some((cleaned, character)) = crate::invisible::hidden_in_key(&key.name)
                // A key of nothing but invisible characters names no key: it is unknown.
                .filter(|(cleaned, _)| !cleaned.is_empty())
            {
                let known = self.field(cleaned).map(|field| field.key);
                seen.extend(known);
                self.hidden_character(reader, key, cleaned, character, known.is_some());
            } else {
                self.unknown(reader, key);
            }
        }
        seen
    }

    fn written_in_capitals(&self, reader: &mut Reader<'_>, key: &Key, lower: &str) {
        let (prefix, written) = (self.prefix, &key.name);
        let message = msg!(
            "`{prefix}{written}` is written with capitals: {} keys are lower case",
            "`{prefix}{written}` 含大写字母：{}的键一律小写",
            self.file_name()
        );
        reader.error(
            key.position,
            message,
            msg!("write `{lower}:`", "改写为 `{lower}:`"),
        );
    }

    fn hidden_character(
        &self,
        reader: &mut Reader<'_>,
        key: &Key,
        cleaned: &str,
        character: &str,
        known: bool,
    ) {
        let message = msg!(
            "the key `{cleaned}` has an invisible {character} next to it, so it is not read as `{cleaned}`",
            "键 `{cleaned}` 旁边有看不见的{character}，所以没有被读作 `{cleaned}`"
        );
        let hint = msg!(
            "delete the {character} around `{cleaned}` (an input method typed it; it looks like a space or nothing)",
            "删掉 `{cleaned}` 前后的{character}（输入法打出来的，看上去像空格或什么都没有）"
        );
        // A known key whose value would be lost is an error; an unknown one was ignored anyway.
        let diagnostic = if known {
            Diagnostic::error(reader.path, key.position, message)
        } else {
            Diagnostic::warning(reader.path, key.position, message)
        };
        reader.problems.push(diagnostic.with_hint(hint));
    }

    fn unknown(&self, reader: &mut Reader<'_>, key: &Key) {
        let (prefix, name) = (self.prefix, &key.name);
        let keys = self.keys();
        let hint = match did_you_mean(name, &keys) {
            Some(known) => msg!(
                "did you mean `{prefix}{known}`?",
                "是不是想写 `{prefix}{known}`？"
            ),
            None => (self.fallback_hint)(&keys),
        };
        let message = msg!(
            "unknown {} key `{prefix}{name}`; it is ignored",
            "{}中有未知的键 `{prefix}{name}`，已忽略",
            self.file_name()
        );
        reader
            .problems
            .push(Diagnostic::warning(reader.path, key.position, message).with_hint(hint));
    }

    fn file_name(&self) -> &'static str {
        if crate::lang::chinese() {
            self.file.1
        } else {
            self.file.0
        }
    }
}

/// The hint listing every known key, for tables whose keys are few.
pub fn list_known_keys(keys: &[&'static str]) -> String {
    msg!("known keys: {}", "可用的键：{}", keys.join(", "))
}

/// Reads typed values out of nodes, recording a diagnostic, with a hint, for each misfit.
pub struct Reader<'a> {
    path: &'a Path,
    /// Where problems go.
    pub problems: &'a mut Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// A reader whose problems are reported in the file shown as `path`.
    pub fn new(path: &'a Path, problems: &'a mut Vec<Diagnostic>) -> Self {
        Reader { path, problems }
    }

    /// Records an error with a hint.
    pub fn error(&mut self, position: Position, message: String, hint: String) {
        self.problems
            .push(Diagnostic::error(self.path, position, message).with_hint(hint));
    }

    /// Records a warning with a hint.
    pub fn warning(&mut self, position: Position, message: String, hint: String) {
        self.problems
            .push(Diagnostic::warning(self.path, position, message).with_hint(hint));
    }

    /// The value as text (numbers and booleans as written), or an error.
    pub fn text(&mut self, key: &Key, node: &Node) -> Option<String> {
        if let Some(text) = node.as_text() {
            return Some(text.to_string());
        }
        let (name, found) = (&key.name, node.value.kind());
        self.error(
            node.position,
            msg!(
                "`{name}` must be text, found {found}",
                "`{name}` 必须是文字，却是{found}"
            ),
            msg!(
                "write it on one line: `{name}: …`",
                "写在同一行：`{name}: …`"
            ),
        );
        None
    }

    /// Trimmed text; nothing for an empty value or an empty string.
    pub fn optional_text(&mut self, key: &Key, node: &Node) -> Option<String> {
        if node.value == Value::Null {
            return None;
        }
        self.text(key, node)
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    }

    /// Trimmed text into `target`; an empty value leaves the default.
    pub fn string(&mut self, key: &Key, node: &Node, target: &mut String) {
        if node.value == Value::Null {
            return;
        }
        if let Some(text) = self.text(key, node) {
            *target = text.trim().to_string();
        }
    }

    /// `true` or `false`; nothing for an empty value or a misfit.
    pub fn flag(&mut self, key: &Key, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            Value::Null => None,
            _ => {
                let name = &key.name;
                self.error(
                    node.position,
                    msg!(
                        "`{name}` must be true or false",
                        "`{name}` 只能是 true 或 false"
                    ),
                    msg!(
                        "write `{name}: true` or remove the line",
                        "写 `{name}: true`，或删掉这一行"
                    ),
                );
                None
            }
        }
    }

    /// A whole number of at least 1, or an error at the value.
    pub fn positive(&mut self, key: &Key, node: &Node) -> Option<usize> {
        match node.value {
            Value::Int(n) if n >= 1 => usize::try_from(n).ok(),
            _ => {
                let name = &key.name;
                self.error(
                    node.position,
                    msg!(
                        "`{name}` must be a whole number of at least 1",
                        "`{name}` 必须是不小于 1 的整数"
                    ),
                    msg!("write e.g. `{name}: 20`", "例如写 `{name}: 20`"),
                );
                None
            }
        }
    }

    /// A map of text to text (`tag_aliases`, `slugs`), keys and values trimmed.
    pub fn string_map(&mut self, key: &Key, node: &Node) -> BTreeMap<String, String> {
        let name = &key.name;
        let mut map = BTreeMap::new();
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    match v.as_text() {
                        Some(text) => {
                            map.insert(k.name.trim().to_string(), text.trim().to_string());
                        }
                        None => self.error(
                            v.position,
                            msg!("`{name}` values must be text", "`{name}` 的值必须是文字"),
                            msg!("write one `名称: 值` per line", "每行写一个 `名称: 值`"),
                        ),
                    }
                }
            }
            Value::Null => {}
            _ => self.error(
                node.position,
                msg!("`{name}` must be a map", "`{name}` 必须是键值映射"),
                msg!(
                    "indent one `名称: 值` per line under the key",
                    "在键下缩进，每行写一个 `名称: 值`"
                ),
            ),
        }
        map
    }
}

/// The items of a list; a single value stands for a list of one, an empty value for none.
pub fn items(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        _ => vec![node],
    }
}
