//! The result of scoring, and its two renderings: text (the reference scorer's lines, with
//! optional misses and per-document scores) and one JSON object.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;
use serde_json::{json, Value};

use super::text::SOFT_THRESHOLD;

/// True positives, false positives, false negatives of one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Counts {
    /// The score of one measure: precision (recall) 1 when nothing was found (expected).
    pub fn score(&self) -> Score {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else {
            1.0
        };
        let r = if self.tp + self.fn_ > 0 {
            tp / (tp + fn_)
        } else {
            1.0
        };
        Score::of(p, r)
    }
}

impl Score {
    /// A precision and recall with their harmonic mean (0 when both are 0).
    fn of(precision: f64, recall: f64) -> Score {
        let sum = precision + recall;
        Score {
            precision,
            recall,
            f1: if sum > 0.0 {
                2.0 * precision * recall / sum
            } else {
                0.0
            },
        }
    }
}

/// The overall score of a set of measures: micro-averaged over every measure but the
/// "(strict)" ones (text counts once, by the soft measure). Nothing to find and nothing
/// invented (a mandate, a letter) is a perfect score.
pub fn overall(fields: &BTreeMap<String, Counts>) -> (Counts, Score) {
    let mut total = Counts::default();
    for (name, c) in fields {
        if !name.contains("(strict)") {
            total.tp += c.tp;
            total.fp += c.fp;
            total.fn_ += c.fn_;
        }
    }
    let (tp, fp, fn_) = (total.tp as f64, total.fp as f64, total.fn_ as f64);
    let p = if total.tp + total.fp > 0 {
        tp / (tp + fp)
    } else if total.fn_ > 0 {
        0.0
    } else {
        1.0
    };
    let r = if total.tp + total.fn_ > 0 {
        tp / (tp + fn_)
    } else if total.fp > 0 {
        0.0
    } else {
        1.0
    };
    (total, Score::of(p, r))
}

/// A value missed, wrong or invented: the gold beside what was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// The gold file (its name), or "(no gold file)".
    pub file: String,
    /// The meeting, as "BODY DATE".
    pub meeting: String,
    /// What is wrong ("case 38/22 title wrong", "participant missing").
    pub what: String,
    /// The gold value; null when none was expected.
    pub gold: Option<String>,
    /// The value found; null when none was.
    pub found: Option<String>,
}

/// The counts of one gold file's meetings (and of the invented meetings charged to it).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    pub file: String,
    pub fields: BTreeMap<String, Counts>,
}

/// Everything scoring found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// (tp, fp, fn) by measure ("meetings", "case.title", "case.title (strict)" ...).
    pub fields: BTreeMap<String, Counts>,
    /// The same, per gold file, in the order given.
    pub documents: Vec<DocumentReport>,
    /// Invented meetings charged to no gold file (counted in `fields` only).
    pub unattributed: BTreeMap<String, Counts>,
    pub misses: Vec<Miss>,
}

/// What the text rendering shows besides the measures.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub per_document: bool,
    pub misses: bool,
}

fn measure_line(name: &str, width: usize, c: &Counts, s: &Score) -> String {
    format!(
        "{name:width$} P={:.3} R={:.3} F1={:.3}  (tp={} fp={} fn={})",
        s.precision, s.recall, s.f1, c.tp, c.fp, c.fn_
    )
}

impl Report {
    /// The overall score (the last line of the text).
    pub fn overall(&self) -> Score {
        overall(&self.fields).1
    }

    /// The report as text: the misses (with `misses`), a line per gold file (with
    /// `per_document`), a line per measure, and last `overall F1 = x.xxx`. Without options
    /// the lines are those of the reference scorer.
    pub fn to_text(&self, options: TextOptions) -> String {
        let mut out = String::new();
        if options.misses {
            for m in &self.misses {
                let _ = writeln!(out, "{} {}: {}", m.file, m.meeting, m.what);
                let _ = writeln!(out, "    gold:  {}", m.gold.as_deref().unwrap_or("-"));
                let _ = writeln!(out, "    found: {}", m.found.as_deref().unwrap_or("-"));
            }
            if !self.misses.is_empty() {
                out.push('\n');
            }
        }
        if options.per_document {
            let mut rows: Vec<(String, Counts, Score)> = self
                .documents
                .iter()
                .map(|d| {
                    let (c, s) = overall(&d.fields);
                    (d.file.clone(), c, s)
                })
                .collect();
            if !self.unattributed.is_empty() {
                let (c, s) = overall(&self.unattributed);
                rows.push(("(meetings of no gold file)".into(), c, s));
            }
            let width = rows
                .iter()
                .map(|r| r.0.chars().count())
                .max()
                .unwrap_or(0)
                .max(32);
            for (name, c, s) in &rows {
                out.push_str(&measure_line(name, width, c, s));
                out.push('\n');
            }
            out.push('\n');
        }
        for (name, c) in &self.fields {
            out.push_str(&measure_line(name, 32, c, &c.score()));
            out.push('\n');
        }
        let _ = writeln!(out, "overall F1 = {:.3}", self.overall().f1);
        out
    }

    /// The whole report as one JSON object: the overall precision, recall and F1, every
    /// measure, every gold file's figures, and every miss.
    pub fn to_json(&self) -> Value {
        fn fields_json(fields: &BTreeMap<String, Counts>) -> Value {
            let map: serde_json::Map<String, Value> = fields
                .iter()
                .map(|(name, c)| {
                    let s = c.score();
                    (
                        name.clone(),
                        json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_,
                               "precision": s.precision, "recall": s.recall, "f1": s.f1}),
                    )
                })
                .collect();
            Value::Object(map)
        }
        let (total, score) = overall(&self.fields);
        let documents: Vec<Value> = self
            .documents
            .iter()
            .map(|d| {
                let (c, s) = overall(&d.fields);
                json!({"file": d.file, "tp": c.tp, "fp": c.fp, "fn": c.fn_,
                       "precision": s.precision, "recall": s.recall, "f1": s.f1,
                       "fields": fields_json(&d.fields)})
            })
            .collect();
        json!({
            "precision": score.precision,
            "recall": score.recall,
            "f1": score.f1,
            "tp": total.tp,
            "fp": total.fp,
            "fn": total.fn_,
            "soft_threshold": SOFT_THRESHOLD,
            "fields": fields_json(&self.fields),
            "documents": documents,
            "unattributed": fields_json(&self.unattributed),
            "misses": self.misses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_find_and_nothing_invented_is_perfect() {
        let mut fields = BTreeMap::new();
        fields.insert("meetings".to_string(), Counts::default());
        assert_eq!(overall(&fields).1.f1, 1.0);
        fields.insert(
            "cases".to_string(),
            Counts {
                tp: 0,
                fp: 2,
                fn_: 0,
            },
        );
        assert_eq!(overall(&fields).1.f1, 0.0);
    }

    #[test]
    fn strict_measures_are_not_in_the_overall() {
        let mut fields = BTreeMap::new();
        fields.insert(
            "case.title".to_string(),
            Counts {
                tp: 3,
                fp: 1,
                fn_: 1,
            },
        );
        fields.insert(
            "case.title (strict)".to_string(),
            Counts {
                tp: 0,
                fp: 4,
                fn_: 4,
            },
        );
        let (c, s) = overall(&fields);
        assert_eq!((c.tp, c.fp, c.fn_), (3, 1, 1));
        assert_eq!(s.f1, 0.75);
    }
}
