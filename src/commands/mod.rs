//! One module per subcommand. `run` turns clap's arguments into settings
//! ([`crate::config`]) and dispatches; each command returns how it ended.
//! Only this module and `main.rs` write to stderr (through `warn` and `say`).

mod entities;
mod extract;
mod index;
mod query;
mod stats;

use crate::ExitStatus;
use crate::cli::{Cli, Command};
use crate::config::{EntitiesConfig, ExtractConfig, IndexConfig, QueryConfig};

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
