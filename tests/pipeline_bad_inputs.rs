//! One run over good PDFs and hostile or broken ones: the batch finishes, keeps every good
//! document's records, and gives each bad one a clear error line, in bounded memory.
//!
//! This file holds a single test so that the peak memory of its child processes is the run's.

mod common;

use common::*;
use std::io::Write;
use std::path::Path;

/// A one-page PDF whose content stream is `inflated` bytes of zeros, Flate-compressed (a few
/// MiB on disk).
fn write_flate_bomb(path: &Path, inflated: u64) {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let chunk = vec![0u8; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        enc.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    let stream = enc.finish().unwrap();
    let mut pdf: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> =
        vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_vec(),
        [
            format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    std::fs::write(path, pdf).unwrap();
}

/// Largest resident set of any finished child of this process, in bytes.
fn peak_child_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn bad_pdfs_fail_alone_with_clear_messages() {
    let root = scratch("bad");
    let good_dir = root.join("good");
    let mixed = root.join("mixed");
    std::fs::create_dir_all(&good_dir).unwrap();
    std::fs::create_dir_all(&mixed).unwrap();
    for p in corpus_pdfs(".lo.pdf") {
        std::fs::copy(&p, good_dir.join(p.file_name().unwrap())).unwrap();
        std::fs::copy(&p, mixed.join(p.file_name().unwrap())).unwrap();
    }
    let sample = std::fs::read(&corpus_pdfs(".chrome.pdf")[0]).unwrap();
    std::fs::write(mixed.join("truncated.pdf"), &sample[..2048]).unwrap();
    std::fs::write(mixed.join("empty.pdf"), b"").unwrap();
    std::fs::write(
        mixed.join("notes.pdf"),
        "Referat fra møtet\nDette er tekst.\n",
    )
    .unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/password.pdf"),
        mixed.join("password.pdf"),
    )
    .unwrap();
    write_flate_bomb(&mixed.join("bomb.pdf"), 2 << 30);

    let good_out = root.join("good-out");
    let mixed_out = root.join("mixed-out");
    extract_ok(&[&good_dir], &good_out, &[]);
    let run = extract_ok(
        &[&mixed],
        &mixed_out,
        &["--max-stream-mib", "64", "--timeout", "60"],
    );
    let peak = peak_child_rss();
    assert!(peak < 1 << 30, "peak memory {} MiB", peak >> 20);

    // Every good document's records are there, the same as without the bad ones.
    let (good, all) = (datasets(&good_out), datasets(&mixed_out));
    for name in [
        "bodies",
        "meetings",
        "participants",
        "cases",
        "references",
        "people",
    ] {
        assert!(good[name] == all[name], "{name}.jsonl differs");
    }
    let docs = documents(&mixed_out);
    let good_docs = documents(&good_out);
    for g in &good_docs {
        let name = Path::new(g["path"].as_str().unwrap()).file_name().unwrap();
        let m = docs
            .iter()
            .find(|d| Path::new(d["path"].as_str().unwrap()).file_name() == Some(name))
            .unwrap();
        assert_eq!(g["status"], m["status"]);
        assert_eq!(g["id"], m["id"]);
    }

    // One clear line per bad one, naming the file and what was wrong.
    let expect = [
        (
            "truncated.pdf",
            vec!["damaged", "truncated", "not a pdf", "no page", "recover"],
        ),
        ("empty.pdf", vec!["empty"]),
        ("notes.pdf", vec!["not a pdf"]),
        ("password.pdf", vec!["password", "encrypt"]),
        ("bomb.pdf", vec!["limit"]),
    ];
    for (file, words) in expect {
        let lines: Vec<_> = docs
            .iter()
            .filter(|d| d["path"].as_str().unwrap().ends_with(file))
            .collect();
        assert_eq!(lines.len(), 1, "{file}: one line");
        let d = lines[0];
        assert_ne!(d["status"], "ok", "{file}: {d}");
        if file == "bomb.pdf" {
            // Its only page was refused: nothing of it was read, so it failed.
            assert_eq!(d["status"], "failed", "{file}: {d}");
        }
        let errors: Vec<String> = d["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect();
        assert!(!errors.is_empty(), "{file}: no message");
        let text = errors.join(" | ");
        assert!(
            text.contains(file),
            "{file}: message does not name the file: {text}"
        );
        let lower = text.to_lowercase();
        assert!(
            words.iter().any(|w| lower.contains(w)),
            "{file}: message does not say what was wrong: {text}"
        );
    }
    assert_eq!(docs.len(), good_docs.len() + 5);
    // The summary names the failures too.
    assert!(stderr(&run).contains("failed"), "{}", stderr(&run));

    // --strict turns failed documents into exit code 1.
    let strict = referat(&[
        "extract",
        mixed.to_str().unwrap(),
        "--out",
        mixed_out.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    std::fs::remove_dir_all(&root).unwrap();
}
