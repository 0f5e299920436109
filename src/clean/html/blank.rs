//! A byte-level pass before html5ever that blanks what no later stage reads.
//!
//! Input: the HTML text of a page. Output: the same text with the contents
//! of `<script>` and `<style>` elements, of HTML comments and of `<svg>` and
//! `<math>` islands, and the attributes no stage reads, replaced by
//! one `\n` per line break html5ever counts (`\n`, `\r\n` or a lone `\r`;
//! not those between an attribute's `=` and its value, which it skips
//! uncounted), so that every element and text keeps its line number:
//! `lede query` cites `path:line`. On news pages these hold about three
//! quarters of the bytes, and the tokenizer would turn them into tokens
//! (each attribute into an interned name and a string, each script into
//! text) only for the extractor to skip them.
//!
//! What stays: the content of `<script type="application/ld+json">` (the
//! metadata reader takes dates and headlines from it), the attributes in
//! [`KEPT_ATTRS`] and [`KEPT_ON`] (a stage that reads another must add it
//! there; `Dom::attr` asserts it in debug builds), the markup around every blanked run (the
//! elements and comments themselves stay in the DOM, empty), a raw-text element that holds half the page and mentions
//! `</body>` or `</html>` (the cleaner re-parses such a swallowed page), and
//! everything the HTML tokenizer would not read as one of these (text inside
//! `<title>`, `<textarea>`, `<iframe>`, `<xmp>`, `<noembed>`,
//! `<noframes>`, attribute values, bogus comments).
//!
//! The scanner follows the tokenizer states of the HTML standard for what it
//! has to get right: tag names end at whitespace, `/` or `>` (`<scripts>` is
//! not a script), tags end at the first `>` outside a quoted attribute value,
//! a raw-text element ends at the first case-insensitive `</name` followed by
//! whitespace, `/` or `>`, a script's `<!--` ... `<script>` escapes defer its
//! end the way they do in a browser, comments end at `-->` or `--!>` (`<!-->`
//! and `<!--->` are empty comments), and in `<svg>`/`<math>` tags nest while
//! `<style>` and `<script>` are plain elements. Where the tree builder
//! leaves foreign content early (an HTML tag such as `<p>` inside the
//! `<svg>`), the island is left as it is and the scan goes on in HTML mode
//! from that tag. Where the scan cannot tell whether it does (an end tag of
//! an element outside the island, which closes it only if that element is
//! open; markup in `<foreignObject>`, `<desc>` or `<title>`), and where a
//! raw-text element, comment or tag never ends (it runs to the end of the
//! page, as in a browser), the rest of the page is left as it is.
//!
//! Never fails: the worst a page can do is keep bytes that could have gone.

use std::borrow::Cow;

use memchr::{memchr, memchr2_iter, memchr3};

/// Blanks the contents of scripts, styles, comments and SVG/MathML islands
/// of `html` and the attributes no stage reads, keeping its line breaks;
/// borrows `html` when nothing was blanked.
pub fn blank_unread(html: &str) -> Cow<'_, str> {
    let mut scan = Scan {
        html,
        bytes: html.as_bytes(),
        out: String::new(),
        copied: 0,
        unread: Vec::new(),
        quiet: Vec::new(),
    };
    scan.run();
    if scan.copied == 0 {
        return Cow::Borrowed(html);
    }
    scan.out.push_str(html.get(scan.copied..).unwrap_or(""));
    Cow::Owned(scan.out)
}

/// State of one pass over a page.
struct Scan<'a> {
    html: &'a str,
    bytes: &'a [u8],
    /// The output up to `copied`.
    out: String,
    /// Bytes of `html` already written to `out` (blanked or not).
    copied: usize,
    /// Spans of the attributes of the current tag that go (kept between
    /// tags for its buffer).
    unread: Vec<(usize, usize)>,
    /// Runs of whitespace between an attribute's `=` and its value that
    /// hold line breaks: html5ever skips them without counting the lines.
    quiet: Vec<(usize, usize)>,
}

