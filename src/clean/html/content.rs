//! Main-content extraction on the arena DOM.
//!
//! Input: a [`Dom`]. Output: the page's text blocks in document order (one
//! per paragraph-level element), each marked kept or dropped with a
//! [`DropReason`]. Never fails; a page without prose yields few or no kept
//! blocks.
//!
//! How: the DOM is cut into blocks (runs of inline content inside one
//! paragraph-level element). Each block gets a prose weight from its length,
//! link density and punctuation. Every element adds up the prose weight and
//! the non-prose text of its subtree; the element with the best
//! `prose - penalty × clutter` is the main content, so that an article split
//! over sibling elements is taken whole while menus, teasers and footers
//! around it are left out. Elements whose tag or class/id says boilerplate
//! (nav, footer, aside, comments, share bars, related links, captions,
//! credits, bylines...) are dropped inside the main content too, unless they
//! hold most of the page's prose (a mislabelled wrapper) while neither the
//! headline nor the prose right under it stands outside them (a short post
//! beside a long sidebar or comment section).
//!
//! Refinements, each measured on the evaluation sets: table cells of inline
//! content join into one block per row; prose among whole-link neighbours
//! (teaser lists, unless one paragraph holds most of the page's prose),
//! summaries under the linked headlines of a list of stories and prose
//! before the headline count less; of several
//! `<article>`s of prose the one with the headline wins; a lone winning
//! paragraph gives way to its container, and the choice climbs to ancestors
//! that add much prose and little unmarked clutter (an article beside a long,
//! marked comment section); inside the main
//! content a comment heading or a run of comment signatures ends the
//! article, short labels before the first and after the last paragraph go,
//! headings with nothing kept under them go, and short lines are classified
//! (datelines, bylines, photo credits, calls to action, cookie notices).
//! A block of links is a menu unless one of its lines has a run of words
//! outside the links (a post that gathers links and comments on them).
//! Appeals to the reader (sign up, subscribe, bookmark) that open or close
//! the kept text go.

use crate::model::{DropReason, LineSpan};

use super::dom::{Data, Dom, NONE, NodeId};

/// What kind of element a block came from.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Kind {
    /// Paragraphs and other running text.
    Text,
    /// `h1`..`h6`, with the level.
    Heading(u8),
    /// A list item or definition.
    Item,
    /// A table cell.
    Cell,
    /// Preformatted text.
    Pre,
}

/// A paragraph-level run of text.
#[derive(Clone, Debug)]
pub struct Block {
    /// Whitespace-folded text; `<br>` is `\n`.
    pub text: String,
    /// Characters of text.
    pub chars: u32,
    /// Characters inside links.
    pub link_chars: u32,
    /// Source lines.
    pub lines: LineSpan,
    /// The element that holds the block.
    pub owner: NodeId,
    /// Element kind.
    pub kind: Kind,
    /// Words, counting two CJK characters as one word.
    words: u32,
    /// The longest run of words outside links within one line.
    unlinked_run: u32,
    /// `None` when kept.
    pub drop: Option<DropReason>,
}

impl Block {
    fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f32 / self.chars as f32 }
    }

    /// Words, counting two CJK characters as one word.
    fn words(&self) -> usize {
        self.words as usize
    }

    /// True for text that ends in an ellipsis.
    fn cut_short(&self) -> bool {
        let end = self.text.trim_end();
        end.ends_with("...") || end.ends_with('…')
    }

    /// Weight of the block as article prose (0 for non-prose). With
    /// `teasers`, text cut short with an ellipsis is a teaser linking to
    /// another article, not prose.
    fn prose(&self, teasers: bool) -> f32 {
        let density = self.link_density();
        if density > 0.35 || matches!(self.kind, Kind::Heading(_)) {
            return 0.0;
        }
        let end = self.text.trim_end();
        if teasers && self.cut_short() {
            return 0.0;
        }
        let words = self.words();
        let sentence = end.ends_with(['.', '!', '?', '"', '»', '“', '”', '。', ':', ')', '」']);
        // Punctuation is counted only when it decides.
        let punct = || {
            self.text
                .bytes()
                .filter(|c| matches!(c, b'.' | b',' | b';' | b'!' | b'?'))
                .nth(1)
                .is_some()
        };
        if words >= 12 || (words >= 7 && sentence) || (words >= 8 && punct()) {
            self.chars as f32 * (1.0 - density)
        } else {
            0.0
        }
    }
}

/// Soft hyphens, zero-width spaces and byte-order marks: characters that
/// take no room in the rendered text.
fn invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Han, kana and hangul: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Boilerplate reason of every node from its tag, class, id or role.
pub fn reasons(dom: &Dom) -> Vec<Option<DropReason>> {
    // Pages repeat a few class lists thousands of times: an element whose
    // only attribute is its class gets the answer of the first such class.
    let mut by_class: std::collections::HashMap<&str, Option<DropReason>> = Default::default();
    let mut buf = String::new();
    (0..dom.nodes.len())
        .map(|id| {
            let id = id as NodeId;
            let element = dom.element(id)?;
            if let Some(reason) = tag_reason(dom, id) {
                return Some(reason);
            }
            if matches!(&*element.name.local, "html" | "body") {
                return None;
            }
            // Only class, id and role count: an element with a class and
            // neither of the others is answered by its class alone.
            let mut class = None;
            let mut other = false;
            for attr in &element.attrs {
                let name = &attr.name.local;
                if *name == html5ever::local_name!("class") {
                    other |= class.is_some();
                    class = Some(&*attr.value);
                } else if *name == html5ever::local_name!("id")
                    || *name == html5ever::local_name!("role")
                {
                    other = true;
                }
            }
            match (class, other) {
                (None, false) => None,
                (Some(class), false) => {
                    *by_class.entry(class).or_insert_with(|| class_reason(dom, id, &mut buf))
                }
                _ => class_reason(dom, id, &mut buf),
            }
        })
        .collect()
}

/// Cuts the DOM into blocks; `reasons` is [`reasons`]' answer.
pub fn blocks(dom: &Dom, reasons: &[Option<DropReason>]) -> Vec<Block> {
    let mut walker = Walker {
        dom,
        reasons,
        blocks: Vec::new(),
        buf: String::new(),
        link_chars: 0,
        chars: 0,
        lo: u32::MAX,
        hi: 0,
        owner: 0,
        links: 0,
        pre: 0,
        run: 0,
        longest_run: 0,
    };
    walker.walk(0);
    walker.flush();
    walker.blocks
}

struct Walker<'a> {
    dom: &'a Dom,
    reasons: &'a [Option<DropReason>],
    blocks: Vec<Block>,
    buf: String,
    link_chars: u32,
    chars: u32,
    lo: u32,
    hi: u32,
    owner: NodeId,
    links: u32,
    pre: u32,
    /// Words outside links since the last link or line break.
    run: u32,
    /// The longest such run in the block so far.
    longest_run: u32,
}

/// A step of the walk: visit a node, or close an element after its children.
enum Step {
    Enter(NodeId),
    Leave { link: bool, pre: bool, block: bool, owner: NodeId },
}

#[derive(Clone, Copy, Eq, PartialEq)]
enum Role {
    Skip,
    Block,
    Break,
    Inline,
    /// A table cell of inline content: part of its row's block.
    Cell,
}

