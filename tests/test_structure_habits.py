"""Habits of structure that once merged figures of different things (false "lỗi") must keep their
checks where the figures are of one thing: a table's sub-totals still add up, and break when a cell
is changed; an agency named as a sentence's subject is its own scope, and still catches its own
figure stated twice; a sentence about another period is apart from the report's own."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CATALOG = load_catalog([])
CONSISTENT = Path(__file__).resolve().parent / "consistent"


def _audit(text: str):
    return audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi")


def _fails(audit, code: str | None = None):
    return [c for c in audit.checks if c.status == "fail" and (code is None or c.code == code)]


def _passes(audit, code: str):
    return [c for c in audit.checks if c.status == "pass" and c.code == code]


@pytest.mark.parametrize("name, cell, wrong, numbers", [
    # roman group rows over arabic rows: the groups make the total, the communes make group II
    ("e-bang-dong-tong-phu-la-ma.txt", "\t310\t", "\t315\t", [660, 315, 350]),
    # "Cộng cấp …" rows sum the rows since the last sum
    ("e-bang-dong-cong-tung-cap.txt", "\t210\t", "\t212\t", [305, 95, 212]),
    # rows numbered 1.1, 1.2 under the row numbered 1
    ("e-bang-muc-con-danh-so-cham.txt", "\t10\t9,25", "\t11\t9,25", [18, 11, 8]),
])
def test_sub_totals_add_up_and_a_changed_cell_breaks_its_own_sum(name, cell, wrong, numbers):
    text = (CONSISTENT / name).read_text(encoding="utf-8")
    assert not _fails(_audit(text)) and _passes(_audit(text), "TB001")
    changed = _audit(text.replace(cell, wrong, 1))
    failed = _fails(changed)
    assert failed and all(c.severity == "error" for c in failed)
    assert any(sorted(c.numbers) == sorted(numbers) for c in failed), [(c.code, c.numbers) for c in failed]


def test_an_average_or_rate_row_is_no_part_of_the_sum():
    text = (CONSISTENT / "e-bang-dong-binh-quan-ty-le.txt").read_text(encoding="utf-8")
    audit = _audit(text)
    sums = _passes(audit, "TB001")
    assert sums and all(141.7 not in c.numbers and 94.72 not in c.numbers for c in sums)
    assert _fails(_audit(text.replace("Tháng 8\t125", "Tháng 8\t126", 1)), "TB001")


def test_an_agency_subject_is_its_own_scope_and_its_repeat_is_still_caught():
    two = "- Sở Tư pháp đã giải quyết 840 hồ sơ.\n\n- Sở Tài nguyên và Môi trường đã giải quyết 312 hồ sơ.\n"
    assert not _fails(_audit(two))
    again = two + "\nSở Tư pháp đã giải quyết 850 hồ sơ.\n"
    repeats = _fails(_audit(again), "XR010")
    assert repeats and sorted(repeats[0].numbers) == [840, 850]


def test_a_lowercase_so_is_no_agency():
    # "Số hồ sơ …" opens many sentences; only "Sở" with a name after it is a department
    audit = _audit("Số hồ sơ đã giải quyết: 500 hồ sơ.\nSố hồ sơ đã giải quyết: 520 hồ sơ.\n")
    assert _fails(audit, "XR010")


@pytest.mark.parametrize("opening", ["Tính từ đầu năm,", "Cùng kỳ năm 2024,", "Quý trước,", "Trong 9 tháng,",
                                     "Riêng trong tháng 6,", "Từ đầu năm đến nay,"])
def test_a_sentence_about_another_period_is_apart(opening):
    text = f"Trong kỳ, xã tiếp nhận mới 610 hồ sơ.\n{opening} xã tiếp nhận mới 1.790 hồ sơ.\n"
    assert not _fails(_audit(text), "XR010")
    # the same sentence without its period is the report's own figure stated twice
    assert _fails(_audit("Trong kỳ, xã tiếp nhận mới 610 hồ sơ.\nXã tiếp nhận mới 1.790 hồ sơ.\n"), "XR010")


def test_the_official_form_reads_its_columns_and_a_changed_cell_is_caught_on_its_row():
    """Biểu số 06a: "Số mới tiếp nhận trực tuyến" is the online column (the words after the head qualify
    it), the numbered row ends the header (the group row "I | Cấp huyện" under it is no heading)."""
    text = (CONSISTENT / "g-bieu-06a-nhom-cap.txt").read_text(encoding="utf-8")
    audit = _audit(text)
    assert not _fails(audit) and len(_passes(audit, "AR003")) >= 3
    row = next(line for line in text.splitlines() if line.startswith("1\tHộ tịch"))
    changed = _audit(text.replace(row, row.replace("\t90\t", "\t91\t", 1), 1))
    failed = _fails(changed)
    assert failed and all(c.severity == "error" for c in failed)
    line = text.splitlines().index(row)
    assert any(text.count("\n", 0, c.start) == line for c in failed), [(c.code, c.numbers) for c in failed]


_FIELD_TEXT_AND_ROW = (
    "Lĩnh vực Hộ tịch 103 hồ sơ. Trong đó tiếp nhận trực tuyến 90 hồ sơ, tiếp nhận trực tiếp 13 hồ sơ. "
    "Đã giải quyết trước hạn {early} hồ sơ, {late} hồ sơ quá hạn.\n\n"
    "Lĩnh vực Chứng thực 340 hồ sơ, đã giải quyết 338 hồ sơ, đang giải quyết 2 hồ sơ.\n\n"
    "Phụ lục. Kết quả giải quyết hồ sơ theo lĩnh vực\n"
    "STT\tLĩnh vực\tTiếp nhận\tĐã giải quyết\tĐang giải quyết\n"
    "1\tHộ tịch\t103\t103\t{pending}\n"
    "2\tChứng thực\t340\t338\t2\n"
    "\tTổng cộng\t443\t441\t{total_pending}\n"
)


def test_a_field_stated_in_text_and_table_adds_up_in_each():
    """The paragraph's own parts are checked against its total although the appendix row states the
    same total too; the row is checked on its own cells."""
    fine = _audit(_FIELD_TEXT_AND_ROW.format(early=80, late=23, pending=0, total_pending=2))
    assert not _fails(fine)
    assert any({103, 80, 23} <= set(c.numbers) for c in _passes(fine, "AR007"))
    over = _fails(_audit(_FIELD_TEXT_AND_ROW.format(early=80, late=25, pending=0, total_pending=2)), "AR007")
    assert over and {103, 80, 25} <= set(over[0].numbers)
    assert "80 + 25 = 105" in over[0].arithmetic


def test_a_table_cell_that_differs_from_the_text_is_one_error_and_the_row_sum_says_which():
    text = ("Lĩnh vực Hộ tịch tiếp nhận 104 hồ sơ, đã giải quyết 103 hồ sơ, đang giải quyết 1 hồ sơ.\n\n"
            "Lĩnh vực Chứng thực tiếp nhận 340 hồ sơ, đã giải quyết 338 hồ sơ, đang giải quyết 2 hồ sơ.\n\n"
            "Phụ lục. Kết quả giải quyết hồ sơ theo lĩnh vực\n"
            "STT\tLĩnh vực\tTiếp nhận\tĐã giải quyết\tĐang giải quyết\n"
            "1\tHộ tịch\t104\t103\t1\n2\tChứng thực\t340\t338\t2\n\tTổng cộng\t444\t441\t3\n")
    assert not _fails(_audit(text))
    changed = _fails(_audit(text.replace("\t103\t1\n", "\t103\t5\n")))
    shown = [(c.code, c.severity, c.numbers) for c in changed]
    assert [c.severity for c in changed if c.code == "XR020"] == ["error"], shown
    row = [c for c in changed if c.code == "AR007" and 5 in c.numbers]
    assert len(row) == 1 and row[0].severity == "warning" and sorted(row[0].numbers) == [5, 103, 104], shown
    assert "Với 1 như phần lời văn thì khớp" in row[0].message


_LEAD_THEN_PROSE = """2. Kết quả giải quyết hồ sơ

a) Cấp tỉnh:
- Đã giải quyết 8.210 hồ sơ (trước hạn 7.400, đúng hạn 806, quá hạn 4).

b) Cấp xã (24 xã, phường):
- Đã giải quyết 31.540 hồ sơ (trước hạn 29.900, đúng hạn 1.410, quá hạn 230).

Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn đạt 99,41% (39.516/39.750 hồ sơ).
{restated}
"""


def test_prose_after_a_lead_and_its_bullets_speaks_for_the_section_again():
    """"b) Cấp xã (…):", its bullets, a blank line, then a paragraph: the paragraph is the whole's, not the
    commune level's; the level's own figure stated twice with two values is still an error."""
    assert not _fails(_audit(_LEAD_THEN_PROSE.format(restated="")))
    repeated = _audit(_LEAD_THEN_PROSE.replace("- Đã giải quyết 31.540 hồ sơ (", "- Đã giải quyết 31.540 hồ sơ; "
                                               "cấp xã đã giải quyết 31.450 hồ sơ (").format(restated=""))
    assert any(c.severity == "error" and {31540, 31450} <= set(map(float, c.numbers)) for c in _fails(repeated, "XR010"))
