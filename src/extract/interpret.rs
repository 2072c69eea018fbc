//! The content-stream interpreter: graphics and text state, fonts, Form XObjects and marked
//! content. It knows PDF operators and nothing of layout: every glyph it shows goes to a
//! [`Device`] with its position in page space (top-left origin, y down).

use std::sync::Arc;
use std::time::Instant;

use lopdf::{Dictionary, Document, Object};

use super::content::{Lexer, Operand};
use super::font::{dict_get, get_dict, num, resolve, stream_bytes, Font, FontCache};
use super::model::PageIssue;
use crate::read::Limits;

/// An affine matrix [a b c d e f] (PDF row-vector convention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// self × other: apply self first, then other.
    pub fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }
    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }
    fn from_operands(ops: &[Operand]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0; 6];
        for (i, o) in ops[ops.len() - 6..].iter().enumerate() {
            m[i] = o.as_f32()?;
        }
        Some(Matrix(m))
    }
    fn from_object(doc: &Document, o: Option<&Object>) -> Option<Matrix> {
        match o.map(|o| resolve(doc, o)) {
            Some(Object::Array(a)) if a.len() == 6 => {
                let mut m = [0.0; 6];
                for (i, v) in a.iter().enumerate() {
                    m[i] = num(resolve(doc, v))?;
                }
                Some(Matrix(m))
            }
            _ => None,
        }
    }
}

/// One glyph as shown on the page.
#[derive(Debug, Clone)]
pub struct GlyphOut<'a> {
    /// Unicode text ("" for a glyph the font does not map).
    pub text: &'a str,
    /// Origin on the baseline and the end of its advance, page space.
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Effective font size in page units.
    pub size: f32,
    /// Unit vector of the baseline direction.
    pub dir: (f32, f32),
    pub font: &'a Arc<Font>,
    pub invisible: bool,
    /// Marked-content id of the innermost tagged sequence, if any.
    pub mcid: Option<u32>,
    /// The font does not map this code to text.
    pub unmapped: bool,
    /// Width of a space in the font, in page units (0 when unknown).
    pub space_width: f32,
}

/// Receives what the interpreter draws.
pub trait Device {
    fn glyph(&mut self, g: &GlyphOut);
    /// A horizontal or vertical stroke or filled rectangle edge, as a page-space box.
    fn rule(&mut self, _x0: f32, _y0: f32, _x1: f32, _y1: f32) {}
}

#[derive(Clone)]
struct TextState {
    font: Option<Arc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    render: i32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
}

struct Marked {
    mcid: Option<u32>,
    actual: Option<ActualText>,
}

/// Where the first glyph under an /ActualText span was drawn:
/// (x, y, size, direction, font, invisible, space width).
type SpanStart = (f32, f32, f32, (f32, f32), Arc<Font>, bool, f32);

struct ActualText {
    text: String,
    first: Option<SpanStart>,
    end: (f32, f32),
}

/// Runs content streams of one page (and the forms they call) against a device.
pub struct Interpreter<'d, 'x> {
    doc: &'d Document,
    fonts: &'x FontCache,
    limits: &'x Limits,
    pub issues: Vec<PageIssue>,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    marked: Vec<Marked>,
    ops_done: usize,
    stopped: bool,
    path: Vec<(f32, f32, f32, f32)>,
    cur: (f32, f32),
    start: (f32, f32),
    bad_tokens: usize,
    /// Glyphs without text per font: (font name, count, codes with their glyph names).
    unmapped: Vec<(
        String,
        usize,
        std::collections::BTreeMap<u32, Option<String>>,
    )>,
    /// Images drawn (XObject or inline): a page with images and no text needs OCR.
    pub images: usize,
}

fn pdf_text_string(b: &[u8]) -> String {
    if b.starts_with(&[0xfe, 0xff]) {
        super::cmap::utf16be(&b[2..]).unwrap_or_default()
    } else if b.starts_with(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(&b[3..]).into_owned()
    } else {
        b.iter()
            .filter_map(|&c| super::encoding::BaseEncoding::PdfDoc.decode(c))
            .collect()
    }
}

impl<'d, 'x> Interpreter<'d, 'x> {
    pub fn new(
        doc: &'d Document,
        fonts: &'x FontCache,
        limits: &'x Limits,
        page_ctm: Matrix,
    ) -> Self {
        Interpreter {
            doc,
            fonts,
            limits,
            issues: Vec::new(),
            gs: GState {
                ctm: page_ctm,
                text: TextState {
                    font: None,
                    size: 0.0,
                    char_spacing: 0.0,
                    word_spacing: 0.0,
                    hscale: 1.0,
                    leading: 0.0,
                    rise: 0.0,
                    render: 0,
                },
            },
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            marked: Vec::new(),
            ops_done: 0,
            stopped: false,
            path: Vec::new(),
            cur: (0.0, 0.0),
            start: (0.0, 0.0),
            bad_tokens: 0,
            unmapped: Vec::new(),
            images: 0,
        }
    }

