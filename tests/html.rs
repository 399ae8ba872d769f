//! HTML corpora: the small news site in `tests/fixtures/site/` covers each
//! rule of `src/corpus/html.rs`, read through `corpus::load` as the build
//! reads it. Also runs the real build script on the site.
#![cfg(not(target_arch = "wasm32"))]

use recherche::corpus::{self, Corpus, Document, Section};
use recherche::engine::Engine;
use recherche::options::SearchOptions;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn load() -> Corpus {
    corpus::load(&site()).expect("the fixture site loads")
}

fn doc<'a>(c: &'a Corpus, id: &str) -> &'a Document {
    c.documents.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no document {id:?}"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("recherche-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn nested_folders_are_walked_in_order_for_all_formats() {
    let c = load();
    let ids: Vec<&str> = c.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "actualites/2023/marche.html",
            "actualites/2024/conseil.html",
            "actualites/2024/fete.html",
            "archives/2019/brocante.html",
            "archives/2019/kermesse.htm",
            "alerte",        // breves/alerte.txt
            "breve-coupure", // breves/breves.jsonl
            "breve-conseil-quartier",
            "divers/malforme.html",
            "divers/sans-titre.html",
            "dossiers/ecole.html",
            "dossiers/guide.html",
            "dossiers/travaux.html",
            "en/visit.html",
            "index.html",
        ]
    );
    assert_eq!(c.files.len(), 14);
    // Other files are reported; hidden files and folders are not even read.
    assert_eq!(c.ignored, vec![site().join("sitemap.xml"), site().join("style.css")]);
    assert!(site().join(".brouillons/projet.html").exists() && site().join(".nojekyll").exists());
    assert!(!c.files.iter().chain(&c.ignored).any(|f| f.to_string_lossy().contains("/.")));
}

#[test]
fn site_chrome_is_in_no_document() {
    let c = load();
    let words = [
        "zorglubnav",
        "zorglubfoot",
        "zorglubaside",
        "zorglubignore",
        "zorglubscript",
        "zorglubteaser",
        "zorglubmain",
        "zorglubhidden",
        "zorglubnoscript",
        "zorglubtemplate",
        "zorglubstyle",
    ];
    // Each word is in the fixture site, so this test can fail.
    let mut all_files = String::new();
    for f in [
        "index.html",
        "actualites/2024/fete.html",
        "actualites/2024/conseil.html",
        "actualites/2023/marche.html",
        "dossiers/travaux.html",
        "dossiers/guide.html",
        ".brouillons/projet.html",
    ] {
        all_files += &std::fs::read_to_string(site().join(f)).unwrap();
    }
    for w in words {
        assert!(all_files.contains(w), "{w} is not in the fixtures");
    }
    for d in &c.documents {
        let text = [vec![d.title.clone()], d.body.clone(), d.captions.clone(), d.people.clone()].concat().join("\n");
        assert!(!text.contains("zorglub"), "{}: {text}", d.id);
        assert!(!text.contains("mentions légales"), "{}", d.id);
    }
}

#[test]
fn an_article_page_gives_every_field() {
    let c = load();
    let d = doc(&c, "actualites/2024/fete.html");
    assert_eq!(d.title, "Fête du village : trois jours de liesse");
    assert_eq!(
        d.body,
        [
            "Vie locale", // the article's own header is kept; the site's is not
            "Fête du village : trois jours de liesse",
            "Publié le 14 mars 2024 par Claire Martin",
            "La fête du village a réuni plus de deux mille personnes sur la place de la Mairie, malgré une météo capricieuse.",
            "Le programme",
            "Le vendredi soir, un bal populaire a ouvert les festivités.", // <br> splits
            "Le samedi, place aux chars fleuris.",
            "Concours de pétanque",
            "Feu d’artifice",
            "La buvette",
            "Les bénévoles du comité des fêtes ont servi mille crêpes.",
            "Sans ancre",
            "Le maire, Jean Dupont, a remercié les bénévoles.",
            "Le bilan",
            "Rendez-vous l’an prochain.",
        ]
    );
    assert_eq!(d.captions, ["Les chars fleuris défilent devant la mairie."]);
    let section = |heading: &str, anchor: &str, paragraph: u32| Section { heading: heading.into(), anchor: anchor.into(), paragraph, url: None };
    assert_eq!(d.sections, [section("Le programme", "programme", 4), section("La buvette", "buvette", 9), section("Le bilan", "bilan", 13)]);
    for s in &d.sections {
        assert_eq!(d.body[s.paragraph as usize], s.heading);
    }
    // <time datetime> wins over article:published_time (03-20) and JSON-LD (03-21).
    assert_eq!(d.date.as_deref(), Some("2024-03-14"));
    assert_eq!(d.url.as_deref(), Some("https://echo.example.fr/actualites/2024/fete"));
    assert_eq!(d.source.as_deref(), Some("Le Petit Écho"));
    assert_eq!(d.people, ["Claire Martin", "Jean Dupont"]); // meta author, then the text
    assert_eq!(d.updated, None);
}

