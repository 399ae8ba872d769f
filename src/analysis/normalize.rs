//! Stage 4: Unicode normalisation, case folding and accent folding.
//!
//! Produces two spellings of a word:
//! - `lower`: lower case, with a base letter followed by a combining mark
//!   composed into its precomposed form (`e` + U+0301 → `é`, canonical
//!   composition for the Latin letters French uses), full-width ASCII and
//!   Latin ligatures (`ﬁ`) replaced by plain letters;
//! - `folded`: `lower` with accents removed and `œ`, `æ`, `ß` expanded
//!   (`sécurité` → `securite`, `cœur` → `coeur`), covering Latin-1 and
//!   Latin Extended-A. Other scripts pass through lower-cased.
//!
//! The tables are hand-written rather than pulled from a Unicode crate: they
//! cover what French text needs for a few hundred bytes of wasm.

/// Base letters for U+00C0..=U+00FF. `*` = unchanged, `A` = "ae",
/// `T` = "th", `S` = "ss".
const LATIN1: &[u8; 64] = b"aaaaaaAceeeeiiiidnooooo*ouuuuyTSaaaaaaAceeeeiiiidnooooo*ouuuuyTy";

/// Base letters for U+0100..=U+017F. `J` = "ij", `O` = "oe".
const LATIN_EXT_A: &[u8; 128] = b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkkllllllllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// Precomposed forms of base + combining mark, for canonical composition.
const COMPOSE: &[(char, char, char)] = &[
    ('a', '\u{300}', 'à'),
    ('a', '\u{302}', 'â'),
    ('a', '\u{308}', 'ä'),
    ('a', '\u{301}', 'á'),
    ('c', '\u{327}', 'ç'),
    ('e', '\u{301}', 'é'),
    ('e', '\u{300}', 'è'),
    ('e', '\u{302}', 'ê'),
    ('e', '\u{308}', 'ë'),
    ('i', '\u{302}', 'î'),
    ('i', '\u{308}', 'ï'),
    ('i', '\u{301}', 'í'),
    ('n', '\u{303}', 'ñ'),
    ('o', '\u{302}', 'ô'),
    ('o', '\u{308}', 'ö'),
    ('o', '\u{301}', 'ó'),
    ('u', '\u{300}', 'ù'),
    ('u', '\u{302}', 'û'),
    ('u', '\u{308}', 'ü'),
    ('u', '\u{301}', 'ú'),
    ('y', '\u{308}', 'ÿ'),
];

/// Invisible characters that may sit inside a word without ending it: the
/// soft hyphen (a hyphenation hint, common in web pages: `vbSun­day`), the
/// zero-width joiner and non-joiner, the word joiner and U+FEFF. The
/// tokenizer keeps them inside a word (between two letters or digits) and
/// [`normalize`] drops them, so `ot­an` is `otan`. The zero-width space
/// is a space: it separates words.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

pub(crate) fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Appends the lower case of `c`. Covers the scripts a French corpus
/// meets (Latin-1, Latin Extended-A, Greek, Cyrillic); other characters
/// pass unchanged. Hand-written because the standard library's full
/// Unicode table costs about 11 KB of wasm.
pub fn push_lower(c: char, out: &mut String) {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A => u + 32,
        0xC0..=0xDE if u != 0xD7 => u + 32,
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 => u | 1,
        0x130 => 0x69,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,
        0x1E9E => 0xDF,
        0x391..=0x3AB if u != 0x3A2 => u + 32,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E | 0x38F => u + 63,
        0x400..=0x40F => u + 80,
        0x410..=0x42F => u + 32,
        _ => u,
    };
    out.push(char::from_u32(l).unwrap_or(c));
}

/// Lower-cases a string with `push_lower`.
pub fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_lower(c, &mut out);
    }
    out
}

/// Compatibility replacements applied before lower-casing.
fn compat(c: char, out: &mut String) -> bool {
    let s = match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width ASCII.
            if let Some(a) = char::from_u32(c as u32 - 0xFF01 + 0x21) {
                push_lower(a, out);
            }
            return true;
        }
        _ => return false,
    };
    out.push_str(s);
    true
}

