//! Stage 2 of `index`: a file → its records.
//!
//! Input: a path. Output: the [`RawRecord`]s the file holds (one for a page,
//! many for a JSON Lines dump or a WARC), each with its format, raw bytes and
//! whatever the container says about it (URL, title, date, charset), plus the
//! problems met in records that could not be read (a malformed JSON line).
//!
//! The kind of file is decided by its name (`.txt`, `.md`, `.html`, `.htm`,
//! `.jsonl`, `.ndjson`, `.json`, `.warc`, each optionally `.gz`). A file that
//! cannot be read at all is a [`ReadError`]: either skipped (too large, binary,
//! empty) or failed (I/O error, broken gzip); the caller reports it and goes on.

use std::fs;
use std::path::Path;

use crate::model::{Format, LineMap, Meta, RawRecord};

/// Settings for reading files.
#[derive(Clone, Debug)]
pub struct ReadConfig {
    /// Files larger than this many bytes are skipped.
    pub max_filesize: u64,
}

impl Default for ReadConfig {
    fn default() -> ReadConfig {
        ReadConfig { max_filesize: 64 * 1024 * 1024 }
    }
}

/// What a file held.
#[derive(Debug, Default)]
pub struct ReadOutput {
    /// The records, in file order.
    pub records: Vec<RawRecord>,
    /// Records that could not be read; the others are still returned.
    pub problems: Vec<Problem>,
}

/// A record that could not be read.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Problem {
    /// Where in the file: "line 12", "record at byte 4096".
    pub location: String,
    /// What was wrong.
    pub reason: String,
}

/// Why a whole file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not an error: the file has nothing to index (empty, binary, too large).
    Skipped(String),
    /// The file could not be read (I/O error, corrupt compression).
    Failed(anyhow::Error),
}

/// The kinds of file lede reads.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Kind {
    /// One page of flattened text.
    Text,
    /// One HTML page.
    Html,
}

/// The kind of `path`, from its name; `None` for files lede does not read.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "text" => Some(Kind::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(Kind::Html),
        _ => None,
    }
}

/// Reads the records of one file.
pub fn read_file(path: &Path, config: &ReadConfig) -> Result<ReadOutput, ReadError> {
    let kind = kind_of(path).ok_or_else(|| ReadError::Skipped("not a kind of file lede reads".into()))?;
    let meta = fs::metadata(path).map_err(|err| ReadError::Failed(err.into()))?;
    if meta.len() > config.max_filesize {
        return Err(ReadError::Skipped(format!(
            "larger than --max-filesize ({} > {} bytes)",
            meta.len(),
            config.max_filesize
        )));
    }
    let bytes = fs::read(path).map_err(|err| ReadError::Failed(err.into()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Skipped("empty".into()));
    }
    if looks_binary(&bytes) {
        return Err(ReadError::Skipped("binary file".into()));
    }
    let format = match kind {
        Kind::Text => Format::Text,
        Kind::Html => Format::Html,
    };
    let record = RawRecord {
        record: None,
        lines: LineMap::Offset { first: 1 },
        format,
        body: bytes,
        charset: None,
        meta: Meta::default(),
    };
    Ok(ReadOutput { records: vec![record], problems: Vec::new() })
}

/// A NUL byte in the first 8 KiB, as grep and ripgrep decide (UTF-16 with a BOM excepted).
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes[..bytes.len().min(8192)].contains(&0)
}
