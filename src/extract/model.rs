//! The positioned text of a document: what extraction hands to segmentation and parsing.
//!
//! Coordinates are PDF user-space points in the page's *displayed* orientation (after /Rotate
//! and CropBox are applied), with the origin at the top-left corner and y growing downwards, so
//! that "reading order" and "sorting by y" mean the same thing for every consumer.

use serde::Serialize;

/// An axis-aligned box, top-left origin, y down.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect { x0, y0, x1, y1 }
    }
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    /// The smallest box holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }
}

/// One word: glyphs joined without a space between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    pub text: String,
    pub bbox: Rect,
    /// Base font name without the subset prefix ("Carlito", not "ABCDEF+Carlito").
    pub font: String,
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    /// Drawn with text render mode 3 (invisible), e.g. an OCR layer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub invisible: bool,
}

/// Words on one baseline, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub words: Vec<Word>,
    pub bbox: Rect,
}

impl Line {
    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&w.text);
        }
        s
    }
}

/// Where a block sits in the page's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockRole {
    /// Running text, headings, list items.
    Body,
    /// One cell of a table: `table` indexes `TextPage::tables`.
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
    /// A running header repeated across pages.
    Header,
    /// A running footer or page number.
    Footer,
}

/// A paragraph or table cell: lines that belong together. `text` joins the lines with spaces
/// and undoes typographic line-end hyphenation, so a wrapped paragraph reads as one string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub text: String,
    pub lines: Vec<Line>,
    pub bbox: Rect,
    pub role: BlockRole,
}

impl Block {
    /// Font size of the first word (headings are found by size and weight).
    pub fn font_size(&self) -> f32 {
        self.lines
            .first()
            .and_then(|l| l.words.first())
            .map_or(0.0, |w| w.size)
    }
    /// True when every word is bold.
    pub fn is_bold(&self) -> bool {
        let mut words = self.lines.iter().flat_map(|l| l.words.iter()).peekable();
        words.peek().is_some() && words.all(|w| w.bold)
    }
}

/// A table found on a page: rows of cells, each cell a list of block indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub bbox: Rect,
    /// `rows[r][c]` lists the indices into `TextPage::blocks` of the cell at row r, column c.
    pub rows: Vec<Vec<Vec<usize>>>,
}

/// Why a page yielded no usable text, or what went wrong while reading it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageIssue {
    pub kind: String,
    pub message: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One page of text in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextPage {
    /// 1-based page number.
    pub number: usize,
    pub width: f32,
    pub height: f32,
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
    /// True when the page has no text layer and needs OCR.
    pub needs_ocr: bool,
    /// Visible glyphs left out because their font maps them to no text: with few mapped
    /// characters beside them, the text layer is garbage and the page is OCRed.
    #[serde(skip_serializing_if = "is_zero")]
    pub unmapped_glyphs: usize,
    /// Problems met on this page (bad content tokens, unmapped glyphs, ...).
    pub issues: Vec<PageIssue>,
}

impl TextPage {
    /// Blocks that belong to the page's body (running headers and footers left out).
    pub fn body_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| !matches!(b.role, BlockRole::Header | BlockRole::Footer))
    }
}

/// The text of a whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct TextDocument {
    pub pages: Vec<TextPage>,
}

impl TextDocument {
    /// The plain-text rendering `referat text` prints: the page's lines, a blank line at a
    /// paragraph gap, pages separated by a form feed (see [`super::render`]).
    pub fn plain_text(&self) -> String {
        super::render::plain_text(self)
    }

    /// Builds a document from plain text: pages split at form feeds, one body block per
    /// non-empty line, no geometry beyond the line's position. For tests of the later stages,
    /// and for text that comes from elsewhere (an OCR engine's plain output).
    pub fn from_plain_text(text: &str) -> TextDocument {
        let pages = text
            .split('\u{c}')
            .enumerate()
            .map(|(i, page_text)| {
                let blocks = page_text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .enumerate()
                    .map(|(n, l)| {
                        let y = 12.0 * n as f32;
                        let bbox = Rect::new(0.0, y, 6.0 * l.chars().count() as f32, y + 10.0);
                        let words = l
                            .split_whitespace()
                            .map(|w| Word {
                                text: w.to_string(),
                                bbox,
                                font: String::new(),
                                size: 10.0,
                                bold: false,
                                italic: false,
                                invisible: false,
                            })
                            .collect();
                        Block {
                            text: l.split_whitespace().collect::<Vec<_>>().join(" "),
                            lines: vec![Line { words, bbox }],
                            bbox,
                            role: BlockRole::Body,
                        }
                    })
                    .collect();
                TextPage {
                    number: i + 1,
                    width: 595.0,
                    height: 842.0,
                    blocks,
                    tables: Vec::new(),
                    needs_ocr: false,
                    unmapped_glyphs: 0,
                    issues: Vec::new(),
                }
            })
            .collect();
        TextDocument { pages }
    }
}
