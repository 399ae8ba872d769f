//! Phrase matching and the proximity bonus: the two things that read
//! term positions (a section of the index of its own, read only here and
//! for the sections a hit matched in).
//!
//! Both work on the index alone and return `(document, weight)` lists; the
//! engine (`crate::engine`) adds them to its per-document scores. The
//! weights are those of [`crate::rank`].
//!
//! ## Phrases
//!
//! A phrase clause (`"dépenses de défense"`, or a compound such as
//! `États-Unis`) matches a document where its terms stand at their
//! offsets ([`QueryTerm::offset`], stop words counted), all in one field
//! (title, body or captions). [`phrase`] finds them in three steps:
//!
//! 1. Each distinct term is looked up once. A term missing from the
//!    dictionary ends the search: no document can match.
//! 2. Rarest first (smallest document frequency), documents are
//!    intersected on the postings alone, without positions: the rarest
//!    term's documents, then those of them the next term has, and so on.
//!    An empty intersection ends the search.
//! 3. Only then are positions copied, per distinct term, for the
//!    documents left; per field, an occurrence of the first term at `p`
//!    counts when every other term stands at `p + offset`.
//!
//! The occurrences per field are weighed by BM25F
//! ([`RankingParams::weight`]) with the sum of the idfs of the phrase's
//! words, then by each distinct term's accents
//! ([`RankingParams::accent_factor`] over that term's occurrences in the
//! document), as for a single word. The cost is bounded by the postings
//! of [`crate::query::MAX_PHRASE_TERMS`] terms, plus positions for the
//! documents that have them all.
//!
//! ## Proximity
//!
//! Unquoted, `dépenses de défense` is two words; a document where they
//! stand as in the query should still rank above one where they are
//! pages apart. [`proximity`] looks at each pair of consecutive clauses
//! (neither a phrase) whose query positions are at most
//! [`MAX_PROXIMITY_DISTANCE`] apart (`de` is a stop word: the distance is
//! 2), and finds, in the candidate documents, the occurrences of the
//! first word followed by the second at that same distance, in one field.
//! Positions are read for the candidates only: the first word's, then the
//! second word's for the documents that have the first. Each document
//! with such occurrences gains [`RankingParams::proximity_bonus`] (BM25F of
//! the pairs, with the two words' idfs summed) per pair of query words; a
//! pair repeated in the query counts once.

use crate::index::read::Index;
use crate::index::{IndexError, TITLE};
use crate::query::{Clause, QueryTerm};
use crate::rank::{RankingParams, MAX_PROXIMITY_DISTANCE};

/// A term's positions per field, per document, in document order.
type DocPositions = Vec<(u32, [Vec<u32>; 3])>;

/// The positions of `doc` in `m`.
fn find(m: &DocPositions, doc: u32) -> Option<&[Vec<u32>; 3]> {
    m.binary_search_by_key(&doc, |(d, _)| *d).ok().map(|i| &m[i].1)
}

/// The document frequency of the term at `offset`, and its positions per
/// field for the documents `wanted` accepts, in document order (look
/// documents up with [`find`]).
fn positions(index: &Index, offset: u64, wanted: impl Fn(u32) -> bool) -> Result<(u32, DocPositions), IndexError> {
    let mut p = index.postings_with_positions(offset)?;
    let df = p.len() as u32;
    let mut out = Vec::new();
    while let Some(e) = p.next_entry()? {
        if wanted(e.doc) {
            out.push((e.doc, [p.positions(0).to_vec(), p.positions(1).to_vec(), p.positions(2).to_vec()]));
        }
    }
    Ok((df, out))
}

/// Occurrences per field of `first` followed, `gap` positions later, by `second`.
fn adjacent(first: &[Vec<u32>; 3], second: &[Vec<u32>; 3], gap: u32) -> [u32; 3] {
    let mut tf = [0u32; 3];
    for f in 0..3 {
        tf[f] = first[f].iter().filter(|&&p| second[f].binary_search(&(p + gap)).is_ok()).count() as u32;
    }
    tf
}

