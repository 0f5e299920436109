//! The query side: parse a query, rank passages, mark the matched words.
//!
//! Input: an open index and a [`Request`] (query text, filters, paging).
//! Output: ranked [`Hit`]s and a [`Summary`]. Ranking is BM25 over `text` and
//! `title` (the title boosted), ties broken on (`doc`, `passage`) so that the
//! order never depends on thread count or segment layout. Near-identical
//! passages (syndicated copies) are folded into the best-ranked one unless
//! asked not to. A query the parser rejects is a [`QueryError`] with a
//! one-line message; the parser is guarded so that no input can panic it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Bound;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use anyhow::Context;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{
    DateTime, DocAddress, Index, IndexReader, Order, ReloadPolicy, TantivyDocument, Term,
};

use crate::index::{self, Fields, StoredFigure, schema::name};
use crate::model::{EntityKind, EntityRef, FigureRef, Hit, LineSpan, Span, Summary};

/// How much the title weighs against the passage text.
const TITLE_BOOST: f32 = 2.0;

/// A query the user wrote that cannot be run.
#[derive(Debug)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// A range over numbers, as `--money '>=1e9'` or `money:>=1e9` write it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumRange {
    /// Lower bound.
    pub lower: Bound<f64>,
    /// Upper bound.
    pub upper: Bound<f64>,
}

impl NumRange {
    /// Parses `>=X`, `>X`, `<=X`, `<X`, `=X`, `X` (exactly), `X..Y` (inclusive).
    /// Numbers may use exponents (`1e9`), `_` or `,` as thousands separators,
    /// and the suffixes k, m, bn (thousand, million, billion).
    pub fn parse(text: &str) -> Result<NumRange, QueryError> {
        let text = text.trim();
        let bad = || {
            QueryError(format!(
                "invalid range {text:?}: write >=N, >N, <=N, <N, N or N..M (e.g. '>=1e9')"
            ))
        };
        let number = |s: &str| parse_number(s).ok_or_else(bad);
        let range = if let Some(rest) = text.strip_prefix(">=") {
            NumRange { lower: Bound::Included(number(rest)?), upper: Bound::Unbounded }
        } else if let Some(rest) = text.strip_prefix('>') {
            NumRange { lower: Bound::Excluded(number(rest)?), upper: Bound::Unbounded }
        } else if let Some(rest) = text.strip_prefix("<=") {
            NumRange { lower: Bound::Unbounded, upper: Bound::Included(number(rest)?) }
        } else if let Some(rest) = text.strip_prefix('<') {
            NumRange { lower: Bound::Unbounded, upper: Bound::Excluded(number(rest)?) }
        } else if let Some((low, high)) = text.split_once("..") {
            NumRange { lower: Bound::Included(number(low)?), upper: Bound::Included(number(high)?) }
        } else {
            let value = number(text.strip_prefix('=').unwrap_or(text))?;
            NumRange { lower: Bound::Included(value), upper: Bound::Included(value) }
        };
        Ok(range)
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace(['_', ','], "");
    let lower = text.to_ascii_lowercase();
    let (digits, scale) = if let Some(d) = lower.strip_suffix("bn") {
        (d, 1e9)
    } else if let Some(d) = lower.strip_suffix('b') {
        (d, 1e9)
    } else if let Some(d) = lower.strip_suffix('m') {
        (d, 1e6)
    } else if let Some(d) = lower.strip_suffix('k') {
        (d, 1e3)
    } else {
        (lower.as_str(), 1.0)
    };
    let value: f64 = digits.trim().parse().ok()?;
    value.is_finite().then_some(value * scale)
}

/// Restrictions on which passages may match, besides the query.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Every one of these entities must be mentioned (canonical names, any case).
    pub entities: Vec<String>,
    /// The page must come from one of these hosts.
    pub sites: Vec<String>,
    /// The article's language.
    pub lang: Option<String>,
    /// Published at or after (Unix seconds).
    pub since: Option<i64>,
    /// Published at or before (Unix seconds).
    pub until: Option<i64>,
    /// Some amount of money in range.
    pub money: Option<NumRange>,
    /// Some percentage in range.
    pub percent: Option<NumRange>,
    /// Some count in range.
    pub count: Option<NumRange>,
}

