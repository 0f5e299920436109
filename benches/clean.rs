//! Throughput of the clean stage on a news page written for this bench
//! (navigation, cookie banner, article with figure and hashtags, share bar,
//! related list, comments, footer), as HTML and as flattened text, and on
//! the same page weighed down the way real pages are (inline scripts and
//! styles, an SVG sprite, comments, tracking attributes), which the HTML
//! cleaner's pre-pass blanks before html5ever sees them.
//!
//! `cargo bench --bench clean`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede::clean::html::clean_html;
use lede::clean::text::clean_text;

const PAGE_HTML: &str = include_str!("fixtures/news-page.html");
const PAGE_TEXT: &str = include_str!("fixtures/news-page.txt");

/// `PAGE_HTML` with what a real page carries besides its markup: more than
/// half its bytes in scripts, styles, SVG and comments, and data attributes
/// on its elements. Same lines and same article.
fn heavy_page() -> String {
    let script =
        "window.dataLayer.push({'event': 'view', 'id': 12345, 'tags': ['a', 'b']});".repeat(200);
    let style = ".nav a:hover{color:#123456;text-decoration:underline}".repeat(200);
    let sprite = "<symbol id=i><path d='M0 0L10 10Z'/></symbol>".repeat(100);
    let comment = "<!-- ad slot: leaderboard, refresh 30s -->".repeat(20);
    PAGE_HTML
        .replacen("</head>", &format!("<script>{script}</script><style>{style}</style></head>"), 1)
        .replacen("<body>", &format!("<body><svg hidden>{sprite}</svg>{comment}"), 1)
        .replace(
            "<p>",
            "<p data-track=\"paragraph\" data-analytics-id=\"p-17\" style=\"margin:0\">",
        )
}

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
    let heavy = heavy_page();
    let heavy_cleaned = clean_html(&heavy, None);
    assert_eq!(heavy_cleaned.text, cleaned.text);
    assert_eq!(heavy_cleaned.blocks, cleaned.blocks);

    let mut group = c.benchmark_group("clean");
    group.throughput(Throughput::Bytes(PAGE_HTML.len() as u64));
    group.bench_function("html", |b| b.iter(|| clean_html(std::hint::black_box(PAGE_HTML), None)));
    group.throughput(Throughput::Bytes(heavy.len() as u64));
    group.bench_function("html-heavy", |b| {
        b.iter(|| clean_html(std::hint::black_box(heavy.as_str()), None))
    });
    group.throughput(Throughput::Bytes(PAGE_TEXT.len() as u64));
    group.bench_function("text", |b| b.iter(|| clean_text(std::hint::black_box(PAGE_TEXT), None)));
    group.finish();
}

criterion_group!(benches, bench_clean);
criterion_main!(benches);
