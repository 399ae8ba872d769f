//! Stage 5: French stop words.
//!
//! The Snowball French list, accent-folded (`été` → `ete`) because it is
//! checked against the folded word. A stop word is not indexed but keeps
//! its position, so `"sommet de Washington"` still needs `sommet` and
//! `washington` two positions apart.

/// Sorted, folded stop words (binary-searched).
pub const STOP_WORDS: &[&str] = &[
    "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux",
    "avaient", "avais", "avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "ayante", "ayantes", "ayants", "ayez", "ayons", "c", "ce", "ces", "d", "dans", "de", "des",
    "du", "elle", "en", "es", "est", "et", "etaient", "etais", "etait", "etant", "etante", "etantes", "etants", "ete", "etee", "etees", "etes", "etiez", "etions", "eu", "eue",
    "eues", "eumes", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions", "eut", "eutes", "eux", "fumes", "furent", "fus", "fusse", "fussent", "fusses",
    "fussiez", "fussions", "fut", "futes", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "nos",
    "notre", "nous", "on", "ont", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "sera", "serai", "seraient", "serais", "serait", "seras", "serez", "seriez",
    "serions", "serons", "seront", "ses", "soient", "sois", "soit", "sommes", "son", "sont", "soyez", "soyons", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un",
    "une", "vos", "votre", "vous", "y",
];

/// Whether a folded word is a French stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_folded() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.is_ascii()));
        assert!(is_stop_word("de") && is_stop_word("ete") && !is_stop_word("otan"));
    }
}
