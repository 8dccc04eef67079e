//! The `gongshi` command line: one function per command.

use clap::{Parser, Subcommand};
use gongshi::diagnostics::{Diagnostic, Severity};
use gongshi::import::{ImportOptions, ImportSummary, Outcome, import};
use gongshi::lang::{self, Lang};
use gongshi::msg;
use gongshi::pipeline::{BuildOptions, BuildReport, build, check};
use gongshi::scaffold::{NewReport, copy_theme, init_site, new_report};
use gongshi::serve::{ServeOptions, serve};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
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
    /// Language of messages: `zh-CN` (default), `zh-Hant` or `en`; else GONGSHI_LANG, else
    /// site.yaml `language`.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// `--lang` values: the tags site.yaml `language` takes.
fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("unknown language `{tag}`: use zh-CN, zh-Hant or en"))
}

/// Fixes the language of every message: `--lang`, else `GONGSHI_LANG`, else the site's
/// `language`, else Simplified Chinese.
fn choose_language(cli: &Cli) {
    let from_env = || {
        std::env::var("GONGSHI_LANG")
            .ok()
            .and_then(|tag| Lang::from_tag(&tag))
    };
    let root: Option<&Path> = match &cli.command {
        Command::Init { dir, .. } => Some(dir),
        Command::New { root, .. } | Command::Serve { root, .. } => Some(root),
        Command::Build { site, .. } | Command::Check { site } => Some(&site.root),
        // Reports are imported into the site's content/ folder.
        Command::Import(options) => options.out.parent().map(|site| {
            if site.as_os_str().is_empty() {
                Path::new(".")
            } else {
                site
            }
        }),
    };
    let lang = cli
        .lang
        .or_else(from_env)
        .or_else(|| root.and_then(gongshi::config::site_language))
        .unwrap_or(Lang::ZhHans);
    lang::set(lang);
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
        /// Print the time each stage of each (re)build took.
        #[arg(long, short)]
        verbose: bool,
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
    choose_language(&cli);
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
            finish(Verb::Built, &report, started, site.verbose)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            verbose,
        } => {
            let options = ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
                verbose,
            };
            match serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => fail(&message),
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
            finish(Verb::Checked, &report, started, site.verbose)
        }
    }
}

