//! A compact arena DOM for html5ever: nodes live in one `Vec`, linked by
//! `u32` ids, each element and text node stamped with the 1-based source
//! lines it came from.
//!
//! Input: HTML text (and the line number its first line has). Output: a
//! [`Dom`]. Parsing never fails: html5ever's tree builder recovers from any
//! markup the way a browser does. What no stage reads (script and style
//! contents, comments, SVG, most attributes) is blanked first (`blank`);
//! then our byte-oriented tokenizer ([`tokenize`]) hands the tree builder
//! the tokens, with the lines, that html5ever's own tokenizer would, at a
//! fraction of its cost. The tests hold the two tokenizers to the same tree
//! on every evaluation page and on tag soup.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, Namespace, QualName};

use super::blank::{blank_unread, is_kept};

mod tokenize;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = u32;

/// "No node" in the sibling and parent links.
pub const NONE: NodeId = u32::MAX;

/// What a node is.
#[derive(Debug)]
pub enum Data {
    /// The document root (also the root of a `<template>`'s contents).
    Document,
    /// An element.
    Element(Element),
    /// Character data.
    Text(StrTendril),
    /// Comments, doctypes and processing instructions.
    Other,
}

/// An element's name and attributes.
#[derive(Debug)]
pub struct Element {
    /// Qualified name (shared: the tree builder asks for it at every scope
    /// check, and a count bump is cheaper than cloning three atoms).
    pub name: Rc<QualName>,
    /// Attributes in source order.
    pub attrs: Vec<Attribute>,
}

/// One node and its links.
#[derive(Debug)]
pub struct Node {
    /// Parent, or [`NONE`].
    pub parent: NodeId,
    /// Previous sibling, or [`NONE`].
    pub prev: NodeId,
    /// Next sibling, or [`NONE`].
    pub next: NodeId,
    /// First child, or [`NONE`].
    pub first: NodeId,
    /// Last child, or [`NONE`].
    pub last: NodeId,
    /// What the node is.
    pub data: Data,
    /// First source line (1-based).
    pub line: u32,
    /// Last source line that added non-blank text to this node (text nodes).
    pub line_end: u32,
}

/// A parsed document.
#[derive(Debug)]
pub struct Dom {
    /// All nodes; node 0 is the document.
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Parses `html`; its first line is numbered `first_line`. The contents
    /// of scripts, styles, comments and SVG, and the attributes no stage
    /// reads, are blanked first (see [`blank_unread`]): the elements are in
    /// the tree, their lines unchanged.
    pub fn parse(html: &str, first_line: u32) -> Dom {
        Dom::build(&blank_unread(html), first_line)
    }

    /// Parses `html` as it is: our tokenizer ([`tokenize`]) feeds
    /// html5ever's tree builder.
    fn build(html: &str, first_line: u32) -> Dom {
        let builder = TreeBuilder::new(Sink::new(html, first_line), Sink::opts());
        tokenize::tokenize(html, &builder);
        builder.sink.finish()
    }

    /// Parses `html` as it is with html5ever's own tokenizer: the reference
    /// the tests hold [`Dom::build`] to.
    #[cfg(test)]
    fn build_html5ever(html: &str, first_line: u32) -> Dom {
        use html5ever::tendril::TendrilSink;
        let opts = html5ever::ParseOpts { tree_builder: Sink::opts(), ..Default::default() };
        html5ever::parse_document(Sink::new(html, first_line), opts).one(html)
    }

