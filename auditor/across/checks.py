"""Checks across the reports kept in a --db store, run after a batch.

- across_carry_over: what a unit carries over into a period equals what its report for the
  period just before left pending (the unit's own figures, and a district's commune figures).
- across_sum: a district's commune figures equal the sum of its communes' reports for the same
  period. A sum above the district's figure is wrong whatever is missing; a sum below it is wrong
  only when every commune the district speaks for is in the store, otherwise the check is reported
  as not made.
- XR100 (no rule file: it is about the store, not the figures): two reports claim the same unit and
  period; it names the one the other checks use, and why (Store.submissions).

Messages are the rules' own templates, filled in, in sentence case.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..check.catalog import Catalog
from ..findings import Check, Related, fmt

OWN = "|"  # the scope of the reporting unit's own figures
COMMUNES = "commune|"  # a district report's figures for its communes taken together


def _place(path: str, line: int | None, column: int | None, quote: str, label: str) -> Related:
    return Related(label, path=path, line=line, column=column, quote=quote)


def _check(code: str, rule: str, status: str, severity: str, message: str, numbers: list, places: list[Related]) -> Check:
    """A check across reports: it sits in no one text (start and end 0); its places are all `related`."""
    return Check(code, rule, status, severity, 0, 0, message, numbers, places)


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _num(value: str) -> float | int:
    d = Decimal(value)
    return int(d) if d == d.to_integral() else float(d)


TWICE = "XR100"


def run_across(store, catalog: Catalog, selection, lang: str, touched: set[str] | None = None) -> list[Check]:
    """Every cross-report check the store allows; `touched` limits them to pairs with a report of
    this batch (by content hash)."""
    rows, twice = store.submissions()
    out: list[Check] = []
    if selection.wants(TWICE):
        out.extend(_submitted_twice(twice, lang, touched))
    for rule in catalog.rules:
        if not selection.wants(rule.code):
            continue
        severity = selection.severity.get(rule.code, rule.severity)
        if getattr(rule, "over", None) != "reports":
            continue
        if rule.kind == "equal":
            out.extend(_carry_over(rule, severity, rows, store, lang, touched))
        elif rule.kind == "sum":
            out.extend(_district_sum(rule, severity, rows, store, lang, touched, catalog.key_name))
    return out


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _sentence(text: str) -> str:
    """Sentence case: the message, and each sentence after a full stop, opens with a capital."""
    text = " ".join(text.split())
    return re.sub(r"(^|[.!?]\s+)([“\"(«]?)(\w)", lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text)


def _message(rule, lang: str, status: str, values: dict) -> str:
    """The rule's message (a failure) or its `passed` text, filled in."""
    template = rule.message.get(lang) if status == "fail" or rule.passed is None else rule.passed.get(lang)
    return _sentence(template.format_map(_Slots(values)))


