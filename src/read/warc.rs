//! WARC archives (`.warc`, `.warc.gz` with one gzip member per record, as
//! Common Crawl writes them): one article per HTML response.
//!
//! Input: the (decompressed) byte stream of a WARC file. Output: one
//! [`RawRecord`] per HTML page, handed to the sink as soon as it is read, the
//! count of records left out, and a problem for every broken record.
//!
//! Records read: `response` records holding an HTTP response with status 2xx
//! and an HTML body (by `Content-Type`, or by the body's look when there is
//! none), and `resource` records whose own `Content-Type` is HTML. Requests,
//! metadata, `warcinfo`, revisits, redirects, errors and non-HTML bodies are
//! counted as skipped. A chunked transfer encoding and a gzip or deflate
//! content encoding of the HTTP payload are undone.
//!
//! For each record: `record` is the byte offset of its `WARC/1.x` line in the
//! (decompressed) stream; `lines` maps body line 1 to the line of the stream
//! where the payload starts; `meta.url` is `WARC-Target-URI`, `meta.fetched`
//! is `WARC-Date`, `charset` the HTTP `Content-Type` charset.
//!
//! Failure behaviour: a broken record (no or bad `Content-Length`, a length
//! that does not end at a record boundary, a truncated block, a payload that
//! cannot be decoded, a page larger than `max_filesize`) is a problem, and
//! reading resumes at the next line starting with `WARC/1.` (inside the
//! broken record's block when its length was too long).

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::{Input, ReadConfig, Report};
use crate::model::{Format, LineMap, Meta, RawRecord};

/// Longest header line kept; longer ones are cut.
const MAX_HEADER_LINE: usize = 64 * 1024;
/// Most header lines in one WARC record or HTTP response.
const MAX_HEADERS: usize = 1000;
/// Where reading resumes after a broken record.
const RESYNC_MARK: &[u8] = b"\nWARC/1.";

