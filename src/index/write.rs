//! Writing the index (build time only).
//!
//! [`Builder`] analyses each document with [`crate::analysis`] and records
//! every term's positions. `build.rs` has elasticlunr-rs compute the
//! inverted index (term → field → document → frequency, and field
//! lengths) through the same analyzer, and [`Builder::write`] lays out
//! that inverted index, checked against the positions, in the format
//! described in [`super`].

use super::shards::{file_hash, id_bucket, prefix_key, Directory, Kind, Shard};
use super::varint::{put, put_opt_str, put_str, zigzag, Cursor};
use super::{
    checksummed, fnv1a, record_checksum, surface_parts, surface_value, Section, BODY, FIELDS, FLAG_SECTIONS, FLAG_SPLIT, FNV_OFFSET, HEADER_LEN, INFLATE_SLACK, MAGIC,
    MAX_INFLATE_RATIO, MAX_TERM_FREQUENCY, PARAGRAPH_GAP, RECORD_CHECKSUM_BYTES, SECTIONS, TITLE, VARIANT_SEPARATOR, VERSION,
};
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

    /// Writes the embedded layout (one file) from `counts` (the inverted
    /// index elasticlunr-rs computed), with positions from this builder.
    /// Fails if the two disagree on any term, document, frequency or
    /// field length.
    pub fn write(&self, counts: &Counts) -> Result<(Vec<u8>, SectionSizes), String> {
        self.parts(counts)?.embedded()
    }

    /// The index's parts, before they are laid out in one file or split
    /// (see [`Parts::embedded`] and [`Parts::split`]).
    pub fn parts(&self, counts: &Counts) -> Result<Parts, String> {
        if counts.field_lengths != self.field_lengths {
            return Err("field lengths differ between the inverted index and the analysed positions".into());
        }
        if counts.terms.len() != self.postings.len() {
            return Err(format!("{} terms in the inverted index, {} analysed", counts.terms.len(), self.postings.len()));
        }
        let mut p = Parts { doc_count: self.docs.len() as u32, has_sections: self.docs.iter().any(|d| !d.sections.is_empty()), ..Parts::default() };

        // TERMS, POSTINGS and POSITIONS.
        let mut term_offsets: BTreeMap<&str, (u64, u32)> = BTreeMap::new();
        for (term, docs) in &counts.terms {
            let positions = self.postings.get(term).ok_or_else(|| format!("term {term:?} has no analysed positions"))?;
            if positions.len() != docs.len() {
                return Err(format!("term {term:?}: document counts differ"));
            }
            p.terms.push((term.clone().into_bytes(), p.postings.len() as u64, p.positions.len() as u64));
            term_offsets.insert(term.as_str(), (p.postings.len() as u64, docs.len() as u32));
            put(&mut p.postings, docs.len() as u64);
            put(&mut p.postings, p.positions.len() as u64);
            let mut prev = 0;
            for ((doc, tf), (pdoc, pos)) in docs.iter().zip(positions) {
                if doc != pdoc || (0..3).any(|f| tf[f] as usize != pos[f].len()) {
                    return Err(format!("term {term:?} in document {doc}: frequencies differ"));
                }
                put(&mut p.postings, (doc - prev) as u64);
                prev = *doc;
                let mask = (0..3).filter(|&f| !pos[f].is_empty()).fold(0u8, |m, f| m | 1 << f);
                p.postings.push(mask);
                for field in pos.iter().filter(|p| !p.is_empty()) {
                    put(&mut p.postings, field.len() as u64);
                    let mut last = 0;
                    for &x in field {
                        put(&mut p.positions, (x - last) as u64);
                        last = x;
                    }
                }
            }
        }

        // VARIANTS and VARIANT_POSTINGS.
        for (key, docs) in &self.variants {
            p.variants.push((key.clone().into_bytes(), p.variant_postings.len() as u64));
            put(&mut p.variant_postings, docs.len() as u64);
            let mut prev = 0;
            for &(doc, tf) in docs {
                put(&mut p.variant_postings, (doc - prev) as u64);
                put(&mut p.variant_postings, tf as u64);
                prev = doc;
            }
        }

        // SURFACES.
        for (folded, term) in &self.surfaces {
            let &(offset, df) = term_offsets.get(term.as_str()).ok_or_else(|| format!("word {folded:?}: its term {term:?} is not indexed"))?;
            p.surfaces.push((folded.clone().into_bytes(), super::surface_value(offset, df)));
        }

        // FIELDS.
        let n = self.docs.len().max(1) as f32;
        for f in 0..FIELDS.len() {
            let total: u64 = self.field_lengths.iter().map(|l| l[f] as u64).sum();
            p.fields.extend_from_slice(&(total as f32 / n).to_le_bytes());
        }
        // The title's lengths exact (its tier compares them with the
        // query's), the others as one-byte codes (`norms`).
        for f in 0..FIELDS.len() {
            let lengths = self.field_lengths.iter().map(|l| l[f]);
            if f == TITLE {
                put_byte_planes(&mut p.fields, lengths);
            } else {
                put_length_codes(&mut p.fields, lengths);
            }
        }

        // FACETS.
        p.facets = self.facets()?;

        // IDS.
        let mut ids: Vec<(&str, u64)> = self.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u64)).collect();
        ids.sort();
        let mut id_map = fst::MapBuilder::memory();
        for &(id, i) in &ids {
            id_map.insert(id.as_bytes(), i).map_err(|e| format!("document id {id:?}: {e}"))?;
        }
        p.ids = id_map.into_inner().map_err(|e| e.to_string())?;
        p.id_list = ids.into_iter().map(|(id, i)| (id.to_string(), i)).collect();

        // STORED.
        for (n, d) in self.docs.iter().enumerate() {
            p.stored_starts.push(p.stored.len() as u64);
            // Date, source and people live in FACETS only.
            put_str(&mut p.stored, &d.id);
            put_str(&mut p.stored, &d.title);
            for v in [&d.updated, &d.url] {
                put_opt_str(&mut p.stored, v.as_deref());
            }
            for list in [&d.body, &d.captions] {
                put(&mut p.stored, list.len() as u64);
                for s in list {
                    put_str(&mut p.stored, s);
                }
            }
            put(&mut p.stored, d.sections.len() as u64);
            let mut last = 0;
            for (s, &position) in d.sections.iter().zip(&self.section_positions[n]) {
                if s.paragraph < last || s.paragraph as usize >= d.body.len() {
                    return Err(format!("document {:?}: section {:?} starts at paragraph {}, out of order or past the body", d.id, s.anchor, s.paragraph));
                }
                last = s.paragraph;
                put_str(&mut p.stored, &s.heading);
                put_str(&mut p.stored, &s.anchor);
                put(&mut p.stored, s.paragraph as u64);
                put(&mut p.stored, position as u64);
            }
        }
        p.stored_starts.push(p.stored.len() as u64);
        Ok(p)
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