/// True when a table cell holds paragraphs of its own (a layout table).
fn holds_blocks(dom: &Dom, cell: NodeId) -> bool {
    let mut breaks = 0;
    // Pre-order over the cell's first 5000 descendants by the sibling
    // links: no stack to allocate for each of a layout table's cells.
    let first = |id: NodeId| dom.node(id).map_or(NONE, |n| n.first);
    let mut id = first(cell);
    let mut seen = 0;
    while id != NONE && seen < 5000 {
        seen += 1;
        let tag = dom.tag(id).map(|t| &**t);
        id = next_within(dom, id, cell, first(id));
        match tag {
            Some(
                "p" | "div" | "table" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "blockquote" | "pre" | "section" | "article" | "dl" | "form",
            ) => return true,
            Some("br") => {
                breaks += 1;
                if breaks >= 2 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The node after `id` in a pre-order walk of the subtree of `root`
/// (`child` is `id`'s first child), or [`NONE`] past its end.
fn next_within(dom: &Dom, mut id: NodeId, root: NodeId, child: NodeId) -> NodeId {
    if child != NONE {
        return child;
    }
    while id != root {
        let Some(node) = dom.node(id) else { return NONE };
        if node.next != NONE {
            return node.next;
        }
        id = node.parent;
    }
    NONE
}

fn role(dom: &Dom, id: NodeId, marked: bool) -> Role {
    use html5ever::local_name as l;
    let Some(element) = dom.element(id) else { return Role::Inline };
    if element.name.ns != html5ever::ns!(html) {
        return Role::Skip;
    }
    match element.name.local {
        l!("script")
        | l!("style")
        | l!("template")
        | l!("head")
        | l!("meta")
        | l!("link")
        | l!("svg")
        | l!("math")
        | l!("canvas")
        | l!("iframe")
        | l!("object")
        | l!("embed")
        | l!("video")
        | l!("audio")
        | l!("source")
        | l!("track")
        | l!("map")
        | l!("noscript")
        | l!("img")
        | l!("picture")
        | l!("input")
        | l!("select")
        | l!("textarea")
        | l!("button")
        | l!("option")
        | l!("datalist")
        | l!("title")
        | l!("base")
        | l!("param")
        | l!("dialog") => Role::Skip,
        l!("br") => Role::Break,
        l!("td") | l!("th") => {
            if holds_blocks(dom, id) {
                Role::Block
            } else {
                Role::Cell
            }
        }
        l!("p")
        | l!("div")
        | l!("li")
        | l!("h1")
        | l!("h2")
        | l!("h3")
        | l!("h4")
        | l!("h5")
        | l!("h6")
        | l!("blockquote")
        | l!("pre")
        | l!("section")
        | l!("article")
        | l!("ul")
        | l!("ol")
        | l!("table")
        | l!("tr")
        | l!("tbody")
        | l!("thead")
        | l!("tfoot")
        | l!("dl")
        | l!("dt")
        | l!("dd")
        | l!("figure")
        | l!("figcaption")
        | l!("caption")
        | l!("header")
        | l!("footer")
        | l!("nav")
        | l!("aside")
        | l!("main")
        | l!("form")
        | l!("address")
        | l!("hr")
        | l!("center")
        | l!("details")
        | l!("summary")
        | l!("fieldset")
        | l!("legend")
        | l!("body")
        | l!("html")
        | l!("menu")
        | l!("hgroup")
        | l!("frameset")
        | l!("frame")
        | l!("noframes")
        | l!("dir") => Role::Block,
        _ => {
            if marked {
                Role::Block
            } else {
                Role::Inline
            }
        }
    }
}

impl Walker<'_> {
    /// Walks the tree under `root` in document order with an explicit
    /// stack, so that no nesting depth can overflow the call stack.
    fn walk(&mut self, root: NodeId) {
        let dom = self.dom;
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            let id = match step {
                Step::Enter(id) => id,
                Step::Leave { link, pre, block, owner } => {
                    if block {
                        self.flush();
                        self.owner = owner;
                    }
                    self.links -= u32::from(link);
                    self.pre -= u32::from(pre);
                    continue;
                }
            };
            let Some(node) = dom.node(id) else { continue };
            match &node.data {
                Data::Text(text) => self.text(text, node.line, node.line_end),
                Data::Other => {}
                Data::Document => {
                    let start = stack.len();
                    stack.extend(dom.children(id).map(Step::Enter));
                    stack[start..].reverse();
                }
                Data::Element(element) => {
                    let marked = self.reasons.get(id as usize).is_some_and(Option::is_some);
                    let role = role(dom, id, marked);
                    match role {
                        Role::Skip => continue,
                        Role::Break => {
                            self.newline();
                            continue;
                        }
                        _ => {}
                    }
                    let local = &*element.name.local;
                    let link = local == "a";
                    let pre = local == "pre";
                    self.links += u32::from(link);
                    self.pre += u32::from(pre);
                    let block = role == Role::Block;
                    stack.push(Step::Leave { link, pre, block, owner: self.owner });
                    if block {
                        self.flush();
                        self.owner = id;
                    } else if role == Role::Cell {
                        self.space();
                    }
                    let start = stack.len();
                    stack.extend(dom.children(id).map(Step::Enter));
                    stack[start..].reverse();
                }
            }
        }
    }

    fn text(&mut self, text: &str, lo: u32, hi: u32) {
        let mut added = 0u32;
        let words;
        if self.pre > 0 {
            for c in text.chars().filter(|&c| !invisible(c)) {
                if c == '\n' {
                    self.newline();
                } else if !(c.is_whitespace() && (self.buf.is_empty() || self.buf.ends_with(' '))) {
                    self.buf.push(if c.is_whitespace() { ' ' } else { c });
                    added += u32::from(!c.is_whitespace());
                }
            }
            words = if added > 0 && self.links == 0 { prose_words(text) } else { 0 };
        } else {
            (added, words) = self.fold_in(text);
        }
        if added > 0 {
            self.chars += added;
            if self.links > 0 {
                self.link_chars += added;
                self.run = 0;
            } else {
                self.run = self.run.saturating_add(words);
                self.longest_run = self.longest_run.max(self.run);
            }
            if lo <= hi {
                self.lo = self.lo.min(lo);
                self.hi = self.hi.max(hi);
            }
        }
    }

    /// Appends `text` outside `<pre>` with its whitespace folded and its
    /// invisible characters left out, in one pass that also counts what
    /// [`prose_words`] counts. Returns the characters added and the words.
    fn fold_in(&mut self, text: &str) -> (u32, u32) {
        let bytes = text.as_bytes();
        let mut added = 0u32;
        let mut words = 0u32;
        // Inside a word (a run of non-whitespace), and whether it has a
        // letter or digit.
        let mut in_word = false;
        let mut alnum = false;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                    words += u32::from(in_word && alnum);
                    (in_word, alnum) = (false, false);
                    self.space();
                    i += 1;
                    continue;
                }
                // A run of ASCII non-whitespace is copied whole.
                let start = i;
                while let Some(&b) = bytes.get(i) {
                    if b >= 0x80 || matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                        break;
                    }
                    alnum |= b.is_ascii_alphanumeric();
                    i += 1;
                }
                in_word = true;
                self.buf.push_str(text.get(start..i).unwrap_or_default());
                added += (i - start) as u32;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
            i += c.len_utf8();
            if c.is_whitespace() {
                words += u32::from(in_word && alnum);
                (in_word, alnum) = (false, false);
                self.space();
            } else {
                in_word = true;
                alnum |= c.is_alphanumeric();
                if !invisible(c) {
                    self.buf.push(c);
                    added += 1;
                }
            }
        }
        words += u32::from(in_word && alnum);
        (added, words)
    }

    fn space(&mut self) {
        if self.buf.as_bytes().last().is_some_and(|&b| b != b' ' && b != b'\n') {
            self.buf.push(' ');
        }
    }

    fn newline(&mut self) {
        self.run = 0;
        let trimmed = self.buf.trim_end_matches(' ').len();
        self.buf.truncate(trimmed);
        if !self.buf.is_empty() && !self.buf.ends_with("\n\n") {
            self.buf.push('\n');
        }
    }

    fn flush(&mut self) {
        let text = self.buf.trim();
        if self.chars > 0 && !text.is_empty() {
            let mut joined = String::with_capacity(text.len());
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    joined.push('\n');
                }
                joined.push_str(line.trim());
            }
            let text = joined;
            let line = self.dom.node(self.owner).map_or(0, |n| n.line);
            let lines = if self.lo <= self.hi {
                LineSpan { start: self.lo, end: self.hi }
            } else {
                LineSpan::one(line)
            };
            let kind = kind_of(self.dom, self.owner);
            let words = block_words(&text);
            self.blocks.push(Block {
                words: u32::try_from(words).unwrap_or(u32::MAX),
                text,
                chars: self.chars,
                link_chars: self.link_chars,
                unlinked_run: self.longest_run,
                lines,
                owner: self.owner,
                kind,
                drop: None,
            });
        }
        self.buf.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.run = 0;
        self.longest_run = 0;
        self.lo = u32::MAX;
        self.hi = 0;
    }
}

/// Words of a text node that count towards a run of prose: runs of
/// non-whitespace with a letter or digit.
fn prose_words(text: &str) -> u32 {
    let words = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    u32::try_from(words).unwrap_or(u32::MAX)
}

/// `text.split_whitespace().count()`, stopping at `limit`, with an ASCII
/// fast path.
fn words_upto(text: &str, limit: usize) -> usize {
    scan_words(text, limit).0
}

/// Words of a block's text, counting two CJK characters as one word, in
/// one pass with an ASCII fast path.
fn block_words(text: &str) -> usize {
    let (words, cjk) = scan_words(text, usize::MAX);
    words + cjk / 2
}

/// One pass over `text`: its whitespace-separated words (stopping once
/// `limit` are counted) and its CJK characters. ASCII bytes are read without
/// decoding characters.
fn scan_words(text: &str, limit: usize) -> (usize, usize) {
    let mut words = 0;
    let mut cjk = 0;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let space = if b < 0x80 {
            i += 1;
            matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
            i += c.len_utf8();
            cjk += usize::from(is_cjk(c));
            c.is_whitespace()
        };
        if !space && !in_word {
            words += 1;
            if words >= limit {
                break;
            }
        }
        in_word = !space;
    }
    (words, cjk)
}

fn kind_of(dom: &Dom, owner: NodeId) -> Kind {
    use html5ever::local_name as l;
    let Some(tag) = dom.tag(owner) else { return Kind::Text };
    match *tag {
        l!("h1") => Kind::Heading(1),
        l!("h2") => Kind::Heading(2),
        l!("h3") => Kind::Heading(3),
        l!("h4") => Kind::Heading(4),
        l!("h5") => Kind::Heading(5),
        l!("h6") => Kind::Heading(6),
        l!("li") | l!("dd") | l!("dt") => Kind::Item,
        l!("td") | l!("th") | l!("tr") => Kind::Cell,
        l!("pre") => Kind::Pre,
        _ => Kind::Text,
    }
}

