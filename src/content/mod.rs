//! Reading: walk content/, split and parse each report in parallel, check it → [`Report`].

pub mod body_text;
mod cjk_emphasis;
pub mod dates;
pub mod front_matter;
mod line_breaks;
pub mod markdown;
pub mod names;
pub mod parse_cache;
pub mod split;
pub mod store;
pub mod tags;
pub(crate) mod walk;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Position};
use crate::incremental::fingerprint;
use crate::incremental::stamp::Stamp;
use crate::invisible::normalize;
use crate::slug::{is_safe_segment, slugify};
use front_matter::{FrontMatter, read_front_matter};
use jiff::ZonedDateTime as Zoned;
use markdown::RenderedBody;
use parse_cache::ParseCache;
use rayon::prelude::*;
use split::{SplitError, split};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;
use store::{Hit, ReportStore, Version};
use walk::ReportFile;

/// Files under this folder of content/ are standalone pages (see [`FrontMatter::page`]).
pub const PAGES_FOLDER: &str = "pages";

/// The mark `gongshi new` leaves where the editor must write: a report that still holds it is
/// refused, so a half-written template is never published.
pub const PLACEHOLDER: &str = "【待填写】";

/// One report, read and checked.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The file, as shown in messages (`content/2020/a.md`).
    pub path: PathBuf,
    /// Its URL segment (the `:slug` of site.yaml `permalink`).
    pub slug: String,
    /// Its page's path under the site root, from site.yaml `permalink`: `reports/a/`,
    /// `2020/08/a/`.
    pub url_path: String,
    /// Where the slug came from: the `slug:` line, or line 1 when taken from the file name.
    pub slug_position: Position,
    /// Publication date.
    pub date: Zoned,
    /// Everything else from the front-matter.
    pub meta: FrontMatter,
    /// The file relative to content/, for resolving links between reports.
    pub content_path: PathBuf,
    /// File line where the body starts, to place problems found in the body.
    pub body_first_line: usize,
    /// The Markdown body, until [`render_bodies`] turns it into `body`.
    pub markdown: String,
    /// The rendered body.
    pub body: RenderedBody,
    /// With a build cache, the hash of the file's bytes when it was parsed in this build (not
    /// reused from the cache); never stored.
    #[serde(skip)]
    pub source_hash: Option<u64>,
    /// With a build cache, the file's stamp if it settled before this build began: the next
    /// build reuses the report without reading the file while the stamp stays the same.
    #[serde(skip)]
    pub stamp: Option<Stamp>,
    /// For a page bundle, the other files of its folder, relative to it: published beside the
    /// report's page. Found by each walk, never stored, so a new image is never missed.
    #[serde(skip)]
    pub resources: Vec<PathBuf>,
}

/// Reports loaded from content/, plus every problem found.
pub struct Loaded {
    /// Reports that passed, drafts removed unless asked for.
    pub reports: Vec<Report>,
    /// Errors and warnings, all files.
    pub problems: Vec<Diagnostic>,
    /// With a build cache: the files parsed now (not reused), by path under content/, with the
    /// hash of their bytes and their warnings.
    pub fresh: std::collections::HashMap<PathBuf, (u64, Vec<Diagnostic>)>,
    /// With a build cache: how many reports were reused without reading their files.
    pub unread: usize,
}

/// Loads every report under `content_dir`; `display_dir` is how that folder is named in messages.
pub fn load_reports(
    content_dir: &Path,
    display_dir: &Path,
    config: &SiteConfig,
    drafts: bool,
    cache: Option<&ParseCache>,
    store: Option<&ReportStore>,
) -> Loaded {
    let mut problems = Vec::new();
    let mut fresh = std::collections::HashMap::new();
    let started = SystemTime::now();
    let unread = AtomicUsize::new(0);
    let stored = store.map(|store| StoredFile {
        store,
        content_dir,
        started,
        unread: &unread,
    });
    let files = walk::markdown_files(
        content_dir,
        display_dir,
        config.max_file_size,
        &mut problems,
    );
    let results: Vec<(Option<Report>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let (report, problems) = load_file(file, content_dir, config, cache, stored.as_ref());
            let report = report.map(|r| Report {
                resources: file.resources.clone(),
                ..r
            });
            (report, problems)
        })
        .collect();
    let mut reports = Vec::new();
    for (report, report_problems) in results {
        if let Some(report) = &report
            && let Some(content) = report.source_hash
        {
            fresh.insert(
                report.content_path.clone(),
                (content, report_problems.clone()),
            );
        }
        problems.extend(report_problems);
        if let Some(report) = report.filter(|r| drafts || !r.meta.draft) {
            reports.push(report);
        }
    }
    Loaded {
        reports,
        problems,
        fresh,
        unread: unread.into_inner(),
    }
}

