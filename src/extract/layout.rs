//! Layout analysis: positioned glyphs to words, lines and blocks. Knows no PDF operators.
//!
//! Content-stream order is kept (on the producers we read it equals document order); geometry
//! decides where words and lines break and which lines belong to one block.

use std::sync::Arc;

use lopdf::ObjectId;

use super::diacritics;
use super::font::Font;
use super::interpret::{Device, GlyphOut};
use super::model::{Block, BlockRole, Line, Rect, Word};
use super::normalise::{join_lines, normalise_word};
use super::structure::PageStructure;

/// A glyph kept for layout; its text lives in [`PageCollector::text`].
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: (u32, u32),
    /// Baseline frame: position along the writing direction and across it (down = +).
    pub along0: f32,
    pub along1: f32,
    pub across: f32,
    pub size: f32,
    pub dir: u8,
    pub font: u16,
    pub invisible: bool,
    pub mcid: Option<u32>,
    pub space_width: f32,
    pub bbox: Rect,
}

/// Collects what the interpreter shows on one page.
#[derive(Default)]
pub struct PageCollector {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    pub fonts: Vec<Arc<Font>>,
    /// Horizontal and vertical rules (page space).
    pub rules: Vec<Rect>,
    /// Visible glyphs whose font maps them to no text (left out of the words).
    pub unmapped: usize,
    /// Space glyphs drawn: producers that draw spaces separate cells by position alone.
    pub spaces: usize,
}

/// Quantised writing direction: 0 right, 1 down, 2 left, 3 up (page space, y down).
fn quantise(dir: (f32, f32)) -> u8 {
    let (dx, dy) = dir;
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 {
            0
        } else {
            2
        }
    } else if dy >= 0.0 {
        1
    } else {
        3
    }
}

/// Page point to (along, across) in the frame of a direction.
fn to_frame(dir: u8, x: f32, y: f32) -> (f32, f32) {
    match dir {
        0 => (x, y),
        1 => (y, -x),
        2 => (-x, -y),
        _ => (-y, x),
    }
}

impl Device for PageCollector {
    fn glyph(&mut self, g: &GlyphOut) {
        if g.unmapped {
            self.unmapped += usize::from(!g.invisible);
            return;
        }
        if g.text.is_empty() || g.size <= 0.0 {
            return;
        }
        if g.text == " " {
            self.spaces += 1;
        }
        let font = match self.fonts.iter().rposition(|f| Arc::ptr_eq(f, g.font)) {
            Some(i) => i,
            None => {
                self.fonts.push(g.font.clone());
                self.fonts.len() - 1
            }
        };
        let dir = quantise(g.dir);
        let (along0, across) = to_frame(dir, g.x0, g.y0);
        let (mut along1, _) = to_frame(dir, g.x1, g.y1);
        if along1 < along0 {
            along1 = along0;
        }
        // Box: ascent 0.8 and descent 0.2 of the size around the baseline.
        let up = (g.dir.1 * g.size, -g.dir.0 * g.size);
        let pts = [
            (g.x0 + up.0 * 0.8, g.y0 + up.1 * 0.8),
            (g.x1 + up.0 * 0.8, g.y1 + up.1 * 0.8),
            (g.x0 - up.0 * 0.2, g.y0 - up.1 * 0.2),
            (g.x1 - up.0 * 0.2, g.y1 - up.1 * 0.2),
        ];
        let mut bbox = Rect::new(pts[0].0, pts[0].1, pts[0].0, pts[0].1);
        for p in &pts[1..] {
            bbox = bbox.union(&Rect::new(p.0, p.1, p.0, p.1));
        }
        let start = self.text.len() as u32;
        self.text.push_str(g.text);
        self.glyphs.push(Glyph {
            text: (start, self.text.len() as u32),
            along0,
            along1,
            across,
            size: g.size,
            dir,
            font: font as u16,
            invisible: g.invisible,
            mcid: g.mcid,
            space_width: g.space_width,
            bbox,
        });
    }

    fn rule(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        self.rules.push(Rect::new(x0, y0, x1, y1));
    }
}

