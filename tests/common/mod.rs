//! Helpers shared by the integration tests: running the binary and reading its output.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const DATASETS: [&str; 8] = [
    "documents",
    "bodies",
    "meetings",
    "participants",
    "cases",
    "references",
    "people",
    "warnings",
];

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_referat")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled corpus PDFs whose names end in `suffix` (".lo.pdf", or ".pdf" for all), sorted.
pub fn corpus_pdfs(suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus/pdf"))
        .expect("corpus/pdf")
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

/// A fresh empty directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("referat-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs referat with `args` (from the repository root), stdin from `input`.
pub fn referat_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn referat");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn referat(args: &[&str]) -> Output {
    referat_with_stdin(args, "")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs `referat extract ARGS... --out OUT` and insists it succeeded.
pub fn extract_ok(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["extract".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.push("--out".into());
    args.push(out.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let o = referat(&args);
    assert_eq!(o.status.code(), Some(0), "extract failed: {}", stderr(&o));
    o
}

/// (parsed, reused) from the summary line of an extract run.
pub fn parsed_reused(o: &Output) -> (usize, usize) {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.contains(" parsed, ") && l.contains(" reused"))
        .unwrap_or_else(|| panic!("no summary line in: {err}"));
    let num_before = |word: &str| -> usize {
        let i = line.find(word).unwrap();
        line[..i]
            .split(|c: char| !c.is_ascii_digit())
            .rfind(|s| !s.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    (num_before(" parsed"), num_before(" reused"))
}

/// Every dataset file's bytes.
pub fn datasets(dir: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    DATASETS
        .iter()
        .map(|d| {
            let p = dir.join(format!("{d}.jsonl"));
            (
                *d,
                std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

/// The lines of documents.jsonl as JSON values.
pub fn documents(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The similarity of `got` to `reference` that ../shared/bin/text-similarity measures: both
/// NFC-normalised, soft hyphens dropped, whitespace runs collapsed, then the indel-based
/// Levenshtein ratio (as the Levenshtein package's `ratio()`): 2 LCS / (len a + len b).
pub fn text_similarity(reference: &str, got: &str) -> f64 {
    use unicode_normalization::UnicodeNormalization;
    let normalised = |s: &str| -> Vec<char> {
        let s: String = s.nfc().filter(|&c| c != '\u{ad}').collect();
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .collect()
    };
    let (a, b) = (normalised(reference), normalised(got));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * lcs_len(&a, &b) as f64 / (a.len() + b.len()) as f64
}

/// Length of the longest common subsequence (indel distance = len a + len b - 2 lcs).
fn lcs_len(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &ca in a {
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// True when Tesseract can be run. Otherwise the test is skipped with a notice, unless CI=true
/// (CI installs Tesseract), where it fails instead.
pub fn tesseract_available(test: &str) -> bool {
    match referat::ocr::tesseract::probe(Path::new("tesseract")) {
        Ok(_) => true,
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: Tesseract is required in CI: {e}");
            }
            eprintln!("SKIPPED {test}: {e}");
            false
        }
    }
}

/// The gold files (or directories) `paths` name, loaded and validated by `eval`; a test with
/// invalid gold fails with every error listed.
pub fn gold(paths: &[PathBuf]) -> Vec<referat::eval::Gold> {
    referat::eval::load_golds(paths).unwrap_or_else(|errors| {
        panic!(
            "invalid gold: {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}
