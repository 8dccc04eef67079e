//! site.yaml → [`SiteConfig`]: every key defaulted, wrong values and unknown keys reported.

use crate::diagnostics::{Diagnostic, Position};
use crate::msg;
use crate::permalink::Permalink;
use crate::slug::SlugMode;
use crate::yaml::fields::{Field, Reader, Table, items, list_known_keys};
use crate::yaml::{Key, Node, Value, parse_mapping};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;
use std::path::Path;

/// What happens to raw HTML written inside Markdown (site.yaml `markdown.raw_html`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RawHtml {
    /// Safe tags and attributes kept (tables, images, links, formatting); scripts, event
    /// handlers, iframes and `javascript:` URLs removed.
    #[default]
    Sanitize,
    /// Kept as written (only for sites whose every editor is trusted).
    Allow,
    /// Shown as text.
    Escape,
}

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

/// The language a site asks for in its site.yaml (`language: en`), read leniently: a missing or
/// broken file says nothing, and the full reader reports its problems later.
pub fn site_language(root: &std::path::Path) -> Option<crate::lang::Lang> {
    let text = std::fs::read_to_string(root.join("site.yaml")).ok()?;
    let entries = crate::yaml::parse_mapping(&text, 1).ok()?;
    let (_, node) = entries
        .iter()
        .rev()
        .find(|(key, _)| key.name == "language")?;
    crate::lang::Lang::from_tag(node.as_text()?)
}

/// Reads site.yaml at `path` if it exists; problems are pushed to `problems`.
pub fn load_config(path: &Path, display: &Path, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                problems.push(
                    Diagnostic::error(
                        display,
                        Position::default(),
                        msg!(
                            "site.yaml is not UTF-8 text",
                            "site.yaml 不是 UTF-8 编码的文本"
                        ),
                    )
                    .with_hint(msg!(
                        "save it as UTF-8 in your editor",
                        "在编辑器中以 UTF-8 编码另存"
                    )),
                );
                return SiteConfig::default();
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SiteConfig::default(),
        Err(e) => {
            problems.push(Diagnostic::error(
                display,
                Position::default(),
                msg!("cannot read: {e}", "无法读取：{e}"),
            ));
            return SiteConfig::default();
        }
    };
    parse_config(&text, display, problems)
}

