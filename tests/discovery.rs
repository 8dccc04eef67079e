//! Hot keywords, term pages, slug collisions and related reports on hand-checked fixtures.

mod common;
use common::{build_ok, copy_fixture, page};

/// The report URLs linked in one `<section class="related">`, in order.
fn related(html: &str) -> Vec<String> {
    let Some(start) = html.find("<section class=\"related\"") else {
        return Vec::new();
    };
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    section
        .split("<li><a href=\"/reports/")
        .skip(1)
        .map(|s| s.split('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn related_lists_are_exactly_the_hand_checked_ones_in_order() {
    let site = copy_fixture("discovery");
    build_ok(site.path());
    // Scores (rarity ln(1 + 7/3) ≈ 1.20 for x and y, ln(1 + 7/2) ≈ 1.50 for z, +1 same department).
    let expected: &[(&str, &[&str])] = &[
        ("a", &["c", "b"]),
        ("b", &["a", "c"]),
        ("c", &["a", "d"]),
        ("d", &["c", "e"]),
        ("e", &["d"]),
    ];
    for (report, list) in expected {
        let html = page(site.path(), &format!("reports/{report}/index.html"));
        assert_eq!(related(&html), *list, "report {report}");
        assert!(
            html.contains("<h2 id=\"related-title\">相关报告</h2>"),
            "{report}"
        );
    }
}

#[test]
fn a_report_without_matches_falls_back_to_its_department() {
    let site = copy_fixture("discovery");
    build_ok(site.path());
    let html = page(site.path(), "reports/f/index.html");
    assert_eq!(related(&html), ["e"]);
    assert!(html.contains("同一评议对象的最新报告"));
    let lonely = page(site.path(), "reports/g/index.html");
    assert!(
        related(&lonely).is_empty(),
        "no department, no match: no list"
    );
}

#[test]
fn tag_index_ranks_by_count_then_newest_use_then_name() {
    let site = copy_fixture("discovery");
    build_ok(site.path());
    let html = page(site.path(), "tags/index.html");
    let ranking = &html[html.find("<ol class=\"term-ranking\">").unwrap()..];
    let names: Vec<&str> = ranking
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .filter(|s| s.len() == 1 && s.chars().all(char::is_alphanumeric))
        .collect();
    assert_eq!(names, ["x", "y", "z", "w", "q"]);
    assert!(ranking.contains("<a href=\"/tags/x/\">x</a> <span class=\"count\">3 篇</span>"));
}

#[test]
fn tag_page_lists_exactly_its_reports_newest_first_across_pages() {
    let site = copy_fixture("discovery");
    build_ok(site.path());
    let first = page(site.path(), "tags/x/index.html");
    let second = page(site.path(), "tags/x/page/2/index.html");
    let links = |html: &str| -> Vec<String> {
        html.split("<h2><a href=\"/reports/")
            .skip(1)
            .map(|s| s.split('/').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(links(&first), ["a", "b"]);
    assert_eq!(links(&second), ["c"]);
    assert!(!site.path().join("public/tags/x/page/3").exists());
    assert!(first.contains("首次出现：2021年1月1日 · 最近：2023年1月1日"));
    assert!(
        first.contains("<a href=\"/tags/y/\">y</a> <span class=\"count\">2</span>"),
        "co-occurring keyword"
    );
}

#[test]
fn departments_without_reports_have_no_page_and_years_are_listed() {
    let site = copy_fixture("discovery");
    build_ok(site.path());
    let departments = page(site.path(), "departments/index.html");
    let ranking = &departments[departments.find("<ol class=\"term-ranking\">").unwrap()..];
    assert_eq!(
        ranking.matches("<li><a href=\"/departments/").count(),
        3,
        "g has no department"
    );
    assert!(page(site.path(), "departments/jia-ju/index.html").contains("/reports/a/"));
    let archive = page(site.path(), "archive/index.html");
    assert!(archive.contains("<a href=\"/archive/2017/\">2017年</a>"));
}

#[test]
fn colliding_terms_get_distinct_pages_and_a_warning() {
    let site = copy_fixture("collisions");
    let run = build_ok(site.path());
    let tags = site.path().join("public/tags");
    let mut slugs: Vec<String> = std::fs::read_dir(&tags)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gong-shi"))
        .collect();
    slugs.sort();
    assert_eq!(slugs.len(), 3, "{slugs:?}");
    assert!(slugs.contains(&"gong-shi".to_string()));
    assert!(
        page(site.path(), "tags/gong-shi/index.html").contains("公示报告"),
        "oldest use keeps the plain slug"
    );
    assert!(
        run.stderr
            .contains("warning: tags `公示` and `公式` both make the URL /tags/gong-shi/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: tags `公示` and `工时` both make the URL /tags/gong-shi/")
    );
    // Simplified and traditional spellings stay distinct without tag_aliases.
    assert!(tags.join("fa-gai-wei").exists());
}

#[test]
fn pinned_slugs_and_tag_aliases_apply() {
    let site = copy_fixture("collisions");
    std::fs::write(
        site.path().join("site.yaml"),
        "minify: false\nslugs:\n  公式: formula\n  工时: work-hours\ntag_aliases:\n  發改委: 发改委\n",
    )
    .unwrap();
    let run = build_ok(site.path());
    assert!(!run.stderr.contains("both make the URL"), "{}", run.stderr);
    assert!(page(site.path(), "tags/formula/index.html").contains("公式报告"));
    assert!(page(site.path(), "tags/work-hours/index.html").contains("工时报告"));
    let merged = page(site.path(), "tags/fa-gai-wei/index.html");
    assert!(
        merged.contains("公式报告") && merged.contains("工时报告"),
        "發改委 merged into 发改委"
    );
    assert!(!page(site.path(), "tags/index.html").contains("發改委"));
}

#[test]
fn unicode_slugs_keep_the_characters() {
    let site = copy_fixture("collisions");
    std::fs::write(
        site.path().join("site.yaml"),
        "minify: false\nslugify: unicode\n",
    )
    .unwrap();
    build_ok(site.path());
    assert!(site.path().join("public/tags/公示/index.html").exists());
    assert!(site.path().join("public/tags/工时/index.html").exists());
}