/// A start or end tag the scanner has read.
struct Tag {
    /// Byte offset just past its `>`.
    end: usize,
    /// Its name as written, as byte offsets (compare case-insensitively).
    name: (usize, usize),
    /// Written `<name .../>`.
    self_closing: bool,
}

/// An attribute the scanner has read.
struct Attr<'a> {
    /// Its name as written.
    name: &'a [u8],
    /// Its value as written, without quotes.
    value: &'a [u8],
    /// Byte offsets of the whole attribute, name to value.
    span: (usize, usize),
    /// Byte offsets of the whitespace between its `=` and its value.
    gap: (usize, usize),
}

/// Where the scan of a foreign (`<svg>`/`<math>`) island stopped.
enum Island {
    /// The island's root closes with the end tag at this offset.
    Closed(usize),
    /// The tree builder leaves foreign content at the tag at this offset.
    Left(usize),
    /// The scan cannot follow the tree builder any further: the page ends
    /// inside the island, or a tag may or may not take it out of foreign
    /// content (an end tag of an element outside the island, which closes
    /// it only if the element is open; markup in an integration point).
    Lost,
}

/// Attributes some stage reads on any element (the extractor, the metadata
/// reader, the tree builder); the others of HTML elements are blanked,
/// except [`KEPT_ON`]. Reading another one means adding it here.
pub const KEPT_ATTRS: [&str; 19] = [
    "class",
    "id",
    "role",
    "itemprop",
    "type",
    "rel",
    "lang",
    "xml:lang",
    "content",
    "datetime",
    "pubdate",
    "property",
    "name",
    "http-equiv",
    // The tree builder reads these: `<font>` in SVG, MathML annotations.
    "color",
    "face",
    "size",
    "encoding",
    "itemtype",
];

/// Attributes kept on one element only, as (element, attribute): link
/// targets are long and only `<link rel=canonical>`'s is read.
pub const KEPT_ON: [(&str, &str); 1] = [("link", "href")];

/// True when attribute `attr` of element `element` survives the pass (both
/// names in any case).
pub fn is_kept(element: &[u8], attr: &[u8]) -> bool {
    KEPT_ATTRS.iter().any(|k| attr.eq_ignore_ascii_case(k.as_bytes()))
        || KEPT_ON.iter().any(|(e, a)| {
            attr.eq_ignore_ascii_case(a.as_bytes()) && element.eq_ignore_ascii_case(e.as_bytes())
        })
}

/// Elements whose start tag starts raw text that ends only at its own end tag.
const RAW_TEXT: [&[u8]; 7] =
    [b"style", b"xmp", b"iframe", b"noembed", b"noframes", b"title", b"textarea"];

