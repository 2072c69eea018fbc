//! Loading into SQLite, searching it, and the `load` / `search` commands.

mod db_common;

use std::process::Command;

use db_common::*;
use referat::db;

#[test]
fn counts_and_foreign_keys() {
    let t = Target::sqlite("s-counts");
    db_common::counts_and_foreign_keys(&t);
    // SQLite's own check agrees.
    assert!(t.query("SELECT * FROM pragma_foreign_key_check").is_empty());
}

#[test]
fn second_load_changes_nothing() {
    idempotent(&Target::sqlite("s-idem"));
}

#[test]
fn newer_run_updates_adds_and_removes() {
    update_load(&Target::sqlite("s-update"));
}

#[test]
fn failed_load_changes_nothing() {
    failed_load_rolls_back(&Target::sqlite("s-fail"));
}

#[test]
fn failed_first_load_leaves_no_schema() {
    failed_first_load_leaves_nothing(&Target::sqlite("s-fail0"));
}

#[test]
fn older_schema_is_upgraded() {
    upgrade_from_version_1(&Target::sqlite("s-upgrade"));
}

#[test]
fn norwegian_search() {
    let t = Target::sqlite("s-search");
    search_common(&t);
    // FTS5 matches whole words: the inflected form is not the word...
    let hits = db::search(&t.url, &query("helsedata")).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    // ...unless asked for as a prefix.
    let hits = db::search(&t.url, &query("helsedata*")).unwrap();
    let numbers: Vec<_> = hits.iter().map(|h| h.case_number.as_str()).collect();
    assert_eq!(numbers, ["30/21", "12/22"]);
    // å is not a: "rådet" does not match "radet".
    assert!(db::search(&t.url, &query("radet")).unwrap().is_empty());
}

#[test]
fn documented_sql_examples() {
    sql_examples(&Target::sqlite("s-sql"));
}

#[test]
fn generated_run_of_two_thousand_cases() {
    generated_volume(&Target::sqlite("s-volume"), 2000);
}

#[test]
fn a_malformed_line_is_named_and_nothing_is_loaded() {
    let t = Target::sqlite("s-badjson");
    let dir = write_run(&fixture(), "badjson");
    let path = dir.join("cases.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"id\": \"x\", \"meeting_id\": 7}\n");
    std::fs::write(&path, text).unwrap();
    let err = db::load(&dir, &t.url).unwrap_err();
    assert!(err.contains("cases.jsonl line 6"), "{err}");
    let missing = temp_dir("s-empty");
    let err = db::load(&missing, &t.url).unwrap_err();
    assert!(err.contains("no documents.jsonl"), "{err}");
}

#[test]
fn a_run_with_only_documents_loads() {
    // What `referat extract` writes before the parser fills the other datasets.
    let t = Target::sqlite("s-docsonly");
    let dir = temp_dir("docsonly");
    let ds = fixture();
    let docs: String = ds
        .documents
        .iter()
        .map(|d| serde_json::to_string(d).unwrap() + "\n")
        .collect();
    std::fs::write(dir.join("documents.jsonl"), docs).unwrap();
    let report = db::load(&dir, &t.url).unwrap();
    assert_eq!(report.table("documents").inserted, 3);
    assert_eq!(t.count("cases"), 0);
}

#[test]
fn duplicate_ids_are_refused() {
    let t = Target::sqlite("s-dup");
    let mut ds = fixture();
    ds.cases.push(ds.cases[0].clone());
    let err = db::load(&write_run(&ds, "dup"), &t.url).unwrap_err();
    assert!(
        err.contains("cases.jsonl line 6: duplicate cases key"),
        "{err}"
    );
    assert!(err.contains("first at cases.jsonl line 1"), "{err}");
}

#[test]
fn unknown_database_url_is_explained() {
    let dir = write_run(&fixture(), "url");
    let err = db::load(&dir, "mysql://localhost/x").unwrap_err();
    assert!(err.contains("use sqlite:PATH or postgres://"), "{err}");
}

#[test]
fn load_and_search_commands() {
    let t = Target::sqlite("s-cli");
    let dir = write_run(&fixture(), "cli");
    let bin = env!("CARGO_BIN_EXE_referat");
    let run = |args: &[&str]| {
        let out = Command::new(bin).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let dir_s = dir.to_str().unwrap();
    let (code, out, err) = run(&["load", dir_s, "--db", &t.url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("62 inserted, 0 updated, 0 deleted"), "{out}");
    assert!(err.contains("schema upgraded from version 0 to 3"), "{err}");
    let (code, out, _) = run(&["load", dir_s, "--db", &t.url]);
    assert_eq!(code, Some(0));
    assert!(out.contains("0 inserted, 0 updated, 0 deleted"), "{out}");

    let (code, out, _) = run(&["search", "anbefaler", "--db", &t.url, "--body", "NUIT"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "Nasjonalt utvalg for IT-prioritering i helse- og omsorgssektoren | 2023-03-15 | sak 1/23 \
         | Prioritering av tiltak for kommunal sektor\n    Vedtak: NUIT anbefaler at tiltaket \
         prioriteres i 2024.\n"
    );
    // No decision yet: the proposed one is shown, labelled as such.
    let (_, out, _) = run(&["search", "legemiddelliste", "--db", &t.url]);
    assert!(
        out.ends_with("    Forslag til vedtak: Rådet tar saken til orientering.\n"),
        "{out}"
    );
    let (code, _, err) = run(&["search", "helsedata", "--db", &t.url, "--from", "2023"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no case matches"), "{err}");

    let mut bad = fixture();
    bad.cases[2].meeting_id = "nuit/2030/1".into();
    let bad_dir = write_run(&bad, "cli-bad");
    let (code, _, err) = run(&["load", bad_dir.to_str().unwrap(), "--db", &t.url]);
    assert_eq!(code, Some(1));
    assert!(err.contains("cases.jsonl line 3"), "{err}");
    assert!(err.contains("rolled back"), "{err}");

    let (code, _, err) = run(&["search", "x", "--db", "sqlite:/nonexistent/referat.db"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no such database"), "{err}");
}

#[test]
fn removal_stranding_kept_rows_is_refused() {
    db_common::removal_stranding_kept_rows_is_refused(&Target::sqlite("s-strand"));
}

#[test]
fn corpus_run_loads() {
    db_common::corpus_run(&Target::sqlite("s-corpus"));
}

#[test]
fn superseded_document_is_replaced() {
    db_common::superseded_document(&Target::sqlite("s-super"));
}