    /// The node `id`.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    /// The element data of `id`, when it is an element.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match self.node(id).map(|n| &n.data) {
            Some(Data::Element(element)) => Some(element),
            _ => None,
        }
    }

    /// The local name of element `id`.
    pub fn tag(&self, id: NodeId) -> Option<&LocalName> {
        self.element(id).map(|e| &e.name.local)
    }

    /// The value of attribute `name` of element `id`. Only the attributes
    /// [`is_kept`] survive the parse.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        debug_assert!(
            self.tag(id).is_none_or(|tag| is_kept(tag.as_bytes(), name.as_bytes())),
            "attribute {name} is blanked: see blank::KEPT_ATTRS"
        );
        self.element(id)?.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
    }

    /// Children of `id`, in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children { dom: self, next: self.node(id).map_or(NONE, |n| n.first) }
    }

    /// Parent of `id`, or [`NONE`].
    pub fn parent(&self, id: NodeId) -> NodeId {
        self.node(id).map_or(NONE, |n| n.parent)
    }

    /// All text under `id`, concatenated as is (scripts included).
    pub fn raw_text(&self, id: NodeId, out: &mut String) {
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            match self.node(current).map(|n| &n.data) {
                Some(Data::Text(text)) => out.push_str(text),
                Some(Data::Element(_) | Data::Document) => {
                    let start = stack.len();
                    stack.extend(self.children(current));
                    stack[start..].reverse();
                }
                _ => {}
            }
        }
    }

    /// Nodes of the tree under `id` (itself included) in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants { dom: self, root: id, next: Some(id) }
    }
}

/// Iterator over the children of a node.
pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let current = self.next;
        let node = self.dom.node(current)?;
        self.next = node.next;
        Some(current)
    }
}

/// Pre-order iterator over a subtree, by the first-child, next-sibling and
/// parent links (no stack to fill).
pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<NodeId>,
}

impl Descendants<'_> {
    /// The node after `id` in pre-order within the subtree, if any.
    fn after(&self, mut id: NodeId) -> Option<NodeId> {
        let node = self.dom.node(id)?;
        if node.first != NONE {
            return Some(node.first);
        }
        while id != self.root {
            let node = self.dom.node(id)?;
            if node.next != NONE {
                return Some(node.next);
            }
            id = node.parent;
        }
        None
    }
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let current = self.next?;
        self.next = self.after(current);
        Some(current)
    }
}

impl Node {
    fn new(data: Data, line: u32) -> Node {
        Node {
            parent: NONE,
            prev: NONE,
            next: NONE,
            first: NONE,
            last: NONE,
            data,
            line,
            line_end: line,
        }
    }
}

/// The html5ever tree sink that fills the arena.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    line: Cell<u32>,
    first_line: u32,
}

/// An element name handed to html5ever (owned: the arena may grow meanwhile).
#[derive(Debug)]
struct Name(Rc<QualName>);

