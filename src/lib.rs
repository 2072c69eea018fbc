//! referat: meeting PDFs of public governance bodies to normalised datasets.
//!
//! The pipeline, one module per stage, data flowing forward only:
//! read (PDF objects) -> extract (positioned text) -> segment (logical documents) ->
//! parse (meetings, participants, cases, references) -> resolve (across documents) ->
//! emit (datasets). `pipeline` runs the per-document half; `cli` is the thin front. Beside
//! the output, `db` loads the datasets into a database, `export` writes them as CSV or
//! Parquet tables, `report` as a static HTML site, and `eval` scores them against gold annotations.

pub mod cli;
pub mod db;
pub mod emit;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ocr;
pub mod parse;
pub mod partials;
pub mod pipeline;
pub mod read;
pub mod records;
pub mod report;
pub mod resolve;
pub mod segment;
pub mod vocab;
