//! HTML main-content extraction.
//!
//! Input: the decoded text of one HTML page and, when the corpus pass learned
//! one, the page's site template. Output: a [`Cleaned`] article: title, date,
//! canonical URL, site name, language, hashtags, the body as paragraphs with
//! the 1-based source lines each came from, and every dropped block with its
//! [`DropReason`].
//!
//! Steps: parse with html5ever into an arena DOM (`dom`) whose nodes carry
//! source lines; if an unterminated raw-text element (`<title>`, `<textarea>`,
//! `<script>`...) swallowed the rest of the page, re-parse what it swallowed;
//! read the metadata (`meta`); cut the DOM into paragraph-level blocks and
//! pick the main content (`content`); drop the headline, hashtag lines and
//! template lines from what is left. A page that declares no language gets
//! one guessed from its body's stopwords.
//!
//! Never fails and never panics: a page without an article gives an empty
//! body.

mod blank;
mod content;
mod dom;
mod meta;

use crate::model::{Cleaned, DropReason, Dropped, LineSpan};

use self::content::Kind;
use self::dom::{Data, Dom, NodeId};
use self::meta::{PageMeta, title_key, title_key_into};
use super::template::SiteTemplate;
use super::text::guess_lang;

/// What the extractor asks of a site template: does this line recur across
/// many pages of the site? The template learner counts the visible text of
/// block-level elements, which is what a block's text is; raw source lines
/// are asked too, for templates learned from them.
pub trait TemplateLines {
    /// True when `line` (a block's text or a raw source line, trimmed) is template.
    fn is_template_line(&self, line: &str) -> bool;
}

impl TemplateLines for SiteTemplate {
    fn is_template_line(&self, line: &str) -> bool {
        self.contains(line)
    }
}

/// Longest dropped text kept for `--explain`, in characters.
const DROPPED_CHARS: usize = 300;

/// Extracts the article of an HTML page.
pub fn clean_html(html: &str, template: Option<&SiteTemplate>) -> Cleaned {
    clean_with(html, template.map(|t| t as &dyn TemplateLines))
}

/// [`clean_html`] against any [`TemplateLines`].
pub fn clean_with(html: &str, template: Option<&dyn TemplateLines>) -> Cleaned {
    let first = Dom::parse(html, 1);
    let mut page_meta = meta::read_meta(&first);
    let dom = match swallowed(&first, html.len()) {
        Some((tag, own, rest, line)) => {
            let dom = Dom::parse(&rest, line);
            if tag == "title" {
                let head = meta::fold(own.split('<').next().unwrap_or(""));
                if !head.is_empty() && head.chars().count() <= 300 {
                    page_meta.title = Some(head.clone());
                    page_meta.title_variants.push(head);
                }
            }
            merge_meta(&mut page_meta, meta::read_meta(&dom));
            dom
        }
        None => first,
    };
    let reasons = content::reasons(&dom);
    let mut blocks = content::blocks(&dom, &reasons);
    let title_keys: Vec<String> =
        page_meta.title_variants.iter().map(|t| title_key(t)).filter(|k| !k.is_empty()).collect();
    // Only a block about as long as a headline variant can be one.
    let longest = title_keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    let mut key = String::new();
    let is_title: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.chars < 400 && (b.chars as usize) <= longest + 8 && {
                title_key_into(&b.text, &mut key);
                title_keys.contains(&key)
            }
        })
        .collect();
    let title_at = (0..blocks.len())
        .find(|&i| is_title[i] && matches!(blocks[i].kind, Kind::Heading(_)))
        .or_else(|| is_title.iter().position(|&t| t));
    content::select(&dom, &mut blocks, reasons, title_at);

    let mut cleaned = Cleaned {
        title: page_meta.title.clone(),
        published: page_meta.published.clone(),
        url: page_meta.url.clone(),
        site_name: page_meta.site_name.clone(),
        lang: page_meta.lang.clone(),
        ..Cleaned::default()
    };
    let mut source = SourceLines::new(if template.is_some() { html } else { "" });
    for (block, is_title) in blocks.iter_mut().zip(is_title) {
        if block.drop.is_some() {
            continue;
        }
        if is_title && (matches!(block.kind, Kind::Heading(_)) || block.chars < 200) {
            block.drop = Some(DropReason::Title);
        } else if let Some(template) = template
            && (template.is_template_line(block.text.trim())
                || source.all_template(block.lines, template))
        {
            block.drop = Some(DropReason::Template);
        }
    }
    for block in &blocks {
        match block.drop {
            None => {
                let text = take_hashtags(&block.text, &mut cleaned.tags);
                if text.is_empty() {
                    push_dropped(&mut cleaned, block.lines, &block.text, DropReason::Hashtags);
                } else {
                    cleaned.push_block(text, block.lines);
                }
            }
            Some(reason) => push_dropped(&mut cleaned, block.lines, &block.text, reason),
        }
    }
    // A page that declares no language: guess it from the body.
    if cleaned.lang.is_none() {
        cleaned.lang = guess_lang(&cleaned.text).map(str::to_owned);
    }
    cleaned
}

