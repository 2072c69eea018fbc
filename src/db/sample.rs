//! Generated datasets of any size with realistic (invented) Norwegian values: for the load
//! benchmark and for tests that need volume. Deterministic for a given size.

use crate::records::*;

const BODIES: [(&str, &str); 3] = [
    ("ehelse", "Nasjonalt e-helseråd"),
    (
        "nuit",
        "Nasjonalt utvalg for IT-prioritering i helse- og omsorgssektoren (NUIT)",
    ),
    ("nufa", "Nasjonalt fagutvalg for e-helse (NUFA)"),
];

const GIVEN: [&str; 12] = [
    "Åse", "Øystein", "Ingrid", "Bjørn", "Solveig", "Håkon", "Kari", "Trond", "Marte", "Jørgen",
    "Siri", "Ærlend",
];
const FAMILY: [&str; 10] = [
    "Brækhus",
    "Kvåle",
    "Fjellstad",
    "Løvås",
    "Haugen",
    "Sæther",
    "Aasmundstad",
    "Rønning",
    "Myhre",
    "Dæhlie",
];
const ORGS: [&str; 6] = [
    "Helse Vest RHF",
    "Helse Nord RHF",
    "KS",
    "Bergen kommune",
    "Tromsø kommune",
    "Legeforeningen",
];
const TOPICS: [&str; 10] = [
    "helsedata",
    "pasientens legemiddelliste",
    "kjernejournal",
    "velferdsteknologi",
    "e-resept",
    "helseanalyseplattformen",
    "digitalt helsekort for gravide",
    "samhandling mellom sykehus og kommuner",
    "informasjonssikkerhet",
    "økonomisk langtidsplan",
];
const VERBS: [&str; 5] = [
    "Status for",
    "Prioritering av",
    "Oppfølging av",
    "Finansiering av",
    "Veikart for",
];

