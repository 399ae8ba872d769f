//! Writing the index (build time only).
//!
//! [`Builder`] analyses each document with [`crate::analysis`] and records
//! every term's positions. `build.rs` has elasticlunr-rs compute the
//! inverted index (term → field → document → frequency, and field
//! lengths) through the same analyzer, and [`Builder::write`] lays out
//! that inverted index, checked against the positions, in the format
//! described in [`super`].

use super::varint::{put, put_opt_str, put_str, zigzag};
use super::{fnv1a, Section, BODY, CHECKSUMMED, FIELDS, FNV_OFFSET, HEADER_LEN, MAGIC, MAX_TERM_FREQUENCY, PARAGRAPH_GAP, SECTIONS, VARIANT_SEPARATOR, VERSION};
use crate::analysis::{self, Mode};
use crate::corpus::Document;
use crate::date::Date;
use std::collections::BTreeMap;

/// Per-field term frequencies of one term in one document.
pub type FieldCounts = [u32; 3];

/// The inverted index as counts: term → document → per-field frequency,
/// and per-document field lengths. elasticlunr-rs computes it at build
/// time; [`Builder::counts`] computes the same from positions.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub terms: BTreeMap<String, BTreeMap<u32, FieldCounts>>,
    pub field_lengths: Vec<FieldCounts>,
}

/// Positions of one term in one document, per field.
pub type FieldPositions = [Vec<u32>; 3];

/// Collects documents and their analysed positions.
#[derive(Default)]
pub struct Builder {
    docs: Vec<Document>,
    postings: BTreeMap<String, Vec<(u32, FieldPositions)>>,
    variants: BTreeMap<String, Vec<(u32, u32)>>,
    /// Folded word as written → its term.
    surfaces: BTreeMap<String, String>,
    field_lengths: Vec<FieldCounts>,
    /// Per document: the body position where each of its sections starts.
    section_positions: Vec<Vec<u32>>,
}

/// Bytes per section of a written index.
pub type SectionSizes = [usize; SECTIONS];

