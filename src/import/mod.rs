//! `gongshi import`: one Markdown report per input file from a scraped disclosure site or a
//! Hexo, Hugo or Jekyll blog. Never overwrites; records where each report came from.
//!
//! Each input is decoded ([`decode`]), read by its format's module into a [`Draft`], optionally
//! converted to Simplified Chinese, given a file name, and written by [`writer`].

pub mod blog;
pub mod noise;
pub mod scraped;
pub mod writer;

use crate::content::dates::parse_date;
use crate::content::names::{is_bundle_page, is_section_page, report_name};
use crate::content::slug_from_name;
use crate::diagnostics::{Diagnostic, Position};
use crate::permalink::Permalink;
use crate::script::{Converter, Direction};
use crate::slug::{SlugMode, is_safe_segment, slugify};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The formats `gongshi import --from` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text saved from a disclosure site: title, `发布时间:` line, body, `相关热词搜索:`.
    Scraped,
    /// Hexo posts (`source/_posts/*.md`).
    Hexo,
    /// Hugo content with YAML front-matter.
    Hugo,
    /// Jekyll posts (`_posts/2020-08-06-name.md`).
    Jekyll,
}

/// Where a blog's `categories` go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CategoryField {
    /// The first category becomes `source`.
    #[default]
    Source,
    /// The first category becomes `department`.
    Department,
}

/// What `gongshi import` was asked to do (also its command-line arguments).
#[derive(Clone, Debug, clap::Args)]
pub struct ImportOptions {
    /// The input format.
    #[arg(long = "from", value_enum)]
    pub format: Format,
    /// Files or folders to import (folders are searched for .txt or .md files).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Folder to write the reports into.
    #[arg(long, default_value = "content")]
    pub out: PathBuf,
    /// `department` for every imported report that has none.
    #[arg(long)]
    pub department: Option<String>,
    /// Where blog `categories` go.
    #[arg(long, value_enum, default_value_t = CategoryField::Source)]
    pub categories: CategoryField,
    /// Convert Traditional Chinese to Simplified while importing.
    #[arg(long)]
    pub to_simplified: bool,
    /// Write nothing; print what would be written.
    #[arg(long)]
    pub dry_run: bool,
    /// The old site's URL pattern for posts (`/:year/:month/:slug/`): each report gets its old
    /// address as an alias when its new URL (site.yaml `permalink`) differs.
    #[arg(long = "old-url", value_name = "PATTERN")]
    pub old_url: Option<String>,
}

/// A report read from an input, before it has a file name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// Title.
    pub title: String,
    /// Date as written in the input (already checked to parse).
    pub date: String,
    /// Last update as written.
    pub updated: Option<String>,
    /// Appraised department.
    pub department: Option<String>,
    /// Kind or origin of the text.
    pub source: Option<String>,
    /// Keywords.
    pub tags: Vec<String>,
    /// Summary.
    pub summary: Option<String>,
    /// A draft post.
    pub draft: bool,
    /// Old site-relative URLs.
    pub aliases: Vec<String>,
    /// An explicit slug, when the file name had to differ from it (`monthly-2.md` holding the
    /// second `monthly` of a site whose URLs carry the date).
    pub slug: Option<String>,
    /// The input path, for provenance.
    pub imported_from: String,
    /// Keys gongshi has no use for, kept for templates.
    pub extra: Vec<(String, serde_json::Value)>,
    /// Markdown body.
    pub body: String,
}

/// One input's outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Written (or, in a dry run, would be written) to `path` with `text`.
    Imported {
        /// The new report file.
        path: PathBuf,
        /// Its contents.
        text: String,
    },
    /// Not written because the target exists (re-running an import is safe).
    Exists(PathBuf),
    /// Not written because the input could not be read; the reason in plain words.
    Failed(String),
}

/// What an import did, input by input, plus the warnings.
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// Each input with its outcome, in input order.
    pub outcomes: Vec<(PathBuf, Outcome)>,
    /// Warnings at `input:line:col`.
    pub warnings: Vec<Diagnostic>,
    /// Inputs that were GB 18030 and were converted.
    pub converted_encodings: usize,
    /// Pinyin glosses removed from scraped pages.
    pub glosses_removed: usize,
}

