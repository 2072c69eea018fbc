//! `referat parse` and `referat resolve`: the pipeline split at its natural seam, for runners
//! that distribute documents over machines (Spark, Kubernetes jobs). `parse` is the map: paths
//! in, one line of partial records per document out, each document independent of the others.
//! `resolve` is the reduce: partial-record lines in, the datasets out. `extract` is the two in
//! one process and writes exactly the same datasets.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Args;

use super::{inputs, EXIT_OK, EXIT_USAGE};
use crate::emit::{self, Transaction};
use crate::partials;
use crate::pipeline::batch;
use crate::pipeline::manifest::Cache;
use crate::resolve;

pub const PARSE_HELP: &str = "\
Examples:
  referat parse corpus/pdf/a.pdf corpus/pdf/b.pdf > partials.jsonl
  find archive -name '*.pdf' | referat parse - > partials.jsonl

Writes one JSON line per document (a document's row and its partial records) to stdout as
soon as that document is done. A document that cannot be read or parsed is a line with
status failed, never a failed run: the exit code is 0 unless stdout cannot be written (2).";

pub const RESOLVE_HELP: &str = "\
Examples:
  referat resolve partials.jsonl --out data
  referat resolve spark-out/partials/part-* --out data

Duplicate lines for one document (a retried task) are kept once, so the datasets do not
change. The datasets in DIR are replaced together, as `extract` does.";

#[derive(Args)]
pub struct ParseArgs {
    /// PDF files or directories, or `-` for paths on stdin, one per line. A path that cannot
    /// be read becomes a failed document line, not an error of the run.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    processing: super::options::ProcessingArgs,
}

#[derive(Args)]
pub struct ResolveArgs {
    /// Files of partial-record lines written by `referat parse`.
    #[arg(required = true)]
    partials: Vec<PathBuf>,
    /// Where the datasets go (created if missing).
    #[arg(long, short, default_value = "output")]
    out: PathBuf,
    /// A directory of vocabulary files extending the built-in ones.
    #[arg(long, value_name = "DIR")]
    vocab: Option<PathBuf>,
}

/// Paths from the arguments; stdin lines are taken one by one, so that one missing file is a
/// failed document, not a failed task.
fn parse_inputs(args: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for input in args {
        if input.as_os_str() == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| format!("cannot read paths from stdin: {e}"))?;
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() {
                    continue;
                }
                let path = PathBuf::from(line);
                if path.is_dir() {
                    out.extend(inputs::collect(&[path])?);
                } else {
                    out.push(path);
                }
            }
        } else if input.is_dir() {
            out.extend(inputs::collect(std::slice::from_ref(input))?);
        } else {
            out.push(input.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub fn run_parse(args: ParseArgs) -> i32 {
    let files = match parse_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    let vocab = match super::extract::load_vocabulary(args.processing.vocab.as_deref()) {
        Ok((v, _)) => Arc::new(v),
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    let config = args.processing.batch_config(None);
    let stdout = Mutex::new(std::io::BufWriter::new(std::io::stdout()));
    let write_error = Mutex::new(None::<std::io::Error>);
    let on_done = |d: batch::Done<'_>| {
        let mut out = stdout.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = partials::write_line(&mut *out, d.result).and_then(|_| out.flush()) {
            write_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
        }
    };
    if let Err(e) = batch::run(&files, &Cache::default(), &vocab, &config, &on_done) {
        eprintln!("referat: cannot start worker threads: {e}");
        return EXIT_USAGE;
    }
    match write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => {
            eprintln!("referat: cannot write to stdout: {e}");
            EXIT_USAGE
        }
        None => EXIT_OK,
    }
}

pub fn run_resolve(args: ResolveArgs) -> i32 {
    let results = match partials::read_files(&args.partials) {
        Ok(r) => r,
        Err(e) => {
            // A partials file that cannot be read is an unreadable input: exit 2, as the
            // README's table of exit codes says.
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    let vocab = match super::extract::load_vocabulary(args.vocab.as_deref()) {
        Ok((v, _)) => v,
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    let n = results.len();
    let datasets = resolve::resolve(results, &vocab);
    let out = &args.out;
    let written = std::fs::create_dir_all(out)
        .and_then(|_| emit::recover(out).map(|_| ()))
        .and_then(|_| Transaction::begin(out))
        .and_then(|mut tx| {
            emit::stage_datasets(&datasets, &mut tx)?;
            tx.commit()
        });
    if let Err(e) = written {
        eprintln!("referat: cannot write datasets to {}: {e}", out.display());
        return EXIT_USAGE;
    }
    eprintln!(
        "referat: {n} documents, {} meetings, {} cases -> {}",
        datasets.meetings.len(),
        datasets.cases.len(),
        out.display()
    );
    EXIT_OK
}
