//! The shard directory: which file of a split index holds which part.
//!
//! A split index is a small root, embedded in the module, and shard files
//! beside the package (`pkg/index/`). The root's `DIRECTORY` section lists
//! every shard; each one's name is its kind's letter and the hex of its
//! 32-bit content hash (`p3f09a2c4.bin`, see [`file_hash`]), so a host can
//! cache it forever and a changed index gets new names.
//!
//! ```text
//!  DIRECTORY: n, salt, range_above, then KINDS counts (shards of each
//!             kind, in kind order), then, for the n shards sorted by (kind, key), in
//!             columns: n × (key − previous key of its kind), n × length,
//!             n × hash u32 LE; varints but the hashes
//!
//!  kind            key                          file holds
//!  ─────────────── ──────────────────────────── ──────────────────────────────────────
//!  0 dictionary    first 3 bytes of its first    3 × (length, fst): TERMS, SURFACES and
//!                  keys (`prefix_key`)          VARIANTS entries from there to the next
//!                                               dictionary's key
//!  1 postings      offset in the whole POSTINGS  POSTINGS bytes up to the next chunk's key;
//!                                               split: each term's record starts with its
//!                                               checksum
//!  2 positions     offset in the whole POSITIONS POSITIONS bytes, same terms as postings
//!                                               chunk of the same rank (or, read by
//!                                               range, as a run of them); each term's
//!                                               record starts with its checksum
//!  3 variants      offset in VARIANT_POSTINGS    VARIANT_POSTINGS bytes
//!  4 stored        first document               the documents' compressed records
//!                                               (`write::pack`), from there to the next
//!                                               file's key; the root gives their lengths
//!  5 ids           bucket b (0, 1, …, n − 1)     fst: the document ids whose
//!                                               content_hash % n is b → number
//!  6 words         first byte                   3 × (length, fst), only SURFACES filled:
//!                                               every word whose first byte is from
//!                                               there to the next shard's key
//! ```
//!
//! Why these boundaries:
//! - **Dictionaries by 3-byte prefix ranges.** Exact lookups and prefix
//!   completion, the common case, read one small shard: a range of
//!   3-byte prefixes is never cut, so the words starting with any prefix
//!   of 3 bytes or more (a completion starts at 3 letters) are all in the
//!   shard of that prefix. A term, a surface word and a variant key are
//!   each looked up by their own first bytes; a word whose stem starts
//!   differently still works, it only needs two shards.
//! - **Words by first byte.** The typo automaton fixes the first letter
//!   (see [`crate::expand`]), and a completion of one or two letters ranks
//!   every word starting with them: both read the words shard of their
//!   first byte, a copy of the surfaces of every word with that first
//!   byte, and find every word they would find in the whole dictionary.
//!   It is fetched only when they run: a typo search runs once the word's
//!   dictionary shows it is not there exactly.
//! - **Postings and positions by term range.** Values in the dictionaries
//!   stay offsets into the whole (virtual) section; a reader finds the
//!   chunk holding an offset by binary search on the keys. A term's
//!   postings, and its positions, never straddle two chunks, and postings
//!   chunk `r` and positions chunk `r` cover the same terms, so the
//!   positions a query will need are known from its postings offsets
//!   before any postings are read ([`crate::plan`]).
//! - **Records by byte range above [`Directory::range_above`].** A
//!   query needs the postings and positions of a few terms: a whole
//!   16 KiB chunk costs 7 KB (postings) or 14 KB (positions, which barely
//!   compress) on the wire for the 1 or 2 KB of the terms a query reads.
//!   Postings and positions chunks longer than `range_above` (by
//!   default 0: every chunk) are
//!   therefore read one term's record at a time, with an HTTP `Range`
//!   request (`p3f09a2c4.bin#1200-3400`, see [`range_name`]). A postings
//!   record's bounds are in the dictionary (its term's offset, and the
//!   next term's: the last term of a dictionary shard has its chunk read
//!   whole), so it comes in the same round as a whole chunk would; a
//!   positions record's are in its term's postings header (offset and
//!   length), so it comes a round after them. Each record starts with the
//!   FNV-1a checksum of the rest, which plays the part of the file's
//!   content hash. A host that ignores `Range` answers with the whole
//!   file, which is loaded and checked whole instead. The browser gets a
//!   record from a URL of its own (`p3f09a2c4.bin?1200-3400`: hosts
//!   ignore the query), as its cache lets one request at a time in per
//!   URL, which would make a file's records come one after another. Read so, a positions
//!   file holds the chunks of several postings chunks (about 96 KiB,
//!   `ranged_files`): the files saved let the shards a query reads by
//!   term be smaller. Postings chunks
//!   keep their size, as a record whose end the dictionary does not give
//!   (the last term of a dictionary shard; an expansion found through the
//!   words of a first letter, for typos and completions of one or two
//!   letters) is read with its whole chunk, as before. Shorter chunks come
//!   whole, positions with their postings (one round fewer: at 9 Mbit/s a
//!   round trip costs as much as 70 KB).
//! - **Stored text by document.** A page of results reads each
//!   result's record alone, by byte range: no other document's text
//!   comes with it. A range is not compressed on the wire (hosts compress
//!   whole responses only), so each record is compressed at build time
//!   with raw deflate, and the JS inflates it with the browser's
//!   `DecompressionStream` (the module holds no inflater). The root holds
//!   every record's length (about 1 byte gzipped per document), and files
//!   hold records of consecutive documents up to 64 KiB, so stored text
//!   takes few of the files a host allows. A host that ignores `Range`
//!   sends the whole file, from which the JS cuts the record.
//! - **Ids by hash.** Only `getDocument` looks a document up by id, so
//!   the ids are not in the root; hashing spreads ids that share a long
//!   prefix (`lo/scalc/…`) over buckets of even size.
//! - **Sizes by the file cap.** A query reads one dictionary shard per
//!   word whatever its size, and a whole postings chunk for a record whose
//!   end the dictionary does not give, so smaller ones cost it fewer bytes
//!   for the same requests. The build makes them as small as the cap
//!   allows once stored text has its files
//!   ([`super::write::Parts::fitted`]).
//!
//! The embedded layout has an empty directory: its sections are whole.

