"""Tables as reports lay them out: cells, header rows, columns, the label column, data rows.

Layouts read: tab-separated (Word and PDF tables arrive so), Markdown pipes, columns set apart by
runs of spaces (PDF text, OCR); an index column (STT) or none; the label first or after the index;
two-column tables (label, figure); headers over one to three lines with group headings over their
leaves; numbered header rows "(1) (2) (3)=(1)+(2)". Meaning (which column counts what, which row is
the total) is read in auditor/extract/tables.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_PIPED = re.compile(r"\s*\|(.*)\|\s*$")
_WIDE_GAP = re.compile(r" {2,}|\t")
_RULE_CELL = re.compile(r":?[-=_–—]{2,}:?")
# a cell that holds a figure: "1.456", "89,6%", "1.456/1.625", "1.456 (89,6%)", "gần 3,000", "tăng 1,59", "-", "x"
_FIGURE_CELL = re.compile(r"(?:(?:gần|hơn|trên|khoảng|dưới|tăng|giảm|gan|hon|tren|khoang|duoi|tang|giam)\s+)?"
                          r"[-+]?\d[\d.,  ]*%?(?:\s*/\s*\d[\d.,]*)?(?:\s*\(\s*\d[\d.,]*\s*%?\s*\))?\s*(?:điểm|diem|%)?", re.I)
_EMPTY_CELL = re.compile(r"[-–—x×.]?|k\.?\s*có|không|n/a", re.I)
COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?(?:\s*=\s*(.+))?$")
_LABEL_LETTER = re.compile(r"\(?[A-E]\)?")
_OCR_RULES = {"|", "¦", "!"}
_FORMULA = re.compile(r"\(?\d{1,2}\)?\s*=\s*[\d()+\-*/x., ]+")
# a heading that names its group's total ("Tổng số", "Cộng"), as written or as OCR leaves it
_TOTAL_LEAF = re.compile(r"\s*(?:t[ổôo]ng|c[ộôo]ng)\b", re.I)


@dataclass
class Cell:
    text: str
    start: int
    end: int
    # a space-set line's columns are told by place; OCR's spaces inside figures ("2 .892") push every
    # cell after them right: how many such characters stand before the cell's start, and before its end
    lshift: int = 0
    rshift: int = 0

    # a cell never changes once read, and reading a table asks each of its cells these many times over
    @cached_property
    def is_figure(self) -> bool:
        return bool(self.text) and bool(_FIGURE_CELL.fullmatch(self.text.strip()))

    @cached_property
    def is_empty(self) -> bool:
        return bool(_EMPTY_CELL.fullmatch(self.text.strip()))


@dataclass
class Row:
    cells: list[Cell]  # one per column (empty cells where the row has none)
    start: int
    end: int
    raw_count: int = 0  # cells as written, before alignment
    # fewer cells than the header and most rows: an average row may leave its last columns out, but a
    # unit's row that does has lost a cell on the way, and its figures stand under the wrong headings
    short: bool = False

    def cell(self, j: int) -> Cell | None:
        return self.cells[j] if 0 <= j < len(self.cells) else None


@dataclass
class Table:
    start: int
    end: int
    headers: list[Row]  # heading rows, top first, aligned to the columns
    rows: list[Row]  # data rows and group rows, in order
    width: int
    column_numbers: dict[int, tuple[int, str | None]] = field(default_factory=dict)  # column -> (its number, formula)
    spaced: bool = False
    misaligned: list[Row] = field(default_factory=list)  # rows whose cells do not fall under the header's columns
    numbered_width: int = 0  # data columns a numbered header names, when rows do not match it
    numbers_at: tuple[int, int] | None = None  # the row of column numbers ("1 | 2 | 3=4+5 | … | 14=9/8"), if any

    def heading(self, j: int) -> str:
        """Every header row's words over column j, group headings first."""
        return " ".join(h.cells[j].text for h in self.headers if j < len(h.cells) and h.cells[j].text).strip()

    def leaf(self, j: int) -> str:
        """The lowest heading over column j ("Trực tuyến" under "Số hồ sơ tiếp nhận")."""
        return next((h.cells[j].text for h in reversed(self.headers) if j < len(h.cells) and h.cells[j].text), "")

    def group(self, j: int) -> str:
        """The headings above the leaf over column j."""
        texts = [h.cells[j].text for h in self.headers if j < len(h.cells) and h.cells[j].text]
        return " ".join(texts[:-1])


