//! Imports point one way: every module of src/ belongs to a layer (see docs/architecture.md),
//! and its non-test code names (`crate::<module>`) only modules of lower layers. A backwards
//! import, or a cycle between two modules, fails this test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Modules of one layer are independent of each other.
const LAYERS: &[&[&str]] = &[
    &["script"],
    &["lang"],
    &["diagnostics"],
    &["invisible"],
    &["yaml"],
    &["slug", "progress", "readership"],
    &["permalink"],
    &["incremental"],
    &["config"],
    &["content"],
    &["model"],
    &["render"],
    &["output"],
    &["pipeline"],
    &["serve", "import", "scaffold"],
];

/// The macro `crate::msg!` is defined in `lang`.
fn module_of_name(name: &str) -> &str {
    if name == "msg" { "lang" } else { name }
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)] mod …` blocks (skipped
/// by counting braces, which test modules do not put in strings unbalanced).
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        if line.trim() == "#[cfg(test)]" && next.starts_with("mod ") {
            i += 1;
            let mut depth = 0i64;
            loop {
                let l = lines.get(i).copied().unwrap_or("");
                depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
                i += 1;
                if depth <= 0 || i >= lines.len() {
                    break;
                }
            }
            continue;
        }
        if !line.trim_start().starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
        i += 1;
    }
    code
}

/// The modules `code` names as `crate::<module>` (also inside `use crate::{a, b::c}`).
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            for item in inside.split(',') {
                let item = item.trim();
                let name: String = item
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.insert(name);
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// Backwards imports of the sources in `src`, as `file: module -> named`.
fn backwards_imports(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let layer = layer_of(&module)
            .unwrap_or_else(|| panic!("src/{module} is in no layer of tests/layers.rs"));
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for name in named_modules(&code) {
            let named = module_of_name(&name);
            if named == module {
                continue;
            }
            let allowed = layer_of(named).is_some_and(|other| other < layer);
            if !allowed {
                found.push(format!("{}: {module} -> {named}", relative.display()));
            }
        }
    }
    found
}

#[test]
fn imports_point_from_higher_layers_to_lower_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = backwards_imports(&src);
    assert!(
        found.is_empty(),
        "imports against the layer order (lowest first: {LAYERS:?}):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_backwards_import_and_a_cycle_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("incremental")).unwrap();
    std::fs::write(
        src.join("incremental/mod.rs"),
        "//! crate::render in a comment is fine\nuse crate::{diagnostics::Diagnostic, content::Report};\n\
         #[cfg(test)]\nmod tests {\n    use crate::pipeline::build;\n    fn f() {}\n}\n\
         fn after_the_tests() { crate::model::build_site(); }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("slug.rs"),
        "fn f() { crate::progress::Progress::new(1); }\n",
    )
    .unwrap();
    assert_eq!(
        backwards_imports(src),
        [
            "incremental/mod.rs: incremental -> content",
            "incremental/mod.rs: incremental -> model",
            "slug.rs: slug -> progress"
        ]
    );
}