use super::varint::{put, Cursor};
use super::{corrupt, IndexError};

/// What a shard holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Kind {
    Dictionary = 0,
    Postings = 1,
    Positions = 2,
    VariantPostings = 3,
    Stored = 4,
    Ids = 5,
    Words = 6,
}

/// Number of shard kinds.
pub const KINDS: usize = 7;

impl Kind {
    pub const ALL: [Kind; KINDS] = [Kind::Dictionary, Kind::Postings, Kind::Positions, Kind::VariantPostings, Kind::Stored, Kind::Ids, Kind::Words];

    /// First letter of its files' names.
    pub fn letter(self) -> &'static str {
        ["d", "p", "x", "v", "s", "i", "w"][self as usize]
    }

    pub fn name(self) -> &'static str {
        ["dictionary", "postings", "positions", "variant postings", "stored text", "ids", "words"][self as usize]
    }
}

/// One shard file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub kind: Kind,
    /// The [`prefix_key`] of its first entry (dictionary), a first byte
    /// (words), an offset in its whole section (postings, positions,
    /// variants), a first document (stored text) or a bucket (ids).
    pub key: u64,
    /// Length in bytes.
    pub len: u32,
    /// [`file_hash`] of its bytes, with its directory's salt.
    pub hash: u32,
}

impl Shard {
    /// Its file name, relative to the index folder.
    pub fn file_name(&self) -> String {
        format!("{}{:08x}.bin", self.kind.letter(), self.hash)
    }
}

/// 64-bit FNV-1a, continued from state `h` (start at [`FNV_OFFSET`]).
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a's 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a of `bytes`: spreads document ids over id buckets, and,
/// folded, names shard files ([`file_hash`]).
pub fn content_hash(bytes: &[u8]) -> u64 {
    fnv(FNV_OFFSET, bytes)
}

/// The hash that names a shard file and checks it on load: 64-bit FNV-1a
/// of the directory's `salt` (4 bytes, little-endian) then the bytes,
/// xor-folded to 32 bits (the folding FNV's authors give for shorter
/// hashes). Not a defence against a hostile host (nothing served by the
/// host can be, since it serves the module too), but any truncation or
/// damage in transit changes it, besides the length check. 32 bits are
/// half the size of 64 in the root, where every shard's hash is an
/// incompressible part of the directory. Two different shards of one
/// kind could still get one name (about 1 build in 25,000 on the large
/// corpus): the writer then picks another salt (`write::choose_salt`), so
/// names within an index are always distinct.
pub fn file_hash(salt: u32, bytes: &[u8]) -> u32 {
    let h = fnv(fnv(FNV_OFFSET, &salt.to_le_bytes()), bytes);
    (h ^ h >> 32) as u32
}

