//! Stage 1, read: bytes to PDF objects (lopdf), with decryption, repair and resource limits.
//! Knows nothing of text.

use std::fmt;
use std::time::Instant;

use lopdf::xref::XrefRecovery;
use lopdf::{Document, LoadOptions, Object, ObjectId};

/// Protection against hostile or broken files.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest decompressed size of one stream, in bytes.
    pub max_stream_bytes: usize,
    /// Most objects a file may hold.
    pub max_objects: usize,
    /// Deepest nesting of Form XObjects.
    pub max_form_depth: usize,
    /// When work on this document must stop (checked between pages and operators).
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_stream_bytes: 256 << 20,
            max_objects: 2_000_000,
            max_form_depth: 12,
            deadline: None,
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    NotPdf(String),
    NeedsPassword,
    Damaged(String),
    LimitExceeded(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotPdf(m) => write!(f, "not a PDF file: {m}"),
            ReadError::NeedsPassword => write!(f, "encrypted: a password is needed to open it"),
            ReadError::Damaged(m) => write!(f, "damaged PDF that could not be recovered: {m}"),
            ReadError::LimitExceeded(m) => write!(f, "limit exceeded: {m}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// An opened PDF.
pub struct PdfFile {
    pub doc: lopdf::Document,
    pub producer: Option<String>,
    pub page_count: usize,
    /// The page objects in page order (from the page tree, or found by scanning when the
    /// tree is broken).
    pub pages: Vec<ObjectId>,
    /// Problems that were repaired while loading (reported, not fatal).
    pub warnings: Vec<String>,
    /// The largest decompressed size of one stream this file was opened with: every later
    /// reader of its streams (extraction, OCR) stays under it.
    pub max_stream_bytes: usize,
}

fn load(bytes: &[u8], limits: &Limits, reconstruct: bool) -> lopdf::Result<Document> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        force_reconstruct: reconstruct,
        ..LoadOptions::default()
    };
    Document::load_mem_with_options(bytes, options)
}

/// Page objects found by scanning every object for /Type /Page, in object order: the last
/// resort when the page tree cannot be walked.
fn scan_pages(doc: &Document) -> Vec<ObjectId> {
    doc.objects
        .iter()
        .filter(|(_, o)| match o {
            Object::Dictionary(d) => {
                d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Page")
            }
            _ => false,
        })
        .map(|(id, _)| *id)
        .collect()
}

/// Counts "N G obj" headers in the file (objects inside object streams are not seen here;
/// the count after loading covers them).
fn count_objects(bytes: &[u8]) -> usize {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(i, w)| {
            *w == b" obj"
                && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_alphanumeric())
                && i.checked_sub(1)
                    .and_then(|j| bytes.get(j))
                    .is_some_and(u8::is_ascii_digit)
        })
        .count()
}

/// The page count a linearized file declares up front (/Linearized ... /N count).
fn linearized_page_count(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(2048)];
    let at = head.windows(11).position(|w| w == b"/Linearized")?;
    let dict = &head[at..];
    let end = dict.windows(2).position(|w| w == b">>")?;
    let dict = &dict[..end];
    let n = dict.windows(2).position(|w| w == b"/N")?;
    let digits: String = dict[n + 2..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    digits.parse().ok()
}

/// Opens a PDF from memory.
pub fn open_bytes(bytes: &[u8], limits: &Limits) -> Result<PdfFile, ReadError> {
    if !bytes[..bytes.len().min(1024)]
        .windows(4)
        .any(|w| w == b"%PDF")
    {
        return Err(ReadError::NotPdf("no %PDF header".into()));
    }
    // lopdf parses every object up front: refuse a file with too many before doing so.
    let declared = count_objects(bytes);
    if declared > limits.max_objects {
        return Err(ReadError::LimitExceeded(format!(
            "about {declared} objects (at most {} allowed)",
            limits.max_objects
        )));
    }
    let mut warnings = Vec::new();
    let doc = match load(bytes, limits, false) {
        Ok(d) => d,
        Err(first) => {
            if matches!(
                first,
                lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword
            ) {
                return Err(ReadError::NeedsPassword);
            }
            let msg = first.to_string();
            if msg.to_ascii_lowercase().contains("limit") {
                return Err(ReadError::LimitExceeded(msg));
            }
            match load(bytes, limits, true) {
                Ok(d) => {
                    warnings.push(format!(
                        "damaged file ({msg}): objects recovered by scanning the file"
                    ));
                    d
                }
                Err(e) => return Err(ReadError::Damaged(format!("{msg}; rebuilding failed: {e}"))),
            }
        }
    };
    let mut doc = doc;
    if doc.is_encrypted() {
        // lopdf decrypts files whose user password is empty while loading; a file still
        // encrypted afterwards needs a password we do not have.
        return Err(ReadError::NeedsPassword);
    }
    if doc.objects.len() > limits.max_objects {
        return Err(ReadError::LimitExceeded(format!(
            "{} objects (at most {} allowed)",
            doc.objects.len(),
            limits.max_objects
        )));
    }
    match doc.xref_recovery {
        Some(XrefRecovery::OffsetCorrected) => {
            warnings.push("cross-reference offsets were wrong and have been corrected".into())
        }
        Some(XrefRecovery::Reconstructed) => warnings.push(
            "cross-reference table unreadable: rebuilt by scanning the file for objects".into(),
        ),
        _ => {}
    }
    let mut pages: Vec<ObjectId> = doc.page_iter().collect();
    if pages.is_empty() {
        if let Ok(rebuilt) = load(bytes, limits, true) {
            let rebuilt_pages: Vec<ObjectId> = rebuilt.page_iter().collect();
            if !rebuilt_pages.is_empty() {
                warnings.push(
                    "page tree unreadable: cross-reference table rebuilt by scanning the file"
                        .into(),
                );
                doc = rebuilt;
                pages = rebuilt_pages;
            }
        }
    }
    if pages.is_empty() {
        pages = scan_pages(&doc);
        if !pages.is_empty() {
            warnings.push(format!(
                "page tree unreadable: {} page object(s) found by scanning, in file order",
                pages.len()
            ));
        }
    }
    if pages.is_empty() {
        return Err(ReadError::Damaged("no pages found".into()));
    }
    if let Some(declared) = linearized_page_count(bytes) {
        if declared != pages.len() {
            warnings.push(format!(
                "the file declares {declared} pages but only {} could be read",
                pages.len()
            ));
        }
    }
    let producer = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|d| d.get(b"Producer").ok())
        .and_then(|p| doc.dereference(p).ok())
        .and_then(|(_, p)| p.as_str().ok())
        .map(|b| {
            lopdf::decode_text_string(&Object::String(b.to_vec(), lopdf::StringFormat::Literal))
                .unwrap_or_else(|_| String::from_utf8_lossy(b).into_owned())
        });
    Ok(PdfFile {
        doc,
        producer,
        page_count: pages.len(),
        pages,
        warnings,
        max_stream_bytes: limits.max_stream_bytes,
    })
}