/// Returns `(lower, folded)` for one word.
pub fn normalize(word: &str) -> (String, String) {
    let mut lower = String::with_capacity(word.len());
    for c in word.chars() {
        if is_invisible(c) || compat(c, &mut lower) {
            continue;
        }
        if is_combining(c) {
            if let Some(prev) = lower.chars().next_back() {
                if let Some(&(_, _, composed)) = COMPOSE.iter().find(|&&(b, m, _)| b == prev && m == c) {
                    lower.pop();
                    lower.push(composed);
                    continue;
                }
            }
            lower.push(c);
            continue;
        }
        push_lower(c, &mut lower);
    }
    let folded = fold(&lower);
    (lower, folded)
}

/// Folds accents and ligatures of an already lower-cased string.
pub fn fold(lower: &str) -> String {
    if lower.is_ascii() {
        return lower.to_string();
    }
    let mut out = String::with_capacity(lower.len());
    fold_chars(lower, &mut out);
    out
}

/// Appends `c` folded as [`normalize`] folds it: its compatibility
/// replacement (ligatures, full-width forms) or [`push_lower`], then
/// [`fold`], in one step, for callers that only need the folded form.
#[inline]
pub fn push_lower_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // The same steps as `normalize`: invisible characters dropped,
    // compatibility replacements (ligatures, full-width letters) first,
    // else lower-casing; then folding.
    if is_invisible(c) {
        return;
    }
    let mut lower = String::new();
    if !compat(c, &mut lower) {
        push_lower(c, &mut lower);
    }
    fold_chars(&lower, out);
}

