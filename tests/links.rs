//! `gongshi check` verifies links and images written in reports, at their file and line.

mod common;
use common::{copy_fixture, gongshi};

const LINKS: &str = "---\ntitle: 链接测试\ndate: 2019-01-01\n---\n## 一、正文\n\n\
[好的文件链接](2020/fagaiwei.md#一专项工作推进情况)\n\
[好的网址](/pingyi/reports/genzong/#一整改情况)\n\
[本文标题](#一正文)\n\
[外部](https://example.org/x)\n\
[缺失的报告](2020/no-such.md)\n\
[缺失的锚点](2021/genzong.md#不存在)\n\
[缺失的页面](/reports/nothing/)\n\
![缺失的图片](/images/missing.png)\n\
![图片](/files/chart.png)\n\
[本文缺失锚点](#没有这一节)\n";

#[test]
fn check_reports_each_broken_link_at_its_line() {
    let site = copy_fixture("basic");
    std::fs::write(site.path().join("content/links.md"), LINKS).unwrap();
    std::fs::create_dir_all(site.path().join("static/files")).unwrap();
    std::fs::write(site.path().join("static/files/chart.png"), b"png").unwrap();
    let run = gongshi(site.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = [
        "content/links.md:11: error: broken link `2020/no-such.md`: there is no such report in content/",
        "content/links.md:12: error: broken link `2021/genzong.md#不存在`: content/2021/genzong.md has no heading `#不存在` (it has #一整改情况)",
        "content/links.md:13: error: broken link `/reports/nothing/`: the site has no file /reports/nothing",
        "content/links.md:14: error: broken image `/images/missing.png`: the site has no file /images/missing.png",
        "content/links.md:16: error: broken link `#没有这一节`: content/links.md has no heading `#没有这一节` (it has #一正文)",
    ];
    for line in expected {
        assert!(
            run.stderr.contains(line),
            "missing {line:?} in\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches(": error: broken").count(),
        expected.len(),
        "{}",
        run.stderr
    );
}

#[test]
fn build_warns_about_broken_links_but_succeeds() {
    let site = copy_fixture("basic");
    std::fs::write(site.path().join("content/links.md"), LINKS).unwrap();
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/links.md:11: warning: broken link `2020/no-such.md`"),
        "{}",
        run.stderr
    );
}