def split_cells(text: str, start: int, end: int) -> list[Cell]:
    line = text[start:end]
    piped = _PIPED.match(line)
    if piped:  # Markdown: | STT | Lĩnh vực | … |
        inner = start + piped.start(1)
        body = piped.group(1)
        cells, pos = [], 0
        for m in re.finditer(r"\|", body):
            cells.append(_cell(text, inner + pos, inner + m.start()))
            pos = m.end()
        cells.append(_cell(text, inner + pos, inner + len(body)))
        return cells
    if "\t" not in line and line.count("|") >= 3:  # "STT | Đơn vị | Tiếp nhận | …": pipes without the outer ones
        cells, pos = [], 0
        for part in line.split("|"):
            cells.append(_cell(text, start + pos, start + pos + len(part)))
            pos += len(part) + 1
        return cells
    if "\t" in line:
        cells, pos = [], 0
        for part in line.split("\t"):
            cells.append(_cell(text, start + pos, start + pos + len(part)))
            pos += len(part) + 1
        return cells
    cells, pos = [], 0
    lead = len(line) - len(line.lstrip(" "))
    if lead >= 2 and line.strip():
        cells.append(Cell("", start, start))  # "   Tổng cộng   3.110 …": the first column is empty
    pos = lead
    for m in _WIDE_GAP.finditer(line, lead):
        cells.append(_cell(text, start + pos, start + m.start()))
        pos = m.end()
    cells.append(_cell(text, start + pos, end))
    drift = 0
    for c in cells:
        c.lshift = drift
        if c.text[:1].isdigit():
            drift += len(_OCR_SPLIT.findall(c.text))
        c.rshift = drift
    return cells


_OCR_SPLIT = re.compile(r"(?<=\d) (?=[.,]\d)|(?<=\d[.,]) (?=\d)")  # "2 .892", "98, 5"


def _a(c: Cell, line_start: int) -> int:
    """Where a cell starts on its line, OCR's spaces inside the figures before it taken out."""
    return c.start - line_start - c.lshift


def _b(c: Cell, line_start: int) -> int:
    return c.end - line_start - c.rshift


def _set_apart(line: str) -> bool:
    """Cells set apart by tabs or pipes, not by their place on the line."""
    return "\t" in line or bool(_PIPED.match(line)) or line.count("|") >= 3


def _cell(text: str, a: int, b: int) -> Cell:
    raw = text[a:b]
    lead = len(raw) - len(raw.lstrip())
    tail = len(raw.rstrip())
    return Cell(raw.strip(), a + lead, a + max(lead, tail))


def _is_rule(cells: list[Cell]) -> bool:
    return all(_RULE_CELL.fullmatch(c.text) or not c.text for c in cells)


def _is_column_numbers(cells: list[Cell]) -> bool:
    """"(1) (2) … (5)=(4)/(1)", or "1 2 3 … 11"."""
    texts = [c.text for c in cells if c.text]
    if len(texts) < 3:
        return False
    hits = sum(bool(COLUMN_NUMBER.match(t)) for t in texts)
    letters = sum(bool(_LABEL_LETTER.fullmatch(t)) for t in texts)  # "A | B | (3) | (4)": letters over the labels
    # "(1) (2) (3)=(1)+(2)", or "1 2 3=4+5+6+7 … 13=5/(5+6+7)": brackets or a formula tell numbers from figures
    if hits >= 2 and hits + letters >= len(texts) - 1 and any(t.startswith("(") or _FORMULA.fullmatch(t) for t in texts):
        return True
    ints = [int(t) for t in texts if t.isdigit()]
    words = [t for t in texts if not t.isdigit()]
    # "A | B | 1 | 2 | 3 | 4": a letter may stand over the label columns; beside a name ("1 | Tổng cộng | 2 | … | 11")
    # only a long run from 1 numbers columns: "Sở Tư pháp | 0 | 1 | 2 | 3" is a row of figures
    return len(ints) >= 4 and ints == list(range(ints[0], ints[0] + len(ints))) and len(ints) >= len(texts) - 1 \
        and (all(len(w) <= 3 for w in words) or ints[0] == 1 and len(ints) >= 5)