/// An index's parts, in index order, before layout. Dictionary values
/// are offsets into the whole POSTINGS and VARIANT_POSTINGS, in both
/// layouts.
#[derive(Debug, Default, Clone)]
pub struct Parts {
    pub doc_count: u32,
    /// Each term's postings and positions records start with a checksum
    /// ([`RECORD_CHECKSUM_BYTES`]), as the split layout has them: see
    /// [`Self::with_record_checksums`].
    pub checksummed: bool,
    /// Some document has sections ([`super::FLAG_SECTIONS`]).
    pub has_sections: bool,
    /// Per term, in order: the term, where its postings and its positions start.
    pub terms: Vec<(Vec<u8>, u64, u64)>,
    pub postings: Vec<u8>,
    pub positions: Vec<u8>,
    /// Per variant key (`term␁accented`), in order: where its postings start.
    pub variants: Vec<(Vec<u8>, u64)>,
    pub variant_postings: Vec<u8>,
    /// Per folded word, in order: its SURFACES value.
    pub surfaces: Vec<(Vec<u8>, u64)>,
    pub fields: Vec<u8>,
    pub facets: Vec<u8>,
    /// The ids fst (document id → number).
    pub ids: Vec<u8>,
    /// Document ids, sorted, with their numbers.
    pub id_list: Vec<(String, u64)>,
    /// Every document's stored text, one after the other.
    pub stored: Vec<u8>,
    /// Where each document starts in `stored`, and where the last ends.
    pub stored_starts: Vec<u64>,
    /// The split layout's stored text (with [`Self::checksummed`]): each
    /// document's record, [`RECORD_CHECKSUM_BYTES`] of checksum then its
    /// bytes of `stored`, compressed alone ([`pack`]), one after the other.
    pub packed: Vec<u8>,
    /// Where each document's compressed record starts in `packed`, and
    /// where the last ends.
    pub packed_starts: Vec<u64>,
}

/// Compression level of a stored-text record: miniz_oxide's highest
/// (10), a few percent smaller than zlib's 9. Records are compressed
/// once, at build time.
pub const PACK_LEVEL: u8 = 10;