#[test]
fn the_body_falls_back_to_article_then_body() {
    let c = load();
    // No <main>: the <article>, not the teaser <article> in the <aside>.
    let d = doc(&c, "actualites/2024/conseil.html");
    assert_eq!(d.title, "Le conseil municipal vote le budget");
    assert_eq!(d.body[0], "Le conseil municipal vote le budget");
    assert_eq!(d.body.len(), 4);
    // No <main> nor <article>: <body>, less its header and footer. Text
    // directly in a <div> around a <p> makes paragraphs of its own.
    let d = doc(&c, "actualites/2023/marche.html");
    assert_eq!(
        d.body,
        [
            "Le marché de Noël ouvre ses portes",
            "Une quarantaine d’exposants sont attendus sous la halle.",
            "Horaires : de 10 h à 19 h.",
            "Entrée libre.",
            "Navette gratuite depuis la gare.",
        ]
    );
    assert_eq!(d.title, "Le marché de Noël ouvre ses portes", "the <h1>, not the <title>");
}

#[test]
fn marked_body_title_and_source_win() {
    let c = load();
    let d = doc(&c, "dossiers/travaux.html");
    // data-recherche-body over <main>; cells, quotes and pre lines are paragraphs.
    assert_eq!(
        d.body,
        [
            "Dossier",
            "La rue des Lilas sera fermée à la circulation pendant six semaines.",
            "Phase",
            "Dates",
            "Réseaux",
            "juin",
            "Nous ferons au plus vite, promet le chef de chantier.",
            "Déviation :",
            "rue des Roses",
            "avenue du Parc",
        ]
    );
    // The attribute's value, over the <h1> and the <title>.
    assert_eq!(d.title, "Travaux rue des Lilas : le calendrier");
    // data-recherche-source over og:site_name.
    assert_eq!(d.source.as_deref(), Some("Mairie de Saint-Clair"));
    // An empty data-recherche-title means the element's text, over the first <h1>.
    assert_eq!(doc(&c, "dossiers/ecole.html").title, "La rentrée à l’école Jules-Ferry");
    // No h1 in the body root and the banner's h1 left out: the <title>.
    assert_eq!(doc(&c, "index.html").title, "Le Petit Écho de Saint-Clair");
    assert_eq!(doc(&c, "index.html").source.as_deref(), Some("Le Petit Écho"));
}

#[test]
fn dates_come_in_order_and_are_never_guessed() {
    let c = load();
    let date = |id: &str| doc(&c, id).date.clone();
    // An invalid <time datetime> is skipped: article:published_time, over JSON-LD.
    assert_eq!(date("actualites/2024/conseil.html").as_deref(), Some("2024-02-05"));
    // An invalid article:published_time is skipped: JSON-LD @graph.
    assert_eq!(date("actualites/2023/marche.html").as_deref(), Some("2023-11-18"));
    // JSON-LD as an array.
    assert_eq!(date("dossiers/travaux.html").as_deref(), Some("2024-06-03"));
    // The French date in the first sentence of the first paragraph that is
    // not a heading; the later date is not taken.
    assert_eq!(date("dossiers/ecole.html").as_deref(), Some("2024-09-02"));
    assert_eq!(date("archives/2019/brocante.html").as_deref(), Some("2019-05-12"));
    // Nothing: None.
    for id in ["archives/2019/kermesse.htm", "divers/malforme.html", "divers/sans-titre.html", "index.html", "en/visit.html"] {
        assert_eq!(date(id), None, "{id}");
    }
}

#[test]
fn urls_are_canonical_or_the_relative_path() {
    let c = load();
    assert_eq!(doc(&c, "actualites/2024/fete.html").url.as_deref(), Some("https://echo.example.fr/actualites/2024/fete"));
    assert_eq!(doc(&c, "actualites/2023/marche.html").url.as_deref(), Some("actualites/2023/marche.html"));
    assert_eq!(doc(&c, "archives/2019/kermesse.htm").url.as_deref(), Some("archives/2019/kermesse.htm"));
    assert_eq!(doc(&c, "breve-coupure").url, None, "other readers are unchanged");
}

