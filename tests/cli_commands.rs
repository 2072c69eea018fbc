//! The command line as a user meets it: help, exit codes, validate, stats, text.

mod common;

use common::*;

#[test]
fn help_shows_examples_and_exit_codes() {
    let top = referat(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    let text = stdout(&top);
    for cmd in ["extract", "text", "validate", "stats", "eval"] {
        assert!(text.contains(cmd), "{cmd} missing from --help: {text}");
    }
    assert!(
        text.contains("Examples:") && text.contains("Exit codes:"),
        "{text}"
    );
    let ex = stdout(&referat(&["extract", "--help"]));
    for flag in [
        "--out",
        "--jobs",
        "--force",
        "--strict",
        "--vocab",
        "--timeout",
        "--max-file-mib",
        "--max-stream-mib",
        "--max-objects",
        "--max-form-depth",
        "Examples:",
        "Exit codes:",
    ] {
        assert!(
            ex.contains(flag),
            "{flag} missing from extract --help: {ex}"
        );
    }
}

#[test]
fn usage_and_input_errors_exit_2_naming_the_problem() {
    let o = referat(&["extract", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let out = scratch("usage");
    let o = referat(&["extract", "no/such/dir", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir"), "{}", stderr(&o));
    // A device or pipe could be endless: not taken as an input.
    let o = referat(&["extract", "/dev/zero", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero: not a regular file"),
        "{}",
        stderr(&o)
    );
    let o = referat(&["validate", "no/such/dir"]);
    assert_eq!(o.status.code(), Some(2));
    let o = referat(&["text", "Cargo.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Cargo.toml"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn validate_passes_on_a_run_and_names_line_and_reason_of_a_broken_one() {
    let out = scratch("validate");
    let lo = corpus_pdfs(".lo.pdf");
    let lo: Vec<&std::path::Path> = lo.iter().map(|p| p.as_path()).collect();
    extract_ok(&lo, &out, &[]);
    let ok = referat(&["validate", out.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    assert!(stderr(&ok).contains("all valid"));

    // Break line 2 of documents.jsonl by hand: pages becomes a string.
    let path = out.join("documents.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut row: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    row["pages"] = "many".into();
    lines[1] = row.to_string();
    lines[2] = "{not json".into();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let bad = referat(&["validate", out.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    let report = stdout(&bad);
    assert!(
        report.contains("documents.jsonl:2: at /pages:") && report.contains("\"many\""),
        "{report}"
    );
    assert!(report.contains("documents.jsonl:3: not JSON"), "{report}");

    // A file cut short is reported, not silently accepted.
    std::fs::write(&path, &text[..text.len() - 10]).unwrap();
    let cut = referat(&["validate", out.to_str().unwrap()]);
    assert_eq!(cut.status.code(), Some(1));
    assert!(stdout(&cut).contains("no newline"), "{}", stdout(&cut));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn stats_counts_what_the_datasets_hold() {
    let out = scratch("stats");
    let lo = corpus_pdfs(".lo.pdf");
    let lo: Vec<&std::path::Path> = lo.iter().map(|p| p.as_path()).collect();
    extract_ok(&lo, &out, &[]);
    let o = referat(&["stats", out.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let docs = documents(&out);
    let total: u64 = stats["documents"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, docs.len());
    let pages: u64 = docs.iter().map(|d| d["pages"].as_u64().unwrap()).sum();
    assert_eq!(stats["pages"], pages);
    let count = |name: &str| {
        std::fs::read_to_string(out.join(format!("{name}.jsonl")))
            .unwrap()
            .lines()
            .count() as u64
    };
    let meetings: u64 = stats["by_body_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["meetings"].as_u64().unwrap())
        .sum();
    assert_eq!(meetings, count("meetings"));
    let cases: u64 = stats["by_body_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(cases, count("cases"));
    assert_eq!(stats["references"], count("references"));
    // Attendance: every participant line is counted once, and the rate is present of known.
    let a = &stats["attendance"];
    let (present, absent, unknown) = (
        a["present"].as_u64().unwrap(),
        a["absent"].as_u64().unwrap(),
        a["unknown"].as_u64().unwrap(),
    );
    assert_eq!(present + absent + unknown, count("participants"));
    let participants = std::fs::read_to_string(out.join("participants.jsonl")).unwrap();
    let present_lines = participants
        .lines()
        .filter(|l| l.contains("\"attendance\":\"present\""))
        .count() as u64;
    assert_eq!(present, present_lines);
    if present + absent > 0 {
        let rate = a["rate"].as_f64().unwrap();
        assert!((rate - present as f64 / (present + absent) as f64).abs() < 1e-9);
    }
    let unresolved = std::fs::read_to_string(out.join("references.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"resolved_id\":null"))
        .count() as u64;
    assert_eq!(stats["unresolved_references"], unresolved);
    let plain = referat(&["stats", out.to_str().unwrap()]);
    assert!(stdout(&plain).contains(&format!("documents: {}", docs.len())));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn text_prints_a_pdf_s_text_and_its_structure() {
    let pdf = corpus_pdfs(".lo.pdf").remove(0);
    let plain = referat(&["text", pdf.to_str().unwrap()]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(stdout(&plain).split_whitespace().count() > 50);
    let json = referat(&["text", pdf.to_str().unwrap(), "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(!doc["pages"].as_array().unwrap().is_empty());
}

#[test]
fn text_into_a_closed_pipe_exits_quietly() {
    use std::process::{Command, Stdio};
    let pdf = corpus_pdfs(".lo.pdf").remove(0);
    let mut child = Command::new(bin())
        .args(["text", pdf.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn referat");
    // The reader goes away before the text is written, as `| head -1` does after its line.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_run_off_a_terminal_logs_progress_lines_and_a_summary_that_matches_the_datasets() {
    let out = scratch("summary");
    let lo = corpus_pdfs(".lo.pdf");
    let lo: Vec<&std::path::Path> = lo.iter().map(|p| p.as_path()).collect();
    let o = extract_ok(&lo, &out, &[]);
    let err = stderr(&o);
    let n = lo.len();
    // Plain lines, no terminal control codes.
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(
        err.contains(&format!("referat: {n}/{n} documents (100%)")),
        "{err}"
    );
    let docs = documents(&out);
    let status = |s: &str| docs.iter().filter(|d| d["status"] == s).count();
    assert!(
        err.contains(&format!(
            "referat: {n} documents: {} ok, {} partial, {} failed; {n} parsed, 0 reused",
            status("ok"),
            status("partial"),
            status("failed")
        )),
        "{err}"
    );
    let lines = |name: &str| {
        std::fs::read_to_string(out.join(format!("{name}.jsonl")))
            .unwrap()
            .lines()
            .count()
    };
    assert!(
        err.contains(&format!(
            "referat: {} meetings, {} cases, {} participants, {} people, {} references",
            lines("meetings"),
            lines("cases"),
            lines("participants"),
            lines("people"),
            lines("references")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} warnings", lines("warnings"))),
        "{err}"
    );
    assert!(err.contains(" pages/s parsed"), "{err}");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn stats_lists_documents_without_a_meeting_and_labels_not_understood() {
    // A page of lorem ipsum holds no meeting; the Frøya kontrollutvalg's notice labels its
    // secretary "Møteansvarlig:", a label the built-in vocabulary does not know.
    let lorem = repo().join("../shared/pdf-samples/002-trivial-libre-office-writer");
    let lorem = std::fs::read_dir(&lorem)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        })
        .ok()
        .flatten();
    let Some(lorem) = lorem else {
        eprintln!("NOTICE: ../shared/pdf-samples not found; stats lists not checked");
        return;
    };
    let minutes = repo().join("tests/fixtures/zoo/kontrollutvalget-froya-2009-02.lo.pdf");
    let out = scratch("stats-lists");
    extract_ok(&[&lorem, &minutes], &out, &[]);
    let stats_of = |out: &std::path::Path| -> serde_json::Value {
        let o = referat(&["stats", out.to_str().unwrap(), "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let stats = stats_of(&out);
    let without: Vec<&str> = stats["no_meeting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(without, [lorem.to_str().unwrap()], "{stats}");
    let labels = |stats: &serde_json::Value| -> Vec<String> {
        stats["unknown_labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["label"].as_str().unwrap().to_string())
            .collect()
    };
    let unknown = labels(&stats);
    assert!(unknown.iter().any(|l| l == "Møteansvarlig"), "{unknown:?}");
    let first = &stats["unknown_labels"][0];
    assert!(first["count"].as_u64().unwrap() >= 1);
    assert_eq!(first["documents"], 1);
    let plain = referat(&["stats", out.to_str().unwrap()]);
    let text = stdout(&plain);
    assert!(text.contains("documents without a meeting (1)"), "{text}");
    assert!(text.contains("Møteansvarlig"), "{text}");

    // The README's advice: put the reported labels into a vocabulary of one's own, re-run.
    let vocab = out.join("my-vocab");
    std::fs::create_dir_all(&vocab).unwrap();
    std::fs::write(
        vocab.join("labels.toml"),
        "[labels]\nignored = [\"Møteansvarlig\"]\n",
    )
    .unwrap();
    let again = out.join("again");
    extract_ok(
        &[&lorem, &minutes],
        &again,
        &["--vocab", vocab.to_str().unwrap()],
    );
    let unknown = labels(&stats_of(&again));
    assert!(!unknown.iter().any(|l| l == "Møteansvarlig"), "{unknown:?}");
    std::fs::remove_dir_all(&out).unwrap();
}
