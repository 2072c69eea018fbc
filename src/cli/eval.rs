//! `referat eval`: the datasets of a run scored against gold files, and `--draft` gold files
//! to correct.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{open_output, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::eval;

/// Exit code of `eval`: a gold file is invalid (each problem printed as
/// `FILE: at /field: reason`).
pub const EXIT_BAD_GOLD: i32 = 2;

pub(super) const AFTER_HELP: &str = "\
Matching: meetings by date (then body, number and year; a gold meeting with neither date nor
number by the case numbers and names it shares), participants by name, cases by case number,
references by from-case, kind and target. Text fields (location, case title, proposed decision,
decision) count as right when their similarity ratio to the gold is >= 0.95 (soft; the
'(strict)' lines ask for equality after normalisation: NFC, soft hyphens removed, whitespace
collapsed). The overall F1 counts every field once (text by the soft measure). The gold format:
docs/gold-format.md, schemas/gold.schema.json.

Examples:
  referat eval output corpus/gold
  referat eval output gold/ --per-document --misses | less
  referat eval output gold/ --min-f1 0.95          # in CI: exit 1 below 0.95
  referat eval --draft doc-0123456789abcdef output > gold/my-meeting.json

Exit codes:
  0  scored (or draft written)
  1  --min-f1 X: the overall F1 is below X
  2  a gold file is invalid (each problem printed as FILE: at /field: reason), or OUT_DIR,
     a dataset or a gold file cannot be read";

#[derive(Args)]
pub(super) struct EvalArgs {
    /// The output directory of `referat extract`.
    #[arg(value_name = "OUT_DIR")]
    out_dir: PathBuf,
    /// Gold files (JSON), or directories searched for *.json.
    #[arg(value_name = "GOLD", required_unless_present = "draft")]
    gold: Vec<PathBuf>,
    /// A score per gold file (its meetings, and the invented meetings of its document).
    #[arg(long)]
    per_document: bool,
    /// Every missed, wrong or invented value: the gold beside what was found.
    #[arg(long)]
    misses: bool,
    /// The whole report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Exit with code 1 when the overall F1 is below X (0 to 1).
    #[arg(long, value_name = "X")]
    min_f1: Option<f64>,
    /// Print a draft gold file for the document DOC_ID (its id, path or file name in
    /// documents.jsonl) from the datasets in OUT_DIR, to correct by hand.
    #[arg(long, value_name = "DOC_ID", conflicts_with_all = ["gold", "per_document", "misses", "json", "min_f1"])]
    draft: Option<String>,
}

/// Writes to stdout; a reader that stops early (`| head`) is no error.
fn print(text: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("referat: writing the report: {e}");
            EXIT_USAGE
        }
    }
}

pub(super) fn run(args: EvalArgs) -> i32 {
    if let Some(x) = args.min_f1 {
        if !(0.0..=1.0).contains(&x) {
            eprintln!("referat: --min-f1 {x}: must be between 0 and 1");
            return EXIT_USAGE;
        }
    }
    if let Err(e) = open_output(&args.out_dir) {
        eprintln!("referat: {e}");
        return EXIT_USAGE;
    }
    let datasets = match eval::Datasets::load(&args.out_dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    if let Some(doc) = &args.draft {
        let gold = match eval::draft(&datasets, doc) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("referat: {}: {e}", args.out_dir.display());
                return EXIT_USAGE;
            }
        };
        let mut text = serde_json::to_string_pretty(&gold).expect("gold serialises");
        text.push('\n');
        return print(&text);
    }
    let golds = match eval::load_golds(&args.gold) {
        Ok(g) => g,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!(
                "referat: {} problem{} in the gold; nothing scored",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            return EXIT_BAD_GOLD;
        }
    };
    let report = eval::score(&datasets, &golds);
    let code = if args.json {
        let mut text = report.to_json().to_string();
        text.push('\n');
        print(&text)
    } else {
        print(&report.to_text(eval::TextOptions {
            per_document: args.per_document,
            misses: args.misses,
        }))
    };
    if code != EXIT_OK {
        return code;
    }
    let f1 = report.overall().f1;
    match args.min_f1 {
        Some(x) if f1 < x => {
            eprintln!("referat: overall F1 {f1:.3} is below --min-f1 {x}");
            EXIT_FAILED
        }
        _ => EXIT_OK,
    }
}
