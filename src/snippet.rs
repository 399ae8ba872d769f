//! Snippets: the passage that best covers the query, with `<mark>`s.
//!
//! The stored paragraphs (body, then captions) are re-analysed with the
//! same analyzer as the index, so a word is marked exactly when its term
//! matched (`securite` marks `sécurité`, `Washing` marks `Washington`).
//! The window of about [`SNIPPET_CHARS`] characters with the most distinct
//! query words wins (then, within a paragraph, the most matches; then the
//! earliest). Scanning stops at the first paragraph whose best window has
//! every query word that matched: no later window can beat it, and the
//! text is the costliest thing a query reads. In long documents (manual
//! pages run to 100 KB) it also stops after [`SCAN_AFTER_MATCH`] bytes once
//! something matched, and after [`MAX_SCAN`] bytes in any case, taking the
//! best window seen (or the lead). The window is cut at word
//! boundaries, with `…` where text was left out. Everything but the
//! `<mark>` tags is HTML-escaped.

use crate::analysis::{self, Mode};

/// Target snippet length, in characters.
pub const SNIPPET_CHARS: usize = 160;

/// Characters of context kept before the first match, at most.
pub const LEAD_CHARS: usize = 40;

/// Bytes of text scanned, at most, once a window with a match was found.
pub const SCAN_AFTER_MATCH: usize = 4 * 1024;

/// Bytes of text scanned for one snippet, at most.
pub const MAX_SCAN: usize = 16 * 1024;

/// Appends `s` to `out` with `& < > " '` escaped.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// HTML-escapes `s`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

struct Mark {
    start: usize,
    end: usize,
    term: usize,
}

/// A snippet, and where its window was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// HTML: escaped text with `<mark>` around matched words.
    pub html: String,
    /// Index in the paragraphs of the one the window is in; `None` when
    /// nothing matched in the text and the lead is shown.
    pub paragraph: Option<usize>,
}

/// Builds the snippet of `paragraphs` for the matched terms `is_match`
/// (given a token's term, its index among the query's terms, if any).
/// `heads` lists the matched terms' beginnings (see [`heads`]): only words
/// starting so are analysed in full. `words` is the number of distinct
/// query words `is_match` can return: a window with them all ends the scan.
pub fn snippet(paragraphs: &[&str], heads: &[String], words: usize, is_match: impl Fn(&str) -> Option<usize>) -> Snippet {
    let mut best: Option<(usize, usize, usize, usize, Vec<Mark>, usize)> = None; // (distinct, count, paragraph, start byte, marks, bytes scanned)
    let mut scanned = 0;
    for (pi, p) in paragraphs.iter().enumerate() {
        if scanned >= MAX_SCAN || (scanned >= SCAN_AFTER_MATCH && best.is_some()) {
            break;
        }
        // Only the budget left is scanned, also inside one long paragraph.
        let budget = if best.is_some() { SCAN_AFTER_MATCH.min(MAX_SCAN) } else { MAX_SCAN }.saturating_sub(scanned);
        let p = cut_between_words(p, budget);
        scanned += p.len();
        let marks = marks_in(p, heads, &is_match);
        for (i, m) in marks.iter().enumerate() {
            let limit = m.start + byte_len_of_chars(p.get(m.start..).unwrap_or_default(), SNIPPET_CHARS - LEAD_CHARS.min(SNIPPET_CHARS / 4));
            let mut seen: Vec<usize> = Vec::new();
            let mut count = 0;
            for n in &marks[i..] {
                if n.end > limit {
                    break;
                }
                count += 1;
                if !seen.contains(&n.term) {
                    seen.push(n.term);
                }
            }
            let better = match &best {
                None => true,
                Some((d, c, ..)) => seen.len() > *d || (seen.len() == *d && count > *c),
            };
            if better {
                best = Some((seen.len(), count, pi, m.start, Vec::new(), 0));
            }
        }
        if let Some(b) = &mut best {
            if b.2 == pi {
                b.4 = marks;
                b.5 = p.len();
            }
            if b.0 >= words {
                break;
            }
        }
    }
    let Some((_, _, pi, anchor, mut marks, scanned)) = best else {
        // No match in the text (e.g. a title-only match): the lead.
        let html = match paragraphs.iter().find(|p| !p.trim().is_empty()) {
            Some(p) => render(p, 0, &[]),
            None => String::new(),
        };
        return Snippet { html, paragraph: None };
    };
    let p = paragraphs[pi];
    // Back up for context, to a word boundary.
    let lead_start = anchor - byte_len_of_chars_rev(p.get(..anchor).unwrap_or_default(), LEAD_CHARS);
    let start = if lead_start == 0 {
        0
    } else {
        p.get(lead_start..anchor).unwrap_or_default().char_indices().find(|(_, c)| c.is_whitespace()).map_or(anchor, |(i, c)| lead_start + i + c.len_utf8())
    };
    let start = if start > anchor { anchor } else { start };
    // The scan may have cut the paragraph inside the window: the words
    // past the cut are marked too (a window's worth of text more, at
    // most; the cut is at a space, unless inside one huge word, which is
    // not marked from the middle).
    let end = start + byte_len_of_chars(p.get(start..).unwrap_or_default(), SNIPPET_CHARS);
    if let Some(rest) = p.get(scanned..cut_between_words(p, end).len()).filter(|r| scanned < end && r.chars().next().is_some_and(char::is_whitespace)) {
        marks.extend(marks_in(rest, heads, &is_match).into_iter().map(|m| Mark { start: m.start + scanned, end: m.end + scanned, ..m }));
    }
    Snippet { html: render(p, start, &marks), paragraph: Some(pi) }
}

