//! `referat export DIR --format einnsyn` (issue 16): the corpus exported and every file
//! validated with `xmllint --schema` against the vendored eInnsyn XSD, read back and compared
//! with the datasets, exported twice byte for byte, re-exported after an update with its
//! identities kept; a hand-made meeting mapped field by field; bad input refused with one line.
//!
//! The corpus run takes a while (OCR of the scanned variants); when REFERAT_EINNSYN_RUN names
//! the output of `referat extract corpus` the tests use it instead of extracting again.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;
use referat::db::dataset::read_files;
use referat::records::*;
use sha2::{Digest, Sha256};

const NS: &str = "http://www.arkivverket.no/standarder/noark5/arkivstruktur";

/// The output of `referat extract corpus`, made once for all tests of this file. The tests
/// read it with `read_files`, which takes no lock: the exports running beside them take it.
fn corpus_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        if let Some(dir) = std::env::var_os("REFERAT_EINNSYN_RUN") {
            return PathBuf::from(dir);
        }
        let out =
            std::env::temp_dir().join(format!("referat-einnsyn-corpus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        extract_ok(&[Path::new("corpus")], &out, &[]);
        out
    })
}

/// Exports `run` into a fresh directory; insists on success.
fn export_ok(run: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = scratch(name).join("einnsyn");
    let mut args = vec![
        "export",
        run.to_str().unwrap(),
        "--format",
        "einnsyn",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = referat(&args);
    assert_eq!(o.status.code(), Some(0), "export failed: {}", stderr(&o));
    out
}

/// The exported files, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// True when xmllint can be run; otherwise the test is skipped with a notice, unless CI=true
/// (CI installs libxml2-utils), where it fails.
fn xmllint_available(test: &str) -> bool {
    match Command::new("xmllint").arg("--version").output() {
        Ok(o) if o.status.success() => true,
        other => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{test}: xmllint (libxml2-utils) is required in CI: {other:?}");
            }
            eprintln!("SKIPPED {test}: xmllint not found");
            false
        }
    }
}

/// xmllint's complaints about `paths` (empty when all validate).
fn schema_errors(paths: &[PathBuf]) -> Vec<String> {
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(repo().join("schemas/noark5/arkivstruktur.xsd"))
        .args(paths)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stderr).into_owned();
    let errors: Vec<String> = report
        .lines()
        .filter(|l| !l.ends_with(" validates"))
        .map(String::from)
        .collect();
    assert_eq!(
        o.status.success(),
        errors.is_empty(),
        "xmllint status and report disagree: {report}"
    );
    errors
}

#[test]
fn corpus_export_validates_against_the_schema() {
    if !xmllint_available("corpus_export_validates_against_the_schema") {
        return;
    }
    let out = export_ok(corpus_run(), "validate", &[]);
    let paths: Vec<PathBuf> = files(&out).keys().map(|n| out.join(n)).collect();
    let meetings = read_files(corpus_run()).unwrap().data.meetings.len();
    assert!(meetings >= 5, "the corpus holds 5 meetings, got {meetings}");
    assert_eq!(paths.len(), meetings, "one file per meeting");
    assert_eq!(schema_errors(&paths), Vec::<String>::new());
}

// ---- reading the export back ----

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

fn text(n: roxmltree::Node, name: &str) -> Option<String> {
    child(n, name).map(|c| c.text().unwrap_or("").to_string())
}

/// The xsi:type of an element without its prefix ("moetemappe").
fn xsi_type<'a>(n: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.attribute(("http://www.w3.org/2001/XMLSchema-instance", "type"))
        .map(|t| t.rsplit(':').next().unwrap())
}

/// A meeting as read back from its file.
struct MeetingBack {
    utvalg: String,
    moetenummer: Option<String>,
    moetedato: Option<String>,
    moetested: Option<String>,
    participants: Vec<(String, String)>,
    /// registreringsID -> the case registration's values.
    cases: BTreeMap<String, CaseBack>,
    /// The moetemappe's systemID; per registreringsID, the case registration's.
    folder_id: String,
    case_ids: BTreeMap<String, String>,
    /// (sjekksum, referanseDokumentfil, filstoerrelse, sjekksumAlgoritme) of every dokumentobjekt.
    files: Vec<(String, String, String, String)>,
    system_ids: Vec<String>,
}

