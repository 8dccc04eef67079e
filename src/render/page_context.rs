//! A page's context: the one typed value its template is rendered from, and the one place a
//! page is fingerprinted — the hash of that value (made in
//! [`Mode::Fingerprint`](super::costly::Mode::Fingerprint)) and its template's name, so that
//! equal fingerprints render equal pages and a repeat build can keep the file.

use super::variables::{
    DataPage, HomePage, ListPage, NotFoundPage, RedirectPage, ReportPage, SearchPage,
    StandalonePage, TermsPage,
};
use serde::Serialize;

/// The context of one page, by template.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PageContext<'r> {
    /// `index.html`.
    Home(HomePage<'r>),
    /// `report.html`.
    Report(ReportPage<'r>),
    /// `page.html`.
    Standalone(StandalonePage<'r>),
    /// `terms.html`.
    Terms(TermsPage<'r>),
    /// `list.html`.
    List(ListPage<'r>),
    /// `data.html`.
    Data(DataPage<'r>),
    /// `search.html`.
    Search(SearchPage<'r>),
    /// `redirect.html`.
    Redirect(RedirectPage<'r>),
    /// `404.html`.
    NotFound(NotFoundPage<'r>),
}

impl PageContext<'_> {
    /// The template it is rendered with.
    pub fn template(&self) -> &'static str {
        match self {
            PageContext::Home(_) => "index.html",
            PageContext::Report(_) => "report.html",
            PageContext::Standalone(_) => "page.html",
            PageContext::Terms(_) => "terms.html",
            PageContext::List(_) => "list.html",
            PageContext::Data(_) => "data.html",
            PageContext::Search(_) => "search.html",
            PageContext::Redirect(_) => "redirect.html",
            PageContext::NotFound(_) => "404.html",
        }
    }

    /// The name of its struct (`ReportPage`), as docs/theme-api.md names it.
    pub fn struct_name(&self) -> &'static str {
        fn name<T>(_: &T) -> &'static str {
            let path = std::any::type_name::<T>();
            let path = path.split('<').next().unwrap_or(path);
            path.rsplit("::").next().unwrap_or(path)
        }
        match self {
            PageContext::Home(page) => name(page),
            PageContext::Report(page) => name(page),
            PageContext::Standalone(page) => name(page),
            PageContext::Terms(page) => name(page),
            PageContext::List(page) => name(page),
            PageContext::Data(page) => name(page),
            PageContext::Search(page) => name(page),
            PageContext::Redirect(page) => name(page),
            PageContext::NotFound(page) => name(page),
        }
    }

    /// The page's fingerprint: its template and everything the template receives (a context
    /// made in [`Mode::Fingerprint`](super::costly::Mode::Fingerprint)).
    pub fn fingerprint(&self) -> u64 {
        crate::incremental::fingerprint(&(self.template(), self))
    }

    /// The Tera context to render with (a context made in
    /// [`Mode::Render`](super::costly::Mode::Render)).
    pub fn to_tera(&self) -> tera::TeraResult<tera::Context> {
        tera::Context::from_serialize(self)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Shared {
        title: &'static str,
    }

    #[derive(Serialize)]
    struct Page {
        #[serde(flatten)]
        shared: Shared,
        count: u32,
    }

    /// Every page holds its shared part flattened (a map of unknown length to the encoder):
    /// the fingerprint must still follow each of its fields.
    #[test]
    fn fingerprints_follow_flattened_fields() {
        let page = |title, count| Page {
            shared: Shared { title },
            count,
        };
        assert!(rmp_serde::to_vec(&page("区发改委", 3)).is_ok());
        let print = |p: &Page| crate::incremental::fingerprint(p);
        assert_eq!(print(&page("区发改委", 3)), print(&page("区发改委", 3)));
        assert_ne!(print(&page("区发改委", 3)), print(&page("区卫健委", 3)));
        assert_ne!(print(&page("区发改委", 3)), print(&page("区发改委", 4)));
    }
}