def _t(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _submitted_twice(twice, lang: str, touched) -> list[Check]:
    from .store import why_chosen

    out = []
    for used, others in twice:
        if touched is not None and not ({used["sha256"]} | {o["sha256"] for o in others}) & touched:
            continue
        period = " ".join((_period(used) or "?").split())
        who = used["issuer"] or used["unit"]
        names = ", ".join(o["path"] for o in others)
        why = "; ".join(why_chosen(used, o, lang) for o in others)
        msg = _t(lang, f"Cùng kỳ {period} của {who} có {len(others) + 1} báo cáo: dùng {used['path']} ({why}) "
                       f"cho các phép đối chiếu giữa báo cáo và lịch sử; không dùng {names}.",
                 f"{len(others) + 1} reports of {who} claim the period {period}: {used['path']} is used ({why}) "
                 f"for the checks across reports and the history; not {names}.")
        places = [_place(used["path"], None, None, "", _t(lang, "bản được dùng", "used"))]
        places += [_place(o["path"], None, None, "", _t(lang, "bản không dùng", "not used")) for o in others]
        out.append(_check(TWICE, "same-period-submitted-twice", "fail", "info", _sentence(msg), [], places))
    return out


def _period(r) -> str | None:
    if r["period_start"] and r["period_end"]:
        d = lambda iso: "/".join(reversed(iso.split("-")))
        return f"{d(r['period_start'])}–{d(r['period_end'])}"
    return r["period_text"]


def _carry_over(rule, severity: str, rows, store, lang: str, touched) -> list[Check]:
    by_unit: dict[str, list] = {}
    for r in rows:
        if r["period_start"] and r["period_end"]:
            by_unit.setdefault(r["unit"], []).append(r)
    out = []
    for unit_rows in by_unit.values():
        for prev in unit_rows:
            for cur in unit_rows:
                gap = (_day(cur["period_start"]) - _day(prev["period_end"])).days
                if not 0 <= gap <= 1:  # the next period starts the day after (or on the day) the last one ends
                    continue
                if touched is not None and not ({prev["sha256"], cur["sha256"]} & touched):
                    continue
                for scope in (OWN, COMMUNES):
                    later = store.facts_of(cur["id"], scope).get(rule.key)
                    earlier = [store.facts_of(prev["id"], scope).get(k) for k in rule.equals]
                    earlier = next((e for e in earlier if e), None)
                    if later is None or earlier is None:
                        continue
                    out.append(_compare(rule, severity, lang, scope, cur, later, prev, earlier))
    return out


def _compare(rule, severity, lang, scope, cur, later, prev, earlier) -> Check:
    a, b = Decimal(later[0]), Decimal(earlier[0])
    who = _t(lang, "cấp xã của huyện" if scope == COMMUNES else "đơn vị", "the district's communes" if scope == COMMUNES else "unit")
    places = [_place(cur["path"], later[2], later[3], later[1], _t(lang, "kỳ này, chuyển sang", "this period, carried over")),
              _place(prev["path"], earlier[2], earlier[3], earlier[1], _t(lang, "kỳ trước, đang giải quyết", "previous period, pending"))]
    status = "pass" if a == b else "fail"
    arithmetic = _t(lang, f"{cur['path']}: chuyển sang {fmt(a, lang)} ≠ {prev['path']}: đang giải quyết {fmt(b, lang)} "
                          f"(lệch {fmt(abs(a - b), lang)}; {who})",
                    f"{cur['path']}: carried over {fmt(a, lang)} ≠ {prev['path']}: pending {fmt(b, lang)} "
                    f"(off by {fmt(abs(a - b), lang)}; {who})")
    msg = _message(rule, lang, status, {"where": who, "first": fmt(a, lang), "second": fmt(b, lang), "arithmetic": arithmetic})
    sev = severity if not (later[4] or earlier[4]) or status != "fail" else "warning"  # an unsure reading never makes an error
    return _check(rule.code, rule.name, status, sev, msg, [_num(later[0]), _num(earlier[0])], places)


def _district_sum(rule, severity: str, rows, store, lang: str, touched, catalog_name) -> list[Check]:
    communes: dict[tuple, list] = {}
    for r in rows:
        if r["level"] == "commune" and r["parent"]:
            communes.setdefault((r["parent"], r["period_start"], r["period_end"], r["period_text"] if not r["period_start"] else None), []).append(r)
    out = []
    for d in rows:
        if d["level"] != "district":
            continue
        members = communes.get((d["unit"], d["period_start"], d["period_end"], d["period_text"] if not d["period_start"] else None), [])
        if not members:
            continue
        if touched is not None and not ({d["sha256"]} | {m["sha256"] for m in members}) & touched:
            continue
        stated = store.facts_of(d["id"], COMMUNES)
        member_facts = [(m, store.facts_of(m["id"], OWN)) for m in members]
        for key in rule.keys_:
            if key not in stated:
                continue
            value, raw, line, col, weak = stated[key]
            total = Decimal(value)
            name = catalog_name(key, lang)
            places = [_place(d["path"], line, col, raw, _t(lang, "huyện, số liệu cấp xã", "district, communes' figure"))]
            silent = [m["path"] for m, f in member_facts if key not in f]
            parts = [(m, f[key]) for m, f in member_facts if key in f]
            places += [_place(m["path"], f[2], f[3], f[1], m["issuer"] or m["path"]) for m, f in parts]
            s = sum((Decimal(f[0]) for _, f in parts), Decimal(0))
            numbers = [_num(value)] + [_num(f[0]) for _, f in parts]
            known = d["communes"]
            have = len(members)
            cover = _t(lang, f"{have}" + (f"/{known}" if known else "") + " xã có trong kho",
                       f"{have}" + (f"/{known}" if known else "") + " communes in the store")
            arith = " + ".join(fmt(Decimal(f[0]), lang) for _, f in parts) + f" = {fmt(s, lang)}"
            if silent and s <= total:
                status, msg = "skip", _sentence(_t(
                    lang, f"Không kết luận được {name}: báo cáo {', '.join(silent)} không nêu số này ({cover}).",
                    f"Undecided {name}: {', '.join(silent)} does not state it ({cover})."))
            elif s == total and not silent:
                status = "pass"
                msg = _message(rule, lang, status, {"names": name, "arithmetic": _t(
                    lang, f"{arith} = số của huyện {fmt(total, lang)} ({cover})",
                    f"{arith} = the district's {fmt(total, lang)} ({cover})")})
            elif s > total or (known is not None and have >= known):
                status = "fail"
                msg = _message(rule, lang, status, {"names": name, "arithmetic": _t(
                    lang, f"{arith} ≠ {fmt(total, lang)} của huyện (lệch {fmt(abs(s - total), lang)}; {cover})",
                    f"{arith} ≠ the district's {fmt(total, lang)} (off by {fmt(abs(s - total), lang)}; {cover})")})
            else:
                status, msg = "skip", _sentence(_t(
                    lang, f"Không kết luận được {name}: tổng {arith} nhỏ hơn {fmt(total, lang)} của huyện nhưng kho chưa đủ các xã ({cover}).",
                    f"Undecided {name}: the sum {arith} is below the district's {fmt(total, lang)} but the store lacks communes ({cover})."))
            sev = "warning" if status == "fail" and (weak or any(f[4] for _, f in parts)) else severity
            out.append(_check(rule.code, rule.name, status, sev, msg, numbers, places))
    return out