def _is_data(cells: list[Cell]) -> bool:
    figures = sum(1 for c in cells if c.is_figure)
    return figures >= 1 and any(c.text and not c.is_figure for c in cells) or figures >= 2


def read_table(text: str, lines: list[tuple[int, int]]) -> Table | None:
    raw = [(s, e, split_cells(text, s, e)) for s, e in lines if text[s:e].strip()]
    raw = [r for r in raw if not _is_rule(r[2])]
    if not any(_set_apart(text[s:e]) for s, e, _ in raw):
        # a space-set table's ruling that OCR read as a character of its own ("1.811   |   1.722"): no cell
        raw = [(s, e, [c for c in cells if c.text not in _OCR_RULES]) for s, e, cells in raw]
    if not raw:
        return None
    spaced = not any(_set_apart(text[s:e]) for s, e, _ in raw)
    first_data = next((i for i, (_, _, cells) in enumerate(raw) if _is_data(cells) and not _is_column_numbers(cells)), None)
    if first_data is None:
        return None
    # the header ends with its numbered row: "I | Cấp tỉnh" under it is a group row; a row of figures just above
    # it ("(Điểm tối đa) | 18 | 20 | …", the maximum of each column) is the header's too
    numbered = next((i for i, (_, _, cells) in enumerate(raw[:first_data + 2]) if _is_column_numbers(cells)), None)
    if numbered is not None:
        first_data = numbered + 1
    head_raw = raw[:first_data]
    body_raw = raw[first_data:]
    numbers_row = next((r for r in head_raw if _is_column_numbers(r[2])), None)
    head_raw = [r for r in head_raw if r is not numbers_row]
    # a heading a page break repeated inside the rows ("STT | Tên đơn vị | …", "(1) | (2) | …") heads nothing new
    repeated = {tuple(c.text for c in cells) for _, _, cells in raw[:first_data]}
    body_raw = [r for r in body_raw if tuple(c.text for c in r[2]) not in repeated
                and not (numbers_row is not None and _is_column_numbers(r[2]))]
    broken: set[int] = set()  # where rows start that a page broke
    if not spaced:
        body_raw = _rejoined(body_raw)
    else:  # cells placed by position cannot be joined across lines: both halves stand apart from the sums
        broken = {r[0] for pair in _broken_pairs(body_raw) for r in pair}
    # cells as split: "   Tổng cộng   11 …" counts its empty first cell, like the rows under it
    counts = [len(cells) for _, _, cells in body_raw if _is_data(cells)]
    regular = bool(counts) and max(counts.count(n) for n in set(counts)) * 10 >= 7 * len(counts)
    data_rows = [r for r in body_raw if _is_data(r[2])]
    columns = _spaced_columns(text, data_rows) if spaced else None
    modal = max(set(counts), key=counts.count) if counts else 0
    if spaced and (not regular or _aligned(body_raw) or columns[0] == modal and _one_per_column(data_rows, columns[1])):
        width, place = columns  # the cells stand in columns: placed by position
    else:
        # tab or pipe cells, or space-set rows that all have as many cells but do not line up (OCR
        # keeps the gaps, not the columns): cells are placed by their order
        width = max(len(cells) for _, _, cells in body_raw)
        if numbers_row is not None:  # every numbered column is a column, whether or not a row fills it
            width = max(width, len(numbers_row[2]))
        place = None
    table = Table(raw[0][0], raw[-1][1], [], [], width, spaced=spaced)
    header_width = max((len(c) for _, _, c in head_raw), default=width)
    stray = _stray_columns(head_raw, body_raw, place, text) if place is not None else set()
    # columns most rows give a figure in ("Ghi chú" at the end is mostly empty and may be cut off)
    figured = {j for j in range(width) if 2 * sum(1 for _, _, c in data_rows if j < len(c) and c[j].is_figure) > len(data_rows)}
    for s, e, cells in body_raw:
        row = Row(_placed(cells, width, place, s, text), s, e, len([c for c in cells if c.text]))
        table.rows.append(row)
        row.short = not spaced and _short(cells, modal, header_width if head_raw else modal, figured)
        last = max((j for j, c in enumerate(cells) if c.text), default=-1)
        if not spaced and head_raw and last >= header_width and _is_data(cells):
            table.misaligned.append(row)  # a cell beyond the header's last column: the row is shifted
        elif s in broken:
            table.misaligned.append(row)
        elif any(row.cells[j].text for j in stray):
            table.misaligned.append(row)
    table.headers = _headers(head_raw, width, place, text)
    if numbers_row is not None:
        table.numbers_at = (numbers_row[0], numbers_row[1])
        cells = _placed(numbers_row[2], width, place, numbers_row[0], text)
        for j, c in enumerate(cells):
            m = COLUMN_NUMBER.match(c.text) if c.text else None
            if m:
                table.column_numbers[j] = (int(m.group(1)), m.group(2))
        _check_numbering(table, cells)
    return table


