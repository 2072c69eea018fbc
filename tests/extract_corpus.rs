//! The corpus variants read close to their reference text (the similarity that
//! ../shared/bin/text-similarity measures: whitespace collapsed, NFC, soft hyphens dropped).

use std::path::Path;

use referat::{extract, read};

mod common;

fn similarity(name: &str, variant: &str) -> f64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let reference = std::fs::read_to_string(root.join(format!("reference/{name}.txt")))
        .expect("reference text");
    let bytes = std::fs::read(root.join(format!("pdf/{name}.{variant}.pdf"))).expect("pdf");
    let limits = read::Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).expect("opens");
    let got = extract::extract(&pdf, &limits).plain_text();
    common::text_similarity(&reference, &got)
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

fn first_page(name: &str, variant: &str) -> referat::extract::TextPage {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf");
    let bytes = std::fs::read(root.join(format!("{name}.{variant}.pdf"))).expect("pdf");
    let limits = read::Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).expect("opens");
    extract::extract(&pdf, &limits).pages.remove(0)
}

#[test]
fn label_value_box_and_agenda_come_out_as_tables() {
    // Chromium files are tagged (structure tree); LibreOffice files are not (alignment).
    for variant in ["chrome", "lo"] {
        let page = first_page("ehelseradet-2022-12-02", variant);
        let cell = |t: &referat::extract::Table, r: usize, c: usize| -> String {
            t.rows[r][c]
                .iter()
                .map(|&b| page.blocks[b].text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let boxed = page
            .tables
            .iter()
            .find(|t| t.rows.len() >= 4 && t.rows[0].len() >= 2 && cell(t, 0, 0) == "Møte")
            .unwrap_or_else(|| panic!("{variant}: no label/value table"));
        let labels: Vec<String> = (0..4).map(|r| cell(boxed, r, 0)).collect();
        assert_eq!(labels, ["Møte", "Dato", "Tid", "Sted"], "{variant}");
        assert_eq!(cell(boxed, 1, 1), "2. desember 2022", "{variant}");
        let agenda = page
            .tables
            .iter()
            .find(|t| t.rows.first().is_some_and(|r| r.len() == 4))
            .unwrap_or_else(|| panic!("{variant}: no agenda table"));
        assert_eq!(cell(agenda, 1, 0), "38/22", "{variant}");
        assert_eq!(cell(agenda, 1, 2), "10:00", "{variant}");
        for b in &page.blocks {
            if let referat::extract::BlockRole::Cell { table, row, col } = b.role {
                assert!(page.tables[table].rows[row][col]
                    .iter()
                    .any(|&i| std::ptr::eq(&page.blocks[i], b)));
            }
        }
    }
}

#[test]
fn extraction_repeats_exactly() {
    // Hash maps get fresh random keys each time: their order must never reach the output.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf");
    let bytes = std::fs::read(root.join("ehelseradet-2022-12-02.cairo.pdf")).expect("pdf");
    let limits = read::Limits::default();
    let run = || {
        let pdf = read::open_bytes(&bytes, &limits).expect("opens");
        serde_json::to_string(&extract::extract(&pdf, &limits)).expect("serialises")
    };
    let first = run();
    for _ in 0..3 {
        assert!(run() == first, "two extractions of one file differ");
    }
}

#[test]
fn pages_read_in_parallel_give_what_one_thread_gives() {
    // cairo: fonts repaired from their siblings; chrome: tagged; lo: tables from alignment.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf");
    let limits = read::Limits::default();
    let in_pool = |threads: usize, bytes: &[u8]| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            let pdf = read::open_bytes(bytes, &limits).expect("opens");
            extract::extract(&pdf, &limits)
        })
    };
    for variant in ["cairo", "chrome", "lo"] {
        let name = format!("ehelseradet-2022-12-02.{variant}.pdf");
        let bytes = std::fs::read(root.join(&name)).expect("pdf");
        let one = in_pool(1, &bytes);
        assert!(one.pages.len() > 1, "{name}: several pages");
        for threads in [2, 4] {
            assert!(
                in_pool(threads, &bytes) == one,
                "{name}: {threads} threads differ"
            );
        }
    }
}
