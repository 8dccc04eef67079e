//! Readership from the web server's own access logs: page views per page and the searches people
//! typed, as aggregates only. No address or user agent is written anywhere: clients are hashed
//! with a secret made anew each run, in memory, for the 30-minute repeat window alone.
//!
//! Logs are read incrementally: `.gongshi-cache/views-days.csv` keeps the counts per day and
//! `.gongshi-cache/views-files.csv` how much of each log (known by a hash of its first line, so a
//! rotated or gzipped copy is recognised) was read, so a later build reads only new lines.

pub mod log_line;
pub mod tally;

use crate::diagnostics::{Diagnostic, Position};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use tally::{DayCounts, Tally};

/// At most this many malformed lines of a log are reported one by one.
const REPORTED_BAD_LINES: usize = 3;

/// Searches need this many counts to be shown as popular (热门搜索).
const MIN_QUERY_COUNT: u64 = 3;

/// Page views and searches, by day.
#[derive(Debug, Default)]
pub struct Readership {
    /// Day (`2026-12-01`) → page path or `?q=<query>` → count.
    days: BTreeMap<String, DayCounts>,
    /// Totals supplied as `url,views,last_30_days` by a site without logs.
    supplied: BTreeMap<String, (u64, u64)>,
}

impl Readership {
    /// All-time views and views in the 30 days up to `today` of the page at `path`.
    pub fn views(&self, path: &str, today: Date) -> (u64, u64) {
        let recent_from = thirty_days_before(today);
        let mut total = 0;
        let mut recent = 0;
        for (day, counts) in &self.days {
            if let Some(&count) = counts.get(path) {
                total += u64::from(count);
                if day.as_str() >= recent_from.as_str() {
                    recent += u64::from(count);
                }
            }
        }
        let (supplied_total, supplied_recent) = self.supplied.get(path).copied().unwrap_or((0, 0));
        (total + supplied_total, recent + supplied_recent)
    }

    /// The most searched queries, most first (ties by text): counted over the last 30 days, or
    /// over all time when too few were searched lately. Only queries searched at least three
    /// times are shown.
    pub fn popular_queries(&self, today: Date, limit: usize) -> Vec<(String, u64)> {
        let recent_from = thirty_days_before(today);
        let count = |recent_only: bool| {
            let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
            for (day, keys) in &self.days {
                if recent_only && day.as_str() < recent_from.as_str() {
                    continue;
                }
                for (key, &n) in keys {
                    if let Some(query) = key.strip_prefix("?q=") {
                        *counts.entry(query).or_insert(0) += u64::from(n);
                    }
                }
            }
            let mut ranked: Vec<(String, u64)> = counts
                .into_iter()
                .filter(|&(_, n)| n >= MIN_QUERY_COUNT)
                .map(|(q, n)| (q.to_string(), n))
                .collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked.truncate(limit);
            ranked
        };
        let recent = count(true);
        if recent.len() >= limit.min(3) {
            recent
        } else {
            count(false)
        }
    }

    /// Views per page path and month (`2026-12`), for the open data.
    pub fn monthly(&self) -> BTreeMap<(String, String), u64> {
        let mut months = BTreeMap::new();
        for (day, counts) in &self.days {
            let month = day.get(..7).unwrap_or(day).to_string();
            for (key, &n) in counts.iter().filter(|(key, _)| !key.starts_with("?q=")) {
                *months.entry((key.clone(), month.clone())).or_insert(0) += u64::from(n);
            }
        }
        months
    }
}

/// `YYYY-MM-DD` of the first of the 30 days up to `today`.
fn thirty_days_before(today: Date) -> String {
    today
        .checked_sub(jiff::Span::new().days(29))
        .unwrap_or(today)
        .to_string()
}

/// Where readership comes from and is kept.
pub struct Sources<'a> {
    /// Access logs (plain or `.gz`), folders of them, or `url,views,last_30_days` CSV files.
    pub paths: &'a [PathBuf],
    /// `.gongshi-cache/`, to read only new log lines; `None` reads every log in full.
    pub cache_dir: Option<&'a Path>,
    /// The site's base path: only requests under it count.
    pub base_path: &'a str,
    /// The site's time zone, for the day of a view.
    pub zone: &'a jiff::tz::TimeZone,
    /// The build's day, for the 30-day totals written to `views.csv`.
    pub today: Date,
}

