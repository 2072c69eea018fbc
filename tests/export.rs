//! `referat export`: CSV and Parquet tables with a Frictionless data package, over the corpus
//! output; checked by frictionless and pyarrow (tests/export_check.py), for determinism, and for
//! the errors on bad input.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

/// The datasets of `referat extract corpus`, made once for all tests of this file.
fn corpus_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = scratch("export-corpus");
        extract_ok(&[&repo().join("corpus")], &out, &[]);
        out
    })
}

/// A copy of the corpus datasets (and manifest) in a new directory, to change or move.
fn copy_of_run(name: &str) -> PathBuf {
    let dir = scratch(name);
    for entry in std::fs::read_dir(corpus_run()).unwrap().flatten() {
        let p = entry.path();
        let keep = p.extension().is_some_and(|e| e == "jsonl")
            || p.file_name().is_some_and(|n| n == ".referat-manifest.json");
        if keep && p.is_file() {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn export(dir: &Path, format: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export".to_string(),
        dir.display().to_string(),
        "--format".into(),
        format.into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    referat(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn export_ok(dir: &Path, format: &str, out: &Path) {
    let o = export(dir, format, out, &[]);
    assert_eq!(o.status.code(), Some(0), "export failed: {}", stderr(&o));
}

/// Every file of a directory by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// True when the Python packages of the check are installed. Otherwise the test is skipped
/// with a notice, unless CI=true (.ci/run installs them), where it fails instead.
fn python_checks_available(test: &str) -> bool {
    let probe = Command::new("python3")
        .args(["-c", "import frictionless, pandas, pyarrow"])
        .output();
    match probe {
        Ok(o) if o.status.success() => true,
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                Err(e) => e.to_string(),
            };
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: python3 with frictionless, pandas and pyarrow is required in CI: {why}");
            }
            eprintln!("SKIPPED {test}: python3 with frictionless, pandas and pyarrow: {why}");
            false
        }
    }
}

#[test]
fn corpus_exports_validate_and_read_back_as_the_datasets() {
    let run = corpus_run();
    let out = scratch("export-check");
    let (csv, parquet) = (out.join("csv"), out.join("parquet"));
    export_ok(run, "csv", &csv);
    export_ok(run, "parquet", &parquet);
    if !python_checks_available("corpus_exports_validate_and_read_back_as_the_datasets") {
        return;
    }
    let o = Command::new("python3")
        .arg(repo().join("tests/export_check.py"))
        .args([run, &csv, &parquet])
        .output()
        .unwrap();
    let report = stdout(&o);
    println!("{report}");
    assert!(
        o.status.success(),
        "export_check.py failed:\n{report}\n{}",
        stderr(&o)
    );
    // The checks ran over every dataset of both formats.
    for name in DATASETS {
        for format in ["csv", "parquet"] {
            assert!(
                report.contains(&format!("{format} {name}: ")),
                "{format} {name} not checked:\n{report}"
            );
        }
    }
}

#[test]
fn the_same_datasets_give_the_same_files() {
    // The same datasets in another directory: nothing of the path or time gets in.
    let moved = copy_of_run("export-moved");
    let out = scratch("export-twice");
    for format in ["csv", "parquet"] {
        let (a, b) = (
            out.join(format!("{format}-a")),
            out.join(format!("{format}-b")),
        );
        export_ok(corpus_run(), format, &a);
        export_ok(&moved, format, &b);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), 22, "21 tables and datapackage.json");
        for ((name_a, bytes_a), (name_b, bytes_b)) in fa.iter().zip(&fb) {
            assert_eq!(name_a, name_b);
            assert!(
                bytes_a == bytes_b,
                "{format}: {name_a} differs between runs"
            );
        }
    }
}

