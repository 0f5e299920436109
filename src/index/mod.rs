//! Stage 7 of `index`, and the read side's door: tantivy.
//!
//! Input: [`Article`]s. Output: one tantivy document per passage, written by a
//! single tantivy `IndexWriter` that the worker threads share. Also opens an index
//! for `query`, `entities` and `stats`, registering lede's analyzers. Errors
//! here (disk full, a lock held by another writer, an index from another
//! version) abort the command with a message; the last commit stays usable.

pub mod manifest;
pub mod schema;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Schema;
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};
use tantivy::{DateTime, Index, TantivyDocument};

use crate::model::{Article, EntityKind, FigureKind, Passage};

pub use self::schema::Fields;
use self::schema::{NAME_ANALYZER, TEXT_ANALYZER};

/// The analyzer of `title` and `text`: Unicode words, lower-cased, Latin
/// words stemmed with the English Snowball stemmer and Cyrillic ones with the
/// Russian one, so that `GPU` finds "GPUs" and `новости` finds "новостей".
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(ScriptStemmer)
        .build()
}

/// The analyzer of entity names and tags: the whole value, lower-cased.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build()
}

fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index.tokenizers().register(NAME_ANALYZER, name_analyzer());
}

/// Where the index is, as resolved from `--index`, `$LEDE_INDEX` or the
/// current folder and its parents.
pub fn locate(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        if !dir.join("meta.json").is_file() {
            bail!(
                "no lede index at {} (make one with `lede index --index {} PATH...`)",
                dir.display(),
                dir.display()
            );
        }
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the current folder")?;
    for folder in cwd.ancestors() {
        let candidate = folder.join(".lede");
        if candidate.join("meta.json").is_file() {
            return Ok(candidate);
        }
    }
    bail!(
        "no index found in ./.lede or any parent folder (make one with `lede index PATH...`, \
         or point to one with --index DIR or LEDE_INDEX)"
    )
}

/// Opens an existing index for reading or writing.
pub fn open(dir: &Path) -> anyhow::Result<(Index, Fields)> {
    let index =
        Index::open_in_dir(dir).with_context(|| format!("opening the index {}", dir.display()))?;
    let fields = Fields::from_schema(&index.schema()).map_err(|_| {
        anyhow::anyhow!(
            "the index {} was built by another version of lede; rebuild it with `lede index --full`",
            dir.display()
        )
    })?;
    register_analyzers(&index);
    Ok((index, fields))
}

