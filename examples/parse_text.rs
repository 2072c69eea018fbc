//! Runs segmentation, parsing and resolution on plain-text files (blocks one per line, pages
//! split by form feeds) and writes the datasets: for checking the parser against reference
//! texts without PDF extraction. Usage: parse_text OUTDIR FILE.txt... (`referat text` prints
//! lines, not blocks; `referat text --json FILE.pdf | jq -r '.pages[].blocks[].text'` gives
//! the blocks.)

use referat::extract::TextDocument;
use referat::pipeline::{sha256_hex, DocumentResult};
use referat::records::{DocumentRow, SegmentRow};
use referat::vocab::Vocabulary;
use referat::{emit, parse, resolve, segment};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, files)) = args.split_first() else {
        eprintln!("usage: parse_text OUTDIR FILE.txt...");
        std::process::exit(2);
    };
    let vocab = Vocabulary::builtin();
    let mut results = Vec::new();
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{f}: {e}");
                std::process::exit(2);
            }
        };
        let sha = sha256_hex(text.as_bytes());
        let id = referat::pipeline::document_id(&sha);
        let doc = TextDocument::from_plain_text(&text);
        let segs = segment::segment(&doc, &vocab);
        let records = parse::parse(&id, &doc, &segs, &vocab);
        results.push(DocumentResult {
            document: DocumentRow {
                id,
                path: f.clone(),
                sha256: sha,
                pages: doc.pages.len(),
                producer: None,
                status: "ok".into(),
                errors: vec![],
                segments: segs.iter().map(SegmentRow::from).collect(),
                ocr_pages: Vec::new(),
            },
            records,
        });
    }
    let ds = resolve::resolve(results, &vocab);
    if let Err(e) = emit::write_datasets(&ds, std::path::Path::new(out)) {
        eprintln!("{out}: {e}");
        std::process::exit(2);
    }
}
