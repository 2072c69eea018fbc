//! Throughput of `referat text` against poppler's `pdftotext` on the same files, in one run.
//!
//! usage: cargo run --release --example bench_text [-- [--rounds N] [--scaling FILE.pdf]
//!        [--threads N] FILE.pdf...]
//! Without files: the lo and chrome variants under corpus/pdf. Our extraction runs on one
//! thread (a one-thread rayon pool, so lopdf's parallel object parsing and the page-parallel
//! extraction are off too); pdftotext runs one process per file, one after another, its output
//! thrown away.
//!
//! `--scaling FILE.pdf` (default: the 117-page GeoTopo sample under ../shared/pdf-samples, when
//! present) then times one large document in a one-thread pool and in a pool of `--threads`
//! threads (default 2): the speed-up of page-level parallelism within one document.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use referat::{extract, read};

fn main() {
    let mut rounds = 5usize;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut scaling: Option<PathBuf> =
        Some("../shared/pdf-samples/009-pdflatex-geotopo/GeoTopo-komprimiert.pdf".into())
            .filter(|p: &PathBuf| p.is_file());
    let mut threads = 2usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or(rounds);
        } else if a == "--scaling" {
            scaling = args.next().map(PathBuf::from);
        } else if a == "--threads" {
            threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(threads);
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

    println!(
        "files: {}, rounds: {rounds}, pages per round: {}",
        files.len(),
        pages / rounds
    );
    println!("referat text (1 thread): {ours:8.1} pages/s");
    if ran {
        println!("pdftotext:               {theirs:8.1} pages/s");
        println!("ratio referat/pdftotext: {:8.2}", ours / theirs);
    } else {
        println!("pdftotext: not available");
    }
    if let Some(file) = scaling {
        scale(&file, rounds, threads, &limits);
    }
}

/// Pages per second of one document in a one-thread pool and in a pool of `threads`.
fn scale(file: &std::path::Path, rounds: usize, threads: usize, limits: &read::Limits) {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", file.display());
            return;
        }
    };
    let speed = |n: usize| -> f64 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("a thread pool");
        let mut pages = 0usize;
        let start = Instant::now();
        pool.install(|| {
            for _ in 0..rounds {
                match read::open_bytes(&bytes, limits) {
                    Ok(pdf) => {
                        let doc = extract::extract(&pdf, limits);
                        pages += doc.pages.len();
                        std::hint::black_box(doc.plain_text());
                    }
                    Err(e) => eprintln!("{}: {e}", file.display()),
                }
            }
        });
        pages as f64 / start.elapsed().as_secs_f64()
    };
    let one = speed(1);
    let many = speed(threads);
    println!("one document: {}", file.display());
    println!("  1 thread:   {one:8.1} pages/s");
    println!("  {threads} threads:  {many:8.1} pages/s");
    println!("  speed-up:   {:8.2}", many / one);
}
