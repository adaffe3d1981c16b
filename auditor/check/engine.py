"""Runs the rule catalog over an extracted report: totals derived once, then every selected rule's
kind, then severity from evidence, messages from the rule's templates, and the likely culprit."""
from __future__ import annotations

import re
from bisect import bisect_right

from dataclasses import dataclass, field

from ..facts import Report
from ..findings import SEVERITY_ORDER, Check, Related
from ..lexicon import default_lexicon
from ..positions import LineIndex
from .catalog import Catalog
from .kinds import KINDS
from .kinds.base import Context, Outcome, scope_table
from .kinds.sum import derive

_RANK = {"error": 2, "warning": 1, "info": 0}


@dataclass
class Selection:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def context(report: Report, catalog: Catalog, lang: str) -> Context:
    lex = default_lexicon()
    ctx = Context(report, lang, catalog.key_name, scope_table(report), lex.parents, includes=lex.rate_includes,
                  bases={k: lab.base for k, lab in lex.keys.items()})
    ctx.by_source = {sid: sides for sid, sf in ctx.scopes.items() if (sides := sf.by_source())}
    sums = [r for r in catalog.rules if r.kind == "sum"]
    derive(sums, ctx.scopes.values())
    derive(sums, [side for sides in ctx.by_source.values() for side in sides])
    return ctx


def run_rules(report: Report, catalog: Catalog, selection: Selection, lang: str) -> list[Check]:
    ctx = context(report, catalog, lang)
    checks: list[Check] = []
    seen: dict[tuple, int] = {}  # one relation examined by two rules is reported once, by the surer
    for rule in catalog.rules:
        if not selection.wants(rule.code):
            continue
        for out in KINDS[rule.kind].run(rule, ctx):
            check = _check(rule, out, ctx, selection.severity.get(rule.code))
            if check.status == "fail":
                key = (check.start, tuple(sorted(map(float, check.numbers))))
                if key in seen:
                    i = seen[key]
                    if _RANK[check.severity] > _RANK[checks[i].severity]:
                        checks[i] = check
                    continue
                seen[key] = len(checks)
            checks.append(check)
    checks = _explained(checks, {r.code for r in catalog.rules if r.kind == "bound"})
    _failing_on_most_rows(checks, report, lang)
    checks.sort(key=lambda c: (c.start, SEVERITY_ORDER[c.severity], c.code, c.end))
    name_culprits(checks, report.text, lang, {r.code for r in catalog.rules if r.kind == "bound"})
    return checks


def _explained(checks: list[Check], bound_codes: set[str]) -> list[Check]:
    """A bound that fails ("473 > 470") where a fuller check of the same figures fails too (473/470 ≠
    100%) says nothing more: the fuller finding is reported, once."""
    fails = [c for c in checks if c.status == "fail" and c.code not in bound_codes]
    out = []
    for c in checks:
        if c.status == "fail" and c.code in bound_codes:
            mine = sorted(map(float, c.numbers))
            if any(_contains(sorted(map(float, o.numbers)), mine) and _near(o, c) for o in fails):
                continue
        out.append(c)
    return out


_MOST_ROWS = 3  # a check failing on this many rows of one table, and on most of the rows it was made on ...


def _failing_on_most_rows(checks: list[Check], report: Report, lang: str) -> None:
    """... says more about how the columns were read than about the figures ("Đang GQ trong hạn" read as the
    resolved in time, on every row): one warning at its first such row says so, with the reason, and the other
    rows are not checked. One row's failure among rows that pass stays an error."""
    tables = sorted((n.start, n.end) for n in report.tree.walk() if n.kind == "table") if report.tree else []
    if not tables:
        return
    starts = [a for a, _ in tables]
    in_table: dict[int, tuple[str, int]] = {}  # id(check) -> (its code, the table it was made in)
    tally: dict[tuple[str, int], list[int]] = {}
    # ... or on most columns of one total row ("TOÀN TỈNH (A+B+C)" summed from a mix of subtotals and their rows)
    by_row: dict[tuple[str, int, int], list[int]] = {}
    lines = LineIndex(report.text)
    for c in checks:
        i = bisect_right(starts, c.start) - 1
        if i >= 0 and c.start < tables[i][1] and c.status in ("pass", "fail"):
            in_table[id(c)] = (c.code, i)
            tally.setdefault((c.code, i), [0, 0])[c.status == "fail"] += 1
            by_row.setdefault((c.code, i, lines.line_col(c.start)[0]), [0, 0])[c.status == "fail"] += 1
    doubtful = {key for key, (passed, failed) in tally.items() if failed >= _MOST_ROWS and failed > passed}
    doubtful |= {(code, i) for (code, i, _), (passed, failed) in by_row.items() if failed >= _MOST_ROWS and failed > passed}
    if not doubtful:
        return
    reason = (" The same check fails on most rows of this table: its columns may be misread." if lang == "en" else
              " Cùng phép kiểm tra này không đạt ở phần lớn các dòng của bảng: có thể các cột đã bị đọc sai.")
    why_not = ("the same check fails on most rows of this table, its columns may be misread" if lang == "en" else
               "cùng phép kiểm tra này không đạt ở phần lớn các dòng của bảng, có thể các cột đã bị đọc sai")
    told: set[tuple[str, int]] = set()
    misread = {i for _, i in doubtful}
    for c in checks:
        key = in_table.get(id(c))
        if c.status == "fail" and c.severity == "error" and key not in doubtful \
                and _text_against_tables(c, tables, starts, misread):
            # a text figure set against a row of such a table rests on the same reading of its columns
            c.severity = "warning"
            c.message = c.message + reason
            continue
        if c.status != "fail" or key not in doubtful:
            continue
        if key not in told:  # one warning says so, at the table's first such row ...
            told.add(key)
            c.severity = "warning" if c.severity == "error" else c.severity
            c.message = c.message + reason
        else:  # ... the other rows are not checked, rather than each told as a fault
            c.status, c.severity = "skip", "info"
            c.message = _not_checked(c.code, why_not, lang)


