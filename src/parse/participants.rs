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
    if let Some(kind) = vocab.label_kind(&LIST_LABELS, text) {
        return list_label_of_kind(kind, minutes);
    }
    // A label in words of its own ("Forfall var meldt fra flg. medlemmer:").
    if is_label_line(text) {
        if let Some(kind) = vocab.list_kind_by_words(text) {
            return list_label_of_kind(kind, minutes);
        }
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
                    attendance: if minutes { "present" } else { "unknown" },
                },
                Some(clean(text)),
            ));
        }
    }
    None
}

/// The list a label of the vocabulary's list kind `kind` opens.
fn list_label_of_kind(kind: &str, minutes: bool) -> Option<(ListKind, Option<String>)> {
    let seen = if minutes { "present" } else { "unknown" };
    let (role, attendance) = match kind {
        "members" => ("member", "unknown"),
        "present" => ("member", "present"),
        "attendees" => ("member", seen),
        "absent" => ("member", "absent"),
        "substitute" => ("substitute", "present"),
        "observers" => ("observer", seen),
        "chair" => ("chair", seen),
        "guests" => ("guest", seen),
        "secretariat" => ("secretariat", seen),
        _ => return None,
    };
    Some((ListKind { role, attendance }, None))
}

/// A line that reads as a label: it ends in a colon, is short, starts with a capital and has
/// no digits (so "Per Dahl (til kl. 12):" is not one).
fn is_label_line(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(':')
        && (1..=8).contains(&t.split_whitespace().count())
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.chars().any(|c| c.is_ascii_digit() || c == '(')
}

/// The lines with the first cells of a table's rows read as labels: a label cell whose words
/// say which list it opens ("Komitéens medlemmer", "Forfall var meldt fra flg." /
/// "medlemmer:" over two lines of its cell) becomes one line ending in a colon, as a label
/// line would; the cell's other lines become `None`. Other lines are kept as they are.
fn label_cells(lines: &[TextLine], vocab: &Vocabulary) -> Vec<Option<TextLine>> {
    let mut out: Vec<Option<TextLine>> = lines.iter().cloned().map(Some).collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(cell) = lines[i].cell.filter(|c| c.col == 0) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < lines.len() && lines[j].cell == Some(cell) {
            j += 1;
        }
        // The row goes on in another cell: the first cell is the row's label.
        let row_goes_on = lines[j..]
            .iter()
            .take_while(|l| {
                l.cell
                    .is_some_and(|c| c.table == cell.table && c.row == cell.row)
            })
            .any(|l| l.cell.is_some_and(|c| c.col > 0));
        let texts: Vec<&str> = lines[i..j].iter().map(|l| l.text.as_str()).collect();
        let joined = join_lines(&texts);
        let label = format!("{}:", joined.trim_end_matches(':').trim_end());
        let known = vocab.label_kind(&LIST_LABELS, &joined).is_some();
        if row_goes_on
            && !known
            && is_label_line(&label)
            && vocab.list_kind_by_words(&label).is_some()
        {
            out[i] = Some(TextLine {
                text: label,
                ..lines[i].clone()
            });
            for o in &mut out[i + 1..j] {
                *o = None;
            }
        }
        i = j;
    }
    out
}

/// The labels that open a list of people (vocabulary keys of `labels.toml`).
const LIST_LABELS: [&str; 9] = [
    "members",
    "attendees",
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
                    || rest.split_whitespace().count() <= 4
                    || comma_run(rest, vocab).is_some());
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
        || crate::parse::text::case_heading(text).is_some()
        || vocab.is_label("agenda_list", text)
        || crate::segment::slide_divider(text).is_some()
}

