//! Flattened text pages: a first line classifier.

use crate::model::{Cleaned, DropReason, Dropped, LineSpan};

use super::template::SiteTemplate;

/// Cleans a flattened text page line by line.
pub fn clean_text(text: &str, template: Option<&SiteTemplate>) -> Cleaned {
    let mut cleaned = Cleaned::default();
    let mut paragraph = String::new();
    let mut para_lines: Option<LineSpan> = None;
    for (i, raw) in text.lines().enumerate() {
        let number = i as u32 + 1;
        let line = raw.trim();
        let reason = classify(line, template);
        match reason {
            None => {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
                let span = LineSpan::one(number);
                para_lines = Some(para_lines.map_or(span, |p| p.union(span)));
                // One source line is one paragraph in flattened dumps.
                cleaned.push_block(&paragraph, para_lines.take().unwrap_or(span));
                paragraph.clear();
            }
            Some(DropReason::Empty) => {}
            Some(reason) => {
                if reason == DropReason::Hashtags {
                    for tag in line.split_whitespace().filter_map(|w| w.strip_prefix('#')) {
                        if !tag.is_empty() && !cleaned.tags.iter().any(|t| t == tag) {
                            cleaned.tags.push(tag.to_owned());
                        }
                    }
                }
                cleaned.dropped.push(Dropped {
                    lines: LineSpan::one(number),
                    text: line.to_owned(),
                    reason,
                });
            }
        }
    }
    cleaned
}

fn classify(line: &str, template: Option<&SiteTemplate>) -> Option<DropReason> {
    if line.is_empty() {
        return Some(DropReason::Empty);
    }
    if line.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || ".,:/-".contains(c)) {
        return Some(DropReason::Digits);
    }
    if line.starts_with("![") || line.starts_with('|') {
        return Some(DropReason::Image);
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.iter().all(|w| w.starts_with('#')) {
        return Some(DropReason::Hashtags);
    }
    let lower = line.to_lowercase();
    if lower.starts_with("(image credit") || lower.starts_with("image credit") {
        return Some(DropReason::Credit);
    }
    if template.is_some_and(|t| t.is_boilerplate(line)) {
        return Some(DropReason::Template);
    }
    if words.len() < 4 && !line.ends_with(['.', '!', '?', '"']) {
        return Some(DropReason::Short);
    }
    None
}
