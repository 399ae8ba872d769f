//! The compact binary index: its layout, its writer and its reader.
//!
//! `build.rs` writes it once, in one of two layouts (`RECHERCHE_LAYOUT`):
//!
//! - **embedded**: one file, every section whole, compiled into the
//!   module with `include_bytes!`;
//! - **split**: a small root compiled into the module (what every query
//!   needs: field lengths, facets and the shard directory) and shard
//!   files beside the package, fetched as queries need them (see
//!   [`shards`] for how sections are cut, and [`crate::plan`]).
//!
//! The reader reads both in place: postings, stored text and the
//! dictionaries are decoded lazily, per query; only the per-document
//! field lengths and facet values (a few bytes per document) are decoded
//! at start-up, and each fst dictionary is validated once ([`fst_check`]):
//! the embedded ones at start-up, a split index's as its shard loads.
//!
//! ```text
//!  offset 0                                                            embedded   split
//!  ┌──────────────────────────────────────────────────────────────────┐
//!  │ magic "RCHX" │ version u16 │ flags u16 │ doc_count u32 │ n u32   │  header, 20 bytes
//!  │ checksum u32: FNV-1a of every section before STORED (split: all) │  (flags bit 0: split,
//!  │                                                                  │   bit 1: sections)
//!  ├──────────────────────────────────────────────────────────────────┤
//!  │ n × (offset u32, length u32)                                     │  section table
//!  ├─ TERMS ──────────────────────────────────────────────────────────┤
//!  │ fst map: term (folded Snowball stem) → offset in POSTINGS        │  whole      dictionary shards
//!  ├─ POSTINGS ───────────────────────────────────────────────────────┤
//!  │ per term (split: a checksum u32, FNV-1a of the rest): df, offset │  whole      postings chunks,
//!  │ of its positions in POSITIONS (split: and their record's length),│             or records by
//!  │ then df × { doc Δ, field mask u8, per field in mask: tf }        │             byte range
//!  ├─ POSITIONS ──────────────────────────────────────────────────────┤
//!  │ per term (split: a checksum u32, FNV-1a of the rest), then per   │  whole      positions chunks,
//!  │ posting, per field in its mask: tf × position Δ                  │             or records by
//!  │ (read only for phrases and the proximity bonus)                  │             byte range
//!  ├─ VARIANTS ───────────────────────────────────────────────────────┤
//!  │ fst map: term 0x01 accented stem (`securit␁sécurit`) → offset    │  whole      dictionary shards
//!  ├─ VARIANT_POSTINGS ───────────────────────────────────────────────┤
//!  │ per variant: n, then n × { doc Δ, tf (all fields) }              │  whole      variant chunks
//!  ├─ SURFACES ───────────────────────────────────────────────────────┤
//!  │ fst map: folded word as written (`politiques`) → its term's      │  whole      dictionary and
//!  │ POSTINGS offset << 8 | its df as a one-byte code (`norms`):      │             words shards
//!  │ what completion and typo tolerance walk, so they see the words   │
//!  │ the reader types, not stems, and rank completions by frequency   │
//!  │ (within 1/32) without reading postings                           │
//!  ├─ FIELDS ─────────────────────────────────────────────────────────┤
//!  │ 3 × f32 average length; per field (title, body, captions): its   │  whole      root
//!  │ lengths as byte planes: width w u8 (1–4), then w × doc_count     │
//!  │ bytes, plane k holding byte k of every document's length; or     │
//!  │ width 0 (body, captions), then doc_count one-byte codes (`norms`)│
//!  ├─ FACETS ─────────────────────────────────────────────────────────┤
//!  │ sources: n, n × str; people: n, n × str;                         │  whole      root
//!  │ per doc: date (0 = none, else zigzag(day ordinal) + 1),          │
//!  │          source (0 = none, else index + 1), people: n, n × index │
//!  ├─ IDS ────────────────────────────────────────────────────────────┤
//!  │ fst map: document id → document number                           │  whole      id buckets
//!  ├─ DIRECTORY ──────────────────────────────────────────────────────┤
//!  │ the shard files: range_above, per-kind counts, then the columns  │  empty      root
//!  │ key Δ, length and content hash (see [`shards`])                  │
//!  ├─ STORED ─────────────────────────────────────────────────────────┤
//!  │ n u32, (n + 1) × u32: where each document starts, then per doc:  │  whole      stored files of
//!  │   id, title, updated?, url?, body[], captions[],                 │             records; the
//!  │   sections: n, n × { heading str, anchor str, paragraph, position } │          root: lengths
//!  │ (date, source and people are read from FACETS: stored once)      │
//!  │ split: each document's record is raw deflate (RFC 1951) of a     │
//!  │ checksum u32 (FNV-1a of the rest) then its bytes as above, read  │
//!  │ alone by byte range; the root's STORED holds every record's      │
//!  │ compressed length as byte planes (like FIELDS, width 1–4)        │
//!  └──────────────────────────────────────────────────────────────────┘
//! ```
//!
//! In the split layout, sections marked as shards are empty in the root;
//! dictionary values stay offsets into the whole POSTINGS (or
//! VARIANT_POSTINGS), which the reader maps to a chunk and an offset in it.
//!
//! Integers without a width are LEB128 varints; fixed-width integers are
//! little-endian. `str` is a varint byte length and UTF-8 bytes; `str?` is
//! 0 for null or length + 1; `[]` is a varint count of `str`. A section's
//! `paragraph` is the index in `body` of its heading and `position` the
//! body position of that paragraph's first word, both ascending from one
//! section to the next (see [`crate::document::Section`]). Positions
//! count words within one field (stop words included); paragraphs are
//! [`PARAGRAPH_GAP`] positions apart so that a phrase never spans two,
//! unless it holds a run of [`PARAGRAPH_GAP`] stop words or more (`"otan
//! de de … de défense"`): stop words are not indexed, so such a run
//! cannot be told from a gap. No French text has one.
//!
//! The reader checks the magic, the version, every section bound, the
//! checksum of the root's sections (the directory with the shards'
//! hashes among them), each shard's length and content hash as it is
//! loaded, and every varint and length it reads: a corrupt index is an
//! [`IndexError`], never a panic or an out-of-bounds read. Stored text is
//! checked as it is read (bounds and UTF-8; a split index's records by
//! their checksums too, each at its place in its file, as the root's
//! lengths give it). The checksum is our own
//! FNV-1a rather than fst's CRC32C, whose 16 KB lookup table would be the
//! largest thing in the module.

