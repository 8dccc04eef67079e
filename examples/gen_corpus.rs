//! Synthetic corpus generator for benchmarking `gongshi`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 10000 --out /tmp/corpus [--seed 42]
//! ```
//!
//! Writes `OUT/site.yaml` and `OUT/content/<year>/<slug>.md` for N appraisal
//! reports with YAML front-matter (title, department, date, source, tags) and
//! a 1.5–6 KB Chinese Markdown body (headings, paragraphs, bulleted and
//! numbered lists, and a table in roughly one report in three).
//!
//! The output is a pure function of `(n, seed)`: the same arguments always
//! produce byte-identical files, so benchmark numbers from different machines
//! or commits are comparable. Tags follow a Zipf distribution (exponent 1.0)
//! over a fixed vocabulary of 2,000 distinct keywords, which gives realistic
//! tag pages (a few huge, a long tail of tiny ones).
//!
//! Only `std` and `clap` are used.

use clap::Parser;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(about = "Generate a synthetic gongshi site for benchmarking")]
struct Args {
    /// Number of reports to generate.
    #[arg(long, default_value_t = 1000)]
    n: usize,
    /// Output site root (site.yaml and content/ are written here).
    #[arg(long)]
    out: PathBuf,
    /// PRNG seed; the same seed and N always give the same corpus.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Remove an existing OUT/content directory instead of refusing to run.
    #[arg(long)]
    force: bool,
}

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea & Flood 2014), inlined rather than pulling in the
/// `rand` crate: it is ten lines, passes BigCrush, and—unlike `rand`, whose
/// algorithms and value streams may change between releases—its output is
/// fixed forever, so a given seed reproduces the exact same corpus on any
/// platform and any toolchain. Statistical quality is irrelevant here beyond
/// "looks random"; reproducibility without an extra dependency is the point.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform float in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [lo, hi] (inclusive). Modulo bias is negligible
    /// for the tiny ranges used here.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        debug_assert!(lo <= hi);
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.range(0, xs.len() - 1)]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.range(0, i);
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const DEPARTMENTS: &[&str] = &[
    "区发改委",
    "区教育局",
    "区科技局",
    "区工信局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人社局",
    "区规划资源局",
    "区生态环境局",
    "区住建委",
    "区城管局",
    "区交通局",
    "区水务局",
    "区农业农村局",
    "区商务局",
    "区文旅局",
    "区卫健委",
    "区退役军人局",
    "区应急局",
    "区审计局",
    "区国资委",
    "区市场监管局",
    "区统计局",
    "区医保局",
    "区体育局",
    "区园林绿化局",
    "区信访办",
    "区政务服务局",
    "区金融办",
    "区人防办",
    "区外办",
    "区档案局",
    "区税务局",
    "区粮食局",
    "区机关事务局",
    "区营商办",
    "区数据局",
    "区房管局",
    "区合作交流办",
    "区爱卫办",
];

const SOURCES: &[&str] = &[
    "讲话发言",
    "调查报告",
    "评议报告",
    "人大常委会",
    "工作报告",
    "审议意见",
];

/// Document-kind suffix used in titles, parallel to `SOURCES`.
const TITLE_KINDS: &[&str] = &[
    "会议讲话稿",
    "调查报告",
    "评议报告",
    "向区人大常委会的报告",
    "工作报告",
    "审议意见",
];

const TITLE_TOPICS: &[&str] = &[
    "专项工作评议",
    "优化营商环境工作",
    "民生实事项目推进情况",
    "财政预算执行情况",
    "依法行政工作",
    "政务公开工作",
    "重点项目建设情况",
    "审计查出问题整改情况",
    "基层治理工作",
    "安全生产工作",
    "生态环境保护工作",
    "公共服务供给情况",
    "代表建议办理情况",
    "工作评议整改落实情况",
    "执法检查",
    "国有资产管理情况",
];

/// High-frequency words placed at the head of the Zipf ranking.
const CURATED: &[&str] = &[
    "营商环境",
    "评议",
    "民生实事",
    "财政预算",
    "依法行政",
    "基层治理",
    "政务公开",
    "乡村振兴",
    "安全生产",
    "整改落实",
    "代表建议",
    "公共服务",
];

