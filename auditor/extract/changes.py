"""A figure stated with its change and the earlier figure it changed from: "Tỷ lệ đạt 97,93%, tăng
0,10% so với năm 2022 (năm 2022: 97,83%)", "82,18% (năm 2021: 90,30%), giảm 8,12%", "xếp thứ 5/63;
so với năm 2020 tăng 39 bậc (tức năm 2020 đứng thứ 44/63)". The three make one sum: the earlier
figure plus (or minus) the change is the figure now. A rank that goes up moves its number down."""
from __future__ import annotations

import re

from ..facts import Breakdown, Quantity, RateOfChange
from .context import Ctx

_REACH = 45  # how far before a change its direction word may stand ("cao hơn năm 2022 là 0,10%")
_NOT_FIGURES = ("date", "year", "docref", "marker", "delta", "noise", "other")


def read_changes(ctx: Ctx) -> None:
    f, lex = ctx.folded, ctx.lex
    totals = {id(r.of) for r in ctx.report.ranks}  # "5/63": 63 is how many were ranked, not a rank
    for d in ctx.qs:
        if d.role != "delta":
            continue
        s0, s1 = ctx.inline.sentence(d.start)
        sign = _direction(ctx, max(s0, d.start - _REACH), d.start)
        if sign == 0:
            continue
        kind = "rank" if lex.rank_steps.match(f, d.end) else "percent" if d.percent else "count"
        # a clause that names its own figure holds the figure now: "…; số hồ sơ đã giải quyết giảm 44 hồ sơ so
        # với quý II (852 hồ sơ)" states none, and the one before the ";" is another's ("14 đơn vị (năm 2022: 7
        # đơn vị; tăng 7 đơn vị)" names nothing after its ";")
        c0 = ctx.inline.clause(d.start)[0]
        named = c0 > s0 and lex.label_regex.search(f, c0, d.start) is not None
        now = _current(ctx, d, kind, c0 if named else s0, totals)
        if now is None and kind == "percent":
            _rate_of_change(ctx, d, sign, c0 if named else s0, s1, totals)
            continue
        if now is None:
            continue
        before = _earlier(ctx, d, now, kind, s0, s1, totals)
        if before is None:
            continue
        if not _in_own_bracket(ctx, before) and now.start < ctx.inline.clause(d.start)[0]:
            continue  # "… 9.876 người; số doanh nghiệp … tăng 137 … so với năm 2023 (1.108)": no figure now in the clause
        step = -sign if kind == "rank" else sign
        start = min(now.start, before.start, d.start)
        end = max(now.end, before.end, d.end)
        ctx.report.breakdowns.append(Breakdown(
            (now,), [(before,), (d,)], "change", True, ctx.scope_at(now.start), start, end,
            total_is_percent=kind == "percent", signs=[1, step]))


def _rate_of_change(ctx: Ctx, d: Quantity, sign: int, s0: int, s1: int, totals: set[int]) -> None:
    """"Tiếp nhận 4.026 hồ sơ, tăng 8,4% so với cùng kỳ năm 2024 (3.714 hồ sơ)": a percentage change after a
    count, with the earlier count bracketed as another period's, is the change over that earlier count."""
    now = _current(ctx, d, "count", s0, totals)
    # the figure now stands in the change's clause, outside brackets ("đạt 3.512,6 tỷ đồng, bằng 104,9% dự toán
    # (3.350,0 tỷ đồng), tăng 10,2% …": the plan in brackets is not the figure now)
    if now is None or now.percent or ctx.inline.aside(now.start) not in (None, ctx.inline.aside(d.start)):
        return
    before = _earlier(ctx, d, now, "count", s0, s1, totals)
    if before is None or before.value == 0:
        return
    if not _in_own_bracket(ctx, before) and (before.start < d.end or now.start < ctx.inline.clause(d.start)[0]):
        return  # a bracket only the words before it call another time's follows the change, in its clause
    ctx.report.rates_of_change.append(RateOfChange(d, now, before, sign, ctx.scope_at(now.start),
                                                   min(now.start, d.start), max(before.end, d.end)))


def _direction(ctx: Ctx, a: int, b: int) -> int:
    """+1 when the last direction word before the change says it went up, -1 down, 0 when none does."""
    f, lex = ctx.folded, ctx.lex
    ups = [m.end() for m in lex.change_up.finditer(f, a, b)]
    downs = [m.end() for m in lex.change_down.finditer(f, a, b)]
    if not ups and not downs:
        return 0
    return 1 if max(ups, default=-1) > max(downs, default=-1) else -1


