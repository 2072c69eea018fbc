#!/usr/bin/env python3
"""Checks `referat export` output with the tools researchers use, independently of referat's
own code:

  export_check.py DATASETS_DIR CSV_EXPORT_DIR PARQUET_EXPORT_DIR

1. `frictionless` validates each export's datapackage.json: types, constraints, primary and
   foreign keys (and a copy of the CSV export with a meeting removed must fail on its foreign
   keys, so the check is known to look at them);
2. each export, read back (the Parquet tables with pyarrow, the CSV tables typed by
   frictionless from datapackage.json), is rebuilt into the JSON records and compared with every
   line of the JSON Lines datasets: same row counts, same values.

Prints one line per check; exits 1 with the differences when something does not hold.
Needs the PyPI packages frictionless, pandas and pyarrow (.ci/run installs them).
"""
import datetime
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

# Per dataset, its child tables: (table, parent key column, JSON list field, the column that
# holds a list of strings' items, or None when the items are objects).
CHILDREN = {
    "documents": [
        ("document_errors", "document_id", "errors", "error"),
        ("document_segments", "document_id", "segments", None),
        ("document_ocr_pages", "document_id", "ocr_pages", None),
    ],
    "bodies": [("body_names", "body_id", "names", None)],
    "meetings": [
        ("meeting_documents", "meeting_id", "documents", "kind"),
        ("meeting_sources", "meeting_id", "sources", None),
    ],
    "participants": [("participant_sources", "participant_id", "sources", None)],
    "cases": [
        ("case_attachments", "case_id", "attachments", None),
        ("case_action_items", "case_id", "action_items", "action_item"),
        ("case_sources", "case_id", "sources", None),
    ],
    "references": [("reference_sources", "reference_id", "sources", None)],
    "people": [
        ("person_aliases", "person_id", "aliases", "alias"),
        ("person_affiliations", "person_id", "affiliations", None),
    ],
    "warnings": [],
}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def plain(value):
    """A value read back, as the JSON datasets write it."""
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def json_as_exported(value):
    """A JSON value with empty text as null, the export's one documented change."""
    if value == "":
        return None
    if isinstance(value, list):
        return [json_as_exported(v) for v in value]
    if isinstance(value, dict):
        return {k: json_as_exported(v) for k, v in value.items()}
    return value


def read_jsonl(datasets, name):
    path = os.path.join(datasets, name + ".jsonl")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def rebuild(name, tables):
    """The JSON records of dataset `name`, rebuilt from its table and child tables."""
    children = {}
    for table, parent, field, item_column in CHILDREN[name]:
        lists = defaultdict(list)
        for row in tables[table]:
            lists[row[parent]].append(row)
        for key, rows in lists.items():
            seqs = [r["seq"] for r in rows]
            if seqs != list(range(len(rows))):
                fail(f"{table}: seq of {key} is {seqs}, not 0..{len(rows) - 1} in order")
            if item_column:
                lists[key] = [r[item_column] for r in rows]
            else:
                lists[key] = [{k: v for k, v in r.items() if k not in (parent, "seq")} for r in rows]
        children[field] = lists
    records = []
    for row in tables[name]:
        record = dict(row)
        key = record["id"] if "id" in record else None
        if name == "participants":
            del record["id"]
        if name == "warnings":
            del record["seq"]
        if name == "cases":
            has_memo = record.pop("has_memo")
            memo = {"from": record.pop("memo_from"), "case_officer": record.pop("memo_case_officer")}
            record["memo"] = memo if has_memo else None
        for field, lists in children.items():
            record[field] = lists.get(key, [])
        records.append(record)
    # Every child row belongs to a parent row.
    keys = {row.get("id") for row in tables[name]}
    for table, parent, _field, _item in CHILDREN[name]:
        orphans = [r[parent] for r in tables[table] if r[parent] not in keys]
        if orphans:
            fail(f"{table}: rows of no {name} row: {orphans[:3]}")
    return records


