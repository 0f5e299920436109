//! JSON Lines, NDJSON and JSON dumps: one article per object.
//!
//! Input: the (decompressed) byte stream of a `.jsonl`, `.ndjson` or `.json`
//! file. Output: one [`RawRecord`] per object with article text, handed to
//! the sink as soon as it is read, and a problem for every line or object
//! that could not be used.
//!
//! Three layouts are read, decided by the first bytes: one object per line
//! (JSON Lines; `record` is the line number), a JSON array of objects (`[`
//! first), or objects spread over several lines, one after another (a
//! `.json` file whose first line is not a whole object, or a `.jsonl` file
//! whose first line is a lone `{`); for the last two, `record` is the 1-based ordinal of the
//! object and `lines` the line where it starts. Arrays and object streams are
//! cut into objects by a small scanner, so only one object is in memory at a
//! time and a malformed object does not lose the others.
//!
//! A file that is one object holding no article text itself but a list of
//! objects that do (an API response: NewsAPI's `articles`, the Guardian's
//! `response.results`, Elasticsearch's `hits.hits`) gives one record per
//! listed object; `record` is its 1-based position in the list.
//!
//! Fields are found by their common names, at the top of the object or in an
//! object nested up to two levels down (`fields.body`, `_source.title`), key
//! case and `_`/`-` ignored; `--field NAME=PATH` overrides the guess. A value
//! may be a string, an array of strings (joined as paragraphs; for title, URL
//! and date, the first) or an object holding one (`{"rendered": "..."}`,
//! `{"$date": ..}`). The body is the first text-like field (`text`, `body`,
//! `content`, ...), else an HTML field (`html`, `bodyHtml`, ...), else a
//! summary (`description`, ...); it is HTML when it looks like markup, plain
//! text otherwise. Dates given as numbers are seconds or milliseconds since
//! 1970 and become RFC 3339; others are passed on as written.
//!
//! Failure behaviour: a malformed line or object, one that is not an object,
//! one without article text or larger than `max_filesize` is a problem, and
//! reading goes on. Invalid UTF-8 is decoded (UTF-8 with stray bytes read as
//! windows-1252, or the legacy charset the line plainly is in) and reported.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Field, FieldPath, Input, ReadConfig, Report};
use crate::decode;
use crate::model::{Format, LineMap, Meta, RawRecord};

/// Names of the title field, best first (normalised: lower case, letters and digits only).
const TITLE: &[&str] =
    &["title", "headline", "webtitle", "heading", "articletitle", "headlinetext"];
/// Names of the body field, best first. Plain text or HTML, decided by looking.
const TEXT: &[&str] = &[
    "text",
    "body",
    "content",
    "article",
    "maintext",
    "articlebody",
    "bodytext",
    "fulltext",
    "articletext",
    "contenttext",
    "plaintext",
    "story",
    "paragraphs",
];
/// Names of a summary field: the body when a record has nothing longer
/// (an RSS item's description).
const SUMMARY: &[&str] = &[
    "description",
    "summary",
    "abstract",
    "excerpt",
    "standfirst",
    "trailtext",
    "lead",
    "snippet",
];
/// What the readers are told when no body field is found.
const NO_TEXT_HINT: &str = "no field named text, body, content, html, description or the like; \
                            point at it with --field text=PATH";
/// Names of a body field that holds HTML.
const HTML: &[&str] = &[
    "html",
    "bodyhtml",
    "contenthtml",
    "articlehtml",
    "htmlcontent",
    "htmlbody",
    "rawhtml",
    "pagehtml",
    "rawcontent",
];
/// Names of the address field, best first.
const URL: &[&str] = &[
    "url",
    "link",
    "weburl",
    "canonicalurl",
    "canonical",
    "permalink",
    "uri",
    "articleurl",
    "pageurl",
    "sourceurl",
    "href",
    "links",
];
/// Names of the publication date field, best first.
const DATE: &[&str] = &[
    "published",
    "date",
    "pubdate",
    "webpublicationdate",
    "datepublish",
    "datepublished",
    "publishedat",
    "publicationdate",
    "publishdate",
    "publishedtime",
    "publishedon",
    "pubtime",
    "firstpublished",
    "datecreated",
    "createdat",
    "created",
    "datetime",
    "timestamp",
    "time",
];
/// Keys inside a field's object value that hold the field's text
/// (WordPress `{"rendered": ..}`, MongoDB `{"$date": ..}`).
const INNER: &[&str] =
    &["rendered", "value", "text", "html", "content", "body", "raw", "href", "date", "numberlong"];
/// Nested objects that describe something else than the article: their
/// `url` or `title` is not the article's. Matched on the key as written
/// (lower-cased), so that Elasticsearch's `_source` is still looked into.
const OTHER_THINGS: &[&str] = &[
    "author",
    "authors",
    "creator",
    "creators",
    "publisher",
    "source",
    "image",
    "images",
    "thumbnail",
    "media",
    "video",
    "photo",
    "logo",
    "user",
    "comments",
    "related",
    "tags",
];

/// Reads every object of a JSON dump.
pub(super) fn read(
    input: &mut Input,
    lines_by_name: bool,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    if input.peek(3).starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let first = loop {
        let ahead = input.peek(1);
        match ahead.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break ahead.get(i).copied(),
            None if ahead.is_empty() => break None,
            None => {
                let n = ahead.len();
                input.consume(n);
            }
        }
    };
    match first {
        None => {}
        Some(b'[') => read_values(input, true, config, report, sink),
        Some(_) => read_lines(input, lines_by_name, config, report, sink),
    }
}

