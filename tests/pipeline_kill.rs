//! A run killed (SIGKILL) at any moment leaves no half-written dataset: every file is the old
//! one or the new one in full, and the next referat command completes or discards the run.

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Instant;

use referat::emit::schema::validate_dir;

fn extract_cmd(out: &std::path::Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["extract", "corpus/pdf", "--force", "--jobs", "2", "--out"])
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
