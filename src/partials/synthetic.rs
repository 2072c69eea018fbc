//! Partial records at archive scale, for measuring and testing `resolve`: copies of real
//! partials (a `referat parse` of the corpus), each copy a distinct document that describes
//! distinct meetings, so that a large input does not collapse into a few merged meetings.
//!
//! Copy `c` of a document gets its own id and content hash, and every year it states moves
//! `c` years on: the meeting's year, its dates and date readings, the dates references cite and
//! the years of case numbers. Meeting numbers stay, so the copies of one seed document that
//! describe one meeting (the corpus holds several renderings of each PDF) still merge, as the
//! originals do. Case numbers keep their sequence number (referat reads at most three digits)
//! and take the year as four digits: their key keeps the last two, so copies 100 apart share
//! case keys within a body, as a body's case numbers repeat each century. Every ten copies
//! are a new generation of people: from the second on, each participant's last name carries
//! the generation ("Nordmann-11" in the second, "Nordmann-1122" in the twelfth; each digit
//! doubled, so two generations' spellings are never one letter apart and never read as
//! spelling variants of one person), so the number of people grows with the archive.

use crate::pipeline::{sha256_hex, DocumentResult};
use crate::records::Source;

/// Copy `copy` of `seed` (copy 0 differs from the seed too: its id is new).
pub fn copy(seed: &DocumentResult, copy: u32) -> DocumentResult {
    let mut r = seed.clone();
    let sha = sha256_hex(format!("{} copy {copy}", seed.document.sha256).as_bytes());
    let old_id = seed.document.id.clone();
    let new_id = format!("doc-{}", &sha[..16]);
    let years = copy as i32;
    let id = |d: &mut String| {
        if *d == old_id {
            d.clone_from(&new_id);
        }
    };
    let sources = |s: &mut Vec<Source>| s.iter_mut().for_each(|s| id(&mut s.document_id));
    r.document.id.clone_from(&new_id);
    r.document.sha256 = sha;
    r.document.path = format!("copy-{copy:06}/{}", seed.document.path);
    for w in &mut r.records.warnings {
        id(&mut w.document_id);
    }
    for link in &mut r.records.segment_links {
        shift_case(&mut link.case_number, years);
    }
    for m in &mut r.records.meetings {
        sources(&mut m.meeting.sources);
        m.meeting.year = m.meeting.year.map(|y| y + years);
        shift_date(&mut m.meeting.date, years);
        for d in &mut m.date_candidates {
            *d = shifted_date(d, years);
        }
        for p in &mut m.participants {
            sources(&mut p.sources);
            p.name = of_generation(&p.name, copy / 10);
            if let Some(s) = &mut p.substitute_for {
                *s = of_generation(s, copy / 10);
            }
        }
        for c in &mut m.cases {
            sources(&mut c.sources);
            let mut number = Some(std::mem::take(&mut c.case_number));
            shift_case(&mut number, years);
            c.case_number = number.unwrap_or_default();
        }
        for x in &mut m.references {
            sources(&mut x.sources);
            shift_case(&mut x.target, years);
            shift_case(&mut x.from_case, years);
            shift_date(&mut x.target_date, years);
        }
    }
    r
}

/// A name as written in generation `g` (unchanged in the first).
fn of_generation(name: &str, g: u32) -> String {
    if g == 0 {
        return name.to_string();
    }
    let doubled: String = g.to_string().chars().flat_map(|d| [d, d]).collect();
    format!("{name}-{doubled}")
}

/// An ISO date (or year, or year-month) `years` later; anything else unchanged.
fn shifted_date(d: &str, years: i32) -> String {
    match d.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) if d.len() == 4 || d.as_bytes().get(4) == Some(&b'-') => {
            format!("{:04}{}", y + years, &d[4..])
        }
        _ => d.to_string(),
    }
}

fn shift_date(d: &mut Option<String>, years: i32) {
    if let Some(x) = d {
        *x = shifted_date(x, years);
    }
}