/// Reads every source (a malformed line or an unreadable file is a warning, never fatal) and,
/// with a cache folder, updates the kept counts and the `views.csv` exchange file there.
pub fn read(sources: &Sources<'_>, problems: &mut Vec<Diagnostic>) -> Readership {
    let state = sources.cache_dir.map(State::load).unwrap_or_default();
    let mut read_so_far = state.files.clone();
    let mut tally = Tally::new(sources.zone.clone());
    let mut supplied = BTreeMap::new();
    for file in files_of(sources.paths, problems) {
        let result = if is_csv(&file) {
            read_supplied(&file, &mut supplied)
        } else {
            read_log(
                &file,
                sources.base_path,
                &mut tally,
                &mut read_so_far,
                problems,
            )
        };
        if let Err(error) = result {
            problems.push(
                Diagnostic::warning(
                    &file,
                    Position::default(),
                    crate::msg!("cannot read: {error}", "无法读取：{error}"),
                )
                .with_hint(crate::msg!(
                    "check the path in --views or site.yaml `views`",
                    "检查 --views 或 site.yaml `views` 中的路径"
                )),
            );
        }
    }
    let mut days = state.days;
    for (day, counts) in tally.into_days() {
        let kept = days.entry(day).or_default();
        for (key, n) in counts {
            *kept.entry(key).or_insert(0) += n;
        }
    }
    let readership = Readership { days, supplied };
    if let Some(dir) = sources.cache_dir {
        let kept = State {
            days: readership.days.clone(),
            files: read_so_far,
        };
        if let Err(error) = kept
            .save(dir)
            .and_then(|()| write_exchange(dir, &readership, sources.today))
        {
            problems.push(Diagnostic::warning(
                dir,
                Position::default(),
                crate::msg!(
                    "the view counts were not saved: {error}",
                    "阅读次数没有保存：{error}"
                ),
            ));
        }
    }
    readership
}

/// The files named by `paths`, a folder standing for its files (sorted), in order.
fn files_of(paths: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_file())
                        .collect()
                })
                .unwrap_or_default();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            problems.push(
                Diagnostic::warning(
                    path,
                    Position::default(),
                    crate::msg!("no such log file or folder", "没有这个日志文件或文件夹"),
                )
                .with_hint(crate::msg!(
                    "check the path in --views or site.yaml `views`",
                    "检查 --views 或 site.yaml `views` 中的路径"
                )),
            );
        }
    }
    files
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads `url,views,last_30_days` rows (a header line is skipped) into `supplied`.
fn read_supplied(path: &Path, supplied: &mut BTreeMap<String, (u64, u64)>) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    for line in text.lines() {
        let mut cells = line.split(',').map(str::trim);
        let (Some(url), Some(views)) = (cells.next(), cells.next()) else {
            continue;
        };
        let Ok(views) = views.parse::<u64>() else {
            continue;
        };
        let recent = cells.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let entry = supplied.entry(url.to_string()).or_insert((0, 0));
        entry.0 += views;
        entry.1 += recent;
    }
    Ok(())
}

/// How far a log was read: bytes (of its text, after decompression) and lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ReadSoFar {
    bytes: u64,
    lines: u64,
}

