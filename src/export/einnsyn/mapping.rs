//! The field mappings from referat's records to Noark 5 values that need more than a copy:
//! case numbers into year and sequence number, the meeting case type, a participant's function,
//! the kind of a meeting document. docs/einnsyn-export.md lists them all.

use std::sync::LazyLock;

use regex::Regex;

use crate::records::ParticipantRow;

/// A case number split the way Noark 5 counts meeting cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNumber {
    /// moetesaksaar, four digits.
    pub year: i32,
    /// moetesakssekvensnummer.
    pub sequence: u32,
    /// The series letters before the number ("PS", "RS", "Sak", "KST" ...), as written.
    pub prefix: Option<String>,
}

/// A number and a year as printed: "38/22", "38/2022", "12-2014", "KST-63/16".
static NUMBER_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,6})\s*[/-]\s*(\d{4}|\d{2})\b").expect("regex"));
/// A bare number, for numbering without a year ("Sak 5").
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,6}").expect("regex"));
/// The series word before the number: letters only ("Sak nr. 2/2015" gives "Sak").
static PREFIX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\p{L}+)").expect("regex"));

/// Splits a case number as written into year and sequence number. A two-digit year takes the
/// century that puts it nearest the meeting's year (a 30-year archive spans 1999 and 2000); a
/// number without a year takes the meeting's year. None when there is no sequence number
/// (digits lost in the text, "/15") or no year from either.
pub fn split_case_number(written: &str, meeting_year: Option<i32>) -> Option<CaseNumber> {
    let prefix = PREFIX
        .captures(written)
        .map(|c| c[1].to_string())
        .filter(|p| !p.eq_ignore_ascii_case("nr"));
    if let Some(c) = NUMBER_YEAR.captures_iter(written).last() {
        let sequence: u32 = c[1].parse().ok()?;
        let digits = &c[2];
        let y: i32 = digits.parse().ok()?;
        let year = if digits.len() == 4 {
            y
        } else {
            match meeting_year {
                Some(m) => [1900 + y, 2000 + y, 2100 + y]
                    .into_iter()
                    .min_by_key(|c| (c - m).abs())
                    .expect("three candidates"),
                // Without a meeting year: the usual two-digit pivot.
                None if y >= 70 => 1900 + y,
                None => 2000 + y,
            }
        };
        return Some(CaseNumber {
            year,
            sequence,
            prefix,
        });
    }
    // "/15": the year is printed but the number was lost.
    if written.trim_start().starts_with('/') {
        return None;
    }
    let sequence: u32 = NUMBER.find(written)?.as_str().parse().ok()?;
    Some(CaseNumber {
        year: meeting_year?,
        sequence,
        prefix,
    })
}

/// eInnsyn's moetesakstype (a closed list) from the case number's series letters, else from
/// the case type the papers give, else "Annet". The series letters are the municipal
/// convention (PS politisk sak, RS referatsak, DS delegert sak, OS orienteringssak) and say it
/// outright, so they come first.
pub fn meeting_case_type(prefix: Option<&str>, case_type: Option<&str>) -> &'static str {
    let by_prefix = prefix.and_then(|p| match p.to_uppercase().as_str() {
        "PS" => Some("Politisk sak"),
        "RS" => Some("Referatsak"),
        "DS" => Some("Delegert sak"),
        "OS" => Some("Orienteringssak"),
        _ => None,
    });
    if let Some(t) = by_prefix {
        return t;
    }
    let t = case_type.unwrap_or("").to_lowercase();
    if t.contains("orientering") || t.contains("informasjon") {
        "Orienteringssak"
    } else if t.contains("referat") {
        "Referatsak"
    } else if t.contains("delegert") {
        "Delegert sak"
    } else if t.contains("interpellasjon") {
        "Interpellasjon"
    } else if t.contains("politisk") {
        "Politisk sak"
    } else {
        "Annet"
    }
}

/// The words for a participant's role, as Norwegian minutes write them.
pub const ROLE_FUNCTIONS: [(&str, &str); 6] = [
    ("chair", "Møteleder"),
    ("member", "Medlem"),
    ("substitute", "Varamedlem"),
    ("observer", "Observatør"),
    ("secretariat", "Sekretariat"),
    ("guest", "Gjest"),
];

/// What marks an absent participant in moetedeltakerFunksjon, as minutes list "Forfall".
pub const ABSENT_MARK: &str = " (forfall)";

/// moetedeltakerFunksjon: the role in Norwegian ("Møteleder" where the role says chair), "for
/// NAME" when a substitute met for someone, and "(forfall)" for the absent, who stay in the list
/// because minutes list them with the meeting.
pub fn participant_function(p: &ParticipantRow) -> String {
    let mut f = ROLE_FUNCTIONS
        .iter()
        .find(|(role, _)| *role == p.role)
        .map_or_else(|| p.role.clone(), |(_, word)| (*word).to_string());
    if let Some(absent_member) = &p.substitute_for {
        f.push_str(" for ");
        f.push_str(absent_member);
    }
    if p.attendance == "absent" {
        f.push_str(ABSENT_MARK);
    }
    f
}

