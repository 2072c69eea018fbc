//! The seam between the per-document "map" (read, extract, segment, parse) and the corpus-wide
//! "reduce" (resolve, emit): one JSON line per document, a serialised `DocumentResult`.
//!
//! `referat parse` writes these lines, `referat resolve` reads them back. Reading is idempotent
//! over duplicates (a task that a distributed runner retried, a path listed twice): the same
//! document id is kept once, so the datasets do not change.

pub mod synthetic;

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use crate::pipeline::{preference, DocumentResult};

/// Writes one document's partial records as one line.
pub fn write_line<W: Write>(out: &mut W, result: &DocumentResult) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, result)?;
    out.write_all(b"\n")
}

/// Reads partial-record lines from files, in any order and with duplicates, into one result
/// per document id, sorted by id. A line that is not a `DocumentResult` is an error naming the
/// file and line: the reduce must not silently lose a document.
pub fn read_files(paths: &[impl AsRef<Path>]) -> Result<Vec<DocumentResult>, String> {
    let mut by_id: BTreeMap<String, DocumentResult> = BTreeMap::new();
    for path in paths {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let result: DocumentResult = serde_json::from_str(&line).map_err(|e| {
                format!(
                    "{}:{}: not a partial-records line: {e}",
                    path.display(),
                    n + 1
                )
            })?;
            insert(&mut by_id, result);
        }
    }
    Ok(by_id.into_values().collect())
}

/// Keeps one result per document id. Two results for one id come from the same bytes, so they
/// agree unless one run failed where the other did not (a lost executor); the one
/// `pipeline::preference` ranks first wins, whatever order the lines arrived in.
fn insert(by_id: &mut BTreeMap<String, DocumentResult>, result: DocumentResult) {
    match by_id.get(&result.document.id) {
        Some(kept) if preference(kept) <= preference(&result) => {}
        _ => {
            by_id.insert(result.document.id.clone(), result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::ParsedRecords;
    use crate::records::DocumentRow;

    fn result(id: &str, path: &str, status: &str) -> DocumentResult {
        DocumentResult {
            document: DocumentRow {
                id: id.into(),
                path: path.into(),
                sha256: "00".into(),
                pages: 1,
                producer: None,
                status: status.into(),
                errors: Vec::new(),
                segments: Vec::new(),
                ocr_pages: Vec::new(),
            },
            records: ParsedRecords::default(),
        }
    }

    fn roundtrip(results: &[DocumentResult]) -> Vec<DocumentResult> {
        let dir = std::env::temp_dir().join(format!("referat-partials-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("p{}.jsonl", results.len()));
        let mut buf = Vec::new();
        for r in results {
            write_line(&mut buf, r).unwrap();
        }
        std::fs::write(&file, buf).unwrap();
        let back = read_files(&[&file]).unwrap();
        std::fs::remove_file(&file).unwrap();
        back
    }

    #[test]
    fn duplicates_collapse_whatever_their_order() {
        let a = result("doc-a", "x/a.pdf", "ok");
        let b = result("doc-b", "x/b.pdf", "ok");
        let failed_a = result("doc-a", "x/a.pdf", "failed");
        let one = roundtrip(&[a.clone(), b.clone(), failed_a.clone()]);
        let two = roundtrip(&[failed_a, b.clone(), a.clone(), b.clone()]);
        assert_eq!(one, two);
        assert_eq!(one, vec![a, b]);
    }

    #[test]
    fn ocr_pages_travel_and_older_lines_without_them_still_read() {
        let mut scanned = result("doc-s", "x/s.pdf", "ok");
        scanned.document.ocr_pages = vec![crate::records::OcrPageRow {
            page: 2,
            engine: "tesseract".into(),
            engine_version: "5.3.0".into(),
            model: "nor".into(),
            mean_confidence: 91,
            low_confidence_words: 4,
        }];
        assert_eq!(roundtrip(std::slice::from_ref(&scanned)), vec![scanned]);
        // A line written before documents had `ocr_pages` (a referat parse of an older version).
        let file = std::env::temp_dir().join(format!("referat-old-{}.jsonl", std::process::id()));
        std::fs::write(
            &file,
            r#"{"document":{"id":"doc-o","path":"o.pdf","sha256":"00","pages":1,"producer":null,"status":"ok","errors":[],"segments":[]},"records":{"meetings":[],"warnings":[]}}"#,
        )
        .unwrap();
        let back = read_files(&[&file]).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert!(back[0].document.ocr_pages.is_empty());
    }

    #[test]
    fn a_bad_line_names_file_and_line() {
        let file = std::env::temp_dir().join(format!("referat-bad-{}.jsonl", std::process::id()));
        std::fs::write(&file, "\n{\"not\": 1}\n").unwrap();
        let err = read_files(&[&file]).unwrap_err();
        std::fs::remove_file(&file).unwrap();
        assert!(err.contains(":2: not a partial-records line"), "{err}");
    }
}
