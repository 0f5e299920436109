//! Figures of one article: money, percentages, counts, durations, ratios.
//!
//! Input: the clean text, its tokens and the byte spans of entity mentions
//! (numbers inside names such as "BBC Radio 4" are not figures). Output:
//! figures with a normalised value, a kind, a unit (currency code, counted
//! noun, time unit), a qualifier ("approximately", "up to", "each") and the
//! span of the figure as written.
//!
//! Numbers are read in digits ("14,000", "17.5", "£1.2bn"), in words
//! ("fourteen", "30 thousand", "five and a half"), in wire style ("4.5 mln
//! dlrs", "3 pct") and in Russian ("3,4 млн рублей", "18 000 человек",
//! "около 5 процентов"). Years, dates, clock times,
//! ordinals, decades, scores ("6-3"), ages ("the 28-year-old"), chart
//! positions ("number one"), section and model numbers, numbers glued to
//! letters ("3G", "40GB") and the determiner "one" are not figures. A bare
//! number takes its counted noun from earlier in the sentence ("job cuts ...
//! stop at 14,000"). This cannot fail.

use std::borrow::Cow;

use std::sync::LazyLock;

use crate::extract::gazetteer::Gazetteer;
use crate::extract::token::{Kind, Token, lower};
use crate::hash::FastSet;
use crate::model::{Figure, FigureKind, Span};

/// Words that end a counted noun phrase: determiners, pronouns,
/// prepositions, conjunctions, auxiliaries and common adverbs and verbs.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "of",
    "in",
    "on",
    "at",
    "by",
    "to",
    "from",
    "for",
    "with",
    "into",
    "over",
    "under",
    "about",
    "than",
    "per",
    "each",
    "and",
    "or",
    "but",
    "nor",
    "as",
    "if",
    "so",
    "because",
    "while",
    "when",
    "since",
    "until",
    "after",
    "before",
    "during",
    "between",
    "against",
    "among",
    "across",
    "through",
    "within",
    "without",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "has",
    "have",
    "had",
    "having",
    "do",
    "does",
    "did",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "not",
    "no",
    "it",
    "they",
    "them",
    "he",
    "she",
    "we",
    "you",
    "i",
    "who",
    "which",
    "what",
    "where",
    "there",
    "here",
    "then",
    "now",
    "also",
    "only",
    "just",
    "even",
    "still",
    "yet",
    "already",
    "more",
    "most",
    "less",
    "least",
    "last",
    "next",
    "first",
    "ago",
    "later",
    "earlier",
    "left",
    "said",
    "says",
    "say",
    "saw",
    "see",
    "seen",
    "get",
    "got",
    "went",
    "go",
    "made",
    "make",
    "took",
    "take",
    "gave",
    "give",
    "came",
    "come",
    "out",
    "up",
    "down",
    "off",
    "away",
    "back",
    "all",
    "both",
    "some",
    "any",
    "such",
    "another",
    "very",
    "too",
    "much",
    "many",
    "few",
    "several",
    "whom",
    "whose",
    "why",
    "how",
    "like",
    "alone",
    "apiece",
    "including",
    "according",
    "compared",
    "year",
    "month",
    "week",
    "day",
    "today",
    "yesterday",
    "tomorrow",
    "ended",
    "reports",
    "notes",
    "against",
    "versus",
    "v",
    "vs",
    "either",
    "neither",
    "instead",
    "again",
    "ahead",
    "overall",
    "altogether",
    "respectively",
];

/// Adjectives that cannot be a counted noun on their own.
const ADJECTIVES: &[&str] = &[
    "new",
    "old",
    "extra",
    "additional",
    "further",
    "different",
    "separate",
    "major",
    "small",
    "big",
    "large",
    "similar",
    "key",
    "full",
    "main",
    "more",
    "other",
    "top",
    "best",
    "worst",
    "previous",
    "consecutive",
    "straight",
    "successive",
    "possible",
    "potential",
    "corporate",
];

/// Irregular plurals and mass nouns that can be counted.
const PLURALS: &[&str] = &[
    "people",
    "children",
    "men",
    "women",
    "staff",
    "police",
    "personnel",
    "cattle",
    "sheep",
    "fish",
    "aircraft",
    "data",
    "media",
    "workforce",
    "crew",
    "deer",
    "feet",
    "teeth",
    "mice",
];

/// Units of length, weight, storage and such: not figures of any kind here.
const PHYSICAL: &[&str] = &[
    "metres",
    "meters",
    "metre",
    "meter",
    "m",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "mph",
    "kph",
    "kg",
    "kilos",
    "kilograms",
    "grams",
    "g",
    "tonnes",
    "tons",
    "tonne",
    "ton",
    "litres",
    "liters",
    "gallons",
    "feet",
    "foot",
    "ft",
    "inches",
    "inch",
    "cm",
    "mm",
    "yards",
    "degrees",
    "celsius",
    "fahrenheit",
    "gb",
    "mb",
    "kb",
    "tb",
    "ghz",
    "mhz",
    "mw",
    "kw",
    "gw",
    "acres",
    "hectares",
    "square",
    "calories",
    "bytes",
    "pixels",
    "megapixels",
    "volts",
    "watts",
    "times",
    "time",
];

/// Heads that say "800m" was a distance, not 800 million.
const RACES: &[&str] = &[
    "runner",
    "runners",
    "race",
    "races",
    "hurdles",
    "freestyle",
    "relay",
    "final",
    "record",
    "title",
    "champion",
    "event",
];

/// Words before a number that make it a label, not a quantity ("section 5").
const LABELS: &[&str] = &[
    "section",
    "chapter",
    "article",
    "page",
    "clause",
    "paragraph",
    "version",
    "model",
    "flight",
    "route",
    "room",
    "platform",
    "level",
    "grade",
    "stage",
    "phase",
    "round",
    "episode",
    "season",
    "track",
    "channel",
    "line",
    "gate",
    "junction",
    "exit",
    "row",
    "seat",
    "number",
    "no",
    "size",
    "top",
    "match-day",
    "tier",
    "class",
    "category",
    "division",
    "group",
    "question",
    "figure",
    "table",
    "item",
    "rule",
    "part",
    "volume",
    "issue",
    "series",
    "step",
    "lane",
    "band",
    "radio",
    "aged",
    "age",
    "ages",
    "under",
    "over-",
    "pages",
    "chapters",
    "sections",
    "world",
    "apartment",
];

/// The word lists above as hash sets: the noun-phrase reader asks about
/// most words after every number, and a scan of a hundred-odd strings
/// each time was the reader's largest cost.
static STOP_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(STOP));
static STOP_RU_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(STOP_RU));
static ADJECTIVES_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(ADJECTIVES));
static PLURALS_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(PLURALS));
static PHYSICAL_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(PHYSICAL));
static RACES_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(RACES));
static LABELS_SET: LazyLock<FastSet<&'static str>> = LazyLock::new(|| word_set(LABELS));

