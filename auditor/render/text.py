"""The terminal report, with Rich: what was read, what was checked, what is wrong and where."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..engine import Audit, unchecked_message
from ..source.read import place_of_line
from ..positions import LineIndex
from .words import UNDECIDED, UNREAD_HEAD, VERDICT, Sample, batch_phrase, level_phrase

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_WORDS = {
    "vi": {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý", "skip": UNDECIDED["vi"],
           "doc": "Văn bản", "issuer": "Cơ quan", "number": "Số", "date": "Ngày", "place": "Nơi ban hành",
           "period": "Kỳ báo cáo", "encoding": "Mã hóa", "checks": "Đã kiểm tra", "passed": "đạt", "failed": "không đạt",
           "undecided": UNDECIDED["vi"], "related": "đối chiếu", "none": VERDICT["vi"]["ok"] + ".",
           "problems": "Vấn đề khi đọc tệp", "unknown": "không rõ", "scope": "phạm vi", "level": "Cấp",
           "levels": {"commune": "xã", "district": "huyện", "province": "tỉnh"}},
    "en": {"error": "error", "warning": "warning", "info": "note", "skip": UNDECIDED["en"],
           "doc": "Document", "issuer": "Issuer", "number": "No.", "date": "Date", "place": "Place",
           "period": "Period", "encoding": "Encoding", "checks": "Checks made", "passed": "passed", "failed": "failed",
           "undecided": UNDECIDED["en"], "related": "compared with", "none": VERDICT["en"]["ok"] + ".",
           "problems": "Problems reading the file", "unknown": "unknown", "scope": "scope", "level": "Level",
           "levels": {"commune": "commune", "district": "district", "province": "province"}},
}


def render_text(audits: list[Audit], console: Console, lang: str, show_passed: bool = False) -> None:
    w = _WORDS[lang]
    for audit in audits:
        if len(audit.path) + 6 <= console.width:
            console.rule(f"[bold]{escape(audit.path)}")
        else:  # a rule would cut a long path short, and the file's name with it: the path on a line of its own
            console.rule()
            console.print(f"[bold]{escape(audit.path)}", soft_wrap=True)
        for p in audit.problems:
            console.print(f"[bold red]{p['code']}[/] {escape(p['message'])}")
        rep = audit.report
        if rep is None:
            continue
        h = rep.header
        info = Table.grid(padding=(0, 2))
        info.add_column(style="dim")
        info.add_column()
        info.add_row(w["issuer"], escape(h.issuer or w["unknown"]) + (f"  ({level_phrase(h.level, lang)})" if h.level else ""))
        info.add_row(w["number"], escape(h.number or w["unknown"]))
        date = f"{h.date.day or '?'}/{h.date.month or '?'}/{h.date.year or '?'}" if h.date else w["unknown"]
        info.add_row(w["date"], escape(date + (f" — {h.place}" if h.place else "")))
        if h.period_text:
            info.add_row(w["period"], escape(" ".join(h.period_text.split())))
        info.add_row(w["encoding"], f"{audit.encoding}, " + ("dấu thập phân" if lang == "vi" else "decimal mark") + f" “{rep.decimal_mark}”")
        console.print(info)
        if audit.notes:
            console.print(f"[yellow]{UNREAD_HEAD[lang]}:[/]")
            for note in audit.notes:
                console.print(f"    [yellow]•[/] {escape(note.message(lang))}")
        c = audit.counts()
        console.print(
            f"{w['checks']}: [bold]{c['checks']}[/] — [green]{c['pass']} {w['passed']}[/], "
            f"[red]{c['fail']} {w['failed']}[/] ({c['error']} {w['error']}, {c['warning']} {w['warning']}, {c['info']} {w['info']}), "
            f"[cyan]{c['skip']} {w['undecided']}[/]")
        index = LineIndex(rep.text)
        shown = [ch for ch in audit.checks if ch.status == "fail" or (show_passed and ch.status != "fail")]
        nothing = unchecked_message(audit, lang)
        if nothing:
            console.print(f"[bold yellow]{escape(nothing)}[/]")
        elif not any(ch.status == "fail" for ch in audit.checks):
            console.print(f"[green]{w['none']}[/]")
        for ch in shown:
            line, col = index.line_col(ch.start)
            if ch.status == "fail":
                label = f"[{_SEV_STYLE[ch.severity]}]{w[ch.severity]}[/]"
            elif ch.status == "skip":
                label = f"[cyan]{w['skip']}[/]"
            else:
                label = f"[green]{w['passed']}[/]"
            place = place_of_line(audit.places, line, lang)
            where = f"{line}:{col}" + (f" ({place})" if place else "")
            console.print(f"\n{where}  {ch.code}  {label}" + (f"  [dim]({w['scope']}: {escape(ch.scope)})[/]" if ch.scope else ""))
            quote = " ".join(index.quote(ch.start, ch.end).split())
            console.print(f"    [dim]“[/]{escape(quote[:160])}[dim]”[/]")
            console.print(f"    {escape(ch.message)}")
            for r in ch.related[:4]:
                rl, rc = index.line_col(r.start)
                rq = " ".join(index.quote(r.start, r.end).split())[:60]
                rp = place_of_line(audit.places, rl, lang)
                console.print(f"    [dim]↳ {w['related']} {escape(r.label)} {rl}:{rc}{f' ({rp})' if rp else ''} “{escape(rq)}”[/]")
        console.print()


# A summary of thousands of reports is printed as consecutive tables of this many rows: one Rich table
# of 10,000 rows took 90 MB to lay out. The column widths are fixed from all rows first, so the
# pieces line up as one table.
_SUMMARY_CHUNK = 500


def _who(r: dict, lang: str) -> str:
    """The issuer cell: why a file was not read, or that nothing in it was checked, else the issuer."""
    if r["problem"]:
        return r["problem"]
    if r.get("verdict") == "not_checked":
        return f"({VERDICT[lang]['not_checked'].lower()})" + (f" {r['issuer']}" if r["issuer"] else "")
    return r["issuer"] or ""


def render_summary(rows: list[dict], console: Console, lang: str, sample: Sample | None = None) -> None:
    w = _WORDS[lang]
    vi = lang == "vi"
    heads = (["Tệp", "Cơ quan", "Cấp", "Kỳ", "Kiểm tra", "Lỗi", "Cảnh báo", "Không kết luận"] if vi else
             ["File", "Issuer", "Level", "Period", "Checks", "Errors", "Warnings", "Undecided"])
    totals = [sum(r[k] for r in rows) for k in ("checks", "errors", "warnings", "undecided")]
    verdicts = [r.get("verdict") or ("unreadable" if r["problem"] else "ok") for r in rows]
    footers = [batch_phrase(verdicts, lang), "", "", ""] + [str(x) for x in totals]
    cells = [[r["path"], _who(r, lang), w["levels"].get(r["level"], "") if r["level"] else "",
              r["period"] or "", str(r["checks"]), str(r["errors"]), str(r["warnings"]), str(r["undecided"])] for r in rows]
    widths = _summary_widths(heads, footers, cells, console.width)
    starts = range(0, len(rows), _SUMMARY_CHUNK) if rows else [0]
    for start in starts:
        first, last = start == 0, start + _SUMMARY_CHUNK >= len(rows)
        t = Table(title=("Tổng hợp" if vi else "Summary") if first else None, show_header=first, show_footer=last,
                  caption=escape(sample.phrase(lang)) if sample is not None and last else None)
        for i, (h, f) in enumerate(zip(heads, footers)):
            t.add_column(h, footer=f, justify="right" if i >= 4 else "left", overflow="fold", width=widths[i])
        for r, row in zip(rows[start:start + _SUMMARY_CHUNK], cells[start:start + _SUMMARY_CHUNK]):
            style = ("red" if r["problem"] or r["errors"] else "dim" if r.get("verdict") == "not_checked"
                     else "yellow" if r["warnings"] else None)
            t.add_row(*(escape(c) for c in row), style=style)
        console.print(t)


def _summary_widths(heads: list[str], footers: list[str], cells: list[list[str]], console_width: int) -> list[int]:
    """Each column as wide as its heading, footer or longest cell; when that does not fit the console,
    the file, issuer and period columns give way first (their text folds onto more lines), then the
    headings of the number columns fold between words."""
    content = [max([len(f)] + [len(row[i]) for row in cells]) for i, f in enumerate(footers)]
    widths = [max(len(h), c) for h, c in zip(heads, content)]
    word = [max(c, *(len(x) for x in h.split())) for h, c in zip(heads, content)]
    room = console_width - (3 * len(widths) + 1)  # a border and a space either side of each cell
    text_columns = (0, 1, 3)
    for floor in ([12 if k in text_columns else widths[k] for k in range(len(widths))],
                  [12 if k in text_columns else word[k] for k in range(len(widths))],
                  [8 if k in text_columns else word[k] for k in range(len(widths))]):
        while sum(widths) > room:
            shrinkable = [k for k in range(len(widths)) if widths[k] > floor[k]]
            if not shrinkable:
                break
            widths[max(shrinkable, key=lambda k: widths[k])] -= 1
    return widths  # on a console too narrow even for the floors, Rich folds what does not fit


def render_across(checks, console: Console, lang: str, store, show_passed: bool = False) -> None:
    """Checks across the reports in the --db store: each names every report it compared."""
    vi = lang == "vi"
    reused = getattr(store, "reused", 0)
    head = (f"Đối chiếu giữa các báo cáo trong kho {store.path}" if vi else f"Checks across the reports in {store.path}")
    console.print(f"\n[bold]{escape(head)}[/]")
    if reused:
        console.print(f"[dim]{reused} {'báo cáo không đổi, lấy kết quả đã lưu' if vi else 'unchanged reports taken from the store'}[/]")
    counts = {s: sum(1 for c in checks if c.status == s) for s in ("pass", "fail", "skip")}
    console.print((f"Đã đối chiếu: {len(checks)} — {counts['pass']} đạt, {counts['fail']} không đạt, {counts['skip']} không kết luận được"
                   if vi else f"Compared: {len(checks)} — {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} undecided"))
    w = _WORDS[lang]
    for c in checks:
        if c.status == "pass" and not show_passed:
            continue
        label = (f"[{_SEV_STYLE[c.severity]}]{w[c.severity]}[/]" if c.status == "fail" else
                 f"[cyan]{w['skip']}[/]" if c.status == "skip" else f"[green]{w['passed']}[/]")
        console.print(f"\n{c.code}  {label}")
        console.print(f"    {escape(c.message)}")
        for p in c.related:
            where = f" {p.line}:{p.column}" if p.line else ""
            quote = " ".join(p.quote.split())
            console.print(f"    [dim]↳ {escape(p.label)}: {escape(p.path)}{where}" + (f" “{escape(quote)}”" if quote else "") + "[/]")
