//! Tokens and sentences of clean article text, the common ground of the
//! entity and figure finders.
//!
//! Input: any `&str`. Output: tokens with byte spans that always fall on
//! character boundaries, each marked with its sentence and with whether it
//! stands where a capital letter says nothing (the start of a sentence or of
//! a quotation). This cannot fail; odd input gives odd tokens, never a panic.

use std::borrow::Cow;

/// What a token is.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum Kind {
    /// Letters, possibly with digits and inner `'`, `-`, `.`, `&` (`O'Brien`,
    /// `Covid-19`, `U.S.`, `AT&T`) and a final `+` (`Alexa+`).
    Word,
    /// Digits with thousands commas and a decimal point (`14,000`, `17.5`).
    Number,
    /// Any other single character.
    Punct,
}

/// A token of the text.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is.
    pub kind: Kind,
    /// No whitespace between this token and the previous one.
    pub glued: bool,
    /// Index of the sentence the token belongs to.
    pub sentence: u32,
    /// First word of a sentence or of a quotation: its capital is no evidence.
    pub initial: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// `word` lower-cased, borrowed when that changes nothing (an ASCII word
/// without capitals, most words of running text): the finders lower-case
/// the words around every candidate, and a `String` each time added up.
pub(crate) fn lower(word: &str) -> Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Sen", "Rep", "Gen", "Col", "Lt", "Sgt", "Capt", "Co",
    "Corp", "Inc", "Ltd", "Jr", "Sr", "vs", "No", "Mt", "Ft", "Gov", "Rev", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "eg", "ie", "etc",
    "млн", "млрд", "тыс", "руб", "долл", "г", "гг", "ст", "кв", "им", "ул", "д",
];

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut sentence = 0u32;
    let mut new_sentence = true;
    let mut after_quote = false;
    let mut glued = false;
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            // A line break ends a sentence: clean text keeps one block per
            // line (headlines, list items, a byline and its publisher, a
            // letter's signature and its town).
            if c == '\n' && !new_sentence {
                sentence += 1;
                new_sentence = true;
            }
            glued = false;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphabetic() {
            kind = Kind::Word;
            i += 1;
            while let Some(c) = at(i) {
                if c.is_alphanumeric() {
                    i += 1;
                } else if matches!(c, '\'' | '’' | '-' | '.' | '&')
                    && at(i + 1).is_some_and(char::is_alphanumeric)
                    && joins(c, at(i - 1), at(i + 1), at(i + 2))
                {
                    i += 2;
                } else {
                    break;
                }
            }
            // "U.S." keeps its final stop; "Alexa+" its plus.
            let stop = at(i) == Some('.') && dotted_initials(&chars[start..i]);
            let plus = at(i) == Some('+') && !at(i + 1).is_some_and(char::is_alphanumeric);
            if stop || plus {
                i += 1;
            }
        } else if c.is_ascii_digit() {
            kind = Kind::Number;
            i += 1;
            loop {
                match at(i) {
                    Some(d) if d.is_ascii_digit() => i += 1,
                    Some(',')
                        if (1..=3).all(|k| at(i + k).is_some_and(|d| d.is_ascii_digit()))
                            && !at(i + 4).is_some_and(|d| d.is_ascii_digit()) =>
                    {
                        i += 4
                    }
                    Some('.') if at(i + 1).is_some_and(|d| d.is_ascii_digit()) => i += 2,
                    _ => break,
                }
            }
        } else {
            kind = Kind::Punct;
            i += 1;
        }
        let token_text = &text[byte(start)..byte(i)];
        let is_open_quote = kind == Kind::Punct
            && matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[')
            && (!glued || tokens.last().is_some_and(|t| t.kind == Kind::Punct));
        let initial = kind != Kind::Punct && (new_sentence || after_quote);
        tokens.push(Token { start: byte(start), end: byte(i), kind, glued, sentence, initial });
        if kind != Kind::Punct {
            new_sentence = false;
            after_quote = false;
        } else if is_open_quote && matches!(c, '"' | '“' | '‘' | '\'') {
            after_quote = true;
        } else if c == ':' && chars.get(i).is_some_and(|&(_, n)| n.is_whitespace()) {
            // "the question: Should ..." capitalises like a sentence start.
            after_quote = true;
        }
        if kind == Kind::Punct
            && matches!(token_text, "." | "!" | "?")
            && ends_sentence(text, &tokens, &chars, i)
        {
            sentence += 1;
            new_sentence = true;
        }
        glued = true;
    }
    tokens
}

