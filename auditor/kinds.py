"""Check kinds: each written once, parameterised by rules from the YAML catalog.

A kind takes the report's extracted facts and returns Checks: pass, fail, or skip (could not
be decided, and says why). It never prints and never decides the exit status.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import Callable, Iterator

from .catalog import Catalog, Rule
from .facts import DateMention, Fact, PercentClaim, Quantity, Report
from .findings import Check, Related, fmt, fmt_q, numbers_of

# ---------------------------------------------------------------------------- the scope table


@dataclass
class ScopeFacts:
    """Facts of one scope, by key, in the order stated; derived values kept apart."""
    label: str
    stated: dict[str, list[Fact]] = field(default_factory=dict)
    derived: dict[str, Fact] = field(default_factory=dict)
    _first: dict[str, Fact | None] = field(default_factory=dict)  # answers of first(), until derive() adds one

    def first(self, key: str) -> Fact | None:
        """The figure's own statement; a fraction's denominator only when nothing else states it."""
        if key in self._first:
            return self._first[key]
        got = self.stated.get(key) or []
        own = next((f for f in got if f.q.role != "denominator"), None)
        found = self._first[key] = own or self.derived.get(key) or (got[0] if got else None)
        return found

    def add_derived(self, key: str, fact: Fact) -> None:
        self.derived[key] = fact
        self._first.clear()

    def stated_own(self, key: str) -> bool:
        return any(f.q.role != "denominator" for f in self.stated.get(key, []))


def scope_table(report: Report) -> dict[str, ScopeFacts]:
    table: dict[str, ScopeFacts] = {}
    for fa in report.facts:
        sf = table.setdefault(fa.scope, ScopeFacts(report.scopes.get(fa.scope, fa.scope)))
        sf.stated.setdefault(fa.key, []).append(fa)
    return table


@dataclass
class Context:
    report: Report
    catalog: Catalog
    lang: str
    scopes: dict[str, ScopeFacts]
    report_parents: dict[str, str | None] = field(default_factory=dict)
    report_fact_of: dict[int, Fact] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # key -> its name in the chosen language
    identities_seen: set = field(default_factory=set)  # the same sum checked twice (AR004 and AR005) is reported once

    def t(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en

    def name(self, key: str) -> str:
        found = self.names.get(key)
        if found is None:
            found = self.names[key] = self.catalog.key_name(key, self.lang)
        return found

    def where(self, scope: str) -> str:
        return self.scopes[scope].label if scope in self.scopes else self.report.scopes.get(scope, "")


def _check(rule: Rule, ctx: Context, status: str, start: int, end: int, detail: str, *,
           numbers=(), related=(), arithmetic: str = "", scope: str = "", severity: str | None = None,
           culprit: str = "") -> Check:
    head = getattr(rule.message, ctx.lang)
    if status == "pass":
        message = detail
    elif status == "skip":
        message = detail
    else:
        message = f"{head} {detail}".strip()
    return Check(rule.code, rule.name, status, severity or rule.severity, start, end, message,
                 list(numbers), list(related), arithmetic, ctx.where(scope) if scope else "", culprit)


# ---------------------------------------------------------------------------- identity


def derive(rules: list[Rule], scopes: dict[str, ScopeFacts]) -> None:
    """Fill in totals a report leaves unstated (received = new + carried), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        for rule in rules:
            if rule.kind != "identity" or not rule.derive:
                continue
            terms = rule.rhs_terms()
            for sf in scopes.values():
                if sf.stated_own(rule.lhs) or rule.lhs in sf.derived:
                    continue
                parts = [sf.first(k) for _, k in terms]
                if any(p is None and k not in rule.optional for (_, k), p in zip(terms, parts)):
                    continue
                if sum(p is not None for p in parts) < 2:
                    continue  # a total is not derived from a single figure
                terms_here = [(t, p) for t, p in zip(terms, parts) if p is not None]
                parts = [p for _, p in terms_here]
                value = sum((s * p.q.value for (s, _), p in terms_here), Decimal(0))
                anchor = parts[0].q
                q = Quantity(value, 0, "", anchor.start, anchor.end, unit=anchor.unit, role="derived")
                sf.add_derived(rule.lhs, Fact(rule.lhs, q, parts[0].scope, parts[0].block, (), tuple(parts)))
                changed = True


def _leaves(fa: Fact) -> list[Fact]:
    """The stated figures a (possibly derived) fact stands on."""
    if fa.derived_from:
        return [leaf for p in fa.derived_from for leaf in _leaves(p)]
    return [fa]


def _numbers_of_fact(fa: Fact) -> list:
    if fa.derived_from:
        out = [fa.q.number]
        for p in fa.derived_from:
            out.extend(_numbers_of_fact(p))
        return out
    return [fa.q.number]


def _describe(ctx: Context, fa: Fact) -> str:
    if fa.derived_from:
        inner = " + ".join(fmt(p.q.value, ctx.lang) for p in fa.derived_from)
        return f"{fmt(fa.q.value, ctx.lang)} ({inner})"
    return fmt(fa.q.value, ctx.lang)