/// Why a JSON file with no article text in any record is skipped.
pub(super) fn no_text_reason(config: &ReadConfig) -> String {
    match (config.field(Field::Text), config.field(Field::Html)) {
        (None, None) => format!("no record has article text ({NO_TEXT_HINT})"),
        (text, html) => {
            let paths: Vec<String> =
                text.into_iter().chain(html).map(ToString::to_string).collect();
            format!("no record has article text at {}", paths.join(" or "))
        }
    }
}

/// One object per line.
fn read_lines(
    input: &mut Input,
    lines_by_name: bool,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    let limit = usize::try_from(config.max_filesize).unwrap_or(usize::MAX);
    let mut line = Vec::new();
    let mut first = true;
    loop {
        let number = input.line();
        let Some(complete) = input.read_line(&mut line, limit) else { return };
        if !complete && input.error.is_some() {
            return; // A line cut off by a broken stream: the failure says so.
        }
        let location = format!("line {number}");
        if line.len() > limit {
            report
                .problems
                .push(location, format!("longer than --max-filesize ({limit} bytes), skipped"));
            continue;
        }
        let bytes = line.trim_ascii();
        if bytes.is_empty() {
            continue;
        }
        let was_first = std::mem::replace(&mut first, false);
        let text = utf8(bytes, &location, report);
        let value = match serde_json::from_str::<Value>(&text) {
            Ok(value) => value,
            Err(err) if was_first && err.is_eof() && (!lines_by_name || bytes == b"{") => {
                // A document over several lines, not JSON Lines: read objects
                // instead. In a `.jsonl` file only a `{` alone on the first
                // line (as jq, Python and JavaScript pretty-print) means that,
                // so that a first line merely cut short stays one malformed
                // line and cannot swallow the lines after it.
                let mut back = line.clone();
                back.push(b'\n');
                input.unread(&back);
                return read_values(input, false, config, report, sink);
            }
            Err(err) => {
                report.problems.push(location, json_error(&err, None));
                continue;
            }
        };
        let alone = was_first && value.is_object() && rest_is_blank(input);
        let place = Place { record: number, line: number, location: &location };
        emit(value, place, alone, config, report, sink);
    }
}

/// Decodes a line or object to text, reporting bytes that were not UTF-8.
fn utf8<'a>(bytes: &'a [u8], location: &str, report: &mut Report) -> Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            let decoded = decode::decode_utf8_leaning(bytes);
            let how = match (decoded.encoding, decoded.lossy) {
                ("UTF-8", false) => "decoded as UTF-8, stray bytes read as windows-1252".to_owned(),
                ("UTF-8", true) => {
                    "decoded as UTF-8, cut-off characters replaced with U+FFFD".to_owned()
                }
                (encoding, false) => format!("decoded as {encoding}"),
                (encoding, true) => {
                    format!("decoded as {encoding}, invalid bytes replaced with U+FFFD")
                }
            };
            report.problems.push(location, format!("not valid UTF-8: {how}"));
            Cow::Owned(decoded.text)
        }
    }
}

/// serde_json's message, with the position made relative to the file:
/// "line 7: expected value at column 3".
fn json_error(err: &serde_json::Error, first_line: Option<u64>) -> String {
    let message = err.to_string();
    let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
    match first_line {
        None => format!("{message} at column {}", err.column()),
        Some(first) => {
            let line = first.saturating_add(err.line() as u64).saturating_sub(1);
            format!("{message} at line {line} column {}", err.column())
        }
    }
}

/// An object being cut out of an array or a stream of objects.
struct Element {
    bytes: Vec<u8>,
    ordinal: u64,
    line: u64,
    too_long: bool,
}

