"""The one record of a report that every format prints (JSON schema 1, ../shared/design.md §4; the
text, CSV, SARIF and HTML renderers and the --db store read the same fields): positions as line and
column, passed checks included."""
from __future__ import annotations

from .engine import Audit, unchecked_message
from .positions import LineIndex
from .source.read import Places


def check_record(check, index: LineIndex | None, places: Places | None = None) -> dict:
    """A check as every format prints it; `index` is None for a check across reports (it sits in no one
    text: its places are its `related`, each with its file)."""
    rec = {"code": check.code, "rule": check.rule, "status": check.status, "severity": check.severity}
    if index is not None:
        line, col = index.line_col(check.start)
        end_line, end_col = index.line_col(max(check.start, check.end - 1))
        rec.update(line=line, end_line=end_line, column=col, end_column=end_col + (1 if check.end > check.start else 0),
                   quote=index.quote(check.start, check.end))
        if places is not None and (place := places.at_line(line)) is not None:
            rec["where"] = place.as_dict()
    rec.update(message=check.message, numbers=check.numbers)
    if check.arithmetic:
        rec["arithmetic"] = check.arithmetic
    if check.scope:
        rec["scope"] = check.scope
    if check.culprit:
        rec["likely_culprit"] = check.culprit
    related = []
    for r in check.related:
        item = {"label": r.label}
        if r.path is not None:  # a place in another report (a check across reports)
            item.update(path=r.path, line=r.line, column=r.column, quote=r.quote)
        elif index is not None:
            line, col = index.line_col(r.start)
            end_line, _ = index.line_col(max(r.start, r.end - 1))
            item.update(line=line, column=col, end_line=end_line, quote=index.quote(r.start, r.end))
            if places is not None and (place := places.at_line(line)) is not None:
                item["where"] = place.as_dict()
        related.append(item)
    if related or index is None:
        rec["related"] = related
    return rec


def note_record(note, lang: str) -> dict:
    """What a Word or PDF file holds that was not read (sources.Note), and where."""
    return {"kind": note.kind, "count": note.count, "message": note.message(lang),
            "where": [p.as_dict() for p in note.places]}


def report_record(audit: Audit, lang: str = "vi") -> dict:
    rep = audit.report
    index = LineIndex(rep.text) if rep is not None else None
    out: dict = {"path": audit.path}
    if rep is not None:
        h = rep.header
        out["document"] = {
            "issuer": h.issuer, "level": h.level, "number": h.number, "place": h.place,
            "date": f"{h.date.year or '?'}-{h.date.month or '?'}-{h.date.day or '?'}" if h.date else None,
            "period": h.period_text, "encoding": audit.encoding, "decimal_mark": rep.decimal_mark,
        }
    out["verdict"] = audit.verdict
    if audit.unchecked:
        out["not_checked"] = {"reason": audit.unchecked, "message": unchecked_message(audit, lang)}
    out["summary"] = audit.counts()
    if audit.notes:
        out["unread"] = [note_record(n, lang) for n in audit.notes]
    out["checks"] = [check_record(c, index, audit.places) for c in audit.checks]
    out["problems"] = audit.problems
    return out
