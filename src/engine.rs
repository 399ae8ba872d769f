//! The search engine: executes parsed queries over an opened index.
//!
//! ```text
//!  query text ─▶ query::parse ─▶ clauses ─▶ postings (+ prefix/typo expansions, phrases)
//!     ─▶ BM25F scores (rank) ─▶ AND, or relaxed OR ─▶ exclusions ─▶ proximity bonus
//!     ─▶ filters + facet counts ─▶ sort ─▶ page ─▶ snippets ─▶ SearchResult
//! ```
//!
//! Phrases and the proximity bonus are computed by `crate::phrase`; every
//! weight comes from `crate::rank`. Scores and clause masks live in dense
//! per-document buffers reused from query to query, so a query allocates
//! little beyond its results.

use crate::document::{anchored, Document, Section};
use crate::expand;
use crate::facets::{Counter, Resolved};
use crate::index::read::{Index, Stored, SPLIT_SUPPORT};
use crate::index::shards::parse_name;
use crate::index::{IndexError, BODY};
use crate::options::{SearchOptions, Sort};
use crate::phrase::{self, MatchedTerm};
use crate::query::{self, Clause, Query, QueryTerm};
use crate::rank::{self, RankingParams};
use crate::results::{Hit, HitSection, MarkedDocument, SearchResult, MAX_HIT_SECTIONS};
use crate::snippet;
use std::cell::RefCell;

/// The index built from the corpus at compile time.
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// The ranking parameters of this build: [`RankingParams::DEFAULT`] with
/// the settings of `RECHERCHE_RANKING`, checked by `build.rs`.
pub const RANKING: RankingParams = include!(concat!(env!("OUT_DIR"), "/ranking.rs"));

/// Reused per-query buffers, one slot per document.
#[derive(Default)]
struct Scratch {
    score: Vec<f32>,
    /// Bit `i`: required clause `i` matched.
    mask: Vec<u64>,
    excluded: Vec<bool>,
    /// Best score of the clause being evaluated.
    clause: Vec<f32>,
    /// Bit `i`: required clause `i` matched in the title (exactly,
    /// accent-folded, completed or corrected).
    title: Vec<u64>,
    /// The clause being evaluated matched in the title.
    clause_title: Vec<bool>,
    touched: Vec<u32>,
    /// Accented occurrences of the term being evaluated.
    accents: Vec<u32>,
    accents_touched: Vec<u32>,
}

impl Scratch {
    fn reset(&mut self, n: usize) {
        for v in [&mut self.score, &mut self.clause] {
            v.clear();
            v.resize(n, 0.0);
        }
        self.mask.clear();
        self.mask.resize(n, 0);
        self.title.clear();
        self.title.resize(n, 0);
        self.clause_title.clear();
        self.clause_title.resize(n, false);
        self.excluded.clear();
        self.excluded.resize(n, false);
        self.accents.clear();
        self.accents.resize(n, 0);
        self.touched.clear();
        self.accents_touched.clear();
    }

    /// Notes that the clause being evaluated matched `doc` in its title.
    fn in_title(&mut self, doc: u32) {
        self.clause_title[doc as usize] = true;
    }

    fn offer(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        if self.clause[d] == 0.0 {
            self.touched.push(doc);
        }
        if score > self.clause[d] {
            self.clause[d] = score.max(f32::MIN_POSITIVE);
        }
    }
}

/// A search engine over one index.
pub struct Engine<'a> {
    index: Index<'a>,
    params: RankingParams,
    scratch: RefCell<Scratch>,
}

/// A query evaluated: its matching documents as `(document, rank key,
/// score)` (see [`Engine::evaluate`]), whether they are relaxed matches,
/// and the terms it matched.
struct Evaluated {
    q: Query,
    scores: Vec<(u32, u32, f32)>,
    relaxed: bool,
    matched: Matched,
}

/// Bytes `start..end` of a file.
type ByteRange = (u32, u32);

