//! Cross-references in running text ("Til sak 25/22", "referatet fra møtet 8. juni 2022 i
//! <body>", "behandlet i NUIT 14. september") and prior-decision tables ("Vedtak fra
//! tidligere behandlinger").

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::text::{
    case_number, full_year, join_lines, numeric_dates, word_dates, DateMention,
};
use crate::segment::TextLine;
use crate::vocab::Vocabulary;

/// A reference as found, before ids are known.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundRef {
    /// case / meeting / prior_decision
    pub kind: &'static str,
    pub target: Option<String>,
    pub target_body: Option<String>,
    pub target_date: Option<String>,
    pub title: Option<String>,
    pub decision: Option<String>,
    pub text: Option<String>,
    pub page: usize,
}

/// The meeting the text belongs to, for years left out and self-references.
#[derive(Debug, Clone)]
pub struct Context {
    pub body: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
}

impl Context {
    /// The year of a date written without one: the one that puts it nearest the meeting.
    fn year_for(&self, d: &DateMention) -> Option<i32> {
        if let Some(y) = d.year {
            return Some(y);
        }
        let base = self.year?;
        let Some(date) = self.date.as_deref() else {
            return Some(base);
        };
        let key = |y: i32| y * 372 + d.month as i32 * 31 + d.day as i32;
        let (my, mm, md) = parse_iso(date)?;
        let mkey = my * 372 + mm as i32 * 31 + md as i32;
        [base - 1, base, base + 1]
            .into_iter()
            .min_by_key(|y| (key(*y) - mkey).abs())
    }
}

