//! Field lengths in one byte: what ranking needs of a long field.
//!
//! BM25F divides a term's frequency by its field's length relative to the
//! field's average (`crate::rank`). Ranking needs that length roughly,
//! not to the word: search engines keep it in a byte per document and
//! field (Lucene's "norms"). A split index carries every document's
//! lengths in the module's root, and the body's exact lengths, two bytes
//! each that gzip barely shrinks, were the largest part of it: 7.3 KB
//! gzipped on the large corpus, 4.1 KB as codes.
//!
//! A code is a small float: lengths below 16 are exact; above, a length
//! keeps its leading bit and the 3 bits after it, rounded to the nearest:
//!
//! ```text
//!  length                     code                     decoded
//!  0 … 15                     the length               the length
//!  (8 + m) · 2^e, m < 8, e ≥ 1  (e + 1) · 8 + m          (8 + m) · 2^e
//!
//!  16 → 16   17 → 18 (half way: up)   100 → 104   1000 → 1024
//!  codes grow with lengths; u32::MAX → 240, decoded 2^32 − 1 (capped)
//! ```
//!
//! So a decoded length is within 1/16 of the length (half a step of
//! 1/8), and the order of two lengths is kept or they become equal. The
//! title keeps exact lengths: its tier (`crate::rank::tier`) compares
//! them with the query's length.

/// Lengths below this are their own code.
pub const EXACT_BELOW: u32 = 16;

/// The one-byte code of `length`: the nearest of the lengths a code can
/// hold (half way: the larger).
pub fn length_code(length: u32) -> u8 {
    if length < EXACT_BELOW {
        return length as u8;
    }
    // length = m · 2^e with 8 ≤ m < 16 before rounding.
    let mut e = 31 - length.leading_zeros() - 3;
    let mut m = length >> e;
    if length & (1 << (e - 1)) != 0 {
        m += 1;
        if m == 16 {
            m = 8;
            e += 1;
        }
    }
    ((e + 1) * 8 + m - 8) as u8
}

/// The length a code stands for (capped at `u32::MAX`; a code above the
/// largest `length_code` writes decodes like its neighbours).
pub fn code_length(code: u8) -> u32 {
    if (code as u32) < EXACT_BELOW {
        return code as u32;
    }
    let e = (code >> 3) as u32 - 1;
    let m = 8 + (code & 7) as u64;
    (m << e).min(u32::MAX as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: the representable length nearest to `length`, by
    /// search over every code (ties to the larger).
    fn nearest(length: u32) -> u32 {
        let mut best = 0u32;
        for code in 0..=255u8 {
            let v = code_length(code);
            let d = |x: u32| (x as i64 - length as i64).abs();
            if d(v) < d(best) || (d(v) == d(best) && v > best) {
                best = v;
            }
        }
        best
    }

    #[test]
    fn a_code_decodes_to_the_nearest_representable_length() {
        let samples = (0..70_000u32).chain((0..32).flat_map(|b| [1u32 << b, (1u32 << b) - 1, (1u32 << b) + 1, (3u32 << b) / 2])).chain([u32::MAX, u32::MAX - 1]);
        for length in samples {
            let decoded = code_length(length_code(length));
            assert_eq!(decoded, nearest(length), "{length}");
            if length < EXACT_BELOW {
                assert_eq!(decoded, length);
            } else if decoded != u32::MAX {
                assert!((decoded as f64 - length as f64).abs() <= length as f64 / 16.0, "{length} → {decoded}");
            }
        }
        assert_eq!(length_code(u32::MAX), 240);
        assert_eq!(code_length(240), u32::MAX);
        assert_eq!([16, 17, 100, 1000].map(|l| code_length(length_code(l))), [16, 18, 104, 1024]);
    }

    #[test]
    fn codes_keep_the_order_of_lengths_and_decode_back_to_themselves() {
        let mut previous = 0u8;
        for length in (0..200_000u32).chain((18..32).map(|b| 1u32 << b)).chain([u32::MAX]) {
            let code = length_code(length);
            assert!(code >= previous, "{length}");
            previous = code;
        }
        for code in 0..=240u8 {
            assert_eq!(length_code(code_length(code)), code, "{code}");
        }
        // Every byte decodes, the ones no length writes included.
        assert!((241..=255u8).all(|c| code_length(c) == u32::MAX));
    }
}
