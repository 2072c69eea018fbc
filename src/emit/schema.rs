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
                }
                Err(e) => report.invalid.push(invalid(format!("not JSON: {e}"))),
            }
        }
        report.lines.push((dataset.to_string(), count));
    }
    Ok(report)
}
