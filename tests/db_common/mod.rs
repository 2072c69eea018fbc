//! Shared by tests/db_sqlite.rs and tests/db_postgres.rs: a hand-made run with known facts,
//! database targets, and the scenarios both back-ends must pass.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use referat::db::{self, schema, SearchQuery};
use referat::records::*;
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------------
// The fixture: three packages (two of Nasjonalt e-helseråd across its rename, one of NUIT).

fn src(doc: &str, page: usize) -> Vec<Source> {
    vec![Source {
        document_id: doc.into(),
        page,
    }]
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn document(id: &str, segments: Vec<SegmentRow>) -> DocumentRow {
    DocumentRow {
        id: id.into(),
        path: format!("corpus/pdf/{id}.lo.pdf"),
        sha256: format!("{:0>64}", id.trim_start_matches("doc-")),
        pages: 12,
        producer: s("LibreOffice 7.4"),
        status: "ok".into(),
        errors: Vec::new(),
        segments,
        ocr_pages: Vec::new(),
    }
}

fn ocr_page(page: usize, mean_confidence: u8, low_confidence_words: usize) -> OcrPageRow {
    OcrPageRow {
        page,
        engine: "tesseract".into(),
        engine_version: "5.3.0".into(),
        model: "nor".into(),
        mean_confidence,
        low_confidence_words,
    }
}

fn meeting(id: &str, body: &str, body_id: &str, n: u32, date: &str, doc: &str) -> MeetingRow {
    MeetingRow {
        id: id.into(),
        body: body.into(),
        body_id: s(body_id),
        number: Some(n),
        year: date[..4].parse().ok(),
        date: s(date),
        start_time: s("10:00"),
        end_time: s("15:00"),
        location: s("Thon Hotel Opera, Oslo"),
        documents: vec!["agenda".into(), "case_memo".into()],
        sources: src(doc, 1),
    }
}

#[allow(clippy::too_many_arguments)]
fn case(
    meeting_id: &str,
    number: &str,
    title: &str,
    proposed: Option<&str>,
    decision: Option<&str>,
    doc: &str,
    page: usize,
) -> CaseRow {
    CaseRow {
        id: format!("{meeting_id}/sak/{}", number.replace('/', "-")),
        meeting_id: meeting_id.into(),
        case_number: number.into(),
        title: s(title),
        case_type: s("Beslutningssak"),
        scheduled_time: s("10:30"),
        proposed_decision: proposed.map(str::to_string),
        decision: decision.map(str::to_string),
        attachments: Vec::new(),
        action_items: Vec::new(),
        memo: Some(Memo {
            from: s("Direktoratet for e-helse"),
            case_officer: s("Marte Sæther"),
        }),
        sources: src(doc, page),
    }
}

fn participant(
    meeting_id: &str,
    person: &str,
    name: &str,
    org: &str,
    role: &str,
    attendance: &str,
    doc: &str,
) -> ParticipantRow {
    ParticipantRow {
        meeting_id: meeting_id.into(),
        person_id: s(person),
        name: name.into(),
        organisation: s(org),
        role: role.into(),
        attendance: attendance.into(),
        substitute_for: None,
        sources: src(doc, 1),
    }
}

fn person(id: &str, name: &str, aliases: &[&str]) -> PersonRow {
    PersonRow {
        id: id.into(),
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        affiliations: Vec::new(),
    }
}

pub const M1: &str = "ehelse/2021/4";
pub const M2: &str = "ehelse/2022/2";
pub const M3: &str = "nuit/2023/1";

/// The first run: 3 documents, 2 bodies, 3 meetings, 5 cases, 8 participants, 5 people,
/// 3 references, 2 warnings.
pub fn fixture() -> Datasets {
    let mut ds = Datasets {
        documents: vec![
            document(
                "doc-a",
                vec![
                    SegmentRow {
                        kind: "agenda".into(),
                        first_page: 1,
                        last_page: 2,
                        meeting_id: s(M1),
                        case_number: None,
                    },
                    SegmentRow {
                        kind: "case_memo".into(),
                        first_page: 3,
                        last_page: 6,
                        meeting_id: s(M1),
                        case_number: s("30/21"),
                    },
                ],
            ),
            // A scanned package: page 4 (case 13/22) was OCRed.
            DocumentRow {
                ocr_pages: vec![ocr_page(4, 88, 2)],
                ..document("doc-b", Vec::new())
            },
            document("doc-c", Vec::new()),
        ],
        bodies: vec![
            BodyRow {
                id: "ehelse".into(),
                name: "Nasjonalt e-helseråd".into(),
                names: vec![
                    BodyName {
                        name: "Nasjonalt e-helsestyre".into(),
                        from: None,
                        to: s("2022-01-01"),
                    },
                    BodyName {
                        name: "Nasjonalt e-helseråd".into(),
                        from: s("2022-01-01"),
                        to: None,
                    },
                ],
            },
            BodyRow {
                id: "nuit".into(),
                name: "Nasjonalt utvalg for IT-prioritering i helse- og omsorgssektoren".into(),
                names: vec![BodyName {
                    name: "NUIT".into(),
                    from: None,
                    to: None,
                }],
            },
        ],
        meetings: vec![
            meeting(
                M1,
                "Nasjonalt e-helsestyre",
                "ehelse",
                4,
                "2021-12-02",
                "doc-a",
            ),
            meeting(
                M2,
                "Nasjonalt e-helseråd",
                "ehelse",
                2,
                "2022-06-08",
                "doc-b",
            ),
            meeting(M3, "NUIT", "nuit", 1, "2023-03-15", "doc-c"),
        ],
        ..Default::default()
    };
    let same = "Styret tar orienteringen om helsedata til etterretning.";
    let mut c1 = case(
        M1,
        "30/21",
        "Helsedata og helseanalyseplattformen",
        Some(same),
        Some(same),
        "doc-a",
        3,
    );
    c1.attachments.push(Attachment {
        label: "3A".into(),
        title: s("Notat om helsedata"),
        url: None,
    });
    let mut c2 = case(
        M1,
        "31/21",
        "Økonomisk langtidsplan for e-helse",
        Some("Styret slutter seg til planen."),
        Some("Styret slutter seg til planen, med de endringer som kom frem i møtet."),
        "doc-a",
        5,
    );
    c2.attachments = vec![
        Attachment {
            label: "4A".into(),
            title: s("Langtidsplan 2022–2026"),
            url: s("https://example.org/langtidsplan.pdf"),
        },
        Attachment {
            label: "4B".into(),
            title: None,
            url: None,
        },
    ];
    c2.action_items
        .push("Sekretariatet justerer planen før neste møte.".into());
    ds.cases = vec![
        c1,
        c2,
        case(
            M2,
            "12/22",
            "Tilgang til helsedataene for forskere",
            Some("Rådet ber om en ny vurdering."),
            Some("Rådet ber direktoratet om en ny vurdering av tilgang til helsedataene."),
            "doc-b",
            2,
        ),
        case(
            M2,
            "13/22",
            "Pasientens legemiddelliste",
            Some("Rådet tar saken til orientering."),
            None,
            "doc-b",
            4,
        ),
        case(
            M3,
            "1/23",
            "Prioritering av tiltak for kommunal sektor",
            Some("NUIT anbefaler at tiltaket prioriteres."),
            Some("NUIT anbefaler at tiltaket prioriteres i 2024."),
            "doc-c",
            2,
        ),
    ];
    let c1_id = format!("{M1}/sak/30-21");
    ds.references = vec![
        ReferenceRow {
            id: format!("{M2}/ref/12-22/case/30-21"),
            meeting_id: M2.into(),
            from_case: s("12/22"),
            kind: "case".into(),
            target: s("30/21"),
            target_body: None,
            target_date: None,
            title: None,
            decision: None,
            text: s("Til sak 30/21"),
            resolved_id: Some(c1_id.clone()),
            sources: src("doc-b", 2),
        },
        ReferenceRow {
            id: format!("{M3}/ref/1-23/prior_decision/30-21"),
            meeting_id: M3.into(),
            from_case: s("1/23"),
            kind: "prior_decision".into(),
            target: s("30/21"),
            target_body: s("Nasjonalt e-helsestyre"),
            target_date: s("2021-12-02"),
            title: s("Helsedata og helseanalyseplattformen"),
            decision: s(same),
            text: None,
            resolved_id: Some(c1_id),
            sources: src("doc-c", 3),
        },
        ReferenceRow {
            id: format!("{M2}/ref/13-22/meeting/2021-12-02"),
            meeting_id: M2.into(),
            from_case: s("13/22"),
            kind: "meeting".into(),
            target: None,
            target_body: s("Nasjonalt e-helsestyre"),
            target_date: s("2021-12-02"),
            title: None,
            decision: None,
            text: s("referatet fra møtet 2. desember 2021"),
            resolved_id: s(M1),
            sources: src("doc-b", 4),
        },
    ];
    let ase = ("person/ase-braekhus", "Åse Brækhus");
    let oy = ("person/oystein-kvale", "Øystein Kvåle");
    ds.participants = vec![
        participant(
            M1,
            ase.0,
            ase.1,
            "Helse Vest RHF",
            "member",
            "present",
            "doc-a",
        ),
        participant(M1, oy.0, oy.1, "KS", "chair", "present", "doc-a"),
        participant(
            M1,
            "person/ingrid-fjellstad",
            "Ingrid Fjellstad",
            "Bergen kommune",
            "member",
            "absent",
            "doc-a",
        ),
        participant(
            M2,
            ase.0,
            ase.1,
            "Helse Vest RHF",
            "member",
            "absent",
            "doc-b",
        ),
        participant(M2, oy.0, "Øistein Kvåle", "KS", "chair", "present", "doc-b"),
        ParticipantRow {
            substitute_for: s("Ingrid Fjellstad"),
            ..participant(
                M2,
                "person/trond-lovas",
                "Trond Løvås",
                "Bergen kommune",
                "substitute",
                "present",
                "doc-b",
            )
        },
        participant(
            M3,
            ase.0,
            ase.1,
            "Helse Vest RHF",
            "member",
            "present",
            "doc-c",
        ),
        participant(
            M3,
            "person/kari-myhre",
            "Kari Myhre",
            "Tromsø kommune",
            "member",
            "present",
            "doc-c",
        ),
    ];
    let mut ase_p = person(ase.0, ase.1, &[]);
    ase_p.affiliations.push(Affiliation {
        organisation: "Helse Vest RHF".into(),
        first_meeting: M1.into(),
        last_meeting: M3.into(),
    });
    ds.people = vec![
        ase_p,
        person(oy.0, oy.1, &["Øistein Kvåle"]),
        person("person/ingrid-fjellstad", "Ingrid Fjellstad", &[]),
        person("person/trond-lovas", "Trond Løvås", &[]),
        person("person/kari-myhre", "Kari Myhre", &[]),
    ];
    ds.warnings = vec![
        WarningRow {
            document_id: "doc-b".into(),
            page: Some(1),
            kind: "date".into(),
            message: "meeting date names two months; the agenda's date is used".into(),
            raw: s("8. juni. mai 2022"),
        },
        WarningRow {
            document_id: "doc-a".into(),
            page: None,
            kind: "participant".into(),
            message: "organisation missing for a member".into(),
            raw: None,
        },
    ];
    ds
}

/// A newer run that re-parsed doc-a and doc-b only (doc-c is not in it): 31/21 is no longer
/// found in doc-a, 13/22 got its decision, 14/22 is new, NUIT's body row was not emitted.
pub fn update_run() -> Datasets {
    let mut ds = fixture();
    ds.documents.retain(|d| d.id != "doc-c");
    // doc-b was OCRed again: page 4 read better, page 6 (the new case 14/22) is a scan too.
    ds.documents[1].ocr_pages = vec![ocr_page(4, 91, 1), ocr_page(6, 85, 0)];
    ds.bodies.retain(|b| b.id != "nuit");
    ds.meetings.retain(|m| m.id != M3);
    ds.participants.retain(|p| p.meeting_id != M3);
    ds.references.retain(|r| r.meeting_id != M3);
    ds.people.retain(|p| p.id != "person/kari-myhre");
    ds.cases
        .retain(|c| c.meeting_id != M3 && c.case_number != "31/21");
    let c13 = ds
        .cases
        .iter_mut()
        .find(|c| c.case_number == "13/22")
        .unwrap();
    c13.decision = s("Rådet tar saken til orientering og ber om en plan for innføring.");
    ds.cases.push(case(
        M2,
        "14/22",
        "Velferdsteknologi i kommunene",
        Some("Rådet slutter seg til veikartet."),
        Some("Rådet slutter seg til veikartet."),
        "doc-b",
        6,
    ));
    ds
}

// ---------------------------------------------------------------------------------------------
// Runs on disk and database targets.

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty temporary directory.
pub fn temp_dir(tag: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!(
        "referat-db-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// Writes a run the way `referat extract` does.
pub fn write_run(ds: &Datasets, tag: &str) -> TempDir {
    let dir = temp_dir(tag);
    referat::emit::write_datasets(ds, &dir).unwrap();
    dir
}

pub enum Kind {
    Sqlite(TempDir),
    Postgres { admin: String, db: String },
}

/// A database to test against, removed when dropped.
pub struct Target {
    pub url: String,
    pub kind: Kind,
}

impl Target {
    pub fn sqlite(tag: &str) -> Target {
        let dir = temp_dir(tag);
        let path = dir.join("referat.db");
        Target {
            url: format!("sqlite:{}", path.display()),
            kind: Kind::Sqlite(dir),
        }
    }

    /// A fresh database on the server in REFERAT_TEST_PG_URL. None (with a notice) when the
    /// variable is unset outside CI; in CI a missing server is a failure.
    pub fn postgres(tag: &str) -> Option<Target> {
        let Ok(admin) = std::env::var("REFERAT_TEST_PG_URL") else {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                panic!(
                    "CI is set but REFERAT_TEST_PG_URL is not: the PostgreSQL tests must run in CI \
                     (start a server with scripts/with-postgres.sh)"
                );
            }
            // Straight to stderr: the test harness would swallow eprintln! of a passing test.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOTICE: skipping PostgreSQL test {tag}: REFERAT_TEST_PG_URL is not set \
                 (run under scripts/with-postgres.sh)"
            );
            return None;
        };
        let db = format!(
            "referat_{tag}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .expect("connect to REFERAT_TEST_PG_URL");
        client
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create a test database");
        let base = admin.rsplit_once('/').expect("URL has a database").0;
        Some(Target {
            url: format!("{base}/{db}"),
            kind: Kind::Postgres { admin, db },
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.kind, Kind::Postgres { .. })
    }

    /// Runs a query and returns its rows as JSON objects (column name -> value).
    pub fn query(&self, sql: &str) -> Vec<Map<String, Value>> {
        let sql = sql.trim().trim_end_matches(';');
        match &self.kind {
            Kind::Sqlite(_) => {
                let conn =
                    rusqlite::Connection::open(self.url.strip_prefix("sqlite:").unwrap()).unwrap();
                let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}: {sql}"));
                let names: Vec<String> =
                    stmt.column_names().iter().map(|s| s.to_string()).collect();
                let rows = stmt
                    .query_map([], |r| {
                        let mut m = Map::new();
                        for (i, n) in names.iter().enumerate() {
                            use rusqlite::types::ValueRef;
                            let v = match r.get_ref(i)? {
                                ValueRef::Null => Value::Null,
                                ValueRef::Integer(x) => json!(x),
                                ValueRef::Real(x) => json!(x),
                                ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                                ValueRef::Blob(_) => json!("<blob>"),
                            };
                            m.insert(n.clone(), v);
                        }
                        Ok(m)
                    })
                    .unwrap();
                rows.map(Result::unwrap).collect()
            }
            Kind::Postgres { .. } => {
                let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
                let wrapped = format!("SELECT to_jsonb(q)::text FROM ({sql}) q");
                client
                    .query(&wrapped, &[])
                    .unwrap_or_else(|e| panic!("{e}: {sql}"))
                    .iter()
                    .map(
                        |r| match serde_json::from_str(r.get::<_, &str>(0)).unwrap() {
                            Value::Object(m) => m,
                            v => panic!("not an object: {v}"),
                        },
                    )
                    .collect()
            }
        }
    }

    pub fn count(&self, table: &str) -> i64 {
        let rows = self.query(&format!("SELECT count(*) AS n FROM {table}"));
        rows[0]["n"].as_i64().unwrap()
    }

    /// Every table's full contents, for "nothing changed" comparisons.
    pub fn snapshot(&self) -> Vec<Vec<Map<String, Value>>> {
        schema::TABLES
            .iter()
            .map(|t| {
                let key = t.cols[..t.key]
                    .iter()
                    .map(|c| c.0)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.query(&format!("SELECT * FROM {} ORDER BY {key}", t.name))
            })
            .collect()
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        match &self.kind {
            // The directory goes with the TempDir.
            Kind::Sqlite(_) => {}
            Kind::Postgres { admin, db } => {
                if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
                }
            }
        }
    }
}

/// The SQL example called `name` in docs/database.md (a fenced block starting with
/// `-- example: NAME`), so that the documented text is what is tested.
pub fn doc_example(name: &str) -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/database.md"))
            .unwrap();
    let marker = format!("-- example: {name}\n");
    let start = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("docs/database.md has no example {name}"));
    let rest = &doc[start + marker.len()..];
    rest[..rest.find("```").unwrap()].to_string()
}

