//! What each page shows, as plain values for its template: every link already resolved to a
//! file of the site (or left out when its target is not in the datasets).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::chart::YearCount;
use super::diff::SideBySide;
use super::site::{chart, decisions, meeting_order, per_year, BodyGroup, Links, SourceView};
use crate::records::{
    BodyName, CaseRow, Datasets, MeetingRow, ParticipantRow, PersonRow, ReferenceRow, WarningRow,
};

/// The rows of the datasets by the ids pages look them up by.
pub(super) struct Lookups<'a> {
    meetings: HashMap<&'a str, &'a MeetingRow>,
    cases: HashMap<&'a str, Vec<&'a CaseRow>>,
    case_by_id: HashMap<&'a str, &'a CaseRow>,
    case_counts: HashMap<&'a str, usize>,
    participants: HashMap<&'a str, Vec<&'a ParticipantRow>>,
    by_person: HashMap<&'a str, Vec<&'a ParticipantRow>>,
    references: HashMap<&'a str, Vec<&'a ReferenceRow>>,
    /// References whose resolved target is the meeting or one of its cases, by that meeting.
    cited_by: HashMap<&'a str, Vec<&'a ReferenceRow>>,
}

impl<'a> Lookups<'a> {
    pub fn new(data: &'a Datasets) -> Lookups<'a> {
        let mut l = Lookups {
            meetings: data.meetings.iter().map(|m| (m.id.as_str(), m)).collect(),
            cases: HashMap::new(),
            case_by_id: data.cases.iter().map(|c| (c.id.as_str(), c)).collect(),
            case_counts: HashMap::new(),
            participants: HashMap::new(),
            by_person: HashMap::new(),
            references: HashMap::new(),
            cited_by: HashMap::new(),
        };
        for c in &data.cases {
            l.cases.entry(c.meeting_id.as_str()).or_default().push(c);
            *l.case_counts.entry(c.meeting_id.as_str()).or_default() += 1;
        }
        for cases in l.cases.values_mut() {
            cases.sort_by_key(|c| case_order(&c.case_number));
        }
        for p in &data.participants {
            l.participants
                .entry(p.meeting_id.as_str())
                .or_default()
                .push(p);
            if let Some(id) = &p.person_id {
                l.by_person.entry(id.as_str()).or_default().push(p);
            }
        }
        for r in &data.references {
            l.references
                .entry(r.meeting_id.as_str())
                .or_default()
                .push(r);
            let Some(target) = r.resolved_id.as_deref() else {
                continue;
            };
            let meeting = if l.meetings.contains_key(target) {
                Some(target)
            } else {
                l.case_by_id.get(target).map(|c| c.meeting_id.as_str())
            };
            if let Some(m) = meeting {
                l.cited_by.entry(m).or_default().push(r);
            }
        }
        l
    }
}

/// Case numbers "7/22" before "38/22": by the number before the slash, then as written.
fn case_order(number: &str) -> (u64, String) {
    let lead: String = number.chars().take_while(char::is_ascii_digit).collect();
    (lead.parse().unwrap_or(u64::MAX), number.to_string())
}

/// "Nasjonalt e-helseråd 6/2022 (2022-12-02)", or what of it is known.
fn meeting_label(m: &MeetingRow) -> String {
    let mut s = m.body.clone();
    match (m.number, m.year) {
        (Some(n), Some(y)) => s.push_str(&format!(" {n}/{y}")),
        (None, Some(y)) => s.push_str(&format!(" {y}")),
        _ => {}
    }
    if let Some(d) = &m.date {
        s.push_str(&format!(" ({d})"));
    }
    s
}

#[derive(Serialize)]
pub struct Link {
    pub href: Option<String>,
    pub label: String,
}

#[derive(Serialize)]
pub struct BodySummary {
    pub name: String,
    pub href: Option<String>,
    pub names: Vec<BodyName>,
    pub meetings: usize,
    pub cases: usize,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct WarningView {
    pub document: SourceView,
    pub message: String,
    pub raw: Option<String>,
}

#[derive(Serialize)]
pub struct WarningKind {
    pub kind: String,
    pub count: usize,
    pub warnings: Vec<WarningView>,
}

#[derive(Serialize)]
pub struct Index {
    pub bodies: Vec<BodySummary>,
    pub years: Vec<YearCount>,
    pub chart: Option<String>,
    pub documents: usize,
    pub pages: usize,
    pub statuses: Vec<Count>,
    pub warnings: Vec<WarningKind>,
    pub totals: Vec<Count>,
}

fn warning_view(w: &WarningRow, links: &Links) -> WarningView {
    let mut document = links.document(&w.document_id);
    document.page = w.page.unwrap_or(0);
    WarningView {
        document,
        message: w.message.clone(),
        raw: w.raw.clone(),
    }
}

impl Index {
    pub fn new(data: &Datasets, groups: &[BodyGroup], links: &Links) -> Index {
        let mut case_counts: HashMap<&str, usize> = HashMap::new();
        for c in &data.cases {
            *case_counts.entry(c.meeting_id.as_str()).or_default() += 1;
        }
        let bodies = groups
            .iter()
            .map(|g| BodySummary {
                name: g.name.clone(),
                href: links.body(&g.key),
                names: g.names.clone(),
                meetings: g.meetings.len(),
                cases: g
                    .meetings
                    .iter()
                    .map(|m| case_counts.get(m.id.as_str()).copied().unwrap_or(0))
                    .sum(),
                first: g.meetings.iter().find_map(|m| m.date.clone()),
                last: g.meetings.iter().rev().find_map(|m| m.date.clone()),
            })
            .collect();
        let all: Vec<&MeetingRow> = data.meetings.iter().collect();
        let years = per_year(&all, &case_counts);
        let chart = chart(&years, "Meetings and cases per year").unwrap_or(None);
        let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &data.documents {
            *statuses.entry(d.status.as_str()).or_default() += 1;
        }
        let mut kinds: BTreeMap<&str, Vec<WarningView>> = BTreeMap::new();
        for w in &data.warnings {
            kinds
                .entry(w.kind.as_str())
                .or_default()
                .push(warning_view(w, links));
        }
        let resolved = data
            .references
            .iter()
            .filter(|r| r.resolved_id.is_some())
            .count();
        let count = |name: &str, count: usize| Count {
            name: name.to_string(),
            count,
        };
        Index {
            bodies,
            years,
            chart,
            documents: data.documents.len(),
            pages: data.documents.iter().map(|d| d.pages).sum(),
            statuses: statuses.into_iter().map(|(s, n)| count(s, n)).collect(),
            warnings: kinds
                .into_iter()
                .map(|(kind, warnings)| WarningKind {
                    kind: kind.to_string(),
                    count: warnings.len(),
                    warnings,
                })
                .collect(),
            totals: vec![
                count("meetings", data.meetings.len()),
                count("cases", data.cases.len()),
                count("participants", data.participants.len()),
                count("people", data.people.len()),
                count("references", data.references.len()),
                count("references resolved", resolved),
                count("warnings", data.warnings.len()),
            ],
        }
    }
}

#[derive(Serialize)]
pub struct SegmentView {
    pub kind: String,
    pub pages: String,
    pub meeting: Option<Link>,
    pub case_number: Option<String>,
}

#[derive(Serialize)]
pub struct DocumentView {
    pub anchor: String,
    pub path: String,
    pub pages: usize,
    pub status: String,
    pub producer: Option<String>,
    pub errors: Vec<String>,
    pub ocr_pages: Vec<usize>,
    pub segments: Vec<SegmentView>,
    pub warnings: Vec<WarningView>,
}

pub fn documents(data: &Datasets, links: &Links) -> Vec<DocumentView> {
    let meetings: HashMap<&str, &MeetingRow> =
        data.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut warnings: HashMap<&str, Vec<WarningView>> = HashMap::new();
    for w in &data.warnings {
        warnings
            .entry(w.document_id.as_str())
            .or_default()
            .push(warning_view(w, links));
    }
    data.documents
        .iter()
        .map(|d| DocumentView {
            anchor: links.document_anchor(&d.id).unwrap_or_default(),
            path: d.path.clone(),
            pages: d.pages,
            status: d.status.clone(),
            producer: d.producer.clone(),
            errors: d.errors.clone(),
            ocr_pages: d.ocr_pages.iter().map(|p| p.page).collect(),
            segments: d
                .segments
                .iter()
                .map(|s| SegmentView {
                    kind: s.kind.clone(),
                    pages: if s.first_page == s.last_page {
                        s.first_page.to_string()
                    } else {
                        format!("{}–{}", s.first_page, s.last_page)
                    },
                    meeting: s.meeting_id.as_deref().map(|id| Link {
                        href: links.meeting(id),
                        label: meetings
                            .get(id)
                            .map_or(id.to_string(), |m| meeting_label(m)),
                    }),
                    case_number: s.case_number.clone(),
                })
                .collect(),
            warnings: warnings.remove(d.id.as_str()).unwrap_or_default(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct ReferenceView {
    pub meeting: Option<Link>,
    pub from_case: Option<Link>,
    pub kind: String,
    pub target: Option<Link>,
    pub target_body: Option<String>,
    pub target_date: Option<String>,
    pub title: Option<String>,
    pub decision: Option<String>,
    pub text: Option<String>,
    pub sources: Vec<SourceView>,
}

fn reference_view(
    r: &ReferenceRow,
    links: &Links,
    meetings: &HashMap<&str, &MeetingRow>,
    cases: &HashMap<(&str, &str), &str>,
) -> ReferenceView {
    ReferenceView {
        meeting: Some(Link {
            href: links.meeting(&r.meeting_id),
            label: meetings
                .get(r.meeting_id.as_str())
                .map_or(r.meeting_id.clone(), |m| meeting_label(m)),
        }),
        from_case: r.from_case.as_ref().map(|n| Link {
            href: cases
                .get(&(r.meeting_id.as_str(), n.as_str()))
                .and_then(|id| links.case(id)),
            label: n.clone(),
        }),
        kind: r.kind.clone(),
        target: match (&r.target, &r.resolved_id) {
            (None, None) => None,
            (t, id) => Some(Link {
                href: id.as_deref().and_then(|id| links.target(id)),
                label: t.clone().or(id.clone()).unwrap_or_default(),
            }),
        },
        target_body: r.target_body.clone(),
        target_date: r.target_date.clone(),
        title: r.title.clone(),
        decision: r.decision.clone(),
        text: r.text.clone(),
        sources: links.sources(&r.sources),
    }
}

/// References whose target is not in the datasets, listed below the graph.
pub fn unresolved_references(data: &Datasets, links: &Links) -> Vec<ReferenceView> {
    let cases = case_numbers(data);
    let meetings: HashMap<&str, &MeetingRow> =
        data.meetings.iter().map(|m| (m.id.as_str(), m)).collect();
    data.references
        .iter()
        .filter(|r| r.resolved_id.is_none())
        .map(|r| reference_view(r, links, &meetings, &cases))
        .collect()
}

fn case_numbers(data: &Datasets) -> HashMap<(&str, &str), &str> {
    data.cases
        .iter()
        .map(|c| {
            (
                (c.meeting_id.as_str(), c.case_number.as_str()),
                c.id.as_str(),
            )
        })
        .collect()
}

#[derive(Serialize)]
pub struct MeetingRowView {
    pub href: Option<String>,
    pub date: Option<String>,
    pub number: Option<u32>,
    pub location: Option<String>,
    pub cases: usize,
    pub participants: usize,
}

#[derive(Serialize)]
pub struct Column {
    pub href: Option<String>,
    pub label: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct Cell {
    /// present / absent / substitute / unknown / "" (not listed)
    pub state: &'static str,
}

#[derive(Serialize)]
pub struct HeatRow {
    pub name: String,
    pub href: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Serialize)]
pub struct YearView {
    pub year: String,
    pub meetings: Vec<MeetingRowView>,
    pub columns: Vec<Column>,
    pub rows: Vec<HeatRow>,
}

#[derive(Serialize)]
pub struct BodyView {
    pub name: String,
    pub names: Vec<BodyName>,
    pub chart: Option<String>,
    pub counts: Vec<YearCount>,
    pub years: Vec<YearView>,
}

/// What a participant's cell in the heatmap says: a substitute who came is shown as such.
fn attendance_state(p: &ParticipantRow) -> &'static str {
    match p.attendance.as_str() {
        "absent" => "absent",
        _ if p.role == "substitute" || p.substitute_for.is_some() => "substitute",
        "present" => "present",
        _ => "unknown",
    }
}

pub fn body(g: &BodyGroup, l: &Lookups, links: &Links) -> Result<BodyView, String> {
    let counts = per_year(&g.meetings, &l.case_counts);
    let chart = chart(&counts, &format!("{}: meetings and cases per year", g.name))?;
    let mut years: BTreeMap<String, Vec<&MeetingRow>> = BTreeMap::new();
    for m in &g.meetings {
        let year = m
            .year
            .map(|y| y.to_string())
            .or_else(|| Some(m.date.as_deref()?.get(..4)?.to_string()))
            .unwrap_or_else(|| "year unknown".into());
        years.entry(year).or_default().push(m);
    }
    let years = years
        .into_iter()
        .map(|(year, meetings)| {
            // Rows: everyone listed in a meeting of the year, by person (or by name when the
            // person was not resolved), sorted by name.
            let mut rows: BTreeMap<(String, String), Vec<Cell>> = BTreeMap::new();
            for (i, m) in meetings.iter().enumerate() {
                for p in l.participants.get(m.id.as_str()).into_iter().flatten() {
                    let key = (
                        p.name.clone(),
                        p.person_id
                            .clone()
                            .unwrap_or_else(|| format!("name {}", p.name)),
                    );
                    let cells = rows.entry(key).or_insert_with(|| {
                        (0..meetings.len()).map(|_| Cell { state: "" }).collect()
                    });
                    // Listed twice in one meeting (say, in the agenda and the minutes): what
                    // the minutes know (present, absent) wins over unknown.
                    let state = attendance_state(p);
                    if cells[i].state.is_empty() || cells[i].state == "unknown" {
                        cells[i].state = state;
                    }
                }
            }
            YearView {
                year,
                meetings: meetings
                    .iter()
                    .map(|m| MeetingRowView {
                        href: links.meeting(&m.id),
                        date: m.date.clone(),
                        number: m.number,
                        location: m.location.clone(),
                        cases: l.case_counts.get(m.id.as_str()).copied().unwrap_or(0),
                        participants: l.participants.get(m.id.as_str()).map_or(0, Vec::len),
                    })
                    .collect(),
                columns: meetings
                    .iter()
                    .map(|m| Column {
                        href: links.meeting(&m.id),
                        label: m
                            .date
                            .as_deref()
                            .and_then(|d| d.get(5..))
                            .map(str::to_string)
                            .or(m.number.map(|n| format!("no. {n}")))
                            .unwrap_or_else(|| "?".into()),
                        title: meeting_label(m),
                    })
                    .collect(),
                rows: rows
                    .into_iter()
                    .map(|((name, key), cells)| HeatRow {
                        href: links.person(&key),
                        name,
                        cells,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(BodyView {
        name: g.name.clone(),
        names: g.names.clone(),
        chart,
        counts,
        years,
    })
}

#[derive(Serialize)]
pub struct ParticipantView {
    pub name: String,
    pub href: Option<String>,
    pub organisation: Option<String>,
    pub role: String,
    pub attendance: String,
    pub substitute_for: Option<String>,
    pub sources: Vec<SourceView>,
}

#[derive(Serialize)]
pub struct AttachmentView {
    pub label: String,
    pub title: Option<String>,
    /// Only web addresses are links: a PDF may hold any URL, `javascript:` ones included.
    pub href: Option<String>,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct CaseView {
    pub anchor: String,
    pub number: String,
    pub title: Option<String>,
    pub case_type: Option<String>,
    pub scheduled_time: Option<String>,
    pub proposed: Option<String>,
    pub decision: Option<String>,
    pub diff: Option<SideBySide>,
    pub attachments: Vec<AttachmentView>,
    pub action_items: Vec<String>,
    pub memo_from: Option<String>,
    pub case_officer: Option<String>,
    pub sources: Vec<SourceView>,
}

#[derive(Serialize)]
pub struct MeetingView {
    pub heading: String,
    pub body: Link,
    pub number: Option<u32>,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub location: Option<String>,
    pub documents: Vec<String>,
    pub sources: Vec<SourceView>,
    pub participants: Vec<ParticipantView>,
    pub cases: Vec<CaseView>,
    pub references: Vec<ReferenceView>,
    pub cited_by: Vec<ReferenceView>,
}

fn web_address(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_string())
}

pub fn meeting(m: &MeetingRow, l: &Lookups, links: &Links) -> MeetingView {
    let body_key = match &m.body_id {
        Some(id) if links.body(id).is_some() => id.clone(),
        _ => format!("unresolved {}", m.body),
    };
    // The case numbers of this meeting and of the meetings it cites, for the references'
    // links to the case they are made in.
    let mut case_numbers: HashMap<(&str, &str), &str> = HashMap::new();
    for c in l.cases.get(m.id.as_str()).into_iter().flatten() {
        case_numbers.insert(
            (c.meeting_id.as_str(), c.case_number.as_str()),
            c.id.as_str(),
        );
    }
    for r in l.cited_by.get(m.id.as_str()).into_iter().flatten() {
        for c in l.cases.get(r.meeting_id.as_str()).into_iter().flatten() {
            case_numbers.insert(
                (c.meeting_id.as_str(), c.case_number.as_str()),
                c.id.as_str(),
            );
        }
    }
    let mut participants: Vec<&ParticipantRow> = l
        .participants
        .get(m.id.as_str())
        .cloned()
        .unwrap_or_default();
    participants.sort_by(|a, b| (&a.role, &a.name).cmp(&(&b.role, &b.name)));
    MeetingView {
        heading: meeting_label(m),
        body: Link {
            href: links.body(&body_key),
            label: m.body.clone(),
        },
        number: m.number,
        year: m.year,
        date: m.date.clone(),
        start_time: m.start_time.clone(),
        end_time: m.end_time.clone(),
        location: m.location.clone(),
        documents: m.documents.clone(),
        sources: links.sources(&m.sources),
        participants: participants
            .into_iter()
            .map(|p| ParticipantView {
                name: p.name.clone(),
                href: p.person_id.as_deref().and_then(|id| links.person(id)),
                organisation: p.organisation.clone(),
                role: p.role.clone(),
                attendance: p.attendance.clone(),
                substitute_for: p.substitute_for.clone(),
                sources: links.sources(&p.sources),
            })
            .collect(),
        cases: l
            .cases
            .get(m.id.as_str())
            .into_iter()
            .flatten()
            .map(|c| CaseView {
                anchor: links
                    .case(&c.id)
                    .and_then(|h| h.split_once('#').map(|(_, a)| a.to_string()))
                    .unwrap_or_default(),
                number: c.case_number.clone(),
                title: c.title.clone(),
                case_type: c.case_type.clone(),
                scheduled_time: c.scheduled_time.clone(),
                proposed: c.proposed_decision.clone(),
                decision: c.decision.clone(),
                diff: decisions(c.proposed_decision.as_deref(), c.decision.as_deref()),
                attachments: c
                    .attachments
                    .iter()
                    .map(|a| AttachmentView {
                        label: a.label.clone(),
                        title: a.title.clone(),
                        href: a.url.as_deref().and_then(web_address),
                        url: a.url.clone(),
                    })
                    .collect(),
                action_items: c.action_items.clone(),
                memo_from: c.memo.as_ref().and_then(|m| m.from.clone()),
                case_officer: c.memo.as_ref().and_then(|m| m.case_officer.clone()),
                sources: links.sources(&c.sources),
            })
            .collect(),
        references: l
            .references
            .get(m.id.as_str())
            .into_iter()
            .flatten()
            .map(|r| reference_view(r, links, &l.meetings, &case_numbers))
            .collect(),
        cited_by: l
            .cited_by
            .get(m.id.as_str())
            .into_iter()
            .flatten()
            .map(|r| reference_view(r, links, &l.meetings, &case_numbers))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct Attended {
    pub meeting: Link,
    pub date: Option<String>,
    pub role: String,
    pub attendance: String,
    pub organisation: Option<String>,
}

#[derive(Serialize)]
pub struct AffiliationView {
    pub organisation: String,
    pub first: Link,
    pub last: Link,
}

#[derive(Serialize)]
pub struct PersonView {
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliations: Vec<AffiliationView>,
    pub meetings: Vec<Attended>,
}

pub fn person(p: &PersonRow, l: &Lookups, links: &Links) -> PersonView {
    let link = |id: &str| Link {
        href: links.meeting(id),
        label: l
            .meetings
            .get(id)
            .map_or(id.to_string(), |m| meeting_label(m)),
    };
    let mut rows: Vec<&ParticipantRow> =
        l.by_person.get(p.id.as_str()).cloned().unwrap_or_default();
    rows.sort_by_key(|r| {
        l.meetings
            .get(r.meeting_id.as_str())
            .map(|m| meeting_order(m))
    });
    PersonView {
        name: p.name.clone(),
        aliases: p.aliases.clone(),
        affiliations: p
            .affiliations
            .iter()
            .map(|a| AffiliationView {
                organisation: a.organisation.clone(),
                first: link(&a.first_meeting),
                last: link(&a.last_meeting),
            })
            .collect(),
        meetings: rows
            .into_iter()
            .map(|r| Attended {
                meeting: link(&r.meeting_id),
                date: l
                    .meetings
                    .get(r.meeting_id.as_str())
                    .and_then(|m| m.date.clone()),
                role: r.role.clone(),
                attendance: r.attendance.clone(),
                organisation: r.organisation.clone(),
            })
            .collect(),
    }
}
