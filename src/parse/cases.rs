//! Case rows of agenda and minutes tables (number, title, time, type, proposed decision,
//! decision, action items, attachments), and the case divider slides of a slide deck.

use std::sync::LazyLock;

use regex::Regex;

use crate::parse::text::{case_heading, case_number, ends_incomplete, join_lines, time_cell};
use crate::segment::{slide_divider, TextLine};
use crate::vocab::Vocabulary;

/// One case as one table row (or slide) gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseRowText {
    pub number: String,
    pub title: Option<String>,
    pub case_type: Option<String>,
    pub time: Option<String>,
    pub proposed: Option<String>,
    pub decision: Option<String>,
    pub actions: Vec<String>,
    /// (label, title)
    pub attachments: Vec<(String, Option<String>)>,
    /// All the row's running text (title, description, decisions), for reference finding.
    pub text_lines: Vec<TextLine>,
    pub page: usize,
}

static ATTACHMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Vedlegg\s+(\d{1,2}[A-Za-z]?)\s*:\s*(.*)$").unwrap());
static ARCHIVE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,4}\s*/\s*\d{1,6}(?:-\d{1,4})?$").unwrap());
static ROW_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}\s*/\s*(?:(?:19|20)\d{2}|\d{2}))\s+(\S.*)$").unwrap());

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Title,
    AfterCells,
    Description,
    Proposed,
    Decision,
    Skip,
    Action,
    AttachmentTitle,
}

/// A label line: the label alone (a colon allowed) or "Label: text". Returns the text after it.
pub fn label_line<'a>(vocab: &Vocabulary, kind: &str, text: &'a str) -> Option<&'a str> {
    if vocab.is_label(kind, text) {
        return Some("");
    }
    let rest = vocab.strip_label(kind, text)?;
    let head = &text[..text.len() - rest.len()];
    head.trim_end().ends_with(':').then_some(rest)
}

/// True when a line ends the row it is in: the next row, a break row, a table header.
fn row_boundary(text: &str, vocab: &Vocabulary) -> bool {
    case_number(text).is_some()
        || ROW_START.is_match(text)
        || case_heading(text).is_some()
        || vocab.is_non_case_row(text)
        || vocab.is_label("case", text)
        || slide_divider(text).is_some()
}

/// A line holding several cells of an agenda row ("Godkjenning 13:00", "Title 10:00
/// Godkjenning"): the leading text, then the time and case-type cells peeled off its end, in
/// their order. None when the line is one cell.
fn split_cells(t: &str, vocab: &Vocabulary) -> Option<Vec<String>> {
    let mut words: Vec<&str> = t.split(' ').collect();
    let mut tail: Vec<String> = Vec::new();
    while words.len() > 1 {
        let last = words[words.len() - 1];
        // Exact spelling: a title may end in a lower-case word that names a case type.
        let is_type = vocab.case_types.iter().any(|c| c == last);
        if time_cell(last).is_some() || is_type {
            tail.push(last.to_string());
            words.pop();
        } else {
            break;
        }
    }
    if tail.is_empty() {
        return None;
    }
    tail.reverse();
    let mut out = vec![words.join(" ")];
    out.extend(tail);
    Some(out)
}

fn starts_lower(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

/// The decision text of the row that stops mid-sentence, if any.
fn dangling(row: &CaseRowText) -> Option<&'static str> {
    let open = |s: &Option<String>| {
        s.as_deref()
            .is_some_and(|t| !t.ends_with(['.', '!', '?', '»', ')', '"']))
    };
    if open(&row.decision) {
        Some("decision")
    } else if open(&row.proposed) {
        Some("proposed")
    } else {
        None
    }
}

fn continue_dangling(row: &mut CaseRowText, t: &str) {
    let field = match dangling(row) {
        Some("decision") => &mut row.decision,
        _ => &mut row.proposed,
    };
    if let Some(text) = field.as_mut() {
        *text = join_lines(&[text.as_str(), t]);
    }
}

