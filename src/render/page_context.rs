//! A page's template variables, kept as values until rendering so that a page can be
//! fingerprinted (and skipped when nothing it shows changed) without running its template.

use serde::Serialize;
use tera::{Context, Value};

/// Template variables by name, in insertion order, each with its fingerprint.
#[derive(Clone, Default)]
pub struct PageContext {
    values: Vec<(&'static str, Value, u64)>,
}

impl PageContext {
    /// Sets `key` to `value`, converted to a template value.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        let fingerprint = crate::build_cache::fingerprint(value);
        self.insert_known(key, Value::from_serializable(value), fingerprint);
    }

    /// Sets `key` to a template value, replacing an earlier one.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        let fingerprint = crate::build_cache::fingerprint(&value);
        self.insert_known(key, value, fingerprint);
    }

    /// Sets `key` to a template value whose fingerprint is already known (values shared by many
    /// pages, such as report cards, are fingerprinted once).
    pub fn insert_known(&mut self, key: &'static str, value: Value, fingerprint: u64) {
        match self.values.iter_mut().find(|(name, ..)| *name == key) {
            Some(slot) => (slot.1, slot.2) = (value, fingerprint),
            None => self.values.push((key, value, fingerprint)),
        }
    }

    /// Adds every variable of `other`, replacing those with the same name.
    pub fn extend(&mut self, other: PageContext) {
        for (key, value, fingerprint) in other.values {
            self.insert_known(key, value, fingerprint);
        }
    }

    /// A fingerprint of every variable: equal fingerprints render equal pages.
    pub fn fingerprint(&self) -> u64 {
        let parts: Vec<(&str, u64)> = self.values.iter().map(|(k, _, f)| (*k, *f)).collect();
        crate::build_cache::fingerprint(&parts)
    }

    /// The Tera context to render with.
    pub fn into_tera(self) -> Context {
        let mut context = Context::new();
        for (key, value, _) in self.values {
            context.insert_value(key, value);
        }
        context
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_follows_every_value() {
        let mut a = PageContext::default();
        a.insert("title", "区发改委");
        a.insert("count", &3);
        let mut b = a.clone();
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.insert("count", &4);
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = a.clone();
        c.insert("extra", &true);
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert_eq!(
            a.into_tera().get("title").and_then(Value::as_str),
            Some("区发改委")
        );
    }
}
