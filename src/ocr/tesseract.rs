//! Running the `tesseract` command and reading its TSV output.
//!
//! Why the command and not a binding crate: the Debian packages (`tesseract-ocr`,
//! `tesseract-ocr-nor`) are then the whole dependency, with no C/C++ toolchain, bindgen or
//! libtesseract headers needed to build referat, and a build without Tesseract still works (OCR
//! pages are reported instead). The TSV output carries everything the layout needs: the
//! block/paragraph/line/word numbering of Tesseract's own page segmentation, a pixel box per
//! word and a confidence per word. One process per page costs about 20 ms next to about a second
//! of recognition, and it isolates us from engine crashes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use super::OcrError;

/// An installed Tesseract.
#[derive(Debug, Clone, PartialEq)]
pub struct Engine {
    pub command: PathBuf,
    /// "5.3.0"
    pub version: String,
    /// Installed language models ("eng", "nor", "osd", ...).
    pub languages: Vec<String>,
}

/// Probes the command once per process (per command path): `--version` and `--list-langs`.
pub fn probe(command: &Path) -> Result<Engine, OcrError> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Result<Engine, OcrError>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(command).cloned()) {
        return hit;
    }
    let result = probe_uncached(command);
    if let Ok(mut c) = cache.lock() {
        c.insert(command.to_path_buf(), result.clone());
    }
    result
}

fn missing(command: &Path, detail: String) -> OcrError {
    OcrError::EngineMissing {
        command: command.display().to_string(),
        detail,
    }
}

fn probe_uncached(command: &Path) -> Result<Engine, OcrError> {
    let version_out = Command::new(command)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| missing(command, e.to_string()))?;
    if !version_out.status.success() {
        return Err(missing(
            command,
            format!("`--version` failed with {}", version_out.status),
        ));
    }
    // Tesseract 4 printed the version on stderr, 5 on stdout.
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&version_out.stdout),
        String::from_utf8_lossy(&version_out.stderr)
    );
    let version = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("tesseract "))
        .map(|v| v.trim().trim_start_matches('v').to_string())
        .ok_or_else(|| missing(command, "`--version` does not name a Tesseract".into()))?;
    let langs_out = Command::new(command)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| missing(command, e.to_string()))?;
    let languages = String::from_utf8_lossy(&langs_out.stdout)
        .lines()
        .skip_while(|l| !l.starts_with("List of available languages"))
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    Ok(Engine {
        command: command.to_path_buf(),
        version,
        languages,
    })
}

/// One word of Tesseract's TSV (level 5), in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvWord {
    pub block: u32,
    pub par: u32,
    pub line: u32,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// 0..100
    pub conf: f32,
    pub text: String,
}

/// Parses TSV output; keeps the level-5 (word) rows that hold text.
pub fn parse_tsv(tsv: &str) -> Result<Vec<TsvWord>, String> {
    let mut lines = tsv.lines();
    let header = lines.next().unwrap_or_default();
    if !header.starts_with("level\t") {
        return Err("Tesseract's TSV output has no header".into());
    }
    let mut words = Vec::new();
    for (n, row) in lines.enumerate() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11].trim();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| -> Result<f32, String> {
            cols[i]
                .trim()
                .parse::<f32>()
                .map_err(|_| format!("TSV row {}: bad number {:?}", n + 2, cols[i]))
        };
        words.push(TsvWord {
            block: num(2)? as u32,
            par: num(3)? as u32,
            line: num(4)? as u32,
            left: num(6)?,
            top: num(7)?,
            width: num(8)?,
            height: num(9)?,
            conf: num(10)?.clamp(0.0, 100.0),
            text: text.to_string(),
        });
    }
    Ok(words)
}

/// How Tesseract segments the page (its `--psm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    /// Fully automatic page segmentation (3): columns, blocks, paragraphs. The first reading of
    /// every page.
    Auto,
    /// One column of text of variable sizes (4): every line read across the whole page. Finds
    /// short cells that `Auto` drops from a table's narrow column (see `layout::fill_gaps`).
    SingleColumn,
}

impl Segmentation {
    fn psm(self) -> &'static str {
        match self {
            Segmentation::Auto => "3",
            Segmentation::SingleColumn => "4",
        }
    }
}

/// Recognises one image file; returns the TSV text.
///
/// The image goes through a temporary file: Tesseract's `stdin` input treats anything that is not
/// an image as a list of file names, which a corrupt stream must never become.
pub fn recognise(
    engine: &Engine,
    language: &str,
    dpi: u32,
    segmentation: Segmentation,
    bytes: &[u8],
    extension: &str,
) -> Result<String, String> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "referat-ocr-{}-{}.{extension}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        f.write_all(bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        drop(f);
        let out = Command::new(&engine.command)
            .arg(&path)
            .arg("stdout")
            .args([
                "-l",
                language,
                "--dpi",
                &dpi.to_string(),
                "--psm",
                segmentation.psm(),
                "tsv",
            ])
            // The caller parallelises over pages; OpenMP threads inside would oversubscribe.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", engine.command.display()))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let detail: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with("Estimating resolution"))
                .take(3)
                .collect();
            return Err(format!(
                "tesseract failed ({}): {}",
                out.status,
                detail.join("; ")
            ));
        }
        String::from_utf8(out.stdout).map_err(|_| "tesseract wrote invalid UTF-8".to_string())
    })();
    let _ = std::fs::remove_file(&path);
    result
}