/// Two-character topic stems.
const STEMS: &[&str] = &[
    "营商", "民生", "教育", "医疗", "养老", "住房", "交通", "环境", "生态", "安全", "食品", "药品",
    "财政", "预算", "审计", "社区", "农村", "城市", "产业", "科技", "人才", "就业", "社保", "文化",
    "旅游", "体育", "水务", "燃气", "供热", "物业", "垃圾", "污水", "绿化", "消防", "应急", "信访",
    "法治", "执法", "监管", "数字", "政务", "信息", "数据", "网格", "街道", "乡镇", "园区", "企业",
    "金融", "税收", "土地", "规划", "拆迁", "棚改", "停车", "公交", "道路", "河道", "防汛", "粮食",
    "物价", "市场", "质量", "文明", "托育", "助残", "救助", "扶贫", "招商", "国资", "治安", "物流",
    "能源", "水利", "林业", "畜牧", "渔业", "统计", "档案", "人防",
];

/// Two-character suffixes (stem + suffix = 4-character keyword).
const SUFFIX2: &[&str] = &[
    "改革", "治理", "建设", "保障", "管理", "服务", "监督", "整治", "提升", "优化", "创新", "考核",
    "评估", "体系", "机制", "工程", "项目", "资金", "政策", "标准", "问题", "短板", "环境", "效能",
    "公开", "投入", "设施", "平台", "试点", "队伍", "规范", "督查", "协同", "普查", "补贴",
];

/// One-character suffixes (stem + suffix = 3-character keyword).
const SUFFIX1: &[&str] = &[
    "费", "难", "权", "点", "网", "站", "所", "业", "区", "线", "库", "证", "户", "率", "款",
];

const VOCAB_SIZE: usize = 2000;
/// The vocabulary (and therefore the Zipf ranking) does not depend on the
/// user's seed, so tag statistics are comparable across seeds.
const VOCAB_SEED: u64 = 0x676F_6E67_7368_6921; // "gongshi!" in ASCII
const ZIPF_S: f64 = 1.0;

fn build_vocabulary() -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut vocab: Vec<String> = Vec::with_capacity(VOCAB_SIZE);
    for w in CURATED {
        if seen.insert(w.to_string()) {
            vocab.push(w.to_string());
        }
    }
    let mut cands: Vec<String> = Vec::new();
    cands.extend(STEMS.iter().map(|s| s.to_string()));
    cands.extend(SUFFIX2.iter().map(|s| s.to_string()));
    for s in STEMS {
        for t in SUFFIX1 {
            cands.push(format!("{s}{t}"));
        }
        for t in SUFFIX2 {
            if s != t {
                cands.push(format!("{s}{t}"));
            }
        }
    }
    let mut rng = Rng::new(VOCAB_SEED);
    rng.shuffle(&mut cands);
    for w in cands {
        if vocab.len() == VOCAB_SIZE {
            break;
        }
        if seen.insert(w.clone()) {
            vocab.push(w);
        }
    }
    assert_eq!(
        vocab.len(),
        VOCAB_SIZE,
        "word lists too small for vocabulary"
    );
    debug_assert!(vocab.iter().all(|w| (2..=4).contains(&w.chars().count())));
    vocab
}

/// Zipf sampler over ranks 0..n via a cumulative-weight table.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut acc = 0.0;
        let cdf = (1..=n)
            .map(|k| {
                acc += 1.0 / (k as f64).powf(s);
                acc
            })
            .collect();
        Zipf { cdf }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64() * self.cdf[self.cdf.len() - 1];
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

// ---------------------------------------------------------------------------
// Text templates
// ---------------------------------------------------------------------------
//
// Placeholders: {D} department, {K} keyword (body keyword or tag),
// {Y} year, {N} count, {S} small count (1–15), {P} percentage,
// {M} amount in 万元.

