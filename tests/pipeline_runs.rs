//! Whole runs of `referat extract`: determinism and incremental re-runs.

mod common;

use common::*;
use std::path::PathBuf;

#[test]
fn datasets_are_byte_identical_whatever_jobs_and_input_order() {
    let a = scratch("det-a");
    let b = scratch("det-b");
    // Run A: the directory, one worker.
    extract_ok(&[&repo().join("corpus/pdf")], &a, &["--jobs", "1"]);
    // Run B: the same files listed one by one in reverse order on stdin, two workers.
    let mut files: Vec<String> = corpus_pdfs(".pdf")
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    files.reverse();
    let out = referat_with_stdin(
        &["extract", "-", "--out", b.to_str().unwrap(), "--jobs", "2"],
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
