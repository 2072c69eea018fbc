//! The domain's vocabulary (labels, case types, body names and renames, months, organisation
//! name variants) loaded from the data files in `vocab/`. The defaults are compiled in; a user
//! extends them with another directory holding files of the same names.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

const LABELS: &str = include_str!("../vocab/labels.toml");
const CASE_TYPES: &str = include_str!("../vocab/case_types.toml");
const MONTHS: &str = include_str!("../vocab/months.toml");
const AGENDA: &str = include_str!("../vocab/agenda.toml");
const BODIES: &str = include_str!("../vocab/bodies.toml");
const ORGANISATIONS: &str = include_str!("../vocab/organisations.toml");

/// One name of a body and when it was used (ISO 8601, possibly reduced precision).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BodyNameDef {
    pub name: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// A governing body across its renames.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BodyDef {
    pub id: String,
    pub names: Vec<BodyNameDef>,
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// How the body is usually written when only an abbreviation is known ("NUIT").
    #[serde(default)]
    pub display: Option<String>,
}

impl BodyDef {
    /// The name to show for the body: its display form, else its latest name.
    pub fn current_name(&self) -> &str {
        if let Some(d) = &self.display {
            return d;
        }
        self.names
            .last()
            .map_or(self.id.as_str(), |n| n.name.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OrganisationDef {
    pub name: String,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub secretariat: bool,
}

#[derive(Deserialize)]
struct LabelsFile {
    #[serde(default)]
    labels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    memo: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    memo_sections: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    memo_titles: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    list_words: Vec<ListWords>,
    #[serde(default)]
    people: PeopleWords,
}

/// A rule for list labels the `[labels]` lists do not spell out: the list kind of a label in
/// which one of `words` occurs as whole words.
#[derive(Debug, Clone, Deserialize)]
pub struct ListWords {
    pub kind: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct PeopleWords {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    title_endings: Vec<String>,
    #[serde(default)]
    chair_roles: Vec<String>,
}

#[derive(Deserialize)]
struct CaseTypesFile {
    #[serde(default)]
    case_types: Vec<String>,
}

#[derive(Deserialize)]
struct MonthsFile {
    #[serde(default)]
    months: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
struct AgendaFile {
    #[serde(default)]
    non_case_rows: Vec<String>,
    #[serde(default)]
    free_items: Vec<String>,
}

#[derive(Deserialize)]
struct BodiesFile {
    #[serde(default)]
    body: Vec<BodyDef>,
}

#[derive(Deserialize)]
struct OrganisationsFile {
    #[serde(default)]
    organisation: Vec<OrganisationDef>,
}

/// Everything the parser knows about the domain, from data files.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Label kind ("present", "decision", ...) to its spellings.
    pub labels: BTreeMap<String, Vec<String>>,
    /// Memo box field ("from", "case_officer", ...) to its spellings.
    pub memo_labels: BTreeMap<String, Vec<String>>,
    /// Headings inside a memo (they end the memo's proposed decision).
    pub memo_headings: Vec<String>,
    /// Titles that open a case memo ("Saksframlegg").
    pub memo_titles: Vec<String>,
    /// List labels read by their words, in order (the first rule that matches decides).
    pub list_words: Vec<ListWords>,
    /// Job titles written before a name ("Rådmann", "rådgiver"), whole and as word endings
    /// ("...direktør", "...sjef").
    pub titles: Vec<String>,
    pub title_endings: Vec<String>,
    /// Roles written after a name that make its bearer the chair ("styrets leder").
    pub chair_roles: Vec<String>,
    pub case_types: Vec<String>,
    /// Lower-case month name or abbreviation to month number.
    pub months: BTreeMap<String, u32>,
    pub non_case_rows: Vec<String>,
    pub free_items: Vec<String>,
    pub bodies: Vec<BodyDef>,
    pub organisations: Vec<OrganisationDef>,
}

fn parse_toml<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| format!("{name}: {e}"))
}

impl Vocabulary {
    /// The vocabulary that ships with referat.
    pub fn builtin() -> Vocabulary {
        let mut v = Vocabulary::default();
        v.extend_from_texts(&[
            ("labels.toml", LABELS),
            ("case_types.toml", CASE_TYPES),
            ("months.toml", MONTHS),
            ("agenda.toml", AGENDA),
            ("bodies.toml", BODIES),
            ("organisations.toml", ORGANISATIONS),
        ])
        .expect("the built-in vocabulary files parse");
        v
    }

    /// The built-in vocabulary extended with the files found in `dir` (any of labels.toml,
    /// case_types.toml, months.toml, agenda.toml, bodies.toml, organisations.toml).
    pub fn with_extra_dir(dir: &Path) -> Result<Vocabulary, String> {
        let mut v = Vocabulary::builtin();
        if !dir.is_dir() {
            return Err(format!("{}: not a vocabulary directory", dir.display()));
        }
        let mut texts = Vec::new();
        for name in [
            "labels.toml",
            "case_types.toml",
            "months.toml",
            "agenda.toml",
            "bodies.toml",
            "organisations.toml",
        ] {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                texts.push((path.display().to_string(), text));
            }
        }
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        v.extend_from_texts(&refs)?;
        Ok(v)
    }

    fn extend_from_texts(&mut self, files: &[(&str, &str)]) -> Result<(), String> {
        for (name, text) in files {
            let base = Path::new(name)
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or(name);
            match base {
                "labels.toml" => {
                    let f: LabelsFile = parse_toml(name, text)?;
                    for (k, vs) in f.labels {
                        self.labels.entry(k).or_default().extend(vs);
                    }
                    for (k, vs) in f.memo {
                        self.memo_labels.entry(k).or_default().extend(vs);
                    }
                    for (_, vs) in f.memo_sections {
                        self.memo_headings.extend(vs);
                    }
                    for (_, vs) in f.memo_titles {
                        self.memo_titles.extend(vs);
                    }
                    // A user's rules come before the built-in ones: they are the more specific.
                    let mut words = f.list_words;
                    words.append(&mut self.list_words);
                    self.list_words = words;
                    self.titles.extend(f.people.titles);
                    self.title_endings.extend(f.people.title_endings);
                    self.chair_roles.extend(f.people.chair_roles);
                }
                "case_types.toml" => {
                    let f: CaseTypesFile = parse_toml(name, text)?;
                    self.case_types.extend(f.case_types);
                }
                "months.toml" => {
                    let f: MonthsFile = parse_toml(name, text)?;
                    for (k, n) in f.months {
                        if !(1..=12).contains(&n) {
                            return Err(format!("{name}: month {k} = {n} is not 1..=12"));
                        }
                        self.months.insert(k.to_lowercase(), n);
                    }
                }
                "agenda.toml" => {
                    let f: AgendaFile = parse_toml(name, text)?;
                    self.non_case_rows.extend(f.non_case_rows);
                    self.free_items.extend(f.free_items);
                }
                "bodies.toml" => {
                    let f: BodiesFile = parse_toml(name, text)?;
                    for b in f.body {
                        if let Some(existing) = self.bodies.iter_mut().find(|x| x.id == b.id) {
                            existing.names.extend(b.names);
                            existing.abbreviations.extend(b.abbreviations);
                            if b.display.is_some() {
                                existing.display = b.display;
                            }
                        } else {
                            self.bodies.push(b);
                        }
                    }
                }
                "organisations.toml" => {
                    let f: OrganisationsFile = parse_toml(name, text)?;
                    self.organisations.extend(f.organisation);
                }
                other => return Err(format!("{other}: unknown vocabulary file")),
            }
        }
        Ok(())
    }

    /// The list kind of a label that names it in words of its own ("Forfall var meldt fra flg.
    /// medlemmer", "Følgende varamedlemmer møtte"): the first `[[list_words]]` rule one of
    /// whose words occurs in it as whole words.
    pub fn list_kind_by_words(&self, text: &str) -> Option<&str> {
        let key = format!(" {} ", label_key(text).replace(['.', ','], " "));
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = format!(" {key} ");
        self.list_words
            .iter()
            .find(|r| {
                r.words
                    .iter()
                    .any(|w| key.contains(&format!(" {} ", w.to_lowercase())))
            })
            .map(|r| r.kind.as_str())
    }

    /// The job title a name is written after ("Rådmann Kari Li", "fung. kommunaldirektør
    /// Per Dal"): true when `word` is one.
    pub fn is_title_word(&self, word: &str) -> bool {
        let w = word.trim_end_matches([',', ':']).to_lowercase();
        if w.is_empty() {
            return false;
        }
        self.titles.iter().any(|t| t.to_lowercase() == w)
            || self
                .title_endings
                .iter()
                .any(|e| w.ends_with(&e.to_lowercase()))
    }

    /// True when `role`, written after a name, makes its bearer the chair.
    pub fn is_chair_role(&self, role: &str) -> bool {
        let r = label_key(role);
        self.chair_roles.iter().any(|c| label_key(c) == r)
    }

    /// The spellings of a label kind.
    pub fn label(&self, kind: &str) -> &[String] {
        self.labels.get(kind).map_or(&[], |v| v.as_slice())
    }

    /// The spellings of a memo box field.
    pub fn memo_label(&self, kind: &str) -> &[String] {
        self.memo_labels.get(kind).map_or(&[], |v| v.as_slice())
    }

    /// True when `text` is exactly one of the label's spellings (case-insensitive, a trailing
    /// colon or full stop allowed, a word broken over a cell's lines rejoined).
    pub fn is_label(&self, kind: &str, text: &str) -> bool {
        let t = label_key(text);
        self.label(kind).iter().any(|l| label_key(l) == t)
    }

    /// True when `text` is exactly one of the memo field's spellings.
    pub fn is_memo_label(&self, kind: &str, text: &str) -> bool {
        let t = label_key(text);
        self.memo_label(kind).iter().any(|l| label_key(l) == t)
    }

    /// The memo field `text` labels, if any.
    pub fn memo_field(&self, text: &str) -> Option<&str> {
        let t = label_key(text);
        self.memo_labels
            .iter()
            .find(|(_, ls)| ls.iter().any(|l| label_key(l) == t))
            .map(|(k, _)| k.as_str())
    }

    /// The first of `kinds` that `text` is a label of.
    pub fn label_kind<'k>(&self, kinds: &[&'k str], text: &str) -> Option<&'k str> {
        let t = label_key(text);
        kinds
            .iter()
            .find(|k| self.label(k).iter().any(|l| label_key(l) == t))
            .copied()
    }

    /// True when `text` is a label of any kind the vocabulary knows (header, list, memo box,
    /// section), in any of its tolerated forms.
    pub fn is_known_label(&self, text: &str) -> bool {
        let t = label_key(text);
        self.labels
            .values()
            .chain(self.memo_labels.values())
            .flatten()
            .chain(self.memo_headings.iter())
            .chain(self.memo_titles.iter())
            .any(|l| label_key(l) == t)
    }

    /// True when `text` is a title that opens a case memo ("Saksframlegg").
    pub fn is_memo_title(&self, text: &str) -> bool {
        let t = label_key(text);
        !text.trim_end().ends_with(':') && self.memo_titles.iter().any(|l| label_key(l) == t)
    }

    /// If `text` starts with one of the label's spellings followed by a colon or whitespace,
    /// returns the rest (trimmed).
    pub fn strip_label<'a>(&self, kind: &str, text: &'a str) -> Option<&'a str> {
        self.strip_label_spelling(kind, text).map(|(_, rest)| rest)
    }

    /// Like [`Vocabulary::strip_label`], with the spelling that matched (the longest).
    pub fn strip_label_spelling<'a>(&self, kind: &str, text: &'a str) -> Option<(&str, &'a str)> {
        strip_spelling(self.label(kind), text)
    }

    /// Like [`Vocabulary::strip_label`], for a memo box field.
    pub fn strip_memo_label<'a>(&self, kind: &str, text: &'a str) -> Option<&'a str> {
        strip_spelling(self.memo_label(kind), text).map(|(_, rest)| rest)
    }

    /// The case type `text` names, as the vocabulary spells it, if it is one.
    pub fn case_type(&self, text: &str) -> Option<&str> {
        let t = strip_colon(text);
        self.case_types
            .iter()
            .find(|c| eq_ci(c, t))
            .map(|c| c.as_str())
    }

    pub fn is_non_case_row(&self, text: &str) -> bool {
        let t = text.trim();
        self.non_case_rows.iter().any(|r| eq_ci(r, t))
    }

    pub fn is_free_item(&self, text: &str) -> bool {
        let t = text.trim();
        self.free_items.iter().any(|r| eq_ci(r, t))
    }

    pub fn month(&self, word: &str) -> Option<u32> {
        let w = word.trim_end_matches('.').to_lowercase();
        self.months.get(&w).copied()
    }

    /// Every name and abbreviation of every body, longest first, with the body's index.
    pub fn body_names(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = Vec::new();
        for (i, b) in self.bodies.iter().enumerate() {
            for n in &b.names {
                out.push((n.name.as_str(), i));
            }
            for a in &b.abbreviations {
                out.push((a.as_str(), i));
            }
        }
        out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        out
    }

    /// The body a name or abbreviation denotes.
    pub fn body_by_name(&self, name: &str) -> Option<&BodyDef> {
        let n = name.trim();
        self.bodies.iter().find(|b| {
            b.names.iter().any(|x| eq_ci(&x.name, n)) || b.abbreviations.iter().any(|a| a == n)
        })
    }

    /// The first body name or abbreviation found in `text` (whole words), as written there,
    /// and its position.
    pub fn find_body(&self, text: &str) -> Option<(usize, String)> {
        let lower = text.to_lowercase();
        let mut best: Option<(usize, String)> = None;
        for (name, _) in self.body_names() {
            let is_abbrev = self
                .bodies
                .iter()
                .any(|b| b.abbreviations.iter().any(|a| a == name));
            let mut from = 0;
            while let Some(off) = if is_abbrev {
                text[from..].find(name)
            } else {
                lower[from..].find(&name.to_lowercase())
            } {
                let start = from + off;
                let end = start + name.len();
                if is_word_boundary(text, start, end) {
                    let better = match &best {
                        None => true,
                        Some((s, n)) => start < *s || (start == *s && name.len() > n.len()),
                    };
                    if better {
                        best = Some((start, text[start..end].to_string()));
                    }
                    break;
                }
                from = end;
                if from >= text.len() {
                    break;
                }
            }
        }
        best
    }

    /// The canonical name of an organisation written as `name`, if the vocabulary knows it.
    pub fn organisation(&self, name: &str) -> Option<&OrganisationDef> {
        let n = name.trim();
        self.organisations
            .iter()
            .find(|o| eq_ci(&o.name, n) || o.variants.iter().any(|v| eq_ci(v, n)))
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut rest = text[end..].chars();
    let mut after = rest.next();
    // A genitive "s" ("Nasjonalt e-helsestyres innspill") still names the body.
    if after == Some('s') {
        after = rest.next();
    }
    let ok = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    ok(before) && ok(after)
}

