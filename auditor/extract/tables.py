"""What a table says, read from its header: which column counts what, which row is the total, which
percentage is a share of which figures; and the facts, sums, shares, ranks and counts it states.

Columns are named by their heading words through the lexicon (keys, units, rates), rows by their
label through the scope classifier, so that a table row and the prose about the same unit share a
scope and their figures are compared.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from ..facts import Breakdown, Fact, Item, ListClaim, Quantity, RankClaim, Scope, Share
from ..source.normalize import fold
from ..parse.document import Node
from ..parse.tables import Cell, Row, Table, read_table
from .context import Ctx, writes_cong
from .scopes import Scopes, _counts, classify, normal_name

_YEAR = re.compile(r"\b(19|20)\d\d\b")
_HEADING_UNIT = re.compile(r"\bso(?: luong)? (?=\S)")


@dataclass
class Column:
    j: int
    heading: str  # folded
    kind: str = "count"  # index | label | group | notes | count | percent | rank | delta | ratio, target (checked by nothing)
    unit: str | None = None
    key: str | None = None
    year: int | None = None
    share: str = ""  # for a percentage: "of_total" | "pair" | "implied" | "rate"
    pair: tuple[int, int] | None = None  # (numerator column, denominator column)


@dataclass
class Layout:
    table: Table
    columns: list[Column]
    label: int | None
    groups: list[int] = field(default_factory=list)
    data: list[Row] = field(default_factory=list)
    total: Row | None = None
    unit: str | None = None  # the caption's "đơn vị tính"
    keyed: bool = False  # rows are named figures ("Tổng tiếp nhận | 9.604"), not units: no column sums
    rows_are_fields: bool = False  # the label column is headed "Lĩnh vực …": each row a field
    rows_are_procedures: bool = False  # headed "Tên thủ tục": each row a procedure, never a unit or an office
    children: dict[int, list[Row]] = field(default_factory=dict)  # id(row) -> its sub-rows ("- Đúng hẹn")
    subtotals: list[Row] = field(default_factory=list)  # "Cộng cấp xã", "II | Cấp xã": a sum of some rows
    named_rows: bool = False  # most rows are named figures ("Tổng số hồ sơ tiếp nhận", "- Trực tuyến")
    rates: bool = False  # "Đơn vị tính: %": every figure is a rate of its own row
    continued: list[Row] = field(default_factory=list)  # its rows after a page break, when the total row opens it
    earlier: list[Row] = field(default_factory=list)  # its rows before a page break, when the total row closes it
    follows: bool = False  # it carries on the table before it, which a page broke off
    page_of: "Layout | None" = None  # ... that table
    headings_off: bool = False  # the header is set off its columns: no heading names a column, none sums a row
    scope: Scope | None = None  # the scope its rows sit under, once read


def read_tables(ctx: Ctx, sc: Scopes) -> None:
    read: list[tuple[Node, Layout]] = []
    for node in ctx.nodes:
        if node.kind != "table":
            continue
        table = read_table(ctx.text, node.lines)
        if table is None:
            continue
        ctx.report.tables.append(table)
        if table.numbers_at is not None:
            ctx.mark(*table.numbers_at, "marker")  # "14=9/8" numbers columns: no fraction, no figure
        layout = _layout(ctx, node, table)
        if layout is None:
            continue
        read.append((node, layout))
    for (_, before), (_, after) in zip(read, read[1:]):
        if _continues(before, after, ctx):
            after.follows = True
            after.page_of = before
            if before.subtotals or before.children or after.subtotals or after.children:
                continue  # groups a page broke: which rows its total adds up is not read across the break
            if before.total is not None and before.total.start < before.data[0].start:
                before.continued = after.data  # "Tổng cộng" opens the table: it sums the next page's rows too
            elif before.total is None and after.total is not None and after.total.start > after.data[-1].start:
                after.earlier = before.earlier + before.data  # "Tổng cộng" closes it: it sums the rows before too
    for node, layout in read:
        _TableReader(ctx, sc, node, layout).run()


def _continues(before: Layout, after: Layout, ctx: Ctx) -> bool:
    """Whether `after` is the rows of `before` that a page broke off: no heading or the same heading
    again, the same columns, numbered on from where `before` stopped."""
    same_heading = _same_heading(before.table, after.table)
    if not after.data or not (_continued(after) or same_heading) or before.table.width != after.table.width \
            or before.label != after.label or not before.data:
        return False
    # the last numbered row of the table as written: a group row read as its total may close `before.data`
    last = next((i for r in reversed(before.table.rows) if (i := _index(r, before.label)).isdigit()), "")
    first = _index(after.data[0], after.label)
    if not last and not first.isdigit():
        # rows unnumbered ("Tháng 7" | "Tháng 8"…): the header printed again, with only a page's furniture between
        return same_heading and _page_gap(ctx, before.table.end, after.table.start)
    return last.isdigit() and first.isdigit() and int(first) == int(last) + 1


_OPENS_A_BLOCK = re.compile(r"\s*(?:[-+*•]|\d{1,2}[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s")


def _page_gap(ctx: Ctx, a: int, b: int) -> bool:
    """Whether the lines between two tables are what a page break leaves (blank lines, a page number, a running
    header), not a heading or prose of their own ("b) Chi nhánh …" and its sentence over a table like the last)."""
    lines = [ln for ln in ctx.text[a:b].split("\n") if ln.strip()]
    return len(lines) <= 2 and not any(_OPENS_A_BLOCK.match(ln) for ln in lines) \
        and not any(q.role == "quantity" for q in ctx.between(a, b))


def _same_heading(a: Table, b: Table) -> bool:
    """The same header printed again on the next page, OCR's damage aside ("Đã giải quyết" / "Đã giai quyết")."""
    ha = [[c.text for c in h.cells] for h in a.headers]
    hb = [[c.text for c in h.cells] for h in b.headers]
    if ha == hb:
        return True
    if not ha or [len(r) for r in ha] != [len(r) for r in hb]:
        return False
    wa, wb = (" ".join(fold(t) for row in h for t in row) for h in (ha, hb))
    return SequenceMatcher(None, wa, wb).ratio() >= _SAME_HEADING


_SAME_HEADING = 0.85  # how alike two OCR'd copies of one header read


def _caption(ctx: Ctx, node: Node) -> str:
    """The words just before a table (its title, its unit) and its own header."""
    lo = max(0, node.start - 200)
    prev = ctx.folded[lo:node.start].rstrip()  # a blank line between the title and the table ends no title
    cut = max(prev.rfind("\n\n"), 0)
    return prev[cut:]


def _title_unit(ctx: Ctx, node: Node) -> str | None:
    """What a table's title says it counts, when it opens with "Số <what>" ("Biểu 1. Số thủ tục hành chính
    cung cấp trực tuyến", "Bảng 2 - Số TTHC theo cấp"): procedures, petitions…, never dossiers. The title is
    the line right above the table, or a numbered title a blank line above it."""
    before = ctx.folded[max(0, node.start - 200):node.start]
    right_above = not before.rstrip(" \t").endswith("\n\n")
    paragraph = before.rstrip().rsplit("\n\n", 1)[-1]
    title = (paragraph.strip().split("\n")[-1] if right_above else paragraph.strip().split("\n")[0]).strip()
    opener = ctx.lex.caption_title.match(title)
    if opener is None and not right_above:
        return None
    m = ctx.lex.subject_count.match(title, opener.end() if opener else 0)
    return m.lastgroup if m is not None else None


