//! Named entities of one article: people, organisations, places, products.
//!
//! Input: the clean text, its tokens and the title. Output: entities with one
//! canonical name each and every mention's byte span in the text.
//!
//! No model: capitalised runs are cut into candidate names by the gazetteers
//! and word lists ([`Gazetteer`]), each candidate is typed from its shape
//! (an organisation suffix, a given name, a model number) and its context
//! (a title or job before it, "firm" or "game" before it, a verb of saying,
//! a list it stands in), and mentions are then merged inside the article:
//! surnames to full names, possessives stripped, acronyms to their expansion,
//! a company's first word to its full name, gazetteer aliases to one
//! canonical name. A capitalised word at the start of a sentence is a name
//! only when the gazetteer knows it or the article writes it capitalised
//! elsewhere too. Words that are never names (months, nationalities, job
//! titles, "AI") are dropped. This cannot fail.

use crate::extract::gazetteer::{Gazetteer, PREFIX_BIT, section_bit};
use crate::extract::token::{Kind, Token, lower};
use crate::hash::{FastMap, FastSet};
use crate::model::{Entity, EntityKind, Span};

/// One word of a capitalised run, possibly trimmed ("Galetti's" -> "Galetti",
/// "Nvidia-powered" -> "Nvidia").
#[derive(Clone, Copy, Debug)]
struct Piece<'t> {
    /// Index of the token.
    tok: usize,
    /// Byte span of the kept part.
    start: usize,
    end: usize,
    /// The kept text.
    text: &'t str,
    /// A lower-case connector inside a name ("of", "and", "de").
    connector: bool,
    /// A number after a name ("Radio 4", "Nokia 6600").
    number: bool,
    /// Starts a sentence or a quotation.
    initial: bool,
    /// A number that begins a name ("50 Cent").
    lead: bool,
    /// The word lists `text` is in ([`Words::bits`](crate::extract::gazetteer::Words::bits)), looked up once when
    /// the run is complete: the segmenter asks about each piece many times.
    lists: u32,
    /// `text` is a function word in any case ([`Words::is_function`](crate::extract::gazetteer::Words::is_function)).
    function: bool,
    /// A longer known name starts with `text` ([`Gazetteer::begins_name`]).
    begins_name: bool,
}

impl<'t> Piece<'t> {
    /// A connector inside a name ("of", "the", "&") at token `tok`.
    fn connector(tok: usize, start: usize, end: usize, text: &'t str) -> Piece<'t> {
        Piece {
            tok,
            start,
            end,
            text,
            connector: true,
            number: false,
            initial: false,
            lead: false,
            lists: 0,
            function: false,
            begins_name: false,
        }
    }

    /// Whether the piece's text is in the word list `section`.
    #[inline]
    fn has(&self, section: &str) -> bool {
        self.lists & section_bit(section) != 0
    }

    /// Whether a multi-word entry of the word lists starts with the piece.
    fn begins_phrase(&self) -> bool {
        self.lists & PREFIX_BIT != 0
    }
}

/// A candidate name before merging.
#[derive(Clone, Debug)]
struct Candidate {
    /// Surface text, words joined by one space.
    name: String,
    /// Byte span of the mention.
    span: Span,
    /// Index of the first and one past the last token.
    first_tok: usize,
    end_tok: usize,
    /// Kind and canonical name from the gazetteer.
    known: Option<(EntityKind, String)>,
    /// Evidence for each kind, in [`EntityKind::ALL`] order.
    score: [i32; 4],
    /// The part of `score` that comes from the name's shape, the same for
    /// every mention (context adds up over mentions, shape counts once).
    shape: [i32; 4],
    /// Words in the name (connectors and numbers excluded).
    words: usize,
    /// Whether every mention so far starts a sentence.
    initial: bool,
    /// A title ("Mr", "President") stood right before it.
    titled: bool,
    /// Mentions that read like a sports club's ("Chelsea boss", "beat Chelsea").
    club: i32,
}

impl Candidate {
    fn add(&mut self, kind: EntityKind, points: i32) {
        self.score[kind_index(kind)] += points;
    }

    /// The best-supported kind and its score.
    fn best(&self) -> (EntityKind, i32) {
        let mut best = (EntityKind::Person, i32::MIN);
        for kind in EntityKind::ALL {
            let s = self.score[kind_index(kind)];
            if s > best.1 {
                best = (kind, s);
            }
        }
        best
    }
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Place => 2,
        EntityKind::Product => 3,
    }
}

/// Lower-case words that may join the capitalised words of one name.
const CONNECTORS: &[&str] = &[
    "of", "for", "and", "the", "de", "van", "von", "der", "den", "du", "da", "di", "del", "della",
    "le", "la", "al", "bin", "ibn", "y", "upon",
];

/// Abbreviations that stand inside names with their full stop: "St. Aldric
/// Medical", "Mt. Hood", "Ft. Worth".
const INNER_ABBREVIATIONS: &[&str] = &["St", "Ste", "Mt", "Ft", "Pt"];

/// Lower-case connectors of people's names (particles).
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "du", "da", "di", "del", "della", "le", "la", "al", "bin",
    "ibn",
];

/// Words right after a name that say it is an organisation's: "Zorvath
/// shares", "Zorvath acquired".
const ORG_ACTS: &[&str] = &[
    "shares",
    "stock",
    "acquired",
    "acquires",
    "bought",
    "merged",
    "employs",
    "announced",
    "announces",
    "listed",
    "reported",
    "posted",
    "shipped",
    "manufactures",
    "makes",
];

/// Words after a possessive that say the owner is an organisation.
const ORG_POSSESSIONS: &[&str] = &[
    "shares",
    "share",
    "profits",
    "profit",
    "revenue",
    "revenues",
    "sales",
    "chairman",
    "board",
    "staff",
    "employees",
    "workforce",
    "customers",
    "subscribers",
    "shareholders",
    "investors",
    "results",
    "earnings",
    "headquarters",
    "stake",
    "takeover",
    "bid",
    "chief",
    "boss",
    "spokesman",
    "spokeswoman",
    "executives",
    "management",
    "business",
    "brand",
    "products",
    "services",
    "website",
    "members",
    "annual",
    "stock",
    "debt",
    "operations",
    "division",
    "unit",
    "offices",
];

/// Finds the entities of `text`. `strict` is [`capitalises_nouns`] of the
/// text, which the caller works out once for this and the figure reader.
pub(crate) fn find(
    text: &str,
    tokens: &[Token],
    gaz: &Gazetteer,
    title: Option<&str>,
    strict: bool,
) -> Vec<Entity> {
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match run_at(text, tokens, i, gaz) {
            Some(run) => {
                let next = run.last().map_or(i + 1, |p| p.tok + 1);
                // "Shares of Veltrix Semiconductor", "Staff of Acme": a
                // company's belonging, capitalised at a sentence start.
                let owned = run.len() > 2
                    && ORG_POSSESSIONS.contains(&&*lower(run[0].text))
                    && run[1].connector
                    && run[1].text == "of";
                let run = if owned { &run[2..] } else { &run[..] };
                if is_dateline(text, tokens, run, next) {
                    i = next.max(i + 1);
                    continue;
                }
                for part in split_at_given_names(run, gaz) {
                    segment(text, tokens, part, gaz, &mut candidates);
                }
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    strip_sentence_starts(text, tokens, gaz, &mut candidates);
    // "The Libertines" and "Libertines" are one name.
    let names: FastSet<String> = candidates.iter().map(|c| c.name.clone()).collect();
    for c in &mut candidates {
        if let Some(rest) = c.name.strip_prefix("The ")
            && names.contains(rest)
            && let Some(t) = tokens.get(c.first_tok + 1)
        {
            c.name = rest.to_owned();
            c.first_tok += 1;
            c.span.start = t.start;
            c.words -= 1;
        }
    }
    for cand in &mut candidates {
        context(text, tokens, gaz, cand);
    }
    let title_words: Vec<&str> = title
        .map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '\'').collect())
        .unwrap_or_default();
    coordinate(text, tokens, &mut candidates);
    merge(candidates, gaz, &title_words, strict)
}

/// Whether the text is in a language that capitalises every noun (German):
/// there a capital letter is no evidence of a name, and only known names and
/// names with strong evidence (a title, a given name, a suffix) are kept.
pub(crate) fn capitalises_nouns(text: &str, tokens: &[Token]) -> bool {
    // (Word lists as `matches!`: a few comparisons per word, not thirty.)
    let german = |w: &str| {
        matches!(
            w,
            "der"
                | "die"
                | "das"
                | "und"
                | "nicht"
                | "mit"
                | "ist"
                | "den"
                | "von"
                | "zu"
                | "sich"
                | "auf"
                | "ein"
                | "eine"
                | "dem"
                | "des"
                | "wird"
                | "sind"
        )
    };
    let english = |w: &str| {
        matches!(
            w,
            "the"
                | "and"
                | "of"
                | "to"
                | "is"
                | "was"
                | "with"
                | "for"
                | "that"
                | "this"
                | "are"
                | "from"
        )
    };
    let (mut de, mut en) = (0usize, 0usize);
    for t in tokens.iter().take(3000).filter(|t| t.kind == Kind::Word) {
        let w = t.text(text);
        if german(w) {
            de += 1;
        } else if english(w) {
            en += 1;
        }
    }
    de >= 5 && de > 2 * en
}

