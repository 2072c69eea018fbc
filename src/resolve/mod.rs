//! Stage 5, resolve: the corpus-wide "reduce": merges meetings met in several documents,
//! resolves people and bodies across meetings and years, links references, assigns stable ids.
//!
//! Every id is derived from content (body, year, number, case number, name), never from run or
//! input order, and every output list is sorted, so the datasets are the same whatever order
//! the documents come in.

mod people;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::parse::text::slug;
use crate::parse::{case_key, ParsedMeeting};
use crate::pipeline::DocumentResult;
use crate::records::{
    BodyName, BodyRow, CaseRow, Datasets, MeetingRow, ParticipantRow, ReferenceRow, Source,
    WarningRow,
};
use crate::vocab::Vocabulary;

/// The stable id of the body a name denotes (renames share one id).
pub fn body_id(name: &str, vocab: &Vocabulary) -> String {
    vocab
        .body_by_name(name)
        .map_or_else(|| slug(name), |b| b.id.clone())
}

/// `body_id` remembered per name: the vocabulary lookup compares a name with every body's
/// names, and resolve asks it for every meeting and reference.
struct BodyIds<'v> {
    vocab: &'v Vocabulary,
    known: RefCell<HashMap<String, String>>,
}

impl<'v> BodyIds<'v> {
    fn new(vocab: &'v Vocabulary) -> Self {
        BodyIds {
            vocab,
            known: RefCell::new(HashMap::new()),
        }
    }

    fn of(&self, name: &str) -> String {
        if let Some(id) = self.known.borrow().get(name) {
            return id.clone();
        }
        let id = body_id(name, self.vocab);
        self.known.borrow_mut().insert(name.to_string(), id.clone());
        id
    }
}

/// How much a document kind is trusted for a meeting's own fields (lower first): the minutes
/// record the held meeting, the agenda the planned one.
fn doc_rank(m: &ParsedMeeting) -> usize {
    let d = &m.meeting.documents;
    if d.iter().any(|x| x == "minutes") {
        0
    } else if d.iter().any(|x| x == "agenda") {
        1
    } else {
        2
    }
}

struct Entry {
    doc: String,
    seg_index: usize,
    m: ParsedMeeting,
}

/// The key meetings are merged on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum MeetingKey {
    Numbered(String, i32, u32),
    Dated(String, String),
    Unknown(String, String),
}

fn first<T: Clone>(vals: impl Iterator<Item = Option<T>>) -> Option<T> {
    vals.flatten().next()
}

fn merge_sources(a: &mut Vec<Source>, b: &[Source]) {
    for s in b {
        if !a.contains(s) {
            a.push(s.clone());
        }
    }
    a.sort();
}