/// A dictionary shard's key for `key`: its first three bytes, big-endian,
/// zero-padded (so that keys in byte order give non-decreasing values).
/// A variant key (`term␁accented`) counts as its term, so that a term's
/// variants are in its shard (0x01 sorts below every byte of a word, so
/// this keeps the values non-decreasing over the sorted variant keys).
pub fn prefix_key(key: &[u8]) -> u64 {
    let key = &key[..key.iter().position(|&b| b == super::VARIANT_SEPARATOR).unwrap_or(key.len())];
    (0..PREFIX_KEY_BYTES).fold(0, |v, i| v << 8 | key.get(i).copied().unwrap_or(0) as u64)
}

/// Bytes of a word that fix its dictionary shard: completion of a prefix
/// this long or longer reads one dictionary shard; shorter ones read the
/// words shard of their first byte.
pub const PREFIX_KEY_BYTES: usize = 3;

/// The bucket of a document id among `n`.
pub fn id_bucket(id: &str, n: u64) -> u64 {
    content_hash(id.as_bytes()) % n.max(1)
}

/// Most shards a directory may list: far above what the writer makes
/// (it keeps large corpora under 1,000 files), a bound for a corrupt root.
pub const MAX_SHARDS: usize = 1 << 16;

/// The name of bytes `start..end` of the file `name`, as the module asks
/// for a postings or positions record ([`Directory::range_above`]) or a
/// document's stored text: `x3f09a2c4.bin#1200-3400`. The JS fetches
/// `name` with `Range: bytes=start-(end − 1)` (and inflates a stored-text
/// record, `s…`, before handing it over).
pub fn range_name(name: &str, start: u32, end: u32) -> String {
    format!("{name}#{start}-{end}")
}

/// A name the module gave: its file and, for a byte range, the range
/// ([`range_name`]). `None` for a range not written as `range_name`
/// writes it (no sign, no leading zero) or empty.
pub fn parse_name(name: &str) -> Option<(&str, Option<(u32, u32)>)> {
    // By hand: `split_once` and `str::parse` would cost the module 1.4 KB.
    let bytes = name.as_bytes();
    let Some(hash) = bytes.iter().position(|&c| c == b'#') else { return Some((name, None)) };
    let (mut numbers, mut k, mut digits) = ([0u64; 2], 0, 0);
    for &c in &bytes[hash + 1..] {
        if c == b'-' && k == 0 && digits > 0 {
            (k, digits) = (1, 0);
            continue;
        }
        // Digits only, no leading zero, at most 10 of them.
        if !c.is_ascii_digit() || (digits == 1 && numbers[k] == 0) || digits == 10 {
            return None;
        }
        numbers[k] = numbers[k] * 10 + u64::from(c - b'0');
        digits += 1;
    }
    let (start, end) = (u32::try_from(numbers[0]).ok()?, u32::try_from(numbers[1]).ok()?);
    (k == 1 && digits > 0 && start < end).then_some((&name[..hash], Some((start, end))))
}

/// The shard directory of a split index (empty for an embedded one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    shards: Vec<Shard>,
    /// Salt of every shard's [`file_hash`].
    salt: u32,
    /// Postings and positions chunks longer than this are read by byte range.
    range_above: u32,
    /// Per kind, the range of `shards` holding it.
    ranges: [(usize, usize); KINDS],
}

