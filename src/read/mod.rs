//! Stage 2 of `index`: a file → its records.
//!
//! Input: a path and a [`ReadConfig`]. Output: the [`RawRecord`]s the file
//! holds (one for a page, many for a JSON Lines dump or a WARC), each with its
//! format, raw bytes and whatever the container says about it (URL, title,
//! date, charset), plus the [`Problem`]s met in records that could not be read
//! (a malformed JSON line, a WARC record with a bad `Content-Length`); the
//! other records are still returned.
//!
//! The kind of file is decided by its name (`.txt`, `.md`, `.html`, `.htm`,
//! `.jsonl`, `.ndjson`, `.json`, `.warc`, each optionally `.gz`); whether it is
//! gzipped is decided by its first bytes, whatever its name. Dumps are read as
//! a stream: [`read_records`] hands records over one at a time, so a 1 GB
//! `.jsonl.gz` is never held whole; [`read_file`] collects them.
//!
//! Failure behaviour: a file that cannot be read at all is a [`ReadError`]:
//! either skipped (empty, binary, larger than `max_filesize`, a JSON file
//! with no article text in it, a WARC without HTML responses) or failed (I/O
//! error, corrupt gzip, a dump whose every record is broken). A file that
//! breaks part-way (a truncated gzip) returns the records read before the
//! break, with the reason in [`ReadOutput::failure`]; the caller reports the
//! file as failed. `max_filesize` bounds one page: a whole page file, or one
//! record of a dump (a JSON line, a WARC record); dumps themselves may be of
//! any size. Nothing here panics on any input.

mod json;
mod warc;

use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::anyhow;
use flate2::bufread::MultiGzDecoder;

use crate::model::{Format, LineMap, Meta, RawRecord};

/// How many problems one file reports in detail; the rest are counted.
const MAX_PROBLEMS: usize = 100;

/// Bytes looked at to decide that a file is binary.
const SNIFF_LEN: usize = 8192;

/// Settings for reading files.
#[derive(Clone, Debug)]
pub struct ReadConfig {
    /// Pages larger than this many bytes are skipped: a page file (after
    /// decompression), a JSON record or a WARC record.
    pub max_filesize: u64,
    /// Where JSON records keep their fields, when not where lede looks by
    /// default (`--field text=fields.body`). Later entries win.
    pub fields: Vec<(Field, FieldPath)>,
}

impl Default for ReadConfig {
    fn default() -> ReadConfig {
        ReadConfig { max_filesize: 64 * 1024 * 1024, fields: Vec::new() }
    }
}

impl ReadConfig {
    /// Parses a `--field NAME=PATH` value: NAME is one of `title`, `text`,
    /// `html`, `url`, `date`; PATH is a dotted path into a JSON object
    /// (`fields.body`, `content.rendered`, `paragraphs.0`).
    pub fn parse_field(spec: &str) -> Result<(Field, FieldPath), String> {
        let (name, path) = spec
            .split_once('=')
            .ok_or_else(|| format!("expected NAME=PATH (e.g. text=fields.body), got {spec:?}"))?;
        let field = Field::parse(name.trim()).ok_or_else(|| {
            format!("unknown field {:?}: expected one of title, text, html, url, date", name.trim())
        })?;
        Ok((field, FieldPath::parse(path)?))
    }

    /// The override for `field`, if any.
    pub fn field(&self, field: Field) -> Option<&FieldPath> {
        self.fields.iter().rev().find(|(f, _)| *f == field).map(|(_, path)| path)
    }
}

/// A field of a JSON record that `--field` can point at.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Field {
    /// The headline.
    Title,
    /// The article body, plain text or HTML (decided by looking at it).
    Text,
    /// The article body as HTML.
    Html,
    /// The page address.
    Url,
    /// The publication date.
    Date,
}

impl Field {
    /// All fields, in the order `--help` lists them.
    pub const ALL: [Field; 5] = [Field::Title, Field::Text, Field::Html, Field::Url, Field::Date];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Html => "html",
            Field::Url => "url",
            Field::Date => "date",
        }
    }

    /// Parses [`Field::as_str`]'s names, ignoring ASCII case.
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(name))
    }
}

/// A dotted path into a JSON object: `fields.body`. A segment that is a
/// number also indexes arrays (`paragraphs.0`).
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    /// Parses `a.b.c`; empty segments are an error.
    pub fn parse(path: &str) -> Result<FieldPath, String> {
        let path = path.trim();
        let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
        if path.is_empty() || segments.iter().any(String::is_empty) {
            return Err(format!(
                "bad field path {path:?}: expected names joined by dots, e.g. fields.body"
            ));
        }
        Ok(FieldPath(segments))
    }

    /// The segments.
    pub fn segments(&self) -> &[String] {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// What a file held.
#[derive(Debug, Default)]
pub struct ReadOutput {
    /// The records, in file order.
    pub records: Vec<RawRecord>,
    /// Records that could not be read, or were read with a caveat (bytes
    /// replaced); the others are still returned. At most about a hundred are
    /// listed, then one entry counts the rest.
    pub problems: Vec<Problem>,
    /// Records left out on purpose: WARC requests, metadata, non-HTML and
    /// non-2xx responses.
    pub skipped: usize,
    /// Set when the file broke part-way (a truncated gzip, an I/O error):
    /// `records` holds what was read before the break. Report the file as
    /// failed with this reason.
    pub failure: Option<anyhow::Error>,
}

/// What [`read_records`] reports once the records are handed over.
#[derive(Debug, Default)]
pub struct ReadSummary {
    /// Records handed to the sink.
    pub records: usize,
    /// As [`ReadOutput::problems`].
    pub problems: Vec<Problem>,
    /// As [`ReadOutput::skipped`].
    pub skipped: usize,
    /// As [`ReadOutput::failure`].
    pub failure: Option<anyhow::Error>,
}

/// A record that could not be read, or was read with a caveat.
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

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Skipped(reason) => write!(f, "skipped: {reason}"),
            ReadError::Failed(err) => write!(f, "{err:#}"),
        }
    }
}