#[derive(Debug, PartialEq)]
struct CaseBack {
    title: String,
    year: String,
    sequence: String,
    kind: String,
    case_type: Option<String>,
    officer: Option<String>,
    decision: Option<String>,
    proposal: Option<String>,
    /// The systemIDs its kryssreferanse elements point at.
    links: Vec<String>,
    /// The titles of its documents without a file (the attachments the papers list).
    attachments: Vec<String>,
}

fn read_back(xml: &str) -> BTreeMap<String, MeetingBack> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "arkiv");
    assert_eq!(root.tag_name().namespace(), Some(NS));
    let mut out = BTreeMap::new();
    for mappe in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "mappe" && xsi_type(*n) == Some("moetemappe"))
    {
        let mut cases = BTreeMap::new();
        let mut case_ids = BTreeMap::new();
        for reg in children(mappe, "registrering")
            .into_iter()
            .filter(|r| xsi_type(*r) == Some("moetesaksregistrering"))
        {
            let note = |kind: &str| {
                children(reg, "merknad")
                    .into_iter()
                    .find(|m| text(*m, "merknadstype").as_deref() == Some(kind))
                    .and_then(|m| text(m, "merknadstekst"))
            };
            let back = CaseBack {
                title: text(reg, "tittel").unwrap(),
                year: text(reg, "moetesaksaar").unwrap(),
                sequence: text(reg, "moetesakssekvensnummer").unwrap(),
                kind: text(reg, "moetesakstype").unwrap(),
                case_type: text(reg, "noekkelord"),
                officer: text(reg, "saksbehandler"),
                decision: note("Vedtak"),
                proposal: note("Forslag til vedtak"),
                attachments: children(reg, "dokumentbeskrivelse")
                    .into_iter()
                    .filter(|d| child(*d, "dokumentobjekt").is_none())
                    .map(|d| text(d, "tittel").unwrap())
                    .collect(),
                links: children(reg, "kryssreferanse")
                    .into_iter()
                    .flat_map(|k| k.children().filter(|c| c.is_element()))
                    .map(|r| r.text().unwrap().to_string())
                    .collect(),
            };
            let id = text(reg, "registreringsID").unwrap();
            case_ids.insert(id.clone(), text(reg, "systemID").unwrap());
            assert!(cases.insert(id.clone(), back).is_none(), "case {id} twice");
        }
        let files = mappe
            .descendants()
            .filter(|n| n.tag_name().name() == "dokumentobjekt")
            .map(|o| {
                (
                    text(o, "sjekksum").unwrap(),
                    text(o, "referanseDokumentfil").unwrap(),
                    text(o, "filstoerrelse").unwrap(),
                    text(o, "sjekksumAlgoritme").unwrap(),
                )
            })
            .collect();
        let back = MeetingBack {
            folder_id: text(mappe, "systemID").unwrap(),
            case_ids,
            utvalg: text(mappe, "utvalg").unwrap(),
            moetenummer: text(mappe, "moetenummer"),
            moetedato: text(mappe, "moetedato"),
            moetested: text(mappe, "moetested"),
            participants: children(mappe, "moetedeltaker")
                .into_iter()
                .map(|d| {
                    (
                        text(d, "moetedeltakerNavn").unwrap(),
                        text(d, "moetedeltakerFunksjon").unwrap_or_default(),
                    )
                })
                .collect(),
            cases,
            files,
            system_ids: doc
                .descendants()
                .filter(|n| n.tag_name().name() == "systemID")
                .map(|n| n.text().unwrap().to_string())
                .collect(),
        };
        out.insert(text(mappe, "mappeID").unwrap(), back);
    }
    out
}

fn read_back_dir(dir: &Path) -> BTreeMap<String, MeetingBack> {
    let mut all = BTreeMap::new();
    for (name, bytes) in files(dir) {
        let meetings = read_back(std::str::from_utf8(&bytes).unwrap());
        assert_eq!(meetings.len(), 1, "{name}: one meeting per file");
        all.extend(meetings);
    }
    all
}

