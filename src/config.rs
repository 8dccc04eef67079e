//! site.yaml → [`SiteConfig`]: every key defaulted, wrong values and unknown keys reported.

use crate::content::markdown::RawHtml;
use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::permalink::Permalink;
use crate::slug::SlugMode;
use crate::yaml::{Key, Node, Value, parse_mapping};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;
use std::path::Path;

/// Keys site.yaml may carry.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "paginate",
    "minify",
    "slugify",
    "slugs",
    "tag_aliases",
    "department_aliases",
    "views",
    "show_views",
    "related",
    "feed_limit",
    "markdown",
    "variants",
    "max_file_size",
    "publish_hidden",
    "publisher",
    "organizer",
    "contact",
    "site_id",
    "icp",
    "police_record",
    "conac_url",
    "permalink",
];

/// An extra edition of the whole portal in another script (site.yaml `variants`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Traditional Chinese under `/zh-hant/`.
    ZhHant,
}

impl Variant {
    /// Its folder under the site root, with a trailing `/`.
    pub fn folder(self) -> &'static str {
        match self {
            Variant::ZhHant => "zh-hant/",
        }
    }

    /// Its `<html lang>` and `hreflang`.
    pub fn language(self) -> &'static str {
        match self {
            Variant::ZhHant => "zh-Hant",
        }
    }

    /// The switch link's text, written in the variant's own script.
    pub fn label(self) -> &'static str {
        match self {
            Variant::ZhHant => "繁體",
        }
    }
}

/// Reports larger than this are refused unless site.yaml raises `max_file_size` (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// How related reports are chosen (site.yaml `related:`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RelatedConfig {
    /// Reports listed per report.
    pub count: usize,
    /// Keywords carried by more than this share of reports are ignored as too common.
    pub max_share: f64,
    /// Weight of the shared-keyword score (sum of each shared keyword's rarity).
    pub tags_weight: f64,
    /// Bonus for the same department.
    pub department_weight: f64,
    /// Bonus for closeness in time (full for the same day, halving about every year).
    pub date_weight: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 5,
            max_share: 0.2,
            tags_weight: 1.0,
            department_weight: 1.0,
            date_weight: 0.5,
        }
    }
}

/// What a Chinese government site must show in its footer and `<meta>` tags (site.yaml keys of
/// the same names); empty values are left out of the page.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GovernmentInfo {
    /// 发布机构 / 主办单位: the body that publishes the portal; reports may name their own.
    pub publisher: String,
    /// 承办单位: the office that runs the site.
    pub organizer: String,
    /// 联系方式: a phone number, address or e-mail for readers.
    pub contact: String,
    /// 网站标识码 (SiteIDCode).
    pub site_id: String,
    /// ICP 备案号, linked to the MIIT register.
    pub icp: String,
    /// 公安机关备案号, linked to the public-security register.
    pub police_record: String,
    /// The 党政机关网站 mark's verification page (from CONAC); shows the mark when set.
    pub conac_url: String,
}

