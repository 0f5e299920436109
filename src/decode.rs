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
//! 3. UTF-8 with replacements, when the bytes are UTF-8 but for a few invalid
//!    sequences (a page cut mid-character, one stray latin-1 byte);
//! 4. the charset declared by the container, then (HTML) a `<meta charset>` or
//!    `<meta http-equiv>` in the document head. A declared UTF-8 that the bytes
//!    plainly are not is ignored;
//! 5. detection (chardetng, which knows windows-1251, koi8-r, latin-1 and
//!    friends).
//!
//! This stage cannot fail: undecodable bytes become U+FFFD and `lossy` says so.

use encoding_rs::{Encoding, UTF_8};

use crate::model::{Decoded, Format};

/// How far into an HTML page to look for a `<meta>` charset when the head does
/// not end sooner. The HTML prescan stops at 1024 bytes; real pages put the
/// tag after long scripts and comments, so we look further.
const META_SCAN_LIMIT: usize = 64 * 1024;

/// Decodes `bytes` to UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>, format: Format) -> Decoded {
    let encoding = choose(bytes, declared, format);
    let (text, used, lossy) = encoding.decode(bytes);
    Decoded { text: text.into_owned(), encoding: used.name(), lossy }
}

/// Decodes text from a container that is UTF-8 by specification (a JSON
/// line): UTF-8, with invalid bytes replaced, unless the bytes plainly are a
/// legacy charset (no more valid multi-byte characters than invalid bytes),
/// which is then detected.
pub fn decode_utf8_leaning(bytes: &[u8]) -> Decoded {
    let (multibyte, invalid) = utf8_counts(bytes);
    let encoding = if multibyte > 0 && multibyte >= invalid {
        UTF_8
    } else {
        choose(bytes, None, Format::Text)
    };
    let (text, used, lossy) = encoding.decode(bytes);
    Decoded { text: text.into_owned(), encoding: used.name(), lossy }
}

/// The charset `bytes` are to be decoded from (see the module docs).
pub fn choose(bytes: &[u8], declared: Option<&str>, format: Format) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    let utf8 = Utf8Shape::of(bytes);
    match utf8 {
        Utf8Shape::Valid { ascii: false } | Utf8Shape::Mostly => return UTF_8,
        Utf8Shape::Valid { ascii: true } | Utf8Shape::Not => {}
    }
    let declared = declared
        .and_then(|label| {
            usable(Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes()))
        })
        .or_else(|| match format {
            Format::Html => meta_charset(bytes),
            Format::Text => None,
        });
    match declared {
        // Plain ASCII: any ASCII-compatible declaration decodes it the same,
        // except the 7-bit ones (ISO-2022-JP), which must be honoured.
        Some(encoding) if encoding != UTF_8 => encoding,
        _ if utf8 == (Utf8Shape::Valid { ascii: true }) => UTF_8,
        // Declared UTF-8, or nothing, and the bytes are not UTF-8.
        _ => detect(bytes),
    }
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
    /// Valid UTF-8; `ascii` when there is no byte above 0x7F.
    Valid { ascii: bool },
    /// UTF-8 with a few invalid sequences: many more valid multi-byte
    /// characters than invalid bytes.
    Mostly,
    /// Not UTF-8.
    Not,
}

impl Utf8Shape {
    fn of(bytes: &[u8]) -> Utf8Shape {
        let err = match std::str::from_utf8(bytes) {
            Ok(_) => return Utf8Shape::Valid { ascii: bytes.is_ascii() },
            Err(err) => err,
        };
        // Cut off mid-character at the very end (a truncated page): still UTF-8.
        if err.error_len().is_none() {
            let ascii = bytes.get(..err.valid_up_to()).is_some_and(<[u8]>::is_ascii);
            return if ascii { Utf8Shape::Not } else { Utf8Shape::Valid { ascii: false } };
        }
        let (multibyte, invalid) = utf8_counts(bytes);
        // Legacy single-byte text makes valid two-byte sequences only by
        // accident (an upper-case letter followed by a symbol), far less
        // often than it makes invalid ones; double-byte CJK text makes both.
        if multibyte >= 8 && multibyte >= invalid.saturating_mul(8) {
            Utf8Shape::Mostly
        } else {
            Utf8Shape::Not
        }
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

/// chardetng's guess for bytes that are not UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
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
    fn cp1251_declared_as_utf8_is_detected() {
        let text = "<meta charset=utf-8><p>Администрация города сообщила, что ремонт дороги завершится в октябре.</p>";
        let decoded = decode(&cp1251(text), None, Format::Html);
        assert_eq!(decoded.encoding, "windows-1251");
        assert!(!decoded.lossy);
        assert!(decoded.text.contains("ремонт дороги"));
    }

    #[test]
    fn mostly_utf8_stays_utf8_and_says_it_was_lossy() {
        let mut bytes =
            "Ещё одна новость: цены выросли на 5%, сообщил министр. ".repeat(3).into_bytes();
        bytes.push(0xFF);
        bytes.extend_from_slice(" Конец.".as_bytes());
        let decoded = decode(&bytes, Some("windows-1251"), Format::Text);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.lossy);
        assert!(decoded.text.contains("цены выросли") && decoded.text.contains("Конец."));
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
    fn invalid_bytes_are_replaced_and_reported() {
        let mut bytes = "Grüße aus Köln, schöne Straße, Bücher, Öl, Ärger. ".repeat(4).into_bytes();
        bytes.extend_from_slice(b"caf\xE9 \xFF\xFE ok");
        let decoded = decode(&bytes, Some("utf-8"), Format::Text);
        assert!(decoded.lossy);
        assert!(decoded.text.contains('\u{FFFD}'));
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
