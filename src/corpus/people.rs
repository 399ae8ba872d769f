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
    let mut out = Vec::new();
    for p in paragraphs {
        let w = words(p);
        for pair in w.windows(2) {
            if HONORIFICS.contains(&pair[0].core) && pair[0].after.is_empty() && is_name_word(pair[1].core) {
                push_unique(&mut out, pair[1].core.to_string());
            }
        }
    }
    out
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Full names of the people named in `paragraphs`, in order of appearance.
/// Honorific-only mentions are resolved within the document.
pub fn extract(paragraphs: &[&str]) -> Vec<String> {
    let honored = honorific_surnames(paragraphs);
    let mut people: Vec<String> = Vec::new();
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
            let honorific = honored.iter().any(|s| s == w[surname].core);
            if titled || (opened_by_comma && closed) || coordinated || honorific {
                push_unique(&mut people, format!("{} {}", w[given].core, w[surname].core));
                last_person_end = Some(surname);
            }
        }
    }
    // Honorific mentions whose full name the document gives elsewhere are
    // already covered; the rest are kept as surnames for now and resolved
    // across the corpus by `resolve_surnames`.
    for s in honored {
        if !people.iter().any(|p| p.rsplit(' ').next() == Some(s.as_str())) {
            push_unique(&mut people, s);
        }
    }
    people
}

/// Replaces bare surnames (`Stoltenberg`, from `M. Stoltenberg` alone) by
/// the one full name the rest of the corpus gives for that surname, when
/// there is exactly one.
pub fn resolve_surnames(docs: &mut [Document]) {
    let mut full: std::collections::HashMap<&str, Vec<String>> = std::collections::HashMap::new();
    let all: Vec<String> = docs.iter().flat_map(|d| d.people.iter().filter(|p| p.contains(' ')).cloned()).collect();
    for name in &all {
        if let Some(surname) = name.rsplit(' ').next() {
            let v = full.entry(surname).or_default();
            if !v.contains(name) {
                v.push(name.clone());
            }
        }
    }
    for d in docs.iter_mut() {
        let mut resolved: Vec<String> = Vec::new();
        for p in &d.people {
            let name = match full.get(p.as_str()) {
                Some(v) if !p.contains(' ') && v.len() == 1 => v[0].clone(),
                _ => p.clone(),
            };
            push_unique(&mut resolved, name);
        }
        d.people = resolved;
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
}
