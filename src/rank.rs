//! Ranking: BM25F over title, body and captions.
//!
//! For a term `t` and a document `d`, the per-field frequencies are
//! length-normalised, weighted and summed into one pseudo-frequency, which
//! is then saturated (Robertson & Zaragoza, "The Probabilistic Relevance
//! Framework: BM25 and Beyond", 2009):
//!
//! ```text
//!   tf̃  = Σ_f  boost_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
//!   w   = idf(t) · tf̃ · (k1 + 1) / (k1 + tf̃)
//!   idf = ln(1 + (N − df + ½) / (df + ½))
//! ```
//!
//! A clause's score is `w` times the weight of how it matched (exact,
//! accent-folded, prefix, typo); a document's score is the sum over
//! clauses. Every parameter is a field of [`RankingParams`] with its
//! valid range; [`RankingParams::DEFAULT`] holds the tuned values, and a
//! build may change any of them with `RECHERCHE_RANKING` (checked against
//! the ranges, [`RankingParams::parse`]; the engine uses
//! `crate::engine::RANKING`). Before the score come the number of query
//! words matched and the title tier ([`tier`]), packed into one rank key
//! ([`rank_key`]).
//!
//! Every number that weighs a score lives here: the tunable parameters
//! above, the fixed constants below ([`EXACT_WEIGHT`],
//! [`MAX_PROXIMITY_DISTANCE`], [`TIER_BITS`], [`SCORE_SCALE`]) and the
//! formulas that combine them ([`RankingParams::accent_factor`],
//! [`RankingParams::typo_factor`], [`RankingParams::proximity_bonus`],
//! [`round_score`]). The engine (`crate::engine`) and phrase matching
//! (`crate::phrase`) only apply them.

/// Weight of a match on the query word's own term (exact, before its
/// accents are weighed by [`RankingParams::accent_factor`]). Fixed at 1.0:
/// it is the reference that `folded_weight`, `prefix_weight` and
/// `typo_weight` (each in 0.0–1.0) are relative to.
pub const EXACT_WEIGHT: f32 = 1.0;

/// Farthest apart two consecutive query words may stand in the query
/// (their positions, stop words counted: `dépenses de défense` is 2) and
/// still earn the proximity bonus ([`RankingParams::proximity_bonus`]) when
/// found at that same distance in the text. Value 3; at least 1 (next to
/// each other), and each step up reads the positions of more word pairs.
pub const MAX_PROXIMITY_DISTANCE: u32 = 3;

/// Bits of the rank key ([`rank_key`]) below the number of query words
/// matched, which hold the title tier ([`tier`], 0–2). Value 2; with at
/// most 64 clauses (a `u64` mask) the key fits a `u32` easily.
pub const TIER_BITS: u32 = 2;

/// Scores are returned rounded to `1 / SCORE_SCALE`: 1000.0, 3 decimals
/// (see [`round_score`]). Any power of ten; more decimals only show float
/// noise.
pub const SCORE_SCALE: f64 = 1000.0;

/// Tuning parameters of the ranking. All are finite, non-negative floats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingParams {
    /// Term-frequency saturation `k1`. Range 0.0–3.0; 0 ignores frequency.
    pub k1: f32,
    /// Weight of a title occurrence relative to the body. Range 0.0–10.0.
    pub title_boost: f32,
    /// Weight of a body occurrence. Range 0.0–10.0; the reference, 1.0.
    pub body_boost: f32,
    /// Weight of a photo-caption occurrence. Range 0.0–10.0.
    pub caption_boost: f32,
    /// Length normalisation `b` of the title. Range 0.0–1.0.
    pub title_b: f32,
    /// Length normalisation `b` of the body. Range 0.0–1.0.
    pub body_b: f32,
    /// Length normalisation `b` of the captions. Range 0.0–1.0.
    pub caption_b: f32,
    /// Weight of an occurrence that matches only once accents are folded
    /// (query `Etats`, text `États`). Range 0.0–1.0; below 1 so that the
    /// exact spelling ranks first.
    pub folded_weight: f32,
    /// Weight of a match on a completion of the last word (`Washing` →
    /// `washington`). Range 0.0–1.0; below `folded_weight`, so that a
    /// full word, even accent-folded, ranks above a completion.
    pub prefix_weight: f32,
    /// Weight of a match at one edit from a misspelt word; two edits weigh
    /// its square. Range 0.0–1.0; below `prefix_weight`, so that a typo
    /// match always ranks below exact ones.
    pub typo_weight: f32,
    /// Bonus, relative to a phrase match, for consecutive query words
    /// found next to each other in the text (`dépenses de défense`
    /// unquoted). Range 0.0–4.0; 0 disables it.
    pub proximity_weight: f32,
}

/// Every parameter's name and valid range, in field order. A build sets
/// any of them with `RECHERCHE_RANKING="name=value,name=value"` (see
/// [`RankingParams::parse`]).
pub const RANGES: [(&str, f32, f32); 11] = [
    ("k1", 0.0, 3.0),
    ("title_boost", 0.0, 10.0),
    ("body_boost", 0.0, 10.0),
    ("caption_boost", 0.0, 10.0),
    ("title_b", 0.0, 1.0),
    ("body_b", 0.0, 1.0),
    ("caption_b", 0.0, 1.0),
    ("folded_weight", 0.0, 1.0),
    ("prefix_weight", 0.0, 1.0),
    ("typo_weight", 0.0, 1.0),
    ("proximity_weight", 0.0, 4.0),
];

