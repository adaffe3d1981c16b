"""Machine formats for inspectors: JSON Lines (one report per line) and CSV (one check per line)."""
from __future__ import annotations

import csv
import io
import json

from ..engine import Audit
from .json_out import report_record

CSV_FIELDS = ["path", "code", "rule", "status", "severity", "line", "column", "end_line", "end_column",
              "quote", "message", "numbers", "scope"]


def render_jsonl(audits: list[Audit]) -> str:
    return "".join(json.dumps({"schema": 1, **report_record(a)}, ensure_ascii=False) + "\n" for a in audits)


def render_csv(audits: list[Audit]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for a in audits:
        rec = report_record(a)
        for p in rec["problems"]:
            w.writerow({"path": a.path, "code": p["code"], "status": "problem", "severity": "error", "message": p["message"]})
        for c in rec["checks"]:
            w.writerow({**c, "path": a.path, "numbers": " ".join(str(n) for n in c["numbers"])})
    return buf.getvalue()
