//! `sitemap.xml` (split with an index past 50,000 URLs) and `robots.txt`.

use super::xml::escape;

/// URLs per sitemap file, the limit the sitemaps protocol sets.
pub const URLS_PER_FILE: usize = 50_000;

/// One page in the sitemap: absolute URL and last modification (ISO 8601).
pub struct SitemapEntry {
    /// Absolute URL.
    pub url: String,
    /// Last modification.
    pub lastmod: Option<String>,
}

/// True for a path [`sitemaps`] can write: `sitemap.xml` or a part, `sitemap-<n>.xml`.
pub fn is_sitemap_file(path: &str) -> bool {
    path == "sitemap.xml"
        || path
            .strip_prefix("sitemap-")
            .and_then(|p| p.strip_suffix(".xml"))
            .is_some_and(|n| {
                n.parse::<usize>()
                    .is_ok_and(|v| v > 0 && v.to_string() == n)
            })
}

/// The sitemap files as (site-relative path, XML): one `sitemap.xml`, or an index plus parts.
pub fn sitemaps(
    entries: &[SitemapEntry],
    absolute: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let chunks: Vec<&[SitemapEntry]> = entries.chunks(URLS_PER_FILE).collect();
    if chunks.len() <= 1 {
        return vec![("sitemap.xml".to_string(), urlset(entries))];
    }
    let mut files: Vec<(String, String)> = chunks
        .iter()
        .enumerate()
        .map(|(n, chunk)| (format!("sitemap-{}.xml", n + 1), urlset(chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, _) in &files {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&absolute(path))
        ));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_string(), index));
    files
}

fn urlset(entries: &[SitemapEntry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        xml.push_str(&format!("  <url><loc>{}</loc>", escape(&entry.url)));
        if let Some(lastmod) = &entry.lastmod {
            xml.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything allowed, pointing to the sitemap.
pub fn robots(sitemap_urls: &[String]) -> String {
    let mut text = "User-agent: *\nAllow: /\n\n".to_string();
    for url in sitemap_urls {
        text.push_str(&format!("Sitemap: {url}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_limit_the_sitemap_becomes_an_index_of_parts() {
        let entries: Vec<SitemapEntry> = (0..URLS_PER_FILE + 1)
            .map(|i| SitemapEntry {
                url: format!("https://x.cn/r/{i}/"),
                lastmod: None,
            })
            .collect();
        let files = sitemaps(&entries, |p| format!("https://x.cn/{p}"));
        let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        assert!(
            files[2]
                .1
                .contains("<sitemap><loc>https://x.cn/sitemap-2.xml</loc></sitemap>")
        );
        assert_eq!(files[1].1.matches("<url>").count(), 1);
        assert_eq!(sitemaps(&entries[..3], |p| p.to_string()).len(), 1);
        for name in names {
            assert!(is_sitemap_file(name), "{name}");
        }
        for other in [
            "sitemap-0.xml",
            "sitemap-01.xml",
            "sitemap-x.xml",
            "sitemaps.xml",
        ] {
            assert!(!is_sitemap_file(other), "{other}");
        }
    }
}
