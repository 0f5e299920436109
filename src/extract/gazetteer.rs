//! The built-in gazetteers and word lists, compiled into the binary from
//! `src/extract/data/*.txt` (each file names its source and licence).
//!
//! Input: nothing (the data is `include_str!`-ed). Output: look-up tables
//! built once by [`Gazetteer::new`]. Malformed lines are skipped, never fatal.

use crate::hash::{FastMap, FastSet};

use crate::model::EntityKind;

const PLACES: &str = include_str!("data/places.txt");
const ORGS: &str = include_str!("data/orgs.txt");
const PRODUCTS: &str = include_str!("data/products.txt");
const GIVEN_NAMES: &str = include_str!("data/given_names.txt");
const WORDS: &str = include_str!("data/words.txt");

/// A known entity: its canonical name and kind.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) struct Known {
    /// Canonical name ("United States" for "US").
    pub canonical: String,
    /// Kind.
    pub kind: EntityKind,
    /// A one-word name that is also a common word or given name: not trusted
    /// at the start of a sentence or before another capitalised word.
    pub ambiguous: bool,
}

/// Word lists that say what a capitalised word is, or what a name beside a
/// word is.
#[derive(Debug, Default)]
pub(crate) struct Words {
    /// Entry → the bits ([`section_bit`]) of the sections that list it: one
    /// look-up answers for every section.
    entries: FastMap<String, u32>,
}

/// The bit of the words that begin a multi-word entry (no section's).
pub(crate) const PREFIX_BIT: u32 = 1 << 31;

/// The bit of a section of `data/words.txt`; 0 for a name that is not one.
/// A `match` rather than a table so that, inlined with a literal name, it
/// folds to a constant.
#[inline]
pub(crate) fn section_bit(section: &str) -> u32 {
    match section {
        "function" => 1,
        "month" => 1 << 1,
        "nationality" => 1 << 2,
        "title" => 1 << 3,
        "role" => 1 << 4,
        "saying" => 1 << 5,
        "org_suffix" => 1 << 6,
        "org_head" => 1 << 7,
        "place_suffix" => 1 << 8,
        "place_head" => 1 << 9,
        "org_cue" => 1 << 10,
        "product_cue" => 1 << 11,
        "place_cue" => 1 << 12,
        "generic" => 1 << 13,
        "event" => 1 << 14,
        "org_word" => 1 << 15,
        "person_possession" => 1 << 16,
        "modifier" => 1 << 17,
        "month_lower" => 1 << 18,
        _ => 0,
    }
}

impl Words {
    fn parse(data: &str) -> Words {
        let mut entries: FastMap<String, u32> = FastMap::default();
        let mut current = "";
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name;
                continue;
            }
            let bit = section_bit(current);
            // In the sections of multi-word entries, a short line is one
            // entry ("Prime Minister"); a long line is a row of words.
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.len() <= 5 && matches!(current, "title" | "month") {
                let entry = words.join(" ");
                for (at, _) in entry.match_indices(' ') {
                    *entries.entry(entry[..at].to_owned()).or_default() |= PREFIX_BIT;
                }
                *entries.entry(entry).or_default() |= bit;
            } else {
                for word in words {
                    *entries.entry(word.to_owned()).or_default() |= bit;
                }
            }
        }
        Words { entries }
    }

    /// Whether `word`, in any case, is a function word ("that", "The").
    pub fn is_function(&self, word: &str) -> bool {
        if self.has("function", word) {
            return true;
        }
        let mut chars = word.chars();
        let Some(first) = chars.next() else { return false };
        if first.is_ascii() {
            // Upper-casing changes nothing unless the first letter is a
            // lower-case ASCII one; then a copy on the stack will do.
            if !first.is_ascii_lowercase() {
                return false;
            }
            let mut buffer = [0u8; 32];
            if let Some(copy) = buffer.get_mut(..word.len()) {
                copy.copy_from_slice(word.as_bytes());
                copy[0] = copy[0].to_ascii_uppercase();
                return std::str::from_utf8(copy).is_ok_and(|w| self.has("function", w));
            }
        }
        let capitalised: String = first.to_uppercase().chain(chars).collect();
        self.has("function", &capitalised)
    }

    /// Whether some multi-word entry ("Prime Minister") starts with
    /// `words` and a space: when not, no longer phrase need be looked up.
    #[inline]
    pub fn begins_phrase(&self, words: &str) -> bool {
        self.entries.get(words).is_some_and(|bits| bits & PREFIX_BIT != 0)
    }

    /// The bits ([`section_bit`]) of every list `word` is in, for a word
    /// asked about many times.
    #[inline]
    pub fn bits(&self, word: &str) -> u32 {
        self.entries.get(word).copied().unwrap_or(0)
    }

    /// Whether `word` is in the list `section`.
    #[inline]
    pub fn has(&self, section: &str, word: &str) -> bool {
        let bit = section_bit(section);
        bit != 0 && self.entries.get(word).is_some_and(|bits| bits & bit != 0)
    }
}