/// Reads every record of a WARC stream.
pub(super) fn read(
    input: &mut Input,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    let max = config.max_filesize;
    let mut line = Vec::new();
    loop {
        // Records are separated by blank lines.
        loop {
            let ahead = input.peek(1);
            let n = ahead.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            if n == 0 {
                break;
            }
            input.consume(n);
        }
        if input.at_end() {
            return;
        }
        let offset = input.consumed;
        let location = format!("record at byte {offset}");
        if !input.peek(8).starts_with(b"WARC/") {
            report.problems.push(
                format!("byte {offset}"),
                "not a WARC record header; skipped to the next record",
            );
            resync(input);
            continue;
        }
        // The version line, then named fields up to a blank line.
        input.read_line(&mut line, MAX_HEADER_LINE);
        let mut headers = Headers::default();
        let mut complete = false;
        while headers.0.len() < MAX_HEADERS && input.read_line(&mut line, MAX_HEADER_LINE).is_some()
        {
            let text = line.strip_suffix(b"\r").unwrap_or(&line);
            if text.is_empty() {
                complete = true;
                break;
            }
            headers.push(text);
        }
        if !complete {
            if input.error.is_none() {
                let reason =
                    if input.at_end() { "truncated in its header" } else { "header too long" };
                report.problems.push(location, reason);
                resync(input);
            }
            continue;
        }
        let length = headers.get("content-length").map(str::trim);
        let Some(length) = length.and_then(|l| l.parse::<u64>().ok()) else {
            let found = length.map_or_else(|| "none".to_owned(), |l| format!("{l:?}"));
            report.problems.push(location, format!("missing or bad Content-Length ({found})"));
            resync(input);
            continue;
        };
        let kind = headers.get("warc-type").unwrap_or("").trim().to_ascii_lowercase();
        let wanted = kind == "response" || kind == "resource";
        // A page too large to read: worth a problem only when it is HTML.
        let oversized_page = length > max
            && match kind.as_str() {
                "response" => {
                    let head = input.peek(64 * 1024);
                    let head =
                        &head[..head.len().min(usize::try_from(length).unwrap_or(usize::MAX))];
                    http_head_is_html(head)
                }
                "resource" => is_html_type(headers.get("content-type").unwrap_or("")),
                _ => false,
            };
        let block_line = input.line();
        let block = if length <= max {
            let block = input.take_bytes(usize::try_from(length).unwrap_or(usize::MAX));
            if (block.len() as u64) < length {
                if input.error.is_none() {
                    let reason = format!(
                        "truncated: Content-Length is {length} bytes, the file ends after {}",
                        block.len()
                    );
                    report.problems.push(location, reason);
                    recover(input, &block);
                }
                continue;
            }
            Some(block)
        } else {
            let skipped = input.skip(length);
            if skipped < length {
                if input.error.is_none() {
                    let reason = format!(
                        "truncated: Content-Length is {length} bytes, the file ends after {skipped}"
                    );
                    report.problems.push(location, reason);
                }
                continue;
            }
            None
        };
        if !at_boundary(input) {
            report.problems.push(
                location,
                format!("Content-Length ({length}) does not end where the record does"),
            );
            match &block {
                Some(block) => recover(input, block),
                None => resync(input),
            }
            continue;
        }
        let Some(block) = block.filter(|_| wanted) else {
            if oversized_page {
                report.problems.push(
                    location,
                    format!("larger than --max-filesize ({length} > {max} bytes), skipped"),
                );
            } else {
                report.skipped += 1;
            }
            continue;
        };
        let page =
            if kind == "response" { response(&block, max) } else { resource(&block, &headers) };
        match page {
            Ok(Some(page)) => {
                report.records += 1;
                let payload_line = block_line.saturating_add(count_newlines(&block[..page.start]));
                sink(RawRecord {
                    record: Some(offset),
                    lines: LineMap::Offset {
                        first: u32::try_from(payload_line).unwrap_or(u32::MAX),
                    },
                    format: Format::Html,
                    body: page.body,
                    charset: page.charset,
                    meta: Meta {
                        url: headers
                            .get("warc-target-uri")
                            .map(target_uri)
                            .filter(|u| !u.is_empty()),
                        fetched: headers
                            .get("warc-date")
                            .map(|d| d.trim().to_owned())
                            .filter(|d| !d.is_empty()),
                        ..Meta::default()
                    },
                });
            }
            Ok(None) => report.skipped += 1,
            Err(reason) => report.problems.push(location, reason),
        }
    }
}

/// `WARC-Target-URI` without the angle brackets some writers put around it.
fn target_uri(value: &str) -> String {
    let value = value.trim();
    value.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(value).trim().to_owned()
}

/// True when the stream is at a record boundary: only line ends, then the
/// next `WARC/` line or the end.
fn at_boundary(input: &mut Input) -> bool {
    let ahead = input.peek(64);
    let rest = &ahead[ahead.iter().take_while(|&&b| b == b'\r' || b == b'\n').count()..];
    rest.is_empty() || rest.starts_with(b"WARC/") || (rest.len() < 5 && b"WARC/".starts_with(rest))
}

/// After a broken record whose block was read: resumes at a `WARC/1.` line
/// inside the block (the length was too long and swallowed the next
/// record), else at the next one in the stream.
fn recover(input: &mut Input, block: &[u8]) {
    if let Some(at) = find(block, RESYNC_MARK) {
        input.unread(&block[at + 1..]);
    } else {
        resync(input);
    }
}

