//! Throughput of `referat text` against poppler's `pdftotext` on the same files, in one run.
//!
//! usage: cargo run --release --example bench_text [-- [--rounds N] FILE.pdf...]
//! Without files: the lo and chrome variants under corpus/pdf. Our extraction runs on one
//! thread (a one-thread rayon pool, so lopdf's parallel object parsing is off too); pdftotext
//! runs one process per file, one after another, its output thrown away.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use referat::{extract, read};

fn main() {
    let mut rounds = 5usize;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds);
        } else {
            files.push(a.into());
        }
    }
    if files.is_empty() {
        let mut found: Vec<PathBuf> = std::fs::read_dir("corpus/pdf")
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        found.retain(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".lo.pdf") || n.ends_with(".chrome.pdf")
        });
        found.sort();
        files = found;
    }
    if files.is_empty() {
        eprintln!("bench_text: no PDF files");
        std::process::exit(2);
    }
    let limits = read::Limits::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");

    // Ours: read + open + extract + plain text, as `referat text` does.
    let mut pages = 0usize;
    let start = Instant::now();
    pool.install(|| {
        for _ in 0..rounds {
            for f in &files {
                let bytes = std::fs::read(f).expect("readable file");
                match read::open_bytes(&bytes, &limits) {
                    Ok(pdf) => {
                        let doc = extract::extract(&pdf, &limits);
                        pages += doc.pages.len();
                        std::hint::black_box(doc.plain_text());
                    }
                    Err(e) => eprintln!("{}: {e}", f.display()),
                }
            }
        }
    });
    let ours = pages as f64 / start.elapsed().as_secs_f64();

    // pdftotext on the same files.
    let start = Instant::now();
    let mut ran = true;
    for _ in 0..rounds {
        for f in &files {
            let status = Command::new("pdftotext")
                .arg(f)
                .arg("-")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if status.is_err() {
                ran = false;
            }
        }
    }
    let theirs = pages as f64 / start.elapsed().as_secs_f64();

    println!("files: {}, rounds: {rounds}, pages per round: {}", files.len(), pages / rounds);
    println!("referat text (1 thread): {ours:8.1} pages/s");
    if ran {
        println!("pdftotext:               {theirs:8.1} pages/s");
        println!("ratio referat/pdftotext: {:8.2}", ours / theirs);
    } else {
        println!("pdftotext: not available");
    }
}
