//! Extraction quality and speed of `clean_html` on the evaluation sets.
//!
//! ```text
//! cargo run --release --example eval -- ../shared/corpora/extraction/aeb-dev [SET_DIR...] [--out DIR] [--repeat N]
//! cargo run --release --example eval -- --show[-full] PAGE.html
//! ```
//!
//! With `--repeat N` each page is cleaned N times and its fastest run
//! counts: steadier timings on a busy machine.
//!
//! For each set folder (`pages/<id>.html`, `gold.jsonl`): decodes and cleans
//! every page on one thread, writes `OUT/<set>/<id>.txt` (the body, title
//! excluded), runs `tools/score_extraction.py` (found next to the corpora,
//! or given with `--scorer`), prints its report, and the median and p90
//! milliseconds per page, pages/s and MB/s of `clean_html` alone. A panic
//! on a page is caught, counted and named; the page's prediction is empty.
//! The per-page scores are written to `OUT/<set>.tsv`, and the metadata
//! found on each page (title, date, URL, site, language, tags) to
//! `OUT/<set>.meta.jsonl`.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A command-line report.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use lede::clean::html::clean_html;
use lede::decode::decode;
use lede::model::Format;

/// The allocator of the `lede` binary, so that timings match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("eval: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool> {
    let mut sets = Vec::new();
    let mut out = PathBuf::from("target/eval");
    let mut scorer = None;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().context("--out needs a folder")?),
            "--scorer" => {
                scorer = Some(PathBuf::from(args.next().context("--scorer needs a path")?))
            }
            "--repeat" => {
                repeat = args.next().context("--repeat needs a count")?.parse::<usize>()?.max(1);
            }
            "--show" => {
                show(Path::new(&args.next().context("--show needs a page")?), 220)?;
                return Ok(true);
            }
            "--show-full" => {
                show(Path::new(&args.next().context("--show-full needs a page")?), usize::MAX)?;
                return Ok(true);
            }
            "-h" | "--help" => {
                println!(
                    "usage: eval SET_DIR... [--out DIR] [--repeat N] [--scorer score_extraction.py] | eval --show[-full] PAGE.html"
                );
                return Ok(true);
            }
            _ => sets.push(PathBuf::from(arg)),
        }
    }
    if sets.is_empty() {
        bail!("no set folder given (e.g. ../shared/corpora/extraction/aeb-dev)");
    }
    let mut clean = true;
    for set in &sets {
        clean &= eval_set(set, &out, scorer.as_deref(), repeat)?;
    }
    Ok(clean)
}

fn eval_set(set: &Path, out: &Path, scorer: Option<&Path>, repeat: usize) -> Result<bool> {
    let name = set.file_name().and_then(|n| n.to_str()).context("set folder has no name")?;
    let pred = out.join(name);
    std::fs::create_dir_all(&pred).with_context(|| format!("creating {}", pred.display()))?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(set.join("pages"))
        .with_context(|| format!("reading {}/pages", set.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();

    let mut times = Vec::with_capacity(pages.len());
    let mut bytes_total = 0usize;
    let mut panics = Vec::new();
    let mut meta = String::new();
    // Panics are counted, not printed by the default hook.
    std::panic::set_hook(Box::new(|_| {}));
    for page in &pages {
        let id = page.file_stem().and_then(|s| s.to_str()).context("page without a name")?;
        let bytes = std::fs::read(page).with_context(|| format!("reading {}", page.display()))?;
        let decoded = decode(&bytes, None, Format::Html);
        bytes_total += decoded.text.len();
        let mut fastest = f64::MAX;
        let mut result = None;
        for _ in 0..repeat {
            let start = Instant::now();
            let run = std::panic::catch_unwind(|| clean_html(&decoded.text, None));
            fastest = fastest.min(start.elapsed().as_secs_f64());
            let failed = run.is_err();
            result = Some(run);
            if failed {
                break;
            }
        }
        times.push(fastest);
        let result = result.context("no run")?;
        let text = match result {
            Ok(cleaned) => {
                let row = serde_json::json!({
                    "id": id,
                    "title": cleaned.title,
                    "published": cleaned.published,
                    "url": cleaned.url,
                    "site_name": cleaned.site_name,
                    "lang": cleaned.lang,
                    "tags": cleaned.tags,
                });
                meta.push_str(&row.to_string());
                meta.push('\n');
                cleaned.text
            }
            Err(_) => {
                panics.push(id.to_owned());
                String::new()
            }
        };
        std::fs::write(pred.join(format!("{id}.txt")), text)?;
    }
    let _ = std::panic::take_hook();
    std::fs::write(out.join(format!("{name}.meta.jsonl")), meta)?;

    let scorer = match scorer {
        Some(path) => path.to_path_buf(),
        None => set
            .ancestors()
            .nth(3)
            .map(|shared| shared.join("tools/score_extraction.py"))
            .context("cannot locate tools/score_extraction.py: pass --scorer")?,
    };
    let tsv = out.join(format!("{name}.tsv"));
    let output = Command::new("python3")
        .arg(&scorer)
        .arg(set)
        .arg(&pred)
        .arg("--per-page")
        .arg(&tsv)
        .output()
        .with_context(|| format!("running {}", scorer.display()))?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        bail!("scorer failed on {}", set.display());
    }

    let total: f64 = times.iter().sum();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().unwrap_or(0.0) * 1e3
    };
    println!(
        "{name}: {} pages, clean_html median {:.2} ms, p90 {:.2} ms, max {:.2} ms, {:.0} pages/s, {:.1} MB/s, {} panics",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0),
        times.len() as f64 / total.max(1e-9),
        bytes_total as f64 / 1e6 / total.max(1e-9),
        panics.len()
    );
    for id in &panics {
        println!("  panic: {id}");
    }
    Ok(panics.is_empty())
}

/// Prints what `clean_html` kept and dropped of one page, in source order,
/// each row cut to `width` characters.
fn show(page: &Path, width: usize) -> Result<()> {
    let bytes = std::fs::read(page).with_context(|| format!("reading {}", page.display()))?;
    let decoded = decode(&bytes, None, Format::Html);
    let cleaned = clean_html(&decoded.text, None);
    println!("title: {:?}", cleaned.title);
    println!("published: {:?}  url: {:?}", cleaned.published, cleaned.url);
    println!("site: {:?}  lang: {:?}  tags: {:?}", cleaned.site_name, cleaned.lang, cleaned.tags);
    let mut rows: Vec<(u32, String)> = cleaned
        .blocks
        .iter()
        .map(|b| {
            let text = cleaned.text.get(b.span.start..b.span.end).unwrap_or("");
            (b.lines.start, format!("{:>5}-{:<5} KEEP  {}", b.lines.start, b.lines.end, text))
        })
        .collect();
    rows.extend(cleaned.dropped.iter().map(|d| {
        (
            d.lines.start,
            format!("{:>5}-{:<5} {:<5} {}", d.lines.start, d.lines.end, d.reason.as_str(), d.text),
        )
    }));
    rows.sort_by_key(|(line, _)| *line);
    for (_, row) in rows {
        let short: String = row.chars().take(width).collect();
        println!("{short}");
    }
    Ok(())
}
