//! Throughput and memory of `referat extract` over a large corpus: documents and pages per
//! second at 1 and 2 jobs, with peak memory, and peak memory as the corpus grows.
//!
//! Not part of the normal test run (it takes minutes); run it with
//!   cargo test --release --test pipeline_bench -- --ignored --nocapture
//! REFERAT_BENCH_DOCS sets the size of the large corpus (default 1000).

mod common;

use common::*;
use std::path::Path;
use std::time::Instant;

/// `n` distinct PDFs: copies of the bundled ones, each with a comment after `%%EOF` so that its
/// sha256 (and so its document id) is its own.
fn make_corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let sources: Vec<Vec<u8>> = corpus_pdfs(".pdf")
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    for i in 0..n {
        let mut bytes = sources[i % sources.len()].clone();
        bytes.extend_from_slice(format!("\n% copy {i}\n").as_bytes());
        std::fs::write(dir.join(format!("doc{i:05}.pdf")), bytes).unwrap();
    }
}

fn summary_number(err: &str, before: &str) -> f64 {
    let line = err.lines().rev().find(|l| l.contains(before)).unwrap();
    let i = line.find(before).unwrap();
    line[..i]
        .rsplit(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|s| !s.is_empty())
        .unwrap()
        .parse()
        .unwrap()
}

fn run(input: &Path, out: &Path, jobs: usize, docs: usize) -> (f64, f64, f64) {
    let start = Instant::now();
    let o = extract_ok(&[input], out, &["--force", "--jobs", &jobs.to_string()]);
    let secs = start.elapsed().as_secs_f64();
    let err = stderr(&o);
    let pages_per_s = summary_number(&err, " pages/s parsed");
    let peak = err
        .lines()
        .rev()
        .find(|l| l.contains("peak memory"))
        .map_or(f64::NAN, |l| {
            let tail = &l[l.find("peak memory ").unwrap() + 12..];
            tail.split_whitespace().next().unwrap().parse().unwrap()
        });
    println!(
        "{docs:6} docs, --jobs {jobs}: {secs:7.1} s, {:7.1} docs/s, {pages_per_s:8.1} pages/s, \
         peak memory {peak} MiB",
        docs as f64 / secs
    );
    (secs, pages_per_s, peak)
}

#[test]
#[ignore]
fn throughput_and_memory_over_a_large_corpus() {
    let n: usize = std::env::var("REFERAT_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let root = scratch("bench");
    let small = root.join("small");
    let large = root.join("large");
    make_corpus(&small, n / 4);
    make_corpus(&large, n);
    let out = root.join("out");
    let (_, _, peak_small) = run(&small, &out, 2, n / 4);
    run(&large, &out, 1, n);
    let (_, _, peak_large) = run(&large, &out, 2, n);
    println!(
        "peak memory grows {:.2}x while the corpus grows 4x",
        peak_large / peak_small
    );
    std::fs::remove_dir_all(&root).unwrap();
}
