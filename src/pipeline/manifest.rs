//! What earlier runs into an output directory parsed, so that a re-run parses only new or
//! changed PDFs.
//!
//! Two files beside the datasets, written in the same commit as them (see `emit::commit`):
//! - `.referat-manifest.json`: the referat version and settings fingerprint of the run, and for
//!   each input its path, size, modification time and sha256 (so an untouched file is not even
//!   re-read);
//! - `.referat-partials.jsonl`: one `DocumentResult` per line, sorted by document id: the
//!   per-document half of the pipeline, in the same line format `referat parse` streams, so the
//!   corpus-wide half (resolve) can be re-run from it alone.
//!
//! A result is reused only by content (sha256) and only when the fingerprint (the referat build,
//! the vocabulary, the limits) is the same: a new build or vocabulary re-parses everything.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::DocumentResult;

pub const MANIFEST_FILE: &str = ".referat-manifest.json";
pub const PARTIALS_FILE: &str = ".referat-partials.jsonl";
/// Bumped when the files above change shape.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub referat_version: String,
    /// Fingerprint of everything besides the PDF that shapes a document's result.
    pub settings: String,
    /// Sorted by path.
    pub inputs: Vec<InputEntry>,
}

/// One input file as the run saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEntry {
    pub path: String,
    pub size: u64,
    /// Nanoseconds since the Unix epoch; 0 when the file system does not say.
    pub modified_ns: u128,
    pub sha256: String,
    pub document_id: String,
    pub status: String,
}

/// Size and modification time of a file, to tell whether it may have changed.
pub fn stat(path: &Path) -> std::io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok((meta.len(), modified))
}

/// The results an earlier run left, by sha256, and what it knew of each input path.
#[derive(Debug, Default)]
pub struct Cache {
    by_sha: HashMap<String, DocumentResult>,
    by_path: HashMap<String, InputEntry>,
    /// Why the earlier results are not used, when there were some.
    pub discarded: Option<String>,
}

impl Cache {
    /// Loads the cache of `dir` if it was made with the same fingerprint. A missing,
    /// unreadable or foreign cache is an empty one, never an error: it only costs time.
    pub fn load(dir: &Path, settings: &str) -> Cache {
        let manifest_path = dir.join(MANIFEST_FILE);
        let Ok(text) = std::fs::read_to_string(&manifest_path) else {
            return Cache::default();
        };
        let discard = |why: String| Cache {
            discarded: Some(why),
            ..Cache::default()
        };
        let manifest: Manifest = match serde_json::from_str(&text) {
            Ok(m) => m,
            Err(e) => return discard(format!("{}: unreadable: {e}", manifest_path.display())),
        };
        if manifest.format != FORMAT {
            return discard(format!(
                "manifest format {} is not {FORMAT}",
                manifest.format
            ));
        }
        if manifest.settings != settings {
            return discard(format!(
                "made by another referat build ({}) or with another vocabulary or limits",
                manifest.referat_version
            ));
        }
        let by_sha = match read_partials(&dir.join(PARTIALS_FILE)) {
            Ok(results) => results
                .into_iter()
                .map(|r| (r.document.sha256.clone(), r))
                .collect(),
            Err(e) => return discard(e),
        };
        let by_path = manifest
            .inputs
            .into_iter()
            .map(|e| (e.path.clone(), e))
            .collect();
        Cache {
            by_sha,
            by_path,
            discarded: None,
        }
    }

    /// The sha256 an earlier run found for this path, if the file's size and modification time
    /// are still the same.
    pub fn known_sha(&self, path: &str, size: u64, modified_ns: u128) -> Option<&str> {
        let e = self.by_path.get(path)?;
        (e.size == size && e.modified_ns == modified_ns && modified_ns != 0)
            .then_some(e.sha256.as_str())
    }

    /// The earlier result for these bytes, reported under `path`.
    pub fn result(&self, sha: &str, path: &str) -> Option<DocumentResult> {
        let mut r = self.by_sha.get(sha)?.clone();
        r.document.path = path.to_string();
        for e in &mut r.document.errors {
            // Messages name the file: name the one this run read.
            if let Some(rest) = e.strip_prefix(self.by_sha[sha].document.path.as_str()) {
                *e = format!("{path}{rest}");
            }
        }
        Some(r)
    }

    pub fn len(&self) -> usize {
        self.by_sha.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_sha.is_empty()
    }
}

fn read_partials(path: &Path) -> Result<Vec<DocumentResult>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let r = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        out.push(r);
    }
    Ok(out)
}

/// Writes the partial-results file: one `DocumentResult` per line.
pub fn write_partials<'a>(
    w: &mut dyn Write,
    results: impl IntoIterator<Item = &'a DocumentResult>,
) -> std::io::Result<()> {
    for r in results {
        serde_json::to_writer(&mut *w, r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
