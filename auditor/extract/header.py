"""The letterhead: issuer and its level, document number, place and date, the reporting period;
and every dated document the text cites."""
from __future__ import annotations

import re

from ..facts import DateMention, Reference
from ..source.normalize import fold
from .context import Ctx

HEADER_LINES = 14  # the letterhead and title stand in a report's first lines
_DOC_NUMBER = re.compile(r"(\d{1,5})\s?/\s?([A-ZĐ][A-ZĐa-z]*(?:\s?-\s?[A-ZĐ][A-ZĐa-z\-]*)+)")
_DOC_KINDS = {"bc": "bao cao", "kh": "ke hoach", "qd": "quyet dinh", "tb": "thong bao", "tt": "to trinh"}
_OWN_NUMBER = re.compile(r"(?:^|\n)\W*s[o06b8e]\s*:?\s*$")
# where the title ends: the first section heading, or the sentence that opens the body
_BODY_START = re.compile(r"^\W*(?:[ivxl]+|\d+|[a-d])[.)]\s|^\W*(?:thuc hien|can cu|theo|ngay \d)")
_DATE_WORD = re.compile(r"\s*,?\s*ng[a-z]{1,2}y\s*")
_PLACE = re.compile(r"([^\s,][^,\n]*?)\s*,\s*$")
_CAPITALISED = re.compile(r"(?:[A-ZĐÀ-Ỹ][^\s,]*\s*){1,4}$")


def read_header(ctx: Ctx) -> None:
    h = ctx.report.header
    lex, f, text = ctx.lex, ctx.folded, ctx.text
    head_end = ctx.line_starts[HEADER_LINES] if len(ctx.line_starts) > HEADER_LINES else len(text)
    lines = [ln for ln in f[:head_end].split("\n") if ln.strip()][:8]
    levels = [[lvl for lvl, rx in lex.report_level.items() if rx.search(ln.strip("* "))] for ln in lines]
    h.level = next((lvl for said in levels for lvl in said), None)
    # a letterhead naming the body above first ("UBND HUYỆN CHƯƠNG MỸ⏎UBND XÃ ĐÔNG SƠN"): the lower line issues
    stacked = [lvl for said in levels[:_letterhead_length(lines)] for lvl in said]
    if len(stacked) >= 2:
        h.level = stacked[-1]
    for ln in text[:head_end].split("\n")[:8]:  # the line under "ỦY BAN NHÂN DÂN" naming the unit
        fl = fold(ln).strip("* ")
        m = lex.unit_line.match(fl)
        if m and not fl.startswith(("uy ban", "ubnd", "cong hoa")):
            raw = ln.strip("* ")[m.start(1):m.end(1)]
            h.issuer = "UBND " + raw.strip().title()
            break
    # the report's own number stands after "Số:" on a line of the letterhead, not after "Công văn số"
    m = next((m for m in _DOC_NUMBER.finditer(text[:head_end]) if _OWN_NUMBER.search(f, max(0, m.start() - 8), m.start())), None)
    if m:
        h.number = re.sub(r"\s+", "", m.group(0))
        h.number_span = (m.start(), m.end())
        ctx.mark(m.start(), m.end(), "docref")
    dates = [d for d in ctx.report.dates if d.start < head_end and "ng" in f[d.start:d.start + 3]]
    if dates:
        h.date = dates[0]
        if h.number and h.number_span:
            num, _, suffix = h.number.partition("/")
            ctx.report.references.append(Reference(_DOC_KINDS.get(fold(suffix)[:2], "cong van"), int(num), fold(suffix),
                                                   h.date, None, h.number_span[0], h.number_span[1], h.number))
        line_start = f.rfind("\n", 0, h.date.start) + 1
        if h.number_span and line_start <= h.number_span[1] <= h.date.start:
            line_start = h.number_span[1]  # "Số: 195/BC-UBND   Đại Sơn, ngày …" on one line
        pm = _PLACE.search(text[line_start:h.date.start])
        if pm:
            place = re.sub(r".*\s{2,}", "", pm.group(1)).strip()
            caps = _CAPITALISED.search(place)
            h.place = (caps.group(0).strip() if caps else place[-40:]) or None
    h.subject_level = _subject_level(ctx, head_end)
    periods = read_periods(ctx)
    if periods:
        a, b, start, end = periods[0]
        h.period_start, h.period_end, h.period_text = a, b, text[start:end]
    else:
        after = h.date.end if h.date else 0
        qm = lex.period_named.search(f, after, head_end + 2000)
        if qm:
            h.period_text = text[qm.start():qm.end()]
            # "… Quý III và 9 tháng năm 2024": a title naming two periods makes neither the report's own
            period = lex.scope_rx("period")
            other = [m for m in period.finditer(f, max(f.rfind("\n", 0, qm.start()) + 1, qm.start() - 40), qm.start())
                     if re.fullmatch(r"\s*(?:va|,)\s*", f[m.end():qm.start()])]
            if other:
                h.period_text, h.several_periods = text[other[0].start():qm.end()], True
    ctx.report.periods = periods


