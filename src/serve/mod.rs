//! `gongshi serve`: builds in memory, serves on loopback, rebuilds on change and reloads the
//! browser tabs whose page changed, over a Server-Sent Events stream. Synchronous: a thread per
//! request, and one thread that rebuilds.

mod connection;
mod guard;
mod http;
mod live;
mod memory;
mod preview;
mod versions;
mod watch;

pub use live::{LIVE_RELOAD_PATH, Snapshot, page_changed};

use crate::content::parse_cache::ParseCache;
use crate::msg;
use crate::pipeline::{BuildOptions, BuildReport};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Instant;
use versions::Versions;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to bind (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// Port to try first; the next free one is used if it is taken.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Print the time each stage of each (re)build took.
    pub verbose: bool,
}

/// Ports tried after the first when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Runs the dev server until Ctrl+C ends the process (serve writes nothing to disk). Returns an
/// error message if it cannot start.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let shown_host = if address.ip().is_loopback() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    let base_url = format!("http://{shown_host}:{}/", address.port());
    let build_options = live::build_options(options.root.clone(), options.drafts, base_url.clone());

    let started = Instant::now();
    let cache = ParseCache::new();
    let (first, problems) = Snapshot::load(&build_options, 1, &cache, None);
    report(&problems, first.state.is_ok(), started, options.verbose);
    let versions = Arc::new(Versions::new(Arc::new(first)));

    let (changes, changed) = mpsc::channel::<Vec<PathBuf>>();
    let watcher = watch::watch(&options.root, move |paths| {
        let _ = changes.send(paths);
    })?;
    let rebuilder = Rebuilder {
        // Watched paths are absolute; a preview needs the site folder as they name it.
        absolute_root: options.root.canonicalize().map_err(|e| e.to_string())?,
        options: build_options,
        drafts: options.drafts,
        verbose: options.verbose,
        cache,
        versions: versions.clone(),
    };
    std::thread::spawn(move || rebuilder.run(watcher, changed));

    say(&msg!(
        "serving {} at {base_url} (Ctrl+C to stop)",
        "正在预览 {}：{base_url}（按 Ctrl+C 停止）",
        options.root.display()
    ));
    if options.open
        && let Err(error) = open::that(&base_url)
    {
        say(&msg!(
            "warning: could not open a browser: {error}",
            "警告：无法打开浏览器：{error}"
        ));
    }
    connection::accept_forever(listener, guard::OwnAddress(address), versions);
    Ok(())
}

/// The thread that turns saved files into new snapshots.
struct Rebuilder {
    absolute_root: PathBuf,
    options: BuildOptions,
    drafts: bool,
    verbose: bool,
    cache: ParseCache,
    versions: Arc<Versions>,
}

impl Rebuilder {
    /// For each batch of changes (those queued meanwhile coalesced into it): the saved reports'
    /// own pages first (a preview), then the whole site.
    fn run(self, mut watcher: watch::Watcher, changed: mpsc::Receiver<Vec<PathBuf>>) {
        let mut version = 1;
        while let Ok(mut paths) = changed.recv() {
            paths.extend(changed.try_iter().flatten());
            watcher.rearm(&paths);
            version += 1;
            let started = Instant::now();
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let changed = shown.join(", ");
            say(&msg!("changed: {changed}", "已修改：{changed}"));
            let previous = self.versions.newest();
            let preview =
                preview::preview(&previous, &paths, &self.absolute_root, self.drafts, version);
            if let Some(preview) = preview {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                say(&msg!(
                    "report page updated in {ms:.0} ms; rebuilding the rest",
                    "报告页已更新，用时 {ms:.0} 毫秒；正在重建其余页面"
                ));
                self.publish(preview);
                version += 1;
            }
            let (snapshot, problems) =
                Snapshot::load(&self.options, version, &self.cache, Some(&previous));
            drop(previous);
            report(&problems, snapshot.state.is_ok(), started, self.verbose);
            self.publish(snapshot);
        }
    }

    /// Makes `snapshot` the one requests get, and tells the open tabs.
    /// The snapshot it replaces is freed on another thread: freeing a model of 10k reports takes
    /// tens of milliseconds, which must not delay the next save's preview.
    fn publish(&self, snapshot: Snapshot) {
        let replaced = self.versions.publish(Arc::new(snapshot));
        std::thread::spawn(move || drop(replaced));
    }
}

/// Binds `port`, or the next free port when it is taken (saying so).
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    say(&msg!(
                        "port {port} is in use; serving on port {candidate} instead",
                        "端口 {port} 已被占用；改用端口 {candidate}"
                    ));
                }
                return Ok(listener);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(error) => {
                return Err(msg!(
                    "cannot listen on {ip}:{candidate}: {error}",
                    "无法在 {ip}:{candidate} 上监听：{error}"
                ));
            }
        }
    }
    Err(msg!(
        "ports {port}–{} are all in use; stop the other server or choose another port with --port N",
        "端口 {port}–{} 都已被占用；请停掉另一个服务，或用 --port N 换个端口",
        port.saturating_add(PORT_ATTEMPTS - 1)
    ))
}

/// Prints the problems of a (re)build, its stage timings when asked, and a one-line outcome.
fn report(build: &BuildReport, ok: bool, started: Instant, verbose: bool) {
    for problem in &build.problems {
        eprintln!("{problem}\n");
    }
    if verbose {
        for (stage, time) in &build.timings {
            eprintln!("  {stage:<20} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if ok {
        say(&msg!("ready in {ms:.0} ms", "已就绪，用时 {ms:.0} 毫秒"));
    } else {
        say(&msg!(
            "build failed in {ms:.0} ms; the browser shows the errors until the next good save",
            "构建失败，用时 {ms:.0} 毫秒；浏览器会显示错误，直到下一次保存无误"
        ));
    }
}

/// A line for the person at the terminal, in the site's script.
fn say(line: &str) {
    eprintln!("{}", crate::lang::localize(line));
}
