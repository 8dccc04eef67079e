//! A page's template variables, kept as values until rendering so that a page can be
//! fingerprinted (and skipped when nothing it shows changed) without running its template.

use serde::Serialize;
use tera::{Context, Value};

/// Template variables by name, in insertion order.
#[derive(Clone, Default)]
pub struct PageContext {
    values: Vec<(&'static str, Value)>,
}

impl PageContext {
    /// Sets `key` to `value`, converted to a template value.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.insert_value(key, Value::from_serializable(value));
    }

    /// Sets `key` to a template value, replacing an earlier one.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        match self.values.iter_mut().find(|(name, _)| *name == key) {
            Some(slot) => slot.1 = value,
            None => self.values.push((key, value)),
        }
    }

    /// Adds every variable of `other`, replacing those with the same name.
    pub fn extend(&mut self, other: PageContext) {
        for (key, value) in other.values {
            self.insert_value(key, value);
        }
    }

    /// A fingerprint of every variable: equal fingerprints render equal pages.
    pub fn fingerprint(&self) -> u64 {
        crate::build_cache::fingerprint(&self.values)
    }

    /// The Tera context to render with.
    pub fn into_tera(self) -> Context {
        let mut context = Context::new();
        for (key, value) in self.values {
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