/// Loads one file: through the build cache or the dev server's cache when there is one.
fn load_file(
    file: &ReportFile,
    content_dir: &Path,
    config: &SiteConfig,
    cache: Option<&ParseCache>,
    stored: Option<&StoredFile>,
) -> (Option<Report>, Vec<Diagnostic>) {
    let (path, display) = (&file.path, &file.display);
    if let Some(stored) = stored {
        return stored.load(file, config);
    }
    let stamp = file.stamp.filter(|_| cache.is_some());
    if let (Some(cache), Some(stamp)) = (cache, stamp)
        && let Some(hit) = cache.parsed(path, stamp)
    {
        return hit;
    }
    let relative = path.strip_prefix(content_dir).unwrap_or(path).to_path_buf();
    let (report, problems) = load_report(path, &relative, display, config);
    let report = report.map(|r| Report {
        content_path: relative,
        ..r
    });
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        cache.store_parsed(path, stamp, &report, &problems);
    }
    (report, problems)
}

/// What loading a file through the build cache needs besides the file.
struct StoredFile<'a> {
    store: &'a ReportStore,
    content_dir: &'a Path,
    /// When this build began, to tell which stamps the next build may trust.
    started: SystemTime,
    /// Counts the reports reused without reading their files.
    unread: &'a AtomicUsize,
}

impl StoredFile<'_> {
    /// Loads one file through the build cache: reused when its stamp or its bytes are unchanged,
    /// else parsed (and marked with the hash of its bytes, so the cache can keep it).
    fn load(&self, file: &ReportFile, config: &SiteConfig) -> (Option<Report>, Vec<Diagnostic>) {
        let relative = file
            .path
            .strip_prefix(self.content_dir)
            .unwrap_or(&file.path)
            .to_path_buf();
        let settled = file.stamp.filter(|s| s.settled_before(self.started));
        let reused = |(report, problems): Hit| {
            (
                Some(Report {
                    stamp: settled,
                    ..report
                }),
                problems,
            )
        };
        if let Some(stamp) = file.stamp
            && let Some(hit) = self.store.lookup(&relative, Version::Stamp(stamp))
        {
            self.unread.fetch_add(1, Ordering::Relaxed);
            return reused(hit);
        }
        let bytes = match std::fs::read(&file.path) {
            Ok(bytes) => bytes,
            Err(error) => return (None, vec![unreadable(&file.display, &error)]),
        };
        let content = crate::incremental::hash_bytes(&bytes);
        if let Some(hit) = self.store.lookup(&relative, Version::Content(content)) {
            return reused(hit);
        }
        let (report, problems) = parse_report_bytes(bytes, &relative, &file.display, config);
        let report = report.map(|r| Report {
            content_path: relative,
            source_hash: Some(content),
            stamp: settled,
            ..r
        });
        (report, problems)
    }
}

fn unreadable(display: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        display,
        Position::default(),
        crate::msg!("cannot read the file: {error}", "无法读取文件：{error}"),
    )
}