pub mod fst_check;
pub mod norms;
pub mod read;
pub mod shards;
pub mod varint;
pub mod walk;
#[cfg(not(target_arch = "wasm32"))]
pub mod write;

use std::fmt;

/// First four bytes of every index.
pub const MAGIC: &[u8; 4] = b"RCHX";

/// Format version; bumped on any layout change. The reader refuses others.
/// 2: stored text ends each document with its sections; the SURFACES
/// dictionary. 3: the split layout and its DIRECTORY; STORED holds its
/// own offsets. 4: the DIRECTORY counts shards per kind, delta-codes
/// their keys, and names them by salted 32-bit hashes. 5: FIELDS as byte
/// planes per field rather than varints per document, and the DIRECTORY
/// in columns (a root smaller by 3.4 KB gzipped on the large corpus).
/// 6: split postings and positions records start with a checksum, the
/// positions record's length is in the postings header, and the
/// DIRECTORY says above which length a chunk is read by byte range.
/// 7: FIELDS holds the body's and captions' lengths as one-byte codes
/// (`norms`), width 0. 8: SURFACES values hold the document frequency
/// as a one-byte code too (`surface_value`). 9: a split index's stored
/// text is one compressed record per document (`write::pack`), read by
/// byte range, and the root's STORED holds their lengths.
pub const VERSION: u16 = 9;

/// Header flag: the index is a split layout's root.
pub const FLAG_SPLIT: u16 = 1;

/// Header flag: some document has sections (an HTML page's `h2`/`h3`
/// with an `id`), so a result page reads the positions of the terms a
/// query matched (a split index fetches them with the page's stored
/// text). Not checksummed: it only changes what is fetched when.
pub const FLAG_SECTIONS: u16 = 2;

/// `RECHERCHE_LAYOUT=auto` (the default) splits an index whose embedded
/// layout would be larger than this; smaller ones are embedded.
///
/// Measured over the benchmark's 4G-class link (`make bench`'s
/// `bench/network.mjs`, median of 5 cold loads to the first answer of
/// `tableau`) on the first 90, 180 and 360 documents of the medium
/// corpus, whose embedded indexes are about 340 KB, 520 KB and 830 KB:
///
/// ```text
///  documents   embedded            split
///  90          462 ms, 238 KB      522 ms, 110 KB
///  180         516 ms, 297 KB      534 ms, 120 KB
///  360         656 ms, 405 KB      663 ms, 137 KB
///  1,000       1,377 ms, 1,174 KB  769 ms, 196 KB   (make bench)
/// ```
///
/// Split, a page always downloads less, but each first query waits for
/// two or three more round trips; the two meet in time around 800 KB and
/// split wins beyond. At 512 KiB split is 3 % slower to the first
/// answer and downloads 60 % less, and later queries cost a few small
/// files: the threshold sits there. The seeds (26 KB) stay embedded,
/// medium (2.9 MB) and large (22 MB) are split.
pub const AUTO_SPLIT_BYTES: usize = 512 * 1024;

/// Size of the fixed header before the section table.
pub const HEADER_LEN: usize = 20;

/// Sections covered by the header checksum of an embedded index: all
/// before stored text (which is checked as it is read: bounds and UTF-8),
/// so that opening one does not hash every document.
pub const CHECKSUMMED: usize = Section::Stored as usize;

/// Sections covered by the header checksum of an index with these
/// header flags: a split root's STORED (its records' lengths) too.
pub fn checksummed(flags: u16) -> usize {
    if flags & FLAG_SPLIT != 0 {
        SECTIONS
    } else {
        CHECKSUMMED
    }
}

