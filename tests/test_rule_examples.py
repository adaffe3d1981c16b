"""Every rule's own examples are tests that can fail: the failing one makes a failing check of that
rule (and its message is the rule's template filled in), the passing one makes a passing check of
that rule and no failing check at all.

A case that fails today because extraction misses something is marked xfail(strict=True) in
KNOWN_GAPS below, naming the gap; fix the extraction, then delete the entry (strict makes an
unexpected pass fail, so the list cannot go stale).
"""
from __future__ import annotations

import pytest

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text
from auditor.findings import SEVERITY_ORDER

CATALOG = load_catalog()

# (code, "fail" | "pass") -> the extraction gap that makes the example misbehave today
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _audit(text: str):
    return audit_text("ex.txt", text, "utf-8", CATALOG, Selection(), "vi")


def _cases(which: str):
    for rule in CATALOG.rules:
        if getattr(rule, "over", None) == "reports":  # two reports in a store: tests/test_store.py
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
        assert c.message.startswith(rule.statement("vi")[:-1])
        assert "{" not in c.message  # every slot filled
        assert 0 <= c.start <= c.end <= len(rule.examples.fail)


@pytest.mark.parametrize("rule", list(_cases("pass")))
def test_passing_example_passes_its_rule_and_trips_nothing(rule):
    assert rule.examples.pass_, f"{rule.code} has no passing example"
    audit = _audit(rule.examples.pass_)
    failing = [(c.code, c.message) for c in audit.checks if c.status == "fail"]
    assert failing == []
    if rule.code == "TB002":
        return  # a table whose rows line up with its header: nothing to report, nothing to pass
    passed = [c for c in audit.checks if c.code == rule.code and c.status == "pass"]
    assert passed, f"{rule.code}: its passing example made no passing check of it ({sorted({c.code for c in audit.checks})})"


@pytest.mark.parametrize("rule", list(_cases("fail")))
def test_failing_example_in_english(rule):
    audit = audit_text("ex.txt", rule.examples.fail, "utf-8", CATALOG, Selection(), "en")
    mine = [c for c in audit.checks if c.code == rule.code and c.status == "fail"]
    assert mine
    assert all(c.message.startswith(rule.statement("en")[:-1]) for c in mine)


@pytest.mark.parametrize("rule", list(_cases("fail")))
def test_failing_example_is_silenced_by_ignore(rule):
    audit = audit_text("ex.txt", rule.examples.fail, "utf-8", CATALOG, Selection(ignore=[rule.code]), "vi")
    assert all(c.code != rule.code for c in audit.checks)
