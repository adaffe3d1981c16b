"""dates: dates that exist and come in order.

`over: dates`: every complete date is a real day, and the report's own date is complete. `over:
periods`: a period starts before it ends and ends by the report's date. `over: references`: a
document the report cites is dated by the report's date. `over: numbering`: documents of one
series, issuer and year are numbered in the order of their dates (a pair of numbers compared,
or the check is not made).
"""
from __future__ import annotations

import calendar
from datetime import date
from typing import Iterator, Literal

from ...facts import DateMention
from ...findings import Related
from .base import Context, Outcome, RuleBase

SLOTS = ("date", "limit", "what", "where")
PASSED = {"vi": "{what} {date}", "en": "{what} {date}"}


class Spec(RuleBase):
    kind: Literal["dates"]
    over: Literal["dates", "periods", "references", "numbering"]


def as_date(d: DateMention | None) -> date | None:
    if d is None or not d.complete:
        return None
    try:
        return date(d.year, d.month, d.day)  # type: ignore[arg-type]
    except ValueError:
        return None


def text(d: DateMention) -> str:
    return f"{d.day or '?'}/{d.month or '?'}/{d.year or '?'}"


def run(rule: Spec, ctx: Context) -> Iterator[Outcome]:
    yield from {"dates": _valid, "periods": _periods, "references": _references, "numbering": _numbering}[rule.over](ctx)


def _out(status: str, start: int, end: int, ctx: Context, what: str, d: str, limit: str, arithmetic: str,
         numbers: list, related=(), sure: bool = True) -> Outcome:
    values = {"date": d, "limit": limit, "what": what, "where": "", "arithmetic": arithmetic}
    return Outcome(status, start, end, values, numbers, list(related), arithmetic, sure=sure)


def _valid(ctx: Context) -> Iterator[Outcome]:
    h = ctx.report.header
    for d in ctx.report.dates:
        is_header = h.date is d
        nums = [x for x in (d.day, d.month, d.year) if x is not None]
        if not d.complete:
            if is_header:
                missing = [n for n, v in ((ctx.t("ngày", "day"), d.day), (ctx.t("tháng", "month"), d.month),
                                          (ctx.t("năm", "year"), d.year)) if v is None]
                yield _out("fail", d.start, d.end, ctx, ctx.t("ngày ban hành thiếu", "the report date lacks the"),
                           d.raw, ", ".join(missing), text(d), nums, sure=False)
            continue
        ok = as_date(d) is not None and 1900 <= (d.year or 0) <= 2100
        if ok:
            if is_header:
                yield _out("pass", d.start, d.end, ctx, ctx.t("ngày ban hành", "report date"), text(d), "", text(d), nums)
            continue
        last = calendar.monthrange(d.year, d.month)[1] if d.year and d.month and 1 <= d.month <= 12 else None
        why = ctx.t(f"tháng {d.month} chỉ có {last} ngày" if last else "không có ngày này",
                    f"month {d.month} has only {last} days" if last else "no such date")
        yield _out("fail", d.start, d.end, ctx, why, d.raw, "", text(d), nums)


def _periods(ctx: Context) -> Iterator[Outcome]:
    h = ctx.report.header
    report_day = as_date(h.date)
    for a, b, start, end in ctx.report.periods:
        da, db = as_date(a), as_date(b)
        if da is None or db is None:
            continue
        problems = []
        if da > db:
            problems.append(ctx.t(f"bắt đầu {text(a)} sau ngày kết thúc {text(b)}", f"starts {text(a)} after it ends {text(b)}"))
        if report_day and db > report_day:
            problems.append(ctx.t(f"kết thúc {text(b)} sau ngày báo cáo {text(h.date)}",
                                  f"ends {text(b)} after the report date {text(h.date)}"))
        related = [Related(ctx.t("ngày báo cáo", "report date"), h.date.start, h.date.end)] if h.date else []
        arith = f"{text(a)} ≤ {text(b)}" + (f" ≤ {text(h.date)}" if report_day else "")
        nums = [x for x in (a.day, a.month, a.year, b.day, b.month, b.year) if x is not None]
        yield _out("fail" if problems else "pass", start, end, ctx, "; ".join(problems) or ctx.t("kỳ báo cáo", "period"),
                   f"{text(a)} – {text(b)}", text(h.date) if h.date else "", arith, nums, related)


def _references(ctx: Context) -> Iterator[Outcome]:
    h = ctx.report.header
    report_day = as_date(h.date)
    if report_day is None:
        return
    for ref in ctx.report.references:
        d = as_date(ref.date)
        if d is None or (h.number_span and ref.start <= h.number_span[0] < ref.end):
            continue
        ok = d <= report_day
        label = ref.written or f"{ref.number}/{ref.suffix.upper()}"
        related = [Related(ctx.t("ngày báo cáo", "report date"), h.date.start, h.date.end)]
        nums = [ref.number] + [x for x in (ref.date.day, ref.date.month, ref.date.year)]
        yield _out("pass" if ok else "fail", ref.start, ref.date.end, ctx, ctx.t(f"văn bản {label} ngày", f"document {label} of"),
                   text(ref.date), text(h.date), f"{text(ref.date)} {'≤' if ok else '>'} {text(h.date)}", nums, related)


def _numbering(ctx: Context) -> Iterator[Outcome]:
    groups: dict[tuple[str, str, int], list] = {}
    for r in ctx.report.references:
        if as_date(r.date) is None:
            continue
        groups.setdefault((r.doc_type.replace("&", "")[:2], r.suffix.strip("-").replace("đ", "d"), r.date.year), []).append(r)
    for (_, _, year), members in groups.items():
        suffix = next((r.written.partition("/")[2] for r in members if r.written), members[0].suffix.upper())
        uniq = {}
        for r in members:
            uniq.setdefault(r.number, r)
        members = sorted(uniq.values(), key=lambda r: r.number)
        pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:] if _same_issuer(a.issuer, b.issuer)]
        seq = ", ".join(f"{r.number} ({text(r.date)})" for r in members)
        nums = [r.number for r in members]
        if len(members) < 2:
            continue
        if not pairs:
            yield Outcome("skip", members[0].start, members[0].end, {}, nums, scope=None,
                          reason=ctx.t(f"các văn bản {suffix} năm {year} do các cơ quan khác nhau ban hành, không so được",
                                       f"the {suffix} documents of {year} come from different issuers; no pair to compare"))
            continue
        bad = [(a, b) for a, b in pairs if as_date(a.date) > as_date(b.date)]
        a, b = bad[0] if bad else pairs[0]
        what = ctx.t(f"số {a.written or a.number} ngày {text(a.date)}, số {b.written or b.number} ngày",
                     f"no. {a.written or a.number} dated {text(a.date)}, no. {b.written or b.number} dated")
        yield _out("fail" if bad else "pass", a.start, a.end, ctx, what, text(b.date), seq, seq, nums,
                   [Related(b.written or f"{b.number}/{suffix}", b.start, b.end)])


def _same_issuer(a: str | None, b: str | None) -> bool:
    """A citation without issuer is the reporting unit's own or its direct superior's; a province's
    documents are always cited with their issuer."""
    if a and b:
        return a == b
    return (a or b) in (None, "huyen", "xa", "thi xa", "phuong", "quan")
