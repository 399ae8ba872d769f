//! HTML corpora: the pages of a built static site (`*.html`, `*.htm`).
//!
//! Each page becomes one [`Document`]. The bytes are decoded as a browser
//! would (see *Decoding*), then parsed by html5ever, the HTML5 parser of
//! Servo: malformed markup (unclosed tags, stray end tags, misnested
//! inline elements…) is repaired exactly as the HTML standard says a
//! browser repairs it, and never fails the build.
//!
//! | Field | Rule |
//! |---|---|
//! | body root | the first element marked `data-recherche-body`, else the first `<main>`, else the first `<article>`, else `<body>` (`<main>` and `<article>` are not looked for inside the parts left out below, so an `<article>` teaser in an `<aside>` is not taken for the page) |
//! | left out | `nav`, `aside`, `script`, `style`, `template`, `noscript`, `head`, `title`, `iframe`, `object`, `canvas`, `video`, `audio`, `svg`, form controls (`button`, `select`, `datalist`, `textarea`), `rp`, a `dialog` that is not `open`, and any element marked `data-recherche-ignore` or `hidden` (but not `hidden="until-found"`, which browsers find in page); `header` and `footer` when they are the page's banner and footer, that is not inside an `article`, `aside`, `main`, `nav` or `section` (as ARIA maps them), so that an article's own header, with its `<h1>` and `<time>`, is kept |
//! | body | one paragraph per block: `p`, `li`, `h1`–`h6`, `td`/`th`, `dt`/`dd`, `pre`, `blockquote`, `div` and the other block elements; text directly in a `div` around blocks is a paragraph of its own. Inline elements (`a`, `em`, `span`, unknown elements…) join their text. Whitespace collapses as a browser renders it (ASCII whitespace only: U+00A0 is kept as written). `<br>` ends a paragraph, and so does a line break inside `pre`. A left-out block still ends the paragraph before it. Images' `alt` text is not read |
//! | captions | the text of each `<figcaption>` in the body root, one caption each, not in the body |
//! | title | `data-recherche-title` (see below), else the first `<h1>` of the body root, else the page's first `<h1>` outside the parts left out, else `<title>`. With none, the page is kept with an empty title and a note |
//! | date | the first of: a `<time datetime>` in the body root; `<meta property="article:published_time">`; `datePublished` in JSON-LD (`<script type="application/ld+json">`, an object, an array or an `@graph`); a French date in the first sentence of the body's first paragraph that is not a heading (as for text articles). A timestamp keeps its calendar date only (`2024-03-14T09:30:00+01:00` → `2024-03-14`); a value that is not a real date is skipped for the next one. Otherwise `None`: never guessed |
//! | source | `data-recherche-source` (see below), else `<meta property="og:site_name">` |
//! | people | each `<meta name="author">`, then the people the title, body and captions name ([`people`]) |
//! | url | `<link rel="canonical" href>` as written, else the page's path relative to the corpus folder, with `/` (`actualites/2024/fete.html`) |
//! | id | the page's path relative to the corpus folder, with `/` |
//! | sections | each `h2` or `h3` with an `id` in the body (and some text) opens a [`Section`]: its text, its `id`, and the index of its own paragraph in `body` |
//! | language | a page whose `<html lang>` is not French (`fr`, `fr-FR`, `fr-CA`…) is indexed all the same, with a note |
//!
//! `data-recherche-title` and `data-recherche-source`: on the first element
//! that carries the attribute, a non-empty value is the title (source)
//! itself (`<meta data-recherche-title="Le titre">`,
//! `<body data-recherche-source="Mairie">`); an empty one
//! (`<h1 data-recherche-title>`) means the element's text.
//!
//! **Decoding.** As a browser does for a file with no HTTP header: a byte
//! order mark (UTF-8, UTF-16LE, UTF-16BE) wins and is removed; else the
//! encoding declared by `<meta charset>` or `<meta http-equiv="content-type"
//! content="…; charset=…">`, found by the HTML standard's prescan of the
//! first 1024 bytes (labels as the Encoding Standard maps them:
//! `iso-8859-1` is windows-1252; a declared UTF-16 means UTF-8); else
//! UTF-8 if the bytes are valid UTF-8, else windows-1252 (what a browser
//! with a French locale falls back to). A page whose bytes are malformed
//! for the encoding that applies (invalid UTF-8 in a page declared UTF-8,
//! say) fails the build with its file, line and byte offset, where a
//! browser would show U+FFFD: that text would be lost. windows-1252 gives
//! every byte a character, so the fallback never fails.

use super::{dates, people, seed, Document, Error, Section};
use crate::date::Date;
use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1252};
use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{ns, Attribute, QualName};
use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::path::Path;
use std::rc::Rc;

