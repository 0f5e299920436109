//! Stage 5 of `index`: entities and figures of an article.
//!
//! Input: the clean text of an article (paragraphs separated by blank lines)
//! and its title. Output: [`Annotations`]: entities (person, organisation,
//! place, product) with one canonical name per article and every mention's
//! byte span in the text, and figures (money, percentages, counts,
//! durations, ratios) with a normalised value, a unit and a qualifier, also
//! with byte spans. The title is evidence only: mentions are in the text.
//!
//! No model is downloaded or loaded: the stage is rules over a tokenizer
//! (`token`), gazetteers and word lists compiled into the binary
//! (`gazetteer`, data in `src/extract/data/`, each file naming its source
//! and licence), an entity finder (`entities`) and a figure reader
//! (`figures`). Numbers inside entity names ("BBC Radio 4") are not
//! figures. This stage cannot fail: any text gives some annotations, possibly
//! none, and never a panic.

mod entities;
mod figures;
mod gazetteer;
mod token;

use crate::model::{Annotations, Span};
use gazetteer::Gazetteer;

/// Finds entities and figures. Build once (it loads the gazetteers), share
/// across threads: it is `Sync` and `extract` takes `&self`.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
}

impl Default for Extractor {
    fn default() -> Extractor {
        Extractor::new()
    }
}

impl Extractor {
    /// An extractor with the built-in gazetteers.
    pub fn new() -> Extractor {
        Extractor { gazetteer: Gazetteer::new() }
    }

    /// Annotates one article's clean text. `title` is used as evidence that
    /// a word is a name; mentions and figures are only looked for in `text`.
    pub fn extract(&self, text: &str, title: Option<&str>) -> Annotations {
        let tokens = token::tokenize(text);
        let german = entities::capitalises_nouns(text, &tokens);
        let entities = entities::find(text, &tokens, &self.gazetteer, title, german);
        let mut names: Vec<Span> =
            entities.iter().flat_map(|e| e.mentions.iter().copied()).collect();
        names.sort();
        let figures = figures::find(text, &tokens, &names, &self.gazetteer, german);
        Annotations { entities, figures }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKind, FigureKind};

    const STORY: &str = "Amazon said it will cut 14,000 corporate roles, roughly 4% of its \
        350,000-strong corporate workforce, chief executive Andy Jassy said on Tuesday.\n\n\
        Jassy told BBC Radio 4 that Amazon Web Services (AWS) would invest $10 billion each \
        in Ohio and Indiana over a 90-day window.";

    #[test]
    fn a_news_story() {
        let extractor = Extractor::new();
        let a = extractor.extract(STORY, Some("Amazon to cut 14,000 jobs"));
        let names: Vec<(&str, EntityKind)> =
            a.entities.iter().map(|e| (e.name.as_str(), e.kind)).collect();
        for expected in [
            ("Amazon", EntityKind::Org),
            ("Andy Jassy", EntityKind::Person),
            ("BBC Radio 4", EntityKind::Org),
            ("Amazon Web Services", EntityKind::Org),
            ("Ohio", EntityKind::Place),
            ("Indiana", EntityKind::Place),
        ] {
            assert!(names.contains(&expected), "{expected:?} in {names:?}");
        }
        let jassy = a.entities.iter().find(|e| e.name == "Andy Jassy").map(|e| e.mentions.len());
        assert_eq!(jassy, Some(2));
        let figures: Vec<(f64, FigureKind)> = a.figures.iter().map(|f| (f.value, f.kind)).collect();
        assert_eq!(
            figures,
            [
                (14000.0, FigureKind::Count),
                (4.0, FigureKind::Percent),
                (350000.0, FigureKind::Count),
                (1e10, FigureKind::Money),
                (90.0, FigureKind::Duration),
            ]
        );
        for f in &a.figures {
            assert_eq!(&STORY[f.span.start..f.span.end], f.text);
        }
    }

    #[test]
    fn empty_and_odd_input_never_panics() {
        let extractor = Extractor::new();
        for text in
            ["", " ", "\n\n", "£", "$$1", "1,", "Mr", "( AWS )", "é’s 5-", "A & B of", "50 Cent's"]
        {
            let a = extractor.extract(text, None);
            for e in &a.entities {
                for m in &e.mentions {
                    assert!(text.get(m.start..m.end).is_some());
                }
            }
            for f in &a.figures {
                assert!(text.get(f.span.start..f.span.end).is_some());
            }
        }
    }

    #[test]
    fn shared_across_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<Extractor>();
    }
}
