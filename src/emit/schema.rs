//! The datasets' JSON Schemas (draft 2020-12, `schemas/`, compiled in) and checking dataset
//! files against them.

use std::io::BufRead;
use std::path::Path;

use serde_json::Value;

/// (dataset, schema text) for every dataset.
pub const SCHEMAS: [(&str, &str); 8] = [
    (
        "documents",
        include_str!("../../schemas/documents.schema.json"),
    ),
    ("bodies", include_str!("../../schemas/bodies.schema.json")),
    (
        "meetings",
        include_str!("../../schemas/meetings.schema.json"),
    ),
    (
        "participants",
        include_str!("../../schemas/participants.schema.json"),
    ),
    ("cases", include_str!("../../schemas/cases.schema.json")),
    (
        "references",
        include_str!("../../schemas/references.schema.json"),
    ),
    ("people", include_str!("../../schemas/people.schema.json")),
    (
        "warnings",
        include_str!("../../schemas/warnings.schema.json"),
    ),
];

/// A compiled schema for one dataset.
pub struct DatasetSchema {
    pub dataset: &'static str,
    validator: jsonschema::Validator,
}

impl DatasetSchema {
    /// The schema of a dataset by name (`"meetings"`).
    pub fn for_dataset(dataset: &str) -> Option<DatasetSchema> {
        let (name, text) = SCHEMAS.iter().find(|(n, _)| *n == dataset)?;
        let schema: Value = serde_json::from_str(text).expect("bundled schema is JSON");
        let validator = jsonschema::draft202012::new(&schema).expect("bundled schema is valid");
        Some(DatasetSchema {
            dataset: name,
            validator,
        })
    }

    /// Every reason the value breaks the schema, each with the JSON pointer of the offending
    /// part; empty when it is valid.
    pub fn errors(&self, value: &Value) -> Vec<String> {
        self.validator
            .iter_errors(value)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".to_string() } else { at };
                format!("at {at}: {e}")
            })
            .collect()
    }
}

