//! Text helpers shared by the parsers: whitespace, line joining, Norwegian dates and times,
//! case numbers.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::vocab::Vocabulary;

/// NFC, soft hyphens removed, whitespace collapsed, trimmed.
pub fn clean(s: &str) -> String {
    // Latin ligature code points (U+FB00..U+FB06, as some producers map "fi", "fl") are
    // spelled out: they are presentation forms of plain letters.
    let s: String = s
        .chars()
        .flat_map(|c| match c {
            '\u{fb00}'..='\u{fb06}' => c.nfkc().collect::<Vec<_>>(),
            _ => vec![c],
        })
        .nfc()
        .filter(|c| *c != '\u{ad}')
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that a wrapped line may end on when the sentence goes on.
const FUNCTION_WORDS: [&str; 22] = [
    "og", "i", "av", "for", "til", "med", "fra", "på", "om", "en", "et", "eller", "samt", "som",
    "ved", "mot", "under", "etter", "de", "den", "det", "–",
];

/// True when a line visibly goes on on the next line: it ends with a hyphen, a comma, an
/// opening bracket or a function word.
pub fn ends_incomplete(s: &str) -> bool {
    let t = s.trim_end();
    if t.ends_with('-') || t.ends_with(',') || t.ends_with('(') || t.ends_with('–') {
        return true;
    }
    let last = t.rsplit(' ').next().unwrap_or("").to_lowercase();
    FUNCTION_WORDS.contains(&last.as_str())
}

/// Joins wrapped lines into one string. A line ending in a hyphen after a letter is glued to
/// the next without a space ("e-" + "helse" = "e-helse"), except before a conjunction
/// ("Helse-" + "og omsorg" = "Helse- og omsorg"): these documents are not hyphenated
/// automatically, so a line-end hyphen is a real one.
pub fn join_lines<S: AsRef<str>>(parts: &[S]) -> String {
    let mut out = String::new();
    for p in parts {
        let p = clean(p.as_ref());
        if p.is_empty() {
            continue;
        }
        if out.is_empty() {
            out = p;
            continue;
        }
        let first_word = p.split(' ').next().unwrap_or("").to_lowercase();
        let glue = out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphabetic())
            && !["og", "eller", "samt", "til", "and", "or"].contains(&first_word.as_str());
        if !glue {
            out.push(' ');
        }
        out.push_str(&p);
    }
    out
}

/// Four-digit years are years ("38/2022"); "13/7074" is an archive's running number.
static CASE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s*/\s*(\d{2}|(?:19|20)\d{2})$").unwrap());

/// "38/22" (or "38/2022") alone: the sequence number and the year as written.
pub fn case_number(s: &str) -> Option<(u32, u32)> {
    let c = CASE_NUMBER.captures(s.trim())?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// A case heading or list row with its number's prefix ("Sak 01/2015", "PS 38/22 Title",
/// "Styresak 12-2014 Title", "Sak nr. 2/2015", "Sak STY 36/08" (the body's series), "Sak 5", "RS 3/23: Title", "V-SAK 1 Title"), or a number whose
/// digits before the year were lost in the text ("/15"): the number as written without its
/// prefix, and what follows it on the line.
pub fn case_heading(s: &str) -> Option<(String, String)> {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?:Sak|SAK|Sak nr\.?|SAK NR\.?|Saksnr\.?|PS|RS|Styresak|STYRESAK|Utvalgssak|Utvalssak)\s+((?:\p{Lu}{2,5}\s+)?\d{1,4}\s*[/-]\s*(?:(?:19|20)\d{2}|\d{2})|\d{1,3})|\p{Lu}{1,5}-(\d{1,4}/(?:\d{4}|\d{2}))|(/(?:\d{4}|\d{2}))|(\p{Lu}{1,3}-(?:SAK|Sak)\s+\d{1,3}))(?:\s*[:.–-]\s*|\s+|$)(.*)$",
        )
        .unwrap()
    });
    let c = HEADING.captures(s.trim())?;
    let rest = c.get(5).map_or("", |m| m.as_str()).trim();
    // "V-SAK 1", "O-SAK 1": a series letter keeps its number apart from the other series'.
    if let Some(series) = c.get(4) {
        let number: Vec<&str> = series.as_str().split_whitespace().collect();
        return (!rest.chars().next().is_some_and(char::is_lowercase))
            .then(|| (number.join(" "), rest.to_string()));
    }
    let number = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?.as_str();
    // "Sak 5 ble drøftet": a sentence, not a heading.
    if rest.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    // "36 / 08" closes up; a series before it ("STY 36/08") keeps its space.
    let number: String = match number.split_once(char::is_whitespace) {
        Some((series, n)) if series.chars().all(char::is_uppercase) => {
            format!("{series} {}", n.split_whitespace().collect::<String>())
        }
        _ => number.split_whitespace().collect(),
    };
    Some((number, rest.to_string()))
}

