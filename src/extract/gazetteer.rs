//! The built-in gazetteers and word lists, compiled into the binary from
//! `src/extract/data/*.txt` (each file names its source and licence).
//!
//! Input: nothing (the data is `include_str!`-ed). Output: look-up tables
//! built once by [`Gazetteer::new`]. Malformed lines are skipped, never fatal.

use std::collections::{HashMap, HashSet};

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
    sections: HashMap<String, HashSet<String>>,
}

impl Words {
    fn parse(data: &str) -> Words {
        let mut sections: HashMap<String, HashSet<String>> = HashMap::new();
        let mut current = String::new();
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name.to_owned();
                continue;
            }
            let set = sections.entry(current.clone()).or_default();
            // In the sections of multi-word entries, a short line is one
            // entry ("Prime Minister"); a long line is a row of words.
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.len() <= 5 && matches!(current.as_str(), "title" | "month") {
                set.insert(words.join(" "));
            } else {
                set.extend(words.into_iter().map(str::to_owned));
            }
        }
        Words { sections }
    }

    /// Whether `word`, in any case, is a function word ("that", "The").
    pub fn is_function(&self, word: &str) -> bool {
        if self.has("function", word) {
            return true;
        }
        let mut chars = word.chars();
        let Some(first) = chars.next() else { return false };
        let capitalised: String = first.to_uppercase().chain(chars).collect();
        self.has("function", &capitalised)
    }

    /// Whether `word` is in the list `section`.
    pub fn has(&self, section: &str, word: &str) -> bool {
        self.sections.get(section).is_some_and(|s| s.contains(word))
    }
}

/// Every look-up table of the extractor.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    names: HashMap<String, Known>,
    given: HashSet<String>,
    /// Word lists.
    pub words: Words,
    /// Most words in a known name.
    pub max_words: usize,
}

impl Gazetteer {
    /// Loads the built-in data.
    pub fn new() -> Gazetteer {
        let mut gazetteer = Gazetteer {
            names: HashMap::new(),
            given: HashSet::new(),
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
            }
        }
    }

    /// The known entity called `name` (words separated by single spaces).
    pub fn known(&self, name: &str) -> Option<&Known> {
        self.names.get(name)
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
}
