//! Putting a build in place: public/ is always one whole build, whatever kills or failures hit
//! the build, and what killed builds leave behind is cleaned by the next one.

mod common;
use common::{build_ok, copy_tree, gongshi, snapshot};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Every file of a folder with its bytes.
type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

/// A site of `reports` reports with some shared keywords, titled `title`.
fn generated_site(dir: &Path, reports: usize, title: &str) {
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("site.yaml"), site_yaml(title)).unwrap();
    let words = [
        "教育",
        "医疗",
        "营商环境",
        "交通",
        "住房",
        "养老",
        "环保",
        "就业",
    ];
    for n in 0..reports {
        let tags = [words[n % 8], words[(n / 8) % 8], words[(n * 7 + 3) % 8]];
        let body = format!("第{n}号报告的正文，评议组听取了汇报。\n\n").repeat(12);
        fs::write(
            dir.join(format!("content/r{n:04}.md")),
            format!(
                "---\ntitle: 第{n}号评议报告\ndate: 20{:02}-0{}-1{}\ndepartment: 区第{}局\ntags: [{}]\n---\n{body}",
                10 + n % 12,
                1 + n % 9,
                n % 10,
                n % 17,
                tags.join(", ")
            ),
        )
        .unwrap();
    }
}

fn site_yaml(title: &str) -> String {
    format!("title: {title}\nbase_url: https://example.gov.cn/\nminify: false\n")
}