def kind_identity(rule: Rule, ctx: Context) -> Iterator[Check]:
    terms = rule.rhs_terms()
    optional = rule.optional
    lhs_key = rule.lhs
    for scope, sf in ctx.scopes.items():
        if lhs_key not in sf.stated and lhs_key not in sf.derived:
            continue
        lhs = sf.first(lhs_key)
        if lhs is None or any(sf.stated_own(k) for k in rule.unless):
            continue
        present: list[tuple[int, str, Fact]] = []
        missing: list[str] = []
        assumed: list[str] = []
        for s, k in terms:
            f = sf.first(k)
            if f is not None:
                present.append((s, k, f))
            elif k in optional:
                assumed.append(k)
            else:
                missing.append(k)
        if not present or all(k in optional for _, k, _ in present):
            continue  # only terms that may be absent are stated: the rule does not apply here
        stated_parts = [f for _, _, f in present if not f.derived_from]
        lhs_derived = bool(lhs.derived_from)
        if lhs_derived and not stated_parts:
            continue
        if lhs_derived and {id(x) for x in lhs.derived_from} >= {id(f) for _, _, f in present}:
            continue  # the total was computed from these very parts
        if missing:
            if lhs_derived:
                continue
            yield _check(rule, ctx, "skip", lhs.q.start, lhs.q.end,
                         ctx.t(f"Không kiểm tra được {rule.code}: báo cáo không nêu {', '.join(ctx.name(k) for k in missing)}.",
                               f"Could not check {rule.code}: the report does not state {', '.join(ctx.name(k) for k in missing)}."),
                         numbers=_numbers_of_fact(lhs) + [n for _, _, f in present for n in _numbers_of_fact(f)],
                         scope=scope)
            continue
        any_derived = lhs_derived or len(stated_parts) < len(present)
        if len(present) < 2 and assumed and not present[0][2].derived_from:
            # one part against the total with everything else assumed zero says little; say it was not made
            continue
        if any_derived:
            leaves = frozenset(id(x.q) for fa in [lhs] + [f for _, _, f in present] for x in _leaves(fa))
            nums = _numbers_of_fact(lhs) + [n for _, _, f in present for n in _numbers_of_fact(f)]
        else:
            leaves = frozenset([id(lhs.q)] + [id(f.q) for _, _, f in present])
            nums = [lhs.q.number] + [f.q.number for _, _, f in present]
        if any_derived and leaves in ctx.identities_seen:
            continue  # a derived total restating a sum already checked
        ctx.identities_seen.add(leaves)
        total = Decimal(0)
        for s, _, f in present:
            total += s * f.q.value
        expr = " + ".join(_describe(ctx, f) if s > 0 else f"− {_describe(ctx, f)}" for s, _, f in present).replace("+ −", "−")
        names = " + ".join(ctx.name(k) for _, k, _ in present)
        anchor = stated_parts[0] if lhs_derived else lhs
        related = [Related(ctx.name(k), f.q.start, f.q.end) for _, k, f in present if f.q is not anchor.q and not f.derived_from]
        if lhs_derived:
            related += [Related(ctx.name(p.key), p.q.start, p.q.end) for p in lhs.derived_from if p.q is not anchor.q]
        arithmetic = f"{expr} = {fmt(total, ctx.lang)} {'=' if total == lhs.q.value else '≠'} {_describe(ctx, lhs)}"
        zero_note = ""
        if assumed:
            zero_note = ctx.t(f" (coi bằng 0 vì không nêu: {', '.join(ctx.name(k) for k in assumed)})",
                              f" (taken as 0, not stated: {', '.join(ctx.name(k) for k in assumed)})")
        if total == lhs.q.value:
            yield _check(rule, ctx, "pass", anchor.q.start, anchor.q.end, f"{ctx.name(lhs_key)} = {names}: {arithmetic}{zero_note}",
                         numbers=nums, related=related, arithmetic=arithmetic, scope=scope)
        elif assumed and scope.startswith("table"):
            # a table that has no column for a term says nothing about it: undecided, not wrong
            yield _check(rule, ctx, "skip", anchor.q.start, anchor.q.end,
                         ctx.t(f"{arithmetic}: bảng không có cột {', '.join(ctx.name(k) for k in assumed)} nên không kết luận được.",
                               f"{arithmetic}: the table has no column for {', '.join(ctx.name(k) for k in assumed)}, so this is undecided."),
                         numbers=nums, related=related, arithmetic=arithmetic, scope=scope, severity="info")
        else:
            diff = lhs.q.value - total
            # with a term assumed zero the mismatch may be an unstated figure, not a wrong one;
            # with a figure read from uncertain words it may be a misreading: a warning, not an error
            unsure = not lhs.sure or any(not f.sure for _, _, f in present)
            severity = "warning" if rule.severity == "error" and ((assumed and diff > 0) or unsure) else None
            yield _check(rule, ctx, "fail", anchor.q.start, anchor.q.end,
                         ctx.t(f"{arithmetic} (lệch {fmt(abs(diff), ctx.lang)}){zero_note}.",
                               f"{arithmetic} (off by {fmt(abs(diff), ctx.lang)}){zero_note}."),
                         numbers=nums, related=related, arithmetic=arithmetic, scope=scope, severity=severity)


# ---------------------------------------------------------------------------- percentages


def _exact_pct(num: Decimal, den: Decimal) -> Fraction:
    return Fraction(num) * 100 / Fraction(den)


def _round_half_up(x: Fraction, d: int) -> Fraction:
    scale = 10 ** d
    return Fraction(floor(x * scale + Fraction(1, 2)), scale)


def _truncate(x: Fraction, d: int) -> Fraction:
    scale = 10 ** d
    return Fraction(floor(x * scale), scale)


def pct_match(num: Decimal, den: Decimal, stated: Quantity) -> tuple[str | None, Fraction]:
    """Which reading of the stated percentage the fraction gives: 'round', 'trunc', or None."""
    exact = _exact_pct(num, den)
    target = Fraction(stated.value)
    if _round_half_up(exact, stated.decimals) == target:
        return "round", exact
    if _truncate(exact, stated.decimals) == target:
        return "trunc", exact
    return None, exact


def _pct_arith(ctx: Context, num: Decimal, den: Decimal, stated: Quantity, how: str | None, exact: Fraction) -> str:
    d = stated.decimals
    shown = fmt(exact, ctx.lang, max(d + 3, 3))
    if how == "round":
        tail = ctx.t(f"→ {fmt_q(stated, ctx.lang)} (làm tròn) ✓", f"→ {fmt_q(stated, ctx.lang)} (rounded) ✓")
    elif how == "trunc":
        tail = ctx.t(f"→ {fmt_q(stated, ctx.lang)} (cắt bớt) ✓", f"→ {fmt_q(stated, ctx.lang)} (truncated) ✓")
    else:
        r = fmt(_round_half_up(exact, d), ctx.lang, d)
        tail = ctx.t(f"→ {r}% ≠ {fmt_q(stated, ctx.lang)}", f"→ {r}% ≠ {fmt_q(stated, ctx.lang)}")
    return f"{fmt(num, ctx.lang)}/{fmt(den, ctx.lang)} = {shown}… % {tail}"


def kind_percent_fraction(rule: Rule, ctx: Context) -> Iterator[Check]:
    for c in ctx.report.percents:
        if c.numerator is None or c.denominator is None:
            continue
        num, den = c.numerator.value, c.denominator.value
        if den == 0:
            continue
        how, exact = pct_match(num, den, c.pct)
        arith = _pct_arith(ctx, num, den, c.pct, how, exact)
        nums = numbers_of(c.numerator, c.denominator, c.pct)
        if how:
            yield _check(rule, ctx, "pass", c.numerator.start, c.pct.end, arith, numbers=nums, arithmetic=arith, scope=c.scope)
        else:
            yield _check(rule, ctx, "fail", c.numerator.start, c.pct.end, arith + ".", numbers=nums, arithmetic=arith, scope=c.scope)