/// The objects of a JSON array (`array`) or of a stream of objects one after
/// another, cut out by tracking strings and nesting.
fn read_values(
    input: &mut Input,
    array: bool,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    let element_depth = usize::from(array);
    let limit = config.max_filesize;
    let (mut depth, mut in_string, mut escape) = (0usize, false, false);
    let mut current: Option<Element> = None;
    let mut ordinal = 0u64;
    let mut stray_reported = false;
    let mut finished: Vec<Element> = Vec::new();
    loop {
        let mut line = input.line();
        let chunk = input.peek(1);
        if chunk.is_empty() {
            break;
        }
        for &b in chunk {
            if in_string {
                if let Some(element) = current.as_mut() {
                    push(element, b, limit);
                }
                if escape {
                    escape = false;
                } else if b == b'\\' {
                    escape = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == element_depth
                        && let Some(element) = current.take()
                    {
                        finished.push(element);
                    }
                }
            } else if depth < element_depth {
                // Outside the array: only the array's `[` is expected.
                if b == b'[' {
                    depth += 1;
                } else if !b.is_ascii_whitespace() && !stray_reported {
                    stray_reported = true;
                    report.problems.push(
                        format!("line {line}"),
                        "unexpected data after the JSON array, ignored",
                    );
                }
            } else {
                let at_top = depth == element_depth;
                match b {
                    b'{' | b'[' | b'"' => {
                        if at_top {
                            if let Some(element) = current.take() {
                                finished.push(element);
                            }
                            ordinal += 1;
                            current =
                                Some(Element { bytes: Vec::new(), ordinal, line, too_long: false });
                        }
                        if let Some(element) = current.as_mut() {
                            push(element, b, limit);
                        }
                        if b == b'"' {
                            in_string = true;
                        } else {
                            depth += 1;
                        }
                    }
                    b'}' | b']' if at_top => {
                        if let Some(element) = current.take() {
                            finished.push(element);
                        }
                        if depth > 0 {
                            depth -= 1; // The end of the array.
                        } else if !stray_reported {
                            stray_reported = true;
                            report.problems.push(
                                format!("line {line}"),
                                format!("unmatched {:?}, ignored", b as char),
                            );
                        }
                    }
                    b'}' | b']' => {
                        if let Some(element) = current.as_mut() {
                            push(element, b, limit);
                        }
                        depth -= 1;
                        if depth == element_depth
                            && let Some(element) = current.take()
                        {
                            finished.push(element);
                        }
                    }
                    b',' if at_top => {
                        if let Some(element) = current.take() {
                            finished.push(element);
                        }
                    }
                    _ if at_top && b.is_ascii_whitespace() => {
                        if let Some(element) = current.take() {
                            finished.push(element);
                        }
                    }
                    _ => {
                        if at_top && current.is_none() {
                            ordinal += 1;
                            current =
                                Some(Element { bytes: Vec::new(), ordinal, line, too_long: false });
                        }
                        if let Some(element) = current.as_mut() {
                            push(element, b, limit);
                        }
                    }
                }
            }
            if b == b'\n' {
                line += 1;
            }
        }
        let n = chunk.len();
        input.consume(n);
        // The first object is the whole file when nothing follows it.
        let alone = !array
            && finished.len() == 1
            && finished.first().is_some_and(|e| e.ordinal == 1)
            && current.is_none()
            && rest_is_blank(input);
        for element in finished.drain(..) {
            parse_element(element, alone, config, report, sink);
        }
    }
    if let Some(element) = current.take() {
        if depth == element_depth && !in_string {
            parse_element(element, false, config, report, sink); // A scalar at the very end.
        } else if input.error.is_none() {
            let location = format!("record {} (line {})", element.ordinal, element.line);
            report.problems.push(location, "the file ends inside this value");
        }
    }
}

/// Parses an object cut out of an array or stream and hands it on.
fn parse_element(
    element: Element,
    alone: bool,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    let location = format!("record {} (line {})", element.ordinal, element.line);
    if element.too_long {
        let limit = config.max_filesize;
        report
            .problems
            .push(location, format!("larger than --max-filesize ({limit} bytes), skipped"));
        return;
    }
    let text = utf8(&element.bytes, &location, report);
    match serde_json::from_str::<Value>(&text) {
        Ok(value) => {
            let place = Place { record: element.ordinal, line: element.line, location: &location };
            emit(value, place, alone, config, report, sink);
        }
        Err(err) => report.problems.push(location, json_error(&err, Some(element.line))),
    }
}

/// True when only whitespace is left in the stream (looking at most 1 MiB ahead).
fn rest_is_blank(input: &mut Input) -> bool {
    let mut n = 4096;
    loop {
        let ahead = input.peek(n);
        if ahead.iter().any(|b| !b.is_ascii_whitespace()) {
            return false;
        }
        if ahead.len() < n {
            return true;
        }
        if n >= 1 << 20 {
            return false;
        }
        n *= 2;
    }
}

fn push(element: &mut Element, b: u8, limit: u64) {
    if element.bytes.len() as u64 >= limit {
        element.too_long = true;
    } else if !element.too_long {
        element.bytes.push(b);
    }
}

/// Where a parsed value came from.
#[derive(Clone, Copy)]
struct Place<'a> {
    /// Its `record` number.
    record: u64,
    /// The file line where it starts.
    line: u64,
    /// How problems name it.
    location: &'a str,
}

