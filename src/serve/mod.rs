//! `gongshi serve`: builds in memory, serves on loopback, rebuilds on change and reloads the
//! browser tabs whose page changed, over a websocket.

mod guard;
mod live;
mod memory;
mod preview;
mod watch;

pub use live::{LIVE_RELOAD_PATH, Snapshot, page_changed};

use crate::msg;
use crate::pipeline::BuildReport;
use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::watch as channel;

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

/// The shared, swappable current snapshot and a channel announcing new ones.
#[derive(Clone)]
struct Shared {
    current: Arc<RwLock<Arc<Snapshot>>>,
    versions: channel::Receiver<Arc<Snapshot>>,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Ports tried after the first when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Runs the dev server until Ctrl+C. Returns an error message if it cannot start.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), String> {
    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let shown_host = if address.ip().is_loopback() {
        "127.0.0.1".to_string()
    } else {
        address.ip().to_string()
    };
    let base_url = format!("http://{shown_host}:{}/", address.port());
    let build_options = live::build_options(options.root.clone(), options.drafts, base_url.clone());

    let started = Instant::now();
    let cache = Arc::new(crate::content::parse_cache::ParseCache::new());
    let verbose = options.verbose;
    let (first, problems) = Snapshot::load(&build_options, 1, &cache, None);
    report(&problems, first.state.is_ok(), started, verbose);
    let first = Arc::new(first);
    let (announce, versions) = channel::channel(first.clone());
    let shared = Shared {
        current: Arc::new(RwLock::new(first)),
        versions,
    };

    let reloader = shared.clone();
    // Watched paths are absolute; a preview needs the site folder as they name it.
    let absolute_root = options.root.canonicalize().map_err(|e| e.to_string())?;
    let drafts = options.drafts;
    let (changes_tx, mut changes_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    let mut watcher = watch::watch(&options.root, move |paths| {
        let _ = changes_tx.send(paths);
    })?;
    tokio::spawn(async move {
        let mut version = 1;
        while let Some(mut paths) = changes_rx.recv().await {
            while let Ok(more) = changes_rx.try_recv() {
                paths.extend(more);
            }
            watcher.rearm(&paths);
            version += 1;
            let options = build_options.clone();
            let started = Instant::now();
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let changed = shown.join(", ");
            say(&msg!("changed: {changed}", "已修改：{changed}"));
            let previous = reloader.snapshot();
            let root = absolute_root.clone();
            let base = previous.clone();
            let previewed = tokio::task::spawn_blocking(move || {
                preview::preview(&base, &paths, &root, drafts, version)
            })
            .await;
            if let Ok(Some(preview)) = previewed {
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                say(&msg!(
                    "report page updated in {ms:.0} ms; rebuilding the rest",
                    "报告页已更新，用时 {ms:.0} 毫秒；正在重建其余页面"
                ));
                publish(&reloader, &announce, preview);
                version += 1;
            }
            let cache = cache.clone();
            let loaded = tokio::task::spawn_blocking(move || {
                Snapshot::load(&options, version, &cache, Some(&previous))
            })
            .await;
            let Ok((snapshot, problems)) = loaded else {
                continue;
            };
            report(&problems, snapshot.state.is_ok(), started, verbose);
            publish(&reloader, &announce, snapshot);
        }
    });

    let app = Router::new()
        .route(LIVE_RELOAD_PATH, get(live_reload))
        .fallback(get(page))
        .layer(axum::middleware::from_fn_with_state(
            guard::OwnAddress(address),
            guard::only_own_address,
        ))
        .with_state(shared);
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
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// Makes `snapshot` the one requests get, and tells the open tabs.
/// The snapshots it replaces are freed on another thread: freeing a model of 10k reports takes
/// tens of milliseconds, which must not delay the next save's preview.
fn publish(shared: &Shared, announce: &channel::Sender<Arc<Snapshot>>, snapshot: Snapshot) {
    let snapshot = Arc::new(snapshot);
    let mut current = shared.current.write().unwrap_or_else(|p| p.into_inner());
    let replaced = std::mem::replace(&mut *current, snapshot.clone());
    drop(current);
    let announced = announce.send_replace(snapshot);
    std::thread::spawn(move || drop((replaced, announced)));
}

/// Binds `port`, or the next free port when it is taken (saying so).
async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, String> {
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
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

async fn page(State(shared): State<Shared>, uri: Uri) -> Response {
    let path = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8_lossy()
        .into_owned();
    // Redirects add `/` to the path as the browser sent it, still encoded: a valid header.
    let location = format!("{}/", uri.path());
    let snapshot = shared.snapshot();
    let reply = tokio::task::spawn_blocking(move || snapshot.reply(&path)).await;
    let Ok(reply) = reply else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    if status == StatusCode::MOVED_PERMANENTLY {
        return (status, [(header::LOCATION, location)]).into_response();
    }
    let mut response = (status, reply.body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn live_reload(State(shared): State<Shared>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| watch_page(socket, shared))
}

/// Learns which page the tab shows, then tells it to reload when a new version changes that page.
async fn watch_page(mut socket: WebSocket, shared: Shared) {
    let Some(Ok(Message::Text(path))) = socket.recv().await else {
        return;
    };
    let path = path.to_string();
    let mut shown = shared.snapshot();
    let mut versions = shared.versions.clone();
    versions.mark_unchanged();
    loop {
        tokio::select! {
            changed = versions.changed() => {
                if changed.is_err() {
                    return;
                }
                let newest = versions.borrow_and_update().clone();
                let (old, new, page) = (shown.clone(), newest.clone(), path.clone());
                let differs = tokio::task::spawn_blocking(move || page_changed(&old, &new, &page)).await.unwrap_or(true);
                shown = newest;
                if differs && socket.send(Message::Text("reload".into())).await.is_err() {
                    return;
                }
            }
            message = socket.recv() => {
                if matches!(message, None | Some(Err(_)) | Some(Ok(Message::Close(_)))) {
                    return;
                }
            }
        }
    }
}
