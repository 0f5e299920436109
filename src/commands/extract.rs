//! `lede extract`: the index pipeline without the index, template learning
//! over the files given included. Records are printed
//! in path order whatever the thread count; problems go to stderr.

use std::io::{self, BufWriter, Write};

use anyhow::Context;
use rayon::prelude::*;

use super::{learn_templates, warn};
use crate::ExitStatus;
use crate::clean::template::Learner;
use crate::config::ExtractConfig;
use crate::corpus;
use crate::output::extract as print;
use crate::read::ReadError;

/// Files processed at once: bounds memory while keeping output in order.
const BATCH_FILES: usize = 256;

pub(super) fn run(config: &ExtractConfig) -> anyhow::Result<ExitStatus> {
    let walk = corpus::walk(&config.paths, None, config.read.hidden);
    let mut failed = walk.problems.len();
    for (path, reason) in &walk.problems {
        warn(format_args!("{}: {reason}", path.display()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.read.threads)
        .build()
        .context("starting worker threads")?;
    let pipeline = &config.read.pipeline;
    let paths: Vec<&std::path::Path> = walk.files.iter().map(|p| p.as_path()).collect();
    let templates = learn_templates(pipeline, &paths, &pool, Learner::new());
    let mut out = BufWriter::new(io::stdout().lock());
    let mut printed = 0usize;
    for batch in walk.files.chunks(BATCH_FILES) {
        let results: Vec<_> = pool.install(|| {
            batch.par_iter().map(|path| pipeline.process(path, Some(&templates))).collect()
        });
        for result in results {
            match &result.error {
                Some(ReadError::Skipped(reason)) => {
                    warn(format_args!("{}: skipped: {reason}", result.path));
                }
                Some(ReadError::Failed(err)) => {
                    warn(format_args!("{}: {err:#}", result.path));
                    failed += 1;
                }
                None => {}
            }
            if let Some(failure) = &result.failure {
                warn(format_args!("{}: {failure:#}", result.path));
                failed += 1;
            }
            for problem in &result.problems {
                warn(format_args!("{}: {}: {}", result.path, problem.location, problem.reason));
                if !problem.reason.contains("replaced with U+FFFD") {
                    failed += 1;
                }
            }
            for article in &result.articles {
                if config.json {
                    print::json(&mut out, article, config.explain)?;
                } else {
                    print::text(&mut out, article, config.explain, config.style)?;
                }
                printed += 1;
            }
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitStatus::Error
    } else if printed == 0 {
        ExitStatus::NoMatch
    } else {
        ExitStatus::Success
    })
}
