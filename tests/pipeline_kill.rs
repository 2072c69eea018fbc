//! A run killed (SIGKILL) at any moment leaves no half-written dataset: every file is the old
//! one or the new one in full, and the next referat command completes or discards the run.

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Instant;

use referat::emit::schema::validate_dir;

/// A whole-corpus run. Without OCR: what is tested is the commit, not the scans, and OCR would
/// make each of the eight runs minutes long (tests/ocr_pages.rs runs the scans through OCR).
fn extract_cmd(out: &std::path::Path) -> Command {
    let mut c = Command::new(bin());
    c.args([
        "extract",
        "corpus/pdf",
        "--force",
        "--jobs",
        "2",
        "--ocr",
        "never",
        "--out",
    ])
    .arg(out)
    .current_dir(repo())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    c
}

#[test]
fn a_killed_run_leaves_the_old_datasets_or_the_new_ones_never_a_mix() {
    let root = scratch("kill");
    // What a complete run gives, and how long it takes.
    let full = root.join("full");
    let start = Instant::now();
    assert!(extract_cmd(&full).status().unwrap().success());
    let duration = start.elapsed();
    let new = datasets(&full);

    // The directory starts with an older, smaller run.
    let out = root.join("out");
    let lo: Vec<_> = corpus_pdfs(".lo.pdf");
    let lo: Vec<&std::path::Path> = lo.iter().map(|p| p.as_path()).collect();
    extract_ok(&lo, &out, &[]);
    let mut before = datasets(&out);
    assert_ne!(before, new);

    let mut saw_old = false;
    for fraction in [0.2, 0.5, 0.8, 0.9, 0.95, 1.0, 1.1] {
        let mut child = extract_cmd(&out).spawn().unwrap();
        std::thread::sleep(duration.mul_f64(fraction));
        let _ = child.kill();
        child.wait().unwrap();

        // Before any recovery: every dataset file there is whole and valid.
        let report = validate_dir(&out).unwrap();
        assert!(
            report.invalid.is_empty(),
            "after a kill at {fraction} of the run: {:?}",
            report.invalid
        );
        // The next command finishes or discards the interrupted run.
        let v = referat(&["validate", out.to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
        let after = datasets(&out);
        assert!(
            after == before || after == new,
            "after a kill at {fraction} of the run the datasets are a mix of two runs"
        );
        saw_old |= after == before && before != new;
        before = after;
    }
    assert!(
        saw_old,
        "no kill landed before the commit: the test proves nothing"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_second_writer_is_refused_while_readers_still_read() {
    let root = scratch("concurrent");
    let out = root.join("out");
    let lo = corpus_pdfs(".lo.pdf");
    let lo: Vec<&std::path::Path> = lo.iter().map(|p| p.as_path()).collect();
    extract_ok(&lo, &out, &[]);
    let mut first = extract_cmd(&out).spawn().unwrap();
    // Let the first run take the directory's lock (it does so before any parsing).
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    while !out.join(".referat-lock").exists() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = referat(&[
        "extract",
        lo[0].to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let reader = referat(&["validate", out.to_str().unwrap()]);
    let still_running = first.try_wait().unwrap().is_none();
    assert!(first.wait().unwrap().success());
    if still_running {
        assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
        assert!(
            stderr(&second).contains("another referat run"),
            "{}",
            stderr(&second)
        );
        assert_eq!(reader.status.code(), Some(0), "{}", stderr(&reader));
    }
    let after = referat(&["validate", out.to_str().unwrap()]);
    assert_eq!(after.status.code(), Some(0), "{}", stderr(&after));
    assert!(!out.join(".referat-lock").exists());
    std::fs::remove_dir_all(&root).unwrap();
}
