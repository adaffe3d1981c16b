"""A check that fails on most rows of one table says more about how its columns were read than about the
figures: one warning says so, the other rows are not checked; a single row failing among rows that pass stays an error."""
from __future__ import annotations

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CATALOG = load_catalog([])
HEADER = "STT\tĐơn vị\tĐã giải quyết\tTrước hạn\tĐúng hạn\tQuá hạn\n"


def _checks(rows: list[tuple[str, int, int, int, int]]) -> list:
    lines = [f"{i}\t{name}\t{a}\t{b}\t{c}\t{d}" for i, (name, a, b, c, d) in enumerate(rows, 1)]
    text = "Phụ lục: kết quả giải quyết theo đơn vị\n\n" + HEADER + "\n".join(lines) + "\n"
    return [c for c in audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi").checks if c.code == "AR004"]


def _fails(rows: list[tuple[str, int, int, int, int]]) -> list:
    return [c for c in _checks(rows) if c.status == "fail"]


def _skipped(rows: list[tuple[str, int, int, int, int]]) -> list:
    return [c for c in _checks(rows) if c.status == "skip"]


def test_one_row_failing_among_rows_that_add_up_is_an_error():
    fails = _fails([("Xã An Phú", 120, 100, 18, 2), ("Xã Bình Lợi", 95, 80, 15, 0), ("Xã Tân Hòa", 80, 70, 9, 0),
                    ("Xã Long Mỹ", 60, 50, 10, 0)])
    assert [c.severity for c in fails] == ["error"]
    assert "đọc sai" not in fails[0].message


def test_the_same_check_failing_on_most_rows_is_a_warning_with_its_reason():
    # each row's "resolved" is 10 more than its parts: the columns, not four units' figures, are the likelier fault
    fails = _fails([("Xã An Phú", 130, 100, 18, 2), ("Xã Bình Lợi", 105, 80, 15, 0), ("Xã Tân Hòa", 89, 70, 9, 0),
                    ("Xã Long Mỹ", 70, 50, 10, 0)])
    # one warning at the first such row says so; the other rows are reported as not checked, never as passed
    assert [c.severity for c in fails] == ["warning"]
    assert "có thể các cột đã bị đọc sai" in fails[0].message
    skipped = _skipped([("Xã An Phú", 130, 100, 18, 2), ("Xã Bình Lợi", 105, 80, 15, 0), ("Xã Tân Hòa", 89, 70, 9, 0),
                        ("Xã Long Mỹ", 70, 50, 10, 0)])
    assert len(skipped) == 3 and all("đọc sai" in c.message for c in skipped)


def _text_vs_table(rows: list[tuple[str, int, int, int, int]], said: int) -> list:
    lines = [f"{i}\t{name}\t{a}\t{b}\t{c}\t{d}" for i, (name, a, b, c, d) in enumerate(rows, 1)]
    total = [sum(r[k] for r in rows) for k in range(1, 5)]
    text = (f"Toàn huyện đã giải quyết {said} hồ sơ.\n\nPhụ lục: kết quả giải quyết theo đơn vị\n\n" + HEADER
            + "\n".join(lines) + "\n\tTổng cộng\t" + "\t".join(map(str, total)) + "\n")
    return [c for c in audit_text("t.txt", text, "utf-8", CATALOG, Selection(), "vi").checks
            if c.code == "XR020" and c.status == "fail"]


def test_text_against_a_table_whose_columns_seem_misread_is_a_warning():
    # every row's resolved is 10 more than its parts: the table's columns are doubtful, and so is the text's
    # figure set against its total row
    rows = [("Xã An Phú", 130, 100, 18, 2), ("Xã Bình Lợi", 105, 80, 15, 0), ("Xã Tân Hòa", 89, 70, 9, 0),
            ("Xã Long Mỹ", 70, 50, 10, 0)]
    fails = _text_vs_table(rows, 390)
    assert fails and all(c.severity == "warning" and "đọc sai" in c.message for c in fails)


def test_text_against_a_table_that_adds_up_stays_an_error():
    rows = [("Xã An Phú", 120, 100, 18, 2), ("Xã Bình Lợi", 95, 80, 15, 0), ("Xã Tân Hòa", 79, 70, 9, 0),
            ("Xã Long Mỹ", 60, 50, 10, 0)]
    fails = _text_vs_table(rows, 360)
    assert [c.severity for c in fails] == ["error"]


def test_one_total_row_failing_in_most_columns_is_one_warning():
    # a grand total summed from a mix of subtotals and their rows fails in every column of its row while the
    # subtotals pass: one warning on that row says the rows may be misread, the other columns are not checked
    from auditor.check.engine import _failing_on_most_rows
    from auditor.extract import extract
    from auditor.findings import Check
    text = ("Bảng 1\nĐơn vị\tTiếp nhận\tĐã giải quyết\tĐang giải quyết\n"
            "A\t10\t8\t2\nB\t20\t15\t5\nCộng\t60\t46\t14\n")
    report = extract("t.txt", text)
    row_of = lambda n: text.index(n)  # noqa: E731
    passing = [Check("TB001", "table-total-row", "pass", "error", row_of("A\t"), row_of("A\t") + 1) for _ in range(5)]
    failing = [Check("TB001", "table-total-row", "fail", "error", row_of("Cộng") + k, row_of("Cộng") + k + 1,
                     message="Dòng tổng của bảng không bằng tổng các dòng.") for k in (5, 8, 11)]
    checks = passing + failing
    _failing_on_most_rows(checks, report, "vi")
    assert [c.severity for c in failing] == ["warning", "info", "info"]
    assert failing[0].status == "fail" and "đọc sai" in failing[0].message
    assert [c.status for c in failing[1:]] == ["skip", "skip"]
