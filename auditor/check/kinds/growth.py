"""growth: a percentage change against the figures it is the change between.

`over: changes`: "tiếp nhận 4.026 hồ sơ, tăng 8,4% so với cùng kỳ năm 2024 (3.714 hồ sơ)" states the
figure now, the earlier figure and the change as a percentage of the earlier one: (4.026 − 3.714) /
3.714 = 8,40%, rounded half up or truncated to the decimals written, and the direction word must
go the way the figures do.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterator, Literal

from .base import Context, Outcome, RuleBase
from .ratio import pct_match

SLOTS = ("now", "before", "stated", "computed", "direction", "where")
PASSED = {"vi": "({now} − {before})/{before} = {computed} → {stated}",
          "en": "({now} − {before})/{before} = {computed} → {stated}"}


class Spec(RuleBase):
    kind: Literal["growth"]
    over: Literal["changes"]


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    for c in ctx.report.rates_of_change:
        diff = c.now.value - c.before.value
        reading, exact = pct_match(abs(diff), c.before.value, c.pct)
        way = diff * c.sign >= 0 or diff == 0
        ok = (reading is not None or _within_rounding(c.now, c.before, c.pct)) and way
        computed = ctx.fmt(Fraction(diff) * 100 / Fraction(c.before.value), max(c.pct.decimals + 3, 3)) + "…%"
        direction = ctx.t("tăng" if diff > 0 else "giảm", "up" if diff > 0 else "down")
        values = {"now": ctx.fmt(c.now.value), "before": ctx.fmt(c.before.value), "stated": ctx.q(c.pct),
                  "computed": computed, "direction": direction, "where": ctx.where(c.scope)}
        tail = f"→ {ctx.q(c.pct)} ✓" if ok else (
            ctx.t(f"là {direction}, không phải như câu nêu", f"is {direction}, not as the sentence says") if not way
            else f"≠ {ctx.q(c.pct)}")
        values["arithmetic"] = f"({values['now']} − {values['before']})/{values['before']} = {computed} {tail}"
        yield Outcome("pass" if ok else "fail", c.start, c.end, values,
                      [c.now.number, c.before.number, c.pct.number], [], values["arithmetic"],
                      sure=c.now.sure and c.before.sure and c.pct.sure, scope=c.scope)


def _within_rounding(now, before, pct) -> bool:
    """"61,84 tỷ đồng, tăng 39,9% so với cùng kỳ (44,22 tỷ đồng)": figures written with decimals were rounded
    too (± half their last place); the change fits when some values they stand for give the rate written,
    rounded or truncated."""
    if not (now.decimals or before.decimals):
        return False
    half = lambda q: Fraction(1, 2 * 10 ** q.decimals) if q.decimals else Fraction(0)  # noqa: E731
    n, b = Fraction(now.value), Fraction(before.value)
    if b - half(before) <= 0:
        return False
    rates = [abs(n + dn - (b + db)) * 100 / (b + db) for dn in (-half(now), half(now)) for db in (-half(before), half(before))]
    u, p = Fraction(1, 10 ** pct.decimals), Fraction(pct.value)
    return min(rates) < p + u and max(rates) >= p - u / 2
