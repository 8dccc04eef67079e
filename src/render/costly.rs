//! The costly parts of a page — report cards and a report's body — which a page holds as
//! references: given by their fingerprints when the page is fingerprinted (so an unchanged page
//! is recognised without making its cards or hashing its body again), and in full
//! when it is rendered.

use super::context::{Urls, report_card};
use crate::content::body_text::BodyText;
use crate::model::Site;
use serde::{Serialize, Serializer};
use std::sync::OnceLock;
use tera::Value;

/// How a page's costly parts are serialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// As their fingerprints: a card as the fingerprint of the whole card, a body as its hash.
    Fingerprint,
    /// In full, for the template.
    Render,
}

/// Every report's card, made once as a template value and fingerprinted once, on first use
/// (a dev-server request needs only a few).
pub struct CardCache<'a> {
    site: &'a Site,
    urls: Urls,
    values: Vec<OnceLock<Value>>,
    prints: Vec<OnceLock<u64>>,
}

impl<'a> CardCache<'a> {
    /// The cards of `site`'s reports, linking under `urls`.
    pub fn new(site: &'a Site, urls: Urls) -> Self {
        let count = site.reports.len();
        CardCache {
            site,
            urls,
            values: (0..count).map(|_| OnceLock::new()).collect(),
            prints: (0..count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Report `index`'s card as a template value (cloning one is cheap).
    fn value(&self, index: usize) -> &Value {
        self.values[index]
            .get_or_init(|| Value::from_serializable(&report_card(self.site, &self.urls, index)))
    }

    /// The fingerprint of report `index`'s card: the hash of the same card the template gets.
    fn print(&self, index: usize) -> u64 {
        *self.prints[index].get_or_init(|| {
            crate::incremental::fingerprint(&report_card(self.site, &self.urls, index))
        })
    }

    /// Report `index`'s card, serialized as `mode` says.
    pub fn card(&self, index: usize, mode: Mode) -> Card<'_> {
        Card {
            cache: self,
            index,
            mode,
        }
    }

    /// The cards of reports `ids`, in order, serialized as `mode` says.
    pub fn cards<'s>(&'s self, ids: &'s [usize], mode: Mode) -> Cards<'s> {
        Cards {
            cache: self,
            ids,
            mode,
        }
    }
}

/// One report's card: a [`ReportCard`](super::context::ReportCard) for the template.
pub struct Card<'s> {
    cache: &'s CardCache<'s>,
    index: usize,
    mode: Mode,
}

impl Serialize for Card<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.mode {
            Mode::Fingerprint => serializer.serialize_u64(self.cache.print(self.index)),
            Mode::Render => self.cache.value(self.index).serialize(serializer),
        }
    }
}

/// A list of report cards.
pub struct Cards<'s> {
    cache: &'s CardCache<'s>,
    ids: &'s [usize],
    mode: Mode,
}

impl Serialize for Cards<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.ids.iter().map(|&i| self.cache.card(i, self.mode)))
    }
}

/// A report's body as HTML: its hash when fingerprinted (a page's fingerprint then costs a
/// lookup, not the body's bytes).
pub struct Body<'s> {
    html: &'s BodyText,
    mode: Mode,
}

impl<'s> Body<'s> {
    /// `html`, serialized as `mode` says.
    pub fn new(html: &'s BodyText, mode: Mode) -> Self {
        Body { html, mode }
    }
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.mode {
            Mode::Fingerprint => serializer.serialize_u64(self.html.hash()),
            Mode::Render => serializer.serialize_str(self.html),
        }
    }
}
