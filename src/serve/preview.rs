//! The first answer to a saved report: the report re-read and its own page rendered from the
//! previous snapshot's model, published before the full rebuild that follows it.
//!
//! A one-report save at 10k reports is visible in a few milliseconds this way, where the full
//! rebuild (every file stamped, the model and its indexes made again) takes a few hundred. Lists,
//! keyword pages, related reports, feeds and search keep the previous model's view of the report
//! until the full rebuild replaces the preview.

use super::live::{Reply, Snapshot};
use crate::content::walk::is_report;
use crate::content::{Report, load_report, render_body};
use crate::model::Site;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLockWriteGuard;

/// Where a report sits in the model.
#[derive(Clone, Copy)]
enum Slot {
    /// `site.reports[i]`.
    Report(usize),
    /// `site.pages[i]` (standalone pages).
    Page(usize),
}

impl Slot {
    /// The slot of the file at `relative` under content/, if the model has it.
    fn find(site: &Site, relative: &Path) -> Option<Slot> {
        let at = |reports: &[Report]| reports.iter().position(|r| r.content_path == relative);
        at(&site.reports)
            .map(Slot::Report)
            .or_else(|| at(&site.pages).map(Slot::Page))
    }

    fn get(self, site: &Site) -> &Report {
        match self {
            Slot::Report(i) => &site.reports[i],
            Slot::Page(i) => &site.pages[i],
        }
    }

    fn get_mut(self, site: &mut Site) -> &mut Report {
        match self {
            Slot::Report(i) => &mut site.reports[i],
            Slot::Page(i) => &mut site.pages[i],
        }
    }
}

/// A preview of `base` with the reports saved at `changed` (absolute paths, under `root`, the
/// absolute site folder) re-read; `None` when the change is not one a preview can show: a
/// change outside content/ (site.yaml, templates, static files), a new or removed report, a
/// report with errors (the full rebuild shows them), or one whose address or kind changed.
/// Other files under content/ (a bundle's images, an editor's temporary file) are left to the
/// full rebuild.
pub fn preview(
    base: &Snapshot,
    changed: &[PathBuf],
    root: &Path,
    drafts: bool,
    version: u64,
) -> Option<Snapshot> {
    let ready = base.state.as_ref().ok()?;
    let content = root.join("content");
    let mut edited = Vec::new();
    {
        let site = ready.read_site();
        for path in changed {
            let relative = path.strip_prefix(&content).ok()?;
            if !is_report(path) {
                continue;
            }
            let slot = Slot::find(&site, relative)?;
            let old = slot.get(&site);
            let display = Path::new("content").join(relative);
            let (report, problems) = load_report(path, relative, &display, &site.config);
            if problems.iter().any(|p| p.is_error()) {
                return None;
            }
            let mut report = report?;
            let same_kind = report.meta.page == old.meta.page && (drafts || !report.meta.draft);
            if report.url_path != old.url_path || !same_kind {
                return None;
            }
            report.content_path = relative.to_path_buf();
            report.resources = old.resources.clone();
            let base_path = site.config.base_path();
            let url_of = |target: &Path| {
                Slot::find(&site, target).map(|s| format!("{base_path}{}", s.get(&site).url_path))
            };
            render_body(&mut report, &site.config, &url_of);
            edited.push((slot, report));
        }
    }
    if edited.is_empty() {
        return None;
    }
    let pages = render_swapped(ready, &mut edited);
    Some(Snapshot::preview(base, version, pages))
}

/// The edited reports' own pages, rendered from the model with them swapped in; the model is
/// the same as before when this returns (or panics).
fn render_swapped(
    ready: &super::live::Ready,
    edited: &mut [(Slot, Report)],
) -> HashMap<String, Reply> {
    let site = ready.site.write().unwrap_or_else(|p| p.into_inner());
    let swapped = Swapped::new(site, edited);
    let mut pages = HashMap::new();
    for (slot, _) in swapped.edited.iter() {
        let url_path = &slot.get(&swapped.site).url_path;
        let file = if url_path.is_empty() || url_path.ends_with('/') {
            format!("{url_path}index.html")
        } else {
            url_path.clone()
        };
        if let Some(reply) = ready.render_page(&swapped.site, &file) {
            pages.insert(file, reply);
        }
    }
    pages
}

/// Edited reports swapped into the model while it is held for writing; swapped back on drop.
struct Swapped<'a, 'e> {
    site: RwLockWriteGuard<'a, Site>,
    edited: &'e mut [(Slot, Report)],
}