/// The words of `p` that `is_match` accepts, in order (one analysis
/// routine for [`snippet`] and [`highlight`], to keep the module small).
///
/// The text is analysed as the index analysed it, joined compounds
/// included, so that a query matching one (`weekend`, `covid19`) marks
/// the compound whole (`week-end`). A joined compound comes after its
/// parts: when one of those is marked already, the parts' marks are kept
/// and the compound is not marked over them.
fn marks_in(p: &str, heads: &[String], is_match: &dyn Fn(&str) -> Option<usize>) -> Vec<Mark> {
    let wanted = |head: &str| heads.iter().any(|h| head.starts_with(h.as_str()));
    let mut marks: Vec<Mark> = Vec::new();
    analysis::analyze_where(p, 0, Mode::Index, wanted, |t| {
        if t.stop || marks.last().is_some_and(|m| m.end > t.start) {
            return;
        }
        if let Some(term) = is_match(&t.term) {
            marks.push(Mark { start: t.start, end: t.end, term });
        }
    });
    marks
}

/// Bytes of a document's text that [`highlight`] analyses, at most.
pub const MAX_HIGHLIGHT: usize = 1024 * 1024;

/// Each of `paragraphs` whole, as HTML: escaped, with `<mark>` around
/// every word the query matched, by the rules of [`snippet`] (same
/// `heads` and `is_match`), trailing whitespace dropped. Only the first
/// [`MAX_HIGHLIGHT`] bytes of text are analysed; what follows is escaped
/// without marks.
pub fn highlight(paragraphs: &[&str], heads: &[String], is_match: impl Fn(&str) -> Option<usize>) -> Vec<String> {
    let mut left = MAX_HIGHLIGHT;
    let mut out = Vec::with_capacity(paragraphs.len());
    for p in paragraphs {
        let analysed = cut_between_words(p, left);
        left -= analysed.len();
        let mut html = String::with_capacity(p.len() + 16);
        mark_into(&mut html, p, 0, p.len(), &marks_in(analysed, heads, &is_match));
        out.push(html);
    }
    out
}

