//! Runs the flattened-text cleaner over files and writes what it keeps, for
//! the line scorer and for checking that plain articles lose no words.
//!
//! ```text
//! cargo run --release --example clean_text -- [--learn] [--no-title] OUT_DIR PATH...
//! ```
//!
//! Every `.txt` file under each PATH is cleaned alone (no template; with
//! `--learn`, a template is first learned per folder from the same files) and
//! written to `OUT_DIR/<name>.txt`, where `<name>` is the file's path below
//! the PATH it was found under, with `/` replaced by `_` (a file given
//! directly keeps its own name). The prediction holds the headline as its
//! first line when the cleaner took it from the page's text (dropped as
//! `title`), then the clean body; a title borrowed from an image caption is
//! not written, since it is not part of the article's text. `--no-title`
//! leaves the title out (for `score_extraction.py`, whose gold has none).
//! `OUT_DIR/<name>.dropped` lists the dropped lines with their reasons.
//!
//! On stdout: one line per file whose output lost words of the source (word
//! coverage below 100%), then a summary line: files, source words, words kept
//! (title included), coverage, words lost by drop reason, and the time spent
//! in `clean_text` alone.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use lede::clean::template::{Learner, Templates};
use lede::clean::text::clean_text;
use lede::decode::decode;
use lede::model::{DropReason, Format};

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (mut learn, mut with_title) = (false, true);
    while let Some(flag) = args.first().filter(|a| a.starts_with("--")) {
        match flag.as_str() {
            "--learn" => learn = true,
            "--no-title" => with_title = false,
            other => bail!("unknown option {other}"),
        }
        args.remove(0);
    }
    let [out_dir, inputs @ ..] = args.as_slice() else {
        bail!("usage: clean_text [--learn] [--no-title] OUT_DIR PATH...");
    };
    if inputs.is_empty() {
        bail!("usage: clean_text [--learn] [--no-title] OUT_DIR PATH...");
    }
    let out_dir = PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let files = collect(inputs)?;
    let texts: Vec<(String, PathBuf, String)> = files
        .into_iter()
        .map(|(name, path)| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok((name, path.clone(), decode(&bytes, None, Format::Text).text))
        })
        .collect::<Result<_>>()?;
    let templates = learn.then(|| {
        let mut learner = Learner::new();
        for (_, path, text) in &texts {
            learner.observe(&folder(path), text);
        }
        learner.finish()
    });

    let mut stdout = std::io::stdout().lock();
    let (mut source_words, mut kept_words) = (0usize, 0usize);
    let mut lost_by_reason: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut cleaning, mut bytes) = (Duration::ZERO, 0usize);
    for (name, path, text) in &texts {
        let template = templates.as_ref().and_then(|t: &Templates| t.site(&folder(path)));
        let started = Instant::now();
        let cleaned = clean_text(text, template);
        cleaning += started.elapsed();
        bytes += text.len();
        let mut prediction = String::new();
        let title_in_text = cleaned.dropped.iter().any(|d| d.reason == DropReason::Title);
        if let (Some(title), true) = (&cleaned.title, title_in_text && with_title) {
            prediction.push_str(title);
            prediction.push('\n');
        }
        prediction.push_str(&cleaned.text);
        prediction.push('\n');
        std::fs::write(out_dir.join(format!("{name}.txt")), &prediction)?;
        let mut explain = String::new();
        for dropped in &cleaned.dropped {
            explain.push_str(&format!(
                "{}-{}\t{}\t{}\n",
                dropped.lines.start,
                dropped.lines.end,
                dropped.reason.as_str(),
                dropped.text
            ));
        }
        std::fs::write(out_dir.join(format!("{name}.dropped")), explain)?;

        let source = words(text);
        let kept = words(&prediction);
        let total: usize = source.values().sum();
        let covered: usize =
            source.iter().map(|(w, n)| (*n).min(kept.get(w).copied().unwrap_or(0))).sum();
        source_words += total;
        kept_words += covered;
        if covered < total {
            let mut reasons: Vec<&str> = Vec::new();
            for dropped in cleaned.dropped.iter().filter(|d| d.reason != DropReason::Title) {
                let n = words(&dropped.text).values().sum::<usize>();
                *lost_by_reason.entry(dropped.reason.as_str()).or_default() += n;
                if !reasons.contains(&dropped.reason.as_str()) {
                    reasons.push(dropped.reason.as_str());
                }
            }
            writeln!(
                stdout,
                "{name}: kept {covered}/{total} words; dropped as {}",
                reasons.join(", ")
            )?;
        }
    }
    let coverage = if source_words == 0 { 1.0 } else { kept_words as f64 / source_words as f64 };
    let mb_per_s = bytes as f64 / 1e6 / cleaning.as_secs_f64().max(1e-9);
    writeln!(
        stdout,
        "summary: files {} words {source_words} kept {kept_words} coverage {coverage:.5} \
         lost by reason {lost_by_reason:?} cleaning {:.1} MB in {:.2} s ({mb_per_s:.1} MB/s, one thread)",
        texts.len(),
        bytes as f64 / 1e6,
        cleaning.as_secs_f64(),
    )?;
    Ok(())
}

/// The files to clean, each with its output name.
fn collect(inputs: &[String]) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for input in inputs {
        let root = Path::new(input);
        if root.is_file() {
            let name =
                root.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            files.push((name, root.to_path_buf()));
            continue;
        }
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry?;
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
            let name = rel.to_string_lossy().replace(['/', '\\'], "_");
            files.push((name, path.to_path_buf()));
        }
    }
    Ok(files)
}

/// The site key of a file without a URL: its folder.
fn folder(path: &Path) -> String {
    path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Lower-cased word counts.
fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    counts
}
