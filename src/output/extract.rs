//! `lede extract` output: what the pipeline made of each record, as text for
//! people or one JSON object per record.

use std::io::{self, Write};

use serde::Serialize;

use super::Style;
use crate::model::{Article, DropReason, EntityKind, FigureKind, LineSpan, Span};

/// Wire form of an extracted record. The field set is a contract.
#[derive(Serialize)]
struct JsonArticle<'a> {
    path: &'a str,
    record: Option<u64>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<&'a str>,
    site: Option<&'a str>,
    lang: Option<&'a str>,
    encoding: &'a str,
    text: &'a str,
    tags: &'a [String],
    entities: Vec<JsonEntity<'a>>,
    figures: Vec<JsonFigure<'a>>,
    passages: Vec<JsonPassage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped: Option<Vec<JsonDropped<'a>>>,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: EntityKind,
    mentions: &'a [Span],
}

#[derive(Serialize)]
struct JsonFigure<'a> {
    value: f64,
    kind: FigureKind,
    unit: Option<&'a str>,
    qualifier: Option<&'a str>,
    text: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonPassage {
    passage: u32,
    start: usize,
    end: usize,
    lines: LineSpan,
}

#[derive(Serialize)]
struct JsonDropped<'a> {
    lines: LineSpan,
    reason: DropReason,
    text: &'a str,
}

/// Prints one article as one line of JSON.
pub fn json<W: Write>(wtr: &mut W, article: &Article, explain: bool) -> io::Result<()> {
    let c = &article.cleaned;
    let value = JsonArticle {
        path: &article.path,
        record: article.record,
        url: article.url.as_deref(),
        title: c.title.as_deref(),
        published: c.published.as_deref(),
        site: article.site.as_deref(),
        lang: c.lang.as_deref(),
        encoding: article.encoding,
        text: &c.text,
        tags: &c.tags,
        entities: article
            .annotations
            .entities
            .iter()
            .map(|e| JsonEntity { name: &e.name, kind: e.kind, mentions: &e.mentions })
            .collect(),
        figures: article
            .annotations
            .figures
            .iter()
            .map(|f| JsonFigure {
                value: f.value,
                kind: f.kind,
                unit: f.unit.as_deref(),
                qualifier: f.qualifier.as_deref(),
                text: &f.text,
                start: f.span.start,
                end: f.span.end,
            })
            .collect(),
        passages: article
            .passages
            .iter()
            .map(|p| JsonPassage {
                passage: p.ordinal,
                start: p.span.start,
                end: p.span.end,
                lines: article.lines.map(p.lines),
            })
            .collect(),
        dropped: explain.then(|| {
            c.dropped
                .iter()
                .map(|d| JsonDropped {
                    lines: article.lines.map(d.lines),
                    reason: d.reason,
                    text: &d.text,
                })
                .collect()
        }),
    };
    super::json::write_line(wtr, &value)
}

/// Prints one article for people.
pub fn text<W: Write>(
    wtr: &mut W,
    article: &Article,
    explain: bool,
    style: Style,
) -> io::Result<()> {
    let c = &article.cleaned;
    let mut out = String::new();
    let mut header = article.path.clone();
    if let Some(record) = article.record {
        header.push_str(&format!(" (record {record})"));
    }
    style.paint("35", &format!("== {header}"), &mut out);
    out.push('\n');
    let mut field = |name: &str, value: &str| {
        style.paint("2", &format!("{name:<10}"), &mut out);
        out.push_str(value);
        out.push('\n');
    };
    field("title", c.title.as_deref().unwrap_or("-"));
    field("published", c.published.as_deref().unwrap_or("-"));
    field("url", article.url.as_deref().unwrap_or("-"));
    field("site", article.site.as_deref().unwrap_or("-"));
    field("lang", c.lang.as_deref().unwrap_or("-"));
    field("encoding", article.encoding);
    if !c.tags.is_empty() {
        field("tags", &c.tags.join(", "));
    }
    let entities: Vec<String> = article
        .annotations
        .entities
        .iter()
        .map(|e| format!("{} ({}, {})", e.name, e.kind.as_str(), e.mentions.len()))
        .collect();
    let entities = if entities.is_empty() { "-".to_owned() } else { entities.join("; ") };
    field("entities", &entities);
    let figures: Vec<String> = article
        .annotations
        .figures
        .iter()
        .map(|f| {
            let unit = f.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            format!("{:?} = {}{} ({})", f.text, f.value, unit, f.kind.as_str())
        })
        .collect();
    let figures = if figures.is_empty() { "-".to_owned() } else { figures.join("; ") };
    field("figures", &figures);
    field("passages", &article.passages.len().to_string());
    out.push('\n');
    out.push_str(&c.text);
    out.push('\n');
    if explain && !c.dropped.is_empty() {
        out.push('\n');
        style.paint("2", "-- dropped", &mut out);
        out.push('\n');
        for d in &c.dropped {
            let lines = article.lines.map(d.lines);
            let at = if lines.start == lines.end {
                format!("{}", lines.start)
            } else {
                format!("{}-{}", lines.start, lines.end)
            };
            let shown: String = d.text.chars().take(100).collect();
            let more = if shown.len() < d.text.len() { "…" } else { "" };
            out.push_str(&format!("{at:>9}  {:<14} {shown}{more}\n", d.reason.as_str()));
        }
    }
    out.push('\n');
    wtr.write_all(out.as_bytes())
}
