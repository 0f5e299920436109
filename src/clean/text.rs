//! Flattened text pages: a line classifier.
//!
//! Input: the decoded text of one record that is not HTML: either a scraper's
//! dump of a page (the visible text, one block per line, with menus,
//! calendars, counters, captions, share bars and footers around the article)
//! or a plain article (title on the first line, then paragraphs, possibly
//! hard-wrapped, as in the BBC and Reuters collections), and what the corpus
//! pass learned about the page's site, if anything. Output: a [`Cleaned`]
//! with the title, the body (one block per kept paragraph, with its source
//! lines), the hashtags as tags, the language, a date found in a dateline, and
//! every dropped line with its [`DropReason`]. Blank lines are separators, not
//! content, and are not reported as dropped. This stage cannot fail: odd
//! input gives less text, never a panic.
//!
//! How it decides, in order:
//!
//! 1. **Units.** Consecutive non-blank lines are joined into one unit when
//!    they are hard-wrapped prose: the document's long lines are short
//!    (a wrap width of at most [`MAX_WRAP_WIDTH`] characters) and a line is
//!    nearly full or the next one continues it in lower case, unless the next
//!    line is indented (a new paragraph) or either is a table row. In a
//!    document of long lines only a lower-case continuation joins. Otherwise
//!    each line is a unit.
//! 2. **Features** of each unit: words, letters and their script, sentence
//!    punctuation, stopword hits per language (small lists for en, ru, de,
//!    fr, es, it, pt and nl below), title case, domain names, date words,
//!    table layout.
//! 3. **Signals that hold anywhere:** image placeholders, one-cell pipe rows
//!    (captions), credit lines, hashtag lines, copyright and legal lines,
//!    cookie and paywall notices, "read more"/"subscribe"/share calls,
//!    related-news and comments headings (short lines only, phrase lists in
//!    the languages above), digit-only lines (calendars, counters), datelines and bylines,
//!    and lines the site template knows.
//! 4. **Plain article or page dump.** A document with no sign of page chrome
//!    (no signal of step 3 other than datelines, digit lines, separators and
//!    template lines; no line in another script; no link line) whose first
//!    line reads as a headline, or that has at most one menu-like line before
//!    its first prose paragraph, is a plain article: every line is body
//!    except the title, separators and a lone closing word (a wire signoff).
//!    Its dateline stays in the body (its place names are news) and gives
//!    the date. Nothing of such an article is lost to a short-line rule.
//! 5. **Context, for page dumps.** Prose paragraphs (ten words or more ending
//!    a sentence, or long wrapped text, with stopwords of the article's
//!    language, in its dominant script) mark the body. Paragraphs separated
//!    by [`GAP_CHROME`] lines of chrome or more form separate blocks; the
//!    block with the most words is the article, and neighbouring blocks with
//!    at least a fifth of its words before it, a third after it, join it (an
//!    author's bio or comments below it do not: [`DropReason::OutsideMain`]). Between the first and
//!    the last paragraph of the article, a short line is body (a subheading,
//!    a one-line quote, a table row) unless it is one of three or more short
//!    unpunctuated or flagged lines in a row (a menu, a share bar), follows a
//!    related-news heading, is in another script, or is a link. A comments
//!    heading with most of the article above it ends the article: what
//!    follows is [`DropReason::Comments`].
//!    Before and after them, only prose survives, the run stopping at the
//!    first line of chrome (photos, credits, captions and datelines do not
//!    stop it); lines in the same blank-free block as a body paragraph stay
//!    with it when the document separates paragraphs by blank lines. A dump
//!    without any prose paragraph keeps every line of two or more words that
//!    no signal flags.
//! 6. **Title.** In a plain article, its first line when that reads as a
//!    headline (two or more words, no final period, comma or colon) and
//!    stands apart (a blank line, a dateline or a change from capitals
//!    follows). In a dump, among the eight headline-like lines (three words
//!    or more, two for the first line) nearest before the article, the one
//!    whose content words the article repeats most, the nearest on a tie or
//!    when none shares 30% of its words (captions, bylines and credits
//!    share few). Without one, the first caption of three or more words is
//!    the title; it stays dropped as a caption, since it is not part of the
//!    article's text.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::hash::{FastMap, FastSet};
use crate::model::{Cleaned, DropReason, Dropped, LineSpan};

use super::template::SiteTemplate;

/// Documents whose long lines are at most this long (in characters, 90th
/// percentile) are treated as hard-wrapped.
pub const MAX_WRAP_WIDTH: usize = 110;

/// Lines of chrome between two body paragraphs that put them in different
/// blocks of the page.
pub const GAP_CHROME: usize = 4;

/// How many headline-like lines before the body compete for the title.
const TITLE_WINDOW: usize = 8;

/// Dropped text is shortened to this many characters.
const DROPPED_CHARS: usize = 200;

/// Cleans a flattened text page line by line (see the module docs).
pub fn clean_text(text: &str, template: Option<&SiteTemplate>) -> Cleaned {
    let lines = split_lines(text);
    let units = group_units(&lines);
    let mut doc = Document::new(units, template);
    doc.classify();
    doc.into_cleaned()
}

/// One source line.
#[derive(Debug)]
struct Line<'a> {
    /// 1-based line number.
    number: u32,
    /// The line without surrounding whitespace.
    text: &'a str,
    /// Leading whitespace, in columns (a tab is four).
    indent: usize,
    /// Characters of `text`.
    chars: usize,
    /// Whitespace-separated tokens of `text`.
    tokens: usize,
    /// A row of a plain-text table ([`Shape::table`]).
    table: bool,
    /// Four letters or more, all of them capitals ([`all_caps`]).
    caps: bool,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim();
        let indent = raw
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let shape = Shape::of(trimmed);
        lines.push(Line {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text: trimmed,
            indent,
            chars: shape.chars,
            tokens: shape.tokens,
            table: shape.table(),
            caps: shape.caps(),
        });
    }
    lines
}

/// What one pass over a line's characters tells: its length, its tokens,
/// its column layout and its capitals. (Measured once per line: these were
/// four passes, two of them per neighbour in [`joins`].)
#[derive(Debug, Default)]
struct Shape {
    /// Characters.
    chars: usize,
    /// Whitespace-separated tokens.
    tokens: usize,
    /// Holds a tab.
    tab: bool,
    /// Holds a run of three spaces or more.
    wide_gap: bool,
    /// Runs of exactly two spaces before a character that is not one.
    gaps: usize,
    /// Holds an ASCII digit.
    digit: bool,
    /// Letters.
    letters: usize,
    /// Some letter is not a capital.
    lower: bool,
}

impl Shape {
    fn of(line: &str) -> Shape {
        if line.is_ascii() {
            return Shape::of_ascii(line.as_bytes());
        }
        let mut shape = Shape::default();
        let (mut run, mut in_token) = (0usize, false);
        for c in line.chars() {
            shape.chars += 1;
            if c.is_whitespace() {
                in_token = false;
            } else if !in_token {
                in_token = true;
                shape.tokens += 1;
            }
            if c == ' ' {
                run += 1;
                shape.wide_gap |= run >= 3;
                continue;
            }
            shape.gaps += usize::from(run == 2);
            run = 0;
            if c.is_ascii() {
                shape.tab |= c == '\t';
                shape.digit |= c.is_ascii_digit();
                if c.is_ascii_alphabetic() {
                    shape.letters += 1;
                    shape.lower |= !c.is_ascii_uppercase();
                }
            } else if c.is_alphabetic() {
                shape.letters += 1;
                shape.lower |= !c.is_uppercase();
            }
        }
        shape
    }

    /// [`Shape::of`] a line of ASCII, byte by byte.
    fn of_ascii(line: &[u8]) -> Shape {
        let mut shape = Shape { chars: line.len(), ..Shape::default() };
        let (mut run, mut in_token) = (0usize, false);
        for &b in line {
            // `char::is_whitespace` on ASCII: space, \t, \n, \x0B, \x0C, \r.
            if matches!(b, b' ' | b'\t'..=b'\r') {
                in_token = false;
            } else if !in_token {
                in_token = true;
                shape.tokens += 1;
            }
            if b == b' ' {
                run += 1;
                shape.wide_gap |= run >= 3;
                continue;
            }
            shape.gaps += usize::from(run == 2);
            run = 0;
            shape.tab |= b == b'\t';
            shape.digit |= b.is_ascii_digit();
            if b.is_ascii_alphabetic() {
                shape.letters += 1;
                shape.lower |= !b.is_ascii_uppercase();
            }
        }
        shape
    }

    /// A row of a plain-text table: at most 160 characters, cells separated
    /// by a tab, a run of three spaces, or two runs of two spaces between
    /// figures.
    fn table(&self) -> bool {
        self.chars <= 160 && (self.tab || self.wide_gap || self.gaps >= 2 && self.digit)
    }

    /// [`all_caps`] of the line, without another pass.
    fn caps(&self) -> bool {
        self.letters >= 4 && !self.lower
    }
}

/// A time of day such as `14:30` or `15:01:01.79`.
fn is_time(token: &str) -> bool {
    let mut parts = token.split(':');
    let hour = parts.next().and_then(|h| h.parse::<u32>().ok());
    let minute = parts.next().and_then(|m| m.get(..2)).and_then(|m| m.parse::<u32>().ok());
    matches!((hour, minute), (Some(h), Some(m)) if h < 24 && m < 60)
}

/// A paragraph candidate: one line or several hard-wrapped lines.
#[derive(Debug)]
struct Unit<'l> {
    /// Source lines covered.
    lines: LineSpan,
    /// The source lines of the unit, each trimmed.
    raw: &'l [Line<'l>],
    /// The text: lines joined by spaces (table rows stay one line); the
    /// line itself, not a copy, when the unit is one line.
    text: Cow<'l, str>,
    /// A blank line (or the start of the text) precedes the unit.
    blank_before: bool,
    /// Ordinal of the blank-free run of lines the unit is in.
    block: usize,
    /// More than one source line.
    wrapped: bool,
    /// Features of `text`.
    f: Features,
}

fn group_units<'l>(lines: &'l [Line<'l>]) -> Vec<Unit<'l>> {
    let width = wrap_width(lines);
    let mut units: Vec<Unit<'l>> = Vec::new();
    let mut blank_before = true;
    let mut block = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.text.is_empty() {
            blank_before = true;
            i += 1;
            continue;
        }
        let mut end = i;
        while end + 1 < lines.len() && joins(&lines[end], &lines[end + 1], width) {
            end += 1;
        }
        let raw = &lines[i..=end];
        let text = match raw {
            [one] => Cow::Borrowed(one.text),
            _ => Cow::Owned(join_wrapped(raw)),
        };
        if blank_before && !units.is_empty() {
            block += 1;
        }
        units.push(Unit {
            block,
            lines: LineSpan { start: line.number, end: lines[end].number },
            f: Features::of(&text, line.table && end == i),
            raw,
            text,
            blank_before,
            wrapped: end > i,
        });
        blank_before = false;
        i = end + 1;
    }
    units
}