fn parse_iso(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.split('-');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

static CASE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bsak\s+(\d{1,3}/\d{2,4})\b").unwrap());

/// The body named right before `pos` ("i NUIT i sak", "i NUIT (sak"), as written.
fn body_before(text: &str, pos: usize, vocab: &Vocabulary) -> Option<String> {
    let head = text[..pos].trim_end();
    let head = head
        .strip_suffix('(')
        .or_else(|| head.strip_suffix(" i"))
        .or_else(|| head.strip_suffix(" I"))?
        .trim_end();
    vocab
        .body_names()
        .into_iter()
        .find(|(n, _)| {
            head.ends_with(n)
                && head[..head.len() - n.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(n, _)| n.to_string())
}

/// A date written right at the start of `text` (after spaces).
fn date_at_start(text: &str, vocab: &Vocabulary) -> Option<DateMention> {
    let lead = text.len() - text.trim_start().len();
    word_dates(text, vocab)
        .into_iter()
        .find(|d| d.start == lead)
}

/// The body named right at the start of `text`.
fn body_at_start(text: &str, vocab: &Vocabulary) -> Option<String> {
    let t = text.trim_start();
    vocab
        .body_names()
        .into_iter()
        .find(|(n, _)| {
            t.starts_with(n)
                && t[n.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(n, _)| n.to_string())
}

/// The body named right before `end` (the text ends with it).
fn body_at_end(text: &str, vocab: &Vocabulary) -> Option<String> {
    let t = text.trim_end();
    vocab
        .body_names()
        .into_iter()
        .find(|(n, _)| {
            t.ends_with(n)
                && t[..t.len() - n.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|(n, _)| n.to_string())
}

fn same_body(a: &str, b: &str, vocab: &Vocabulary) -> bool {
    match (vocab.body_by_name(a), vocab.body_by_name(b)) {
        (Some(x), Some(y)) => x.id == y.id,
        _ => a.eq_ignore_ascii_case(b),
    }
}

/// References in running text. `lines` is one case's text; each reference gets the page of
/// the line it starts on.
pub fn in_text(lines: &[TextLine], ctx: &Context, vocab: &Vocabulary) -> Vec<FoundRef> {
    // Work on the joined text, keeping where each line starts.
    let mut text = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for l in lines {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.push((text.len(), l.page));
        text.push_str(&l.text);
    }
    let page_at = |pos: usize| {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= pos)
            .map_or(0, |(_, p)| *p)
    };
    let mut out: Vec<FoundRef> = Vec::new();

    for c in CASE_REF.captures_iter(&text) {
        let m = c.get(0).unwrap();
        let target = c[1].to_string();
        let body = body_before(&text, m.start(), vocab);
        // Quote up to four words before "sak", within the sentence.
        let sentence_start = text[..m.start()]
            .rfind(|ch: char| ".;:«»".contains(ch))
            .map_or(0, |p| p + 1);
        let mut from = m.start();
        for _ in 0..4 {
            let head = text[sentence_start..from].trim_end();
            if head.is_empty() {
                break;
            }
            from = sentence_start + head.rfind(' ').map_or(0, |q| q + 1);
        }
        let mut end = m.end();
        let after = &text[end..];
        let closing = after.starts_with(')');
        let mut date = None;
        if closing {
            if let Some(d) = date_at_start(&after[1..], vocab) {
                date = ctx.year_for(&d).and_then(|y| d.iso(Some(y)));
                end += 1 + d.end;
            } else {
                end += 1;
            }
        }
        out.push(FoundRef {
            kind: "case",
            target: Some(target),
            target_body: body,
            target_date: date,
            title: None,
            decision: None,
            text: Some(text[from..end].trim().to_string()),
            page: page_at(m.start()),
        });
    }

    for d in word_dates(&text, vocab) {
        let before = &text[..d.start];
        let before_t = before.trim_end();
        let lower = before_t.to_lowercase();
        let mut body: Option<String> = None;
        let mut span_start: Option<usize> = None;
        // "referat(et) fra (møtet) (i) (<body>) D"
        static REFERAT: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\breferat(?:et)?\s+fra\s+(?:(?:møtet|møte)\s+)?(?:i\s+)?(.*?)$")
                .unwrap()
        });
        if let Some(c) = REFERAT.captures(before) {
            let middle = c[1].trim();
            if middle.is_empty() {
                span_start = Some(c.get(0).unwrap().start());
            } else if let Some(b) = body_at_start(middle, vocab).filter(|b| b.len() == middle.len())
            {
                body = Some(b);
                span_start = Some(c.get(0).unwrap().start());
            }
        }
        if span_start.is_none() {
            // "i|til <body> D"
            if let Some(b) = body_at_end(before_t, vocab) {
                let head = before_t[..before_t.len() - b.len()].trim_end();
                let hl = head.to_lowercase();
                if hl.ends_with(" i") || hl.ends_with(" til") || hl == "i" || hl == "til" {
                    let verb_start = head
                        .rfind(' ')
                        .map_or(0, |p| head[..p].rfind(' ').map_or(0, |q| q + 1));
                    span_start = Some(verb_start);
                    body = Some(b);
                }
            }
        }
        if span_start.is_none() {
            // "<body> behandlet (saken) D", "<body> drøftet D"
            static VERB: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"(?i)\s(behandlet|drøftet)(\s+saken)?$").unwrap());
            if let Some(c) = VERB.captures(before_t) {
                let head = &before_t[..c.get(0).unwrap().start()];
                if let Some(b) = body_at_end(head, vocab) {
                    span_start = Some(head.len() - b.len());
                    body = Some(b);
                }
            }
        }
        if span_start.is_none()
            && (lower.ends_with(" møtet") || lower == "møtet" || lower.ends_with(" møte"))
        {
            // "Til møtet D": the body's own meeting.
            let p = before_t.len() - if lower.ends_with("møtet") { 5 } else { 4 };
            let s = before_t[..p].trim_end().rfind(' ').map_or(0, |q| q + 1);
            span_start = Some(s);
        }
        let Some(s) = span_start else {
            continue;
        };
        let mut end = d.end;
        // "... D i <body>"
        let after = &text[end..];
        if let Some(rest) = after.strip_prefix(" i ") {
            if let Some(b) = body_at_start(rest, vocab) {
                if body.is_none() {
                    body = Some(b.clone());
                    end += 3 + b.len();
                }
            }
        }
        let body = body.or_else(|| ctx.body.clone());
        let Some(year) = ctx.year_for(&d) else {
            continue;
        };
        let Some(date) = d.iso(Some(year)) else {
            continue;
        };
        // The meeting itself, mentioned in its own papers.
        if ctx.date.as_deref() == Some(date.as_str())
            && match (&body, &ctx.body) {
                (Some(a), Some(b)) => same_body(a, b, vocab),
                _ => true,
            }
        {
            continue;
        }
        out.push(FoundRef {
            kind: "meeting",
            target: None,
            target_body: body,
            target_date: Some(date),
            title: None,
            decision: None,
            text: Some(text[s..end].trim().to_string()),
            page: page_at(d.start),
        });
    }
    out
}

static PRIOR_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\S.*?)\s+)?(\d{1,3}/\d{2,4})(?:\s*\((\d{1,2}\.\d{1,2}\.\d{2,4})\))?$")
        .unwrap()
});
static PRIOR_ROW_DATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\S.*?)\s*,\s*(?:sak|saker)\s+(.+)$").unwrap());

