//! Runs the per-document half over a whole corpus on a thread pool, reusing what an earlier
//! run parsed, and returns the results in an order that does not depend on the inputs' order or
//! on scheduling.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use super::guard::process_limited;
use super::manifest::{stat, Cache, InputEntry};
use super::{failed, sha256_hex, unreadable, DocumentResult};
use crate::ocr::OcrOptions;
use crate::read::Limits;
use crate::vocab::Vocabulary;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    pub limits: Limits,
    /// When and how pages are OCRed; each document gets its own deadline.
    pub ocr: OcrOptions,
    /// Time limit per document.
    pub timeout: Option<Duration>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Largest file read; 0 means no limit. A file is held in memory while it is processed.
    pub max_file_bytes: u64,
}

/// Largest file read unless told otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

impl Default for BatchConfig {
    fn default() -> BatchConfig {
        BatchConfig {
            limits: Limits::default(),
            ocr: OcrOptions::default(),
            timeout: None,
            jobs: 0,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// How one document's result was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read, extracted and parsed in this run.
    Parsed,
    /// Taken from an earlier run's results: same bytes, same settings.
    Reused,
    /// The file could not be read from disk.
    Unreadable,
}

/// One finished document, as reported to the progress display.
pub struct Done<'a> {
    pub result: &'a DocumentResult,
    pub origin: Origin,
}

/// What a batch produced.
#[derive(Debug, Default)]
pub struct BatchOutput {
    /// One per document id, sorted by id.
    pub results: Vec<DocumentResult>,
    /// What to remember for the next run: one per readable input path, sorted by path.
    pub inputs: Vec<InputEntry>,
    /// Document ids whose results may be reused by a later run (those that hit no time limit).
    pub reusable: std::collections::BTreeSet<String>,
    pub parsed: usize,
    pub reused: usize,
}

struct Item {
    result: DocumentResult,
    origin: Origin,
    entry: Option<InputEntry>,
    timed_out: bool,
}

/// Processes every path (already expanded to files). `on_done` is called once per path, from
/// worker threads, as soon as that document is finished.
pub fn run(
    paths: &[PathBuf],
    cache: &Cache,
    vocab: &Arc<Vocabulary>,
    config: &BatchConfig,
    on_done: &(dyn Fn(Done<'_>) + Sync),
) -> std::io::Result<BatchOutput> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .thread_name(|i| format!("referat-worker-{i}"))
        .stack_size(8 << 20)
        .build()
        .map_err(std::io::Error::other)?;
    let items: Vec<Item> = pool.install(|| {
        paths
            .par_iter()
            .map(|p| {
                let item = one(p, cache, vocab, config);
                on_done(Done {
                    result: &item.result,
                    origin: item.origin,
                });
                item
            })
            .collect()
    });
    Ok(assemble(items))
}

fn one(
    path: &std::path::Path,
    cache: &Cache,
    vocab: &Arc<Vocabulary>,
    config: &BatchConfig,
) -> Item {
    let shown = path.display().to_string();
    let unreadable_item = |e: &std::io::Error| Item {
        result: unreadable(&shown, e),
        origin: Origin::Unreadable,
        entry: None,
        timed_out: false,
    };
    let (size, modified_ns) = match stat(path) {
        Ok(s) => s,
        Err(e) => return unreadable_item(&e),
    };
    let entry = |result: &DocumentResult| {
        Some(InputEntry {
            path: shown.clone(),
            size,
            modified_ns,
            sha256: result.document.sha256.clone(),
            document_id: result.document.id.clone(),
            status: result.document.status.clone(),
        })
    };
    // An untouched file is not even read again.
    if let Some(result) = cache
        .known_sha(&shown, size, modified_ns)
        .and_then(|sha| cache.result(sha, &shown))
    {
        return Item {
            entry: entry(&result),
            result,
            origin: Origin::Reused,
            timed_out: false,
        };
    }
    if config.max_file_bytes > 0 && size > config.max_file_bytes {
        return Item {
            result: failed(
                &shown,
                "",
                format!(
                    "{shown}: limit exceeded: the file has {size} bytes, more than the {} of \
                     --max-file-mib",
                    config.max_file_bytes
                ),
            ),
            origin: Origin::Unreadable,
            entry: None,
            timed_out: false,
        };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable_item(&e),
    };
    let sha = sha256_hex(&bytes);
    if let Some(result) = cache.result(&sha, &shown) {
        return Item {
            entry: entry(&result),
            result,
            origin: Origin::Reused,
            timed_out: false,
        };
    }
    let outcome = if bytes.is_empty() {
        super::Outcome {
            result: failed(&shown, &sha, format!("{shown}: empty file (0 bytes)")),
            timed_out: false,
        }
    } else {
        process_limited(
            &shown,
            &sha,
            bytes,
            vocab,
            &config.limits,
            &config.ocr,
            config.timeout,
        )
    };
    Item {
        entry: entry(&outcome.result),
        result: outcome.result,
        origin: Origin::Parsed,
        timed_out: outcome.timed_out,
    }
}

fn assemble(mut items: Vec<Item>) -> BatchOutput {
    let mut out = BatchOutput::default();
    for item in &items {
        match item.origin {
            Origin::Parsed => out.parsed += 1,
            Origin::Reused => out.reused += 1,
            Origin::Unreadable => {}
        }
    }
    out.inputs = items.iter().filter_map(|i| i.entry.clone()).collect();
    out.inputs.sort_by(|a, b| a.path.cmp(&b.path));
    out.inputs.dedup_by(|a, b| a.path == b.path);
    items.sort_by(|a, b| {
        a.result
            .document
            .id
            .cmp(&b.result.document.id)
            .then_with(|| super::preference(&a.result).cmp(&super::preference(&b.result)))
    });
    items.dedup_by(|later, first| later.result.document.id == first.result.document.id);
    for item in items {
        if !item.timed_out && item.origin != Origin::Unreadable {
            out.reusable.insert(item.result.document.id.clone());
        }
        out.results.push(item.result);
    }
    out
}
