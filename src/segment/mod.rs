//! Stage 3, segment: which logical document (agenda, minutes, case memo, attachment, slides,
//! mandate) each page range of a PDF is.

use crate::extract::TextDocument;
use crate::vocab::Vocabulary;

/// A page range and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// 1-based, inclusive.
    pub first_page: usize,
    pub last_page: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    Agenda,
    Minutes,
    CaseMemo,
    Attachment,
    Slides,
    Mandate,
    Other,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Agenda => "agenda",
            SegmentKind::Minutes => "minutes",
            SegmentKind::CaseMemo => "case_memo",
            SegmentKind::Attachment => "attachment",
            SegmentKind::Slides => "slides",
            SegmentKind::Mandate => "mandate",
            SegmentKind::Other => "other",
        }
    }
}

/// Splits a document into segments. STUB: one segment of kind Other.
pub fn segment(doc: &TextDocument, _vocab: &Vocabulary) -> Vec<Segment> {
    if doc.pages.is_empty() {
        return Vec::new();
    }
    vec![Segment {
        kind: SegmentKind::Other,
        first_page: 1,
        last_page: doc.pages.len(),
    }]
}