fn run_init(dir: PathBuf) -> ExitCode {
    match init_site(&dir) {
        Ok(files) => {
            for file in files {
                say(&msg!("created {}", "已创建 {}", file.display()));
            }
            say(&msg!(
                "next: cd {} && gongshi serve",
                "下一步：cd {} && gongshi serve（边写边预览），发布前运行 gongshi build",
                dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
    }
}

fn run_copy_theme(dir: PathBuf, name: &str) -> ExitCode {
    match copy_theme(&dir, name) {
        Ok(path) => {
            say(&msg!(
                "copied the built-in theme to {}",
                "已把内置主题复制到 {}",
                path.display()
            ));
            say(&msg!(
                "next: set `theme: {name}` in site.yaml and edit the templates there",
                "下一步：在 site.yaml 中写上 `theme: {name}`，再修改该文件夹中的模板"
            ));
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
    }
}

fn run_new(root: PathBuf, request: NewReport) -> ExitCode {
    match new_report(&root, &request) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message),
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
                say(&msg!(
                    "would write {} (from {input}):",
                    "将写入 {}（来自 {input}）：",
                    path.display()
                ));
                println!("{text}");
            }
            Outcome::Imported { path, .. } => {
                imported += 1;
                say(&msg!(
                    "imported {input} → {}",
                    "已导入 {input} → {}",
                    path.display()
                ));
            }
            Outcome::Exists(path) => {
                skipped += 1;
                say(&msg!(
                    "skipped {input}: {} already exists",
                    "已跳过 {input}：{} 已存在",
                    path.display()
                ));
            }
            Outcome::Failed(reason) => {
                skipped += 1;
                say(&msg!(
                    "skipped {input}: {reason}",
                    "已跳过 {input}：{reason}"
                ));
            }
        }
    }
    let mut line = if dry_run {
        msg!(
            "would import {imported}, skipped {skipped}",
            "将导入 {imported} 篇，跳过 {skipped} 篇"
        )
    } else {
        msg!(
            "imported {imported}, skipped {skipped}",
            "已导入 {imported} 篇，跳过 {skipped} 篇"
        )
    };
    let converted = summary.converted_encodings;
    if converted > 0 {
        line += &msg!(
            ", {converted} converted from GB 18030",
            "，{converted} 篇已从 GB 18030 转为 UTF-8"
        );
    }
    let glosses = summary.glosses_removed;
    if glosses > 0 {
        line += &msg!(
            ", {glosses} pinyin glosses removed",
            "，删除拼音注音 {glosses} 处"
        );
    }
    let warned = summary.warnings.len();
    if warned > 0 {
        line += &msg!(", {warned} warning(s)", "，{warned} 条警告");
    }
    say(&line);
    if summary.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What a finished run did, for its summary line.
#[derive(Clone, Copy)]
enum Verb {
    Built,
    Checked,
}

/// Prints every problem, the summary line and (with --verbose) stage timings.
fn finish(verb: Verb, report: &BuildReport, started: Instant, verbose: bool) -> ExitCode {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for notice in &report.notices {
        eprintln!("{}\n", lang::localize(notice));
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
        shout(&msg!(
            "error: {errors} error(s), {warnings} warning(s); nothing was written",
            "错误：{errors} 个错误，{warnings} 个警告；没有写入任何文件"
        ));
        return ExitCode::from(1);
    }
    let reports = group(report.reports);
    let seconds = format!("{:.2}", started.elapsed().as_secs_f64());
    let mut line = match verb {
        Verb::Built => msg!("built {reports} reports", "已生成 {reports} 篇报告"),
        Verb::Checked => msg!("checked {reports} reports", "已检查 {reports} 篇报告"),
    };
    if report.pages > 0 {
        let pages = group(report.pages);
        line += &msg!(", {pages} pages", "，{pages} 个页面");
    }
    line += &msg!(" in {seconds} s", "，用时 {seconds} 秒");
    if warnings > 0 {
        line += &msg!(" ({warnings} warning(s))", "（{warnings} 个警告）");
    }
    if report.reused + report.unchanged > 0 {
        let (reused, unread, unchanged) = (
            group(report.reused),
            group(report.unread),
            group(report.unchanged),
        );
        line += &msg!(
            "; unchanged since the last build: {reused} reports ({unread} not re-read), {unchanged} files",
            "；与上次相同：{reused} 篇报告（{unread} 篇未重读），{unchanged} 个文件"
        );
    }
    shout(&line);
    ExitCode::SUCCESS
}

/// Prints a failed command's reason on stderr and exits with 1.
fn fail(message: &str) -> ExitCode {
    shout(&format!("{}: {message}", Severity::Error.label()));
    ExitCode::from(1)
}

/// A line for the user on stdout, in the site's script.
fn say(line: &str) {
    println!("{}", lang::localize(line));
}

/// A line for the user on stderr, in the site's script.
fn shout(line: &str) {
    eprintln!("{}", lang::localize(line));
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

/// Colours the severity word (`error`, `错误`) red and warnings yellow on a terminal.
fn paint(problem: &Diagnostic, colour: bool) -> String {
    let text = problem.to_string();
    if !colour {
        return text;
    }
    let (error, warning) = (
        lang::localize(Severity::Error.label()),
        lang::localize(Severity::Warning.label()),
    );
    text.replacen(
        &format!(": {error}: "),
        &format!(": \x1b[1;31m{error}\x1b[0m: "),
        1,
    )
    .replacen(
        &format!(": {warning}: "),
        &format!(": \x1b[1;33m{warning}\x1b[0m: "),
        1,
    )
}
