//! The header of an agenda, minutes or slide deck: body, meeting number, date, time, place.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::participants::{ends_lists, is_list_label, split_list_label};
use crate::parse::text::{
    clean, date_field, ends_incomplete, full_year, join_lines, numeric_dates, time_range,
    word_dates, DateField,
};
use crate::segment::TextLine;
use crate::segment::{meeting_title, HEADER_FIELDS};
use crate::vocab::Vocabulary;

/// What a meeting header says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub body: Option<String>,
    pub number: Option<u32>,
    pub year: Option<i32>,
    pub date: Option<String>,
    /// The date as written when it could not be read as one day.
    pub date_raw: Option<String>,
    pub date_candidates: Vec<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub location: Option<String>,
    pub page: usize,
    /// Index of the first line after the header fields.
    pub end: usize,
}

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s*/\s*(\d{4}|\d{2})$").unwrap());

/// A sentence about the meeting: "møtet", "styremøte", "møte".
static MEETING_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b\w*møte[tr]?\b").unwrap());

/// "Møtet ble satt kl. 10.00 og hevet kl. 12.00, Rådhuset": the opening time, the closing
/// time and what follows them (the room).
static OPENED_CLOSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bmøtet\s+(?:ble|vart|vert|blei)\s+(?:satt|sett)\b(?:[^.]|\d\.)*?\b(?:kl\.?|klokka|klokken)\s*(\d{1,2}[.:]\d{2})(?:[^.]*?\b(?:hevet|heva|avsluttet|avslutta|slutt)\s+(?:kl\.?|klokka|klokken)\s*(\d{1,2}[.:]\d{2}))?(?:\s*,\s*(\S.*?))?(?:\.\s+\p{Lu}|\.?$)")
        .unwrap()
});

/// "Det avholdes styremøte i Helse X HF, 19. februar": the body a sentence names. A board
/// meeting ("styremøte i X") is the meeting of the board of X.
fn sentence_body(text: &str) -> Option<String> {
    static MEETING_IN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(styremøte|møte)\s+(?:i|for)\s+((?-i:[A-ZÆØÅ][\wæøåÆØÅ-]*|HF|RHF|IKS|AS)(?:\s+(?:(?-i:[A-ZÆØÅ][\wæøåÆØÅ-]*)|og|i|for))*)").unwrap()
    });
    let c = MEETING_IN.captures(text)?;
    let name = c[2].trim_end_matches([' ']).to_string();
    // "og", "i", "for" join words of a name but never end one.
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.last().is_some_and(|w| ["og", "i", "for"].contains(w)) {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    let name = words.join(" ");
    Some(if c[1].eq_ignore_ascii_case("styremøte") {
        format!("Styret i {name}")
    } else {
        name
    })
}

/// "møte nr. 3/2018", "Møte nr 4": a meeting number in a title.
static HEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)møte[t]?\s+nr\.?\s*(\d{1,3})(?:\s*/\s*(\d{4}|\d{2}))?\b").unwrap()
});

/// The body a heading names ("Møte i Nasjonalt e-helseråd", "Ekstra møte i NUFA - webinar",
/// "Innkalling til møte i styret for Helse X 19. januar 2015"); None for a bare title
/// ("Møteprotokoll").
pub fn heading_body(heading: &str, vocab: &Vocabulary) -> Option<String> {
    let (_, rest) = meeting_title(heading, vocab)?;
    if let Some((0, name)) = vocab.find_body(rest) {
        return Some(name);
    }
    // Unknown body: the heading up to a dash remark or a date.
    let mut cut = rest
        .find(" - ")
        .or_else(|| rest.find(" – "))
        .unwrap_or(rest.len());
    if let Some(d) = word_dates(rest, vocab).first() {
        cut = cut.min(d.start);
    }
    let b = clean(&rest[..cut]);
    let b = b.trim_end_matches([',', ':']).trim().to_string();
    (!b.is_empty() && b.chars().any(char::is_alphabetic)).then_some(b)
}

/// The header's fields: the same labels that show segmentation a title opens a meeting.
const FIELDS: [&str; 6] = HEADER_FIELDS;

fn field_label(text: &str, vocab: &Vocabulary) -> Option<&'static str> {
    vocab.label_kind(&FIELDS, text)
}

