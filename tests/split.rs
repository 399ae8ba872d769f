//! The split layout answers exactly as the embedded one.
//!
//! Both layouts are written from one build of a corpus; the split engine
//! starts with only its root and loads the files it asks for, round after
//! round, as the JS wrapper does. Every fixture query (seeds, with shards
//! forced small so that each kind has many) and every benchmark query
//! (medium, split by `auto` on its own) must give the same JSON: totals,
//! ids, order, scores, facets and snippets. Then the shard directory's
//! invariants, and bad files.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use proptest::prelude::*;
use recherche::corpus;
use recherche::engine::Engine;
use recherche::index::read::Index;
use recherche::index::shards::{file_hash, parse_name, Kind, PREFIX_KEY_BYTES};
use recherche::index::write::{choose_salt, fetched, pack, Builder, Parts, ShardTargets, Split, FINER_STEPS};
use recherche::index::{surface_parts, surface_value, AUTO_SPLIT_BYTES};
use recherche::options::{self, Value as Opt};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

fn parts(path: &Path) -> Parts {
    let c = corpus::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut b = Builder::new();
    for d in c.documents {
        b.add(d).unwrap();
    }
    b.parts(&b.counts()).unwrap()
}

/// Tiny shards: every kind cut into many, positions read by byte range
/// (in files of several postings chunks).
const SMALL: ShardTargets =
    ShardTargets { postings: 256, positions: 256, variant_postings: 64, dictionary: 64, words: 64, ids: 16, stored: 1, max_files: 100_000, range_above: 0, ranged_files: 1024 };

struct Layouts {
    embedded: &'static [u8],
    split: &'static Split,
    /// Medium only: split with a cap on files that its stored text must
    /// fit under (see [`capped_stored_text_reads_the_same`]).
    capped: Option<&'static Split>,
    /// Each term's postings offset in the embedded layout → in the split
    /// one (which moves them: its positions records start with a checksum).
    moved: HashMap<u64, u64>,
}

impl Layouts {
    /// A postings offset of the embedded layout, in the split one.
    fn moved(&self, offset: u64) -> u64 {
        self.moved[&offset]
    }
}

fn moved(p: &Parts) -> HashMap<u64, u64> {
    let c = p.with_record_checksums().unwrap();
    assert!(c.checksummed && !p.checksummed);
    p.terms.iter().zip(&c.terms).map(|(a, b)| (a.1, b.1)).collect()
}

/// The file cap of [`Layouts::capped`]: far below medium's other shards,
/// so its stored text gets half of it, fewer files than its target makes.
const CAP: usize = 8;

fn seeds() -> &'static Layouts {
    static L: OnceLock<Layouts> = OnceLock::new();
    L.get_or_init(|| {
        let p = parts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"));
        Layouts { embedded: Box::leak(p.embedded().unwrap().0.into_boxed_slice()), split: Box::leak(Box::new(p.split(&SMALL).unwrap())), capped: None, moved: moved(&p) }
    })
}

fn site() -> &'static Layouts {
    static L: OnceLock<Layouts> = OnceLock::new();
    L.get_or_init(|| {
        let p = parts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site"));
        assert!(p.has_sections);
        Layouts { embedded: Box::leak(p.embedded().unwrap().0.into_boxed_slice()), split: Box::leak(Box::new(p.split(&SMALL).unwrap())), capped: None, moved: moved(&p) }
    })
}

fn medium_parts() -> &'static Parts {
    static P: OnceLock<Parts> = OnceLock::new();
    P.get_or_init(|| parts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/medium.jsonl")))
}

/// Medium, split as build.rs splits it: at the fitted targets.
fn medium() -> &'static Layouts {
    static L: OnceLock<Layouts> = OnceLock::new();
    L.get_or_init(|| {
        let p = medium_parts();
        let embedded = p.embedded().unwrap().0;
        assert!(embedded.len() > AUTO_SPLIT_BYTES, "medium is split by auto: {} bytes", embedded.len());
        let capped = Some(&*Box::leak(Box::new(p.split(&ShardTargets { max_files: CAP, ..ShardTargets::DEFAULT }).unwrap())));
        let split = p.split(&p.fitted(&ShardTargets::DEFAULT)).unwrap();
        Layouts { embedded: Box::leak(embedded.into_boxed_slice()), split: Box::leak(Box::new(split)), capped, moved: moved(p) }
    })
}

/// Files of one kind in a split.
fn files_of(s: &Split, kind: Kind) -> usize {
    s.files.iter().filter(|(n, _)| n.starts_with(kind.letter())).count()
}

