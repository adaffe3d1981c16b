"""Every number of the report as a Quantity: its value as written, its unit, and what kind of number it is.

Dates, document numbers, years, ranks and OCR debris are told apart from the figures that can be
added up; a figure written with a scale word ("3,2 nghìn hồ sơ") is scaled with the tolerance its
rounding implies; one written after "gần", "hơn", "khoảng", "trên" is marked approximate; one after
"tăng", "giảm" is a change, not a level.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..facts import DateMention, Quantity, RankClaim
from ..parse.numbers import parse_number, scan
from .context import Ctx

# figures are sums of counts and amounts in đồng: 24 characters ("999.999.999.999.999.999,99") is far
# beyond any of them and well inside the 28 digits decimal arithmetic keeps exact
_LONGEST_FIGURE = 24
_SLASH_DIGIT = re.compile(r"/\s*\d")  # "12/" with no digit after is a document number
_DOCREF_SLASHES = re.compile(r"/\s*\d{1,5}\s*/")  # so is "5/12/" ("05/2024/NĐ-CP")
_FRACTION_SLASH = re.compile(r"\s?/\s?")
_SIGNED_IN_BRACKET = re.compile(r"\(\s*[+\-–−]\s*$")
_BRACKET_AFTER = re.compile(r"[ \t]*(?:[a-z]+[ \t]*){0,2}\([ \t]*")  # "357 hồ sơ (" before a change's rate
_RANK_NUMBERS = re.compile(r"[\s:]*(\d{1,3})(?:\s*/\s*(\d{1,3}))?\b")


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


_CODE_LIST_GAP = re.compile(r"\s*(?:,|và|va|-|–)\s*")
_CELL_GAP = re.compile(r"\t| {2,}|\n")
_BEFORE = 100  # the words about a figure stand this close before it ...
_AFTER = 40  # ... and after it


def _windows(raws) -> list[tuple[int, int]]:
    """The stretches of text near figures, merged: the lexicon's figure patterns are searched only
    there, so a long text with few figures costs little."""
    out: list[tuple[int, int]] = []
    for r in raws:
        a, b = max(0, r.start - _BEFORE), r.end + _AFTER
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _near(rx: re.Pattern, f: str, windows: list[tuple[int, int]]):
    for a, b in windows:
        yield from rx.finditer(f, a, b)


def read_figures(ctx: Ctx) -> None:
    lex, text, f = ctx.lex, ctx.text, ctx.folded
    mark = ctx.report.decimal_mark
    raws = scan(text)
    near = _windows(raws)
    # a word in one table cell says nothing of the figure in the next ("Cộng 4 cơ quan nêu trên<TAB>4.229")
    approx_at = {m.end(): _direction(lex, m.group(0)) for m in _near(lex.approximate_before, f, near)
                 if not _CELL_GAP.search(m.group(0))}
    exact_at = {m.end() for m in _near(lex.exact_before, f, near)}
    ctx.set_figures([_quantity(ctx, r, mark, r.start in exact_at) for r in raws])
    qs = ctx.qs
    _dates(ctx, near)
    for m in _near(lex.reference, f, near):
        ctx.mark(m.start("num"), m.end("num"), "docref")
    for m in _near(lex.identifier, f, near):
        for q in ctx.between(m.start(), m.end()):
            q.role = "other"
    for m in _near(lex.band, f, near):
        for g in range(1, (m.lastindex or 0) + 1):
            q = ctx.at(m.start(g)) if m.start(g) >= 0 else None
            if q is not None and q.percent:
                q.role = "other"  # "từ 41% đến 100%": the band of those counted, no share
    _ranks(ctx, near)
    for rx in lex.ocr_noise:
        for m in _near(rx, f, near):
            q = ctx.at(m.start(1))
            if q and not q.percent:
                q.role = "noise"
    for m in _near(lex.not_count, f, near):
        q = ctx.at(m.start(m.lastindex)) if m.lastindex else None  # the one group of the pattern that matched
        if q and not q.percent:
            q.role = "other"  # "từ 7 giờ 30 đến 11 giờ 30": an hour of the day, never added up; a footnote's mark
    not_quantity_at = {m.end() for m in _near(lex.not_quantity_before, f, near) if not _inside_a_name(text, m.start())}
    delta_at = {m.end() for m in _near(lex.delta_before, f, near)}
    average_at = {m.end() for m in _near(lex.average_before, f, near)}
    singled_at = {m.end() for m in _near(lex.singled_out_before, f, near)}
    for i, q in enumerate(qs):
        if q.start in approx_at and q.start not in exact_at:
            q.approx = approx_at[q.start]
        if q.role != "quantity":
            continue
        if len(q.raw) > _LONGEST_FIGURE or _not_grouped_as_counts(q.raw, mark):
            q.role = "other"  # an identifier, a phone number or OCR debris, never a count
            continue
        slash_after = text[q.end:q.end + 1] == "/"
        if (slash_after and ((not q.percent and not _SLASH_DIGIT.match(text, q.end, q.end + 3))
                            or _DOCREF_SLASHES.match(text, q.end, q.end + 12))) \
                or (text[q.start - 1:q.start] == "/" and i and qs[i - 1].role in ("docref", "date")):
            q.role = "docref"
        elif not q.percent and q.decimals == 0 and 1990 <= q.value <= 2100 and text[q.start - 1:q.start] == "/" \
                and i and qs[i - 1].role == "other" and qs[i - 1].end == q.start - 1:
            q.role = "year"  # "tháng 7/2024": the year of a month
        elif not q.percent and (q.start in not_quantity_at or i and qs[i - 1].role == "other"
                                and _CODE_LIST_GAP.fullmatch(f, qs[i - 1].end, q.start)):
            q.role = "other"  # "mức độ 3, 4", "Nghị định 61 và 107": the codes of a list of codes
        elif q.start in average_at:
            q.role = "average"  # "bình quân mỗi năm 218,0 TTHC": no count of its own to add or compare
        elif q.start in singled_at:
            q.role = "other"  # "… nhiều nhất với 577 hồ sơ": one unit's figure, the text seldom says which scope
        elif q.start in delta_at or lex.delta_after.match(f, q.end) or _SIGNED_IN_BRACKET.search(text, max(0, q.start - 3), q.start) \
                or q.percent and i and qs[i - 1].role == "delta" and _BRACKET_AFTER.fullmatch(f, qs[i - 1].end, q.start):
            q.role = "delta"  # … and "tăng 312 hồ sơ (+8,4%)", "tăng 357 hồ sơ (18,4%)": the change's rate in brackets
        elif not q.percent and q.decimals == 0 and 1990 <= q.value <= 2100 and q.unit is None \
                and lex.year_before.search(f, max(0, q.start - 12), q.start):
            q.role = "year"
    _fractions(ctx)
    _ranges(ctx)


def _not_grouped_as_counts(raw: str, mark: str) -> bool:
    """"0233.3871.234", "000.00.12": a leading zero before a group mark, or thousands groups that are not of
    three digits, write a phone number or a code, not a count ("1.298.845", "1 .298 .845" are counts)."""
    group = "," if mark == "." else "."
    if group not in raw or raw[0] != "0" and raw.count(group) < 2:
        return False  # most figures: no group mark, or one group after a figure that does not open with a zero
    parts = re.split(r"\s*" + re.escape(group) + r"\s*", raw.split(mark)[0] if mark in raw else raw)
    if len(parts) < 2:
        return False
    return parts[0].startswith("0") and len(parts[0]) > 1 or len(parts) > 2 and any(len(p) != 3 for p in parts[1:])


def _ranges(ctx: Ctx) -> None:
    """"từ 01 đến 03 ngày làm việc": the first end of a range takes the unit written after the last."""
    for a, b in zip(ctx.qs, ctx.qs[1:]):
        if a.unit is None and b.unit is not None and a.percent == b.percent and a.role == b.role == "quantity":
            m = ctx.lex.range_to.match(ctx.folded, a.end)
            if m is not None and m.end() == b.start:
                a.unit = b.unit


_WORD_BEFORE = re.compile(r"(\w+) $")
_WORD_AT = re.compile(r"\w+")
_OPENS_A_SENTENCE = re.compile(r"(?:^|\n|[.:;(])[ \t+\-–*•·]*$")


def _inside_a_name(text: str, pos: int) -> bool:
    """"xã Chiến Thắng 6 việc": a capitalised word right after another capitalised one is part of a name,
    not the "tháng" of a month (folded, the two are one word); "Tháng 6" opening a sentence still is."""
    word = _WORD_AT.match(text, pos)
    if word is None or not word.group().istitle():
        return False  # "tháng 6"; and a heading in capitals ("QUYẾT ĐỊNH SỐ 2114") capitalises every word
    m = _WORD_BEFORE.search(text, max(0, pos - 30), pos)
    if m is None or not m.group(1).istitle():
        return False
    # "+ Qua Tổng đài 1022": a word capitalised only because it opens its line or sentence names nothing
    return _OPENS_A_SENTENCE.search(text, max(0, m.start() - 8), m.start()) is None


def _direction(lex, words: str) -> str:
    """Which way a headline figure leans from the true one: "hơn 2.600" is below it, "gần 3.000" above."""
    words = words.split()
    if lex.approx_above.fullmatch(" ".join(words)):
        return "above"
    if lex.approx_below.fullmatch(" ".join(words)):
        return "below"
    return "about"


def _quantity(ctx: Ctx, r, mark: str, exact: bool) -> Quantity:
    lex, f = ctx.lex, ctx.folded
    end = r.end
    scale = 1
    sm = None if r.percent else lex.scale.match(f, end)
    if _on_the_next_row(sm, ctx.text, r.start):
        sm = None  # "Đang giai quyet  650  620  1.270⏎Ty 1¢ dung han": the next row's "Tỷ lệ", no billions
    if sm:
        scale = lex.scale_of[sm.lastgroup]
    um = lex.any_unit.match(f, sm.end() if sm else end)
    if um is None and not sm and (wm := _WRITTEN_OUT.match(f, end)):
        um = lex.any_unit.match(f, wm.end())  # "03 (ba) phản ánh": the number written out, then its unit
    if _on_the_next_row(um, ctx.text, r.start):
        um = None  # "Ấp Mỹ Thạnh    215    2,99⏎Ấp Mỹ Phú …": the next row's name, no unit of the row's last cell
    unit = lex.unit_of_group[um.lastgroup] if um else None
    if sm and unit is None and scale >= 1000 and lex.scale_money.match(f, sm.end()):
        unit = "money"
    money = unit == "money"
    value, decimals = parse_number(r.raw, mark, prefer_decimal=r.percent or money or bool(sm))
    q = Quantity(value, decimals, r.raw, r.start, r.end, r.percent, None if r.percent else unit)
    if r.rejoined:
        q.reading = "rejoined"
        q.raw = ctx.text[r.start:r.end]  # as written ("7. 846"); its value read joined
    if sm and not money:
        # "3,2 nghìn hồ sơ": 3.200, rounded to the last place written (± 50)
        q.value = value * scale
        q.tolerance = Decimal(scale) / 2 / (Decimal(10) ** decimals)
        q.reading = "scaled"
        q.end = sm.end()
        q.raw = ctx.text[r.start:sm.end()]
        if exact:
            q.tolerance = Decimal(0)  # "tròn 5 nghìn": exactly
    return q


def _on_the_next_row(m: re.Match | None, text: str, start: int) -> bool:
    """Whether words matched after the figure at `start` open the next line while the figure ends a table's row of
    figures: another figure and a cell gap (a tab, two spaces) before it on its line, in the text as written (the
    folded text has no tabs). ("Số hồ sơ đã giải quyết:⇥1,330" is one figure after its label, no row of cells.)"""
    if m is None or "\n" not in m.group(0)[:len(m.group(0)) - len(m.group(0).lstrip())]:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_start += len(text[line_start:start]) - len(text[line_start:start].lstrip())  # not the line's indent
    before = text[line_start:start]
    return _CELL_GAP.search(before) is not None and any(ch.isdigit() for ch in before)


def _dates(ctx: Ctx, near: list[tuple[int, int]]) -> None:
    lex, text, f = ctx.lex, ctx.text, ctx.folded
    dates: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken[-4:])

    for rx, parts in ((lex.date_long, (1, 2, 3)), (lex.date_short, (1, 2, 3))):
        for m in _near(rx, f, near):
            if not free(m.start(), m.end()) and rx is lex.date_short:
                continue
            ctx.mark(m.start(), m.end(), "date")
            dates.append(DateMention(_int(m.group(parts[0])), _int(m.group(parts[1])), _int(m.group(parts[2])),
                                     m.start(), m.end(), text[m.start():m.end()]))
            taken.append((m.start(), m.end()))
        taken.sort()
    # "ngày 21/5", "từ 01/7 đến 14/7/2025", "24/7": a day and month ("tháng 4/2020" is read with fractions)
    for m in _near(lex.date_partial, f, near):
        spans = [m.span(g) for g in ("d", "d2", "d3", "d4", "d5", "d6") if m.groupdict().get(g)]  # "(07/7 - 11/7)": two
        for a, b in spans + _listed_days(ctx, max(b for _, b in spans)):
            if not any(d.start <= a < d.end for d in dates):
                ctx.mark(a, b, "date")
    dates.sort(key=lambda d: d.start)
    ctx.report.dates = dates


_DAY_MONTH = re.compile(r"(?:[0-2]?\d|3[01])\s?/\s?(?:0?[1-9]|1[0-2])(?![\d/])")


def _listed_days(ctx: Ctx, end: int) -> list[tuple[int, int]]:
    """"một số ngày (08/8, 22/8)", "các ngày 03/9, 10/9 và 17/9": the days listed after a day read as one."""
    out = []
    while (nxt := _DAY_MONTH.search(ctx.folded, end, end + 12)) is not None and ctx.folded[end:nxt.start()].strip() \
            and ctx.lex.item_join.fullmatch(ctx.folded, end, nxt.start()):
        out.append(nxt.span())
        end = nxt.end()
    return out


def _ranks(ctx: Ctx, near: list[tuple[int, int]]) -> None:
    f = ctx.folded
    for m in _near(ctx.lex.rank, f, near):
        mm = _RANK_NUMBERS.match(f, m.end())
        if not mm:
            continue
        r = ctx.at(mm.start(1))
        if r is None:
            continue
        r.role = "rank"
        if mm.group(2):
            o = ctx.at(mm.start(2))
            if o is not None:
                o.role = "rank"
                ctx.report.ranks.append(RankClaim(r, o, m.start(), mm.end()))


def _fractions(ctx: Ctx) -> None:
    """"a/b": two figures joined by a slash; "tháng 7/2024" is a date."""
    text, qs = ctx.text, ctx.qs
    for a, b in zip(qs, qs[1:]):
        if b.start - a.end > 3 or a.role != "quantity" or b.role != "quantity":
            continue
        gap = text[a.end:b.start]
        if not a.percent and _FRACTION_SLASH.fullmatch(gap):
            if a.value <= 12 and 1990 <= b.value <= 2100 and a.decimals == b.decimals == 0 and gap == "/":
                a.role = b.role = "date"
                continue
            if _day_of_month(ctx, a, b):
                a.role = b.role = "date"  # "Thứ 7 (20/9)", "(16-17/9)": a day of a month written without its year
                continue
            if _two_years(a, b):
                a.role = b.role = "year"  # "Tỷ lệ % (2025/2024)": this year's figure over last year's
                continue
            if _among_pairs(text, a, b) and _legend_over(ctx, a.start):
                a.role = b.role = "respective"  # "Quý này / Quý trước" over "365 / 327": one figure, two periods
                continue
            a.role, b.role = "numerator", "denominator"
            a.unit = b.unit
            # only a count above its base needs the reading; "28/28 nhiệm vụ … theo Kế hoạch" is a part of its whole
            b.target = a.value > b.value and (ctx.lex.target_after.match(ctx.folded, b.end) is not None
                                              or _compares_periods(ctx, a) or _quotient(ctx, a) or _set_against(ctx, a))


def _day_of_month(ctx: Ctx, a: Quantity, b: Quantity) -> bool:
    """"Thứ 7 (20/9)", "T6 (19/9)", "(16-17/9)": a day and a month, no year, no unit after them. A part above its
    whole ("20/9") is no fraction anyway; a pair in brackets or after a weekday or a day's span is a date."""
    if a.decimals or b.decimals or not (1 <= a.value <= 31 and 1 <= b.value <= 12) or b.unit is not None:
        return False
    f = ctx.folded
    if ctx.lex.any_unit.match(f, b.end):
        return False  # "3/5 xã", "12/10 hồ sơ": a count of a whole
    return a.value > b.value or ctx.lex.day_before.search(f, max(0, a.start - 12), a.start) is not None