/// Order of hits.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Sort {
    /// Best match first.
    Score,
    /// Newest first, undated last; ties by score.
    Date,
}

/// One search.
#[derive(Clone, Debug)]
pub struct Request {
    /// Query text in tantivy's syntax; empty matches every passage (filters still apply).
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// Restrictions.
    pub filters: Filters,
    /// Order.
    pub sort: Sort,
    /// Fold near-identical passages into the best-ranked one.
    pub fold_duplicates: bool,
}

/// What an index holds, for `lede stats`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Stats {
    /// Passages (tantivy documents).
    pub passages: u64,
    /// Distinct documents (articles).
    pub documents: u64,
    /// Distinct files.
    pub files: u64,
    /// Segments.
    pub segments: usize,
    /// Passages per site, most first (at most 20).
    pub sites: Vec<(String, u64)>,
    /// Passages per language, most first.
    pub langs: Vec<(String, u64)>,
    /// Oldest and newest publication date.
    pub published: Option<(String, String)>,
}

/// Ranked (score, address) pairs, and the number of matches when counted.
type Ranked = (Vec<(f32, DocAddress)>, Option<usize>);

/// An open index, ready to answer queries.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl Searcher {
    /// Opens the index in `dir` for reading.
    pub fn open(dir: &Path) -> anyhow::Result<Searcher> {
        let (index, fields) = index::open(dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("reading the index {}", dir.display()))?;
        Ok(Searcher { index, reader, fields })
    }

    /// Parses the query text and adds the filters.
    fn build_query(&self, text: &str, filters: &Filters) -> anyhow::Result<Box<dyn Query>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !text.trim().is_empty() {
            clauses.push((Occur::Must, self.parse(text)?));
        }
        for entity in &filters.entities {
            let term = Term::from_field_text(f.entity, &entity.trim().to_lowercase());
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if !filters.sites.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = filters
                .sites
                .iter()
                .map(|site| {
                    let site = site.trim().to_lowercase();
                    let site = site.strip_prefix("www.").unwrap_or(&site).to_owned();
                    let term = Term::from_field_text(f.site, &site);
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(lang) = &filters.lang {
            let term = Term::from_field_text(f.lang, &lang.trim().to_lowercase());
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let term =
                |secs: i64| Term::from_field_date(f.published, DateTime::from_timestamp_secs(secs));
            let lower = filters.since.map_or(Bound::Unbounded, |s| Bound::Included(term(s)));
            let upper = filters.until.map_or(Bound::Unbounded, |s| Bound::Included(term(s)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        for (field, range) in
            [(f.money, filters.money), (f.percent, filters.percent), (f.count, filters.count)]
        {
            if let Some(range) = range {
                let term = |v: f64| Term::from_field_f64(field, v);
                let map = |b: Bound<f64>| match b {
                    Bound::Included(v) => Bound::Included(term(v)),
                    Bound::Excluded(v) => Bound::Excluded(term(v)),
                    Bound::Unbounded => Bound::Unbounded,
                };
                let query = RangeQuery::new(map(range.lower), map(range.upper));
                clauses.push((Occur::Must, Box::new(query)));
            }
        }
        Ok(match clauses.len() {
            0 => Box::new(AllQuery),
            1 if clauses[0].0 == Occur::Must => {
                clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(AllQuery))
            }
            _ => Box::new(BooleanQuery::new(clauses)),
        })
    }

    /// Runs tantivy's query parser, guarded: its errors and its panics become
    /// a [`QueryError`].
    fn parse(&self, text: &str) -> anyhow::Result<Box<dyn Query>> {
        let mut parser =
            QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.text]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.fields.title, TITLE_BOOST);
        let previous_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse_query(text)));
        std::panic::set_hook(previous_hook);
        let query = match parsed {
            Ok(Ok(query)) => query,
            Ok(Err(err)) => return Err(QueryError(describe_parse_error(text, &err)).into()),
            Err(_) => return Err(QueryError(format!("cannot parse the query {text:?}")).into()),
        };
        let mut has_term = false;
        query.query_terms(&mut |_, _| has_term = true);
        if !has_term && !is_range_or_all(&*query) {
            return Err(QueryError(format!(
                "the query {text:?} has no words to search for (quote operators such as AND to search them: '\"and\"')"
            ))
            .into());
        }
        Ok(query)
    }

    /// Runs one search.
    pub fn search(&self, request: &Request) -> anyhow::Result<(Vec<Hit>, Summary)> {
        let query = self.build_query(&request.query, &request.filters)?;
        let searcher = self.reader.searcher();
        let wanted = request.offset.saturating_add(request.limit);
        let mut fetch =
            if request.fold_duplicates { wanted.saturating_mul(2).max(20) } else { wanted };
        let terms = self.highlight_terms(&*query);
        // The fingerprint column of each segment, opened once per search.
        let mut columns: HashMap<u32, Option<tantivy::columnar::Column<u64>>> = HashMap::new();
        let mut total = None;
        loop {
            let (ranked, count) = self.ranked(&*query, fetch, request.sort, total.is_none())?;
            let matched = *total.get_or_insert(count.unwrap_or_default());
            let exhausted = ranked.len() < fetch;
            let mut kept: Vec<(f32, DocAddress, u64)> = Vec::new();
            let mut seen: HashMap<u64, usize> = HashMap::new();
            for (score, address) in ranked {
                if request.fold_duplicates {
                    let column = columns.entry(address.segment_ord).or_insert_with(|| {
                        let segment = searcher.segment_reader(address.segment_ord);
                        segment.fast_fields().u64(name::FINGERPRINT).ok()
                    });
                    let fingerprint = column
                        .as_ref()
                        .and_then(|column| column.first(address.doc_id))
                        .unwrap_or_default();
                    if let Some(&at) = seen.get(&fingerprint) {
                        kept[at].2 += 1;
                        continue;
                    }
                    seen.insert(fingerprint, kept.len());
                }
                kept.push((score, address, 0));
            }
            if kept.len() >= wanted || exhausted {
                let mut analyzer = index::text_analyzer();
                let hits = kept
                    .into_iter()
                    .skip(request.offset)
                    .take(request.limit)
                    .enumerate()
                    .map(|(i, ranked)| {
                        self.hit(&searcher, ranked, request.offset + i + 1, &terms, &mut analyzer)
                    })
                    .collect::<anyhow::Result<Vec<Hit>>>()?;
                let summary = Summary { returned: hits.len(), matched };
                return Ok((hits, summary));
            }
            // Fetch enough for the share of duplicates seen so far (copies of
            // a syndicated story come in runs), at least twice as many.
            let factor = (wanted as f64 / kept.len().max(1) as f64 * 1.25).ceil().max(2.0);
            fetch = fetch.saturating_mul(factor.min(1e6) as usize);
        }
    }

    /// The best `limit` passages, ties broken on (doc, passage), and, when
    /// `count` is asked, how many passages matched (counted in the same pass).
    fn ranked(
        &self,
        query: &dyn Query,
        limit: usize,
        sort: Sort,
        count: bool,
    ) -> anyhow::Result<Ranked> {
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        let tie = (
            (SortByStaticFastValue::<u64>::for_field(name::DOC), Order::Asc),
            (SortByStaticFastValue::<u64>::for_field(name::PASSAGE), Order::Asc),
        );
        let counter = count.then_some(Count);
        Ok(match sort {
            Sort::Score => {
                let top = TopDocs::with_limit(limit)
                    .order_by(((SortBySimilarityScore, Order::Desc), tie));
                let (top, matched) = searcher.search(query, &(top, counter))?;
                (top.into_iter().map(|((score, _), addr)| (score, addr)).collect(), matched)
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit).order_by((
                    (SortByStaticFastValue::<DateTime>::for_field(name::PUBLISHED), Order::Desc),
                    ((SortBySimilarityScore, Order::Desc), tie),
                ));
                let (top, matched) = searcher.search(query, &(top, counter))?;
                (top.into_iter().map(|((_, (score, _)), addr)| (score, addr)).collect(), matched)
            }
        })
    }

    /// The analysed words of the query that can appear in `text`, for highlighting.
    fn highlight_terms(&self, query: &dyn Query) -> HashSet<String> {
        let mut terms = HashSet::new();
        query.query_terms(&mut |term, _| {
            if (term.field() == self.fields.text || term.field() == self.fields.title)
                && let Some(text) = term.value().as_str()
            {
                terms.insert(text.to_owned());
            }
        });
        terms
    }

    /// The hit of one ranked passage: (score, address, duplicates folded into it).
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        (score, address, duplicates): (f32, DocAddress, u64),
        rank: usize,
        terms: &HashSet<String>,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> anyhow::Result<Hit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let lines: Vec<u64> = doc.get_all(f.lines).filter_map(|v| v.as_u64()).collect();
        let text = text_of(f.text).unwrap_or_default();
        let mut entities = Vec::new();
        for kind in EntityKind::ALL {
            for value in doc.get_all(f.of_kind(kind)) {
                if let Some(name) = value.as_str() {
                    entities.push(EntityRef { name: name.to_owned(), kind });
                }
            }
        }
        let figures = text_of(f.figures)
            .and_then(|json| serde_json::from_str::<Vec<StoredFigure>>(&json).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|s| FigureRef { value: s.value, kind: s.kind, unit: s.unit, text: s.text })
            .collect();
        let published = doc.get_first(f.published).and_then(|v| match OwnedValue::from(v) {
            OwnedValue::Date(date) => {
                chrono::DateTime::from_timestamp(date.into_timestamp_secs(), 0)
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            }
            _ => None,
        });
        Ok(Hit {
            rank,
            score,
            doc: u64_of(f.doc).unwrap_or_default(),
            path: text_of(f.path).unwrap_or_default(),
            record: u64_of(f.record),
            lines: LineSpan {
                start: lines.first().copied().unwrap_or(1) as u32,
                end: lines.get(1).copied().unwrap_or(1) as u32,
            },
            url: text_of(f.url),
            site: text_of(f.site),
            title: text_of(f.title),
            published,
            lang: text_of(f.lang),
            passage: u64_of(f.passage).unwrap_or_default(),
            highlights: index::matching_words(analyzer, &text, terms),
            text,
            entities,
            figures,
            duplicates,
        })
    }

    /// Most-mentioned entities (passages mentioning them), over the passages
    /// matching `query` (all when empty), of one kind or any. Counted with a
    /// terms aggregation over the fast fields: no stored document is read.
    pub fn entity_counts(
        &self,
        query: &str,
        filters: &Filters,
        kind: Option<EntityKind>,
        top: usize,
    ) -> anyhow::Result<Vec<(String, EntityKind, u64)>> {
        let query = self.build_query(query, filters)?;
        let kinds: Vec<EntityKind> = kind.map_or_else(|| EntityKind::ALL.to_vec(), |k| vec![k]);
        let mut aggs = serde_json::Map::new();
        for kind in &kinds {
            aggs.insert(
                kind.as_str().to_owned(),
                serde_json::json!({ "terms": { "field": kind.as_str(), "size": top.max(1) } }),
            );
        }
        let request: Aggregations = serde_json::from_value(serde_json::Value::Object(aggs))?;
        let collector = AggregationCollector::from_aggs(request, Default::default());
        let results: AggregationResults = self.reader.searcher().search(&*query, &collector)?;
        let mut counts = Vec::new();
        for kind in kinds {
            if let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
                results.0.get(kind.as_str())
            {
                for bucket in buckets {
                    counts.push((bucket.key.to_string(), kind, bucket.doc_count));
                }
            }
        }
        counts.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        counts.truncate(top);
        Ok(counts)
    }

    /// What the index holds.
    pub fn stats(&self) -> anyhow::Result<Stats> {
        let searcher = self.reader.searcher();
        let passages = searcher.num_docs();
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "sites": { "terms": { "field": name::SITE, "size": 20 } },
            "langs": { "terms": { "field": name::LANG, "size": 20 } },
            "oldest": { "min": { "field": name::PUBLISHED } },
            "newest": { "max": { "field": name::PUBLISHED } },
        }))?;
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let results: AggregationResults = searcher.search(&AllQuery, &collector)?;
        let buckets = |key: &str| -> Vec<(String, u64)> {
            match results.0.get(key) {
                Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) => {
                    buckets.iter().map(|b| (b.key.to_string(), b.doc_count)).collect()
                }
                _ => Vec::new(),
            }
        };
        let metric = |key: &str| -> Option<f64> {
            let value = serde_json::to_value(results.0.get(key)?).ok()?;
            value.get("value")?.as_f64()
        };
        let date = |v: f64| {
            chrono::DateTime::from_timestamp_millis(v as i64)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        };
        let published = match (metric("oldest").and_then(date), metric("newest").and_then(date)) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        let mut files = HashSet::new();
        let mut documents = HashSet::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(name::DOC)?;
            for doc in segment.doc_ids_alive() {
                if let Some(id) = column.first(doc) {
                    documents.insert(id);
                }
            }
            let inverted = segment.inverted_index(self.fields.path)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                files.insert(stream.key().to_vec());
            }
        }
        Ok(Stats {
            passages,
            documents: documents.len() as u64,
            files: files.len() as u64,
            segments: searcher.segment_readers().len(),
            sites: buckets("sites"),
            langs: buckets("langs"),
            published,
        })
    }
}