/// A line that may name a body under a bare title: short, no digits, not a label.
fn body_line(text: &str, vocab: &Vocabulary) -> bool {
    let words = text.split_whitespace().count();
    (1..=10).contains(&words)
        && !text.contains(':')
        && !text.chars().any(|c| c.is_ascii_digit())
        && !text.ends_with('.')
        && text.chars().next().is_some_and(char::is_uppercase)
        && (!vocab.is_known_label(text) || vocab.is_label("body_kind", text))
}

/// "149/09-187/09", "PS 1/15 - PS 12/15": a range of case numbers.
static CASE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-ZÆØÅ]{1,4}\s*)?\d{1,4}\s*/\s*\d{2,4}\s*(?:-|–|til)\s*(?:[A-ZÆØÅ]{1,4}\s*)?\d{1,4}\s*/\s*\d{2,4}$").unwrap()
});

static ONE_CASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-ZÆØÅ]{1,4}\s*)?\d{1,4}\s*/\s*\d{2,4}$").unwrap());

/// A header field giving the meeting's cases: a case label ("Saknr.:") with a range of
/// numbers, or a range label ("Fra saksnr.:", "Til saksnr.:") with one number, the value on
/// the label's line or the next. Returns the number of lines it takes.
fn case_range_field(lines: &[TextLine], vocab: &Vocabulary) -> Option<usize> {
    let t = lines.first()?.text.trim();
    let range_label = vocab.strip_label("case_range", t);
    let (rest, one_number) = match range_label {
        Some(rest) => (rest, true),
        None => (vocab.strip_label("case", t)?, false),
    };
    let fits = |v: &str| {
        let v = v.trim();
        CASE_RANGE.is_match(v) || (one_number && ONE_CASE.is_match(v))
    };
    if !rest.is_empty() {
        return fits(rest).then_some(1);
    }
    match lines.get(1) {
        Some(next) if fits(&next.text) => Some(2),
        // A range label whose value the row holds elsewhere (or lost): still a header field.
        _ if range_label.is_some() && t.ends_with(':') => Some(1),
        _ => None,
    }
}

/// "Møtet finner sted på X og starter kl ...": the place a sentence of the invitation names.
fn place_sentence(text: &str) -> Option<String> {
    static PLACE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bmøtet\s+(?:finner\s+sted|holdes|avholdes|blir\s+halde|vert\s+halde|skjer)\s+(?:på|i)\s+(.+?)(?:\s+(?:og\s+(?:starter|tek\s+til|begynner|varer)|med\s+(?:start|oppmøte)|fra\s+kl|kl)\b.*|\.\s*$|$)").unwrap()
    });
    let c = PLACE.captures(text)?;
    let p = clean(c[1].trim_end_matches([',', '.']));
    (!p.is_empty()).then_some(p)
}

/// "Mandag 2. juni 2014 kl 10.00, St. Svithun hotell, Stavanger": the date, the times and
/// the place of a field that holds all three.
fn split_date_place(text: &str, vocab: &Vocabulary) -> (Option<String>, Option<String>) {
    let t = clean(text);
    let Some(d) = word_dates(&t, vocab)
        .into_iter()
        .next()
        .or_else(|| numeric_dates(&t, None).into_iter().next())
    else {
        return (None, Some(t));
    };
    let date = d.iso(None);
    static TIME_PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*[,.]?\s*(?:(?:fra\s+)?kl\.?\s*)?(?:\d{1,2}[.:]\d{2}(?:\s*(?:[-–]|til)\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2})?)?\s*,?\s*").unwrap()
    });
    let after = &t[d.end..];
    let place = TIME_PART.replace(after, "").trim().to_string();
    (date, (!place.is_empty()).then_some(place))
}

/// "desember 2015": a month and a year with no day.
fn month_and_year(text: &str, vocab: &Vocabulary) -> Option<(u32, i32)> {
    static MONTH_YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^\d.\s]\s*)\b(\p{L}+)\.?\s+(\d{4})\b").unwrap());
    MONTH_YEAR.captures_iter(text).find_map(|c| {
        let m = vocab.month(&c[1])?;
        Some((m, c[2].parse().ok()?))
    })
}

