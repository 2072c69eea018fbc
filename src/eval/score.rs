//! Scoring: gold meetings matched to dataset meetings, then their participants, cases and
//! references, every field counted as a true positive, a false positive or a false negative.
//! The rules are those of the reference scorer (`score-gold`), step by step, so that both give
//! the same figures; docs/gold-format.md describes them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::datasets::{ident, ByMeeting, Datasets};
use super::gold::{Gold, GoldMeeting};
use super::report::{Counts, DocumentReport, Miss, Report};
use super::text::{casenum, key, norm, py_str, ratio, truthy, SOFT_THRESHOLD};

/// Tallies of (tp, fp, fn) by measure name.
pub(super) type Tally = BTreeMap<String, Counts>;

struct Scorer<'g> {
    total: Tally,
    per_document: Vec<Tally>,
    unattributed: Tally,
    misses: Vec<Miss>,
    /// The gold file being scored (index into `per_document`), None for no file.
    current: Option<usize>,
    file: String,
    meeting: String,
    /// What the fields being counted belong to, for the misses ("case 38/22").
    subject: String,
    golds: &'g [Gold],
}

impl Scorer<'_> {
    fn add(&mut self, name: &str, tp: u64, fp: u64, fn_: u64) {
        let document = match self.current {
            Some(i) => &mut self.per_document[i],
            None => &mut self.unattributed,
        };
        for tally in [document, &mut self.total] {
            let c = tally.entry(name.to_string()).or_default();
            c.tp += tp;
            c.fp += fp;
            c.fn_ += fn_;
        }
    }

    fn miss(&mut self, what: String, gold: Option<String>, found: Option<String>) {
        self.misses.push(Miss {
            file: self.file.clone(),
            meeting: self.meeting.clone(),
            what,
            gold,
            found,
        });
    }

    /// One field: nothing expected and nothing found counts nothing; found where nothing is
    /// expected a false positive; expected and not found a false negative; else right (a true
    /// positive) or wrong (a false positive and a false negative). Text is right when equal
    /// after normalisation (the "(strict)" measure) and, for the plain measure, when similar
    /// enough (ratio >= SOFT_THRESHOLD); other values when their keys are equal.
    fn field(&mut self, name: &str, gold: Option<String>, got: Option<&Value>, text: bool) {
        let got_none = matches!(got, None | Some(Value::Null));
        let got_blank = matches!(got, Some(Value::String(s)) if s.is_empty());
        let got_empty = matches!(got, Some(Value::Array(a)) if a.is_empty());
        let strict = format!("{name} (strict)");
        let field = name.split_once('.').map_or(name, |(_, f)| f);
        let label = format!("{} {field}", self.subject);
        let Some(gold) = gold else {
            if got_none || got_blank || got_empty {
                return;
            }
            self.add(name, 0, 1, 0);
            if text {
                self.add(&strict, 0, 1, 0);
            }
            self.miss(format!("{label} not expected"), None, py_str(got));
            return;
        };
        if got_none || got_blank {
            self.add(name, 0, 0, 1);
            if text {
                self.add(&strict, 0, 0, 1);
            }
            self.miss(format!("{label} missing"), Some(gold), None);
            return;
        }
        let found = py_str(got);
        if text {
            let ok_strict = Some(norm(&gold)) == found.as_deref().map(norm);
            let ok_soft = ratio(Some(&gold), found.as_deref()) >= SOFT_THRESHOLD;
            self.add(
                &strict,
                ok_strict as u64,
                !ok_strict as u64,
                !ok_strict as u64,
            );
            self.add(name, ok_soft as u64, !ok_soft as u64, !ok_soft as u64);
            if !ok_soft {
                self.miss(format!("{label} wrong"), Some(gold), found);
            } else if !ok_strict {
                self.miss(
                    format!("{label} differs slightly (right by the soft measure)"),
                    Some(gold),
                    found,
                );
            }
        } else {
            let ok = key(Some(&gold)) == key(found.as_deref());
            self.add(name, ok as u64, !ok as u64, !ok as u64);
            if !ok {
                self.miss(format!("{label} wrong"), Some(gold), found);
            }
        }
    }
}

