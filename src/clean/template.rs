//! Corpus-level template learning: a line that recurs across many pages of one
//! site is boilerplate.
//!
//! Input: every page of a corpus with its site key (the URL host, or the
//! file's folder when there is no URL), fed to a [`Learner`] by a first pass
//! of `lede index`. Learners are mergeable, so each rayon worker can feed its
//! own and the results are [`Learner::merge`]d. Output: [`Templates`], per
//! site the number of distinct pages that hold each normalised line; a line is
//! template ([`SiteTemplate::contains`]) when it recurs in enough of them.
//! This stage cannot fail and never panics on any input.
//!
//! Decisions, in the order a page meets them:
//!
//! - **What a line is.** For a text page, each source line. For HTML (a page
//!   whose first non-blank character is `<` and that has an HTML tag near the
//!   top), the visible text between block-level tags (`<p>`, `<div>`, `<li>`,
//!   `<br>`, headings, table cells, ...); script, style and comments are
//!   skipped, so pretty-printed and minified sources give the same lines and
//!   markup-only lines count for nothing. The HTML cleaner asks about the text
//!   of a block, which is the same thing; [`page_lines`] gives a page's lines
//!   as the learner counts them.
//! - **Normalisation** ([`normalise`]): whitespace folded, lower-cased, every
//!   run of digits masked to `0` (`Updated 12:03` and `Updated 09:41` are one
//!   line). Lines without a letter or digit, and lines longer than
//!   [`MAX_LINE_CHARS`], are not counted. A normalised line is stored as a
//!   64-bit FNV-1a hash: stable across runs and compiler versions, so a
//!   persisted index keeps working.
//! - **Duplicates.** A line counts once per page, and an exact duplicate of a
//!   page already seen on the site (the same counted lines, digits included,
//!   whitespace and case aside; hashed from the lines' keys, not from the
//!   source again) counts not at all, so syndicated copies do not look like a
//!   template. Within one learner
//!   this is exact. When two learners that both saw a page are merged, the
//!   page was counted twice: the merge records how many such double counts it
//!   made, and the test subtracts them from every line's count, which keeps
//!   counts lower bounds.
//! - **Evidence.** A site with fewer than [`MIN_SITE_PAGES`] distinct pages
//!   learns nothing. Otherwise a line is template when it recurs in at least
//!   `max(3, share × pages)` pages, where the share is [`SHORT_LINE_SHARE`] for
//!   lines of up to [`SHORT_LINE_WORDS`] words and the stricter
//!   [`LONG_LINE_SHARE`] for longer ones: menus, bylines and footers are short,
//!   while a long line that recurs is more likely a quote repeated across a
//!   story series.
//! - **Sampling.** A folder's files are one site when they carry no URL, and
//!   a thousand of its pages show its template as well as all of them:
//!   [`learning_sample`] keeps at most [`LEARN_FILES_PER_FOLDER`] files per
//!   folder, evenly spread in path order, so that pass 1 over a folder of
//!   millions of pages costs what a thousand cost. An incremental run learns
//!   from a sample of the new files on top of the counts kept.
//! - **Memory.** Counts are kept with lossy counting per site: every
//!   [`BUCKET_PAGES`] pages, lines whose count cannot reach one page in
//!   [`BUCKET_PAGES`] are dropped, so a site holds its recurring lines plus at
//!   most about a bucket's worth of singletons. A dropped line's count
//!   restarts from zero if it comes back, which again only under-counts.
//!   Page hashes (8 bytes a page) are kept so that incremental runs still
//!   recognise duplicates.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::hash::{FNV_OFFSET, fnv1a_byte, fnv1a_from};

/// Sites with fewer distinct pages than this learn nothing.
pub const MIN_SITE_PAGES: u32 = 5;
/// A line must recur in at least this many distinct pages to be template.
pub const MIN_LINE_PAGES: u32 = 3;
/// Lines of at most this many words use [`SHORT_LINE_SHARE`].
pub const SHORT_LINE_WORDS: usize = 12;
/// Share of a site's pages a short line must recur in.
pub const SHORT_LINE_SHARE: f64 = 0.05;
/// Share of a site's pages a long line must recur in.
pub const LONG_LINE_SHARE: f64 = 0.25;
/// Pages per lossy-counting bucket (the counting error is at most one page in this many).
pub const BUCKET_PAGES: u32 = 64;
/// Longer lines (in characters, after normalisation) are not counted.
pub const MAX_LINE_CHARS: usize = 1000;
/// Pass 1 reads at most this many files of one folder ([`learning_sample`]).
pub const LEARN_FILES_PER_FOLDER: usize = 1000;

