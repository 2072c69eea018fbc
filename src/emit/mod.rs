//! Stage 6, emit: writes the datasets as JSON Lines, atomically (temporary file, then rename).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::records::Datasets;

/// The dataset files, in the order they are written.
pub const DATASETS: [&str; 8] = [
    "documents",
    "bodies",
    "meetings",
    "participants",
    "cases",
    "references",
    "people",
    "warnings",
];

/// Writes every dataset into `dir`.
pub fn write_datasets(ds: &Datasets, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_jsonl(dir, "documents", &ds.documents)?;
    write_jsonl(dir, "bodies", &ds.bodies)?;
    write_jsonl(dir, "meetings", &ds.meetings)?;
    write_jsonl(dir, "participants", &ds.participants)?;
    write_jsonl(dir, "cases", &ds.cases)?;
    write_jsonl(dir, "references", &ds.references)?;
    write_jsonl(dir, "people", &ds.people)?;
    write_jsonl(dir, "warnings", &ds.warnings)?;
    Ok(())
}

fn write_jsonl<T: Serialize>(dir: &Path, name: &str, rows: &[T]) -> std::io::Result<()> {
    let path = dir.join(format!("{name}.jsonl"));
    let tmp = dir.join(format!(".{name}.jsonl.tmp"));
    let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    for row in rows {
        serde_json::to_writer(&mut w, row)?;
        w.write_all(b"\n")?;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, &path)
}