    fn issue(&mut self, kind: &str, message: String) {
        if self.issues.iter().filter(|i| i.kind == kind).count() < 5 {
            self.issues.push(PageIssue {
                kind: kind.into(),
                message,
            });
        }
    }

    /// Finishes the page: summary issues.
    pub fn finish(&mut self) {
        if self.bad_tokens > 0 {
            let n = self.bad_tokens;
            self.issue(
                "bad_content",
                format!("{n} unreadable token(s) in the content stream were skipped"),
            );
        }
        for (font, n, codes) in std::mem::take(&mut self.unmapped) {
            let listed: Vec<String> = codes
                .iter()
                .take(8)
                .map(|(c, name)| match name {
                    Some(name) => format!("{c:#x} /{name}"),
                    None => format!("{c:#x}"),
                })
                .collect();
            let more = if codes.len() > 8 { ", ..." } else { "" };
            self.issue(
                "unmapped_glyphs",
                format!(
                    "{n} glyph(s) of font {font} have no Unicode mapping and were left out (codes {}{more})",
                    listed.join(", ")
                ),
            );
        }
    }

    /// Runs one content stream with the given resources.
    pub fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        depth: usize,
        dev: &mut dyn Device,
    ) {
        let mut lx = Lexer::new(content);
        let mut ops: Vec<Operand> = Vec::with_capacity(8);
        while let Some(op) = lx.next_op(&mut ops) {
            if self.stopped {
                return;
            }
            self.ops_done += 1;
            if self.ops_done.is_multiple_of(4096) {
                if let Some(deadline) = self.limits.deadline {
                    if Instant::now() > deadline {
                        self.stopped = true;
                        self.issue(
                            "deadline",
                            "time limit reached: the rest of the page was not read".into(),
                        );
                        return;
                    }
                }
            }
            self.op(op, &ops, resources, depth, dev);
        }
        if lx.errors > 0 {
            self.bad_tokens += lx.errors;
            if let Some(first) = lx.first_error.take() {
                self.issue("bad_content", format!("content stream: {first}"));
            }
        }
    }

    fn op(
        &mut self,
        op: &[u8],
        ops: &[Operand],
        res: Option<&'d Dictionary>,
        depth: usize,
        dev: &mut dyn Device,
    ) {
        let f = |i: usize| ops.get(i).and_then(|o| o.as_f32()).unwrap_or(0.0);
        match op {
            b"q" if self.stack.len() < 256 => self.stack.push(self.gs.clone()),
            b"Q" => {
                if let Some(g) = self.stack.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tf" if ops.len() >= 2 => {
                self.gs.text.size = f(1);
                let name = ops[0].as_name().unwrap_or(b"");
                self.gs.text.font = Some(self.font(res, name));
            }
            b"Tc" => self.gs.text.char_spacing = f(0),
            b"Tw" => self.gs.text.word_spacing = f(0),
            b"Tz" => self.gs.text.hscale = f(0) / 100.0,
            b"TL" => self.gs.text.leading = f(0),
            b"Ts" => self.gs.text.rise = f(0),
            b"Tr" => self.gs.text.render = f(0) as i32,
            b"Td" => self.next_line(f(0), f(1)),
            b"TD" => {
                self.gs.text.leading = -f(1);
                self.next_line(f(0), f(1));
            }
            b"Tm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.text.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = ops.first() {
                    self.show(s, dev);
                }
            }
            b"'" => {
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s, dev);
                }
            }
            b"\"" => {
                if ops.len() >= 3 {
                    self.gs.text.word_spacing = f(0);
                    self.gs.text.char_spacing = f(1);
                }
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s, dev);
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = ops.first() {
                    for item in items {
                        match item {
                            Operand::Str(s) => self.show(s, dev),
                            Operand::Number(n) => self.kern(*n),
                            _ => {}
                        }
                    }
                }
            }
            b"Do" => {
                if let Some(name) = ops.first().and_then(|o| o.as_name()) {
                    self.do_xobject(name, res, depth, dev);
                }
            }
            b"BI" => self.images += 1,
            b"BDC" | b"BMC" => self.begin_marked(ops, res),
            b"EMC" => self.end_marked(dev),
            // Paths, for ruling lines.
            b"m" => {
                self.cur = self.gs.ctm.apply(f(0), f(1));
                self.start = self.cur;
            }
            b"l" => {
                let p = self.gs.ctm.apply(f(0), f(1));
                self.path.push((self.cur.0, self.cur.1, p.0, p.1));
                self.cur = p;
            }
            b"c" => self.cur = self.gs.ctm.apply(f(4), f(5)),
            b"v" | b"y" => self.cur = self.gs.ctm.apply(f(2), f(3)),
            b"h" => {
                if self.cur != self.start {
                    self.path
                        .push((self.cur.0, self.cur.1, self.start.0, self.start.1));
                }
                self.cur = self.start;
            }
            b"re" => {
                let (x, y, w, h) = (f(0), f(1), f(2), f(3));
                let m = self.gs.ctm;
                let p = [
                    m.apply(x, y),
                    m.apply(x + w, y),
                    m.apply(x + w, y + h),
                    m.apply(x, y + h),
                ];
                for i in 0..4 {
                    let (a, b) = (p[i], p[(i + 1) % 4]);
                    self.path.push((a.0, a.1, b.0, b.1));
                }
                self.cur = p[0];
                self.start = p[0];
            }
            b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                for &(x0, y0, x1, y1) in &self.path {
                    // Only axis-aligned segments can be table rules.
                    if (x0 - x1).abs() < 0.5 || (y0 - y1).abs() < 0.5 {
                        dev.rule(x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
                    }
                }
                self.path.clear();
            }
            b"n" => self.path.clear(),
            _ => {}
        }
    }

    fn font(&mut self, res: Option<&'d Dictionary>, name: &[u8]) -> Arc<Font> {
        let doc = self.doc;
        let limit = self.limits.max_stream_bytes;
        let font = res
            .and_then(|r| get_dict(doc, r, b"Font"))
            .and_then(|fd| self.fonts.get(doc, fd, name, limit));
        match font {
            Some(f) => f,
            None => {
                self.issue(
                    "missing_font",
                    format!(
                        "font /{} is not in the resources",
                        String::from_utf8_lossy(name)
                    ),
                );
                Arc::new(Font::fallback())
            }
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn kern(&mut self, n: f32) {
        let ts = &self.gs.text;
        let vertical = ts.font.as_ref().is_some_and(|f| f.vertical);
        let adj = -n / 1000.0 * ts.size;
        let m = if vertical {
            Matrix([1.0, 0.0, 0.0, 1.0, 0.0, adj])
        } else {
            Matrix([1.0, 0.0, 0.0, 1.0, adj * ts.hscale, 0.0])
        };
        self.tm = m.then(&self.tm);
    }

    fn show(&mut self, s: &[u8], dev: &mut dyn Device) {
        let Some(font) = self.gs.text.font.clone() else {
            if !s.is_empty() {
                self.issue("no_font", "text shown before any font was set".into());
            }
            return;
        };
        let ts = self.gs.text.clone();
        let invisible = ts.render == 3 || ts.render == 7;
        let mcid = self.marked.iter().rev().find_map(|m| m.mcid);
        let in_actual = self.marked.iter().any(|m| m.actual.is_some());
        let mut i = 0;
        while i < s.len() {
            let (code, len) = font.next_code(&s[i..]);
            i += len;
            let w0 = font.width(code);
            let trm = Matrix([ts.size * ts.hscale, 0.0, 0.0, ts.size, 0.0, ts.rise])
                .then(&self.tm)
                .then(&self.gs.ctm);
            let text = font.text(code);
            let (x0, y0) = (trm.0[4], trm.0[5]);
            let (x1, y1) = if font.vertical {
                trm.apply(0.0, -1.0)
            } else {
                trm.apply(w0, 0.0)
            };
            let size = (trm.0[2] * trm.0[2] + trm.0[3] * trm.0[3]).sqrt();
            let wlen = (trm.0[0] * trm.0[0] + trm.0[1] * trm.0[1]).sqrt();
            let dir = if wlen > 0.0 {
                (trm.0[0] / wlen, trm.0[1] / wlen)
            } else {
                (1.0, 0.0)
            };
            let space_width = font.space_width * wlen;
            if in_actual {
                if let Some(m) = self.marked.iter_mut().rev().find(|m| m.actual.is_some()) {
                    let a = m.actual.as_mut().expect("checked above");
                    if a.first.is_none() {
                        a.first = Some((x0, y0, size, dir, font.clone(), invisible, space_width));
                    }
                    a.end = (x1, y1);
                }
            } else {
                let unmapped = text.is_none();
                if unmapped && !invisible {
                    let entry = match self.unmapped.iter().position(|u| u.0 == font.name) {
                        Some(i) => &mut self.unmapped[i],
                        None => {
                            self.unmapped
                                .push((font.name.clone(), 0, Default::default()));
                            self.unmapped.last_mut().expect("just pushed")
                        }
                    };
                    entry.1 += 1;
                    if entry.2.len() < 64 {
                        entry
                            .2
                            .entry(code)
                            .or_insert_with(|| font.unmapped_name(code).map(String::from));
                    }
                }
                dev.glyph(&GlyphOut {
                    text: text.unwrap_or(""),
                    x0,
                    y0,
                    x1,
                    y1,
                    size,
                    dir,
                    font: &font,
                    invisible,
                    mcid,
                    unmapped,
                    space_width,
                });
            }
            // Advance.
            let spacing = ts.char_spacing
                + if font.is_word_space(code, len) {
                    ts.word_spacing
                } else {
                    0.0
                };
            let m = if font.vertical {
                Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -(ts.size + spacing)])
            } else {
                Matrix([
                    1.0,
                    0.0,
                    0.0,
                    1.0,
                    (w0 * ts.size + spacing) * ts.hscale,
                    0.0,
                ])
            };
            self.tm = m.then(&self.tm);
        }
    }

    fn begin_marked(&mut self, ops: &[Operand], res: Option<&'d Dictionary>) {
        if self.marked.len() > 512 {
            return;
        }
        let mut mcid = None;
        let mut actual = None;
        match ops.get(1) {
            Some(d @ Operand::Dict(_)) => {
                mcid = d
                    .dict_get(b"MCID")
                    .and_then(|v| v.as_f32())
                    .map(|v| v as u32);
                if let Some(Operand::Str(s)) = d.dict_get(b"ActualText") {
                    actual = Some(pdf_text_string(s));
                }
            }
            Some(Operand::Name(n)) => {
                let props = res
                    .and_then(|r| get_dict(self.doc, r, b"Properties"))
                    .and_then(|p| get_dict(self.doc, p, n));
                if let Some(p) = props {
                    mcid = dict_get(self.doc, p, b"MCID")
                        .and_then(num)
                        .map(|v| v as u32);
                    if let Some(Object::String(s, _)) = dict_get(self.doc, p, b"ActualText") {
                        actual = Some(pdf_text_string(s));
                    }
                }
            }
            _ => {}
        }
        self.marked.push(Marked {
            mcid,
            actual: actual.map(|text| ActualText {
                text,
                first: None,
                end: (0.0, 0.0),
            }),
        });
    }

    fn end_marked(&mut self, dev: &mut dyn Device) {
        let Some(m) = self.marked.pop() else { return };
        let Some(a) = m.actual else { return };
        let Some((x0, y0, size, dir, font, invisible, space_width)) = a.first else {
            return;
        };
        let mcid = self.marked.iter().rev().find_map(|m| m.mcid).or(m.mcid);
        let text = a.text.replace('\u{0}', "");
        dev.glyph(&GlyphOut {
            text: &text,
            x0,
            y0,
            x1: a.end.0,
            y1: a.end.1,
            size,
            dir,
            font: &font,
            invisible,
            mcid,
            unmapped: false,
            space_width,
        });
    }

    fn do_xobject(
        &mut self,
        name: &[u8],
        res: Option<&'d Dictionary>,
        depth: usize,
        dev: &mut dyn Device,
    ) {
        let doc = self.doc;
        let Some(xo) = res
            .and_then(|r| get_dict(doc, r, b"XObject"))
            .and_then(|x| x.get(name).ok())
        else {
            return;
        };
        let Object::Stream(stream) = resolve(doc, xo) else {
            return;
        };
        match stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok())
        {
            Some(b"Form") => {}
            Some(b"Image") => {
                self.images += 1;
                return;
            }
            _ => return,
        }
        if depth >= self.limits.max_form_depth {
            self.issue(
                "form_depth",
                format!(
                    "Form XObjects nested deeper than {} levels were not read",
                    self.limits.max_form_depth
                ),
            );
            return;
        }
        let content = match stream_bytes(doc, xo, self.limits.max_stream_bytes) {
            Ok(c) => c,
            Err(e) => {
                self.issue(
                    "bad_stream",
                    format!("Form XObject /{}: {e}", String::from_utf8_lossy(name)),
                );
                return;
            }
        };
        let form_res = get_dict(doc, &stream.dict, b"Resources").or(res);
        let saved = (self.gs.clone(), self.tm, self.tlm, self.stack.len());
        if let Some(m) = Matrix::from_object(doc, stream.dict.get(b"Matrix").ok()) {
            self.gs.ctm = m.then(&self.gs.ctm);
        }
        self.run(&content, form_res, depth + 1, dev);
        self.stack.truncate(saved.3);
        self.gs = saved.0;
        self.tm = saved.1;
        self.tlm = saved.2;
    }
}