fn push_dropped(cleaned: &mut Cleaned, lines: LineSpan, text: &str, reason: DropReason) {
    let mut text = meta::fold(text);
    if let Some((cut, _)) = text.char_indices().nth(DROPPED_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    cleaned.dropped.push(Dropped { lines, text, reason });
}

/// The source lines of a page, each asked of the template at most once:
/// blocks' line spans nest and overlap, and a minified page is one long
/// line that every block would otherwise ask about again.
struct SourceLines<'a> {
    lines: Vec<&'a str>,
    /// Whether line `i` is template, once asked.
    known: Vec<Option<bool>>,
}

impl<'a> SourceLines<'a> {
    fn new(html: &'a str) -> SourceLines<'a> {
        let lines: Vec<&str> = html.lines().collect();
        let known = vec![None; lines.len()];
        SourceLines { lines, known }
    }

    /// True when every non-blank source line of `span` is template.
    fn all_template(&mut self, span: LineSpan, template: &dyn TemplateLines) -> bool {
        let start = span.start.saturating_sub(1) as usize;
        let end = (span.end as usize).min(self.lines.len());
        if start >= end {
            return false;
        }
        let mut any = false;
        for (line, known) in self.lines.iter().zip(self.known.iter_mut()).take(end).skip(start) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if !*known.get_or_insert_with(|| template.is_template_line(line)) {
                return false;
            }
            any = true;
        }
        any
    }
}

/// A hashtag: `#` then a word that is not only digits.
fn hashtag(word: &str) -> Option<&str> {
    let tag = word.strip_prefix('#')?.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
    let valid = !tag.is_empty()
        && tag.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !tag.chars().all(|c| c.is_ascii_digit());
    valid.then_some(tag)
}

/// Removes the trailing run of hashtags of a paragraph (all of it when the
/// paragraph is only hashtags) and records them as tags.
fn take_hashtags<'a>(text: &'a str, tags: &mut Vec<String>) -> &'a str {
    let mut cut = text.len();
    let mut found = Vec::new();
    // A run longer than this is spam, not tags (and would cost quadratic time).
    for (start, word) in words_rev(text).take(64) {
        match hashtag(word) {
            Some(tag) => {
                found.push(tag);
                cut = start;
            }
            None => break,
        }
    }
    for tag in found.into_iter().rev() {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    text.get(..cut).unwrap_or(text).trim_end()
}

