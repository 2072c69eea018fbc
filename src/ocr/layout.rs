//! OCR words to the layout model: lines, blocks and (borderless) tables.
//!
//! Lines are Tesseract's own lines (its line ids), never regrouped by y alone, so a slightly
//! rotated scan keeps its lines intact. A Tesseract paragraph becomes a block, split where a
//! bullet or a short last line shows that a new paragraph or list item begins. Tables are found
//! the way a reader sees them: runs of lines with wide gaps whose pieces line up in columns;
//! their cells are read row by row, left to right, each cell's text kept together, and a new row
//! begins where the line pitch grows beyond that of running text.
//!
//! All geometry here is in image pixels; `to_page` maps boxes onto the displayed PDF page.

use crate::extract::model::{Block, BlockRole, Line, Rect, Table, Word};

use super::order;
use super::tesseract::TsvWord;

/// A box in image pixels (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
struct PxBox {
    l: f32,
    t: f32,
    r: f32,
    b: f32,
}

impl PxBox {
    fn union(&self, o: &PxBox) -> PxBox {
        PxBox {
            l: self.l.min(o.l),
            t: self.t.min(o.t),
            r: self.r.max(o.r),
            b: self.b.max(o.b),
        }
    }
    fn height(&self) -> f32 {
        self.b - self.t
    }
}

fn word_box(w: &TsvWord) -> PxBox {
    PxBox {
        l: w.left,
        t: w.top,
        r: w.left + w.width,
        b: w.top + w.height,
    }
}

/// One Tesseract line, possibly split into pieces at wide gaps.
#[derive(Debug, Clone)]
struct OcrLine {
    /// (block, paragraph) of Tesseract's segmentation.
    par: (u32, u32),
    words: Vec<TsvWord>,
    /// Word index ranges of the pieces separated by gaps wider than a space.
    pieces: Vec<std::ops::Range<usize>>,
    bbox: PxBox,
    /// Estimated baseline y (bottom of the words without descenders).
    baseline: f32,
    /// Median word height.
    size: f32,
    /// The line began with a list bullet (dropped from `words`).
    bullet: bool,
}

impl OcrLine {
    fn piece_box(&self, piece: &std::ops::Range<usize>) -> PxBox {
        self.words[piece.clone()]
            .iter()
            .map(word_box)
            .reduce(|a, b| a.union(&b))
            .unwrap_or(self.bbox)
    }
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

/// The median of a non-empty list, the mean of the two middle values for an even count (two
/// lines of a row count alike).
fn middle(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    let n = v.len();
    if n.is_multiple_of(2) {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    } else {
        v[n / 2]
    }
}

/// Tesseract reads a rule or a wide gap between table cells as a lone dash.
fn is_stray_dash(text: &str) -> bool {
    matches!(text, "—" | "–" | "-" | "_" | "|" | "—-" | "--")
}

fn has_descender(text: &str) -> bool {
    text.chars().any(|c| "gjpqyQ,;()[]{}|/".contains(c))
}

fn build_lines(words: &[TsvWord]) -> Vec<OcrLine> {
    let mut lines: Vec<OcrLine> = Vec::new();
    let mut key = None;
    for w in words {
        let k = (w.block, w.par, w.line);
        if key != Some(k) {
            key = Some(k);
            lines.push(OcrLine {
                par: (w.block, w.par),
                words: Vec::new(),
                pieces: Vec::new(),
                bbox: word_box(w),
                baseline: 0.0,
                size: 0.0,
                bullet: false,
            });
        }
        let line = lines.last_mut().expect("pushed above");
        line.bbox = line.bbox.union(&word_box(w));
        line.words.push(w.clone());
    }
    for line in &mut lines {
        line.size = median(line.words.iter().map(|w| w.height).collect()).unwrap_or(1.0);
        // A dash as tall as the letters is no dash: Tesseract reads the empty gap between two
        // table cells that way (a real dash is a flat box).
        let size = line.size;
        if line.words.len() > 1 {
            line.words
                .retain(|w| !(is_stray_dash(&w.text) && w.height > 0.6 * size));
        }
        if let Some(b) = line.words.iter().map(word_box).reduce(|a, b| a.union(&b)) {
            line.bbox = b;
        }
    }
    // Baselines are measured as if the page were straight, so that rows compare across columns.
    let slope = page_slope(&lines).unwrap_or(0.0);
    for line in &mut lines {
        line.baseline = median(
            line.words
                .iter()
                .filter(|w| !has_descender(&w.text))
                .map(|w| w.top + w.height - slope * (w.left + w.width / 2.0))
                .collect(),
        )
        .unwrap_or(line.bbox.b);
        if line.words.len() > 1 && is_bullet(&line.words[0].text) {
            line.words.remove(0);
            line.bullet = true;
        }
        let gap_limit = piece_gap_limit(&line.words, line.size);
        let mut start = 0;
        for i in 1..line.words.len() {
            let p = &line.words[i - 1];
            // "1." and "a)" before an indented item belong to it, however wide the gap.
            let after_marker = i == 1 && is_enumerator(&p.text);
            if line.words[i].left - (p.left + p.width) > gap_limit && !after_marker {
                line.pieces.push(start..i);
                start = i;
            }
        }
        if !line.words.is_empty() {
            line.pieces.push(start..line.words.len());
        }
    }
    lines.retain(|l| !l.words.is_empty());
    split_aligned(&mut lines, slope);
    lines
}

/// Multiples of the line's word height, and of its own word spacing, that a gap must exceed to
/// part two pieces of a line.
const PIECE_GAP_HEIGHTS: f32 = 1.1;
const PIECE_GAP_WIDE_HEIGHTS: f32 = 2.5;
const PIECE_GAP_SPACES: f32 = 2.5;

/// The widest gap between two words of one piece of text. A gap wider than the word height
/// parts cells ("Møte 2/21      6. mai 2021"), unless the line's own spaces are wide too: a
/// justified line of a text column stretches its spaces, and wider still after a full stop, so
/// there a gap parts pieces only when it is wider than 2.5 of the line's ordinary spaces (those
/// no wider than the word height) or 2.5 word heights. Set closer than that, cells still part
/// where they line up over several lines (`split_aligned`).
fn piece_gap_limit(words: &[TsvWord], size: f32) -> f32 {
    let narrow = PIECE_GAP_HEIGHTS * size;
    let spaces: Vec<f32> = words
        .windows(2)
        .map(|w| w[1].left - (w[0].left + w[0].width))
        .filter(|&g| g <= narrow)
        .collect();
    match median(spaces) {
        Some(space) => narrow.max((PIECE_GAP_SPACES * space).min(PIECE_GAP_WIDE_HEIGHTS * size)),
        None => narrow,
    }
}

/// Columns set close together (a list of names beside another, a narrow column beside a wide
/// one) leave no wide gap, but their words start at the same x on line after line while no word
/// crosses that x, which running text does not do. Such lines are split into pieces there.
fn split_aligned(lines: &mut [OcrLine], slope: f32) {
    // Positions along the page's own vertical, undoing the skew.
    let upright = |w: &TsvWord| w.left + slope * (w.top + w.height);
    const MIN_SUPPORT: usize = 4;
    const MAX_NEUTRAL: usize = 6;
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].baseline.total_cmp(&lines[b].baseline));
    let mut splits: Vec<(usize, usize)> = Vec::new();
    for k in 0..order.len() {
        let line = &lines[order[k]];
        let tol = (0.12 * line.size).max(2.5);
        for wi in first_text_word(line) + 1..line.words.len() {
            let x = upright(&line.words[wi]);
            let mut matched = vec![(order[k], wi)];
            let mut support = 1;
            let mut neutral = 0;
            let mut last_y = line.baseline;
            for &other in &order[k + 1..] {
                let o = &lines[other];
                if o.baseline - last_y > 3.0 * o.size.max(line.size) {
                    break;
                }
                last_y = o.baseline;
                let first = first_text_word(o);
                if let Some(p) = o.words[first + 1..]
                    .iter()
                    .position(|w| (upright(w) - x).abs() <= tol)
                {
                    matched.push((other, p + first + 1));
                    support += 1;
                    neutral = 0;
                } else if (upright(&o.words[first]) - x).abs() <= tol {
                    support += 1;
                    neutral = 0;
                } else if o
                    .words
                    .iter()
                    .any(|w| upright(w) < x - tol && upright(w) + w.width > x)
                {
                    break;
                } else {
                    neutral += 1;
                    if neutral > MAX_NEUTRAL {
                        break;
                    }
                }
            }
            // Last words flush with a justified right margin line up too; that is no column.
            let rights: Vec<f32> = matched
                .iter()
                .map(|&(l, w)| upright(&lines[l].words[w]) + lines[l].words[w].width)
                .collect();
            let all_last = matched.iter().all(|&(l, w)| w + 1 == lines[l].words.len());
            let right_spread = rights.iter().copied().fold(f32::MIN, f32::max)
                - rights.iter().copied().fold(f32::MAX, f32::min);
            if all_last && right_spread <= 2.0 * tol {
                continue;
            }
            if support >= MIN_SUPPORT && matched.len() >= 2 {
                splits.extend(matched);
            }
        }
    }
    for (l, wi) in splits {
        let line = &mut lines[l];
        if line.pieces.iter().any(|p| p.start == wi) {
            continue;
        }
        if let Some(pos) = line.pieces.iter().position(|p| p.contains(&wi)) {
            let p = line.pieces[pos].clone();
            line.pieces[pos] = p.start..wi;
            line.pieces.insert(pos + 1, wi..p.end);
        }
    }
}

