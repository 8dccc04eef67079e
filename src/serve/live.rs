//! The site as the dev server holds it: one snapshot per version, pages rendered on request.
//!
//! Nothing is written to disk and nothing is pre-rendered: a change reloads the model (reading,
//! Markdown, indexes) and every request renders just the file asked for from the newest snapshot,
//! once per snapshot (pages rendered are kept). A preview snapshot shares its predecessor's model
//! and holds the saved reports' own pages, rendered ahead ([`super::preview`]).
//! The whole-site jobs (sitemap, open data, search index) run at most once per snapshot: their
//! files are kept for later requests, and names they cannot have are refused without running them.
//! Which open pages need a reload is decided by rendering each open page against the old and the
//! new snapshot and comparing: exact, and cheap because only open pages are rendered.

use super::memory::render_in_memory;
use crate::content::parse_cache::ParseCache;
use crate::model::Site;
use crate::pipeline::{BuildOptions, BuildReport, LoadedSite, load_in_memory};
use crate::render::published_files;
use crate::render::theme::StaticSource;
use crate::render::{Job, files_by_job, job_for_file};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// Where a tab's live-reload stream (Server-Sent Events) is served.
pub const LIVE_RELOAD_PATH: &str = "/__gongshi/livereload";

/// The script that follows its page's stream and reloads the page when told to. EventSource
/// reconnects by itself when the server goes away; an `open` after an `error` means a restarted
/// server, whose site may differ, so the page reloads then too (not on the first `open`).
const LIVE_RELOAD_SCRIPT: &str = r#"<script>(function(){var lost=false,s=new EventSource("/__gongshi/livereload?page="+encodeURIComponent(location.pathname));s.onopen=function(){if(lost)location.reload()};s.onerror=function(){lost=true};s.onmessage=function(e){if(e.data==="reload")location.reload()}})();</script>"#;

/// One version of the site: ready to render, or the problems that stopped it.
pub struct Snapshot {
    /// Counts reloads, starting at 1.
    pub version: u64,
    /// The loaded site, or the diagnostics as shown in the terminal.
    pub state: Result<Arc<Ready>, String>,
    /// Pages rendered ahead of the model (a preview of a saved report, see
    /// [`super::preview`]): served instead of what the model would render.
    edited: HashMap<String, Reply>,
}

/// A site that loaded without errors.
pub struct Ready {
    /// The model. Only a preview writes it, swapping edited reports in for the moment it
    /// renders their pages and back before anything else reads it.
    pub(super) site: RwLock<Site>,
    tera: tera::Tera,
    plan: crate::render::Plan,
    statics: HashMap<String, StaticSource>,
    /// Which job writes each page, redirect and feed, built once per snapshot.
    files: HashMap<String, Job>,
    /// The variant editions (`zh-hant/`…), converted on the first request for one of their
    /// pages: (folder, site, templates), or the problems that stopped them.
    editions: OnceLock<Result<Vec<Edition>, String>>,
    /// The site folder, for loading the variants' templates.
    root: PathBuf,
    /// The files of the whole-site jobs run so far, by edition folder and job.
    made: Mutex<Vec<(String, Job, Made)>>,
    /// The pages, redirects and feeds rendered so far, by site-relative file: a tab reloading,
    /// or comparing its page with a newer snapshot's, renders it once per snapshot.
    rendered: Mutex<HashMap<String, Reply>>,
}

/// A variant edition: its folder, its converted model and templates.
type Edition = (String, crate::model::Site, tera::Tera);

/// The files one whole-site job made, by path, or its error as shown in the browser; made once.
type Made = Arc<OnceLock<Result<HashMap<String, Vec<u8>>, String>>>;

/// What a request gets.
#[derive(Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
}