/// "38/22" becomes "38/2122" 100 years on; a number referat does not read as a case number
/// stays as written.
fn shift_case(number: &mut Option<String>, years: i32) {
    let Some(n) = number else { return };
    if let Some((seq, year)) = crate::parse::text::case_number(n) {
        let full = if year < 100 {
            2000 + year as i32
        } else {
            year as i32
        };
        *n = format!("{seq}/{:04}", full + years);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParsedMeeting, ParsedRecords};
    use crate::records::{CaseRow, DocumentRow, MeetingRow, ParticipantRow, ReferenceRow};

    fn seed() -> DocumentResult {
        let src = vec![Source {
            document_id: "doc-a".into(),
            page: 3,
        }];
        let meeting = MeetingRow {
            id: String::new(),
            body: "NUIT".into(),
            body_id: None,
            number: Some(2),
            year: Some(2024),
            date: Some("2024-03-14".into()),
            start_time: None,
            end_time: None,
            location: None,
            documents: vec!["minutes".into()],
            sources: src.clone(),
        };
        let case = CaseRow {
            id: String::new(),
            meeting_id: String::new(),
            case_number: "5/24".into(),
            title: None,
            case_type: None,
            scheduled_time: None,
            proposed_decision: None,
            decision: None,
            attachments: vec![],
            action_items: vec![],
            memo: None,
            sources: src.clone(),
        };
        let reference = ReferenceRow {
            id: String::new(),
            meeting_id: String::new(),
            from_case: Some("5/24".into()),
            kind: "meeting".into(),
            target: Some("sak 12".into()),
            target_body: None,
            target_date: Some("2023-11".into()),
            title: None,
            decision: None,
            text: None,
            resolved_id: None,
            sources: src,
        };
        DocumentResult {
            document: DocumentRow {
                id: "doc-a".into(),
                path: "a.pdf".into(),
                sha256: "ab".repeat(32),
                pages: 3,
                producer: None,
                status: "ok".into(),
                errors: vec![],
                segments: vec![],
                ocr_pages: vec![],
            },
            records: ParsedRecords {
                meetings: vec![ParsedMeeting {
                    meeting,
                    participants: vec![ParticipantRow {
                        meeting_id: String::new(),
                        person_id: None,
                        name: "Kari Vik".into(),
                        organisation: None,
                        role: "member".into(),
                        attendance: "present".into(),
                        substitute_for: Some("Ola Nordmann".into()),
                        sources: vec![],
                    }],
                    cases: vec![case],
                    references: vec![reference],
                    date_candidates: vec!["2024-02-29".into()],
                    date_raw: None,
                }],
                warnings: vec![],
                segment_links: vec![],
            },
        }
    }

    #[test]
    fn a_copy_is_another_document_some_years_on() {
        let c = copy(&seed(), 7);
        let d = &c.document;
        assert!(d.id.starts_with("doc-") && d.id.len() == 20 && d.id != "doc-a");
        assert_eq!(d.path, "copy-000007/a.pdf");
        let m = &c.records.meetings[0];
        assert_eq!(m.meeting.year, Some(2031));
        assert_eq!(m.meeting.number, Some(2));
        assert_eq!(m.meeting.date.as_deref(), Some("2031-03-14"));
        assert_eq!(m.meeting.sources[0].document_id, d.id);
        assert_eq!(m.date_candidates, vec!["2031-02-29".to_string()]);
        assert_eq!(m.cases[0].case_number, "5/2031");
        let r = &m.references[0];
        assert_eq!(r.from_case.as_deref(), Some("5/2031"));
        // Not a case number referat reads: left as written.
        assert_eq!(r.target.as_deref(), Some("sak 12"));
        assert_eq!(r.target_date.as_deref(), Some("2030-11"));
        assert_ne!(copy(&seed(), 8).document.id, d.id);
        assert_eq!(
            m.participants[0].name, "Kari Vik",
            "copies 0-9 are one generation"
        );
        let later = copy(&seed(), 17);
        let p = &later.records.meetings[0].participants[0];
        assert_eq!(p.name, "Kari Vik-11");
        assert_eq!(p.substitute_for.as_deref(), Some("Ola Nordmann-11"));
        assert_eq!(of_generation("Ola Nordmann", 0), "Ola Nordmann");
        assert_eq!(of_generation("Ola Nordmann", 12), "Ola Nordmann-1122");
    }
}
