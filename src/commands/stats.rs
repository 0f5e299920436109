//! `lede stats`: what is in the index.

use std::io::{self, Write};
use std::path::Path;

use crate::ExitStatus;
use crate::index;
use crate::output::json::write_line;
use crate::search::Searcher;

pub(super) fn run(explicit: Option<&Path>, json: bool) -> anyhow::Result<ExitStatus> {
    let dir = index::locate(explicit)?;
    let stats = Searcher::open(&dir)?.stats()?;
    let mut out = io::stdout().lock();
    if json {
        write_line(&mut out, &stats)?;
    } else {
        writeln!(out, "index      {}", dir.display())?;
        writeln!(out, "files      {}", stats.files)?;
        writeln!(out, "documents  {}", stats.documents)?;
        writeln!(out, "passages   {}", stats.passages)?;
        writeln!(out, "segments   {}", stats.segments)?;
        if let Some((oldest, newest)) = &stats.published {
            writeln!(out, "published  {oldest} .. {newest}")?;
        }
        let list = |pairs: &[(String, u64)]| {
            pairs.iter().map(|(k, n)| format!("{k} ({n})")).collect::<Vec<_>>().join(", ")
        };
        if !stats.langs.is_empty() {
            writeln!(out, "languages  {}", list(&stats.langs))?;
        }
        if !stats.sites.is_empty() {
            writeln!(out, "sites      {}", list(&stats.sites))?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
