//! The command line: a thin layer over the pipeline stages.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use rayon::prelude::*;

use crate::{emit, extract, pipeline, read, resolve, vocab::Vocabulary};

#[derive(Parser)]
#[command(
    name = "referat",
    version,
    about = "Meeting PDFs of governance bodies to datasets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read PDFs and write the datasets.
    Extract {
        /// PDF files or directories (searched recursively).
        #[arg(default_value = "corpus")]
        inputs: Vec<PathBuf>,
        /// Where the datasets go.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// A directory of vocabulary files (labels.toml, bodies.toml, ...) extending the
        /// built-in vocabulary, e.g. for another body.
        #[arg(long)]
        vocab: Option<PathBuf>,
    },
    /// Print the text of a PDF: blocks one per line, pages separated by a form feed.
    Text {
        file: PathBuf,
        /// Print the positioned structure as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract { inputs, out, vocab } => run_extract(&inputs, &out, vocab.as_deref()),
        Command::Text { file, json } => run_text(&file, json),
    }
}

fn collect_pdfs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(p) {
                for e in rd.flatten() {
                    walk(&e.path(), out);
                }
            }
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            out.push(p.to_path_buf());
        }
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_file() {
            out.push(i.clone());
        } else {
            walk(i, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn run_extract(inputs: &[PathBuf], out: &Path, vocab_dir: Option<&Path>) -> i32 {
    let vocab = match vocab_dir {
        Some(dir) => match Vocabulary::with_extra_dir(dir) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("referat: vocabulary: {e}");
                return 2;
            }
        },
        None => Vocabulary::builtin(),
    };
    let limits = read::Limits::default();
    let files = collect_pdfs(inputs);
    let results: Vec<_> = files
        .par_iter()
        .map(|f| pipeline::process_file(f, &vocab, &limits))
        .collect();
    let ds = resolve::resolve(results, &vocab);
    if let Err(e) = emit::write_datasets(&ds, out) {
        eprintln!("referat: cannot write datasets to {}: {e}", out.display());
        return 2;
    }
    eprintln!(
        "referat: {} documents -> {}",
        ds.documents.len(),
        out.display()
    );
    0
}

fn run_text(file: &Path, json: bool) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("referat: {}: {e}", file.display());
            return 2;
        }
    };
    let limits = read::Limits::default();
    let pdf = match read::open_bytes(&bytes, &limits) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("referat: {}: {e}", file.display());
            return 2;
        }
    };
    let doc = extract::extract(&pdf, &limits);
    if json {
        println!(
            "{}",
            serde_json::to_string(&doc).expect("text model serialises")
        );
    } else {
        print!("{}", doc.plain_text());
    }
    0
}
