//! Spacing accents drawn over a letter as a glyph of their own (TeX's `\~a` with OT1 fonts,
//! math accents such as `\tilde{F}`) become the letter followed by the combining mark, as
//! poppler does; normalisation (NFC) then composes "a" + U+0303 into "ã". Without this the
//! accent is a stray character, often on a line of its own above the text.

use super::layout::Glyph;

/// The combining mark a spacing accent stands for.
fn spacing_accent(c: char) -> Option<char> {
    Some(match c {
        '\u{60}' | '\u{2cb}' => '\u{300}', // grave
        '\u{b4}' | '\u{2ca}' => '\u{301}', // acute
        '\u{2c6}' => '\u{302}',            // circumflex
        '\u{2dc}' => '\u{303}',            // tilde
        '\u{af}' | '\u{2c9}' => '\u{304}', // macron
        '\u{2d8}' => '\u{306}',            // breve
        '\u{2d9}' => '\u{307}',            // dot above
        '\u{a8}' => '\u{308}',             // diaeresis
        '\u{2da}' => '\u{30a}',            // ring above
        '\u{2dd}' => '\u{30b}',            // double acute
        '\u{2c7}' => '\u{30c}',            // caron
        '\u{b8}' => '\u{327}',             // cedilla
        '\u{2db}' => '\u{328}',            // ogonek
        _ => return None,
    })
}

/// A combining mark drawn as a glyph of its own (TeX's \not slash, U+0338, drawn before the
/// relation it negates).
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The single character a glyph shows, if it shows one.
fn single_char(text: &str, g: &Glyph) -> Option<char> {
    let mut chars = text[g.text.0 as usize..g.text.1 as usize].chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Accents merged into their characters: for each glyph, whether it is an accent now carried
/// by another (to be skipped), and the marks to append after a character's text.
pub struct Accents {
    pub skip: Vec<bool>,
    pub marks: Vec<Vec<char>>,
}

/// Finds accents and marks drawn over a neighbouring character (a letter, or a symbol as in
/// TeX's `\dot\cup`): the mark's advance overlaps the character's by more than half the
/// narrower of the two, on the same baseline or above it by less than the font size. `None`
/// when the page has none (the common case, at the cost of one scan).
pub fn find(glyphs: &[Glyph], text: &str) -> Option<Accents> {
    let mut found: Option<Accents> = None;
    for (i, a) in glyphs.iter().enumerate() {
        let Some(c) = single_char(text, a) else {
            continue;
        };
        let mark = match spacing_accent(c) {
            Some(m) => m,
            None if is_combining(c) => c,
            None => continue,
        };
        let base = [i + 1, i.wrapping_sub(1)].into_iter().find(|&j| {
            let Some(b) = glyphs.get(j) else {
                return false;
            };
            let fits = single_char(text, b).is_some_and(|c| {
                let mark_like = spacing_accent(c).is_some() || is_combining(c);
                !mark_like && !c.is_whitespace()
            });
            let width = (a.along1 - a.along0).min(b.along1 - b.along0);
            let overlap = a.along1.min(b.along1) - a.along0.max(b.along0);
            // A mark of no width (the \not slash) sits at a point within its base.
            let over = if a.along1 - a.along0 < 0.05 * a.size {
                a.along0 >= b.along0 - 0.05 * b.size && a.along0 < b.along1
            } else {
                overlap > 0.5 * width
            };
            let raise = b.across - a.across;
            fits && b.dir == a.dir && over && raise > -0.1 * b.size && raise < b.size
        });
        if let Some(j) = base {
            let f = found.get_or_insert_with(|| Accents {
                skip: vec![false; glyphs.len()],
                marks: vec![Vec::new(); glyphs.len()],
            });
            f.skip[i] = true;
            f.marks[j].push(mark);
        }
    }
    found
}
