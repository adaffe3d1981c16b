"""sum: parts against their total.

`over: breakdowns` checks the totals the text states by its shape ("N, trong đó a, b", sub-items of
"…:", "a và b (tổng cộng N)", a table's total row, percentages of one base that must make 100%),
filtered by `shapes`. `over: scopes` checks an identity between fact keys in every scope
("received = received.new + carried_over"), with terms the report does not state taken as zero
where the rule allows it (`optional`). `over: rates` checks that the rates of the parts of such an
identity, stated together ("trước hạn 90,2%, đúng hạn 9,1%, quá hạn 0,7%"), make 100%.

Tolerance comes from the figures as written: a scaled figure ("3,2 nghìn") stands for ± half its
last place; a percentage for its rounding or truncation.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Iterable, Iterator, Literal

from pydantic import Field, model_validator

from ..expr import ExprError, parse_expr, signed_terms
from ...facts import Breakdown, Fact, Quantity
from ...lexicon import default_lexicon
from ...source.normalize import fold
from ...findings import Related
from .base import Context, Outcome, RuleBase, ScopeFacts, leaves, numbers_of_fact

SLOTS = ("total", "parts", "sum", "difference", "names", "assumed", "where", "column")
PASSED = {"vi": "{parts} = {sum} = {total}", "en": "{parts} = {sum} = {total}"}
# shapes whose words say the parts make the whole; the others ("trong đó", a bracket) may name only some
_COMPLETE_SHAPES = ("children", "total_after", "table_column", "table_row", "table_subrows", "table_formula",
                    "table_change", "shares")


class Spec(RuleBase):
    kind: Literal["sum"]
    over: Literal["breakdowns", "scopes", "rates", "reports"]
    shapes: list[str] = []  # over breakdowns: the shapes this rule checks
    keys_: list[str] = Field(default=[], alias="keys")  # over reports: the figures a district sums from its communes
    total: str | None = None  # over scopes: the total's key
    parts: str | None = None  # over scopes: "received.new + carried_over"
    optional: list[str] = []  # terms taken as zero when the scope does not state them
    unless: list[str] = []  # the rule does not apply where one of these keys is stated
    derive: bool = False  # compute the total where the scope states only the parts

    @model_validator(mode="after")
    def _fields(self) -> "Spec":
        if self.over in ("scopes", "rates"):
            if not self.total or not self.parts:
                raise ValueError(f"luật sum over: {self.over} cần 'total' và 'parts'")
            try:
                terms = signed_terms(parse_expr(self.parts))
            except ExprError as exc:
                raise ValueError(str(exc)) from None
            unknown = [o for o in self.optional if o not in {n for _, n in terms}]
            if unknown:
                raise ValueError(f"'optional' nêu khóa không có trong parts: {', '.join(unknown)}")
        elif self.over == "breakdowns" and not self.shapes:
            raise ValueError("luật sum over: breakdowns cần 'shapes'")
        elif self.over == "reports" and not self.keys_:
            raise ValueError("luật sum over: reports cần 'keys'")
        return self

    def terms(self) -> tuple[tuple[int, str], ...]:
        return _terms_of(self.parts or "")

    def keys(self) -> list[str]:
        if self.over == "reports":
            return list(self.keys_)
        if self.over in ("scopes", "rates"):
            return [self.total] + [k for _, k in self.terms()] + self.optional + self.unless
        return []


# -------------------------------------------------------------------- interval arithmetic


_HALF_STEPS = [Decimal(5).scaleb(-d - 1) for d in range(12)]
_STEPS = [Decimal(1).scaleb(-d) for d in range(12)]


@lru_cache(maxsize=256)
def _terms_of(parts: str) -> tuple[tuple[int, str], ...]:
    """The signed keys of a rule's parts ("online + direct"), parsed once per expression."""
    return tuple(signed_terms(parse_expr(parts)))


def interval(q: Quantity, as_share: bool = False) -> tuple[Decimal, Decimal]:
    """The values a figure as written stands for: a scaled count ± its tolerance; a share that may
    have been rounded or truncated to the decimals written. Exact in Decimal: every bound has no more
    decimals than the figure plus one (Fractions here were a tenth of a large report's time)."""
    v = q.value
    if as_share:
        d = min(q.decimals, len(_STEPS) - 1)
        return v - _HALF_STEPS[d], v + _STEPS[d]
    t = q.tolerance
    return (v - t, v + t) if t else (v, v)


