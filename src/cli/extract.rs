//! `referat extract`: the batch over a corpus, from input paths to committed datasets.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::progress::Progress;
use super::{inputs, ExtractArgs, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::emit::{self, Transaction};
use crate::ocr::{OcrMode, OcrOptions};
use crate::pipeline::batch;
use crate::pipeline::manifest::{self, Cache, Manifest};
use crate::read::Limits;
use crate::records::Datasets;
use crate::resolve;
use crate::vocab::Vocabulary;

pub const AFTER_HELP: &str = "\
Examples:
  referat extract                                # corpus/ -> output/
  referat extract corpus/pdf/*.lo.pdf --out lo   # some files
  find archive -name '*.pdf' | referat extract - --out data --jobs 2
  referat extract archive --out data --force     # re-parse everything

A re-run into the same DIR re-parses only new or changed PDFs (by sha256); the results of the
others are kept in DIR/.referat-partials.jsonl. All files in DIR are replaced together: a run
that is interrupted leaves the previous datasets in place.

Exit codes: 0 done (failed documents are lines in documents.jsonl), 1 with --strict when a
document failed, 2 usage error or an input/output that cannot be read or written.";

/// Failed documents listed one by one in the summary; the rest are counted.
const FAILURES_SHOWN: usize = 20;

pub fn run(args: ExtractArgs) -> i32 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("referat: {e}");
            EXIT_USAGE
        }
    }
}

fn run_inner(args: &ExtractArgs) -> Result<i32, String> {
    let files = inputs::collect(&args.inputs)?;
    if files.is_empty() {
        return Err(format!(
            "no PDF files in {}",
            args.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let processing = &args.processing;
    let (vocab, vocab_print) = load_vocabulary(processing.vocab.as_deref())?;
    let vocab = Arc::new(vocab);
    let settings = settings_fingerprint(&processing.limits(), processing.ocr, &vocab_print);

    let out = &args.out;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Held from reading the earlier results to committing the new ones.
    let _lock = emit::commit::lock(out).map_err(|e| e.to_string())?;
    emit::recover(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let cache = if args.force {
        Cache::default()
    } else {
        Cache::load(out, &settings)
    };
    if let Some(why) = &cache.discarded {
        eprintln!(
            "referat: earlier results in {} not reused: {why}",
            out.display()
        );
    }
    eprintln!(
        "referat: {} input files, {} earlier results in {}",
        files.len(),
        cache.len(),
        out.display()
    );

    if let Some(jobs) = processing.jobs {
        // Documents run on the batch's own pool (or, under a time limit, on threads of their
        // own); the parallel parts inside a document (lopdf's object parsing) use the global
        // pool, capped here too. It is never blocked by the batch, so the two cannot deadlock.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let progress = Progress::new(files.len(), std::io::stderr().is_terminal());
    let config = processing.batch_config(progress.ocr_hook());
    let batch = batch::run(&files, &cache, &vocab, &config, &|d| {
        progress.document_done(d)
    })
    .map_err(|e| format!("cannot start worker threads: {e}"))?;
    progress.finish();
    drop(cache);

    // The partial results are written before resolve consumes them.
    let mut tx = Transaction::begin(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write_err = |e: std::io::Error| format!("cannot write to {}: {e}", out.display());
    tx.write(manifest::PARTIALS_FILE, |w| {
        manifest::write_partials(
            w,
            batch
                .results
                .iter()
                .filter(|r| batch.reusable.contains(&r.document.id)),
        )
    })
    .map_err(write_err)?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        referat_version: env!("CARGO_PKG_VERSION").to_string(),
        settings,
        inputs: batch.inputs,
    };
    tx.write(manifest::MANIFEST_FILE, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        w.write_all(b"\n")
    })
    .map_err(write_err)?;
    let (parsed, reused) = (batch.parsed, batch.reused);
    let datasets = resolve::resolve(batch.results, &vocab);
    emit::stage_datasets(&datasets, &mut tx).map_err(write_err)?;
    tx.commit().map_err(write_err)?;

    let failed = summarise(&datasets, parsed, reused, &progress, out);
    Ok(if args.strict && failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}

/// Prints the end-of-run summary; returns the number of failed documents.
fn summarise(
    ds: &Datasets,
    parsed: usize,
    reused: usize,
    progress: &Progress,
    out: &Path,
) -> usize {
    let count = |s: &str| ds.documents.iter().filter(|d| d.status == s).count();
    let (ok, partial, failed) = (count("ok"), count("partial"), count("failed"));
    let secs = progress.elapsed().as_secs_f64();
    let unresolved = ds
        .references
        .iter()
        .filter(|r| r.resolved_id.is_none())
        .count();
    eprintln!(
        "referat: {} documents: {ok} ok, {partial} partial, {failed} failed; {parsed} parsed, \
         {reused} reused from earlier runs",
        ds.documents.len()
    );
    eprintln!(
        "referat: {} meetings, {} cases, {} participants, {} people, {} references \
         ({unresolved} unresolved), {} warnings",
        ds.meetings.len(),
        ds.cases.len(),
        ds.participants.len(),
        ds.people.len(),
        ds.references.len(),
        ds.warnings.len()
    );
    let ocred: usize = ds.documents.iter().map(|d| d.ocr_pages.len()).sum();
    if ocred > 0 {
        let unsure: usize = ds
            .documents
            .iter()
            .flat_map(|d| &d.ocr_pages)
            .map(|p| p.low_confidence_words)
            .sum();
        eprintln!(
            "referat: {ocred} scanned pages read by OCR, {unsure} low-confidence words flagged in \
             warnings"
        );
    }
    for d in ds
        .documents
        .iter()
        .filter(|d| d.status == "failed")
        .take(FAILURES_SHOWN)
    {
        eprintln!(
            "referat: failed: {}",
            d.errors.first().map_or("(no message)", |e| e.as_str())
        );
    }
    if failed > FAILURES_SHOWN {
        eprintln!(
            "referat: ... and {} more failed (see documents.jsonl)",
            failed - FAILURES_SHOWN
        );
    }
    let memory = peak_memory_mib().map_or(String::new(), |m| format!(", peak memory {m} MiB"));
    eprintln!(
        "referat: {secs:.1} s, {:.1} pages/s parsed{memory} -> {}",
        progress.pages_parsed() as f64 / secs.max(1e-3),
        out.display()
    );
    failed
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// The vocabulary and a fingerprint of what it was loaded from.
pub(super) fn load_vocabulary(dir: Option<&Path>) -> Result<(Vocabulary, String), String> {
    let Some(dir) = dir else {
        return Ok((Vocabulary::builtin(), "builtin".into()));
    };
    if !dir.is_dir() {
        return Err(format!("--vocab {}: not a directory", dir.display()));
    }
    let mut hasher = Sha256::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("--vocab {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    for path in &names {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let vocab = Vocabulary::with_extra_dir(dir).map_err(|e| format!("--vocab: {e}"))?;
    Ok((vocab, hex(&hasher.finalize())))
}

/// Everything besides a PDF's bytes that shapes its result: the referat build itself (so a
/// rebuilt parser never reuses stale results), the vocabulary, the limits and the OCR setting
/// and engine.
fn settings_fingerprint(limits: &Limits, ocr: OcrMode, vocab_print: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION"));
    let exe = std::env::current_exe().and_then(std::fs::read);
    match exe {
        Ok(bytes) => hasher.update(&bytes),
        // Without its own bytes the build cannot be told apart: never reuse.
        Err(_) => hasher.update(format!("{:?}", std::time::SystemTime::now())),
    }
    hasher.update(vocab_print);
    // Results made without OCR must not be reused by a run that OCRs, nor the reverse; nor
    // results made before Tesseract (or a language model) was installed or upgraded.
    hasher.update(format!("ocr={ocr:?} "));
    if ocr != OcrMode::Never {
        let engine = crate::ocr::tesseract::probe(&OcrOptions::default().command)
            .ok()
            .map(|e| (e.version, e.languages));
        hasher.update(format!("engine={engine:?} "));
    }
    hasher.update(format!(
        "{} {} {}",
        limits.max_stream_bytes, limits.max_objects, limits.max_form_depth
    ));
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
