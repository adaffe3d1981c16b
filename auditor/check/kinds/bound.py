"""bound: a figure that cannot exceed another.

`over: fractions`: in "a/b" the part a is at most the whole b. `over: shares`: a share is at most
100% (a percentage of a plan or of last year may exceed it and is not a share). `over: ranks`: a
rank lies between 1 and the number ranked. `over: scopes`: a part (a key with a parent in the
lexicon) is at most its whole in the same scope.
"""
from __future__ import annotations

from typing import Iterator, Literal

from ...findings import Related
from ...lexicon import ancestors
from .base import Context, Outcome, RuleBase, numbers_of_fact
from .ratio import reversed_pair

SLOTS = ("value", "limit", "name", "where")
PASSED = {"vi": "{arithmetic}", "en": "{arithmetic}"}


class Spec(RuleBase):
    kind: Literal["bound"]
    over: Literal["fractions", "shares", "ranks", "scopes"]


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    yield from {"fractions": _fractions, "shares": _shares, "ranks": _ranks, "scopes": _parts}[rule.over](ctx)


def _fractions(ctx: Context) -> Iterator[Outcome]:
    qs = ctx.report.quantities
    reversed_pairs = {id(s.numerator) for s in ctx.report.shares if reversed_pair(s)}
    for a, b in zip(qs, qs[1:]):
        if a.role != "numerator" or b.role != "denominator" or b.target or id(a) in reversed_pairs:
            continue  # a target may be passed: "38.412/35.000 tài khoản theo chỉ tiêu"
        ok = a.value <= b.value
        values = {"value": ctx.fmt(a.value), "limit": ctx.fmt(b.value), "name": "", "where": ""}
        values["arithmetic"] = f"{values['value']} {'≤' if ok else '>'} {values['limit']}"
        yield Outcome("pass" if ok else "fail", a.start, b.end, values, [a.number, b.number], [], values["arithmetic"],
                      sure=a.sure and b.sure, scope=None)


def _shares(ctx: Context) -> Iterator[Outcome]:
    for s in ctx.report.shares:
        p = s.pct
        if s.comparison or p.role != "quantity" or (s.numerator is not None and s.numerator.unit == "money"):
            continue
        if _ratio_of_others(ctx, ctx.key_of(s.numerator), s):
            continue
        ok = p.value <= 100
        if not ok and s.compared:
            continue  # "… (số đã giải quyết so với số tiếp nhận mới) đạt 103,40%": a ratio, which may pass 100%
        values = {"value": ctx.q(p), "limit": "100%", "name": "", "where": ctx.where(s.scope)}
        values["arithmetic"] = f"{ctx.q(p)} {'≤' if ok else '>'} 100%"
        yield Outcome("pass" if ok else "fail", p.start, p.end, values, [p.number], [], values["arithmetic"],
                      sure=p.sure and (s.via != "" or s.rate_named), scope=s.scope)


def _ratio_of_others(ctx: Context, key: str | None, s) -> bool:
    """"đã giải quyết 8.410 hồ sơ (bằng 100,8% số hồ sơ tiếp nhận mới …)": a figure over a base it is
    no part of is a ratio, which may exceed 100%, not a share."""
    if key is None or not s.base_named or not s.base_keys or s.base_keys[0].startswith("*"):
        return False
    return s.base_keys[0] not in (key, *ancestors(ctx.parents, key))


def _ranks(ctx: Context) -> Iterator[Outcome]:
    for r in ctx.report.ranks:
        ok = 1 <= r.rank.value <= r.of.value
        values = {"value": ctx.fmt(r.rank.value), "limit": ctx.fmt(r.of.value), "name": "", "where": ""}
        values["arithmetic"] = f"1 ≤ {values['value']} ≤ {values['limit']}" if ok else f"{values['value']}/{values['limit']}"
        yield Outcome("pass" if ok else "fail", r.rank.start, r.of.end, values, [r.rank.number, r.of.number], [],
                      values["arithmetic"], sure=r.rank.sure and r.of.sure)


def _parts(ctx: Context) -> Iterator[Outcome]:
    """A part stated above its whole: "quá hạn 2.600" under "đã giải quyết 470". The whole is the
    nearest figure the scope states up the lexicon's parents (online -> new -> received)."""
    parents = ctx.parents
    # figures the text states as parts of a larger one ("trong đó Công an tỉnh tiếp nhận 96.164 hồ sơ, …")
    part_of = {id(p[0]): bd.total[0] for bd in ctx.report.breakdowns
               if bd.how in ("marker", "aside", "children") and len(bd.total) == 1 for p in bd.parts}
    for sf in ctx.scopes.values():
        for key in list(sf.stated):
            part, whole_key, whole = sf.first(key), parents.get(key), None
            while whole_key and whole is None:
                whole = sf.first(whole_key)
                whole = whole if whole is not None else None
                if whole is None:
                    whole_key = parents.get(whole_key)
            if part is None or whole is None or part.q.role == "zero":
                continue
            ok = part.q.value <= whole.q.value + part.q.tolerance + whole.q.tolerance
            explain = (_part_values, ctx, key, whole_key, part.q.value, whole.q.value, ok, sf.scope)
            numbers = [part.q.number] + numbers_of_fact(whole)
            related = [Related(ctx.name(whole_key), whole.q.start, whole.q.end)]
            if ok:
                yield Outcome("pass", part.q.start, part.q.end, {}, numbers, related, scope=sf.scope, explain=explain)
                continue
            values = _part_values(*explain[1:])
            larger = part_of.get(id(whole.q))
            if larger is not None and part.q.value <= larger.value:
                # the whole is stated as one part of a larger figure, which does hold this one: whose part it
                # is, the words do not say
                yield Outcome("skip", part.q.start, part.q.end, values, numbers, related, values["arithmetic"],
                              scope=sf.scope, reason=ctx.t(
                                  f"{ctx.q(whole.q)} là một phần của {ctx.q(larger)}; không rõ {ctx.q(part.q)} là của số nào",
                                  f"{ctx.q(whole.q)} is one part of {ctx.q(larger)}; which of them {ctx.q(part.q)} belongs to is not said"))
                continue
            sure = part.sure and whole.sure and not whole.derived and ctx.linked(whole.q, [part.q])
            yield Outcome("fail", part.q.start, part.q.end, values, numbers, related, values["arithmetic"], sure=sure,
                          scope=sf.scope)


def _part_values(ctx: Context, key: str, whole_key: str, part, whole, ok: bool, scope) -> dict[str, str]:
    values = {"value": ctx.fmt(part), "limit": ctx.fmt(whole), "name": f"{ctx.name(key)} / {ctx.name(whole_key)}",
              "where": ctx.where(scope)}
    values["arithmetic"] = f"{ctx.name(key)} ({values['value']}) {'≤' if ok else '>'} {ctx.name(whole_key)} ({values['limit']})"
    return values

