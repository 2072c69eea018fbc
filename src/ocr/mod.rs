//! OCR of pages without a usable text layer (scans), with Tesseract.
//!
//! The page image is taken straight from the PDF's image XObject at its native resolution
//! (`images`), recognised by the `tesseract` command (`tesseract`; see there why the command and
//! not a binding), and Tesseract's words are laid out into the same model extraction produces
//! (`layout`): a [`TextPage`] whose blocks, lines and words carry boxes in PDF points with a
//! top-left origin, so segmentation and parsing work unchanged.
//!
//! # Wiring
//! `ocr_document` does it all for an extracted document: it selects the pages `OcrOptions::mode`
//! asks for (`page_selected`: under `auto` the pages `page_needs_ocr` finds, under `always`
//! every page painting a page-sized image, under `never` none), OCRs them in parallel on the
//! caller's rayon pool (Tesseract runs with `OMP_THREAD_LIMIT=1`), replaces them in the
//! document and returns per page its provenance and low-confidence words (`PageOcr`). A page
//! that fails keeps its extracted form with the failure as a page issue; a missing Tesseract is
//! recorded once per process (`engine_missing_warning`), not per page.

pub mod images;
pub mod layout;
pub mod order;
pub mod tesseract;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::extract::model::{PageIssue, Rect, TextPage};
use crate::read::PdfFile;

/// How OCR runs.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    /// Which pages are OCRed (`--ocr`); [`ocr_page`] OCRs the page it is given whatever this is.
    pub mode: OcrMode,
    /// The Tesseract command ("tesseract" looks it up on PATH).
    pub command: PathBuf,
    /// Tesseract language model; "eng" is used, with a warning, when it is not installed.
    pub language: String,
    /// Words below this confidence (0..100) are reported as low-confidence.
    pub min_confidence: f32,
    /// When the document's time is up: pages not started by then are left un-OCRed.
    pub deadline: Option<std::time::Instant>,
    /// Told as pages are queued for OCR and as each finishes (the progress display).
    pub progress: Option<OcrProgress>,
}

impl Default for OcrOptions {
    fn default() -> OcrOptions {
        OcrOptions {
            mode: OcrMode::default(),
            command: PathBuf::from("tesseract"),
            language: "nor".into(),
            min_confidence: 60.0,
            deadline: None,
            progress: None,
        }
    }
}

/// What the progress display hears from OCR, from worker threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrEvent {
    /// This many pages of a document will be OCRed (Tesseract is there to do it).
    Queued(usize),
    /// One queued page is finished: OCRed, failed, or skipped at the deadline.
    Finished,
}

/// A callback for [`OcrEvent`]s, shared by all documents of a run.
#[derive(Clone)]
pub struct OcrProgress(pub std::sync::Arc<dyn Fn(OcrEvent) + Send + Sync>);

impl fmt::Debug for OcrProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OcrProgress(..)")
    }
}

impl OcrOptions {
    fn tell(&self, event: OcrEvent) {
        if let Some(p) = &self.progress {
            (p.0)(event);
        }
    }
}

/// Where a page's text came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrProvenance {
    /// Always "tesseract".
    pub engine: String,
    pub version: String,
    /// The language model used ("nor", or "eng" as the fallback).
    pub model: String,
    /// Mean word confidence over the page, 0..100.
    pub mean_confidence: f32,
}

/// A recognised word Tesseract was unsure of; it is kept in the page text as well.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowConfidenceWord {
    pub text: String,
    pub confidence: f32,
    pub bbox: Rect,
}

/// One OCRed page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrPage {
    /// The page as extraction would have produced it (`needs_ocr` false).
    pub page: TextPage,
    pub provenance: OcrProvenance,
    pub low_confidence: Vec<LowConfidenceWord>,
    /// Skew of the scan in degrees when measurable (Tesseract reads slightly rotated lines
    /// itself; this is reported, not corrected).
    pub skew_degrees: Option<f32>,
    /// Things the caller should pass on (language fallback, skipped images).
    pub warnings: Vec<String>,
    /// Tesseract's words as it gave them (image pixels), for [`layout::describe`] when a
    /// layout needs looking into.
    #[serde(skip)]
    pub words: Vec<tesseract::TsvWord>,
}