/// Reads one page. `id` is its path relative to the corpus folder (also
/// the URL when the page names no canonical one). Returns the document
/// and the notes worth a build warning.
pub fn parse(path: &Path, id: &str, bytes: &[u8]) -> Result<(Document, Vec<Error>), Error> {
    let text = decode(path, bytes)?;
    let (dom, cut) = Dom::parse(&text);
    let mut notes = Vec::new();
    let note = |m: String| Error::new(path, None, m);
    if let Some(at) = cut {
        notes.push(note(format!("elements nest more than {MAX_DEPTH} deep (tags never closed): only the first {at} of the {} bytes of the page's text are indexed", text.len())));
    }

    let marked: Vec<usize> = dom.find_all(Dom::DOCUMENT, |_| false, |i| dom.attr(i, "data-recherche-body").is_some());
    if marked.len() > 1 {
        notes.push(note(format!("{} elements are marked data-recherche-body; the first one is the body", marked.len())));
    }
    let root = marked
        .first()
        .copied()
        .or_else(|| dom.find(Dom::DOCUMENT, |i| dom.left_out(i), |i| dom.html_name(i) == Some("main")))
        .or_else(|| dom.find(Dom::DOCUMENT, |i| dom.left_out(i), |i| dom.html_name(i) == Some("article")))
        .or_else(|| dom.find(Dom::DOCUMENT, |_| false, |i| dom.html_name(i) == Some("body")))
        .unwrap_or(Dom::DOCUMENT);
    let page = dom.extract(root);

    let meta = |attr: &str, value: &str| -> Vec<&str> {
        dom.find_all(Dom::DOCUMENT, |_| false, |i| dom.html_name(i) == Some("meta") && dom.attr(i, attr).is_some_and(|v| v.trim().eq_ignore_ascii_case(value)))
            .into_iter()
            .filter_map(|i| dom.attr(i, "content"))
            .collect()
    };
    // A marked element: its attribute's value, or else its text.
    let marked_text = |attr: &str| -> Option<String> {
        let i = dom.find(Dom::DOCUMENT, |_| false, |i| dom.attr(i, attr).is_some())?;
        Some(collapse(dom.attr(i, attr).unwrap_or(""))).filter(|v| !v.is_empty()).or_else(|| Some(dom.text_of(i))).filter(|t| !t.is_empty())
    };

    let title = marked_text("data-recherche-title").or_else(|| page.h1.clone()).or_else(|| first_h1_text(&dom)).or_else(|| {
        // `<title>` is itself left out of text, so look for it unfiltered.
        dom.find(Dom::DOCUMENT, |_| false, |i| dom.html_name(i) == Some("title")).map(|i| collapse(&dom.raw_text(i))).filter(|t| !t.is_empty())
    });
    if title.is_none() {
        notes.push(note(format!("document {id:?} has no title (no data-recherche-title, <h1> or <title>; kept with an empty title, pages show it as « sans titre »)")));
    }

    let lead = first_outside(&page.headings, page.body.len()).map(|k| page.body[k].as_str());
    let date = page
        .times
        .iter()
        .find_map(|t| calendar_date(t))
        .or_else(|| meta("property", "article:published_time").into_iter().find_map(calendar_date))
        .or_else(|| json_ld_date(&dom))
        .or_else(|| lead.and_then(|l| dates::first_french(seed::first_sentence(l))));

    let source = marked_text("data-recherche-source").or_else(|| meta("property", "og:site_name").into_iter().map(collapse).find(|s| !s.is_empty()));

    let url = dom
        .find_all(
            Dom::DOCUMENT,
            |_| false,
            |i| dom.html_name(i) == Some("link") && dom.attr(i, "rel").is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))),
        )
        .into_iter()
        .filter_map(|i| dom.attr(i, "href").map(|h| h.trim_matches(|c: char| c.is_ascii_whitespace())))
        .find(|h| !h.is_empty())
        .map_or_else(|| id.to_string(), String::from);

    if let Some(lang) = dom.find(Dom::DOCUMENT, |_| false, |i| dom.html_name(i) == Some("html")).and_then(|i| dom.attr(i, "lang")) {
        let lang = lang.trim();
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        if !lang.is_empty() && !primary.eq_ignore_ascii_case("fr") {
            notes.push(note(format!("page language is {lang:?}, not French: indexed all the same, with the French analyzer")));
        }
    }
    if page.body.is_empty() {
        notes.push(note(format!("document {id:?} has no body text (kept)")));
    }

    let mut doc = Document {
        id: id.to_string(),
        title: title.unwrap_or_default(),
        date: date.map(|d| d.to_iso()),
        source,
        url: Some(url),
        body: page.body,
        captions: page.captions,
        sections: page.sections,
        ..Default::default()
    };
    for author in meta("name", "author").into_iter().map(collapse).filter(|a| !a.is_empty()) {
        if !doc.people.contains(&author) {
            doc.people.push(author);
        }
    }
    let mut all: Vec<&str> = vec![doc.title.as_str()];
    all.extend(doc.body.iter().map(String::as_str));
    all.extend(doc.captions.iter().map(String::as_str));
    for name in people::extract(&all) {
        if !doc.people.contains(&name) {
            doc.people.push(name);
        }
    }
    Ok((doc, notes))
}

/// The calendar date a date or timestamp starts with: `2024-03-14`,
/// `2024-03-14T09:30:00+01:00`, `2024-03-14 09:30`.
fn calendar_date(s: &str) -> Option<Date> {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (day, rest) = s.split_at_checked(10)?;
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    Date::parse_iso(day)
}

