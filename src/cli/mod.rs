//! The command line: a thin layer over the pipeline stages.

mod distributed;
mod eval;
mod extract;
mod inputs;
mod options;
mod progress;
mod stats;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::{emit, extract as text_engine, ocr, read};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: some documents failed (`extract --strict`) or some lines are invalid (`validate`).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: usage error, or an input or output that cannot be read or written.
pub const EXIT_USAGE: i32 = 2;

const AFTER_HELP: &str = "\
Examples:
  referat extract                             # corpus/ -> output/
  referat extract archive/2019 archive/2020 --out data --jobs 2
  find archive -name '*.pdf' | referat extract - --out data
  referat validate data
  referat stats data
  referat eval data gold/
  referat export data --format parquet
  referat text package.pdf | less

Exit codes:
  0  success
  1  extract --strict: some documents failed; validate: some lines are invalid;
     eval --min-f1 X: the overall F1 is below X
  2  usage error, or an input or output that cannot be read or written; eval: a gold file is
     invalid";

#[derive(Parser)]
#[command(
    name = "referat",
    version,
    about = "Meeting PDFs of governance bodies to JSON Lines datasets",
    long_about = "Reads the published meeting packages (PDF) of governance bodies and writes \
                  normalised datasets: documents, bodies, meetings, participants, cases, \
                  references, people, warnings (one JSON object per line).",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read PDFs and write the datasets (re-parsing only new or changed files).
    #[command(after_help = extract::AFTER_HELP)]
    Extract(ExtractArgs),
    /// Print the text of a PDF: its lines in reading order, a blank line between paragraphs,
    /// pages separated by a form feed.
    #[command(
        after_help = "Examples:\n  referat text package.pdf\n  referat text package.pdf --json | jq '.pages[0].blocks[].text'"
    )]
    Text {
        file: PathBuf,
        /// Print the positioned structure (pages, blocks, lines, words, tables) as JSON.
        #[arg(long)]
        json: bool,
        /// OCR pages without a usable text layer (auto), every scanned page (always), or none.
        #[arg(long, value_name = "WHEN", default_value = "auto")]
        ocr: ocr::OcrMode,
    },
    /// The per-document half: PDFs in, one line of partial records per document to stdout.
    #[command(after_help = distributed::PARSE_HELP)]
    Parse(distributed::ParseArgs),
    /// The corpus-wide half: partial-record lines of `parse` in, the datasets out.
    #[command(after_help = distributed::RESOLVE_HELP)]
    Resolve(distributed::ResolveArgs),
    /// Check every line of every dataset in DIR against its JSON Schema.
    #[command(
        after_help = "Examples:\n  referat validate output\n\nExit codes: 0 all lines valid, 1 some invalid (each printed as FILE:LINE: reason), 2 DIR unreadable."
    )]
    Validate {
        /// The output directory of `referat extract`.
        #[arg(default_value = "output")]
        dir: PathBuf,
    },
    /// Summarise datasets: meetings and cases per body and year, attendance, unresolved
    /// references, warnings by kind.
    #[command(after_help = "Examples:\n  referat stats output\n  referat stats output --json")]
    Stats {
        #[arg(default_value = "output")]
        dir: PathBuf,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Score the datasets against gold files: precision, recall and F1 per field, strict and
    /// soft for text, and the overall F1; or write a draft gold file for one document.
    #[command(after_help = eval::AFTER_HELP)]
    Eval(eval::EvalArgs),
    /// Load the datasets of an extract run into SQLite or PostgreSQL.
    Load(crate::db::cli::LoadArgs),
    /// Full-text search over the cases of a loaded database.
    Search(crate::db::cli::SearchArgs),
    /// Write the datasets in another format: CSV or Parquet tables with a Frictionless
    /// datapackage.json, or eInnsyn's Noark 5 meeting XML.
    #[command(after_help = crate::export::AFTER_HELP)]
    Export(crate::export::ExportArgs),
    /// Write a static HTML site of the datasets: an overview, a page per body, meeting and
    /// person, the documents with their warnings, and the reference graph.
    #[command(after_help = crate::report::AFTER_HELP)]
    Report(crate::report::ReportArgs),
}

