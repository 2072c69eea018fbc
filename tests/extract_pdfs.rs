//! Small PDFs built in code, one per encoding path and text operator, read back through
//! `read::open_bytes` and `extract::extract`.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use referat::extract::{self, TextDocument};
use referat::read::{self, Limits, ReadError};

/// A one-page document: `fonts` are (resource name, font dictionary), `content` the page's
/// content stream; `page_extra` adds keys to the page dictionary.
fn build(fonts: Vec<(&str, Object)>, content: &[u8], page_extra: Dictionary) -> Document {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut font_dict = Dictionary::new();
    for (name, f) in fonts {
        let id = doc.add_object(f);
        font_dict.set(name, id);
    }
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
    let mut page = dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => font_dict },
    };
    for (k, v) in page_extra.iter() {
        page.set(k.clone(), v.clone());
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("document saves");
    out
}

fn extract_bytes(bytes: &[u8]) -> TextDocument {
    let limits = Limits::default();
    let pdf = read::open_bytes(bytes, &limits).expect("document opens");
    extract::extract(&pdf, &limits)
}

fn text_of(doc: &mut Document) -> String {
    extract_bytes(&save(doc)).plain_text()
}

fn helvetica() -> Object {
    Object::Dictionary(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

/// The page's resource dictionary, for adding fonts and XObjects after `build`.
fn resources(doc: &mut Document) -> &mut Dictionary {
    let page_id = doc.page_iter().next().expect("a page");
    doc.get_dictionary_mut(page_id)
        .expect("page dict")
        .get_mut(b"Resources")
        .expect("resources")
        .as_dict_mut()
        .expect("dict")
}

fn set_font(doc: &mut Document, name: &str, id: ObjectId) {
    resources(doc)
        .get_mut(b"Font")
        .expect("fonts")
        .as_dict_mut()
        .expect("dict")
        .set(name, id);
}

fn type0_font(doc: &mut Document, to_unicode: &str) -> ObjectId {
    let src = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n{to_unicode}\nendcmap end end"
    );
    let tu = doc.add_object(Stream::new(Dictionary::new(), src.into_bytes()));
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "ABCDEF+Carlito",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 500,
        "W" => vec![1.into(), vec![250.into(), 500.into(), 500.into()].into(),
                    10.into(), 20.into(), 600.into()],
    });
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "ABCDEF+Carlito",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![descendant.into()],
        "ToUnicode" => tu,
    })
}

#[test]
fn winansi_standard14_font_and_positioning_operators() {
    // Td, TD, T*, ', " and TJ kerning; æøå through WinAnsi; no /Widths (standard-14 metrics).
    let content =
        b"BT /F1 12 Tf 72 700 Td (Hei p\xe5 deg) Tj 0 -14 TD (Bl\xe5b\xe6r) Tj T* (Tredje) Tj \
                    (Fjerde linje) ' 2 0.5 (Femte) \" 0 Tc 0 Tw T* [(Sam) -30 (men) -300 (skrevet)] TJ ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    let text = text_of(&mut doc);
    for want in ["Hei på deg", "Blåbær", "Tredje", "Fjerde linje", "Femte"] {
        assert!(text.lines().any(|l| l.contains(want)), "{want} in {text}");
    }
    // A kern of -30 joins letters; -300 (a quarter em) is a word gap.
    assert!(text.contains("Sammen skrevet"), "{text}");
}

#[test]
fn glyph_gaps_make_words_without_space_glyphs() {
    // Words drawn one Tj each, separated only by position (as TeX does).
    let content = b"BT /F1 10 Tf 1 0 0 1 72 700 Tm (Here) Tj 1 0 0 1 97 700 Tm (is) Tj \
                    1 0 0 1 107 700 Tm (text) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "Here is text");
}

#[test]
fn differences_glyph_names_and_ligatures() {
    let font = Object::Dictionary(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Times-Roman",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![
                1.into(), "fi".into(), "uni00F8".into(), "afii10017".into(), "u1F600".into(),
            ],
        },
    });
    let content = b"BT /F1 12 Tf 72 700 Td (\x01nne s\x02t \x03 \x04) Tj ET";
    let mut doc = build(vec![("F1", font)], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "finne søt А \u{1f600}");
}