/// Drops the first word of a name that starts a sentence when it is an
/// ordinary word: a job ("Singer Pete Doherty"), a word before a given name
/// ("Director Martin Scorsese"), or a word before a name the article writes
/// elsewhere on its own ("Senior WorldCom executives").
fn strip_sentence_starts(text: &str, tokens: &[Token], gaz: &Gazetteer, cands: &mut [Candidate]) {
    let inside: FastSet<String> =
        cands.iter().filter(|c| !c.initial).map(|c| c.name.clone()).collect();
    for c in cands.iter_mut() {
        let Some((first, rest)) = c.name.split_once(' ') else { continue };
        let second = rest.split(' ').next().unwrap_or("");
        // "Bundeskanzler Olaf Scholz": a word before a full name.
        let last = rest.rsplit(' ').next().unwrap_or("");
        let before_full_name = c.words >= 3
            && gaz.is_given_name(second)
            && !gaz.is_given_name(first)
            && gaz.known(first).is_none()
            && rest.split(' ').count() >= 2
            && !gaz.words.has("org_suffix", last)
            && !gaz.words.has("org_word", last)
            && !gaz.words.has("place_suffix", last);
        if (!c.initial && !before_full_name) || c.words < 2 || c.known.is_some() {
            continue;
        }
        let ordinary = before_full_name
            || gaz.words.has("role", &lower(first))
            || gaz.words.has("modifier", &lower(first))
            || (gaz.is_given_name(second)
                && !gaz.is_given_name(first)
                && gaz.known(first).is_none())
            || (inside.contains(rest) && !gaz.is_given_name(first));
        if !ordinary || CONNECTORS.contains(&second) {
            continue;
        }
        let Some(next) = (c.first_tok + 1..c.end_tok)
            .find(|&k| tokens.get(k).is_some_and(|t| t.kind != Kind::Punct))
        else {
            continue;
        };
        let Some(t) = tokens.get(next) else { continue };
        let _ = text;
        c.name = rest.to_owned();
        c.first_tok = next;
        c.span.start = t.start;
        c.words -= 1;
        c.initial = false;
    }
}

/// Whether `word` is written like a name: a capital first letter, or an inner
/// capital after a lower-case start ("iPod", "eBay").
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        // (The second letter first: counting a word's characters costs more.)
        Some(c) if c.is_lowercase() => {
            chars.next().is_some_and(char::is_uppercase) && word.chars().count() >= 3
        }
        _ => false,
    }
}

/// Whether every letter of `word` is a capital ("AWS", "G-Unit" is not).
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// The name part of a word token: possessive and lower-case hyphenated tails
/// cut off. Returns the kept end and whether the run must stop after it.
fn trim_word(word: &str) -> (usize, bool) {
    for suffix in ["'s", "’s"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return (stem.len(), true);
        }
    }
    // "Nvidia-powered": the name ends before a lower-case modifier ("Blu-ray"
    // keeps its tail).
    let mut offset: usize = 0;
    for (k, part) in word.split('-').enumerate() {
        if k > 0
            && !part.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            && is_modifier_tail(part)
        {
            return (offset.saturating_sub(1), true);
        }
        offset += part.len() + 1;
    }
    (word.len(), false)
}

/// Lower-case words that follow a name with a hyphen to make an adjective:
/// "Nvidia-powered", "London-based", "AI-native", "Kremlin-backed".
fn is_modifier_tail(part: &str) -> bool {
    part.ends_with("ed")
        || part.ends_with("ing")
        || part.ends_with("ish")
        || part.ends_with("ian")
        || matches!(
            part,
            "style"
                | "era"
                | "born"
                | "made"
                | "run"
                | "wide"
                | "free"
                | "friendly"
                | "like"
                | "type"
                | "only"
                | "native"
                | "ready"
                | "compatible"
                | "capable"
                | "specific"
                | "centric"
                | "bound"
                | "led"
                | "owned"
                | "held"
                | "built"
                | "proof"
                | "sized"
                | "size"
                | "level"
                | "class"
                | "grade"
                | "scale"
                | "year"
                | "day"
                | "week"
                | "month"
                | "time"
                | "wise"
                | "esque"
                | "related"
                | "linked"
                | "first"
                | "up"
                | "out"
                | "in"
                | "on"
                | "off"
                | "over"
                | "era's"
                | "owner"
                | "maker"
                | "funded"
                | "listed"
                | "rich"
                | "heavy"
        )
        || part.contains('-')
        || part.len() > 8
}

/// The capitalised run starting at token `i`, if one starts there.
fn run_at<'t>(
    text: &'t str,
    tokens: &[Token],
    i: usize,
    gaz: &Gazetteer,
) -> Option<Vec<Piece<'t>>> {
    let first = tokens.get(i)?;
    let mut run: Vec<Piece<'t>> = Vec::new();
    let mut j = i;
    if first.kind == Kind::Number && leading_number(text, tokens, i) {
        run.push(Piece {
            tok: i,
            start: first.start,
            end: first.end,
            text: first.text(text),
            connector: false,
            number: true,
            initial: first.initial,
            lead: true,
            lists: 0,
            function: false,
            begins_name: false,
        });
        j += 1;
    } else if first.kind != Kind::Word || !is_capitalised(first.text(text)) {
        return None;
    }
    // "3GP", "4G": letters glued to a number are a unit or a model, not a name.
    if first.glued && i > 0 && tokens.get(i - 1).is_some_and(|t| t.kind == Kind::Number) {
        return None;
    }
    while let Some(t) = tokens.get(j) {
        if t.sentence != first.sentence {
            break;
        }
        let word = t.text(text);
        match t.kind {
            Kind::Word if is_capitalised(word) => {
                let (mut keep, mut stop) = trim_word(word);
                // "St Helen's Road", "St Thomas' Hospital": a possessive inside a name.
                if stop
                    && keep + 1 < word.len()
                    && !word.contains('-')
                    && !gaz.words.has("month", &word[..keep])
                {
                    let next = tokens
                        .get(j + 1)
                        .filter(|n| n.sentence == t.sentence)
                        .map(|n| n.text(text));
                    if next.is_some_and(|n| {
                        gaz.words.has("place_suffix", n) || gaz.words.has("org_suffix", n)
                    }) {
                        keep = word.len();
                        stop = false;
                    }
                }
                if keep == 0 {
                    break;
                }
                let kept = word.get(..keep).unwrap_or(word);
                run.push(Piece {
                    tok: j,
                    start: t.start,
                    end: t.start + keep,
                    text: kept,
                    connector: false,
                    number: false,
                    initial: t.initial,
                    lead: false,
                    lists: 0,
                    function: false,
                    begins_name: false,
                });
                if stop {
                    break;
                }
                // "Transport Workers' Council": a plural possessive inside a name.
                if word.ends_with('s')
                    && tokens
                        .get(j + 1)
                        .is_some_and(|a| a.glued && matches!(a.text(text), "'" | "’"))
                    && tokens.get(j + 2).is_some_and(|n| {
                        !n.glued
                            && n.sentence == t.sentence
                            && gaz.words.has("org_suffix", n.text(text))
                    })
                    && let Some(last) = run.last_mut()
                    && let Some(apostrophe) = tokens.get(j + 1)
                {
                    last.end = apostrophe.end;
                    last.text = text.get(last.start..last.end).unwrap_or(last.text);
                    j += 2;
                    continue;
                }
            }
            Kind::Word if CONNECTORS.contains(&word) && !run.is_empty() => {
                // A connector only joins when a capitalised word follows.
                let next_cap = tokens
                    .get(j + 1)
                    .filter(|n| n.sentence == t.sentence && n.kind == Kind::Word)
                    .is_some_and(|n| is_capitalised(n.text(text)) || n.text(text) == "the");
                if !next_cap {
                    break;
                }
                run.push(Piece::connector(j, t.start, t.end, word));
            }
            // "St. Aldric Medical", "Mt. Hood": an abbreviation's stop
            // inside a name (the tokenizer does not end a sentence there).
            Kind::Punct
                if word == "."
                    && t.glued
                    && run.last().is_some_and(|p| {
                        p.tok + 1 == j && INNER_ABBREVIATIONS.contains(&p.text)
                    })
                    && tokens.get(j + 1).is_some_and(|n| {
                        n.sentence == t.sentence
                            && n.kind == Kind::Word
                            && is_capitalised(n.text(text))
                    }) =>
            {
                if let Some(last) = run.last_mut() {
                    last.end = t.end;
                    last.text = text.get(last.start..last.end).unwrap_or(last.text);
                }
            }
            // "Mr. Obuya", "Dr. Elena Marsh": a title's stop, kept in the
            // span but not in the word, so the title is still known.
            Kind::Punct
                if word == "."
                    && t.glued
                    && run.last().is_some_and(|p| {
                        p.tok + 1 == j
                            && p.end == tokens[p.tok].end
                            && gaz.words.has("title", p.text)
                    })
                    && tokens.get(j + 1).is_some_and(|n| {
                        n.sentence == t.sentence
                            && n.kind == Kind::Word
                            && is_capitalised(n.text(text))
                    }) => {}
            Kind::Punct if word == "&" && !run.is_empty() => {
                run.push(Piece::connector(j, t.start, t.end, word));
            }
            Kind::Number if !run.is_empty() && !t.glued => {
                let last_is_name = run.last().is_some_and(|p| {
                    !p.connector
                        && !gaz.words.has("month", p.text)
                        && !gaz.words.has("function", p.text)
                        && !gaz.words.has("title", p.text)
                });
                // "Boeing 737-800": a model number with a hyphen.
                let model = word.parse::<u32>().is_ok_and(|n| n >= 100)
                    && tokens.get(j + 1).is_some_and(|h| h.glued && h.text(text) == "-")
                    && tokens.get(j + 2).is_some_and(|m| m.glued && m.kind == Kind::Number)
                    && run.last().is_some_and(|p| gaz.known(p.text).is_some());
                let end_tok = if model { j + 2 } else { j };
                let after_ok = model
                    && tokens.get(end_tok + 1).is_none_or(|n| !n.glued || n.kind == Kind::Punct);
                if !last_is_name || !(after_ok || is_name_number(text, tokens, end_tok, gaz)) {
                    break;
                }
                let end = tokens.get(end_tok).map_or(t.end, |e| e.end);
                run.push(Piece {
                    tok: end_tok,
                    start: t.start,
                    end,
                    text: text.get(t.start..end).unwrap_or(word),
                    connector: false,
                    number: true,
                    initial: false,
                    lead: false,
                    lists: 0,
                    function: false,
                    begins_name: false,
                });
                break;
            }
            _ => break,
        }
        j += 1;
    }
    // Connectors never end a run.
    while run.last().is_some_and(|p| p.connector) {
        run.pop();
    }
    for p in &mut run {
        p.lists = gaz.words.bits(p.text);
        p.function = gaz.words.is_function(p.text);
        p.begins_name = gaz.begins_name(p.text);
    }
    (!run.is_empty()).then_some(run)
}

