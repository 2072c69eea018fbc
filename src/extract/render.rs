//! Plain-text rendering of a [`TextDocument`]: what `referat text` prints.
//!
//! The convention of pdftotext and mutool: the page's lines as lines (words joined by single
//! spaces), a blank line where the vertical gap between two lines shows a paragraph break,
//! pages separated by a blank line and a form feed. Pieces of text that sit on one baseline
//! and follow each other left to right (a table of contents entry and its page number,
//! captions side by side) print as one line. A word broken by the typesetter at a line end is
//! joined on the first line, by the rule the block's `text` uses. Unlike the block's text, a
//! list bullet stays: it is drawn text, and the plain rendering shows what is drawn.

use rayon::prelude::*;

use super::model::{Line, Rect, TextDocument, TextPage};
use super::normalise::{line_join, LineJoin};

/// A vertical gap between lines wider than this share of the taller line's height is a
/// paragraph break.
const PARAGRAPH_GAP: f32 = 0.5;

/// Two pieces are on one row when they overlap vertically by more than this share of the
/// lower one's height.
const ROW_OVERLAP: f32 = 0.5;

/// One output line under construction.
struct OutLine {
    text: String,
    vertical: bool,
    bbox: Rect,
    /// Block and line index of its first and last piece.
    first: (usize, usize),
    last: (usize, usize),
}

/// The whole document as plain text.
pub fn plain_text(doc: &TextDocument) -> String {
    let pages: Vec<String> = doc
        .pages
        .par_iter()
        .map(|page| {
            let mut s = String::new();
            page_text(page, &mut s);
            s
        })
        .collect();
    // As pdftotext and mutool print it: the page's last line, a blank line, a form feed.
    pages.join("\n\u{c}")
}

/// True when `next` continues `prev`'s row to the right.
fn same_row(prev: &Rect, next: &Rect) -> bool {
    let overlap = prev.y1.min(next.y1) - prev.y0.max(next.y0);
    let h = prev.height().min(next.height());
    h > 0.0 && overlap > ROW_OVERLAP * h && next.x0 >= prev.x1 - 1.0
}

/// A line of text running down or up the page (several glyphs, taller than wide): its
/// neighbours to the right are other columns, not its continuation.
fn is_vertical(line: &Line) -> bool {
    let size = line.words.iter().map(|w| w.size).fold(0.0, f32::max);
    line.bbox.height() > 1.5 * size && line.bbox.height() > line.bbox.width()
}

fn page_lines(page: &TextPage) -> Vec<OutLine> {
    let mut out: Vec<OutLine> = Vec::new();
    for (b, block) in page.blocks.iter().enumerate() {
        for (l, line) in block.lines.iter().enumerate() {
            let text = line.text();
            let vertical = is_vertical(line);
            if let Some(prev) = out.last_mut() {
                if !vertical && !prev.vertical && same_row(&prev.bbox, &line.bbox) {
                    prev.text.push(' ');
                    prev.text.push_str(&text);
                    prev.bbox = prev.bbox.union(&line.bbox);
                    prev.last = (b, l);
                    continue;
                }
            }
            out.push(OutLine {
                vertical,
                text,
                bbox: line.bbox,
                first: (b, l),
                last: (b, l),
            });
        }
    }
    // A word hyphenated across two lines of one paragraph moves up whole.
    for k in 1..out.len() {
        let (a, b) = (out[k - 1].last, out[k].first);
        if a.0 != b.0 || a.1 + 1 != b.1 {
            continue;
        }
        let join = line_join(&out[k - 1].text, &out[k].text);
        if join == LineJoin::Space {
            continue;
        }
        let (head, tail) = out.split_at_mut(k);
        let (prev, next) = (&mut head[k - 1], &mut tail[0]);
        if join == LineJoin::DropHyphen {
            prev.text.pop();
        }
        let cut = next.text.find(' ').unwrap_or(next.text.len());
        prev.text.push_str(&next.text[..cut]);
        next.text = next.text[cut..].trim_start().to_string();
    }
    out
}

