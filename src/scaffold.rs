//! `gongshi init` and `gongshi new`: starting a site and a report.

use crate::config::load_config;
use crate::slug::{SlugMode, slugify};
use crate::yaml::write::{list, scalar};
use std::fs;
use std::path::{Path, PathBuf};

const SITE_YAML: &str = "title: 我的评议公开平台
description: 工作评议、专项调查与整改情况公开
base_url: /
language: zh-CN
timezone: Asia/Shanghai
paginate: 20
# 政府网站须展示的信息（页脚与 <meta>），按实际填写后删去行首的 “# ”：
# publisher: 某区人大常委会        # 主办单位 / 发布机构
# organizer: 某区人大常委会办公室  # 承办单位
# contact: 010-00000000            # 联系方式
# site_id: \"0000000000\"           # 网站标识码
# icp: 京ICP备00000000号           # ICP 备案号
# police_record: 京公网安备 00000000000000号
";

const GUIDE_PAGE: &str = "---\ntitle: 信息公开指南\nnav: 1\n---\n## 一、公开范围\n\n本平台公开工作评议、专项调查和整改情况的报告。\n\n## 二、依申请公开\n\n需要获取未公开材料的，请向办公室书面提出申请。\n";

const FIRST_REPORT: &str = "---\ntitle: 关于开展年度工作评议的实施方案\ndepartment: 办公室\ndate: 2024-03-01\nsource: 人大常委会\ntags: [评议, 实施方案]\n---\n本方案说明年度工作评议的对象、步骤和时间安排。\n\n<!-- more -->\n\n## 一、评议对象\n\n本年度评议对象为区教育局。\n\n## 二、工作步骤\n\n1. 动员部署\n2. 调查研究\n3. 评议测评\n4. 整改落实\n";

const SECOND_REPORT: &str = "---\ntitle: 区教育局工作评议调查报告\ndepartment: 区教育局\ndate: 2024-06-18\nsource: 调查报告\ntags: [评议, 教育, 调查报告]\n---\n调查组通过座谈、走访和问卷，了解了全区教育工作的基本情况。\n\n## 一、基本情况\n\n| 项目 | 数量 |\n|---|---|\n| 走访学校 | 12 所 |\n| 问卷 | 860 份 |\n\n## 二、意见建议\n\n- 加快补齐学位缺口；\n- 加强教师队伍建设。\n";

/// Creates a new site in `dir`: site.yaml (the government-site keys offered as comments), two
/// sample reports and an 信息公开指南 page. Refuses to overwrite anything.
pub fn init_site(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let files = [
        (dir.join("site.yaml"), SITE_YAML),
        (
            dir.join("content")
                .join("2024")
                .join("pingyi-shishi-fangan.md"),
            FIRST_REPORT,
        ),
        (
            dir.join("content")
                .join("2024")
                .join("jiaoyuju-diaocha-baogao.md"),
            SECOND_REPORT,
        ),
        (
            dir.join("content").join("pages").join("zhinan.md"),
            GUIDE_PAGE,
        ),
    ];
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(crate::msg!(
            "{} already exists; nothing was written",
            "{} 已存在；没有写入任何文件",
            existing.display()
        ));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// Copies the built-in theme into `site/themes/<name>/` for editing; refuses to overwrite.
pub fn copy_theme(site: &Path, name: &str) -> Result<PathBuf, String> {
    if !crate::slug::is_safe_segment(name) {
        return Err(crate::msg!(
            "`{name}` is not a usable theme folder name",
            "`{name}` 不能用作主题文件夹名"
        ));
    }
    let target = site.join("themes").join(name);
    if target.exists() {
        return Err(crate::msg!(
            "{} already exists; nothing was written",
            "{} 已存在；没有写入任何文件",
            target.display()
        ));
    }
    write_dir(&crate::render::theme::DEFAULT_THEME, &target)?;
    Ok(target)
}

fn write_dir(dir: &include_dir::Dir<'_>, target: &Path) -> Result<(), String> {
    for file in dir.files() {
        let path = target.join(file.path());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, file.contents()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for sub in dir.dirs() {
        write_dir(sub, target)?;
    }
    Ok(())
}

/// What `gongshi new` fills in.
#[derive(Clone, Debug, Default)]
pub struct NewReport {
    /// File name (without `.md`) or a path under content/.
    pub name: String,
    /// Title; the name when not given.
    pub title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Keywords, comma separated.
    pub tags: Option<String>,
}

/// Writes a new report under `root/content/` with today's date in the site's time zone.
pub fn new_report(root: &Path, request: &NewReport) -> Result<PathBuf, String> {
    let mut problems = Vec::new();
    let config = load_config(
        &root.join("site.yaml"),
        &root.join("site.yaml"),
        &mut problems,
    );
    let name = request.name.trim().trim_end_matches(".md");
    if name.is_empty()
        || name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        || name.contains('\\')
    {
        return Err(crate::msg!(
            "`{}` is not a usable file name",
            "`{}` 不能用作文件名",
            request.name
        ));
    }
    let file_name: String = name
        .split('/')
        .map(|part| {
            if part.is_ascii() {
                part.to_string()
            } else {
                slugify(part, SlugMode::Pinyin)
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let path = root.join("content").join(format!("{file_name}.md"));
    if path.exists() {
        return Err(crate::msg!(
            "{} already exists; choose another name",
            "{} 已存在；请换个名字",
            path.display()
        ));
    }
    let today = jiff::ZonedDateTime::now()
        .with_time_zone(config.timezone.clone())
        .date();
    let title = request
        .title
        .clone()
        .unwrap_or_else(|| name.rsplit('/').next().unwrap_or(name).to_string());
    let mut text = format!("---\ntitle: {}\ndate: {today}\n", scalar(&title));
    text.push_str(&format!(
        "department: {}\n",
        scalar(request.department.as_deref().unwrap_or(""))
    ));
    text.push_str("source: \"\"\n");
    let tags = request
        .tags
        .as_deref()
        .map(crate::content::tags::split_keywords)
        .unwrap_or_default();
    text.push_str(&format!("tags: {}\n", list(&tags)));
    text.push_str(&format!(
        "# 政务公开要素：按需填写，再删去行首的 “# ”。\n\
         # publisher: \"\"        # 发布机构（默认为 site.yaml 的 publisher）\n\
         # index_no: \"\"         # 索引号\n\
         # doc_no: \"\"           # 发文字号\n\
         # written: {today}    # 成文日期\n\
         # disclosure: 主动公开   # 公开属性：主动公开 / 依申请公开 / 不予公开\n\
         # topic: \"\"            # 主题分类\n\
         ---\n\n{placeholder}在此撰写报告导语。\n\n<!-- more -->\n\n## 一、基本情况\n\n",
        placeholder = crate::content::PLACEHOLDER
    ));
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
