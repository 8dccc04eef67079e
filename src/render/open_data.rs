//! Open data: every report's metadata as JSON and CSV, with a JSON Schema, in a stable column order.

use super::context::{Urls, iso_date};
use crate::model::Site;
use serde::Serialize;
use std::io::Write;

/// The columns, in their documented and stable order, with a description for the /data/ page.
pub const COLUMNS: &[(&str, &str)] = &[
    ("title", "标题"),
    ("url", "报告页面的完整地址"),
    ("date", "发布日期（ISO 8601，含时区）"),
    ("department", "评议对象（发布机构）"),
    ("source", "来源"),
    ("tags", "热词，以分号“;”分隔（JSON 中为数组）"),
    ("summary", "摘要"),
    ("updated", "更新日期"),
    ("index_no", "索引号"),
    ("doc_no", "发文字号"),
    ("written", "成文日期"),
    ("disclosure", "公开属性"),
    ("topic", "主题分类"),
];

/// One report's row, borrowing the report's text. In JSON a field the report does not have is
/// left out rather than written as `null` (10k reports: reports.json 6.74 -> 5.83 MB).
#[derive(Serialize)]
pub struct Row<'a> {
    title: &'a str,
    url: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    tags: &'a [String],
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index_no: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_no: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    written: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disclosure: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<&'a str>,
}

/// Every report's row, newest first.
pub fn rows<'a>(site: &'a Site, urls: &Urls) -> Vec<Row<'a>> {
    site.reports
        .iter()
        .map(|report| {
            let meta = &report.meta;
            Row {
                title: &meta.title,
                url: site.config.absolute_url(&urls.report(report)),
                date: iso_date(&report.date),
                department: meta.department.as_deref(),
                source: meta.source.as_deref(),
                tags: &meta.tags,
                summary: meta.summary.as_deref().unwrap_or(&report.body.summary_text),
                updated: meta.updated.as_ref().map(iso_date),
                index_no: meta.index_no.as_deref(),
                doc_no: meta.doc_no.as_deref(),
                written: meta.written.as_ref().map(iso_date),
                disclosure: meta.disclosure.as_deref(),
                topic: meta.topic.as_deref(),
            }
        })
        .collect()
}

/// Counts the bytes written to it.
struct ByteCount(usize);

