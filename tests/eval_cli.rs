//! `referat eval` as a user runs it, on small hand-made datasets: the report, its options,
//! the exit codes, the errors for bad gold files, and `--draft`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

mod common;
use common::{referat, scratch, stderr, stdout};

const DOC: &str = "doc-0123456789abcdef";

fn src() -> Value {
    json!([{"document_id": DOC, "page": 1}])
}

/// An output directory: one document, one meeting with two participants, two cases (one
/// with a memo and an attachment) and a reference.
fn datasets(dir: &Path) {
    let write = |name: &str, rows: &[Value]| {
        let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(dir.join(format!("{name}.jsonl")), text).unwrap();
    };
    write(
        "documents",
        &[
            json!({"id": DOC, "path": "archive/nuit-2024-03-14.chrome.pdf", "sha256": "ab",
                 "pages": 3, "producer": null, "status": "ok", "errors": [],
                 "segments": [{"kind": "agenda", "first_page": 1, "last_page": 3,
                               "meeting_id": "nuit/2024/1", "case_number": null}],
                 "ocr_pages": []}),
        ],
    );
    write(
        "meetings",
        &[
            json!({"id": "nuit/2024/1", "body": "NUIT", "body_id": "nuit", "number": 1,
                 "year": 2024, "date": "2024-03-14", "start_time": "10:00", "end_time": null,
                 "location": "Oslo", "documents": ["agenda"], "sources": src()}),
        ],
    );
    write(
        "participants",
        &[
            json!({"meeting_id": "nuit/2024/1", "person_id": null, "name": "Kari Nordmann",
                   "organisation": "KS", "role": "chair", "attendance": "unknown",
                   "substitute_for": null, "sources": src()}),
            json!({"meeting_id": "nuit/2024/1", "person_id": null, "name": "Ola Nordmann",
                   "organisation": "Helse Vest RHF", "role": "member",
                   "attendance": "unknown", "substitute_for": null, "sources": src()}),
        ],
    );
    write(
        "cases",
        &[
            json!({"id": "c1", "meeting_id": "nuit/2024/1", "case_number": "1/24",
                   "title": "Godkjenning av innkalling og dagsorden", "case_type": null,
                   "scheduled_time": "10:00",
                   "proposed_decision": "NUIT godkjenner innkalling og dagsorden.",
                   "decision": null, "attachments": [], "action_items": [], "memo": null,
                   "sources": src()}),
            json!({"id": "c2", "meeting_id": "nuit/2024/1", "case_number": "2/24",
                   "title": "Nasjonal e-helseportefølje", "case_type": "Drøftingssak",
                   "scheduled_time": null, "proposed_decision": null, "decision": null,
                   "attachments": [{"label": "1", "title": "Notat", "url": null}],
                   "action_items": [],
                   "memo": {"from": "Direktoratet for e-helse", "case_officer": "Per Hansen"},
                   "sources": src()}),
        ],
    );
    write(
        "references",
        &[
            json!({"id": "r1", "meeting_id": "nuit/2024/1", "from_case": "2/24",
                 "kind": "case", "target": "5/23", "target_body": "NUIT",
                 "target_date": null, "title": null, "decision": null,
                 "text": "Til sak 5/23", "resolved_id": null, "sources": src()}),
        ],
    );
}