/// One document's stored-text record as the split layout writes it:
/// its checksum ([`record_checksum`]) and its bytes, compressed with raw
/// deflate (RFC 1951), which browsers inflate natively
/// (`DecompressionStream("deflate-raw")`). A record is fetched alone, by
/// byte range, and hosts do not compress a range on the wire: compressed
/// here, a result's text costs about what gzip would make of it.
/// A record that would inflate to more than [`MAX_INFLATE_RATIO`] times
/// its length (plus [`INFLATE_SLACK`]) is stored without compression
/// (deflate's stored blocks), as the JS refuses more.
pub fn pack(doc: &[u8]) -> Vec<u8> {
    let mut plain = Vec::with_capacity(RECORD_CHECKSUM_BYTES + doc.len());
    plain.extend_from_slice(&record_checksum(doc).to_le_bytes());
    plain.extend_from_slice(doc);
    let packed = miniz_oxide::deflate::compress_to_vec(&plain, PACK_LEVEL);
    match plain.len() <= packed.len() * MAX_INFLATE_RATIO + INFLATE_SLACK {
        true => packed,
        false => miniz_oxide::deflate::compress_to_vec(&plain, 0),
    }
}

/// What the JS hands the module for a name it wants (`Engine::wanted_files`),
/// given the bytes of the file the name is in: the file itself, or a byte
/// range of it (`p3f09a2c4.bin#1200-3400`), a document's stored-text
/// record inflated. `None` for a range past the file or a record that does
/// not inflate. For native tools and tests, which stand in for the JS.
pub fn fetched(name: &str, file: &[u8]) -> Option<Vec<u8>> {
    let (file_name, range) = super::shards::parse_name(name)?;
    let Some((a, b)) = range else { return Some(file.to_vec()) };
    let bytes = file.get(a as usize..b as usize)?;
    match file_name.starts_with(Kind::Stored.letter()) {
        true => miniz_oxide::inflate::decompress_to_vec(bytes).ok(),
        false => Some(bytes.to_vec()),
    }
}

/// How big the split layout's shards grow before the next one starts.
/// Bytes are before compression (hosts gzip them on the wire: about 3 to
/// 1 for stored text, 1.5 to 1 for postings and positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardTargets {
    /// A postings chunk ends at the first term boundary past this size...
    pub postings: usize,
    /// ...or past this size of its positions.
    pub positions: usize,
    pub variant_postings: usize,
    /// A dictionary shard ends at the first 3-byte prefix past this size...
    pub dictionary: usize,
    /// ...and a words shard at the first byte past this one.
    pub words: usize,
    /// Ids are hashed into buckets of about this size.
    pub ids: usize,
    /// A stored-text file ends at the first document boundary past this
    /// many bytes of compressed records ([`pack`]), unless that would make
    /// the index more than [`Self::max_files`] files: stored text then
    /// gets larger files, as many as the other shards leave room for. A
    /// query reads one record per result, by byte range, whatever the
    /// file's size: only a host that ignores `Range` sends it whole.
    pub stored: usize,
    /// Most files in the whole index, as hosts cap them (1,000 is a common
    /// limit, kept with a margin). In a split at these targets, only
    /// stored text adapts to it: if the other shards leave room for fewer
    /// than half of it, stored text still gets half, and the index is
    /// larger than this. [`Parts::fitted`] chooses targets by it too.
    pub max_files: usize,
    /// Postings and positions chunks longer than this are read one term's
    /// record at a time, by byte range ([`Directory::range_above`]).
    pub range_above: u32,
    /// When positions chunks are read by range (`positions` is above
    /// `range_above`), a positions file holds the chunks of consecutive
    /// postings chunks up to about this size: a query reads its terms'
    /// records whatever the file's size (their bounds are in the postings),
    /// so fewer, larger files leave more of the file cap to the shards a
    /// query reads by term.
    /// Postings chunks keep their size: a record whose end the dictionary
    /// does not give (the last term of a dictionary shard, an expansion
    /// found through the words of a first letter) costs its whole chunk.
    pub ranged_files: usize,
}

impl ShardTargets {
    /// A query reads one dictionary shard per word, a postings and a
    /// positions record per term and, for a page of ten results, ten
    /// stored-text records. Dictionary shards of 10 KiB are about 6 KB
    /// gzipped ([`Parts::fitted`] makes them smaller while the file cap
    /// allows). Stored text is read one document's compressed record at
    /// a time, so its files can be large: 64 KiB of records each (large:
    /// 109 files; a host that ignores `Range` sends a file whole, and the
    /// JS cuts every record of it from that one copy), which leaves the
    /// file cap to the shards a query reads by term.
    ///
    /// Every postings and positions chunk is read by byte range
    /// (`range_above` 0): a query fetches its terms' records, tens or
    /// hundreds of bytes, instead of chunks of 1 to 14 KB gzipped. A
    /// postings record comes in the round its chunk would (the
    /// dictionary gives its bounds: a term's offset, and the next
    /// term's); a positions record a round after its postings, which
    /// give its bounds: a phrase, whose hits need positions, then takes a
    /// round more (over a 4G-class link, about 70 ms), where words
    /// without a phrase do not (the proximity bonus only reorders hits
    /// already known). On medium, whose 2 KiB chunks once came whole,
    /// this took 6 KB off the first answer. Positions files then hold
    /// about 96 KiB of chunks each (`ranged_files`), as their size no
    /// longer matters to a query (a host that ignores `Range` sends such
    /// a file whole, about 85 KB gzipped).
    pub const DEFAULT: ShardTargets = ShardTargets {
        postings: 16 << 10,
        positions: 16 << 10,
        variant_postings: 16 << 10,
        dictionary: 10 << 10,
        words: 16 << 10,
        ids: 8 << 10,
        stored: 64 << 10,
        max_files: 990,
        range_above: 0,
        ranged_files: 96 << 10,
    };