/// One document a phrase matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseHit {
    pub doc: u32,
    /// The phrase's weight in it (BM25F times the accent factors).
    pub weight: f32,
    /// The phrase stands in its title.
    pub in_title: bool,
}

/// What a phrase matched.
#[derive(Debug, Clone, PartialEq)]
pub struct PhraseMatch<'q> {
    /// The documents, in document order.
    pub hits: Vec<PhraseHit>,
    /// The phrase's distinct terms, in query order (for highlighting),
    /// with their postings offsets; empty when no document matched.
    pub terms: Vec<(&'q str, u64)>,
}

/// A term a query matched, for the query word (clause) number `word`.
/// Highlighting looks for its name; what reads its postings again (the
/// proximity bonus, a hit's sections) takes its `offset`, never looks it
/// up by name: a correction's term (`canadienne` for `cainadienne`) may
/// lie in a dictionary shard the query never read, and a split index
/// would fetch that shard in a round of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedTerm {
    pub term: String,
    pub word: usize,
    /// Postings offset.
    pub offset: u64,
}

/// The documents where `terms` (a phrase or compound clause) stand at
/// their offsets in one field, with their weights (see the module
/// documentation). Without `weigh_accents`, the spelling of each occurrence is
/// not read and does not weigh: an exclusion needs which documents, not
/// how well they match (and a split index then fetches no accent
/// variants for it).
pub fn phrase<'q>(index: &Index, params: &RankingParams, terms: &'q [QueryTerm], weigh_accents: bool) -> Result<PhraseMatch<'q>, IndexError> {
    let none = || PhraseMatch { hits: Vec::new(), terms: Vec::new() };
    // Distinct terms: (first query term with it, postings offset, df).
    let mut distinct: Vec<(&QueryTerm, u64, u32)> = Vec::new();
    let mut slot = Vec::with_capacity(terms.len());
    for t in terms {
        let i = match distinct.iter().position(|(d, _, _)| d.term == t.term) {
            Some(i) => i,
            None => {
                let Some(offset) = index.term(&t.term) else {
                    return Ok(none());
                };
                distinct.push((t, offset, index.doc_freq(offset)?));
                distinct.len() - 1
            }
        };
        slot.push(i);
    }
    // Documents with every term, rarest term first.
    let order = crate::sort::order(distinct.len(), &|a, b| distinct[a].2.cmp(&distinct[b].2));
    let mut docs: Vec<u32> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let mut p = index.postings(distinct[i as usize].1)?;
        let mut next = Vec::with_capacity(if k == 0 { p.len() as usize } else { docs.len() });
        while let Some(e) = p.next_entry()? {
            if k == 0 || docs.binary_search(&e.doc).is_ok() {
                next.push(e.doc);
            }
        }
        docs = next;
        if docs.is_empty() {
            return Ok(none());
        }
    }
    // Positions of each distinct term, for those documents only.
    let mut per_term: Vec<DocPositions> = Vec::with_capacity(distinct.len());
    for &(_, offset, _) in &distinct {
        per_term.push(positions(index, offset, |d| docs.binary_search(&d).is_ok())?.1);
    }
    let n = index.doc_count();
    let idf_sum: f32 = slot.iter().map(|&i| params.idf(n, distinct[i].2)).sum();
    let avg = index.avg_lengths();
    let mut hits: Vec<PhraseHit> = Vec::new();
    for &doc in &docs {
        let Some(pos) = per_term.iter().map(|m| find(m, doc)).collect::<Option<Vec<_>>>() else {
            continue;
        };
        let mut tf = [0u32; 3];
        for (f, n) in tf.iter_mut().enumerate() {
            let first = &pos[slot[0]][f];
            *n = first.iter().filter(|&&p0| terms.iter().zip(&slot).skip(1).all(|(t, &i)| p0.checked_add(t.offset).is_some_and(|p| pos[i][f].binary_search(&p).is_ok()))).count()
                as u32;
        }
        if tf.iter().any(|&n| n > 0) {
            hits.push(PhraseHit { doc, weight: params.weight(idf_sum, tf, index.field_lengths(doc), avg), in_title: tf[TITLE] > 0 });
        }
    }
    if hits.is_empty() {
        return Ok(none());
    }
    // Accents: each word's spelling weighs as for a single word.
    let mut matched = Vec::with_capacity(distinct.len());
    let mut accents = vec![0u32; hits.len()];
    for ((t, offset, _), m) in distinct.iter().zip(&per_term) {
        matched.push((t.term.as_str(), *offset));
        if !weigh_accents {
            continue;
        }
        // Occurrences with the query's spelling, per hit (`hits` is in
        // document order).
        accents.iter_mut().for_each(|a| *a = 0);
        index.accented_counts(&t.term, t.accented.as_deref(), &mut |doc, tf| {
            if let Ok(i) = hits.binary_search_by_key(&doc, |h| h.doc) {
                accents[i] = accents[i].saturating_add(tf);
            }
        })?;
        for (h, &accented) in hits.iter_mut().zip(&accents) {
            let Some(p) = find(m, h.doc) else { continue };
            let tf = [p[0].len() as u32, p[1].len() as u32, p[2].len() as u32];
            h.weight *= params.accent_factor(tf, accented, t.accented.is_some());
        }
    }
    Ok(PhraseMatch { hits, terms: matched })
}