impl Snapshot {
    /// Loads the site described by `options`; its problems and stage timings come back in the
    /// report, for the caller to print. The related lists of `previous` are reused when their
    /// inputs did not change.
    pub fn load(
        options: &BuildOptions,
        version: u64,
        cache: &ParseCache,
        previous: Option<&Snapshot>,
    ) -> (Snapshot, BuildReport) {
        let related = previous.and_then(|p| p.state.as_ref().ok()).map(|ready| {
            let site = ready.read_site();
            (site.related_inputs, site.related.clone())
        });
        let (loaded, mut report) = load_in_memory(
            options,
            crate::pipeline::Reuse {
                serve: Some(cache),
                store: None,
                related: related.as_ref(),
            },
        );
        let started = std::time::Instant::now();
        let state = match loaded {
            Some(LoadedSite {
                site, tera, plan, ..
            }) => {
                let statics = published_files(&site, &options.root).into_iter().collect();
                let files = files_by_job(&site, &plan).into_iter().collect();
                Ok(Arc::new(Ready {
                    site: RwLock::new(site),
                    tera,
                    plan,
                    statics,
                    files,
                    editions: OnceLock::new(),
                    root: options.root.clone(),
                    made: Mutex::new(Vec::new()),
                    rendered: Mutex::new(HashMap::new()),
                }))
            }
            None => Err(report
                .problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| format!("{p}\n\n"))
                .collect()),
        };
        report.timings.push(("files + statics", started.elapsed()));
        let edited = HashMap::new();
        (
            Snapshot {
                version,
                state,
                edited,
            },
            report,
        )
    }

    /// A preview: the site of `base` with the pages in `edited` rendered ahead of it.
    pub(super) fn preview(base: &Snapshot, version: u64, edited: HashMap<String, Reply>) -> Self {
        Snapshot {
            version,
            state: base.state.clone(),
            edited,
        }
    }

    /// Answers a request for the URL path `url_path` (already percent-decoded). A 301 means
    /// "the same path with `/` added"; paths that a browser could read as another host's
    /// (`//host`, `/\\host`) are never redirected, nor served.
    pub fn reply(&self, url_path: &str) -> Reply {
        let ready = match &self.state {
            Ok(ready) => ready,
            Err(problems) => return error_page(problems),
        };
        let file = request_file(url_path);
        if let Some(reply) = self.edited.get(&file) {
            return reply.clone();
        }
        let foreign = url_path.starts_with("//") || url_path.contains('\\');
        if !foreign {
            if let Some(reply) = ready.render(&file) {
                return reply;
            }
            if !url_path.ends_with('/') && ready.render(&format!("{file}/index.html")).is_some() {
                return Reply {
                    status: 301,
                    content_type: "text/plain",
                    body: Vec::new(),
                };
            }
        }
        let mut not_found = ready.render("404.html").unwrap_or(Reply {
            status: 404,
            content_type: "text/plain",
            body: b"404".to_vec(),
        });
        not_found.status = 404;
        not_found
    }
}

#[cfg(test)]
impl Snapshot {
    /// Every file the site makes but its static files, by site-relative path, with the status and
    /// body a request gets: each edition's pages, redirects and feeds, and the main edition's
    /// sitemap, open data and search index.
    pub(super) fn all_files(&self) -> std::collections::BTreeMap<String, (u16, Vec<u8>)> {
        let mut all = std::collections::BTreeMap::new();
        let Ok(ready) = &self.state else {
            return all;
        };
        let variants: Vec<String> = {
            let site = ready.read_site();
            site.config
                .variants
                .iter()
                .map(|v| v.folder().to_string())
                .collect()
        };
        for folder in std::iter::once(String::new()).chain(variants) {
            for file in ready.files.keys() {
                let path = format!("{folder}{file}");
                let reply = self.reply(&format!("/{path}"));
                all.insert(path, (reply.status, reply.body));
            }
        }
        let site = ready.read_site();
        for job in [Job::Sitemap, Job::OpenData, Job::SearchIndex] {
            let files = render_in_memory(&site, &ready.tera, &ready.plan, job).unwrap();
            all.extend(files.into_iter().map(|f| (f.path, (200, f.bytes))));
        }
        all
    }
}

impl Ready {
    /// The model, for reading.
    pub(super) fn read_site(&self) -> std::sync::RwLockReadGuard<'_, Site> {
        self.site.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The site-relative file `file` of the main edition: its page job rendered from `site`
    /// (this snapshot's model, or the model with edited reports swapped in).
    pub(super) fn render_page(&self, site: &Site, file: &str) -> Option<Reply> {
        let job = job_for_file(&self.files, file)?;
        if matches!(job, Job::Sitemap | Job::OpenData | Job::SearchIndex) {
            return None;
        }
        render_page_job(site, &self.tera, &self.plan, job, file)
    }