static SUB_ORG_FOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s*\(([^()]+)\)\s+for\s+(.+)$").unwrap());
static SUB_FOR_ORG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s+for\s+([^()]+?)(?:\s*\(([^()]+)\))?$").unwrap());
static SUB_PAREN_FOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\s*\(\s*for\s+([^,()]+),\s*([^()]+)\)$").unwrap());
static PAREN_VARA_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.+?)\s*\((?:vara|varamedlem|varamann|møtte|møtt|møter)\s+for\s+([^(),]+)\)$")
        .unwrap()
});
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
    vocab: &Vocabulary,
) -> Option<Participant> {
    let t = clean(text);
    let t = TIME_REMARK.replace(&t, "").into_owned();
    // "Gro Li som sekretær": the role the entry states.
    let (t, list) = match AS_SECRETARY.captures(&t) {
        Some(c) => (
            c[1].to_string(),
            ListKind {
                role: "secretariat",
                ..list
            },
        ),
        None => (t, list),
    };
    // "Styreleder Svein Li": a chair's role written before the name.
    let list = match t.split_once(' ') {
        Some((first, _)) if list.role == "member" && vocab.is_chair_role(first) => ListKind {
            role: "chair",
            ..list
        },
        _ => list,
    };
    let t = without_title(&t, vocab);
    // "Kari Li-H": a party abbreviation joined to the name by a hyphen.
    if let Some(c) = NAME_PARTY.captures(&t) {
        let party = &c[2];
        let abbreviation =
            party.chars().filter(|c| c.is_uppercase()).count() >= party.chars().count().min(2);
        if abbreviation && looks_like_name(&c[1]) {
            return Some(Participant {
                name: clean(&c[1]),
                organisation: Some(party.to_string()),
                role: list.role,
                attendance: list.attendance,
                substitute_for: None,
                page,
            });
        }
    }
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
    // "Olav Li (vara for Anne Dal)": a substitute named with the member they met for.
    if let Some(c) = PAREN_VARA_FOR.captures(&t) {
        return p(&c[1], None, "substitute", sub_attendance, Some(&c[2]));
    }
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
    // "Name, title, organisation": the organisation is what follows the title; "Name, Org"
    // when the second part is capitalised; "Name, title" has none.
    if let Some((name, rest)) = t.split_once(", ") {
        if looks_like_name(name) {
            let parts: Vec<&str> = rest.split(", ").collect();
            // "Name, rektor, styrets leder": the body's chair by the role the entry states.
            let chair = parts.iter().any(|p| vocab.is_chair_role(p));
            let role = if chair && list.role == "member" {
                "chair"
            } else {
                list.role
            };
            // Titles and roles start in lower case; an organisation does not.
            let named: Vec<&str> = parts
                .iter()
                .skip(1)
                .copied()
                .filter(|p| p.starts_with(char::is_uppercase))
                .collect();
            let org = if parts.len() >= 2 {
                (!named.is_empty()).then(|| named.join(", "))
            } else {
                parts[0]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                    .then(|| parts[0].to_string())
            };
            return p(
                name,
                org.as_deref().or(org_heading),
                role,
                list.attendance,
                None,
            );
        }
    }
    p(&t, org_heading, list.role, list.attendance, None)
}

static AS_SECRETARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.+?),?\s+(?:som|var)\s+(?:møtesekretær|sekretær|referent|protokollfører|protokollførar)\.?$")
        .unwrap()
});

/// "Per Arne Dahl-AP", "Eva Li - KrF": a name, then a party's abbreviation (one to four
/// letters, capitalised) after a hyphen.
static NAME_PARTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?\p{Ll}\.?)\s*-\s*(\p{Lu}[\p{L}]{0,3})$").unwrap());

/// The entry without the job title written before the name ("Fylkesrådmann Paul Dal",
/// "rådgiver Toril Li", "Kst. fylkeskultursjef Ronny Ås"): leading words that are titles of
/// the vocabulary, start in lower case or are the first part of a compound, ending in a
/// title, while a name remains.
fn without_title(text: &str, vocab: &Vocabulary) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        let lower = w.chars().next().is_some_and(char::is_lowercase)
            && !["von", "van", "de", "der", "af", "la"].contains(&w);
        // "Strategi- og næringsdirektør": the first part of a compound title.
        let broken = w.ends_with('-') && w.chars().count() > 2;
        if !(lower || broken || vocab.is_title_word(w)) {
            break;
        }
        k += 1;
    }
    // The words taken end in a title ("stiller for Geir Moe" has none).
    if k == 0 || !vocab.is_title_word(words[k - 1]) {
        return text.to_string();
    }
    let rest = words[k..].join(" ");
    if looks_like_name(&rest) || rest.contains('(') {
        rest
    } else {
        text.to_string()
    }
}