/// The wrap width of a hard-wrapped document, `None` when its long lines are
/// not hard-wrapped.
fn wrap_width(lines: &[Line<'_>]) -> Option<usize> {
    let mut lengths: Vec<usize> =
        lines.iter().filter(|l| l.tokens >= 5 && !l.table).map(|l| l.chars).collect();
    if lengths.len() < 3 {
        return None;
    }
    lengths.sort_unstable();
    let p90 = lengths[(lengths.len() * 9 / 10).min(lengths.len() - 1)];
    let median = lengths[lengths.len() / 2];
    (p90 <= MAX_WRAP_WIDTH && median >= 25).then_some(p90)
}

/// Whether `next` continues the paragraph of `line`.
fn joins(line: &Line<'_>, next: &Line<'_>, width: Option<usize>) -> bool {
    if next.text.is_empty() || line.table || next.table || starts_marker(next.text) {
        return false;
    }
    if starts_marker(line.text) || line.tokens < 2 {
        return false;
    }
    let lower_next = next.text.chars().next().is_some_and(char::is_lowercase);
    if line.caps != next.caps || is_dateline(next.text) {
        // A headline in capitals, or a dateline, stands alone.
        return false;
    }
    match width {
        Some(width) => {
            if next.indent > line.indent {
                return false;
            }
            lower_next || (line.chars * 10 >= width * 6 && !is_terminal_short(line))
        }
        None => lower_next && line.tokens >= 3 && !ends_sentence(line.text),
    }
}

/// Letters, all of them capitals (a wire-service headline).
fn all_caps(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() >= 4 && letters.clone().all(char::is_uppercase)
}

/// A short line holding a full date or a time of day.
fn is_dateline(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        && text.split_whitespace().count() <= 14
        && (text.contains(':') && text.split_whitespace().any(is_time) || find_date(text).is_some())
}

/// `text` holds at least `n` ASCII digits in a row.
fn has_digit_run(text: &str, n: usize) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= n {
            return true;
        }
    }
    false
}

/// A short line that ends a sentence closes its paragraph even in wrapped text.
fn is_terminal_short(line: &Line<'_>) -> bool {
    line.tokens <= 3 && ends_sentence(line.text)
}

/// Lines that start with these are never part of wrapped prose.
fn starts_marker(text: &str) -> bool {
    text.starts_with("![") || text.starts_with('|') || text.starts_with('#')
}

fn join_wrapped(lines: &[Line<'_>]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for line in lines.iter().map(|l| l.text) {
        let soft_hyphen = out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase);
        if !out.is_empty() && !soft_hyphen {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Writing systems the classifier tells apart.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Cjk,
    Indic,
    Other,
}

impl Script {
    const ALL: [Script; 8] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Arabic,
        Script::Hebrew,
        Script::Cjk,
        Script::Indic,
        Script::Other,
    ];

    fn of(c: char) -> Script {
        match c as u32 {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
            0x590..=0x5FF => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F => Script::Arabic,
            0x900..=0xDFF => Script::Indic,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => Script::Cjk,
            _ => Script::Other,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Languages with stopword lists.
const LANGS: [&str; 8] = ["en", "ru", "de", "fr", "es", "it", "pt", "nl"];

/// Very common words per language, in [`LANGS`] order. Written for this
/// classifier: function words that prose is full of and menus lack.
const STOPWORDS: [&[&str]; 8] = [
    &[
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
        "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "that",
        "this", "these", "those", "it", "its", "he", "she", "they", "we", "you", "his", "her",
        "their", "our", "not", "will", "would", "can", "could", "said", "which", "who", "than",
        "there", "after", "about", "into", "also", "more", "what", "when", "if", "so", "all",
    ],
    &[
        "и",
        "в",
        "во",
        "не",
        "что",
        "он",
        "на",
        "я",
        "с",
        "со",
        "как",
        "а",
        "то",
        "все",
        "она",
        "так",
        "его",
        "но",
        "да",
        "к",
        "у",
        "же",
        "вы",
        "за",
        "бы",
        "по",
        "только",
        "ее",
        "её",
        "было",
        "вот",
        "от",
        "еще",
        "ещё",
        "нет",
        "о",
        "об",
        "из",
        "ему",
        "для",
        "при",
        "это",
        "этого",
        "был",
        "была",
        "были",
        "будет",
        "который",
        "которые",
        "которая",
        "также",
        "или",
        "их",
        "уже",
        "мы",
        "они",
        "том",
        "чтобы",
        "до",
        "если",
    ],
    &[
        "der", "die", "das", "und", "in", "zu", "den", "von", "mit", "ist", "im", "nicht", "sich",
        "des", "auf", "für", "ein", "eine", "einer", "einen", "dem", "als", "auch", "es", "an",
        "werden", "aus", "er", "hat", "dass", "sie", "nach", "wird", "bei", "um", "am", "sind",
        "noch", "wie", "über", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur",
        "bis", "mehr", "durch", "wurde", "kann",
    ],
    &[
        "le", "la", "les", "de", "des", "du", "un", "une", "et", "en", "est", "que", "qui", "dans",
        "pour", "pas", "sur", "au", "aux", "avec", "il", "elle", "ce", "cette", "ne", "se", "sont",
        "par", "plus", "été", "ont", "son", "sa", "ses", "leur", "mais", "ou", "comme", "nous",
        "vous", "ils", "on", "y", "l", "d", "qu", "n", "s",
    ],
    &[
        "el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "que", "es", "por", "con",
        "para", "no", "se", "al", "lo", "como", "más", "su", "sus", "pero", "o", "fue", "ha",
        "son", "este", "esta", "entre", "sobre", "también", "le", "ya", "muy", "sin", "desde",
        "hasta", "porque", "cuando", "hay",
    ],
    &[
        "il", "lo", "la", "i", "gli", "le", "di", "del", "della", "dei", "e", "che", "in", "un",
        "una", "per", "con", "non", "si", "da", "al", "alla", "è", "sono", "ha", "come", "ma",
        "anche", "più", "nel", "nella", "questo", "questa", "dopo", "essere", "stato",
    ],
    &[
        "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "que", "em", "um", "uma",
        "para", "com", "não", "se", "por", "no", "na", "nos", "ao", "é", "foi", "como", "mas",
        "mais", "seu", "sua", "ele", "ela", "também", "são", "ser", "está",
    ],
    &[
        "de", "het", "een", "en", "van", "in", "is", "op", "te", "dat", "die", "voor", "met",
        "zijn", "niet", "aan", "er", "om", "ook", "als", "bij", "door", "maar", "naar", "nog",
        "werd", "wordt", "heeft", "hij", "zij", "ze", "was", "worden", "uit", "over",
    ],
];

/// Longest stopword, in bytes: longer tokens are not looked up.
const MAX_STOPWORD_BYTES: usize = 16;

/// Stopword → bit set of the [`LANGS`] it belongs to.
static STOPWORD_INDEX: LazyLock<FastMap<&'static str, u8>> = LazyLock::new(|| {
    let mut index: FastMap<&'static str, u8> = FastMap::default();
    for (i, list) in STOPWORDS.iter().enumerate() {
        for word in *list {
            debug_assert!(word.len() <= MAX_STOPWORD_BYTES);
            *index.entry(word).or_default() |= 1 << i;
        }
    }
    index
});

/// The ASCII stopwords of up to eight bytes, packed lower-cased into a
/// `u64` (bytes in order, zero-padded: tokens hold no NUL) → bit set of
/// their [`LANGS`]. Most tokens of Latin-script text are looked up here,
/// without hashing their bytes one at a time.
static SHORT_STOPWORDS: LazyLock<FastMap<u64, u8>> = LazyLock::new(|| {
    let mut index: FastMap<u64, u8> = FastMap::default();
    for (&word, &langs) in STOPWORD_INDEX.iter() {
        if let Some(key) = pack_ascii(word) {
            index.insert(key, langs);
        }
    }
    index
});

/// `word` lower-cased and packed into a `u64`, when it is ASCII of at most
/// eight bytes.
fn pack_ascii(word: &str) -> Option<u64> {
    if !word.is_ascii() {
        return None;
    }
    let mut key = [0u8; 8];
    key.get_mut(..word.len())?.copy_from_slice(word.as_bytes());
    key.make_ascii_lowercase();
    Some(u64::from_le_bytes(key))
}

/// What the classifier measures on a unit.
#[derive(Clone, Debug, Default)]
struct Features {
    /// Tokens holding a letter or digit.
    words: usize,
    /// Tokens holding a letter.
    alpha_words: usize,
    /// Characters.
    chars: usize,
    /// Letters per [`Script`].
    letters: [usize; 8],
    /// Digits.
    digits: usize,
    /// Ends a sentence (`.`, `!`, `?`, `…`, possibly inside closing quotes).
    terminal: bool,
    /// Ends with a colon (introduces a quote or a list).
    colon: bool,
    /// Stopword hits per language in [`LANGS`] order.
    stops: [usize; 8],
    /// Every word with a letter starts with a capital.
    title_case: bool,
    /// Holds a URL, an address or a domain name.
    link: bool,
    /// Share of words that are dates, times, month or weekday names.
    date_share: f32,
    /// Laid out in columns.
    table: bool,
    /// Letters that are Han, kana or Hangul (words without spaces).
    cjk: usize,
}

impl Features {
    /// Measures `text` in one pass over its characters (tokens are the runs
    /// of letters and digits between them).
    fn of(text: &str, table: bool) -> Features {
        /// Tokens kept for the date words, which only matter on short lines.
        const DATE_TOKENS: usize = 15;
        let mut f = Features { table, ..Features::default() };
        let mut title_case = true;
        let mut lower = String::new();
        let mut first_tokens = [(0usize, 0usize, false); DATE_TOKENS];
        let mut token: Option<Token> = None;
        let mut chars = 0usize;
        let mut end_token = |f: &mut Features, token: Token, end: usize| {
            let Some(word) = text.get(token.start..end) else { return };
            if let Some(slot) = first_tokens.get_mut(f.words) {
                *slot = (token.start, end, token.letter);
            }
            f.words += 1;
            if token.letter {
                f.alpha_words += 1;
                if !token.first.is_uppercase() && token.first.is_alphabetic() {
                    title_case = false;
                }
            }
            if token.ascii && word.len() <= 8 {
                if let Some(&langs) = SHORT_STOPWORDS.get(&token.packed) {
                    f.add_stopword(langs);
                }
            } else {
                f.count_stopword(word, &mut lower);
            }
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            chars += 1;
            let start = at;
            let (c, letter, numeric) = if b.is_ascii() {
                at += 1;
                (char::from(b), b.is_ascii_alphabetic(), b.is_ascii_digit())
            } else {
                let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
                at += c.len_utf8();
                (c, c.is_alphabetic(), c.is_numeric())
            };
            if letter {
                let script = if b.is_ascii() { Script::Latin } else { Script::of(c) };
                f.letters[script.index()] += 1;
                if script == Script::Cjk {
                    f.cjk += 1;
                }
            } else if numeric {
                f.digits += 1;
            }
            if letter || numeric {
                let token = token.get_or_insert(Token {
                    start,
                    first: c,
                    letter: false,
                    ascii: true,
                    packed: 0,
                });
                token.letter |= letter;
                if b.is_ascii() {
                    // The first eight bytes, lower-cased, for the stopword look-up.
                    let shift = 8 * (start - token.start);
                    if shift < 64 {
                        token.packed |= u64::from(b.to_ascii_lowercase()) << shift;
                    }
                } else {
                    token.ascii = false;
                }
            } else if let Some(done) = token.take() {
                end_token(&mut f, done, start);
            }
        }
        if let Some(done) = token.take() {
            end_token(&mut f, done, text.len());
        }
        f.chars = chars;
        // Date words only matter on short lines.
        let mut date_words = 0usize;
        if f.words <= 14 {
            for &(start, end, letter) in first_tokens.iter().take(f.words) {
                let Some(token) = text.get(start..end) else { continue };
                let lower = lowered(token);
                if !letter || month_of(&lower).is_some() || is_date_word(&lower) {
                    date_words += 1;
                }
            }
        }
        f.title_case = title_case && f.alpha_words > 0;
        f.terminal = ends_sentence(text);
        f.colon = text.trim_end().ends_with(':');
        f.link = f.words <= 8 && text.split_whitespace().any(is_link_token);
        f.date_share = if f.words == 0 { 0.0 } else { date_words as f32 / f.words as f32 };
        f
    }

    /// Counts `word` (letters and digits) for the languages it is a stopword
    /// of. `lower` is scratch space for a non-ASCII word's lower case.
    fn count_stopword(&mut self, word: &str, lower: &mut String) {
        if word.len() > MAX_STOPWORD_BYTES {
            return;
        }
        if let Some(key) = pack_ascii(word) {
            if let Some(&langs) = SHORT_STOPWORDS.get(&key) {
                self.add_stopword(langs);
            }
            return;
        }
        let mut ascii = [0u8; MAX_STOPWORD_BYTES];
        let key = if word.is_ascii() {
            let Some(buffer) = ascii.get_mut(..word.len()) else { return };
            buffer.copy_from_slice(word.as_bytes());
            buffer.make_ascii_lowercase();
            std::str::from_utf8(buffer).unwrap_or("")
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            lower.as_str()
        };
        if let Some(&langs) = STOPWORD_INDEX.get(key) {
            self.add_stopword(langs);
        }
    }

    /// Counts a stopword of the languages in the bit set `langs`.
    fn add_stopword(&mut self, langs: u8) {
        for (i, hits) in self.stops.iter_mut().enumerate() {
            *hits += usize::from(langs >> i & 1);
        }
    }

    /// Words, counting two CJK characters as one word.
    fn eff_words(&self) -> usize {
        self.words + self.cjk / 2
    }

    fn total_letters(&self) -> usize {
        self.letters.iter().sum()
    }

    /// The script most of the letters are in.
    fn script(&self) -> Option<Script> {
        let (i, &n) = self.letters.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (n > 0).then(|| Script::ALL[i])
    }

    /// Share of the words that are stopwords of language `lang` (or of the
    /// best language when `lang` is `None`).
    fn stop_ratio(&self, lang: Option<usize>) -> f32 {
        if self.alpha_words == 0 {
            return 0.0;
        }
        let hits = match lang {
            Some(lang) => self.stops[lang],
            None => self.stops.iter().copied().max().unwrap_or(0),
        };
        hits as f32 / self.alpha_words as f32
    }
}

/// A token (a run of letters and digits) being read by [`Features::of`].
#[derive(Clone, Copy, Debug)]
struct Token {
    /// First byte.
    start: usize,
    /// First character.
    first: char,
    /// Holds a letter.
    letter: bool,
    /// Holds only ASCII.
    ascii: bool,
    /// Its first eight bytes lower-cased, packed as [`pack_ascii`] does.
    packed: u64,
}

/// Guesses the language of `text` (an article body) from its stopwords:
/// the ISO 639-1 code of the language (en, ru, de, fr, es, it, pt or nl)
/// with the most stopword hits, when there are enough of them (at least 5, and 1 word in 20), they
/// clearly beat the runner-up (shared words such as "de" or "in" count for
/// several languages), and the text's script fits (Cyrillic for Russian,
/// Latin for the others). `None` when unsure or for other languages.
pub fn guess_lang(text: &str) -> Option<&'static str> {
    let f = Features::of(text, false);
    let (best, &hits) = f.stops.iter().enumerate().max_by_key(|(_, n)| **n)?;
    let second =
        f.stops.iter().enumerate().filter(|(i, _)| *i != best).map(|(_, n)| *n).max().unwrap_or(0);
    if hits < 5 || hits * 20 < f.alpha_words || hits * 2 < second * 3 {
        return None;
    }
    let lang = *LANGS.get(best)?;
    let fits = match f.script()? {
        Script::Latin => lang != "ru",
        Script::Cyrillic => lang == "ru",
        _ => false,
    };
    fits.then_some(lang)
}