    /// These targets with the shards a query reads by term (dictionary,
    /// postings, positions and variant postings) halved `steps` times.
    /// Words, ids and stored text keep theirs: a query reads them by
    /// first byte, id and result, not by term.
    pub fn finer(&self, steps: u32) -> ShardTargets {
        let half = |n: usize| (n >> steps.min(usize::BITS - 1)).max(1);
        ShardTargets { postings: half(self.postings), positions: half(self.positions), variant_postings: half(self.variant_postings), dictionary: half(self.dictionary), ..*self }
    }
}

/// Most halvings [`Parts::fitted`] tries. Three take postings and
/// positions chunks from 16 KiB to 2 KiB and dictionary shards from 10 KiB
/// to 1.25 KiB; a query then fetches little more than the terms it needs,
/// and a fourth step would mostly add requests.
pub const FINER_STEPS: u32 = 3;

/// A split index: the root to embed, and the shard files.
pub struct Split {
    pub root: Vec<u8>,
    /// File name (see [`Shard::file_name`]) and bytes, in directory order.
    pub files: Vec<(String, Vec<u8>)>,
    pub sizes: SectionSizes,
}

/// Cuts a run of items starting at `starts` (ascending) into chunks that
/// end at the first item past `target` bytes: each chunk's first index.
fn cut(starts: &[u64], target: usize) -> Vec<usize> {
    let mut firsts = Vec::new();
    let mut chunk_start = None;
    for (i, &s) in starts.iter().enumerate() {
        if chunk_start.map_or(true, |c: u64| s - c >= target as u64) {
            firsts.push(i);
            chunk_start = Some(s);
        }
    }
    firsts
}

/// The first salt (0, 1, …) with which no two different shards of one
/// kind get the same [`file_hash`], hence the same file name, and each
/// shard's hash with it, in order. Shards of one kind with the same bytes
/// may share a name (and a file). Almost always salt 0.
pub fn choose_salt<'b>(shards: impl Iterator<Item = (Kind, &'b [u8])> + Clone) -> Result<(u32, Vec<u32>), String> {
    'salts: for salt in 0..64 {
        let mut names: std::collections::HashMap<(Kind, u32), &[u8]> = std::collections::HashMap::new();
        let mut hashes = Vec::new();
        for (kind, bytes) in shards.clone() {
            let hash = file_hash(salt, bytes);
            if *names.entry((kind, hash)).or_insert(bytes) != bytes {
                continue 'salts;
            }
            hashes.push(hash);
        }
        return Ok((salt, hashes));
    }
    Err("64 salts all give two different shards the same file name".to_string())
}

fn fst_of<'k>(entries: impl Iterator<Item = (&'k [u8], u64)>) -> Result<Vec<u8>, String> {
    let mut b = fst::MapBuilder::memory();
    for (k, v) in entries {
        b.insert(k, v).map_err(|e| e.to_string())?;
    }
    b.into_inner().map_err(|e| e.to_string())
}

/// The bytes of one stored-text chunk: documents `range` of `p`.
fn stored_chunk(p: &Parts, range: std::ops::Range<usize>) -> Result<Vec<u8>, String> {
    let base = p.stored_starts[range.start];
    let end = p.stored_starts[range.end];
    let mut out = Vec::with_capacity((end - base) as usize + 4 * (range.len() + 2));
    out.extend_from_slice(&(range.len() as u32).to_le_bytes());
    for d in range.start..=range.end {
        let off = u32::try_from(p.stored_starts[d] - base).map_err(|_| "stored text larger than 4 GiB".to_string())?;
        out.extend_from_slice(&off.to_le_bytes());
    }
    out.extend_from_slice(&p.stored[base as usize..end as usize]);
    Ok(out)
}

/// A dictionary's (key, value) entries, sorted by key.
type Entries<'p> = (Vec<(&'p [u8], u64)>, Vec<(&'p [u8], u64)>, Vec<(&'p [u8], u64)>);