fn word_set(words: &[&'static str]) -> FastSet<&'static str> {
    words.iter().copied().collect()
}

/// Qualifiers before a figure, longest first.
const QUALIFIERS: &[(&[&str], &str)] = &[
    (&["as", "many", "as"], "as many as"),
    (&["as", "much", "as"], "as much as"),
    (&["no", "more", "than"], "no more than"),
    (&["more", "than"], "more than"),
    (&["less", "than"], "less than"),
    (&["fewer", "than"], "fewer than"),
    (&["at", "least"], "at least"),
    (&["at", "most"], "at most"),
    (&["up", "to"], "up to"),
    (&["close", "to"], "close to"),
    (&["just", "over"], "just over"),
    (&["just", "under"], "just under"),
    (&["well", "over"], "well over"),
    (&["an", "estimated"], "estimated"),
    (&["approximately"], "approximately"),
    (&["about"], "about"),
    (&["around"], "around"),
    (&["roughly"], "roughly"),
    (&["nearly"], "nearly"),
    (&["almost"], "almost"),
    (&["over"], "over"),
    (&["under"], "under"),
    (&["below"], "below"),
    (&["above"], "above"),
    (&["estimated"], "estimated"),
    (&["some"], "some"),
    (&["only"], "only"),
    (&["около"], "about"),
    (&["примерно"], "approximately"),
    (&["порядка"], "about"),
    (&["более"], "more than"),
    (&["свыше"], "over"),
    (&["почти"], "almost"),
    (&["менее"], "less than"),
    (&["до"], "up to"),
];

/// Time units: the written forms and the normalised unit.
fn time_unit(word: &str) -> Option<&'static str> {
    Some(match &*lower(word) {
        "second" | "seconds" | "secs" => "seconds",
        "minute" | "minutes" | "mins" => "minutes",
        "hour" | "hours" | "hrs" => "hours",
        "day" | "days" => "days",
        "week" | "weeks" => "weeks",
        "fortnight" | "fortnights" => "fortnights",
        "month" | "months" => "months",
        "year" | "years" => "years",
        "decade" | "decades" => "decades",
        "century" | "centuries" => "centuries",
        "quarter" | "quarters" => "quarters",
        "секунд" | "секунды" | "секунду" => "seconds",
        "минут" | "минуты" | "минуту" => "minutes",
        "час" | "часа" | "часов" => "hours",
        "день" | "дня" | "дней" | "суток" => "days",
        "неделя" | "недели" | "неделю" | "недель" => "weeks",
        "месяц" | "месяца" | "месяцев" => "months",
        "год" | "года" | "лет" => "years",
        _ => return None,
    })
}

/// Currency words after a number, with their code.
fn currency_word(word: &str) -> Option<&'static str> {
    Some(match &*lower(word) {
        "dollars" | "dollar" | "usd" | "dlrs" | "dlr" => "USD",
        "pounds" | "pound" | "sterling" | "gbp" | "stg" => "GBP",
        "euros" | "euro" | "eur" => "EUR",
        "yen" | "jpy" => "JPY",
        "roubles" | "rubles" | "rouble" | "ruble" | "rub" => "RUB",
        "yuan" | "renminbi" | "cny" => "CNY",
        "rupees" | "rupee" | "inr" => "INR",
        "francs" | "chf" => "CHF",
        "рублей" | "рубля" | "рубль" | "руб" => "RUB",
        "долларов" | "доллара" | "доллар" | "долл" => "USD",
        "евро" => "EUR",
        "franken" => "CHF",
        "aud" => "AUD",
        "cad" => "CAD",
        "hkd" => "HKD",
        _ => return None,
    })
}

/// A currency symbol, with what may stand glued before it ("US$", "A$").
fn currency_symbol(symbol: &str, prefix: Option<&str>) -> Option<&'static str> {
    Some(match (symbol, prefix) {
        ("$", Some("A" | "AU")) => "AUD",
        ("$", Some("C" | "CA")) => "CAD",
        ("$", Some("HK")) => "HKD",
        ("$", Some("NZ")) => "NZD",
        ("$", Some("S")) => "SGD",
        ("$", Some("R")) => "BRL",
        ("$", _) => "USD",
        ("£", _) => "GBP",
        ("€", _) => "EUR",
        ("¥", _) => "JPY",
        ("₽", _) => "RUB",
        ("₹", _) => "INR",
        ("₩", _) => "KRW",
        ("₺", _) => "TRY",
        _ => return None,
    })
}

/// Multipliers written after a number.
fn multiplier(word: &str) -> Option<f64> {
    Some(match &*lower(word) {
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" | "millions" => 1e6,
        "billion" | "bn" | "bln" | "b" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        // Russian: "тыс.", "тысяч", "млн", "миллиона", "млрд", "трлн".
        "тыс" | "тысяча" | "тысячи" | "тысяч" | "тысячу" => 1e3,
        "млн" | "миллион" | "миллиона" | "миллионов" => 1e6,
        "млрд" | "миллиард" | "миллиарда" | "миллиардов" => 1e9,
        "трлн" | "триллион" | "триллиона" | "триллионов" => 1e12,
        // German: "Tausend", "Mio.", "Millionen", "Mrd.", "Milliarden".
        "tausend" => 1e3,
        "mio" | "millionen" => 1e6,
        "mrd" | "milliarde" | "milliarden" => 1e9,
        "billionen" => 1e12,
        _ => return None,
    })
}

/// A number as German writes it: "14.000" (thousands), "3.5" is read as
/// written since German decimals use a comma, which the tokenizer splits.
fn german_number(digits: &str) -> Option<f64> {
    let groups: Vec<&str> = digits.split('.').collect();
    if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) && groups[0].len() <= 3 {
        return groups.concat().replace(',', "").parse().ok();
    }
    digits.replace(',', "").parse().ok()
}

/// The value of digits with thousands commas ("14,000"), copied without
/// them only when there are commas.
fn plain_number(digits: &str) -> Option<f64> {
    if digits.contains(',') {
        digits.replace(',', "").parse::<f64>().ok()
    } else {
        digits.parse::<f64>().ok()
    }
}

/// Russian percent words: "5 процентов".
fn percent_word(word: &str) -> bool {
    matches!(word, "процент" | "процента" | "процентов" | "проц" | "prozent")
}

