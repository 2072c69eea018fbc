//! The corpus variants read close to their reference text (the similarity that
//! ../shared/bin/text-similarity measures: whitespace collapsed, NFC, soft hyphens dropped).

use std::path::Path;

use referat::{extract, read};
use unicode_normalization::UnicodeNormalization;

fn normalised(s: &str) -> String {
    let s: String = s.nfc().filter(|&c| c != '\u{ad}').collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn similarity(name: &str, variant: &str) -> f64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let reference = std::fs::read_to_string(root.join(format!("reference/{name}.txt")))
        .expect("reference text");
    let bytes = std::fs::read(root.join(format!("pdf/{name}.{variant}.pdf"))).expect("pdf");
    let limits = read::Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).expect("opens");
    let got = extract::extract(&pdf, &limits).plain_text();
    // Indel-based ratio, as the Levenshtein package's ratio().
    let (a, b) = (normalised(&reference), normalised(&got));
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let lcs = lcs_len(&a, &b);
    2.0 * lcs as f64 / (a.len() + b.len()) as f64
}

/// Length of the longest common subsequence (indel distance = len a + len b - 2 lcs).
fn lcs_len(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &ca in a {
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[test]
fn mandate_reads_as_its_reference_from_every_producer() {
    for variant in ["lo", "chrome", "gs", "cairo", "objstm", "aes"] {
        let s = similarity("mandat-samarbeidsorgan-digital-helseberedskap", variant);
        assert!(s >= 0.995, "{variant}: {s:.4}");
    }
}

#[test]
fn broken_ligature_maps_read_like_the_clean_file() {
    // The gs file maps Carlito's ligatures to CJK code points; after repair it must read as
    // well as the LibreOffice original it was distilled from.
    let name = "ehelsestyret-2021-05-06-webinar";
    let clean = similarity(name, "lo");
    let gs = similarity(name, "gs");
    assert!(gs >= 0.995, "gs: {gs:.4}");
    assert!(gs >= clean - 0.001, "gs {gs:.4} vs lo {clean:.4}");
}

#[test]
fn scanned_variant_needs_ocr_on_every_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf");
    let bytes = std::fs::read(root.join("mandat-samarbeidsorgan-digital-helseberedskap.scan.pdf"))
        .expect("pdf");
    let limits = read::Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).expect("opens");
    let doc = extract::extract(&pdf, &limits);
    assert!(!doc.pages.is_empty());
    assert!(doc.pages.iter().all(|p| p.needs_ocr && p.blocks.is_empty()));
}
