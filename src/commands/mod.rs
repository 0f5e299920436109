//! One module per subcommand; `run` dispatches.

use crate::ExitStatus;
use crate::cli::Cli;

/// Runs the command the user asked for.
pub fn run(_cli: Cli) -> anyhow::Result<ExitStatus> {
    Ok(ExitStatus::Success)
}