/// A split engine with only its root loaded.
fn split_engine(s: &'static Split) -> Engine<'static> {
    Engine::open(&s.root).unwrap()
}

/// Runs `f` on a split engine, loading what it asks for, as the JS
/// wrapper does. Returns the answer and the names of the files each
/// round of fetching loaded before it (so `f` ran once more than that).
fn rounds<T>(engine: &Engine<'static>, s: &'static Split, f: impl Fn(&Engine<'static>) -> Result<T, recherche::index::IndexError>) -> (T, Vec<Vec<String>>) {
    let files: HashMap<&str, &'static [u8]> = s.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let mut loaded = Vec::new();
    for _ in 1..=8 {
        match f(engine) {
            Ok(v) => return (v, loaded),
            Err(e) => {
                let wanted = engine.wanted_files();
                assert!(!wanted.is_empty(), "an error that is not a missing file: {e}");
                for name in &wanted {
                    engine.load_file(name, bytes_of(&files, name)).unwrap();
                }
                loaded.push(wanted);
            }
        }
    }
    panic!("no answer after 8 rounds");
}

/// The bytes a wanted name stands for: a file, or a byte range of one
/// (`x3f09a2c4.bin#1200-3400`), as an HTTP `Range` request gets them; a
/// document's stored-text record (`s…`) inflated, as the JS does.
fn bytes_of(files: &HashMap<&str, &'static [u8]>, name: &str) -> &'static [u8] {
    try_bytes_of(files, name).unwrap_or_else(|| panic!("{name}: no such file or range, or a record that does not inflate"))
}

/// [`bytes_of`], or `None` for a name it cannot give.
fn try_bytes_of(files: &HashMap<&str, &'static [u8]>, name: &str) -> Option<&'static [u8]> {
    match name.split_once('#') {
        None => files.get(name).copied(),
        Some((file, _)) => Some(Box::leak(fetched(name, files.get(file)?)?.into_boxed_slice())),
    }
}

/// A stored-text record inflated, as `DecompressionStream("deflate-raw")`
/// does in the browser.
fn inflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec(bytes).expect("a record inflates")
}

/// [`rounds`], with the number of calls `f` took (rounds of fetching + 1).
fn answer<T>(engine: &Engine<'static>, s: &'static Split, f: impl Fn(&Engine<'static>) -> Result<T, recherche::index::IndexError>) -> (T, usize) {
    let (v, loaded) = rounds(engine, s, f);
    (v, loaded.len() + 1)
}

fn opts(case: &Value) -> options::SearchOptions {
    options::parse(&case.get("options").map(Opt::from).unwrap_or(Opt::Undefined)).expect("valid options")
}

#[test]
fn seeds_fixture_queries_are_identical_in_both_layouts() {
    let l = seeds();
    assert!(l.split.files.len() > 30, "small targets make many shards: {}", l.split.files.len());
    let embedded = Engine::open(l.embedded).unwrap();
    let split = split_engine(l.split);
    let mut checked = 0;
    for case in common::cases() {
        let o = opts(&case);
        let filter = case.get("filter").and_then(Value::as_bool) == Some(true);
        let q = case["query"].as_str().unwrap_or("");
        let expected = if filter { embedded.filter(&o) } else { embedded.search(q, &o) }.unwrap();
        let (got, _) = answer(&split, l.split, |e| if filter { e.filter(&o) } else { e.search(q, &o) });
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(&expected).unwrap(), "{}", case["name"]);
        // The fixture's own expectations hold in the split layout too.
        let again = |q: &str| serde_json::to_value(answer(&split, l.split, |e| e.search(q, &Default::default())).0).unwrap();
        common::check(&case, &serde_json::to_value(&got).unwrap(), &again).unwrap();
        checked += 1;
    }
    assert!(checked > 20);
    // Whole documents, plain and marked.
    for id in ["001_80dbe67e56024610", "003_a15a7d027a6a9886", "absent"] {
        let (d, _) = answer(&split, l.split, |e| e.document(id));
        assert_eq!(serde_json::to_value(d).unwrap(), serde_json::to_value(embedded.document(id).unwrap()).unwrap());
        let (m, _) = answer(&split, l.split, |e| e.marked_document(id, "otan défense"));
        let want = embedded.marked_document(id, "otan défense").unwrap();
        assert_eq!(m.map(|m| (m.body_html, m.captions_html)), want.map(|m| (m.body_html, m.captions_html)));
    }
}

/// The seeds split as [`seeds`] does, but with every positions chunk
/// fetched whole, with its postings (none is longer than `range_above`).
fn seeds_whole() -> &'static Split {
    static S: OnceLock<Split> = OnceLock::new();
    S.get_or_init(|| parts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).split(&ShardTargets { range_above: u32::MAX, ..SMALL }).unwrap())
}

#[test]
fn a_query_takes_at_most_three_rounds_a_typo_four_and_positions_by_range_one_more() {
    // Rounds of fetching: dictionaries, postings (and positions chunks
    // fetched whole), stored text; a word in no dictionary adds its words
    // shard, for typos; positions read by byte range come a round after
    // their postings. A phrase needs them to know its hits: one round
    // more. The proximity bonus of two words only reorders the hits: the
    // page as ranked without it has its stored text fetched with them,
    // in the same round (see `a_page_ranked_before_its_proximity_bonus`).
    for (q, whole, ranged, positions) in [
        ("otan", 3, 3, false),
        ("secur", 3, 3, false),
        ("\"dépenses de défense\"", 3, 4, true),
        ("défense PIB -russie", 3, 3, true),
        ("Royaume-Uni", 3, 4, true),
        ("otan COVID-19", 3, 4, true),
        ("politiq", 3, 3, false),
        ("Washingtn", 4, 4, false),
        ("défense Stoltenbreg", 4, 4, true),
    ] {
        for (split, most, by_range_expected) in [(seeds_whole(), whole, false), (seeds().split, ranged, positions)] {
            // A fresh engine each time: nothing loaded but the root.
            let e = split_engine(split);
            let (r, loaded) = rounds(&e, split, |e| e.search(q, &Default::default()));
            assert!(r.total > 0, "{q}");
            assert!((1..=most).contains(&loaded.len()), "{q}: {} rounds of fetching, expected 1 to {most}: {loaded:?}", loaded.len());
            // Positions come whole, or by record, as the directory says.
            let names = loaded.concat();
            let by_range = names.iter().filter(|n| n.starts_with('x') && n.contains('#')).count();
            let whole_files = names.iter().filter(|n| n.starts_with('x') && !n.contains('#')).count();
            assert!(if by_range_expected { by_range > 0 && whole_files == 0 } else { by_range == 0 }, "{q}: {names:?}");
            // Once loaded, the same query needs nothing more.
            assert_eq!(answer(&e, split, |e| e.search(q, &Default::default())).1, 1, "{q}");
        }
    }
}

/// The proximity bonus of a query's words needs their positions, which,
/// read by byte range, come a round after their postings; the hits are
/// known without them. The page as ranked without the bonus has its
/// stored text asked for with the positions: when the bonus leaves it as
/// it was, the answer needs no round more, and when it brings another
/// document into the page, that document's stored text comes a round
/// later; either way the answer is the one from everything loaded at once
/// (the fixture tests above compare every answer).
#[test]
fn a_page_ranked_before_its_proximity_bonus_has_its_stored_text_fetched_with_the_positions() {
    let l = seeds();
    let split = l.split;
    let embedded = Engine::open(l.embedded).unwrap();
    let (mut same_round, mut a_round_later) = (0, 0);
    for q in ["défense PIB", "sommet Washington", "secrétaire général", "otan russie", "alliance défense", "budget militaire"] {
        let e = split_engine(split);
        let (r, loaded) = rounds(&e, split, |e| e.search(q, &Default::default()));
        let Some(last) = loaded.last() else { continue };
        if r.total == 0 {
            continue;
        }
        // The round that brings positions records brings stored text too.
        let with_positions = loaded.iter().position(|round| round.iter().any(|n| n.starts_with('x') && n.contains('#')));
        let with_stored = loaded.iter().position(|round| round.iter().any(|n| n.starts_with('s')));
        assert_eq!(with_positions, with_stored, "{q}: {loaded:?}");
        same_round += usize::from(last.iter().any(|n| n.starts_with('x')));
        // Nothing after a page the bonus kept but what it brought.
        assert!(loaded.len() <= 4, "{q}: {loaded:?}");
        assert_eq!(r, embedded.search(q, &Default::default()).unwrap(), "{q}");
        // A page of one: the bonus may pick another document than the
        // ranking without it.
        for limit in [1, 2] {
            let opts = options::SearchOptions { limit, ..Default::default() };
            let (r, loaded) = rounds(&split_engine(split), split, |e| e.search(q, &opts));
            assert_eq!(r, embedded.search(q, &opts).unwrap(), "{q}, limit {limit}");
            // The bonus brought a document in: its stored text alone, after.
            if loaded.len() == 4 {
                assert!(loaded[3].iter().all(|n| n.starts_with('s')), "{q}: {loaded:?}");
                a_round_later += 1;
            }
        }
    }
    // Both happen on the seeds (`secrétaire général`, two per page).
    assert!(same_round > 0 && a_round_later > 0, "{same_round} pages found with their positions, {a_round_later} a round later");
}

/// A correction whose term lies in another dictionary shard than the
/// word as typed (a typo in its 2nd or 3rd letter: `cainadienne` for
/// `canadienne`) still takes one round more, not two: the proximity bonus
/// and a hit's sections read the matched term by its postings offset, not
/// by its name in a dictionary shard the plan never asked for.
#[test]
fn a_typo_near_the_start_takes_one_round_more_not_two() {
    let l = seeds();
    let embedded = Engine::open(l.embedded).unwrap();
    for q in ["présence cainadienne", "selcrétaire prévisio se", "dépeses Coére", "proésident notmament du"] {
        let e = split_engine(l.split);
        let (got, calls) = answer(&e, l.split, |e| e.search(q, &Default::default()));
        assert!(got.total > 0, "{q}");
        // One more for positions by byte range (a round after postings).
        assert!(calls <= 6, "{q}: {} rounds of fetching, expected at most 5", calls - 1);
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(embedded.search(q, &Default::default()).unwrap()).unwrap(), "{q}");
    }
}

