//! One module per subcommand. `run` turns clap's arguments into settings
//! ([`crate::config`]) and dispatches; each command returns how it ended.
//! Only this module and `main.rs` write to stderr (through `warn` and `say`).

mod entities;
mod extract;
mod index;
mod query;
mod stats;

use std::path::Path;

use crate::ExitStatus;
use crate::clean::template::{Learner, Templates, learning_sample};
use crate::cli::{Cli, Command};
use crate::config::{EntitiesConfig, ExtractConfig, IndexConfig, QueryConfig};
use crate::pipeline::Pipeline;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Index(args) => index::run(&IndexConfig::from_args(args)?),
        Command::Query(args) => query::run(&QueryConfig::from_args(args)?),
        Command::Extract(args) => extract::run(&ExtractConfig::from_args(args)?),
        Command::Entities(args) => entities::run(&EntitiesConfig::from_args(args)?),
        Command::Stats(args) => stats::run(args.location.index.as_deref(), args.json),
    }
}

/// Pass 1 of `index` and `extract`: learns the template lines of every site
/// from `files` (a sample of each large folder: see
/// [`crate::clean::template::learning_sample`]), continuing from `learner`
/// (what earlier runs learned).
/// Files are read in parallel but merged in path order: what is learned does
/// not depend on the thread count.
pub(crate) fn learn_templates(
    pipeline: &Pipeline,
    files: &[&Path],
    pool: &rayon::ThreadPool,
    mut learner: Learner,
) -> Templates {
    use rayon::prelude::*;
    let files = learning_sample(files);
    // One learner observes a group of files in turn; groups are fixed by path
    // order (not by thread), and merging once per group instead of once per
    // file keeps pass 1 linear: a merge costs what the merged-into learner holds.
    const GROUP: usize = 64;
    for chunk in files.chunks(64 * GROUP) {
        let learned: Vec<Learner> = pool.install(|| {
            chunk
                .par_chunks(GROUP)
                .map(|group| {
                    let mut learner = Learner::new();
                    for path in group {
                        pipeline.observe(path, &mut learner);
                    }
                    learner
                })
                .collect()
        });
        for one in learned {
            learner.merge(one);
        }
    }
    learner.finish()
}

/// Prints a message for people on stderr, prefixed `lede: `.
#[allow(clippy::print_stderr)]
pub(crate) fn warn(message: std::fmt::Arguments<'_>) {
    eprintln!("lede: {message}");
}

/// Prints a line on stderr as is (summaries).
#[allow(clippy::print_stderr)]
pub(crate) fn say(message: std::fmt::Arguments<'_>) {
    eprintln!("{message}");
}
