"""Core behaviour end to end: rule examples, planted errors, clean reports, exit codes, seeds."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.check.catalog import load_catalog
from auditor.cli import main
from auditor.engine import Selection, audit_text
from auditor.source.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CATALOG = load_catalog()


def _audit(text: str):
    return audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi")


# which rule families may report each kind of planted error
FAMILY_CODES = {
    "sum": ("AR",), "percent": ("PC",), "over100": ("PC004",), "rank": ("CT001",), "count_list": ("CT002",),
    "date": ("DT",), "part_whole": ("CT003", "CT004"), "denominator": ("XR001", "XR002", "XR010", "PC003"),
    "table_sum": ("TB001",), "text_vs_table": ("XR020",),
}
KNOWN_MISSES: dict[tuple[str, int], str] = {}


def _planted():
    data = yaml.safe_load((EXAMPLES / "planted.yaml").read_text(encoding="utf-8"))
    for name, entries in data.items():
        for e in entries or []:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[(name, e["line"])])] if (name, e["line"]) in KNOWN_MISSES else []
            yield pytest.param(name, e, id=f"{name}:{e['line']}:{e['family']}", marks=marks)


@pytest.mark.parametrize("name,entry", list(_planted()))
def test_planted_error_is_found_at_its_line(name, entry):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    audit = _audit(text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def line(offset):
        import bisect
        return bisect.bisect_right(starts, offset)

    codes = FAMILY_CODES[entry["family"]]
    lines = []
    for c in audit.checks:
        if c.status == "fail" and c.code.startswith(codes):
            lines.append(line(c.start))
            lines.extend(line(r.start) for r in c.related)
    assert any(abs(ln - entry["line"]) <= 2 for ln in lines), (entry, sorted(set(lines)))


@pytest.mark.parametrize("name", ["xa-sach.txt", "huyen-sach.txt"])
def test_clean_reports_have_no_finding(name):
    audit = _audit((EXAMPLES / name).read_text(encoding="utf-8"))
    fails = [(c.code, c.message) for c in audit.checks if c.status == "fail"]
    assert fails == []
    assert audit.counts()["pass"] > 20


def test_exit_status_and_json_contract(tmp_path, capsys):
    assert main(["--format", "json", str(EXAMPLES / "xa-loi.txt")]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == 1
    checks = doc["reports"][0]["checks"]
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8").split("\n")
    for c in checks:
        assert c["status"] in ("pass", "fail", "skip") and c["severity"] in ("error", "warning", "info")
        if c["line"] == c["end_line"]:
            assert text[c["line"] - 1][c["column"] - 1:c["end_column"] - 1] == c["quote"]
    assert any(c["status"] == "pass" for c in checks)


@pytest.mark.parametrize("content", [b"", b"   \n", b"\x00\x01\x02binary\x00" * 20])
def test_bad_input_exits_2_without_traceback(tmp_path, capsys, content):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    assert main([str(p)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_file_exits_2(capsys):
    assert main(["/no/such/file.txt"]) == 2


@settings(max_examples=200)
@given(st.text())
def test_fold_preserves_length_and_newlines(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert [i for i, c in enumerate(folded) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.,/%() \n\tabcđễ:;-") + ["hồ sơ ", "trong đó ", "tiếp nhận ", "quá hạn ", "tỷ lệ "]),
                max_size=200).map("".join))
def test_pipeline_never_raises(text):
    _audit(text)


# --- where a "trong đó" list ends ------------------------------------------------------------------

def _breakdown_checks(text: str):
    return [(c.status, c.arithmetic) for c in _audit(text).checks if c.code == "AR010"]


def test_an_inline_breakdown_ends_with_its_clause():
    two = ("Xã An Phú tiếp nhận 134 hồ sơ, trong đó xã Đông 100 hồ sơ, xã Tây 34 hồ sơ; "
           "xã Bình An tiếp nhận 90 hồ sơ, trong đó thôn Bắc 50 hồ sơ, thôn Trại 40 hồ sơ.")
    assert [s for s, _ in _breakdown_checks(two)] == ["pass", "pass"]


def test_a_breakdown_after_a_colon_runs_over_semicolons():
    text = "Toàn xã có 60 cán bộ, trong đó: thôn Đông 25 người; thôn Tây 20 người; thôn Trại 15 người."
    assert _breakdown_checks(text) == [("pass", "25 + 20 + 15 = 60 = 60")]
    wrong = text.replace("15 người.", "16 người.")
    assert [s for s, _ in _breakdown_checks(wrong)] == ["fail"]


def test_the_next_trong_do_starts_a_breakdown_of_its_own():
    text = "Toàn xã có 100 người, trong đó thôn Đông 60 người, thôn Tây 40 người, trong đó nữ 30 người, còn lại 10 người."
    assert [a for _, a in _breakdown_checks(text)] == ["60 + 40 = 100 = 100", "30 + 10 = 40 = 40"]


def test_an_ocr_digit_inside_a_field_name_does_not_merge_two_fields():
    """"Phòng ch6ng" (OCR for "chống"): the digit is part of the name, not a figure ending it."""
    text = ("+ Lĩnh vực Phòng ch6ng tệ nạn xã hội: tiếp nhận 10 hồ sơ, trong đó trực tuyến 8 hồ sơ, trực tiếp 2 hồ sơ.\n\n"
            "+ Lĩnh vực Phòng ch6ng tệ nạn xã hội thôn Bắc: tiếp nhận 20 hồ sơ, trong đó trực tuyến 15 hồ sơ, trực tiếp 5 hồ sơ.\n")
    audit = _audit(text)
    assert not [c for c in audit.checks if c.status == "fail"]
    scopes = {fa.scope.display("vi") for fa in audit.report.facts}
    assert scopes == {"Lĩnh vực Phòng ch6ng tệ nạn xã hội", "Lĩnh vực Phòng ch6ng tệ nạn xã hội thôn Bắc"}