/// Words of `text` from the last, with their byte offsets.
fn words_rev(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = text.len();
    std::iter::from_fn(move || {
        let head = text.get(..end)?.trim_end();
        if head.is_empty() {
            return None;
        }
        let start = head.rfind(char::is_whitespace).map_or(0, |i| {
            i + head.get(i..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
        });
        end = start;
        Some((start, head.get(start..)?))
    })
}

/// Raw-text elements whose content, when it runs to the end of the page,
/// means the page was swallowed by an unterminated tag.
const RAW_TEXT: [&str; 8] =
    ["title", "textarea", "script", "style", "xmp", "iframe", "noembed", "noframes"];

/// When an unterminated raw-text element holds most of the page, returns
/// what it swallowed and the line it starts on.
/// Returns the element's tag, its own content, the rest of the page and the
/// line the rest starts on.
fn swallowed(dom: &Dom, page_len: usize) -> Option<(&'static str, String, String, u32)> {
    // Only a raw-text element holding half the page can have swallowed it:
    // the nodes are in the arena's creation order, which is cheap to scan.
    let found = (0..dom.nodes.len())
        .map(|id| id as NodeId)
        .filter(|&id| dom.parent(id) != dom::NONE)
        .find_map(|id| swallowed_by(dom, id, page_len))?;
    // A page whose text is mostly outside the element was not swallowed (a
    // big script that mentions markup).
    let mut visible = 0usize;
    for node in &dom.nodes {
        if let Data::Text(text) = &node.data {
            let parent = dom.tag(node.parent).map(|t| &**t);
            if !parent.is_some_and(|t| RAW_TEXT.contains(&t) || t == "noscript") {
                visible += text.chars().filter(|c| !c.is_whitespace()).count();
            }
        }
    }
    (visible * 10 < found.2.len()).then_some(found)
}

fn swallowed_by(
    dom: &Dom,
    id: NodeId,
    page_len: usize,
) -> Option<(&'static str, String, String, u32)> {
    {
        let tag = dom.tag(id)?;
        let &tag = RAW_TEXT.iter().find(|t| **t == &**tag)?;
        let text_id = dom.children(id).next()?;
        let Some(Data::Text(text)) = dom.node(text_id).map(|n| &n.data) else { return None };
        if text.len() * 2 < page_len || !looks_like_markup(text) {
            return None;
        }
        // The element's own content ends at its first closing tag (or, for a
        // title, at the first tag); the page resumes after it.
        let lower = text.to_ascii_lowercase();
        let resume = match lower.find(&format!("</{tag}")) {
            Some(close) => {
                lower.get(close..).and_then(|t| t.find('>')).map_or(close, |gt| close + gt + 1)
            }
            None => lower.find('<').unwrap_or(0),
        };
        let skipped = text.get(..resume).unwrap_or("");
        let newlines = u32::try_from(skipped.matches('\n').count()).unwrap_or(0);
        let line = dom.node(id).map_or(1, |n| n.line).saturating_add(newlines);
        let rest = text.get(resume..).unwrap_or("");
        Some((tag, skipped.to_owned() + "\n", rest.to_owned(), line))
    }
}

/// True for text that is the rest of a page: paragraph markup up to the
/// closing `</body>` or `</html>`.
fn looks_like_markup(text: &str) -> bool {
    // Markup is dense in tags; code that merely mentions a few is not.
    let tags =
        text.as_bytes().windows(2).filter(|w| w[0] == b'<' && w[1].is_ascii_alphabetic()).count();
    if tags * 1000 < text.len() * 3 {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    ["<p", "<div", "<br", "<td"].iter().any(|t| lower.contains(t))
        && ["</p>", "</div>", "</td>"].iter().any(|t| lower.contains(t))
        && (lower.contains("</body") || lower.contains("</html"))
}

/// Fills what the page's first parse could not tell from the re-parse.
fn merge_meta(first: &mut PageMeta, second: PageMeta) {
    let sane = |t: &Option<String>| t.as_ref().is_some_and(|t| t.chars().count() <= 300);
    if !sane(&first.title) {
        first.title = second.title;
        first.title_variants = second.title_variants;
    }
    first.published = first.published.take().or(second.published);
    first.url = first.url.take().or(second.url);
    first.site_name = first.site_name.take().or(second.site_name);
    first.lang = first.lang.take().or(second.lang);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "The council voted on Tuesday to approve the new budget, which raises \
                         spending on schools and roads by a modest amount over three years.";

    fn page(body: &str) -> String {
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<title>Budget passes | Town News</title>\n\
             <meta property=\"og:site_name\" content=\"Town News\">\n</head>\n<body>\n{body}\n</body>\n</html>"
        )
    }

    #[test]
    fn extracts_article_and_meta() {
        let html = page(&format!(
            "<nav><a href=/>Home</a> <a href=/n>News</a></nav>\n<article>\n<h1>Budget passes</h1>\n\
             <p>{PROSE}</p>\n<p>{PROSE} #Budget #Town</p>\n</article>\n<footer>© Town News</footer>"
        ));
        let cleaned = clean_html(&html, None);
        assert_eq!(cleaned.title.as_deref(), Some("Budget passes"));
        assert_eq!(cleaned.lang.as_deref(), Some("en"));
        assert_eq!(cleaned.site_name.as_deref(), Some("Town News"));
        assert_eq!(cleaned.text, format!("{PROSE}\n\n{PROSE}"));
        assert_eq!(cleaned.tags, ["Budget", "Town"]);
        assert_eq!(cleaned.blocks[0].lines, LineSpan::one(11));
        assert!(cleaned.dropped.iter().any(|d| d.reason == DropReason::Title));
        assert!(cleaned.dropped.iter().any(|d| d.reason == DropReason::Menu));
    }

    #[test]
    fn recovers_unterminated_title() {
        let html = format!(
            "<html><head><title>Oops</head>\n<body>\n<p>{PROSE}</p>\n<p>{PROSE}</p></body>"
        );
        let cleaned = clean_html(&html, None);
        assert_eq!(cleaned.text, format!("{PROSE}\n\n{PROSE}"));
        assert_eq!(cleaned.blocks[0].lines, LineSpan::one(3));
    }

    #[test]
    fn hashtag_lines_become_tags() {
        let mut tags = Vec::new();
        assert_eq!(take_hashtags("#one #two", &mut tags), "");
        assert_eq!(
            take_hashtags("Price rose to #1 today #markets.", &mut tags),
            "Price rose to #1 today"
        );
        assert_eq!(take_hashtags("Ставки #выборы", &mut tags), "Ставки");
        assert_eq!(tags, ["one", "two", "markets", "выборы"]);
    }

    struct Lines(&'static [&'static str]);

    impl TemplateLines for Lines {
        fn is_template_line(&self, line: &str) -> bool {
            self.0.contains(&line)
        }
    }

    #[test]
    fn template_lines_are_dropped() {
        let html = format!(
            "<body>\n<div>\n<p>{PROSE}</p>\n<p>The weather for the whole valley is read every morning \
             at seven o'clock by the duty editor.</p>\n</div></body>"
        );
        let boiler: &'static str = "<p>The weather for the whole valley is read every morning \
             at seven o'clock by the duty editor.</p>";
        let lines = Lines(Box::leak(Box::new([boiler])));
        let cleaned = clean_with(&html, Some(&lines));
        assert_eq!(cleaned.text, PROSE);
        assert!(cleaned.dropped.iter().any(|d| d.reason == DropReason::Template));
    }

    /// Runs the extractor over the first pages of every evaluation set:
    /// no panic, and an article out of nearly every page.
    #[test]
    fn evaluation_pages_smoke() {
        let Some(sets) = super::dom::evaluation_pages() else { return };
        let (mut pages, mut empty) = (0, 0);
        for files in sets {
            for (_, text) in files.iter().take(8).filter_map(|p| super::dom::read_page(p)) {
                let cleaned = clean_html(&text, None);
                pages += 1;
                empty += usize::from(cleaned.text.is_empty());
                for block in &cleaned.blocks {
                    assert!(block.lines.start >= 1 && block.lines.start <= block.lines.end);
                    assert!(cleaned.text.get(block.span.start..block.span.end).is_some());
                }
            }
        }
        assert!(empty * 20 <= pages, "{empty} of {pages} pages came out empty");
    }

    #[test]
    fn tag_soup_does_not_panic() {
        const PIECES: [&str; 26] = [
            "<p>",
            "</p>",
            "<div class=comment>",
            "</div>",
            "<table><tr><td>",
            "</td>",
            "<title>",
            "<script>",
            "</script>",
            "<textarea>",
            "Word ",
            "#tag ",
            "&amp;",
            "é\u{ad}",
            "\n",
            "<br>",
            "<a href=x>",
            "</a>",
            "<h2>",
            "</h2>",
            "<li>",
            "© AFP",
            "日本語の文章。",
            "...",
            "<article>",
            "</body>",
        ];
        for html in super::dom::tag_soup(&PIECES, 0x2545_f491, 200, 120) {
            let cleaned = clean_html(&html, None);
            for block in &cleaned.blocks {
                assert!(cleaned.text.get(block.span.start..block.span.end).is_some());
            }
        }
    }

    #[test]
    fn garbage_does_not_panic() {
        for html in ["", "<", "</p>", "<<<>>>", "\u{feff}<p>é", "<title>", "<script>", "&#xffffff;"]
        {
            let _ = clean_html(html, None);
        }
    }
}
