//! `referat stats`: what a set of datasets holds, for a quick look after a run.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{open_output, EXIT_OK, EXIT_USAGE};
use crate::records::{CaseRow, DocumentRow, MeetingRow, ParticipantRow, ReferenceRow, WarningRow};

/// Unresolved references listed one by one; the rest are counted.
const UNRESOLVED_SHOWN: usize = 20;

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Attendance {
    pub present: usize,
    pub absent: usize,
    pub unknown: usize,
    /// present / (present + absent); null when no one's attendance is known.
    pub rate: Option<f64>,
}

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct BodyYear {
    pub body: String,
    pub year: Option<i32>,
    pub meetings: usize,
    pub cases: usize,
    pub participants: usize,
    pub attendance: Attendance,
}

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Unresolved {
    pub meeting_id: String,
    pub from_case: Option<String>,
    pub target: Option<String>,
    pub text: Option<String>,
}

/// A document in which no meeting was recognised, with what the parser saw.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct NoMeeting {
    pub document_id: String,
    pub path: String,
    pub message: String,
}

/// A label the vocabulary does not know: how often it was seen, and where first.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct UnknownLabel {
    pub label: String,
    pub count: usize,
    pub documents: usize,
    pub first_path: String,
    pub first_page: Option<usize>,
}

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    pub documents: BTreeMap<String, usize>,
    pub pages: usize,
    /// Pages whose text was read by OCR.
    pub ocr_pages: usize,
    pub by_body_year: Vec<BodyYear>,
    pub attendance: Attendance,
    pub references: usize,
    pub unresolved_references: usize,
    /// The first unresolved references.
    pub unresolved_examples: Vec<Unresolved>,
    pub warnings_by_kind: BTreeMap<String, usize>,
    /// Documents without a meeting (`no_meeting` warnings), in path order.
    pub no_meeting: Vec<NoMeeting>,
    /// Labels not understood (`unknown_label` warnings), most frequent first: the list to add
    /// to a `--vocab DIR`.
    pub unknown_labels: Vec<UnknownLabel>,
}

fn read_rows<T: DeserializeOwned>(dir: &Path, dataset: &str) -> Result<Vec<T>, String> {
    let path = dir.join(format!("{dataset}.jsonl"));
    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        rows.push(
            serde_json::from_str(&line).map_err(|e| {
                format!("{}:{}: {e} (try `referat validate`)", path.display(), n + 1)
            })?,
        );
    }
    Ok(rows)
}

impl Attendance {
    fn add(&mut self, attendance: &str) {
        match attendance {
            "present" => self.present += 1,
            "absent" => self.absent += 1,
            _ => self.unknown += 1,
        }
        let known = self.present + self.absent;
        self.rate = (known > 0).then(|| self.present as f64 / known as f64);
    }
}

/// Computes the figures from the datasets in `dir`.
pub fn compute(dir: &Path) -> Result<Stats, String> {
    let documents: Vec<DocumentRow> = read_rows(dir, "documents")?;
    let meetings: Vec<MeetingRow> = read_rows(dir, "meetings")?;
    let cases: Vec<CaseRow> = read_rows(dir, "cases")?;
    let participants: Vec<ParticipantRow> = read_rows(dir, "participants")?;
    let references: Vec<ReferenceRow> = read_rows(dir, "references")?;
    let warnings: Vec<WarningRow> = read_rows(dir, "warnings")?;

    let mut s = Stats::default();
    for d in &documents {
        *s.documents.entry(d.status.clone()).or_default() += 1;
        s.pages += d.pages;
        s.ocr_pages += d.ocr_pages.len();
    }
    let mut groups: BTreeMap<(String, Option<i32>), BodyYear> = BTreeMap::new();
    let mut meeting_key: HashMap<&str, (String, Option<i32>)> = HashMap::new();
    for m in &meetings {
        let key = (m.body.clone(), m.year);
        meeting_key.insert(m.id.as_str(), key.clone());
        let g = groups.entry(key).or_insert_with(|| BodyYear {
            body: m.body.clone(),
            year: m.year,
            ..BodyYear::default()
        });
        g.meetings += 1;
    }
    for c in &cases {
        bump(&mut groups, &meeting_key, &c.meeting_id, |g| g.cases += 1);
    }
    for p in &participants {
        s.attendance.add(&p.attendance);
        bump(&mut groups, &meeting_key, &p.meeting_id, |g| {
            g.participants += 1;
            g.attendance.add(&p.attendance);
        });
    }
    s.by_body_year = groups.into_values().collect();
    s.references = references.len();
    for r in references.iter().filter(|r| r.resolved_id.is_none()) {
        s.unresolved_references += 1;
        if s.unresolved_examples.len() < UNRESOLVED_SHOWN {
            s.unresolved_examples.push(Unresolved {
                meeting_id: r.meeting_id.clone(),
                from_case: r.from_case.clone(),
                target: r.target.clone(),
                text: r.text.clone(),
            });
        }
    }
    let path_of: HashMap<&str, &str> = documents
        .iter()
        .map(|d| (d.id.as_str(), d.path.as_str()))
        .collect();
    let path = |id: &str| path_of.get(id).copied().unwrap_or(id).to_string();
    let mut labels: BTreeMap<String, (UnknownLabel, std::collections::BTreeSet<String>)> =
        BTreeMap::new();
    for w in &warnings {
        *s.warnings_by_kind.entry(w.kind.clone()).or_default() += 1;
        match w.kind.as_str() {
            "no_meeting" => s.no_meeting.push(NoMeeting {
                document_id: w.document_id.clone(),
                path: path(&w.document_id),
                message: w.message.clone(),
            }),
            "unknown_label" => {
                let label = w.raw.clone().unwrap_or_default();
                let (entry, docs) = labels.entry(label.clone()).or_insert_with(|| {
                    let first = UnknownLabel {
                        label,
                        first_path: path(&w.document_id),
                        first_page: w.page,
                        ..UnknownLabel::default()
                    };
                    (first, Default::default())
                });
                entry.count += 1;
                docs.insert(w.document_id.clone());
            }
            _ => {}
        }
    }
    s.no_meeting.sort_by(|a, b| a.path.cmp(&b.path));
    s.unknown_labels = labels
        .into_values()
        .map(|(mut l, docs)| {
            l.documents = docs.len();
            l
        })
        .collect();
    // Most frequent first; ties in label order (the map's), so the list is stable.
    s.unknown_labels.sort_by_key(|l| std::cmp::Reverse(l.count));
    Ok(s)
}

