//! A draft gold file for one document, written from the datasets: for a person to correct
//! rather than type from nothing (pre-annotation).

use serde_json::Value;

use super::datasets::Datasets;
use super::gold::{
    GoldAttachment, GoldCase, GoldFile, GoldMeeting, GoldMemo, GoldParticipant, GoldReference,
};

/// The kinds of document a gold meeting lists.
const GOLD_DOCUMENT_KINDS: [&str; 4] = ["agenda", "minutes", "case_memo", "slides"];

fn s(row: &Value, field: &str) -> Option<String> {
    row.get(field).and_then(Value::as_str).map(str::to_string)
}

fn int(row: &Value, field: &str) -> Option<i64> {
    row.get(field).and_then(Value::as_i64)
}

/// Whether a record was read (also) from the document.
fn from_document(row: &Value, id: &str) -> bool {
    row.get("sources")
        .and_then(Value::as_array)
        .is_some_and(|srcs| {
            srcs.iter()
                .any(|src| src.get("document_id").and_then(Value::as_str) == Some(id))
        })
}

/// The document `doc` names in documents.jsonl: by id, else by path, else by file name.
fn find_document<'a>(datasets: &'a Datasets, doc: &str) -> Option<&'a Value> {
    let by = |f: &dyn Fn(&Value) -> bool| datasets.documents.iter().find(|d| f(d));
    by(&|d| s(d, "id").as_deref() == Some(doc))
        .or_else(|| by(&|d| s(d, "path").as_deref() == Some(doc)))
        .or_else(|| {
            by(&|d| {
                s(d, "path").is_some_and(|p| {
                    std::path::Path::new(&p)
                        .file_name()
                        .and_then(|n| n.to_str())
                        == Some(doc)
                })
            })
        })
}

/// A gold file for the meetings whose sources name the document `doc` (its id, path or file
/// name in documents.jsonl), holding what the datasets read from that document, with a note
/// that it is a draft to correct.
pub fn draft(datasets: &Datasets, doc: &str) -> Result<GoldFile, String> {
    let document =
        find_document(datasets, doc).ok_or_else(|| format!("{doc}: no such document"))?;
    let id = s(document, "id").unwrap_or_default();
    let path = s(document, "path").unwrap_or_default();
    let source = std::path::Path::new(&path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(&id)
        .to_string();
    let segments: Vec<&Value> = document
        .get("segments")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut meetings = Vec::new();
    for m in datasets.meetings.iter().filter(|m| from_document(m, &id)) {
        let mid = m.get("id");
        let of_meeting = |rows: &'_ [Value]| -> Vec<Value> {
            rows.iter()
                .filter(|r| r.get("meeting_id") == mid && from_document(r, &id))
                .cloned()
                .collect()
        };
        let mut documents: Vec<String> = Vec::new();
        for seg in &segments {
            if seg.get("meeting_id") != mid {
                continue;
            }
            if let Some(kind) = s(seg, "kind") {
                if GOLD_DOCUMENT_KINDS.contains(&kind.as_str()) && !documents.contains(&kind) {
                    documents.push(kind);
                }
            }
        }
        let participants = of_meeting(&datasets.participants)
            .iter()
            .map(|p| GoldParticipant {
                name: s(p, "name").unwrap_or_default(),
                organisation: s(p, "organisation"),
                role: s(p, "role").unwrap_or_else(|| "member".into()),
                attendance: s(p, "attendance").unwrap_or_else(|| "unknown".into()),
                substitute_for: s(p, "substitute_for"),
            })
            .collect();
        let cases = of_meeting(&datasets.cases)
            .iter()
            .map(|c| GoldCase {
                case_number: s(c, "case_number").unwrap_or_default(),
                title: s(c, "title"),
                case_type: s(c, "case_type"),
                scheduled_time: s(c, "scheduled_time"),
                proposed_decision: s(c, "proposed_decision"),
                decision: s(c, "decision"),
                attachments: c
                    .get("attachments")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|a| GoldAttachment {
                                label: s(a, "label"),
                                title: s(a, "title"),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                memo: c.get("memo").filter(|m| m.is_object()).map(|m| GoldMemo {
                    from: s(m, "from"),
                    case_officer: s(m, "case_officer"),
                }),
            })
            .collect();
        let references = of_meeting(&datasets.references)
            .iter()
            .map(|r| GoldReference {
                from_case: s(r, "from_case"),
                kind: s(r, "kind").unwrap_or_else(|| "case".into()),
                target: s(r, "target"),
                target_body: s(r, "target_body"),
                target_date: s(r, "target_date"),
                text: s(r, "text"),
                title: s(r, "title"),
                decision: s(r, "decision"),
            })
            .collect();
        meetings.push(GoldMeeting {
            body: s(m, "body").unwrap_or_default(),
            number: int(m, "number"),
            year: int(m, "year"),
            date: s(m, "date"),
            start_time: s(m, "start_time"),
            end_time: s(m, "end_time"),
            location: s(m, "location"),
            documents,
            participants,
            cases,
            references,
            notes: None,
        });
    }
    Ok(GoldFile {
        source,
        notes: Some(format!(
            "DRAFT written by `referat eval --draft` from the datasets ({} meetings read from \
             document {id}, {path}). Correct every value against the document (add what is \
             missing, remove what is not there, fix what is misread) and delete this note \
             before using it as gold.",
            meetings.len()
        )),
        meetings,
        body: None,
    })
}