def _two_years(a: Quantity, b: Quantity) -> bool:
    """Two years written as four plain digits, a few years apart: counts of that size are written "2.025"."""
    return all(len(q.raw) == 4 and q.raw.isdigit() and 1990 <= q.value <= 2100 for q in (a, b)) and abs(a.value - b.value) <= 10


def _among_pairs(text: str, a: Quantity, b: Quantity) -> bool:
    """A pair as a legend's rows hold them: alone at its line's end (or with its unit), or listed on one line
    with others ("Hộ tịch 114/112, Chứng thực 86/83, …")."""
    end = text.find("\n", b.end)
    return len(text[b.end:end if end >= 0 else len(text)].split()) <= 2 or _ANOTHER_PAIR.match(text, b.end) is not None \
        or _PAIR_BEFORE.search(text, max(0, a.start - 40), a.start) is not None


def _legend_over(ctx: Ctx, pos: int) -> bool:
    """Whether a legend ("Quý này / Quý trước", "(tiếp nhận / đã giải quyết)") stands before a pair on its line
    (OCR joins the legend line to the first row) or heads the run of "a / b" lines the pair stands in."""
    f = ctx.folded
    start, end = f.rfind("\n", 0, pos) + 1, pos
    for _ in range(_LEGEND_REACH):
        if f.find("/", start, end) >= 0 and any(_names_two_things(ctx, m) for m in _WORD_SLASH.finditer(f, start, end)):
            return True
        if start == 0 or end < pos and not _PAIR.search(f, start, end):
            return False  # the lines above are no more rows of pairs
        end = start - 1
        start = f.rfind("\n", 0, end) + 1
    return False


