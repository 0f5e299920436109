//! Settings resolved from the command line, validated once. Stages never see
//! clap's types; they get these.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, bail, ensure};

use crate::cli::{
    ColorChoice, EntitiesArgs, ExtractArgs, IndexArgs, QueryArgs, ReadArgs, SortOrder,
};
use crate::model::EntityKind;
use crate::output::Style;
use crate::pipeline::{Pipeline, normalise_date};
use crate::read::ReadConfig;
use crate::search::{Filters, NumRange, Request, Sort};

/// Settings shared by the commands that read pages.
#[derive(Debug)]
pub struct ReadSettings {
    /// Worker threads.
    pub threads: usize,
    /// Read hidden files and folders.
    pub hidden: bool,
    /// The stages.
    pub pipeline: Pipeline,
}

impl ReadSettings {
    fn from_args(args: ReadArgs) -> anyhow::Result<ReadSettings> {
        let ReadArgs { threads, max_filesize, hidden, fields } = args;
        let read = ReadConfig {
            max_filesize: parse_size(&max_filesize)
                .with_context(|| format!("invalid --max-filesize {max_filesize:?}"))?,
            fields: fields
                .iter()
                .map(|spec| ReadConfig::parse_field(spec))
                .collect::<Result<_, _>>()
                .map_err(|err| anyhow::anyhow!("invalid --field: {err}"))?,
        };
        let pipeline = Pipeline { read, ..Pipeline::default() };
        Ok(ReadSettings { threads: resolve_threads(threads), hidden, pipeline })
    }
}

/// `lede index`.
#[derive(Debug)]
pub struct IndexConfig {
    /// What to index.
    pub paths: Vec<PathBuf>,
    /// Where the index goes.
    pub index_dir: PathBuf,
    /// Reading and processing.
    pub read: ReadSettings,
    /// Rebuild from scratch.
    pub full: bool,
    /// Most files per commit.
    pub commit_every: usize,
    /// Most bytes of input files per commit.
    pub commit_bytes: u64,
    /// Writer memory in bytes.
    pub heap_bytes: usize,
    /// Writer threads.
    pub writer_threads: usize,
    /// No summary, no progress.
    pub quiet: bool,
    /// Show a progress bar (stderr is a terminal and not quiet).
    pub progress: bool,
}

impl IndexConfig {
    /// Validates `lede index` arguments.
    pub fn from_args(args: IndexArgs) -> anyhow::Result<IndexConfig> {
        let IndexArgs { paths, location, read, full, commit_every, commit_mib, heap_mib, quiet } =
            args;
        ensure!(commit_every >= 1, "--commit-every must be at least 1");
        ensure!(commit_mib >= 1, "--commit-mib must be at least 1");
        ensure!(heap_mib >= 16, "--heap-mib must be at least 16");
        let read = ReadSettings::from_args(read)?;
        let writer_threads = read.threads.min(heap_mib / 16).clamp(1, 8);
        Ok(IndexConfig {
            paths,
            index_dir: location.index.unwrap_or_else(|| PathBuf::from(".lede")),
            read,
            full,
            commit_every,
            commit_bytes: commit_mib.saturating_mul(1024 * 1024),
            heap_bytes: heap_mib * 1024 * 1024,
            writer_threads,
            quiet,
            progress: !quiet && std::io::stderr().is_terminal(),
        })
    }
}

/// `lede query`.
#[derive(Debug)]
pub struct QueryConfig {
    /// `--index` or `$LEDE_INDEX`, if given.
    pub index_dir: Option<PathBuf>,
    /// The search.
    pub request: Request,
    /// JSON Lines instead of text.
    pub json: bool,
    /// Colours.
    pub style: Style,
}

