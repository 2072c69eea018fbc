#!/usr/bin/env python3
"""Documents per second: Spark local[1|2|4] against `referat extract --jobs 1|2`.

usage: python3 spark/bench.py [--docs 2000] [REFERAT_BINARY]
Builds a corpus of N distinct PDFs from the bundled text-bearing ones (each copy gets a trailing
comment after %%EOF, which PDF readers ignore, so every copy has its own content hash), runs
every configuration over it, prints documents/s and the ratio to `extract --jobs 1`, and the
cluster size that 10 million PDFs in a day would need at the measured per-core rate.
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def make_corpus(dst, n):
    src = os.path.join(ROOT, "corpus", "pdf")
    seeds = sorted(os.path.join(src, f) for f in os.listdir(src)
                   if f.endswith(".pdf") and not f.endswith(".scan.pdf"))
    datas = [open(p, "rb").read() for p in seeds]
    for i in range(n):
        with open(os.path.join(dst, f"doc{i:06d}.pdf"), "wb") as f:
            f.write(datas[i % len(datas)] + f"\n%referat-bench copy {i}\n".encode())


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("binary", nargs="?", default=os.path.join(ROOT, "target", "release", "referat"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "pdf")
        os.mkdir(corpus)
        make_corpus(corpus, args.docs)
        rows = []
        for jobs in (1, 2):
            out = os.path.join(tmp, f"extract{jobs}")
            s = timed([binary, "extract", corpus, "--out", out, "--jobs", str(jobs), "--force"])
            rows.append((f"referat extract --jobs {jobs}", s))
        for workers in (1, 2, 4):
            out = os.path.join(tmp, f"spark{workers}")
            s = timed([sys.executable, os.path.join(HERE, "referat_spark.py"), "--master",
                       f"local[{workers}]", "--referat", binary, "--input", corpus, "--out", out])
            rows.append((f"spark local[{workers}]", s))
        base = args.docs / rows[0][1]
        print(f"{'configuration':28s} {'seconds':>8s} {'docs/s':>8s} {'ratio':>6s}")
        for name, s in rows:
            print(f"{name:28s} {s:8.1f} {args.docs / s:8.1f} {args.docs / s / base:6.2f}")
        per_core = base  # documents per second on one core, without Spark
        spark_eff = (args.docs / rows[3][1]) / (2 * per_core)  # local[2] against 2 x one core
        need = 10_000_000 / 86_400
        cores = need / (per_core * spark_eff)
        print(f"10 million PDFs a day = {need:.0f} docs/s; at {per_core:.1f} docs/s per core and "
              f"{spark_eff:.2f} Spark efficiency: about {cores:.0f} executor cores "
              f"({math.ceil(cores / 16)} machine(s) of 16 cores), before the driver-side resolve.")
        shutil.rmtree(corpus)


if __name__ == "__main__":
    main()
