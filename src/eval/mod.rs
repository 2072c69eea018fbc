//! Evaluation: scoring the datasets of a run against gold annotations (hand-checked gold
//! files, one per document; `schemas/gold.schema.json`, docs/gold-format.md), field by field,
//! as precision, recall and F1.
//!
//! An output-side tool beside `emit` and `db`: it reads an output directory and gold files and
//! reports; nothing in the pipeline depends on it. The matching reproduces the reference
//! scorer `score-gold` (the corpus's Python script) exactly, so that both print the same
//! figures: meetings by date (then body, number and year), participants by name, cases by case
//! number, references by from-case, kind and target; text strict (equal after normalisation)
//! and soft (similarity ratio >= [`SOFT_THRESHOLD`]).
//!
//! ```no_run
//! use referat::eval;
//! let golds = eval::load_golds(&["corpus/gold".into()]).expect("valid gold");
//! let datasets = eval::Datasets::load("output".as_ref()).expect("datasets");
//! let report = eval::score(&datasets, &golds);
//! print!("{}", report.to_text(eval::TextOptions::default()));
//! ```

mod datasets;
mod draft;
mod gold;
mod report;
mod score;
mod tables;
pub mod text;

pub use datasets::{load_jsonl, Datasets};
pub use draft::draft;
pub use gold::{
    gold_paths, load_gold, load_golds, Gold, GoldAttachment, GoldCase, GoldError, GoldFile,
    GoldMeeting, GoldMemo, GoldParticipant, GoldReference, GoldSchema, GOLD_SCHEMA,
};
pub use report::{overall, Counts, DocumentReport, Miss, Report, Score, TextOptions};
pub use score::score;
pub use text::SOFT_THRESHOLD;
