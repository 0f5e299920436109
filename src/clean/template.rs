//! Corpus-level template learning: a line that recurs across many pages of one
//! site is boilerplate.
//!
//! Input: the pages of a corpus, grouped by site (host, or folder when there
//! is no URL). Output: per site, the set of normalised lines that are
//! template. Exact-duplicate pages count once, so syndicated copies are not
//! mistaken for a template. This stage cannot fail.

use serde::{Deserialize, Serialize};

/// What was learned about one site.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SiteTemplate {}

impl SiteTemplate {
    /// True when `line` is part of the site's template.
    pub fn is_boilerplate(&self, _line: &str) -> bool {
        false
    }
}

/// What was learned about every site of a corpus.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Templates {}

impl Templates {
    /// The template of one site (host, or folder when there is no URL).
    pub fn site(&self, _key: &str) -> Option<&SiteTemplate> {
        None
    }
}