#[test]
fn macroman_and_standard_encodings() {
    let mac = Object::Dictionary(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "MacRomanEncoding",
    });
    let std = Object::Dictionary(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = b"BT /F1 12 Tf 72 700 Td (\xbf\x8c) Tj ET BT /F2 12 Tf 72 650 Td (it\x27s) Tj ET";
    let mut doc = build(vec![("F1", mac), ("F2", std)], content, Dictionary::new());
    let text = text_of(&mut doc);
    assert!(text.contains("øå"), "{text}");
    assert!(text.contains("it\u{2019}s"), "{text}");
}

#[test]
fn type0_identity_h_with_tounicode_ranges_arrays_and_multi_codepoint_targets() {
    let mut doc = build(
        vec![],
        b"BT /F1 12 Tf 72 700 Td <0002000300010004000A000B> Tj ET",
        Dictionary::new(),
    );
    let font = type0_font(
        &mut doc,
        "2 beginbfchar <0001> <0020> <0004> <00660069> endbfchar\n\
         2 beginbfrange <0002> <0003> <0041> <000A> <000B> [<00E6> <D835DC9C>] endbfrange",
    );
    set_font(&mut doc, "F1", font);
    assert_eq!(text_of(&mut doc).trim(), "AB fiæ\u{1d49c}");
}

#[test]
fn byte_swapped_tounicode_targets_are_repaired_and_reported() {
    // "s" + a ligature "tt" mapped to U+7400 U+7400 (bytes swapped) + "e" + "s".
    let mut doc = build(
        vec![],
        b"BT /F1 12 Tf 72 700 Td <0002000100030002> Tj ET",
        Dictionary::new(),
    );
    let font = type0_font(
        &mut doc,
        "3 beginbfchar <0002> <0073> <0001> <74007400> <0003> <0065> endbfchar",
    );
    set_font(&mut doc, "F1", font);
    let out = extract_bytes(&save(&mut doc));
    assert_eq!(out.plain_text().trim(), "sttes");
    assert!(
        out.pages[0].issues.iter().any(|i| i.kind == "font_repair"),
        "{:?}",
        out.pages[0].issues
    );
}

#[test]
fn unmapped_glyphs_are_reported_not_invented() {
    let mut doc = build(
        vec![],
        b"BT /F1 12 Tf 72 700 Td <00020009> Tj ET",
        Dictionary::new(),
    );
    let font = type0_font(&mut doc, "1 beginbfchar <0002> <0061> endbfchar");
    set_font(&mut doc, "F1", font);
    let out = extract_bytes(&save(&mut doc));
    assert_eq!(out.plain_text().trim(), "a");
    assert!(!out.plain_text().contains('\u{fffd}'));
    assert!(out.pages[0]
        .issues
        .iter()
        .any(|i| i.kind == "unmapped_glyphs"));
}

fn form(doc: &mut Document, matrix: Option<[i64; 6]>, res: Dictionary, content: &[u8]) -> ObjectId {
    let mut d = dictionary! {
        "Type" => "XObject", "Subtype" => "Form",
        "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
        "Resources" => res,
    };
    if let Some(m) = matrix {
        d.set(
            "Matrix",
            m.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>(),
        );
    }
    doc.add_object(Stream::new(d, content.to_vec()))
}

#[test]
fn form_xobjects_are_read_with_their_matrix_and_resources() {
    let mut doc = build(
        vec![("F1", helvetica())],
        b"q /X1 Do Q BT /F1 12 Tf 72 600 Td (Page) Tj ET",
        Dictionary::new(),
    );
    let inner = form(
        &mut doc,
        None,
        dictionary! { "Font" => dictionary! { "F1" => helvetica() } },
        b"BT /F1 12 Tf 0 0 Td (Inner) Tj ET",
    );
    let outer = form(
        &mut doc,
        Some([1, 0, 0, 1, 72, 700]),
        dictionary! {
            "Font" => dictionary! { "F1" => helvetica() },
            "XObject" => dictionary! { "X2" => inner },
        },
        b"BT /F1 12 Tf 0 0 Td (Outer) Tj ET q 1 0 0 1 0 -20 cm /X2 Do Q",
    );
    resources(&mut doc).set("XObject", dictionary! { "X1" => outer });
    let out = extract_bytes(&save(&mut doc));
    let words: Vec<&extract::Word> = out.pages[0]
        .blocks
        .iter()
        .flat_map(|b| b.lines.iter().flat_map(|l| l.words.iter()))
        .collect();
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["Outer", "Inner", "Page"]);
    // The matrices place the text: "Outer" at y = 700 from the bottom, "Inner" 20 pt lower.
    let outer_box = words[0].bbox;
    assert!(
        (words[1].bbox.y1 - outer_box.y1 - 20.0).abs() < 0.5,
        "{:?}",
        words[1].bbox
    );
    assert!((outer_box.x0 - 72.0).abs() < 1.0, "{outer_box:?}");
    assert!(
        (outer_box.y1 - (842.0 - 700.0)).abs() < 4.0,
        "{outer_box:?}"
    );
}

