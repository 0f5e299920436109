//! Page metadata: headline, publication date, canonical address, site name
//! and language, from `<head>` meta tags, JSON-LD, microdata and the body's
//! `<h1>` and `<time>` elements.
//!
//! Input: a parsed [`Dom`]. Output: [`PageMeta`], every field optional. Never
//! fails: malformed JSON-LD is ignored.

use serde_json::Value;

use super::dom::{Data, Dom, NodeId};

/// What the page says about itself.
#[derive(Debug, Default)]
pub struct PageMeta {
    /// The chosen headline.
    pub title: Option<String>,
    /// Every headline candidate, whitespace folded (to drop the headline from
    /// the body).
    pub title_variants: Vec<String>,
    /// Publication date as written.
    pub published: Option<String>,
    /// Canonical address.
    pub url: Option<String>,
    /// Site name.
    pub site_name: Option<String>,
    /// Two-letter language code.
    pub lang: Option<String>,
}

#[derive(Default)]
struct Found {
    og_title: Option<String>,
    twitter_title: Option<String>,
    ld_headline: Option<String>,
    title: Option<String>,
    h1: Vec<String>,
    /// `h2` and `h3` texts, in order.
    headings: Vec<String>,
    og_url: Option<String>,
    canonical: Option<String>,
    site_name: Option<String>,
    html_lang: Option<String>,
    meta_lang: Option<String>,
    /// (priority, value): lower is better.
    dates: Vec<(u8, String)>,
}

/// Reads the metadata of a page.
pub fn read_meta(dom: &Dom) -> PageMeta {
    let mut found = Found::default();
    let mut text = String::new();
    for id in dom.descendants(0) {
        let Some(tag) = dom.tag(id) else { continue };
        match &**tag {
            "html" => set(&mut found.html_lang, dom.attr(id, "lang").or(dom.attr(id, "xml:lang"))),
            "meta" => meta_tag(dom, id, &mut found),
            "link" => {
                let rel = dom.attr(id, "rel").unwrap_or("");
                if rel.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")) {
                    set(&mut found.canonical, dom.attr(id, "href"));
                }
            }
            "title" if found.title.is_none() => {
                text.clear();
                dom.raw_text(id, &mut text);
                set(&mut found.title, Some(&fold(&text)));
            }
            "h1" if found.h1.len() < 8 => {
                text.clear();
                visible_text(dom, id, &mut text);
                let h1 = fold(&text);
                if !h1.is_empty() {
                    found.h1.push(h1);
                }
            }
            "h2" | "h3" if found.headings.len() < 20 => {
                text.clear();
                visible_text(dom, id, &mut text);
                let heading = fold(&text);
                if !heading.is_empty() && heading.len() < 400 {
                    found.headings.push(heading);
                }
            }
            "script" => {
                let kind = dom.attr(id, "type").unwrap_or("");
                if kind.eq_ignore_ascii_case("application/ld+json") {
                    text.clear();
                    dom.raw_text(id, &mut text);
                    json_ld(&text, &mut found);
                }
            }
            "time" => {
                if let Some(datetime) = dom.attr(id, "datetime") {
                    let priority = if dom.attr(id, "pubdate").is_some() || itemprop_date(dom, id) {
                        3
                    } else {
                        6
                    };
                    push_date(&mut found.dates, priority, datetime);
                }
            }
            _ => {
                if itemprop_date(dom, id) {
                    let value = dom.attr(id, "content").or(dom.attr(id, "datetime"));
                    if let Some(value) = value {
                        push_date(&mut found.dates, 3, value);
                    } else {
                        text.clear();
                        dom.raw_text(id, &mut text);
                        push_date(&mut found.dates, 5, &fold(&text));
                    }
                }
            }
        }
    }
    finish(found)
}

fn itemprop_date(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
}

fn meta_tag(dom: &Dom, id: NodeId, found: &mut Found) {
    let Some(value) = dom.attr(id, "content") else { return };
    let content = Some(value);
    for key in ["property", "name", "itemprop", "http-equiv"] {
        let Some(name) = dom.attr(id, key) else { continue };
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "og:title" => set(&mut found.og_title, content),
            "twitter:title" => set(&mut found.twitter_title, content),
            "og:url" => set(&mut found.og_url, content),
            "og:site_name" => set(&mut found.site_name, content),
            "content-language" | "language" | "dc.language" | "og:locale" => {
                set(&mut found.meta_lang, content)
            }
            "article:published_time" | "og:published_time" | "article:published" => {
                push_date(&mut found.dates, 0, value)
            }
            "datepublished" => push_date(&mut found.dates, 2, value),
            "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "dcterms.created"
            | "dcterms.issued"
            | "sailthru.date"
            | "parsely-pub-date"
            | "article.published"
            | "og:pubdate"
            | "citation_publication_date"
            | "cxenseparse:recs:publishtime" => push_date(&mut found.dates, 4, value),
            _ => {}
        }
    }
}