/// The function a participant's role is written as (docs/einnsyn-export.md).
fn expected_function(p: &ParticipantRow) -> String {
    let role = match p.role.as_str() {
        "chair" => "Møteleder",
        "member" => "Medlem",
        "substitute" => "Varamedlem",
        "observer" => "Observatør",
        "secretariat" => "Sekretariat",
        "guest" => "Gjest",
        other => panic!("unexpected role {other}"),
    };
    let mut f = role.to_string();
    if let Some(s) = &p.substitute_for {
        f += &format!(" for {s}");
    }
    if p.attendance == "absent" {
        f += " (forfall)";
    }
    f
}

#[test]
fn corpus_export_reads_back_as_the_datasets() {
    let run = read_files(corpus_run()).unwrap().data;
    let back = read_back_dir(&export_ok(corpus_run(), "roundtrip", &[]));
    assert_eq!(back.len(), run.meetings.len());
    let mut cases_seen = 0;
    let mut participants_seen = 0;
    let mut links_seen = 0;
    for m in &run.meetings {
        let b = back
            .get(&m.id)
            .unwrap_or_else(|| panic!("meeting {} missing", m.id));
        assert_eq!(b.utvalg, m.body, "{}", m.id);
        // Every corpus meeting is numbered within its year, dated, and timed.
        assert_eq!(
            b.moetenummer,
            Some(format!("{}/{}", m.number.unwrap(), m.year.unwrap()))
        );
        assert_eq!(
            b.moetedato,
            Some(format!(
                "{}T{}:00",
                m.date.as_ref().unwrap(),
                m.start_time.as_ref().unwrap()
            ))
        );
        assert_eq!(b.moetested, m.location, "{}", m.id);

        let expected: Vec<(String, String)> = run
            .participants
            .iter()
            .filter(|p| p.meeting_id == m.id)
            .map(|p| (p.name.clone(), expected_function(p)))
            .collect();
        assert_eq!(b.participants, expected, "{}", m.id);
        participants_seen += expected.len();

        let cases: Vec<&CaseRow> = run.cases.iter().filter(|c| c.meeting_id == m.id).collect();
        assert_eq!(b.cases.len(), cases.len(), "{}", m.id);
        for c in cases {
            let got = b
                .cases
                .get(&c.case_number)
                .unwrap_or_else(|| panic!("case {} of {} missing", c.case_number, m.id));
            // The corpus numbers its cases NN/YY, years of this century.
            let (seq, yy) = c.case_number.split_once('/').unwrap();
            let kind = match c.case_type.as_deref() {
                Some("Orientering") => "Orienteringssak",
                _ => "Annet",
            };
            // Resolved references point at the target's record in the export.
            let mut links = Vec::new();
            for r in run
                .references
                .iter()
                .filter(|r| r.meeting_id == m.id && r.from_case.as_ref() == Some(&c.case_number))
            {
                let Some(target) = &r.resolved_id else {
                    continue;
                };
                let id = match back.get(target) {
                    Some(folder) => folder.folder_id.clone(),
                    None => {
                        let t = run.cases.iter().find(|c| &c.id == target).unwrap();
                        back[&t.meeting_id].case_ids[&t.case_number].clone()
                    }
                };
                if !links.contains(&id) {
                    links.push(id);
                }
            }
            links_seen += links.len();
            let want = CaseBack {
                links,
                attachments: c
                    .attachments
                    .iter()
                    .map(|a| match &a.title {
                        Some(t) => format!("Vedlegg {}: {t}", a.label),
                        None => format!("Vedlegg {}", a.label),
                    })
                    .collect(),
                title: c.title.clone().unwrap_or_else(|| c.case_number.clone()),
                year: format!("20{yy}"),
                sequence: seq.to_string(),
                kind: kind.to_string(),
                case_type: c.case_type.clone(),
                officer: c.memo.as_ref().and_then(|memo| memo.case_officer.clone()),
                decision: c.decision.clone(),
                proposal: c.proposed_decision.clone(),
            };
            assert_eq!(got, &want, "case {} of {}", c.case_number, m.id);
            cases_seen += 1;
        }

        // Each PDF the meeting was read from, with its checksum and size as on disk.
        let docs: Vec<&DocumentRow> = run
            .documents
            .iter()
            .filter(|d| m.sources.iter().any(|s| s.document_id == d.id))
            .collect();
        assert!(!docs.is_empty());
        for d in docs {
            let bytes = std::fs::read(repo().join(&d.path)).unwrap();
            let sha = format!("{:x}", Sha256::digest(&bytes));
            let want = (
                sha,
                d.path.clone(),
                bytes.len().to_string(),
                "SHA-256".to_string(),
            );
            assert!(
                b.files.contains(&want),
                "{}: {want:?} not in {:?}",
                m.id,
                b.files
            );
        }
    }
    assert_eq!(cases_seen, run.cases.len());
    assert_eq!(participants_seen, run.participants.len());
    // The corpus resolves 6 references, to 3 meetings and 3 cases.
    assert_eq!(links_seen, 6);
}

