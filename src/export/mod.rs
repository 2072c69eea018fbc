//! `referat export`: the datasets of an extract run written in another format, one module per
//! format. This part holds only what the formats share: the arguments, the check of the export
//! directory, and the dispatch.

pub mod einnsyn;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::{open_output, EXIT_OK, EXIT_USAGE};
use crate::db::dataset::read_files;

pub const AFTER_HELP: &str = "\
Examples:
  referat export output --format einnsyn --out einnsyn
  referat export output --format einnsyn --archive-settings arkiv.toml --out einnsyn

Exit codes: 0 written; 2 DIR is not the output of `referat extract`, EXPORT_DIR is not empty
(without --force), a settings file is invalid, or a file cannot be written.";

#[derive(Args)]
pub struct ExportArgs {
    /// The output directory of `referat extract`.
    pub dir: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where the export goes (created if missing; must be empty unless --force).
    #[arg(long, value_name = "EXPORT_DIR", default_value = "export")]
    pub out: PathBuf,
    /// Write into EXPORT_DIR even when it holds files (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub einnsyn: einnsyn::EinnsynArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Noark 5 arkivstruktur XML with eInnsyn's meeting model, one file per meeting.
    Einnsyn,
}

/// Runs `referat export`; returns the exit code. Every error is one line on stderr.
pub fn run(args: &ExportArgs) -> i32 {
    // As `validate` and `stats`: an interrupted commit is finished first, and a run that is
    // writing (or another reader finishing one) does not stop an export, as each file is whole.
    let result = open_output(&args.dir)
        .and_then(|()| read_files(&args.dir))
        .and_then(|run| {
            check_out_dir(&args.out, args.force)?;
            match args.format {
                Format::Einnsyn => einnsyn::run(&run, &args.out, &args.einnsyn),
            }
        });
    match result {
        Ok(summary) => {
            eprintln!("referat: {summary}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("referat: {e}");
            EXIT_USAGE
        }
    }
}

/// An export never mixes its files with others' unless asked to: EXPORT_DIR must be absent or
/// empty, or `--force` given.
pub fn check_out_dir(out: &Path, force: bool) -> Result<(), String> {
    if force {
        return Ok(());
    }
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(format!(
                    "{}: not empty; choose an empty or new directory, or give --force",
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
