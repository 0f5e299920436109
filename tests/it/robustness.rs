//! A corpus of every format and every kind of broken input, made here:
//! nothing panics, each bad file is reported by name, every good document is
//! found by a word unique to it.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::util::TestEnv;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn article(word: &str) -> String {
    format!(
        "<html><head><title>Report on {word}</title></head><body><nav><a href=/>Home</a></nav>\
         <article><h1>Report on {word}</h1><p>The committee published its findings about {word} on \
         Tuesday, saying that the programme had met most of its targets for the year.</p><p>Officials \
         said a second review would follow in the spring, after the budget was agreed.</p></article>\
         <footer>Copyright</footer></body></html>"
    )
}

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        uri.len(),
        http.len()
    )
    .into_bytes();
    record.extend_from_slice(http.as_bytes());
    record.extend_from_slice(b"\r\n\r\n");
    record
}

#[test]
fn every_format_and_every_broken_file() {
    let env = TestEnv::new();
    // Good files, one unique word each.
    env.write("corpus/plain.txt", "Ferries resume\n\nThe ferries to the islands resumed on Monday after the storm, operators said, with extra sailings planned. Word: zyxplain.\n");
    env.write("corpus/page.html", article("zyxhtml"));
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<html><head><meta charset=\"windows-1251\"><title>Новости</title></head><body><article>\
         <p>Городская администрация сообщила, что ремонт моста завершится к осени, а движение \
         транспорта будет восстановлено полностью. Слово: щзхкириллица.</p></article></body></html>",
    );
    env.write("corpus/ru.html", cp1251);
    env.write("corpus/page.html.gz", gzip(article("zyxgzip").as_bytes()));
    let mut truncated = gzip(article("zyxtruncated").repeat(50).as_bytes());
    truncated.truncate(truncated.len() / 2);
    env.write("corpus/broken.html.gz", truncated);
    let mut warc = gzip(&warc_record("https://example.com/a", &article("zyxwarcone")));
    warc.extend(gzip(&warc_record("https://example.com/b", &article("zyxwarctwo"))));
    env.write("corpus/crawl.warc.gz", warc);
    env.write(
        "corpus/dump.jsonl",
        format!(
            "{}\n{{\"title\": \"broken\", \"text\": \n{}\n",
            serde_json::json!({"title": "Rates held", "url": "https://news.example.org/rates",
                "date": "2024-02-01", "text": "The central bank held rates on Thursday, citing easing inflation. Word: zyxjsonone."}),
            serde_json::json!({"headline": "Port expands", "body": "<p>The port authority approved a new container terminal, its largest investment in a decade. Word: zyxjsontwo.</p>"}),
        ),
    );
    // Bad files.
    env.write("corpus/empty.txt", "");
    env.write("corpus/binary.txt", b"\x00\x01\x02\x03binary\x00\xff");
    env.write("corpus/invalid-utf8.txt", [
            "Café owners in Zürich and Malmö said prices rose by 5 € on Friday – the steepest rise in a year, \
             according to the Société Générale économistes. Word: zyxlossy "
                .as_bytes(),
            b"\xe2\x82 end.\n",
        ]
        .concat());
    env.write("corpus/huge-line.txt", "word ".repeat(6_000_000));
    env.write(
        "corpus/deep.html",
        format!(
            "{}<p>Deeply nested zyxdeep text that should survive somewhere.</p>",
            "<div>".repeat(100_000)
        ),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", env.path().join("corpus/loop")).unwrap();

    let output = env.cmd().args(["index", "corpus", "--max-filesize", "64M"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "broken files must give exit 2: {stderr}");
    for name in
        ["broken.html.gz", "dump.jsonl", "empty.txt", "binary.txt", "invalid-utf8.txt", "loop"]
    {
        assert!(stderr.contains(name), "{name} not reported: {stderr}");
    }
    for word in [
        "zyxplain",
        "zyxhtml",
        "щзхкириллица",
        "zyxgzip",
        "zyxwarcone",
        "zyxwarctwo",
        "zyxjsonone",
        "zyxjsontwo",
        "zyxlossy",
    ] {
        let (code, stdout, stderr) = env.query(&[word]);
        assert_eq!(code, 0, "{word} not found: {stdout}{stderr}");
    }
    // The dump's record keeps its metadata.
    let hits = crate::json::hits(&env, &["zyxjsonone"]);
    assert_eq!(hits[0].url.as_deref(), Some("https://news.example.org/rates"));
    assert_eq!(hits[0].title.as_deref(), Some("Rates held"));
    assert_eq!(hits[0].published.as_deref(), Some("2024-02-01T00:00:00Z"));
    assert_eq!(hits[0].record, Some(1));
    let hits = crate::json::hits(&env, &["zyxwarctwo"]);
    assert_eq!(hits[0].url.as_deref(), Some("https://example.com/b"));
    assert_eq!(hits[0].site.as_deref(), Some("example.com"));
}