#[test]
fn exports_are_byte_identical_and_updates_keep_identities() {
    let first = files(&export_ok(corpus_run(), "twice-1", &[]));
    let second = files(&export_ok(corpus_run(), "twice-2", &[]));
    assert!(!first.is_empty());
    assert!(first == second, "two exports of the same datasets differ");

    // An update: one decision corrected, the last meeting gone.
    let mut run = read_files(corpus_run()).unwrap().data;
    let gone = run.meetings.pop().unwrap().id;
    run.cases.retain(|c| c.meeting_id != gone);
    run.participants.retain(|p| p.meeting_id != gone);
    let changed = run
        .cases
        .iter_mut()
        .find(|c| c.decision.is_some())
        .expect("a decided case");
    changed.decision = Some("Vedtaket slik det ble rettet.".into());
    let changed_meeting = changed.meeting_id.clone();
    let updated_run = scratch("updated-run");
    referat::emit::write_datasets(&run, &updated_run).unwrap();
    let updated = files(&export_ok(&updated_run, "updated", &[]));

    let name = |id: &str| referat::export::einnsyn::file_name(id);
    assert!(!updated.contains_key(&name(&gone)));
    assert_eq!(updated.len(), first.len() - 1);
    for (file, bytes) in &updated {
        if *file == name(&changed_meeting) {
            let before = read_back(std::str::from_utf8(&first[file]).unwrap());
            let after = read_back(std::str::from_utf8(bytes).unwrap());
            let (b, a) = (&before[&changed_meeting], &after[&changed_meeting]);
            assert_eq!(a.system_ids, b.system_ids, "identities kept");
            assert!(a
                .cases
                .values()
                .any(|c| c.decision.as_deref() == Some("Vedtaket slik det ble rettet.")));
        } else {
            assert!(
                first[file] == *bytes,
                "{file} changed though its meeting did not"
            );
        }
    }
}

// ---- a hand-made run: every mapping rule on values chosen for it ----

fn src(doc: &str, page: usize) -> Vec<Source> {
    vec![Source {
        document_id: doc.into(),
        page,
    }]
}

fn participant(name: &str, role: &str, attendance: &str, sub: Option<&str>) -> ParticipantRow {
    ParticipantRow {
        meeting_id: "bystyret/1999/3".into(),
        person_id: None,
        name: name.into(),
        organisation: None,
        role: role.into(),
        attendance: attendance.into(),
        substitute_for: sub.map(String::from),
        sources: src("doc-a", 1),
    }
}

/// A reference from case RS 1/00 of the council meeting.
fn reference(n: &str, resolved: Option<&str>) -> ReferenceRow {
    ReferenceRow {
        id: format!("bystyret/1999/3/ref/{n}"),
        meeting_id: "bystyret/1999/3".into(),
        from_case: Some("RS 1/00".into()),
        kind: "case".into(),
        target: None,
        target_body: None,
        target_date: None,
        title: None,
        decision: None,
        text: None,
        resolved_id: resolved.map(String::from),
        sources: src("doc-a", 2),
    }
}

