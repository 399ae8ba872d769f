//! Reading the index in place, from the bytes embedded in the module.

use super::varint::{unzigzag, Cursor};
use super::{corrupt, fnv1a, IndexError, Section, CHECKSUMMED, FIELDS, FNV_OFFSET, HEADER_LEN, MAGIC, MAX_TERM_FREQUENCY, SECTIONS, VARIANT_SEPARATOR, VERSION};
use crate::date::Date;
use fst::{IntoStreamer, Streamer};

/// An opened index. Cheap to open: only field lengths and facet values are
/// decoded up front; everything else is read on demand.
pub struct Index<'a> {
    doc_count: u32,
    terms: fst::Map<&'a [u8]>,
    postings: &'a [u8],
    positions: &'a [u8],
    variants: fst::Map<&'a [u8]>,
    variant_postings: &'a [u8],
    surfaces: fst::Map<&'a [u8]>,
    ids: fst::Map<&'a [u8]>,
    stored_offsets: &'a [u8],
    stored: &'a [u8],
    avg_lengths: [f32; 3],
    field_lengths: Vec<[u32; 3]>,
    facets: Facets<'a>,
    sizes: [usize; SECTIONS],
}

/// Per-document facet values, decoded at open.
#[derive(Debug, Default)]
pub struct Facets<'a> {
    /// Source labels, sorted.
    pub sources: Vec<&'a str>,
    /// People's full names, sorted.
    pub people: Vec<&'a str>,
    /// Per document: day ordinal of its date.
    pub date: Vec<Option<i32>>,
    /// Per document: year of its date.
    pub year: Vec<Option<i32>>,
    /// Per document: index into `sources`.
    pub source: Vec<Option<u32>>,
    /// Per document `d`: `person_ids[person_start[d]..person_start[d + 1]]`.
    pub person_start: Vec<u32>,
    pub person_ids: Vec<u32>,
}

impl Facets<'_> {
    pub fn people_of(&self, doc: u32) -> &[u32] {
        let d = doc as usize;
        &self.person_ids[self.person_start[d] as usize..self.person_start[d + 1] as usize]
    }
}

/// One document's stored text, with its facet values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `YYYY-MM-DD`, from the facet date.
    pub date: Option<String>,
    pub updated: Option<&'a str>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub body: Vec<&'a str>,
    pub captions: Vec<&'a str>,
    pub people: Vec<&'a str>,
    /// In body order; each starts at a paragraph of `body`.
    pub sections: Vec<StoredSection<'a>>,
}

/// A section of a stored document (see [`crate::document::Section`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredSection<'a> {
    pub heading: &'a str,
    pub anchor: &'a str,
    /// Index in `body` of the heading's paragraph.
    pub paragraph: u32,
    /// Body position of the heading's first word: the section holds the
    /// body positions from it to the next section's.
    pub position: u32,
}

/// One entry of a term's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub doc: u32,
    /// Term frequency per field (title, body, captions).
    pub tf: [u32; 3],
}

/// A term's postings, read one document at a time. If opened with
/// positions, those of the current entry are kept in reused buffers.
pub struct Postings<'a> {
    cursor: Cursor<'a>,
    /// Where the positions are read, when asked for.
    positions_cursor: Option<Cursor<'a>>,
    remaining: u64,
    doc: u32,
    first: bool,
    doc_count: u32,
    positions: [Vec<u32>; 3],
}

impl<'a> Postings<'a> {
    /// Number of entries not read yet (at first: the documents containing
    /// the term).
    pub fn len(&self) -> u64 {
        self.remaining
    }

    /// Whether every entry has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    /// The next entry, or `None` at the end.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, IndexError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let delta = self.cursor.u32v()?;
        if !self.first && delta == 0 {
            return Err(corrupt("postings: documents out of order"));
        }
        self.first = false;
        self.doc = self.doc.checked_add(delta).filter(|&d| d < self.doc_count).ok_or_else(|| corrupt("postings: document number out of range"))?;
        let mask = self.cursor.u8()?;
        if mask == 0 || mask >> FIELDS.len() != 0 {
            return Err(corrupt("postings: bad field mask"));
        }
        let mut tf = [0u32; 3];
        #[allow(clippy::needless_range_loop)] // f indexes three arrays and the mask
        for f in 0..FIELDS.len() {
            self.positions[f].clear();
            if mask & (1 << f) == 0 {
                continue;
            }
            let n = self.cursor.u32v()?;
            if n == 0 || n > MAX_TERM_FREQUENCY {
                return Err(corrupt("postings: bad term frequency"));
            }
            tf[f] = n;
            if let Some(pc) = &mut self.positions_cursor {
                let mut p = 0u32;
                for _ in 0..n {
                    p = p.checked_add(pc.u32v()?).ok_or_else(|| corrupt("positions: overflow"))?;
                    self.positions[f].push(p);
                }
            }
        }
        Ok(Some(Entry { doc: self.doc, tf }))
    }

    /// Positions of the current entry in `field`, ascending (empty unless
    /// opened with [`Index::postings_with_positions`]).
    pub fn positions(&self, field: usize) -> &[u32] {
        &self.positions[field]
    }
}

