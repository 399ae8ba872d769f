//! People named in an article, as full names.
//!
//! A capitalised pair (`Mark Esper`) is a person only when the text gives a
//! sign of it, so that `Maison Blanche` or `Wilson Center` are not:
//! - the surname is also used with an honorific (`M. Esper`, `Mme Joly`);
//! - a title precedes the pair (`le général Christopher Cavoli`,
//!   `Secretary General Jens Stoltenberg`);
//! - the pair stands in apposition between commas (`…des États-Unis, Joe
//!   Biden, à…`), or before `et` (`deux députés, Mike Turner et…`);
//! - the pair is coordinated with a person (`Mike Turner et Gerry Connolly`).
//!
//! Middle initials are dropped (`Christopher G. Cavoli` → `Christopher
//! Cavoli`). A later `M. Trump` resolves to `Donald Trump`, first within the
//! article, then across the corpus when exactly one full name fits
//! ([`resolve_surnames`]).

use super::Document;
use std::collections::{HashMap, HashSet};

/// Honorifics that precede a surname.
const HONORIFICS: &[&str] = &["M.", "Mme", "Mlle", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr."];

/// Title words that introduce a person's name (compared lower-cased).
const TITLES: &[&str] = &[
    "ambassadeur",
    "ambassadrice",
    "amiral",
    "chancelier",
    "chancelière",
    "commandant",
    "congressman",
    "congressmen",
    "conseiller",
    "conseillère",
    "député",
    "députée",
    "députés",
    "general",
    "général",
    "générale",
    "minister",
    "ministre",
    "premier",
    "première",
    "president",
    "président",
    "présidente",
    "secretary",
    "secrétaire",
    "senator",
    "sénateur",
    "sénatrice",
];

#[derive(Debug)]
struct Word<'a> {
    core: &'a str,
    /// Punctuation right after the word (`,`, `.`, `)`…), if any.
    after: &'a str,
}

fn words(text: &str) -> Vec<Word<'_>> {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
            let end = w.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.').len();
            let (mut core, mut after) = w.split_at(end);
            // Keep an honorific's or an initial's dot; otherwise it is punctuation.
            if core.ends_with('.') && !HONORIFICS.contains(&core) && !is_initial(core) {
                core = &core[..core.len() - 1];
                after = &w[core.len()..];
            }
            Word { core, after }
        })
        .collect()
}