/// Expands a two-digit year ("22") to four digits, near `context` when known.
pub fn full_year(y: u32, context: Option<i32>) -> i32 {
    if y >= 1000 {
        return y as i32;
    }
    let century = context.map_or(2000, |c| c - c.rem_euclid(100));
    let mut year = century + y as i32;
    if let Some(c) = context {
        if year - c > 50 {
            year -= 100;
        } else if c - year > 50 {
            year += 100;
        }
    }
    year
}

/// A date found in text: day, month and the year if written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
}

impl DateMention {
    /// ISO date, the year taken from the mention or else `year`.
    pub fn iso(&self, year: Option<i32>) -> Option<String> {
        let y = self.year.or(year)?;
        valid_date(y, self.month, self.day)
            .then(|| format!("{y:04}-{:02}-{:02}", self.month, self.day))
    }
}

pub fn valid_date(y: i32, m: u32, d: u32) -> bool {
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=dim).contains(&d) && (1900..=2100).contains(&y)
}

static WORD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})\.\s*([A-Za-zÆØÅæøå]+)\.?(?:\s+(\d{4}))?").unwrap());
static NUM_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b").unwrap());

/// Dates written with a month name ("2. desember 2022", "19. november").
pub fn word_dates(text: &str, vocab: &Vocabulary) -> Vec<DateMention> {
    let mut out = Vec::new();
    for c in WORD_DATE.captures_iter(text) {
        let Some(month) = vocab.month(&c[2]) else {
            continue;
        };
        let day: u32 = c[1].parse().unwrap_or(0);
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        let m = c.get(0).unwrap();
        let end = if year.is_some() {
            m.end()
        } else {
            c.get(2).unwrap().end()
        };
        out.push(DateMention {
            start: m.start(),
            end,
            day,
            month,
            year,
        });
    }
    out
}

/// Dates written with numbers ("02.12.2022", "17.11.22").
pub fn numeric_dates(text: &str, context_year: Option<i32>) -> Vec<DateMention> {
    NUM_DATE
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let y: u32 = c[3].parse().ok()?;
            Some(DateMention {
                start: m.start(),
                end: m.end(),
                day: c[1].parse().ok()?,
                month: c[2].parse().ok()?,
                year: Some(full_year(y, context_year)),
            })
        })
        .collect()
}

/// What a date field says: the ISO date when it is unambiguous, else the candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateField {
    Date(String),
    /// The value names more than one day ("21. september. mars 2022"): each reading.
    Ambiguous(Vec<String>),
    Unreadable,
}

/// Reads a date field ("2. desember 2022", "02.12.2022", "21. september. mars 2022").
pub fn date_field(text: &str, vocab: &Vocabulary) -> DateField {
    let t = clean(text);
    let nums = numeric_dates(&t, None);
    if nums.len() == 1 {
        if let Some(d) = nums[0].iso(None) {
            return DateField::Date(d);
        }
    }
    let words = word_dates(&t, vocab);
    if words.len() == 1 {
        if let Some(d) = words[0].iso(None) {
            return DateField::Date(d);
        }
    }
    // "21. september. mars 2022": a day, then several month names, then a year.
    static ODD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{1,2})\.((?:\s*[A-Za-zÆØÅæøå]+\.?)+)\s+(\d{4})$").unwrap()
    });
    if let Some(c) = ODD.captures(&t) {
        let day: u32 = c[1].parse().unwrap_or(0);
        let year: i32 = c[3].parse().unwrap_or(0);
        let mut cands: Vec<String> = c[2]
            .split(|ch: char| ch == '.' || ch.is_whitespace())
            .filter(|w| !w.is_empty())
            .filter_map(|w| vocab.month(w))
            .filter(|m| valid_date(year, *m, day))
            .map(|m| format!("{year:04}-{m:02}-{day:02}"))
            .collect();
        cands.dedup();
        if cands.len() == 1 {
            return DateField::Date(cands.remove(0));
        }
        if cands.len() > 1 {
            return DateField::Ambiguous(cands);
        }
    }
    DateField::Unreadable
}

static TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([01]?\d|2[0-3])[.:]([0-5]\d)\b").unwrap());

/// "10:00" or "10.00" alone: the time as HH:MM.
pub fn time_cell(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix("Kl.")
        .or_else(|| t.strip_prefix("kl."))
        .unwrap_or(t)
        .trim();
    let c = TIME.captures(t)?;
    let m = c.get(0)?;
    if m.start() != 0 || m.end() != t.len() {
        return None;
    }
    Some(format!("{:02}:{}", c[1].parse::<u32>().ok()?, &c[2]))
}

