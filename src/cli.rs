//! Command-line surface: clap types only. No I/O and no checks beyond clap's
//! own; [`crate::config`] turns these into validated settings.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// A search engine for news dumps: clean pages, find entities and figures,
/// rank passages.
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from files and folders of news pages.
    Index(IndexArgs),
    /// Print the passages that best match a query.
    Query(QueryArgs),
    /// Show what the indexer makes of pages, without indexing them.
    Extract(ExtractArgs),
    /// List the most-mentioned entities, over the index or a query's passages.
    Entities(EntitiesArgs),
    /// Show what is in the index.
    Stats(StatsArgs),
}

/// Where the index is.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index folder [default: ./.lede for `index`; for the others, .lede in
    /// the current folder or a parent].
    #[arg(long, env = "LEDE_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
}

/// Options shared by the commands that read pages (`index`, `extract`).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Worker threads (0: one per core).
    #[arg(short = 'j', long = "threads", default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// Skip files larger than this (bytes; suffixes K, M, G).
    #[arg(long, default_value = "64M", value_name = "SIZE")]
    pub max_filesize: String,
    /// Also read hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Where JSON Lines records keep a field, as NAME=PATH (e.g.
    /// `text=fields.body`); NAME is one of title, text, html, url, date.
    #[arg(long = "field", value_name = "NAME=PATH")]
    pub fields: Vec<String>,
}

/// `lede index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub location: IndexLocation,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadArgs,
    /// Rebuild from scratch instead of updating.
    #[arg(long)]
    pub full: bool,
    /// Commit after at most N files, so that a killed run loses at most that much work.
    #[arg(long, default_value_t = 50_000, value_name = "N")]
    pub commit_every: usize,
    /// Commit after at most this many MiB of input files (whichever of the
    /// two limits comes first).
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub commit_mib: u64,
    /// Memory for tantivy's writer, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub heap_mib: usize,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How to order hits.
#[derive(Clone, Copy, Debug, Eq, PartialEq, ValueEnum)]
pub enum SortOrder {
    /// Best match first.
    Score,
    /// Newest first (undated last).
    Date,
}

/// `lede query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query: words (all must match), "phrases", OR, -word, field:value,
    /// ranges such as money:>=1e9.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub location: IndexLocation,
    /// Print JSON Lines for scripts.
    #[arg(long)]
    pub json: bool,
    /// How many hits to print.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Skip this many hits first (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Only passages mentioning this entity (canonical name); repeatable.
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// Only pages from this site (host); repeatable, any of them.
    #[arg(long, value_name = "HOST")]
    pub site: Vec<String>,
    /// Only articles of this language (en, ru, ...).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Only articles published on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only passages with an amount of money in this range, e.g. '>=1e9'.
    #[arg(long, value_name = "RANGE", allow_hyphen_values = true)]
    pub money: Option<String>,
    /// Only passages with a percentage in this range, e.g. '>10'.
    #[arg(long, value_name = "RANGE", allow_hyphen_values = true)]
    pub percent: Option<String>,
    /// Only passages with a count in this range, e.g. '>=10000'.
    #[arg(long, value_name = "RANGE", allow_hyphen_values = true)]
    pub count: Option<String>,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortOrder::Score)]
    pub sort: SortOrder,
    /// Keep near-identical passages (syndicated copies) instead of folding them.
    #[arg(long)]
    pub all_duplicates: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `lede extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files and folders to run through the pipeline.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadArgs,
    /// Print one JSON object per record.
    #[arg(long)]
    pub json: bool,
    /// Also list every dropped line or block with the reason.
    #[arg(long)]
    pub explain: bool,
}

/// `lede entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Count only over the passages matching this query.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub location: IndexLocation,
    /// Only entities of this type.
    #[arg(long = "type", value_name = "TYPE", value_parser = ["person", "org", "place", "product"])]
    pub kind: Option<String>,
    /// How many to list (`-n` and `--limit`, as for `lede query`).
    #[arg(short = 'n', long, visible_alias = "limit", default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Print JSON Lines for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `lede stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub location: IndexLocation,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Lets query words start with `-` (`lede query Jassy -Galetti`, `lede query '- *'`)