/// An excluded word or phrase is read for which documents hold it, never
/// for how well: a split index fetches no accent variants file for it
/// (`otan -sécurité` fetched the variant postings of `sécurité`, to weigh
/// nothing; an excluded phrase took a round more for them), and answers
/// as the embedded index.
#[test]
fn an_exclusion_fetches_no_accent_variants() {
    let l = seeds();
    let embedded = Engine::open(l.embedded).unwrap();
    for (q, without) in
        [("otan -sécurité", "otan"), ("alliés -défense", "alliés"), ("-Sécurité otan", "otan"), ("otan -États-Unis", "otan"), ("otan -\"sécurité nationale\"", "otan")]
    {
        let loaded = |q: &str| {
            let (r, loaded) = rounds(&split_engine(l.split), l.split, |e| e.search(q, &Default::default()));
            assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::to_value(embedded.search(q, &Default::default()).unwrap()).unwrap(), "{q}");
            loaded
        };
        let base = loaded(without).concat();
        let with = loaded(q);
        // A phrase's positions come by byte range, a round after postings.
        assert!(with.len() <= 3 + usize::from(q.contains('"')), "{q}: {} rounds", with.len());
        let more: Vec<String> = with.concat().into_iter().filter(|n| !base.contains(n)).collect();
        assert!(!more.is_empty(), "{q}: the exclusion's own files");
        assert!(more.iter().all(|n| !n.starts_with('v')), "{q}: {more:?}");
    }
}

/// A marked document needs only the terms its query matches: no
/// exclusion, proximity bonus or title tier is read for it, so a split
/// index fetches the positions of phrases only, and nothing for an
/// exclusion; the marks are the embedded index's.
#[test]
fn a_marked_document_fetches_only_what_its_marks_need() {
    let l = seeds();
    let embedded = Engine::open(l.embedded).unwrap();
    let id = "001_80dbe67e56024610";
    let marked = |q: &str| {
        let (m, loaded) = rounds(&split_engine(l.split), l.split, |e| e.marked_document(id, q));
        let want = embedded.marked_document(id, q).unwrap().unwrap();
        let m = m.unwrap();
        assert_eq!((&m.body_html, &m.captions_html), (&want.body_html, &want.captions_html), "{q}");
        assert!(m.body_html.iter().any(|p| p.contains("<mark>")), "{q}");
        loaded.concat()
    };
    for q in ["otan défense", "otan défense -russie", "Stoltenberg Washington"] {
        let names = marked(q);
        assert!(names.iter().all(|n| !n.starts_with('x')), "{q}: {names:?}");
    }
    for (q, same) in [("otan -États-Unis", "otan"), ("otan -\"sécurité nationale\" défense", "otan défense")] {
        let (mut a, mut b) = (marked(q), marked(same));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{q}");
    }
    // A phrase's positions are read: they tell which documents it matches.
    assert!(marked("\"dépenses de défense\"").iter().any(|n| n.starts_with('x')));
}