fn get<'a>(row: &'a Value, field: &str) -> Option<&'a Value> {
    row.get(field)
}

/// Python's `==` between a dataset value and an integer of the gold (None is null).
fn eq_int(v: Option<&Value>, g: Option<i64>) -> bool {
    match (v.unwrap_or(&Value::Null), g) {
        (Value::Null, None) => true,
        (Value::Number(n), Some(x)) => n.as_i64() == Some(x) || n.as_f64() == Some(x as f64),
        (Value::Bool(b), Some(x)) => i64::from(*b) == x,
        _ => false,
    }
}

fn str_key(v: Option<&Value>) -> Option<String> {
    key(py_str(v).as_deref())
}

fn case_key(v: Option<&Value>) -> Option<String> {
    casenum(py_str(v).as_deref())
}

/// A reference's identity: (from case, kind, target case or else target date).
type RefKey = (Option<String>, Value, String);

fn rkey_row(r: &Value) -> RefKey {
    let target = if truthy(get(r, "target")) {
        case_key(get(r, "target")).unwrap_or_else(|| "None".into())
    } else {
        py_str(get(r, "target_date")).unwrap_or_else(|| "None".into())
    };
    (
        case_key(get(r, "from_case")),
        get(r, "kind").cloned().unwrap_or(Value::Null),
        target,
    )
}