/// while options may still come anywhere (`lede query GPU --json`).
///
/// For `query` and `entities`, the arguments after the subcommand are split
/// into its options (with their values) and everything else; the options go
/// first, then `--`, then the query words in their order. Other commands and
/// argument lists that already hold `--` are returned unchanged.
pub fn normalize_args(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let Some(at) = args.iter().position(|a| a == "query" || a == "entities") else {
        return args;
    };
    // Only when the subcommand is the first word after global options.
    if args[1..at].iter().any(|a| !a.to_string_lossy().starts_with('-'))
        || args.contains(&"--".into())
    {
        return args;
    }
    let Some(sub) = command.find_subcommand(args[at].to_string_lossy().as_ref()) else {
        return args;
    };
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let mut options = Vec::new();
    let mut words = Vec::new();
    let mut rest = args[at + 1..].iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        let known = if text == "-h" || text == "--help" {
            Some(false)
        } else if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            sub.get_arguments()
                .find(|a| {
                    a.get_long() == Some(name)
                        || a.get_all_aliases().is_some_and(|aliases| aliases.contains(&name))
                })
                .map(|a| takes_value(a) && !long.contains('='))
        } else if let Some(short) = text.strip_prefix('-').filter(|s| s.chars().count() == 1) {
            let c = short.chars().next();
            sub.get_arguments().find(|a| a.get_short() == c).map(takes_value)
        } else {
            None
        };
        match known {
            Some(needs_value) => {
                options.push(arg.clone());
                if needs_value && let Some(value) = rest.next() {
                    options.push(value.clone());
                }
            }
            None => words.push(arg.clone()),
        }
    }
    let mut out: Vec<OsString> = args[..=at].to_vec();
    out.extend(options);
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn normalized(args: &str) -> String {
        let args: Vec<OsString> = args.split(' ').map(OsString::from).collect();
        normalize_args(args)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn query_words_may_start_with_a_hyphen() {
        assert_eq!(
            normalized("lede query Jassy -Galetti --json"),
            "lede query --json -- Jassy -Galetti"
        );
        assert_eq!(normalized("lede query -n 3 GPU"), "lede query -n 3 -- GPU");
        assert_eq!(normalized("lede query --limit=3 -x"), "lede query --limit=3 -- -x");
        assert_eq!(
            normalized("lede query --money >=1e9 Amazon"),
            "lede query --money >=1e9 -- Amazon"
        );
        assert_eq!(normalized("lede query -- -x --json"), "lede query -- -x --json");
        assert_eq!(normalized("lede index corpus -j 2"), "lede index corpus -j 2");
        let parsed = Cli::try_parse_from(normalize_args(
            ["lede", "query", "Jassy", "-Galetti", "--json"].map(OsString::from).to_vec(),
        ))
        .unwrap();
        let Command::Query(args) = parsed.command else { panic!("not a query") };
        assert!(args.json);
        assert_eq!(args.query, ["Jassy", "-Galetti"]);
    }

    #[test]
    fn entities_take_the_query_limit_options() {
        assert_eq!(normalized("lede entities -n 5"), "lede entities -n 5");
        assert_eq!(
            normalized("lede entities layoffs --limit 3"),
            "lede entities --limit 3 -- layoffs"
        );
        for args in ["lede entities -n 5", "lede entities --limit 5", "lede entities --top=5 AI"] {
            let parsed =
                Cli::try_parse_from(normalize_args(args.split(' ').map(OsString::from).collect()))
                    .unwrap();
            let Command::Entities(entities) = parsed.command else { panic!("not entities") };
            assert_eq!(entities.top, 5, "{args}");
        }
    }
}
