//! Participant lists of a meeting header: "Medlemmer", "Til stede", "Ikke til stede",
//! "Stedfortreder", "Observatører", and staff listed under their organisation's name.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::text::{clean, ends_incomplete, join_lines, looks_like_name};
use crate::segment::TextLine;
use crate::vocab::Vocabulary;

/// One person as the list gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub name: String,
    pub organisation: Option<String>,
    pub role: &'static str,
    pub attendance: &'static str,
    pub substitute_for: Option<String>,
    pub page: usize,
}

/// Which list the following entries belong to.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ListKind {
    role: &'static str,
    attendance: &'static str,
}

/// The list a label line opens, if it is one. `minutes` tells whether the document records a
/// held meeting (then people listed outside "Ikke til stede" were there).
fn list_label(text: &str, vocab: &Vocabulary, minutes: bool) -> Option<(ListKind, Option<String>)> {
    let seen = if minutes { "present" } else { "unknown" };
    let k = |role, attendance| Some((ListKind { role, attendance }, None));
    if vocab.is_label("members", text) {
        return k("member", "unknown");
    }
    if vocab.is_label("present", text) {
        return k("member", "present");
    }
    if vocab.is_label("absent", text) {
        return k("member", "absent");
    }
    if vocab.is_label("substitute", text) {
        return k("substitute", "present");
    }
    if vocab.is_label("observers", text) {
        return k("observer", seen);
    }
    if vocab.is_label("chair", text) {
        return k("chair", seen);
    }
    if vocab.is_label("guests", text) {
        return k("guest", seen);
    }
    if vocab.is_label("secretariat", text) {
        return k("secretariat", seen);
    }
    if !text.contains('(') {
        if let Some(org) = vocab.organisation(text) {
            let role = if org.secretariat {
                "secretariat"
            } else {
                "guest"
            };
            return Some((
                ListKind {
                    role,
                    attendance: seen,
                },
                Some(clean(text)),
            ));
        }
    }
    None
}

/// The labels that open a list of people (vocabulary keys of `labels.toml`).
const LIST_LABELS: [&str; 8] = [
    "members",
    "present",
    "absent",
    "substitute",
    "observers",
    "chair",
    "guests",
    "secretariat",
];

/// True when `text` is a label that opens a list of people ("Til stede", "Sekretariat", ...).
pub fn is_list_label(text: &str, vocab: &Vocabulary) -> bool {
    LIST_LABELS.iter().any(|k| vocab.is_label(k, text))
}

/// "Til stede Kari Nordmann (Helse Vest RHF)": a list label and the first entry on one line
/// (label and value cells side by side). Returns the label and the entry.
pub fn split_list_label(text: &str, vocab: &Vocabulary) -> Option<(String, String)> {
    let mut best: Option<(usize, String)> = None;
    for kind in LIST_LABELS {
        if let Some(rest) = vocab.strip_label(kind, text) {
            if rest.is_empty() {
                continue;
            }
            let label_len = text.len() - rest.len();
            let entry_like = rest.chars().next().is_some_and(|c| c.is_uppercase())
                && (rest.contains('(')
                    || rest.contains(" for ")
                    || looks_like_name(rest)
                    || rest.split_whitespace().count() <= 4);
            if entry_like && best.as_ref().is_none_or(|(l, _)| label_len > *l) {
                best = Some((label_len, rest.to_string()));
            }
        }
    }
    let (label_len, rest) = best?;
    Some((
        text[..label_len].trim().trim_end_matches(':').to_string(),
        rest,
    ))
}

/// True when the participant lists are over: the agenda table or another section begins.
pub fn ends_lists(text: &str, vocab: &Vocabulary) -> bool {
    // "Sak Tema Sakstype": a table's header cells on one line.
    let header_row = text.split_whitespace().count() > 1
        && vocab.strip_label("case", text).is_some_and(|rest| {
            rest.split_whitespace().any(|w| {
                ["topic", "case_type", "time", "decision_text"]
                    .iter()
                    .any(|k| vocab.is_label(k, w))
            })
        });
    if header_row {
        return true;
    }
    static ROW: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{1,3}\s*/\s*(?:\d{4}|\d{2})\s+\p{Lu}").unwrap());
    vocab.is_label("case", text)
        || ROW.is_match(text)
        || vocab.is_label("topic", text)
        || crate::parse::text::case_number(text).is_some()
        || crate::segment::slide_divider(text).is_some()
}

static SUB_ORG_FOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s*\(([^()]+)\)\s+for\s+(.+)$").unwrap());
static SUB_FOR_ORG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s+for\s+([^()]+?)(?:\s*\(([^()]+)\))?$").unwrap());
static SUB_PAREN_FOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s*\(\s*for\s+([^,()]+),\s*([^()]+)\)$").unwrap());
static SUB_STILLER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^,]+),\s*(.+?),?\s+stiller\s+for\s+(.+?)\.?$").unwrap());
static NAME_ORG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([^()]+?)\s*\((.+)\)$").unwrap());

