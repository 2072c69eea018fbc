//! The structure tree of tagged PDFs: which structure element (paragraph, list item, table
//! cell) each marked-content id on a page belongs to, and where table cells sit.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{dict_get, get_dict, num, resolve};

/// Where a structure element sits in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPos {
    /// The /Table element.
    pub table: ObjectId,
    pub row: usize,
    pub col: usize,
}

/// The structure of one page: marked-content id to structure element.
#[derive(Debug, Default)]
pub struct PageStructure {
    /// Marked-content id to the block-level element (P, LI, TD, ...) holding it.
    pub elements: HashMap<u32, ObjectId>,
    /// Marked-content id to its own element (Chrome puts every text node in a NonStruct,
    /// so a line break inside a cell changes it).
    pub leaves: HashMap<u32, ObjectId>,
    pub cells: HashMap<ObjectId, CellPos>,
}

impl PageStructure {
    pub fn element(&self, mcid: Option<u32>) -> Option<ObjectId> {
        self.elements.get(&mcid?).copied()
    }
    pub fn leaf(&self, mcid: Option<u32>) -> Option<ObjectId> {
        self.leaves.get(&mcid?).copied()
    }
}

/// Looks `key` up in a number tree.
fn number_tree_get<'a>(
    doc: &'a Document,
    node: &'a Dictionary,
    key: i64,
    depth: usize,
) -> Option<&'a Object> {
    if depth > 32 {
        return None;
    }
    if let Some(Object::Array(nums)) = dict_get(doc, node, b"Nums") {
        for pair in nums.chunks(2) {
            if let [k, v] = pair {
                if num(resolve(doc, k)) == Some(key as f32) {
                    return Some(resolve(doc, v));
                }
            }
        }
    }
    if let Some(Object::Array(kids)) = dict_get(doc, node, b"Kids") {
        for kid in kids {
            let Object::Dictionary(k) = resolve(doc, kid) else {
                continue;
            };
            if let Some(Object::Array(limits)) = dict_get(doc, k, b"Limits") {
                let lo = limits.first().and_then(|o| num(resolve(doc, o)));
                let hi = limits.get(1).and_then(|o| num(resolve(doc, o)));
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    if (key as f32) < lo || (key as f32) > hi {
                        continue;
                    }
                }
            }
            if let Some(v) = number_tree_get(doc, k, key, depth + 1) {
                return Some(v);
            }
        }
    }
    None
}

fn role(doc: &Document, id: ObjectId) -> Option<&[u8]> {
    let d = doc.get_dictionary(id).ok()?;
    match dict_get(doc, d, b"S")? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

fn parent(doc: &Document, id: ObjectId) -> Option<ObjectId> {
    doc.get_dictionary(id)
        .ok()?
        .get(b"P")
        .ok()?
        .as_reference()
        .ok()
}

/// Structure-element kids of an element (marked-content kids left out).
fn element_kids(doc: &Document, id: ObjectId) -> Vec<ObjectId> {
    let Ok(d) = doc.get_dictionary(id) else {
        return Vec::new();
    };
    match d.get(b"K") {
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        Ok(Object::Reference(r)) => vec![*r],
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|k| matches!(doc.get_object(*k), Ok(Object::Dictionary(d)) if d.has(b"S")))
    .collect()
}

/// The rows (TR elements) of a table, through THead/TBody/TFoot.
fn table_rows(doc: &Document, table: ObjectId) -> Vec<ObjectId> {
    let mut rows = Vec::new();
    for k in element_kids(doc, table) {
        match role(doc, k) {
            Some(b"TR") => rows.push(k),
            Some(b"THead") | Some(b"TBody") | Some(b"TFoot") => rows.extend(
                element_kids(doc, k)
                    .into_iter()
                    .filter(|r| role(doc, *r) == Some(b"TR")),
            ),
            _ => {}
        }
    }
    rows
}

/// Roles of elements that hold a paragraph's worth of text.
fn is_block(r: Option<&[u8]>) -> bool {
    matches!(
        r,
        Some(
            b"P" | b"H"
                | b"H1"
                | b"H2"
                | b"H3"
                | b"H4"
                | b"H5"
                | b"H6"
                | b"LI"
                | b"TD"
                | b"TH"
                | b"Caption"
                | b"BlockQuote"
                | b"Note"
                | b"Title"
                | b"TOCI"
                | b"Figure"
                | b"Formula"
        )
    )
}

/// Roles of elements that only group other blocks.
fn is_grouping(r: Option<&[u8]>) -> bool {
    matches!(
        r,
        None | Some(
            b"Document"
                | b"Part"
                | b"Sect"
                | b"Div"
                | b"Art"
                | b"Table"
                | b"TR"
                | b"THead"
                | b"TBody"
                | b"TFoot"
                | b"L"
                | b"TOC"
                | b"NonStruct"
                | b"StructTreeRoot"
        )
    )
}

/// Reads the structure of one page; `None` for untagged files.
pub fn page_structure(doc: &Document, page: &Dictionary) -> Option<PageStructure> {
    let key = num(dict_get(doc, page, b"StructParents")?)? as i64;
    let catalog = doc.catalog().ok()?;
    let root = get_dict(doc, catalog, b"StructTreeRoot")?;
    let tree = get_dict(doc, root, b"ParentTree")?;
    let Object::Array(entries) = number_tree_get(doc, tree, key, 0)? else {
        return None;
    };
    let mut s = PageStructure::default();
    let mut rows_of: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
    for (mcid, e) in entries.iter().enumerate() {
        let Ok(mut id) = e.as_reference() else {
            continue;
        };
        // Text inside inline elements (Span, Link, Em, Quote, ...) belongs to the block-level
        // element around it.
        let start = id;
        s.leaves.insert(mcid as u32, id);
        let mut found = is_block(role(doc, id));
        for _ in 0..8 {
            if found {
                break;
            }
            match parent(doc, id) {
                Some(p) if !is_grouping(role(doc, p)) => {
                    id = p;
                    found = is_block(role(doc, id));
                }
                _ => break,
            }
        }
        if !found {
            id = start;
        }
        s.elements.insert(mcid as u32, id);
        if s.cells.contains_key(&id) {
            continue;
        }
        // A cell: climb TD/TH -> TR -> (THead|TBody|TFoot) -> Table.
        let mut cell = Some(id);
        let mut td = None;
        for _ in 0..6 {
            let Some(c) = cell else { break };
            if matches!(role(doc, c), Some(b"TD") | Some(b"TH")) {
                td = Some(c);
                break;
            }
            cell = parent(doc, c);
        }
        let Some(td) = td else { continue };
        let Some(tr) = parent(doc, td) else { continue };
        let mut table = parent(doc, tr);
        if let Some(t) = table {
            if matches!(
                role(doc, t),
                Some(b"THead") | Some(b"TBody") | Some(b"TFoot")
            ) {
                table = parent(doc, t);
            }
        }
        let Some(table) = table.filter(|t| role(doc, *t) == Some(b"Table")) else {
            continue;
        };
        let rows = rows_of
            .entry(table)
            .or_insert_with(|| table_rows(doc, table));
        let Some(row) = rows.iter().position(|r| *r == tr) else {
            continue;
        };
        let col = element_kids(doc, tr)
            .iter()
            .position(|c| *c == td)
            .unwrap_or(0);
        s.cells.insert(id, CellPos { table, row, col });
    }
    Some(s)
}