impl Write for ByteCount {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `write` writes, in a buffer of exactly its size: it is written twice, first only to
/// count. The open-data files are the largest a build makes (130 MB at 100k reports); grown by
/// doubling, they took up to twice that while the pages were being rendered.
fn exact_bytes(write: impl Fn(&mut dyn Write)) -> Vec<u8> {
    let mut count = ByteCount(0);
    write(&mut count);
    let mut out = Vec::with_capacity(count.0);
    write(&mut out);
    out
}

/// `reports.json`: an array of rows, one compact row a line (readable line by line and in a
/// diff, 15 % smaller than indented: 7.90 → 6.74 MB at 10k reports).
pub fn json(rows: &[Row]) -> Vec<u8> {
    let bytes = exact_bytes(|out| {
        let _ = out.write_all(b"[");
        for (i, row) in rows.iter().enumerate() {
            let _ = out.write_all(if i == 0 { b"\n" } else { b",\n" });
            let _ = serde_json::to_writer(&mut *out, row);
        }
        let _ = out.write_all(b"\n]\n");
    });
    // serde_json writes UTF-8; the text is copied only when there is something to escape.
    html_safe_json(String::from_utf8(bytes).unwrap_or_default()).into_bytes()
}

/// JSON with `<`, `>`, `&` and the JavaScript line separators written as `\uXXXX` escapes: the
/// same values, but no `<script>` survives even if a host serves the file as HTML or a page
/// inlines it. Safe because these characters can only occur inside JSON strings.
pub fn html_safe_json(json: String) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `views.csv`: each report's page views per month, from the access logs — `url,title,month,views`,
/// one row per report and month with views, sorted by URL then month (UTF-8 with a BOM, like
/// `reports.csv`). Only these aggregates are published: no address, agent or time of a visit.
pub fn views_csv(site: &Site, urls: &Urls, readers: &crate::model::readers::Readers) -> Vec<u8> {
    let mut rows: Vec<(String, &str, &str, u64)> = readers
        .monthly
        .iter()
        .map(|(report, month, views)| {
            let report_ref = &site.reports[*report];
            (
                site.config.absolute_url(&urls.report(report_ref)),
                report_ref.meta.title.as_str(),
                month.as_str(),
                *views,
            )
        })
        .collect();
    rows.sort();
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = writer.write_record(["url", "title", "month", "views"]);
    for (url, title, month, views) in rows {
        let _ = writer.write_record([
            url.as_str(),
            &neutralise_formula(title),
            month,
            &views.to_string(),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

/// `reports.csv`: UTF-8 with a BOM (so spreadsheet programs read Chinese), a header row, and
/// cells that a spreadsheet would run as a formula (`= + - @`, tab, CR) prefixed with `'`.
pub fn csv(rows: &[Row]) -> Vec<u8> {
    exact_bytes(|out| {
        let _ = out.write_all("\u{feff}".as_bytes());
        let mut writer = csv::Writer::from_writer(out);
        let header: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
        let _ = writer.write_record(&header);
        for row in rows {
            let tags = row.tags.join(";");
            let cells = [
                row.title,
                &row.url,
                &row.date,
                row.department.unwrap_or_default(),
                row.source.unwrap_or_default(),
                &tags,
                row.summary,
                row.updated.as_deref().unwrap_or_default(),
                row.index_no.unwrap_or_default(),
                row.doc_no.unwrap_or_default(),
                row.written.as_deref().unwrap_or_default(),
                row.disclosure.unwrap_or_default(),
                row.topic.unwrap_or_default(),
            ];
            let _ = writer.write_record(cells.iter().map(|c| neutralise_formula(c)));
        }
        let _ = writer.flush();
    })
}

/// Prefixes a cell that a spreadsheet would evaluate as a formula.
pub fn neutralise_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// `reports.schema.json`: a JSON Schema for `reports.json`.
pub fn schema(absolute_id: &str) -> Vec<u8> {
    let optional =
        |description: &str| serde_json::json!({ "type": "string", "description": description });
    let mut properties = serde_json::Map::new();
    for (name, description) in COLUMNS {
        let property = match *name {
            "title" | "url" | "date" | "summary" => {
                serde_json::json!({ "type": "string", "description": description })
            }
            "tags" => {
                serde_json::json!({ "type": "array", "items": { "type": "string" }, "description": description })
            }
            _ => optional(description),
        };
        properties.insert(name.to_string(), property);
    }
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": absolute_id,
        "title": "gongshi reports",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["title", "url", "date", "tags", "summary"],
            "additionalProperties": false,
            "properties": properties,
        }
    });
    let mut bytes = serde_json::to_vec_pretty(&schema).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::{Row, html_safe_json, json, neutralise_formula};

    fn row<'a>(title: &'a str, tags: &'a [String]) -> Row<'a> {
        Row {
            title,
            url: "/reports/a/".to_string(),
            date: "2024-01-02T00:00:00+08:00".to_string(),
            department: Some("区发改委"),
            source: None,
            tags,
            summary: "摘要",
            updated: None,
            index_no: None,
            doc_no: None,
            written: None,
            disclosure: None,
            topic: None,
        }
    }

    #[test]
    fn json_is_one_row_a_line_and_parses() {
        let tags = vec!["营商环境".to_string(), "<b>".to_string()];
        let text = String::from_utf8(json(&[row("甲", &tags), row("乙", &[])])).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!((lines[0], lines[3]), ("[", "]"));
        assert!(lines[1].starts_with("{\"title\":\"甲\"") && lines[1].ends_with("},"));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back[0]["tags"][1], "<b>");
        assert_eq!(back[1]["department"], "区发改委");
        assert!(
            !lines[1].contains("null") && !lines[1].contains("\"source\""),
            "{text}"
        );
        let empty: serde_json::Value = serde_json::from_slice(&json(&[])).unwrap();
        assert_eq!(empty, serde_json::json!([]));
    }

    #[test]
    fn json_hides_markup_but_keeps_the_values() {
        let value = serde_json::json!({"title": "\"><script>alert('x&y')</script>\u{2028}"});
        let text = html_safe_json(value.to_string());
        assert!(!text.contains(['<', '>', '&', '\u{2028}']), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn formula_cells_are_neutralised() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+86", "'+86"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("评议", "评议"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(neutralise_formula(input), expected);
        }
    }
}
