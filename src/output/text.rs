//! Hits for people: a `path:line` header with the title, site and date, then
//! the passage folded to one line (long passages shortened around the matched
//! words), matches in bold red on a terminal or `[bracketed]` without colour.

use std::io::{self, Write};

use super::{Printer, Style};
use crate::model::{Hit, Span, Summary};

/// Longest snippet shown, in bytes; longer passages are cut around the matches.
const SNIPPET_BYTES: usize = 360;

/// Prints hits for people.
pub struct TextPrinter<W> {
    wtr: W,
    style: Style,
    last_doc: Option<u64>,
}

impl<W: Write> TextPrinter<W> {
    /// A printer writing to `wtr`, with or without colour.
    pub fn new(wtr: W, style: Style) -> TextPrinter<W> {
        TextPrinter { wtr, style, last_doc: None }
    }
}

impl<W: Write> Printer for TextPrinter<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let mut out = String::new();
        if self.last_doc.is_some() {
            out.push('\n');
        }
        let location = format!("{}:{}", hit.path, hit.lines.start);
        self.style.paint("35", &location, &mut out);
        // Consecutive passages of one article share its title.
        if self.last_doc != Some(hit.doc) {
            if let Some(title) = &hit.title {
                out.push_str("  ");
                self.style.paint("1", &fold(title), &mut out);
            }
            let mut about = Vec::new();
            if let Some(site) = &hit.site {
                about.push(site.clone());
            }
            if let Some(date) = &hit.published {
                about.push(date.get(..10).unwrap_or(date).to_owned());
            }
            if !about.is_empty() {
                out.push_str("  ");
                self.style.paint("2", &about.join(" · "), &mut out);
            }
        }
        if hit.duplicates > 0 {
            let plural = if hit.duplicates == 1 { "copy" } else { "copies" };
            out.push_str("  ");
            self.style.paint("2", &format!("(+{} {plural})", hit.duplicates), &mut out);
        }
        out.push_str("\n    ");
        snippet(&hit.text, &hit.highlights, self.style, &mut out);
        out.push('\n');
        self.last_doc = Some(hit.doc);
        self.wtr.write_all(out.as_bytes())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.wtr.flush()
    }
}

/// White space folded to single spaces.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the part of `text` worth showing, matches marked, on one line.
fn snippet(text: &str, highlights: &[Span], style: Style, out: &mut String) {
    let (from, to) = window(text, highlights);
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for span in highlights.iter().filter(|s| s.start >= from && s.end <= to) {
        push_folded(&text[at..span.start], out);
        let word = &text[span.start..span.end];
        if style.color {
            style.paint("1;31", word, out);
        } else {
            out.push('[');
            out.push_str(word);
            out.push(']');
        }
        at = span.end;
    }
    push_folded(&text[at..to], out);
    if to < text.len() {
        out.push('…');
    }
}

fn push_folded(text: &str, out: &mut String) {
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = true;
        } else {
            if gap && !out.ends_with([' ', '…']) && !out.ends_with("    ") {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        }
    }
    if gap {
        out.push(' ');
    }
}

/// The byte range to show: the whole text when short, else about
/// [`SNIPPET_BYTES`] placed to hold as many distinct matched words, then
/// matches, as possible, starting a
/// little before the first of them, on word boundaries.
fn window(text: &str, highlights: &[Span]) -> (usize, usize) {
    if text.len() <= SNIPPET_BYTES {
        return (0, text.len());
    }
    let margin = SNIPPET_BYTES / 5;
    // The match to anchor on: the one whose window holds the most matches.
    let anchor = highlights
        .iter()
        .enumerate()
        .max_by_key(|(i, first)| {
            let held: Vec<&Span> = highlights[*i..]
                .iter()
                .take_while(|h| h.end <= first.start.saturating_sub(margin) + SNIPPET_BYTES)
                .collect();
            let distinct: std::collections::HashSet<String> =
                held.iter().map(|h| text[h.start..h.end].to_lowercase()).collect();
            (distinct.len(), held.len(), std::cmp::Reverse(*i))
        })
        .map_or(0, |(_, h)| h.start);
    let mut from = anchor.saturating_sub(margin);
    if from > 0 {
        while !text.is_char_boundary(from) {
            from += 1;
        }
        // Start at a word.
        if let Some(space) = text[from..anchor.max(from)].find(char::is_whitespace) {
            from += space + 1;
        }
    }
    let mut to = (from + SNIPPET_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    if to < text.len()
        && let Some(space) = text[from..to].rfind(char::is_whitespace)
        && space > SNIPPET_BYTES / 2
    {
        to = from + space;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LineSpan;

    fn hit(doc: u64, text: &str, highlights: Vec<Span>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            doc,
            path: "news/a.txt".into(),
            record: None,
            lines: LineSpan::one(4),
            url: None,
            site: Some("example.com".into()),
            title: Some("Amazon cuts\nroles".into()),
            published: Some("2025-10-28T00:00:00Z".into()),
            lang: None,
            passage: 0,
            text: text.into(),
            highlights,
            entities: vec![],
            figures: vec![],
            duplicates: 0,
        }
    }

    #[test]
    fn plain_output_brackets_matches() {
        let mut out = Vec::new();
        let mut printer = TextPrinter::new(&mut out, Style { color: false });
        printer.hit(&hit(1, "CEO Andy Jassy\nsaid so.", vec![Span { start: 9, end: 14 }])).unwrap();
        printer.hit(&hit(1, "Jassy again.", vec![Span { start: 0, end: 5 }])).unwrap();
        printer.finish(&Summary { returned: 2, matched: 2 }).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "news/a.txt:4  Amazon cuts roles  example.com · 2025-10-28\n    CEO Andy [Jassy] said so.\n\
             \nnews/a.txt:4\n    [Jassy] again.\n"
        );
    }

    #[test]
    fn colour_uses_escapes() {
        let mut out = Vec::new();
        let mut printer = TextPrinter::new(&mut out, Style { color: true });
        printer.hit(&hit(1, "Jassy", vec![Span { start: 0, end: 5 }])).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\x1b[1;31mJassy\x1b[0m"));
        assert!(!text.contains('['.to_string().as_str().repeat(2).as_str()));
    }

    #[test]
    fn long_passages_are_cut_around_the_match() {
        let text = format!("{} needle {}", "word ".repeat(200), "tail ".repeat(200));
        let at = text.find("needle").unwrap();
        let mut out = String::new();
        snippet(&text, &[Span { start: at, end: at + 6 }], Style { color: false }, &mut out);
        assert!(out.starts_with('…') && out.ends_with('…'));
        assert!(out.contains("[needle]"));
        assert!(out.len() <= SNIPPET_BYTES + 16);
    }

    #[test]
    fn the_window_holds_as_many_matches_as_it_can() {
        let text = format!("alpha {} beta {} beta gamma", "x ".repeat(200), "y ".repeat(40));
        let spans: Vec<Span> = ["alpha", "beta"]
            .iter()
            .flat_map(|w| {
                text.match_indices(w).map(|(at, m)| Span { start: at, end: at + m.len() })
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut out = String::new();
        snippet(&text, &spans, Style { color: false }, &mut out);
        assert_eq!(out.matches("[beta]").count(), 2, "{out}");
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let text = "Привет мир ".repeat(100);
        let mut out = String::new();
        snippet(&text, &[], Style { color: false }, &mut out);
        assert!(out.ends_with('…'));
    }
}