/// Why a page could not be OCRed. Messages name the page; the caller adds the file.
#[derive(Debug, Clone, PartialEq)]
pub enum OcrError {
    /// Tesseract cannot be run: not installed, or not what we expect.
    EngineMissing { command: String, detail: String },
    /// No page with this number.
    NoSuchPage { page: usize },
    /// The page paints no image that could hold its text.
    NoImage { page: usize },
    /// The page's content stream cannot be read.
    BadContent { page: usize, detail: String },
    /// An image in a format we cannot decode (JBIG2, ...).
    UnsupportedImage { page: usize, detail: String },
    /// An image stream that does not hold what its dictionary says.
    CorruptImage { page: usize, detail: String },
    /// Tesseract ran but failed on the image.
    EngineFailed { page: usize, detail: String },
    /// The document's time limit passed before this page was OCRed.
    Deadline { page: usize },
}

impl OcrError {
    /// True when Tesseract is not available at all: report once per run, not per page.
    pub fn is_engine_missing(&self) -> bool {
        matches!(self, OcrError::EngineMissing { .. })
    }

    /// A stable machine-readable kind.
    pub fn kind(&self) -> &'static str {
        match self {
            OcrError::EngineMissing { .. } => "ocr_engine_missing",
            OcrError::NoSuchPage { .. } => "ocr_no_such_page",
            OcrError::NoImage { .. } => "ocr_no_image",
            OcrError::BadContent { .. } => "ocr_bad_content",
            OcrError::UnsupportedImage { .. } => "ocr_unsupported_image",
            OcrError::CorruptImage { .. } => "ocr_corrupt_image",
            OcrError::EngineFailed { .. } => "ocr_failed",
            OcrError::Deadline { .. } => "deadline",
        }
    }

    /// The error as an issue on the page it concerns.
    pub fn to_page_issue(&self) -> PageIssue {
        PageIssue {
            kind: self.kind().into(),
            message: self.to_string(),
        }
    }
}

impl fmt::Display for OcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OcrError::EngineMissing { command, detail } => write!(
                f,
                "OCR is unavailable: Tesseract ({command}) cannot be run ({detail}); install the \
                 Debian packages tesseract-ocr and tesseract-ocr-nor"
            ),
            OcrError::NoSuchPage { page } => write!(f, "page {page}: no such page"),
            OcrError::NoImage { page } => {
                write!(f, "page {page}: no text layer and no image to OCR")
            }
            OcrError::BadContent { page, detail } => write!(f, "page {page}: {detail}"),
            OcrError::UnsupportedImage { page, detail } => {
                write!(f, "page {page}: cannot OCR: {detail}")
            }
            OcrError::CorruptImage { page, detail } => {
                write!(f, "page {page}: cannot OCR: corrupt image stream: {detail}")
            }
            OcrError::EngineFailed { page, detail } => {
                write!(f, "page {page}: OCR failed: {detail}")
            }
            OcrError::Deadline { page } => {
                write!(
                    f,
                    "page {page}: time limit reached before the page was OCRed"
                )
            }
        }
    }
}

impl std::error::Error for OcrError {}

/// The page object of a 1-based page number, as the reader found the pages.
fn page_object(pdf: &PdfFile, page_number: usize) -> Option<lopdf::ObjectId> {
    page_number
        .checked_sub(1)
        .and_then(|i| pdf.pages.get(i))
        .copied()
}

/// Images smaller than this share of the page are logos or figures, not the page's text.
const MIN_IMAGE_SHARE: f32 = 0.05;
/// A page whose images cover at least this share looks like a scan.
const SCAN_IMAGE_SHARE: f32 = 0.5;

fn image_share(img: &images::PlacedImage, geom: &images::PageGeometry) -> f32 {
    let b = img.display_box(geom);
    let w = (b[2].min(geom.width()) - b[0].max(0.0)).max(0.0);
    let h = (b[3].min(geom.height()) - b[1].max(0.0)).max(0.0);
    w * h / (geom.width() * geom.height()).max(1.0)
}

/// Fewer readable characters than this is no text layer (a stray page number is not one).
const MIN_READABLE_CHARS: usize = 3;

