//! The index schema: one tantivy document per passage.
//!
//! Field names are the public query vocabulary (`entity:"Andy Jassy"`,
//! `money:>=1e9`) and the JSON output's names; they live in [`name`].

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, NumericOptions,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Field names.
pub mod name {
    /// Stable document id.
    pub const DOC: &str = "doc";
    /// Ordinal of the passage in its document.
    pub const PASSAGE: &str = "passage";
    /// File path.
    pub const PATH: &str = "path";
    /// Record in the file.
    pub const RECORD: &str = "record";
    /// First and last source line.
    pub const LINES: &str = "lines";
    /// Page address.
    pub const URL: &str = "url";
    /// Host.
    pub const SITE: &str = "site";
    /// Headline.
    pub const TITLE: &str = "title";
    /// Passage text.
    pub const TEXT: &str = "text";
    /// Publication date.
    pub const PUBLISHED: &str = "published";
    /// Language.
    pub const LANG: &str = "lang";
    /// Any entity's canonical name.
    pub const ENTITY: &str = "entity";
    /// People.
    pub const PERSON: &str = "person";
    /// Organisations.
    pub const ORG: &str = "org";
    /// Places.
    pub const PLACE: &str = "place";
    /// Products.
    pub const PRODUCT: &str = "product";
    /// Hashtags.
    pub const TAG: &str = "tag";
    /// Amounts of money (in units of their currency).
    pub const MONEY: &str = "money";
    /// Percentages.
    pub const PERCENT: &str = "percent";
    /// Counts.
    pub const COUNT: &str = "count";
    /// Near-duplicate cluster of the document.
    pub const CLUSTER: &str = "cluster";
    /// Hash of the passage's normalised text, to fold syndicated copies.
    pub const FINGERPRINT: &str = "fingerprint";
    /// Details of the passage's figures (stored JSON).
    pub const FIGURES: &str = "figures";
}

/// Name of the analyzer of `title` and `text`: words, lower-cased, stemmed by script.
pub const TEXT_ANALYZER: &str = "lede_text";
/// Name of the analyzer of entity names and tags: the whole value, lower-cased.
pub const NAME_ANALYZER: &str = "lede_name";

/// Handles to every field.
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)]
pub struct Fields {
    pub doc: Field,
    pub passage: Field,
    pub path: Field,
    pub record: Field,
    pub lines: Field,
    pub url: Field,
    pub site: Field,
    pub title: Field,
    pub text: Field,
    pub published: Field,
    pub lang: Field,
    pub entity: Field,
    pub person: Field,
    pub org: Field,
    pub place: Field,
    pub product: Field,
    pub tag: Field,
    pub money: Field,
    pub percent: Field,
    pub count: Field,
    pub cluster: Field,
    pub fingerprint: Field,
    pub figures: Field,
}

impl Fields {
    /// The field holding entities of one kind.
    pub fn of_kind(&self, kind: crate::model::EntityKind) -> Field {
        use crate::model::EntityKind;
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Org => self.org,
            EntityKind::Place => self.place,
            EntityKind::Product => self.product,
        }
    }

    /// Looks the fields up in a schema; an error names the first one missing
    /// (an index built by another version of lede).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc: get(name::DOC)?,
            passage: get(name::PASSAGE)?,
            path: get(name::PATH)?,
            record: get(name::RECORD)?,
            lines: get(name::LINES)?,
            url: get(name::URL)?,
            site: get(name::SITE)?,
            title: get(name::TITLE)?,
            text: get(name::TEXT)?,
            published: get(name::PUBLISHED)?,
            lang: get(name::LANG)?,
            entity: get(name::ENTITY)?,
            person: get(name::PERSON)?,
            org: get(name::ORG)?,
            place: get(name::PLACE)?,
            product: get(name::PRODUCT)?,
            tag: get(name::TAG)?,
            money: get(name::MONEY)?,
            percent: get(name::PERCENT)?,
            count: get(name::COUNT)?,
            cluster: get(name::CLUSTER)?,
            fingerprint: get(name::FINGERPRINT)?,
            figures: get(name::FIGURES)?,
        })
    }
}

/// Builds the schema.
pub fn build() -> Schema {
    let mut builder = Schema::builder();
    let id = NumericOptions::default().set_indexed().set_stored().set_fast();
    builder.add_u64_field(name::DOC, id.clone());
    builder.add_u64_field(name::PASSAGE, NumericOptions::default().set_stored().set_fast());
    builder.add_text_field(name::PATH, STRING | STORED);
    builder.add_u64_field(name::RECORD, INDEXED | STORED);
    builder.add_u64_field(name::LINES, STORED);
    builder.add_text_field(name::URL, STRING | STORED);
    builder.add_text_field(name::SITE, (STRING | STORED).set_fast("raw"));
    let prose = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored { options.set_stored() } else { options }
    };
    builder.add_text_field(name::TITLE, prose(true));
    builder.add_text_field(name::TEXT, prose(true));
    builder.add_date_field(
        name::PUBLISHED,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field(name::LANG, (STRING | STORED).set_fast("raw"));
    // Entity names: matched case-insensitively; the typed fields are also
    // fast (raw: counted with their case kept) and stored (shown in hits).
    // `entity` is only searched (counts come from the typed fields), and
    // tags are only searched and stored: no fast column nobody reads.
    let names = |fast: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAME_ANALYZER)
                .set_index_option(IndexRecordOption::Basic),
        );
        if fast { options.set_fast("raw").set_stored() } else { options }
    };
    builder.add_text_field(name::ENTITY, names(false));
    for kind in [name::PERSON, name::ORG, name::PLACE, name::PRODUCT] {
        builder.add_text_field(kind, names(true));
    }
    builder.add_text_field(name::TAG, names(false).set_stored());
    let figure = NumericOptions::default().set_indexed().set_fast();
    for kind in [name::MONEY, name::PERCENT, name::COUNT] {
        builder.add_f64_field(kind, figure.clone());
    }
    // Read from their columns only (folding duplicates): not stored.
    builder.add_u64_field(name::CLUSTER, NumericOptions::default().set_fast());
    builder.add_u64_field(name::FINGERPRINT, NumericOptions::default().set_fast());
    builder.add_text_field(name::FIGURES, STORED);
    builder.build()
}