#[test]
fn csv_holds_the_values_of_the_datasets() {
    let out = scratch("export-csv-values");
    export_ok(corpus_run(), "csv", &out);
    let meetings = std::fs::read_to_string(out.join("meetings.csv")).unwrap();
    // The README's example line of meetings.jsonl, as a row: numbers bare, the date and times
    // as written, the location quoted for its comma, RFC 4180 line ends.
    assert!(
        meetings.starts_with("id,body,body_id,number,year,date,start_time,end_time,location\r\n")
    );
    assert!(
        meetings.contains(
            "\r\nnasjonalt-e-helserad/2019/5,Nasjonalt e-helsestyre,nasjonalt-e-helserad,5,2019,\
             2019-10-28,09:00,09:30,\"Radisson Blu, Gardermoen\"\r\n"
        ),
        "{meetings}"
    );
    let lines = |file: &str| {
        std::fs::read_to_string(corpus_run().join(file))
            .unwrap()
            .lines()
            .count()
    };
    // One row per line, with a header; a CSV row may span lines, so rows are counted by csv.
    let rows = |file: &str| csv_rows(&out.join(file)).len();
    assert_eq!(rows("meetings.csv"), lines("meetings.jsonl"));
    assert_eq!(rows("cases.csv"), lines("cases.jsonl"));
    assert_eq!(rows("participants.csv"), lines("participants.jsonl"));
    // A nested list is a child table: the first meeting's sources, in order.
    let meeting: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(corpus_run().join("meetings.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let id = meeting["id"].as_str().unwrap();
    let sources: Vec<Vec<String>> = csv_rows(&out.join("meeting_sources.csv"))
        .into_iter()
        .filter(|r| r[0] == id)
        .collect();
    let expected: Vec<Vec<String>> = meeting["sources"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(seq, s)| {
            vec![
                id.to_string(),
                seq.to_string(),
                s["document_id"].as_str().unwrap().to_string(),
                s["page"].to_string(),
            ]
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(sources, expected);
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Runs an export expected to fail: exit 2 and one line on stderr naming the problem.
fn export_fails(dir: &Path, out: &Path, extra: &[&str]) -> String {
    let o = export(dir, "csv", out, extra);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_directory_that_is_not_a_referat_output_is_refused() {
    let dir = scratch("export-not-output");
    std::fs::write(dir.join("notes.txt"), "not datasets").unwrap();
    let out = dir.join("export");
    let err = export_fails(&dir, &out, &[]);
    assert!(err.contains("no documents.jsonl"), "{err}");
    assert!(err.contains(&dir.display().to_string()), "{err}");
    assert!(!out.exists(), "nothing is created for bad input");
}

#[test]
fn a_dataset_line_that_does_not_validate_is_named_with_file_and_line() {
    // A date in the Norwegian way breaks the schema's pattern: named by `validate`'s checks.
    let dir = copy_of_run("export-bad-date");
    replace_on_line(
        &dir.join("meetings.jsonl"),
        2,
        "\"date\":\"",
        "\"date\":\"2.",
    );
    let err = export_fails(&dir, &dir.join("out"), &[]);
    let file = dir.join("meetings.jsonl").display().to_string();
    assert!(err.contains(&format!("{file}:2: at /date")), "{err}");

    // A date the pattern lets through but no calendar has.
    let dir = copy_of_run("export-bad-day");
    let line = replace_date_on_line(&dir.join("meetings.jsonl"), 1, "2019-02-30");
    let err = export_fails(&dir, &dir.join("out"), &[]);
    assert!(
        err.contains(&format!(
            "{} line {line}: date \"2019-02-30\" is not a calendar date",
            dir.join("meetings.jsonl").display()
        )),
        "{err}"
    );

    // A line that is not JSON at all.
    let dir = copy_of_run("export-not-json");
    let path = dir.join("cases.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"id\": \n");
    std::fs::write(&path, &text).unwrap();
    let line = text.lines().count();
    let err = export_fails(&dir, &dir.join("out"), &[]);
    assert!(
        err.contains(&format!("{} line {line}", path.display())),
        "{err}"
    );
}

#[test]
fn a_foreign_key_pointing_nowhere_is_named_with_file_and_line() {
    // The package promises that every participant's person is in people; a participant whose
    // person is not breaks it, and the export says where rather than writing an invalid package.
    let dir = copy_of_run("export-dangling");
    let path = dir.join("participants.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"person_id\":\"person/"))
        .expect("a participant with a person")
        + 1;
    let changed: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                let start = l.find("\"person_id\":\"").unwrap() + "\"person_id\":\"".len();
                let end = start + l[start..].find('"').unwrap();
                format!("{}person/nobody{}", &l[..start], &l[end..])
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, changed.join("\n") + "\n").unwrap();
    let err = export_fails(&dir, &dir.join("out"), &[]);
    assert!(
        err.contains(&format!(
            "{} line {line}: participants.person_id \"person/nobody\" is not the id of any line of people.jsonl",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn an_export_directory_that_is_not_empty_needs_force() {
    let out = scratch("export-not-empty");
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let err = export_fails(corpus_run(), &out, &[]);
    assert!(err.contains("exists and is not empty"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(files(&out).len(), 1, "nothing written");

    let o = export(corpus_run(), "csv", &out, &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("datapackage.json").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );

    // An empty directory is fine without --force, and the default is DIR/export-FORMAT.
    let dir = copy_of_run("export-default-out");
    std::fs::create_dir(dir.join("export-parquet")).unwrap();
    let o = referat(&["export", &dir.display().to_string(), "--format", "parquet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("export-parquet/cases.parquet").is_file());
}

/// Replaces the first `from` on 1-based line `n` of a file with `to`.
fn replace_on_line(path: &Path, n: usize, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == n {
                assert!(l.contains(from), "line {n} of {}: {l}", path.display());
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Sets the date of the first meeting line at or after line `from` that has one; returns its
/// line number.
fn replace_date_on_line(path: &Path, from: usize, date: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .enumerate()
        .skip(from - 1)
        .find(|(_, l)| l.contains("\"date\":\"2"))
        .expect("a meeting with a date")
        .0
        + 1;
    let l = text.lines().nth(line - 1).unwrap();
    let start = l.find("\"date\":\"").unwrap() + "\"date\":\"".len();
    let old = &l[start..start + 10];
    replace_on_line(
        path,
        line,
        &format!("\"date\":\"{old}\""),
        &format!("\"date\":\"{date}\""),
    );
    line
}
