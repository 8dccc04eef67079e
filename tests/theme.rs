//! The default theme in a real browser: builds the sample portal and runs `tests/browser/theme.mjs`
//! (playwright-core driving Debian's Chromium, axe-core, the Nu HTML checker). Screenshots are
//! saved under `target/screenshots/`.

mod common;
use std::path::Path;
use std::process::Command;

#[test]
fn sample_portal_passes_keyboard_axe_elderly_mode_and_html_checks_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let harness = root.join("tests/browser");
    if !harness.join("node_modules/playwright-core").exists()
        || !Path::new("/usr/bin/chromium").exists()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run `npm ci` in tests/browser and install chromium"
        );
        eprintln!("skipping: run `npm ci --ignore-scripts` in tests/browser and install chromium");
        return;
    }
    let output = tempfile::tempdir().unwrap();
    let site = output.path().join("public");
    let run = common::gongshi(root, &["build", "--output", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shots = root.join("target/screenshots");
    let result = Command::new("node")
        .arg("theme.mjs")
        .arg(&site)
        .arg(&shots)
        .current_dir(&harness)
        .output()
        .expect("node runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "{log}");
    assert!(log.contains("theme browser tests: ok"), "{log}");
    for shot in [
        "desktop-index.png",
        "desktop-report.png",
        "mobile-index.png",
        "mobile-report.png",
        "mobile-report-elderly.png",
        "desktop-tags.png",
        "desktop-search.png",
        "mobile-tags.png",
        "mobile-search.png",
    ] {
        assert!(shots.join(shot).exists(), "{shot}");
    }
}