    /// The variant edition whose folder `file` is in, with the path inside it.
    fn edition_of<'a>(&self, file: &'a str) -> Option<Result<(&Edition, &'a str), Reply>> {
        let variant = {
            let site = self.read_site();
            *site
                .config
                .variants
                .iter()
                .find(|v| file.starts_with(v.folder()))?
        };
        let editions = self.editions.get_or_init(|| {
            crate::pipeline::variant_editions(&self.read_site(), &self.root)
                .map_err(|problems| problems.iter().map(|p| format!("{p}\n\n")).collect())
        });
        Some(match editions {
            Ok(editions) => {
                let edition = editions.iter().find(|e| e.0 == variant.folder())?;
                Ok((edition, &file[variant.folder().len()..]))
            }
            Err(problems) => Err(error_page(problems)),
        })
    }

    /// Renders one site-relative file, or `None` if the site has no such file.
    fn render(&self, file: &str) -> Option<Reply> {
        let edition = self.edition_of(file);
        let main = self.read_site();
        let (folder, site, tera, file) = match edition {
            Some(Ok(((folder, site, tera), inner))) => (folder.as_str(), site, tera, inner),
            Some(Err(reply)) => return Some(reply),
            None => ("", &*main, &self.tera, file),
        };
        if let Some(job) = job_for_file(&self.files, file) {
            if matches!(job, Job::Sitemap | Job::OpenData | Job::SearchIndex) {
                return self.whole_site_file(folder, site, tera, job, file);
            }
            let key = format!("{folder}{file}");
            let mut rendered = self.rendered.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(reply) = rendered.get(&key) {
                return Some(reply.clone());
            }
            drop(rendered);
            let reply = render_page_job(site, tera, &self.plan, job, file)?;
            rendered = self.rendered.lock().unwrap_or_else(|p| p.into_inner());
            rendered.insert(key, reply.clone());
            return Some(reply);
        }
        let bytes = match self.statics.get(file)? {
            StaticSource::Embedded(bytes) => bytes.to_vec(),
            StaticSource::Disk(path) => std::fs::read(path).ok()?,
        };
        Some(Reply {
            status: 200,
            content_type: content_type(file),
            body: bytes,
        })
    }

    /// A file of a whole-site job of the edition in `folder`, running the job on the first
    /// request for one of its files and keeping what it made for the next ones.
    fn whole_site_file(
        &self,
        folder: &str,
        site: &crate::model::Site,
        tera: &tera::Tera,
        job: Job,
        file: &str,
    ) -> Option<Reply> {
        let made = {
            let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
            match made.iter().find(|(f, j, _)| f == folder && *j == job) {
                Some((_, _, files)) => files.clone(),
                None => {
                    let files = Made::default();
                    made.push((folder.to_string(), job, files.clone()));
                    files
                }
            }
        };
        let files = made.get_or_init(|| {
            render_in_memory(site, tera, &self.plan, job)
                .map(|files| files.into_iter().map(|f| (f.path, f.bytes)).collect())
                .map_err(|problem| format!("{problem}\n"))
        });
        Some(match files {
            Ok(files) => Reply {
                status: 200,
                content_type: content_type(file),
                body: files.get(file)?.clone(),
            },
            Err(problems) => error_page(problems),
        })
    }
}

/// The file `file` of a single-file job (a page, redirect or feed), rendered from `site`.
/// `None` when the job does not make that file.
fn render_page_job(
    site: &Site,
    tera: &tera::Tera,
    plan: &crate::render::Plan,
    job: Job,
    file: &str,
) -> Option<Reply> {
    Some(match render_in_memory(site, tera, plan, job) {
        Ok(files) => {
            let rendered = files.into_iter().find(|f| f.path == file)?;
            let body = if rendered.is_page {
                inject_live_reload(rendered.bytes)
            } else {
                rendered.bytes
            };
            Reply {
                status: if job == Job::NotFound { 404 } else { 200 },
                content_type: content_type(file),
                body,
            }
        }
        Err(problem) => error_page(&format!("{problem}\n")),
    })
}

/// True when the page at `url_path` differs between two snapshots (so an open tab must reload).
pub fn page_changed(old: &Snapshot, new: &Snapshot, url_path: &str) -> bool {
    let before = old.reply(url_path);
    let after = new.reply(url_path);
    before.status != after.status || before.body != after.body
}