fn show_rkey(k: &RefKey) -> String {
    let kind = match &k.1 {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    format!(
        "{} -> {kind} {}",
        k.0.as_deref().unwrap_or("(no case)"),
        k.2
    )
}

/// Scores the datasets against the gold files (in the order given: a meeting found by the
/// fallback for meetings without date and number is not offered to a later gold meeting).
pub fn score(datasets: &Datasets, golds: &[Gold]) -> Report {
    let meetings = &datasets.meetings;
    let parts = ByMeeting::new(&datasets.participants);
    let cases = ByMeeting::new(&datasets.cases);
    let refs = ByMeeting::new(&datasets.references);
    let mut s = Scorer {
        total: Tally::new(),
        per_document: vec![Tally::new(); golds.len()],
        unattributed: Tally::new(),
        misses: Vec::new(),
        current: None,
        file: String::new(),
        meeting: String::new(),
        subject: String::new(),
        golds,
    };
    let mut matched: HashSet<String> = HashSet::new();
    for (gi, gold) in golds.iter().enumerate() {
        s.current = Some(gi);
        s.file = gold.name();
        for gm in &gold.file.meetings {
            s.meeting = format!("{} {}", gm.body, gm.date.as_deref().unwrap_or("(no date)"));
            let Some(m) = find_meeting(meetings, gm, &matched, &parts, &cases) else {
                s.add("meetings", 0, 0, 1);
                s.miss(
                    "meeting not found".into(),
                    Some(describe_gold_meeting(gm)),
                    None,
                );
                s.add("participants", 0, 0, gm.participants.len() as u64);
                s.add("cases", 0, 0, gm.cases.len() as u64);
                s.add("references", 0, 0, gm.references.len() as u64);
                continue;
            };
            let mid = get(m, "id");
            matched.insert(ident(mid));
            s.add("meetings", 1, 0, 0);
            score_meeting(&mut s, gm, m, &parts, &cases, &refs);
        }
    }
    // Meetings the pipeline invented: unmatched, yet holding cases or participants.
    for m in meetings {
        let mid = get(m, "id");
        if matched.contains(&ident(mid)) || (cases.of(mid).is_empty() && parts.of(mid).is_empty()) {
            continue;
        }
        s.current = attribute(m, datasets, golds);
        s.file = s
            .current
            .map(|i| golds[i].name())
            .unwrap_or_else(|| "(no gold file)".into());
        s.meeting = format!(
            "{} {}",
            py_str(get(m, "body")).unwrap_or_default(),
            py_str(get(m, "date")).unwrap_or_else(|| "(no date)".into())
        );
        s.add("meetings", 0, 1, 0);
        s.miss(
            "meeting not in the gold".into(),
            None,
            Some(py_str(mid).unwrap_or_else(|| "(no id)".into())),
        );
    }
    let documents = s
        .golds
        .iter()
        .zip(s.per_document)
        .map(|(g, fields)| DocumentReport {
            file: g.name(),
            fields,
        })
        .collect();
    Report {
        fields: s.total,
        documents,
        unattributed: s.unattributed,
        misses: s.misses,
    }
}

fn describe_gold_meeting(gm: &GoldMeeting) -> String {
    let number = match (gm.number, gm.year) {
        (Some(n), Some(y)) => format!(" no. {n}/{y}"),
        (Some(n), None) => format!(" no. {n}"),
        _ => String::new(),
    };
    format!(
        "{}{number}, {}",
        gm.body,
        gm.date.as_deref().unwrap_or("no date")
    )
}

/// The dataset meeting a gold meeting is: the one of its date (of its body, when several
/// share the date); else the one of its body, number and year; else, when the gold has
/// neither date nor number, the not yet matched meeting of its body (of any body, when none
/// has its name) sharing the most case numbers and participant names with it (the first of
/// equals, and at least one).
fn find_meeting<'a>(
    meetings: &'a [Value],
    gm: &GoldMeeting,
    matched: &HashSet<String>,
    parts: &ByMeeting,
    cases: &ByMeeting,
) -> Option<&'a Value> {
    let body = key(Some(&gm.body));
    let same_body = |m: &Value| str_key(get(m, "body")) == body;
    let mut cand: Vec<&Value> = meetings
        .iter()
        .filter(|m| gm.date.as_deref() == Some(py_str(get(m, "date")).as_deref().unwrap_or("None")))
        .collect();
    if cand.len() > 1 {
        let of_body: Vec<&Value> = cand.iter().copied().filter(|m| same_body(m)).collect();
        if !of_body.is_empty() {
            cand = of_body;
        }
    }
    if cand.is_empty() && gm.number.is_some() {
        cand = meetings
            .iter()
            .filter(|m| {
                same_body(m)
                    && eq_int(get(m, "number"), gm.number)
                    && eq_int(get(m, "year"), gm.year)
            })
            .collect();
    }
    if cand.is_empty() && gm.date.as_deref().unwrap_or("").is_empty() && gm.number.is_none() {
        let gold_cases: BTreeSet<Option<String>> = gm
            .cases
            .iter()
            .map(|c| casenum(Some(&c.case_number)))
            .collect();
        let gold_names: BTreeSet<Option<String>> =
            gm.participants.iter().map(|p| key(Some(&p.name))).collect();
        let overlap = |m: &Value| -> usize {
            let mid = get(m, "id");
            let mc: BTreeSet<Option<String>> = cases
                .of(mid)
                .iter()
                .map(|c| case_key(get(c, "case_number")))
                .collect();
            let mp: BTreeSet<Option<String>> = parts
                .of(mid)
                .iter()
                .map(|p| str_key(get(p, "name")))
                .collect();
            mc.intersection(&gold_cases).count() + mp.intersection(&gold_names).count()
        };
        let pool: Vec<&Value> = meetings
            .iter()
            .filter(|m| !matched.contains(&ident(get(m, "id"))))
            .collect();
        let of_body: Vec<&Value> = pool.iter().copied().filter(|m| same_body(m)).collect();
        let pool = if of_body.is_empty() { pool } else { of_body };
        let mut best: Option<(&Value, usize)> = None;
        for m in pool {
            let o = overlap(m);
            if best.is_none_or(|(_, b)| o > b) {
                best = Some((m, o));
            }
        }
        cand = best
            .filter(|&(_, o)| o > 0)
            .map(|(m, _)| m)
            .into_iter()
            .collect();
    }
    cand.first().copied()
}