/// True when the extracted text layer is unusable, the half of the `--ocr auto` rule that
/// looks at text (README, "OCR of scanned pages"):
/// - no visible text: no text operators at all, or only invisible text (render mode 3 or 7).
///   An invisible layer over a scan is an earlier OCR (the scanner's) of unknown engine and
///   quality: it is replaced, so every OCRed page has the same known provenance; `--ocr never`
///   keeps it;
/// - garbage: fewer than [`MIN_READABLE_CHARS`] readable characters, or more than half of the
///   visible characters unreadable: glyphs without a Unicode mapping (left out by extraction,
///   counted in `TextPage::unmapped_glyphs`), U+FFFD, private-use or control characters.
pub fn text_layer_unusable(page: &TextPage) -> bool {
    let mut total = page.unmapped_glyphs;
    let mut bad = page.unmapped_glyphs;
    for word in page
        .blocks
        .iter()
        .flat_map(|b| b.lines.iter())
        .flat_map(|l| l.words.iter())
        .filter(|w| !w.invisible)
    {
        for c in word.text.chars() {
            total += 1;
            let garbage =
                c == '\u{FFFD}' || c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c);
            bad += usize::from(garbage);
        }
    }
    total - bad < MIN_READABLE_CHARS || bad * 2 > total
}

/// Whether a page should be OCRed: it paints an image covering most of the page and has no
/// usable text layer. With `extracted` (the page as extraction read it) the text layer is
/// judged by its words; without, by its content stream (no visible text-showing operators).
/// A page without such an image is never sent to OCR: there is nothing to recognise.
pub fn page_needs_ocr(pdf: &PdfFile, page_number: usize, extracted: Option<&TextPage>) -> bool {
    // A usable text layer settles it without reading the page's content again.
    if extracted.is_some_and(|page| !text_layer_unusable(page)) {
        return false;
    }
    let Some(id) = page_object(pdf, page_number) else {
        return false;
    };
    let Ok(scan) = images::scan_page(&pdf.doc, id, pdf.max_stream_bytes) else {
        return false;
    };
    let covered: f32 = scan
        .images
        .iter()
        .map(|i| image_share(i, &scan.geometry))
        .sum();
    if covered < SCAN_IMAGE_SHARE {
        return false;
    }
    match extracted {
        Some(_) => true,
        None => scan.visible_text_ops == 0,
    }
}

