//! A page's template variables, kept as values until rendering so that a page can be
//! fingerprinted (and skipped when nothing it shows changed) without running its template.

use serde::Serialize;
use std::sync::Arc;
use tera::{Context, Value};

/// Makes a template value when the page is rendered.
type Make<'a> = Arc<dyn Fn() -> Value + Send + Sync + 'a>;

/// A variable's value: made already, or to be made only if the page is rendered.
#[derive(Clone)]
enum Slot<'a> {
    Ready(Value),
    Later(Make<'a>),
}

/// Template variables by name, in insertion order, each with its fingerprint.
#[derive(Clone)]
pub struct PageContext<'a> {
    values: Vec<(&'static str, Slot<'a>, u64)>,
    /// False when no fingerprint will be compared (a build without the cache): none is made.
    fingerprinted: bool,
}

impl<'a> PageContext<'a> {
    /// An empty context; `fingerprinted` says whether its variables are fingerprinted.
    pub fn new(fingerprinted: bool) -> Self {
        PageContext {
            values: Vec::new(),
            fingerprinted,
        }
    }

    /// `make`'s fingerprint, or 0 when fingerprints are not made.
    fn print(&self, make: impl FnOnce() -> u64) -> u64 {
        if self.fingerprinted { make() } else { 0 }
    }

    /// True when variables are fingerprinted.
    pub fn fingerprinted(&self) -> bool {
        self.fingerprinted
    }

    /// Sets `key` to `value`, converted to a template value now.
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        let fingerprint = self.print(|| super::fingerprint(value));
        self.insert_known(key, Value::from_serializable(value), fingerprint);
    }

    /// Sets `key` to `value`, fingerprinted now but converted to a template value only if the
    /// page is rendered (a page whose fingerprint is unchanged never converts it).
    pub fn insert_later<T: Serialize + Send + Sync + 'a>(&mut self, key: &'static str, value: T) {
        let fingerprint = self.print(|| super::fingerprint(&value));
        self.set(
            key,
            Slot::Later(Arc::new(move || Value::from_serializable(&value))),
            fingerprint,
        );
    }

    /// Sets `key` to the value `make` returns if the page is rendered; the fingerprint that
    /// `fingerprint` returns stands for that value.
    pub fn insert_made(
        &mut self,
        key: &'static str,
        fingerprint: impl FnOnce() -> u64,
        make: impl Fn() -> Value + Send + Sync + 'a,
    ) {
        let fingerprint = self.print(fingerprint);
        self.set(key, Slot::Later(Arc::new(make)), fingerprint);
    }

    /// Sets `key` to a template value, replacing an earlier one.
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        let fingerprint = self.print(|| super::fingerprint(&value));
        self.insert_known(key, value, fingerprint);
    }

    /// Sets `key` to a template value whose fingerprint is already known.
    pub fn insert_known(&mut self, key: &'static str, value: Value, fingerprint: u64) {
        self.set(key, Slot::Ready(value), fingerprint);
    }

    fn set(&mut self, key: &'static str, slot: Slot<'a>, fingerprint: u64) {
        match self.values.iter_mut().find(|(name, ..)| *name == key) {
            Some(entry) => (entry.1, entry.2) = (slot, fingerprint),
            None => self.values.push((key, slot, fingerprint)),
        }
    }

    /// Adds every variable of `other`, replacing those with the same name.
    pub fn extend(&mut self, other: PageContext<'a>) {
        for (key, slot, fingerprint) in other.values {
            self.set(key, slot, fingerprint);
        }
    }

    /// A fingerprint of every variable: equal fingerprints render equal pages.
    pub fn fingerprint(&self) -> u64 {
        let parts: Vec<(&str, u64)> = self.values.iter().map(|(k, _, f)| (*k, *f)).collect();
        super::fingerprint(&parts)
    }

    /// Every variable by name, making the values left for later.
    pub fn into_values(self) -> Vec<(&'static str, Value)> {
        self.values
            .into_iter()
            .map(|(key, slot, _)| match slot {
                Slot::Ready(value) => (key, value),
                Slot::Later(make) => (key, make()),
            })
            .collect()
    }

    /// The Tera context to render with, making the values left for later.
    pub fn into_tera(self) -> Context {
        let mut context = Context::new();
        for (key, value) in self.into_values() {
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
        let mut a = PageContext::new(true);
        a.insert("title", "区发改委");
        a.insert("count", &3);
        let mut b = a.clone();
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.insert("count", &4);
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = a.clone();
        c.insert("extra", &true);
        assert_ne!(a.fingerprint(), c.fingerprint());
        let mut later = PageContext::new(true);
        later.insert_later("title", "区发改委".to_string());
        later.insert("count", &3);
        assert_eq!(later.fingerprint(), a.fingerprint());
        let made = later.into_tera();
        assert_eq!(made.get("title").and_then(Value::as_str), Some("区发改委"));
        assert_eq!(
            a.into_tera().get("title").and_then(Value::as_str),
            Some("区发改委")
        );
    }
}
