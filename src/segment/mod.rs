//! Stage 3, segment: which logical document (agenda, minutes, case memo, attachment, slides,
//! mandate) each part of a PDF is.
//!
//! Works on the document's body text as a sequence of lines (one per block), so that it gives
//! the same answer whether extraction yields one block per printed line or one per paragraph or
//! table cell. A segment is a range of those lines; its pages are where the lines sit.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::{BlockRole, TextDocument};
use crate::parse::text::{case_number, clean, similarity};
use crate::vocab::Vocabulary;

/// One block of body text and the page it is on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub page: usize,
    /// Where the line sits when it is in a table cell: lines of one row share `table` and
    /// `row`, so a row whose empty cells left no line is still read as one row.
    pub cell: Option<CellPos>,
}

/// A table cell's place: `table` numbers the document's tables in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPos {
    pub table: usize,
    pub row: usize,
    pub col: usize,
}

/// Test fixtures: one line per line of `text`, all on page 1.
#[cfg(test)]
pub(crate) fn lines_of(text: &str) -> Vec<TextLine> {
    text.lines()
        .map(|l| TextLine {
            text: l.to_string(),
            page: 1,
            cell: None,
        })
        .collect()
}

/// A range of lines and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// 1-based, inclusive.
    pub first_page: usize,
    pub last_page: usize,
    /// Indices into [`lines`] of the segment's first and last line (inclusive).
    pub first_line: usize,
    pub last_line: usize,
    /// For a case memo (and what is attached to it): the case number it is about.
    pub case_number: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    Agenda,
    Minutes,
    CaseMemo,
    Attachment,
    Slides,
    Mandate,
    Other,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Agenda => "agenda",
            SegmentKind::Minutes => "minutes",
            SegmentKind::CaseMemo => "case_memo",
            SegmentKind::Attachment => "attachment",
            SegmentKind::Slides => "slides",
            SegmentKind::Mandate => "mandate",
            SegmentKind::Other => "other",
        }
    }
}

static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(side|page)\s+\d+(\s+(av|of)\s+\d+)?$").unwrap());
/// A list marker printed on a line of its own ("1.", "•"): no content.
static LIST_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2}[.)]|[a-z][.)]|[•▪◦·●■–-])$").unwrap());
/// A list marker at the start of a line ("1. Rådet tar ...", "• Statsbudsjettet"): printed by
/// the list, not part of the text.
static LEADING_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}\.|[•▪◦·●■])\s+(\p{Lu})").unwrap());
/// A line that opens with a date ("Onsdag 5. november 2014 kl 10", "21. august"): the date
/// line of a header.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\p{L}+dag,?\s+(?:den\s+)?)?\d{1,2}\.\s*\p{L}{3,}").unwrap()
});
static SLIDE_DIVIDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Sak\s*(\d{1,3}/\d{2,4})\s*:\s*(.*)$").unwrap());
/// "møte nr. 3/2018 i ", "styremøte nr 4 for ": a numbered meeting before its body's name.
pub static NUMBERED_MEETING_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\w*møte[t]?\s+)?nr\.?\s*(\d{1,3})(?:\s*/\s*(\d{4}|\d{2}))?\s+(?:i|for)\s+")
        .unwrap()
});

static MEETING_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^møte\s+\d{1,3}\s*/\s*\d{2,4}$").unwrap());

/// "Sak 9/21: Title" (a slide that opens a case): the case number and the title.
pub fn slide_divider(text: &str) -> Option<(String, String)> {
    let c = SLIDE_DIVIDER.captures(text)?;
    Some((c[1].to_string(), c[2].trim().to_string()))
}