def _scope_totals(ctx: Context, scope: str) -> list[tuple[str, Fact]]:
    sf = ctx.scopes.get(scope)
    if not sf:
        return []
    out = []
    for key, facts in sf.stated.items():
        for fa in facts[:1]:
            out.append((key, fa))
    for key, fa in sf.derived.items():
        if key not in sf.stated:
            out.append((key, fa))
    return out


def kind_percent_share(rule: Rule, ctx: Context) -> Iterator[Check]:
    """"x hồ sơ (đạt y%)": y against x over its total (the key's base, else a figure of the sentence)."""
    for c in ctx.report.percents:
        if c.denominator is not None or c.comparison:
            continue
        sf = ctx.scopes.get(c.scope)
        num_q = c.numerator
        num_fact = None
        if num_q is None and c.numerator_key and sf:
            num_fact = sf.first(c.numerator_key)
            num_q = num_fact.q if num_fact else None
        if num_q is None:
            continue
        base = sf.first(c.denominator_key) if (sf and c.denominator_key) else None
        if base is not None and base.q.value:
            how, exact = pct_match(num_q.value, base.q.value, c.pct)
            arith = _pct_arith(ctx, num_q.value, base.q.value, c.pct, how, exact)
            nums = numbers_of(num_q, c.pct) + _numbers_of_fact(base)
            related = [Related(ctx.name(base.key), base.q.start, base.q.end)]
            if c.numerator is None:
                related.insert(0, Related(ctx.name(c.numerator_key or ""), num_q.start, num_q.end))
            status = "pass" if how else "fail"
            start = c.numerator.start if c.numerator else c.pct.start
            num_fact = ctx.report_fact_of.get(id(num_q))
            unsure = base.derived or not base.sure or (num_fact is not None and not num_fact.sure)
            yield _check(rule, ctx, status, start, c.pct.end, arith + ("" if how else "."), numbers=nums,
                         related=related, arithmetic=arith, scope=c.scope,
                         severity="warning" if unsure and status == "fail" and rule.severity == "error" else None)
            continue
        # no known base: a larger figure of the same sentence that reproduces the rate
        for q in reversed(c.sentence_numbers):
            if q.value >= num_q.value and q.value > 0 and q.unit == num_q.unit:
                how, exact = pct_match(num_q.value, q.value, c.pct)
                if how:
                    arith = _pct_arith(ctx, num_q.value, q.value, c.pct, how, exact)
                    yield _check(rule, ctx, "pass", num_q.start, c.pct.end, arith, numbers=numbers_of(num_q, q, c.pct),
                                 related=[Related(ctx.t("mẫu số", "base"), q.start, q.end)], arithmetic=arith, scope=c.scope)
                    break


def _admits(den: Decimal, stated: Quantity) -> bool:
    """Some whole numerator n gives n/den at the stated percentage (rounded or truncated)."""
    u = Fraction(1, 10 ** stated.decimals)
    p = Fraction(stated.value)
    d = Fraction(den)
    lo, hi = d * (p - u / 2) / 100, d * (p + u / 2) / 100  # rounding: [lo, hi)
    if ceil(lo) < hi or (ceil(lo) == lo):
        return True
    lo, hi = d * p / 100, d * (p + u) / 100  # truncation: [lo, hi)
    return ceil(lo) < hi


def _implied_range(num: Decimal, stated: Quantity) -> tuple[Fraction, Fraction] | None:
    p = Fraction(stated.value)
    u = Fraction(1, 10 ** stated.decimals)
    if p - u / 2 <= 0:
        return None
    return Fraction(num) * 100 / (p + u / 2), Fraction(num) * 100 / (p - u / 2)


def kind_percent_implied(rule: Rule, ctx: Context) -> Iterator[Check]:
    """A percentage whose base the text does not give: tried against the totals the report states."""
    handled = _percents_with_base(ctx)
    for c in ctx.report.percents:
        if id(c) in handled or c.denominator is not None:
            continue
        totals = [(k, fa) for k, fa in _scope_totals(ctx, c.scope) if fa.q.unit in (None, "dossiers") and fa.q.value > 0]
        num = c.numerator
        if c.comparison or (num is not None and num.unit == "money"):
            rng = _implied_range(num.value, c.pct) if num is not None else None
            detail = ctx.t(f"{fmt_q(c.pct, ctx.lang)} của một số liệu không nêu; mẫu số suy ra khoảng "
                           f"{fmt(rng[0], ctx.lang, 3)}–{fmt(rng[1], ctx.lang, 3)}, không kiểm chứng được." if rng else
                           f"{fmt_q(c.pct, ctx.lang)}: không có mẫu số để kiểm chứng.",
                           f"{fmt_q(c.pct, ctx.lang)} of a figure not stated; implied base about "
                           f"{fmt(rng[0], 'en', 3)}–{fmt(rng[1], 'en', 3)}, cannot be verified." if rng else
                           f"{fmt_q(c.pct, ctx.lang)}: no base to verify it against.")
            yield _check(rule, ctx, "skip", (num or c.pct).start, c.pct.end, detail, numbers=numbers_of(num, c.pct), scope=c.scope,
                         severity="info")
            continue
        if num is not None and num.unit not in (None, "dossiers"):
            continue
        if num is not None:
            matches = []
            for k, fa in totals:
                if fa.q is num or fa.q.value < num.value:
                    continue
                how, _ = pct_match(num.value, fa.q.value, c.pct)
                if how:
                    matches.append((k, fa, how))
            rng = _implied_range(num.value, c.pct)
            if matches:
                k, fa, how = matches[0]
                how, exact = pct_match(num.value, fa.q.value, c.pct)
                arith = _pct_arith(ctx, num.value, fa.q.value, c.pct, how, exact)
                yield _check(rule, ctx, "pass", num.start, c.pct.end,
                             ctx.t(f"Mẫu số là {ctx.name(k)}: {arith}", f"The base is {ctx.name(k)}: {arith}"),
                             numbers=numbers_of(num, c.pct) + [fa.q.number],
                             related=[Related(ctx.name(k), fa.q.start, fa.q.end)], arithmetic=arith, scope=c.scope)
            elif totals and rng:
                tried = ", ".join(f"{ctx.name(k)} {fmt(fa.q.value, ctx.lang)}" for k, fa in totals[:6])
                lo, hi = rng
                whole = [n for n in range(ceil(lo), floor(hi) + 1)] or [round(float(lo))]
                implied = fmt(whole[0], ctx.lang)
                arith = f"{fmt(num.value, ctx.lang)} / {fmt_q(c.pct, ctx.lang)} ≈ {implied}"
                yield _check(rule, ctx, "fail", num.start, c.pct.end,
                             ctx.t(f"{arith}: mẫu số suy ra {implied} không trùng tổng số nào đã nêu ({tried}).",
                                   f"{arith}: the implied base {implied} matches no stated total ({tried})."),
                             numbers=numbers_of(num, c.pct) + [fa.q.number for _, fa in totals[:6]],
                             related=[Related(ctx.name(k), fa.q.start, fa.q.end) for k, fa in totals[:3]],
                             arithmetic=arith, scope=c.scope)
            continue
        # neither numerator nor base: consistent with some stated total, or undecidable
        fits = [(k, fa) for k, fa in totals if _admits(fa.q.value, c.pct)]
        fits.sort(key=lambda kf: kf[0] not in c.context_keys)  # the total the sentence names first
        if fits and c.numerator_key is None:
            k, fa = fits[0]
            yield _check(rule, ctx, "pass", c.pct.start, c.pct.end,
                         ctx.t(f"{fmt_q(c.pct, ctx.lang)} có thể là tỷ lệ trên {ctx.name(k)} ({fmt(fa.q.value, ctx.lang)}); "
                               "báo cáo không nêu tử số nên chỉ kiểm tra được sự phù hợp.",
                               f"{fmt_q(c.pct, ctx.lang)} can be a share of {ctx.name(k)} ({fmt(fa.q.value, 'en')}); "
                               "no numerator is stated, so only consistency was checked."),
                         numbers=[c.pct.number, fa.q.number], related=[Related(ctx.name(k), fa.q.start, fa.q.end)], scope=c.scope)
        elif not c.comparison:
            yield _check(rule, ctx, "skip", c.pct.start, c.pct.end,
                         ctx.t(f"{fmt_q(c.pct, ctx.lang)}: báo cáo không nêu tử số hay mẫu số, không kiểm chứng được.",
                               f"{fmt_q(c.pct, ctx.lang)}: neither numerator nor base is stated; cannot be verified."),
                         numbers=[c.pct.number], scope=c.scope, severity="info")