def _layout(ctx: Ctx, node: Node, table: Table) -> Layout | None:
    lex = ctx.lex
    caption = _caption(ctx, node)
    um = lex.caption_unit.search(caption)
    unit = None
    in_percent = False
    if um:
        found = lex.any_unit.search(caption, um.end())
        unit = ctx.lex.unit_of_group[found.lastgroup] if found else None
        # "Đơn vị tính: %": every figure a rate
        in_percent = any(caption[m.end():m.end() + 3].lstrip().startswith("%") for m in lex.caption_unit.finditer(caption))
    other_subject = bool(lex.not_dossier_table.search(caption + " " + " ".join(fold(table.heading(j)) for j in range(table.width))))
    if other_subject:
        unit = unit or "other"
    _place_groups(ctx, table)
    columns = [_column(ctx, table, j) for j in range(table.width)]
    _sub_columns(ctx, columns)
    _parts_of_an_unnamed_whole(ctx, columns)
    _earlier_periods(ctx, table, columns)
    _keys_named_twice(ctx, node, table, columns)
    headings_off = _headings_set_off(ctx, table, columns)
    if headings_off:
        for c in columns:
            c.key = None  # which heading stands over which figures is not known: no column is named
    first = next((c for c in columns if c.kind == "count"), None)
    counted = first.unit if first is not None and first.unit == "procedures" else _title_unit(ctx, node)
    if counted is not None and not any(lex.dossier_word.search(c.heading) for c in columns):
        # "Tổng số TTHC | DVC trực tuyến toàn trình | …", "Bảng 1. Số thủ tục hành chính theo cấp": a table of
        # procedures counts procedures throughout (its online services are kinds of procedure), never dossiers
        for c in columns:
            if c.kind in ("count", "delta") and c.unit is None:
                c.unit = counted
    if in_percent:
        for c in columns:
            if c.kind == "count":
                c.kind = "percent"  # each row's own rate: its figures add up across no rows
    if other_subject:
        for c in columns:
            c.key = None  # complaints, staff, budget: not dossier counts
    texts = [j for j, c in enumerate(columns) if c.kind == "text"]
    label = None
    if texts:
        distinct = {j: len({fold(r.cells[j].text) for r in table.rows if r.cells[j].text}) for j in texts}
        label = max(texts, key=lambda j: (distinct[j], -j))
        for j in texts:
            columns[j].kind = "label" if j == label else "group"
    layout = Layout(table, columns, label, [j for j in texts if j != label], unit=unit, rates=in_percent,
                    headings_off=headings_off)
    layout.rows_are_fields = label is not None and bool(lex.field_list.pattern and re.search(
        r"\bl[a-z0-9]{1,2}nh v[a-z]{1,2}c\b", fold(table.heading(label))))
    layout.rows_are_procedures = label is not None and not layout.rows_are_fields \
        and lex.procedure_heading.search(fold(table.heading(label))) is not None
    for c in columns:
        if c.kind in ("count", "delta") and c.unit is None:
            c.unit = unit if unit != "other" else None
    totals: list[Row] = []  # rows that sum others up: "Tổng cộng", "Cộng cấp xã", "Toàn tỉnh", a row numbered "I"
    for r in table.rows:
        if r in table.misaligned:
            continue
        figures = [c for j, c in enumerate(r.cells) if columns[j].kind in ("count", "percent", "rank", "delta") and c.text]
        if not figures:
            continue  # a group row ("Huyện, thành phố") or a note
        written = _row_name(r, label, layout.groups)
        words = fold(written)
        if lex.not_part_row.match(words) and not total_label(lex, written):
            continue  # "Bình quân/tháng", "Tỷ lệ (%)": figures about the rows, no part of their sums
        if r.short:
            table.misaligned.append(r)
            continue
        if label is not None and (total_label(lex, written) or _ROMAN.fullmatch(_index(r, label))):
            totals.append(r)
        layout.data.append(r)
    if totals:
        _grand_total(ctx, layout, totals)
    _percent_bases(ctx, layout)
    _row_tree(ctx, layout)
    return layout


def _name_cell(r: Row, label: int, groups: list[int]) -> Cell:
    """The cell that names a row: its label cell, or, left blank there, its group column's ("| Tổng cộng | (blank) |",
    "I | Cấp tỉnh | (blank) |" under "STT | Cấp | Đơn vị")."""
    cell = r.cells[label]
    return cell if cell.text.strip() else next((r.cells[j] for j in groups if r.cells[j].text.strip()), cell)


def _row_name(r: Row, label: int | None, groups: list[int]) -> str:
    return _name_cell(r, label, groups).text if label is not None else ""


def _grand_total(ctx: Ctx, layout: Layout, totals: list[Row]) -> None:
    """The table's total among the rows that sum others up; the others are subtotals."""
    lex, columns, label = ctx.lex, layout.columns, layout.label
    first = next((j for j, c in enumerate(columns) if c.kind == "count"), None)
    # the largest of them is the table's total; the others sum up a part of the rows
    # (a tie in that column, "II | Cấp huyện | 17.281" over "Cộng | 17.281" when the first level had "-" there,
    # goes to the row that says it is a total, then to the later row)
    worded = {id(r) for r in totals if label is not None and total_label(lex, _row_name(r, label, layout.groups))}
    grand = max(totals, key=lambda r: (_size(ctx, r, first), id(r) in worded, totals.index(r))) \
        if first is not None else totals[0]
    layout.total = grand
    at = next(i for i, r in enumerate(layout.data) if r is grand)
    # a total under its rows ends them: "Quý I/2026", "Lũy kế 6 tháng" after "Cộng quý II" are other
    # periods beside the table's sum, no parts of it
    layout.data = layout.data[:at] if at > 0 else layout.data[1:]
    kept = {id(r) for r in layout.data}
    layout.subtotals = [r for r in totals if r is not grand and id(r) in kept]


def _holds_shifted(lay: Layout, starts: list[int], r: Row, kids: list[Row]) -> bool:
    """Whether a shifted row stands among a group's rows (`starts`: where the table's rows start, in
    order): it is in no sum, so the rest would fall short."""
    i = bisect_right(starts, kids[-1].start)
    after = starts[i] if i < len(starts) else lay.table.end
    return any(r.start < m.start < after for m in lay.table.misaligned)


def _summed_before(lay: Layout, lex, c: Column) -> list[int] | None:
    """The count columns right before a "Cộng" column, in its unit; None when a total column stands among
    them ("Tổng số hồ sơ | Kỳ trước | Trực tuyến | Trực tiếp | Tổng số | Đúng hạn | …": the columns before
    have their total already, and this one heads the columns after it, under a group heading lost)."""
    parts: list[int] = []
    for k in reversed(lay.columns[:c.j]):
        if k.kind != "count" or (k.unit and c.unit and k.unit != c.unit) or (k.unit and not c.unit and lay.unit and k.unit != lay.unit):
            break
        if k.unit and not c.unit and len(parts) >= 2 and all(lay.columns[j].unit != k.unit for j in parts):
            break  # "Số quyết định công bố | Mới ban hành | Sửa đổi | Bãi bỏ | Cộng": decisions, then procedures
        if lex.total_row.match(k.heading):
            return None
        parts.insert(0, k.j)
    return parts


def _continued(lay: Layout) -> bool:
    """The rows of a table a page broke, after its break: no heading, and the first row numbered past 1
    ("5 | Lao động - TBXH | …" after the page's number and header). Its total row sums rows it does not hold."""
    if lay.table.headers or not lay.data:
        return False
    first = _index(lay.data[0], lay.label)
    return first.isdigit() and int(first) > 1


def _starts_midway(lay: Layout) -> bool:
    """A table whose numbered rows start past 1 ("2 | Bảo trợ xã hội | …" when a wrapped name broke the
    rows above it off): its total row sums rows it does not hold."""
    first = next((_index(r, lay.label) for r in lay.earlier + lay.data if _index(r, lay.label).isdigit()), "")
    return first.isdigit() and int(first) > 1


def _counted_with(reader, r: Row, numerator: Column) -> tuple[Quantity, ...]:
    """The row's figures of the columns a rate of the numerator's column may count with it."""
    keys = reader.ctx.lex.rate_includes.get(numerator.key or "", ())
    out = []
    for c in reader.layout.columns:
        got = reader.count(r, c.j) if c.kind == "count" and c.key in keys else None
        if got is not None and len(got) == 1:
            out.append(got[0])
    return tuple(out) if len(out) == len(keys) else ()


_SPACED_DOT = re.compile(r"\s*\.\s*")  # OCR's "3. 1", "3 .4" for the sub-row numbers "3.1", "3.4"


def _index(r: Row, label: int | None) -> str:
    return _SPACED_DOT.sub(".", r.cells[0].text).strip(". ") if r.cells and label != 0 else ""


def _size(ctx: Ctx, r: Row, j: int) -> float:
    """The figure the figure reader found in the row's cell j (-1 with none)."""
    cell = r.cells[j] if j < len(r.cells) else None
    qs = ctx.between(cell.start, cell.end) if cell is not None else []
    return float(qs[0].value) if qs else -1.0


_ROMAN = re.compile(r"[IVX]{1,4}")
_NO_NAME = re.compile(r"[\d.,\s]*")  # a label cell that names nothing: empty, or a figure shifted into it


def total_label(lex, written: str) -> re.Match | None:
    """The words of a total row ("Tổng cộng", "Cộng", "Toàn tỉnh") opening a row's label, read on the
    folded text; a "công" written with its marks is another word."""
    m = lex.total_row.match(fold(written))
    if m is None:
        return None
    after = re.match(r"\s*\S*", written[m.end():])  # "Tổng" matched, "công ty" after it
    return None if writes_cong(written[:m.end() + after.end()]) else m
_DOTTED = re.compile(r"(\d{1,2})\.\d{1,2}")