fn score_meeting(
    s: &mut Scorer,
    gm: &GoldMeeting,
    m: &Value,
    parts: &ByMeeting,
    cases: &ByMeeting,
    refs: &ByMeeting,
) {
    let mid = get(m, "id");
    s.subject = "meeting".into();
    s.field("meeting.date", gm.date.clone(), get(m, "date"), false);
    s.field("meeting.body", Some(gm.body.clone()), get(m, "body"), false);
    s.field(
        "meeting.number",
        gm.number.map(|n| n.to_string()),
        get(m, "number"),
        false,
    );
    s.field(
        "meeting.year",
        gm.year.map(|n| n.to_string()),
        get(m, "year"),
        false,
    );
    s.field(
        "meeting.start_time",
        gm.start_time.clone(),
        get(m, "start_time"),
        false,
    );
    s.field(
        "meeting.end_time",
        gm.end_time.clone(),
        get(m, "end_time"),
        false,
    );
    s.field(
        "meeting.location",
        gm.location.clone(),
        get(m, "location"),
        true,
    );

    // Participants, matched by name.
    let op = parts.of(mid);
    let mut used = vec![false; op.len()];
    for g in &gm.participants {
        let want = key(Some(&g.name));
        let hit = (0..op.len()).find(|&i| !used[i] && str_key(get(op[i], "name")) == want);
        let Some(i) = hit else {
            s.add("participants", 0, 0, 1);
            s.miss("participant missing".into(), Some(g.name.clone()), None);
            continue;
        };
        used[i] = true;
        let o = op[i];
        s.add("participants", 1, 0, 0);
        s.subject = format!("participant {}", g.name);
        s.field(
            "participant.organisation",
            g.organisation.clone(),
            get(o, "organisation"),
            false,
        );
        s.field(
            "participant.role",
            Some(g.role.clone()),
            get(o, "role"),
            false,
        );
        s.field(
            "participant.attendance",
            Some(g.attendance.clone()),
            get(o, "attendance"),
            false,
        );
        s.field(
            "participant.substitute_for",
            g.substitute_for.clone(),
            get(o, "substitute_for"),
            false,
        );
    }
    let extra: Vec<usize> = (0..op.len()).filter(|&i| !used[i]).collect();
    if !extra.is_empty() {
        s.add("participants", 0, extra.len() as u64, 0);
        for i in extra {
            s.miss(
                "participant not in the gold".into(),
                None,
                py_str(get(op[i], "name")),
            );
        }
    }

    // Cases, matched by case number.
    let oc = cases.of(mid);
    let mut usedc = vec![false; oc.len()];
    for g in &gm.cases {
        let want = casenum(Some(&g.case_number));
        let hit = (0..oc.len()).find(|&i| !usedc[i] && case_key(get(oc[i], "case_number")) == want);
        let Some(i) = hit else {
            s.add("cases", 0, 0, 1);
            s.miss("case missing".into(), Some(g.case_number.clone()), None);
            continue;
        };
        usedc[i] = true;
        let o = oc[i];
        s.add("cases", 1, 0, 0);
        s.subject = format!("case {}", g.case_number);
        s.field("case.title", g.title.clone(), get(o, "title"), true);
        s.field(
            "case.case_type",
            g.case_type.clone(),
            get(o, "case_type"),
            false,
        );
        s.field(
            "case.scheduled_time",
            g.scheduled_time.clone(),
            get(o, "scheduled_time"),
            false,
        );
        s.field(
            "case.proposed_decision",
            g.proposed_decision.clone(),
            get(o, "proposed_decision"),
            true,
        );
        s.field(
            "case.decision",
            g.decision.clone(),
            get(o, "decision"),
            true,
        );
        let ga: BTreeSet<Option<String>> = g
            .attachments
            .iter()
            .map(|a| key(a.label.as_deref()))
            .collect();
        let oa: BTreeSet<Option<String>> = match get(o, "attachments") {
            Some(Value::Array(items)) => items.iter().map(|a| str_key(get(a, "label"))).collect(),
            _ => BTreeSet::new(),
        };
        let tp = ga.intersection(&oa).count() as u64;
        s.add(
            "case.attachments",
            tp,
            oa.difference(&ga).count() as u64,
            ga.difference(&oa).count() as u64,
        );
        for l in ga.difference(&oa) {
            let what = format!("{} attachment missing", s.subject);
            s.miss(what, l.clone(), None);
        }
        for l in oa.difference(&ga) {
            let what = format!("{} attachment not in the gold", s.subject);
            s.miss(what, None, l.clone());
        }
        let (gfrom, gofficer) = match &g.memo {
            Some(memo) => (memo.from.clone(), memo.case_officer.clone()),
            None => (None, None),
        };
        let omemo = get(o, "memo").filter(|v| truthy(Some(v)));
        s.field(
            "case.memo.from",
            gfrom,
            omemo.and_then(|m| get(m, "from")),
            false,
        );
        s.field(
            "case.memo.case_officer",
            gofficer,
            omemo.and_then(|m| get(m, "case_officer")),
            false,
        );
    }
    let extra: Vec<usize> = (0..oc.len()).filter(|&i| !usedc[i]).collect();
    if !extra.is_empty() {
        s.add("cases", 0, extra.len() as u64, 0);
        for i in extra {
            s.miss(
                "case not in the gold".into(),
                None,
                py_str(get(oc[i], "case_number")),
            );
        }
    }

    // References, matched by (from case, kind, target or target date).
    let gk: Vec<RefKey> = gm
        .references
        .iter()
        .map(|r| {
            let target = match r.target.as_deref() {
                Some(t) if !t.is_empty() => casenum(Some(t)).unwrap_or_else(|| "None".into()),
                _ => r.target_date.clone().unwrap_or_else(|| "None".into()),
            };
            (
                r.from_case.as_deref().and_then(|c| casenum(Some(c))),
                Value::String(r.kind.clone()),
                target,
            )
        })
        .collect();
    let mut rem: Vec<RefKey> = refs.of(mid).iter().map(|r| rkey_row(r)).collect();
    let mut tp = 0;
    for k in &gk {
        if let Some(i) = rem.iter().position(|x| x == k) {
            rem.remove(i);
            tp += 1;
        } else {
            s.miss("reference missing".into(), Some(show_rkey(k)), None);
        }
    }
    for k in &rem {
        s.miss("reference not in the gold".into(), None, Some(show_rkey(k)));
    }
    s.add(
        "references",
        tp,
        rem.len() as u64,
        (gk.len() - tp as usize) as u64,
    );
}

