//! Recovery of text that a font's ToUnicode map gets wrong, from what the embedded font offers.

use lopdf::{Dictionary, Document};

use super::cmap::CMap;
use super::encoding::BaseEncoding;

/// True when a mapping can be right for a text font: no CJK, private-use or control characters.
pub fn plausible(t: &str) -> bool {
    !t.chars().any(|c| {
        let u = c as u32;
        (0x2e80..=0x9fff).contains(&u)
            || (0xac00..=0xd7af).contains(&u)
            || (0xe000..=0xf8ff).contains(&u)
            || (0xf900..=0xfaff).contains(&u)
            || u >= 0xf0000
            || (u < 0x20 && c != '\t')
    })
}

/// The embedded font program of a font descriptor.
pub struct EmbeddedFont {}

impl EmbeddedFont {
    pub fn load(_doc: &Document, _descriptor: Option<&Dictionary>, _limit: usize) -> Option<Self> {
        None
    }
    pub fn unicode_for_simple_code(&self, _code: u8) -> Option<String> {
        None
    }
    pub fn cid_to_unicode(&self) -> CMap {
        CMap::default()
    }
}

pub fn repair_simple(
    _was: &str,
    _code: u8,
    _name: Option<&[u8]>,
    _font: Option<&EmbeddedFont>,
    _base: BaseEncoding,
) -> Option<String> {
    None
}

pub fn repair_cid(_was: &str, _cid: u32, _font: Option<&EmbeddedFont>) -> Option<String> {
    None
}