impl Directory {
    /// A directory of `shards`, which must be sorted by kind then key,
    /// keys strictly ascending within a kind, dictionary keys below 2²⁴
    /// and words keys below 256, id buckets numbered 0, 1, …,
    /// and every other kind starting at key 0 (so that every offset falls
    /// in a shard); their hashes salted with `salt`; postings and positions
    /// chunks longer than `range_above` bytes are read by byte range.
    pub fn new(shards: Vec<Shard>, salt: u32, range_above: u32) -> Result<Directory, IndexError> {
        if shards.len() > MAX_SHARDS {
            return Err(corrupt("directory: too many shards"));
        }
        let mut ranges = [(0, 0); KINDS];
        let mut i = 0;
        for kind in Kind::ALL {
            let start = i;
            while i < shards.len() && shards[i].kind == kind {
                let s = &shards[i];
                if i > start && s.key <= shards[i - 1].key {
                    return Err(corrupt("directory: shards out of order"));
                }
                if i == start && !matches!(kind, Kind::Dictionary | Kind::Words) && s.key != 0 {
                    return Err(corrupt("directory: a section's first chunk does not start at 0"));
                }
                if kind == Kind::Ids && s.key != (i - start) as u64 {
                    return Err(corrupt("directory: id buckets not numbered in order"));
                }
                if (kind == Kind::Dictionary && s.key >= 1 << 24) || (kind == Kind::Words && s.key > 255) {
                    return Err(corrupt("directory: dictionary key out of range"));
                }
                i += 1;
            }
            ranges[kind as usize] = (start, i);
        }
        if i != shards.len() {
            return Err(corrupt("directory: shards out of order"));
        }
        Ok(Directory { shards, salt, range_above, ranges })
    }

    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// Every shard, sorted by kind then key.
    pub fn shards(&self) -> &[Shard] {
        &self.shards
    }

    /// Shard number `i`.
    /// The salt of its shards' [`file_hash`]es.
    pub fn salt(&self) -> u32 {
        self.salt
    }

    /// Postings and positions chunks longer than this many bytes are read
    /// one term's record at a time, by byte range; shorter ones whole.
    pub fn range_above(&self) -> u32 {
        self.range_above
    }

    /// Whether shard `i` is read by byte range, one record at a time: a
    /// postings or positions chunk longer than [`Self::range_above`], or
    /// any stored-text file (one document's compressed record at a time).
    pub fn is_ranged(&self, i: usize) -> bool {
        self.shards.get(i).is_some_and(|s| s.kind == Kind::Stored || (matches!(s.kind, Kind::Postings | Kind::Positions) && s.len > self.range_above))
    }

    pub fn get(&self, i: usize) -> Option<&Shard> {
        self.shards.get(i)
    }

    /// The shards of one kind, as a range of shard numbers.
    pub fn of_kind(&self, kind: Kind) -> std::ops::Range<usize> {
        let (a, b) = self.ranges[kind as usize];
        a..b
    }

    /// The dictionary shard that would hold `key` (a term, word or variant
    /// key), if any shard starts at or before it.
    pub fn dictionary(&self, key: &[u8]) -> Option<usize> {
        self.chunk(Kind::Dictionary, prefix_key(key))
    }

    /// The words shard holding the words whose first byte is `byte`.
    pub fn words(&self, byte: u8) -> Option<usize> {
        self.chunk(Kind::Words, byte as u64)
    }

    /// The chunk of `kind` (not a dictionary) holding `key`: the last one
    /// whose key is at most `key`.
    pub fn chunk(&self, kind: Kind, key: u64) -> Option<usize> {
        let r = self.of_kind(kind);
        let n = self.shards[r.clone()].partition_point(|s| s.key <= key);
        n.checked_sub(1).map(|i| r.start + i)
    }

    /// The ids shard that holds `id`, if the ids are split.
    pub fn ids(&self, id: &str) -> Option<usize> {
        let r = self.of_kind(Kind::Ids);
        let n = r.len() as u64;
        (n > 0).then(|| r.start + (id_bucket(id, n) as usize))
    }

    /// The shards stored in the file `name` ([`Shard::file_name`]; shards
    /// of one kind with the same content share one, and the writer gives
    /// different contents different names), found from the name's kind letter
    /// and hash rather than by formatting every shard's name.
    pub fn named(&self, name: &str) -> Vec<usize> {
        // A module built for an embedded index has no shard files.
        if !super::read::SPLIT_SUPPORT {
            return Vec::new();
        }
        let parsed = name.strip_suffix(".bin").filter(|s| s.len() == 9 && s.is_char_boundary(1)).and_then(|s| {
            let (letter, hex) = s.split_at(1);
            let kind = Kind::ALL.into_iter().find(|k| k.letter() == letter)?;
            // Exactly the names `file_name` writes: lower-case hex digits.
            let digits = hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            Some((kind, u32::from_str_radix(hex, 16).ok().filter(|_| digits)?))
        });
        let Some((kind, hash)) = parsed else { return Vec::new() };
        self.of_kind(kind).filter(|&i| self.shards[i].hash == hash).collect()
    }