impl RankingParams {
    /// The parameter called `name`.
    fn field(&mut self, name: &str) -> Option<&mut f32> {
        Some(match name {
            "k1" => &mut self.k1,
            "title_boost" => &mut self.title_boost,
            "body_boost" => &mut self.body_boost,
            "caption_boost" => &mut self.caption_boost,
            "title_b" => &mut self.title_b,
            "body_b" => &mut self.body_b,
            "caption_b" => &mut self.caption_b,
            "folded_weight" => &mut self.folded_weight,
            "prefix_weight" => &mut self.prefix_weight,
            "typo_weight" => &mut self.typo_weight,
            "proximity_weight" => &mut self.proximity_weight,
            _ => return None,
        })
    }

    /// [`Self::DEFAULT`] with the settings of `spec`, a comma-separated
    /// list of `name=value` (`"title_boost=3, k1=1.1"`). Every name must
    /// be a parameter, every value a number within its range (see
    /// [`RANGES`]), and the match weights must keep their order
    /// (`typo_weight` ≤ `prefix_weight` ≤ `folded_weight`), so that an
    /// exact match always outranks a typo. The error names the parameter.
    pub fn parse(spec: &str) -> Result<RankingParams, String> {
        let mut p = Self::DEFAULT;
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, value) = item.split_once('=').ok_or_else(|| format!("{item:?} is not name=value"))?;
            let (name, value) = (name.trim(), value.trim());
            let &(_, lo, hi) = RANGES.iter().find(|(n, _, _)| *n == name).ok_or_else(|| {
                let names: Vec<&str> = RANGES.iter().map(|(n, _, _)| *n).collect();
                format!("{name:?} is not a ranking parameter ({})", names.join(", "))
            })?;
            let v: f32 = value.parse().map_err(|_| format!("{name} must be a number, got {value:?}"))?;
            if !(lo..=hi).contains(&v) {
                return Err(format!("{name} must be between {lo} and {hi}, got {value}"));
            }
            *p.field(name).expect("every name in RANGES is a field") = v;
        }
        if !(p.typo_weight <= p.prefix_weight && p.prefix_weight <= p.folded_weight) {
            return Err(format!(
                "typo_weight ({}) ≤ prefix_weight ({}) ≤ folded_weight ({}) must hold, so that exact matches outrank completions and typos",
                p.typo_weight, p.prefix_weight, p.folded_weight
            ));
        }
        Ok(p)
    }

    pub const DEFAULT: RankingParams = RankingParams {
        k1: 1.2,
        title_boost: 2.5,
        body_boost: 1.0,
        caption_boost: 0.5,
        title_b: 0.3,
        body_b: 0.75,
        caption_b: 0.5,
        folded_weight: 0.5,
        prefix_weight: 0.4,
        typo_weight: 0.3,
        proximity_weight: 2.0,
    };

    fn boosts(&self) -> [f32; 3] {
        [self.title_boost, self.body_boost, self.caption_boost]
    }

    fn bs(&self) -> [f32; 3] {
        [self.title_b, self.body_b, self.caption_b]
    }

    /// Inverse document frequency of a term found in `df` of `n` documents.
    pub fn idf(&self, n: u32, df: u32) -> f32 {
        let (n, df) = (n as f32, df as f32);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// BM25F weight of one term in one document.
    pub fn weight(&self, idf: f32, tf: [u32; 3], len: [u32; 3], avg: [f32; 3]) -> f32 {
        let (boosts, bs) = (self.boosts(), self.bs());
        let mut pseudo = 0.0;
        for f in 0..3 {
            if tf[f] == 0 {
                continue;
            }
            let ratio = if avg[f] > 0.0 { len[f] as f32 / avg[f] } else { 1.0 };
            pseudo += boosts[f] * tf[f] as f32 / (1.0 - bs[f] + bs[f] * ratio);
        }
        idf * pseudo * (self.k1 + 1.0) / (self.k1 + pseudo)
    }

    /// Factor on the weight of an exact-term match for its accents, in
    /// `folded_weight`–1.0: 1 when every occurrence has the query's
    /// spelling, [`Self::folded_weight`] when none has, linear in between.
    /// `tf` is the term's occurrences per field, `accented` how many of
    /// them carry the query's own accents if it has any
    /// (`query_accented`), or any accent if it has none.
    pub fn accent_factor(&self, tf: [u32; 3], accented: u32, query_accented: bool) -> f32 {
        let total: u32 = tf.iter().sum();
        if total == 0 {
            return 1.0;
        }
        let accented = accented.min(total);
        let same = if query_accented { accented } else { total - accented };
        let fw = self.folded_weight;
        fw + (1.0 - fw) * same as f32 / total as f32
    }

    /// Weight of a match at `edits` edits from a misspelt word:
    /// [`Self::typo_weight`] to the power `edits`, in 0.0–1.0.
    pub fn typo_factor(&self, edits: u8) -> f32 {
        self.typo_weight.powi(edits as i32)
    }

    /// Bonus added to a document's score where two consecutive query
    /// words stand at their query distance (at most
    /// [`MAX_PROXIMITY_DISTANCE`]): [`Self::proximity_weight`] times the
    /// BM25F weight of those occurrences as one phrase (`idf` the sum of
    /// the two words' idfs, `tf` the pairs per field). 0 or more.
    pub fn proximity_bonus(&self, idf: f32, tf: [u32; 3], len: [u32; 3], avg: [f32; 3]) -> f32 {
        self.proximity_weight * self.weight(idf, tf, len, avg)
    }
}