/// A remark on when someone came or left, or how they took part ("(til 15.50)", "(fra kl.
/// 11)", "(deltok pr telefon)"): not part of the entry.
static TIME_REMARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*\((?:til|fra|frå|frå og med|f\.o\.m\.|kl\.?|gikk|gjekk|kom|deltok|deltek|via|på telefon|pr\.? telefon|per telefon|digitalt|på video|på teams)\b[^()]*\)\s*$")
        .unwrap()
});

/// Several people on one line, separated by commas ("Anne Lie, Per Dahl, Eva Strand"):
/// the names, when every part is one.
fn comma_run(text: &str, vocab: &Vocabulary) -> Option<Vec<String>> {
    let t = clean(text);
    let t = t.trim_end_matches(['.', ',']);
    let parts: Vec<String> = split_outside_parens(t)
        .into_iter()
        .flat_map(|p| p.split(" og ").map(str::to_string).collect::<Vec<_>>())
        .map(|p| {
            let p = p.trim();
            p.strip_prefix("og ").unwrap_or(p).trim().to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    // Each part a name, once a title before it and a remark after it are set aside (the
    // entry reads them).
    let name_part = |p: &str| {
        looks_like_name(&without_title(&without_remarks(p), vocab)) && paren_depth(p) == 0
    };
    (parts.len() >= 2 && parts.iter().all(|p| name_part(p))).then_some(parts)
}

/// One part of a run of names without the remark after it ("Ida Lie (deltok pr telefon)"
/// or "Ola Moe (vara for Anne Dal)" gives the name alone).
fn without_remarks(part: &str) -> String {
    let bare = TIME_REMARK.replace(part, "");
    bare.split('(').next().unwrap_or("").trim().to_string()
}

/// `text` split at commas and semicolons outside parentheses.
fn split_outside_parens(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && (c == ',' || c == ';') {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// A run of names ("Anne Lie, Per Dahl, Eva"): at least two commas, every part
/// before the last a name (the last may be cut at the line's end).
fn is_name_run(text: &str) -> bool {
    let parts = split_outside_parens(text);
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| looks_like_name(&without_remarks(p)))
}

fn paren_depth(s: &str) -> i32 {
    s.chars().fold(0, |d, c| match c {
        '(' => d + 1,
        ')' => d - 1,
        _ => d,
    })
}

/// A line in capitals of two words or more ("GODKJENNING AV SAKLISTA"): a heading.
fn is_caps_heading(text: &str) -> bool {
    text.split_whitespace().count() >= 2
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 6
        && !text.chars().any(char::is_lowercase)
}

/// The words of a name for comparing two spellings of it: "Nyborg, Torill Selsvold" and
/// "Torill Selsvold Nyborg" are one; so are "Astrid K. Wahl" and "Astrid Wahl" (initials
/// left out).
fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .split([' ', ','])
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| w.chars().count() > 1)
        .collect();
    words.sort();
    words
}

/// Adds a person to the lists read so far. Someone named twice (a member list, then the
/// absent; the chair, then the members) is one participant: absent when any list says so,
/// chair when either entry is, the organisation of whichever entry gives one.
fn add_person(out: &mut Vec<Participant>, p: Participant) {
    let words = name_words(&p.name);
    let same =
        |o: &Participant| o.name == p.name || (words.len() >= 2 && name_words(&o.name) == words);
    let Some(o) = out.iter_mut().find(|o| same(o)) else {
        out.push(p);
        return;
    };
    if p.attendance == "absent" && o.role != "substitute" {
        o.attendance = "absent";
    }
    if p.role == "chair" {
        o.role = "chair";
    }
    if o.organisation.is_none() {
        o.organisation = p.organisation;
    }
}

/// Roles one person holds: given inline inside another list, they apply to that entry only.
const ONE_PERSON_ROLES: [&str; 1] = ["chair"];

/// A column of a participant table.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Name,
    Function,
    Party,
    For,
    Note,
}