/// Parses site.yaml text.
pub fn parse_config(text: &str, display: &Path, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let text = crate::invisible::normalize(text);
    let mut config = SiteConfig::default();
    let entries = match parse_mapping(&text, 1) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(
                Diagnostic::error(display, error.position, error.message)
                    .with_hint(msg!(
                        "check the indentation and that every line is `key: value`",
                        "检查缩进，并确认每行都是 `键: 值` 的形式"
                    ))
                    .with_source(&text),
            );
            return config;
        }
    };
    for repeat in crate::yaml::repeated_keys(&entries) {
        problems.push(
            repeat
                .error(display)
                .with_hint(msg!("delete the line you do not want", "删去不要的那一行"))
                .with_source(&text),
        );
    }
    let mut local = Vec::new();
    SITE.read(&entries, &mut Reader::new(display, &mut local), &mut config);
    for slug in config.slugs.values() {
        if !crate::slug::is_safe_segment(slug) {
            local.push(
                Diagnostic::error(
                    display,
                    Position::default(),
                    msg!(
                        "pinned slug `{slug}` is not a safe URL segment",
                        "指定的网址名 `{slug}` 不能安全地用在网址中"
                    ),
                )
                .with_hint(msg!(
                    "use letters, digits and `-` only",
                    "只用字母、数字和 `-`"
                )),
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

/// site.yaml in messages about its keys (`site.yaml 中有未知的键`).
const SITE_YAML: (&str, &str) = ("site.yaml", "site.yaml ");

/// Every key site.yaml may carry, and how each is read.
static SITE: Table<SiteConfig> = Table {
    fields: &[
        Field {
            key: "title",
            read: |r, k, n, c| r.string(k, n, &mut c.title),
        },
        Field {
            key: "description",
            read: |r, k, n, c| r.string(k, n, &mut c.description),
        },
        Field {
            key: "base_url",
            read: |r, k, n, c| {
                let mut url = String::new();
                r.string(k, n, &mut url);
                c.set_base_url(&url);
            },
        },
        Field {
            key: "language",
            read: |r, k, n, c| r.string(k, n, &mut c.language),
        },
        Field {
            key: "timezone",
            read: timezone,
        },
        Field {
            key: "theme",
            read: |r, k, n, c| {
                r.string(k, n, &mut c.theme);
                if !crate::slug::is_safe_segment(&c.theme) {
                    r.error(
                        n.position,
                        msg!(
                            "`theme` must be a folder name under themes/",
                            "`theme` 必须是 themes/ 下的文件夹名"
                        ),
                        msg!("write e.g. `theme: default`", "例如写 `theme: default`"),
                    );
                    c.theme = "default".to_string();
                }
            },
        },
        Field {
            key: "paginate",
            read: |r, k, n, c| c.paginate = r.positive(k, n).unwrap_or(c.paginate),
        },
        Field {
            key: "minify",
            read: |r, k, n, c| c.minify = r.flag(k, n).unwrap_or(c.minify),
        },
        Field {
            key: "slugify",
            read: |r, _, n, c| match n.as_text() {
                Some("pinyin") => c.slugify = SlugMode::Pinyin,
                Some("unicode") => c.slugify = SlugMode::Unicode,
                _ => r.error(
                    n.position,
                    msg!(
                        "`slugify` must be `pinyin` or `unicode`",
                        "`slugify` 只能是 `pinyin` 或 `unicode`"
                    ),
                    msg!(
                        "`pinyin` makes ASCII URLs (fa-gai-wei); `unicode` keeps 发改委",
                        "`pinyin` 生成拼音网址（fa-gai-wei）；`unicode` 保留汉字（发改委）"
                    ),
                ),
            },
        },
        Field {
            key: "slugs",
            read: |r, k, n, c| c.slugs = r.string_map(k, n),
        },
        Field {
            key: "tag_aliases",
            read: |r, k, n, c| c.tag_aliases = r.string_map(k, n),
        },
        Field {
            key: "department_aliases",
            read: |r, k, n, c| c.department_aliases = r.string_map(k, n),
        },
        Field {
            key: "views",
            read: |r, _, n, c| c.views = path_list(r, n),
        },
        Field {
            key: "show_views",
            read: |r, k, n, c| c.show_views = r.flag(k, n).unwrap_or(c.show_views),
        },
        Field {
            key: "related",
            read: |r, _, n, c| {
                if let Some(entries) =
                    map_entries(r, n, "related", "related:\n  count: 5\n  max_share: 0.2")
                {
                    RELATED.read(entries, r, &mut c.related);
                }
            },
        },
        Field {
            key: "feed_limit",
            read: |r, k, n, c| c.feed_limit = r.positive(k, n).unwrap_or(c.feed_limit),
        },
        Field {
            key: "markdown",
            read: |r, _, n, c| {
                if let Some(entries) =
                    map_entries(r, n, "markdown", "markdown:\n  raw_html: sanitize")
                {
                    MARKDOWN.read(entries, r, c);
                }
            },
        },
        Field {
            key: "variants",
            read: |r, _, n, c| c.variants = variants(r, n),
        },
        Field {
            key: "max_file_size",
            read: |r, _, n, c| {
                match parse_size(n) {
                Some(bytes) => c.max_file_size = bytes,
                None => r.error(
                    n.position,
                    msg!(
                        "`max_file_size` must be a size such as `10 MB`, `500 KB` or a number of bytes",
                        "`max_file_size` 必须是大小，如 `10 MB`、`500 KB` 或字节数"
                    ),
                    msg!(
                        "write e.g. `max_file_size: 20 MB`",
                        "例如写 `max_file_size: 20 MB`"
                    ),
                ),
            }
            },
        },
        Field {
            key: "publish_hidden",
            read: |r, _, n, c| c.publish_hidden = hidden_names(r, n),
        },
        Field {
            key: "publisher",
            read: |r, k, n, c| r.string(k, n, &mut c.government.publisher),
        },
        Field {
            key: "organizer",
            read: |r, k, n, c| r.string(k, n, &mut c.government.organizer),
        },
        Field {
            key: "contact",
            read: |r, k, n, c| r.string(k, n, &mut c.government.contact),
        },
        Field {
            key: "site_id",
            read: |r, k, n, c| r.string(k, n, &mut c.government.site_id),
        },
        Field {
            key: "icp",
            read: |r, k, n, c| r.string(k, n, &mut c.government.icp),
        },
        Field {
            key: "police_record",
            read: |r, k, n, c| r.string(k, n, &mut c.government.police_record),
        },
        Field {
            key: "conac_url",
            read: |r, k, n, c| {
                r.string(k, n, &mut c.government.conac_url);
                if !c.government.conac_url.starts_with("https://") {
                    r.error(
                        n.position,
                        msg!(
                            "`conac_url` must be an https:// address",
                            "`conac_url` 必须是 https:// 开头的网址"
                        ),
                        msg!(
                            "copy the verification link that CONAC issued for the 党政机关 mark",
                            "填写中央编办为“党政机关”标识颁发的验证链接"
                        ),
                    );
                    c.government.conac_url.clear();
                }
            },
        },
        Field {
            key: "permalink",
            read: |r, k, n, c| {
                let mut pattern = String::new();
                r.string(k, n, &mut pattern);
                match Permalink::parse(&pattern, true) {
                    Ok(permalink) => c.permalink = permalink,
                    Err(message) => r.error(
                        n.position,
                        format!("`permalink`: {message}"),
                        msg!(
                            "write a pattern such as `/reports/:slug/` or `/:year/:month/:slug/`",
                            "写成 `/reports/:slug/` 或 `/:year/:month/:slug/` 这样的格式"
                        ),
                    ),
                }
            },
        },
    ],
    file: SITE_YAML,
    prefix: "",
    fallback_hint: list_known_keys,
};

/// The keys of site.yaml's `related:` map.
static RELATED: Table<RelatedConfig> = Table {
    fields: &[
        Field {
            key: "count",
            read: |r, k, n, c| {
                if let Some(count) = weight(r, k, n) {
                    c.count = count as usize;
                }
            },
        },
        Field {
            key: "max_share",
            read: |r, k, n, c| c.max_share = weight(r, k, n).unwrap_or(c.max_share),
        },
        Field {
            key: "tags",
            read: |r, k, n, c| c.tags_weight = weight(r, k, n).unwrap_or(c.tags_weight),
        },
        Field {
            key: "department",
            read: |r, k, n, c| c.department_weight = weight(r, k, n).unwrap_or(c.department_weight),
        },
        Field {
            key: "date",
            read: |r, k, n, c| c.date_weight = weight(r, k, n).unwrap_or(c.date_weight),
        },
    ],
    file: SITE_YAML,
    prefix: "related.",
    fallback_hint: list_known_keys,
};

/// The keys of site.yaml's `markdown:` map.
static MARKDOWN: Table<SiteConfig> = Table {
    fields: &[
        Field {
            key: "raw_html",
            read: |r, _, n, c| match n.as_text() {
                Some("sanitize") => c.raw_html = RawHtml::Sanitize,
                Some("allow") => c.raw_html = RawHtml::Allow,
                Some("escape") => c.raw_html = RawHtml::Escape,
                _ => r.error(
                    n.position,
                    msg!(
                        "`markdown.raw_html` must be `sanitize`, `allow` or `escape`",
                        "`markdown.raw_html` 只能是 `sanitize`、`allow` 或 `escape`"
                    ),
                    msg!(
                        "`sanitize` (the default) keeps safe tags and removes scripts",
                        "`sanitize`（默认）保留安全的标签，删除脚本"
                    ),
                ),
            },
        },
        Field {
            key: "iframe_hosts",
            read: |r, _, n, c| c.iframe_hosts = host_list(r, n),
        },
    ],
    file: SITE_YAML,
    prefix: "markdown.",
    fallback_hint: list_known_keys,
};

/// `timezone: Asia/Shanghai`: an IANA name; the build's day is counted in it.
fn timezone(reader: &mut Reader<'_>, key: &Key, node: &Node, config: &mut SiteConfig) {
    let mut name = String::new();
    reader.string(key, node, &mut name);
    match TimeZone::get(&name) {
        Ok(zone) => {
            config.today = build_day(&zone);
            config.timezone = zone;
            config.timezone_name = name;
        }
        Err(_) => reader.error(
            node.position,
            msg!("unknown time zone `{name}`", "未知的时区 `{name}`"),
            msg!(
                "use an IANA name such as `Asia/Shanghai`",
                "使用 IANA 时区名，例如 `Asia/Shanghai`"
            ),
        ),
    }
}

/// The entries of a map-valued key (`related:`, `markdown:`); an error with an `example` if it is
/// not a map; nothing for an empty value.
fn map_entries<'n>(
    reader: &mut Reader<'_>,
    node: &'n Node,
    name: &str,
    example: &str,
) -> Option<&'n [(Key, Node)]> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        Value::Null => None,
        _ => {
            reader.error(
                node.position,
                msg!("`{name}` must be a map", "`{name}` 必须是键值映射"),
                msg!("write e.g.\n{example}", "例如写\n{example}"),
            );
            None
        }
    }
}