/// Opens the index in `dir`, creating it (and the folder) when there is none.
///
/// A new index is made in a sibling temporary folder and renamed into place,
/// so a run killed while creating it leaves either no index or a whole one.
/// An existing folder that is not an index is refused unless it is empty
/// (or holds only tantivy's lock files), so that `--index` never writes into
/// a folder of the user's.
pub fn open_or_create(dir: &Path) -> anyhow::Result<(Index, Fields)> {
    if dir.join("meta.json").is_file() {
        return open(dir);
    }
    if dir.exists() {
        let foreign = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .flatten()
            .any(|entry| !entry.file_name().to_string_lossy().starts_with(".tantivy-"));
        if foreign {
            bail!(
                "{} exists and is not a lede index; name another folder with --index",
                dir.display()
            );
        }
        let index = create_in(dir)?;
        return Ok(index);
    }
    let name = dir.file_name().map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = parent.join(format!(".{name}.creating-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
    drop(create_in(&staging)?);
    if let Err(err) = std::fs::rename(&staging, dir) {
        let _ = std::fs::remove_dir_all(&staging);
        // Another lede created it meanwhile: use theirs.
        if !dir.join("meta.json").is_file() {
            return Err(err).with_context(|| format!("creating {}", dir.display()));
        }
    }
    open(dir)
}

/// Creates an empty index in the existing folder `dir`.
fn create_in(dir: &Path) -> anyhow::Result<(Index, Fields)> {
    let directory =
        MmapDirectory::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    let schema: Schema = schema::build();
    let index = Index::create(directory, schema, Default::default())
        .with_context(|| format!("creating the index in {}", dir.display()))?;
    let fields = Fields::from_schema(&index.schema())?;
    register_analyzers(&index);
    Ok((index, fields))
}

/// The stored details of one figure.
#[derive(Serialize, serde::Deserialize)]
pub(crate) struct StoredFigure {
    pub value: f64,
    pub kind: FigureKind,
    pub unit: Option<String>,
    pub text: String,
}

/// The tantivy documents of one article: one per passage.
pub fn documents(fields: &Fields, article: &Article) -> Vec<TantivyDocument> {
    let published = article
        .cleaned
        .published
        .as_deref()
        .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
        .map(|dt| DateTime::from_timestamp_secs(dt.timestamp()));
    let cluster = fingerprint(&article.cleaned.text);
    article
        .passages
        .iter()
        .map(|passage| document(fields, article, passage, published, cluster))
        .collect()
}

fn document(
    fields: &Fields,
    article: &Article,
    passage: &Passage,
    published: Option<DateTime>,
    cluster: u64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let text = article.passage_text(passage);
    doc.add_u64(fields.doc, article.doc);
    doc.add_u64(fields.passage, u64::from(passage.ordinal));
    doc.add_text(fields.path, &article.path);
    if let Some(record) = article.record {
        doc.add_u64(fields.record, record);
    }
    let lines = article.lines.map(passage.lines);
    doc.add_u64(fields.lines, u64::from(lines.start));
    doc.add_u64(fields.lines, u64::from(lines.end));
    if let Some(url) = &article.url {
        doc.add_text(fields.url, url);
    }
    if let Some(site) = &article.site {
        doc.add_text(fields.site, site);
    }
    if let Some(title) = &article.cleaned.title {
        doc.add_text(fields.title, title);
    }
    doc.add_text(fields.text, text);
    if let Some(published) = published {
        doc.add_date(fields.published, published);
    }
    if let Some(lang) = &article.cleaned.lang {
        doc.add_text(fields.lang, lang);
    }
    for entity in &article.annotations.entities {
        let mentioned = entity
            .mentions
            .iter()
            .any(|m| m.start >= passage.span.start && m.end <= passage.span.end);
        if mentioned {
            doc.add_text(fields.entity, &entity.name);
            doc.add_text(fields.of_kind(entity.kind), &entity.name);
        }
    }
    for tag in &article.cleaned.tags {
        doc.add_text(fields.tag, tag);
    }
    let mut figures = Vec::new();
    for figure in &article.annotations.figures {
        if figure.span.start < passage.span.start || figure.span.end > passage.span.end {
            continue;
        }
        let field = match figure.kind {
            FigureKind::Money => Some(fields.money),
            FigureKind::Percent => Some(fields.percent),
            FigureKind::Count => Some(fields.count),
            FigureKind::Duration | FigureKind::Ratio => None,
        };
        if let Some(field) = field {
            doc.add_f64(field, figure.value);
        }
        figures.push(StoredFigure {
            value: figure.value,
            kind: figure.kind,
            unit: figure.unit.clone(),
            text: figure.text.clone(),
        });
    }
    if !figures.is_empty() {
        doc.add_text(fields.figures, serde_json::to_string(&figures).unwrap_or_default());
    }
    doc.add_u64(fields.cluster, cluster);
    doc.add_u64(fields.fingerprint, fingerprint(text));
    doc
}

/// FNV-1a over the lower-cased words of `text`: equal for texts that differ
/// only in case, punctuation and spacing (syndicated copies).
pub fn fingerprint(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap {
                hash ^= u64::from(b' ');
                hash = hash.wrapping_mul(0x0100_0000_01b3);
                gap = false;
            }
            for lower in c.to_lowercase() {
                let mut buf = [0; 4];
                for &b in lower.encode_utf8(&mut buf).as_bytes() {
                    hash ^= u64::from(b);
                    hash = hash.wrapping_mul(0x0100_0000_01b3);
                }
            }
        } else {
            gap = true;
        }
    }
    hash
}

