"""What extraction finds in a report. Every figure keeps the span it was read from and how it was read.

These are plain dataclasses, not pydantic models: a long report has tens of thousands of
numbers and they are built on the hot path. Pydantic validates what comes from outside
(rule catalogs, configs, the lexicon) and shapes the JSON output.

Evidence is recorded where it is found, so that a check can tell a sure finding (an error) from
one that rests on a guess (a warning): how a number was read (`Quantity.reading`, `approx`), how
its label was found (`Fact.label_at`), how a relation was stated (`Breakdown.how`, `Share.via`).
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
    unit: str | None = None  # dossiers | procedures | people | units | points | money | items | ... | None
    # quantity | numerator | denominator | rank | year | date | docref | noise | delta | other | derived | zero
    role: str = "quantity"
    approx: str = ""  # "above" ("hơn", "trên"), "below" ("gần", "dưới"), "about" ("khoảng"): a headline, not a count
    # clean | rejoined (OCR split its digits) | scaled ("3,2 nghìn") | broken (a line ends in it and the next opens
    # with digits: "đang giải quyết 44⏎5 hồ sơ" may be one figure)
    reading: str = "clean"
    tolerance: Decimal = Decimal(0)  # a scaled figure stands for value ± tolerance
    target: bool = False  # a denominator that is a plan or target ("38.412/35.000 tài khoản theo chỉ tiêu"): may be passed
    _number: float | int | None = field(default=None, repr=False, compare=False)

    @property
    def number(self) -> float | int:
        """The figure as written, for JSON ("99,96%" -> 99.96, "02" -> 2); every check a figure is in asks."""
        if self._number is None:
            v = self.value
            self._number = int(v) if v == v.to_integral() and (self.decimals == 0 or self.reading == "scaled") else float(v)
        return self._number

    @property
    def sure(self) -> bool:
        """Read exactly as written: not approximate, not pieced together from OCR fragments."""
        return not self.approx and self.reading not in ("rejoined", "broken")


@dataclass(eq=False, slots=True)
class Scope:
    """What a group of figures is about: the reporting unit, one of its levels or agencies, a field,
    a period, an appendix row. A scope the reader could not name (`kind` "other") stays apart."""
    id: int
    kind: str  # document | level | unit | agency | field | group | period | row | other
    name: str  # folded words that name it, for matching ("cap huyen", "thang 02/2025")
    label: str  # as the report writes it
    parent: "Scope | None" = None
    start: int = 0
    end: int = 0

    def chain(self) -> list["Scope"]:
        out, s = [], self
        while s is not None:
            out.append(s)
            s = s.parent
        return out[::-1]

    def display(self, lang: str = "vi") -> str:
        parts = [s.label for s in self.chain() if s.kind != "document"]
        if not parts:
            return "đơn vị báo cáo" if lang == "vi" else "reporting unit"
        return " – ".join(parts)


@dataclass(slots=True)
class Fact:
    """A figure with the key the lexicon gives its label, in a scope."""
    key: str
    q: Quantity
    scope: Scope
    label_at: str = "before"  # before | after | column | position
    alternatives: tuple[str, ...] = ()
    derived_from: tuple["Fact", ...] = ()  # a total the engine computed from stated parts
    undecided: bool = False  # the words fit several keys equally

    @property
    def sure(self) -> bool:
        if self.derived_from:
            return all(p.sure for p in self.derived_from)
        return self.q.sure and not self.undecided and self.label_at in ("before", "column")

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)


Item = tuple[Quantity, ...]  # a count, or a fraction (numerator, denominator)


@dataclass(slots=True)
class Breakdown:
    """A total and the parts the text gives for it, stated by its shape: "N, trong đó a, b",
    "N (gồm a, b)", "a và b (tổng cộng N)", a line ending "trong đó:" and its sub-items, a table's
    total row. Parts of a fraction total are fractions too (`Item` pairs)."""
    total: Item
    parts: list[Item]
    # the shape: marker ("trong đó", "gồm"), children (sub-items of "…:"), aside ("N (a, b)"), total_after
    # ("a và b (tổng cộng N)"), stated_sum ("a + b = N"), shares (percentages of one base), table_column,
    # table_row, table_subrows, table_formula ("(3)=(1)+(2)"), table_change (2023 + change = 2024)
    how: str
    complete: bool  # the words say the parts make the whole ("gồm", "bao gồm", sub-items of "trong đó:")
    scope: Scope
    start: int
    end: int
    names: list[str] = field(default_factory=list)  # what each part is, as written (for messages)
    total_is_percent: bool = False  # shares that must make 100%
    signs: list[int] = field(default_factory=list)  # -1 for a part that is subtracted ("giảm 3,84"); empty: all added
    word: str = ""  # the connector as written ("trong đó", "gồm", "=", "so với")
    gaps: bool = False  # a figure among the parts was not read as one (a date, a code): a shortfall is unsure
    column: str = ""  # a table's column heading, as written, for messages


@dataclass(slots=True)
class Share:
    """A stated percentage and what the text says it is a share of."""
    pct: Quantity
    scope: Scope
    numerator: Quantity | None = None
    denominator: Quantity | None = None  # a figure the text names as the base ("a/b", "trên tổng số N")
    numerator_key: str | None = None
    base_keys: tuple[str, ...] = ()  # the bases the wording allows, most likely first
    via: str = ""  # fraction | aside | linked | named | breakdown | rate | table
    base_named: bool = False  # the words after the percentage name its base ("… % số đã giải quyết")
    comparison: bool = False  # "bằng 118% kế hoạch", "so với cùng kỳ": not a share, may exceed 100
    base_unread: bool = False  # words after it name a base the reader did not understand ("% số hồ sơ phát sinh …")
    compared: bool = False  # its clause compares two figures ("tỷ lệ giải quyết (số đã giải quyết so với số tiếp nhận mới)")
    rate_named: bool = False  # the clause calls it a rate: "tỷ lệ hài lòng … đạt 100,6%"
    breakdown_total: Item | None = None  # the total the numerator is a part of, by the text's shape
    # the figures the base may be, most likely first, with how each was found: stated (a/b, "trên tổng
    # số N"), named (the words name a figure the scope states), breakdown (the total the numerator is a
    # part of), key (the lexicon's usual base for the numerator's key)
    bases: list[tuple[Quantity, str]] = field(default_factory=list)
    # figures the rate may count with its numerator: a table's "Tỷ lệ đúng hạn (%)" beside "Trước hạn | Đúng
    # hạn" columns counts the early ones too (relations.rate_includes)
    numerator_with: tuple[Quantity, ...] = ()


@dataclass(slots=True)
class RankClaim:
    rank: Quantity
    of: Quantity
    start: int
    end: int


@dataclass(slots=True)
class RateOfChange:
    """"4.026 hồ sơ, tăng 8,4% so với cùng kỳ năm 2024 (3.714 hồ sơ)": a figure now, the earlier figure the
    words bracket as another period's, and the change between them as a percentage of the earlier one."""
    pct: Quantity
    now: Quantity
    before: Quantity
    sign: int  # +1: went up ("tăng"), -1: went down ("giảm")
    scope: Scope
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
    noun: str = ""  # what is counted ("xã", "cơ quan")


