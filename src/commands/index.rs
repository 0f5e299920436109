//! `lede index`: walk → read → decode → clean → extract → split → write.
//!
//! Incremental: the index's [`Manifest`] says what each file was when it was
//! indexed. A file whose size and modification time are unchanged is not
//! read; one whose bytes hash the same is only re-dated; new and changed files
//! are processed, and the documents of files that disappeared (under the
//! paths given) are deleted. `--full` rebuilds.
//!
//! Template learning (see [`crate::clean::template`]) reads the new and
//! changed files once first and keeps its counts in the manifest, so an
//! incremental run cleans new pages with everything learned before.
//!
//! Files are processed in batches of at most `--commit-every` files and
//! `--commit-mib` MiB of input (a commit per few thousand small files made
//! tiny segments that tantivy then spent its time merging); within a batch in
//! parallel (rayon), each worker feeding the shared tantivy writer directly.
//! After each batch the index is committed together with its manifest, so a
//! killed run loses at most one batch and the next run picks up the rest.
//! Per-file trouble is data: it is reported in path order after each batch
//! and the run goes on.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{learn_templates, say, warn};
use crate::ExitStatus;
use crate::clean::template::Templates;
use crate::config::IndexConfig;
use crate::corpus;
use crate::index::manifest::{FileEntry, Manifest, hash_file, mtime_nanos};
use crate::index::{self, Fields};
use crate::pipeline::{FileResult, Pipeline, display_path};
use crate::read::ReadError;

/// Files named per skip reason before the rest are only counted.
const SKIPS_NAMED: usize = 10;

/// Counters for the summary line.
#[derive(Debug, Default)]
struct IndexStats {
    added: usize,
    updated: usize,
    removed: usize,
    unchanged: usize,
    documents: usize,
    passages: usize,
    bytes: u64,
    skipped: BTreeMap<String, usize>,
    failed: usize,
    warnings: usize,
}

/// A file to look at: new, or changed in size or time since it was indexed.
struct Job {
    path: PathBuf,
    shown: String,
    size: u64,
    mtime: i128,
    /// The hash it had when indexed, if it was.
    previous: Option<u64>,
}

/// What became of one job.
enum Outcome {
    /// Same bytes as indexed: only its time changed.
    Touched { job: Job },
    /// Processed: its documents are written (possibly none).
    Processed { job: Job, hash: u64, result: FileResult, docs: Vec<u64>, passages: usize },
    /// Could not be read; what the index had for it is kept.
    Unreadable { job: Job, error: anyhow::Error },
}