fn case(number: &str, title: Option<&str>, meeting: &str) -> CaseRow {
    CaseRow {
        id: format!("{meeting}/sak/{}", number.replace('/', "-")),
        meeting_id: meeting.into(),
        case_number: number.into(),
        title: title.map(String::from),
        case_type: None,
        scheduled_time: None,
        proposed_decision: None,
        decision: None,
        attachments: vec![],
        action_items: vec![],
        memo: None,
        sources: src("doc-a", 2),
    }
}

/// A municipal council meeting of December 1999 (with a case numbered in the coming year) and
/// an undated meeting of a body the vocabulary does not know; one PDF on disk, one gone.
fn handmade_run(name: &str) -> PathBuf {
    let dir = scratch(name);
    let pdf = dir.join("bystyret-1999-12-14.pdf");
    std::fs::write(&pdf, b"%PDF-1.4 eleven").unwrap();
    let sha = format!("{:x}", Sha256::digest(b"%PDF-1.4 eleven"));
    let doc = |id: &str, path: String, sha256: String, kind: &str| DocumentRow {
        id: id.into(),
        path,
        sha256,
        pages: 2,
        producer: None,
        status: "ok".into(),
        errors: vec![],
        segments: vec![SegmentRow {
            kind: kind.into(),
            first_page: 1,
            last_page: 2,
            meeting_id: None,
            case_number: None,
        }],
        ocr_pages: vec![],
    };
    let mut ps = case(
        "PS 45/99",
        Some("Budsjett 2000 & økonomiplan <2000-2003>"),
        "bystyret/1999/3",
    );
    ps.proposed_decision = Some("Budsjettet vedtas.".into());
    ps.decision = Some("Budsjettet vedtas med endringene i\nvedlegg 2.".into());
    ps.attachments = vec![
        Attachment {
            label: "2".into(),
            title: Some("Økonomiplan 2000-2003".into()),
            url: Some("https://example.kommune.no/vedlegg-2.pdf".into()),
        },
        Attachment {
            label: "3".into(),
            title: None,
            url: None,
        },
    ];
    ps.memo = Some(Memo {
        from: None,
        case_officer: Some("Anne Berg".into()),
    });
    let mut rs = case("RS 1/00", None, "bystyret/1999/3");
    rs.case_type = Some("Referatsak".into());
    let mut orientering = case(
        "Sak 7",
        Some("Orientering om skolebruksplan"),
        "bystyret/1999/3",
    );
    orientering.case_type = Some("Orientering".into());
    let lost = case("/15", Some("Sak med tapt nummer"), "bystyret/1999/3");
    let ds = Datasets {
        documents: vec![
            doc("doc-a", pdf.display().to_string(), sha, "minutes"),
            doc(
                "doc-b",
                dir.join("gone.pdf").display().to_string(),
                "ab".repeat(32),
                "agenda",
            ),
        ],
        bodies: vec![BodyRow {
            id: "bystyret".into(),
            name: "Bystyret".into(),
            names: vec![],
        }],
        meetings: vec![
            MeetingRow {
                id: "bystyret/1999/3".into(),
                body: "Bystyret".into(),
                body_id: Some("bystyret".into()),
                number: Some(3),
                year: Some(1999),
                date: Some("1999-12-14".into()),
                start_time: Some("18:00".into()),
                end_time: None,
                location: Some("Rådhuset, sal 1 & 2".into()),
                documents: vec!["minutes".into()],
                sources: src("doc-a", 1),
            },
            MeetingRow {
                id: "kontrollutvalget/unknown-doc-b-0".into(),
                body: "Kontrollutvalget".into(),
                body_id: None,
                number: None,
                year: None,
                date: None,
                start_time: None,
                end_time: None,
                location: None,
                documents: vec!["agenda".into()],
                sources: src("doc-b", 1),
            },
        ],
        participants: vec![
            participant("Kari Nordmann", "chair", "present", None),
            participant("Ola Nordmann", "member", "absent", None),
            participant("Per Hansen", "substitute", "present", Some("Ola Nordmann")),
        ],
        cases: vec![ps, rs, orientering, lost],
        references: vec![
            reference("1", Some("bystyret/1999/3/sak/PS 45-99")),
            reference("2", None),
            reference("3", Some("bystyret/1999/3/sak/-15")),
        ],
        ..Default::default()
    };
    let run = dir.join("run");
    referat::emit::write_datasets(&ds, &run).unwrap();
    run
}