#[test]
fn self_referencing_form_stops_at_the_depth_limit() {
    let mut doc = build(vec![("F1", helvetica())], b"/X1 Do", Dictionary::new());
    let form_id = doc.new_object_id();
    doc.objects.insert(
        form_id,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
                "Resources" => dictionary! {
                    "Font" => dictionary! { "F1" => helvetica() },
                    "XObject" => dictionary! { "X1" => form_id },
                },
            },
            b"BT /F1 12 Tf 72 700 Td (Loop) Tj ET /X1 Do".to_vec(),
        )),
    );
    resources(&mut doc).set("XObject", dictionary! { "X1" => form_id });
    let out = extract_bytes(&save(&mut doc));
    assert!(out.pages[0].issues.iter().any(|i| i.kind == "form_depth"));
    assert!(out.plain_text().contains("Loop"));
}

#[test]
fn type3_font_text_from_differences_and_widths_through_font_matrix() {
    let font = Object::Dictionary(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
        "CharProcs" => dictionary! {},
        "Encoding" => dictionary! { "Type" => "Encoding",
            "Differences" => vec![65.into(), "H".into(), "i".into(), "exclam".into()] },
        "FirstChar" => 65,
        "LastChar" => 67,
        "Widths" => vec![60.into(), 30.into(), 30.into()],
    });
    let content = b"BT /T3 20 Tf 72 700 Td (ABC) Tj ET";
    let mut doc = build(vec![("T3", font)], content, Dictionary::new());
    let out = extract_bytes(&save(&mut doc));
    assert_eq!(out.plain_text().trim(), "Hi!");
    // 60 + 30 + 30 glyph units at 0.01 x 20 pt = 24 pt wide.
    let b = out.pages[0].blocks[0].bbox;
    assert!((b.width() - 24.0).abs() < 0.5, "{b:?}");
}

#[test]
fn rotated_pages_and_rotated_text() {
    let mut extra = Dictionary::new();
    extra.set("Rotate", 90);
    let content = b"BT /F1 12 Tf 72 700 Td (Rotated page) Tj ET \
                    BT /F1 12 Tf 0 1 -1 0 300 300 Tm (Up the side) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, extra);
    let out = extract_bytes(&save(&mut doc));
    let page = &out.pages[0];
    assert_eq!((page.width, page.height), (842.0, 595.0));
    let blocks: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(blocks, ["Rotated page", "Up the side"]);
}

#[test]
fn actual_text_replaces_the_glyphs_it_spans() {
    let content = b"BT /F1 12 Tf 72 700 Td (Of) Tj /Span <</ActualText <FEFF00660069>>> BDC (X) Tj EMC (ce) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "Office");
}

#[test]
fn bad_tokens_are_skipped_and_reported() {
    let content = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET } ) BT /F1 12 Tf 72 680 Td (After) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    let out = extract_bytes(&save(&mut doc));
    assert!(out.plain_text().contains("After"));
    assert!(out.pages[0].issues.iter().any(|i| i.kind == "bad_content"));
}

#[test]
fn invisible_text_is_kept_and_marked() {
    let content = b"BT 3 Tr /F1 12 Tf 72 700 Td (Hidden layer) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    let out = extract_bytes(&save(&mut doc));
    let word = &out.pages[0].blocks[0].lines[0].words[0];
    assert!(word.invisible);
    assert_eq!(out.plain_text().trim(), "Hidden layer");
}

#[test]
fn image_only_page_needs_ocr() {
    let mut doc = build(vec![], b"q 595 0 0 842 0 0 cm /Im1 Do Q", Dictionary::new());
    let img = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0u8],
    ));
    resources(&mut doc).set("XObject", dictionary! { "Im1" => img });
    let out = extract_bytes(&save(&mut doc));
    assert!(out.pages[0].needs_ocr);
    assert!(out.pages[0].blocks.is_empty());
}

