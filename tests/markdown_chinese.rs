//! Chinese disclosure text renders exactly as written: masks stay text, emphasis around full-width
//! punctuation works, line breaks follow Chinese typography. One row per case; the whole body's
//! HTML is compared.
//!
//! `cargo test --test markdown_chinese -- --nocapture` prints the pass count.

use gongshi::config::RawHtml;
use gongshi::content::markdown::render;

/// (what the case is about, Markdown, the body's HTML)
const CASES: &[(&str, &str, &str)] = &[
    // Masks: names, ID and phone numbers, dates and titles hidden with asterisks.
    (
        "phone mask",
        "联系电话138****5678",
        "<p>联系电话138****5678</p>\n",
    ),
    (
        "name and ID mask",
        "举报人张**，身份证号1101**********1234",
        "<p>举报人张**，身份证号1101**********1234</p>\n",
    ),
    (
        "two masked names",
        "举报人张**、李**反映",
        "<p>举报人张**、李**反映</p>\n",
    ),
    (
        "masked names before brackets",
        "当事人张**（女）和李**（男）",
        "<p>当事人张**（女）和李**（男）</p>\n",
    ),
    (
        "masked name, then a bold phrase",
        "经查王**等人反映属实。**处理意见：**责令整改。",
        "<p>经查王**等人反映属实。<strong>处理意见：</strong>责令整改。</p>\n",
    ),
    (
        "mask then bold lead-in",
        "举报人张**，反映情况属实。**处理意见：**责令整改。",
        "<p>举报人张**，反映情况属实。<strong>处理意见：</strong>责令整改。</p>\n",
    ),
    ("masked year", "**年", "<p>**年</p>\n"),
    (
        "masked title",
        "《**港发展规划》",
        "<p>《**港发展规划》</p>\n",
    ),
    (
        "escaped single asterisks",
        "第\\*条与第\\*款",
        "<p>第*条与第*款</p>\n",
    ),
    (
        "masked date, escaped as the README advises",
        "于\\*\\*年\\*\\*月\\*\\*日发布",
        "<p>于**年**月**日发布</p>\n",
    ),
    (
        "operator with spaces",
        "Python 的 ** 运算符表示乘方，** 也用于解包",
        "<p>Python 的 ** 运算符表示乘方，** 也用于解包</p>\n",
    ),
    (
        "file name with underscores",
        "附件：评议报告_2020_终稿.pdf",
        "<p>附件：评议报告_2020_终稿.pdf</p>\n",
    ),
    // Emphasis around full-width punctuation.
    (
        "bold around quotes",
        "这是**“重点”**内容",
        "<p>这是<strong>“重点”</strong>内容</p>\n",
    ),
    (
        "italic around quotes",
        "这是*“重点”*内容",
        "<p>这是<em>“重点”</em>内容</p>\n",
    ),
    (
        "bold with underscores between Han",
        "这是__重点__内容",
        "<p>这是<strong>重点</strong>内容</p>\n",
    ),
    (
        "italic with underscores around title marks",
        "依据_《预算法》_规定",
        "<p>依据<em>《预算法》</em>规定</p>\n",
    ),
    (
        "bold italic around quotes",
        "这是***“重点”***内容",
        "<p>这是<em><strong>“重点”</strong></em>内容</p>\n",
    ),
    (
        "strikethrough around quotes",
        "已将~~“旧提法”~~删除",
        "<p>已将<del>“旧提法”</del>删除</p>\n",
    ),
    (
        "strikethrough between Han",
        "已将~~旧提法~~删除",
        "<p>已将<del>旧提法</del>删除</p>\n",
    ),
    (
        "bold ending in a colon",
        "**发改委：**关于整改",
        "<p><strong>发改委：</strong>关于整改</p>\n",
    ),
    (
        "bold lead-in sentences",
        "**一是加强领导。**各部门要落实。**二是强化监督。**各单位要配合。",
        "<p><strong>一是加强领导。</strong>各部门要落实。<strong>二是强化监督。</strong>各单位要配合。</p>\n",
    ),
    (
        "bold after a comma around two quotes",
        "采纳，**“停车难”“买菜难”**等",
        "<p>采纳，<strong>“停车难”“买菜难”</strong>等</p>\n",
    ),
    (
        "two bold quotes joined by Han",
        "**“重点”**和**“难点”**",
        "<p><strong>“重点”</strong>和<strong>“难点”</strong></p>\n",
    ),
    (
        "bold quotes in an enumeration",
        "重点是：**“三个一”**工作法、**“四个到位”**要求",
        "<p>重点是：<strong>“三个一”</strong>工作法、<strong>“四个到位”</strong>要求</p>\n",
    ),
    (
        "two strikethroughs joined by Han",
        "这是~~“旧”~~和~~“新”~~",
        "<p>这是<del>“旧”</del>和<del>“新”</del></p>\n",
    ),
    (
        "two italic titles with underscores",
        "依据_《预算法》_和_《审计法》_规定",
        "<p>依据<em>《预算法》</em>和<em>《审计法》</em>规定</p>\n",
    ),
    (
        "bold italic twice",
        "这是***“重点”***和***“难点”***",
        "<p>这是<em><strong>“重点”</strong></em>和<em><strong>“难点”</strong></em></p>\n",
    ),
    (
        "bold from between Han to after a full stop has a mask's shape (README)",
        "要求**务必完成。**逾期",
        "<p>要求**务必完成。**逾期</p>\n",
    ),
    (
        "CommonMark itself pairs two masks between Han (README: escape them)",
        "于**年**月**日发布",
        "<p>于<strong>年</strong>月**日发布</p>\n",
    ),
    (
        "bold around corner brackets",
        "按照**「放管服」**改革要求",
        "<p>按照<strong>「放管服」</strong>改革要求</p>\n",
    ),
    (
        "bold around full-width parentheses",
        "详见**（附件1）**所列",
        "<p>详见<strong>（附件1）</strong>所列</p>\n",
    ),
    (
        "bold around book-title marks",
        "依据**《中华人民共和国预算法》**第十条",
        "<p>依据<strong>《中华人民共和国预算法》</strong>第十条</p>\n",
    ),
    (
        "bold before a full stop",
        "这是**“重点”**。",
        "<p>这是<strong>“重点”</strong>。</p>\n",
    ),
    (
        "plain CommonMark bold between Han",
        "**普通加粗**文字，这是**重点**内容",
        "<p><strong>普通加粗</strong>文字，这是<strong>重点</strong>内容</p>\n",
    ),
    (
        "Latin text keeps CommonMark's rule",
        "abc**“x”**def",
        "<p>abc**“x”**def</p>\n",
    ),
    (
        "mixed Latin and Han",
        "使用**GDP**指标，**“GDP”**增长",
        "<p>使用<strong>GDP</strong>指标，<strong>“GDP”</strong>增长</p>\n",
    ),
    (
        "escaped markers stay literal",
        "转义\\*\\*“不变”\\*\\*",
        "<p>转义**“不变”**</p>\n",
    ),
    (
        "inline code keeps its asterisks",
        "`**代码**`与**“重点”**",
        "<p><code>**代码**</code>与<strong>“重点”</strong></p>\n",
    ),
    (
        "code block keeps its asterisks",
        "```\n这是**“重点”**内容\n```",
        "<pre><code>这是**“重点”**内容\n</code></pre>\n",
    ),
    (
        "full-width spaces indent the paragraph",
        "　　这是**“重点”**内容",
        "<p>　　这是<strong>“重点”</strong>内容</p>\n",
    ),
    (
        "full-width space inside the markers",
        "这是**　重点**内容",
        "<p>这是**　重点**内容</p>\n",
    ),
    (
        "bold around a link",
        "**[附件一](fj1.pdf)**所列事项",
        "<p><strong><a href=\"fj1.pdf\">附件一</a></strong>所列事项</p>\n",
    ),
    (
        "link with Chinese text",
        "详见[《实施方案》](https://example.gov.cn/方案.pdf)",
        "<p>详见<a href=\"https://example.gov.cn/%E6%96%B9%E6%A1%88.pdf\">《实施方案》</a></p>\n",
    ),
    (
        "markers on both sides of a link's edge stay literal",
        "这是[**“重点](a.pdf)**内容",
        "<p>这是<a href=\"a.pdf\">**“重点</a>**内容</p>\n",
    ),
    // Headings with Chinese punctuation, and their ids.
    (
        "heading with an enumeration comma",
        "## 一、总体情况",
        "<h2 id=\"一总体情况\">一、总体情况</h2>\n",
    ),
    (
        "heading with brackets and quotes",
        "### （二）关于“放管服”改革",
        "<h3 id=\"二关于放管服改革\">（二）关于“放管服”改革</h3>\n",
    ),
    (
        "heading with repaired bold",
        "## 这是**“重点”**标题",
        "<h2 id=\"这是重点标题\">这是<strong>“重点”</strong>标题</h2>\n",
    ),
    // Footnotes in Chinese.
    (
        "Chinese footnote",
        "正文[^注1]。\n\n[^注1]: 注释内容。",
        "<p>正文<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fn-ref-1\">1</a></sup>。</p>\n<section class=\"footnotes\" role=\"doc-endnotes\"><ol><li id=\"fn-1\">\n<p>注释内容。</p>\n<a class=\"footnote-back\" href=\"#fn-ref-1\" aria-label=\"返回正文\">↩</a></li></ol></section>",
    ),
    // Soft line breaks.
    (
        "line break inside a sentence",
        "第一行\n第二行",
        "<p>第一行第二行</p>\n",
    ),
    (
        "line break before bold",
        "请各部门\n**认真落实**整改",
        "<p>请各部门<strong>认真落实</strong>整改</p>\n",
    ),
    (
        "line break before a link",
        "详见\n[附件一](fj1.pdf)",
        "<p>详见<a href=\"fj1.pdf\">附件一</a></p>\n",
    ),
    (
        "line break before code",
        "使用\n`命令`处理",
        "<p>使用<code>命令</code>处理</p>\n",
    ),
    (
        "line break after bold",
        "请**认真落实**\n整改",
        "<p>请<strong>认真落实</strong>整改</p>\n",
    ),
    (
        "line break between quoted Chinese",
        "他说：“好”\n“坏”",
        "<p>他说：“好”“坏”</p>\n",
    ),
    (
        "curly quotes alone do not make a line Chinese",
        "“urgent”\n“today”",
        "<p>“urgent”\n“today”</p>\n",
    ),
    (
        "English lines keep their space",
        "English\nwords",
        "<p>English\nwords</p>\n",
    ),
    (
        "Chinese then English",
        "中文\nEnglish",
        "<p>中文\nEnglish</p>\n",
    ),
    // Lines that begin with an outline number keep their line.
    (
        "outline numbers in brackets",
        "主要做法如下：\n（一）加强领导。\n（二）强化监督。",
        "<p>主要做法如下：<br />\n（一）加强领导。<br />\n（二）强化监督。</p>\n",
    ),
    (
        "outline numbers with an enumeration comma",
        "一、总体情况\n二、存在问题",
        "<p>一、总体情况<br />\n二、存在问题</p>\n",
    ),
    (
        "outline numbers with a full-width full stop",
        "1．完善制度\n2．加强监督",
        "<p>1．完善制度<br />\n2．加强监督</p>\n",
    ),
    (
        "outline number in bold",
        "做法如下：\n**（一）加强领导。**各部门要落实",
        "<p>做法如下：<br />\n<strong>（一）加强领导。</strong>各部门要落实</p>\n",
    ),
    (
        "a numeral without a comma is not an outline number",
        "分为\n一二类",
        "<p>分为一二类</p>\n",
    ),
    // Lists, tables, task lists.
    (
        "task list in Chinese",
        "- [x] 已完成整改",
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n已完成整改</li>\n</ul>\n",
    ),
    (
        "table with column alignment and bold",
        "| 序号 | 事项 |\n|:--|--:|\n| 1 | **“整改”**完成 |",
        "<table><thead><tr><th style=\"text-align: left\">序号</th><th style=\"text-align: right\">事项</th></tr></thead><tbody>\n<tr><td style=\"text-align: left\">1</td><td style=\"text-align: right\"><strong>“整改”</strong>完成</td></tr>\n</tbody></table>\n",
    ),
];