/// Lines that sit side by side (the cells of one table row that Tesseract read as separate
/// lines) share one visual row.
#[derive(Debug, Clone)]
struct VisualRow {
    /// (line index, piece index), left to right.
    pieces: Vec<(usize, usize)>,
    /// The median baseline of the row's lines: the lines of one row stand a few pixels apart
    /// on a skewed scan, and a row measured always at its middle keeps the row pitch even.
    baseline: f32,
    /// The baselines of the row's lines.
    baselines: Vec<f32>,
    top: f32,
    bottom: f32,
}

fn visual_rows(lines: &[OcrLine]) -> Vec<VisualRow> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].baseline.total_cmp(&lines[b].baseline));
    let mut rows: Vec<VisualRow> = Vec::new();
    let mut boxes: Vec<Vec<PxBox>> = Vec::new();
    for i in order {
        let line = &lines[i];
        let pbs: Vec<PxBox> = line.pieces.iter().map(|p| line.piece_box(p)).collect();
        let fits = rows.iter().enumerate().rev().take(4).find_map(|(r, row)| {
            let overlap = row.bottom.min(line.bbox.b) - row.top.max(line.bbox.t);
            let same_band = overlap > 0.5 * line.bbox.height().min(row.bottom - row.top)
                && (row.baseline - line.baseline).abs() < 0.7 * line.size;
            let disjoint = boxes[r]
                .iter()
                .all(|b| pbs.iter().all(|p| p.r < b.l || p.l > b.r));
            (same_band && disjoint).then_some(r)
        });
        let r = match fits {
            Some(r) => r,
            None => {
                rows.push(VisualRow {
                    pieces: Vec::new(),
                    baseline: line.baseline,
                    baselines: Vec::new(),
                    top: line.bbox.t,
                    bottom: line.bbox.b,
                });
                boxes.push(Vec::new());
                rows.len() - 1
            }
        };
        rows[r].baselines.push(line.baseline);
        rows[r].baseline = middle(rows[r].baselines.clone());
        rows[r].top = rows[r].top.min(line.bbox.t);
        rows[r].bottom = rows[r].bottom.max(line.bbox.b);
        for (p, pb) in pbs.into_iter().enumerate() {
            rows[r].pieces.push((i, p));
            boxes[r].push(pb);
        }
        let mut paired: Vec<((usize, usize), PxBox)> = rows[r]
            .pieces
            .iter()
            .copied()
            .zip(boxes[r].iter().copied())
            .collect();
        paired.sort_by(|a, b| a.1.l.total_cmp(&b.1.l));
        rows[r].pieces = paired.iter().map(|p| p.0).collect();
        boxes[r] = paired.iter().map(|p| p.1).collect();
    }
    rows
}

/// A table found on the page, in pixel space.
struct TableRegion {
    /// Visual row indices, top to bottom.
    rows: Vec<usize>,
    /// Left edges of the columns.
    columns: Vec<f32>,
}

fn column_of(columns: &[f32], left: f32, tol: f32) -> usize {
    columns.iter().rposition(|&c| left >= c - tol).unwrap_or(0)
}