def _last_place(q: Quantity) -> Decimal:
    """One step of the last place of an amount written with decimals (no share, no scaled count)."""
    if q.percent or not q.decimals or q.tolerance:
        return Decimal(0)
    return _STEPS[min(q.decimals, len(_STEPS) - 1)]


def _sum(items: list[tuple[int, Quantity]], as_share: bool) -> tuple[Decimal, Decimal, Decimal]:
    lo = hi = Decimal(0)
    exact = Decimal(0)
    for sign, q in items:
        a, b = interval(q, as_share)
        lo, hi = (lo + a, hi + b) if sign > 0 else (lo - b, hi - a)
        exact += sign * q.value
    return lo, hi, exact


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    if rule.over == "reports":
        return  # run over the --db store after a batch (auditor/across/checks.py)
    if rule.over == "breakdowns":
        for bd in ctx.report.breakdowns:
            if bd.how in rule.shapes and bd.parts:
                yield from _breakdown(bd, ctx)
    elif rule.over == "rates":
        yield from _rates(rule, ctx)
    else:
        yield from _identities(rule, ctx)


def _breakdown(bd: Breakdown, ctx: Context) -> Iterator[Outcome]:
    for pos in range(len(bd.total)):
        if any(len(p) <= pos for p in bd.parts):
            continue  # a part stated with fewer figures than its total: no pairing of them is said
        total = bd.total[pos]
        signs = bd.signs or [1] * len(bd.parts)
        parts = [(s, p[pos]) for s, p in zip(signs, bd.parts)]
        if len(parts) < 2:
            continue
        lo, hi, exact = _sum(parts, bd.total_is_percent)
        target = (Decimal(100), Decimal(100)) if bd.total_is_percent and not total.percent else interval(total)
        if bd.total_is_percent and total.percent:
            # a rate now against the rate before and its change: each rounded or truncated as written
            target = interval(total, True) if bd.how == "change" else (total.value, total.value)
        shown_total = Decimal(100) if bd.total_is_percent and not total.percent else total.value
        # a truncated share stands for less than its next step: shares that must make 100% reach it only below `hi`
        reach = target[0] < hi if bd.total_is_percent and not total.percent else target[0] <= hi
        ok = lo <= target[1] and reach or bd.how == "change" and _relative_change(total, parts)
        values = _values(ctx, [p for _, p in parts], signs, exact, shown_total, bd.total_is_percent, pos, len(bd.total))
        values["names"] = ", ".join(n for n in bd.names if n)
        values["column"] = ctx.t(f" ở cột “{bd.column}”", f" in the column “{bd.column}”") if bd.column else ""
        numbers = ([100] if bd.total_is_percent and not total.percent else [total.number]) + [p.number for _, p in parts]
        related = [Related(bd.names[i] if i < len(bd.names) and bd.names[i] else ctx.t(f"phần {i + 1}", f"part {i + 1}"),
                           p.start, p.end) for i, (_, p) in enumerate(parts[:12])]
        start, end = (parts[0][1].start, parts[-1][1].end) if bd.total_is_percent and not total.percent else (total.start, total.end)
        sure = all(q.sure for _, q in parts) and total.sure
        if ok:
            yield Outcome("pass", start, end, values, numbers, related, values["arithmetic"], scope=bd.scope)
        elif bd.how not in _COMPLETE_SHAPES and not bd.complete and exact < total.value:
            if bd.word:
                reason = ctx.t("các phần nêu sau “{w}” chưa đủ tổng ({a}); báo cáo có thể chỉ nêu một số phần",
                               "the parts after “{w}” fall short of the total ({a}); the report may name only some of them")
            else:
                reason = ctx.t("các phần nêu trong ngoặc chưa đủ tổng ({a}); báo cáo có thể chỉ nêu một số phần",
                               "the parts in brackets fall short of the total ({a}); the report may name only some of them")
            yield Outcome("skip", start, end, values, numbers, related, values["arithmetic"], scope=bd.scope,
                          reason=reason.format(w=bd.word, a=values["arithmetic"]))
        else:
            explicit = bd.complete or bd.how in _COMPLETE_SHAPES or (exact > total.value and bd.how != "stated_sum")
            # rows well short of a total the text gave before the table may list only some parts
            short = exact < total.value * (1 - _MISSING_ROWS)
            # amounts rounded to the places written ("2,99 | 1,64 | … | 15,24" triệu đồng): a money column's total is often
            # rounded from the unrounded sum, so a sum that misses by one step of the last place is no sure fault (an
            # index's published total is its components' sum: a larger miss stays an error)
            step = Decimal(0) if bd.total_is_percent else max(_last_place(q) for q in [total] + [q for _, q in parts])
            within_rounding = step > 0 and abs(exact - total.value) <= step
            yield Outcome("fail", start, end, values, numbers, related, values["arithmetic"],
                          sure=sure and explicit and not within_rounding and not (bd.gaps and exact < total.value)
                          and not (short and bd.how == "table_column" and _restated(ctx, total)), scope=bd.scope)