/// Whether the number at token `i` begins a name ("50 Cent"): a small
/// integer before a capitalised word, the pair written at least twice.
fn leading_number(text: &str, tokens: &[Token], i: usize) -> bool {
    let (Some(n), Some(w)) = (tokens.get(i), tokens.get(i + 1)) else { return false };
    let digits = n.text(text);
    if digits.len() > 3 || !digits.chars().all(|c| c.is_ascii_digit()) || w.glued || w.initial {
        return false;
    }
    if w.kind != Kind::Word || w.sentence != n.sentence || !is_capitalised(w.text(text)) {
        return false;
    }
    let Some(pair) = text.get(n.start..w.end) else { return false };
    text.matches(pair).nth(1).is_some()
}

/// Whether the number at token `j` is part of a name before it ("Radio 4",
/// "Nokia 6600") rather than a quantity or a year.
fn is_name_number(text: &str, tokens: &[Token], j: usize, gaz: &Gazetteer) -> bool {
    let Some(t) = tokens.get(j) else { return false };
    let digits = t.text(text);
    if digits.contains(',') || digits.contains('.') || digits.len() > 4 {
        return false;
    }
    if let Ok(n) = digits.parse::<u32>()
        && (1900..=2100).contains(&n)
    {
        return false;
    }
    match tokens.get(j + 1) {
        // "1300 659 467": a phone number, not a name.
        Some(n) if n.kind == Kind::Number => false,
        // "Radio 4's": a possessive.
        Some(n) if n.glued && matches!(n.text(text), "'" | "’") => {
            tokens.get(j + 2).is_some_and(|s| s.glued && s.text(text) == "s")
        }
        // "Nokia 6600," "Doom 3.": punctuation after the name.
        Some(n)
            if n.glued
                && n.kind == Kind::Punct
                && matches!(n.text(text), "," | "." | ";" | ")" | "\"" | "”" | "!" | "?") =>
        {
            true
        }
        // "6-3", "4%", "10bn": not part of a name.
        Some(n) if n.glued => false,
        // "Radio 4's": still a name. A counted noun after it: a quantity.
        Some(n) if n.kind == Kind::Word => {
            let next = n.text(text);
            is_capitalised(next) || gaz.words.is_function(next) || next == "index"
        }
        _ => true,
    }
}

/// Months that are also given names: "Christine May" keeps its surname.
const MONTH_NAMES: &[&str] = &["May", "June", "April", "August"];

/// Whether a run is a wire story's dateline, "NEW YORK (Meridian Wire) -"
/// or "LONDON -": capitals only, first in its sentence, then a dash, or an
/// agency in brackets and a dash. The agency is a name; the city written in
/// capitals is left out rather than typed from its shape as an acronym.
fn is_dateline(text: &str, tokens: &[Token], run: &[Piece<'_>], next: usize) -> bool {
    let dash = |k: usize| tokens.get(k).is_some_and(|t| matches!(t.text(text), "-" | "–" | "—"));
    let capitals = run.first().is_some_and(|p| p.initial)
        && run.iter().all(|p| !p.number && p.text.chars().all(|c| !c.is_lowercase()))
        && run.iter().map(|p| p.text.chars().count()).sum::<usize>() >= 4;
    if !capitals {
        return false;
    }
    if dash(next) {
        return true;
    }
    tokens.get(next).is_some_and(|t| t.text(text) == "(")
        && (next + 1..next + 6)
            .find(|&k| tokens.get(k).is_some_and(|t| t.text(text) == ")"))
            .is_some_and(|close| dash(close + 1))
}

/// Cuts a run of Cyrillic words before a given name that follows a word
/// which is not one: a place or body in an oblique case, then a person
/// ("Екатеринбурга Андрей Суворин", "УТК Ольга Миронова"). Russian marks
/// the boundary by case, not by punctuation, so a given name is the signal.
fn split_at_given_names<'r, 't>(run: &'r [Piece<'t>], gaz: &Gazetteer) -> Vec<&'r [Piece<'t>]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for k in 1..run.len() {
        let (prev, here) = (&run[k - 1], &run[k]);
        if is_cyrillic(here.text)
            && gaz.is_given_name(here.text)
            && !prev.connector
            && !gaz.is_given_name(prev.text)
        {
            parts.push(&run[start..k]);
            start = k;
        }
    }
    parts.push(&run[start..]);
    parts
}

/// Whether a word is written in Cyrillic.
fn is_cyrillic(word: &str) -> bool {
    word.chars().next().is_some_and(|c| ('\u{400}'..='\u{4FF}').contains(&c))
}

/// The stem of a Russian surname without its case ending, so that
/// "Суворин", "Суворина", "Суворину" and "Суворином" (or "Миронова",
/// "Мироновой", "Миронову") compare equal. Other words are returned whole.
fn surname_stem(word: &str) -> &str {
    if !is_cyrillic(word) {
        return word;
    }
    for ending in
        ["ыми", "ого", "ому", "ему", "ий", "ой", "ом", "ым", "ую", "ая", "а", "у", "е", "ы"]
    {
        if let Some(stem) = word.strip_suffix(ending)
            && stem.chars().count() >= 3
            && ["ов", "ев", "ёв", "ин", "ын", "ск", "цк"].iter().any(|s| stem.ends_with(s))
        {
            return stem;
        }
    }
    word
}