/// Runs of visual rows with two or more pieces whose left edges line up.
fn find_tables(lines: &[OcrLine], rows: &[VisualRow]) -> Vec<TableRegion> {
    let piece_box = |(l, p): (usize, usize)| lines[l].piece_box(&lines[l].pieces[p]);
    let size = median(lines.iter().map(|l| l.size).collect()).unwrap_or(20.0);
    let tol = 1.0 * size;
    // Only a Tesseract line with a wide gap inside shows a table: side-by-side lines of separate
    // Tesseract blocks are more often text columns, which Tesseract already orders.
    let seeded = |r: usize| {
        let ps = &rows[r].pieces;
        ps.len() >= 2
            && (ps.iter().any(|&(l, _)| lines[l].pieces.len() >= 2)
                || ps.windows(2).any(|w| {
                    let (a, b) = (&lines[w[0].0], &lines[w[1].0]);
                    (a.baseline - b.baseline).abs() <= 0.3 * a.size.min(b.size)
                        && a.size.max(b.size) <= 1.2 * a.size.min(b.size)
                }))
    };
    let mut tables = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if !seeded(i) {
            i += 1;
            continue;
        }
        // Grow a run of multi-piece rows, allowing short single-piece rows (wrapped cells), for
        // as long as the rows keep to the columns found so far (a row whose pieces mostly start
        // elsewhere begins another table).
        let lefts_of =
            |r: usize| -> Vec<f32> { rows[r].pieces.iter().map(|&p| piece_box(p).l).collect() };
        let mut columns: Vec<f32> = lefts_of(i);
        let mut run = vec![i];
        let mut j = i + 1;
        let mut pending = Vec::new();
        while j < rows.len() {
            let pitch = rows[j].baseline - rows[j - 1].baseline;
            if pitch > 5.0 * size {
                break;
            }
            if rows[j].pieces.len() >= 2 {
                let lefts = lefts_of(j);
                let matching = lefts
                    .iter()
                    .filter(|&&l| columns.iter().any(|&c| (c - l).abs() <= tol))
                    .count();
                if matching * 2 < lefts.len() {
                    // Pieces that all sit inside one column (an indented list in a cell) are
                    // part of that cell; anything else starts another table.
                    let c = column_of(&columns, lefts[0], tol);
                    let inside = c + 1 == columns.len() || {
                        let next = columns
                            .iter()
                            .copied()
                            .filter(|&x| x > columns[c])
                            .fold(f32::MAX, f32::min);
                        rows[j].pieces.iter().all(|&p| {
                            let b = piece_box(p);
                            b.l >= columns[c] - tol && b.r <= next + tol
                        })
                    };
                    if !inside || columns.iter().all(|&x| lefts[0] < x - tol) {
                        break;
                    }
                    pending.push(j);
                    j += 1;
                    continue;
                }
                for l in lefts {
                    match columns.iter_mut().find(|c| (**c - l).abs() <= tol) {
                        Some(c) => *c = c.min(l),
                        None => columns.push(l),
                    }
                }
                run.append(&mut pending);
                run.push(j);
            } else {
                pending.push(j);
                if pending.len() > 20 {
                    break;
                }
            }
            j += 1;
        }
        let multi = run.iter().filter(|&&r| seeded(r)).count();
        if multi < 2 {
            i += 1;
            continue;
        }
        columns.sort_by(f32::total_cmp);
        // A column edge is whitespace from top to bottom: an indented list inside a wide cell
        // starts many pieces at one x too, but the cell's other lines run across it.
        let run_boxes: Vec<PxBox> = run
            .iter()
            .flat_map(|&r| rows[r].pieces.iter().map(|&p| piece_box(p)))
            .collect();
        let first = columns[0];
        columns.retain(|&c| {
            let starting = run_boxes.iter().filter(|b| (b.l - c).abs() <= tol).count();
            let crossing = run_boxes
                .iter()
                .filter(|b| b.l < c - tol && b.r > c + tol)
                .count();
            c == first || crossing * 2 <= starting
        });
        if columns.len() < 2 {
            i += 1;
            continue;
        }
        // Trailing single-piece rows belong to the table only while they fit in one column.
        // Inside the table a line only has to stay within one column (a wrapped or indented
        // line of a cell); after it, it must also start at a column's edge.
        let fits = |r: usize, aligned: bool| {
            rows[r].pieces.iter().all(|&p| {
                let b = piece_box(p);
                let c = column_of(&columns, b.l, tol);
                columns.get(c + 1).is_none_or(|&next| b.r <= next + tol)
                    && b.l >= columns[c] - tol
                    && (!aligned || (b.l - columns[c]).abs() <= tol)
            })
        };
        run.retain(|&r| rows[r].pieces.len() >= 2 || fits(r, false));
        let mut end = *run.last().expect("run holds i");
        // Trailing lines: a wrapped last cell (at line spacing: the page's, or, for a line that
        // could not have fitted on the one above, the table's own, where its cells are set
        // looser), or the rest of a first-column list that runs on below the others.
        let table_pitch = median(
            run.windows(2)
                .filter(|w| w[1] == w[0] + 1)
                .map(|w| rows[w[1]].baseline - rows[w[0]].baseline)
                .collect(),
        )
        .unwrap_or(0.0);
        let table_right = run_boxes.iter().map(|b| b.r).fold(f32::MIN, f32::max);
        // True when the one piece of row `r` is the overflow of the nearest line above it in its
        // column: its first word would not have fitted there.
        let wrapped = |r: usize| {
            let (l, p) = rows[r].pieces[0];
            let c = column_of(&columns, piece_box((l, p)).l, tol);
            let limit = columns.get(c + 1).map_or(table_right, |&n| n - 0.5 * tol);
            let first = &lines[l].words[lines[l].pieces[p].start];
            (i..r).rev().find_map(|q| {
                rows[q]
                    .pieces
                    .iter()
                    .map(|&o| piece_box(o))
                    .find(|b| column_of(&columns, b.l, tol) == c)
                    .map(|b| b.r + 0.3 * lines[l].size + first.width > limit)
            }) == Some(true)
        };
        let trailing = |r: usize, prev: usize| {
            let pitch = rows[r].baseline - rows[prev].baseline;
            let in_first = piece_box(rows[r].pieces[0]).r < columns[1] + tol;
            rows[r].pieces.len() == 1
                && fits(r, true)
                && (pitch < 1.8 * size
                    || !in_first && pitch < 1.1 * table_pitch && wrapped(r)
                    || in_first && pitch < 2.2 * size)
        };
        while end + 1 < rows.len() && columns.len() >= 2 && trailing(end + 1, end) {
            end += 1;
            run.push(end);
        }
        // Keep the run contiguous: a row that did not fit ends the table there.
        let mut contiguous = vec![run[0]];
        for &r in &run[1..] {
            if r == contiguous[contiguous.len() - 1] + 1 {
                contiguous.push(r);
            } else {
                break;
            }
        }
        let multi = contiguous.iter().filter(|&&r| seeded(r)).count();
        // Full columns that Tesseract read as separate blocks are text columns (Tesseract
        // already reads them in order), unless the first is a sparse key beside the others.
        let intra_line = contiguous
            .iter()
            .filter(|&&r| {
                rows[r]
                    .pieces
                    .iter()
                    .any(|&(l, _)| lines[l].pieces.len() >= 2)
            })
            .count()
            * 4
            >= multi;
        let in_first = contiguous
            .iter()
            .filter(|&&r| {
                rows[r]
                    .pieces
                    .iter()
                    .any(|&p| column_of(&columns, piece_box(p).l, tol) == 0)
            })
            .count();
        // ... unless their lines stand level, row by row, over several rows: the cells of a
        // table row share a baseline, while text columns set independently drift against each
        // other. Two or three level lines (signatures side by side, addresses in a footer) are
        // as often blocks set side by side, each read whole.
        let (level, side_by_side) = contiguous
            .iter()
            .filter_map(|&r| {
                let mut ls: Vec<usize> = rows[r].pieces.iter().map(|&(l, _)| l).collect();
                ls.dedup();
                (ls.len() >= 2).then(|| {
                    let lo = ls
                        .iter()
                        .map(|&l| lines[l].baseline)
                        .fold(f32::MAX, f32::min);
                    let hi = ls
                        .iter()
                        .map(|&l| lines[l].baseline)
                        .fold(f32::MIN, f32::max);
                    let small = ls.iter().map(|&l| lines[l].size).fold(f32::MAX, f32::min);
                    hi - lo <= LEVEL_BASELINES * small
                })
            })
            .fold((0, 0), |(a, n), lev| (a + usize::from(lev), n + 1));
        let text_columns = !intra_line
            && in_first * 5 >= contiguous.len() * 4
            && (level < MIN_LEVEL_ROWS || (level as f32) < LEVEL_ROWS_SHARE * side_by_side as f32);
        if text_columns || prose_columns(lines, rows, &contiguous, &columns, tol, size) {
            i = contiguous[contiguous.len() - 1] + 1;
            continue;
        }
        if multi >= 2 && columns.len() >= 2 {
            i = contiguous[contiguous.len() - 1] + 1;
            tables.push(TableRegion {
                rows: contiguous,
                columns,
            });
        } else {
            i += 1;
        }
    }
    tables
}

/// Baselines of side-by-side lines at most this many word heights apart stand level.
const LEVEL_BASELINES: f32 = 0.3;
/// The share of a would-be table's rows from separate Tesseract blocks that must stand level,
/// and how many at least.
const MIN_LEVEL_ROWS: usize = 4;
const LEVEL_ROWS_SHARE: f32 = 0.8;

/// Lines this many word heights long hold running text, not a cell's few words.
const PROSE_LINE_HEIGHTS: f32 = 18.0;

/// True when every column of a would-be table is running text: its lines are long, and most of
/// them fill the column's width (text set in columns side by side, each line wrapped where the
/// column ends). A table has at least one column of short cells: numbers, keys, times, names.
fn prose_columns(
    lines: &[OcrLine],
    rows: &[VisualRow],
    table_rows: &[usize],
    columns: &[f32],
    tol: f32,
    size: f32,
) -> bool {
    (0..columns.len()).all(|c| {
        // The extent of the column's text on each row.
        let spans: Vec<(f32, f32)> = table_rows
            .iter()
            .filter_map(|&r| {
                rows[r]
                    .pieces
                    .iter()
                    .map(|&(l, p)| lines[l].piece_box(&lines[l].pieces[p]))
                    .filter(|b| column_of(columns, b.l, tol) == c)
                    .map(|b| (b.l, b.r))
                    .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
            })
            .collect();
        let widest = spans.iter().map(|s| s.1 - s.0).fold(0.0, f32::max);
        let full = spans.iter().filter(|s| s.1 - s.0 >= 0.8 * widest).count();
        widest >= PROSE_LINE_HEIGHTS * size && full * 5 >= spans.len() * 3
    })
}

