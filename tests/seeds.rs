//! The five seed articles, parsed and indexed: expected fields worked out
//! by reading them (see `seeds/`).
#![cfg(not(target_arch = "wasm32"))]

use recherche::corpus::{self, Document};
use recherche::engine::Engine;
use std::path::Path;

struct Expected {
    id: &'static str,
    title: &'static str,
    date: Option<&'static str>,
    updated: Option<&'static str>,
    source: &'static str,
    people: &'static [&'static str],
    captions: usize,
}

const SEEDS: &[Expected] = &[
    Expected {
        id: "000_1b5536374200d0e3",
        title: "Le secrétaire général s’est rendu aux États-Unis et au Canada en prévision du sommet de Washington",
        date: Some("2024-06-21"),
        updated: Some("2024-06-24T11:03"),
        source: "OTAN",
        people: &["Jens Stoltenberg", "Jake Sullivan", "Mike Turner", "Gerry Connolly", "Justin Trudeau", "Mélanie Joly", "Antony Blinken", "Mitch McConnell", "Joe Biden"],
        captions: 1,
    },
    Expected {
        id: "001_80dbe67e56024610",
        title: "Le secrétaire général reçoit le secrétaire américain à la Défense pour un entretien au siège de l’OTAN",
        date: Some("2020-06-26"),
        updated: Some("2020-06-26T15:26"),
        source: "OTAN",
        people: &["Jens Stoltenberg", "Mark Esper"],
        captions: 0,
    },
    Expected {
        id: "002_40ed5f4440df3aae",
        title: "Le secrétaire général de l’OTAN rencontre les hauts commandants militaires",
        date: Some("2023-05-17"),
        updated: Some("2023-05-19T11:52"),
        source: "OTAN",
        people: &["Jens Stoltenberg", "Christopher Cavoli"],
        captions: 1,
    },
    Expected {
        id: "003_a15a7d027a6a9886",
        title: "Stoltenberg a eu \"une bonne discussion\" avec Trump sur l'avenir de l'Otan",
        date: None,
        updated: None,
        source: "Presse",
        people: &["Jens Stoltenberg", "Donald Trump"],
        captions: 0,
    },
    Expected {
        id: "004_b806dba111cf650b",
        title: "Réunion des conseillers pour la sécurité nationale sous la présidence du secrétaire général de l’OTAN",
        date: Some("2024-02-07"),
        updated: None,
        source: "OTAN",
        people: &["Jens Stoltenberg"],
        captions: 0,
    },
];

fn seeds() -> Vec<Document> {
    corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).expect("seeds load").documents
}

#[test]
fn every_seed_parses_as_a_careful_reader_would() {
    let docs = seeds();
    assert_eq!(docs.len(), SEEDS.len());
    for (d, e) in docs.iter().zip(SEEDS) {
        assert_eq!(d.id, e.id);
        assert_eq!(d.title, e.title, "{}", e.id);
        assert_eq!(d.date.as_deref(), e.date, "{}", e.id);
        assert_eq!(d.updated.as_deref(), e.updated, "{}", e.id);
        assert_eq!(d.source.as_deref(), Some(e.source), "{}", e.id);
        assert_eq!(d.people, e.people, "{}", e.id);
        assert_eq!(d.captions.len(), e.captions, "{}", e.id);
        assert_eq!(d.url, None);
        assert!(!d.body.is_empty());
    }
}

#[test]
fn chrome_captions_and_teasers_are_handled() {
    let docs = seeds();
    // Site chrome is not content.
    let press = &docs[3];
    assert!(press.body.iter().all(|p| p != "Rechercher" && p != "Dernières Infos"));
    // The truncated teaser repeating the lead is gone, and so is the repeated lead.
    assert!(press.body.iter().all(|p| !p.ends_with("...")));
    assert_eq!(press.body.iter().filter(|p| p.starts_with("Le secrétaire général de l'Otan, Jens Stoltenberg, a indiqué")).count(), 1);
    assert_eq!(press.body.last().unwrap(), "Une telle attitude remettrait en cause le principe de la défense collective, qui est au coeur du traité fondateur de l'Otan.");
    // Captions are kept apart from the French body.
    assert_eq!(docs[0].captions, vec!["NATO Secretary General Jens Stoltenberg meets with Congressmen Mike Turner and Gerry Connolly"]);
    assert!(docs[2].captions[0].starts_with("Secretary General Jens Stoltenberg takes part"));
    assert!(docs.iter().all(|d| d.body.iter().all(|p| !p.starts_with("NATO Secretary General"))));
}

#[test]
fn original_characters_are_preserved() {
    let docs = seeds();
    let body = docs[0].body.join("\n");
    assert!(body.contains("M.\u{a0}Stoltenberg"));
    assert!(body.contains("18\u{a0}%"));
    assert!(body.contains("l’Alliance") && body.contains("l'OTAN"));
    assert!(docs[3].body.join(" ").contains("Etats-Unis"));
}

#[test]
fn no_false_people() {
    for d in seeds() {
        for p in &d.people {
            for bad in ["Maison", "Blanche", "Wilson", "Center", "Observer", "Group", "Europe", "Command", "Secretary", "Infos"] {
                assert!(!p.contains(bad), "{}: {p}", d.id);
            }
        }
    }
}

#[test]
fn get_document_returns_the_parsed_fields() {
    let engine = Engine::embedded().unwrap();
    let docs = seeds();
    for d in &docs {
        let v = engine.document(&d.id).unwrap().expect("indexed");
        assert_eq!(
            (v.id.as_str(), v.title.as_str(), v.date.as_deref(), v.updated.as_deref(), v.source.as_deref(), v.url.as_deref()),
            (d.id.as_str(), d.title.as_str(), d.date.as_deref(), d.updated.as_deref(), d.source.as_deref(), d.url.as_deref())
        );
        assert_eq!(v.body, d.body);
        assert_eq!(v.captions, d.captions);
        assert_eq!(v.people, d.people);
    }
    assert_eq!(engine.document("nope").unwrap(), None);
}