/// Parses the table rows in `lines` (the part of an agenda or minutes after the header).
pub fn parse_rows(lines: &[TextLine], vocab: &Vocabulary) -> Vec<CaseRowText> {
    let mut rows: Vec<CaseRowText> = Vec::new();
    let mut cur: Option<CaseRowText> = None;
    let mut state = State::Skip;
    let mut title: Vec<String> = Vec::new();
    let mut para: Vec<String> = Vec::new();

    fn close_para(
        cur: &mut Option<CaseRowText>,
        state: State,
        title: &mut Vec<String>,
        para: &mut Vec<String>,
    ) {
        let Some(row) = cur.as_mut() else {
            para.clear();
            return;
        };
        if !title.is_empty() && row.title.is_none() {
            row.title = Some(join_lines(title));
        }
        title.clear();
        if para.is_empty() {
            return;
        }
        let text = join_lines(para);
        match state {
            State::Proposed if row.proposed.is_none() => row.proposed = Some(text),
            State::Decision if row.decision.is_none() => row.decision = Some(text),
            State::Action => row.actions.push(text),
            State::AttachmentTitle => {
                if let Some(a) = row.attachments.last_mut() {
                    if a.1.is_none() {
                        a.1 = Some(text);
                    }
                }
            }
            _ => {}
        }
        para.clear();
    }

    // Lines split off a line that held several table cells, processed before the next input.
    let mut pending: Vec<TextLine> = Vec::new();
    let mut input = lines.iter();
    // Columns of a case table that hold the archive's number ("Arkivsaksnr."), not the case's:
    // (table, column) of their headings.
    let mut archive_columns: Vec<(usize, usize)> = Vec::new();
    loop {
        let line = match pending.pop() {
            Some(l) => l,
            None => match input.next() {
                Some(l) => l.clone(),
                None => break,
            },
        };
        let line = &line;
        let t = line.text.as_str();
        if let Some(c) = line.cell {
            if archive_columns.contains(&(c.table, c.col)) {
                continue;
            }
            if vocab.is_memo_label("archive", t) {
                archive_columns.push((c.table, c.col));
                continue;
            }
        }
        if slide_divider(t).is_some() {
            break;
        }
        if cur.is_some() && matches!(state, State::Title | State::AfterCells) {
            if let Some(cells) = split_cells(t, vocab) {
                for c in cells.into_iter().rev() {
                    pending.push(TextLine {
                        text: c,
                        page: line.page,
                        cell: line.cell,
                    });
                }
                continue;
            }
        }
        if row_boundary(t, vocab) {
            close_para(&mut cur, state, &mut title, &mut para);
            if let Some(r) = cur.take() {
                rows.push(r);
            }
            state = State::Skip;
            if case_number(t).is_some() {
                cur = Some(CaseRowText {
                    number: t.to_string(),
                    page: line.page,
                    ..Default::default()
                });
                state = State::Title;
            } else if let Some((number, rest)) = case_heading(t) {
                cur = Some(CaseRowText {
                    number,
                    page: line.page,
                    ..Default::default()
                });
                if !rest.is_empty() {
                    pending.push(TextLine {
                        text: rest,
                        page: line.page,
                        cell: line.cell,
                    });
                }
                state = State::Title;
            } else if let Some(c) = ROW_START.captures(t) {
                cur = Some(CaseRowText {
                    number: c[1].to_string(),
                    page: line.page,
                    ..Default::default()
                });
                // The rest may hold the title and the cells beside it.
                pending.push(TextLine {
                    text: c[2].to_string(),
                    page: line.page,
                    cell: line.cell,
                });
                state = State::Title;
            }
            continue;
        }
        let Some(row) = cur.as_mut() else {
            continue;
        };
        if vocab.is_label("topic", t) || vocab.is_label("case_type", t) || vocab.is_label("time", t)
        {
            continue;
        }
        if let Some(ct) = vocab.case_type(t) {
            if !matches!(state, State::Description) || para.is_empty() {
                close_para(&mut cur, state, &mut title, &mut para);
                let row = cur.as_mut().expect("row is open");
                if row.case_type.is_none() {
                    row.case_type = Some(ct.to_string());
                }
                state = State::AfterCells;
                continue;
            }
        }
        if let Some(tm) = time_cell(t) {
            close_para(&mut cur, state, &mut title, &mut para);
            let row = cur.as_mut().expect("row is open");
            if row.time.is_none() {
                row.time = Some(tm);
            }
            state = State::AfterCells;
            continue;
        }
        row.text_lines.push(line.clone());
        if label_line(vocab, "new_decision", t).is_some() {
            close_para(&mut cur, state, &mut title, &mut para);
            state = State::Skip;
            continue;
        }
        if let Some(rest) = label_line(vocab, "proposed_decision", t) {
            close_para(&mut cur, state, &mut title, &mut para);
            state = State::Proposed;
            if !rest.is_empty() {
                para.push(rest.to_string());
            }
            continue;
        }
        if let Some(rest) = label_line(vocab, "decision", t) {
            close_para(&mut cur, state, &mut title, &mut para);
            state = State::Decision;
            if !rest.is_empty() {
                para.push(rest.to_string());
            }
            continue;
        }
        if let Some(rest) = label_line(vocab, "action_item", t) {
            close_para(&mut cur, state, &mut title, &mut para);
            state = State::Action;
            if !rest.is_empty() {
                para.push(rest.to_string());
            }
            continue;
        }
        if let Some(c) = ATTACHMENT.captures(t) {
            close_para(&mut cur, state, &mut title, &mut para);
            let row = cur.as_mut().expect("row is open");
            row.attachments.push((c[1].to_uppercase(), None));
            state = State::AttachmentTitle;
            if !c[2].trim().is_empty() {
                para.push(c[2].to_string());
            }
            continue;
        }
        match state {
            // "13/7074" in a column beside the title: the archive's number, never a title.
            State::Title if title.is_empty() && ARCHIVE_NUMBER.is_match(t) => {}
            State::Title => {
                let continues = title.is_empty()
                    || title.last().is_some_and(|l| ends_incomplete(l))
                    || t.chars().next().is_some_and(|c| !c.is_uppercase());
                if continues {
                    title.push(t.to_string());
                } else {
                    close_para(&mut cur, state, &mut title, &mut para);
                    state = State::Description;
                }
            }
            State::AfterCells => {
                // A title cell wrapped past the time and type cells (line-level extraction).
                let row = cur.as_mut().expect("row is open");
                let continues =
                    row.title.as_deref().is_some_and(ends_incomplete) && !t.ends_with('.');
                if continues {
                    if let Some(tl) = row.title.as_mut() {
                        *tl = join_lines(&[tl.as_str(), t]);
                    }
                } else if starts_lower(t) && dangling(row).is_some() {
                    continue_dangling(row, t);
                } else {
                    state = State::Description;
                }
            }
            State::AttachmentTitle => {
                let row = cur.as_mut().expect("row is open");
                let title_done =
                    !para.is_empty() && !para.last().is_some_and(|l| ends_incomplete(l));
                if title_done && starts_lower(t) && dangling(row).is_some() {
                    // The rest of a decision cell, printed after the cells beside it
                    // (line-level extraction of a table row that spans pages).
                    continue_dangling(row, t);
                } else if !(t.starts_with('(') && t.ends_with(')')) {
                    // "(separat vedlegg i excel)": a remark, not part of the title.
                    para.push(t.to_string());
                }
            }
            State::Proposed | State::Decision | State::Action => para.push(t.to_string()),
            State::Description | State::Skip => {}
        }
    }
    close_para(&mut cur, state, &mut title, &mut para);
    if let Some(r) = cur.take() {
        rows.push(r);
    }
    rows
}

