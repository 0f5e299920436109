//! Stage 3 of `index`: bytes → UTF-8 text.
//!
//! Input: the raw bytes of one record, the charset its container declared (an
//! HTTP header), and its format. Output: [`Decoded`] text with the name of the
//! charset used and whether any bytes had to be replaced.
//!
//! The charset is taken, in order, from a byte-order mark, the declared
//! charset, a `<meta charset>` or `<meta http-equiv>` in the first 1024 bytes
//! of HTML, UTF-8 when the bytes are valid UTF-8, and else detection
//! (chardetng, which knows windows-1251, koi8-r, latin-1 and friends). This
//! stage cannot fail: undecodable bytes become U+FFFD and `lossy` says so.

use encoding_rs::{Encoding, UTF_8};

use crate::model::{Decoded, Format};

/// Decodes `bytes` to UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>, format: Format) -> Decoded {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| declared.and_then(|label| Encoding::for_label(label.trim().as_bytes())))
        .or_else(|| match format {
            Format::Html => meta_charset(bytes),
            Format::Text => None,
        })
        .map(|encoding| {
            // A page that declares UTF-16 but reached us as bytes without a BOM
            // is ASCII-compatible in practice (the spec's rule).
            if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                if Encoding::for_bom(bytes).is_some() { encoding } else { UTF_8 }
            } else {
                encoding
            }
        })
        .unwrap_or_else(|| detect(bytes));
    let (text, used, lossy) = encoding.decode(bytes);
    Decoded { text: text.into_owned(), encoding: used.name(), lossy }
}

/// UTF-8 when valid, else chardetng's guess.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // Truncated UTF-8 at the very end still counts as UTF-8.
    if let Err(err) = std::str::from_utf8(bytes)
        && err.error_len().is_none()
        && err.valid_up_to() + 4 > bytes.len()
    {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// The charset named by a `<meta>` tag in the first 1024 bytes, per the HTML
/// prescan: `<meta charset=X>` or `<meta http-equiv=Content-Type content="...; charset=X">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos + 5;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                if let Some(encoding) = Encoding::for_label(&rest[..label_end]) {
                    return Some(if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                        UTF_8
                    } else if encoding == encoding_rs::X_USER_DEFINED {
                        encoding_rs::WINDOWS_1252
                    } else {
                        encoding
                    });
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn meta_charset_is_honoured() {
        let (body, _, _) = encoding_rs::WINDOWS_1251.encode("<p>Новости дня</p>");
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&body);
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
    fn undeclared_cp1251_is_detected() {
        let text = "Администрация города сообщила, что ремонт дороги завершится в октябре.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let decoded = decode(&bytes, None, Format::Text);
        assert_eq!(decoded.encoding, "windows-1251");
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn invalid_bytes_are_replaced_and_reported() {
        let decoded = decode(b"caf\xE9 \xFF\xFE ok", Some("utf-8"), Format::Text);
        assert!(decoded.lossy);
        assert!(decoded.text.contains('\u{FFFD}'));
    }
}