/// The vocabulary key of each column's headings.
const COLUMNS: [(&str, Column); 5] = [
    ("col_name", Column::Name),
    ("col_function", Column::Function),
    ("col_party", Column::Party),
    ("col_for", Column::For),
    ("col_note", Column::Note),
];

fn column_of(text: &str, vocab: &Vocabulary) -> Option<Column> {
    COLUMNS
        .iter()
        .find(|(key, _)| vocab.is_label(key, text))
        .map(|(_, c)| *c)
}

/// Reads a participant table whose column headings start at `lines[start]`: one person per
/// row, cells by column (the table cells the layout found, else `columns` lines in turn, with
/// a remark such as "forfall" or "perm kl" after them). Returns the index after the table.
fn read_table(
    lines: &[TextLine],
    start: usize,
    list: ListKind,
    vocab: &Vocabulary,
    minutes: bool,
    out: &mut Vec<Participant>,
) -> usize {
    let mut columns: Vec<Column> = Vec::new();
    let mut i = start;
    while let Some(c) = lines.get(i).and_then(|l| column_of(&l.text, vocab)) {
        columns.push(c);
        i += 1;
    }
    // The list label stood over the names ("Frammøtte varamedlemmer: | Parti | Rolle").
    if !columns.contains(&Column::Name) {
        columns.insert(0, Column::Name);
    }
    // A row's first cell must not be a label; its other cells may be ("Leiar" is a label
    // of its own and a function in a row).
    let ends_table = |t: &str| ends_lists(t, vocab) || t.ends_with(':');
    let stop = |t: &str| ends_table(t) || list_label(t, vocab, minutes).is_some();
    while i < lines.len() {
        let first = &lines[i];
        if stop(&first.text) {
            break;
        }
        // A heading row repeated on a new page.
        if column_of(&first.text, vocab).is_some() {
            i += 1;
            continue;
        }
        let mut cells: Vec<(Column, String)> = Vec::new();
        if let Some(pos) = first.cell {
            let mut by_col: Vec<(usize, Vec<&str>)> = Vec::new();
            while let Some(l) = lines.get(i) {
                let same = l
                    .cell
                    .is_some_and(|c| c.table == pos.table && c.row == pos.row);
                if !same || ends_table(&l.text) {
                    break;
                }
                let col = l.cell.map_or(0, |c| c.col);
                match by_col.iter_mut().find(|(c, _)| *c == col) {
                    Some((_, v)) => v.push(&l.text),
                    None => by_col.push((col, vec![&l.text])),
                }
                i += 1;
            }
            for (col, texts) in by_col {
                let c = columns.get(col).copied().unwrap_or(Column::Note);
                cells.push((c, join_lines(&texts)));
            }
        } else {
            for (k, c) in columns.iter().enumerate() {
                match lines.get(i) {
                    Some(l)
                        if l.cell.is_none()
                            && !(if k == 0 {
                                stop(&l.text)
                            } else {
                                ends_table(&l.text)
                            }) =>
                    {
                        cells.push((*c, l.text.clone()));
                        i += 1;
                    }
                    _ => break,
                }
            }
            // Remarks after the row's cells: they do not start like a name.
            while let Some(l) = lines.get(i) {
                let remark = l.cell.is_none()
                    && !ends_table(&l.text)
                    && !l.text.chars().next().is_some_and(char::is_uppercase);
                if !remark {
                    break;
                }
                cells.push((Column::Note, l.text.clone()));
                i += 1;
            }
        }
        if let Some(p) = table_row(&cells, list, vocab, first.page) {
            add_person(out, p);
        }
    }
    i
}

