//! Stage 6, emit: writes the datasets as JSON Lines, all files of a run replaced together
//! (`commit`), and checks them against their JSON Schemas (`schema`).

pub mod commit;
pub mod schema;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::records::Datasets;
pub use commit::{recover, Transaction};

/// The dataset files (`NAME.jsonl`), in the order they are written.
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

/// Writes every dataset into `dir`, replacing the earlier ones together.
pub fn write_datasets(ds: &Datasets, dir: &Path) -> std::io::Result<()> {
    let mut tx = Transaction::begin(dir)?;
    stage_datasets(ds, &mut tx)?;
    tx.commit()
}

/// Adds every dataset to a transaction, so that other files can be committed with them.
pub fn stage_datasets(ds: &Datasets, tx: &mut Transaction) -> std::io::Result<()> {
    stage(tx, "documents", &ds.documents)?;
    stage(tx, "bodies", &ds.bodies)?;
    stage(tx, "meetings", &ds.meetings)?;
    stage(tx, "participants", &ds.participants)?;
    stage(tx, "cases", &ds.cases)?;
    stage(tx, "references", &ds.references)?;
    stage(tx, "people", &ds.people)?;
    stage(tx, "warnings", &ds.warnings)?;
    Ok(())
}

fn stage<T: Serialize>(tx: &mut Transaction, name: &str, rows: &[T]) -> std::io::Result<()> {
    tx.write(&format!("{name}.jsonl"), |w| write_jsonl(w, rows))
}

/// One JSON object per line, each line ending in a newline.
pub fn write_jsonl<T: Serialize>(w: &mut dyn Write, rows: &[T]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *w, row)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