/// A prior-decision row's first cell: the cases, their body and date.
fn prior_row_start(
    text: &str,
    ctx: &Context,
    vocab: &Vocabulary,
) -> Option<(Vec<String>, Option<String>, Option<String>)> {
    let known_body = PRIOR_ROW.captures(text).is_some_and(|c| {
        c.get(1)
            .is_none_or(|b| vocab.body_by_name(b.as_str()).is_some())
    });
    if let Some(c) = PRIOR_ROW.captures(text).filter(|_| known_body) {
        let body = c.get(1).map(|b| b.as_str().to_string());
        let date = c.get(3).and_then(|d| {
            numeric_dates(d.as_str(), ctx.year)
                .first()
                .and_then(|m| m.iso(None))
        });
        return Some((vec![c[2].to_string()], body, date));
    }
    if let Some(c) = PRIOR_ROW_DATED.captures(text) {
        let head = c[1].trim();
        let body = body_at_start(head, vocab)?;
        let rest = head[body.len()..].trim();
        // The cell holds the body and the date only.
        let d = word_dates(rest, vocab)
            .into_iter()
            .find(|d| d.start == 0 && d.end == rest.len())?;
        let date = ctx.year_for(&d).and_then(|y| d.iso(Some(y)));
        let nums: Vec<String> = c[2]
            .split([',', ' '])
            .filter(|w| case_number(w).is_some())
            .map(|w| w.to_string())
            .collect();
        if nums.is_empty() {
            return None;
        }
        return Some((nums, Some(body), date));
    }
    None
}

/// A prior-decision row's first cell: case numbers, body, date.
type RowHead = (Vec<String>, Option<String>, Option<String>);

static PRIOR_ROW_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(\S.*?)\s+)?(\d{1,3}/\d{2,4})(?:\s*\((\d{1,2}\.\d{1,2}\.\d{2,4})\))?\s+(\p{Lu}.*)$",
    )
    .unwrap()
});
static MORE_NUMBERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:og|,)\s*(\d{1,3}/\d{2,4})$").unwrap());

/// "34/22 Utredning av", "NUFA 35/22 Status for ...": a row start followed on the same line
/// by the next cell's text.
fn prior_row_loose<'a>(
    text: &'a str,
    ctx: &Context,
    vocab: &Vocabulary,
) -> Option<(RowHead, &'a str)> {
    let c = PRIOR_ROW_LOOSE.captures(text)?;
    let body = match c.get(1) {
        Some(b) => {
            vocab.body_by_name(b.as_str())?;
            Some(b.as_str().to_string())
        }
        None => None,
    };
    let date = c.get(3).and_then(|d| {
        numeric_dates(d.as_str(), ctx.year)
            .first()
            .and_then(|m| m.iso(None))
    });
    Some(((vec![c[2].to_string()], body, date), c.get(4)?.as_str()))
}

fn more_numbers(text: &str) -> Option<Vec<String>> {
    MORE_NUMBERS.captures(text).map(|c| vec![c[1].to_string()])
}

/// True when a line starts a prior decision's text: it opens with a body, an organisation or
/// a quotation mark.
fn starts_decision(text: &str, vocab: &Vocabulary) -> bool {
    text.starts_with('«')
        || text.starts_with('"')
        || body_at_start(text, vocab).is_some()
        || vocab
            .organisations
            .iter()
            .any(|o| text.starts_with(&format!("{} ", o.name)))
}

