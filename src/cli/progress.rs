//! Progress of a batch: a bar on a terminal, periodic plain lines elsewhere (CI, pipes, logs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
}

impl Progress {
    pub fn new(total: usize, terminal: bool) -> Progress {
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} documents  {msg}  ETA {eta}",
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
        }
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
            bar.set_message(format!(
                "{:.1} pages/s, {} parsed",
                self.pages_per_second(),
                self.parsed.load(Ordering::Relaxed)
            ));
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
                "referat: {done}/{} documents ({:.0}%), {} parsed, {} pages, {:.1} pages/s, \
                 elapsed {elapsed:.0} s, ETA {eta:.0} s",
                self.total,
                100.0 * done as f64 / self.total.max(1) as f64,
                self.parsed.load(Ordering::Relaxed),
                self.pages.load(Ordering::Relaxed),
                self.pages_per_second(),
            );
        }
    }

    pub fn finish(&self) {
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