const SENTENCES: &[&str] = &[
    "{Y}年以来，{D}围绕{K}工作，坚持问题导向，稳步推进各项任务落实。",
    "全年累计投入资金{M}万元，重点用于{K}和{K}相关设施建设。",
    "通过走访调研、座谈交流和问卷调查等方式，共收集意见建议{N}条。",
    "群众对{K}工作的满意度达到{P}%，较上年提高{S}个百分点。",
    "{D}制定出台{K}实施方案，明确了责任分工和完成时限。",
    "在{K}方面，建立健全了工作机制，形成了上下联动的工作格局。",
    "调研中发现，{K}仍存在短板，部分街道和乡镇落实不到位。",
    "评议组认为，{D}在{K}方面做了大量工作，取得了明显成效。",
    "{K}与{K}之间的衔接还不够紧密，统筹协调力度有待加强。",
    "截至{Y}年底，已完成{K}项目{N}个，完成率为{P}%。",
    "部分代表反映，{K}问题较为突出，群众办事仍存在堵点。",
    "要进一步压实主体责任，推动{K}工作提质增效。",
    "建议加大{K}投入，完善考核评价办法，切实提升服务水平。",
    "{D}共办理人大代表建议{N}件，办复率{P}%。",
    "从检查情况看，{K}相关法律法规总体得到有效贯彻实施。",
    "同时也要看到，{K}领域的制度建设相对滞后，执行刚性不足。",
    "下一步，{D}将聚焦{K}，持续深化改革，补齐工作短板。",
    "全区共有{K}服务站点{N}个，覆盖常住人口约{N}万人。",
    "专项资金使用效益有待提高，{K}项目绩效评价结果应用不充分。",
    "要把{K}作为重要抓手，推动形成常态长效的工作机制。",
    "针对评议中发现的问题，{D}逐项制定整改措施，明确整改时限。",
    "{K}信息化水平不高，数据共享和业务协同仍有较大提升空间。",
    "基层工作人员力量不足，{K}专业人才缺口约{N}人。",
    "会议听取了{D}关于{K}情况的汇报，并进行了认真审议。",
];

const BULLETS: &[&str] = &[
    "召开{K}专题座谈会{N}次，听取基层意见",
    "实地走访{K}相关单位{N}家",
    "发放调查问卷{N}份，回收有效问卷率{P}%",
    "查阅{K}相关文件资料{N}份",
    "开展{K}明察暗访{N}次",
    "梳理{K}问题清单，形成台账{N}项",
    "组织人大代表视察{K}工作{N}次",
];

const RECOMMENDATIONS: &[&str] = &[
    "进一步提高思想认识，把{K}摆在更加突出的位置。",
    "健全{K}工作机制，强化部门协同和上下联动。",
    "加大{K}资金投入，提高财政资金使用效益。",
    "加强{K}队伍建设，充实基层工作力量。",
    "完善{K}考核评价体系，强化结果运用。",
    "推进{K}信息公开，主动接受人大和社会监督。",
    "聚焦群众急难愁盼，切实解决{K}方面的突出问题。",
    "强化{K}督查问效，确保各项整改措施落到实处。",
];

/// Middle-section titles, used in this order (wrapping if a long report
/// needs more sections than there are titles).
const SECTION_TITLES_MIDDLE: &[&str] = &[
    "工作推进情况",
    "主要做法和成效",
    "群众反映的主要问题",
    "存在的问题和不足",
    "原因分析",
    "下一步工作打算",
];

const SUB_TITLE_FORMS: &[&str] = &[
    "{K}工作扎实推进",
    "{K}机制不断完善",
    "{K}方面仍有短板",
    "{K}成效逐步显现",
    "{K}落实不够到位",
    "关于{K}的情况",
    "{K}保障能力有待提升",
    "{K}与{K}统筹推进",
];

const TABLE_COLUMNS: &[&str] = &[
    "计划数",
    "完成数",
    "完成率",
    "资金（万元）",
    "满意度",
    "整改情况",
];
const STATUS: &[&str] = &["已完成", "推进中", "未启动", "部分完成", "持续整改"];

const CN_NUM: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

struct Ctx<'a> {
    dept: &'a str,
    year: u32,
    /// Keywords this report is "about": its tags plus a few extra draws.
    kws: Vec<&'a str>,
}

fn fill(tpl: &str, ctx: &Ctx, rng: &mut Rng, out: &mut String) {
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = i + rest[i..].find('}').expect("unterminated placeholder");
        match &rest[i + 1..j] {
            "D" => out.push_str(ctx.dept),
            "K" => out.push_str(rng.pick(&ctx.kws)),
            "Y" => {
                let y = ctx.year.saturating_sub(rng.range(0, 1) as u32);
                write!(out, "{y}").unwrap();
            }
            "N" => write!(out, "{}", rng.range(2, 300)).unwrap(),
            "S" => write!(out, "{}", rng.range(1, 15)).unwrap(),
            "P" => write!(out, "{}.{}", rng.range(60, 99), rng.range(0, 9)).unwrap(),
            "M" => write!(out, "{}", rng.range(50, 98_000)).unwrap(),
            other => panic!("unknown placeholder {{{other}}}"),
        }
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
}

