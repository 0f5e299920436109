//! Plain data passed between the pipeline stages and to the printers.
//!
//! Nothing here does I/O or names tantivy or clap types; every stage takes and
//! returns these values, so each stage can be tested with a value in and a
//! value out. Byte offsets are always into UTF-8 `&str`s and always fall on
//! character boundaries.

use serde::{Deserialize, Serialize};

/// How the body of a [`RawRecord`] is to be cleaned.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// An HTML document: DOM-based main-content extraction.
    Html,
    /// A flattened text page (a scraper's dump of a page): line classifier.
    Text,
}

/// How line numbers of a record's body map to lines of the file it came from,
/// for `path:line` citations.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum LineMap {
    /// Body line `n` (1-based) is file line `first + n - 1`.
    Offset { first: u32 },
    /// The whole record stands on one file line (a JSON Lines record).
    Fixed(u32),
}

impl LineMap {
    /// Maps an inclusive range of 1-based body lines to file lines.
    pub fn map(self, lines: LineSpan) -> LineSpan {
        match self {
            LineMap::Offset { first } => LineSpan {
                start: first.saturating_add(lines.start).saturating_sub(1),
                end: first.saturating_add(lines.end).saturating_sub(1),
            },
            LineMap::Fixed(line) => LineSpan { start: line, end: line },
        }
    }
}

/// An inclusive range of 1-based line numbers.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, Serialize, Deserialize)]
pub struct LineSpan {
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
}

impl LineSpan {
    /// A span of one line.
    pub fn one(line: u32) -> LineSpan {
        LineSpan { start: line, end: line }
    }

    /// The smallest span covering both.
    pub fn union(self, other: LineSpan) -> LineSpan {
        LineSpan { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A half-open byte range `[start, end)` into some text.
#[derive(Clone, Copy, Debug, Default, Eq, Ord, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Metadata that the container of a record knows (JSON fields, WARC headers),
/// before the page itself is looked at. Page metadata found by the cleaner
/// fills what is missing here; what is here wins.
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct Meta {
    /// Address of the page.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date as written by the source (normalised later).
    pub published: Option<String>,
    /// A fallback date when nothing better is known (a WARC record's date).
    pub fetched: Option<String>,
}

/// One article-sized unit of a file, as read (stage `read`), before decoding.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// Line of a JSON Lines file (1-based) or byte offset of a WARC record;
    /// `None` for a file that is one page.
    pub record: Option<u64>,
    /// How body lines map to file lines.
    pub lines: LineMap,
    /// How to clean the body.
    pub format: Format,
    /// The body's bytes, in whatever charset the source used.
    pub body: Vec<u8>,
    /// Charset declared by the container (an HTTP `Content-Type` header).
    pub charset: Option<String>,
    /// What the container says about the page.
    pub meta: Meta,
}

/// Text decoded to UTF-8 (stage `decode`).
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Name of the charset it was decoded from (WHATWG label, e.g. `windows-1251`).
    pub encoding: &'static str,
    /// True when some bytes were invalid and replaced by U+FFFD.
    pub lossy: bool,
}

/// A paragraph of clean text: its byte span in [`Cleaned::text`] and the body
/// lines it came from.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Block {
    /// Where the paragraph is in the clean text.
    pub span: Span,
    /// Source lines (1-based, in the record's body).
    pub lines: LineSpan,
}

/// Why the cleaner dropped something. The names are stable: `--explain` and
/// `extract --json` print them.
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// Empty or whitespace-only.
    Empty,
    /// Digits and separators only (calendars, counters, page numbers).
    Digits,
    /// A navigation menu, a link list or a site name.
    Menu,
    /// An image placeholder such as `![]()`.
    Image,
    /// An image caption.
    Caption,
    /// An image or photo credit line.
    Credit,
    /// A line of hashtags (kept as tags).
    Hashtags,
    /// A share bar, "read more", "subscribe" and other calls to action.
    CallToAction,
    /// A list of links to other articles.
    Related,
    /// A site footer, copyright or legal line.
    Footer,
    /// Comments under the article.
    Comments,
    /// A line that recurs across many pages of the same site.
    Template,
    /// Too short and too unlike the article's prose to be body.
    Short,
    /// Written in a script or language other than the article's.
    Language,
    /// Script, style, forms and other non-content markup.
    Markup,
    /// Not part of the page's main content block.
    OutsideMain,
    /// The headline, which is kept as the title, not as body.
    Title,
    /// Dates, bylines and other metadata lines.
    Metadata,
    /// Cookie banners, consent and paywall notices.
    Notice,
}