_LETTERHEAD_END = re.compile(r"^\W*(?:s[o06]\s*:|bao cao\b|kinh gui\b)")


def _letterhead_length(lines: list[str]) -> int:
    """How many of the first lines are the letterhead's: those before the number ("Số: …"), the title or the addressee."""
    return next((i for i, ln in enumerate(lines) if _LETTERHEAD_END.match(ln)), len(lines))


def _subject_level(ctx: Ctx, head_end: int) -> str | None:
    """The one level the title says the whole report is about ("Kết quả giải quyết TTHC cấp xã" from
    a city's service centre): its figures are the document's, wherever "cấp xã" is said again. None
    when the title names no level, or several ("cấp huyện và cấp xã"). The title ends at the first
    heading, the sentence that opens the body, or the first line with a figure."""
    rx = ctx.lex.scope_rx("level")
    named: set[str] = set()
    figures = [q.start for q in ctx.report.quantities if q.role in ("quantity", "numerator")]
    start = 0
    for ln in ctx.folded[:head_end].split("\n"):
        end = start + len(ln)
        if _BODY_START.search(ln) or any(start <= p < end for p in figures[:64]):
            break
        # "Văn phòng UBND tỉnh báo cáo …", "ỦY BAN NHÂN DÂN TỈNH …": who reports, not what about
        named.update(m.lastgroup for m in rx.finditer(ln) if m.lastgroup and not m.group(0).startswith(("ubnd", "uy ban")))
        start = end + 1
    return named.pop() if len(named) == 1 else None


def _date_in(ctx: Ctx, start: int, end: int) -> DateMention | None:
    return next((d for d in ctx.report.dates if start <= d.start < end), None)


def read_periods(ctx: Ctx) -> list[tuple[DateMention, DateMention, int, int]]:
    out = []
    for m in ctx.lex.period.finditer(ctx.folded):
        a = _date_in(ctx, m.start("a"), m.end("a"))
        b = _date_in(ctx, m.start("b"), m.end("b"))
        if a and b:
            out.append((a, b, m.start(), m.end()))
    return out


def read_references(ctx: Ctx) -> None:
    for m in ctx.lex.reference.finditer(ctx.folded):
        ctx.report.references.append(_reference(ctx, m))


def _reference(ctx: Ctx, m: re.Match) -> Reference:
    f, dates = ctx.folded, ctx.report.dates
    date = None
    dm = _DATE_WORD.match(f, m.end(), m.end() + 60)
    if dm:
        date = next((d for d in dates if dm.end() <= d.start < dm.end() + 3), None)
    if date is None:
        lo = max(0, m.start() - 80)
        before = list(re.finditer(r"ng[a-z]{1,2}y\s*", f[lo:m.start()]))
        if before and not re.search(r"[.;]\s|\n\s*\n", f[lo + before[-1].start():m.start()]):
            pos = lo + before[-1].end()
            date = next((d for d in dates if pos <= d.start < pos + 3), None)
    after = date.end if date else m.end()
    im = ctx.lex.issuer.match(f[after:after + 70])
    written = re.sub(r"\s+", "", ctx.text[m.start("num"):m.end("suffix")])
    return Reference(m.group("type"), int(m.group("num")), re.sub(r"\s+", "", m.group("suffix")),
                     date, im.group(1) if im else None, m.start(), m.end(), written)