def _short(cells: list[Cell], usual: int, header_width: int, figured: set[int]) -> bool:
    """A tab or pipe row of figures with fewer cells than the header and than most rows, where most
    rows give a figure in a column it lacks."""
    return len(cells) < min(usual, header_width) and _is_data(cells) \
        and any(j in figured for j in range(len(cells), usual))


def _usual_width(body_raw: list) -> int | None:
    counts = [len(cells) for _, _, cells in body_raw]
    return max(set(counts), key=counts.count) if len(counts) >= 3 else None


def _completes(cells: list[Cell], rest: list[Cell], usual: int) -> bool:
    """Whether `rest` is the end of the row `cells` a page broke ("2 | Xã Kỳ Văn | 1.067" ⏎ "1.054 | 896 |
    158 | 0"): a line that opens with two figures and makes up the table's usual number of cells with it."""
    return len(cells) < usual and len(cells) + len(rest) == usual and len(rest) >= 2 \
        and rest[0].is_figure and rest[1].is_figure


def _broken_pairs(body_raw: list) -> list:
    """Rows a page broke over two lines, each with its end."""
    usual = _usual_width(body_raw)
    return [] if usual is None else [(a, b) for a, b in zip(body_raw, body_raw[1:]) if _completes(a[2], b[2], usual)]


def _rejoined(body_raw: list) -> list:
    """The rows a page broke over two lines, joined again."""
    usual = _usual_width(body_raw)
    if usual is None:
        return body_raw
    out = []
    for row in body_raw:
        if out and out[-1][2] and out[-1][2][-1].text != "" and _completes(out[-1][2], row[2], usual):
            out[-1] = (out[-1][0], row[1], out[-1][2] + row[2])
            continue
        out.append(row)
    return out


