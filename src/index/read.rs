//! Reading the index in place: the embedded layout from the bytes
//! compiled into the module, the split layout from its root and the shard
//! files loaded as queries need them.
//!
//! A split index answers from what is loaded. Reading a part that is not
//! loaded yet records its shard as *wanted* and reads as empty (no such
//! term, no postings, no positions) so that one pass over a query finds
//! every shard it can tell it needs; stored text that is not loaded is an
//! error. Whoever runs a query must therefore check [`Index::wanted`]
//! afterwards and, if anything is wanted, load it and run the query
//! again instead of using the result ([`crate::engine::Engine`] does).

use super::shards::{file_hash, range_name, Directory, Kind};
use super::varint::{unzigzag, Cursor};
use super::{
    checksummed, corrupt, fnv1a, record_checksum, IndexError, Section, FIELDS, FLAG_SECTIONS, FLAG_SPLIT, FNV_OFFSET, HEADER_LEN, MAGIC, MAX_TERM_FREQUENCY, RECORD_CHECKSUM_BYTES,
    SECTIONS, VARIANT_SEPARATOR, VERSION,
};
use crate::date::Date;
use fst::{IntoStreamer, Streamer};
use std::cell::{OnceCell, RefCell};

/// Whether this build reads split indexes. A wasm module built for an
/// embedded index (`build.rs` sets `recherche_split` only for a split one)
/// leaves out the code that loads shards: it could never run, and the
/// module is the largest part of what a page downloads. Native builds
/// (tests, tools) read both.
pub const SPLIT_SUPPORT: bool = cfg!(any(not(target_arch = "wasm32"), recherche_split));

/// An opened index. Cheap to open: only field lengths and facet values are
/// decoded up front; everything else is read on demand.
pub struct Index<'a> {
    doc_count: u32,
    /// [`FLAG_SECTIONS`].
    has_sections: bool,
    /// Document id → number (the embedded layout; split: shards).
    ids: Option<fst::Map<&'a [u8]>>,
    avg_lengths: [f32; 3],
    field_lengths: Vec<[u32; 3]>,
    facets: Facets<'a>,
    sizes: [usize; SECTIONS],
    /// The shard directory (empty for the embedded layout).
    directory: Directory,
    /// Per shard, once loaded. The embedded layout has one part per
    /// [`Kind`], in kind order, all loaded at open.
    parts: Vec<OnceCell<Part<'a>>>,
    /// Shards read while not loaded, in the order first read.
    wanted: RefCell<Vec<usize>>,
    /// Records loaded alone, by byte range: postings and positions records
    /// of chunks read by range ([`Directory::range_above`]) and documents'
    /// stored text (inflated): (shard, start in its file, bytes), sorted,
    /// each checked against its checksum.
    records: RefCell<Vec<(usize, u32, &'a [u8])>>,
    /// Records read while not loaded (postings, positions, stored text):
    /// (shard, start, end in its file), in the order first read.
    wanted_records: RefCell<Vec<(usize, u32, u32)>>,
    /// Split: where each document's stored-text record starts in its
    /// file (the records of a file's documents are consecutive, and the
    /// last ends at the file's end).
    record_starts: Vec<u32>,
    /// Where the postings records of the terms looked up so far end
    /// (split): (offset, end) in the whole POSTINGS, sorted. A record is
    /// fetched alone only once its end is known (from the dictionary: the
    /// next term's offset).
    ends: RefCell<Vec<(u64, u64)>>,
}

/// The dictionaries of words starting with one byte (or all of them).
pub struct Dict<'a> {
    pub terms: fst::Map<&'a [u8]>,
    pub surfaces: fst::Map<&'a [u8]>,
    pub variants: fst::Map<&'a [u8]>,
}

/// The embedded layout's stored text: `count` documents from `first`,
/// with their offsets (a split index reads each document's record alone).
struct StoredChunk<'a> {
    first: u32,
    count: u32,
    /// (count + 1) × u32: where each document starts in `data`.
    offsets: &'a [u8],
    data: &'a [u8],
}