/// Start tags that take the tree builder out of foreign content.
const BREAKOUT: [&[u8]; 44] = [
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

/// Foreign elements whose content the tree builder reads as HTML.
const INTEGRATION: [&[u8]; 9] =
    [b"foreignobject", b"desc", b"title", b"annotation-xml", b"mi", b"mo", b"mn", b"ms", b"mtext"];

impl Scan<'_> {
    /// Scans the page in the tokenizer's data state.
    fn run(&mut self) {
        let b = self.bytes;
        let mut i = 0;
        while let Some(lt) = find(b, i, b'<') {
            let Some(next) = self.markup(lt) else { return };
            i = next;
        }
    }

    /// Handles the markup that starts with the `<` at `lt`; returns where
    /// the data state resumes, or `None` when the rest of the page is taken.
    fn markup(&mut self, lt: usize) -> Option<usize> {
        let b = self.bytes;
        match b.get(lt + 1) {
            Some(b'!') => {
                if b.get(lt + 2..lt + 4) == Some(b"--") {
                    let (content_end, end) = comment_end(b, lt)?;
                    self.blank(lt + 4, content_end);
                    Some(end)
                } else {
                    // A doctype, or a bogus comment (CDATA included, in HTML).
                    Some(find(b, lt + 2, b'>')? + 1)
                }
            }
            Some(b'?') => Some(find(b, lt + 2, b'>')? + 1),
            Some(b'/') => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => Some(tag(b, lt, |_| {})?.end),
                Some(b'>') => Some(lt + 3),
                Some(_) => Some(find(b, lt + 2, b'>')? + 1),
                None => None,
            },
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(lt),
            _ => Some(lt + 1),
        }
    }

    /// Reads the start tag at `lt` and what its element's name makes of
    /// the text after it.
    fn start_tag(&mut self, lt: usize) -> Option<usize> {
        let b = self.bytes;
        let mut kept_type = false;
        let mut seen_type = false;
        let mut unread = std::mem::take(&mut self.unread);
        unread.clear();
        let quiet = &mut self.quiet;
        let element = tag_name(b, lt + 1).unwrap_or(b"");
        let tag = tag(b, lt, |attr| {
            note_quiet(b, attr.gap, quiet);
            // The first `type` attribute counts; html5ever drops the others.
            if !seen_type && attr.name.eq_ignore_ascii_case(b"type") {
                seen_type = true;
                // Character references could spell anything: keep those.
                kept_type = attr.value.eq_ignore_ascii_case(b"application/ld+json")
                    || attr.value.contains(&b'&');
            }
            if !is_kept(element, attr.name) {
                unread.push(attr.span);
            }
        });
        for &(start, end) in &unread {
            self.blank(start, end);
        }
        self.unread = unread;
        let tag = tag?;
        let name = b.get(tag.name.0..tag.name.1).unwrap_or(b"");
        if name.eq_ignore_ascii_case(b"script") {
            // html5ever ignores `/>` on a script: its content still follows.
            let close = script_end(b, tag.end)?;
            if !kept_type && !self.may_be_swallowed(tag.end, close) {
                self.blank(tag.end, close);
            }
            Some(close)
        } else if let Some(raw) = RAW_TEXT.iter().find(|raw| name.eq_ignore_ascii_case(raw)) {
            let close = raw_text_end(b, tag.end, raw)?;
            if *raw == b"style" && !self.may_be_swallowed(tag.end, close) {
                self.blank(tag.end, close);
            }
            Some(close)
        } else if name.eq_ignore_ascii_case(b"plaintext") {
            None
        } else if !tag.self_closing
            && (name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math"))
        {
            match island(b, &tag, &mut self.quiet) {
                Island::Closed(close) => {
                    self.blank(tag.end, close);
                    Some(close)
                }
                Island::Left(at) => Some(at),
                Island::Lost => None,
            }
        } else {
            Some(tag.end)
        }
    }

    /// True when the raw text `start..end` is half the page and mentions
    /// the page's end: the cleaner then re-parses it as a swallowed page.
    fn may_be_swallowed(&self, start: usize, end: usize) -> bool {
        let Some(text) = self.bytes.get(start..end) else { return false };
        text.len() * 2 >= self.bytes.len()
            && memchr::memmem::find_iter(text, b"</").any(|at| {
                text.get(at + 2..at + 6).is_some_and(|n| {
                    n.eq_ignore_ascii_case(b"body") || n.eq_ignore_ascii_case(b"html")
                })
            })
    }

    /// Replaces `start..end` by one `\n` per line break html5ever counts.
    fn blank(&mut self, start: usize, end: usize) {
        if start >= end || start < self.copied {
            return;
        }
        let (Some(kept), Some(gone)) =
            (self.html.get(self.copied..start), self.bytes.get(start..end))
        else {
            return;
        };
        if self.out.capacity() == 0 {
            self.out.reserve(self.html.len() / 2);
        }
        self.out.push_str(kept);
        // The quiet gaps are in page order: walk them along the line breaks.
        let passed = self.quiet.partition_point(|&(_, e)| e <= start);
        self.quiet.drain(..passed);
        let mut next_gap = 0;
        // One `\n` per line break: html5ever reads `\r\n` and a lone `\r`
        // as one `\n` each.
        for at in memchr2_iter(b'\n', b'\r', gone) {
            let pos = start + at;
            let pair = gone.get(at) == Some(&b'\r') && self.bytes.get(pos + 1) == Some(&b'\n');
            while self.quiet.get(next_gap).is_some_and(|&(_, e)| e <= pos) {
                next_gap += 1;
            }
            let quiet = self.quiet.get(next_gap).is_some_and(|&(s, _)| s <= pos);
            if !pair && !quiet {
                self.out.push('\n');
            }
        }
        self.copied = end;
    }
}