impl ImportSummary {
    /// True when some input could not be imported (existing files do not count).
    pub fn failed(&self) -> bool {
        self.outcomes
            .iter()
            .any(|(_, outcome)| matches!(outcome, Outcome::Failed(_)))
    }
}

/// Runs an import; writes files unless `dry_run`.
pub fn import(options: &ImportOptions) -> ImportSummary {
    let mut summary = ImportSummary::default();
    let converter = match options
        .to_simplified
        .then(|| Converter::new(Direction::ToSimplified))
    {
        Some(Err(message)) => {
            summary
                .outcomes
                .push((PathBuf::new(), Outcome::Failed(message)));
            return summary;
        }
        Some(Ok(converter)) => Some(converter),
        None => None,
    };
    let old_url = match options
        .old_url
        .as_deref()
        .map(|p| Permalink::parse(p, false))
    {
        Some(Err(message)) => {
            summary.outcomes.push((
                PathBuf::new(),
                Outcome::Failed(format!("--old-url: {message}")),
            ));
            return summary;
        }
        Some(Ok(pattern)) => Some(pattern),
        None => None,
    };
    let config = site_config(&options.out);
    let taken = existing_names(&options.out);
    let mut planned = BTreeSet::new();
    for input in collect_inputs(options, &mut summary) {
        let outcome = match read_input(&input, options, &mut summary) {
            Ok((mut draft, name)) => {
                if let Some(converter) = &converter {
                    to_simplified(&mut draft, converter);
                }
                let unique = unique_name(&name, &mut planned);
                let slug = slug_from_name(&name, config.slugify);
                // Under a permalink with the date, a name used again in another year keeps its
                // slug (and so its address) in a file named apart.
                if unique != name && config.permalink.has_date() {
                    draft.slug = Some(slug.clone());
                }
                if let Some(old_url) = &old_url {
                    let new_slug = draft
                        .slug
                        .clone()
                        .unwrap_or_else(|| slug_from_name(&unique, config.slugify));
                    add_old_address(&mut draft, &name, &new_slug, old_url, &config.permalink);
                }
                let name = unique;
                let resources = bundle_resources(&input, options.format);
                // A page bundle stays one: its page and its files in a folder of its own.
                let path = if resources.is_empty() {
                    options.out.join(format!("{name}.md"))
                } else {
                    options.out.join(&name).join("index.md")
                };
                if let Some(existing) = taken.get(&name) {
                    Outcome::Exists(existing.clone())
                } else {
                    let text = writer::render(&draft);
                    let written = match options.dry_run {
                        true => Ok(()),
                        false => writer::write_new(&path, &text).and_then(|()| {
                            let (from, to) = (
                                input.parent().unwrap_or(Path::new("")),
                                path.parent().unwrap_or(Path::new("")),
                            );
                            resources.iter().try_for_each(|file| {
                                writer::copy_new(&from.join(file), &to.join(file))
                            })
                        }),
                    };
                    match written {
                        Ok(()) => Outcome::Imported { path, text },
                        Err(message) => Outcome::Failed(message),
                    }
                }
            }
            Err(reason) => Outcome::Failed(reason),
        };
        summary.outcomes.push((input, outcome));
    }
    summary
}

