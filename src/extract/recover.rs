//! Recovery of text that a font's ToUnicode map gets wrong, from what the embedded font offers.

use std::collections::HashMap;

/// True when a mapping can be right for a text font: no CJK, private-use or control characters.
pub fn plausible(t: &str) -> bool {
    !t.chars().any(|c| {
        let u = c as u32;
        (0x2e80..=0x9fff).contains(&u)
            || (0xac00..=0xd7af).contains(&u)
            || (0xe000..=0xf8ff).contains(&u)
            || (0xf900..=0xfaff).contains(&u)
            || u >= 0xf0000
            || (u < 0x20 && c != '\t')
    })
}

/// Swaps the bytes of each UTF-16 code unit ("琀椀" U+7400 U+6900 -> "ti"), as far as that gives
/// Latin letters. Returns the letters recovered and whether the whole target was recovered.
pub fn byte_swapped(was: &str) -> (String, bool) {
    let mut out = String::new();
    for c in was.chars() {
        let u = c as u32;
        let swapped = ((u & 0xff) << 8) | (u >> 8);
        match char::from_u32(swapped) {
            Some(ch) if u <= 0xffff && ch.is_ascii_alphabetic() => out.push(ch),
            _ => return (out, false),
        }
    }
    let complete = !out.is_empty();
    (out, complete)
}

/// Letter sequences that Latin fonts draw as one ligature glyph.
const LIGATURES: &[&str] = &[
    "ff", "fi", "fl", "ffi", "ffl", "ft", "fj", "fb", "fh", "fk", "ffj", "fft", "tt", "ti", "tf",
    "tti", "ttf", "tl", "tz", "st", "ct", "Th",
];

/// Estimated width of a letter sequence drawn as one ligature: the letters' widths plus, for
/// each adjacent pair the font also draws as a ligature, that ligature's tightening. (Measured
/// on Carlito: "ttf" = t + t + f + (tt - 2t) + (tf - t - f) to within a unit.)
fn estimate(seq: &str, pieces: &HashMap<String, f32>) -> Option<f32> {
    let chars: Vec<char> = seq.chars().collect();
    let mut buf = [0u8; 4];
    let mut w = 0.0;
    let mut single = |c: char| pieces.get(c.encode_utf8(&mut buf) as &str).copied();
    let widths: Vec<f32> = chars.iter().map(|&c| single(c)).collect::<Option<_>>()?;
    w += widths.iter().sum::<f32>();
    for i in 1..chars.len() {
        let pair: String = chars[i - 1..=i].iter().collect();
        if let Some(pw) = pieces.get(&pair) {
            w += pw - widths[i - 1] - widths[i];
        }
    }
    Some(w)
}

/// Guesses the letters of ligature glyphs whose mappings are lost. Each lost glyph is given as
/// (the letters still readable, its width); `pieces` holds the widths of what the font maps
/// plainly. A font has one glyph per ligature, so ligatures it already maps are ruled out and
/// the lost glyphs get distinct ligatures: the assignment whose widths fit best.
pub fn guess_ligatures(
    lost: &[(String, f32)],
    pieces: &HashMap<String, f32>,
) -> Vec<Option<String>> {
    let candidates: Vec<(&str, f32)> = LIGATURES
        .iter()
        .filter(|l| !pieces.contains_key(**l))
        .filter_map(|l| estimate(l, pieces).map(|w| (*l, w)))
        .collect();
    let fits = |k: usize, c: usize| -> Option<f32> {
        let (prefix, width) = (&lost[k].0, lost[k].1);
        let (lig, est) = candidates[c];
        (width > 0.0 && lig.starts_with(prefix.as_str()) && lig.len() > prefix.len())
            .then(|| (est - width).abs() / width)
            .filter(|e| *e < 0.08)
    };
    // Exhaustive search over distinct assignments (few lost glyphs per font); a glyph may
    // also stay unassigned at a fixed cost.
    const UNASSIGNED: f32 = 0.1;
    let mut best: (f32, Vec<Option<usize>>) = (f32::MAX, vec![None; lost.len()]);
    let mut cur: Vec<Option<usize>> = Vec::with_capacity(lost.len());
    fn search(
        k: usize,
        n: usize,
        cost: f32,
        cur: &mut Vec<Option<usize>>,
        best: &mut (f32, Vec<Option<usize>>),
        ncand: usize,
        fits: &dyn Fn(usize, usize) -> Option<f32>,
    ) {
        if cost >= best.0 {
            return;
        }
        if k == n {
            *best = (cost, cur.clone());
            return;
        }
        for c in 0..ncand {
            if cur.contains(&Some(c)) {
                continue;
            }
            if let Some(e) = fits(k, c) {
                cur.push(Some(c));
                search(k + 1, n, cost + e, cur, best, ncand, fits);
                cur.pop();
            }
        }
        cur.push(None);
        search(k + 1, n, cost + UNASSIGNED, cur, best, ncand, fits);
        cur.pop();
    }
    if lost.len() <= 6 {
        search(
            0,
            lost.len(),
            0.0,
            &mut cur,
            &mut best,
            candidates.len(),
            &fits,
        );
    }
    best.1
        .into_iter()
        .map(|c| c.map(|c| candidates[c].0.to_string()))
        .collect()
}

/// Repairs an implausible ToUnicode target without width information: the glyph name from
/// /Differences, or the whole target read with its bytes swapped.
pub fn repair_by_name_or_order(was: &str, name: Option<&[u8]>) -> Option<String> {
    if let Some(t) = name
        .and_then(super::encoding::glyph_name_to_unicode)
        .filter(|t| plausible(t))
    {
        return Some(t);
    }
    match byte_swapped(was) {
        (s, true) => Some(s),
        _ => None,
    }
}

/// The letters of a damaged target that can still be read, for [`guess_ligature`].
pub fn readable_prefix(was: &str) -> String {
    byte_swapped(was).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_cjk_and_private_use_targets() {
        assert!(plausible("fi"));
        assert!(plausible("Østfold"));
        assert!(!plausible("琀椀"));
        assert!(!plausible("\u{e009}"));
    }

    #[test]
    fn reads_byte_swapped_targets() {
        assert_eq!(byte_swapped("琀椀"), ("ti".to_string(), true));
        assert_eq!(byte_swapped("昀昀"), ("ff".to_string(), true));
        assert_eq!(byte_swapped("琀\u{fffd}"), ("t".to_string(), false));
    }

    #[test]
    fn guesses_three_letter_ligatures_from_widths() {
        // Carlito Regular metrics (glyph units): letters and the two-letter ligatures it maps.
        let pieces: HashMap<String, f32> = [
            ("t", 335.0),
            ("f", 305.0),
            ("i", 229.0),
            ("l", 229.0),
            ("tt", 634.0),
            ("ti", 557.0),
            ("tf", 612.0),
            ("ft", 616.0),
            ("ff", 583.0),
            ("fi", 529.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let lost = vec![("t".to_string(), 912.0), ("t".to_string(), 856.0)];
        assert_eq!(
            guess_ligatures(&lost, &pieces),
            vec![Some("ttf".to_string()), Some("tti".to_string())]
        );
        // Nothing near the width: left unmapped rather than guessed.
        let far = vec![("t".to_string(), 2000.0)];
        assert_eq!(guess_ligatures(&far, &pieces), vec![None]);
    }
}