/// Builds the datasets from every document's result.
pub fn resolve(mut results: Vec<DocumentResult>, vocab: &Vocabulary) -> Datasets {
    results.sort_by(|a, b| {
        a.document
            .id
            .cmp(&b.document.id)
            .then(a.document.path.cmp(&b.document.path))
    });
    let ids = BodyIds::new(vocab);
    let mut out = Datasets::default();
    let mut entries: Vec<Entry> = Vec::new();
    // The meetings move out of the results (which keep the documents and segment links), so
    // that the records are held once.
    for r in &mut results {
        out.warnings.append(&mut r.records.warnings);
        for (i, m) in std::mem::take(&mut r.records.meetings)
            .into_iter()
            .enumerate()
        {
            entries.push(Entry {
                doc: r.document.id.clone(),
                seg_index: i,
                m,
            });
        }
    }
    resolve_dates(&mut entries, &ids, &mut out.warnings);

    // Group meetings: by body, year and number; else by body and date.
    let key_of = |e: &Entry| {
        let fam = ids.of(&e.m.meeting.body);
        match (e.m.meeting.year, e.m.meeting.number, &e.m.meeting.date) {
            (Some(y), Some(n), _) => MeetingKey::Numbered(fam, y, n),
            (_, _, Some(d)) => MeetingKey::Dated(fam, d.clone()),
            _ => MeetingKey::Unknown(fam, format!("{}-{}", e.doc, e.seg_index)),
        }
    };
    let mut groups: BTreeMap<MeetingKey, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        groups.entry(key_of(e)).or_default().push(i);
    }
    // A dated group without a number joins the numbered group of the same body and date: the
    // first such group in key order. Indexed once: (body, date) -> the least numbered key with
    // a meeting of that body on that date.
    let mut numbered_on: HashMap<(String, String), MeetingKey> = HashMap::new();
    for (gk, idx) in &groups {
        let MeetingKey::Numbered(fam, ..) = gk else {
            continue;
        };
        for i in idx {
            if let Some(d) = &entries[*i].m.meeting.date {
                // Groups iterate in key order, so the first key seen is the least.
                numbered_on
                    .entry((fam.clone(), d.clone()))
                    .or_insert_with(|| gk.clone());
            }
        }
    }
    let dated: Vec<MeetingKey> = groups
        .keys()
        .filter(|k| matches!(k, MeetingKey::Dated(..)))
        .cloned()
        .collect();
    for k in dated {
        let MeetingKey::Dated(fam, date) = &k else {
            continue;
        };
        if let Some(t) = numbered_on.get(&(fam.clone(), date.clone())) {
            let moved = groups.remove(&k).unwrap_or_default();
            groups.entry(t.clone()).or_default().extend(moved);
        }
    }

    let mut meeting_of: BTreeMap<(String, usize), String> = BTreeMap::new();
    let mut participants: Vec<ParticipantRow> = Vec::new();
    let mut cases: Vec<CaseRow> = Vec::new();
    let mut references: Vec<ReferenceRow> = Vec::new();
    for (key, mut idx) in groups {
        idx.sort_by_key(|i| {
            (
                doc_rank(&entries[*i].m),
                entries[*i].doc.clone(),
                entries[*i].seg_index,
            )
        });
        let ms: Vec<&ParsedMeeting> = idx.iter().map(|i| &entries[*i].m).collect();
        let fam = match &key {
            MeetingKey::Numbered(f, ..) | MeetingKey::Dated(f, _) | MeetingKey::Unknown(f, _) => {
                f.clone()
            }
        };
        let id = match &key {
            MeetingKey::Numbered(_, y, n) => format!("{fam}/{y}/{n}"),
            MeetingKey::Dated(_, d) => format!("{fam}/{d}"),
            MeetingKey::Unknown(_, u) => format!("{fam}/unknown-{u}"),
        };
        for i in &idx {
            meeting_of.insert((entries[*i].doc.clone(), entries[*i].seg_index), id.clone());
        }
        let merged = merge_group(&id, &fam, &ms, &ids);
        out.meetings.push(merged.meeting);
        out.warnings.extend(merged.warnings);
        participants.extend(merged.participants);
        cases.extend(merged.cases);
        references.extend(merged.references);
        // The merged rows hold the group's records now: free the descriptions they came from.
        for i in &idx {
            let m = &mut entries[*i].m;
            m.participants = Vec::new();
            m.cases = Vec::new();
            m.references = Vec::new();
        }
    }
    link_references(&mut references, &out.meetings, &cases, &ids);

    out.people = people::resolve_people(&mut participants, &out.meetings);
    out.bodies = bodies(&out.meetings, &references, &ids);

    for r in results {
        let mut d = r.document;
        for link in &r.records.segment_links {
            if let (Some(seg), Some(mid)) = (
                d.segments.get_mut(link.segment),
                meeting_of.get(&(d.id.clone(), link.meeting)),
            ) {
                seg.meeting_id = Some(mid.clone());
                seg.case_number = link.case_number.clone();
            }
        }
        out.documents.push(d);
    }
    out.documents
        .sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    out.meetings.sort_by(|a, b| a.id.cmp(&b.id));
    participants.sort_by(|a, b| {
        (&a.meeting_id, &a.person_id, &a.name).cmp(&(&b.meeting_id, &b.person_id, &b.name))
    });
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    references.sort_by(|a, b| a.id.cmp(&b.id));
    out.participants = participants;
    out.cases = cases;
    out.references = references;
    out.warnings.sort_by(|a, b| {
        (&a.document_id, a.page, &a.kind, &a.message).cmp(&(
            &b.document_id,
            b.page,
            &b.kind,
            &b.message,
        ))
    });
    out.warnings.dedup();
    out
}

/// One meeting's rows, merged from every document that describes it.
pub(crate) struct Merged {
    pub meeting: MeetingRow,
    pub participants: Vec<ParticipantRow>,
    pub cases: Vec<CaseRow>,
    pub references: Vec<ReferenceRow>,
    pub warnings: Vec<WarningRow>,
}