/// Parses the case divider slides of a deck: "Sak 9/21: Title", then the slides up to the next
/// divider; "Forslag til vedtak" there gives the proposed decision.
pub fn parse_slides(lines: &[TextLine], vocab: &Vocabulary) -> Vec<CaseRowText> {
    let mut rows: Vec<CaseRowText> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((number, title)) = slide_divider(&lines[i].text) else {
            i += 1;
            continue;
        };
        let mut row = CaseRowText {
            number,
            title: Some(title),
            page: lines[i].page,
            ..Default::default()
        };
        row.text_lines.push(lines[i].clone());
        let mut j = i + 1;
        // A divider title wrapped onto the next line.
        if j < lines.len()
            && lines[j].page == lines[i].page
            && row
                .title
                .as_deref()
                .is_some_and(|t| ends_incomplete(t) || t.ends_with('.'))
            && !vocab.is_label("proposed_decision", &lines[j].text)
        {
            let t = row.title.take().unwrap_or_default();
            row.title = Some(join_lines(&[t.as_str(), lines[j].text.as_str()]));
            row.text_lines.push(lines[j].clone());
            j += 1;
        }
        while j < lines.len() && slide_divider(&lines[j].text).is_none() {
            let t = lines[j].text.as_str();
            row.text_lines.push(lines[j].clone());
            if let Some(rest) = label_line(vocab, "proposed_decision", t) {
                let page = lines[j].page;
                let mut para: Vec<&str> = Vec::new();
                if !rest.is_empty() {
                    para.push(rest);
                }
                let mut k = j + 1;
                while k < lines.len() && lines[k].page == page {
                    let n = lines[k].text.as_str();
                    if slide_divider(n).is_some()
                        || vocab.organisation(n).is_some()
                        || lines.get(k + 1).is_some_and(|m| {
                            vocab.organisation(&format!("{n} {}", m.text)).is_some()
                        })
                        || label_line(vocab, "proposed_decision", n).is_some()
                    {
                        break;
                    }
                    para.push(n);
                    k += 1;
                }
                if !para.is_empty() && row.proposed.is_none() {
                    row.proposed = Some(join_lines(&para));
                }
            }
            j += 1;
        }
        rows.push(row);
        i = j;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    #[test]
    fn agenda_table_with_breaks_and_wrapped_titles() {
        let v = Vocabulary::builtin();
        let rows = parse_rows(
            &tl("Sak\nTema\nTidspunkt\nSakstype\n7/24\nÅpning av møtet\n09:00\nGodkjenning\n8/24\nStatus for arbeidet med\n09:10\nDrøfting\nkodeverk og terminologi\nLunsj\n11:30\n9/24\nEventuelt\n12:00\n"),
            &v,
        );
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.number.as_str(),
                    r.title.as_deref(),
                    r.time.as_deref(),
                    r.case_type.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "7/24",
                    Some("Åpning av møtet"),
                    Some("09:00"),
                    Some("Godkjenning")
                ),
                (
                    "8/24",
                    Some("Status for arbeidet med kodeverk og terminologi"),
                    Some("09:10"),
                    Some("Drøfting")
                ),
                ("9/24", Some("Eventuelt"), Some("12:00"), None),
            ]
        );
    }

    #[test]
    fn cells_on_one_line() {
        let v = Vocabulary::builtin();
        let rows = parse_rows(
            &tl("5/23 Åpning av møtet 09:00 Godkjenning\n6/23\nStatus for arbeidet med 09:15\nDrøfting\nkodeverk\n7/23 Innspill til høring\nDrøfting 10:00\n"),
            &v,
        );
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.title.as_deref(),
                    r.time.as_deref(),
                    r.case_type.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("Åpning av møtet"), Some("09:00"), Some("Godkjenning")),
                (
                    Some("Status for arbeidet med kodeverk"),
                    Some("09:15"),
                    Some("Drøfting")
                ),
                (Some("Innspill til høring"), Some("10:00"), Some("Drøfting")),
            ]
        );
    }

    #[test]
    fn case_table_with_proposals_decisions_and_attachments() {
        let v = Vocabulary::builtin();
        let rows = parse_rows(
            &tl("7/24\nGodkjenning av referat fra\nforrige møte\nForslag til vedtak:\nRådet godkjenner\nreferatet.\nGodkjenning\nVedlegg 1:\nReferat fra møtet\nVedlegg 1A:\nTabell\n(separat vedlegg i excel)\n8/24\nSaken gjelder noe\nDet kom ingen innspill.\nNytt vedtak:\nEt annet organ vedtok noe.\nVedtak:\nRådet tar saken til e-\nhelse orientering.\n9/24\nEventuelt\nAksjonspunkt:\nSekretariatet følger opp.\n"),
            &v,
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].title.as_deref(),
            Some("Godkjenning av referat fra forrige møte")
        );
        assert_eq!(
            rows[0].proposed.as_deref(),
            Some("Rådet godkjenner referatet.")
        );
        assert_eq!(rows[0].case_type.as_deref(), Some("Godkjenning"));
        assert_eq!(
            rows[0].attachments,
            vec![
                ("1".into(), Some("Referat fra møtet".into())),
                ("1A".into(), Some("Tabell".into()))
            ]
        );
        assert_eq!(rows[1].title.as_deref(), Some("Saken gjelder noe"));
        assert_eq!(
            rows[1].decision.as_deref(),
            Some("Rådet tar saken til e-helse orientering.")
        );
        assert_eq!(rows[1].proposed, None);
        assert_eq!(
            rows[2].actions,
            vec!["Sekretariatet følger opp.".to_string()]
        );
    }

    #[test]
    fn slides_give_titles_and_proposals() {
        let v = Vocabulary::builtin();
        let lines: Vec<TextLine> = [
            ("Sak 3/23: Status for", 2),
            ("arbeidet", 2),
            ("Forslag til vedtak", 3),
            ("NUFA tar saken til", 3),
            ("orientering.", 3),
            ("Neste side", 4),
            ("Sak 4/23: Eventuelt", 5),
        ]
        .iter()
        .map(|(t, p)| TextLine {
            text: t.to_string(),
            page: *p,
            cell: None,
        })
        .collect();
        let rows = parse_slides(&lines, &v);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].title.as_deref(), Some("Status for arbeidet"));
        assert_eq!(
            rows[0].proposed.as_deref(),
            Some("NUFA tar saken til orientering.")
        );
        assert_eq!(rows[1].number, "4/23");
    }
}