def _names_two_things(ctx: Ctx, m: re.Match) -> bool:
    """"… quy nay / quy truoc …": words ending in a period, a slash, words opening with another; or two figures
    ("(tiếp nhận / đã giải quyết / đang giải quyết):" over "356 / 351 / 04": three figures, no fraction)."""
    before, after = m.group(1).split(), m.group(2).split()
    for rx in (ctx.lex.legend_period, ctx.lex.label_regex):
        if any(rx.fullmatch(" ".join(before[-k:])) for k in range(1, len(before) + 1)) \
                and any(rx.fullmatch(" ".join(after[:k])) for k in range(1, len(after) + 1)):
            return True
    # "(TN/GQ)": two abbreviations in capitals, as a hurried legend writes the figures' names
    a, b = m.end(1) - len(before[-1]), m.start(2) + len(after[0])
    return _ABBREVIATION.fullmatch(ctx.text, a, m.end(1)) is not None and _ABBREVIATION.fullmatch(ctx.text, m.start(2), b) is not None


# pairs listed on one line under a legend: "Hộ tịch 114/112, Chứng thực 86/83, Đất đai 18/16"
_ANOTHER_PAIR = re.compile(r"\s*[,;]\s*[^\d\n]{1,40}\d[\d.]*\s*/\s*\d")
_PAIR_BEFORE = re.compile(r"\d\s*/\s*[\d.]*\d\s*[,;][^\d\n]{1,40}$")
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,4}")
_WORD_SLASH = re.compile(r"([a-z]+(?: [a-z]+){0,2}) ?/ ?([a-z]+(?: [a-z]+){0,2})")
_LEGEND_REACH = 40  # rows of pairs under one legend (a district's communes)
_PAIR = re.compile(r"\d\s*/\s*\d")


