//! Stage 4, parse: the text of one PDF, with its segments, to that PDF's partial records
//! (meetings with their participants, cases and references). Independent of every other PDF:
//! this is the per-document "map" half of the pipeline.
//!
//! Works on the body text as a sequence of lines (one per extracted block, see
//! [`segment::lines`]) and treats labels from the vocabulary as anchors, joining continuation
//! lines up to the next anchor, so that it reads both one-block-per-line and
//! one-block-per-paragraph extraction.

pub mod cases;
pub mod meeting;
pub mod memo;
pub mod participants;
pub mod references;
pub mod text;

use serde::{Deserialize, Serialize};

use crate::extract::TextDocument;
use crate::records::{
    Attachment, CaseRow, MeetingRow, Memo, ParticipantRow, ReferenceRow, Source, WarningRow,
};
use crate::segment::{self, Segment, SegmentKind, TextLine};
use crate::vocab::Vocabulary;

use cases::CaseRowText;
use references::{Context, FoundRef};

/// One meeting as one document describes it; ids are left empty for resolution to assign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedMeeting {
    pub meeting: MeetingRow,
    pub participants: Vec<ParticipantRow>,
    pub cases: Vec<CaseRow>,
    pub references: Vec<ReferenceRow>,
    /// When the date field names more than one day ("21. september. mars 2022"): each
    /// reading, for resolution to choose from with other documents' mentions.
    #[serde(default)]
    pub date_candidates: Vec<String>,
    /// The date field as written, when it could not be read as one day.
    #[serde(default)]
    pub date_raw: Option<String>,
}

/// What parsing found in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedRecords {
    pub meetings: Vec<ParsedMeeting>,
    pub warnings: Vec<WarningRow>,
    /// Which meeting (and case) each segment of the document is about.
    #[serde(default)]
    pub segment_links: Vec<SegmentLink>,
}

/// Segment `segment` (an index into the document's segments) describes `meeting` (an index
/// into [`ParsedRecords::meetings`]), and case `case_number` when it is a memo or attached to
/// one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentLink {
    pub segment: usize,
    pub meeting: usize,
    pub case_number: Option<String>,
}

/// Case numbers compared by value: "38/22", "38/2022" and "38 / 22" are one case.
pub fn case_key(number: &str) -> String {
    match text::case_number(number) {
        Some((n, y)) => format!("{n}/{:02}", y % 100),
        None => text::clean(number),
    }
}

fn src(document_id: &str, page: usize) -> Source {
    Source {
        document_id: document_id.to_string(),
        page,
    }
}

fn add_source(sources: &mut Vec<Source>, s: Source) {
    if !sources.contains(&s) {
        sources.push(s);
    }
}

/// Parses one document.
pub fn parse(
    document_id: &str,
    doc: &TextDocument,
    segments: &[Segment],
    vocab: &Vocabulary,
) -> ParsedRecords {
    let lines = segment::lines(doc);
    let mut out = ParsedRecords::default();
    let mut meetings: Vec<ParsedMeeting> = Vec::new();
    let slice = |s: &Segment| -> &[TextLine] {
        let a = s.first_line.min(lines.len());
        let b = (s.last_line + 1).min(lines.len()).max(a);
        &lines[a..b]
    };
    // Meeting documents first, so that memos can find their meeting.
    for (k, s) in segments.iter().enumerate() {
        if matches!(
            s.kind,
            SegmentKind::Agenda | SegmentKind::Minutes | SegmentKind::Slides
        ) {
            if let Some(m) = parse_meeting(document_id, slice(s), s.kind, vocab, &mut out.warnings)
            {
                meetings.push(m);
                out.segment_links.push(SegmentLink {
                    segment: k,
                    meeting: meetings.len() - 1,
                    case_number: None,
                });
            }
        }
    }
    let mut memo_meeting: Option<usize> = None;
    for (k, s) in segments.iter().enumerate() {
        match s.kind {
            SegmentKind::CaseMemo => {
                let agenda_before = segments[..k]
                    .iter()
                    .filter(|x| matches!(x.kind, SegmentKind::Agenda | SegmentKind::Slides))
                    .count();
                memo_meeting = apply_memo(
                    document_id,
                    slice(s),
                    s,
                    &mut meetings,
                    agenda_before,
                    vocab,
                    &mut out.warnings,
                );
                if let Some(mi) = memo_meeting {
                    out.segment_links.push(SegmentLink {
                        segment: k,
                        meeting: mi,
                        case_number: s
                            .case_number
                            .clone()
                            .or_else(|| memo::parse_memo(slice(s), vocab).case_number),
                    });
                }
            }
            SegmentKind::Attachment | SegmentKind::Mandate => {
                if let (Some(mi), Some(case)) = (memo_meeting, s.case_number.as_deref()) {
                    out.segment_links.push(SegmentLink {
                        segment: k,
                        meeting: mi,
                        case_number: Some(case.to_string()),
                    });
                    let m = &mut meetings[mi];
                    let refs = text_refs(slice(s), &context(m), vocab);
                    push_refs(document_id, m, Some(case), refs);
                }
            }
            SegmentKind::Agenda | SegmentKind::Minutes | SegmentKind::Slides => {
                memo_meeting = None;
            }
            SegmentKind::Other => {}
        }
    }
    if meetings.is_empty() {
        out.warnings
            .push(no_meeting(document_id, &lines, segments, vocab));
    }
    out.meetings = meetings;
    out
}