/// The body text of a document, one entry per printed line, running headers, footers and
/// page-number lines left out.
///
/// Printed lines rather than blocks: a block may join what the parser must keep apart (list
/// entries separated only by line breaks), while the parser's own continuation rules join
/// wrapped lines where they belong together. A block without line geometry (plain text) is
/// one line.
pub fn lines(doc: &TextDocument) -> Vec<TextLine> {
    let mut out = Vec::new();
    let mut tables_before = 0;
    for page in &doc.pages {
        for b in &page.blocks {
            let cell = match b.role {
                BlockRole::Cell { table, row, col } => Some(CellPos {
                    table: tables_before + table,
                    row,
                    col,
                }),
                _ => None,
            };
            if matches!(b.role, BlockRole::Header | BlockRole::Footer) {
                continue;
            }
            let block_text = clean(&b.text);
            if block_text.is_empty() || PAGE_NUMBER.is_match(&block_text) {
                continue;
            }
            let texts: Vec<String> = if b.lines.len() > 1 {
                b.lines.iter().map(|l| clean(&l.text())).collect()
            } else {
                vec![block_text]
            };
            for text in texts {
                let text = LEADING_MARKER.replace(&text, "$1").into_owned();
                if text.is_empty() || PAGE_NUMBER.is_match(&text) || LIST_MARKER.is_match(&text) {
                    continue;
                }
                out.push(TextLine {
                    text,
                    page: page.number,
                    cell,
                });
            }
        }
        tables_before += page.tables.len();
    }
    out
}

/// True when `text` is the memo label `kind`, alone or followed by its value.
fn memo_label_line(vocab: &Vocabulary, kind: &str, text: &str) -> bool {
    vocab.is_memo_label(kind, text)
        || vocab
            .memo_label(kind)
            .iter()
            .any(|x| text.starts_with(&format!("{x} ")) || text.starts_with(&format!("{x}:")))
}