/// Merges the descriptions of meeting `id` (of body `fam`), most trusted first.
fn merge_group(id: &str, fam: &str, ms: &[&ParsedMeeting], ids: &BodyIds) -> Merged {
    let mut warnings = Vec::new();
    let mut participants: Vec<ParticipantRow> = Vec::new();
    let mut cases: Vec<CaseRow> = Vec::new();
    let mut references: Vec<ReferenceRow> = Vec::new();
    let mut documents: Vec<String> = Vec::new();
    for kind in ["agenda", "minutes", "case_memo", "slides"] {
        if ms
            .iter()
            .any(|m| m.meeting.documents.iter().any(|d| d == kind))
        {
            documents.push(kind.to_string());
        }
    }
    let mut sources = Vec::new();
    for m in ms {
        merge_sources(&mut sources, &m.meeting.sources);
    }
    for field in ["date", "start_time", "end_time", "location"] {
        let vals: BTreeSet<String> = ms
            .iter()
            .filter_map(|m| match field {
                "date" => m.meeting.date.clone(),
                "start_time" => m.meeting.start_time.clone(),
                "end_time" => m.meeting.end_time.clone(),
                _ => m.meeting.location.clone(),
            })
            .collect();
        if vals.len() > 1 {
            warnings.push(WarningRow {
                document_id: ms[0].meeting.sources.first().map_or(String::new(), |s| s.document_id.clone()),
                page: ms[0].meeting.sources.first().map(|s| s.page),
                kind: "conflicting_values".into(),
                message: format!(
                    "meeting {id}: documents disagree on {field}; kept the minutes' (else the agenda's) value"
                ),
                raw: Some(vals.into_iter().collect::<Vec<_>>().join(" | ")),
            });
        }
    }
    let meeting = MeetingRow {
        id: id.to_string(),
        body: ms[0].meeting.body.clone(),
        body_id: Some(fam.to_string()),
        number: first(ms.iter().map(|m| m.meeting.number)),
        year: first(ms.iter().map(|m| m.meeting.year)),
        date: first(ms.iter().map(|m| m.meeting.date.clone())),
        start_time: first(ms.iter().map(|m| m.meeting.start_time.clone())),
        end_time: first(ms.iter().map(|m| m.meeting.end_time.clone())),
        location: first(ms.iter().map(|m| m.meeting.location.clone())),
        documents,
        sources,
    };
    // Participants: one row per name.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in ms {
        for p in &m.participants {
            let k = p.name.to_lowercase();
            if let Some(&j) = seen.get(&k) {
                let row: &mut ParticipantRow = &mut participants[j];
                merge_sources(&mut row.sources, &p.sources);
                if row.attendance == "unknown" && p.attendance != "unknown" {
                    row.attendance = p.attendance.clone();
                }
                continue;
            }
            let mut row = p.clone();
            row.meeting_id = id.to_string();
            row.sources.sort();
            seen.insert(k, participants.len());
            participants.push(row);
        }
    }
    // Cases: one row per case number.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in ms {
        for c in &m.cases {
            let k = case_key(&c.case_number);
            if let Some(&j) = seen.get(&k) {
                merge_case(&mut cases[j], c);
                continue;
            }
            let mut row = c.clone();
            row.meeting_id = id.to_string();
            row.id = format!("{id}/sak/{}", k.replace('/', "-"));
            row.sources.sort();
            seen.insert(k, cases.len());
            cases.push(row);
        }
    }
    // References: one row per (from case, kind, target).
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in ms {
        for r in &m.references {
            let target = r
                .target
                .as_deref()
                .map(case_key)
                .or_else(|| r.target_date.clone())
                .unwrap_or_default();
            let from = r
                .from_case
                .as_deref()
                .map(case_key)
                .unwrap_or_else(|| "-".into());
            let mut rid = format!(
                "{id}/ref/{}/{}/{}",
                from.replace('/', "-"),
                r.kind,
                target.replace('/', "-")
            );
            if r.kind == "prior_decision" {
                if let Some(b) = &r.target_body {
                    rid.push('/');
                    rid.push_str(&ids.of(b));
                }
            }
            if let Some(&j) = seen.get(&rid) {
                merge_sources(&mut references[j].sources, &r.sources);
                continue;
            }
            let mut row = r.clone();
            row.meeting_id = id.to_string();
            row.id = rid.clone();
            row.sources.sort();
            seen.insert(rid, references.len());
            references.push(row);
        }
    }
    Merged {
        meeting,
        participants,
        cases,
        references,
        warnings,
    }
}