/// One row of a participant table as a participant: the function column gives the role
/// (a chair's title, "Varamedlem"), or, in a list of substitutes, whom they met for.
fn table_row(
    cells: &[(Column, String)],
    list: ListKind,
    vocab: &Vocabulary,
    page: usize,
) -> Option<Participant> {
    let get = |c: Column| {
        cells
            .iter()
            .find(|(k, v)| *k == c && !v.is_empty())
            .map(|(_, v)| clean(v))
    };
    let name = get(Column::Name)?;
    if !looks_like_name(&name) {
        return None;
    }
    let mut role = list.role;
    let mut attendance = list.attendance;
    let mut substitute_for = get(Column::For);
    if let Some(f) = get(Column::Function) {
        if vocab.is_label("chair", &f) {
            role = "chair";
        } else if vocab.is_label("secretariat", &f) {
            role = "secretariat";
        } else if vocab.is_label("substitute", &f) {
            role = "substitute";
        } else if list.role == "substitute" && looks_like_name(&f) && !vocab.is_known_label(&f) {
            substitute_for = Some(f);
        }
    }
    if substitute_for.is_some() {
        role = "substitute";
    }
    // A remark that is only "forfall": the member did not come.
    for (c, v) in cells {
        let v = v.trim_start_matches(['-', '–', ' ']);
        if *c == Column::Note && vocab.is_label("absent", v) {
            attendance = "absent";
        }
    }
    Some(Participant {
        name,
        organisation: get(Column::Party),
        role,
        attendance,
        substitute_for,
        page,
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
    let labels = label_cells(lines, vocab);
    for (k, l) in labels.iter().enumerate() {
        let Some(l) = l else { continue };
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
    let mut restore: Option<(ListKind, Option<String>)> = None;
    let mut i = 0;
    let flush = |buf: &mut Vec<&str>,
                 list: &Option<(ListKind, Option<String>)>,
                 out: &mut Vec<Participant>,
                 page: usize| {
        if let (Some((kind, org)), false) = (list, buf.is_empty()) {
            let text = join_lines(buf);
            // One person's role ("Møteleder: Name, title") is never a run of names.
            let one = ONE_PERSON_ROLES.contains(&kind.role);
            let texts = (!one)
                .then(|| comma_run(&text, vocab))
                .flatten()
                .unwrap_or_else(|| vec![text]);
            for text in texts {
                if let Some(p) = entry(&text, *kind, org.as_deref(), page, vocab) {
                    add_person(out, p);
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
        // A heading in capitals ("MERKNADER TIL INNKALLINGA") after the entries: the
        // minutes' body begins.
        if buf.is_empty()
            && !out.is_empty()
            && is_caps_heading(t)
            && list_label(t, vocab, minutes).is_none()
        {
            break;
        }
        if buf.is_empty() {
            if let Some(l) = list_label(t, vocab, minutes) {
                // "Leder: Name, title" inside a list of members: the role holds for that one
                // entry, then the list goes on.
                let inline = origin.get(i + 1) == origin.get(i);
                restore = (inline && ONE_PERSON_ROLES.contains(&l.0.role) && list.is_some())
                    .then(|| list.clone())
                    .flatten();
                list = Some(l);
                i += 1;
                continue;
            }
            // A table under the list: column headings (the list label may stand over the
            // names, "Møtedeltakarar | Parti | Rolle"), then one row per person.
            if list.is_some() && column_of(t, vocab).is_some() {
                let kind = list.as_ref().map(|l| l.0).expect("list is open");
                i = read_table(lines, i, kind, vocab, minutes, &mut out);
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
        // A run of names separated by commas goes on where a line breaks inside a name
        // ("..., Daniel Haga, Siv" / "Mørkved, ...") or inside the run's cell.
        let next_line = lines.get(i + 1);
        let run_goes_on = next_line.is_some_and(|n| {
            !ends_lists(&n.text, vocab) && list_label(&n.text, vocab, minutes).is_none()
        }) && joined.contains(',')
            && !list
                .as_ref()
                .is_some_and(|(k, _)| ONE_PERSON_ROLES.contains(&k.role))
            && is_name_run(&joined)
            && (joined.rsplit(',').next().is_some_and(|tail| {
                // "..., Ida Lie og Per" / "Haug": the last name begun after "og".
                let tail = tail.rsplit(" og ").next().unwrap_or(tail);
                tail.split_whitespace().count() == 1
                    && tail.trim().chars().next().is_some_and(char::is_uppercase)
            }) || (is_name_run(t)
                && lines[i].cell.is_some()
                && next_line.is_some_and(|n| n.cell == lines[i].cell)));
        // A label on the next line closes an entry whatever its last line looked like.
        let next_is_label = next_line.is_some_and(|n| {
            ends_lists(&n.text, vocab) || list_label(&n.text, vocab, minutes).is_some()
        });
        let done = next_is_label
            || (!open && !ends_incomplete(&joined) && !partial_for && !next_joins && !run_goes_on);
        let cap = if joined.matches(',').count() >= 3 {
            24
        } else {
            6
        };
        if done || buf.len() >= cap {
            flush(&mut buf, &list, &mut out, buf_page);
            if let Some(l) = restore.take() {
                list = Some(l);
            }
        }
        i += 1;
    }
    flush(&mut buf, &list, &mut out, buf_page);
    // Minutes that list the absent apart: the members listed without a word on their
    // attendance were there.
    if minutes && out.iter().any(|p| p.attendance == "absent") {
        for p in out.iter_mut().filter(|p| p.attendance == "unknown") {
            p.attendance = "present";
        }
    }
    (out, origin.get(i).copied().unwrap_or(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::segment::lines_of as tl;

    /// The fields a test compares: name, organisation, role, attendance, substitute_for.
    type Row<'a> = (&'a str, Option<&'a str>, &'a str, &'a str, Option<&'a str>);

    fn rows(ps: &[Participant]) -> Vec<Row<'_>> {
        ps.iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.organisation.as_deref(),
                    p.role,
                    p.attendance,
                    p.substitute_for.as_deref(),
                )
            })
            .collect()
    }

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
    fn comma_runs_broken_inside_a_name_and_a_one_person_role() {
        let v = Vocabulary::builtin();
        let lines = tl("Møteleder:\nKari Nordmann, Dekan ved Universitetet\nTil stede:\nKari Nordmann, Per Dahl, Eva van\nder Berg, Ola\nStrand\nFrafall:\nTor Li, Siv Ek, Anne\nVik.\n12/2014\n");
        let (ps, end) = parse_lists(&lines, &v, true);
        assert_eq!(end, 9);
        let got: Vec<_> = ps
            .iter()
            .map(|p| (p.name.as_str(), p.role, p.attendance))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Kari Nordmann", "chair", "present"),
                ("Per Dahl", "member", "present"),
                ("Eva van der Berg", "member", "present"),
                ("Ola Strand", "member", "present"),
                ("Tor Li", "member", "absent"),
                ("Siv Ek", "member", "absent"),
                ("Anne Vik", "member", "absent"),
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
        let got = rows(&ps);
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
    fn labels_in_words_party_suffixes_titles_and_people_named_twice() {
        let v = Vocabulary::builtin();
        // Labels the vocabulary does not spell out, read by their words; "Name-PARTY" runs
        // with "og"; titles before names; a member named again under the absent.
        let lines = tl("Komiteens faste medlemmer:\nKari K. Li-H, Per Dahl-AP, Eva\nStrand-KrF\nForfall var meldt fra flg. medlemmer:\nKari Li-H\nFølgende varamedlemmer møtte:\nOla Moe-H\nFra administrasjonen møtte:\nFung.kom.dir. Ivar Ek, og rådgiver Tone Lund\nStrategi- og næringsdirektør Jan Bø\nSeniorrådgjevar Gro Vik som sekretær\nGODKJENNING AV SAKLISTA\nSaklista vart godkjend.\n");
        let (ps, end) = parse_lists(&lines, &v, true);
        assert_eq!(end, 11);
        assert_eq!(
            rows(&ps),
            vec![
                ("Kari K. Li", Some("H"), "member", "absent", None),
                ("Per Dahl", Some("AP"), "member", "present", None),
                ("Eva Strand", Some("KrF"), "member", "present", None),
                ("Ola Moe", Some("H"), "substitute", "present", None),
                ("Ivar Ek", None, "secretariat", "present", None),
                ("Tone Lund", None, "secretariat", "present", None),
                ("Jan Bø", None, "secretariat", "present", None),
                ("Gro Vik", None, "secretariat", "present", None),
            ]
        );
        // In an agenda the members' attendance stays unknown.
        let (ps, _) = parse_lists(&lines[..3], &v, false);
        assert!(ps.iter().all(|p| p.attendance == "unknown"), "{ps:?}");
    }

    #[test]
    fn a_run_with_remarks_a_chair_before_a_name_and_a_substitute() {
        let v = Vocabulary::builtin();
        let lines = tl("Fra styret: Styreleder Svein Li, Eva Ek, Ola Moe (vara for Anne Dal),\nIda Lie (deltok pr telefon) og Per\nHaug (deltok pr telefon).\nFra administrasjonen: Tove Vik, Pål Ås og Lars Ravn.\nForfall: Anne Dal\n");
        let (ps, _) = parse_lists(&lines, &v, true);
        assert_eq!(
            rows(&ps),
            vec![
                ("Svein Li", None, "chair", "present", None),
                ("Eva Ek", None, "member", "present", None),
                ("Ola Moe", None, "substitute", "present", Some("Anne Dal")),
                ("Ida Lie", None, "member", "present", None),
                ("Per Haug", None, "member", "present", None),
                ("Tove Vik", None, "secretariat", "present", None),
                ("Pål Ås", None, "secretariat", "present", None),
                ("Lars Ravn", None, "secretariat", "present", None),
                ("Anne Dal", None, "member", "absent", None),
            ]
        );
    }

    #[test]
    fn roles_after_a_name_are_no_organisation() {
        let v = Vocabulary::builtin();
        let lines = tl("Til stede:\nJørn Li, rektor, styrets leder\nGro Dal, prorektor, styrets nestleder\nEva Ek, direktør, Helse Nord RHF\n");
        let (ps, _) = parse_lists(&lines, &v, true);
        assert_eq!(
            rows(&ps),
            vec![
                ("Jørn Li", None, "chair", "present", None),
                ("Gro Dal", None, "member", "present", None),
                ("Eva Ek", Some("Helse Nord RHF"), "member", "present", None),
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

    #[test]
    fn participant_tables_are_read_row_by_row() {
        let v = Vocabulary::builtin();
        // Rows of three cells, a remark after some, a function that is also a label.
        let lines = tl(
            "Faste medlemer som møtte:\nNamn\nFunksjon\nRepresenterer\nTove Dal\nLeiar\nAP\n\
Per Vik\nNestleiar\nAP\nforfall 19.4\nEva Li\nMedlem\nH\n- forfall\n\
Varamedlemer som møtte:\nNamn\nFunksjon\nRepresenterer\nJon Ås\nEva Li\nH\nSak\n",
        );
        let (ps, _) = parse_lists(&lines, &v, true);
        let got = rows(&ps);
        assert_eq!(
            got,
            vec![
                ("Tove Dal", Some("AP"), "chair", "present", None),
                ("Per Vik", Some("AP"), "member", "present", None),
                ("Eva Li", Some("H"), "member", "absent", None),
                ("Jon Ås", Some("H"), "substitute", "present", Some("Eva Li")),
            ]
        );
    }

    #[test]
    fn name_title_organisation_and_inline_roles() {
        let v = Vocabulary::builtin();
        let lines = tl("Deltakere\nLeder: Bjørn Dahl, helsedirektør\nTrond Lie, administrerende direktør, Helse Midt-Norge RHF\n\
Anne Fos, spesialist i allmennmedisin, Øvre Legesenter, Mo i Rana\nGuri Moe, rådmann, Halden kommune (til 15.50)\n\
Forfall\nKari Ås, Per Li og Ola Bø\n");
        let (ps, _) = parse_lists(&lines, &v, true);
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
                ("Bjørn Dahl", None, "chair", "present"),
                (
                    "Trond Lie",
                    Some("Helse Midt-Norge RHF"),
                    "member",
                    "present"
                ),
                (
                    "Anne Fos",
                    Some("Øvre Legesenter, Mo i Rana"),
                    "member",
                    "present"
                ),
                ("Guri Moe", Some("Halden kommune"), "member", "present"),
                ("Kari Ås", None, "member", "absent"),
                ("Per Li", None, "member", "absent"),
                ("Ola Bø", None, "member", "absent"),
            ]
        );
    }
}