/// The tokenizer's whitespace (with `\r`, which it reads as `\n`).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The tag name that starts at `start`; `None` when the page ends in it.
fn tag_name(b: &[u8], start: usize) -> Option<&[u8]> {
    let mut i = start;
    while !is_space(*b.get(i)?) && b.get(i) != Some(&b'/') && b.get(i) != Some(&b'>') {
        i += 1;
    }
    b.get(start..i)
}

/// Records `gap` in `quiet` when it holds a line break.
fn note_quiet(b: &[u8], gap: (usize, usize), quiet: &mut Vec<(usize, usize)>) {
    if b.get(gap.0..gap.1).is_some_and(|g| g.contains(&b'\n') || g.contains(&b'\r')) {
        quiet.push(gap);
    }
}

/// Offset of the first `needle` at or after `from`.
fn find(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    Some(from + memchr(needle, b.get(from..)?)?)
}

/// True when the bytes at `at` are an end tag name `name` (any case)
/// followed by whitespace, `/` or `>`: the "appropriate end tag" test.
fn ends_with_name(b: &[u8], at: usize, name: &[u8]) -> bool {
    b.get(at..at + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
        && b.get(at + name.len()).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Reads the tag whose `<` is at `lt` (a start tag, or an end tag when
/// `<` is followed by `/`), calling `on_attr` for each attribute; `None`
/// when the page ends inside it.
fn tag<'a>(b: &'a [u8], lt: usize, mut on_attr: impl FnMut(Attr<'a>)) -> Option<Tag> {
    let name_start = if b.get(lt + 1) == Some(&b'/') { lt + 2 } else { lt + 1 };
    let mut i = name_start + tag_name(b, name_start)?.len();
    let name = (name_start, i);
    let attr =
        |start: usize, name_end: usize, gap: (usize, usize), value: (usize, usize), end| Attr {
            name: b.get(start..name_end).unwrap_or(b""),
            value: b.get(value.0..value.1).unwrap_or(b""),
            span: (start, end),
            gap,
        };
    loop {
        // Before an attribute name.
        while is_space(*b.get(i)?) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => return Some(Tag { end: i + 1, name, self_closing: false }),
            b'/' => {
                i += 1;
                if *b.get(i)? == b'>' {
                    return Some(Tag { end: i + 1, name, self_closing: true });
                }
            }
            _ => {
                // An attribute name; its first character may be `=`.
                let attr_start = i;
                i += 1;
                while !matches!(*b.get(i)?, b'/' | b'>' | b'=') && !is_space(*b.get(i)?) {
                    i += 1;
                }
                let name_end = i;
                while is_space(*b.get(i)?) {
                    i += 1;
                }
                if *b.get(i)? != b'=' {
                    on_attr(attr(attr_start, name_end, (i, i), (i, i), name_end));
                    continue;
                }
                i += 1;
                let gap_start = i;
                while is_space(*b.get(i)?) {
                    i += 1;
                }
                let gap = (gap_start, i);
                match *b.get(i)? {
                    quote @ (b'"' | b'\'') => {
                        let close = find(b, i + 1, quote)?;
                        on_attr(attr(attr_start, name_end, gap, (i + 1, close), close + 1));
                        i = close + 1;
                    }
                    b'>' => {
                        on_attr(attr(attr_start, name_end, gap, (i, i), i));
                        return Some(Tag { end: i + 1, name, self_closing: false });
                    }
                    _ => {
                        let value_start = i;
                        while !is_space(*b.get(i)?) && *b.get(i)? != b'>' {
                            i += 1;
                        }
                        on_attr(attr(attr_start, name_end, gap, (value_start, i), i));
                    }
                }
            }
        }
    }
}

/// For the comment whose `<!--` is at `lt`: the offset where its content
/// ends and the offset just past it.
pub(super) fn comment_end(b: &[u8], lt: usize) -> Option<(usize, usize)> {
    // `<!-->` and `<!--->` close at once; otherwise the first `-->`, or
    // `--!>` after the opening dashes, closes the comment.
    let mut i = lt + 2;
    loop {
        let dash = find(b, i, b'-')?;
        if b.get(dash + 1) == Some(&b'-') {
            if b.get(dash + 2) == Some(&b'>') {
                return Some((dash.max(lt + 4), dash + 3));
            }
            if dash >= lt + 4 && b.get(dash + 2..dash + 4) == Some(b"!>") {
                return Some((dash, dash + 4));
            }
        }
        i = dash + 1;
    }
}

/// Offset of the `<` of the end tag of `name` that closes raw text from
/// `from`.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let lt = find(b, i, b'<')?;
        if b.get(lt + 1) == Some(&b'/') && ends_with_name(b, lt + 2, name) {
            return Some(lt);
        }
        i = lt + 1;
    }
}

