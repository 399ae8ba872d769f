//! The compact binary index: its layout, its writer and its reader.
//!
//! `build.rs` writes it once; the wasm module embeds the bytes with
//! `include_bytes!` and reads them in place: postings, stored text and
//! the dictionaries are decoded lazily, per query; only the per-document
//! field lengths and facet values (a few bytes per document) are decoded
//! at start-up.
//!
//! ```text
//!  offset 0
//!  ┌──────────────────────────────────────────────────────────────────┐
//!  │ magic "RCHX" │ version u16 │ flags u16 │ doc_count u32 │ n u32   │  header, 20 bytes
//!  │ checksum u32: FNV-1a of every section before STORED_OFFSETS      │
//!  ├──────────────────────────────────────────────────────────────────┤
//!  │ n × (offset u32, length u32)                                     │  section table
//!  ├─ TERMS ──────────────────────────────────────────────────────────┤
//!  │ fst map: term (folded Snowball stem) → offset in POSTINGS        │
//!  ├─ POSTINGS ───────────────────────────────────────────────────────┤
//!  │ per term: df, offset of its positions in POSITIONS,              │
//!  │           then df × { doc Δ, field mask u8, per field in mask: tf } │
//!  ├─ POSITIONS ──────────────────────────────────────────────────────┤
//!  │ per term, per posting, per field in its mask: tf × position Δ    │
//!  │ (read only for phrases and the proximity bonus)                  │
//!  ├─ VARIANTS ───────────────────────────────────────────────────────┤
//!  │ fst map: term 0x01 accented stem (`securit␁sécurit`) → offset    │
//!  ├─ VARIANT_POSTINGS ───────────────────────────────────────────────┤
//!  │ per variant: n, then n × { doc Δ, tf (all fields) }              │
//!  ├─ FIELDS ─────────────────────────────────────────────────────────┤
//!  │ 3 × f32 average length; per doc: 3 × length (title, body, capt.) │
//!  ├─ FACETS ─────────────────────────────────────────────────────────┤
//!  │ sources: n, n × str; people: n, n × str;                         │
//!  │ per doc: date (0 = none, else zigzag(day ordinal) + 1),          │
//!  │          source (0 = none, else index + 1), people: n, n × index │
//!  ├─ IDS ────────────────────────────────────────────────────────────┤
//!  │ fst map: document id → document number                           │
//!  ├─ STORED_OFFSETS ─────────────────────────────────────────────────┤
//!  │ (doc_count + 1) × u32: where each document starts in STORED      │
//!  ├─ STORED ─────────────────────────────────────────────────────────┤
//!  │ per doc: id, title, updated?, url?, body[], captions[],          │
//!  │          sections: n, n × { heading str, anchor str,             │
//!  │                                 paragraph, position }            │
//!  │ (date, source and people are read from FACETS: stored once)      │
//!  └──────────────────────────────────────────────────────────────────┘
//! ```
//!
//! Integers without a width are LEB128 varints; fixed-width integers are
//! little-endian. `str` is a varint byte length and UTF-8 bytes; `str?` is
//! 0 for null or length + 1; `[]` is a varint count of `str`. A section's
//! `paragraph` is the index in `body` of its heading and `position` the
//! body position of that paragraph's first word, both ascending from one
//! section to the next (see [`crate::document::Section`]). Positions
//! count words within one field (stop words included); paragraphs are
//! [`PARAGRAPH_GAP`] positions apart so that a phrase never spans two.
//!
//! The reader checks the magic, the version, every section bound, the
//! checksum of the dictionaries, postings and facets (stored text is
//! checked as it is read: bounds and UTF-8), and every varint and length
//! it reads: a corrupt index is an [`IndexError`], never a panic or an
//! out-of-bounds read. The checksum is our own FNV-1a rather than fst's
//! CRC32C, whose 16 KB lookup table would be the largest thing in the
//! module.

pub mod read;
pub mod varint;
#[cfg(not(target_arch = "wasm32"))]
pub mod write;

use std::fmt;

/// First four bytes of every index.
pub const MAGIC: &[u8; 4] = b"RCHX";

/// Format version; bumped on any layout change. The reader refuses others.
/// 2: stored text ends each document with its sections.
pub const VERSION: u16 = 2;

/// Size of the fixed header before the section table.
pub const HEADER_LEN: usize = 20;

/// Sections covered by the header checksum: all before this one.
pub const CHECKSUMMED: usize = Section::StoredOffsets as usize;

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

/// Separates a term from its accented spelling in VARIANTS keys.
pub const VARIANT_SEPARATOR: u8 = 0x01;

/// Section numbers, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Section {
    Terms = 0,
    Postings,
    Positions,
    Variants,
    VariantPostings,
    Fields,
    Facets,
    Ids,
    StoredOffsets,
    Stored,
}

/// Number of sections.
pub const SECTIONS: usize = 10;

impl Section {
    pub const ALL: [Section; SECTIONS] = [
        Section::Terms,
        Section::Postings,
        Section::Positions,
        Section::Variants,
        Section::VariantPostings,
        Section::Fields,
        Section::Facets,
        Section::Ids,
        Section::StoredOffsets,
        Section::Stored,
    ];

    pub fn name(self) -> &'static str {
        ["terms", "postings", "positions", "variants", "variant postings", "fields", "facets", "ids", "stored offsets", "stored text"][self as usize]
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
