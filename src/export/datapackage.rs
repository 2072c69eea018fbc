//! `datapackage.json`: a Frictionless Tabular Data Package (v1) describing every exported table:
//! its fields with types, descriptions (from `schemas/`) and constraints, its primary and foreign
//! keys, a CSV file's size and sha256; licences and sources left empty for the publisher; and the
//! referat and run that produced the datasets. Nothing in it depends on the time or the machine,
//! so the same datasets give the same file.

use std::path::Path;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::tables::{About, Column, Table, TableSpec, Ty, TIME_FORMAT};
use crate::db::dataset::RunData;
use crate::pipeline::manifest::{Manifest, MANIFEST_FILE};

pub const FILE: &str = "datapackage.json";

/// The file formats a data package can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Parquet,
}

/// One data file written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file name, relative to the package.
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
}

impl Written {
    pub fn of(path: String, bytes: &[u8]) -> Written {
        Written {
            path,
            bytes: bytes.len(),
            sha256: hex(&Sha256::digest(bytes)),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The JSON Schema of a dataset, parsed.
fn dataset_schema(dataset: &str) -> Value {
    let (_, text) = crate::emit::schema::SCHEMAS
        .iter()
        .find(|(name, _)| *name == dataset)
        .unwrap_or_else(|| panic!("no schema for {dataset}"));
    serde_json::from_str(text).expect("bundled schema is JSON")
}

/// The schema node `about` points at, if it points into the schema.
fn node(schema: &Value, about: About) -> Option<&Value> {
    match about {
        About::Schema(pointer) => schema.pointer(pointer),
        About::Own(_) => None,
    }
}

/// The description of a table or column.
pub fn description(schema: &Value, about: About) -> String {
    match about {
        About::Own(text) => text.to_string(),
        About::Schema(pointer) => schema
            .pointer(pointer)
            .and_then(|n| n.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no description at {pointer}"))
            .to_string(),
    }
}

/// The constraints of a column: required, and what the JSON Schema says of its values
/// (allowed values, bounds, a whole-value pattern). A list's item constraints apply to the
/// column that holds its items.
fn constraints(schema: &Value, c: &Column) -> Map<String, Value> {
    let mut out = Map::new();
    if c.required {
        out.insert("required".into(), true.into());
    }
    let Some(n) = node(schema, c.about) else {
        return out;
    };
    let n = if n.get("type").and_then(Value::as_str) == Some("array") {
        n.get("items").unwrap_or(n)
    } else {
        n
    };
    if let Some(values) = n.get("enum").and_then(Value::as_array) {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        out.insert("enum".into(), values.into());
    }
    if c.ty == Ty::Integer {
        for bound in ["minimum", "maximum"] {
            if let Some(v) = n.get(bound) {
                out.insert(bound.into(), v.clone());
            }
        }
    }
    // Frictionless matches a pattern against the whole value; only the JSON Schema's
    // whole-value patterns mean the same there.
    if c.ty == Ty::String {
        if let Some(p) = n.get("pattern").and_then(Value::as_str) {
            if p.starts_with('^') && p.ends_with('$') {
                out.insert("pattern".into(), p.into());
            }
        }
    }
    out
}

fn field(schema: &Value, c: &Column) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), c.name.into());
    f.insert("type".into(), c.ty.name().into());
    if c.ty == Ty::Time {
        f.insert("format".into(), TIME_FORMAT.into());
    }
    f.insert("description".into(), description(schema, c.about).into());
    let constraints = constraints(schema, c);
    if !constraints.is_empty() {
        f.insert("constraints".into(), constraints.into());
    }
    Value::Object(f)
}

/// The Table Schema of one table.
pub fn table_schema(spec: &TableSpec) -> Value {
    let schema = dataset_schema(spec.dataset);
    let foreign_keys: Vec<Value> = spec
        .foreign_keys
        .iter()
        .map(|k| {
            json!({
                "fields": k.columns,
                "reference": {"resource": k.table, "fields": k.referenced},
            })
        })
        .collect();
    json!({
        "fields": spec.columns.iter().map(|c| field(&schema, c)).collect::<Vec<_>>(),
        "primaryKey": spec.primary_key,
        "foreignKeys": foreign_keys,
        "missingValues": [""],
    })
}

fn resource(t: &Table, file: &Written, format: TableFormat) -> Value {
    let schema = dataset_schema(t.spec.dataset);
    let mut r = json!({
        "name": t.spec.name,
        "path": file.path,
        "profile": "tabular-data-resource",
        "description": description(&schema, t.spec.about),
        "schema": table_schema(t.spec),
    });
    // Size and hash let a reader check the files; Frictionless checks them only for text
    // formats (it reads Parquet through pandas, which reports neither), so a Parquet resource
    // that declared them would fail its validation.
    let extra = match format {
        TableFormat::Csv => json!({
            "bytes": file.bytes,
            "hash": format!("sha256:{}", file.sha256),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {
                "delimiter": ",",
                "lineTerminator": super::csv::LINE_TERMINATOR,
                "quoteChar": "\"",
                "doubleQuote": true,
                "header": true,
            },
        }),
        TableFormat::Parquet => json!({
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
        }),
    };
    for (k, v) in extra.as_object().expect("an object") {
        r[k] = v.clone();
    }
    r
}

/// What produced the datasets: the manifest `extract` keeps in the output directory (absent
/// for `resolve` output), and the sha256 and line count of each dataset file, which identify
/// the run's output exactly.
fn run_description(dir: &Path, run: &RunData) -> Result<Value, String> {
    let manifest: Option<Manifest> = std::fs::read_to_string(dir.join(MANIFEST_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let mut datasets = Map::new();
    for (name, lines) in &run.lines {
        let path = dir.join(format!("{name}.jsonl"));
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        datasets.insert(
            format!("{name}.jsonl"),
            json!({"lines": lines.len(), "sha256": hex(&Sha256::digest(&bytes))}),
        );
    }
    Ok(json!({
        "referat_version": manifest.as_ref().map(|m| m.referat_version.clone()),
        "settings": manifest.as_ref().map(|m| m.settings.clone()),
        "documents": run.data.documents.len(),
        "datasets": datasets,
    }))
}

/// The whole package.
pub fn package(
    dir: &Path,
    run: &RunData,
    tables: &[Table],
    written: &[Written],
    format: TableFormat,
) -> Result<Value, String> {
    let resources: Vec<Value> = tables
        .iter()
        .zip(written)
        .map(|(t, w)| resource(t, w, format))
        .collect();
    Ok(json!({
        "profile": "tabular-data-package",
        "name": "referat-datasets",
        "title": "Meetings of public bodies, read from their published meeting papers",
        "description": "The datasets of a referat run (meetings, participants, cases and their \
            decisions, cross-references, people, bodies, the input documents and data-quality \
            warnings) as tables: one per dataset, and one per nested list keyed by its parent's \
            id and the item's position (seq). Column names and meanings are the datasets' \
            (their JSON Schemas); empty text is null. The publisher fills in licenses and \
            sources.",
        "licenses": [],
        "sources": [],
        "referat": {
            "version": env!("CARGO_PKG_VERSION"),
            "run": run_description(dir, run)?,
        },
        "resources": resources,
    }))
}

/// Writes `datapackage.json` into `out`.
pub fn write(
    dir: &Path,
    run: &RunData,
    tables: &[Table],
    written: &[Written],
    format: TableFormat,
    out: &Path,
) -> Result<(), String> {
    let package = package(dir, run, tables, written, format)?;
    let mut text = serde_json::to_string_pretty(&package).expect("JSON serialises");
    text.push('\n');
    let path = out.join(FILE);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tables::TABLES;

    /// Every description the package takes from `schemas/` is there, so a renamed schema field
    /// fails here rather than in an export.
    #[test]
    fn every_table_and_column_is_described() {
        for spec in &TABLES {
            let schema = dataset_schema(spec.dataset);
            assert!(
                !description(&schema, spec.about).is_empty(),
                "{}",
                spec.name
            );
            for c in spec.columns {
                let text = description(&schema, c.about);
                assert!(!text.is_empty(), "{}.{}", spec.name, c.name);
            }
        }
    }

    #[test]
    fn constraints_come_from_the_schema() {
        let find = |table: &str, column: &str| {
            let spec = TABLES.iter().find(|t| t.name == table).unwrap();
            let s = table_schema(spec);
            s["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == column)
                .unwrap()
                .clone()
        };
        assert_eq!(
            find("participants", "attendance")["constraints"],
            json!({"required": true, "enum": ["present", "absent", "unknown"]})
        );
        // The enum of a list of strings applies to the column of its items.
        assert!(find("meeting_documents", "kind")["constraints"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("minutes")));
        assert_eq!(
            find("meeting_sources", "page")["constraints"],
            json!({"required": true, "minimum": 1})
        );
        // "^doc-" is a prefix; Frictionless would match it against the whole value.
        assert!(find("meeting_sources", "document_id")["constraints"]
            .get("pattern")
            .is_none());
        assert_eq!(
            find("body_names", "from")["constraints"]["pattern"],
            json!("^\\d{4}(-\\d{2}(-\\d{2})?)?$")
        );
        assert_eq!(find("meetings", "start_time")["format"], json!("%H:%M"));
        assert_eq!(find("meetings", "date")["type"], json!("date"));
    }
}