/// Which visual rows of a table begin a table row. Lines of one cell sit closer together than
/// rows do (cells have padding), so where the pitch varies a new row begins at the wider pitches.
/// Where it does not, either every line is a row of its own (each has two or more cells: a
/// key-value table) or the columns are lists standing side by side (`side_by_side_lists`): one
/// row whose cells are the whole columns.
fn row_starts(table: &TableRegion, rows: &[VisualRow], lines: &[OcrLine], tol: f32) -> Vec<bool> {
    let table_rows = &table.rows;
    let pitches: Vec<f32> = table_rows
        .windows(2)
        .map(|w| rows[w[1]].baseline - rows[w[0]].baseline)
        .collect();
    let mut starts = vec![true; table_rows.len()];
    if pitches.is_empty() {
        return starts;
    }
    // Two clusters of pitches, split at the widest jump, if that jump is a real one. Lines that
    // nearly share a baseline (misaligned cells of one row) say nothing about row spacing.
    let mut sorted = pitches.clone();
    sorted.sort_by(f32::total_cmp);
    let mid = sorted[sorted.len() / 2];
    sorted.retain(|&p| p >= 0.5 * mid);
    let split = sorted
        .windows(2)
        .map(|w| (w[0], w[1]))
        .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
        .filter(|&(lo, hi)| hi >= 1.06 * lo && hi - lo >= 0.06 * sorted[0]);
    let threshold = split.map_or(1.12 * sorted[0], |(lo, hi)| (lo + hi) / 2.0);
    // A first column that is empty on some lines is a key column (case numbers, dates): a row
    // begins where it has text, or where several cells start after a row-sized gap.
    let has_key = |r: usize| {
        rows[r].pieces.iter().any(|&(l, p)| {
            column_of(
                &table.columns,
                lines[l].piece_box(&lines[l].pieces[p]).l,
                tol,
            ) == 0
        })
    };
    // A line without a key that sits much closer to the key row below than to the line above
    // is the first line of that row (cells centred on the key).
    let leads = |k: usize| {
        k >= 1
            && k + 1 < table_rows.len()
            && !has_key(table_rows[k])
            && has_key(table_rows[k + 1])
            && pitches[k] < 0.75 * pitches[k - 1]
    };
    let piece = |(l, p): (usize, usize)| (l, lines[l].piece_box(&lines[l].pieces[p]));
    // The right limit of each column: where the next begins, or the table's right edge.
    let table_right = table_rows
        .iter()
        .flat_map(|&r| rows[r].pieces.iter().map(|&p| piece(p).1.r))
        .fold(f32::MIN, f32::max);
    let limit = |c: usize| {
        table
            .columns
            .get(c + 1)
            .map_or(table_right, |&n| n - 0.5 * tol)
    };
    // True when every piece of `r` is the overflow of the line above it in its column: its
    // first word would not have fitted there (a wrapped cell, not a new row).
    let wraps_all = |r: usize, prev: usize| {
        rows[r].pieces.iter().all(|&p| {
            let (l, b) = piece(p);
            let c = column_of(&table.columns, b.l, tol);
            let first = &lines[l].words[lines[l].pieces[p.1].start];
            rows[prev].pieces.iter().any(|&q| {
                let (_, pb) = piece(q);
                column_of(&table.columns, pb.l, tol) == c
                    && pb.r + 0.3 * lines[l].size + first.width > limit(c)
            })
        })
    };
    if !table_rows.iter().all(|&r| has_key(r)) {
        // The line pitch inside a cell, from lines that continue a cell of the line above.
        let continued: Vec<f32> = pitches
            .iter()
            .enumerate()
            .filter(|&(k, _)| {
                let r = table_rows[k + 1];
                !has_key(r) && rows[r].pieces.len() == 1 && !leads(k + 1)
            })
            .map(|(_, &p)| p)
            .filter(|&p| p >= 0.5 * mid)
            .collect();
        let threshold = median(continued).map_or(threshold, |m| 1.06 * m);
        // The key pieces (first column) of a visual row.
        let key_piece = |r: usize| {
            rows[r]
                .pieces
                .iter()
                .copied()
                .find(|&q| column_of(&table.columns, piece(q).1.l, tol) == 0)
        };
        // True when the key of `r` is the overflow of the key above: the line above ends in a
        // hyphen or the key below goes on in lower case, and its first word would not have fitted
        // after the key above. "Møte" over "Dato", "9/21" over "10/21" are two keys.
        let key_wraps = |r: usize, prev: usize| match (key_piece(r), key_piece(prev)) {
            (Some((l, p)), Some((pl, pp))) => {
                let first = &lines[l].words[lines[l].pieces[p].start];
                let above = &lines[pl].words[lines[pl].pieces[pp].clone()];
                let continues = above.last().is_some_and(|w| w.text.ends_with('-'))
                    || first.text.chars().next().is_some_and(char::is_lowercase);
                let fits = piece((pl, pp)).1.r + 0.3 * lines[l].size + first.width <= limit(0);
                continues && !fits
            }
            _ => false,
        };
        for (k, p) in pitches.iter().enumerate() {
            let r = table_rows[k + 1];
            let prev = table_rows[k];
            // A key on the line below another key continues it (a wrapped key) unless a
            // row-sized gap separates them or it would have fitted on the line above.
            starts[k + 1] = if has_key(r) {
                !has_key(prev) || *p > threshold || !key_wraps(r, prev)
            } else {
                rows[r].pieces.len() >= 2 && *p > threshold && !wraps_all(r, prev)
            };
        }
        for k in 1..table_rows.len() {
            if leads(k) && starts[k + 1] {
                starts[k] = true;
                starts[k + 1] = false;
            }
        }
        return starts;
    }
    // Every line has a key. Row pitches that differ by a few pixels (a baseline measured high
    // or low on one row) make a jump between two values, one of them alone: wrapped lines and
    // rows are told apart only by two pitches at least on either side.
    let clustered = split.is_some_and(|(lo, hi)| {
        sorted.iter().filter(|&&p| p <= lo).count() >= 2
            && sorted.iter().filter(|&&p| p >= hi).count() >= 2
    });
    if clustered {
        for (k, p) in pitches.iter().enumerate() {
            starts[k + 1] = *p > threshold;
        }
    } else if table.rows.iter().any(|&r| rows[r].pieces.len() < 2)
        && side_by_side_lists(table, rows, lines, tol)
    {
        starts[1..].iter_mut().for_each(|s| *s = false);
    }
    starts
}

/// True when the columns of an evenly spaced table, some line of which holds a single piece,
/// are lists standing side by side rather than the cells of rows: each column is one unbroken
/// list, at least one shorter than the table (lists of unequal length, or starting lower, under
/// a key column), the first column holds no labels ("Utval:", "Dato:": a label names the value
/// beside it, and a missing last value leaves the same shape), and no column holds only
/// figures under its heading. A table's empty cells fall anywhere (a remark column filled on a few rows, a cell
/// Tesseract did not read), so a column that is empty and then has text again makes it a table.
fn side_by_side_lists(
    table: &TableRegion,
    rows: &[VisualRow],
    lines: &[OcrLine],
    tol: f32,
) -> bool {
    let filled = |r: usize, c: usize| {
        rows[r].pieces.iter().any(|&(l, p)| {
            column_of(
                &table.columns,
                lines[l].piece_box(&lines[l].pieces[p]).l,
                tol,
            ) == c
        })
    };
    let mut any_empty = false;
    for c in 0..table.columns.len() {
        let column: Vec<bool> = table.rows.iter().map(|&r| filled(r, c)).collect();
        let start = column.iter().take_while(|&&f| !f).count();
        let length = column[start..].iter().take_while(|&&f| f).count();
        if column[start + length..].iter().any(|&f| f) {
            return false;
        }
        // A column no line starts in (a merged edge of centred cells) says nothing; one entry
        // beside the others is a cell, not a list.
        if length == 1 && column.len() > 2 {
            return false;
        }
        any_empty |= length > 0 && length < column.len();
    }
    // A column of bare figures (amounts, times, pages) under its heading is a table's: nobody
    // sets a list of numbers beside a list of names.
    let figures_only = (1..table.columns.len()).any(|c| {
        let mut texts = table.rows.iter().flat_map(|&r| {
            rows[r].pieces.iter().filter_map(move |&(l, p)| {
                let range = lines[l].pieces[p].clone();
                (column_of(&table.columns, lines[l].piece_box(&range).l, tol) == c)
                    .then(|| &lines[l].words[range])
            })
        });
        // Under a heading, which has words.
        texts.next();
        let mut count = 0;
        let all = texts.all(|ws| {
            count += 1;
            !ws.iter().any(|w| w.text.chars().any(char::is_alphabetic))
        });
        count >= 2 && all
    });
    if figures_only {
        return false;
    }
    let keys: Vec<bool> = table
        .rows
        .iter()
        .filter_map(|&r| {
            rows[r].pieces.iter().find_map(|&(l, p)| {
                let range = lines[l].pieces[p].clone();
                (column_of(&table.columns, lines[l].piece_box(&range).l, tol) == 0).then(|| {
                    lines[l].words[range]
                        .last()
                        .is_some_and(|w| w.text.ends_with(':'))
                })
            })
        })
        .collect();
    let labels = keys.iter().filter(|&&k| k).count();
    any_empty && labels * 2 < keys.len()
}

/// Splits a cell's lines into paragraphs (list entries): a line whose first word would have
/// fitted at the end of the line above was not wrapped there, so it starts a new paragraph.
fn cell_paragraphs(
    lines: &[OcrLine],
    pieces: &[(usize, usize)],
    limit: f32,
) -> Vec<Vec<(usize, usize)>> {
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    // The previous piece: its line, right edge, and whether it ended with ")".
    let mut prev: Option<(usize, f32, bool)> = None;
    for &(l, p) in pieces {
        let line = &lines[l];
        let range = line.pieces[p].clone();
        let first = &line.words[range.start];
        let b = line.piece_box(&range);
        // A new entry also starts like one: a capital, a digit, a quote.
        let starts_entry = first
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '«');
        let new_entry = match prev {
            None => true,
            // Pieces of one line belong together.
            Some((pl, _, _)) if pl == l => false,
            Some((_, right, paren)) => {
                let fitted = right + 0.3 * line.size + first.width <= limit;
                // "Name (Organisation)" entries: a closing parenthesis ends the entry.
                line.bullet && range.start == 0 || starts_entry && (fitted || paren)
            }
        };
        match groups.last_mut() {
            Some(g) if !new_entry => g.push((l, p)),
            _ => groups.push(vec![(l, p)]),
        }
        let paren = line.words[range.clone()]
            .last()
            .is_some_and(|w| w.text.ends_with(')'));
        prev = Some((l, b.r, paren));
    }
    groups
}

