//! Stage 3 of `index`: bytes → UTF-8 text.
//!
//! Input: the raw bytes of one record, the charset its container declared (an
//! HTTP header), and its format. Output: [`Decoded`] text with the name of the
//! charset used and whether any bytes had to be replaced.
//!
//! The charset is decided in this order:
//!
//! 1. a byte-order mark;
//! 2. UTF-8, when the bytes are valid UTF-8 and hold non-ASCII text. Dumps are
//!    often re-encoded to UTF-8 while the page keeps its old `<meta charset>`
//!    (and servers often send a wrong header), and legacy text that happens to
//!    be valid UTF-8 is vanishingly rare, so this beats any declaration;
//! 3. UTF-8 mixed with windows-1252, when the bytes are UTF-8 but for a few
//!    stray bytes (a latin-1 template fragment pasted into a UTF-8 page), or
//!    declared UTF-8 and as much UTF-8 as not: each stray byte is read as
//!    windows-1252, a sequence cut short becomes U+FFFD;
//! 4. the charset declared by the container, then (HTML) a `<meta charset>` or
//!    `<meta http-equiv>` in the document head. A declared UTF-8 that the bytes
//!    plainly are not is ignored;
//! 5. detection (chardetng, which knows windows-1251, koi8-r, latin-1 and
//!    friends).
//!
//! This stage cannot fail: undecodable bytes become U+FFFD and `lossy` says so.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::model::{Decoded, Format};

/// How far into an HTML page to look for a `<meta>` charset when the head does
/// not end sooner. The HTML prescan stops at 1024 bytes; real pages put the
/// tag after long scripts and comments, so we look further.
const META_SCAN_LIMIT: usize = 64 * 1024;

/// Decodes `bytes` to UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>, format: Format) -> Decoded {
    match choose(bytes, declared, format) {
        Choice::Mixed => decode_mixed(bytes),
        Choice::Encoding(encoding) => {
            let (text, used, lossy) = encoding.decode(bytes);
            Decoded { text: text.into_owned(), encoding: used.name(), lossy }
        }
    }
}

/// As [`decode`], taking the bytes: when they already are the text (UTF-8
/// or ASCII without a byte-order mark, the common case) they become it
/// without a copy.
pub fn decode_vec(bytes: Vec<u8>, declared: Option<&str>, format: Format) -> Decoded {
    let Choice::Encoding(encoding) = choose(&bytes, declared, format) else {
        return decode_mixed(&bytes);
    };
    let (text, used, lossy) = encoding.decode(&bytes);
    let (encoding, unchanged) = (used.name(), !lossy && text.len() == bytes.len());
    let text = match text {
        // Borrowed and as long: the bytes are the text, valid UTF-8.
        std::borrow::Cow::Borrowed(_) if unchanged => String::from_utf8(bytes)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
        text => text.into_owned(),
    };
    Decoded { text, encoding, lossy }
}

/// Decodes text from a container that is UTF-8 by specification (a JSON
/// line): UTF-8 (stray bytes read as windows-1252), unless the bytes plainly
/// are a legacy charset (fewer valid multi-byte characters than invalid
/// sequences), which is then detected.
pub fn decode_utf8_leaning(bytes: &[u8]) -> Decoded {
    match choose(bytes, Some("utf-8"), Format::Text) {
        Choice::Mixed => decode_mixed(bytes),
        Choice::Encoding(encoding) => {
            let (text, used, lossy) = encoding.decode(bytes);
            Decoded { text: text.into_owned(), encoding: used.name(), lossy }
        }
    }
}

/// How to decode some bytes.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Choice {
    /// With this encoding (BOM handling included).
    Encoding(&'static Encoding),
    /// As UTF-8, stray bytes as windows-1252.
    Mixed,
}