/// The last line of the toppnotat box that starts at `i`.
fn memo_box_end(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> usize {
    let kinds = [
        "to",
        "date",
        "case_number",
        "type",
        "from",
        "owner",
        "case_officer",
        "copy",
        "responsible",
        "archive",
        "committee",
    ];
    // Labels follow each other with at most a few value lines between them (a row of four
    // values under a row of four labels).
    let mut last = i;
    for (j, line) in lines.iter().enumerate().take(i + 20).skip(i + 1) {
        if j > last + 4 {
            break;
        }
        if kinds.iter().any(|k| memo_label_line(vocab, k, &line.text)) {
            last = j;
        }
    }
    last + 1
}

/// The memo fields of a case system's box (ESA, ACOS WebSak, ePhorte: "Saksbehandler: X",
/// "Arkiv: G70", "Arkivsaksnr.: 08/46", a row "Saksnr. | Utvalg | Møtedato" over the case's
/// path through the bodies).
const CASE_SYSTEM_FIELDS: [&str; 5] = [
    "case_officer",
    "archive",
    "case_number",
    "committee",
    "date",
];

/// True when line `i` is the first label of a case system's box: within a dozen lines, labels
/// of three kinds or more, among them the case number and who handles the case (which a
/// meeting header or a case list never gives).
fn case_system_box_at(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> bool {
    let kind_of = |t: &str| {
        CASE_SYSTEM_FIELDS
            .into_iter()
            .find(|k| memo_label_line(vocab, k, t))
    };
    if kind_of(&lines[i].text).is_none() || (i > 0 && kind_of(&lines[i - 1].text).is_some()) {
        return false;
    }
    let mut kinds: Vec<&str> = Vec::new();
    for l in &lines[i..lines.len().min(i + 12)] {
        if let Some(k) = kind_of(&l.text) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    kinds.len() >= 3 && kinds.contains(&"case_number") && kinds.contains(&"case_officer")
}

/// The value of the box label at line `i`: after the label on its line, else under it in the
/// next row of its table column (a row of labels over a row of values), else beside it in the
/// next cell, else on the next line.
pub fn box_value(lines: &[TextLine], i: usize, rest: &str, vocab: &Vocabulary) -> Option<String> {
    if !rest.trim().is_empty() {
        return Some(rest.trim().to_string());
    }
    let here = lines.get(i)?;
    if let Some(c) = here.cell {
        let at = |row: usize, col: usize| {
            lines[i + 1..lines.len().min(i + 30)]
                .iter()
                .find(|l| {
                    l.cell
                        .is_some_and(|x| x.table == c.table && x.row == row && x.col == col)
                })
                .map(|l| l.text.clone())
        };
        // Labels side by side in one row: the values are in the row below.
        let row: Vec<&TextLine> = lines
            .iter()
            .filter(|l| l.cell.is_some_and(|x| x.table == c.table && x.row == c.row))
            .collect();
        let label_row = row.len() >= 2 && row.iter().all(|l| vocab.is_known_label(&l.text));
        return if label_row {
            at(c.row + 1, c.col)
        } else {
            at(c.row, c.col + 1)
        };
    }
    lines.get(i + 1).map(|l| l.text.clone())
}

/// True when line `i` opens a toppnotat box (Til ... Saksnummer ...).
fn memo_box_at(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> Option<bool> {
    let t = &lines[i].text;
    if case_system_box_at(lines, i, vocab) {
        return Some(true);
    }
    let is_to = vocab.is_memo_label("to", t)
        || vocab
            .memo_label("to")
            .iter()
            .any(|l| t.starts_with(&format!("{l} ")) && MEETING_NO.is_match(t[l.len()..].trim()));
    if !is_to {
        return None;
    }
    let window = &lines[i + 1..lines.len().min(i + 14)];
    let has = |kind: &str| window.iter().any(|l| memo_label_line(vocab, kind, &l.text));
    if has("case_number") {
        Some(true)
    } else if has("from") && (has("date") || has("case_officer")) {
        Some(false)
    } else {
        None
    }
}

/// The meeting a heading line opens, if it is one: an agenda ("Møte i ...", "Møteinnkalling",
/// "Innkalling til møte i ...") or minutes ("Referat fra møte i ...", "Møteprotokoll",
/// "Protokoll fra styremøte i ..."). A title needs meeting details: a header label (date,
/// time, place, number, body) in the lines after it, or a date in the title itself.
pub fn meeting_heading(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> Option<SegmentKind> {
    let (kind, rest) = meeting_title(&lines[i].text, vocab)?;
    // A bare title ("Møteprotokoll") is one word of many in a document: only a header
    // right under (or over) it makes it a meeting's title.
    let reach = if rest.is_empty() { 5 } else { 8 };
    let window = &lines[i + 1..lines.len().min(i + 1 + reach)];
    let dated = !rest.is_empty() && !crate::parse::text::word_dates(rest, vocab).is_empty();
    let detail = |l: &TextLine| {
        names_meeting(l, vocab)
            || crate::parse::participants::is_list_label(&l.text, vocab)
            || vocab.is_label("body_kind", &l.text)
            || vocab.is_label("agenda_list", &l.text)
            // "Møtet ble satt 30. april 2018 ...", "Det avholdes styremøte ... 19. februar 2004".
            || (l.text.to_lowercase().contains("møte")
                && crate::parse::text::word_dates(&l.text, vocab)
                    .iter()
                    .any(|d| d.year.is_some()))
    };
    // "Vedlegg 1: Referat fra ...": an attachment's title, not a heading.
    let attachment_title = i > 0
        && vocab
            .strip_label("attachment", &lines[i - 1].text)
            .is_some();
    (!attachment_title && (window.iter().any(detail) || dated || header_above(lines, i, vocab) < i))
        .then_some(kind)
}

/// True when the title at line `i` says which meeting it is: it names a body or a date, or
/// header fields (not only a participant list) come with it.
fn has_identity(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> bool {
    let Some((_, rest)) = meeting_title(&lines[i].text, vocab) else {
        return false;
    };
    let window = &lines[i + 1..lines.len().min(i + 6)];
    !rest.is_empty()
        || window.iter().any(|l| names_meeting(l, vocab))
        || header_above(lines, i, vocab) < i
}

/// A line under a title that says which meeting it is: a header field or a date line.
fn names_meeting(l: &TextLine, vocab: &Vocabulary) -> bool {
    header_label(l, vocab) || (l.text.len() <= 60 && DATE_LINE.is_match(&l.text))
}

/// True when a line is a header field's label, alone or with its value after a colon.
fn header_label(l: &TextLine, vocab: &Vocabulary) -> bool {
    let t = l.text.as_str();
    HEADER_FIELDS.iter().any(|k| {
        vocab.is_label(k, t)
            || vocab.strip_label(k, t).is_some_and(|r| {
                let head = &t[..t.len() - r.len()];
                !r.is_empty() && head.trim_end().ends_with(':')
            })
    }) || MEETING_NO.is_match(t)
}

/// Where a header that is printed over its title starts ("Møtedato: ... Møtested: ...",
/// then "Møtebok for Fellesnemnd"): the first of the header lines right above line `i`, or
/// `i` when there are none.
fn header_above(lines: &[TextLine], i: usize, vocab: &Vocabulary) -> usize {
    let mut start = i;
    let mut labels = 0;
    let mut j = i;
    while j > 0 && i - j < 8 {
        j -= 1;
        if header_label(&lines[j], vocab) {
            start = j;
            labels += 1;
        } else if start - j > 1 {
            break;
        }
    }
    // One "Dato:" in a letterhead is no meeting header.
    if labels >= 2 {
        start
    } else {
        i
    }
}

/// The header labels that show a title line opens a meeting (and that the header parser
/// reads).
pub const HEADER_FIELDS: [&str; 6] = ["meeting", "date", "time", "place", "date_place", "body"];

/// A meeting title and what follows the title words (the body, a date, or nothing).
pub fn meeting_title<'a>(text: &'a str, vocab: &Vocabulary) -> Option<(SegmentKind, &'a str)> {
    // A title is a heading: it starts with a capital and is no sentence.
    if text.chars().count() > 160
        || text.ends_with('.')
        || !text.chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    let (kind, rest, spelling) = [
        ("minutes_title", SegmentKind::Minutes),
        ("agenda_title", SegmentKind::Agenda),
    ]
    .into_iter()
    .filter_map(|(label, kind)| {
        let (spelling, rest) = vocab.strip_label_spelling(label, text)?;
        Some((kind, rest, spelling))
    })
    .max_by_key(|(_, rest, _)| std::cmp::Reverse(rest.len()))?;
    // "Protokoll fra møte nr. 3/2018 i universitetsstyret": the meeting's number between the
    // title words and the body.
    if let Some(c) = NUMBERED_MEETING_IN.captures(rest) {
        let body = &rest[c.get(0).map_or(0, |m| m.end())..];
        if !body.is_empty() {
            return Some((kind, body));
        }
    }
    // "Styremøte nr. 4/2008": a bare title with the meeting's number.
    if let Some(m) = TITLE_NUMBER.find(rest) {
        let after = rest[m.end()..].trim();
        if after.is_empty() || after.starts_with(char::is_uppercase) {
            return Some((kind, after));
        }
    }
    // "Innkalling og saksliste vert godkjent", "Møteprotokoll frå forrige møte vert godkjent"
    // are sentences: after the title words comes a capitalised name, or a lower-case one only
    // where the title ends in "møte i" ("Innkalling til møte i styret for ...").
    let named = rest
        .chars()
        .next()
        .is_none_or(|c| c.is_uppercase() || c.is_ascii_digit());
    let in_body = spelling.ends_with(" i") && spelling.contains(' ');
    (named || in_body).then_some((kind, rest))
}

static TITLE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:nr)\.?\s*\d{1,3}\s*/\s*(?:\d{4}|\d{2})\b").unwrap());

/// Titles of the agenda rows (the line after a case-number line), for spotting memos that
/// have no metadata box.
fn agenda_titles(lines: &[TextLine]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for w in lines.windows(2) {
        if case_number(&w[0].text).is_some() {
            out.push((w[0].text.clone(), w[1].text.clone()));
        }
    }
    out
}

/// Splits a document into segments.
pub fn segment(doc: &TextDocument, vocab: &Vocabulary) -> Vec<Segment> {
    let lines = lines(doc);
    segment_lines(doc, &lines, vocab)
}

/// Splits already flattened lines (see [`lines`]) into segments.
pub fn segment_lines(doc: &TextDocument, lines: &[TextLine], vocab: &Vocabulary) -> Vec<Segment> {
    if lines.is_empty() {
        return Vec::new();
    }
    let titles = agenda_titles(lines);
    // Slide decks first: inside one, headings such as "Mandat for ..." are slide titles, not
    // documents of their own.
    let headings: Vec<(usize, SegmentKind)> = (0..lines.len())
        .filter_map(|i| meeting_heading(lines, i, vocab).map(|k| (i, k)))
        .collect();
    let mut deck_ranges: Vec<(usize, usize)> = Vec::new();
    for (k, (i, kind)) in headings.iter().enumerate() {
        let end = headings.get(k + 1).map_or(lines.len(), |h| h.0);
        if *kind == SegmentKind::Agenda && is_slide_deck(doc, &lines[*i..end]) {
            deck_ranges.push((*i, end));
        }
    }
    let in_deck = |i: usize| deck_ranges.iter().any(|(a, b)| *a < i && i < *b);
    let mut starts: Vec<(usize, SegmentKind, Option<String>)> = Vec::new();
    let mut last_box: Option<usize> = None;
    for i in 0..lines.len() {
        let t = &lines[i].text;
        if let Some(kind) = meeting_heading(lines, i, vocab) {
            let kind = if deck_ranges.iter().any(|(a, _)| *a == i) {
                SegmentKind::Slides
            } else {
                kind
            };
            // A second title inside the first one's header ("Komitémøte X", then "Status:
            // Referat"), or a bare section title with nothing of its own ("Protokoll" over the
            // attendance, after "Møteprotokoll / Kommunestyret"), goes on with the meeting.
            if let Some(prev) = starts.last_mut() {
                let meeting = matches!(prev.1, SegmentKind::Agenda | SegmentKind::Minutes);
                let in_header = i - prev.0 <= 8
                    && !lines[prev.0..i]
                        .iter()
                        .any(|l| case_number(&l.text).is_some() || vocab.is_label("case", &l.text));
                if meeting && in_header {
                    if kind == SegmentKind::Minutes {
                        prev.1 = kind;
                    }
                    continue;
                }
                if meeting && prev.1 == kind && !has_identity(lines, i, vocab) {
                    continue;
                }
                // The title repeated as a running line ("Styremøte nr. 4/2008 Høgskolen i
                // Gjøvik" at the foot of each page): the same meeting.
                let repeated = starts.iter().any(|s| {
                    let first = lines[s.0].text.as_str();
                    first.len() >= 12 && lines[i].text.starts_with(first)
                });
                if meeting && repeated {
                    continue;
                }
            }
            // The header printed over the title belongs to the meeting.
            let after_last = starts.last().map_or(0, |s| s.0 + 1);
            let start = header_above(lines, i, vocab).max(after_last);
            starts.push((start, kind, None));
            continue;
        }
        if in_deck(i) {
            continue;
        }
        let in_box = last_box.is_some_and(|b| i < b);
        if let Some(is_memo) = (!in_box).then(|| memo_box_at(lines, i, vocab)).flatten() {
            last_box = Some(memo_box_end(lines, i, vocab));
            if is_memo {
                let number = (i..lines.len().min(i + 14))
                    .find_map(|j| {
                        let rest = vocab.strip_memo_label("case_number", &lines[j].text)?;
                        box_value(lines, j, rest, vocab)
                    })
                    .filter(|v| case_number(v).is_some());
                starts.push((i, SegmentKind::CaseMemo, number));
            } else {
                starts.push((i, SegmentKind::Attachment, None));
            }
            continue;
        }
        // A note attached to a memo that opens with its own date line ("Dato: 18.11.2022").
        if t.contains(':')
            && vocab.strip_label("date", t).is_some_and(|r| {
                !crate::parse::text::numeric_dates(r, None).is_empty() && r.len() <= 12
            })
            && last_box.is_none_or(|b| i > b + 1)
        {
            starts.push((i, SegmentKind::Attachment, None));
            continue;
        }
        // "Mandat for ..." as a heading, not as an attachment's title in a table.
        let after_attachment_label = i > 0 && lines[i - 1].text.starts_with("Vedlegg");
        if vocab
            .strip_label("mandate_title", t)
            .is_some_and(|r| !r.is_empty())
            && t.chars().count() <= 100
            && !t.ends_with('.')
            && !after_attachment_label
        {
            starts.push((i, SegmentKind::Mandate, None));
            continue;
        }
        // A memo without a metadata box: a heading that names an agenda case, then the
        // "Forslag til vedtak" label.
        if i + 1 < lines.len()
            && vocab.is_label("proposed_decision", &lines[i + 1].text)
            && !lines[i + 1].text.ends_with(':')
            && last_box.is_none_or(|b| i > b + 3)
            && slide_divider(t).is_none()
        {
            if let Some((num, _)) = titles
                .iter()
                .filter(|(_, title)| similarity(title, t) >= 0.75)
                .max_by(|a, b| {
                    similarity(&a.1, t)
                        .partial_cmp(&similarity(&b.1, t))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            {
                starts.push((i, SegmentKind::CaseMemo, Some(num.clone())));
                last_box = Some(i);
            }
        }
    }
    let mut segments = Vec::new();
    if starts.first().is_none_or(|s| s.0 > 0) {
        let end = starts.first().map_or(lines.len(), |s| s.0);
        segments.push(make(lines, 0, end - 1, SegmentKind::Other, None));
    }
    let mut memo_case: Option<String> = None;
    for (k, (start, kind, number)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |s| s.0) - 1;
        let kind = *kind;
        let mut number = number.clone();
        match kind {
            SegmentKind::CaseMemo => memo_case = number.clone(),
            SegmentKind::Attachment | SegmentKind::Mandate => number = memo_case.clone(),
            SegmentKind::Agenda | SegmentKind::Minutes | SegmentKind::Slides => memo_case = None,
            _ => {}
        }
        segments.push(make(lines, *start, end, kind, number));
    }
    segments
}

/// A meeting document printed as slides: landscape pages, or case divider slides.
fn is_slide_deck(doc: &TextDocument, lines: &[TextLine]) -> bool {
    let dividers = lines
        .iter()
        .filter(|l| slide_divider(&l.text).is_some())
        .count();
    let landscape = lines.first().is_some_and(|l| {
        doc.pages
            .iter()
            .find(|p| p.number == l.page)
            .is_some_and(|p| p.width > p.height * 1.1)
    });
    dividers >= 2 || landscape
}

fn make(
    lines: &[TextLine],
    first: usize,
    last: usize,
    kind: SegmentKind,
    case_number: Option<String>,
) -> Segment {
    Segment {
        kind,
        first_page: lines[first].page,
        last_page: lines[last].page,
        first_line: first,
        last_line: last,
        case_number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SegmentKind, Option<String>)> {
        let doc = TextDocument::from_plain_text(text);
        segment(&doc, &Vocabulary::builtin())
            .into_iter()
            .map(|s| (s.kind, s.case_number))
            .collect()
    }

    #[test]
    fn agenda_minutes_and_memo_are_told_apart() {
        let text =
            "Møte i Nasjonalt e-helseråd\nMøte\n3/2024\nDato\n5. mars 2024\nSak\n10/24\nÅpning\n\
Referat fra møte i Nasjonalt e-helseråd\nMøte\n2/2024\nDato\n1. februar 2024\n\
Til\nMøte 3/24\nDato\n05.03.2024\nSaksnummer\n10/24\nType\nOrientering\nFra\nOla Nordmann\n\
Åpning\nForslag til vedtak\nRådet tar saken til orientering.\n\
Dato: 01.03.2024\nEt vedlagt notat\n";
        assert_eq!(
            kinds(text),
            vec![
                (SegmentKind::Agenda, None),
                (SegmentKind::Minutes, None),
                (SegmentKind::CaseMemo, Some("10/24".into())),
                (SegmentKind::Attachment, Some("10/24".into())),
            ]
        );
    }

    #[test]
    fn slide_decks_and_mandates() {
        let text = "Ekstra møte i NUFA - webinar\nMøte 4/23\n7. mai 2023\n5/23\nÅpning\n\
Sak 5/23: Åpning\nForslag til vedtak\nTekst\nSak 6/23: Neste\n";
        assert_eq!(kinds(text), vec![(SegmentKind::Slides, None)]);
        let text = "Mandat for arbeidsgruppe for kodeverk\n1. Bakgrunn\nTekst.\n";
        assert_eq!(kinds(text), vec![(SegmentKind::Mandate, None)]);
    }

    #[test]
    fn page_number_lines_are_dropped() {
        let doc = TextDocument::from_plain_text(
            "Side 3\nTekst\n\u{c}side 4 av 9\n2.\n•\nMer\n2. Rådet tar\n1. januar 2020\n",
        );
        let l = lines(&doc);
        let got: Vec<_> = l.iter().map(|l| (l.text.as_str(), l.page)).collect();
        assert_eq!(
            got,
            vec![
                ("Tekst", 1),
                ("Mer", 2),
                ("Rådet tar", 2),
                ("1. januar 2020", 2)
            ]
        );
    }

    #[test]
    fn memo_without_box_is_found_by_its_agenda_title() {
        let text =
            "Møte i NUIT\nMøte\n4/2023\nSak\n12/23\nEtablering av et nytt fagråd\nDrøfting\n\
Til\nMøte 4/23\nSaksnummer\n11/23\nFra\nKari\nTekst\n\
Tekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\nTekst\n\
Etablering av nytt fagråd\nForslag til vedtak\nNUIT støtter etableringen.\n";
        let k = kinds(text);
        assert_eq!(
            k.last().unwrap(),
            &(SegmentKind::CaseMemo, Some("12/23".into()))
        );
    }
}