impl html5ever::interface::ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn new(html: &str, first_line: u32) -> Sink {
        // About one node per 40 bytes of markup on news pages.
        let mut nodes = Vec::with_capacity(html.len() / 40 + 16);
        nodes.push(Node::new(Data::Document, first_line));
        Sink { nodes: RefCell::new(nodes), line: Cell::new(first_line), first_line }
    }

    /// The tree builder's options: no scripting, so `<noscript>` content
    /// is parsed as markup.
    fn opts() -> TreeBuilderOpts {
        TreeBuilderOpts { scripting_enabled: false, ..Default::default() }
    }

    fn push(&self, data: Data) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        let id = NodeId::try_from(nodes.len()).unwrap_or(NONE);
        nodes.push(Node::new(data, self.line.get()));
        id
    }

    /// Lines of the first and last non-blank characters of a chunk of text
    /// the tokenizer has just consumed (its current line is the line after
    /// the chunk's last character), or `None` for blank text.
    fn chunk_lines(&self, text: &str) -> Option<(u32, u32)> {
        let first = text.find(|c: char| !c.is_whitespace())?;
        let last = text.rfind(|c: char| !c.is_whitespace())?;
        let newlines = |from: usize| -> u32 {
            let count = text.get(from..).map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count());
            u32::try_from(count).unwrap_or(u32::MAX)
        };
        let line = self.line.get();
        let start = line.saturating_sub(newlines(first)).max(self.first_line);
        let end = line.saturating_sub(newlines(last)).max(self.first_line);
        Some((start, end))
    }

    fn text_node(&self, text: StrTendril) -> NodeId {
        let lines = self.chunk_lines(&text);
        let id = self.push(Data::Text(text));
        if let Some(node) = self.nodes.borrow_mut().get_mut(id as usize) {
            // Whitespace says nothing about where the text is.
            (node.line, node.line_end) = lines.unwrap_or((u32::MAX, 0));
        }
        id
    }

    /// Appends `text` to text node `id` if it is one; true when it was.
    fn merge_text(&self, id: NodeId, text: &StrTendril) -> bool {
        let lines = self.chunk_lines(text);
        let mut nodes = self.nodes.borrow_mut();
        let Some(node) = nodes.get_mut(id as usize) else { return false };
        let Data::Text(existing) = &mut node.data else { return false };
        existing.push_tendril(text);
        if let Some((start, end)) = lines {
            node.line = node.line.min(start);
            node.line_end = node.line_end.max(end);
        }
        true
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        let Some(node) = nodes.get_mut(id as usize) else { return };
        let (parent, prev, next) = (node.parent, node.prev, node.next);
        node.parent = NONE;
        node.prev = NONE;
        node.next = NONE;
        if let Some(n) = nodes.get_mut(next as usize) {
            n.prev = prev;
        } else if let Some(p) = nodes.get_mut(parent as usize) {
            p.last = prev;
        }
        if let Some(n) = nodes.get_mut(prev as usize) {
            n.next = next;
        } else if let Some(p) = nodes.get_mut(parent as usize) {
            p.first = next;
        }
    }

    fn append_child(nodes: &mut [Node], parent: NodeId, child: NodeId) {
        if parent as usize >= nodes.len() || child as usize >= nodes.len() || parent == child {
            return;
        }
        Self::detach(nodes, child);
        let last = nodes[parent as usize].last;
        nodes[child as usize].parent = parent;
        nodes[child as usize].prev = last;
        if let Some(l) = nodes.get_mut(last as usize) {
            l.next = child;
        } else {
            nodes[parent as usize].first = child;
        }
        nodes[parent as usize].last = child;
    }

    fn insert_before(nodes: &mut [Node], sibling: NodeId, child: NodeId) {
        if sibling as usize >= nodes.len() || child as usize >= nodes.len() || sibling == child {
            return;
        }
        Self::detach(nodes, child);
        let parent = nodes[sibling as usize].parent;
        let prev = nodes[sibling as usize].prev;
        nodes[child as usize].parent = parent;
        nodes[child as usize].next = sibling;
        nodes[child as usize].prev = prev;
        nodes[sibling as usize].prev = child;
        if let Some(p) = nodes.get_mut(prev as usize) {
            p.next = child;
        } else if let Some(p) = nodes.get_mut(parent as usize) {
            p.first = child;
        }
    }

    fn last_child(&self, id: NodeId) -> NodeId {
        self.nodes.borrow().get(id as usize).map_or(NONE, |n| n.last)
    }

    fn prev_sibling(&self, id: NodeId) -> NodeId {
        self.nodes.borrow().get(id as usize).map_or(NONE, |n| n.prev)
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Name;

    fn finish(self) -> Dom {
        Dom { nodes: self.nodes.into_inner() }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name(&self, target: &NodeId) -> Name {
        let nodes = self.nodes.borrow();
        match nodes.get(*target as usize).map(|n| &n.data) {
            Some(Data::Element(e)) => Name(e.name.clone()),
            // html5ever only asks for names of elements it created.
            _ => {
                Name(Rc::new(QualName::new(None, html5ever::ns!(html), html5ever::local_name!(""))))
            }
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        self.push(Data::Element(Element { name: Rc::new(name), attrs }))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Data::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let id = match child {
            NodeOrText::AppendText(text) => {
                if self.merge_text(self.last_child(*parent), &text) {
                    return;
                }
                self.text_node(text)
            }
            NodeOrText::AppendNode(node) => node,
        };
        Self::append_child(&mut self.nodes.borrow_mut(), *parent, id);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent =
            self.nodes.borrow().get(*element as usize).is_some_and(|n| n.parent != NONE);
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents stay inside the template element; the extractor
        // never reads templates.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, child: NodeOrText<NodeId>) {
        let id = match child {
            NodeOrText::AppendText(text) => {
                if self.merge_text(self.prev_sibling(*sibling), &text) {
                    return;
                }
                self.text_node(text)
            }
            NodeOrText::AppendNode(node) => node,
        };
        Self::insert_before(&mut self.nodes.borrow_mut(), *sibling, id);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Data::Element(e)) = nodes.get_mut(*target as usize).map(|n| &mut n.data) {
            for attr in attrs {
                if !e.attrs.iter().any(|a| a.name == attr.name) {
                    e.attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let mut child = nodes.get(*node as usize).map_or(NONE, |n| n.first);
        while child != NONE {
            let next = nodes.get(child as usize).map_or(NONE, |n| n.next);
            Self::append_child(&mut nodes, *new_parent, child);
            child = next;
        }
    }

    fn set_current_line(&self, line_number: u64) {
        let line = u32::try_from(line_number).unwrap_or(u32::MAX);
        self.line.set(self.first_line.saturating_add(line.saturating_sub(1)));
    }
}

/// `docs` random documents of `len` pieces each, drawn from `pieces` by a
/// fixed-seed generator: tag soup for the no-panic and same-tree tests.
#[cfg(test)]
pub(crate) fn tag_soup(pieces: &[&str], seed: u64, docs: usize, len: usize) -> Vec<String> {
    let mut state = seed;
    (0..docs)
        .map(|_| {
            (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    pieces[(state >> 33) as usize % pieces.len()]
                })
                .collect()
        })
        .collect()
}

/// The page files of each evaluation set in `../shared`, sorted, or `None`
/// (saying so on stderr) when the folder is absent.
#[cfg(test)]
pub(crate) fn evaluation_pages() -> Option<Vec<Vec<std::path::PathBuf>>> {
    let root = crate::testing::shared("corpora/extraction")?;
    let sets = std::fs::read_dir(&root).ok()?;
    let mut sets: Vec<_> = sets.flatten().map(|set| set.path()).collect();
    sets.sort();
    Some(
        sets.iter()
            .filter_map(|set| std::fs::read_dir(set.join("pages")).ok())
            .map(|files| {
                let mut files: Vec<_> = files.flatten().map(|f| f.path()).collect();
                files.sort();
                files
            })
            .collect(),
    )
}

/// A page file decoded as the pipeline decodes it, or `None` if unreadable.
#[cfg(test)]
pub(crate) fn read_page(path: &std::path::Path) -> Option<(&std::path::Path, String)> {
    let bytes = std::fs::read(path).ok()?;
    Some((path, crate::decode::decode(&bytes, None, crate::model::Format::Html).text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(dom: &Dom, tag: &str) -> NodeId {
        dom.descendants(0).find(|&id| dom.tag(id).is_some_and(|t| &**t == tag)).unwrap_or(NONE)
    }

    #[test]
    fn builds_tree_with_lines() {
        let dom = Dom::parse("<html>\n<body>\n<p class=x>Hello\n<b>world</b></p>\n</body>", 1);
        let p = find(&dom, "p");
        assert_eq!(dom.attr(p, "class"), Some("x"));
        assert_eq!(dom.node(p).map(|n| n.line), Some(3));
        let mut text = String::new();
        dom.raw_text(p, &mut text);
        assert_eq!(text, "Hello\nworld");
        let b = find(&dom, "b");
        assert_eq!(dom.node(b).map(|n| n.line), Some(4));
    }

    #[test]
    fn offsets_first_line() {
        let dom = Dom::parse("<p>a</p>\n<p>b</p>", 10);
        let lines: Vec<u32> = dom
            .descendants(0)
            .filter(|&id| dom.tag(id).is_some_and(|t| &**t == "p"))
            .filter_map(|id| dom.node(id).map(|n| n.line))
            .collect();
        assert_eq!(lines, [10, 11]);
    }

    #[test]
    fn misnested_markup_keeps_text() {
        let dom = Dom::parse("<table><p>foster<b>bold</table><i>a<p>b</i>c", 1);
        let mut text = String::new();
        dom.raw_text(0, &mut text);
        assert_eq!(text, "fosterboldabc");
    }

    /// Elements with their kept attributes and lines, and the text outside
    /// blanked elements with its lines, in document order.
    fn outline(dom: &Dom) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![0];
        while let Some(id) = stack.pop() {
            let Some(node) = dom.node(id) else { continue };
            match &node.data {
                Data::Element(e) => {
                    let attrs: Vec<String> = e
                        .attrs
                        .iter()
                        .filter(|a| is_kept(e.name.local.as_bytes(), a.name.local.as_bytes()))
                        .map(|a| format!("{}={}", &*a.name.local, &*a.value))
                        .collect();
                    out.push(format!("<{} {:?}> {}", &*e.name.local, attrs, node.line));
                    let blanked = ["script", "style", "svg", "math"].contains(&&*e.name.local)
                        && !dom.attr(id, "type").is_some_and(|t| t.contains("ld+json"));
                    if blanked {
                        continue;
                    }
                }
                Data::Text(text) => {
                    out.push(format!("{:?} {} {}", &**text, node.line, node.line_end))
                }
                Data::Document | Data::Other => {}
            }
            let start = stack.len();
            stack.extend(dom.children(id));
            stack[start..].reverse();
        }
        out
    }

    #[test]
    fn blanking_keeps_the_tree_and_its_lines() {
        for html in [
            "<!doctype html>\n<html><head><title>T <!-- x --></title>\n<style>\np { color: red }\n</style>\n\
             <script type=application/ld+json>{\"a\": 1}</script></head>\n<body class=b>\n<p>one\n\
             <script>\nvar s = '<p>not</p>';\r\n</script>two</p><!-- c\n-->\n<p id=x>three</p></body>",
            "<div>a<svg viewBox='0 0 1 1'>\n<title>Icon</title>\n<path d='M0'/></svg>\nb</div>\n<p>c</p>",
            "<p>a<svg><g>\n<p>breaks out</p>\n<style>q{}</style></g></svg>\nd</p>",
            "<script><!--\ndocument.write('<script></script>');\n//--></script>\n<p>after</p>",
            "<textarea><script>x</script></textarea>\n<p>a</p><math><mi>x</mi></math>\n<p>b</p>",
            "<table><tr><td>a<script>\nb</script>\n</td></tr></table><p>c<!-->d<!--->e</p>",
            "<p>a</p>\n<script>\nunterminated <p>b</p>",
            "<div data-a=1\nstyle=\r\n'x'\n class=\n\n'k'>a</div>\n<p id=\"\nq\" hidden\n>b</p>",
        ] {
            let blanked = Dom::parse(html, 3);
            let raw = Dom::build(html, 3);
            assert_eq!(outline(&blanked), outline(&raw), "{html}");
        }
    }

    /// The same on random tag soup made of the pieces the pre-pass cares
    /// about.
    #[test]
    fn blanking_keeps_the_tree_of_tag_soup() {
        const PIECES: [&str; 52] = [
            "<p>",
            "</p>",
            "<div class=a data-x=\"1\">",
            "</div>",
            "<script>",
            "<script type=application/ld+json>",
            "</script>",
            "<SCRIPT src=x />",
            "<style>",
            "</style >",
            "<!--",
            "-->",
            "--!>",
            "<!-->",
            "<svg>",
            "</svg>",
            "<math>",
            "</math>",
            "<title>",
            "</title>",
            "<textarea>",
            "<foreignObject>",
            "<path d='M0'/>",
            "<![CDATA[",
            "]]>",
            "<b>",
            "</b>",
            "<a href=\"/x\" id=\n'k'>",
            "</a>",
            "<table><tr><td>",
            "text ",
            "é\u{ad}",
            "\n",
            "\r\n",
            "\r",
            "'\"",
            "<",
            ">",
            "<font color=red>",
            "<p style=\n\r\nx>",
            "<!--<script>",
            "</script",
            "<iframe>",
            "</iframe>",
            "<select>",
            "<template>",
            "</template>",
            "<svg/>",
            "<desc>",
            "</desc>",
            "<table>",
            "<br>",
        ];
        for html in tag_soup(&PIECES, 0x9e37_79b9_7f4a_7c15, 2000, 60) {
            assert_eq!(outline(&Dom::parse(&html, 1)), outline(&Dom::build(&html, 1)), "{html:?}");
        }
    }

    /// Every node under the root in document order, with everything the
    /// sink recorded of it: names and namespaces, all attributes, text,
    /// lines.
    fn dump(dom: &Dom) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![(0, 0)];
        while let Some((id, depth)) = stack.pop() {
            let Some(node) = dom.node(id) else { continue };
            let what = match &node.data {
                Data::Document => "#document".to_owned(),
                Data::Other => "#other".to_owned(),
                Data::Text(text) => format!("{:?}", &**text),
                Data::Element(e) => {
                    let attrs: Vec<String> = e
                        .attrs
                        .iter()
                        .map(|a| format!("{}:{}={:?}", &*a.name.ns, &*a.name.local, &*a.value))
                        .collect();
                    format!("<{}:{} {}>", &*e.name.ns, &*e.name.local, attrs.join(" "))
                }
            };
            out.push(format!("{depth} {what} {}-{}", node.line, node.line_end));
            let start = stack.len();
            stack.extend(dom.children(id).map(|c| (c, depth + 1)));
            stack[start..].reverse();
        }
        out
    }

    /// The first difference between the trees our tokenizer and html5ever's
    /// build from `html`, if any.
    fn tokenizer_difference(html: &str) -> Option<String> {
        let (ours, theirs) = (dump(&Dom::build(html, 1)), dump(&Dom::build_html5ever(html, 1)));
        if let Some((o, t)) = ours.iter().zip(&theirs).find(|(o, t)| o != t) {
            return Some(format!("ours {o}\n theirs {t}"));
        }
        (ours.len() != theirs.len())
            .then(|| format!("ours {} nodes, theirs {}", ours.len(), theirs.len()))
    }

    #[test]
    fn tokenizer_matches_html5ever_on_tricky_markup() {
        for html in [
            "",
            "\u{feff}<p>bom",
            "plain text\nno tags",
            "\n\n  \r\nstart<p>x",
            "<!DOCTYPE html>\n<title>T &amp; U &notit; &#x41;&#65;&#0;&#x80;&#1114112;</title>",
            "<!doctype html public \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<p><table>",
            "<!DOCTYPE html SYSTEM 'about:legacy-compat'><p>a",
            "<!DOCTYPE>x<!DOCTYPE html PUBLIC \"a\" \"b\" x><p>",
            "<!doctype html public\r\n\"-//W3O//DTD W3 HTML Strict 3.0//EN//\"><p><table>",
            "<!DOCTYPE html PUBLIC",
            "<!DOCTYPE html PUBLIC \"unterminated",
            "<p a=1 A=2 b='x&amp;y' c=\"&ampx &amp= &lt\" d=&gt;e f>t</p>",
            "<p\r\nclass=\r\n\r\n'k'\r\nid =\n x>a\rb\r\nc\n\rd</p>\n<p>e",
            "<a href=x/>y</a><br/><br / ><img src=a//>",
            "a < b <= c <1 </ x> </> <? pi ?> <!x> <!-- c -- d --> <!--> <!---> e",
            "<table>\n  <tr>x\n y<td>a</td>\n</table>",
            "<table>\na &amp; b\n<tr><td>c</table>",
            "<pre>\nfirst</pre><pre>\r\nsecond</pre><textarea>\nthird</textarea>",
            "<pre></>\nkept</pre><pre>&NewLine;dropped?</pre><pre>&NewLine\nx</pre>",
            "<listing>\n\nx</listing>",
            "<script>if (a < b && c </s) { x = '</scr' + 'ipt>' }</script><p>after",
            "<script><!-- document.write('<script>x</script>'); --></script><p>after",
            "<script><!--\n<script>\n</script>\n-->\n</script>\n<p>after",
            "<script>a <\n b </\n c </sc\nript></script>",
            "<style>p > a { color: red } </styles> </style\n>x",
            "<title>a <\n b</title\n>",
            "<textarea>a</textarea >b<xmp><b>x</b></xmp><iframe><p></iframe>",
            "<noembed><p></noembed><noframes><p></noframes><noscript><p>n</noscript>",
            "<plaintext>everything </plaintext> <p> is text",
            "<svg><![CDATA[ a < b ]]><title>t</title><path d=1 /></svg><![CDATA[x]]>",
            "<math><mi>x</mi><annotation-xml encoding=text/html><p>y</p></annotation-xml></math>",
            "<p>NUL\0here</p><p a\0b=c\0d>e</p><x\0y>",
            "<b><i>misnested</b></i><p>x<div>y</p>z</div>",
            "<template><p>t</p></template><select><option>a<option>b</select>",
            "&amp &amp; &AMP; &ampx; &notin; &notit; &#; &#x; &#xZ; &#12a; &xyzzy; &; & x",
            "&#128; &#x9F; &#55296; &#xFFFE; &#x10FFFF; &#99999999999;",
            "<p title=\"&quot;q&quot;\" alt='&#39;' data=&lt;>x",
            "<div>unterminated <a href=\"x",
            "<div>unterminated <a href=",
            "<div>unterminated <a href=\n\n",
            "<div>unterminated <a",
            "<div>text</div><",
            "<div>text</div></",
            "<div>text</div>&",
            "<div>text</div>&am",
            "<div>text</div>&#x",
            "<!-- unterminated comment\n",
            "<script>unterminated\n<p>x",
            "<script><!--<script>unterminated",
            "<title>unterminated</title",
            "<title>unterminated</title x",
            "<body>\ntext\r\n<p>é\u{ad}ü 中文 &eacute;&Eacute</p></body>\n</html>\ntrailing",
            "<html><head></head>\nHello\nworld<p>x",
            "<head>\n<title>t</title>\n</head>\nafter head\n<body>",
        ] {
            if let Some(diff) = tokenizer_difference(html) {
                panic!("{html:?}\n{diff}");
            }
        }
    }

    /// Tag soup made of the pieces a tokenizer can get wrong, and each
    /// document cut short at every tenth byte.
    #[test]
    fn tokenizer_matches_html5ever_on_tag_soup() {
        const PIECES: [&str; 56] = [
            "<p>",
            "</p>",
            "<div class=a data-x=\"1\">",
            "</div>",
            "<script>",
            "</script>",
            "<style>",
            "</style >",
            "<title>",
            "</title>",
            "<textarea>",
            "</textarea>",
            "<pre>",
            "<table>",
            "<tr>",
            "<td>",
            "<svg>",
            "</svg>",
            "<math>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "--!>",
            "<!-->",
            "<!DOCTYPE html>",
            "<!doctype x public 'y'>",
            "<?x>",
            "</ x>",
            "</>",
            "<",
            ">",
            "&",
            "&amp;",
            "&amp",
            "&notit;",
            "&#x41;",
            "&#128;",
            "&lt",
            "=",
            "'",
            "\"",
            "/",
            " ",
            "\n",
            "\r\n",
            "\r",
            "\0",
            "text",
            "é中",
            "<a href=x",
            "<b title='&amp;x'>",
            "<!--<script>",
            "<plaintext>",
            "<select>",
            "<template>",
        ];
        for html in tag_soup(&PIECES, 0x2545_f491_4f6c_dd1d, 3000, 40) {
            if let Some(diff) = tokenizer_difference(&html) {
                panic!("{html:?}\n{diff}");
            }
            for cut in (1..html.len()).step_by(10).filter(|&c| html.is_char_boundary(c)) {
                let part = &html[..cut];
                if let Some(diff) = tokenizer_difference(part) {
                    panic!("{part:?}\n{diff}");
                }
            }
        }
    }

    /// The same on soup that exercises the tree builder's modes: formatting
    /// elements it reopens, foreign content, frames, raw-text elements.
    #[test]
    fn tokenizer_matches_html5ever_on_tree_builder_soup() {
        const PIECES: [&str; 44] = [
            "<a href=1>",
            "</a>",
            "<b>",
            "</b>",
            "<i>",
            "<font color=red>",
            "<nobr>",
            "<head>",
            "<body class=x>",
            "</body>",
            "</html>",
            "<html lang=en>",
            "<frameset>",
            "<frame>",
            "<xmp>",
            "</xmp>",
            "<iframe>",
            "</iframe>",
            "<noscript>",
            "</noscript>",
            "<svg>",
            "<svg><style>",
            "</style>",
            "<foreignObject>",
            "<math><mi>",
            "<script>",
            "</script",
            "</script>",
            "<!--<script>",
            "-->",
            "<table>",
            "<caption>",
            "<col>",
            "<tr>",
            "<td>",
            "<li>",
            "<dd>",
            "<h1>",
            "<form>",
            "<image src=x>",
            "text\n",
            " ",
            "\r\n",
            "&amp;",
        ];
        for html in tag_soup(&PIECES, 0x5851_f42d_4c95_7f2d, 3000, 50) {
            if let Some(diff) = tokenizer_difference(&html) {
                panic!("{html:?}\n{diff}");
            }
        }
    }

    /// Every evaluation page, as it is and after the pre-pass, and cut
    /// short once: the same tree from both tokenizers.
    #[test]
    fn tokenizer_matches_html5ever_on_evaluation_pages() {
        let Some(sets) = evaluation_pages() else { return };
        let mut bad = Vec::new();
        let mut pages = 0;
        for files in sets {
            for (path, text) in files.iter().filter_map(|p| read_page(p)) {
                pages += 1;
                let mut cut = text.len() * 2 / 3;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let blanked = blank_unread(&text);
                for (what, html) in
                    [("page", &text[..]), ("blanked", &blanked), ("cut", &text[..cut])]
                {
                    if let Some(diff) = tokenizer_difference(html) {
                        bad.push(format!("{} ({what}): {diff}", path.display()));
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{} of {pages} pages differ:\n{}", bad.len(), bad.join("\n"));
    }

    /// The same on every tenth page of the evaluation sets.
    #[test]
    fn blanking_keeps_the_tree_of_evaluation_pages() {
        let Some(sets) = evaluation_pages() else { return };
        let mut bad = Vec::new();
        for files in sets {
            for (path, text) in files.iter().step_by(10).filter_map(|p| read_page(p)) {
                let (blanked, raw) =
                    (outline(&Dom::parse(&text, 1)), outline(&Dom::build(&text, 1)));
                if let Some((b, r)) = blanked.iter().zip(&raw).find(|(b, r)| b != r) {
                    bad.push(format!("{}: {b} vs {r}", path.display()));
                } else if blanked.len() != raw.len() {
                    bad.push(format!(
                        "{}: {} vs {} nodes",
                        path.display(),
                        blanked.len(),
                        raw.len()
                    ));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