/// The kinds of file lede reads.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Kind {
    /// One page of flattened text.
    Text,
    /// One HTML page.
    Html,
    /// JSON Lines, or a JSON array of objects: one article per object.
    Json,
    /// A WARC archive: one article per HTML response.
    Warc,
}

/// The kind of `path`, from its name (a `.gz` suffix is looked through);
/// `None` for files lede does not read.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".gzip")).unwrap_or(&name);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    match ext {
        "txt" | "md" | "text" | "markdown" => Some(Kind::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(Kind::Html),
        "jsonl" | "ndjson" | "json" | "jsonlines" => Some(Kind::Json),
        "warc" => Some(Kind::Warc),
        _ => None,
    }
}

/// True for names that promise one JSON value per line (`.jsonl`,
/// `.ndjson`), as opposed to `.json`, which may hold one document over many
/// lines.
fn json_lines_by_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".gzip")).unwrap_or(&name);
    [".jsonl", ".ndjson", ".jsonlines"].iter().any(|ext| name.ends_with(ext))
}

/// Reads the records of one file into memory. See [`read_records`] to
/// stream them instead.
pub fn read_file(path: &Path, config: &ReadConfig) -> Result<ReadOutput, ReadError> {
    let mut records = Vec::new();
    let summary = read_records(path, config, &mut |record| records.push(record))?;
    Ok(ReadOutput {
        records,
        problems: summary.problems,
        skipped: summary.skipped,
        failure: summary.failure,
    })
}

/// Reads one file, handing each record to `sink` as soon as it is read.
///
/// Records are handed over in file order; when the file breaks part-way,
/// those read before the break have been handed over and
/// [`ReadSummary::failure`] says why it stopped. A `ReadError` means no
/// record was handed over.
pub fn read_records(
    path: &Path,
    config: &ReadConfig,
    sink: &mut dyn FnMut(RawRecord),
) -> Result<ReadSummary, ReadError> {
    if kind_of(path).is_none() {
        return Err(not_read());
    }
    let file =
        File::open(path).map_err(|err| ReadError::Failed(anyhow!(err).context("cannot open")))?;
    let size = file.metadata().map(|meta| meta.len());
    read_open(path, file, size, config, sink)
}

/// As [`read_file`], and the xxh3 hash of the file's bytes, computed from
/// the very bytes that were parsed: the file is read once. The hash covers
/// the whole file also when reading stopped early (a skipped or broken
/// file: the rest is read for the hash only). It is an error when the file
/// cannot be opened or read to its end.
pub fn read_file_hashed(
    path: &Path,
    config: &ReadConfig,
) -> (Result<ReadOutput, ReadError>, io::Result<u64>) {
    let file = match File::open(path) {
        Ok(file) => Arc::new(file),
        Err(err) => {
            let kind = err.kind();
            let failed = ReadError::Failed(anyhow!(err).context("cannot open"));
            return (Err(failed), Err(io::Error::from(kind)));
        }
    };
    let hasher = Rc::new(RefCell::new(Hashing::default()));
    let reader = HashingReader { file: Arc::clone(&file), hasher: Rc::clone(&hasher) };
    let size = file.metadata().map(|meta| meta.len());
    let mut records = Vec::new();
    let read = read_open(path, reader, size, config, &mut |record| records.push(record));
    let output = read.map(|summary| ReadOutput {
        records,
        problems: summary.problems,
        skipped: summary.skipped,
        failure: summary.failure,
    });
    // What the parser did not read (it stopped early) is hashed here, from
    // where the parser's reads left the shared file offset.
    let mut rest = HashingReader { file, hasher: Rc::clone(&hasher) };
    let drained = io::copy(&mut rest, &mut io::sink());
    let hashing = hasher.replace(Hashing::default());
    let hash = match (drained, hashing.error) {
        (Err(err), _) | (Ok(_), Some(err)) => Err(err),
        (Ok(_), None) => Ok(hashing.state.digest()),
    };
    (output, hash)
}

/// The hash of the bytes a [`HashingReader`] has read so far.
#[derive(Default)]
struct Hashing {
    state: xxhash_rust::xxh3::Xxh3,
    /// A read failed: the hash is not that of the file.
    error: Option<io::Error>,
}