impl QueryConfig {
    /// Validates `lede query` arguments.
    pub fn from_args(args: QueryArgs) -> anyhow::Result<QueryConfig> {
        let QueryArgs {
            query,
            location,
            json,
            limit,
            offset,
            entity,
            site,
            lang,
            since,
            until,
            money,
            percent,
            count,
            sort,
            all_duplicates,
            color,
        } = args;
        let filters = Filters {
            entities: entity,
            sites: site,
            lang,
            since: since.as_deref().map(|d| parse_date(d, "--since")).transpose()?,
            until: until.as_deref().map(|d| parse_date_end(d, "--until")).transpose()?,
            money: money.as_deref().map(NumRange::parse).transpose()?,
            percent: percent.as_deref().map(NumRange::parse).transpose()?,
            count: count.as_deref().map(NumRange::parse).transpose()?,
        };
        let request = Request {
            query: query.join(" "),
            limit,
            offset,
            filters,
            sort: match sort {
                SortOrder::Score => Sort::Score,
                SortOrder::Date => Sort::Date,
            },
            fold_duplicates: !all_duplicates,
        };
        Ok(QueryConfig { index_dir: location.index, request, json, style: style(color) })
    }
}

/// `lede extract`.
#[derive(Debug)]
pub struct ExtractConfig {
    /// What to extract.
    pub paths: Vec<PathBuf>,
    /// Reading and processing.
    pub read: ReadSettings,
    /// JSON instead of text.
    pub json: bool,
    /// List dropped lines.
    pub explain: bool,
    /// Colours.
    pub style: Style,
}

impl ExtractConfig {
    /// Validates `lede extract` arguments.
    pub fn from_args(args: ExtractArgs) -> anyhow::Result<ExtractConfig> {
        let ExtractArgs { paths, read, json, explain } = args;
        Ok(ExtractConfig {
            paths,
            read: ReadSettings::from_args(read)?,
            json,
            explain,
            style: style(ColorChoice::Auto),
        })
    }
}

/// `lede entities`.
#[derive(Debug)]
pub struct EntitiesConfig {
    /// `--index` or `$LEDE_INDEX`, if given.
    pub index_dir: Option<PathBuf>,
    /// Count over the passages matching this (all when empty).
    pub query: String,
    /// Only this type.
    pub kind: Option<EntityKind>,
    /// How many.
    pub top: usize,
    /// JSON Lines.
    pub json: bool,
}

impl EntitiesConfig {
    /// Validates `lede entities` arguments.
    pub fn from_args(args: EntitiesArgs) -> anyhow::Result<EntitiesConfig> {
        let EntitiesArgs { query, location, kind, top, json } = args;
        let kind = match kind {
            Some(name) => Some(
                EntityKind::parse(&name)
                    .with_context(|| format!("unknown entity type {name:?}"))?,
            ),
            None => None,
        };
        Ok(EntitiesConfig { index_dir: location.index, query: query.join(" "), kind, top, json })
    }
}

/// Colour when asked, or on a terminal without `NO_COLOR`.
fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    Style { color }
}

fn resolve_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// `64M`, `1G`, `500K`, `1000` → bytes.
pub fn parse_size(text: &str) -> anyhow::Result<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, suffix) = text.split_at(split);
    let value: u64 = digits.parse().context("expected a number such as 64M")?;
    let scale: u64 = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        other => bail!("unknown size suffix {other:?} (use K, M or G)"),
    };
    value.checked_mul(scale).context("size too large")
}

fn parse_date(text: &str, flag: &str) -> anyhow::Result<i64> {
    let normalised = normalise_date(text).with_context(|| {
        format!("invalid {flag} {text:?}: write YYYY-MM-DD or an RFC 3339 date")
    })?;
    Ok(chrono::DateTime::parse_from_rfc3339(&normalised)?.timestamp())
}

/// Like [`parse_date`], but a bare day means its end: `--until 2025-10-28`
/// includes articles of that day.
fn parse_date_end(text: &str, flag: &str) -> anyhow::Result<i64> {
    let secs = parse_date(text, flag)?;
    let bare_day = text.trim().len() <= 10;
    Ok(if bare_day { secs + 86_399 } else { secs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M").unwrap(), 64 << 20);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("2g").unwrap(), 2 << 30);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
    }

    #[test]
    fn until_includes_the_whole_day() {
        let since = parse_date("2025-10-28", "--since").unwrap();
        let until = parse_date_end("2025-10-28", "--until").unwrap();
        assert_eq!(until - since, 86_399);
        assert!(parse_date("soon", "--since").is_err());
    }
}
