//! `--format csv`: one RFC 4180 file per table (UTF-8, comma, header row, CRLF line ends,
//! quoted only where needed; null as an empty field).

use std::path::Path;

use super::datapackage::{self, Written};
use super::tables::{self, Table};

/// How the files are written, declared as the resources' dialect in `datapackage.json`.
pub const LINE_TERMINATOR: &str = "\r\n";

/// Exports the run in `dir` into `out`; returns the summary line.
pub fn export(dir: &Path, out: &Path) -> Result<String, String> {
    let (run, tables) = tables::read_and_build(dir)?;
    super::create_out(out)?;
    let mut written = Vec::new();
    for t in &tables {
        written.push(write_table(t, out)?);
    }
    datapackage::write(
        dir,
        &run,
        &tables,
        &written,
        datapackage::TableFormat::Csv,
        out,
    )?;
    Ok(format!(
        "{} tables, {} rows",
        tables.len(),
        tables::row_count(&tables)
    ))
}

fn write_table(t: &Table, out: &Path) -> Result<Written, String> {
    let name = format!("{}.csv", t.spec.name);
    let path = out.join(&name);
    let bytes = to_csv(t).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Written::of(name, &bytes))
}

/// The table as CSV bytes.
pub fn to_csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(t.spec.columns.iter().map(|c| c.name))?;
    for row in &t.rows {
        w.write_record(row.iter().map(|cell| cell.to_text()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tables::{Cell, TABLES};

    #[test]
    fn rfc_4180_quoting_and_nulls() {
        let spec = TABLES
            .iter()
            .find(|t| t.name == "case_action_items")
            .unwrap();
        let t = Table {
            spec,
            rows: vec![
                vec![
                    Cell::Text("m/sak/1".into()),
                    Cell::Int(0),
                    Cell::Text("Svar, \"snarest\"\nog følg opp".into()),
                ],
                vec![Cell::Text("m/sak/1".into()), Cell::Int(1), Cell::Null],
            ],
            lines: vec![1, 1],
        };
        let text = String::from_utf8(to_csv(&t).unwrap()).unwrap();
        assert_eq!(
            text,
            "case_id,seq,action_item\r\n\
             m/sak/1,0,\"Svar, \"\"snarest\"\"\nog følg opp\"\r\n\
             m/sak/1,1,\r\n"
        );
    }
}