#[test]
fn people_come_from_meta_author_and_the_text() {
    let c = load();
    assert_eq!(doc(&c, "dossiers/ecole.html").people, ["Sophie Lefèvre"]);
    // `Mme Lefèvre` alone resolves to the full name another page gives.
    assert_eq!(doc(&c, "actualites/2024/conseil.html").people, ["Sophie Lefèvre"]);
}

#[test]
fn windows_1252_pages_decode_as_browsers_do() {
    let c = load();
    for f in ["archives/2019/kermesse.htm", "archives/2019/brocante.html"] {
        let bytes = std::fs::read(site().join(f)).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err() && bytes.contains(&0xE9), "{f} must hold windows-1252 bytes");
    }
    // Declared iso-8859-1 (that is, windows-1252) by http-equiv.
    let d = doc(&c, "archives/2019/kermesse.htm");
    assert_eq!(d.title, "Kermesse de l'école : un été réussi");
    assert_eq!(d.body, ["La kermesse a rapporté 1 200 € à la coopérative scolaire.", "« Très belle fête », a déclaré l’organisatrice ; rendez-vous à l’été prochain."]);
    // Declared nothing, and not UTF-8: windows-1252.
    assert_eq!(doc(&c, "archives/2019/brocante.html").title, "Brocante : les chineurs étaient au rendez-vous");
}

#[test]
fn malformed_markup_is_repaired_as_a_browser_would() {
    let c = load();
    let d = doc(&c, "divers/malforme.html");
    assert_eq!(d.title, "Les vœux du maire");
    assert_eq!(
        d.body,
        [
            "Les vœux du maire",
            "Premier paragraphe sans fin",
            "Second paragraphe avec du gras et de l’italique mêlés ici.",
            "premier point",
            "second point",
            "texte égaré", // text misplaced in a table goes before it
            "cellule",
            "Un élément inconnu garde son texte.",
            "Dernier paragraphe",
        ]
    );
}

#[test]
fn notes_name_the_untitled_and_the_foreign_pages() {
    let c = load();
    let notes: Vec<String> = c.notes.iter().map(|n| n.to_string()).collect();
    let untitled = site().join("divers/sans-titre.html");
    let english = site().join("en/visit.html");
    assert_eq!(
        notes,
        [
            format!(
                "{}: document \"divers/sans-titre.html\" has no title (no data-recherche-title, <h1> or <title>; kept with an empty title, pages show it as « sans titre »)",
                untitled.display()
            ),
            format!("{}: page language is \"en\", not French: indexed all the same, with the French analyzer", english.display()),
        ]
    );
    assert_eq!(doc(&c, "divers/sans-titre.html").title, "");
    assert_eq!(doc(&c, "divers/sans-titre.html").body, ["Un simple paragraphe, sans titre ni date."]);
    assert_eq!(doc(&c, "en/visit.html").body, ["Visiting Saint-Clair", "The village hosts a flower parade every spring."]);
}

#[test]
fn sections_are_serialised_only_when_there_are_some() {
    let c = load();
    let json = serde_json::to_value(doc(&c, "actualites/2024/fete.html")).unwrap();
    assert_eq!(json["sections"][1], serde_json::json!({"heading": "La buvette", "anchor": "buvette", "paragraph": 9}));
    for id in ["breve-coupure", "alerte", "index.html"] {
        assert!(serde_json::to_value(doc(&c, id)).unwrap().get("sections").is_none(), "{id}");
    }
}

#[test]
fn an_undecodable_page_fails_naming_the_file() {
    let dir = tmp("undecodable");
    std::fs::write(dir.join("bon.html"), "<title>Bon</title><p>Été</p>").unwrap();
    let bad = dir.join("mauvais.html");
    std::fs::write(&bad, b"<meta charset=\"utf-8\">\n<title>Mauvais</title>\n<p>\xE9t\xE9</p>").unwrap();
    let e = corpus::load(&dir).expect_err("must fail").to_string();
    assert_eq!(e, format!("{}:3: page cannot be decoded as UTF-8 (the encoding its <meta> declaration gives): malformed bytes at offset 49", bad.display()));
    let empty = dir.join("mauvais.html");
    std::fs::write(&empty, " \n").unwrap();
    assert_eq!(corpus::load(&dir).expect_err("must fail").to_string(), format!("{}: file is empty", empty.display()));
}