def _check_numbering(table: Table, numbers: list[Cell]) -> None:
    """A numbered header names every data column. A formula over it that divides by the column of
    names ("(5)=(4)/(1)" with "(1)" over "Đơn vị") means the numbering does not line up with the rows;
    a row with fewer figures than the numbered columns has lost a cell. Either way the row's figures
    stand under the wrong headings."""
    texts = [sum(1 for r in table.rows if r.cells[j].text and not r.cells[j].is_figure) for j in range(table.width)]
    label = max(range(table.width), key=lambda j: (texts[j], -j)) if any(texts) else -1
    where = {n: j for j, (n, _) in table.column_numbers.items()}
    used = {int(x) for _, formula in table.column_numbers.values() if formula for x in re.findall(r"\d+", formula)}
    shifted = any(where.get(n, label + 1) <= label for n in used)
    numbered = sum(1 for j in table.column_numbers if j > label)
    for row in table.rows:
        figures = sum(1 for j, c in enumerate(row.cells) if j > label and c.is_figure)
        # "-", "x", "không" stand in a column as a figure does: the cell is there, nothing moved
        filled = figures + sum(1 for j, c in enumerate(row.cells) if j > label and c.text and c.is_empty)
        if figures and (shifted or filled < numbered) and row not in table.misaligned:
            row.raw_count = figures
            table.misaligned.append(row)
    if shifted or table.misaligned:
        table.numbered_width = max(numbered, sum(1 for j in table.column_numbers))


def _stray_columns(head_raw, body_raw, place, text: str) -> set[int]:
    """Columns of a space-set table that no heading stands over and that few rows fill: a cell a row
    has too many, which puts its figures under the wrong headings."""
    if not head_raw:
        return set()
    headed = {_column_of(place, _a(c, s), _b(c, s)) for s, _, cells in head_raw for c in cells if c.text}
    data = [(s, cells) for s, _, cells in body_raw if _is_data(cells)]
    out = set()
    for j in range(len(place)):
        filled = sum(1 for s, cells in data if any(c.text and _column_of(place, _a(c, s), _b(c, s)) == j for c in cells))
        # few rows: a column only one of them fills is still that row's own (a short table has no quarter)
        if j not in headed and (filled * 4 <= len(data) or filled == 1 < len(data)):
            out.add(j)
    return out


def _column_of(place: list[tuple[int, int]], a: int, b: int) -> int:
    """The column a cell spanning [a, b) of its line stands in: the one it overlaps most, else the one beside it."""
    overlap, j = max((min(b, e) - max(a, s), j) for j, (s, e) in enumerate(place))
    return j if overlap > 0 else _beside(place, a)


def _one_per_column(rows, place: list[tuple[int, int]]) -> bool:
    """Whether every row puts each of its cells in a column of its own."""
    for s, _, cells in rows:
        cols = [_column_of(place, _a(c, s), _b(c, s)) for c in cells if c.text]
        if len(cols) != len(set(cols)):
            return False
    return True


def _aligned(rows) -> bool:
    """Whether the figures of space-set rows stand in columns: counted from the left (an empty first
    cell included) or from the right, each cell of every row starts (left-aligned) or ends
    (right-aligned) where the same cell of the others does. Rows whose last cells only happen to end
    together ("   Tổng cộng   11   0" over "2   Chứng thực   0   0") do not line up further left."""
    rows = [(s, cells) for s, _, cells in rows if any(c.text for c in cells)]
    if len(rows) < 2:
        return False

    def lined_up(pick) -> bool:
        depth = min(len(cells) for _, cells in rows)
        for k in range(depth):
            found = [(pick(cells, k), s) for s, cells in rows]
            if any(not c.text for c, _ in found):
                continue  # an empty first cell has no place of its own
            starts = [_a(c, s) for c, s in found]
            ends = [_b(c, s) for c, s in found]
            if max(starts) - min(starts) > 1 and max(ends) - min(ends) > 1:
                return False
        return True
    return lined_up(lambda cells, k: cells[k]) or lined_up(lambda cells, k: cells[-1 - k])


def _spaced_columns(text: str, rows) -> tuple[int, list[tuple[int, int]]]:
    """Columns of a space-aligned table: character ranges that the cells of the data rows occupy,
    merged where they overlap."""
    spans: list[tuple[int, int]] = []
    for s, _, cells in rows:
        for c in cells:
            if c.text:
                spans.append((_a(c, s), _b(c, s)))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return len(merged), [(a, b) for a, b in merged]