/// A prior-decision row being read: its case numbers, body, date and page.
type PriorRow = (Vec<String>, Option<String>, Option<String>, usize);

/// Parses the prior-decision table that starts after line `start` (its heading), up to a line
/// for which `stop` is true. Returns the references and the index after the table.
pub fn prior_decisions(
    lines: &[TextLine],
    start: usize,
    ctx: &Context,
    vocab: &Vocabulary,
    stop: &dyn Fn(&str) -> bool,
) -> (Vec<FoundRef>, usize) {
    let mut out = Vec::new();
    let mut i = start + 1;
    let mut row: Option<PriorRow> = None;
    let mut cells: Vec<&str> = Vec::new();
    let finish = |row: &mut Option<PriorRow>, cells: &mut Vec<&str>, out: &mut Vec<FoundRef>| {
        if let Some((nums, mut body, date, page)) = row.take() {
            // A body named alone on the row's second line.
            if body.is_none() {
                if let Some(first) = cells.first() {
                    if vocab.body_by_name(first).is_some() {
                        body = Some(first.to_string());
                        cells.remove(0);
                    }
                }
            }
            let split = cells
                .iter()
                .position(|c| starts_decision(c, vocab))
                .filter(|p| *p > 0)
                .unwrap_or(1.min(cells.len()));
            let title = (split > 0).then(|| join_lines(&cells[..split]));
            let decision = (split < cells.len()).then(|| join_lines(&cells[split..]));
            let body = body.or_else(|| {
                decision
                    .as_deref()
                    .and_then(|d| vocab.find_body(d))
                    .map(|(_, b)| b)
            });
            for n in nums {
                out.push(FoundRef {
                    kind: "prior_decision",
                    target: Some(n),
                    target_body: body.clone(),
                    target_date: date.clone(),
                    title: title.clone(),
                    decision: decision.clone(),
                    text: None,
                    page,
                });
            }
        }
        cells.clear();
    };
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if stop(t) {
            break;
        }
        if vocab.is_label("case", t)
            || vocab.is_label("topic", t)
            || vocab.is_label("decision_text", t)
        {
            i += 1;
            continue;
        }
        // "NUIT 19. mai 2022, sak" wrapped before its case numbers.
        let wrapped = lines.get(i + 1).and_then(|n| {
            let tl = t.to_lowercase();
            let nl = n.text.to_lowercase();
            let split_cell = t.len() <= 40
                && body_at_start(t, vocab).is_some()
                && prior_row_start(t, ctx, vocab).is_none()
                && (nl.contains(", sak ") || nl.starts_with("sak ") || nl.starts_with("saker "));
            (tl.ends_with(" sak") || tl.ends_with(" saker") || split_cell)
                .then(|| prior_row_start(&join_lines(&[t, n.text.as_str()]), ctx, vocab))
                .flatten()
        });
        if let Some((nums, body, date)) = wrapped {
            finish(&mut row, &mut cells, &mut out);
            row = Some((nums, body, date, lines[i].page));
            i += 1;
        } else if let Some((nums, body, date)) = prior_row_start(t, ctx, vocab) {
            finish(&mut row, &mut cells, &mut out);
            row = Some((nums, body, date, lines[i].page));
        } else if let Some(((nums, body, date), rest)) = prior_row_loose(t, ctx, vocab) {
            // The row's first cell and the start of the next on one line.
            finish(&mut row, &mut cells, &mut out);
            row = Some((nums, body, date, lines[i].page));
            cells.push(rest);
        } else if let (Some(r), Some(more)) = (row.as_mut(), more_numbers(t)) {
            // "og 25/22": the case list wrapped.
            if cells.is_empty() {
                r.0.extend(more);
            } else {
                cells.push(t);
            }
        } else if row.is_some() {
            cells.push(t);
        } else if i > start + 6 {
            break;
        }
        i += 1;
    }
    finish(&mut row, &mut cells, &mut out);
    let _ = full_year;
    (out, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    fn ctx() -> Context {
        Context {
            body: Some("Nasjonalt e-helseråd".into()),
            date: Some("2024-03-05".into()),
            year: Some(2024),
        }
    }

    #[test]
    fn case_and_meeting_references_in_text() {
        let v = Vocabulary::builtin();
        let refs = in_text(
            &tl("Til sak 12/24 vil direktoratet svare. Saken ble behandlet i NUIT 20. februar, og i NUFA i sak 3/24.\nGodkjenning av referatet fra møtet 9. januar 2024 i Nasjonalt e-helsestyre.\nRådet møtes i Nasjonalt e-helseråd 5. mars. NUIT behandlet saken 12. desember 2023."),
            &ctx(),
            &v,
        );
        let got: Vec<_> = refs
            .iter()
            .map(|r| {
                (
                    r.kind,
                    r.target.as_deref(),
                    r.target_body.as_deref(),
                    r.target_date.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("case", Some("12/24"), None, None),
                ("case", Some("3/24"), Some("NUFA"), None),
                ("meeting", None, Some("NUIT"), Some("2024-02-20")),
                (
                    "meeting",
                    None,
                    Some("Nasjonalt e-helsestyre"),
                    Some("2024-01-09")
                ),
                ("meeting", None, Some("NUIT"), Some("2023-12-12")),
            ]
        );
        assert_eq!(refs[0].text.as_deref(), Some("Til sak 12/24"));
        assert_eq!(
            refs[2].text.as_deref(),
            Some("behandlet i NUIT 20. februar")
        );
        assert_eq!(
            refs[3].text.as_deref(),
            Some("referatet fra møtet 9. januar 2024 i Nasjonalt e-helsestyre")
        );
    }

    #[test]
    fn year_is_taken_nearest_the_meeting() {
        let v = Vocabulary::builtin();
        let c = Context {
            body: Some("NUIT".into()),
            date: Some("2024-01-10".into()),
            year: Some(2024),
        };
        let refs = in_text(
            &tl("Til møtet 14. desember ble det åpnet for dette."),
            &c,
            &v,
        );
        assert_eq!(refs[0].target_date.as_deref(), Some("2023-12-14"));
        assert_eq!(refs[0].target_body.as_deref(), Some("NUIT"));
    }

    #[test]
    fn prior_decision_table_rows() {
        let v = Vocabulary::builtin();
        let lines = tl("Vedtak fra tidligere behandlinger\nSak\nTema\nVedtaksformulering\n5/24 (12.02.24)\nNUIT\nKodeverk\nNUIT anbefaler noe.\n(Ikke godkjent)\nNUFA 2/24\nStatus\nDel to\nNUFA er orientert.\n30/23\nTidligere tema\nNasjonalt e-helsestyre drøftet saken.\nNUIT 3. mai 2023, sak 7/23 og 8/23\nKodeverk og terminologi\n«Sitat»\nTil\n");
        let (refs, end) = prior_decisions(&lines, 0, &ctx(), &v, &|t| t == "Til");
        assert_eq!(end, lines.len() - 1);
        let got: Vec<_> = refs
            .iter()
            .map(|r| {
                (
                    r.target.as_deref(),
                    r.target_body.as_deref(),
                    r.target_date.as_deref(),
                    r.title.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("5/24"),
                    Some("NUIT"),
                    Some("2024-02-12"),
                    Some("Kodeverk")
                ),
                (Some("2/24"), Some("NUFA"), None, Some("Status Del to")),
                (
                    Some("30/23"),
                    Some("Nasjonalt e-helsestyre"),
                    None,
                    Some("Tidligere tema")
                ),
                (
                    Some("7/23"),
                    Some("NUIT"),
                    Some("2023-05-03"),
                    Some("Kodeverk og terminologi")
                ),
                (
                    Some("8/23"),
                    Some("NUIT"),
                    Some("2023-05-03"),
                    Some("Kodeverk og terminologi")
                ),
            ]
        );
        assert_eq!(
            refs[0].decision.as_deref(),
            Some("NUIT anbefaler noe. (Ikke godkjent)")
        );
    }
}
