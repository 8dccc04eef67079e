//! The `gongshi` command line: one function per command.

use clap::{Parser, Subcommand};
use gongshi::diagnostics::{Diagnostic, Severity};
use gongshi::import::{ImportOptions, ImportSummary, Outcome, import};
use gongshi::pipeline::{BuildOptions, BuildReport, build, check};
use gongshi::scaffold::{NewReport, copy_theme, init_site, new_report};
use gongshi::serve::{ServeOptions, serve};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc: builds allocate millions of small strings from many threads, where glibc's malloc
/// spent a quarter of the time (perf, 10k reports). Built with `no_thp`: on 2 MiB transparent huge
/// pages the kernel zeroed whole huge pages on first touch, which doubled system time (10k: 0.5 →
/// 1.0 s; 100k: 4.9 → 10.4 s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_index_names_the_option_with_its_default_of_one_second() {
        // SAFETY: reads an integer option.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, 1000);
    }
}

/// gongshi (公示) builds a public appraisal-disclosure portal from Markdown reports.
///
/// A site folder holds site.yaml, content/**/*.md (one report each, with YAML front-matter),
/// optionally static/ and themes/. `gongshi build` writes the portal into public/.
/// Exit codes: 0 success, 1 content errors, 2 usage errors.
#[derive(Parser)]
#[command(name = "gongshi", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site (site.yaml, two sample reports, a guide page), or with --theme copy the built-in
    /// theme into DIR/themes/NAME for editing.
    Init {
        /// Folder for the new site (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Copy the built-in theme into themes/NAME (then set `theme: NAME` in site.yaml).
        #[arg(long, value_name = "NAME")]
        theme: Option<String>,
    },
    /// Create a new report file under content/ with today's date.
    New {
        /// File name without `.md`, e.g. `2024/jiaoyuju-pingyi`.
        name: String,
        /// The report's title (defaults to the name).
        #[arg(long)]
        title: Option<String>,
        /// The appraised department.
        #[arg(long)]
        department: Option<String>,
        /// Keywords, separated by commas.
        #[arg(long)]
        tags: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Import reports from an old site: one Markdown file per input, never overwriting.
    Import(ImportOptions),
    /// Build the site into public/ (replaced only when the whole build succeeds).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: ROOT/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override site.yaml base_url, e.g. for a preview under another address.
        #[arg(long)]
        base_url: Option<String>,
        /// Build from scratch: neither read nor write the build cache (.gongshi-cache/).
        #[arg(long)]
        no_cache: bool,
        /// Count page views from web-server access logs (plain or .gz, or folders of them), or
        /// from `url,views,last_30_days` CSV files; adds to site.yaml `views`.
        #[arg(long, value_name = "PATH", num_args = 1..)]
        views: Vec<PathBuf>,
    },
    /// Check every report and template; write nothing. Exit 1 on any error.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Serve the site on 127.0.0.1, rebuild on change and reload the browser.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to try first (the next free one is used if it is taken).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only loopback unless you ask for another.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include reports marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Print the time each stage took.
    #[arg(long, short)]
    verbose: bool,
}

/// mimalloc's `purge_delay` option (its index in `mi_option_e`, mimalloc v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory instead of returning it to the OS after a second: a build frees and
/// reallocates hundreds of MiB between stages, and re-faulting returned pages (the kernel zeroing
/// them) was 37 % of a repeat build's CPU samples (perf, 10k reports).
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Init {
            dir,
            theme: Some(name),
        } => run_copy_theme(dir, &name),
        Command::Init { dir, theme: None } => run_init(dir),
        Command::New {
            name,
            title,
            department,
            tags,
            root,
        } => run_new(
            root,
            NewReport {
                name,
                title,
                department,
                tags,
            },
        ),
        Command::Import(options) => print_import(&import(&options), options.dry_run),
        Command::Build {
            site,
            output,
            base_url,
            no_cache,
            views,
        } => {
            let options = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
                no_cache,
                views,
            };
            let started = Instant::now();
            let report = build(&options);
            finish("built", &report, started, site.verbose)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
        } => {
            let options = ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
            };
            match serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { site } => {
            let options = BuildOptions {
                root: site.root,
                drafts: site.drafts,
                ..BuildOptions::default()
            };
            let started = Instant::now();
            let report = check(&options);
            finish("checked", &report, started, site.verbose)
        }
    }
}