def _placed(cells: list[Cell], width: int, place, line_start: int, text: str) -> list[Cell]:
    """The row's cells under the table's columns: by position for space-aligned tables, by order otherwise."""
    if place is None:
        out = list(cells[:width])
        while len(out) < width:
            end = out[-1].end if out else line_start
            out.append(Cell("", end, end))
        return out
    out = [Cell("", line_start, line_start) for _ in range(width)]
    for c in cells:
        if not c.text:
            continue
        j = _column_of(place, _a(c, line_start), _b(c, line_start))
        if out[j].text:  # two cells under one column: keep both words
            out[j] = Cell(out[j].text + " " + c.text, out[j].start, c.end)
        else:
            out[j] = c
    return out


def _beside(place: list[tuple[int, int]], a: int) -> int:
    """The column of a cell that overlaps none: the first one ending after the cell starts. Figures
    stand right-aligned under left-aligned headings ("Số hồ sơ tiếp nhận" over "      400"), so a
    heading or a column number starts after the previous column's end and before its own column's."""
    return next((j for j, (_, e) in enumerate(place) if e >= a), len(place) - 1)


def _leaf_words(cells: list[Cell], place, line_start: int, text: str) -> list[Cell]:
    """The bottom heading row of a space-set table, each heading over one column, when the row was set
    in the columns. A heading cell over two or more columns there is headings typed with one space
    between them ("Tiếp nhận Trực tuyến" over two columns of figures): its words go to the columns they
    stand over. (A heading over several columns is a group's, and groups sit in the rows above.)"""
    if not _headings_line_up(cells, place, line_start):
        return cells
    covered = {j for c in cells if c.text for j in _over(place, _a(c, line_start), _b(c, line_start))}
    out: list[Cell] = []
    for c in cells:
        over = _over(place, _a(c, line_start), _b(c, line_start))
        if c.text and not over and _beside(place, _a(c, line_start)) in covered:
            # over a column every row leaves blank ("Quá hạn" with no late dossiers), beside a column that has
            # a heading of its own: the heading of no figure
            continue
        if len(over) < 2:
            out.append(c)
            continue
        groups: list[list[int]] = []  # [column, start, end] of the words over each column
        for m in re.finditer(r"\S+", text[c.start:c.end]):
            ws, we = c.start + m.start(), c.start + m.end()
            j = _column_of(place, ws - line_start, we - line_start)
            if groups and groups[-1][0] == j:
                groups[-1][2] = we
            else:
                groups.append([j, ws, we])
        out += [Cell(text[ws:we], ws, we) for _, ws, we in groups]
    return out


def _over(place, a: int, b: int) -> list[int]:
    """The columns a span [a, b) of its line stands over."""
    return [j for j, (ps, pe) in enumerate(place) if min(b, pe) - max(a, ps) > 0]


def _headings_line_up(cells: list[Cell], place, line_start: int) -> bool:
    """Whether a row's headings were set in the columns, not only apart by gaps (OCR keeps the gaps,
    not the columns): no column under two headings, and most headings over a column of figures."""
    over = [_over(place, _a(c, line_start), _b(c, line_start)) for c in cells if c.text]
    flat = [j for js in over for j in js]
    return len(over) >= 3 and len(flat) == len(set(flat)) and sum(1 for js in over if js) * 3 >= 2 * len(over)


def _spread_right(placed: list[Cell], headed_above: set[int]) -> list[Cell]:
    """A tab or pipe table's group heading over the empty cells after it, up to the next heading."""
    last = None
    spread = []
    for j, c in enumerate(placed):
        if c.text:
            last = c
            spread.append(c)
            continue
        if j in headed_above:
            last = None  # "… Quá hạn | | " under "… | Số hồ sơ đang giải quyết": another group begins
        spread.append(Cell(last.text, c.start, c.end) if last is not None else c)
    return spread