#[test]
fn page_ids_share_the_duplicate_check() {
    let dir = tmp("dup");
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("a/b.html"), "<h1>Page</h1>").unwrap();
    std::fs::write(dir.join("z.jsonl"), "{\"id\":\"a/b.html\",\"title\":\"T\"}\n").unwrap();
    let e = corpus::load(&dir).expect_err("must fail").to_string();
    assert_eq!(e, format!("{}:1: duplicate document id \"a/b.html\" (first seen at {})", dir.join("z.jsonl").display(), dir.join("a/b.html").display()));
    // A single page is a corpus too; its id is its file name.
    let c = corpus::load(&dir.join("a/b.html")).unwrap();
    assert_eq!((c.documents[0].id.as_str(), c.documents[0].title.as_str()), ("b.html", "Page"));
}

/// The build script compiled for this package (the most recent one).
fn build_script() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for profile in ["debug", "release"] {
        let Ok(entries) = std::fs::read_dir(target.join(profile).join("build")) else { continue };
        for e in entries.flatten() {
            let exe = e.path().join("build-script-build");
            if e.file_name().to_string_lossy().starts_with("recherche-") && exe.exists() {
                found.push((exe.metadata().unwrap().modified().unwrap(), exe));
            }
        }
    }
    found.sort();
    found.pop().expect("the recherche build script has been compiled").1
}

/// The index the real build script writes for the fixture site (built
/// once), and what it printed.
fn site_index() -> &'static (Vec<u8>, String) {
    static BUILT: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tmp("build-site");
        let run = Command::new(build_script()).env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")).env("OUT_DIR", &out).env("RECHERCHE_CORPUS", site()).output().unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        (std::fs::read(out.join("index.bin")).unwrap(), String::from_utf8_lossy(&run.stdout).into_owned())
    })
}

#[test]
fn the_site_builds_and_is_searchable() {
    let (bytes, stdout) = site_index();
    assert!(stdout.contains("cargo:warning=recherche: ") && stdout.contains("en/visit.html: page language is \"en\""), "{stdout}");
    let engine = Engine::open(bytes).unwrap();
    let ids = |q: &str| engine.search(q, &SearchOptions::default()).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("pétanque"), ["actualites/2024/fete.html"]);
    assert_eq!(ids("coopérative"), ["archives/2019/kermesse.htm"]);
    assert_eq!(ids("déviation"), ["dossiers/travaux.html"]);
    assert!(ids("zorglubnav").is_empty());
    let d = engine.document("actualites/2024/fete.html").unwrap().unwrap();
    assert_eq!(d.url.as_deref(), Some("https://echo.example.fr/actualites/2024/fete"));
    assert_eq!(d.date.as_deref(), Some("2024-03-14"));
}

/// (heading, url) of a hit's `section` and of its `sections`.
type Sections = (Option<(String, Option<String>)>, Vec<(String, Option<String>)>);

fn sections_of(engine: &Engine, q: &str, id: &str) -> Sections {
    let r = engine.search(q, &SearchOptions::default()).unwrap();
    let h = r.hits.into_iter().find(|h| h.id == id).unwrap_or_else(|| panic!("{q:?} does not find {id}"));
    let pair = |s: recherche::results::HitSection| (s.heading, s.url);
    (h.section.map(pair), h.sections.into_iter().map(pair).collect())
}

fn at(heading: &str, url: &str) -> (String, Option<String>) {
    (heading.to_string(), Some(url.to_string()))
}

#[test]
fn a_hit_carries_the_section_of_its_best_match() {
    let engine = Engine::open(&site_index().0).unwrap();
    let fete = "https://echo.example.fr/actualites/2024/fete";
    // In the section a heading with an id opens: its heading and url#id.
    let (section, sections) = sections_of(&engine, "pétanque", "actualites/2024/fete.html");
    assert_eq!(section, Some(at("Le programme", &format!("{fete}#programme"))));
    assert_eq!(sections, [at("Le programme", &format!("{fete}#programme"))]);
    assert_eq!(sections_of(&engine, "crêpes", "actualites/2024/fete.html").0, Some(at("La buvette", &format!("{fete}#buvette"))));
    // A heading's own words are in its section.
    assert_eq!(sections_of(&engine, "bilan", "actualites/2024/fete.html").0, Some(at("Le bilan", &format!("{fete}#bilan"))));
    // A heading without an id opens no section: its text stays in the one before.
    assert_eq!(sections_of(&engine, "Dupont", "actualites/2024/fete.html").0, Some(at("La buvette", &format!("{fete}#buvette"))));
    // Before the first section, or in a caption: no section.
    assert_eq!(sections_of(&engine, "météo", "actualites/2024/fete.html"), (None, vec![]));
    assert_eq!(sections_of(&engine, "défilent", "actualites/2024/fete.html"), (None, vec![]));
    // A page without sections, or a document of another format: none.
    assert_eq!(sections_of(&engine, "halle", "actualites/2023/marche.html"), (None, vec![]));
    assert_eq!(sections_of(&engine, "coupure", "breve-coupure"), (None, vec![]));
}

