//! The plain-tantivy baseline that `scripts/bench` compares `lede index` with.
//!
//! Input: corpus paths, walked exactly as `lede index` walks them
//! ([`lede::corpus::walk`]: same files, same order). Each file's raw bytes are
//! read as text (lossy UTF-8, no decoding, no cleaning) into one `TEXT` field
//! with tantivy's default tokenizer, plus its path as a `STRING | STORED`
//! field. The writer is set up as lede's is: the same tantivy, a 256 MiB heap,
//! `min(cores, heap / 16 MiB)` indexing threads, a commit after every 50,000
//! files or 256 MiB of input ([`lede::corpus::batches`]),
//! and files read and added in parallel with rayon, each worker feeding the
//! one shared writer. It links the same allocator as the `lede` binary
//! (mimalloc), so that the ratio measures lede's work, not the allocator.
//!
//! Output: one line on stdout, `files=N bytes=N seconds=S`, timed from the
//! walk to the end of merging. Errors (an unreadable file, a full disk) stop
//! the run with a message on stderr and exit code 2.
//!
//! ```sh
//! cargo run --release --example baseline -- --index /tmp/base CORPUS...
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use rayon::prelude::*;
use tantivy::schema::{STORED, STRING, Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// Indexes raw files with plain tantivy, as a yardstick for `lede index`.
#[derive(Debug, Parser)]
struct Args {
    /// Folder for the index; must not exist or be empty.
    #[arg(long)]
    index: PathBuf,
    /// Worker threads (0: one per core), as `lede index -j`.
    #[arg(short = 'j', long, default_value_t = 0)]
    threads: usize,
    /// Writer memory in MiB, as `lede index --heap-mib`.
    #[arg(long, default_value_t = 256)]
    heap_mib: usize,
    /// Most files per commit, as `lede index --commit-every`.
    #[arg(long, default_value_t = 50_000)]
    commit_every: usize,
    /// Most MiB of input per commit, as `lede index --commit-mib`.
    #[arg(long, default_value_t = 256)]
    commit_mib: u64,
    /// Files and folders to index.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// The allocator of the `lede` binary, so that timings match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(line) => {
            // A closed stdout is not worth a panic; the index is built either way.
            let _ = writeln!(std::io::stdout(), "{line}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "baseline: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<String> {
    anyhow::ensure!(args.commit_every >= 1, "--commit-every must be at least 1");
    anyhow::ensure!(args.heap_mib >= 16, "--heap-mib must be at least 16");
    let started = Instant::now();
    let walk = lede::corpus::walk(&args.paths, Some(&args.index), false);

    let mut builder = Schema::builder();
    let body = builder.add_text_field("body", TEXT);
    let path = builder.add_text_field("path", STRING | STORED);
    std::fs::create_dir_all(&args.index)
        .with_context(|| format!("creating {}", args.index.display()))?;
    let index = Index::create_in_dir(&args.index, builder.build())
        .with_context(|| format!("creating an index in {}", args.index.display()))?;

    // The same thread and heap arithmetic as lede's `IndexConfig`.
    let threads = match args.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let writer_threads = threads.min(args.heap_mib / 16).clamp(1, 8);
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(writer_threads, args.heap_mib * 1024 * 1024)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;

    let mut bytes = 0u64;
    let sizes: Vec<u64> =
        walk.files.iter().map(|file| std::fs::metadata(file).map_or(0, |m| m.len())).collect();
    for range in lede::corpus::batches(&sizes, args.commit_every, args.commit_mib * 1024 * 1024) {
        let batch = &walk.files[range];
        let sizes = pool.install(|| {
            batch
                .par_iter()
                .map(|file| -> anyhow::Result<u64> {
                    let raw = std::fs::read(file)
                        .with_context(|| format!("reading {}", file.display()))?;
                    let mut doc = TantivyDocument::default();
                    doc.add_text(body, String::from_utf8_lossy(&raw));
                    doc.add_text(path, file.to_string_lossy());
                    writer.add_document(doc)?;
                    Ok(raw.len() as u64)
                })
                .collect::<anyhow::Result<Vec<u64>>>()
        })?;
        bytes += sizes.iter().sum::<u64>();
        writer.commit()?;
    }
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!("files={} bytes={bytes} seconds={seconds:.3}", walk.files.len()))
}
