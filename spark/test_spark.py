#!/usr/bin/env python3
"""The Spark job in local[2] gives byte-identical datasets to `referat extract` on the same inputs.

usage: python3 spark/test_spark.py [REFERAT_BINARY]
Run by .ci/run after `cargo build --release`. Needs pyspark (PyPI) and a Java 17 runtime.
"""
import filecmp
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
        passed = len(DATASETS) + 1 - failures
        print(f"spark: {passed} passed, {failures} failed")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