/// Reads the lines of one log that were not read before, into `tally`. A plain log is skipped
/// to where the last build stopped; a gzipped one is decompressed up to there.
fn read_log(
    path: &Path,
    base_path: &str,
    tally: &mut Tally,
    read_so_far: &mut BTreeMap<u64, ReadSoFar>,
    problems: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let gzipped = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let file = std::fs::File::open(path)?;
    let mut plain = None;
    let stream: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        plain = Some(file.try_clone()?);
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, stream);
    let mut line = Vec::with_capacity(512);
    if reader.read_until(b'\n', &mut line)? == 0 || !(line.ends_with(b"\n") || gzipped) {
        return Ok(());
    }
    let identity = xxhash_rust::xxh3::xxh3_64(&line);
    let known = read_so_far.get(&identity).copied().unwrap_or_default();
    let mut at = ReadSoFar::default();
    if let Some(mut file) = plain.filter(|_| known.bytes > line.len() as u64) {
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(known.bytes))?;
        reader = BufReader::with_capacity(1 << 20, Box::new(file));
        at = known;
        line.clear();
    }
    let mut bad = 0usize;
    loop {
        if line.is_empty() {
            let read = reader.read_until(b'\n', &mut line)?;
            if read == 0 || !(line.ends_with(b"\n") || gzipped) {
                // The end, or a line still being written: read it next time, whole.
                break;
            }
        }
        at.bytes += line.len() as u64;
        at.lines += 1;
        if at.bytes > known.bytes {
            let hit = std::str::from_utf8(&line)
                .ok()
                .and_then(|text| log_line::parse(text.trim_end()));
            if let Some(hit) = hit {
                tally.add(&hit, base_path);
            } else if !line.iter().all(u8::is_ascii_whitespace) {
                bad += 1;
                if bad <= REPORTED_BAD_LINES {
                    problems.push(
                        Diagnostic::warning(
                            path,
                            Position::new(at.lines as usize, 1),
                            crate::msg!(
                                "not a line of the combined log format; it was skipped",
                                "不是 combined 格式的日志行，已跳过"
                            ),
                        )
                        .with_hint(crate::msg!(
                            "gongshi reads Nginx's and Apache's combined format: `client - user [time] \"GET /path HTTP/1.1\" status bytes \"referer\" \"agent\"`",
                            "gongshi 读取 Nginx 和 Apache 的 combined 格式：`client - user [time] \"GET /path HTTP/1.1\" status bytes \"referer\" \"agent\"`"
                        )),
                    );
                }
            }
        }
        line.clear();
    }
    if bad > REPORTED_BAD_LINES {
        problems.push(Diagnostic::warning(
            path,
            Position::default(),
            crate::msg!(
                "{bad} lines in all were not in the combined log format and were skipped",
                "共有 {bad} 行不是 combined 格式的日志，已跳过"
            ),
        ));
    }
    read_so_far.insert(identity, at.max_by_bytes(known));
    Ok(())
}

impl ReadSoFar {
    fn max_by_bytes(self, other: ReadSoFar) -> ReadSoFar {
        if self.bytes >= other.bytes {
            self
        } else {
            other
        }
    }
}

/// What is kept in the cache folder between builds.
#[derive(Default)]
struct State {
    days: BTreeMap<String, DayCounts>,
    files: BTreeMap<u64, ReadSoFar>,
}

const DAYS_FILE: &str = "views-days.csv";
const FILES_FILE: &str = "views-files.csv";
const EXCHANGE_FILE: &str = "views.csv";

impl State {
    /// The kept state, or an empty one when it is missing or unreadable (the logs are then read
    /// in full again, which gives the same counts).
    fn load(dir: &Path) -> State {
        let mut state = State::default();
        let (Ok(days), Ok(files)) = (
            std::fs::read_to_string(dir.join(DAYS_FILE)),
            std::fs::read_to_string(dir.join(FILES_FILE)),
        ) else {
            return state;
        };
        for line in days.lines().skip(1) {
            let mut cells = line.splitn(3, ',');
            if let (Some(day), Some(count), Some(key)) = (cells.next(), cells.next(), cells.next())
                && let Ok(count) = count.parse()
            {
                state
                    .days
                    .entry(day.to_string())
                    .or_default()
                    .insert(key.to_string(), count);
            }
        }
        for line in files.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            if let [identity, bytes, lines] = cells[..]
                && let (Ok(identity), Ok(bytes), Ok(lines)) = (
                    u64::from_str_radix(identity, 16),
                    bytes.parse(),
                    lines.parse(),
                )
            {
                state.files.insert(identity, ReadSoFar { bytes, lines });
            }
        }
        state
    }

    fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut days = String::from("day,views,page\n");
        for (day, counts) in &self.days {
            for (key, n) in counts {
                days.push_str(&format!("{day},{n},{key}\n"));
            }
        }
        let mut files = String::from("log,bytes,lines\n");
        for (identity, at) in &self.files {
            files.push_str(&format!("{identity:016x},{},{}\n", at.bytes, at.lines));
        }
        write_whole(&dir.join(DAYS_FILE), &days)?;
        write_whole(&dir.join(FILES_FILE), &files)
    }
}

/// Writes `url,views,last_30_days` for every page, the format a site without logs can supply.
fn write_exchange(dir: &Path, readership: &Readership, today: Date) -> std::io::Result<()> {
    let mut pages: Vec<&str> = readership
        .days
        .values()
        .flat_map(|counts| counts.keys())
        .filter(|key| !key.starts_with("?q="))
        .map(String::as_str)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut csv = String::from("url,views,last_30_days\n");
    for page in pages {
        let (total, recent) = readership.views(page, today);
        csv.push_str(&format!("{page},{total},{recent}\n"));
    }
    write_whole(&dir.join(EXCHANGE_FILE), &csv)
}

/// Writes `text` to a temporary file beside `path`, then renames it into place.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    let temporary = path.with_extension("csv.tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}