/// Tunable thresholds, in units of the font size.
#[derive(Debug, Clone)]
pub struct LayoutParams {
    /// The usual baseline distance of wrapped lines per font size (size in half points,
    /// distance in points), measured over the document.
    pub pitches: Vec<(i32, f32)>,
    /// A gap wider than this (or half a space glyph) separates words.
    pub word_gap: f32,
    /// The same for producers that draw no space glyphs.
    pub word_gap_no_spaces: f32,
    /// A gap wider than this on one baseline separates table cells / columns.
    pub cell_gap: f32,
    /// The same for producers that draw no space glyphs, where wide gaps are mostly math
    /// and \quad spacing within one line.
    pub cell_gap_no_spaces: f32,
    /// Baselines further apart than this (times the size) start a new block.
    pub max_line_pitch: f32,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            pitches: Vec::new(),
            word_gap: 0.15,
            word_gap_no_spaces: 0.15,
            cell_gap: 0.9,
            cell_gap_no_spaces: 2.5,
            max_line_pitch: 1.7,
        }
    }
}

impl LayoutParams {
    /// Largest baseline distance within one paragraph for lines of this size.
    fn max_pitch(&self, size: f32) -> f32 {
        let key = (size * 2.0).round() as i32;
        match self.pitches.iter().find(|(k, _)| *k == key) {
            Some(&(_, pitch)) => (pitch * 1.1 + 0.5).min(self.max_line_pitch * size),
            None => self.max_line_pitch * size,
        }
    }

    /// Measures the usual line pitch per font size: the most common distance between
    /// consecutive left-aligned lines of one size.
    pub fn measure_pitches(&mut self, pages: &[Vec<RawLine>]) {
        let mut hist: std::collections::HashMap<(i32, i32), usize> = Default::default();
        for lines in pages {
            for w in lines.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                let pitch = b.across - a.across;
                if a.dir == b.dir
                    && (a.size - b.size).abs() < 0.3
                    && (a.along0 - b.along0).abs() < 1.0
                    && pitch > 0.8 * a.size
                    && pitch < 2.0 * a.size
                {
                    let key = ((a.size * 2.0).round() as i32, (pitch * 4.0).round() as i32);
                    *hist.entry(key).or_default() += 1;
                }
            }
        }
        let mut best: std::collections::HashMap<i32, (usize, i32)> = Default::default();
        for ((size, pitch), n) in hist {
            let e = best.entry(size).or_insert((0, pitch));
            if n > e.0 || (n == e.0 && pitch > e.1) {
                *e = (n, pitch);
            }
        }
        self.pitches = best
            .into_iter()
            .filter(|(_, (n, _))| *n >= 3)
            .map(|(size, (_, pitch))| (size, pitch as f32 / 4.0))
            .collect();
    }
}

/// A line under construction, with frame coordinates for block building.
#[derive(Debug, Clone)]
pub struct RawLine {
    pub line: Line,
    pub dir: u8,
    pub across: f32,
    pub along0: f32,
    pub along1: f32,
    pub size: f32,
    pub mcid: Option<u32>,
    pub all_bold: bool,
    /// Length of the first word along the baseline (for the hard-break test).
    pub first_word_len: f32,
    /// Structure elements of the first and last glyph (tagged PDFs).
    pub elem: Option<ObjectId>,
    pub last_elem: Option<ObjectId>,
    /// The innermost elements of the first and last glyph.
    pub leaf: Option<ObjectId>,
    pub last_leaf: Option<ObjectId>,
}

struct WordBuf {
    text: String,
    along0: f32,
    along1: f32,
    bbox: Rect,
    font: u16,
    size: f32,
    invisible: bool,
}