/// The proximity bonuses of `candidates` (sorted) for the required
/// `clauses` of a query (see the module documentation), as `(document,
/// bonus)` in the order they are to be added to the scores: pair by pair
/// of query words, each in document order. A document may appear once per
/// pair. `matched` lists the terms the query matched, first matched first: a word is taken as the first term it
/// matched (itself, or else its most frequent completion or its closest
/// correction), so that a passage typed with a typo still gains from its
/// other words standing together. Empty when
/// [`RankingParams::proximity_weight`] is 0.
pub fn proximity(index: &Index, params: &RankingParams, clauses: &[Clause], matched: &[MatchedTerm], candidates: &[u32]) -> Result<Vec<(u32, f32)>, IndexError> {
    let mut bonuses = Vec::new();
    if params.proximity_weight <= 0.0 {
        return Ok(bonuses);
    }
    let offset_of = |ci: usize| matched.iter().find(|m| m.word == ci).map(|m| m.offset);
    let avg = index.avg_lengths();
    let mut done: Vec<(u64, u64, u32)> = Vec::new();
    for (ci, pair) in clauses.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        if a.phrase || b.phrase || b.position <= a.position || b.position - a.position > MAX_PROXIMITY_DISTANCE {
            continue;
        }
        let (Some(oa), Some(ob)) = (offset_of(ci), offset_of(ci + 1)) else {
            continue;
        };
        // A pair repeated in the query (`otan otan otan …`) counts once.
        let key = (oa, ob, b.position - a.position);
        if done.contains(&key) {
            continue;
        }
        done.push(key);
        let (dfa, first) = positions(index, oa, |d| candidates.binary_search(&d).is_ok())?;
        let (dfb, second) = positions(index, ob, |d| find(&first, d).is_some())?;
        let idf = params.idf(index.doc_count(), dfa) + params.idf(index.doc_count(), dfb);
        for (doc, pb) in &second {
            let Some(pa) = find(&first, *doc) else {
                continue;
            };
            let tf = adjacent(pa, pb, b.position - a.position);
            if tf.iter().any(|&n| n > 0) {
                bonuses.push((*doc, params.proximity_bonus(idf, tf, index.field_lengths(*doc), avg)));
            }
        }
    }
    Ok(bonuses)
}