#[test]
fn chinese_disclosure_text_table() {
    let mut failures = Vec::new();
    for (about, markdown, expected) in CASES {
        let html = render(markdown, &|_| None, RawHtml::Sanitize, &[])
            .html
            .to_string();
        if html != *expected {
            failures.push(format!(
                "{about}: {markdown:?}\n  expected {expected:?}\n  got      {html:?}"
            ));
        }
    }
    println!(
        "Chinese table: {} of {} cases pass",
        CASES.len() - failures.len(),
        CASES.len()
    );
    assert!(CASES.len() >= 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn raw_html_keeps_table_alignment_and_links() {
    let markdown = "| 序号 | 事项 |\n|:--|:-:|\n| 1 | [附件](附件.pdf) |\n\n正文<b onclick=\"x()\">注</b>，见[第二节](#二)、[邮件](mailto:a@example.gov.cn)、[电话](tel:12345)。\n";
    let html = render(markdown, &|_| None, RawHtml::Sanitize, &[])
        .html
        .to_string();
    for kept in [
        "<th style=\"text-align: left\">序号</th>",
        "<td style=\"text-align: center\">",
        "<a href=\"%E9%99%84%E4%BB%B6.pdf\">附件</a>",
        "<a href=\"#%E4%BA%8C\">第二节</a>",
        "<a href=\"mailto:a@example.gov.cn\">邮件</a>",
        "<a href=\"tel:12345\">电话</a>",
        "<b>注</b>",
    ] {
        assert!(html.contains(kept), "{kept} missing in {html}");
    }
    let hostile = "<table><tr><td style=\"text-align: left; background: url(x)\">a</td><th style=\"color:red\">b</th><td style=\"text-align:right\">c</td></tr></table>\n";
    let html = render(hostile, &|_| None, RawHtml::Sanitize, &[])
        .html
        .to_string();
    assert!(!html.contains("url(") && !html.contains("color"), "{html}");
    assert!(html.contains("style=\"text-align:right\""), "{html}");
}