/// Reads one entry ("Name (Org)", "X for Y (Org)", "X (Org) for Y", "X (for Y, Org)",
/// "X, Org, stiller for Y", or a bare name).
fn entry(
    text: &str,
    list: ListKind,
    org_heading: Option<&str>,
    page: usize,
) -> Option<Participant> {
    let t = clean(text);
    let p = |name: &str, org: Option<&str>, role, attendance, sub: Option<&str>| {
        let name = clean(name.trim_end_matches(','));
        looks_like_name(&name).then(|| Participant {
            name,
            organisation: org.map(clean).filter(|o| !o.is_empty()),
            role,
            attendance,
            substitute_for: sub.map(|s| clean(s.trim_end_matches('.'))),
            page,
        })
    };
    let sub_attendance = if list.attendance == "absent" {
        "absent"
    } else {
        "present"
    };
    if let Some(c) = SUB_PAREN_FOR.captures(&t) {
        return p(
            &c[1],
            Some(&c[3]),
            "substitute",
            sub_attendance,
            Some(&c[2]),
        );
    }
    if let Some(c) = SUB_STILLER.captures(&t) {
        return p(
            &c[1],
            Some(&c[2]),
            "substitute",
            sub_attendance,
            Some(&c[3]),
        );
    }
    if list.role == "substitute" || t.contains(" for ") {
        if let Some(c) = SUB_ORG_FOR.captures(&t) {
            if looks_like_name(&clean(&c[3])) {
                return p(
                    &c[1],
                    Some(&c[2]),
                    "substitute",
                    sub_attendance,
                    Some(&c[3]),
                );
            }
        }
        if let Some(c) = SUB_FOR_ORG.captures(&t) {
            if looks_like_name(&clean(&c[1])) && looks_like_name(&clean(&c[2])) {
                return p(
                    &c[1],
                    c.get(3).map(|m| m.as_str()),
                    "substitute",
                    sub_attendance,
                    Some(&c[2]),
                );
            }
        }
    }
    if let Some(c) = NAME_ORG.captures(&t) {
        return p(&c[1], Some(&c[2]), list.role, list.attendance, None);
    }
    p(&t, org_heading, list.role, list.attendance, None)
}

fn paren_depth(s: &str) -> i32 {
    s.chars().fold(0, |d, c| match c {
        '(' => d + 1,
        ')' => d - 1,
        _ => d,
    })
}

