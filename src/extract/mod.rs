//! Stage 2, extract: PDF objects to positioned text (glyphs, words, lines, blocks, tables) in
//! reading order. Knows nothing of meetings.
//!
//! The split follows pdfminer.six: [`interpret`] runs content streams and emits positioned
//! glyphs to a device; [`font`] (with [`cmap`] and [`encoding`]) turns codes into widths and
//! text, parsed once per font object; [`layout`] turns glyphs into words, lines and blocks and
//! knows no operators.
//!
//! Around them: `content` tokenises (resynchronising after bad tokens), `fontfile` reads
//! embedded font programs when the PDF's own maps fall short, `recover` repairs broken
//! ToUnicode maps (byte-swapped targets, ligatures recovered from glyph widths), `structure`
//! reads the structure tree of tagged files, `table` finds tables (structure tree, ruling
//! lines, alignment), `running` marks headers and footers, and [`normalise`] cleans text.
//! Content-stream order is kept as the reading order: on the producers we read it equals
//! document order, and geometric reordering measured worse.

pub mod cmap;
pub mod content;
mod diacritics;
pub mod encoding;
pub mod font;
mod fontfile;
mod glyphdata;
pub mod interpret;
pub mod layout;
pub mod model;
pub mod normalise;
mod recover;
pub mod render;
mod running;
mod std14;
mod structure;
mod table;

pub use model::{Block, BlockRole, Line, PageIssue, Rect, Table, TextDocument, TextPage, Word};

use lopdf::{Dictionary, Document, Object, ObjectId};
use rayon::prelude::*;

use crate::read::{Limits, PdfFile};
use font::{dict_get, get_dict, num, resolve, stream_bytes, FontCache};
use interpret::{Interpreter, Matrix};
use layout::{LayoutParams, PageCollector};

/// Extracts every page of an opened PDF. Pages are read and laid out in parallel (rayon; a
/// batch already runs documents in parallel and work-stealing shares the cores); the output
/// does not depend on the number of threads.
pub fn extract(pdf: &PdfFile, limits: &Limits) -> TextDocument {
    let fonts = FontCache::default();
    preload_fonts(pdf, &fonts, limits);
    let mut params = LayoutParams::default();
    let mut raw: Vec<RawPage> = pdf
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, &page_id)| {
            if limits
                .deadline
                .is_some_and(|d| std::time::Instant::now() > d)
            {
                return deadline_page(i + 1);
            }
            read_page(&pdf.doc, page_id, i + 1, &fonts, limits, &params)
        })
        .collect();
    let line_sets: Vec<Vec<layout::RawLine>> = raw
        .iter_mut()
        .map(|r| std::mem::take(&mut r.lines))
        .collect();
    params.measure_pitches(&line_sets);
    let mut pages: Vec<TextPage> = raw
        .into_par_iter()
        .zip(line_sets)
        .map(|(r, lines)| {
            let mut page = r.page;
            let blocks = layout::blocks(lines, &r.rules, &params);
            let (blocks, elems): (Vec<Block>, Vec<_>) = blocks.into_iter().unzip();
            page.blocks = blocks;
            match &r.structure {
                Some(s) => tables_from_structure(&mut page, &elems, s),
                None => {
                    table::tables_from_rules(&r.rules, &mut page.blocks, &mut page.tables);
                    table::tables_from_alignment(&mut page.blocks, &mut page.tables);
                }
            }
            page.needs_ocr = page.blocks.is_empty() && r.images > 0;
            if page.needs_ocr {
                page.issues.push(PageIssue {
                    kind: "needs_ocr".into(),
                    message: "no text layer (needs OCR)".into(),
                });
            }
            page
        })
        .collect();
    running::mark(&mut pages);
    if let Some(first) = pages.first_mut() {
        for n in fonts.notes().into_iter().take(20) {
            first.issues.push(PageIssue {
                kind: "font_repair".into(),
                message: n,
            });
        }
    }
    TextDocument { pages }
}