/// The first valid `datePublished` of the page's JSON-LD blocks, each an
/// object, an array of them, or an object with an `@graph` of them.
/// A block that is not valid JSON is passed over.
fn json_ld_date(dom: &Dom) -> Option<Date> {
    fn find(v: &serde_json::Value) -> Option<Date> {
        match v {
            serde_json::Value::Array(items) => items.iter().find_map(find),
            serde_json::Value::Object(o) => o.get("datePublished").and_then(|d| d.as_str()).and_then(calendar_date).or_else(|| o.get("@graph").and_then(find)),
            _ => None,
        }
    }
    dom.find_all(Dom::DOCUMENT, |_| false, |i| dom.html_name(i) == Some("script") && dom.attr(i, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")))
        .into_iter()
        .filter_map(|i| serde_json::from_str::<serde_json::Value>(&dom.raw_text(i)).ok())
        .find_map(|v| find(&v))
}

// ---------------------------------------------------------------------------
// Decoding

/// Decodes a page's bytes as a browser would (see the module comment).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    let (encoding, body, why) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..], "its byte order mark"),
        None => match prescan(bytes) {
            Some(enc) => (enc, bytes, "its <meta> declaration"),
            None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes, "its bytes"),
            None => (WINDOWS_1252, bytes, "the default"),
        },
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(decoder.max_utf8_buffer_length_without_replacement(body.len()).unwrap_or(body.len()));
    let mut read = 0;
    loop {
        let (result, n) = decoder.decode_to_string_without_replacement(&body[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(body.len() - read + 16),
            DecoderResult::Malformed(bad, after) => {
                let at = read - bad as usize - after as usize + (bytes.len() - body.len());
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(Error::new(path, Some(line), format!("page cannot be decoded as {} (the encoding {why} gives): malformed bytes at offset {at}", encoding.name())));
            }
        }
    }
}

/// The HTML standard's prescan of the first 1024 bytes for a `<meta>`
/// encoding declaration (§13.2.3.2, "prescan a byte stream to determine
/// its encoding").
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(1024)];
    let at = |p: usize| b.get(p).copied();
    let starts = |p: usize, s: &[u8]| b.get(p..p + s.len()).is_some_and(|w| w.eq_ignore_ascii_case(s));
    let space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let mut p = 0;
    while p < b.len() {
        if starts(p, b"<!--") {
            // Up to the `>` of the first `-->` (`<!-->` counts).
            p = p + 2 + b[p + 2..].windows(3).position(|w| w == b"-->")? + 2;
        } else if starts(p, b"<meta") && at(p + 5).is_some_and(|c| space(c) || c == b'/') {
            p += 5;
            let (mut seen, mut got_pragma, mut need_pragma, mut charset) = (Vec::new(), false, None, None);
            while let Some((name, value)) = attribute(b, &mut p)? {
                if seen.contains(&name) {
                    continue;
                }
                match name.as_slice() {
                    b"http-equiv" => got_pragma |= value == b"content-type",
                    b"content" if charset.is_none() => {
                        if let Some(enc) = charset_from_content(&value).and_then(Encoding::for_label) {
                            charset = Some(Some(enc));
                            need_pragma = Some(true);
                        }
                    }
                    b"charset" => {
                        charset = Some(Encoding::for_label(&value));
                        need_pragma = Some(false);
                    }
                    _ => {}
                }
                seen.push(name);
            }
            match (need_pragma, charset.flatten()) {
                (Some(need), Some(enc)) if !need || got_pragma => {
                    return Some(if enc == encoding_rs::UTF_16BE || enc == encoding_rs::UTF_16LE {
                        UTF_8
                    } else if enc == encoding_rs::X_USER_DEFINED {
                        WINDOWS_1252
                    } else {
                        enc
                    });
                }
                _ => {}
            }
        } else if at(p) == Some(b'<') && (at(p + 1).is_some_and(|c| c.is_ascii_alphabetic()) || (at(p + 1) == Some(b'/') && at(p + 2).is_some_and(|c| c.is_ascii_alphabetic()))) {
            // Another tag: skip its name and attributes.
            p += b[p..].iter().position(|&c| space(c) || c == b'>')?;
            while attribute(b, &mut p)?.is_some() {}
        } else if starts(p, b"<!") || starts(p, b"</") || starts(p, b"<?") {
            p += b[p..].iter().position(|&c| c == b'>')?;
        }
        p += 1;
    }
    None
}

/// The prescan's "get an attribute": the next `(name, value)`, lower-cased,
/// or `None` at the tag's `>`; the outer `None` is the end of the bytes.
#[allow(clippy::type_complexity)]
fn attribute(b: &[u8], p: &mut usize) -> Option<Option<(Vec<u8>, Vec<u8>)>> {
    let space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    while space(*b.get(*p)?) || b[*p] == b'/' {
        *p += 1;
    }
    if b[*p] == b'>' {
        return Some(None);
    }
    let (mut name, mut value) = (Vec::new(), Vec::new());
    loop {
        let c = *b.get(*p)?;
        if c == b'=' && !name.is_empty() {
            *p += 1;
            break;
        } else if space(c) {
            while space(*b.get(*p)?) {
                *p += 1;
            }
            if b[*p] != b'=' {
                return Some(Some((name, value)));
            }
            *p += 1;
            break;
        } else if c == b'/' || c == b'>' {
            return Some(Some((name, value)));
        }
        name.push(c.to_ascii_lowercase());
        *p += 1;
    }
    while space(*b.get(*p)?) {
        *p += 1;
    }
    let c = *b.get(*p)?;
    if c == b'"' || c == b'\'' {
        loop {
            *p += 1;
            let d = *b.get(*p)?;
            if d == c {
                *p += 1;
                return Some(Some((name, value)));
            }
            value.push(d.to_ascii_lowercase());
        }
    }
    if c == b'>' {
        return Some(Some((name, value)));
    }
    loop {
        let d = *b.get(*p)?;
        if space(d) || d == b'>' {
            return Some(Some((name, value)));
        }
        value.push(d.to_ascii_lowercase());
        *p += 1;
    }
}

/// The encoding label in a `content="text/html; charset=…"` value (the
/// HTML standard's "extracting a character encoding from a meta element").
fn charset_from_content(s: &[u8]) -> Option<&[u8]> {
    let space = |c: &u8| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let mut p = 0;
    loop {
        p += s.get(p..)?.windows(7).position(|w| w.eq_ignore_ascii_case(b"charset"))? + 7;
        p += s[p..].iter().take_while(|c| space(c)).count();
        if s.get(p) == Some(&b'=') {
            break;
        }
    }
    p += 1;
    p += s.get(p..)?.iter().take_while(|c| space(c)).count();
    let rest = &s[p..];
    match rest.first()? {
        q @ (b'"' | b'\'') => {
            let end = rest[1..].iter().position(|c| c == q)?;
            Some(&rest[1..1 + end])
        }
        _ => {
            let end = rest.iter().position(|c| space(c) || *c == b';').unwrap_or(rest.len());
            Some(&rest[..end])
        }
    }
}