/// A number of at least 0 for a `related.` key, or an error at the value.
fn weight(reader: &mut Reader<'_>, key: &Key, node: &Node) -> Option<f64> {
    let number = match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    };
    let number = number.filter(|n| *n >= 0.0);
    if number.is_none() {
        let name = &key.name;
        reader.error(
            node.position,
            msg!(
                "`related.{name}` must be a number of at least 0",
                "`related.{name}` 必须是不小于 0 的数"
            ),
            msg!("write e.g. `count: 5`", "例如写 `count: 5`"),
        );
    }
    number
}

/// `variants: [zh-Hant]` (a single name is accepted too).
fn variants(reader: &mut Reader<'_>, node: &Node) -> Vec<Variant> {
    let mut variants = Vec::new();
    for item in items(node) {
        match item.as_text().map(str::to_ascii_lowercase).as_deref() {
            Some("zh-hant" | "zh_hant" | "zh-tw" | "traditional") => {
                if !variants.contains(&Variant::ZhHant) {
                    variants.push(Variant::ZhHant);
                }
            }
            _ => reader.error(
                item.position,
                msg!("unknown variant `{}`", "未知的版本 `{}`", item.raw),
                msg!(
                    "the one variant available is `zh-Hant` (Traditional Chinese): `variants: [zh-Hant]`",
                    "目前只有繁体版 `zh-Hant`：`variants: [zh-Hant]`"
                ),
            ),
        }
    }
    variants
}