/// A page not read because the document's time limit passed.
fn deadline_page(number: usize) -> RawPage {
    RawPage {
        structure: None,
        page: TextPage {
            number,
            width: 0.0,
            height: 0.0,
            blocks: Vec::new(),
            tables: Vec::new(),
            needs_ocr: false,
            unmapped_glyphs: 0,
            issues: vec![PageIssue {
                kind: "deadline".into(),
                message: "time limit reached before this page was read".into(),
            }],
        },
        lines: Vec::new(),
        rules: Vec::new(),
        images: 0,
    }
}

/// Loads the fonts of every page's resources (and of the forms they hold), page by page,
/// before pages are read in parallel: a font repaired from its siblings then sees the same
/// siblings whatever the thread timing. Fonts found only while reading (in a Type 3 glyph's
/// resources) are loaded then.
fn preload_fonts(pdf: &PdfFile, fonts: &FontCache, limits: &Limits) {
    let doc = &pdf.doc;
    let mut seen_forms = std::collections::HashSet::new();
    for &page_id in &pdf.pages {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        if let Some(Object::Dictionary(res)) = inherited(doc, page, b"Resources") {
            preload_resources(doc, res, fonts, limits, &mut seen_forms, 0);
        }
    }
}

fn preload_resources(
    doc: &Document,
    res: &Dictionary,
    fonts: &FontCache,
    limits: &Limits,
    seen_forms: &mut std::collections::HashSet<ObjectId>,
    depth: usize,
) {
    if let Some(fd) = get_dict(doc, res, b"Font") {
        fonts.load_all(doc, fd, limits.max_stream_bytes);
    }
    if depth >= limits.max_form_depth {
        return;
    }
    let Some(xobjects) = get_dict(doc, res, b"XObject") else {
        return;
    };
    for (_, r) in xobjects.iter() {
        let Object::Reference(id) = r else {
            continue;
        };
        if !seen_forms.insert(*id) {
            continue;
        }
        let Ok(Object::Stream(form)) = doc.get_object(*id) else {
            continue;
        };
        if form.dict.get(b"Subtype").ok() != Some(&Object::Name(b"Form".to_vec())) {
            continue;
        }
        if let Some(inner) = get_dict(doc, &form.dict, b"Resources") {
            preload_resources(doc, inner, fonts, limits, seen_forms, depth + 1);
        }
    }
}

/// A page attribute, inherited through the page tree.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(v) = dict_get(doc, node, key) {
            return Some(v);
        }
        node = get_dict(doc, node, b"Parent")?;
    }
    None
}

fn rect_of(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    match o? {
        Object::Array(a) if a.len() == 4 => {
            let v: Vec<f32> = a.iter().filter_map(|x| num(resolve(doc, x))).collect();
            (v.len() == 4).then(|| {
                [
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                ]
            })
        }
        _ => None,
    }
}