/// The site's configuration, with defaults filled in.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// The portal's name.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// Where `public/` will be served, always ending in `/`.
    pub base_url: String,
    /// `<html lang>`.
    pub language: String,
    /// IANA name of the time zone for dates written without an offset.
    pub timezone_name: String,
    /// That time zone.
    pub timezone: TimeZone,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Reports per list page.
    pub paginate: usize,
    /// Minify HTML output.
    pub minify: bool,
    /// How term and report slugs are made.
    pub slugify: SlugMode,
    /// Slugs pinned by hand: term name → slug.
    pub slugs: BTreeMap<String, String>,
    /// Keyword spellings merged by hand: variant → canonical keyword.
    pub tag_aliases: BTreeMap<String, String>,
    /// Department names merged by hand: another name → the one shown (`区发展和改革委员会` → `区发改委`).
    pub department_aliases: BTreeMap<String, String>,
    /// Related-report scoring.
    pub related: RelatedConfig,
    /// Entries in each Atom feed.
    pub feed_limit: usize,
    /// What happens to raw HTML inside Markdown (`markdown.raw_html`).
    pub raw_html: RawHtml,
    /// Extra editions in another script, each under its own folder.
    pub variants: Vec<Variant>,
    /// The edition this configuration renders: `None` for the main one.
    pub edition: Option<Variant>,
    /// Hosts whose `https://` iframes survive sanitizing (`markdown.iframe_hosts`).
    pub iframe_hosts: Vec<String>,
    /// Largest report file read, in bytes (`max_file_size`); bigger ones are errors.
    pub max_file_size: u64,
    /// Hidden files or folders of `static/` that are published all the same (`.well-known`).
    pub publish_hidden: Vec<String>,
    /// Footer and `<meta>` facts every government site shows.
    pub government: GovernmentInfo,
    /// Access logs (or folders of them, or `url,views,last_30_days` CSV files) to count views
    /// from, relative to the site folder (`views`); `--views` adds more.
    pub views: Vec<std::path::PathBuf>,
    /// Show each report's view count (阅读 N 次) on its page and cards (`show_views`).
    pub show_views: bool,
    /// The day of the build in the site's time zone (from `SOURCE_DATE_EPOCH` when set, so a
    /// build can be reproduced), for what is "recent".
    pub today: jiff::civil::Date,
    /// The URL pattern of reports (`permalink`, `/reports/:slug/` by default).
    pub permalink: Permalink,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "公示".to_string(),
            description: String::new(),
            base_url: "/".to_string(),
            language: "zh-CN".to_string(),
            timezone_name: "Asia/Shanghai".to_string(),
            timezone: TimeZone::get("Asia/Shanghai")
                .unwrap_or(TimeZone::fixed(jiff::tz::Offset::constant(8))),
            theme: "default".to_string(),
            paginate: 20,
            minify: false,
            slugify: SlugMode::Pinyin,
            slugs: BTreeMap::new(),
            tag_aliases: BTreeMap::new(),
            department_aliases: BTreeMap::new(),
            related: RelatedConfig::default(),
            feed_limit: 50,
            raw_html: RawHtml::Sanitize,
            variants: Vec::new(),
            edition: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            iframe_hosts: Vec::new(),
            publish_hidden: Vec::new(),
            government: GovernmentInfo::default(),
            views: Vec::new(),
            show_views: false,
            today: build_day(&TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC)),
            permalink: Permalink::default(),
        }
    }
}

/// Today in `zone`, or the day of `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set.
fn build_day(zone: &TimeZone) -> jiff::civil::Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned_datetime(zone.clone()).date()
}

impl SiteConfig {
    /// The URL path part of `base_url` (`/` or `/pingyi/`), prefixed to every internal link.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// The start of the day a year before the build, in the site's time zone: reports dated since
    /// are recent (近一年热词).
    pub fn year_ago(&self) -> jiff::Timestamp {
        let day = self
            .today
            .checked_sub(jiff::Span::new().years(1))
            .unwrap_or(self.today);
        day.to_zoned_datetime(self.timezone.clone())
            .map_or(jiff::Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp())
    }

    /// The host of `base_url` (`example.gov.cn`), for the SiteDomain meta tag; empty without one.
    pub fn domain(&self) -> &str {
        self.base_url
            .split_once("://")
            .map_or("", |(_, rest)| rest.split(['/', ':']).next().unwrap_or(""))
    }

    /// The base path of the main edition, where theme files are served from.
    pub fn main_base_path(&self) -> String {
        base_path_of(self.main_base_url())
    }

    /// The absolute URL of a site path such as `/reports/x/` (for canonical links and feeds).
    pub fn absolute_url(&self, path: &str) -> String {
        let base = self.base_url.trim_end_matches('/');
        let base_path = self.base_path();
        let tail = path
            .strip_prefix(&base_path)
            .unwrap_or(path)
            .trim_start_matches('/');
        format!("{base}/{tail}")
    }

    /// The configuration of `variant`'s edition: its base URL is the main one plus the variant's
    /// folder, so every link, feed and sitemap entry it renders lands under that folder.
    pub fn for_variant(&self, variant: Variant) -> SiteConfig {
        SiteConfig {
            base_url: format!("{}{}", self.main_base_url(), variant.folder()),
            language: variant.language().to_string(),
            edition: Some(variant),
            ..self.clone()
        }
    }

    /// `base_url` of the main edition (the same as `base_url` outside a variant).
    pub fn main_base_url(&self) -> &str {
        match self.edition {
            Some(variant) => self
                .base_url
                .strip_suffix(variant.folder())
                .unwrap_or(&self.base_url),
            None => &self.base_url,
        }
    }

    /// Overrides `base_url` (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalize_base(url);
    }
}

