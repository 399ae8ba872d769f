//! Known-item relevance benchmark over the embedded index.
//!
//! ```text
//! RECHERCHE_CORPUS=../shared/corpora/medium.jsonl \
//!   cargo run --release --example relevance -- --corpus ../shared/corpora/medium.jsonl --seed 1 --seed 2
//! ```
//!
//! Queries are generated from the corpus file given with `--corpus`, which
//! must be the corpus the embedded index was built from (checked: same
//! document count, and every document's id, title and body). Each query has
//! one known item, the document it was made from; a hit counts only if its
//! id is that document's id. Five query types, each with `--per-type`
//! queries per seed:
//!
//! - `title`: the title as is;
//! - `title_folded`: the same titles lower-cased and accent-folded;
//! - `title_typo`: a title with one typo (see below);
//! - `passage`: 4 to 6 consecutive words of one body paragraph, joined
//!   by single spaces (punctuation dropped, as a user would type them);
//! - `passage_typo`: the same passages with one typo.
//!
//! Fairness rules (the target must be identifiable):
//! - a title query's target must have a title whose sequence of folded
//!   words (lower-cased, accents folded, punctuation ignored) no other
//!   document's title has; the others are skipped (counted in the output);
//! - a passage must hold at least 2 distinct analysed non-stop terms with
//!   a letter (not only stop words or numbers), and its sequence of folded
//!   words must occur in no other document (title, body or captions);
//!   one passage is drawn per document, a rejected one moves on to the
//!   next document (the rejections are counted).
//!
//! A typo is made in one word of the query, drawn among its words made
//! only of letters, 5 letters or longer and not stop words: one of
//! substitution (a different letter a–z), deletion, insertion (a letter
//! a–z) or transposition of two different adjacent letters, never
//! touching the first letter. Queries without such a word are skipped for
//! that type. Typo titles and typo passages are made from the same ordered
//! draws as the plain ones, so the two are mostly paired.
//!
//! Everything is drawn with splitmix64 from `--seed`: one stream per
//! purpose, so changing one type's count never changes another type's
//! queries. Metrics: MRR@10 (1/rank if the target is in the first ten
//! hits, else 0), success@1, success@10; `overall` is the mean over all
//! queries of the seed. A target outside the first ten is looked for in
//! the first 1,000 hits, to tell "ranked low" from "not matched".
//!
//! Results are printed as a table and merged, per corpus name (the file
//! stem, or `--name`), into `bench/relevance.json` (`--json PATH`,
//! `--no-json`). `--show-misses N` prints, per type and seed, the first N
//! queries whose target is not first, with its rank and the top hit
//! (`--list` prints every query: seed, type, target id, text); the
//! table is followed by diagnostics (MRR@10 per kind of typo, typos that
//! make a corpus word, typos the engine cannot correct because the stems
//! of the word and its misspelling are further apart than the edits it
//! tolerates, targets beaten by another part of their own page).