impl PageCollector {
    /// Glyphs to words to lines, in content order.
    pub fn lines(&self, p: &LayoutParams, structure: Option<&PageStructure>) -> Vec<RawLine> {
        let elem_of = |g: &Glyph| structure.and_then(|s| s.element(g.mcid));
        let leaf_of = |g: &Glyph| structure.and_then(|s| s.leaf(g.mcid));
        // Where spaces are drawn as glyphs, a wide gap without one is a cell or column break;
        // where they are not (TeX), wide justified spaces must not split the line.
        let draws_spaces = self.spaces * 40 > self.glyphs.len();
        let cell_gap = if draws_spaces {
            p.cell_gap * 0.5
        } else {
            p.cell_gap_no_spaces
        };
        // Without space glyphs (TeX) every space is a gap: word spaces shrink to about 0.22 em,
        // thin spaces (after a comma in math, between dots) are 0.17 em and part of the text.
        let word_gap = if draws_spaces {
            p.word_gap
        } else {
            p.word_gap_no_spaces
        };
        let mut lines: Vec<RawLine> = Vec::new();
        let mut cur: Option<RawLine> = None;
        let mut word: Option<WordBuf> = None;
        let mut prev: Option<&Glyph> = None;
        let mut space_pending = false;

        let flush_word =
            |word: &mut Option<WordBuf>, cur: &mut Option<RawLine>, fonts: &[Arc<Font>]| {
                if let Some(w) = word.take() {
                    let text = normalise_word(&w.text);
                    let text = text.trim();
                    if text.is_empty() {
                        return;
                    }
                    let font = &fonts[w.font as usize];
                    if let Some(l) = cur.as_mut() {
                        l.line.bbox = if l.line.words.is_empty() {
                            w.bbox
                        } else {
                            l.line.bbox.union(&w.bbox)
                        };
                        l.all_bold &= font.bold;
                        if l.line.words.is_empty() {
                            l.first_word_len =
                                w.bbox.width().max(w.bbox.height()).min(w.along1 - w.along0);
                        }
                        // A word may hold spaces after normalisation (NBSP): split it.
                        for part in text.split(' ').filter(|s| !s.is_empty()) {
                            l.line.words.push(Word {
                                text: part.to_string(),
                                bbox: w.bbox,
                                font: font.name.clone(),
                                size: w.size,
                                bold: font.bold,
                                italic: font.italic,
                                invisible: w.invisible,
                            });
                        }
                    }
                }
            };

        let accents = diacritics::find(&self.glyphs, &self.text);
        for (gi, g) in self.glyphs.iter().enumerate() {
            if structure.is_some_and(|s| s.is_label(g.mcid)) {
                continue;
            }
            let marks: &[char] = match &accents {
                Some(a) if a.skip[gi] => continue,
                Some(a) => &a.marks[gi],
                None => &[],
            };
            let t = &self.text[g.text.0 as usize..g.text.1 as usize];
            let is_space = t.chars().all(|c| c.is_whitespace());
            let mut new_line = false;
            let mut new_word = false;
            if let Some(pg) = prev {
                let size = g.size.max(pg.size);
                let gap = g.along0 - pg.along1;
                let (e, pe) = (elem_of(g), elem_of(pg));
                // Off the previous glyph's baseline but a sub- or superscript of this line.
                let script = (g.across - pg.across).abs() > 0.5 * size
                    && cur.as_ref().is_some_and(|l| on_line(l, g, gap));
                if g.dir != pg.dir || ((g.across - pg.across).abs() > 0.5 * size && !script) {
                    new_line = true;
                } else if !is_space && e.is_some() && pe.is_some() && e != pe {
                    // A different structure element (the next table cell) on the same line.
                    new_line = true;
                } else if gap < -0.5 * size && !script {
                    // Duplicate glyph drawn over itself (fake bold): drop it.
                    if !is_space
                        && (g.along0 - pg.along0).abs() < 0.1 * size
                        && &self.text[pg.text.0 as usize..pg.text.1 as usize] == t
                    {
                        continue;
                    }
                    new_line = true;
                } else if !is_space
                    && ((!space_pending && gap > cell_gap * size)
                        || (space_pending && gap > cell_gap.max(0.5) * size)
                        || gap > 3.0 * size)
                {
                    new_line = true;
                } else {
                    let sw = if g.space_width > 0.0 {
                        (0.5 * g.space_width).min(p.word_gap * 2.0 * size)
                    } else {
                        word_gap * size
                    };
                    if space_pending || gap > sw.max(0.08 * size) {
                        new_word = true;
                    }
                }
            }
            if is_space {
                space_pending = true;
                if prev.is_none() {
                    continue;
                }
                // A space glyph advances the pen; remember where it ended.
                prev = Some(g);
                // The space's own position must not start a line break check later: keep it.
                if new_line {
                    flush_word(&mut word, &mut cur, &self.fonts);
                    if let Some(l) = cur.take() {
                        if !l.line.words.is_empty() {
                            lines.push(l);
                        }
                    }
                }
                continue;
            }
            if new_line || cur.is_none() {
                flush_word(&mut word, &mut cur, &self.fonts);
                if let Some(l) = cur.take() {
                    if !l.line.words.is_empty() {
                        lines.push(l);
                    }
                }
                cur = Some(RawLine {
                    line: Line {
                        words: Vec::new(),
                        bbox: g.bbox,
                    },
                    dir: g.dir,
                    across: g.across,
                    along0: g.along0,
                    along1: g.along1,
                    size: g.size,
                    mcid: g.mcid,
                    all_bold: true,
                    first_word_len: 0.0,
                    elem: elem_of(g),
                    last_elem: elem_of(g),
                    leaf: leaf_of(g),
                    last_leaf: leaf_of(g),
                });
                new_word = true;
            }
            if new_word {
                flush_word(&mut word, &mut cur, &self.fonts);
            }
            space_pending = false;
            match word.as_mut() {
                Some(w) => {
                    w.text.push_str(t);
                    w.text.extend(marks);
                    w.bbox = w.bbox.union(&g.bbox);
                    w.along1 = w.along1.max(g.along1);
                    w.invisible &= g.invisible;
                }
                None => {
                    word = Some(WordBuf {
                        text: t.chars().chain(marks.iter().copied()).collect(),
                        along0: g.along0,
                        along1: g.along1,
                        bbox: g.bbox,
                        font: g.font,
                        size: g.size,
                        invisible: g.invisible,
                    })
                }
            }
            if let Some(l) = cur.as_mut() {
                l.along1 = l.along1.max(g.along1);
                l.size = l.size.max(g.size);
                if let Some(e) = elem_of(g) {
                    l.last_elem = Some(e);
                    l.elem.get_or_insert(e);
                }
                if let Some(e) = leaf_of(g) {
                    l.last_leaf = Some(e);
                    l.leaf.get_or_insert(e);
                }
            }
            prev = Some(g);
        }
        flush_word(&mut word, &mut cur, &self.fonts);
        if let Some(l) = cur.take() {
            if !l.line.words.is_empty() {
                lines.push(l);
            }
        }
        lines
    }
}