#[test]
fn hits_list_up_to_three_sections_where_the_query_matched() {
    let engine = Engine::open(&site_index().0).unwrap();
    let guide = |anchor: &str| format!("dossiers/guide.html#{anchor}");
    // A relative URL gets the anchor too. The best match's section comes
    // first, then those with the most matches.
    let (section, sections) = sections_of(&engine, "bouteilles", "dossiers/guide.html");
    assert_eq!(section, Some(at("Le verre", &guide("verre"))));
    assert_eq!(sections, [at("Le verre", &guide("verre")), at("La déchèterie", &guide("déchèterie")), at("Papiers et cartons", &guide("papiers"))]);
    // Matched in the lead (no section) and in four sections: three, in page order.
    let (section, sections) = sections_of(&engine, "habitants", "dossiers/guide.html");
    assert_eq!(section, None);
    assert_eq!(sections, [at("Le verre", &guide("verre")), at("Papiers et cartons", &guide("papiers")), at("Le compost", &guide("compost"))]);
    // More query words beat more matches.
    let (section, sections) = sections_of(&engine, "bouteilles huile", "dossiers/guide.html");
    assert_eq!(section, Some(at("La déchèterie", &guide("déchèterie"))));
    assert_eq!(sections[0], at("La déchèterie", &guide("déchèterie")));
    // A filter lists no sections (no query, nothing matched).
    let r = engine.filter(&SearchOptions::default()).unwrap();
    assert!(r.hits.iter().all(|h| h.section.is_none() && h.sections.is_empty()));
}

#[test]
fn get_document_returns_sections_and_marks_the_query() {
    let engine = Engine::open(&site_index().0).unwrap();
    let d = engine.document("dossiers/guide.html").unwrap().unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["sections"][4], serde_json::json!({"heading": "La déchèterie", "anchor": "déchèterie", "paragraph": 10, "url": "dossiers/guide.html#déchèterie"}));
    assert_eq!(d.sections.len(), 5);
    let m = engine.marked_document("dossiers/guide.html", "bouteille huil").unwrap().unwrap();
    assert_eq!(m.document, d);
    assert_eq!(m.body_html[11], "Les <mark>bouteilles</mark> de gaz vont à la déchèterie, comme les <mark>bouteilles</mark> d’<mark>huile</mark>.");
    assert_eq!(m.body_html[1], "Ce guide aide les habitants à trier leurs déchets.");
    assert!(m.captions_html.is_empty());
    // Everything but the marks is escaped; no query, no marks.
    let m = engine.marked_document("actualites/2024/fete.html", "").unwrap().unwrap();
    assert!(m.body_html.iter().all(|p| !p.contains('<')));
    assert_eq!(engine.marked_document("nope", "x").unwrap(), None);
}

#[test]
fn sections_are_found_anywhere_in_a_long_page() {
    use recherche::index::write::Builder;
    let filler = "Texte sans rapport avec la question posée. ".repeat(600); // 26 KB, past the snippet's scan
    let section = |anchor: &str, paragraph| Section { heading: format!("Partie {}", &anchor[..1]), anchor: anchor.into(), paragraph, url: None };
    let doc = Document {
        id: "long".into(),
        title: "Une longue page".into(),
        url: Some("long.html".into()),
        body: vec![
            "Introduction.".into(),
            "Partie a".into(),
            filler.clone(),
            "Partie b".into(),
            filler,
            "Partie c".into(),
            "Le mot rarissime est ici.".into(),
            "Partie c".into(),
            "Encore rarissime, rarissime.".into(),
        ],
        sections: vec![section("a", 1), section("b", 3), section("c", 5), section("c2", 7)],
        ..Default::default()
    };
    let mut b = Builder::new();
    b.add(doc).unwrap();
    let (bytes, _) = b.write(&b.counts()).unwrap();
    let engine = Engine::open(&bytes).unwrap();
    let (section, sections) = sections_of(&engine, "rarissime", "long");
    // The snippet never got that far (no window, no section of the best
    // match), but the positions say where the word is.
    assert_eq!(section, None);
    // Two sections headed « Partie c »: one link, the one with more matches.
    assert_eq!(sections, [at("Partie c", "long.html#c2")]);
    let (section, sections) = sections_of(&engine, "question rarissime", "long");
    assert_eq!(section, Some(at("Partie a", "long.html#a")));
    assert_eq!(sections, [at("Partie a", "long.html#a"), at("Partie b", "long.html#b"), at("Partie c", "long.html#c2")]);
}
