"""Reporting habits as data (issue 10, item 6; issue 11 for tables).

Every file in tests/phrasings/ is a YAML list of cases, one family of habits per file. A case is a
short report text and what the auditor must find in it:

    - name: short id (unique in its file)
      habit: one line saying which reporting habit it covers
      text: |
        the report text
      facts:            # each must be found among report.facts
        - {key: received, value: 2869, scope: "Cấp tỉnh"}
      checks:           # each must be among the checks made
        - {code: AR010, status: pass, severity: error, numbers: [2869, 2834, 35]}
      no_error: true    # no failing check of severity error
      no_failure: true  # no failing check at all
      absent:           # checks that must not be made (a false merge, a false reading)
        - {code: XR010, numbers: [120, 45]}
      xfail: "why"      # optional: the auditor does not yet do this; the case runs and must fail (strict)

Matching:
- facts: `key` equals the fact's key or one of its alternatives; `value` is compared numerically
  with the figure's value; `scope`, when given, is a case-insensitive substring of
  Scope.display("vi").
- checks: `code` is one code or a list of codes any of which may report the relation (two rules
  that examine the same figures are reported once, by whichever runs first); `status` is pass,
  fail or skip; `severity` is optional; `numbers` must all be among check.numbers (as a multiset,
  compared numerically).
- absent: same fields as a check (`status` and `numbers` optional); no check may match.

A new reporting habit is one more case in the right file; no Python changes.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CASES_DIR = Path(__file__).parent / "phrasings"
CATALOG = load_catalog()

_CASE_KEYS = {"name", "habit", "text", "facts", "checks", "no_error", "no_failure", "absent", "xfail"}
_FACT_KEYS = {"key", "value", "scope"}
_CHECK_KEYS = {"code", "status", "severity", "numbers"}
_EXPECTATIONS = ("facts", "checks", "no_error", "no_failure", "absent")


def _load() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert isinstance(cases, list), f"{path.name}: a YAML list of cases"
        for case in cases:
            out.append((path.stem, case))
    return out


CASES = _load()


def _id(family: str, case: dict) -> str:
    return f"{family}:{case.get('name', '?')}"


# ----------------------------------------------------------------------------- the case files


def test_case_files_are_well_formed():
    assert CASES, f"no cases in {CASES_DIR}"
    problems = []
    seen = Counter(_id(f, c) for f, c in CASES)
    problems += [f"{i}: name used twice" for i, n in seen.items() if n > 1]
    for family, case in CASES:
        where = _id(family, case)
        if not isinstance(case, dict):
            problems.append(f"{family}: a case is not a mapping: {case!r}")
            continue
        if set(case) - _CASE_KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(case) - _CASE_KEYS)}")
        for k in ("name", "habit", "text"):
            if not isinstance(case.get(k), str) or not case[k].strip():
                problems.append(f"{where}: '{k}' missing or empty")
        if "xfail" in case and (not isinstance(case["xfail"], str) or not case["xfail"].strip()):
            problems.append(f"{where}: 'xfail' must say why")
        if not any(case.get(k) for k in _EXPECTATIONS):
            problems.append(f"{where}: no expectation")
        for f in case.get("facts") or []:
            if set(f) - _FACT_KEYS or not {"key", "value"} <= set(f):
                problems.append(f"{where}: bad fact {f!r}")
        for k in ("checks", "absent"):
            for c in case.get(k) or []:
                if set(c) - _CHECK_KEYS or "code" not in c or (k == "checks" and "status" not in c):
                    problems.append(f"{where}: bad {k} entry {c!r}")
                if c.get("status") not in (None, "pass", "fail", "skip"):
                    problems.append(f"{where}: bad status in {c!r}")
                if c.get("severity") not in (None, "error", "warning", "info"):
                    problems.append(f"{where}: bad severity in {c!r}")
                codes = c.get("code") if isinstance(c.get("code"), list) else [c.get("code")]
                unknown = [x for x in codes if x not in {r.code for r in CATALOG.rules}]
                if unknown:
                    problems.append(f"{where}: unknown rule codes {unknown}")
    assert problems == []


# ----------------------------------------------------------------------------- matching


def _dec(x) -> Decimal:
    return Decimal(str(x))


def _has_numbers(have: list, want: list) -> bool:
    pool = [_dec(x) for x in have]
    for w in want:
        w = _dec(w)
        for i, h in enumerate(pool):
            if h == w:
                del pool[i]
                break
        else:
            return False
    return True


def _matches(check, want: dict) -> bool:
    codes = want["code"] if isinstance(want["code"], list) else [want["code"]]
    return (check.code in codes
            and ("status" not in want or check.status == want["status"])
            and ("severity" not in want or check.severity == want["severity"])
            and _has_numbers(check.numbers, want.get("numbers") or []))


def _fact_matches(fact, want: dict) -> bool:
    if want["key"] != fact.key and want["key"] not in fact.alternatives:
        return False
    if fact.q.value != _dec(want["value"]):
        return False
    return "scope" not in want or want["scope"].casefold() in fact.scope.display("vi").casefold()


def _show_checks(text: str, checks) -> str:
    lines = []
    for c in checks:
        quote = " ".join(text[c.start:c.end].split())[:50]
        lines.append(f"    {c.code} {c.status:4} {c.severity:7} {c.numbers} “{quote}” — {c.message[:140]}")
    return "\n".join(lines) or "    (none)"


def _show_facts(facts) -> str:
    lines = [f"    {f.key} = {f.q.raw!r} ({f.q.value}) in “{f.scope.display('vi')}”" for f in facts]
    return "\n".join(lines) or "    (none)"


# ----------------------------------------------------------------------------- the test


def _param(family: str, case: dict):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(family, case, id=_id(family, case), marks=marks)


@pytest.mark.parametrize("family,case", [_param(f, c) for f, c in CASES])
def test_phrasing(family: str, case: dict):
    text = case["text"]
    audit = audit_text(f"{family}.txt", text, "utf-8", CATALOG, Selection(), "vi")
    checks, facts = audit.checks, audit.report.facts
    wrong = []
    for want in case.get("facts") or []:
        if not any(_fact_matches(f, want) for f in facts):
            wrong.append(f"fact not found: {want}")
    for want in case.get("checks") or []:
        if not any(_matches(c, want) for c in checks):
            wrong.append(f"check not made: {want}")
    for want in case.get("absent") or []:
        got = [c for c in checks if _matches(c, want)]
        if got:
            wrong.append(f"check made that must not be: {want}\n" + _show_checks(text, got))
    failing = [c for c in checks if c.status == "fail"]
    if case.get("no_error") and any(c.severity == "error" for c in failing):
        wrong.append("a failing check of severity error:\n"
                     + _show_checks(text, [c for c in failing if c.severity == "error"]))
    if case.get("no_failure") and failing:
        wrong.append("a failing check:\n" + _show_checks(text, failing))
    assert not wrong, (f"\n{_id(family, case)} — {case['habit']}\n" + "\n".join(f"  - {w}" for w in wrong)
                       + "\n  checks made:\n" + _show_checks(text, checks)
                       + "\n  facts read:\n" + _show_facts(facts))