fn paragraph(ctx: &Ctx, rng: &mut Rng, out: &mut String) {
    for _ in 0..rng.range(2, 5) {
        let tpl = rng.pick(SENTENCES);
        fill(tpl, ctx, rng, out);
    }
    out.push_str("\n\n");
}

fn table(ctx: &Ctx, rng: &mut Rng, out: &mut String) {
    let ncols = rng.range(3, 5);
    let mut cols: Vec<usize> = (0..TABLE_COLUMNS.len()).collect();
    rng.shuffle(&mut cols);
    cols.truncate(ncols - 1);
    cols.sort_unstable();
    out.push_str("| 项目 |");
    for &c in &cols {
        write!(out, " {} |", TABLE_COLUMNS[c]).unwrap();
    }
    out.push_str("\n|---|");
    for &c in &cols {
        out.push_str(if c == 5 { "---|" } else { "---:|" });
    }
    out.push('\n');
    // Row labels are distinct keywords from this report.
    let mut labels = ctx.kws.clone();
    labels.sort_unstable();
    labels.dedup();
    rng.shuffle(&mut labels);
    for label in labels.iter().take(rng.range(3, 8)) {
        write!(out, "| {label} |").unwrap();
        for &c in &cols {
            match c {
                0 | 1 => write!(out, " {} |", rng.range(3, 500)).unwrap(),
                2 | 4 => write!(out, " {}.{}% |", rng.range(55, 99), rng.range(0, 9)).unwrap(),
                3 => write!(out, " {} |", rng.range(10, 20_000)).unwrap(),
                _ => write!(out, " {} |", rng.pick(STATUS)).unwrap(),
            }
        }
        out.push('\n');
    }
    out.push('\n');
}

/// `k` distinct templates from `xs`, in random order.
fn distinct<'a>(xs: &[&'a str], k: usize, rng: &mut Rng) -> Vec<&'a str> {
    let mut v = xs.to_vec();
    rng.shuffle(&mut v);
    v.truncate(k);
    v
}