// ---------------------------------------------------------------------------
// Text

/// Collapses whitespace as a browser renders it: runs of ASCII whitespace
/// become one space, none at either end. U+00A0 is not whitespace here.
fn collapse(s: &str) -> String {
    let mut runs = Runs::default();
    runs.text(s, false);
    runs.flush();
    runs.paras.concat()
}

/// Paragraphs being built: text joins the current run until a block
/// boundary flushes it.
#[derive(Default)]
struct Runs {
    paras: Vec<String>,
    run: String,
    /// A collapsible space is pending (written before the next character).
    space: bool,
}

impl Runs {
    fn text(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            if pre && c == '\n' {
                self.flush();
            } else if !pre && c.is_ascii_whitespace() {
                self.space = !self.run.is_empty();
            } else {
                if std::mem::take(&mut self.space) {
                    self.run.push(' ');
                }
                self.run.push(c);
            }
        }
    }

    fn flush(&mut self) {
        let p = self.run.trim_matches(|c: char| c.is_ascii_whitespace());
        if !p.is_empty() {
            self.paras.push(p.to_string());
        }
        self.run.clear();
        self.space = false;
    }
}

/// Elements whose start and end break the text into paragraphs.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// Elements whose text is not part of the page's content, wherever they are.
const LEFT_OUT: &[&str] =
    &["aside", "audio", "button", "canvas", "datalist", "head", "iframe", "nav", "noscript", "object", "rp", "script", "select", "style", "template", "textarea", "title", "video"];

/// Elements inside which whitespace is kept and a line break ends a paragraph.
const PREFORMATTED: &[&str] = &["pre", "listing", "plaintext", "xmp"];

/// The text of the page's first `<h1>` with text, outside the parts left
/// out. An `<h1>` inside another comes after it and has no text the outer
/// one lacks, unless in a `<figcaption>` (the outer one's caption, not its
/// text): the ones inside are read only then, so that nested `<h1>`s
/// cost linear time.
fn first_h1_text(dom: &Dom) -> Option<String> {
    let h1s = |root: usize| dom.find_outermost(root, |i| dom.left_out(i), |i| dom.html_name(i) == Some("h1"));
    let mut stack: Vec<usize> = h1s(Dom::DOCUMENT);
    stack.reverse();
    while let Some(i) = stack.pop() {
        let page = dom.extract(i);
        let text = page.body.join(" ");
        if !text.is_empty() {
            return Some(text);
        }
        if !page.captions.is_empty() {
            stack.extend(h1s(i).into_iter().rev());
        }
    }
    None
}

/// The first of `0..len` in none of `ranges`, in n·log n for n ranges
/// (a page of nothing but headings has as many as paragraphs).
fn first_outside(ranges: &[std::ops::Range<usize>], len: usize) -> Option<usize> {
    let mut sorted: Vec<&std::ops::Range<usize>> = ranges.iter().filter(|r| !r.is_empty()).collect();
    sorted.sort_unstable_by_key(|r| r.start);
    let mut next = 0;
    for r in sorted {
        if r.start > next {
            break;
        }
        next = next.max(r.end);
    }
    (next < len).then_some(next)
}

/// What the walk of the body root finds.
#[derive(Default)]
struct Page {
    body: Vec<String>,
    captions: Vec<String>,
    sections: Vec<Section>,
    /// The text of the first `<h1>` with text.
    h1: Option<String>,
    /// The `datetime` of each `<time>`, in order.
    times: Vec<String>,
    /// Which body paragraphs are headings (`h1`–`h6`).
    headings: Vec<std::ops::Range<usize>>,
}

// ---------------------------------------------------------------------------
// The document tree

/// A parsed page: html5ever builds it into this arena (no reference
/// counting, and every walk is iterative, so deep nesting cannot overflow
/// the stack).
struct Dom {
    nodes: Vec<Node>,
}

struct Node {
    parent: Option<usize>,
    children: Vec<usize>,
    data: Data,
    /// Nodes above it, as far as inserting it told: a node that moves
    /// later (the tree builder moves misnested elements) leaves its
    /// descendants' depths as they were, so they can be too deep; one
    /// past [`MAX_DEPTH`] is checked against the real chain of parents
    /// before the parse stops (see `Sink::insert`).
    depth: u32,
}

/// Deepest nesting of elements parsed. The HTML tree builder checks
/// its stack of open elements for each tag, so a page of tags never closed
/// (`<div>` × 20,000, 100 KB) costs time in the square of its depth: 6 s,
/// and minutes for a few hundred KB. The parse stops a little past this
/// depth (it is fed in [`PARSE_CHUNK`]s), keeping what came before, with a
/// build warning. Sloppy pages nest deep (a `<font>` per line never
/// closed) but not this deep; parsing up to it costs about 0.25 s.
/// (Chromium nests elements no deeper than 512 and puts the rest beside
/// one another at that depth.)
const MAX_DEPTH: u32 = 4096;

/// Bytes fed to the parser at a time, between checks of [`MAX_DEPTH`].
const PARSE_CHUNK: usize = 4096;

enum Data {
    /// The document, or a template's contents.
    Document,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        template: Option<usize>,
    },
    Text(String),
    /// Comments and processing instructions.
    Other,
}

impl Dom {
    const DOCUMENT: usize = 0;