/// Every look-up table of the extractor.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    names: FastMap<String, Known>,
    /// The words that begin a longer known name ("United", "United
    /// States" of "United States of America").
    prefixes: FastSet<String>,
    given: FastSet<String>,
    /// Word lists.
    pub words: Words,
    /// Most words in a known name.
    pub max_words: usize,
}

impl Gazetteer {
    /// Loads the built-in data.
    pub fn new() -> Gazetteer {
        let mut gazetteer = Gazetteer {
            names: FastMap::default(),
            prefixes: FastSet::default(),
            given: FastSet::default(),
            words: Words::parse(WORDS),
            max_words: 1,
        };
        gazetteer.load(PLACES, EntityKind::Place);
        gazetteer.load(ORGS, EntityKind::Org);
        gazetteer.load(PRODUCTS, EntityKind::Product);
        for line in GIVEN_NAMES.lines().filter(|l| !l.starts_with('#')) {
            gazetteer.given.extend(line.split_whitespace().map(str::to_owned));
        }
        gazetteer
    }

    fn load(&mut self, data: &str, kind: EntityKind) {
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (ambiguous, line) = match line.strip_prefix('~') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let mut names = line.split('|').map(str::trim).filter(|n| !n.is_empty());
            let Some(canonical) = names.next() else { continue };
            for name in std::iter::once(canonical).chain(names) {
                let words = name.split_whitespace().count();
                self.max_words = self.max_words.max(words);
                let known = Known {
                    canonical: canonical.to_owned(),
                    kind,
                    ambiguous: ambiguous && words == 1,
                };
                // The first file and line to name something wins.
                self.names.entry(name.to_owned()).or_insert(known);
                for (at, _) in name.match_indices(' ') {
                    self.prefixes.insert(name[..at].to_owned());
                }
            }
        }
    }

    /// The known entity called `name` (words separated by single spaces).
    pub fn known(&self, name: &str) -> Option<&Known> {
        self.names.get(name)
    }

    /// Whether some longer known name starts with `name` and a space: when
    /// not, no longer name need be looked up.
    pub fn begins_name(&self, name: &str) -> bool {
        self.prefixes.contains(name)
    }

    /// Whether `word` is a common given name.
    pub fn is_given_name(&self, word: &str) -> bool {
        self.given.contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_names_aliases_and_words() {
        let g = Gazetteer::new();
        let us = g.known("US").map(|k| (k.canonical.as_str(), k.kind));
        assert_eq!(us, Some(("United States", EntityKind::Place)));
        assert_eq!(g.known("AWS").map(|k| k.canonical.as_str()), Some("Amazon Web Services"));
        assert_eq!(g.known("Alexa").map(|k| k.kind), Some(EntityKind::Product));
        assert!(g.known("Turkey").is_some_and(|k| k.ambiguous));
        assert!(g.known("Internet").is_none());
        assert!(g.is_given_name("Beth") && g.is_given_name("Andy") && !g.is_given_name("Galetti"));
        assert!(g.words.has("title", "Prime Minister") && g.words.has("title", "Mr"));
        assert!(g.words.has("month", "Boxing Day") && g.words.has("month", "March"));
        assert!(g.words.has("generic", "AI") && g.words.has("nationality", "Russian"));
        assert!(g.words.has("org_suffix", "Services") && g.words.has("role", "executive"));
        assert!(g.max_words >= 3);
    }

    #[test]
    fn every_start_of_a_longer_entry_is_recorded() {
        // The finders stop extending a name at the first piece no entry
        // continues: every word-prefix of every entry must say it goes on.
        let g = Gazetteer::new();
        let mut multi = 0;
        for name in g.names.keys().filter(|n| n.contains(' ')) {
            multi += 1;
            for (at, _) in name.match_indices(' ') {
                assert!(g.begins_name(&name[..at]), "{:?} of {name:?}", &name[..at]);
            }
        }
        assert!(multi > 100, "{multi} known names of several words");
        for (entry, bits) in &g.words.entries {
            if entry.contains(' ') && bits & !PREFIX_BIT != 0 {
                for (at, _) in entry.match_indices(' ') {
                    assert!(g.words.begins_phrase(&entry[..at]), "{entry:?}");
                }
            }
        }
        assert!(g.words.begins_phrase("Prime") && !g.words.begins_phrase("Minister"));
        assert!(!g.begins_name("Zorvath"));
    }

    #[test]
    fn every_word_list_section_has_a_bit() {
        let names: Vec<&str> = WORDS
            .lines()
            .filter_map(|l| l.trim().strip_prefix('[').and_then(|l| l.strip_suffix(']')))
            .collect();
        assert!(names.len() >= 19);
        let mut seen = 0u32;
        for name in names {
            let bit = section_bit(name);
            assert!(bit != 0 && seen & bit == 0, "section {name} needs its own bit");
            seen |= bit;
        }
        assert_eq!(section_bit("no such section"), 0);
    }
}
