//! `referat export`: the datasets of a run in other formats, each in a module of its own.
//! This module holds only what they share: the arguments, the check of the export directory,
//! and the dispatch.

pub mod csv;
pub mod datapackage;
pub mod parquet;
pub mod tables;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::{EXIT_OK, EXIT_USAGE};

pub const AFTER_HELP: &str = "\
Examples:
  referat export output --format csv          # output/export-csv/*.csv + datapackage.json
  referat export output --format parquet --out /srv/open-data/referat --force

Exit codes: 0 exported; 2 DIR is not a referat output, a dataset line is invalid (named with its
file and line), EXPORT_DIR exists and is not empty (without --force), or a file cannot be written.";

#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// The output directory of `referat extract` (holds documents.jsonl, cases.jsonl, ...).
    pub dir: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where the export goes (default DIR/export-FORMAT); created if missing.
    #[arg(long, value_name = "EXPORT_DIR")]
    pub out: Option<PathBuf>,
    /// Write into EXPORT_DIR even if it is not empty (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One CSV file per table (RFC 4180, UTF-8) and a Frictionless datapackage.json.
    Csv,
    /// One Parquet file per table (typed, Snappy-compressed) and a Frictionless datapackage.json.
    Parquet,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// Runs `referat export`; returns the process exit code.
pub fn run(args: &ExportArgs) -> i32 {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join(format!("export-{}", args.format.name())));
    if let Err(e) = check_out(&out, args.force) {
        eprintln!("referat: {e}");
        return EXIT_USAGE;
    }
    let result = match args.format {
        Format::Csv => csv::export(&args.dir, &out),
        Format::Parquet => parquet::export(&args.dir, &out),
    };
    match result {
        Ok(summary) => {
            println!(
                "referat: exported {} to {} as {}: {summary}",
                args.dir.display(),
                out.display(),
                args.format.name()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("referat: {e}");
            EXIT_USAGE
        }
    }
}

/// The export directory must be absent or empty unless `force`: an export never mixes its
/// files with others unasked.
fn check_out(out: &Path, force: bool) -> Result<(), String> {
    if out.exists() && !force {
        let mut entries = std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{}: exists and is not empty; choose another --out, or --force to write into it",
                out.display()
            ));
        }
    }
    Ok(())
}

/// Creates the export directory; a format calls it once its input has been read and checked,
/// so that bad input leaves no empty directory behind.
pub fn create_out(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))
}
