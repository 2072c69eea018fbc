//! How long `referat report` takes over a large run: 10,000 generated meetings of 20 bodies
//! over 10 years, with 80,000 cases, 120,000 participants, 10,000 resolved references, 500
//! people, 1,000 documents and 1,000 warnings. It must be written in under a minute.
//!
//! Part of the normal test run (it takes seconds); REFERAT_BENCH_MEETINGS sets another size:
//!   REFERAT_BENCH_MEETINGS=50000 cargo test --release --test report_bench -- --nocapture

mod common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const BODIES: usize = 20;
const PEOPLE_PER_BODY: usize = 25;
const MEETINGS_PER_YEAR: usize = 50;
const KINDS: [&str; 3] = ["ambiguous_date", "variant_text", "no_meeting"];
const ATTENDANCE: [&str; 4] = ["present", "present", "absent", "unknown"];

fn writer(dir: &Path, name: &str) -> std::io::BufWriter<std::fs::File> {
    std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{name}.jsonl"))).unwrap())
}

fn line(w: &mut impl Write, v: serde_json::Value) {
    writeln!(w, "{v}").unwrap();
}

/// Writes a run of `n` meetings into `dir`.
fn generate(dir: &Path, n: usize) {
    let docs = n.div_ceil(10);
    let mut documents = writer(dir, "documents");
    let mut warnings = writer(dir, "warnings");
    for d in 0..docs {
        line(
            &mut documents,
            json!({"id": format!("doc-{d:06}"), "path": format!("archive/{d:06}.pdf"),
                "sha256": format!("{d:064}"), "pages": 20, "producer": "LibreOffice",
                "status": if d % 10 == 0 { "partial" } else { "ok" }, "errors": [],
                "segments": [], "ocr_pages": []}),
        );
        line(
            &mut warnings,
            json!({"document_id": format!("doc-{d:06}"), "page": 3,
                "kind": KINDS[d % 3],
                "message": "a generated warning", "raw": "12. mars"}),
        );
    }
    let mut bodies = writer(dir, "bodies");
    for b in 0..BODIES {
        line(
            &mut bodies,
            json!({"id": format!("body-{b}"), "name": format!("Body {b}"),
                "names": [{"name": format!("Old body {b}"), "from": null, "to": "2019-12-31"},
                          {"name": format!("Body {b}"), "from": "2020-01-01", "to": null}]}),
        );
    }
    let mut people = writer(dir, "people");
    for b in 0..BODIES {
        for p in 0..PEOPLE_PER_BODY {
            line(
                &mut people,
                json!({"id": format!("person/{b}-{p}"), "name": format!("Person {p} of body {b}"),
                    "aliases": [format!("P. {p} of body {b}")],
                    "affiliations": [{"organisation": format!("Organisation {}", p % 7),
                        "first_meeting": format!("body-{b}/2015/1"),
                        "last_meeting": format!("body-{b}/2015/2")}]}),
            );
        }
    }
    let mut meetings = writer(dir, "meetings");
    let mut participants = writer(dir, "participants");
    let mut cases = writer(dir, "cases");
    let mut references = writer(dir, "references");
    for i in 0..n {
        let b = i % BODIES;
        let k = i / BODIES;
        let year = 2015 + k / MEETINGS_PER_YEAR;
        let number = k % MEETINGS_PER_YEAR + 1;
        let date = format!(
            "{year}-{:02}-{:02}",
            1 + (number - 1) / 5,
            1 + ((number - 1) % 5) * 6
        );
        let id = format!("body-{b}/{year}/{number}");
        let source = json!([{"document_id": format!("doc-{:06}", i / 10), "page": 1 + i % 20}]);
        line(
            &mut meetings,
            json!({"id": id, "body": format!("Body {b}"), "body_id": format!("body-{b}"),
                "number": number, "year": year, "date": date, "start_time": "10:00",
                "end_time": "15:00", "location": "Møterom 1", "documents": ["agenda", "minutes"],
                "sources": source}),
        );
        for p in 0..12 {
            let person = (k + p) % PEOPLE_PER_BODY;
            line(
                &mut participants,
                json!({"meeting_id": id, "person_id": format!("person/{b}-{person}"),
                    "name": format!("Person {person} of body {b}"),
                    "organisation": format!("Organisation {}", person % 7),
                    "role": if p == 11 { "substitute" } else { "member" },
                    "attendance": ATTENDANCE[p % 4],
                    "substitute_for": if p == 11 { json!("Person 0") } else { json!(null) },
                    "sources": source}),
            );
        }
        for c in 1..=8 {
            line(
                &mut cases,
                json!({"id": format!("{id}/{c}"), "meeting_id": id,
                    "case_number": format!("{c}/{}", year % 100),
                    "title": format!("Case {c} of meeting {number}"), "case_type": "Beslutning",
                    "scheduled_time": null,
                    "proposed_decision": format!("Styret slutter seg til forslaget i sak {c} og ber om en ny vurdering innen fristen."),
                    "decision": format!("Styret slutter seg til forslaget i sak {c} med endringene fra møtet og ber om en vurdering innen fristen."),
                    "attachments": [{"label": format!("{c}A"), "title": "Vedlegg", "url": "https://example.org/a.pdf"}],
                    "action_items": [], "memo": null, "sources": source}),
            );
        }
        if k > 0 {
            let previous = format!(
                "body-{b}/{}/{}",
                2015 + (k - 1) / MEETINGS_PER_YEAR,
                (k - 1) % MEETINGS_PER_YEAR + 1
            );
            line(
                &mut references,
                json!({"id": format!("ref-{i}"), "meeting_id": id, "from_case": format!("1/{}", year % 100),
                    "kind": "case", "target": "2", "target_body": null, "target_date": null,
                    "title": null, "decision": null, "text": "som vedtatt i forrige møte",
                    "resolved_id": format!("{previous}/2"), "sources": source}),
            );
        }
    }
}

#[test]
fn a_report_of_10000_meetings_is_written_in_under_a_minute() {
    let n: usize = std::env::var("REFERAT_BENCH_MEETINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = scratch("report-bench");
    generate(&dir, n);
    let site = dir.join("site");
    let start = Instant::now();
    let o = referat(&[
        "report",
        &dir.display().to_string(),
        "--out",
        &site.display().to_string(),
    ]);
    let took = start.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pages = std::fs::read_dir(&site).unwrap().count() - 1;
    let bytes: u64 = std::fs::read_dir(&site)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    println!(
        "report of {n} meetings: {:.2} s, {pages} pages, {:.0} MiB",
        took.as_secs_f64(),
        bytes as f64 / 1048576.0
    );
    // Every meeting, body and person has its page, beside index, documents and graph.
    assert_eq!(pages, n + BODIES + BODIES * PEOPLE_PER_BODY + 3);
    if n == 10_000 {
        assert!(took < Duration::from_secs(60), "took {took:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
