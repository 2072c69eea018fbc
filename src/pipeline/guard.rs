//! A time limit per document that holds even when a stage overruns it.
//!
//! The stages check `Limits::deadline` themselves and stop early; this guard is the backstop
//! for code that does not (a long regex, a loop in a damaged file): the document runs on its own
//! thread and, if it has not finished a grace period after its deadline, the batch records it as
//! failed and moves on. The abandoned thread cannot be killed; it finishes or dies with the
//! process, and the batch does not wait for it.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{failed, process_bytes_outcome, Outcome};
use crate::ocr::OcrOptions;
use crate::read::Limits;
use crate::vocab::Vocabulary;

/// Stack of a document thread: as large as a main thread's, for deeply nested files.
const STACK_BYTES: usize = 8 << 20;

/// How long past its deadline a document may run before it is abandoned: the stages notice
/// the deadline only between pages and operators, and parsing follows extraction.
pub fn grace(timeout: Duration) -> Duration {
    Duration::from_secs(1) + timeout / 4
}

/// Processes one document with an optional time limit.
pub fn process_limited(
    path: &str,
    sha: &str,
    bytes: Vec<u8>,
    vocab: &Arc<Vocabulary>,
    limits: &Limits,
    ocr: &OcrOptions,
    timeout: Option<Duration>,
) -> Outcome {
    let Some(timeout) = timeout else {
        return process_bytes_outcome(path, sha, &bytes, vocab, limits, ocr);
    };
    let (p, s, vocab, ocr) = (
        path.to_string(),
        sha.to_string(),
        vocab.clone(),
        ocr.clone(),
    );
    run_limited(path, sha, limits, timeout, move |limits| {
        process_bytes_outcome(&p, &s, &bytes, &vocab, &limits, &ocr)
    })
}

/// Runs `work` on a thread of its own with `limits.deadline` set `timeout` from now, and gives
/// up on it (a failed outcome) when it has not finished a grace period after the deadline.
pub fn run_limited(
    path: &str,
    sha: &str,
    limits: &Limits,
    timeout: Duration,
    work: impl FnOnce(Limits) -> Outcome + Send + 'static,
) -> Outcome {
    let start = Instant::now();
    let mut limits = limits.clone();
    limits.deadline = Some(start + timeout);
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("referat-document".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            // The receiver is gone when the batch gave up on this document.
            let _ = tx.send(work(limits));
        });
    if let Err(e) = spawned {
        return Outcome {
            result: failed(
                path,
                sha,
                format!("{path}: cannot start a worker thread: {e}"),
            ),
            timed_out: true,
        };
    }
    match rx.recv_timeout(timeout + grace(timeout)) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome {
            result: failed(
                path,
                sha,
                format!(
                    "{path}: time limit: still running {:.1} s after the start, past the limit of \
                     {} s (--timeout); abandoned",
                    start.elapsed().as_secs_f64(),
                    timeout.as_secs_f64()
                ),
            ),
            timed_out: true,
        },
        // The thread ended without sending: only a panic outside catch_unwind can do that.
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome {
            result: failed(path, sha, format!("{path}: the worker thread died")),
            timed_out: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn a_document_that_ignores_its_deadline_is_abandoned_after_the_grace_period() {
        let timeout = Duration::from_millis(100);
        let start = Instant::now();
        let out = run_limited("slow.pdf", SHA, &Limits::default(), timeout, |_| {
            std::thread::sleep(Duration::from_secs(30));
            unreachable!("abandoned long before")
        });
        let waited = start.elapsed();
        assert!(waited >= timeout + grace(timeout), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
        assert!(out.timed_out);
        assert_eq!(out.result.document.status, "failed");
        let message = &out.result.document.errors[0];
        assert!(message.starts_with("slow.pdf: time limit"), "{message}");
        assert_eq!(out.result.document.id, "doc-0123456789abcdef");
    }

    #[test]
    fn work_sees_the_deadline_and_its_result_is_kept_when_in_time() {
        let timeout = Duration::from_secs(60);
        let out = run_limited(
            "quick.pdf",
            SHA,
            &Limits::default(),
            timeout,
            move |limits| {
                let deadline = limits.deadline.expect("deadline set");
                assert!(deadline > Instant::now() + Duration::from_secs(50));
                Outcome {
                    result: failed("quick.pdf", SHA, "marker".into()),
                    timed_out: false,
                }
            },
        );
        assert!(!out.timed_out);
        assert_eq!(out.result.document.errors, vec!["marker".to_string()]);
    }
}
