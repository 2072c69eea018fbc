//! Gold files: the format (`schemas/gold.schema.json`, compiled in; docs/gold-format.md),
//! finding them, and reading them with every problem named by file and field.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The JSON Schema of a gold file (draft 2020-12).
pub const GOLD_SCHEMA: &str = include_str!("../../schemas/gold.schema.json");

/// One gold file: what a perfect parser extracts from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldFile {
    /// The document described: its file name, path, id or address.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub meetings: Vec<GoldMeeting>,
    /// For a document about a body rather than a meeting (a mandate); not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldMeeting {
    pub body: String,
    pub number: Option<i64>,
    pub year: Option<i64>,
    pub date: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub participants: Vec<GoldParticipant>,
    #[serde(default)]
    pub cases: Vec<GoldCase>,
    #[serde(default)]
    pub references: Vec<GoldReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldParticipant {
    pub name: String,
    pub organisation: Option<String>,
    pub role: String,
    pub attendance: String,
    pub substitute_for: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldCase {
    pub case_number: String,
    pub title: Option<String>,
    pub case_type: Option<String>,
    pub scheduled_time: Option<String>,
    pub proposed_decision: Option<String>,
    pub decision: Option<String>,
    #[serde(default)]
    pub attachments: Vec<GoldAttachment>,
    pub memo: Option<GoldMemo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldAttachment {
    pub label: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldMemo {
    pub from: Option<String>,
    pub case_officer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldReference {
    pub from_case: Option<String>,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// A gold file as read, with the path it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Gold {
    pub path: PathBuf,
    pub file: GoldFile,
}

impl Gold {
    /// The file name, as reports show it.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// One problem with a gold file: `FILE: at /meetings/0/date: reason`.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldError {
    pub file: String,
    /// JSON pointer of the field, when the problem is with one.
    pub at: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for GoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{}: at {at}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// The compiled gold schema.
pub struct GoldSchema {
    validator: jsonschema::Validator,
}

impl Default for GoldSchema {
    fn default() -> Self {
        Self::new()
    }
}

impl GoldSchema {
    pub fn new() -> GoldSchema {
        let schema: Value = serde_json::from_str(GOLD_SCHEMA).expect("bundled schema is JSON");
        let validator = jsonschema::draft202012::new(&schema).expect("bundled schema is valid");
        GoldSchema { validator }
    }

    /// Every way `value` breaks the gold format, as (JSON pointer, reason); empty when valid.
    /// A missing field is named by its own pointer (`/meetings/0/date: required field
    /// missing`), an unknown one likewise.
    pub fn errors(&self, value: &Value) -> Vec<(String, String)> {
        use jsonschema::error::ValidationErrorKind as Kind;
        let mut out = Vec::new();
        for e in self.validator.iter_errors(value) {
            let at = e.instance_path().to_string();
            match e.kind() {
                Kind::Required { property } => {
                    let name = property.as_str().map(str::to_string);
                    let name = name.unwrap_or_else(|| property.to_string());
                    out.push((
                        format!("{at}/{}", escape_pointer(&name)),
                        "required field missing".into(),
                    ));
                }
                Kind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        out.push((
                            format!("{at}/{}", escape_pointer(name)),
                            "unknown field (not in the gold format; a misspelling?)".into(),
                        ));
                    }
                }
                _ => {
                    let at = if at.is_empty() { "/".to_string() } else { at };
                    out.push((at, e.to_string()));
                }
            }
        }
        out
    }
}

fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Reads and checks one gold file; every problem found, each naming the file and the field.
pub fn load_gold(path: &Path, schema: &GoldSchema) -> Result<Gold, Vec<GoldError>> {
    let file = path.display().to_string();
    let err = |at: Option<String>, reason: String| GoldError {
        file: file.clone(),
        at,
        reason,
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => return Err(vec![err(None, format!("not UTF-8: {e}"))]),
        },
        Err(e) => return Err(vec![err(None, format!("cannot read: {e}"))]),
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return Err(vec![err(None, format!("not JSON: {e}"))]),
    };
    let problems = schema.errors(&value);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|(at, reason)| err(Some(at), reason))
            .collect());
    }
    match serde_json::from_value::<GoldFile>(value) {
        Ok(gold) => Ok(Gold {
            path: path.to_path_buf(),
            file: gold,
        }),
        // The schema admits no value the types do not; this is a mismatch between the two.
        Err(e) => Err(vec![err(None, format!("not in the gold format: {e}"))]),
    }
}