/// The value of a number word ("fourteen", "twenty-five").
fn word_value(word: &str) -> Option<f64> {
    if word.is_ascii() && !word.contains('-') {
        // Every word of the list fits in nine bytes: lower-case on the stack
        // (the reader asks about every word of the text).
        let mut buffer = [0u8; 9];
        let copy = buffer.get_mut(..word.len())?;
        copy.copy_from_slice(word.as_bytes());
        copy.make_ascii_lowercase();
        return simple_word_value(std::str::from_utf8(copy).ok()?);
    }
    let lower = lower(word);
    if let Some((tens, units)) = lower.split_once('-') {
        let (t, u) = (word_value(tens)?, word_value(units)?);
        return (t >= 20.0 && t % 10.0 == 0.0 && u < 10.0).then_some(t + u);
    }
    simple_word_value(&lower)
}

/// The value of a lower-case number word without a hyphen.
fn simple_word_value(lower: &str) -> Option<f64> {
    Some(match lower {
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// Reads figures.
pub(crate) struct Reader<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Entity mentions, sorted.
    names: &'a [Span],
    gaz: &'a Gazetteer,
    /// German writing: "14.000" is fourteen thousand, "3,5" three and a half.
    german: bool,
}

/// A number as read: its value, where it starts and ends (in tokens), and
/// how it was written.
#[derive(Clone, Copy, Debug)]
struct Number {
    value: f64,
    /// First and one past the last token of the number (multiplier included).
    first: usize,
    end: usize,
    /// Written in words ("fourteen").
    words: bool,
    /// A multiplier was read ("bn", "million").
    scaled: bool,
}

/// Finds the figures of `text`.
pub(crate) fn find(
    text: &str,
    tokens: &[Token],
    names: &[Span],
    gaz: &Gazetteer,
    german: bool,
) -> Vec<Figure> {
    let reader = Reader { text, tokens, names, gaz, german };
    let mut figures = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match reader.figure_at(i) {
            Some((figure, end)) => {
                figures.push(figure);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    figures
}

impl<'a> Reader<'a> {
    fn word(&self, k: usize) -> &'a str {
        self.tokens.get(k).map_or("", |t| t.text(self.text))
    }

    fn lower(&self, k: usize) -> Cow<'a, str> {
        lower(self.word(k))
    }

    /// Token `k` exists, is glued to the one before it and reads `s`.
    fn glued_is(&self, k: usize, s: &str) -> bool {
        self.tokens.get(k).is_some_and(|t| t.glued && t.text(self.text) == s)
    }

    fn in_name(&self, k: usize) -> bool {
        let Some(t) = self.tokens.get(k) else { return false };
        let at = self.names.partition_point(|s| s.end <= t.start);
        self.names.get(at).is_some_and(|s| s.start <= t.start && t.end <= s.end)
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.sentence == y.sentence,
            _ => false,
        }
    }

    /// Reads a number at token `i`.
    fn number_at(&self, i: usize) -> Option<Number> {
        let t = self.tokens.get(i)?;
        let (mut value, words) = match t.kind {
            Kind::Number if self.german => (german_number(t.text(self.text))?, false),
            Kind::Number => (plain_number(t.text(self.text))?, false),
            Kind::Word => (word_value(t.text(self.text))?, true),
            Kind::Punct => return None,
        };
        let mut end = i + 1;
        if !words {
            let digits = t.text(self.text);
            // "18 000", "1 200 000": thousands separated by spaces.
            let plain = digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit());
            // (The digits are copied only when groups follow.)
            let mut joined = String::new();
            while plain
                && self.tokens.get(end).is_some_and(|n| {
                    n.kind == Kind::Number
                        && !n.glued
                        && n.text(self.text).len() == 3
                        && n.text(self.text).chars().all(|c| c.is_ascii_digit())
                })
            {
                if joined.is_empty() {
                    joined.push_str(digits);
                }
                joined.push_str(self.word(end));
                end += 1;
            }
            if end > i + 1 {
                value = joined.parse::<f64>().ok()?;
            }
            // "3,4 млн", "2,5 %": a decimal comma before a multiplier or a unit.
            let fraction = self
                .tokens
                .get(end + 1)
                .filter(|f| f.kind == Kind::Number && f.glued && f.text(self.text).len() <= 2);
            if end == i + 1
                && self.glued_is(end, ",")
                && let Some(f) = fraction
            {
                let after = self.lower(end + 2);
                let unit = multiplier(&after).is_some()
                    || after == "%"
                    || percent_word(&after)
                    || currency_word(&after).is_some();
                if unit && let Ok(v) = format!("{}.{}", digits, f.text(self.text)).parse::<f64>() {
                    value = v;
                    end += 2;
                }
            }
        }
        // "five and a half".
        if self.lower(end) == "and" && self.lower(end + 1) == "a" && self.lower(end + 2) == "half" {
            value += 0.5;
            end += 3;
        }
        // "30 thousand", "1.55 million", "£1.2bn", "two hundred".
        let mut scaled = false;
        while let Some(next) = self.tokens.get(end) {
            if !self.same_sentence(i, end) {
                break;
            }
            let w = next.text(self.text);
            let glued_letters = next.glued && next.kind == Kind::Word;
            let factor = if glued_letters && !words {
                multiplier(w).filter(|_| w != "b" || !words)
            } else if !next.glued && next.kind == Kind::Word && w.len() > 2 {
                multiplier(w).filter(|_| w != "millions")
            } else {
                None
            };
            let hundred = !next.glued && w == "hundred" && words;
            match factor {
                Some(f) => {
                    value *= f;
                    scaled = true;
                    end += 1;
                    // "млн.", "тыс.", "Mio.": an abbreviation's stop.
                    if self.glued_is(end, ".") && (!w.is_ascii() || matches!(w, "Mio" | "Mrd")) {
                        end += 1;
                    }
                }
                None if hundred => {
                    value *= 100.0;
                    end += 1;
                }
                None => break,
            }
        }
        // "£16.9bn" is 16900000000, not 16899999999.999998.
        if scaled && value.abs() >= 1e3 {
            value = value.round();
        }
        Some(Number { value, first: i, end, words, scaled })
    }

    /// A figure starting at token `i`, and the token after it.
    fn figure_at(&self, i: usize) -> Option<(Figure, usize)> {
        let t = self.tokens.get(i)?;
        // A currency symbol may come first: "$10", "US$5", "£1.2bn".
        let (currency, num_at) = match t.kind {
            Kind::Punct => {
                let prefix = (i > 0 && t.glued).then(|| self.word(i - 1));
                let code = currency_symbol(t.text(self.text), prefix)?;
                (Some(code), i + 1)
            }
            Kind::Word
                if matches!(t.text(self.text), "USD" | "GBP" | "EUR" | "RUB" | "JPY" | "CHF") =>
            {
                (currency_word(t.text(self.text)), i + 1)
            }
            _ => (None, i),
        };
        // A word that is neither a number word nor hyphenated ("three-year")
        // starts no figure: most tokens end here, before the name look-up.
        if currency.is_none()
            && t.kind == Kind::Word
            && !t.text(self.text).contains('-')
            && word_value(t.text(self.text)).is_none()
        {
            return None;
        }
        if self.in_name(num_at) {
            return None;
        }
        if currency.is_none()
            && let Some(figure) = self.hyphenated_words(i)
        {
            return Some(figure);
        }
        let n = self.number_at(num_at)?;
        if currency.is_none() && self.not_a_quantity(&n) {
            return None;
        }
        // "Six Nations", "Group Four": a capitalised number word inside a sentence is a name.
        if n.words
            && self
                .tokens
                .get(num_at)
                .is_some_and(|t| !t.initial && is_capitalised(t.text(self.text)))
        {
            return None;
        }
        // "several hundred million", "six or seven million": vague amounts.
        let before = self.lower(num_at.wrapping_sub(1));
        if n.words
            && matches!(
                &*before,
                "several" | "many" | "few" | "hundreds" | "thousands" | "millions" | "or"
            )
        {
            return None;
        }
        if n.words && self.lower(n.end) == "or" && self.number_at(n.end + 1).is_some() {
            return None;
        }
        let first_tok = if currency.is_some() && t.kind == Kind::Punct && t.glued && i > 0 {
            // "US$": start at the prefix.
            if currency_symbol("$", Some(self.word(i - 1))).is_some_and(|c| c != "USD")
                || self.word(i - 1) == "US"
            {
                i - 1
            } else {
                i
            }
        } else {
            i
        };
        let (qualifier, q_start) = self.qualifier_before(first_tok);
        let start_tok = q_start.unwrap_or(first_tok);
        let build = |value: f64,
                     kind: FigureKind,
                     unit: Option<String>,
                     qualifier: Option<String>,
                     end: usize| {
            let start = self.tokens.get(start_tok).map_or(0, |t| t.start);
            let stop = self.tokens.get(end.saturating_sub(1)).map_or(start, |t| t.end);
            let written = self.text.get(start..stop).unwrap_or("").to_owned();
            (
                Figure {
                    value,
                    kind,
                    unit,
                    qualifier,
                    text: written,
                    span: Span { start, end: stop },
                },
                end,
            )
        };
        let mut end = n.end;
        // Money.
        if let Some(code) = currency {
            let mut value = n.value;
            // "50p" is pence.
            let mut qualifier = qualifier;
            if self.lower(end) == "each" || self.lower(end) == "apiece" {
                qualifier = Some("each".to_owned());
                end += 1;
            }
            if n.words && !n.scaled {
                value = n.value;
            }
            return Some(build(value, FigureKind::Money, Some(code.to_owned()), qualifier, end));
        }
        let next = self.lower(end);
        if let Some(code) = currency_word(&next).filter(|_| !self.glued_is(end, &next)) {
            end += 1;
            // "руб.": an abbreviation's stop.
            if self.glued_is(end, ".")
                && !next.is_ascii()
                && self.tokens.get(end + 1).is_some_and(|t| !t.initial)
            {
                end += 1;
            }
            let mut qualifier = qualifier;
            if self.lower(end) == "each" {
                qualifier = Some("each".to_owned());
                end += 1;
            }
            return Some(build(n.value, FigureKind::Money, Some(code.to_owned()), qualifier, end));
        }
        if !n.words && self.glued_is(end, "p") && !n.scaled {
            return Some(build(
                n.value / 100.0,
                FigureKind::Money,
                Some("GBP".to_owned()),
                qualifier,
                end + 1,
            ));
        }
        // Wire style: "71.6 cts" (US cents).
        if !n.words && !n.scaled && matches!(&*next, "cts" | "cents") {
            let value = n.value / 100.0;
            return Some(build(
                value,
                FigureKind::Money,
                Some("USD".to_owned()),
                qualifier,
                end + 1,
            ));
        }
        // Percentages.
        if self.word(end) == "%" {
            return Some(build(n.value, FigureKind::Percent, None, qualifier, end + 1));
        }
        if next == "percent" || (next == "pc" || next == "pct") && !n.words || percent_word(&next) {
            return Some(build(n.value, FigureKind::Percent, None, qualifier, end + 1));
        }
        if next == "per" && self.lower(end + 1) == "cent" {
            return Some(build(n.value, FigureKind::Percent, None, qualifier, end + 2));
        }
        if next == "percentage" && matches!(&*self.lower(end + 1), "point" | "points") {
            return Some(build(n.value, FigureKind::Percent, None, qualifier, end + 2));
        }
        // Fractions: "two thirds", "three quarters of".
        if n.words && !n.scaled {
            let denominator = match &*next {
                "half" | "halves" => Some(2.0),
                "third" | "thirds" => Some(3.0),
                "fifth" | "fifths" => Some(5.0),
                "tenth" | "tenths" => Some(10.0),
                _ => None,
            };
            if let Some(d) = denominator {
                return Some(build(n.value / d, FigureKind::Ratio, None, qualifier, end + 1));
            }
        }
        // Ratios: "one in 13", "two out of three", "three times more".
        if !n.scaled && n.value >= 1.0 && n.value < 100.0 {
            let (of_at, of_len) = if next == "in" {
                (end + 1, 1)
            } else if next == "out" && self.lower(end + 1) == "of" {
                (end + 2, 2)
            } else {
                (0, 0)
            };
            if of_len > 0
                && let Some(d) = self.number_at(of_at)
                && !d.scaled
                && d.value > n.value
                && (n.words || !self.glued_is(of_at + 1, "%"))
                && !self.year_like(&d)
            {
                return Some(build(n.value / d.value, FigureKind::Ratio, None, qualifier, d.end));
            }
            if next == "times"
                && matches!(
                    &*self.lower(end + 1),
                    "more"
                        | "less"
                        | "as"
                        | "higher"
                        | "bigger"
                        | "larger"
                        | "greater"
                        | "faster"
                        | "the"
                        | "likely"
                )
            {
                return Some(build(
                    n.value,
                    FigureKind::Ratio,
                    Some("times".to_owned()),
                    qualifier,
                    end + 1,
                ));
            }
        }
        // Hyphenated: "90-day window", "350,000-strong workforce", "25-state EU".
        if self.glued_is(end, "-")
            && self.tokens.get(end + 1).is_some_and(|t| t.glued && t.kind == Kind::Word)
        {
            let after = self.lower(end + 1);
            if let Some(unit) = time_unit(&after) {
                return Some(build(
                    n.value,
                    FigureKind::Duration,
                    Some(unit.to_owned()),
                    qualifier,
                    end + 2,
                ));
            }
            if after == "strong" {
                let (head, head_end) = self.noun_phrase(end + 2);
                let unit = match head.as_deref() {
                    None | Some("workforce" | "staff" | "team" | "army" | "force") => {
                        "employees".to_owned()
                    }
                    Some(h) => h.to_owned(),
                };
                let stop = head_end.unwrap_or(end + 2);
                return Some(build(n.value, FigureKind::Count, Some(unit), qualifier, stop));
            }
            if n.words
                || PHYSICAL_SET.contains(&*after)
                || !after.is_ascii() && after.chars().count() < 3
            {
                return None;
            }
            let unit = plural(&after);
            return Some(build(n.value, FigureKind::Count, Some(unit), qualifier, end + 2));
        }
        // Glued letters other than a multiplier ("3G", "40GB", "46.68seconds").
        if self.tokens.get(end).is_some_and(|t| t.glued && t.kind == Kind::Word) {
            if let Some(unit) = time_unit(&next) {
                return Some(build(
                    n.value,
                    FigureKind::Duration,
                    Some(unit.to_owned()),
                    qualifier,
                    end + 1,
                ));
            }
            return None;
        }
        // Durations, money and counts with a noun phrase after the number.
        let (head, head_end) = self.noun_phrase(end);
        if let Some(head) = &head {
            let stop = head_end.unwrap_or(end);
            if let Some(unit) = time_unit(head) {
                if self.lower(stop) == "old" {
                    return None;
                }
                return Some(build(
                    n.value,
                    FigureKind::Duration,
                    Some(unit.to_owned()),
                    qualifier,
                    stop,
                ));
            }
            if let Some(code) = currency_word(head) {
                return Some(build(
                    n.value,
                    FigureKind::Money,
                    Some(code.to_owned()),
                    qualifier,
                    stop,
                ));
            }
            if PHYSICAL_SET.contains(head.as_str())
                || (n.scaled && RACES_SET.contains(head.as_str()))
            {
                return None;
            }
            if self.glued_is(n.end - 1, "m") && !n.words && RACES_SET.contains(head.as_str()) {
                return None;
            }
            if n.words && n.value == 1.0 && !n.scaled {
                // "one statement", "One side": a determiner.
                return None;
            }
            return Some(build(n.value, FigureKind::Count, Some(head.clone()), qualifier, stop));
        }
        // A bare number: a count of what the sentence counted before it.
        if n.words && !n.scaled {
            return None;
        }
        if !n.scaled && !self.word(n.first).contains(['.', ',']) && n.value < 10.0 {
            return None;
        }
        if self.glued_is(n.end.saturating_sub(1), "m") && !n.words && n.value >= 100.0 {
            // "the 800m": a distance.
            return None;
        }
        if self
            .tokens
            .get(end)
            .is_some_and(|t| t.kind == Kind::Word && is_capitalised(t.text(self.text)))
        {
            // "50 Cent", "11 Tests": part of a name or a title.
            return None;
        }
        let unit = self.unit_from_context(n.first);
        // Without a noun, only a number written as a quantity counts
        // ("14,000", "58.6", "4.8 million"); "11" or "4636" alone may be
        // anything (a phone number, a code, a page).
        if unit.is_none() && !n.scaled && !self.word(n.first).contains([',', '.']) {
            return None;
        }
        Some(build(n.value, FigureKind::Count, unit, qualifier, end))
    }

    /// "three-year plan", "one-hour special": a number word joined to a time
    /// unit in one token.
    fn hyphenated_words(&self, i: usize) -> Option<(Figure, usize)> {
        let t = self.tokens.get(i)?;
        let word = t.text(self.text);
        if t.kind != Kind::Word {
            return None;
        }
        let (number, rest) = word.split_once('-')?;
        let value = word_value(number)?;
        let unit = time_unit(rest)?;
        let (qualifier, q_start) = self.qualifier_before(i);
        let start = q_start.and_then(|k| self.tokens.get(k)).map_or(t.start, |q| q.start);
        let figure = Figure {
            value,
            kind: FigureKind::Duration,
            unit: Some(unit.to_owned()),
            qualifier,
            text: self.text.get(start..t.end).unwrap_or(word).to_owned(),
            span: Span { start, end: t.end },
        };
        Some((figure, i + 1))
    }

    /// Whether the number is a year, date, time, ordinal, age, score, label
    /// or part of a name rather than a quantity.
    fn not_a_quantity(&self, n: &Number) -> bool {
        let i = n.first;
        let text = self.word(i);
        let before = self.lower(i.wrapping_sub(1));
        let before_tok = i.checked_sub(1).and_then(|k| self.tokens.get(k));
        let next = self.word(n.end);
        let next_lower = lower(next);
        let next_glued = self.tokens.get(n.end).is_some_and(|t| t.glued);
        if self.in_name(i) {
            return true;
        }
        // "1 What is thought to ...", "12. Which ...": a list item's number
        // at the start of a line, before a capitalised word or its stop.
        let line_start = self.tokens.get(i).is_some_and(|t| {
            self.text.get(..t.start).is_some_and(|b| {
                b.trim_end_matches([' ', '\t']).is_empty()
                    || b.trim_end_matches([' ', '\t']).ends_with('\n')
            })
        });
        if line_start
            && n.end == i + 1
            && text.len() <= 3
            && text.chars().all(|c| c.is_ascii_digit())
            && (next.chars().next().is_some_and(char::is_uppercase)
                || next_glued && matches!(next, "." | ")"))
        {
            return true;
        }
        // Ordinals, decades, clock times: "19th", "1990s", "8am", "10:30".
        if next_glued
            && matches!(
                &*next_lower,
                "st" | "nd" | "rd" | "th" | "s" | "am" | "pm" | "'" | "’" | ":" | "/"
            )
        {
            return true;
        }
        if matches!(
            &*next_lower,
            "am" | "pm"
                | "a.m."
                | "p.m."
                | "gmt"
                | "bst"
                | "utc"
                | "et"
                | "est"
                | "cet"
                | "hrs"
                | "uhr"
        ) {
            return true;
        }
        // A time range: "1130 to 1215 GMT", "2000 and 2100 GMT", "2200 and 0700".
        if !n.words && text.len() == 4 && !text.contains(',') {
            let after = self.lower(n.end + 1);
            let then = self.lower(n.end + 2);
            if matches!(&*next_lower, "to" | "and" | "-")
                && self.word(n.end + 1).len() == 4
                && (matches!(&*then, "gmt" | "bst" | "utc" | "hrs") || after.starts_with('0'))
            {
                return true;
            }
            if matches!(&*before, "to" | "and" | "-")
                && i >= 2
                && self.word(i - 2).len() == 4
                && matches!(&*next_lower, "gmt" | "bst" | "utc" | "hrs")
            {
                return true;
            }
        }
        if !n.words && text.starts_with('0') && !text.starts_with("0.") {
            return true;
        }
        // "1300 659 467": groups of digits are a phone number or a code.
        let number_at =
            |k: usize| self.tokens.get(k).is_some_and(|t| t.kind == Kind::Number && !t.glued);
        if !n.words && (number_at(n.end) || before_tok.is_some_and(|b| b.kind == Kind::Number)) {
            return true;
        }
        // Years.
        if self.year_like(n) {
            return true;
        }
        // Dates: "31 December", "May 25", "16-28 November".
        let is_month = |w: &str| {
            self.gaz.words.has("month", w) && w.chars().next().is_some_and(char::is_uppercase)
                || self.gaz.words.has("month_lower", w)
        };
        if is_month(next) || is_month(self.word(i.wrapping_sub(1))) {
            return true;
        }
        if next == "-" && is_month(self.word(n.end + 2)) {
            return true;
        }
        // German dates and ordinals: "31. Dezember", "3. Liga".
        if self.german && next == "." && next_glued && !n.words {
            let after = self.tokens.get(n.end + 1);
            if after.is_some_and(|t| {
                t.sentence == self.tokens.get(i).map_or(0, |x| x.sentence)
                    || is_month(t.text(self.text))
            }) {
                return true;
            }
        }
        if before == "-" && i >= 2 && is_month(self.word(i + 1)) {
            return true;
        }
        // Scores and ranges of bare numbers: "6-3", "17-18", "737-800".
        if !n.words
            && next_glued
            && next == "-"
            && self.tokens.get(n.end + 1).is_some_and(|t| t.glued && t.kind == Kind::Number)
        {
            return true;
        }
        if before == "-"
            && before_tok.is_some_and(|t| t.glued)
            && self.tokens.get(i).is_some_and(|t| t.glued)
            && i >= 2
            && self.tokens.get(i - 2).is_some_and(|t| t.kind == Kind::Number)
        {
            return true;
        }
        // Ages: "the 28-year-old", "aged 92", "Mr Sullivan, 42, pleaded".
        let after_hyphen = self.lower(n.end + 1);
        if next == "-"
            && (after_hyphen.starts_with("year-old") || after_hyphen.starts_with("years-old"))
        {
            return true;
        }
        if matches!(&*next_lower, "years" | "year") && self.lower(n.end + 1) == "old" {
            return true;
        }
        if before == "," && next == "," && !n.words && n.value < 120.0 && i >= 2 {
            let owner = self.word(i - 2);
            if is_capitalised(owner) {
                return true;
            }
        }
        // Labels: "number one", "No 1", "section 5", "Radio 4", "Windows 11".
        if LABELS_SET.contains(&*before) && !n.words {
            return true;
        }
        if let Some(b) = before_tok
            && !self.german
            && b.kind == Kind::Word
            && is_capitalised(b.text(self.text))
            // "November's 4.2%", "Amazon's 14,000 staff": a possessive, not a label.
            && !b.text(self.text).ends_with("'s")
            && !b.text(self.text).ends_with("’s")
            && !self.gaz.words.has("function", b.text(self.text))
            && !QUALIFIERS.iter().any(|(ws, _)| ws.len() == 1 && ws[0] == before)
            && !is_month(b.text(self.text))
        {
            return true;
        }
        // Numbers glued to letters before them ("mid-2024" is one token; "X5").
        if self.tokens.get(i).is_some_and(|t| t.glued)
            && before_tok.is_some_and(|b| b.kind == Kind::Word)
        {
            return true;
        }
        // The determiner "one" ("one statement") is handled with its noun;
        // "a" and "an" are never read as numbers.
        false
    }

    fn year_like(&self, n: &Number) -> bool {
        let text = self.word(n.first);
        if n.words || n.scaled || text.contains([',', '.']) || text.len() != 4 {
            return false;
        }
        if !(1000.0..=2100.0).contains(&n.value) {
            return false;
        }
        // "2,000 jobs" has a comma; "2000 jobs" after no preposition is a count.
        let before = self.lower(n.first.wrapping_sub(1));
        let preposition = matches!(
            &*before,
            "in" | "since"
                | "by"
                | "of"
                | "from"
                | "until"
                | "till"
                | "to"
                | "before"
                | "after"
                | "during"
                | "between"
                | "and"
                | "for"
                | "the"
                | "early"
                | "late"
                | "mid"
                | "around"
                | "through"
                | "throughout"
                | "circa"
                | "spring"
                | "summer"
                | "autumn"
                | "winter"
                | "-"
                | ","
                | "("
                | "'"
        );
        preposition || self.noun_phrase(n.end).0.is_none() || (1900.0..=2100.0).contains(&n.value)
    }

    /// A qualifier right before token `i` and where it starts.
    fn qualifier_before(&self, i: usize) -> (Option<String>, Option<usize>) {
        // The (at most three) words before `i`, lower-cased once: `before[b]`
        // is token `i - 1 - b`.
        let before: [Cow<'a, str>; 3] = std::array::from_fn(|b| {
            i.checked_sub(b + 1).map_or(Cow::Borrowed(""), |k| self.lower(k))
        });
        for (words, name) in QUALIFIERS {
            let len = words.len();
            if i < len {
                continue;
            }
            let at = i - len;
            if !self.same_sentence(at, i) {
                continue;
            }
            if (0..len).all(|k| before.get(len - 1 - k).is_some_and(|w| *w == words[k])) {
                return (Some((*name).to_owned()), Some(at));
            }
        }
        (None, None)
    }

    /// The counted noun after token `start`: the last word of the noun
    /// phrase, and the token after it. Capitalised words and model numbers
    /// may stand inside ("2,500 new Ryanair jobs", "generative AI services").
    fn noun_phrase(&self, start: usize) -> (Option<String>, Option<usize>) {
        let mut head: Option<(String, usize)> = None;
        let mut lower_words = 0;
        let mut k = start;
        let mut pending_caps = 0;
        while k < self.tokens.len() && k < start + 7 {
            let Some(t) = self.tokens.get(k) else { break };
            if !self.same_sentence(start.saturating_sub(1), k) {
                break;
            }
            let w = t.text(self.text);
            match t.kind {
                Kind::Word if w.chars().all(|c| c.is_lowercase() || c == '-') => {
                    if STOP_SET.contains(w)
                        || STOP_RU_SET.contains(w)
                        || w.ends_with("ly") && w.len() > 4
                    {
                        break;
                    }
                    if lower_words == 0 && (w.ends_with("ed") || w.ends_with("ing")) && !is_head(w)
                    {
                        // "30 million tuned in": a verb, no noun.
                        let next_is_word = self.tokens.get(k + 1).is_some_and(|n| {
                            n.kind == Kind::Word && !STOP_SET.contains(n.text(self.text))
                        });
                        if !next_is_word {
                            break;
                        }
                    }
                    lower_words += 1;
                    pending_caps = 0;
                    let countable =
                        is_head(w) || time_unit(w).is_some() || currency_word(w).is_some();
                    if is_cyrillic(w) {
                        // Russian: the first noun is counted, what follows
                        // it qualifies it ("тысяч клеток возбудителя").
                        if countable && !russian_adjective(w) {
                            head = Some((w.to_owned(), k + 1));
                            break;
                        }
                    } else if countable && !ADJECTIVES_SET.contains(w) {
                        head = Some((w.to_owned(), k + 1));
                    } else if head.is_some() {
                        break;
                    }
                    if lower_words >= 4 {
                        break;
                    }
                }
                // German capitalises its nouns: "14.000 Stellen".
                Kind::Word
                    if self.german
                        && lower_words == 0
                        && is_capitalised(w)
                        && w.chars().all(char::is_alphabetic) =>
                {
                    head = Some((w.to_owned(), k + 1));
                    break;
                }
                // "41 Britons", "5,800 PDAs": a capitalised plural can be counted.
                Kind::Word
                    if lower_words == 0
                        && (self.gaz.words.has("nationality", w) && w.ends_with('s')
                            || w.len() > 2
                                && w.ends_with('s')
                                && w[..w.len() - 1].chars().all(|c| c.is_ascii_uppercase())) =>
                {
                    head = Some((w.to_owned(), k + 1));
                    break;
                }
                Kind::Word
                    if !t.initial && pending_caps < 2 && w.chars().any(char::is_uppercase) =>
                {
                    pending_caps += 1;
                }
                // "70 Boeing 737-800 planes": a model number inside the phrase.
                Kind::Number | Kind::Punct
                    if pending_caps > 0 && (t.glued || w == "-" || t.kind == Kind::Number) => {}
                _ => break,
            }
            k += 1;
        }
        match head {
            Some((h, end)) => (Some(h), Some(end)),
            None => (None, None),
        }
    }

    /// The counted noun of a bare number: the nearest plural noun before it
    /// in the sentence, with a noun before that ("job cuts").
    fn unit_from_context(&self, i: usize) -> Option<String> {
        let mut k = i;
        let mut steps = 0;
        while k > 0 && steps < 15 {
            k -= 1;
            steps += 1;
            if !self.same_sentence(k, i) {
                break;
            }
            let t = self.tokens.get(k)?;
            if t.kind == Kind::Number {
                break;
            }
            let w = t.text(self.text);
            // Russian has no plural mark to find a counted noun by.
            if t.kind != Kind::Word
                || !w.chars().all(char::is_lowercase)
                || !is_head(w)
                || w.len() < 4
                || is_cyrillic(w)
            {
                continue;
            }
            if STOP_SET.contains(w) || self.gaz.words.has("saying", w) {
                continue;
            }
            let prev = self.word(k.wrapping_sub(1));
            let compound = k > 0
                && self.same_sentence(k - 1, k)
                && prev.chars().all(char::is_lowercase)
                && !prev.is_empty()
                && !STOP_SET.contains(prev)
                && !ADJECTIVES_SET.contains(prev)
                && !["al", "ic", "ive", "ous", "ful", "ed", "ing", "ate", "less", "ble"]
                    .iter()
                    .any(|s| prev.ends_with(s));
            let prev = prev.trim_end_matches('s');
            return Some(if compound { format!("{prev} {w}") } else { w.to_owned() });
        }
        None
    }
}

