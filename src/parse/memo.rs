//! Case memos (toppnotat): the metadata box (Til / Dato / Saksnummer / Type / Fra / Sakseier /
//! Saksbehandler), the memo's heading and proposed decision.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::cases::label_line;
use crate::parse::text::{case_number, join_lines};
use crate::segment::TextLine;
use crate::vocab::Vocabulary;

/// What a memo says about its case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoText {
    /// "Møte 6/22"
    pub to: Option<String>,
    pub date: Option<String>,
    pub case_number: Option<String>,
    pub case_type: Option<String>,
    pub from: Option<String>,
    pub owner: Option<String>,
    pub case_officer: Option<String>,
    pub title: Option<String>,
    pub proposed: Option<String>,
    /// Index of the first line after the box.
    pub body_start: usize,
    pub page: usize,
}

const FIELDS: [&str; 9] = [
    "to",
    "date",
    "case_number",
    "type",
    "from",
    "owner",
    "case_officer",
    "copy",
    "responsible",
];

fn field_of(text: &str, vocab: &Vocabulary) -> Option<(&'static str, String)> {
    for f in FIELDS {
        if vocab.is_memo_label(f, text) {
            return Some((f, String::new()));
        }
    }
    None
}

static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(\.\d+)*\.?\s+\S").unwrap());