/// Renders every report's Markdown in parallel; links to other reports' `.md` files become
/// their URLs under `base_path`, and site-absolute links and images get `base_path` in front. The Markdown is dropped once rendered.
pub fn render_bodies(reports: &mut [Report], config: &SiteConfig, cache: Option<&ParseCache>) {
    let base_path = config.base_path();
    let by_file: std::collections::HashMap<PathBuf, String> = reports
        .iter()
        .map(|r| (r.content_path.clone(), format!("{base_path}{}", r.url_path)))
        .collect();
    let links_key = cache.map_or(0, |_| {
        // Paths as bytes: a path that is not UTF-8 must hash whole too.
        let mut pairs: Vec<(&[u8], &String)> = by_file
            .iter()
            .map(|(path, url)| (path.as_os_str().as_encoded_bytes(), url))
            .collect();
        pairs.sort();
        fingerprint(&pairs)
    });
    reports.par_iter_mut().for_each(|report| {
        // The dev server's cache keeps the Markdown apart (a report copied out of it has none).
        let key = cache.map(|cache| {
            let kept = report.markdown.is_empty();
            let markdown = kept
                .then(|| cache.markdown_hash(&report.content_path))
                .flatten()
                .unwrap_or_else(|| crate::incremental::hash_bytes(report.markdown.as_bytes()));
            fingerprint(&(markdown, links_key))
        });
        if let (Some(cache), Some(key)) = (cache, key)
            && let Some(body) = cache.body(&report.content_path, key)
        {
            report.body = body;
            report.markdown = String::new();
            return;
        }
        if report.markdown.is_empty()
            && let Some(markdown) = cache.and_then(|c| c.markdown(&report.content_path))
        {
            report.markdown = markdown;
        }
        // Reused from the build cache (rendered already), or an empty body: nothing to render.
        if report.markdown.is_empty() {
            return;
        }
        render_body(report, config, &|path| by_file.get(path).cloned());
        if let (Some(cache), Some(key)) = (cache, key) {
            cache.store_body(&report.content_path, key, &report.body);
        }
    });
}

/// Renders one report's Markdown and drops it; `url_of` gives the URL (base path included) of
/// the report file at a path under content/, for links to `.md` files.
pub fn render_body(
    report: &mut Report,
    config: &SiteConfig,
    url_of: &(dyn Fn(&Path) -> Option<String> + Sync),
) {
    let base_path = config.base_path();
    let folder = report
        .content_path
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let resolve = |target: &str| match target.strip_prefix('/') {
        // A site path an editor wrote (`/files/x.pdf`) is served under the base path.
        Some(path) if !target.to_ascii_lowercase().ends_with(".md") => (base_path != "/"
            && !target.starts_with(&base_path))
        .then(|| format!("{base_path}{path}")),
        _ => url_of(&lexical_join(&folder, target)),
    };
    report.body = markdown::render(
        &report.markdown,
        &resolve,
        config.raw_html,
        &config.iframe_hosts,
    );
    report.markdown = String::new();
}

/// `folder/target` with `.` and `..` applied, without touching the disk.
pub fn lexical_join(folder: &Path, target: &str) -> PathBuf {
    let mut out = PathBuf::new();
    let start = if let Some(rooted) = target.strip_prefix('/') {
        Path::new(rooted)
    } else {
        out.push(folder);
        Path::new(target)
    };
    for component in start.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    out
}

/// Reads one report from `path`, which is `relative` under content/; `None` when it has errors
/// (they are in the returned list).
pub fn load_report(
    path: &Path,
    relative: &Path,
    display: &Path,
    config: &SiteConfig,
) -> (Option<Report>, Vec<Diagnostic>) {
    match std::fs::read(path) {
        Ok(bytes) => parse_report_bytes(bytes, relative, display, config),
        Err(error) => (None, vec![unreadable(display, &error)]),
    }
}

/// Reads one report from the bytes of its file: UTF-8 check, line ends, front-matter, checks.
/// `relative` (the file's path under content/) gives the slug, and the date, when the
/// front-matter has none (see [`names::report_name`]).
pub fn parse_report_bytes(
    bytes: Vec<u8>,
    relative: &Path,
    display: &Path,
    config: &SiteConfig,
) -> (Option<Report>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    // simdutf8 checks Chinese text several times faster than std; std only places an error.
    let text = match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => normalize(text),
        Err(_) => {
            let valid_up_to =
                std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
            problems.push(not_utf8(display, &bytes, valid_up_to));
            return (None, problems);
        }
    };
    let (text, removed) = crate::invisible::strip_zero_width(&text, display);
    let report = parse_report(&text, relative, display, config, &mut problems);
    let mut problems: Vec<Diagnostic> =
        problems.into_iter().map(|p| p.with_source(&text)).collect();
    problems.extend(removed);
    (report, problems)
}

