//! `referat resolve` writes byte for byte the datasets it wrote before it was made to scale
//! (issue 19). The references were written by the quadratic, all-in-memory resolve of commit
//! 0ab804d over the same inputs:
//! - `tests/data/resolve/seed-partials.jsonl.gz`, a `referat parse` of the corpus and the test
//!   fixtures (73 documents), whose datasets are kept whole in `expected/`;
//! - 3,000 documents generated from it (`referat::partials::synthetic`, as the benchmark
//!   `examples/bench_resolve.rs` does), whose datasets are kept as sha256 digests.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;
use referat::partials::{synthetic, write_line};
use referat::pipeline::DocumentResult;
use sha2::{Digest, Sha256};

fn data() -> PathBuf {
    repo().join("tests/data/resolve")
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

fn seed() -> Vec<DocumentResult> {
    String::from_utf8(gunzip(&data().join("seed-partials.jsonl.gz")))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `referat resolve` with the extra arguments and insists it succeeded.
fn resolve_ok(partials: &[PathBuf], out: &Path, extra: &[&str]) {
    let mut args: Vec<String> = vec!["resolve".into()];
    args.extend(partials.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = referat(&args);
    assert_eq!(o.status.code(), Some(0), "resolve failed: {}", stderr(&o));
}

#[test]
fn corpus_partials_resolve_to_the_reference_datasets() {
    let dir = scratch("resolve-ref-corpus");
    let input = dir.join("partials.jsonl");
    std::fs::write(&input, gunzip(&data().join("seed-partials.jsonl.gz"))).unwrap();
    let expected: Vec<(&str, Vec<u8>)> = DATASETS
        .iter()
        .map(|d| (*d, gunzip(&data().join(format!("expected/{d}.jsonl.gz")))))
        .collect();
    // The reference is not vacuous: the corpus's renderings of one PDF merge into one meeting,
    // and references resolve.
    let meetings = &expected[2].1;
    assert_eq!(String::from_utf8_lossy(meetings).lines().count(), 39);
    assert!(String::from_utf8_lossy(&expected[5].1).contains("\"resolved_id\":\"nuit/"));
    for (name, extra) in [("default", &[][..])] {
        let out = dir.join(name);
        resolve_ok(std::slice::from_ref(&input), &out, extra);
        let got = datasets(&out);
        for (d, want) in &expected {
            assert!(
                got[d] == *want,
                "{name}: {d}.jsonl differs from the reference"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generated_partials_resolve_to_the_reference_digests() {
    let dir = scratch("resolve-ref-generated");
    let seed = seed();
    let docs: Vec<DocumentResult> = (0..3000)
        .map(|k| synthetic::copy(&seed[k % seed.len()], (k / seed.len()) as u32))
        .collect();
    // Three files in an order of their own, with some lines twice (retried tasks): the
    // datasets do not depend on either.
    let files: Vec<PathBuf> = (0..3).map(|i| dir.join(format!("part-{i}"))).collect();
    let mut writers: Vec<_> = files
        .iter()
        .map(|f| std::io::BufWriter::new(std::fs::File::create(f).unwrap()))
        .collect();
    for (k, doc) in docs.iter().enumerate().rev() {
        write_line(&mut writers[k * 7 % 3], doc).unwrap();
        if k % 97 == 0 {
            write_line(&mut writers[(k + 1) % 3], doc).unwrap();
        }
    }
    for w in &mut writers {
        w.flush().unwrap();
    }
    drop(writers);
    let want: Vec<(String, String)> = std::fs::read_to_string(data().join("generated-3000.sha256"))
        .unwrap()
        .lines()
        .map(|l| {
            let (f, h) = l.split_once(' ').unwrap();
            (f.to_string(), h.to_string())
        })
        .collect();
    assert_eq!(want.len(), DATASETS.len());
    for (name, extra) in [("default", &[][..])] {
        let out = dir.join(name);
        resolve_ok(&files, &out, extra);
        for (file, digest) in &want {
            let bytes = std::fs::read(out.join(file)).unwrap();
            let got: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(&got, digest, "{name}: {file} differs from the reference");
        }
        let meetings = std::fs::read_to_string(out.join("meetings.jsonl")).unwrap();
        assert_eq!(meetings.lines().count(), 1486);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_partials_line_is_exit_2_naming_file_and_line() {
    let dir = scratch("resolve-bad-line");
    let input = dir.join("partials.jsonl");
    let first = String::from_utf8(gunzip(&data().join("seed-partials.jsonl.gz")))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    std::fs::write(&input, format!("{first}\n{{\"document\": 1}}\n")).unwrap();
    let out = dir.join("out");
    let o = referat(&[
        "resolve",
        &input.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:2: not a partial-records line",
            input.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!out.join("documents.jsonl").exists(), "nothing is written");
    let _ = std::fs::remove_dir_all(&dir);
}
