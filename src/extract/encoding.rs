//! Simple-font encodings: the base encodings, /Differences and glyph names to Unicode.

use super::glyphdata;

/// A named base encoding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    PdfDoc,
    Symbol,
}

impl BaseEncoding {
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        Some(match name {
            b"StandardEncoding" => BaseEncoding::Standard,
            b"WinAnsiEncoding" => BaseEncoding::WinAnsi,
            b"MacRomanEncoding" => BaseEncoding::MacRoman,
            b"PDFDocEncoding" => BaseEncoding::PdfDoc,
            b"SymbolEncoding" => BaseEncoding::Symbol,
            _ => return None,
        })
    }

    fn table(self) -> &'static [u16; 256] {
        match self {
            BaseEncoding::Standard => &glyphdata::STANDARD_ENCODING,
            BaseEncoding::WinAnsi => &glyphdata::WIN_ANSI_ENCODING,
            BaseEncoding::MacRoman => &glyphdata::MAC_ROMAN_ENCODING,
            BaseEncoding::PdfDoc => &glyphdata::PDF_DOC_ENCODING,
            BaseEncoding::Symbol => &glyphdata::SYMBOL_ENCODING,
        }
    }

    /// The character a code stands for, if any.
    pub fn decode(self, code: u8) -> Option<char> {
        match self.table()[code as usize] {
            0 => None,
            u => char::from_u32(u as u32),
        }
    }

    /// The glyph name of a code (for fonts whose glyphs are looked up by name).
    pub fn glyph_name(self, code: u8) -> Option<&'static str> {
        let u = self.table()[code as usize];
        if u == 0 {
            return None;
        }
        glyphdata::GLYPH_NAMES
            .iter()
            .find(|(_, c)| *c == u)
            .map(|(n, _)| *n)
    }
}

/// Glyph names of TeX's math fonts that the Adobe Glyph List lacks (as pdfTeX's
/// glyphtounicode.tex maps them).
const TEX_NAMES: &[(&str, u32)] = &[
    ("phi1", 0x03D5),
    ("negationslash", 0x0338),
    ("squaresolid", 0x25A0),
    ("square", 0x25A1),
    ("mapsto", 0x21A6),
    ("angbracketleft", 0x27E8),
    ("angbracketright", 0x27E9),
    ("subsetnoteql", 0x228A),
    ("supersetnoteql", 0x228B),
    ("arrowhookleft", 0x21A9),
    ("arrowhookright", 0x21AA),
    ("notexistential", 0x2204),
    ("measuredangle", 0x2221),
    ("vextendsingle", 0x2223),
    ("vextenddouble", 0x2225),
    ("parenlefttp", 0x239B),
    ("parenleftbt", 0x239D),
    ("parenrighttp", 0x239E),
    ("parenrightbt", 0x23A0),
    ("bracelefttp", 0x23A7),
    ("braceleftbt", 0x23A9),
    ("bracerighttp", 0x23AB),
    ("bracerightbt", 0x23AD),
    ("epsilon1", 0x03F5),
    ("theta1", 0x03D1),
    ("rho1", 0x03F1),
    ("sigma1", 0x03C2),
    ("omega1", 0x03D6),
    ("emptyset", 0x2205),
    ("periodcentered", 0x00B7),
    // Wide math accents (\widetilde, \widehat): the accent, placed over its letters.
    ("tildewide", 0x02DC),
    ("tildewider", 0x02DC),
    ("tildewidest", 0x02DC),
    ("hatwide", 0x02C6),
    ("hatwider", 0x02C6),
    ("hatwidest", 0x02C6),
];

/// Maps a glyph name to text: the Adobe Glyph List, `uniXXXX[XXXX...]`, `uXXXX[XX]`, ligature
/// names joined with '_' ("f_f_i"), and suffixes after '.' dropped ("a.sc").
pub fn glyph_name_to_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let mut s = String::new();
        for part in base.split('_') {
            s.push_str(&glyph_name_to_unicode(part.as_bytes())?);
        }
        return Some(s);
    }
    if let Ok(i) = glyphdata::GLYPH_NAMES.binary_search_by(|(n, _)| n.cmp(&base)) {
        return char::from_u32(glyphdata::GLYPH_NAMES[i].1 as u32).map(String::from);
    }
    if let Some(&(_, u)) = TEX_NAMES.iter().find(|(n, _)| *n == base) {
        return char::from_u32(u).map(String::from);
    }
    // TeX's extensible delimiters come in sizes: "angbracketleftbigg" is "angbracketleft".
    for suffix in ["Bigg", "bigg", "Big", "big"] {
        if let Some(stem) = base.strip_suffix(suffix) {
            if !stem.is_empty() {
                return glyph_name_to_unicode(stem.as_bytes());
            }
        }
    }
    let hex_ok = |h: &str| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(h) = base.strip_prefix("uni") {
        if h.len() >= 4 && h.len() % 4 == 0 && hex_ok(h) {
            let units: Vec<u16> = (0..h.len() / 4)
                .map(|i| u16::from_str_radix(&h[i * 4..i * 4 + 4], 16).unwrap_or(0))
                .collect();
            return char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok();
        }
    }
    if let Some(h) = base.strip_prefix('u') {
        if (4..=6).contains(&h.len()) && hex_ok(h) {
            return u32::from_str_radix(h, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_unicode(b"aring").as_deref(), Some("å"));
        assert_eq!(glyph_name_to_unicode(b"fi").as_deref(), Some("\u{fb01}"));
        assert_eq!(glyph_name_to_unicode(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_name_to_unicode(b"uni00E6").as_deref(), Some("æ"));
        assert_eq!(glyph_name_to_unicode(b"uni00660069").as_deref(), Some("fi"));
        assert_eq!(
            glyph_name_to_unicode(b"u1F600").as_deref(),
            Some("\u{1f600}")
        );
        assert_eq!(glyph_name_to_unicode(b"afii10017").as_deref(), Some("А"));
        assert_eq!(glyph_name_to_unicode(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_unicode(b"g123"), None);
        assert_eq!(glyph_name_to_unicode(b"phi1").as_deref(), Some("\u{3d5}"));
        assert_eq!(
            glyph_name_to_unicode(b"angbracketleftbigg").as_deref(),
            Some("\u{27e8}")
        );
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.decode(0xe6), Some('æ'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x80), Some('€'));
        assert_eq!(BaseEncoding::MacRoman.decode(0xbf), Some('ø'));
        assert_eq!(BaseEncoding::Standard.decode(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::PdfDoc.decode(0x93), Some('\u{fb01}'));
    }
}