def compare(label, datasets, tables):
    for name in CHILDREN:
        expected = [json_as_exported(r) for r in read_jsonl(datasets, name)]
        got = rebuild(name, tables)
        if len(got) != len(expected):
            fail(f"{label} {name}: {len(got)} rows, {name}.jsonl has {len(expected)} lines")
            continue
        for table, _parent, field, _item in CHILDREN[name]:
            want = sum(len(r[field]) for r in expected)
            if len(tables[table]) != want:
                fail(f"{label} {table}: {len(tables[table])} rows, the {field} lists hold {want}")
        wrong = [(i + 1, e, g) for i, (e, g) in enumerate(zip(expected, got)) if e != g]
        for line, e, g in wrong[:3]:
            fail(f"{label} {name}.jsonl line {line}:\n  json:   {e}\n  export: {g}")
        print(f"{label} {name}: {len(got)} rows, every value as in {name}.jsonl"
              if not wrong else f"{label} {name}: {len(wrong)} rows differ")


def parquet_tables(export):
    tables = {}
    for name in [t for n in CHILDREN for t in [n] + [c[0] for c in CHILDREN[n]]]:
        table = pq.read_table(os.path.join(export, name + ".parquet"))
        tables[name] = [{k: plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return tables


def csv_tables(export):
    package = frictionless.Package(os.path.join(export, "datapackage.json"))
    tables = {}
    for resource in package.resources:
        with resource:
            tables[resource.name] = [
                {k: plain(v) for k, v in row.to_dict().items()} for row in resource.row_stream
            ]
    return tables


def validate(label, export):
    report = frictionless.validate(os.path.join(export, "datapackage.json"))
    if report.valid:
        print(f"{label}: frictionless: valid ({len(report.tasks)} tables)")
    else:
        for error in report.flatten(["name", "rowNumber", "fieldName", "type", "note"])[:10]:
            fail(f"{label}: frictionless: {error}")
    return report


def foreign_keys_are_checked(export):
    """A copy of the CSV export without its first meeting must fail on foreign keys."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "export")
        shutil.copytree(export, copy)
        with open(os.path.join(copy, "meetings.csv"), encoding="utf-8", newline="") as f:
            lines = f.readlines()
        with open(os.path.join(copy, "meetings.csv"), "w", encoding="utf-8", newline="") as f:
            f.writelines(lines[:1] + lines[2:])
        with open(os.path.join(copy, "datapackage.json"), encoding="utf-8") as f:
            package = json.load(f)
        for resource in package["resources"]:
            resource.pop("bytes", None)
            resource.pop("hash", None)
        with open(os.path.join(copy, "datapackage.json"), "w", encoding="utf-8") as f:
            json.dump(package, f)
        report = frictionless.validate(os.path.join(copy, "datapackage.json"))
        types = {e.type for task in report.tasks for e in task.errors}
        if report.valid or types != {"foreign-key"}:
            fail(f"without a meeting row: valid={report.valid}, errors {sorted(types)}; "
                 "expected foreign-key errors only")
        else:
            print("csv: without a meeting row, frictionless reports the foreign keys")


def parquet_types(export):
    """The columns are typed, not text."""
    expected = {
        ("meetings", "date"): pa.date32(),
        ("meetings", "start_time"): pa.time32("ms"),
        ("meetings", "number"): pa.int64(),
        ("cases", "has_memo"): pa.bool_(),
        ("case_sources", "page"): pa.int64(),
        ("documents", "pages"): pa.int64(),
    }
    for (table, column), ty in expected.items():
        got = pq.read_schema(os.path.join(export, table + ".parquet")).field(column).type
        if got != ty:
            fail(f"parquet {table}.{column}: {got}, expected {ty}")
    compression = pq.ParquetFile(os.path.join(export, "cases.parquet")).metadata.row_group(0).column(0).compression
    if compression == "UNCOMPRESSED":
        fail("parquet cases: not compressed")
    print(f"parquet: typed columns (date32, time32[ms], int64, bool), {compression} compression")


def main():
    datasets, csv_export, parquet_export = sys.argv[1:4]
    validate("csv", csv_export)
    validate("parquet", parquet_export)
    foreign_keys_are_checked(csv_export)
    parquet_types(parquet_export)
    compare("parquet", datasets, parquet_tables(parquet_export))
    compare("csv", datasets, csv_tables(csv_export))
    if failures:
        print(f"{len(failures)} checks failed")
        sys.exit(1)
    print("all export checks passed")


if __name__ == "__main__":
    main()