/// Where [`Parts::split`] cuts each kind of shard (see [`Parts::cuts`]).
struct Cuts {
    /// Each dictionary shard's first key ([`prefix_key`]).
    dictionary: Vec<u64>,
    /// Each words shard's first byte.
    words: Vec<u64>,
    /// Each postings chunk's first term.
    postings: Vec<usize>,
    /// Each positions file's first postings chunk (in `postings`).
    positions: Vec<usize>,
    /// Where each variant's postings start, and each chunk's first variant.
    variant_starts: Vec<u64>,
    variant_firsts: Vec<usize>,
    id_buckets: u64,
    /// Each stored-text file's first document.
    stored: Vec<usize>,
    /// Stored text was cut into fewer, larger files than its target, to
    /// fit under the file cap.
    stored_capped: bool,
}

impl Cuts {
    /// Files in the split (before `stored` is cut, the others).
    fn files(&self) -> usize {
        self.dictionary.len() + self.words.len() + self.postings.len() + self.positions.len() + self.variant_firsts.len() + self.id_buckets as usize + self.stored.len()
    }
}

/// A words shard's key: its entries' first byte.
fn first_byte(k: &[u8]) -> u64 {
    k.first().copied().unwrap_or(0) as u64
}

/// Cuts sorted entries (of one or more lists) into ranges of `key`, each
/// ending at the first key past about `target` bytes (an estimate: the
/// keys' lengths and values): each range's first key.
fn key_ranges(lists: &[&[(&[u8], u64)]], key: &dyn Fn(&[u8]) -> u64, target: usize) -> Vec<u64> {
    let mut sizes: BTreeMap<u64, usize> = BTreeMap::new();
    for list in lists {
        for (k, _) in list.iter() {
            *sizes.entry(key(k)).or_default() += k.len() + 4;
        }
    }
    let mut starts = Vec::new();
    let mut size = usize::MAX;
    for (k, n) in sizes {
        if size >= target {
            starts.push(k);
            size = 0;
        }
        size += n;
    }
    starts
}

