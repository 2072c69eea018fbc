//! OCRs every page of a PDF that needs it (all pages with `--all`) and prints the text the way
//! `referat text` does: the page's lines, blank lines at paragraph gaps, pages separated by a
//! form feed. Pages that need no OCR are printed from extraction. Timing and provenance go to
//! stderr; with `--rows`, also how the layout saw each OCRed page (its visual rows and tables).
//!
//! cargo run --release --example ocr_text -- [--all] [--rows] FILE.pdf [PAGE...]

use std::time::Instant;

use rayon::prelude::*;
use referat::extract::{self, TextDocument};
use referat::ocr::{self, OcrOptions};
use referat::read::{self, Limits};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let rows = args.iter().any(|a| a == "--rows");
    args.retain(|a| a != "--all" && a != "--rows");
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: ocr_text [--all] [--rows] FILE.pdf [PAGE...]");
        std::process::exit(2);
    };
    let only: Vec<usize> = args[1..].iter().filter_map(|a| a.parse().ok()).collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let limits = Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let mut doc = extract::extract(&pdf, &limits);
    if !only.is_empty() {
        doc.pages.retain(|p| only.contains(&p.number));
    }
    let opts = OcrOptions::default();
    let start = Instant::now();
    let results: Vec<_> = doc
        .pages
        .par_iter()
        .map(|p| {
            if all || ocr::page_needs_ocr(&pdf, p.number, Some(p)) {
                Some(ocr::ocr_page(&pdf, p.number, &opts))
            } else {
                None
            }
        })
        .collect();
    let mut ocred = 0;
    let mut engine_missing_reported = false;
    for (page, result) in doc.pages.iter_mut().zip(results) {
        match result {
            None => {}
            Some(Ok(o)) => {
                ocred += 1;
                eprintln!(
                    "{path}: page {}: {} {} model {} mean confidence {:.1}, {} low-confidence words, skew {:?}",
                    page.number,
                    o.provenance.engine,
                    o.provenance.version,
                    o.provenance.model,
                    o.provenance.mean_confidence,
                    o.low_confidence.len(),
                    o.skew_degrees
                );
                for w in &o.warnings {
                    eprintln!("{path}: page {}: {w}", page.number);
                }
                if rows {
                    eprint!("{}", ocr::layout::describe(&o.words));
                }
                *page = o.page;
            }
            // One warning per run, not one per page.
            Some(Err(e)) if e.is_engine_missing() && !engine_missing_reported => {
                eprintln!("{path}: {e}");
                engine_missing_reported = true;
            }
            Some(Err(e)) if e.is_engine_missing() => {}
            Some(Err(e)) => eprintln!("{path}: {e}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{path}: OCRed {ocred} pages in {secs:.1} s ({:.2} pages/s)",
        ocred as f64 / secs.max(1e-9)
    );
    let out = TextDocument { pages: doc.pages };
    print!("{}", out.plain_text());
}