_COMPARED_REACH = 40  # "bằng 123,9% cùng kỳ năm 2023 (216.203/…)": the percentage stands this close before


def _figure_before_bracket(ctx: Ctx, a: Quantity, skipped: tuple[str, ...] = ()) -> Quantity | None:
    """The figure a bracket opening right before `a` follows ("62,5% (5.312/…"), past figures of the roles
    `skipped` ("… cùng kỳ năm 2023 (…")."""
    i = ctx.index(a) - 1
    while i >= 0 and ctx.qs[i].role in skipped:
        i -= 1
    p = ctx.qs[i] if i >= 0 else None
    if p is None or a.start - p.end > _COMPARED_REACH or "(" not in ctx.text[p.end:a.start]:
        return None
    return p


def _compares_periods(ctx: Ctx, a: Quantity) -> bool:
    """A fraction in brackets after a change or a comparison ("tăng 62,5% (5.312/3.269)", "bằng 123,9% cùng
    kỳ năm 2023 (216.203/174.498)"): now over then, which may pass 100%, not a part over its whole."""
    p = _figure_before_bracket(ctx, a, ("year", "date", "other", "docref"))
    if p is None or not p.percent:
        return False
    f = ctx.folded
    return p.role == "delta" or ctx.lex.comparison_after.match(f, p.end) is not None \
        or ctx.lex.comparison_before.search(f, max(0, p.start - _COMPARED_REACH), p.start) is not None


