#!/usr/bin/env python3
"""Run referat over a PDF collection on Apache Spark.

The pipeline splits at its natural seam:
  map    - `referat parse -` on each executor: paths on stdin, one JSON line of partial records
           per document on stdout (read, extract, segment, parse; independent of other PDFs);
  reduce - `referat resolve PARTIALS... --out DIR` on the driver: merges meetings met in several
           PDFs, resolves people, bodies and references, assigns ids, writes the datasets.

Executors need only the static referat binary, shipped with the job (SparkContext.addFile, the
same as `spark-submit --files target/release/referat`) and found through SparkFiles.

    spark-submit --master local[2] spark/referat_spark.py --referat target/release/referat \
        --input corpus/pdf --out output-spark

Works unchanged with a cluster URL for --master, as long as every executor can read the paths
(a shared file system, or paths the executors mount the same way).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys


def list_pdfs(input_dir=None, manifest=None):
    """Sorted absolute paths: every *.pdf below input_dir, or one path per line of a manifest."""
    paths = []
    if manifest:
        with open(manifest, encoding="utf-8") as f:
            paths = [line.strip() for line in f if line.strip()]
    if input_dir:
        for root, _dirs, files in os.walk(input_dir):
            paths.extend(os.path.join(root, n) for n in files if n.lower().endswith(".pdf"))
    return sorted(set(os.path.abspath(p) for p in paths))


def failed_line(path, message):
    """The partial-records line (a serialised `pipeline::DocumentResult`) for a document whose
    worker process died, a crash that referat's own panic isolation could not catch. Status
    `failed`, no records, the same document id referat derives from the content, so the batch
    keeps every other document and the datasets say what happened."""
    try:
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        doc_id = "doc-" + sha[:16]
    except OSError as e:
        sha, doc_id = "", "doc-unreadable-" + hashlib.sha256(path.encode()).hexdigest()[:12]
        message += f"; cannot read file: {e}"
    document = {"id": doc_id, "path": path, "sha256": sha, "pages": 0, "producer": None,
                "status": "failed", "errors": [f"{path}: {message}"], "segments": [],
                "ocr_pages": []}
    return json.dumps({"document": document, "records": {"meetings": [], "warnings": []}},
                      ensure_ascii=False)


def parse_partition(binary, timeout, paths):
    """Runs one `referat parse -` over a partition's paths. If the worker process dies (a crash
    that referat's own panic isolation cannot catch, such as an abort), the partition is re-run one
    document at a time so that only the culprit fails, as a failed-document line, not a failed task."""
    paths = list(paths)
    if not paths:
        return []
    # One thread per task: Spark's task slots are the parallelism (spark.task.cpus).
    cmd = [binary, "parse", "--jobs", "1", "--timeout", str(timeout), "-"]
    run = subprocess.run(cmd, input="\n".join(paths) + "\n", capture_output=True, text=True)
    if run.returncode in (0, 1):
        return [line for line in run.stdout.splitlines() if line.strip()]
    out = []
    for path in paths:
        one = subprocess.run(cmd, input=path + "\n", capture_output=True, text=True)
        lines = [line for line in one.stdout.splitlines() if line.strip()]
        if one.returncode in (0, 1) and lines:
            out.extend(lines)
        else:
            out.append(failed_line(path, f"referat parse exited with {one.returncode}: "
                                         f"{one.stderr.strip()[-500:]}"))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--referat", required=True, help="path of the referat binary to ship")
    ap.add_argument("--input", help="directory of PDFs (searched recursively)")
    ap.add_argument("--manifest", help="file with one PDF path per line")
    ap.add_argument("--out", required=True, help="directory for the datasets")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="number of partitions (default: 4 per default parallelism)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per document")
    args = ap.parse_args(argv)
    if not args.input and not args.manifest:
        ap.error("give --input or --manifest")

    from pyspark import SparkConf, SparkContext, SparkFiles

    conf = SparkConf().setAppName("referat")
    if args.master:
        conf = conf.setMaster(args.master)
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("WARN")
    binary_name = os.path.basename(args.referat)
    sc.addFile(os.path.abspath(args.referat))

    paths = list_pdfs(args.input, args.manifest)
    n = args.partitions or max(1, sc.defaultParallelism * 4)
    timeout = args.timeout

    def run_partition(it):
        binary = SparkFiles.get(binary_name)
        os.chmod(binary, 0o755)
        return parse_partition(binary, timeout, it)

    partials_dir = os.path.join(os.path.abspath(args.out), "partials")
    if os.path.exists(partials_dir):
        import shutil
        shutil.rmtree(partials_dir)
    sc.parallelize(paths, min(n, max(1, len(paths)))).mapPartitions(run_partition) \
        .saveAsTextFile("file://" + partials_dir)
    sc.stop()

    parts = sorted(os.path.join(partials_dir, f) for f in os.listdir(partials_dir)
                   if f.startswith("part-"))
    resolve = subprocess.run([os.path.abspath(args.referat), "resolve", *parts, "--out", args.out])
    return resolve.returncode


if __name__ == "__main__":
    sys.exit(main())
