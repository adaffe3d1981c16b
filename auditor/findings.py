"""Check results: what a rule looked at, what it found, where. Rendering only prints these."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Callable

from .facts import Quantity

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Related:
    """Another place a check compared: in the same text (start, end), or, for a check across the
    reports of a --db store, in another report's file (`path`, with its line, column and quote)."""
    label: str
    start: int = 0
    end: int = 0
    path: str | None = None
    line: int | None = None
    column: int | None = None
    quote: str = ""


class _WrittenWhenRead:
    """A check's message or arithmetic that may be written the first time it is read (Check.write_later).
    A report makes thousands of checks and most pass; the text output prints the failures, and writing
    every passed check's sentence up front was a fifth of the time spent checking."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_" + name

    # (attributes, not obj.__dict__: reading the dict would make Python build one for every check)
    def __get__(self, obj, owner=None) -> str:
        if obj is None:
            return ""  # the field's default
        value = getattr(obj, self.slot)
        if value is None:
            obj._write()
            value = getattr(obj, self.slot)
        return value

    def __set__(self, obj, value: str | None) -> None:
        object.__setattr__(obj, self.slot, value)


@dataclass
class Check:
    """One check a rule made. A check across reports (auditor/across/checks.py) is the same record: it sits in
    no one text, so every place it compared is a `related` with its file's path."""
    code: str
    rule: str
    status: str  # pass | fail | skip
    severity: str
    start: int
    end: int
    message: str = _WrittenWhenRead()  # type: ignore[assignment]
    numbers: list[float | int] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    arithmetic: str = _WrittenWhenRead()  # type: ignore[assignment]
    scope: str = ""
    culprit: str = ""

    def write_later(self, writer: Callable[..., tuple[str, str]], *args) -> None:
        """The message and the arithmetic, from `writer(*args)` when one of them is first read. One tuple
        per check, not a closure: a report keeps thousands of them, and the cycle collector walks each."""
        self._message = self._arithmetic = None
        self._writer = (writer, *args)

    def _write(self) -> None:
        writer = getattr(self, "_writer", None)
        message, arithmetic = writer[0](*writer[1:]) if writer is not None else ("", "")
        self._message, self._arithmetic, self._writer = message, arithmetic, None

    def __getstate__(self) -> dict:
        """To another process (a batch worker's pipe) go the words, not the means of writing them."""
        if getattr(self, "_writer", None) is not None:
            self._write()
        return {k: v for k, v in self.__dict__.items() if k != "_writer"}


def numbers_of(*qs: Quantity | None) -> list[float | int]:
    return [q.number for q in qs if q is not None]


@lru_cache(maxsize=8192)  # messages format the same few figures many times over
def fmt(value: Decimal | Fraction | int | float, lang: str, decimals: int | None = None) -> str:
    """A number as the reader writes it: "2.560" and "99,96" in Vietnamese, "2,560" and "99.96" in English."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral() else min(4, max(0, -value.normalize().as_tuple().exponent))
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_q(q: Quantity, lang: str) -> str:
    return fmt(q.value, lang, q.decimals) + ("%" if q.percent else "")
