//! How `referat resolve` (the reduce) scales: documents per second and peak memory over N
//! generated documents (copies of real partial records, each its own document with its own
//! meetings; see `referat::partials::synthetic`).
//!
//! ```text
//! cargo run --release --example bench_resolve                      # N = 5000, 20000, 100000
//! cargo run --release --example bench_resolve -- --docs 5000,20000 [--memory-mib 256]
//! cargo run --release --example bench_resolve -- gen 20000 partials.jsonl   # the input only
//! ```
//!
//! The seed is `tests/data/resolve/seed-partials.jsonl.gz` (a `referat parse` of the corpus and
//! the test fixtures); `--seed FILE` takes another file of partial-record lines (plain or .gz).
//! Peak memory is the resolve process's maximum resident set, from the kernel (`wait4`).

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use referat::partials::{synthetic, write_line};
use referat::pipeline::DocumentResult;

fn main() {
    if let Err(e) = run() {
        eprintln!("bench_resolve: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| -> Option<String> {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
        v
    };
    let seed_path = take("--seed")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("tests/data/resolve/seed-partials.jsonl.gz"));
    let binary = take("--referat")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/referat"));
    let memory = take("--memory-mib");
    let docs = take("--docs").unwrap_or_else(|| "5000,20000,100000".into());
    let seed = read_seed(&seed_path)?;
    if args.first().map(String::as_str) == Some("gen") {
        let [_, n, out] = args.as_slice() else {
            return Err("usage: bench_resolve gen DOCS OUT.jsonl".into());
        };
        let n: usize = n.parse().map_err(|_| format!("not a number: {n}"))?;
        return generate(&seed, n, Path::new(out));
    }
    let tmp = std::env::temp_dir().join(format!("referat-bench-resolve-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    println!(
        "{:>9} {:>9} {:>8} {:>9} {:>12}",
        "documents", "partials", "seconds", "docs/s", "peak memory"
    );
    for n in docs.split(',') {
        let n: usize = n.trim().parse().map_err(|_| format!("not a number: {n}"))?;
        let input = tmp.join(format!("partials-{n}.jsonl"));
        generate(&seed, n, &input)?;
        let size = std::fs::metadata(&input).map_err(|e| e.to_string())?.len();
        let mut cmd = std::process::Command::new(&binary);
        cmd.arg("resolve")
            .arg(&input)
            .arg("--out")
            .arg(tmp.join(format!("out-{n}")));
        if let Some(m) = &memory {
            cmd.args(["--memory-mib", m]);
        }
        let (seconds, peak_kib) = timed(&mut cmd)?;
        println!(
            "{n:>9} {:>6} MB {seconds:>8.2} {:>9.0} {:>8} MiB",
            size / 1_000_000,
            n as f64 / seconds,
            peak_kib / 1024
        );
        let _ = std::fs::remove_file(&input);
        let _ = std::fs::remove_dir_all(tmp.join(format!("out-{n}")));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn read_seed(path: &Path) -> Result<Vec<DocumentResult>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    } else {
        text = String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut seed = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        seed.push(
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?,
        );
    }
    if seed.is_empty() {
        return Err(format!("{}: no partial records", path.display()));
    }
    Ok(seed)
}

/// Document `k` is copy `k / seeds` of seed `k % seeds`.
fn generate(seed: &[DocumentResult], n: usize, out: &Path) -> Result<(), String> {
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = BufWriter::new(file);
    for k in 0..n {
        let doc = synthetic::copy(&seed[k % seed.len()], (k / seed.len()) as u32);
        write_line(&mut w, &doc).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", out.display()))
}

/// Wall-clock seconds and peak resident KiB of a child process.
fn timed(cmd: &mut std::process::Command) -> Result<(f64, u64), String> {
    let start = Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let mut stderr = String::new();
    if let Some(e) = child.stderr.as_mut() {
        let _ = e.read_to_string(&mut stderr);
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes only into it and status.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: pid is our own unwaited child; both pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    if r != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("resolve failed: {}", stderr.trim()));
    }
    Ok((seconds, usage.ru_maxrss as u64))
}
