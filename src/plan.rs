//! Fetch planning for a split index: which shard files a query needs.
//!
//! "The wasm plans, JS fetches": the module runs a query over what is
//! loaded; every shard it reads that is not loaded is recorded as wanted
//! (see [`crate::index::read`]), and instead of an answer the JS wrapper
//! gets the list of files, fetches them (in parallel, deduplicated,
//! cached for the page's life) and asks again. Each round can only ask
//! for files that earlier rounds made reachable, so a query typically
//! takes three:
//!
//! ```text
//!  round 1  dictionary shards      the 3-byte prefix range of each query
//!                                  word (its stem's too, when that differs)
//!  round 2  postings, positions,   for the exact terms and every completion
//!           variant postings       or correction the dictionaries give (and
//!                                  the accents of the exact terms)
//!  round 3  stored text            the result page's documents
//! ```
//!
//! Postings and positions chunks longer than the directory's
//! `range_above` (every chunk, by default) are not fetched whole: each term's
//! record is asked for by byte range (`p3f09a2c4.bin#1200-3400`). A
//! postings record's bounds are in the dictionary (looking a term up
//! notes where its record ends, [`Index::term`] and
//! [`Index::note_term`]), so it comes in round 2 as a chunk would; a
//! positions record's are in its postings, so positions come a round
//! after their postings. A phrase then takes a round more: its hits are
//! not known before its positions. Two words without a phrase do not: the
//! positions only add their proximity bonus to hits already known, so the
//! engine asks for the stored text of the page as ranked without the
//! bonus in the same round as them (`Engine::finish`); a document the
//! bonus brings into the page comes a round later. A query of one word
//! reads no positions, and takes three.
//!
//! A word that is not in the corpus as written takes one round more: the
//! words shard of its first letter, for its typo corrections, is fetched
//! once its dictionary shards show the word is not there (so that a word
//! typed correctly never costs that shard).
//!
//! Reading alone would take more rounds: a phrase stops at its first term
//! found in no document, and positions are read only for the documents
//! that match, so neither would ask for everything in round 2. [`plan`]
//! closes that gap: before a query runs, it records the postings of every
//! term of every clause and, where phrases or the proximity bonus will
//! read them, the positions chunks that go with those postings (postings
//! and positions chunks cover the same terms, see
//! [`crate::index::shards`]), or, in chunks read by byte range, the
//! records of the terms whose postings are loaded. Nothing here decides a result: a file the
//! plan misses is still found by reading, one round later.

use crate::expand;
use crate::index::read::Index;
use crate::index::shards::PREFIX_KEY_BYTES;
use crate::index::IndexError;
use crate::query::{Query, QueryTerm};

/// Whether the dictionaries that would hold `t` (its term and, for a
/// prefix, its completions) are loaded, so that finding nothing there
/// means it is not in the index. Always true for an embedded index.
fn knows_absent(index: &Index, t: &QueryTerm) -> bool {
    index.has_dictionary(t.term.as_bytes()) && (!t.prefix || t.folded.len() < PREFIX_KEY_BYTES || index.has_dictionary(t.folded.as_bytes()))
}

/// Whether `t`, which no completion matched, is searched for typo
/// corrections: it tolerates typos, and is known not to be a word of the
/// corpus as written ([`expand::exists_as_typed`]), even if its stem is a
/// term. A word that exists as typed is never "corrected". In a split
/// index, a word is known to be absent only once its dictionaries are
/// loaded: until then, no typo search (and no words shard). The engine
/// and [`plan`] both decide by this.
pub fn corrects(index: &Index, t: &QueryTerm) -> bool {
    t.max_typos > 0 && expand::exists_as_typed(index, &t.folded) == Some(false) && knows_absent(index, t)
}

/// Records as wanted what a query will read that is not loaded yet, as far
/// as what is loaded tells. A no-op for an embedded index. With `ranked`
/// false, the query only tells which terms it matches (highlighting a
/// document, [`crate::engine::Engine::marked_document`]): no exclusion,
/// proximity bonus or title tier is read, so neither are their files.
pub fn plan(index: &Index, q: &Query, ranked: bool) -> Result<(), IndexError> {
    if !index.is_split() {
        return Ok(());
    }
    // The proximity bonus reads positions whenever two words must match.
    let proximity = ranked && q.must.len() > 1;
    // The title tier reads the postings of compounds written whole.
    for (term, _) in q.joined.iter().filter(|_| ranked) {
        if let Some(offset) = index.term(term) {
            index.want_postings(offset, false);
        }
    }
    let must_not = if ranked { &q.must_not[..] } else { &[] };
    for (clause, expand) in q.must.iter().map(|c| (c, true)).chain(must_not.iter().map(|c| (c, false))) {
        let positions = clause.phrase || (proximity && expand);
        for t in &clause.terms {
            let exact = index.term(&t.term);
            if let Some(offset) = exact {
                index.want_postings(offset, positions);
                // Exact matches weigh their accents.
                if expand {
                    index.want_variants(&t.term);
                }
            }
            if !expand || clause.phrase {
                continue;
            }
            // Dictionaries of the word as typed, then its expansions'
            // postings; the first expansion is the one proximity reads.
            let mut expanded = Vec::new();
            if t.prefix {
                expanded = expand::prefix(index, &t.folded, exact)?;
            }
            if expanded.is_empty() && corrects(index, t) {
                expanded = expand::typos(index, &t.folded, t.max_typos, exact)?;
            }
            for (k, e) in expanded.iter().enumerate() {
                index.want_postings(e.offset, positions && k == 0 && exact.is_none());
            }
        }
    }
    Ok(())
}