/// Joins line texts into a block text, undoing line-end hyphenation ("utvik-" + "ling") but
/// keeping real hyphens ("e-" + "helse", "IKT-" + "system") and suspended compounds ("helse- og").
pub fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.as_ref().trim();
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let next_first = line.split_whitespace().next().unwrap_or("");
        let starts_lower = next_first.chars().next().is_some_and(char::is_lowercase);
        let last_word = out.rsplit(' ').next().unwrap_or("");
        let hyphenated = last_word.len() > 1
            && last_word.ends_with('-')
            && last_word
                .chars()
                .rev()
                .nth(1)
                .is_some_and(char::is_alphabetic);
        if hyphenated && starts_lower {
            let stem = last_word.trim_end_matches('-');
            let prefix = stem.rsplit('-').next().unwrap_or(stem);
            let conjunction = matches!(
                next_first.trim_end_matches([',', '.', ';', ':']),
                "og" | "eller" | "samt" | "and" | "or" | "til" | "som"
            );
            let keep_hyphen = prefix.chars().count() <= 1
                || prefix
                    .chars()
                    .all(|c| c.is_uppercase() || c.is_ascii_digit())
                || stem.contains('-');
            if conjunction {
                out.push(' ');
            } else if keep_hyphen {
                // "e-" + "helse": the hyphen is part of the word.
            } else {
                out.pop();
            }
            out.push_str(line);
        } else if hyphenated {
            // "Sør-" + "Øst": a hyphenated name or compound, kept whole.
            out.push_str(line);
        } else {
            out.push(' ');
            out.push_str(line);
        }
    }
    out
}

/// A list number or letter: "1.", "12)", "a)", "iv.".
fn is_enumerator(text: &str) -> bool {
    let body = match text.strip_suffix(['.', ')']) {
        Some(b) => b,
        None => return false,
    };
    let n = body.chars().count();
    (1..=2).contains(&n) && body.chars().all(|c| c.is_ascii_digit())
        || n == 1 && body.chars().all(|c| c.is_ascii_lowercase())
        || (1..=4).contains(&n) && body.chars().all(|c| "ivx".contains(c))
}

/// The index of a line's first word of text, after a list number.
fn first_text_word(line: &OcrLine) -> usize {
    usize::from(line.words.len() > 1 && is_enumerator(&line.words[0].text))
}

fn is_bullet(text: &str) -> bool {
    let mut chars = text.chars();
    if let (Some(first), Some(_), None) = (chars.next(), chars.next(), chars.next()) {
        // "*-": a bullet Tesseract read with a stroke.
        if "*•●▪■◦○·".contains(first) && !text.chars().any(char::is_alphanumeric) {
            return true;
        }
    }
    matches!(
        text,
        "*" | "•"
            | "●"
            | "▪"
            | "■"
            | "◦"
            | "○"
            | "·"
            | "‣"
            | "⁃"
            | "«"
            | "»"
            | "°"
            | "➢"
            | "✓"
    )
}

/// Words, lines and blocks of one page, in pixel space, with the page's tables.
pub struct PageLayout {
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
}

/// True when a table on the page may have lost cells to Tesseract's page segmentation: it joins
/// lines of separate Tesseract blocks (Tesseract took its columns for columns of text), and a
/// column after the first is empty on many of its rows. Tesseract's column finder can drop a
/// narrow column of short cells (party abbreviations beside names) as noise, keeping only the
/// stretch where a longer cell beside them made a block; [`fill_gaps`] puts them back. A first
/// column empty on some rows is a key column (case numbers beside wrapped titles), not a loss.
pub fn may_have_lost_cells(words: &[TsvWord]) -> bool {
    let lines = build_lines(words);
    let rows = visual_rows(&lines);
    let tol = median(lines.iter().map(|l| l.size).collect()).unwrap_or(20.0);
    find_tables(&lines, &rows).iter().any(|t| {
        let of_blocks = t.rows.iter().any(|&r| {
            let blocks: Vec<u32> = rows[r]
                .pieces
                .iter()
                .map(|&(l, _)| lines[l].par.0)
                .collect();
            blocks.iter().any(|&b| b != blocks[0])
        });
        // Rows proper: a line with two or more cells, not a wrapped line of one cell.
        let multi: Vec<usize> = t
            .rows
            .iter()
            .copied()
            .filter(|&r| rows[r].pieces.len() >= 2)
            .collect();
        let holes = |c: usize| {
            multi
                .iter()
                .filter(|&&r| {
                    !rows[r].pieces.iter().any(|&(l, p)| {
                        let b = lines[l].piece_box(&lines[l].pieces[p]);
                        column_of(&t.columns, b.l, tol) == c
                    })
                })
                .count()
        };
        of_blocks
            && (1..t.columns.len()).any(|c| {
                let n = holes(c);
                n >= MIN_HOLES && n as f32 >= HOLES_SHARE * multi.len() as f32
            })
    })
}

/// A column with at least this many empty cells, and this share of the table's rows, may have
/// lost cells (see [`may_have_lost_cells`]).
const MIN_HOLES: usize = 3;
const HOLES_SHARE: f32 = 1.0 / 3.0;

/// Words of a second reading below this confidence are left out: in the white space the first
/// reading left empty, a speck read as a letter is more likely than a word.
const MIN_FILL_CONFIDENCE: f32 = 30.0;

/// `words` (the page read with automatic segmentation) with the words of `second` (the same page
/// read line by line across it) that lie where `words` has nothing. Each second-reading line's
/// new words become a Tesseract block of their own, so the layout sees them as it sees a cell
/// Tesseract did read.
pub fn fill_gaps(mut words: Vec<TsvWord>, second: &[TsvWord]) -> Vec<TsvWord> {
    let boxes: Vec<PxBox> = words.iter().map(word_box).collect();
    let mut next_block = words.iter().map(|w| w.block).max().unwrap_or(0) + 1;
    let mut line_key = None;
    let mut added = Vec::new();
    for w in second {
        let b = word_box(w);
        let overlaps = boxes
            .iter()
            .any(|o| o.l < b.r && b.l < o.r && o.t < b.b && b.t < o.b);
        if overlaps || w.conf < MIN_FILL_CONFIDENCE || !w.text.chars().any(char::is_alphanumeric) {
            continue;
        }
        let key = (w.block, w.par, w.line);
        if line_key.is_some_and(|k| k != key) {
            next_block += 1;
        }
        line_key = Some(key);
        added.push(TsvWord {
            block: next_block,
            par: 1,
            line: 1,
            ..w.clone()
        });
    }
    words.extend(added);
    words
}

/// How the layout saw Tesseract's words: each visual row with its pieces (left edge in pixels and
/// text), the baseline, and the tables found. For looking into a page (`examples/ocr_text
/// --rows`), not for parsing.
pub fn describe(words: &[TsvWord]) -> String {
    let lines = build_lines(words);
    let rows = visual_rows(&lines);
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let texts: Vec<String> = r
            .pieces
            .iter()
            .map(|&(l, p)| {
                let ws: Vec<&str> = lines[l].words[lines[l].pieces[p].clone()]
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect();
                format!(
                    "{:.0}:{}",
                    lines[l].piece_box(&lines[l].pieces[p]).l,
                    ws.join(" ")
                )
            })
            .collect();
        out.push_str(&format!(
            "row {i} base {:.1} | {}\n",
            r.baseline,
            texts.join(" | ")
        ));
    }
    for t in find_tables(&lines, &rows) {
        out.push_str(&format!("table rows {:?} cols {:?}\n", t.rows, t.columns));
    }
    out
}

