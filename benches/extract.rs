//! Throughput of the extraction stage (entities and figures) on a news
//! article written for this bench (`tests/gold/bench_article.txt`), in words
//! per second. Run with `cargo bench --bench extract`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede::extract::Extractor;
use lede::model::{EntityKind, FigureKind};

const ARTICLE: &str = include_str!("../tests/gold/bench_article.txt");

/// The article as the cleaner gives it: title apart, paragraphs separated by
/// one blank line.
fn body() -> (&'static str, &'static str) {
    let (title, body) = ARTICLE.split_once("\n\n").unwrap_or(("", ARTICLE));
    (title.trim(), body.trim())
}

fn extract(c: &mut Criterion) {
    let extractor = Extractor::new();
    let (title, text) = body();
    let words = text.split_whitespace().count() as u64;

    // Guard: a bench that silently measures nothing is worse than none.
    let found = extractor.extract(text, Some(title));
    let delgado = found.entities.iter().find(|e| e.name == "Maria Delgado");
    assert!(
        delgado.is_some_and(|e| e.kind == EntityKind::Person && e.mentions.len() >= 4),
        "the fixture lost its main person: {:?}",
        found.entities
    );
    assert!(
        found.figures.iter().any(|f| f.kind == FigureKind::Money && f.value == 310e6),
        "the fixture lost its main figure: {:?}",
        found.figures
    );

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(words));
    group.bench_function("entities_and_figures", |b| {
        b.iter(|| extractor.extract(black_box(text), black_box(Some(title))))
    });
    group.finish();
    // Loading the gazetteers happens once per run, not per article.
    c.bench_function("extract/build_extractor", |b| b.iter(Extractor::new));
}

criterion_group!(benches, extract);
criterion_main!(benches);