def _sub_rows_of(layout: Layout, lex) -> None:
    """Which rows break down which: "- Đúng hẹn" or "Trong đó: trực tuyến" under the row above it; rows numbered 1.1, 1.2 under
    the row numbered 1; rows numbered 1, 2 under a row numbered II; the rows since the last sum under
    "Cộng cấp huyện". Each row has one parent at most."""
    owner: dict[int, Row] = {}

    def adopt(parent: Row, kid: Row) -> None:
        if id(kid) not in owner and kid is not parent:
            owner[id(kid)] = parent
            layout.children.setdefault(id(parent), []).append(kid)

    parent = numbered = group = None
    since: list[Row] = []
    marks: list[tuple[str, Row]] = []  # the sub-rows open under `parent`, by their mark: "-" then "+" under it
    subtotals = {id(r) for r in layout.subtotals}
    for r in layout.data:
        cell, index = r.cells[layout.label], _index(r, layout.label)
        dotted = _DOTTED.fullmatch(index)
        sub = _SUB_ROW.match(cell.text) or lex.breakdown.match(fold(cell.text).lstrip())
        if sub and parent is not None:
            mark = _mark_kind(sub.group(0))
            if any(m == mark for m, _ in marks):
                while marks[-1][0] != mark:
                    marks.pop()
                marks.pop()  # a sibling of the last row with this mark
            adopt(marks[-1][1] if marks else parent, r)
            marks.append((mark, r))
        elif dotted and numbered is not None and _index(numbered, layout.label) == dotted.group(1):
            adopt(numbered, r)
        elif id(r) in subtotals and not _ROMAN.fullmatch(index):
            for kid in since:
                adopt(r, kid)  # "Cộng cấp huyện" sums the rows since the last sum
            since, parent = [], r
            continue
        else:
            parent, marks = r, []
            if index.isdigit():
                numbered = r
                if group is not None:
                    adopt(group, r)
            elif _ROMAN.fullmatch(index):
                group, since = r, []
                continue
        if id(r) not in subtotals:
            since.append(r)
_SUB_ROW = re.compile(r"\s*(?:[-–+*·•]|[a-zđ]\)|\d{1,2}\.\d)")


def _mark_kind(mark: str) -> str:
    """"-" and "–" are one kind of sub-row mark, "a)" and "b)" one, "1.1" and "1.2" one."""
    mark = mark.strip()
    if mark in "-–":
        return "-"
    if mark.endswith(")"):
        return "a)"
    return "1.1" if mark[:1].isdigit() else mark


def _row_tree(ctx: Ctx, layout: Layout) -> None:
    """Rows marked as sub-items ("- Đúng hẹn" under "Đã giải quyết") break down the row above them;
    and a table whose rows are named figures (most labels are lexicon labels) is read as figures."""
    if layout.label is None:
        return
    named = sum(1 for r in layout.data + ([layout.total] if layout.total else [])
                if ctx.lex.label_regex.search(ctx.folded, r.cells[layout.label].start, r.cells[layout.label].end))
    counts = [c for c in layout.columns if c.kind == "count"]
    rows = len(layout.data) + (1 if layout.total else 0)
    layout.named_rows = named * 5 >= 3 * rows and not layout.rows_are_fields
    total_written = layout.total.cells[layout.label].text if layout.total is not None else ""
    total_words = fold(total_written)
    tm = total_label(ctx.lex, total_written)
    names_figure = bool(tm and ctx.lex.label_regex.search(total_words, tm.end()))
    if layout.named_rows and layout.total is not None and len(counts) > 1 and names_figure:
        # "Tổng số hồ sơ tiếp nhận | 3.536 | 4.130" over "- Trực tuyến | …": a named figure with its
        # sub-rows, not the sum of the rows below it
        layout.data.insert(next((i for i, r in enumerate(layout.data) if r.start > layout.total.start), len(layout.data)),
                           layout.total)
        layout.total, layout.subtotals = None, []
    _sub_rows_of(layout, ctx.lex)
    _subtotals_by_sum(ctx, layout)
    # "Kênh tiếp nhận | Số hồ sơ | Tỷ lệ": one column of figures, and maybe their shares beside it
    layout.keyed = named * 5 >= 3 * (len(layout.data) + (1 if layout.total else 0)) and len(counts) == 1 \
        and not counts[0].key


def _subtotals_by_sum(ctx: Ctx, layout: Layout) -> None:
    """A group row set apart only by bold type or an indent ("Khối sở, ngành" over its departments, with
    no mark or number of its own): a row equal to the sum of the rows right after it, in every count
    column, is their sub-total, when reading it so makes the rows add up to the total row and reading
    them flat does not. Arithmetic is the only evidence here, so it must explain the whole table."""
    if layout.total is None or layout.label is None:
        return
    cols = [c.j for c in layout.columns if c.kind == "count"]
    kids = {id(k) for ks in layout.children.values() for k in ks}
    top = [r for r in layout.data if id(r) not in kids]
    if not cols or len(top) < 3:
        return

    def value(r: Row, j: int) -> Decimal | None:
        cell = r.cells[j] if j < len(r.cells) else None
        qs = [q for q in ctx.between(cell.start, cell.end) if not q.percent] if cell is not None and cell.text else []
        return qs[0].value if len(qs) == 1 and qs[0].role not in ("numerator", "date", "docref", "year") else None

    grid = [[value(r, j) for j in cols] for r in top]
    total = [value(layout.total, j) for j in cols]

    def adds_up(rows: list[int], whole: list[Decimal | None]) -> bool:
        compared = False
        for ci, w in enumerate(whole):
            got = [grid[i][ci] for i in rows]
            if w is None or any(g is None for g in got):
                continue
            if sum(got) != w:
                return False
            compared = True
        return compared

    if adds_up(list(range(len(top))), total):
        return
    groups: dict[int, int] = {}
    checked: list[int] = []  # how many columns each sub-total was found equal to its rows in
    i = 0
    while i < len(top) - 2:
        k, columns = _sum_run(grid, i)
        if k:
            groups[i] = k
            checked.append(columns)
        i += 1 + k
    members = {m for g, k in groups.items() for m in range(g + 1, g + 1 + k)}
    # a sub-total equal to its rows in two columns or more is one whatever the total row says (a wrong
    # total is then checked against the right parts); one equal in a single column may be chance
    if not groups or not (min(checked) >= 2 or adds_up([i for i in range(len(top)) if i not in members], total)):
        return
    for g, k in groups.items():
        layout.children.setdefault(id(top[g]), []).extend(top[g + 1:g + 1 + k])


_GROUP_MAX = 80  # a sub-total sums at most this many rows (a province's communes by district)


def _sum_run(grid: list[list[Decimal | None]], i: int) -> tuple[int, int]:
    """How many rows (two or more) right after row i add up to it in every column both state, and in
    how many columns; (0, 0) when none do. The running sums stop once they pass the row's figures:
    counts are never negative."""
    head = grid[i]
    sums: list[Decimal | None] = [Decimal(0)] * len(head)
    for k, row in enumerate(grid[i + 1:i + 1 + _GROUP_MAX], start=1):
        if any(v is not None and v < 0 for v in row):
            return 0, 0
        sums = [s + v if s is not None and v is not None else None for s, v in zip(sums, row)]
        pairs = [(s, h) for s, h in zip(sums, head) if s is not None and h is not None]
        if not pairs or any(s > h for s, h in pairs):
            return 0, 0
        if k >= 2 and all(s == h for s, h in pairs) and any(h for _, h in pairs):
            return k, len(pairs)
    return 0, 0