// The corpus readers are native only (they are not in the wasm module).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use recherche::analysis::{self, fold, is_stop_word, lowercase, raw_words, Mode};
    use recherche::corpus::{self, Document};
    use recherche::engine::Engine;
    use recherche::expand::distance;
    use recherche::options::{SearchOptions, MAX_LIMIT};
    use serde_json::{json, Map, Value};
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    const TYPES: [&str; 5] = ["title", "title_folded", "title_typo", "passage", "passage_typo"];
    const TITLE: usize = 0;
    const TITLE_FOLDED: usize = 1;
    const TITLE_TYPO: usize = 2;
    const PASSAGE: usize = 3;
    const PASSAGE_TYPO: usize = 4;
    const EDITS: [&str; 4] = ["substitution", "deletion", "insertion", "transposition"];
    const DEFAULT_PER_TYPE: usize = 300;
    const TOP: usize = 10;
    /// Shortest word (in letters) a typo is made in.
    const MIN_TYPO_WORD_CHARS: usize = 5;

    // ------------------------------------------------------------------ rng --

    /// splitmix64, one stream per (seed, purpose).
    struct Rng(u64);

    impl Rng {
        fn new(seed: u64, purpose: &str) -> Rng {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in purpose.bytes() {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
            Rng(seed ^ h)
        }

        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// Uniform in `0..n` (n ≥ 1; the modulo bias is below 2⁻⁴⁰ here).
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn shuffle<T>(&mut self, v: &mut [T]) {
            for i in (1..v.len()).rev() {
                let j = self.below(i + 1);
                v.swap(i, j);
            }
        }

        fn letter(&mut self) -> char {
            (b'a' + self.below(26) as u8) as char
        }
    }

    // --------------------------------------------------------------- corpus --

    fn fold_word(w: &str) -> String {
        fold(&lowercase(w))
    }

    /// The corpus as sequences of folded-word ids, for the fairness checks.
    struct Words {
        vocab: HashMap<String, u32>,
        /// Per document: title, body paragraphs, captions.
        docs: Vec<Vec<Vec<u32>>>,
        /// Per word id: the documents holding it, ascending.
        postings: Vec<Vec<u32>>,
        /// Per document: its title's word ids.
        titles: Vec<Vec<u32>>,
    }

    impl Words {
        fn new(docs: &[Document]) -> Words {
            let mut w = Words { vocab: HashMap::new(), docs: Vec::new(), postings: Vec::new(), titles: Vec::new() };
            for (d, doc) in docs.iter().enumerate() {
                let texts = std::iter::once(&doc.title).chain(&doc.body).chain(&doc.captions);
                let paras: Vec<Vec<u32>> = texts.map(|t| raw_words(t).map(|r| w.intern(r.text, d as u32)).collect()).collect();
                w.titles.push(paras[0].clone());
                w.docs.push(paras);
            }
            w
        }

        fn intern(&mut self, word: &str, doc: u32) -> u32 {
            let f = fold_word(word);
            let next = self.vocab.len() as u32;
            let id = *self.vocab.entry(f).or_insert(next);
            if id as usize == self.postings.len() {
                self.postings.push(Vec::new());
            }
            let p = &mut self.postings[id as usize];
            if p.last() != Some(&doc) {
                p.push(doc);
            }
            id
        }

        fn id(&self, word: &str) -> Option<u32> {
            self.vocab.get(&fold_word(word)).copied()
        }

        /// Whether a document other than `doc` holds the folded word sequence.
        fn elsewhere(&self, seq: &[u32], doc: u32) -> bool {
            let rarest = seq.iter().min_by_key(|&&w| self.postings[w as usize].len()).unwrap();
            self.postings[*rarest as usize].iter().filter(|&&d| d != doc).any(|&d| self.docs[d as usize].iter().any(|p| p.windows(seq.len()).any(|win| win == seq)))
        }
    }

    /// Refuses an index built from another corpus.
    fn check_index(engine: &Engine, docs: &[Document], path: &Path) -> Result<(), String> {
        let rebuild = format!(
            "the embedded index was not built from {p}; rebuild it with\n  RECHERCHE_CORPUS={p} cargo run --release --example relevance -- --corpus {p} …",
            p = path.display()
        );
        let n = engine.index().doc_count() as usize;
        if n != docs.len() {
            return Err(format!("embedded index holds {n} documents, {} holds {}: {rebuild}", path.display(), docs.len()));
        }
        for d in docs {
            match engine.document(&d.id) {
                Ok(Some(s)) if s.title == d.title && s.body == d.body => {}
                Ok(Some(_)) => return Err(format!("document {:?} differs between the index and the corpus: {rebuild}", d.id)),
                Ok(None) => return Err(format!("document {:?} is not in the embedded index: {rebuild}", d.id)),
                Err(e) => return Err(format!("reading document {:?} from the index: {e:?}", d.id)),
            }
        }
        Ok(())
    }

    // -------------------------------------------------------------- queries --

    #[derive(Clone)]
    struct Typo {
        original: String,
        typed: String,
        edit: usize,
        /// The misspelt word is itself a word of the corpus.
        real_word: bool,
        /// The stems of the word and of its misspelling are more edits apart
        /// than the engine tolerates for the misspelt word: the engine, which
        /// corrects stems, cannot find the word.
        beyond_budget: bool,
    }

    /// The index term of one word and the typos the engine tolerates for it.
    fn query_term(word: &str) -> Option<(String, u8)> {
        let q = recherche::query::parse(word);
        q.must.first().and_then(|c| c.terms.first()).map(|t| (t.term.clone(), t.max_typos))
    }

    struct Query {
        kind: usize,
        text: String,
        target: u32,
        typo: Option<Typo>,
    }

    /// One typo in one eligible word of `text`, or `None` if it has none.
    fn add_typo(text: &str, rng: &mut Rng, words: &Words) -> Option<(String, Typo)> {
        let eligible: Vec<(usize, &str)> = raw_words(text)
            .filter(|r| r.text.chars().all(char::is_alphabetic) && r.text.chars().count() >= MIN_TYPO_WORD_CHARS && !is_stop_word(&fold_word(r.text)))
            .map(|r| (r.start, r.text))
            .collect();
        if eligible.is_empty() {
            return None;
        }
        let (start, word) = eligible[rng.below(eligible.len())];
        let mut chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        let folded = |c: char| fold_word(&c.to_string());
        let mut edit = rng.below(EDITS.len());
        if edit == 3 {
            let pairs: Vec<usize> = (1..n - 1).filter(|&i| folded(chars[i]) != folded(chars[i + 1])).collect();
            if pairs.is_empty() {
                edit = 0;
            } else {
                let i = pairs[rng.below(pairs.len())];
                chars.swap(i, i + 1);
            }
        }
        match edit {
            0 => {
                let i = 1 + rng.below(n - 1);
                let was = folded(chars[i]);
                let mut c = rng.letter();
                while c.to_string() == was {
                    c = rng.letter();
                }
                chars[i] = c;
            }
            1 => {
                chars.remove(1 + rng.below(n - 1));
            }
            2 => {
                let i = 1 + rng.below(n);
                let c = rng.letter();
                chars.insert(i, c);
            }
            _ => {}
        }
        let typed: String = chars.into_iter().collect();
        let real_word = words.id(&typed).is_some();
        let beyond_budget = match (query_term(word), query_term(&typed)) {
            (Some((a, _)), Some((b, max))) => distance(a.as_bytes(), b.as_bytes()) > max as u32,
            _ => true,
        };
        let out = format!("{}{}{}", &text[..start], typed, &text[start + word.len()..]);
        Some((out, Typo { original: word.to_string(), typed, edit, real_word, beyond_budget }))
    }

    /// Why a passage draw was rejected.
    enum Reject {
        TooShort,
        StopWords,
        Elsewhere,
    }

    /// Rejected passage draws, per reason.
    #[derive(Default)]
    struct Rejected {
        too_short: usize,
        stop_words: usize,
        elsewhere: usize,
    }

    /// Skipped targets, for the report.
    #[derive(Default)]
    struct Skipped {
        titles_shared: usize,
        titles_without_typo_word: usize,
        titles_unchanged_by_folding: usize,
        passages: Rejected,
        passages_without_typo_word: usize,
    }

    /// A passage of 4–6 words of one body paragraph of `doc`.
    fn draw_passage(doc: &Document, d: u32, rng: &mut Rng, words: &Words) -> Result<String, Reject> {
        let k = 4 + rng.below(3);
        let paras: Vec<Vec<&str>> = doc.body.iter().map(|p| raw_words(p).map(|r| r.text).collect()).collect();
        let total: usize = paras.iter().map(|p| (p.len() + 1).saturating_sub(k)).sum();
        if total == 0 {
            return Err(Reject::TooShort);
        }
        let mut j = rng.below(total);
        let mut at = None;
        for (pi, p) in paras.iter().enumerate() {
            let w = (p.len() + 1).saturating_sub(k);
            if j < w {
                at = Some((pi, j));
                break;
            }
            j -= w;
        }
        let (pi, start) = at.unwrap();
        let slice = &paras[pi][start..start + k];
        let text = slice.join(" ");
        let mut content: Vec<String> = analysis::terms(&text, Mode::Query).into_iter().filter(|t| t.chars().any(char::is_alphabetic)).collect();
        content.sort();
        content.dedup();
        if content.len() < 2 {
            return Err(Reject::StopWords);
        }
        let seq: Vec<u32> = slice.iter().map(|w| words.id(w).expect("corpus word")).collect();
        if words.elsewhere(&seq, d) {
            return Err(Reject::Elsewhere);
        }
        Ok(text)
    }

    fn generate(docs: &[Document], words: &Words, seed: u64, per_type: usize) -> (Vec<Query>, Skipped) {
        let mut skipped = Skipped::default();
        let mut out = Vec::new();

        // Titles: only those whose folded word sequence is unique.
        let mut count: HashMap<&[u32], usize> = HashMap::new();
        for t in &words.titles {
            *count.entry(t.as_slice()).or_default() += 1;
        }
        let mut eligible: Vec<u32> = Vec::new();
        for (d, t) in words.titles.iter().enumerate() {
            if !t.is_empty() && count[t.as_slice()] == 1 {
                eligible.push(d as u32);
            } else {
                skipped.titles_shared += 1;
            }
        }
        Rng::new(seed, "titles").shuffle(&mut eligible);
        for &d in eligible.iter().take(per_type) {
            let title = &docs[d as usize].title;
            out.push(Query { kind: TITLE, text: title.clone(), target: d, typo: None });
            let folded = fold(&lowercase(title));
            if folded == *title {
                skipped.titles_unchanged_by_folding += 1;
            }
            out.push(Query { kind: TITLE_FOLDED, text: folded, target: d, typo: None });
        }
        let mut rng = Rng::new(seed, "title typos");
        let mut n = 0;
        for &d in &eligible {
            if n == per_type {
                break;
            }
            match add_typo(&docs[d as usize].title, &mut rng, words) {
                Some((text, typo)) => {
                    out.push(Query { kind: TITLE_TYPO, text, target: d, typo: Some(typo) });
                    n += 1;
                }
                None => skipped.titles_without_typo_word += 1,
            }
        }

        // Passages: one draw per document, in a shuffled order.
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        Rng::new(seed, "passage documents").shuffle(&mut order);
        let mut rng = Rng::new(seed, "passages");
        let mut typo_rng = Rng::new(seed, "passage typos");
        let (mut plain, mut typos) = (0, 0);
        for &d in &order {
            if plain == per_type && typos == per_type {
                break;
            }
            let text = match draw_passage(&docs[d as usize], d, &mut rng, words) {
                Ok(t) => t,
                Err(why) => {
                    let r = &mut skipped.passages;
                    *match why {
                        Reject::TooShort => &mut r.too_short,
                        Reject::StopWords => &mut r.stop_words,
                        Reject::Elsewhere => &mut r.elsewhere,
                    } += 1;
                    continue;
                }
            };
            if typos < per_type {
                match add_typo(&text, &mut typo_rng, words) {
                    Some((t, typo)) => {
                        out.push(Query { kind: PASSAGE_TYPO, text: t, target: d, typo: Some(typo) });
                        typos += 1;
                    }
                    None => skipped.passages_without_typo_word += 1,
                }
            }
            if plain < per_type {
                out.push(Query { kind: PASSAGE, text, target: d, typo: None });
                plain += 1;
            }
        }
        out.sort_by_key(|q| q.kind);
        (out, skipped)
    }

    // ------------------------------------------------------------- measures --

    #[derive(Default, Clone, Copy)]
    struct Stats {
        n: usize,
        rr: f64,
        s1: usize,
        s10: usize,
        /// Target ranked 11th to 1,000th.
        low: usize,
        /// Target not in the first 1,000 hits (usually: not matched).
        absent: usize,
    }

    impl Stats {
        fn add(&mut self, rank: Option<usize>) {
            self.n += 1;
            match rank {
                Some(r) if r <= TOP => {
                    self.rr += 1.0 / r as f64;
                    self.s1 += (r == 1) as usize;
                    self.s10 += 1;
                }
                Some(_) => self.low += 1,
                None => self.absent += 1,
            }
        }

        fn merge(&mut self, o: &Stats) {
            self.n += o.n;
            self.rr += o.rr;
            self.s1 += o.s1;
            self.s10 += o.s10;
            self.low += o.low;
            self.absent += o.absent;
        }

        fn ratio(&self, x: f64) -> f64 {
            if self.n == 0 {
                0.0
            } else {
                (x / self.n as f64 * 10_000.0).round() / 10_000.0
            }
        }

        fn mrr(&self) -> f64 {
            self.ratio(self.rr)
        }

        fn json(&self) -> Value {
            json!({
                "queries": self.n,
                "mrr@10": self.mrr(),
                "success@1": self.ratio(self.s1 as f64),
                "success@10": self.ratio(self.s10 as f64),
                "rank_11_to_1000": self.low,
                "not_in_first_1000": self.absent,
            })
        }

        fn row(&self, name: &str) -> String {
            format!(
                "| {name:<13} | {:>7} | {:>6.3} | {:>6.3} | {:>6.3} | {:>7} | {:>6} |",
                self.n,
                self.mrr(),
                self.ratio(self.s1 as f64),
                self.ratio(self.s10 as f64),
                self.low,
                self.absent
            )
        }
    }

    struct Outcome {
        rank: Option<usize>,
        total: usize,
        relaxed: bool,
        top: Option<(String, String)>,
        /// Seconds taken by the first-page search (not the deeper look-up).
        seconds: f64,
    }

    fn run_query(engine: &Engine, q: &Query, target_id: &str) -> Outcome {
        let top10 = SearchOptions { limit: TOP, ..Default::default() };
        let t = Instant::now();
        let r = engine.search(&q.text, &top10).expect("search");
        let seconds = t.elapsed().as_secs_f64();
        let top = r.hits.first().map(|h| (h.id.clone(), h.title.clone()));
        let mut rank = r.hits.iter().position(|h| h.id == target_id).map(|i| i + 1);
        // Further pages cost a snippet per hit: look 100 deep, then 1,000.
        let mut seen = TOP;
        for limit in [100, MAX_LIMIT] {
            if rank.is_some() || r.total <= seen {
                break;
            }
            let deep = SearchOptions { limit, ..Default::default() };
            let r = engine.search(&q.text, &deep).expect("search");
            rank = r.hits.iter().position(|h| h.id == target_id).map(|i| i + 1);
            seen = limit;
        }
        Outcome { rank, total: r.total, relaxed: r.relaxed, top, seconds }
    }

    /// The page a document id belongs to: parts of a long page are `page#n`.
    fn page(id: &str) -> &str {
        id.split('#').next().unwrap_or(id)
    }

    // ----------------------------------------------------------------- main --

    struct Args {
        corpus: PathBuf,
        name: Option<String>,
        seeds: Vec<u64>,
        per_type: usize,
        show_misses: usize,
        list: bool,
        json: Option<PathBuf>,
    }

    fn usage() -> ! {
        eprintln!(
            "usage: relevance --corpus FILE.jsonl [--seed N]... [--per-type N] [--show-misses N] [--list] [--name NAME] [--json PATH | --no-json]\n\
         The embedded index must be built from the same corpus: RECHERCHE_CORPUS=FILE.jsonl cargo run --release --example relevance -- --corpus FILE.jsonl"
        );
        std::process::exit(2)
    }

    fn parse_args() -> Args {
        let mut a = Args {
            corpus: PathBuf::new(),
            name: None,
            seeds: Vec::new(),
            per_type: DEFAULT_PER_TYPE,
            show_misses: 0,
            list: false,
            json: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/relevance.json")),
        };
        let mut it = std::env::args().skip(1);
        let num = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok()).unwrap_or_else(|| usage());
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--corpus" => a.corpus = it.next().map(PathBuf::from).unwrap_or_else(|| usage()),
                "--name" => a.name = Some(it.next().unwrap_or_else(|| usage())),
                "--seed" => a.seeds.push(num(it.next())),
                "--per-type" => a.per_type = num(it.next()) as usize,
                "--show-misses" => a.show_misses = num(it.next()) as usize,
                "--json" => a.json = Some(it.next().map(PathBuf::from).unwrap_or_else(|| usage())),
                "--no-json" => a.json = None,
                "--list" => a.list = true,
                "-h" | "--help" => usage(),
                _ => {
                    eprintln!("unknown argument {arg:?}");
                    usage()
                }
            }
        }
        if a.corpus.as_os_str().is_empty() {
            usage()
        }
        if a.seeds.is_empty() {
            a.seeds = vec![1, 2];
        }
        a
    }

    pub fn main() {
        let args = parse_args();
        let started = Instant::now();
        let corpus = corpus::load(&args.corpus).unwrap_or_else(|e| {
            eprintln!("relevance: {e}");
            std::process::exit(1)
        });
        let docs = corpus.documents;
        let engine = Engine::embedded_with_files().expect("embedded index");
        if let Err(e) = check_index(&engine, &docs, &args.corpus) {
            eprintln!("relevance: {e}");
            std::process::exit(1)
        }
        let name = args.name.clone().unwrap_or_else(|| args.corpus.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "corpus".into()));
        let words = Words::new(&docs);
        let prepared = started.elapsed().as_secs_f64();

        println!("known-item relevance: {name} ({} documents), {} queries per type and seed", docs.len(), args.per_type);
        let mut per_seed = Map::new();
        let mut generate_s = 0.0;
        let mut query_s = 0.0;
        let mut search_s = 0.0;
        let mut n_queries = 0;
        for &seed in &args.seeds {
            let t = Instant::now();
            let (queries, skipped) = generate(&docs, &words, seed, args.per_type);
            generate_s += t.elapsed().as_secs_f64();

            if args.list {
                for q in &queries {
                    println!("query\t{seed}\t{}\t{}\t{}", TYPES[q.kind], docs[q.target as usize].id, q.text);
                }
            }

            let t = Instant::now();
            let outcomes: Vec<Outcome> = queries.iter().map(|q| run_query(&engine, q, &docs[q.target as usize].id)).collect();
            query_s += t.elapsed().as_secs_f64();
            n_queries += queries.len();

            let mut stats = [Stats::default(); 5];
            let mut by_edit = [[Stats::default(); 4]; 2];
            let mut real_words = [0usize; 2];
            let mut beyond = [Stats::default(); 2];
            let mut relaxed = [0usize; 5];
            let mut seconds = [0f64; 5];
            let mut same_page = [0usize; 5];
            for (q, o) in queries.iter().zip(&outcomes) {
                let target = &docs[q.target as usize].id;
                if let Some((top, _)) = &o.top {
                    same_page[q.kind] += (o.rank != Some(1) && page(top) == page(target)) as usize;
                }
                stats[q.kind].add(o.rank);
                relaxed[q.kind] += o.relaxed as usize;
                seconds[q.kind] += o.seconds;
                search_s += o.seconds;
                if let Some(t) = &q.typo {
                    let k = (q.kind == PASSAGE_TYPO) as usize;
                    by_edit[k][t.edit].add(o.rank);
                    real_words[k] += t.real_word as usize;
                    if t.beyond_budget {
                        beyond[k].add(o.rank);
                    }
                }
            }
            let mut overall = Stats::default();
            stats.iter().for_each(|s| overall.merge(s));

            println!("\nseed {seed}");
            println!("| type          | queries | MRR@10 |    S@1 |   S@10 | rank>10 | absent | ms/query |");
            println!("|---------------|--------:|-------:|-------:|-------:|--------:|-------:|---------:|");
            let ms = |secs: f64, n: usize| secs * 1000.0 / n.max(1) as f64;
            for (i, s) in stats.iter().enumerate() {
                println!("{} {:>8.2} |", s.row(TYPES[i]), ms(seconds[i], s.n));
            }
            println!("{} {:>8.2} |", overall.row("overall"), ms(seconds.iter().sum(), overall.n));
            for (k, kind) in [(0, "title_typo"), (1, "passage_typo")] {
                let parts: Vec<String> = EDITS.iter().zip(&by_edit[k]).map(|(e, s)| format!("{e} {:.3} (n={})", s.mrr(), s.n)).collect();
                println!("  {kind} MRR@10 by edit: {}; typo makes a corpus word: {}", parts.join(", "), real_words[k]);
                println!(
                    "  {kind}: {} typos put the stem beyond the engine's typo budget (MRR@10 {:.3}, success@10 {:.3})",
                    beyond[k].n,
                    beyond[k].mrr(),
                    beyond[k].ratio(beyond[k].s10 as f64)
                );
            }
            println!(
                "  not first because another part of the same page (id before '#') is: {}",
                TYPES.iter().zip(&same_page).map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>().join(", ")
            );
            println!(
                "  skipped: {} documents share their (folded) title, {} titles have no typo-able word, {} folded titles equal the title; \
             passages rejected: {} too short, {} stop words/numbers only, {} also in another document; {} passages have no typo-able word",
                skipped.titles_shared,
                skipped.titles_without_typo_word,
                skipped.titles_unchanged_by_folding,
                skipped.passages.too_short,
                skipped.passages.stop_words,
                skipped.passages.elsewhere,
                skipped.passages_without_typo_word
            );

            if args.show_misses > 0 {
                println!("\n  misses (target not first), seed {seed}:");
                for (ki, kind) in TYPES.iter().enumerate() {
                    let misses = queries.iter().zip(&outcomes).filter(|(q, o)| q.kind == ki && o.rank != Some(1));
                    for (q, o) in misses.take(args.show_misses) {
                        let target = &docs[q.target as usize];
                        let rank = match o.rank {
                            Some(r) => format!("rank {r} of {} results", o.total),
                            None if o.total > MAX_LIMIT => format!("beyond 1000 of {} results", o.total),
                            None => format!("not matched ({} results)", o.total),
                        };
                        println!("  [{kind}] {rank}{}: {:?}", if o.relaxed { ", relaxed" } else { "" }, q.text);
                        if let Some(t) = &q.typo {
                            let real = if t.real_word { ", a corpus word" } else { "" };
                            let beyond = if t.beyond_budget { ", stem beyond the typo budget" } else { "" };
                            println!("      typo {} → {} ({}{real}{beyond})", t.original, t.typed, EDITS[t.edit]);
                        }
                        println!("      target {} {:?}", target.id, target.title);
                        if let Some((id, title)) = &o.top {
                            println!("      top    {id} {title:?}");
                        }
                    }
                }
            }

            let mut types = Map::new();
            for (i, s) in stats.iter().enumerate() {
                let mut v = s.json();
                v["relaxed"] = json!(relaxed[i]);
                v["missed_for_another_part_of_its_page"] = json!(same_page[i]);
                v["ms_per_query"] = json!((seconds[i] * 100_000.0 / s.n.max(1) as f64).round() / 100.0);
                if i == TITLE_TYPO || i == PASSAGE_TYPO {
                    let k = (i == PASSAGE_TYPO) as usize;
                    let edits: Map<String, Value> = EDITS.iter().zip(&by_edit[k]).map(|(e, s)| (e.to_string(), s.json())).collect();
                    v["by_edit"] = Value::Object(edits);
                    v["typo_is_a_corpus_word"] = json!(real_words[k]);
                    v["stem_beyond_typo_budget"] = beyond[k].json();
                }
                types.insert(TYPES[i].to_string(), v);
            }
            per_seed.insert(
                seed.to_string(),
                json!({
                    "types": types,
                    "overall": overall.json(),
                    "skipped": {
                        "documents_sharing_their_title": skipped.titles_shared,
                        "titles_without_typo_word": skipped.titles_without_typo_word,
                        "folded_titles_equal_to_title": skipped.titles_unchanged_by_folding,
                        "passages_too_short": skipped.passages.too_short,
                        "passages_stop_words_or_numbers": skipped.passages.stop_words,
                        "passages_also_in_another_document": skipped.passages.elsewhere,
                        "passages_without_typo_word": skipped.passages_without_typo_word,
                    },
                }),
            );
        }
        let total_s = started.elapsed().as_secs_f64();
        println!(
            "\nruntime: {total_s:.1} s (load and check {prepared:.1} s, generation {generate_s:.1} s, {n_queries} queries {query_s:.1} s \
         of which first pages {search_s:.1} s = {:.2} ms per query, the rest looking for targets beyond the first page)",
            search_s * 1000.0 / n_queries.max(1) as f64
        );

        if let Some(path) = &args.json {
            let mut root: Value = std::fs::read_to_string(path).ok().and_then(|s| serde_json::from_str(&s).ok()).filter(Value::is_object).unwrap_or_else(|| json!({}));
            root["about"] = json!(
            "Known-item relevance (examples/relevance.rs; rules in its header). Per corpus and seed: MRR@10, success@1, success@10 per query type and overall (mean over all queries)."
        );
            if !root["corpora"].is_object() {
                root["corpora"] = json!({});
            }
            root["corpora"][&name] = json!({
                "documents": docs.len(),
                "queries_per_type": args.per_type,
                "seeds": per_seed,
                "runtime_s": {
                    "total": (total_s * 10.0).round() / 10.0,
                    "queries": (query_s * 10.0).round() / 10.0,
                    "ms_per_query": (search_s * 100_000.0 / n_queries.max(1) as f64).round() / 100.0,
                },
            });
            let text = serde_json::to_string_pretty(&root).expect("json") + "\n";
            std::fs::write(path, text).unwrap_or_else(|e| {
                eprintln!("relevance: cannot write {}: {e}", path.display());
                std::process::exit(1)
            });
            println!("wrote {} ({name})", path.display());
        }
    }
}
