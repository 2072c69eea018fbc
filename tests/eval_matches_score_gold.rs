//! `referat eval` against the reference scorer: for every producer variant of the shared corpus
//! (`../shared/corpus/pdf`, but the scans, which need OCR), the variant's PDFs are extracted
//! (`--ocr never`) and the datasets scored against `../shared/corpus/gold` by both
//! `referat eval` and `python3 ../shared/bin/score-gold`; they must print the same lines, the
//! last one `overall F1 = x.xxx`. Only the equality of the two scorers is asserted, not the
//! figures (the parser changes). Skipped, with a notice, when ../shared or python3 is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{bin, repo, scratch, stderr, stdout};

const VARIANTS: [&str; 7] = ["lo", "chrome", "gs", "cairo", "objstm", "aes", "docx"];

fn shared() -> Option<PathBuf> {
    let shared = repo().join("../shared");
    let script = shared.join("bin/score-gold");
    if !script.exists() || !shared.join("corpus/pdf").is_dir() {
        eprintln!(
            "NOTICE: {} absent; eval is not compared with score-gold",
            script.display()
        );
        return None;
    }
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => Some(shared),
        _ => {
            eprintln!("NOTICE: python3 cannot be run; eval is not compared with score-gold");
            None
        }
    }
}

fn sorted_files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

fn overall_line(text: &str) -> Option<&str> {
    text.lines()
        .last()
        .filter(|l| l.starts_with("overall F1 = "))
}

#[test]
fn eval_prints_what_score_gold_prints_on_every_variant() {
    let Some(shared) = shared() else {
        return;
    };
    let script = shared.join("bin/score-gold");
    let golds = sorted_files(&shared.join("corpus/gold"), ".json");
    assert!(!golds.is_empty(), "no gold files in ../shared/corpus/gold");
    let mut compared = Vec::new();
    for variant in VARIANTS {
        let pdfs = sorted_files(&shared.join("corpus/pdf"), &format!(".{variant}.pdf"));
        if pdfs.is_empty() {
            eprintln!("NOTICE: no {variant} PDFs in ../shared/corpus/pdf");
            continue;
        }
        let out = scratch(&format!("eval-vs-score-gold-{variant}"));
        let run = Command::new(bin())
            .arg("extract")
            .args(&pdfs)
            .arg("--out")
            .arg(&out)
            .args(["--ocr", "never"])
            .output()
            .expect("run referat extract");
        assert!(run.status.success(), "{variant}: extract: {}", stderr(&run));

        let ours = Command::new(bin())
            .arg("eval")
            .arg(&out)
            .args(&golds)
            .output()
            .expect("run referat eval");
        assert!(ours.status.success(), "{variant}: eval: {}", stderr(&ours));
        let theirs = Command::new("python3")
            .arg(&script)
            .arg(&out)
            .args(&golds)
            .output()
            .expect("run score-gold");
        assert!(
            theirs.status.success(),
            "{variant}: score-gold: {}",
            stderr(&theirs)
        );
        let (ours, theirs) = (stdout(&ours), stdout(&theirs));
        let line = overall_line(&ours)
            .unwrap_or_else(|| panic!("{variant}: no overall F1 line from eval:\n{ours}"));
        assert_eq!(
            Some(line),
            overall_line(&theirs),
            "{variant}: eval and score-gold differ\n--- eval\n{ours}\n--- score-gold\n{theirs}"
        );
        assert_eq!(
            ours, theirs,
            "{variant}: eval and score-gold differ in a measure"
        );
        // The JSON reports: the same counts per measure and the same overall F1.
        let json = |cmd: &mut Command| -> serde_json::Value {
            let o = cmd.arg("--json").output().expect("run a scorer");
            assert!(o.status.success(), "{variant}: {}", stderr(&o));
            serde_json::from_str(&stdout(&o)).expect("one JSON object")
        };
        let ours = json(Command::new(bin()).arg("eval").arg(&out).args(&golds));
        let theirs = json(Command::new("python3").arg(&script).arg(&out).args(&golds));
        assert_eq!(ours["f1"], theirs["f1"], "{variant}: --json f1");
        let counts = |v: &serde_json::Value| -> Vec<(String, [u64; 3])> {
            let mut c: Vec<(String, [u64; 3])> = v["fields"]
                .as_object()
                .expect("fields")
                .iter()
                .map(|(name, t)| {
                    let n = |k: &str| t[k].as_u64().expect("a count");
                    (name.clone(), [n("tp"), n("fp"), n("fn")])
                })
                .collect();
            c.sort();
            c
        };
        assert_eq!(counts(&ours), counts(&theirs), "{variant}: --json fields");
        compared.push(format!("{variant}: {line}"));
        let _ = std::fs::remove_dir_all(&out);
    }
    eprintln!("eval = score-gold on\n  {}", compared.join("\n  "));
    assert!(!compared.is_empty(), "no variant compared");
}