/// A label as compared: lower case, without a trailing colon or full stop, whitespace
/// collapsed, and a word hyphenated over two lines of a narrow cell joined ("SAKS- BEHANDLER").
/// The longest of `spellings` that starts `text` followed by a colon, whitespace or nothing,
/// and the rest of `text` after it.
fn strip_spelling<'s, 'a>(spellings: &'s [String], text: &'a str) -> Option<(&'s str, &'a str)> {
    let mut best: Option<(&str, &'a str)> = None;
    for l in spellings {
        if let Some(rest) = strip_prefix_ci(text, l) {
            let ok =
                rest.is_empty() || rest.starts_with(':') || rest.starts_with(char::is_whitespace);
            if ok && best.is_none_or(|(b, _)| l.len() > b.len()) {
                best = Some((l.as_str(), rest.trim_start_matches(':').trim()));
            }
        }
    }
    best
}

pub fn label_key(text: &str) -> String {
    let t = text.trim().trim_end_matches(':').trim_end();
    let t = t.strip_suffix('.').unwrap_or(t);
    let mut out = String::with_capacity(t.len());
    let mut words = t.split_whitespace().peekable();
    while let Some(w) = words.next() {
        out.push_str(&w.to_lowercase());
        let broken = w.len() > 2
            && w.ends_with('-')
            && words
                .peek()
                .is_some_and(|n| n.chars().next().is_some_and(char::is_alphabetic));
        if broken {
            out.pop();
        } else if words.peek().is_some() {
            out.push(' ');
        }
    }
    out
}

fn strip_colon(text: &str) -> &str {
    text.trim().trim_end_matches(':').trim_end()
}

/// Case-insensitive equality (Unicode lower case).
pub fn eq_ci(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Strips `prefix` from `text` case-insensitively.
pub fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let mut idx = text.len();
    for (count, (i, _)) in text.char_indices().enumerate() {
        if count == n {
            idx = i;
            break;
        }
    }
    if text.chars().count() < n {
        return None;
    }
    let head = &text[..idx];
    if head.to_lowercase() == prefix.to_lowercase() {
        Some(&text[idx..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_vocabulary_has_labels_bodies_and_months() {
        let v = Vocabulary::builtin();
        assert!(v.is_label("present", "Til stede"));
        assert!(v.is_label("absent", "Forfall:"));
        assert!(v.is_label("observers", "Observatør(er)"));
        assert_eq!(v.case_type("drøfting"), Some("Drøfting"));
        assert_eq!(v.month("desember"), Some(12));
        assert_eq!(v.month("des."), Some(12));
        let b = v.body_by_name("NEHS").expect("NEHS is known");
        assert_eq!(b.current_name(), "Nasjonalt e-helseråd");
        assert_eq!(v.body_by_name("NUIT").unwrap().current_name(), "NUIT");
    }

    #[test]
    fn strip_label_takes_the_longest_spelling() {
        let v = Vocabulary::builtin();
        assert_eq!(
            v.strip_label("proposed_decision", "Forslag til vedtak: Rådet tar saken"),
            Some("Rådet tar saken")
        );
        assert_eq!(v.strip_label("decision", "Vedtaksformulering"), None);
    }

    #[test]
    fn find_body_prefers_the_earliest_longest_name() {
        let v = Vocabulary::builtin();
        let (pos, name) = v
            .find_body("Saken ble behandlet i NUIT og i Nasjonalt e-helseråd")
            .unwrap();
        assert_eq!(name, "NUIT");
        assert_eq!(pos, 22);
        assert!(v.find_body("NUITS").is_none());
    }

    #[test]
    fn extra_directory_extends_the_builtin_vocabulary() {
        let dir = std::env::temp_dir().join(format!("referat-vocab-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("bodies.toml"),
            "[[body]]\nid = \"regionalt-rad\"\nnames = [{ name = \"Regionalt fagråd\" }]\nabbreviations = [\"RFR\"]\n",
        )
        .unwrap();
        std::fs::write(dir.join("case_types.toml"), "case_types = [\"Valg\"]\n").unwrap();
        let v = Vocabulary::with_extra_dir(&dir).unwrap();
        assert!(v.body_by_name("RFR").is_some());
        assert!(v.body_by_name("NUIT").is_some());
        assert_eq!(v.case_type("Valg"), Some("Valg"));
        std::fs::write(dir.join("months.toml"), "[months]\nfoo = 13\n").unwrap();
        let err = Vocabulary::with_extra_dir(&dir).unwrap_err();
        assert!(err.contains("months.toml"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