impl Parts {
    /// The embedded layout: every section whole, in one file.
    pub fn embedded(&self) -> Result<(Vec<u8>, SectionSizes), String> {
        if self.checksummed {
            return Err("the embedded layout has no positions checksums".to_string());
        }
        let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];
        sections[Section::Terms as usize] = fst_of(self.terms.iter().map(|(t, o, _)| (t.as_slice(), *o)))?;
        sections[Section::Postings as usize] = self.postings.clone();
        sections[Section::Positions as usize] = self.positions.clone();
        sections[Section::Variants as usize] = fst_of(self.variants.iter().map(|(k, o)| (k.as_slice(), *o)))?;
        sections[Section::VariantPostings as usize] = self.variant_postings.clone();
        sections[Section::Surfaces as usize] = fst_of(self.surfaces.iter().map(|(k, v)| (k.as_slice(), *v)))?;
        self.root_sections(&mut sections);
        sections[Section::Ids as usize] = self.ids.clone();
        sections[Section::Stored as usize] = stored_chunk(self, 0..self.doc_count as usize)?;
        assemble(&sections, self.flags(), self.doc_count)
    }

    fn flags(&self) -> u16 {
        if self.has_sections {
            FLAG_SECTIONS
        } else {
            0
        }
    }

    fn root_sections(&self, sections: &mut [Vec<u8>]) {
        sections[Section::Fields as usize] = self.fields.clone();
        sections[Section::Facets as usize] = self.facets.clone();
    }

    /// The dictionaries' entries, as (key, value) lists: terms, surface
    /// words and variant keys, each sorted.
    fn entries(&self) -> Entries<'_> {
        (
            self.terms.iter().map(|(t, o, _)| (t.as_slice(), *o)).collect(),
            self.surfaces.iter().map(|(k, v)| (k.as_slice(), *v)).collect(),
            self.variants.iter().map(|(k, o)| (k.as_slice(), *o)).collect(),
        )
    }

    /// Where a split at `targets` cuts each kind of shard, given
    /// [`Self::entries`]. Nothing is built: [`Self::fitted`] counts files
    /// with it, and [`Self::split`] builds the shards it describes.
    fn cuts(&self, (terms, surfaces, variants): &Entries, targets: &ShardTargets) -> Cuts {
        let dictionary = key_ranges(&[terms, surfaces, variants], &prefix_key, targets.dictionary);
        let words = key_ranges(&[surfaces], &first_byte, targets.words);

        // Postings and positions, cut at the same terms.
        let mut postings = Vec::new();
        let (mut p0, mut q0) = (None::<u64>, 0u64);
        for (i, &(_, p, q)) in self.terms.iter().enumerate() {
            if p0.map_or(true, |p0| p - p0 >= targets.postings as u64 || q - q0 >= targets.positions as u64) {
                postings.push(i);
                (p0, q0) = (Some(p), q);
            }
        }
        // Positions files: one per postings chunk, planned with it; read by
        // range (located by their postings), one per run of postings
        // chunks up to `ranged_files`.
        let positions = match targets.positions as u64 > targets.range_above as u64 {
            false => (0..postings.len()).collect(),
            true => {
                let starts: Vec<u64> = postings.iter().map(|&i| self.terms[i].2).collect();
                cut(&starts, targets.ranged_files)
            }
        };
        let variant_starts: Vec<u64> = self.variants.iter().map(|(_, o)| *o).collect();
        let variant_firsts = cut(&variant_starts, targets.variant_postings);
        let id_buckets = self.ids.len().div_ceil(targets.ids.max(1)).max(1) as u64;

        let mut cuts = Cuts { dictionary, words, postings, positions, variant_starts, variant_firsts, id_buckets, stored: Vec::new(), stored_capped: false };

        // Stored text, by runs of documents' records, in the files left
        // (half of the cap at least): larger files if it must.
        let others = cuts.files();
        let room = targets.max_files.saturating_sub(others).max(targets.max_files / 2).max(1);
        let records = &self.packed_starts[..self.packed_starts.len().saturating_sub(1)];
        let mut target = targets.stored.max(1);
        cuts.stored = cut(records, target);
        while cuts.stored.len() > room {
            cuts.stored_capped = true;
            target = target.saturating_mul(2);
            cuts.stored = cut(records, target);
        }
        cuts
    }

    /// The finest of `base` and its [`ShardTargets::finer`] steps (up to
    /// [`FINER_STEPS`]) that still leaves stored text its own target
    /// within [`ShardTargets::max_files`]; `base` itself if none does.
    /// Smaller shards cost a query fewer bytes for about as many requests
    /// (one dictionary shard per word, and a postings chunk for a record
    /// whose end the dictionary does not give), so a corpus with files to
    /// spare gets them: medium gets three steps (its dictionary shards
    /// hold 1.25 KiB), large one (5 KiB).
    pub fn fitted(&self, base: &ShardTargets) -> ShardTargets {
        // Measured as `split` lays them out (it adds the checksums itself).
        if !self.checksummed {
            return self.with_record_checksums().map_or(*base, |p| p.fitted(base));
        }
        let entries = self.entries();
        (1..=FINER_STEPS)
            .rev()
            .map(|k| base.finer(k))
            .find(|t| {
                let c = self.cuts(&entries, t);
                !c.stored_capped && c.files() <= t.max_files
            })
            .unwrap_or(*base)
    }

    /// These parts with a checksum before each term's postings and
    /// positions records ([`RECORD_CHECKSUM_BYTES`]), and the positions
    /// record's length after its offset in the postings header, as the
    /// split layout lays them out: positions offsets move (in the postings, which then move
    /// too, and in the dictionaries' values). Done once, on a copy; [`Self::split`]
    /// does it itself when given parts without them (build.rs hands it
    /// the result of this, to hold the index once).
    pub fn with_record_checksums(&self) -> Result<Parts, String> {
        self.clone().into_record_checksums()
    }

    /// [`Self::with_record_checksums`], in place of these parts.
    pub fn into_record_checksums(mut self) -> Result<Parts, String> {
        if self.checksummed {
            return Ok(self);
        }
        let err = |e: super::IndexError| e.to_string();
        let mut terms = Vec::with_capacity(self.terms.len());
        let mut postings = Vec::with_capacity(self.postings.len() + (RECORD_CHECKSUM_BYTES + 2) * self.terms.len());
        let mut positions = Vec::with_capacity(self.positions.len() + RECORD_CHECKSUM_BYTES * self.terms.len());
        for (k, (term, p, q)) in self.terms.iter().enumerate() {
            let (pe, qe) = self.terms.get(k + 1).map_or((self.postings.len() as u64, self.positions.len() as u64), |t| (t.1, t.2));
            let record = &self.positions[*q as usize..qe as usize];
            let (new_p, new_q) = (postings.len() as u64, positions.len() as u64);
            positions.extend_from_slice(&record_checksum(record).to_le_bytes());
            positions.extend_from_slice(record);
            // The postings record: its checksum, then its header (df, the
            // positions offset, which moves, and the positions record's
            // length) and its entries.
            let mut c = Cursor::at(&self.postings, *p as usize, "postings").map_err(err)?;
            let df = c.varint().map_err(err)?;
            c.varint().map_err(err)?;
            let mut rest = Vec::new();
            put(&mut rest, df);
            put(&mut rest, new_q);
            put(&mut rest, (RECORD_CHECKSUM_BYTES + record.len()) as u64);
            rest.extend_from_slice(&self.postings[c.pos()..pe as usize]);
            postings.extend_from_slice(&record_checksum(&rest).to_le_bytes());
            postings.extend_from_slice(&rest);
            terms.push((term.clone(), new_p, new_q));
        }
        // Surface words lead to their terms' new postings offsets.
        let mut surfaces = Vec::with_capacity(self.surfaces.len());
        for (word, v) in &self.surfaces {
            let (offset, df) = surface_parts(*v);
            let k = self.terms.binary_search_by_key(&offset, |t| t.1).map_err(|_| "a word leads to no term's postings".to_string())?;
            surfaces.push((word.clone(), surface_value(terms[k].1, df)));
        }
        // Stored text: one compressed record per document.
        let (mut packed, mut packed_starts) = (Vec::new(), Vec::with_capacity(self.stored_starts.len()));
        for d in self.stored_starts.windows(2) {
            packed_starts.push(packed.len() as u64);
            packed.extend_from_slice(&pack(&self.stored[d[0] as usize..d[1] as usize]));
        }
        packed_starts.push(packed.len() as u64);
        (self.terms, self.postings, self.positions, self.surfaces, self.checksummed) = (terms, postings, positions, surfaces, true);
        (self.packed, self.packed_starts) = (packed, packed_starts);
        Ok(self)
    }

    /// The split layout's STORED section, in the root: each document's
    /// compressed record length, as byte planes ([`put_byte_planes`]).
    fn record_lengths(&self) -> Result<Vec<u8>, String> {
        let lengths = self
            .packed_starts
            .windows(2)
            .map(|w| u32::try_from(w[1] - w[0]).map_err(|_| "a stored-text record larger than 4 GiB".to_string()))
            .collect::<Result<Vec<u32>, String>>()?;
        let mut out = Vec::with_capacity(1 + 2 * lengths.len());
        put_byte_planes(&mut out, lengths.iter().copied());
        Ok(out)
    }

    /// The split layout: a root (fields, facets, the shard directory and
    /// stored text's record lengths) and shard files, cut as
    /// [`super::shards`] describes.
    pub fn split(&self, targets: &ShardTargets) -> Result<Split, String> {
        if !self.checksummed {
            return self.with_record_checksums()?.split(targets);
        }
        let entries = self.entries();
        let cuts = self.cuts(&entries, targets);
        let mut shards: Vec<(Shard, Vec<u8>)> = Vec::with_capacity(cuts.files());
        let mut add = |kind: Kind, key: u64, bytes: Vec<u8>| -> Result<(), String> {
            let len = u32::try_from(bytes.len()).map_err(|_| format!("a {} shard larger than 4 GiB", kind.name()))?;
            // Hashed once every shard is known (see `choose_salt`).
            shards.push((Shard { kind, key, len, hash: 0 }, bytes));
            Ok(())
        };

        // Dictionaries, by ranges of 3-byte prefixes; words, by ranges of
        // first bytes. Entries are sorted, so each range is contiguous.
        let (terms, surfaces, variants) = &entries;
        fn within(entries: &[(&[u8], u64)], key: &dyn Fn(&[u8]) -> u64, from: u64, to: Option<u64>) -> std::ops::Range<usize> {
            let a = entries.partition_point(|e| key(e.0) < from);
            let b = to.map_or(entries.len(), |to| entries.partition_point(|e| key(e.0) < to));
            a..b
        }
        let mut dictionary = |kind: Kind, lists: [&[(&[u8], u64)]; 3], key: &dyn Fn(&[u8]) -> u64, starts: &[u64]| -> Result<(), String> {
            for (j, &from) in starts.iter().enumerate() {
                let to = starts.get(j + 1).copied();
                let mut bytes = Vec::new();
                for list in lists {
                    let part = fst_of(list[within(list, key, from, to)].iter().copied())?;
                    put(&mut bytes, part.len() as u64);
                    bytes.extend_from_slice(&part);
                }
                add(kind, from, bytes)?;
            }
            Ok(())
        };
        dictionary(Kind::Dictionary, [terms, surfaces, variants], &prefix_key, &cuts.dictionary)?;
        dictionary(Kind::Words, [&[], surfaces, &[]], &first_byte, &cuts.words)?;

        let firsts = &cuts.postings;
        // Where postings chunk `j` starts, in POSTINGS and in POSITIONS.
        let start = |j: usize| firsts.get(j).map_or((self.postings.len() as u64, self.positions.len() as u64), |&i| (self.terms[i].1, self.terms[i].2));
        for j in 0..firsts.len() {
            let ((p, _), (pe, _)) = (start(j), start(j + 1));
            add(Kind::Postings, p, self.postings[p as usize..pe as usize].to_vec())?;
        }
        for (k, &j) in cuts.positions.iter().enumerate() {
            let (q, qe) = (start(j).1, start(cuts.positions.get(k + 1).copied().unwrap_or(firsts.len())).1);
            add(Kind::Positions, q, self.positions[q as usize..qe as usize].to_vec())?;
        }

        let (starts, firsts) = (&cuts.variant_starts, &cuts.variant_firsts);
        for (j, &i) in firsts.iter().enumerate() {
            let end = firsts.get(j + 1).map_or(self.variant_postings.len() as u64, |&n| starts[n]);
            add(Kind::VariantPostings, starts[i], self.variant_postings[starts[i] as usize..end as usize].to_vec())?;
        }

        // Ids, hashed into buckets.
        let buckets = cuts.id_buckets;
        for b in 0..buckets {
            add(Kind::Ids, b, fst_of(self.id_list.iter().filter(|(id, _)| id_bucket(id, buckets) == b).map(|(id, n)| (id.as_bytes(), *n)))?)?;
        }

        // Stored text: runs of documents' compressed records; the root
        // holds each record's length.
        for (j, &i) in cuts.stored.iter().enumerate() {
            let end = cuts.stored.get(j + 1).copied().unwrap_or(self.doc_count as usize);
            let (a, b) = (self.packed_starts[i] as usize, self.packed_starts[end] as usize);
            add(Kind::Stored, i as u64, self.packed[a..b].to_vec())?;
        }
        debug_assert_eq!(shards.len(), cuts.files());

        shards.sort_by_key(|(s, _)| (s.kind, s.key));
        let (salt, hashes) = choose_salt(shards.iter().map(|(s, b)| (s.kind, b.as_slice())))?;
        for ((s, _), hash) in shards.iter_mut().zip(hashes) {
            s.hash = hash;
        }
        let directory = Directory::new(shards.iter().map(|(s, _)| *s).collect(), salt, targets.range_above).map_err(|e| e.to_string())?;
        let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];
        self.root_sections(&mut sections);
        sections[Section::Directory as usize] = directory.encode();
        sections[Section::Stored as usize] = self.record_lengths()?;
        let (root, mut sizes) = assemble(&sections, FLAG_SPLIT | self.flags(), self.doc_count)?;
        // Sizes count each section's bytes, wherever they are.
        for (s, bytes) in &shards {
            match s.kind {
                Kind::Dictionary => sizes[Section::Terms as usize] += bytes.len(),
                Kind::Words => sizes[Section::Surfaces as usize] += bytes.len(),
                Kind::Postings => sizes[Section::Postings as usize] += bytes.len(),
                Kind::Positions => sizes[Section::Positions as usize] += bytes.len(),
                Kind::VariantPostings => sizes[Section::VariantPostings as usize] += bytes.len(),
                Kind::Stored => sizes[Section::Stored as usize] += bytes.len(),
                Kind::Ids => sizes[Section::Ids as usize] += bytes.len(),
            }
        }
        Ok(Split { root, files: shards.into_iter().map(|(s, b)| (s.file_name(), b)).collect(), sizes })
    }
}