def _percents_with_base(ctx: Context) -> set[int]:
    """Percentages that percent_share decided: their key's base is stated, or a figure of the sentence fits."""
    return {id(c) for c in ctx.report.percents if c.denominator is None and _share_basis(ctx, c, from_key=True)}


def kind_percent_range(rule: Rule, ctx: Context) -> Iterator[Check]:
    for c in ctx.report.percents:
        if c.comparison or c.pct.value <= 100:
            continue
        if c.numerator is not None and c.numerator.unit == "money":
            continue
        yield _check(rule, ctx, "fail", c.pct.start, c.pct.end,
                     ctx.t(f"{fmt_q(c.pct, ctx.lang)} > 100%.", f"{fmt_q(c.pct, ctx.lang)} > 100%."),
                     numbers=[c.pct.number], arithmetic=f"{fmt_q(c.pct, ctx.lang)} > 100%", scope=c.scope)


def kind_fraction_order(rule: Rule, ctx: Context) -> Iterator[Check]:
    for fr in ctx.report.fractions:
        a, b = fr.numerator, fr.denominator
        if a.value > b.value:
            arith = f"{fmt_q(a, ctx.lang)} > {fmt_q(b, ctx.lang)}"
            yield _check(rule, ctx, "fail", a.start, b.end, arith + ".", numbers=numbers_of(a, b), arithmetic=arith,
                         scope=fr.scope)


# ---------------------------------------------------------------------------- cross-references


def kind_base_equals(rule: Rule, ctx: Context) -> Iterator[Check]:
    for scope, sf in ctx.scopes.items():
        for base in sf.stated.get(rule.key or "", []):
            targets = [(k, sf.first(k)) for k in rule.equals]
            targets = [(k, t) for k, t in targets if t is not None]
            if not targets:
                continue
            hit = next(((k, t) for k, t in targets if t.q.value == base.q.value), None)
            if hit:
                k, t = hit
                arith = f"{fmt(base.q.value, ctx.lang)} = {fmt(t.q.value, ctx.lang)}"
                yield _check(rule, ctx, "pass", base.q.start, base.q.end,
                             ctx.t(f"Mẫu số {fmt(base.q.value, 'vi')} bằng {ctx.name(k)} ({fmt(t.q.value, 'vi')}).",
                                   f"Base {fmt(base.q.value, 'en')} equals {ctx.name(k)} ({fmt(t.q.value, 'en')})."),
                             numbers=[base.q.number] + _numbers_of_fact(t), related=[Related(ctx.name(k), t.q.start, t.q.end)],
                             arithmetic=arith, scope=scope)
            else:
                k, t = targets[0]
                diff = base.q.value - t.q.value
                arith = f"{fmt(base.q.value, ctx.lang)} ≠ {fmt(t.q.value, ctx.lang)}"
                yield _check(rule, ctx, "fail", base.q.start, base.q.end,
                             ctx.t(f"Mẫu số {fmt(base.q.value, 'vi')} nhưng {ctx.name(k)} là {fmt(t.q.value, 'vi')} "
                                   f"(lệch {fmt(abs(diff), 'vi')}).",
                                   f"Base {fmt(base.q.value, 'en')} but {ctx.name(k)} is {fmt(t.q.value, 'en')} "
                                   f"(off by {fmt(abs(diff), 'en')})."),
                             numbers=[base.q.number] + _numbers_of_fact(t), related=[Related(ctx.name(k), t.q.start, t.q.end)],
                             arithmetic=arith, scope=scope)