/// An HTML site's hits carry the sections they matched in, read from
/// positions: a split index fetches those with the page's stored text,
/// so a query still takes three rounds (four when its two words' positions
/// are read by byte range for the proximity bonus), and answers as the
/// embedded one.
#[test]
fn site_queries_with_sections_take_three_rounds_and_are_identical() {
    let l = site();
    let embedded = Engine::open(l.embedded).unwrap();
    for q in ["pétanque", "bouteilles huile", "crêpes", "habitants", "bila"] {
        let e = split_engine(l.split);
        let (got, calls) = answer(&e, l.split, |e| e.search(q, &Default::default()));
        let want = embedded.search(q, &Default::default()).unwrap();
        assert!(want.hits.iter().any(|h| !h.sections.is_empty()), "{q}: no hit with sections");
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(&want).unwrap(), "{q}");
        // Two words: their positions, by byte range, a round after postings.
        assert!(calls <= 4 + usize::from(q.contains(' ')), "{q}: {} rounds of fetching", calls - 1);
    }
}

#[test]
fn medium_benchmark_queries_are_identical_in_both_layouts() {
    let l = medium();
    assert!(l.split.files.len() < 1000);
    let embedded = Engine::open(l.embedded).unwrap();
    let split = split_engine(l.split);
    let queries: Value = serde_json::from_str(include_str!("../bench/queries.json")).unwrap();
    for q in queries.as_array().unwrap() {
        let q = q["q"].as_str().unwrap();
        for o in [options::SearchOptions::default(), opts(&serde_json::json!({"options": {"limit": 5, "offset": 5, "sort": "date"}}))] {
            let expected = embedded.search(q, &o).unwrap();
            let (got, _) = answer(&split, l.split, |e| e.search(q, &o));
            assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(&expected).unwrap(), "{q}");
        }
    }
    let o = options::SearchOptions::default();
    assert_eq!(serde_json::to_value(answer(&split, l.split, |e| e.filter(&o)).0).unwrap(), serde_json::to_value(embedded.filter(&o).unwrap()).unwrap());
}

