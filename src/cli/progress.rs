//! Progress of a batch: bars on a terminal, periodic plain lines elsewhere (CI, pipes, logs).
//! OCR is the slow path, so its pages get a bar of their own (pages OCRed of pages queued for
//! OCR), shown once the first scanned page is found.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ocr::{OcrEvent, OcrProgress};
use crate::pipeline::batch::{Done, Origin};

/// How often a plain progress line is written when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    total: usize,
    start: Instant,
    done: AtomicUsize,
    /// Pages of documents parsed in this run (reused ones cost nothing, so they would inflate
    /// the rate).
    pages: AtomicUsize,
    parsed: AtomicUsize,
    bar: Option<ProgressBar>,
    last_log: Mutex<Instant>,
    ocr: Arc<OcrPages>,
}

/// Pages queued for OCR and pages finished, across all documents of the run.
struct OcrPages {
    queued: AtomicUsize,
    finished: AtomicUsize,
    /// The bars' owner on a terminal; the OCR bar joins it when the first page is queued.
    multi: Option<MultiProgress>,
    bar: OnceLock<ProgressBar>,
}

impl OcrPages {
    fn event(&self, event: OcrEvent) {
        match event {
            OcrEvent::Queued(n) => {
                self.queued.fetch_add(n, Ordering::Relaxed);
                if let Some(bar) = self.bar() {
                    bar.inc_length(n as u64);
                }
            }
            OcrEvent::Finished => {
                self.finished.fetch_add(1, Ordering::Relaxed);
                if let Some(bar) = self.bar() {
                    bar.inc(1);
                }
            }
        }
    }

    fn bar(&self) -> Option<&ProgressBar> {
        let multi = self.multi.as_ref()?;
        Some(self.bar.get_or_init(|| {
            let bar = multi.add(ProgressBar::new(0));
            bar.set_style(
                ProgressStyle::with_template("  OCR       [{bar:20}] {pos}/{len} pages  ETA {eta}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar
        }))
    }

    /// ", OCR 3/10 pages" once any page was queued, for the plain progress lines.
    fn summary(&self) -> String {
        match self.queued.load(Ordering::Relaxed) {
            0 => String::new(),
            queued => format!(
                ", OCR {}/{queued} pages",
                self.finished.load(Ordering::Relaxed)
            ),
        }
    }
}

impl Progress {
    pub fn new(total: usize, terminal: bool) -> Progress {
        let multi = terminal.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        let bar = multi.as_ref().map(|multi| {
            let bar = multi.add(ProgressBar::new(total as u64));
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:20}] {pos}/{len} documents  {msg}  ETA {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let start = Instant::now();
        Progress {
            total,
            start,
            done: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            parsed: AtomicUsize::new(0),
            bar,
            last_log: Mutex::new(start),
            ocr: Arc::new(OcrPages {
                queued: AtomicUsize::new(0),
                finished: AtomicUsize::new(0),
                multi,
                bar: OnceLock::new(),
            }),
        }
    }

    /// The callback OCR reports its pages to.
    pub fn ocr_hook(&self) -> Option<OcrProgress> {
        let pages = self.ocr.clone();
        Some(OcrProgress(Arc::new(move |event| pages.event(event))))
    }

    fn pages_per_second(&self) -> f64 {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        self.pages.load(Ordering::Relaxed) as f64 / secs
    }

    /// Called from worker threads as each document finishes.
    pub fn document_done(&self, d: Done<'_>) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if d.origin == Origin::Parsed {
            self.parsed.fetch_add(1, Ordering::Relaxed);
            self.pages
                .fetch_add(d.result.document.pages, Ordering::Relaxed);
        }
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{:.0} pages/s", self.pages_per_second()));
            bar.inc(1);
            return;
        }
        let mut last = self.last_log.lock().unwrap_or_else(|p| p.into_inner());
        if last.elapsed() >= LOG_EVERY || done == self.total {
            *last = Instant::now();
            let elapsed = self.start.elapsed().as_secs_f64();
            let eta = if done > 0 {
                elapsed / done as f64 * (self.total - done) as f64
            } else {
                0.0
            };
            eprintln!(
                "referat: {done}/{} documents ({:.0}%), {} parsed, {} pages, {:.1} pages/s{}, \
                 elapsed {elapsed:.0} s, ETA {eta:.0} s",
                self.total,
                100.0 * done as f64 / self.total.max(1) as f64,
                self.parsed.load(Ordering::Relaxed),
                self.pages.load(Ordering::Relaxed),
                self.pages_per_second(),
                self.ocr.summary(),
            );
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = self.ocr.bar.get() {
            bar.finish_and_clear();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub fn pages_parsed(&self) -> usize {
        self.pages.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_pages_are_counted_apart_from_documents() {
        let progress = Progress::new(3, false);
        assert_eq!(progress.ocr.summary(), "", "no OCR, no OCR figures");
        let hook = progress.ocr_hook().expect("a hook");
        (hook.0)(OcrEvent::Queued(4));
        (hook.0)(OcrEvent::Queued(2));
        (hook.0)(OcrEvent::Finished);
        assert_eq!(progress.ocr.summary(), ", OCR 1/6 pages");
        assert!(progress.ocr.bar.get().is_none(), "no bar off a terminal");
    }
}