/// The warning for a document in which no meeting was recognised: what it was taken for and
/// the line that reads most like its title, so that a user can tell a mandate or a letter
/// from a template the vocabulary does not know yet.
fn no_meeting(
    document_id: &str,
    lines: &[TextLine],
    segments: &[Segment],
    vocab: &Vocabulary,
) -> WarningRow {
    let kinds: Vec<&str> = segments.iter().map(|s| s.kind.as_str()).collect();
    let title = lines
        .iter()
        .take(15)
        .find(|l| segment::meeting_title(&l.text, vocab).is_some())
        .or_else(|| lines.first());
    let message = match title {
        Some(t) => format!(
            "no meeting recognised (read as: {}); first title line on page {}: «{}»",
            if kinds.is_empty() {
                "empty".to_string()
            } else {
                kinds.join(", ")
            },
            t.page,
            t.text
        ),
        None => "no meeting recognised: the document has no text".to_string(),
    };
    WarningRow {
        document_id: document_id.to_string(),
        page: title.map(|t| t.page),
        kind: "no_meeting".into(),
        message,
        raw: title.map(|t| t.text.clone()),
    }
}

/// Lines of a header, list or memo box that look like labels ("Møteleiar:") but that the
/// vocabulary does not know: reported so that a user can add them with `--vocab`.
fn unknown_labels(document_id: &str, lines: &[TextLine], vocab: &Vocabulary) -> Vec<WarningRow> {
    let mut out: Vec<WarningRow> = Vec::new();
    for l in lines {
        let t = l.text.trim();
        let Some(label) = t.strip_suffix(':').map(str::trim_end) else {
            continue;
        };
        let words = label.split_whitespace().count();
        let label_like = (1..=4).contains(&words)
            && label.chars().next().is_some_and(char::is_uppercase)
            && !label.chars().any(|c| c.is_ascii_digit());
        // A list label read by its words ("Følgende varamedlemmer møtte:") is understood.
        if label_like
            && !vocab.is_known_label(t)
            && vocab.list_kind_by_words(label).is_none()
            && !out.iter().any(|w| w.raw.as_deref() == Some(label))
        {
            out.push(WarningRow {
                document_id: document_id.to_string(),
                page: Some(l.page),
                kind: "unknown_label".into(),
                message: format!(
                    "label «{label}» is not in the vocabulary; its value was not read as a field"
                ),
                raw: Some(label.to_string()),
            });
        }
    }
    out
}

fn context(m: &ParsedMeeting) -> Context {
    Context {
        body: Some(m.meeting.body.clone()),
        date: m.meeting.date.clone(),
        year: m.meeting.year,
    }
}

