//! `lede entities`: the most-mentioned entities, over the whole index or the
//! passages matching a query.

use std::io::{self, Write};

use serde::Serialize;

use crate::ExitStatus;
use crate::config::EntitiesConfig;
use crate::index;
use crate::model::EntityKind;
use crate::output::json::write_line;
use crate::search::{Filters, Searcher};

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: EntityKind,
    passages: u64,
}

pub(super) fn run(config: &EntitiesConfig) -> anyhow::Result<ExitStatus> {
    let dir = index::locate(config.index_dir.as_deref())?;
    let searcher = Searcher::open(&dir)?;
    let counts =
        searcher.entity_counts(&config.query, &Filters::default(), config.kind, config.top)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (name, kind, passages) in &counts {
        if config.json {
            write_line(&mut out, &Row { name, kind: *kind, passages: *passages })?;
        } else {
            writeln!(out, "{passages:>7}  {:<8} {name}", kind.as_str())?;
        }
    }
    out.flush()?;
    Ok(if counts.is_empty() { ExitStatus::NoMatch } else { ExitStatus::Success })
}