/// Turns a parsed object into a record and hands it over, or reports why
/// not. An object that is the whole file (`alone`) and holds no article text
/// itself but a list of objects that do (an API response: `articles`,
/// `response.results`, `hits.hits`) gives one record per object of the list,
/// numbered from 1.
fn emit(
    value: Value,
    place: Place<'_>,
    alone: bool,
    config: &ReadConfig,
    report: &mut Report,
    sink: &mut dyn FnMut(RawRecord),
) {
    let Value::Object(mut object) = value else {
        report.problems.push(place.location, format!("not a JSON object but {}", kind(&value)));
        return;
    };
    let Some((body, format)) = body(&mut object, config) else {
        if alone && let Some((path, items)) = take_record_list(&mut object, config) {
            for (i, item) in items.into_iter().enumerate() {
                let record = i as u64 + 1;
                let location = format!("{path} item {record}");
                let inner = Place { record, line: place.line, location: &location };
                emit(item, inner, false, config, report, sink);
            }
            return;
        }
        report.no_text += 1;
        let reason = match (config.field(Field::Text), config.field(Field::Html)) {
            (None, None) => format!("no article text ({NO_TEXT_HINT})"),
            (text, html) => {
                let paths: Vec<String> =
                    text.into_iter().chain(html).map(ToString::to_string).collect();
                format!("no article text at {}", paths.join(" or "))
            }
        };
        report.problems.push(place.location, reason);
        return;
    };
    let meta = Meta {
        title: field(&mut object, config.field(Field::Title), TITLE).map(|t| plain_title(&t)),
        url: field(&mut object, config.field(Field::Url), URL).map(|u| u.trim().to_owned()),
        published: date(&mut object, config.field(Field::Date)),
        fetched: None,
    };
    report.records += 1;
    sink(RawRecord {
        record: Some(place.record),
        lines: LineMap::Fixed(u32::try_from(place.line).unwrap_or(u32::MAX)),
        format,
        body: body.into_bytes(),
        // The text is Unicode already: a `<meta charset>` inside an HTML
        // string must not change how it is read.
        charset: Some("UTF-8".to_owned()),
        meta,
    });
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first list of objects, up to three levels down, in which some object
/// has article text; taken out of `object`, with its dotted path.
fn take_record_list(
    object: &mut Map<String, Value>,
    config: &ReadConfig,
) -> Option<(String, Vec<Value>)> {
    let path = find_record_list(object, config, 3)?;
    let Value::Array(items) = take_at(object, &path)? else { return None };
    Some((path.join("."), items))
}

fn find_record_list(
    object: &Map<String, Value>,
    config: &ReadConfig,
    depth: usize,
) -> Option<Vec<String>> {
    for (key, value) in object {
        let found = match value {
            Value::Array(items) => items
                .iter()
                .take(100)
                .any(|item| matches!(item, Value::Object(inner) if has_body(inner, config)))
                .then(Vec::new),
            Value::Object(inner) if depth > 1 => find_record_list(inner, config, depth - 1),
            _ => None,
        };
        if let Some(mut path) = found {
            path.insert(0, key.clone());
            return Some(path);
        }
    }
    None
}

/// Whether [`body`] would find article text in `object`.
fn has_body(object: &Map<String, Value>, config: &ReadConfig) -> bool {
    let overrides: Vec<&FieldPath> =
        config.field(Field::Text).into_iter().chain(config.field(Field::Html)).collect();
    if !overrides.is_empty() {
        return overrides.iter().any(|path| get_at(object, path.segments()).is_some_and(has_text));
    }
    find(object, TEXT, 2).is_some()
        || find(object, HTML, 2).is_some()
        || find(object, SUMMARY, 1).is_some()
}

/// The value at `path`, as [`take_at`] finds it, without taking it.
fn get_at<'a>(object: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut value = object
        .get(first)
        .or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(first)).map(|(_, v)| v))?;
    for segment in rest {
        value = match value {
            Value::Object(inner) => inner.get(segment).or_else(|| {
                inner.iter().find(|(k, _)| k.eq_ignore_ascii_case(segment)).map(|(_, v)| v)
            })?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The article body and its format.
fn body(object: &mut Map<String, Value>, config: &ReadConfig) -> Option<(String, Format)> {
    let (text, html) = (config.field(Field::Text), config.field(Field::Html));
    if text.is_some() || html.is_some() {
        if let Some(text) = text.and_then(|path| take_at(object, path.segments()))
            && let Some(text) = string_of(text)
        {
            let format = if looks_like_html(&text) { Format::Html } else { Format::Text };
            return Some((text, format));
        }
        let html = html.and_then(|path| take_at(object, path.segments())).and_then(string_of)?;
        return Some((html, Format::Html));
    }
    if let Some(text) =
        find(object, TEXT, 2).and_then(|path| take_at(object, &path)).and_then(string_of)
    {
        let format = if looks_like_html(&text) { Format::Html } else { Format::Text };
        return Some((text, format));
    }
    if let Some(html) =
        find(object, HTML, 2).and_then(|path| take_at(object, &path)).and_then(string_of)
    {
        return Some((html, Format::Html));
    }
    let summary =
        find(object, SUMMARY, 1).and_then(|path| take_at(object, &path)).and_then(string_of)?;
    let format = if looks_like_html(&summary) { Format::Html } else { Format::Text };
    Some((summary, format))
}

/// A text field: the override's value, or the first of `names` found.
fn field(
    object: &mut Map<String, Value>,
    path: Option<&FieldPath>,
    names: &[&str],
) -> Option<String> {
    let value = match path {
        Some(path) => take_at(object, path.segments())?,
        None => take_at(object, &find(object, names, 2)?)?,
    };
    // One title, one address: the first of a list.
    match value {
        Value::Array(items) => items.into_iter().find_map(string_of),
        value => string_of(value),
    }
}

/// The publication date: a string as written, or a number of seconds (or
/// milliseconds) since 1970 as RFC 3339.
fn date(object: &mut Map<String, Value>, path: Option<&FieldPath>) -> Option<String> {
    let value = match path {
        Some(path) => take_at(object, path.segments())?,
        None => take_at(object, &find(object, DATE, 2)?)?,
    };
    let text = match value {
        Value::Number(n) => return from_epoch(n.as_f64()?),
        Value::Array(items) => items.into_iter().find_map(string_of)?,
        value => string_of(value)?,
    };
    let digits = text.trim();
    if (9..=13).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return from_epoch(digits.parse::<f64>().ok()?);
    }
    Some(text)
}

fn from_epoch(epoch: f64) -> Option<String> {
    let seconds = if epoch.abs() >= 1e11 { epoch / 1000.0 } else { epoch };
    if !seconds.is_finite() {
        return None;
    }
    let date = chrono::DateTime::from_timestamp(seconds.trunc() as i64, 0)?;
    Some(date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Lower case, ASCII letters and digits only: `date_publish` → `datepublish`.
fn normalise(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The path to the first field named one of `names` (in that order of
/// preference) that holds text: in `object` itself, then in the objects it
/// holds, `depth` levels down at most.
fn find(object: &Map<String, Value>, names: &[&str], depth: usize) -> Option<Vec<String>> {
    let keys: Vec<(String, &String, &Value)> =
        object.iter().map(|(k, v)| (normalise(k), k, v)).collect();
    for name in names {
        if let Some((_, key, _)) =
            keys.iter().find(|(norm, _, value)| norm == name && has_text(value))
        {
            return Some(vec![(*key).clone()]);
        }
    }
    if depth == 0 {
        return None;
    }
    for (_, key, value) in &keys {
        if let Value::Object(inner) = value
            && !OTHER_THINGS.contains(&key.to_ascii_lowercase().as_str())
            && let Some(mut path) = find(inner, names, depth - 1)
        {
            path.insert(0, (*key).clone());
            return Some(path);
        }
    }
    None
}

/// Whether [`string_of`] would find text in `value` (or it is a number, for dates).
fn has_text(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.trim().is_empty(),
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(has_text),
        Value::Object(inner) => {
            inner.iter().any(|(k, v)| INNER.contains(&normalise(k).as_str()) && has_text(v))
        }
        Value::Null | Value::Bool(_) => false,
    }
}

/// Follows `path` (keys, or indexes into arrays) and takes the value there
/// out of `object`. A key that is not there exactly is matched ignoring case.
fn take_at(object: &mut Map<String, Value>, path: &[String]) -> Option<Value> {
    let (first, rest) = path.split_first()?;
    let key = if object.contains_key(first) {
        first.clone()
    } else {
        object.keys().find(|k| k.eq_ignore_ascii_case(first))?.clone()
    };
    let mut value = object.get_mut(&key)?;
    for segment in rest {
        value = match value {
            Value::Object(inner) => {
                let key = if inner.contains_key(segment) {
                    segment.clone()
                } else {
                    inner.keys().find(|k| k.eq_ignore_ascii_case(segment))?.clone()
                };
                inner.get_mut(&key)?
            }
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value.take())
}

/// The text a value holds: a string; the strings of an array, as
/// paragraphs; the text of an object's `rendered`/`value`/... key. `None`
/// when it is empty.
fn string_of(value: Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items.into_iter().filter_map(string_of).collect();
            parts.join("\n\n")
        }
        Value::Object(mut inner) => {
            let key = INNER.iter().find_map(|name| {
                inner
                    .iter()
                    .find(|(k, v)| normalise(k) == *name && has_text(v))
                    .map(|(k, _)| k.clone())
            })?;
            return inner.remove(&key).and_then(string_of);
        }
        Value::Null | Value::Bool(_) => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Whether a body is HTML: it starts with a tag, or holds block-level tags
/// (`<p>`, `<div>`, `<br>`, ...), or inline tags on a single line. Plain text
/// with a stray tag or two and its paragraphs on separate lines stays text,
/// so that its line breaks are kept.
pub(super) fn looks_like_html(text: &str) -> bool {
    const BLOCK: &[&[u8]] = &[
        b"p",
        b"br",
        b"div",
        b"h1",
        b"h2",
        b"h3",
        b"h4",
        b"h5",
        b"h6",
        b"ul",
        b"ol",
        b"li",
        b"table",
        b"tr",
        b"td",
        b"blockquote",
        b"figure",
        b"section",
        b"article",
        b"html",
        b"body",
        b"main",
        b"header",
        b"footer",
        b"aside",
        b"pre",
        b"hr",
        b"!doctype",
    ];
    const INLINE: &[&[u8]] = &[b"a", b"span", b"strong", b"em", b"b", b"i", b"img", b"figcaption"];
    let trimmed = text.trim_start().as_bytes();
    if trimmed.first() == Some(&b'<')
        && trimmed.get(1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'!')
    {
        return true;
    }
    let bytes = text.as_bytes();
    let (mut block, mut inline) = (0, 0);
    for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'<') {
        let rest = &bytes[i + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        let is = |tags: &[&[u8]]| {
            tags.iter().any(|tag| {
                rest.get(..tag.len()).is_some_and(|head| head.eq_ignore_ascii_case(tag))
                    && rest
                        .get(tag.len())
                        .is_some_and(|b| matches!(b, b'>' | b' ' | b'/' | b'\t' | b'\n'))
            })
        };
        if is(BLOCK) {
            block += 1;
        } else if is(INLINE) {
            inline += 1;
        }
        if block >= 2 {
            return true;
        }
    }
    inline >= 2 && !text.contains('\n')
}

/// A title without tags and with HTML character references resolved
/// (`Foo &amp; Bar` → `Foo & Bar`), whitespace folded.
fn plain_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(tag) = after.strip_prefix('<') {
            match tag.find('>') {
                Some(end) if tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                    rest = &tag[end + 1..];
                }
                _ => {
                    out.push('<');
                    rest = tag;
                }
            }
        } else {
            match character_reference(after) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &after[len..];
                }
                None => {
                    out.push('&');
                    rest = &after[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character of a reference at the start of `text` (`&amp;`, `&#8217;`,
/// `&#x2019;`) and the reference's length.
fn character_reference(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = text.get(1..end)?;
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ndash" => '–',
            "mdash" => '—',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "hellip" => '…',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{file, gzip, mutants, read};
    use super::super::{ReadError, ReadOutput, read_file, read_records};
    use super::*;

    fn bodies(out: &ReadOutput) -> Vec<String> {
        out.records.iter().map(|r| String::from_utf8_lossy(&r.body).into_owned()).collect()
    }

    fn with_fields(specs: &[&str]) -> ReadConfig {
        let fields = specs.iter().map(|s| ReadConfig::parse_field(s).unwrap()).collect();
        ReadConfig { fields, ..ReadConfig::default() }
    }

    const DUMP: &str = r#"{"title": "First", "text": "Plain body one.", "url": "https://a.example/1", "date": "2024-05-01"}
{"headline": "Second", "body": "<p>HTML body.</p><p>More.</p>", "link": "https://a.example/2"}

{"title": "Broken", "text": oops}
{"webTitle": "Guardian-like", "webUrl": "https://g.example/x", "webPublicationDate": "2022-05-26T14:52:58Z", "fields": {"headline": "Nested headline", "body": "<div><p>Nested body.</p></div>"}}
"#;

    #[test]
    fn json_lines_with_common_field_names() {
        let out = read("dump.jsonl", DUMP.as_bytes()).unwrap();
        assert_eq!(
            bodies(&out),
            ["Plain body one.", "<p>HTML body.</p><p>More.</p>", "<div><p>Nested body.</p></div>"]
        );
        let [one, two, four] = &out.records[..] else { panic!() };
        assert_eq!((one.record, one.lines, one.format), (Some(1), LineMap::Fixed(1), Format::Text));
        assert_eq!(one.meta.title.as_deref(), Some("First"));
        assert_eq!(one.meta.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(one.meta.published.as_deref(), Some("2024-05-01"));
        assert_eq!(one.charset.as_deref(), Some("UTF-8"));
        assert_eq!((two.record, two.format), (Some(2), Format::Html));
        assert_eq!(two.meta.title.as_deref(), Some("Second"));
        assert_eq!(two.meta.published, None);
        assert_eq!((four.record, four.lines), (Some(5), LineMap::Fixed(5)));
        assert_eq!(four.meta.title.as_deref(), Some("Guardian-like"));
        assert_eq!(four.meta.url.as_deref(), Some("https://g.example/x"));
        assert_eq!(four.meta.published.as_deref(), Some("2022-05-26T14:52:58Z"));
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].location, "line 4");
        assert_eq!(out.problems[0].reason, "expected value at column 29");
    }

    #[test]
    fn gzipped_json_lines_stream() {
        let (_dir, path) = file("dump.jsonl.gz", &gzip(DUMP.as_bytes()));
        let mut seen = Vec::new();
        let summary =
            read_records(&path, &ReadConfig::default(), &mut |r| seen.push(r.record)).unwrap();
        assert_eq!(seen, [Some(1), Some(2), Some(5)]);
        assert_eq!((summary.records, summary.problems.len()), (3, 1));
        assert!(summary.failure.is_none());
    }

    #[test]
    fn truncated_gzip_keeps_the_lines_before_the_break() {
        let line =
            r#"{"title": "T", "text": "Some words that compress well enough, again and again."}"#;
        let dump = format!("{line}\n").repeat(2000);
        let gz = gzip(dump.as_bytes());
        let (_dir, path) = file("dump.jsonl.gz", &gz[..gz.len() / 2]);
        let out = read_file(&path, &ReadConfig::default()).unwrap();
        assert!(!out.records.is_empty() && out.records.len() < 2000);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let failure = format!("{:#}", out.failure.expect("a failure"));
        assert!(
            failure.contains("gzip") && failure.contains("records before the break were kept"),
            "{failure}"
        );
    }

    #[test]
    fn overrides_point_at_fields() {
        let line = r#"{"a": {"b": "Override body."}, "text": "Default body.", "meta": {"when": 1653576778}, "h": ["Hd"]}"#;
        let (_dir, path) = file("x.ndjson", line.as_bytes());
        let config = with_fields(&["text=a.b", "date=meta.when", "title=h.0"]);
        let out = read_file(&path, &config).unwrap();
        assert_eq!(bodies(&out), ["Override body."]);
        assert_eq!(out.records[0].meta.published.as_deref(), Some("2022-05-26T14:52:58Z"));
        assert_eq!(out.records[0].meta.title.as_deref(), Some("Hd"));
        let config = with_fields(&["html=text"]);
        let out = read_file(&path, &config).unwrap();
        assert_eq!(out.records[0].format, Format::Html);
        let config = with_fields(&["text=missing"]);
        match read_file(&path, &config) {
            Err(ReadError::Skipped(reason)) => assert!(reason.contains("at missing"), "{reason}"),
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn nested_sources_summaries_and_other_things_urls() {
        let dump = concat!(
            r#"{"_id": "1", "_source": {"Title": "From ES", "Body_Text": "Elastic body.", "published_at": 1700000000000}}"#,
            "\n",
            r#"{"title": "RSS item", "description": "Only a summary.", "author": {"name": "A", "url": "https://a.example/me"}}"#,
            "\n",
            r#"{"title": "Both", "description": "Summary.", "content": ["Para one.", "Para two."]}"#,
            "\n"
        );
        let out = read("dump.jsonl", dump.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["Elastic body.", "Only a summary.", "Para one.\n\nPara two."]);
        assert_eq!(out.records[0].meta.title.as_deref(), Some("From ES"));
        assert_eq!(out.records[0].meta.published.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(out.records[1].meta.url, None);
    }

    #[test]
    fn lists_and_extended_json() {
        let dump = concat!(
            r#"{"text": "Body.", "title": ["First title", "Second"], "links": [{"href": "https://l.example/1"}, {"href": "https://l.example/2"}], "date": {"$date": {"$numberLong": "1653576778000"}}}"#,
            "\n"
        );
        let out = read("dump.jsonl", dump.as_bytes()).unwrap();
        let meta = &out.records[0].meta;
        assert_eq!(meta.title.as_deref(), Some("First title"));
        assert_eq!(meta.url.as_deref(), Some("https://l.example/1"));
        assert_eq!(meta.published.as_deref(), Some("2022-05-26T14:52:58Z"));
    }

    #[test]
    fn api_responses_give_one_record_per_listed_article() {
        let newsapi = r#"{"status": "ok", "totalResults": 3, "articles": [
  {"source": {"id": null, "name": "Wire"}, "title": "One", "url": "https://n.example/1", "publishedAt": "2024-05-01T10:00:00Z", "content": "First body."},
  {"title": "No body"},
  {"title": "Three", "description": "Third summary."}
]}"#;
        let out = read("newsapi.json", newsapi.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["First body.", "Third summary."]);
        assert_eq!(out.records.iter().map(|r| r.record).collect::<Vec<_>>(), [Some(1), Some(3)]);
        assert_eq!(out.records[0].meta.url.as_deref(), Some("https://n.example/1"));
        assert_eq!(out.problems[0].location, "articles item 2");
        // Pretty-printed, one level deeper, as the Guardian API answers.
        let guardian = "{\n  \"response\": {\n    \"status\": \"ok\",\n    \"results\": [\n      {\"webTitle\": \"G\", \"fields\": {\"body\": \"<p>Body.</p>\"}}\n    ]\n  }\n}\n";
        let out = read("page-1.json", guardian.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["<p>Body.</p>"]);
        assert_eq!(out.records[0].meta.title.as_deref(), Some("G"));
        // A list inside one record of many is not expanded.
        let lines = "{\"items\": [{\"text\": \"a\"}]}\n{\"text\": \"b\"}\n";
        let out = read("two.jsonl", lines.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["b"]);
    }

    #[test]
    fn json_array_pretty_printed() {
        let dump = "[\n  {\n    \"title\": \"One\",\n    \"content\": \"Body, with [brackets] and {braces} and \\\"quotes\\\".\"\n  },\n  42,\n  {\"title\": \"Two\", \"content\": {\"rendered\": \"<p>Two.</p>\"}}\n]\n";
        let out = read("dump.json", dump.as_bytes()).unwrap();
        assert_eq!(
            bodies(&out),
            ["Body, with [brackets] and {braces} and \"quotes\".", "<p>Two.</p>"]
        );
        let records: Vec<_> = out.records.iter().map(|r| (r.record, r.lines)).collect();
        assert_eq!(records, [(Some(1), LineMap::Fixed(2)), (Some(3), LineMap::Fixed(7))]);
        assert_eq!(out.records[1].format, Format::Html);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].location, "record 2 (line 6)");
        assert_eq!(out.problems[0].reason, "not a JSON object but a number");
    }

    #[test]
    fn malformed_array_element_does_not_lose_the_others() {
        let dump = "[{\"text\": \"A.\"}, {\"text\": tru}, {\"text\": \"C.\"}]";
        let out = read("dump.json", dump.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["A.", "C."]);
        assert_eq!(out.problems[0].location, "record 2 (line 1)");
        assert!(
            out.problems[0].reason.starts_with("expected ident at line 1 column"),
            "{:?}",
            out.problems
        );
    }

    #[test]
    fn a_first_line_cut_short_does_not_swallow_the_rest() {
        let dump = "{\"title\": \"cut\", \"text\": \"Th\n{\"text\": \"Second.\"}\n{\"text\": \"Third.\"}\n";
        let out = read("dump.jsonl", dump.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["Second.", "Third."]);
        assert_eq!(out.problems[0].location, "line 1");
    }

    #[test]
    fn pretty_printed_objects_one_after_another() {
        let dump = "{\n  \"title\": \"One\",\n  \"text\": \"First.\"\n}\n{\n  \"title\": \"Two\",\n  \"text\": \"Second.\"\n}\n";
        let out = read("dump.json", dump.as_bytes()).unwrap();
        assert_eq!(bodies(&out), ["First.", "Second."]);
        assert_eq!(out.records[1].lines, LineMap::Fixed(5));
        assert!(out.problems.is_empty());
    }

    #[test]
    fn metadata_without_text_is_skipped() {
        let dump = "{\"newid\": 1, \"topics\": [\"cocoa\"]}\n{\"newid\": 2, \"topics\": []}\n";
        match read("metadata.jsonl", dump.as_bytes()) {
            Err(ReadError::Skipped(reason)) => {
                assert!(reason.starts_with("no record has article text"), "{reason}")
            }
            other => panic!("expected a skip, got {other:?}"),
        }
        let dump = "{\"text\": \"Body.\"}\n{\"title\": \"No body\"}\n";
        let out = read("dump.jsonl", dump.as_bytes()).unwrap();
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.problems[0].location, "line 2");
        assert!(out.problems[0].reason.starts_with("no article text"));
    }

    #[test]
    fn invalid_utf8_is_decoded_and_said() {
        let mut dump = "{\"title\": \"Caf\u{e9} cr\u{e8}me\", \"text\": \"Gr\u{fc}\u{df}e aus K\u{f6}ln \u{2014} ".as_bytes().to_vec();
        dump.extend_from_slice(b"bad \xFF byte\"}\n");
        let cp1251 = encoding_rs::WINDOWS_1251
            .encode("{\"text\": \"Новости дня: в городе открыли новый мост.\"}\n")
            .0;
        dump.extend_from_slice(&cp1251);
        let out = read("dump.jsonl", &dump).unwrap();
        let bodies = bodies(&out);
        assert_eq!(bodies[0], "Grüße aus Köln — bad ÿ byte");
        assert_eq!(out.records[0].meta.title.as_deref(), Some("Café crème"));
        assert_eq!(bodies[1], "Новости дня: в городе открыли новый мост.");
        let reasons: Vec<_> =
            out.problems.iter().map(|p| (p.location.as_str(), p.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                ("line 1", "not valid UTF-8: decoded as UTF-8, stray bytes read as windows-1252"),
                ("line 2", "not valid UTF-8: decoded as windows-1251")
            ]
        );
    }

    #[test]
    fn a_file_with_no_readable_object_fails_and_an_empty_one_is_skipped() {
        match read("page.jsonl", b"<html>\n<body>\n") {
            Err(ReadError::Failed(err)) => assert_eq!(
                format!("{err:#}"),
                "no record could be read: line 1: expected value at column 1 (and 1 more)"
            ),
            other => panic!("expected a failure, got {other:?}"),
        }
        match read("empty.json", b"[]") {
            Err(ReadError::Skipped(reason)) => assert_eq!(reason, "no JSON objects"),
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn mutated_dumps_never_panic() {
        let array =
            "[{\"title\": \"A\", \"text\": \"<p>x</p>\"}, {\"content\": {\"rendered\": \"y\"}}]";
        for source in [DUMP, array] {
            for (i, mutant) in mutants(source.as_bytes(), 300).into_iter().enumerate() {
                let name = if i % 2 == 0 { "m.jsonl" } else { "m.json" };
                let _ = read(name, &mutant);
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep_obj = format!("{{\"text\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let inputs: Vec<Vec<u8>> = vec![
            deep.clone().into_bytes(),
            deep_obj.into_bytes(),
            format!("{{\"text\": \"{}\"}}", "x".repeat(1_000_000)).into_bytes(),
            b"[".to_vec(),
            b"]]]}}}".to_vec(),
            b"{\"text\": \"unterminated".to_vec(),
            b"{\"text\": \"a\\u0000b\"}\n\"just a string\"\nnull\n".to_vec(),
            b"[\"a\", 1, true, null, {\"text\": \"ok\"}] trailing".to_vec(),
            b"\xEF\xBB\xBF{\"text\": \"bom\"}".to_vec(),
            b"{\"text\": {\"$date\": 1}}".to_vec(),
        ];
        for input in inputs {
            for name in ["a.json", "a.jsonl"] {
                let _ = read(name, &input);
            }
        }
        let out = read("a.json", b"\xEF\xBB\xBF{\"text\": \"bom\"}").unwrap();
        assert_eq!(bodies(&out), ["bom"]);
        let out = read("a.json", b"[\"a\", 1, {\"text\": \"ok\"}] trailing").unwrap();
        assert_eq!(bodies(&out), ["ok"]);
        assert_eq!(out.problems.len(), 3);
    }

    #[test]
    fn too_long_records_are_problems() {
        let dump = format!("{{\"text\": \"{}\"}}\n{{\"text\": \"short\"}}\n", "x".repeat(500));
        let (_dir, path) = file("a.jsonl", dump.as_bytes());
        let config = ReadConfig { max_filesize: 100, ..ReadConfig::default() };
        let out = read_file(&path, &config).unwrap();
        assert_eq!(bodies(&out), ["short"]);
        assert_eq!(out.problems[0].location, "line 1");
        let dump = format!("[{{\"text\": \"{}\"}}, {{\"text\": \"short\"}}]", "x".repeat(500));
        let (_dir, path) = file("a.json", dump.as_bytes());
        let out = read_file(&path, &config).unwrap();
        assert_eq!(bodies(&out), ["short"]);
        assert!(out.problems[0].reason.contains("max-filesize"));
    }

    #[test]
    fn markup_detection() {
        assert!(looks_like_html("<p>One.</p>"));
        assert!(looks_like_html("  <div class=x>text</div>"));
        assert!(looks_like_html("Intro<br>line<br/>two"));
        assert!(!looks_like_html("if a < b and c > d then"));
        assert!(!looks_like_html("Use the <p> tag for paragraphs."));
        assert!(!looks_like_html(""));
        assert!(looks_like_html("One <a href=x>link</a> and <em>two</em>."));
        assert!(!looks_like_html(
            "First <a href=x>link</a> and <em>two</em>.\n\nSecond paragraph."
        ));
    }

    #[test]
    fn titles_are_plain() {
        assert_eq!(
            plain_title("Tom &amp; Jerry&#8217;s <em>big</em>  day &#x2014; &bogus; & co"),
            "Tom & Jerry’s big day — &bogus; & co"
        );
        assert_eq!(plain_title("a < b"), "a < b");
        assert_eq!(plain_title("&#99999999;&"), "&#99999999;&");
    }

    #[test]
    fn epoch_dates() {
        assert_eq!(from_epoch(1_653_576_778.0).as_deref(), Some("2022-05-26T14:52:58Z"));
        assert_eq!(from_epoch(1_653_576_778_000.0).as_deref(), Some("2022-05-26T14:52:58Z"));
        assert_eq!(from_epoch(f64::MAX), None);
        assert_eq!(from_epoch(f64::NAN), None);
    }
}
