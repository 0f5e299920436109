//! Throughput of the clean stage on a news page written for this bench
//! (navigation, cookie banner, article with figure and hashtags, share bar,
//! related list, comments, footer), as HTML and as flattened text.
//!
//! `cargo bench --bench clean`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede::clean::html::clean_html;
use lede::clean::text::clean_text;

const PAGE_HTML: &str = include_str!("fixtures/news-page.html");
const PAGE_TEXT: &str = include_str!("fixtures/news-page.txt");

fn bench_clean(c: &mut Criterion) {
    // Sanity: the article comes out, the boilerplate does not.
    let cleaned = clean_html(PAGE_HTML, None);
    assert!(cleaned.text.contains("divers found that several of its timber piles"));
    assert!(cleaned.text.contains("autumn grain harvest"));
    assert!(!cleaned.text.contains("Ferry timetable"));
    assert!(!cleaned.text.contains("All rights reserved"));
    assert_eq!(cleaned.title.as_deref(), Some("Grain pier to close for repairs"));
    let text = clean_text(PAGE_TEXT, None);
    assert!(text.text.contains("autumn grain harvest"));

    let mut group = c.benchmark_group("clean");
    group.throughput(Throughput::Bytes(PAGE_HTML.len() as u64));
    group.bench_function("html", |b| b.iter(|| clean_html(std::hint::black_box(PAGE_HTML), None)));
    group.throughput(Throughput::Bytes(PAGE_TEXT.len() as u64));
    group.bench_function("text", |b| b.iter(|| clean_text(std::hint::black_box(PAGE_TEXT), None)));
    group.finish();
}

criterion_group!(benches, bench_clean);
criterion_main!(benches);
