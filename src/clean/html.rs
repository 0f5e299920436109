//! HTML main-content extraction (placeholder until the DOM extractor lands).

use crate::model::Cleaned;

use super::template::SiteTemplate;

/// Extracts the article of an HTML page.
pub fn clean_html(_html: &str, _template: Option<&SiteTemplate>) -> Cleaned {
    Cleaned::default()
}
