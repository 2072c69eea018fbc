//! CMaps: ToUnicode maps (bfchar/bfrange) and character-code to CID maps (cidchar/cidrange),
//! with codespace ranges of 1 to 4 bytes. Parsed once per font object.

use std::collections::HashMap;

use super::content::{Lexer, Operand};

/// One codespace range: codes of `len` bytes from `lo` to `hi` (per byte, as the spec says).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CodeRange {
    pub len: u8,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

/// A parsed CMap.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub codespace: Vec<CodeRange>,
    /// Code to Unicode text (ToUnicode maps).
    pub unicode: HashMap<u32, Box<str>>,
    /// Code ranges to CIDs: (lo, hi, first cid) (embedded encoding CMaps).
    pub cid_ranges: Vec<(u32, u32, u32)>,
    /// Targets that were not valid UTF-16 and were read as bytes.
    pub bad_targets: usize,
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |a, &b| (a << 8) | b as u32)
}

/// Decodes a UTF-16BE target. `None` when it is not valid UTF-16.
pub fn utf16be(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

impl CMap {
    /// Parses CMap source text. Never fails: what cannot be read is skipped.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lx = Lexer::new(data);
        let mut ops: Vec<Operand> = Vec::new();
        while let Some(op) = lx.next_op(&mut ops) {
            match op {
                b"endcodespacerange" => {
                    for pair in ops.chunks(2) {
                        if let [Operand::Str(lo), Operand::Str(hi)] = pair {
                            let len = lo.len().clamp(1, 4);
                            let mut r = CodeRange {
                                len: len as u8,
                                lo: [0; 4],
                                hi: [0xff; 4],
                            };
                            for i in 0..len {
                                r.lo[i] = lo.get(i).copied().unwrap_or(0);
                                r.hi[i] = hi.get(i).copied().unwrap_or(0xff);
                            }
                            cmap.codespace.push(r);
                        }
                    }
                }
                b"endbfchar" => {
                    for pair in ops.chunks(2) {
                        if let [Operand::Str(src), dst] = pair {
                            if let Some(text) = cmap.target(dst) {
                                cmap.unicode.insert(code_of(src), text.into());
                            }
                        }
                    }
                }
                b"endbfrange" => {
                    for triple in ops.chunks(3) {
                        let [Operand::Str(lo), Operand::Str(hi), dst] = triple else {
                            continue;
                        };
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        // A hostile range must not make us allocate millions of entries.
                        if hi < lo || hi - lo > 0xffff {
                            continue;
                        }
                        match dst {
                            Operand::Str(start) => {
                                if start.is_empty() {
                                    continue;
                                }
                                for (i, code) in (lo..=hi).enumerate() {
                                    // Increment the last byte pair of the target.
                                    let mut t = start.to_vec();
                                    let n = t.len();
                                    if n >= 2 {
                                        let last = u16::from_be_bytes([t[n - 2], t[n - 1]])
                                            .wrapping_add(i as u16);
                                        t[n - 2..].copy_from_slice(&last.to_be_bytes());
                                    } else {
                                        t[0] = t[0].wrapping_add(i as u8);
                                    }
                                    if let Some(text) = cmap.target(&Operand::Str(t.into())) {
                                        cmap.unicode.insert(code, text.into());
                                    }
                                }
                            }
                            Operand::Array(items) => {
                                for (code, item) in (lo..=hi).zip(items.iter()) {
                                    if let Some(text) = cmap.target(item) {
                                        cmap.unicode.insert(code, text.into());
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                b"endcidrange" => {
                    for triple in ops.chunks(3) {
                        if let [Operand::Str(lo), Operand::Str(hi), Operand::Number(cid)] = triple {
                            cmap.cid_ranges
                                .push((code_of(lo), code_of(hi), *cid as u32));
                        }
                    }
                }
                b"endcidchar" => {
                    for pair in ops.chunks(2) {
                        if let [Operand::Str(src), Operand::Number(cid)] = pair {
                            let c = code_of(src);
                            cmap.cid_ranges.push((c, c, *cid as u32));
                        }
                    }
                }
                _ => {}
            }
        }
        cmap
    }

    fn target(&mut self, dst: &Operand) -> Option<String> {
        match dst {
            Operand::Str(b) => match utf16be(b) {
                Some(s) => Some(s),
                None => {
                    // Broken UTF-16 (odd length, unpaired surrogates): keep what decodes and
                    // mark the rest, so that the font layer can see the mapping is wrong.
                    self.bad_targets += 1;
                    let units = b
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]));
                    Some(
                        char::decode_utf16(units)
                            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                            .collect(),
                    )
                }
            },
            Operand::Name(n) => super::encoding::glyph_name_to_unicode(n),
            _ => None,
        }
    }

    /// Splits the next code off `bytes` by the codespace ranges; returns (code, byte length).
    /// Without ranges, `default_len` bytes are taken.
    pub fn next_code(&self, bytes: &[u8], default_len: usize) -> (u32, usize) {
        if !self.codespace.is_empty() {
            for len in 1..=4usize {
                if bytes.len() < len {
                    break;
                }
                for r in &self.codespace {
                    if r.len as usize == len
                        && (0..len).all(|i| bytes[i] >= r.lo[i] && bytes[i] <= r.hi[i])
                    {
                        return (code_of(&bytes[..len]), len);
                    }
                }
            }
            // No range matched: take the shortest range length, as Acrobat does.
            let len = self
                .codespace
                .iter()
                .map(|r| r.len as usize)
                .min()
                .unwrap_or(1)
                .min(bytes.len());
            return (code_of(&bytes[..len]), len);
        }
        let len = default_len.min(bytes.len()).max(1);
        (code_of(&bytes[..len]), len)
    }

    /// The CID of a code through cidrange/cidchar; the code itself when unmapped.
    pub fn cid(&self, code: u32) -> u32 {
        for &(lo, hi, first) in &self.cid_ranges {
            if code >= lo && code <= hi {
                return first + (code - lo);
            }
        }
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bfchar_bfrange_arrays_and_multi_codepoint_targets() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar
            2 beginbfrange <0020> <0022> <0041>
            <0030> <0031> [<0078> <D835DC9C>] endbfrange
            endcmap";
        let c = CMap::parse(src);
        assert_eq!(&*c.unicode[&3], " ");
        assert_eq!(&*c.unicode[&0x10], "fi");
        assert_eq!(&*c.unicode[&0x22], "C");
        assert_eq!(&*c.unicode[&0x30], "x");
        assert_eq!(&*c.unicode[&0x31], "\u{1d49c}");
        assert_eq!(c.next_code(&[0, 0x22, 1], 1), (0x22, 2));
    }

    #[test]
    fn splits_mixed_length_codespaces() {
        let src =
            b"begincodespacerange <00> <80> <8140> <9FFC> <A0A0A0A0> <A1A1A1A1> endcodespacerange";
        let c = CMap::parse(src);
        assert_eq!(c.next_code(&[0x41, 0x81, 0x40], 2), (0x41, 1));
        assert_eq!(c.next_code(&[0x81, 0x40], 2), (0x8140, 2));
        assert_eq!(c.next_code(&[0xa0, 0xa1, 0xa0, 0xa1], 2), (0xa0a1a0a1, 4));
    }
}