/// How often one normalised line was seen on one site.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, Serialize, Deserialize)]
struct LineCount {
    /// Distinct pages that held the line (a lower bound).
    pages: u32,
    /// Lossy-counting error bound: how many pages may have held the line
    /// before it was (re)inserted.
    delta: u32,
    /// More than [`SHORT_LINE_WORDS`] words.
    long: bool,
}

/// What was learned about one site: line counts over its distinct pages.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SiteTemplate {
    /// Distinct pages observed.
    pages: u32,
    /// Pages counted twice because two merged learners both saw them.
    overcount: u32,
    /// Hashes of the pages observed (exact-duplicate detection).
    page_hashes: HashSet<u64>,
    /// Hash of a normalised line → its count.
    lines: HashMap<u64, LineCount>,
}

impl SiteTemplate {
    /// True when `line` (raw text; it is normalised here) recurs in enough of
    /// the site's distinct pages to be template.
    pub fn contains(&self, line: &str) -> bool {
        if self.pages < MIN_SITE_PAGES {
            return false;
        }
        let Some((key, _)) = line_key(line) else { return false };
        self.lines.get(&key).is_some_and(|count| {
            count.pages.saturating_sub(self.overcount) >= self.threshold(count.long)
        })
    }

    /// Alias of [`SiteTemplate::contains`].
    pub fn is_boilerplate(&self, line: &str) -> bool {
        self.contains(line)
    }

    /// Distinct pages the site was learned from.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// How many distinct lines are template now.
    pub fn template_lines(&self) -> usize {
        if self.pages < MIN_SITE_PAGES {
            return 0;
        }
        self.lines
            .values()
            .filter(|c| c.pages.saturating_sub(self.overcount) >= self.threshold(c.long))
            .count()
    }

    fn threshold(&self, long: bool) -> u32 {
        let share = if long { LONG_LINE_SHARE } else { SHORT_LINE_SHARE };
        let needed = (f64::from(self.pages) * share).ceil() as u32;
        needed.max(MIN_LINE_PAGES)
    }

    fn observe(&mut self, keys: &[(u64, bool)], page_hash: u64) {
        if keys.is_empty() || !self.page_hashes.insert(page_hash) {
            return;
        }
        self.pages = self.pages.saturating_add(1);
        let bucket = self.pages.div_ceil(BUCKET_PAGES);
        for &(key, long) in keys {
            let count = self.lines.entry(key).or_insert(LineCount {
                pages: 0,
                delta: bucket.saturating_sub(1),
                long,
            });
            count.pages = count.pages.saturating_add(1);
        }
        if self.pages.is_multiple_of(BUCKET_PAGES) {
            self.prune();
        }
    }

    /// Drops the lines whose count plus error bound is within the current
    /// bucket: they cannot have been seen in one page of [`BUCKET_PAGES`].
    fn prune(&mut self) {
        let bucket = self.pages / BUCKET_PAGES;
        self.lines.retain(|_, c| c.pages.saturating_add(c.delta) > bucket);
    }

    fn merge(&mut self, other: SiteTemplate) {
        let shared = other.page_hashes.iter().filter(|h| self.page_hashes.contains(h)).count();
        let shared = u32::try_from(shared).unwrap_or(u32::MAX);
        let (mine_bucket, other_bucket) =
            (self.pages.div_ceil(BUCKET_PAGES), other.pages.div_ceil(BUCKET_PAGES));
        for count in self.lines.values_mut() {
            // Absent from `other`: it may have been pruned there.
            count.delta = count.delta.saturating_add(other_bucket);
        }
        for (key, theirs) in other.lines {
            match self.lines.get_mut(&key) {
                Some(mine) => {
                    mine.pages = mine.pages.saturating_add(theirs.pages);
                    // Undo the bound added above, then add theirs.
                    mine.delta =
                        mine.delta.saturating_sub(other_bucket).saturating_add(theirs.delta);
                }
                None => {
                    let delta = theirs.delta.saturating_add(mine_bucket);
                    self.lines.insert(key, LineCount { delta, ..theirs });
                }
            }
        }
        self.page_hashes.extend(other.page_hashes);
        self.pages = u32::try_from(self.page_hashes.len()).unwrap_or(u32::MAX);
        self.overcount = self.overcount.saturating_add(other.overcount).saturating_add(shared);
        self.prune();
    }
}

