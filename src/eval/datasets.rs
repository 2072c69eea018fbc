//! The datasets scored: the rows of an output directory as JSON values, read as they are (an
//! older run's files score as well as this one's).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

/// The rows `eval` reads from an output directory; a missing file is no rows.
#[derive(Debug, Clone, Default)]
pub struct Datasets {
    pub documents: Vec<Value>,
    pub meetings: Vec<Value>,
    pub participants: Vec<Value>,
    pub cases: Vec<Value>,
    pub references: Vec<Value>,
}

impl Datasets {
    /// Reads `documents`, `meetings`, `participants`, `cases` and `references` from `dir`.
    /// Errors name the file and line.
    pub fn load(dir: &Path) -> Result<Datasets, String> {
        Ok(Datasets {
            documents: load_jsonl(&dir.join("documents.jsonl"))?,
            meetings: load_jsonl(&dir.join("meetings.jsonl"))?,
            participants: load_jsonl(&dir.join("participants.jsonl"))?,
            cases: load_jsonl(&dir.join("cases.jsonl"))?,
            references: load_jsonl(&dir.join("references.jsonl"))?,
        })
    }
}

/// The JSON values of a JSON Lines file, blank lines skipped; none when the file is missing.
pub fn load_jsonl(path: &Path) -> Result<Vec<Value>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: not JSON: {e}", path.display(), i + 1))?;
        rows.push(v);
    }
    Ok(rows)
}

/// The rows of a dataset by their meeting, in file order.
pub(super) struct ByMeeting<'a> {
    rows: HashMap<String, Vec<&'a Value>>,
}

/// The identity of a JSON value as a map key (a missing field is null).
pub(super) fn ident(v: Option<&Value>) -> String {
    v.unwrap_or(&Value::Null).to_string()
}

impl<'a> ByMeeting<'a> {
    pub(super) fn new(rows: &'a [Value]) -> ByMeeting<'a> {
        let mut map: HashMap<String, Vec<&'a Value>> = HashMap::new();
        for r in rows {
            map.entry(ident(r.get("meeting_id"))).or_default().push(r);
        }
        ByMeeting { rows: map }
    }

    /// The rows whose `meeting_id` is `id`.
    pub(super) fn of(&self, id: Option<&Value>) -> &[&'a Value] {
        self.rows.get(&ident(id)).map(Vec::as_slice).unwrap_or(&[])
    }
}