/// `/reports/a/` → `reports/a/index.html`; `/` → `index.html`.
fn request_file(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

fn inject_live_reload(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{LIVE_RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{LIVE_RELOAD_SCRIPT}").into_bytes(),
    }
}

/// The browser's view of a failed build: the same text as the terminal.
fn error_page(problems: &str) -> Reply {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(problems, &mut escaped);
    let escaped = String::from_utf8_lossy(&escaped);
    let (lang, title, advice) = match crate::lang::current() {
        crate::lang::Lang::En => (
            "en",
            "Build failed",
            "Fix the problems below and save: the page reloads by itself.",
        ),
        crate::lang::Lang::ZhHans => (
            "zh-CN",
            "构建失败",
            "修正下列问题并保存后，页面会自动刷新。",
        ),
        crate::lang::Lang::ZhHant => (
            "zh-Hant",
            "構建失敗",
            "修正下列問題並保存後，頁面會自動刷新。",
        ),
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title} - gongshi</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;line-height:1.6}}pre{{background:#fff5f5;border-left:4px solid #c00;padding:1rem;white-space:pre-wrap;font-size:.95rem}}</style>\
         </head><body><main><h1>{title}</h1><p>{advice}</p><pre id=\"gongshi-errors\">{escaped}</pre></main>{LIVE_RELOAD_SCRIPT}</body></html>"
    );
    Reply {
        status: 500,
        content_type: "text/html; charset=utf-8",
        body: html.into_bytes(),
    }
}

fn content_type(file: &str) -> &'static str {
    match Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" | "htm" | "php" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The serve options' root as a build would see it.