/// Parses the header that starts at `lines[0]` (the heading line).
pub fn parse_header(lines: &[TextLine], vocab: &Vocabulary) -> Header {
    // A header printed over its title: read the title first, then the fields in their order.
    let title_at = lines
        .iter()
        .take(9)
        .position(|l| meeting_title(&l.text, vocab).is_some())
        .unwrap_or(0);
    let reordered: Vec<TextLine>;
    let lines = if title_at > 0 {
        reordered = std::iter::once(lines[title_at].clone())
            .chain(lines[..title_at].iter().cloned())
            .chain(lines[title_at + 1..].iter().cloned())
            .collect();
        &reordered[..]
    } else {
        lines
    };
    let mut heading = lines.first().map_or(String::new(), |l| l.text.clone());
    let mut i = 1;
    // A title wrapped over two lines ("... i helse- og" / "omsorgstjenesten").
    if let Some(next) = lines.get(1) {
        if ends_incomplete(&heading) && field_label(&next.text, vocab).is_none() {
            heading = join_lines(&[heading.as_str(), next.text.as_str()]);
            i = 2;
        }
    }
    let mut h = Header {
        page: lines.first().map_or(0, |l| l.page),
        body: heading_body(&heading, vocab),
        ..Default::default()
    };
    // A bare title ("MØTEINNKALLING") with the body on the next line.
    if h.body.is_none() {
        if let Some(next) = lines.get(i) {
            if body_line(&next.text, vocab) && !is_list_label(&next.text, vocab) {
                h.body = Some(clean(&next.text));
                i += 1;
            }
        }
    }
    // A bare title without the body under it: the running line that repeats the title with
    // the body after it ("Styremøte nr. 4/2008 Høgskolen i Gjøvik").
    if h.body.is_none() && !heading.is_empty() {
        h.body = lines.iter().skip(1).take(80).find_map(|l| {
            let rest = l.text.strip_prefix(heading.as_str())?.trim();
            (body_line(rest, vocab) && !is_list_label(rest, vocab)).then(|| clean(rest))
        });
    }
    let mut values: Vec<(&'static str, Vec<&str>)> = Vec::new();
    let mut idle = 0;
    while i < lines.len() {
        // The header is a compact table: a run of lines it cannot place ends it.
        if idle >= 3 {
            i -= idle;
            break;
        }
        let t = lines[i].text.as_str();
        // The meeting number ("6/22") looks like a case number: take it first.
        if let Some(("meeting", v)) = values.last_mut().map(|(f, v)| (*f, v)) {
            if v.is_empty() && NUMBER.is_match(t) {
                v.push(t);
                idle = 0;
                i += 1;
                continue;
            }
        }
        // "Saknr.: 149/09-187/09", "Fra saksnr.: 0023/05": the cases the meeting handled, a
        // header field though its label also heads case tables.
        if let Some(taken) = case_range_field(&lines[i..], vocab) {
            i += taken;
            idle = 0;
            continue;
        }
        if ends_lists(t, vocab) || split_list_label(t, vocab).is_some() || is_list_label(t, vocab) {
            break;
        }
        if let Some(f) = field_label(t, vocab) {
            values.push((f, Vec::new()));
            idle = 0;
            i += 1;
            continue;
        }
        // "Møte 2/21", "Dato 2. mai 2021", "Tid kl. 10.00": label and value on one line.
        let inline = FIELDS.into_iter().find_map(|f| {
            vocab
                .strip_label(f, t)
                .filter(|r| !r.is_empty())
                .map(|r| (f, r))
        });
        if let Some((f, rest)) = inline {
            let plausible = match f {
                "meeting" => NUMBER.is_match(rest),
                "date" => !matches!(date_field(rest, vocab), DateField::Unreadable),
                "time" => time_range(rest).0.is_some(),
                "body" => t[..t.len() - rest.len()].trim_end().ends_with(':'),
                _ => true,
            };
            if plausible {
                values.push((f, vec![rest]));
                idle = 0;
                i += 1;
                continue;
            }
        }
        // A value runs over lines only where it visibly goes on (a place after a comma).
        let can_take = values.last().is_some_and(|(f, v)| {
            v.is_empty()
                || (*f == "place"
                    && !vocab.is_known_label(t)
                    // A place goes on in its own cell, not into the next table's.
                    && lines[i - 1].cell == lines[i].cell
                    && v.last().is_some_and(|l| {
                        ends_incomplete(l)
                            || (t.split_whitespace().count() <= 3
                                && !t.ends_with('.')
                                && !l.ends_with('.'))
                    }))
        });
        idle += 1;
        if can_take {
            if let Some((_, v)) = values.last_mut() {
                v.push(t);
            }
            idle = 0;
        } else if !values.iter().any(|(f, _)| *f == "date")
            && t.len() <= 30
            && matches!(date_field(t, vocab), DateField::Date(_))
        {
            // An unlabelled date line ("6. mai 2021") under the heading.
            values.push(("date", vec![t]));
            idle = 0;
        } else if h.location.is_none() {
            if let Some(p) = place_sentence(t) {
                h.location = Some(p);
                idle = 0;
            }
        }
        i += 1;
        if values.is_empty() && h.location.is_none() && i > 6 {
            break;
        }
    }
    h.end = i;
    for (f, v) in values {
        let text = join_lines(&v);
        if text.is_empty() {
            continue;
        }
        match f {
            "meeting" => {
                if let Some(c) = NUMBER.captures(&text) {
                    h.number = c[1].parse().ok();
                    h.year = c[2].parse().ok().map(|y: u32| full_year(y, None));
                }
            }
            "date" => match date_field(&text, vocab) {
                DateField::Date(d) => h.date = Some(d),
                DateField::Ambiguous(c) => {
                    h.date_raw = Some(text);
                    h.date_candidates = c;
                }
                DateField::Unreadable => h.date_raw = Some(text),
            },
            "time" => {
                let (s, e) = time_range(&text);
                h.start_time = s;
                h.end_time = e;
            }
            "place" => h.location = Some(text),
            "date_place" => {
                let (d, p) = split_date_place(&text, vocab);
                if h.date.is_none() {
                    h.date = d;
                }
                let (s, e) = time_range(&text);
                h.start_time = h.start_time.take().or(s);
                h.end_time = h.end_time.take().or(e);
                if p.is_some() {
                    h.location = p;
                }
            }
            "body" if h.body.is_none() => h.body = Some(text),
            _ => {}
        }
    }
    // "desember 2015" with the day lost: the first day of that month the agenda names
    // ("DAG 1 (2. desember)").
    if h.date.is_none() && h.date_raw.is_none() {
        let header_text: Vec<&str> = lines[..h.end.min(lines.len())]
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        if let Some((month, year)) = month_and_year(&header_text.join(" "), vocab) {
            h.date = lines
                .iter()
                .skip(1)
                .take(30)
                .flat_map(|l| word_dates(&l.text, vocab))
                .find(|d| d.month == month && d.year.is_none_or(|y| y == year))
                .and_then(|d| d.iso(Some(year)));
        }
    }
    // No date field: the date the title gives ("Innkalling til møte i X 19. januar 2015").
    if h.date.is_none() {
        if let Some(d) = word_dates(&heading, vocab)
            .first()
            .and_then(|d| d.iso(None))
        {
            h.date = Some(d);
            h.date_raw = None;
            h.date_candidates.clear();
        }
    }
    // An invitation or minutes that say it in sentences under the title: "Det avholdes
    // styremøte i X, 19. februar 2004 kl 10.00", "Møtet ble satt 30. april 2018 klokken 10.00
    // og hevet klokken 10.45, møterom 921".
    // The opening sentences, up to the lists of those present.
    let opening: Vec<&str> = lines
        .iter()
        .skip(1)
        .take(6)
        .map(|l| l.text.as_str())
        .take_while(|t| split_list_label(t, vocab).is_none() && !is_list_label(t, vocab))
        .collect();
    let opening = opening.join(" ");
    if h.body.is_none() {
        h.body = sentence_body(&opening);
    }
    if h.date.is_none() && h.date_raw.is_none() && MEETING_WORD.is_match(&opening) {
        h.date = word_dates(&opening, vocab)
            .into_iter()
            .find(|d| d.year.is_some())
            .and_then(|d| d.iso(None));
    }
    if let Some(c) = OPENED_CLOSED.captures(&opening) {
        if h.start_time.is_none() {
            h.start_time = time_range(&c[1]).0;
            h.end_time = c.get(2).and_then(|e| time_range(e.as_str()).0);
        }
        if h.location.is_none() {
            if let Some(p) = c.get(3) {
                let p = clean(p.as_str().trim_end_matches('.'));
                h.location = (!p.is_empty()).then_some(p);
            }
        }
    }
    // "Protokoll fra møte nr. 3/2018 i ...": the number the title gives.
    if h.number.is_none() {
        if let Some(c) = HEADING_NUMBER.captures(&heading) {
            h.number = c[1].parse().ok();
            h.year = h.year.or_else(|| {
                c.get(2)
                    .and_then(|y| y.as_str().parse().ok())
                    .map(|y: u32| full_year(y, None))
            });
        }
    }
    // A two-digit year is read against the date; the year comes from the date if the number
    // has none.
    if let (Some(y), Some(d)) = (h.year, h.date.as_deref()) {
        let dy: i32 = d[..4].parse().unwrap_or(y);
        if y % 100 == dy % 100 {
            h.year = Some(dy);
        }
    }
    if h.year.is_none() {
        h.year = h.date.as_deref().and_then(|d| d[..4].parse().ok());
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    #[test]
    fn labelled_header() {
        let v = Vocabulary::builtin();
        let h = parse_header(
            &tl("Møte i NUFA\nMøte\n4/23\nDato\n7. juni 2023\nTid\nKl. 09.00 – 11.30\nSted\nMøterom 3,\nOslo\nMedlemmer\nOla Nordmann (KS)"),
            &v,
        );
        assert_eq!(h.body.as_deref(), Some("NUFA"));
        assert_eq!((h.number, h.year), (Some(4), Some(2023)));
        assert_eq!(h.date.as_deref(), Some("2023-06-07"));
        assert_eq!(h.start_time.as_deref(), Some("09:00"));
        assert_eq!(h.end_time.as_deref(), Some("11:30"));
        assert_eq!(h.location.as_deref(), Some("Møterom 3, Oslo"));
        assert_eq!(h.end, 10);
    }

    #[test]
    fn a_secretariat_list_ends_the_header() {
        // The place is the one value that runs over lines; the list after it is not part of it.
        let v = Vocabulary::builtin();
        let h = parse_header(
            &tl("Møte i NUFA\nMøte\n4/23\nDato\n7. juni 2023\nSted\nOslo\nSekretariat\nOla Nordmann"),
            &v,
        );
        assert_eq!(h.location.as_deref(), Some("Oslo"));
        assert_eq!(h.end, 7);
    }

    #[test]
    fn unlabelled_and_odd_headers() {
        let v = Vocabulary::builtin();
        let h = parse_header(
            &tl("Ekstra møte i Nasjonalt e-helsestyre - webinar\nMøte 3/20\n9. mars 2020\n11/20\n"),
            &v,
        );
        assert_eq!(h.body.as_deref(), Some("Nasjonalt e-helsestyre"));
        assert_eq!((h.number, h.year), (Some(3), Some(2020)));
        assert_eq!(h.date.as_deref(), Some("2020-03-09"));
        assert_eq!(h.start_time, None);
        let h = parse_header(
            &tl("Referat fra møte i Regionalt fagråd\nMøte\n2/2023\nDato\n4. juni. april 2023\n"),
            &v,
        );
        assert_eq!(h.body.as_deref(), Some("Regionalt fagråd"));
        assert_eq!(h.date, None);
        assert_eq!(h.date_raw.as_deref(), Some("4. juni. april 2023"));
        assert_eq!(h.date_candidates.len(), 2);
        assert_eq!(h.year, Some(2023));
    }
}
#[cfg(test)]
mod seed_tests {
    use super::*;
    #[test]
    fn inline_labels() {
        let v = Vocabulary::builtin();
        let lines: Vec<TextLine> = [
            "Møte i Nasjonalt e-helseråd",
            "Møte 6/2022",
            "Dato 2. desember 2022",
            "Tid Kl. 10.00 – 16.00",
            "Sted Radisson Blu, Gardermoen",
            "Medlemmer Kari Nordmann (Helse Vest RHF)",
            "Ola Nordmann (Helse Midt RHF)",
        ]
        .iter()
        .map(|t| TextLine {
            text: t.to_string(),
            page: 1,
            cell: None,
        })
        .collect();
        let h = parse_header(&lines, &v);
        assert_eq!(h.location.as_deref(), Some("Radisson Blu, Gardermoen"));
        assert_eq!(h.end, 5);
    }
}
