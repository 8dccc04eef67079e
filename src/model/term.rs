//! What a taxonomy is made of: its kind and its terms. A module of its own so that the taxonomy
//! builder and the slug maker both depend on it, and not on each other.

use crate::content::Report;

/// Which field of a report a taxonomy groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxonomyKind {
    /// `tags`: hot keywords (热词).
    Tags,
    /// `department`: the appraised body.
    Departments,
    /// `source`: the kind of text.
    Sources,
}

impl TaxonomyKind {
    /// The URL folder: `tags`, `departments`, `sources`.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Departments => "departments",
            TaxonomyKind::Sources => "sources",
        }
    }

    /// The names a report carries for this taxonomy.
    pub(super) fn names(self, report: &Report) -> Vec<&str> {
        match self {
            TaxonomyKind::Tags => report.meta.tags.iter().map(String::as_str).collect(),
            TaxonomyKind::Departments => report.meta.department.as_deref().into_iter().collect(),
            TaxonomyKind::Sources => report.meta.source.as_deref().into_iter().collect(),
        }
    }
}

/// One keyword, department or source.
#[derive(Clone, Debug)]
pub struct Term {
    /// As written (after `tag_aliases`).
    pub name: String,
    /// Its URL segment, unique within the taxonomy.
    pub slug: String,
    /// Reports carrying it, newest first (indexes into `Site::reports`).
    pub reports: Vec<usize>,
}
