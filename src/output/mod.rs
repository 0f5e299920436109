//! Printers: the only code that writes to stdout.
//!
//! Input: hits, summaries, extracted articles, entity counts, stats. Output:
//! text for people or JSON Lines for scripts, written to any `io::Write`, so
//! that printers are tested against a `Vec<u8>`. Errors are the writer's
//! (a closed pipe); the caller treats a broken pipe as success.

pub mod extract;
pub mod json;
pub mod text;

use std::io;

use crate::model::{Hit, Summary};

/// Receives hits in rank order, then one summary.
pub trait Printer {
    /// Prints one hit.
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    /// Prints the summary and flushes.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// ANSI styles, or none.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Style {
    /// Whether to emit colour escapes.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str, out: &mut String) {
        if self.color {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
            out.push_str(text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(text);
        }
    }
}
