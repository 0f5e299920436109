//! The JSON Lines contract of `lede query --json` and `lede extract --json`:
//! mirrored here with `deny_unknown_fields`, so any change to the wire format
//! fails until this file and the README change with it.

use serde::Deserialize;

use crate::util::TestEnv;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Message {
    Hit(Box<Hit>),
    Summary(Summary),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Every field is deserialized: that is the contract check.
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub doc: u64,
    pub path: String,
    pub record: Option<u64>,
    pub lines: Lines,
    pub url: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: Option<String>,
    pub passage: u64,
    pub text: String,
    pub highlights: Vec<Span>,
    pub entities: Vec<EntityRef>,
    pub figures: Vec<FigureRef>,
    pub duplicates: u64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lines {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct EntityRef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FigureRef {
    pub value: f64,
    pub kind: String,
    pub unit: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub returned: usize,
    pub matched: usize,
}

/// Every line of `stdout` as a message; panics on any line that is not one.
pub fn messages(stdout: &str) -> Vec<Message> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The hits of a `--json` query.
pub fn hits(env: &TestEnv, args: &[&str]) -> Vec<Hit> {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let (_, stdout, _) = env.query(&full);
    messages(&stdout)
        .into_iter()
        .filter_map(|m| match m {
            Message::Hit(hit) => Some(*hit),
            Message::Summary(_) => None,
        })
        .collect()
}

#[test]
fn hits_then_a_summary_with_every_field() {
    let env = TestEnv::indexed();
    let (code, stdout, stderr) = env.query(&["--json", "roles"]);
    assert_eq!(code, 0, "{stderr}");
    let msgs = messages(&stdout);
    let [Message::Hit(hit), Message::Summary(summary)] = &msgs[..] else {
        panic!("expected one hit and a summary, got {msgs:?}");
    };
    assert_eq!((hit.rank, hit.path.as_str()), (1, "corpus/layoffs.txt"));
    assert!(hit.score > 0.0);
    assert_eq!(hit.record, None);
    assert!(hit.lines.start >= 1 && hit.lines.end >= hit.lines.start);
    let marked: Vec<&str> = hit.highlights.iter().map(|s| &hit.text[s.start..s.end]).collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|w| w.eq_ignore_ascii_case("roles")),
        "{marked:?}"
    );
    assert_eq!(summary, &Summary { returned: 1, matched: 1 });
}

#[test]
fn no_match_prints_only_the_summary() {
    let env = TestEnv::indexed();
    let (code, stdout, _) = env.query(&["--json", "volcano"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "{\"type\":\"summary\",\"data\":{\"returned\":0,\"matched\":0}}\n");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Extracted {
    path: String,
    record: Option<u64>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    site: Option<String>,
    lang: Option<String>,
    encoding: String,
    text: String,
    tags: Vec<String>,
    entities: Vec<ExtractedEntity>,
    figures: Vec<ExtractedFigure>,
    passages: Vec<ExtractedPassage>,
    #[serde(default)]
    dropped: Option<Vec<ExtractedDropped>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExtractedEntity {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    mentions: Vec<Span>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExtractedFigure {
    value: f64,
    kind: String,
    unit: Option<String>,
    qualifier: Option<String>,
    text: String,
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExtractedPassage {
    passage: u32,
    start: usize,
    end: usize,
    lines: Lines,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ExtractedDropped {
    lines: Lines,
    reason: String,
    text: String,
}

#[test]
fn extract_json_contract() {
    let env = TestEnv::new();
    env.write("corpus/b.txt", crate::util::WEATHER);
    env.write("corpus/a.txt", crate::util::LAYOFFS);
    let output = env.cmd().args(["extract", "--json", "--explain", "corpus"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records: Vec<Extracted> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["corpus/a.txt", "corpus/b.txt"]);
    for record in &records {
        assert!(record.dropped.is_some());
        assert!(!record.passages.is_empty());
        for p in &record.passages {
            assert!(p.end <= record.text.len() && p.start < p.end);
        }
        for e in &record.entities {
            for m in &e.mentions {
                assert!(record.text.get(m.start..m.end).is_some());
            }
        }
        for f in &record.figures {
            assert_eq!(record.text.get(f.start..f.end), Some(f.text.as_str()));
        }
    }
}
