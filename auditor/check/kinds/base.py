"""What every check kind shares: the rule fields common to all kinds, what a kind returns, and the
context it reads (the report's facts by scope, with totals derived once before any rule runs)."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from ...facts import Fact, Quantity, Report, Scope
from ...findings import Related, fmt, fmt_q

Severity = Literal["error", "warning", "info"]


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    fail: str | None = None
    pass_: str | None = None

    def __init__(self, **data):
        if "pass" in data:
            data["pass_"] = data.pop("pass")
        super().__init__(**data)


class RuleBase(BaseModel):
    """Fields every rule has, whatever its kind. A kind adds its own (its `Spec`)."""
    model_config = ConfigDict(extra="forbid", defer_build=True)
    code: str
    name: str
    kind: str
    severity: Severity
    message: Text  # what is wrong, with the kind's named slots: "{total}", "{parts}", "{difference}"
    passed: Text | None = None  # what was found right; the kind's default when absent
    why: Text
    examples: Examples = Examples()
    source: str = ""  # where the rule came from (filled by the loader)
    line: int = 0

    @field_validator("code")
    @classmethod
    def _code_shape(cls, v: str) -> str:
        if not (2 <= len(v) <= 12 and v[:2].isalpha() and v[:2].isupper() and v[2:].isalnum()):
            raise ValueError("mã luật phải có dạng hai chữ hoa và số, ví dụ AR001")
        return v

    def keys(self) -> list[str]:
        """Every fact key the rule names: checked against the lexicon when the catalog loads."""
        return []

    def statement(self, lang: str) -> str:
        """What the rule says, without the figures its message is filled with."""
        text = self.message.get(lang).split("{")[0].rstrip(" :—-(")
        return text if text.endswith(".") else text + "."

    def spec_lines(self) -> list[tuple[str, str]]:
        """The kind's own fields as (name, value), for `tthc-audit rule`."""
        base = set(RuleBase.model_fields)
        out = []
        for name, value in self.model_dump(by_alias=True).items():
            if name not in base and value not in (None, [], "", False):
                out.append((name, ", ".join(value) if isinstance(value, list) else str(value)))
        return out


@dataclass
class Outcome:
    """What a kind found for one relation: its status, its place, the values its message is made of,
    the figures it used, and whether every operand and the link between them is sure."""
    status: str  # pass | fail | skip
    start: int
    end: int
    values: dict[str, str] = field(default_factory=dict)  # the message's slots, formatted
    numbers: list = field(default_factory=list)  # every figure used, as written
    related: list[Related] = field(default_factory=list)
    arithmetic: str = ""
    sure: bool = True  # a failure that rests on a guess is a warning, never an error
    scope: Scope | None = None
    reason: str = ""  # why a check was not made (skip), in the run's language
    culprit: tuple[int, int] | None = None  # the figure most likely wrong
    # a passed check's slots, computed only if its message is read (most never are), as (function,
    # *arguments) rather than a closure (one object per check, not one per captured name); `values` stays empty
    explain: tuple | None = None


@dataclass
class ScopeFacts:
    """Facts of one scope, by key, in the order stated; totals derived from an identity kept apart."""
    scope: Scope
    stated: dict[str, list[Fact]] = field(default_factory=dict)
    derived: dict[str, Fact] = field(default_factory=dict)
    # every rule asks a scope for the same few keys: answers kept until a total is derived
    _first: dict[tuple[str, bool | None], Fact | None] = field(default_factory=dict, repr=False)

    def derive(self, key: str, fact: Fact) -> None:
        self.derived[key] = fact
        self._first.clear()

    def first(self, key: str) -> Fact | None:
        """The figure's own exact statement; a headline ("gần 3.000"), a fraction's base or a "không
        có …" only when nothing else states it."""
        try:
            return self._first[(key, None)]
        except KeyError:
            got = self._first[(key, None)] = self._first_of(key)
            return got

    def _first_of(self, key: str) -> Fact | None:
        got = self.stated.get(key)
        if not got:
            return self.derived.get(key)
        own = next((f for f in got if f.q.role not in ("denominator", "zero") and not f.q.approx), None)
        return own or self.derived.get(key) or next((f for f in got if not f.q.approx), None)

    def first_like(self, key: str, like: Fact) -> Fact | None:
        """The figure's statement from the same place as `like` (a table's column, or the text) when
        there is one: an identity is checked within the table, or within the text, before across them."""
        column = like.label_at == "column"
        try:
            return self._first[(key, column)]
        except KeyError:
            got = self._first[(key, column)] = self._first_like(key, column)
            return got

    def _first_like(self, key: str, column: bool) -> Fact | None:
        stated = self.stated.get(key)
        if not stated:
            return self.derived.get(key)
        got = next((f for f in stated if (f.label_at == "column") == column
                    and f.q.role not in ("denominator", "zero") and not f.q.approx), None)
        return got or self.first(key)

    def stated_own(self, key: str) -> bool:
        return any(f.q.role not in ("denominator", "zero") for f in self.stated.get(key, []))

    def by_source(self) -> list["ScopeFacts"]:
        """The scope's text and its table rows apart, when it has both: an appendix row and the
        paragraph on the same field each state their own total and parts, and each must add up."""
        column = {id(f): f.label_at == "column" for fs in self.stated.values() for f in fs}
        if len(set(column.values())) < 2:
            return []
        return [ScopeFacts(self.scope, {k: kept for k, fs in self.stated.items()
                                        if (kept := [f for f in fs if column[id(f)] == side])})
                for side in (False, True)]