/// Boilerplate words in class and id values, with what they mean (a
/// `match`, which the compiler turns into a search by length).
fn class_word(word: &str) -> Option<DropReason> {
    match word {
        "comment" | "comments" | "disqus" | "replies" => Some(DropReason::Comments),
        "share" | "sharing" | "social" | "newsletter" | "subscribe" | "subscription" | "signup"
        | "promo" | "advert" | "advertisement" | "ad" | "ads" | "sponsor" => {
            Some(DropReason::CallToAction)
        }
        "related" | "recommended" | "recommendations" | "popular" | "trending" | "teaser"
        | "sidebar" => Some(DropReason::Related),
        "nav" | "navbar" | "navigation" | "menu" | "breadcrumb" | "breadcrumbs" | "pagination"
        | "pager" | "tags" | "toolbar" => Some(DropReason::Menu),
        "footer" | "copyright" => Some(DropReason::Footer),
        "cookie" | "cookies" | "consent" | "gdpr" | "modal" | "popup" => Some(DropReason::Notice),
        "caption" | "figcaption" | "gallery" | "slideshow" | "carousel" | "slider" => {
            Some(DropReason::Caption)
        }
        "credit" | "credits" => Some(DropReason::Credit),
        "byline" | "author" | "dateline" | "timestamp" | "date" | "meta" => {
            Some(DropReason::Metadata)
        }
        _ => None,
    }
}

/// Class and id words that say "this holds the article": they cancel a
/// boilerplate word in the same element ("entry-author-x", "post-meta-body").
const CONTENT_WORDS: [&str; 9] =
    ["article", "body", "content", "main", "entry", "story", "text", "post", "articlebody"];

/// The boilerplate meaning of an element's class, id or role, if any.
/// `value` is a buffer for the lower-cased class and id, reused across
/// elements.
pub fn class_reason(dom: &Dom, id: NodeId, value: &mut String) -> Option<DropReason> {
    let element = dom.element(id)?;
    if matches!(&*element.name.local, "html" | "body") {
        return None;
    }
    value.clear();
    for attr in &element.attrs {
        let name = &*attr.name.local;
        if name == "role" {
            let role = attr.value.trim();
            let is = |r: &str| role.eq_ignore_ascii_case(r);
            if is("navigation") || is("menu") || is("menubar") {
                return Some(DropReason::Menu);
            } else if is("contentinfo") {
                return Some(DropReason::Footer);
            } else if is("complementary") {
                return Some(DropReason::Related);
            } else if is("dialog") || is("alertdialog") {
                return Some(DropReason::Notice);
            }
        } else if name == "class" || name == "id" {
            value.push(' ');
            value.push_str(&attr.value);
        }
    }
    if value.is_empty() {
        return None;
    }
    value.make_ascii_lowercase();
    let value = &*value;
    let mut reason = None;
    let mut content = false;
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        content |= CONTENT_WORDS.contains(&word);
        if reason.is_none() {
            reason = class_word(word);
        }
    }
    if reason.is_none() {
        reason = compound_reason(value);
    }
    match reason {
        Some(DropReason::Comments) => reason,
        Some(_) if content => None,
        _ => reason,
    }
}

/// Stems of boilerplate words that class and id values run together with
/// others ("sharebar", "relatedposts"), the first found winning.
const STEMS: [(&str, DropReason); 13] = [
    ("comment", DropReason::Comments),
    ("share", DropReason::CallToAction),
    ("social", DropReason::CallToAction),
    ("newsletter", DropReason::CallToAction),
    ("related", DropReason::Related),
    ("sidebar", DropReason::Related),
    ("breadcrumb", DropReason::Menu),
    ("footer", DropReason::Footer),
    ("cookie", DropReason::Notice),
    ("caption", DropReason::Caption),
    ("slideshow", DropReason::Caption),
    ("byline", DropReason::Metadata),
    ("advert", DropReason::CallToAction),
];

/// The meaning of the first of [`STEMS`] that the lower-cased `value`
/// holds anywhere ("comment" not in a value that holds "commentar", German
/// for commentary), found in one pass over the value.
fn compound_reason(value: &str) -> Option<DropReason> {
    let bytes = value.as_bytes();
    // Bit `i` is set when `STEMS[i]` occurs.
    let mut found = 0u32;
    let mut commentar = false;
    for (at, &b) in bytes.iter().enumerate() {
        // Only the stems that start with this byte are compared.
        if !matches!(b, b'a' | b'b' | b'c' | b'f' | b'n' | b'r' | b's') {
            continue;
        }
        let rest = bytes.get(at..).unwrap_or_default();
        for (i, (stem, _)) in STEMS.iter().enumerate() {
            if stem.as_bytes().first() == Some(&b) && rest.starts_with(stem.as_bytes()) {
                found |= 1 << i;
            }
        }
        commentar |= rest.starts_with(b"commentar");
    }
    if commentar {
        found &= !1;
    }
    STEMS.get(found.trailing_zeros() as usize).map(|&(_, r)| r)
}

/// The boilerplate meaning of an element's tag, if any.
fn tag_reason(dom: &Dom, id: NodeId) -> Option<DropReason> {
    use html5ever::local_name as l;
    match *dom.tag(id)? {
        l!("nav") | l!("menu") => Some(DropReason::Menu),
        l!("footer") => Some(DropReason::Footer),
        l!("aside") => Some(DropReason::Related),
        l!("figcaption") | l!("caption") => Some(DropReason::Caption),
        l!("address") => Some(DropReason::Metadata),
        _ => None,
    }
}

/// True for an element whose class or id names a date ("date-outer",
/// "post-date").
fn dated(dom: &Dom, id: NodeId) -> bool {
    ["class", "id"].iter().any(|attr| {
        dom.attr(id, attr).is_some_and(|v| {
            v.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
                ["date", "dateline", "timestamp"].iter().any(|d| w.eq_ignore_ascii_case(d))
            })
        })
    })
}

/// True for elements that say "this is the article".
fn article_marker(dom: &Dom, id: NodeId) -> bool {
    match dom.tag(id).map(|t| &**t) {
        Some("article" | "main") => return true,
        None => return false,
        _ => {}
    }
    if dom.attr(id, "role").is_some_and(|r| r.eq_ignore_ascii_case("main")) {
        return true;
    }
    if dom
        .attr(id, "itemprop")
        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody") || p.eq_ignore_ascii_case("text"))
    {
        return true;
    }
    ["class", "id"].iter().any(|attr| {
        dom.attr(id, attr).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            [
                "article-body",
                "articlebody",
                "article_body",
                "article-content",
                "article__body",
                "entry-content",
                "post-content",
                "post-body",
                "postbody",
                "story-body",
                "storybody",
                "story-content",
                "article-text",
                "articletext",
                "news-text",
                "body-text",
            ]
            .iter()
            .any(|m| v.contains(m))
        })
    })
}

