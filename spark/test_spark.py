#!/usr/bin/env python3
"""The Spark job in local[2] gives byte-identical datasets to `referat extract` on the same inputs.

usage: python3 spark/test_spark.py [REFERAT_BINARY]
Run by .ci/run after `cargo build --release`. Needs pyspark (PyPI) and a Java 17 runtime.
"""
import filecmp
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATASETS = ["documents", "bodies", "meetings", "participants", "cases", "references", "people",
            "warnings"]


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                             os.path.join(ROOT, "target", "release", "referat"))
    pdf_dir = os.path.join(ROOT, "corpus", "pdf")
    # Every text-bearing corpus PDF; the scans are left out only because OCR would make this
    # test slow: parse/resolve treat them like any other document.
    paths = sorted(os.path.join(pdf_dir, n) for n in os.listdir(pdf_dir)
                   if n.endswith(".pdf") and not n.endswith(".scan.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        manifest = os.path.join(tmp, "manifest.txt")
        with open(manifest, "w", encoding="utf-8") as f:
            # A duplicated path stands for a retried task: the datasets must not change.
            f.write("\n".join(paths + paths[:2]) + "\n")
        out_extract = os.path.join(tmp, "extract")
        out_spark = os.path.join(tmp, "spark")
        subprocess.run([binary, "extract", *paths, "--out", out_extract], check=True)
        subprocess.run([sys.executable, os.path.join(HERE, "referat_spark.py"),
                        "--master", "local[2]", "--referat", binary, "--manifest", manifest,
                        "--out", out_spark], check=True)
        failures = 0
        for name in DATASETS:
            a = os.path.join(out_extract, name + ".jsonl")
            b = os.path.join(out_spark, name + ".jsonl")
            same = os.path.exists(a) and os.path.exists(b) and filecmp.cmp(a, b, shallow=False)
            lines = sum(1 for _ in open(a, encoding="utf-8")) if os.path.exists(a) else 0
            print(f"{'ok  ' if same else 'FAIL'} {name}.jsonl ({lines} lines)")
            failures += not same
        with open(os.path.join(out_extract, "meetings.jsonl"), encoding="utf-8") as f:
            if not f.read().strip():
                print("FAIL meetings.jsonl is empty: the comparison would be vacuous")
                failures += 1
        failures += not crashed_worker_line_is_a_document_row(binary, tmp)
        passed = len(DATASETS) + 2 - failures
        print(f"spark: {passed} passed, {failures} failed")
        return 1 if failures else 0


def crashed_worker_line_is_a_document_row(binary, tmp):
    """The line the job writes for a document whose worker died has every field of a line of
    `referat parse`, and resolves into datasets that validate."""
    sys.path.insert(0, HERE)
    import referat_spark
    pdf_dir = os.path.join(ROOT, "corpus", "pdf")
    pdf = os.path.join(pdf_dir, sorted(os.listdir(pdf_dir))[0])
    crashed = json.loads(referat_spark.failed_line(pdf, "referat parse exited with -6: abort"))
    parsed = json.loads(subprocess.run([binary, "parse", "--ocr", "never", pdf], check=True,
                                       capture_output=True, text=True).stdout.splitlines()[0])
    missing = sorted(set(parsed["document"]) - set(crashed["document"]))
    extra = sorted(set(crashed["document"]) - set(parsed["document"]))
    partials = os.path.join(tmp, "crashed.jsonl")
    with open(partials, "w", encoding="utf-8") as f:
        f.write(json.dumps(crashed) + "\n")
    out = os.path.join(tmp, "crashed")
    subprocess.run([binary, "resolve", partials, "--out", out], check=True)
    valid = subprocess.run([binary, "validate", out]).returncode == 0
    ok = valid and not missing and not extra and crashed["document"]["status"] == "failed"
    print(f"{'ok  ' if ok else 'FAIL'} crashed-worker line: valid={valid}, missing={missing}, "
          f"extra={extra}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