/// Every shard loaded, for direct reads: whole files, and every
/// document's stored-text record (their files are never loaded whole).
fn loaded(s: &'static Split) -> Index<'static> {
    let index = Index::open(&s.root).unwrap();
    for (i, (name, bytes)) in s.files.iter().enumerate() {
        match name.starts_with(Kind::Stored.letter()) {
            true => assert!(index.load(i, bytes).unwrap_err().to_string().contains("one document's record at a time"), "{name}"),
            false => index.load(i, bytes).unwrap(),
        }
    }
    let files: HashMap<&str, &'static [u8]> = s.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    assert!((0..index.doc_count()).all(|d| !index.want_stored(d)));
    let records = index.wanted_records();
    assert_eq!(records.len(), index.doc_count() as usize, "one record per document");
    for name in records {
        let (file, range) = parse_name(&name).unwrap();
        let (a, b) = range.unwrap();
        index.load_record(index.directory().named(file)[0], a, b, bytes_of(&files, &name)).unwrap();
    }
    index.clear_wanted();
    assert!((0..index.doc_count()).all(|d| index.want_stored(d)));
    index
}

#[test]
fn every_term_and_word_is_in_exactly_one_dictionary_shard() {
    use fst::{IntoStreamer, Streamer};
    for (l, name) in [(seeds(), "seeds"), (medium(), "medium")] {
        let whole = Index::open(l.embedded).unwrap();
        let split = loaded(l.split);
        let all = whole.dictionary(b"a").unwrap();
        let dir = split.directory();
        let total = |kind: Kind, pick: usize| dir.of_kind(kind).map(|i| split.dictionary_at(i).map(|d| [&d.terms, &d.surfaces, &d.variants][pick].len()).unwrap()).sum::<usize>();
        // As many entries in the shards as in the whole dictionaries...
        assert_eq!(total(Kind::Dictionary, 0), all.terms.len(), "{name}");
        assert_eq!(total(Kind::Dictionary, 1), all.surfaces.len(), "{name}");
        assert_eq!(total(Kind::Dictionary, 2), all.variants.len(), "{name}");
        assert_eq!(total(Kind::Words, 1), all.surfaces.len(), "{name}");
        assert_eq!(total(Kind::Words, 0) + total(Kind::Words, 2), 0, "{name}");
        // ...each in the shard its key leads to, with the same value (so
        // in exactly one: the counts are equal).
        for (map, pick) in [(&all.terms, 0), (&all.surfaces, 1), (&all.variants, 2)] {
            let mut stream = map.into_stream();
            while let Some((k, v)) = stream.next() {
                // A variant (`term␁accented`) is in its term's shard.
                let own = if pick == 2 { &k[..k.iter().position(|&b| b == 1).unwrap()] } else { k };
                let d = split.dictionary(own).unwrap_or_else(|| panic!("{name}: no shard for {k:?}"));
                let m = [&d.terms, &d.surfaces, &d.variants][pick];
                // Postings offsets move in the split layout (variants' do not).
                let v = match pick {
                    0 => l.moved(v),
                    1 => surface_value(l.moved(surface_parts(v).0), surface_parts(v).1),
                    _ => v,
                };
                assert_eq!(m.get(k), Some(v), "{name}: {:?}", String::from_utf8_lossy(k));
                if pick == 1 {
                    assert_eq!(split.words(k).unwrap().surfaces.get(k), Some(v), "{name}: words shard of {:?}", String::from_utf8_lossy(k));
                }
            }
        }
    }
}

#[test]
fn postings_chunks_hold_whole_terms_and_match_positions_chunks() {
    for (l, id_buckets) in [(seeds(), 2), (medium(), 1)] {
        let whole = Index::open(l.embedded).unwrap();
        let split = loaded(l.split);
        let all = whole.dictionary(b"a").unwrap();
        use fst::{IntoStreamer, Streamer};
        let mut stream = all.terms.into_stream();
        while let Some((k, offset)) = stream.next() {
            let mut a = whole.postings_with_positions(offset).unwrap();
            let mut b = split.postings_with_positions(l.moved(offset)).unwrap();
            assert_eq!(a.len(), b.len());
            while let Some(e) = a.next_entry().unwrap() {
                assert_eq!(Some(e), b.next_entry().unwrap(), "{k:?}");
                for f in 0..3 {
                    assert_eq!(a.positions(f), b.positions(f));
                }
            }
        }
        for d in 0..whole.doc_count() {
            let stored = whole.stored(d).unwrap();
            assert_eq!(stored, split.stored(d).unwrap());
            // Every id is in its bucket.
            assert_eq!(split.doc_by_id(stored.id), Some(d));
        }
        assert_eq!(split.doc_by_id("no such id"), None);
        assert!(split.directory().of_kind(Kind::Ids).len() >= id_buckets);
        assert!(split.wanted().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every prefix of 3 bytes or more has all its words in one dictionary
    /// shard, and every prefix all its words in the words shard of its
    /// first byte: completions and typo corrections read from the split
    /// index are those of the whole one.
    #[test]
    fn every_prefix_range_is_covered_by_one_shard(prefix in "[a-zé0-9]{1,5}") {
        let l = medium();
        let whole = Index::open(l.embedded).unwrap();
        let split = loaded(l.split);
        use fst::{Automaton, IntoStreamer, Streamer};
        let collect = |m: &fst::Map<&[u8]>| {
            let mut out = Vec::new();
            let mut s = m.search(fst::automaton::Str::new(&prefix).starts_with()).into_stream();
            while let Some((k, v)) = s.next() {
                out.push((k.to_vec(), surface_parts(v)));
            }
            out
        };
        let all: Vec<_> = collect(&whole.dictionary(b"a").unwrap().surfaces).into_iter().map(|(k, (o, df))| (k, (l.moved(o), df))).collect();
        if prefix.len() >= PREFIX_KEY_BYTES {
            let part = split.dictionary(prefix.as_bytes()).map(|d| collect(&d.surfaces)).unwrap_or_default();
            prop_assert_eq!(&all, &part);
        }
        let words = split.words(prefix.as_bytes()).map(|d| collect(&d.surfaces)).unwrap_or_default();
        prop_assert_eq!(&all, &words);
        let moved = |v: Vec<recherche::expand::Expansion>| -> Vec<_> { v.into_iter().map(|e| recherche::expand::Expansion { offset: l.moved(e.offset), ..e }).collect() };
        prop_assert_eq!(moved(recherche::expand::prefix(&whole, &prefix, None).unwrap()), recherche::expand::prefix(&split, &prefix, None).unwrap());
        let e = moved(recherche::expand::typos(&whole, &prefix, 2, None).unwrap());
        prop_assert_eq!(e, recherche::expand::typos(&split, &prefix, 2, None).unwrap());
    }
}

#[test]
fn a_bad_file_is_refused_naming_it_and_a_good_one_then_loads() {
    let l = seeds();
    let e = split_engine(l.split);
    let (name, bytes) = &l.split.files[0];
    let truncated = &bytes[..bytes.len() - 1];
    let err = e.load_file(name, truncated).unwrap_err().to_string();
    assert!(err.contains(name.as_str()) && err.contains("truncated"), "{err}");
    let mut altered = bytes.clone();
    altered[0] ^= 1;
    let err = e.load_file(name, Box::leak(altered.into_boxed_slice())).unwrap_err().to_string();
    assert!(err.contains(name.as_str()) && err.contains("hash"), "{err}");
    let err = e.load_file("p0000000000000000.bin", bytes).unwrap_err().to_string();
    assert!(err.contains("p0000000000000000.bin"), "{err}");
    // Nothing was kept from the bad tries: the query still asks for the file.
    let _ = e.search("otan", &Default::default());
    e.load_file(name, bytes).unwrap();
    let (r, _) = answer(&e, l.split, |e| e.search("otan", &Default::default()));
    assert_eq!(r.total, 5);
}

/// Read by byte range, postings and positions chunks are read one term's
/// record at a time, and a positions file holds the chunks of several
/// postings chunks (up to `ranged_files`), which leaves files to stored
/// text; postings chunks keep their size. Read whole, each postings chunk
/// has its positions file, planned with it. Both answer alike (the
/// fixture and round tests above).
#[test]
fn positions_read_by_range_share_files_and_whole_ones_pair_with_postings() {
    let (ranged, whole) = (seeds().split, seeds_whole());
    assert_eq!(files_of(ranged, Kind::Postings), files_of(whole, Kind::Postings));
    assert!(files_of(ranged, Kind::Positions) * 2 <= files_of(ranged, Kind::Postings), "{} positions files", files_of(ranged, Kind::Positions));
    assert_eq!(files_of(whole, Kind::Positions), files_of(whole, Kind::Postings));
    for (split, by_range) in [(ranged, true), (whole, false)] {
        let index = Index::open(&split.root).unwrap();
        let dir = index.directory();
        assert!(dir.of_kind(Kind::Postings).chain(dir.of_kind(Kind::Positions)).all(|j| dir.is_ranged(j) == by_range));
        assert_eq!(dir.positions_of(dir.of_kind(Kind::Postings).start).is_some(), !by_range);
    }
    // Medium, as build.rs splits it (`range_above` 0): every chunk read
    // by range, and positions files that group postings chunks.
    let index = Index::open(&medium().split.root).unwrap();
    let dir = index.directory();
    assert!(dir.of_kind(Kind::Postings).chain(dir.of_kind(Kind::Positions)).all(|j| dir.is_ranged(j)));
    assert!(files_of(medium().split, Kind::Positions) * 8 <= files_of(medium().split, Kind::Postings));
}

/// The records of files of kind `letter` (`p` postings, `x` positions) a
/// split read by range asks for, after the rounds that make them known,
/// and the engine that asked.
fn wanted_records(q: &str, letter: char) -> (Engine<'static>, Vec<String>) {
    let l = seeds();
    let e = split_engine(l.split);
    let files: HashMap<&str, &'static [u8]> = l.split.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    for _ in 0..8 {
        assert!(e.search(q, &Default::default()).is_err(), "{q}: answered before its positions");
        let wanted = e.wanted_files();
        let records: Vec<String> = wanted.iter().filter(|n| n.contains('#') && n.starts_with(letter)).cloned().collect();
        if !records.is_empty() {
            return (e, records);
        }
        for name in &wanted {
            e.load_file(name, bytes_of(&files, name)).unwrap();
        }
    }
    panic!("{q}: no record wanted");
}

/// A document's stored text is fetched alone, by byte range, compressed:
/// inflated, it is checked against its checksum and its place (a
/// document's record in that file), the error names it, and nothing of a
/// refused record is kept. Its file is never loaded whole.
#[test]
fn a_stored_text_record_is_checked_and_its_file_never_loads_whole() {
    let l = seeds();
    let files: HashMap<&str, &'static [u8]> = l.split.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (e, records) = wanted_records("otan", 's');
    assert_eq!(records.len(), 5, "one record per result: {records:?}");
    let name = records[0].as_str();
    let (file, range) = name.split_once('#').unwrap();
    let (a, b) = range.split_once('-').unwrap();
    let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
    // Its length is the compressed record's, what the Range request gets.
    assert_eq!(e.file_len(name), Some(b - a));
    let good = bytes_of(&files, name);
    assert!(good.len() > (b - a) as usize, "inflated, longer than compressed");
    let mut altered = good.to_vec();
    *altered.last_mut().unwrap() ^= 1;
    for bad in [altered.as_slice(), &good[..good.len() - 1], &good[..3], &files[file][a as usize..b as usize]] {
        let err = e.load_file(name, Box::leak(bad.to_vec().into_boxed_slice())).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains("checksum"), "{err}");
    }
    // The right bytes under another place's name: no document's record.
    for other in [format!("{file}#{}-{b}", a + 1), format!("{file}#{a}-{}", b - 1)] {
        let err = e.load_file(&other, good).unwrap_err().to_string();
        assert!(err.contains(&other) && err.contains("not a document's record"), "{err}");
    }
    let err = e.load_file(file, files[file]).unwrap_err().to_string();
    assert!(err.contains(file) && err.contains("one document's record at a time"), "{err}");
    assert!(!e.file_loaded(name));
    assert!(e.search("otan", &Default::default()).is_err());
    assert!(e.wanted_files().contains(&name.to_string()));
    e.load_file(name, good).unwrap();
    e.load_file(name, good).unwrap();
    assert!(e.file_loaded(name));
    let embedded = Engine::open(l.embedded).unwrap();
    let (got, loaded) = rounds(&e, l.split, |e| e.search("otan", &Default::default()));
    assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(embedded.search("otan", &Default::default()).unwrap()).unwrap());
    assert_eq!(loaded.concat().len(), 4, "the other four records: {loaded:?}");
}

