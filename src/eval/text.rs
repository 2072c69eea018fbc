//! How values are compared: the normalisation, case folding, case-number reading and similarity
//! ratio of the reference scorer (`score-gold`, Python), reproduced exactly so that both give
//! the same scores.

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::tables::{CASEFOLD_EXCEPTIONS, DIGIT_ZEROS};

/// Soft text matching: a text value counts as right when its similarity ratio to the gold
/// value (Ratcliff/Obershelp, as Python's `difflib.SequenceMatcher(autojunk=False).ratio()`)
/// is at least this.
pub const SOFT_THRESHOLD: f64 = 0.95;

/// Whitespace as Python's `str.isspace` (and `\s` of its `re`) has it: Unicode White_Space
/// and the four information separators U+001C..U+001F.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A decimal digit (category Nd), as Python's `\d`; with its value.
fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    let cp = c as u32;
    let at = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DIGIT_ZEROS.get(at.checked_sub(1)?)?;
    (cp - zero < 10).then_some(cp - zero)
}

/// A word character of Python's `re` (`\w`): alphanumeric or the underscore.
fn is_py_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Text as it is compared: Unicode NFC, soft hyphens removed, every run of whitespace one
/// space, no space at either end.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc().filter(|&c| c != '\u{ad}') {
        if is_py_space(c) {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Full Unicode case folding, as Python's `str.casefold`.
pub fn casefold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match CASEFOLD_EXCEPTIONS.binary_search_by_key(&c, |&(k, _)| k) {
            Ok(i) => out.push_str(CASEFOLD_EXCEPTIONS[i].1),
            Err(_) => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A key for comparing names, bodies, labels and codes: normalised and case-folded.
pub fn key(s: Option<&str>) -> Option<String> {
    s.map(|s| casefold(&norm(s)))
}

/// A case number as a key: `38/22`, `38/2022`, `38 / 22` and `38-22` all read `38/22` (the
/// first number, a slash or hyphen, then two to four digits ending a word); anything else is
/// its plain key.
pub fn casenum(s: Option<&str>) -> Option<String> {
    let text = s.unwrap_or("");
    let cs: Vec<char> = text.chars().collect();
    let n = cs.len();
    let mut i = 0;
    while i < n {
        if digit_value(cs[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < n && digit_value(cs[end]).is_some() {
            end += 1;
        }
        // A match starting inside this run of digits would end where one from its start does.
        let mut p = end;
        while p < n && is_py_space(cs[p]) {
            p += 1;
        }
        if p < n && (cs[p] == '/' || cs[p] == '-') {
            p += 1;
            while p < n && is_py_space(cs[p]) {
                p += 1;
            }
            let mut q = p;
            while q < n && digit_value(cs[q]).is_some() {
                q += 1;
            }
            if (2..=4).contains(&(q - p)) && (q == n || !is_py_word(cs[q])) {
                let digits = |r: &[char]| -> String {
                    r.iter()
                        .map(|&c| char::from(b'0' + digit_value(c).unwrap_or(0) as u8))
                        .collect()
                };
                let number = digits(&cs[start..end]);
                let number = number.trim_start_matches('0');
                let number = if number.is_empty() { "0" } else { number };
                let year = digits(&cs[q - 2..q]);
                return Some(format!("{number}/{year}"));
            }
        }
        i = end;
    }
    key(s)
}

/// The similarity of two texts after normalisation: 1 when equal, else the ratio of
/// Python's `difflib.SequenceMatcher(None, a, b, autojunk=False)`.
pub fn ratio(a: Option<&str>, b: Option<&str>) -> f64 {
    let a = a.map(norm).unwrap_or_default();
    let b = b.map(norm).unwrap_or_default();
    if a == b {
        return 1.0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    sequence_ratio(&a, &b)
}

/// Ratcliff/Obershelp similarity, exactly as `difflib.SequenceMatcher.ratio()` without junk
/// and without the popular-element heuristic (`autojunk=False`): twice the number of elements
/// in matching blocks over the total length. The longest matching block is found first (the
/// earliest in `a`, then in `b`, among equally long ones), then the same is done to the parts
/// left of it and right of it.
pub fn sequence_ratio<T: Eq + std::hash::Hash + Copy>(a: &[T], b: &[T]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut b2j: std::collections::HashMap<T, Vec<usize>> = std::collections::HashMap::new();
    for (j, &x) in b.iter().enumerate() {
        b2j.entry(x).or_default().push(j);
    }
    // Lengths of the match ending at (i - 1, j) and (i, j), indexed by j + 1; the touched
    // entries are reset after each row.
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    let mut prev_set: Vec<usize> = Vec::new();
    let mut cur_set: Vec<usize> = Vec::new();
    let mut longest = |alo: usize, ahi: usize, blo: usize, bhi: usize| -> (usize, usize, usize) {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        for (i, x) in a.iter().enumerate().take(ahi).skip(alo) {
            if let Some(js) = b2j.get(x) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = prev[j] + 1;
                    cur[j + 1] = k;
                    cur_set.push(j + 1);
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                }
            }
            for &j in &prev_set {
                prev[j] = 0;
            }
            prev_set.clear();
            std::mem::swap(&mut prev, &mut cur);
            std::mem::swap(&mut prev_set, &mut cur_set);
        }
        for &j in &prev_set {
            prev[j] = 0;
        }
        prev_set.clear();
        (besti, bestj, bestsize)
    };
    let mut matches = 0;
    let mut queue = vec![(0, a.len(), 0, b.len())];
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = longest(alo, ahi, blo, bhi);
        if k > 0 {
            matches += k;
            if alo < i && blo < j {
                queue.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                queue.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    2.0 * matches as f64 / total as f64
}

/// A JSON value as Python's `str()` writes it, or None for null (and a missing field).
pub fn py_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("True".into()),
        Value::Bool(false) => Some("False".into()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            _ => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

/// Whether a JSON value is true in Python's sense (not null, false, 0, "", [] or {}).
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: &str, b: &str) -> f64 {
        ratio(Some(a), Some(b))
    }

    /// Values computed with Python 3.11:
    /// `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()`.
    #[test]
    fn ratio_is_difflibs() {
        let cases: [(&str, &str, f64); 8] = [
            ("abcd", "bcde", 0.75),
            (
                "Godkjenning av innkalling",
                "Godkjenning av innkallingen",
                0.9615384615384616,
            ),
            (
                "Nasjonalt e-helseråd",
                "Nasjonalt e-helsestyre",
                0.8571428571428571,
            ),
            (
                "private Thread currentThread;",
                "private volatile Thread currentThread;",
                0.8656716417910447,
            ),
            ("abxcd", "abcd", 0.8888888888888888),
            ("qabxcd", "abycdf", 0.6666666666666666),
            ("", "abc", 0.0),
            ("tide", "diet", 0.25),
        ];
        for (a, b, want) in cases {
            assert_eq!(r(a, b), want, "{a:?} / {b:?}");
        }
    }

    #[test]
    fn ratio_over_long_texts_is_difflibs() {
        // Repetitive text, where the first longest match is not the only one (Python's value).
        let a = "Vedtak: Rådet tar saken til orientering. ".repeat(20);
        let b = "Vedtak: Styret tar saken til orientering. ".repeat(19);
        assert_eq!(r(&a, &b), 0.8923267326732673);
    }

    #[test]
    fn normalisation_and_keys() {
        assert_eq!(norm("  Møte\u{a0} 6/2022\n\tkl. 10 "), "Møte 6/2022 kl. 10");
        assert_eq!(norm("helse\u{ad}tjeneste"), "helsetjeneste");
        assert_eq!(norm("Nasjonalt e-helsera\u{30a}d"), "Nasjonalt e-helseråd");
        assert_eq!(key(Some("STRAßE Ǆ")).as_deref(), Some("strasse ǆ"));
        assert_eq!(key(None), None);
    }

    #[test]
    fn case_numbers() {
        let c = |s: &str| casenum(Some(s));
        assert_eq!(c("38/22").as_deref(), Some("38/22"));
        assert_eq!(c("Sak 038 / 2022").as_deref(), Some("38/22"));
        assert_eq!(c("38-2022").as_deref(), Some("38/22"));
        assert_eq!(c("4/100").as_deref(), Some("4/00"));
        assert_eq!(c("38/22a").as_deref(), Some("38/22a"));
        assert_eq!(c("38/20221, 5/21").as_deref(), Some("5/21"));
        assert_eq!(c("/15").as_deref(), Some("/15"));
        assert_eq!(c("٣٨/٢٢").as_deref(), Some("38/22"));
        assert_eq!(casenum(None), None);
    }
}