pub(super) fn run(config: &IndexConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let mut stats = IndexStats::default();
    let walk = corpus::walk(&config.paths, Some(&config.index_dir), config.read.hidden);
    for (path, reason) in &walk.problems {
        warn(format_args!("{}: {reason}", path.display()));
        stats.failed += 1;
    }

    let dir = &config.index_dir;
    let (index, fields) = index::open_or_create(dir)?;
    let mut writer: IndexWriter<TantivyDocument> =
        match index.writer_with_num_threads(config.writer_threads, config.heap_bytes) {
            Ok(writer) => writer,
            Err(tantivy::TantivyError::LockFailure(..)) => anyhow::bail!(
                "another lede is updating the index {} (wait for it to finish; queries still work)",
                dir.display()
            ),
            Err(err) => {
                return Err(err).context(format!("opening {} for writing", dir.display()));
            }
        };
    let mut manifest = if config.full {
        writer.delete_all_documents()?;
        Manifest::default()
    } else {
        match Manifest::load(&index, dir) {
            Ok(manifest) => manifest,
            Err(err) => {
                warn(format_args!("{err:#}; indexing everything again"));
                writer.delete_all_documents()?;
                Manifest::default()
            }
        }
    };
    // Files that disappeared from under the paths given.
    let roots: Vec<String> = config.paths.iter().map(|p| display_path(p)).collect();
    let walked: HashSet<String> = walk.files.iter().map(|p| display_path(p)).collect();
    let gone: Vec<String> = manifest
        .paths()
        .filter(|path| !walked.contains(*path) && roots.iter().any(|root| is_under(path, root)))
        .map(str::to_owned)
        .collect();
    for path in &gone {
        writer.delete_term(Term::from_field_text(fields.path, path));
        manifest.remove(path);
        stats.removed += 1;
    }

    // New and changed files; the others are not even opened.
    let mut jobs = Vec::new();
    for path in walk.files {
        let shown = display_path(&path);
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(err) => {
                warn(format_args!("{shown}: {err}"));
                stats.failed += 1;
                continue;
            }
        };
        let (size, mtime) = (meta.len(), mtime_nanos(&meta));
        let previous = manifest.get(&shown);
        if previous.is_some_and(|e| e.size == size && e.mtime == mtime) {
            stats.unchanged += 1;
            continue;
        }
        jobs.push(Job { path, shown, size, mtime, previous: previous.map(|e| e.hash) });
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.read.threads)
        .build()
        .context("starting worker threads")?;
    let pipeline = &config.read.pipeline;
    // Pass 1: learn each site's template lines from the new and changed
    // pages, on top of what earlier runs learned.
    if !jobs.is_empty() {
        let paths: Vec<&Path> = jobs.iter().map(|job| job.path.as_path()).collect();
        let known = manifest.take_templates().into_learner();
        manifest.set_templates(learn_templates(pipeline, &paths, &pool, known));
    }
    let templates = &manifest.templates().clone();
    let progress = progress_bar(config, jobs.len() as u64);
    let mut committed = false;
    let sizes: Vec<u64> = jobs.iter().map(|job| job.size).collect();
    let mut jobs = jobs.into_iter();
    for range in corpus::batches(&sizes, config.commit_every, config.commit_bytes) {
        let batch: Vec<Job> = jobs.by_ref().take(range.len()).collect();
        let outcomes: Vec<Outcome> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|job| {
                    let outcome = process(pipeline, templates, &writer, &fields, job);
                    progress.inc(1);
                    outcome
                })
                .collect::<anyhow::Result<Vec<Outcome>>>()
        })?;
        for outcome in outcomes {
            tally(&mut stats, &mut manifest, outcome, &progress);
        }
        commit(&mut writer, &mut manifest, dir)?;
        committed = true;
    }
    if !committed && (stats.removed > 0 || config.full || index.load_metas()?.payload.is_none()) {
        commit(&mut writer, &mut manifest, dir)?;
    }
    progress.finish_and_clear();
    writer.wait_merging_threads().context("merging index segments")?;

    if !config.quiet {
        say(format_args!("{}", summary(&stats, started.elapsed().as_secs_f64())));
    }
    Ok(if stats.failed > 0 { ExitStatus::Error } else { ExitStatus::Success })
}

/// Commits the writer with the manifest that describes the commit.
fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    manifest: &mut Manifest,
    dir: &Path,
) -> anyhow::Result<()> {
    let payload = manifest.save(dir)?;
    let mut prepared = writer.prepare_commit().context("committing the index")?;
    prepared.set_payload(&payload);
    prepared.commit().context("committing the index")?;
    Manifest::remove_stale(dir, &payload);
    Ok(())
}

/// True when `path` is `root` or inside it (both as shown to users).
fn is_under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    root.is_empty()
        || root == "."
        || path == root
        || path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

/// Hashes one file and, when its bytes changed, runs the pipeline over it and
/// writes its documents, replacing what the index held for that path.
fn process(
    pipeline: &Pipeline,
    templates: &Templates,
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    job: Job,
) -> anyhow::Result<Outcome> {
    // A file indexed before is hashed first: when only its time changed
    // (same bytes), it is not parsed. A new file is read once, hashed as it
    // is parsed.
    let (result, hash) = if job.previous.is_some() {
        let hash = match hash_file(&job.path) {
            Ok(hash) => hash,
            Err(err) => return Ok(Outcome::Unreadable { job, error: err.into() }),
        };
        if job.previous == Some(hash) {
            return Ok(Outcome::Touched { job });
        }
        (pipeline.process(&job.path, Some(templates)), Ok(hash))
    } else {
        pipeline.process_hashed(&job.path, Some(templates))
    };
    let result = match result {
        FileResult { error: Some(ReadError::Failed(error)), .. } => {
            return Ok(Outcome::Unreadable { job, error });
        }
        result => result,
    };
    let hash = match hash {
        Ok(hash) => hash,
        Err(err) => return Ok(Outcome::Unreadable { job, error: err.into() }),
    };
    // A file the manifest does not know has no documents in the committed
    // index (manifest and index are committed together), so only files
    // indexed before need their old documents deleted. On a first run this
    // saves one delete term per file, each looked up in every segment.
    if job.previous.is_some() {
        writer.delete_term(Term::from_field_text(fields.path, &job.shown));
    }
    let mut passages = 0;
    let mut docs = Vec::with_capacity(result.articles.len());
    for article in &result.articles {
        docs.push(article.doc);
        for doc in index::documents(fields, article) {
            writer.add_document(doc).context("adding a document to the index")?;
            passages += 1;
        }
    }
    // The articles are written: keep only what the report needs.
    let result = FileResult { articles: Vec::new(), ..result };
    Ok(Outcome::Processed { job, hash, result, docs, passages })
}

