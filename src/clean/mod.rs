//! Stage 4 of `index`: boilerplate removal. Page → [`Cleaned`] article.
//!
//! Input: the decoded text of one record and its [`Format`]. Output: title,
//! date, language, tags and the clean body split into paragraphs, each with the
//! source lines it came from, plus every dropped line with its reason (for
//! `lede extract --explain`).
//!
//! HTML goes through [`html`] (DOM-based main-content extraction on a real
//! parser); flattened text pages through [`text`] (a line classifier). Both
//! consult the corpus-level [`template`] of the record's site when there is
//! one: lines that recur across many pages of one site are boilerplate.
//!
//! This stage cannot fail: on input it cannot make sense of, it returns less
//! text (possibly none), never an error.

pub mod html;
pub mod template;
pub mod text;

use crate::model::{Cleaned, Format};

use self::template::SiteTemplate;

/// Removes boilerplate. Holds no per-document state: share one across threads.
#[derive(Clone, Debug, Default)]
pub struct Cleaner {}

impl Cleaner {
    /// A cleaner with the default settings.
    pub fn new() -> Cleaner {
        Cleaner {}
    }

    /// Cleans one page. `template` is what the corpus pass learned about the
    /// page's site, if anything.
    pub fn clean(&self, text: &str, format: Format, template: Option<&SiteTemplate>) -> Cleaned {
        match format {
            Format::Html => html::clean_html(text, template),
            Format::Text => text::clean_text(text, template),
        }
    }
}
