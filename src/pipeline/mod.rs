//! The per-document "map": read -> extract -> segment -> parse, with every failure caught and
//! turned into the document's status, so that one bad PDF never stops a batch.
//!
//! `guard` adds a time limit that holds even when a stage overruns its deadline, `manifest`
//! remembers what earlier runs parsed, and `batch` runs a whole corpus over a thread pool.

pub mod batch;
pub mod guard;
pub mod manifest;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::extract;
use crate::ocr;
use crate::parse::{self, ParsedRecords};
use crate::read::{self, Limits};
use crate::records::{DocumentRow, OcrPageRow, SegmentRow, WarningRow};
use crate::segment;
use crate::vocab::Vocabulary;

/// What one document yields: its row in `documents.jsonl` and its partial records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentResult {
    pub document: DocumentRow,
    pub records: ParsedRecords,
}

/// A document's result and whether it depends on the moment it was made (a time limit was
/// hit), so that it must not be reused by a later run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub result: DocumentResult,
    pub timed_out: bool,
}

/// The rank of a result among several for the same document id (the same PDF at two paths, or
/// a task a distributed runner retried): the best status, then the first path, so the choice
/// never depends on the order the results arrived in. Lower is preferred.
pub fn preference(result: &DocumentResult) -> (u8, &str) {
    let status = match result.document.status.as_str() {
        "ok" => 0,
        "partial" => 1,
        _ => 2,
    };
    (status, result.document.path.as_str())
}

/// Hex sha256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stable id of a document: derived from its content, never from its path or run order.
pub fn document_id(sha256: &str) -> String {
    format!("doc-{}", &sha256[..16])
}

/// Processes one PDF with the default OCR options (`--ocr auto`). Never panics and never
/// returns an error: failures are in the row.
pub fn process_file(path: &Path, vocab: &Vocabulary, limits: &Limits) -> DocumentResult {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => process_bytes(&shown, &bytes, vocab, limits),
        Err(e) => unreadable(&shown, &e),
    }
}

/// Processes one PDF held in memory with the default OCR options; `path` is only reported.
pub fn process_bytes(
    path: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    limits: &Limits,
) -> DocumentResult {
    let ocr = ocr::OcrOptions::default();
    process_bytes_outcome(path, &sha256_hex(bytes), bytes, vocab, limits, &ocr).result
}

/// Processes one PDF whose sha256 is already known, catching panics. `ocr` is the run's OCR
/// setting; its deadline is replaced by the document's (`limits.deadline`).
pub fn process_bytes_outcome(
    path: &str,
    sha: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    limits: &Limits,
    ocr: &ocr::OcrOptions,
) -> Outcome {
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        process_inner(path, sha, bytes, vocab, limits, ocr)
    }));
    match run {
        Ok(outcome) => outcome,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Outcome {
                result: failed(
                    path,
                    sha,
                    format!("{path}: internal error while processing: {what}"),
                ),
                timed_out: false,
            }
        }
    }
}

/// The result for a file that could not even be read from disk.
pub fn unreadable(path: &str, error: &std::io::Error) -> DocumentResult {
    failed(path, "", format!("{path}: cannot read file: {error}"))
}

/// A failed document: no records, one message saying what went wrong.
pub fn failed(path: &str, sha: &str, message: String) -> DocumentResult {
    let id = if sha.is_empty() {
        format!("doc-unreadable-{}", &sha256_hex(path.as_bytes())[..12])
    } else {
        document_id(sha)
    };
    DocumentResult {
        document: DocumentRow {
            id,
            path: path.to_string(),
            sha256: sha.to_string(),
            pages: 0,
            producer: None,
            status: "failed".into(),
            errors: vec![message],
            segments: Vec::new(),
            ocr_pages: Vec::new(),
        },
        records: ParsedRecords::default(),
    }
}

/// The page issue kind the extraction engine reports when the document's deadline passed.
const DEADLINE_ISSUE: &str = "deadline";

