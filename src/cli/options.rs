//! The options that say how each document is processed, shared by `extract` and `parse`: one
//! flattened set, so the per-document half of a distributed run (`parse`) honours the same
//! limits as `extract` and the two cannot drift apart.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::ocr::{OcrMode, OcrOptions, OcrProgress};
use crate::pipeline::batch::{BatchConfig, DEFAULT_MAX_FILE_BYTES};
use crate::read::Limits;

#[derive(Args, Debug, Clone)]
pub struct ProcessingArgs {
    /// Documents processed at once (default: one per core).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// A directory of vocabulary files extending the built-in ones (see README).
    #[arg(long, value_name = "DIR")]
    pub vocab: Option<PathBuf>,
    /// Time limit per document, in seconds; 0 for none.
    #[arg(long, value_name = "SECS", default_value_t = 120.0)]
    pub timeout: f64,
    /// Largest decompressed size of one PDF stream, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_stream_bytes >> 20)]
    pub max_stream_mib: usize,
    /// Largest PDF file read, in MiB; 0 for none (a file is held in memory while processed).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_FILE_BYTES >> 20)]
    pub max_file_mib: u64,
    /// Most objects a PDF may hold.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_objects)]
    pub max_objects: usize,
    /// Deepest nesting of Form XObjects.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_form_depth)]
    pub max_form_depth: usize,
    /// OCR pages without a usable text layer (auto), every scanned page (always), or none.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub ocr: OcrMode,
}

impl ProcessingArgs {
    /// The reader's limits (the per-document deadline is set by the batch).
    pub fn limits(&self) -> Limits {
        Limits {
            max_stream_bytes: self.max_stream_mib.saturating_mul(1 << 20),
            max_objects: self.max_objects,
            max_form_depth: self.max_form_depth,
            deadline: None,
        }
    }

    /// The time limit per document, `None` for 0 (or a value no duration can hold).
    pub fn timeout(&self) -> Option<Duration> {
        (self.timeout > 0.0)
            .then(|| Duration::try_from_secs_f64(self.timeout).ok())
            .flatten()
    }

    /// The batch's configuration; `progress` hears of the OCR pages.
    pub fn batch_config(&self, progress: Option<OcrProgress>) -> BatchConfig {
        BatchConfig {
            limits: self.limits(),
            ocr: OcrOptions {
                mode: self.ocr,
                progress,
                ..OcrOptions::default()
            },
            timeout: self.timeout(),
            jobs: self.jobs.unwrap_or(0),
            max_file_bytes: self.max_file_mib.saturating_mul(1 << 20),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        processing: ProcessingArgs,
    }

    #[test]
    fn options_become_the_batch_configuration() {
        let cli = Cli::parse_from([
            "referat",
            "--jobs",
            "3",
            "--timeout",
            "0",
            "--max-stream-mib",
            "2",
            "--max-file-mib",
            "5",
            "--max-objects",
            "77",
            "--max-form-depth",
            "4",
            "--ocr",
            "never",
        ]);
        let config = cli.processing.batch_config(None);
        assert_eq!(config.jobs, 3);
        assert_eq!(config.timeout, None);
        assert_eq!(config.limits.max_stream_bytes, 2 << 20);
        assert_eq!(config.max_file_bytes, 5 << 20);
        assert_eq!(config.limits.max_objects, 77);
        assert_eq!(config.limits.max_form_depth, 4);
        assert_eq!(config.ocr.mode, OcrMode::Never);
    }

    #[test]
    fn defaults_are_the_batch_defaults() {
        let config = Cli::parse_from(["referat"]).processing.batch_config(None);
        let default = BatchConfig::default();
        assert_eq!(config.jobs, default.jobs);
        assert_eq!(config.max_file_bytes, default.max_file_bytes);
        assert_eq!(
            config.limits.max_stream_bytes,
            default.limits.max_stream_bytes
        );
        assert_eq!(config.limits.max_objects, default.limits.max_objects);
        assert_eq!(config.ocr.mode, OcrMode::Auto);
        assert_eq!(config.timeout, Some(Duration::from_secs(120)));
    }
}