/// Builds the page's blocks from Tesseract's words. `to_page` maps a pixel box to a page box.
pub fn layout(words: &[TsvWord], to_page: &dyn Fn(f32, f32, f32, f32) -> Rect) -> PageLayout {
    let lines = build_lines(words);
    let rows = visual_rows(&lines);
    let tables = find_tables(&lines, &rows);
    let size = median(lines.iter().map(|l| l.size).collect()).unwrap_or(20.0);
    let normal_pitch = {
        let pitches: Vec<f32> = lines
            .windows(2)
            .filter(|w| w[0].par == w[1].par)
            .map(|w| w[1].baseline - w[0].baseline)
            .filter(|&p| p > 0.5 * size && p < 3.0 * size)
            .collect();
        if pitches.len() >= 3 {
            median(pitches).unwrap_or(1.4 * size)
        } else {
            1.4 * size
        }
    };

    let mk_word = |w: &TsvWord, line_size: f32| {
        let bbox = to_page(w.left, w.top, w.left + w.width, w.top + w.height);
        let scale = bbox.height() / w.height.max(1.0);
        Word {
            text: w.text.clone(),
            bbox,
            font: String::new(),
            size: (line_size * scale * 2.0).round() / 2.0,
            bold: false,
            italic: false,
            invisible: false,
        }
    };
    let mk_line = |ws: &[TsvWord], line_size: f32| -> Option<Line> {
        let words: Vec<Word> = ws.iter().map(|w| mk_word(w, line_size)).collect();
        let bbox = words.iter().map(|w| w.bbox).reduce(|a, b| a.union(&b))?;
        Some(Line { words, bbox })
    };
    let mk_block = |ls: Vec<Line>, role: BlockRole| -> Option<Block> {
        let bbox = ls.iter().map(|l| l.bbox).reduce(|a, b| a.union(&b))?;
        let texts: Vec<String> = ls.iter().map(Line::text).collect();
        Some(Block {
            text: join_lines(&texts),
            lines: ls,
            bbox,
            role,
        })
    };

    // Which lines (and pieces) belong to which table.
    let mut in_table = vec![None; lines.len()];
    for (t, table) in tables.iter().enumerate() {
        for &r in &table.rows {
            for &(l, _) in &rows[r].pieces {
                in_table[l] = Some(t);
            }
        }
    }

    let order = reading_order(&lines, &in_table, tables.len());
    let mut blocks: Vec<Block> = Vec::new();
    let mut out_tables: Vec<Table> = Vec::new();
    let mut emitted = vec![false; tables.len()];
    let mut at = 0;
    while at < order.len() {
        let i = order[at];
        if let Some(t) = in_table[i] {
            if !emitted[t] {
                emitted[t] = true;
                let table = &tables[t];
                let ncols = table.columns.len();
                let tol = size;
                // Rows: a new one where the pitch exceeds that of running text.
                let mut table_rows: Vec<Vec<Vec<(usize, usize)>>> = Vec::new();
                let starts = row_starts(table, &rows, &lines, tol);
                for (k, &r) in table.rows.iter().enumerate() {
                    if starts[k] {
                        table_rows.push(vec![Vec::new(); ncols]);
                    }
                    let row = table_rows.last_mut().expect("pushed above");
                    for &(l, p) in &rows[r].pieces {
                        let b = lines[l].piece_box(&lines[l].pieces[p]);
                        row[column_of(&table.columns, b.l, tol)].push((l, p));
                    }
                }
                let index = out_tables.len();
                // Where a line in each column must wrap: the next column's edge, or for the
                // last column the page's right margin.
                let last_right = lines.iter().map(|l| l.bbox.r).fold(f32::MIN, f32::max);
                let col_limit = |c: usize| {
                    table
                        .columns
                        .get(c + 1)
                        .map_or(last_right, |&n| n - 0.5 * tol)
                };
                let mut model_rows = Vec::new();
                let mut table_box: Option<Rect> = None;
                for (ri, row) in table_rows.iter().enumerate() {
                    let mut cells = Vec::new();
                    for (ci, pieces) in row.iter().enumerate() {
                        let role = BlockRole::Cell {
                            table: index,
                            row: ri,
                            col: ci,
                        };
                        let limit = col_limit(ci);
                        let mut cell = Vec::new();
                        for group in cell_paragraphs(&lines, pieces, limit) {
                            let ls: Vec<Line> = group
                                .iter()
                                .filter_map(|&(l, p)| {
                                    mk_line(
                                        &lines[l].words[lines[l].pieces[p].clone()],
                                        lines[l].size,
                                    )
                                })
                                .collect();
                            if let Some(block) = mk_block(ls, role) {
                                table_box =
                                    Some(table_box.map_or(block.bbox, |b| b.union(&block.bbox)));
                                cell.push(blocks.len());
                                blocks.push(block);
                            }
                        }
                        cells.push(cell);
                    }
                    model_rows.push(cells);
                }
                if let Some(bbox) = table_box {
                    out_tables.push(Table {
                        bbox,
                        rows: model_rows,
                    });
                }
            }
            at += 1;
            continue;
        }
        // A run of lines of one Tesseract paragraph, outside tables.
        let mut j = at + 1;
        while j < order.len() && lines[order[j]].par == lines[i].par && in_table[order[j]].is_none()
        {
            j += 1;
        }
        let par: Vec<&OcrLine> = order[at..j].iter().map(|&l| &lines[l]).collect();
        let right = par.iter().map(|l| l.bbox.r).fold(f32::MIN, f32::max);
        let left = par.iter().map(|l| l.bbox.l).fold(f32::MAX, f32::min);
        let mut current: Vec<Line> = Vec::new();
        for (k, line) in par.iter().enumerate() {
            let words: &[TsvWord] = &line.words;
            let bullet = line.bullet;
            let first_char = words[0].text.chars().next().unwrap_or(' ');
            let after_short_line = k > 0
                && par[k - 1].bbox.r < right - 0.15 * (right - left)
                && (first_char.is_uppercase() || first_char.is_ascii_digit());
            let after_gap = k > 0 && line.baseline - par[k - 1].baseline > 1.5 * normal_pitch;
            let size_change = k > 0 && (line.size / par[k - 1].size.max(1.0) - 1.0).abs() > 0.15;
            if (bullet || after_short_line || after_gap || size_change) && !current.is_empty() {
                blocks.extend(mk_block(std::mem::take(&mut current), BlockRole::Body));
            }
            if line.pieces.len() > 1 {
                // Text set apart by wide gaps ("Møte 2/21      6. mai 2021") is separate text.
                blocks.extend(mk_block(std::mem::take(&mut current), BlockRole::Body));
                for piece in &line.pieces {
                    let ls: Vec<Line> = mk_line(&words[piece.clone()], line.size)
                        .into_iter()
                        .collect();
                    blocks.extend(mk_block(ls, BlockRole::Body));
                }
                continue;
            }
            current.extend(mk_line(words, line.size));
        }
        blocks.extend(mk_block(current, BlockRole::Body));
        at = j;
    }
    PageLayout {
        blocks,
        tables: out_tables,
    }
}

/// A Tesseract block of one line narrower than this share of the page's text is a margin label.
const LABEL_MAX_SHARE: f32 = 0.25;

/// The page's lines in reading order (see `order`): each line outside a table is a region of its
/// Tesseract block, each table one region (a block of its own) whose lines stay in Tesseract's
/// order.
fn reading_order(lines: &[OcrLine], in_table: &[Option<usize>], table_count: usize) -> Vec<usize> {
    let slope = page_slope(lines).unwrap_or(0.0);
    let deskewed = |b: &PxBox| {
        let shift = slope * (b.l + b.r) / 2.0;
        order::Region {
            l: b.l,
            t: b.t - shift,
            r: b.r,
            b: b.b - shift,
        }
    };
    let text_left = lines.iter().map(|l| l.bbox.l).fold(f32::MAX, f32::min);
    let text_right = lines.iter().map(|l| l.bbox.r).fold(f32::MIN, f32::max);
    let lines_in_block = |block: u32| lines.iter().filter(|l| l.par.0 == block).count();
    let mut regions: Vec<order::Region> = Vec::new();
    let mut label: Vec<bool> = Vec::new();
    let mut unit: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut table_region: Vec<Option<usize>> = vec![None; table_count];
    for (i, line) in lines.iter().enumerate() {
        let region = deskewed(&line.bbox);
        match in_table[i] {
            Some(t) => match table_region[t] {
                Some(r) => {
                    let g: &mut order::Region = &mut regions[r];
                    g.l = g.l.min(region.l);
                    g.t = g.t.min(region.t);
                    g.r = g.r.max(region.r);
                    g.b = g.b.max(region.b);
                    members[r].push(i);
                }
                None => {
                    table_region[t] = Some(regions.len());
                    regions.push(region);
                    label.push(false);
                    unit.push(t);
                    members.push(vec![i]);
                }
            },
            None => {
                regions.push(region);
                label.push(
                    lines_in_block(line.par.0) == 1
                        && line.bbox.r - line.bbox.l < LABEL_MAX_SHARE * (text_right - text_left),
                );
                unit.push(table_count + line.par.0 as usize);
                members.push(vec![i]);
            }
        }
    }
    order::reading_order(&regions, &unit, &label)
        .into_iter()
        .flat_map(|r| members[r].iter().copied())
        .collect()
}