/// OCRs one page (1-based number) from its images.
pub fn ocr_page(pdf: &PdfFile, page_number: usize, opts: &OcrOptions) -> Result<OcrPage, OcrError> {
    let engine = tesseract::probe(&opts.command)?;
    let mut warnings = Vec::new();
    let model = if engine.languages.iter().any(|l| l == &opts.language) {
        opts.language.clone()
    } else {
        warnings.push(format!(
            "Tesseract language model {:?} is not installed (Debian: tesseract-ocr-{}); \
             using \"eng\"",
            opts.language, opts.language
        ));
        "eng".to_string()
    };
    let page = page_number;
    let id = page_object(pdf, page).ok_or(OcrError::NoSuchPage { page })?;
    let scan = images::scan_page(&pdf.doc, id, pdf.max_stream_bytes)
        .map_err(|detail| OcrError::BadContent { page, detail })?;
    let geom = scan.geometry;
    let candidates: Vec<&images::PlacedImage> = scan
        .images
        .iter()
        .filter(|i| image_share(i, &geom) >= MIN_IMAGE_SHARE)
        .collect();
    if candidates.is_empty() {
        return Err(OcrError::NoImage { page });
    }

    let mut text_page = TextPage {
        number: page,
        width: geom.width(),
        height: geom.height(),
        blocks: Vec::new(),
        tables: Vec::new(),
        needs_ocr: false,
        unmapped_glyphs: 0,
        issues: Vec::new(),
    };
    let mut low_confidence = Vec::new();
    let mut conf_sum = 0.0f64;
    let mut conf_n = 0usize;
    let mut all_words = Vec::new();
    let mut first_error = None;
    let mut recognised = 0usize;
    for img in &candidates {
        let file = match images::image_file(&pdf.doc, &img.stream) {
            Ok(f) => f,
            Err(e) => {
                let err = match e {
                    images::ImageError::Unsupported(d) => OcrError::UnsupportedImage {
                        page,
                        detail: format!("image {}: {d}", img.name),
                    },
                    images::ImageError::Corrupt(d) => OcrError::CorruptImage {
                        page,
                        detail: format!("image {}: {d}", img.name),
                    },
                };
                warnings.push(err.to_string());
                first_error.get_or_insert(err);
                continue;
            }
        };
        // The resolution Tesseract should assume: pixels per inch of the image as placed.
        let b = img.display_box(&geom);
        let dpi = ((file.width as f32) / ((b[2] - b[0]).max(1.0) / 72.0))
            .max((file.height as f32) / ((b[3] - b[1]).max(1.0) / 72.0))
            .round()
            .clamp(50.0, 1200.0) as u32;
        let read = |segmentation| {
            tesseract::recognise(
                &engine,
                &model,
                dpi,
                segmentation,
                &file.bytes,
                file.extension,
            )
            .and_then(|t| tesseract::parse_tsv(&t))
        };
        let tsv = match read(tesseract::Segmentation::Auto) {
            Ok(t) => t,
            Err(detail) => {
                let err = OcrError::EngineFailed {
                    page,
                    detail: format!("image {}: {detail}", img.name),
                };
                warnings.push(err.to_string());
                first_error.get_or_insert(err);
                continue;
            }
        };
        recognised += 1;
        // A table whose columns Tesseract made blocks of their own may have lost a narrow
        // column's short cells; a second reading, line by line across the page, finds them. It
        // runs only on pages that show such a loss: it costs as much as the first.
        let tsv = if layout::may_have_lost_cells(&tsv) {
            match read(tesseract::Segmentation::SingleColumn) {
                Ok(lines) => layout::fill_gaps(tsv, &lines),
                Err(_) => tsv,
            }
        } else {
            tsv
        };
        let (w, h) = (file.width as f32, file.height as f32);
        let to_page = |l: f32, t: f32, r: f32, btm: f32| -> Rect {
            let mut x0 = f32::MAX;
            let mut y0 = f32::MAX;
            let mut x1 = f32::MIN;
            let mut y1 = f32::MIN;
            for (px, py) in [(l, t), (r, t), (l, btm), (r, btm)] {
                let (x, y) = img.pixel_to_display(&geom, px, py, w, h);
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            Rect::new(x0, y0, x1, y1)
        };
        for word in &tsv {
            conf_sum += f64::from(word.conf);
            conf_n += 1;
            if word.conf < opts.min_confidence {
                low_confidence.push(LowConfidenceWord {
                    text: word.text.clone(),
                    confidence: word.conf,
                    bbox: to_page(
                        word.left,
                        word.top,
                        word.left + word.width,
                        word.top + word.height,
                    ),
                });
            }
        }
        let laid = layout::layout(&tsv, &to_page);
        let offset = text_page.blocks.len();
        let table_offset = text_page.tables.len();
        for mut block in laid.blocks {
            if let crate::extract::model::BlockRole::Cell { table, .. } = &mut block.role {
                *table += table_offset;
            }
            text_page.blocks.push(block);
        }
        for mut table in laid.tables {
            for cell in table.rows.iter_mut().flatten() {
                for b in cell.iter_mut() {
                    *b += offset;
                }
            }
            text_page.tables.push(table);
        }
        all_words.extend(tsv);
    }
    if recognised == 0 {
        return Err(first_error.unwrap_or(OcrError::NoImage { page }));
    }
    for w in &warnings {
        text_page.issues.push(PageIssue {
            kind: "ocr_image_skipped".into(),
            message: w.clone(),
        });
    }
    let mean_confidence = if conf_n == 0 {
        0.0
    } else {
        ((conf_sum / conf_n as f64) * 10.0).round() as f32 / 10.0
    };
    Ok(OcrPage {
        page: text_page,
        provenance: OcrProvenance {
            engine: "tesseract".into(),
            version: engine.version.clone(),
            model,
            mean_confidence,
        },
        low_confidence,
        skew_degrees: if candidates.len() == 1 {
            layout::skew_degrees(&all_words)
        } else {
            None
        },
        warnings,
        words: all_words,
    })
}

/// When pages are OCRed (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages whose text layer is missing or unusable, and that paint a page-sized image.
    #[default]
    Auto,
    /// Every page with a page-sized image, replacing any text layer.
    Always,
    /// No OCR: image-only pages are reported as needing it.
    Never,
}

