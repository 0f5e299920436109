//! Criterion benches of lede's CPU stages on real-shaped pages of `sample-corpus/`:
//! decode, the whole per-record pipeline (decode → clean → extract → split),
//! passage split, building the tantivy documents of an article, and lede's
//! text analyzer (the tokenizing and stemming tantivy runs on every passage).
//!
//! Every bench first checks that the stage did its job on its fixture (a known
//! sentence survives, passages exist), so that a bench cannot silently measure
//! nothing. Throughput is in bytes of the stage's input.
//!
//! ```sh
//! cargo bench --bench stages                 # all
//! cargo bench --bench stages -- pipeline     # one group
//! cargo bench --bench stages -- dump         # clean and extract on a text dump
//! ```
//!
//! The `dump` group reads the first [`DUMP_FILES`] files of the Reuters
//! text dump in `../shared/corpora/dumps/reuters/docs` (short wire stories,
//! hard-wrapped, full of figures: the plain-text case of `lede index`) and
//! skips, saying so, when that collection is not there.
//!
//! The cleaner and the extractor have their own benches (`benches/clean.rs`,
//! `benches/extract.rs`); `scripts/bench` measures the whole `lede index`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use lede::model::{Article, Format, LineMap, Meta, RawRecord};
use lede::passage::{self, PassageConfig};
use lede::pipeline::Pipeline;
use tantivy::tokenizer::TokenStream;

/// A flattened text page as scrapers leave it (image rows, a caption, hashtags).
const TEXT_PAGE: &[u8] = include_bytes!("../sample-corpus/004_f6510f4a557f18b8.txt");
/// A sentence of its body.
const TEXT_SENTENCE: &str =
    "The cuts come as part of a broader, methodical shift under CEO Andy Jassy";

/// An English news page in UTF-8, with menus, a cookie banner and a footer.
const HTML_PAGE: &[u8] = include_bytes!("../sample-corpus/example-news/2025-10-29-chip-plant.html");
/// A sentence of its article.
const HTML_SENTENCE: &str =
    "Veltrix Semiconductor said on Wednesday that it will spend $4.2 billion";

/// A Russian page in windows-1251, declared by `<meta charset>`.
const CP1251_PAGE: &[u8] = include_bytes!("../sample-corpus/ru/2025-10-27-theatre-cp1251.html");
/// Words of its article.
const CP1251_WORDS: &str = "Театр на Плотинке открыл новый сезон";

/// Files of the text dump the `dump` group reads.
const DUMP_FILES: usize = 1000;

fn record(body: &[u8], format: Format) -> RawRecord {
    RawRecord {
        record: None,
        lines: LineMap::Offset { first: 1 },
        format,
        body: body.to_vec(),
        charset: None,
        meta: Meta::default(),
    }
}

