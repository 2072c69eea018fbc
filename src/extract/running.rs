//! Running headers, footers and page numbers: blocks in the top or bottom margin that repeat
//! across pages (digits aside), or that are nothing but a page number.

use std::collections::HashMap;

use super::model::{BlockRole, TextPage};

/// Share of the page height counted as the top or bottom margin.
const MARGIN: f32 = 0.09;

fn shape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "3", "- 3 -", "Side 3 av 12", "Page 3 of 12", "3/12".
pub fn is_page_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let lower = t.to_lowercase();
    let rest = ["side", "page", "s."]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower)
        .trim();
    let mut parts = rest
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return false;
    };
    if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) || first.len() > 4 {
        return false;
    }
    match (parts.next(), parts.next(), parts.next()) {
        (None, None, None) => true,
        (Some(n), None, None) => n.chars().all(|c| c.is_ascii_digit()),
        (Some("av" | "of" | "von" | "de"), Some(n), None) => n.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Marks running headers and footers on the pages of one document.
pub fn mark(pages: &mut [TextPage]) {
    let zone = |page: &TextPage, y0: f32, y1: f32| -> Option<bool> {
        if page.height <= 0.0 {
            None
        } else if y1 < page.height * MARGIN {
            Some(true)
        } else if y0 > page.height * (1.0 - MARGIN) {
            Some(false)
        } else {
            None
        }
    };
    let mut seen: HashMap<(bool, String), usize> = HashMap::new();
    for page in pages.iter() {
        let mut on_page: Vec<(bool, String)> = page
            .blocks
            .iter()
            .filter(|b| b.role == BlockRole::Body)
            .filter_map(|b| zone(page, b.bbox.y0, b.bbox.y1).map(|top| (top, shape(&b.text))))
            .collect();
        on_page.sort();
        on_page.dedup();
        for k in on_page {
            *seen.entry(k).or_default() += 1;
        }
    }
    // Chapter headers change every few pages: three pages are enough in a long document.
    let need = if pages.len() >= 6 { 3 } else { 2 };
    for page in pages.iter_mut() {
        let (h, n) = (page.height, page.blocks.len());
        for i in 0..n {
            let b = &page.blocks[i];
            if b.role != BlockRole::Body || h <= 0.0 {
                continue;
            }
            let top = if b.bbox.y1 < h * MARGIN {
                true
            } else if b.bbox.y0 > h * (1.0 - MARGIN) {
                false
            } else {
                continue;
            };
            let repeated = seen.get(&(top, shape(&b.text))).is_some_and(|&c| c >= need);
            if repeated || is_page_number(&b.text) {
                page.blocks[i].role = if top {
                    BlockRole::Header
                } else {
                    BlockRole::Footer
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for yes in ["3", "- 3 -", "Side 3 av 12", "Page 3 of 12", "3/12", "s. 4"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["3. desember", "38/22 Godkjenning", "Side", "2022-12-02", ""] {
            assert!(!is_page_number(no), "{no}");
        }
    }
}