fn merge_case(a: &mut CaseRow, b: &CaseRow) {
    macro_rules! fill {
        ($f:ident) => {
            if a.$f.is_none() {
                a.$f = b.$f.clone();
            }
        };
    }
    fill!(title);
    fill!(case_type);
    fill!(scheduled_time);
    fill!(proposed_decision);
    fill!(decision);
    fill!(memo);
    for x in &b.attachments {
        if !a.attachments.iter().any(|y| y.label == x.label) {
            a.attachments.push(x.clone());
        }
    }
    for x in &b.action_items {
        if !a.action_items.contains(x) {
            a.action_items.push(x.clone());
        }
    }
    merge_sources(&mut a.sources, &b.sources);
}

/// A meeting whose date field names several days takes the one that other documents cite for
/// a meeting of the same body ("referatet fra møtet 21. september 2022").
fn resolve_dates(entries: &mut [Entry], ids: &BodyIds, warnings: &mut Vec<WarningRow>) {
    let mut cited: BTreeSet<(String, String)> = BTreeSet::new();
    for e in entries.iter() {
        for r in &e.m.references {
            if r.kind == "meeting" {
                if let (Some(b), Some(d)) = (&r.target_body, &r.target_date) {
                    cited.insert((ids.of(b), d.clone()));
                }
            }
        }
    }
    for e in entries.iter_mut() {
        if e.m.meeting.date.is_some() || e.m.date_candidates.is_empty() {
            continue;
        }
        let fam = ids.of(&e.m.meeting.body);
        let hits: Vec<&String> =
            e.m.date_candidates
                .iter()
                .filter(|c| cited.contains(&(fam.clone(), (*c).clone())))
                .collect();
        let raw = e.m.date_raw.clone();
        if hits.len() == 1 {
            let d = hits[0].clone();
            warnings.push(WarningRow {
                document_id: e.doc.clone(),
                page: e.m.meeting.sources.first().map(|s| s.page),
                kind: "date_resolved".into(),
                message: format!(
                    "meeting date '{}' resolved to {d}: another document cites a meeting of {} on that day",
                    raw.as_deref().unwrap_or(""),
                    e.m.meeting.body
                ),
                raw,
            });
            e.m.meeting.date = Some(d);
        }
    }
}

/// A lookup's result: resolution links a reference only to a target it finds exactly once.
enum Hits<'a> {
    One(&'a str),
    Several,
}

fn add_hit<'a, K: std::hash::Hash + Eq>(index: &mut HashMap<K, Hits<'a>>, key: K, id: &'a str) {
    index
        .entry(key)
        .and_modify(|h| *h = Hits::Several)
        .or_insert(Hits::One(id));
}

/// Sets `resolved_id` where the target is in the dataset: cases by (case key, body) and
/// meetings by (date, body), each through an index built once.
fn link_references(
    refs: &mut [ReferenceRow],
    meetings: &[MeetingRow],
    cases: &[CaseRow],
    ids: &BodyIds,
) {
    let meeting_body: HashMap<&str, &str> = meetings
        .iter()
        .map(|m| (m.id.as_str(), m.body_id.as_deref().unwrap_or("")))
        .collect();
    let mut case_at: HashMap<(String, &str), Hits> = HashMap::new();
    for c in cases {
        if let Some(body) = meeting_body.get(c.meeting_id.as_str()) {
            add_hit(&mut case_at, (case_key(&c.case_number), *body), &c.id);
        }
    }
    let mut meeting_on: HashMap<(&str, &str), Hits> = HashMap::new();
    for m in meetings {
        if let (Some(d), Some(b)) = (&m.date, &m.body_id) {
            add_hit(&mut meeting_on, (d.as_str(), b.as_str()), &m.id);
        }
    }
    for r in refs.iter_mut() {
        let own = meeting_body
            .get(r.meeting_id.as_str())
            .copied()
            .unwrap_or("");
        let fam = r
            .target_body
            .as_deref()
            .map(|b| ids.of(b))
            .unwrap_or_else(|| own.to_string());
        let hit = match (&r.target, &r.target_date) {
            (Some(t), _) => case_at.get(&(case_key(t), fam.as_str())),
            (None, Some(d)) => meeting_on.get(&(d.as_str(), fam.as_str())),
            _ => None,
        };
        if let Some(Hits::One(id)) = hit {
            r.resolved_id = Some(id.to_string());
        }
    }
}