fn json_ld(text: &str, found: &mut Found) {
    let Ok(value) = serde_json::from_str::<Value>(text.trim()) else { return };
    let mut stack = vec![(&value, 0u32)];
    while let Some((value, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().rev().map(|v| (v, depth + 1))),
            Value::Object(map) => {
                if let Some(Value::String(date)) = map.get("datePublished") {
                    push_date(&mut found.dates, 1, date);
                }
                if let Some(Value::String(headline)) = map.get("headline") {
                    set(&mut found.ld_headline, Some(headline));
                }
                for key in ["@graph", "mainEntity", "mainEntityOfPage"] {
                    if let Some(inner) = map.get(key) {
                        stack.push((inner, depth + 1));
                    }
                }
            }
            _ => {}
        }
    }
}

fn push_date(dates: &mut Vec<(u8, String)>, priority: u8, value: &str) {
    let value = value.trim();
    if !value.is_empty() && value.len() < 100 && value.chars().any(|c| c.is_ascii_digit()) {
        dates.push((priority, value.to_owned()));
    }
}

fn set(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none()
        && let Some(value) = value
    {
        let value = fold(value);
        if !value.is_empty() {
            *slot = Some(value);
        }
    }
}

/// Text of an element without scripts and styles.
fn visible_text(dom: &Dom, id: NodeId, out: &mut String) {
    let mut stack = vec![id];
    while let Some(current) = stack.pop() {
        match dom.node(current).map(|n| &n.data) {
            Some(Data::Text(text)) => out.push_str(text),
            Some(Data::Element(e)) => {
                if matches!(&*e.name.local, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let start = stack.len();
                stack.extend(dom.children(current));
                stack[start..].reverse();
            }
            _ => {}
        }
    }
}

/// Folds runs of whitespace into one space and trims.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lower-cased, punctuation-insensitive key for comparing headlines.
pub fn title_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    title_key_into(text, &mut out);
    out
}