impl DropReason {
    /// The stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Empty => "empty",
            DropReason::Digits => "digits",
            DropReason::Menu => "menu",
            DropReason::Image => "image",
            DropReason::Caption => "caption",
            DropReason::Credit => "credit",
            DropReason::Hashtags => "hashtags",
            DropReason::CallToAction => "call-to-action",
            DropReason::Related => "related",
            DropReason::Footer => "footer",
            DropReason::Comments => "comments",
            DropReason::Template => "template",
            DropReason::Short => "short",
            DropReason::Language => "language",
            DropReason::Markup => "markup",
            DropReason::OutsideMain => "outside-main",
            DropReason::Title => "title",
            DropReason::Metadata => "metadata",
            DropReason::Notice => "notice",
        }
    }
}

/// Something the cleaner dropped, for `lede extract --explain`.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Dropped {
    /// Source lines (1-based, in the record's body).
    pub lines: LineSpan,
    /// The dropped text (whitespace folded, possibly shortened).
    pub text: String,
    /// Why.
    pub reason: DropReason,
}

/// A page with its boilerplate removed (stage `clean`).
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct Cleaned {
    /// Headline.
    pub title: Option<String>,
    /// Publication date, RFC 3339 when it could be normalised.
    pub published: Option<String>,
    /// Canonical address found in the page (`og:url`, `<link rel=canonical>`).
    pub url: Option<String>,
    /// Site name found in the page (`og:site_name`).
    pub site_name: Option<String>,
    /// Language code (`en`, `ru`, ...), declared or guessed.
    pub lang: Option<String>,
    /// Hashtags, without `#`, in order of first appearance, deduplicated.
    pub tags: Vec<String>,
    /// Clean body: paragraphs separated by one blank line, title not included.
    pub text: String,
    /// The paragraphs of `text`, in order.
    pub blocks: Vec<Block>,
    /// What was dropped, in source order.
    pub dropped: Vec<Dropped>,
}

impl Cleaned {
    /// Appends a paragraph to `text` and `blocks`. Whitespace inside the
    /// paragraph is kept as given; empty paragraphs are ignored.
    pub fn push_block(&mut self, paragraph: &str, lines: LineSpan) {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(paragraph);
        self.blocks.push(Block { span: Span { start, end: self.text.len() }, lines });
    }
}

/// Type of an entity.
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, institution, team, band or other organisation.
    Org,
    /// A country, region, city or other place.
    Place,
    /// A product, service or brand of goods.
    Product,
}

impl EntityKind {
    /// All kinds, in index-field order.
    pub const ALL: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Org, EntityKind::Place, EntityKind::Product];

    /// The lower-case name, also the index field of that kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Product => "product",
        }
    }

    /// Parses [`EntityKind::as_str`]'s names.
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// An entity of an article: one canonical name, all its mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// Canonical name ("Andy Jassy" for mentions "Andy Jassy" and "Jassy").
    pub name: String,
    /// Type.
    pub kind: EntityKind,
    /// Byte spans of the mentions in the clean text, in order.
    pub mentions: Vec<Span>,
}

/// Kind of a figure.
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    /// An amount of money; the unit is the currency code.
    Money,
    /// A percentage; the value is in percent (17.5 for 17.5%).
    Percent,
    /// A count of things; the unit is the counted noun ("roles").
    Count,
    /// A length of time; the unit is "days", "years", ...
    Duration,
    /// A ratio such as "one in 13"; the value is the fraction.
    Ratio,
}

impl FigureKind {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FigureKind::Money => "money",
            FigureKind::Percent => "percent",
            FigureKind::Count => "count",
            FigureKind::Duration => "duration",
            FigureKind::Ratio => "ratio",
        }
    }
}

/// A figure of an article: a normalised quantity with what it measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Normalised value ("£1.2bn" -> 1200000000.0, "17.5%" -> 17.5).
    pub value: f64,
    /// Kind.
    pub kind: FigureKind,
    /// Currency code (money), counted noun (count), time unit (duration).
    pub unit: Option<String>,
    /// "approximately", "up to", "over", "each", ...
    pub qualifier: Option<String>,
    /// The figure as written, qualifier and counted noun included when adjacent.
    pub text: String,
    /// Where `text` is in the clean text.
    pub span: Span,
}