def _spread_over(placed: list[Cell], cells: list[Cell], reach, line_start: int, leaves: dict[int, str]) -> list[Cell]:
    """A space-set table's group heading over the columns under it: those it stands over ("Đang giải
    quyết" over "Tổng số  Trong hạn"; a column reaching as far as its figures and its leaf heading do),
    and the columns right after them that open before the next heading of its row, unless such a
    column names a total: a group's total comes first, so "Tổng số" there opens the next group, whose
    heading centred over it does not reach it (that column stays without a group: unread, not misread)."""
    out = list(placed)
    heads = sorted((c for c in cells if c.text), key=lambda c: c.start)
    for i, c in enumerate(heads):
        a, b = _a(c, line_start), _b(c, line_start)
        stop = _a(heads[i + 1], line_start) if i + 1 < len(heads) else None
        covering = False
        for j, (ps, pe) in enumerate(reach):
            if j not in leaves:
                continue
            if min(b, pe) - max(a, ps) > 0:
                covering = True
            elif not (covering and stop is not None and ps < stop and not _TOTAL_LEAF.match(leaves[j])):
                covering = False
                continue
            if not out[j].text:
                out[j] = Cell(c.text, c.start, c.end)
    return out


def _headers(head_raw, width: int, place, text: str) -> list[Row]:
    """Header rows aligned to the columns. A group heading spans the empty cells after
    it ("Số hồ sơ giải quyết" over "Trước hạn | Đúng hạn | Quá hạn")."""
    out = []
    headed_above: set[int] = set()  # columns where a row above starts a heading of its own
    leaves: dict[int, str] = {}  # columns a space-set table's bottom heading row names, with their words
    reach = place  # how far each column reaches, its leaf heading included
    if place is not None and head_raw:
        s, _, cells = head_raw[-1]
        head_raw = head_raw[:-1] + [(s, head_raw[-1][1], _leaf_words(cells, place, s, text))]
        reach = [list(span) for span in place]
        for c in head_raw[-1][2]:
            if c.text:
                j = _column_of(place, _a(c, s), _b(c, s))
                leaves[j] = (leaves.get(j, "") + " " + c.text).strip()
                reach[j] = [min(reach[j][0], _a(c, s)), max(reach[j][1], _b(c, s))]
    for k, (s, e, cells) in enumerate(head_raw):
        placed = _placed(cells, width, place, s, text)
        own = {j for j, c in enumerate(placed) if c.text}
        if k == len(head_raw) - 1:
            pass  # the bottom row's headings are leaves: an empty cell there merges no heading from above
        elif place is None:
            placed = _spread_right(placed, headed_above)
        else:
            placed = _spread_over(placed, cells, reach, s, leaves)
        headed_above |= own
        out.append(Row(placed, s, e, len([c for c in cells if c.text])))
    return _unwrapped(out) if place is None else out


def _unwrapped(rows: list[Row]) -> list[Row]:
    """Heading rows that are one heading per column wrapped over lines ("| Hồ sơ mới |" over "| tiếp nhận |"):
    every column the lower rows name is named in the top row too, so no heading spans columns; the
    column's words read top to bottom are its one heading."""
    if len(rows) < 2:
        return rows
    top, width = rows[0], len(rows[0].cells)
    named_below = {j for r in rows[1:] for j, c in enumerate(r.cells) if c.text}
    if not named_below or any(j >= width or not top.cells[j].text for j in named_below):
        return rows
    if any(len([c for c in r.cells if c.text]) > r.raw_count for r in rows):
        return rows  # a spanning cell was spread over the columns after it: a group, not a wrap
    cells = []
    for j in range(width):
        parts = [r.cells[j] for r in rows if j < len(r.cells) and r.cells[j].text]
        cells.append(Cell(" ".join(c.text for c in parts), parts[0].start, parts[-1].end) if parts else top.cells[j])
    return [Row(cells, rows[0].start, rows[-1].end, sum(1 for c in cells if c.text))]
