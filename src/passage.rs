//! Stage 6 of `index`: article → passages.
//!
//! Input: a [`Cleaned`] article (paragraphs with source lines). Output:
//! paragraph-sized [`Passage`]s, in order, that never overlap: short
//! neighbouring paragraphs are joined, long ones are cut at sentence ends.
//! Each passage keeps the source lines of the paragraphs it covers. This stage
//! cannot fail; an article without text has no passages.

use crate::model::{Block, Cleaned, LineSpan, Passage, Span};

/// Passage sizes, in bytes of clean text.
#[derive(Clone, Copy, Debug)]
pub struct PassageConfig {
    /// A paragraph shorter than this is joined with the next one.
    pub min_bytes: usize,
    /// Passages longer than this are cut at sentence ends (a single sentence
    /// longer than this stays whole, unless it exceeds `hard_max_bytes`).
    pub max_bytes: usize,
    /// No passage is ever longer than this; past it, text is cut at a word boundary.
    pub hard_max_bytes: usize,
}

impl Default for PassageConfig {
    fn default() -> PassageConfig {
        PassageConfig { min_bytes: 160, max_bytes: 1200, hard_max_bytes: 4000 }
    }
}

/// Splits an article into passages.
pub fn split(cleaned: &Cleaned, config: &PassageConfig) -> Vec<Passage> {
    let text = cleaned.text.as_str();
    let mut pieces: Vec<(Span, LineSpan)> = Vec::new();
    for block in &cleaned.blocks {
        cut_block(text, block, config, &mut pieces);
    }
    // Join short neighbours: a one-line paragraph is too little context alone.
    let mut joined: Vec<(Span, LineSpan)> = Vec::with_capacity(pieces.len());
    for (span, lines) in pieces {
        if let Some(last) = joined.last_mut() {
            let last_len = last.0.end - last.0.start;
            let len = span.end - span.start;
            if (last_len < config.min_bytes || len < config.min_bytes / 2)
                && span.end - last.0.start <= config.max_bytes
            {
                last.0.end = span.end;
                last.1 = last.1.union(lines);
                continue;
            }
        }
        joined.push((span, lines));
    }
    joined
        .into_iter()
        .enumerate()
        .map(|(i, (span, lines))| Passage { ordinal: i as u32, span, lines })
        .collect()
}

/// Cuts one paragraph into pieces of at most `max_bytes`, at sentence ends.
fn cut_block(text: &str, block: &Block, config: &PassageConfig, out: &mut Vec<(Span, LineSpan)>) {
    let Span { start, end } = block.span;
    if end - start <= config.max_bytes {
        out.push((block.span, block.lines));
        return;
    }
    let paragraph = &text[start..end];
    let mut piece_start = 0;
    let mut last_cut = 0;
    for cut in sentence_ends(paragraph) {
        if cut - piece_start > config.max_bytes && last_cut > piece_start {
            push_piece(paragraph, start, piece_start, last_cut, block.lines, config, out);
            piece_start = skip_space(paragraph, last_cut);
        }
        last_cut = cut;
    }
    push_piece(paragraph, start, piece_start, paragraph.len(), block.lines, config, out);
}

/// Pushes `paragraph[from..to]`, cutting it at word boundaries if it is over the hard maximum.
fn push_piece(
    paragraph: &str,
    base: usize,
    mut from: usize,
    to: usize,
    lines: LineSpan,
    config: &PassageConfig,
    out: &mut Vec<(Span, LineSpan)>,
) {
    while to - from > config.hard_max_bytes {
        let mut cut = from + config.hard_max_bytes;
        while !paragraph.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(space) = paragraph[from..cut].rfind(char::is_whitespace)
            && space > 0
        {
            cut = from + space;
        }
        out.push((Span { start: base + from, end: base + cut }, lines));
        from = skip_space(paragraph, cut);
    }
    let piece = paragraph[from..to].trim_end();
    if !piece.is_empty() {
        out.push((Span { start: base + from, end: base + from + piece.len() }, lines));
    }
}

fn skip_space(text: &str, at: usize) -> usize {
    at + text[at..].len() - text[at..].trim_start().len()
}

/// Byte offsets just past each sentence end: `.`, `!`, `?` or `…` (with closing
/// quotes or brackets) followed by white space and a capital, digit or quote.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')' | '»' | ']') {
                j += 1;
            }
            if j < chars.len() && chars[j].1.is_whitespace() {
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                if k < chars.len() {
                    let next = chars[k].1;
                    if next.is_uppercase()
                        || next.is_numeric()
                        || matches!(next, '"' | '“' | '«' | '\'' | '‘' | '(')
                    {
                        ends.push(chars[j].0);
                    }
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    ends.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(paragraphs: &[&str]) -> Cleaned {
        let mut cleaned = Cleaned::default();
        for (i, p) in paragraphs.iter().enumerate() {
            cleaned.push_block(p, LineSpan::one(i as u32 * 2 + 1));
        }
        cleaned
    }

    fn texts<'a>(cleaned: &'a Cleaned, passages: &[Passage]) -> Vec<&'a str> {
        passages.iter().map(|p| &cleaned.text[p.span.start..p.span.end]).collect()
    }

    #[test]
    fn paragraphs_become_passages() {
        let long = "A sentence that is long enough to stand alone as a passage of its own. ".repeat(3);
        let doc = cleaned(&[long.trim(), long.trim()]);
        let passages = split(&doc, &PassageConfig::default());
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[1].lines, LineSpan::one(3));
        assert_eq!(passages[1].ordinal, 1);
    }

    #[test]
    fn short_paragraphs_are_joined() {
        let doc = cleaned(&["Short one.", "Short two.", "Short three."]);
        let passages = split(&doc, &PassageConfig::default());
        assert_eq!(texts(&doc, &passages), ["Short one.\n\nShort two.\n\nShort three."]);
        assert_eq!(passages[0].lines, LineSpan { start: 1, end: 5 });
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence = "Amazon said on Tuesday that it would cut fourteen thousand roles. ";
        let doc = cleaned(&[sentence.repeat(40).trim()]);
        let config = PassageConfig::default();
        let passages = split(&doc, &config);
        assert!(passages.len() > 1);
        for text in texts(&doc, &passages) {
            assert!(text.len() <= config.max_bytes, "{}", text.len());
            assert!(text.starts_with("Amazon") && text.ends_with("roles."), "{text:?}");
        }
    }

    #[test]
    fn passages_are_ordered_and_disjoint_and_never_empty() {
        let words = "word ".repeat(3000);
        let doc = cleaned(&["Tiny.", words.trim(), "Mr. Smith went to Washington. He met Dr. Jones.", "Ж"]);
        let passages = split(&doc, &PassageConfig::default());
        let mut at = 0;
        for p in &passages {
            assert!(p.span.start >= at && p.span.end > p.span.start);
            assert!(p.span.end - p.span.start <= PassageConfig::default().hard_max_bytes);
            at = p.span.end;
        }
    }

    #[test]
    fn no_text_no_passages() {
        assert!(split(&Cleaned::default(), &PassageConfig::default()).is_empty());
    }
}
