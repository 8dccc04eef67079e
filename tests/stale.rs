//! Repeat builds are never stale: a few hundred random edits of every kind (front-matter fields,
//! bodies, new, deleted and renamed files, site.yaml keys, a theme template, static files, and an
//! edit of the same size with the old modification time put back), each followed by a cached
//! build, and every cached output compared byte for byte with a clean build of the same input.

mod common;
use common::{copy_fixture, gongshi, snapshot};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TITLES: &[&str] = &[
    "区发改委专项工作评议调查报告",
    "关于区教育局工作评议的报告",
    "区卫健委履职评议报告",
    "整改情况跟踪评议报告（修订）",
    "区住建局专项评议意见",
];
const DEPARTMENTS: &[&str] = &["区发改委", "区教育局", "区卫健委", "区住建局", "区民政局"];
const SOURCES: &[&str] = &["调查报告", "讲话发言", "评议报告", "人大常委会"];
const TAGS: &[&str] = &[
    "教育",
    "评议",
    "民生",
    "营商环境",
    "整改",
    "双减",
    "医疗",
    "住房",
];
const DATES: &[&str] = &[
    "2019-03-02",
    "2020-08-06",
    "2021/6/1 09:30",
    "2021-12-31",
    "2022-01-15",
];
const SENTENCES: &[&str] = &[
    "评议组走访了十二个单位，召开座谈会五次。",
    "部分项目审批环节过多，落地滞后。",
    "建议进一步完善考核机制，强化结果运用。",
    "[上年报告](../2020/fagaiwei.md)提出的问题已整改。",
    "## 二、存在问题\n\n整改台账逐项销号。",
    "| 指标 | 数值 |\n|:--|--:|\n| 满意度 | 92% |",
    "正文有脚注[^1]。\n\n[^1]: 见附件。",
];

/// One report file's text from random parts.
fn random_report(random: &mut Random, slug: Option<&str>) -> String {
    let mut front = format!(
        "title: {}\ndate: {}\ndepartment: {}\nsource: {}\n",
        random.pick(TITLES),
        random.pick(DATES),
        random.pick(DEPARTMENTS),
        random.pick(SOURCES)
    );
    let tags: Vec<&str> = (0..random.below(4)).map(|_| *random.pick(TAGS)).collect();
    front.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    if random.below(5) == 0 {
        front.push_str("pinned: true\n");
    }
    if random.below(6) == 0 {
        front.push_str(&format!(
            "summary: {}\n",
            quoted(random.pick::<&str>(SENTENCES))
        ));
    }
    if let Some(slug) = slug {
        front.push_str(&format!("slug: {slug}\n"));
    }
    let body: Vec<&str> = (0..1 + random.below(3))
        .map(|_| *random.pick(SENTENCES))
        .collect();
    format!("---\n{front}---\n{}\n", body.join("\n\n"))
}

/// The first line of `sentence` as a single-quoted YAML string.
fn quoted(sentence: &str) -> String {
    format!("'{}'", sentence.lines().next().unwrap().replace('\'', "''"))
}