fn parse_report(
    text: &str,
    relative: &Path,
    display: &Path,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Option<Report> {
    let parts = match split(text) {
        Ok(parts) => parts,
        Err(error) => {
            problems.push(split_error(display, error));
            return None;
        }
    };
    let full_width = full_width_colons(parts.yaml, parts.yaml_first_line);
    if !full_width.is_empty() {
        for (position, key) in full_width {
            problems.push(
                Diagnostic::error(
                    display,
                    position,
                    crate::msg!(
                        "`{key}` is followed by a full-width colon `：`; YAML needs `:`",
                        "`{key}` 后面是中文冒号 `：`；YAML 要用英文冒号 `:`"
                    ),
                )
                .with_hint(crate::msg!(
                    "write `{key}: …` with an ASCII colon and a space",
                    "改写为 `{key}: …`（英文冒号后加一个空格）"
                )),
            );
        }
        return None;
    }
    let entries = match crate::yaml::parse_mapping(parts.yaml, parts.yaml_first_line) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(
                Diagnostic::error(display, error.position, error.message)
                    .with_hint(crate::msg!(
                        "front-matter is YAML: one `key: value` per line; quote values that contain `: ` or start with `[`, `{{`, `*` or `&`",
                        "头部信息是 YAML：每行一个 `键: 值`；值里有 `: `，或以 `[`、`{{`、`*`、`&` 开头时，请用引号括起来"
                    )),
            );
            return None;
        }
    };
    let errors_before = problems.iter().filter(|p| p.is_error()).count();
    for repeat in crate::yaml::repeated_keys(&entries) {
        problems.push(repeat.error(display).with_hint(crate::msg!(
            "Hugo and Jekyll used the last value (`{}: {}`); delete the line you do not want (`gongshi import` keeps the last one)",
            "Hugo 和 Jekyll 取的是最后一个值（`{}: {}`）；删去不要的那一行（`gongshi import` 保留最后一个）",
            repeat.name,
            repeat.last_value
        )));
    }
    let name = names::report_name(relative);
    let date_from_name = name
        .date
        .and_then(|date| dates::parse_date(date, &config.timezone).ok());
    let standalone = relative.starts_with(PAGES_FOLDER);
    let meta = read_front_matter(
        entries,
        &config.timezone,
        display,
        date_from_name,
        standalone,
        problems,
    );
    let (slug, slug_position) = report_slug(&meta, name.name, display, config, problems);
    if problems.iter().filter(|p| p.is_error()).count() > errors_before {
        return None;
    }
    // A standalone page needs no date; it is never listed, so any stands in.
    let date = meta.date.clone().or_else(|| {
        meta.page
            .then(|| jiff::Timestamp::UNIX_EPOCH.to_zoned_datetime(config.timezone.clone()))
    })?;
    if let Some(at) = parts.body.find(PLACEHOLDER).filter(|_| !meta.draft) {
        let line = parts.body_first_line + parts.body[..at].matches('\n').count();
        problems.push(
            Diagnostic::error(
                display,
                Position::new(line, 1),
                crate::msg!(
                    "the report still holds the placeholder {PLACEHOLDER} that `gongshi new` wrote",
                    "报告中还留着 `gongshi new` 写入的占位符 {PLACEHOLDER}"
                ),
            )
            .with_hint(crate::msg!(
                "write the text in its place, or set `draft: true` until the report is ready",
                "把它换成正文；报告没写完之前可设 `draft: true`"
            )),
        );
        return None;
    }
    if parts.body.trim().is_empty() {
        problems.push(
            Diagnostic::warning(
                display,
                Position::new(parts.body_first_line - 1, 1),
                crate::msg!(
                    "the report has no text after the front-matter",
                    "头部信息之后没有正文"
                ),
            )
            .with_hint(crate::msg!(
                "write the report below this `---` line, or set `draft: true` until it is ready",
                "在这行 `---` 下面写正文；没写完之前可设 `draft: true`"
            )),
        );
    }
    Some(Report {
        path: display.to_path_buf(),
        url_path: if meta.page {
            format!("{slug}/")
        } else {
            config.permalink.path(&slug, &date)
        },
        slug,
        slug_position,
        date,
        meta,
        content_path: PathBuf::new(),
        body_first_line: parts.body_first_line,
        markdown: parts.body.to_string(),
        body: RenderedBody::default(),
        source_hash: None,
        stamp: None,
        resources: Vec::new(),
    })
}