impl<'a, 'e> Swapped<'a, 'e> {
    fn new(mut site: RwLockWriteGuard<'a, Site>, edited: &'e mut [(Slot, Report)]) -> Self {
        for (slot, report) in edited.iter_mut() {
            std::mem::swap(slot.get_mut(&mut site), report);
        }
        Swapped { site, edited }
    }
}

impl Drop for Swapped<'_, '_> {
    fn drop(&mut self) {
        for (slot, report) in self.edited.iter_mut() {
            std::mem::swap(slot.get_mut(&mut self.site), report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_cache::ParseCache;
    use crate::pipeline::BuildOptions;

    /// A site folder with the dev server's options and parse cache.
    struct Site {
        dir: tempfile::TempDir,
        root: PathBuf,
        options: BuildOptions,
        cache: ParseCache,
    }

    impl Site {
        fn new(files: &[(&str, &str)]) -> Site {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().canonicalize().unwrap();
            let site = Site {
                options: super::super::live::build_options(
                    root.clone(),
                    false,
                    "http://127.0.0.1:1111/".to_string(),
                ),
                root,
                dir,
                cache: ParseCache::new(),
            };
            for (path, text) in files {
                site.save(path, text);
            }
            site
        }

        /// Writes `text` to `path` and waits out the file clock's tick (a later save must get
        /// another stamp, as an editor's would).
        fn save(&self, path: &str, text: &str) {
            let path = self.dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }

        fn load(&self, previous: Option<&Snapshot>) -> Snapshot {
            Snapshot::load(&self.options, 1, &self.cache, previous).0
        }

        /// What the dev server does after a save: a preview when it can, then the full rebuild
        /// from the newest snapshot, which must equal a clean load byte for byte.
        fn after_save(&self, current: &Snapshot, changed: &[&str]) -> (Option<Snapshot>, Snapshot) {
            let paths: Vec<PathBuf> = changed.iter().map(|p| self.root.join(p)).collect();
            let preview = preview(current, &paths, &self.root, false, 2);
            let full = self.load(Some(preview.as_ref().unwrap_or(current)));
            let clean = Snapshot::load(&self.options, 1, &ParseCache::new(), None).0;
            assert_same_files(&full, &clean);
            (preview, full)
        }
    }

    fn assert_same_files(served: &Snapshot, clean: &Snapshot) {
        let (served, clean) = (served.all_files(), clean.all_files());
        let names = |files: &std::collections::BTreeMap<String, _>| {
            files.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(names(&served), names(&clean));
        assert!(served.len() > 20, "{:?}", names(&served));
        for (path, file) in &clean {
            assert!(served[path] == *file, "{path} differs from a clean build's");
        }
    }

    fn page(snapshot: &Snapshot, path: &str) -> String {
        String::from_utf8(snapshot.reply(path).body).unwrap()
    }

    const A: &str = "---\ntitle: 甲报告\ndate: 2021-03-01\ndepartment: 甲局\ntags: [营商环境, 教育]\n---\n甲的正文，见[乙](../2020/b.md)。\n";
    const B: &str =
        "---\ntitle: 乙报告\ndate: 2020-05-01\ndepartment: 乙局\ntags: [教育]\n---\n乙的正文。\n";
    const C: &str = "---\ntitle: 丙报告\ndate: 2019-07-01\ndepartment: 甲局\ntags: [营商环境]\n---\n丙的正文。\n";
    const ABOUT: &str = "---\ntitle: 关于本站\npage: true\nnav: 1\n---\n本站介绍。\n";

    fn four_files() -> Site {
        Site::new(&[
            (
                "site.yaml",
                "title: 评议公开\nminify: false\nvariants: [zh-Hant]\n",
            ),
            ("content/2021/a.md", A),
            ("content/2020/b.md", B),
            ("content/2019/c.md", C),
            ("content/pages/about.md", ABOUT),
        ])
    }

    #[test]
    fn every_kind_of_edit_ends_in_the_site_a_clean_build_makes() {
        let site = four_files();
        let first = site.load(None);

        site.save("content/2021/a.md", &A.replace("甲报告", "甲报告（修订）"));
        let (preview, second) = site.after_save(&first, &["content/2021/a.md"]);
        let preview = preview.expect("a title edit is previewed");
        assert!(page(&preview, "/reports/a/").contains("甲报告（修订）"));
        assert!(
            page(&preview, "/reports/a/").contains("href=\"/reports/b/\""),
            "links to other reports resolve as in a build"
        );
        assert!(
            !page(&first, "/reports/a/").contains("甲报告（修订）"),
            "the previous snapshot is left as it was"
        );
        assert!(
            !page(&preview, "/").contains("甲报告（修订）"),
            "lists wait for the full rebuild"
        );
        assert!(page(&second, "/").contains("甲报告（修订）"));

        site.save(
            "content/2020/b.md",
            &B.replace("乙的正文。", "乙的新正文。"),
        );
        let (preview, third) = site.after_save(&second, &["content/2020/b.md"]);
        let preview = preview.expect("a body edit is previewed");
        assert_eq!(
            page(&preview, "/reports/b/"),
            page(&third, "/reports/b/"),
            "the preview is the page the full rebuild makes: the tab is not reloaded twice"
        );

        site.save(
            "content/2019/c.md",
            &C.replace("[营商环境]", "[营商环境, 住房]"),
        );
        let (preview, fourth) = site.after_save(&third, &["content/2019/c.md"]);
        assert!(preview.is_some(), "a keyword edit is previewed");
        assert_eq!(fourth.reply("/tags/zhu-fang/").status, 200);

        site.save("content/2021/a.md", &A.replace("2021-03-01", "2018-03-01"));
        let (preview, fifth) = site.after_save(&fourth, &["content/2021/a.md"]);
        assert!(
            preview.is_some(),
            "a date edit keeps the address: previewed"
        );
        assert_eq!(fifth.reply("/archive/2018/").status, 200);
        assert_eq!(fifth.reply("/archive/2021/").status, 404);

        site.save(
            "content/2022/d.md",
            &B.replace("乙", "丁").replace("2020", "2022"),
        );
        let (preview, sixth) = site.after_save(&fifth, &["content/2022/d.md"]);
        assert!(preview.is_none(), "a new report waits for the full rebuild");
        assert_eq!(sixth.reply("/reports/d/").status, 200);

        std::fs::remove_file(site.dir.path().join("content/2020/b.md")).unwrap();
        let (preview, seventh) = site.after_save(&sixth, &["content/2020/b.md"]);
        assert!(
            preview.is_none(),
            "a removed report waits for the full rebuild"
        );
        assert_eq!(seventh.reply("/reports/b/").status, 404);

        site.save(
            "content/pages/about.md",
            &ABOUT.replace("本站介绍", "本站的新介绍"),
        );
        let (preview, eighth) = site.after_save(&seventh, &["content/pages/about.md"]);
        assert!(
            page(&preview.expect("a page edit is previewed"), "/about/").contains("本站的新介绍")
        );

        site.save(
            "site.yaml",
            "title: 新名称\nminify: false\nvariants: [zh-Hant]\n",
        );
        let (preview, _) = site.after_save(&eighth, &["site.yaml"]);
        assert!(
            preview.is_none(),
            "site.yaml changes every page: no preview"
        );
    }

    #[test]
    fn a_broken_edit_is_not_previewed_and_shows_the_error_page() {
        let site = four_files();
        let first = site.load(None);
        site.save(
            "content/2019/c.md",
            &C.replace("title: 丙报告", "title: [丙报告"),
        );
        let paths = [site.root.join("content/2019/c.md")];
        assert!(preview(&first, &paths, &site.root, false, 2).is_none());
        let broken = site.load(Some(&first));
        let reply = broken.reply("/reports/c/");
        assert_eq!(reply.status, 500);
        assert!(
            String::from_utf8(reply.body)
                .unwrap()
                .contains("content/2019/c.md"),
            "the error page names the file"
        );
        assert!(
            preview(&broken, &paths, &site.root, false, 3).is_none(),
            "no preview on top of a failed build"
        );
        site.save("content/2019/c.md", C);
        let (_, fixed) = site.after_save(&broken, &["content/2019/c.md"]);
        assert_eq!(fixed.reply("/reports/c/").status, 200);
    }

    #[test]
    fn an_edit_that_moves_a_report_or_hides_it_waits_for_the_full_rebuild() {
        let site = four_files();
        let first = site.load(None);
        let paths = [site.root.join("content/2019/c.md")];
        site.save(
            "content/2019/c.md",
            &C.replace("---\n丙", "slug: bing\n---\n丙"),
        );
        assert!(
            preview(&first, &paths, &site.root, false, 2).is_none(),
            "new address"
        );
        site.save(
            "content/2019/c.md",
            &C.replace("---\n丙", "draft: true\n---\n丙"),
        );
        assert!(
            preview(&first, &paths, &site.root, false, 2).is_none(),
            "now a draft"
        );
        assert!(
            preview(&first, &paths, &site.root, true, 2).is_some(),
            "a draft is shown with --drafts"
        );
        let other = [site.root.join("content/2019/notes.txt")];
        site.save("content/2019/notes.txt", "笔记");
        assert!(
            preview(&first, &other, &site.root, false, 2).is_none(),
            "no report among the changes"
        );
    }
}