fn run(args: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut all: Vec<String> = vec!["eval".into()];
    all.extend(args.iter().map(|p| p.display().to_string()));
    all.extend(extra.iter().map(|s| s.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    referat(&all)
}

/// The draft of the one document, as the gold file of a perfect run.
fn draft(out: &Path) -> Value {
    let o = referat(&["eval", "--draft", DOC, out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("draft is JSON")
}

fn write_gold(dir: &Path, name: &str, gold: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(gold).unwrap()).unwrap();
    p
}

#[test]
fn a_draft_is_gold_that_scores_its_own_datasets_perfectly() {
    let out = scratch("eval-draft");
    datasets(&out);
    let gold = draft(&out);
    assert_eq!(gold["source"], "nuit-2024-03-14.chrome.pdf");
    assert!(gold["notes"].as_str().unwrap().contains("DRAFT"));
    let m = &gold["meetings"][0];
    assert_eq!(m["date"], "2024-03-14");
    assert_eq!(m["documents"], json!(["agenda"]));
    assert_eq!(m["participants"].as_array().unwrap().len(), 2);
    assert_eq!(m["cases"][1]["memo"]["case_officer"], "Per Hansen");
    assert_eq!(m["references"][0]["target"], "5/23");
    // The draft is a valid gold file: scored against the datasets it came from, all is right.
    let golds = scratch("eval-draft-gold");
    let g = write_gold(&golds, "nuit-2024-03-14.json", &gold);
    let o = run(&[&out, &g], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().last(), Some("overall F1 = 1.000"), "{text}");
    assert!(text.contains("case.title (strict)"), "{text}");
    // The file name also names the document.
    let o = referat(&[
        "eval",
        "--draft",
        "nuit-2024-03-14.chrome.pdf",
        out.to_str().unwrap(),
    ]);
    assert_eq!(serde_json::from_str::<Value>(&stdout(&o)).unwrap(), gold);
    let o = referat(&["eval", "--draft", "doc-nope", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("doc-nope: no such document"));
}

#[test]
fn misses_per_document_json_and_min_f1() {
    let out = scratch("eval-report");
    datasets(&out);
    let mut gold = draft(&out);
    let m = &mut gold["meetings"][0];
    // A misread title (soft right, strict wrong), a wrong role, a participant and a case
    // the run did not find.
    m["cases"][0]["title"] = json!("Godkjenning av innkalling og dagsorden.");
    m["participants"][0]["role"] = json!("member");
    m["participants"].as_array_mut().unwrap().push(
        json!({"name": "Nils Nilsen", "organisation": null, "role": "member",
                     "attendance": "unknown", "substitute_for": null}),
    );
    m["cases"].as_array_mut().unwrap().push(
        json!({"case_number": "3/2024", "title": "Eventuelt", "case_type": null,
               "scheduled_time": null, "proposed_decision": null, "decision": null,
               "attachments": [], "memo": null}),
    );
    let golds = scratch("eval-report-gold");
    let g = write_gold(&golds, "nuit-2024-03-14.json", &gold);
    let empty = write_gold(
        &golds,
        "letter.json",
        &json!({"source": "letter.pdf", "meetings": []}),
    );

    let o = run(&[&out, &golds], &["--misses", "--per-document"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let line = |name: &str, rest: &str| format!("{name:32} {rest}");
    for want in [
        "nuit-2024-03-14.json NUIT 2024-03-14: participant missing\n    gold:  Nils Nilsen\n    found: -".to_string(),
        "participant Kari Nordmann role wrong\n    gold:  member\n    found: chair".into(),
        "case missing\n    gold:  3/2024\n".into(),
        "case 1/24 title differs slightly".into(),
        line("letter.json", "P=1.000 R=1.000 F1=1.000  (tp=0 fp=0 fn=0)"),
        line("case.title (strict)", "P=0.500 R=0.500 F1=0.500  (tp=1 fp=1 fn=1)"),
        line("case.title", "P=1.000 R=1.000 F1=1.000  (tp=2 fp=0 fn=0)"),
        line("participants", "P=1.000 R=0.667 F1=0.800  (tp=2 fp=0 fn=1)"),
    ] {
        assert!(text.contains(&want), "no {want:?} in\n{text}");
    }
    let f1_line = text.lines().last().unwrap().to_string();
    assert!(f1_line.starts_with("overall F1 = 0.9"), "{text}");

    let o = run(&[&out, &g, &empty], &["--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(
        format!("overall F1 = {:.3}", v["f1"].as_f64().unwrap()),
        f1_line
    );
    assert_eq!(v["fields"]["participants"]["fn"], 1);
    assert_eq!(v["documents"][1]["file"], "letter.json");
    assert_eq!(v["soft_threshold"], 0.95);
    assert!(v["misses"].as_array().unwrap().len() >= 4);

    let o = run(&[&out, &g], &["--min-f1", "0.99"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("below --min-f1 0.99"));
    let o = run(&[&out, &g], &["--min-f1", "0.5"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn invalid_gold_is_named_by_file_and_field_with_exit_2() {
    let out = scratch("eval-bad-gold");
    datasets(&out);
    let good = draft(&out);
    let golds = scratch("eval-bad-gold-files");
    let check = |name: &str, gold: &str, want: &str| {
        let p = golds.join(name);
        std::fs::write(&p, gold).unwrap();
        let o = run(&[&out, &p], &[]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        let first = err.lines().next().unwrap_or("");
        assert_eq!(
            first,
            format!("{}: {want}", p.display()),
            "{name}: stderr\n{err}"
        );
        assert_eq!(
            err.lines().count(),
            2,
            "{name}: one line per problem\n{err}"
        );
        assert!(stdout(&o).is_empty(), "{name}: nothing scored");
    };

    let mut missing = good.clone();
    missing["meetings"][0]
        .as_object_mut()
        .unwrap()
        .remove("date");
    check(
        "missing.json",
        &missing.to_string(),
        "at /meetings/0/date: required field missing",
    );

    let mut wrong = good.clone();
    wrong["meetings"][0]["cases"][1]["scheduled_time"] = json!(1000);
    check(
        "wrong-type.json",
        &wrong.to_string(),
        "at /meetings/0/cases/1/scheduled_time: 1000 is not of types \"null\", \"string\"",
    );

    let text = serde_json::to_string_pretty(&good).unwrap();
    let broken = text.replacen("\"meetings\": [", "\"meetings\": [,", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"meetings\": [,"))
        .unwrap()
        + 1;
    let col = broken.lines().nth(line - 1).unwrap().find(',').unwrap() + 1;
    check(
        "broken.json",
        &broken,
        &format!("not JSON: expected value at line {line} column {col}"),
    );
}