    /// Parses `text`; with the byte offset where it stopped, if the page
    /// nests deeper than [`MAX_DEPTH`].
    fn parse(text: &str) -> (Dom, Option<usize>) {
        let too_deep = Rc::new(Cell::new(false));
        let sink = Sink(RefCell::new(vec![Node { parent: None, children: Vec::new(), data: Data::Document, depth: 0 }]), too_deep.clone());
        let mut parser = html5ever::parse_document(sink, Default::default());
        let mut at = 0;
        while at < text.len() {
            let mut end = (at + PARSE_CHUNK).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            parser.process(StrTendril::from_slice(&text[at..end]));
            at = end;
            if too_deep.get() && at < text.len() {
                return (parser.finish(), Some(at));
            }
        }
        (parser.finish(), None)
    }

    /// The local name of an HTML element (not of an SVG or MathML one).
    fn html_name(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].data {
            Data::Element { name, .. } if name.ns == ns!(html) => Some(&*name.local),
            _ => None,
        }
    }

    fn attr(&self, i: usize, attr: &str) -> Option<&str> {
        match &self.nodes[i].data {
            Data::Element { attrs, .. } => attrs.iter().find(|a| a.name.ns == ns!() && &*a.name.local == attr).map(|a| &*a.value),
            _ => None,
        }
    }

    /// Whether an element's text is not part of the page's content.
    fn left_out(&self, i: usize) -> bool {
        let Data::Element { name, .. } = &self.nodes[i].data else { return false };
        if name.ns == ns!(svg) {
            return true;
        }
        if self.attr(i, "data-recherche-ignore").is_some() || self.attr(i, "hidden").is_some_and(|h| !h.trim().eq_ignore_ascii_case("until-found")) {
            return true;
        }
        match self.html_name(i) {
            Some(n) if LEFT_OUT.contains(&n) => true,
            Some("dialog") => self.attr(i, "open").is_none(),
            Some("header" | "footer") => !self.ancestors(i).any(|a| matches!(self.html_name(a), Some("article" | "aside" | "main" | "nav" | "section"))),
            _ => false,
        }
    }

    fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[i].parent, |&a| self.nodes[a].parent)
    }

    /// The descendants of `root` matching `pred`, in document order, not
    /// looking inside those for which `skip` holds.
    fn find_all(&self, root: usize, skip: impl Fn(usize) -> bool, pred: impl Fn(usize) -> bool) -> Vec<usize> {
        self.collect(root, skip, pred, true)
    }

    /// Like [`Dom::find_all`], but without looking inside what it finds:
    /// the nodes returned are outside one another, so walking all their
    /// subtrees takes linear time.
    fn find_outermost(&self, root: usize, skip: impl Fn(usize) -> bool, pred: impl Fn(usize) -> bool) -> Vec<usize> {
        self.collect(root, skip, pred, false)
    }

    /// The walk of [`Dom::find_all`] and [`Dom::find_outermost`]: whether
    /// it looks inside a node `pred` found is `inside_found`.
    fn collect(&self, root: usize, skip: impl Fn(usize) -> bool, pred: impl Fn(usize) -> bool, inside_found: bool) -> Vec<usize> {
        let mut found = Vec::new();
        let mut stack: Vec<usize> = self.nodes[root].children.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            if skip(i) {
                continue;
            }
            let hit = pred(i);
            if hit {
                found.push(i);
            }
            if !hit || inside_found {
                stack.extend(self.nodes[i].children.iter().rev());
            }
        }
        found
    }

    fn find(&self, root: usize, skip: impl Fn(usize) -> bool, pred: impl Fn(usize) -> bool) -> Option<usize> {
        let mut stack: Vec<usize> = self.nodes[root].children.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            if skip(i) {
                continue;
            }
            if pred(i) {
                return Some(i);
            }
            stack.extend(self.nodes[i].children.iter().rev());
        }
        None
    }

    /// All the text under `i`, as the parser left it (for `<title>` and
    /// `<script>`).
    fn raw_text(&self, i: usize) -> String {
        self.find_all(i, |_| false, |j| matches!(self.nodes[j].data, Data::Text(_)))
            .into_iter()
            .map(|j| match &self.nodes[j].data {
                Data::Text(t) => t.as_str(),
                _ => "",
            })
            .collect()
    }

    /// The rendered text of an element, on one line.
    fn text_of(&self, i: usize) -> String {
        self.extract(i).body.join(" ")
    }

    /// Walks the content under `root` into paragraphs, captions, sections.
    fn extract(&self, root: usize) -> Page {
        enum Step {
            Enter(usize),
            /// Leaving an element, with the paragraph count when it began.
            Leave(usize, usize),
        }
        let mut page = Page::default();
        let mut runs = Runs::default();
        let mut pre = 0;
        let mut stack: Vec<Step> = self.nodes[root].children.iter().rev().map(|&c| Step::Enter(c)).collect();
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(i) => match &self.nodes[i].data {
                    Data::Text(t) => runs.text(t, pre > 0),
                    Data::Element { .. } => {
                        let name = self.html_name(i).unwrap_or("");
                        if self.left_out(i) {
                            // A left-out block still ends the paragraph before it.
                            if BLOCKS.contains(&name) {
                                runs.flush();
                            }
                            continue;
                        }
                        if name == "br" {
                            runs.flush();
                            continue;
                        }
                        if BLOCKS.contains(&name) {
                            runs.flush();
                        }
                        if name == "figcaption" {
                            let caption = self.text_of(i);
                            if !caption.is_empty() {
                                page.captions.push(caption);
                            }
                            continue;
                        }
                        if name == "time" {
                            page.times.extend(self.attr(i, "datetime").map(String::from));
                        }
                        if PREFORMATTED.contains(&name) {
                            pre += 1;
                        }
                        stack.push(Step::Leave(i, runs.paras.len()));
                        stack.extend(self.nodes[i].children.iter().rev().map(|&c| Step::Enter(c)));
                    }
                    _ => {}
                },
                Step::Leave(i, start) => {
                    let name = self.html_name(i).unwrap_or("");
                    if BLOCKS.contains(&name) {
                        runs.flush();
                    }
                    if PREFORMATTED.contains(&name) {
                        pre -= 1;
                    }
                    let end = runs.paras.len();
                    if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") && end > start {
                        let text = runs.paras[start..end].join(" ");
                        if name == "h1" && page.h1.is_none() {
                            page.h1 = Some(text.clone());
                        }
                        let anchor = self.attr(i, "id").map(str::trim).unwrap_or("");
                        if matches!(name, "h2" | "h3") && !anchor.is_empty() {
                            page.sections.push(Section { heading: text, anchor: anchor.to_string(), paragraph: start as u32, url: None });
                        }
                        page.headings.push(start..end);
                    }
                }
            }
        }
        runs.flush();
        page.body = runs.paras;
        // A heading is recorded when it ends, so one nested in another
        // (`<h2 id=a>…<div><h3 id=b>`) comes first: sections go in body
        // order, one per paragraph.
        page.sections.sort_by_key(|s| s.paragraph);
        page.sections.dedup_by_key(|s| s.paragraph);
        page
    }
}