/// Ends a sentence: `.`, `!`, `?`, `…` (or their CJK forms), possibly
/// followed by closing quotes, brackets or a footnote star.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]*“".contains(c));
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// A URL, an e-mail address or a domain name such as `example.net`.
fn is_link_token(token: &str) -> bool {
    if token.starts_with('<') && token.ends_with('>') && !token.contains("://") {
        // A wire service's ticker code such as `<cb.to>`.
        return false;
    }
    let token = token.trim_matches(|c: char| "()[]<>\"'«»,;:!?*|".contains(c));
    let token = token.strip_suffix('.').unwrap_or(token);
    if token.contains("://") || token.starts_with("www.") {
        return true;
    }
    let host = token.rsplit_once('@').map_or(token, |(_, host)| host);
    let host = host.split('/').next().unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let Some(tld) = parts.last() else { return false };
    (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && parts.iter().all(|p| p.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// Month number of a month name or abbreviation (en, ru, de, fr, es).
fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    // Every name starts with a letter: most tokens asked about are numbers.
    if !word.starts_with(char::is_alphabetic) {
        return None;
    }
    MONTH_INDEX.get(word).copied()
}

/// [`month_of`] a word in any case: lower-cased on the stack when it is
/// short ASCII (most dateline tokens), else as [`lowered`] does.
fn month_of_any_case(word: &str) -> Option<u32> {
    let mut buffer = [0u8; 16];
    if word.is_ascii() {
        // What month_of would trim and test, before copying.
        let word = word.trim_end_matches('.');
        if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
    }
    match buffer.get_mut(..word.len()) {
        Some(copy) if word.is_ascii() => {
            copy.copy_from_slice(word.as_bytes());
            copy.make_ascii_lowercase();
            month_of(std::str::from_utf8(copy).unwrap_or(""))
        }
        _ => month_of(&lowered(word)),
    }
}

/// Month name or abbreviation → month number, the first month listing it.
static MONTH_INDEX: LazyLock<FastMap<&'static str, u32>> = LazyLock::new(|| {
    const MONTHS: [&[&str]; 12] = [
        &["jan", "january", "январь", "января", "янв", "januar", "janvier", "janv", "enero", "ene"],
        &["feb", "february", "февраль", "февраля", "фев", "februar", "février", "févr", "febrero"],
        &["mar", "march", "март", "марта", "мар", "märz", "mars", "marzo"],
        &["apr", "april", "апрель", "апреля", "апр", "avril", "avr", "abril", "abr"],
        &["may", "май", "мая", "mai", "mayo"],
        &["jun", "june", "июнь", "июня", "juni", "juin", "junio"],
        &["jul", "july", "июль", "июля", "juli", "juillet", "juil", "julio"],
        &["aug", "august", "август", "августа", "авг", "août", "agosto", "ago"],
        &["sep", "sept", "september", "сентябрь", "сентября", "сен", "septembre", "septiembre"],
        &["oct", "october", "октябрь", "октября", "окт", "oktober", "okt", "octobre", "octubre"],
        &["nov", "november", "ноябрь", "ноября", "ноя", "novembre", "noviembre"],
        &[
            "dec",
            "december",
            "декабрь",
            "декабря",
            "дек",
            "dezember",
            "dez",
            "décembre",
            "dic",
            "diciembre",
        ],
    ];
    let mut index: FastMap<&'static str, u32> = FastMap::default();
    for (month, names) in (1..).zip(MONTHS) {
        for name in names {
            index.entry(name).or_insert(month);
        }
    }
    index
});

/// Weekday names and time words that fill datelines.
fn is_date_word(word: &str) -> bool {
    DATE_WORDS.contains(word)
}

/// The words of [`is_date_word`].
static DATE_WORDS: LazyLock<FastSet<&'static str>> = LazyLock::new(|| {
    const WORDS: &[&str] = &[
        "mon",
        "monday",
        "tue",
        "tuesday",
        "wed",
        "wednesday",
        "thu",
        "thursday",
        "fri",
        "friday",
        "sat",
        "saturday",
        "sun",
        "sunday",
        "am",
        "pm",
        "gmt",
        "utc",
        "bst",
        "est",
        "edt",
        "cet",
        "cest",
        "msk",
        "мск",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "uhr",
        "updated",
        "published",
        "posted",
        "обновлено",
        "опубликовано",
        "г",
        "года",
        "год",
        "today",
        "yesterday",
        "сегодня",
        "вчера",
    ];
    WORDS.iter().copied().collect()
});

/// Phrases that start short call-to-action lines.
const CALLS: &[&str] = &[
    "read more",
    "read also",
    "read next",
    "read the full",
    "see also",
    "see more",
    "click here",
    "reply",
    "reply to this comment",
    "like",
    "likes",
    "report",
    "report abuse",
    "flag",
    "permalink",
    "quote",
    "ответить",
    "antworten",
    "répondre",
    "responder",
    "subscribe",
    "subscribe to",
    "subscribe now",
    "sign up for",
    "sign up to",
    "join our",
    "get our",
    "download our",
    "подпишитесь на",
    "подписывайтесь на",
    "abonnieren sie",
    "abonnez-vous à",
    "sign up",
    "sign in",
    "log in",
    "login",
    "register",
    "share",
    "share this",
    "follow us",
    "follow",
    "tweet",
    "like us",
    "comments",
    "comment",
    "leave a comment",
    "add comment",
    "show comments",
    "advertisement",
    "sponsored",
    "download the app",
    "print",
    "email",
    "continue reading",
    "load more",
    "show more",
    "back to top",
    "watch",
    "listen",
    "читать далее",
    "читать также",
    "читать полностью",
    "подробнее",
    "подписывайтесь",
    "подписаться",
    "поделиться",
    "комментарии",
    "комментировать",
    "добавить комментарий",
    "реклама",
    "войти",
    "регистрация",
    "смотрите также",
    "weiterlesen",
    "mehr lesen",
    "teilen",
    "kommentare",
    "anzeige",
    "abonnieren",
    "jetzt abonnieren",
    "lire la suite",
    "partager",
    "abonnez-vous",
    "commentaires",
    "publicité",
    "s'abonner",
    "leer más",
    "compartir",
    "suscríbete",
    "comentarios",
    "publicidad",
    "continuar leyendo",
];

/// Phrases that start related-content headings.
const RELATED: &[&str] = &[
    "related",
    "related articles",
    "related stories",
    "related news",
    "more from",
    "more on",
    "more stories",
    "more news",
    "you may also like",
    "you might also like",
    "recommended",
    "most read",
    "most popular",
    "top stories",
    "latest news",
    "latest",
    "trending",
    "читайте также",
    "читайте еще",
    "читайте ещё",
    "похожие новости",
    "похожие статьи",
    "другие новости",
    "ещё по теме",
    "еще по теме",
    "по теме",
    "новости по теме",
    "последние новости",
    "популярное",
    "lesen sie auch",
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "weitere artikel",
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "noticias relacionadas",
    "te puede interesar",
    "lee también",
    "leggi anche",
    "leia também",
];