/// The article the pipeline makes of a page, checked to hold `sentence`.
fn article(pipeline: &Pipeline, page: &[u8], format: Format, sentence: &str) -> Article {
    let (article, lossy) = pipeline.article("bench/page", "bench", record(page, format), None);
    let Some(article) = article else {
        panic!("the pipeline kept no article text of the {format:?} fixture");
    };
    assert!(lossy.is_none(), "the {format:?} fixture decoded with replacement characters");
    assert!(
        article.cleaned.text.contains(sentence),
        "the clean text of the {format:?} fixture lost {sentence:?}"
    );
    assert!(!article.passages.is_empty(), "the {format:?} fixture has no passages");
    article
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, page, format, expect) in [
        ("utf8-text", TEXT_PAGE, Format::Text, TEXT_SENTENCE),
        ("utf8-html", HTML_PAGE, Format::Html, "Veltrix Semiconductor said on Wednesday"),
        ("cp1251-html", CP1251_PAGE, Format::Html, CP1251_WORDS),
    ] {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(name, |b| {
            let decoded = lede::decode::decode(page, None, format);
            assert!(decoded.text.contains(expect), "{name}: decoded text lost {expect:?}");
            assert!(!decoded.lossy, "{name}: decoding was lossy");
            b.iter(|| lede::decode::decode(black_box(page), None, format))
        });
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let pipeline = Pipeline::default();
    let mut group = c.benchmark_group("pipeline");
    for (name, page, format, sentence) in [
        ("text", TEXT_PAGE, Format::Text, TEXT_SENTENCE),
        ("html", HTML_PAGE, Format::Html, HTML_SENTENCE),
    ] {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(name, |b| {
            // Checked here, not above, so that a filtered run skips the other fixtures.
            article(&pipeline, page, format, sentence);
            b.iter_batched(
                || record(page, format),
                |raw| pipeline.article("bench/page", "bench", raw, None),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn split(c: &mut Criterion) {
    let pipeline = Pipeline::default();
    let article = article(&pipeline, TEXT_PAGE, Format::Text, TEXT_SENTENCE);
    let cleaned = &article.cleaned;
    let config = PassageConfig::default();
    let passages = passage::split(cleaned, &config);
    assert!(!passages.is_empty(), "no passages");
    let covered: usize = passages.iter().map(|p| p.span.end - p.span.start).sum();
    assert!(covered * 10 >= cleaned.text.len() * 9, "passages cover too little of the text");
    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Bytes(cleaned.text.len() as u64));
    group.bench_function("text", |b| b.iter(|| passage::split(black_box(cleaned), &config)));
    group.finish();
}

fn index(c: &mut Criterion) {
    let pipeline = Pipeline::default();
    let article = article(&pipeline, TEXT_PAGE, Format::Text, TEXT_SENTENCE);
    let fields = lede::index::Fields::from_schema(&lede::index::schema::build())
        .expect("lede's own schema has lede's fields");
    let docs = lede::index::documents(&fields, &article);
    assert_eq!(docs.len(), article.passages.len(), "one document per passage");

    let text = article.cleaned.text.as_str();
    let mut analyzer = lede::index::text_analyzer();
    let count = |analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
        let mut stream = analyzer.token_stream(text);
        let mut n = 0usize;
        while stream.advance() {
            n += 1;
        }
        n
    };
    let words = text.split_whitespace().count();
    let tokens = count(&mut analyzer);
    assert!(tokens * 10 >= words * 9, "the analyzer lost words: {tokens} tokens of {words} words");

    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("documents", |b| {
        b.iter(|| lede::index::documents(&fields, black_box(&article)))
    });
    // Warm: the analyzer has seen these words (its stem cache is full of them).
    group.bench_function("analyze", |b| b.iter(|| count(black_box(&mut analyzer))));
    // Cold: a fresh analyzer per run, as for the first passages of a segment.
    group.bench_function("analyze-cold", |b| {
        b.iter_batched(lede::index::text_analyzer, |mut a| count(&mut a), BatchSize::SmallInput)
    });
    group.finish();
}

/// The first [`DUMP_FILES`] stories of the Reuters dump, decoded; `None`
/// when `../shared` is not there.
fn dump_stories() -> Option<Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/dumps/reuters/docs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        std::io::Write::write_all(&mut std::io::stderr(), b"skipping: ../shared not found\n").ok();
        return None;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let stories: Vec<String> = paths
        .iter()
        .take(DUMP_FILES)
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| lede::decode::decode(&bytes, None, Format::Text).text)
        .collect();
    Some(stories)
}

fn dump(c: &mut Criterion) {
    let Some(stories) = dump_stories() else { return };
    let cleaner = lede::clean::Cleaner::new();
    let extractor = lede::extract::Extractor::new();
    let bytes: usize = stories.iter().map(String::len).sum();
    let cleaned: Vec<_> = stories.iter().map(|s| cleaner.clean(s, Format::Text, None)).collect();
    let kept: usize = cleaned.iter().map(|c| c.text.len()).sum();
    assert!(kept * 10 >= bytes * 7, "the cleaner kept {kept} of {bytes} bytes of wire stories");
    let found: usize = cleaned
        .iter()
        .map(|c| {
            let a = extractor.extract(&c.text, c.title.as_deref());
            a.entities.len() + a.figures.len()
        })
        .sum();
    assert!(found >= stories.len(), "{found} entities and figures in {} stories", stories.len());

    let mut group = c.benchmark_group("dump");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("clean", |b| {
        b.iter(|| {
            for story in &stories {
                black_box(cleaner.clean(black_box(story), Format::Text, None));
            }
        })
    });
    group.throughput(Throughput::Bytes(kept as u64));
    group.bench_function("extract", |b| {
        b.iter(|| {
            for c in &cleaned {
                black_box(extractor.extract(black_box(&c.text), c.title.as_deref()));
            }
        })
    });
    let config = PassageConfig::default();
    group.bench_function("split", |b| {
        b.iter(|| {
            for c in &cleaned {
                black_box(passage::split(black_box(c), &config));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, decode, pipeline, split, index, dump);
criterion_main!(benches);
