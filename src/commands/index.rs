//! `lede index`: walk → read → decode → clean → extract → split → write.
//!
//! Files are processed in batches; within a batch, in parallel (rayon), each
//! worker feeding the shared tantivy writer directly. After each batch the
//! index is committed, so a killed run loses at most one batch and the last
//! commit stays usable. Per-file trouble is data: it is reported in path
//! order after each batch and the run goes on.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{say, warn};
use crate::ExitStatus;
use crate::config::IndexConfig;
use crate::corpus;
use crate::index::{self, Fields};
use crate::pipeline::{FileResult, Pipeline};
use crate::read::ReadError;

/// Files per commit: a killed run redoes at most this many.
const BATCH_FILES: usize = 2000;

/// Counters for the summary line.
#[derive(Debug, Default)]
struct IndexStats {
    files: usize,
    documents: usize,
    passages: usize,
    bytes: u64,
    skipped: BTreeMap<String, usize>,
    failed: usize,
    warnings: usize,
}

/// What one worker reports about one file, once its documents are written.
struct Outcome {
    result: FileResult,
    documents: usize,
    passages: usize,
    bytes: u64,
}

pub(super) fn run(config: &IndexConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let mut stats = IndexStats::default();
    let walk = corpus::walk(&config.paths, Some(&config.index_dir), config.read.hidden);
    for (path, reason) in &walk.problems {
        warn(format_args!("{}: {reason}", path.display()));
        stats.failed += 1;
    }

    let (index, fields) = index::open_or_create(&config.index_dir)?;
    let mut writer: IndexWriter<TantivyDocument> = match index
        .writer_with_num_threads(config.writer_threads, config.heap_bytes)
    {
        Ok(writer) => writer,
        Err(tantivy::TantivyError::LockFailure(..)) => anyhow::bail!(
            "another lede is updating the index {} (wait for it to finish)",
            config.index_dir.display()
        ),
        Err(err) => {
            return Err(err).context(format!("opening {} for writing", config.index_dir.display()));
        }
    };
    if config.full {
        writer.delete_all_documents()?;
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.read.threads)
        .build()
        .context("starting worker threads")?;
    let progress = progress_bar(config, walk.files.len() as u64);
    let pipeline = &config.read.pipeline;

    for batch in walk.files.chunks(BATCH_FILES) {
        let outcomes: Vec<Outcome> = pool.install(|| {
            batch
                .par_iter()
                .map(|path| {
                    let outcome = process(pipeline, &writer, &fields, path);
                    progress.inc(1);
                    outcome
                })
                .collect::<anyhow::Result<Vec<Outcome>>>()
        })?;
        for outcome in outcomes {
            tally(&mut stats, outcome, &progress);
        }
        writer.commit().context("committing the index")?;
    }
    progress.finish_and_clear();
    writer.wait_merging_threads().context("merging index segments")?;

    if !config.quiet {
        say(format_args!("{}", summary(&stats, started.elapsed().as_secs_f64())));
    }
    Ok(if stats.failed > 0 { ExitStatus::Error } else { ExitStatus::Success })
}

/// Runs the pipeline over one file and writes its documents, replacing what
/// the index held for that path. A file that could not be read keeps its old
/// documents: nothing is lost to a passing I/O error.
fn process(
    pipeline: &Pipeline,
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    path: &std::path::Path,
) -> anyhow::Result<Outcome> {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let result = pipeline.process(path, None);
    if !matches!(result.error, Some(ReadError::Failed(_))) {
        writer.delete_term(Term::from_field_text(fields.path, &result.path));
    }
    let mut passages = 0;
    for article in &result.articles {
        for doc in index::documents(fields, article) {
            writer.add_document(doc).context("adding a document to the index")?;
            passages += 1;
        }
    }
    let documents = result.articles.len();
    // The articles are written: keep only what the report needs.
    let result = FileResult { articles: Vec::new(), ..result };
    Ok(Outcome { result, documents, passages, bytes })
}

fn tally(stats: &mut IndexStats, outcome: Outcome, progress: &ProgressBar) {
    let Outcome { result, documents, passages, bytes } = outcome;
    let report = |message: String| progress.suspend(|| warn(format_args!("{message}")));
    stats.bytes += bytes;
    match result.error {
        Some(ReadError::Skipped(reason)) => {
            report(format!("{}: skipped: {reason}", result.path));
            *stats.skipped.entry(reason_key(&reason)).or_default() += 1;
            return;
        }
        Some(ReadError::Failed(err)) => {
            report(format!("{}: {err:#}", result.path));
            stats.failed += 1;
            return;
        }
        None => {}
    }
    for problem in &result.problems {
        report(format!("{}: {}: {}", result.path, problem.location, problem.reason));
    }
    if result.problems.iter().any(|p| !p.reason.contains("replaced with U+FFFD")) {
        stats.failed += 1;
    } else if !result.problems.is_empty() {
        stats.warnings += 1;
    }
    if documents == 0 {
        *stats.skipped.entry("no text after cleaning".into()).or_default() += 1;
        return;
    }
    stats.files += 1;
    stats.documents += documents;
    stats.passages += passages;
}

/// Groups skip reasons for the summary ("larger than --max-filesize (...)" → its head).
fn reason_key(reason: &str) -> String {
    reason.split(" (").next().unwrap_or(reason).to_owned()
}

fn summary(stats: &IndexStats, seconds: f64) -> String {
    let mut line = format!(
        "indexed {} files ({} documents, {} passages, {:.1} MB) in {seconds:.2}s",
        stats.files,
        stats.documents,
        stats.passages,
        stats.bytes as f64 / 1e6
    );
    let skipped: usize = stats.skipped.values().sum();
    if skipped > 0 {
        let reasons: Vec<String> = stats.skipped.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        line.push_str(&format!("; skipped {skipped} ({})", reasons.join(", ")));
    }
    if stats.warnings > 0 {
        line.push_str(&format!("; {} with warnings", stats.warnings));
    }
    if stats.failed > 0 {
        line.push_str(&format!("; {} failed", stats.failed));
    }
    line
}

fn progress_bar(config: &IndexConfig, files: u64) -> ProgressBar {
    if !config.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} indexing [{bar:30}] {pos}/{len} files  {per_sec}  ETA {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_names_skips_and_failures() {
        let mut stats = IndexStats { files: 3, documents: 5, passages: 40, ..Default::default() };
        stats.skipped.insert("empty".into(), 2);
        stats.failed = 1;
        let line = summary(&stats, 0.5);
        assert!(line.starts_with("indexed 3 files (5 documents, 40 passages"), "{line}");
        assert!(line.contains("skipped 2 (empty: 2)") && line.ends_with("1 failed"), "{line}");
    }
}
