//! Whole runs of `referat extract`: determinism and incremental re-runs.

mod common;

use common::*;
use std::path::PathBuf;

#[test]
fn datasets_are_byte_identical_whatever_jobs_and_input_order() {
    let a = scratch("det-a");
    let b = scratch("det-b");
    // Run A: the directory, one worker. No time limit: a document cut short by its deadline
    // would differ between runs by design. No OCR: the scans are still inputs (pages reported
    // as needing OCR), and OCR would multiply the time of the test; tests/ocr_pages.rs checks
    // that an OCRed document's result does not depend on the worker count.
    extract_ok(
        &[&repo().join("corpus/pdf")],
        &a,
        &["--jobs", "1", "--timeout", "0", "--ocr", "never"],
    );
    // Run B: the same files listed one by one in reverse order on stdin, two workers.
    let mut files: Vec<String> = corpus_pdfs(".pdf")
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    files.reverse();
    let out = referat_with_stdin(
        &[
            "extract",
            "-",
            "--out",
            b.to_str().unwrap(),
            "--jobs",
            "2",
            "--timeout",
            "0",
            "--ocr",
            "never",
        ],
        &files.join("\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (da, db) = (datasets(&a), datasets(&b));
    for name in DATASETS {
        assert!(
            da[name] == db[name],
            "{name}.jsonl differs between the runs"
        );
    }
    // Every line of every dataset of the corpus run validates against its schema.
    let report = referat::emit::schema::validate_dir(&a).unwrap();
    assert!(report.invalid.is_empty(), "{:?}", report.invalid);
    // Every input is a line, in id order.
    let docs = documents(&a);
    assert_eq!(docs.len(), files.len());
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

fn copy_inputs(dir: &std::path::Path) -> Vec<PathBuf> {
    corpus_pdfs(".lo.pdf")
        .iter()
        .map(|p| {
            let to = dir.join(p.file_name().unwrap());
            std::fs::copy(p, &to).unwrap();
            to
        })
        .collect()
}

#[test]
fn a_rerun_parses_only_new_or_changed_files() {
    let root = scratch("incr");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let files = copy_inputs(&input);
    let n = files.len();
    let out = root.join("out");

    let first = extract_ok(&[&input], &out, &[]);
    assert_eq!(parsed_reused(&first), (n, 0));
    let after_first = datasets(&out);

    // Nothing touched: nothing parsed, the same datasets.
    let again = extract_ok(&[&input], &out, &[]);
    assert_eq!(parsed_reused(&again), (0, n));
    assert_eq!(datasets(&out), after_first);

    // A new modification time but the same bytes: re-hashed, still not parsed.
    let f = std::fs::File::options()
        .write(true)
        .open(&files[0])
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(f);
    assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (0, n));

    // Changed bytes (a comment after %%EOF): that one file is parsed again.
    let mut bytes = std::fs::read(&files[1]).unwrap();
    bytes.extend_from_slice(b"\n% changed\n");
    std::fs::write(&files[1], bytes).unwrap();
    assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (1, n - 1));

    // A new file: only it is parsed.
    let extra = corpus_pdfs(".chrome.pdf").remove(0);
    std::fs::copy(&extra, input.join("new.pdf")).unwrap();
    assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (1, n));
    assert_eq!(documents(&out).len(), n + 1);

    // A removed file leaves the datasets.
    std::fs::remove_file(input.join("new.pdf")).unwrap();
    assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (0, n));
    assert_eq!(documents(&out).len(), n);

    // The incremental result is exactly what a fresh run gives.
    let fresh = root.join("fresh");
    extract_ok(&[&input], &fresh, &[]);
    assert_eq!(datasets(&out), datasets(&fresh));

    // --force parses everything again.
    assert_eq!(
        parsed_reused(&extract_ok(&[&input], &out, &["--force"])),
        (n, 0)
    );

    // The manifest names every input with its sha256 and the version.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".referat-manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["referat_version"], env!("CARGO_PKG_VERSION"));
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), n);
    for (entry, file) in inputs.iter().zip(&files) {
        assert_eq!(entry["path"], file.display().to_string());
        assert_eq!(entry["sha256"].as_str().unwrap().len(), 64);
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn other_limits_invalidate_earlier_results() {
    let root = scratch("settings");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = copy_inputs(&input).len();
    let out = root.join("out");
    extract_ok(&[&input], &out, &[]);
    // Limits shape results, so results made under others are not reused.
    let o = extract_ok(&[&input], &out, &["--max-objects", "1000000"]);
    assert_eq!(parsed_reused(&o), (n, 0));
    assert!(stderr(&o).contains("not reused"), "{}", stderr(&o));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_ocr_setting_and_a_newly_installed_tesseract_invalidate_earlier_results() {
    let root = scratch("ocr-settings");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = copy_inputs(&input).len();
    let out = root.join("out");
    extract_ok(&[&input], &out, &["--ocr", "never"]);
    assert_eq!(
        parsed_reused(&extract_ok(&[&input], &out, &["--ocr", "never"])),
        (0, n)
    );
    assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (n, 0));
    // The same run where Tesseract cannot be found, as before it was installed.
    let without_tesseract = |out: &std::path::Path| {
        let o = std::process::Command::new(bin())
            .args([
                "extract",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .env("PATH", "/nonexistent")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let tesseract_here = referat::ocr::tesseract::probe(std::path::Path::new("tesseract")).is_ok();
    let o = without_tesseract(&out);
    assert_eq!(
        parsed_reused(&o),
        if tesseract_here { (n, 0) } else { (0, n) }
    );
    assert_eq!(parsed_reused(&without_tesseract(&out)), (0, n));
    if tesseract_here {
        // Installed now: what was made without it is parsed again.
        assert_eq!(parsed_reused(&extract_ok(&[&input], &out, &[])), (n, 0));
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn documents_over_the_time_limit_are_reported_and_never_reused() {
    let root = scratch("timeout");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = copy_inputs(&input).len();
    let out = root.join("out");
    // A limit no document can meet: each stops early, says so, and keeps its line.
    let first = extract_ok(&[&input], &out, &["--timeout", "0.000001"]);
    assert_eq!(parsed_reused(&first), (n, 0));
    let docs = documents(&out);
    assert_eq!(docs.len(), n);
    for d in &docs {
        assert_ne!(d["status"], "ok", "{d}");
        let errors = d["errors"].to_string();
        assert!(errors.contains("time limit"), "{d}");
        assert!(errors.contains(d["path"].as_str().unwrap()), "{d}");
    }
    // A time-out depends on the machine's load, not on the file: tried again next time.
    let again = extract_ok(&[&input], &out, &["--timeout", "0.000001"]);
    assert_eq!(parsed_reused(&again), (n, 0));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn another_vocabulary_reparses_and_a_bad_one_is_a_usage_error() {
    let root = scratch("vocab");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = copy_inputs(&input).len();
    let out = root.join("out");
    extract_ok(&[&input], &out, &[]);
    // An extra body, in the format of vocab/bodies.toml.
    let vocab = root.join("vocab");
    std::fs::create_dir_all(&vocab).unwrap();
    std::fs::write(
        vocab.join("bodies.toml"),
        "[[body]]\nid = \"testutvalget\"\nabbreviations = [\"TU\"]\nnames = [{ name = \"Testutvalget\" }]\n",
    )
    .unwrap();
    let v = vocab.to_str().unwrap();
    assert_eq!(
        parsed_reused(&extract_ok(&[&input], &out, &["--vocab", v])),
        (n, 0)
    );
    assert_eq!(
        parsed_reused(&extract_ok(&[&input], &out, &["--vocab", v])),
        (0, n)
    );
    // Editing the vocabulary is another vocabulary.
    let mut text = std::fs::read_to_string(vocab.join("bodies.toml")).unwrap();
    text.push_str("\n[[body]]\nid = \"x\"\nnames = [{ name = \"Annet utvalg\" }]\n");
    std::fs::write(vocab.join("bodies.toml"), text).unwrap();
    assert_eq!(
        parsed_reused(&extract_ok(&[&input], &out, &["--vocab", v])),
        (n, 0)
    );
    // A broken file is reported before any work, naming it.
    std::fs::write(vocab.join("bodies.toml"), "[[body]\nid = ").unwrap();
    let o = referat(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--vocab",
        v,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bodies.toml"), "{}", stderr(&o));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_same_pdf_under_two_paths_is_one_document_and_is_reused_for_both() {
    let root = scratch("dupes");
    let input = root.join("in");
    std::fs::create_dir_all(input.join("copy")).unwrap();
    let files = copy_inputs(&input);
    let n = files.len();
    std::fs::copy(&files[0], input.join("copy/again.pdf")).unwrap();
    let out = root.join("out");
    let first = extract_ok(&[&input], &out, &[]);
    assert_eq!(parsed_reused(&first), (n + 1, 0));
    let docs = documents(&out);
    assert_eq!(docs.len(), n, "one line per content, not per path");
    // The line names the first path in sort order, whatever the order of processing.
    let line = docs
        .iter()
        .find(|d| {
            d["path"].as_str().unwrap().ends_with("again.pdf")
                || d["path"] == files[0].display().to_string()
        })
        .unwrap();
    let copy = input.join("copy/again.pdf").display().to_string();
    let orig = files[0].display().to_string();
    assert_eq!(line["path"], std::cmp::min(copy, orig));
    let before = datasets(&out);
    let again = extract_ok(&[&input], &out, &[]);
    assert_eq!(parsed_reused(&again), (0, n + 1));
    assert_eq!(datasets(&out), before);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_file_over_the_size_limit_fails_alone_without_being_read() {
    let root = scratch("filesize");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = copy_inputs(&input).len();
    let mut big = std::fs::read(&corpus_pdfs(".lo.pdf")[0]).unwrap();
    big.extend(std::iter::repeat_n(b'%', 2 << 20));
    std::fs::write(input.join("big.pdf"), big).unwrap();
    let out = root.join("out");
    extract_ok(&[&input], &out, &["--max-file-mib", "1"]);
    let docs = documents(&out);
    assert_eq!(docs.len(), n + 1);
    let line = docs
        .iter()
        .find(|d| d["path"].as_str().unwrap().ends_with("big.pdf"))
        .unwrap();
    assert_eq!(line["status"], "failed");
    let message = line["errors"][0].as_str().unwrap();
    assert!(
        message.contains("big.pdf") && message.contains("--max-file-mib"),
        "{message}"
    );
    assert_eq!(docs.iter().filter(|d| d["status"] == "failed").count(), 1);
    std::fs::remove_dir_all(&root).unwrap();
}

/// `parse`, the per-document half of a distributed run, takes the same limits as `extract`.
#[test]
fn parse_honours_the_limits_that_extract_takes() {
    let root = scratch("parse-limits");
    std::fs::create_dir_all(&root).unwrap();
    let small = corpus_pdfs(".lo.pdf")[0].clone();
    let mut big = std::fs::read(&small).unwrap();
    big.extend(std::iter::repeat_n(b'%', 2 << 20));
    let big_path = root.join("big.pdf");
    std::fs::write(&big_path, big).unwrap();
    let o = referat(&[
        "parse",
        small.to_str().unwrap(),
        big_path.to_str().unwrap(),
        "--max-file-mib",
        "1",
        "--ocr",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let status = |suffix: &str| {
        let line = lines
            .iter()
            .find(|l| l["document"]["path"].as_str().unwrap().ends_with(suffix))
            .unwrap();
        (
            line["document"]["status"].as_str().unwrap().to_string(),
            line["document"]["errors"].to_string(),
        )
    };
    let (big_status, big_errors) = status("big.pdf");
    assert_eq!(big_status, "failed");
    assert!(big_errors.contains("--max-file-mib"), "{big_errors}");
    assert_ne!(status(".lo.pdf").0, "failed");
    std::fs::remove_dir_all(&root).unwrap();
}
