"""Machine formats for inspectors: JSON Lines (one report per line) and CSV (one check per line)."""
from __future__ import annotations

import csv
import io
import json

from .json_out import report_record

CSV_FIELDS = ["path", "code", "rule", "status", "severity", "line", "column", "end_line", "end_column",
              "quote", "message", "numbers", "scope"]


def jsonl_chunks(audits, seen=lambda a: None):
    for a in audits:
        yield json.dumps({"schema": 1, **report_record(a)}, ensure_ascii=False) + "\n"
        seen(a)


def csv_chunks(audits, seen=lambda a: None):
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