/// Page box and rotation to the matrix from user space to displayed page space (y down).
fn page_matrix(doc: &Document, page: &Dictionary) -> (Matrix, f32, f32) {
    let media = rect_of(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let b = match rect_of(doc, inherited(doc, page, b"CropBox")) {
        Some(c) => [
            c[0].max(media[0]),
            c[1].max(media[1]),
            c[2].min(media[2]),
            c[3].min(media[3]),
        ],
        None => media,
    };
    let b = if b[2] > b[0] && b[3] > b[1] { b } else { media };
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(num)
        .map_or(0, |r| ((r as i32 % 360) + 360) % 360);
    let shift = Matrix([1.0, 0.0, 0.0, 1.0, -b[0], -b[1]]);
    let (m, pw, ph) = match rotate {
        90 => (Matrix([0.0, 1.0, 1.0, 0.0, 0.0, 0.0]), h, w),
        180 => (Matrix([-1.0, 0.0, 0.0, 1.0, w, 0.0]), w, h),
        270 => (Matrix([0.0, -1.0, -1.0, 0.0, h, w]), h, w),
        _ => (Matrix([1.0, 0.0, 0.0, -1.0, 0.0, h]), w, h),
    };
    (shift.then(&m), pw, ph)
}

/// The page's content streams, joined.
fn page_content(
    doc: &Document,
    page: &Dictionary,
    limits: &Limits,
    issues: &mut Vec<PageIssue>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let streams: Vec<&Object> = match page.get(b"Contents").ok() {
        Some(o) => match resolve(doc, o) {
            Object::Array(a) => a.iter().collect(),
            _ => vec![o],
        },
        None => Vec::new(),
    };
    for s in streams {
        match stream_bytes(doc, s, limits.max_stream_bytes) {
            Ok(b) => {
                if out.len() + b.len() > limits.max_stream_bytes {
                    issues.push(PageIssue {
                        kind: "limit".into(),
                        message: format!(
                            "page content larger than {} bytes: the rest was not read",
                            limits.max_stream_bytes
                        ),
                    });
                    break;
                }
                out.extend_from_slice(&b);
                out.push(b'\n');
            }
            Err(e) => issues.push(PageIssue {
                kind: "bad_stream".into(),
                message: format!("content stream could not be decoded: {e}"),
            }),
        }
    }
    out
}

/// A page read but not yet laid out into blocks.
struct RawPage {
    structure: Option<structure::PageStructure>,
    page: TextPage,
    lines: Vec<layout::RawLine>,
    rules: Vec<Rect>,
    images: usize,
}

fn read_page(
    doc: &Document,
    page_id: ObjectId,
    number: usize,
    fonts: &FontCache,
    limits: &Limits,
    params: &LayoutParams,
) -> RawPage {
    let empty = Dictionary::new();
    let page = doc.get_dictionary(page_id).unwrap_or(&empty);
    let (ctm, width, height) = page_matrix(doc, page);
    let mut issues = Vec::new();
    let content = page_content(doc, page, limits, &mut issues);
    let resources = match inherited(doc, page, b"Resources") {
        Some(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let mut collector = PageCollector::default();
    let mut interp = Interpreter::new(doc, fonts, limits, ctm);
    interp.run(&content, resources, 0, &mut collector);
    interp.finish();
    issues.append(&mut interp.issues);
    let images = interp.images;
    let structure = structure::page_structure(doc, page);
    let lines = collector.lines(params, structure.as_ref());
    let unmapped_glyphs = collector.unmapped;
    RawPage {
        structure,
        page: TextPage {
            number,
            width,
            height,
            blocks: Vec::new(),
            tables: Vec::new(),
            needs_ocr: false,
            unmapped_glyphs,
            issues,
        },
        lines,
        rules: collector.rules,
        images,
    }
}

/// Marks the blocks that are table cells in the structure tree and builds the tables.
fn tables_from_structure(
    page: &mut TextPage,
    elems: &[Option<ObjectId>],
    s: &structure::PageStructure,
) {
    let mut order: Vec<ObjectId> = Vec::new();
    for (i, e) in elems.iter().enumerate() {
        let Some(cell) = e.and_then(|e| s.cells.get(&e)) else {
            continue;
        };
        let t = match order.iter().position(|t| *t == cell.table) {
            Some(t) => t,
            None => {
                order.push(cell.table);
                page.tables.push(Table {
                    bbox: page.blocks[i].bbox,
                    rows: Vec::new(),
                });
                order.len() - 1
            }
        };
        let table = &mut page.tables[t];
        table.bbox = table.bbox.union(&page.blocks[i].bbox);
        if table.rows.len() <= cell.row {
            table.rows.resize(cell.row + 1, Vec::new());
        }
        let row = &mut table.rows[cell.row];
        if row.len() <= cell.col {
            row.resize(cell.col + 1, Vec::new());
        }
        row[cell.col].push(i);
        page.blocks[i].role = BlockRole::Cell {
            table: t,
            row: cell.row,
            col: cell.col,
        };
    }
    // A table split over pages starts at a later row here: drop the empty leading rows and
    // renumber the cells.
    let skipped: Vec<usize> = page
        .tables
        .iter_mut()
        .map(|t| {
            let first = t
                .rows
                .iter()
                .position(|r| r.iter().any(|c| !c.is_empty()))
                .unwrap_or(0);
            t.rows.drain(..first);
            first
        })
        .collect();
    for b in page.blocks.iter_mut() {
        if let BlockRole::Cell { table, row, .. } = &mut b.role {
            *row -= skipped[*table];
        }
    }
}