def kind_repeat(rule: Rule, ctx: Context) -> Iterator[Check]:
    for scope, sf in ctx.scopes.items():
        for key, facts in sf.stated.items():
            if len(facts) < 2:
                continue
            first = sf.first(key)
            for other in facts:
                if other is first:
                    continue
                if other.block == first.block and other.q.role == first.q.role == "numerator":
                    continue
                same = other.q.value == first.q.value
                arith = f"{fmt(first.q.value, ctx.lang)} {'=' if same else '≠'} {fmt(other.q.value, ctx.lang)}"
                if same:
                    yield _check(rule, ctx, "pass", other.q.start, other.q.end,
                                 ctx.t(f"{ctx.name(key)} nêu lại cùng giá trị {fmt(first.q.value, 'vi')}.",
                                       f"{ctx.name(key)} restated with the same value {fmt(first.q.value, 'en')}."),
                                 numbers=[first.q.number, other.q.number], related=[Related(ctx.t("lần nêu trước", "stated before"), first.q.start, first.q.end)],
                                 arithmetic=arith, scope=scope)
                else:
                    as_base = other.q.role == "denominator"
                    yield _check(rule, ctx, "fail", other.q.start, other.q.end,
                                 ctx.t(f"{ctx.name(key)}: {arith}" + (" (mẫu số của tỷ lệ khác số đã nêu)." if as_base else "."),
                                       f"{ctx.name(key)}: {arith}" + (" (the rate's base differs from the figure stated)." if as_base else ".")),
                                 numbers=[first.q.number, other.q.number],
                                 related=[Related(ctx.t("lần nêu trước", "stated before"), first.q.start, first.q.end)],
                                 arithmetic=arith, scope=scope)


# ---------------------------------------------------------------------------- counts, ranks, lists


def kind_rank(rule: Rule, ctx: Context) -> Iterator[Check]:
    for r in ctx.report.ranks:
        ok = 1 <= r.rank.value <= r.of.value
        arith = f"1 ≤ {fmt(r.rank.value, ctx.lang)} ≤ {fmt(r.of.value, ctx.lang)}" if ok else \
            f"{fmt(r.rank.value, ctx.lang)}/{fmt(r.of.value, ctx.lang)}"
        detail = ctx.t(f"Xếp thứ {fmt(r.rank.value, 'vi')}/{fmt(r.of.value, 'vi')}", f"Ranked {fmt(r.rank.value, 'en')}/{fmt(r.of.value, 'en')}")
        yield _check(rule, ctx, "pass" if ok else "fail", r.rank.start, r.of.end,
                     detail + (": " + arith if ok else ctx.t(f": thứ hạng {fmt(r.rank.value, 'vi')} vượt quá {fmt(r.of.value, 'vi')} đơn vị.",
                                                             f": rank {fmt(r.rank.value, 'en')} exceeds {fmt(r.of.value, 'en')} units.")),
                     numbers=numbers_of(r.rank, r.of), arithmetic=arith)


def kind_count_list(rule: Rule, ctx: Context) -> Iterator[Check]:
    for lc in ctx.report.lists:
        n = len(lc.items)
        stated = lc.count.value
        ok = stated == n or (lc.alternative_count is not None and stated == lc.alternative_count)
        names = "; ".join(ctx.report.text[s:e].replace("\n", " ")[:40] for s, e in lc.items)
        nums = numbers_of(lc.count, lc.of) + [n]
        related = [Related(ctx.t(f"mục {i + 1}", f"item {i + 1}"), s, e) for i, (s, e) in enumerate(lc.items[:12])]
        arith = f"{fmt(stated, ctx.lang)} {'=' if ok else '≠'} {n}"
        if ok:
            yield _check(rule, ctx, "pass", lc.count.start, lc.end,
                         ctx.t(f"Nêu {fmt(stated, 'vi')}, liệt kê {n}: {names}", f"States {fmt(stated, 'en')}, lists {n}: {names}"),
                         numbers=nums, related=related, arithmetic=arith)
        else:
            yield _check(rule, ctx, "fail", lc.count.start, lc.end,
                         ctx.t(f"Nêu {fmt(stated, 'vi')} nhưng liệt kê {n}: {names}.", f"States {fmt(stated, 'en')} but lists {n}: {names}."),
                         numbers=nums, related=related, arithmetic=arith)


# ---------------------------------------------------------------------------- dates


def _as_date(d: DateMention | None) -> date | None:
    if d is None or not d.complete:
        return None
    try:
        return date(d.year, d.month, d.day)  # type: ignore[arg-type]
    except ValueError:
        return None


def _date_text(d: DateMention) -> str:
    return f"{d.day or '?'}/{d.month or '?'}/{d.year or '?'}"


def kind_date_valid(rule: Rule, ctx: Context) -> Iterator[Check]:
    h = ctx.report.header
    for d in ctx.report.dates:
        is_header = h.date is d
        nums = [x for x in (d.day, d.month, d.year) if x is not None]
        if not d.complete:
            if not is_header:
                continue
            missing = [n for n, v in ((ctx.t("ngày", "day"), d.day), (ctx.t("tháng", "month"), d.month), (ctx.t("năm", "year"), d.year)) if v is None]
            yield _check(rule, ctx, "fail", d.start, d.end,
                         ctx.t(f"Ngày ban hành “{d.raw}” thiếu {', '.join(missing)}.", f"Report date “{d.raw}” lacks the {', '.join(missing)}."),
                         numbers=nums, arithmetic=_date_text(d), severity="warning")
            continue
        ok = _as_date(d) is not None and 1900 <= (d.year or 0) <= 2100
        if d.month and d.month > 12 or (d.day and d.day > 31):
            ok = False
        if ok:
            if is_header:
                yield _check(rule, ctx, "pass", d.start, d.end,
                             ctx.t(f"Ngày ban hành {_date_text(d)} hợp lệ.", f"Report date {_date_text(d)} is valid."), numbers=nums)
            continue
        last = calendar.monthrange(d.year, d.month)[1] if d.year and d.month and 1 <= d.month <= 12 else None
        why = ctx.t(f"tháng {d.month} chỉ có {last} ngày" if last else "không có ngày này",
                    f"month {d.month} has only {last} days" if last else "no such date")
        yield _check(rule, ctx, "fail", d.start, d.end, ctx.t(f"“{d.raw}”: {why}.", f"“{d.raw}”: {why}."),
                     numbers=nums, arithmetic=_date_text(d))


def kind_period_order(rule: Rule, ctx: Context) -> Iterator[Check]:
    h = ctx.report.header
    report_day = _as_date(h.date)
    for a, b, start, end in ctx.report.periods:
        da, db = _as_date(a), _as_date(b)
        if da is None or db is None:
            continue
        problems = []
        if da > db:
            problems.append(ctx.t(f"bắt đầu {_date_text(a)} sau ngày kết thúc {_date_text(b)}",
                                  f"starts {_date_text(a)} after it ends {_date_text(b)}"))
        if report_day and db > report_day:
            problems.append(ctx.t(f"kết thúc {_date_text(b)} sau ngày báo cáo {_date_text(h.date)}",
                                  f"ends {_date_text(b)} after the report date {_date_text(h.date)}"))
        related = [Related(ctx.t("ngày báo cáo", "report date"), h.date.start, h.date.end)] if h.date else []
        arith = f"{_date_text(a)} ≤ {_date_text(b)}" + (f" ≤ {_date_text(h.date)}" if report_day else "")
        nums = [x for x in (a.day, a.month, a.year, b.day, b.month, b.year) if x is not None]
        if problems:
            yield _check(rule, ctx, "fail", start, end, "; ".join(problems) + ".", numbers=nums, related=related, arithmetic=arith)
        else:
            yield _check(rule, ctx, "pass", start, end, ctx.t(f"Kỳ báo cáo hợp lệ: {arith}", f"Valid period: {arith}"),
                         numbers=nums, related=related, arithmetic=arith)