/// For a blog's page bundle (`post/<name>/index.md`), the other files of its folder and below,
/// relative to it, sorted (hidden files and Markdown files left out).
fn bundle_resources(input: &Path, format: Format) -> Vec<PathBuf> {
    let Some(folder) = input
        .parent()
        .filter(|_| format != Format::Scraped && is_bundle_page(input))
    else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            !e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "markdown")
        })
        .filter_map(|e| e.path().strip_prefix(folder).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// The configuration of the site the reports are imported into (`out`'s parent folder holds
/// its site.yaml), for its `permalink` and `slugify`; defaults when there is none.
fn site_config(out: &Path) -> crate::config::SiteConfig {
    let site_yaml = out.parent().unwrap_or(Path::new("")).join("site.yaml");
    if !site_yaml.is_file() {
        return crate::config::SiteConfig::default();
    }
    crate::config::load_config(&site_yaml, &site_yaml, &mut Vec::new())
}

/// Adds the report's address on the old site (`old_url` with its old name `old_name`) to its
/// aliases, unless it is its new address too (`permalink` with `new_slug`).
fn add_old_address(
    draft: &mut Draft,
    old_name: &str,
    new_slug: &str,
    old_url: &Permalink,
    permalink: &Permalink,
) {
    let Ok(zone) = jiff::tz::TimeZone::get("Asia/Shanghai") else {
        return;
    };
    let Ok(date) = parse_date(&draft.date, &zone) else {
        return;
    };
    let old = format!(
        "/{}",
        old_url.path(draft.slug.as_deref().unwrap_or(old_name), &date)
    );
    let new = format!("/{}", permalink.path(new_slug, &date));
    if old != new {
        crate::content::tags::push_unique(&mut draft.aliases, &old);
    }
}

/// The input files: files as given, folders searched for the format's extension, sorted.
fn collect_inputs(options: &ImportOptions, summary: &mut ImportSummary) -> Vec<PathBuf> {
    let extensions: &[&str] = match options.format {
        Format::Scraped => &["txt", "text"],
        _ => &["md", "markdown"],
    };
    let mut files = Vec::new();
    for input in &options.inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
                })
                .collect();
            found.sort();
            for file in found {
                if is_section_page(&file) {
                    summary.warnings.push(
                        Diagnostic::warning(
                            &file,
                            Position::default(),
                            crate::msg!(
                                "skipped: `_index.md` is a Hugo section page (the text of a list), not a post",
                                "已跳过：`_index.md` 是 Hugo 的栏目页（列表页的说明文字），不是文章"
                            ),
                        )
                        .with_hint(crate::msg!(
                            "import its text by hand if readers need it",
                            "读者需要的话，请手工导入其中的文字"
                        )),
                    );
                } else {
                    files.push(file);
                }
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            let reason = crate::msg!("no such file or folder", "没有这个文件或文件夹");
            summary
                .outcomes
                .push((input.clone(), Outcome::Failed(reason)));
        }
    }
    files
}

/// Reads and parses one input into a draft and the file name it asks for.
fn read_input(
    input: &Path,
    options: &ImportOptions,
    summary: &mut ImportSummary,
) -> Result<(Draft, String), String> {
    let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
    let (text, encoding) = decode(&bytes);
    match encoding {
        Encoding::Utf8 => {}
        Encoding::Gb18030 => summary.converted_encodings += 1,
        Encoding::Utf8WithBadBytes(line) => summary.warnings.push(
            Diagnostic::warning(
                input,
                Position { line, column: 1 },
                crate::msg!(
                    "the file is UTF-8 with damaged bytes; each was replaced by `\u{FFFD}`",
                    "文件是 UTF-8 编码，但有损坏的字节；都已换成 `\u{FFFD}`"
                ),
            )
            .with_hint(crate::msg!(
                "check the replaced characters against the original page and correct them",
                "对照原网页核对被替换的字并改正"
            )),
        ),
    }
    let department = options.department.as_deref();
    let (mut draft, name) = match options.format {
        Format::Scraped => {
            let (draft, glosses) = scraped::parse(&text, input, department, &mut summary.warnings)?;
            summary.glosses_removed += glosses;
            let name = slugify(&draft.title, SlugMode::Pinyin);
            (draft, shorten(&name))
        }
        Format::Hexo | Format::Hugo | Format::Jekyll => {
            let engine = match options.format {
                Format::Hexo => blog::Engine::Hexo,
                Format::Hugo => blog::Engine::Hugo,
                _ => blog::Engine::Jekyll,
            };
            let categories = options.categories;
            blog::parse(
                &text,
                input,
                engine,
                categories,
                department,
                &mut summary.warnings,
            )?
        }
    };
    draft.imported_from = provenance(input, &options.inputs);
    let name = if is_safe_segment(&name) && !name.contains('.') {
        name
    } else {
        slugify(&name, SlugMode::Pinyin)
    };
    Ok((draft, name))
}

