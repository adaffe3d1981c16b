"""Appendix tables: generated consistent tables give no finding; one changed cell gives the right one."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CATALOG = load_catalog()
FIELDS = ["Hộ tịch", "Chứng thực", "Bảo trợ xã hội", "Người có công", "Đất đai", "Tư pháp"]
HEADER = ["Tổng số tiếp nhận", "Trực tuyến", "Trực tiếp/bưu chính", "Từ kỳ trước",
          "Tổng số đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết"]


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@st.composite
def field_rows(draw):
    rows = []
    for name in draw(st.lists(st.sampled_from(FIELDS), min_size=2, max_size=5, unique=True)):
        online, direct, carried = (draw(st.integers(0, 3000)) for _ in range(3))
        received = online + direct + carried
        pending = draw(st.integers(0, received))
        resolved = received - pending
        early = draw(st.integers(0, resolved))
        ontime = draw(st.integers(0, resolved - early))
        late = resolved - early - ontime
        rows.append((name, [received, online, direct, carried, resolved, early, ontime, late, pending]))
    return rows


def render(rows, sep: str, total_override=None) -> tuple[str, list[int]]:
    totals = [sum(r[1][j] for r in rows) for j in range(9)]
    if total_override:
        j, delta = total_override
        totals[j] += delta
    lines = ["BIỂU MẪU KẾT QUẢ GIẢI QUYẾT TTHC", "",
             sep.join(["STT", "Lĩnh vực"] + HEADER),
             sep.join(f"({k})" for k in range(1, 12)),
             sep.join(["", "Tổng cộng"] + [vn(v) for v in totals])]
    for i, (name, vals) in enumerate(rows, 1):
        lines.append(sep.join([str(i), name] + [vn(v) for v in vals]))
    return "\n".join(lines) + "\n", totals


def audit(text):
    return audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi")


@settings(max_examples=40, deadline=None)
@given(field_rows(), st.sampled_from(["\t", "   "]))
def test_consistent_table_has_no_failure(rows, sep):
    text, _ = render(rows, sep)
    a = audit(text)
    assert [(c.code, c.message) for c in a.checks if c.status == "fail"] == []
    assert any(c.code == "TB001" and c.status == "pass" for c in a.checks)


@settings(max_examples=40, deadline=None)
@given(field_rows(), st.sampled_from(["\t", "   "]), st.integers(0, 8), st.integers(1, 50))
def test_changed_total_cell_is_found_in_its_column(rows, sep, column, delta):
    text, totals = render(rows, sep, total_override=(column, delta))
    a = audit(text)
    total_line = 5
    fails = [c for c in a.checks if c.status == "fail" and c.code == "TB001"]
    assert fails, "the total row no longer adds up and must be reported"
    lines = text.split("\n")
    assert any(text.count("\n", 0, c.start) + 1 == total_line and vn(totals[column]) in c.message for c in fails), \
        (lines[total_line - 1], [c.message for c in fails])


def test_shifted_row_is_reported_and_not_compared():
    text = ("STT\tĐơn vị\tSố hồ sơ tiếp nhận\tSố hồ sơ số hóa\tTỷ lệ\n\t\t(1)\t(2)\t(3)=(2)/(1)\n"
            "1\tXã An Phú\t300\t99,00\n")
    a = audit(text)
    codes = {c.code for c in a.checks if c.status == "fail"}
    assert codes == {"TB002"}


def test_text_against_table_names_both_places():
    text = ("- Tổng số hồ sơ tiếp nhận: 100 hồ sơ.\n\n"
            "STT\tLĩnh vực\tTổng số tiếp nhận\tĐang giải quyết\n\tTổng cộng\t110\t8\n1\tHộ tịch\t70\t5\n2\tChứng thực\t40\t3\n")
    a = audit(text)
    xr = [c for c in a.checks if c.code == "XR020" and c.status == "fail"]
    assert len(xr) == 1
    assert text.count("\n", 0, xr[0].start) == 0  # primary: the prose
    assert [text.count("\n", 0, r.start) + 1 for r in xr[0].related] == [4]  # related: the table cell


def test_likely_culprit_is_the_figure_in_every_failing_check():
    text = ("- Tổng số hồ sơ tiếp nhận: 1.245 hồ sơ (kỳ trước chuyển sang: 30; tiếp nhận trong kỳ: 1.225 hồ sơ, "
            "trong đó trực tuyến: 1.010; trực tiếp và qua dịch vụ bưu chính: 205).")
    a = audit(text)
    fails = [c for c in a.checks if c.status == "fail" and c.code in ("AR001", "AR002")]
    assert len(fails) == 2
    assert all(c.culprit.startswith("“1.225”") for c in fails)


def test_markdown_pipe_table_is_a_table():
    text = ("| STT | Lĩnh vực | Tổng số tiếp nhận | Đang giải quyết |\n"
            "|---|---|---:|---:|\n"
            "| | Tổng cộng | 100 | 9 |\n"
            "| 1 | Hộ tịch | 60 | 5 |\n"
            "| 2 | Chứng thực | 40 | 3 |\n")
    a = audit(text)
    tb = [c for c in a.checks if c.code == "TB001"]
    assert [c.status for c in tb] == ["pass", "fail"]
    assert "9" in tb[1].message and text.count("\n", 0, tb[1].start) == 2
