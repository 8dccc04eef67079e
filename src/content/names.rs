//! What a report's place in content/ says about it, as Hugo, Jekyll and Hexo read it: a page
//! bundle (`post/<name>/index.md`) is named after its folder, and a `YYYY-MM-DD-name` file or
//! folder name carries the date and the name.

use std::path::Path;

/// The name a report's slug is made from, and the date its file or folder name starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportName<'a> {
    /// `name` of `2020-08-06-name.md`, `name/index.md` or `name.md`.
    pub name: &'a str,
    /// `2020-08-06` of `2020-08-06-name.md` (or of a bundle folder named so).
    pub date: Option<&'a str>,
}

/// The name of the report at `relative` (its path under content/).
pub fn report_name(relative: &Path) -> ReportName<'_> {
    let stem = bundle_folder(relative)
        .or_else(|| relative.file_stem().and_then(|s| s.to_str()))
        .unwrap_or("report");
    let (date, name) = split_dated_name(stem);
    ReportName { name, date }
}

/// For a bundle's page (`post/<name>/index.md`), the folder's name.
fn bundle_folder(relative: &Path) -> Option<&str> {
    if !is_bundle_page(relative) {
        return None;
    }
    relative.parent()?.file_name()?.to_str()
}

/// True for the page of a Hugo leaf bundle: an `index.md` (or `.markdown`) in a folder under
/// content/ (content/index.md itself is an ordinary report).
pub fn is_bundle_page(relative: &Path) -> bool {
    let stem_is_index = relative.file_stem().is_some_and(|s| s == "index");
    let in_a_folder = relative.parent().is_some_and(|p| !p.as_os_str().is_empty());
    stem_is_index && in_a_folder
}

/// True for Hugo's section pages (`_index.md`): a list page's text, not a report.
pub fn is_section_page(relative: &Path) -> bool {
    relative.file_stem().is_some_and(|s| s == "_index")
}

/// `2020-08-06-title` → (`2020-08-06`, `title`); other names are kept whole.
pub fn split_dated_name(stem: &str) -> (Option<&str>, &str) {
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    if dated {
        (Some(&stem[..10]), &stem[11..])
    } else {
        (None, stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_table() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("fagaiwei.md", "fagaiwei", None),
            ("2020/fagaiwei.md", "fagaiwei", None),
            (
                "_posts/2017/2017-09-07-公民協力.md",
                "公民協力",
                Some("2017-09-07"),
            ),
            ("post/jiaoyu-pingyi/index.md", "jiaoyu-pingyi", None),
            (
                "post/2021-03-02-jiaoyu/index.md",
                "jiaoyu",
                Some("2021-03-02"),
            ),
            ("index.md", "index", None),
            ("2020-08-06.md", "2020-08-06", None),
            ("2020-08-06-.md", "2020-08-06-", None),
        ];
        for (path, name, date) in cases {
            let got = report_name(Path::new(path));
            assert_eq!((got.name, got.date), (*name, *date), "{path}");
        }
    }

    #[test]
    fn bundle_and_section_pages() {
        assert!(is_bundle_page(Path::new("post/a/index.md")));
        assert!(!is_bundle_page(Path::new("index.md")));
        assert!(!is_bundle_page(Path::new("post/a/cover.md")));
        assert!(is_section_page(Path::new("post/_index.md")));
        assert!(!is_section_page(Path::new("post/index.md")));
    }
}