/// "Kl. 10.00 – 16.00": start and end times (HH:MM).
pub fn time_range(s: &str) -> (Option<String>, Option<String>) {
    let times: Vec<String> = TIME
        .captures_iter(s)
        .filter_map(|c| Some(format!("{:02}:{}", c[1].parse::<u32>().ok()?, &c[2])))
        .collect();
    (times.first().cloned(), times.get(1).cloned())
}

/// True when `s` looks like a person's name: two to six words, each starting with an upper
/// case letter (initials such as "W." allowed), no digits.
pub fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=6).contains(&words.len()) {
        return false;
    }
    if s.chars()
        .any(|c| c.is_ascii_digit() || "():;«»".contains(c))
    {
        return false;
    }
    words.iter().all(|w| {
        let w = w.trim_end_matches(',');
        w.chars().next().is_some_and(|c| c.is_uppercase())
            || ["von", "van", "de", "der", "af", "la"].contains(&w)
    })
}

/// Similarity of two strings in 0..=1 (1 - normalised Levenshtein distance over characters,
/// case-insensitive).
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / a.len().max(b.len()) as f64
}

/// Lower-case ASCII slug: letters and digits, runs of anything else as one hyphen.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfc().flat_map(|c| c.to_lowercase()) {
        let mapped: &str = match c {
            'æ' => "ae",
            'ø' => "o",
            'å' => "a",
            'ä' => "a",
            'ö' => "o",
            'ü' => "u",
            'é' | 'è' | 'ê' => "e",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_series_and_archive_numbers() {
        assert_eq!(case_number("38/2022"), Some((38, 2022)));
        assert_eq!(case_number("13/7074"), None, "an archive's running number");
        assert_eq!(
            case_heading("Sak STY 36/08 Innkalling"),
            Some(("STY 36/08".to_string(), "Innkalling".to_string()))
        );
        assert_eq!(
            case_heading("PS 38 / 22 Budsjett"),
            Some(("38/22".to_string(), "Budsjett".to_string()))
        );
    }

    #[test]
    fn join_lines_keeps_real_hyphens() {
        assert_eq!(
            join_lines(&["Direktoratet for e-", "helse"]),
            "Direktoratet for e-helse"
        );
        assert_eq!(
            join_lines(&["Helse-", "og omsorgsdepartementet"]),
            "Helse- og omsorgsdepartementet"
        );
        assert_eq!(join_lines(&["Møtet  ble", " holdt "]), "Møtet ble holdt");
        assert_eq!(join_lines(&["2022 –", "2023"]), "2022 – 2023");
        assert_eq!(clean("deﬁnering av ﬂyt"), "definering av flyt");
    }

    #[test]
    fn date_fields_in_several_spellings() {
        let v = Vocabulary::builtin();
        assert_eq!(
            date_field("3. mars 2021", &v),
            DateField::Date("2021-03-03".into())
        );
        assert_eq!(
            date_field("14.01.2020", &v),
            DateField::Date("2020-01-14".into())
        );
        assert_eq!(
            date_field("4. juni. april 2023", &v),
            DateField::Ambiguous(vec!["2023-06-04".into(), "2023-04-04".into()])
        );
        assert_eq!(date_field("en gang i vår", &v), DateField::Unreadable);
        assert_eq!(date_field("31. februar 2023", &v), DateField::Unreadable);
    }

    #[test]
    fn word_dates_without_year() {
        let v = Vocabulary::builtin();
        let d = word_dates("drøftet i utvalget 3. oktober, og så", &v);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].day, d[0].month, d[0].year), (3, 10, None));
        assert_eq!(d[0].iso(Some(2020)), Some("2020-10-03".into()));
    }

    #[test]
    fn times_and_ranges() {
        assert_eq!(time_cell("9:05"), Some("09:05".into()));
        assert_eq!(time_cell("13.30"), Some("13:30".into()));
        assert_eq!(time_cell("13:30 pause"), None);
        assert_eq!(
            time_range("Kl. 09.00 – 11.15"),
            (Some("09:00".into()), Some("11:15".into()))
        );
    }

    #[test]
    fn case_numbers_and_years() {
        assert_eq!(case_number("7/23"), Some((7, 23)));
        assert_eq!(case_number("12 / 2020"), Some((12, 2020)));
        assert_eq!(case_number("7/23 Tittel"), None);
        assert_eq!(full_year(99, Some(2001)), 1999);
        assert_eq!(full_year(3, None), 2003);
    }

    #[test]
    fn names_and_slugs() {
        assert!(looks_like_name("Ola K. Nordmann"));
        assert!(!looks_like_name("Statsbudsjettet for 2023"));
        assert!(!looks_like_name("Nordmann"));
        assert_eq!(slug("Nasjonalt e-helseråd"), "nasjonalt-e-helserad");
        assert!(similarity("Rolnæs", "Ronæs") > 0.8);
    }
}