fn is_range_or_all(query: &dyn Query) -> bool {
    let debug = format!("{query:?}");
    debug.starts_with("RangeQuery") || debug.starts_with("AllQuery") || debug.contains("RangeQuery")
}

fn describe_parse_error(text: &str, err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::FieldDoesNotExist(field) => format!(
            "invalid query {text:?}: there is no field {field:?} (fields: title, text, entity, \
             person, org, place, product, tag, site, url, path, lang, money, percent, count, published)"
        ),
        E::SyntaxError(_) => format!(
            "invalid query {text:?}: syntax error (check quotes, parentheses and field:value pairs)"
        ),
        other => format!("invalid query {text:?}: {other}"),
    }
}

/// Byte ranges of the words of `text` whose analysed form is one of `terms`.
pub fn highlights(text: &str, terms: &HashSet<String>) -> Vec<Span> {
    index::matching_words(&mut index::text_analyzer(), text, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            NumRange::parse(">=1e9").unwrap(),
            NumRange { lower: Bound::Included(1e9), upper: Bound::Unbounded }
        );
        assert_eq!(
            NumRange::parse("<5").unwrap(),
            NumRange { lower: Bound::Unbounded, upper: Bound::Excluded(5.0) }
        );
        assert_eq!(
            NumRange::parse("10..20").unwrap(),
            NumRange { lower: Bound::Included(10.0), upper: Bound::Included(20.0) }
        );
        assert_eq!(
            NumRange::parse(">1.5bn").unwrap(),
            NumRange { lower: Bound::Excluded(1.5e9), upper: Bound::Unbounded }
        );
        assert_eq!(
            NumRange::parse("14,000").unwrap(),
            NumRange { lower: Bound::Included(14000.0), upper: Bound::Included(14000.0) }
        );
        assert!(NumRange::parse(">=lots").is_err());
        assert!(NumRange::parse("").is_err());
    }

    #[test]
    fn highlights_follow_the_analyser() {
        let terms: HashSet<String> = ["gpu".to_owned()].into();
        let text = "Buying enough GPUs for GPU clusters.";
        let marked: Vec<&str> =
            highlights(text, &terms).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(marked, ["GPUs", "GPU"]);
    }
}