/// Terms a query matched, first matched first.
type Matched = Vec<MatchedTerm>;

impl<'a> Engine<'a> {
    /// Opens an engine over index bytes.
    pub fn open(bytes: &'a [u8]) -> Result<Self, IndexError> {
        Ok(Engine { index: Index::open(bytes)?, params: RANKING, scratch: RefCell::default() })
    }

    /// The engine over the index embedded at build time.
    pub fn embedded() -> Result<Engine<'static>, IndexError> {
        Engine::open(EMBEDDED_INDEX)
    }

    /// For native tools (examples, benchmarks): the index this build
    /// embeds with, if it is a split layout's root, every file of this
    /// build loaded from `OUT_DIR/index` (where `build.rs` wrote them).
    /// (In a browser there is no such folder: the JS API fetches them.)
    /// Stored text is loaded as the JS loads it: each document's record,
    /// inflated.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embedded_with_files() -> Result<Engine<'static>, IndexError> {
        let engine = Engine::embedded()?;
        let dir = std::path::Path::new(env!("OUT_DIR")).join("index");
        let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| IndexError(format!("{name}: {e}")));
        let shards: Vec<_> = engine.index.directory().shards().to_vec();
        for s in shards.iter().filter(|s| s.kind != crate::index::shards::Kind::Stored) {
            let name = s.file_name();
            engine.load_file(&name, Box::leak(read(&name)?.into_boxed_slice()))?;
        }
        for d in 0..engine.index.doc_count() {
            engine.index.want_stored(d);
        }
        let mut files = std::collections::HashMap::new();
        for name in engine.index.wanted_records() {
            let file = parse_name(&name).map_or(name.as_str(), |(f, _)| f);
            if !files.contains_key(file) {
                files.insert(file.to_string(), read(file)?);
            }
            let plain = crate::index::write::fetched(&name, &files[file]).ok_or_else(|| IndexError(format!("{name}: past its file, or does not inflate")))?;
            engine.load_file(&name, Box::leak(plain.into_boxed_slice()))?;
        }
        engine.index.clear_wanted();
        Ok(engine)
    }

    pub fn index(&self) -> &Index<'a> {
        &self.index
    }

    /// Runs `f` over what is loaded. With a split index, if it read any
    /// shard that is not loaded, its result is dropped: the answer is an
    /// error and [`Self::wanted_files`] lists the files to load (with
    /// [`Self::load_file`]) before asking again.
    fn answer<T>(&self, f: impl FnOnce() -> Result<T, IndexError>) -> Result<T, IndexError> {
        self.index.clear_wanted();
        let r = f();
        if self.index.has_wanted() {
            return Err(IndexError(format!("{} index file(s) not loaded yet (see wanted_files)", self.wanted_files().len())));
        }
        r
    }

    /// The files the last call read without having them (a split index),
    /// named as in the shard directory, then the postings and positions records it read
    /// alone, each named with its byte range
    /// (`x3f09a2c4.bin#1200-3400`, see [`crate::index::shards::range_name`]):
    /// load them, then ask again.
    pub fn wanted_files(&self) -> Vec<String> {
        let dir = self.index.directory();
        let mut names: Vec<String> = Vec::new();
        // Shards with the same content share a file: named once.
        for name in self.index.wanted().into_iter().filter_map(|i| dir.get(i)).map(|s| s.file_name()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if SPLIT_SUPPORT {
            // (Two shards sharing a file may name one record twice: the
            // JS fetches each name once.)
            names.extend(self.index.wanted_records());
        }
        names
    }

    /// The shards stored in the file `name` (without a byte range), and
    /// the range if it has one; an error naming it if it is neither a file
    /// of this index nor a range of one.
    fn shards_named(&self, name: &str) -> Result<(Vec<usize>, Option<ByteRange>), IndexError> {
        let not = || IndexError(format!("{name} is not a file of this index"));
        // A module built for an embedded index has no files (and leaves
        // out the code that reads their names).
        if !SPLIT_SUPPORT {
            return Err(not());
        }
        let (file, range) = parse_name(name).ok_or_else(not)?;
        let found = self.index.directory().named(file);
        if found.is_empty() || (range.is_some() && !found.iter().all(|&i| self.index.directory().is_ranged(i))) {
            return Err(not());
        }
        Ok((found, range))
    }

    /// Whether every shard stored in the file `name` is loaded (false for
    /// a name that is not a file of this index); for a byte range, whether
    /// that record is, alone or with its file.
    pub fn file_loaded(&self, name: &str) -> bool {
        self.shards_named(name).is_ok_and(|(found, range)| {
            found.into_iter().all(|i| match range {
                Some((a, b)) => self.index.is_record_loaded(i, a, b),
                None => self.index.is_loaded(i),
            })
        })
    }

    /// The length in bytes of the file `name`, as the directory gives it,
    /// or of its byte range (None for a name that is not a file of this
    /// index, or a range past its end).
    pub fn file_len(&self, name: &str) -> Option<u32> {
        let (found, range) = self.shards_named(name).ok()?;
        let len = self.index.directory().get(*found.first()?)?.len;
        match range {
            Some((a, b)) => (b <= len).then_some(b - a),
            None => Some(len),
        }
    }

    /// Checks that `bytes` are the shard file `name` (length, content
    /// hash, structure), or the record it names (a postings or positions
    /// record: within the file, its length, checksum; a document's stored
    /// text, inflated: a document's place, checksum), without loading it.
    /// The error names the file.
    pub fn check_file(&self, name: &str, bytes: &[u8]) -> Result<(), IndexError> {
        let (found, range) = self.shards_named(name)?;
        found.into_iter().try_for_each(|i| match range {
            Some((a, b)) => self.index.check_record(i, a, b, bytes),
            None => self.index.check(i, bytes),
        })
    }

    /// Loads the shard file `name` (every shard with that content), or the
    /// record it names, after the checks of [`Self::check_file`].
    pub fn load_file(&self, name: &str, bytes: &'a [u8]) -> Result<(), IndexError> {
        let (found, range) = self.shards_named(name)?;
        found.into_iter().try_for_each(|i| match range {
            Some((a, b)) => self.index.load_record(i, a, b, bytes),
            None => self.index.load(i, bytes),
        })
    }

    /// Runs a query.
    pub fn search(&self, text: &str, opts: &SearchOptions) -> Result<SearchResult, IndexError> {
        self.answer(|| self.search_loaded(text, opts))
    }

    fn search_loaded(&self, text: &str, opts: &SearchOptions) -> Result<SearchResult, IndexError> {
        let Evaluated { q, scores, relaxed, matched } = self.evaluate(text, true)?;
        let sort = opts.sort.unwrap_or(if q.must.is_empty() { Sort::Date } else { Sort::Relevance });
        self.finish(Some(text.to_string()), q, scores, relaxed, sort, opts, &matched)
    }

    /// Evaluates a query: its matching documents with their rank keys, and
    /// the terms it matched (what [`Self::finish`] and highlighting need).
    /// Without `ranked`, only the terms it matched (what highlighting
    /// needs; they do not depend on exclusions or ranking): no document.
    fn evaluate(&self, text: &str, ranked: bool) -> Result<Evaluated, IndexError> {
        let q = query::parse(text);
        crate::plan::plan(&self.index, &q, ranked)?;
        let n = self.index.doc_count() as usize;
        let mut s = self.scratch.borrow_mut();
        s.reset(n);
        let mut matched: Matched = Vec::new();

        for (ci, clause) in q.must.iter().enumerate() {
            self.eval_clause(clause, true, &mut s, &mut matched, ci)?;
            let Scratch { touched, clause: best, score, mask, title, clause_title, .. } = &mut *s;
            for &d in touched.iter() {
                let d = d as usize;
                score[d] += best[d];
                mask[d] |= 1 << ci;
                best[d] = 0.0;
                if clause_title[d] {
                    title[d] |= 1 << ci;
                    clause_title[d] = false;
                }
            }
            touched.clear();
        }
        if !ranked {
            drop(s);
            return Ok(Evaluated { q, scores: Vec::new(), relaxed: false, matched });
        }
        for clause in &q.must_not {
            self.eval_clause(clause, false, &mut s, &mut Vec::new(), usize::MAX)?;
            let Scratch { touched, clause: best, excluded, .. } = &mut *s;
            for &d in touched.iter() {
                excluded[d as usize] = true;
                best[d as usize] = 0.0;
            }
            touched.clear();
            s.clause_title.iter_mut().for_each(|t| *t = false);
        }

        let all: u64 = if q.must.len() >= 64 { u64::MAX } else { (1u64 << q.must.len()) - 1 };
        // Optional clauses (a stop word being typed) count only when alone.
        let optional = q.must.iter().enumerate().filter(|(_, c)| c.optional).fold(0u64, |m, (i, _)| m | 1 << i);
        let full = if optional == all { all } else { all & !optional };
        let mut candidates: Vec<u32> = Vec::new();
        let mut relaxed = false;
        if q.must.is_empty() {
            if !q.must_not.is_empty() {
                candidates = (0..n as u32).filter(|&d| !s.excluded[d as usize]).collect();
            }
        } else {
            candidates = (0..n as u32).filter(|&d| s.mask[d as usize] & full == full && !s.excluded[d as usize]).collect();
            if candidates.is_empty() && q.must.len() > 1 {
                candidates = (0..n as u32).filter(|&d| s.mask[d as usize] != 0 && !s.excluded[d as usize]).collect();
                relaxed = !candidates.is_empty();
            }
            if candidates.len() > 1 && q.must.len() > 1 {
                // In order: a document's bonuses add up as they come.
                for (d, bonus) in phrase::proximity(&self.index, &self.params, &q.must, &matched, &candidates)? {
                    s.score[d as usize] += bonus;
                }
            }
        }
        // Rank key: words matched, then title tiers (see `rank::rank_key`), then score.
        let query_terms: u32 = q.must.iter().filter(|c| !c.optional).map(|c| c.terms.len() as u32).sum();
        let joined = if candidates.is_empty() { Vec::new() } else { self.joined_in_titles(&q)? };
        let scores: Vec<(u32, u32, f32)> = candidates
            .iter()
            .map(|&d| {
                let i = d as usize;
                let query_len = query_terms + joined.get(i).copied().unwrap_or(0);
                let tier = rank::tier(s.title[i] & full == full, self.index.field_lengths(d)[crate::index::TITLE], query_len);
                (d, rank::rank_key(s.mask[i].count_ones(), tier), s.score[i])
            })
            .collect();
        drop(s);
        Ok(Evaluated { q, scores, relaxed, matched })
    }

    /// Per document, how many of the query's compounds written whole
    /// ([`Query::joined`]) its title holds as written whole: a title
    /// length counts each of them once more than its parts (`États-Unis`
    /// is `etat`, `unis` and `etatsun`), so a title written like the
    /// query has the query's terms plus these. Each distinct compound's
    /// postings are read once. Empty when the query has no compound,
    /// which is most queries.
    fn joined_in_titles(&self, q: &Query) -> Result<Vec<u32>, IndexError> {
        let mut count: Vec<u32> = Vec::new();
        for (term, times) in &q.joined {
            let Some(offset) = self.index.term(term) else { continue };
            count.resize(self.index.doc_count() as usize, 0);
            let mut postings = self.index.postings(offset)?;
            while let Some(e) = postings.next_entry()? {
                let c = &mut count[e.doc as usize];
                *c = c.saturating_add(e.tf[crate::index::TITLE].min(*times));
            }
        }
        Ok(count)
    }

    /// Lists the documents passing `opts.filters` (newest first by default).
    pub fn filter(&self, opts: &SearchOptions) -> Result<SearchResult, IndexError> {
        self.answer(|| self.filter_loaded(opts))
    }

    fn filter_loaded(&self, opts: &SearchOptions) -> Result<SearchResult, IndexError> {
        let all = (0..self.index.doc_count()).map(|d| (d, 0, 0.0)).collect();
        self.finish(None, Query::default(), all, false, opts.sort.unwrap_or(Sort::Date), opts, &[])
    }

    /// A whole document by id.
    pub fn document(&self, id: &str) -> Result<Option<Document>, IndexError> {
        self.answer(|| self.document_loaded(id))
    }

    fn document_loaded(&self, id: &str) -> Result<Option<Document>, IndexError> {
        let Some(doc) = self.index.doc_by_id(id) else {
            return Ok(None);
        };
        let s = self.index.stored(doc)?;
        let strings = |v: Vec<&str>| v.into_iter().map(String::from).collect();
        let sections =
            s.sections.iter().map(|x| Section { heading: x.heading.into(), anchor: x.anchor.into(), paragraph: x.paragraph, url: s.url.map(|u| anchored(u, x.anchor)) }).collect();
        Ok(Some(Document {
            id: s.id.into(),
            title: s.title.into(),
            date: s.date,
            updated: s.updated.map(String::from),
            source: s.source.map(String::from),
            url: s.url.map(String::from),
            body: strings(s.body),
            captions: strings(s.captions),
            people: strings(s.people),
            sections,
        }))
    }

    /// A whole document by id, with its paragraphs also as HTML in which
    /// the words `query` matches are marked exactly as in its snippets
    /// (the query is run to know which terms it matched: its prefix
    /// completions and typo variants too).
    pub fn marked_document(&self, id: &str, query: &str) -> Result<Option<MarkedDocument>, IndexError> {
        self.answer(|| self.marked_document_loaded(id, query))
    }

    fn marked_document_loaded(&self, id: &str, query: &str) -> Result<Option<MarkedDocument>, IndexError> {
        // Both are read in one round: the document and what the query matched.
        let document = self.document_loaded(id);
        let matched = self.evaluate(query, false)?.matched;
        let Some(document) = document? else {
            return Ok(None);
        };
        let heads = snippet::heads(matched.iter().map(|m| m.term.as_str()));
        let is_match = |t: &str| matched.iter().find(|m| m.term == t).map(|m| m.word);
        let texts = |v: &[String]| snippet::highlight(&v.iter().map(String::as_str).collect::<Vec<_>>(), &heads, is_match);
        let (body_html, captions_html) = (texts(&document.body), texts(&document.captions));
        Ok(Some(MarkedDocument { document, body_html, captions_html }))
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        query: Option<String>,
        q: Query,
        candidates: Vec<(u32, u32, f32)>,
        relaxed: bool,
        sort: Sort,
        opts: &SearchOptions,
        matched: &[MatchedTerm],
    ) -> Result<SearchResult, IndexError> {
        let facets = self.index.facets();
        let resolved = Resolved::new(&opts.filters, facets);
        let mut counter = Counter::new(facets);
        let mut hits: Vec<(u32, u32, f32)> = Vec::with_capacity(candidates.len());
        for c in candidates {
            let bits = resolved.passes(facets, c.0);
            counter.add(facets, c.0, bits);
            if Resolved::all_pass(bits) {
                hits.push(c);
            }
        }
        let date = |d: u32| facets.date[d as usize];
        // Newer first, undated last.
        let by_date = |a: u32, b: u32| date(b).unwrap_or(i32::MIN).cmp(&date(a).unwrap_or(i32::MIN));
        let total = hits.len();
        // Only the hits up to the end of the page are ordered.
        let k = opts.offset.saturating_add(opts.limit);
        let hits = match sort {
            Sort::Relevance => crate::sort::top_k(hits, k, |a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(by_date(a.0, b.0)).then(a.0.cmp(&b.0))),
            Sort::Date => crate::sort::top_k(hits, k, |a, b| by_date(a.0, b.0).then(b.1.cmp(&a.1)).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0))),
        };
        let page: Vec<_> = hits.into_iter().skip(opts.offset).take(opts.limit).collect();
        let mut out = Vec::with_capacity(page.len());
        let heads = snippet::heads(matched.iter().map(|m| m.term.as_str()));
        // Distinct query words a snippet can find (at most MAX_CLAUSES):
        // a term two words share is taken as the first's (`is_match`
        // below), so `otan otan` finds one, and its snippet's scan stops
        // as soon as `otan`'s would.
        let mut words: Vec<usize> = Vec::new();
        for (k, m) in matched.iter().enumerate() {
            if !words.contains(&m.word) && !matched[..k].iter().any(|n| n.term == m.term) {
                words.push(m.word);
            }
        }
        // A split index: while anything is missing the page is not final,
        // so nothing of it is fetched yet. Then every page document's
        // stored text is asked for at once and, where documents have
        // sections, the positions `section_matches` reads, in the same round.
        //
        // Except when all that is missing is positions and no phrase
        // needs them: the hits are then final, and only the proximity
        // bonus, not yet added, can reorder them. The page as ranked
        // without it is most often the page, so its stored text is asked
        // for with the positions, saving the round after them (positions
        // read by byte range come a round after their postings). A
        // document the bonus brings into the page is fetched a round
        // later; one it pushes out was fetched for nothing.
        if self.index.has_wanted() {
            let phrases = q.must.iter().chain(&q.must_not).any(|c| c.phrase);
            if !phrases && self.index.wants_only(crate::index::shards::Kind::Positions) {
                for &(doc, _, _) in &page {
                    self.index.want_stored(doc);
                }
            }
            return Err(IndexError("index files not loaded".into()));
        }
        let mut loaded = page.iter().fold(true, |all, &(doc, _, _)| self.index.want_stored(doc) & all);
        if self.index.is_split() && self.index.has_sections() && !page.is_empty() {
            for m in matched.iter().take(MAX_SECTION_TERMS) {
                loaded &= self.index.want_postings(m.offset, true);
            }
        }
        if !loaded {
            return Err(IndexError("stored text not loaded".into()));
        }
        let mut stored = Vec::with_capacity(page.len());
        for &(doc, _, _) in &page {
            stored.push(self.index.stored(doc)?);
        }
        let in_sections = self.section_matches(&page, &stored, matched)?;
        for ((s, (_, _, score)), in_sections) in stored.into_iter().zip(page).zip(in_sections) {
            let paragraphs: Vec<&str> = s.body.iter().chain(s.captions.iter()).copied().collect();
            let snippet = snippet::snippet(&paragraphs, &heads, words.len(), |t| matched.iter().find(|m| m.term == t).map(|m| m.word));
            let (section, sections) = hit_sections(&s, snippet.paragraph, &in_sections);
            out.push(Hit {
                id: s.id.into(),
                title: s.title.into(),
                date: s.date,
                source: s.source.map(String::from),
                url: s.url.map(String::from),
                score: rank::round_score(score),
                snippet: snippet.html,
                people: s.people.into_iter().map(String::from).collect(),
                section,
                sections,
            });
        }
        Ok(SearchResult { query, total, relaxed, hits: out, facets: counter.finish(facets), ignored: q.ignored })
    }

    /// For each page document, per section: the query words (bit `w % 64`
    /// for word `w`) and the number of matches in its body, read from the
    /// positions of the terms the query matched (at most
    /// [`MAX_SECTION_TERMS`] of them). Empty for a document without sections.
    fn section_matches(&self, page: &[(u32, u32, f32)], stored: &[Stored], matched: &[MatchedTerm]) -> Result<Vec<Vec<(u64, u32)>>, IndexError> {
        let mut out: Vec<Vec<(u64, u32)>> = Vec::with_capacity(page.len());
        // The page's documents with sections, by document number.
        let mut with: Vec<usize> = Vec::new();
        for (i, s) in stored.iter().enumerate() {
            let n = if matched.is_empty() { 0 } else { s.sections.len() };
            out.push(vec![(0, 0); n]);
            if n > 0 {
                with.push(i);
            }
        }
        if with.is_empty() {
            return Ok(out);
        }
        let mut docs: Vec<(u32, usize)> = Vec::with_capacity(with.len());
        for k in crate::sort::order(with.len(), &|a, b| page[with[a]].0.cmp(&page[with[b]].0)) {
            docs.push((page[with[k as usize]].0, with[k as usize]));
        }
        for (k, &MatchedTerm { offset, word, .. }) in matched.iter().enumerate().take(MAX_SECTION_TERMS) {
            if matched[..k].iter().any(|m| m.offset == offset) {
                continue;
            }
            let mut postings = self.index.postings_with_positions(offset)?;
            let mut next = 0;
            while next < docs.len() {
                let Some(e) = postings.next_entry()? else { break };
                while next < docs.len() && docs[next].0 < e.doc {
                    next += 1;
                }
                let Some(&(_, i)) = docs.get(next).filter(|d| d.0 == e.doc) else { continue };
                let sections = &stored[i].sections;
                for &p in postings.positions(BODY) {
                    if let Some(j) = sections.partition_point(|s| s.position <= p).checked_sub(1) {
                        out[i][j].0 |= 1 << (word % 64);
                        out[i][j].1 += 1;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Scores one clause into `s.clause` / `s.touched`. With `expand`
    /// false (exclusions), only the exact term counts.
    fn eval_clause(&self, clause: &Clause, expand: bool, s: &mut Scratch, matched: &mut Matched, word: usize) -> Result<(), IndexError> {
        if clause.phrase {
            let m = phrase::phrase(&self.index, &self.params, &clause.terms, expand)?;
            for h in m.hits {
                if h.in_title {
                    s.in_title(h.doc);
                }
                s.offer(h.doc, h.weight);
            }
            matched.extend(m.terms.into_iter().map(|(t, offset)| MatchedTerm { term: t.to_string(), word, offset }));
            return Ok(());
        }
        let t = &clause.terms[0];
        let exact = self.index.term(&t.term);
        if let Some(offset) = exact {
            matched.push(MatchedTerm { term: t.term.clone(), word, offset });
            if expand {
                self.load_accents(t, s)?;
                self.score_postings(offset, rank::EXACT_WEIGHT, Some(t.accented.is_some()), s)?;
                self.clear_accents(s);
            } else {
                // An exclusion: which documents, not how well. Its accent
                // variants would weigh nothing (and a split index would
                // fetch their file for nothing).
                self.score_postings(offset, rank::EXACT_WEIGHT, None, s)?;
            }
        }
        if !expand {
            return Ok(());
        }
        let mut expanded = false;
        if t.prefix {
            // Completions of the word as typed, whatever its stem.
            for e in expand::prefix(&self.index, &t.folded, exact)? {
                matched.push(MatchedTerm { term: e.term.clone(), word, offset: e.offset });
                self.score_postings(e.offset, self.params.prefix_weight, None, s)?;
                expanded = true;
            }
        }
        // Corrections of a word not in the corpus as written, even when
        // its stem is a term (`perme`: `perm` matches, and so does
        // `permet`, weighed as a typo).
        if !expanded && crate::plan::corrects(&self.index, t) {
            for e in expand::typos(&self.index, &t.folded, t.max_typos, exact)? {
                matched.push(MatchedTerm { term: e.term.clone(), word, offset: e.offset });
                self.score_postings(e.offset, self.params.typo_factor(e.edits), None, s)?;
            }
        }
        Ok(())
    }

    /// Records, per document, how many occurrences of `t.term` carry the
    /// query's exact spelling (accents), into `s.accents`.
    fn load_accents(&self, t: &QueryTerm, s: &mut Scratch) -> Result<(), IndexError> {
        let Scratch { accents, accents_touched, .. } = s;
        self.index.accented_counts(&t.term, t.accented.as_deref(), &mut |doc, tf| {
            if accents[doc as usize] == 0 {
                accents_touched.push(doc);
            }
            accents[doc as usize] = accents[doc as usize].saturating_add(tf);
        })
    }

    fn clear_accents(&self, s: &mut Scratch) {
        for &d in &s.accents_touched {
            s.accents[d as usize] = 0;
        }
        s.accents_touched.clear();
    }

    /// Scores a term's postings into the clause buffer. `accented` is
    /// `Some(query has accents)` for an exact-term match, whose weight then
    /// depends on how many occurrences have the query's spelling
    /// (`s.accents`, see [`Self::load_accents`] and
    /// [`RankingParams::accent_factor`]).
    fn score_postings(&self, offset: u64, weight: f32, accented: Option<bool>, s: &mut Scratch) -> Result<(), IndexError> {
        let mut postings = self.index.postings(offset)?;
        let idf = self.params.idf(self.index.doc_count(), postings.len() as u32);
        let avg = self.index.avg_lengths();
        while let Some(e) = postings.next_entry()? {
            let mut w = weight * self.params.weight(idf, e.tf, self.index.field_lengths(e.doc), avg);
            if let Some(query_accented) = accented {
                w *= self.params.accent_factor(e.tf, s.accents[e.doc as usize], query_accented);
            }
            // Completions and typo corrections count for the title tier
            // too: a title typed with a typo, or still being typed, is
            // still the title the reader wants.
            if e.tf[crate::index::TITLE] > 0 {
                s.in_title(e.doc);
            }
            s.offer(e.doc, w);
        }
        Ok(())
    }

    /// Opens an engine without checking the index checksum (see
    /// [`Index::open_unverified`]): for fuzzing and corruption tests.
    pub fn open_unverified(bytes: &'a [u8]) -> Result<Self, IndexError> {
        Ok(Engine { index: Index::open_unverified(bytes)?, params: RANKING, scratch: RefCell::default() })
    }
}

/// Most matched terms whose positions are read to find the sections a
/// query matched in (see [`Engine::section_matches`]): exact terms come
/// first, then prefix completions and typo variants.
const MAX_SECTION_TERMS: usize = 64;

/// A hit's sections: the one its snippet's paragraph `window` is in, and
/// the list of [`Hit::sections`] from the query words and matches found
/// in each section (`per`, see [`Engine::section_matches`]).
fn hit_sections(s: &Stored, window: Option<usize>, per: &[(u64, u32)]) -> (Option<HitSection>, Vec<HitSection>) {
    if s.sections.is_empty() {
        return (None, Vec::new());
    }
    let make = |i: usize| {
        let x = &s.sections[i];
        HitSection { heading: x.heading.into(), anchor: x.anchor.into(), url: s.url.map(|u| anchored(u, x.anchor)) }
    };
    // Captions follow the body in the snippet's paragraphs: in no section.
    let first = window.filter(|&p| p < s.body.len()).and_then(|p| s.sections.partition_point(|x| x.paragraph as usize <= p).checked_sub(1));
    let mut chosen: Vec<usize> = first.into_iter().collect();
    while chosen.len() < MAX_HIT_SECTIONS {
        // Most query words, then most matches, then first in the page; one
        // link per heading text (pages repeat headings such as « Format »).
        let mut best: Option<usize> = None;
        for (i, &(words, count)) in per.iter().enumerate() {
            let shown = chosen.iter().any(|&c| s.sections[c].heading == s.sections[i].heading);
            if count > 0 && !shown && best.map_or(true, |b| (words.count_ones(), count) > (per[b].0.count_ones(), per[b].1)) {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        chosen.push(b);
    }
    (first.map(make), chosen.into_iter().map(make).collect())
}