fn run_init(dir: PathBuf) -> ExitCode {
    match init_site(&dir) {
        Ok(files) => {
            for file in files {
                println!("created {}", file.display());
            }
            println!("next: cd {} && gongshi build", dir.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_copy_theme(dir: PathBuf, name: &str) -> ExitCode {
    match copy_theme(&dir, name) {
        Ok(path) => {
            println!("copied the built-in theme to {}", path.display());
            println!("next: set `theme: {name}` in site.yaml and edit the templates there");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn run_new(root: PathBuf, request: NewReport) -> ExitCode {
    match new_report(&root, &request) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Prints each input's outcome (and in a dry run the files), the warnings and a summary line.
fn print_import(summary: &ImportSummary, dry_run: bool) -> ExitCode {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for warning in &summary.warnings {
        eprintln!("{}\n", paint(warning, colour));
    }
    let (mut imported, mut skipped) = (0, 0);
    for (input, outcome) in &summary.outcomes {
        let input = input.display();
        match outcome {
            Outcome::Imported { path, text } if dry_run => {
                imported += 1;
                println!("would write {} (from {input}):\n{text}", path.display());
            }
            Outcome::Imported { path, .. } => {
                imported += 1;
                println!("imported {input} → {}", path.display());
            }
            Outcome::Exists(path) => {
                skipped += 1;
                println!("skipped {input}: {} already exists", path.display());
            }
            Outcome::Failed(reason) => {
                skipped += 1;
                println!("skipped {input}: {reason}");
            }
        }
    }
    let verb = if dry_run { "would import" } else { "imported" };
    let mut line = format!("{verb} {imported}, skipped {skipped}");
    if summary.converted_encodings > 0 {
        line.push_str(&format!(
            ", {} converted from GB 18030",
            summary.converted_encodings
        ));
    }
    if summary.glosses_removed > 0 {
        line.push_str(&format!(
            ", {} pinyin glosses removed",
            summary.glosses_removed
        ));
    }
    if !summary.warnings.is_empty() {
        line.push_str(&format!(", {} warning(s)", summary.warnings.len()));
    }
    println!("{line}");
    if summary.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints every problem, the summary line and (with --verbose) stage timings.
fn finish(verb: &str, report: &BuildReport, started: Instant, verbose: bool) -> ExitCode {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for notice in &report.notices {
        eprintln!("{notice}\n");
    }
    for problem in &report.problems {
        eprintln!("{}\n", paint(problem, colour));
    }
    if verbose {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<20} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    let errors = report.problems.iter().filter(|p| p.is_error()).count();
    let warnings = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    if report.failed() {
        eprintln!("error: {errors} error(s), {warnings} warning(s); nothing was written");
        return ExitCode::from(1);
    }
    let pages = if report.pages > 0 {
        format!(", {} pages", group(report.pages))
    } else {
        String::new()
    };
    let cached = if report.reused + report.unchanged > 0 {
        format!(
            "; unchanged since the last build: {} reports ({} not re-read), {} files",
            group(report.reused),
            group(report.unread),
            group(report.unchanged)
        )
    } else {
        String::new()
    };
    let warned = if warnings > 0 {
        format!(" ({warnings} warning(s))")
    } else {
        String::new()
    };
    eprintln!(
        "{verb} {} reports{pages} in {:.2} s{warned}{cached}",
        group(report.reports),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// `1234567` → `1,234,567`.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Colours `error:` red and `warning:` yellow on a terminal.
fn paint(problem: &Diagnostic, colour: bool) -> String {
    let text = problem.to_string();
    if !colour {
        return text;
    }
    text.replacen(": error: ", ": \x1b[1;31merror\x1b[0m: ", 1)
        .replacen(": warning: ", ": \x1b[1;33mwarning\x1b[0m: ", 1)
}