def _set_against(ctx: Ctx, a: Quantity) -> bool:
    """"so với chỉ tiêu năm: 1.016.764/974.000 tài khoản": a fraction after words that set it against a plan,
    a target or another period, in its own clause, is an outcome over its aim, which may pass 100%."""
    f = ctx.folded
    start = max(0, a.start - _COMPARED_REACH)
    start = max(start, f.rfind(";", start, a.start) + 1, f.rfind("\n", start, a.start) + 1, f.rfind(". ", start, a.start) + 1)
    if ctx.lex.comparison_before.search(f, start, a.start) is not None:
        return True
    # … or after it, with the percentage it makes: "đạt 5.115/4.500 doanh nghiệp, bằng 113,7% kế hoạch"
    end = min(len(f), a.end + 2 * _COMPARED_REACH)
    end = min(x for x in (f.find(";", a.end, end), f.find("\n", a.end, end), f.find(". ", a.end, end), end) if x >= 0)
    pct = f.find("%", a.end, end)
    return pct >= 0 and ctx.lex.comparison_before.search(f, pct, end) is not None


def _quotient(ctx: Ctx, a: Quantity) -> bool:
    """"bình quân 25,6 hồ sơ/ngày (1.589/62)": a fraction in brackets right after the average it works out,
    a quotient, not a part of a whole."""
    p = _figure_before_bracket(ctx, a)
    return p is not None and not p.percent and p.decimals > 0