/// The plural of a counted noun written in the singular ("25-man squad").
fn plural(word: &str) -> String {
    match word {
        "man" => "men".to_owned(),
        "woman" => "women".to_owned(),
        "person" => "people".to_owned(),
        "child" => "children".to_owned(),
        w if w.ends_with('s') => w.to_owned(),
        w if w.ends_with("ch") || w.ends_with("sh") || w.ends_with('x') => format!("{w}es"),
        w => format!("{w}s"),
    }
}

/// Whether `word` is written in lower-case Cyrillic.
fn is_cyrillic(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, 'а'..='я' | 'ё' | '-'))
}

/// A Russian adjective or participle by its ending ("микробных", "каменных").
fn russian_adjective(word: &str) -> bool {
    // Nouns after numbers end in "-ий", "-ей", "-ов" ("изваяний"); adjectives
    // there end in "-ых"/"-их", or in "-ый", "-ая", "-ое" after "one".
    ["ых", "их", "ый", "ая", "ое"].iter().any(|e| word.ends_with(e))
}

/// Russian words that end a counted noun phrase.
const STOP_RU: &[&str] = &[
    "в",
    "во",
    "и",
    "на",
    "по",
    "до",
    "от",
    "из",
    "за",
    "с",
    "со",
    "к",
    "ко",
    "о",
    "об",
    "у",
    "не",
    "что",
    "как",
    "это",
    "а",
    "но",
    "или",
    "для",
    "при",
    "над",
    "под",
    "без",
    "же",
    "ли",
    "бы",
    "то",
    "уже",
    "ещё",
    "еще",
    "также",
    "более",
    "менее",
    "около",
    "свыше",
    "почти",
    "было",
    "были",
    "был",
    "была",
    "будет",
    "будут",
    "есть",
    "его",
    "её",
    "их",
    "этом",
    "этого",
    "году",
];