/// How `bytes` are to be decoded (see the module docs).
fn choose(bytes: &[u8], declared: Option<&str>, format: Format) -> Choice {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Choice::Encoding(encoding);
    }
    let utf8 = Utf8Shape::of(bytes);
    match utf8 {
        Utf8Shape::Valid { ascii: false } => return Choice::Encoding(UTF_8),
        Utf8Shape::Broken { multibyte, invalid }
            if multibyte >= 8 && multibyte >= invalid.saturating_mul(8) =>
        {
            // Legacy single-byte text makes valid two-byte sequences only by
            // accident (an upper-case letter followed by a symbol), far less
            // often than it makes invalid ones; double-byte CJK text makes both.
            return Choice::Mixed;
        }
        _ => {}
    }
    let declared = declared
        .and_then(|label| {
            usable(Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes()))
        })
        .or_else(|| match format {
            Format::Html => meta_charset(bytes).or_else(|| xml_encoding(bytes)),
            Format::Text => None,
        });
    match (declared, utf8) {
        // Plain ASCII: any ASCII-compatible declaration decodes it the same,
        // except the 7-bit ones (ISO-2022-JP), which must be honoured.
        (Some(encoding), _)
            if is_western(encoding) && non_latin_words(bytes) >= MIN_NON_LATIN_WORDS =>
        {
            // Words made wholly of bytes above 0x7F are not a Western
            // language: a Russian or Chinese page with a default latin-1
            // declaration. Let detection name it.
            Choice::Encoding(detect(bytes))
        }
        (Some(encoding), _) if encoding != UTF_8 => Choice::Encoding(encoding),
        (_, Utf8Shape::Valid { .. }) => Choice::Encoding(UTF_8),
        (Some(_), Utf8Shape::Broken { multibyte, invalid })
            if multibyte > 0 && multibyte >= invalid =>
        {
            Choice::Mixed
        }
        // Declared UTF-8, or nothing, and the bytes are not UTF-8.
        _ => Choice::Encoding(detect(bytes)),
    }
}

/// UTF-8 where the bytes are UTF-8; a stray byte as windows-1252 (what such
/// bytes nearly always are); a multi-byte sequence cut short as U+FFFD.
fn decode_mixed(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut lossy = false;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let len = err.error_len().unwrap_or(after.len()).max(1);
                let (bad, next) = after.split_at(len.min(after.len()));
                if let [byte] = bad {
                    let (c, _) =
                        WINDOWS_1252.decode_without_bom_handling(std::slice::from_ref(byte));
                    text.push_str(&c);
                } else {
                    text.push('\u{FFFD}');
                    lossy = true;
                }
                rest = next;
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    Decoded { text, encoding: UTF_8.name(), lossy }
}

/// Drops declarations that cannot be right for bytes we were given: UTF-16
/// without a BOM (ASCII-compatible in practice, the HTML spec's rule), the
/// `replacement` encoding (which would turn the whole page into one U+FFFD)
/// and `x-user-defined` (windows-1252 in practice).
fn usable(encoding: Option<&'static Encoding>) -> Option<&'static Encoding> {
    let encoding = encoding?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        Some(UTF_8)
    } else if encoding == encoding_rs::REPLACEMENT {
        None
    } else if encoding == encoding_rs::X_USER_DEFINED {
        Some(encoding_rs::WINDOWS_1252)
    } else {
        Some(encoding)
    }
}

/// How UTF-8-like some bytes are.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum Utf8Shape {
    /// Valid UTF-8 (perhaps cut off mid-character at the very end); `ascii`
    /// when there is no byte above 0x7F.
    Valid { ascii: bool },
    /// Not valid: how many valid multi-byte characters and invalid sequences.
    Broken { multibyte: usize, invalid: usize },
}

impl Utf8Shape {
    fn of(bytes: &[u8]) -> Utf8Shape {
        let err = match std::str::from_utf8(bytes) {
            Ok(_) => return Utf8Shape::Valid { ascii: bytes.is_ascii() },
            Err(err) => err,
        };
        // Cut off mid-character at the very end (a truncated page): still
        // UTF-8, when there is other UTF-8 before it.
        if err.error_len().is_none()
            && bytes.get(..err.valid_up_to()).is_some_and(|valid| !valid.is_ascii())
        {
            return Utf8Shape::Valid { ascii: false };
        }
        let (multibyte, invalid) = utf8_counts(bytes);
        Utf8Shape::Broken { multibyte, invalid }
    }
}

