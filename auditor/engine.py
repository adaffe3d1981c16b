"""The pipeline for one report: read its bytes, extract its figures, run the rule catalog."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .check.catalog import Catalog
from .check.engine import Selection, run_rules
from .errors import InputError
from .extract import extract
from .facts import Report
from .findings import Check
from .source.read import DEFAULT_MAX_BYTES, Places, read_source


@dataclass
class Audit:
    path: str
    report: Report | None
    checks: list[Check]
    problems: list[dict]
    encoding: str = ""
    tally: dict[str, int] | None = None  # kept when the checks themselves were dropped (summaries)
    places: Places | None = None  # where each line sits in a Word or PDF original
    fact_rows: list[tuple] | None = None  # stated facts, compact, kept for the --db store
    notes: tuple = ()  # what the file holds that was not read (sources.Note: pictures, charts, …)
    figures: int | None = None  # figures extraction recognised (None: not known)
    rules: int | None = None  # rules of the selection that check one report (None: not known)

    def counts(self) -> dict[str, int]:
        if self.tally is not None:
            return dict(self.tally)
        c = {"checks": len(self.checks), "pass": 0, "fail": 0, "skip": 0, "error": 0, "warning": 0, "info": 0}
        for ch in self.checks:
            c[ch.status] += 1
            if ch.status == "fail":
                c[ch.severity] += 1
        return c

    @property
    def has_errors(self) -> bool:
        if self.tally is not None:
            return self.tally["error"] > 0
        return any(c.status == "fail" and c.severity == "error" for c in self.checks)

    @property
    def unchecked(self) -> str | None:
        """Why nothing was checked in a report that was read: "rules" (the selection runs no rule on a
        report), "figures" (no figure was recognised), "undecided" (figures, but no check could be
        decided); None when at least one check passed or failed, or the file was not read."""
        if self.problems or self.report is None:
            return None
        c = self.counts()
        if c["pass"] + c["fail"]:
            return None
        if self.rules == 0:
            return "rules"
        if not self.figures:
            return "figures"
        return "undecided"

    @property
    def verdict(self) -> str:
        """One word for the whole report, the same in every format: unreadable | not_checked |
        errors | warnings | info | ok."""
        if self.problems or self.report is None:
            return "unreadable"
        if self.unchecked:
            return "not_checked"
        c = self.counts()
        return "errors" if c["error"] else "warnings" if c["warning"] else "info" if c["info"] else "ok"

    @property
    def status(self) -> int:
        """The exit status this report alone gives: 2 unreadable or nothing checked, 1 errors, 0 none."""
        return 2 if self.verdict in ("unreadable", "not_checked") else 1 if self.has_errors else 0


UNCHECKED = {
    "rules": {"vi": "Không có luật nào được chạy: --select/--ignore đã bỏ mọi luật kiểm tra một báo cáo "
                    "(xem danh mục: tthc-audit rules).",
              "en": "No rule was run: --select/--ignore leave no rule that checks a report "
                    "(see the catalog: tthc-audit rules)."},
    "figures": {"vi": "Không tìm thấy số liệu nào để kiểm tra — tệp này có phải báo cáo TTHC?",
                "en": "No figures found to check — is this file a TTHC report?"},
    "undecided": {"vi": "Không kết luận được phép kiểm tra nào: báo cáo có số liệu nhưng thiếu những số cần "
                        "để đối chiếu.",
                  "en": "No check could be decided: the report has figures, but not the ones a check needs."},
}


def unchecked_message(audit: Audit, lang: str) -> str | None:
    """The words that say a report was read but nothing in it was checked (never "no problems")."""
    reason = audit.unchecked
    return UNCHECKED[reason]["en" if lang == "en" else "vi"] if reason else None


def report_rules(catalog: Catalog, selection: Selection) -> int:
    """How many rules of the selection check one report (the cross-report rules run over a --db store)."""
    return sum(1 for r in catalog.rules if selection.wants(r.code) and getattr(r, "over", None) != "reports")


def audit_text(path: str, text: str, encoding: str, catalog: Catalog, selection: Selection, lang: str) -> Audit:
    with _collector_paused():
        report = extract(path, text, encoding)
        checks = run_rules(report, catalog, selection, lang)
    return Audit(path, report, checks, [], encoding, figures=len(report.facts), rules=report_rules(catalog, selection))


# cycles a report leaves (a few hundred objects) wait frozen for a full collection, made this often
_FULL_COLLECTION_EVERY = 25
_reports_read = 0


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while one report is read and checked. Reading a report makes
    hundreds of thousands of small objects that live until it is done, and each collection walks all of
    them again: a quarter of the time spent checking, for almost no garbage (reference counting frees
    nearly everything). When it is done the report's objects are frozen, out of the collector's sight:
    otherwise the collection that starts as soon as it is back on walks every one of them once more
    (5% of the time). They are freed by reference counting all the same; the few cycles among them are
    unfrozen when the next report starts and collected by a full collection every few reports."""
    global _reports_read
    if not gc.isenabled():
        yield
        return
    gc.unfreeze()
    _reports_read += 1
    if _reports_read % _FULL_COLLECTION_EVERY == 0:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def audit_bytes(path: str, data: bytes, catalog: Catalog, selection: Selection, lang: str,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Audit:
    source = read_source(path, data, max_bytes)
    audit = audit_text(path, source.text, source.encoding, catalog, selection, lang)
    audit.places = source.places
    audit.notes = tuple(source.notes)
    return audit


def audit_file(path: str, catalog: Catalog, selection: Selection, lang: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Audit:
    p = Path(path)
    if not p.exists():
        raise InputError("IO001", f"không có tệp {path}")
    if p.is_dir():
        raise InputError("IO001", f"{path} là thư mục, không phải tệp báo cáo")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError("IO001", f"không đọc được {path}: {exc.strerror}") from None
    return audit_bytes(path, data, catalog, selection, lang, max_bytes)


__all__ = ["UNCHECKED", "Audit", "Selection", "audit_bytes", "audit_file", "audit_text", "report_rules", "run_rules",
           "unchecked_message"]