/// Collects line counts per site from pages. Feed one per worker and merge.
#[derive(Clone, Debug, Default)]
pub struct Learner {
    sites: HashMap<String, SiteTemplate>,
}

impl Learner {
    /// An empty learner.
    pub fn new() -> Learner {
        Learner::default()
    }

    /// Counts the lines of one page of `site`: a text page as it is, an HTML
    /// page by the visible text of its blocks (see the module docs).
    pub fn observe(&mut self, site: &str, page_text: &str) {
        let mut keys: Vec<(u64, bool)> = Vec::new();
        let mut page_hash = FNV_OFFSET;
        let mut push = |line: &str| {
            if let Some((key, long, digits)) = line_hashes(line) {
                keys.push((key, long));
                page_hash = fnv1a_from(page_hash, &key.to_le_bytes());
                page_hash = fnv1a_from(page_hash, &digits.to_le_bytes());
            }
        };
        if looks_like_html(page_text) {
            for_each_html_line(page_text, &mut push);
        } else {
            page_text.lines().for_each(&mut push);
        }
        keys.sort_unstable();
        keys.dedup_by_key(|(key, _)| *key);
        match self.sites.get_mut(site) {
            Some(counts) => counts.observe(&keys, page_hash),
            None if keys.is_empty() => {}
            None => {
                let mut counts = SiteTemplate::default();
                counts.observe(&keys, page_hash);
                self.sites.insert(site.to_owned(), counts);
            }
        }
    }

    /// Adds what `other` learned (another worker's learner) to this one.
    pub fn merge(&mut self, other: Learner) {
        for (site, theirs) in other.sites {
            match self.sites.get_mut(&site) {
                Some(mine) => mine.merge(theirs),
                None => {
                    self.sites.insert(site, theirs);
                }
            }
        }
    }

    /// Distinct pages observed so far, all sites together.
    pub fn pages(&self) -> u64 {
        self.sites.values().map(|s| u64::from(s.pages)).sum()
    }

    /// The learned templates. Counts are kept, so that an incremental run can
    /// go on learning from them ([`Templates::into_learner`]).
    pub fn finish(self) -> Templates {
        Templates { sites: self.sites }
    }
}

/// What was learned about every site of a corpus. Persisted inside the index.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Templates {
    sites: HashMap<String, SiteTemplate>,
}

impl Templates {
    /// The template of one site (host, or folder when there is no URL);
    /// `None` when the site had too few pages to learn from.
    pub fn site(&self, key: &str) -> Option<&SiteTemplate> {
        self.sites.get(key).filter(|site| site.pages >= MIN_SITE_PAGES)
    }

    /// Number of sites seen (learned from or not).
    pub fn sites(&self) -> usize {
        self.sites.len()
    }

    /// A learner that continues from these counts, for an incremental run:
    /// observe the new and changed pages, then [`Learner::finish`] again.
    /// Pages already seen are recognised by their hash and not counted twice.
    pub fn into_learner(self) -> Learner {
        Learner { sites: self.sites }
    }
}

/// The lines of a page as the learner counts them: the source lines of a
/// text page, the visible text of each block of an HTML page (see the module
/// docs). Lines without text are left out.
pub fn page_lines(page: &str) -> Vec<String> {
    if looks_like_html(page) {
        let mut lines = Vec::new();
        for_each_html_line(page, |line| lines.push(line.to_owned()));
        lines
    } else {
        // A line normalises to nothing exactly when it has no letter or digit.
        page.lines().filter(|l| l.chars().any(char::is_alphanumeric)).map(str::to_owned).collect()
    }
}

