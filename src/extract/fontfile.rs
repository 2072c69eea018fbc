//! The embedded font program of a font: what it says about codes, glyph names and Unicode when
//! the PDF's own mappings are missing (Type1 built-in encodings, CFF encodings and charsets,
//! TrueType cmap and post tables).

use lopdf::{Dictionary, Document};

use super::cmap::CMap;
use super::encoding::glyph_name_to_unicode;
use super::font::stream_bytes;

/// An embedded font program.
pub enum EmbeddedFont {
    /// Type1 (FontFile): the built-in encoding read from the clear-text part.
    Type1 { names: Vec<Option<String>> },
    /// Bare CFF (FontFile3 /Type1C or /CIDFontType0C).
    Cff(Vec<u8>),
    /// TrueType or OpenType (FontFile2, FontFile3 /OpenType).
    TrueType(Vec<u8>),
}

impl EmbeddedFont {
    pub fn load(doc: &Document, descriptor: Option<&Dictionary>, limit: usize) -> Option<Self> {
        let fd = descriptor?;
        if let Ok(o) = fd.get(b"FontFile") {
            let data = stream_bytes(doc, o, limit).ok()?;
            return Some(EmbeddedFont::Type1 {
                names: type1_encoding(&data),
            });
        }
        if let Ok(o) = fd.get(b"FontFile2") {
            return Some(EmbeddedFont::TrueType(stream_bytes(doc, o, limit).ok()?));
        }
        if let Ok(o) = fd.get(b"FontFile3") {
            let subtype = match super::font::resolve(doc, o) {
                lopdf::Object::Stream(s) => s
                    .dict
                    .get(b"Subtype")
                    .ok()
                    .and_then(|n| n.as_name().ok())
                    .map(|n| n.to_vec()),
                _ => None,
            };
            let data = stream_bytes(doc, o, limit).ok()?;
            return Some(match subtype.as_deref() {
                Some(b"OpenType") => EmbeddedFont::TrueType(data),
                _ => EmbeddedFont::Cff(data),
            });
        }
        None
    }

    /// The font's built-in encoding as glyph names per code (Type1 and CFF fonts).
    pub fn builtin_names(&self) -> Option<Vec<Option<String>>> {
        match self {
            EmbeddedFont::Type1 { names } => {
                names.iter().any(|n| n.is_some()).then(|| names.clone())
            }
            EmbeddedFont::Cff(data) => {
                let cff = ttf_parser::cff::Table::parse(data)?;
                Some(
                    (0..=255u8)
                        .map(|code| {
                            let gid = cff.glyph_index(code)?;
                            if gid.0 == 0 {
                                return None;
                            }
                            cff.glyph_name(gid).map(String::from)
                        })
                        .collect(),
                )
            }
            EmbeddedFont::TrueType(_) => None,
        }
    }

    /// Text for each single-byte code of a symbolic TrueType font through its own tables:
    /// the (3,0) cmap at 0xF000+code or the (1,0) cmap, then the glyph's name in `post`.
    pub fn truetype_simple_codes(&self) -> Option<Vec<Option<String>>> {
        let EmbeddedFont::TrueType(data) = self else {
            return None;
        };
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let cmap = face.tables().cmap?;
        let mut out = vec![None; 256];
        for (code, slot) in out.iter_mut().enumerate() {
            let mut gid = None;
            for sub in cmap.subtables {
                let found = match (sub.platform_id, sub.encoding_id) {
                    (ttf_parser::PlatformId::Windows, 0) => sub
                        .glyph_index(0xf000 + code as u32)
                        .or_else(|| sub.glyph_index(code as u32)),
                    (ttf_parser::PlatformId::Macintosh, 0) => sub.glyph_index(code as u32),
                    _ => None,
                };
                if found.is_some() {
                    gid = found;
                    break;
                }
            }
            let Some(gid) = gid else { continue };
            *slot = face
                .glyph_name(gid)
                .and_then(|n| glyph_name_to_unicode(n.as_bytes()))
                .filter(|t| super::recover::plausible(t));
        }
        Some(out)
    }

    /// For a CIDFontType2 font whose CIDs are glyph ids: glyph id to text through the font's
    /// Unicode cmap (reversed) and its glyph names.
    pub fn cid_to_unicode(&self) -> CMap {
        let mut cm = CMap::default();
        let EmbeddedFont::TrueType(data) = self else {
            return cm;
        };
        let Ok(face) = ttf_parser::Face::parse(data, 0) else {
            return cm;
        };
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let (Some(gid), Some(ch)) = (sub.glyph_index(cp), char::from_u32(cp)) {
                        cm.unicode
                            .entry(gid.0 as u32)
                            .or_insert_with(|| ch.to_string().into());
                    }
                });
            }
        }
        for gid in 1..face.number_of_glyphs() {
            if cm.unicode.contains_key(&(gid as u32)) {
                continue;
            }
            if let Some(t) = face
                .glyph_name(ttf_parser::GlyphId(gid))
                .and_then(|n| glyph_name_to_unicode(n.as_bytes()))
            {
                cm.unicode.insert(gid as u32, t.into());
            }
        }
        cm
    }
}

/// Reads `dup <code> /<name> put` entries of a Type1 font's clear-text /Encoding.
fn type1_encoding(data: &[u8]) -> Vec<Option<String>> {
    let mut names = vec![None; 256];
    // PFB segments start with 0x80 0x01 and a length; the clear text follows.
    let text = if data.starts_with(&[0x80, 0x01]) && data.len() > 6 {
        &data[6..]
    } else {
        data
    };
    let end = find(text, b"eexec").unwrap_or(text.len());
    let clear = &text[..end];
    let Some(start) = find(clear, b"/Encoding") else {
        return names;
    };
    let enc = &clear[start..];
    if enc.starts_with(b"/Encoding StandardEncoding") {
        for (code, slot) in names.iter_mut().enumerate() {
            *slot = super::encoding::BaseEncoding::Standard
                .glyph_name(code as u8)
                .map(String::from);
        }
        return names;
    }
    let s = String::from_utf8_lossy(enc);
    let mut words = s.split_ascii_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "readonly" || w == "def" {
            break;
        }
        if w != "dup" {
            continue;
        }
        let (Some(code), Some(name)) = (words.next(), words.next()) else {
            break;
        };
        if let (Ok(code), Some(name)) = (code.parse::<usize>(), name.strip_prefix('/')) {
            if code < 256 {
                names[code] = Some(name.to_string());
            }
        }
    }
    names
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_type1_builtin_encoding() {
        let font = b"%!PS-AdobeFont-1.0: CMSY10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 56 /universal put\ndup 57 /existential put\nreadonly def\ncurrentfile eexec\x00\x01";
        let names = type1_encoding(font);
        assert_eq!(names[56].as_deref(), Some("universal"));
        assert_eq!(names[57].as_deref(), Some("existential"));
        assert_eq!(names[58], None);
    }
}
