"""Machine formats for inspectors: JSON Lines (one report per line) and CSV (one check per line)."""
from __future__ import annotations

import csv
import io
import json

from .json_out import report_record

CSV_FIELDS = ["path", "code", "rule", "status", "severity", "line", "column", "end_line", "end_column",
              "quote", "message", "numbers", "scope"]


def jsonl_chunks(audits, seen=lambda a: None, across=None):
    for a in audits:
        yield json.dumps({"schema": 1, **report_record(a)}, ensure_ascii=False) + "\n"
        seen(a)
    if across is not None:  # one last line: the checks across reports (--db)
        yield json.dumps({"schema": 1, "across": [c.record() for c in across()]}, ensure_ascii=False) + "\n"


def csv_chunks(audits, seen=lambda a: None, across=None):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for a in audits:
        rec = report_record(a)
        for p in rec["problems"]:
            w.writerow({"path": a.path, "code": p["code"], "status": "problem", "severity": "error", "message": p["message"]})
        for c in rec["checks"]:
            w.writerow({**c, "path": a.path, "numbers": " ".join(str(n) for n in c["numbers"])})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        seen(a)
    if across is not None:  # checks across reports (--db): one row each, at the first report it names
        for c in across():
            first = c.places[0] if c.places else None
            w.writerow({"path": first.path if first else "", "code": c.code, "rule": c.rule, "status": c.status,
                        "severity": c.severity, "line": first.line if first else "", "column": first.column if first else "",
                        "quote": first.quote if first else "", "message": c.message,
                        "numbers": " ".join(str(n) for n in c.numbers)})
        yield buf.getvalue()