def kind_reference_date(rule: Rule, ctx: Context) -> Iterator[Check]:
    h = ctx.report.header
    report_day = _as_date(h.date)
    if report_day is None:
        return
    for ref in ctx.report.references:
        d = _as_date(ref.date)
        if d is None or (h.number_span and ref.start <= h.number_span[0] < ref.end):
            continue
        ok = d <= report_day
        arith = f"{_date_text(ref.date)} {'≤' if ok else '>'} {_date_text(h.date)}"
        label = f"{ref.number}/{ref.suffix.upper()}"
        related = [Related(ctx.t("ngày báo cáo", "report date"), h.date.start, h.date.end)]
        nums = [ref.number] + [x for x in (ref.date.day, ref.date.month, ref.date.year)]
        if ok:
            yield _check(rule, ctx, "pass", ref.start, ref.date.end,
                         ctx.t(f"Văn bản {label} ngày {_date_text(ref.date)} trước ngày báo cáo.", f"Document {label} of {_date_text(ref.date)} precedes the report."),
                         numbers=nums, related=related, arithmetic=arith)
        else:
            yield _check(rule, ctx, "fail", ref.start, ref.date.end,
                         ctx.t(f"Văn bản {label} ngày {_date_text(ref.date)}, sau ngày báo cáo {_date_text(h.date)}.",
                               f"Document {label} is dated {_date_text(ref.date)}, after the report date {_date_text(h.date)}."),
                         numbers=nums, related=related, arithmetic=arith)


def kind_numbering(rule: Rule, ctx: Context) -> Iterator[Check]:
    refs = [r for r in ctx.report.references if _as_date(r.date)]
    groups: dict[tuple[str, str, int], list] = {}
    for r in refs:
        kind = r.doc_type.replace("&", "")
        suffix = r.suffix.strip("-").replace("đ", "d")
        groups.setdefault((kind[:2], suffix, r.date.year), []).append(r)  # type: ignore[union-attr]
    for (_, suffix, year), members in groups.items():
        uniq = {}
        for r in members:
            uniq.setdefault(r.number, r)
        members = sorted(uniq.values(), key=lambda r: r.number)
        if len(members) < 2:
            continue
        bad = []
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if not _same_issuer(a.issuer, b.issuer):
                    continue
                if _as_date(a.date) > _as_date(b.date):
                    bad.append((a, b))
        seq = ", ".join(f"{r.number} ({_date_text(r.date)})" for r in members)
        nums = [r.number for r in members]
        if bad:
            a, b = bad[0]
            yield _check(rule, ctx, "fail", a.start, a.end,
                         ctx.t(f"Số {a.number}/{suffix.upper()} ngày {_date_text(a.date)} nhưng số {b.number} lại ngày {_date_text(b.date)}. Dãy: {seq}.",
                               f"No. {a.number}/{suffix.upper()} is dated {_date_text(a.date)} but no. {b.number} is dated {_date_text(b.date)}. Sequence: {seq}."),
                         numbers=nums, related=[Related(f"{b.number}/{suffix.upper()}", b.start, b.end)], arithmetic=seq)
        else:
            yield _check(rule, ctx, "pass", members[0].start, members[0].end,
                         ctx.t(f"Số văn bản {suffix.upper()} năm {year} tăng theo ngày: {seq}.", f"{suffix.upper()} numbers in {year} follow their dates: {seq}."),
                         numbers=nums, related=[Related(f"{r.number}/{suffix.upper()}", r.start, r.end) for r in members[1:4]], arithmetic=seq)


def _same_issuer(a: str | None, b: str | None) -> bool:
    """A citation without issuer is the reporting unit's own or its direct superior's; a province's
    documents are always cited with their issuer."""
    if a and b:
        return a == b
    return (a or b) in (None, "huyen", "xa", "thi xa", "phuong", "quan")


def kind_breakdown_sum(rule: Rule, ctx: Context) -> Iterator[Check]:
    """"N (trong đó: a, b, c)" and "Trình độ: a người, b người" against the total they break down."""
    for bd in ctx.report.breakdowns:
        width = len(bd.totals)
        for pos in range(width):
            total = bd.totals[pos]
            parts = [p[pos] for p in bd.parts]
            s = sum((p.value for p in parts), Decimal(0))
            ok = s == total.value
            what = ("" if width == 1 else ctx.t(" (tử số)" if pos == 0 else " (mẫu số)", " (numerators)" if pos == 0 else " (denominators)"))
            arith = f"{' + '.join(fmt(p.value, ctx.lang) for p in parts)} = {fmt(s, ctx.lang)} {'=' if ok else '≠'} {fmt(total.value, ctx.lang)}"
            related = [Related(ctx.t(f"phần {i + 1}", f"part {i + 1}"), p.start, p.end) for i, p in enumerate(parts[:8])]
            nums = [total.number] + [p.number for p in parts]
            if ok:
                yield _check(rule, ctx, "pass", total.start, total.end,
                             ctx.t(f"Các phần cộng đủ tổng{what}: {arith}", f"The parts add up to the total{what}: {arith}"),
                             numbers=nums, related=related, arithmetic=arith)
            elif bd.how == "some" and s < total.value:
                yield _check(rule, ctx, "skip", total.start, total.end,
                             ctx.t(f"Các phần nêu sau “trong đó” chưa đủ tổng ({arith}); có thể báo cáo chỉ nêu một số phần.",
                                   f"The parts after “trong đó” fall short of the total ({arith}); the report may name only some."),
                             numbers=nums, related=related, arithmetic=arith, severity="info")
            else:
                yield _check(rule, ctx, "fail", total.start, total.end,
                             ctx.t(f"{arith}{what} (lệch {fmt(abs(total.value - s), 'vi')}).",
                                   f"{arith}{what} (off by {fmt(abs(total.value - s), 'en')})."),
                             numbers=nums, related=related, arithmetic=arith)