/// A run with `cases` cases spread over meetings of ten cases each, with participants,
/// references, attachments, sources and warnings in realistic proportions.
pub fn generate(cases: usize) -> Datasets {
    let mut ds = Datasets::default();
    let meetings = cases.div_ceil(10).max(1);
    for (id, name) in BODIES {
        ds.bodies.push(BodyRow {
            id: id.into(),
            name: name.into(),
            names: vec![BodyName {
                name: name.into(),
                from: None,
                to: None,
            }],
        });
    }
    let people: Vec<(String, String)> = (0..GIVEN.len() * FAMILY.len())
        .map(|i| {
            let name = format!("{} {}", GIVEN[i % GIVEN.len()], FAMILY[i / GIVEN.len()]);
            (format!("person/{i}"), name)
        })
        .collect();
    for m in 0..meetings {
        let (body_id, body) = BODIES[m % BODIES.len()];
        let year = 2017 + (m / 60) as i32 % 9;
        let number = (m / BODIES.len()) % 20 + 1;
        let date = format!("{year}-{:02}-{:02}", (m % 12) + 1, (m % 27) + 1);
        let doc = format!("doc-{m:08x}");
        let meeting_id = format!("{body_id}/{m}");
        ds.documents.push(DocumentRow {
            id: doc.clone(),
            path: format!("corpus/{body_id}-{date}.pdf"),
            sha256: format!("{m:064x}"),
            pages: 40,
            producer: Some("LibreOffice 7.4".into()),
            status: "ok".into(),
            errors: Vec::new(),
            segments: vec![SegmentRow {
                kind: "agenda".into(),
                first_page: 1,
                last_page: 3,
                meeting_id: Some(meeting_id.clone()),
                case_number: None,
            }],
            ocr_pages: Vec::new(),
        });
        let src = |page| {
            vec![Source {
                document_id: doc.clone(),
                page,
            }]
        };
        ds.meetings.push(MeetingRow {
            id: meeting_id.clone(),
            body: body.into(),
            body_id: Some(body_id.into()),
            number: Some(number as u32),
            year: Some(year),
            date: Some(date),
            start_time: Some("10:00".into()),
            end_time: Some("15:30".into()),
            location: Some("Helsedirektoratet, Oslo".into()),
            documents: vec!["agenda".into(), "case_memo".into()],
            sources: src(1),
        });
        for p in 0..8 {
            let (person_id, name) = &people[(m * 3 + p) % people.len()];
            ds.participants.push(ParticipantRow {
                meeting_id: meeting_id.clone(),
                person_id: Some(person_id.clone()),
                name: name.clone(),
                organisation: Some(ORGS[p % ORGS.len()].into()),
                role: if p == 0 { "chair" } else { "member" }.into(),
                attendance: if p == 7 { "absent" } else { "present" }.into(),
                substitute_for: None,
                sources: src(2),
            });
        }
        let in_meeting = (cases - m * 10).min(10);
        for c in 0..in_meeting {
            let n = m * 10 + c;
            let topic = TOPICS[n % TOPICS.len()];
            let case_number = format!("{}/{:02}", number * 10 + c, year % 100);
            let proposed = format!(
                "{body} tar orienteringen om {topic} til etterretning og ber sekretariatet \
                 følge opp arbeidet med {topic}."
            );
            let decision = if n % 3 == 0 {
                Some(format!(
                    "{body} slutter seg til anbefalingen om {topic}, med de endringer som kom \
                     frem i møtet."
                ))
            } else {
                Some(proposed.clone())
            };
            let case_id = format!("{meeting_id}/sak/{}", case_number.replace('/', "-"));
            ds.cases.push(CaseRow {
                id: case_id.clone(),
                meeting_id: meeting_id.clone(),
                case_number: case_number.clone(),
                title: Some(format!("{} {topic}", VERBS[n % VERBS.len()])),
                case_type: Some(
                    if n % 2 == 0 {
                        "Beslutning"
                    } else {
                        "Orientering"
                    }
                    .into(),
                ),
                scheduled_time: Some(format!("{:02}:00", 10 + c / 2)),
                proposed_decision: Some(proposed),
                decision,
                attachments: vec![Attachment {
                    label: format!("{}A", c + 1),
                    title: Some(format!("Notat om {topic}")),
                    url: None,
                }],
                action_items: if n % 4 == 0 {
                    vec![format!("Sekretariatet legger frem en plan for {topic}.")]
                } else {
                    Vec::new()
                },
                memo: Some(Memo {
                    from: Some("Direktoratet for e-helse".into()),
                    case_officer: Some(people[n % people.len()].1.clone()),
                }),
                sources: src(4 + c),
            });
            if c > 0 && n % 5 == 0 {
                let target = &ds.cases[ds.cases.len() - 2];
                ds.references.push(ReferenceRow {
                    id: format!("{meeting_id}/ref/{n}"),
                    meeting_id: meeting_id.clone(),
                    from_case: Some(case_number.clone()),
                    kind: "case".into(),
                    target: Some(target.case_number.clone()),
                    target_body: None,
                    target_date: None,
                    title: None,
                    decision: None,
                    text: Some(format!("Til sak {}", target.case_number)),
                    resolved_id: Some(target.id.clone()),
                    sources: src(4 + c),
                });
            }
        }
        if m % 7 == 0 {
            ds.warnings.push(WarningRow {
                document_id: doc.clone(),
                page: Some(1),
                kind: "date".into(),
                message: "meeting date written twice with different months".into(),
                raw: Some("21. september. mars".into()),
            });
        }
    }
    let used: std::collections::BTreeSet<&String> = ds
        .participants
        .iter()
        .filter_map(|p| p.person_id.as_ref())
        .collect();
    for (id, name) in &people {
        if used.contains(id) {
            ds.people.push(PersonRow {
                id: id.clone(),
                name: name.clone(),
                aliases: Vec::new(),
                affiliations: Vec::new(),
            });
        }
    }
    ds
}

/// The number of rows a load of `ds` writes, over all tables.
pub fn row_count(ds: &Datasets) -> usize {
    let sources = |s: &[Source]| s.len();
    ds.documents
        .iter()
        .map(|d| 1 + d.segments.len() + d.ocr_pages.len())
        .sum::<usize>()
        + ds.bodies.iter().map(|b| 1 + b.names.len()).sum::<usize>()
        + ds.people
            .iter()
            .map(|p| 1 + p.aliases.len() + p.affiliations.len())
            .sum::<usize>()
        + ds.meetings
            .iter()
            .map(|m| 1 + sources(&m.sources))
            .sum::<usize>()
        + ds.participants
            .iter()
            .map(|p| 1 + sources(&p.sources))
            .sum::<usize>()
        + ds.cases
            .iter()
            .map(|c| 1 + c.attachments.len() + c.action_items.len() + sources(&c.sources))
            .sum::<usize>()
        + ds.references
            .iter()
            .map(|r| 1 + sources(&r.sources))
            .sum::<usize>()
        + ds.warnings.len()
}
