"""Tables in every layout reports use (issue 11), generated.

One small report (a header, a sentence, a caption) holds one table, drawn from:
- the separator: tab-separated (Word and PDF tables arrive so), space-aligned (cells padded to
  their column, two spaces at least between columns, figures left- or right-aligned), Markdown pipes (a converted Word table: its
  first row is the header, every other row goes in the body, the numbered or leaf row too);
- with or without an STT column (without it, the label comes first);
- the total row ("Tổng cộng", "Toàn tỉnh", "Cộng") first or last;
- the rows: units (xã, phường, "Phường 3"), levels (Cấp tỉnh/huyện/xã), fields (Hộ tịch, Chứng
  thực), agencies (Sở Tư pháp);
- the columns: a two-column table (label, figure); received = resolved + pending; online + direct
  = "Tổng số", optionally under a numbered header "(1) (2) (3)=(1)+(2)"; a two-line header with a
  group heading over its leaves ("Số hồ sơ tiếp nhận" over "Tổng số | Trực tuyến | Trực tiếp");
  a "Tỷ lệ" column that is column 2 over column 1, optionally "(3)=(2)/(1)"; a "Tỷ trọng" column,
  each row's share of the total row;
- the number style: Vietnamese ("1.234", "98,5") or English ("1,234", "98.5"), percentages with
  "%" in the cell or "(%)" in the heading.

Properties:
(a) a consistent table gives no failing check;
(b) one changed cell gives a failing check (TB001/TB003/TB004 or AR…) on the changed cell's row,
    or on the total row for a column sum, whose numbers include the changed figure;
(c) a row with one extra cell gives one TB002 on that row and no other failing check (its
    figures take part in no arithmetic).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_text

CATALOG = load_catalog()
SETTINGS = settings(max_examples=int(os.environ.get("TTHC_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROWS = {
    "units": ("Đơn vị", ["Xã An Hòa", "Xã Tân Lập", "Phường 3", "Thị trấn Phú Mỹ", "Xã Bình Minh", "Phường An Lạc"]),
    "levels": ("Cấp", ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]),
    "fields": ("Lĩnh vực", ["Hộ tịch", "Chứng thực", "Đất đai", "Tư pháp", "Xây dựng", "Bảo trợ xã hội"]),
    "agencies": ("Cơ quan", ["Sở Tư pháp", "Sở Xây dựng", "Sở Y tế", "Sở Nội vụ", "Sở Công Thương", "Sở Tài chính"]),
}
TOTAL_LABELS = ["Tổng cộng", "Toàn tỉnh", "Cộng"]
PREAMBLE = ["ỦY BAN NHÂN DÂN HUYỆN AN LẠC", "Số: 45/BC-UBND", "An Lạc, ngày 20 tháng 9 năm 2024", "", "BÁO CÁO",
            "Kết quả giải quyết thủ tục hành chính quý III năm 2024", "",
            "Số liệu tiếp nhận và giải quyết hồ sơ trong kỳ được tổng hợp tại bảng dưới đây.", ""]
SCHEMAS = ["single", "outcomes", "channels", "group", "rate", "share"]
ARITHMETIC = ("TB001", "TB003", "TB004")


# ----------------------------------------------------------------------------- the table


@dataclass
class Cell:
    value: Decimal
    decimals: int = 0  # a percentage's decimals; 0 for a count
    percent: bool = False


@dataclass
class Layout:
    sep: str  # tab | spaces | markdown
    right: bool  # spaces: figures right-aligned in their column (as pdftotext -layout prints them)
    stt: bool
    total_first: bool
    total_label: str
    rows: str
    schema: str
    numbered: bool
    style: str  # vi | en
    pct_in_cell: bool
    decimals: int


@dataclass
class Table:
    layout: Layout
    labels: list[str]
    values: list[list[Cell]]  # data rows
    total: list[Cell]
    extra: tuple[int, int, Cell] | None = None  # (row, position among the figures, cell) for property (c)
    text: str = ""
    line_of_row: dict[int, int] = field(default_factory=dict)  # data row index (or -1: total) -> 0-based line


def _pct(num: int, den: int, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    pct = (Decimal(num) * 100 / Decimal(den)).quantize(q, rounding=ROUND_HALF_UP)
    if pct == 100 and num != den:
        # a careful clerk does not round 2.160/2.161 up to 100%: it would say no dossier is missing
        pct = (Decimal(num) * 100 / Decimal(den)).quantize(q, rounding=ROUND_DOWN)
    return pct


def fmt(cell: Cell, layout: Layout) -> str:
    if cell.percent:
        text = f"{cell.value:,.{cell.decimals}f}"
        text = text + ("%" if layout.pct_in_cell else "")
    else:
        text = f"{int(cell.value):,}"
    if layout.style == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def headers(layout: Layout) -> tuple[list[list[str]], list[str] | None]:
    """The heading lines over the figure columns, and the numbered row if any."""
    pct = "(%)" if not layout.pct_in_cell else ""
    s = layout.schema
    if s == "single":
        lines = [["Số hồ sơ tiếp nhận"]]
    elif s == "outcomes":
        lines = [["Số hồ sơ tiếp nhận", "Số hồ sơ đã giải quyết", "Số hồ sơ đang giải quyết"]]
    elif s == "channels":
        lines = [["Trực tuyến", "Trực tiếp", "Tổng số"]]
    elif s == "group":
        lines = [["Số hồ sơ tiếp nhận", "", "", "Số hồ sơ đã giải quyết"], ["Tổng số", "Trực tuyến", "Trực tiếp", ""]]
    elif s == "rate":
        lines = [["Số hồ sơ tiếp nhận", "Số hồ sơ trực tuyến", f"Tỷ lệ {pct}".strip()]]
    else:
        lines = [["Số hồ sơ tiếp nhận", f"Tỷ trọng {pct}".strip()]]
    numbered = None
    if layout.numbered:
        width = len(lines[0])
        numbered = [f"({k})" for k in range(1, width + 1)]
        if s == "channels":
            numbered[-1] = "(3)=(1)+(2)"
        elif s == "rate":
            numbered[-1] = "(3)=(2)/(1)"
    return lines, numbered


def render(t: Table) -> Table:
    lay = t.layout
    heading = ROWS[lay.rows][0]
    lead = (["STT"] if lay.stt else []) + [heading]
    blank = [""] * len(lead)
    head_lines, numbered = headers(lay)
    grid: list[tuple[str, list[str]]] = []  # (role, cells)
    grid.append(("head", lead + head_lines[0]))
    for extra in head_lines[1:]:
        grid.append(("head2", blank + extra))
    if numbered:
        grid.append(("numbered", blank + numbered))
    body: list[tuple[int, list[str]]] = []
    for i, (label, cells) in enumerate(zip(t.labels, t.values)):
        figures = [fmt(c, lay) for c in cells]
        if t.extra is not None and t.extra[0] == i:
            figures.insert(t.extra[1], fmt(t.extra[2], lay))
        body.append((i, ([str(i + 1)] if lay.stt else []) + [label] + figures))
    total = (-1, ([""] if lay.stt else []) + [lay.total_label] + [fmt(c, lay) for c in t.total])
    body = [total] + body if lay.total_first else body + [total]
    grid += [(f"row{i}", cells) for i, cells in body]

    lines = PREAMBLE + ["Phụ lục. Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính", ""]
    if lay.sep == "tab":
        table_lines = ["\t".join(cells) for _, cells in grid]
    elif lay.sep == "spaces":
        width = max(len(c) for _, c in grid)
        widths = [max(len(cells[j]) for _, cells in grid if j < len(cells)) for j in range(width)]
        def pad(j: int, c: str, role: str) -> str:
            figure = lay.right and role.startswith("row") and j >= len(lead)
            return c.rjust(widths[j]) if figure else c.ljust(widths[j])
        table_lines = ["  ".join(pad(j, c, role) for j, c in enumerate(cells)).rstrip() for role, cells in grid]
    else:
        table_lines = ["| " + " | ".join(cells) + " |" for _, cells in grid]
        table_lines.insert(1, "|" + "---|" * len(grid[0][1]))
    offset = len(lines)
    line_of_row = {}
    k = 0
    for n, line in enumerate(table_lines):
        if line.startswith("|---"):
            continue
        role = grid[k][0]
        if role.startswith("row"):
            line_of_row[int(role[3:])] = offset + n
        k += 1
    lines += table_lines
    t.text = "\n".join(lines) + "\n"
    t.line_of_row = line_of_row
    return t


# ----------------------------------------------------------------------------- strategies


@st.composite
def layouts(draw) -> Layout:
    schema = draw(st.sampled_from(SCHEMAS))
    return Layout(
        sep=draw(st.sampled_from(["tab", "spaces", "markdown"])),
        right=draw(st.booleans()),
        stt=draw(st.booleans()),
        total_first=draw(st.booleans()),
        total_label=draw(st.sampled_from(TOTAL_LABELS)),
        rows=draw(st.sampled_from(sorted(ROWS))),
        schema=schema,
        numbered=draw(st.booleans()) if schema in ("channels", "rate", "outcomes", "single") else False,
        style=draw(st.sampled_from(["vi", "en"])),
        pct_in_cell=draw(st.booleans()),
        decimals=draw(st.sampled_from([1, 2])),
    )


def _counts(row: list[int]) -> list[Cell]:
    return [Cell(Decimal(v)) for v in row]


@st.composite
def tables(draw) -> Table:
    lay = draw(layouts())
    names = ROWS[lay.rows][1]
    n = draw(st.integers(2, min(5, len(names))))
    labels = draw(st.permutations(names))[:n]
    small = st.integers(1, 4000)
    rows: list[list[int]] = []
    for _ in range(n):
        if lay.schema == "single":
            rows.append([draw(small)])
        elif lay.schema == "outcomes":
            resolved, pending = draw(small), draw(st.integers(0, 300))
            rows.append([resolved + pending, resolved, pending])
        elif lay.schema == "channels":
            online, direct = draw(small), draw(small)
            rows.append([online, direct, online + direct])
        elif lay.schema == "group":
            online, direct = draw(small), draw(small)
            rows.append([online + direct, online, direct, draw(st.integers(1, online + direct))])
        elif lay.schema == "rate":
            received = draw(st.integers(1, 4000))
            rows.append([received, draw(st.integers(1, received))])
        else:
            rows.append([draw(st.integers(1, 4000))])
    sums = [sum(col) for col in zip(*rows)]
    values = [_counts(r) for r in rows]
    total = _counts(sums)
    d = lay.decimals
    if lay.schema == "rate":
        for r, cells in zip(rows, values):
            cells.append(Cell(_pct(r[1], r[0], d), d, True))
        total.append(Cell(_pct(sums[1], sums[0], d), d, True))
    elif lay.schema == "share":
        for r, cells in zip(rows, values):
            cells.append(Cell(_pct(r[0], sums[0], d), d, True))
        total.append(Cell(Decimal(100).quantize(Decimal(1).scaleb(-d)), d, True))
    return Table(lay, labels, values, total)


# ----------------------------------------------------------------------------- helpers


def audit(text: str):
    return audit_text("bang.txt", text, "utf-8", CATALOG, Selection(), "vi")


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def show(t: Table, checks) -> str:
    out = [f"layout: {t.layout}", "table:"] + [f"  {n:2} | {line}" for n, line in enumerate(t.text.split("\n"))]
    out.append("failing checks:" if any(c.status == "fail" for c in checks) else "failing checks: (none)")
    for c in checks:
        if c.status == "fail":
            out.append(f"  {c.code} {c.severity} line {line_of(t.text, c.start)} {c.numbers} — {c.message[:150]}")
    return "\n".join(out)


def _same(a, b: Decimal) -> bool:
    return Decimal(str(a)) == b


# ----------------------------------------------------------------------------- properties


@SETTINGS
@given(tables())
def test_consistent_table_gives_no_failure(t):
    render(t)
    a = audit(t.text)
    failing = [c for c in a.checks if c.status == "fail"]
    assert failing == [], show(t, a.checks)


@st.composite
def planted(draw):
    t = draw(tables())
    width = len(t.total)
    row = draw(st.integers(-1, len(t.values) - 1))  # -1: the total row
    col = draw(st.integers(0, width - 1))
    cells = t.total if row == -1 else t.values[row]
    old = cells[col]
    if old.percent:
        unit = Decimal(1).scaleb(-old.decimals)
        k = draw(st.integers(2, 50)) * draw(st.sampled_from([1, -1]))
        new = old.value + k * unit
        if new < 0 or new > 100:
            new = old.value - k * unit
    else:
        k = draw(st.integers(1, 60)) * draw(st.sampled_from([1, -1]))
        new = old.value + k
        if new < 0:
            new = old.value - k
    cells[col] = Cell(new, old.decimals, old.percent)
    return t, row, new


@SETTINGS
@given(planted())
def test_changed_cell_is_found_on_its_row(case):
    t, row, new = case
    render(t)
    a = audit(t.text)
    own_line, total_line = t.line_of_row[row], t.line_of_row[-1]
    found = [c for c in a.checks
             if c.status == "fail" and (c.code in ARITHMETIC or c.code.startswith("AR"))
             and line_of(t.text, c.start) in (own_line, total_line)
             and any(_same(x, new) for x in c.numbers)]
    where = "the total row" if row == -1 else f"data row {row + 1}"
    assert found, f"changed cell on {where} (line {own_line}) to {new}: no failing check there\n" + show(t, a.checks)


@st.composite
def shifted(draw):
    t = draw(tables())
    row = draw(st.integers(0, len(t.values) - 1))
    pos = draw(st.integers(0, len(t.total)))
    t.extra = (row, pos, Cell(Decimal(draw(st.integers(0, 999)))))
    return t, row


# found by the property: 'Sở Tư pháp   0   1' under the one heading 'Số hồ sơ tiếp nhận'
SMALL_SHIFTED = (Table(Layout(sep="spaces", right=False, stt=False, total_first=False, total_label="Tổng cộng",
                              rows="agencies", schema="single", numbered=False, style="vi", pct_in_cell=False, decimals=1),
                       ["Sở Tư pháp", "Sở Xây dựng"], [[Cell(Decimal(1))], [Cell(Decimal(1))]], [Cell(Decimal(2))],
                       extra=(0, 0, Cell(Decimal(0)))), 0)


@pytest.mark.parametrize("sep", ["tab", "markdown", "spaces"])
@SETTINGS
@given(shifted())
@example(SMALL_SHIFTED)
def test_row_with_an_extra_cell_is_reported_once_and_not_added(sep, case):
    t, row = case
    t.layout.sep = sep
    render(t)
    a = audit(t.text)
    failing = [c for c in a.checks if c.status == "fail"]
    tb002 = [c for c in failing if c.code == "TB002"]
    others = [c for c in failing if c.code != "TB002"]
    assert len(tb002) == 1 and line_of(t.text, tb002[0].start) == t.line_of_row[row] and others == [], \
        f"extra cell on data row {row + 1} (line {t.line_of_row[row]})\n" + show(t, a.checks)
