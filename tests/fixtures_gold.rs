//! Bodies, years and layouts the corpus does not hold: small PDFs rendered by Chromium from
//! edited copies of the corpus HTML (tests/fixtures/*.html, invented names), each with a
//! hand-written gold file, scored with `eval` (the library behind `referat eval`).

use std::path::PathBuf;

mod common;

use referat::eval;
use referat::read::Limits;
use referat::vocab::Vocabulary;
use referat::{emit, pipeline, resolve};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn files(ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

#[test]
fn fixture_pdfs_match_their_gold() {
    let vocab = Vocabulary::builtin();
    let limits = Limits::default();
    let pdfs = files("pdf");
    assert!(pdfs.len() >= 3, "fixture PDFs missing");
    let results = pdfs
        .iter()
        .map(|p| pipeline::process_file(p, &vocab, &limits))
        .collect();
    let ds = resolve::resolve(results, &vocab);
    // Bodies outside the corpus come out under their own ids.
    let ids: Vec<&str> = ds.meetings.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "nasjonalt-e-helserad/2020/2",
            "nufa/2023/4",
            "nuit/2024/1",
            "nuit/2024/2"
        ]
    );
    let out = std::env::temp_dir().join(format!("referat-fixtures-{}", std::process::id()));
    emit::write_datasets(&ds, &out).expect("datasets written");
    let golds = common::gold(&files("json"));
    let datasets = eval::Datasets::load(&out).expect("datasets readable");
    let report = eval::score(&datasets, &golds);
    let text = report.to_text(eval::TextOptions {
        per_document: true,
        misses: true,
    });
    let f1 = report.overall().f1;
    eprintln!("fixtures: overall F1 = {f1:.3}");
    assert!(f1 >= 0.995, "fixtures: overall F1 {f1:.3}\n{text}");
    let _ = std::fs::remove_dir_all(out);
}