_MISSING_ROWS = Decimal("0.05")  # a shortfall above this share of the total: a part may be missing, not miscounted


def _restated(ctx: Context, total: Quantity) -> bool:
    """Whether a table's total row restates a total the text gave before the table: its rows may
    list only some of the parts (a shortfall is then not sure to be a mistake)."""
    table = next((t for t in ctx.report.tables if t.start <= total.start < t.end), None)
    if table is None:
        return False
    return any(q.value == total.value and q.role == "quantity" and not q.percent and q.start < table.start
               for q in ctx.report.quantities)


def _relative_change(now: Quantity, parts: list[tuple[int, Quantity]]) -> bool:
    """"82,5% … tăng 1,2% so với năm trước" may mean 1,2 per cent of the earlier rate, not points."""
    (_, before), (sign, change) = parts
    if not (now.percent and change.percent):
        return False
    lo, hi = map(Fraction, interval(now, True))
    value = Fraction(before.value) * (1 + sign * Fraction(change.value) / 100)
    slack = Fraction(1, 10 ** max(before.decimals, change.decimals))
    return lo - slack <= value <= hi + slack


def _values(ctx: Context, parts: list[Quantity], signs: list[int], exact: Decimal, total: Decimal, shares: bool,
            pos: int, width: int) -> dict[str, str]:
    pct = "%" if shares else ""
    shown = []
    for i, (s, p) in enumerate(zip(signs, parts)):
        text = ctx.fmt(p.value, p.decimals if shares else None) + pct
        shown.append(text if i == 0 and s > 0 else (f"+ {text}" if s > 0 else f"− {text}"))
    if shown and shown[0].startswith("+ "):
        shown[0] = shown[0][2:]
    parts_text = " ".join(shown)
    diff = total - exact
    what = "" if width == 1 else ctx.t(" (tử số)" if pos == 0 else " (mẫu số)", " (numerators)" if pos == 0 else " (denominators)")
    sign = "=" if diff == 0 else "≠"
    arithmetic = f"{parts_text} = {ctx.fmt(exact)}{pct} {sign} {ctx.fmt(total)}{pct}{what}"
    return {"total": ctx.fmt(total) + pct, "parts": parts_text, "sum": ctx.fmt(exact) + pct,
            "difference": ctx.fmt(abs(diff)) + pct, "arithmetic": arithmetic, "assumed": "", "where": ""}


# -------------------------------------------------------------------- identities between keys


def derive(rules: list[Spec], scopes: Iterable[ScopeFacts]) -> None:
    """Totals a scope leaves unstated (received = new + carried over), computed once, before any rule,
    as facts that remember what they were computed from."""
    scopes = list(scopes)
    changed = True
    while changed:
        changed = False
        for rule in rules:
            if rule.over != "scopes" or not rule.derive:
                continue
            terms = rule.terms()
            for sf in scopes:
                if sf.stated_own(rule.total) or rule.total in sf.derived:
                    continue
                found = [(s, sf.first(k)) for s, k in terms]
                if any(f is None and k not in rule.optional for (_, k), (_, f) in zip(terms, found)):
                    continue
                found = [(s, f) for s, f in found if f is not None]
                if len({f.label_at == "column" for _, f in found}) > 1:
                    continue  # a total pieced from the text and a table at once says nothing sure
                if len(found) < 2:
                    continue  # a total is not derived from a single figure
                value = sum((s * f.q.value for s, f in found), Decimal(0))
                anchor = found[0][1].q
                q = Quantity(value, 0, "", anchor.start, anchor.end, unit=anchor.unit, role="derived")
                sf.derive(rule.total, Fact(rule.total, q, sf.scope, "position", (), tuple(f for _, f in found)))
                changed = True