/// html5ever's tree builder writes into this.
/// The nodes, and whether one was inserted deeper than [`MAX_DEPTH`].
struct Sink(RefCell<Vec<Node>>, Rc<Cell<bool>>);

impl Sink {
    fn new_node(&self, data: Data) -> usize {
        let mut nodes = self.0.borrow_mut();
        nodes.push(Node { parent: None, children: Vec::new(), data, depth: 0 });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], child: usize) {
        if let Some(parent) = nodes[child].parent.take() {
            nodes[parent].children.retain(|&c| c != child);
        }
    }

    /// Inserts `child` into `parent` at `index` (the end if `None`),
    /// merging text with a text node just before it.
    fn insert(&self, parent: usize, index: Option<usize>, child: NodeOrText<usize>) {
        let mut nodes = self.0.borrow_mut();
        let at = index.unwrap_or(nodes[parent].children.len());
        let child = match child {
            NodeOrText::AppendText(text) => {
                if let Some(&prev) = at.checked_sub(1).and_then(|k| nodes[parent].children.get(k)) {
                    if let Data::Text(t) = &mut nodes[prev].data {
                        t.push_str(&text);
                        return;
                    }
                }
                nodes.push(Node { parent: None, children: Vec::new(), data: Data::Text(text.to_string()), depth: 0 });
                nodes.len() - 1
            }
            NodeOrText::AppendNode(node) => {
                Self::detach(&mut nodes, node);
                node
            }
        };
        nodes[child].parent = Some(parent);
        if nodes[parent].depth >= MAX_DEPTH {
            // Maybe stale (see `Node::depth`): count the parents, at most
            // MAX_DEPTH + 1 of them, and keep the count.
            let real = std::iter::successors(nodes[parent].parent, |&a| nodes[a].parent).take(MAX_DEPTH as usize + 1).count() as u32;
            nodes[parent].depth = real;
        }
        nodes[child].depth = nodes[parent].depth + 1;
        if nodes[child].depth > MAX_DEPTH {
            self.1.set(true);
        }
        let at = at.min(nodes[parent].children.len());
        nodes[parent].children.insert(at, child);
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom { nodes: self.0.into_inner() }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        Dom::DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |nodes| match &nodes[*target].data {
            Data::Element { name, .. } => name,
            _ => panic!("html5ever asked for the name of a node that is not an element"),
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let template = flags.template.then(|| self.new_node(Data::Document));
        self.new_node(Data::Element { name, attrs, template })
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.new_node(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.new_node(Data::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &usize, prev_element: &usize, child: NodeOrText<usize>) {
        if self.0.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.0.borrow()[*target].data {
            Data::Element { template: Some(t), .. } => *t,
            _ => panic!("html5ever asked for the contents of a node that is not a template"),
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        let (parent, index) = {
            let mut nodes = self.0.borrow_mut();
            if let NodeOrText::AppendNode(node) = &child {
                Self::detach(&mut nodes, *node);
            }
            let Some(parent) = nodes[*sibling].parent else { return };
            let index = nodes[parent].children.iter().position(|c| c == sibling);
            (parent, index)
        };
        self.insert(parent, index, child);
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        if let Data::Element { attrs: existing, .. } = &mut self.0.borrow_mut()[*target].data {
            for a in attrs {
                if !existing.iter().any(|e| e.name == a.name) {
                    existing.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.0.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.0.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &c in &children {
            nodes[c].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Document {
        parse(Path::new("p.html"), "p.html", html.as_bytes()).unwrap().0
    }

    #[test]
    fn paragraphs_follow_blocks_and_collapse_whitespace() {
        let d = page(
            "<body><div>avant <p>Un  <b>texte</b>\n en <i>gras</i></p> après<br>ligne\u{a0}deux</div>\
             <ul><li>un</li><li>deux</ul><table><tr><td>a<td>b</table><pre>l1\n  l2</pre></body>",
        );
        assert_eq!(d.body, vec!["avant", "Un texte en gras", "après", "ligne\u{a0}deux", "un", "deux", "a", "b", "l1", "l2"]);
    }

    fn notes(html: &str) -> Vec<String> {
        parse(Path::new("p.html"), "p.html", html.as_bytes()).unwrap().1.into_iter().map(|n| n.message).collect()
    }

    #[test]
    fn banner_header_and_footer_are_left_out_not_those_of_a_section() {
        let d = page(
            "<body><header>bannière</header><section><header>En-tête de section</header><p>texte</p>\
             <footer>pied de section</footer></section><footer>pied de page</footer></body>",
        );
        assert_eq!(d.body, vec!["En-tête de section", "texte", "pied de section"]);
    }

    #[test]
    fn left_out_blocks_still_split_and_inline_ones_do_not() {
        let d = page("<div>avant<nav>menu</nav>après</div><p>un <span data-recherche-ignore>pub</span>deux</p><p>a<script>x</script>b</p>");
        assert_eq!(d.body, vec!["avant", "après", "un deux", "ab"]);
        let d = page("<p hidden>caché</p><div hidden=\"until-found\">trouvable</div><dialog>fermé</dialog><dialog open>ouvert</dialog><svg><text>dessin</text></svg>");
        assert_eq!(d.body, vec!["trouvable", "ouvert"]);
    }

    #[test]
    fn title_falls_back_in_order() {
        assert_eq!(page("<div><h1>Hors du corps</h1></div><main><p>texte</p></main>").title, "Hors du corps");
        assert_eq!(page("<header><h1>Bannière</h1></header><main><h1></h1><p>texte</p></main><title> Titre\n de la page </title>").title, "Titre de la page");
        assert_eq!(page("<title>T</title><p data-recherche-title>  </p><h1>Le <em>vrai</em> titre</h1>").title, "Le vrai titre");
        assert_eq!(page("<title>T</title><p data-recherche-source=\"  \">Source  <b>écrite</b></p>").source.as_deref(), Some("Source écrite"));
    }

    #[test]
    fn sections_need_an_id_and_text() {
        let d = page("<main><h2 id=\"a\">Un <a href=\"#a\">lien</a></h2><p>x</p><h2 id=\" \">vide</h2><h3 id=\"b\"></h3><h4 id=\"c\">h4</h4><h3 id=\"d\">Trois</h3></main>");
        let anchors: Vec<(&str, &str, u32)> = d.sections.iter().map(|s| (s.anchor.as_str(), s.heading.as_str(), s.paragraph)).collect();
        assert_eq!(anchors, vec![("a", "Un lien", 0), ("d", "Trois", 4)]);
        // A heading inside another (through a div) ends first: still in body order.
        let d = page("<main><h2 id=\"a\">Dehors<div><h3 id=\"b\">Dedans</h3></div></h2><p>x</p><h2 id=\"c\"><div><h3 id=\"d\">Seul</h3></div></h2></main>");
        let anchors: Vec<(&str, u32)> = d.sections.iter().map(|s| (s.anchor.as_str(), s.paragraph)).collect();
        assert_eq!(anchors, vec![("a", 0), ("b", 1), ("d", 3)]);
    }

    #[test]
    fn json_ld_blocks_that_are_not_json_are_passed_over() {
        let d = page(
            "<script type=\"application/ld+json\">{oops</script>\
             <script type=\"Application/LD+JSON\">{\"@graph\":[{\"datePublished\":\"demain\"},{\"datePublished\":\"2021-07-14T12:00\"}]}</script><p>x</p>",
        );
        assert_eq!(d.date.as_deref(), Some("2021-07-14"));
    }

    #[test]
    fn notes_for_language_and_several_bodies() {
        for lang in ["fr", "fr-CA", "FR", "fr_BE", ""] {
            assert!(notes(&format!("<html lang=\"{lang}\"><h1>T</h1><p>x</p>")).is_empty(), "{lang}");
        }
        assert!(notes("<h1>T</h1><p>x</p>").is_empty());
        assert_eq!(notes("<html lang=de><h1>T</h1><p>x</p>"), vec!["page language is \"de\", not French: indexed all the same, with the French analyzer"]);
        let n = notes("<h1>T</h1><div data-recherche-body>a</div><div data-recherche-body>b</div>");
        assert_eq!(n, vec!["2 elements are marked data-recherche-body; the first one is the body"]);
        assert_eq!(notes("<title>T</title>"), vec!["document \"p.html\" has no body text (kept)"]);
    }

    #[test]
    fn dates_keep_the_calendar_day() {
        assert_eq!(calendar_date(" 2024-03-14T09:30:00+01:00").map(|d| d.to_iso()).as_deref(), Some("2024-03-14"));
        assert_eq!(calendar_date("2024-03-14 09:30").map(|d| d.to_iso()).as_deref(), Some("2024-03-14"));
        assert_eq!(calendar_date("2024-02-30"), None);
        assert_eq!(calendar_date("2024-03-145"), None);
        assert_eq!(calendar_date("14/03/2024"), None);
        assert_eq!(calendar_date("2024-03"), None);
    }

    #[test]
    fn prescan_finds_declarations() {
        let name = |s: &str| prescan(s.as_bytes()).map(|e| e.name());
        assert_eq!(name("<meta charset=iso-8859-1>"), Some("windows-1252"));
        assert_eq!(name("<!-- <meta charset=utf-8> --><META CHARSET='Latin1'>"), Some("windows-1252"));
        assert_eq!(name("<meta http-equiv=Content-Type content=\"text/html; charset=ISO-8859-15\">"), Some("ISO-8859-15"));
        assert_eq!(name("<meta content=\"text/html; charset=utf-8\">"), None, "content needs http-equiv");
        assert_eq!(name("<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(name("<meta charset=nonsense><meta charset=utf-8>"), Some("UTF-8"));
        assert_eq!(name("<p title='<meta charset=latin1>'>x</p>"), None);
        assert_eq!(name("<html><head><title>t</title>"), None);
        let late = format!("{}<meta charset=latin1>", " ".repeat(1024));
        assert_eq!(name(&late), None, "only the first 1024 bytes");
        assert_eq!(charset_from_content(b"text/html;charset = 'utf-8'"), Some(&b"utf-8"[..]));
        assert_eq!(charset_from_content(b"text/html; charset="), None);
        assert_eq!(charset_from_content(b"charset"), None);
    }

    #[test]
    fn decoding_follows_bom_declaration_then_default() {
        let p = Path::new("x.html");
        assert_eq!(decode(p, b"\xEF\xBB\xBF<p>\xC3\xA9t\xC3\xA9").unwrap(), "<p>été");
        assert_eq!(decode(p, b"\xFF\xFE<\0p\0>\0\xE9\0").unwrap(), "<p>é");
        assert_eq!(decode(p, b"<meta charset=windows-1252><p>\xE9t\xE9 \x80").unwrap(), "<meta charset=windows-1252><p>été €");
        assert_eq!(decode(p, b"<p>\xE9t\xE9").unwrap(), "<p>été");
        assert_eq!(decode(p, "<p>été".as_bytes()).unwrap(), "<p>été");
        let e = decode(p, b"<meta charset=utf-8>\n<p>\xE9t\xE9").unwrap_err();
        assert_eq!(e.to_string(), "x.html:2: page cannot be decoded as UTF-8 (the encoding its <meta> declaration gives): malformed bytes at offset 24");
        let e = decode(p, b"\xEF\xBB\xBF<p>\xFF").unwrap_err();
        assert_eq!(e.to_string(), "x.html:1: page cannot be decoded as UTF-8 (the encoding its byte order mark gives): malformed bytes at offset 6");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("<title>T</title><body>{}fond{}", "<div><span>".repeat(500), "</span></div>".repeat(500));
        assert_eq!(page(&html).body, vec!["fond"]);
        assert!(notes(&html).is_empty());
    }

    #[test]
    fn nesting_past_max_depth_stops_the_parse_with_a_note() {
        // 100 KB of tags never closed: the tree builder's cost grows with
        // the square of the depth, so the parse stops past MAX_DEPTH.
        let html = format!("<title>T</title><main><p>avant</p>{}<p>après</p></main>", "<div>".repeat(40_000));
        let (d, notes) = parse(Path::new("p.html"), "p.html", html.as_bytes()).unwrap();
        assert_eq!(d.body, vec!["avant"]);
        let [note] = &notes[..] else { panic!("{notes:?}") };
        let at = note.message.strip_prefix("elements nest more than 4096 deep (tags never closed): only the first ").unwrap();
        let (at, rest) = at.split_once(' ').unwrap();
        assert_eq!(rest, format!("of the {} bytes of the page's text are indexed", html.len()));
        let at: usize = at.parse().unwrap();
        let deepest = MAX_DEPTH as usize * "<div>".len();
        assert!(at > deepest && at <= deepest + 2 * PARSE_CHUNK, "{at}");
    }

    #[test]
    fn misnested_formatting_moved_by_the_tree_builder_is_not_cut() {
        // The tree builder moves the `<div>`s out of each `<b>` they are
        // misnested in (the adoption agency): the depths recorded before
        // the move are too deep, and checked before the parse stops.
        let round = format!("<b>{}{}</b>", "<span>".repeat(100), "<div>".repeat(10));
        let html = format!("<title>T</title><main><p>avant</p>{}<p>après</p></main>", round.repeat(60));
        let (d, notes) = parse(Path::new("p.html"), "p.html", html.as_bytes()).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(d.body.last().map(String::as_str), Some("après"));
    }

    #[test]
    fn the_title_is_the_first_h1_with_text_nested_or_not() {
        // Outside the body root (`main`), so the page's first `<h1>`s are
        // read: each outermost one once, never again inside another.
        let nested = format!("<main><p>texte</p></main>{}<h1>Titre</h1>", "<h1><div>".repeat(500));
        assert_eq!(page(&nested).title, "Titre");
        assert_eq!(page("<main><p>x</p></main><h1><div> </div></h1><h1>Second</h1>").title, "Second");
        assert_eq!(page("<main><p>x</p></main><h1><div>Premier <h1>interne</h1></div></h1><h1>Second</h1>").title, "Premier interne");
        let empty = format!("<main><p>texte</p></main>{}<title>Repli</title>", "<h1><div>".repeat(500));
        assert_eq!(page(&empty).title, "Repli");
        // A caption is not the outer <h1>'s text, but may hold one with text.
        assert_eq!(page("<main><p>x</p></main><h1><figure><figcaption><h1>Titre</h1></figcaption></figure></h1><title>Repli</title>").title, "Titre");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // lists of ranges, some of one
    fn first_outside_finds_the_first_paragraph_no_range_covers() {
        // Against a plain scan of every paragraph over every range.
        let reference = |ranges: &[std::ops::Range<usize>], len: usize| (0..len).find(|k| !ranges.iter().any(|r| r.contains(k)));
        let cases: Vec<(Vec<std::ops::Range<usize>>, usize)> = vec![
            (vec![], 0),
            (vec![], 3),
            (vec![0..1], 1),
            (vec![0..1], 2),
            (vec![1..2, 0..1], 3),
            (vec![0..3, 1..2], 3),
            (vec![2..3, 0..1], 4),
            (vec![0..2, 2..2, 3..4], 5),
            (vec![0..5, 0..1, 1..3], 6),
            (vec![3..4], 4),
        ];
        for (ranges, len) in &cases {
            assert_eq!(first_outside(ranges, *len), reference(ranges, *len), "{ranges:?} {len}");
        }
        // A page of nothing but headings has no lead.
        let d = page(&"<h2>x</h2>".repeat(3_000));
        assert_eq!(d.body.len(), 3_000);
        assert_eq!(first_outside(&(0..3_000).map(|k| k..k + 1).collect::<Vec<_>>(), 3_000), None);
    }
}