fn page_text(page: &TextPage, out: &mut String) {
    let mut prev: Option<Rect> = None;
    for line in page_lines(page) {
        if let Some(p) = prev {
            let h = p.height().max(line.bbox.height());
            let gap = line.bbox.y0 - p.y1;
            // A paragraph break, or a step back up the page (the next column or a float).
            if gap > PARAGRAPH_GAP * h || line.bbox.y1 < p.y0 {
                out.push('\n');
            }
        }
        prev = Some(line.bbox);
        // A line emptied by moving its only word up prints nothing.
        if !line.text.is_empty() {
            out.push_str(&line.text);
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::model::{Block, BlockRole, Word};

    fn word(text: &str, x0: f32, y0: f32, size: f32) -> Word {
        let w = 0.5 * size * text.chars().count() as f32;
        Word {
            text: text.into(),
            bbox: Rect::new(x0, y0, x0 + w, y0 + size),
            font: String::new(),
            size,
            bold: false,
            italic: false,
            invisible: false,
        }
    }

    /// A line of words laid out from `x0` at height `y0`.
    fn line(text: &str, x0: f32, y0: f32) -> Line {
        let mut x = x0;
        let words: Vec<Word> = text
            .split(' ')
            .map(|t| {
                let w = word(t, x, y0, 10.0);
                x = w.bbox.x1 + 3.0;
                w
            })
            .collect();
        let bbox = words
            .iter()
            .skip(1)
            .fold(words[0].bbox, |b, w| b.union(&w.bbox));
        Line { words, bbox }
    }

    fn block(lines: Vec<Line>) -> Block {
        let bbox = lines
            .iter()
            .skip(1)
            .fold(lines[0].bbox, |b, l| b.union(&l.bbox));
        Block {
            text: String::new(),
            lines,
            bbox,
            role: BlockRole::Body,
        }
    }

    fn page(blocks: Vec<Block>) -> TextDocument {
        TextDocument {
            pages: vec![TextPage {
                number: 1,
                width: 595.0,
                height: 842.0,
                blocks,
                tables: Vec::new(),
                needs_ocr: false,
                unmapped_glyphs: 0,
                issues: Vec::new(),
            }],
        }
    }

    #[test]
    fn lines_print_as_lines_with_blank_lines_at_paragraph_gaps() {
        let doc = page(vec![
            block(vec![
                line("Erste Zeile des", 50.0, 100.0),
                line("Absatzes.", 50.0, 112.0),
            ]),
            block(vec![line("Zweiter Absatz.", 50.0, 140.0)]),
            // A new block right below (a heading's next line): no blank line.
            block(vec![line("Gleich darunter.", 50.0, 152.0)]),
        ]);
        assert_eq!(
            plain_text(&doc),
            "Erste Zeile des\nAbsatzes.\n\nZweiter Absatz.\nGleich darunter.\n"
        );
    }

    #[test]
    fn pieces_on_one_baseline_join_left_to_right() {
        let doc = page(vec![
            block(vec![line("1.1 Topologische Räume", 50.0, 100.0)]),
            block(vec![line("2", 400.0, 100.0)]),
            // Drawn earlier on the row but to the left: not a continuation.
            block(vec![
                line("links", 50.0, 112.0),
                line("rechts", 300.0, 112.0),
            ]),
            block(vec![line("vorher", 10.0, 112.0)]),
        ]);
        assert_eq!(
            plain_text(&doc),
            "1.1 Topologische Räume 2\nlinks rechts\nvorher\n"
        );
    }

    #[test]
    fn vertical_lines_side_by_side_stay_apart() {
        // Two columns of text running down the page, as rotated table headers draw them.
        let column = |text: &str, x0: f32| {
            let words = vec![Word {
                text: text.into(),
                bbox: Rect::new(x0, 100.0, x0 + 10.0, 160.0),
                font: String::new(),
                size: 10.0,
                bold: false,
                italic: false,
                invisible: false,
            }];
            Line {
                bbox: words[0].bbox,
                words,
            }
        };
        let doc = page(vec![
            block(vec![column("Spalte", 50.0)]),
            block(vec![column("Nachbar", 70.0)]),
        ]);
        assert_eq!(plain_text(&doc), "Spalte\nNachbar\n");
    }

    #[test]
    fn typographic_hyphenation_moves_the_word_up() {
        let doc = page(vec![
            block(vec![
                line("ihre Übungsauf-", 50.0, 100.0),
                line("gaben und Lösungen", 50.0, 112.0),
                line("im e-", 50.0, 124.0),
                line("helse sammen", 50.0, 136.0),
                line("for helse-", 50.0, 148.0),
                line("og omsorg", 50.0, 160.0),
                line("Hoch-", 50.0, 172.0),
                line("schule", 50.0, 184.0),
            ]),
            // A hyphen ending a block does not pull from the next block.
            block(vec![line("Ende-", 50.0, 196.0)]),
            block(vec![line("neu", 50.0, 208.0)]),
        ]);
        assert_eq!(
            plain_text(&doc),
            "ihre Übungsaufgaben\nund Lösungen\nim e-helse\nsammen\nfor helse-\nog omsorg\n\
             Hochschule\nEnde-\nneu\n"
        );
    }

    #[test]
    fn bullets_stay_and_pages_split_by_form_feed() {
        let mut doc = page(vec![block(vec![line("• Punkt", 50.0, 100.0)])]);
        let mut second = doc.pages[0].clone();
        second.number = 2;
        second.blocks = vec![block(vec![line("Seite zwei", 50.0, 100.0)])];
        doc.pages.push(second);
        assert_eq!(plain_text(&doc), "• Punkt\n\n\u{c}Seite zwei\n");
    }
}