/// Cuts a capitalised run into candidate names.
fn segment(
    text: &str,
    tokens: &[Token],
    run: &[Piece<'_>],
    gaz: &Gazetteer,
    out: &mut Vec<Candidate>,
) {
    let words = &gaz.words;
    let is_suffix =
        |w: &str| words.has("org_suffix", w) && !words.has("generic", w) || w == "Police";
    let ends_in_org =
        run.iter().rev().find(|p| !p.connector && !p.number).is_some_and(|p| is_suffix(p.text));
    // A word that is never a name on its own.
    // A capitalised function word inside a sentence belongs to a name or
    // a title ("Open Market Committee", "Vote No", "The Game").
    let plain = |p: &Piece<'_>| {
        (p.function && (p.initial || single_function(run, p)))
            || is_contraction(p.text, gaz)
            || p.text
                .rsplit('-')
                .next()
                .is_some_and(|last| p.text.contains('-') && words.has("nationality", last))
            || p.has("month")
            || p.has("nationality")
            || (p.number && !p.lead)
            || p.text.chars().count() < 2 && !initial_letter(run, p)
    };
    let generic = |p: &Piece<'_>| p.has("generic");
    let mut titled = false;
    let mut i = 0;
    while i < run.len() {
        let piece = run[i];
        if piece.connector {
            i += 1;
            continue;
        }
        // 1. A known name, longest first.
        if let Some((len, known)) = known_at(run, i, gaz) {
            let end = i + len;
            // "Nokia 6600", "Doom 3": a known name and a model number.
            if run.get(end).is_some_and(|p| p.number) {
                let mut cand = candidate(&run[i..=end]);
                let kind = if is_suffix(run[end - 1].text) {
                    EntityKind::Org
                } else {
                    EntityKind::Product
                };
                cand.add(kind, 6);
                out.push(cand);
                i = end + 1;
                titled = false;
                continue;
            }
            // A known name that begins a longer one: "Tokyo Stock Exchange",
            // "Edinburgh Airport", "Microsoft Azure", "MSN Spaces".
            let longer = name_end(run, end);
            let extension = run.get(end..longer).unwrap_or(&[]);
            let last = run.get(longer.saturating_sub(1)).map_or("", |p| p.text);
            let clean = !extension.is_empty()
                && extension.iter().all(|p| {
                    p.connector
                        || (gaz.known(p.text).is_none()
                            && (!generic(p) || !is_acronym(p.text) && is_suffix(last))
                            && !gaz.is_given_name(p.text)
                            && !p.has("nationality"))
                });
            let role_after = tokens
                .get(run.get(longer.saturating_sub(1)).map_or(0, |p| p.tok + 1))
                .is_some_and(|t| t.kind == Kind::Word && words.has("role", t.text(text)));
            let suffix_inside = extension.len() >= 2 && extension.iter().any(|p| is_suffix(p.text));
            let extended =
                if clean && (is_suffix(last) || suffix_inside && known.kind != EntityKind::Org) {
                    Some((EntityKind::Org, 6))
                } else if clean && words.has("place_suffix", last) {
                    Some((EntityKind::Place, 5))
                } else if clean
                    && matches!(known.kind, EntityKind::Org | EntityKind::Product)
                    && longer - end <= 2
                    && !role_after
                {
                    Some((EntityKind::Product, 5))
                } else {
                    None
                };
            // "RBS Six Nations", "Barclays Premiership": a sponsored event.
            let event = extended.is_some() && words.has("event", last);
            match extended {
                Some(_) if event => i = longer,
                Some((kind, points)) => {
                    let mut cand = candidate(&run[i..longer]);
                    cand.titled = titled;
                    cand.add(kind, points);
                    out.push(cand);
                    i = longer;
                }
                None => {
                    let mut cand = candidate(&run[i..end]);
                    cand.titled = titled;
                    cand.known = Some((known.kind, known.canonical.clone()));
                    out.push(cand);
                    i = end;
                }
            }
            titled = false;
            continue;
        }
        // Holidays: "Boxing Day", "New Year".
        if let Some(len) = phrase_at(run, i, gaz, "month") {
            i += len;
            titled = false;
            continue;
        }
        // A whole run that ends in an organisation suffix and starts with a
        // nationality, a generic word or a place: "Scottish Labour Party",
        // "South Wales Police", "Norwegian Broadcasting Corporation".
        if ends_in_org
            && !piece.initial
            && run.len() - i >= 2
            && name_end(run, i) == run.len()
            && known_at(run, i, gaz).is_none_or(|(len, _)| i + len < run.len())
            && (piece.has("nationality")
                || generic(&piece)
                || gaz.known(piece.text).is_some_and(|k| k.kind == EntityKind::Place))
            && !piece.has("month")
        {
            let mut cand = candidate(&run[i..]);
            cand.add(EntityKind::Org, 6);
            out.push(cand);
            return;
        }
        // 2. Titles: not part of a name, evidence for the name after them.
        if let Some(len) = title_at(run, i, gaz) {
            titled = true;
            i += len;
            continue;
        }
        // 3. Words that are never names, and generic words standing alone
        //    or as an acronym at the edge of a name ("AI", "Internet").
        // A name word follows: "Open Market Committee", not "AI GPUs".
        let next_is_name = run.get(i + 1).is_some_and(|p| !p.connector && !plain(p))
            && run[i + 1..].iter().any(|p| !p.connector && !plain(p) && !generic(p));
        // "TV Guide" keeps its acronym; "AI GPUs" and a lone "AI" are words.
        let acronym_lead = is_acronym(piece.text)
            && next_is_name
            && !piece.initial
            && !words.has("role", &lower(piece.text));
        if plain(&piece)
            || generic(&piece) && !acronym_lead && (is_acronym(piece.text) || !next_is_name)
        {
            if !piece.function {
                titled = false;
            }
            i += 1;
            continue;
        }
        // 4. An unknown name: up to a known name, a title or a plain word.
        let mut end = i + 1;
        while end < run.len() {
            let p = run[end];
            if p.connector {
                end += 1;
                continue;
            }
            let prev = run[end - 1].text;
            let surname_month = MONTH_NAMES.contains(&p.text) && gaz.is_given_name(prev);
            let stop_plain = (p.has("month") && !surname_month)
                || p.has("nationality") && !ends_in_org
                || (generic(&p) && is_acronym(p.text))
                || p.initial
                || is_contraction(p.text, gaz)
                || (p.number && !is_name_number_piece(&p));
            if stop_plain || title_at(run, end, gaz).is_some() {
                break;
            }
            if !p.number
                && known_at(run, end, gaz).is_some_and(|(_, k)| k.kind != EntityKind::Place)
            {
                break;
            }
            end += 1;
        }
        // Connectors never end a name; "and" and "the" only join inside known names.
        let mut stop = end;
        while stop > i && run[stop - 1].connector {
            stop -= 1;
        }
        if let Some(and) =
            run[i..stop].iter().position(|p| p.connector && matches!(p.text, "and" | "the"))
        {
            stop = i + and;
            while stop > i && run[stop - 1].connector {
                stop -= 1;
            }
        }
        // "of"/"for" join only after an organisation, place or title head word.
        if let Some(of) = run[i..stop].iter().position(|p| p.connector && p.text != "&") {
            let head = run[i + of - 1].text;
            if !(words.has("org_head", head)
                || words.has("place_suffix", head)
                || words.has("title", head))
            {
                stop = i + of;
            }
        }
        // A trailing function word is not part of a name ("Unite Against"),
        // unless it ends a title or is a surname ("Vote No", "Christine May").
        while stop > i + 1
            && run[stop - 1].function
            && !run[stop - 1].has("month")
            && (stop < run.len() || run[stop - 1].initial)
        {
            stop -= 1;
        }
        let stop = stop.max(i + 1);
        let mut cand = candidate(&run[i..stop]);
        cand.titled = titled;
        // Events and awards ("European Indoor Championships") are none of the kinds.
        let event = cand.words >= 2 && run[stop - 1].has("event")
            || words.has("title", &cand.name)
            || cand.name.chars().all(|c| c.is_ascii_digit() || c == ' ');
        let lone_function = cand.words == 1 && gaz.words.is_function(&cand.name);
        if !event && !lone_function {
            out.push(cand);
        }
        titled = false;
        i = stop;
    }
}