/// The output a clean build of the site in `dir` gives, built in a copy of it.
fn clean_output(dir: &Path) -> Snapshot {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&dir.join("content"), &copy.path().join("content"));
    fs::copy(dir.join("site.yaml"), copy.path().join("site.yaml")).unwrap();
    let run = gongshi(copy.path(), &["build", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot(&copy.path().join("public"))
}

/// Folders that builds of public/ leave beside it.
fn leftovers(site: &Path) -> Vec<String> {
    fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongshi-staging") || n.contains("gongshi-old"))
        .collect()
}

/// The files of `now` that differ from `tree` (or are missing from it), and those missing from `now`.
fn differences(now: &Snapshot, tree: &Snapshot) -> Vec<String> {
    let changed = now
        .iter()
        .filter(|(path, bytes)| tree.get(*path) != Some(*bytes));
    let missing = tree.keys().filter(|path| !now.contains_key(*path));
    changed
        .map(|(path, _)| path)
        .chain(missing)
        .map(|path| path.display().to_string())
        .collect()
}

/// Panics with the first differing files unless `folder` holds exactly `tree`.
fn assert_holds(folder: &Path, tree: &Snapshot, moment: &str) {
    let differ = differences(&snapshot(folder), tree);
    assert!(
        differ.is_empty(),
        "{moment}: {} files differ, first {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
}

/// Names public/ as one of the expected trees, or panics with how it differs from both.
fn which_build(public: &Path, old: &Snapshot, new: &Snapshot, moment: &str) -> &'static str {
    assert!(public.is_dir(), "{moment}: public/ is missing");
    let now = snapshot(public);
    if now == *old {
        return "old";
    }
    if now == *new {
        return "new";
    }
    panic!(
        "{moment}: public/ is neither build: {} files differ from the old one, {} from the new one",
        differences(&now, old).len(),
        differences(&now, new).len()
    );
}

#[test]
fn a_build_killed_at_any_moment_leaves_one_whole_build_and_the_next_build_is_exact() {
    let site = tempfile::tempdir().unwrap();
    generated_site(site.path(), 400, "甲门户");
    let old = clean_output(site.path());
    fs::write(site.path().join("site.yaml"), site_yaml("乙门户乙")).unwrap();
    let new = clean_output(site.path());
    fs::write(site.path().join("site.yaml"), site_yaml("甲门户")).unwrap();
    build_ok(site.path());
    let public = site.path().join("public");
    assert_holds(&public, &old, "first build");

    let start = || {
        Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .env("GONGSHI_LANG", "en")
            .arg("build")
            .current_dir(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long an update takes when every page changes (the title is on every page).
    fs::write(site.path().join("site.yaml"), site_yaml("乙门户乙")).unwrap();
    let started = Instant::now();
    assert!(start().wait().unwrap().success());
    let full = started.elapsed();
    assert_holds(&public, &new, "update");
    fs::write(site.path().join("site.yaml"), site_yaml("甲门户")).unwrap();
    build_ok(site.path());

    // Kills swept across the whole update, each followed by a revert of the edit and a build
    // that must give exactly the reverted site (the manifest may not vouch for files it lost).
    let rounds = 16;
    let mut seen = BTreeMap::new();
    for round in 0..rounds {
        fs::write(site.path().join("site.yaml"), site_yaml("乙门户乙")).unwrap();
        let mut child = start();
        std::thread::sleep(full.mul_f64(0.3 + 0.8 * round as f64 / rounds as f64));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let moment = format!("round {round} (exit {status})");
        *seen
            .entry(which_build(&public, &old, &new, &moment))
            .or_insert(0) += 1;
        fs::write(site.path().join("site.yaml"), site_yaml("甲门户")).unwrap();
        build_ok(site.path());
        assert_holds(
            &public,
            &old,
            &format!("{moment}, then the build after the revert"),
        );
        assert_eq!(leftovers(site.path()), Vec::<String>::new(), "{moment}");
    }
    eprintln!("kills left the old build {seen:?}");
}

#[test]
fn a_failure_while_putting_files_in_place_leaves_the_old_or_the_whole_new_build() {
    let site = tempfile::tempdir().unwrap();
    generated_site(site.path(), 60, "甲门户");
    build_ok(site.path());
    fs::write(site.path().join("site.yaml"), site_yaml("乙门户乙")).unwrap();
    let new = clean_output(site.path());
    // A folder where a page must go: the page cannot be renamed over it.
    let public = site.path().join("public");
    let page = public.join("reports/r0030/index.html");
    fs::remove_file(&page).unwrap();
    fs::create_dir_all(page.join("in-the-way")).unwrap();
    let before = snapshot(&public);
    let run = gongshi(site.path(), &["build"]);
    if run.code == 0 {
        assert_holds(&public, &new, "reported built");
    } else {
        assert_holds(
            &public,
            &before,
            &format!("reported failed: {}", run.stderr),
        );
    }
    build_ok(site.path());
    assert_holds(&public, &new, "the next build");
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
    let site = common::copy_fixture("basic");
    let root = site.path();
    build_ok(root);
    // Above the largest process id Linux hands out (2^22), so never a running process.
    let gone = 4_194_400 + std::process::id() % 1000;
    let alive = std::process::id();
    let folder = |name: &str, files: &[&str]| {
        let path = root.join(name);
        fs::create_dir_all(&path).unwrap();
        for file in files {
            fs::write(path.join(file), "x").unwrap();
        }
    };
    let removed = [
        format!(".public.gongshi-staging-{gone}"),
        format!(".public.gongshi-old-{}", gone + 1),
        format!(".public.gongshi-staging-{}", gone + 2),
    ];
    folder(&removed[0], &[".gongshi-output", "index.html"]);
    folder(&removed[1], &[".gongshi-output", "feed.xml"]);
    folder(&removed[2], &[]);
    let kept = [
        // A build still running (this test's own process id stands in for it).
        format!(".public.gongshi-staging-{alive}"),
        // Not gongshi's: no marker, files inside.
        format!(".public.gongshi-old-{}", gone + 3),
        // Not a process id.
        ".public.gongshi-staging-x1".to_string(),
        // Another output folder's.
        format!(".other.gongshi-staging-{gone}"),
    ];
    folder(&kept[0], &[".gongshi-output"]);
    folder(&kept[1], &["precious.txt"]);
    folder(&kept[2], &[".gongshi-output"]);
    folder(&kept[3], &[".gongshi-output"]);
    // A file, not a folder, with the name of a leftover.
    let file = format!(".public.gongshi-old-{}", gone + 4);
    fs::write(root.join(&file), "x").unwrap();

    build_ok(root);
    for name in &removed {
        assert!(!root.join(name).exists(), "{name} was left");
    }
    for name in kept.iter().chain([&file]) {
        assert!(root.join(name).exists(), "{name} was removed");
    }
    assert!(root.join(&kept[1]).join("precious.txt").exists());
}

#[test]
fn the_previous_build_is_recycled_without_leaving_its_files_or_following_links() {
    let site = tempfile::tempdir().unwrap();
    generated_site(site.path(), 6, "门户");
    build_ok(site.path());
    build_ok(site.path());
    let spare = site.path().join(".public.gongshi-spare");
    assert!(
        spare.join(".gongshi-output").is_file(),
        "the previous build is kept as the spare"
    );
    // Things the next build must not carry into public/: a file added by hand to the spare, a
    // link in it to a folder outside (which must be removed, not followed and emptied), and the
    // folder of a report that is then deleted.
    fs::write(spare.join("hand-made.html"), "x").unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("keep.txt"), "mine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), spare.join("elsewhere")).unwrap();
    fs::remove_file(site.path().join("content/r0003.md")).unwrap();
    build_ok(site.path());
    let public = site.path().join("public");
    assert_eq!(snapshot(&public), clean_output(site.path()));
    assert!(!public.join("hand-made.html").exists());
    assert!(!public.join("elsewhere").exists());
    assert_eq!(
        fs::read_to_string(outside.path().join("keep.txt")).unwrap(),
        "mine"
    );
    let folders = |dir: &Path| -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
            .collect()
    };
    let clean = tempfile::tempdir().unwrap();
    copy_tree(&site.path().join("content"), &clean.path().join("content"));
    fs::copy(
        site.path().join("site.yaml"),
        clean.path().join("site.yaml"),
    )
    .unwrap();
    build_ok(clean.path());
    let (mut got, mut want) = (folders(&public), folders(&clean.path().join("public")));
    got.sort();
    want.sort();
    assert_eq!(got, want, "no empty folder of the deleted report is left");
}
