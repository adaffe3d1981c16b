"""Runs the rule catalog over a report: selection, derivation, every kind, severity overrides."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, Rule
from .errors import InputError
from .extract import extract
from .facts import Report
from .findings import SEVERITY_ORDER, Check
from .kinds import KINDS, Context, derive, scope_table
from .lexicon import default_lexicon
from .sources import DEFAULT_MAX_BYTES, Places, read_source


@dataclass
class Selection:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


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


def run_rules(report: Report, catalog: Catalog, selection: Selection, lang: str) -> list[Check]:
    scopes = scope_table(report)
    derive([r for r in catalog.rules if r.kind == "identity"], scopes)
    ctx = Context(report, catalog, lang, scopes, default_lexicon().parents, {id(f.q): f for f in report.facts})
    checks: list[Check] = []
    for rule in catalog.rules:
        # every rule runs, and selection filters afterwards: which findings a rule makes must not
        # depend on which other rules were selected (one sum is reported once, by its first rule)
        wanted = selection.wants(rule.code)
        for check in KINDS[rule.kind](rule, ctx):
            if not wanted:
                continue
            if rule.code in selection.severity:
                check.severity = selection.severity[rule.code]
            checks.append(check)
    checks.sort(key=lambda c: (c.start, SEVERITY_ORDER[c.severity], c.code, c.end))
    name_culprits(checks, report.text, lang)
    return checks


def name_culprits(checks: list[Check], text: str, lang: str) -> None:
    """A figure that takes part in two or more failing checks and in no passing one explains them
    all at once: name it as the likely culprit in each of those failures."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    uses: dict[tuple[int, int], list[Check]] = {}
    for c in checks:
        if c.status == "skip":
            continue
        for span in {(c.start, c.end), *((r.start, r.end) for r in c.related)}:
            uses.setdefault(span, []).append(c)
    # spans used by two or more checks, all of them failing
    only_failing = {span for span, used in uses.items() if len(used) >= 2 and all(u.status == "fail" for u in used)}
    for c in checks:
        if c.status != "fail":
            continue
        spans = {(c.start, c.end), *((r.start, r.end) for r in c.related)}
        suspects = [span for span in spans if span in only_failing]
        if len(suspects) == 1:
            start, end = suspects[0]
            line = bisect_right(line_starts, start)
            figure = " ".join(text[start:end].split())
            c.culprit = f"“{figure}” ({'dòng' if lang == 'vi' else 'line'} {line})"
            n = len(uses[suspects[0]])
            c.message += (f" Số có khả năng sai: {c.culprit} — có mặt trong {n} phép kiểm tra không đạt, không có trong phép kiểm tra nào đạt."
                          if lang == "vi" else f" Likely culprit: {c.culprit}, which is in {n} failing checks and in none that passed.")


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


__all__ = ["Audit", "Selection", "Rule", "audit_bytes", "audit_file", "audit_text", "run_rules"]
