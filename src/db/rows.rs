//! Maps the dataset records onto the rows of the normalised tables.

use std::collections::{HashMap, HashSet};

use super::dataset::RunData;
use super::schema::*;
use super::value::{Row, Val};
use crate::records::Source;

/// Where a desired row came from: a dataset name and the index of the record in it.
pub type Origin = (&'static str, usize);

/// The rows one run wants in each table (indexed like `schema::TABLES`).
#[derive(Clone)]
pub struct Desired {
    pub rows: Vec<Vec<Row>>,
    pub origins: Vec<Vec<Origin>>,
}

impl Desired {
    fn push(&mut self, table: usize, origin: Origin, row: Row) {
        debug_assert_eq!(
            row.len(),
            TABLES[table].cols.len(),
            "{}",
            TABLES[table].name
        );
        self.rows[table].push(row);
        self.origins[table].push(origin);
    }
}

fn json_list(items: &[String]) -> Val {
    Val::Text(serde_json::to_string(items).expect("a list of strings serialises"))
}

fn opt_int<T: TryInto<i64>>(v: Option<T>) -> Val {
    v.and_then(|v| v.try_into().ok())
        .map_or(Val::Null, Val::Int)
}

/// The id of a participant row: participants have no id in the dataset, so it is made from the
/// meeting and the name (numbered when a name occurs twice in one meeting).
pub fn participant_id(meeting_id: &str, name: &str, occurrence: usize) -> String {
    if occurrence == 0 {
        format!("{meeting_id}/participant/{name}")
    } else {
        format!("{meeting_id}/participant/{name}#{}", occurrence + 1)
    }
}

pub fn build(run: &RunData) -> Desired {
    let ds = &run.data;
    let mut d = Desired {
        rows: vec![Vec::new(); TABLES.len()],
        origins: vec![Vec::new(); TABLES.len()],
    };
    let push_sources =
        |d: &mut Desired, owner_col: usize, owner: &str, origin, sources: &[Source]| {
            for (seq, s) in sources.iter().enumerate() {
                let mut row: Row = vec![Val::Null; TABLES[SOURCES].cols.len()];
                row[0] = Val::Text(format!(
                    "{}:{owner}#{seq}",
                    TABLES[SOURCES].cols[owner_col].0
                ));
                row[owner_col] = owner.into();
                row[5] = s.document_id.as_str().into();
                row[6] = s.page.into();
                d.push(SOURCES, origin, row);
            }
        };

    for (i, doc) in ds.documents.iter().enumerate() {
        let o = ("documents", i);
        d.push(
            DOCUMENTS,
            o,
            vec![
                doc.id.as_str().into(),
                doc.path.as_str().into(),
                doc.sha256.as_str().into(),
                doc.pages.into(),
                (&doc.producer).into(),
                doc.status.as_str().into(),
                json_list(&doc.errors),
            ],
        );
        for (seq, s) in doc.segments.iter().enumerate() {
            d.push(
                SEGMENTS,
                o,
                vec![
                    doc.id.as_str().into(),
                    seq.into(),
                    s.kind.as_str().into(),
                    s.first_page.into(),
                    s.last_page.into(),
                    (&s.meeting_id).into(),
                    (&s.case_number).into(),
                ],
            );
        }
        for p in &doc.ocr_pages {
            d.push(
                OCR_PAGES,
                o,
                vec![
                    doc.id.as_str().into(),
                    p.page.into(),
                    p.engine.as_str().into(),
                    p.engine_version.as_str().into(),
                    p.model.as_str().into(),
                    i64::from(p.mean_confidence).into(),
                    p.low_confidence_words.into(),
                ],
            );
        }
    }
    for (i, b) in ds.bodies.iter().enumerate() {
        let o = ("bodies", i);
        d.push(
            BODIES,
            o,
            vec![b.id.as_str().into(), b.name.as_str().into()],
        );
        for (seq, n) in b.names.iter().enumerate() {
            d.push(
                BODY_NAMES,
                o,
                vec![
                    b.id.as_str().into(),
                    seq.into(),
                    n.name.as_str().into(),
                    (&n.from).into(),
                    (&n.to).into(),
                ],
            );
        }
    }
    for (i, p) in ds.people.iter().enumerate() {
        let o = ("people", i);
        d.push(
            PEOPLE,
            o,
            vec![p.id.as_str().into(), p.name.as_str().into()],
        );
        let mut seen = HashSet::new();
        for a in &p.aliases {
            if seen.insert(a) {
                d.push(ALIASES, o, vec![p.id.as_str().into(), a.as_str().into()]);
            }
        }
        for (seq, a) in p.affiliations.iter().enumerate() {
            d.push(
                AFFILIATIONS,
                o,
                vec![
                    p.id.as_str().into(),
                    seq.into(),
                    a.organisation.as_str().into(),
                    a.first_meeting.as_str().into(),
                    a.last_meeting.as_str().into(),
                ],
            );
        }
    }
    for (i, m) in ds.meetings.iter().enumerate() {
        let o = ("meetings", i);
        d.push(
            MEETINGS,
            o,
            vec![
                m.id.as_str().into(),
                (&m.body_id).into(),
                m.body.as_str().into(),
                opt_int(m.number),
                opt_int(m.year),
                (&m.date).into(),
                (&m.start_time).into(),
                (&m.end_time).into(),
                (&m.location).into(),
                json_list(&m.documents),
            ],
        );
        push_sources(&mut d, 1, &m.id, o, &m.sources);
    }
    let mut occurrences: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, p) in ds.participants.iter().enumerate() {
        let o = ("participants", i);
        let n = occurrences
            .entry((p.meeting_id.as_str(), p.name.as_str()))
            .or_insert(0);
        let id = participant_id(&p.meeting_id, &p.name, *n);
        *n += 1;
        d.push(
            PARTICIPANTS,
            o,
            vec![
                id.as_str().into(),
                p.meeting_id.as_str().into(),
                (&p.person_id).into(),
                p.name.as_str().into(),
                (&p.organisation).into(),
                p.role.as_str().into(),
                p.attendance.as_str().into(),
                (&p.substitute_for).into(),
            ],
        );
        push_sources(&mut d, 3, &id, o, &p.sources);
    }
    let mut case_by_number: HashMap<(&str, &str), &str> = HashMap::new();
    let case_ids: HashSet<&str> = ds.cases.iter().map(|c| c.id.as_str()).collect();
    let meeting_ids: HashSet<&str> = ds.meetings.iter().map(|m| m.id.as_str()).collect();
    for (i, c) in ds.cases.iter().enumerate() {
        let o = ("cases", i);
        case_by_number.insert((c.meeting_id.as_str(), c.case_number.as_str()), &c.id);
        let memo = c.memo.as_ref();
        d.push(
            CASES,
            o,
            vec![
                c.id.as_str().into(),
                c.meeting_id.as_str().into(),
                c.case_number.as_str().into(),
                (&c.title).into(),
                (&c.case_type).into(),
                (&c.scheduled_time).into(),
                (&c.proposed_decision).into(),
                (&c.decision).into(),
                memo.and_then(|m| m.from.clone()).into(),
                memo.and_then(|m| m.case_officer.clone()).into(),
            ],
        );
        for (seq, a) in c.attachments.iter().enumerate() {
            d.push(
                ATTACHMENTS,
                o,
                vec![
                    c.id.as_str().into(),
                    seq.into(),
                    a.label.as_str().into(),
                    (&a.title).into(),
                    (&a.url).into(),
                ],
            );
        }
        for (seq, a) in c.action_items.iter().enumerate() {
            d.push(
                ACTION_ITEMS,
                o,
                vec![c.id.as_str().into(), seq.into(), a.as_str().into()],
            );
        }
        push_sources(&mut d, 2, &c.id, o, &c.sources);
    }
    for (i, r) in ds.references.iter().enumerate() {
        let o = ("references", i);
        // `from_case` is a case number in the reference's own meeting; `resolved_id` is a case
        // or a meeting id. Both are split into checked foreign keys.
        let from_case_id = r
            .from_case
            .as_deref()
            .and_then(|n| case_by_number.get(&(r.meeting_id.as_str(), n)))
            .map(|s| s.to_string());
        let resolved = r.resolved_id.as_deref();
        let resolved_case = resolved.filter(|id| case_ids.contains(id));
        let resolved_meeting = resolved.filter(|id| meeting_ids.contains(id));
        d.push(
            REFERENCES,
            o,
            vec![
                r.id.as_str().into(),
                r.meeting_id.as_str().into(),
                (&r.from_case).into(),
                from_case_id.into(),
                r.kind.as_str().into(),
                (&r.target).into(),
                (&r.target_body).into(),
                (&r.target_date).into(),
                (&r.title).into(),
                (&r.decision).into(),
                (&r.text).into(),
                (&r.resolved_id).into(),
                resolved_case.map(str::to_string).into(),
                resolved_meeting.map(str::to_string).into(),
            ],
        );
        push_sources(&mut d, 4, &r.id, o, &r.sources);
    }
    let mut per_doc: HashMap<&str, usize> = HashMap::new();
    for (i, w) in ds.warnings.iter().enumerate() {
        let seq = per_doc.entry(w.document_id.as_str()).or_insert(0);
        d.push(
            WARNINGS,
            ("warnings", i),
            vec![
                w.document_id.as_str().into(),
                (*seq).into(),
                opt_int(w.page),
                w.kind.as_str().into(),
                w.message.as_str().into(),
                (&w.raw).into(),
            ],
        );
        *seq += 1;
    }
    d
}