#[test]
fn file_needing_a_password_is_a_clear_error() {
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    let content = b"BT /F1 12 Tf 72 700 Td (Secret) Tj ET";
    for (user, opens) in [("secret", false), ("", true)] {
        let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal(b"0123456789abcdef".to_vec()),
                Object::string_literal(b"0123456789abcdef".to_vec()),
            ],
        );
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: Permissions::all(),
        };
        let state = EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypts");
        let bytes = save(&mut doc);
        let limits = Limits::default();
        match read::open_bytes(&bytes, &limits) {
            Ok(pdf) => {
                assert!(opens, "a file needing a password opened");
                assert!(extract::extract(&pdf, &limits)
                    .plain_text()
                    .contains("Secret"));
            }
            Err(e) => {
                assert!(!opens, "empty-password file failed: {e}");
                assert_eq!(e, ReadError::NeedsPassword);
            }
        }
    }
}

#[test]
fn damaged_xref_is_recovered_and_reported() {
    let content = b"BT /F1 12 Tf 72 700 Td (Still here) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    let mut bytes = save(&mut doc);
    // Cut the file after its last object: no xref table, no trailer.
    let pos = bytes.windows(4).rposition(|w| w == b"xref").expect("xref");
    bytes.truncate(pos);
    let limits = Limits::default();
    let pdf = read::open_bytes(&bytes, &limits).expect("recovered");
    assert!(!pdf.warnings.is_empty(), "recovery not reported");
    assert!(extract::extract(&pdf, &limits)
        .plain_text()
        .contains("Still here"));
}

#[test]
fn decompression_bomb_fails_cleanly() {
    // 64 MiB of zeros compress to about 64 KiB; the limit is 1 MiB.
    let mut bomb = Stream::new(Dictionary::new(), vec![0u8; 64 << 20]);
    bomb.compress().expect("compresses");
    assert!(bomb.content.len() < 1 << 20);
    let mut doc = build(vec![("F1", helvetica())], b"", Dictionary::new());
    let bomb = doc.add_object(bomb);
    let page_id = doc.page_iter().next().unwrap();
    doc.get_dictionary_mut(page_id)
        .unwrap()
        .set("Contents", bomb);
    let bytes = save(&mut doc);
    let limits = Limits {
        max_stream_bytes: 1 << 20,
        ..Limits::default()
    };
    match read::open_bytes(&bytes, &limits) {
        Ok(pdf) => {
            let out = extract::extract(&pdf, &limits);
            assert!(
                out.pages[0].issues.iter().any(|i| i.kind == "bad_stream"),
                "{:?}",
                out.pages[0].issues
            );
        }
        Err(e) => assert!(
            matches!(e, ReadError::LimitExceeded(_) | ReadError::Damaged(_)),
            "{e}"
        ),
    }
}

#[test]
fn not_a_pdf_is_a_clear_error() {
    let err = read::open_bytes(b"hello, world", &Limits::default()).err();
    assert!(matches!(err, Some(ReadError::NotPdf(_))));
}

#[test]
fn identity_h_without_tounicode_reads_the_embedded_truetype_cmap() {
    // Needs a TrueType font to embed; the machine's DejaVu Sans when it is there.
    let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let Ok(ttf) = std::fs::read(path) else {
        eprintln!("NOTICE: {path} not found; embedded-cmap test skipped");
        return;
    };
    let face = ttf_parser::Face::parse(&ttf, 0).expect("font parses");
    // Identity-H with CIDToGIDMap Identity: the codes are glyph ids.
    let mut content = b"BT /F1 12 Tf 72 700 Td <".to_vec();
    for c in "Blåbær".chars() {
        let gid = face.glyph_index(c).expect("glyph").0;
        content.extend_from_slice(format!("{gid:04X}").as_bytes());
    }
    content.extend_from_slice(b"> Tj ET");
    let mut doc = build(vec![], &content, Dictionary::new());
    let file = doc.add_object(Stream::new(dictionary! {}, ttf.clone()));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "DejaVuSans", "Flags" => 32,
        "FontFile2" => file,
    });
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "FontDescriptor" => descriptor,
        "CIDToGIDMap" => "Identity",
        "DW" => 600,
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![descendant.into()],
    });
    set_font(&mut doc, "F1", font);
    let out = extract_bytes(&save(&mut doc));
    assert_eq!(out.plain_text().trim(), "Blåbær");
    assert!(out.pages[0]
        .issues
        .iter()
        .any(|i| i.message.contains("embedded font's cmap")));
}