fn section<'a>(bytes: &'a [u8], table: &[(usize, usize)], s: Section) -> &'a [u8] {
    let (off, len) = table[s as usize];
    &bytes[off..off + len]
}

/// Opens a dictionary after [`super::fst_check::check`]: `fst` trusts the
/// bytes it reads and would panic on a corrupt map. `fst::Map::new` checks
/// less, so it cannot fail after the check.
fn open_fst(bytes: &[u8], s: Section) -> Result<fst::Map<&[u8]>, IndexError> {
    super::fst_check::check(bytes).and_then(|()| fst::Map::new(bytes).map_err(|_| corrupt("not an fst"))).map_err(|e| IndexError(format!("{} dictionary: {}", s.name(), e.0)))
}

impl<'a> Index<'a> {
    /// Opens an index, validating its header, sections and dictionaries.
    pub fn open(bytes: &'a [u8]) -> Result<Index<'a>, IndexError> {
        Self::open_with(bytes, true)
    }

    /// Opens an index without checking its checksum, so that fuzzing can
    /// reach the decoders behind it. Every read is still bounds-checked.
    pub fn open_unverified(bytes: &'a [u8]) -> Result<Index<'a>, IndexError> {
        Self::open_with(bytes, false)
    }

    fn open_with(bytes: &'a [u8], verify: bool) -> Result<Index<'a>, IndexError> {
        if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
            return Err(corrupt("not a recherche index (bad magic number)"));
        }
        let mut c = Cursor::at(bytes, 4, "header")?;
        let version = u16::from_le_bytes([c.u8()?, c.u8()?]);
        if version != VERSION {
            return Err(IndexError(format!("unsupported index version {version} (this module reads version {VERSION})")));
        }
        let _flags = c.bytes(2)?;
        let doc_count = c.u32_le()?;
        let n = c.u32_le()? as usize;
        if n != SECTIONS {
            return Err(IndexError(format!("expected {SECTIONS} sections, found {n}")));
        }
        let checksum = c.u32_le()?;
        let mut table = [(0usize, 0usize); SECTIONS];
        let mut sizes = [0usize; SECTIONS];
        for (i, s) in Section::ALL.iter().enumerate() {
            let off = c.u32_le()? as usize;
            let len = c.u32_le()? as usize;
            if off < HEADER_LEN + SECTIONS * 8 || off.checked_add(len).map_or(true, |end| end > bytes.len()) {
                return Err(IndexError(format!("{} section out of bounds (truncated index?)", s.name())));
            }
            table[i] = (off, len);
            sizes[i] = len;
        }
        if verify {
            let actual = table[..CHECKSUMMED].iter().fold(FNV_OFFSET, |h, &(off, len)| fnv1a(h, &bytes[off..off + len]));
            if actual != checksum {
                return Err(corrupt("checksum mismatch (the index bytes were altered or truncated)"));
            }
        }
        let stored_offsets = section(bytes, &table, Section::StoredOffsets);
        if stored_offsets.len() != (doc_count as usize + 1) * 4 {
            return Err(corrupt("stored offsets: wrong length for the document count"));
        }
        let (avg_lengths, field_lengths) = Self::decode_fields(section(bytes, &table, Section::Fields), doc_count)?;
        let facets = Self::decode_facets(section(bytes, &table, Section::Facets), doc_count)?;
        Ok(Index {
            doc_count,
            terms: open_fst(section(bytes, &table, Section::Terms), Section::Terms)?,
            postings: section(bytes, &table, Section::Postings),
            positions: section(bytes, &table, Section::Positions),
            variants: open_fst(section(bytes, &table, Section::Variants), Section::Variants)?,
            variant_postings: section(bytes, &table, Section::VariantPostings),
            surfaces: open_fst(section(bytes, &table, Section::Surfaces), Section::Surfaces)?,
            ids: open_fst(section(bytes, &table, Section::Ids), Section::Ids)?,
            stored_offsets,
            stored: section(bytes, &table, Section::Stored),
            avg_lengths,
            field_lengths,
            facets,
            sizes,
        })
    }

    fn decode_fields(bytes: &[u8], doc_count: u32) -> Result<([f32; 3], Vec<[u32; 3]>), IndexError> {
        let mut c = Cursor::new(bytes, "field lengths");
        let mut avg = [0f32; 3];
        for a in &mut avg {
            *a = c.f32()?;
            if !a.is_finite() || *a < 0.0 {
                return Err(corrupt("field lengths: bad average"));
            }
        }
        let mut lengths = Vec::with_capacity(doc_count.min(1 << 20) as usize);
        for _ in 0..doc_count {
            lengths.push([c.u32v()?, c.u32v()?, c.u32v()?]);
        }
        Ok((avg, lengths))
    }

    fn decode_facets(bytes: &'a [u8], doc_count: u32) -> Result<Facets<'a>, IndexError> {
        let mut c = Cursor::new(bytes, "facets");
        let mut f = Facets::default();
        for table in [&mut f.sources, &mut f.people] {
            let n = c.u32v()?;
            for _ in 0..n {
                table.push(c.str()?);
            }
        }
        f.person_start.push(0);
        for _ in 0..doc_count {
            let date = match c.varint()? {
                0 => None,
                v => Some(i32::try_from(unzigzag(v - 1)).ok().filter(|d| (-800_000..3_000_000).contains(d)).ok_or_else(|| corrupt("facets: date out of range"))?),
            };
            f.year.push(date.map(|d| Date::from_ordinal(d).year));
            f.date.push(date);
            f.source.push(match c.u32v()? {
                0 => None,
                v if (v as usize) <= f.sources.len() => Some(v - 1),
                _ => return Err(corrupt("facets: source out of range")),
            });
            let n = c.u32v()?;
            for _ in 0..n {
                let p = c.u32v()?;
                if p as usize >= f.people.len() {
                    return Err(corrupt("facets: person out of range"));
                }
                f.person_ids.push(p);
            }
            f.person_start.push(f.person_ids.len() as u32);
        }
        Ok(f)
    }

    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Bytes per section, in [`Section`] order.
    pub fn section_sizes(&self) -> [usize; SECTIONS] {
        self.sizes
    }

    /// The term dictionary (for prefix and fuzzy automata).
    pub fn terms(&self) -> &fst::Map<&'a [u8]> {
        &self.terms
    }

    /// The dictionary of folded words as written (see `SURFACES` in the
    /// layout): values hold their term's postings offset and document
    /// frequency ([`super::surface_parts`]).
    pub fn surfaces(&self) -> &fst::Map<&'a [u8]> {
        &self.surfaces
    }

    /// Where a term's postings start, if the term is indexed.
    pub fn term(&self, term: &str) -> Option<u64> {
        self.terms.get(term)
    }

    /// Number of documents containing the term at `offset`.
    pub fn doc_freq(&self, offset: u64) -> Result<u32, IndexError> {
        Cursor::at(self.postings, offset as usize, "postings")?.u32v()
    }

    /// The postings starting at `offset` (a value of the term dictionary),
    /// without positions.
    pub fn postings(&self, offset: u64) -> Result<Postings<'a>, IndexError> {
        self.open_postings(offset, false)
    }

