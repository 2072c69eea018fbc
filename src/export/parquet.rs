//! `--format parquet`: one Parquet file per table, typed columns (UTF-8 text, 64-bit integers,
//! booleans, dates, times of day in milliseconds), Snappy-compressed, one row group per table.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int64Builder, StringBuilder, Time32MillisecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{NaiveDate, Timelike};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::datapackage::{self, Written};
use super::tables::{self, Cell, Table, Ty};

/// Exports the run in `dir` into `out`; returns the summary line.
pub fn export(dir: &Path, out: &Path) -> Result<String, String> {
    let (run, tables) = tables::read_and_build(dir)?;
    super::create_out(out)?;
    let mut written = Vec::new();
    for t in &tables {
        let name = format!("{}.parquet", t.spec.name);
        let path = out.join(&name);
        write_table(t, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(Written::of(name, &bytes));
    }
    datapackage::write(
        dir,
        &run,
        &tables,
        &written,
        datapackage::TableFormat::Parquet,
        out,
    )?;
    Ok(format!(
        "{} tables, {} rows",
        tables.len(),
        tables::row_count(&tables)
    ))
}

fn data_type(ty: Ty) -> DataType {
    match ty {
        Ty::String => DataType::Utf8,
        Ty::Integer => DataType::Int64,
        Ty::Boolean => DataType::Boolean,
        Ty::Date => DataType::Date32,
        Ty::Time => DataType::Time32(TimeUnit::Millisecond),
    }
}

/// The Arrow schema of a table: a required column is not nullable.
///
/// pandas reads an integer column with nulls as floats (NaN for null) unless the file's
/// "pandas" metadata names the nullable integer type `Int64` for it; with floats a page number
/// reads as 5.0, and frictionless, which reads Parquet through pandas, reports a null as a type
/// error. So the nullable integer columns are named there (pyarrow keeps the other columns'
/// types as the Parquet schema gives them).
pub fn schema(t: &Table) -> Schema {
    let fields: Vec<Field> = t
        .spec
        .columns
        .iter()
        .map(|c| Field::new(c.name, data_type(c.ty), !c.required))
        .collect();
    let nullable_integers: Vec<serde_json::Value> = t
        .spec
        .columns
        .iter()
        .filter(|c| c.ty == Ty::Integer && !c.required)
        .map(|c| {
            serde_json::json!({"name": c.name, "field_name": c.name, "pandas_type": "int64",
                "numpy_type": "Int64", "metadata": null})
        })
        .collect();
    if nullable_integers.is_empty() {
        return Schema::new(fields);
    }
    let pandas = serde_json::json!({
        "index_columns": [],
        "column_indexes": [],
        "columns": nullable_integers,
    });
    Schema::new_with_metadata(
        fields,
        std::collections::HashMap::from([("pandas".to_string(), pandas.to_string())]),
    )
}

/// Column `c` of the table as an Arrow array. The cells were made for the column's type in
/// `tables`, so a cell of another type is a bug there.
fn column(t: &Table, c: usize) -> ArrayRef {
    let cells = t.rows.iter().map(|row| &row[c]);
    let mismatch = |cell: &Cell| -> ! {
        panic!(
            "{}.{}: {cell:?} in a {:?} column",
            t.spec.name, t.spec.columns[c].name, t.spec.columns[c].ty
        )
    };
    match t.spec.columns[c].ty {
        Ty::String => {
            let mut b = StringBuilder::new();
            for cell in cells {
                match cell {
                    Cell::Null => b.append_null(),
                    Cell::Text(s) => b.append_value(s),
                    other => mismatch(other),
                }
            }
            Arc::new(b.finish())
        }
        Ty::Integer => {
            let mut b = Int64Builder::new();
            for cell in cells {
                match cell {
                    Cell::Null => b.append_null(),
                    Cell::Int(i) => b.append_value(*i),
                    other => mismatch(other),
                }
            }
            Arc::new(b.finish())
        }
        Ty::Boolean => {
            let mut b = BooleanBuilder::new();
            for cell in cells {
                match cell {
                    Cell::Null => b.append_null(),
                    Cell::Bool(v) => b.append_value(*v),
                    other => mismatch(other),
                }
            }
            Arc::new(b.finish())
        }
        Ty::Date => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
            let mut b = Date32Builder::new();
            for cell in cells {
                match cell {
                    Cell::Null => b.append_null(),
                    // Days since 1970-01-01; every date of the datasets (years 0-9999) fits.
                    Cell::Date(d) => b.append_value((*d - epoch).num_days() as i32),
                    other => mismatch(other),
                }
            }
            Arc::new(b.finish())
        }
        Ty::Time => {
            let mut b = Time32MillisecondBuilder::new();
            for cell in cells {
                match cell {
                    Cell::Null => b.append_null(),
                    Cell::Time(time) => {
                        b.append_value(time.num_seconds_from_midnight() as i32 * 1000)
                    }
                    other => mismatch(other),
                }
            }
            Arc::new(b.finish())
        }
    }
}

/// The table as a record batch.
pub fn batch(t: &Table) -> Result<RecordBatch, String> {
    let columns = (0..t.spec.columns.len()).map(|c| column(t, c)).collect();
    RecordBatch::try_new(Arc::new(schema(t)), columns).map_err(|e| e.to_string())
}

fn write_table(t: &Table, path: &Path) -> Result<(), String> {
    let batch = batch(t)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = File::create(path).map_err(|e| e.to_string())?;
    let mut writer =
        ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(|e| e.to_string())?;
    writer.write(&batch).map_err(|e| e.to_string())?;
    writer.close().map_err(|e| e.to_string())?;
    Ok(())
}