fn process_inner(
    path: &str,
    sha: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    limits: &Limits,
    ocr_options: &ocr::OcrOptions,
) -> Outcome {
    let id = document_id(sha);
    let pdf = match read::open_bytes(bytes, limits) {
        Ok(pdf) => pdf,
        Err(e) => {
            return Outcome {
                result: failed(path, sha, format!("{path}: {e}")),
                timed_out: false,
            }
        }
    };
    if pdf.page_count == 0 {
        return Outcome {
            result: failed(path, sha, format!("{path}: no pages found in the PDF")),
            timed_out: false,
        };
    }
    let mut text = extract::extract(&pdf, limits);
    let ocr_options = ocr::OcrOptions {
        deadline: limits.deadline,
        ..ocr_options.clone()
    };
    let ocred = ocr::ocr_document(&pdf, &mut text, &ocr_options);
    let segments = segment::segment(&text, vocab);
    let mut records = parse::parse(&id, &text, &segments, vocab);
    records
        .warnings
        .extend(ocr_warnings(&id, &ocred, ocr_options.min_confidence));
    let mut errors: Vec<String> = pdf
        .warnings
        .iter()
        .map(|w| format!("{path}: {w}"))
        .collect();
    let mut timed_out = false;
    for page in &text.pages {
        if page.needs_ocr {
            errors.push(format!(
                "{path}: page {}: no text layer (needs OCR)",
                page.number
            ));
        }
        // The flag above already said it; the engine may repeat it as an issue.
        for issue in page.issues.iter().filter(|i| i.kind != "needs_ocr") {
            timed_out |= issue.kind == DEADLINE_ISSUE;
            errors.push(format!(
                "{path}: page {}: {}: {}",
                page.number, issue.kind, issue.message
            ));
        }
    }
    let status = if errors.is_empty() {
        "ok"
    } else if nothing_read(&text) {
        "failed"
    } else {
        "partial"
    };
    Outcome {
        result: DocumentResult {
            document: DocumentRow {
                id,
                path: path.to_string(),
                sha256: sha.to_string(),
                pages: pdf.page_count,
                producer: pdf.producer.clone(),
                status: status.into(),
                errors,
                segments: segments.iter().map(SegmentRow::from).collect(),
                ocr_pages: ocred.iter().map(ocr_page_row).collect(),
            },
            records,
        },
        timed_out,
    }
}

/// Whether no page gave any text because every page was refused (a content stream that could
/// not be decoded or that broke a limit, or the time limit): such a document is `failed`, not
/// `partial`, since nothing of it reached the datasets. A page that is merely empty does not
/// count as refused.
fn nothing_read(text: &extract::TextDocument) -> bool {
    const REFUSALS: [&str; 3] = ["bad_stream", "limit", DEADLINE_ISSUE];
    !text.pages.is_empty()
        && text.pages.iter().all(|p| {
            p.blocks.is_empty() && p.issues.iter().any(|i| REFUSALS.contains(&i.kind.as_str()))
        })
}

/// The provenance of an OCRed page as the documents dataset records it.
fn ocr_page_row(o: &ocr::PageOcr) -> OcrPageRow {
    OcrPageRow {
        page: o.page,
        engine: o.provenance.engine.clone(),
        engine_version: o.provenance.version.clone(),
        model: o.provenance.model.clone(),
        mean_confidence: o.provenance.mean_confidence.round().clamp(0.0, 100.0) as u8,
        low_confidence_words: o.low_confidence.len(),
    }
}

/// Warnings for what OCR was unsure of: per page the words below the confidence threshold
/// (kept in the text, so records built on them can be checked against the scan), and notes
/// such as a missing language model. These are data-quality findings, not failures: an OCRed
/// page does not make its document partial.
fn ocr_warnings(document_id: &str, ocred: &[ocr::PageOcr], min_confidence: f32) -> Vec<WarningRow> {
    let mut out = Vec::new();
    for o in ocred {
        if !o.low_confidence.is_empty() {
            let words: Vec<String> = o
                .low_confidence
                .iter()
                .map(|w| format!("{} ({:.0})", w.text, w.confidence))
                .collect();
            out.push(WarningRow {
                document_id: document_id.to_string(),
                page: Some(o.page),
                kind: "ocr_low_confidence".into(),
                message: format!(
                    "{} OCR word(s) below confidence {min_confidence:.0} were kept as read",
                    words.len()
                ),
                raw: Some(words.join(", ")),
            });
        }
        for note in &o.notes {
            out.push(WarningRow {
                document_id: document_id.to_string(),
                page: Some(o.page),
                kind: "ocr_note".into(),
                message: note.clone(),
                raw: None,
            });
        }
    }
    out
}
