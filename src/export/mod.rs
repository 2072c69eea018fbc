//! `referat export`: the datasets of a run in other formats, each in a module of its own.
//! This module holds only what they share: the arguments, the check of the export directory,
//! and the dispatch.

pub mod csv;
pub mod datapackage;
pub mod einnsyn;
pub mod parquet;
pub mod tables;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::{open_output, EXIT_OK, EXIT_USAGE};
use crate::db::dataset::read_files;

pub const AFTER_HELP: &str = "\
Examples:
  referat export output --format csv          # output/export-csv/*.csv + datapackage.json
  referat export output --format parquet --out /srv/open-data/referat --force
  referat export output --format einnsyn --archive-settings arkiv.toml --out einnsyn

Exit codes: 0 exported; 2 DIR is not a referat output, a dataset line is invalid (named with its
file and line), EXPORT_DIR exists and is not empty (without --force), a settings file is
invalid, or a file cannot be written.";

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
    #[command(flatten)]
    pub einnsyn: einnsyn::EinnsynArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One CSV file per table (RFC 4180, UTF-8) and a Frictionless datapackage.json.
    Csv,
    /// One Parquet file per table (typed, Snappy-compressed) and a Frictionless datapackage.json.
    Parquet,
    /// Noark 5 arkivstruktur XML with eInnsyn's meeting model, one file per meeting.
    Einnsyn,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Einnsyn => "einnsyn",
        }
    }
}

/// Runs `referat export`; returns the process exit code. Every error is one line on stderr.
pub fn run(args: &ExportArgs) -> i32 {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join(format!("export-{}", args.format.name())));
    let result = match args.format {
        Format::Csv => check_out(&out, args.force).and_then(|()| csv::export(&args.dir, &out)),
        Format::Parquet => {
            check_out(&out, args.force).and_then(|()| parquet::export(&args.dir, &out))
        }
        // As `validate` and `stats`: an interrupted commit is finished first, and a run that
        // is writing does not stop an export, as each file is whole.
        Format::Einnsyn => open_output(&args.dir)
            .and_then(|()| read_files(&args.dir))
            .and_then(|run| {
                check_out(&out, args.force)?;
                einnsyn::run(&run, &out, &args.einnsyn)
            }),
    };
    match result {
        Ok(summary) => {
            eprintln!(
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
pub fn check_out(out: &Path, force: bool) -> Result<(), String> {
    if force {
        return Ok(());
    }
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(format!(
                    "{}: exists and is not empty; choose another --out, or --force to write into it",
                    out.display()
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", out.display())),
    }
}

/// Creates the export directory; a format calls it once its input has been read and checked,
/// so that bad input leaves no empty directory behind.
pub fn create_out(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))
}
