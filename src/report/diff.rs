//! The words that differ between a case's proposed decision and the decision in the minutes.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// A run of text in one of the two versions, and whether it is only in that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub changed: bool,
}

/// The proposal and the decision as pieces: in `proposed`, the words the decision dropped are
/// `changed`; in `adopted`, the words it added. Equal texts give one unchanged piece each.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SideBySide {
    pub proposed: Vec<Piece>,
    pub adopted: Vec<Piece>,
    /// True when the two differ in any word.
    pub differs: bool,
}

pub fn side_by_side(proposed: &str, adopted: &str) -> SideBySide {
    let diff = TextDiff::from_words(proposed, adopted);
    let mut out = SideBySide::default();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut out.proposed, text, false);
                push(&mut out.adopted, text, false);
            }
            ChangeTag::Delete => {
                out.differs |= !text.trim().is_empty();
                push(&mut out.proposed, text, !text.trim().is_empty());
            }
            ChangeTag::Insert => {
                out.differs |= !text.trim().is_empty();
                push(&mut out.adopted, text, !text.trim().is_empty());
            }
        }
    }
    out.proposed = trailing_space_unmarked(out.proposed);
    out.adopted = trailing_space_unmarked(out.adopted);
    out
}

/// A changed run ends at its last word: the space after it (joined to it by `push`, in case
/// another changed word followed) is given back to the unchanged text.
fn trailing_space_unmarked(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if p.changed {
            let word_end = p.text.trim_end().len();
            let (words, space) = p.text.split_at(word_end);
            push(&mut out, words, true);
            if !space.is_empty() {
                out.push(Piece {
                    text: space.to_string(),
                    changed: false,
                });
            }
        } else {
            push(&mut out, &p.text, false);
        }
    }
    out
}

/// Appends `text`, joining it to the last piece when that is marked the same, so that a run of
/// changed words is one marked span rather than one per word. Whitespace between two changed
/// words joins their run.
fn push(pieces: &mut Vec<Piece>, text: &str, changed: bool) {
    if let Some(last) = pieces.last_mut() {
        if last.changed == changed || (last.changed && text.trim().is_empty()) {
            last.text.push_str(text);
            return;
        }
    }
    pieces.push(Piece {
        text: text.to_string(),
        changed,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(pieces: &[Piece]) -> Vec<&str> {
        pieces
            .iter()
            .filter(|p| p.changed)
            .map(|p| p.text.as_str())
            .collect()
    }

    #[test]
    fn the_words_that_differ_are_marked_on_their_side() {
        let d = side_by_side(
            "Rådet tar saken til orientering.",
            "Rådet tar saken til etterretning med endringer.",
        );
        assert!(d.differs);
        assert_eq!(marked(&d.proposed), ["orientering."]);
        assert_eq!(marked(&d.adopted), ["etterretning med endringer."]);
        let whole: String = d.adopted.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(whole, "Rådet tar saken til etterretning med endringer.");
    }

    #[test]
    fn equal_texts_mark_nothing() {
        let d = side_by_side("Vedtak som foreslått.", "Vedtak som foreslått.");
        assert!(!d.differs);
        assert_eq!(d.proposed.len(), 1);
        assert!(marked(&d.adopted).is_empty());
    }
}