/// Kind names in the order of the typed entity fields.
pub fn entity_kinds() -> [EntityKind; 4] {
    EntityKind::ALL
}

/// Token filter: lower-cases, then stems Latin-script words with the English
/// stemmer and Cyrillic ones with the Russian stemmer (folding `ё` to `е`);
/// other scripts are only lower-cased. Plurals of acronyms (`GPUs`, `CEOs`),
/// which Snowball leaves alone, lose their `s` first.
#[derive(Clone, Copy, Debug)]
pub struct ScriptStemmer;

impl TokenFilter for ScriptStemmer {
    type Tokenizer<T: Tokenizer> = ScriptStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ScriptStemmerFilter<T> {
        ScriptStemmerFilter { inner: tokenizer }
    }
}

/// [`ScriptStemmer`] applied to a tokenizer.
#[derive(Clone, Debug)]
pub struct ScriptStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ScriptStemmerFilter<T> {
    type TokenStream<'a> = ScriptStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ScriptStemmerStream {
            tail: self.inner.token_stream(text),
            english: frostem::Stemmer::new(frostem::Algorithm::English),
            russian: frostem::Stemmer::new(frostem::Algorithm::Russian),
        }
    }
}

/// The token stream of [`ScriptStemmerFilter`].
pub struct ScriptStemmerStream<S> {
    tail: S,
    english: frostem::Stemmer,
    russian: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for ScriptStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if is_acronym_plural(&token.text) {
            token.text.pop();
        }
        if token.text.chars().any(char::is_uppercase) {
            token.text = token.text.to_lowercase();
        }
        let cyrillic = token.text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let stemmed = if cyrillic {
            let folded = token.text.replace('ё', "е");
            Some(self.russian.stem(&folded).into_owned())
        } else if token.text.chars().all(|c| c.is_ascii_alphanumeric())
            && token.text.chars().any(|c| c.is_ascii_alphabetic())
        {
            match self.english.stem(&token.text) {
                std::borrow::Cow::Owned(stem) => Some(stem),
                std::borrow::Cow::Borrowed(_) => None,
            }
        } else {
            None
        };
        if let Some(stem) = stemmed {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// `GPUs`, `CEOs`, `NGOs`: two or more capitals (digits allowed) and a final `s`.
fn is_acronym_plural(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('s') else { return false };
    stem.len() >= 2
        && stem.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && stem.bytes().filter(u8::is_ascii_uppercase).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = text_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn plural_and_singular_meet() {
        assert_eq!(terms("GPUs"), terms("GPU"));
        assert_eq!(terms("CEOs"), terms("CEO"));
        assert_eq!(terms("layoffs"), terms("layoff"));
        assert_eq!(terms("Bus"), terms("bus"));
        assert_ne!(terms("bus"), terms("bu"));
    }

    #[test]
    fn cyrillic_is_tokenised_and_stemmed() {
        assert_eq!(terms("Новости"), terms("новостей"));
        assert_eq!(terms("ёлка"), terms("елка"));
        assert_eq!(terms("Музыкальные новости").len(), 2);
    }

    #[test]
    fn fingerprints_ignore_case_and_punctuation() {
        assert_eq!(
            fingerprint("Amazon cuts 14,000 roles."),
            fingerprint("amazon  cuts 14 000 roles")
        );
        assert_ne!(fingerprint("Amazon cuts roles"), fingerprint("Amazon adds roles"));
    }

    #[test]
    fn names_match_case_insensitively() {
        let mut analyzer = name_analyzer();
        let mut stream = analyzer.token_stream("Andy Jassy");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "andy jassy");
    }
}