def _share_basis(ctx: Context, c: PercentClaim, from_key: bool = False) -> tuple[Quantity, Decimal] | None:
    """The numerator and denominator a percentage was checked against, when the text gives both.
    `from_key`: a rate named in words takes its numerator from the figure of that key."""
    if c.numerator is not None and c.denominator is not None:
        return c.numerator, c.denominator.value
    if c.comparison:
        return None
    sf = ctx.scopes.get(c.scope)
    num = c.numerator
    if num is None and from_key and c.numerator_key and sf:
        fa = sf.first(c.numerator_key)
        num = fa.q if fa else None
    if num is None:
        return None
    base = sf.first(c.denominator_key) if (sf and c.denominator_key) else None
    if base is not None:
        return num, base.q.value
    for q in reversed(c.sentence_numbers):
        if q.value >= num.value and q.unit == num.unit and q.value and pct_match(num.value, q.value, c.pct)[0]:
            return num, q.value
    return None


def kind_percent_partition(rule: Rule, ctx: Context) -> Iterator[Check]:
    """Shares of one total whose counts make up the whole must add up to 100% (within rounding)."""
    groups: dict[tuple[int, Decimal], list[tuple[PercentClaim, Quantity]]] = {}
    for c in ctx.report.percents:
        basis = _share_basis(ctx, c)
        if basis:
            groups.setdefault((c.block, basis[1]), []).append((c, basis[0]))
    for (_, den), members in groups.items():
        if len(members) < 2 or sum((n.value for _, n in members), Decimal(0)) != den:
            continue
        lo = sum((Fraction(c.pct.value) - Fraction(1, 2 * 10 ** c.pct.decimals) for c, _ in members), Fraction(0))
        hi = sum((Fraction(c.pct.value) + Fraction(1, 10 ** c.pct.decimals) for c, _ in members), Fraction(0))
        total = sum((c.pct.value for c, _ in members), Decimal(0))
        ok = lo <= 100 <= hi
        arith = f"{' + '.join(fmt_q(c.pct, ctx.lang) for c, _ in members)} = {fmt(total, ctx.lang)}% {'≈' if ok else '≠'} 100%"
        first, last = members[0][0], members[-1][0]
        nums = [c.pct.number for c, _ in members] + [n.number for _, n in members]
        yield _check(rule, ctx, "pass" if ok else "fail", first.pct.start, last.pct.end,
                     (ctx.t("Các tỷ lệ của cùng một tổng cộng lại: ", "Shares of one total add up: ") + arith) if ok else arith + ".",
                     numbers=nums, arithmetic=arith, scope=first.scope)


_PARTS_OF_SCOPE = re.compile(r"\s*trong đó .*$")


def kind_same_sentence(rule: Rule, ctx: Context) -> Iterator[Check]:
    """The same clause written twice (figures masked) must carry the same figures."""
    seen: dict[tuple[str, str], object] = {}
    for cl in ctx.report.clauses:
        # the same words in another scope (each field, the communes) are a template, not a repetition;
        # the parts under a "trong đó:" still belong to their unit
        scope = _PARTS_OF_SCOPE.sub("", cl.scope) if "trong đó" in cl.scope else cl.scope
        first = seen.get((scope, cl.shape))
        if first is None:
            seen[(scope, cl.shape)] = cl
            continue
        if first.block == cl.block:  # type: ignore[attr-defined]
            continue
        a, b = first.numbers, cl.numbers  # type: ignore[attr-defined]
        if len(a) != len(b):
            continue
        diff = [(x, y) for x, y in zip(a, b) if x.value != y.value]
        text_a = " ".join(ctx.report.text[first.start:first.end].split())  # type: ignore[attr-defined]
        nums = [q.number for q in a] + [q.number for q in b]
        related = [Related(ctx.t("câu nêu trước", "stated before"), first.start, first.end)]  # type: ignore[attr-defined]
        if not diff:
            yield _check(rule, ctx, "pass", cl.start, cl.end,
                         ctx.t(f"Câu được nêu lại với cùng số liệu: “{text_a[:80]}”", f"Clause restated with the same figures: “{text_a[:80]}”"),
                         numbers=nums, related=related)
        else:
            arith = ", ".join(f"{fmt(x.value, ctx.lang)} ≠ {fmt(y.value, ctx.lang)}" for x, y in diff)
            yield _check(rule, ctx, "fail", diff[0][1].start, diff[0][1].end,
                         ctx.t(f"Cùng một câu nêu hai lần với số khác nhau ({arith}): “{text_a[:80]}”.",
                               f"The same clause is stated twice with different figures ({arith}): “{text_a[:80]}”."),
                         numbers=[x.number for x, _ in diff] + [y.number for _, y in diff], related=related, arithmetic=arith)


def kind_part_whole(rule: Rule, ctx: Context) -> Iterator[Check]:
    """A part (online, resolved late...) cannot exceed the figure it is part of."""
    parents = ctx.report_parents
    for scope, sf in ctx.scopes.items():
        for key, facts in sf.stated.items():
            part = next((f for f in facts if f.q.role != "denominator"), None)
            parent_key = parents.get(key)
            while part is not None and parent_key and not sf.stated_own(parent_key):
                parent_key = parents.get(parent_key)
            if part is None or not parent_key:
                continue
            whole = sf.first(parent_key)
            if whole is None or part.q.value <= whole.q.value:
                continue
            arith = f"{fmt(part.q.value, ctx.lang)} > {fmt(whole.q.value, ctx.lang)}"
            unsure = not (part.sure and whole.sure)
            yield _check(rule, ctx, "fail", part.q.start, part.q.end,
                         ctx.t(f"{ctx.name(key)} ({fmt(part.q.value, 'vi')}) lớn hơn {ctx.name(parent_key)} ({fmt(whole.q.value, 'vi')}).",
                               f"{ctx.name(key)} ({fmt(part.q.value, 'en')}) exceeds {ctx.name(parent_key)} ({fmt(whole.q.value, 'en')})."),
                         numbers=[part.q.number, whole.q.number], related=[Related(ctx.name(parent_key), whole.q.start, whole.q.end)],
                         arithmetic=arith, scope=scope, severity="warning" if unsure else None)


# ---------------------------------------------------------------------------- tables


