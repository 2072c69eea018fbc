//! Reads the JSON Lines datasets of an `extract` run, remembering each row's line so that a
//! load error can name it.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::records::Datasets;

/// The datasets of one run, with the 1-based line of every row in its file.
#[derive(Debug, Default)]
pub struct RunData {
    pub data: Datasets,
    /// Per dataset name (as in `emit::DATASETS`), the line numbers of its rows in order.
    pub lines: Vec<(&'static str, Vec<usize>)>,
}

impl RunData {
    /// Where row `index` of dataset `name` came from, e.g. "cases.jsonl line 12".
    pub fn origin(&self, name: &str, index: usize) -> String {
        let line = self
            .lines
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, l)| l.get(index).copied())
            .unwrap_or(index + 1);
        format!("{name}.jsonl line {line}")
    }
}

/// Reads every dataset in `dir`. `documents.jsonl` must exist (it marks an extract run); the
/// others may be missing (an older or partial run) and then count as empty.
pub fn read_run(dir: &Path) -> Result<RunData, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    // A run killed while committing its files is finished first, so the files read are one
    // run's, as for every command that opens an output directory.
    crate::emit::recover(dir)
        .map_err(|e| format!("{}: cannot finish an interrupted run: {e}", dir.display()))?;
    read_files(dir)
}

/// Reads every dataset in `dir` as the files are, for a caller that has already finished an
/// interrupted commit or accepts the files of a run that is committing (each file is whole).
pub fn read_files(dir: &Path) -> Result<RunData, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    if !dir.join("documents.jsonl").is_file() {
        return Err(format!(
            "{}: no documents.jsonl here; is this the output directory of `referat extract`?",
            dir.display()
        ));
    }
    let mut run = RunData::default();
    run.data.documents = read(dir, "documents", &mut run.lines)?;
    run.data.bodies = read(dir, "bodies", &mut run.lines)?;
    run.data.meetings = read(dir, "meetings", &mut run.lines)?;
    run.data.participants = read(dir, "participants", &mut run.lines)?;
    run.data.cases = read(dir, "cases", &mut run.lines)?;
    run.data.references = read(dir, "references", &mut run.lines)?;
    run.data.people = read(dir, "people", &mut run.lines)?;
    run.data.warnings = read(dir, "warnings", &mut run.lines)?;
    Ok(run)
}

fn read<T: DeserializeOwned>(
    dir: &Path,
    name: &'static str,
    lines: &mut Vec<(&'static str, Vec<usize>)>,
) -> Result<Vec<T>, String> {
    let path = dir.join(format!("{name}.jsonl"));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            lines.push((name, Vec::new()));
            return Ok(Vec::new());
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut rows = Vec::new();
    let mut numbers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row = serde_json::from_str(line)
            .map_err(|e| format!("{} line {}: {e}", path.display(), i + 1))?;
        rows.push(row);
        numbers.push(i + 1);
    }
    lines.push((name, numbers));
    Ok(rows)
}