/// The texts of a document's fields, one entry per paragraph.
pub fn field_texts(doc: &Document) -> [Vec<&str>; 3] {
    [vec![doc.title.as_str()], doc.body.iter().map(String::as_str).collect(), doc.captions.iter().map(String::as_str).collect()]
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// Every term's postings: documents in order, with positions per field.
    pub fn postings(&self) -> &BTreeMap<String, Vec<(u32, FieldPositions)>> {
        &self.postings
    }

    /// Analyses and adds one document; its number is its insertion order.
    /// Fails, adding nothing, if a term occurs in one field more often
    /// than an index can hold ([`MAX_TERM_FREQUENCY`]).
    pub fn add(&mut self, doc: Document) -> Result<(), String> {
        let n = self.docs.len() as u32;
        let mut terms: BTreeMap<String, FieldPositions> = BTreeMap::new();
        let mut variants: BTreeMap<String, u32> = BTreeMap::new();
        let mut surfaces: BTreeMap<String, String> = BTreeMap::new();
        let mut lengths = [0u32; 3];
        // Where each body paragraph starts, in body positions.
        let mut starts = Vec::new();
        for (f, paragraphs) in field_texts(&doc).iter().enumerate() {
            let mut position = 0;
            for p in paragraphs {
                if f == BODY {
                    starts.push(position);
                }
                let end = analysis::analyze(p, position, Mode::Index, |t| {
                    if t.stop {
                        return;
                    }
                    lengths[f] += 1;
                    if let Some(acc) = &t.accented {
                        let mut key = t.term.clone();
                        key.push(VARIANT_SEPARATOR as char);
                        key.push_str(acc);
                        *variants.entry(key).or_default() += 1;
                    }
                    surfaces.entry(t.folded).or_insert_with(|| t.term.clone());
                    terms.entry(t.term).or_default()[f].push(t.position);
                });
                position = end + PARAGRAPH_GAP;
            }
        }
        for (term, positions) in &terms {
            for (f, p) in positions.iter().enumerate() {
                if p.len() > MAX_TERM_FREQUENCY as usize {
                    return Err(format!(
                        "document {:?}: the term {term:?} occurs {} times in its {}, more than the {MAX_TERM_FREQUENCY} occurrences of one term in one field an index can hold",
                        doc.id,
                        p.len(),
                        FIELDS[f]
                    ));
                }
            }
        }
        for (term, positions) in terms {
            self.postings.entry(term).or_default().push((n, positions));
        }
        for (key, tf) in variants {
            self.variants.entry(key).or_default().push((n, tf));
        }
        for (folded, term) in surfaces {
            self.surfaces.entry(folded).or_insert(term);
        }
        self.field_lengths.push(lengths);
        self.section_positions.push(doc.sections.iter().map(|s| starts.get(s.paragraph as usize).copied().unwrap_or(u32::MAX)).collect());
        self.docs.push(doc);
        Ok(())
    }

    /// The inverted index as counts, derived from the recorded positions.
    pub fn counts(&self) -> Counts {
        let terms =
            self.postings.iter().map(|(t, docs)| (t.clone(), docs.iter().map(|(d, p)| (*d, [p[0].len() as u32, p[1].len() as u32, p[2].len() as u32])).collect())).collect();
        Counts { terms, field_lengths: self.field_lengths.clone() }
    }

    /// Writes the index from `counts` (the inverted index elasticlunr-rs
    /// computed), with positions from this builder. Fails if the two
    /// disagree on any term, document, frequency or field length.
    pub fn write(&self, counts: &Counts) -> Result<(Vec<u8>, SectionSizes), String> {
        if counts.field_lengths != self.field_lengths {
            return Err("field lengths differ between the inverted index and the analysed positions".into());
        }
        if counts.terms.len() != self.postings.len() {
            return Err(format!("{} terms in the inverted index, {} analysed", counts.terms.len(), self.postings.len()));
        }
        let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];

        // TERMS, POSTINGS and POSITIONS.
        let mut terms = fst::MapBuilder::memory();
        let mut postings = Vec::new();
        let mut positions_out = Vec::new();
        let mut term_offsets: BTreeMap<&str, (u64, u32)> = BTreeMap::new();
        for (term, docs) in &counts.terms {
            let positions = self.postings.get(term).ok_or_else(|| format!("term {term:?} has no analysed positions"))?;
            if positions.len() != docs.len() {
                return Err(format!("term {term:?}: document counts differ"));
            }
            terms.insert(term.as_bytes(), postings.len() as u64).map_err(|e| e.to_string())?;
            term_offsets.insert(term.as_str(), (postings.len() as u64, docs.len() as u32));
            put(&mut postings, docs.len() as u64);
            put(&mut postings, positions_out.len() as u64);
            let mut prev = 0;
            for ((doc, tf), (pdoc, pos)) in docs.iter().zip(positions) {
                if doc != pdoc || (0..3).any(|f| tf[f] as usize != pos[f].len()) {
                    return Err(format!("term {term:?} in document {doc}: frequencies differ"));
                }
                put(&mut postings, (doc - prev) as u64);
                prev = *doc;
                let mask = (0..3).filter(|&f| !pos[f].is_empty()).fold(0u8, |m, f| m | 1 << f);
                postings.push(mask);
                for field in pos.iter().filter(|p| !p.is_empty()) {
                    put(&mut postings, field.len() as u64);
                    let mut last = 0;
                    for &p in field {
                        put(&mut positions_out, (p - last) as u64);
                        last = p;
                    }
                }
            }
        }
        sections[Section::Terms as usize] = terms.into_inner().map_err(|e| e.to_string())?;
        sections[Section::Postings as usize] = postings;
        sections[Section::Positions as usize] = positions_out;

        // VARIANTS and VARIANT_POSTINGS.
        let mut variants = fst::MapBuilder::memory();
        let vp = &mut sections[Section::VariantPostings as usize];
        for (key, docs) in &self.variants {
            variants.insert(key.as_bytes(), vp.len() as u64).map_err(|e| e.to_string())?;
            put(vp, docs.len() as u64);
            let mut prev = 0;
            for &(doc, tf) in docs {
                put(vp, (doc - prev) as u64);
                put(vp, tf as u64);
                prev = doc;
            }
        }
        sections[Section::Variants as usize] = variants.into_inner().map_err(|e| e.to_string())?;

        // SURFACES.
        let mut surfaces = fst::MapBuilder::memory();
        for (folded, term) in &self.surfaces {
            let &(offset, df) = term_offsets.get(term.as_str()).ok_or_else(|| format!("word {folded:?}: its term {term:?} is not indexed"))?;
            surfaces.insert(folded.as_bytes(), super::surface_value(offset, df)).map_err(|e| e.to_string())?;
        }
        sections[Section::Surfaces as usize] = surfaces.into_inner().map_err(|e| e.to_string())?;

        // FIELDS.
        let n = self.docs.len().max(1) as f32;
        let fields = &mut sections[Section::Fields as usize];
        for f in 0..FIELDS.len() {
            let total: u64 = self.field_lengths.iter().map(|l| l[f] as u64).sum();
            fields.extend_from_slice(&(total as f32 / n).to_le_bytes());
        }
        for l in &self.field_lengths {
            for &v in l {
                put(fields, v as u64);
            }
        }

        // FACETS.
        sections[Section::Facets as usize] = self.facets()?;

        // IDS.
        let mut ids: Vec<(&str, u64)> = self.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u64)).collect();
        ids.sort();
        let mut id_map = fst::MapBuilder::memory();
        for (id, i) in ids {
            id_map.insert(id.as_bytes(), i).map_err(|e| format!("document id {id:?}: {e}"))?;
        }
        sections[Section::Ids as usize] = id_map.into_inner().map_err(|e| e.to_string())?;

        // STORED_OFFSETS and STORED.
        let mut stored = Vec::new();
        let offsets = &mut sections[Section::StoredOffsets as usize];
        for (n, d) in self.docs.iter().enumerate() {
            offsets.extend_from_slice(&(stored.len() as u32).to_le_bytes());
            // Date, source and people live in FACETS only.
            put_str(&mut stored, &d.id);
            put_str(&mut stored, &d.title);
            for v in [&d.updated, &d.url] {
                put_opt_str(&mut stored, v.as_deref());
            }
            for list in [&d.body, &d.captions] {
                put(&mut stored, list.len() as u64);
                for s in list {
                    put_str(&mut stored, s);
                }
            }
            put(&mut stored, d.sections.len() as u64);
            let mut last = 0;
            for (s, &position) in d.sections.iter().zip(&self.section_positions[n]) {
                if s.paragraph < last || s.paragraph as usize >= d.body.len() {
                    return Err(format!("document {:?}: section {:?} starts at paragraph {}, out of order or past the body", d.id, s.anchor, s.paragraph));
                }
                last = s.paragraph;
                put_str(&mut stored, &s.heading);
                put_str(&mut stored, &s.anchor);
                put(&mut stored, s.paragraph as u64);
                put(&mut stored, position as u64);
            }
        }
        offsets.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        if u32::try_from(stored.len()).is_err() {
            return Err("stored text larger than 4 GiB".into());
        }
        sections[Section::Stored as usize] = stored;

        // Header, section table, sections.
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(self.docs.len() as u32).to_le_bytes());
        out.extend_from_slice(&(SECTIONS as u32).to_le_bytes());
        let checksum = sections[..CHECKSUMMED].iter().fold(FNV_OFFSET, |h, s| fnv1a(h, s));
        out.extend_from_slice(&checksum.to_le_bytes());
        debug_assert_eq!(out.len(), HEADER_LEN);
        let mut offset = HEADER_LEN + SECTIONS * 8;
        let mut sizes = [0usize; SECTIONS];
        for (i, s) in sections.iter().enumerate() {
            let off = u32::try_from(offset).map_err(|_| "index larger than 4 GiB".to_string())?;
            out.extend_from_slice(&off.to_le_bytes());
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            offset += s.len();
            sizes[i] = s.len();
        }
        for s in &sections {
            out.extend_from_slice(s);
        }
        Ok((out, sizes))
    }

    fn facets(&self) -> Result<Vec<u8>, String> {
        let mut sources: Vec<&str> = self.docs.iter().filter_map(|d| d.source.as_deref()).collect();
        sources.sort_unstable();
        sources.dedup();
        let mut people: Vec<&str> = self.docs.iter().flat_map(|d| d.people.iter().map(String::as_str)).collect();
        people.sort_unstable();
        people.dedup();
        let mut out = Vec::new();
        for table in [&sources, &people] {
            put(&mut out, table.len() as u64);
            for s in table.iter() {
                put_str(&mut out, s);
            }
        }
        for d in &self.docs {
            match &d.date {
                None => put(&mut out, 0),
                Some(s) => {
                    let date = Date::parse_iso(s).ok_or_else(|| format!("document {:?}: invalid date {s:?}", d.id))?;
                    put(&mut out, zigzag(date.ordinal() as i64) + 1);
                }
            }
            match &d.source {
                None => put(&mut out, 0),
                Some(s) => put(&mut out, sources.binary_search(&s.as_str()).unwrap() as u64 + 1),
            }
            put(&mut out, d.people.len() as u64);
            for p in &d.people {
                put(&mut out, people.binary_search(&p.as_str()).unwrap() as u64);
            }
        }
        Ok(out)
    }
}