/// Offset of the `<` of the `</script` that ends script data from `from`,
/// following the escape states of the standard: inside `<!--`, a
/// `<script` makes the next `</script>` part of the script, until `-->`.
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    // Dashes just read, up to two (the escaped states' `-->`).
    let mut dashes = 0u8;
    let mut i = from;
    loop {
        if state == State::Data {
            let lt = find(b, i, b'<')?;
            if b.get(lt + 1) == Some(&b'/') && ends_with_name(b, lt + 2, b"script") {
                return Some(lt);
            }
            if b.get(lt + 1..lt + 4) == Some(b"!--") {
                state = State::Escaped;
                dashes = 2;
                i = lt + 4;
            } else {
                i = lt + 1;
            }
            continue;
        }
        let at = i + memchr3(b'-', b'<', b'>', b.get(i..)?)?;
        if at > i {
            dashes = 0;
        }
        i = at + 1;
        match b.get(at) {
            Some(b'-') => dashes = (dashes + 1).min(2),
            Some(b'>') => {
                if dashes == 2 {
                    state = State::Data;
                }
                dashes = 0;
            }
            _ => {
                dashes = 0;
                let slash = b.get(at + 1) == Some(&b'/');
                if state == State::Escaped && slash && ends_with_name(b, at + 2, b"script") {
                    return Some(at);
                }
                // `<script` opens, `</script` closes, the double escape.
                let (opens, name_at) = match (state, slash) {
                    (State::Escaped, false) => (true, at + 1),
                    (State::DoubleEscaped, true) => (false, at + 2),
                    _ => continue,
                };
                let mut end = name_at;
                while b.get(end).is_some_and(u8::is_ascii_alphabetic) {
                    end += 1;
                }
                if end == name_at {
                    continue;
                }
                let ends = b.get(end).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
                i = end;
                if ends {
                    // The character after the name is read in the new state.
                    i = end + 1;
                    if b.get(name_at..end).is_some_and(|n| n.eq_ignore_ascii_case(b"script")) {
                        state = if opens { State::DoubleEscaped } else { State::Escaped };
                    }
                }
            }
        }
    }
}