    /// The positions chunk covering the same terms as postings chunk `i`,
    /// when each postings chunk has one (an index whose positions are read
    /// by byte range groups several in a file: `None`).
    pub fn positions_of(&self, postings: usize) -> Option<usize> {
        let rank = postings.checked_sub(self.of_kind(Kind::Postings).start)?;
        let r = self.of_kind(Kind::Positions);
        (r.len() == self.of_kind(Kind::Postings).len()).then_some(r.start + rank).filter(|&j| j < r.end)
    }

    /// The key where chunk `i` ends: the next chunk's key, or `None` for
    /// the last of its kind.
    pub fn end(&self, i: usize) -> Option<u64> {
        let kind = self.shards.get(i)?.kind;
        self.shards.get(i + 1).filter(|s| s.kind == kind).map(|s| s.key)
    }

    /// The bytes of the `DIRECTORY` section.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, self.shards.len() as u64);
        put(&mut out, self.salt as u64);
        put(&mut out, self.range_above as u64);
        for (start, end) in self.ranges {
            put(&mut out, (end - start) as u64);
        }
        // In columns: alike values side by side compress better.
        for (i, s) in self.shards.iter().enumerate() {
            let previous = if i > 0 && self.shards[i - 1].kind == s.kind { self.shards[i - 1].key } else { 0 };
            put(&mut out, s.key - previous);
        }
        for s in &self.shards {
            put(&mut out, s.len as u64);
        }
        for s in &self.shards {
            out.extend_from_slice(&s.hash.to_le_bytes());
        }
        out
    }

    /// Reads a `DIRECTORY` section.
    pub fn decode(bytes: &[u8]) -> Result<Directory, IndexError> {
        if bytes.is_empty() {
            return Ok(Directory::default());
        }
        let mut c = Cursor::new(bytes, "directory");
        let n = c.varint()?;
        if n > MAX_SHARDS as u64 {
            return Err(corrupt("directory: too many shards"));
        }
        let salt = u32::try_from(c.varint()?).map_err(|_| corrupt("directory: salt out of range"))?;
        let range_above = c.u32v()?;
        let mut counts = [0u64; KINDS];
        for count in &mut counts {
            *count = c.varint()?;
        }
        if counts.iter().try_fold(0u64, |a, &b| a.checked_add(b)) != Some(n) {
            return Err(corrupt("directory: kind counts do not add up"));
        }
        // Each entry takes 6 bytes or more: no allocation beyond what the
        // section can hold.
        let mut shards = Vec::with_capacity((n as usize).min(bytes.len() / 6));
        for (kind, &count) in Kind::ALL.into_iter().zip(&counts) {
            let mut key = 0u64;
            for _ in 0..count {
                key = key.checked_add(c.varint()?).ok_or_else(|| corrupt("directory: key out of range"))?;
                shards.push(Shard { kind, key, len: 0, hash: 0 });
            }
        }
        for s in &mut shards {
            s.len = c.u32v()?;
        }
        for s in &mut shards {
            s.hash = c.bytes(4)?.iter().rev().fold(0u32, |h, &b| h << 8 | b as u32);
        }
        if !c.is_empty() {
            return Err(corrupt("directory: trailing bytes"));
        }
        Directory::new(shards, salt, range_above)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_byte_range_parse_back_exactly_as_written() {
        for (start, end) in [(0, 1), (9, 10), (1200, 3400), (0, u32::MAX), (u32::MAX - 1, u32::MAX)] {
            let name = range_name("x3f09a2c4.bin", start, end);
            assert_eq!(parse_name(&name), Some(("x3f09a2c4.bin", Some((start, end)))), "{name}");
        }
        assert_eq!(parse_name("x3f09a2c4.bin"), Some(("x3f09a2c4.bin", None)));
        for bad in [
            "x.bin#",
            "x.bin#1",
            "x.bin#1-",
            "x.bin#-2",
            "x.bin#2-1",
            "x.bin#1-1",
            "x.bin#01-2",
            "x.bin#1-02",
            "x.bin#+1-2",
            "x.bin#1-2-3",
            "x.bin#1--2",
            "x.bin#1-4294967296",
            "x.bin#1 -2",
            "x.bin#1-2#",
            "x.bin#٣-٤",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
