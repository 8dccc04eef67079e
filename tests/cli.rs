//! The command line: init, new, --root, help and exit codes.

mod common;
use common::{copy_fixture, gongshi};

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongshi(dir.path(), &["init", "mysite"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = dir.path().join("mysite");
    assert!(site.join("site.yaml").exists());
    let run = gongshi(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("built 2 reports"), "{}", run.stderr);
    assert!(
        site.join("public/reports/jiaoyuju-diaocha-baogao/index.html")
            .exists()
    );
    let again = gongshi(dir.path(), &["init", "mysite"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"));
}

#[test]
fn new_writes_a_report_with_todays_date_and_refuses_to_overwrite() {
    let site = copy_fixture("basic");
    let run = gongshi(
        site.path(),
        &[
            "new",
            "2024/xin-baogao",
            "--title",
            "新的评议报告",
            "--department",
            "区教育局",
            "--tags",
            "教育, 评议",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path().join("content/2024/xin-baogao.md");
    assert_eq!(run.stdout.trim(), "./content/2024/xin-baogao.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let today = jiff::ZonedDateTime::now()
        .in_tz("Asia/Shanghai")
        .unwrap()
        .date()
        .to_string();
    assert!(text.contains(&format!("date: {today}\n")), "{text}");
    // Written by the same YAML writer as `gongshi import`: plain where that reads back the same.
    assert!(text.contains("title: 新的评议报告\n"), "{text}");
    assert!(text.contains("department: 区教育局\n"), "{text}");
    assert!(text.contains("tags: [教育, 评议]\n"), "{text}");
    for field in [
        "index_no",
        "doc_no",
        "written",
        "disclosure",
        "topic",
        "publisher",
    ] {
        assert!(
            text.contains(&format!("\n# {field}: ")),
            "{field} offered, commented: {text}"
        );
    }
    // The placeholder keeps a half-written report from being published.
    let build = gongshi(site.path(), &["build"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build.stderr.contains("content/2024/xin-baogao.md:16:1: error: the report still holds the placeholder 【待填写】"),
        "{}",
        build.stderr
    );
    std::fs::write(
        &path,
        text.replace("【待填写】在此撰写报告导语。", "评议组开展了专项调查。"),
    )
    .unwrap();
    let build = gongshi(site.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let text = std::fs::read_to_string(&path).unwrap();
    let again = gongshi(site.path(), &["new", "2024/xin-baogao"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn root_flag_builds_a_site_from_any_folder() {
    let site = copy_fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.path().to_str().unwrap();
    let run = gongshi(elsewhere.path(), &["build", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path().join("public/index.html").exists());
    let check = gongshi(elsewhere.path(), &["check", "--root", root]);
    assert_eq!(check.code, 0);
    assert!(
        check.stderr.contains("checked 5 reports"),
        "{}",
        check.stderr
    );
}

#[test]
fn errors_name_files_under_the_root_given() {
    let site = copy_fixture("basic");
    std::fs::write(site.path().join("content/bad.md"), "---\ntitle: x\n---\n").unwrap();
    let run = gongshi(
        site.path().parent().unwrap(),
        &[
            "check",
            "--root",
            site.path().file_name().unwrap().to_str().unwrap(),
        ],
    );
    let expected = format!(
        "{}/content/bad.md:1:1: error: the front-matter has no `date`",
        site.path().file_name().unwrap().to_str().unwrap()
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2_and_help_explains() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(gongshi(dir.path(), &["frobnicate"]).code, 2);
    assert_eq!(gongshi(dir.path(), &["build", "--no-such-flag"]).code, 2);
    let help = gongshi(dir.path(), &["--help"]);
    assert_eq!(help.code, 0);
    for command in ["init", "new", "build", "check"] {
        assert!(help.stdout.contains(command), "{command}");
    }
    let build_help = gongshi(dir.path(), &["build", "--help"]);
    assert!(build_help.stdout.contains("--base-url") && build_help.stdout.contains("--drafts"));
}

#[test]
fn a_folder_without_content_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongshi(dir.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("there is no content/ folder here"),
        "{}",
        run.stderr
    );
}

#[test]
fn piped_build_prints_one_summary_line_and_verbose_adds_stage_timings() {
    let site = copy_fixture("basic");
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "no progress bar when piped: {:?}",
        run.stderr
    );
    assert!(
        lines[0].starts_with("built 5 reports, ") && lines[0].ends_with(" s"),
        "{}",
        lines[0]
    );
    let verbose = gongshi(site.path(), &["build", "--verbose"]);
    for stage in ["load", "markdown", "model", "render + write", "swap"] {
        assert!(
            verbose
                .stderr
                .lines()
                .any(|l| l.trim_start().starts_with(stage) && l.ends_with(" ms")),
            "{stage}: {}",
            verbose.stderr
        );
    }
}

#[test]
fn init_theme_copies_the_built_in_theme_for_editing() {
    let site = copy_fixture("basic");
    let run = gongshi(site.path(), &["init", ".", "--theme", "mine"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let theme = site.path().join("themes/mine");
    for file in [
        "templates/base.html",
        "templates/report.html",
        "static/style.css",
        "static/search.js",
    ] {
        assert!(theme.join(file).is_file(), "{file}");
    }
    let base = theme.join("templates/base.html");
    let edited = std::fs::read_to_string(&base)
        .unwrap()
        .replace("跳到正文", "跳到主要内容");
    std::fs::write(&base, edited).unwrap();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap() + "theme: mine\n";
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let build = gongshi(site.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        std::fs::read_to_string(site.path().join("public/index.html"))
            .unwrap()
            .contains("跳到主要内容")
    );
    let again = gongshi(site.path(), &["init", ".", "--theme", "mine"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"));
}
