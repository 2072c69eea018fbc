//! The font layer: code splitting, glyph widths and code-to-Unicode mapping for simple
//! (Type1/TrueType), composite (Type0) and Type3 fonts. Each font object is parsed once per
//! document and cached by object id (see [`FontCache`]).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::CMap;
use super::encoding::{glyph_name_to_unicode, BaseEncoding};
use super::{fontfile, recover, std14};

/// Follows references (a few levels) to the object itself.
pub fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..8 {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &Object::Null,
            },
            _ => return obj,
        }
    }
    obj
}

pub fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| resolve(doc, o))
}

pub fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match dict_get(doc, d, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f32> {
    num(dict_get(doc, d, key)?)
}

pub fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match dict_get(doc, d, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// An error with its causes ("couldn't decompress stream: decompressed output exceeded the
/// 1048576-byte limit ...").
pub fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// Decoded stream bytes under the size limit.
pub fn stream_bytes(doc: &Document, o: &Object, limit: usize) -> Result<Vec<u8>, String> {
    match resolve(doc, o) {
        Object::Stream(s) => s
            .get_plain_content_with_limit(limit)
            .map_err(|e| describe(&e)),
        _ => Err("not a stream".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontKind {
    Simple,
    Composite,
    Type3,
}

/// How a font splits a string into codes.
#[derive(Debug, Clone)]
enum Split {
    OneByte,
    TwoByte,
    CMap(CMap),
}

/// A font ready for text extraction.
#[derive(Debug, Clone)]
pub struct Font {
    /// Base font name, subset prefix removed.
    pub name: String,
    pub bold: bool,
    pub italic: bool,
    pub kind: FontKind,
    pub vertical: bool,
    split: Split,
    /// Simple fonts: text per code (ToUnicode over encoding).
    simple_text: Vec<Option<Box<str>>>,
    /// Composite fonts: ToUnicode.
    to_unicode: Option<CMap>,
    simple_widths: Vec<f32>,
    cid_widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// Horizontal scale from glyph space to text space (0.001, or Type3's FontMatrix).
    pub glyph_scale: f32,
    /// Width of the space glyph in text-space units per unit font size (0 when unknown).
    pub space_width: f32,
    /// Notes on repairs made (e.g. a broken ToUnicode map corrected).
    pub notes: Vec<String>,
    /// Codes whose ToUnicode target cannot be right and is not yet repaired.
    lost: Vec<(u32, String)>,
    /// Glyph names of codes that map to no text (for reporting them).
    unmapped_names: HashMap<u32, String>,
}

fn strip_subset(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => name,
    }
}

fn style_from(name: &str, descriptor: Option<&Dictionary>, doc: &Document) -> (bool, bool) {
    let lower = name.to_ascii_lowercase();
    let mut bold = ["bold", "black", "heavy", "semibold", "demi"]
        .iter()
        .any(|w| lower.contains(w));
    let mut italic = lower.contains("italic") || lower.contains("oblique");
    if let Some(fd) = descriptor {
        if get_num(doc, fd, b"FontWeight").is_some_and(|w| w >= 600.0) {
            bold = true;
        }
        let flags = get_num(doc, fd, b"Flags").unwrap_or(0.0) as u32;
        if flags & (1 << 18) != 0 {
            bold = true;
        }
        if flags & (1 << 6) != 0 || get_num(doc, fd, b"ItalicAngle").is_some_and(|a| a != 0.0) {
            italic = true;
        }
    }
    (bold, italic)
}

impl Font {
    /// A font for a missing or unreadable font resource: one byte per code, no text (its
    /// encoding is unknown, and guessed text would be garbage), so its glyphs are reported as
    /// unmapped.
    pub fn fallback() -> Font {
        let mut f = Font::empty(FontKind::Simple, "(missing)".into());
        f.simple_widths = vec![500.0; 256];
        f.notes
            .push("a font object is missing or unreadable: its text cannot be read".into());
        f
    }

    fn empty(kind: FontKind, name: String) -> Font {
        Font {
            name,
            bold: false,
            italic: false,
            kind,
            vertical: false,
            split: Split::OneByte,
            simple_text: vec![None; 256],
            to_unicode: None,
            simple_widths: vec![0.0; 256],
            cid_widths: Vec::new(),
            default_width: 1000.0,
            glyph_scale: 0.001,
            space_width: 0.0,
            notes: Vec::new(),
            lost: Vec::new(),
            unmapped_names: HashMap::new(),
        }
    }

    /// Builds a font from its dictionary.
    pub fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"Type1");
        let base = get_name(doc, dict, b"BaseFont")
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let name = strip_subset(&base).to_string();
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o, limit).ok())
            .map(|b| CMap::parse(&b));
        let mut font = match subtype {
            b"Type0" => Font::load_composite(doc, dict, name, to_unicode, limit),
            _ => Font::load_simple(doc, dict, subtype, name, to_unicode, limit),
        };
        font.space_width = font.measure_space();
        font
    }

    fn load_simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        name: String,
        to_unicode: Option<CMap>,
        limit: usize,
    ) -> Font {
        let kind = if subtype == b"Type3" {
            FontKind::Type3
        } else {
            FontKind::Simple
        };
        let mut font = Font::empty(kind, name.clone());
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        (font.bold, font.italic) = style_from(&name, descriptor, doc);
        if kind == FontKind::Type3 {
            if let Some(Object::Array(m)) = dict_get(doc, dict, b"FontMatrix") {
                if let Some(a) = m.first().and_then(num) {
                    font.glyph_scale = a;
                }
            }
        }
        let symbolic = descriptor
            .and_then(|fd| get_num(doc, fd, b"Flags"))
            .is_some_and(|f| (f as u32) & 4 != 0);

        // Encoding: base table plus /Differences.
        let enc_obj = dict_get(doc, dict, b"Encoding");
        let mut base = None;
        let mut names: Vec<Option<&[u8]>> = vec![None; 256];
        match enc_obj {
            Some(Object::Name(n)) => base = BaseEncoding::from_name(n),
            Some(Object::Dictionary(d)) => {
                base = get_name(doc, d, b"BaseEncoding").and_then(BaseEncoding::from_name);
                if let Some(Object::Array(diffs)) = dict_get(doc, d, b"Differences") {
                    let mut code = 0usize;
                    for item in diffs {
                        match resolve(doc, item) {
                            Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
                            Object::Name(n) => {
                                if code < 256 {
                                    names[code] = Some(n);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let lower = name.to_ascii_lowercase();
        let is_symbol_font = lower.starts_with("symbol") || lower.contains("dingbats");
        let base_named = base.is_some();
        let base = base.unwrap_or(if is_symbol_font {
            BaseEncoding::Symbol
        } else {
            BaseEncoding::Standard
        });
        // The embedded program is read only when the PDF's own mappings fall short.
        let tu_sound = to_unicode
            .as_ref()
            .is_some_and(|tu| tu.unicode.values().all(|t| recover::plausible(t)));
        let embedded = if tu_sound {
            None
        } else {
            fontfile::EmbeddedFont::load(doc, descriptor, limit)
        };
        let builtin = match &embedded {
            Some(e) if !base_named => e.builtin_names(),
            _ => None,
        };
        let truetype_codes = match &embedded {
            Some(e) if symbolic && !base_named => e.truetype_simple_codes(),
            _ => None,
        };
        let mut pending: Vec<(u32, String)> = Vec::new();
        for (code, name_at) in names.iter().enumerate() {
            let from_name = name_at.and_then(glyph_name_to_unicode);
            let from_base = || {
                // Without a named base encoding an embedded font's own encoding rules: the
                // built-in encoding of a Type1/CFF program, the cmap of a symbolic TrueType.
                if let Some(b) = &builtin {
                    return b[code]
                        .as_deref()
                        .and_then(|n| glyph_name_to_unicode(n.as_bytes()));
                }
                truetype_codes
                    .as_ref()
                    .and_then(|t| t[code].clone())
                    .or_else(|| base.decode(code as u8).map(String::from))
            };
            let from_tu = to_unicode
                .as_ref()
                .and_then(|tu| tu.unicode.get(&(code as u32)))
                .map(|s| s.to_string());
            let text = match from_tu {
                Some(t) if recover::plausible(&t) => Some(t),
                Some(t) => {
                    let fixed = recover::repair_by_name_or_order(&t, *name_at);
                    match &fixed {
                        Some(f) => font.notes.push(format!(
                            "font {name}: ToUnicode maps code {code} to {t:?}; read as {f:?}"
                        )),
                        None => pending.push((code as u32, t)),
                    }
                    fixed
                }
                None => from_name.or_else(from_base),
            };
            if text.is_none() {
                let name = name_at
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .or_else(|| builtin.as_ref().and_then(|b| b[code].clone()));
                if let Some(n) = name {
                    font.unmapped_names.insert(code as u32, n);
                }
            }
            font.simple_text[code] = text.map(Into::into);
        }

        // Widths.
        let first = get_num(doc, dict, b"FirstChar").unwrap_or(0.0).max(0.0) as usize;
        let missing = descriptor
            .and_then(|fd| get_num(doc, fd, b"MissingWidth"))
            .unwrap_or(0.0);
        if let Some(Object::Array(ws)) = dict_get(doc, dict, b"Widths") {
            font.simple_widths = vec![missing; 256];
            for (i, w) in ws.iter().enumerate() {
                if first + i < 256 {
                    font.simple_widths[first + i] = num(resolve(doc, w)).unwrap_or(missing);
                }
            }
        } else {
            font.simple_widths = std14_widths(&lower, &font.simple_text);
        }
        font.lost = pending;
        font
    }

    /// Guesses the ligatures behind lost mappings from glyph widths; `sibling_pieces` are the
    /// pieces of other fonts of the same name (a subset split over several font objects).
    pub fn guess_lost(&mut self, sibling_pieces: &HashMap<String, f32>) {
        if self.lost.is_empty() {
            return;
        }
        let mut pieces = self.piece_widths();
        for (k, v) in sibling_pieces {
            pieces.entry(k.clone()).or_insert(*v);
        }
        let lost = std::mem::take(&mut self.lost);
        let shapes: Vec<(String, f32)> = lost
            .iter()
            .map(|(code, was)| {
                (
                    recover::readable_prefix(was),
                    self.width(*code) / self.glyph_scale,
                )
            })
            .collect();
        let guesses = recover::guess_ligatures(&shapes, &pieces);
        for ((code, was), guess) in lost.into_iter().zip(guesses) {
            self.note_guess(code, &was, guess.as_deref());
            if let Some(g) = guess {
                match self.kind {
                    FontKind::Composite => {
                        if let Some(tu) = self.to_unicode.as_mut() {
                            tu.unicode.insert(code, g.into());
                        }
                    }
                    _ => self.simple_text[code as usize] = Some(g.into()),
                }
            }
        }
    }

    /// Widths (glyph units) of the texts the font maps to one glyph: letters and ligatures.
    pub fn piece_widths(&self) -> HashMap<String, f32> {
        let mut out = HashMap::new();
        let mut add = |t: &str, w: f32| {
            if w > 0.0
                && !t.is_empty()
                && t.chars().count() <= 3
                && t.chars().all(char::is_alphabetic)
            {
                out.entry(t.to_string()).or_insert(w);
            }
        };
        match self.kind {
            FontKind::Composite => {
                if let Some(tu) = &self.to_unicode {
                    let mut codes: Vec<(&u32, &Box<str>)> = tu.unicode.iter().collect();
                    codes.sort_unstable_by_key(|(c, _)| **c);
                    for (code, t) in codes {
                        add(t, self.width(*code) * 1000.0);
                    }
                }
            }
            _ => {
                for (code, t) in self.simple_text.iter().enumerate() {
                    if let Some(t) = t {
                        add(t, self.simple_widths[code]);
                    }
                }
            }
        }
        out
    }

    fn note_guess(&mut self, code: u32, was: &str, guess: Option<&str>) {
        let name = &self.name;
        self.notes.push(match guess {
            Some(g) => format!(
                "font {name}: ToUnicode maps code {code} to {was:?}; read as {g:?} (by glyph width)"
            ),
            None => format!(
                "font {name}: ToUnicode maps code {code} to {was:?}, which cannot be right; left unmapped"
            ),
        });
    }

    fn load_composite(
        doc: &Document,
        dict: &Dictionary,
        name: String,
        to_unicode: Option<CMap>,
        limit: usize,
    ) -> Font {
        let mut font = Font::empty(FontKind::Composite, name.clone());
        font.split = Split::TwoByte;
        match dict.get(b"Encoding").ok().map(|o| resolve(doc, o)) {
            Some(Object::Name(n)) => {
                font.vertical = n.ends_with(b"-V");
                if !n.starts_with(b"Identity") {
                    // Predefined CJK CMaps are not bundled: read them as two-byte codes.
                    font.notes.push(format!(
                        "font {name}: predefined CMap {} read as two-byte codes",
                        String::from_utf8_lossy(n)
                    ));
                }
            }
            Some(Object::Stream(s)) => {
                if let Ok(b) = s.get_plain_content_with_limit(limit) {
                    let cm = CMap::parse(&b);
                    if !cm.codespace.is_empty() {
                        font.split = Split::CMap(cm);
                    }
                }
                font.vertical = get_num(doc, &s.dict, b"WMode").is_some_and(|w| w == 1.0);
            }
            _ => {}
        }
        let descendant = match dict_get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().map(|o| resolve(doc, o)),
            _ => None,
        };
        let cid_font = match descendant {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let descriptor = cid_font.and_then(|c| get_dict(doc, c, b"FontDescriptor"));
        (font.bold, font.italic) = style_from(&name, descriptor, doc);
        if let Some(cf) = cid_font {
            font.default_width = get_num(doc, cf, b"DW").unwrap_or(1000.0);
            if let Some(Object::Array(w)) = dict_get(doc, cf, b"W") {
                font.cid_widths = parse_w(doc, w);
            }
        }
        let embedded = if to_unicode.is_none() {
            fontfile::EmbeddedFont::load(doc, descriptor, limit)
        } else {
            None
        };
        let mut to_unicode = to_unicode;
        let mut pending: Vec<(u32, String)> = Vec::new();
        if let Some(tu) = &mut to_unicode {
            let mut bad: Vec<u32> = tu
                .unicode
                .iter()
                .filter(|(_, t)| !recover::plausible(t))
                .map(|(c, _)| *c)
                .collect();
            // Hash order is random: sort, so that notes and guesses repeat run to run.
            bad.sort_unstable();
            for code in bad {
                let was = tu
                    .unicode
                    .remove(&code)
                    .map(String::from)
                    .unwrap_or_default();
                match recover::repair_by_name_or_order(&was, None) {
                    Some(fixed) => {
                        font.notes.push(format!(
                            "font {name}: ToUnicode maps code {code} to {was:?}; read as {fixed:?}"
                        ));
                        tu.unicode.insert(code, fixed.into());
                    }
                    None => pending.push((code, was)),
                }
            }
        }
        font.lost = pending;
        if to_unicode.is_none() {
            // No ToUnicode: Identity-H with an embedded TrueType font can be read through the
            // font's own cmap (CID = glyph id).
            if let Some(e) = &embedded {
                let cm = e.cid_to_unicode();
                if !cm.unicode.is_empty() {
                    font.notes.push(format!(
                        "font {name}: no ToUnicode; text read from the embedded font's cmap"
                    ));
                    to_unicode = Some(cm);
                }
            }
        }
        font.to_unicode = to_unicode;
        font
    }

    fn measure_space(&self) -> f32 {
        match self.kind {
            FontKind::Composite => {
                // The lowest code mapped to a space (hash order would vary run to run).
                let space = self.to_unicode.as_ref().and_then(|tu| {
                    tu.unicode
                        .iter()
                        .filter(|(_, t)| &***t == " ")
                        .map(|(c, _)| *c)
                        .min()
                });
                space.map_or(0.0, |c| self.width(c))
            }
            _ => {
                let w = self.width(32) / self.glyph_scale * 0.001;
                // A "space" wider than 0.6 em or narrower than 0.1 em is not a word space.
                if self.simple_text[32].as_deref() == Some(" ") && (0.1..=0.6).contains(&w) {
                    self.width(32)
                } else {
                    0.0
                }
            }
        }
    }

    /// Splits the next code off a string: (code, bytes used).
    #[inline]
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        match &self.split {
            Split::OneByte => (bytes[0] as u32, 1),
            Split::TwoByte => {
                if bytes.len() >= 2 {
                    (((bytes[0] as u32) << 8) | bytes[1] as u32, 2)
                } else {
                    (bytes[0] as u32, 1)
                }
            }
            Split::CMap(c) => c.next_code(bytes, 2),
        }
    }

    /// Advance width of a code in text-space units per unit of font size.
    #[inline]
    pub fn width(&self, code: u32) -> f32 {
        match self.kind {
            FontKind::Composite => {
                let cid = match &self.split {
                    Split::CMap(c) => c.cid(code),
                    _ => code,
                };
                let w = match self.cid_widths.binary_search_by(|&(lo, hi, _)| {
                    if cid < lo {
                        std::cmp::Ordering::Greater
                    } else if cid > hi {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Equal
                    }
                }) {
                    Ok(i) => self.cid_widths[i].2,
                    Err(_) => self.default_width,
                };
                w * 0.001
            }
            _ => {
                self.simple_widths
                    .get(code as usize)
                    .copied()
                    .unwrap_or(0.0)
                    * self.glyph_scale
            }
        }
    }

    /// The text of a code, if the font maps it.
    #[inline]
    pub fn text(&self, code: u32) -> Option<&str> {
        match self.kind {
            FontKind::Composite => self
                .to_unicode
                .as_ref()
                .and_then(|t| t.unicode.get(&code))
                .map(|s| &**s),
            _ => self
                .simple_text
                .get(code as usize)
                .and_then(|t| t.as_deref()),
        }
    }

    /// The glyph name of a code that maps to no text, when the font names it.
    pub fn unmapped_name(&self, code: u32) -> Option<&str> {
        self.unmapped_names.get(&code).map(String::as_str)
    }

    /// True when a code is the single-byte space that word spacing (Tw) applies to.
    #[inline]
    pub fn is_word_space(&self, code: u32, len: usize) -> bool {
        code == 32 && len == 1
    }
}

/// Parses a CID font's /W array into sorted (first, last, width) ranges.
fn parse_w(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(resolve(doc, &w[i])) else {
            break;
        };
        let first = first as u32;
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, wv) in ws.iter().enumerate() {
                    if let Some(v) = num(resolve(doc, wv)) {
                        out.push((first + k as u32, first + k as u32, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) =
                    (num(o), w.get(i + 2).and_then(|x| num(resolve(doc, x))))
                else {
                    break;
                };
                out.push((first, last as u32, v));
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|r| r.0);
    // Overlapping entries: the later range is dropped so binary search stays valid.
    let mut clean: Vec<(u32, u32, f32)> = Vec::with_capacity(out.len());
    for r in out {
        if clean.last().is_none_or(|l| r.0 > l.1) {
            clean.push(r);
        }
    }
    clean
}

/// Standard-14 widths for a non-embedded font without /Widths, by the text of each code.
fn std14_widths(lower_name: &str, texts: &[Option<Box<str>>]) -> Vec<f32> {
    if lower_name.contains("courier") {
        return vec![600.0; 256];
    }
    let bold = lower_name.contains("bold");
    let italic = lower_name.contains("italic") || lower_name.contains("oblique");
    let table = if lower_name.contains("times") || lower_name.contains("serif") {
        match (bold, italic) {
            (false, false) => &std14::TIMES_ROMAN,
            (true, false) => &std14::TIMES_BOLD,
            (false, true) => &std14::TIMES_ITALIC,
            (true, true) => &std14::TIMES_BOLD_ITALIC,
        }
    } else {
        match (bold, italic) {
            (false, false) => &std14::HELVETICA,
            (true, false) => &std14::HELVETICA_BOLD,
            (false, true) => &std14::HELVETICA_OBLIQUE,
            (true, true) => &std14::HELVETICA_BOLD_OBLIQUE,
        }
    };
    let mut out = vec![500.0; 256];
    for (code, t) in texts.iter().enumerate() {
        let Some(ch) = t.as_deref().and_then(|s| s.chars().next()) else {
            continue;
        };
        // Find the WinAnsi code of the character, then its width.
        let win = (0..256usize).find(|&c| BaseEncoding::WinAnsi.decode(c as u8) == Some(ch));
        if let Some(w) = win.map(|c| table[c]).filter(|&w| w > 0) {
            out[code] = w as f32;
        }
    }
    out
}

/// Key of a cached font: its object id, or the address of a direct dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontKey {
    Object(ObjectId),
    Direct(usize),
}

/// Fonts of one document, each parsed once, shared by the threads reading its pages.
#[derive(Default)]
pub struct FontCache {
    inner: RwLock<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    fonts: HashMap<FontKey, Arc<Font>>,
    /// Keys in loading order, for deterministic iteration.
    order: Vec<FontKey>,
}

fn key_of(font_ref: &Object) -> FontKey {
    match font_ref {
        Object::Reference(id) => FontKey::Object(*id),
        other => FontKey::Direct(other as *const Object as usize),
    }
}

impl FontCache {
    /// The font `name` of a resource /Font dictionary. The first time a dictionary is seen,
    /// all its fonts are loaded together (see [`FontCache::load_all`]).
    pub fn get(
        &self,
        doc: &Document,
        fonts: &Dictionary,
        name: &[u8],
        limit: usize,
    ) -> Option<Arc<Font>> {
        let key = key_of(fonts.get(name).ok()?);
        let read = self.inner.read().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = read.fonts.get(&key) {
            return Some(f.clone());
        }
        drop(read);
        self.load_all(doc, fonts, limit);
        let read = self.inner.read().unwrap_or_else(|e| e.into_inner());
        read.fonts.get(&key).cloned()
    }

    /// Loads every font of a resource /Font dictionary not loaded yet, together, so that a
    /// subset split over several font objects (cairo puts ligatures in a font of their own)
    /// can borrow its siblings' glyph widths. Which fonts were loaded before decides what a
    /// font may borrow: [`super::extract`] loads the fonts of all pages in page order before
    /// reading pages in parallel, so the result does not depend on thread timing.
    pub fn load_all(&self, doc: &Document, fonts: &Dictionary, limit: usize) {
        let mut cache = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut fresh: Vec<(FontKey, Font)> = Vec::new();
        for (_, r) in fonts.iter() {
            let key = key_of(r);
            if cache.fonts.contains_key(&key) || fresh.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let font = match resolve(doc, r) {
                Object::Dictionary(d) => Font::load(doc, d, limit),
                _ => Font::fallback(),
            };
            fresh.push((key, font));
        }
        for i in 0..fresh.len() {
            if fresh[i].1.lost.is_empty() {
                continue;
            }
            let mut siblings = HashMap::new();
            let name = fresh[i].1.name.clone();
            for (j, (_, f)) in fresh.iter().enumerate() {
                if j != i && f.name == name {
                    for (k, v) in f.piece_widths() {
                        siblings.entry(k).or_insert(v);
                    }
                }
            }
            for f in cache.order.iter().filter_map(|k| cache.fonts.get(k)) {
                if f.name == name {
                    for (k, v) in f.piece_widths() {
                        siblings.entry(k).or_insert(v);
                    }
                }
            }
            fresh[i].1.guess_lost(&siblings);
        }
        for (k, f) in fresh {
            cache.order.push(k);
            cache.fonts.insert(k, Arc::new(f));
        }
    }

    /// Repairs noted on the fonts loaded so far, in loading order.
    pub fn notes(&self) -> Vec<String> {
        let cache = self.inner.read().unwrap_or_else(|e| e.into_inner());
        cache
            .order
            .iter()
            .filter_map(|k| cache.fonts.get(k))
            .flat_map(|f| f.notes.iter().cloned())
            .collect()
    }
}
