//! Learns site templates from a folder of pages and shows what they flag.
//!
//! ```text
//! cargo run --release --example learn_templates -- [--show N] [--flagged OUT] PATH...
//! ```
//!
//! The `.html`, `.htm` and `.txt` files under each PATH are observed as
//! `lede index` observes them: with their folder as the site key (for files
//! without a URL), and at most a sample of each large folder.
//! Prints, per site: distinct pages, template lines, and how many of the
//! site's page lines the template flags; then, with `--show N`, the N most
//! frequent flagged lines with the number of pages holding them, so that a
//! person can check that no article text is among them; with `--flagged
//! OUT`, every flagged line as `path<TAB>line` in OUT. Ends with the time
//! spent learning.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use lede::clean::template::{Learner, learning_sample, page_lines};
use lede::decode::decode;
use lede::model::Format;

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut show = 0usize;
    let mut flagged_out: Option<String> = None;
    loop {
        match args.first().map(String::as_str) {
            Some("--show") => {
                show = args.get(1).and_then(|n| n.parse().ok()).context("--show takes a number")?;
                args.drain(..2);
            }
            Some("--flagged") => {
                flagged_out = Some(args.get(1).context("--flagged takes a file")?.clone());
                args.drain(..2);
            }
            _ => break,
        }
    }
    if args.is_empty() {
        bail!("usage: learn_templates [--show N] [--flagged OUT] PATH...");
    }
    let mut pages: Vec<(String, String, String)> = Vec::new();
    for root in &args {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry?;
            let path = entry.path();
            let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
            let format = match ext.as_deref() {
                Some("html" | "htm") => Format::Html,
                Some("txt") => Format::Text,
                _ => continue,
            };
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let shown = path.to_string_lossy().into_owned();
            pages.push((shown, folder(path), decode(&bytes, None, format).text));
        }
    }
    // Learn from the files `lede index` would read in pass 1; flag on all.
    let paths: Vec<&Path> = pages.iter().map(|(path, ..)| Path::new(path.as_str())).collect();
    let sampled: HashSet<&Path> = learning_sample(&paths).into_iter().collect();
    let started = Instant::now();
    let mut learner = Learner::new();
    for (path, site, page) in &pages {
        if sampled.contains(Path::new(path.as_str())) {
            learner.observe(site, page);
        }
    }
    let templates = learner.finish();
    let learning = started.elapsed();

    let mut out = std::io::stdout().lock();
    let mut flagged: BTreeMap<&str, HashMap<String, usize>> = BTreeMap::new();
    let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut flagged_lines = String::new();
    for (path, site, page) in &pages {
        let Some(template) = templates.site(site) else { continue };
        let mut seen: Vec<String> = Vec::new();
        for line in page_lines(page) {
            let total = totals.entry(site).or_default();
            total.0 += 1;
            if template.contains(&line) {
                total.1 += 1;
                let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
                flagged_lines.push_str(&format!("{path}\t{line}\n"));
                if !seen.contains(&line) {
                    *flagged.entry(site).or_default().entry(line.clone()).or_default() += 1;
                    seen.push(line);
                }
            }
        }
    }
    if let Some(out) = &flagged_out {
        std::fs::write(out, &flagged_lines).with_context(|| format!("writing {out}"))?;
    }
    for (site, (lines, hits)) in &totals {
        let template = templates.site(site).context("learned site")?;
        writeln!(
            out,
            "{site}: {} pages, {} template lines, {hits} of {lines} page lines flagged",
            template.pages(),
            template.template_lines()
        )?;
        let mut top: Vec<(&String, &usize)> = flagged.get(site).into_iter().flatten().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (line, n) in top.into_iter().take(show) {
            let short: String = line.chars().take(100).collect();
            writeln!(out, "  {n:>6}  {short}")?;
        }
    }
    writeln!(
        out,
        "learned from {} pages of {} sites in {:.2} s",
        pages.len(),
        templates.sites(),
        learning.as_secs_f64()
    )?;
    Ok(())
}

/// The site key of a file without a URL: its folder.
fn folder(path: &Path) -> String {
    path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}