/// The URL path part of a base URL (`https://x.cn/pingyi/` → `/pingyi/`).
pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    normalize_base(after_scheme)
}

fn normalize_base(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return "/".to_string();
    }
    let mut url = trimmed.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    if !url.contains("://") && !url.starts_with('/') {
        url.insert(0, '/');
    }
    url
}

/// Reads site.yaml at `path` if it exists; problems are pushed to `problems`.
pub fn load_config(path: &Path, display: &Path, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                problems.push(
                    Diagnostic::error(display, Position::default(), "site.yaml is not UTF-8 text")
                        .with_hint("save it as UTF-8 in your editor"),
                );
                return SiteConfig::default();
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SiteConfig::default(),
        Err(e) => {
            problems.push(Diagnostic::error(
                display,
                Position::default(),
                format!("cannot read: {e}"),
            ));
            return SiteConfig::default();
        }
    };
    parse_config(&text, display, problems)
}

/// Parses site.yaml text.
pub fn parse_config(text: &str, display: &Path, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let text = crate::content::split::normalize(text);
    let mut config = SiteConfig::default();
    let entries = match parse_mapping(&text, 1) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(
                Diagnostic::error(display, error.position, error.message)
                    .with_hint("check the indentation and that every line is `key: value`")
                    .with_source(&text),
            );
            return config;
        }
    };
    for repeat in crate::yaml::repeated_keys(&entries) {
        problems.push(
            repeat
                .error(display)
                .with_hint("delete the line you do not want")
                .with_source(&text),
        );
    }
    let mut local = Vec::new();
    let mut reader = ConfigReader {
        display,
        problems: &mut local,
    };
    for (key, node) in entries {
        match key.name.as_str() {
            "title" => reader.string(&node, &mut config.title),
            "description" => reader.string(&node, &mut config.description),
            "base_url" => {
                let mut url = String::new();
                reader.string(&node, &mut url);
                config.set_base_url(&url);
            }
            "language" => reader.string(&node, &mut config.language),
            "theme" => {
                reader.string(&node, &mut config.theme);
                if !crate::slug::is_safe_segment(&config.theme) {
                    reader.error(
                        &node,
                        "`theme` must be a folder name under themes/",
                        "write e.g. `theme: default`",
                    );
                    config.theme = "default".to_string();
                }
            }
            "timezone" => {
                let mut name = String::new();
                reader.string(&node, &mut name);
                match TimeZone::get(&name) {
                    Ok(zone) => {
                        config.today = build_day(&zone);
                        config.timezone = zone;
                        config.timezone_name = name;
                    }
                    Err(_) => reader.error(
                        &node,
                        &format!("unknown time zone `{name}`"),
                        "use an IANA name such as `Asia/Shanghai`",
                    ),
                }
            }
            "paginate" => config.paginate = reader.positive(&key, &node).unwrap_or(config.paginate),
            "minify" => match node.value {
                Value::Bool(b) => config.minify = b,
                _ => reader.error(
                    &node,
                    "`minify` must be true or false",
                    "write `minify: false` to keep HTML readable",
                ),
            },
            "slugify" => match node.as_text() {
                Some("pinyin") => config.slugify = SlugMode::Pinyin,
                Some("unicode") => config.slugify = SlugMode::Unicode,
                _ => reader.error(
                    &node,
                    "`slugify` must be `pinyin` or `unicode`",
                    "`pinyin` makes ASCII URLs (fa-gai-wei); `unicode` keeps 发改委",
                ),
            },
            "slugs" => config.slugs = reader.string_map(&key, &node),
            "tag_aliases" => config.tag_aliases = reader.string_map(&key, &node),
            "department_aliases" => config.department_aliases = reader.string_map(&key, &node),
            "related" => config.related = reader.related(&node),
            "variants" => config.variants = reader.variants(&node),
            "markdown" => (config.raw_html, config.iframe_hosts) = reader.markdown(&node),
            "max_file_size" => match parse_size(&node) {
                Some(bytes) => config.max_file_size = bytes,
                None => reader.error(
                    &node,
                    "`max_file_size` must be a size such as `10 MB`, `500 KB` or a number of bytes",
                    "write e.g. `max_file_size: 20 MB`",
                ),
            },
            "publish_hidden" => config.publish_hidden = reader.hidden_names(&node),
            "views" => config.views = reader.path_list(&node),
            "show_views" => match node.value {
                Value::Bool(b) => config.show_views = b,
                _ => reader.error(
                    &node,
                    "`show_views` must be true or false",
                    "write `show_views: true` to show 阅读 N 次 on reports",
                ),
            },
            "publisher" => reader.string(&node, &mut config.government.publisher),
            "organizer" => reader.string(&node, &mut config.government.organizer),
            "contact" => reader.string(&node, &mut config.government.contact),
            "site_id" => reader.string(&node, &mut config.government.site_id),
            "icp" => reader.string(&node, &mut config.government.icp),
            "police_record" => reader.string(&node, &mut config.government.police_record),
            "conac_url" => {
                reader.string(&node, &mut config.government.conac_url);
                if !config.government.conac_url.starts_with("https://") {
                    reader.error(
                        &node,
                        "`conac_url` must be an https:// address",
                        "copy the verification link that CONAC issued for the 党政机关 mark",
                    );
                    config.government.conac_url.clear();
                }
            }
            "permalink" => {
                let mut pattern = String::new();
                reader.string(&node, &mut pattern);
                match Permalink::parse(&pattern, true) {
                    Ok(permalink) => config.permalink = permalink,
                    Err(message) => reader.error(
                        &node,
                        &format!("`permalink`: {message}"),
                        "write a pattern such as `/reports/:slug/` or `/:year/:month/:slug/`",
                    ),
                }
            }
            "feed_limit" => {
                config.feed_limit = reader.positive(&key, &node).unwrap_or(config.feed_limit)
            }
            other if KNOWN_KEYS.contains(&other.to_lowercase().as_str()) => {
                reader.problems.push(
                    Diagnostic::error(
                        display,
                        key.position,
                        format!(
                            "`{other}` is written with capitals: site.yaml keys are lower case"
                        ),
                    )
                    .with_hint(format!("write `{}:`", other.to_lowercase())),
                );
            }
            unknown => {
                let hint = match did_you_mean(unknown, KNOWN_KEYS) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => format!("known keys: {}", KNOWN_KEYS.join(", ")),
                };
                reader.problems.push(
                    Diagnostic::warning(
                        display,
                        key.position,
                        format!("unknown site.yaml key `{unknown}`; it is ignored"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    for slug in config.slugs.values() {
        if !crate::slug::is_safe_segment(slug) {
            local.push(
                Diagnostic::error(
                    display,
                    Position::default(),
                    format!("pinned slug `{slug}` is not a safe URL segment"),
                )
                .with_hint("use letters, digits and `-` only"),
            );
        }
    }
    problems.extend(local.into_iter().map(|d| d.with_source(&text)));
    config
}

/// A size in bytes: a whole number, or a number followed by `B`, `KB` or `MB` (units of 1024).
fn parse_size(node: &Node) -> Option<u64> {
    if let Value::Int(bytes) = node.value {
        return u64::try_from(bytes).ok().filter(|b| *b > 0);
    }
    let text = node.as_text()?.trim().to_ascii_uppercase();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits_end].parse().ok()?;
    let unit = match text[digits_end..].trim() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1024,
        "M" | "MB" | "MIB" => 1024 * 1024,
        _ => return None,
    };
    number.checked_mul(unit).filter(|b| *b > 0)
}

/// Reads typed values from site.yaml nodes, reporting misfits.
struct ConfigReader<'a> {
    display: &'a Path,
    problems: &'a mut Vec<Diagnostic>,
}

impl ConfigReader<'_> {
    /// `variants: [zh-Hant]` (a single name is accepted too).
    fn variants(&mut self, node: &Node) -> Vec<Variant> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![node],
        };
        let mut variants = Vec::new();
        for item in items {
            match item.as_text().map(str::to_ascii_lowercase).as_deref() {
                Some("zh-hant" | "zh_hant" | "zh-tw" | "traditional") => {
                    if !variants.contains(&Variant::ZhHant) {
                        variants.push(Variant::ZhHant);
                    }
                }
                _ => self.error(
                    item,
                    &format!("unknown variant `{}`", item.raw),
                    "the one variant available is `zh-Hant` (Traditional Chinese): `variants: [zh-Hant]`",
                ),
            }
        }
        variants
    }
}

