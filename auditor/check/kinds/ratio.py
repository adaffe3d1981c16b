"""ratio: a stated percentage against the figures it is a share of.

Each share comes from extraction with the bases its wording allows, most likely first (see
facts.Share.bases): a base the text states ("a/b", "trên tổng số N") or names ("… % số đã giải
quyết") is the only one tried, and a mismatch is an error when every figure is sure. A base taken
from the text's shape or from the lexicon's usual base is tried with the others the wording
allows; the check passes when one fits (and says which), and a mismatch is only a warning. With no
base at all, nothing is checked: "no stated total fits" is never a failure on its own.

A stated percentage holds when the exact ratio, rounded half up or truncated to the decimals
written, gives it; a scaled figure ("5 nghìn") brings its tolerance. A stated 100% holds only for
a count equal to its base.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Iterator, Literal

from ...facts import Quantity, Share
from ...findings import Related
from .base import Context, Outcome, RuleBase
from .sum import interval

SLOTS = ("numerator", "denominator", "stated", "computed", "base", "reading", "where")
PASSED = {"vi": "{numerator}/{denominator} = {computed} → {stated} ({reading})",
          "en": "{numerator}/{denominator} = {computed} → {stated} ({reading})"}
_SURE_BASES = ("stated", "named", "breakdown")


class Spec(RuleBase):
    kind: Literal["ratio"]
    over: Literal["shares"]
    via: list[str]  # which shares: fraction, linked, after, of_total, rate, table


def _round_half_up(x: Fraction, d: int) -> Fraction:
    scale = 10 ** d
    return Fraction(floor(x * scale + Fraction(1, 2)), scale)


def _truncate(x: Fraction, d: int) -> Fraction:
    scale = 10 ** d
    return Fraction(floor(x * scale), scale)


def pct_match(num: Decimal, den: Decimal, stated: Quantity) -> tuple[str | None, Fraction]:
    """Which reading of the stated percentage the exact ratio gives: 'round', 'trunc', or None."""
    exact = Fraction(num) * 100 / Fraction(den)
    target = Fraction(stated.value)
    if target == 100 and num != den:
        return None, exact
    if _round_half_up(exact, stated.decimals) == target:
        return "round", exact
    if _truncate(exact, stated.decimals) == target:
        return "trunc", exact
    return None, exact


def fits(num: Quantity, den: Quantity, stated: Quantity) -> tuple[str | None, Fraction]:
    """pct_match, widened by the tolerance of scaled figures."""
    how, exact = pct_match(num.value, den.value, stated)
    if how or not (num.tolerance or den.tolerance) or Fraction(stated.value) == 100:
        return how, exact
    n_lo, n_hi = map(Fraction, interval(num))
    d_lo, d_hi = map(Fraction, interval(den))
    if d_lo <= 0:
        return None, exact
    lo, hi = n_lo * 100 / d_hi, n_hi * 100 / d_lo
    u = Fraction(1, 10 ** stated.decimals)
    p = Fraction(stated.value)
    return ("round" if lo < p + u and hi >= p - u / 2 else None), exact


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    for s in ctx.report.shares:
        if s.via not in rule.via:
            continue
        if s.comparison:
            if s.numerator is not None and not s.bases and s.pct.role == "quantity" and not s.pct.approx:
                # "thu ngân sách 3,2 tỷ đồng, bằng 105% kế hoạch": the plan it is measured against is not stated
                yield Outcome("skip", min(s.numerator.start, s.pct.start), max(s.numerator.end, s.pct.end), {},
                              [s.numerator.number, s.pct.number], scope=s.scope,
                              reason=ctx.t("tỷ lệ so với kế hoạch hay kỳ khác mà báo cáo không nêu số",
                                           "a percentage of a plan or another period whose figure the report does not state"))
            continue
        num = s.numerator if s.numerator is not None else _derived(s, ctx, s.numerator_key)
        # money only as a written fraction ("giải ngân 45,2/60 tỷ đồng, đạt 75,33%"): both figures in one
        # unit; "trên 80%" is a threshold, not a share
        money_fraction = num is not None and num.unit == "money" and s.via == "fraction" and bool(s.bases) \
            and all(b.unit == "money" for b, _ in s.bases)
        if num is None and s.numerator_key and not s.pct.approx and s.pct.role == "quantity" and (s.bases or s.base_keys):
            # "Đã giải quyết: 441 hồ sơ, 100% đúng hạn" with no count of those on time: a rate not checked, said so
            yield Outcome("skip", s.pct.start, s.pct.end, {}, [s.pct.number], scope=s.scope,
                          reason=ctx.t(f"báo cáo không nêu {ctx.name(s.numerator_key)} để tính tỷ lệ này",
                                       f"the report does not state {ctx.name(s.numerator_key)} to compute this rate from"))
            continue
        if num is None or num.unit == "money" and not money_fraction or s.pct.role != "quantity" or s.pct.approx:
            continue
        bases = s.bases
        if bases and not any(h in ("stated", "named") for _, h in bases):
            bases = bases + _usual_derived(s, ctx, num, bases)
        if not bases:
            base = _derived(s, ctx, s.base_keys[0]) if s.base_keys and (s.base_named or s.numerator is None) else None
            if base is None:
                if s.base_named and s.base_keys and not s.base_keys[0].startswith("*"):
                    # "cấp xã có 70 hồ sơ quá hạn, chiếm 0,81% số hồ sơ đã giải quyết" with no such figure for the level
                    name = ctx.name(s.base_keys[0])
                    yield Outcome("skip", min(num.start, s.pct.start), max(num.end, s.pct.end), {}, [num.number, s.pct.number],
                                  scope=s.scope, reason=ctx.t(f"báo cáo không nêu {name} của phạm vi này để làm mẫu số",
                                                              f"the report does not state {name} for this scope to divide by"))
                continue
            bases = [(base, "derived" if base.role == "derived" else "key")]
        yield _share(s, ctx, num, bases)


def reversed_pair(s: Share) -> bool:
    """"(tiếp nhận/giải quyết đúng hạn): 612/598 hồ sơ (97,7%)": a pair written in the order a legend
    set, whose percentage is its second figure over its first; no part over its whole."""
    num, den = s.numerator, s.denominator
    return s.via == "fraction" and num is not None and den is not None and num.value > den.value > 0 \
        and fits(den, num, s.pct)[0] is not None


def _derived(s: Share, ctx: Context, key: str | None) -> Quantity | None:
    """A figure the words name but the scope leaves unstated, computed from its parts before the rules
    ("43,6% so với tổng số hồ sơ được tiếp nhận mới": online + in person; "tỷ lệ trước và đúng hạn
    98%": early + on time); a check on it only warns."""
    sf = ctx.scopes.get(s.scope.id) if key else None
    if sf is None:
        return None
    fa = sf.first(key)
    return fa.q if fa is not None else None


def _usual_derived(s: Share, ctx: Context, num: Quantity, bases: list) -> list:
    """The numerator's usual base, left unstated but computed from its parts ("trong đó trực tuyến 585 (chiếm
    71,78%), trực tiếp 230, kỳ trước chuyển sang 22": the online ones' share of the new ones, 585 + 230), as one
    more base to try after those the shape gives."""
    key = ctx.key_of(num)
    usual = ctx.bases.get(key) if key else None
    got = _derived(s, ctx, usual) if usual else None
    if got is None or got.role != "derived" or any(b.value == got.value for b, _ in bases):
        return []
    return [(got, "derived")]


def _wider(s: Share, ctx: Context) -> list:
    """The named base as the scopes around the share's state it, nearest first."""
    out, scope = [], s.scope.parent
    key = s.base_keys[0] if s.base_keys and not s.base_keys[0].startswith("*") else None
    while key and scope is not None:
        sf = ctx.scopes.get(scope.id)
        fa = sf.first(key) if sf is not None else None
        if fa is not None:
            out.append((fa.q, "wider"))
        scope = scope.parent
    return out


def _counted_with(ctx: Context, s: Share, num: Quantity, tried: list) -> Outcome | None:
    """The rate read as counting the figures beside its numerator too ("Tỷ lệ đúng hạn" of early and on
    time): a pass when that reading fits; otherwise the first reading's failure stands."""
    parts = (num, *s.numerator_with)
    total = sum((q.value for q in parts), Decimal(0))
    both = Quantity(total, 0, "", min(q.start for q in parts), max(q.end for q in parts), unit=num.unit, role="derived")
    base = tried[0][0]
    reading, exact = fits(both, base, s.pct)
    if not reading:
        return None
    shown = "(" + " + ".join(ctx.fmt(q.value) for q in parts) + ")"
    values = _values(ctx, both, base, s.pct, reading, exact, tried[0][1], shown)
    numbers = [q.number for q in parts] + [base.number, s.pct.number]
    related = [Related(values["base"], base.start, base.end)] + [Related(ctx.t("cùng tính", "counted with"), q.start, q.end)
                                                               for q in s.numerator_with]
    return Outcome("pass", min(num.start, s.pct.start), max(num.end, s.pct.end), values, numbers, related,
                   values["arithmetic"], scope=s.scope)


def _share(s: Share, ctx: Context, num: Quantity, bases: list) -> Outcome:
    pct = s.pct
    tried = []
    # a table's row gives its base by its columns, so a base equal to the count is still that base
    own_total = s.via != "table"
    if own_total and all(b.value == num.value and h != "stated" for b, h in bases) and pct.value != 100:
        # "Lĩnh vực Đất đai … 4.832 hồ sơ (65,64% tổng số hồ sơ tiếp nhận)": the field's own total is the
        # figure itself; the words name the total of the scope around it
        bases = list(bases) + _wider(s, ctx)
    for i, (base, how) in enumerate(bases):
        if base.value == 0 or base is num and s.via != "table" or own_total and base.value == num.value and pct.value != 100 and how != "stated":
            continue
        if num.unit and base.unit and num.unit != base.unit:
            continue  # "57 phản ánh … (48,31% số đã xử lý)": the petitions handled, not the dossiers resolved
        if how != "stated" and base.value < num.value and pct.value < 100:
            continue  # a share under 100% of a figure smaller than its count: that figure is not what the words meant
        reading, exact = fits(num, base, pct)
        tried.append((base, how, reading, exact))
        if reading:
            break
        if how == "stated" or how == "named" and not any(h == "named" for _, h in bases[i + 1:]):
            break  # a base the words name is the base; only another reading of the same words is tried
    if not tried:
        if any(b.value for b, _ in bases):
            return Outcome("skip", num.start, pct.end, {}, [num.number, pct.number], scope=s.scope,
                           reason=ctx.t("không tìm được mẫu số lớn hơn tử số mà lời văn nêu",
                                        "no base the words name is larger than the count"))
        return Outcome("skip", num.start, pct.end, {}, [num.number, pct.number], scope=s.scope,
                       reason=ctx.t("không có mẫu số khác 0", "no non-zero base"))
    if not tried[-1][2] and s.numerator_with:
        counted = _counted_with(ctx, s, num, tried)
        if counted is not None:
            return counted
    if not tried[-1][2] and all(h == "wider_key" for _, h, _, _ in tried):
        return Outcome("skip", min(num.start, pct.start), max(num.end, pct.end), {}, [num.number, pct.number],
                       scope=s.scope, reason=ctx.t(
                           "báo cáo không nêu mẫu số thường dùng của tỷ lệ này; tổng lớn hơn mà báo cáo nêu còn gồm phần "
                           "khác (như hồ sơ kỳ trước chuyển sang), nên không biết tỷ lệ tính trên số nào",
                           "the report does not state this rate's usual base; the larger total it states holds other "
                           "parts too (such as the dossiers carried over), so which base the rate is of is not known"))
    base, how, reading, exact = tried[-1] if tried[-1][2] else tried[0]
    values = _values(ctx, num, base, pct, reading, exact, how)
    start = min(num.start, pct.start)
    end = max(num.end, pct.end, base.end if how == "stated" and s.via in ("fraction", "of_total") else 0)
    related = [] if how == "stated" and s.via == "fraction" else [Related(values["base"], base.start, base.end)]
    if num.start > pct.end or num.end < pct.start - 200:
        related.insert(0, Related(ctx.t("tử số", "numerator"), num.start, num.end))
    numbers = [num.number, base.number, pct.number]
    if reading:
        return Outcome("pass", start, end, values, numbers, related, values["arithmetic"], scope=s.scope)
    sure = how in _SURE_BASES and not s.base_unread and num.sure and num.role != "derived" and base.sure and pct.sure and s.via in ("fraction", "of_total", "linked", "after", "table")
    reason = ""
    if how == "stated" and reversed_pair(s):
        # "(tiếp nhận/giải quyết đúng hạn): 612/598 hồ sơ (97,7%)": the pair in the order a legend set, the
        # rate of its second figure over its first
        return Outcome("skip", start, end, values, numbers, related, values["arithmetic"], scope=s.scope,
                       reason=ctx.t(f"{ctx.q(pct)} khớp {ctx.fmt(base.value)}/{ctx.fmt(num.value)}: cặp số có thể ghi theo "
                                    "thứ tự khác (số sau trên số trước)",
                                    f"{ctx.q(pct)} fits {ctx.fmt(base.value)}/{ctx.fmt(num.value)}: the pair may be written "
                                    "the other way round (the second figure over the first)"))
    if sure and Fraction(pct.value) == 100 and pct.decimals and _round_half_up(exact, pct.decimals) == 100:
        # "100,0% (28.421/28.422)": a rate written with decimals, rounded as written; a bare "100%" claims all
        sure = False
        reason = ctx.t(f"làm tròn thì đúng là {ctx.q(pct)}, nhưng vẫn còn {ctx.fmt(base.value - num.value)} chưa đạt; "
                       "nên ghi tỷ lệ chính xác hơn",
                       f"rounded, it is {ctx.q(pct)} indeed, but {ctx.fmt(base.value - num.value)} are still short of it; "
                       "a more exact rate would say so")
    if sure and _complement(s, base, exact, ctx):
        sure = False
        reason = ctx.t("tỷ lệ này bằng 100% trừ các tỷ lệ khác của cùng tổng, nên chênh một đơn vị có thể do làm tròn",
                       "this share is 100% minus the other shares of the same total, so a one-unit gap may come from rounding")
    return Outcome("fail", start, end, values, numbers, related, values["arithmetic"], sure=sure, scope=s.scope,
                   reason=reason)


def _complement(s: Share, base: Quantity, exact: Fraction, ctx: Context) -> bool:
    """A share written as 100% minus the others of its base ("81,69%" and "18,31%"), one unit off."""
    unit = Fraction(1, 10 ** s.pct.decimals)
    if abs(_round_half_up(exact, s.pct.decimals) - Fraction(s.pct.value)) > unit:
        return False
    others = [o.pct.value for o in ctx.report.shares if o is not s and o.bases and o.bases[0][0] is base]
    return bool(others) and s.pct.value + sum(others) == 100


def _values(ctx: Context, num: Quantity, base: Quantity, pct: Quantity, reading, exact: Fraction, how: str,
            numerator: str = "") -> dict[str, str]:
    d = pct.decimals
    numerator = numerator or ctx.fmt(num.value)
    computed = ctx.fmt(exact, max(d + 3, 3)) + "…%"
    if reading == "round":
        tail = ctx.t(f"→ {ctx.q(pct)} (làm tròn) ✓", f"→ {ctx.q(pct)} (rounded) ✓")
    elif reading == "trunc":
        tail = ctx.t(f"→ {ctx.q(pct)} (cắt bớt) ✓", f"→ {ctx.q(pct)} (truncated) ✓")
    elif Fraction(pct.value) == 100 and num.value < base.value:
        tail = ctx.t(f"< 100%: {ctx.fmt(num.value)} < {ctx.fmt(base.value)}, nên không thể ghi {ctx.q(pct)}",
                     f"< 100%: {ctx.fmt(num.value)} < {ctx.fmt(base.value)}, so it cannot be {ctx.q(pct)}")
    else:
        tail = f"→ {ctx.fmt(_round_half_up(exact, d), d)}% ≠ {ctx.q(pct)}"
    base_name = {"stated": ctx.t("mẫu số", "base"), "named": ctx.t("mẫu số báo cáo nêu", "the base the report names"),
                 "breakdown": ctx.t("tổng mà số này là một phần", "the total this figure is part of"),
                 "breakdown_far": ctx.t("tổng nêu ở vế câu trước", "the total in the clause before"),
                 "key": ctx.t("mẫu số thường dùng", "the usual base"),
                 "wider_key": ctx.t("tổng mà mẫu số thường dùng là một phần", "the total the usual base is part of"),
                 "derived": ctx.t("mẫu số tính từ các phần đã nêu", "the base computed from the parts stated"),
                 "wider": ctx.t("tổng của cả đơn vị báo cáo nêu", "the total the report states for the whole")}[how]
    return {"numerator": numerator, "denominator": ctx.fmt(base.value), "stated": ctx.q(pct),
            "computed": computed, "base": base_name,
            "reading": ctx.t("làm tròn", "rounded") if reading == "round" else ctx.t("cắt bớt", "truncated") if reading else "",
            "arithmetic": f"{numerator}/{ctx.fmt(base.value)} = {computed} {tail}", "where": ""}