/// References in running text, prior-decision tables left out and read as such.
fn text_refs(lines: &[TextLine], ctx: &Context, vocab: &Vocabulary) -> Vec<FoundRef> {
    let mut out = Vec::new();
    let mut plain: Vec<TextLine> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if vocab.strip_label("prior_decisions", t).is_some() {
            out.extend(references::in_text(&plain, ctx, vocab));
            plain.clear();
            let stop = |t: &str| {
                vocab.is_memo_label("to", t)
                    || t.starts_with("Vedlegg")
                    || vocab.strip_label("prior_decisions", t).is_some()
                    || (t.contains(':') && vocab.strip_label("date", t).is_some())
            };
            let (refs, next) = references::prior_decisions(lines, i, ctx, vocab, &stop);
            out.extend(refs);
            i = next.max(i + 1);
            continue;
        }
        plain.push(lines[i].clone());
        i += 1;
    }
    out.extend(references::in_text(&plain, ctx, vocab));
    out
}

fn push_refs(
    document_id: &str,
    m: &mut ParsedMeeting,
    from_case: Option<&str>,
    refs: Vec<FoundRef>,
) {
    for r in refs {
        // Prior decisions of two bodies may share a case number ("40/21" in NUIT and NUFA).
        let key = |kind: &str,
                   target: &Option<String>,
                   date: &Option<String>,
                   from: &Option<String>,
                   body: &Option<String>| {
            (
                from.as_deref().map(case_key),
                kind.to_string(),
                target.as_deref().map(case_key).or_else(|| date.clone()),
                if kind == "prior_decision" {
                    body.clone()
                } else {
                    None
                },
            )
        };
        let from = from_case.map(str::to_string);
        // A case heading ("Sak 9/21: ...") is not a reference to itself.
        if r.kind == "case" && r.target.as_deref().map(case_key) == from.as_deref().map(case_key) {
            continue;
        }
        let k = key(r.kind, &r.target, &r.target_date, &from, &r.target_body);
        if let Some(existing) = m.references.iter_mut().find(|x| {
            key(
                &x.kind,
                &x.target,
                &x.target_date,
                &x.from_case,
                &x.target_body,
            ) == k
        }) {
            add_source(&mut existing.sources, src(document_id, r.page));
            continue;
        }
        m.references.push(ReferenceRow {
            id: String::new(),
            meeting_id: String::new(),
            from_case: from,
            kind: r.kind.to_string(),
            target: r.target,
            target_body: r.target_body,
            target_date: r.target_date,
            title: r.title,
            decision: r.decision,
            text: r.text,
            resolved_id: None,
            sources: vec![src(document_id, r.page)],
        });
    }
}