/// Whether `word` looks like a plural or countable noun. Russian nouns
/// have no plural mark to test: any lower-case Cyrillic word of three or
/// more letters that is not a function word counts.
fn is_head(word: &str) -> bool {
    let cyrillic = word.chars().all(|c| matches!(c, 'а'..='я' | 'ё' | '-'));
    if cyrillic {
        return word.chars().count() >= 3 && !STOP_RU_SET.contains(word);
    }
    PLURALS_SET.contains(word)
        || word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us")
}

/// Whether `word` is written with a capital (a name or a sentence start).
fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::token::tokenize;

    /// Value, kind, unit, qualifier and text of a figure.
    type Row = (f64, FigureKind, Option<String>, Option<String>, String);

    fn figures(text: &str) -> Vec<Row> {
        let gaz = Gazetteer::new();
        let tokens = tokenize(text);
        find(text, &tokens, &[], &gaz, false)
            .into_iter()
            .map(|f| (f.value, f.kind, f.unit, f.qualifier, f.text))
            .collect()
    }

    fn one(text: &str) -> Row {
        let found = figures(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn number_words_read_the_same_on_the_stack() {
        // word_value lower-cases short ASCII words on the stack; the
        // general path must agree with it.
        let general = |w: &str| {
            let lower = w.to_lowercase();
            match lower.split_once('-') {
                Some(_) => word_value(&lower),
                None => simple_word_value(&lower),
            }
        };
        for w in
            ["one", "Fourteen", "SEVENTEEN", "dozen", "Hundred", "twenty-five", "onee", "", "x"]
        {
            assert_eq!(word_value(w), general(w), "{w:?}");
        }
        assert_eq!(word_value("Seventeen"), Some(17.0));
        assert_eq!(word_value("Twenty-Five"), Some(25.0));
        assert_eq!(word_value("seventeens"), None);
        // qualifier_before keeps the three words before a figure.
        assert!(QUALIFIERS.iter().all(|(words, _)| (1..=3).contains(&words.len())));
        assert_eq!(plain_number("14,000"), Some(14000.0));
        assert_eq!(plain_number("17.5"), Some(17.5));
    }

    #[test]
    fn list_numbers_at_line_starts_are_not_figures() {
        let text = "The questions\n1 What is thought to be oldest?\n12. Which city?\n\
                    3 people were hurt.";
        let tokens = crate::extract::token::tokenize(text);
        let gaz = Gazetteer::new();
        let found: Vec<f64> =
            find(text, &tokens, &[], &gaz, false).iter().map(|f| f.value).collect();
        assert_eq!(found, [3.0]);
    }

    #[test]
    fn money_with_symbols_codes_and_multipliers() {
        assert_eq!(
            one("It cost £1.2bn last year."),
            (1.2e9, FigureKind::Money, s("GBP"), None, "£1.2bn".into())
        );
        assert_eq!(
            one("They pour $10 billion each into it."),
            (1e10, FigureKind::Money, s("USD"), s("each"), "$10 billion each".into())
        );
        assert_eq!(one("a fine of 300 roubles").2, s("RUB"));
        assert_eq!(one("EUR 5m was paid").0, 5e6);
        assert_eq!(one("listings worth £16.9bn").0, 16_900_000_000.0);
        assert_eq!(one("it sold for €20").2, s("EUR"));
        assert_eq!(one("profit of 4.5 mln dlrs").0, 4.5e6);
        assert_eq!(one("a rise of 3.5 pct").1, FigureKind::Percent);
        assert_eq!(one("a payout of 71.6 cts per unit").2, s("USD"));
        assert_eq!(one("выделено 3,4 млн рублей на ремонт").0, 3.4e6);
        assert_eq!(one("выделено 3,4 млн рублей на ремонт").2, s("RUB"));
        assert_eq!(one("стоимость 750 млн. рублей.").0, 7.5e8);
        assert_eq!(one("пострадали около 18 000 человек").0, 18000.0);
        assert_eq!(one("пострадали около 18 000 человек").3, s("about"));
        assert_eq!(one("рост на 2,5 процента").1, FigureKind::Percent);
        assert_eq!(one("до 12 тысяч микробных клеток возбудителя").2, s("клеток"));
    }

    #[test]
    fn percentages_in_digits_and_words() {
        assert_eq!(one("roughly 4% of staff").0, 4.0);
        assert_eq!(one("roughly 4% of staff").3, s("roughly"));
        assert_eq!(one("up 17.5% year-over-year").0, 17.5);
        assert_eq!(one("a rise of 4 per cent").1, FigureKind::Percent);
        assert_eq!(one("Fifty percent of Europeans").0, 50.0);
        assert_eq!(one("about ten percent").3, s("about"));
    }

    #[test]
    fn counts_take_their_noun() {
        assert_eq!(
            one("cut 14,000 corporate roles being laid off"),
            (14000.0, FigureKind::Count, s("roles"), None, "14,000 corporate roles".into())
        );
        assert_eq!(one("of approximately 14,000 roles.").3, s("approximately"));
        assert_eq!(one("of its 350,000-strong corporate workforce").2, s("employees"));
        assert_eq!(one("workforce of 1.55 million people").0, 1.55e6);
        assert_eq!(one("30 thousand jobs cuts may").0, 30000.0);
        assert_eq!(one("over 1,000 generative AI services and apps").2, s("services"));
        assert_eq!(one("2,500 new Ryanair jobs").2, s("jobs"));
        assert_eq!(one("Amazon's job cuts might not stop at 14,000 either").2, s("job cuts"));
        assert_eq!(one("seasonal roles - 250,000 for the holidays").2, s("roles"));
        assert_eq!(one("fourteen people died").0, 14.0);
    }

    #[test]
    fn durations_and_ratios() {
        assert_eq!(one("a 90-day window").2, s("days"));
        assert_eq!(one("for seven consecutive days before").0, 7.0);
        assert_eq!(one("a three-year plan").2, s("years"));
        assert_eq!(one("doubled every five and a half months").0, 5.5);
        assert_eq!(one("a 25-man squad").2, s("men"));
        assert!((one("two thirds of voters").0 - 2.0 / 3.0).abs() < 1e-9);
        let (value, kind, ..) = one("one in 13 people");
        assert_eq!(kind, FigureKind::Ratio);
        assert!((value - 1.0 / 13.0).abs() < 1e-9);
    }

    #[test]
    fn things_that_are_not_figures() {
        for text in [
            "since taking the helm in 2021",
            "As of mid-2024, sales rose",
            "during the Covid-19 pandemic",
            "there is one statement that does. One side is Amazon",
            "on 31 December and May 25 and 16-28 November",
            "at 8am until 6pm and between 2000 and 2100 GMT",
            "won 6-3 6-2 in the 17th game of the 1990s",
            "The 28-year-old, aged 92, and Mr Sullivan, 42, left",
            "it was number one, No 1, in section 5 on Radio 4 and Windows 11",
            "hold up to 40GB on 3G phones",
            "the 800m and 1000m races",
            "митинг состоялся 30 октября 2017 года у памятника",
            "call 1300 659 467 today",
        ] {
            assert!(figures(text).is_empty(), "{text}: {:?}", figures(text));
        }
    }

    #[test]
    fn german_numbers() {
        let text = "Die Firma hat am 31. Dezember um 12.30 Uhr 14.000 Stellen gestrichen und \
                    3,5 Millionen Euro gespart, das sind 12 Prozent.";
        let gaz = Gazetteer::new();
        let found = find(text, &tokenize(text), &[], &gaz, true);
        let values: Vec<(f64, FigureKind)> = found.iter().map(|f| (f.value, f.kind)).collect();
        assert_eq!(
            values,
            [(14000.0, FigureKind::Count), (3.5e6, FigureKind::Money), (12.0, FigureKind::Percent)]
        );
    }

    #[test]
    fn spans_cover_the_written_figure() {
        let text = "Sales rose approximately 10% to £3.24bn ($6.13bn).";
        let gaz = Gazetteer::new();
        let found = find(text, &tokenize(text), &[], &gaz, false);
        let written: Vec<&str> = found.iter().map(|f| &text[f.span.start..f.span.end]).collect();
        assert_eq!(written, ["approximately 10%", "£3.24bn", "$6.13bn"]);
    }
}