/// "J" in "J Robinson": a capital initial before a surname ("A" and "I" are words).
fn initial_letter(run: &[Piece<'_>], p: &Piece<'_>) -> bool {
    let at = run.iter().position(|q| q.tok == p.tok).unwrap_or(0);
    p.text.chars().all(char::is_uppercase)
        && !matches!(p.text, "A" | "I")
        && run.get(at + 1).is_some_and(|q| !q.connector && !q.number && q.text.chars().count() > 1)
}

/// A capitalised function word with no capitalised word after it in the
/// run: a word, not part of a name.
fn single_function(run: &[Piece<'_>], p: &Piece<'_>) -> bool {
    let at = run.iter().position(|q| q.tok == p.tok).unwrap_or(0);
    let after = run.get(at + 1).is_some_and(|q| !q.connector || run.get(at + 2).is_some());
    let before = at > 0;
    !(after || before && !p.has("month"))
}

/// The length of a multi-word entry of `section` at piece `i` ("Boxing Day").
fn phrase_at(run: &[Piece<'_>], i: usize, gaz: &Gazetteer, section: &str) -> Option<usize> {
    let first = run.get(i)?;
    let mut name = String::new();
    let mut best = None;
    for (len, piece) in run.get(i..)?.iter().take(4).enumerate() {
        let longer = if len == 0 {
            first.begins_phrase()
        } else {
            let key = extend_name(&mut name, first, piece);
            if gaz.words.has(section, key) {
                best = Some(len + 1);
            }
            gaz.words.begins_phrase(key)
        };
        if !longer {
            break;
        }
    }
    best
}

/// `name` (the words from `first` on, joined by spaces; empty before the
/// second word) with `piece` added, for the look-ups of names of several
/// words.
fn extend_name<'n>(name: &'n mut String, first: &Piece<'_>, piece: &Piece<'_>) -> &'n str {
    if name.is_empty() {
        name.push_str(first.text);
    }
    name.push(' ');
    name.push_str(piece.text);
    name
}

/// A number piece inside a name is only ever the last one ("Radio 4").
fn is_name_number_piece(p: &Piece<'_>) -> bool {
    p.number
}

/// "I'm", "It's", "Don't": a function word with a contraction.
fn is_contraction(word: &str, gaz: &Gazetteer) -> bool {
    match word.split_once(['\'', '’']) {
        Some((stem, rest)) => {
            matches!(rest, "m" | "s" | "ve" | "ll" | "d" | "re" | "t")
                && (gaz.words.is_function(stem)
                    || matches!(stem, "Don" | "Can" | "Won" | "Isn" | "Didn" | "Doesn"))
        }
        None => false,
    }
}

/// The end of a name starting at `start` (capitalised words and inner
/// connectors, no plain words).
fn name_end(run: &[Piece<'_>], start: usize) -> usize {
    let mut end = start;
    while let Some(p) = run.get(end) {
        if p.connector && p.text != "&" && p.text != "of" && p.text != "for" {
            break;
        }
        let inner_function = p.has("function")
            && !p.initial
            && end > 0
            && (run.get(end + 1).is_some_and(|q| !q.connector && !q.number)
                || end + 1 == run.len());
        if !p.connector
            && (p.has("month")
                || p.has("function") && p.text != "&" && !inner_function
                || p.has("title"))
        {
            break;
        }
        end += 1;
    }
    while end > start && run[end - 1].connector {
        end -= 1;
    }
    end
}

/// The longest known name starting at piece `i`.
fn known_at<'g>(
    run: &[Piece<'_>],
    i: usize,
    gaz: &'g Gazetteer,
) -> Option<(usize, &'g crate::extract::gazetteer::Known)> {
    let first = run.get(i)?;
    if first.connector || first.number && i == 0 {
        return None;
    }
    // The first piece is looked up as it is; a name of several is built
    // only when a longer name can start with it (rarely).
    let mut name = String::new();
    let mut best = None;
    for (len, piece) in run[i..].iter().take(gaz.max_words).enumerate() {
        let key = if len == 0 { piece.text } else { extend_name(&mut name, first, piece) };
        if let Some(known) = gaz.known(key) {
            best = Some((len + 1, known));
        }
        let longer = if len == 0 { piece.begins_name } else { gaz.begins_name(key) };
        if !longer {
            break;
        }
    }
    let (len, known) = best?;
    if known.ambiguous {
        // "Turkey" at the start of a sentence, "Georgia Smith", "Chelsea
        // Clinton": not the place.
        let next_cap = run.get(i + len).is_some_and(|p| !p.connector && !p.number);
        if first.initial || next_cap {
            return None;
        }
    }
    // Inside a person's name ("Denzel Washington"), a one-word place is a surname.
    if len == 1 && i > 0 && !run[i - 1].connector && gaz.is_given_name(run[i - 1].text) {
        return None;
    }
    // A given name that is also a place, before a surname: a person.
    if len == 1
        && gaz.is_given_name(first.text)
        && run.get(i + 1).is_some_and(|p| !p.connector && !p.number && gaz.known(p.text).is_none())
    {
        return None;
    }
    Some((len, known))
}

/// The length of a title at piece `i` ("Mr", "Prime Minister", "Education
/// Secretary"), if there is one and a name follows it.
fn title_at(run: &[Piece<'_>], i: usize, gaz: &Gazetteer) -> Option<usize> {
    let words = &gaz.words;
    let first = run.get(i)?;
    let mut name = String::new();
    let mut best = None;
    for (len, piece) in run[i..].iter().take(5).enumerate() {
        if piece.number {
            break;
        }
        let (title, longer) = if len == 0 {
            (piece.has("title"), piece.begins_phrase())
        } else {
            let key = extend_name(&mut name, first, piece);
            (words.has("title", key), words.begins_phrase(key))
        };
        if title {
            best = Some(len + 1);
        }
        if !longer {
            break;
        }
    }
    // "Education Secretary", "Lib Dem Treasury spokesman": a capitalised
    // portfolio before a title word is part of the title.
    if best.is_none() {
        let head = run[i..].iter().take(4).position(|p| {
            matches!(p.text, "Secretary" | "Minister" | "Chancellor" | "Commissioner" | "Spokesman")
        });
        if let Some(k) = head.filter(|&k| k > 0) {
            best = Some(k + 1);
        }
    }
    let len = best?;
    // A title is only a title before a name; "President" alone is a word.
    run.get(i + len).filter(|p| !p.connector && !p.number).map(|_| len)
}

/// A candidate for the pieces `ps` (not empty).
fn candidate(ps: &[Piece<'_>]) -> Candidate {
    let first = ps[0];
    let last = ps[ps.len() - 1];
    let mut name = String::new();
    for (k, p) in ps.iter().enumerate() {
        if k > 0 {
            name.push(' ');
        }
        name.push_str(p.text);
    }
    Candidate {
        name,
        span: Span { start: first.start, end: last.end },
        first_tok: first.tok,
        end_tok: last.tok + 1,
        known: None,
        score: [0; 4],
        shape: [0; 4],
        words: ps.iter().filter(|p| !p.connector && (!p.number || p.lead)).count(),
        initial: first.initial,
        titled: false,
        club: 0,
    }
}

/// Scores a candidate from its shape and the words around it.
fn context(text: &str, tokens: &[Token], gaz: &Gazetteer, cand: &mut Candidate) {
    // The name is taken out while the candidate is scored, and put back.
    let name = std::mem::take(&mut cand.name);
    score_context(text, tokens, gaz, cand, &name);
    cand.name = name;
}

/// [`context`] with the candidate's name apart (`cand.name` is empty here).
fn score_context(text: &str, tokens: &[Token], gaz: &Gazetteer, cand: &mut Candidate, name: &str) {
    let words = &gaz.words;
    let parts: Vec<&str> = name.split(' ').collect();
    let first = parts.first().copied().unwrap_or("");
    let last = parts.last().copied().unwrap_or("");
    let word = |k: usize| tokens.get(k).map(|t| t.text(text)).unwrap_or("");
    let before = cand.first_tok.checked_sub(1).map_or("", word);
    let before2 = cand.first_tok.checked_sub(2).map_or("", word);
    let after = word(cand.end_tok);
    let after2 = word(cand.end_tok + 1);
    let after3 = word(cand.end_tok + 2);
    let possessive =
        text.get(cand.span.end..).is_some_and(|r| r.starts_with("'s") || r.starts_with("’s"));
    // The words around the name are asked about many lists: one look-up each.
    let (first_lists, last_lists) = (words.bits(first), words.bits(last));
    let (before_lists, after_lists) = (words.bits(before), words.bits(after));
    let in_list = |lists: u32, section: &str| lists & section_bit(section) != 0;
    let given_first = gaz.is_given_name(first);

    // Shape.
    if in_list(last_lists, "org_suffix") && cand.words >= 2 || last == "plc" || last == "Inc" {
        cand.add(EntityKind::Org, 5);
    }
    if parts.iter().any(|p| words.has("org_head", p))
        && parts.iter().any(|p| matches!(*p, "of" | "for"))
    {
        cand.add(EntityKind::Org, 3);
    }
    // "Lake Mead", "Mount Kenya", "St. Helens": a place's first word.
    if cand.words >= 2
        && (in_list(first_lists, "place_head")
            || first.strip_suffix('.').is_some_and(|a| INNER_ABBREVIATIONS.contains(&a)))
        && !in_list(last_lists, "org_suffix")
    {
        cand.add(EntityKind::Place, 3);
    }
    if in_list(last_lists, "place_suffix") && cand.words >= 2 {
        // "Henry Hill" is more likely a person than "Tower Hill" is.
        cand.add(EntityKind::Place, if given_first { 2 } else { 4 });
    }
    // "Clwyd North West", "Yorkshire East": a region.
    if cand.words >= 2 && matches!(last, "North" | "South" | "East" | "West" | "Central") {
        cand.add(EntityKind::Place, 3);
    }
    if name.ends_with('+') {
        cand.add(EntityKind::Product, 4);
    }
    if cand.words == 1 && is_acronym(first) {
        cand.add(EntityKind::Org, 2);
    }
    if parts.iter().any(|p| p.chars().any(|c| c.is_ascii_digit())) && !is_acronym(name) {
        cand.add(EntityKind::Product, 2);
    }
    if given_first && cand.words >= 2 {
        cand.add(EntityKind::Person, 3);
    } else if given_first && cand.words == 1 && !is_acronym(first) {
        cand.add(EntityKind::Person, 2);
    }
    if first == "The" {
        // Bands, papers, shows: hardly ever a person's name.
        cand.add(EntityKind::Org, 2);
    }
    if cand.words >= 2 && parts.iter().any(|p| words.has("org_word", p)) {
        cand.add(EntityKind::Org, 2);
        cand.add(EntityKind::Person, -2);
    }
    // "J Robinson", "M Cueto": an initial and a surname.
    if cand.words == 2 && first.chars().count() == 1 && first.chars().all(char::is_uppercase) {
        cand.add(EntityKind::Person, 3);
    }
    // "Lycos Europe", "Tate Britain": a name and a known place.
    if cand.words >= 2
        && !given_first
        && gaz.known(last).is_some_and(|k| k.kind == EntityKind::Place)
        && gaz.known(first).is_none()
    {
        cand.add(EntityKind::Org, 2);
    }
    // "ArtGarden", "PlayStation": an inner capital; "XDA II": a Roman numeral.
    let camel =
        first.chars().zip(first.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    if cand.words == 1 && camel {
        cand.add(EntityKind::Product, 1);
    }
    if cand.words >= 2 && matches!(last, "II" | "III" | "IV" | "V" | "VI") {
        cand.add(EntityKind::Product, 2);
    }
    let name_like = |p: &str| {
        p.chars().next().is_some_and(char::is_uppercase)
            && p.chars().skip(1).any(char::is_lowercase)
            && p.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))
    };
    if (2..=3).contains(&cand.words)
        && parts.iter().all(|p| name_like(p) || PARTICLES.contains(p))
        && !parts.iter().any(|p| words.has("org_suffix", p) || words.has("place_suffix", p))
    {
        cand.add(EntityKind::Person, 1);
    }
    cand.shape = cand.score;
    let sport_after = [
        "boss",
        "manager",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "keeper",
        "coach",
        "captain",
        "chairman",
        "winger",
        "forward",
        "fans",
        "supporters",
        "squad",
        "side",
    ];
    if sport_after.contains(&after) || matches!(before, "beat" | "beating" | "against" | "v" | "vs")
    {
        cand.club += 1;
    }
    // Context before.
    if cand.titled {
        cand.add(EntityKind::Person, 4);
    }
    // "firms such as Retrofone", "games like Painkiller": the cue before the list.
    let cue = match (before, before2) {
        ("as", "such") => cand.first_tok.checked_sub(3).map_or("", word),
        ("like" | "including", _) => before2,
        _ => "",
    };
    if words.has("org_cue", cue) {
        cand.add(EntityKind::Org, 2);
    } else if words.has("product_cue", cue) {
        cand.add(EntityKind::Product, 2);
    }
    let before_lower = lower(before);
    // An acronym after a job is its employer's ("глава УТК Ольга Миронова"),
    // and so is a word in the genitive before a given name ("мэр
    // Екатеринбурга Андрей Суворин").
    if words.has("role", &before_lower)
        && before.starts_with(char::is_lowercase)
        && !(cand.words == 1 && is_acronym(name))
        && !(is_cyrillic(after) && gaz.is_given_name(after))
    {
        cand.add(EntityKind::Person, 3);
    }
    if in_list(before_lists, "org_cue") {
        cand.add(EntityKind::Org, 3);
    }
    if in_list(before_lists, "product_cue") && !matches!(before, "service" | "services" | "system")
    {
        cand.add(EntityKind::Product, 3);
    }
    if in_list(before_lists, "place_cue") && cand.words == 1 {
        let strong = matches!(
            before,
            "near" | "outside" | "across" | "throughout" | "capital" | "city" | "town"
        );
        cand.add(EntityKind::Place, if strong { 2 } else { 1 });
        // "in Marion", "near Florence": a lone given name after a place
        // word is a town named like a person (a person needs a surname).
        if given_first && !cand.titled && before.starts_with(char::is_lowercase) {
            cand.add(EntityKind::Place, 2);
        }
    }
    if cand.words >= 2
        && (matches!(before, "said" | "says" | "according")
            || before2 == "according" && before == "to")
    {
        cand.add(EntityKind::Person, 1);
    }
    // "chief executive of Corvane", "analysts at Merriwether": a job's employer.
    let job = lower(before2);
    if matches!(before, "of" | "at")
        && (words.has("role", &job) || words.has("role", job.trim_end_matches('s')))
    {
        cand.add(EntityKind::Org, 2);
    }
    // Context after.
    if ORG_ACTS.contains(&after) && !possessive {
        // "Zorvath acquired Quillon", "Zorvath shares rose".
        cand.add(EntityKind::Org, 2);
    } else if in_list(after_lists, "saying") {
        cand.add(EntityKind::Person, 1);
    }
    // "WorldCom boss", "Blur guitarist", "BoE governor": the owner of a job.
    if !possessive && in_list(after_lists, "role") && !given_first && !cand.titled {
        cand.add(EntityKind::Org, 2);
    }
    if in_list(after_lists, "product_cue")
        && !possessive
        && !matches!(after, "service" | "services")
    {
        cand.add(EntityKind::Product, 3);
    }
    if after == ","
        && (after2 == "who" || after2.parse::<u32>().is_ok_and(|n| n < 110) && after3 == ",")
    {
        cand.add(EntityKind::Person, 3);
    }
    if after == "," && matches!(after2, "which") {
        cand.add(EntityKind::Org, 1);
    }
    // "Northwind Freight, the logistics group, said"; "Peter Okafor, a
    // transport analyst at the bank": the noun of an appositive.
    if after == "," && matches!(after2, "the" | "a" | "an" | "its" | "whose") {
        let noun = tokens
            .iter()
            .skip(cand.end_tok + 2)
            .take(6)
            .take_while(|t| t.kind == Kind::Word)
            .map(|t| t.text(text))
            .find(|w| {
                words.has("org_cue", w) || words.has("role", w) || words.has("product_cue", w)
            });
        match noun {
            Some(w) if words.has("role", w) => cand.add(EntityKind::Person, 2),
            Some(w) if words.has("org_cue", w) => cand.add(EntityKind::Org, 3),
            Some(_) => cand.add(EntityKind::Product, 3),
            None => {}
        }
    }
    // "the Teamsters union", "Reuters news agency".
    if !possessive
        && in_list(after_lists, "org_cue")
        && !matches!(after, "site" | "sites" | "service" | "services")
    {
        cand.add(EntityKind::Org, 2);
    }
    if possessive {
        let owned = tokens
            .iter()
            .skip(cand.end_tok)
            .take(3)
            .map(|t| t.text(text))
            .find(|w| ORG_POSSESSIONS.contains(w));
        if owned.is_some() {
            cand.add(EntityKind::Org, 2);
        }
        if tokens
            .get(cand.end_tok + 2)
            .is_some_and(|t| words.has("person_possession", t.text(text)))
        {
            cand.add(EntityKind::Person, 1);
        }
    }
    // "its AI assistant, known internally as Clarity Assist", "a chip
    // called V9": a name given to a product noun just before it.
    let naming = matches!(
        (before2, before),
        ("known" | "internally" | "codenamed", "as") | (_, "called" | "dubbed" | "named")
    );
    if naming {
        let lookback = cand.first_tok.saturating_sub(10)..cand.first_tok;
        let product_noun = tokens.get(lookback).into_iter().flatten().any(|t| {
            let w = t.text(text);
            words.has("product_cue", w) && !matches!(w, "service" | "services" | "system")
        });
        if product_noun {
            cand.add(EntityKind::Product, 3);
        }
    }
    // "NEW YORK (Meridian Wire) -": a news agency in a dateline.
    if before == "("
        && after == ")"
        && matches!(after2, "-" | "–" | "—")
        && tokens.get(cand.first_tok.saturating_sub(2)).is_some_and(|t| {
            let w = t.text(text);
            w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
        })
    {
        cand.add(EntityKind::Org, 5);
    }
    if after == "(" && is_acronym(after2) {
        cand.add(EntityKind::Org, 1);
    }
}

/// Gives an untyped one-word candidate the kind of a typed candidate it is
/// listed with ("TCI and Atticus", "Fat Joe, Nas and Jadakiss").
fn coordinate(text: &str, tokens: &[Token], cands: &mut [Candidate]) {
    let linked = |a: &Candidate, b: &Candidate| {
        let between: Vec<&str> = tokens
            .get(a.end_tok..b.first_tok)
            .unwrap_or(&[])
            .iter()
            .map(|t| t.text(text))
            .collect();
        matches!(between.as_slice(), [","] | ["and"] | [",", "and"] | ["or"] | [",", "or"] | ["&"])
    };
    for _ in 0..2 {
        for k in 0..cands.len() {
            if cands[k].best().1 > 0 || cands[k].known.is_some() {
                continue;
            }
            let neighbours = [k.checked_sub(1), Some(k + 1)];
            let mut kind = None;
            for n in neighbours.into_iter().flatten() {
                let Some(other) = cands.get(n) else { continue };
                let ok = if n < k { linked(other, &cands[k]) } else { linked(&cands[k], other) };
                if !ok {
                    continue;
                }
                let other_kind = match &other.known {
                    Some((kind, _)) => Some(*kind),
                    None => (other.best().1 > 0).then(|| other.best().0),
                };
                kind = kind.or(other_kind);
            }
            if let Some(kind) = kind {
                cands[k].add(kind, 2);
            }
        }
    }
}

/// An entity being built.
#[derive(Debug)]
struct Building {
    name: String,
    kind: EntityKind,
    /// How sure the kind is (gazetteer 10, evidence score, default 0).
    strength: i32,
    mentions: Vec<Span>,
    known: bool,
    words: usize,
    /// One-word mentions that were the first or the last word of the name.
    first_word_mentions: usize,
    last_word_mentions: usize,
}

/// Merges candidates into entities with aliases resolved.
fn merge(
    cands: Vec<Candidate>,
    gaz: &Gazetteer,
    title_words: &[&str],
    strict: bool,
) -> Vec<Entity> {
    let mut entities: Vec<Building> = Vec::new();
    let mut by_name: FastMap<String, usize> = FastMap::default();
    // (The tables below are keyed by the candidates' own names, borrowed.)
    // Evidence adds up over every mention of the same name.
    let mut cands = cands;
    let scores: Vec<[i32; 4]> = {
        let mut totals: FastMap<&str, [i32; 4]> = FastMap::default();
        for c in &cands {
            let total = totals.entry(c.name.as_str()).or_insert(c.shape);
            for (t, (score, shape)) in total.iter_mut().zip(c.score.iter().zip(c.shape)) {
                *t += score - shape;
            }
        }
        cands.iter().map(|c| totals.get(c.name.as_str()).copied().unwrap_or(c.score)).collect()
    };
    for (c, score) in cands.iter_mut().zip(scores) {
        c.score = score;
    }
    let cands = cands;
    // Surfaces written capitalised somewhere other than a sentence start.
    let mut mid_sentence: FastMap<&str, usize> = FastMap::default();
    for c in &cands {
        if !c.initial {
            *mid_sentence.entry(c.name.as_str()).or_default() += 1;
        }
    }
    // Acronyms defined in parentheses: "Amazon Web Services (AWS)", "AWS (Amazon Web Services)".
    let mut defined: FastMap<&str, &str> = FastMap::default();
    for pair in cands.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.first_tok == a.end_tok + 1 {
            let (short, long) =
                if is_acronym(&b.name) { (&b.name, &a.name) } else { (&a.name, &b.name) };
            if is_acronym(short) && !is_acronym(long) && initials_match(short, long) {
                defined.insert(short.as_str(), long.as_str());
            }
        }
    }
    let mut clubs: FastMap<&str, i32> = FastMap::default();
    for c in &cands {
        *clubs.entry(c.name.as_str()).or_default() += c.club;
    }

    // Surnames of the article's people: "Dr Fox" is Liam Fox, not the
    // broadcaster, when the article names Liam Fox.
    let surnames: FastSet<&str> = cands
        .iter()
        .filter(|c| {
            c.known.is_none() && c.words >= 2 && c.best().0 == EntityKind::Person && c.best().1 > 0
        })
        .filter_map(|c| c.name.rsplit(' ').next())
        .collect();
    // Pass 1: names that stand on their own: known names, typed names of
    // two or more words, and strongly typed single words. (Pass 2 does not
    // look at what the gazetteer said of a pending name.)
    let mut pending: Vec<&Candidate> = Vec::new();
    for c in &cands {
        if c.known.is_some() && c.words == 1 && surnames.contains(c.name.as_str()) {
            pending.push(c);
            continue;
        }
        if let Some((kind, canonical)) = &c.known {
            // "Chelsea boss", "beat Liverpool": a city's club.
            let club = clubs.get(c.name.as_str()).copied().unwrap_or(0);
            let kind = if *kind == EntityKind::Place && club >= 2 && c.words == 1 {
                EntityKind::Org
            } else {
                *kind
            };
            add(&mut entities, &mut by_name, canonical, kind, 10, c.span, true, c.words);
            continue;
        }
        let (kind, score) = c.best();
        let enough = if strict { 3 } else { 1 };
        if c.words >= 2 && score >= enough && !defined.contains_key(c.name.as_str()) {
            add(&mut entities, &mut by_name, &c.name, kind, score, c.span, false, c.words);
        } else {
            pending.push(c);
        }
    }
    // Pass 2: one-word names: surnames, first names, first words of longer
    // names, acronyms; then what evidence says; else dropped.
    let mut initials = String::new();
    for c in pending {
        let name = c.name.as_str();
        if let Some(long) = defined.get(name)
            && let Some(&e) = by_name.get(*long)
        {
            entities[e].mentions.push(c.span);
            continue;
        }
        if let Some((e, first_word)) = alias_of(&entities, name, c.titled) {
            entities[e].mentions.push(c.span);
            if first_word {
                entities[e].first_word_mentions += 1;
            } else {
                entities[e].last_word_mentions += 1;
            }
            by_name.entry(name.to_owned()).or_insert(e);
            continue;
        }
        if is_acronym(name)
            && let letters = acronym_letters(name)
            && let Some(e) = entities.iter().rposition(|b| {
                b.kind != EntityKind::Person
                    && b.words >= 2
                    && initials_match_letters(&letters, &b.name, &mut initials)
            })
        {
            entities[e].mentions.push(c.span);
            by_name.entry(name.to_owned()).or_insert(e);
            continue;
        }
        if let Some(&e) = by_name.get(name) {
            entities[e].mentions.push(c.span);
            continue;
        }
        let (kind, score) = c.best();
        let seen_mid = mid_sentence.get(name).copied().unwrap_or(0);
        let in_title = title_words.iter().skip(1).any(|w| *w == name);
        let trusted = !c.initial || seen_mid > 0 || in_title;
        if !trusted || strict {
            continue;
        }
        if c.words >= 2 {
            // An untyped name of several words: most often a person's.
            if score > 0 || c.words <= 3 {
                let kind = if score > 0 { kind } else { EntityKind::Person };
                add(&mut entities, &mut by_name, name, kind, score.max(0), c.span, false, c.words);
            }
            continue;
        }
        if score >= 2 || (score > 0 && seen_mid >= 2) {
            add(&mut entities, &mut by_name, name, kind, score, c.span, false, 1);
        } else if seen_mid >= 2 && name.chars().count() >= 3 {
            // A word the article keeps writing capitalised: a name, most often an organisation's.
            let kind = if score > 0 { kind } else { EntityKind::Org };
            add(&mut entities, &mut by_name, name, kind, 0, c.span, false, 1);
        }
    }
    merge_initials(&mut entities);
    merge_leading_words(&mut entities, gaz);
    let mut out: Vec<Entity> = entities
        .into_iter()
        .map(|mut b| {
            // "Deutsche Boerse" ... "Deutsche said": people go by surname,
            // organisations by their first word.
            if b.kind == EntityKind::Person
                && b.strength <= 1
                && b.first_word_mentions > 1
                && b.last_word_mentions == 0
            {
                b.kind = EntityKind::Org;
            }
            b.mentions.sort();
            b.mentions.dedup();
            Entity { name: b.name, kind: b.kind, mentions: b.mentions }
        })
        .collect();
    out.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.start));
    out
}

