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
    let main_reports = format!("href=\"{}reports/", site.config.base_path());
    let variant_reports = format!("href=\"{}reports/", config.base_path());
    let mut reports = site.reports.clone();
    reports.par_iter_mut().for_each(|report| {
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
        body.html = convert_html_text(&body.html, &converter)
            .replace(&main_reports, &variant_reports)
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
        ui_converter: Some(converter),
    })
}