/// Reads a file and hashes every byte read, in order.
struct HashingReader {
    file: Arc<File>,
    hasher: Rc<RefCell<Hashing>>,
}

impl io::Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut hashing = self.hasher.borrow_mut();
        match (&*self.file).read(buf) {
            Ok(n) => {
                hashing.state.update(buf.get(..n).unwrap_or_default());
                Ok(n)
            }
            Err(err) => {
                if err.kind() != io::ErrorKind::Interrupted {
                    hashing.error = Some(io::Error::new(err.kind(), err.to_string()));
                }
                Err(err)
            }
        }
    }
}

/// [`read_records`] over a file already opened as `file`.
/// `size` is the file's size as its metadata says.
fn read_open<R: io::Read + 'static>(
    path: &Path,
    file: R,
    size: io::Result<u64>,
    config: &ReadConfig,
    sink: &mut dyn FnMut(RawRecord),
) -> Result<ReadSummary, ReadError> {
    let kind = kind_of(path).ok_or_else(not_read)?;
    let size = size.map_err(|err| ReadError::Failed(anyhow!(err).context("cannot stat")))?;
    if matches!(kind, Kind::Text | Kind::Html) && size > config.max_filesize {
        return Err(too_large(size, config.max_filesize, ""));
    }
    let mut file = BufReader::with_capacity(64 * 1024, file);
    let gzip =
        file.fill_buf().map_err(|err| ReadError::Failed(err.into()))?.starts_with(&[0x1F, 0x8B]);
    let mut input = Input::new(if gzip {
        Box::new(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    });
    let mut report = Report::default();
    match kind {
        Kind::Text | Kind::Html => read_page(&mut input, kind, size, config, &mut report, sink)?,
        Kind::Json => {
            sniff(&mut input, true)?;
            json::read(&mut input, json_lines_by_name(path), config, &mut report, sink);
        }
        Kind::Warc => {
            sniff(&mut input, false)?;
            warc::read(&mut input, config, &mut report, sink);
        }
    }
    let failure = input.error.take().map(|err| {
        let (what, at) = if gzip {
            ("gzip data is truncated or corrupt", "decompressed bytes")
        } else {
            ("read error", "bytes")
        };
        let kept = match report.records {
            0 => String::new(),
            1 => "; the record before the break was kept".to_owned(),
            n => format!("; the {n} records before the break were kept"),
        };
        anyhow!("{what} ({err}) after {} {at}{kept}", input.consumed)
    });
    if report.records == 0 {
        if let Some(failure) = failure {
            return Err(ReadError::Failed(failure));
        }
        if let Some(nothing) = nothing_read(kind, &report, config) {
            return Err(nothing);
        }
    }
    Ok(ReadSummary {
        records: report.records,
        problems: report.problems.finish(),
        skipped: report.skipped,
        failure,
    })
}

/// Why a dump that gave no record is skipped or failed: no article text
/// anywhere (skipped), only HTML-less WARC records (skipped), nothing at
/// all (skipped), or nothing but broken records (failed: it is likely not
/// of the kind its name says).
fn nothing_read(kind: Kind, report: &Report, config: &ReadConfig) -> Option<ReadError> {
    if let Some(first) = report.problems.listed.first()
        && report.no_text == 0
    {
        let count = report.problems.listed.len() + report.problems.more;
        let more = if count > 1 { format!(" (and {} more)", count - 1) } else { String::new() };
        return Some(ReadError::Failed(anyhow!(
            "no record could be read: {}: {}{more}",
            first.location,
            first.reason
        )));
    }
    match kind {
        Kind::Json if report.no_text > 0 => Some(ReadError::Skipped(json::no_text_reason(config))),
        Kind::Json => Some(ReadError::Skipped("no JSON objects".into())),
        Kind::Warc if report.skipped > 0 => Some(ReadError::Skipped(format!(
            "no HTML responses among its {} WARC records",
            report.skipped
        ))),
        Kind::Warc => Some(ReadError::Skipped("no WARC records".into())),
        Kind::Text | Kind::Html => None,
    }
}

/// A whole-file page: one record, the file's (decompressed) bytes.
fn read_page(
    input: &mut Input,
    kind: Kind,
    size: u64,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) -> Result<(), ReadError> {
    let limit = config.max_filesize;
    let mut body = Vec::new();
    input.read_to_end_limited(&mut body, limit, size);
    if body.len() as u64 > limit {
        return Err(too_large(body.len() as u64, limit, " once decompressed"));
    }
    if input.error.is_some() && body.is_empty() {
        return Ok(());
    }
    check_content(&body, true)?;
    let format = if kind == Kind::Html { Format::Html } else { Format::Text };
    report.records += 1;
    sink(RawRecord {
        record: None,
        lines: LineMap::Offset { first: 1 },
        format,
        body,
        charset: None,
        meta: Meta::default(),
    });
    Ok(())
}

fn not_read() -> ReadError {
    ReadError::Skipped("not a kind of file lede reads".into())
}

fn too_large(size: u64, limit: u64, how: &str) -> ReadError {
    ReadError::Skipped(format!("larger than --max-filesize{how} ({size} > {limit} bytes)"))
}

/// Skips empty files and (when `text`) binary ones, looking at the first
/// bytes of the (decompressed) stream.
fn sniff(input: &mut Input, text: bool) -> Result<(), ReadError> {
    let empty = input.peek(SNIFF_LEN).is_empty();
    if input.error.is_some() && empty {
        return Ok(()); // Reported as the failure.
    }
    check_content(input.ahead(), text)
}

fn check_content(head: &[u8], text: bool) -> Result<(), ReadError> {
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Skipped("empty".into()));
    }
    if text && looks_binary(head) {
        return Err(ReadError::Skipped("binary file".into()));
    }
    Ok(())
}

