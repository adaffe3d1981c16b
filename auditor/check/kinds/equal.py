"""equal: one figure stated in two places must have one value.

`over: scopes` compares the statements of one key in one scope: the same figure in the prose twice,
the prose and the table row of the same unit (`sources` picks which pairs a rule compares), a
"không có hồ sơ quá hạn" against a stated count. With `key` and `equals` it compares two keys that
must agree (the base of a digitisation rate and the dossiers received). `over: clauses` compares a
sentence stated twice with other figures.
"""
from __future__ import annotations

from typing import Iterator, Literal

from pydantic import model_validator

from ...facts import Fact, parts_stated
from ...findings import Related
from .base import Context, Outcome, RuleBase, numbers_of_fact

SLOTS = ("name", "first", "second", "difference", "where")
PASSED = {"vi": "{name}: {first} = {second}", "en": "{name}: {first} = {second}"}


class Spec(RuleBase):
    kind: Literal["equal"]
    over: Literal["scopes", "clauses", "reports"]
    sources: Literal["text", "table", "mixed", "any"] = "any"  # over scopes: which pairs of statements
    key: str | None = None  # with `equals`: this key's figure must equal one of those keys' figure
    equals: list[str] = []

    @model_validator(mode="after")
    def _fields(self) -> "Spec":
        if bool(self.key) != bool(self.equals):
            raise ValueError("luật equal cần cả 'key' và 'equals', hoặc không cái nào")
        return self

    def keys(self) -> list[str]:
        return ([self.key] if self.key else []) + list(self.equals)


def _source(fa: Fact) -> str:
    return "table" if fa.label_at == "column" else "text"


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    if rule.over == "reports":
        return  # run over the --db store after a batch (auditor/across/checks.py)
    if rule.over == "clauses":
        yield from _clauses(ctx)
    elif rule.key:
        yield from _key_equals(rule, ctx)
    else:
        yield from _repeats(rule, ctx)