def kind_table_columns(rule: Rule, ctx: Context) -> Iterator[Check]:
    """The total row of an appendix table equals the sum of its field rows, column by column."""
    for table in ctx.report.tables:
        if table.total_row is None or len(table.detail_rows) < 2:
            continue
        for j, name in enumerate(table.column_names):
            total = table.total_row.numbers[j] if j < len(table.total_row.numbers) else None
            cells = [r.numbers[j] if j < len(r.numbers) else None for r in table.detail_rows]
            if total is None or total.percent or any(c is not None and c.percent for c in cells):
                continue
            present = [c for c in cells if c is not None]
            s = sum((c.value for c in present), Decimal(0))
            ok = s == total.value
            arith = f"{' + '.join(fmt(c.value, ctx.lang) for c in present)} = {fmt(s, ctx.lang)} {'=' if ok else '≠'} {fmt(total.value, ctx.lang)}"
            col = " ".join(name.split()) or ctx.t(f"cột {j + 3}", f"column {j + 3}")
            related = [Related(" ".join(r.label.split())[:40], c.start, c.end) for r, c in zip(table.detail_rows, cells) if c is not None][:8]
            nums = [total.number] + [c.number for c in present]
            if ok:
                yield _check(rule, ctx, "pass", total.start, total.end,
                             ctx.t(f"Cột “{col}”: dòng tổng bằng tổng các dòng: {arith}", f"Column “{col}”: the total row is the sum of the rows: {arith}"),
                             numbers=nums, related=related, arithmetic=arith)
            else:
                yield _check(rule, ctx, "fail", total.start, total.end,
                             ctx.t(f"Cột “{col}”: {arith} (lệch {fmt(abs(total.value - s), 'vi')}).", f"Column “{col}”: {arith} (off by {fmt(abs(total.value - s), 'en')})."),
                             numbers=nums, related=related, arithmetic=arith)


def kind_table_shape(rule: Rule, ctx: Context) -> Iterator[Check]:
    """A row with more or fewer figures than the header has columns: its cells cannot be trusted."""
    for table in ctx.report.tables:
        for row, width in table.misaligned:
            values = [c for c in row.cells[2:] if c.text]
            got = len(values)
            start = values[0].start if values else row.line_start
            end = values[-1].end if values else row.line_end
            cols = "; ".join(" ".join(n.split()) for n in table.column_names if n.strip())
            yield _check(rule, ctx, "fail", start, end,
                         ctx.t(f"Dòng “{' '.join(row.label.split())[:40]}” có {got} ô số liệu nhưng tiêu đề có {width} cột ({cols}); "
                               "các cột có thể bị lệch nên không đối chiếu dòng này.",
                               f"Row “{' '.join(row.label.split())[:40]}” has {got} figures but the header has {width} columns ({cols}); "
                               "the columns may be shifted, so this row is not compared."),
                         numbers=[width, got] + [q.number for q in row.numbers if q is not None], arithmetic=f"{got} ≠ {width}")


def kind_table_formula(rule: Rule, ctx: Context) -> Iterator[Check]:
    """Formula columns from the column-number row: "(5)=(4)/(1)"."""
    for table in ctx.report.tables:
        for row in table.detail_rows + ([table.total_row] if table.total_row else []):
            for col, (a, b) in table.formulas.items():
                if not (0 <= col < len(row.numbers) and 0 <= a < len(row.numbers) and 0 <= b < len(row.numbers)):
                    continue
                pct, num, den = row.numbers[col], row.numbers[a], row.numbers[b]
                if pct is None or num is None or den is None or not den.value:
                    continue
                how, exact = pct_match(num.value, den.value, pct)
                arith = _pct_arith(ctx, num.value, den.value, pct, how, exact)
                yield _check(rule, ctx, "pass" if how else "fail", pct.start, pct.end, arith + ("" if how else "."),
                             numbers=numbers_of(num, den, pct), arithmetic=arith)


def kind_crossref(rule: Rule, ctx: Context) -> Iterator[Check]:
    """A table row and the prose of the same scope must agree, figure by figure."""
    for row_scope, prose_scope in ctx.report.table_links.items():
        if not prose_scope or row_scope not in ctx.scopes or prose_scope not in ctx.scopes:
            continue
        row, prose = ctx.scopes[row_scope], ctx.scopes[prose_scope]
        for key, cells in row.stated.items():
            cell = cells[0]
            text_fact = prose.first(key)
            if text_fact is None or text_fact.derived:
                continue
            same = text_fact.q.value == cell.q.value
            arith = f"{fmt(text_fact.q.value, ctx.lang)} {'=' if same else '≠'} {fmt(cell.q.value, ctx.lang)}"
            related = [Related(row.label, cell.q.start, cell.q.end)]
            nums = [text_fact.q.number, cell.q.number]
            if same:
                yield _check(rule, ctx, "pass", text_fact.q.start, text_fact.q.end,
                             ctx.t(f"{ctx.name(key)}: văn bản và phụ lục khớp ({arith}).", f"{ctx.name(key)}: text and appendix agree ({arith})."),
                             numbers=nums, related=related, arithmetic=arith, scope=prose_scope)
            else:
                yield _check(rule, ctx, "fail", text_fact.q.start, text_fact.q.end,
                             ctx.t(f"{ctx.name(key)}: văn bản ghi {fmt(text_fact.q.value, 'vi')}, phụ lục ghi {fmt(cell.q.value, 'vi')}.",
                                   f"{ctx.name(key)}: the text says {fmt(text_fact.q.value, 'en')}, the appendix {fmt(cell.q.value, 'en')}."),
                             numbers=nums, related=related, arithmetic=arith, scope=prose_scope)


KINDS: dict[str, Callable[[Rule, Context], Iterator[Check]]] = {
    "identity": kind_identity,
    "base_equals": kind_base_equals,
    "repeat": kind_repeat,
    "percent_fraction": kind_percent_fraction,
    "percent_share": kind_percent_share,
    "percent_implied": kind_percent_implied,
    "percent_range": kind_percent_range,
    "percent_partition": kind_percent_partition,
    "breakdown_sum": kind_breakdown_sum,
    "table_columns": kind_table_columns,
    "table_shape": kind_table_shape,
    "table_formula": kind_table_formula,
    "crossref": kind_crossref,
    "same_sentence": kind_same_sentence,
    "part_whole": kind_part_whole,
    "fraction_order": kind_fraction_order,
    "rank": kind_rank,
    "count_list": kind_count_list,
    "date_valid": kind_date_valid,
    "period_order": kind_period_order,
    "reference_date": kind_reference_date,
    "numbering": kind_numbering,
    # checks across reports run on the --db store after a batch (auditor/across.py)
    "across_carry_over": lambda rule, ctx: iter(()),
    "across_sum": lambda rule, ctx: iter(()),
}
