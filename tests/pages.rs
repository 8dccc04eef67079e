//! Standalone pages (信息公开指南, 联系我们, 关于本站): Markdown files under `content/pages/` or with
//! `page: true`, no date needed, their own template and a place in the navigation, and never in
//! lists, feeds, open data, search or related lists.

mod common;
use common::{build_ok, copy_fixture, gongshi, page};
use std::fs;

fn write(site: &std::path::Path, relative: &str, text: &str) {
    let path = site.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn pages_get_their_own_address_template_and_navigation_but_no_list_sees_them() {
    let site = copy_fixture("basic");
    let root = site.path();
    write(
        root,
        "content/pages/guide.md",
        "---\ntitle: 信息公开指南\nnav: 1\ntags: [指南]\n---\n## 一、公开范围\n\n本站公开人大常委会工作评议的报告。\n\n## 二、公开方式\n\n网站公开。\n\n## 三、申请程序\n\n书面申请。\n",
    );
    write(
        root,
        "content/about.md",
        "---\ntitle: 关于本站\npage: true\nnav: 2\nupdated: 2021-03-01\n---\n清河区人大常委会主办。\n",
    );
    write(
        root,
        "content/pages/contact.md",
        "---\ntitle: 联系我们\n---\n电话：010-00000000\n",
    );
    build_ok(root);
    let guide = page(root, "guide/index.html");
    assert!(guide.contains("<h1>信息公开指南</h1>"), "{guide}");
    assert!(guide.contains("本站公开人大常委会工作评议的报告"));
    assert!(guide.contains("<summary><h2 id=\"toc-title\">目录</h2></summary>"));
    let about = page(root, "about/index.html");
    assert!(about.contains("更新日期：2021年3月1日"), "{about}");
    assert!(root.join("public/contact/index.html").exists());
    // The navigation of every page lists the pages with `nav`, in order; contact has none.
    let home = page(root, "index.html");
    let guide_link = home
        .find("<a href=\"/pingyi/guide/\">信息公开指南</a>")
        .expect("guide in the navigation");
    let about_link = home
        .find("<a href=\"/pingyi/about/\">关于本站</a>")
        .expect("about in the navigation");
    assert!(guide_link < about_link);
    assert!(!home.contains(">联系我们<"));
    assert!(guide.contains("<a href=\"/pingyi/guide/\" aria-current=\"page\">信息公开指南</a>"));
    // Never in lists, feeds, open data, search, keywords or archives; in the sitemap.
    for file in [
        "index.html",
        "page/2/index.html",
        "feed.xml",
        "data/reports.json",
        "data/reports.csv",
        "archive/index.html",
        "tags/index.html",
    ] {
        let text = page(root, file);
        for title in ["信息公开指南", "关于本站", "联系我们"] {
            let in_nav = text.matches(title).count();
            let expected = if file.ends_with(".html") && title != "联系我们" {
                1
            } else {
                0
            };
            assert_eq!(in_nav, expected, "{title} in {file}");
        }
    }
    assert!(!root.join("public/archive/1970").exists());
    assert!(!root.join("public/tags/zhi-nan").exists());
    let search: String = fs::read_dir(root.join("public/search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| fs::read_to_string(path).unwrap_or_default())
        .collect();
    assert!(!search.contains("信息公开指南"));
    let sitemap = page(root, "sitemap.xml");
    assert!(
        sitemap.contains("https://example.gov.cn/pingyi/guide/"),
        "{sitemap}"
    );
}

#[test]
fn a_page_on_a_taken_address_is_an_error() {
    let site = copy_fixture("basic");
    write(
        site.path(),
        "content/pages/tags.md",
        "---\ntitle: 热词说明\n---\n正文\n",
    );
    let run = gongshi(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/pages/tags.md:1:1: error: the page's address /tags/ is already the page /tags/"
        ),
        "{}",
        run.stderr
    );
}
