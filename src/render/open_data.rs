//! Open data: every report's metadata as JSON and CSV, with a JSON Schema, in a stable column order.

use super::context::{Urls, iso_date};
use crate::model::Site;
use serde::Serialize;

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

/// One report's row.
#[derive(Serialize)]
pub struct Row {
    title: String,
    url: String,
    date: String,
    department: Option<String>,
    source: Option<String>,
    tags: Vec<String>,
    summary: String,
    updated: Option<String>,
    index_no: Option<String>,
    doc_no: Option<String>,
    written: Option<String>,
    disclosure: Option<String>,
    topic: Option<String>,
}

/// Every report's row, newest first.
pub fn rows(site: &Site, urls: &Urls) -> Vec<Row> {
    site.reports
        .iter()
        .map(|report| {
            let meta = &report.meta;
            Row {
                title: meta.title.clone(),
                url: site.config.absolute_url(&urls.report(&report.slug)),
                date: iso_date(&report.date),
                department: meta.department.clone(),
                source: meta.source.clone(),
                tags: meta.tags.clone(),
                summary: meta
                    .summary
                    .clone()
                    .unwrap_or_else(|| report.body.summary_text.clone()),
                updated: meta.updated.as_ref().map(iso_date),
                index_no: meta.index_no.clone(),
                doc_no: meta.doc_no.clone(),
                written: meta.written.as_ref().map(iso_date),
                disclosure: meta.disclosure.clone(),
                topic: meta.topic.clone(),
            }
        })
        .collect()
}

/// `reports.json`: an array of rows.
pub fn json(rows: &[Row]) -> Vec<u8> {
    let mut text = html_safe_json(serde_json::to_string_pretty(rows).unwrap_or_default());
    text.push('\n');
    text.into_bytes()
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

/// `reports.csv`: UTF-8 with a BOM (so spreadsheet programs read Chinese), a header row, and
/// cells that a spreadsheet would run as a formula (`= + - @`, tab, CR) prefixed with `'`.
pub fn csv(rows: &[Row]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let header: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
        let _ = writer.write_record(&header);
        for row in rows {
            let cells = [
                row.title.clone(),
                row.url.clone(),
                row.date.clone(),
                row.department.clone().unwrap_or_default(),
                row.source.clone().unwrap_or_default(),
                row.tags.join(";"),
                row.summary.clone(),
                row.updated.clone().unwrap_or_default(),
                row.index_no.clone().unwrap_or_default(),
                row.doc_no.clone().unwrap_or_default(),
                row.written.clone().unwrap_or_default(),
                row.disclosure.clone().unwrap_or_default(),
                row.topic.clone().unwrap_or_default(),
            ];
            let _ = writer.write_record(cells.iter().map(|c| neutralise_formula(c)));
        }
        let _ = writer.flush();
    }
    out
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
    let optional = |description: &str| serde_json::json!({ "type": ["string", "null"], "description": description });
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
    use super::{html_safe_json, neutralise_formula};

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