/// A list of paths (`views: [logs/access.log, logs/old]`).
fn path_list(reader: &mut Reader<'_>, node: &Node) -> Vec<std::path::PathBuf> {
    let mut paths = Vec::new();
    for item in items(node) {
        match item.as_text() {
            Some(path) if !path.trim().is_empty() => paths.push(path.trim().into()),
            _ => reader.error(
                item.position,
                msg!("not a path", "不是路径"),
                msg!(
                    "write e.g. `views: [/var/log/nginx/access.log, /var/log/nginx/old/]`",
                    "例如写 `views: [/var/log/nginx/access.log, /var/log/nginx/old/]`"
                ),
            ),
        }
    }
    paths
}

/// A list of hidden names (`.well-known`) for `publish_hidden`.
fn hidden_names(reader: &mut Reader<'_>, node: &Node) -> Vec<String> {
    let hint = || {
        msg!(
            "write e.g. `publish_hidden: [.well-known]` (names that start with a dot, no `/`)",
            "例如写 `publish_hidden: [.well-known]`（以点开头的名称，不含 `/`）"
        )
    };
    let Value::Seq(items) = &node.value else {
        reader.error(
            node.position,
            msg!(
                "`publish_hidden` must be a list of names",
                "`publish_hidden` 必须是名称列表"
            ),
            hint(),
        );
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
            _ => reader.error(
                item.position,
                msg!(
                    "not a hidden file or folder name",
                    "不是以点开头的隐藏文件或文件夹名"
                ),
                hint(),
            ),
        }
    }
    names
}

