//! Field lengths (and word frequencies) in one byte: what ranking needs of a long field.
//!
//! BM25F divides a term's frequency by its field's length relative to the
//! field's average (`crate::rank`). Ranking needs that length closely,
//! not to the word: search engines keep it in a byte per document and
//! field (Lucene's "norms"). A split index carries every document's
//! lengths in the module's root, and the body's exact lengths, two bytes
//! each that gzip barely shrinks, were the largest part of it (7.3 KB
//! gzipped on the large corpus).
//!
//! The same codes hold each word's document frequency in the SURFACES
//! dictionary ([`super::surface_value`]), which completion and typo
//! tolerance rank by: small values keep the fst's outputs short.
//!
//! A code is a small float: lengths below 32 are exact; above, a length
//! keeps its leading bit and the [`MANTISSA_BITS`] bits after it, rounded
//! to the nearest:
//!
//! ```text
//!  length                          code                     decoded
//!  0 … 31                          the length               the length
//!  (16 + m) · 2^e, m < 16, e ≥ 1    (e + 1) · 16 + m          (16 + m) · 2^e
//!
//!  32 → 32   33 → 34 (half way: up)   100 → 100   1000 → 992   5000 → 5120
//!  codes grow with lengths; 255 is the largest: 31 · 2^14 = 507,904
//! ```
//!
//! So a decoded length is within 1/32 of the length (half a step of
//! 1/16), up to [`MAX_LENGTH`], where longer lengths stop (half a million
//! words: BM25's length factor has long flattened out there), and the
//! order of two lengths is kept or they become equal. The title keeps
//! exact lengths: its tier (`crate::rank::tier`) compares them with the
//! query's length.
//!
//! Why 4 bits: with 3, a length is within 1/16, the root 0.7 KB smaller,
//! and ranking moves enough to cost a known-item query set a few first
//! places (`make bench-relevance`); with 4 the measured relevance is that
//! of exact lengths within 0.001.

/// Bits a code keeps after a length's leading bit.
pub const MANTISSA_BITS: u32 = 4;

/// Lengths below this are their own code.
pub const EXACT_BELOW: u32 = 2 << MANTISSA_BITS;

/// The longest length a code holds; longer ones are coded as it.
pub const MAX_LENGTH: u32 = ((2 << MANTISSA_BITS) - 1) << (256 / (1 << MANTISSA_BITS) - 2);

/// The one-byte code of `length`: the nearest of the lengths a code can
/// hold (half way: the larger), or 255 above [`MAX_LENGTH`].
pub fn length_code(length: u32) -> u8 {
    if length < EXACT_BELOW {
        return length as u8;
    }
    // length = m · 2^e with 16 ≤ m < 32 before rounding.
    let mut e = 31 - length.leading_zeros() - MANTISSA_BITS;
    let mut m = length >> e;
    if length & (1 << (e - 1)) != 0 {
        m += 1;
        if m == 2 << MANTISSA_BITS {
            m = 1 << MANTISSA_BITS;
            e += 1;
        }
    }
    ((e + 1) * (1 << MANTISSA_BITS) + m - (1 << MANTISSA_BITS)).min(255) as u8
}

/// The length a code stands for.
pub fn code_length(code: u8) -> u32 {
    let code = code as u32;
    if code < EXACT_BELOW {
        return code;
    }
    let e = (code >> MANTISSA_BITS) - 1;
    let m = (1 << MANTISSA_BITS) + (code & ((1 << MANTISSA_BITS) - 1));
    m << e
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
        assert_eq!(MAX_LENGTH, 507_904);
        assert_eq!(code_length(255), MAX_LENGTH);
        let samples =
            (0..70_000u32).chain((0..32).flat_map(|b| [1u32 << b, (1u32 << b) - 1, (1u32 << b) + 1, (3u32 << b) / 2])).chain([MAX_LENGTH, MAX_LENGTH + 1, 524_287, u32::MAX]);
        for length in samples {
            let decoded = code_length(length_code(length));
            if length < EXACT_BELOW {
                assert_eq!(decoded, length);
            } else if length <= MAX_LENGTH + (1 << 13) {
                assert_eq!(decoded, nearest(length), "{length}");
                assert!((decoded as f64 - length as f64).abs() <= length as f64 / 32.0, "{length} → {decoded}");
            } else {
                assert_eq!(decoded, MAX_LENGTH, "{length}");
            }
        }
        assert_eq!([32, 33, 100, 1000, 5000].map(|l| code_length(length_code(l))), [32, 34, 100, 992, 5120]);
    }

    #[test]
    fn codes_keep_the_order_of_lengths_and_decode_back_to_themselves() {
        let mut previous = 0u8;
        for length in (0..600_000u32).chain((20..32).map(|b| 1u32 << b)).chain([u32::MAX]) {
            let code = length_code(length);
            assert!(code >= previous, "{length}");
            previous = code;
        }
        // Every byte is a code some length writes.
        for code in 0..=255u8 {
            assert_eq!(length_code(code_length(code)), code, "{code}");
        }
    }
}
