//! In-process query latency of a lede index, for `scripts/bench`.
//!
//! Input: an index folder and a query file (one query per line in lede's
//! syntax; blank lines and lines starting with `#` are skipped). The index is
//! opened once with [`lede::search::Searcher`]; each query is run once to warm
//! up, then `--runs` times, each run timed from the query text to the ranked
//! hits with their snippets (what `lede query` does before printing).
//!
//! Output on stdout: one line per query, `ms_p50<TAB>matched<TAB>query`, then a
//! summary line `open_ms=.. queries=.. runs=.. p50_ms=.. p99_ms=.. max_ms=..`
//! over every timed run. A query lede rejects, or an index that cannot be
//! opened, stops the run with a message on stderr and exit code 2.
//!
//! ```sh
//! cargo run --release --example latency -- --index .lede scripts/bench-queries.txt
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use lede::search::{Filters, Request, Searcher, Sort};

/// Times queries against an open index.
#[derive(Debug, Parser)]
struct Args {
    /// The index folder.
    #[arg(long)]
    index: PathBuf,
    /// Timed runs of each query (after one warm-up run).
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Hits per query, as `lede query -n`.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
    /// The query file.
    queries: PathBuf,
}

/// The allocator of the `lede` binary, so that timings match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(report) => {
            let _ = std::io::stdout().write_all(report.as_bytes());
            ExitCode::SUCCESS
        }
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "latency: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> anyhow::Result<String> {
    anyhow::ensure!(args.runs >= 1, "--runs must be at least 1");
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("reading {}", args.queries.display()))?;
    let queries: Vec<&str> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    anyhow::ensure!(!queries.is_empty(), "no queries in {}", args.queries.display());

    let opened = Instant::now();
    let searcher = Searcher::open(&args.index)?;
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;

    let mut report = String::new();
    let mut all = Vec::with_capacity(queries.len() * args.runs);
    for query in &queries {
        let request = Request {
            query: (*query).to_owned(),
            limit: args.limit,
            offset: 0,
            filters: Filters::default(),
            sort: Sort::Score,
            fold_duplicates: true,
        };
        let (_, summary) = searcher.search(&request).with_context(|| format!("query {query:?}"))?;
        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            let start = Instant::now();
            let (hits, _) = searcher.search(&request)?;
            times.push(start.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(hits);
        }
        times.sort_by(f64::total_cmp);
        report.push_str(&format!(
            "{:.3}\t{}\t{query}\n",
            percentile(&times, 50.0),
            summary.matched
        ));
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    report.push_str(&format!(
        "open_ms={open_ms:.3} queries={} runs={} p50_ms={:.3} p99_ms={:.3} max_ms={:.3}\n",
        queries.len(),
        args.runs,
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        all.last().copied().unwrap_or_default(),
    ));
    Ok(report)
}

/// The nearest-rank percentile of sorted samples (0 for none).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
