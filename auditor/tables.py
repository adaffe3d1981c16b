"""Appendix tables (biểu mẫu): header rows, column keys, data rows, each cell with its span.

A table's columns get the same fact keys as the prose, through the lexicon, so that a table row
is a block with a scope (its field, or the whole unit for the total row) like any paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .facts import Quantity
from .normalize import fold

_ROMAN = re.compile(r"^[ivxlc]+\.?$")
_COLNUM = re.compile(r"^\(?(\d{1,2})\)?(?:\s*=\s*(.+))?$")


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Row:
    cells: list[Cell]
    line_start: int
    line_end: int
    numbers: list[Quantity | None] = field(default_factory=list)  # one per data column

    @property
    def label(self) -> str:
        return self.cells[1].text if len(self.cells) > 1 else ""


@dataclass
class Table:
    start: int
    end: int
    headers: list[Row]
    rows: list[Row]
    columns: list[str | None]  # fact key of each data column (after STT and label)
    column_names: list[str]
    formulas: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> (numerator col, denominator col)
    total_row: Row | None = None
    detail_rows: list[Row] = field(default_factory=list)
    misaligned: list[tuple[Row, int]] = field(default_factory=list)


_PIPED = re.compile(r"\s*\|(.*)\|\s*$")
_WIDE_GAP = re.compile(r" {2,}")


def split_cells(text: str, start: int, end: int) -> list[Cell]:
    line = text[start:end]
    piped = _PIPED.match(line)
    if piped:  # Markdown: | STT | Lĩnh vực | … |
        inner = start + piped.start(1)
        body = piped.group(1)
        cells, pos = [], 0
        for m in re.finditer(r"\|", body):
            cells.append(Cell(body[pos:m.start()].strip(), inner + pos, inner + m.start()))
            pos = m.end()
        cells.append(Cell(body[pos:].strip(), inner + pos, inner + len(body)))
        return cells
    cells, pos = [], 0
    if "\t" in line:
        for part in line.split("\t"):
            cells.append(Cell(part.strip(), start + pos, start + pos + len(part)))
            pos += len(part) + 1
        return cells
    for m in _WIDE_GAP.finditer(line):
        cells.append(Cell(line[pos:m.start()].strip(), start + pos, start + m.start()))
        pos = m.end()
    cells.append(Cell(line[pos:].strip(), start + pos, end))
    return cells


def _is_number_cell(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,]+%?|-", text.strip()))


def _column_number_row(cells: list[Cell]) -> bool:
    """"(1) (2) … (5)=(4)/(1)", or "1 2 3 … 11" (sometimes with a stray label)."""
    nums = [c for c in cells if c.text]
    if len(nums) < 3:
        return False
    hits = sum(bool(_COLNUM.match(c.text)) for c in nums)
    if hits >= len(nums) - 1 and any(c.text.startswith("(") and _COLNUM.match(c.text) for c in nums):
        return True
    return _consecutive([c.text for c in nums])


def _consecutive(texts: list[str]) -> bool:
    ints = [int(t) for t in texts if t.isdigit()]
    return len(ints) >= 4 and ints == list(range(ints[0], ints[0] + len(ints))) and len(ints) >= len(texts) - 1


def _column_spans(data: list[Row], width: int) -> list[tuple[int, int]]:
    """Character columns (relative to the line) each data column occupies across the rows."""
    spans: list[tuple[int, int]] = []
    for j in range(width):
        cells = [(r.cells[j + 2].start - r.line_start, r.cells[j + 2].end - r.line_start)
                 for r in data if len(r.cells) == width + 2 and r.cells[j + 2].text]
        spans.append((min(a for a, _ in cells), max(b for _, b in cells)) if cells else (10**9, 10**9))
    return spans


def _align(row: Row, spans: list[tuple[int, int]], text: str, leaf: bool) -> list[Cell]:
    """Header cells re-indexed like data rows: index 2 + j is the heading over data column j.
    A leaf goes to the column it overlaps most; a group heading to the first column it covers."""
    out = [Cell("", row.line_start, row.line_start) for _ in range(len(spans) + 2)]
    first_data = min(a for a, _ in spans)
    for c in row.cells:
        if not c.text:
            continue
        a, b = c.start - row.line_start, c.end - row.line_start
        if b <= first_data:
            continue  # STT, field name
        overlaps = [(min(b, e) - max(a, s), j) for j, (s, e) in enumerate(spans)]
        if leaf:
            best = max(overlaps)
            j = best[1] if best[0] > 0 else min(range(len(spans)), key=lambda k: abs((spans[k][0] + spans[k][1]) / 2 - (a + b) / 2))
        else:  # the first column the heading covers for most of that column's width
            covered = [j for o, j in overlaps if o > 0 and o >= 0.6 * (spans[j][1] - spans[j][0])]
            j = covered[0] if covered else min(range(len(spans)), key=lambda k: abs(spans[k][0] - a))
        if not out[j + 2].text:
            out[j + 2] = c
    return out


def read_table(text: str, header_lines: list[tuple[int, int]], row_lines: list[tuple[int, int]],
               key_of_header, number_at, total_row: re.Pattern, total_heading: re.Pattern) -> Table | None:
    rows_all = [Row(split_cells(text, s, e), s, e) for s, e in header_lines + row_lines if text[s:e].strip()]
    # a Markdown rule row (|---|:---:|) separates header from body and holds nothing
    rows_all = [r for r in rows_all if not all(re.fullmatch(r":?-{2,}:?", c.text) or not c.text for c in r.cells)]
    headers: list[Row] = []
    data: list[Row] = []
    colnum_row: Row | None = None
    for r in rows_all:
        numeric = sum(_is_number_cell(c.text) for c in r.cells[2:])
        if _column_number_row(r.cells):
            colnum_row = r
            continue
        if numeric >= 2 and numeric >= (len([c for c in r.cells[2:] if c.text]) - 1):
            data.append(r)
        elif not data:
            headers.append(r)
    if not data or not headers:
        return None
    width = max(len(r.cells) for r in data) - 2
    # group headings span the empty cells after them; the last header row holds the leaf labels
    leaf = headers[-1].cells
    groups = headers[-2].cells if len(headers) > 1 else []
    spaced = not any("\t" in text[r.line_start:r.line_end] for r in data)
    if spaced and (len(leaf) != width + 2 or (groups and len([c for c in groups if c.text]) < 3)):
        # columns set apart by spaces whose headings do not line up cell for cell with the rows
        # (headings spanning several columns, no STT cell): place each heading by its position
        spans = _column_spans(data, width)
        leaf = _align(headers[-1], spans, text, leaf=True)
        groups = _align(headers[-2], spans, text, leaf=False) if len(headers) > 1 else []
    names: list[str] = []
    keys: list[str | None] = []
    group_text = ""
    # Each group's leaves usually open with "Tổng số": when their count equals the count of group
    # headings, that places the groups even where the heading cells are shifted.
    group_names = [c.text for c in groups[2:] if c.text]
    opens = [j for j in range(width) if j + 2 < len(leaf) and total_heading.fullmatch(fold(leaf[j + 2].text))]
    by_total = len(opens) == len(group_names) and len(opens) > 1
    for j in range(width):
        idx = j + 2
        if by_total:
            k = sum(1 for o in opens if o <= j) - 1
            group_text = group_names[k] if k >= 0 else ""
        elif groups and idx < len(groups) and groups[idx].text:
            group_text = groups[idx].text
        leaf_text = leaf[idx].text if idx < len(leaf) else ""
        names.append(" ".join(x for x in (group_text if leaf_text and groups else "", leaf_text or group_text) if x))
        keys.append(key_of_header(fold(group_text) if groups else "", fold(leaf_text or group_text), keys))
    table = Table(rows_all[0].line_start, rows_all[-1].line_end, headers, data, keys, names)
    if colnum_row is not None:
        # a column number names the cell it stands in: "(5)=(4)/(1)" reads columns by those cells
        where = {int(m.group(1)): k - 2 for k, c in enumerate(colnum_row.cells) if (m := _COLNUM.match(c.text))}
        for c in colnum_row.cells:
            m = _COLNUM.match(c.text)
            if m and m.group(2):
                fm = re.match(r"\(?(\d+)\)?\s*/\s*\(?(\d+)\)?", m.group(2))
                if fm and int(fm.group(1)) in where and int(fm.group(2)) in where:
                    table.formulas[where[int(m.group(1))]] = (where[int(fm.group(1))], where[int(fm.group(2))])
    # how many data columns the header defines: its leaf labels, or its column numbers
    header_width = max(len(leaf) - 2, 0)
    if colnum_row is not None:
        header_width = max(header_width, sum(1 for c in colnum_row.cells if _COLNUM.match(c.text)) - 2)
    for r in data:
        cells = r.cells[2:]
        r.numbers = [number_at(c.start, c.end) if c.text and c.text != "-" else None for c in cells]
        filled = sum(1 for c in cells if c.text)
        if header_width and filled != header_width:
            table.misaligned.append((r, header_width))
    aligned = [r for r in data if all(r is not m for m, _ in table.misaligned)]
    for r in aligned:
        lab = fold(r.label)
        stt = fold(r.cells[0].text) if r.cells else ""
        if table.total_row is None and (total_row.match(lab) or _ROMAN.match(stt)):
            table.total_row = r
        elif re.fullmatch(r"\d+\.?", stt):
            table.detail_rows.append(r)
    return table