@dataclass(slots=True)
class Clause:
    """A clause with its figures masked, to find the same sentence stated twice with other numbers."""
    start: int
    end: int
    shape: str
    numbers: list[Quantity]
    scope: Scope | None = None
    names_group: bool = False  # it names the group of procedures it counts: comparable under any group heading


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
    written: str = ""  # its number as the report writes it: "04/QĐ-UBND"


@dataclass(slots=True)
class Header:
    issuer: str | None = None
    level: str | None = None  # commune | district | province
    subject_level: str | None = None  # the one level the title says the report is about
    number: str | None = None
    number_span: tuple[int, int] | None = None
    place: str | None = None
    date: DateMention | None = None
    period_start: DateMention | None = None
    period_end: DateMention | None = None
    period_text: str | None = None
    several_periods: bool = False  # the title names two ("Quý III và 9 tháng"): neither is the report's own


@dataclass
class Report:
    path: str
    text: str
    encoding: str
    decimal_mark: str
    header: Header
    tree: object = None  # auditor.parse.document.Node
    quantities: list[Quantity] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    ranks: list[RankClaim] = field(default_factory=list)
    rates_of_change: list[RateOfChange] = field(default_factory=list)
    lists: list[ListClaim] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    periods: list[tuple[DateMention, DateMention, int, int]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    tables: list = field(default_factory=list)  # auditor.parse.tables.Table
    same_as: list[tuple[Scope, Scope]] = field(default_factory=list)  # a table row and the prose scope it restates
    # a percentage's start -> the words naming its base before it in its sentence ("Tỷ lệ … trên số hồ sơ đến
    # hạn là 99,51%"), so two rates of one key over different bases are told apart
    bases_before: dict[int, str] = field(default_factory=dict)
    # (scope id, key) of figures the report states but whose words do not say which they are ("đúng hạn 1.327, trong
    # đó trước hạn 1.223"): never taken as zero because unstated
    unread: set[tuple[int, str]] = field(default_factory=set)


def parts_stated(facts: list[Fact], parents: dict[str, str | None]) -> dict[str, set[str]]:
    """Each whole key and the keys of its parts the report states above zero: a whole ("tiếp nhận") is not its
    usual part ("mới tiếp nhận") under another name when another part of it ("kỳ trước chuyển sang") is stated."""
    out: dict[str, set[str]] = {}
    for fa in facts:
        whole = parents.get(fa.key)
        if whole is not None and fa.q.value > 0:
            out.setdefault(whole, set()).add(fa.key)
    return out
