//! Filters and facet counts over precomputed per-document values.
//!
//! Each document's year, date ordinal, source and people are decoded once
//! from the index (see [`crate::index::read::Facets`]); filtering and
//! counting never touch stored text.
//!
//! Counting is disjunctive: a field's own filter does not narrow its own
//! counts, so with `year: 2024` chosen the year facet still shows how many
//! hits each other year would give (as Algolia does), while the source
//! and person facets count only 2024 hits.

use crate::analysis::fold;
use crate::index::read::Facets;
use crate::options::Filters;

/// A facet field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Year = 0,
    Range = 1,
    Source = 2,
    Person = 3,
}

const ALL_PASS: u8 = 0b1111;

/// Filters resolved against one index: names turned into ids.
pub struct Resolved<'f> {
    filters: &'f Filters,
    /// `None`: no constraint. Names absent from the index match nothing.
    sources: Option<Vec<u32>>,
    people: Option<Vec<u32>>,
}

fn resolve(names: &[String], table: &[&str]) -> Option<Vec<u32>> {
    if names.is_empty() {
        return None;
    }
    Some(names.iter().filter_map(|n| table.binary_search(&n.as_str()).ok().map(|i| i as u32)).collect())
}

impl<'f> Resolved<'f> {
    pub fn new(filters: &'f Filters, facets: &Facets) -> Self {
        Resolved { filters, sources: resolve(&filters.sources, &facets.sources), people: resolve(&filters.people, &facets.people) }
    }

    /// Bit `f` set when the document passes field `f`'s filter.
    pub fn passes(&self, facets: &Facets, doc: u32) -> u8 {
        let d = doc as usize;
        let f = self.filters;
        let mut bits = 0;
        if f.years.is_empty() || facets.year[d].is_some_and(|y| f.years.contains(&y)) {
            bits |= 1 << Field::Year as u8;
        }
        if (f.from.is_none() && f.to.is_none()) || facets.date[d].is_some_and(|day| f.from.map_or(true, |a| day >= a) && f.to.map_or(true, |b| day <= b)) {
            bits |= 1 << Field::Range as u8;
        }
        match &self.sources {
            None => bits |= 1 << Field::Source as u8,
            Some(ids) => {
                if facets.source[d].is_some_and(|s| ids.contains(&s)) {
                    bits |= 1 << Field::Source as u8;
                }
            }
        }
        match &self.people {
            None => bits |= 1 << Field::Person as u8,
            Some(ids) => {
                if facets.people_of(doc).iter().any(|p| ids.contains(p)) {
                    bits |= 1 << Field::Person as u8;
                }
            }
        }
        bits
    }

    pub fn all_pass(bits: u8) -> bool {
        bits == ALL_PASS
    }
}

/// Facet counts, each list ordered by count (descending) then by value
/// (accent- and case-insensitively).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub year: Vec<(String, u32)>,
    pub source: Vec<(String, u32)>,
    pub person: Vec<(String, u32)>,
}

/// Accumulates disjunctive facet counts.
pub struct Counter {
    years: Vec<(i32, u32)>,
    sources: Vec<u32>,
    people: Vec<u32>,
}

impl Counter {
    pub fn new(facets: &Facets) -> Self {
        Counter { years: Vec::new(), sources: vec![0; facets.sources.len()], people: vec![0; facets.people.len()] }
    }

    /// Counts a matching document given its filter bits.
    pub fn add(&mut self, facets: &Facets, doc: u32, bits: u8) {
        let others = |field: Field| bits | (1 << field as u8) == ALL_PASS;
        let d = doc as usize;
        if others(Field::Year) {
            if let Some(y) = facets.year[d] {
                match self.years.iter_mut().find(|(v, _)| *v == y) {
                    Some((_, n)) => *n += 1,
                    None => self.years.push((y, 1)),
                }
            }
        }
        if others(Field::Source) {
            if let Some(s) = facets.source[d] {
                self.sources[s as usize] += 1;
            }
        }
        if others(Field::Person) {
            for &p in facets.people_of(doc) {
                self.people[p as usize] += 1;
            }
        }
    }

    pub fn finish(self, facets: &Facets) -> FacetCounts {
        // Names compare as a French reader sorts them: accents and case
        // folded first (`Mélanie` before `Mike`), then exactly.
        fn order(v: Vec<(String, u32)>) -> Vec<(String, u32)> {
            let mut keyed: Vec<(String, String, u32)> = v.into_iter().map(|(s, n)| (fold(&crate::analysis::lowercase(&s)), s, n)).collect();
            crate::sort::sort_by(&mut keyed, |a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)).then_with(|| a.1.cmp(&b.1)));
            keyed.into_iter().map(|(_, s, n)| (s, n)).collect()
        }
        let named = |counts: Vec<u32>, names: &[&str]| order(counts.into_iter().zip(names).filter(|(n, _)| *n > 0).map(|(n, s)| (s.to_string(), n)).collect());
        FacetCounts {
            year: order(self.years.into_iter().map(|(y, n)| (y.to_string(), n)).collect()),
            source: named(self.sources, &facets.sources),
            person: named(self.people, &facets.people),
        }
    }
}
