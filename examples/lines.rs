//! Prints what the parser sees of a PDF: its body lines (index, page, text) as
//! `segment::lines` gives them, and the segments found over them. For diagnosing why a
//! template is read the way it is. Usage: lines FILE.pdf
use referat::read::{self, Limits};
use referat::vocab::Vocabulary;
use referat::{extract, segment};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: lines FILE.pdf");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let limits = Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let doc = extract::extract(&pdf, &limits);
    let vocab = Vocabulary::builtin();
    let lines = segment::lines(&doc);
    let segs = segment::segment_lines(&doc, &lines, &vocab);
    for (i, l) in lines.iter().enumerate() {
        if let Some(s) = segs.iter().find(|s| s.first_line == i) {
            println!("----- {} {:?}", s.kind.as_str(), s.case_number);
        }
        let cell = l
            .cell
            .map(|c| format!("t{}r{}c{}", c.table, c.row, c.col))
            .unwrap_or_default();
        println!("{i:4} p{:<2} {cell:9} {}", l.page, l.text);
    }
}
