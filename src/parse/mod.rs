//! Stage 4, parse: the text of one PDF, with its segments, to that PDF's partial records
//! (meetings with their participants, cases and references). Independent of every other PDF:
//! this is the per-document "map" half of the pipeline.

use serde::{Deserialize, Serialize};

use crate::extract::TextDocument;
use crate::records::{CaseRow, MeetingRow, ParticipantRow, ReferenceRow, WarningRow};
use crate::segment::Segment;
use crate::vocab::Vocabulary;

/// One meeting as one document describes it; ids are left empty for resolution to assign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedMeeting {
    pub meeting: MeetingRow,
    pub participants: Vec<ParticipantRow>,
    pub cases: Vec<CaseRow>,
    pub references: Vec<ReferenceRow>,
}

/// What parsing found in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedRecords {
    pub meetings: Vec<ParsedMeeting>,
    pub warnings: Vec<WarningRow>,
}

/// Parses one document. STUB: finds nothing yet.
pub fn parse(
    _document_id: &str,
    _doc: &TextDocument,
    _segments: &[Segment],
    _vocab: &Vocabulary,
) -> ParsedRecords {
    ParsedRecords::default()
}