/// Lines that start with a key followed by a full-width colon (`title：…`), a common slip with a
/// Chinese input method: YAML would read them as text and lose the key.
fn full_width_colons(yaml: &str, first_line: usize) -> Vec<(Position, String)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (key, _) = line.split_once('：')?;
            let key = key.trim_end();
            let is_key = !key.is_empty()
                && !key.starts_with(' ')
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            is_key.then(|| {
                (
                    Position::new(first_line + index, key.len() + 1),
                    key.to_string(),
                )
            })
        })
        .collect()
}

/// The report's slug: `slug:` if given (checked), else `name` (from its file or bundle folder
/// name) made into a slug.
fn report_slug(
    meta: &FrontMatter,
    name: &str,
    display: &Path,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> (String, Position) {
    if let Some((slug, position)) = &meta.slug {
        if !is_safe_segment(slug) {
            problems.push(
                Diagnostic::error(
                    display,
                    *position,
                    crate::msg!(
                        "slug `{slug}` cannot be used in a URL",
                        "网址名 `{slug}` 不能用在网址中"
                    ),
                )
                .with_hint(crate::msg!(
                    "use letters, digits and `-`, at most {} bytes, e.g. `slug: {}`",
                    "只用字母、数字和 `-`，最多 {} 字节，例如 `slug: {}`",
                    crate::slug::MAX_SLUG_BYTES,
                    slugify(slug, config.slugify)
                )),
            );
        }
        return (slug.clone(), *position);
    }
    let slug = slug_from_name(name, config.slugify);
    (slug, Position::new(1, 1))
}

/// The slug a report named `name` gets (its file or bundle folder name, a Jekyll date cut
/// off): ASCII names as they are, in lower case; others made into a slug.
pub fn slug_from_name(name: &str, mode: crate::slug::SlugMode) -> String {
    if is_safe_segment(name) && name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        slugify(name, mode)
    }
}

fn split_error(display: &Path, error: SplitError) -> Diagnostic {
    use crate::msg;
    let template = msg!(
        "start the file with:\n---\ntitle: 报告标题\ndate: 2020-08-06\n---",
        "文件开头写：\n---\ntitle: 报告标题\ndate: 2020-08-06\n---"
    );
    match error {
        SplitError::Empty => Diagnostic::error(
            display,
            Position::default(),
            msg!("the file is empty", "文件是空的"),
        )
        .with_hint(msg!(
            "write a report or delete the file; {template}",
            "写上报告或删除这个文件；{template}"
        )),
        SplitError::NoOpeningFence => Diagnostic::error(
            display,
            Position::new(1, 1),
            msg!("the file has no front-matter", "文件没有头部信息（front-matter）"),
        )
        .with_hint(template),
        SplitError::Toml => Diagnostic::error(
            display,
            Position::new(1, 1),
            msg!(
                "the front-matter is TOML (`+++`); gongshi reads YAML (`---`)",
                "头部信息是 TOML 格式（`+++`）；gongshi 读取 YAML 格式（`---`）"
            ),
        )
        .with_hint(msg!(
            "convert the site's content once with `hugo convert toYAML --output converted/` and use the converted files",
            "先用 `hugo convert toYAML --output converted/` 把全站内容转换一次，再使用转换后的文件"
        )),
        SplitError::Unclosed => Diagnostic::error(
            display,
            Position::new(1, 1),
            msg!(
                "the front-matter opened by `---` is never closed",
                "以 `---` 开始的头部信息没有结束"
            ),
        )
        .with_hint(msg!(
            "add a line `---` after the last front-matter line",
            "在头部信息最后一行之后加一行 `---`"
        )),
    }
}

/// The error for a file that is not UTF-8, at the line and column of the first bad byte.
fn not_utf8(display: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let before = &bytes[..valid_up_to];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Diagnostic::error(
        display,
        Position::new(line, column),
        crate::msg!(
            "the file is not UTF-8 text (it looks like a legacy encoding such as GB 18030/GBK)",
            "文件不是 UTF-8 编码（看起来是 GB 18030/GBK 等旧编码）"
        ),
    )
    .with_hint(crate::msg!(
        "convert it to UTF-8, e.g. `iconv -f GB18030 -t UTF-8 old.md > new.md`, or re-save it as UTF-8 in your editor",
        "转成 UTF-8，例如 `iconv -f GB18030 -t UTF-8 old.md > new.md`，或在编辑器中以 UTF-8 编码另存"
    ))
}