/// moetedokumentregistreringstype of a PDF in a meeting from the kinds of its parts that
/// belong to the meeting: minutes make it the protocol, an agenda the notice of meeting.
pub fn meeting_document_type(kinds: &[&str]) -> &'static str {
    if kinds.contains(&"minutes") {
        "Protokoll"
    } else if kinds.contains(&"agenda") {
        "Innkalling"
    } else {
        "Annet"
    }
}

/// dokumenttype (free text in Noark 5) of a segment kind, in the words of Norwegian case
/// handling.
pub fn document_type(kind: Option<&str>) -> &'static str {
    match kind {
        Some("agenda") => "Sakskart",
        Some("minutes") => "Protokoll",
        Some("case_memo") => "Saksframlegg",
        Some("attachment") => "Vedlegg",
        Some("slides") => "Presentasjon",
        Some("mandate") => "Mandat",
        _ => "Dokument",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str, y: Option<i32>) -> Option<(i32, u32, Option<String>)> {
        split_case_number(s, y).map(|c| (c.year, c.sequence, c.prefix))
    }

    #[test]
    fn case_numbers_of_the_genre() {
        assert_eq!(split("38/22", Some(2022)), Some((2022, 38, None)));
        assert_eq!(split("38/2022", None), Some((2022, 38, None)));
        assert_eq!(
            split("Sak 38/22", Some(2022)),
            Some((2022, 38, Some("Sak".into())))
        );
        assert_eq!(
            split("PS 38/22", Some(2022)),
            Some((2022, 38, Some("PS".into())))
        );
        assert_eq!(
            split("RS 3/23", Some(2023)),
            Some((2023, 3, Some("RS".into())))
        );
        assert_eq!(
            split("Styresak 12-2014", Some(2014)),
            Some((2014, 12, Some("Styresak".into())))
        );
        assert_eq!(
            split("KST-63/16", Some(2016)),
            Some((2016, 63, Some("KST".into())))
        );
        assert_eq!(
            split("Sak nr. 2/2015", None),
            Some((2015, 2, Some("Sak".into())))
        );
        // No number: nothing to put in moetesakssekvensnummer.
        assert_eq!(split("/15", Some(2015)), None);
        // No year printed: the meeting's.
        assert_eq!(
            split("Sak 5", Some(2019)),
            Some((2019, 5, Some("Sak".into())))
        );
        assert_eq!(split("Sak 5", None), None);
    }

    #[test]
    fn two_digit_years_nearest_the_meeting() {
        // A December 1999 meeting that already numbers a case of the coming year.
        assert_eq!(split("1/00", Some(1999)), Some((2000, 1, None)));
        assert_eq!(split("45/99", Some(2000)), Some((1999, 45, None)));
        assert_eq!(split("45/95", Some(1995)), Some((1995, 45, None)));
        assert_eq!(split("45/95", None), Some((1995, 45, None)));
        assert_eq!(split("45/05", None), Some((2005, 45, None)));
    }

    #[test]
    fn case_type_from_series_then_type() {
        assert_eq!(
            meeting_case_type(Some("PS"), Some("Orientering")),
            "Politisk sak"
        );
        assert_eq!(meeting_case_type(Some("RS"), None), "Referatsak");
        assert_eq!(
            meeting_case_type(Some("Sak"), Some("Orientering")),
            "Orienteringssak"
        );
        assert_eq!(
            meeting_case_type(None, Some("Orienteringssak")),
            "Orienteringssak"
        );
        assert_eq!(meeting_case_type(None, Some("Godkjenning")), "Annet");
        assert_eq!(meeting_case_type(None, None), "Annet");
    }

    #[test]
    fn participant_functions() {
        let p = |role: &str, attendance: &str, sub: Option<&str>| ParticipantRow {
            meeting_id: "m".into(),
            person_id: None,
            name: "Kari Nordmann".into(),
            organisation: None,
            role: role.into(),
            attendance: attendance.into(),
            substitute_for: sub.map(String::from),
            sources: vec![],
        };
        assert_eq!(
            participant_function(&p("chair", "present", None)),
            "Møteleder"
        );
        assert_eq!(
            participant_function(&p("member", "unknown", None)),
            "Medlem"
        );
        assert_eq!(
            participant_function(&p("member", "absent", None)),
            "Medlem (forfall)"
        );
        assert_eq!(
            participant_function(&p("substitute", "present", Some("Ola Nordmann"))),
            "Varamedlem for Ola Nordmann"
        );
    }
}