/// Entities and figures of one article (stage `extract`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    /// Entities, ordered by first mention.
    pub entities: Vec<Entity>,
    /// Figures, ordered by position.
    pub figures: Vec<Figure>,
}

/// A passage of an article (stage `split`): what the index stores and ranks.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Passage {
    /// Ordinal of the passage in its article, from 0.
    pub ordinal: u32,
    /// Where the passage is in the article's clean text.
    pub span: Span,
    /// Source lines of the passage, in the record's body.
    pub lines: LineSpan,
}

/// A fully processed record: everything `index` writes and `extract` prints.
#[derive(Clone, Debug)]
pub struct Article {
    /// Stable id: a hash of path and record.
    pub doc: u64,
    /// Path of the file, as the walk found it.
    pub path: String,
    /// Record within the file (JSON Lines line, WARC offset).
    pub record: Option<u64>,
    /// How body lines map to file lines.
    pub lines: LineMap,
    /// Page address.
    pub url: Option<String>,
    /// Host of `url`.
    pub site: Option<String>,
    /// Charset the record was decoded from.
    pub encoding: &'static str,
    /// True when undecodable bytes were replaced.
    pub lossy: bool,
    /// The clean page.
    pub cleaned: Cleaned,
    /// Its entities and figures.
    pub annotations: Annotations,
    /// Its passages.
    pub passages: Vec<Passage>,
}

impl Article {
    /// The text of one passage.
    pub fn passage_text(&self, passage: &Passage) -> &str {
        &self.cleaned.text[passage.span.start..passage.span.end]
    }
}

/// A ranked passage, as `query` returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (title boosted).
    pub score: f32,
    /// Stable document id.
    pub doc: u64,
    /// File the passage came from.
    pub path: String,
    /// Record within the file, if the file holds several.
    pub record: Option<u64>,
    /// Lines of the file the passage came from.
    pub lines: LineSpan,
    /// Page address.
    pub url: Option<String>,
    /// Host.
    pub site: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date, RFC 3339.
    pub published: Option<String>,
    /// Language code.
    pub lang: Option<String>,
    /// Ordinal of the passage in its document.
    pub passage: u64,
    /// The whole passage.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<Span>,
    /// Entities mentioned in the passage.
    pub entities: Vec<EntityRef>,
    /// Figures in the passage.
    pub figures: Vec<FigureRef>,
    /// How many near-identical passages (syndicated copies) were folded into this one.
    pub duplicates: u64,
}

/// An entity as a hit lists it.
#[derive(Clone, Debug, Eq, PartialEq, Serialize, Deserialize)]
pub struct EntityRef {
    /// Canonical name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: EntityKind,
}

/// A figure as a hit lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRef {
    /// Normalised value.
    pub value: f64,
    /// Kind.
    pub kind: FigureKind,
    /// Currency code, counted noun or time unit.
    pub unit: Option<String>,
    /// As written.
    pub text: String,
}

/// Closes a query's output.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Hits printed.
    pub returned: usize,
    /// Passages that matched the query (before `--limit` and duplicate folding).
    pub matched: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_maps() {
        let span = LineSpan { start: 3, end: 5 };
        assert_eq!(LineMap::Offset { first: 1 }.map(span), span);
        assert_eq!(LineMap::Offset { first: 10 }.map(span), LineSpan { start: 12, end: 14 });
        assert_eq!(LineMap::Fixed(7).map(span), LineSpan::one(7));
    }

    #[test]
    fn push_block_separates_paragraphs() {
        let mut cleaned = Cleaned::default();
        cleaned.push_block("  First.  ", LineSpan::one(1));
        cleaned.push_block("", LineSpan::one(2));
        cleaned.push_block("Second.", LineSpan::one(3));
        assert_eq!(cleaned.text, "First.\n\nSecond.");
        let spans: Vec<&str> =
            cleaned.blocks.iter().map(|b| &cleaned.text[b.span.start..b.span.end]).collect();
        assert_eq!(spans, ["First.", "Second."]);
    }
}