fn bump(
    groups: &mut BTreeMap<(String, Option<i32>), BodyYear>,
    meeting_key: &HashMap<&str, (String, Option<i32>)>,
    meeting_id: &str,
    f: impl FnOnce(&mut BodyYear),
) {
    let key = meeting_key
        .get(meeting_id)
        .cloned()
        .unwrap_or_else(|| ("(unknown meeting)".to_string(), None));
    let g = groups.entry(key.clone()).or_insert_with(|| BodyYear {
        body: key.0,
        year: key.1,
        ..BodyYear::default()
    });
    f(g);
}

fn rate(a: &Attendance) -> String {
    a.rate
        .map_or("-".to_string(), |r| format!("{:.0}%", 100.0 * r))
}

pub fn run(dir: &Path, json: bool) -> i32 {
    let stats = match open_output(dir).and_then(|()| compute(dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("referat: {e}");
            return EXIT_USAGE;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&stats).expect("stats serialise")
        );
        return EXIT_OK;
    }
    let docs: Vec<String> = stats
        .documents
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let ocr = match stats.ocr_pages {
        0 => String::new(),
        n => format!(" ({n} read by OCR)"),
    };
    println!(
        "documents: {} ({}), {} pages{ocr}",
        stats.documents.values().sum::<usize>(),
        docs.join(", "),
        stats.pages
    );
    println!();
    println!(
        "{:<40} {:>6} {:>8} {:>6} {:>12} {:>8} {:>7} {:>8} {:>10}",
        "body",
        "year",
        "meetings",
        "cases",
        "participants",
        "present",
        "absent",
        "unknown",
        "attendance"
    );
    for g in &stats.by_body_year {
        println!(
            "{:<40} {:>6} {:>8} {:>6} {:>12} {:>8} {:>7} {:>8} {:>10}",
            g.body,
            g.year.map_or("-".into(), |y| y.to_string()),
            g.meetings,
            g.cases,
            g.participants,
            g.attendance.present,
            g.attendance.absent,
            g.attendance.unknown,
            rate(&g.attendance)
        );
    }
    println!();
    println!(
        "attendance overall: {} present, {} absent, {} unknown, rate {} (present of known)",
        stats.attendance.present,
        stats.attendance.absent,
        stats.attendance.unknown,
        rate(&stats.attendance)
    );
    println!(
        "references: {}, unresolved: {}",
        stats.references, stats.unresolved_references
    );
    for u in &stats.unresolved_examples {
        println!(
            "  unresolved in {}{}: target {} ({})",
            u.meeting_id,
            u.from_case
                .as_ref()
                .map_or(String::new(), |c| format!(" case {c}")),
            u.target.as_deref().unwrap_or("-"),
            u.text.as_deref().unwrap_or("")
        );
    }
    println!("warnings by kind:");
    if stats.warnings_by_kind.is_empty() {
        println!("  (none)");
    }
    for (kind, n) in &stats.warnings_by_kind {
        println!("  {kind}: {n}");
    }
    if !stats.no_meeting.is_empty() {
        println!("documents without a meeting ({}):", stats.no_meeting.len());
        for d in &stats.no_meeting {
            println!("  {}: {}", d.path, d.message);
        }
    }
    if !stats.unknown_labels.is_empty() {
        println!(
            "labels not in the vocabulary ({}; add them to a --vocab DIR, see the README):",
            stats.unknown_labels.len()
        );
        println!("  {:>5} {:>5}  label (first seen)", "count", "docs");
        for l in &stats.unknown_labels {
            println!(
                "  {:>5} {:>5}  {} ({}{})",
                l.count,
                l.documents,
                l.label,
                l.first_path,
                l.first_page
                    .map_or(String::new(), |p| format!(", page {p}"))
            );
        }
    }
    EXIT_OK
}