/// The gold files named: files as they are, directories searched recursively for `*.json`
/// (sorted), in the order given.
pub fn gold_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = out.len();
            walk(input, &mut out).map_err(|e| format!("{}: {e}", input.display()))?;
            if out.len() == before {
                return Err(format!("{}: no gold files (*.json)", input.display()));
            }
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// Reads and checks every gold file named (see [`gold_paths`]); on any problem, all the
/// problems of all the files.
pub fn load_golds(inputs: &[PathBuf]) -> Result<Vec<Gold>, Vec<GoldError>> {
    let paths = gold_paths(inputs).map_err(|reason| {
        vec![GoldError {
            file: "referat".into(),
            at: None,
            reason,
        }]
    })?;
    let schema = GoldSchema::new();
    let mut golds = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match load_gold(&p, &schema) {
            Ok(g) => golds.push(g),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(golds)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({"source": "a.pdf", "meetings": [{
            "body": "NUIT", "number": 1, "year": 2024, "date": "2024-03-14",
            "start_time": null, "end_time": null, "location": null, "documents": ["agenda"],
            "participants": [{"name": "A B", "organisation": null, "role": "member",
                              "attendance": "unknown", "substitute_for": null}],
            "cases": [{"case_number": "1/24", "title": "T", "case_type": null,
                       "scheduled_time": null, "proposed_decision": null, "decision": null,
                       "attachments": [{"label": "1", "title": null}], "memo": null}],
            "references": [{"from_case": "1/24", "kind": "case", "target": "5/23"}]}]})
    }

    #[test]
    fn a_complete_gold_file_is_valid_and_reads() {
        let schema = GoldSchema::new();
        assert!(schema.errors(&minimal()).is_empty());
        let gold: GoldFile = serde_json::from_value(minimal()).unwrap();
        assert_eq!(gold.meetings[0].cases[0].case_number, "1/24");
        // Written back, it is the same file.
        let again = serde_json::to_value(&gold).unwrap();
        assert_eq!(again, minimal());
    }

    #[test]
    fn problems_are_named_by_field() {
        let schema = GoldSchema::new();
        let mut missing = minimal();
        missing["meetings"][0]
            .as_object_mut()
            .unwrap()
            .remove("date");
        assert_eq!(
            schema.errors(&missing),
            vec![(
                "/meetings/0/date".to_string(),
                "required field missing".to_string()
            )]
        );
        let mut wrong = minimal();
        wrong["meetings"][0]["number"] = json!("6");
        let errors = schema.errors(&wrong);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "/meetings/0/number");
        let mut unknown = minimal();
        unknown["meetings"][0]["cases"][0]["decison"] = json!("x");
        assert_eq!(
            schema.errors(&unknown)[0].0,
            "/meetings/0/cases/0/decison".to_string()
        );
        let mut bad_date = minimal();
        bad_date["meetings"][0]["date"] = json!("14. mars 2024");
        assert_eq!(schema.errors(&bad_date)[0].0, "/meetings/0/date");
    }

    #[test]
    fn every_field_of_the_gold_schema_is_described() {
        fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
            if let Some(props) = v.get("properties").and_then(Value::as_object) {
                for (name, p) in props {
                    if p.get("description").is_none() {
                        missing.push(format!("{path}/{name}"));
                    }
                    walk(p, &format!("{path}/{name}"), missing);
                }
            }
            if let Some(defs) = v.get("$defs").and_then(Value::as_object) {
                for (name, d) in defs {
                    walk(d, &format!("$defs/{name}"), missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(
            &serde_json::from_str(GOLD_SCHEMA).unwrap(),
            "gold",
            &mut missing,
        );
        assert!(
            missing.is_empty(),
            "fields without description: {missing:?}"
        );
    }
}
