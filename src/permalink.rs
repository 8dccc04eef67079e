//! Report URL patterns (`permalink: /:year/:month/:slug/` in site.yaml, `import --old-url`), so
//! a site moved from Hugo, Jekyll or Hexo keeps its addresses.

use jiff::ZonedDateTime as Zoned;

/// A URL pattern for reports: folders that are either text or one of `:year`, `:month`, `:day`,
/// `:slug`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<Part>,
    /// `.html` of an old site's `/:year/:slug.html`: the URL is a file, not a folder.
    file_extension: Option<String>,
    /// The pattern as written, for messages.
    written: String,
}

/// One folder of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Month,
    Day,
    Slug,
}

/// The variables a pattern may use, for messages.
pub const VARIABLES: &str = "`:year`, `:month`, `:day` and `:slug`";

impl Default for Permalink {
    fn default() -> Self {
        Permalink {
            parts: vec![Part::Text("reports".to_string()), Part::Slug],
            file_extension: None,
            written: "/reports/:slug/".to_string(),
        }
    }
}

impl Permalink {
    /// Reads a pattern such as `/:year/:month/:slug/`; `Err` says what is wrong in plain words.
    /// For a site's own reports (`for_site`), a pattern must contain `:slug` (else every report
    /// would share a URL) and end in `/`; an old site's may end in a file (`/:slug.html`).
    pub fn parse(text: &str, for_site: bool) -> Result<Permalink, String> {
        let trimmed = text.trim();
        let ends_in_file = !for_site && !trimmed.ends_with('/');
        let (folders, file_extension) = match trimmed.rsplit_once(":slug.") {
            Some((folders, extension))
                if ends_in_file && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                (format!("{folders}:slug/"), Some(extension.to_string()))
            }
            _ => (trimmed.to_string(), None),
        };
        let inner = folders
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix('/'))
            .ok_or_else(|| {
                crate::msg!(
                    "`{trimmed}` must start and end with `/`",
                    "`{trimmed}` 必须以 `/` 开头和结尾"
                )
            })?;
        let mut parts = Vec::new();
        for folder in inner.split('/') {
            let part = match folder {
                ":year" => Part::Year,
                ":month" => Part::Month,
                ":day" => Part::Day,
                ":slug" => Part::Slug,
                variable if variable.starts_with(':') => {
                    return Err(crate::msg!(
                        "`{variable}` is not a permalink variable; use {VARIABLES}",
                        "`{variable}` 不是网址格式中的变量；可用 `:year`、`:month`、`:day` 和 `:slug`"
                    ));
                }
                text if crate::slug::is_safe_segment(text) => Part::Text(text.to_string()),
                text => {
                    return Err(crate::msg!(
                        "`{text}` cannot be a folder of a URL; use letters, digits, `-` and {VARIABLES}",
                        "`{text}` 不能作网址中的一级目录；只用字母、数字、`-` 和 `:year`、`:month`、`:day`、`:slug`"
                    ));
                }
            };
            parts.push(part);
        }
        if for_site && !parts.contains(&Part::Slug) {
            return Err(crate::msg!(
                "`{trimmed}` has no `:slug`, so reports of one day would share a URL",
                "`{trimmed}` 中没有 `:slug`，同一天的报告会共用一个网址"
            ));
        }
        Ok(Permalink {
            parts,
            file_extension,
            written: trimmed.to_string(),
        })
    }

    /// The site-relative path of a report (`2020/08/monthly/`), ending in `/`.
    pub fn path(&self, slug: &str, date: &Zoned) -> String {
        let mut path = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => path.push_str(text),
                Part::Year => path.push_str(&format!("{:04}", date.year())),
                Part::Month => path.push_str(&format!("{:02}", date.month())),
                Part::Day => path.push_str(&format!("{:02}", date.day())),
                Part::Slug => path.push_str(slug),
            }
            path.push('/');
        }
        if let Some(extension) = &self.file_extension {
            path.pop();
            path.push('.');
            path.push_str(extension);
        }
        path
    }

    /// True when the date is part of the URL, so one slug may be used again on another date.
    pub fn has_date(&self) -> bool {
        self.parts
            .iter()
            .any(|part| matches!(part, Part::Year | Part::Month | Part::Day))
    }

    /// True when the pattern starts with the slug (`/:slug/`), so a slug may meet a folder the
    /// site generates (`tags`, `search`).
    pub fn starts_with_slug(&self) -> bool {
        self.parts.first() == Some(&Part::Slug)
    }

    /// The pattern as written in site.yaml.
    pub fn as_written(&self) -> &str {
        &self.written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_table() {
        let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let date = crate::content::dates::parse_date("2019-03-07", &zone).unwrap();
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("/reports/:slug/", Ok("reports/monthly/")),
            ("/:year/:month/:slug/", Ok("2019/03/monthly/")),
            (
                "/post/:year/:month/:day/:slug/",
                Ok("post/2019/03/07/monthly/"),
            ),
            ("/:slug/", Ok("monthly/")),
            (
                ":year/:slug",
                Err("`:year/:slug` must start and end with `/`"),
            ),
            (
                "/:title/",
                Err(
                    "`:title` is not a permalink variable; use `:year`, `:month`, `:day` and `:slug`",
                ),
            ),
            (
                "/:year/:month/",
                Err("`/:year/:month/` has no `:slug`, so reports of one day would share a URL"),
            ),
            (
                "/a b/:slug/",
                Err(
                    "`a b` cannot be a folder of a URL; use letters, digits, `-` and `:year`, `:month`, `:day` and `:slug`",
                ),
            ),
        ];
        for (pattern, expected) in cases {
            let got = Permalink::parse(pattern, true).map(|p| p.path("monthly", &date));
            assert_eq!(
                got.as_deref().map_err(String::as_str),
                *expected,
                "{pattern}"
            );
        }
        let old_site = Permalink::parse("/:year/:month/:day/:slug.html", false).unwrap();
        assert_eq!(old_site.path("monthly", &date), "2019/03/07/monthly.html");
        assert!(Permalink::parse("/:year/:slug.html", true).is_err());
    }
}
