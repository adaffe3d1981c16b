"""Every rule's own examples: the failing one trips that rule, the passing one trips nothing.

A case that fails today because extraction misses something is marked xfail(strict=True) in
KNOWN_GAPS below, naming the gap; fix the extraction, then delete the entry (strict makes an
unexpected pass fail, so the list cannot go stale).
"""
from __future__ import annotations

import pytest

from auditor.check.catalog import ACROSS_KINDS, load_catalog
from auditor.engine import Selection, audit_text
from auditor.findings import SEVERITY_ORDER

CATALOG = load_catalog()

# (code, "fail" | "pass") -> the extraction gap that makes the example misbehave today
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _audit(text: str):
    return audit_text("ex.txt", text, "utf-8", CATALOG, Selection(), "vi")


def _cases(which: str):
    for rule in CATALOG.rules:
        if rule.kind in ACROSS_KINDS:  # two reports in a store: tests/test_store.py
            continue
        marks = []
        gap = KNOWN_GAPS.get((rule.code, which))
        if gap:
            marks.append(pytest.mark.xfail(strict=True, reason=gap))
        yield pytest.param(rule, id=f"{rule.code}-{which}", marks=marks)


def test_catalog_is_not_empty_and_every_rule_has_both_examples():
    assert CATALOG.rules
    missing = [r.code for r in CATALOG.rules if not (r.examples.fail and r.examples.pass_)]
    assert missing == []


@pytest.mark.parametrize("rule", list(_cases("fail")))
def test_failing_example_trips_its_rule(rule):
    assert rule.examples.fail, f"{rule.code} has no failing example"
    audit = _audit(rule.examples.fail)
    failing = [c for c in audit.checks if c.status == "fail"]
    mine = [c for c in failing if c.code == rule.code]
    assert mine, f"{rule.code}: its failing example gave {sorted({c.code for c in failing})}"
    for c in mine:
        # a rule may soften its own finding (a term assumed zero, an unsure reading), never harden it
        assert SEVERITY_ORDER[c.severity] >= SEVERITY_ORDER[rule.severity]
        assert c.message.startswith(rule.message.vi)
        assert 0 <= c.start <= c.end <= len(rule.examples.fail)


@pytest.mark.parametrize("rule", list(_cases("pass")))
def test_passing_example_trips_nothing(rule):
    assert rule.examples.pass_, f"{rule.code} has no passing example"
    audit = _audit(rule.examples.pass_)
    failing = [(c.code, c.message) for c in audit.checks if c.status == "fail"]
    assert failing == []


@pytest.mark.parametrize("rule", list(_cases("fail")))
def test_failing_example_in_english(rule):
    audit = audit_text("ex.txt", rule.examples.fail, "utf-8", CATALOG, Selection(), "en")
    mine = [c for c in audit.checks if c.code == rule.code and c.status == "fail"]
    assert mine
    assert all(c.message.startswith(rule.message.en) for c in mine)


@pytest.mark.parametrize("rule", list(_cases("fail")))
def test_failing_example_is_silenced_by_ignore(rule):
    audit = audit_text("ex.txt", rule.examples.fail, "utf-8", CATALOG, Selection(ignore=[rule.code]), "vi")
    assert all(c.code != rule.code for c in audit.checks)
