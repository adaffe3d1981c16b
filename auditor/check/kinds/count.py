"""count: a stated count against what is counted.

`over: lists`: "08/11 đơn vị (A, B, …)", "03 xã: A, B và C", "Cộng 06 cơ quan" under six rows.
`over: table_cells`: a table row with more cells than its header has columns (its figures stand
under the wrong headings, so it takes part in no arithmetic and is reported once).
"""
from __future__ import annotations

from typing import Iterator, Literal

from ...findings import Related
from .base import Context, Outcome, RuleBase

SLOTS = ("stated", "listed", "items", "where")
PASSED = {"vi": "nêu {stated}, liệt kê {listed}: {items}", "en": "states {stated}, lists {listed}: {items}"}


class Spec(RuleBase):
    kind: Literal["count"]
    over: Literal["lists", "table_cells"]


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    yield from (_lists(ctx) if rule.over == "lists" else _cells(ctx))


def _lists(ctx: Context) -> Iterator[Outcome]:
    text = ctx.report.text
    for lc in ctx.report.lists:
        n = len(lc.items)
        stated = lc.count.value
        ok = stated == n or (lc.alternative_count is not None and stated == lc.alternative_count)
        names = "; ".join(" ".join(text[s:e].split())[:40] for s, e in lc.items)
        listed = str(n)
        if lc.alternative_count is not None and not ok:
            # "… mức độ hài lòng và số hóa hồ sơ": a last "và" that may join two names or belong to one
            listed = ctx.t(f"{n} (hoặc {lc.alternative_count}, nếu đọc khác chữ “và” cuối)",
                           f"{n} (or {lc.alternative_count}, reading the last “và” otherwise)")
        values = {"stated": ctx.fmt(stated), "listed": listed, "items": names, "where": ""}
        values["arithmetic"] = f"{values['stated']} {'=' if ok else '≠'} {listed}"
        related = [Related(ctx.t(f"mục {i + 1}", f"item {i + 1}"), s, e) for i, (s, e) in enumerate(lc.items[:12])]
        numbers = [lc.count.number] + ([lc.of.number] if lc.of is not None else []) + [n]
        if lc.alternative_count is not None and not ok:
            numbers.append(lc.alternative_count)
        # a list is read for sure when its names are plain: no name with "và" or more than six words
        plain = all(len(text[s:e].split()) <= 6 and " và " not in text[s:e] and " va " not in text[s:e]
                    for s, e in lc.items)
        sure = lc.count.sure and lc.alternative_count is None and lc.noun != "rows" and plain
        yield Outcome("pass" if ok else "fail", lc.count.start, lc.end, values, numbers, related, values["arithmetic"],
                      sure=sure)


def _cells(ctx: Context) -> Iterator[Outcome]:
    for table in ctx.report.tables:
        width = table.numbered_width or max((len([c for c in h.cells if c.text]) for h in table.headers),
                                            default=table.width)
        for row in table.misaligned:
            values = {"stated": str(width), "listed": str(row.raw_count), "items": "", "where": ""}
            values["arithmetic"] = f"{row.raw_count} ≠ {width}"
            yield Outcome("fail", row.start, row.end, values, [row.raw_count, width], [], values["arithmetic"], sure=False)