/// Skips to the start of the next line that starts with `WARC/1.`, or to the end.
fn resync(input: &mut Input) {
    loop {
        let ahead = input.peek(64 * 1024);
        if ahead.len() < RESYNC_MARK.len() {
            let n = ahead.len();
            input.consume(n);
            return;
        }
        match find(ahead, RESYNC_MARK) {
            Some(at) => {
                input.consume(at + 1);
                return;
            }
            None => {
                let n = ahead.len() + 1 - RESYNC_MARK.len();
                input.consume(n);
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Header fields, names lower-cased, in order.
#[derive(Debug, Default)]
struct Headers(Vec<(String, String)>);

impl Headers {
    /// Adds a `Name: value` line; continuation lines extend the last value.
    fn push(&mut self, line: &[u8]) {
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = self.0.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            return;
        }
        if let Some((name, value)) = line.split_once(':') {
            self.0.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }

    /// The first value of `name` (lower case).
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An HTML page found in a record.
#[derive(Debug)]
struct Page {
    /// Where the payload starts in the block.
    start: usize,
    body: Vec<u8>,
    charset: Option<String>,
}

/// The head of an HTTP response.
struct HttpHead {
    status: u16,
    headers: Headers,
    /// Where the body starts in the message.
    body_start: usize,
}

/// Parses the status line and header fields of an HTTP response message.
fn http_head(message: &[u8]) -> Result<HttpHead, String> {
    if !message.starts_with(b"HTTP/") {
        return Err("not an HTTP response".into());
    }
    let (head_len, body_start) = match (find(message, b"\r\n\r\n"), find(message, b"\n\n")) {
        (Some(crlf), Some(lf)) if lf < crlf => (lf, lf + 2),
        (Some(crlf), _) => (crlf, crlf + 4),
        (None, Some(lf)) => (lf, lf + 2),
        (None, None) => (message.len(), message.len()),
    };
    let head = String::from_utf8_lossy(&message[..head_len]);
    let mut lines = head.lines();
    let status =
        lines.next().unwrap_or("").split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok());
    let Some(status) = status else {
        return Err("HTTP status line without a status code".into());
    };
    let mut headers = Headers::default();
    for line in lines.take(MAX_HEADERS) {
        headers.push(line.as_bytes());
    }
    Ok(HttpHead { status, headers, body_start })
}

/// The HTML page of a `response` record's HTTP message; `None` when it is
/// not a successful HTML response.
fn response(block: &[u8], max: u64) -> Result<Option<Page>, String> {
    let HttpHead { status, headers, body_start } = http_head(block)?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let content_type = headers.get("content-type").unwrap_or("");
    let mut body = block[body_start..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
        && let Some(joined) = dechunk(&body)
    {
        body = joined;
    }
    if let Some(encoding) = headers.get("content-encoding") {
        body = decode_content(body, encoding, max)?;
    }
    if !is_html(content_type, &body) {
        return Ok(None);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    Ok(Some(Page { start: body_start, body, charset: charset_of(content_type) }))
}

/// Whether the start of an HTTP response message says it is a successful
/// HTML page, by its status and `Content-Type` (with no type, by the start
/// of the body, when the body is not encoded).
fn http_head_is_html(start: &[u8]) -> bool {
    let Ok(HttpHead { status, headers, body_start }) = http_head(start) else { return false };
    let content_type = headers.get("content-type").unwrap_or("");
    let encoded = headers.get("content-encoding").is_some();
    (200..300).contains(&status)
        && (is_html_type(content_type)
            || (content_type.trim().is_empty() && !encoded && is_html("", &start[body_start..])))
}

/// The page of a `resource` record whose own `Content-Type` is HTML.
fn resource(block: &[u8], headers: &Headers) -> Result<Option<Page>, String> {
    let content_type = headers.get("content-type").unwrap_or("");
    if !is_html_type(content_type) || block.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    Ok(Some(Page { start: 0, body: block.to_vec(), charset: charset_of(content_type) }))
}

fn is_html_type(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "text/html" || mime == "application/xhtml+xml"
}

/// HTML by its declared type, or, with no type, by its first bytes.
fn is_html(content_type: &str, body: &[u8]) -> bool {
    if !content_type.trim().is_empty() {
        return is_html_type(content_type);
    }
    let head = &body[..body.len().min(1024)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || find(&head, b"<head").is_some()
}

/// The `charset` parameter of a `Content-Type`.
fn charset_of(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .skip(1)
        .find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
        })
        .filter(|charset| !charset.is_empty())
}

/// Undoes `Transfer-Encoding: chunked`; `None` when the body is not chunked
/// after all (crawlers often store the payload decoded but keep the header).
/// A body cut off inside a chunk keeps what it has.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let size_line = std::str::from_utf8(&rest[..end]).ok()?;
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[end + 1..];
        if size == 0 {
            return Some(out);
        }
        let chunk = &rest[..size.min(rest.len())];
        out.extend_from_slice(chunk);
        rest = &rest[chunk.len()..];
        rest = rest.strip_prefix(b"\r\n").or_else(|| rest.strip_prefix(b"\n")).unwrap_or(rest);
        if rest.is_empty() {
            return Some(out);
        }
    }
}

/// Undoes a `Content-Encoding`, unless the body shows it was already undone.
fn decode_content(body: Vec<u8>, encoding: &str, max: u64) -> Result<Vec<u8>, String> {
    let encoding = encoding.trim().to_ascii_lowercase();
    let limited = |reader: &mut dyn Read| -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        match reader.take(max.saturating_add(1)).read_to_end(&mut out) {
            Ok(_) if out.len() as u64 > max => {
                Err(format!("larger than --max-filesize once decompressed (over {max} bytes)"))
            }
            Ok(_) => Ok(out),
            Err(err) if !out.is_empty() => {
                // A page cut short in its compressed form: keep what decoded.
                let _ = err;
                Ok(out)
            }
            Err(err) => Err(format!("cannot undo Content-Encoding {encoding}: {err}")),
        }
    };
    match encoding.as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => {
            if body.starts_with(&[0x1F, 0x8B]) {
                limited(&mut MultiGzDecoder::new(body.as_slice()))
            } else {
                Ok(body)
            }
        }
        "deflate" => {
            // Servers send zlib-wrapped or raw deflate under this name.
            let zlib = body.len() >= 2
                && body[0] & 0x0F == 8
                && u16::from_be_bytes([body[0], body[1]]).is_multiple_of(31);
            if zlib {
                limited(&mut ZlibDecoder::new(body.as_slice()))
            } else if looks_like_markup(&body) {
                Ok(body)
            } else {
                limited(&mut DeflateDecoder::new(body.as_slice()))
            }
        }
        _ if looks_like_markup(&body) => Ok(body),
        other => Err(format!("Content-Encoding {other} is not supported")),
    }
}

fn looks_like_markup(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::{DeflateEncoder, ZlibEncoder};

    use super::super::tests::{file, gzip, mutants, read};
    use super::super::{ReadError, read_file};
    use super::*;

    /// A WARC record: version line, headers, the block, the blank lines.
    fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn response_record(uri: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        record("response", uri, "application/http; msgtype=response", &http(headers, body))
    }

    const PAGE: &[u8] = b"<html><head><title>T</title></head>\n<body><p>Body.</p></body></html>";

    fn two_records() -> Vec<u8> {
        let mut warc = record("warcinfo", "", "application/warc-fields", b"software: test\r\n");
        warc.extend(record(
            "request",
            "https://a.example/1",
            "application/http; msgtype=request",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ));
        warc.extend(response_record(
            "https://a.example/1",
            "Content-Type: text/html; charset=windows-1251\r\n",
            PAGE,
        ));
        warc.extend(response_record(
            "<https://a.example/2>",
            "Content-Type: text/html\r\n",
            b"<p>Second.</p>",
        ));
        warc
    }

    #[test]
    fn reads_html_responses_and_skips_the_rest() {
        let warc = two_records();
        let out = read("crawl.warc", &warc).unwrap();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!((out.records.len(), out.skipped), (2, 2));
        let first = &out.records[0];
        assert_eq!(first.body, PAGE);
        assert_eq!(first.format, Format::Html);
        assert_eq!(first.charset.as_deref(), Some("windows-1251"));
        assert_eq!(first.meta.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(first.meta.fetched.as_deref(), Some("2024-03-01T10:00:00Z"));
        // The record offset points at its WARC/1.0 line; body line 1 is the
        // stream line where the payload starts.
        let offset = first.record.unwrap() as usize;
        assert!(warc[offset..].starts_with(b"WARC/1.0\r\nWARC-Type: response"));
        let text = String::from_utf8_lossy(&warc);
        let LineMap::Offset { first: line } = first.lines else { panic!() };
        assert_eq!(
            text.lines().nth(line as usize - 1),
            Some("<html><head><title>T</title></head>")
        );
        assert_eq!(out.records[1].meta.url.as_deref(), Some("https://a.example/2"));
        assert_eq!(out.records[1].charset, None);
    }

    #[test]
    fn a_cp1251_page_decodes_by_its_http_charset() {
        let text = "<html><body><p>Новости: в Горно-Алтайске открыли мост.</p></body></html>";
        let body = encoding_rs::WINDOWS_1251.encode(text).0;
        let html = "Content-Type: text/html; charset=\"windows-1251\"\r\n";
        let warc = response_record("https://ru.example/1", html, &body);
        let out = read("ru.warc.gz", &gzip(&warc)).unwrap();
        let record = &out.records[0];
        assert_eq!(record.charset.as_deref(), Some("windows-1251"));
        let decoded = crate::decode::decode(&record.body, record.charset.as_deref(), record.format);
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding, decoded.lossy),
            (text, "windows-1251", false)
        );
    }

    #[test]
    fn per_record_gzip_members() {
        let html = "Content-Type: text/html\r\n";
        let records = [
            record("warcinfo", "", "text/plain", b"x"),
            response_record("https://b.example/1", html, PAGE),
            response_record("https://b.example/2", html, PAGE),
        ];
        let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
        let out = read("crawl.warc.gz", &members).unwrap();
        let offsets: Vec<_> = out.records.iter().map(|r| r.record).collect();
        let first = records[0].len() as u64;
        assert_eq!(offsets, [Some(first), Some(first + records[1].len() as u64)]);
    }

    #[test]
    fn truncated_gzip_warc_keeps_earlier_records() {
        let mut members = Vec::new();
        for i in 0..20 {
            let page =
                format!("<html><body><p>Page {i} {}</p></body></html>", "words ".repeat(200));
            members.extend(gzip(&response_record(
                &format!("https://c.example/{i}"),
                "Content-Type: text/html\r\n",
                page.as_bytes(),
            )));
        }
        let (_dir, path) = file("crawl.warc.gz", &members[..members.len() - 40]);
        let out = read_file(&path, &ReadConfig::default()).unwrap();
        assert_eq!(out.records.len(), 19);
        assert!(out.failure.is_some());
    }

    #[test]
    fn broken_records_are_problems_and_reading_resumes() {
        let good =
            response_record("https://d.example/ok", "Content-Type: text/html\r\n", b"<p>Fine.</p>");
        // Content-Length too short: the record does not end where it says.
        let mut short = response_record(
            "https://d.example/short",
            "Content-Type: text/html\r\n",
            b"<p>Cut.</p>",
        );
        let text = String::from_utf8(short.clone()).unwrap();
        let real =
            text.split("Content-Length: ").nth(1).unwrap().split("\r\n").next().unwrap().to_owned();
        short = text.replace(&format!("Content-Length: {real}"), "Content-Length: 20").into_bytes();
        // Content-Length too long: swallows the next record.
        let long = String::from_utf8(response_record(
            "https://d.example/long",
            "Content-Type: text/html\r\n",
            b"<p>Long.</p>",
        ))
        .unwrap()
        .replace("Content-Length: ", "Content-Length: 1")
        .into_bytes();
        let bad = String::from_utf8(good.clone())
            .unwrap()
            .replace("Content-Length: ", "Content-Length: x")
            .into_bytes();
        let mut warc = b"garbage line\r\n".to_vec();
        for part in [&good, &short, &good, &long, &good, &bad, &good] {
            warc.extend_from_slice(part);
        }
        warc.extend_from_slice(&good[..good.len() - 30]);
        let out = read("crawl.warc", &warc).unwrap();
        assert_eq!(out.records.len(), 4, "{:?}", out.problems);
        assert!(out.records.iter().all(|r| r.meta.url.as_deref() == Some("https://d.example/ok")));
        let reasons: Vec<&str> = out.problems.iter().map(|p| p.reason.as_str()).collect();
        assert!(reasons[0].starts_with("not a WARC record header"), "{reasons:?}");
        assert!(reasons[1].starts_with("Content-Length (20) does not end"), "{reasons:?}");
        assert!(reasons[2].contains("does not end"), "{reasons:?}");
        assert!(reasons[3].starts_with("missing or bad Content-Length (\"x"), "{reasons:?}");
        assert!(reasons[4].starts_with("truncated: Content-Length is"), "{reasons:?}");
        assert_eq!(reasons.len(), 5);
    }

    #[test]
    fn chunked_and_compressed_payloads() {
        let chunked = b"f\r\n<p>Chunked body\r\n6;ext=1\r\n text.\r\n4\r\n</p>\r\n0\r\n\r\n";
        let gz = gzip(PAGE);
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::fast());
        zlib.write_all(PAGE).unwrap();
        let zlib = zlib.finish().unwrap();
        let mut raw = DeflateEncoder::new(Vec::new(), Compression::fast());
        raw.write_all(PAGE).unwrap();
        let raw = raw.finish().unwrap();
        let mut warc = response_record(
            "https://e.example/1",
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            chunked,
        );
        warc.extend(response_record(
            "https://e.example/2",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gz,
        ));
        warc.extend(response_record(
            "https://e.example/3",
            "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
            &zlib,
        ));
        warc.extend(response_record(
            "https://e.example/4",
            "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
            &raw,
        ));
        // The header kept but the payload stored decoded (as crawlers do).
        warc.extend(response_record(
            "https://e.example/5",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            PAGE,
        ));
        warc.extend(response_record(
            "https://e.example/6",
            "Content-Type: text/html\r\nContent-Encoding: br\r\n",
            b"\x1b\x00binary",
        ));
        let out = read("crawl.warc", &warc).unwrap();
        let bodies: Vec<&[u8]> = out.records.iter().map(|r| r.body.as_slice()).collect();
        assert_eq!(bodies, [&b"<p>Chunked body text.</p>"[..], PAGE, PAGE, PAGE, PAGE]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].reason, "Content-Encoding br is not supported");
    }

    #[test]
    fn non_html_redirects_and_resources() {
        let mut warc = response_record(
            "https://f.example/img",
            "Content-Type: image/png\r\n",
            b"\x89PNG\r\n\x1a\n\x00",
        );
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n<a href=/x>moved</a>";
        warc.extend(record(
            "response",
            "https://f.example/old",
            "application/http; msgtype=response",
            redirect,
        ));
        warc.extend(response_record(
            "https://f.example/sniffed",
            "Server: x\r\n",
            b"<!DOCTYPE html><p>No type.</p>",
        ));
        warc.extend(record(
            "resource",
            "https://f.example/res",
            "text/html; charset=utf-8",
            b"<p>Resource.</p>",
        ));
        warc.extend(record(
            "metadata",
            "https://f.example/res",
            "application/warc-fields",
            b"via: x\r\n",
        ));
        let out = read("crawl.warc", &warc).unwrap();
        let urls: Vec<_> = out.records.iter().map(|r| r.meta.url.clone().unwrap()).collect();
        assert_eq!(urls, ["https://f.example/sniffed", "https://f.example/res"]);
        assert_eq!(out.records[1].charset.as_deref(), Some("utf-8"));
        let text = String::from_utf8_lossy(&warc);
        let resource_line = text.lines().position(|l| l == "<p>Resource.</p>").unwrap() as u32 + 1;
        assert_eq!(out.records[1].lines, LineMap::Offset { first: resource_line });
        assert_eq!(out.skipped, 3);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
    }

    #[test]
    fn a_record_over_the_size_limit_is_a_problem() {
        let mut warc =
            response_record("https://g.example/big", "Content-Type: text/html\r\n", &[b'x'; 5000]);
        warc.extend(response_record(
            "https://g.example/ok",
            "Content-Type: text/html\r\n",
            b"<p>ok</p>",
        ));
        let (_dir, path) = file("crawl.warc", &warc);
        let out =
            read_file(&path, &ReadConfig { max_filesize: 1000, ..ReadConfig::default() }).unwrap();
        assert_eq!(out.records.len(), 1);
        assert!(out.problems[0].reason.starts_with("larger than --max-filesize"));
        // A large video is not a page: skipped without a word.
        let video = "Content-Type: video/mp4\r\n";
        let mut warc = response_record("https://g.example/v", video, &[0; 5000]);
        let html = "Content-Type: text/html\r\n";
        warc.extend(response_record("https://g.example/ok", html, b"<p>ok</p>"));
        let (_dir, path) = file("crawl.warc", &warc);
        let config = ReadConfig { max_filesize: 1000, ..ReadConfig::default() };
        let out = read_file(&path, &config).unwrap();
        assert_eq!((out.records.len(), out.skipped, out.problems.len()), (1, 1, 0));
    }

    #[test]
    fn mutated_warcs_never_panic() {
        let mut warc = two_records();
        let chunked = b"5\r\n<p>ab\r\n0\r\n\r\n";
        let te = "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n";
        warc.extend(response_record("https://m.example/", te, chunked));
        let ce = "Content-Type: text/html\r\nContent-Encoding: gzip\r\n";
        warc.extend(response_record("https://m.example/gz", ce, &gzip(PAGE)));
        for mutant in mutants(&warc, 400) {
            let _ = read("m.warc", &mutant);
        }
        for mutant in mutants(&gzip(&warc), 100) {
            let _ = read("m.warc.gz", &mutant);
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let inputs: [&[u8]; 8] = [
            b"WARC/1.0",
            b"WARC/1.0\r\nContent-Length: 99999999999999999999\r\n\r\nx",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 4\r\n\r\nHTTP",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9\r\n\r\nHTTP/1.1 \r\n\r\n",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 20\r\n\r\nHTTP/1.1 200\r\n\r\n\r\n\r\n",
            b"\r\n\r\n\r\n",
            b"not a warc at all",
            b"WARC/1.0\r\n: \r\n\t\r\nContent-Length: 0\r\n\r\n",
        ];
        for input in inputs {
            let _ = read("a.warc", input);
        }
        assert!(matches!(read("a.warc", b"\r\n"), Err(ReadError::Skipped(_))));
        match read("a.html.warc", b"<html>not a warc</html>") {
            Err(ReadError::Failed(err)) => {
                assert_eq!(
                    format!("{err:#}"),
                    "no record could be read: byte 0: not a WARC record header; skipped to the next record"
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        let only_requests = record(
            "request",
            "https://h.example/",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        );
        match read("a.warc", &only_requests) {
            Err(ReadError::Skipped(reason)) => {
                assert_eq!(reason, "no HTML responses among its 1 WARC records")
            }
            other => panic!("expected a skip, got {other:?}"),
        }
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"ff\r\nshort").as_deref(), Some(&b"short"[..]));
    }
}