fn body(ctx: &Ctx, has_table: bool, rng: &mut Rng) -> String {
    // Body length target in bytes (~3 bytes per CJK char). The last
    // paragraph may overshoot by a few hundred bytes, so cap below 6 KB.
    let target = rng.range(1536, 5600);

    // Head: intro + "一、基本情况" with the bulleted list (and maybe a table).
    let mut head = String::with_capacity(8192);
    paragraph(ctx, rng, &mut head);
    head.push_str("## 一、基本情况\n\n");
    head.push_str("本次评议工作主要开展了以下工作：\n\n");
    let nbullets = rng.range(3, 6);
    for (b, tpl) in distinct(BULLETS, nbullets, rng).into_iter().enumerate() {
        head.push_str("- ");
        fill(tpl, ctx, rng, &mut head);
        head.push_str(if b + 1 == nbullets { "。\n" } else { "；\n" });
    }
    head.push('\n');
    if has_table {
        head.push_str("主要指标完成情况见下表。\n\n");
        table(ctx, rng, &mut head);
    }

    // Tail: final section with the numbered list and a closing paragraph;
    // its number is filled in once the middle sections are known.
    let mut tail = String::with_capacity(2048);
    let nrec = rng.range(3, 6);
    for (i, tpl) in distinct(RECOMMENDATIONS, nrec, rng).into_iter().enumerate() {
        write!(tail, "{}. ", i + 1).unwrap();
        fill(tpl, ctx, rng, &mut tail);
        tail.push('\n');
    }
    tail.push('\n');
    paragraph(ctx, rng, &mut tail);

    // Middle: sections with subsections, filled until the target size.
    let mut middle = String::with_capacity(8192);
    let mut sec = 1; // index into CN_NUM; 0 was 基本情况
    // Always at least one middle section, so every report has a `###` heading.
    while sec == 1 || (sec < CN_NUM.len() - 1 && head.len() + middle.len() + tail.len() < target) {
        write!(
            middle,
            "## {}、{}\n\n",
            CN_NUM[sec],
            SECTION_TITLES_MIDDLE[(sec - 1) % SECTION_TITLES_MIDDLE.len()]
        )
        .unwrap();
        for sub_num in CN_NUM.iter().take(rng.range(1, 3)) {
            middle.push_str("### （");
            middle.push_str(sub_num);
            middle.push('）');
            fill(rng.pick(SUB_TITLE_FORMS), ctx, rng, &mut middle);
            middle.push_str("\n\n");
            for _ in 0..rng.range(1, 2) {
                paragraph(ctx, rng, &mut middle);
                if head.len() + middle.len() + tail.len() >= target {
                    break;
                }
            }
            if head.len() + middle.len() + tail.len() >= target {
                break;
            }
        }
        sec += 1;
    }

    let mut out = head;
    out.push_str(&middle);
    write!(out, "## {}、意见建议\n\n", CN_NUM[sec]).unwrap();
    out.push_str(&tail);
    out
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("gen_corpus: error: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let start = Instant::now();
    let content = args.out.join("content");
    if content.exists() {
        let non_empty = fs::read_dir(&content)?.next().is_some();
        if non_empty && !args.force {
            return Err(std::io::Error::other(format!(
                "{} already exists and is not empty (use --force to replace it)",
                content.display()
            )));
        }
        fs::remove_dir_all(&content)?;
    }
    fs::create_dir_all(&content)?;
    for y in 2015..=2024 {
        fs::create_dir_all(content.join(y.to_string()))?;
    }

    let site = "title: 基准测试门户\npaginate: 20\n";
    fs::write(args.out.join("site.yaml"), site)?;
    let mut total_bytes = site.len() as u64;

    let vocab = build_vocabulary();
    let zipf = Zipf::new(vocab.len(), ZIPF_S);
    let mut rng = Rng::new(args.seed);
    let mut buf = String::with_capacity(16 * 1024);

    for i in 0..args.n {
        let num = i + 1;
        let dept = rng.pick(DEPARTMENTS);
        let src_idx = rng.range(0, SOURCES.len() - 1);
        let year = rng.range(2015, 2024) as u32;
        let month = rng.range(1, 12) as u32;
        let day = rng.range(1, days_in_month(year, month) as usize) as u32;

        let ntags = rng.range(2, 6);
        let mut tags: Vec<&str> = Vec::with_capacity(ntags);
        while tags.len() < ntags {
            let w = vocab[zipf.sample(&mut rng)].as_str();
            if !tags.contains(&w) {
                tags.push(w);
            }
        }
        // Body keywords: the tags plus a few uniform draws for variety.
        let mut kws = tags.clone();
        for _ in 0..6 {
            kws.push(vocab[rng.range(0, vocab.len() - 1)].as_str());
        }
        let topic = rng.pick(TITLE_TOPICS);
        let has_table = rng.chance(1.0 / 3.0);
        let ctx = Ctx { dept, year, kws };

        buf.clear();
        // The report number makes every title unique.
        write!(
            buf,
            "---\ntitle: {dept}{year}年度{topic}{kind}（第{num}号）\ndepartment: {dept}\n\
             date: {year:04}-{month:02}-{day:02}\nsource: {src}\ntags: [{tags}]\n---\n\n",
            kind = TITLE_KINDS[src_idx],
            src = SOURCES[src_idx],
            tags = tags.join(", "),
        )
        .unwrap();
        buf.push_str(&body(&ctx, has_table, &mut rng));

        let path = content.join(year.to_string()).join(format!("r{num:06}.md"));
        let mut f = fs::File::create(&path)?;
        f.write_all(buf.as_bytes())?;
        total_bytes += buf.len() as u64;
    }

    let secs = start.elapsed().as_secs_f64();
    println!(
        "gen_corpus: {} files ({} reports + site.yaml), {} bytes ({:.1} MiB), {:.2}s, seed {}, out {}",
        args.n + 1,
        args.n,
        total_bytes,
        total_bytes as f64 / (1024.0 * 1024.0),
        secs,
        args.seed,
        args.out.display()
    );
    Ok(())
}