/// The files pass 1 reads: at most [`LEARN_FILES_PER_FOLDER`] of each
/// folder, evenly spread over the folder's files in the order given (see the
/// module docs). Deterministic: the same list gives the same sample.
pub fn learning_sample<'a>(files: &[&'a Path]) -> Vec<&'a Path> {
    let mut per_folder: HashMap<&Path, (usize, usize)> = HashMap::new();
    for file in files {
        per_folder.entry(file.parent().unwrap_or(Path::new(""))).or_default().0 += 1;
    }
    let cap = LEARN_FILES_PER_FOLDER;
    files
        .iter()
        .filter(|file| {
            let Some((total, seen)) = per_folder.get_mut(file.parent().unwrap_or(Path::new("")))
            else {
                return true;
            };
            let i = *seen;
            *seen += 1;
            // The i-th of `total` files is picked when it starts a new one of
            // `cap` equal slices: exactly `cap` picks, evenly spread.
            *total <= cap || i == 0 || (i * cap) / *total != ((i - 1) * cap) / *total
        })
        .copied()
        .collect()
}

/// A line as the template compares it: lower-cased, whitespace folded, each
/// run of digits replaced by one `0`. Empty when the line has no letter or digit.
pub fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut alnum = false;
    let mut in_digits = false;
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_numeric() {
                if !in_digits {
                    out.push('0');
                }
                in_digits = true;
                alnum = true;
                continue;
            }
            in_digits = false;
            alnum |= c.is_alphanumeric();
            out.extend(c.to_lowercase());
        }
        in_digits = false;
    }
    if alnum { out } else { String::new() }
}

/// The hash of a line's normalised form and whether it is long; `None` for
/// lines that are not counted. The same as hashing [`normalise`]'s string,
/// computed as the line is read, without building the string: the cleaner
/// asks this of every line of every page.
fn line_key(line: &str) -> Option<(u64, bool)> {
    line_hashes(line).map(|(key, long, _)| (key, long))
}

/// [`line_key`], and a hash of the line's digits (which the key masks), so
/// that pages that differ only in their numbers are still different pages.
fn line_hashes(line: &str) -> Option<(u64, bool, u64)> {
    let mut hash = FNV_OFFSET;
    let mut digits = FNV_OFFSET;
    let mut chars = 0usize;
    let mut words = 0usize;
    let mut alnum = false;
    let mut utf8 = [0u8; 4];
    for word in line.split_whitespace() {
        if words > 0 {
            hash = fnv1a_byte(hash, b' ');
            chars += 1;
        }
        words += 1;
        let mut in_digits = false;
        for c in word.chars() {
            if c.is_numeric() {
                if !in_digits {
                    hash = fnv1a_byte(hash, b'0');
                    digits = fnv1a_byte(digits, b' ');
                    chars += 1;
                }
                digits = fnv1a_from(digits, c.encode_utf8(&mut utf8).as_bytes());
                in_digits = true;
                alnum = true;
                continue;
            }
            in_digits = false;
            if c.is_ascii() {
                alnum |= c.is_ascii_alphanumeric();
                hash = fnv1a_byte(hash, c.to_ascii_lowercase() as u8);
                chars += 1;
            } else {
                alnum |= c.is_alphanumeric();
                for lower in c.to_lowercase() {
                    hash = fnv1a_from(hash, lower.encode_utf8(&mut utf8).as_bytes());
                    chars += 1;
                }
            }
        }
        if chars > MAX_LINE_CHARS {
            return None;
        }
    }
    if !alnum {
        return None;
    }
    Some((hash, words > SHORT_LINE_WORDS, digits))
}

/// True when the page is HTML source rather than flattened text.
fn looks_like_html(page: &str) -> bool {
    let start = page.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !start.starts_with('<') {
        return false;
    }
    let head: String = start.chars().take(2048).collect::<String>().to_ascii_lowercase();
    ["<!doctype", "<html", "<head", "<body", "<div", "<p>", "<p ", "<meta", "<title"]
        .iter()
        .any(|tag| head.contains(tag))
}

/// What a tag means to the line scanner.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum TagKind {
    /// Ends a line of visible text (`<p>`, `<div>`, `<li>`, `<br>`, headings, cells, ...).
    Block,
    /// Its content is not visible text (script, style, template, svg).
    Hidden,
    /// Inline: the text flows on.
    Inline,
}

