"""Machine formats for inspectors: JSON Lines (one report per line) and CSV in two layouts.

CSV is written for Excel on Windows: UTF-8 with a byte-order mark (without it Excel reads the
Vietnamese letters as Windows-1252) and CRLF line ends.

- `--format csv`: one row per file, whatever became of it: read and checked, read with nothing to
  check, or not read (with the reason). With --db, the failing checks across reports that name the
  file are counted in two more columns.
- `--format csv-checks`: one row per check (passed, failed, undecided), plus one row for each file
  that has none: a file that was not read (status "problem") or had nothing to check (status
  "not_checked"); then, with --db, one row per check across reports.
"""
from __future__ import annotations

import csv
import io
import json

from ..engine import unchecked_message
from ..records import check_record, report_record

BOM = "\ufeff"

REPORT_FIELDS = ["path", "issuer", "level", "number", "date", "period", "verdict", "checks", "passed", "failed",
                 "errors", "warnings", "info", "undecided", "reason", "unread", "across_errors", "across_warnings"]
CHECK_FIELDS = ["path", "code", "rule", "status", "severity", "line", "column", "end_line", "end_column",
                "quote", "message", "numbers", "scope"]
CSV_FIELDS = CHECK_FIELDS  # the layout of csv-checks (kept under its old name for callers)


def jsonl_chunks(audits, seen=lambda a: None, across=None, lang: str = "vi", sample=None):
    """One line per report; in a random sample each line says so ("sample": n, of, seed)."""
    drawn = {"sample": sample.record()} if sample is not None else {}
    for a in audits:
        yield json.dumps({"schema": 1, **drawn, **report_record(a, lang)}, ensure_ascii=False) + "\n"
        seen(a)
    if across is not None:  # one last line: the checks across reports (--db)
        yield json.dumps({"schema": 1, "across": [check_record(c, None) for c in across()]}, ensure_ascii=False) + "\n"


def _writer(buf: io.StringIO, fields: list[str]) -> csv.DictWriter:
    return csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def report_row(audit, lang: str = "vi") -> dict:
    """One file as one CSV row."""
    c = audit.counts()
    rep = audit.report
    h = rep.header if rep is not None else None
    row = {"path": audit.path, "verdict": audit.verdict}
    if h is not None:
        from ..batch import _short_period

        row.update(issuer=h.issuer or "", level=h.level or "", number=h.number or "",
                   date=f"{h.date.day or '?'}/{h.date.month or '?'}/{h.date.year or '?'}" if h.date else "",
                   period=_short_period(h) or "")
    if rep is not None:
        row.update(checks=c["checks"], passed=c["pass"], failed=c["fail"], errors=c["error"], warnings=c["warning"],
                   info=c["info"], undecided=c["skip"])
    row["reason"] = "; ".join(p["message"] for p in audit.problems) if audit.problems else (unchecked_message(audit, lang) or "")
    row["unread"] = "; ".join(n.message(lang) for n in audit.notes)
    return row


def csv_chunks(audits, seen=lambda a: None, across=None, lang: str = "vi", sample=None):
    """`--format csv`: one row per file. With --db the rows wait for the checks across reports (a row
    is small: a batch of 10,000 holds 10,000 of them), to count those that name each file."""
    buf = io.StringIO()
    w = _writer(buf, REPORT_FIELDS)
    w.writeheader()
    yield BOM + _drain(buf)
    held: list[dict] = []
    for a in audits:
        row = report_row(a, lang)
        if across is None:
            w.writerow(row)
            yield _drain(buf)
        else:
            held.append(row)
        seen(a)
    if across is not None:
        named: dict[str, dict[str, int]] = {}
        for check in across():
            if check.status != "fail" or check.severity not in ("error", "warning"):
                continue
            for path in {p.path for p in check.related}:
                named.setdefault(path, {"error": 0, "warning": 0})[check.severity] += 1
        for row in held:
            got = named.get(row["path"], {"error": 0, "warning": 0})
            w.writerow({**row, "across_errors": got["error"], "across_warnings": got["warning"]})
        yield _drain(buf)


def csv_check_chunks(audits, seen=lambda a: None, across=None, lang: str = "vi", sample=None):
    """`--format csv-checks`: one row per check; a file with no check still has its row."""
    buf = io.StringIO()
    w = _writer(buf, CHECK_FIELDS)
    w.writeheader()
    yield BOM + _drain(buf)
    for a in audits:
        rec = report_record(a, lang)
        for p in rec["problems"]:
            w.writerow({"path": a.path, "code": p["code"], "status": "problem", "severity": "error", "message": p["message"]})
        if a.unchecked:
            w.writerow({"path": a.path, "status": "not_checked", "severity": "info", "message": unchecked_message(a, lang)})
        for c in rec["checks"]:
            w.writerow({**c, "path": a.path, "numbers": " ".join(str(n) for n in c["numbers"])})
        yield _drain(buf)
        seen(a)
    if across is not None:  # checks across reports (--db): one row each, at the first report it names
        for c in across():
            first = c.related[0] if c.related else None
            w.writerow({"path": first.path if first else "", "code": c.code, "rule": c.rule, "status": c.status,
                        "severity": c.severity, "line": first.line if first else "", "column": first.column if first else "",
                        "quote": first.quote if first else "", "message": c.message,
                        "numbers": " ".join(str(n) for n in c.numbers)})
        yield _drain(buf)
