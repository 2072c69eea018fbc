//! The real-world PDFs in ../shared/pdf-samples (when present next to the repository): each
//! gives text, pages that need OCR, or a clear error, never a panic, and as many pages as
//! files.json lists (or a warning saying how many could not be read).

use std::path::{Path, PathBuf};

use referat::{extract, read};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-samples");
    dir.join("files.json").is_file().then_some(dir)
}

#[test]
fn every_sample_gives_text_or_a_clear_error_with_its_page_count() {
    let Some(dir) = samples() else {
        eprintln!("../shared/pdf-samples not present: nothing to check");
        return;
    };
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("files.json")).unwrap()).unwrap();
    let list = index["data"]
        .as_array()
        .expect("files.json lists its files under data");
    let limits = read::Limits::default();
    let mut checked = 0;
    for entry in list {
        let path = dir.join(entry["path"].as_str().unwrap());
        let Ok(bytes) = std::fs::read(&path) else {
            continue; // listed but not shipped
        };
        let pdf = match read::open_bytes(&bytes, &limits) {
            Ok(pdf) => pdf,
            Err(e) => {
                // Only a file that needs a password may fail here, and it must say so.
                assert!(
                    e.to_string().contains("password"),
                    "{}: {e}",
                    path.display()
                );
                checked += 1;
                continue;
            }
        };
        let doc = extract::extract(&pdf, &limits);
        let declared = entry["pages"].as_u64().unwrap() as usize;
        assert!(
            doc.pages.len() == declared
                || pdf
                    .warnings
                    .iter()
                    .any(|w| w.contains(&format!("declares {declared} pages"))),
            "{}: {} pages, files.json says {declared}; warnings {:?}",
            path.display(),
            doc.pages.len(),
            pdf.warnings
        );
        let words: usize = doc
            .pages
            .iter()
            .flat_map(|p| &p.blocks)
            .map(|b| b.text.split_whitespace().count())
            .sum();
        assert!(
            words > 0 || doc.pages.iter().any(|p| p.needs_ocr),
            "{}: neither text nor a page that needs OCR",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} samples read");
}

#[test]
fn words_without_space_glyphs_come_from_glyph_gaps() {
    let Some(dir) = samples() else {
        return;
    };
    let bytes = std::fs::read(dir.join("021-pdfa/crazyones-pdfa.pdf")).unwrap();
    let limits = read::Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).unwrap();
    let text = extract::extract(&pdf, &limits).plain_text();
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "The Crazy Ones");
    assert_eq!(
        lines[2],
        "Heres to the crazy ones. The misfits. The rebels. The troublemakers."
    );
    assert_eq!(text.split_whitespace().count(), 170);
}