/// Folds a short name of several words into the organisation whose name it
/// begins ("St. Aldric" into "St. Aldric Medical", "Veltrix" into "Veltrix
/// Semiconductor" when both are there): an organisation goes by its first
/// words. Only names that end in an organisation's last word ("Medical",
/// "Semiconductor") take such short forms; known names and people are never
/// folded.
fn merge_leading_words(entities: &mut Vec<Building>, gaz: &Gazetteer) {
    fold_into(entities, |entities, short| {
        if short.kind == EntityKind::Person || short.known {
            return None;
        }
        let prefix = format!("{} ", short.name);
        entities.iter().position(|b| {
            b.kind == EntityKind::Org
                && !b.known
                && b.name.starts_with(&prefix)
                && b.name.rsplit(' ').next().is_some_and(|w| gaz.words.has("org_suffix", w))
        })
    });
}

/// Folds "M Cueto" into "Mark Cueto" when both are people of the article.
fn merge_initials(entities: &mut Vec<Building>) {
    fold_into(entities, |entities, short| match short.name.split_once(' ') {
        Some((initial, surname))
            if short.kind == EntityKind::Person && initial.chars().count() == 1 =>
        {
            entities.iter().position(|b| {
                b.kind == EntityKind::Person
                    && b.name != short.name
                    && b.name.starts_with(initial)
                    && b.name.ends_with(&format!(" {surname}"))
            })
        }
        _ => None,
    });
}