#[derive(Args)]
struct ExtractArgs {
    /// PDF files, directories (searched recursively for *.pdf), or `-` to read paths from
    /// stdin, one per line.
    #[arg(default_value = "corpus")]
    inputs: Vec<PathBuf>,
    /// Where the datasets go (created if missing).
    #[arg(long, short, default_value = "output")]
    out: PathBuf,
    /// Re-parse every document, ignoring the results of earlier runs kept in DIR.
    #[arg(long)]
    force: bool,
    /// Exit with code 1 when a document failed.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    processing: options::ProcessingArgs,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => {
            let code = extract::run(args);
            warn_if_ocr_missing();
            code
        }
        Command::Text { file, json, ocr } => {
            let code = run_text(&file, json, ocr);
            warn_if_ocr_missing();
            code
        }
        Command::Parse(args) => {
            let code = distributed::run_parse(args);
            warn_if_ocr_missing();
            code
        }
        Command::Resolve(args) => distributed::run_resolve(args),
        Command::Validate { dir } => run_validate(&dir),
        Command::Stats { dir, json } => stats::run(&dir, json),
        Command::Eval(args) => eval::run(args),
        Command::Load(args) => crate::db::cli::run_load(&args),
        Command::Search(args) => crate::db::cli::run_search(&args),
        Command::Export(args) => crate::export::run(&args),
        Command::Report(args) => crate::report::run(&args),
    }
}

/// One warning per run, however many pages needed the missing engine.
fn warn_if_ocr_missing() {
    if let Some(why) = ocr::engine_missing_warning() {
        eprintln!("referat: warning: {why}; pages without a text layer were not OCRed");
    }
}

fn run_text(file: &Path, json: bool, mode: ocr::OcrMode) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("referat: {}: {e}", file.display());
            return EXIT_USAGE;
        }
    };
    let limits = read::Limits::default();
    let pdf = match read::open_bytes(&bytes, &limits) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("referat: {}: {e}", file.display());
            return EXIT_USAGE;
        }
    };
    // Repairs made while opening (a damaged xref, pages that could not be read) are worth
    // knowing when reading the text.
    for w in &pdf.warnings {
        eprintln!("referat: {}: {w}", file.display());
    }
    let mut doc = text_engine::extract(&pdf, &limits);
    let options = ocr::OcrOptions {
        mode,
        ..Default::default()
    };
    let ocred = ocr::ocr_document(&pdf, &mut doc, &options).len();
    if ocred > 0 {
        eprintln!("referat: {}: {ocred} pages OCRed", file.display());
    }
    let mut out = if json {
        serde_json::to_string(&doc).expect("text model serialises")
    } else {
        doc.plain_text()
    };
    if json {
        out.push('\n');
    }
    // A reader that stops early (`| head`) closes the pipe: that is not an error.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("referat: writing the text of {}: {e}", file.display());
            EXIT_USAGE
        }
    }
}

/// Opens an output directory for reading, finishing an interrupted commit first so the files
/// read are one run's.
pub(crate) fn open_output(dir: &Path) -> Result<(), String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    match emit::recover(dir) {
        Ok(_) => Ok(()),
        // A run is writing: its files are each whole, read them as they are.
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            eprintln!("referat: note: {e}");
            Ok(())
        }
        Err(e) => Err(format!(
            "{}: cannot finish an interrupted run: {e}",
            dir.display()
        )),
    }
}

fn run_validate(dir: &Path) -> i32 {
    if let Err(e) = open_output(dir) {
        eprintln!("referat: {e}");
        return EXIT_USAGE;
    }
    let report = match emit::schema::validate_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    for invalid in &report.invalid {
        println!("{invalid}");
    }
    let lines: usize = report.lines.iter().map(|(_, n)| n).sum();
    if report.invalid.is_empty() {
        eprintln!(
            "referat: {} datasets, {lines} lines: all valid",
            report.lines.len()
        );
        EXIT_OK
    } else {
        eprintln!(
            "referat: {} problems in {lines} lines of {}",
            report.invalid.len(),
            dir.display()
        );
        EXIT_FAILED
    }
}