/// Marks every block kept or dropped.
/// `reason` is [`reasons`]' answer; `title_at` the index of the block that
/// holds the headline, if one does.
pub fn select(
    dom: &Dom,
    blocks: &mut [Block],
    mut reason: Vec<Option<DropReason>>,
    title_at: Option<usize>,
) {
    let n = dom.nodes.len();
    // Several paragraphs cut short with "..." are a list of teasers.
    let teasers = blocks.iter().filter(|b| b.words() >= 12 && b.cut_short()).count() >= 3;
    let mut prose: Vec<f32> = blocks.iter().map(|b| b.prose(teasers)).collect();
    // Prose by the block's own signals, before its neighbourhood is judged.
    let own_prose = prose.clone();

    let parents = parents(dom);
    let parents = &parents[..];
    discount_teasers(parents, blocks, &mut prose);
    discount_summaries(dom, parents, blocks, &own_prose, title_at, &mut prose);
    // A teaser list has many teasers, each a small share of the page's
    // prose; a paragraph holding most of it is the article, whatever links
    // sit around it. The discount leaves a block at least its own prose
    // times the square of its share.
    let total_own: f32 = own_prose.iter().sum();
    for (weight, &own) in prose.iter_mut().zip(&own_prose) {
        let share = own / total_own.max(1.0);
        *weight = weight.max(own * share * share);
    }
    // The article follows its headline: prose before it is mostly teasers
    // and sidebars.
    if let Some(title_at) = title_at {
        for weight in prose.iter_mut().take(title_at) {
            *weight *= 0.5;
        }
    }
    let total: f32 = prose.iter().sum();

    // Per element, in one climb from each block: the prose under it,
    // ignoring boilerplate marks; its text and paragraphs; the longest
    // paragraph of prose under it, judged on itself; its first block.
    let mut raw = vec![0f32; n];
    let mut text_chars = vec![0u32; n];
    let mut paragraphs = vec![0u32; n];
    let mut longest = vec![0f32; n];
    let mut first_block = vec![usize::MAX; n];
    for (i, ((block, &weight), &own)) in blocks.iter().zip(&prose).zip(&own_prose).enumerate() {
        let paragraph = weight > 0.0;
        up(parents, block.owner, |id| {
            let id = id as usize;
            if paragraph {
                raw[id] += weight;
            }
            text_chars[id] += block.chars;
            paragraphs[id] += u32::from(paragraph);
            longest[id] = longest[id].max(own);
            if first_block[id] == usize::MAX {
                first_block[id] = i;
            }
        });
    }
    // A boilerplate mark on an element holding most of the prose is wrong,
    // unless the article stands beside it: the headline is outside the
    // element and prose follows the headline before the element starts (a
    // short post before a long sidebar or comment section, whose prose may
    // also have been discounted as teasers).
    let title_owner = title_at.and_then(|i| blocks.get(i)).map(|b| b.owner);
    let beside = |id: usize| {
        let (Some(title_at), Some(title)) = (title_at, title_owner) else { return false };
        let first = first_block.get(id).copied().unwrap_or(usize::MAX).min(blocks.len());
        !inside_of(parents, title, id as NodeId)
            && own_prose.get(title_at + 1..first).is_some_and(|p| p.iter().any(|&w| w > 0.0))
    };
    for (id, slot) in reason.iter_mut().enumerate() {
        if let Some(r) = *slot {
            let share = if total > 0.0 { raw[id] / total } else { 0.0 };
            // A dialog or banner stays one even when it is long.
            let limit = match r {
                DropReason::Notice => f32::INFINITY,
                DropReason::Comments => 0.9,
                _ => 0.5,
            };
            // Bylines, captions and credits are short: one holding whole
            // paragraphs of prose is a wrapper with a misleading name.
            let small = matches!(
                r,
                DropReason::Metadata | DropReason::Caption | DropReason::Credit | DropReason::Menu
            );
            // A byline or dateline is a line or two, not a post, and does
            // not hold the headline; a date wrapper holding a paragraph of
            // prose is the post of a blog that groups its posts by day.
            let long = matches!(r, DropReason::Metadata | DropReason::Credit)
                && (text_chars[id] > 600
                    || paragraphs[id] >= 2
                    || title_owner.is_some_and(|t| inside_of(parents, t, id as NodeId))
                    || (longest[id] >= 200.0 && dated(dom, id as NodeId)));
            if (share >= limit && (small || !beside(id))) || (small && raw[id] >= 400.0) || long {
                *slot = None;
            }
        }
    }
    // Nearest boilerplate ancestor of each block.
    let block_reason: Vec<Option<DropReason>> = blocks
        .iter()
        .map(|b| {
            let mut id = b.owner;
            while id != NONE {
                if let Some(r) = reason.get(id as usize).copied().flatten() {
                    return Some(r);
                }
                id = parents.get(id as usize).copied().unwrap_or(NONE);
            }
            None
        })
        .collect();

    // Comments sit inside a blog post's container and are dropped wherever
    // the main content is: they weigh less against it (measured).
    let comment_weight = 0.4;
    let mut good = vec![0f32; n];
    let mut bad = vec![0f32; n];
    // Clutter that no boilerplate mark will drop.
    let mut unmarked = vec![0f32; n];
    for ((block, &weight), r) in blocks.iter().zip(&prose).zip(&block_reason) {
        let (g, b, u) = if let Some(r) = r {
            let w = if *r == DropReason::Comments { comment_weight } else { 1.0 };
            (0.0, w * block.chars as f32, 0.0)
        } else {
            let clutter = block.chars as f32 - weight;
            (weight, clutter, clutter)
        };
        up(parents, block.owner, |id| {
            good[id as usize] += g;
            bad[id as usize] += b;
            unmarked[id as usize] += u;
        });
    }
    // What a character of clutter costs against one of prose (measured on
    // the dev sets: 0.2 to 0.45 all work, 0.25 is best on average).
    let penalty = 0.25;
    let mut best = 0 as NodeId;
    let mut best_score = f32::MIN;
    for id in 0..n {
        if good[id] <= 0.0 {
            continue;
        }
        let mut score = good[id] - penalty * bad[id];
        if article_marker(dom, id as NodeId) {
            score *= 1.1;
        }
        if score > best_score {
            best_score = score;
            best = id as NodeId;
        }
    }
    // One paragraph is not a whole article (measured: the container of a
    // lone winning paragraph holds the rest of the article more often than
    // clutter).
    let best = if blocks.iter().all(|b| b.owner == best || !inside_of(parents, b.owner, best))
        && dom.parent(best) != NONE
    {
        dom.parent(best)
    } else {
        best
    };
    let best = widen(dom, best, &good, &unmarked);
    let best = first_of_several_articles(dom, best, &good, title_at.and_then(|i| blocks.get(i)));

    for (block, r) in blocks.iter_mut().zip(block_reason) {
        block.drop = if let Some(r) = r {
            Some(r)
        } else if !inside_of(parents, block.owner, best) {
            Some(DropReason::OutsideMain)
        } else {
            local_reason(block)
        };
    }
    drop_comments(blocks, &prose);
    peel_appeals(blocks);
    trim_edges(blocks, &prose);
    drop_orphan_headings(blocks);
}

/// Words that head a comment section ("12 Comments", "Leave a Reply").
const COMMENT_HEADS: &[&str] = &[
    "comment",
    "comments",
    "responses",
    "response",
    "replies",
    "reply",
    "kommentare",
    "kommentar",
    "kommentieren",
    "commentaires",
    "commentaire",
    "comentarios",
    "comentario",
    "commenti",
    "reacties",
    "komentarze",
    "комментарии",
    "комментариев",
    "комментарий",
    "discussion",
    "trackback",
    "trackbacks",
];

/// True for a short line that opens a comment section.
fn comment_head(text: &str) -> bool {
    // A paragraph is turned away before its words are copied.
    if text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).nth(5).is_some() {
        return false;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    words.iter().any(|w| COMMENT_HEADS.contains(&w.as_str()))
        && words.iter().all(|w| {
            COMMENT_HEADS.contains(&w.as_str())
                || w.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    w.as_str(),
                    "a" | "an"
                        | "the"
                        | "leave"
                        | "post"
                        | "add"
                        | "your"
                        | "no"
                        | "one"
                        | "to"
                        | "on"
                        | "this"
                        | "entry"
                        | "post's"
                        | "reader"
                        | "readers"
                        | "show"
                        | "view"
                        | "all"
                        | "und"
                        | "de"
                        | "des"
                        | "los"
                        | "ihr"
                        | "ein"
                        | "einen"
                        | "schreiben"
                        | "hinterlassen"
                        | "leser"
                        | "laisser"
                        | "un"
                        | "dejar"
                        | "deja"
                        | "tu"
                        | "votre"
                )
        })
}

/// A comment's signature line: "Posted by: Ellen at September 10, 2012
/// 11:40 AM", "Heather on October 23rd, 2012 1:37 pm", "Joe says:".
fn comment_signature(text: &str) -> bool {
    // Lower-casing keeps the words, so a paragraph is turned away before
    // it is copied.
    let words = words_upto(text, 15);
    if words > 14 {
        return false;
    }
    // Without four digits only the endings can match, and only ASCII
    // letters lower-case to theirs: no copy needed.
    if text.bytes().filter(u8::is_ascii_digit).nth(3).is_none() {
        let ends = |suffix: &str| {
            text.len()
                .checked_sub(suffix.len())
                .and_then(|at| text.as_bytes().get(at..))
                .is_some_and(|end| end.eq_ignore_ascii_case(suffix.as_bytes()))
        };
        return ends(" says:") || ends(" said...") || ends(" wrote:");
    }
    let lower = text.to_lowercase();
    let dated = lower.chars().filter(char::is_ascii_digit).count() >= 4
        && (lower.contains(" at ")
            || lower.contains(" on ")
            || lower.contains(" am ")
            || lower.contains(':'));
    (lower.starts_with("posted by") && dated)
        || lower.ends_with(" says:")
        || lower.ends_with(" said...")
        || lower.ends_with(" wrote:")
        || (dated && (lower.ends_with(" am") || lower.ends_with(" pm")) && words <= 10)
}

/// Drops what follows the start of a comment section inside the main
/// content: a comment heading, or the first of three or more comment
/// signatures, once a paragraph of prose is behind.
fn drop_comments(blocks: &mut [Block], prose: &[f32]) {
    let kept = |b: &Block| b.drop != Some(DropReason::OutsideMain);
    let signatures: Vec<usize> = (0..blocks.len())
        .filter(|&i| kept(&blocks[i]) && comment_signature(&blocks[i].text))
        .collect();
    let mut before = 0.0;
    let mut start = None;
    for (i, block) in blocks.iter().enumerate() {
        if !kept(block) {
            continue;
        }
        if before >= 150.0 {
            // A link to the comments ("12 Comments") is not their heading.
            let heading = block.drop.is_none() || matches!(block.kind, Kind::Heading(_));
            if heading && block.link_density() < 0.5 && comment_head(&block.text) {
                start = Some(i);
                break;
            }
            if signatures.len() >= 3 && signatures.first() == Some(&i) {
                start = Some(i + 1);
                break;
            }
        }
        if block.drop.is_none() {
            before += prose.get(i).copied().unwrap_or(0.0);
        }
    }
    if let Some(start) = start {
        for block in blocks.iter_mut().skip(start) {
            if block.drop.is_none() {
                block.drop = Some(DropReason::Comments);
            }
        }
    }
}

/// Phrases of appeals to the reader that open or close an article: sign
/// up, subscribe, follow, bookmark; the comment form's notices.
const APPEAL_PHRASES: &[&str] = &[
    "sign up",
    "sign-up",
    "subscribe",
    "newsletter",
    "follow us",
    "like us",
    "bookmark",
    "rss feed",
    "rss 2.0",
    "comments are closed",
    "comments are now closed",
    "you may use these html tags",
    "this entry was posted",
    "you can follow any responses",
    "abonnieren",
    "folgen sie",
    "suscríbete",
    "abonnez-vous",
];