/// Whether an inner `'`, `-`, `.` or `&` keeps a word together.
fn joins(c: char, before: Option<char>, after: Option<char>, after2: Option<char>) -> bool {
    match c {
        '.' => {
            // "U.S", "jolt.co.uk", not "end.The".
            let b = before.unwrap_or(' ');
            let a = after.unwrap_or(' ');
            (b.is_uppercase() && a.is_uppercase() && !after2.is_some_and(char::is_lowercase))
                || (b.is_lowercase() && a.is_lowercase())
        }
        '&' => before.is_some_and(char::is_uppercase) && after.is_some_and(char::is_uppercase),
        _ => true,
    }
}

/// "U.S" or "U.K" (single letters between stops), to take the final stop.
fn dotted_initials(chars: &[(usize, char)]) -> bool {
    chars.len() >= 3
        && chars
            .iter()
            .enumerate()
            .all(|(k, &(_, c))| if k % 2 == 0 { c.is_uppercase() } else { c == '.' })
}

/// Whether the stop just read (ending at char `i`) ends a sentence.
fn ends_sentence(text: &str, tokens: &[Token], chars: &[(usize, char)], i: usize) -> bool {
    // Skip closing quotes and brackets; a sentence ends before whitespace.
    let mut j = i;
    while let Some(&(_, c)) = chars.get(j) {
        if matches!(c, '"' | '”' | '’' | '\'' | ')') {
            j += 1;
        } else {
            break;
        }
    }
    if chars.get(j).is_some_and(|&(_, c)| !c.is_whitespace()) {
        return false;
    }
    let Some(prev) = tokens.len().checked_sub(2).and_then(|k| tokens.get(k)) else {
        return true;
    };
    if prev.kind != Kind::Word {
        return true;
    }
    let word = prev.text(text);
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    !(initial || ABBREVIATIONS.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn words_numbers_and_punctuation() {
        assert_eq!(
            words("Galetti's $10 billion, 17.5% of 14,000 U.S. roles (AWS)."),
            [
                "Galetti's",
                "$",
                "10",
                "billion",
                ",",
                "17.5",
                "%",
                "of",
                "14,000",
                "U.S.",
                "roles",
                "(",
                "AWS",
                ")",
                "."
            ]
        );
        assert_eq!(
            words("Covid-19 mid-2024 90-day Alexa+, AT&T"),
            ["Covid-19", "mid-2024", "90", "-", "day", "Alexa+", ",", "AT&T"]
        );
        assert_eq!(words("1,2345 and 3.x"), ["1", ",", "2345", "and", "3", ".", "x"]);
    }

    #[test]
    fn sentences_and_initial_words() {
        let text = "Mr Blair said no. Then \"Some may ask\" he added.\n\nNew paragraph";
        let tokens = tokenize(text);
        let initial: Vec<&str> =
            tokens.iter().filter(|t| t.initial).map(|t| t.text(text)).collect();
        assert_eq!(initial, ["Mr", "Then", "Some", "New"]);
        let last = tokens.last().map(|t| t.sentence);
        assert_eq!(last, Some(2));
    }

    #[test]
    fn glue_is_recorded() {
        let text = "£1.2bn and 4 %";
        let tokens = tokenize(text);
        let glued: Vec<bool> = tokens.iter().map(|t| t.glued).collect();
        assert_eq!(glued, [false, true, true, false, false, false]);
    }

    #[test]
    fn lower_borrows_only_what_is_already_lower_case() {
        for word in ["", "roles", "14,000", "Galetti", "AWS", "Октябрь", "straße", "İ", "ǅ"]
        {
            assert_eq!(lower(word), word.to_lowercase(), "{word:?}");
        }
        assert!(matches!(lower("said"), Cow::Borrowed(_)));
    }

    #[test]
    fn never_splits_characters() {
        for text in ["é", "£", "’’", "a\u{301}b 1.", "Ж1,ж", "\n\n\n", "x.", "1,"] {
            for t in tokenize(text) {
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            }
        }
    }
}