def _identities(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    """Each scope's identity, then the same within the text alone and within the table alone where a
    scope has both; one set of figures is checked once."""
    for sf in ctx.scopes.values():
        found = _identity_in(rule, ctx, sf)
        sides = ctx.by_source.get(sf.scope.id, ())
        if found is not None:
            yield found[1]
        if not sides:
            continue
        seen = [found[0]] if found is not None else []
        said = {_same_sum(found)} if found is not None else set()
        for side in sides:
            got = _identity_in(rule, ctx, side)
            if got is None or _same_sum(got) in said or any(got[0] <= other for other in seen):
                continue  # the whole scope's check already used these figures, or these parts for an equal total
            seen.append(got[0])
            said.add(_same_sum(got))
            if got[1].status == "fail":
                _restated_elsewhere(got[1], got[2], sf, ctx)
            yield got[1]


def _same_sum(found: tuple) -> tuple:
    figures, out, operands = found
    return out.status, tuple(sorted(out.numbers)), frozenset(id(x.q) for _, f in operands[1:] for x in leaves(f))


def _restated_elsewhere(out: Outcome, operands: list[tuple[int, Fact]], sf: ScopeFacts, ctx: Context) -> None:
    """A table row that adds up with the text's figure in place of its own: the repeat check reports the
    difference, as an error; this one only says which of the two the arithmetic backs."""
    gap = sum((s * f.q.value for s, f in operands), Decimal(0))
    for sign, fa in operands:
        if fa.derived:
            continue
        for other in sf.stated.get(fa.key, []):
            if (other.label_at == "column") != (fa.label_at == "column") and other.q.role not in ("denominator", "zero") \
                    and gap - sign * fa.q.value + sign * other.q.value == 0:
                out.sure = False
                out.reason = ctx.t(f"với {ctx.q(other.q)} như phần lời văn thì khớp",
                                   f"with {ctx.q(other.q)} as the text states it, it adds up")
                out.related.append(Related(ctx.t("phần lời văn", "the text"), other.q.start, other.q.end))
                return


def _identity_in(rule: Spec, ctx: Context, sf: ScopeFacts) -> tuple[frozenset[int], Outcome, list] | None:
    lhs = sf.first(rule.total)
    if lhs is None or any(sf.stated_own(k) for k in rule.unless):
        return None
    present = [(s, k, sf.first_like(k, lhs)) for s, k in rule.terms()]
    assumed: list[str] = []
    missing: list[str] = []
    for _, k, f in present:
        if f is None:
            # a term the scope states under words that do not say which figure it is is missing, not zero
            zero = k in rule.optional and (sf.scope.id, k) not in ctx.report.unread
            (assumed if zero else missing).append(k)
    present = [(s, k, f) for s, k, f in present if f is not None]
    if not present or all(k in rule.optional for _, k, _ in present):
        return None
    stated = [f for _, _, f in present if not f.derived]
    if lhs.derived and (not stated or {id(x) for x in lhs.derived_from} >= {id(f) for _, _, f in present}):
        return None  # the total was computed from these very parts
    if len(present) < 2 and assumed and not _pieced(present[0][2]):
        return None  # one part against the total with the rest taken as zero says little
    figures = frozenset(id(x.q) for f in [lhs] + [f for _, _, f in present] for x in leaves(f))
    operands = [(-1, lhs)] + [(s, f) for s, _, f in present]
    if missing:
        return None if lhs.derived else (figures, _missing(rule, ctx, sf, lhs, present, missing), operands)
    return figures, _identity(rule, ctx, sf, lhs, present, assumed), operands


def _pieced(part: Fact) -> bool:
    """A part the scope states as pieces ("trước hạn 300, đúng hạn 200" for the resolved in time)."""
    return len(part.derived_from) >= 2 and not any(p.derived_from for p in part.derived_from)


def _missing(rule: Spec, ctx: Context, sf, lhs: Fact, present, missing: list[str]) -> Outcome:
    names = ", ".join(ctx.name(k) for k in missing)
    nums = numbers_of_fact(lhs) + [n for _, _, f in present for n in numbers_of_fact(f)]
    return Outcome("skip", lhs.q.start, lhs.q.end, {}, nums, scope=sf.scope,
                   reason=ctx.t(f"báo cáo không nêu {names}", f"the report does not state {names}"))


def _identity(rule: Spec, ctx: Context, sf, lhs: Fact, present, assumed: list[str]) -> Outcome:
    parts = [(s, f.q) for s, _, f in present]
    lo, hi, exact = _sum(parts, False)
    t_lo, t_hi = interval(lhs.q)
    ok = lo <= t_hi and t_lo <= hi
    shown = [(s, f) for s, _, f in present]
    if len(present) == 1 and _pieced(present[0][2]) and \
            present[0][2].q.value == sum((p.q.value for p in present[0][2].derived_from), Decimal(0)):
        shown = [(present[0][0], p) for p in present[0][2].derived_from]  # "80 + 25 = 105", not "105 = 105"
    anchor = lhs if not lhs.derived else next(f for _, _, f in present if not f.derived)
    related = [Related(ctx.name(f.key), f.q.start, f.q.end) for _, f in shown if f.q is not anchor.q and not f.derived]
    if lhs.derived:
        related += [Related(ctx.name(p.key), p.q.start, p.q.end) for p in lhs.derived_from if p.q is not anchor.q]
    numbers = numbers_of_fact(lhs) + [n for _, _, f in present for n in numbers_of_fact(f)]
    explain = (_identity_values, ctx, shown, present, assumed, exact, lhs.q.value)
    if ok:
        return Outcome("pass", anchor.q.start, anchor.q.end, {}, numbers, related, scope=sf.scope, explain=explain)
    values = _identity_values(*explain[1:])
    operands = [lhs] + [f for _, _, f in present]
    sure = all(f.sure and not f.derived for f in operands) and (not assumed or exact > lhs.q.value) \
        and ctx.linked(lhs.q, [f.q for f in operands[1:]])
    if assumed and exact < lhs.q.value and lhs.label_at == "column":
        return Outcome("skip", anchor.q.start, anchor.q.end, values, numbers, related, values["arithmetic"], scope=sf.scope,
                       reason=ctx.t(f"bảng không có cột {values['assumed']}", f"the table has no column for {values['assumed']}"))
    if assumed and exact < lhs.q.value and (len(present) == 1 or _stated_elsewhere(ctx, sf, assumed)):
        # "- Sở Y tế: tiếp nhận …; đã giải quyết …; đang giải quyết …" under a report that states the returned
        # dossiers for the whole only: the unit's returned ones are not zero, just not given
        return Outcome("skip", anchor.q.start, anchor.q.end, values, numbers, related, values["arithmetic"], scope=sf.scope,
                       reason=ctx.t(f"báo cáo không nêu {values['assumed']}", f"the report does not state {values['assumed']}"))
    together = {k for a in assumed for k in default_lexicon().nested_includes.get(a, {}).values()}
    if assumed and exact < lhs.q.value and any(sf.stated_own(k) for k in together):
        # "đúng thời hạn 18.214 hồ sơ (trước hạn 13.759)": the on-time ones are stated only together with the early ones
        return Outcome("skip", anchor.q.start, anchor.q.end, values, numbers, related, values["arithmetic"], scope=sf.scope,
                       reason=ctx.t(f"báo cáo chỉ nêu {values['assumed']} gộp với phần khác",
                                    f"the report states {values['assumed']} only together with another part"))
    unread = _gap_is_an_unread_figure(ctx, [lhs] + [f for _, _, f in present], lhs.q.value - exact)
    if unread is not None:
        # "* Trực tuyến: 6.184; * Trực tiếp: 2.380; * Qua máy kiosk …: 465; * Qua bưu chính: 88" under 9.117: the sum
        # falls short by exactly a figure among the parts that the reader did not name; or exceeds it by a decrease
        reason = ctx.t(f"thiếu đúng bằng {ctx.q(unread)}, một con số giữa các phần chưa đọc được là gì",
                       f"short by exactly {ctx.q(unread)}, a figure among the parts the reader could not name") \
            if unread.role != "delta" else \
            ctx.t(f"thừa đúng bằng {ctx.q(unread)}, số giảm nêu cùng các phần", f"over by exactly {ctx.q(unread)}, a decrease stated with the parts")
        return Outcome("skip", anchor.q.start, anchor.q.end, values, numbers, related, values["arithmetic"], scope=sf.scope,
                       reason=reason)
    return Outcome("fail", anchor.q.start, anchor.q.end, values, numbers, related, values["arithmetic"], sure=sure,
                   scope=sf.scope)


def _gap_is_an_unread_figure(ctx: Context, operands: list[Fact], gap) -> Quantity | None:
    """A count standing among the operands, read under no key, whose value is the whole gap; or, where the
    parts exceed the total, a decrease stated with them ("287 (tháng trước chuyển sang 284, mới 06, giảm 03)":
    a stock's flows, 284 + 6 − 3)."""
    if gap == 0 or any(f.derived or f.label_at == "column" for f in operands):
        return None
    a, b = min(f.q.start for f in operands), max(f.q.end for f in operands)
    if gap > 0:
        return next((q for q in ctx.report.quantities if a < q.start < b and q.value == gap and not q.percent
                     and q.role == "quantity" and q.unit in (None, "dossiers") and ctx.key_of(q) is None), None)
    text, down = ctx.report.text, default_lexicon().change_down
    for q in ctx.report.quantities:
        if a < q.start <= b + _DECREASE_REACH and q.value == -gap and not q.percent and q.role == "delta" \
                and "\n" not in text[b:q.start] and down.search(fold(text[max(a, q.start - 12):q.start])):
            return q
    return None


_DECREASE_REACH = 30  # a decrease stated right after the parts, in the same statement


def _stated_elsewhere(ctx: Context, sf: ScopeFacts, keys: list[str]) -> bool:
    """Whether the report states one of `keys`, left out here, for another scope."""
    return any(fa.key in keys and fa.scope is not sf.scope for fa in ctx.report.facts)


def _identity_values(ctx: Context, shown, present, assumed: list[str], exact: Decimal, total: Decimal) -> dict[str, str]:
    values = _values(ctx, [f.q for _, f in shown], [s for s, _ in shown], exact, total, False, 0, 1)
    values["names"] = " + ".join(ctx.name(k) for _, k, _ in present)
    values["assumed"] = ", ".join(ctx.name(k) for k in assumed)
    if assumed:
        values["arithmetic"] += ctx.t(f" (coi bằng 0 vì không nêu: {values['assumed']})", f" (taken as 0, not stated: {values['assumed']})")
    return values


def _rates(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    """The rates of an identity's parts, stated in one block of one scope, make 100%."""
    terms = rule.terms()
    for sf in ctx.scopes.values():
        found = [(k, sf.first(k + "%")) for _, k in terms]
        if any(f is None and k not in rule.optional for k, f in found):
            continue
        facts = [f for _, f in found if f is not None]
        if len(facts) < 2 or not ctx.linked(facts[0].q, [f.q for f in facts[1:]]):
            continue
        parts = [(1, f.q) for f in facts]
        lo, hi, exact = _sum(parts, True)
        values = _values(ctx, [f.q for f in facts], [1] * len(facts), exact, Decimal(100), True, 0, 1)
        values["names"] = " + ".join(ctx.name(f.key[:-1]) for f in facts)
        values["total"] = ctx.name(rule.total)
        related = [Related(ctx.name(f.key[:-1]), f.q.start, f.q.end) for f in facts[1:]]
        numbers = [100] + [f.q.number for f in facts]
        first, last = facts[0].q, facts[-1].q
        if lo <= 100 < hi:
            yield Outcome("pass", first.start, last.end, values, numbers, related, values["arithmetic"], scope=sf.scope)
        else:
            yield Outcome("fail", first.start, last.end, values, numbers, related, values["arithmetic"],
                          sure=all(f.sure for f in facts), scope=sf.scope)