_LINE_BREAK = re.compile(r"[.,]? *\n *")


# a word of digits and OCR's look-alikes of them ("l3", "2O"), ending its line
_OCR_DIGITS_END = re.compile(r"(?<![^\W\d_])(?=[\dlIO]*\d)(?=[\dlIO]*[lIO])[\dlIO]+[ \t]*\n")


def mark_broken(ctx: Ctx) -> None:
    """A figure that ends a line when the next line opens with digits ("đang giải quyết 44⏎5 hồ sơ"): a
    converted or scanned page may have broken one figure in two, so neither reading is sure."""
    text, qs = ctx.text, ctx.qs
    for a, b in zip(qs, qs[1:]):
        if a.reading != "clean" or b.role in ("marker", "docref", "date") \
                or not _LINE_BREAK.fullmatch(text, a.end, b.start):
            continue
        line_start = text.rfind("\n", 0, a.start) + 1
        line_end = text.find("\n", b.end)
        node_a, node_b = ctx.node_at(a.start), ctx.node_at(b.start)
        if "\t" in text[line_start:line_end if line_end >= 0 else len(text)] \
                or any(n is not None and n.kind == "table" for n in (node_a, node_b)):
            continue  # a table's rows: the last cell of one, the first of the next
        a.reading = "broken"
        if b.reading == "clean":
            b.reading = "broken"
    for a, b in zip(qs, qs[1:]):
        # "tiếp nhận 2 441 hồ sơ" in a text that groups thousands with dots: OCR's space for the dot, or two
        # figures ("14 998" for "là 998"); neither reading is sure. (A run of figures is a table's row.)
        if a.reading == "clean" and b.reading == "clean" and not a.percent and _SPACED_PAIR.fullmatch(text, a.start, b.end) \
                and not _FIGURE_AROUND.search(text, max(0, a.start - 3), a.start) and not _FIGURE_AFTER.match(text, b.end):
            a.reading = b.reading = "broken"
    for b in qs:
        # "… là l3⏎5' thủ tục": the line before ends with OCR's digits ("l" for 1, "O" for 0) that were
        # read as no figure
        line_start = text.rfind("\n", 0, b.start) + 1
        if b.reading == "clean" and line_start > 0 and not text[line_start:b.start].strip() \
                and _OCR_DIGITS_END.search(text, max(0, line_start - 12), line_start) \
                and not any(n is not None and n.kind == "table" for n in (ctx.node_at(b.start),)):
            b.reading = "broken"


