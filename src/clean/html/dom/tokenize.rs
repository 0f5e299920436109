//! A byte-oriented HTML tokenizer that feeds html5ever's tree builder.
//!
//! Input: the HTML text of a page (after `blank`) and a [`TokenSink`],
//! normally html5ever's `TreeBuilder`. Output: the token stream html5ever's
//! own tokenizer would produce for the same text, handed to the sink with
//! the same line numbers, then `end()`. The tree construction rules
//! (implied end tags, adoption agency, foster parenting, insertion modes)
//! stay html5ever's; this module only replaces its character-at-a-time
//! state machine, `BufferQueue` and per-character tendril pushes with
//! `memchr` scans over the bytes and zero-copy slices of one shared buffer.
//!
//! What it keeps of html5ever's tokenizer, because the tree or the line
//! stamps depend on it:
//! - the line of every token: a line break is `\n`, `\r\n` or a lone `\r`,
//!   counted when consumed, except the whitespace between an attribute's
//!   `=` and its value, which html5ever skips uncounted; a `<` that does
//!   not open a tag is emitted after the character that follows it;
//! - how text is cut into character tokens in the data state (runs up to
//!   `<`, `&`, `\r` or NUL; a `\n` at the start of a run, the character
//!   after a `\r`, and the characters a failed character reference gives
//!   back each start a new token), which decides the line of elements the
//!   tree builder creates for text (`<html>`, `<body>`, foster parents);
//! - the parse errors that sit between a `<pre>`, `<listing>` or
//!   `<textarea>` and a following newline (they make the tree builder keep
//!   that newline);
//! - raw text: RCDATA (`<title>`, `<textarea>`: references decoded),
//!   RAWTEXT, script data with its `<!--`/`<script>` escapes, PLAINTEXT,
//!   each ended only by the appropriate end tag, as the tree builder asks;
//! - character references: numeric with the C1 replacement table and the
//!   invalid code points, named from html5ever's own entity table
//!   (`html5ever::data::NAMED_ENTITIES`) with the legacy forms without a
//!   semicolon, and the attribute rule (no decoding of `&name` followed by
//!   `=` or an alphanumeric);
//! - doctypes with their quirks flags, comments (`<!-->`, `<!--->`, bogus
//!   comments `<?..>`, `</ ..>`, `<!x..>`), CDATA sections in foreign
//!   content, duplicate attributes (the first wins), lower-cased names, the
//!   `/>` flag, NUL characters, a leading byte order mark, and a tag the
//!   page ends inside, which is dropped with everything after it.
//!
//! Failure behaviour: none. Every input yields a token stream; no code path
//! indexes past the input or splits a UTF-8 character (slices are cut at
//! ASCII bytes or character ends, and fall back to copies if the shared
//! buffer refuses them).

use std::borrow::Cow;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{Attribute, LocalName, QualName, ns};
use memchr::{memchr, memchr2, memchr3, memmem};

/// Tokenizes `html` into `sink`, then tells the sink the input ended.
pub fn tokenize<S: TokenSink>(html: &str, sink: &S) {
    let mut tokenizer = Tokenizer::new(html, sink);
    tokenizer.run();
    sink.end();
}

/// What the next bytes are read as.
#[derive(Clone, Copy)]
enum Mode {
    Data,
    Raw(RawKind),
    Plaintext,
}

/// The outcome of reading a character reference at an `&`.
struct CharRef {
    /// The characters it stands for; `None` when it is not one (the `&`
    /// is text).
    chars: Option<(char, Option<char>)>,
    /// Where reading resumes.
    resume: usize,
    /// End of what html5ever read ahead and gave back (its next text run
    /// stops there).
    given_back: usize,
    /// The reference is a parse error.
    error: bool,
}

/// The states of the script data tokenizer that matter for where a script
/// ends.
#[derive(Clone, Copy, PartialEq)]
enum Script {
    Data,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    DoubleEscaped,
    DoubleEscapedDash,
    DoubleEscapedDashDash,
}

/// The doctype states, after `<!DOCTYPE` (`bool`: the system identifier
/// rather than the public one; `char`: the identifier's quote).
#[derive(Clone, Copy, PartialEq)]
enum Dt {
    Start,
    BeforeName,
    Name,
    AfterName,
    AfterKeyword(bool),
    BeforeId(bool),
    Id(bool, char),
    AfterId(bool),
    Between,
    Bogus,
}

/// One pass over a page.
struct Tokenizer<'a, S> {
    html: &'a str,
    b: &'a [u8],
    /// The whole input, for zero-copy character tokens and values.
    buf: StrTendril,
    sink: &'a S,
    pos: usize,
    mode: Mode,
    /// The current line: 1 plus the line breaks counted so far.
    line: u64,
    /// Bytes before this have been counted for lines (or skipped).
    counted: usize,
    /// Name of the last start tag, for the appropriate end tag test.
    last_start: Option<LocalName>,
    /// The character at `pos` is a token of its own (it was reconsumed).
    reconsume: bool,
    /// The last character consumed was `\r`: a `\n` at `pos` is dropped
    /// and the character after it is a token of its own.
    skip_lf: bool,
    /// End of the bytes a character reference gave back: a data run stops
    /// there.
    barrier: usize,
}

/// HTML whitespace for the tokenizer (`\r` stands for the `\n` it becomes).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b' ' | b'\r')
}