/// Parses a memo segment's lines. The box values run until the next box label; the last
/// field's value is one line (the memo heading follows it).
pub fn parse_memo(lines: &[TextLine], vocab: &Vocabulary) -> MemoText {
    let mut m = MemoText {
        page: lines.first().map_or(0, |l| l.page),
        ..Default::default()
    };
    let mut i = 0;
    // Labels waiting for values, in order. One label: its value lines follow it (row by row).
    // Several labels in a row: the box was read column by column, values follow in the same
    // order, one line each.
    let mut queue: Vec<(&'static str, Vec<&str>)> = Vec::new();
    let mut seen = 0;
    let set = |m: &mut MemoText, f: &str, v: String| {
        let v = (!v.is_empty()).then_some(v);
        match f {
            "to" => m.to = v,
            "date" => m.date = v,
            "case_number" => m.case_number = v,
            "type" => m.case_type = v,
            "from" => m.from = v,
            "owner" => m.owner = v,
            "case_officer" => m.case_officer = v,
            _ => {}
        }
    };
    while i < lines.len() && i < 30 {
        let t = lines[i].text.as_str();
        if let Some((f, _)) = field_of(t, vocab) {
            if queue.len() == 1 && !queue[0].1.is_empty() {
                let (c, v) = queue.remove(0);
                set(&mut m, c, join_lines(&v));
            }
            queue.push((f, Vec::new()));
            seen += 1;
            i += 1;
            continue;
        }
        // "Til Møte 6/22" on one line.
        if seen == 0 && i == 0 {
            if let Some(rest) = vocab
                .memo_label("to")
                .iter()
                .find_map(|l| t.strip_prefix(&format!("{l} ")))
            {
                queue.push(("to", vec![rest]));
                seen += 1;
                i += 1;
                continue;
            }
        }
        if queue.len() >= 2 && queue[0].1.is_empty() {
            let (c, _) = queue.remove(0);
            set(&mut m, c, t.to_string());
            i += 1;
            continue;
        }
        let Some((c, vals)) = queue.first_mut() else {
            break;
        };
        // The last field takes one line; earlier fields run to the next label.
        let later_label = lines[i + 1..lines.len().min(i + 4)]
            .iter()
            .any(|l| field_of(&l.text, vocab).is_some());
        if vals.is_empty() || later_label {
            vals.push(t);
            i += 1;
            if !later_label && *c != "to" {
                let (c, v) = queue.remove(0);
                set(&mut m, c, join_lines(&v));
                break;
            }
            continue;
        }
        let (c, v) = queue.remove(0);
        set(&mut m, c, join_lines(&v));
        break;
    }
    for (c, v) in queue {
        if !v.is_empty() {
            set(&mut m, c, join_lines(&v));
        }
    }
    if m.case_number
        .as_deref()
        .is_some_and(|n| case_number(n).is_none())
    {
        m.case_number = None;
    }
    m.case_type = m
        .case_type
        .as_deref()
        .and_then(|t| vocab.case_type(t))
        .map(str::to_string);
    if seen == 0 {
        i = 0;
    }
    m.body_start = i;
    // The memo heading, then "Forslag til vedtak" and its text.
    let mut title: Vec<&str> = Vec::new();
    let mut j = i;
    while j < lines.len() && j < i + 4 {
        let t = lines[j].text.as_str();
        if label_line(vocab, "proposed_decision", t).is_some() {
            break;
        }
        title.push(t);
        j += 1;
    }
    if j < lines.len() && !title.is_empty() {
        m.title = Some(join_lines(&title));
    }
    if let Some(rest) = lines
        .get(j)
        .and_then(|l| label_line(vocab, "proposed_decision", &l.text))
    {
        let mut para: Vec<&str> = Vec::new();
        if !rest.is_empty() {
            para.push(rest);
        }
        let mut k = j + 1;
        while k < lines.len() && k < j + 12 {
            let t = lines[k].text.as_str();
            let heading = vocab.memo_headings.iter().any(|h| {
                let t = t.trim_end_matches(':');
                t.eq_ignore_ascii_case(h)
                    || NUMBERED_HEADING.is_match(t) && t.to_lowercase().ends_with(&h.to_lowercase())
            });
            if heading || NUMBERED_HEADING.is_match(t) && t.len() < 60 {
                break;
            }
            para.push(t);
            k += 1;
        }
        if !para.is_empty() {
            m.proposed = Some(join_lines(&para));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    #[test]
    fn memo_box_and_proposal() {
        let v = Vocabulary::builtin();
        let m = parse_memo(
            &tl("Til\nMøte 3/24\nDato\n05.03.2024\nSaksnummer\n12/24\nType\nDrøfting\nFra\nOla Nordmann, KS og\nKari Vik, FHI\nSaksbehandler\nPer Li\nKodeverk i kommunene\nForslag til vedtak\nRådet drøfter saken\nog gir innspill.\nHensikt med saken\nTekst."),
            &v,
        );
        assert_eq!(m.to.as_deref(), Some("Møte 3/24"));
        assert_eq!(m.date.as_deref(), Some("05.03.2024"));
        assert_eq!(m.case_number.as_deref(), Some("12/24"));
        assert_eq!(m.case_type.as_deref(), Some("Drøfting"));
        assert_eq!(m.from.as_deref(), Some("Ola Nordmann, KS og Kari Vik, FHI"));
        assert_eq!(m.case_officer.as_deref(), Some("Per Li"));
        assert_eq!(m.title.as_deref(), Some("Kodeverk i kommunene"));
        assert_eq!(
            m.proposed.as_deref(),
            Some("Rådet drøfter saken og gir innspill.")
        );
    }

    #[test]
    fn memo_box_read_column_by_column() {
        let v = Vocabulary::builtin();
        let m = parse_memo(
            &tl("Til\nDato\nSaksnummer\nType\nMøte 3/24\n05.03.2024\n12/24\nDrøfting\nFra\nSaksbehandler\nOla Nordmann\nPer Li\nKodeverk\nForslag til vedtak\nRådet drøfter saken."),
            &v,
        );
        assert_eq!(m.to.as_deref(), Some("Møte 3/24"));
        assert_eq!(m.case_number.as_deref(), Some("12/24"));
        assert_eq!(m.case_type.as_deref(), Some("Drøfting"));
        assert_eq!(m.from.as_deref(), Some("Ola Nordmann"));
        assert_eq!(m.case_officer.as_deref(), Some("Per Li"));
        assert_eq!(m.title.as_deref(), Some("Kodeverk"));
    }

    #[test]
    fn memo_without_box_has_only_a_heading_and_proposal() {
        let v = Vocabulary::builtin();
        let m = parse_memo(
            &tl("Nytt fagråd\nForslag til vedtak\nNUIT støtter dette.\n1. Bakgrunn\nTekst"),
            &v,
        );
        assert_eq!(m.from, None);
        assert_eq!(m.case_number, None);
        assert_eq!(m.title.as_deref(), Some("Nytt fagråd"));
        assert_eq!(m.proposed.as_deref(), Some("NUIT støtter dette."));
    }
}
