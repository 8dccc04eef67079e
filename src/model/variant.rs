//! A variant edition of the site: the same model with every text converted to another script.
//!
//! Slugs, order, related lists and indexes stay as they are, so every page of the variant has
//! the same path as its counterpart, under the variant's folder.

use super::Site;
use crate::config::Variant;
use crate::script::{Converter, Direction, convert_html_text};
use rayon::prelude::*;
use std::sync::Arc;

/// `site` converted for `variant`: titles, bodies, summaries, tables of contents, search text,
/// term names and the portal's name; its configuration renders under the variant's folder.
pub fn variant_site(site: &Site, variant: Variant) -> Result<Site, String> {
    let direction = match variant {
        Variant::ZhHant => Direction::ToTraditional,
    };
    let converter = Arc::new(Converter::new(direction)?);
    let convert = |text: &str| converter.convert(text);
    let convert_opt = |text: &Option<String>| text.as_deref().map(convert);
    let mut config = site.config.for_variant(variant);
    config.title = convert(&config.title);
    config.description = convert(&config.description);
    let government = &mut config.government;
    government.publisher = convert(&government.publisher);
    government.organizer = convert(&government.organizer);
    government.contact = convert(&government.contact);
    // Links between reports point into the variant's own folder.
    let main_base = site.config.base_path();
    let variant_base = config.base_path();
    let report_paths: std::collections::HashSet<&str> =
        site.reports.iter().map(|r| r.url_path.as_str()).collect();
    let mut reports = site.reports.clone();
    let mut pages = site.pages.clone();
    reports
        .par_iter_mut()
        .chain(pages.par_iter_mut())
        .for_each(|report| {
            let meta = &mut report.meta;
            meta.title = convert(&meta.title);
            meta.department = convert_opt(&meta.department);
            meta.source = convert_opt(&meta.source);
            meta.publisher = convert_opt(&meta.publisher);
            meta.summary = convert_opt(&meta.summary);
            meta.doc_no = convert_opt(&meta.doc_no);
            meta.disclosure = convert_opt(&meta.disclosure);
            meta.topic = convert_opt(&meta.topic);
            meta.tags = meta.tags.iter().map(|t| convert(t)).collect();
            let body = &mut report.body;
            body.html = report_links_into(
                &convert_html_text(&body.html, &converter),
                &main_base,
                &variant_base,
                &report_paths,
            )
            .into();
            body.summary_text = convert(&body.summary_text);
            body.text = convert(&body.text).into();
            for entry in &mut body.toc {
                entry.title = convert(&entry.title);
            }
        });
    let mut taxonomies = [
        site.tags.clone(),
        site.departments.clone(),
        site.sources.clone(),
    ];
    for taxonomy in &mut taxonomies {
        for term in &mut taxonomy.terms {
            term.name = convert(&term.name);
        }
    }
    let [tags, departments, sources] = taxonomies;
    Ok(Site {
        config,
        reports,
        tags,
        departments,
        sources,
        home_order: site.home_order.clone(),
        years: site.years.clone(),
        related: site.related.clone(),
        co_tags: site.co_tags.clone(),
        trending: site.trending.clone(),
        related_time: site.related_time,
        related_inputs: site.related_inputs,
        readers: site.readers.clone(),
        pages,
        ui_converter: Some(converter),
    })
}

/// `html` with every `href` to a report page (`{main_base}{url_path}`, with or without an
/// `#anchor`) pointing at `variant_base` instead; links to other files stay in the main edition.
fn report_links_into(
    html: &str,
    main_base: &str,
    variant_base: &str,
    report_paths: &std::collections::HashSet<&str>,
) -> String {
    let opening = format!("href=\"{main_base}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(found) = rest.find(&opening) {
        let target_start = found + opening.len();
        let target_len = rest[target_start..]
            .find(['"', '#'])
            .unwrap_or(rest.len() - target_start);
        let target = &rest[target_start..target_start + target_len];
        out.push_str(&rest[..found]);
        if report_paths.contains(target) {
            out.push_str("href=\"");
            out.push_str(variant_base);
        } else {
            out.push_str(&opening);
        }
        rest = &rest[target_start..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_to_reports_move_into_the_variant() {
        let paths = ["2020/08/monthly/"].into_iter().collect();
        let html = "<a href=\"/2020/08/monthly/#一\">上月</a><a href=\"/files/a.pdf\">附件</a>";
        assert_eq!(
            report_links_into(html, "/", "/zh-hant/", &paths),
            "<a href=\"/zh-hant/2020/08/monthly/#一\">上月</a><a href=\"/files/a.pdf\">附件</a>"
        );
    }
}