/// Where an input file came from, as `imported_from` records it: relative to the input it was
/// found in (`old/12345.txt` for the folder `old` or `/home/editor/old`), never a path that only
/// makes sense on the importing machine.
fn provenance(file: &Path, given: &[PathBuf]) -> String {
    let plain = |path: &Path| {
        path.is_relative()
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    let shown = given.iter().find_map(|input| {
        if file == input {
            return Some(if plain(input) {
                input.clone()
            } else {
                PathBuf::from(input.file_name()?)
            });
        }
        let inside = file.strip_prefix(input).ok()?;
        Some(match input.file_name() {
            Some(folder) => Path::new(folder).join(inside),
            None => inside.to_path_buf(),
        })
    });
    shown
        .unwrap_or_else(|| file.file_name().map(PathBuf::from).unwrap_or_default())
        .to_string_lossy()
        .replace('\\', "/")
}

/// How an input's bytes were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Valid UTF-8.
    Utf8,
    /// GB 18030 (legacy exports), converted.
    Gb18030,
    /// UTF-8 with a few damaged bytes, replaced by U+FFFD; the line of the first.
    Utf8WithBadBytes(usize),
}

/// Decodes UTF-8 (a BOM is dropped) or, failing that, GB 18030. A UTF-8 file with a few bad
/// bytes stays UTF-8 (the bad bytes replaced): GB 18030 text almost never holds valid multi-byte
/// UTF-8 sequences, so many of them and few errors mean UTF-8 that was damaged.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        Err(first) => {
            let (valid_multibyte, invalid) = utf8_census(bytes);
            if valid_multibyte >= 10 * invalid {
                let line = bytes[..first.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                let text = String::from_utf8_lossy(bytes).into_owned();
                (text, Encoding::Utf8WithBadBytes(line))
            } else {
                let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                (text.into_owned(), Encoding::Gb18030)
            }
        }
    };
    (text.replace("\r\n", "\n"), encoding)
}

/// The numbers of valid multi-byte UTF-8 characters and of invalid sequences in `bytes`.
fn utf8_census(bytes: &[u8]) -> (usize, usize) {
    let (mut valid_multibyte, mut invalid) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (valid_multibyte, invalid)
}

/// Checks that `text` is a date `gongshi build` reads; returns it trimmed.
pub fn check_date(text: &str) -> Result<String, String> {
    let zone = jiff::tz::TimeZone::get("Asia/Shanghai").map_err(|e| e.to_string())?;
    let text = text.trim();
    parse_date(text, &zone)?;
    Ok(text.to_string())
}

/// Long title slugs are cut at a syllable boundary near 60 characters.
fn shorten(slug: &str) -> String {
    if slug.len() <= 60 {
        return slug.to_string();
    }
    let cut = slug[..=60].rfind('-').unwrap_or(60);
    slug[..cut].to_string()
}

/// `name`, or `name-2`, `name-3`… when an earlier input of this run took it.
fn unique_name(name: &str, planned: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 1;
    while !planned.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{name}-{n}");
    }
    candidate
}

/// File names (without `.md`) already used anywhere under `out`, each with its path: a report
/// of the same name in another folder would share its URL.
fn existing_names(out: &Path) -> std::collections::BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let relative = e.path().strip_prefix(out).unwrap_or(e.path());
            let name = report_name(relative).name.to_string();
            (name, e.into_path())
        })
        .collect()
}

/// Converts every text field of `draft` to Simplified Chinese.
fn to_simplified(draft: &mut Draft, converter: &Converter) {
    let convert = |text: &mut String| *text = converter.convert(text);
    convert(&mut draft.title);
    convert(&mut draft.body);
    draft.department.iter_mut().for_each(convert);
    draft.source.iter_mut().for_each(convert);
    draft.summary.iter_mut().for_each(convert);
    draft.tags.iter_mut().for_each(convert);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_is_relative_to_the_input() {
        let cases = [
            ("old/a.txt", "old", "old/a.txt"),
            ("old/2020/a.txt", "old", "old/2020/a.txt"),
            ("/home/editor/old/a.txt", "/home/editor/old", "old/a.txt"),
            ("old/a.txt", "old/a.txt", "old/a.txt"),
            ("/tmp/x/a.txt", "/tmp/x/a.txt", "a.txt"),
            ("../old/a.txt", "../old", "old/a.txt"),
            ("./a.txt", ".", "a.txt"),
        ];
        for (file, input, expected) in cases {
            assert_eq!(
                provenance(Path::new(file), &[PathBuf::from(input)]),
                expected,
                "{file} in {input}"
            );
        }
    }
}
