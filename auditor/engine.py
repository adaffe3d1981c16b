"""The pipeline for one report: read its bytes, extract its figures, run the rule catalog."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check.catalog import Catalog
from .check.engine import Selection, run_rules
from .errors import InputError
from .extract import extract
from .facts import Report
from .findings import Check
from .sources import DEFAULT_MAX_BYTES, Places, read_source


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


def audit_text(path: str, text: str, encoding: str, catalog: Catalog, selection: Selection, lang: str) -> Audit:
    report = extract(path, text, encoding)
    return Audit(path, report, run_rules(report, catalog, selection, lang), [], encoding)


def audit_bytes(path: str, data: bytes, catalog: Catalog, selection: Selection, lang: str,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Audit:
    source = read_source(path, data, max_bytes)
    audit = audit_text(path, source.text, source.encoding, catalog, selection, lang)
    audit.places = source.places
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


__all__ = ["Audit", "Selection", "audit_bytes", "audit_file", "audit_text", "run_rules"]