fn only_file(dir: &Path, name: &str) -> String {
    String::from_utf8(
        files(dir)
            .remove(name)
            .unwrap_or_else(|| panic!("no {name}")),
    )
    .unwrap()
}

#[test]
fn handmade_meeting_maps_field_by_field() {
    let run = handmade_run("handmade");
    let out = scratch("handmade-out").join("x");
    let o = referat(&[
        "export",
        run.to_str().unwrap(),
        "--format",
        "einnsyn",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // The case without a number is left out, and said so; the missing PDF too.
    assert!(err.contains("\"/15\"") && err.contains("left out"), "{err}");
    assert!(err.contains("gone.pdf: not found or changed"), "{err}");
    assert!(
        err.contains("2 meetings (3 cases, 3 participants)"),
        "{err}"
    );

    let council = only_file(&out, "bystyret_1999_3.xml");
    let back = read_back(&council);
    let m = &back["bystyret/1999/3"];
    assert_eq!(m.utvalg, "Bystyret");
    assert_eq!(m.moetenummer.as_deref(), Some("3/1999"));
    assert_eq!(m.moetedato.as_deref(), Some("1999-12-14T18:00:00"));
    assert_eq!(m.moetested.as_deref(), Some("Rådhuset, sal 1 & 2"));
    assert_eq!(
        m.participants,
        [
            ("Kari Nordmann".to_string(), "Møteleder".to_string()),
            ("Ola Nordmann".into(), "Medlem (forfall)".into()),
            ("Per Hansen".into(), "Varamedlem for Ola Nordmann".into()),
        ]
    );
    let ps = &m.cases["PS 45/99"];
    assert_eq!(
        ps,
        &CaseBack {
            title: "Budsjett 2000 & økonomiplan <2000-2003>".into(),
            year: "1999".into(),
            sequence: "45".into(),
            kind: "Politisk sak".into(),
            case_type: None,
            officer: Some("Anne Berg".into()),
            decision: Some("Budsjettet vedtas med endringene i\nvedlegg 2.".into()),
            proposal: Some("Budsjettet vedtas.".into()),
            links: vec![],
            attachments: vec![
                "Vedlegg 2: Økonomiplan 2000-2003".into(),
                "Vedlegg 3".into()
            ],
        }
    );
    // Numbered in the coming year at a December meeting: 2000, not 1900.
    let rs = &m.cases["RS 1/00"];
    assert_eq!((rs.year.as_str(), rs.sequence.as_str()), ("2000", "1"));
    assert_eq!(rs.kind, "Referatsak");
    // Its resolved reference to the budget case; the unresolved one and the one to the left-out
    // case leave no trace.
    assert_eq!(rs.links, [m.case_ids["PS 45/99"].clone()]);
    assert_eq!(rs.title, "RS 1/00", "no title: the number stands for it");
    let sak = &m.cases["Sak 7"];
    assert_eq!((sak.year.as_str(), sak.sequence.as_str()), ("1999", "7"));
    assert_eq!(sak.kind, "Orienteringssak");
    assert!(!m.cases.contains_key("/15"));
    // An attachment's link is its description.
    assert!(council.contains("<beskrivelse>https://example.kommune.no/vedlegg-2.pdf</beskrivelse>"));
    // The PDF on disk with its checksum and size (15 bytes).
    let sha = format!("{:x}", Sha256::digest(b"%PDF-1.4 eleven"));
    assert!(
        m.files.iter().any(|f| f.0 == sha && f.2 == "15"),
        "{:?}",
        m.files
    );
    // Without settings the values no PDF states are unknown, never guessed.
    let doc = roxmltree::Document::parse(&council).unwrap();
    let root = doc.root_element();
    assert_eq!(text(root, "opprettetAv").as_deref(), Some("Ukjent"));
    let creator = child(root, "arkivskaper").unwrap();
    assert_eq!(text(creator, "arkivskaperID").as_deref(), Some("Ukjent"));
    assert_eq!(text(creator, "arkivskaperNavn").as_deref(), Some("Ukjent"));
    assert_eq!(
        text(root, "opprettetDato").as_deref(),
        Some("1999-12-14T00:00:00")
    );

    // The undated meeting: dated by its archive (the run's first meeting), its PDF's size
    // unknown.
    let undated = only_file(&out, "kontrollutvalget_unknown-doc-b-0.xml");
    let back = read_back(&undated);
    let k = &back["kontrollutvalget/unknown-doc-b-0"];
    assert_eq!(k.utvalg, "Kontrollutvalget");
    assert_eq!((k.moetenummer.as_ref(), k.moetedato.as_ref()), (None, None));
    assert_eq!(k.files.len(), 1);
    assert_eq!(k.files[0].2, "Ukjent");
    assert!(undated.contains("<opprettetDato>1999-12-14T00:00:00</opprettetDato>"));
    assert!(undated
        .contains("<moetedokumentregistreringstype>Innkalling</moetedokumentregistreringstype>"));
    assert!(council
        .contains("<moetedokumentregistreringstype>Protokoll</moetedokumentregistreringstype>"));
    // Two bodies, two archives.
    let arkiv_id = |xml: &str| {
        let d = roxmltree::Document::parse(xml).unwrap();
        text(d.root_element(), "systemID").unwrap()
    };
    assert_ne!(arkiv_id(&council), arkiv_id(&undated));

    if xmllint_available("handmade_meeting_maps_field_by_field") {
        assert_eq!(
            schema_errors(&[
                out.join("bystyret_1999_3.xml"),
                out.join("kontrollutvalget_unknown-doc-b-0.xml")
            ]),
            Vec::<String>::new()
        );
    }
}

#[test]
fn archive_settings_fill_what_no_pdf_states() {
    let run = handmade_run("settings");
    // The documented example.
    let settings = repo().join("docs/einnsyn-settings.example.toml");
    let out = export_ok(
        &run,
        "settings-out",
        &["--archive-settings", settings.to_str().unwrap()],
    );
    let council = only_file(&out, "bystyret_1999_3.xml");
    let doc = roxmltree::Document::parse(&council).unwrap();
    let root = doc.root_element();
    assert_eq!(text(root, "opprettetAv").as_deref(), Some("Arkivtjenesten"));
    assert_eq!(
        text(root, "opprettetDato").as_deref(),
        Some("1995-01-01T00:00:00")
    );
    let creator = child(root, "arkivskaper").unwrap();
    assert_eq!(text(creator, "arkivskaperID").as_deref(), Some("974760673"));
    assert_eq!(
        text(creator, "arkivskaperNavn").as_deref(),
        Some("Eksempel kommune")
    );
    assert!(
        !council.contains("Ukjent"),
        "every unknown filled:\n{council}"
    );
    assert!(council.contains("<administrativEnhet>Politisk sekretariat</administrativEnhet>"));
    assert!(council.contains(
        "<referanseDokumentfil>https://example.kommune.no/moter/bystyret-1999-12-14.pdf</referanseDokumentfil>"
    ));
    // The meeting's records keep the meeting's date; the archive's is the settings'.
    assert!(council.contains("<arkivertDato>1999-12-14T00:00:00</arkivertDato>"));
    if xmllint_available("archive_settings_fill_what_no_pdf_states") {
        let paths: Vec<PathBuf> = files(&out).keys().map(|n| out.join(n)).collect();
        assert_eq!(schema_errors(&paths), Vec::<String>::new());
    }
}

// ---- bad input: one line naming the problem, exit status 2 ----

fn refused(args: &[&str], expect: &[&str]) {
    let o = referat(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    for e in expect {
        assert!(err.contains(e), "{args:?}: {err:?} lacks {e:?}");
    }
}

#[test]
fn bad_input_is_refused_with_one_line() {
    let dir = scratch("bad");
    let not_a_run = dir.join("not-a-run");
    std::fs::create_dir_all(&not_a_run).unwrap();
    std::fs::write(not_a_run.join("notes.txt"), "hello").unwrap();
    let out = dir.join("out");
    let out_s = out.to_str().unwrap();
    refused(
        &[
            "export",
            not_a_run.to_str().unwrap(),
            "--format",
            "einnsyn",
            "--out",
            out_s,
        ],
        &["not-a-run", "no documents.jsonl", "referat extract"],
    );
    refused(
        &[
            "export",
            dir.join("missing").to_str().unwrap(),
            "--format",
            "einnsyn",
            "--out",
            out_s,
        ],
        &["missing: not a directory"],
    );

    let run = handmade_run("bad-settings");
    let run_s = run.to_str().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let missing = write(
        "missing.toml",
        "opprettet_av = \"Arkivtjenesten\"\narkivskaper_id = \"974760673\"\n",
    );
    refused(
        &[
            "export",
            run_s,
            "--format",
            "einnsyn",
            "--out",
            out_s,
            "--archive-settings",
            missing.to_str().unwrap(),
        ],
        &["missing.toml", "missing field `arkivskaper_navn`"],
    );
    let wrong_type = write(
        "wrong-type.toml",
        "opprettet_av = \"Arkivtjenesten\"\narkivskaper_id = 974760673\narkivskaper_navn = \"Eksempel kommune\"\n",
    );
    refused(
        &[
            "export",
            run_s,
            "--format",
            "einnsyn",
            "--out",
            out_s,
            "--archive-settings",
            wrong_type.to_str().unwrap(),
        ],
        &[
            "wrong-type.toml line 2",
            "invalid type: integer",
            "expected a string",
        ],
    );
    let wrong_date = write(
        "wrong-date.toml",
        "opprettet_av = \"A\"\narkivskaper_id = \"1\"\narkivskaper_navn = \"B\"\n\nopprettet_dato = \"i fjor\"\n",
    );
    refused(
        &[
            "export",
            run_s,
            "--format",
            "einnsyn",
            "--out",
            out_s,
            "--archive-settings",
            wrong_date.to_str().unwrap(),
        ],
        &["wrong-date.toml line 5"],
    );
    let typo = write(
        "typo.toml",
        "opprettet_av = \"A\"\narkivskaper_id = \"1\"\narkivskaper_navn = \"B\"\narkivskaper = \"C\"\n",
    );
    refused(
        &[
            "export",
            run_s,
            "--format",
            "einnsyn",
            "--out",
            out_s,
            "--archive-settings",
            typo.to_str().unwrap(),
        ],
        &["typo.toml line 4", "unknown field `arkivskaper`"],
    );
    refused(
        &[
            "export",
            run_s,
            "--format",
            "einnsyn",
            "--out",
            out_s,
            "--archive-settings",
            dir.join("nowhere.toml").to_str().unwrap(),
        ],
        &["nowhere.toml"],
    );
    // A hand-edited dataset with a date the schema would refuse.
    let meetings = run.join("meetings.jsonl");
    let text = std::fs::read_to_string(&meetings).unwrap();
    std::fs::write(&meetings, text.replace("\"1999-12-14\"", "\"14.12.1999\"")).unwrap();
    refused(
        &["export", run_s, "--format", "einnsyn", "--out", out_s],
        &["meetings.jsonl line 1", "date \"14.12.1999\" is not a date"],
    );
    std::fs::write(&meetings, text).unwrap();

    // Nothing was written by the refused runs.
    assert!(!out.exists());

    // An export directory that holds files is left alone unless --force.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    refused(
        &["export", run_s, "--format", "einnsyn", "--out", out_s],
        &["not empty", "--force"],
    );
    let o = referat(&[
        "export", run_s, "--format", "einnsyn", "--out", out_s, "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("bystyret_1999_3.xml").is_file());
}