fn parse_meeting(
    document_id: &str,
    lines: &[TextLine],
    kind: SegmentKind,
    vocab: &Vocabulary,
    warnings: &mut Vec<WarningRow>,
) -> Option<ParsedMeeting> {
    let header = meeting::parse_header(lines, vocab);
    let body = header.body.clone()?;
    let minutes = kind == SegmentKind::Minutes;
    let rest = &lines[header.end.min(lines.len())..];
    let (people, used) = participants::parse_lists(rest, vocab, minutes);
    warnings.extend(unknown_labels(
        document_id,
        &lines[..(header.end + used).min(lines.len())],
        vocab,
    ));
    if vocab.body_by_name(&body).is_none() && vocab.find_body(&body).is_none() {
        warnings.push(WarningRow {
            document_id: document_id.to_string(),
            page: Some(header.page),
            kind: "unknown_body".into(),
            message: format!(
                "body «{body}» is not in the vocabulary; kept as written with an id made from its name"
            ),
            raw: Some(body.clone()),
        });
    }
    let rest = &rest[used..];
    let mut rows = cases::parse_rows(rest, vocab);
    if kind == SegmentKind::Slides {
        rows.extend(cases::parse_slides(rest, vocab));
    }
    let documents = vec![kind.as_str().to_string()];
    if let Some(raw) = &header.date_raw {
        let message = if header.date_candidates.is_empty() {
            format!("meeting date '{raw}' could not be read")
        } else {
            format!(
                "meeting date '{raw}' names more than one day ({}); left for resolution against other documents",
                header.date_candidates.join(", ")
            )
        };
        warnings.push(WarningRow {
            document_id: document_id.to_string(),
            page: Some(header.page),
            kind: if header.date_candidates.is_empty() {
                "unreadable_date".into()
            } else {
                "ambiguous_date".into()
            },
            message,
            raw: Some(raw.clone()),
        });
    }
    let mut m = ParsedMeeting {
        meeting: MeetingRow {
            id: String::new(),
            body,
            body_id: None,
            number: header.number,
            year: header.year,
            date: header.date.clone(),
            start_time: header.start_time.clone(),
            end_time: header.end_time.clone(),
            location: header.location.clone(),
            documents,
            sources: vec![src(document_id, header.page)],
        },
        participants: people
            .into_iter()
            .map(|p| ParticipantRow {
                meeting_id: String::new(),
                person_id: None,
                name: p.name,
                organisation: p.organisation,
                role: p.role.to_string(),
                attendance: p.attendance.to_string(),
                substitute_for: p.substitute_for,
                sources: vec![src(document_id, p.page)],
            })
            .collect(),
        cases: Vec::new(),
        references: Vec::new(),
        date_candidates: header.date_candidates.clone(),
        date_raw: header.date_raw.clone(),
    };
    let ctx = context(&m);
    for row in &rows {
        if let Some(t) = &row.title {
            check_month_words(document_id, row.page, t, vocab, warnings);
        }
    }
    for row in rows {
        let refs = text_refs(&row.text_lines, &ctx, vocab);
        let number = row.number.clone();
        merge_row(document_id, &mut m, row, vocab, warnings);
        push_refs(document_id, &mut m, Some(&number), refs);
    }
    // No date and no year in the header: the year the meeting's case numbers share
    // ("0023/05").
    if m.meeting.year.is_none() && m.meeting.date.is_none() {
        let years: Vec<u32> = m
            .cases
            .iter()
            .filter_map(|c| text::case_number(&c.case_number).map(|(_, y)| y))
            .collect();
        if years.first().is_some_and(|y| years.iter().all(|x| x == y)) {
            m.meeting.year = Some(text::full_year(years[0], None));
        }
    }
    // No time field: an agenda's first timed item is when the meeting starts.
    if header.start_time.is_none() && kind != SegmentKind::Minutes {
        if let Some(t) = m.cases.first().and_then(|c| c.scheduled_time.clone()) {
            m.meeting.start_time = Some(t);
        }
    }
    Some(m)
}

/// Two documents (or tables) word a case's field differently: both are kept in the data, the
/// first as the value, the other in a warning.
fn note_variant(
    warnings: &mut Vec<WarningRow>,
    (document_id, page, case): (&str, usize, &str),
    field: &str,
    kept: &Option<String>,
    other: &Option<String>,
) {
    if let (Some(k), Some(o)) = (kept, other) {
        if text::clean(k) != text::clean(o) {
            warnings.push(WarningRow {
                document_id: document_id.to_string(),
                page: Some(page),
                kind: "variant_text".into(),
                message: format!(
                    "case {case}: the {field} is worded differently here; kept the agenda's wording «{k}»"
                ),
                raw: Some(o.clone()),
            });
        }
    }
}

/// A date whose month word is not a month name but close to one ("18. mara 2021"): kept as
/// written, reported.
fn check_month_words(
    document_id: &str,
    page: usize,
    text: &str,
    vocab: &Vocabulary,
    warnings: &mut Vec<WarningRow>,
) {
    static NEAR_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b\d{1,2}\.\s*(\p{L}+)\s+\d{4}\b").unwrap()
    });
    for c in NEAR_DATE.captures_iter(text) {
        let word = &c[1];
        if vocab.month(word).is_some() {
            continue;
        }
        let near = vocab
            .months
            .keys()
            .filter(|m| m.len() > 3)
            .find(|m| text::similarity(m, word) >= 0.75);
        if let Some(m) = near {
            warnings.push(WarningRow {
                document_id: document_id.to_string(),
                page: Some(page),
                kind: "unknown_month".into(),
                message: format!(
                    "'{word}' in '{}' is not a month name (perhaps '{m}'); kept as written",
                    &c[0]
                ),
                raw: Some(text.to_string()),
            });
        }
    }
}

