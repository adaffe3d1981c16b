"""What extraction finds in a report. Every figure keeps the span it was read from.

These are plain dataclasses, not pydantic models: a long report has tens of thousands of
numbers and they are built on the hot path. Pydantic validates what comes from outside
(rule catalogs, configs) and shapes the JSON output (auditor/findings.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class Quantity:
    value: Decimal
    decimals: int
    raw: str
    start: int
    end: int
    percent: bool = False
    unit: str | None = None  # dossiers | people | money | procedures | items | None
    role: str = "quantity"  # quantity | numerator | denominator | rank | year | date | docref | noise
    _number: float | int | None = field(default=None, repr=False, compare=False)

    @property
    def number(self) -> float | int:
        """The figure as written, for JSON ("99,96%" -> 99.96, "02" -> 2); every check a figure is in asks."""
        if self._number is None:
            v = self.value
            self._number = int(v) if self.decimals == 0 and v == v.to_integral() else float(v)
        return self._number


@dataclass(slots=True)
class Fact:
    key: str
    q: Quantity
    scope: str
    block: int
    alternatives: tuple[str, ...] = ()
    derived_from: tuple["Fact", ...] = ()  # set when the engine computed it from an identity
    undecided: bool = False  # the words fit several keys equally: the first is kept unless a value says otherwise
    weak: bool = False  # read from words after the figure, or from the figure's place alone: less sure

    @property
    def sure(self) -> bool:
        return not (self.weak or self.undecided or self.derived_from and any(not p.sure for p in self.derived_from))

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)


@dataclass(slots=True)
class PercentClaim:
    """A stated percentage and whatever the text says it is a share of."""
    pct: Quantity
    scope: str
    block: int
    numerator: Quantity | None = None
    denominator: Quantity | None = None  # from a written fraction "a/b ... x%"
    numerator_key: str | None = None
    denominator_key: str | None = None  # the key the share is of, when the lexicon knows it
    sentence_numbers: list[Quantity] = field(default_factory=list)  # earlier counts in the sentence
    comparison: bool = False  # "bằng 118% kế hoạch", "so với cùng kỳ": may exceed 100
    context_keys: list[str] = field(default_factory=list)  # figures the sentence names ("tỷ lệ ... đã giải quyết")


@dataclass(slots=True)
class Fraction:
    numerator: Quantity
    denominator: Quantity
    scope: str
    block: int
    key: str | None = None


@dataclass(slots=True)
class RankClaim:
    rank: Quantity
    of: Quantity
    start: int
    end: int


@dataclass(slots=True)
class ListClaim:
    count: Quantity
    of: Quantity | None
    items: list[tuple[int, int]]
    start: int
    end: int
    alternative_count: int | None = None  # a reading that splits one more item on "và"


@dataclass(slots=True)
class Breakdown:
    """A total and the parts the text lists for it: "112 nhiệm vụ (trong đó: đúng hạn 85, trễ hạn 27)".

    Parts of a fraction total ("843/1555 ... Trong đó: 812/1524 ...; 27/27 ...") are fractions too:
    then `totals` and `parts` hold (numerator, denominator) pairs.
    """
    totals: list[Quantity]
    parts: list[list[Quantity]]
    start: int
    end: int
    how: str  # marker | colon


@dataclass(slots=True)
class Clause:
    """A clause with its figures masked, to find the same sentence stated twice with other numbers."""
    start: int
    end: int
    shape: str
    numbers: list[Quantity]
    scope: str = ""
    block: int = 0


@dataclass(slots=True)
class DateMention:
    day: int | None
    month: int | None
    year: int | None
    start: int
    end: int
    raw: str

    @property
    def complete(self) -> bool:
        return None not in (self.day, self.month, self.year)


@dataclass(slots=True)
class Reference:
    """A dated document cited in the text: "Kế hoạch số 15/KH-UBND ngày 16/02/2023"."""
    doc_type: str
    number: int
    suffix: str
    date: DateMention | None
    issuer: str | None
    start: int
    end: int


@dataclass(slots=True)
class Header:
    issuer: str | None = None
    level: str | None = None  # commune | district | province
    number: str | None = None
    number_span: tuple[int, int] | None = None
    place: str | None = None
    date: DateMention | None = None
    period_start: DateMention | None = None
    period_end: DateMention | None = None
    period_text: str | None = None


@dataclass
class Report:
    path: str
    text: str
    encoding: str
    decimal_mark: str
    header: Header
    facts: list[Fact] = field(default_factory=list)
    percents: list[PercentClaim] = field(default_factory=list)
    fractions: list[Fraction] = field(default_factory=list)
    ranks: list[RankClaim] = field(default_factory=list)
    lists: list[ListClaim] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    periods: list[tuple[DateMention, DateMention, int, int]] = field(default_factory=list)  # (start, end, span)
    dates: list[DateMention] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    scopes: dict[str, str] = field(default_factory=dict)  # scope id -> label for people
    tables: list = field(default_factory=list)  # auditor.tables.Table
    table_links: dict[str, str] = field(default_factory=dict)  # table row scope -> prose scope it restates