/// Header, section table and sections: one index file.
fn assemble(sections: &[Vec<u8>], flags: u16, doc_count: u32) -> Result<(Vec<u8>, SectionSizes), String> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&doc_count.to_le_bytes());
    out.extend_from_slice(&(SECTIONS as u32).to_le_bytes());
    let checksum = sections[..checksummed(flags)].iter().fold(FNV_OFFSET, |h, s| fnv1a(h, s));
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
    for s in sections {
        out.extend_from_slice(s);
    }
    Ok((out, sizes))
}

/// One column of lengths as one-byte codes ([`super::norms`]): width 0,
/// then one code per value.
pub fn put_length_codes(out: &mut Vec<u8>, values: impl Iterator<Item = u32>) {
    out.push(0);
    out.extend(values.map(super::norms::length_code));
}

/// One column of `u32`s as byte planes (see `FIELDS` in [`super`]): the
/// width `w` (1–4, the bytes of the largest value, at least one so that
/// a reader can bound the count by the bytes before it allocates), then
/// `w` planes of one byte per value, least significant plane first. Lengths of one
/// field are alike, and so are their high bytes: gzip packs a plane
/// tighter than interleaved varints (on the large corpus, 10.0 KB
/// instead of 12.9 KB).
pub fn put_byte_planes(out: &mut Vec<u8>, values: impl Iterator<Item = u32> + Clone) {
    let max = values.clone().max().unwrap_or(0);
    let width = (4 - max.leading_zeros() / 8).max(1) as usize;
    out.push(width as u8);
    for plane in 0..width {
        out.extend(values.clone().map(|v| (v >> (8 * plane)) as u8));
    }
}