/// [`title_key`] into `out` (cleared first), so that a caller keying many
/// texts reuses one buffer.
pub fn title_key_into(text: &str, out: &mut String) {
    out.clear();
    // Whether a separator is due before the next letter or digit.
    let mut gap = false;
    for c in text.chars() {
        let alnum = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if alnum {
            if gap {
                out.push(' ');
                gap = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            gap = !out.is_empty();
        }
    }
}

const SEPARATORS: [&str; 10] =
    [" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " / ", " · ", " : "];

/// The parts of a `<title>` split at site-name separators.
fn split_title(title: &str) -> Vec<&str> {
    for sep in SEPARATORS {
        if title.contains(sep) {
            return title.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
        }
    }
    vec![title]
}

fn finish(found: Found) -> PageMeta {
    let mut meta = PageMeta {
        url: found.canonical.clone().or(found.og_url.clone()),
        site_name: found.site_name.clone(),
        lang: found.html_lang.as_deref().or(found.meta_lang.as_deref()).and_then(lang_code),
        ..PageMeta::default()
    };
    let mut dates = found.dates.clone();
    dates.sort_by_key(|(priority, _)| *priority);
    meta.published = dates.into_iter().next().map(|(_, d)| d);

    let heads: Vec<&str> = [&found.og_title, &found.twitter_title, &found.ld_headline]
        .into_iter()
        .filter_map(|t| t.as_deref())
        .collect();
    let title_parts = found.title.as_deref().map(split_title).unwrap_or_default();
    let site_key = found.site_name.as_deref().map(title_key);
    let agrees = |candidate: &str| {
        let key = title_key(candidate);
        !key.is_empty()
            && (heads.iter().any(|h| title_key(h) == key)
                || title_parts.iter().any(|p| title_key(p) == key)
                || found.title.as_deref().is_some_and(|t| title_key(t) == key))
    };
    let strip_site = |candidate: &str| -> String {
        let parts = split_title(candidate);
        if parts.len() > 1 {
            let kept: Vec<&str> = parts
                .iter()
                .copied()
                .filter(|p| {
                    let key = title_key(p);
                    site_key.as_ref().is_none_or(|s| *s != key)
                        && !title_parts
                            .iter()
                            .skip(1)
                            .any(|t| title_key(t) == key && p != &parts[0])
                })
                .collect();
            if kept.len() == 1 {
                return kept[0].to_owned();
            }
        }
        candidate.to_owned()
    };
    let title = if let Some(h1) = found.h1.iter().find(|h| agrees(h)) {
        Some(h1.clone())
    } else if let Some(head) = heads.first() {
        Some(strip_site(head))
    } else if let Some(heading) = found.h1.iter().chain(&found.headings).find(|h| {
        // A heading that the <title> contains, long enough not to be a
        // section name.
        let key = title_key(h);
        key.split(' ').count() >= 3
            && found.title.as_deref().is_some_and(|t| title_key(t).contains(&key))
    }) {
        Some(heading.clone())
    } else if !title_parts.is_empty() {
        let parts: Vec<&str> = title_parts
            .iter()
            .copied()
            .filter(|p| site_key.as_ref().is_none_or(|s| *s != title_key(p)))
            .collect();
        parts.iter().max_by_key(|p| p.chars().count()).map(|p| (*p).to_owned())
    } else {
        found.h1.first().cloned()
    };
    let mut variants: Vec<String> = heads.iter().map(|h| (*h).to_owned()).collect();
    variants.extend(found.h1.iter().cloned());
    if let Some(t) = &title {
        variants.push(t.clone());
    }
    if let Some(first) = title_parts.first() {
        variants.push((*first).to_owned());
    }
    meta.title_variants = variants;
    meta.title = title;
    meta
}

/// "en-US" → "en"; `None` unless it starts with two ASCII letters.
fn lang_code(value: &str) -> Option<String> {
    let value = value.trim();
    let code: String = value.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    if code.len() == 2 { Some(code.to_ascii_lowercase()) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> PageMeta {
        read_meta(&Dom::parse(html, 1))
    }

    #[test]
    fn title_from_agreement() {
        let meta = meta_of(
            "<html lang='en-GB'><head><title>Rates rise again | The Daily</title>\
             <meta property='og:site_name' content='The Daily'></head>\
             <body><h1>Menu</h1><h1>Rates rise  again</h1></body>",
        );
        assert_eq!(meta.title.as_deref(), Some("Rates rise again"));
        assert_eq!(meta.lang.as_deref(), Some("en"));
        assert_eq!(meta.site_name.as_deref(), Some("The Daily"));
    }

    #[test]
    fn heading_contained_in_title() {
        let meta = meta_of(
            "<head><title>Local News: Bridge reopens after repairs - Valley Post</title></head>\
             <body><h2>Weather</h2><h2>Bridge reopens after repairs</h2></body>",
        );
        assert_eq!(meta.title.as_deref(), Some("Bridge reopens after repairs"));
    }

    #[test]
    fn og_title_without_suffix() {
        let meta = meta_of(
            "<head><title>Storm hits coast - Gazette</title>\
             <meta property='og:title' content='Storm hits coast - Gazette'></head>",
        );
        assert_eq!(meta.title.as_deref(), Some("Storm hits coast"));
    }

    #[test]
    fn dates_by_priority() {
        let meta = meta_of(
            "<head><script type='application/ld+json'>{\"@graph\":[{\"datePublished\":\"2024-03-01T10:00:00Z\"}]}</script>\
             <link rel='canonical' href='https://example.org/a'></head>\
             <body><time datetime='2020-01-01'>old</time></body>",
        );
        assert_eq!(meta.published.as_deref(), Some("2024-03-01T10:00:00Z"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/a"));
        let meta = meta_of(
            "<head><meta property='article:published_time' content='2023-05-06'>\
             <script type='application/ld+json'>{broken</script></head>",
        );
        assert_eq!(meta.published.as_deref(), Some("2023-05-06"));
    }

    #[test]
    fn lang_codes() {
        assert_eq!(lang_code("ru-RU").as_deref(), Some("ru"));
        assert_eq!(lang_code("de").as_deref(), Some("de"));
        assert_eq!(lang_code("x"), None);
    }
}
