//! JSON Lines: one `{"type":"hit","data":{..}}` per passage, then one
//! `{"type":"summary","data":{..}}`. The field set is a contract with
//! scripts: changing it means changing the README and `tests/it/json.rs`.

use std::io::{self, Write};

use serde::Serialize;

use super::Printer;
use crate::model::{Hit, Summary};

/// Prints hits as JSON Lines.
pub struct JsonPrinter<W> {
    wtr: W,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `wtr`.
    pub fn new(wtr: W) -> JsonPrinter<W> {
        JsonPrinter { wtr }
    }
}

/// The envelope: `type` says what `data` holds.
#[derive(Serialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
enum Message<'a> {
    Hit(&'a Hit),
    Summary(&'a Summary),
}

/// Writes one value as a line of JSON.
pub fn write_line<W: Write, T: Serialize>(wtr: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *wtr, value).map_err(io::Error::from)?;
    wtr.write_all(b"\n")
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        write_line(&mut self.wtr, &Message::Hit(hit))
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        write_line(&mut self.wtr, &Message::Summary(summary))?;
        self.wtr.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LineSpan, Span};

    #[test]
    fn envelope() {
        let hit = Hit {
            rank: 1,
            score: 1.5,
            doc: 7,
            path: "a.txt".into(),
            record: None,
            lines: LineSpan::one(3),
            url: None,
            site: None,
            title: Some("T".into()),
            published: None,
            lang: None,
            passage: 0,
            text: "Jassy said".into(),
            highlights: vec![Span { start: 0, end: 5 }],
            entities: vec![],
            figures: vec![],
            duplicates: 0,
        };
        let mut out = Vec::new();
        let mut printer = JsonPrinter::new(&mut out);
        printer.hit(&hit).unwrap();
        printer.finish(&Summary { returned: 1, matched: 1 }).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with(r#"{"type":"hit","data":{"rank":1,"score":1.5,"doc":7"#));
        assert!(lines[0].contains(r#""highlights":[{"start":0,"end":5}]"#));
        assert_eq!(lines[1], r#"{"type":"summary","data":{"returned":1,"matched":1}}"#);
    }
}