/// Starts of image or photo credit lines.
const CREDITS: &[&str] = &[
    "(image credit",
    "image credit",
    "(photo",
    "photo:",
    "photo by",
    "photo credit",
    "photograph:",
    "photograph by",
    "image:",
    "picture:",
    "pictures:",
    "credit:",
    "(credit",
    "фото:",
    "фото -",
    "фото —",
    "фото –",
    "(фото",
    "фотография:",
    "foto:",
    "(foto",
    "bild:",
    "crédit photo",
    "crédito:",
    "crédito foto",
    "(getty",
    "getty images",
    "(ap photo",
    "(reuters/",
];

/// Signs of a footer, copyright or legal line.
const FOOTERS: &[&str] = &[
    "©",
    "(c) 20",
    "all rights reserved",
    "privacy policy",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "все права защищены",
    "политика конфиденциальности",
    "пользовательское соглашение",
    "при перепечатке",
    "при использовании материалов",
    "alle rechte vorbehalten",
    "datenschutz",
    "impressum",
    "tous droits réservés",
    "mentions légales",
    "todos los derechos reservados",
    "aviso legal",
    "tutti i diritti riservati",
];

/// Signs of a cookie, consent or paywall notice.
const NOTICES: &[&str] = &[
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "accept cookies",
    "cookie policy",
    "cookie settings",
    "используем cookie",
    "использует cookie",
    "файлы cookie",
    "файлов cookie",
    "cookies zu",
    "verwendet cookies",
    "utilise des cookies",
    "utilizamos cookies",
    "subscribe to continue",
    "subscribers only",
    "for subscribers",
    "to continue reading",
    "already a subscriber",
    "javascript is disabled",
    "enable javascript",
];

/// Finds [`FOOTERS`] and [`NOTICES`] in one pass over a line (a `contains`
/// per phrase was forty passes, and the most expensive test of a line).
static CHROME_SEARCH: LazyLock<ChromeSearch> = LazyLock::new(ChromeSearch::new);

/// Whether a text holds any of [`FOOTERS`], any of [`NOTICES`].
struct ChromeSearch {
    /// The phrases' automaton, footers first. They are our own constants,
    /// well within its limits; were it not built, each phrase would be
    /// looked for in turn.
    automaton: Option<AhoCorasick>,
}

impl ChromeSearch {
    fn new() -> ChromeSearch {
        // A DFA without a prefilter: the phrases start with common letters,
        // on which a prefilter stops too often to pay.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(FOOTERS.iter().chain(NOTICES))
            .ok();
        ChromeSearch { automaton }
    }

    /// Whether `text` holds a footer phrase, and whether it holds a notice phrase.
    fn find(&self, text: &str) -> (bool, bool) {
        let Some(automaton) = &self.automaton else {
            return (
                FOOTERS.iter().any(|p| text.contains(p)),
                NOTICES.iter().any(|p| text.contains(p)),
            );
        };
        let (mut footer, mut notice) = (false, false);
        for found in automaton.find_overlapping_iter(text) {
            if found.pattern().as_usize() < FOOTERS.len() {
                footer = true;
            } else {
                notice = true;
            }
            if footer && notice {
                break;
            }
        }
        (footer, notice)
    }
}

/// `text` (lower-cased) starts with one of `phrases` followed by a word boundary.
fn starts_with_phrase<'p>(lower: &str, phrases: &[&'p str]) -> Option<&'p str> {
    phrases
        .iter()
        .filter(|p| {
            lower
                .strip_prefix(**p)
                .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        })
        .max_by_key(|p| p.len())
        .copied()
}

/// A whole document being classified.
struct Document<'t, 'l> {
    units: Vec<Unit<'l>>,
    template: Option<&'t SiteTemplate>,
    /// Decision per unit: `None` = keep.
    reasons: Vec<Option<DropReason>>,
    /// Which unit is the title, if any.
    title: Option<usize>,
    /// The title when it comes from a caption.
    caption_title: Option<String>,
    /// Dominant script of the document.
    script: Option<Script>,
    /// Index into [`LANGS`] of the document's language.
    lang: Option<usize>,
    /// The document separates units by blank lines.
    blank_separated: bool,
    /// Publication date read from a dateline kept in the body.
    published: Option<String>,
}

impl<'t, 'l> Document<'t, 'l> {
    fn new(units: Vec<Unit<'l>>, template: Option<&'t SiteTemplate>) -> Document<'t, 'l> {
        let blank_separated = units.iter().skip(1).any(|u| u.blank_before);
        let reasons = vec![None; units.len()];
        Document {
            units,
            template,
            reasons,
            title: None,
            caption_title: None,
            script: None,
            lang: None,
            blank_separated,
            published: None,
        }
    }

    fn classify(&mut self) {
        let hard: Vec<Option<DropReason>> = self.units.iter().map(|u| self.signal(u)).collect();
        self.measure_language(&hard);
        let strong: Vec<bool> = self
            .units
            .iter()
            .zip(&hard)
            .map(|(u, reason)| reason.is_none() && self.is_body_paragraph(u))
            .collect();
        if self.is_plain_article(&hard, &strong) {
            self.classify_plain(&hard);
        } else {
            match self.main_block(&hard, &strong) {
                Some((first, last)) => self.classify_around(&hard, &strong, first, last),
                None => self.classify_without_body(&hard),
            }
        }
        if self.title.is_none() {
            self.caption_title = self
                .units
                .iter()
                .zip(&self.reasons)
                .find(|(u, r)| **r == Some(DropReason::Caption) && u.f.alpha_words >= 3)
                .map(|(u, _)| {
                    u.text.trim_matches(|c: char| c == '|' || c.is_whitespace()).to_owned()
                });
        }
    }

    /// The first and last body paragraph of the page's main block. Body
    /// paragraphs separated by [`GAP_CHROME`] or more lines of chrome are in
    /// different blocks; the block with the most words is the main one, and
    /// a neighbouring block joins it while it has at least a fifth of its
    /// words before it, a third after it (an article cut in two by a
    /// newsletter box), while smaller ones (an author's bio, a teaser, the
    /// comments and policies that follow articles) stay out.
    fn main_block(&self, hard: &[Option<DropReason>], strong: &[bool]) -> Option<(usize, usize)> {
        let mut blocks: Vec<(usize, usize, usize)> = Vec::new();
        for (i, unit) in self.units.iter().enumerate().filter(|(i, _)| strong[*i]) {
            let words = unit.f.eff_words();
            if let Some(block) = blocks.last_mut() {
                let chrome = (block.1 + 1..i)
                    .filter(|&j| match hard[j] {
                        Some(reason) => !transparent(reason),
                        None => !self.is_prose(&self.units[j], 4),
                    })
                    .count();
                if chrome < GAP_CHROME {
                    block.1 = i;
                    block.2 += words;
                    continue;
                }
            }
            blocks.push((i, i, words));
        }
        let main = (0..blocks.len()).max_by_key(|&b| (blocks[b].2, usize::MAX - b))?;
        let joins = |b: usize| blocks[b].2 * 5 >= blocks[main].2;
        let joins_after = |b: usize| blocks[b].2 * 3 >= blocks[main].2;
        let mut lo = main;
        while lo > 0 && joins(lo - 1) {
            lo -= 1;
        }
        let mut hi = main;
        while hi + 1 < blocks.len() && joins_after(hi + 1) {
            hi += 1;
        }
        Some((blocks[lo].0, blocks[hi].1))
    }

    /// Dominant script and language, from the units no signal flagged.
    fn measure_language(&mut self, hard: &[Option<DropReason>]) {
        let mut letters = [0usize; 8];
        let mut stops = [0usize; 8];
        for (unit, reason) in self.units.iter().zip(hard) {
            if reason.is_some() {
                continue;
            }
            // Long units weigh more: they are the article.
            let weight = if unit.f.eff_words() >= 8 { 4 } else { 1 };
            for (total, n) in letters.iter_mut().zip(unit.f.letters) {
                *total += n * weight;
            }
            for (total, n) in stops.iter_mut().zip(unit.f.stops) {
                *total += n * weight;
            }
        }
        self.script = letters
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .filter(|(_, n)| **n > 0)
            .map(|(i, _)| Script::ALL[i]);
        let best = stops.iter().enumerate().max_by_key(|(_, n)| **n);
        self.lang = best.filter(|(_, n)| **n >= 3).map(|(i, _)| i).filter(|&i| {
            // The list must fit the script (a Cyrillic article is not English).
            let latin = LANGS[i] != "ru";
            match self.script {
                Some(Script::Latin) => latin,
                Some(Script::Cyrillic) => !latin,
                _ => false,
            }
        });
    }

    /// Most of the unit's letters are in another script than the document's.
    fn foreign(&self, unit: &Unit<'_>) -> bool {
        let (Some(doc), Some(own)) = (self.script, unit.f.script()) else { return false };
        let total = unit.f.total_letters();
        own != doc && unit.f.letters[doc.index()] * 10 < total * 3 && total >= 3
    }

    /// A paragraph of the article's prose.
    fn is_body_paragraph(&self, unit: &Unit<'_>) -> bool {
        if self.foreign(unit) || unit.f.table || unit.f.link {
            return false;
        }
        let f = &unit.f;
        let words = f.eff_words();
        if f.cjk * 2 > f.total_letters() {
            return f.cjk >= 30 && f.terminal;
        }
        let long_enough = (words >= 10 && (f.terminal || f.colon))
            || (unit.wrapped && words >= 15)
            || words >= 40;
        // A punctuated sentence needs some function words; an unpunctuated
        // run of words needs many, or it is a list of names.
        let stops = f.stop_ratio(self.lang);
        long_enough && if f.terminal || f.colon { stops > 0.0 } else { stops >= 0.08 }
    }

    /// Prose, even if short: a sentence with some function words.
    fn is_prose(&self, unit: &Unit<'_>, min_words: usize) -> bool {
        let f = &unit.f;
        !self.foreign(unit)
            && !f.link
            && (f.terminal || f.colon)
            && f.alpha_words >= min_words
            && (f.stop_ratio(self.lang) > 0.0 || f.alpha_words <= 3)
    }