def _text_against_tables(c: Check, tables: list[tuple[int, int]], starts: list[int], which: set[int]) -> bool:
    """Whether the check sets a figure of one of the tables `which` against one outside it (the text's)."""
    inside = []
    for pos in [c.start] + [r.start for r in c.related]:
        i = bisect_right(starts, pos) - 1
        inside.append(i if i >= 0 and pos < tables[i][1] else None)
    return any(i in which for i in inside) and any(i is None or i not in which for i in inside)


def _contains(big: list[float], small: list[float]) -> bool:
    pool = list(big)
    for x in small:
        if x not in pool:
            return False
        pool.remove(x)
    return True


def _near(a: Check, b: Check) -> bool:
    spans = [(a.start, a.end)] + [(r.start, r.end) for r in a.related]
    return any(s <= b.end + 200 and b.start <= e + 200 for s, e in spans)


def _check(rule, out: Outcome, ctx: Context, override: str | None) -> Check:
    severity = override or rule.severity
    if out.status == "fail" and not out.sure and severity == "error":
        severity = "warning"  # it rests on a guess: a default base, a link across sentences, an unsure reading
    if out.status == "skip":
        severity = "info"
    where = ctx.where(out.scope)
    if out.status == "pass":  # the outcome's lists are its own: the check takes them over
        check = Check(rule.code, rule.name, out.status, severity, out.start, out.end, numbers=out.numbers,
                      related=out.related, scope=where)
        check.write_later(_passed, rule, out.explain, out.values, out.arithmetic, ctx, where)
        return check
    values = dict(out.values)
    values.setdefault("where", where)
    if out.status == "fail":
        message = _fill(rule.message.get(ctx.lang), values)
        if out.reason:
            message += f" {_sentence(out.reason)}."
    else:
        message = _not_checked(rule.code, out.reason, ctx.lang)
    return Check(rule.code, rule.name, out.status, severity, out.start, out.end, _sentence(message), list(out.numbers),
                 list(out.related), out.arithmetic, where)


def _not_checked(code: str, reason: str, lang: str) -> str:
    """The message of a check that was not made, with the reason in the run's language."""
    return f"Could not check {code}: {reason}." if lang == "en" else f"Không kiểm tra được {code}: {reason}."


def _passed(rule, explain: tuple | None, values: dict, arithmetic: str, ctx: Context, where: str) -> tuple[str, str]:
    """A passed check's message and arithmetic, written when first read: from the outcome's slots, or
    from the kind's (function, *arguments) that computes them (Outcome.explain). The outcome itself is
    not kept: a report holds thousands of passed checks."""
    if explain is not None:
        values = explain[0](*explain[1:])
        arithmetic = values.get("arithmetic", "")
    else:
        values = dict(values)
    values.setdefault("where", where)
    template = rule.passed.get(ctx.lang) if rule.passed else KINDS[rule.kind].PASSED[ctx.lang]
    return _sentence(_fill(template, values)), arithmetic


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, values: dict[str, str]) -> str:
    """The template with its slots filled; a slot left empty leaves no space before the punctuation
    after it ("… có 30 ngày {limit}." with no limit)."""
    text = " ".join(template.format_map(_Slots(values)).split())
    return _SPACE_BEFORE_MARK.sub(r"\1", text)


_SPACE_BEFORE_MARK = re.compile(r" +([.,;:!?)])")


def _sentence(text: str) -> str:
    """Sentence case: a message that opens with a word opens with a capital, whatever slot it came from."""
    i = len(text) - len(text.lstrip(" “\"(«"))
    if i < len(text) and text[i].isalpha():
        return text[:i] + text[i].upper() + text[i + 1:]
    return text


def name_culprits(checks: list[Check], text: str, lang: str, bound_codes: set[str] = frozenset()) -> None:
    """A figure that takes part in two or more failing checks and in no passing one explains them all
    at once: each of those failures names it as a related place, labelled as the likely culprit. A
    passing bound ("1.225 ≤ 1.245") vouches for nothing: a wrong figure is often still below its whole."""
    failing = {span for c in checks if c.status == "fail" for span in ((c.start, c.end), *((r.start, r.end) for r in c.related))}
    if not failing:
        return  # most reports: nothing to explain
    uses: dict[tuple[int, int], list[Check]] = {}
    for c in checks:
        if c.status == "skip" or c.status == "pass" and c.code in bound_codes:
            continue
        for span in {(c.start, c.end), *((r.start, r.end) for r in c.related)} & failing:
            uses.setdefault(span, []).append(c)
    only_failing = {span for span, used in uses.items() if len(used) >= 2 and all(u.status == "fail" for u in used)}
    label = "số có khả năng sai" if lang == "vi" else "likely culprit"
    for c in checks:
        if c.status != "fail":
            continue
        spans = {(c.start, c.end), *((r.start, r.end) for r in c.related)}
        suspects = [span for span in spans if span in only_failing]
        if len(suspects) == 1:
            start, end = suspects[0]
            c.culprit = " ".join(text[start:end].split())
            n = len(uses[suspects[0]])
            c.related.append(Related(f"{label} ({n} {'phép kiểm tra không đạt' if lang == 'vi' else 'failing checks'})",
                                     start, end))