    /// The postings starting at `offset`, with positions.
    pub fn postings_with_positions(&self, offset: u64) -> Result<Postings<'a>, IndexError> {
        self.open_postings(offset, true)
    }

    fn open_postings(&self, offset: u64, with_positions: bool) -> Result<Postings<'a>, IndexError> {
        let mut cursor = Cursor::at(self.postings, usize::try_from(offset).unwrap_or(usize::MAX), "postings")?;
        let remaining = cursor.varint()?;
        if remaining > self.doc_count as u64 {
            return Err(corrupt("postings: more documents than the index holds"));
        }
        let at = usize::try_from(cursor.varint()?).unwrap_or(usize::MAX);
        let positions_cursor = if with_positions { Some(Cursor::at(self.positions, at, "positions")?) } else { None };
        Ok(Postings { cursor, positions_cursor, remaining, doc: 0, first: true, doc_count: self.doc_count, positions: Default::default() })
    }

    /// Adds, for each document, how often `term` was written with an
    /// accent: with exactly `accented` if given, or with any accent.
    pub fn accented_counts(&self, term: &str, accented: Option<&str>, mut add: impl FnMut(u32, u32)) -> Result<(), IndexError> {
        let mut key = term.as_bytes().to_vec();
        key.push(VARIANT_SEPARATOR);
        let mut read = |offset: u64| -> Result<(), IndexError> {
            let mut c = Cursor::at(self.variant_postings, offset as usize, "variant postings")?;
            let n = c.varint()?;
            let mut doc = 0u32;
            for _ in 0..n.min(self.doc_count as u64) {
                doc = doc.checked_add(c.u32v()?).filter(|&d| d < self.doc_count).ok_or_else(|| corrupt("variant postings: document out of range"))?;
                add(doc, c.u32v()?);
            }
            Ok(())
        };
        match accented {
            Some(a) => {
                key.extend_from_slice(a.as_bytes());
                if let Some(off) = self.variants.get(&key) {
                    read(off)?;
                }
            }
            None => {
                let mut stream = self.variants.range().ge(&key).lt(next_prefix(&key)).into_stream();
                while let Some((_, off)) = stream.next() {
                    read(off)?;
                }
            }
        }
        Ok(())
    }

    /// The document number of `id`.
    pub fn doc_by_id(&self, id: &str) -> Option<u32> {
        self.ids.get(id).and_then(|d| u32::try_from(d).ok()).filter(|&d| d < self.doc_count)
    }

    /// Field lengths of a document.
    pub fn field_lengths(&self, doc: u32) -> [u32; 3] {
        self.field_lengths[doc as usize]
    }

    /// Average field lengths over the corpus.
    pub fn avg_lengths(&self) -> [f32; 3] {
        self.avg_lengths
    }

    pub fn facets(&self) -> &Facets<'a> {
        &self.facets
    }

    /// A document's stored text.
    pub fn stored(&self, doc: u32) -> Result<Stored<'a>, IndexError> {
        if doc >= self.doc_count {
            return Err(corrupt("stored text: no such document"));
        }
        let mut o = Cursor::at(self.stored_offsets, doc as usize * 4, "stored offsets")?;
        let (start, end) = (o.u32_le()? as usize, o.u32_le()? as usize);
        if start > end || end > self.stored.len() {
            return Err(corrupt("stored offsets out of bounds"));
        }
        let mut c = Cursor::new(&self.stored[start..end], "stored text");
        let list = |c: &mut Cursor<'a>| -> Result<Vec<&'a str>, IndexError> {
            let n = c.u32v()?;
            let mut v = Vec::with_capacity(n.min(4096) as usize);
            for _ in 0..n {
                v.push(c.str()?);
            }
            Ok(v)
        };
        let f = &self.facets;
        let d = doc as usize;
        let (id, title, updated, url) = (c.str()?, c.str()?, c.opt_str()?, c.opt_str()?);
        let (body, captions) = (list(&mut c)?, list(&mut c)?);
        let n = c.u32v()?;
        let mut sections = Vec::with_capacity(n.min(4096) as usize);
        for _ in 0..n {
            let s = StoredSection { heading: c.str()?, anchor: c.str()?, paragraph: c.u32v()?, position: c.u32v()? };
            if s.paragraph as usize >= body.len() || sections.last().is_some_and(|p: &StoredSection| p.paragraph > s.paragraph || p.position > s.position) {
                return Err(corrupt("stored text: section out of order or past the body"));
            }
            sections.push(s);
        }
        Ok(Stored {
            id,
            title,
            updated,
            url,
            body,
            captions,
            date: f.date[d].map(|o| Date::from_ordinal(o).to_iso()),
            source: f.source[d].map(|s| f.sources[s as usize]),
            people: f.people_of(doc).iter().map(|&p| f.people[p as usize]).collect(),
            sections,
        })
    }
}

/// The smallest byte string greater than every string starting with `prefix`.
fn next_prefix(prefix: &[u8]) -> Vec<u8> {
    let mut p = prefix.to_vec();
    while let Some(last) = p.pop() {
        if last < 0xff {
            p.push(last + 1);
            return p;
        }
    }
    vec![0xff; prefix.len() + 1]
}