    /// A signal that holds wherever the unit stands.
    fn signal(&self, unit: &Unit<'_>) -> Option<DropReason> {
        let text = &*unit.text;
        let f = &unit.f;
        let lower = text.to_lowercase();
        if text.starts_with("![")
            || lower == "[image]"
            || lower == "[photo]"
            || is_gallery_counter(&lower)
        {
            return Some(DropReason::Image);
        }
        if text.starts_with('|') {
            let inner = text.trim_matches(|c: char| c == '|' || c.is_whitespace());
            if inner.is_empty() {
                return Some(DropReason::Image);
            }
            if !inner.contains('|') {
                return Some(DropReason::Caption);
            }
        }
        let tokens = || text.split_whitespace();
        if text.contains('#') {
            let (mut count, mut hashtags) = (0usize, 0usize);
            for token in tokens() {
                count += 1;
                hashtags += usize::from(is_hashtag(token));
            }
            if hashtags > 0 && (hashtags == count || hashtags >= 3 && hashtags * 5 >= count * 4) {
                return Some(DropReason::Hashtags);
            }
        }
        if f.words <= 20 && starts_with_phrase(&lower, CREDITS).is_some() {
            return Some(DropReason::Credit);
        }
        // (The phrase lists are searched only where their test can hold,
        // both in one scan.)
        let (footer, notice) =
            if f.words <= 60 { CHROME_SEARCH.find(&lower) } else { (false, false) };
        if f.words <= 30 {
            let legal = || {
                footer && (f.words <= 8 || lower.contains('©') || lower.contains("rights reserved"))
            };
            if lower.starts_with("copyright") || legal() {
                return Some(DropReason::Footer);
            }
        }
        if notice {
            return Some(DropReason::Notice);
        }
        if let Some(reason) = call_or_related(&lower, f) {
            return Some(reason);
        }
        if f.words > 0 && f.alpha_words == 0 && !f.table {
            return Some(DropReason::Digits);
        }
        if f.words == 0 {
            // Punctuation only: separators, bullets, stars.
            return Some(DropReason::Markup);
        }
        if !f.table && !f.terminal && f.words <= 14 && f.date_share >= 0.5 {
            let month = || tokens().any(|t| month_of_any_case(t).is_some());
            let time = || tokens().any(is_time);
            let short_date = f.words <= 10 && f.date_share >= 0.6 && (month() || time());
            if short_date || find_date(text).is_some() {
                return Some(DropReason::Metadata);
            }
        }
        if is_byline(text, &lower, f) {
            return Some(DropReason::Metadata);
        }
        if let Some(template) = self.template
            && unit.raw.iter().all(|line| template.contains(line.text))
        {
            return Some(DropReason::Template);
        }
        None
    }

    /// Decisions when the document has body paragraphs from `first` to `last`.
    fn classify_around(
        &mut self,
        hard: &[Option<DropReason>],
        strong: &[bool],
        first: usize,
        last: usize,
    ) {
        self.reasons.clone_from_slice(hard);
        // A comments heading after the article's first paragraph ends it:
        // what follows is the readers', not the article's.
        // (Only when most of the article's words come before it: a
        // "Comments" link in a share bar above the story is no such heading.)
        let mut before = vec![0usize; self.units.len() + 1];
        for (i, unit) in self.units.iter().enumerate() {
            before[i + 1] = before[i] + if strong[i] { unit.f.eff_words() } else { 0 };
        }
        let words = |range: std::ops::Range<usize>| before[range.end] - before[range.start];
        let comments = (first + 1..=last).find(|&c| {
            hard[c] == Some(DropReason::Comments) && words(first..c) >= words(c..last + 1)
        });
        let last = match comments {
            Some(c) => (first..c).rev().find(|&i| strong[i]).unwrap_or(first),
            None => last,
        };
        // Inside the body: short lines are body unless something says otherwise.
        let menu_runs = self.menu_runs(hard, strong);
        let mut related_section = false;
        for i in first..=last {
            if strong[i] {
                related_section = false;
                continue;
            }
            if let Some(reason) = hard[i] {
                related_section |= reason == DropReason::Related;
                continue;
            }
            let unit = &self.units[i];
            self.reasons[i] = if self.foreign(unit) {
                Some(DropReason::Language)
            } else if unit.f.link {
                Some(DropReason::Menu)
            } else if related_section && !self.is_prose(unit, 8) {
                Some(DropReason::Related)
            } else if unit.f.table || self.is_prose(unit, 1) {
                None
            } else if menu_runs[i] {
                Some(DropReason::Menu)
            } else {
                None
            };
        }
        // Before the body: the title, then prose leading into the body.
        self.title = self.pick_title(hard, strong, first);
        if let Some(title) = self.title {
            self.reasons[title] = Some(DropReason::Title);
        }
        let mut open = true;
        for i in (0..first).rev() {
            if Some(i) == self.title {
                open = false;
                continue;
            }
            let decision = self.outside(i, hard, first, open, 6);
            open &= decision.is_none() || decision.is_some_and(transparent);
            self.reasons[i] = decision;
        }
        let mut open = true;
        for i in last + 1..self.units.len() {
            let decision = match comments {
                Some(c) if i > c => hard[i].or(Some(DropReason::Comments)),
                _ => self.outside(i, hard, last, open, 4),
            };
            open &= decision.is_none() || decision.is_some_and(transparent);
            self.reasons[i] = decision;
        }
    }

    /// No sign of page chrome: no signal other than datelines, digit lines,
    /// separators and template lines (what the site repeats is gone, the rest
    /// is the article), no line in another script, no link line; and either
    /// the first line is a headline directly followed by the first body
    /// paragraph, or at most one menu-like line precedes that paragraph. A
    /// plain article, not a page dump.
    fn is_plain_article(&self, hard: &[Option<DropReason>], strong: &[bool]) -> bool {
        let weak = |r: &DropReason| {
            matches!(
                r,
                DropReason::Metadata
                    | DropReason::Digits
                    | DropReason::Markup
                    | DropReason::Template
            )
        };
        if hard.iter().flatten().any(|r| !weak(r))
            || self.units.iter().any(|u| self.foreign(u) || u.f.link)
        {
            return false;
        }
        let Some(head) = hard.iter().position(Option::is_none) else { return true };
        let first = strong.iter().position(|&s| s).unwrap_or(self.units.len());
        // A headline followed by the first paragraph (datelines aside).
        let next = (head + 1..self.units.len()).find(|&i| hard[i].is_none());
        if self.is_title_candidate(head, hard, 2)
            && (next == Some(first) || first == self.units.len())
        {
            return true;
        }
        let menu_like = (0..first)
            .filter(|&i| {
                let f = &self.units[i].f;
                hard[i].is_none() && !f.terminal && f.digits == 0 && f.title_case && f.words <= 4
            })
            .count();
        menu_like <= 1
    }

    /// Decisions for a plain article: the first line is the title when it
    /// reads as one; every other line is body except separators and a lone
    /// closing word (a wire signoff). A dateline near the top gives the date.
    fn classify_plain(&mut self, hard: &[Option<DropReason>]) {
        let head = hard.iter().position(Option::is_none);
        let rest =
            head.map_or(0, |h| (h + 1..self.units.len()).filter(|&i| hard[i].is_none()).count());
        self.title = head.filter(|&h| {
            rest > 0 && self.is_title_candidate(h, hard, 2) && self.stands_apart(h, hard)
        });
        let last = self.units.len().saturating_sub(1);
        let top = self.title.map_or(0, |t| t + 1) + 3;
        for (i, unit) in self.units.iter().enumerate() {
            self.reasons[i] = match hard[i] {
                _ if Some(i) == self.title => Some(DropReason::Title),
                Some(DropReason::Metadata) => {
                    // A dateline stays: its place names are part of the
                    // story. A readable one near the top gives the date.
                    if i < top && self.published.is_none() {
                        self.published = find_date(&unit.text);
                    }
                    None
                }
                Some(DropReason::Digits) => None,
                Some(reason) => Some(reason),
                None if i == last && i > 0 && unit.f.words == 1 && !unit.f.terminal => {
                    Some(DropReason::Short)
                }
                None => None,
            };
        }
    }

    /// Decision for unit `i` outside the body, `anchor` being the nearest body
    /// paragraph; `open` while no chrome stands between them.
    fn outside(
        &self,
        i: usize,
        hard: &[Option<DropReason>],
        anchor: usize,
        open: bool,
        min_words: usize,
    ) -> Option<DropReason> {
        if let Some(reason) = hard[i] {
            return Some(reason);
        }
        let unit = &self.units[i];
        if open && self.same_block(i, anchor) && !self.foreign(unit) && !unit.f.link {
            return None;
        }
        if !open && self.is_body_paragraph(unit) {
            return Some(DropReason::OutsideMain);
        }
        if open && self.is_prose(unit, min_words) && unit.f.stop_ratio(self.lang) >= 0.1 {
            return None;
        }
        // A long sentence without its final period (a standfirst, a lead cut
        // by the scraper) next to the body.
        let sentence = unit.f.alpha_words >= 12 && unit.f.stop_ratio(self.lang) >= 0.15;
        if open && sentence && !self.foreign(unit) && !unit.f.link && !unit.f.table {
            return None;
        }
        Some(self.chrome_reason(unit))
    }

    /// Units `a` and `b` stand in one blank-free block of a document that
    /// separates paragraphs by blank lines.
    fn same_block(&self, a: usize, b: usize) -> bool {
        if !self.blank_separated {
            return false;
        }
        self.units.get(a).map(|u| u.block) == self.units.get(b).map(|u| u.block)
    }

    /// Why a unit that is not body was dropped.
    fn chrome_reason(&self, unit: &Unit<'_>) -> DropReason {
        let f = &unit.f;
        if self.foreign(unit) {
            DropReason::Language
        } else if f.link || f.title_case && f.alpha_words <= 4 {
            DropReason::Menu
        } else {
            DropReason::Short
        }
    }

    /// Per unit: it is one of three or more short, unpunctuated lines (or
    /// lines of flagged chrome) in a row: a menu, a share bar, a list of
    /// links. Only short lines are marked; flagged ones keep their reason.
    fn menu_runs(&self, hard: &[Option<DropReason>], strong: &[bool]) -> Vec<bool> {
        // Chrome flagged by a signal extends a run; photos and datelines do not.
        let short = |j: usize| {
            let u = &self.units[j];
            hard[j].is_none()
                && !strong[j]
                && !u.f.terminal
                && !u.f.colon
                && !u.f.table
                && u.f.words <= 6
        };
        let member = |j: usize| short(j) || hard[j].is_some_and(|r| !transparent(r));
        let mut marks = vec![false; self.units.len()];
        let mut start = 0;
        while start < self.units.len() {
            if !member(start) {
                start += 1;
                continue;
            }
            let mut end = start;
            while end + 1 < self.units.len() && member(end + 1) {
                end += 1;
            }
            if end - start >= 2 {
                for (j, mark) in marks.iter_mut().enumerate().take(end + 1).skip(start) {
                    *mark = short(j);
                }
            }
            start = end + 1;
        }
        marks
    }