/// Valid multi-byte UTF-8 characters and invalid sequences in `bytes`.
fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => return (multibyte + count_multibyte(valid), invalid),
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                multibyte += std::str::from_utf8(valid).map_or(0, count_multibyte);
                invalid += 1;
                match err.error_len() {
                    Some(len) => rest = after.get(len..).unwrap_or_default(),
                    None => return (multibyte, invalid),
                }
            }
        }
    }
}

fn count_multibyte(text: &str) -> usize {
    text.bytes().filter(|&b| b >= 0xC0).count()
}

/// The single-byte Western charsets that servers and pages declare by
/// default, whatever the page holds.
fn is_western(encoding: &'static Encoding) -> bool {
    encoding == WINDOWS_1252 || encoding == encoding_rs::ISO_8859_15
}

/// Runs of four or more bytes above 0x7F: words of a non-Latin script in a
/// legacy charset. Western languages write accented letters one at a time
/// between ASCII ones.
fn non_latin_words(bytes: &[u8]) -> usize {
    let (mut words, mut run) = (0, 0);
    for &b in bytes {
        if b >= 0x80 {
            run += 1;
            if run == 4 {
                words += 1;
            }
        } else {
            run = 0;
        }
    }
    words
}

/// This many words of non-Latin letters overrule a Western declaration.
const MIN_NON_LATIN_WORDS: usize = 5;

/// Fewer bytes above 0x7F than this are too little to tell languages apart.
const MIN_EVIDENCE: usize = 8;

/// chardetng's guess for bytes that are not UTF-8. With only a few bytes
/// above 0x7F (a `£` or an `é` in English text), there is too little to go
/// on and windows-1252, the usual charset of such pages (and the web's
/// default for unlabelled Western pages), is taken.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if bytes.iter().filter(|&&b| b >= 0x80).count() < MIN_EVIDENCE {
        return WINDOWS_1252;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The charset named by a `<meta>` tag in the head of an HTML page: `<meta
/// charset=X>` or `<meta http-equiv=Content-Type content="...; charset=X">`.
/// Looks until `</head>` or `<body`, at most [`META_SCAN_LIMIT`] bytes.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_LIMIT)];
    let mut from = 0;
    while let Some(pos) = find_ci(&head[from..], b"<") {
        let start = from + pos + 1;
        let rest = &head[start..];
        if starts_with_ci(rest, b"/head") || starts_with_ci(rest, b"body") {
            break;
        }
        if starts_with_ci(rest, b"!--") {
            // Skip comments: a commented-out meta does not count.
            from = find_ci(rest, b"-->").map_or(head.len(), |end| start + end + 3);
            continue;
        }
        if !(starts_with_ci(rest, b"meta")
            && rest.get(4).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/'))
        {
            from = start;
            continue;
        }
        let end = rest.iter().position(|&b| b == b'>').map_or(head.len(), |e| start + e);
        let tag = &head[start + 4..end];
        if let Some(encoding) = charset_in_tag(tag) {
            return Some(encoding);
        }
        from = end;
    }
    None
}

/// The `encoding` of an XML declaration (`<?xml version="1.0"
/// encoding="windows-1251"?>`) at the start of an XHTML page.
fn xml_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = trim_start(&bytes[..bytes.len().min(1024)]);
    if !starts_with_ci(head, b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = &head[..end];
    let at = find_ci(decl, b"encoding")?;
    let rest = trim_start(&decl[at + 8..]);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let quote = *rest.first().filter(|q| **q == b'"' || **q == b'\'')?;
    let label = &rest[1..];
    let label = &label[..label.iter().position(|&b| b == quote)?];
    usable(Encoding::for_label(label))
}