/// A loaded shard.
enum Part<'a> {
    Dict(Dict<'a>),
    Ids(fst::Map<&'a [u8]>),
    Bytes(&'a [u8]),
    Stored(StoredChunk<'a>),
}

impl<'a> Part<'a> {
    fn dict(&self) -> Option<&Dict<'a>> {
        match self {
            Part::Dict(d) => Some(d),
            _ => None,
        }
    }
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
fn open_fst<'a>(bytes: &'a [u8], what: &str) -> Result<fst::Map<&'a [u8]>, IndexError> {
    super::fst_check::check(bytes).and_then(|()| fst::Map::new(bytes).map_err(|_| corrupt("not an fst"))).map_err(|e| IndexError(format!("{what} dictionary: {}", e.0)))
}

/// The `i`-th little-endian u32 of `bytes` (in bounds: checked by callers),
/// without `try_into().expect()`, whose Debug formatting would cost the
/// module a kilobyte.
fn le_u32(bytes: &[u8], i: usize) -> usize {
    let b = &bytes[i * 4..i * 4 + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
}

/// Reads a stored-text chunk holding documents `first..first + count`.
fn open_stored(bytes: &[u8], first: u32, count: u32) -> Result<StoredChunk<'_>, IndexError> {
    let mut c = Cursor::new(bytes, "stored text");
    if c.u32_le()? != count {
        return Err(corrupt("stored text: wrong number of documents"));
    }
    // Checked: on wasm32 a corrupt count could wrap a usize.
    let n = (count as usize).checked_add(1).and_then(|n| n.checked_mul(4)).ok_or_else(|| corrupt("stored text: wrong number of documents"))?;
    let offsets = c.bytes(n)?;
    let data = &bytes[4 + offsets.len()..];
    let at = |i: usize| le_u32(offsets, i);
    if at(0) != 0 || at(count as usize) != data.len() || (0..count as usize).any(|i| at(i) > at(i + 1)) {
        return Err(corrupt("stored text: offsets out of order or out of bounds"));
    }
    Ok(StoredChunk { first, count, offsets, data })
}

/// Reads a dictionary shard: three (length, fst) pairs.
fn open_dict(bytes: &[u8]) -> Result<Dict<'_>, IndexError> {
    let mut c = Cursor::new(bytes, "dictionary shard");
    let mut maps = Vec::with_capacity(3);
    for what in ["terms", "surfaces", "variants"] {
        let n = usize::try_from(c.varint()?).unwrap_or(usize::MAX);
        maps.push(open_fst(c.bytes(n)?, what)?);
    }
    if !c.is_empty() {
        return Err(corrupt("dictionary shard: trailing bytes"));
    }
    let variants = maps.pop().expect("3 maps");
    let surfaces = maps.pop().expect("3 maps");
    let terms = maps.pop().expect("3 maps");
    Ok(Dict { terms, surfaces, variants })
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
            return Err(IndexError(format!("unsupported index version {} (this module reads version {})", u32::from(version), u32::from(VERSION))));
        }
        let flags = u16::from_le_bytes([c.u8()?, c.u8()?]);
        if flags & !(FLAG_SPLIT | FLAG_SECTIONS) != 0 {
            return Err(corrupt("unknown header flags"));
        }
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
            let actual = table[..checksummed(flags)].iter().fold(FNV_OFFSET, |h, &(off, len)| fnv1a(h, &bytes[off..off + len]));
            if actual != checksum {
                return Err(corrupt("checksum mismatch (the index bytes were altered or truncated)"));
            }
        }
        let split = flags & FLAG_SPLIT != 0;
        if split && !SPLIT_SUPPORT {
            return Err(IndexError("a split index, and this module was built for an embedded one".into()));
        }
        let directory = if SPLIT_SUPPORT { Directory::decode(section(bytes, &table, Section::Directory))? } else { Directory::default() };
        if split == directory.is_empty() {
            return Err(corrupt("directory: present in an embedded index or absent from a split one"));
        }
        let sect = |s: Section| section(bytes, &table, s);
        // First: they check the header's document count (not checksummed).
        let (avg_lengths, field_lengths) = Self::decode_fields(sect(Section::Fields), doc_count)?;
        let facets = Self::decode_facets(sect(Section::Facets), doc_count)?;
        let parts: Vec<OnceCell<Part<'a>>> = if split {
            if [Section::Terms, Section::Postings, Section::Positions, Section::Variants, Section::VariantPostings, Section::Surfaces, Section::Ids]
                .iter()
                .any(|&s| !sect(s).is_empty())
            {
                return Err(corrupt("a split index's root holds a sharded section"));
            }
            (0..directory.shards().len()).map(|_| OnceCell::new()).collect()
        } else {
            let dict = Dict {
                terms: open_fst(sect(Section::Terms), Section::Terms.name())?,
                surfaces: open_fst(sect(Section::Surfaces), Section::Surfaces.name())?,
                variants: open_fst(sect(Section::Variants), Section::Variants.name())?,
            };
            let stored = open_stored(sect(Section::Stored), 0, doc_count)?;
            [Part::Dict(dict), Part::Bytes(sect(Section::Postings)), Part::Bytes(sect(Section::Positions)), Part::Bytes(sect(Section::VariantPostings)), Part::Stored(stored)]
                .into_iter()
                .map(OnceCell::from)
                .collect()
        };
        let record_starts = if split { Self::decode_records(sect(Section::Stored), doc_count, &directory)? } else { Vec::new() };
        Ok(Index {
            record_starts,
            doc_count,
            has_sections: flags & FLAG_SECTIONS != 0,
            ids: if split { None } else { Some(open_fst(sect(Section::Ids), Section::Ids.name())?) },
            avg_lengths,
            field_lengths,
            facets,
            sizes,
            directory,
            parts,
            wanted: RefCell::default(),
            records: RefCell::default(),
            wanted_records: RefCell::default(),
            ends: RefCell::default(),
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
        // Byte planes (see `write::put_byte_planes`): per field, a width,
        // then that many planes of exactly one byte per document; or width
        // 0 and one code per document (`write::put_length_codes`).
        // Every field has a byte per document at least: the header's count (not
        // checksummed) is bounded by the bytes before anything is allocated.
        let n = doc_count as usize;
        if n > bytes.len() / FIELDS.len() {
            return Err(corrupt("field lengths: fewer than the document count"));
        }
        // Not `vec![…; n]`: its zeroed allocation would link calloc.
        let mut lengths = Vec::with_capacity(n);
        lengths.resize(n, [0u32; 3]);
        for f in 0..FIELDS.len() {
            let width = c.u8()?;
            if width > 4 {
                return Err(corrupt("field lengths: bad width"));
            }
            // Width 0: one-byte codes (`norms`).
            if width == 0 {
                for (l, &b) in lengths.iter_mut().zip(c.bytes(n)?) {
                    l[f] = super::norms::code_length(b);
                }
            }
            for plane in 0..width as usize {
                for (l, &b) in lengths.iter_mut().zip(c.bytes(n)?) {
                    l[f] |= (b as u32) << (8 * plane);
                }
            }
        }
        // Exactly one entry per document: the header's count is not checksummed.
        if !c.is_empty() {
            return Err(corrupt("field lengths: more than the document count"));
        }
        Ok((avg, lengths))
    }

    /// A split root's STORED: every document's record length, as byte
    /// planes; where each record starts in its stored-text file, checked
    /// against the files' lengths.
    fn decode_records(bytes: &[u8], doc_count: u32, directory: &Directory) -> Result<Vec<u32>, IndexError> {
        let mut c = Cursor::new(bytes, "stored text lengths");
        let width = c.u8()? as usize;
        let n = doc_count as usize;
        if !(1..=4).contains(&width) || n > bytes.len() / width {
            return Err(corrupt("stored text lengths: bad width or count"));
        }
        // The first plane, then the others over it.
        let mut lengths: Vec<u32> = c.bytes(n)?.iter().map(|&b| b as u32).collect();
        for plane in 1..width {
            for (l, &b) in lengths.iter_mut().zip(c.bytes(n)?) {
                *l |= (b as u32) << (8 * plane);
            }
        }
        if !c.is_empty() {
            return Err(corrupt("stored text lengths: more than the document count"));
        }
        // Lengths become starts, from 0 in each file (whose documents
        // run from its key to the next file's, checked here: later reads
        // rely on it).
        let files = directory.of_kind(Kind::Stored);
        let out_of_range = || corrupt("stored text: documents out of range");
        for i in files.clone() {
            let first = directory.get(i).map_or(Ok(0), |s| usize::try_from(s.key)).map_err(|_| out_of_range())?;
            let end = directory.end(i).map_or(Ok(n), usize::try_from).map_err(|_| out_of_range())?;
            let mut at = 0u32;
            for l in lengths.get_mut(first..end).ok_or_else(out_of_range)? {
                // A record is never empty: deflate writes 2 bytes or more.
                if *l == 0 {
                    return Err(corrupt("stored text lengths: an empty record"));
                }
                (*l, at) = (at, at.checked_add(*l).ok_or_else(|| corrupt("stored text lengths: too long"))?);
            }
            if directory.get(i).map(|s| s.len) != Some(at) {
                return Err(corrupt("stored text lengths disagree with the directory"));
            }
        }
        if files.is_empty() && n > 0 {
            return Err(corrupt("stored text: no file holds it"));
        }
        Ok(lengths)
    }

    /// Where document `doc`'s stored-text record is (split): its file,
    /// and its start and end in it.
    fn stored_record(&self, doc: u32) -> Option<(usize, u32, u32)> {
        let (i, _) = self.chunk_index(Kind::Stored, doc as u64)?;
        let start = *self.record_starts.get(doc as usize)?;
        // The next document's record, if in this file; else the file's end.
        let next = doc as u64 + 1;
        let end = match next < self.directory.end(i).unwrap_or(self.doc_count as u64) {
            true => *self.record_starts.get(next as usize)?,
            false => self.directory.get(i)?.len,
        };
        Some((i, start, end))
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
        if !c.is_empty() {
            return Err(corrupt("facets: more than the document count"));
        }
        Ok(f)
    }

    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Bytes per section, in [`Section`] order (of the root, for a split index).
    pub fn section_sizes(&self) -> [usize; SECTIONS] {
        self.sizes
    }

    // ------------------------------------------------------------ shards --

    /// Whether some document has sections (see [`FLAG_SECTIONS`]).
    pub fn has_sections(&self) -> bool {
        self.has_sections
    }

    /// Whether this is a split layout's root.
    pub fn is_split(&self) -> bool {
        SPLIT_SUPPORT && !self.directory.is_empty()
    }

    /// The shard directory (empty for the embedded layout).
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// Shard `i`'s contents if loaded; otherwise records it as wanted.
    fn part(&self, i: usize) -> Option<&Part<'a>> {
        let cell = self.parts.get(i)?;
        // (An embedded index has every part.)
        if SPLIT_SUPPORT && cell.get().is_none() {
            let mut w = self.wanted.borrow_mut();
            if !w.contains(&i) {
                w.push(i);
            }
        }
        cell.get()
    }

    /// Whether shard `i` is loaded (recording it as wanted if not).
    pub fn want(&self, i: usize) -> bool {
        self.part(i).is_some()
    }

    /// Whether shard `i` is loaded, without recording anything.
    pub fn is_loaded(&self, i: usize) -> bool {
        self.parts.get(i).is_some_and(|c| c.get().is_some())
    }

    /// The shards read since [`Self::clear_wanted`] that were not loaded.
    pub fn wanted(&self) -> Vec<usize> {
        self.wanted.borrow().clone()
    }

    /// The records (postings, positions, stored text) read since
    /// [`Self::clear_wanted`] that were not loaded, as file names with a byte range
    /// ([`super::shards::range_name`]); none whose whole file is wanted.
    pub fn wanted_records(&self) -> Vec<String> {
        if !SPLIT_SUPPORT {
            return Vec::new();
        }
        let whole = self.wanted.borrow();
        let records = self.wanted_records.borrow();
        records.iter().filter(|(i, ..)| !whole.contains(i)).filter_map(|&(i, a, b)| Some(range_name(&self.directory.get(i)?.file_name(), a, b))).collect()
    }

    /// Whether any shard or record was read while not loaded since
    /// [`Self::clear_wanted`].
    pub fn has_wanted(&self) -> bool {
        SPLIT_SUPPORT && !(self.wanted.borrow().is_empty() && self.wanted_records.borrow().is_empty())
    }

    /// Whether everything read while not loaded since
    /// [`Self::clear_wanted`], shards and records, is of `kind`.
    pub fn wants_only(&self, kind: Kind) -> bool {
        let of = |i: usize| self.directory.get(i).is_some_and(|s| s.kind == kind);
        self.wanted.borrow().iter().all(|&i| of(i)) && self.wanted_records.borrow().iter().all(|&(i, ..)| of(i))
    }

    pub fn clear_wanted(&self) {
        self.wanted.borrow_mut().clear();
        self.wanted_records.borrow_mut().clear();
    }

    /// The loaded record of shard `i` from `start` to `end` in its file
    /// (a stored-text record is loaded inflated: any length).
    fn record(&self, i: usize, start: u32, end: u32) -> Option<&'a [u8]> {
        let inflated = self.directory.get(i).is_some_and(|s| s.kind == Kind::Stored);
        self.record_at(i, start).filter(|r| inflated || Some(r.len()) == end.checked_sub(start).map(|n| n as usize))
    }

    /// The loaded record of shard `i` that starts at `start` in its file.
    fn record_at(&self, i: usize, start: u32) -> Option<&'a [u8]> {
        let records = self.records.borrow();
        let k = records.partition_point(|r| (r.0, r.1) < (i, start));
        records.get(k).filter(|r| (r.0, r.1) == (i, start)).map(|r| r.2)
    }

    /// Records bytes `start..end` of shard `i`, a file read by byte range,
    /// as wanted: alone, or the whole file if they are all of it.
    fn want_record(&self, i: usize, start: u32, end: u32) {
        // (Stored text's files are never read whole: their records are
        // compressed one by one.)
        if start == 0 && self.directory.get(i).is_some_and(|s| s.len == end && s.kind != Kind::Stored) {
            self.part(i);
            return;
        }
        let mut w = self.wanted_records.borrow_mut();
        if !w.contains(&(i, start, end)) {
            w.push((i, start, end));
        }
    }

    /// Whether the record of shard `i` from `start` to `end` is
    /// loaded, alone or with its whole file (nothing recorded).
    pub fn is_record_loaded(&self, i: usize, start: u32, end: u32) -> bool {
        SPLIT_SUPPORT && (self.is_loaded(i) || self.record(i, start, end).is_some())
    }

    /// Checks that `bytes` are the record from `start` to `end` in shard
    /// `i`'s file, fetched alone by byte range: a postings or positions
    /// record (`end − start` bytes, within the file) or, inflated, a
    /// document's stored text (a record the root places there); and
    /// matching the checksum they start with. The error names the range.
    pub fn check_record(&self, i: usize, start: u32, end: u32, bytes: &[u8]) -> Result<(), IndexError> {
        if !SPLIT_SUPPORT {
            return Err(corrupt("no such shard"));
        }
        let shard = self.directory.get(i).filter(|_| self.directory.is_ranged(i)).ok_or_else(|| corrupt("not a file read by byte range"))?;
        let name = range_name(&shard.file_name(), start, end);
        if end <= start || end > shard.len {
            return Err(IndexError(format!("{name} is past the end of its file")));
        }
        if shard.kind == Kind::Stored {
            // A document's record, exactly.
            let first = shard.key as usize;
            let last = self.directory.end(i).map_or(self.doc_count as usize, |e| e as usize);
            let starts = self.record_starts.get(first..last).unwrap_or(&[]);
            let doc = starts.partition_point(|&s| s < start);
            if starts.get(doc) != Some(&start) || self.stored_record((first + doc) as u32).map(|r| r.2) != Some(end) {
                return Err(IndexError(format!("{name} is not a document's record in that file")));
            }
        } else if bytes.len() != (end - start) as usize {
            return Err(IndexError(format!("{name}: {} bytes instead of {} (truncated or altered)", bytes.len(), end - start)));
        }
        let (sum, rest) = bytes.split_at(RECORD_CHECKSUM_BYTES.min(bytes.len()));
        if sum.len() < RECORD_CHECKSUM_BYTES || u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]) != record_checksum(rest) {
            return Err(IndexError(format!("{name} does not match its checksum (altered, or not a record of that file)")));
        }
        Ok(())
    }

    /// Loads a record fetched alone, after [`Self::check_record`].
    /// Loading a loaded record does nothing.
    pub fn load_record(&self, i: usize, start: u32, end: u32, bytes: &'a [u8]) -> Result<(), IndexError> {
        if !SPLIT_SUPPORT {
            return Err(corrupt("no such shard"));
        }
        self.check_record(i, start, end, bytes)?;
        if self.is_record_loaded(i, start, end) {
            return Ok(());
        }
        let mut records = self.records.borrow_mut();
        let k = records.partition_point(|r| (r.0, r.1) < (i, start));
        records.insert(k, (i, start, bytes));
        Ok(())
    }

    /// Loads shard `i` from its file's bytes, after [`Self::check`].
    /// Loading a loaded shard does nothing.
    pub fn load(&self, i: usize, bytes: &'a [u8]) -> Result<(), IndexError> {
        if self.is_loaded(i) {
            return Ok(());
        }
        let part = self.parse(i, bytes)?;
        let _ = self.parts[i].set(part);
        Ok(())
    }

    /// Checks that `bytes` are shard `i`'s file: its length, its content
    /// hash and its structure. The error names the file.
    pub fn check(&self, i: usize, bytes: &[u8]) -> Result<(), IndexError> {
        self.parse(i, bytes).map(|_| ())
    }

    fn parse<'b>(&self, i: usize, bytes: &'b [u8]) -> Result<Part<'b>, IndexError> {
        if !SPLIT_SUPPORT {
            return Err(corrupt("no such shard"));
        }
        let shard = *self.directory.get(i).ok_or_else(|| corrupt("no such shard"))?;
        let name = shard.file_name();
        if bytes.len() != shard.len as usize {
            return Err(IndexError(format!("{name} is {} bytes long instead of {} (truncated or altered)", bytes.len(), shard.len)));
        }
        if file_hash(self.directory.salt(), bytes) != shard.hash {
            return Err(IndexError(format!("{name} does not match its content hash (altered)")));
        }
        let within = |e: IndexError| IndexError(format!("{name}: {}", e.0));
        Ok(match shard.kind {
            Kind::Dictionary | Kind::Words => Part::Dict(open_dict(bytes).map_err(within)?),
            Kind::Ids => Part::Ids(open_fst(bytes, "ids").map_err(within)?),
            // Read by record only (compressed one by one), never whole.
            Kind::Stored => return Err(within(corrupt("stored text is read one document's record at a time"))),
            Kind::Postings | Kind::Positions | Kind::VariantPostings => {
                if self.directory.end(i).is_some_and(|e| e.checked_sub(shard.key) != Some(bytes.len() as u64)) {
                    return Err(within(corrupt("chunk length disagrees with the directory")));
                }
                Part::Bytes(bytes)
            }
        })
    }

    /// The dictionaries that hold `key` (a term, a folded word or a variant
    /// key) if any entry does, and every entry sharing its first
    /// [`super::shards::PREFIX_KEY_BYTES`] bytes. `None` if no shard can hold it (or,
    /// recorded as wanted, if that shard is not loaded yet).
    pub fn dictionary(&self, key: &[u8]) -> Option<&Dict<'a>> {
        if key.is_empty() {
            return None;
        }
        let i = if self.is_split() { self.directory.dictionary(key)? } else { Kind::Dictionary as usize };
        self.part(i)?.dict()
    }

    /// Whether the dictionary shard for `key` is loaded (nothing recorded):
    /// only then does a missing term mean it is not in the index.
    pub fn has_dictionary(&self, key: &[u8]) -> bool {
        !self.is_split() || self.directory.dictionary(key).map_or(true, |i| self.is_loaded(i))
    }

    /// Every folded word starting with the first byte of `word`, in
    /// `surfaces` (the other maps may be empty): for typos and completions
    /// shorter than [`super::shards::PREFIX_KEY_BYTES`].
    pub fn words(&self, word: &[u8]) -> Option<&Dict<'a>> {
        let &byte = word.first()?;
        let i = if self.is_split() { self.directory.words(byte)? } else { Kind::Dictionary as usize };
        self.part(i)?.dict()
    }

    /// Loaded shard `i`'s dictionaries (nothing recorded): for tests.
    pub fn dictionary_at(&self, i: usize) -> Option<&Dict<'a>> {
        self.parts.get(i)?.get()?.dict()
    }

    /// The shard of `kind` holding `key`, and where that shard starts.
    fn chunk_index(&self, kind: Kind, key: u64) -> Option<(usize, u64)> {
        if !self.is_split() {
            return Some((kind as usize, 0));
        }
        let i = self.directory.chunk(kind, key)?;
        Some((i, self.directory.get(i)?.key))
    }

    /// The bytes of the chunk of `kind` holding `offset` in its whole
    /// section, and `offset` within them; `None` if not loaded (recorded).
    fn chunk(&self, kind: Kind, offset: u64) -> Option<(&'a [u8], usize)> {
        let (i, start) = self.chunk_index(kind, offset)?;
        match self.part(i)? {
            Part::Bytes(b) => Some((b, usize::try_from(offset - start).unwrap_or(usize::MAX))),
            _ => None,
        }
    }

    /// Records the postings chunk holding `offset` as wanted if it is not
    /// loaded, and with `positions`, the positions chunk of the same
    /// terms. Whether both are loaded.
    pub fn want_postings(&self, offset: u64, positions: bool) -> bool {
        let Some((i, _)) = self.chunk_index(Kind::Postings, offset) else { return true };
        let ok = if self.directory.is_ranged(i) { self.postings_at(offset).is_some() } else { self.want(i) };
        if !positions || !self.is_split() {
            return ok;
        }
        match self.directory.positions_of(i) {
            // A chunk of the same terms, not read by range: with them.
            Some(j) if !self.directory.is_ranged(j) => self.want(j) && ok,
            // Otherwise the positions are found from the postings, once
            // they are loaded (and recorded as wanted by reading them; a
            // corrupt header is not wanted: the read reports it).
            _ => ok && self.open_postings(offset, true).map_or(true, |p| p.positions_cursor.is_some()),
        }
    }

    /// Records as wanted the variant postings of `term` (its accented
    /// spellings) that are not loaded, if its dictionary is. Whether all are.
    pub fn want_variants(&self, term: &str) -> bool {
        let mut all = true;
        // Cannot fail: the closure never does (and `expect` would bring
        // Debug formatting into the module).
        let _ = self.variant_offsets(term, None, |offset| {
            if let Some((i, _)) = self.chunk_index(Kind::VariantPostings, offset) {
                all &= self.want(i);
            }
            Ok(())
        });
        all
    }

    /// Calls `f` with the VARIANT_POSTINGS offset of each accented spelling
    /// of `term`: exactly `accented` if given, or every one. A term's
    /// variants are in its own dictionary shard (nothing if it is not
    /// loaded: recorded as wanted).
    fn variant_offsets(&self, term: &str, accented: Option<&str>, mut f: impl FnMut(u64) -> Result<(), IndexError>) -> Result<(), IndexError> {
        let Some(dict) = self.dictionary(term.as_bytes()) else { return Ok(()) };
        let mut key = term.as_bytes().to_vec();
        key.push(VARIANT_SEPARATOR);
        match accented {
            Some(a) => {
                key.extend_from_slice(a.as_bytes());
                if let Some(off) = dict.variants.get(&key) {
                    f(off)?;
                }
            }
            None => {
                let walk = super::walk::Walk::Prefix(&key);
                let mut stream = dict.variants.search(&walk).into_stream();
                while let Some((_, off)) = stream.next() {
                    f(off)?;
                }
            }
        }
        Ok(())
    }

    /// Records the stored text of `doc` as wanted if it is not loaded
    /// (split: its record). Whether it is loaded.
    pub fn want_stored(&self, doc: u32) -> bool {
        !self.is_split() || self.stored_record_bytes(doc).map_or(true, |r| r.is_some())
    }

    /// A split index's record of `doc`'s stored text, inflated, if loaded
    /// (else recorded as wanted); an error if no file holds it.
    fn stored_record_bytes(&self, doc: u32) -> Result<Option<&'a [u8]>, IndexError> {
        let (i, a, b) = self.stored_record(doc).ok_or_else(|| corrupt("stored text: document not in a file"))?;
        let record = self.record_at(i, a);
        if record.is_none() {
            self.want_record(i, a, b);
        }
        Ok(record)
    }

    // ----------------------------------------------------------- reading --

    /// Where a term's postings start, if the term is indexed.
    pub fn term(&self, term: &str) -> Option<u64> {
        let dict = self.dictionary(term.as_bytes())?;
        let offset = dict.terms.get(term)?;
        self.note_end(dict, term, offset);
        Some(offset)
    }

    /// Notes where the postings record of `term`, at `offset`, ends, if
    /// its dictionary shard is loaded (nothing recorded as wanted): an expansion found through
    /// another shard's words reads its term's record alone when it can.
    pub fn note_term(&self, term: &str, offset: u64) {
        if !self.is_split() {
            return;
        }
        let Some(i) = self.directory.dictionary(term.as_bytes()) else { return };
        if let Some(dict) = self.parts.get(i).and_then(|c| c.get()).and_then(Part::dict) {
            // Only the term at `offset` (a word's stem could be another).
            if dict.terms.get(term) == Some(offset) {
                self.note_end(dict, term, offset);
            }
        }
    }

    /// Records where the postings record of `term` (at `offset`) ends: at
    /// the next term's, if `dict` holds one (the last term of a shard has
    /// its chunk read whole).
    fn note_end(&self, dict: &Dict<'a>, term: &str, offset: u64) {
        // Only for a chunk read by range and not loaded whole, once: every
        // lookup of a term comes here.
        let ranged = self.chunk_index(Kind::Postings, offset).is_some_and(|(i, _)| self.directory.is_ranged(i) && !self.is_loaded(i));
        if !self.is_split() || !ranged || self.noted_end(offset).is_some() {
            return;
        }
        let walk = super::walk::Walk::Prefix(b"");
        let Some((_, end)) = dict.terms.search(&walk).gt(term).into_stream().next() else { return };
        let mut ends = self.ends.borrow_mut();
        let k = ends.partition_point(|e| e.0 < offset);
        ends.insert(k, (offset, end));
    }

    /// The bytes holding the postings record at `offset`, and where its
    /// header starts in them (past a split record's checksum); `None` if
    /// not loaded (recorded as wanted: the record alone when its chunk is
    /// read by byte range and its end is known, else the chunk).
    fn postings_at(&self, offset: u64) -> Option<(&'a [u8], usize)> {
        if !self.is_split() {
            return self.chunk(Kind::Postings, offset);
        }
        let (i, start) = self.chunk_index(Kind::Postings, offset)?;
        let len = self.directory.get(i)?.len as u64;
        let a = offset - start;
        let skip = |(b, at): (&'a [u8], usize)| Some((b, at.checked_add(RECORD_CHECKSUM_BYTES)?));
        if !self.directory.is_ranged(i) || self.is_loaded(i) {
            return self.chunk(Kind::Postings, offset).and_then(skip);
        }
        if let Some(record) = u32::try_from(a).ok().and_then(|a| self.record_at(i, a)) {
            return Some((record, RECORD_CHECKSUM_BYTES));
        }
        // Alone if the dictionary told where the record ends, else with
        // its whole chunk.
        match self.noted_end(offset).and_then(|e| e.checked_sub(start)).filter(|&b| b > a && b <= len) {
            Some(b) => self.want_record(i, a as u32, b as u32),
            None => {
                self.part(i);
            }
        }
        None
    }

    /// Where the postings record at `offset` ends, if noted.
    fn noted_end(&self, offset: u64) -> Option<u64> {
        let ends = self.ends.borrow();
        ends.get(ends.partition_point(|e| e.0 < offset)).filter(|e| e.0 == offset).map(|e| e.1)
    }

    /// Number of documents containing the term at `offset`.
    pub fn doc_freq(&self, offset: u64) -> Result<u32, IndexError> {
        let Some((bytes, at)) = self.postings_at(offset) else { return Ok(0) };
        Cursor::at(bytes, at, "postings")?.u32v()
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
        let empty = |c| Postings { cursor: c, positions_cursor: None, remaining: 0, doc: 0, first: true, doc_count: self.doc_count, positions: Default::default() };
        let Some((bytes, at)) = self.postings_at(offset) else {
            return Ok(empty(Cursor::new(&[], "postings")));
        };
        let mut cursor = Cursor::at(bytes, at, "postings")?;
        let remaining = cursor.varint()?;
        if remaining > self.doc_count as u64 {
            return Err(corrupt("postings: more documents than the index holds"));
        }
        let at = cursor.varint()?;
        // A split index gives the positions record's length too.
        let len = if self.is_split() { cursor.varint()? } else { 0 };
        let positions_cursor = match with_positions {
            false => None,
            true => match self.positions(at, len)? {
                Some(c) => Some(c),
                None => return Ok(empty(cursor)),
            },
        };
        Ok(Postings { cursor, positions_cursor, remaining, doc: 0, first: true, doc_count: self.doc_count, positions: Default::default() })
    }

    /// A cursor at the positions of the term whose record starts at `at`
    /// in the whole POSITIONS and is `len` bytes long (split); `None` if
    /// they are not loaded (recorded as wanted: the whole chunk, or the
    /// record alone in a chunk read by byte range).
    fn positions(&self, at: u64, len: u64) -> Result<Option<Cursor<'a>>, IndexError> {
        if !self.is_split() {
            return self.chunk(Kind::Positions, at).map(|(p, local)| Cursor::at(p, local, "positions")).transpose();
        }
        let Some((j, start)) = self.chunk_index(Kind::Positions, at) else { return Ok(None) };
        let chunk = self.directory.get(j).map_or(0, |s| s.len as u64);
        let a = at - start;
        let b = a.checked_add(len).filter(|&b| b <= chunk && len >= RECORD_CHECKSUM_BYTES as u64).ok_or_else(|| corrupt("positions: a record out of its chunk"))?;
        // Whole (loaded so, or not read by range): the record's data
        // follows its checksum.
        if !self.directory.is_ranged(j) || self.is_loaded(j) {
            return match self.part(j) {
                Some(Part::Bytes(bytes)) => Ok(Some(Cursor::at(bytes, a as usize + RECORD_CHECKSUM_BYTES, "positions")?)),
                _ => Ok(None),
            };
        }
        let (a, b) = (a as u32, b as u32);
        if let Some(record) = self.record(j, a, b) {
            return Ok(Some(Cursor::at(record, RECORD_CHECKSUM_BYTES, "positions")?));
        }
        self.want_record(j, a, b);
        Ok(None)
    }

    /// Adds, for each document, how often `term` was written with an
    /// accent: with exactly `accented` if given, or with any accent.
    pub fn accented_counts(&self, term: &str, accented: Option<&str>, add: &mut dyn FnMut(u32, u32)) -> Result<(), IndexError> {
        self.variant_offsets(term, accented, |offset| {
            let Some((bytes, at)) = self.chunk(Kind::VariantPostings, offset) else { return Ok(()) };
            let mut c = Cursor::at(bytes, at, "variant postings")?;
            let n = c.varint()?;
            let mut doc = 0u32;
            for _ in 0..n.min(self.doc_count as u64) {
                doc = doc.checked_add(c.u32v()?).filter(|&d| d < self.doc_count).ok_or_else(|| corrupt("variant postings: document out of range"))?;
                add(doc, c.u32v()?);
            }
            Ok(())
        })
    }

    /// The document number of `id`.
    /// `None` if no document has it (or, recorded as wanted, if its ids
    /// shard is not loaded yet).
    pub fn doc_by_id(&self, id: &str) -> Option<u32> {
        let map = match &self.ids {
            Some(m) => m,
            None => match self.part(self.directory.ids(id)?)? {
                Part::Ids(m) => m,
                _ => return None,
            },
        };
        map.get(id).and_then(|d| u32::try_from(d).ok()).filter(|&d| d < self.doc_count)
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

    /// A document's stored text. An error if its shard is not loaded (and
    /// recorded as wanted).
    pub fn stored(&self, doc: u32) -> Result<Stored<'a>, IndexError> {
        if doc >= self.doc_count {
            return Err(corrupt("stored text: no such document"));
        }
        let not_loaded = || IndexError(format!("the stored text of document {doc} is not loaded"));
        let bytes: &'a [u8] = if self.is_split() {
            // Its record, inflated: past its checksum.
            &self.stored_record_bytes(doc)?.ok_or_else(not_loaded)?[RECORD_CHECKSUM_BYTES..]
        } else {
            let chunk = match self.part(Kind::Stored as usize) {
                Some(Part::Stored(c)) => c,
                _ => return Err(not_loaded()),
            };
            let k = doc.checked_sub(chunk.first).filter(|&k| k < chunk.count).ok_or_else(|| corrupt("stored text: document not in its chunk"))? as usize;
            let at = |i: usize| le_u32(chunk.offsets, i);
            &chunk.data[at(k)..at(k + 1)]
        };
        let mut c = Cursor::new(bytes, "stored text");
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