def _repeats(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    shares = {id(s.pct): s for s in ctx.report.shares}
    bases = {id(s.numerator): s.denominator for s in ctx.report.shares
             if s.numerator is not None and s.denominator is not None and s.via == "fraction"}
    for sf in ctx.scopes.values():
        for key, facts in sf.stated.items():
            if len(facts) < 2:
                continue
            first = sf.first(key)
            if first is None:
                continue
            for other in facts:
                if other is first or other.q is first.q:
                    continue
                pair = {_source(first), _source(other)}
                if rule.sources == "mixed" and pair != {"text", "table"} or \
                        rule.sources in ("text", "table") and pair != {rule.sources}:
                    continue
                if other.q.role == first.q.role == "numerator" and other.q.start - first.q.end < 200:
                    continue  # "a/b … c/b" in one sentence: two shares of one base, not one figure twice
                if key.endswith("%") and _bases_differ(ctx, shares, first.q, other.q):
                    continue  # "99,59%" of the resolved and "99,51% trên số hồ sơ đến hạn": two rates
                out = _pair(ctx, sf, key, first, other)
                if out is None:
                    continue
                if out.status == "fail" and (_narrower(ctx, sf, first, bases) or _narrower(ctx, sf, other, bases)):
                    out.sure = False
                yield out


def _narrower(ctx: Context, sf, fa: Fact, bases: dict) -> bool:
    """A count stated over a base the scope gives for no whole it is part of ("843/1555 hồ sơ của TTHC
    có cung cấp dịch vụ công trực tuyến" where the scope received 1.945): the count of a narrower set,
    perhaps not the scope's own figure."""
    base = bases.get(id(fa.q))
    if base is None:
        return False
    key, wholes = fa.key.rstrip("%"), []
    while (key := ctx.parents.get(key)) is not None:
        wholes += [w.q.value for w in sf.stated.get(key, [])] + ([sf.derived[key].q.value] if key in sf.derived else [])
    return base.value not in wholes


def _bases_differ(ctx: Context, shares: dict, a, b) -> bool:
    """Whether two rates of one key name different bases: one names its base and the other does not,
    or they name different ones (`shares`: the report's shares by their percentage)."""
    def base(q):
        s = shares.get(id(q))
        if s is not None and (s.base_named or s.base_unread):
            return (s.base_keys, s.denominator.value if s.denominator is not None else None, s.base_unread)
        named = ctx.report.bases_before.get(q.start)
        return ("before", named) if named is not None else None
    return base(a) != base(b)


def fits_headline(q, exact) -> bool:
    """Whether a headline figure fits the exact one: "hơn 5.200" fits 5.236; "gần 3.000" fits 2.984;
    "khoảng 177 nghìn" fits within a tenth of it."""
    v, x = q.value, exact.value
    if q.approx == "above":
        return x >= v
    if q.approx == "below":
        return v * 9 / 10 <= x <= v
    return abs(x - v) <= v / 10


def _pair(ctx: Context, sf, key: str, first: Fact, other: Fact) -> Outcome:
    if first.q.approx or other.q.approx:
        headline, exact = (first, other) if first.q.approx else (other, first)
        if exact.q.approx:
            return None  # two headlines say nothing exact of each other
        same = fits_headline(headline.q, exact.q)
    else:
        same = first.q.value == other.q.value or (first.q.tolerance or other.q.tolerance) and \
            abs(first.q.value - other.q.value) <= first.q.tolerance + other.q.tolerance
    # text against table: "first" is what the text says, "second" what the table says, whichever comes first
    a, b = (other, first) if _source(first) == "table" and _source(other) == "text" else (first, other)
    related = [Related(ctx.t("lần nêu trước", "stated before"), first.q.start, first.q.end)]
    numbers = [first.q.number, other.q.number]
    explain = (_pair_values, ctx, sf.scope, key, a, b, abs(first.q.value - other.q.value), same)
    if same:
        return Outcome("pass", other.q.start, other.q.end, {}, numbers, related, scope=sf.scope, explain=explain)
    values = _pair_values(*explain[1:])
    with_others = _counted_with(ctx, sf, key, a, b)
    if with_others:
        # "giải quyết đúng hạn 2.962" against a table's "Trước hạn 2.343 | Đúng hạn 619": the text counts both
        whole, part, extra = with_others
        same = True
        numbers += [x.q.number for x in extra]
        related += [Related(ctx.name(x.key), x.q.start, x.q.end) for x in extra]
        values["arithmetic"] = " + ".join(ctx.fmt(x.q.value) for x in [part] + extra) + f" = {ctx.fmt(whole.q.value)}"
        counting = ", ".join(ctx.name(x.key) for x in extra)
        values["first"] = values["second"] = ctx.fmt(whole.q.value) + ctx.t(f" (tính cả {counting})", f" (counting {counting})")
    if same:
        return Outcome("pass", other.q.start, other.q.end, values, numbers, related, values["arithmetic"], scope=sf.scope)
    sure = first.sure and other.sure and other.q.role != "zero" and first.q.role != "zero" \
        and not _grouped(sf, key, first, other)
    return Outcome("fail", other.q.start, other.q.end, values, numbers, related, values["arithmetic"], sure=sure,
                   scope=sf.scope)


def _pair_values(ctx: Context, scope, key: str, a: Fact, b: Fact, difference, same: bool) -> dict[str, str]:
    pct = "%" if key.endswith("%") else ""
    values = {"name": ctx.name(key.rstrip("%")) + (ctx.t(" (tỷ lệ)", " (rate)") if pct else ""),
              "first": ctx.q(a.q) if pct else ctx.fmt(a.q.value),
              "second": ctx.q(b.q) if pct else ctx.fmt(b.q.value),
              "difference": ctx.fmt(difference) + pct, "where": ctx.where(scope)}
    values["arithmetic"] = f"{values['first']} {'=' if same else '≠'} {values['second']}"
    return values


def _counted_with(ctx: Context, sf, key: str, a: Fact, b: Fact) -> tuple[Fact, Fact, list[Fact]] | None:
    """Whether one statement is the other counted with the figures its name may include
    (relations.rate_includes: "đúng hạn" for early and on time alike), stated beside the other in the
    same place (text or table): (the whole, the part, the others). A text against a table, or the
    fraction of a rate against the breakdown before it ("1.061/1.068" after "trước hạn 833, đúng hạn 228")."""
    keys = ctx.includes.get(key, ())
    if not keys:
        return None
    for whole, part in ((a, b), (b, a)):
        extra = [next((f for f in sf.stated.get(k, []) if _source(f) == _source(part) and not f.q.approx), None) for k in keys]
        if all(x is not None for x in extra) and part.q.value + sum(x.q.value for x in extra) == whole.q.value:
            return whole, part, extra
    return None


def _grouped(sf, key: str, first: Fact, other: Fact) -> bool:
    """Whether the gap between a text and a table is another figure the scope states: "đang giải quyết
    1 hồ sơ, đang tạm dừng 01 hồ sơ" against a table's "Đang giải quyết: 2" that counts both."""
    if {_source(first), _source(other)} != {"text", "table"}:
        return False
    gap = abs(first.q.value - other.q.value)
    return any(f.q.value == gap and f.label_at != "column" for k, facts in sf.stated.items() if k != key for f in facts)


def _key_equals(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    parts = parts_stated(ctx.report.facts, ctx.parents)
    for sf in ctx.scopes.values():
        for base in sf.stated.get(rule.key or "", []):
            targets = [(k, sf.first(k)) for k in rule.equals]
            targets = [(k, t) for k, t in targets if t is not None]
            if not targets:
                continue
            k, t = next(((k, t) for k, t in targets if t.q.value == base.q.value), targets[0])
            same = t.q.value == base.q.value
            values = {"name": ctx.name(k), "first": ctx.fmt(base.q.value), "second": ctx.fmt(t.q.value),
                      "difference": ctx.fmt(abs(base.q.value - t.q.value)), "where": ctx.where(sf.scope)}
            values["arithmetic"] = f"{values['first']} {'=' if same else '≠'} {values['second']}"
            usual = rule.equals[0]
            if not same and k != usual and parts.get(k, set()) - {usual}:
                # "tiếp nhận 105.372 hồ sơ" with 1.316 carried over, and a base of 104.056: the new ones, not stated
                yield Outcome("skip", base.q.start, base.q.end, values, [base.q.number] + numbers_of_fact(t), [],
                              values["arithmetic"], scope=sf.scope, reason=ctx.t(
                                  f"báo cáo không nêu {ctx.name(usual)}; {ctx.name(k)} còn gồm phần khác",
                                  f"the report does not state the {ctx.name(usual)}; the {ctx.name(k)} hold other parts too"))
                continue
            yield Outcome("pass" if same else "fail", base.q.start, base.q.end, values,
                          [base.q.number] + numbers_of_fact(t), [Related(ctx.name(k), t.q.start, t.q.end)],
                          values["arithmetic"], sure=base.sure and t.sure and not t.derived, scope=sf.scope)


def _apart(a, b) -> bool:
    """Two scopes of which neither holds the other ("* Giáo dục và Đào tạo: …", "* Văn hóa và Thông tin: …", even when
    the reader could not name them): the same words in each speak of two things."""
    if a is None or b is None or a is b:
        return False
    return a not in b.chain() and b not in a.chain()


def _clauses(ctx: Context) -> Iterator[Outcome]:
    """The same clause, figures masked, stated twice in one scope with other figures."""
    seen: dict[tuple[int, str], object] = {}
    for c in ctx.report.clauses:
        scope = c.scope
        # a section not understood says nothing of scope; a clause that names its group of linked
        # procedures says it wherever it stands
        while scope is not None and (scope.kind == "other" or scope.kind == "group" and c.names_group):
            scope = scope.parent
        key = (scope.id if scope else -1, c.shape)
        first = seen.setdefault(key, c)
        if first is c or len(first.numbers) != len(c.numbers) or _apart(first.scope, c.scope):
            continue
        diffs = [(a, b) for a, b in zip(first.numbers, c.numbers) if a.value != b.value]
        a, b = (diffs[0] if diffs else (first.numbers[0], c.numbers[0]))
        values = {"name": "", "first": ctx.q(a), "second": ctx.q(b), "difference": ctx.fmt(abs(a.value - b.value)),
                  "where": ctx.where(c.scope)}
        values["arithmetic"] = " ; ".join(f"{ctx.q(x)} {'=' if x.value == y.value else '≠'} {ctx.q(y)}"
                                          for x, y in zip(first.numbers, c.numbers))
        yield Outcome("pass" if not diffs else "fail", c.start, c.end, values,
                      [x.number for x in first.numbers] + [x.number for x in c.numbers],
                      [Related(ctx.t("câu nêu trước", "stated before"), first.start, first.end)], values["arithmetic"],
                      sure=False, scope=c.scope)