/// What a word must begin with to possibly stem to one of `terms`: each
/// term less the characters stemming may have rewritten, but at least 3
/// characters (or the whole term), at most [`analysis::PREFIX_CHARS`].
pub fn heads<'t>(terms: impl Iterator<Item = &'t str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in terms {
        let n = t.chars().count();
        let keep = n.saturating_sub(analysis::STEM_REWRITE_CHARS).max(3).min(n).min(analysis::PREFIX_CHARS);
        let h: String = t.chars().take(keep).collect();
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// The beginning of `p` of at most `max` bytes, cut after a space so no
/// word is cut in two (or at a character boundary inside one huge word).
fn cut_between_words(p: &str, max: usize) -> &str {
    if p.len() <= max {
        return p;
    }
    let mut cut = max;
    while !p.is_char_boundary(cut) {
        cut -= 1;
    }
    match p[..cut].rfind(char::is_whitespace) {
        Some(ws) if ws > 0 => &p[..ws],
        _ => &p[..cut],
    }
}

fn byte_len_of_chars(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn byte_len_of_chars_rev(s: &str, n: usize) -> usize {
    s.char_indices().rev().nth(n.saturating_sub(1)).map_or(s.len(), |(i, _)| s.len() - i)
}

/// Renders about [`SNIPPET_CHARS`] characters of `p` from byte `start`.
fn render(p: &str, start: usize, marks: &[Mark]) -> String {
    let mut end = start + byte_len_of_chars(p.get(start..).unwrap_or_default(), SNIPPET_CHARS);
    if end < p.len() {
        // Cut at the last word boundary inside the window.
        if let Some(ws) = p.get(start..end).unwrap_or_default().rfind(char::is_whitespace) {
            if ws > 0 {
                end = start + ws;
            }
        }
    }
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push('…');
    }
    mark_into(&mut out, p, start, end, marks);
    if end < p.len() {
        out.push('…');
    }
    out
}

/// Appends `p[start..end]`, escaped and without trailing whitespace, with
/// `<mark>` around the `marks` inside it.
fn mark_into(out: &mut String, p: &str, start: usize, end: usize, marks: &[Mark]) {
    let mut at = start;
    for m in marks.iter().filter(|m| m.start >= start && m.end <= end) {
        escape_into(out, p.get(at..m.start).unwrap_or_default());
        out.push_str("<mark>");
        escape_into(out, p.get(m.start..m.end).unwrap_or_default());
        out.push_str("</mark>");
        at = m.end;
    }
    escape_into(out, p.get(at..end).unwrap_or_default().trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of(q: &str) -> Vec<String> {
        analysis::terms(q, Mode::Query)
    }

    #[test]
    fn words_past_the_scan_cut_are_marked_in_the_window() {
        // A paragraph the scan cuts a few words after a match: the window
        // shown runs past the cut, and the matches there are marked too.
        let filler = "mot ".repeat((MAX_SCAN - 12) / 4);
        let text = format!("{filler}otan otan otan otan otan fin");
        assert!(text.len() > MAX_SCAN && text[..MAX_SCAN].contains("otan") && !text[..MAX_SCAN].contains("otan otan otan"));
        let html = snip(&[&text], "otan");
        assert_eq!(html.matches("otan").count(), 5, "{html}");
        assert_eq!(html.matches("<mark>otan</mark>").count(), 5, "{html}");
        // Past the scan's budget nothing is looked for: a later paragraph
        // is not read, and a match only past the cut is not found.
        let late = format!("{filler}{filler}otan");
        assert_eq!(paragraph(&[&late], "otan"), None);
    }

    fn snip(paragraphs: &[&str], q: &str) -> String {
        let terms = terms_of(q);
        snippet(paragraphs, &heads(terms.iter().map(String::as_str)), terms.len(), |t| terms.iter().position(|x| x == t)).html
    }

    /// The snippet's paragraph.
    fn paragraph(paragraphs: &[&str], q: &str) -> Option<usize> {
        let terms = terms_of(q);
        snippet(paragraphs, &heads(terms.iter().map(String::as_str)), terms.len(), |t| terms.iter().position(|x| x == t)).paragraph
    }

    fn marked(paragraphs: &[&str], q: &str) -> Vec<String> {
        let terms = terms_of(q);
        highlight(paragraphs, &heads(terms.iter().map(String::as_str)), |t| terms.iter().position(|x| x == t))
    }

    #[test]
    fn the_snippet_says_which_paragraph_it_is_from() {
        let p = ["Intro sans rien.", "La pétanque au programme.", "Rien ici.", "Crêpes et pétanque.", "Encore des crêpes."];
        assert_eq!(paragraph(&p, "pétanque"), Some(1));
        // Both words first meet in paragraph 3.
        assert_eq!(paragraph(&p, "pétanque crêpes"), Some(3));
        // The lead is in no paragraph.
        assert_eq!(paragraph(&p, "absent"), None);
        let filler = "mot ".repeat(MAX_SCAN / 4);
        assert_eq!(paragraph(&[filler.as_str(), "pétanque"], "pétanque"), None);
    }

    #[test]
    fn highlight_marks_every_match_and_escapes_the_rest() {
        assert_eq!(
            marked(&["La <b>sécurité</b> & la securite.", "Rien.", "L’OTAN"], "securite otan"),
            ["La &lt;b&gt;<mark>sécurité</mark>&lt;/b&gt; &amp; la <mark>securite</mark>.", "Rien.", "L’<mark>OTAN</mark>"]
        );
        assert_eq!(marked(&["<img src=x onerror=alert(1)> img"], "img"), ["&lt;<mark>img</mark> src=x onerror=alert(1)&gt; <mark>img</mark>"]);
        // Past MAX_HIGHLIGHT bytes, text is escaped only.
        let filler = "mot ".repeat(MAX_HIGHLIGHT / 4);
        let m = marked(&["otan", &filler, "otan <"], "otan");
        assert_eq!((m[0].as_str(), m[2].as_str()), ("<mark>otan</mark>", "otan &lt;"));
        assert!(marked(&[], "otan").is_empty());
    }

    #[test]
    fn marks_original_spelling_and_escapes() {
        let s = snip(&["La <b>sécurité</b> & l’OTAN"], "securite otan");
        assert_eq!(s, "La &lt;b&gt;<mark>sécurité</mark>&lt;/b&gt; &amp; l’<mark>OTAN</mark>");
        let s = snip(&["<img src=x onerror=alert(1)>"], "img");
        assert!(!s.contains("<img"));
    }

    #[test]
    fn picks_the_window_with_most_terms_and_cuts_at_words() {
        let long = format!("{} sommet de Washington sur la défense. {}", "mot ".repeat(80), "fin ".repeat(80));
        let s = snip(&["Washington seul ici.", &long], "Washington défense");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>Washington</mark>") && s.contains("<mark>défense</mark>"));
        let visible: String = s.replace("<mark>", "").replace("</mark>", "");
        assert!(visible.chars().count() <= SNIPPET_CHARS + 2, "{}", visible.chars().count());
        assert!(!visible.contains("mo…") && !visible.contains("fi…"));
    }

    #[test]
    fn multi_byte_spaces_around_the_window() {
        // U+00A0 and U+202F are two and three bytes long.
        let p = format!("{}M.\u{a0}Stoltenberg a dit\u{202f}: défense{}", "é\u{a0}".repeat(40), "\u{a0}é".repeat(120));
        for q in ["défense", "Stoltenberg", "dit"] {
            let s = snip(&[&p], q);
            assert!(s.contains("</mark>"), "{q}: {s}");
        }
    }

    #[test]
    fn decomposed_and_ligatured_words_are_still_marked() {
        assert_eq!(snip(&["La se\u{301}curite\u{301} et le cœur"], "sécurité coeur"), "La <mark>se\u{301}curite\u{301}</mark> et le <mark>cœur</mark>");
        assert_eq!(snip(&["En 2014, 2 %."], "2"), "En 2014, <mark>2</mark> %.");
    }

    #[test]
    fn soft_hyphenated_words_are_marked_whole() {
        // Long words split by soft hyphens every syllable: their first
        // letters, as the filter counts them, skip the hyphens too.
        let text = "Une loi anti\u{ad}cons\u{ad}ti\u{ad}tu\u{ad}tion\u{ad}nelle\u{ad}ment votée";
        assert_eq!(snip(&[text], "anticonstitutionnellement"), "Une loi <mark>anti\u{ad}cons\u{ad}ti\u{ad}tu\u{ad}tion\u{ad}nelle\u{ad}ment</mark> votée");
        assert_eq!(snip(&["La sé\u{ad}cu\u{ad}ri\u{ad}té"], "securite"), "La <mark>sé\u{ad}cu\u{ad}ri\u{ad}té</mark>");
    }

    #[test]
    fn ligatures_and_full_width_letters_are_marked() {
        // They were found (same term) but never marked: the filter that
        // picks the words to analyse skipped their compatibility mapping.
        assert_eq!(snip(&["La ﬁnance publique"], "finance"), "La <mark>ﬁnance</mark> publique");
        assert_eq!(snip(&["La ＦＩＮＡＮＣＥ publique"], "finance"), "La <mark>ＦＩＮＡＮＣＥ</mark> publique");
        assert_eq!(snip(&["Ｐｏｌｉｔｉｑｕｅ étrangère"], "politique"), "<mark>Ｐｏｌｉｔｉｑｕｅ</mark> étrangère");
        assert_eq!(snip(&["Les ﬂeurs et les cœurs"], "fleur coeur"), "Les <mark>ﬂeurs</mark> et les <mark>cœurs</mark>");
    }

    #[test]
    fn long_documents_are_scanned_only_so_far() {
        let filler = "mot ".repeat(1500);
        let early = format!("{filler} sommet ici. {filler}");
        let paragraphs = vec![early.as_str(), filler.as_str(), filler.as_str(), "sommet et Washington ensemble."];
        // A match was found early: the scan stops before the last paragraph.
        let s = snip(&paragraphs, "sommet Washington");
        assert!(s.contains("<mark>sommet</mark>") && !s.contains("Washington"), "{s}");
        // Nothing within the first MAX_SCAN bytes: the lead is shown.
        let far: Vec<&str> = std::iter::repeat(filler.as_str()).take(4).chain(["sommet"]).collect();
        assert!(!snip(&far, "sommet").contains("<mark>"));
    }

    #[test]
    fn falls_back_to_the_lead() {
        assert_eq!(snip(&["Premier paragraphe."], "absent"), "Premier paragraphe.");
        assert_eq!(snip(&[], "x"), "");
    }
}