/// Whether a glyph that left the previous glyph's baseline still belongs to line `l`: it
/// follows closely and is back on the line's baseline (after a sub- or superscript), or it is
/// a smaller sub- or superscript within the line's height ("x²ₖ", "π⁻¹_X").
fn on_line(l: &RawLine, g: &Glyph, gap: f32) -> bool {
    let size = l.size.max(g.size);
    let off = g.across - l.across;
    let script = g.size < 0.9 * l.size && off > -0.6 * l.size && off < 0.45 * l.size;
    // A subscript under a superscript starts back where the superscript started.
    let back = if script {
        (g.along0 - l.along0).min(3.0 * size)
    } else {
        0.5 * size
    };
    g.dir == l.dir && gap > -back && gap < 0.5 * size && (off.abs() <= 0.25 * size || script)
}

/// Characters used as list bullets, dropped from the start of a block.
fn is_bullet(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(
        c,
        '•' | '◦'
            | '▪'
            | '▫'
            | '■'
            | '□'
            | '●'
            | '○'
            | '◆'
            | '◇'
            | '►'
            | '▶'
            | '➢'
            | '✓'
            | '✔'
            | '∙'
            | '·'
            | '‣'
            | '⁃'
    ) || ('\u{e000}'..='\u{f8ff}').contains(&c)
}

/// True when a horizontal rule separates two lines (a table border between them).
fn rule_between(rules: &[Rect], a: &RawLine, b: &RawLine) -> bool {
    if a.dir != 0 || b.dir != 0 {
        return false;
    }
    // Underlines sit just below the baseline, within the descent: not a border.
    let (top, bottom) = (a.across + a.size * 0.25, b.across - b.size * 0.8);
    let x0 = a.along0.max(b.along0);
    let x1 = a.along1.min(b.along1);
    rules
        .iter()
        .any(|r| r.height() < 2.0 && r.y0 > top && r.y0 < bottom && r.x0 <= x1 && r.x1 >= x0)
}

/// Lines that belong together, under construction.
struct Group {
    lines: Vec<RawLine>,
    x0: f32,
    x1: f32,
}

impl Group {
    fn new(l: RawLine) -> Group {
        Group {
            x0: l.along0,
            x1: l.along1,
            lines: vec![l],
        }
    }
    fn last(&self) -> &RawLine {
        self.lines.last().expect("a group has lines")
    }
    fn push(&mut self, l: RawLine) {
        self.x0 = self.x0.min(l.along0);
        self.x1 = self.x1.max(l.along1);
        self.lines.push(l);
    }
}

