"""Percentages against their fractions at the edges of rounding: a tie rounds half up ("1/8 … 13%"),
a truncation is also accepted and named, and 100% is only ever right for a whole."""
from __future__ import annotations

import pytest

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CATALOG = load_catalog([])


def _pc001(text: str):
    checks = [c for c in audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi").checks if c.code == "PC001"]
    assert len(checks) == 1, [c.message for c in checks]
    return checks[0]


@pytest.mark.parametrize("stated, status, reading", [
    ("13%", "pass", "làm tròn"),     # 12,5 rounds half up to 13
    ("12%", "pass", "cắt bớt"),      # and truncates to 12
    ("12,5%", "pass", "làm tròn"),   # exact
    ("14%", "fail", None),
    ("11%", "fail", None),
])
def test_a_tie_rounds_half_up_and_a_truncation_is_named(stated, status, reading):
    check = _pc001(f"Số hóa hồ sơ khi tiếp nhận: 1/8 hồ sơ, đạt tỷ lệ {stated}.")
    assert check.status == status, check.message
    if reading:
        assert reading in check.message


def test_one_hundred_percent_is_only_a_whole():
    check = _pc001("Tỷ lệ giải quyết đúng hạn đạt 100% (2.160/2.161 hồ sơ).")
    assert check.status == "fail"
    assert "2.160 < 2.161" in check.message
    assert _pc001("Tỷ lệ giải quyết đúng hạn đạt 100% (2.161/2.161 hồ sơ).").status == "pass"
