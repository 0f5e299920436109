//! Entry point: parse arguments, run one command, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

use lede::{ExitStatus, cli, cli::Cli, commands};

/// mimalloc: html5ever's tree building and tantivy's indexing allocate and free
/// many small objects; on the extraction pages it cleans them about 7% faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(cli::normalize_args(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout (exit 0), usage errors to stderr (exit 2).
            let code = if err.use_stderr() { ExitStatus::Error } else { ExitStatus::Success };
            let _ = err.print();
            return code.into();
        }
    };
    match commands::run(cli) {
        Ok(status) => status.into(),
        // `lede query ... | head` closes our stdout early: that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("lede: {err:#}");
            }
            ExitStatus::Error.into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