/// The page's skew in degrees (positive: lines fall to the right), from the slope of the word
/// baselines along each long line; `None` when too few lines allow a measurement.
pub fn skew_degrees(words: &[TsvWord]) -> Option<f32> {
    let lines = build_lines(words);
    page_slope(&lines).map(|s| (s.atan().to_degrees() * 100.0).round() / 100.0)
}

/// The median slope (dy/dx) of the word bottoms along the page's long lines.
fn page_slope(lines: &[OcrLine]) -> Option<f32> {
    let mut slopes = Vec::new();
    for line in lines {
        let ws: Vec<&TsvWord> = line
            .words
            .iter()
            .filter(|w| !has_descender(&w.text) && w.text.chars().count() >= 2)
            .collect();
        if ws.len() < 4 || line.bbox.r - line.bbox.l < 12.0 * line.size {
            continue;
        }
        let n = ws.len() as f32;
        let xs: Vec<f32> = ws.iter().map(|w| w.left + w.width / 2.0).collect();
        let ys: Vec<f32> = ws.iter().map(|w| w.top + w.height).collect();
        let mx = xs.iter().sum::<f32>() / n;
        let my = ys.iter().sum::<f32>() / n;
        let sxx: f32 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        let sxy: f32 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        if sxx > 0.0 {
            slopes.push(sxy / sxx);
        }
    }
    if slopes.len() < 3 {
        return None;
    }
    median(slopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenation_is_undone_only_where_typographic() {
        assert_eq!(
            join_lines(&["den videre utvik-", "lingen av"]),
            "den videre utviklingen av"
        );
        assert_eq!(
            join_lines(&["Direktoratet for e-", "helse"]),
            "Direktoratet for e-helse"
        );
        assert_eq!(
            join_lines(&["digitalisering Helse-", "og smittevern"]),
            "digitalisering Helse- og smittevern"
        );
        assert_eq!(join_lines(&["nye IKT-", "systemer"]), "nye IKT-systemer");
        assert_eq!(join_lines(&["Helse Sør-", "Øst RHF"]), "Helse Sør-Øst RHF");
        assert_eq!(join_lines(&["to", "linjer"]), "to linjer");
    }

    fn w(block: u32, par: u32, line: u32, left: f32, top: f32, text: &str) -> TsvWord {
        TsvWord {
            block,
            par,
            line,
            left,
            top,
            width: 10.0 * text.chars().count() as f32,
            height: 20.0,
            conf: 95.0,
            text: text.into(),
        }
    }

    #[test]
    fn columns_with_wide_gaps_become_table_cells_read_row_by_row() {
        // Two rows; the second column wraps onto a continuation line.
        let words = vec![
            w(1, 1, 1, 100.0, 100.0, "38/22"),
            w(1, 1, 1, 300.0, 100.0, "Godkjenning"),
            w(1, 1, 1, 420.0, 100.0, "av"),
            w(1, 1, 1, 800.0, 100.0, "10:00"),
            w(1, 1, 2, 100.0, 150.0, "39/22"),
            w(1, 1, 2, 300.0, 150.0, "Orientering"),
            w(1, 1, 2, 420.0, 150.0, "om"),
            w(1, 1, 2, 450.0, 150.0, "nasjonal"),
            w(1, 1, 2, 540.0, 150.0, "status"),
            w(1, 1, 2, 610.0, 150.0, "og"),
            w(1, 1, 2, 640.0, 150.0, "videre"),
            w(1, 1, 2, 710.0, 150.0, "arbeid"),
            w(1, 1, 2, 800.0, 150.0, "10:05"),
            w(1, 1, 3, 300.0, 180.0, "helsedata"),
        ];
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "38/22",
                "Godkjenning av",
                "10:00",
                "39/22",
                "Orientering om nasjonal status og videre arbeid helsedata",
                "10:05"
            ]
        );
        assert_eq!(page.tables.len(), 1);
        assert_eq!(page.tables[0].rows.len(), 2);
    }

    #[test]
    fn short_keys_on_close_lines_are_rows_of_their_own() {
        // Keys one line apart, closer than the names listed under "Present": each key that would
        // have fitted after the key above starts a row; a hyphenated key wraps.
        let words = vec![
            w(1, 1, 1, 100.0, 100.0, "Meeting"),
            w(1, 1, 1, 220.0, 100.0, "3/2031"),
            w(1, 1, 2, 100.0, 128.0, "Date"),
            w(1, 1, 2, 220.0, 128.0, "4.5.2031"),
            w(1, 1, 3, 100.0, 165.0, "Present"),
            w(1, 1, 3, 220.0, 165.0, "Ola"),
            w(1, 1, 3, 260.0, 165.0, "Nordmann"),
            w(1, 1, 4, 220.0, 198.0, "Kari"),
            w(1, 1, 4, 270.0, 198.0, "Nordkvinne"),
            w(1, 1, 5, 100.0, 235.0, "Secre-"),
            w(1, 1, 5, 220.0, 235.0, "Per"),
            w(1, 1, 5, 260.0, 235.0, "Person"),
            w(1, 1, 6, 100.0, 262.0, "tariat"),
            // A numbered key too wide to fit after the one above is still a key of its own.
            w(1, 1, 7, 100.0, 290.0, "1234/31"),
            w(1, 1, 7, 220.0, 290.0, "Saken"),
            w(1, 1, 8, 100.0, 318.0, "1235/31"),
            w(1, 1, 8, 220.0, 318.0, "Annen"),
        ];
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        assert_eq!(page.tables.len(), 1);
        let cell = |row: usize, col: usize| -> String {
            page.tables[0].rows[row][col]
                .iter()
                .map(|&b| page.blocks[b].text.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        assert_eq!(page.tables[0].rows.len(), 6);
        assert_eq!(cell(5, 0), "1235/31");
        assert_eq!(cell(0, 0), "Meeting");
        assert_eq!(cell(1, 0), "Date");
        assert_eq!(cell(1, 1), "4.5.2031");
        assert_eq!(cell(3, 0), "Secretariat");
    }

    #[test]
    fn side_by_side_lists_are_read_column_by_column_entry_by_entry() {
        // A heading across the page sets its right margin.
        let mut words = Vec::new();
        let mut x = 100.0;
        for t in "Oversikt over medlemmer og varamedlemmer i utvalget for digital helse".split(' ')
        {
            words.push(w(1, 1, 1, x, 40.0, t));
            x += 10.0 * t.chars().count() as f32 + 12.0;
        }
        words.extend([
            w(2, 1, 1, 100.0, 100.0, "Kari"),
            w(2, 1, 1, 150.0, 100.0, "Nordmann"),
            w(2, 1, 1, 400.0, 100.0, "Kjell"),
            w(2, 1, 2, 100.0, 130.0, "Per"),
            w(2, 1, 2, 140.0, 130.0, "Olav"),
            w(2, 1, 2, 400.0, 130.0, "Lilly"),
            w(2, 1, 3, 100.0, 160.0, "Anne"),
            w(2, 1, 3, 400.0, 160.0, "Mina"),
            w(2, 1, 4, 100.0, 190.0, "Bo"),
        ]);
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts[1..],
            [
                "Kari Nordmann",
                "Per Olav",
                "Anne",
                "Bo",
                "Kjell",
                "Lilly",
                "Mina"
            ]
        );
        assert_eq!(page.tables.len(), 1);
        assert_eq!(
            page.tables[0].rows,
            vec![vec![vec![1, 2, 3, 4], vec![5, 6, 7]]]
        );
    }

    #[test]
    fn a_table_whose_columns_are_blocks_of_their_own_is_read_row_by_row() {
        // Tesseract made each column a block: names, functions, parties, level row by row.
        let rows = [
            ("Namn", "Funksjon", "Parti"),
            ("Kari", "Leiar", "AP"),
            ("Per", "Medlem", "H"),
            ("Anne", "Medlem", "SP"),
            ("Bo", "Medlem", "FRP"),
        ];
        let mut words = Vec::new();
        for (block, x) in [(1, 100.0), (2, 400.0), (3, 600.0)] {
            for (k, row) in rows.iter().enumerate() {
                let text = [row.0, row.1, row.2][block as usize - 1];
                words.push(w(block, 1, k as u32 + 1, x, 100.0 + 40.0 * k as f32, text));
            }
        }
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Namn", "Funksjon", "Parti", "Kari", "Leiar", "AP", "Per", "Medlem", "H", "Anne",
                "Medlem", "SP", "Bo", "Medlem", "FRP"
            ]
        );
        assert_eq!(page.tables.len(), 1);
        assert_eq!(page.tables[0].rows.len(), 5);
    }

    #[test]
    fn columns_of_blocks_whose_lines_do_not_stand_level_are_no_table() {
        // Two columns of blocks side by side, the right one set 8 px lower: each of its lines
        // shares a row with one on the left, but no row stands level, as text set in columns.
        let mut words = Vec::new();
        for k in 0..6 {
            words.push(w(1, 1, k + 1, 100.0, 100.0 + 40.0 * k as f32, "venstre"));
            words.push(w(2, 1, k + 1, 400.0, 108.0 + 40.0 * k as f32, "høgre"));
        }
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        assert!(page.tables.is_empty());
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts.iter().filter(|t| t.contains("venstre")).count(), 1);
    }

    #[test]
    fn labels_whose_last_value_is_missing_are_still_read_row_by_row() {
        // "Dato:" has no value: the columns are of unequal length, as side-by-side lists are,
        // but a label names the value beside it.
        let words = vec![
            w(1, 1, 1, 100.0, 100.0, "Utval:"),
            w(1, 1, 1, 300.0, 100.0, "Fylkestinget"),
            w(1, 1, 2, 100.0, 140.0, "Møtestad:"),
            w(1, 1, 2, 300.0, 140.0, "Fjernmøte"),
            w(1, 1, 3, 100.0, 180.0, "Dato:"),
        ];
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Utval:", "Fylkestinget", "Møtestad:", "Fjernmøte", "Dato:"]
        );
    }

    #[test]
    fn a_column_empty_then_filled_again_is_a_table_not_lists() {
        // A remark column filled on the first and the last row only.
        let words = vec![
            w(1, 1, 1, 100.0, 100.0, "Siv"),
            w(1, 1, 1, 300.0, 100.0, "AP"),
            w(1, 1, 1, 500.0, 100.0, "forfall"),
            w(1, 1, 2, 100.0, 140.0, "Erik"),
            w(1, 1, 2, 300.0, 140.0, "AP"),
            w(1, 1, 3, 100.0, 180.0, "Lilly"),
            w(1, 1, 3, 300.0, 180.0, "H"),
            w(1, 1, 4, 100.0, 220.0, "Carl"),
            w(1, 1, 4, 300.0, 220.0, "MDG"),
            w(1, 1, 4, 500.0, 220.0, "forfall"),
        ];
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Siv", "AP", "forfall", "Erik", "AP", "Lilly", "H", "Carl", "MDG", "forfall"]
        );
    }

    #[test]
    fn a_second_reading_fills_only_where_the_first_has_nothing() {
        let first = vec![
            w(1, 1, 1, 100.0, 100.0, "Kari"),
            w(2, 1, 1, 400.0, 100.0, "Medlem"),
        ];
        let second = vec![
            // The same words again, boxed a little differently: already read.
            w(1, 1, 1, 102.0, 101.0, "Karl"),
            w(1, 1, 1, 401.0, 99.0, "Medlem"),
            // The party the first reading dropped, and a speck read as a letter.
            w(1, 1, 1, 600.0, 100.0, "AP"),
            TsvWord {
                conf: 12.0,
                ..w(1, 1, 2, 900.0, 300.0, "i")
            },
            w(1, 1, 2, 600.0, 140.0, "—"),
        ];
        let merged = fill_gaps(first.clone(), &second);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[..2], first[..]);
        assert_eq!(merged[2].text, "AP");
        assert_eq!((merged[2].block, merged[2].par, merged[2].line), (3, 1, 1));
    }

    #[test]
    fn questions_in_blocks_of_their_own_are_read_beside_their_answers() {
        // Tesseract's blocks: a title, the question column's blocks, then the answers' blocks;
        // each question is set beside the middle of its answers.
        let mut words = vec![w(1, 1, 1, 100.0, 100.0, "Spørsmål og svar om saken")];
        for (block, top, q) in [
            (2, 230.0, "Første spørsmål?"),
            (3, 470.0, "Andre spørsmål?"),
        ] {
            words.push(w(block, 1, 1, 100.0, top, q));
        }
        for (block, top) in [(4, 160.0), (5, 400.0)] {
            for (line, text) in ["Svar en,", "svar to,", "svar tre,", "svar fire."]
                .iter()
                .enumerate()
            {
                words.push(w(
                    block,
                    1,
                    line as u32 + 1,
                    400.0,
                    top + 40.0 * line as f32,
                    text,
                ));
            }
        }
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Spørsmål og svar om saken",
                "Første spørsmål?",
                "Svar en, svar to, svar tre, svar fire.",
                "Andre spørsmål?",
                "Svar en, svar to, svar tre, svar fire."
            ]
        );
    }

    /// Words of one line laid out from `(text, gap before it)`; 10 px a character, 20 px high.
    fn line_of(block: u32, line: u32, top: f32, left: f32, words: &[(&str, f32)]) -> Vec<TsvWord> {
        let mut x = left;
        words
            .iter()
            .map(|&(text, gap)| {
                x += gap;
                let word = w(block, 1, line, x, top, text);
                x += word.width;
                word
            })
            .collect()
    }

    #[test]
    fn a_justified_line_stays_whole_and_cells_part() {
        // Stretched spaces of 14 px, 26 px after a full stop: one piece of running text.
        let justified = line_of(
            1,
            1,
            100.0,
            100.0,
            &[
                ("augue", 0.0),
                ("eu", 14.0),
                ("neque.", 14.0),
                ("Morbi", 26.0),
                ("dolor", 14.0),
            ],
        );
        assert_eq!(build_lines(&justified)[0].pieces.len(), 1);
        // A label and its value, set apart by more than the line's spaces allow.
        let cells = line_of(
            1,
            1,
            100.0,
            100.0,
            &[
                ("Møte", 0.0),
                ("2/21", 8.0),
                ("6.", 60.0),
                ("mai", 8.0),
                ("2021", 8.0),
            ],
        );
        assert_eq!(build_lines(&cells)[0].pieces, vec![0..2, 2..5]);
    }

    #[test]
    fn text_columns_side_by_side_are_no_table() {
        // Two columns of running text whose lines share baselines, each column of its own
        // Tesseract block; a sentence gap in one left line is as wide as a cell gap would be.
        let left = [
            "Lorem ipsum dolor sit amet consectetuer",
            "adipiscing elit ut purus elit vestibulum",
            "placerat ac adipiscing vitae felis nam",
            "curabitur dictum gravida mauris arcu",
        ];
        let right = [
            "pellentesque ante phasellus adipiscing",
            "semper elit proin fermentum massa quam",
            "sed diam turpis molestie vitae placerat",
            "molestie nec leo maecenas lacinia nam",
        ];
        let mut words = Vec::new();
        for (k, (l, r)) in left.iter().zip(right).enumerate() {
            let top = 100.0 + 30.0 * k as f32;
            let gap_after = |i: usize| if k == 1 && i == 2 { 30.0 } else { 10.0 };
            let lw: Vec<(&str, f32)> = l
                .split(' ')
                .enumerate()
                .map(|(i, t)| (t, if i == 0 { 0.0 } else { gap_after(i - 1) }))
                .collect();
            let rw: Vec<(&str, f32)> = r
                .split(' ')
                .enumerate()
                .map(|(i, t)| (t, if i == 0 { 0.0 } else { 10.0 }))
                .collect();
            words.extend(line_of(1, k as u32 + 1, top, 100.0, &lw));
            words.extend(line_of(2, k as u32 + 1, top, 600.0, &rw));
        }
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        assert!(page.tables.is_empty());
        let text = page
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(text, format!("{} {}", left.join(" "), right.join(" ")));
    }

    #[test]
    fn bullets_start_new_blocks_and_are_dropped() {
        let words = vec![
            w(1, 1, 1, 100.0, 100.0, "Følgende:"),
            w(1, 1, 2, 100.0, 130.0, "*"),
            w(1, 1, 2, 130.0, 130.0, "Helsedirektoratet"),
            w(1, 1, 3, 100.0, 160.0, "*"),
            w(1, 1, 3, 130.0, 160.0, "Folkehelseinstituttet"),
        ];
        let page = layout(&words, &|l, t, r, b| Rect::new(l, t, r, b));
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Følgende:", "Helsedirektoratet", "Folkehelseinstituttet"]
        );
    }
}
