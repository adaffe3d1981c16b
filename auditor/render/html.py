"""One self-contained HTML page for a clerk who never opens a terminal.

The page is written one report at a time, like the JSON writer: each report's section (its full
text with every finding marked where it stands, the explanation right under the line) is yielded
as soon as the audit arrives, and only the report's tally is kept for the summary. The summary is
therefore written last but shown first: the page is a flex column and the summary has a lower CSS
`order` than the report sections.

Nothing is fetched: inline CSS, no script, no font, no image, and a Content-Security-Policy that
forbids the browser to load anything. The same audits give the same bytes (no clock, no random ids).
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from heapq import heapify, heappop, heappush
from types import SimpleNamespace

from .. import __version__
from ..batch import summary_rows
from ..engine import Audit, unchecked_message
from ..findings import SEVERITY_ORDER
from ..positions import LineIndex
from .text import _WORDS
from .words import UNDECIDED, UNREAD_HEAD, VERDICT, batch_phrase, level_phrase

_EXTRA = {
    "vi": {
        "title": "Kết quả kiểm tra báo cáo thủ tục hành chính",
        "intro": "Trang này do tthc-audit tạo ra từ các báo cáo được kiểm tra. Bảng tổng hợp ở đầu trang; "
                 "bên dưới là từng báo cáo, với toàn văn báo cáo trong đó chỗ có vấn đề được tô màu và "
                 "giải thích ngay dưới dòng.",
        "legend": "Chú giải", "leg_rel": "số liệu dùng để đối chiếu", "leg_skip": UNDECIDED["vi"],
        "summary": "Tổng hợp", "file": "Tệp", "period_h": "Kỳ báo cáo", "made": "Kiểm tra",
        "errors": "Lỗi", "warnings": "Cảnh báo", "not_made": UNDECIDED["vi"].capitalize(), "status": "Tình trạng",
        "reports": "báo cáo", "report": "báo cáo", "unreadable": "không đọc được", "total": "Tổng cộng",
        "v_err": "{k} có lỗi", "v_warn": "{k} chỉ có cảnh báo",
        "v_ok": "{k} không phát hiện lỗi", "v_nothing": "{k} không có gì để kiểm tra", "v_unread": "{k} tệp không đọc được",
        "counts": "{checks} phép kiểm tra: {passed} đạt, {failed} không đạt ({error} lỗi, {warning} cảnh báo, "
                  "{info} lưu ý), {skip} " + UNDECIDED["vi"] + ".",
        "across": "Đối chiếu giữa các báo cáo trong kho",
        "across_counts": "{checks} phép đối chiếu: {passed} đạt, {failed} không đạt ({error} lỗi, {warning} cảnh báo, "
                         "{info} lưu ý), {skip} " + UNDECIDED["vi"] + ".",
        "across_none": "Không có phép đối chiếu nào giữa các báo cáo: kho chưa có hai báo cáo nối tiếp của cùng "
                       "đơn vị, hay báo cáo của huyện cùng các xã của nó.",
        "sample": "Mẫu",
        "findings": "Các điểm không đạt", "line": "Dòng", "code": "Mã", "sev": "Mức", "what": "Nội dung",
        "arith": "Phép tính", "culprit": "Số có khả năng sai",
        "skips": UNDECIDED["vi"].capitalize(),
        "skips_note": "Các phép kiểm tra sau không kết luận được vì báo cáo thiếu số liệu cần thiết; "
                      "chúng không được tính là đạt.",
        "fulltext": "Toàn văn báo cáo",
        "fulltext_note": "Chỗ tô màu là nơi phát hiện vấn đề; lời giải thích nằm ngay dưới dòng đó. "
                         "Số đứng đầu mỗi dòng là số dòng trong tệp.",
        "line_n": "dòng", "see_text": "xem trong văn bản", "to_list": "danh sách", "back": "Về bảng tổng hợp",
        "no_text": "Không có nội dung để hiển thị.", "generated": "Tạo bởi tthc-audit",
        "meta": "Thông tin văn bản", "decimal": "dấu thập phân",
    },
    "en": {
        "title": "Audit of administrative-procedure (TTHC) reports",
        "intro": "This page was made by tthc-audit from the reports it checked. The summary comes first; "
                 "below it, each report in full, with every problem highlighted where it stands and "
                 "explained right under its line.",
        "legend": "Key", "leg_rel": "figure it was compared with", "leg_skip": UNDECIDED["en"],
        "summary": "Summary", "file": "File", "period_h": "Period", "made": "Checks",
        "errors": "Errors", "warnings": "Warnings", "not_made": UNDECIDED["en"].capitalize(), "status": "Status",
        "reports": "reports", "report": "report", "unreadable": "unreadable", "total": "Total",
        "v_err": "{k} with errors", "v_warn": "{k} with warnings only",
        "v_ok": "{k} without errors", "v_nothing": "{k} with nothing to check", "v_unread": "{k} files unreadable",
        "counts": "{checks} checks: {passed} passed, {failed} failed (errors: {error}, warnings: {warning}, "
                  "notes: {info}), {skip} " + UNDECIDED["en"] + ".",
        "across": "Checks across the reports in the store",
        "across_counts": "{checks} comparisons: {passed} passed, {failed} failed (errors: {error}, warnings: {warning}, "
                         "notes: {info}), {skip} " + UNDECIDED["en"] + ".",
        "across_none": "No comparison across reports: the store holds no two consecutive reports of one unit, nor "
                       "a district's report with its communes'.",
        "sample": "Sample",
        "findings": "Failed checks", "line": "Line", "code": "Code", "sev": "Severity", "what": "Finding",
        "arith": "Arithmetic", "culprit": "Likely culprit",
        "skips": "Undecided checks",
        "skips_note": "These checks could not be decided because the report lacks a figure they need; "
                      "they do not count as passed.",
        "fulltext": "Full text of the report",
        "fulltext_note": "Highlights show where a problem was found; the explanation is right under that line. "
                         "The number at the start of each line is its line number in the file.",
        "line_n": "line", "see_text": "see in the text", "to_list": "list", "back": "Back to the summary",
        "no_text": "Nothing to show.", "generated": "Made by tthc-audit",
        "meta": "Document", "decimal": "decimal mark",
    },
}

_CSS = """
:root{--ink:#1f2328;--muted:#59636e;--rule:#d1d9e0;--paper:#fff;--bg:#f3f4f6;--link:#0b57d0;
--error:#b3261e;--error-bg:#ffd8d4;--error-rel:#fff0ee;--error-note:#fff5f4;
--warning:#8a5300;--warning-bg:#ffe2a0;--warning-rel:#fff6dc;--warning-note:#fffaf0;
--info:#5f6368;--info-bg:#e3e5e8;--info-rel:#f1f2f4;--info-note:#f7f8f9;--ok:#1e6b34;--ok-bg:#dcf3e3}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.55 "Segoe UI","Noto Sans",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif}
a{color:var(--link)}
code,.mono{font-family:"DejaVu Sans Mono","Liberation Mono",Consolas,Menlo,monospace;font-size:.88em}
.page{display:flex;flex-direction:column;gap:1.25rem;max-width:78rem;margin:0 auto;padding:1.25rem 1rem 3rem}
.top{order:0}.summary{order:1}.across{order:1}.reports{order:2;display:flex;flex-direction:column;gap:1.25rem}.foot{order:3}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .4rem}
h2{font-size:1.3rem;line-height:1.3;margin:0 0 .4rem;overflow-wrap:anywhere}
h3{font-size:1.08rem;margin:1.2rem 0 .45rem}
.top p{margin:.3rem 0;color:var(--muted);max-width:60rem}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;margin:.5rem 0 0;padding:0;list-style:none;font-size:.93rem}
.card{background:var(--paper);border:1px solid var(--rule);border-radius:8px;padding:1rem 1.2rem}
.verdict{margin:.1rem 0 .7rem;font-weight:600}
table.sum{border-collapse:collapse;width:100%;font-size:.95rem}
.sum th,.sum td{padding:.42rem .55rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
.sum thead th{background:#eef1f4;font-weight:600;border-bottom:2px solid #b8c2cc}
.sum td.n,.sum th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.sum th.n{white-space:normal}
.sum tfoot td{font-weight:700;border-top:2px solid #b8c2cc;border-bottom:none}
.sum tr.s2 td{background:#fff3f2}.sum tr.s1 td{background:#fff8f7}
.sum td.file{overflow-wrap:break-word;min-width:9rem}.sum td.file .dir{display:block;overflow-wrap:anywhere}
.sum td.status .tag{white-space:normal}.sum td.file a{text-decoration:none}.sum td.file .fn{text-decoration:underline}
.dir{color:var(--muted);font-weight:400;font-size:.85em}
.sum .nz-e{color:var(--error);font-weight:700}.sum .nz-w{color:var(--warning);font-weight:700}
.tag{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.82rem;font-weight:600;
line-height:1.5;white-space:nowrap;border:1px solid transparent}
.tag.error,.tag.unread{background:var(--error-bg);color:var(--error);border-color:#f0a8a0}
.tag.warning{background:var(--warning-bg);color:var(--warning);border-color:#e9c46a}
.tag.info,.tag.skip{background:var(--info-bg);color:#3c4043;border-color:#c4c8cc}
.tag.ok{background:var(--ok-bg);color:var(--ok);border-color:#9fd5ae}
.report .counts{margin:.2rem 0 .2rem}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.6rem 0;font-size:.93rem}
.meta dt{color:var(--muted)}.meta dd{margin:0;overflow-wrap:anywhere}
.problems{border-left:5px solid var(--error);background:var(--error-note);padding:.6rem .9rem;margin:.7rem 0;border-radius:4px}
.problems h3{margin:0 0 .3rem;color:var(--error)}.problems ul{margin:0;padding-left:1.2rem}
.unread{border-left:5px solid var(--warning);background:var(--warning-note);padding:.6rem .9rem;margin:.7rem 0;border-radius:4px}
.unread h3{margin:0 0 .3rem;color:var(--warning)}.unread ul{margin:0;padding-left:1.2rem}
.sum tr.v-not_checked td{background:#f4f5f6;color:#3c4043}
ul.places{margin:.2rem 0 0;padding-left:1.1rem;font-size:.9rem;color:#3c4043}
table.find{border-collapse:collapse;width:100%;font-size:.94rem}
.find th,.find td{padding:.4rem .5rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
.find thead th{background:#eef1f4;font-weight:600}
.find td.ln{white-space:nowrap}.find .pl{color:var(--muted);font-size:.85em;white-space:normal}
.find .ar,.find .cu{margin-top:.2rem;color:#3c4043}
.find .lbl{color:var(--muted)}
ul.skips{margin:.3rem 0;padding-left:1.2rem;font-size:.94rem}ul.skips li{margin:.2rem 0}
.hint{color:var(--muted);font-size:.9rem;margin:.2rem 0 .5rem}
.src{border:1px solid var(--rule);border-radius:6px;background:#fff;overflow-x:auto;padding:.5rem 0;font-size:.97rem}
.l{display:grid;grid-template-columns:3.6em minmax(0,1fr);align-items:start;min-height:1.55em}
.lno{color:#8c959f;text-align:right;padding-right:.8em;font-size:.75em;line-height:2.067;
font-variant-numeric:tabular-nums;user-select:none;white-space:nowrap}
.lno::before{content:attr(data-n)}
.x{white-space:pre-wrap;overflow-wrap:break-word;padding-right:1em;min-width:0}
table.tt{border-collapse:collapse;margin:.2rem 1rem .3rem 0;font-size:.9em;line-height:1.45}
.tt td{padding:.12rem .7rem .12rem .35rem;border:1px solid #e3e7eb;vertical-align:top;white-space:normal}
.tt td.lno{width:4em;min-width:4em;border:none;padding:0 .8em 0 0;line-height:1.93}
.tt td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.tt tr.nr td{border:none;padding:0}
.notes{margin:.2rem 1rem .5rem 3.6em;display:flex;flex-direction:column;gap:.3rem;max-width:62rem}
.tt .notes{margin-left:0}
.note{border-left:4px solid var(--info);background:var(--info-note);border-radius:4px;padding:.4rem .7rem;
font-size:.92rem;line-height:1.5;white-space:normal;font-family:inherit}
.note.error{border-color:var(--error);background:var(--error-note)}
.note.warning{border-color:var(--warning);background:var(--warning-note)}
.note .rl{display:block;margin-top:.15rem;color:#3c4043}
mark{color:inherit;padding:0;border-radius:2px;-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.m.error{background:var(--error-bg);box-shadow:inset 0 -2px 0 var(--error)}
mark.m.warning{background:var(--warning-bg);box-shadow:inset 0 -2px 0 var(--warning)}
mark.m.info{background:var(--info-bg);box-shadow:inset 0 -2px 0 var(--info)}
mark.m.skip{background:var(--info-rel);text-decoration:underline dotted var(--info) 2px;text-underline-offset:3px}
mark.rel{text-decoration:underline dashed 2px;text-underline-offset:3px}
mark.rel.error{background:var(--error-rel);text-decoration-color:var(--error)}
mark.rel.warning{background:var(--warning-rel);text-decoration-color:var(--warning)}
mark.rel.info{background:var(--info-rel);text-decoration-color:var(--info)}
mark mark.rel.error,mark mark.rel.warning,mark mark.rel.info,mark mark.m.skip.skip{background:transparent}
mark:empty{display:inline-block;width:.45em;height:1.1em;vertical-align:text-bottom}
.sample{padding:0 .25em}
.jump{position:absolute;left:-9999px}.jump:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:1}
:target{outline:3px solid var(--link);outline-offset:2px}
mark,.note,tr,.l{scroll-margin-top:5rem}
.back{font-size:.9rem;margin:.8rem 0 0}
.foot{color:var(--muted);font-size:.85rem;text-align:center}
@media (max-width:640px){.page{padding:.6rem .4rem 2rem}.card{padding:.8rem .7rem}
.l{grid-template-columns:2.8em minmax(0,1fr)}.tt td.lno{width:3.2em;min-width:3.2em}.notes{margin-left:2.8em}.sum{font-size:.85rem}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:14mm 12mm}
body{background:#fff;font-size:10.5pt}
.page{max-width:none;padding:0;gap:.6rem}
.card{border:none;padding:0}
.report{break-before:page}
.src{overflow:visible;border:none;padding:0}
a{color:inherit;text-decoration:none}
.back,.foot{display:none}
.note,.problems,.sum tr,.find tr,.tt tr{break-inside:avoid}
h2,h3{break-after:avoid}
:target{outline:none}
}
"""

_CONTROLS = {c: chr(0x2400 + c) for c in range(32) if c not in (9, 10)} | {127: "\u2421"}
_GAP = re.compile(r"\S(?:\t| {2,})(?=\S)")
_NUMERIC = re.compile(r"[\d\s.,%/()+\-–]*\d[\d\s.,%/()+\-–]*")


def _esc(s: str) -> str:
    return html.escape(s, quote=False).translate(_CONTROLS)


def _attr(s: str) -> str:
    return html.escape(" ".join(s.split()), quote=True).translate(_CONTROLS)


def _path(path: str) -> str:
    """A file name with its folder in grey, so that the name itself stands out."""
    cut = max(path.rfind("/"), path.rfind("\\")) + 1
    return (f'<span class="dir">{_esc(path[:cut])}</span>' if cut else "") + f'<span class="fn">{_esc(path[cut:])}</span>'


def _place(audit: Audit, line: int, lang: str) -> str:
    """Where a line sits in a Word or PDF original (page, paragraph), when the reader knows it."""
    places = getattr(audit, "places", None)
    place = places.at_line(line) if places is not None else None
    return place.label(lang) if place is not None else ""


def _words(lang: str) -> dict:
    if lang not in _EXTRA:
        raise ValueError(f"lang must be one of {sorted(_EXTRA)}, not {lang!r}")
    return {**_WORDS[lang], **_EXTRA[lang]}


def html_chunks(audits: Iterable[Audit], seen: Callable[[Audit], None] = lambda a: None,
                lang: str = "vi", across: Callable[[], list] | None = None, sample=None) -> Iterator[str]:
    """The HTML document piece by piece, one report at a time; `seen(audit)` after each is written.

    Only each report's header and counts are kept, for the summary written at the end. `across`,
    called once every report is written, gives the checks across reports (--db); `sample`
    (render.words.Sample) says that the reports are a random sample."""
    w = _words(lang)
    yield _head(w, lang)
    kept: list[tuple[Audit, str]] = []
    for i, audit in enumerate(audits, 1):
        rid = f"r{i}"
        yield from _report(audit, rid, w, lang)
        kept.append((_tally(audit), rid))
        seen(audit)
    yield "</main>\n"
    yield _summary(kept, w, lang, sample)
    if across is not None:
        yield _across(across(), {a.path: rid for a, rid in kept}, w, lang)
    yield (f'<footer class="foot">{_esc(w["generated"])} {_esc(__version__)}</footer>\n'
           "</div>\n</body>\n</html>\n")


def render_html(audits: list[Audit], lang: str = "vi") -> str:
    return "".join(html_chunks(audits, lang=lang))


def _tally(audit: Audit) -> Audit:
    """What the summary needs: counts, problems and the header (never the text, never the checks)."""
    rep = audit.report
    slim_report = SimpleNamespace(header=rep.header, text="") if rep is not None else None
    return Audit(audit.path, slim_report, [], list(audit.problems), audit.encoding, audit.counts(),
                 figures=audit.figures, rules=audit.rules)


# ---------------------------------------------------------------- page frame, summary

def _head(w: dict, lang: str) -> str:
    legend = "".join(
        f'<li><mark class="{cls} sample">{sample}</mark> {_esc(label)}</li>' for cls, sample, label in (
            ("m error", "2.869", w["error"]), ("m warning", "07/12", w["warning"]), ("m info", "12", w["info"]),
            ("rel error", "2.834", w["leg_rel"]), ("m skip", "605", w["leg_skip"])))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f'<meta name="generator" content="tthc-audit {_esc(__version__)}">\n'
        f"<title>{_esc(w['title'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<div class="page">\n'
        f'<header class="top"><a class="jump" href="#summary">{_esc(w["summary"])}</a><h1>{_esc(w["title"])}</h1><p>{_esc(w["intro"])}</p>'
        f'<ul class="legend" aria-label="{_attr(w["legend"])}">{legend}</ul></header>\n'
        '<main class="reports">\n')


_BADGE = {"unreadable": "unread", "not_checked": "skip", "errors": "error", "warnings": "warning", "info": "info", "ok": "ok"}


def _status(verdict: str, lang: str) -> tuple[str, str]:
    """The badge of a report: its CSS class and its words (render.words.VERDICT, as in every format)."""
    return _BADGE[verdict], VERDICT[lang][verdict]


def _summary(kept: list[tuple[Audit, str]], w: dict, lang: str, sample=None) -> str:
    tallies = [a for a, _ in kept]
    rows = summary_rows(tallies)
    # rows come worst first; find each row's section (the sort is stable, so equal rows keep input order)
    where: dict[tuple, deque] = defaultdict(deque)
    for a, rid in kept:
        c = a.counts()
        where[(a.path, c["checks"], c["error"], c["warning"], c["skip"], a.verdict)].append((rid, c))
    body = []
    tot = {"made": 0, "errors": 0, "warnings": 0, "undecided": 0}
    n = {"errors": 0, "warnings": 0, "ok": 0, "not_checked": 0, "unreadable": 0}
    for r in rows:
        rid, c = where[(r["path"], r["checks"], r["errors"], r["warnings"], r["undecided"], r["verdict"])].popleft()
        cls, label = _status(r["verdict"], lang)
        n["ok" if r["verdict"] == "info" else r["verdict"]] += 1
        for k, v in (("made", r["checks"]), ("errors", r["errors"]), ("warnings", r["warnings"]), ("undecided", r["undecided"])):
            tot[k] += v
        level = w["levels"].get(r["level"], r["level"]) if r["level"] else ""
        issuer = r["problem"] if r["problem"] else (r["issuer"] or "")
        body.append(
            f'<tr class="s{r["status"]} v-{r["verdict"]}" data-report="{rid}">'
            f'<td class="file"><a href="#{rid}">{_path(r["path"])}</a></td>'
            f'<td class="issuer">{_esc(issuer)}</td><td class="level">{_esc(level)}</td>'
            f'<td class="period">{_esc(r["period"] or "")}</td>'
            f'<td class="n made">{r["checks"]}</td>'
            f'<td class="n errors{" nz-e" if r["errors"] else ""}">{r["errors"]}</td>'
            f'<td class="n warnings{" nz-w" if r["warnings"] else ""}">{r["warnings"]}</td>'
            f'<td class="n undecided">{r["undecided"]}</td>'
            f'<td class="status"><span class="tag {cls}">{_esc(label)}</span></td></tr>\n')
    verdicts = [r["verdict"] for r in rows]
    first = batch_phrase(verdicts, lang)
    parts = [w[key].format(k=n[v]) for key, v in (("v_err", "errors"), ("v_warn", "warnings"), ("v_ok", "ok"),
                                                   ("v_nothing", "not_checked")) if n[v]]
    read = len(rows) - n["unreadable"]  # files not read are no reports: never counted among them
    verdict = f"{read} {w['report'] if read == 1 else w['reports']}" + (": " + ", ".join(parts) if parts else "") \
        + (f"; {w['v_unread'].format(k=n['unreadable'])}" if n["unreadable"] else "") + "."
    sampled = (f'<p class="sample-note"><span class="tag skip">{_esc(w["sample"])}</span> '
               f'{_esc(sample.phrase(lang).capitalize())}.</p>\n') if sample is not None else ""
    heads = [("file", w["file"]), ("issuer", w["issuer"]), ("level", w["level"]), ("period", w["period_h"]),
             ("n made", w["made"]), ("n errors", w["errors"]), ("n warnings", w["warnings"]),
             ("n undecided", w["not_made"]), ("status", w["status"])]
    return (
        '<section class="summary card" id="summary" aria-labelledby="summary-h">\n'
        f'<h2 id="summary-h">{_esc(w["summary"])}</h2>\n<p class="verdict">{_esc(verdict)}</p>\n{sampled}'
        '<table class="sum">\n<thead><tr>'
        + "".join(f'<th scope="col" class="{c}">{_esc(h)}</th>' for c, h in heads)
        + "</tr></thead>\n<tbody>\n" + "".join(body) + "</tbody>\n"
        f'<tfoot><tr class="totals"><td colspan="4">{_esc(w["total"])}: {_esc(first)}</td>'
        f'<td class="n made">{tot["made"]}</td><td class="n errors">{tot["errors"]}</td>'
        f'<td class="n warnings">{tot["warnings"]}</td><td class="n undecided">{tot["undecided"]}</td><td></td></tr></tfoot>\n'
        "</table>\n</section>\n")


def _across(checks: list, rids: dict[str, str], w: dict, lang: str) -> str:
    """The checks across the reports of a --db store, each with every report it compared (a link to
    the line when that report is on this page)."""
    c = {"checks": len(checks), "pass": 0, "fail": 0, "skip": 0, "error": 0, "warning": 0, "info": 0}
    for ch in checks:
        c[ch.status] += 1
        if ch.status == "fail":
            c[ch.severity] += 1
    out = ['<section class="across card" id="across" aria-labelledby="across-h">\n'
           f'<h2 id="across-h">{_esc(w["across"])}</h2>\n']
    if not checks:
        out.append(f'<p class="hint">{_esc(w["across_none"])}</p>\n</section>\n')
        return "".join(out)
    out.append('<p class="counts">' + _esc(w["across_counts"].format(
        checks=c["checks"], passed=c["pass"], failed=c["fail"], error=c["error"], warning=c["warning"],
        info=c["info"], skip=c["skip"])) + "</p>\n")
    shown = sorted((ch for ch in checks if ch.status != "pass"),
                   key=lambda ch: (ch.status != "fail", SEVERITY_ORDER.get(ch.severity, 3), ch.code))
    if shown:
        out.append(f'<table class="find">\n<thead><tr><th scope="col">{_esc(w["code"])}</th>'
                   f'<th scope="col">{_esc(w["sev"])}</th><th scope="col">{_esc(w["what"])}</th></tr></thead>\n<tbody>\n')
        for k, ch in enumerate(shown):
            if ch.status == "fail":
                sev = ch.severity if ch.severity in SEVERITY_ORDER else "info"
                cls, word = sev, w.get(sev, sev)
            else:
                cls, word = "skip", UNDECIDED[lang]
            places = []
            for p in ch.related:
                where = f" {w['line_n']} {p.line}" if p.line else ""
                name = _path(p.path)
                rid = rids.get(p.path)
                link = f'<a href="#{rid}-L{p.line}">{name}{_esc(where)}</a>' if rid and p.line else \
                    (f'<a href="#{rid}">{name}</a>{_esc(where)}' if rid else f"{name}{_esc(where)}")
                quote = " ".join(p.quote.split())
                places.append(f'<li>{_esc(p.label)}: {link}' + (f' “{_esc(quote)}”' if quote else "") + "</li>")
            out.append(f'<tr id="x{k}" class="{cls}" data-code="{_attr(ch.code)}"><td><code>{_esc(ch.code)}</code></td>'
                       f'<td><span class="tag {cls}">{_esc(word)}</span></td>'
                       f'<td><div class="msg">{_esc(ch.message)}</div><ul class="places">{"".join(places)}</ul></td></tr>\n')
        out.append("</tbody>\n</table>\n")
    out.append("</section>\n")
    return "".join(out)


# ---------------------------------------------------------------- one report

def _report(audit: Audit, rid: str, w: dict, lang: str) -> Iterator[str]:
    c = audit.counts()
    cls, label = _status(audit.verdict, lang)
    out = [f'<section class="report card st-{cls}" id="{rid}" aria-labelledby="{rid}-h">\n'
           f'<h2 id="{rid}-h"><span class="tag {cls}">{_esc(label)}</span> {_path(audit.path)}</h2>\n']
    if audit.report is not None:
        out.append('<p class="counts">' + _esc(w["counts"].format(
            checks=c["checks"], passed=c["pass"], failed=c["fail"], error=c["error"], warning=c["warning"],
            info=c["info"], skip=c["skip"])) + "</p>\n")
    if audit.problems:
        out.append(f'<div class="problems" role="alert"><h3>{_esc(w["problems"])}</h3><ul>'
                   + "".join(f'<li><code>{_esc(str(p.get("code", "")))}</code> {_esc(str(p.get("message", "")))}</li>'
                             for p in audit.problems) + "</ul></div>\n")
    rep = audit.report
    if rep is None:
        out.append(f'<p class="back"><a href="#summary">↑ {_esc(w["back"])}</a></p>\n</section>\n')
        yield "".join(out)
        return
    out.append(_meta(audit, w, lang))
    if audit.notes:
        out.append(f'<div class="unread" role="note"><h3>{_esc(UNREAD_HEAD[lang])}</h3><ul>'
                   + "".join(f"<li>{_esc(n.message(lang))}</li>" for n in audit.notes) + "</ul></div>\n")
    index = LineIndex(rep.text)
    checks = list(enumerate(audit.checks))
    fails = [(j, ch) for j, ch in checks if ch.status == "fail"]
    skips = [(j, ch) for j, ch in checks if ch.status == "skip"]
    nothing = unchecked_message(audit, lang)
    if fails:
        out.append(_findings(audit, fails, rid, index, w, lang))
    elif nothing:
        out.append(f'<p class="nothing"><span class="tag skip">{_esc(VERDICT[lang]["not_checked"])}</span> '
                   f'{_esc(nothing)}</p>\n')
    else:
        out.append(f'<p class="none"><span class="tag ok">{_esc(w["none"])}</span></p>\n')
    if skips:
        out.append(f'<h3>{_esc(w["skips"])} ({len(skips)})</h3>\n<p class="hint">{_esc(w["skips_note"])}</p>\n<ul class="skips">\n')
        for j, ch in skips:
            line, col = index.line_col(ch.start)
            out.append(f'<li id="{rid}-f{j}"><a href="#{rid}-c{j}">{_esc(w["line_n"])} {line}</a> '
                       f'<code>{_esc(ch.code)}</code> {_esc(ch.message)}</li>\n')
        out.append("</ul>\n")
    out.append(f'<h3 id="{rid}-text">{_esc(w["fulltext"])}</h3>\n<p class="hint">{_esc(w["fulltext_note"])}</p>\n')
    yield "".join(out)
    yield from _source(audit, rid, index, w)
    yield f'<p class="back"><a href="#summary">↑ {_esc(w["back"])}</a></p>\n</section>\n'


def _meta(audit: Audit, w: dict, lang: str) -> str:
    rep = audit.report
    h = rep.header
    rows = []
    level = f" ({level_phrase(h.level, lang)})" if h.level else ""
    issuer = (h.issuer or w["unknown"]) + level
    rows.append((w["issuer"], issuer))
    rows.append((w["number"], h.number or w["unknown"]))
    date = f"{h.date.day or '?'}/{h.date.month or '?'}/{h.date.year or '?'}" if h.date else w["unknown"]
    rows.append((w["date"], date + (f" — {h.place}" if h.place else "")))
    if h.period_text:
        rows.append((w["period"], " ".join(h.period_text.split())))
    rows.append((w["encoding"], f"{audit.encoding or '?'}, {w['decimal']} “{rep.decimal_mark}”"))
    return (f'<dl class="meta" aria-label="{_attr(w["meta"])}">'
            + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in rows) + "</dl>\n")


def _findings(audit: Audit, fails, rid: str, index: LineIndex, w: dict, lang: str) -> str:
    out = [f'<h3>{_esc(w["findings"])} ({len(fails)})</h3>\n<table class="find">\n<thead><tr>'
           f'<th scope="col">{_esc(w["line"])}</th><th scope="col">{_esc(w["code"])}</th>'
           f'<th scope="col">{_esc(w["sev"])}</th><th scope="col">{_esc(w["what"])}</th></tr></thead>\n<tbody>\n']
    for j, ch in fails:
        line, col = index.line_col(ch.start)
        sev = ch.severity if ch.severity in SEVERITY_ORDER else "info"
        place = _place(audit, line, lang)
        place = f'<div class="pl">{_esc(place)}</div>' if place else ""
        extra = ""
        if ch.arithmetic:
            extra += f'<div class="ar"><span class="lbl">{_esc(w["arith"])}:</span> <code>{_esc(ch.arithmetic)}</code></div>'
        if ch.culprit:
            extra += f'<div class="cu"><span class="lbl">{_esc(w["culprit"])}:</span> {_esc(ch.culprit)}</div>'
        out.append(
            f'<tr id="{rid}-f{j}" class="{sev}" data-code="{_attr(ch.code)}">'
            f'<td class="ln"><a href="#{rid}-c{j}" title="{_attr(w["see_text"])}">{_esc(w["line_n"])} {line}</a>{place}</td>'
            f'<td><code>{_esc(ch.code)}</code></td><td><span class="tag {sev}">{_esc(w.get(sev, sev))}</span></td>'
            f'<td><div class="msg">{_esc(ch.message)}</div>{extra}</td></tr>\n')
    out.append("</tbody>\n</table>\n")
    return "".join(out)


# ---------------------------------------------------------------- the text, with marks and notes

@dataclass
class _Span:
    start: int
    end: int
    prio: int  # same extent: errors outermost, then warnings, notes, not-made, related figures
    first_open: str
    cont_open: str


def _layout(lines: list[str]) -> list[tuple[str, int, int, list[list[int]]]]:
    """Blocks of lines: ("prose", i, j, cuts) or ("table", i, j, cuts), lines i..j-1, with the
    offsets (within each line) where a new cell starts. Two or more consecutive rows separated by
    tabs, by Markdown pipes, or aligned with runs of spaces are shown as a table, so that their
    columns line up in any font; anything else is a line of prose. Cells keep every character
    (a separator stays at the end of the cell before it), so no text is lost."""
    kinds = []
    for ln in lines:
        inner = ln.strip(" \t")
        if "\t" in inner:
            kinds.append("tab")
        elif inner.startswith("|") and inner.count("|") >= 2:
            kinds.append("pipe")
        elif len(_GAP.findall(ln)) >= 2 and "\t" not in ln:
            kinds.append("space")
        else:
            kinds.append("prose")
    blocks = []
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and kinds[j] == kinds[i]:
            j += 1
        kind = kinds[i]
        cuts: list[list[int]] = []
        if kind != "prose" and j - i >= 2:
            rows = lines[i:j]
            if kind == "tab":
                cuts = [[m.end() for m in re.finditer("\t", r) if m.end() < len(r)] for r in rows]
            elif kind == "pipe":
                cuts = [[m.end() for m in re.finditer(r"\|", r) if m.end() < len(r)] for r in rows]
            else:
                cols = _gutters(rows)
                cuts = [[c for c in cols if c < len(r)] for r in rows]
        if cuts and max(len(c) for c in cuts) >= 1:
            blocks.append(("table", i, j, cuts))
        else:
            blocks.extend(("prose", k, k + 1, [[]]) for k in range(i, j))
        i = j
    return blocks


def _gutters(rows: list[str]) -> list[int]:
    """Columns of a space-aligned table: where a run of two or more blank character columns, blank
    in every row, ends."""
    width = max(len(r) for r in rows)
    blank = [all(c >= len(r) or r[c] == " " for r in rows) for c in range(width)]
    cuts = []
    c = 0
    while c < width:
        if not blank[c]:
            c += 1
            continue
        d = c
        while d < width and blank[d]:
            d += 1
        if d - c >= 2 and c > 0 and d < width:
            cuts.append(d)
        c = d
    return cuts


def _cells(lines: list[str], starts: list[int], blocks) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """The units a mark may not cross (a line, or a cell of a table row), and each line's cells."""
    cells: list[tuple[int, int]] = []
    line_cells: list[list[int]] = [[] for _ in lines]
    for _kind, i, j, cuts in blocks:
        for k in range(i, j):
            s, line = starts[k], lines[k]
            edges = [0, *cuts[k - i], len(line)]
            for x, y in zip(edges, edges[1:]):
                line_cells[k].append(len(cells))
                cells.append((s + x, s + y))
    return cells, line_cells


def _marks(audit: Audit, rid: str, index: LineIndex, w: dict) -> tuple[list[_Span], dict[int, list[str]]]:
    """A mark for each failing or undecided check and for the figures it was compared with; the
    explanation of each failing check, under the line where its mark ends."""
    text = audit.report.text
    n = len(text)
    spans: list[_Span] = []
    notes: dict[int, list[str]] = defaultdict(list)
    for j, ch in enumerate(audit.checks):
        if ch.status not in ("fail", "skip"):
            continue
        cid = f"{rid}-c{j}"
        s = min(max(ch.start, 0), n)
        e = min(max(ch.end, s), n)
        sev = ch.severity if ch.severity in SEVERITY_ORDER else "info"
        if ch.status == "fail":
            cls, prio, word = sev, SEVERITY_ORDER[sev], w.get(sev, sev)
        else:
            cls, prio, word = "skip", 3, w["not_made"]
        title = _attr(f"{ch.code} · {word}: {ch.message}")
        attrs = (f' data-check="{cid}" data-code="{_attr(ch.code)}" data-status="{ch.status}"'
                 f' data-severity="{_attr(sev)}" title="{title}">')
        spans.append(_Span(s, e, prio, f'<mark id="{cid}" class="m {cls}"{attrs}',
                           f'<mark class="m {cls} cont"{attrs}'))
        if ch.status != "fail":
            continue
        rel_links = []
        for k, r in enumerate(ch.related):
            rs = min(max(r.start, 0), n)
            re_ = min(max(r.end, rs), n)
            kid = f"{cid}-k{k}"
            rtitle = _attr(f"{w['related']}: {r.label} — {ch.code}")
            rattrs = f' data-for="{cid}" data-rel="{kid}" title="{rtitle}">'
            spans.append(_Span(rs, re_, 4, f'<mark id="{kid}" class="rel {sev}"{rattrs}',
                               f'<mark class="rel {sev} cont"{rattrs}'))
            quote = " ".join(text[rs:re_].split())
            if len(quote) > 60:
                quote = quote[:57] + "…"
            rel_links.append(f'<a href="#{kid}">{_esc(r.label)} ({_esc(w["line_n"])} {index.line_col(rs)[0]}: '
                             f'“{_esc(quote)}”)</a>')
        last_line = index.line_col(max(s, e - 1))[0]
        rl = (f'<span class="rl">{_esc(w["related"].capitalize())}: ' + "; ".join(rel_links) + "</span>") if rel_links else ""
        notes[last_line].append(
            f'<div class="note {sev}" id="{rid}-n{j}" role="note" data-for="{cid}">'
            f'<span class="tag {sev}">{_esc(word)}</span> <a class="code" href="#{rid}-f{j}" title="{_attr(w["to_list"])}">'
            f'<code>{_esc(ch.code)}</code></a> {_esc(ch.message)}{rl}</div>')
    return spans, notes


def _pieces(spans: list[_Span], cells: list[tuple[int, int]]) -> dict[int, list]:
    """Every span cut into pieces that stay inside one cell."""
    cell_starts = [c[0] for c in cells]
    pieces: dict[int, list] = defaultdict(list)
    for seq, sp in enumerate(spans):
        ci = max(0, bisect_right(cell_starts, sp.start) - 1)
        made = False
        k = ci
        while k < len(cells) and (cells[k][0] < sp.end or k == ci):
            a, b = cells[k]
            ps, pe = max(sp.start, a), min(sp.end, b)
            if ps < pe:
                pieces[k].append((ps, pe, sp.prio, seq, sp, not made))
                made = True
            k += 1
        if not made:  # an empty span, or one made only of line breaks: an empty mark where it starts
            a, b = cells[ci]
            p = min(max(sp.start, a), b)
            pieces[ci].append((p, p, sp.prio, seq, sp, True))
    return pieces


def _source(audit: Audit, rid: str, index: LineIndex, w: dict) -> Iterator[str]:
    text = audit.report.text
    lines = text.split("\n")
    blocks = _layout(lines)
    cells, line_cells = _cells(lines, index.starts, blocks)
    spans, notes = _marks(audit, rid, index, w)
    pieces = _pieces(spans, cells)

    buf: list[str] = [f'<div class="src" role="region" aria-labelledby="{rid}-text">\n']
    size = 0
    for kind, i, j, _cuts in blocks:
        if kind == "table":
            width = max(len(line_cells[k]) for k in range(i, j))
            rows = ['<table class="tt"><tbody>\n']
            for k in range(i, j):
                row = [f'<tr class="row" id="{rid}-L{k + 1}"><td class="lno" data-n="{k + 1}"></td>']
                for ci in line_cells[k]:
                    a, b = cells[ci]
                    num = ' class="num"' if _NUMERIC.fullmatch(text[a:b].strip(" \t|")) else ""
                    row.append(f"<td{num}>" + _cell(text, a, b, pieces.get(ci, ())) + "</td>")
                row.append("</tr>\n")
                if notes.get(k + 1):
                    row.append(f'<tr class="nr"><td></td><td colspan="{width}"><div class="notes">'
                               + "".join(notes[k + 1]) + "</div></td></tr>\n")
                rows.append("".join(row))
            rows.append("</tbody></table>\n")
            buf.append("".join(rows))
        else:
            ci = line_cells[i][0]
            a, b = cells[ci]
            buf.append(f'<div class="l" id="{rid}-L{i + 1}"><span class="lno" data-n="{i + 1}"></span>'
                       f'<span class="x">' + _cell(text, a, b, pieces.get(ci, ())) + "</span></div>\n")
            if notes.get(i + 1):
                buf.append('<div class="notes">' + "".join(notes[i + 1]) + "</div>\n")
        size += len(buf[-1])
        if size > 65536:  # a long report goes out in pieces of about 64 KB
            yield "".join(buf)
            buf.clear()
            size = 0
    buf.append("</div>\n")
    yield "".join(buf)


def _nest(items) -> list:
    """Pieces that overlap without nesting are cut where the outer one ends, so that the marks
    nest properly; pieces with the same extent nest in priority order."""
    heap = [(s, -e, prio, seq, sp, first) for s, e, prio, seq, sp, first in items]
    heapify(heap)
    out = []
    ends: list[int] = []
    while heap:
        s, ne, prio, seq, sp, first = heappop(heap)
        e = -ne
        while ends and ends[-1] <= s:
            ends.pop()
        if ends and e > ends[-1]:
            cut = ends[-1]
            heappush(heap, (cut, -e, prio, seq, sp, False))
            e = cut
        out.append((s, e, sp, first))
        ends.append(e)
    return out


def _cell(text: str, a: int, b: int, items) -> str:
    if not items:
        return _esc(text[a:b])
    buf = []
    pos = a
    stack: list[int] = []
    for s, e, sp, first in _nest(items):
        while stack and stack[-1] <= s:
            end = stack.pop()
            buf.append(_esc(text[pos:end]))
            buf.append("</mark>")
            pos = end
        buf.append(_esc(text[pos:s]))
        pos = s
        buf.append(sp.first_open if first else sp.cont_open)
        stack.append(e)
    while stack:
        end = stack.pop()
        buf.append(_esc(text[pos:end]))
        buf.append("</mark>")
        pos = end
    buf.append(_esc(text[pos:b]))
    return "".join(buf)