@dataclass
class Context:
    report: Report
    lang: str
    key_name: Callable[[str, str], str]
    scopes: dict[int, ScopeFacts] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)  # a key -> the key it is part of (lexicon)
    by_source: dict[int, list[ScopeFacts]] = field(default_factory=dict)  # a scope in text and table: each side
    # a key -> the keys a figure under its name may count with it ("đúng hạn" for early and on time alike)
    includes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bases: dict[str, str | None] = field(default_factory=dict)  # a key -> what a share of it is usually of (lexicon)
    _nodes: list = field(default_factory=list, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _shown: dict[int, str] = field(default_factory=dict, repr=False)  # a scope's display, once per report
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _shown_numbers: dict[tuple, str] = field(default_factory=dict, repr=False)
    _key_of: dict[int, str] | None = field(default=None, repr=False)

    def key_of(self, q: Quantity | None) -> str | None:
        """The key a figure was read under, if any (built once per report)."""
        if self._key_of is None:
            self._key_of = {id(f.q): f.key for f in self.report.facts}
        return self._key_of.get(id(q)) if q is not None else None

    def t(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en

    def name(self, key: str) -> str:
        got = self._names.get(key)
        if got is None:
            got = self._names[key] = self.key_name(key, self.lang)
        return got

    def fmt(self, value: Decimal | int | float, decimals: int | None = None) -> str:
        # a report's figures are shown again and again (each check's message and arithmetic)
        got = self._shown_numbers.get((value, decimals))
        if got is None:
            got = self._shown_numbers[(value, decimals)] = fmt(value, self.lang, decimals)
        return got

    def q(self, q: Quantity) -> str:
        return fmt_q(q, self.lang)

    def where(self, scope: Scope | None) -> str:
        if scope is None:
            return ""
        shown = self._shown.get(id(scope))
        if shown is None:
            shown = self._shown[id(scope)] = scope.display(self.lang)
        return shown

    def linked(self, total: Quantity, parts: list[Quantity]) -> bool:
        """Whether the parts are stated in the total's own block or the items right under it: one
        statement, not figures gathered from across the report."""
        if self._starts is None:
            nodes = [n for n in self.report.tree.walk() if n.kind != "document"] if self.report.tree else []
            nodes.sort(key=lambda n: n.start)
            self._nodes, self._starts = nodes, [n.start for n in nodes]
        home = self._node(total.start)
        if home is None:
            return False
        return all((n := self._node(p.start)) is home or (n is not None and n.parent is home) for p in parts)

    def _node(self, pos: int):
        i = bisect_right(self._starts, pos) - 1
        return self._nodes[i] if i >= 0 and pos < self._nodes[i].end else None


def scope_table(report: Report) -> dict[int, ScopeFacts]:
    table: dict[int, ScopeFacts] = {}
    for fa in report.facts:
        sf = table.setdefault(fa.scope.id, ScopeFacts(fa.scope))
        sf.stated.setdefault(fa.key, []).append(fa)
    return table


def leaves(fa: Fact) -> list[Fact]:
    """The stated figures a (possibly derived) fact stands on."""
    if fa.derived_from:
        return [leaf for p in fa.derived_from for leaf in leaves(p)]
    return [fa]


def numbers_of_fact(fa: Fact) -> list:
    return [x.q.number for x in [fa] + [leaf for leaf in leaves(fa) if leaf is not fa]] if fa.derived_from else [fa.q.number]