impl std::str::FromStr for OcrMode {
    type Err = String;
    fn from_str(s: &str) -> Result<OcrMode, String> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            other => Err(format!("{other:?} is not one of auto, always, never")),
        }
    }
}

/// Set the first time a run finds Tesseract missing: the caller prints it once per run.
static ENGINE_MISSING: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Why OCR was unavailable in this process, if it was needed and Tesseract could not run.
pub fn engine_missing_warning() -> Option<&'static str> {
    ENGINE_MISSING.get().map(String::as_str)
}

fn has_page_image(pdf: &PdfFile, page_number: usize) -> bool {
    let Some(id) = page_object(pdf, page_number) else {
        return false;
    };
    images::scan_page(&pdf.doc, id, pdf.max_stream_bytes).is_ok_and(|scan| {
        scan.images
            .iter()
            .map(|i| image_share(i, &scan.geometry))
            .sum::<f32>()
            >= SCAN_IMAGE_SHARE
    })
}

/// What OCR did on one page of a document: where the page's text now comes from, and what
/// Tesseract was unsure of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageOcr {
    /// 1-based page number.
    pub page: usize,
    pub provenance: OcrProvenance,
    /// Kept in the page text; the caller flags them.
    pub low_confidence: Vec<LowConfidenceWord>,
    /// Notes that are not already page issues (the language-model fallback).
    pub notes: Vec<String>,
}

/// Whether `options.mode` sends this extracted page to OCR.
pub fn page_selected(pdf: &PdfFile, page: &TextPage, mode: OcrMode) -> bool {
    match mode {
        OcrMode::Never => false,
        OcrMode::Auto => page_needs_ocr(pdf, page.number, Some(page)),
        OcrMode::Always => has_page_image(pdf, page.number),
    }
}

/// OCRs the pages of an extracted document that `opts.mode` selects, in parallel (rayon,
/// within the caller's pool), replacing them in `text`. Returns, per OCRed page in page order,
/// its provenance and low-confidence words. A page that fails keeps its extracted form and gets
/// the failure as a page issue. When Tesseract is missing nothing is OCRed and
/// [`engine_missing_warning`] says why, once per process.
pub fn ocr_document(
    pdf: &PdfFile,
    text: &mut crate::extract::TextDocument,
    opts: &OcrOptions,
) -> Vec<PageOcr> {
    use rayon::prelude::*;
    let selected: Vec<usize> = text
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page_selected(pdf, page, opts.mode))
        .map(|(i, _)| i)
        .collect();
    if selected.is_empty() {
        return Vec::new();
    }
    if let Err(e) = tesseract::probe(&opts.command) {
        let _ = ENGINE_MISSING.set(e.to_string());
        return Vec::new();
    }
    opts.tell(OcrEvent::Queued(selected.len()));
    let results: Vec<(usize, Result<OcrPage, OcrError>)> = selected
        .par_iter()
        .map(|&i| {
            let number = text.pages[i].number;
            let result = if opts.deadline.is_some_and(|d| std::time::Instant::now() > d) {
                Err(OcrError::Deadline { page: number })
            } else {
                ocr_page(pdf, number, opts)
            };
            opts.tell(OcrEvent::Finished);
            (i, result)
        })
        .collect();
    let mut done = Vec::new();
    for (i, result) in results {
        match result {
            Ok(o) => {
                let notes = o
                    .warnings
                    .iter()
                    .filter(|w| !o.page.issues.iter().any(|issue| &issue.message == *w))
                    .cloned()
                    .collect();
                done.push(PageOcr {
                    page: text.pages[i].number,
                    provenance: o.provenance,
                    low_confidence: o.low_confidence,
                    notes,
                });
                text.pages[i] = o.page;
            }
            Err(e) if e.is_engine_missing() => {
                let _ = ENGINE_MISSING.set(e.to_string());
            }
            Err(e) => text.pages[i].issues.push(e.to_page_issue()),
        }
    }
    done
}
