//! The per-record stages chained: read → decode → clean → extract → split.
//!
//! Input: one file path (and what the corpus pass learned about templates).
//! Output: a [`FileResult`] with one [`Article`] per record that had text
//! left after cleaning, and every problem met, as data. Nothing here prints
//! or fails the run: `index` and `extract` decide what to report. A panic in
//! a stage (a bug) is caught and reported as a failure of that file.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::clean::Cleaner;
use crate::clean::template::{Learner, Templates};
use crate::decode::decode_vec;
use crate::extract::Extractor;
use crate::hash::{FNV_OFFSET, fnv1a_byte, fnv1a_from};
use crate::model::{Article, RawRecord};
use crate::passage::{self, PassageConfig};
use crate::read::{self, Problem, ReadConfig, ReadError, ReadOutput};

/// The stages, built once and shared by all worker threads.
#[derive(Debug, Default)]
pub struct Pipeline {
    /// How files are read.
    pub read: ReadConfig,
    /// Boilerplate removal.
    pub cleaner: Cleaner,
    /// Entities and figures.
    pub extractor: Extractor,
    /// Passage sizes.
    pub passage: PassageConfig,
}

/// What became of one file.
#[derive(Debug)]
pub struct FileResult {
    /// The file's path as shown to the user and stored in the index.
    pub path: String,
    /// Articles with text, in record order.
    pub articles: Vec<Article>,
    /// Records that had no text after cleaning.
    pub empty_records: usize,
    /// Records that could not be read, and records decoded with replacement characters.
    pub problems: Vec<Problem>,
    /// Why the whole file was not read, if it was not.
    pub error: Option<ReadError>,
    /// Why the file broke part-way (a truncated gzip): the records before
    /// the break are in `articles`, but the file counts as failed.
    pub failure: Option<anyhow::Error>,
}

impl Pipeline {
    /// Runs every stage over one file.
    pub fn process(&self, path: &Path, templates: Option<&Templates>) -> FileResult {
        self.process_read(path, read::read_file(path, &self.read), templates)
    }

    /// As [`Pipeline::process`], and the xxh3 hash of the file's bytes (for
    /// the manifest), computed from the bytes read for parsing: the file is
    /// read once. The hash is an error when the file could not be read whole.
    pub fn process_hashed(
        &self,
        path: &Path,
        templates: Option<&Templates>,
    ) -> (FileResult, std::io::Result<u64>) {
        let (output, hash) = read::read_file_hashed(path, &self.read);
        (self.process_read(path, output, templates), hash)
    }

    /// The stages after reading, over what reading `path` gave.
    fn process_read(
        &self,
        path: &Path,
        output: Result<ReadOutput, ReadError>,
        templates: Option<&Templates>,
    ) -> FileResult {
        let shown = display_path(path);
        let mut result = FileResult {
            path: shown.clone(),
            articles: Vec::new(),
            empty_records: 0,
            problems: Vec::new(),
            error: None,
            failure: None,
        };
        let output = match output {
            Ok(output) => output,
            Err(err) => {
                result.error = Some(err);
                return result;
            }
        };
        result.problems = output.problems;
        result.failure = output.failure;
        let folder = site_folder(path);
        for raw in output.records {
            let location = raw.record.map(|r| format!("record {r}"));
            let run =
                catch_unwind(AssertUnwindSafe(|| self.article(&shown, &folder, raw, templates)));
            match run {
                Ok((article, lossy)) => {
                    if let Some(encoding) = lossy {
                        result.problems.push(Problem {
                            location: location.unwrap_or_else(|| "file".into()),
                            reason: format!("bytes invalid in {encoding}, replaced with U+FFFD"),
                        });
                    }
                    match article {
                        Some(article) => result.articles.push(article),
                        None => result.empty_records += 1,
                    }
                }
                Err(_) => result.problems.push(Problem {
                    location: location.unwrap_or_else(|| "file".into()),
                    reason: "internal error while processing (a bug in lede; please report it)"
                        .into(),
                }),
            }
        }
        result
    }

    /// Pass 1 of template learning for one file, counted into `learner`
    /// (which may have seen other files). Observing a group of files with one
    /// learner is exact; merging learners is linear in what they hold, so
    /// callers merge one learner per group of files, not one per file.
    pub fn observe(&self, path: &Path, learner: &mut Learner) {
        let folder = site_folder(path);
        let _ = read::read_records(path, &self.read, &mut |raw| {
            let decoded = decode_vec(raw.body, raw.charset.as_deref(), raw.format);
            let site = raw.meta.url.as_deref().and_then(host).unwrap_or(&folder);
            learner.observe(site, &decoded.text);
        });
    }