/// The gold file an invented meeting is charged to in the per-document scores: the one whose
/// `source` names one of the meeting's documents (by id, path or file name), else the one
/// whose file name (without `.json`) is the document's file name up to its first dot
/// (`nuit-2024-03-14.json` for `nuit-2024-03-14.chrome.pdf`); None when there is none.
fn attribute(m: &Value, datasets: &Datasets, golds: &[Gold]) -> Option<usize> {
    let ids: Vec<String> = match get(m, "sources") {
        Some(Value::Array(srcs)) => srcs
            .iter()
            .filter_map(|s| py_str(get(s, "document_id")))
            .collect(),
        _ => Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for id in &ids {
        names.push(id.clone());
        for d in &datasets.documents {
            if py_str(get(d, "id")).as_deref() == Some(id.as_str()) {
                if let Some(path) = py_str(get(d, "path")) {
                    let file = std::path::Path::new(&path)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    names.push(path);
                    names.push(file);
                }
            }
        }
    }
    golds
        .iter()
        .position(|g| names.contains(&g.file.source))
        .or_else(|| {
            golds.iter().position(|g| {
                let stem = g.name();
                let stem = stem.strip_suffix(".json").unwrap_or(&stem);
                names
                    .iter()
                    .any(|n| n.split('.').next() == Some(stem) && n.contains('.'))
            })
        })
}