/// An appeal to the reader: a paragraph of at most 40 words with one of
/// [`APPEAL_PHRASES`] (at word boundaries: "subscribers" is not one), or
/// of at most 80 words that opens with one.
fn appeal(text: &str) -> bool {
    let words = text.split_whitespace().count();
    if words > 80 {
        return false;
    }
    let lower = text.trim_start().to_lowercase();
    APPEAL_PHRASES.iter().any(|p| {
        lower.match_indices(p).any(|(at, _)| {
            if words > 40 && at > 0 {
                return false;
            }
            let before = lower.get(..at).and_then(|s| s.chars().next_back());
            let after = lower.get(at + p.len()..).and_then(|s| s.chars().next());
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// Drops the appeals to the reader that open or close the kept text
/// ("Visiting for the first time? Sign up for our newsletter", "This entry
/// was posted ... You can follow any responses through the RSS 2.0 feed"),
/// peeling from each end while the outermost kept block is one, and
/// leaving at least one block. A signature line ("Posted by Jane at
/// November 11, 2012 5:00 PM") that closes the kept text goes too.
fn peel_appeals(blocks: &mut [Block]) {
    let kept: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].drop.is_none()).collect();
    let mut lo = 0;
    let mut hi = kept.len();
    while hi > lo + 1 {
        let text = &blocks[kept[hi - 1]].text;
        let reason = if appeal(text) {
            DropReason::CallToAction
        } else if comment_signature(text) {
            DropReason::Metadata
        } else {
            break;
        };
        hi -= 1;
        blocks[kept[hi]].drop = Some(reason);
    }
    while hi > lo + 1 && appeal(&blocks[kept[lo]].text) {
        blocks[kept[lo]].drop = Some(DropReason::CallToAction);
        lo += 1;
    }
}

/// Before the first and after the last paragraph of prose, a short line
/// that is neither a heading nor a list item is a label, a byline or a
/// call to action ("Live", "Schon gelesen?", "Print").
fn trim_edges(blocks: &mut [Block], prose: &[f32]) {
    let kept_prose = |i: usize| blocks[i].drop.is_none() && prose.get(i).is_some_and(|&p| p > 0.0);
    let Some(first) = (0..blocks.len()).find(|&i| kept_prose(i)) else { return };
    let Some(last) = (0..blocks.len()).rev().find(|&i| kept_prose(i)) else { return };
    for (i, block) in blocks.iter_mut().enumerate() {
        if (i < first || i > last)
            && block.drop.is_none()
            && matches!(block.kind, Kind::Text | Kind::Cell)
            && block.words() <= 6
            && !(block.words() >= 3 && block.text.trim_end().ends_with(['.', '!']))
        {
            block.drop = Some(DropReason::Short);
        }
    }
}

/// A heading with nothing kept under it (up to the next heading of the
/// same or a higher level) titles something that was dropped: a related
/// list, a comment form.
fn drop_orphan_headings(blocks: &mut [Block]) {
    for i in 0..blocks.len() {
        let Kind::Heading(level) = blocks[i].kind else { continue };
        if blocks[i].drop.is_some() {
            continue;
        }
        let mut has_content = false;
        for next in &blocks[i + 1..] {
            if let Kind::Heading(l) = next.kind
                && l <= level
            {
                break;
            }
            if next.drop.is_none() {
                has_content = true;
                break;
            }
        }
        if !has_content {
            blocks[i].drop = Some(DropReason::Related);
        }
    }
}

/// Prose among links is a teaser: scales each block's prose down by the
/// link density of its neighbourhood, both in the tree (the nearest
/// ancestor holding at least three blocks) and in block order.
fn discount_teasers(parents: &[NodeId], blocks: &[Block], prose: &mut [f32]) {
    let n = parents.len();
    let mut count = vec![0u32; n];
    let mut chars = vec![0u32; n];
    let mut links = vec![0u32; n];
    for block in blocks.iter() {
        up(parents, block.owner, |id| {
            count[id as usize] += 1;
            chars[id as usize] += block.chars;
            links[id as usize] += block.link_chars;
        });
    }
    for (i, block) in blocks.iter().enumerate() {
        if prose[i] <= 0.0 {
            continue;
        }
        let mut id = block.owner;
        while id != NONE && count.get(id as usize).is_some_and(|&c| c < 3) {
            id = parents.get(id as usize).copied().unwrap_or(NONE);
        }
        let Some(&c) = chars.get(id as usize) else { continue };
        let region = links.get(id as usize).copied().unwrap_or(0) as f32 / c.max(1) as f32;
        // The same among the two blocks on either side: a teaser sits
        // between linked headlines, an article's last paragraph merely
        // before a list of links.
        let window = blocks[i.saturating_sub(2)..(i + 3).min(blocks.len())]
            .iter()
            .enumerate()
            .filter(|(j, _)| j + i.saturating_sub(2) != i)
            .fold((0u32, 0u32), |(l, c), (_, b)| {
                // Only whole links count: paragraphs with inline links are
                // article prose.
                let linked = if b.link_density() > 0.7 { b.chars } else { 0 };
                (l + linked, c + b.chars)
            });
        let window = window.0 as f32 / window.1.max(1) as f32;
        let density = region.min(window);
        prose[i] *= (1.0 - 4.0 * (density - 0.1).max(0.0)).max(0.0);
    }
}

/// Prose left of a summary under a linked headline, as a share.
const SUMMARY_WEIGHT: f32 = 0.25;
/// How far up from a linked headline its sibling items are looked for.
const SUMMARY_LEVELS: usize = 3;

/// A list of other stories gives each a linked headline and a summary
/// ("Recent posts": date, linked title, one paragraph). Prose that follows
/// a linked heading or short linked line (with at most one short line
/// between), where the headline's nearest ancestor holding another such
/// pair has it as one of several sibling items, is a summary and counts
/// [`SUMMARY_WEIGHT`] of its weight. The headline of the page (`title_at`)
/// and a lone linked heading (a blog post's title linking to its own
/// address) are not list items.
fn discount_summaries(
    dom: &Dom,
    parents: &[NodeId],
    blocks: &[Block],
    own_prose: &[f32],
    title_at: Option<usize>,
    prose: &mut [f32],
) {
    let linked_heading = |j: usize| {
        blocks[j].link_density() > 0.7
            && (matches!(blocks[j].kind, Kind::Heading(_)) || blocks[j].words() <= 20)
            && Some(j) != title_at
    };
    let mut pairs = Vec::new();
    for i in 0..blocks.len() {
        if prose.get(i).is_none_or(|&p| p <= 0.0) {
            continue;
        }
        for j in (i.saturating_sub(2)..i).rev() {
            if linked_heading(j) {
                pairs.push((j, i));
                break;
            }
            if own_prose.get(j).is_some_and(|&p| p > 0.0)
                || matches!(blocks[j].kind, Kind::Heading(_))
            {
                break;
            }
        }
    }
    // Linked headlines under each element.
    let mut headlines = vec![0u32; dom.nodes.len()];
    for &(j, _) in &pairs {
        up(parents, blocks[j].owner, |id| headlines[id as usize] += 1);
    }
    let count = |id: NodeId| headlines.get(id as usize).copied().unwrap_or(0);
    // Paragraphs of prose under each element.
    let mut paragraphs = vec![0u32; dom.nodes.len()];
    for (block, &own) in blocks.iter().zip(own_prose) {
        if own > 0.0 {
            up(parents, block.owner, |id| paragraphs[id as usize] += 1);
        }
    }
    for &(j, i) in &pairs {
        // The nearest ancestor with another linked headline: the pair is a
        // list item when one of that ancestor's other children holds a
        // single pair too (a sibling item), not a whole list of them, and
        // at least every other paragraph there has a linked headline (an
        // article's paragraphs with a few linked lines among them are not
        // a list).
        let mut child = blocks[j].owner;
        for _ in 0..SUMMARY_LEVELS {
            let parent = dom.parent(child);
            if parent == NONE {
                break;
            }
            if count(parent) >= 2 {
                let listed = count(parent) * 2
                    >= paragraphs.get(parent as usize).copied().unwrap_or(u32::MAX);
                if listed && dom.children(parent).any(|c| c != child && count(c) == 1) {
                    prose[i] *= SUMMARY_WEIGHT;
                }
                break;
            }
            child = parent;
        }
    }
}

/// Climbs from the chosen element to its ancestors while each step adds
/// prose and little clutter that would stay: an article whose paragraphs
/// sit beside the best-scoring one in a container that also holds a long,
/// marked comment section or sidebar (whose marked blocks are dropped
/// wherever the main content is) is taken whole.
fn widen(dom: &Dom, mut best: NodeId, good: &[f32], unmarked: &[f32]) -> NodeId {
    let at = |v: &[f32], id: NodeId| v.get(id as usize).copied().unwrap_or(0.0);
    loop {
        let parent = dom.parent(best);
        if parent == NONE {
            return best;
        }
        let gain = at(good, parent) - at(good, best);
        let cost = at(unmarked, parent) - at(unmarked, best);
        if gain >= WIDEN_GAIN * at(good, best) && gain >= WIDEN_RATIO * cost {
            best = parent;
        } else {
            return best;
        }
    }
}

/// Prose an ancestor must add, as a share of the chosen element's, for
/// [`widen`] to climb to it.
const WIDEN_GAIN: f32 = 0.25;
/// Prose an ancestor must add per character of unmarked clutter.
const WIDEN_RATIO: f32 = 2.0;

/// A page that scrolls on to the next stories holds several `<article>`s
/// of prose under the main content: the story is the one with the headline
/// (when none has it, they are one story's parts).
fn first_of_several_articles(
    dom: &Dom,
    best: NodeId,
    good: &[f32],
    title: Option<&Block>,
) -> NodeId {
    let total = good.get(best as usize).copied().unwrap_or(0.0);
    let mut articles = Vec::new();
    let mut stack: Vec<NodeId> = dom.children(best).collect();
    stack.reverse();
    while let Some(id) = stack.pop() {
        if dom.tag(id).is_some_and(|t| &**t == "article") {
            if good.get(id as usize).is_some_and(|&g| g >= 0.2 * total) {
                articles.push(id);
            }
            continue;
        }
        let start = stack.len();
        stack.extend(dom.children(id));
        stack[start..].reverse();
    }
    if articles.len() < 2 {
        return best;
    }
    let holds_title = |article: NodeId| {
        title.is_some_and(|t| {
            let mut id = t.owner;
            while id != NONE {
                if id == article {
                    return true;
                }
                id = dom.parent(id);
            }
            false
        })
    };
    articles.iter().copied().find(|&a| holds_title(a)).unwrap_or(best)
}

/// The parent of every node ([`NONE`] for the root), packed tight so that
/// the many climbs from blocks to the root stay in cache.
fn parents(dom: &Dom) -> Vec<NodeId> {
    dom.nodes.iter().map(|node| node.parent).collect()
}

/// True when `id` is `of` or one of its descendants; `parents` is
/// [`parents`]' answer.
fn inside_of(parents: &[NodeId], mut id: NodeId, of: NodeId) -> bool {
    while id != NONE {
        if id == of {
            return true;
        }
        id = parents.get(id as usize).copied().unwrap_or(NONE);
    }
    false
}

/// Calls `f` on `id` and each of its ancestors; `parents` is [`parents`]'
/// answer.
fn up(parents: &[NodeId], mut id: NodeId, mut f: impl FnMut(NodeId)) {
    while id != NONE {
        f(id);
        id = parents.get(id as usize).copied().unwrap_or(NONE);
    }
}

/// Words outside links on one line that make a linked block text.
const UNLINKED_RUN: u32 = 8;

/// Why a block inside the main content is still not body, judged on itself.
fn local_reason(block: &Block) -> Option<DropReason> {
    let density = block.link_density();
    // A long sentence whose clauses are links is still a sentence.
    let sentence = block.words() >= 20 && block.text.trim_end().ends_with(['.', '!', '?', ':']);
    // A line with eight words or more outside links says something of
    // its own: a post that gathers links with a comment on each, a list
    // item with its description ("Who's Next? (Hartford Courant, June 20th,
    // 2002)" is a title with a date; a menu's lines are only links).
    let unlinked = block.unlinked_run >= UNLINKED_RUN && density < 0.85;
    if !unlinked
        && ((density >= 0.6 && !(sentence && density < 0.85))
            || (density > 0.35 && block.chars < 120))
    {
        return Some(if block.kind == Kind::Item { DropReason::Related } else { DropReason::Menu });
    }
    if block.text.chars().all(|c| !c.is_alphabetic()) {
        return Some(DropReason::Digits);
    }
    // The line classifiers below are for short lines; a paragraph of
    // prose skips them.
    if block.words() > 60 {
        return None;
    }
    if dateline(&block.text) || byline(&block.text) {
        return Some(DropReason::Metadata);
    }
    if cookie_notice(&block.text) {
        return Some(DropReason::Notice);
    }
    if block.words() <= 10 && credit(&block.text) {
        return Some(DropReason::Credit);
    }
    if ends_with_credit(&block.text) {
        return Some(DropReason::Caption);
    }
    if block.words() <= 8 && starts_with_phrase(&block.text, RELATED_HEADS) {
        return Some(DropReason::Related);
    }
    if block.words() <= 35 && call_to_action(&block.text) {
        return Some(DropReason::CallToAction);
    }
    None
}

/// Words that a cookie notice uses beside "cookies": what they are for
/// and what the reader may do about them.
const CONSENT_WORDS: &[&str] = &[
    "website",
    "websites",
    "site",
    "browser",
    "browse",
    "browsing",
    "accept",
    "consent",
    "privacy",
    "policy",
    "agree",
    "settings",
    "analytics",
    "webseite",
    "datenschutz",
    "datenschutzerklärung",
    "akzeptieren",
    "zustimmung",
    "einwilligung",
    "einstellungen",
    "sitio",
    "navegación",
    "aceptar",
    "política",
    "privacidad",
    "navigation",
    "accepter",
    "politique",
    "confidentialité",
    "sito",
    "navigazione",
    "accetta",
    "informativa",
    "navegação",
    "aceitar",
    "privacidade",
    "akkoord",
    "toestemming",
    "strona",
    "stronie",
    "strony",
    "prywatności",
    "przeglądarki",
    "zgoda",
    "zgodę",
    "сайт",
    "сайта",
    "сайте",
    "согласие",
    "политика",
    "политикой",
];

/// "We use cookies to improve your experience on our website": a line
/// about cookies and what the site does with them (a recipe for cookies
/// or a band named Cookies is not one).
fn cookie_notice(text: &str) -> bool {
    // Only ASCII letters lower-case to "c", "o" and "o": a text without
    // them in a row has no "cookie".
    if !text.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"coo")) {
        return false;
    }
    let (mut cookie, mut consent) = (false, false);
    each_lower_word(text, |w| {
        cookie |= w == "cookie" || w == "cookies";
        consent |= CONSENT_WORDS.contains(&w);
        cookie && consent
    })
}

/// Calls `f` on each lower-cased word of `text` (letters and digits only)
/// until it says stop; true when it did. ASCII words are lower-cased in
/// one reused buffer.
fn each_lower_word(text: &str, mut f: impl FnMut(&str) -> bool) -> bool {
    let mut buf = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let stop = if word.is_ascii() {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            f(&buf)
        } else {
            f(&word.to_lowercase())
        };
        if stop {
            return true;
        }
    }
    false
}