/// The report files of the site, sorted.
fn reports(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Applies one random edit and says what it was.
fn edit(site: &Path, random: &mut Random, round: usize) -> String {
    let files = reports(site);
    let file = random.pick(&files).clone();
    let name = file.strip_prefix(site).unwrap().display().to_string();
    match random.below(16) {
        0 => {
            let path = site.join(format!("content/new/r{round}.md"));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, random_report(random, None)).unwrap();
            format!("added {}", path.display())
        }
        1 if files.len() > 3 => {
            fs::remove_file(&file).unwrap();
            format!("deleted {name}")
        }
        2 => {
            let to = file.with_file_name(format!("moved-{round}.md"));
            fs::rename(&file, &to).unwrap();
            format!("renamed {name}")
        }
        3 => {
            let text = fs::read_to_string(&file).unwrap();
            // The same length, and the old modification time put back: only the bytes tell.
            let swapped = if text.contains("评议") {
                text.replacen("评议", "审议", 1)
            } else {
                text.replacen("报告", "意见", 1)
            };
            let modified = fs::metadata(&file).unwrap().modified().unwrap();
            fs::write(&file, swapped).unwrap();
            set_modified(&file, modified);
            format!("same-size edit of {name} with its old mtime")
        }
        4 => {
            let mut yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
            let line = random.pick(&[
                "paginate: 1",
                "paginate: 3",
                "feed_limit: 2",
                "description: 修改后的描述",
                "related:\n  count: 1",
                "slugify: unicode",
                "title: 新门户名",
            ]);
            let key = line.split(':').next().unwrap();
            yaml = yaml
                .lines()
                .filter(|l| !l.starts_with(key) && !l.starts_with("  count"))
                .collect::<Vec<_>>()
                .join("\n");
            yaml.push_str(&format!("\n{line}\n"));
            fs::write(site.join("site.yaml"), yaml).unwrap();
            format!("site.yaml {line:?}")
        }
        5 => {
            let dir = site.join("themes/default/templates");
            fs::create_dir_all(&dir).unwrap();
            let base = include_str!("../themes/default/templates/card.html");
            let marker = random.pick(&["卡片甲", "卡片乙", ""]);
            fs::write(dir.join("card.html"), format!("{base}<!-- {marker} -->\n")).unwrap();
            format!("theme card.html {marker}")
        }
        6 => {
            let dir = site.join("static/files");
            fs::create_dir_all(&dir).unwrap();
            let which = random.below(3);
            fs::write(dir.join(format!("f{which}.txt")), format!("附件 {round}")).unwrap();
            format!("static f{which}.txt")
        }
        7..=10 => {
            let (key, value) = match random.below(8) {
                0 => ("title", random.pick(TITLES).to_string()),
                1 => ("department", random.pick(DEPARTMENTS).to_string()),
                2 => ("source", random.pick(SOURCES).to_string()),
                3 => (
                    "tags",
                    format!("[{}, {}]", random.pick(TAGS), random.pick(TAGS)),
                ),
                4 => ("date", random.pick(DATES).to_string()),
                5 => ("summary", quoted(random.pick::<&str>(SENTENCES))),
                6 => ("pinned", random.pick(&["true", "false"]).to_string()),
                _ => ("updated", random.pick(DATES).to_string()),
            };
            set_field(&file, key, &value);
            format!("{name}: {key}: {value}")
        }
        _ => {
            let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
            let keep_slug = random.below(2) == 0;
            fs::write(
                &file,
                random_report(random, keep_slug.then_some(slug.as_str())),
            )
            .unwrap();
            format!("rewrote {name}")
        }
    }
}

/// Sets one front-matter field of `file`, leaving every other line as it is.
fn set_field(file: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(file).unwrap();
    let (front, body) = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .unwrap();
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = front
        .lines()
        .filter(|line| !line.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    lines.push(format!("{key}: {value}"));
    fs::write(file, format!("---\n{}\n---\n{body}", lines.join("\n"))).unwrap();
}

fn set_modified(path: &Path, time: SystemTime) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

/// The output of a build without its marker file.
fn built(folder: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(folder);
    files.retain(|path, _| !path.starts_with(".gongshi-output"));
    files
}

#[test]
fn random_edits_never_leave_a_cached_build_stale() {
    let seed: u64 = std::env::var("GONGSHI_STALE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026);
    let rounds: usize = std::env::var("GONGSHI_STALE_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    let mut random = Random(seed);
    let site = copy_fixture("basic");
    let root = site.path();
    let clean = tempfile::tempdir().unwrap();
    let mut history = Vec::new();
    let mut compared = 0;
    for round in 0..rounds {
        for _ in 0..1 + random.below(3) {
            history.push(edit(root, &mut random, round));
        }
        let cached = gongshi(root, &["build"]);
        let fresh = gongshi(
            root,
            &[
                "build",
                "--no-cache",
                "--output",
                clean.path().join("out").to_str().unwrap(),
            ],
        );
        assert_eq!(
            cached.code, fresh.code,
            "round {round}: cached and clean builds disagree\n{}\n{}",
            cached.stderr, fresh.stderr
        );
        if cached.code != 0 {
            if std::env::var("GONGSHI_STALE_VERBOSE").is_ok() {
                eprintln!("round {round} did not build:\n{}", cached.stderr);
            }
            continue;
        }
        compared += 1;
        let (got, want) = (
            built(&root.join("public")),
            built(&clean.path().join("out")),
        );
        let differ: Vec<_> = got
            .keys()
            .chain(want.keys())
            .filter(|path| got.get(*path) != want.get(*path))
            .collect();
        assert!(
            differ.is_empty(),
            "seed {seed}, round {round}: stale files {differ:?}\nedits so far:\n{}",
            history.join("\n")
        );
    }
    eprintln!(
        "{} edits, {compared} of {rounds} builds compared",
        history.len()
    );
    assert!(
        compared * 2 >= rounds,
        "most rounds must build: only {compared} of {rounds} did"
    );
}
