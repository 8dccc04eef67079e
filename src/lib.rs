//! gongshi: a static-site generator for public appraisal-disclosure portals (公示).
//!
//! A build is a pipeline: [`content`] reads reports → [`model`] indexes them → [`render`] turns
//! each page into HTML → [`output`] writes it all atomically. [`pipeline`] runs the stages.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod incremental;
pub mod invisible;
pub mod lang;
pub mod model;
pub mod output;
pub mod permalink;
pub mod pipeline;
pub mod progress;
pub mod readership;
pub mod render;
pub mod scaffold;
pub mod script;
pub mod serve;
pub mod slug;
pub mod yaml;
