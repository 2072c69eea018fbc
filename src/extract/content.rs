//! Content-stream tokeniser: bytes to operators with their operands.
//!
//! Unlike lopdf's `Content::decode`, it never stops at a bad token: it skips the offending byte,
//! counts the problem and goes on, so one stray delimiter does not lose the rest of the page.
//! Operands borrow from the stream where they can, so a page is tokenised without a heap
//! allocation per operator.

use std::borrow::Cow;

/// One operand (or a nested array/dictionary element).
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Number(f32),
    Bool(bool),
    Null,
    Name(Cow<'a, [u8]>),
    Str(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    Dict(Vec<(Cow<'a, [u8]>, Operand<'a>)>),
}

impl<'a> Operand<'a> {
    pub fn as_f32(&self) -> Option<f32> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
    pub fn dict_get(&self, key: &[u8]) -> Option<&Operand<'a>> {
        match self {
            Operand::Dict(entries) => entries
                .iter()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Streaming tokeniser over one content stream.
pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bad tokens met so far (skipped).
    pub errors: usize,
    /// The first bad token's description, for the page's issue list.
    pub first_error: Option<String>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

enum Token<'a> {
    Operand(Operand<'a>),
    Keyword(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Bad(&'static str),
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            pos: 0,
            errors: 0,
            first_error: None,
        }
    }

    fn error(&mut self, what: &str) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(format!("{what} at byte {}", self.pos));
        }
    }

    fn skip_white(&mut self) {
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < self.data.len() && !matches!(self.data[self.pos], b'\n' | b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads the next operator, filling `operands` (cleared first). `None` at the end.
    pub fn next_op(&mut self, operands: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        operands.clear();
        loop {
            let tok = self.token()?;
            match tok {
                Token::Operand(o) => operands.push(o),
                Token::Keyword(k) => {
                    if k == b"BI" {
                        self.skip_inline_image();
                    }
                    return Some(k);
                }
                Token::ArrayStart => {
                    let arr = self.array();
                    operands.push(Operand::Array(arr));
                }
                Token::DictStart => {
                    let d = self.dict();
                    operands.push(Operand::Dict(d));
                }
                Token::ArrayEnd | Token::DictEnd => {
                    self.error("unbalanced ']' or '>>'");
                    operands.clear();
                }
                Token::Bad(what) => {
                    self.error(what);
                    operands.clear();
                }
            }
        }
    }

    fn array(&mut self) -> Vec<Operand<'a>> {
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            match self.token() {
                None => {
                    self.error("unterminated array");
                    return out;
                }
                Some(Token::Operand(o)) => out.push(o),
                Some(Token::ArrayStart) => {
                    let a = self.array();
                    out.push(Operand::Array(a));
                }
                Some(Token::DictStart) => {
                    let d = self.dict();
                    out.push(Operand::Dict(d));
                }
                Some(Token::ArrayEnd) => return out,
                Some(Token::Keyword(_)) => {
                    // An operator inside an array: the array was never closed. Give the
                    // keyword back so the operator still runs.
                    self.error("unterminated array");
                    self.pos = start;
                    return out;
                }
                Some(Token::DictEnd) | Some(Token::Bad(_)) => self.error("bad token in array"),
            }
        }
    }

    fn dict(&mut self) -> Vec<(Cow<'a, [u8]>, Operand<'a>)> {
        let mut out = Vec::new();
        let mut key: Option<Cow<'a, [u8]>> = None;
        loop {
            let start = self.pos;
            let value = match self.token() {
                None => {
                    self.error("unterminated dictionary");
                    return out;
                }
                Some(Token::DictEnd) => return out,
                Some(Token::Operand(o)) => o,
                Some(Token::ArrayStart) => Operand::Array(self.array()),
                Some(Token::DictStart) => Operand::Dict(self.dict()),
                Some(Token::Keyword(_)) => {
                    self.error("unterminated dictionary");
                    self.pos = start;
                    return out;
                }
                Some(Token::ArrayEnd) | Some(Token::Bad(_)) => {
                    self.error("bad token in dictionary");
                    continue;
                }
            };
            match key.take() {
                None => match value {
                    Operand::Name(n) => key = Some(n),
                    _ => self.error("dictionary key is not a name"),
                },
                Some(k) => out.push((k, value)),
            }
        }
    }

    fn token(&mut self) -> Option<Token<'a>> {
        self.skip_white();
        let data = self.data;
        let b = *data.get(self.pos)?;
        match b {
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.pos < data.len() && is_regular(data[self.pos]) {
                    self.pos += 1;
                }
                let raw = &data[start..self.pos];
                Some(Token::Operand(Operand::Name(decode_name(raw))))
            }
            b'(' => Some(Token::Operand(Operand::Str(self.literal_string()))),
            b'<' => {
                if data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Some(Token::DictStart)
                } else {
                    Some(Token::Operand(Operand::Str(self.hex_string())))
                }
            }
            b'>' => {
                if data.get(self.pos + 1) == Some(&b'>') {
                    self.pos += 2;
                    Some(Token::DictEnd)
                } else {
                    self.pos += 1;
                    Some(Token::Bad("stray '>'"))
                }
            }
            b'[' => {
                self.pos += 1;
                Some(Token::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Some(Token::ArrayEnd)
            }
            b')' | b'{' | b'}' => {
                self.pos += 1;
                Some(Token::Bad("stray delimiter"))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = self.pos;
                while self.pos < data.len() && is_regular(data[self.pos]) {
                    self.pos += 1;
                }
                match parse_number(&data[start..self.pos]) {
                    Some(n) => Some(Token::Operand(Operand::Number(n))),
                    None => Some(Token::Bad("malformed number")),
                }
            }
            _ => {
                let start = self.pos;
                while self.pos < data.len() && is_regular(data[self.pos]) {
                    self.pos += 1;
                }
                let word = &data[start..self.pos];
                Some(match word {
                    b"true" => Token::Operand(Operand::Bool(true)),
                    b"false" => Token::Operand(Operand::Bool(false)),
                    b"null" => Token::Operand(Operand::Null),
                    _ => Token::Keyword(word),
                })
            }
        }
    }

    fn literal_string(&mut self) -> Cow<'a, [u8]> {
        let data = self.data;
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, balanced parentheses.
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < data.len() {
            match data[i] {
                b'\\' | b'\r' => break,
                b'(' => depth += 1,
                b')' => {
                    if depth == 0 {
                        self.pos = i + 1;
                        return Cow::Borrowed(&data[start..i]);
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        let mut out = Vec::with_capacity(i - start + 8);
        let mut depth = 0usize;
        let mut i = start;
        while i < data.len() {
            let c = data[i];
            i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    if depth == 0 {
                        self.pos = i;
                        return Cow::Owned(out);
                    }
                    depth -= 1;
                    out.push(c);
                }
                b'\r' => {
                    // End-of-line markers in strings read as a single \n.
                    if data.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    out.push(b'\n');
                }
                b'\\' => {
                    let Some(&e) = data.get(i) else { break };
                    i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match data.get(i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if data.get(i) == Some(&b'\n') {
                                i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        self.pos = data.len();
        self.error("unterminated string");
        Cow::Owned(out)
    }

    fn hex_string(&mut self) -> Cow<'a, [u8]> {
        let data = self.data;
        self.pos += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.pos < data.len() {
            let c = data[self.pos];
            self.pos += 1;
            if c == b'>' {
                if let Some(h) = hi {
                    out.push(h << 4);
                }
                return Cow::Owned(out);
            }
            if let Some(v) = hex_val(c) {
                match hi.take() {
                    None => hi = Some(v),
                    Some(h) => out.push((h << 4) | v),
                }
            } else if !is_white(c) {
                self.error("bad character in hex string");
            }
        }
        self.error("unterminated hex string");
        Cow::Owned(out)
    }

    /// Skips inline image data: from after `BI` past the matching `EI`.
    fn skip_inline_image(&mut self) {
        let data = self.data;
        // Find the ID keyword.
        while self.pos + 1 < data.len() {
            if data[self.pos] == b'I'
                && data[self.pos + 1] == b'D'
                && (self.pos == 0 || is_white(data[self.pos - 1]))
                && data.get(self.pos + 2).is_none_or(|&b| is_white(b))
            {
                self.pos += 3;
                break;
            }
            self.pos += 1;
        }
        // Then EI surrounded by white space.
        while self.pos + 1 < data.len() {
            if data[self.pos] == b'E'
                && data[self.pos + 1] == b'I'
                && is_white(data[self.pos - 1])
                && data.get(self.pos + 2).is_none_or(|&b| is_white(b))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = data.len();
    }
}

fn decode_name(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'#') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' && i + 2 < raw.len() + 1 {
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).and_then(|&b| hex_val(b)),
                raw.get(i + 2).and_then(|&b| hex_val(b)),
            ) {
                out.push((h << 4) | l);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// Parses a PDF number ("12", "-3.5", ".5", "4."); tolerates a doubled sign ("--2").
pub fn parse_number(s: &[u8]) -> Option<f32> {
    let mut i = 0;
    let mut neg = false;
    while i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg ^= s[i] == b'-';
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut any = false;
    while i < s.len() && s[i].is_ascii_digit() {
        int = int * 10.0 + (s[i] - b'0') as f64;
        i += 1;
        any = true;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let mut scale = 0.1;
        while i < s.len() && s[i].is_ascii_digit() {
            int += (s[i] - b'0') as f64 * scale;
            scale *= 0.1;
            i += 1;
            any = true;
        }
    }
    if !any || i != s.len() {
        return None;
    }
    Some(if neg { -int } else { int } as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(src: &[u8]) -> (Vec<(String, Vec<Operand<'_>>)>, usize) {
        let mut lx = Lexer::new(src);
        let mut v = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lx.next_op(&mut v) {
            out.push((String::from_utf8_lossy(op).into_owned(), v.clone()));
        }
        (out, lx.errors)
    }

    #[test]
    fn reads_operators_and_operands() {
        let (o, e) =
            ops(b"BT /F1 12 Tf 1 0 0 1 72.5 -.5 Tm (a\\(b\\)c\\101) Tj [(x) -250 <4142>] TJ ET");
        assert_eq!(e, 0);
        let names: Vec<_> = o.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Tm", "Tj", "TJ", "ET"]);
        assert_eq!(o[2].1[5], Operand::Number(-0.5));
        assert_eq!(o[3].1[0], Operand::Str(Cow::Owned(b"a(b)cA".to_vec())));
        match &o[4].1[0] {
            Operand::Array(a) => {
                assert_eq!(a[1], Operand::Number(-250.0));
                assert_eq!(a[2], Operand::Str(Cow::Owned(b"AB".to_vec())));
            }
            other => panic!("not an array: {other:?}"),
        }
    }

    #[test]
    fn resynchronises_after_bad_token() {
        let (o, e) = ops(b"BT (Hello) Tj ET } ) BT (After) Tj ET");
        assert_eq!(e, 2);
        let strs: Vec<_> = o
            .iter()
            .filter(|(n, _)| n == "Tj")
            .map(|(_, v)| v[0].clone())
            .collect();
        assert_eq!(strs.len(), 2);
        assert_eq!(strs[1], Operand::Str(Cow::Borrowed(b"After")));
    }

    #[test]
    fn skips_inline_images_and_reads_dicts() {
        let (o, e) = ops(
            b"q BI /W 2 /H 1 ID \x00\xffEI\x01 EI Q /Span <</ActualText (fi) /MCID 3>> BDC EMC",
        );
        assert_eq!(e, 0);
        let names: Vec<_> = o.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["q", "BI", "Q", "BDC", "EMC"]);
        let d = &o[3].1[1];
        assert_eq!(d.dict_get(b"MCID"), Some(&Operand::Number(3.0)));
    }

    #[test]
    fn parses_numbers() {
        assert_eq!(parse_number(b"4."), Some(4.0));
        assert_eq!(parse_number(b"--2"), Some(2.0));
        assert_eq!(parse_number(b"1.2.3"), None);
    }
}