/// JSON pointers of the strings in `value` that are not in Unicode Normalization Form C (the
/// datasets' text is NFC, so that equal text is equal bytes).
pub fn not_nfc(value: &Value) -> Vec<String> {
    fn walk(v: &Value, at: &mut String, out: &mut Vec<String>) {
        match v {
            Value::String(s) if !unicode_normalization::is_nfc(s) => {
                let pointer = if at.is_empty() { "/" } else { at.as_str() };
                out.push(pointer.to_string());
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    walk(item, at, out);
                    at.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(item, at, out);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// One invalid line.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub file: String,
    /// 1-based; 0 for a problem with the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.reason)
        }
    }
}

/// What checking a directory found.
#[derive(Debug, Default)]
pub struct Report {
    /// (dataset, number of lines checked)
    pub lines: Vec<(String, usize)>,
    pub invalid: Vec<Invalid>,
}

/// Checks every line of every dataset file in `dir`. A missing file is invalid; a file that
/// cannot be read is an I/O error.
pub fn validate_dir(dir: &Path) -> std::io::Result<Report> {
    let mut report = Report::default();
    for (dataset, _) in SCHEMAS {
        let schema = DatasetSchema::for_dataset(dataset).expect("known dataset");
        let path = dir.join(format!("{dataset}.jsonl"));
        let shown = path.display().to_string();
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                report.invalid.push(Invalid {
                    file: shown,
                    line: 0,
                    reason: "missing".into(),
                });
                continue;
            }
            Err(e) => return Err(std::io::Error::new(e.kind(), format!("{shown}: {e}"))),
        };
        let mut count = 0;
        let mut reader = std::io::BufReader::new(file);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            count += 1;
            let invalid = |reason: String| Invalid {
                file: shown.clone(),
                line: count,
                reason,
            };
            let Some(body) = buf.strip_suffix(b"\n") else {
                report
                    .invalid
                    .push(invalid("last line has no newline (truncated file?)".into()));
                continue;
            };
            let text = match std::str::from_utf8(body) {
                Ok(t) => t,
                Err(e) => {
                    report.invalid.push(invalid(format!("not UTF-8: {e}")));
                    continue;
                }
            };
            match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    for reason in schema.errors(&value) {
                        report.invalid.push(invalid(reason));
                    }
                    for at in not_nfc(&value) {
                        report
                            .invalid
                            .push(invalid(format!("at {at}: text not in Unicode NFC")));
                    }
                }
                Err(e) => report.invalid.push(invalid(format!("not JSON: {e}"))),
            }
        }
        report.lines.push((dataset.to_string(), count));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    //! The schemas and `records.rs` must describe the same rows: a row with every optional
    //! field filled and one with every optional field empty must both validate (required and
    //! additionalProperties catch a field missing on either side).

    use super::*;
    use crate::records::*;

    fn src() -> Vec<Source> {
        vec![Source {
            document_id: "doc-0123456789abcdef".into(),
            page: 2,
        }]
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    fn assert_valid<T: serde::Serialize>(dataset: &str, row: &T) {
        let schema = DatasetSchema::for_dataset(dataset).unwrap();
        let value = serde_json::to_value(row).unwrap();
        let errors = schema.errors(&value);
        assert!(errors.is_empty(), "{dataset}: {value}\n{errors:?}");
    }

    fn assert_invalid(dataset: &str, value: Value, why: &str) {
        let schema = DatasetSchema::for_dataset(dataset).unwrap();
        let errors = schema.errors(&value);
        assert!(!errors.is_empty(), "{dataset} accepted {why}: {value}");
    }

    #[test]
    fn full_and_empty_rows_of_every_dataset_validate() {
        let doc = |full: bool| DocumentRow {
            id: "doc-0123456789abcdef".into(),
            path: "corpus/a.pdf".into(),
            sha256: "ab".repeat(32),
            pages: 3,
            producer: full.then(|| "LibreOffice".into()),
            status: "partial".into(),
            errors: vec!["corpus/a.pdf: page 2: bad".into()],
            segments: vec![SegmentRow {
                kind: "case_memo".into(),
                first_page: 1,
                last_page: 3,
                meeting_id: full.then(|| "m".into()),
                case_number: full.then(|| "38/22".into()),
            }],
            ocr_pages: if full {
                vec![OcrPageRow {
                    page: 2,
                    engine: "tesseract".into(),
                    engine_version: "5.3.0".into(),
                    model: "nor".into(),
                    mean_confidence: 91,
                    low_confidence_words: 3,
                }]
            } else {
                Vec::new()
            },
        };
        let body = |full: bool| BodyRow {
            id: "b".into(),
            name: "Nasjonalt e-helseråd".into(),
            names: vec![BodyName {
                name: "Nasjonalt e-helsestyre".into(),
                from: full.then(|| "2017".into()),
                to: full.then(|| "2022-06-01".into()),
            }],
        };
        let meeting = |full: bool| MeetingRow {
            id: "m".into(),
            body: "Nasjonalt e-helseråd".into(),
            body_id: full.then(|| "b".into()),
            number: full.then_some(6),
            year: full.then_some(2022),
            date: full.then(|| "2022-12-02".into()),
            start_time: full.then(|| "10:00".into()),
            end_time: full.then(|| "16:00".into()),
            location: full.then(|| "Oslo".into()),
            documents: vec!["agenda".into(), "minutes".into()],
            sources: src(),
        };
        let participant = |full: bool| ParticipantRow {
            meeting_id: "m".into(),
            person_id: full.then(|| "p".into()),
            name: "A B".into(),
            organisation: full.then(|| "Org".into()),
            role: "substitute".into(),
            attendance: "present".into(),
            substitute_for: full.then(|| "C D".into()),
            sources: src(),
        };
        let case = |full: bool| CaseRow {
            id: "c".into(),
            meeting_id: "m".into(),
            case_number: "38/22".into(),
            title: s("T"),
            case_type: full.then(|| "Beslutning".into()),
            scheduled_time: full.then(|| "10:00".into()),
            proposed_decision: full.then(|| "x".into()),
            decision: full.then(|| "y".into()),
            attachments: vec![Attachment {
                label: "3A".into(),
                title: full.then(|| "t".into()),
                url: full.then(|| "https://example.org/a.pdf".into()),
            }],
            action_items: vec!["do".into()],
            memo: full.then(|| Memo {
                from: s("F"),
                case_officer: None,
            }),
            sources: src(),
        };
        let reference = |full: bool| ReferenceRow {
            id: "r".into(),
            meeting_id: "m".into(),
            from_case: full.then(|| "38/22".into()),
            kind: "prior_decision".into(),
            target: full.then(|| "25/22".into()),
            target_body: full.then(|| "NUIT".into()),
            target_date: full.then(|| "2022-09-14".into()),
            title: full.then(|| "t".into()),
            decision: full.then(|| "d".into()),
            text: full.then(|| "Til sak 25/22".into()),
            resolved_id: full.then(|| "c".into()),
            sources: src(),
        };
        let person = PersonRow {
            id: "p".into(),
            name: "A B".into(),
            aliases: vec!["A. B".into()],
            affiliations: vec![Affiliation {
                organisation: "Org".into(),
                first_meeting: "m".into(),
                last_meeting: "m".into(),
            }],
        };
        let warning = |full: bool| WarningRow {
            document_id: "doc-0123456789abcdef".into(),
            page: full.then_some(4),
            kind: "odd_date".into(),
            message: "m".into(),
            raw: full.then(|| "21. september. mars 2022".into()),
        };
        for full in [true, false] {
            assert_valid("documents", &doc(full));
            assert_valid("bodies", &body(full));
            assert_valid("meetings", &meeting(full));
            assert_valid("participants", &participant(full));
            assert_valid("cases", &case(full));
            assert_valid("references", &reference(full));
            assert_valid("warnings", &warning(full));
        }
        assert_valid("people", &person);
    }

    #[test]
    fn broken_rows_are_rejected() {
        let mut m = serde_json::to_value(MeetingRow {
            id: "m".into(),
            body: "B".into(),
            body_id: None,
            number: None,
            year: None,
            date: None,
            start_time: None,
            end_time: None,
            location: None,
            documents: vec![],
            sources: src(),
        })
        .unwrap();
        let mut extra = m.clone();
        extra["colour"] = "red".into();
        assert_invalid("meetings", extra, "an unknown field");
        let mut missing = m.clone();
        missing.as_object_mut().unwrap().remove("location");
        assert_invalid("meetings", missing, "a missing field");
        let mut bad_date = m.clone();
        bad_date["date"] = "2. desember 2022".into();
        assert_invalid("meetings", bad_date, "a date that is not ISO 8601");
        m["number"] = "6".into();
        assert_invalid("meetings", m, "a number as a string");
    }

    #[test]
    fn text_not_in_nfc_is_found_where_it_is() {
        let decomposed = "Nasjonalt e-helsera\u{30a}d";
        let v: Value = serde_json::json!({"name": "Nasjonalt e-helseråd",
            "names": [{"name": decomposed}]});
        assert_eq!(not_nfc(&v), vec!["/names/0/name".to_string()]);
    }

    #[test]
    fn every_field_is_described() {
        fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
            if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
                for (name, p) in props {
                    if p.get("description").is_none() {
                        missing.push(format!("{path}/{name}"));
                    }
                    walk(p, &format!("{path}/{name}"), missing);
                }
            }
            for key in ["items", "$defs", "oneOf"] {
                match v.get(key) {
                    Some(Value::Array(a)) => a.iter().for_each(|x| walk(x, path, missing)),
                    Some(Value::Object(o)) if key == "$defs" => {
                        o.values().for_each(|x| walk(x, path, missing))
                    }
                    Some(x) => walk(x, path, missing),
                    None => {}
                }
            }
        }
        let mut missing = Vec::new();
        for (name, text) in SCHEMAS {
            walk(&serde_json::from_str(text).unwrap(), name, &mut missing);
        }
        assert!(
            missing.is_empty(),
            "fields without description: {missing:?}"
        );
    }
}