/// A list of bare host names (`player.example.cn`), for `markdown.iframe_hosts`.
fn host_list(reader: &mut Reader<'_>, node: &Node) -> Vec<String> {
    let hint = || {
        msg!(
            "write e.g. `iframe_hosts: [player.example.cn]` (host names only)",
            "例如写 `iframe_hosts: [player.example.cn]`（只写主机名）"
        )
    };
    let Value::Seq(items) = &node.value else {
        reader.error(
            node.position,
            msg!(
                "`markdown.iframe_hosts` must be a list of host names",
                "`markdown.iframe_hosts` 必须是主机名列表"
            ),
            hint(),
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
            _ => reader.error(item.position, msg!("not a host name", "不是主机名"), hint()),
        }
    }
    hosts
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
    fn nested_maps_and_hidden_characters_are_read_like_top_level_keys() {
        let (config, problems) = parse(
            "related:\n  count: 3\n  Max_share: 0.5\n  wieght: 1\nmarkdown:\n  raw_html: escape\n\u{3000}paginate: 5\n",
        );
        assert_eq!(config.related.count, 3);
        assert_eq!(config.raw_html, RawHtml::Escape);
        assert_eq!(config.paginate, SiteConfig::default().paginate);
        let said: Vec<(&str, usize, bool)> = problems
            .iter()
            .map(|p| (p.message.as_str(), p.position.line, p.is_error()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "`related.Max_share` is written with capitals: site.yaml keys are lower case",
                    3,
                    true
                ),
                (
                    "unknown site.yaml key `related.wieght`; it is ignored",
                    4,
                    false
                ),
                (
                    "the key `paginate` has an invisible full-width space (U+3000) next to it, so it is not read as `paginate`",
                    7,
                    true
                ),
            ]
        );
        assert_eq!(
            problems[1].hint.as_deref(),
            Some("known keys: count, max_share, tags, department, date")
        );
    }

    #[test]
    fn a_key_of_only_invisible_characters_is_an_unknown_key() {
        let (_, problems) = parse("\u{3000}: x\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].is_error());
        assert_eq!(
            problems[0].message,
            "unknown site.yaml key `\u{3000}`; it is ignored"
        );
    }

    #[test]
    fn every_key_read_is_documented_in_the_readme() {
        let readme = include_str!("../README.md");
        let nested = [("", SITE.keys()), ("markdown.", MARKDOWN.keys())];
        let keys = nested
            .iter()
            .flat_map(|(prefix, keys)| keys.iter().map(move |key| format!("{prefix}{key}")))
            .chain(RELATED.keys().into_iter().map(|key| format!("{key}: ")));
        for key in keys {
            let documented = [format!("`{key}`"), format!("`{key}."), key.clone()];
            assert!(
                documented.iter().any(|form| readme.contains(form.as_str())),
                "site.yaml key `{key}` is not documented in README.md"
            );
        }
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