/// Parses the participant lists in `lines` (the meeting header after its fields). Returns the
/// participants and the index of the first line after the lists.
pub fn parse_lists(
    lines: &[TextLine],
    vocab: &Vocabulary,
    minutes: bool,
) -> (Vec<Participant>, usize) {
    // A label sharing its line with the first entry becomes two lines; `origin` maps them
    // back to the caller's lines.
    let mut split: Vec<TextLine> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        match split_list_label(&l.text, vocab) {
            Some((label, rest)) => {
                for text in [label, rest] {
                    split.push(TextLine {
                        text,
                        page: l.page,
                        cell: l.cell,
                    });
                    origin.push(k);
                }
            }
            None => {
                split.push(l.clone());
                origin.push(k);
            }
        }
    }
    let n = lines.len();
    let lines = &split[..];
    let mut out: Vec<Participant> = Vec::new();
    let mut list: Option<(ListKind, Option<String>)> = None;
    let mut buf: Vec<&str> = Vec::new();
    let mut buf_page = 0;
    let mut i = 0;
    let flush = |buf: &mut Vec<&str>,
                 list: &Option<(ListKind, Option<String>)>,
                 out: &mut Vec<Participant>,
                 page: usize| {
        if let (Some((kind, org)), false) = (list, buf.is_empty()) {
            let text = join_lines(buf);
            if let Some(p) = entry(&text, *kind, org.as_deref(), page) {
                if !out.iter().any(|o| o.name == p.name) {
                    out.push(p);
                }
            }
        }
        buf.clear();
    };
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if ends_lists(t, vocab) {
            break;
        }
        if buf.is_empty() {
            if let Some(l) = list_label(t, vocab, minutes) {
                list = Some(l);
                i += 1;
                continue;
            }
            // An organisation heading wrapped over two lines ("Direktoratet for e-" "helse").
            if let Some(next) = lines.get(i + 1) {
                let joined = join_lines(&[t, next.text.as_str()]);
                if let Some(l) = list_label(&joined, vocab, minutes).filter(|l| l.1.is_some()) {
                    list = Some(l);
                    i += 2;
                    continue;
                }
            }
        }
        if list.is_none() {
            i += 1;
            continue;
        }
        if buf.is_empty() {
            buf_page = lines[i].page;
        }
        buf.push(t);
        let joined = join_lines(&buf);
        let next = lines.get(i + 1).map(|l| l.text.as_str()).unwrap_or("");
        let open = paren_depth(&joined) > 0;
        let next_continues = next.starts_with('(')
            || next.starts_with(')')
            || next.chars().next().is_some_and(|c| c.is_lowercase())
            || next.starts_with("for ");
        let is_sub = list.as_ref().is_some_and(|(k, _)| k.role == "substitute");
        // "X for Y" broken before Y's last names: Y is a strict prefix of someone listed.
        let partial_for = is_sub
            && joined.rsplit(" for ").next().is_some_and(|y| {
                let y = y.trim();
                joined.contains(" for ")
                    && !y.contains('(')
                    && out
                        .iter()
                        .any(|p| p.name.starts_with(y) && p.name.len() > y.len())
            });
        let next_joins = next_continues
            && !ends_lists(next, vocab)
            && list_label(next, vocab, minutes).is_none();
        let done = !open && !ends_incomplete(&joined) && !partial_for && !next_joins;
        if done || buf.len() >= 6 {
            flush(&mut buf, &list, &mut out, buf_page);
        }
        i += 1;
    }
    flush(&mut buf, &list, &mut out, buf_page);
    (out, origin.get(i).copied().unwrap_or(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    #[test]
    fn members_with_wrapped_organisations() {
        let v = Vocabulary::builtin();
        let lines = tl("Medlemmer\nKari Nordmann (Helse\nVest RHF)\nPer Hansen\n(Direktoratet for e-\nhelse)\nLise M. Berg (KS)\nSak\n");
        let (ps, end) = parse_lists(&lines, &v, false);
        assert_eq!(end, 7);
        let got: Vec<_> = ps
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.organisation.as_deref(),
                    p.role,
                    p.attendance,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Kari Nordmann", Some("Helse Vest RHF"), "member", "unknown"),
                (
                    "Per Hansen",
                    Some("Direktoratet for e-helse"),
                    "member",
                    "unknown"
                ),
                ("Lise M. Berg", Some("KS"), "member", "unknown"),
            ]
        );
    }

    #[test]
    fn minutes_attendance_substitutes_and_staff() {
        let v = Vocabulary::builtin();
        let lines = tl("Medlemmer\nTil stede\nAnne Lie (Bergen kommune)\nOla Vik (for Tor Dal, Molde kommune)\n\
Ikke til stede\nEva Strand (FFO)\nTor Dal (Molde kommune)\nStedfortreder\nJon Li for\nEva Strand\n(FFO)\n\
Siri Ås (Ski kommune) for\nTor Dal\nObservatører\nNils Bø (Norsk helsenett SF)\nDirektoratet for e-helse\nIda Holm\nKnut Lunde\n");
        let (ps, _) = parse_lists(&lines, &v, true);
        let got: Vec<_> = ps
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.organisation.as_deref(),
                    p.role,
                    p.attendance,
                    p.substitute_for.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Anne Lie",
                    Some("Bergen kommune"),
                    "member",
                    "present",
                    None
                ),
                (
                    "Ola Vik",
                    Some("Molde kommune"),
                    "substitute",
                    "present",
                    Some("Tor Dal")
                ),
                ("Eva Strand", Some("FFO"), "member", "absent", None),
                ("Tor Dal", Some("Molde kommune"), "member", "absent", None),
                (
                    "Jon Li",
                    Some("FFO"),
                    "substitute",
                    "present",
                    Some("Eva Strand")
                ),
                (
                    "Siri Ås",
                    Some("Ski kommune"),
                    "substitute",
                    "present",
                    Some("Tor Dal")
                ),
                (
                    "Nils Bø",
                    Some("Norsk helsenett SF"),
                    "observer",
                    "present",
                    None
                ),
                (
                    "Ida Holm",
                    Some("Direktoratet for e-helse"),
                    "secretariat",
                    "present",
                    None
                ),
                (
                    "Knut Lunde",
                    Some("Direktoratet for e-helse"),
                    "secretariat",
                    "present",
                    None
                ),
            ]
        );
    }

    #[test]
    fn labels_sharing_a_line_with_entries() {
        let v = Vocabulary::builtin();
        let lines = tl("Til stede Anne Lie (Bergen kommune)\nPer Dahl (KS)\nIkke til stede Eva Strand (FFO)\nStedfortreder Jon Li for Eva\nStrand (FFO)\nSak\n");
        let (ps, end) = parse_lists(&lines, &v, true);
        assert_eq!(end, 5);
        let got: Vec<_> = ps
            .iter()
            .map(|p| (p.name.as_str(), p.attendance, p.role))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Anne Lie", "present", "member"),
                ("Per Dahl", "present", "member"),
                ("Eva Strand", "absent", "member"),
                ("Jon Li", "present", "substitute"),
            ]
        );
    }

    #[test]
    fn stiller_for_form() {
        let v = Vocabulary::builtin();
        let lines = tl("Til stede\nMarit Dahl, Helse Nord RHF, stiller for Geir Moe\n");
        let (ps, _) = parse_lists(&lines, &v, true);
        assert_eq!(ps[0].substitute_for.as_deref(), Some("Geir Moe"));
        assert_eq!(ps[0].organisation.as_deref(), Some("Helse Nord RHF"));
        assert_eq!(ps[0].role, "substitute");
    }
}
