"""A passed check writes its message when first read (auditor/findings.py), and a report is read with the
cycle collector paused (auditor/engine.py): neither may change what is reported, nor outlive the report."""
from __future__ import annotations

import gc
import pickle
from pathlib import Path

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text
from auditor.findings import Check

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "xa-sach.txt"
CATALOG = load_catalog([])


def _audit():
    return audit_text("x.txt", EXAMPLE.read_text(encoding="utf-8"), "utf-8", CATALOG, Selection(), "vi")


def test_a_passed_check_is_written_once_when_read():
    passed = [c for c in _audit().checks if c.status == "pass"]
    assert passed
    check = passed[0]
    assert getattr(check, "_writer", None) is not None, "a passed check was written before anyone read it"
    message, arithmetic = check.message, check.arithmetic
    assert message and message[0].isupper() and "{" not in message
    assert check._writer is None and check.message is message and check.arithmetic == arithmetic


def test_written_later_or_at_once_the_words_are_the_same():
    lazy = _audit().checks
    eager = _audit().checks
    for c in eager:
        _ = c.message  # written now, before any other field is compared
    assert [(c.code, c.message, c.arithmetic) for c in lazy] == [(c.code, c.message, c.arithmetic) for c in eager]


def test_a_check_sent_to_another_process_carries_its_words():
    audit = _audit()
    sent = pickle.loads(pickle.dumps(audit.checks))
    assert [(c.code, c.status, c.message, c.arithmetic) for c in sent] == \
        [(c.code, c.status, c.message, c.arithmetic) for c in audit.checks]


def test_a_check_made_with_its_message_keeps_it():
    c = Check("AR001", "r", "fail", "error", 0, 1, "Lệch 3.", [1], [], "1 + 2 ≠ 4")
    assert (c.message, c.arithmetic) == ("Lệch 3.", "1 + 2 ≠ 4")
    assert c == Check("AR001", "r", "fail", "error", 0, 1, "Lệch 3.", [1], [], "1 + 2 ≠ 4")


def test_the_collector_runs_again_after_a_report_and_stays_off_if_it_was():
    assert gc.isenabled()
    _audit()
    assert gc.isenabled()
    gc.disable()
    try:
        _audit()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_report_leaves_frozen_is_collected_within_a_batch():
    """Each report's objects are frozen when it is done (no collection walks them again); the cycles among
    them must still be collected, or a batch of thousands would keep every report's."""
    def tracked() -> int:
        return gc.get_freeze_count() + len(gc.get_objects())
    gc.collect()
    gc.disable()
    try:
        _audit()  # with the collector off nothing is frozen: what this report leaves in cycles is found next
        per_report = gc.collect()
    finally:
        gc.enable()
    assert per_report > 0
    _audit()
    early = tracked()
    for _ in range(75):
        _audit()
    grown = tracked() - early
    # at most the cycles of the reports since the last full collection (one every 25) are still there; left
    # alone, 75 reports would leave 75 reports' worth
    assert grown < 40 * per_report, f"{grown} objects more after 75 reports ({per_report} in cycles each)"
