//! Finds the images a page paints and where (walking its content stream for `cm`, `q`/`Q`, `Do`
//! and inline images, into Form XObjects), and turns an image stream into a file Tesseract reads
//! at the image's native resolution: JPEG and JPEG 2000 bytes as they are, CCITT fax data wrapped
//! in a TIFF header, everything else decoded to samples and written as PGM/PPM. No rendering.

use std::borrow::Cow;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// A PDF transformation matrix `[a b c d e f]` (row-vector convention, as in `cm`).
pub type Matrix = [f32; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` applied first, then `n`.
pub fn concat(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// The visible page: crop box and rotation, mapping user space to the displayed page with a
/// top-left origin (the convention of `extract::model`).
#[derive(Debug, Clone, Copy)]
pub struct PageGeometry {
    /// Crop box `[x0 y0 x1 y1]` in user space, normalised so x0 < x1 and y0 < y1.
    pub crop: [f32; 4],
    /// /Rotate, one of 0, 90, 180, 270 (clockwise).
    pub rotate: i64,
}

impl PageGeometry {
    pub fn width(&self) -> f32 {
        let w = self.crop[2] - self.crop[0];
        let h = self.crop[3] - self.crop[1];
        if self.rotate % 180 == 0 {
            w
        } else {
            h
        }
    }

    pub fn height(&self) -> f32 {
        let w = self.crop[2] - self.crop[0];
        let h = self.crop[3] - self.crop[1];
        if self.rotate % 180 == 0 {
            h
        } else {
            w
        }
    }

    /// User space to displayed page space (top-left origin, y down).
    pub fn to_display(&self, x: f32, y: f32) -> (f32, f32) {
        let [x0, y0, x1, y1] = self.crop;
        match self.rotate {
            90 => (y - y0, x - x0),
            180 => (x1 - x, y - y0),
            270 => (y1 - y, x1 - x),
            _ => (x - x0, y1 - y),
        }
    }
}

/// One image painted on a page.
#[derive(Debug, Clone)]
pub struct PlacedImage<'a> {
    /// The resource name (`/Im0`), or "inline image".
    pub name: String,
    /// Image space (the unit square) to user space: the CTM at the `Do`.
    pub matrix: Matrix,
    pub stream: Cow<'a, Stream>,
}

impl PlacedImage<'_> {
    /// The image's bounding box on the displayed page (x0, y0, x1, y1; top-left origin).
    pub fn display_box(&self, geometry: &PageGeometry) -> [f32; 4] {
        let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (u, v) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
            let (x, y) = apply(&self.matrix, u, v);
            let (dx, dy) = geometry.to_display(x, y);
            b = [b[0].min(dx), b[1].min(dy), b[2].max(dx), b[3].max(dy)];
        }
        b
    }

    /// Pixel position (x right, y down from the image's first row) to the displayed page.
    pub fn pixel_to_display(
        &self,
        geometry: &PageGeometry,
        px: f32,
        py: f32,
        width: f32,
        height: f32,
    ) -> (f32, f32) {
        // The first sample row is painted at the top of the unit square (v = 1).
        let (x, y) = apply(&self.matrix, px / width, 1.0 - py / height);
        geometry.to_display(x, y)
    }
}

/// What a page's content paints, as far as OCR cares.
#[derive(Debug, Clone)]
pub struct PageScan<'a> {
    pub geometry: PageGeometry,
    pub images: Vec<PlacedImage<'a>>,
    /// Text-showing operators drawn in a visible render mode.
    pub visible_text_ops: usize,
    /// Text-showing operators in render mode 3 or 7 (an OCR layer, say).
    pub invisible_text_ops: usize,
}

const MAX_FORM_DEPTH: usize = 12;

fn inherited<'a>(doc: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut id = page;
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(v) = dict.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

fn rect(o: &Object) -> Option<[f32; 4]> {
    let a = o.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().filter_map(|n| n.as_float().ok()).collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

pub fn page_geometry(doc: &Document, page: ObjectId) -> PageGeometry {
    let media = inherited(doc, page, b"MediaBox")
        .and_then(rect)
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop = inherited(doc, page, b"CropBox")
        .and_then(rect)
        .map(|c| {
            [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ]
        })
        .filter(|c| c[2] > c[0] && c[3] > c[1])
        .unwrap_or(media);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let rotate = if rotate % 90 == 0 { rotate } else { 0 };
    PageGeometry { crop, rotate }
}

/// Walks the page's content (and the Form XObjects it paints) for images and text operators.
pub fn scan_page(doc: &Document, page: ObjectId, limit: usize) -> Result<PageScan<'_>, String> {
    let geometry = page_geometry(doc, page);
    // Under the reader's stream limit: a page whose content inflates to gigabytes (a
    // decompression bomb) is an error here too, not an allocation.
    let mut content = Vec::new();
    for id in doc.get_page_contents(page) {
        let body = crate::extract::font::stream_bytes(doc, &Object::Reference(id), limit)?;
        content.extend_from_slice(&body);
        content.push(b'\n');
    }
    let mut resources: Vec<&Dictionary> = Vec::new();
    if let Ok((direct, ids)) = doc.get_page_resources(page) {
        resources.extend(direct);
        resources.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    }
    let mut scan = PageScan {
        geometry,
        images: Vec::new(),
        visible_text_ops: 0,
        invisible_text_ops: 0,
    };
    walk(doc, &content, &resources, IDENTITY, 0, limit, &mut scan)?;
    Ok(scan)
}

fn lookup<'a>(
    doc: &'a Document,
    resources: &[&'a Dictionary],
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    resources.iter().find_map(|res| {
        let cat = res.get_deref(category, doc).ok()?.as_dict().ok()?;
        let obj = cat.get(name).ok()?;
        doc.dereference(obj).ok().map(|(_, o)| o)
    })
}

fn operand_matrix(ops: &[Object]) -> Option<Matrix> {
    if ops.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(ops) {
        *slot = o.as_float().ok()?;
    }
    Some(m)
}

fn walk<'a>(
    doc: &'a Document,
    content: &[u8],
    resources: &[&'a Dictionary],
    base: Matrix,
    depth: usize,
    limit: usize,
    scan: &mut PageScan<'a>,
) -> Result<(), String> {
    let ops = Content::decode(content)
        .map_err(|e| format!("content stream cannot be parsed: {e}"))?
        .operations;
    let mut ctm = base;
    let mut render_mode = 0i64;
    let mut stack: Vec<(Matrix, i64)> = Vec::new();
    for op in &ops {
        match op.operator.as_str() {
            "q" => stack.push((ctm, render_mode)),
            "Q" => {
                if let Some((m, r)) = stack.pop() {
                    ctm = m;
                    render_mode = r;
                }
            }
            "cm" => {
                if let Some(m) = operand_matrix(&op.operands) {
                    ctm = concat(&m, &ctm);
                }
            }
            "Tr" => {
                render_mode = op
                    .operands
                    .first()
                    .and_then(|o| o.as_i64().ok())
                    .unwrap_or(0);
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if render_mode == 3 || render_mode == 7 {
                    scan.invisible_text_ops += 1;
                } else {
                    scan.visible_text_ops += 1;
                }
            }
            "BI" => {
                if let Some(Object::Stream(s)) = op.operands.first() {
                    scan.images.push(PlacedImage {
                        name: "inline image".into(),
                        matrix: ctm,
                        stream: Cow::Owned(s.clone()),
                    });
                }
            }
            "Do" => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Some(Object::Stream(xobject)) = lookup(doc, resources, b"XObject", name) else {
                    continue;
                };
                let subtype = xobject.dict.get(b"Subtype").and_then(Object::as_name).ok();
                match subtype {
                    Some(b"Image") => scan.images.push(PlacedImage {
                        name: String::from_utf8_lossy(name).into_owned(),
                        matrix: ctm,
                        stream: Cow::Borrowed(xobject),
                    }),
                    Some(b"Form") if depth < MAX_FORM_DEPTH => {
                        let form_matrix = xobject
                            .dict
                            .get(b"Matrix")
                            .ok()
                            .and_then(|m| m.as_array().ok())
                            .and_then(|a| operand_matrix(a))
                            .unwrap_or(IDENTITY);
                        let own = xobject
                            .dict
                            .get_deref(b"Resources", doc)
                            .and_then(Object::as_dict)
                            .ok();
                        let mut res: Vec<&Dictionary> = own.into_iter().collect();
                        res.extend_from_slice(resources);
                        let Ok(body) = xobject.get_plain_content_with_limit(limit) else {
                            // A broken or oversized form is skipped, not fatal.
                            continue;
                        };
                        // A broken form is skipped, not fatal: the page may still be readable.
                        let _ = walk(
                            doc,
                            &body,
                            &res,
                            concat(&form_matrix, &ctm),
                            depth + 1,
                            limit,
                            scan,
                        );
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An image ready for Tesseract.
#[derive(Debug, Clone)]
pub struct ImageFile {
    pub bytes: Vec<u8>,
    /// File name extension Leptonica recognises the format by ("jpg", "pgm", ...).
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Why an image could not be handed to Tesseract.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageError {
    /// A format we have no decoder for (JBIG2, an exotic colour space).
    Unsupported(String),
    /// The stream does not hold what its dictionary says.
    Corrupt(String),
}

/// Largest image we hand to OCR, in pixels (a 600 dpi A3 page is about 35 million).
const MAX_PIXELS: u64 = 120_000_000;

/// Inline images may use abbreviated keys and names; look both up.
fn get<'a>(dict: &'a Dictionary, long: &[u8], short: &[u8]) -> Option<&'a Object> {
    dict.get(long).or_else(|_| dict.get(short)).ok()
}

fn full_filter_name(name: &[u8]) -> &[u8] {
    match name {
        b"AHx" => b"ASCIIHexDecode",
        b"A85" => b"ASCII85Decode",
        b"LZW" => b"LZWDecode",
        b"Fl" => b"FlateDecode",
        b"RL" => b"RunLengthDecode",
        b"CCF" => b"CCITTFaxDecode",
        b"DCT" => b"DCTDecode",
        other => other,
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// Encodes the image stream as a file for Tesseract.
pub fn image_file(doc: &Document, stream: &Stream) -> Result<ImageFile, ImageError> {
    let dict = &stream.dict;
    let int = |long: &[u8], short: &[u8]| {
        get(dict, long, short)
            .map(|o| resolve(doc, o))
            .and_then(|o| o.as_i64().ok())
    };
    let width = int(b"Width", b"W").unwrap_or(0);
    let height = int(b"Height", b"H").unwrap_or(0);
    if width <= 0 || height <= 0 || width > 1 << 20 || height > 1 << 20 {
        return Err(ImageError::Corrupt(format!(
            "image has an impossible size {width}x{height}"
        )));
    }
    if (width as u64) * (height as u64) > MAX_PIXELS {
        return Err(ImageError::Unsupported(format!(
            "image of {width}x{height} pixels is larger than the OCR limit"
        )));
    }
    let (width, height) = (width as u32, height as u32);
    let filters: Vec<Vec<u8>> = match get(dict, b"Filter", b"F").map(|o| resolve(doc, o)) {
        Some(Object::Name(n)) => vec![full_filter_name(n).to_vec()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| resolve(doc, o).as_name().ok())
            .map(|n| full_filter_name(n).to_vec())
            .collect(),
        _ => Vec::new(),
    };
    let last = filters.last().map(Vec::as_slice);
    let image_codec = matches!(
        last,
        Some(b"DCTDecode" | b"JPXDecode" | b"CCITTFaxDecode" | b"JBIG2Decode")
    );
    // Undo the general-purpose filters (everything before an image codec, or all of them).
    let general = if image_codec {
        &filters[..filters.len() - 1]
    } else {
        &filters[..]
    };
    let data = if general.is_empty() {
        stream.content.clone()
    } else {
        let mut d = dict.clone();
        d.set(
            "Filter",
            Object::Array(general.iter().map(|n| Object::Name(n.clone())).collect()),
        );
        if let Some(p) = get(dict, b"DecodeParms", b"DP") {
            d.set("DecodeParms", p.clone());
        }
        let s = Stream::new(d, stream.content.clone());
        s.decompressed_content_with_limit(MAX_PIXELS as usize * 4)
            .map_err(|e| ImageError::Corrupt(format!("image stream cannot be decompressed: {e}")))?
    };
    match last {
        Some(b"DCTDecode") => {
            if !data.starts_with(&[0xFF, 0xD8]) {
                return Err(ImageError::Corrupt(
                    "DCTDecode image does not start with a JPEG marker".into(),
                ));
            }
            Ok(ImageFile {
                bytes: data,
                extension: "jpg",
                width,
                height,
            })
        }
        Some(b"JPXDecode") => {
            let extension = if data.starts_with(&[0xFF, 0x4F]) {
                "j2k"
            } else {
                "jp2"
            };
            Ok(ImageFile {
                bytes: data,
                extension,
                width,
                height,
            })
        }
        Some(b"CCITTFaxDecode") => {
            let params = get(dict, b"DecodeParms", b"DP").map(|o| resolve(doc, o));
            let params = match params {
                Some(Object::Array(a)) => a.last().map(|o| resolve(doc, o)),
                other => other,
            };
            let k = params
                .and_then(|p| p.as_dict().ok())
                .and_then(|p| p.get(b"K").ok())
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0);
            Ok(ImageFile {
                bytes: ccitt_tiff(&data, width, height, k),
                extension: "tif",
                width,
                height,
            })
        }
        Some(b"JBIG2Decode") => Err(ImageError::Unsupported(
            "unsupported image filter JBIG2Decode (no JBIG2 decoder available)".into(),
        )),
        _ => raw_to_pnm(doc, dict, &data, width, height),
    }
}

/// Wraps CCITT Group 3/4 data in a one-strip TIFF so that Leptonica (libtiff) decodes it.
fn ccitt_tiff(data: &[u8], width: u32, height: u32, k: i64) -> Vec<u8> {
    let compression: u32 = if k < 0 { 4 } else { 3 };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, width),             // ImageWidth
        (257, 4, height),            // ImageLength
        (258, 3, 1),                 // BitsPerSample
        (259, 3, compression),       // Compression
        (262, 3, 0),                 // Photometric: WhiteIsZero, the fax convention
        (273, 4, 0),                 // StripOffsets, patched below
        (277, 3, 1),                 // SamplesPerPixel
        (278, 4, height),            // RowsPerStrip
        (279, 4, data.len() as u32), // StripByteCounts
    ];
    if compression == 3 {
        entries.push((292, 4, u32::from(k > 0))); // T4Options: 2-D coding when K > 0
    }
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_offset = (8 + ifd_len) as u32;
    let mut out = Vec::with_capacity(data_offset as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_offset } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// A colour space reduced to what we need to turn samples into grey or RGB.
enum Colour {
    Gray,
    Rgb,
    Cmyk,
    /// Base colour space component count and the palette bytes.
    Indexed(Box<Colour>, Vec<u8>),
}

impl Colour {
    fn components(&self) -> usize {
        match self {
            Colour::Gray => 1,
            Colour::Rgb => 3,
            Colour::Cmyk => 4,
            Colour::Indexed(..) => 1,
        }
    }
}

fn colour_space(doc: &Document, o: Option<&Object>) -> Result<Colour, ImageError> {
    let Some(o) = o.map(|o| resolve(doc, o)) else {
        return Ok(Colour::Gray);
    };
    let unsupported = |what: &str| ImageError::Unsupported(format!("colour space {what}"));
    match o {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Ok(Colour::Gray),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(Colour::Rgb),
            b"DeviceCMYK" | b"CMYK" => Ok(Colour::Cmyk),
            other => Err(unsupported(&String::from_utf8_lossy(other))),
        },
        Object::Array(a) => {
            let family = a.first().and_then(|f| f.as_name().ok()).unwrap_or(b"");
            match family {
                b"CalGray" => Ok(Colour::Gray),
                b"CalRGB" | b"Lab" => Ok(Colour::Rgb),
                b"ICCBased" => {
                    let n = a
                        .get(1)
                        .map(|s| resolve(doc, s))
                        .and_then(|s| s.as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").ok())
                        .and_then(|n| n.as_i64().ok())
                        .unwrap_or(3);
                    match n {
                        1 => Ok(Colour::Gray),
                        3 => Ok(Colour::Rgb),
                        4 => Ok(Colour::Cmyk),
                        _ => Err(unsupported(&format!("ICCBased with {n} components"))),
                    }
                }
                b"Indexed" | b"I" => {
                    let base = colour_space(doc, a.get(1))?;
                    let lookup = match a.get(3).map(|l| resolve(doc, l)) {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(Object::Stream(s)) => s
                            .decompressed_content()
                            .map_err(|e| ImageError::Corrupt(format!("palette: {e}")))?,
                        _ => return Err(ImageError::Corrupt("Indexed without a palette".into())),
                    };
                    Ok(Colour::Indexed(Box::new(base), lookup))
                }
                other => Err(unsupported(&String::from_utf8_lossy(other))),
            }
        }
        _ => Err(unsupported("of an unexpected type")),
    }
}

/// Samples (any bit depth, grey/RGB/CMYK/Indexed, image masks) to a binary PGM or PPM.
fn raw_to_pnm(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    width: u32,
    height: u32,
) -> Result<ImageFile, ImageError> {
    let is_mask = get(dict, b"ImageMask", b"IM")
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false);
    let colour = if is_mask {
        Colour::Gray
    } else {
        colour_space(doc, get(dict, b"ColorSpace", b"CS"))?
    };
    let bpc = if is_mask {
        1
    } else {
        get(dict, b"BitsPerComponent", b"BPC")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(8)
    };
    if ![1, 2, 4, 8, 16].contains(&bpc) {
        return Err(ImageError::Corrupt(format!(
            "impossible BitsPerComponent {bpc}"
        )));
    }
    let bpc = bpc as usize;
    let comps = colour.components();
    let row_bytes = (width as usize * comps * bpc).div_ceil(8);
    let needed = row_bytes * height as usize;
    if data.len() < needed {
        return Err(ImageError::Corrupt(format!(
            "image data is truncated: {} bytes where {width}x{height} pixels need {needed}",
            data.len()
        )));
    }
    // A /Decode of [1 0] (or an image mask, which paints where samples are 0) inverts grey.
    let decode_inverted = get(dict, b"Decode", b"D")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| Some((a.first()?.as_float().ok()?, a.get(1)?.as_float().ok()?)))
        .is_some_and(|(lo, hi)| lo > hi);
    let invert = decode_inverted ^ is_mask;
    let max = ((1u32 << bpc) - 1) as f32;
    let sample = |row: &[u8], i: usize| -> u32 {
        match bpc {
            8 => u32::from(row[i]),
            16 => u32::from(row[2 * i]),
            _ => {
                let bit = i * bpc;
                let byte = row[bit / 8];
                let shift = 8 - bpc - (bit % 8);
                u32::from((byte >> shift) & ((1u8 << bpc) - 1))
            }
        }
    };
    let to8 = |v: u32| -> u8 {
        if bpc == 16 {
            v as u8
        } else {
            (v as f32 * 255.0 / max).round() as u8
        }
    };
    let rgb_output = match &colour {
        Colour::Gray => false,
        Colour::Indexed(base, _) => !matches!(**base, Colour::Gray),
        _ => true,
    };
    let out_comps = if rgb_output { 3 } else { 1 };
    let header = format!(
        "P{}\n{width} {height}\n255\n",
        if rgb_output { 6 } else { 5 }
    );
    let mut out = Vec::with_capacity(header.len() + (width * height) as usize * out_comps);
    out.extend_from_slice(header.as_bytes());
    let cmyk_to_rgb = |c: f32, m: f32, y: f32, k: f32| -> [u8; 3] {
        [
            (255.0 * (1.0 - c) * (1.0 - k)) as u8,
            (255.0 * (1.0 - m) * (1.0 - k)) as u8,
            (255.0 * (1.0 - y) * (1.0 - k)) as u8,
        ]
    };
    for r in 0..height as usize {
        let row = &data[r * row_bytes..(r + 1) * row_bytes];
        for x in 0..width as usize {
            match &colour {
                Colour::Gray => {
                    let v = to8(sample(row, x));
                    out.push(if invert { 255 - v } else { v });
                }
                Colour::Rgb => {
                    for c in 0..3 {
                        out.push(to8(sample(row, x * 3 + c)));
                    }
                }
                Colour::Cmyk => {
                    let f = |c: usize| to8(sample(row, x * 4 + c)) as f32 / 255.0;
                    out.extend_from_slice(&cmyk_to_rgb(f(0), f(1), f(2), f(3)));
                }
                Colour::Indexed(base, palette) => {
                    let idx = sample(row, x) as usize;
                    let n = base.components();
                    let entry = |c: usize| palette.get(idx * n + c).copied().unwrap_or(0);
                    match **base {
                        Colour::Gray => out.push(entry(0)),
                        Colour::Cmyk => {
                            let f = |c: usize| entry(c) as f32 / 255.0;
                            out.extend_from_slice(&cmyk_to_rgb(f(0), f(1), f(2), f(3)));
                        }
                        _ => {
                            for c in 0..3 {
                                out.push(entry(c));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(ImageFile {
        bytes: out,
        extension: if rgb_output { "ppm" } else { "pgm" },
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn pixels_map_through_the_placement_matrix_to_top_left_points() {
        let geometry = PageGeometry {
            crop: [0.0, 0.0, 612.0, 792.0],
            rotate: 0,
        };
        // A 200x100 pt image whose lower-left corner sits at (50, 600).
        let image = PlacedImage {
            name: "Im0".into(),
            matrix: [200.0, 0.0, 0.0, 100.0, 50.0, 600.0],
            stream: Cow::Owned(Stream::new(Dictionary::new(), Vec::new())),
        };
        // Its first pixel row is the top of the image: y = 792 - 700 = 92 from the page top.
        let (x, y) = image.pixel_to_display(&geometry, 0.0, 0.0, 400.0, 200.0);
        assert!(
            (x - 50.0).abs() < 1e-3 && (y - 92.0).abs() < 1e-3,
            "{x} {y}"
        );
        let (x, y) = image.pixel_to_display(&geometry, 400.0, 200.0, 400.0, 200.0);
        assert!(
            (x - 250.0).abs() < 1e-3 && (y - 192.0).abs() < 1e-3,
            "{x} {y}"
        );
        assert_eq!(image.display_box(&geometry), [50.0, 92.0, 250.0, 192.0]);
    }

    #[test]
    fn rotated_pages_swap_width_and_height() {
        let geometry = PageGeometry {
            crop: [0.0, 0.0, 612.0, 792.0],
            rotate: 90,
        };
        assert_eq!((geometry.width(), geometry.height()), (792.0, 612.0));
        // User space's top-left corner is shown at the top right after a clockwise turn.
        assert_eq!(geometry.to_display(0.0, 792.0), (792.0, 0.0));
    }

    #[test]
    fn raw_samples_become_pnm() {
        let doc = Document::with_version("1.5");
        // 1-bit grey, 3x2: 0 is black; rows are byte-aligned.
        let dict = dictionary! {
            "Width" => 3, "Height" => 2, "BitsPerComponent" => 1, "ColorSpace" => "DeviceGray",
        };
        let file = image_file(&doc, &Stream::new(dict, vec![0b0100_0000, 0b1010_0000]))
            .expect("1-bit grey converts");
        assert_eq!(file.extension, "pgm");
        assert_eq!(
            file.bytes,
            b"P5\n3 2\n255\n\x00\xff\x00\xff\x00\xff".to_vec()
        );
        // An image mask paints where samples are 0: those pixels become black.
        let dict = dictionary! { "Width" => 2, "Height" => 1, "ImageMask" => true };
        let file = image_file(&doc, &Stream::new(dict, vec![0b0100_0000])).unwrap();
        assert_eq!(file.bytes, b"P5\n2 1\n255\n\xff\x00".to_vec());
        // Indexed RGB expands through the palette.
        let dict = dictionary! {
            "Width" => 2, "Height" => 1, "BitsPerComponent" => 8,
            "ColorSpace" => vec![
                Object::Name(b"Indexed".to_vec()),
                Object::Name(b"DeviceRGB".to_vec()),
                1.into(),
                Object::string_literal(vec![255, 0, 0, 0, 0, 255]),
            ],
        };
        let file = image_file(&doc, &Stream::new(dict, vec![1, 0])).unwrap();
        assert_eq!(file.extension, "ppm");
        assert_eq!(
            file.bytes,
            b"P6\n2 1\n255\n\x00\x00\xff\xff\x00\x00".to_vec()
        );
    }

    #[test]
    fn short_or_strange_images_are_errors_not_panics() {
        let doc = Document::with_version("1.5");
        let dict = dictionary! {
            "Width" => 100, "Height" => 100, "BitsPerComponent" => 8, "ColorSpace" => "DeviceRGB",
        };
        assert!(matches!(
            image_file(&doc, &Stream::new(dict, vec![0; 10])),
            Err(ImageError::Corrupt(m)) if m.contains("truncated")
        ));
        let dict = dictionary! { "Width" => 0, "Height" => 5 };
        assert!(matches!(
            image_file(&doc, &Stream::new(dict, Vec::new())),
            Err(ImageError::Corrupt(_))
        ));
        let dict = dictionary! {
            "Width" => 4, "Height" => 4, "ColorSpace" => "Separation", "BitsPerComponent" => 8,
        };
        assert!(matches!(
            image_file(&doc, &Stream::new(dict, vec![0; 16])),
            Err(ImageError::Unsupported(_))
        ));
    }

    #[test]
    fn ccitt_data_is_wrapped_in_a_tiff_header() {
        let doc = Document::with_version("1.5");
        let dict = dictionary! {
            "Width" => 16, "Height" => 8, "Filter" => "CCITTFaxDecode",
            "DecodeParms" => dictionary! { "K" => -1, "Columns" => 16 },
        };
        let file = image_file(&doc, &Stream::new(dict, vec![1, 2, 3])).unwrap();
        assert_eq!(file.extension, "tif");
        assert!(file.bytes.starts_with(b"II*\0"));
        assert!(file.bytes.ends_with(&[1, 2, 3]));
        // Compression tag 259 = 4 (Group 4) for K < 0.
        let tag = file
            .bytes
            .windows(4)
            .position(|w| w == [0x03, 0x01, 0x03, 0x00])
            .expect("compression tag");
        assert_eq!(file.bytes[tag + 8], 4);
    }
}