    /// The headline: among the [`TITLE_WINDOW`] headline-like units nearest
    /// before the first body paragraph, the one whose content words the body
    /// repeats most, those of its first paragraphs counting half again
    /// (a headline announces the lead; captions, bylines, credits and chrome
    /// such as "Read comments" share few words with the story, or only with
    /// its far end); the nearest one when none shares enough.
    fn pick_title(
        &self,
        hard: &[Option<DropReason>],
        strong: &[bool],
        first: usize,
    ) -> Option<usize> {
        /// Body paragraphs that make the lead.
        const LEAD: usize = 3;
        let candidates: Vec<usize> = (0..first)
            .rev()
            .filter(|&i| self.is_title_candidate(i, hard, if i == 0 { 2 } else { 3 }))
            .take(TITLE_WINDOW)
            .collect();
        let nearest = *candidates.first()?;
        let mut body_units = self.units.iter().zip(strong).filter(|(_, s)| **s).map(|(u, _)| u);
        let lead: HashSet<String> =
            body_units.by_ref().take(LEAD).flat_map(|u| content_words(&u.text)).collect();
        let mut body: HashSet<String> = body_units.flat_map(|u| content_words(&u.text)).collect();
        body.extend(lead.iter().cloned());
        let overlap = |i: usize, with: &HashSet<String>| {
            let words = content_words(&self.units[i].text);
            if words.is_empty() {
                return 0.0;
            }
            words.iter().filter(|w| with.contains(*w)).count() as f32 / words.len() as f32
        };
        let best = candidates
            .iter()
            .enumerate()
            .map(|(rank, &i)| {
                // Headlines are a few words to a dozen or so; a standfirst
                // that restates the story is longer.
                let words = self.units[i].f.eff_words();
                let length = if words > 20 { -0.25 } else { 0.0 };
                let shared = overlap(i, &body) + 0.5 * overlap(i, &lead);
                (i, shared + length - 0.03 * rank as f32)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|(_, score)| *score >= 0.3);
        Some(best.map_or(nearest, |(i, _)| i))
    }

    /// Unit `i` reads as a headline: a few words to a long line, no final
    /// period or colon, nothing flagged it.
    fn is_title_candidate(&self, i: usize, hard: &[Option<DropReason>], min_words: usize) -> bool {
        let unit = &self.units[i];
        let f = &unit.f;
        hard[i].is_none()
            && !self.foreign(unit)
            && !f.link
            && !f.table
            && f.alpha_words >= min_words
            && f.chars <= 300
            && !f.colon
            && {
                // No final period (an ellipsis is a teaser headline's), no
                // comma or dash that leaves the sentence open.
                let end = unit.text.trim_end_matches(['"', '\'', '”', '’', '»', ' ']);
                let ellipsis = end.ends_with("...") || end.ends_with('…');
                (ellipsis || !end.ends_with('.')) && !end.ends_with([',', ';', '-', '–', '—'])
            }
    }

    /// The headline of a plain article stands apart: a blank line or a
    /// dateline follows it, or it is in capitals and the text is not.
    fn stands_apart(&self, i: usize, hard: &[Option<DropReason>]) -> bool {
        match self.units.get(i + 1) {
            None => true,
            Some(next) => {
                next.blank_before
                    || hard[i + 1] == Some(DropReason::Metadata)
                    || all_caps(&self.units[i].text) && !all_caps(&next.text)
            }
        }
    }

    /// Decisions when no unit is a body paragraph: keep what no signal flags
    /// and has two words or more; the first line is the title when more follows.
    fn classify_without_body(&mut self, hard: &[Option<DropReason>]) {
        self.reasons.clone_from_slice(hard);
        let kept: Vec<usize> = (0..self.units.len())
            .filter(|&i| {
                let u = &self.units[i];
                hard[i].is_none() && !self.foreign(u) && !u.f.link && (u.f.words >= 2 || u.f.table)
            })
            .collect();
        if kept.len() >= 2 {
            let i = kept[0];
            let f = &self.units[i].f;
            if !f.terminal && !f.table && f.alpha_words >= 2 && f.chars <= 300 {
                self.title = Some(i);
            }
        }
        let mut keep = vec![false; self.units.len()];
        for &i in &kept {
            keep[i] = true;
        }
        for (i, unit) in self.units.iter().enumerate() {
            if hard[i].is_some() {
                continue;
            }
            self.reasons[i] = if Some(i) == self.title {
                Some(DropReason::Title)
            } else if keep[i] {
                None
            } else {
                Some(self.chrome_reason(unit))
            };
        }
    }

    fn into_cleaned(self) -> Cleaned {
        let title = match self.title {
            Some(i) => Some(fold(&self.units[i].text)),
            None => self.caption_title.as_deref().map(fold),
        };
        let mut cleaned = Cleaned {
            title,
            lang: self.lang.map(|i| LANGS[i].to_owned()),
            published: self.published.clone(),
            ..Cleaned::default()
        };
        // A table of several rows stays one block, one row a line.
        let mut table: Option<(String, LineSpan)> = None;
        for (i, (unit, reason)) in self.units.iter().zip(&self.reasons).enumerate() {
            let in_table = reason.is_none() && unit.f.table;
            if let Some((rows, span)) = table.take() {
                if in_table && !unit.blank_before {
                    table = Some((rows + "\n" + &unit.text, span.union(unit.lines)));
                    continue;
                }
                cleaned.push_block(&rows, span);
            }
            match reason {
                None if in_table => table = Some((unit.text.to_string(), unit.lines)),
                None => cleaned.push_block(&unit.text, unit.lines),
                Some(reason) => {
                    if *reason == DropReason::Hashtags {
                        for tag in unit.text.split_whitespace().filter_map(hashtag_name) {
                            if !cleaned.tags.iter().any(|t| t == tag) {
                                cleaned.tags.push(tag.to_owned());
                            }
                        }
                    }
                    if *reason == DropReason::Metadata
                        && cleaned.published.is_none()
                        && self.title.is_none_or(|t| i < t + 4)
                    {
                        cleaned.published = find_date(&unit.text);
                    }
                    cleaned.dropped.push(Dropped {
                        lines: unit.lines,
                        text: shorten(&fold(&unit.text)),
                        reason: *reason,
                    });
                }
            }
        }
        if let Some((rows, span)) = table {
            cleaned.push_block(&rows, span);
        }
        cleaned
    }
}

/// Reasons that do not end the article's prose when met before or after it
/// (a photo and its credit, a dateline between the standfirst and the body).
fn transparent(reason: DropReason) -> bool {
    matches!(
        reason,
        DropReason::Image
            | DropReason::Caption
            | DropReason::Credit
            | DropReason::Digits
            | DropReason::Metadata
            | DropReason::Markup
    )
}

/// A gallery counter: "Image 3 of 12", "Фото 2 из 5", "Bild 1 von 8".
fn is_gallery_counter(lower: &str) -> bool {
    const NOUNS: &[&str] =
        &["image", "photo", "picture", "slide", "фото", "bild", "foto", "imagen"];
    const OF: &[&str] = &["of", "из", "von", "de", "di", "/"];
    // At most four words: the longest form below.
    let mut words = [""; 4];
    let mut count = 0;
    for word in lower.split_whitespace() {
        let Some(slot) = words.get_mut(count) else { return false };
        *slot = word;
        count += 1;
    }
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    match &words[..count] {
        [noun, a, of, b] => NOUNS.contains(noun) && number(a) && OF.contains(of) && number(b),
        [noun, ab] => {
            NOUNS.contains(noun) && ab.split_once('/').is_some_and(|(a, b)| number(a) && number(b))
        }
        _ => false,
    }
}

/// The heading of a comments section: "Comments", "12 comments",
/// "Leave a reply", "Комментарии (3)", with at most a count around it.
fn is_comments_heading(lower: &str) -> bool {
    const HEADS: &[&str] = &[
        "comments",
        "comment",
        "responses",
        "replies",
        "leave a reply",
        "leave a comment",
        "post a comment",
        "add a comment",
        "add comment",
        "join the discussion",
        "discussion",
        "reader comments",
        "комментарии",
        "комментарии читателей",
        "оставить комментарий",
        "добавить комментарий",
        "kommentare",
        "leserkommentare",
        "kommentar schreiben",
        "commentaires",
        "laisser un commentaire",
        "comentarios",
        "deja un comentario",
        "commenti",
        "comentários",
        "reacties",
    ];
    // The words without digits and marks, joined by single spaces (marks
    // are not spaces, so words lose them without merging), built on the
    // stack and given up as soon as they outgrow the longest heading.
    let mut buffer = [0u8; 64];
    let mut len = 0;
    let kept = |c: &char| !c.is_numeric() && !"()[]:#.!".contains(*c);
    for word in lower.split_whitespace() {
        let mut chars = word.chars().filter(kept).peekable();
        if chars.peek().is_none() {
            continue;
        }
        if len > 0 {
            chars_into(&mut buffer, &mut len, [' '].into_iter());
        }
        if !chars_into(&mut buffer, &mut len, chars) {
            return false;
        }
    }
    let words = buffer.get(..len).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("");
    HEADS.contains(&words)
}

/// Appends `chars` to `buffer[..len]`; false when they do not fit.
fn chars_into(buffer: &mut [u8], len: &mut usize, chars: impl Iterator<Item = char>) -> bool {
    for c in chars {
        let Some(slot) = buffer.get_mut(*len..*len + c.len_utf8()) else { return false };
        c.encode_utf8(slot);
        *len += c.len_utf8();
    }
    true
}

/// A short call to action or a related-content heading.
fn call_or_related(lower: &str, f: &Features) -> Option<DropReason> {
    if f.words > 12 {
        return None;
    }
    let trimmed = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if is_comments_heading(trimmed) {
        return Some(DropReason::Comments);
    }
    // What follows the phrase: a single-word phrase ("share", "latest") must
    // stand alone, with a count, or before a colon; a longer one may be
    // followed by a few words ("read more about the election").
    let fits = |phrase: &str, max_rest: usize| {
        let rest: String = trimmed.chars().skip(phrase.chars().count()).collect();
        let rest = rest.trim_start();
        let words = rest.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
        if phrase.contains(' ') { words <= max_rest } else { words == 0 || rest.starts_with(':') }
    };
    if let Some(phrase) = starts_with_phrase(trimmed, RELATED)
        && fits(phrase, 4)
        && !f.terminal
    {
        return Some(DropReason::Related);
    }
    if let Some(phrase) = starts_with_phrase(trimmed, CALLS)
        && fits(phrase, 5)
        && (!f.terminal || trimmed.ends_with("..."))
    {
        return Some(DropReason::CallToAction);
    }
    None
}

/// "By Jane Doe", "Автор: Иван Петров". `lower` is `text` lower-cased.
fn is_byline(text: &str, lower: &str, f: &Features) -> bool {
    const STARTS: &[&str] =
        &["by ", "автор:", "автор ", "von ", "par ", "por ", "di ", "text:", "текст:"];
    let Some(start) = STARTS.iter().find(|s| lower.starts_with(**s)) else { return false };
    let rest = text.get(start.len()..).unwrap_or("");
    let names: Vec<&str> = rest.split_whitespace().collect();
    !f.terminal
        && (1..=6).contains(&names.len())
        && names.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || ["and", "и", "und", "et", "y", "e"].contains(w)
        })
}

fn is_hashtag(token: &str) -> bool {
    hashtag_name(token).is_some()
}

/// The name of a hashtag token (`#AI,` → `AI`).
fn hashtag_name(token: &str) -> Option<&str> {
    let name = token.strip_prefix('#')?;
    let name = name.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
    name.chars().any(char::is_alphabetic).then_some(name)
}