/// Classifies a tag by its name, in any case.
fn tag_kind(name: &str) -> TagKind {
    let mut lower = [0u8; 10];
    let Some(buf) = lower.get_mut(..name.len()) else { return TagKind::Inline };
    buf.copy_from_slice(name.as_bytes());
    buf.make_ascii_lowercase();
    match &*buf {
        b"script" | b"style" | b"template" | b"svg" => TagKind::Hidden,
        b"address" | b"article" | b"aside" | b"blockquote" | b"body" | b"br" | b"button"
        | b"caption" | b"dd" | b"div" | b"dl" | b"dt" | b"fieldset" | b"figcaption" | b"figure"
        | b"footer" | b"form" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"head"
        | b"header" | b"hr" | b"html" | b"iframe" | b"img" | b"input" | b"label" | b"legend"
        | b"li" | b"main" | b"nav" | b"noscript" | b"ol" | b"option" | b"p" | b"pre"
        | b"section" | b"select" | b"summary" | b"table" | b"tbody" | b"td" | b"textarea"
        | b"tfoot" | b"th" | b"thead" | b"title" | b"tr" | b"ul" => TagKind::Block,
        _ => TagKind::Inline,
    }
}

/// Calls `line` with the visible text of each block of an HTML source, in
/// order (see the module docs). A tolerant scanner, not a parser: it only
/// has to cut text where a browser would start a new block. The text is
/// built in one reused buffer: no allocation per line.
fn for_each_html_line(html: &str, mut line: impl FnMut(&str)) {
    let mut current = String::new();
    let mut decoded = String::new();
    let mut flush = |current: &mut String| {
        let text = current.trim();
        if text.contains('&') {
            decode_entities(text, &mut decoded);
            if !decoded.trim().is_empty() {
                line(&decoded);
            }
        } else if !text.is_empty() {
            line(text);
        }
        current.clear();
    };
    let mut rest = html;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        current.push_str(&rest[..lt]);
        current.push(' ');
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest =
                memchr::memmem::find(after.as_bytes(), b"-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', rest.as_bytes()) else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let bare = tag.trim_start_matches('/');
        let name = bare.get(..bare.bytes().take_while(u8::is_ascii_alphanumeric).count());
        let name = name.unwrap_or("");
        match tag_kind(name) {
            TagKind::Hidden if !tag.starts_with('/') && !tag.ends_with('/') => {
                flush(&mut current);
                rest = find_close_tag(rest, name).map_or("", |end| &rest[end..]);
            }
            TagKind::Hidden | TagKind::Block => flush(&mut current),
            TagKind::Inline => {}
        }
    }
    current.push_str(rest);
    flush(&mut current);
}