/// Whether line `l` continues the paragraph or cell of `g`.
fn continues(g: &Group, l: &RawLine, right_edge: f32, rules: &[Rect], p: &LayoutParams) -> bool {
    let prev = g.last();
    let size = prev.size.max(l.size);
    let pitch = l.across - prev.across;
    // In a tagged file the structure tree says which lines form one paragraph or cell.
    if let (Some(a), Some(b)) = (prev.last_elem, l.elem) {
        if a != b {
            return false;
        }
        // The same text run across the break: a wrapped line. A new run starting a line is
        // a forced break (<br>), unless the break falls inside punctuation or a hyphenated
        // word, where the run changed for an inline element ("(«" + "sitat" + "»)").
        let prev_end = prev.line.words.last().and_then(|w| w.text.chars().last());
        let next_start = l.line.words.first().and_then(|w| w.text.chars().next());
        let glued = matches!(
            prev_end,
            Some('(' | '«' | '“' | '‘' | '"' | '-' | '/' | '[')
        ) || matches!(
            next_start,
            Some(')' | '»' | '”' | '’' | '.' | ',' | ':' | ';' | ']')
        );
        return (prev.last_leaf == l.leaf || glued)
            && l.dir == prev.dir
            && pitch > 0.3 * size
            && pitch <= p.max_line_pitch * size
            && l.along0 < prev.along1 + size
            && l.along1 > prev.along0 - size;
    }
    continues_untagged(g, l, right_edge, rules, p)
}

/// The geometric test: even line spacing, overlapping extent, same size and weight, and the
/// previous line full (its next word would not have fitted).
fn continues_untagged(
    g: &Group,
    l: &RawLine,
    right_edge: f32,
    rules: &[Rect],
    p: &LayoutParams,
) -> bool {
    let prev = g.last();
    let size = prev.size.max(l.size);
    let pitch = l.across - prev.across;
    if l.dir != prev.dir
        || (l.size - prev.size).abs() > 0.15 * size
        || pitch <= 0.3 * size
        || pitch > p.max_pitch(size)
        || l.along0 >= prev.along1
        || l.along1 <= prev.along0
        || l.along0 < g.x0 - 0.6 * size
        || l.all_bold != prev.all_bold
        || l.line.words.first().is_some_and(|w| is_bullet(&w.text))
    {
        return false;
    }
    // Line spacing must stay even within a paragraph.
    if g.lines.len() >= 2 {
        let before = prev.across - g.lines[g.lines.len() - 2].across;
        if pitch > before * 1.2 + 0.5 {
            return false;
        }
    }
    // A line ends its paragraph when the next word would have fitted on it (a hard break).
    let ends_hyphen = prev
        .line
        .words
        .last()
        .is_some_and(|w| w.text.ends_with('-'));
    if !ends_hyphen {
        let edge = right_edge.max(g.x1).max(l.along1);
        if prev.along1 + 0.3 * size + l.first_word_len < edge - 0.05 * size {
            return false;
        }
    }
    // Lines of one paragraph share their left edge exactly; a shift of a point or two is the
    // padding of another table cell (a nested table), not an indent.
    let shift = (l.along0 - prev.along0).abs();
    if shift > 0.8 && shift < 0.3 * size {
        return false;
    }
    // A list of "Name (Organisation)" items: a line closing its parenthesis with the next
    // starting a capitalised word is the next item, even in a column too narrow to tell.
    let closes = prev
        .line
        .words
        .last()
        .is_some_and(|w| w.text.ends_with(')'));
    let opens_upper = l
        .line
        .words
        .first()
        .and_then(|w| w.text.chars().next())
        .is_some_and(char::is_uppercase);
    if closes && opens_upper {
        return false;
    }
    !rule_between(rules, prev, l)
}

/// Where the text column of lines `i..j` ends: just before the nearest text to its right at
/// the same height (the next table cell or column), else the furthest any line starting at the
/// same left edge reaches on the page.
fn column_edge(lines: &[RawLine], i: usize, j: usize) -> f32 {
    let run = &lines[i..j];
    let x0 = run.iter().map(|l| l.along0).fold(f32::MAX, f32::min);
    let x1 = run.iter().map(|l| l.along1).fold(f32::MIN, f32::max);
    let size = run.iter().map(|l| l.size).fold(0.0, f32::max);
    let (top, bottom) = (run[0].across - size, run[run.len() - 1].across);
    let dir = run[0].dir;
    let neighbour = lines
        .iter()
        .filter(|l| l.dir == dir && l.along0 > x1 + 0.2 * size)
        .filter(|l| l.across > top && l.across - l.size < bottom)
        .map(|l| l.along0)
        .fold(f32::MAX, f32::min);
    if neighbour < f32::MAX {
        return (neighbour - size).max(x1);
    }
    lines
        .iter()
        .filter(|l| l.dir == dir && (l.along0 - x0).abs() < 1.0)
        .map(|l| l.along1)
        .fold(x1, f32::max)
}