_WRITTEN_OUT = re.compile(r"\s*\([a-z ]{2,20}\)")
_SPACED_PAIR = re.compile(r"\d{1,3} \d{3}%?")
_FIGURE_AROUND = re.compile(r"\d[.,]?\s+$")
_FIGURE_AFTER = re.compile(r"\s+\d")
_PAGE_NUMBER_LINE = re.compile(r"[^\S\n]*\d{1,3}[^\S\n]*\n")


def mark_page_numbers(ctx: Ctx) -> None:
    """A number alone on its line in the middle of a sentence ("… 33 phản ánh⏎4⏎về hành vi …"): a page
    number that a scan or a conversion left inside the text, no figure of the sentence around it."""
    text = ctx.text
    for q in ctx.qs:
        if q.role != "quantity" or q.percent or q.decimals:
            continue
        line_start = text.rfind("\n", 0, q.start) + 1
        next_line = text.find("\n", q.end) + 1
        if line_start == 0 or next_line == 0 or not _PAGE_NUMBER_LINE.fullmatch(text, line_start, next_line):
            continue
        before = text[line_start - 2:line_start - 1]
        after = text[next_line:next_line + 2].lstrip()
        if before.isalpha() and after[:1].islower():
            q.role = "noise"


def inherit_units(ctx: Ctx) -> None:
    """"Tiếp nhận 12 phản ánh, kiến nghị; đã giải quyết 10, đang giải quyết 02": a bare count takes the
    unit of the sentence's count before it when that counts something other than dossiers
    (figures.subject_units), unless the words between name dossiers again. So does a bare count right
    after the words that name what it counts ("Tổng số phản ánh, kiến nghị … là 06"), and a bare count
    in the sub-items of a line whose counts are all of one such unit ("… 41 phản ánh, kiến nghị. Cụ thể:"
    over "+ Cấp tỉnh: tiếp nhận 21")."""
    lex, f = ctx.lex, ctx.folded
    dossiers = dict(lex.units).get("dossiers")

    def names_dossiers(a: int, b: int) -> bool:
        # "05 phản ánh (01 về thời gian giải quyết hồ sơ); đã xử lý xong 04": a bracket's topic names no count
        for m in dossiers.finditer(f, a, b) if dossiers is not None else ():
            aside = ctx.inline.aside(m.start())
            if aside is None or aside[1] >= b:
                return True
        return False
    last: tuple[int, str, int, Quantity] | None = None  # the sentence, the unit, where its count ends, the count
    leads: dict[int, str | None] = {}
    for q in ctx.qs:
        if q.percent or q.role not in ("quantity", "numerator", "denominator"):
            continue
        node = ctx.node_at(q.start)
        if node is None or node.kind == "table":
            continue
        sentence = ctx.inline.sentence(q.start)[0]
        if q.unit is None and (last is None or last[0] != sentence):
            q.unit = _named_before(ctx, q, sentence, names_dossiers) or _colon_lead_unit(ctx, q, sentence, names_dossiers) \
                or _lead_unit(ctx, node, q, leads, names_dossiers) or _of_the_count_before(ctx, q, last, names_dossiers)
            if q.unit is not None and q.unit not in lex.subject_units:
                q.unit = None
        elif q.unit is None:
            # "…; số TTHC có hồ sơ quá hạn: 01; số TTHC giải quyết trước hạn toàn bộ hồ sơ: 41": each clause's own lead
            clause = max(sentence, ctx.folded.rfind(";", sentence, q.start) + 1)
            named = _named_before(ctx, q, clause, names_dossiers)
            q.unit = named if named in lex.subject_units else None
        if q.unit is not None:
            last = (sentence, q.unit, q.end, q)
        elif last is not None and last[0] == sentence and last[1] in lex.subject_units \
                and not names_dossiers(last[2], q.start):
            q.unit = last[1]


def _of_the_count_before(ctx: Ctx, q: Quantity, last, names_dossiers) -> str | None:
    """"Tiếp nhận 26 phản ánh, kiến nghị …. Đã xử lý 24/26, đạt 92,31%": a bare fraction over the count the sentence
    before gave, in the same block, counts what that count counts."""
    if last is None or q.role != "numerator" or last[1] not in ctx.lex.subject_units:
        return None
    of = ctx.next_figure(q)
    if of is None or of.role != "denominator" or of.value != last[3].value or names_dossiers(last[2], q.start):
        return None
    node = ctx.node_at(q.start)
    return last[1] if node is not None and node is ctx.node_at(last[3].start) else None