/// A stored-text record inflates to its checksum and its text, and to at
/// most `MAX_INFLATE_RATIO` times its length (plus `INFLATE_SLACK`), which
/// the JS enforces: one that would inflate further is stored without
/// compression.
#[test]
fn a_record_never_inflates_past_the_ratio_the_js_allows() {
    use recherche::index::{record_checksum, INFLATE_SLACK, MAX_INFLATE_RATIO};
    let prose = "Le sommet de l’OTAN à Washington a réuni les chefs d’État et de gouvernement des pays membres. ".repeat(3).into_bytes();
    let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    for doc in [Vec::new(), prose.clone(), vec![b'a'; 1 << 20], noise] {
        let packed = pack(&doc);
        let plain = inflate(&packed);
        assert_eq!(plain[..4], record_checksum(&doc).to_le_bytes());
        assert_eq!(plain[4..], doc[..]);
        assert!(plain.len() <= packed.len() * MAX_INFLATE_RATIO + INFLATE_SLACK, "{} bytes from {}", plain.len(), packed.len());
    }
    // Text is compressed; a mebibyte of one letter, which deflate would
    // make a thousand times smaller, is stored.
    assert!(pack(&prose).len() * 2 < prose.len());
    assert!(pack(&vec![b'a'; 1 << 20]).len() > 1 << 20);
    // Every record of medium is within the ratio.
    let p = medium_parts().with_record_checksums().unwrap();
    for w in p.packed_starts.windows(2) {
        let packed = &p.packed[w[0] as usize..w[1] as usize];
        assert!(inflate(packed).len() <= packed.len() * MAX_INFLATE_RATIO + INFLATE_SLACK);
    }
}

/// A postings or positions record fetched alone is checked as a whole
/// file is: its length, its place in its file, its checksum; the error
/// names it, and nothing of a refused record is kept. A whole file (what
/// a host that ignores `Range` sends) answers for its records.
#[test]
fn a_record_is_checked_and_its_whole_file_stands_in_for_it() {
    for (q, letter) in [("\"dépenses de défense\"", 'x'), ("otan", 'p'), ("défense otan", 'p')] {
        record_checks(q, letter);
    }
}

