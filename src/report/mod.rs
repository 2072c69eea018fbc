//! `referat report`: a static, self-contained HTML site of a run's datasets, to look at rather
//! than read: an index, a page per body, meeting and person, the run's documents with their
//! warnings, and the reference graph.
//!
//! The site needs no server and no network: every page is a file, the one style sheet is beside
//! them, charts are inline SVG, and there is no script at all. Pages come from the templates in
//! `templates/` (compiled into the binary), rendered with HTML autoescaping on everything,
//! since names and titles come from untrusted PDFs.

mod chart;
mod diff;
mod graph;
mod pages;
mod site;

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use crate::cli::{open_output, EXIT_OK, EXIT_USAGE};
use crate::db::dataset::read_files;
use crate::export::check_out;

pub use site::{write_site, Summary};

pub const AFTER_HELP: &str = "\
Examples:
  referat report output                       # output/report/index.html
  referat report output --out /srv/www/referat --force
  chromium output/report/index.html

Exit codes: 0 written; 2 DIR is not a referat output, a dataset line is invalid (named with its
file and line), SITE_DIR exists and is not empty (without --force), or a file cannot be
written.";

#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// The output directory of `referat extract` (holds documents.jsonl, meetings.jsonl, ...).
    pub dir: PathBuf,
    /// Where the site goes (default DIR/report); created if missing.
    #[arg(long, value_name = "SITE_DIR")]
    pub out: Option<PathBuf>,
    /// Write into SITE_DIR even if it is not empty (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
}

/// Runs `referat report`; returns the process exit code. Every error is one line on stderr.
pub fn run(args: &ReportArgs) -> i32 {
    let start = Instant::now();
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("report"));
    // As `export`: an interrupted commit is finished first, and a run that is writing does not
    // stop a report, as each file is whole.
    let result = open_output(&args.dir)
        .and_then(|()| read_files(&args.dir))
        .and_then(|run| {
            check_out(&out, args.force)?;
            write_site(&run.data, &out)
        });
    match result {
        Ok(summary) => {
            eprintln!(
                "referat: report of {} written to {}: {summary} in {:.2} s; open {}",
                args.dir.display(),
                out.display(),
                start.elapsed().as_secs_f64(),
                out.join("index.html").display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("referat: {e}");
            EXIT_USAGE
        }
    }
}

/// The file name of a page for a record id: ids hold `/` and may hold anything a PDF said, so
/// every character outside `[A-Za-z0-9_-]` becomes `-`; `used` makes names that collide after
/// that distinct (`-2`, `-3`, ... in the order the ids come, which is sorted, so stable).
pub(crate) fn file_stem(id: &str, used: &mut std::collections::HashSet<String>) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(120)
        .collect();
    if stem.is_empty() {
        stem.push('-');
    }
    let mut candidate = stem.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{stem}-{n}");
    }
    candidate
}

/// Writes `text` to `dir/name`, naming the file in the error.
pub(crate) fn write_file(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_distinct() {
        let mut used = Default::default();
        assert_eq!(
            file_stem("nasjonalt-e-helserad/2022/6", &mut used),
            "nasjonalt-e-helserad-2022-6"
        );
        assert_eq!(
            file_stem("nasjonalt-e-helserad-2022/6", &mut used),
            "nasjonalt-e-helserad-2022-6-2"
        );
        assert_eq!(file_stem("../../etc", &mut used), "------etc");
        assert_eq!(file_stem("", &mut used), "-");
    }
}