#[test]
fn too_many_objects_is_a_limit_error() {
    let mut doc = build(
        vec![("F1", helvetica())],
        b"BT /F1 12 Tf (x) Tj ET",
        Dictionary::new(),
    );
    let bytes = save(&mut doc);
    let limits = Limits {
        max_objects: 3,
        ..Limits::default()
    };
    let err = read::open_bytes(&bytes, &limits).err();
    assert!(matches!(err, Some(ReadError::LimitExceeded(_))), "{err:?}");
    assert!(read::open_bytes(&bytes, &Limits::default()).is_ok());
}

#[test]
fn accents_drawn_over_letters_compose_with_them() {
    // TeX's OT1 \~a: the tilde (WinAnsi 0x98) drawn first, shifted over the letter; a math
    // accent raised over a capital; a diaeresis drawn after its letter. A lone acute between
    // letters (its own advance) stays as it is.
    let content = b"BT /F1 12 Tf 1 0 0 1 73.3 700 Tm (\x98) Tj 1 0 0 1 72 700 Tm (a) Tj \
                    1 0 0 1 78.7 700 Tm (bc) Tj \
                    1 0 0 1 102 703 Tm (\x98) Tj 1 0 0 1 100 700 Tm (F) Tj \
                    1 0 0 1 120 700 Tm (o) Tj 1 0 0 1 121.3 700 Tm (\xa8) Tj \
                    1 0 0 1 140 700 Tm (don\xb4t) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "ãbc F\u{303} ö don´t");
}

#[test]
fn a_negation_slash_of_no_width_joins_the_relation_after_it() {
    // TeX's \neq: a zero-width slash (cmsy /negationslash, U+0338) drawn over "=".
    let mut widths: Vec<Object> = vec![Object::Integer(600); 122];
    widths[0] = Object::Integer(0);
    let font = Object::Dictionary(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "CMSY10",
        "FirstChar" => 1,
        "LastChar" => 122,
        "Widths" => widths,
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![1.into(), "negationslash".into()],
        },
    });
    let content = b"BT /F1 10 Tf 1 0 0 1 72 700 Tm (a) Tj 1 0 0 1 82 700 Tm (\x01) Tj \
                    1 0 0 1 82 700 Tm (=) Tj 1 0 0 1 92 700 Tm (b) Tj ET";
    let mut doc = build(vec![("F1", font)], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "a \u{2260} b");
}

#[test]
fn sub_and_superscripts_stay_on_their_line() {
    // x^2_k + y: the superscript raised, the subscript lowered and starting back under it,
    // both smaller; then the baseline again. The next line below is a line of its own.
    let content = b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (x) Tj /F1 8 Tf 1 0 0 1 78 704.5 Tm (2) Tj \
                    1 0 0 1 78 697 Tm (k) Tj /F1 12 Tf 1 0 0 1 86 700 Tm (+) Tj \
                    1 0 0 1 96 700 Tm (y) Tj 1 0 0 1 72 686 Tm (next) Tj ET";
    let mut doc = build(vec![("F1", helvetica())], content, Dictionary::new());
    assert_eq!(text_of(&mut doc).trim(), "x2k + y\nnext");
}

#[test]
fn a_mark_is_a_bullet_only_when_an_item_follows_it() {
    // A proof's closing ■ at the margin is text; the same mark before a list item's text is a
    // bullet, left out (drawn apart from the item's text, it makes no block of its own).
    let font = Object::Dictionary(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![1.into(), "squaresolid".into()],
        },
    });
    let content =
        b"BT /F1 10 Tf 1 0 0 1 72 700 Tm (Damit fertig.) Tj 1 0 0 1 500 700 Tm (\x01) Tj \
                    1 0 0 1 72 680 Tm (\x01) Tj 1 0 0 1 84 680 Tm (Punkt eins) Tj ET";
    let mut doc = build(vec![("F1", font)], content, Dictionary::new());
    let out = extract_bytes(&save(&mut doc));
    let blocks: Vec<&str> = out.pages[0]
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(blocks, ["Damit fertig.", "■", "Punkt eins"]);
    assert_eq!(out.plain_text(), "Damit fertig. ■\n\nPunkt eins\n");
}