impl ConfigReader<'_> {
    /// A whole number of at least 1, or an error at the value.
    fn positive(&mut self, key: &Key, node: &Node) -> Option<usize> {
        match node.value {
            Value::Int(n) if n >= 1 => Some(n as usize),
            _ => {
                let message = format!("`{}` must be a whole number of at least 1", key.name);
                self.error(node, &message, &format!("write e.g. `{}: 20`", key.name));
                None
            }
        }
    }

    fn markdown(&mut self, node: &Node) -> (RawHtml, Vec<String>) {
        let Value::Map(entries) = &node.value else {
            self.error(
                node,
                "`markdown` must be a map",
                "write e.g.\nmarkdown:\n  raw_html: sanitize",
            );
            return (RawHtml::Sanitize, Vec::new());
        };
        let mut raw_html = RawHtml::Sanitize;
        let mut iframe_hosts = Vec::new();
        for (key, value) in entries {
            match (key.name.as_str(), value.as_text()) {
                ("raw_html", Some("sanitize")) => raw_html = RawHtml::Sanitize,
                ("raw_html", Some("allow")) => raw_html = RawHtml::Allow,
                ("raw_html", Some("escape")) => raw_html = RawHtml::Escape,
                ("raw_html", _) => self.error(
                    value,
                    "`markdown.raw_html` must be `sanitize`, `allow` or `escape`",
                    "`sanitize` (the default) keeps safe tags and removes scripts",
                ),
                ("iframe_hosts", _) => iframe_hosts = self.host_list(value),
                (other, _) => self.problems.push(
                    Diagnostic::warning(
                        self.display,
                        key.position,
                        format!("unknown key `markdown.{other}`; it is ignored"),
                    )
                    .with_hint("the keys are `raw_html` and `iframe_hosts`"),
                ),
            }
        }
        (raw_html, iframe_hosts)
    }

    /// A list of paths (`views: [logs/access.log, logs/old]`).
    fn path_list(&mut self, node: &Node) -> Vec<std::path::PathBuf> {
        let hint = "write e.g. `views: [/var/log/nginx/access.log, /var/log/nginx/old/]`";
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![node],
        };
        let mut paths = Vec::new();
        for item in items {
            match item.as_text() {
                Some(path) if !path.trim().is_empty() => paths.push(path.trim().into()),
                _ => self.error(item, "not a path", hint),
            }
        }
        paths
    }

    /// A list of hidden names (`.well-known`) for `publish_hidden`.
    fn hidden_names(&mut self, node: &Node) -> Vec<String> {
        let hint =
            "write e.g. `publish_hidden: [.well-known]` (names that start with a dot, no `/`)";
        let Value::Seq(items) = &node.value else {
            self.error(node, "`publish_hidden` must be a list of names", hint);
            return Vec::new();
        };
        let mut names = Vec::new();
        for item in items {
            match item.as_text() {
                Some(name)
                    if name.len() > 1
                        && name.starts_with('.')
                        && name != ".."
                        && !name.contains(['/', '\\']) =>
                {
                    names.push(name.to_string())
                }
                _ => self.error(item, "not a hidden file or folder name", hint),
            }
        }
        names
    }

    /// A list of bare host names (`player.example.cn`), for `markdown.iframe_hosts`.
    fn host_list(&mut self, node: &Node) -> Vec<String> {
        let hint = "write e.g. `iframe_hosts: [player.example.cn]` (host names only)";
        let Value::Seq(items) = &node.value else {
            self.error(
                node,
                "`markdown.iframe_hosts` must be a list of host names",
                hint,
            );
            return Vec::new();
        };
        let mut hosts = Vec::new();
        for item in items {
            match item.as_text() {
                Some(host)
                    if !host.is_empty()
                        && host
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') =>
                {
                    hosts.push(host.to_ascii_lowercase())
                }
                _ => self.error(item, "not a host name", hint),
            }
        }
        hosts
    }

    fn related(&mut self, node: &Node) -> RelatedConfig {
        let mut related = RelatedConfig::default();
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return related,
            _ => {
                self.error(
                    node,
                    "`related` must be a map",
                    "write e.g.\nrelated:\n  count: 5\n  max_share: 0.2",
                );
                return related;
            }
        };
        for (key, value) in entries {
            let number = match value.value {
                Value::Int(i) => Some(i as f64),
                Value::Float(f) => Some(f),
                _ => None,
            };
            let Some(number) = number.filter(|n| *n >= 0.0) else {
                self.error(
                    value,
                    &format!("`related.{}` must be a number of at least 0", key.name),
                    "write e.g. `count: 5`",
                );
                continue;
            };
            match key.name.as_str() {
                "count" => related.count = number as usize,
                "max_share" => related.max_share = number,
                "tags" => related.tags_weight = number,
                "department" => related.department_weight = number,
                "date" => related.date_weight = number,
                other => {
                    let known = ["count", "max_share", "tags", "department", "date"];
                    let hint = match did_you_mean(other, &known) {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => format!("known keys: {}", known.join(", ")),
                    };
                    self.problems.push(
                        Diagnostic::warning(
                            self.display,
                            key.position,
                            format!("unknown key `related.{other}`; it is ignored"),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        related
    }

    fn error(&mut self, node: &Node, message: &str, hint: &str) {
        self.problems
            .push(Diagnostic::error(self.display, node.position, message).with_hint(hint));
    }

    fn string(&mut self, node: &Node, target: &mut String) {
        match node.as_text() {
            Some(text) => *target = text.trim().to_string(),
            None if node.value == Value::Null => {}
            None => self.error(
                node,
                &format!("expected text, found {}", node.value.kind()),
                "write the value on the same line after the colon",
            ),
        }
    }

    fn string_map(&mut self, key: &Key, node: &Node) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    match v.as_text() {
                        Some(text) => {
                            map.insert(k.name.trim().to_string(), text.trim().to_string());
                        }
                        None => self.error(
                            v,
                            &format!("`{}` values must be text", key.name),
                            "write one `名称: 值` per line",
                        ),
                    }
                }
            }
            Value::Null => {}
            _ => self.error(
                node,
                &format!("`{}` must be a map", key.name),
                "indent one `名称: 值` per line under the key",
            ),
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (SiteConfig, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let config = parse_config(text, Path::new("site.yaml"), &mut problems);
        (config, problems)
    }

    #[test]
    fn empty_config_has_defaults() {
        let (config, problems) = parse("");
        assert!(problems.is_empty());
        assert_eq!(config.title, "公示");
        assert_eq!(config.language, "zh-CN");
        assert_eq!(config.paginate, 20);
        assert!(!config.minify);
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn base_url_with_sub_path() {
        let (config, _) = parse("base_url: https://example.gov.cn/pingyi\n");
        assert_eq!(config.base_url, "https://example.gov.cn/pingyi/");
        assert_eq!(config.base_path(), "/pingyi/");
        assert_eq!(
            config.absolute_url("/pingyi/reports/a/"),
            "https://example.gov.cn/pingyi/reports/a/"
        );
    }

    #[test]
    fn unknown_key_is_a_warning_with_suggestion() {
        let (_, problems) = parse("titel: x\npaginate: 5\n");
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].is_error());
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(problems[0].position, Position::new(1, 1));
    }

    #[test]
    fn related_settings_are_read() {
        let (config, problems) =
            parse("related:\n  count: 3\n  max_share: 0.5\n  department: 2\n  date: 0\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.related.count, 3);
        assert_eq!(config.related.max_share, 0.5);
        assert_eq!(config.related.department_weight, 2.0);
        assert_eq!(config.related.date_weight, 0.0);
    }

    #[test]
    fn wrong_values_are_errors_at_their_line() {
        let (_, problems) = parse("title: x\npaginate: zero\ntimezone: Mars/Base\n");
        let lines: Vec<_> = problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.position.line)
            .collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn known_keys_in_capitals_are_errors() {
        let (config, problems) = parse("Title: x\n");
        assert_eq!(config.title, "公示");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_error());
        assert_eq!(problems[0].hint.as_deref(), Some("write `title:`"));
    }

    #[test]
    fn max_file_size_table() {
        let cases = [
            ("", Some(DEFAULT_MAX_FILE_SIZE)),
            ("max_file_size: 2048\n", Some(2048)),
            ("max_file_size: 500 KB\n", Some(500 * 1024)),
            ("max_file_size: 20MB\n", Some(20 * 1024 * 1024)),
            ("max_file_size: 1 gb\n", None),
            ("max_file_size: 0\n", None),
            ("max_file_size: -5\n", None),
        ];
        for (yaml, expected) in cases {
            let (config, problems) = parse(yaml);
            match expected {
                Some(bytes) => {
                    assert!(problems.is_empty(), "{yaml}: {problems:?}");
                    assert_eq!(config.max_file_size, bytes, "{yaml}");
                }
                None => assert!(problems.iter().any(|p| p.is_error()), "{yaml}"),
            }
        }
    }
}