// Native only: the writer is not part of the wasm build.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::Index;
    use crate::index::write::put_byte_planes;

    fn fields(docs: &[[u32; 3]]) -> Vec<u8> {
        let mut bytes: Vec<u8> = [1.5f32, 2.0, 0.0].iter().flat_map(|a| a.to_le_bytes()).collect();
        for f in 0..3 {
            put_byte_planes(&mut bytes, docs.iter().map(|d| d[f]));
        }
        bytes
    }

    #[test]
    fn field_lengths_round_trip_through_byte_planes() {
        let cases: [&[[u32; 3]]; 4] = [&[], &[[0, 0, 0]], &[[1, 255, 0], [256, 65_535, 0]], &[[u32::MAX, 16_777_216, 3], [0, 65_536, 0], [7, 1, 255]]];
        for docs in cases {
            let bytes = fields(docs);
            let n = docs.len() as u32;
            let (avg, got) = Index::decode_fields(&bytes, n).unwrap();
            assert_eq!((avg, got.as_slice()), ([1.5, 2.0, 0.0], docs));
            assert!(Index::decode_fields(&bytes, n + 1).is_err(), "one document more than the planes hold");
            assert!(Index::decode_fields(&bytes[..bytes.len() - 1], n).is_err(), "truncated");
            if n > 0 {
                assert!(Index::decode_fields(&bytes, n - 1).is_err(), "one document fewer");
            }
        }
        // Widths: the bytes of the largest value, at least one.
        let width = |v: u32| fields(&[[v, 0, 0]])[12];
        assert_eq!([0, 255, 256, 65_535, 65_536, 16_777_216, u32::MAX].map(width), [1, 1, 2, 2, 3, 4, 4]);
        for bad in [5u8, 255] {
            let mut bytes = fields(&[[1, 1, 1]]);
            bytes[12] = bad;
            assert!(Index::decode_fields(&bytes, 1).is_err(), "width {bad}");
        }
        // A count far beyond the bytes fails before allocating for it.
        assert!(Index::decode_fields(&fields(&[[1, 1, 1]]), u32::MAX).is_err());
    }

    #[test]
    fn lengths_as_codes_decode_within_a_thirty_second_beside_exact_planes() {
        use crate::index::norms::{code_length, MAX_LENGTH};
        use crate::index::write::put_length_codes;
        let docs = [[3u32, 31, 1000], [70, 33, 0], [0, u32::MAX, 65_537]];
        let mut bytes: Vec<u8> = [1.5f32, 2.0, 0.0].iter().flat_map(|a| a.to_le_bytes()).collect();
        put_byte_planes(&mut bytes, docs.iter().map(|d| d[0]));
        put_length_codes(&mut bytes, docs.iter().map(|d| d[1]));
        put_length_codes(&mut bytes, docs.iter().map(|d| d[2]));
        // Width 1 and one plane, then width 0 and one code per document, twice.
        assert_eq!(bytes.len(), 12 + 3 * (1 + 3));
        assert_eq!((bytes[12], bytes[16], bytes[20]), (1, 0, 0));
        let (_, got) = Index::decode_fields(&bytes, 3).unwrap();
        assert_eq!(got, [[3, 31, 992], [70, 34, 0], [0, MAX_LENGTH, 65_536]]);
        assert!(got.iter().zip(&docs).all(|(g, d)| (1..3).all(|f| d[f] > MAX_LENGTH || (g[f] as f64 - d[f] as f64).abs() <= d[f] as f64 / 32.0)));
        // Every byte is a code: a damaged one decodes to some length.
        for b in 0..=255u8 {
            bytes[17] = b;
            assert_eq!(Index::decode_fields(&bytes, 3).unwrap().1[0][1], code_length(b));
        }
        assert!(Index::decode_fields(&bytes[..bytes.len() - 1], 3).is_err(), "truncated");
        assert!(Index::decode_fields(&bytes, 2).is_err(), "one document fewer");
    }
}