/// Adds one table row (or slide) to the meeting's cases, merging with an earlier row of the
/// same case: the first row that gives a field wins (the agenda table comes first).
fn merge_row(
    document_id: &str,
    m: &mut ParsedMeeting,
    row: CaseRowText,
    vocab: &Vocabulary,
    warnings: &mut Vec<WarningRow>,
) {
    let key = case_key(&row.number);
    let idx = match m.cases.iter().position(|c| case_key(&c.case_number) == key) {
        Some(i) => i,
        None => {
            m.cases.push(CaseRow {
                id: String::new(),
                meeting_id: String::new(),
                case_number: row.number.clone(),
                title: None,
                case_type: None,
                scheduled_time: None,
                proposed_decision: None,
                decision: None,
                attachments: Vec::new(),
                action_items: Vec::new(),
                memo: None,
                sources: Vec::new(),
            });
            m.cases.len() - 1
        }
    };
    let c = &mut m.cases[idx];
    add_source(&mut c.sources, src(document_id, row.page));
    let at = (document_id, row.page, c.case_number.as_str());
    note_variant(warnings, at, "title", &c.title, &row.title);
    note_variant(
        warnings,
        at,
        "proposed decision",
        &c.proposed_decision,
        &row.proposed,
    );
    if c.title.is_none() {
        c.title = row.title;
    }
    if c.case_type.is_none() {
        c.case_type = row.case_type;
    }
    if c.scheduled_time.is_none() {
        c.scheduled_time = row.time;
    }
    if c.proposed_decision.is_none() {
        c.proposed_decision = row.proposed;
    }
    if c.decision.is_none() {
        c.decision = row.decision;
    }
    for a in row.actions {
        if !c.action_items.contains(&a) {
            c.action_items.push(a);
        }
    }
    for (label, title) in row.attachments {
        if !c.attachments.iter().any(|x| x.label == label) {
            c.attachments.push(Attachment {
                label,
                title,
                url: None,
            });
        }
    }
    // "Eventuelt" carries no case type.
    if c.title.as_deref().is_some_and(|t| vocab.is_free_item(t)) {
        c.case_type = None;
    }
}

fn apply_memo(
    document_id: &str,
    lines: &[TextLine],
    seg: &Segment,
    meetings: &mut Vec<ParsedMeeting>,
    agenda_before: usize,
    vocab: &Vocabulary,
    warnings: &mut Vec<WarningRow>,
) -> Option<usize> {
    let memo = memo::parse_memo(lines, vocab);
    let number = memo
        .case_number
        .clone()
        .or_else(|| seg.case_number.clone())?;
    // The meeting the memo is for: "Til: Møte 6/22", else its date, else the agenda before it.
    let to = memo.to.as_deref().and_then(|t| {
        let t = t.trim_start_matches(|c: char| !c.is_ascii_digit());
        text::case_number(t)
    });
    let memo_date = memo.date.as_deref().and_then(|d| {
        text::numeric_dates(d, None)
            .first()
            .and_then(|m| m.iso(None))
    });
    let is_agenda = |m: &ParsedMeeting| {
        m.meeting
            .documents
            .iter()
            .any(|d| d == "agenda" || d == "slides")
    };
    let by_number = to.and_then(|(n, y)| {
        meetings.iter().position(|m| {
            is_agenda(m)
                && m.meeting.number == Some(n)
                && m.meeting
                    .year
                    .is_some_and(|my| my % 100 == (y % 100) as i32)
        })
    });
    let by_date = memo_date.as_deref().and_then(|d| {
        meetings
            .iter()
            .position(|m| is_agenda(m) && m.meeting.date.as_deref() == Some(d))
    });
    let by_order = meetings
        .iter()
        .enumerate()
        .filter(|(_, m)| is_agenda(m))
        .map(|(i, _)| i)
        .nth(agenda_before.saturating_sub(1));
    // A case system's memo alone: the meetings of the bodies on its path, one each.
    if by_number.or(by_date).or(by_order).is_none() && !memo.path.is_empty() {
        let first = meetings.len();
        for (k, (path_number, body)) in memo.path.iter().enumerate() {
            let number = if path_number.is_empty() {
                number.clone()
            } else {
                path_number.clone()
            };
            let year = text::case_number(&number)
                .or_else(|| text::case_number(&memo.case_number.clone().unwrap_or_default()))
                .map(|(_, y)| text::full_year(y, None))
                .or_else(|| {
                    let y: String = number.rsplit('/').next()?.chars().take(4).collect();
                    y.parse().ok().map(|y: u32| text::full_year(y, None))
                });
            meetings.push(ParsedMeeting {
                meeting: MeetingRow {
                    id: String::new(),
                    body: body.clone(),
                    body_id: None,
                    number: None,
                    year,
                    date: None,
                    start_time: None,
                    end_time: None,
                    location: None,
                    documents: vec!["case_memo".into()],
                    sources: vec![src(document_id, memo.page)],
                },
                participants: Vec::new(),
                cases: Vec::new(),
                references: Vec::new(),
                date_candidates: Vec::new(),
                date_raw: None,
            });
            let m = meetings.last_mut().expect("just pushed");
            add_memo_case(
                document_id,
                m,
                &memo,
                &number,
                lines,
                vocab,
                warnings,
                k == 0,
            );
        }
        return Some(first);
    }
    let Some(mi) = by_number.or(by_date).or(by_order) else {
        warnings.push(WarningRow {
            document_id: document_id.to_string(),
            page: Some(seg.first_page),
            kind: "memo_without_meeting".into(),
            message: format!("case memo for {number} names no meeting found in the document"),
            raw: memo.to.clone(),
        });
        return None;
    };
    let m = &mut meetings[mi];
    add_memo_case(document_id, m, &memo, &number, lines, vocab, warnings, true);
    Some(mi)
}