fn record_checks(q: &str, letter: char) {
    let l = seeds();
    let files: HashMap<&str, &'static [u8]> = l.split.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (e, records) = wanted_records(q, letter);
    let name = records[0].as_str();
    let (file, range) = name.split_once('#').unwrap();
    assert!(file.starts_with(letter), "{name}");
    let good = bytes_of(&files, name);
    assert_eq!(e.file_len(name), Some(good.len() as u32));
    assert_eq!(e.file_len(file), Some(files[file].len() as u32));
    let mut altered = good.to_vec();
    *altered.last_mut().unwrap() ^= 1;
    let err = e.load_file(name, Box::leak(altered.into_boxed_slice())).unwrap_err().to_string();
    assert!(err.contains(name) && err.contains("checksum"), "{err}");
    let err = e.load_file(name, &good[..good.len() - 1]).unwrap_err().to_string();
    assert!(err.contains(name) && err.contains("truncated"), "{err}");
    // Another record's bytes under this one's name: not at its place.
    let (a, b) = range.split_once('-').unwrap();
    let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
    if b < files[file].len() as u32 {
        let shifted = format!("{file}#{}-{}", a + 1, b + 1);
        let err = e.load_file(&shifted, bytes_of(&files, &shifted)).unwrap_err().to_string();
        assert!(err.contains(&shifted) && err.contains("checksum"), "{err}");
    }
    // Names that are no record: refused, never a panic.
    let past = format!("{file}#{a}-{}", files[file].len() + 1);
    for bad in [format!("{file}#{b}-{a}"), format!("{file}#0{a}-{b}"), format!("{file}#+{a}-{b}"), format!("{file}#{a}"), format!("{file}#"), past.clone()] {
        assert_eq!(e.file_len(&bad), None, "{bad}");
        assert!(!e.file_loaded(&bad), "{bad}");
        assert!(e.load_file(&bad, good).is_err(), "{bad}");
    }
    // A file that is not read by byte range has no records.
    let dictionary = l.split.files.iter().find(|(n, _)| n.starts_with('d')).unwrap().0.as_str();
    assert!(e.load_file(&format!("{dictionary}#0-4"), &files[dictionary][..4]).is_err());
    // Nothing was kept: the query asks for the same records.
    assert!(!e.file_loaded(name));
    assert!(e.search(q, &Default::default()).is_err());
    assert_eq!(e.wanted_files().into_iter().filter(|n| n.contains('#') && n.starts_with(letter)).collect::<Vec<_>>(), records);
    // The right bytes load, once.
    e.load_file(name, good).unwrap();
    e.load_file(name, good).unwrap();
    assert!(e.file_loaded(name));
    let embedded = Engine::open(l.embedded).unwrap();
    let want = serde_json::to_value(embedded.search(q, &Default::default()).unwrap()).unwrap();
    let (got, _) = rounds(&e, l.split, |e| e.search(q, &Default::default()));
    assert_eq!(serde_json::to_value(&got).unwrap(), want);

    // A host that ignores `Range` sends whole files: loaded as files, they
    // answer for every record in them.
    let (e, records) = wanted_records(q, letter);
    for name in &records {
        let file = name.split_once('#').unwrap().0;
        e.load_file(file, files[file]).unwrap();
        assert!(e.file_loaded(name), "{name}");
    }
    let (got, loaded) = rounds(&e, l.split, |e| e.search(q, &Default::default()));
    assert_eq!(serde_json::to_value(&got).unwrap(), want);
    assert!(loaded.concat().iter().all(|n| !records.iter().any(|r| r.starts_with(n.split('#').next().unwrap()))), "{loaded:?}");
}

#[test]
fn capped_stored_text_reads_the_same() {
    let l = medium();
    let capped = l.capped.unwrap();
    let stored = |s: &Split| files_of(s, Kind::Stored);
    let others = capped.files.len() - stored(capped);
    assert!(stored(capped) < stored(l.split), "{} stored files, {} uncapped", stored(capped), stored(l.split));
    let room = CAP.saturating_sub(others).max(CAP / 2);
    assert!(stored(capped) <= room, "the stored text takes the room left: {} of {room} files", stored(capped));
    let embedded = Engine::open(l.embedded).unwrap();
    let split = split_engine(capped);
    let queries: Value = serde_json::from_str(include_str!("../bench/queries.json")).unwrap();
    let mut ids = Vec::new();
    for q in queries.as_array().unwrap().iter().take(12) {
        let q = q["q"].as_str().unwrap();
        let o = options::SearchOptions::default();
        let (got, _) = answer(&split, capped, |e| e.search(q, &o));
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(embedded.search(q, &o).unwrap()).unwrap(), "{q}");
        ids.extend(got.hits.into_iter().map(|h| h.id));
    }
    assert!(ids.len() > 20);
    for id in ids {
        let (got, _) = answer(&split, capped, |e| e.document(&id));
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(embedded.document(&id).unwrap()).unwrap(), "{id}");
    }
}