/// Length in bytes of the UTF-8 character whose first byte is `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

/// Appends `text` to `out` as the tokenizer reads it: `\r\n` and `\r`
/// become `\n`, NUL becomes U+FFFD.
fn push_normalized(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['\r', '\0']) {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        if rest.as_bytes().get(i) == Some(&b'\r') {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
        } else {
            out.push('\u{fffd}');
            rest = after;
        }
    }
    out.push_str(rest);
}

/// An interned name from `text` with ASCII upper case lowered and NUL
/// replaced.
fn name_atom(text: &str) -> LocalName {
    if text.bytes().all(|c| !c.is_ascii_uppercase() && c != 0) {
        return LocalName::from(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(if c == '\0' { '\u{fffd}' } else { c.to_ascii_lowercase() });
    }
    LocalName::from(out)
}

/// The character a numeric reference to `n` stands for, and whether it is
/// a parse error (the HTML standard's table).
fn numeric_char(n: u32, too_big: bool) -> (char, bool) {
    let conv = |n: u32| char::from_u32(n).unwrap_or('\u{fffd}');
    match n {
        _ if too_big || n > 0x10FFFF => ('\u{fffd}', true),
        0x00 | 0xD800..=0xDFFF => ('\u{fffd}', true),
        0x80..=0x9F => {
            let replaced = html5ever::data::C1_REPLACEMENTS.get((n - 0x80) as usize).copied();
            (replaced.flatten().unwrap_or_else(|| conv(n)), true)
        }
        0x01..=0x08 | 0x0B | 0x0D..=0x1F | 0x7F | 0xFDD0..=0xFDEF => (conv(n), true),
        _ if n & 0xFFFE == 0xFFFE => (conv(n), true),
        _ => (conv(n), false),
    }
}

impl<'a, S: TokenSink> Tokenizer<'a, S> {
    fn new(html: &'a str, sink: &'a S) -> Self {
        let start = if html.starts_with('\u{feff}') { 3 } else { 0 };
        Tokenizer {
            html,
            b: html.as_bytes(),
            buf: StrTendril::from_slice(html),
            sink,
            pos: start,
            mode: Mode::Data,
            line: 1,
            counted: start,
            last_start: None,
            reconsume: false,
            skip_lf: false,
            barrier: 0,
        }
    }

    fn run(&mut self) {
        loop {
            let more = match self.mode {
                Mode::Data => self.data(),
                Mode::Raw(RawKind::ScriptData) => self.script(),
                Mode::Raw(kind) => self.raw(kind == RawKind::Rcdata),
                Mode::Plaintext => self.plaintext(),
            };
            if !more {
                break;
            }
        }
        self.advance(self.b.len());
        self.emit_continue(Token::EOFToken);
    }

    // ---- lines and emission ----

    /// Counts the line breaks up to `to`: each `\r`, and each `\n` not
    /// right after a `\r`.
    fn advance(&mut self, to: usize) {
        let from = self.counted;
        let Some(seg) = self.b.get(from..to) else { return };
        let before = from.checked_sub(1).and_then(|p| self.b.get(p)).copied().unwrap_or(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', seg) {
            let prev = i.checked_sub(1).and_then(|p| seg.get(p)).copied().unwrap_or(before);
            if seg.get(i) == Some(&b'\r') || prev != b'\r' {
                self.line += 1;
            }
        }
        self.counted = to;
    }

    /// Moves past `to` without counting its line breaks.
    fn skip(&mut self, to: usize) {
        self.counted = self.counted.max(to);
    }

    fn emit(&mut self, token: Token) -> TokenSinkResult<S::Handle> {
        self.sink.process_token(token, self.line)
    }

    fn emit_continue(&mut self, token: Token) {
        // Only tags can change the tokenizer's state.
        let _ = self.emit(token);
    }

    fn error(&mut self, msg: &'static str) {
        self.emit_continue(Token::ParseError(Cow::Borrowed(msg)));
    }

    /// `html[start..end]` as a tendril, shared with the input when it needs
    /// no normalising.
    fn slice(&self, start: usize, end: usize) -> StrTendril {
        let Some(text) = self.html.get(start..end) else { return StrTendril::new() };
        if memchr2(b'\r', 0, text.as_bytes()).is_some() {
            let mut out = String::with_capacity(text.len());
            push_normalized(&mut out, text);
            return StrTendril::from(out);
        }
        match (u32::try_from(start), u32::try_from(end - start)) {
            (Ok(offset), Ok(len)) => {
                self.buf.try_subtendril(offset, len).unwrap_or_else(|_| StrTendril::from(text))
            }
            _ => StrTendril::from(text),
        }
    }

    /// Emits `html[start..end]` as one character token (if not empty).
    fn text(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        self.advance(end);
        let text = self.slice(start, end);
        self.emit_continue(Token::CharacterTokens(text));
    }

    fn emit_str(&mut self, text: &str) {
        self.emit_continue(Token::CharacterTokens(StrTendril::from_slice(text)));
    }

    fn emit_char_ref(&mut self, r: &CharRef) {
        if r.error {
            self.error("invalid character reference");
        }
        match r.chars {
            Some((c1, c2)) => {
                self.emit_continue(Token::CharacterTokens(StrTendril::from_char(c1)));
                if let Some(c2) = c2 {
                    self.emit_continue(Token::CharacterTokens(StrTendril::from_char(c2)));
                }
            }
            None => self.emit_str("&"),
        }
    }

    // ---- data state ----

    /// Reads one token's worth of the data state; false at the end.
    fn data(&mut self) -> bool {
        let b = self.b;
        let mut single = std::mem::take(&mut self.reconsume);
        if std::mem::take(&mut self.skip_lf) {
            single = true;
            if b.get(self.pos) == Some(&b'\n') {
                self.pos += 1;
            }
        }
        let pos = self.pos;
        let Some(&c) = b.get(pos) else { return false };
        match c {
            b'<' => self.tag_open(pos),
            b'&' => {
                let r = self.char_ref(pos, false);
                self.advance(r.resume);
                self.emit_char_ref(&r);
                self.pos = r.resume;
                self.barrier = r.given_back;
            }
            0 => {
                self.pos = pos + 1;
                self.advance(self.pos);
                self.error("NUL in text");
                self.emit_continue(Token::NullCharacterToken);
            }
            b'\r' | b'\n' => {
                self.pos = pos + 1;
                self.advance(self.pos);
                self.skip_lf = c == b'\r';
                self.emit_str("\n");
            }
            _ => {
                let end = if single {
                    pos + char_len(c)
                } else {
                    let limit = if self.barrier > pos { self.barrier } else { b.len() };
                    let run = b.get(pos..limit).unwrap_or(&[]);
                    let mut end = memchr3(b'<', b'&', b'\r', run).unwrap_or(run.len());
                    if let Some(nul) = memchr(0, run.get(..end).unwrap_or(&[])) {
                        end = nul;
                    }
                    pos + end
                };
                let end = end.min(b.len());
                self.text(pos, end);
                self.pos = end;
            }
        }
        true
    }

    /// Markup at the `<` at `lt` in the data state.
    fn tag_open(&mut self, lt: usize) {
        let b = self.b;
        match b.get(lt + 1) {
            None => {
                self.pos = lt + 1;
                self.advance(self.pos);
                self.emit_str("<");
            }
            Some(b'!') => self.markup_declaration(lt),
            Some(b'/') => match b.get(lt + 2) {
                None => {
                    self.pos = lt + 2;
                    self.advance(self.pos);
                    self.emit_str("</");
                }
                Some(c) if c.is_ascii_alphabetic() => self.tag(TagKind::EndTag, lt + 2),
                Some(b'>') => {
                    self.pos = lt + 3;
                    self.advance(self.pos);
                    self.error("empty end tag");
                }
                Some(_) => {
                    self.error("bogus comment");
                    self.bogus_comment(lt + 2);
                }
            },
            Some(c) if c.is_ascii_alphabetic() => self.tag(TagKind::StartTag, lt + 1),
            Some(b'?') => {
                self.error("bogus comment");
                self.bogus_comment(lt + 1);
            }
            Some(&c) => {
                // The `<` is text, emitted once the next character is read;
                // that character is then a token of its own.
                self.advance(lt + 1 + char_len(c));
                self.error("bad character after <");
                self.emit_str("<");
                self.pos = lt + 1;
                self.reconsume = true;
            }
        }
    }

    /// `<!` at `lt`: a comment, a doctype, CDATA or a bogus comment.
    fn markup_declaration(&mut self, lt: usize) {
        let rest = self.b.get(lt + 2..).unwrap_or(&[]);
        if rest.starts_with(b"--") {
            self.comment(lt);
        } else if rest.get(..7).is_some_and(|k| k.eq_ignore_ascii_case(b"doctype")) {
            self.doctype(lt + 9);
        } else if self.sink.adjusted_current_node_present_but_not_in_html_namespace()
            && rest.starts_with(b"[CDATA[")
        {
            self.cdata(lt + 9);
        } else {
            self.error("bogus comment");
            self.bogus_comment(lt + 2);
        }
    }

    /// A comment whose data starts at `start` and ends at the next `>`.
    fn bogus_comment(&mut self, start: usize) {
        let end = memchr(b'>', self.b.get(start..).unwrap_or(&[])).map(|i| start + i);
        let data_end = end.unwrap_or(self.b.len());
        let data = self.slice(start, data_end);
        self.pos = end.map_or(self.b.len(), |e| e + 1);
        self.advance(self.pos);
        self.emit_continue(Token::CommentToken(data));
    }

    /// `<!--` at `lt`.
    fn comment(&mut self, lt: usize) {
        let start = lt + 4;
        let (data_end, end) =
            super::super::blank::comment_end(self.b, lt).unwrap_or((self.b.len(), self.b.len()));
        let data = self.slice(start.min(data_end), data_end);
        self.pos = end;
        self.advance(end);
        self.emit_continue(Token::CommentToken(data));
    }

    /// `<![CDATA[` in foreign content; its text starts at `start`.
    fn cdata(&mut self, start: usize) {
        let rest = self.b.get(start..).unwrap_or(&[]);
        let (text_end, end) = match memmem::find(rest, b"]]>") {
            Some(i) => (start + i, start + i + 3),
            None => (self.b.len(), self.b.len()),
        };
        // html5ever emits the text at the end of the section, cut at NULs.
        let mut from = start;
        while let Some(nul) = memchr(0, self.b.get(from..text_end).unwrap_or(&[])) {
            let nul = from + nul;
            self.advance(nul + 1);
            if nul > from {
                let text = self.slice(from, nul);
                self.emit_continue(Token::CharacterTokens(text));
            }
            self.emit_continue(Token::NullCharacterToken);
            from = nul + 1;
        }
        self.advance(end);
        if text_end > from {
            let text = self.slice(from, text_end);
            self.emit_continue(Token::CharacterTokens(text));
        }
        self.pos = end;
    }

    /// `<!DOCTYPE` whose keyword ends at `start`.
    fn doctype(&mut self, start: usize) {
        let rest = self.b.get(start..).unwrap_or(&[]);
        let gt = memchr(b'>', rest).map(|i| start + i);
        let body_end = gt.unwrap_or(self.b.len());
        let mut body = String::new();
        push_normalized(&mut body, self.html.get(start..body_end).unwrap_or(""));
        let mut d = Doctype::default();
        let mut state = Dt::Start;
        let mut name = String::new();
        let mut ids: [Option<String>; 2] = [None, None];
        let mut i = 0;
        while let Some(c) = body.get(i..).and_then(|r| r.chars().next()) {
            let space = matches!(c, '\t' | '\n' | '\x0C' | ' ');
            let c_len = c.len_utf8();
            let ch = if c == '\0' { '\u{fffd}' } else { c };
            match state {
                Dt::Start => {
                    state = Dt::BeforeName;
                    if !space {
                        continue;
                    }
                }
                Dt::BeforeName => {
                    if !space {
                        name.push(ch.to_ascii_lowercase());
                        state = Dt::Name;
                    }
                }
                Dt::Name => {
                    if space {
                        state = Dt::AfterName;
                    } else {
                        name.push(ch.to_ascii_lowercase());
                    }
                }
                Dt::AfterName => {
                    let keyword = body.get(i..i + 6).map(str::to_ascii_lowercase);
                    match keyword.as_deref() {
                        Some("public") => {
                            state = Dt::AfterKeyword(false);
                            i += 6;
                            continue;
                        }
                        Some("system") => {
                            state = Dt::AfterKeyword(true);
                            i += 6;
                            continue;
                        }
                        _ if space => {}
                        _ => {
                            d.force_quirks = true;
                            state = Dt::Bogus;
                        }
                    }
                }
                Dt::AfterKeyword(system) | Dt::BeforeId(system) => match c {
                    _ if space => state = Dt::BeforeId(system),
                    '"' | '\'' => {
                        ids[system as usize] = Some(String::new());
                        state = Dt::Id(system, c);
                    }
                    _ => {
                        d.force_quirks = true;
                        state = Dt::Bogus;
                    }
                },
                Dt::Id(system, quote) => {
                    if c == quote {
                        state = Dt::AfterId(system);
                    } else if let Some(id) = &mut ids[system as usize] {
                        id.push(ch);
                    }
                }
                Dt::AfterId(false) | Dt::Between => match c {
                    _ if space => state = Dt::Between,
                    '"' | '\'' => {
                        ids[1] = Some(String::new());
                        state = Dt::Id(true, c);
                    }
                    _ => {
                        d.force_quirks = true;
                        state = Dt::Bogus;
                    }
                },
                Dt::AfterId(true) => {
                    if !space {
                        state = Dt::Bogus;
                    }
                }
                Dt::Bogus => {}
            }
            i += c_len;
        }
        // The doctype ends at `>` or at the end of the page.
        let quirks_at_end = match state {
            Dt::Start | Dt::BeforeName => true,
            Dt::Name | Dt::AfterName => gt.is_none(),
            Dt::AfterKeyword(_) | Dt::BeforeId(_) | Dt::Id(..) => true,
            Dt::AfterId(_) | Dt::Between => gt.is_none(),
            Dt::Bogus => false,
        };
        if quirks_at_end {
            d.force_quirks = true;
        }
        if !matches!(state, Dt::Start | Dt::BeforeName) {
            d.name = Some(StrTendril::from(name));
        }
        let [public, system] = ids;
        d.public_id = public.map(StrTendril::from);
        d.system_id = system.map(StrTendril::from);
        self.pos = gt.map_or(self.b.len(), |g| g + 1);
        self.advance(self.pos);
        self.emit_continue(Token::DoctypeToken(d));
    }

    /// A start or end tag whose name starts at `name_start`; on success the
    /// tag is emitted and the tree builder's answer sets the mode. A tag the
    /// page ends inside is dropped with the rest of the page.
    fn tag(&mut self, kind: TagKind, name_start: usize) {
        let b = self.b;
        let mut i = name_start;
        while b.get(i).is_some_and(|&c| !is_space(c) && c != b'/' && c != b'>') {
            i += 1;
        }
        let name = name_atom(self.html.get(name_start..i).unwrap_or(""));
        self.finish_tag(kind, name, i);
    }

    /// Reads the attributes of a tag from `i` (just past its name) to its
    /// `>` and emits it.
    fn finish_tag(&mut self, kind: TagKind, name: LocalName, mut i: usize) {
        let b = self.b;
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut self_closing = false;
        let mut duplicate = false;
        loop {
            i = skip_space(b, i);
            let Some(&c) = b.get(i) else { return self.drop_rest() };
            match c {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' => match b.get(i + 1) {
                    Some(b'>') => {
                        self_closing = true;
                        i += 2;
                        break;
                    }
                    Some(_) => {
                        i += 1;
                        continue;
                    }
                    None => return self.drop_rest(),
                },
                _ => {}
            }
            // An attribute name: its first character may be anything, `=`
            // included.
            let name_start = i;
            i += char_len(c);
            while b.get(i).is_some_and(|&c| !is_space(c) && !matches!(c, b'/' | b'>' | b'=')) {
                i += 1;
            }
            let name_end = i.min(b.len());
            i = skip_space(b, i);
            let mut value = StrTendril::new();
            match b.get(i) {
                None => return self.drop_rest(),
                Some(b'=') => {
                    i += 1;
                    self.advance(i);
                    // html5ever skips these without counting their lines.
                    i = skip_space(b, i);
                    self.skip(i);
                    match b.get(i) {
                        None => return self.drop_rest(),
                        Some(&q @ (b'"' | b'\'')) => {
                            let Some(close) = memchr(q, b.get(i + 1..).unwrap_or(&[])) else {
                                return self.drop_rest();
                            };
                            value = self.attr_value(i + 1, i + 1 + close);
                            i = i + 2 + close;
                        }
                        Some(b'>') => {}
                        Some(_) => {
                            let start = i;
                            while b.get(i).is_some_and(|&c| !is_space(c) && c != b'>') {
                                i += 1;
                            }
                            if i >= b.len() {
                                return self.drop_rest();
                            }
                            value = self.attr_value(start, i);
                        }
                    }
                }
                Some(_) => {}
            }
            let attr_name = name_atom(self.html.get(name_start..name_end).unwrap_or(""));
            if attrs.iter().any(|a| a.name.local == attr_name) {
                duplicate = true;
            } else {
                attrs.push(Attribute { name: QualName::new(None, ns!(), attr_name), value });
            }
        }
        self.pos = i;
        self.advance(i);
        if kind == TagKind::StartTag {
            self.last_start = Some(name.clone());
        }
        let tag = Tag { kind, name, self_closing, attrs, had_duplicate_attributes: duplicate };
        self.mode = match self.emit(Token::TagToken(tag)) {
            TokenSinkResult::Plaintext => Mode::Plaintext,
            TokenSinkResult::RawData(kind) => Mode::Raw(kind),
            _ => Mode::Data,
        };
    }

    /// The page ends inside a tag: html5ever drops the tag.
    fn drop_rest(&mut self) {
        self.pos = self.b.len();
    }

    /// An attribute value `html[start..end]`, references decoded.
    fn attr_value(&mut self, start: usize, end: usize) -> StrTendril {
        let b = self.b;
        let raw = b.get(start..end).unwrap_or(&[]);
        if memchr3(b'&', b'\r', 0, raw).is_none() {
            return self.slice(start, end);
        }
        let mut out = String::with_capacity(raw.len());
        let mut i = start;
        while i < end {
            let Some(amp) = memchr(b'&', b.get(i..end).unwrap_or(&[])).map(|a| i + a) else {
                push_normalized(&mut out, self.html.get(i..end).unwrap_or(""));
                break;
            };
            push_normalized(&mut out, self.html.get(i..amp).unwrap_or(""));
            let r = self.char_ref(amp, true);
            match r.chars {
                Some((c1, c2)) => {
                    out.push(c1);
                    out.extend(c2);
                }
                None => out.push('&'),
            }
            i = r.resume.max(amp + 1).min(end.max(amp + 1));
        }
        StrTendril::from(out)
    }

    /// Reads the character reference at the `&` at `amp`.
    fn char_ref(&self, amp: usize, in_attr: bool) -> CharRef {
        let b = self.b;
        let start = amp + 1;
        let none = |given_back: usize, error: bool| CharRef {
            chars: None,
            resume: start,
            given_back,
            error,
        };
        match b.get(start) {
            Some(b'#') => {
                let mut k = start + 1;
                let hex = matches!(b.get(k), Some(b'x' | b'X'));
                if hex {
                    k += 1;
                }
                let base = if hex { 16 } else { 10 };
                let (mut n, mut too_big, digits_from) = (0u32, false, k);
                while let Some(d) = b.get(k).and_then(|&c| (c as char).to_digit(base)) {
                    n = n.wrapping_mul(base);
                    too_big |= n > 0x10FFFF;
                    n = n.wrapping_add(d);
                    k += 1;
                }
                if k == digits_from {
                    return none(k, true);
                }
                let semicolon = b.get(k) == Some(&b';');
                if semicolon {
                    k += 1;
                }
                let (c, bad) = numeric_char(n, too_big);
                CharRef {
                    chars: Some((c, None)),
                    resume: k,
                    given_back: k,
                    error: bad || !semicolon,
                }
            }
            Some(c) if c.is_ascii_alphanumeric() => self.named_ref(start, in_attr),
            _ => none(start, false),
        }
    }

    /// A named reference whose name starts at `start`, read the way
    /// html5ever reads it: one character at a time while the name read so
    /// far is a prefix of an entity name, plus the character that is not.
    fn named_ref(&self, start: usize, in_attr: bool) -> CharRef {
        let b = self.b;
        let mut k = start;
        let mut matched: Option<(usize, u32, u32)> = None;
        // End of what was read (the first character that fails included).
        let consumed_end;
        let mut fail: Option<u8> = None;
        loop {
            let Some(&c) = b.get(k) else {
                consumed_end = b.len();
                break;
            };
            let found = if c.is_ascii() {
                self.html.get(start..k + 1).and_then(|n| html5ever::data::NAMED_ENTITIES.get(n))
            } else {
                None
            };
            match found {
                Some(&(c1, c2)) => {
                    if c1 != 0 {
                        matched = Some((k + 1, c1, c2));
                    }
                    k += 1;
                }
                None => {
                    consumed_end = k + char_len(c);
                    fail = Some(c);
                    break;
                }
            }
        }
        let none = |given_back: usize, error: bool| CharRef {
            chars: None,
            resume: start,
            given_back: given_back.min(b.len()),
            error,
        };
        let Some((end, c1, c2)) = matched else {
            return match fail {
                Some(c) if c.is_ascii_alphanumeric() => {
                    // A bogus name: read on over alphanumerics and one more.
                    let mut j = consumed_end;
                    while b.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                        j += 1;
                    }
                    let error = b.get(j) == Some(&b';');
                    let j = b.get(j).map_or(b.len(), |&c| j + char_len(c));
                    none(j, error)
                }
                Some(b';') => none(consumed_end, consumed_end - start > 1),
                _ => none(consumed_end, false),
            };
        };
        let last = b.get(end - 1).copied();
        let next = if end < consumed_end { b.get(end).copied() } else { None };
        let chars = Some((
            char::from_u32(c1).unwrap_or('\u{fffd}'),
            (c2 != 0).then(|| char::from_u32(c2).unwrap_or('\u{fffd}')),
        ));
        if last == Some(b';') {
            return CharRef { chars, resume: end, given_back: consumed_end, error: false };
        }
        if in_attr && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric()) {
            return none(consumed_end, false);
        }
        CharRef { chars, resume: end, given_back: consumed_end.min(b.len()), error: true }
    }

    // ---- raw text ----

    /// One token of PLAINTEXT, cut as html5ever cuts it (the tree builder
    /// is in body mode: the first token's line is the line of formatting
    /// elements it reopens); false at the end.
    fn plaintext(&mut self) -> bool {
        let b = self.b;
        let single = std::mem::take(&mut self.skip_lf);
        if single && b.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        let pos = self.pos;
        let Some(&c) = b.get(pos) else { return false };
        let end = match c {
            b'\r' | b'\n' | 0 => {
                self.skip_lf = c == b'\r';
                pos + 1
            }
            _ if single => pos + char_len(c),
            _ => {
                let rest = b.get(pos..).unwrap_or(&[]);
                pos + memchr3(b'\r', b'\n', 0, rest).unwrap_or(rest.len())
            }
        };
        let end = end.min(b.len());
        self.text(pos, end);
        self.pos = end;
        true
    }

    /// RCDATA (`rcdata`: references decoded) or RAWTEXT from `pos` up to
    /// the appropriate end tag; false when the page ends first.
    fn raw(&mut self, rcdata: bool) -> bool {
        let b = self.b;
        let mut from = self.pos;
        let mut i = from;
        loop {
            let rest = b.get(i..).unwrap_or(&[]);
            let next = if rcdata { memchr2(b'<', b'&', rest) } else { memchr(b'<', rest) };
            let Some(at) = next.map(|n| i + n) else {
                self.text(from, b.len());
                self.pos = b.len();
                return false;
            };
            if b.get(at) == Some(&b'&') {
                self.text(from, at);
                let r = self.char_ref(at, false);
                self.advance(r.resume);
                self.emit_char_ref(&r);
                from = r.resume.max(at + 1);
                i = from;
                continue;
            }
            match self.raw_less_than(at, from) {
                Some(next) => {
                    from = next.0;
                    i = next.1;
                }
                None => return self.pos < b.len(),
            }
        }
    }

    /// A `<` at `lt` in raw text whose pending text starts at `from`: emits
    /// the end tag if it is the appropriate one (returning `None`), or else
    /// returns where the pending text now starts and where scanning goes on.
    /// html5ever emits a failed `<`, `</` or `</name` only after reading the
    /// character that follows, so a line break there counts for it.
    fn raw_less_than(&mut self, lt: usize, from: usize) -> Option<(usize, usize)> {
        let b = self.b;
        let name_start = lt + 2;
        if b.get(lt + 1) != Some(&b'/') || !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            let look = if b.get(lt + 1) == Some(&b'/') { lt + 2 } else { lt + 1 };
            return Some(self.failed_piece(from, lt, look));
        }
        let mut k = name_start;
        while b.get(k).is_some_and(u8::is_ascii_alphabetic) {
            k += 1;
        }
        let appropriate = self.last_start.as_ref().is_some_and(|last| {
            b.get(name_start..k).is_some_and(|n| n.eq_ignore_ascii_case(last.as_bytes()))
        });
        match b.get(k) {
            Some(&c) if appropriate && (is_space(c) || c == b'/' || c == b'>') => {
                self.text(from, lt);
                let name = name_atom(self.html.get(name_start..k).unwrap_or(""));
                self.finish_tag(TagKind::EndTag, name, k);
                None
            }
            _ => Some(self.failed_piece(from, lt, k)),
        }
    }

    /// A `<...` at `lt` that did not end raw text; `look` is the character
    /// html5ever read before giving up. Returns (pending text start, scan
    /// position).
    fn failed_piece(&mut self, from: usize, lt: usize, look: usize) -> (usize, usize) {
        match self.b.get(look) {
            Some(b'\n' | b'\r') => {
                // The piece gets the line after the break.
                self.text(from, lt);
                self.advance(look + 1);
                let piece = self.slice(lt, look);
                self.emit_continue(Token::CharacterTokens(piece));
                (look, look)
            }
            _ => (from, look.max(lt + 1)),
        }
    }

    /// Script data from `pos` up to `</script`, following the `<!--` and
    /// `<script>` escapes; false when the page ends first.
    fn script(&mut self) -> bool {
        let b = self.b;
        let mut from = self.pos;
        let mut i = from;
        let mut state = Script::Data;
        loop {
            let rest = b.get(i..).unwrap_or(&[]);
            let found = match state {
                Script::Data => memchr(b'<', rest),
                Script::Escaped | Script::DoubleEscaped => memchr2(b'<', b'-', rest),
                _ => (!rest.is_empty()).then_some(0),
            };
            let Some((at, c)) = found.map(|n| i + n).and_then(|at| Some((at, *b.get(at)?))) else {
                self.text(from, b.len());
                self.pos = b.len();
                return false;
            };
            i = at + 1;
            match (state, c) {
                (Script::Data, _) => match b.get(at + 1) {
                    Some(b'!') => {
                        i = at + 2;
                        if b.get(at + 2..at + 4) == Some(b"--") {
                            i = at + 4;
                            state = Script::EscapedDashDash;
                        }
                    }
                    _ => match self.raw_less_than(at, from) {
                        Some((f, next)) => {
                            from = f;
                            i = next;
                        }
                        None => return self.pos < b.len(),
                    },
                },
                (Script::Escaped | Script::EscapedDash | Script::EscapedDashDash, b'<') => {
                    state = Script::Escaped;
                    match b.get(at + 1) {
                        Some(&l) if l.is_ascii_alphabetic() => {
                            let mut k = at + 1;
                            while b.get(k).is_some_and(u8::is_ascii_alphabetic) {
                                k += 1;
                            }
                            let word = b.get(at + 1..k).unwrap_or(&[]);
                            let ends =
                                b.get(k).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
                            if ends && word.eq_ignore_ascii_case(b"script") {
                                state = Script::DoubleEscaped;
                                i = k + 1;
                            } else {
                                i = k;
                            }
                        }
                        _ => match self.raw_less_than(at, from) {
                            Some((f, next)) => {
                                from = f;
                                i = next;
                            }
                            None => return self.pos < b.len(),
                        },
                    }
                }
                (Script::Escaped, b'-') => state = Script::EscapedDash,
                (Script::EscapedDash, b'-') => state = Script::EscapedDashDash,
                (Script::EscapedDashDash, b'-') => {}
                (Script::EscapedDashDash, b'>') => state = Script::Data,
                (Script::EscapedDash | Script::EscapedDashDash, _) => state = Script::Escaped,
                (Script::Escaped, _) => {}
                (
                    Script::DoubleEscaped
                    | Script::DoubleEscapedDash
                    | Script::DoubleEscapedDashDash,
                    b'<',
                ) => {
                    state = Script::DoubleEscaped;
                    if b.get(at + 1) == Some(&b'/') {
                        let mut k = at + 2;
                        while b.get(k).is_some_and(u8::is_ascii_alphabetic) {
                            k += 1;
                        }
                        let word = b.get(at + 2..k).unwrap_or(&[]);
                        let ends = b.get(k).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
                        if ends && word.eq_ignore_ascii_case(b"script") {
                            state = Script::Escaped;
                            i = k + 1;
                        } else {
                            i = k;
                        }
                    }
                }
                (Script::DoubleEscaped, b'-') => state = Script::DoubleEscapedDash,
                (Script::DoubleEscapedDash, b'-') => state = Script::DoubleEscapedDashDash,
                (Script::DoubleEscapedDashDash, b'-') => {}
                (Script::DoubleEscapedDashDash, b'>') => state = Script::Data,
                (Script::DoubleEscapedDash | Script::DoubleEscapedDashDash, _) => {
                    state = Script::DoubleEscaped
                }
                (Script::DoubleEscaped, _) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// Records each token with its line; answers start tags the way the
    /// tree builder does for the raw-text elements.
    #[derive(Default)]
    struct Record(RefCell<Vec<(String, u64)>>);

    impl TokenSink for Record {
        type Handle = ();

        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            let mut result = TokenSinkResult::Continue;
            let text = match token {
                Token::TagToken(tag) => {
                    if tag.kind == TagKind::StartTag {
                        result = match &*tag.name {
                            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                            "style" => TokenSinkResult::RawData(RawKind::Rawtext),
                            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                            "plaintext" => TokenSinkResult::Plaintext,
                            _ => TokenSinkResult::Continue,
                        };
                    }
                    let attrs: Vec<String> = tag
                        .attrs
                        .iter()
                        .map(|a| format!(" {}={:?}", &*a.name.local, &*a.value))
                        .collect();
                    let end = if tag.kind == TagKind::EndTag { "/" } else { "" };
                    let closing = if tag.self_closing { "/" } else { "" };
                    format!("<{end}{}{}{closing}>", &*tag.name, attrs.concat())
                }
                Token::CharacterTokens(text) => format!("{:?}", &*text),
                Token::CommentToken(text) => format!("<!--{text}-->"),
                Token::DoctypeToken(d) => format!(
                    "doctype {:?} {:?} {:?} quirks={}",
                    d.name.as_deref(),
                    d.public_id.as_deref(),
                    d.system_id.as_deref(),
                    d.force_quirks
                ),
                Token::NullCharacterToken => "NUL".to_owned(),
                Token::EOFToken => "EOF".to_owned(),
                Token::ParseError(_) => return result,
            };
            self.0.borrow_mut().push((text, line));
            result
        }
    }

    /// The tokens of `html` as `token@line`.
    fn tokens(html: &str) -> Vec<String> {
        let record = Record::default();
        tokenize(html, &record);
        record.0.into_inner().into_iter().map(|(t, line)| format!("{t}@{line}")).collect()
    }

    /// The tokens of `html`, adjacent character tokens joined, no lines.
    fn merged(html: &str) -> Vec<String> {
        let record = Record::default();
        tokenize(html, &record);
        let mut out: Vec<String> = Vec::new();
        for (token, _) in record.0.into_inner() {
            match (out.last_mut(), token.strip_prefix('"')) {
                (Some(last), Some(more)) if last.starts_with('"') => {
                    last.pop();
                    last.push_str(more);
                }
                _ => out.push(token),
            }
        }
        out
    }

    #[test]
    fn counts_lines_as_html5ever_does() {
        // `\r\n` and `\r` are one break each; the breaks between `=` and
        // the value are not counted; the character after a `\r` is a token
        // of its own.
        assert_eq!(
            tokens("<p\r\nid=\n\n'x'>a\r\nb\rc</p>"),
            [
                "<p id=\"x\">@2",
                "\"a\"@2",
                "\"\\n\"@3",
                "\"b\"@3",
                "\"\\n\"@4",
                "\"c\"@4",
                "</p>@4",
                "EOF@4"
            ]
        );
        // A `<` that opens nothing is emitted after the next character.
        assert_eq!(tokens("a <\nb"), ["\"a \"@1", "\"<\"@2", "\"\\n\"@2", "\"b\"@2", "EOF@2"]);
    }

    #[test]
    fn decodes_references_in_text_and_attributes() {
        assert_eq!(
            tokens("<a title='&amp;x &ampx &amp=y &lt3'>&notit; &#x80;&#0;</a>"),
            [
                "<a title=\"&x &ampx &amp=y &lt3\">@1",
                "\"¬\"@1",
                "\"it\"@1",
                "\"; \"@1",
                "\"€\"@1",
                "\"\u{fffd}\"@1",
                "</a>@1",
                "EOF@1"
            ]
        );
        assert_eq!(merged("&amp &AMP; &#x41;&#65 &#; &xyz; &"), ["\"& & AA &#; &xyz; &\"", "EOF"]);
    }

    #[test]
    fn drops_a_tag_the_page_ends_inside() {
        assert_eq!(tokens("<p>a</p><div class=\"x\n"), ["<p>@1", "\"a\"@1", "</p>@1", "EOF@2"]);
        assert_eq!(merged("<p>a<b"), ["<p>", "\"a\"", "EOF"]);
    }

    #[test]
    fn raw_text_ends_only_at_its_end_tag() {
        assert_eq!(
            merged(
                "<title>a<b>&amp;</titlex></title><script><!--<script></script>--></script>x\
                 <style>&amp;</style><plaintext></plaintext>"
            ),
            [
                "<title>",
                "\"a<b>&</titlex>\"",
                "</title>",
                "<script>",
                "\"<!--<script></script>-->\"",
                "</script>",
                "\"x\"",
                "<style>",
                "\"&amp;\"",
                "</style>",
                "<plaintext>",
                "\"</plaintext>\"",
                "EOF"
            ]
        );
    }

    #[test]
    fn reads_doctypes_with_their_quirks() {
        let first = |html: &str| tokens(html).into_iter().next().unwrap_or_default();
        assert_eq!(first("<!DOCTYPE html>"), "doctype Some(\"html\") None None quirks=false@1");
        assert_eq!(first("<!DOCTYPE>"), "doctype None None None quirks=true@1");
        assert_eq!(
            first("<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">"),
            "doctype Some(\"html\") Some(\"-//W3C//DTD HTML 4.01//EN\") None quirks=false@1"
        );
        assert_eq!(
            first("<!DOCTYPE html SYSTEM>"),
            "doctype Some(\"html\") None None quirks=true@1"
        );
    }

    #[test]
    fn reads_comments_and_bogus_comments() {
        assert_eq!(
            merged("<!---->a<!-->b<!--->c<?x?>d</ y>e<!x>f<!--g--!>"),
            [
                "<!---->",
                "\"a\"",
                "<!---->",
                "\"b\"",
                "<!---->",
                "\"c\"",
                "<!--?x?-->",
                "\"d\"",
                "<!-- y-->",
                "\"e\"",
                "<!--x-->",
                "\"f\"",
                "<!--g-->",
                "EOF"
            ]
        );
    }

    #[test]
    fn lowers_names_keeps_first_duplicate_and_self_closing_flag() {
        assert_eq!(
            merged("<IMG SRC=a src=b Alt=\"c\"/><br/ ><A HREF=x/>"),
            ["<img src=\"a\" alt=\"c\"/>", "<br>", "<a href=\"x/\">", "EOF"]
        );
    }

    #[test]
    fn drops_a_byte_order_mark_and_reports_nul() {
        assert_eq!(merged("\u{feff}a\0b"), ["\"a\"", "NUL", "\"b\"", "EOF"]);
    }
}