/// Moves the mentions of every entity for which `target` names another
/// entity into that one, and removes it.
fn fold_into(
    entities: &mut Vec<Building>,
    target: impl Fn(&[Building], &Building) -> Option<usize>,
) {
    let mut k = 0;
    while k < entities.len() {
        match target(entities, &entities[k]) {
            Some(t) if t != k => {
                let mentions = std::mem::take(&mut entities[k].mentions);
                entities[t].mentions.extend(mentions);
                entities.remove(k);
            }
            _ => k += 1,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn add(
    entities: &mut Vec<Building>,
    by_name: &mut FastMap<String, usize>,
    name: &str,
    kind: EntityKind,
    strength: i32,
    span: Span,
    known: bool,
    words: usize,
) {
    match by_name.get(name) {
        Some(&e) => {
            let b = &mut entities[e];
            b.mentions.push(span);
            if strength > b.strength && !b.known {
                b.kind = kind;
                b.strength = strength;
            }
        }
        None => {
            // A longer person name absorbs an earlier surname-only entity.
            by_name.insert(name.to_owned(), entities.len());
            entities.push(Building {
                name: name.to_owned(),
                kind,
                strength,
                mentions: vec![span],
                known,
                words,
                first_word_mentions: 0,
                last_word_mentions: 0,
            });
        }
    }
}

/// The entity a one-word name refers to: a person's surname or first name,
/// or the first word of a longer unknown name ("Deutsche" for "Deutsche
/// Boerse").
fn alias_of(entities: &[Building], name: &str, titled: bool) -> Option<(usize, bool)> {
    let mut found = None;
    for (e, b) in entities.iter().enumerate() {
        if b.words < 2 || b.name == name {
            continue;
        }
        // A Russian surname in another case is the same person's.
        let last = b.name.rsplit(' ').next().is_some_and(|l| {
            l == name || is_cyrillic(name) && surname_stem(l) == surname_stem(name)
        });
        let first = b.name.split(' ').next() == Some(name) && !titled && name != "The";
        let hit = match b.kind {
            EntityKind::Person => last || first,
            _ => !b.known && first,
        };
        if hit {
            // The most recently introduced person wins ("Ms Clarkson"); the
            // first organisation named wins ("Northwind" for "Northwind
            // Freight", not "Northwind Europe").
            if b.kind == EntityKind::Person || found.is_none() {
                found = Some((e, !last));
            }
        }
    }
    found
}

/// Whether the letters of `acronym` are the initials of `long`'s words, or
/// of its last words ("UAF" for "Swansea Unite Against Fascism"), with or
/// without small words ("ISM" for "Institute for Supply Management").
fn initials_match(acronym: &str, long: &str) -> bool {
    initials_match_letters(&acronym_letters(acronym), long, &mut String::new())
}

/// The letters of an acronym, upper-cased, as [`initials_match_letters`]
/// compares them.
fn acronym_letters(acronym: &str) -> String {
    acronym.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect()
}

/// [`initials_match`] with the acronym's letters worked out once
/// ([`acronym_letters`]) and a buffer for the initials, for testing one
/// acronym against every name of an article.
fn initials_match_letters(letters: &str, long: &str, initials: &mut String) -> bool {
    if letters.len() < 2 {
        return false;
    }
    let mut matches = |capitalised_only: bool| {
        initials.clear();
        for word in long.split([' ', '-']) {
            let Some(c) = word.chars().next() else { continue };
            if !capitalised_only || c.is_uppercase() {
                initials.extend(c.to_uppercase());
            }
        }
        initials == letters || (initials.len() > letters.len() && initials.ends_with(letters))
    };
    matches(false) || matches(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::token::tokenize;

    fn entities(text: &str) -> Vec<(String, EntityKind, usize)> {
        let gaz = Gazetteer::new();
        let tokens = tokenize(text);
        find(text, &tokens, &gaz, None, capitalises_nouns(text, &tokens))
            .into_iter()
            .map(|e| (e.name, e.kind, e.mentions.len()))
            .collect()
    }

    fn has(found: &[(String, EntityKind, usize)], name: &str, kind: EntityKind) -> bool {
        found.iter().any(|(n, k, _)| n == name && *k == kind)
    }

    #[test]
    fn people_with_titles_surnames_and_possessives() {
        let text = "The message came from Beth Galetti, Amazon's senior vice president. \
                    Galetti says teams will move. In Galetti's message, Mr Blair was absent.";
        let found = entities(text);
        assert!(found.contains(&("Beth Galetti".into(), EntityKind::Person, 3)), "{found:?}");
        assert!(has(&found, "Amazon", EntityKind::Org));
        assert!(has(&found, "Blair", EntityKind::Person));
        assert!(!found.iter().any(|(n, ..)| n == "The" || n == "In" || n == "Mr Blair"));
    }

    #[test]
    fn organisation_head_words_and_abbreviations_inside_names() {
        let text = "Brightwater Health and St. Aldric Medical agreed a deal. St. Aldric \
                    reported a loss. Shares of Veltrix Semiconductor rose, and Veltrix \
                    said Halden Brothers would advise. Water from Lake Mead reaches \
                    Hoover Dam. Its ward in Marion stays open.";
        let found = entities(text);
        assert!(found.contains(&("St. Aldric Medical".into(), EntityKind::Org, 2)), "{found:?}");
        assert!(found.contains(&("Veltrix Semiconductor".into(), EntityKind::Org, 2)), "{found:?}");
        assert!(has(&found, "Halden Brothers", EntityKind::Org), "{found:?}");
        assert!(has(&found, "Lake Mead", EntityKind::Place), "{found:?}");
        assert!(has(&found, "Hoover Dam", EntityKind::Place), "{found:?}");
        assert!(has(&found, "Marion", EntityKind::Place), "{found:?}");
        assert!(!found.iter().any(|(n, ..)| n == "St" || n.starts_with("Shares")), "{found:?}");
        let found =
            entities("NEW YORK (Meridian Wire) - Shares fell. AWS (Amazon Web Services) grew.");
        assert!(has(&found, "Meridian Wire", EntityKind::Org), "{found:?}");
        assert!(has(&found, "Amazon Web Services", EntityKind::Org), "{found:?}");
        assert!(!found.iter().any(|(n, ..)| n.contains("YORK")), "{found:?}");
    }

    #[test]
    fn line_breaks_end_names() {
        let found = entities("A letter from a reader.\nGeoffrey Bindman\nLondon");
        assert!(has(&found, "Geoffrey Bindman", EntityKind::Person), "{found:?}");
        assert!(has(&found, "London", EntityKind::Place), "{found:?}");
    }

    #[test]
    fn products_named_and_evidence_in_the_article() {
        let text = "The firm kept its AI assistant, known internally as Clarity Assist. \
                    Later Zorvath acquired a rival after Zorvath shares rose. Analysts at \
                    Merriwether and Tovey expect more, and Mr. Obuya said so.";
        let found = entities(text);
        assert!(has(&found, "Clarity Assist", EntityKind::Product), "{found:?}");
        assert!(has(&found, "Zorvath", EntityKind::Org), "{found:?}");
        assert!(has(&found, "Merriwether", EntityKind::Org), "{found:?}");
        assert!(has(&found, "Tovey", EntityKind::Org), "{found:?}");
        assert!(has(&found, "Obuya", EntityKind::Person), "{found:?}");
    }

    #[test]
    fn russian_names_split_at_case_boundaries_and_merge_across_cases() {
        let text = "Как заявил мэр Екатеринбурга Андрей Суворин, линия откроется в мае. \
                    По словам Суворина, работы идут. Глава УТК Ольга Миронова согласна с \
                    Сувориным.";
        let found = entities(text);
        assert!(found.contains(&("Андрей Суворин".into(), EntityKind::Person, 3)), "{found:?}");
        assert!(has(&found, "Ольга Миронова", EntityKind::Person), "{found:?}");
        assert!(!found.iter().any(|(n, k, _)| n == "УТК" && *k == EntityKind::Person));
        assert!(!found.iter().any(|(n, ..)| n.contains("Екатеринбурга ")), "{found:?}");
        assert_eq!(surname_stem("Мироновой"), "Миронов");
        assert_eq!(surname_stem("Вольского"), surname_stem("Вольская"));
        assert_eq!(surname_stem("Smith"), "Smith");
    }

    #[test]
    fn acronyms_resolve_both_ways() {
        let text = "Reuters notes that AWS (Amazon Web Services) is slow. Staff at the \
                    Institute for Supply Management (ISM) said the ISM index rose.";
        let found = entities(text);
        assert!(found.contains(&("Amazon Web Services".into(), EntityKind::Org, 2)), "{found:?}");
        assert!(
            found.contains(&("Institute for Supply Management".into(), EntityKind::Org, 3)),
            "{found:?}"
        );
    }

    #[test]
    fn generic_words_months_and_nationalities_are_not_entities() {
        let text = "This generation of AI is the biggest since the Internet, said the Russian \
                    analyst in March. AI GPUs are expensive.";
        let found = entities(text);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn places_products_and_lists() {
        let text = "Amazon is investing in Mississippi, Indiana, Ohio, and North Carolina. \
                    It uses custom silicon like Trainium and Inferentia chips, Alexa+ and \
                    Microsoft Azure. Hedge funds TCI and Atticus objected.";
        let found = entities(text);
        for (name, kind) in [
            ("Mississippi", EntityKind::Place),
            ("North Carolina", EntityKind::Place),
            ("Inferentia", EntityKind::Product),
            ("Trainium", EntityKind::Product),
            ("Alexa+", EntityKind::Product),
            ("Microsoft Azure", EntityKind::Product),
            ("TCI", EntityKind::Org),
            ("Atticus", EntityKind::Org),
        ] {
            assert!(has(&found, name, kind), "{name}: {found:?}");
        }
        assert!(!found.iter().any(|(n, ..)| n.contains(" and ")), "{found:?}");
    }

    #[test]
    fn organisation_suffixes_and_first_words() {
        let text = "Investors in German exchange Deutsche Boerse complained. Deutsche said the London \
                    Stock Exchange bid stands, as did South Wales Police and Tods Murray Ltd.";
        let found = entities(text);
        assert!(found.contains(&("Deutsche Boerse".into(), EntityKind::Org, 2)), "{found:?}");
        assert!(has(&found, "London Stock Exchange", EntityKind::Org));
        assert!(has(&found, "South Wales Police", EntityKind::Org));
        assert!(has(&found, "Tods Murray Ltd", EntityKind::Org));
    }

    #[test]
    fn german_nouns_are_not_names() {
        let text = "Die Bundesregierung hat am Mittwoch neue Maßnahmen beschlossen. Nach Angaben \
                    des Ministeriums sollen die Hilfen vor allem Familien zugutekommen. Der \
                    Bundeskanzler Olaf Scholz sagte in Berlin, die Regierung werde die Bürger \
                    entlasten. Die Opposition ist nicht zufrieden mit dem Paket und den Hilfen.";
        let found = entities(text);
        assert!(has(&found, "Olaf Scholz", EntityKind::Person), "{found:?}");
        assert!(has(&found, "Berlin", EntityKind::Place), "{found:?}");
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn mentions_are_byte_spans_of_the_name() {
        let text = "“Jassy’s plan” — Andy Jassy, the CEO, said Jassy’s team grew.";
        let gaz = Gazetteer::new();
        let tokens = tokenize(text);
        let found = find(text, &tokens, &gaz, None, capitalises_nouns(text, &tokens));
        let jassy = found.iter().find(|e| e.name == "Andy Jassy").expect("Andy Jassy found");
        let surfaces: Vec<&str> = jassy.mentions.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(surfaces, ["Jassy", "Andy Jassy", "Jassy"]);
    }
}