/// Some producers (LibreOffice) draw a table row line by line across its cells: the second
/// line of a cell comes after the first lines of the cells to its right. Finds the earlier
/// block such a line continues: the text must plainly run on (the block ends in a hyphen or
/// the line starts in lower case), the line sits just below the block at its left edge, and
/// every block drawn since sits beside it on the same row.
fn interleaved_continuation(groups: &[Group], l: &RawLine, p: &LayoutParams) -> Option<usize> {
    if l.elem.is_some() {
        return None;
    }
    let starts_lower = l
        .line
        .words
        .first()
        .and_then(|w| w.text.chars().next())
        .is_some_and(char::is_lowercase);
    let n = groups.len();
    for k in (n.saturating_sub(8)..n.saturating_sub(1)).rev() {
        let g = &groups[k];
        let last = g.last();
        let ends_hyphen = last
            .line
            .words
            .last()
            .is_some_and(|w| w.text.ends_with('-'));
        let size = last.size.max(l.size);
        let pitch = l.across - last.across;
        let fits = (starts_lower || ends_hyphen)
            && l.dir == last.dir
            && (l.size - last.size).abs() <= 0.15 * size
            && pitch > 0.3 * size
            && pitch <= p.max_pitch(size)
            && (l.along0 - g.x0).abs() < 1.0;
        if !fits {
            continue;
        }
        let beside = groups[k + 1..].iter().all(|h| {
            let first = &h.lines[0];
            (first.across - g.lines[0].across).abs() < 0.5 * size
                && (h.x0 >= g.x1 - 1.0 || h.x1 <= g.x0 + 1.0)
        });
        return beside.then_some(k);
    }
    None
}

/// Lines to blocks, in content order: a line joins the block before it when it continues
/// that paragraph or cell.
pub fn blocks(
    lines: Vec<RawLine>,
    rules: &[Rect],
    p: &LayoutParams,
) -> Vec<(Block, Option<ObjectId>)> {
    // The right edge of each run of lines sharing a left edge: for the hard-break test.
    let mut right = vec![0f32; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len() {
            let (a, b) = (&lines[j - 1], &lines[j]);
            let size = a.size.max(b.size);
            let pitch = b.across - a.across;
            if b.dir != a.dir
                || pitch <= 0.3 * size
                || pitch > p.max_pitch(size)
                || (b.along0 - lines[i].along0).abs() > size
            {
                break;
            }
            j += 1;
        }
        let edge = column_edge(&lines, i, j);
        for r in &mut right[i..j] {
            *r = edge;
        }
        i = j;
    }

    let mut groups: Vec<Group> = Vec::new();
    for (idx, l) in lines.into_iter().enumerate() {
        if let Some(g) = groups.last_mut() {
            if continues(g, &l, right[idx], rules, p) {
                g.push(l);
                continue;
            }
        }
        if let Some(k) = interleaved_continuation(&groups, &l, p) {
            groups[k].push(l);
            continue;
        }
        groups.push(Group::new(l));
    }

    // A mark standing alone is a list bullet when the item's text follows it on its baseline;
    // with nothing after it (a proof's closing ■ at the margin) it is text.
    let item_follows: Vec<bool> = (0..groups.len())
        .map(|k| {
            let (a, Some(b)) = (groups[k].last(), groups.get(k + 1).map(|g| &g.lines[0])) else {
                return false;
            };
            a.dir == b.dir && (a.across - b.across).abs() < 0.5 * a.size && b.along0 > a.along0
        })
        .collect();
    let mut out = Vec::with_capacity(groups.len());
    for (gi, g) in groups.into_iter().enumerate() {
        let elem = g.lines[0].elem;
        let mut text = String::new();
        let mut bbox = g.lines[0].line.bbox;
        let mut lines = Vec::with_capacity(g.lines.len());
        let alone = g.lines.len() == 1 && g.lines[0].line.words.len() == 1;
        for (k, l) in g.lines.into_iter().enumerate() {
            let mut lt = l.line.text();
            if k == 0 && (!alone || item_follows[gi]) {
                // A list bullet is layout, not text.
                if let Some(w) = l.line.words.first() {
                    if is_bullet(&w.text) {
                        lt = lt[w.text.len()..].trim_start().to_string();
                    }
                }
            }
            join_lines(&mut text, &lt);
            bbox = bbox.union(&l.line.bbox);
            lines.push(l.line);
        }
        if text.is_empty() {
            continue;
        }
        out.push((
            Block {
                text,
                lines,
                bbox,
                role: BlockRole::Body,
            },
            elem,
        ));
    }
    out
}