pub fn build_options(root: PathBuf, drafts: bool, base_url: String) -> BuildOptions {
    BuildOptions {
        root,
        output: None,
        base_url: Some(base_url),
        no_cache: true,
        drafts,
        views: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn snapshot(dir: &Path, version: u64) -> Snapshot {
        let options = build_options(
            dir.to_path_buf(),
            false,
            "http://127.0.0.1:1111/".to_string(),
        );
        Snapshot::load(&options, version, &ParseCache::new(), None).0
    }

    const A: &str = "---\ntitle: 甲报告\ndate: 2021-01-01\ndepartment: 甲局\ntags: [营商环境]\n---\n甲的正文。\n";
    const B: &str =
        "---\ntitle: 乙报告\ndate: 2020-01-01\ndepartment: 乙局\ntags: [教育]\n---\n乙的正文。\n";
    const C: &str = "---\ntitle: 丙报告\ndate: 2019-01-01\ndepartment: 甲局\ntags: [营商环境]\n---\n丙的正文。\n";

    /// Snapshots of a three-report site before and after replacing `from` with `to` in report a.
    fn edit_report_a(from: &str, to: &str) -> (Snapshot, Snapshot) {
        let dir = site(&[
            ("site.yaml", "minify: false\n"),
            ("content/a.md", A),
            ("content/b.md", B),
            ("content/c.md", C),
        ]);
        let old = snapshot(dir.path(), 1);
        std::fs::write(dir.path().join("content/a.md"), A.replace(from, to)).unwrap();
        (old, snapshot(dir.path(), 2))
    }

    #[test]
    fn the_traditional_chinese_edition_is_served_under_its_folder() {
        let dir = site(&[
            ("site.yaml", "minify: false\nvariants: [zh-Hant]\n"),
            ("content/a.md", A),
        ]);
        let snapshot = snapshot(dir.path(), 1);
        let page = snapshot.reply("/zh-hant/reports/a/");
        assert_eq!(page.status, 200);
        let html = String::from_utf8(page.body).unwrap();
        assert!(html.contains("<html lang=\"zh-Hant\">"), "{html}");
        assert!(html.contains("甲報告"), "{html}");
        assert!(
            html.contains("href=\"/reports/a/\""),
            "switch back to the main edition"
        );
        assert_eq!(snapshot.reply("/zh-hant/reports/none/").status, 404);
        assert!(
            String::from_utf8(snapshot.reply("/reports/a/").body)
                .unwrap()
                .contains("甲报告")
        );
    }

    #[test]
    fn editing_a_body_dirties_its_page_and_pages_showing_its_summary_only() {
        let (old, new) = edit_report_a("甲的正文。", "甲的新正文。");
        let dirty = |path: &str| page_changed(&old, &new, path);
        assert!(dirty("/reports/a/"), "the edited report");
        assert!(dirty("/"), "the home page shows its summary");
        assert!(dirty("/tags/ying-shang-huan-jing/"), "its keyword page");
        assert!(dirty("/departments/jia-ju/"), "its department page");
        assert!(dirty("/archive/2021/"), "its year page");
        assert!(!dirty("/reports/b/"), "an unrelated report");
        assert!(!dirty("/tags/jiao-yu/"), "an unrelated keyword page");
        assert!(!dirty("/archive/2020/"), "another year");
    }

    #[test]
    fn retitling_dirties_pages_that_link_to_it_by_title() {
        let (old, new) = edit_report_a("甲报告", "甲报告（修订）");
        assert!(
            page_changed(&old, &new, "/reports/c/"),
            "c lists a as related (same keyword and department)"
        );
        assert!(
            page_changed(&old, &new, "/reports/b/"),
            "b links to a as the newer report"
        );
        assert!(!page_changed(&old, &new, "/tags/jiao-yu/"));
    }

    #[test]
    fn a_template_change_reparses_nothing_and_a_report_edit_reparses_one_file() {
        let dir = site(&[
            ("content/a.md", A),
            ("content/b.md", B),
            ("content/c.md", C),
        ]);
        let options = build_options(
            dir.path().to_path_buf(),
            false,
            "http://127.0.0.1:1111/".to_string(),
        );
        let cache = ParseCache::new();
        let (first, _) = Snapshot::load(&options, 1, &cache, None);
        assert_eq!(cache.misses(), (3, 3));
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("404.html"),
            "<!DOCTYPE html><html lang=\"zh-CN\"><title>新的404</title></html>",
        )
        .unwrap();
        let (second, _) = Snapshot::load(&options, 2, &cache, None);
        assert_eq!(
            cache.misses(),
            (3, 3),
            "no Markdown re-parsed or re-rendered"
        );
        assert!(
            String::from_utf8(second.reply("/missing/").body)
                .unwrap()
                .contains("新的404")
        );
        assert!(!page_changed(&first, &second, "/reports/a/"));
        std::fs::write(
            dir.path().join("content/b.md"),
            B.replace("乙的正文。", "乙的正文，更长一些。"),
        )
        .unwrap();
        let (third, _) = Snapshot::load(&options, 3, &cache, None);
        assert_eq!(cache.misses(), (4, 4), "only the edited file");
        assert!(
            String::from_utf8(third.reply("/reports/b/").body)
                .unwrap()
                .contains("更长一些")
        );
        std::fs::write(dir.path().join("site.yaml"), "title: 新名称\n").unwrap();
        let (fourth, _) = Snapshot::load(&options, 4, &cache, Some(&third));
        assert_eq!(cache.misses(), (4, 4), "a new title re-parses nothing");
        assert!(
            String::from_utf8(fourth.reply("/reports/b/").body)
                .unwrap()
                .contains("新名称")
        );
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: 新名称\npermalink: /:year/:slug/\n",
        )
        .unwrap();
        let (fifth, _) = Snapshot::load(&options, 5, &cache, Some(&fourth));
        assert_eq!(
            cache.misses(),
            (7, 7),
            "a new permalink re-parses every report"
        );
        assert_eq!(fifth.reply("/2020/b/").status, 200);
    }

    #[test]
    fn a_broken_edit_gives_the_error_page_and_a_fix_recovers() {
        let dir = site(&[("content/a.md", A)]);
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: 甲\ndate: 2021-02-30\n---\n",
        )
        .unwrap();
        let broken = snapshot(dir.path(), 2);
        let reply = broken.reply("/reports/a/");
        assert_eq!(reply.status, 500);
        let html = String::from_utf8(reply.body).unwrap();
        assert!(
            html.contains("content/a.md:3:7: error: `date`: 2021-02-30 is not a real date"),
            "{html}"
        );
        std::fs::write(dir.path().join("content/a.md"), A).unwrap();
        let fixed = snapshot(dir.path(), 3);
        assert_eq!(fixed.reply("/reports/a/").status, 200);
    }

    #[test]
    fn pages_get_the_live_reload_script_and_unknown_paths_the_404_page() {
        let dir = site(&[("content/a.md", A)]);
        let snapshot = snapshot(dir.path(), 1);
        let page = snapshot.reply("/reports/a/");
        assert!(
            String::from_utf8(page.body)
                .unwrap()
                .contains(LIVE_RELOAD_PATH)
        );
        assert_eq!(snapshot.reply("/style.css").status, 200);
        assert_eq!(snapshot.reply("/reports/a").status, 301);
        let missing = snapshot.reply("/no/such/page/");
        assert_eq!(missing.status, 404);
        assert!(
            String::from_utf8(missing.body)
                .unwrap()
                .contains("页面未找到")
        );
        assert_eq!(snapshot.reply("/../../etc/passwd").status, 404);
    }
}