/// Words of photo credits (agencies, "photo", "image" in several languages).
const CREDIT_WORDS: &[&str] = &[
    "foto",
    "fotos",
    "photo",
    "photos",
    "photograph",
    "bild",
    "bilder",
    "titelbild",
    "beitragsbild",
    "image",
    "images",
    "getty",
    "afp",
    "dpa",
    "reuters",
    "imago",
    "shutterstock",
    "istock",
    "istockphoto",
    "credit",
    "credits",
    "picture",
    "epa",
    "keystone",
    "apa",
    "ap",
    "fotografía",
    "фото",
    "photographer",
    "courtesy",
    "bildquelle",
    "unsplash",
    "pixabay",
];

/// "Foto: dpa", "AFP / Jane Doe", "Photo: Getty Images": a short line
/// naming where a picture came from.
fn credit(text: &str) -> bool {
    let trimmed = text.trim_end();
    if trimmed.ends_with(['.', '!', '?']) && !trimmed.ends_with("Inc.") {
        return false;
    }
    text.contains('©') || each_lower_word(text, |w| CREDIT_WORDS.contains(&w))
}

/// A caption closes with its photo credit in brackets: "... on Sunday.
/// (AP Photo/Jane Doe)".
fn ends_with_credit(text: &str) -> bool {
    let trimmed = text.trim_end();
    // "... a colourful dress. | © Agency/Photographer"
    if let Some(at) = trimmed.rfind('©')
        && trimmed.get(at..).is_some_and(|tail| tail.split_whitespace().count() <= 8)
        && trimmed.split_whitespace().count() <= 60
    {
        return true;
    }
    let Some(inner) = trimmed.strip_suffix(')') else { return false };
    let Some(open) = inner.rfind('(') else { return false };
    let group = inner.get(open + 1..).unwrap_or("");
    // A news agency alone ("(dpa)") names the source of the text.
    const PHOTO: &[&str] = &[
        "photo",
        "photos",
        "foto",
        "fotos",
        "photograph",
        "bild",
        "image",
        "images",
        "picture",
        "getty",
        "shutterstock",
        "istock",
        "fotografía",
        "фото",
    ];
    group.split_whitespace().count() <= 8 && each_lower_word(group, |w| PHOTO.contains(&w))
}

/// Openings of headings over lists of other articles.
const RELATED_HEADS: &[&str] = &[
    "read more",
    "read also",
    "see also",
    "related",
    "more from",
    "more on",
    "more stories",
    "you may also like",
    "you might also like",
    "recommended",
    "lesen sie auch",
    "lesen sie mehr",
    "auch interessant",
    "mehr zum thema",
    "das könnte",
    "weitere artikel",
    "weitere themen",
    "mehr aus",
    "mehr zu",
    "top themen",
    "schon gelesen",
    "lee también",
    "leer más",
    "contenido relacionado",
    "te puede interesar",
    "noticias relacionadas",
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "leggi anche",
    "читайте также",
    "по теме",
];