/// `fitted` picks the finest step whose split, built in full, has no
/// more files than the cap and as many stored-text files as with no cap
/// at all; caps chosen between the steps' file counts pin each choice.
#[test]
fn fitted_targets_are_the_finest_that_leave_stored_text_uncapped() {
    let p = medium_parts();
    let d = ShardTargets::DEFAULT;
    let uncapped = |t: ShardTargets| p.split(&ShardTargets { max_files: usize::MAX, ..t }).unwrap();
    let steps: Vec<Split> = (0..=FINER_STEPS).map(|k| uncapped(d.finer(k))).collect();
    let counts: Vec<usize> = steps.iter().map(|s| s.files.len()).collect();
    assert!(counts.windows(2).all(|w| w[0] < w[1]), "finer steps make more files: {counts:?}");
    let last = &steps[FINER_STEPS as usize];
    assert!(files_of(last, Kind::Postings) > 4 * files_of(&steps[0], Kind::Postings), "{counts:?}");
    assert_eq!(files_of(last, Kind::Stored), files_of(&steps[0], Kind::Stored), "stored text keeps its target");
    // Below the coarsest count, and just below, at or just above each
    // step's. Just below the finest, stored text fits in the half of the
    // cap it is always given: only the count of files rules that step out.
    let mut caps = vec![(counts[0] - 1, 0)];
    for (k, &n) in counts.iter().enumerate() {
        if k > 0 {
            caps.push((n - 1, k as u32 - 1));
        }
        caps.push((n, k as u32));
        caps.push((n + 1, k as u32));
    }
    assert!(files_of(last, Kind::Stored) <= (counts[FINER_STEPS as usize] - 1) / 2, "the case above is reached: {counts:?}");
    for (cap, want) in caps {
        let base = ShardTargets { max_files: cap, ..d };
        let got = p.fitted(&base);
        assert_eq!(got, base.finer(want), "cap {cap}, counts {counts:?}");
        let s = p.split(&got).unwrap();
        if want > 0 || cap >= counts[0] {
            assert_eq!(s.files.len(), counts[want as usize], "cap {cap}");
            assert!(s.files.len() <= cap);
        } else {
            // Stored text keeps the room left, or half the cap.
            let stored = files_of(&s, Kind::Stored);
            assert!(stored <= cap.saturating_sub(s.files.len() - stored).max(cap / 2), "cap {cap}: {stored} stored files");
        }
    }
    // Build's choice for medium: the finest step, which fits in 990.
    assert_eq!(p.fitted(&d), d.finer(FINER_STEPS));
    assert_eq!(medium().split.files.len(), counts[FINER_STEPS as usize]);
}

/// File names are 32-bit hashes: two different shards of one kind that
/// would share one get another salt, so an index never has one name for
/// two contents.
#[test]
fn colliding_shard_names_get_another_salt() {
    // Two different contents with the same unsalted hash, by brute force
    // (about ten such pairs among 300,000 numbers).
    let mut seen: HashMap<u32, String> = HashMap::new();
    let (a, b) = (0..300_000u32).map(|i| i.to_string()).find_map(|s| seen.insert(file_hash(0, s.as_bytes()), s.clone()).map(|t| (t, s))).expect("a collision");
    assert_ne!(a, b);
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (salt, hashes) = choose_salt([(Kind::Stored, a), (Kind::Stored, b)].into_iter()).unwrap();
    assert_ne!(salt, 0);
    assert_ne!(file_hash(salt, a), file_hash(salt, b));
    assert_eq!(hashes, [file_hash(salt, a), file_hash(salt, b)]);
    // Different kinds have different letters; one content twice is one file.
    assert_eq!(choose_salt([(Kind::Stored, a), (Kind::Postings, b)].into_iter()).unwrap().0, 0);
    assert_eq!(choose_salt([(Kind::Stored, a), (Kind::Stored, a)].into_iter()).unwrap().0, 0);
}

#[test]
fn large_corpora_keep_under_a_thousand_files_of_200_kb() {
    // Medium, at the default targets: the large corpus is checked by `make bench`.
    let l = medium();
    assert!(l.split.files.len() < 1000);
    let largest = l.split.files.iter().map(|(_, b)| b.len()).max().unwrap();
    assert!(largest < 200_000, "{largest}");
    // Names are content hashes: all distinct here, and stable.
    let mut names: Vec<&String> = l.split.files.iter().map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), l.split.files.len());
}

/// A damaged root is an error, never a panic: every truncation, and bit
/// flips anywhere opened without the checksum (the directory's decoder
/// must hold by itself), searched with whatever files it then accepts.
#[test]
fn a_damaged_root_is_an_error_never_a_panic() {
    let s = seeds().split;
    let root = &s.root;
    for len in 0..root.len() {
        let e = Index::open(&root[..len]).err().unwrap_or_else(|| panic!("truncation to {len} opened"));
        assert!(e.to_string().starts_with("corrupt index: "), "{e}");
    }
    for (i, at) in (0..root.len()).enumerate() {
        let mut bytes = root.clone();
        bytes[at] ^= 1 << (i % 8);
        let r = std::panic::catch_unwind(|| {
            let Ok(engine) = Engine::open_unverified(&bytes) else { return };
            for _ in 0..4 {
                let _ = engine.search("otan défense", &Default::default());
                for name in engine.wanted_files() {
                    // Whole files and records alike (a damaged root may
                    // name ranges past a file, or records that do not
                    // inflate: not fetched, as the JS would fail on them).
                    if let Some(b) = try_bytes_of(&s.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect(), &name) {
                        let _ = engine.load_file(&name, b);
                    }
                }
            }
            let _ = engine.document("001_80dbe67e56024610");
        });
        assert!(r.is_ok(), "panic on a flip at {at}");
        // With the checksum (and the header's own checks), a flip is refused
        // or changes nothing (the offset of an empty section, say).
        if Index::open(&bytes).is_ok() {
            let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let flipped = Engine::open(leaked).unwrap();
            let (got, _) = answer(&flipped, s, |e| e.search("otan défense", &Default::default()));
            let (want, _) = answer(&split_engine(s), s, |e| e.search("otan défense", &Default::default()));
            assert_eq!(serde_json::to_value(got).unwrap(), serde_json::to_value(want).unwrap(), "flip at {at} opened and answers differently");
        }
    }
}

/// A file name leads back to exactly the shards with that name, and
/// nothing else is taken for one.
#[test]
fn file_names_lead_back_to_their_shards() {
    let dir = Index::open(&medium().split.root).unwrap().directory().clone();
    for (i, s) in dir.shards().iter().enumerate() {
        let name = s.file_name();
        let found = dir.named(&name);
        assert!(found.contains(&i), "{name}");
        assert!(found.iter().all(|&j| dir.shards()[j].file_name() == name), "{name}");
        for other in [name.to_uppercase(), name.replace(".bin", ""), format!("{name}x"), format!("+{}", &name[1..]), name.replacen(&name[..1], "q", 1)] {
            assert!(dir.named(&other).is_empty(), "{other}");
        }
    }
}