fn is_initial(core: &str) -> bool {
    let mut c = core.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

fn is_name_word(core: &str) -> bool {
    let mut chars = core.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase() && core.chars().count() >= 2 && core.chars().any(|c| c.is_lowercase()) && core.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// The surnames used after an honorific (`M. Trump` → `Trump`).
pub fn honorific_surnames(paragraphs: &[&str]) -> Vec<String> {
    let mut out = Unique::default();
    for p in paragraphs {
        let w = words(p);
        for pair in w.windows(2) {
            if HONORIFICS.contains(&pair[0].core) && pair[0].after.is_empty() && is_name_word(pair[1].core) {
                out.push(pair[1].core.to_string());
            }
        }
    }
    out.list
}

/// Strings in order of first appearance, each once: a set beside the list,
/// so that an article naming thousands of people costs linear time.
#[derive(Default)]
struct Unique {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Unique {
    fn push(&mut self, s: String) {
        if !self.seen.contains(&s) {
            self.seen.insert(s.clone());
            self.list.push(s);
        }
    }
}

/// Full names of the people named in `paragraphs`, in order of appearance.
/// Honorific-only mentions are resolved within the document.
pub fn extract(paragraphs: &[&str]) -> Vec<String> {
    let honored = honorific_surnames(paragraphs);
    let honored_set: HashSet<&str> = honored.iter().map(String::as_str).collect();
    let mut people = Unique::default();
    // The surnames of the full names found, for the honorific-only ones.
    let mut surnames: HashSet<String> = HashSet::new();
    for p in paragraphs {
        let w = words(p);
        let mut last_person_end: Option<usize> = None;
        let mut i = 0;
        while i < w.len() {
            if !is_name_word(w[i].core) || HONORIFICS.contains(&w[i].core) {
                i += 1;
                continue;
            }
            // Collect a run of name words (initials allowed inside).
            let start = i;
            let mut names = vec![i];
            let mut j = i;
            while w[j].after.is_empty() && j + 1 < w.len() {
                let next = &w[j + 1];
                if is_initial(next.core) && j + 2 < w.len() && is_name_word(w[j + 2].core) {
                    j += 2;
                } else if is_name_word(next.core) {
                    j += 1;
                } else {
                    break;
                }
                names.push(j);
            }
            i = j + 1;
            if names.len() < 2 {
                continue;
            }
            let (given, surname) = (names[names.len() - 2], names[names.len() - 1]);
            let before = |k: usize| if k == 0 { None } else { Some(&w[k - 1]) };
            let prev = before(given);
            let titled = prev.is_some_and(|p| TITLES.contains(&p.core.to_lowercase().as_str()));
            let opened_by_comma = given == start && prev.is_some_and(|p| p.after.starts_with(',') || p.after.starts_with(':'));
            let last = &w[surname];
            let next_word = w.get(surname + 1).map(|n| n.core);
            let closed = last.after.starts_with(',') || last.after.starts_with('.') || (last.after.is_empty() && matches!(next_word, Some("et") | Some("and")));
            let coordinated = given == start && prev.is_some_and(|p| p.core == "et" || p.core == "and") && given >= 2 && last_person_end == Some(given - 2);
            let honorific = honored_set.contains(w[surname].core);
            if titled || (opened_by_comma && closed) || coordinated || honorific {
                people.push(format!("{} {}", w[given].core, w[surname].core));
                surnames.insert(w[surname].core.to_string());
                last_person_end = Some(surname);
            }
        }
    }
    // Honorific mentions whose full name the document gives elsewhere are
    // already covered; the rest are kept as surnames for now and resolved
    // across the corpus by `resolve_surnames`.
    for s in honored {
        if !surnames.contains(&s) {
            people.push(s);
        }
    }
    people.list
}

/// Replaces bare surnames (`Stoltenberg`, from `M. Stoltenberg` alone) by
/// the one full name the rest of the corpus gives for that surname, when
/// there is exactly one.
pub fn resolve_surnames(docs: &mut [Document]) {
    // Per surname, the distinct full names with it (two are enough to
    // know it is ambiguous).
    let mut full: HashMap<String, Vec<String>> = HashMap::new();
    for name in docs.iter().flat_map(|d| d.people.iter().filter(|p| p.contains(' '))) {
        if let Some(surname) = name.rsplit(' ').next() {
            let v = full.entry(surname.to_string()).or_default();
            if v.len() < 2 && !v.contains(name) {
                v.push(name.clone());
            }
        }
    }
    for d in docs.iter_mut() {
        let mut resolved = Unique::default();
        for p in &d.people {
            let name = match full.get(p.as_str()) {
                Some(v) if !p.contains(' ') && v.len() == 1 => v[0].clone(),
                _ => p.clone(),
            };
            resolved.push(name);
        }
        d.people = resolved.list;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_people_not_places() {
        let text = "Lundi, il s’est entretenu avec le président des États-Unis, Joe Biden, à la Maison Blanche. \
                    Dans un discours prononcé au Wilson Center, il a parlé.";
        assert_eq!(extract(&[text]), vec!["Joe Biden"]);
    }

    #[test]
    fn titles_initials_coordination_and_honorifics() {
        let p = [
            "Secretary General Jens Stoltenberg takes part, hosted by Supreme Allied Commander Europe, General Christopher G. Cavoli, at Allied Command Operations in Mons, Belgium",
            "Il a également rencontré deux députés, Mike Turner et Gerry Connolly.",
            "Il a parlé avec Donald Trump. M. Trump a répondu.",
        ];
        assert_eq!(extract(&p), vec!["Jens Stoltenberg", "Christopher Cavoli", "Mike Turner", "Gerry Connolly", "Donald Trump"]);
    }

    #[test]
    fn bare_surnames_resolve_across_the_corpus() {
        let mut docs = vec![
            Document { people: vec!["Jens Stoltenberg".into()], ..Default::default() },
            Document { people: extract(&["M.\u{a0}Stoltenberg a souligné que…"]), ..Default::default() },
        ];
        assert_eq!(docs[1].people, vec!["Stoltenberg"]);
        resolve_surnames(&mut docs);
        assert_eq!(docs[1].people, vec!["Jens Stoltenberg"]);
    }

    #[test]
    fn an_ambiguous_surname_stays_bare_and_each_name_is_listed_once() {
        let mut docs = vec![
            Document { people: vec!["Anne Martin".into(), "Paul Martin".into(), "Anne Martin".into()], ..Default::default() },
            Document { people: vec!["Martin".into(), "Jens Stoltenberg".into()], ..Default::default() },
            Document { people: vec!["Stoltenberg".into(), "Jens Stoltenberg".into()], ..Default::default() },
        ];
        resolve_surnames(&mut docs);
        assert_eq!(docs[0].people, vec!["Anne Martin", "Paul Martin"]);
        assert_eq!(docs[1].people, vec!["Martin", "Jens Stoltenberg"]);
        assert_eq!(docs[2].people, vec!["Jens Stoltenberg"]);
        // Many people with honorifics, each once, in order of appearance;
        // a surname whose full name the article gives is not repeated bare.
        let names: Vec<String> = (0..2_000).map(|i| format!("Z{}", (0..4).map(|k| char::from(b'a' + (i / 26usize.pow(k) % 26) as u8)).collect::<String>())).collect();
        let text: String = names.iter().map(|n| format!("M. {n} a dit. ")).collect();
        let found = extract(&[text.as_str(), "Il a vu Jean Zaaaa, le ministre Marc Zbaaa, et M. Zbaaa."]);
        assert_eq!(found[..2], ["Jean Zaaaa", "Marc Zbaaa"]);
        assert_eq!(found[2..], names[2..]);
    }
}