/// Adds what a memo says of case `number` to meeting `m`; `with_refs`: and the references of
/// its text (once per memo, though it may feed several meetings).
#[allow(clippy::too_many_arguments)]
fn add_memo_case(
    document_id: &str,
    m: &mut ParsedMeeting,
    memo: &memo::MemoText,
    number: &str,
    lines: &[TextLine],
    vocab: &Vocabulary,
    warnings: &mut Vec<WarningRow>,
    with_refs: bool,
) {
    let number = number.to_string();
    if !m.meeting.documents.iter().any(|d| d == "case_memo") {
        m.meeting.documents.push("case_memo".into());
    }
    let key = case_key(&number);
    let idx = match m.cases.iter().position(|c| case_key(&c.case_number) == key) {
        Some(i) => i,
        None => {
            m.cases.push(CaseRow {
                id: String::new(),
                meeting_id: String::new(),
                case_number: number.clone(),
                title: memo.title.clone(),
                case_type: None,
                scheduled_time: None,
                proposed_decision: None,
                decision: None,
                attachments: Vec::new(),
                action_items: Vec::new(),
                memo: None,
                sources: Vec::new(),
            });
            m.cases.len() - 1
        }
    };
    let c = &mut m.cases[idx];
    add_source(&mut c.sources, src(document_id, memo.page));
    if c.case_type.is_none() {
        c.case_type = memo.case_type.clone();
    }
    let at = (document_id, memo.page, c.case_number.as_str());
    note_variant(
        warnings,
        at,
        "proposed decision",
        &c.proposed_decision,
        &memo.proposed,
    );
    if c.proposed_decision.is_none() {
        c.proposed_decision = memo.proposed.clone();
    }
    if (memo.from.is_some() || memo.case_officer.is_some()) && c.memo.is_none() {
        c.memo = Some(Memo {
            from: memo.from.clone(),
            case_officer: memo.case_officer.clone(),
        });
    }
    if with_refs {
        let ctx = context(m);
        let body = &lines[memo.body_start.min(lines.len())..];
        let refs = text_refs(body, &ctx, vocab);
        push_refs(document_id, m, Some(&number), refs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> ParsedRecords {
        let v = Vocabulary::builtin();
        let doc = TextDocument::from_plain_text(text);
        let segs = segment::segment(&doc, &v);
        parse("doc-test", &doc, &segs, &v)
    }

    #[test]
    fn odd_values_are_kept_and_reported() {
        let r = run("Referat fra møte i NUFA\nMøte\n3/2023\nDato\n4. juni. april 2023\nSak\nTema\nSakstype\n\
7/23\nGodkjenning av referat fra møtet 9. marz 2023\nGodkjenning\n8/23\nKodeverk og terminologi\nDrøfting\n\
Sak\nTema\n7/23\nGodkjenning av referat fra møtet 9. marz 2023\nVedtak:\nNUFA godkjenner referatet.\n\
8/23\nKodeverk og terminologi i kommunene\nVedtak:\nNUFA tar saken til orientering.\n");
        let m = &r.meetings[0];
        assert_eq!(m.meeting.date, None);
        assert_eq!(m.date_candidates, vec!["2023-06-04", "2023-04-04"]);
        assert_eq!(m.cases[1].title.as_deref(), Some("Kodeverk og terminologi"));
        let kinds: Vec<_> = r.warnings.iter().map(|w| w.kind.as_str()).collect();
        assert!(kinds.contains(&"ambiguous_date"), "{kinds:?}");
        assert!(kinds.contains(&"unknown_month"), "{kinds:?}");
        let variant = r
            .warnings
            .iter()
            .find(|w| w.kind == "variant_text")
            .unwrap();
        assert_eq!(
            variant.raw.as_deref(),
            Some("Kodeverk og terminologi i kommunene")
        );
    }

    #[test]
    fn agenda_with_memo() {
        let r = run("Møte i NUIT\nMøte\n2/2024\nDato\n14. mars 2024\nTid\nKl. 12.00 – 15.00\nSted\nOslo\nMedlemmer\nOla Nordmann (KS)\nKari Vik (FFO)\n\
Sak\nTema\nTidspunkt\nSakstype\n5/24\nÅpning\n12:00\nGodkjenning\nPause\n13:00\n6/24\nKodeverk\n13:15\nDrøfting\n7/24\nEventuelt\n14:45\n\
Sak\nTema\nSakstype\n5/24\nÅpning\nForslag til vedtak:\nNUIT godkjenner innkalling og dagsorden.\nGodkjenning\n\
6/24\nKodeverk\nSaken ble drøftet i NUFA i sak 3/24.\nForslag til vedtak:\nNUIT drøfter saken.\nDrøfting\nVedlegg 2:\nToppnotat\n\
7/24\nEventuelt\n\
Til\nMøte 2/24\nDato\n14.03.2024\nSaksnummer\n6/24\nType\nDrøfting\nFra\nPer Li\nSaksbehandler\nEva Ås\nKodeverk\nForslag til vedtak\nNUIT drøfter saken og gir innspill.\nBakgrunn\nSaken ble behandlet i NUFA 1. februar 2024.\n\
Vedtak fra tidligere behandlinger\nSak\nTema\nVedtaksformulering\nNUFA 3/24\nKodeverk\nNUFA er orientert.\n");
        assert_eq!(r.meetings.len(), 1);
        let m = &r.meetings[0];
        assert_eq!(m.meeting.body, "NUIT");
        assert_eq!(m.meeting.date.as_deref(), Some("2024-03-14"));
        assert_eq!(m.meeting.documents, vec!["agenda", "case_memo"]);
        assert_eq!(m.participants.len(), 2);
        let nums: Vec<_> = m.cases.iter().map(|c| c.case_number.as_str()).collect();
        assert_eq!(nums, vec!["5/24", "6/24", "7/24"]);
        let c = &m.cases[1];
        assert_eq!(c.scheduled_time.as_deref(), Some("13:15"));
        assert_eq!(c.proposed_decision.as_deref(), Some("NUIT drøfter saken."));
        assert_eq!(
            c.memo.as_ref().unwrap().case_officer.as_deref(),
            Some("Eva Ås")
        );
        assert_eq!(c.attachments[0].label, "2");
        assert_eq!(m.cases[2].case_type, None);
        let refs: Vec<_> = m
            .references
            .iter()
            .map(|r| {
                (
                    r.from_case.as_deref(),
                    r.kind.as_str(),
                    r.target.as_deref(),
                    r.target_date.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            vec![
                (Some("6/24"), "case", Some("3/24"), None),
                (Some("6/24"), "meeting", None, Some("2024-02-01")),
                (Some("6/24"), "prior_decision", Some("3/24"), None),
            ]
        );
    }
}