    /// Runs decode, clean, extract and split over one record. `None` when
    /// nothing is left after cleaning. The second value names the charset
    /// when decoding had to replace bytes.
    pub fn article(
        &self,
        path: &str,
        folder: &str,
        raw: RawRecord,
        templates: Option<&Templates>,
    ) -> (Option<Article>, Option<&'static str>) {
        let decoded = decode_vec(raw.body, raw.charset.as_deref(), raw.format);
        let lossy = decoded.lossy.then_some(decoded.encoding);
        let url_hint = raw.meta.url.clone();
        let site_key = url_hint.as_deref().and_then(host).unwrap_or(folder);
        let template = templates.and_then(|t| t.site(site_key));
        let mut cleaned = self.cleaner.clean(&decoded.text, raw.format, template);
        // What the container said wins over what the page says.
        if raw.meta.title.is_some() {
            cleaned.title = raw.meta.title;
        }
        if let Some(published) = raw
            .meta
            .published
            .or_else(|| if cleaned.published.is_none() { raw.meta.fetched } else { None })
        {
            cleaned.published = Some(published);
        }
        if let Some(url) = raw.meta.url {
            cleaned.url = Some(url);
        }
        cleaned.published = cleaned.published.as_deref().and_then(normalise_date);
        if cleaned.text.is_empty() {
            return (None, lossy);
        }
        let annotations = self.extractor.extract(&cleaned.text, cleaned.title.as_deref());
        let passages = passage::split(&cleaned, &self.passage);
        let site = cleaned.url.as_deref().and_then(host).map(str::to_owned);
        let article = Article {
            doc: doc_id(path, raw.record),
            path: path.to_owned(),
            record: raw.record,
            lines: raw.lines,
            url: cleaned.url.clone(),
            site,
            encoding: decoded.encoding,
            lossy: decoded.lossy,
            cleaned,
            annotations,
            passages,
        };
        (Some(article), lossy)
    }
}

/// A path as lede shows and stores it: as given, without a leading `./`
/// (`lede index .` stores `a/b.txt`).
pub fn display_path(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).to_string_lossy().into_owned()
}

/// The key that groups pages without a URL for template learning: their folder.
pub fn site_folder(path: &Path) -> String {
    path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Stable document id: FNV-1a over the path and the record, so that ids
/// survive re-runs and do not depend on walk order or thread count.
pub fn doc_id(path: &str, record: Option<u64>) -> u64 {
    let hash = fnv1a_from(FNV_OFFSET, path.as_bytes());
    let hash = fnv1a_byte(hash, 0xFF);
    let hash = fnv1a_from(hash, &record.map_or(u64::MAX, |r| r).to_le_bytes());
    // Keep ids within i64 so that every JSON reader can hold them exactly... up to 2^53.
    hash & ((1 << 53) - 1)
}

/// The host of a URL, lower-cased, without `www.`.
pub fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// Normalises a date as sources write it to RFC 3339 (UTC when no offset is
/// given); `None` when it cannot be read.
pub fn normalise_date(text: &str) -> Option<String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
        }
    }
    for format in
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true));
        }
    }
    let day = text.get(..10).unwrap_or(text);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(day, format) {
            return Some(
                date.and_hms_opt(0, 0, 0)?.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids_are_stable_and_distinct() {
        assert_eq!(doc_id("a/b.txt", None), doc_id("a/b.txt", None));
        assert_ne!(doc_id("a/b.txt", None), doc_id("a/b.txt", Some(1)));
        assert_ne!(doc_id("a/b.txt", Some(1)), doc_id("a/b.txt", Some(2)));
        assert!(doc_id("x", None) < 1 << 53);
    }

    #[test]
    fn hosts() {
        assert_eq!(host("https://www.bbc.co.uk/news/x?y"), Some("bbc.co.uk"));
        assert_eq!(host("http://user@example.com:8080/"), Some("example.com"));
        assert_eq!(host("not a url"), None);
    }

    #[test]
    fn dates() {
        let want = Some("2025-10-28T14:30:00Z".to_owned());
        assert_eq!(normalise_date("2025-10-28T14:30:00Z"), want);
        assert_eq!(normalise_date("2025-10-28T16:30:00+02:00"), want);
        assert_eq!(normalise_date("Tue, 28 Oct 2025 14:30:00 GMT"), want);
        assert_eq!(normalise_date("2025-10-28 14:30:00"), want);
        assert_eq!(normalise_date("2025-10-28"), Some("2025-10-28T00:00:00Z".to_owned()));
        assert_eq!(normalise_date("28.10.2025"), Some("2025-10-28T00:00:00Z".to_owned()));
        assert_eq!(normalise_date("yesterday"), None);
    }
}
