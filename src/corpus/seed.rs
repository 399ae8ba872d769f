//! The seed article format: scraped French news text.
//!
//! ```text
//! Rechercher                      ← site chrome (skipped, and a sign of a press page)
//! Dernières Infos
//! Titre de l’article              ← title: first meaningful line
//!   • 17 Jun. 2024 - 21 Jun. 2024 ← NATO header: event dates (English months)
//!   • |
//!   • Mis à jour le: 24 Jun. 2024 11:03  ← update stamp
//! Ce vendredi (21 juin 2024), …   ← body paragraphs, one per line
//! NATO Secretary General …        ← English photo caption → `captions`
//! … M. Stoltenberg l'a...         ← trailing teaser repeating the lead → dropped
//! ```
//!
//! The text is kept as written (U+00A0, both apostrophes); normalisation
//! is the analyzer's job.

use super::{dates, people, Document, Error};
use std::path::Path;

/// Navigation lines of scraped pages, never content.
const CHROME: &[&str] = &["Rechercher", "Dernières Infos", "Menu", "Accueil", "Partager", "Se connecter"];

const FRENCH_WEEKDAYS: &[&str] = &["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// Parses one seed-format article. The id is the file name without `.txt`.
pub fn parse(path: &Path, text: &str) -> Result<Document, Error> {
    parse_with_notes(path, text).map(|(doc, _)| doc)
}

/// [`parse`], also returning notes worth a build warning (the trailing
/// teasers dropped, quoted).
pub fn parse_with_notes(path: &Path, text: &str) -> Result<(Document, Vec<Error>), Error> {
    let mut notes = Vec::new();
    // A UTF-8 byte order mark is not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let id = path.file_stem().and_then(|s| s.to_str()).filter(|s| !s.is_empty()).ok_or_else(|| Error::new(path, None, "file name gives no document id"))?.to_string();
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty()).peekable();

    let mut had_chrome = false;
    while let Some((_, l)) = lines.peek() {
        if CHROME.contains(l) {
            had_chrome = true;
            lines.next();
        } else {
            break;
        }
    }
    let (_, title) = lines.next().ok_or_else(|| Error::new(path, None, "no title: the file has only site navigation"))?;
    let mut doc = Document { id, title: title.to_string(), ..Default::default() };

    // Header bullets.
    let mut header = false;
    let mut range = None;
    while let Some(&(line_no, l)) = lines.peek() {
        let Some(item) = l.strip_prefix('•') else {
            break;
        };
        lines.next();
        header = true;
        let item = item.trim();
        if item.is_empty() || item == "|" {
            continue;
        }
        if item.starts_with("Mis à jour") {
            doc.updated = Some(dates::updated_stamp(item).ok_or_else(|| Error::new(path, Some(line_no), format!("unreadable update stamp {item:?}")))?);
        } else if let Some(r) = dates::english_range(item) {
            range = Some(r);
        } else {
            return Err(Error::new(path, Some(line_no), format!("unrecognised header line {item:?}")));
        }
    }

    let mut paragraphs: Vec<String> = lines.map(|(_, l)| l.to_string()).collect();
    if paragraphs.is_empty() {
        return Err(Error::new(path, None, "article has a title but no body text"));
    }
    let dropped = drop_trailing_teasers(&mut paragraphs);
    if !dropped.is_empty() {
        let quoted: Vec<String> = dropped.iter().map(|p| format!("« {} »", short(p))).collect();
        notes.push(Error::new(path, None, format!("{} trailing paragraph(s) repeating earlier text were dropped as teasers: {}", dropped.len(), quoted.join(", "))));
    }

    for p in paragraphs {
        if is_english(&p) {
            doc.captions.push(p);
        } else {
            doc.body.push(p);
        }
    }

    let lead = doc.body.first().map(String::as_str).unwrap_or("");
    let first_sentence = first_sentence(lead);
    doc.date = dates::first_french(first_sentence).or_else(|| range.and_then(|(start, end)| end.or(Some(start)))).map(|d| d.to_iso());

    doc.source = if header || is_nato_dateline(lead) {
        Some("OTAN".into())
    } else if had_chrome {
        Some("Presse".into())
    } else {
        None
    };

    let mut all: Vec<&str> = vec![doc.title.as_str()];
    all.extend(doc.body.iter().map(String::as_str));
    all.extend(doc.captions.iter().map(String::as_str));
    doc.people = people::extract(&all);
    Ok((doc, notes))
}

/// The first 60 characters of a paragraph, for a warning.
fn short(p: &str) -> String {
    match p.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &p[..i]),
        None => p.to_string(),
    }
}

/// The first sentence: up to the first `. ` that ends a word of 3 or more
/// letters (so `M. Stoltenberg` does not end it).
pub(super) fn first_sentence(p: &str) -> &str {
    let bytes = p.as_bytes();
    let mut i = 0;
    while let Some(off) = p[i..].find(". ") {
        let at = i + off;
        let word_len = p[..at].chars().rev().take_while(|c| c.is_alphanumeric()).count();
        if word_len >= 3 || (at > 0 && bytes[at - 1].is_ascii_digit()) {
            return &p[..at];
        }
        i = at + 2;
    }
    p
}