/// `charset=X` anywhere in a tag's attributes (in `charset` itself or in
/// `content`), as an encoding.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(at) = find_ci(&tag[from..], b"charset") {
        let rest = trim_start(&tag[from + at + 7..]);
        from += at + 7;
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest = trim_start(rest);
        let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
        let label_end = rest
            .iter()
            .position(|&b| {
                matches!(b, b'"' | b'\'' | b';' | b'/' | b'>' | b',') || b.is_ascii_whitespace()
            })
            .unwrap_or(rest.len());
        if let Some(encoding) = usable(Encoding::for_label(&rest[..label_end])) {
            return Some(encoding);
        }
    }
    None
}

/// Position of `needle` in `haystack`, ASCII case-insensitively.
fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

fn starts_with_ci(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    #[test]
    fn decode_vec_agrees_with_decode() {
        let cases: &[(&[u8], Option<&str>, Format)] = &[
            (b"plain ascii", None, Format::Text),
            ("caf\u{e9} \u{442}\u{435}\u{43a}\u{441}\u{442}".as_bytes(), None, Format::Text),
            (b"\xEF\xBB\xBFwith a BOM", None, Format::Text),
            (b"caf\xe9 au lait", Some("iso-8859-1"), Format::Text),
            (b"<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2", None, Format::Html),
            (b"broken \xff\xfe utf-8 \xc3", Some("utf-8"), Format::Text),
            (b"", None, Format::Html),
        ];
        for &(bytes, declared, format) in cases {
            let (a, b) =
                (decode(bytes, declared, format), decode_vec(bytes.to_vec(), declared, format));
            assert_eq!((a.text, a.encoding, a.lossy), (b.text, b.encoding, b.lossy), "{bytes:?}");
        }
    }

    use super::*;

    fn cp1251(text: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1251.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_passes_through() {
        let decoded = decode("Привет, мир".as_bytes(), None, Format::Text);
        assert_eq!(decoded.text, "Привет, мир");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.lossy);
    }

    #[test]
    fn bom_wins_over_declaration() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("héllo".as_bytes());
        let decoded = decode(&bytes, Some("windows-1251"), Format::Text);
        assert_eq!(decoded.text, "héllo");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Zürich".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes, None, Format::Html);
        assert_eq!((decoded.text.as_str(), decoded.encoding), ("Zürich", "UTF-16LE"));
    }

    #[test]
    fn meta_charset_is_honoured() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&cp1251("<p>Новости дня</p>"));
        let decoded = decode(&page, None, Format::Html);
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(decoded.text.contains("Новости дня"));
    }

    #[test]
    fn http_equiv_content_type() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">";
        assert_eq!(meta_charset(page), Some(encoding_rs::KOI8_R));
    }

    #[test]
    fn xml_declaration_of_xhtml() {
        let mut page = b"<?xml version=\"1.0\" encoding='windows-1251'?>\n<html><body><p>".to_vec();
        page.extend_from_slice(&cp1251("Новости дня: открыли новый мост через реку Катунь.</p>"));
        let decoded = decode(&page, None, Format::Html);
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(decoded.text.contains("открыли новый мост"));
        assert_eq!(xml_encoding(b"<?xml version=\"1.0\"?><p>"), None);
        assert_eq!(xml_encoding(b"<?xml encoding=\"koi8-r"), None);
    }

    #[test]
    fn meta_after_a_long_script_is_found_but_not_in_comments_or_body() {
        let script = format!("<script>{}</script>", "var x = 1;\n".repeat(500));
        let page = format!("<html><head>{script}<meta charset=iso-8859-2></head>");
        assert_eq!(meta_charset(page.as_bytes()), Some(encoding_rs::ISO_8859_2));
        let commented = "<head><!-- <meta charset=koi8-r> --></head>";
        assert_eq!(meta_charset(commented.as_bytes()), None);
        let in_body = "<head></head><body><meta charset=koi8-r>";
        assert_eq!(meta_charset(in_body.as_bytes()), None);
    }

    #[test]
    fn valid_utf8_beats_a_stale_meta_charset() {
        // A dump re-encoded to UTF-8 that kept the page's latin-1 declaration.
        let page = "<meta charset=iso-8859-1><p>Café crème, Müller, Zoë.</p>";
        let decoded = decode(page.as_bytes(), Some("iso-8859-1"), Format::Html);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.contains("Café crème, Müller"));
    }

    #[test]
    fn undeclared_cp1251_is_detected() {
        let text = "Администрация города сообщила, что ремонт дороги завершится в октябре.";
        let decoded = decode(&cp1251(text), None, Format::Text);
        assert_eq!(decoded.encoding, "windows-1251");
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn cp1251_declared_as_latin1_is_detected() {
        let text = "<meta charset=iso-8859-1><p>Администрация города сообщила, что ремонт дороги завершится в октябре.</p>";
        let decoded = decode(&cp1251(text), Some("ISO-8859-1"), Format::Html);
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(decoded.text.contains("ремонт дороги"));
        // Real latin-1 stays latin-1.
        let (german, _, _) = WINDOWS_1252.encode(
            "<p>Grüße aus Köln: schöne Straßen, Bücher und Öl für Ärzte, Bäcker, Müller.</p>",
        );
        let decoded = decode(&german, Some("iso-8859-1"), Format::Html);
        assert_eq!(decoded.encoding, "windows-1252");
    }

    #[test]
    fn cp1251_declared_as_utf8_is_detected() {
        let text = "<meta charset=utf-8><p>Администрация города сообщила, что ремонт дороги завершится в октябре.</p>";
        let decoded = decode(&cp1251(text), None, Format::Html);
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(!decoded.lossy);
        assert!(decoded.text.contains("ремонт дороги"));
    }

    #[test]
    fn stray_latin1_bytes_in_utf8_are_read_as_windows_1252() {
        let mut bytes =
            "Ещё одна новость: цены выросли на 5%, сообщил министр. ".repeat(3).into_bytes();
        bytes.extend_from_slice(b"<img alt=\"Mitgef\xfchl w\xe4hlen\x99\">");
        let decoded = decode(&bytes, Some("windows-1251"), Format::Html);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.lossy);
        assert!(
            decoded.text.contains("цены выросли") && decoded.text.contains("Mitgefühl wählen™")
        );
    }

    #[test]
    fn declared_utf8_with_as_much_latin1_is_mixed() {
        let page = b"<meta charset=utf-8><p>\xe2\x80\x9cQuoted\xe2\x80\x9d \xa34.99 \xc3\xa9t\xc3\xa9 Caf\xe9</p>";
        let decoded = decode(page, None, Format::Html);
        assert_eq!(decoded.text, "<meta charset=utf-8><p>“Quoted” £4.99 été Café</p>");
    }

    #[test]
    fn cut_off_sequences_are_replaced_and_reported() {
        let mut bytes = "Grüße aus Köln, schöne Straße, Bücher, Öl, Ärger. ".repeat(4).into_bytes();
        bytes.extend_from_slice(b"quote \xE2\x80 cut");
        let decoded = decode(&bytes, Some("utf-8"), Format::Text);
        assert!(decoded.lossy);
        assert!(decoded.text.ends_with("quote \u{FFFD} cut"));
    }

    #[test]
    fn a_lone_latin1_pound_sign_in_english_text() {
        let text = b"United are weighing up a possible transfer fee for the striker, a \xa315.8m signing from Parma in 2003.";
        let decoded = decode(text, None, Format::Text);
        assert!(!decoded.lossy);
        assert!(decoded.text.contains("a \u{a3}15.8m signing"), "{}", decoded.encoding);
    }

    #[test]
    fn truncated_utf8_at_the_end_is_utf8() {
        let mut bytes = "Привет".as_bytes().to_vec();
        bytes.pop();
        let decoded = decode(&bytes, None, Format::Text);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("Приве"));
    }

    #[test]
    fn odd_declarations_are_not_trusted() {
        let page = b"<meta charset=iso-2022-kr><p>plain words</p>";
        let decoded = decode(page, None, Format::Html);
        assert!(decoded.text.contains("plain words"));
        assert!(!decoded.lossy);
        let decoded = decode(b"caf\xE9", Some("utf-16"), Format::Text);
        assert_eq!(decoded.text, "café");
    }

    #[test]
    fn ascii_honours_a_seven_bit_declaration() {
        let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode("日本");
        let decoded = decode(&bytes, Some("iso-2022-jp"), Format::Text);
        assert_eq!(decoded.text, "日本");
    }

    #[test]
    fn mutated_pages_never_panic() {
        let mut page = b"<html><head><meta charset=windows-1251></head><body><p>".to_vec();
        page.extend_from_slice(&cp1251("Новости дня"));
        page.extend_from_slice("<p>Grüße — “quoted”</p>".as_bytes());
        let labels = [None, Some("utf-8"), Some("koi8-r"), Some("utf-16"), Some("bogus")];
        for (i, mutant) in crate::read::tests::mutants(&page, 300).into_iter().enumerate() {
            let format = if i % 2 == 0 { Format::Html } else { Format::Text };
            let decoded = decode(&mutant, labels[i % labels.len()], format);
            assert!(
                decoded.lossy
                    || !decoded.text.contains('\u{FFFD}')
                    || mutant.windows(3).any(|w| w == "\u{FFFD}".as_bytes())
            );
            decode_utf8_leaning(&mutant);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for bytes in [
            &b""[..],
            b"<",
            b"<meta",
            b"<meta charset",
            b"<meta charset=",
            b"\xFF\xFE\x00",
            b"\x00\x00\x00",
        ] {
            decode(bytes, Some(""), Format::Html);
            decode(bytes, Some("\u{0}"), Format::Text);
        }
    }
}