/// True when `text` starts with one of `phrases` (case-insensitive, at a
/// word boundary).
fn starts_with_phrase(text: &str, phrases: &[&str]) -> bool {
    // The phrases are short: lower-case only the opening of the text.
    let head = text.trim_start();
    let head = head.char_indices().nth(40).and_then(|(i, _)| head.get(..i)).unwrap_or(head);
    let lower = head.to_lowercase();
    phrases.iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Openings of calls to action: follow, subscribe, share, sign up.
const ACTION_HEADS: &[&str] = &[
    "follow us",
    "follow the",
    "follow me",
    "subscribe",
    "sign up",
    "join us",
    "join our",
    "download the",
    "download our",
    "click here",
    "share this",
    "share on",
    "like us",
    "get the latest",
    "never miss",
    "don't miss",
    "support our",
    "become a member",
    "síguenos",
    "siguenos",
    "suscríbete",
    "suscribete",
    "únete",
    "hazte",
    "folgen sie",
    "jetzt abonnieren",
    "abonnieren sie",
    "melden sie sich",
    "newsletter",
    "teilen",
    "suivez-nous",
    "abonnez-vous",
    "подписывайтесь",
    "подпишитесь",
];

/// Social networks named by calls to action.
const NETWORKS: &[&str] = &[
    "twitter",
    "facebook",
    "instagram",
    "telegram",
    "whatsapp",
    "linkedin",
    "youtube",
    "tiktok",
    "pinterest",
    "vk",
    "вконтакте",
    "rss",
];

/// "Follow us on Twitter", "Subscribe to our newsletter", "Siguenos en
/// Telegram, Instagram y Facebook".
fn call_to_action(text: &str) -> bool {
    if starts_with_phrase(text, ACTION_HEADS) {
        return true;
    }
    let (mut networks, mut words) = (0, 0);
    each_lower_word(text, |w| {
        networks += usize::from(NETWORKS.contains(&w));
        words += 1;
        false
    });
    networks >= 2 && words <= 25
}

/// Month names and date words of the languages the corpora hold most.
const DATE_WORDS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "januar",
    "februar",
    "märz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "updated",
    "published",
    "posted",
    "aktualisiert",
    "veröffentlicht",
    "stand",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "am",
    "pm",
    "uhr",
    "gmt",
    "utc",
    "est",
    "edt",
    "bst",
    "cet",
    "cest",
    "et",
    "pt",
    "ct",
    "last",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
    "обновлено",
    "опубликовано",
    "erstellt",
    "am",
    "um",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "janvier",
    "février",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "publié",
    "le",
    "mis",
    "à",
    "jour",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "de",
    "publicado",
    "actualizado",
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
    "on",
    "at",
    "of",
];

/// A short line that is only a date, a time and date words ("Updated:
/// Thursday, December 27, 2007 | 10:56 AM CT").
fn dateline(text: &str) -> bool {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > 14 {
        return false;
    }
    let mut numbers = 0;
    for word in &words {
        if word.chars().all(|c| c.is_ascii_digit()) {
            numbers += 1;
        } else if !DATE_WORDS.contains(&word.to_lowercase().as_str()) {
            return false;
        }
    }
    numbers >= 1
}