/// NATO's house dateline: `Ce mercredi (7 février 2024), …`.
fn is_nato_dateline(lead: &str) -> bool {
    let mut w = lead.split_whitespace();
    w.next() == Some("Ce") && w.next().is_some_and(|d| FRENCH_WEEKDAYS.contains(&d)) && w.next().is_some_and(|d| d.starts_with('(') && dates::first_french(lead).is_some())
}

/// Trailing paragraphs examined as possible teasers, at most.
const MAX_TEASERS: usize = 3;

/// Shortest teaser, in characters other than spaces: shorter paragraphs
/// (`Photo`, `Lire la suite`) repeat earlier text by chance.
const MIN_TEASER_CHARS: usize = 20;

/// Drops paragraphs at the end that repeat earlier text (a teaser of the
/// article's own lead, possibly cut with `...` or `…`), at most
/// [`MAX_TEASERS`] of them, and returns them in text order.
///
/// Linear in the text: the paragraphs, spaces removed, are joined once,
/// and each candidate is searched (two-way string matching) in the part
/// before it, a slice of that one string.
fn drop_trailing_teasers(paragraphs: &mut Vec<String>) -> Vec<String> {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(paragraphs.len());
    for p in paragraphs.iter() {
        starts.push(joined.len());
        joined.extend(p.chars().filter(|c| !c.is_whitespace()));
    }
    let mut keep = paragraphs.len();
    while keep > 1 && paragraphs.len() - keep < MAX_TEASERS {
        let last = &paragraphs[keep - 1];
        let core = squash(last.trim_end_matches("...").trim_end_matches('…').trim_end());
        if core.chars().count() >= MIN_TEASER_CHARS && joined[..starts[keep - 1]].contains(&core) {
            keep -= 1;
        } else {
            break;
        }
    }
    paragraphs.split_off(keep)
}

const ENGLISH_WORDS: &[&str] = &["the", "and", "with", "of", "in", "at", "by", "meets", "takes", "part", "for", "his", "her", "during", "on", "to", "from", "is", "are", "hosted"];
const FRENCH_WORDS: &[&str] =
    &["le", "la", "les", "de", "des", "du", "et", "à", "en", "un", "une", "est", "pour", "que", "qui", "dans", "sur", "au", "aux", "a", "il", "elle", "se"];

/// Whether a paragraph reads as English (a photo caption in these pages).
fn is_english(p: &str) -> bool {
    let (mut en, mut fr) = (0, 0);
    for w in p.split(|c: char| !c.is_alphanumeric() && c != 'à') {
        let w = w.to_lowercase();
        if ENGLISH_WORDS.contains(&w.as_str()) {
            en += 1;
        }
        if FRENCH_WORDS.contains(&w.as_str()) {
            fr += 1;
        }
    }
    en >= 2 && en > 2 * fr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_header_captions_and_teasers() {
        let text = "Rechercher\n\nTitre ici\n  • 17 Jun. 2024 - 21 Jun. 2024\n  • |\n  • Mis à jour le: 24 Jun. 2024 11:03\n\n\
                    Ce vendredi (21 juin 2024), le secrétaire général a parlé longuement aux Alliés.\n\n\
                    NATO Secretary General Jens Stoltenberg meets with Congressmen Mike Turner and Gerry Connolly\n\n\
                    Ce vendredi (21 juin 2024), le secrétaire général a parlé...";
        let d = parse(Path::new("x/abc.txt"), text).unwrap();
        assert_eq!(d.id, "abc");
        assert_eq!(d.title, "Titre ici");
        assert_eq!(d.date.as_deref(), Some("2024-06-21"));
        assert_eq!(d.updated.as_deref(), Some("2024-06-24T11:03"));
        assert_eq!(d.source.as_deref(), Some("OTAN"));
        assert_eq!(d.body.len(), 1);
        assert_eq!(d.captions.len(), 1);
        let (_, notes) = parse_with_notes(Path::new("x/abc.txt"), text).unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].to_string().starts_with("x/abc.txt: 1 trailing paragraph(s)"), "{}", notes[0]);
        assert!(notes[0].message.contains("« Cevendredi") || notes[0].message.contains("« Ce vendredi"), "{}", notes[0]);
    }

    #[test]
    fn repeated_paragraphs_are_linear_and_reported() {
        // 30,000 identical paragraphs took more than 15 minutes when each
        // candidate was compared with a fresh copy of all the text before it.
        let para = "Le secrétaire général a rencontré les Alliés à Bruxelles aujourd’hui.";
        let text = format!("Titre\n{}", format!("{para}\n").repeat(30_000));
        let (d, notes) = parse_with_notes(Path::new("r.txt"), &text).unwrap();
        assert_eq!(d.body.len(), 30_000 - MAX_TEASERS);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.starts_with("3 trailing paragraph(s)"), "{}", notes[0]);
    }

    #[test]
    fn a_byte_order_mark_does_not_reach_the_title() {
        let d = parse(Path::new("b.txt"), "\u{feff}Titre\nCorps de l’article.").unwrap();
        assert_eq!(d.title, "Titre");
    }

    #[test]
    fn first_sentence_skips_honorifics() {
        assert_eq!(first_sentence("M. Trump a dit. Puis"), "M. Trump a dit");
    }

    #[test]
    fn bad_header_names_the_line() {
        let e = parse(Path::new("a.txt"), "Titre\n• n'importe quoi\nCorps").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("a.txt:2: "), "{e}");
    }
}