/// A NUL byte in the first 8 KiB, as grep and ripgrep decide (UTF-16 with a BOM excepted).
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes[..bytes.len().min(SNIFF_LEN)].contains(&0)
}

/// What the format readers tell [`read_records`].
#[derive(Debug, Default)]
struct Report {
    /// Records handed to the sink.
    records: usize,
    /// Records left out on purpose.
    skipped: usize,
    /// JSON records without article text.
    no_text: usize,
    problems: Problems,
}

/// Problems of one file, listed up to [`MAX_PROBLEMS`], then counted.
#[derive(Debug, Default)]
struct Problems {
    listed: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push(Problem { location: location.into(), reason: reason.into() });
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.listed.push(Problem {
                location: "file".into(),
                reason: format!("{} more problems not listed", self.more),
            });
        }
        self.listed
    }
}

/// The (decompressed) byte stream of a file, with look-ahead and push-back,
/// counting bytes and lines consumed. A read error ends the stream: it is
/// kept in `error`, and the stream looks like it ended there.
struct Input {
    inner: Box<dyn BufRead>,
    /// Bytes read ahead: `buf[pos..]` is next.
    buf: Vec<u8>,
    pos: usize,
    /// Bytes consumed so far: the offset of the next byte in the stream.
    consumed: u64,
    /// Newlines consumed so far (the next byte is on line `newlines + 1`).
    newlines: u64,
    eof: bool,
    error: Option<io::Error>,
}

impl Input {
    fn new(inner: Box<dyn BufRead>) -> Input {
        Input { inner, buf: Vec::new(), pos: 0, consumed: 0, newlines: 0, eof: false, error: None }
    }