fn fold_chars(lower: &str, out: &mut String) {
    for c in lower.chars() {
        let code = c as u32;
        let mapped = match code {
            0xC0..=0xFF => LATIN1[(code - 0xC0) as usize],
            0x100..=0x17F => LATIN_EXT_A[(code - 0x100) as usize],
            _ => {
                if !is_combining(c) {
                    out.push(c);
                }
                continue;
            }
        };
        match mapped {
            b'*' => out.push(c),
            b'A' => out.push_str("ae"),
            b'T' => out.push_str("th"),
            b'S' => out.push_str("ss"),
            b'J' => out.push_str("ij"),
            b'O' => out.push_str("oe"),
            b => out.push(b as char),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_letters() {
        assert_eq!(normalize("Sécurité"), ("sécurité".into(), "securite".into()));
        assert_eq!(normalize("ÉTATS").1, "etats");
        assert_eq!(normalize("Œuvre").1, "oeuvre");
        assert_eq!(normalize("ÇA").1, "ca");
        assert_eq!(normalize("naïve").1, "naive");
        assert_eq!(normalize("Łódź").1, "lodz");
        assert_eq!(normalize("ﬁn").0, "fin");
        assert_eq!(normalize("ＯＴＡＮ").0, "otan");
        assert_eq!(normalize("Москва").1, "москва");
    }

    #[test]
    fn lowercase_agrees_with_the_standard_library_where_it_applies() {
        let ranges = [0x20u32..0x250, 0x370..0x3D0, 0x400..0x460];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let std: String = c.to_lowercase().collect();
            let ours = lowercase(&c.to_string());
            if std.chars().count() == 1 && (c as u32) < 0x180 || (0x386..0x3AC).contains(&(c as u32)) || (0x400..0x430).contains(&(c as u32)) {
                assert_eq!(ours, std, "U+{:04X}", c as u32);
            }
        }
        assert_eq!(lowercase("ÉTATS-UNIS ŒUVRE ÀÇ"), "états-unis œuvre àç");
    }

    /// [`push_lower_folded`] one character at a time.
    fn one_step(w: &str) -> String {
        let mut out = String::new();
        for c in w.chars() {
            push_lower_folded(c, &mut out);
        }
        out
    }

    #[test]
    fn lowering_and_folding_in_one_step_agrees_with_normalize() {
        // The reference is the folded form `normalize` gives: compatibility
        // replacements (ligatures, full-width forms), then lower case, then
        // folding. Every character of the scripts analysed is checked.
        let ranges = [0x20u32..0x250, 0x300..0x370, 0x370..0x460, 0x1E9E..0x1E9F, 0x2000..0x2070, 0xFB00..0xFB07, 0xFEFF..0xFF00, 0xFF01..0xFF5F];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(one_step(&s), normalize(&s).1, "U+{:04X} {c}", c as u32);
        }
        // Both paths give the spelling known independently, so a bug in a
        // step they share (the ligature step) is caught as well.
        for (w, folded) in [
            ("Sécurité", "securite"),
            ("ŒUVRE", "oeuvre"),
            ("ﬁn", "fin"),
            ("ﬂeur", "fleur"),
            ("ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ", "ff fi fl ffi ffl st st"),
            ("eﬃcace", "efficace"),
            ("ＯＴＡＮ ｏｔａｎ ２０２４", "otan otan 2024"),
            ("Łódź", "lodz"),
            ("Москва", "москва"),
            ("ŸO", "yo"),
        ] {
            assert_eq!(normalize(w).1, folded, "normalize {w}");
            assert_eq!(one_step(w), folded, "push_lower_folded {w}");
        }
    }

    #[test]
    fn composes_decomposed_accents() {
        assert_eq!(normalize("se\u{301}curite\u{301}").0, "sécurité");
        assert_eq!(normalize("E\u{301}tats").0, "états");
        assert_eq!(fold("états"), "etats");
    }

    #[test]
    fn every_latin_letter_folds_to_its_unicode_base_letter() {
        // Written from the Unicode decomposition data, not from the tables
        // above: each letter of U+00C0..=U+017F that has a canonical
        // decomposition (NFD), grouped by the base letter it starts with.
        const NFD_BASE: &[(&str, &str)] = &[
            ("a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą"),
            ("c", "ÇçĆćĈĉĊċČč"),
            ("d", "Ďď"),
            ("e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě"),
            ("g", "ĜĝĞğĠġĢģ"),
            ("h", "Ĥĥ"),
            ("i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİ"),
            ("j", "Ĵĵ"),
            ("k", "Ķķ"),
            ("l", "ĹĺĻļĽľ"),
            ("n", "ÑñŃńŅņŇň"),
            ("o", "ÒÓÔÕÖòóôõöŌōŎŏŐő"),
            ("r", "ŔŕŖŗŘř"),
            ("s", "ŚśŜŝŞşŠš"),
            ("t", "ŢţŤť"),
            ("u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų"),
            ("w", "Ŵŵ"),
            ("y", "ÝýÿŶŷŸ"),
            ("z", "ŹźŻżŽž"),
        ];
        // The letters without a canonical decomposition: their compatibility
        // decomposition where Unicode has one (ĳ → ij, ŀ → l·, ŉ → ʼn, ſ → s),
        // otherwise the usual transliteration (the base letter a stroke
        // crosses, æ → ae, œ → oe, ß → ss, þ → th, ð → d, ĸ → k, ŋ → n).
        const NO_DECOMPOSITION: &[(&str, &str)] = &[
            ("ae", "Ææ"),
            ("d", "ÐðĐđ"),
            ("h", "Ħħ"),
            ("i", "ı"),
            ("ij", "Ĳĳ"),
            ("k", "ĸ"),
            ("l", "ĿŀŁł"),
            ("n", "ŉŊŋ"),
            ("o", "Øø"),
            ("oe", "Œœ"),
            ("s", "ſ"),
            ("ss", "ß"),
            ("t", "Ŧŧ"),
            ("th", "Þþ"),
        ];
        let mut expected: Vec<(char, String)> = "×÷".chars().map(|c| (c, c.to_string())).collect();
        for (base, letters) in NFD_BASE.iter().chain(NO_DECOMPOSITION) {
            expected.extend(letters.chars().map(|c| (c, base.to_string())));
        }
        // The reference covers the two blocks, each character once.
        expected.sort();
        let covered: Vec<u32> = expected.iter().map(|(c, _)| *c as u32).collect();
        assert_eq!(covered, (0xC0..=0x17F).collect::<Vec<u32>>());
        for (c, base) in &expected {
            let s = c.to_string();
            // The table itself (fold also takes upper case letters), and the
            // whole path: lower case, then fold.
            assert_eq!(fold(&s), *base, "fold U+{:04X} {c}", *c as u32);
            assert_eq!(normalize(&s).1, *base, "normalize U+{:04X} {c}", *c as u32);
        }
        // Compatibility forms French text meets: ligatures and full-width
        // letters and digits become plain letters in both spellings.
        for (form, plain) in [("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("ﬅ", "st"), ("ﬆ", "st")] {
            assert_eq!(normalize(form), (plain.to_string(), plain.to_string()), "{form}");
        }
        let full_width = "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９";
        let plain = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(full_width.chars().count(), plain.len());
        for (form, plain) in full_width.chars().zip(plain.chars()) {
            assert_eq!(normalize(&form.to_string()), (plain.to_string(), plain.to_string()), "{form}");
        }
    }
}
