//! The language of messages: Chinese by default (every other test pins English with
//! GONGSHI_LANG=en), English with `--lang en` or site.yaml `language: en`, Traditional for a
//! zh-Hant site; and each common mistake explained in Chinese at its own line and column.

use std::path::Path;
use std::process::Command;

/// Runs gongshi in `dir` with no language chosen in the environment; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONGSHI_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("gongshi runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A site with `site_yaml` and one report `content/a.md` holding `report`.
fn site(site_yaml: &str, report: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), site_yaml).unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/a.md"), report).unwrap();
    dir
}

const SITE: &str = "title: 评议公开\nbase_url: https://example.gov.cn/\n";

#[test]
fn each_common_mistake_is_explained_in_chinese_at_its_place() {
    // (report text, the place the editor must look, words the message must hold)
    let cases = [
        (
            "---\ntitle: 报告\ndate: 2020-08-06\ndepartment: 区发改委\n\ttags: [评议]\n---\n正文\n",
            "content/a.md:5:1: 错误:",
            "缩进里有制表符",
        ),
        (
            "---\ntitle: 报告: 二\ndate: 2020-08-06\n---\n正文\n",
            "content/a.md:2:10: 错误:",
            "英文冒号加空格",
        ),
        (
            "---\ntitle：报告\ndate: 2020-08-06\n---\n正文\n",
            "content/a.md:2:",
            "中文冒号",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-02-30\n---\n正文\n",
            "content/a.md:3:7: 错误:",
            "2020年2月只有 29 天",
        ),
        (
            "---\ndate: 2020-08-06\n---\n正文\n",
            "content/a.md:1:1: 错误:",
            "缺少 `title`",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-08-06\nTags: [评议]\n---\n正文\n",
            "content/a.md:4:1: 错误:",
            "含大写字母",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-08-06\ntags: [评议\n---\n正文\n",
            "content/a.md:",
            "YAML 格式有误",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-08-06\n",
            "content/a.md:1:1: 错误:",
            "没有结束",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-08-06\npinned: 是\n---\n正文\n",
            "content/a.md:4:9: 错误:",
            "只能是 true 或 false",
        ),
    ];
    for (report, place, words) in cases {
        let dir = site(SITE, report);
        let (code, _, stderr) = run(dir.path(), &["build"]);
        assert_eq!(code, 1, "{report}\n{stderr}");
        assert!(stderr.contains(place), "{report}\nwanted {place}\n{stderr}");
        assert!(stderr.contains(words), "{report}\nwanted {words}\n{stderr}");
        assert!(
            stderr.contains("= 提示: "),
            "every mistake has a hint\n{stderr}"
        );
        assert!(stderr.contains("没有写入任何文件"), "{stderr}");
        assert!(!stderr.contains(" error: "), "no English label\n{stderr}");
        assert!(!dir.path().join("public").exists());
    }
}

#[test]
fn warnings_hints_and_the_summary_line_are_chinese_too() {
    let dir = site(
        "title: 评议公开\nbase_url: https://example.gov.cn/\nfeed_limt: 10\n",
        "---\ntitle: 报告\ndate: 2020-08-06\ntgas: [评议]\n---\n正文 ![](/missing.png)\n",
    );
    let (code, _, stderr) = run(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("site.yaml:3:1: 警告: site.yaml 中有未知的键 `feed_limt`"),
        "{stderr}"
    );
    assert!(stderr.contains("是不是想写 `feed_limit`？"), "{stderr}");
    assert!(
        stderr.contains("content/a.md:4:1: 警告: 头部信息中有未知的键 `tgas`"),
        "{stderr}"
    );
    assert!(stderr.contains("是不是想写 `tags`？"), "{stderr}");
    assert!(stderr.contains("没有替代文字"), "{stderr}");
    let pages: usize = stderr
        .split("已生成 1 篇报告，")
        .nth(1)
        .and_then(|rest| rest.split(" 个页面").next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("a page count in the summary line\n{stderr}"));
    // Pages a reader opens; the search index's files (over a thousand) are not pages.
    assert!((5..100).contains(&pages), "{pages} pages\n{stderr}");
    assert!(stderr.contains("用时"), "{stderr}");
}

#[test]
fn english_is_chosen_by_flag_by_site_yaml_or_by_the_environment() {
    let report = "---\ndate: 2020-08-06\n---\n正文\n";
    let dir = site(SITE, report);
    let (_, _, stderr) = run(dir.path(), &["build", "--lang", "en"]);
    assert!(
        stderr.contains("content/a.md:1:1: error: the front-matter has no `title`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");

    let english_site = site(&format!("{SITE}language: en\n"), report);
    let (_, _, stderr) = run(english_site.path(), &["check"]);
    assert!(
        stderr.contains("error: the front-matter has no `title`"),
        "{stderr}"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .args(["check"])
        .current_dir(dir.path())
        .env("GONGSHI_LANG", "en")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: the front-matter"));

    // The flag wins over the site: a Chinese message for an English site on request.
    let (_, _, stderr) = run(english_site.path(), &["check", "--lang", "zh-CN"]);
    assert!(stderr.contains("错误: 头部信息缺少 `title`"), "{stderr}");
}

#[test]
fn a_traditional_chinese_site_is_answered_in_traditional_script() {
    let dir = site(
        &format!("{SITE}language: zh-Hant\n"),
        "---\ndate: 2020-08-06\n---\n正文\n",
    );
    let (code, _, stderr) = run(dir.path(), &["build"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("錯誤: 頭部信息缺少 `title`"), "{stderr}");
    assert!(stderr.contains("沒有寫入任何文件"), "{stderr}");
}

#[test]
fn init_and_new_speak_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(dir.path(), &["init", "portal"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("已创建 portal/site.yaml"), "{stdout}");
    assert!(
        stdout.contains("下一步：cd portal && gongshi serve"),
        "{stdout}"
    );
    let (code, _, stderr) = run(dir.path(), &["init", "portal"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("错误: portal/site.yaml 已存在；没有写入任何文件"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&dir.path().join("portal"), &["new", "../x"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("`../x` 不能用作文件名"), "{stderr}");
}

#[test]
fn a_bad_language_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(dir.path(), &["build", "--lang", "fr"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown language `fr`"), "{stderr}");
}