fn tally(
    stats: &mut IndexStats,
    manifest: &mut Manifest,
    outcome: Outcome,
    progress: &ProgressBar,
) {
    let report = |message: String| progress.suspend(|| warn(format_args!("{message}")));
    match outcome {
        Outcome::Touched { job } => {
            manifest.set_mtime(&job.shown, job.mtime);
            stats.unchanged += 1;
        }
        Outcome::Unreadable { job, error } => {
            report(format!("{}: {error:#}", job.shown));
            stats.failed += 1;
        }
        Outcome::Processed { job, hash, result, docs, passages } => {
            stats.bytes += job.size;
            let existed = job.previous.is_some();
            match &result.error {
                Some(ReadError::Skipped(reason)) => {
                    let seen = stats.skipped.entry(reason_key(reason)).or_default();
                    *seen += 1;
                    // A dump folder can hold thousands of files skipped for
                    // one reason: name the first few, count the rest.
                    if *seen <= SKIPS_NAMED {
                        report(format!("{}: skipped: {reason}", result.path));
                    } else if *seen == SKIPS_NAMED + 1 {
                        report(format!(
                            "more files skipped ({}): counted in the summary",
                            reason_key(reason)
                        ));
                    }
                }
                _ if docs.is_empty() => {
                    *stats.skipped.entry("no text after cleaning".into()).or_default() += 1;
                }
                _ => {
                    if existed {
                        stats.updated += 1;
                    } else {
                        stats.added += 1;
                    }
                }
            }
            for problem in &result.problems {
                report(format!("{}: {}: {}", result.path, problem.location, problem.reason));
            }
            if let Some(failure) = &result.failure {
                report(format!(
                    "{}: {failure:#} (the records before the break are indexed)",
                    result.path
                ));
                stats.failed += 1;
            }
            if result.problems.iter().any(|p| !p.reason.contains("replaced with U+FFFD")) {
                stats.failed += 1;
            } else if !result.problems.is_empty() {
                stats.warnings += 1;
            }
            stats.documents += docs.len();
            stats.passages += passages;
            let entry = FileEntry { size: job.size, mtime: job.mtime, hash, docs };
            manifest.insert(job.shown, entry);
        }
    }
}

/// Groups skip reasons for the summary ("larger than --max-filesize (...)" → its head).
fn reason_key(reason: &str) -> String {
    reason.split(" (").next().unwrap_or(reason).to_owned()
}

fn summary(stats: &IndexStats, seconds: f64) -> String {
    let mut line = format!(
        "indexed {} added, {} updated, {} removed, {} unchanged files ({} documents, {} passages, {:.1} MB) in {seconds:.2}s",
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
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
    fn summary_line_names_changes_skips_and_failures() {
        let mut stats = IndexStats {
            added: 3,
            updated: 1,
            removed: 2,
            unchanged: 7,
            documents: 5,
            passages: 40,
            ..Default::default()
        };
        stats.skipped.insert("empty".into(), 2);
        stats.failed = 1;
        let line = summary(&stats, 0.5);
        assert!(
            line.starts_with(
                "indexed 3 added, 1 updated, 2 removed, 7 unchanged files (5 documents, 40 passages"
            ),
            "{line}"
        );
        assert!(line.contains("skipped 2 (empty: 2)") && line.ends_with("1 failed"), "{line}");
    }

    #[test]
    fn paths_under_roots() {
        assert!(is_under("corpus/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/"));
        assert!(is_under("corpus/a.txt", "."));
        assert!(is_under("corpus", "corpus"));
        assert!(!is_under("corpus2/a.txt", "corpus"));
        assert!(!is_under("other/a.txt", "corpus"));
    }
}
