//! Text normalisation: NFC, ligatures expanded, invisible characters dropped, NBSP to space,
//! and line-end de-hyphenation that keeps real hyphens.

use unicode_normalization::UnicodeNormalization;

/// The letters a presentation-form ligature stands for.
fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' => "st",
        '\u{fb06}' => "st",
        _ => return None,
    })
}

/// Characters that carry no visible text.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{0}'
    )
}

/// True when the text needs [`normalise_word`] at all (fast path for plain text).
fn needs_work(s: &str) -> bool {
    s.chars().any(|c| !c.is_ascii() || c.is_ascii_control())
}

/// Normalises the text of one word: ligatures expanded, soft hyphens and zero-width characters
/// removed, spaces of any kind to U+0020, control characters dropped, NFC.
pub fn normalise_word(s: &str) -> String {
    if !needs_work(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if let Some(l) = ligature(c) {
            out.push_str(l);
        } else if is_invisible(c) || (c.is_control() && c != '\t') {
        } else if c.is_whitespace() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

/// Short words after which a line-end hyphen is a real one: "helse- og omsorg".
const CONJUNCTIONS: &[&str] = &[
    "og", "eller", "samt", "til", "and", "or", "und", "oder", "et", "ou", "to",
];

/// How two consecutive lines of a paragraph join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineJoin {
    /// With a space: an ordinary wrap, or a real hyphen before a conjunction ("helse- og").
    Space,
    /// Without a space, the hyphen kept: it is part of the word ("e-" + "helse", "ICD-" + "11").
    Glue,
    /// Without a space and without the hyphen: a word broken by the typesetter ("utvik-" +
    /// "ling").
    DropHyphen,
}

/// Decides how a line ending in `prev` joins the next line starting with `next`: typographic
/// hyphenation is undone, real hyphens stay.
pub fn line_join(prev: &str, next: &str) -> LineJoin {
    if let Some(stem) = prev.strip_suffix('-') {
        let next_first = next.split(' ').next().unwrap_or("");
        let starts_lower = next_first.chars().next().is_some_and(|c| c.is_lowercase());
        let last_word = stem.rsplit(' ').next().unwrap_or("");
        let is_conj = CONJUNCTIONS
            .iter()
            .any(|c| next_first.trim_end_matches([',', '.', ';']) == *c);
        if is_conj {
            // "helse- og omsorgssektoren"
            return LineJoin::Space;
        }
        if starts_lower
            && last_word.chars().count() >= 3
            && last_word.chars().all(char::is_alphabetic)
            && last_word.chars().skip(1).all(char::is_lowercase)
        {
            // "utvik-" + "ling": a word broken by the typesetter.
            return LineJoin::DropHyphen;
        }
        // Otherwise ("e-" + "helse", "ICD-" + "11", "Helse-" + "Norge") the hyphen is part of
        // the word.
        return LineJoin::Glue;
    }
    if prev.ends_with('\u{2010}') {
        return LineJoin::Glue;
    }
    LineJoin::Space
}

/// Joins two lines of a paragraph: typographic hyphenation is undone, real hyphens stay.
pub fn join_lines(out: &mut String, next: &str) {
    if out.is_empty() {
        out.push_str(next);
        return;
    }
    match line_join(out, next) {
        LineJoin::Space => out.push(' '),
        LineJoin::Glue => {}
        LineJoin::DropHyphen => {
            out.pop();
        }
    }
    out.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_words() {
        assert_eq!(normalise_word("\u{fb01}nne"), "finne");
        assert_eq!(normalise_word("sam\u{ad}arbeid\u{200b}"), "samarbeid");
        assert_eq!(normalise_word("a\u{a0}b"), "a b");
        assert_eq!(normalise_word("a\u{30a}"), "å");
    }

    #[test]
    fn dehyphenates_only_typographic_breaks() {
        let j = |a: &str, b: &str| {
            let mut s = a.to_string();
            join_lines(&mut s, b);
            s
        };
        assert_eq!(j("Nasjonalt e-", "helseråd"), "Nasjonalt e-helseråd");
        assert_eq!(
            j("for helse-", "og omsorgssektoren"),
            "for helse- og omsorgssektoren"
        );
        assert_eq!(j("kodeverket ICD-", "11 er"), "kodeverket ICD-11 er");
        assert_eq!(j("videre utvik-", "ling av"), "videre utvikling av");
        assert_eq!(j("ihre Übungsauf-", "gaben"), "ihre Übungsaufgaben");
        assert_eq!(j("i IKT-", "systemer"), "i IKT-systemer");
        assert_eq!(j("første linje", "andre"), "første linje andre");
    }
}