_NAMED_REACH = 120  # "Tổng số phản ánh, kiến nghị phải xử lý trong kỳ là 06": the words stand this close


def _named_before(ctx: Ctx, q: Quantity, sentence: int, names_dossiers) -> str | None:
    lo = max(sentence, q.start - _NAMED_REACH)
    found = None
    for m in ctx.lex.subject_count.finditer(ctx.folded, lo, q.start):
        found = m
    if found is None or any(x.role in ("quantity", "numerator") and not x.percent for x in ctx.between(found.end(), q.start)):
        return None
    # "số TTHC có hồ sơ quá hạn: 01": dossiers named inside a lead that counts procedures say which procedures
    if names_dossiers(found.end(), q.start) and not ctx.folded[found.end():q.start].rstrip().endswith(":"):
        return None
    return found.lastgroup


def _colon_lead_unit(ctx: Ctx, q: Quantity, sentence: int, names_dossiers) -> str | None:
    """"Phản ánh, kiến nghị: 8 (đã xử lý 4)", "PAKN: nhận 3, đã xử lý 3": a lead before a colon naming what
    the sentence counts (figures.subject_units) gives the bare counts after it that unit."""
    f = ctx.folded
    colon = f.rfind(":", sentence, q.start)
    if colon < 0:
        return None
    lead_start = max(sentence, f.rfind("\n", 0, colon) + 1, colon - _NAMED_REACH)
    unit = next((name for m in ctx.lex.any_unit.finditer(f, lead_start, colon)
                 if (name := ctx.lex.unit_of_group[m.lastgroup]) in ctx.lex.subject_units
                 and (m.start() == 0 or not f[m.start() - 1].isalnum())), None)
    if unit is None or names_dossiers(lead_start, q.start) \
            or any(x.role in ("quantity", "numerator") for x in ctx.between(lead_start, colon)):
        return None
    return unit


def _lead_unit(ctx: Ctx, node, q: Quantity, leads: dict, names_dossiers) -> str | None:
    if node.kind != "item" or names_dossiers(node.body_start, q.start):
        return None
    if "lead_of" not in leads:
        leads["lead_of"] = _leads_of_items(ctx.tree)
    lead = leads["lead_of"].get(id(node))
    if lead is None:
        return None
    if id(lead) not in leads:
        end = lead.children[0].start if lead.children and lead.children[0].start < lead.end else lead.end
        units = {x.unit for x in ctx.between(lead.body_start, end)
                 if x.role in ("quantity", "numerator") and not x.percent}
        leads[id(lead)] = units.pop() if len(units) == 1 and not names_dossiers(lead.body_start, end) else None
    return leads[id(lead)]


def _leads_of_items(tree) -> dict:
    """The line each sub-item hangs from: the item it is under (a heading's lines under its title count
    too: "II. PHẢN ÁNH, KIẾN NGHỊ⏎Toàn tỉnh tiếp nhận 41 …"), or the paragraph its run of items of one
    style follows. One pass over the tree."""
    out: dict = {}
    for parent in tree.walk():
        run_lead, run_style = None, None
        for child in parent.children:
            if child.kind != "item":
                run_lead, run_style = (child if child.kind == "paragraph" else None), None
                continue
            if parent.kind == "item":
                out[id(child)] = parent
                continue
            if run_style is not None and child.style != run_style:
                run_lead = None  # a run of another style: not the paragraph's list any more
            run_style = child.style
            if run_lead is not None:
                out[id(child)] = run_lead
    return out


def mark_respective(ctx: Ctx) -> None:
    """"Số hồ sơ theo quý lần lượt là 1.012, 1.104, 1.125 và 1.167": figures given in turn for several
    things are none of them the figure their words name (a quarter's is not the year's)."""
    f = ctx.folded
    for m in ctx.lex.respectively.finditer(f):
        end = min(ctx.inline.clause(m.end())[1], ctx.inline.sentence(m.end())[1])
        run = [q for q in ctx.between(m.end(), end) if q.role in ("quantity", "numerator")]
        if len(run) >= 2:
            for q in run:
                q.role = "respective"