/// Checks the charset choice on real pages of many sites and charsets
/// (`../shared/corpora`): no page may decode with replacement characters
/// unless its bytes are broken, and the words of each page's human-made gold
/// text that are not plain ASCII must be found in the decoded page (a wrong
/// charset loses them all).
#[cfg(test)]
mod real_pages {
    #![allow(clippy::print_stderr)]

    use std::collections::HashSet;
    use std::path::{Path, PathBuf};

    use super::*;

    /// The charsets real pages use most.
    const CANDIDATES: &[&Encoding] = &[
        UTF_8,
        encoding_rs::WINDOWS_1252,
        encoding_rs::WINDOWS_1250,
        encoding_rs::ISO_8859_2,
        encoding_rs::WINDOWS_1251,
        encoding_rs::KOI8_R,
        encoding_rs::GBK,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::WINDOWS_1253,
        encoding_rs::WINDOWS_1254,
        encoding_rs::WINDOWS_1256,
        encoding_rs::WINDOWS_874,
    ];

    /// Non-ASCII words of `text`, at least 3 letters.
    fn foreign_words(text: &str) -> HashSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && !w.is_ascii())
            .map(str::to_owned)
            .collect()
    }

    /// Share of `words` found in `text` (1.0 when there are none).
    fn recall(words: &HashSet<String>, text: &str) -> f64 {
        if words.is_empty() {
            return 1.0;
        }
        words.iter().filter(|w| text.contains(w.as_str())).count() as f64 / words.len() as f64
    }

    /// How many times `text` holds UTF-8 read as a single-byte charset:
    /// `Ã©`, `â€™`, `Ð¿` and the like.
    fn mojibake(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        chars
            .windows(2)
            .filter(|w| {
                matches!(w[0], 'Ã' | 'Â' | 'Ð' | 'Ñ' | 'â' | 'Å' | 'Ä')
                    && matches!(
                        w[1],
                        '\u{80}'
                            ..='\u{BF}'
                                | '€'
                                | '‚'
                                | '„'
                                | '…'
                                | '†'
                                | '‡'
                                | '‰'
                                | '‹'
                                | '›'
                                | '™'
                                | '˜'
                                | 'œ'
                                | 'ž'
                                | 'Ÿ'
                    )
            })
            .count()
    }

    /// (page, gold text) pairs of one extraction set.
    fn gold(set: &Path) -> Vec<(PathBuf, String)> {
        let Ok(lines) = std::fs::read_to_string(set.join("gold.jsonl")) else { return Vec::new() };
        let mut out = Vec::new();
        for line in lines.lines() {
            let Ok(serde_json::Value::Object(obj)) = serde_json::from_str(line) else { continue };
            let name = match (obj.get("file"), obj.get("id")) {
                (Some(serde_json::Value::String(file)), _) => file.clone(),
                (_, Some(serde_json::Value::String(id))) => format!("{id}.html"),
                _ => continue,
            };
            let text = match (obj.get("body"), obj.get("with")) {
                (Some(serde_json::Value::String(body)), _) => body.clone(),
                (_, Some(serde_json::Value::Array(with))) => {
                    with.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
                }
                _ => continue,
            };
            out.push((set.join("pages").join(name), text));
        }
        out
    }

    #[test]
    fn extraction_pages_decode_to_their_gold_words() {
        let Some(root) = crate::testing::shared("corpora/extraction") else { return };
        let Ok(sets) = std::fs::read_dir(&root) else { return };
        let mut sets: Vec<PathBuf> = sets.filter_map(|e| e.ok().map(|e| e.path())).collect();
        sets.sort();
        let (mut pages, mut lossy, mut wrong) = (0, Vec::new(), Vec::new());
        for set in sets {
            for (path, text) in gold(&set) {
                let Ok(bytes) = std::fs::read(&path) else { continue };
                pages += 1;
                let decoded = decode(&bytes, None, Format::Html);
                let words = foreign_words(&text);
                let share = recall(&words, &decoded.text);
                let name = path.display().to_string();
                if decoded.lossy {
                    lossy.push(format!("{name} ({})", decoded.encoding));
                }
                let garbled = if decoded.encoding == "UTF-8" { 0 } else { mojibake(&decoded.text) };
                if garbled >= 3 {
                    wrong.push(format!(
                        "{name}: {} ({garbled} UTF-8 sequences read as single bytes)",
                        decoded.encoding
                    ));
                    continue;
                }
                // Words written as character references are missing whatever
                // the charset: compare with the best of the usual charsets.
                if share >= 0.9 {
                    continue;
                }
                let best = CANDIDATES
                    .iter()
                    .map(|e| recall(&words, &e.decode_without_bom_handling(&bytes).0))
                    .fold(0.0, f64::max);
                if words.len() >= 5 && share + 0.2 < best {
                    let n = words.len();
                    let used = decoded.encoding;
                    wrong.push(format!("{name}: {used} ({share:.2} of {n} words, best {best:.2})"));
                }
            }
        }
        eprintln!(
            "extraction pages: {pages}, lossy: {}, wrong charset: {}",
            lossy.len(),
            wrong.len()
        );
        for line in lossy.iter().chain(&wrong) {
            eprintln!("  {line}");
        }
        assert!(pages > 0);
        assert!(wrong.is_empty());
    }

    #[test]
    fn ru_news_pages_decode_to_their_article_text() {
        let Some(root) = crate::testing::shared("corpora/dumps/ru-news") else { return };
        let Ok(entries) = std::fs::read_dir(&root) else { return };
        let (mut pages, mut bad) = (0, Vec::new());
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            let Some(id) = name.strip_suffix("_page.html") else { continue };
            let (Ok(page), Ok(raw)) =
                (std::fs::read(&path), std::fs::read_to_string(root.join(format!("{id}_raw.txt"))))
            else {
                continue;
            };
            pages += 1;
            let decoded = decode(&page, None, Format::Html);
            let share = recall(&foreign_words(&raw), &decoded.text);
            if decoded.lossy || share < 0.9 {
                bad.push(format!(
                    "{name}: {} lossy={} ({share:.2})",
                    decoded.encoding, decoded.lossy
                ));
            }
        }
        eprintln!("ru-news pages: {pages}, bad: {}", bad.len());
        for line in &bad {
            eprintln!("  {line}");
        }
        assert!(pages > 0);
        assert!(bad.is_empty());
    }
}