/// The rank key of a document, compared before its score: the number of
/// required query clauses it matched, then its title tier ([`tier`], in
/// the low [`TIER_BITS`] bits).
pub fn rank_key(clauses_matched: u32, tier: u32) -> u32 {
    clauses_matched << TIER_BITS | tier
}

/// A score as returned: rounded to 1 / [`SCORE_SCALE`] (3 decimals).
pub fn round_score(score: f32) -> f64 {
    (score as f64 * SCORE_SCALE).round() / SCORE_SCALE
}

/// The title tier of a document, ranked before its score (but after the
/// number of query words it matched): 2 when its title is the query (every
/// query word matched in the title — exactly, accent-folded, completed or
/// corrected — and the title has no other word: its length, `title_len`,
/// is `query_terms`, the query's terms counted as the index counted the
/// title's, a compound once more for its joined form when the title too
/// writes it whole, see [`crate::query::Query::joined`]), 1 when its
/// title holds every query word, 0 otherwise. A document titled as the
/// query is what a reader typing a title wants, whatever a longer body says or however short a rival's
/// title is; sections of a page compete on their own titles this way.
pub fn tier(title_has_all: bool, title_len: u32, query_terms: u32) -> u32 {
    match (title_has_all, title_len == query_terms) {
        (false, _) => 0,
        (true, false) => 1,
        (true, true) => 2,
    }
}

impl Default for RankingParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_lifts_and_frequency_saturates() {
        let p = RankingParams::DEFAULT;
        let avg = [10.0, 300.0, 20.0];
        let len = [10, 300, 20];
        let body1 = p.weight(1.0, [0, 1, 0], len, avg);
        let title1 = p.weight(1.0, [1, 0, 0], len, avg);
        let body2 = p.weight(1.0, [0, 2, 0], len, avg);
        let body20 = p.weight(1.0, [0, 20, 0], len, avg);
        assert!(title1 > body1 && body2 > body1 && body20 > body2);
        assert!(body20 < 1.0 * (p.k1 + 1.0));
        assert!(p.idf(100, 1) > p.idf(100, 50));
    }

    #[test]
    fn a_configuration_is_checked_against_the_ranges() {
        assert_eq!(RankingParams::parse("").unwrap(), RankingParams::DEFAULT);
        let p = RankingParams::parse(" title_boost = 3, k1=1.1 ").unwrap();
        assert_eq!((p.title_boost, p.k1, p.body_b), (3.0, 1.1, RankingParams::DEFAULT.body_b));
        for (spec, names) in [
            ("title_boost=11", "title_boost must be between 0 and 10"),
            ("k1=-1", "k1 must be between 0 and 3"),
            ("k1=abc", "k1 must be a number"),
            ("colour=1", "\"colour\" is not a ranking parameter"),
            ("k1", "\"k1\" is not name=value"),
            ("typo_weight=0.9", "typo_weight (0.9) ≤ prefix_weight"),
        ] {
            let e = RankingParams::parse(spec).unwrap_err();
            assert!(e.starts_with(names), "{spec}: {e}");
        }
        // Every name in RANGES is a field, and the defaults are in range.
        let mut p = RankingParams::DEFAULT;
        for (name, lo, hi) in RANGES {
            let v = *p.field(name).unwrap();
            assert!((lo..=hi).contains(&v), "{name}");
        }
    }

    #[test]
    fn accents_rank_key_and_rounding() {
        let p = RankingParams::DEFAULT;
        assert_eq!(p.accent_factor([0, 4, 0], 4, true), 1.0);
        assert_eq!(p.accent_factor([0, 4, 0], 0, true), p.folded_weight);
        assert_eq!(p.accent_factor([0, 0, 0], 0, true), 1.0);
        assert!((p.typo_factor(2) - p.typo_weight * p.typo_weight).abs() < 1e-6);
        // One more clause matched outranks any title tier.
        assert!(rank_key(2, 0) > rank_key(1, 2) && rank_key(1, 2) > rank_key(1, 1));
        assert_eq!(round_score(1.23456), 1.235);
    }

    #[test]
    fn weights_order_exact_prefix_typo() {
        let p = RankingParams::DEFAULT;
        assert!(p.folded_weight < 1.0 && p.prefix_weight < p.folded_weight && p.typo_weight < p.prefix_weight);
    }
}