/// 32-bit FNV-1a, continuing from `hash` (start with [`FNV_OFFSET`]).
pub fn fnv1a(mut hash: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        hash ^= b as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// FNV-1a's initial value.
pub const FNV_OFFSET: u32 = 0x811C_9DC5;

/// Fields, in index order. A posting's field mask has bit `i` for field `i`.
pub const FIELDS: [&str; 3] = ["title", "body", "captions"];
pub const TITLE: usize = 0;
pub const BODY: usize = 1;
pub const CAPTIONS: usize = 2;

/// Most occurrences of one term in one field of one document. The writer
/// refuses a document past it (the build fails naming the document's file
/// and line) and the reader refuses a larger frequency as corrupt, so the
/// two accept exactly the same indexes. 16,777,216 occurrences is a field
/// of at least 16 million words.
pub const MAX_TERM_FREQUENCY: u32 = 1 << 24;

/// Positions left empty between two paragraphs of a field.
pub const PARAGRAPH_GAP: u32 = 16;

/// Bytes of the checksum that starts each term's postings and positions
/// records in a split index (FNV-1a of the rest of the record,
/// little-endian), so that a record fetched alone by byte range is
/// checked as a whole file is by its content hash (see
/// [`shards::Directory::range_above`]). The embedded layout has none: its
/// bytes are checked once, whole.
pub const RECORD_CHECKSUM_BYTES: usize = 4;

/// A split index's stored-text record inflates to at most this many times
/// its compressed length plus [`INFLATE_SLACK`] bytes: the writer stores
/// a record that would inflate further without compression
/// (`write::pack`), so that the JS can refuse an altered record as it
/// inflates, before a few bytes become gigabytes. French text compresses
/// about 3 to 1.
pub const MAX_INFLATE_RATIO: usize = 64;

/// See [`MAX_INFLATE_RATIO`].
pub const INFLATE_SLACK: usize = 1024;

/// The checksum that starts a split record: FNV-1a of the rest of it.
pub fn record_checksum(rest: &[u8]) -> u32 {
    fnv1a(FNV_OFFSET, rest)
}

/// Separates a term from its accented spelling in VARIANTS keys.
pub const VARIANT_SEPARATOR: u8 = 0x01;

/// Bits of a SURFACES value that hold its term's document frequency, as
/// a one-byte code ([`norms::length_code`]: exact below 32, then within
/// 1/32); the postings offset is above them. Completion and typo
/// tolerance only rank the words they find by it, and a small value keeps
/// the fst's outputs short: with the frequency in 24 exact bits, every
/// value took 4 bytes or more (the seeds' SURFACES shrink by a fifth).
pub const SURFACE_DF_BITS: u32 = 8;

/// A SURFACES value: a term's postings offset and document frequency.
pub fn surface_value(offset: u64, df: u32) -> u64 {
    (offset << SURFACE_DF_BITS) | u64::from(norms::length_code(df))
}

/// The postings offset and document frequency (as coded: within 1/32) of
/// a SURFACES value.
pub fn surface_parts(value: u64) -> (u64, u32) {
    (value >> SURFACE_DF_BITS, norms::code_length(value as u8))
}

/// Section numbers, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Section {
    Terms = 0,
    Postings,
    Positions,
    Variants,
    VariantPostings,
    Surfaces,
    Fields,
    Facets,
    Ids,
    Directory,
    Stored,
}

/// Number of sections.
pub const SECTIONS: usize = 11;

impl Section {
    pub const ALL: [Section; SECTIONS] = [
        Section::Terms,
        Section::Postings,
        Section::Positions,
        Section::Variants,
        Section::VariantPostings,
        Section::Surfaces,
        Section::Fields,
        Section::Facets,
        Section::Ids,
        Section::Directory,
        Section::Stored,
    ];

    pub fn name(self) -> &'static str {
        ["terms", "postings", "positions", "variants", "variant postings", "surfaces", "fields", "facets", "ids", "directory", "stored text"][self as usize]
    }
}

/// What is wrong with an index's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexError(pub String);

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt index: {}", self.0)
    }
}

impl std::error::Error for IndexError {}

pub(crate) fn corrupt(what: &str) -> IndexError {
    IndexError(what.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surface_value_keeps_its_offset_and_codes_its_frequency() {
        let offsets = [0u64, 1, 255, 256, 65_535, 1 << 32, (1 << 40) - 1];
        let dfs = [0u32, 1, 31, 32, 33, 100, 5_880, 1_000_000, u32::MAX];
        for &offset in &offsets {
            let mut last = None;
            for &df in &dfs {
                let v = surface_value(offset, df);
                let (o, d) = surface_parts(v);
                assert_eq!(o, offset);
                assert_eq!(d, norms::code_length(norms::length_code(df)), "{df}");
                if df < 32 {
                    assert_eq!(d, df);
                }
                // Coding again changes nothing (split builds re-encode).
                assert_eq!(surface_value(o, d), v);
                // Frequencies keep their order (ties allowed).
                assert!(last.map_or(true, |l| l <= d), "{df}");
                last = Some(d);
            }
        }
        // The value stays small: an offset under 2¹⁶ fits in 3 bytes.
        assert!(surface_value(65_535, u32::MAX) < 1 << 24);
    }
}