/// "By Jane Doe", "Von Max Muster": a short credit line naming an author.
fn byline(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else { return false };
    let first = first.to_lowercase();
    if !matches!(
        first.as_str(),
        "by" | "von" | "par" | "por" | "di" | "door" | "av" | "af" | "autor:" | "author:"
    ) {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    !rest.is_empty()
        && rest.len() <= 8
        && !text.trim_end().ends_with(['.', '!', '?'])
        && rest.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count() * 2
            >= rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_counts_match_split_whitespace() {
        for text in
            ["", " a  b\tc\n", "x\u{a0}y\u{3000}z", "日本語のテキスト です", "\u{ad}\u{200b} ok"]
        {
            let words = text.split_whitespace().count();
            assert_eq!(words_upto(text, usize::MAX), words, "{text:?}");
            assert_eq!(words_upto(text, 2), words.min(2), "{text:?}");
            let cjk = text.chars().filter(|&c| is_cjk(c)).count();
            assert_eq!(block_words(text), words + cjk / 2, "{text:?}");
        }
    }

    #[test]
    fn compound_stems_take_the_first_in_order() {
        assert_eq!(compound_reason(" sharebar"), Some(DropReason::CallToAction));
        assert_eq!(compound_reason(" postfooter relatedposts"), Some(DropReason::Related));
        assert_eq!(compound_reason(" commentlist"), Some(DropReason::Comments));
        assert_eq!(compound_reason(" commentarbox sidebar"), Some(DropReason::Related));
        assert_eq!(compound_reason(" commentary"), None);
        assert_eq!(compound_reason(" headline"), None);
    }

    /// Each block's text with its prose weight before and after `discount`
    /// (given the DOM, the blocks, their own weights and the weights to lower).
    fn discounted(
        html: &str,
        discount: impl Fn(&Dom, &[Block], &[f32], &mut [f32]),
    ) -> Vec<(String, f32, f32)> {
        let dom = Dom::parse(html, 1);
        let all = blocks(&dom, &reasons(&dom));
        let own: Vec<f32> = all.iter().map(|b| b.prose(false)).collect();
        let mut after = own.clone();
        discount(&dom, &all, &own, &mut after);
        all.into_iter().zip(own).zip(after).map(|((b, was), now)| (b.text, was, now)).collect()
    }

    /// The blocks `kept` names keep their weight; the block whose text is
    /// `cut` drops below `factor` of its own.
    fn assert_cut(
        weights: Vec<(String, f32, f32)>,
        kept: impl Fn(&str) -> bool,
        cut: &str,
        factor: f32,
    ) {
        for (text, was, now) in weights {
            if kept(&text) {
                assert_eq!(was, now, "{text}");
            } else if text == cut {
                assert!(now < factor * was, "{now} vs {was}");
            }
        }
    }

    /// [`discount_summaries`] without a headline.
    fn summaries(dom: &Dom, all: &[Block], own: &[f32], after: &mut [f32]) {
        discount_summaries(dom, &parents(dom), all, own, None, after);
    }

    fn kept(html: &str) -> Vec<String> {
        kept_with_title(html, None)
    }

    /// The texts of the blocks kept, the headline being block `title_at`.
    fn kept_with_title(html: &str, title_at: Option<usize>) -> Vec<String> {
        let dom = Dom::parse(html, 1);
        let reasons = reasons(&dom);
        let mut blocks = blocks(&dom, &reasons);
        select(&dom, &mut blocks, reasons, title_at);
        blocks.into_iter().filter(|b| b.drop.is_none()).map(|b| b.text).collect()
    }

    const PROSE: &str = "The council voted on Tuesday to approve the new budget, which raises \
                         spending on schools and roads by a modest amount over three years.";

    #[test]
    fn inline_joins_without_spaces() {
        let html = format!("<p><b>Am</b>azon said. {PROSE}</p>");
        assert!(kept(&html)[0].starts_with("Amazon said."));
    }

    #[test]
    fn soft_hyphens_vanish() {
        let html = format!("<p>Wein\u{ad}berg {PROSE}</p>");
        assert!(kept(&html)[0].starts_with("Weinberg The council"));
    }

    #[test]
    fn br_is_a_line_break() {
        let html = format!("<div>{PROSE}<br>Second line of the same paragraph, long enough.</div>");
        assert!(kept(&html)[0].contains(".\nSecond line"));
    }

    #[test]
    fn takes_article_leaves_menus() {
        let html = format!(
            "<body><nav><ul><li><a href=/>Home</a></li><li><a href=/w>World</a></li></ul></nav>\
             <div class=main><h2>Budget</h2><p>{PROSE}</p><div class=share>Share this</div><p>{PROSE}</p>\
             <ul><li>First point of the list</li><li>Second point</li></ul></div>\
             <div class=related><p><a href=/x>Another story with a long linked headline here</a></p></div>\
             <footer><p>Copyright 2024 Example Media. All rights reserved.</p></footer></body>"
        );
        assert_eq!(
            kept(&html),
            ["Budget", PROSE, PROSE, "First point of the list", "Second point"]
        );
    }

    #[test]
    fn links_with_comments_are_text_not_menus() {
        let roundup = "<a href=/a>Budget vote</a> is the best summary of the week we have read so far<br>\
                       <a href=/b>Schools</a><br><a href=/c>Roads</a>";
        let menu = "<a href=/a>Budget vote</a> (May 2004)<br><a href=/b>Schools</a> (June 2004)";
        let html = format!("<article><p>{PROSE}</p><p>{roundup}</p><p>{menu}</p></article>");
        let kept = kept(&html);
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert!(kept[1].starts_with("Budget vote is the best summary"), "{kept:?}");
    }

    #[test]
    fn appeals_at_the_ends_are_peeled() {
        let html = format!(
            "<article><p>New here? Sign up for our newsletter and never miss a story.</p>\
             <p>{PROSE}</p><p>Readers who subscribe to both papers pay less, the council said.</p>\
             <p>{PROSE}</p><p>This entry was posted on Monday. You can follow any responses \
             to this entry through the RSS 2.0 feed.</p><p>Posted by Jane at November 11, 2012 \
             5:00 PM</p></article>"
        );
        let kept = kept(&html);
        assert_eq!(kept.len(), 3, "{kept:?}");
        assert!(kept[1].starts_with("Readers who subscribe"), "{kept:?}");
        assert!(appeal("Subscribe to our newsletter"));
        assert!(!appeal("The channel has 3.7 million subscribers."));
        let long = "word ".repeat(45);
        assert!(appeal(&format!("This entry was posted on Monday. {long}")));
        assert!(!appeal(&format!("{long} Sign up for our newsletter.")));
    }

    #[test]
    fn source_lines_of_blocks() {
        let html =
            format!("<body>\n<article>\n<p>\n{PROSE}\n</p>\n<p>{PROSE}</p></article></body>");
        let dom = Dom::parse(&html, 1);
        let reasons = reasons(&dom);
        let mut all = blocks(&dom, &reasons);
        select(&dom, &mut all, reasons, None);
        let lines: Vec<LineSpan> = all.iter().map(|b| b.lines).collect();
        assert_eq!(lines, [LineSpan::one(4), LineSpan::one(6)]);
    }

    #[test]
    fn table_rows_are_blocks() {
        let html = format!(
            "<p>{PROSE}</p><table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr>\
             <tr><td>1</td><td>Jane Roe</td><td>5040</td></tr></table><p>{PROSE}</p>"
        );
        assert_eq!(kept(&html), [PROSE, "Pos. Driver Points", "1 Jane Roe 5040", PROSE]);
    }

    #[test]
    fn teasers_between_headlines_are_discounted() {
        let teaser = "A short summary of another story that runs to a full sentence or so, \
                      with enough words to look like prose.";
        let list: String = (0..5)
            .map(|i| format!("<dt><a href=/s{i}>Linked headline of story number {i}</a></dt><dd>{teaser}</dd>"))
            .collect();
        let html = format!("<div><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div><dl>{list}</dl>");
        let weights =
            discounted(&html, |dom, all, _, after| discount_teasers(&parents(dom), all, after));
        assert_cut(weights, |text| text == PROSE, teaser, 0.6);
    }

    #[test]
    fn lone_paragraph_among_links_is_the_article() {
        // Whole links on both sides make the paragraph look like a teaser,
        // but it holds nearly all of the page's prose.
        let links: String = (0..6)
            .map(|i| format!("<p><a href=/t{i}>Tag number {i} of this post</a></p>"))
            .collect();
        let html = format!(
            "<body><div id=post><p>{PROSE} {PROSE}</p>{links}</div>\
             <div id=side><p>Find all the recipes of this blog in the recipe gallery.</p></div></body>"
        );
        let kept = kept(&html);
        assert_eq!(kept.first().map(String::as_str), Some(format!("{PROSE} {PROSE}").as_str()));
        assert!(!kept.iter().any(|k| k.starts_with("Find all")));
    }

    #[test]
    fn summaries_under_linked_headlines_count_less() {
        let summary = "Answering security questions with an unrelated answer can make \
                       for easy-to-remember passwords.";
        let entries: String = (0..4)
            .map(|i| {
                format!(
                    "<div class=entry><p>November {i}</p><h5><a href=/p{i}>Post number {i}</a></h5>\
                     <p>{summary}</p></div>"
                )
            })
            .collect();
        let html = format!(
            "<body><div class=post><h3><a href=/self>Budget passes</a></h3><p>{PROSE}</p></div>\
             <div id=recent><h4>Recent Posts</h4>{entries}</div></body>"
        );
        // The post's own linked title is a lone pair: no discount.
        assert_cut(discounted(&html, summaries), |text| text == PROSE, summary, 0.3);
    }

    #[test]
    fn linked_lines_among_article_paragraphs_are_not_a_list() {
        let teaser = "Now that the campaign is over, the hard business of governing begins again.";
        let items: String = (0..3)
            .map(|i| {
                format!("<div><div><a href=/s{i}>Story {i}</a></div><div>{teaser}</div></div>")
            })
            .collect();
        let html = format!(
            "<body><div id=story><p>{PROSE}</p><p><a href=/x>Click here for more stories</a></p>\
             <p>{PROSE} Again.</p><p><a href=/y>See what else is new</a></p><p>{PROSE} More.</p>\
             <p>{PROSE} Still.</p><p>{PROSE} End.</p></div><div id=more>{items}</div></body>"
        );
        assert_cut(discounted(&html, summaries), |text| text.starts_with(PROSE), teaser, 0.3);
    }

    #[test]
    fn comment_sections_are_cut() {
        let html = format!(
            "<div><p>{PROSE}</p><p>{PROSE}</p><h3>12 Comments</h3><p>{PROSE} I agree.</p>\
             <p>Posted by: Ann at May 3, 2012 9:01 AM</p></div>"
        );
        assert_eq!(kept(&html), [PROSE, PROSE]);
    }

    #[test]
    fn post_beside_a_long_comment_section_is_taken_whole() {
        // The marked comments outweigh the post in its container; the post's
        // paragraphs are siblings, none of them the article alone.
        let comment = format!("<div class=comment><p>{PROSE} Thanks for writing this.</p></div>");
        let html = format!(
            "<body><div id=main><h1>Budget passes</h1><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>\
             <div class=comments>{}</div></div></body>",
            comment.repeat(40)
        );
        assert_eq!(kept(&html), ["Budget passes", PROSE, PROSE, PROSE]);
    }

    #[test]
    fn short_post_beside_a_long_sidebar_is_taken() {
        // The sidebar holds most of the page's prose, yet the headline and
        // the post that follows it stand outside it: its mark is right.
        let widget = "Our blog has covered cameras, lenses and the people who use them every day \
                      since two thousand and eight, with news from all the big makers.";
        let html = format!(
            "<body><div id=main><h1>Budget passes</h1><p>{PROSE}</p></div>\
             <div id=sidebar><p>{widget}</p><p>{widget}</p><p>{widget}</p></div></body>"
        );
        assert_eq!(kept_with_title(&html, Some(0)), ["Budget passes", PROSE]);
    }

    #[test]
    fn post_under_a_date_wrapper_is_kept() {
        // Blog engines wrap each day's posts in an element named for the
        // date: a wrapper with the headline, or with a paragraph of prose,
        // is not a dateline.
        let html = format!(
            "<body><div class=date-outer><h2 class=date-header>Monday, October 22, 2012</h2>\
             <div class=post><h3>Budget passes</h3><div class=post-body><p>{PROSE}</p></div>\
             </div></div><div id=footer><p>Powered by a blog engine.</p></div></body>"
        );
        for title_at in [Some(1), None] {
            let kept = kept_with_title(&html, title_at);
            assert_eq!(kept.last().map(String::as_str), Some(PROSE), "headline at {title_at:?}");
            assert!(!kept.iter().any(|k| k.starts_with("Monday")));
        }
    }

    #[test]
    fn scrolled_on_stories_are_left_out() {
        let other = "A different story about the regional election follows here, with its own \
                     long paragraph of text that reads like prose.";
        let html = format!(
            "<main><article><h1>Budget passes</h1><p>{PROSE}</p><p>{PROSE}</p></article>\
             <article><h2>Election</h2><p>{other}</p><p>{other}</p></article></main>"
        );
        assert_eq!(kept_with_title(&html, Some(0)), ["Budget passes", PROSE, PROSE]);
    }

    #[test]
    fn line_classifiers() {
        assert!(dateline("Last Updated: Thursday, December 27, 2007 | 10:56 AM CT"));
        assert!(dateline("Erstellt am Dienstag 6. Mai 2014"));
        assert!(!dateline("The vote is set for May 4 in the capital."));
        assert!(byline("By Jane Doe"));
        assert!(byline("Von Max Muster und Erika Musterfrau"));
        assert!(!byline("By the end of the year, prices had doubled."));
        assert!(credit("Foto: dpa"));
        assert!(credit("AFP / Jane Doe"));
        assert!(!credit("The council met on Tuesday."));
        assert!(ends_with_credit("Crowds gathered on Sunday. (AP Photo/Jane Doe)"));
        assert!(!ends_with_credit("Prices rose again, the agency said. (dpa)"));
        assert!(cookie_notice("We use cookies to give you the best experience on our website."));
        assert!(cookie_notice(
            "Diese Webseite verwendet Cookies. Mehr in der Datenschutzerklärung."
        ));
        assert!(!cookie_notice("Chocolate Cookie with Toppings Bar. These are so fun to make."));
        assert!(!cookie_notice("Tonight at Pianos with Catharsis and Cookies (tickets)."));
        assert!(call_to_action("Follow us on Twitter and Facebook"));
        assert!(call_to_action("Siguenos en Telegram, Instagram, Facebook y Twitter"));
        assert!(!call_to_action("The minister said on Twitter that she would resign."));
        assert!(comment_head("3 comments"));
        assert!(comment_head("Leave a Reply"));
        assert!(!comment_head("Comments from the minister surprised many"));
        assert!(starts_with_phrase("Lesen Sie auch:", RELATED_HEADS));
        assert!(!starts_with_phrase("Relatedness of species", RELATED_HEADS));
    }

    #[test]
    fn boilerplate_classes() {
        let dom = Dom::parse(
            "<div class='share-bar'></div><div id='comments'></div><div class='entry-author-x'>\
             </div><div class='commentary'></div><nav></nav>",
            1,
        );
        let reasons: Vec<Option<DropReason>> = dom
            .descendants(0)
            .filter(|&id| dom.tag(id).is_some_and(|t| &**t == "div" || &**t == "nav"))
            .map(|id| tag_reason(&dom, id).or_else(|| class_reason(&dom, id, &mut String::new())))
            .collect();
        assert_eq!(
            reasons,
            [
                Some(DropReason::CallToAction),
                Some(DropReason::Comments),
                None,
                None,
                Some(DropReason::Menu)
            ]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}<p>{PROSE}</p>", "<div>".repeat(5000));
        assert_eq!(kept(&html), [PROSE]);
    }
}
