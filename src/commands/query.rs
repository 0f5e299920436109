//! `lede query`: open the index, search, print; exit 0 when something matched.

use std::io::{self, BufWriter};

use crate::ExitStatus;
use crate::config::QueryConfig;
use crate::index;
use crate::output::Printer;
use crate::output::json::JsonPrinter;
use crate::output::text::TextPrinter;
use crate::search::Searcher;

pub(super) fn run(config: &QueryConfig) -> anyhow::Result<ExitStatus> {
    let dir = index::locate(config.index_dir.as_deref())?;
    let searcher = Searcher::open(&dir)?;
    let (hits, summary) = searcher.search(&config.request)?;
    let stdout = io::stdout().lock();
    let mut printer: Box<dyn Printer> = if config.json {
        Box::new(JsonPrinter::new(BufWriter::new(stdout)))
    } else {
        Box::new(TextPrinter::new(BufWriter::new(stdout), config.style))
    };
    for hit in &hits {
        printer.hit(hit)?;
    }
    printer.finish(&summary)?;
    Ok(if summary.matched > 0 { ExitStatus::Success } else { ExitStatus::NoMatch })
}