/// Where the first `</name` (any case) starts in `html`. Scans from `<` to
/// `<` in place: copying and lower-casing the rest of the page at every
/// script made learning quadratic on script-heavy pages.
fn find_close_tag(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes.get(from..).and_then(|b| b.iter().position(|&c| c == b'<')) {
        let at = from + offset;
        let after = at + 1;
        let closes = bytes.get(after) == Some(&b'/')
            && bytes
                .get(after + 1..after + 1 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if closes {
            return Some(at);
        }
        from = after;
    }
    None
}

/// The few entities that matter for comparing lines, and what they stand for.
const ENTITIES: &[(&str, &str)] = &[
    ("&nbsp;", " "),
    ("&#160;", " "),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&apos;", "'"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&copy;", "©"),
    ("&amp;", "&"),
];

/// Decodes the few entities that matter for comparing lines into `out`, in
/// one pass (decoded text is not scanned again: `&amp;lt;` gives `&lt;`).
fn decode_entities(text: &str, out: &mut String) {
    out.clear();
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, value)) => {
                out.push_str(value);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MENU: &str = "Home | World | Business | Sport";
    const FOOTER: &str = "© 2025 Example Media. All rights reserved.";

    fn story(i: usize) -> String {
        format!(
            "{MENU}\nUpdated {h:02}:{m:02}\nStory number {i} about the harbour\n\
             The council met on day {i} and voted on the harbour plan, officials said.\n\
             Residents number {n} in the district.\n{FOOTER}\n",
            h = i % 24,
            m = (i * 7) % 60,
            n = 1000 + i,
        )
    }

    const SYNDICATED: &str = "Wire story: the central bank raised rates\n\
        The central bank raised its main rate by a quarter point on Tuesday, citing inflation.\n\
        Analysts had expected the move.";

    fn mini_site() -> Learner {
        let mut learner = Learner::new();
        for i in 0..10 {
            learner.observe("example.com", &story(i));
        }
        learner.observe("example.com", SYNDICATED);
        learner.observe("example.com", SYNDICATED);
        learner
    }

    #[test]
    fn menu_footer_and_masked_timestamps_are_template() {
        let templates = mini_site().finish();
        let site = templates.site("example.com").expect("a 10-page site learns");
        assert!(site.contains(MENU));
        assert!(site.contains(&format!("  {FOOTER} ")));
        assert!(site.contains("Updated 23:59"), "digits are masked");
        assert!(!site.contains("Story number 3 about the harbour extra"));
        assert_eq!(site.pages(), 11, "the syndicated copy counts once");
    }

    #[test]
    fn syndicated_copies_are_not_template() {
        let templates = mini_site().finish();
        let site = templates.site("example.com").expect("learned");
        assert!(!site.contains("Analysts had expected the move."));
        // Three copies of a story are still one page.
        let mut learner = mini_site();
        learner.observe("example.com", SYNDICATED);
        let templates = learner.finish();
        assert!(!templates.site("example.com").expect("learned").contains(SYNDICATED));
    }

    #[test]
    fn body_lines_that_vary_are_kept() {
        let templates = mini_site().finish();
        let site = templates.site("example.com").expect("learned");
        // Same shape, digits masked, but long lines need a quarter of the pages
        // and this one recurs in all ten stories: it is template. A line in
        // only two stories is not.
        assert!(
            site.contains(
                "The council met on day 99 and voted on the harbour plan, officials said."
            )
        );
        assert!(!site.contains("A quote repeated in two stories of the series."));
        assert_eq!(site.template_lines(), 6);
    }

    #[test]
    fn few_pages_learn_nothing() {
        let mut learner = Learner::new();
        for i in 0..4 {
            learner.observe("small.org", &story(i));
        }
        let templates = learner.finish();
        assert!(templates.site("small.org").is_none());
        assert_eq!(templates.sites(), 1);
    }

    #[test]
    fn sites_are_separate() {
        let mut learner = mini_site();
        learner.observe("other.net", &story(1));
        let templates = learner.finish();
        assert!(templates.site("other.net").is_none());
        assert!(templates.site("example.com").is_some_and(|s| s.contains(MENU)));
    }

    #[test]
    fn merged_learners_agree_with_one_learner() {
        let mut a = Learner::new();
        let mut b = Learner::new();
        for i in 0..10 {
            let learner = if i % 2 == 0 { &mut a } else { &mut b };
            learner.observe("example.com", &story(i));
        }
        // One syndicated copy seen by each worker: counted twice, then corrected.
        a.observe("example.com", SYNDICATED);
        b.observe("example.com", SYNDICATED);
        a.merge(b);
        assert_eq!(a.pages(), 11);
        let templates = a.finish();
        let site = templates.site("example.com").expect("learned");
        assert!(site.contains(MENU) && site.contains(FOOTER));
        assert!(!site.contains("Analysts had expected the move."));
    }

    #[test]
    fn incremental_learning_continues_and_skips_known_pages() {
        let templates = mini_site().finish();
        let json = serde_json::to_string(&templates).expect("serialises");
        let back: Templates = serde_json::from_str(&json).expect("deserialises");
        let mut learner = back.into_learner();
        learner.observe("example.com", &story(3)); // already seen
        learner.observe("example.com", &story(42)); // new
        let templates = learner.finish();
        assert_eq!(templates.site("example.com").map(SiteTemplate::pages), Some(12));
    }

    /// A number spelled with letters, so that digit masking keeps lines distinct.
    fn letters(mut n: usize) -> String {
        let mut out = String::new();
        loop {
            out.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                return out;
            }
        }
    }

    #[test]
    fn memory_is_bounded_by_pruning() {
        let mut learner = Learner::new();
        for i in 0..1000 {
            let page = format!("{MENU}\nunique {}\nanother {}", letters(2 * i), letters(2 * i + 1));
            learner.observe("big.com", &page);
        }
        let templates = learner.finish();
        let site = templates.site("big.com").expect("learned");
        assert!(site.contains(MENU));
        assert!(!site.contains("unique a"));
        assert!(
            site.lines.len() <= 2 * BUCKET_PAGES as usize + 1,
            "{} lines kept",
            site.lines.len()
        );
    }

    #[test]
    fn html_pages_count_visible_block_text() {
        let page = |i: usize| {
            format!(
                "<!DOCTYPE html><html><head><title>Story {i}</title><style>p {{ color: red }}</style></head>\n\
                 <body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/w\">World</a></li></ul></nav>\n\
                 <script>var x = \"<p>not text</p>\";</script><!-- <p>comment</p> -->\n\
                 <p>Body of story {i} is <b>unique</b> text number {i}{i}.</p>\n\
                 <footer>&copy; Example &amp; Co</footer></body></html>"
            )
        };
        let mut learner = Learner::new();
        for i in 0..8 {
            learner.observe("h.com", &page(i * 13));
        }
        let templates = learner.finish();
        let site = templates.site("h.com").expect("learned");
        assert!(site.contains("Home") && site.contains("World"));
        assert!(site.contains("© Example & Co"));
        assert!(site.contains("Story 5"), "titles differ only by digits");
        assert!(!site.contains("not text") && !site.contains("comment"));
        assert!(!site.contains("p { color: red }"));
        assert!(site.contains("Body of story 1 is unique text number 11."), "digit-masked");
    }

    #[test]
    fn learning_samples_large_folders_evenly() {
        let names: Vec<String> = (0..2500).map(|i| format!("big/{i:05}.txt")).collect();
        let mut files: Vec<&Path> = names.iter().map(Path::new).collect();
        files.push(Path::new("small/a.txt"));
        files.push(Path::new("small/b.txt"));
        let sample = learning_sample(&files);
        assert_eq!(sample.len(), LEARN_FILES_PER_FOLDER + 2);
        assert!(
            sample.contains(&Path::new("small/a.txt"))
                && sample.contains(&Path::new("small/b.txt"))
        );
        // Spread over the whole folder, not its first thousand files.
        let big: Vec<&&Path> = sample.iter().filter(|p| p.starts_with("big")).collect();
        assert!(big.first().is_some_and(|p| p.ends_with("00000.txt")));
        assert!(big.last().is_some_and(|p| p.to_str().is_some_and(|s| s >= "big/02497.txt")));
        assert_eq!(learning_sample(&files), sample, "deterministic");
        let few = &files[..10];
        assert_eq!(learning_sample(few), few.to_vec(), "small folders are read whole");
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise("  Updated\t12:03  GMT "), "updated 0:0 gmt");
        assert_eq!(normalise("Октябрь 2025"), "октябрь 0");
        assert_eq!(normalise(" | * — "), "");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn line_key_hashes_the_normalised_line() {
        let long = "word ".repeat(200);
        let edge = "x".repeat(MAX_LINE_CHARS);
        for line in [
            "  Updated\t12:03  GMT ",
            "Октябрь 2025 ΣΟΦΙΑ",
            "İstanbul ǅemal Straße",
            "a1b22 c333 4d",
            " | * — ",
            "",
            "one two three four five six seven eight nine ten eleven twelve",
            "one two three four five six seven eight nine ten eleven twelve thirteen",
            long.as_str(),
            edge.as_str(),
            &format!("{edge}İ"),
        ] {
            let norm = normalise(line);
            let reference =
                (!norm.is_empty() && norm.chars().count() <= MAX_LINE_CHARS).then(|| {
                    (
                        fnv1a_from(FNV_OFFSET, norm.as_bytes()),
                        norm.split(' ').count() > SHORT_LINE_WORDS,
                    )
                });
            assert_eq!(line_key(line), reference, "{line:?}");
        }
    }

    #[test]
    fn hidden_elements_end_at_their_closing_tag_in_any_case() {
        let lines = page_lines("<div>a</div><SCRIPT>x = '</p>'</Script ><p>b</p><style>c");
        assert_eq!(lines, ["a", "b"]);
        assert_eq!(find_close_tag("<a></b></SCRIPT>", "script"), Some(7));
        assert_eq!(find_close_tag("</scrip", "script"), None);
        assert_eq!(find_close_tag("é<", "style"), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut learner = Learner::new();
        for page in ["", "<", "<!--", "<p", "<script>", "<html><p>a</p", "\u{feff}<div>é</div>"] {
            learner.observe("x", page);
        }
        learner.observe("x", &"é".repeat(5000));
        let _ = learner.finish().site("x");
    }
}