    /// 1-based line number of the next byte.
    fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// At least `n` bytes ahead, or all that are left; returns them.
    fn peek(&mut self, n: usize) -> &[u8] {
        while self.buf.len() - self.pos < n && !self.eof {
            if self.pos > 0 && self.pos >= self.buf.len() / 2 {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
            let missing = n - (self.buf.len() - self.pos);
            self.buf.reserve(missing);
            let want = missing.clamp(64 * 1024, 1 << 20);
            let start = self.buf.len();
            self.buf.resize(start + want, 0);
            match self.inner.read(&mut self.buf[start..]) {
                Ok(0) => {
                    self.buf.truncate(start);
                    self.eof = true;
                }
                Ok(read) => self.buf.truncate(start + read),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => self.buf.truncate(start),
                Err(err) => {
                    self.buf.truncate(start);
                    self.eof = true;
                    self.error = Some(err);
                }
            }
        }
        &self.buf[self.pos..]
    }

    /// Bytes already read ahead.
    fn ahead(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Moves past `n` bytes already read ahead (fewer if fewer are ahead).
    fn consume(&mut self, n: usize) {
        let n = n.min(self.buf.len() - self.pos);
        let gone = &self.buf[self.pos..self.pos + n];
        self.newlines += gone.iter().filter(|&&b| b == b'\n').count() as u64;
        self.consumed += n as u64;
        self.pos += n;
    }

    /// True when nothing is left.
    fn at_end(&mut self) -> bool {
        self.peek(1).is_empty()
    }

    /// Takes the next `n` bytes (fewer at the end of the stream).
    fn take_bytes(&mut self, n: usize) -> Vec<u8> {
        let have = self.peek(n).len().min(n);
        let out = self.buf[self.pos..self.pos + have].to_vec();
        self.consume(have);
        out
    }

    /// Skips the next `n` bytes; returns how many were skipped.
    fn skip(&mut self, n: u64) -> u64 {
        let mut left = n;
        while left > 0 {
            let chunk = left.min(1 << 20) as usize;
            let have = self.peek(chunk).len().min(chunk);
            if have == 0 {
                break;
            }
            self.consume(have);
            left -= have as u64;
        }
        n - left
    }

    /// Puts `bytes` back in front of the stream, as if they had not been
    /// consumed (they must be the bytes just consumed).
    fn unread(&mut self, bytes: &[u8]) {
        self.newlines -= (bytes.iter().filter(|&&b| b == b'\n').count() as u64).min(self.newlines);
        self.consumed = self.consumed.saturating_sub(bytes.len() as u64);
        let mut buf = Vec::with_capacity(bytes.len() + self.buf.len() - self.pos);
        buf.extend_from_slice(bytes);
        buf.extend_from_slice(&self.buf[self.pos..]);
        self.buf = buf;
        self.pos = 0;
    }

    /// Reads the next line (without its `\n`) into `line`. Lines longer than
    /// `limit` are consumed whole but only their first `limit + 1` bytes are
    /// kept, so the caller can tell. Returns `None` at the end of the stream,
    /// else whether the line ended with `\n` (the last line may not).
    fn read_line(&mut self, line: &mut Vec<u8>, limit: usize) -> Option<bool> {
        line.clear();
        let mut any = false;
        loop {
            let ahead = self.peek(1);
            if ahead.is_empty() {
                return any.then_some(false);
            }
            any = true;
            let (end, found) = match ahead.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (ahead.len(), false),
            };
            let room = (limit + 1).saturating_sub(line.len()).min(end);
            line.extend_from_slice(&ahead[..room]);
            self.consume(end + usize::from(found));
            if found {
                return Some(true);
            }
        }
    }

    /// Reads the rest of the stream into `out`, at most `limit + 1` bytes;
    /// `size_hint` (the file's size) sizes `out` up front. What is read ahead
    /// is taken first, then the stream is read straight into `out`: no second
    /// buffer, no zero-filling. Newlines are not counted: nothing asks for
    /// line numbers after the end of the stream.
    fn read_to_end_limited(&mut self, out: &mut Vec<u8>, limit: u64, size_hint: u64) {
        let cap = limit.saturating_add(1);
        out.reserve(usize::try_from(size_hint.min(cap).saturating_add(1)).unwrap_or(0));
        let ahead = self.buf.get(self.pos..).unwrap_or_default();
        let taken = ahead.len().min(usize::try_from(cap).unwrap_or(usize::MAX));
        out.extend_from_slice(&ahead[..taken]);
        self.consumed += taken as u64;
        self.buf.clear();
        self.pos = 0;
        if self.eof || taken as u64 >= cap {
            return;
        }
        let before = out.len();
        let result = (&mut self.inner).take(cap - taken as u64).read_to_end(out);
        self.consumed += (out.len() - before) as u64;
        if let Err(err) = result {
            self.error = Some(err);
        }
        self.eof = true;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    /// gzip of `bytes`, one member.
    pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// `count` mutants of `bytes` (bytes flipped, cut, duplicated, spliced
    /// in), from a fixed seed so that failures repeat.
    pub(crate) fn mutants(bytes: &[u8], count: usize) -> Vec<Vec<u8>> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound.max(1) as u64) as usize
        };
        (0..count)
            .map(|_| {
                let mut out = bytes.to_vec();
                for _ in 0..=next(4) {
                    let at = next(out.len() + 1);
                    match next(5) {
                        0 => out.truncate(at),
                        1 if at < out.len() => out[at] = next(256) as u8,
                        2 => out.insert(at.min(out.len()), [b'\n', b'{', b'"', 0, 0xFF][next(5)]),
                        3 => {
                            let end = (at + next(64)).min(out.len());
                            let piece = out[at.min(end)..end].to_vec();
                            out.splice(at.min(out.len())..at.min(out.len()), piece);
                        }
                        _ => {
                            let end = (at + next(16)).min(out.len());
                            out.drain(at.min(end)..end);
                        }
                    }
                }
                out
            })
            .collect()
    }

    /// Writes `bytes` to `name` in a fresh temp dir.
    pub(crate) fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    #[test]
    fn hashed_reads_hash_the_whole_file_and_parse_as_plain_reads() {
        let page = "Amazon cuts roles\n\nAmazon said on Tuesday it would cut 14,000 roles.\n";
        let jsonl = "{\"title\":\"A\",\"text\":\"One story.\"}\nnot json\n";
        let big: String = page.repeat(40_000);
        let small = ReadConfig { max_filesize: 1000, ..ReadConfig::default() };
        let default = ReadConfig::default();
        let cases: Vec<(&str, Vec<u8>, &ReadConfig)> = vec![
            ("page.txt", page.as_bytes().to_vec(), &default),
            ("page.txt.gz", gzip(big.as_bytes()), &default),
            ("big.txt", big.clone().into_bytes(), &default),
            // Skipped before a byte is parsed: hashed all the same.
            ("big.txt", big.clone().into_bytes(), &small),
            ("dump.jsonl", jsonl.as_bytes().to_vec(), &default),
            ("empty.txt", Vec::new(), &default),
            ("binary.txt", vec![0, 1, 2, 0xFF], &default),
            ("truncated.txt.gz", gzip(big.as_bytes())[..5000].to_vec(), &default),
        ];
        for (name, bytes, config) in cases {
            let (_dir, path) = file(name, &bytes);
            let (hashed, hash) = read_file_hashed(&path, config);
            assert_eq!(hash.unwrap(), xxhash_rust::xxh3::xxh3_64(&bytes), "{name}");
            let plain = read_file(&path, config);
            match (hashed, plain) {
                (Ok(a), Ok(b)) => {
                    let bodies = |o: &ReadOutput| -> Vec<Vec<u8>> {
                        o.records.iter().map(|r| r.body.clone()).collect()
                    };
                    assert_eq!(bodies(&a), bodies(&b), "{name}");
                    assert_eq!(a.problems, b.problems, "{name}");
                    assert_eq!(a.failure.is_some(), b.failure.is_some(), "{name}");
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
                (a, b) => panic!("{name}: hashed {a:?}, plain {b:?}"),
            }
        }
        let missing = Path::new("/nonexistent/lede/page.txt");
        let (output, hash) = read_file_hashed(missing, &ReadConfig::default());
        assert!(matches!(output, Err(ReadError::Failed(_))) && hash.is_err());
    }

    pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<ReadOutput, ReadError> {
        let (_dir, path) = file(name, bytes);
        read_file(&path, &ReadConfig::default())
    }

    fn skipped(result: Result<ReadOutput, ReadError>) -> String {
        match result {
            Err(ReadError::Skipped(reason)) => reason,
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn kinds_by_name() {
        let kind = |name: &str| kind_of(Path::new(name));
        assert_eq!(kind("a/b.TXT"), Some(Kind::Text));
        assert_eq!(kind("page.html.gz"), Some(Kind::Html));
        assert_eq!(kind("dump.jsonl.gz"), Some(Kind::Json));
        assert_eq!(kind("dump.ndjson"), Some(Kind::Json));
        assert_eq!(kind("list.json"), Some(Kind::Json));
        assert_eq!(kind("CC-NEWS-2024.warc.gz"), Some(Kind::Warc));
        assert_eq!(kind("x.gz"), None);
        assert_eq!(kind("x.tar.gz"), None);
        assert_eq!(kind(".txt"), None);
        assert_eq!(kind("image.png"), None);
    }

    #[test]
    fn field_specs() {
        let (field, path) = ReadConfig::parse_field("text=fields.body").unwrap();
        assert_eq!((field, path.to_string()), (Field::Text, "fields.body".to_owned()));
        assert_eq!(path.segments(), ["fields", "body"]);
        assert_eq!(ReadConfig::parse_field("DATE = meta.published").unwrap().0, Field::Date);
        assert!(ReadConfig::parse_field("body").unwrap_err().contains("NAME=PATH"));
        assert!(ReadConfig::parse_field("author=x").unwrap_err().contains("unknown field"));
        assert!(ReadConfig::parse_field("text=a..b").unwrap_err().contains("bad field path"));
        assert!(ReadConfig::parse_field("text=").is_err());
        let config = ReadConfig {
            fields: vec![
                ReadConfig::parse_field("text=a").unwrap(),
                ReadConfig::parse_field("text=b").unwrap(),
            ],
            ..ReadConfig::default()
        };
        assert_eq!(config.field(Field::Text).map(ToString::to_string), Some("b".into()));
        assert_eq!(config.field(Field::Url), None);
    }

    #[test]
    fn plain_page() {
        let out = read("a.txt", b"Title\n\nBody line.\n").unwrap();
        assert_eq!(out.records.len(), 1);
        let record = &out.records[0];
        assert_eq!((record.record, record.format), (None, Format::Text));
        assert_eq!(record.body, b"Title\n\nBody line.\n");
        assert!(out.problems.is_empty() && out.failure.is_none());
    }

    #[test]
    fn gzipped_page_by_magic_and_by_name() {
        let page = b"<html><body><p>Hello</p></body></html>";
        let out = read("a.html.gz", &gzip(page)).unwrap();
        assert_eq!(out.records[0].body, page);
        assert_eq!(out.records[0].format, Format::Html);
        // Gzipped content behind a plain name is still found.
        let out = read("b.html", &gzip(page)).unwrap();
        assert_eq!(out.records[0].body, page);
    }

    #[test]
    fn empty_binary_and_large_files_are_skipped() {
        assert_eq!(skipped(read("a.txt", b"")), "empty");
        assert_eq!(skipped(read("a.txt", b" \n\t\n")), "empty");
        assert_eq!(skipped(read("a.html.gz", &gzip(b""))), "empty");
        assert_eq!(skipped(read("a.txt", b"PK\x03\x04\x00\x00binary")), "binary file");
        assert_eq!(skipped(read("a.jsonl", b"\x00\x01\x02{}")), "binary file");
        let (_dir, path) = file("big.txt", &[b'a'; 100]);
        let config = ReadConfig { max_filesize: 10, ..ReadConfig::default() };
        assert!(skipped(read_file(&path, &config)).contains("larger than --max-filesize"));
        // A gzip bomb is bounded by the decompressed size too.
        let (_dir, path) = file("big.txt.gz", &gzip(&[b'a'; 10_000]));
        let config = ReadConfig { max_filesize: 1000, ..ReadConfig::default() };
        assert!(skipped(read_file(&path, &config)).contains("once decompressed"));
    }

    #[test]
    fn utf16_page_is_not_binary() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Hello".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read("a.txt", &bytes).unwrap().records.len(), 1);
    }

    #[test]
    fn missing_file_fails() {
        let result = read_file(Path::new("/no/such/lede/file.txt"), &ReadConfig::default());
        assert!(matches!(result, Err(ReadError::Failed(_))));
    }

    #[test]
    fn truncated_gzip_page_fails_with_a_reason() {
        let page = "<p>Some text that is long enough to compress.</p>\n".repeat(200);
        let gz = gzip(page.as_bytes());
        let cut = &gz[..gz.len() - 12];
        let out = read("a.html.gz", cut).unwrap();
        let failure = format!("{:#}", out.failure.expect("a failure"));
        assert!(failure.contains("gzip data is truncated or corrupt"), "{failure}");
        assert!(page.as_bytes().starts_with(&out.records[0].body));
        // Broken right after the header: nothing read, the file failed.
        match read("b.html.gz", &gz[..10]) {
            Err(ReadError::Failed(err)) => assert!(format!("{err:#}").contains("gzip")),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn huge_and_deep_inputs_are_read() {
        // A 30 MB page on one line.
        let line = "word ".repeat(6 * 1024 * 1024);
        let out = read("one-line.txt", line.as_bytes()).unwrap();
        assert_eq!(out.records[0].body.len(), line.len());
        // HTML nested 100,000 levels deep: reading does not look inside.
        let deep = format!("{}text{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let out = read("deep.html.gz", &gzip(deep.as_bytes())).unwrap();
        assert_eq!(out.records[0].body.len(), deep.len());
        // A 30 MB JSON line, and a line with a raw NUL in a string.
        let dump = format!("{{\"text\": \"{line}\"}}\n{{\"text\": \"a\u{0}b\"}}\n");
        let out = read("big.jsonl", dump.as_bytes()).unwrap();
        assert_eq!(out.records[0].body.len(), line.len());
        assert_eq!(out.problems[0].location, "line 2");
        assert!(out.problems[0].reason.starts_with("control character"), "{:?}", out.problems);
        // NUL bytes past the first 8 KiB do not make a page binary.
        let mut page = "text ".repeat(2000).into_bytes();
        page.push(0);
        assert_eq!(read("nul.txt", &page).unwrap().records.len(), 1);
    }

    #[test]
    fn corrupt_gzip_fails_with_a_reason() {
        let page = "<p>Some text that is long enough to compress.</p>\n".repeat(200);
        let mut gz = gzip(page.as_bytes());
        let crc = gz.len() - 8;
        gz[crc] ^= 0xFF;
        let out = read("a.html.gz", &gz).unwrap();
        let failure = format!("{:#}", out.failure.expect("a failure"));
        assert!(failure.contains("gzip data is truncated or corrupt"), "{failure}");
    }

    #[test]
    fn problems_are_capped() {
        let mut problems = Problems::default();
        for i in 0..MAX_PROBLEMS + 5 {
            problems.push(format!("line {i}"), "bad");
        }
        let listed = problems.finish();
        assert_eq!(listed.len(), MAX_PROBLEMS + 1);
        assert_eq!(listed[MAX_PROBLEMS].reason, "5 more problems not listed");
    }

    #[test]
    fn input_counts_lines_and_pushes_back() {
        let mut input = Input::new(Box::new(io::Cursor::new(b"ab\ncd\nef".to_vec())));
        let mut line = Vec::new();
        assert_eq!(input.read_line(&mut line, 100), Some(true));
        assert_eq!((line.as_slice(), input.line(), input.consumed), (&b"ab"[..], 2, 3));
        let taken = input.take_bytes(3);
        assert_eq!((taken.as_slice(), input.line()), (&b"cd\n"[..], 3));
        input.unread(&taken);
        assert_eq!((input.line(), input.consumed), (2, 3));
        assert_eq!(input.read_line(&mut line, 1), Some(true));
        assert_eq!(line, b"cd"); // limit + 1 bytes kept
        assert_eq!(input.read_line(&mut line, 100), Some(false));
        assert_eq!(line, b"ef");
        assert_eq!(input.read_line(&mut line, 100), None);
        assert!(input.at_end());
    }
}

/// Reading the real dumps of `../shared/corpora/dumps` (skipped when absent).
#[cfg(test)]
mod real_dumps {
    #![allow(clippy::print_stderr)]

    use super::*;

    #[test]
    fn guardian_content_api_dump() {
        let Some(path) = crate::testing::shared("corpora/dumps/guardian/guardian-2022.jsonl.gz")
        else {
            return;
        };
        let out = read_file(&path, &ReadConfig::default()).unwrap();
        assert!(out.problems.is_empty() && out.failure.is_none(), "{:?}", out.problems);
        assert_eq!(out.records.len(), 2985);
        for (i, record) in out.records.iter().enumerate() {
            let line = i as u64 + 1;
            assert_eq!((record.record, record.lines), (Some(line), LineMap::Fixed(line as u32)));
            assert_eq!(record.format, Format::Html, "line {line}");
            let meta = &record.meta;
            assert!(meta.title.as_ref().is_some_and(|t| !t.is_empty()), "line {line}");
            assert!(meta.url.as_ref().is_some_and(|u| u.starts_with("https://")), "line {line}");
            assert!(meta.published.as_ref().is_some_and(|d| d.len() >= 20), "line {line}");
        }
    }

    #[test]
    fn metadata_files_without_text_are_skipped() {
        let Some(reuters) = crate::testing::shared("corpora/dumps/reuters/metadata.jsonl") else {
            return;
        };
        let Some(ru_meta) = crate::testing::shared("corpora/dumps/ru-news/100_meta.json") else {
            return;
        };
        for path in [reuters, ru_meta] {
            match read_file(&path, &ReadConfig::default()) {
                Err(ReadError::Skipped(reason)) => {
                    assert!(reason.starts_with("no record has article text"), "{reason}");
                }
                other => panic!("{}: expected a skip, got {other:?}", path.display()),
            }
        }
    }
}

/// Reading speed on a real dump (`../shared/corpora/dumps/guardian`). Run
/// with `cargo test --release --lib -- --ignored --nocapture read_speed`.
#[cfg(test)]
mod speed {
    #![allow(clippy::print_stderr)]

    use std::time::Instant;

    use super::*;

    /// Runs of each measurement; the fastest counts (the machine is shared).
    const RUNS: usize = 15;

    #[test]
    #[ignore = "a measurement: run it in release mode"]
    fn read_speed_on_the_guardian_dump() {
        let Some(path) = crate::testing::shared("corpora/dumps/guardian/guardian-2022.jsonl.gz")
        else {
            return;
        };
        let compressed = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64;
        let mut best = f64::MAX;
        let (mut records, mut body_bytes, mut decoded_chars) = (0, 0, 0);
        for _ in 0..RUNS {
            let start = Instant::now();
            (records, body_bytes, decoded_chars) = (0, 0, 0);
            let summary = read_records(&path, &ReadConfig::default(), &mut |record| {
                records += 1;
                body_bytes += record.body.len();
                let decoded =
                    crate::decode::decode(&record.body, record.charset.as_deref(), record.format);
                decoded_chars += decoded.text.len();
            })
            .unwrap();
            assert!(summary.problems.is_empty() && summary.failure.is_none());
            best = best.min(start.elapsed().as_secs_f64());
        }
        let (mut gunzip, mut decompressed) = (f64::MAX, 0.0);
        for _ in 0..RUNS {
            let start = Instant::now();
            let mut gz =
                flate2::bufread::MultiGzDecoder::new(BufReader::new(File::open(&path).unwrap()));
            decompressed = io::copy(&mut gz, &mut io::sink()).unwrap() as f64;
            gunzip = gunzip.min(start.elapsed().as_secs_f64());
        }
        assert_eq!(decoded_chars, body_bytes);
        eprintln!(
            "guardian: {records} records, {:.1} MB decompressed ({:.1} MB gzip) in {:.3} s: \
             {:.0} MB/s decompressed, {:.0} MB/s gzip, {:.0} records/s (read + decode); \
             gunzip alone {gunzip:.3} s; best of {RUNS} runs",
            decompressed / 1e6,
            compressed / 1e6,
            best,
            decompressed / 1e6 / best,
            compressed / 1e6 / best,
            records as f64 / best
        );
        assert_eq!(records, 2985);
    }

    /// A Common Crawl-style `.warc.gz` (one gzip member per record, a
    /// request and a response per page) built from the extraction sets'
    /// pages, read and decoded.
    #[test]
    #[ignore = "a measurement: run it in release mode"]
    fn read_speed_on_a_warc_of_real_pages() {
        use std::io::Write;

        let Some(root) = crate::testing::shared("corpora/extraction") else { return };
        let Ok(sets) = std::fs::read_dir(root) else { return };
        let mut pages = Vec::new();
        for set in sets.filter_map(Result::ok) {
            for page in std::fs::read_dir(set.path().join("pages")).into_iter().flatten().flatten()
            {
                pages.push(std::fs::read(page.path()).unwrap());
            }
        }
        let member = |record: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(record).unwrap();
            gz.finish().unwrap()
        };
        let record = |kind: &str, content_type: &str, block: &[u8]| {
            let mut out = format!(
                "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.org/\r\n\
                 WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\n\r\n",
                block.len()
            )
            .into_bytes();
            out.extend_from_slice(block);
            out.extend_from_slice(b"\r\n\r\n");
            out
        };
        let (mut warc, mut html_bytes) = (Vec::new(), 0);
        for page in &pages {
            let request = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n";
            warc.extend(member(&record("request", "application/http; msgtype=request", request)));
            let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
            http.extend_from_slice(page);
            html_bytes += page.len();
            warc.extend(member(&record("response", "application/http; msgtype=response", &http)));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pages.warc.gz");
        std::fs::write(&path, &warc).unwrap();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            let mut records = 0;
            let summary = read_records(&path, &ReadConfig::default(), &mut |record| {
                records += 1;
                crate::decode::decode(&record.body, record.charset.as_deref(), record.format);
            })
            .unwrap();
            assert_eq!((records, summary.skipped), (pages.len(), pages.len()));
            assert!(summary.problems.is_empty() && summary.failure.is_none());
            best = best.min(start.elapsed().as_secs_f64());
        }
        eprintln!(
            "warc: {} pages, {:.1} MB of HTML ({:.1} MB .warc.gz) in {best:.3} s: \
             {:.0} MB/s of HTML, {:.0} pages/s (read + decode, best of 5)",
            pages.len(),
            html_bytes as f64 / 1e6,
            warc.len() as f64 / 1e6,
            html_bytes as f64 / 1e6 / best,
            pages.len() as f64 / best
        );
    }
}
