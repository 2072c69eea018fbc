#!/usr/bin/env python3
"""Writes src/eval/tables.rs: the Unicode tables `referat eval` needs to fold case and read
digits exactly as Python does (the reference scorer, score-gold, is Python).

usage: python3 scripts/gen-eval-tables.py > src/eval/tables.rs
"""
import unicodedata

exceptions = []
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000:
        continue
    c = chr(cp)
    if c.casefold() != c.lower():
        exceptions.append((cp, c.casefold()))
zeros = [cp for cp in range(0x110000)
         if unicodedata.category(chr(cp)) == "Nd" and unicodedata.decimal(chr(cp)) == 0]


def esc(s):
    return "".join("\\u{%x}" % ord(ch) for ch in s)


print("//! Tables generated from Python's `unicodedata` (Unicode %s) by\n"
      "//! `scripts/gen-eval-tables.py`, so that `eval` folds case and reads digits exactly as the\n"
      "//! reference scorer (`score-gold`, Python) does.\n" % unicodedata.unidata_version)
print("/// Characters whose full case folding (`str.casefold`) differs from their lowercase mapping\n"
      "/// (`str.lower`), with their folding; sorted by code point.")
print("pub(super) const CASEFOLD_EXCEPTIONS: &[(char, &str)] = &[")
for cp, f in exceptions:
    print("    ('%s', \"%s\")," % (esc(chr(cp)), esc(f)))
print("];\n")
print("/// The digit zero of every run of ten decimal digits (category Nd), sorted.")
print("pub(super) const DIGIT_ZEROS: &[u32] = &[")
for z in zeros:
    print("    0x%x," % z)
print("];")