/// Lower-cased words of four letters or more: the words a headline shares
/// with its story.
fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// Whitespace folded to single spaces.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most [`DROPPED_CHARS`] characters, cut on a character boundary.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(DROPPED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `text` lower-cased, borrowed when it has nothing to lower (the usual
/// case for the numbers and words of datelines).
fn lowered(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

/// A date in a dateline (`SALVADOR, Feb 26 - 26-FEB-1987 15:01:01.79`,
/// `28 октября 2025, 14:30`, `2025-10-28`), as RFC 3339 in UTC.
fn find_date(text: &str) -> Option<String> {
    // Every form has a year of four digits ("+123", "01987" and the like
    // parse too, but also hold three digits in a row).
    if !has_digit_run(text, 3) {
        return None;
    }
    let words = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c: char| "()[].;".contains(c)))
        .filter(|t| !t.is_empty());
    // A dateline's tokens fit on the stack; a longer line goes to the heap.
    let mut stack = [""; 24];
    let mut heap = Vec::new();
    let mut count = 0;
    for word in words {
        match stack.get_mut(count) {
            Some(slot) if heap.is_empty() => *slot = word,
            _ => {
                if heap.is_empty() {
                    heap.extend_from_slice(&stack);
                }
                heap.push(word);
            }
        }
        count += 1;
    }
    let tokens: &[&str] = if heap.is_empty() { stack.get(..count).unwrap_or(&[]) } else { &heap };
    let number = |t: &str| t.parse::<u32>().ok();
    let mut date: Option<(i32, u32, u32)> = None;
    for (i, token) in tokens.iter().enumerate() {
        // Numeric forms in one token: 2025-10-28, 28.10.2025, 26-FEB-1987.
        let mut parts = token.split(['-', '.', '/']);
        if let (Some(first), Some(second), Some(third), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        {
            let month = number(second).or_else(|| month_of_any_case(second));
            match (number(first), month, number(third)) {
                (Some(y), Some(m), Some(d)) if first.len() == 4 => date = Some((y as i32, m, d)),
                (Some(d), Some(m), Some(y)) if third.len() == 4 => date = Some((y as i32, m, d)),
                _ => {}
            }
        }
        if date.is_none()
            && let Some(m) = month_of_any_case(token)
        {
            // 28 October 2025 / October 28, 2025.
            let day = i.checked_sub(1).and_then(|j| tokens.get(j)).and_then(|t| number(t));
            let day = day.filter(|d| (1..=31).contains(d)).or_else(|| {
                tokens.get(i + 1).and_then(|t| number(t)).filter(|d| (1..=31).contains(d))
            });
            let year = tokens[i + 1..]
                .iter()
                .take(3)
                .filter_map(|t| number(t.trim_end_matches(['г', '.'])))
                .find(|y| (1900..=2100).contains(y));
            if let (Some(d), Some(y)) = (day, year) {
                date = Some((y as i32, m, d));
            }
        }
        if date.is_some() {
            break;
        }
    }
    let (y, m, d) = date?;
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    let time = tokens.iter().find_map(|t| {
        let mut parts = t.split(':');
        let h = parts.next().and_then(number)?;
        let min = parts.next().and_then(number)?;
        let s = parts.next().and_then(|s| s.split('.').next()).and_then(number).unwrap_or(0);
        chrono::NaiveTime::from_hms_opt(h, min, s)
    });
    let at = day.and_time(time.unwrap_or_default());
    Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_language_from_stopwords() {
        let en = "The council said that the budget was approved by a vote of all members, and \
                  that it will take effect in the spring after the final reading.";
        assert_eq!(guess_lang(en), Some("en"));
        let de = "Der Rat hat am Dienstag den Haushalt beschlossen, und die Mehrheit war sich \
                  einig, dass er im Frühjahr nach der letzten Lesung in Kraft tritt.";
        assert_eq!(guess_lang(de), Some("de"));
        let ru = "Совет в среду утвердил бюджет, и он вступит в силу весной, как и было \
                  обещано, но не все депутаты с этим согласны.";
        assert_eq!(guess_lang(ru), Some("ru"));
        assert_eq!(guess_lang("Home News Sport Weather"), None);
        assert_eq!(guess_lang(""), None);
    }

    fn kept_lines(cleaned: &Cleaned) -> Vec<u32> {
        cleaned.blocks.iter().flat_map(|b| b.lines.start..=b.lines.end).collect()
    }

    fn reason_of(cleaned: &Cleaned, line: u32) -> Option<DropReason> {
        cleaned
            .dropped
            .iter()
            .find(|d| d.lines.start <= line && line <= d.lines.end)
            .map(|d| d.reason)
    }

    const P1: &str = "The council voted on Tuesday to close the old harbour bridge to cars, \
                      and officials said the repairs would take at least two years.";
    const P2: &str = "Residents who cross the bridge every day told the meeting that the \
                      detour would add half an hour to their journey to work.";
    const P3: &str = "The mayor said the city had no choice, because engineers found deep \
                      cracks in two of the bridge's supports last month.";

    #[test]
    fn page_dump_chrome_is_dropped() {
        let page = format!(
            "Home\nnews-site.net\nOctober\n2025\n1 2 3 4 5 6 7\n\n\
             Harbour bridge to close for two years of repairs\n\n0\n\n{P1}\n\n\
             (Image credit: City Council)\n\n{P2}\n\n{P3}\n\n\
             #Harbour #Bridge #CityCouncil\n\nRead more\n\n\
             © 2025 News Site. All rights reserved.\n"
        );
        let cleaned = clean_text(&page, None);
        assert_eq!(
            cleaned.title.as_deref(),
            Some("Harbour bridge to close for two years of repairs")
        );
        assert_eq!(kept_lines(&cleaned), [11, 15, 17]);
        assert_eq!(cleaned.tags, ["Harbour", "Bridge", "CityCouncil"]);
        assert_eq!(cleaned.lang.as_deref(), Some("en"));
        assert_eq!(reason_of(&cleaned, 1), Some(DropReason::Menu));
        assert_eq!(reason_of(&cleaned, 2), Some(DropReason::Menu));
        assert_eq!(reason_of(&cleaned, 5), Some(DropReason::Digits));
        assert_eq!(reason_of(&cleaned, 7), Some(DropReason::Title));
        assert_eq!(reason_of(&cleaned, 9), Some(DropReason::Digits));
        assert_eq!(reason_of(&cleaned, 13), Some(DropReason::Credit));
        assert_eq!(reason_of(&cleaned, 19), Some(DropReason::Hashtags));
        assert_eq!(reason_of(&cleaned, 21), Some(DropReason::CallToAction));
        assert_eq!(reason_of(&cleaned, 23), Some(DropReason::Footer));
        assert!(!cleaned.text.contains("Harbour bridge to close"), "the title is not body");
        assert_eq!(cleaned.text, format!("{P1}\n\n{P2}\n\n{P3}"));
    }

    #[test]
    fn bylines_datelines_and_calls_around_a_dump() {
        let page = format!(
            "Home\nNews\nBusiness\n\nBridge to close for two years\n\nBy Jane Doe\n\
             October 28, 2025 14:30 GMT\n\n{P1}\n\n{P2}\n\nSubscribe to our newsletter\n\n\
             Most read\n\nFerry fares rise again\n\nCopyright © 2025 Example News.\n"
        );
        let cleaned = clean_text(&page, None);
        assert_eq!(cleaned.title.as_deref(), Some("Bridge to close for two years"));
        assert_eq!(cleaned.published.as_deref(), Some("2025-10-28T14:30:00Z"));
        assert_eq!(kept_lines(&cleaned), [10, 12]);
        assert_eq!(reason_of(&cleaned, 7), Some(DropReason::Metadata));
        assert_eq!(reason_of(&cleaned, 14), Some(DropReason::CallToAction));
        assert_eq!(reason_of(&cleaned, 16), Some(DropReason::Related));
        assert_eq!(reason_of(&cleaned, 20), Some(DropReason::Footer));
    }

    #[test]
    fn comments_after_the_article_are_dropped() {
        let reply = "I think the council is right, the bridge has been unsafe for years and \
                     everyone who drives over it every day knows it.";
        let page = format!(
            "![](logo.png)\n\n{P1}\n\n{P2}\n\n{P3}\n\n12 Comments\n\n{reply}\n\nReply\n\n{reply} Really.\n"
        );
        let cleaned = clean_text(&page, None);
        assert_eq!(kept_lines(&cleaned), [3, 5, 7]);
        assert_eq!(reason_of(&cleaned, 9), Some(DropReason::Comments));
        assert_eq!(reason_of(&cleaned, 11), Some(DropReason::Comments));
        assert_eq!(reason_of(&cleaned, 15), Some(DropReason::Comments));
        // A "Comments" link above the story does not cut it.
        let page = format!(
            "![](logo.png)\n\nTeaser line of the story here.\n\nComments\n\n{P1}\n\n{P2}\n"
        );
        assert_eq!(kept_lines(&clean_text(&page, None)), [7, 9]);
    }

    #[test]
    fn captions_and_placeholders_without_blank_lines() {
        let page = format!(
            "{P1}\n![]() |\n| Bridge Closure: Council Acts on Cracked Supports |\n{P2}\n{P3}\n\
             #Bridge #Council\n"
        );
        let cleaned = clean_text(&page, None);
        assert_eq!(kept_lines(&cleaned), [1, 4, 5]);
        assert_eq!(reason_of(&cleaned, 2), Some(DropReason::Image));
        assert_eq!(reason_of(&cleaned, 3), Some(DropReason::Caption));
        assert_eq!(
            cleaned.title.as_deref(),
            Some("Bridge Closure: Council Acts on Cracked Supports"),
            "a caption is the title when nothing better precedes the body"
        );
    }

    #[test]
    fn short_lines_between_paragraphs_are_body() {
        let text = format!(
            "Bridge to close\n\n{P1}\n\nWhat happens next\n\n\"It is a disgrace.\"\n\n{P2}\n"
        );
        let cleaned = clean_text(&text, None);
        assert_eq!(cleaned.title.as_deref(), Some("Bridge to close"));
        assert_eq!(kept_lines(&cleaned), [3, 5, 7, 9]);
    }

    #[test]
    fn plain_article_keeps_its_short_last_line() {
        let text = format!("Bridge to close\n\n{P1}\n\n{P2}\n\nHe said: \"We will fight it.\"\n");
        let cleaned = clean_text(&text, None);
        assert_eq!(kept_lines(&cleaned), [3, 5, 7]);
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "HARBOUR BRIDGE TO CLOSE\n\
                    CITYVILLE, Feb 26 - 26-FEB-1987 15:01:01.79\n\n\
                    The council voted on Tuesday to close the old harbour\n\
                    bridge to cars, and officials said the repairs would\n\
                    take at least two years to complete.\n    \
                    Residents who cross the bridge every day told the\n\
                    meeting that the detour would add half an hour.\n\
                    Cars   1987   1986\n\
                    Daily  1,200  1,150\n";
        let cleaned = clean_text(text, None);
        assert_eq!(cleaned.title.as_deref(), Some("HARBOUR BRIDGE TO CLOSE"));
        assert_eq!(cleaned.published.as_deref(), Some("1987-02-26T15:01:01Z"));
        assert_eq!(reason_of(&cleaned, 2), None, "a plain article keeps its dateline");
        let spans: Vec<(u32, u32)> =
            cleaned.blocks.iter().map(|b| (b.lines.start, b.lines.end)).collect();
        assert_eq!(spans, [(2, 2), (4, 6), (7, 8), (9, 10)]);
        assert!(cleaned.text.contains(
            "15:01:01.79\n\nThe council voted on Tuesday to close the old harbour bridge to cars,"
        ));
        assert!(cleaned.text.ends_with("Cars   1987   1986\nDaily  1,200  1,150"));
    }

    #[test]
    fn lowercase_continuations_join_even_when_short() {
        let text = "Шестой год в России\nпродолжается акция, в которой учителя и родители не покупают \
                    букеты, а отдают деньги на помощь детям.\nОна началась в Москве и быстро \
                    распространилась по всей стране, рассказали организаторы.\n";
        let cleaned = clean_text(text, None);
        assert_eq!(cleaned.title, None);
        assert!(cleaned.text.starts_with("Шестой год в России продолжается"));
        assert_eq!(cleaned.lang.as_deref(), Some("ru"));
        assert!(cleaned.dropped.is_empty(), "{:?}", cleaned.dropped);
    }

    #[test]
    fn foreign_script_chrome_is_dropped() {
        let text = format!(
            "Добавить новость\n\nBridge to close\n\n{P1}\n\n{P2}\n\nМузыкальные новости\n\n\
             Сайт24 — новости круглосуточно на русском языке с ежеминутным обновлением *\n"
        );
        let cleaned = clean_text(&text, None);
        assert_eq!(kept_lines(&cleaned), [5, 7]);
        assert_eq!(reason_of(&cleaned, 1), Some(DropReason::Language));
        assert_eq!(reason_of(&cleaned, 9), Some(DropReason::Language));
        assert_eq!(reason_of(&cleaned, 11), Some(DropReason::Language));
    }

    #[test]
    fn menu_runs_inside_the_body_are_dropped() {
        let text = format!("![](hero.jpg)\n\n{P1}\n\nWorld\n\nBusiness\n\nSport\n\n{P2}\n");
        let cleaned = clean_text(&text, None);
        assert_eq!(kept_lines(&cleaned), [3, 11]);
        assert_eq!(reason_of(&cleaned, 7), Some(DropReason::Menu));
    }

    #[test]
    fn plain_articles_keep_lists_and_lose_only_title_dateline_and_signoff() {
        let text = format!(
            "Cup final result\n\n{P1}\n\nChelsea: Cech, Terry, Lampard (Cole 73).\n\n\
             Arsenal\n\nLiverpool\n\nEverton\n\nAttendance:\n\n71,622\n\n{P2}\n\n\
             Referee: S Bennett (Kent)\n\nReuter\n"
        );
        let cleaned = clean_text(&text, None);
        assert_eq!(cleaned.title.as_deref(), Some("Cup final result"));
        assert_eq!(kept_lines(&cleaned), [3, 5, 7, 9, 11, 13, 15, 17, 19]);
        assert_eq!(reason_of(&cleaned, 21), Some(DropReason::Short));
    }

    #[test]
    fn related_sections_are_dropped() {
        let text = format!(
            "{P1}\n\nRelated articles\n\nCouncil budget vote delayed again\n\n\
                            New ferry service planned\n\n{P2}\n"
        );
        let cleaned = clean_text(&text, None);
        assert_eq!(kept_lines(&cleaned), [1, 9]);
        assert_eq!(reason_of(&cleaned, 3), Some(DropReason::Related));
        assert_eq!(reason_of(&cleaned, 5), Some(DropReason::Related));
    }

    #[test]
    fn template_lines_are_dropped() {
        use super::super::template::Learner;
        let mut learner = Learner::new();
        for i in 0..8 {
            learner.observe(
                "site",
                &format!("Sections Of The Site\nPage {i} body line {}\n", "x".repeat(i + 1)),
            );
        }
        let templates = learner.finish();
        let text = format!("{P1}\n\nSections Of The Site\n\n{P2}\n");
        let cleaned = clean_text(&text, templates.site("site"));
        assert_eq!(kept_lines(&cleaned), [1, 5]);
        assert_eq!(reason_of(&cleaned, 3), Some(DropReason::Template));
    }

    #[test]
    fn text_without_paragraphs_keeps_its_lines() {
        let text = "ACME CORP 1ST QTR NET\n\n    Shr 12 cts vs 10 cts\n    Net 1,234,000 vs 987,000\n    Reuter\n";
        let cleaned = clean_text(text, None);
        assert_eq!(cleaned.title.as_deref(), Some("ACME CORP 1ST QTR NET"));
        assert_eq!(kept_lines(&cleaned), [3, 4]);
    }

    #[test]
    fn dates_in_datelines() {
        assert_eq!(find_date("28 октября 2025, 14:30").as_deref(), Some("2025-10-28T14:30:00Z"));
        assert_eq!(find_date("Updated October 28, 2025").as_deref(), Some("2025-10-28T00:00:00Z"));
        assert_eq!(find_date("2025-10-28").as_deref(), Some("2025-10-28T00:00:00Z"));
        assert_eq!(find_date("31.02.2025"), None);
        assert_eq!(find_date("no date here"), None);
    }

    /// The table-row test as first written, one condition at a time.
    fn is_table_row_by_definition(line: &str) -> bool {
        if line.chars().count() > 160 {
            return false;
        }
        if line.contains('\t') {
            return true;
        }
        let (mut run, mut gaps) = (0, 0);
        for c in line.chars() {
            if c == ' ' {
                run += 1;
                if run >= 3 {
                    return true;
                }
            } else {
                if run == 2 {
                    gaps += 1;
                }
                run = 0;
            }
        }
        gaps >= 2 && line.chars().any(|c| c.is_ascii_digit())
    }

    #[test]
    fn one_pass_line_shape_matches_the_definitions() {
        let long = "word ".repeat(40);
        for line in [
            "",
            "BAHIA COCOA REVIEW",
            "Showers continued throughout the week in",
            "Wheat  12.5  13.0",
            "Wheat  12.5  thirteen",
            "a\tb",
            "a   b",
            "ÉTÉ À PARIS",
            "СОВЕТ УТВЕРДИЛ БЮДЖЕТ",
            "Совет утвердил бюджет",
            "ABC1 2",
            "x\u{a0}y\u{2003}z  1  2",
            "a\u{b}b\u{c}c  1  2",
            "Straße  1  2",
            long.trim(),
        ] {
            let shape = Shape::of(line);
            assert_eq!(shape.chars, line.chars().count(), "{line:?}");
            assert_eq!(shape.tokens, line.split_whitespace().count(), "{line:?}");
            assert_eq!(shape.table(), is_table_row_by_definition(line), "{line:?}");
            assert_eq!(shape.caps(), all_caps(line), "{line:?}");
        }
    }

    #[test]
    fn links_and_helpers() {
        assert!(is_link_token("smi24.net"));
        assert!(is_link_token("Game24.pro"));
        assert!(is_link_token("https://x.y/z"));
        assert!(!is_link_token("U.S."));
        assert!(!is_link_token("e.g."));
        assert!(!is_link_token("Mr.Smith"));
        assert!(!is_link_token("<cb.to>"));
        assert!(is_gallery_counter("image 3 of 12") && is_gallery_counter("фото 2/5"));
        assert!(!is_gallery_counter("image of the day"));
        assert!(ends_sentence("He said \"no.\""));
        assert!(!ends_sentence("Harbour bridge to close"));
        assert_eq!(shorten(&"é".repeat(300)).chars().count(), DROPPED_CHARS + 1);
    }

    #[test]
    fn long_pages_take_linear_time() {
        // Runs of short lines and long blank-free blocks are scanned once,
        // not once per line: 60,000 lines take about a second unoptimised.
        let menu = "Menu item\n".repeat(20_000);
        let page = format!("![](x)\n{menu}\n{P1}\n\n{menu}\n{P2}\n\n{menu}");
        let started = std::time::Instant::now();
        let cleaned = clean_text(&page, None);
        assert_eq!(cleaned.blocks.len(), 2);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn generated_noise_does_not_panic() {
        // A fixed pseudo-random mix of the characters the classifier looks at.
        const PIECES: &[&str] = &[
            " ",
            "  ",
            "   ",
            "\t",
            "\n",
            "\n\n",
            "\r\n",
            "|",
            "#",
            "#tag",
            "![",
            "](",
            ")",
            ".",
            "...",
            ":",
            ",",
            "-",
            "—",
            "«",
            "»",
            "\"",
            "2025",
            "12:30",
            "26-FEB-1987",
            "Oct",
            "октября",
            "the",
            "und",
            "и",
            "Слово",
            "Word",
            "WORD",
            "smi24.net",
            "www.",
            "https://",
            "©",
            "Read more",
            "Фото:",
            "é",
            "漢字",
            "\u{feff}",
            "\u{200b}",
            "a-",
            "x",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(state % 200) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let cleaned = clean_text(&text, None);
            for block in &cleaned.blocks {
                assert!(cleaned.text.get(block.span.start..block.span.end).is_some());
                assert!(block.lines.start <= block.lines.end);
            }
        }
    }

    /// The acceptance check of the seed pages, with the line scorer's rule: a
    /// line is kept when its folded text is in the output (title first), and
    /// a line of at most three words only when it equals an output line.
    #[test]
    fn seed_pages_pass_the_line_gold() {
        let Some(shared) = crate::testing::shared("") else { return };
        let Ok(gold) = std::fs::read_to_string(shared.join("tools/seed-gold.json")) else { return };
        let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold parses");
        let docs = gold["docs"].as_array().expect("docs");
        assert!(!docs.is_empty());
        for doc in docs {
            let file = doc["file"].as_str().expect("file");
            let page = std::fs::read_to_string(shared.join("seeds").join(file)).expect("seed page");
            let cleaned = clean_text(&page, None);
            let mut output = String::new();
            if cleaned.dropped.iter().any(|d| d.reason == DropReason::Title) {
                output.push_str(cleaned.title.as_deref().unwrap_or(""));
                output.push('\n');
            }
            output.push_str(&cleaned.text);
            let folded = fold(&output);
            let out_lines: Vec<String> = output.lines().map(fold).collect();
            let text_of = |n: u64| {
                doc["lines"].as_array().and_then(|lines| {
                    lines.iter().find(|l| l["line"].as_u64() == Some(n))?["text"].as_str()
                })
            };
            let kept = |n: u64| {
                let line = fold(text_of(n).unwrap_or(""));
                let words = line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
                if line.is_empty() {
                    false
                } else if words.count() <= 3 {
                    out_lines.contains(&line)
                } else {
                    folded.contains(&line)
                }
            };
            let numbers = |key: &str| -> Vec<u64> {
                doc[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
                    .unwrap_or_default()
            };
            let lost: Vec<u64> = numbers("keep_lines").into_iter().filter(|&n| !kept(n)).collect();
            let leaked: Vec<u64> = numbers("drop_lines").into_iter().filter(|&n| kept(n)).collect();
            assert!(
                lost.is_empty() && leaked.is_empty(),
                "{file}: lost {lost:?}, kept boilerplate {leaked:?}"
            );
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in
            ["", "\n\n\n", "\r\n", "#", "|", "| |", "![", "…", "1 2 3", "\u{feff}", "a\tb   c"]
        {
            let cleaned = clean_text(text, None);
            assert!(
                cleaned.blocks.iter().all(|b| cleaned.text.get(b.span.start..b.span.end).is_some())
            );
        }
        let long = "слово ".repeat(10_000);
        assert_eq!(clean_text(&long, None).blocks.len(), 1);
    }
}
