//! The rows of the datasets referat writes (one JSON object per line per file).
//!
//! Parsing fills these per document with ids left to resolution; resolution merges them across
//! documents and assigns stable ids; emission writes them. Field names follow the datasets'
//! JSON Schemas in `schemas/`. `None` means "the document does not say" and is written as null.

use serde::{Deserialize, Serialize};

/// Where a record came from: a document and a 1-based page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    pub document_id: String,
    pub page: usize,
}

/// A page range of a document and what logical document it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// agenda / minutes / case_memo / attachment / slides / mandate / other
    pub kind: String,
    pub first_page: usize,
    pub last_page: usize,
    pub meeting_id: Option<String>,
    pub case_number: Option<String>,
}

impl From<&crate::segment::Segment> for SegmentRow {
    /// The segment as one document sees it; resolve links it to its meeting and case later,
    /// across documents.
    fn from(s: &crate::segment::Segment) -> SegmentRow {
        SegmentRow {
            kind: s.kind.as_str().into(),
            first_page: s.first_page,
            last_page: s.last_page,
            meeting_id: None,
            case_number: None,
        }
    }
}

/// One input PDF and how reading it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: String,
    pub path: String,
    pub sha256: String,
    pub pages: usize,
    pub producer: Option<String>,
    /// ok / partial / failed
    pub status: String,
    pub errors: Vec<String>,
    pub segments: Vec<SegmentRow>,
    /// The pages whose text was recognised from their image, in page order; every other page
    /// with text was read from its text layer. Records cite pages by number, so a record from
    /// an OCRed page is found by joining its source page with this list.
    #[serde(default)]
    pub ocr_pages: Vec<OcrPageRow>,
}

/// Where the text of one OCRed page came from and how sure the engine was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcrPageRow {
    /// 1-based page number.
    pub page: usize,
    /// "tesseract"
    pub engine: String,
    pub engine_version: String,
    /// The language model ("nor"; "eng" when the Norwegian one is not installed).
    pub model: String,
    /// Mean word confidence over the page, 0-100, rounded to a whole number.
    pub mean_confidence: u8,
    /// Words below the confidence threshold: kept in the text, listed in the warnings.
    pub low_confidence_words: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyName {
    pub name: String,
    /// ISO date from which the name was used, when known.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A governing body across its renames.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyRow {
    pub id: String,
    pub name: String,
    pub names: Vec<BodyName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingRow {
    pub id: String,
    /// The body's name as the document writes it.
    pub body: String,
    pub body_id: Option<String>,
    pub number: Option<u32>,
    pub year: Option<i32>,
    /// ISO 8601 date.
    pub date: Option<String>,
    /// HH:MM
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub location: Option<String>,
    /// Kinds of documents this meeting was seen in: agenda / minutes / case_memo / slides.
    pub documents: Vec<String>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantRow {
    pub meeting_id: String,
    pub person_id: Option<String>,
    pub name: String,
    pub organisation: Option<String>,
    /// member / observer / chair / secretariat / guest / substitute
    pub role: String,
    /// present / absent / unknown
    pub attendance: String,
    pub substitute_for: Option<String>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// "3A"
    pub label: String,
    pub title: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memo {
    pub from: Option<String>,
    pub case_officer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: String,
    pub meeting_id: String,
    /// "38/22" as written.
    pub case_number: String,
    pub title: Option<String>,
    pub case_type: Option<String>,
    pub scheduled_time: Option<String>,
    pub proposed_decision: Option<String>,
    pub decision: Option<String>,
    pub attachments: Vec<Attachment>,
    pub action_items: Vec<String>,
    pub memo: Option<Memo>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRow {
    pub id: String,
    pub meeting_id: String,
    pub from_case: Option<String>,
    /// case / meeting / prior_decision
    pub kind: String,
    pub target: Option<String>,
    pub target_body: Option<String>,
    pub target_date: Option<String>,
    pub title: Option<String>,
    pub decision: Option<String>,
    pub text: Option<String>,
    pub resolved_id: Option<String>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    pub organisation: String,
    pub first_meeting: String,
    pub last_meeting: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliations: Vec<Affiliation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningRow {
    pub document_id: String,
    pub page: Option<usize>,
    pub kind: String,
    pub message: String,
    pub raw: Option<String>,
}

/// Everything one `extract` run writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Datasets {
    pub documents: Vec<DocumentRow>,
    pub bodies: Vec<BodyRow>,
    pub meetings: Vec<MeetingRow>,
    pub participants: Vec<ParticipantRow>,
    pub cases: Vec<CaseRow>,
    pub references: Vec<ReferenceRow>,
    pub people: Vec<PersonRow>,
    pub warnings: Vec<WarningRow>,
}