def _kind(q: Quantity) -> str:
    return "rank" if q.role == "rank" else "percent" if q.percent else "count"


def _in_own_bracket(ctx: Ctx, q: Quantity) -> bool:
    """"(quý II: 8.008 hồ sơ)": the bracket names its period itself."""
    a = ctx.inline.aside(q.start)
    return a is not None and ctx.lex.aside_other_time.match(ctx.folded, a[0] + 1) is not None


def _other_time(ctx: Ctx, q: Quantity) -> bool:
    """A figure in a bracket about another time: "(quý II: 8.008 hồ sơ)", or "so với quý II (8.008 hồ sơ)"
    where the words before the bracket name that time."""
    a = ctx.inline.aside(q.start)
    if a is None:
        return False
    f = ctx.folded
    if ctx.lex.aside_other_time.match(f, a[0] + 1) is not None:
        return True
    m = ctx.lex.compared_with.search(f, max(0, a[0] - 50), a[0])
    if m is None:
        return False
    named = m.group(1)
    return ctx.lex.scope_rx("period").search(named) is not None or ctx.lex.other_time.search(named) is not None


def _current(ctx: Ctx, d: Quantity, kind: str, s0: int, totals: set[int]) -> Quantity | None:
    """The figure the change is of: the nearest one of its kind before it in the sentence, not in a
    bracket about another time."""
    for q in reversed(ctx.between(s0, d.start)):
        if q.role in _NOT_FIGURES or q.approx or _other_time(ctx, q) or id(q) in totals or q.role == "denominator":
            continue  # ("đạt 19,43/22 điểm …, tăng 1,58 điểm": the change is of the score, not of its maximum)
        if _kind(q) == kind and (kind != "count" or not d.unit or q.unit == d.unit) and _same_scale(ctx, q, d):
            return q
        if kind != "rank":
            return None  # another figure stands between: the change may be of that one
    return None


def _same_scale(ctx: Ctx, a: Quantity, b: Quantity) -> bool:
    """Amounts of money written at one scale: "9.290.000 đồng, tăng 1,84 triệu đồng … (7.449.000 đồng)" sets a figure
    in millions beside figures in đồng, which no sum of the figures as written relates."""
    if a.unit != "money" and b.unit != "money":
        return True
    scale = ctx.lex.scale
    ma, mb = scale.match(ctx.folded, a.end), scale.match(ctx.folded, b.end)
    return (ma.lastgroup if ma else None) == (mb.lastgroup if mb else None)


def _earlier(ctx: Ctx, d: Quantity, now: Quantity, kind: str, s0: int, s1: int, totals: set[int]) -> Quantity | None:
    """The earlier figure: in a bracket about another time, in the same sentence, of the same kind."""
    found = [q for q in ctx.between(s0, s1) if q is not now and q.role not in _NOT_FIGURES
             and _other_time(ctx, q) and _kind(q) == kind and id(q) not in totals
             # "87,45 điểm … (quý II: 5/9)": a fraction or a figure of another unit is no earlier score
             and (q.role in ("numerator", "denominator")) == (now.role in ("numerator", "denominator"))
             and q.role != "denominator"  # "(năm 2023: 17,85/22 điểm)": the score then, not its maximum
             and (q.unit is None or now.unit is None or q.unit == now.unit) and _same_scale(ctx, q, d)]
    # "… tăng 38 so với tháng 4 (356) và tăng 93 so với cùng kỳ năm 2024 (301)": the bracket right after a change's
    # own "so với …" is its earlier figure, before any other
    ids = {id(q) for q in found}
    # (a change of another kind between does not end it: "tăng 312 hồ sơ (+8,4%) so với … (3.714 hồ sơ)")
    nxt = next((q for q in ctx.between(d.end, s1) if q.role == "delta" and _kind(q) == kind or id(q) in ids), None) \
        if found else None
    if nxt is not None and id(nxt) in ids and not _in_own_bracket(ctx, nxt):
        # only of the same unit as the figure now ("86,45 triệu đồng, tăng 445 giao dịch … (987 giao dịch)")
        return nxt if now.unit == nxt.unit else None
    # a bracket that only the words before it say is of another time belongs to the change it follows
    # (… nor one after a list opens: "3.574 hồ sơ (tăng 304 so với cùng kỳ), gồm: thường trú 842 (cùng kỳ 905)" gives
    # an item's earlier figure)
    found = [q for q in found if _in_own_bracket(ctx, q)
             and ctx.lex.parts_follow.search(ctx.folded, max(now.end, d.end), q.start) is None]
    return min(found, key=lambda q: abs(q.start - d.start)) if len(found) >= 1 else None