/// Follows the `<svg>` or `<math>` island opened by `root` (not
/// self-closing) to its end tag, or to where the tree builder may leave
/// foreign content.
fn island(b: &[u8], root: &Tag, quiet: &mut Vec<(usize, usize)>) -> Island {
    // Names of the open foreign elements, the root first.
    let mut open: Vec<(usize, usize)> = vec![root.name];
    let name_of = |range: (usize, usize)| b.get(range.0..range.1).unwrap_or(b"");
    let mut i = root.end;
    loop {
        let Some(lt) = find(b, i, b'<') else { return Island::Lost };
        match b.get(lt + 1) {
            Some(b'!') => {
                let end = if b.get(lt + 2..lt + 4) == Some(b"--") {
                    comment_end(b, lt).map(|(_, end)| end)
                } else if b.get(lt + 2..lt + 9) == Some(b"[CDATA[") {
                    memchr::memmem::find(b.get(lt + 9..).unwrap_or(b""), b"]]>")
                        .map(|at| lt + 9 + at + 3)
                } else {
                    find(b, lt + 2, b'>').map(|gt| gt + 1)
                };
                let Some(end) = end else { return Island::Lost };
                i = end;
            }
            Some(b'?') => {
                let Some(gt) = find(b, lt + 2, b'>') else { return Island::Lost };
                i = gt + 1;
            }
            Some(b'/') => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let Some(tag) = tag(b, lt, |attr| note_quiet(b, attr.gap, quiet)) else {
                        return Island::Lost;
                    };
                    let name = name_of(tag.name);
                    if name.eq_ignore_ascii_case(b"p") || name.eq_ignore_ascii_case(b"br") {
                        return Island::Left(lt);
                    }
                    // The innermost open element of that name closes, with
                    // all inside it; none open: the end tag is for an HTML
                    // element, which may be open or not.
                    match open.iter().rposition(|&n| name_of(n).eq_ignore_ascii_case(name)) {
                        Some(0) => return Island::Closed(lt),
                        Some(at) => open.truncate(at),
                        None => return Island::Lost,
                    }
                    i = tag.end;
                }
                Some(b'>') => i = lt + 3,
                Some(_) => {
                    let Some(gt) = find(b, lt + 2, b'>') else { return Island::Lost };
                    i = gt + 1;
                }
                None => return Island::Lost,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let mut font_breaks = false;
                let Some(tag) = tag(b, lt, |attr| {
                    note_quiet(b, attr.gap, quiet);
                    font_breaks |= [b"color".as_slice(), b"face", b"size"]
                        .iter()
                        .any(|a| attr.name.eq_ignore_ascii_case(a));
                }) else {
                    return Island::Lost;
                };
                let name = name_of(tag.name);
                let current = open.last().map_or(b"".as_slice(), |&n| name_of(n));
                if open.len() > 1 && INTEGRATION.iter().any(|n| current.eq_ignore_ascii_case(n)) {
                    return Island::Lost;
                }
                let breaks_out = BREAKOUT.iter().any(|n| name.eq_ignore_ascii_case(n))
                    || (font_breaks && name.eq_ignore_ascii_case(b"font"));
                if breaks_out {
                    return Island::Left(lt);
                }
                if !tag.self_closing {
                    open.push(tag.name);
                }
                i = tag.end;
            }
            Some(_) => i = lt + 1,
            None => return Island::Lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(html: &str) -> String {
        blank_unread(html).into_owned()
    }

    #[test]
    fn blanks_scripts_styles_and_comments_keeping_lines() {
        let html =
            "<p>a</p><script>\nvar x = '<p>';\r\n</script>\n<style>p{}\n</style><!-- x\n-->b";
        assert_eq!(blanked(html), "<p>a</p><script>\n\n</script>\n<style>\n</style><!--\n-->b");
        // A lone `\r` is a line break too.
        assert_eq!(blanked("<script>a\rb\r\nc\n\rd</script>"), "<script>\n\n\n\n</script>");
    }

    #[test]
    fn keeps_json_ld_and_pages_without_blanks() {
        let html = "<script type=\"Application/LD+JSON\">{\"a\":1}</script><p>x</p>";
        assert!(matches!(blank_unread(html), Cow::Borrowed(_)));
        let html = "<script type='application/ld&#43;json'>{}</script>";
        assert_eq!(blanked(html), html);
        // Only the first `type` attribute counts, as in html5ever.
        assert_eq!(
            blanked("<script type=text/javascript type=application/ld+json>1</script>"),
            "<script type=text/javascript type=application/ld+json></script>"
        );
    }

    #[test]
    fn blanks_unread_attributes() {
        let html = "<div data-x=\"a\nb\" class=c style=d ID='e' hidden>f</div><img src=g/>";
        assert_eq!(blanked(html), "<div \n class=c  ID='e' >f</div><img >");
        // Line breaks between `=` and a value: html5ever does not count them.
        assert_eq!(blanked("<p style=\n\r\n'a\nb' id=\nc>"), "<p \n id=\nc>");
        assert_eq!(blanked("<svg><path d=\n'a\nb'/></svg>"), "<svg>\n</svg>");
        // Link targets stay on `<link>` only.
        let html = "<link rel=canonical href=/a><a href='/b' class=c>d</a>";
        assert_eq!(blanked(html), "<link rel=canonical href=/a><a  class=c>d</a>");
    }

    #[test]
    fn many_quiet_gaps_stay_linear() {
        let gaps = "<p class=\nx>".repeat(20_000);
        let script = format!("<script>{}</script>", "a\n".repeat(20_000));
        let svg_gaps = "<g class=\nx/>".repeat(20_000);
        let out = blanked(&format!("{gaps}{script}<svg>{svg_gaps}</svg>"));
        assert_eq!(out, format!("{gaps}<script>{}</script><svg></svg>", "\n".repeat(20_000)));
    }

    #[test]
    fn end_tags_follow_the_standard() {
        // `</script` ends a script even inside a string, in any case.
        assert_eq!(blanked("<script>'</SCRIPT >';</script>x"), "<script></SCRIPT >';</script>x");
        // Not an end tag: the name goes on.
        assert_eq!(blanked("<script>a</scripts>b</script>"), "<script></script>");
        // Not scripts.
        assert_eq!(blanked("<scripts>a<!--b--></scripts>"), "<scripts>a<!----></scripts>");
        assert_eq!(blanked("<script-x>a</script-x>"), "<script-x>a</script-x>");
        // `/>` does not end a script.
        assert_eq!(blanked("<script async />x</script>y"), "<script  /></script>y");
        // A `>` inside a quoted attribute value does not end the tag.
        assert_eq!(blanked("<script class=\"a>b\">c</script>"), "<script class=\"a>b\"></script>");
        assert_eq!(blanked("<style class='a>b'>p{}</style>"), "<style class='a>b'></style>");
    }

    #[test]
    fn script_escapes_defer_the_end() {
        let html = "<script><!--\ndocument.write('<script src=x></script>');\n//--></script>y";
        assert_eq!(blanked(html), "<script>\n\n</script>y");
        // `-->` leaves the escape; `</script>` then ends the script.
        let html = "<script><!-- a --> '</script>' </script>";
        assert_eq!(blanked(html), "<script></script>' </script>");
        // In the escape without a nested `<script`, `</script>` ends it.
        assert_eq!(blanked("<script><!-- a </script>b"), "<script></script>b");
    }

    #[test]
    fn unterminated_runs_to_the_end() {
        for html in [
            "<p>a</p><script>var x;\n<p>article</p>",
            "<p>a</p><style>p{}",
            "<p>a</p><!-- never closed <p>b</p>",
            "<p>a</p><title>no end<p>b</p>",
            "<p>a</p><script src=x",
            "<p>a</p><script><!-- <script> </script> <p>b</p>",
            "<plaintext><script>x</script>",
            "<p>a</p><svg><path d='M0'/><p>text</p>",
        ] {
            assert_eq!(blanked(html), html);
        }
    }

    #[test]
    fn comments_end_as_in_a_browser() {
        assert_eq!(blanked("<!-->a<!--->b<!---->c"), "<!-->a<!--->b<!---->c");
        assert_eq!(blanked("<!-- a --!>b"), "<!----!>b");
        // `--!>` right after `<!--` does not close it.
        assert_eq!(blanked("<!--!> a -->b"), "<!---->b");
        assert_eq!(blanked("<!-- a --->b"), "<!---->b");
        // Not comments: a doctype, bogus comments.
        assert_eq!(
            blanked("<!DOCTYPE html><![CDATA[x]]><?php y ?>"),
            "<!DOCTYPE html><![CDATA[x]]><?php y ?>"
        );
    }

    #[test]
    fn rcdata_and_raw_text_hide_markup() {
        let html =
            "<title>a <script>b</script> <!--c--></title><textarea><style>d</style></textarea>";
        assert_eq!(blanked(html), html);
        let html = "<iframe><script>a</script></iframe><xmp><!--b--></xmp>";
        assert_eq!(blanked(html), html);
        // A `<script>` in an attribute value is no script.
        let html = "<a class=\"<script>\" id='<!--'>x</a><script>y</script>";
        assert_eq!(blanked(html), "<a class=\"<script>\" id='<!--'>x</a><script></script>");
    }

    #[test]
    fn svg_islands() {
        let html = "<svg class=icon>\n<title>Share</title><g><path d='M0 0'/></g>\n</svg>x";
        assert_eq!(blanked(html), "<svg class=icon>\n\n</svg>x");
        // Nested svg; `<style>` inside is a plain element; CDATA hides `</svg>`.
        let html = "<SVG><svg></svg><style>a</style><![CDATA[</svg>]]></Svg>x";
        assert_eq!(blanked(html), "<SVG></Svg>x");
        let html = "<svg><style>a</svg><p>b</p><style>c</style>";
        assert_eq!(blanked(html), "<svg></svg><p>b</p><style></style>");
        assert_eq!(blanked("<svg/><p>a</p><script>b</script>"), "<svg/><p>a</p><script></script>");
        assert_eq!(blanked("<math><mi>x</mi></math>"), "<math></math>");
    }

    #[test]
    fn svg_islands_left_by_the_tree_builder_stay() {
        // An HTML tag leaves foreign content: the scan goes on in HTML mode.
        let html = "<svg><g><p>text</p><script>x</script>";
        assert_eq!(blanked(html), "<svg><g><p>text</p><script></script>");
        // Markup in an integration point, an end tag of an outer element.
        let html = "<svg><foreignObject><b>x</b></foreignObject></svg>";
        assert_eq!(blanked(html), html);
        let html = "<div><svg><path></div><p>x</p>";
        assert_eq!(blanked(html), html);
        // `</title>` closes nothing here and the tree builder stays in the
        // SVG, where `<script>` is no script: the scan stops.
        let html = "<svg></title><script src=x /><svg></p><script>a</script>";
        assert_eq!(blanked(html), html);
        let html = "<svg><font color=red>x</font></svg>";
        assert_eq!(blanked(html), html);
        assert_eq!(blanked("<svg><font>x</font></svg>"), "<svg></svg>");
    }

    #[test]
    fn swallowed_pages_stay() {
        let html = "<script>\n<div><p>article</p></div></body></html>";
        assert_eq!(
            blanked(&format!("<p>a</p>{html}</script>")),
            format!("<p>a</p>{html}</script>")
        );
        let long = "x".repeat(100);
        assert_eq!(blanked(&format!("<script>{long}</script>")), "<script></script>");
    }

    #[test]
    fn never_splits_characters() {
        for html in
            ["é<script>ü\n</script>日本", "<svg>日本</svg>é", "<!--é-->", "<", "<!", "</", "<a b="]
        {
            let out = blanked(html);
            assert_eq!(out.matches('\n').count(), html.matches('\n').count());
        }
    }
}
