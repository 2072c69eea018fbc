//! Case memos (toppnotat): the metadata box (Til / Dato / Saksnummer / Type / Fra / Sakseier /
//! Saksbehandler), the memo's heading and proposed decision.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::cases::label_line;
use crate::parse::text::{case_number, join_lines, looks_like_name};
use crate::segment::{box_value, TextLine};
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
    /// The case's path through the bodies, from a case system's box: (case number as that
    /// body numbers it, the body), one per row of "Saksnr. | Utval | ...".
    pub path: Vec<(String, String)>,
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
    if let Some(end) = read_case_system_box(lines, vocab, &mut m) {
        return after_box(lines, vocab, m, end);
    }
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
    after_box(lines, vocab, m, i)
}

/// The memo after its box (from line `i`): the heading, then "Forslag til vedtak" and its text.
fn after_box(lines: &[TextLine], vocab: &Vocabulary, mut m: MemoText, i: usize) -> MemoText {
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
            // A short line without a full stop after a finished sentence: the next heading.
            let after_sentence = para.last().is_some_and(|l| l.ends_with('.'))
                && t.split_whitespace().count() <= 8
                && !t.ends_with(['.', ':', ',', ';'])
                && t.starts_with(char::is_uppercase);
            if heading
                || NUMBERED_HEADING.is_match(t) && t.len() < 60
                || caps_heading(t)
                || after_sentence
            {
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

/// "SAKSFRAMSTILLING", "VURDERING": a section heading in capitals ends the proposal.
fn caps_heading(t: &str) -> bool {
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 6
        && t.split_whitespace().count() <= 5
        && !t.chars().any(|c| c.is_lowercase() || c.is_ascii_digit())
        && !t.ends_with('.')
}

/// The box of a case system (ESA, ACOS WebSak, ePhorte), when the memo opens with one:
/// "Saksbehandler: X" / "Arkiv: G70" lines or label cells with their values beside or under
/// them, and a row "Saksnr. | Utval | Type | Dato" over one row per body the case goes
/// through. Fills `m` and returns the index of the first line after the box.
fn read_case_system_box(lines: &[TextLine], vocab: &Vocabulary, m: &mut MemoText) -> Option<usize> {
    const KINDS: [&str; 5] = [
        "case_officer",
        "archive",
        "case_number",
        "committee",
        "date",
    ];
    fn kind_of<'a>(vocab: &Vocabulary, t: &'a str) -> Option<(&'static str, &'a str)> {
        KINDS
            .into_iter()
            .find_map(|k| vocab.strip_memo_label(k, t).map(|rest| (k, rest)))
    }
    kind_of(vocab, &lines.first()?.text)?;
    let mut end = 0;
    let mut i = 0;
    while i < lines.len().min(24) {
        let l = &lines[i];
        let Some((kind, rest)) = kind_of(vocab, &l.text) else {
            // A value line (taken below) or the end of the box.
            if i > end + 1 && l.cell.is_none() {
                break;
            }
            i += 1;
            continue;
        };
        let value = box_value(lines, i, rest, vocab).map(|v| {
            // "Jan Li Dato:": the next cell's label printed on the value's line.
            let v = match v.rsplit_once(' ') {
                Some((head, last)) if last.ends_with(':') && kind_of(vocab, last).is_some() => {
                    head.trim().to_string()
                }
                _ => v,
            };
            // "Sidsel B." / "Johnsen": a name wrapped after an initial.
            let initial = v.rsplit(' ').next().is_some_and(|w| {
                w.len() <= 3 && w.ends_with('.') && w.starts_with(char::is_uppercase)
            });
            match lines.get(i + 1) {
                Some(next)
                    if initial
                        && !rest.is_empty()
                        && kind_of(vocab, &next.text).is_none()
                        && looks_like_name(&format!("{v} {}", next.text)) =>
                {
                    format!("{v} {}", next.text.trim())
                }
                _ => v,
            }
        });
        end = i + usize::from(rest.is_empty() && l.cell.is_none() && value.is_some());
        if let Some(c) = l.cell {
            // The box's table ends the box: skip its remaining cells.
            let last = lines
                .iter()
                .rposition(|x| x.cell.is_some_and(|x| x.table == c.table))
                .unwrap_or(i);
            end = end.max(last);
        }
        match (kind, value) {
            ("case_officer", Some(v)) if m.case_officer.is_none() => m.case_officer = Some(v),
            ("case_number", Some(v)) if m.case_number.is_none() && case_number(&v).is_some() => {
                m.case_number = Some(v)
            }
            ("date", Some(v))
                if m.date.is_none()
                    && !vocab
                        .memo_label("case_number")
                        .iter()
                        .any(|x| v.starts_with(x.as_str())) =>
            {
                m.date = Some(v)
            }
            _ => {}
        }
        // "Saksnr. | Utval": the case's path through the bodies, one row each.
        if let (Some(c), "committee") = (l.cell, kind) {
            let number_col = lines.iter().find_map(|x| {
                let xc = x.cell?;
                (xc.table == c.table
                    && xc.row == c.row
                    && vocab.is_memo_label("case_number", &x.text))
                .then_some(xc.col)
            });
            if let Some(nc) = number_col {
                let cell = |row: usize, col: usize| {
                    lines.iter().find(|x| {
                        x.cell
                            .is_some_and(|xc| xc.table == c.table && xc.row == row && xc.col == col)
                    })
                };
                let mut row = c.row + 1;
                while let Some(body) = cell(row, c.col) {
                    let number = cell(row, nc)
                        .map(|x| x.text.trim().to_string())
                        .unwrap_or_default();
                    m.path.push((number, body.text.trim().to_string()));
                    row += 1;
                }
            }
        }
        i += 1;
    }
    Some(end + 1)
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
    fn case_system_box_with_label_rows_and_the_case_path() {
        use crate::segment::CellPos;
        let v = Vocabulary::builtin();
        // (text, (table, row, col)); None: a line outside any table.
        type Cell = Option<(usize, usize, usize)>;
        let cells: [(&str, Cell); 15] = [
            ("Saksnr", Some((0, 0, 0))),
            ("Utval", Some((0, 0, 1))),
            ("Type", Some((0, 0, 2))),
            ("Dato", Some((0, 0, 3))),
            ("7/2019", Some((0, 1, 0))),
            ("Levekårsutvalet", Some((0, 1, 1))),
            ("PS", Some((0, 1, 2))),
            ("Kommunestyret", Some((0, 2, 1))),
            ("Sakshandsamar", Some((1, 0, 0))),
            ("Arkiv", Some((1, 0, 1))),
            ("Kari Li", Some((1, 1, 0))),
            ("FE-400", Some((1, 1, 1))),
            ("NY SKULESTRUKTUR", None),
            ("Rådmannen sitt framlegg til vedtak:", None),
            ("Saka vert send på høyring.", None),
        ];
        let lines: Vec<TextLine> = cells
            .iter()
            .map(|(text, cell)| TextLine {
                text: text.to_string(),
                page: 1,
                cell: cell.map(|(table, row, col)| CellPos { table, row, col }),
            })
            .collect();
        let m = parse_memo(&lines, &v);
        assert_eq!(m.case_number.as_deref(), Some("7/2019"));
        assert_eq!(m.case_officer.as_deref(), Some("Kari Li"));
        assert_eq!(
            m.path,
            vec![
                ("7/2019".to_string(), "Levekårsutvalet".to_string()),
                (String::new(), "Kommunestyret".to_string())
            ]
        );
        assert_eq!(m.title.as_deref(), Some("NY SKULESTRUKTUR"));
        assert_eq!(m.proposed.as_deref(), Some("Saka vert send på høyring."));
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