/// The bodies met in meetings and references, with their names over time.
fn bodies(meetings: &[MeetingRow], refs: &[ReferenceRow], ids: &BodyIds) -> Vec<BodyRow> {
    let vocab = ids.vocab;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for m in meetings {
        names
            .entry(ids.of(&m.body))
            .or_insert_with(|| m.body.clone());
    }
    for r in refs {
        if let Some(b) = &r.target_body {
            names.entry(ids.of(b)).or_insert_with(|| b.clone());
        }
    }
    names
        .into_iter()
        .map(
            |(id, written)| match vocab.bodies.iter().find(|b| b.id == id) {
                Some(b) => BodyRow {
                    id,
                    name: b.current_name().to_string(),
                    names: b
                        .names
                        .iter()
                        .map(|n| BodyName {
                            name: n.name.clone(),
                            from: n.from.clone(),
                            to: n.to.clone(),
                        })
                        .collect(),
                },
                None => BodyRow {
                    id,
                    name: written.clone(),
                    names: vec![BodyName {
                        name: written,
                        from: None,
                        to: None,
                    }],
                },
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::TextDocument;
    use crate::records::DocumentRow;
    use crate::{parse, segment};

    fn doc(id: &str, text: &str) -> DocumentResult {
        let v = Vocabulary::builtin();
        let d = TextDocument::from_plain_text(text);
        let segs = segment::segment(&d, &v);
        DocumentResult {
            document: DocumentRow {
                id: id.into(),
                path: format!("{id}.pdf"),
                sha256: String::new(),
                pages: 1,
                producer: None,
                status: "ok".into(),
                errors: vec![],
                segments: segs.iter().map(crate::records::SegmentRow::from).collect(),
                ocr_pages: Vec::new(),
            },
            records: parse::parse(id, &d, &segs, &v),
        }
    }

    #[test]
    fn meetings_merge_across_documents_and_dates_resolve() {
        let v = Vocabulary::builtin();
        // Minutes of meeting 1 with a garbled date, in the package of meeting 2 whose agenda
        // approves "referatet fra møtet 3. februar 2024".
        let a = doc(
            "doc-a",
            "Møte i NUIT\nMøte\n2/2024\nDato\n14. mars 2024\nSak\n5/24\nGodkjenning av referatet fra møtet 3. februar 2024\nGodkjenning\n\
Referat fra møte i NUIT\nMøte\n1/2024\nDato\n3. februar. juni 2024\nTil stede\nOla Nordmann (KS)\nSak\n1/24\nÅpning\nVedtak:\nNUIT godkjenner.\n",
        );
        // The same minutes published alone.
        let b = doc(
            "doc-b",
            "Referat fra møte i NUIT\nMøte\n1/2024\nDato\n3. februar. juni 2024\nTil stede\nOla Nordmann (KS)\nSak\n1/24\nÅpning\nVedtak:\nNUIT godkjenner.\n",
        );
        let ds = resolve(vec![b.clone(), a.clone()], &v);
        assert_eq!(
            ds,
            resolve(vec![a, b], &v),
            "input order changed the output"
        );
        let ids: Vec<_> = ds.meetings.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["nuit/2024/1", "nuit/2024/2"]);
        let m1 = &ds.meetings[0];
        assert_eq!(m1.date.as_deref(), Some("2024-02-03"));
        let docs: BTreeSet<_> = m1.sources.iter().map(|s| s.document_id.as_str()).collect();
        assert_eq!(docs.len(), 2);
        assert_eq!(ds.participants.len(), 1);
        assert_eq!(
            ds.participants[0].person_id.as_deref(),
            Some("person/ola-nordmann")
        );
        assert_eq!(
            ds.cases.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            vec!["nuit/2024/1/sak/1-24", "nuit/2024/2/sak/5-24"]
        );
        let r = &ds.references[0];
        assert_eq!(r.resolved_id.as_deref(), Some("nuit/2024/1"));
        assert!(ds.warnings.iter().any(|w| w.kind == "date_resolved"));
        assert_eq!(ds.bodies.len(), 1);
        let seg = &ds
            .documents
            .iter()
            .find(|d| d.id == "doc-a")
            .unwrap()
            .segments;
        assert_eq!(seg[1].meeting_id.as_deref(), Some("nuit/2024/1"));
    }
}