fn strings(rows: &[Map<String, Value>], col: &str) -> Vec<String> {
    rows.iter()
        .map(|r| match &r[col] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

/// First load: every dataset row is in its table, the counts report them as inserted, and no
/// foreign key dangles.
pub fn counts_and_foreign_keys(t: &Target) {
    let ds = fixture();
    let dir = write_run(&ds, "counts");
    let report = db::load(&dir, &t.url).unwrap();
    assert_eq!(report.schema_from, 0);
    assert_eq!(report.schema_to, schema::latest_version());

    let sources: usize = ds.meetings.iter().map(|m| m.sources.len()).sum::<usize>()
        + ds.cases.iter().map(|c| c.sources.len()).sum::<usize>()
        + ds.participants
            .iter()
            .map(|p| p.sources.len())
            .sum::<usize>()
        + ds.references.iter().map(|r| r.sources.len()).sum::<usize>();
    let expected = [
        ("documents", ds.documents.len()),
        ("document_segments", 2),
        ("document_ocr_pages", 1),
        ("bodies", ds.bodies.len()),
        ("body_names", 3),
        ("people", ds.people.len()),
        ("person_aliases", 1),
        ("affiliations", 1),
        ("meetings", ds.meetings.len()),
        ("participants", ds.participants.len()),
        ("cases", ds.cases.len()),
        ("attachments", 3),
        ("action_items", 1),
        ("case_references", ds.references.len()),
        ("sources", sources),
        ("warnings", ds.warnings.len()),
    ];
    assert_eq!(sources, 19);
    for (table, n) in expected {
        assert_eq!(t.count(table), n as i64, "rows in {table}");
        assert_eq!(report.table(table).inserted, n, "inserted into {table}");
    }
    assert_eq!(
        report.total().inserted,
        referat::db::sample::row_count(&ds),
        "the sample row counter agrees with the loader"
    );
    assert_eq!(report.total().updated + report.total().deleted, 0);

    // Foreign keys: none dangles, and the database itself declares them.
    for &(from, col, to) in &schema::FOREIGN_KEYS {
        let (ft, fc, tt) = (
            schema::TABLES[from].name,
            schema::TABLES[from].cols[col].0,
            schema::TABLES[to].name,
        );
        let sql = format!(
            "SELECT count(*) AS n FROM {ft} f WHERE f.{fc} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM {tt} t WHERE t.id = f.{fc})"
        );
        assert_eq!(t.query(&sql)[0]["n"], json!(0), "{ft}.{fc} -> {tt}");
    }
    let declared = if t.is_postgres() {
        t.query(
            "SELECT count(*) AS n FROM information_schema.table_constraints \
             WHERE constraint_type = 'FOREIGN KEY' AND table_schema = 'public'",
        )[0]["n"]
            .as_i64()
            .unwrap()
    } else {
        schema::TABLES
            .iter()
            .map(|tb| {
                t.query(&format!(
                    "SELECT * FROM pragma_foreign_key_list('{}')",
                    tb.name
                ))
                .len() as i64
            })
            .sum()
    };
    assert_eq!(declared, schema::FOREIGN_KEYS.len() as i64);
    // The derived keys of references were filled.
    let r = t.query(
        "SELECT from_case_id, resolved_case_id, resolved_meeting_id FROM case_references \
         WHERE kind = 'meeting'",
    );
    assert_eq!(r[0]["from_case_id"], json!(format!("{M2}/sak/13-22")));
    assert_eq!(r[0]["resolved_meeting_id"], json!(M1));
    assert_eq!(r[0]["resolved_case_id"], Value::Null);
}

/// Loading the same run again writes nothing and says so.
pub fn idempotent(t: &Target) {
    let dir = write_run(&fixture(), "idem");
    let first = db::load(&dir, &t.url).unwrap();
    assert!(first.total().inserted > 0);
    let before = t.snapshot();
    let second = db::load(&dir, &t.url).unwrap();
    assert_eq!(second.total(), db::Counts::default(), "{:?}", second.tables);
    assert_eq!(second.schema_from, second.schema_to);
    assert_eq!(t.snapshot(), before);
}

/// A newer run updates, adds and removes exactly what changed, and keeps what came from
/// documents it did not re-parse.
pub fn update_load(t: &Target) {
    db::load(&write_run(&fixture(), "upd1"), &t.url).unwrap();
    let report = db::load(&write_run(&update_run(), "upd2"), &t.url).unwrap();
    let cases = report.table("cases");
    assert_eq!((cases.inserted, cases.updated, cases.deleted), (1, 1, 1));
    // 31/21's two attachments and action item went with it; its source too, 14/22's came.
    assert_eq!(report.table("attachments").deleted, 2);
    assert_eq!(report.table("action_items").deleted, 1);
    let src = report.table("sources");
    assert_eq!((src.inserted, src.deleted), (1, 1));
    let ocr = report.table("document_ocr_pages");
    assert_eq!((ocr.inserted, ocr.updated, ocr.deleted), (1, 1, 0));
    // Nothing from doc-c (not in this run) was touched: NUIT's meeting, case, participants
    // and body stay, and so does the person only seen there.
    for table in [
        "meetings",
        "participants",
        "case_references",
        "bodies",
        "people",
    ] {
        assert_eq!(report.table(table).changes(), 0, "{table}");
    }
    assert_eq!(t.count("cases"), 5);
    assert_eq!(t.count("meetings"), 3);
    assert_eq!(t.count("bodies"), 2);
    assert_eq!(t.count("people"), 5);
    let c = t.query(&format!(
        "SELECT decision FROM cases WHERE id = '{M2}/sak/13-22'"
    ));
    assert_eq!(
        c[0]["decision"],
        json!("Rådet tar saken til orientering og ber om en plan for innføring.")
    );
    assert!(t
        .query(&format!("SELECT id FROM cases WHERE id = '{M1}/sak/31-21'"))
        .is_empty());
    assert_eq!(
        t.query(&format!("SELECT id FROM cases WHERE meeting_id = '{M3}'"))
            .len(),
        1
    );
    // The same newer run again: nothing.
    let again = db::load(&write_run(&update_run(), "upd3"), &t.url).unwrap();
    assert_eq!(again.total(), db::Counts::default());
    // Search follows the update (FTS kept in step).
    let hits = db::search(&t.url, &query("økonomisk")).unwrap();
    assert!(hits.is_empty(), "deleted case still found: {hits:?}");
    let hits = db::search(&t.url, &query("velferdsteknologi")).unwrap();
    assert_eq!(hits.len(), 1);
}

/// A run whose case names a meeting that exists nowhere fails, names the line, and leaves the
/// database exactly as it was.
pub fn failed_load_rolls_back(t: &Target) {
    db::load(&write_run(&fixture(), "fail1"), &t.url).unwrap();
    let before = t.snapshot();

    let mut bad = update_run();
    bad.cases[3].meeting_id = "ehelse/2022/9".into();
    let err = db::load(&write_run(&bad, "fail2"), &t.url).unwrap_err();
    assert!(err.contains("cases.jsonl line 4"), "{err}");
    assert!(err.contains("ehelse/2022/9"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(t.snapshot(), before);

    // A value only the database refuses (a CHECK constraint on attendance), after other tables
    // were already written in the transaction.
    let mut bad = update_run();
    bad.meetings[1].location = Some("Gardermoen".into()); // written before participants
    bad.participants[5].attendance = "kanskje".into();
    let err = db::load(&write_run(&bad, "fail3"), &t.url).unwrap_err();
    assert!(err.contains("participants"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(t.snapshot(), before);

    // The same for a new row (PostgreSQL writes new rows with COPY), with multi-line text.
    let mut bad = update_run();
    bad.cases[0].decision = Some("Første linje\nAndre linje\t\\ med skråstrek".into());
    let mut newcomer = bad.participants[0].clone();
    newcomer.name = "Solveig Dæhlie".into();
    newcomer.person_id = None;
    newcomer.attendance = "kanskje".into();
    bad.participants.push(newcomer);
    let err = db::load(&write_run(&bad, "fail4"), &t.url).unwrap_err();
    assert!(err.contains("participants"), "{err}");
    assert_eq!(t.snapshot(), before);
    // Without the bad row the same run loads, and text with escapes survives the round trip.
    bad.participants.pop();
    db::load(&write_run(&bad, "fail5"), &t.url).unwrap();
    let c = t.query(&format!(
        "SELECT decision FROM cases WHERE id = '{M1}/sak/30-21'"
    ));
    assert_eq!(
        c[0]["decision"],
        json!("Første linje\nAndre linje\t\\ med skråstrek")
    );
    let mut newcomer = bad.participants[0].clone();
    newcomer.name = "Solveig Dæhlie".into();
    newcomer.person_id = None;
    newcomer.organisation = Some("Helse\tNord\nRHF \\N".into());
    bad.participants.push(newcomer);
    let r = db::load(&write_run(&bad, "fail6"), &t.url).unwrap();
    assert_eq!(r.table("participants").inserted, 1);
    assert_eq!(r.table("sources").inserted, 1);
    let p = t.query("SELECT organisation FROM participants WHERE name = 'Solveig Dæhlie'");
    assert_eq!(p[0]["organisation"], json!("Helse\tNord\nRHF \\N"));
}

/// A failed first load leaves no schema behind either.
pub fn failed_first_load_leaves_nothing(t: &Target) {
    let mut bad = fixture();
    bad.participants[0].meeting_id = "ehelse/1999/1".into();
    let err = db::load(&write_run(&bad, "fail0"), &t.url).unwrap_err();
    assert!(err.contains("participants.jsonl line 1"), "{err}");
    let mut store = db::open(&t.url).unwrap();
    assert_eq!(store.schema_version().unwrap(), 0);
}

/// A database made at schema version 1 (before search) is upgraded in place by a load.
pub fn upgrade_from_version_1(t: &Target) {
    let run = db::dataset::read_run(&write_run(&fixture(), "old")).unwrap();
    let mut store = db::open(&t.url).unwrap();
    let old = db::load_run_at_schema(store.as_mut(), &run, Some(1)).unwrap();
    assert_eq!((old.schema_from, old.schema_to), (0, 1));
    drop(store);
    assert!(db::search(&t.url, &query("helsedata")).is_err());
    let before = t.count("cases");

    let report = db::load(&write_run(&fixture(), "new"), &t.url).unwrap();
    assert_eq!(
        (report.schema_from, report.schema_to),
        (1, schema::latest_version())
    );
    // Only the table a later version added gets rows: the others are as the old load left them.
    assert_eq!(
        report.total(),
        db::Counts {
            inserted: 1,
            ..Default::default()
        }
    );
    assert_eq!(report.table("document_ocr_pages").inserted, 1);
    assert_eq!(t.count("cases"), before);
    let versions = t.query("SELECT version FROM schema_version ORDER BY version");
    assert_eq!(strings(&versions, "version"), ["1", "2", "3"]);
    assert_eq!(t.count("document_ocr_pages"), 1);
    // The index was built from the rows already there.
    assert_eq!(db::search(&t.url, &query("helsedata")).unwrap().len(), 1);
}

pub fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: 50,
        ..Default::default()
    }
}

fn numbers(hits: &[db::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.case_number.as_str()).collect()
}

/// Norwegian queries that both back-ends answer alike.
pub fn search_common(t: &Target) {
    db::load(&write_run(&fixture(), "search"), &t.url).unwrap();
    let hits = db::search(&t.url, &query("helsedata")).unwrap();
    assert!(numbers(&hits).contains(&"30/21"), "{hits:?}");
    let h = &hits[0];
    assert_eq!(h.body, "Nasjonalt e-helseråd");
    assert_eq!(h.date.as_deref(), Some("2021-12-02"));
    assert_eq!(
        h.decision.as_deref(),
        Some("Styret tar orienteringen om helsedata til etterretning.")
    );
    // æ, ø, å are letters: the word with ø matches (any case), its ASCII look-alike does not.
    assert_eq!(
        numbers(&db::search(&t.url, &query("økonomisk")).unwrap()),
        ["31/21"]
    );
    assert_eq!(
        numbers(&db::search(&t.url, &query("ØKONOMISK")).unwrap()),
        ["31/21"]
    );
    assert!(db::search(&t.url, &query("okonomisk")).unwrap().is_empty());
    // Matches in a decision only ("møtet" is in 31/21's decision, not its title or proposal).
    assert_eq!(
        numbers(&db::search(&t.url, &query("møtet")).unwrap()),
        ["31/21"]
    );
    // Several words: all must occur.
    assert_eq!(
        numbers(&db::search(&t.url, &query("tiltaket prioriteres")).unwrap()),
        ["1/23"]
    );
    // Body and year filters.
    let mut q = query("rådet");
    assert_eq!(
        numbers(&db::search(&t.url, &q).unwrap()),
        ["12/22", "13/22"]
    );
    q.body = Some("NUIT".into());
    assert!(db::search(&t.url, &q).unwrap().is_empty());
    let mut q = query("anbefaler");
    q.body = Some("nuit".into());
    assert_eq!(numbers(&db::search(&t.url, &q).unwrap()), ["1/23"]);
    q.body = Some("e-helsestyre".into());
    assert!(db::search(&t.url, &q).unwrap().is_empty());
    // A former name selects the body, including meetings after the rename.
    let mut q = query("rådet");
    q.body = Some("Nasjonalt e-helsestyre".into());
    assert_eq!(
        numbers(&db::search(&t.url, &q).unwrap()),
        ["12/22", "13/22"]
    );
    let mut q = query("helsedata");
    q.body = Some("e-helsestyre".into());
    assert_eq!(numbers(&db::search(&t.url, &q).unwrap())[0], "30/21");
    let mut q = query("ber");
    q.from_year = Some(2022);
    q.to_year = Some(2022);
    assert_eq!(numbers(&db::search(&t.url, &q).unwrap()), ["12/22"]);
    // Punctuation in the query is not query syntax.
    assert_eq!(
        numbers(&db::search(&t.url, &query("e-helse")).unwrap()),
        ["31/21"]
    );
}

/// The documented SQL examples, run as written against the loaded fixture.
pub fn sql_examples(t: &Target) {
    db::load(&write_run(&fixture(), "sql"), &t.url).unwrap();

    let rows = t.query(&doc_example("decisions-of-a-body-in-a-year"));
    assert_eq!(strings(&rows, "case_number"), ["12/22"]); // 13/22 has no decision yet
    assert_eq!(
        strings(&rows, "decision"),
        ["Rådet ber direktoratet om en ny vurdering av tilgang til helsedataene."]
    );

    let rows = t.query(&doc_example("attendance-of-a-person"));
    assert_eq!(strings(&rows, "date"), ["2021-12-02", "2022-06-08"]);
    assert_eq!(strings(&rows, "attendance"), ["present", "present"]);
    assert_eq!(strings(&rows, "role"), ["chair", "chair"]);
    assert_eq!(
        strings(&rows, "body"),
        ["Nasjonalt e-helseråd", "Nasjonalt e-helseråd"]
    );

    let rows = t.query(&doc_example("attendance-summary"));
    let ase = rows
        .iter()
        .find(|r| r["name"] == json!("Åse Brækhus"))
        .unwrap();
    assert_eq!(
        (ase["present"].as_i64(), ase["absent"].as_i64()),
        (Some(2), Some(1))
    );
    let ingrid = rows
        .iter()
        .find(|r| r["name"] == json!("Ingrid Fjellstad"))
        .unwrap();
    assert_eq!(
        (ingrid["present"].as_i64(), ingrid["absent"].as_i64()),
        (Some(0), Some(1))
    );

    let rows = t.query(&doc_example("cases-referencing-a-case"));
    assert_eq!(strings(&rows, "case_number"), ["12/22", "1/23"]);
    assert_eq!(strings(&rows, "kind"), ["case", "prior_decision"]);
    assert_eq!(
        strings(&rows, "body"),
        [
            "Nasjonalt e-helseråd",
            "Nasjonalt utvalg for IT-prioritering i helse- og omsorgssektoren"
        ]
    );

    let rows = t.query(&doc_example("decision-differs-from-proposal"));
    assert_eq!(strings(&rows, "case_number"), ["31/21", "12/22", "1/23"]);

    let rows = t.query(&doc_example("cases-read-by-ocr"));
    assert_eq!(strings(&rows, "case_number"), ["13/22"]);
    assert_eq!(strings(&rows, "mean_confidence"), ["88"]);
}

/// Volume: a generated run loads with exact counts, and a second load changes nothing.
pub fn generated_volume(t: &Target, cases: usize) {
    let ds = db::sample::generate(cases);
    let run = db::dataset::RunData {
        data: ds,
        lines: Vec::new(),
    };
    let mut store = db::open(&t.url).unwrap();
    let report = db::load_run(store.as_mut(), &run).unwrap();
    assert_eq!(report.total().inserted, db::sample::row_count(&run.data));
    assert_eq!(t.count("cases"), cases as i64);
    let again = db::load_run(store.as_mut(), &run).unwrap();
    assert_eq!(again.total(), db::Counts::default());
}

/// A partial run (doc-c not re-parsed) that drops a case which doc-c's kept reference still
/// resolves to is refused: the kept row would dangle. Nothing is written.
pub fn removal_stranding_kept_rows_is_refused(t: &Target) {
    db::load(&write_run(&fixture(), "strand1"), &t.url).unwrap();
    let before = t.snapshot();
    let mut run = update_run();
    run.cases.retain(|c| c.case_number != "30/21");
    run.references
        .retain(|r| r.target.as_deref() != Some("30/21"));
    let err = db::load(&write_run(&run, "strand2"), &t.url).unwrap_err();
    assert!(
        err.contains(&format!(
            "case_references \"{M3}/ref/1-23/prior_decision/30-21\""
        )),
        "{err}"
    );
    assert!(err.contains("which this run removes"), "{err}");
    assert_eq!(t.snapshot(), before);
}

/// Runs `referat extract` over the corpus PDFs of one producer variant into a new directory.
pub fn extract_corpus(variant: &str) -> TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(repo.join("corpus/pdf"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&format!(".{variant}.pdf")))
        })
        .collect();
    pdfs.sort();
    assert!(!pdfs.is_empty(), "no corpus/pdf/*.{variant}.pdf");
    let out = temp_dir(&format!("corpus-{variant}"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_referat"))
        .arg("extract")
        .args(&pdfs)
        .arg("--out")
        .arg(out.as_os_str())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

/// The corpus run loads completely: every table holds what the dataset files say, no foreign
/// key dangles, a second load changes nothing, and each case is found by a word of its title.
pub fn corpus_run(t: &Target) {
    let dir = extract_corpus("lo");
    let run = db::dataset::read_run(&dir).unwrap();
    let ds = &run.data;
    assert!(!ds.cases.is_empty(), "the parser yields cases");
    let report = db::load(&dir, &t.url).unwrap();

    let srcs = |s: &[Source]| s.len();
    let expected = [
        ("documents", ds.documents.len()),
        (
            "document_segments",
            ds.documents.iter().map(|d| d.segments.len()).sum(),
        ),
        ("bodies", ds.bodies.len()),
        ("body_names", ds.bodies.iter().map(|b| b.names.len()).sum()),
        ("people", ds.people.len()),
        (
            "affiliations",
            ds.people.iter().map(|p| p.affiliations.len()).sum(),
        ),
        ("meetings", ds.meetings.len()),
        ("participants", ds.participants.len()),
        ("cases", ds.cases.len()),
        (
            "attachments",
            ds.cases.iter().map(|c| c.attachments.len()).sum(),
        ),
        (
            "action_items",
            ds.cases.iter().map(|c| c.action_items.len()).sum(),
        ),
        ("case_references", ds.references.len()),
        (
            "sources",
            ds.meetings.iter().map(|m| srcs(&m.sources)).sum::<usize>()
                + ds.cases.iter().map(|c| srcs(&c.sources)).sum::<usize>()
                + ds.participants
                    .iter()
                    .map(|p| srcs(&p.sources))
                    .sum::<usize>()
                + ds.references
                    .iter()
                    .map(|r| srcs(&r.sources))
                    .sum::<usize>(),
        ),
        ("warnings", ds.warnings.len()),
    ];
    for (table, n) in expected {
        assert_eq!(t.count(table), n as i64, "rows in {table}");
        assert_eq!(report.table(table).inserted, n, "inserted into {table}");
    }
    for &(from, col, to) in &schema::FOREIGN_KEYS {
        let (ft, fc, tt) = (
            schema::TABLES[from].name,
            schema::TABLES[from].cols[col].0,
            schema::TABLES[to].name,
        );
        let sql = format!(
            "SELECT count(*) AS n FROM {ft} f WHERE f.{fc} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM {tt} t WHERE t.id = f.{fc})"
        );
        assert_eq!(t.query(&sql)[0]["n"], json!(0), "{ft}.{fc} -> {tt}");
    }
    let again = db::load(&dir, &t.url).unwrap();
    assert_eq!(again.total(), db::Counts::default(), "{:?}", again.tables);

    // Search: every titled case is found by the longest word of its title.
    for c in ds.cases.iter().filter(|c| c.title.is_some()) {
        let title = c.title.as_deref().unwrap();
        let Some(word) = title
            .split(|ch: char| !ch.is_alphabetic())
            .max_by_key(|w| w.chars().count())
            .filter(|w| w.chars().count() >= 4)
        else {
            continue;
        };
        let mut q = query(word);
        q.limit = 1000;
        let hits = db::search(&t.url, &q).unwrap();
        assert!(
            hits.iter().any(|h| h.case_id == c.id),
            "{word:?} does not find {} ({title})",
            c.id
        );
    }
}

/// A corrected PDF published at the same path (new contents, so a new document id) supersedes
/// the old one: what only the old version yielded goes, and so does the old document.
pub fn superseded_document(t: &Target) {
    db::load(&write_run(&fixture(), "super1"), &t.url).unwrap();
    let mut run = fixture();
    let new_id = "doc-a2";
    run.documents[0].id = new_id.into();
    run.documents[0].sha256 = format!("{:0>64}", "a2");
    run.cases.retain(|c| c.case_number != "31/21");
    let fix = |s: &mut Vec<Source>| {
        for src in s.iter_mut().filter(|s| s.document_id == "doc-a") {
            src.document_id = new_id.into();
        }
    };
    run.meetings.iter_mut().for_each(|m| fix(&mut m.sources));
    run.cases.iter_mut().for_each(|c| fix(&mut c.sources));
    run.participants
        .iter_mut()
        .for_each(|p| fix(&mut p.sources));
    run.references.iter_mut().for_each(|r| fix(&mut r.sources));
    for w in run.warnings.iter_mut().filter(|w| w.document_id == "doc-a") {
        w.document_id = new_id.into();
    }
    let report = db::load(&write_run(&run, "super2"), &t.url).unwrap();
    let docs = report.table("documents");
    assert_eq!((docs.inserted, docs.updated, docs.deleted), (1, 0, 1));
    let cases = report.table("cases");
    assert_eq!((cases.inserted, cases.updated, cases.deleted), (0, 0, 1));
    // The segments and warning of doc-a moved to doc-a2 (deleted and inserted: new keys).
    assert_eq!(report.table("document_segments").deleted, 2);
    assert_eq!(report.table("document_segments").inserted, 2);
    assert_eq!(report.table("warnings").deleted, 1);
    let ids = t.query("SELECT id FROM documents ORDER BY id");
    assert_eq!(strings(&ids, "id"), ["doc-a2", "doc-b", "doc-c"]);
    assert_eq!(
        t.query("SELECT count(*) AS n FROM sources WHERE document_id = 'doc-a'")[0]["n"],
        json!(0)
    );
    let again = db::load(&write_run(&run, "super3"), &t.url).unwrap();
    assert_eq!(again.total(), db::Counts::default());
}
