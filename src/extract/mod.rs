//! Stage 2, extract: PDF objects to positioned text (glyphs, words, lines, blocks, tables) in
//! reading order. Knows nothing of meetings.

pub mod model;

pub use model::{Block, BlockRole, Line, PageIssue, Rect, Table, TextDocument, TextPage, Word};

use crate::read::{Limits, PdfFile};

/// Extracts every page of an opened PDF.
///
/// BOOTSTRAP: lopdf's own `extract_text`, one body block per line, until the real engine lands.
pub fn extract(pdf: &PdfFile, _limits: &Limits) -> TextDocument {
    let mut pages = Vec::new();
    for (i, (number, _)) in pdf.doc.get_pages().into_iter().enumerate() {
        let text = pdf.doc.extract_text(&[number]).unwrap_or_default();
        let mut page = TextDocument::from_plain_text(&text).pages.remove(0);
        page.number = i + 1;
        page.needs_ocr = page.blocks.is_empty();
        pages.push(page);
    }
    TextDocument { pages }
}