def _column(ctx: Ctx, table: Table, j: int) -> Column:
    lex = ctx.lex
    heading = _written_out(lex, fold(table.heading(j)))
    col = Column(j, heading)
    cells = [r.cells[j] for r in table.rows if r.cells[j].text]
    figures = [c for c in cells if c.is_figure]
    ym = _YEAR.search(heading)
    col.year = int(ym.group(0)) if ym else None
    if j == 0 and (lex.index_heading.search(heading) or _consecutive([c.text for c in cells])) and not lex.rank_heading.search(heading):
        col.kind = "index"
    elif lex.notes_heading.search(heading):
        col.kind = "notes"
    elif lex.period_heading.search(heading):
        col.kind = "text"
    elif lex.average_heading.search(heading) and not lex.percent_heading.search(heading):
        col.kind = "ratio"  # "Bình quân người/xã", "Hồ sơ/1.000 dân": the total row's is the whole's own, no sum
    elif len(figures) < max(1, len(cells) // 2):
        col.kind = "text"
    elif lex.rank_heading.search(heading) or any("/" in c.text for c in figures) and lex.rank_heading.search(heading):
        col.kind = "rank"
    elif lex.delta_heading.search(heading):
        # "Tỷ lệ tăng/giảm (%)" is a rate of change, not the change itself
        col.kind = "ratio" if lex.percent_heading.search(heading) else "delta"
    elif lex.percent_heading.search(heading) or sum(c.text.endswith("%") for c in figures) * 2 >= len(figures) > 0:
        # "So với năm 2023 (%)" compares two periods: no share of anything, it may pass 100
        col.kind = "ratio" if lex.ratio_heading.search(heading) else "percent"
        if col.kind == "percent" and lex.plan_heading.search(heading):
            col.kind = "target"  # "Chỉ tiêu (%)" beside "Tỷ lệ (%)": the rate to reach, no rate of the row's figures
    um = _HEADING_UNIT.search(heading)
    um = lex.any_unit.match(heading, um.end() - 1) if um else None
    if um and col.kind in ("count", "delta"):  # "Số hồ sơ …", "Số lượng TTHC …", "Số phiếu …"
        col.unit = lex.unit_of_group[um.lastgroup]
    if lex.points_heading.search(heading) and col.kind in ("count", "delta"):  # "Điểm", "Tổng điểm"
        col.unit = "points"
    if col.kind in ("count", "delta") and lex.other_count_heading.match(heading):
        col.unit = "items"  # "Hộ đã nộp trực tuyến": households, whatever the words about dossiers after
    if col.kind in ("count", "percent") and col.unit != "items":
        col.key = _column_key(ctx, _written_out(lex, _group_words(ctx, table, j)), _written_out(lex, fold(table.leaf(j))))
    return col


def _written_out(lex, words: str) -> str:
    """A heading's abbreviations written out ("dang gq trong han" -> "dang giai quyet trong han")."""
    if not lex.heading_abbreviations:
        return words
    return lex.heading_abbreviation.sub(lambda m: lex.heading_abbreviations[m.group(0)], words)


def _headings_set_off(ctx: Ctx, table: Table, columns: list[Column]) -> bool:
    """A header OCR or a converter broke ("STT  Đơn vị⏎   Đã giải quyết  Trước hạn  Đúng hạn  Quá hạn …" set off the
    columns): a column of names under a heading that names figures ("Trước hạn" over "Chi nhánh Hòa Vang"), or two
    headings run together in one cell ("Dung hạn Quá han") while columns of figures stand with none over them.
    Set under the wrong columns, the headings would name the wrong figures."""
    for c in columns:
        leaf = fold(table.leaf(c.j)).strip()
        if c.kind == "text" and leaf and ctx.lex.label_regex.fullmatch(leaf):
            return True
    bare = [c for c in columns if c.kind in ("count", "percent") and not table.heading(c.j).strip()]
    if len(bare) < 2:
        return False
    for c in columns:
        found = sorted((s, e, lab.key) for s, e, lab in ctx.lex.candidates(fold(table.leaf(c.j))))
        apart = [found[0]] if found else []
        for s, e, key in found[1:]:
            if s >= apart[-1][1] and key != apart[-1][2]:
                apart.append((s, e, key))
        if len({k for _, _, k in apart}) >= 2 and not ctx.lex.label_regex.fullmatch(fold(table.leaf(c.j)).strip()):
            return True
    return False


def _earlier_periods(ctx: Ctx, table: Table, columns: list[Column]) -> None:
    """"| 9 tháng năm 2025 ||| 9 tháng năm 2024 |||" over the same leaves, "Quý này | Cùng kỳ": the columns of
    the earlier period state that period's figures, not the report's, and are named by no key."""
    years = {c.year for c in columns if c.kind in ("count", "percent") and c.year}
    latest = max(years) if len(years) > 1 else None
    for c in columns:
        if c.kind not in ("count", "percent"):
            continue
        # (a group heading: "Cùng kỳ" over its own "Tiếp nhận | Đã giải quyết"; a leaf "Từ kỳ trước" is carried over)
        if latest and c.year and c.year < latest or ctx.lex.other_time.search(fold(table.group(c.j))):
            c.key = None


def _keys_named_twice(ctx: Ctx, node: Node, table: Table, columns: list[Column]) -> None:
    """"THÁNG 4/2025 … LŨY KẾ 4 THÁNG" over "Tiếp nhận | Giải quyết | … | Tiếp nhận | Giải quyết", on the line above
    or in a group heading set off its columns: two periods over columns read as one figure; which of the two the
    text's figure is, is not known, so neither names it."""
    seen = Counter(c.key for c in columns if c.key and c.kind in ("count", "percent"))
    if not any(n > 1 for n in seen.values()):
        return
    period = ctx.lex.scope_rx("period")
    own = {c.j: frozenset(m.group(0) for m in period.finditer(fold(table.heading(c.j)))) for c in columns}
    if any(len({own[c.j] for c in columns if c.key == key}) > 1 for key, n in seen.items() if n > 1):
        # "TN mới T12 | Đã GQ T12 | TN mới cả năm | Trực tuyến cả năm", "Đã GQ tháng 8 | … | Đã GQ lũy kế": the same
        # figure over two periods, told apart in the headings themselves; which is the text's is not known, and a
        # column of the one period is no part of a column of the other
        for c in columns:
            if c.key and (seen[c.key] > 1 or own[c.j]):
                c.key = None
        return
    above_end = ctx.folded.rfind("\n", 0, node.start)
    above = ctx.folded[ctx.folded.rfind("\n", 0, max(0, above_end)) + 1:max(0, above_end)]
    groups = {fold(table.group(c.j)) for c in columns} | {above}
    if len({m.group(0) for g in groups for m in ctx.lex.scope_rx("period").finditer(g)}) < 2:
        return
    for c in columns:
        if c.key and seen[c.key] > 1:
            c.key = None


def _group_words(ctx: Ctx, table: Table, j: int) -> str:
    """The group heading over column j, narrowed by the leaf that opens its part of the group: under
    "Kết quả giải quyết", "Tổng số đã giải quyết | Trả trước hạn | … | Tổng số đang giải quyết | Chưa đến
    hạn | Quá hạn" puts the last "Quá hạn" among the pending dossiers. With one row of headings, a
    short heading breaks down the column before it that names a whole ("Số hồ sơ đang giải quyết |
    Chưa đến hạn | Quá hạn")."""
    group = fold(table.group(j))
    own = fold(table.leaf(j)).strip()
    if _whole_words(ctx, own) is not None:
        return group  # the opening leaf names itself
    flat = not group.strip()
    if not own:
        return group  # a column with no heading of its own (a header set off its columns) is no part of the one before
    bare_total = ctx.lex.total_row.match(own)
    if bare_total is not None and len(own[bare_total.end():].strip(" :")) < 3:
        return group  # "Số hồ sơ tiếp nhận: … | Mới tiếp nhận | Tổng số": the group's own total
    if flat and (len(own.split()) > 3 or ctx.lex.dossier_word.search(own) or ctx.lex.total_row.match(own)):
        return group  # "… | Mới tiếp nhận | Tổng số |": a total of its own, no part of the column before
    wholes = set(ctx.lex.parents.values())
    for k in range(j - 1, max(-1, j - 1 - _GROUP_SPAN), -1):  # bounded: a table of 40.000 columns stays linear
        if fold(table.group(k)) != group:
            break
        leaf = _written_out(ctx.lex, fold(table.leaf(k))).strip()  # "Đang GQ"
        words = _whole_words(ctx, leaf, total_first=not flat)
        if words is not None:
            return words
        if any(a == 0 and b >= len(leaf) - 1 and c.key in wholes for a, b, c in ctx.lex.candidates(leaf)):
            # "Đang giải quyết | Trong hạn | Quá hạn": the heading names a whole of its own, in one row of headings
            # or under a merged "Kết quả giải quyết" over both the resolved and the pending
            return leaf
    return group


_GROUP_SPAN = 16  # a part of a merged heading spans at most this many columns


def _whole_words(ctx: Ctx, leaf: str, total_first: bool = True) -> str | None:
    """What a heading says its column is the whole of: "Tổng số đang giải quyết", "Số hồ sơ đang giải
    quyết: Tổng số" -> "đang giải quyết" (folded)."""
    m = ctx.lex.total_row.match(leaf) if total_first else None
    if m and len(leaf[m.end():].strip(" :")) >= 3:
        return leaf[m.end():].strip(" :")
    m = ctx.lex.whole_heading.match(leaf)
    d = ctx.lex.dossier_word.match(leaf, m.end()) if m else None
    words = leaf[d.end():].split(":")[0].strip() if d else ""
    return words if len(words) >= 3 else None


def _rate_like(qs: tuple[Quantity, ...]) -> bool:
    """Figures written with decimals, none above 100: rates more likely than counts."""
    return len(qs) >= 2 and all(q.value <= 100 for q in qs) and sum(q.decimals > 0 for q in qs) * 2 >= len(qs)


def _sub_columns(ctx: Ctx, columns: list[Column]) -> None:
    """"Đang giải quyết | Trong đó quá hạn": a column headed "trong đó …" holds a part of the column
    before it, so its words take the key that is part of that one (overdue pending dossiers, not
    dossiers resolved late); with no such key it names nothing sure."""
    for j, c in enumerate(columns):
        if c.kind != "count" or not ctx.lex.breakdown.match(c.heading.lstrip()):
            continue
        prev = next((p for p in reversed(columns[:j]) if p.kind == "count" and p.key), None)
        if prev is None:
            continue
        keys = [k for _, _, lab in ctx.lex.candidates(c.heading) for k in (lab.key, *lab.alternatives)]
        c.key = next((k for k in keys if ctx.lex.parents.get(k) == prev.key), None)


def _parts_of_an_unnamed_whole(ctx: Ctx, columns: list[Column]) -> None:
    """"Hồ sơ cư trú | Trực tuyến | Tỷ lệ trực tuyến (%)": columns that name a part ("Trực tuyến") right after a
    column of dossiers of some kind the lexicon does not name are parts of that kind, not of all the dossiers:
    they name nothing sure (a column of "Tổng số hồ sơ" or "Số hồ sơ" names all of them)."""
    whole = None
    for c in columns:
        if c.kind == "count" and c.key is None and ctx.lex.dossier_word.search(c.heading) \
                and ctx.lex.all_dossier_words.sub(" ", c.heading).strip() and not ctx.lex.label_regex.search(c.heading):
            whole = c
        elif whole is not None and c.kind in ("count", "percent") and c.key is not None \
                and ctx.lex.parents.get(c.key.rstrip("%")) is not None:
            c.key = None
        elif c.kind in ("count", "percent"):
            whole = None


def _column_key(ctx: Ctx, group: str, leaf: str) -> str | None:
    """A column's fact key from its headings: "Tổng số" under "Số hồ sơ tiếp nhận" is the group's own
    figure; "Trực tuyến" under it is the part of it the leaf names."""
    lex = ctx.lex

    def best(words: str, keys=None):
        cands = [c for c in lex.candidates(words) if keys is None or c[2].key in keys
                 or keys & set(lex.ancestors(c[2].key))]
        if not cands:
            return None
        found = max(cands, key=lambda c: (c[1] - c[0], -c[0]))
        # words after a head that name a part of it qualify it: "Số mới tiếp nhận trực tuyến" is the online
        # ones, "Số mới tiếp nhận (trực tiếp hoặc dịch vụ bưu chính)" the direct ones (the first part named)
        while True:
            parts = [c for c in cands if c[0] >= found[1] and found[2].key in lex.ancestors(c[2].key)]
            if not parts:
                return found[2]
            found = min(parts, key=lambda c: (c[0], -(c[1] - c[0])))

    whole = best(group) if group else None
    if whole is not None and (not leaf or lex.total_row.match(leaf) or leaf == group):
        return whole.key
    part = best(leaf, {whole.key} if whole is not None else None) if whole is not None else None
    if whole is not None and part is None:
        # "Quá hạn" under "đang giải quyết" is a part of the pending only as "đang giải quyết quá hạn"
        joined = best(f"{group} {leaf}", {whole.key})
        part = joined if joined is not None and joined.key != whole.key else None
    part = part or best(leaf)
    return part.key if part is not None else (whole.key if whole is not None and not leaf else None)


def _place_groups(ctx: Ctx, table: Table) -> None:
    """Group headings whose cells are shifted against their leaves (a converted table drops a tab):
    each group's leaves usually open with "Tổng số", and when there are as many of those as groups,
    they place the groups."""
    if len(table.headers) < 2:
        return
    leaf, group = table.headers[-1], table.headers[-2]
    opens = [j for j, c in enumerate(leaf.cells) if c.text and ctx.lex.total_row.fullmatch(fold(c.text).strip())]
    if len(opens) < 2:
        return
    groups: list[Cell] = []
    for c in group.cells[opens[0]:]:
        if c.text and (not groups or groups[-1].text != c.text):
            groups.append(c)
    if len(groups) != len(opens):
        return
    for k, j0 in enumerate(opens):
        for j in range(j0, opens[k + 1] if k + 1 < len(opens) else len(group.cells)):
            if j < len(leaf.cells) and leaf.cells[j].text:  # a column headed from the rows above ("Tỷ lệ (%)") is no leaf of it
                group.cells[j] = groups[k]


def _consecutive(texts: list[str]) -> bool:
    ints = [int(t.rstrip(".")) for t in texts if t.rstrip(".").isdigit()]
    return len(ints) >= 2 and ints == list(range(ints[0], ints[0] + len(ints))) and len(ints) >= len(texts) - 1


def _percent_bases(ctx: Ctx, layout: Layout) -> None:
    """What each percentage column is a share of: the pair a numbered header states ("(3)=(2)/(1)"),
    the column total ("Tỷ trọng", "Tỷ lệ trên tổng số"), a pair its heading names ("Tỷ lệ trả kết
    quả/tiếp nhận", "Tử số | Mẫu số | Tỷ lệ"), the columns of its key and its key's base ("Tỷ lệ trực
    tuyến" beside "Trực tuyến" and "Tiếp nhận"), the two count columns before it, or nothing (a rate
    read elsewhere: "Đúng hạn 99,8%")."""
    cols = layout.columns
    counts = [c for c in cols if c.kind == "count"]
    where = {n: j for j, (n, _) in layout.table.column_numbers.items()}
    for c in cols:
        if c.kind != "percent":
            continue
        left = [k for k in counts if k.j < c.j]
        formula = layout.table.column_numbers.get(c.j, (0, None))[1] or ""
        fm = re.fullmatch(r"\(?(\d+)\)?\s*/\s*\(?(\d+)\)?(?:\s*[*x×]\s*100\s*%?)?", formula.strip())  # "(6)=(4)/(3)*100"
        by_key = _key_pair(ctx, c, counts)
        if fm and int(fm.group(1)) in where and int(fm.group(2)) in where:
            c.share, c.pair = "pair", (where[int(fm.group(1))], where[int(fm.group(2))])
        elif re.search(r"ty trong|tren tong so|co cau", c.heading) and left:
            # "Tỷ trọng số doanh nghiệp (%)" two columns after "Số doanh nghiệp": the column its words name
            of = _best_column(left, re.split(r"ty trong|tren tong so|co cau", c.heading, maxsplit=1)[-1])
            j = of if of is not None else left[-1].j
            c.share, c.pair = "of_total", (j, j)
        elif "/" in c.heading:
            a, _, b = c.heading.partition("/")
            num = _best_column(counts, a)
            den = _best_column(counts, b)
            if num is not None and den is not None and num != den:
                c.share, c.pair = "pair", (num, den)
        elif any(re.search(r"\btu so\b", k.heading) for k in left) and any(re.search(r"\bmau so\b", k.heading) for k in left):
            num = next(k.j for k in left if re.search(r"\btu so\b", k.heading))
            den = next(k.j for k in left if re.search(r"\bmau so\b", k.heading))
            c.share, c.pair = "pair", (num, den)
        elif by_key is not None:
            c.share, c.pair = "implied", by_key
        elif len(left) == 2 and not c.key and left[0].year == left[1].year:
            # (counts of two years are no part and whole: "Tiếp nhận năm 2023 | … năm 2024 | Tỷ lệ trực tuyến (%)")
            c.share, c.pair = "implied", (left[1].j, left[0].j)
        else:
            c.share = "rate"


def _key_pair(ctx: Ctx, c: Column, counts: list[Column]) -> tuple[int, int] | None:
    """The count columns of a rate column's key and of that key's base (or the whole above it)."""
    if not c.key:
        return None
    num = next((k.j for k in counts if k.key == c.key), None)
    base = ctx.lex.base_of(c.key)
    wholes = [base, ctx.lex.parents.get(base)] if base else []
    den = next((k.j for w in wholes if w for k in counts if k.key == w), None)
    return (num, den) if num is not None and den is not None else None


def _best_column(counts: list[Column], words: str) -> int | None:
    want = set(re.findall(r"[a-z]+", words)) - {"ty", "le", "so", "ho", "va", "tren"}
    best, score = None, 0
    for k in counts:
        have = set(re.findall(r"[a-z]+", k.heading))
        s = len(want & have)
        if s > score:
            best, score = k.j, s
    return best


class _TableReader:
    def __init__(self, ctx: Ctx, sc: Scopes, node: Node, layout: Layout):
        self.ctx, self.sc, self.node, self.layout = ctx, sc, node, layout
        # a table's next page sits where its first page does, whatever its own caption (a page number)
        before = layout.page_of
        self.context = before.scope if before is not None and before.scope is not None else self._context_scope()
        layout.scope = self.context
        self.row_scope: dict[int, Scope] = {}
        self.parent_row: dict[int, Row] = {}  # a sub-row opening with a dash -> the row above it that does not

    def _context_scope(self) -> Scope:
        """The scope the table's rows sit under. A table comparing units lifts out of the unit
        section it happens to follow ("Bảng tổng hợp" after "3. Tại UBND các phường, xã")."""
        scope = self.ctx.node_scope.get(id(self.node), self.ctx.report.scopes[0])
        lay = self.layout
        if lay.label is None or _restates_section(self, scope):
            return _caption_scope(self, scope)
        kinds = {classify(self.ctx, r.cells[lay.label].start, r.cells[lay.label].end)[0]
                 for r in lay.data if r.cells[lay.label].text} if not lay.rows_are_procedures else set()
        if lay.rows_are_fields:
            kinds.add("field")  # rows under a "Lĩnh vực" heading name fields without the word
        while scope.parent is not None and scope.kind in ("level", "unit", "agency", "field", "group", "own") and \
                kinds & {"level", "unit", "agency", "field", "group"}:
            if scope.kind in ("level", "own") and "level" not in kinds:
                break  # the communes of "2. Cấp xã" are that level's rows: the table stays in it (a table of the
                # levels lifts out of the own level's section: "Cấp tỉnh | Cấp huyện | Cấp xã | Toàn tỉnh")
            scope = scope.parent
        # a caption that names whose rows they are ("KẾT QUẢ … CẤP XÃ", "… tại Bộ phận Một cửa huyện") holds
        return _selection(self, _caption_scope(self, _departments_level(self, scope)))

    def run(self) -> None:
        lay = self.layout
        self.parent_row = _parents_of_sub_rows(lay, self.ctx.text)
        for r in lay.data + ([lay.total] if lay.total else []):
            self.row_scope[id(r)] = self.context if lay.keyed else self._scope_of(r)
        _rows_apart(self)
        if lay.keyed:
            self._keyed_facts()
            self._sub_rows()
            return
        self._facts()
        self._column_sums()
        self._row_sums()
        self._shares()
        self._ranks()
        _count_of_rows(self)

    def _scope_of(self, r: Row) -> Scope:
        lay = self.layout
        if r is lay.total or lay.label is None:
            return self.context
        cell = _name_cell(r, lay.label, lay.groups)
        found = classify(self.ctx, cell.start, cell.end)
        if found is None:
            return self.context
        kind, name, a, b = found
        if kind == "whole":
            return self.context
        if kind in ("topic", "other") or lay.rows_are_procedures:
            words = _row_words(cell)
            if lay.rows_are_fields:
                kind, name = "field", normal_name("linh vuc " + words)
            else:
                kind, name = "row", normal_name(words)
        label = " ".join(self.ctx.text[cell.start:cell.end].split())
        scope = self.sc.new(_parent_row_scope(self, r), kind, name, label[:80], cell.start, cell.end)
        return _part_row(self, cell, label) if scope is self.context and lay.total is not None else scope

    # ---------------------------------------------------------------- cells
    def count(self, r: Row, j: int) -> Item | None:
        cell = r.cells[j] if j < len(r.cells) else None
        if cell is None or not cell.text:
            return None
        qs = [q for q in self.ctx.between(cell.start, cell.end) if q.role not in ("date", "docref", "year")]
        if not qs:
            return None
        q = qs[0]
        if q.role == "numerator" and len(qs) > 1:
            return (q, qs[1])
        if q.percent:
            return None
        if q.role in ("other", "noise", "delta", "rank"):
            q.role = "quantity" if q.role != "delta" else "delta"
        return (q,)

    def percent(self, r: Row, j: int) -> Quantity | None:
        cell = r.cells[j] if j < len(r.cells) else None
        if cell is None or not cell.text:
            return None
        qs = [q for q in self.ctx.between(cell.start, cell.end) if q.role not in ("date", "docref", "year")]
        if not qs:
            return None
        q = next((x for x in qs if x.percent), qs[0])
        q.percent = True  # a percentage column's cells are percentages, "%" written or not
        q.role = "quantity"
        return q

    def sign(self, r: Row, j: int) -> int:
        cell = r.cells[j]
        return -1 if re.match(r"\s*(?:giam|-|−)", fold(cell.text)) else 1

    # ---------------------------------------------------------------- facts
    def _facts(self) -> None:
        lay = self.layout
        for r in lay.data + ([lay.total] if lay.total else []):
            scope = self.row_scope[id(r)]
            for c in lay.columns:
                if not c.key or c.unit not in (None, "dossiers"):
                    continue
                if c.kind == "count":
                    it = self.count(r, c.j)
                    if it is not None and len(it) == 1:
                        self.ctx.report.facts.append(Fact(c.key, it[0], scope, "column"))
                elif c.kind == "percent" and c.share == "rate":
                    q = self.percent(r, c.j)
                    if q is not None:
                        self.ctx.report.facts.append(Fact(c.key + "%", q, scope, "column"))

    def _keyed_facts(self) -> None:
        """"Tổng tiếp nhận | 9.604", "- Đúng hẹn | 6.848": each row a figure named by its label, read
        like a line of prose (a sub-row's words are read under the row it breaks down)."""
        lay, ctx = self.layout, self.ctx
        first = next((c.j for c in lay.columns if c.kind == "count"), None)
        if first is None:
            return
        parent_key: dict[int, str] = {}
        total = self.count(lay.total, first) if lay.total else None
        for r in ([lay.total] if lay.total else []) + lay.data:
            it = self.count(r, first)
            cell = r.cells[lay.label]
            cands = ctx.lex.candidates(ctx.folded[cell.start:cell.end])
            if it is None or len(it) != 1 or not cands:
                continue
            labels = _longest(cands)
            context = next((parent_key[id(p)] for p in lay.data if id(p) in parent_key and r in lay.children.get(id(p), [])), None)
            lab = next((lb for lb in labels if context and lb.parent in (context, ctx.lex.parents.get(context))), labels[0])
            parent_key[id(r)] = lab.key
            ctx.report.facts.append(Fact(lab.key, it[0], self.context, "column", tuple(lab.alternatives)))
            self._keyed_shares(r, it[0], lab.key, total, first)

    def _keyed_shares(self, r: Row, count: Quantity, key: str, total: Item | None, first: int) -> None:
        """The "Tỷ lệ" beside a named figure: its share of the total row, or, with none, of the total
        the figure's name implies (the prose above the table may state it)."""
        lay = self.layout
        for c in lay.columns:
            if c.kind != "percent":
                continue
            pct = self.percent(r, c.j)
            if pct is None:
                continue
            if total is not None and len(total) == 1:
                if r is lay.total:
                    continue
                bases = [(total[0], "stated")]
            else:
                bases = []
            # "- Trước hạn | 800 | 84,21" under "Đã giải quyết | 950": a share of the row it breaks down, or of the total
            parent = next((p for p in lay.data if r in lay.children.get(id(p), [])), None)
            above = self.count(parent, first) if parent is not None else None
            if above is not None and len(above) == 1:
                bases.insert(0, (above[0], "stated"))
            base = self.ctx.lex.base_of(key)
            self.ctx.report.shares.append(Share(pct, self.context, count, None, key, (base,) if base else (),
                                                via="table", bases=bases))

    def _sub_rows(self) -> None:
        lay = self.layout
        cols = [c for c in lay.columns if c.kind == "count"]
        starts = sorted(x.start for x in lay.data + ([lay.total] if lay.total else []))
        for r in lay.data:
            kids = lay.children.get(id(r))
            if not kids or len(kids) < 2 or lay.table.misaligned and _holds_shifted(lay, starts, r, kids):
                continue
            for c in cols:
                total, parts = self.count(r, c.j), [self.count(k, c.j) for k in kids]
                if total is None or any(p is None or len(p) != len(total) for p in parts):
                    continue
                self.ctx.report.breakdowns.append(Breakdown(total, parts, "table_subrows", True, self.row_scope[id(r)],
                                                            r.start, kids[-1].end))

    # ---------------------------------------------------------------- sums
    def _column_sums(self) -> None:
        lay = self.layout
        top = [r for r in lay.earlier + lay.data + lay.continued if not any(r in kids for kids in lay.children.values())]
        if lay.total is None or len(top) < 2 or lay.table.misaligned or lay.rates or _stray_row(lay, top) \
                or lay.follows and not lay.earlier or _starts_midway(lay):
            self._sub_rows()  # a shifted row is in the total too; a table's second page holds only some of its rows
            return
        not_over_periods = _not_over_periods(self, top)
        for c in lay.columns:
            if c.kind not in ("count", "percent") or (c.kind == "percent" and c.share != "of_total"):
                continue
            if c.key in not_over_periods:
                continue
            get = self.count if c.kind == "count" else lambda r, j: ((q,) if (q := self.percent(r, j)) else None)
            total = get(lay.total, c.j)
            parts = [get(r, c.j) for r in top]
            if total is None or any(p is None for p in parts) or any(len(p) != len(total) for p in parts):
                continue
            if c.unit == "points" and total[-1].value <= max(p[-1].value for p in parts):
                continue  # the whole's own score or the rows' average ("Toàn tỉnh | 84,03"), not their sum
            if not c.heading.strip() and _rate_like(total + tuple(p[-1] for p in parts)) \
                    and sum(p[-1].value for p in parts) != total[-1].value:
                continue  # a heading the reader lost over "90,60 | 99,67 | 96,20": rates, unless they add up as shares
            self.ctx.report.breakdowns.append(Breakdown(
                total, parts, "table_column", True, self.context, lay.total.start, lay.total.end,
                [" ".join(r.cells[lay.label].text.split()) if lay.label is not None else "" for r in top],
                total_is_percent=c.kind == "percent", column=" ".join(lay.table.heading(c.j).split())))
        self._sub_rows()

    def _row_sums(self) -> None:
        """A "Cộng" column is the sum of the count columns before it in the same unit; a numbered
        header says so itself ("(4)=(1)+(2)+(3)"); a change column links two years."""
        lay, lex = self.layout, self.ctx.lex
        cols = lay.columns
        if lay.headings_off:
            return
        for c in cols:
            if c.kind != "count" or not lex.total_row.match(c.heading) or c.key:
                continue
            parts = _summed_before(lay, lex, c)
            if parts is not None and len(parts) >= 2:
                self._each_row(c.j, parts, "table_row", [1] * len(parts), _stock_rows(self, parts))
        deltas = [c for c in cols if c.kind == "delta"]
        years = sorted((c for c in cols if c.kind in ("count", "percent") and c.year), key=lambda c: c.year)
        if len(deltas) == 1 and len(years) == 2:
            early, late = years
            self._each_row(late.j, [early.j, deltas[0].j], "table_change", None)
        for j, (_, formula) in self.layout.table.column_numbers.items():
            self._numbered_formula(j, formula)

    def _numbered_formula(self, j: int, formula: str | None) -> None:
        if not formula or "/" in formula:
            return
        where = {n: k for k, (n, _) in self.layout.table.column_numbers.items()}
        terms = re.findall(r"([+-]?)\s*\(?(\d{1,2})\)?", formula)
        if len(terms) < 2 or any(int(n) not in where for _, n in terms):
            return
        self._each_row(j, [where[int(n)] for _, n in terms], "table_formula", [-1 if s == "-" else 1 for s, _ in terms])

    def _each_row(self, total_j: int, part_js: list[int], how: str, signs: list[int] | None, skip: frozenset = frozenset()) -> None:
        lay = self.layout
        for r in lay.data + ([lay.total] if lay.total else []):
            if id(r) in skip:
                continue
            total = self.count(r, total_j)
            parts = [self.count(r, k) for k in part_js]
            if total is None or any(p is None or len(p) != len(total) for p in parts):
                continue  # ("13,80/18 | 14,84/18 | 1,04": a score out of its maximum beside a change of one figure)
            row_signs = signs if signs is not None else [1] + [self.sign(r, part_js[1])]
            self.ctx.report.breakdowns.append(Breakdown(total, parts, how, True, self.row_scope[id(r)], r.start, r.end,
                                                        signs=row_signs))

    # ---------------------------------------------------------------- percentages
    def _shares(self) -> None:
        lay = self.layout
        for c in lay.columns:
            if c.kind != "percent" or c.pair is None:
                continue
            num_j, den_j = c.pair
            for r in lay.data + ([lay.total] if lay.total else []):
                pct = self.percent(r, c.j)
                num = self.count(r, num_j)
                if pct is None or num is None or len(num) != 1:
                    continue
                if c.share == "of_total":
                    if lay.total is None:
                        continue
                    base = self.count(lay.total, den_j)  # the total row's own share: all of it, 100%
                else:
                    base = self.count(r, den_j)
                if base is None or len(base) != 1:
                    continue
                how = "stated" if c.share in ("of_total", "pair") else "key"
                share = Share(pct, self.row_scope[id(r)], num[0], None, via="table", bases=[(base[0], how)])
                share.numerator_with = _counted_with(self, r, lay.columns[num_j])
                # "Kế hoạch | Thực hiện | Đạt (%)": a percentage of a plan may pass 100
                share.compared = any(self.ctx.lex.plan_heading.search(k.heading) for k in lay.columns)
                self.ctx.report.shares.append(share)

    # ---------------------------------------------------------------- ranks and counts
    def _ranks(self) -> None:
        lay = self.layout
        for c in lay.columns:
            if c.kind != "rank":
                continue
            for r in lay.data:
                cell = r.cells[c.j]
                qs = self.ctx.between(cell.start, cell.end)
                if len(qs) == 2 and "/" in cell.text:
                    qs[0].role = qs[1].role = "rank"
                    self.ctx.report.ranks.append(RankClaim(qs[0], qs[1], cell.start, cell.end))
                elif len(qs) == 1:
                    qs[0].role = "rank"


def _not_over_periods(reader: "_TableReader", rows: list[Row]) -> set[str | None]:
    """When the rows are months, quarters, weeks (a label column headed "Tháng", or rows read as periods): the
    keys whose columns do not add up over them. "Kỳ trước chuyển sang", "Đang giải quyết" by month (the quarter's
    is one month's, not their sum); a whole that holds one of them ("Tiếp nhận" beside "Mới"); and a column the
    reader cannot name, which may be one of those."""
    lay, lex = reader.layout, reader.ctx.lex
    by_heading = lay.label is not None and lex.period_heading.search(fold(lay.table.heading(lay.label)))
    kinds = [scope.kind for r in rows if (scope := reader.row_scope.get(id(r))) is not None]
    if not by_heading and not sum(k == "period" for k in kinds) * 2 > len(kinds) > 0:
        return set()
    keys = {c.key for c in lay.columns if c.kind == "count"}
    out: set[str | None] = set(lex.stock_keys) | {None}
    for stock in lex.stock_keys:
        for whole in lex.ancestors(stock):
            if whole not in lex.stock_keys and (None in keys or keys & {k for k, p in lex.parents.items() if p == whole}):
                out.add(whole)
    return out


def _longest(cands: list) -> list:
    """The labels of the longest candidates a cell's words give (a row named by its figure's words)."""
    longest = max((e - s for s, e, _ in cands), default=0)
    return [lab for s, e, lab in cands if e - s == longest]


def _stock_rows(reader: "_TableReader", part_js: list[int]) -> frozenset:
    """A table of named rows by period columns ("Chỉ tiêu | Quý I | Quý II | Quý III | Cộng 9 tháng"): the rows
    whose "Cộng" is no sum of the periods. Dossiers carried over are the first period's, pending ones the last's,
    and a whole holding them ("Tổng số hồ sơ phải giải quyết") is the first period's carried over plus every
    period's new ones; a row the lexicon does not name may be one of them."""
    lay, ctx = reader.layout, reader.ctx
    period = ctx.lex.scope_rx("period")
    if lay.label is None or not all(period.match(lay.columns[j].heading.strip()) for j in part_js):
        return frozenset()
    stocks = set(ctx.lex.stock_keys) | {w for k in ctx.lex.stock_keys for w in ctx.lex.ancestors(k)}
    out = set()
    for r in lay.data + ([lay.total] if lay.total else []):
        cell = r.cells[lay.label]
        labels = _longest(ctx.lex.candidates(ctx.folded[cell.start:cell.end]))
        keys = {k for lab in labels for k in (lab.key, *lab.alternatives)}
        if not keys or keys & stocks:
            out.add(id(r))
    return frozenset(out)


def _departments_level(reader: "_TableReader", scope: Scope) -> Scope:
    """A province's table whose rows are all its departments ("Sở Tư pháp", "Sở Y tế", "Văn phòng UBND
    tỉnh"): its total is the provincial level's, not the whole province's ("Toàn tỉnh" counts the
    communes too)."""
    lay, ctx = reader.layout, reader.ctx
    if scope.parent is not None or ctx.report.header.level != "province" or lay.label is None or len(lay.data) < 2:
        return scope
    if not all(ctx.lex.provincial_row.search(r.cells[lay.label].text) for r in lay.data):
        return scope
    return reader.sc.new(scope, "level", "province", "cấp tỉnh", reader.node.start, reader.node.start)


_CAPTION_GAP = 8  # blank lines a page break leaves between a caption and its table


def _caption_scope(self: "_TableReader", scope: Scope) -> Scope:
    """The agency, level or unit a caption right above the table names ("KẾT QUẢ … TẠI BỘ PHẬN MỘT
    CỬA HUYỆN NĂM 2024"): its rows are that one's."""
    ctx = self.ctx
    i = _node_index(ctx, self.node)
    cap = ctx.nodes[i - 1] if i > 0 else None
    below = self.node
    if cap is not None and i > 1 and ctx.lex.attachment_line.match(ctx.folded, cap.body_start) \
            and ctx.text[cap.end:below.start].count("\n") <= _CAPTION_GAP:
        cap, below = ctx.nodes[i - 2], cap  # the title above the "(Kèm theo Báo cáo số …)" line
    gap = ctx.text[cap.end:below.start] if cap is not None else ""
    # (a page's number between the caption and its table is blanked: only blank lines stand there then)
    if cap is None or cap.kind != "paragraph" or gap.count("\n") > (2 if gap.strip() else _CAPTION_GAP):
        return scope
    # the caption is what follows the paragraph's last figure's line ("… 21.999 hồ sơ.⏎Biểu: KẾT QUẢ …
    # CẤP XÃ" reads as one paragraph)
    counted = [q for q in ctx.between(cap.body_start, cap.end) if _counts(q)]
    start = ctx.text.find("\n", counted[-1].end, cap.end) + 1 if counted else cap.body_start
    if start <= 0 or start >= cap.end:
        return scope
    named = self.sc.of_words(scope, start, cap.end, lead=True, title=True)
    if named is not None and named.kind == "period":
        return _other_period(self, scope, named)
    return named if named is not None and named.kind in ("agency", "level", "own", "unit", "group", "field") else scope


def _selection(reader: "_TableReader", scope: Scope) -> Scope:
    """"Bảng 2. Hồ sơ một số dịch vụ công thiết yếu …" above a table: its rows are a selection, and its total
    row counts them only, in a scope of its own under the section's."""
    ctx = reader.ctx
    i = _node_index(ctx, reader.node)
    cap = ctx.nodes[i - 1] if i > 0 else None
    if cap is None or cap.kind != "paragraph" or ctx.text[cap.end:reader.node.start].count("\n") > _CAPTION_GAP \
            or cap.end - cap.body_start > 300:
        return scope
    start = max(cap.body_start, ctx.folded.rfind("\n", cap.body_start, cap.end) + 1)  # the caption's last line
    if ctx.lex.selection_caption.search(ctx.folded, start, cap.end) is None:
        return scope
    label = " ".join(ctx.text[start:cap.end].split())
    return reader.sc.new(scope, "group", normal_name(ctx.folded[start:cap.end]), label, start, cap.end)


def _node_index(ctx: Ctx, node: Node) -> int:
    """Where a block stands among the report's blocks in text order (0 when it is not one of them)."""
    return next((k for k, n in enumerate(ctx.nodes) if n is node), 0)


def _other_period(reader: "_TableReader", scope: Scope, named: Scope) -> Scope:
    """"Bảng 2. Kết quả quý III theo cấp" inside the section "Lũy kế 9 tháng": a caption that names another
    period than the section's holds its rows apart from it. (A caption naming a period in a section of
    none is as a rule the report's own period, as in "QUÝ III NĂM 2024" over a quarter's appendix.)"""
    section = next((s for s in reversed(scope.chain()) if s.kind == "period"), None)
    if section is None or section.name == named.name or section.parent is None:
        return scope
    return reader.sc.new(section.parent, "period", named.name, named.label, named.start, named.end)


def _rows_apart(reader: "_TableReader") -> None:
    """Two rows of one table read as one scope ("Các xã thuộc huyện A", "Các xã thuộc huyện B" both as the
    commune level) are two parts of it, neither the whole: each row apart, by its own words."""
    lay = reader.layout
    if lay.keyed or lay.label is None:
        return
    seen = Counter(id(reader.row_scope[id(r)]) for r in lay.data)
    for r in lay.data:
        scope = reader.row_scope[id(r)]
        if scope is not reader.context and seen[id(scope)] >= 2 and scope.kind in ("level", "own", "agency"):
            cell = r.cells[lay.label]
            reader.row_scope[id(r)] = _part_row(reader, cell, " ".join(reader.ctx.text[cell.start:cell.end].split()))


def _part_row(reader: "_TableReader", cell: Cell, label: str) -> Scope:
    """"Bộ phận Một cửa xã" as one row among the commune's reception points, over "Tổng cộng": the
    reporting body's own office is one part here, not the whole the total row gives."""
    return reader.sc.new(reader.context, "row", normal_name(_row_words(cell)), label[:80], cell.start, cell.end)


_SUB_ROW = re.compile(r"\s*[-+•–]\s")


def _parents_of_sub_rows(lay: Layout, text: str) -> dict[int, Row]:
    """Each row opening with a dash, by id, and the nearest row above it that does not."""
    out: dict[int, Row] = {}
    parent = None
    for r in lay.data if lay.label is not None else ():
        if not _SUB_ROW.match(text, r.cells[lay.label].start):
            parent = r
        elif parent is not None:
            out[id(r)] = parent
    return out


def _parent_row_scope(reader: "_TableReader", r: Row) -> Scope:
    """"I | Văn phòng (trụ sở chính) | …" then "| - Đăng ký lần đầu | …": a row opening with a dash under one that
    does not is that row's part, in its scope (the office's first registrations, not all of them)."""
    parent = reader.parent_row.get(id(r))
    if parent is None or _names_a_kind(reader.ctx, _row_words(r.cells[reader.layout.label])):
        return reader.context
    return reader.row_scope.get(id(parent), reader.context)


def _row_words(cell: Cell) -> str:
    """A row label's words, folded, without its brackets ("Hộ tịch (cấp xã)" -> "ho tich")."""
    return " ".join(re.sub(r"\([^)]*\)", " ", fold(cell.text)).split())


def _restates_section(self: "_TableReader", scope: Scope) -> bool:
    """"1. Chi cục Thú y⏎Tiếp nhận 425 hồ sơ … Chi tiết theo lĩnh vực:" over a table whose total row is
    425: the table details the section it stands in, whatever its rows name."""
    lay = self.layout
    first = next((c.j for c in lay.columns if c.kind == "count"), None)
    if lay.total is None or first is None or scope.parent is None:
        return False
    total = self.count(lay.total, first)
    if total is None or len(total) != 1:
        return False
    said = [q for q in self.ctx.between(scope.start, self.node.start) if not q.percent and q.role == "quantity"]
    return any(q.value == total[0].value for q in said)


def _stray_row(lay: Layout, rows: list[Row]) -> bool:
    """A row of figures with no name is the rest of a row a page broke ("   65   1" after the page's header):
    the rows cannot be told apart, so no column is summed."""
    return lay.label is not None and any(_NO_NAME.fullmatch(r.cells[lay.label].text) for r in rows)


def _count_of_rows(self: "_TableReader") -> None:
    """"Cộng 06 cơ quan": the total row counts the rows above it."""
    lay = self.layout
    if lay.total is None or lay.label is None:
        return
    cell = lay.total.cells[lay.label]
    qs = [q for q in self.ctx.between(cell.start, cell.end) if not q.percent]
    if len(qs) != 1:
        return
    q = qs[0]
    if not self.ctx.lex.countable.match(self.ctx.folded, q.end + 1):
        return
    q.role = "quantity"
    items = [(r.cells[lay.label].start, r.cells[lay.label].end) for r in lay.data]
    self.ctx.report.lists.append(ListClaim(q, None, items, cell.start, cell.end, None, "rows"))


def _names_a_kind(ctx: Ctx, name: str) -> bool:
    """A sub-row named by what it counts ("- Trực tuyến", "Trong đó: qua bưu chính"), not by whose
    figures it holds: the text's "trực tuyến" names that kind of dossier anywhere, never the row."""
    for s, e, _ in ctx.lex.candidates(name):
        if e == len(name) and (s == 0 or ctx.lex.breakdown.fullmatch(name[:s].strip(" :"))):
            return True
    return False


_ROW_NAME_LEAD = 150  # a sentence about a row names it this close before its figures


def text_about_rows(ctx: Ctx) -> None:
    """"Lệ phí chứng thực có 615 hồ sơ" above a table with a row "Lệ phí chứng thực": the sentence gives
    that row's figures, not those of the table's total row. A text figure whose sentence names exactly
    one row of a table in its scope (a row of no level, unit or field: those the text names anyway)
    moves to that row's scope."""
    rows: dict[int, list[Scope]] = {}
    for s in ctx.report.scopes:
        if s.kind == "row" and s.parent is not None and len(s.name.split()) >= 2 and not _names_a_kind(ctx, s.name):
            rows.setdefault(s.parent.id, []).append(s)
    if not rows:
        return
    by_name = {pid: {s.name: s for s in found} for pid, found in rows.items()}
    patterns = {pid: re.compile(r"(?<![a-z0-9])(?:" + "|".join(
        r"\W+".join(map(re.escape, name.split())) for name in sorted(names, key=len, reverse=True)) + r")(?![a-z0-9])")
        for pid, names in by_name.items()}
    for fa in ctx.report.facts:
        rx = patterns.get(fa.scope.id)
        if rx is None or fa.label_at == "column":
            continue
        lead = max(ctx.inline.sentence(fa.q.start)[0], fa.q.start - _ROW_NAME_LEAD)
        named = {" ".join(re.findall(r"[a-z0-9]+", m.group(0))) for m in rx.finditer(ctx.folded, lead, fa.q.start)}
        row = by_name[fa.scope.id].get(named.pop()) if len(named) == 1 else None
        if row is not None:
            fa.scope = row
