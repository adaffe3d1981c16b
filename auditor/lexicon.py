"""Loading grammars/lexicon.yaml: labels and contexts, compiled for the folded text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfigError, first_to_fix
from .resources import grammar_path
from .yaml_lines import line_of_item, line_of_scalar


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelSpec(_Strict):
    key: str
    parent: str | None = None
    base: str | None = None
    patterns: list[str]
    # other keys the same words may stand for (resolved against the report's other figures)
    or_: list[str] = []

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def __init__(self, **data):
        if "or" in data:
            data["or_"] = data.pop("or")
        super().__init__(**data)


class RateSpec(_Strict):
    numerator: str
    denominator: str
    patterns: list[str]


class ScopeSpec(_Strict):
    levels: dict[str, list[str]]
    level_after: list[str]
    field_openers: list[str]
    group_openers: list[str]
    unit_line: str
    report_level: dict[str, list[str]]


class DateSpec(_Strict):
    long: str
    short: str
    period_named: str
    period: str
    reference: str


class AcrossSpec(_Strict):
    parent: str
    commune_count: str


class LexiconSpec(_Strict):
    aliases: dict[str, str]
    labels: list[LabelSpec]
    rates: list[RateSpec]
    scopes: ScopeSpec
    not_quantity_before: list[str]
    ocr_noise: list[str]
    units: dict[str, list[str]]
    breakdown_markers: list[str]
    zero_statements: list[str]
    whole_before_part: list[str]
    countables: list[str]
    tables_not_dossiers: list[str]
    comparison_before: list[str]
    comparison_after: list[str]
    share_before: list[str]
    label_fillers: list[str]
    issuer: str
    total_rows: list[str]
    ranks: list[str]
    dates: DateSpec
    across: AcrossSpec


@dataclass
class Label:
    key: str
    parent: str | None
    base: str | None
    alternatives: list[str]
    regex: re.Pattern
    first: frozenset[str] | None = None  # characters a match can begin with (None: any)


@dataclass
class Lexicon:
    labels: list[Label]
    label_regex: re.Pattern  # one alternation of every label pattern, for a first fast pass
    label_of_group: list[Label]
    label_by_group: dict[str, Label]
    keys: dict[str, Label]
    rates: list[tuple[RateSpec, re.Pattern]]
    levels: dict[str, re.Pattern]
    field_opener: re.Pattern
    group_opener: re.Pattern
    report_level: dict[str, re.Pattern]
    not_quantity_before: re.Pattern  # matches end right before a figure that is not a quantity
    ocr_noise: list[re.Pattern]
    units: list[tuple[str, re.Pattern]]
    unit: dict[str, re.Pattern]
    breakdown: re.Pattern
    zero_statement: re.Pattern
    whole_before_part: re.Pattern
    countable: re.Pattern
    not_dossier_table: re.Pattern
    comparison_before: re.Pattern
    comparison_after: re.Pattern
    share_before: re.Pattern
    label_filler: re.Pattern
    issuer: re.Pattern
    total_row: re.Pattern
    total_heading: re.Pattern
    unit_line: re.Pattern
    period_named: re.Pattern
    rank: re.Pattern
    date_long: re.Pattern
    date_short: re.Pattern
    period: re.Pattern
    reference: re.Pattern
    parent_unit: re.Pattern
    commune_count: re.Pattern
    parents: dict[str, str | None] = field(default_factory=dict)
    any_unit: re.Pattern | None = None  # every unit in one alternation, in lexicon order; lastgroup names it
    unit_of_group: dict[str, str] = field(default_factory=dict)
    level_after: list[tuple[str, re.Pattern]] = field(default_factory=list)  # "… ở cấp xã", by level
    _labels_at: dict[str, list[Label]] = field(default_factory=dict)
    _candidates_of: dict[str, tuple] = field(default_factory=dict)

    def labels_starting(self, ch: str) -> list[Label]:
        """The labels (in lexicon order) whose pattern can begin with `ch`."""
        found = self._labels_at.get(ch)
        if found is None:
            found = self._labels_at[ch] = [lab for lab in self.labels if lab.first is None or ch in lab.first]
        return found

    def candidates(self, text: str) -> tuple[tuple[int, int, Label], ...]:
        """Every label reading in `text` as (start, end, label), overlapping readings included.
        Reports repeat the same few phrases field after field, so readings are remembered by text."""
        if len(text) > 200:
            return self._read_candidates(text)
        found = self._candidates_of.get(text)
        if found is None:
            if len(self._candidates_of) >= 20_000:
                self._candidates_of.clear()  # bounded: a batch of thousands of reports stays flat
            found = self._candidates_of[text] = self._read_candidates(text)
        return found

    def forget_readings(self) -> None:
        """Empty the remembered label readings (a benchmark compares sizes from the same cold start)."""
        self._candidates_of.clear()

    def _read_candidates(self, text: str) -> tuple[tuple[int, int, Label], ...]:
        out = []
        for m in self.label_regex.finditer(text):
            # each alternative is one named group around unnamed ones: it closes last
            lab = self.label_by_group.get(m.lastgroup)
            if lab is None:  # a lexicon pattern with named groups of its own
                lab = next(lb for gi, lb in enumerate(self.label_of_group) if m.group(f"g{gi}") is not None)
            out.append((m.start(), m.end(), lab))
        # also overlapping shorter/longer readings: try each label at each match start
        starts = {s for s, _, _ in out}
        for s in starts:
            for lab in self.labels_starting(text[s]):
                mm = lab.regex.match(text, s)
                if mm and (not mm.end() < len(text) or not text[mm.end()].isalnum()):
                    out.append((s, mm.end(), lab))
        return tuple(out)

    def base_of(self, key: str) -> str | None:
        lab = self.keys.get(key)
        return lab.base if lab else None


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can begin with, or None when any may (or it cannot tell).
    Lets the label matcher skip the patterns that cannot match at a position."""
    try:  # the standard library's own regex parser
        from re import _constants as c, _parser as sre_parse
    except ImportError:  # Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse  # type: ignore[no-redef]

    def of(items) -> frozenset[str] | None:
        optional: set[str] = set()  # first characters of optional parts met so far
        for op, av in items:
            if op is c.AT:  # \b, ^: zero width, look at what follows
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0:
                sub = of(av[2])
                if sub is None:
                    return None
                optional |= sub
                continue
            first = one(op, av)
            return None if first is None else frozenset(optional | first)
        return None

    def one(op, av) -> frozenset[str] | None:
        if op is c.LITERAL:
            return frozenset({chr(av)})
        if op is c.IN:
            chars: set[str] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] < 256:
                    chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
                else:
                    return None
            return frozenset(chars)
        if op is c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                sub = of(branch)
                if sub is None:
                    return None
                out |= sub
            return frozenset(out)
        if op is c.SUBPATTERN:
            return of(av[-1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            return of(av[2])
        return None

    try:
        return of(sre_parse.parse(pattern))
    except Exception:
        return None


def _spaces(pattern: str) -> str:
    # A space in a pattern stands for any run of white space: reports break lines mid-phrase.
    return pattern.replace(" ?", r"\s*").replace(" +", r"\s+").replace(" ", r"\s+")


def _expand(pattern: str, aliases: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in aliases:
            raise KeyError(name)
        return f"(?:{_spaces(aliases[name])})"
    return re.sub(r"\{([A-Z]+)\}", sub, _spaces(pattern))


class _PatternError(ConfigError):
    """A lexicon pattern that does not compile; load_lexicon adds the line it is on."""

    def __init__(self, message: str, pattern: str):
        super().__init__(message)
        self.pattern = pattern


def _compile(pattern: str, aliases: dict[str, str], where: str, *, scanning: bool = False) -> re.Pattern:
    return _any([pattern], aliases, where, scanning=scanning)


def _alternation(patterns: list[str], aliases: dict[str, str], where: str) -> str:
    """The lexicon's patterns as one regular expression's text, aliases expanded; not compiled yet."""
    try:
        if len(patterns) == 1:
            return _expand(patterns[0], aliases)
        return "|".join(f"(?:{_expand(p, aliases)})" for p in patterns)
    except KeyError as exc:
        culprit = next((p for p in patterns if f"{{{exc.args[0]}}}" in p), patterns[0] if patterns else "")
        raise _PatternError(f"{where}: unknown alias {{{exc.args[0]}}} in pattern {culprit!r}", culprit) from None


def _regex(text: str, where: str, patterns: list[str], aliases: dict[str, str], *, scanning: bool = False,
           chars: frozenset[str] | None = None) -> re.Pattern:
    """Compile once (compiling is most of the start-up); on an error, compile each lexicon pattern
    alone to name the one at fault.

    `scanning`: for a pattern run over a whole text. The regex engine skips ahead by itself only
    when a pattern starts with a literal, and alternatives that start with \\b defeat that; a
    lookahead on the characters every match must start with restores the skipping (4x on
    not_quantity_before)."""
    if scanning:
        chars = chars or first_chars(text)
        if chars:
            text = f"(?=[{''.join(re.escape(c) for c in sorted(chars))}])(?:{text})"
    try:
        return re.compile(text)
    except re.error as exc:
        for p in patterns:
            try:
                re.compile(_expand(p, aliases))
            except re.error as exc_p:
                raise _PatternError(f"{where}: bad pattern {p!r}: {exc_p}", p) from None
        raise ConfigError(f"{where}: bad pattern: {exc}") from None


def _any(patterns: list[str], aliases: dict[str, str], where: str, *, scanning: bool = False) -> re.Pattern:
    return _regex(_alternation(patterns, aliases, where), where, patterns, aliases, scanning=scanning)


def _union(sets) -> frozenset[str] | None:
    out: set[str] = set()
    for chars in sets:
        if chars is None:
            return None
        out |= chars
    return frozenset(out)


def load_lexicon(path: Path | None = None) -> Lexicon:
    path = path or grammar_path("lexicon.yaml")
    where = str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        spec = LexiconSpec.model_validate(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{where}{line}: YAML không hợp lệ: {getattr(exc, 'problem', None) or exc}") from None
    except ValidationError as exc:
        err = first_to_fix(exc.errors())
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"{where}:{line_of_item(path, *err['loc'])}: {loc}: {err['msg']}") from None
    try:
        return _build(spec, where)
    except _PatternError as exc:
        line = line_of_scalar(path, exc.pattern)
        raise ConfigError(f"{where}:{line}:{str(exc)[len(where) + 1:]}") from None


def _build(spec: LexiconSpec, where: str) -> Lexicon:
    a = spec.aliases
    labels: list[Label] = []
    keys: dict[str, Label] = {}
    group_parts: list[str] = []
    label_of_group: list[Label] = []
    for ls in spec.labels:
        for p in ls.patterns:
            rx = _compile(p, a, f"{where}: labels[{ls.key}]")
            lab = Label(ls.key, ls.parent, ls.base, list(ls.or_), rx, first_chars(rx.pattern))
            labels.append(lab)
            group_parts.append(f"(?P<g{len(label_of_group)}>\\b{rx.pattern}\\b)")
            label_of_group.append(lab)
        keys.setdefault(ls.key, Label(ls.key, ls.parent, ls.base, [], re.compile("")))
    lex = Lexicon(
        labels=labels,
        label_regex=_regex("|".join(group_parts), f"{where}: labels", [], a, scanning=True,
                           chars=_union(lab.first for lab in labels)),
        label_of_group=label_of_group,
        label_by_group={f"g{i}": lab for i, lab in enumerate(label_of_group)},
        keys=keys,
        rates=[(r, _any(r.patterns, a, f"{where}: rates")) for r in spec.rates],
        levels={lvl: _any(ps, a, f"{where}: scopes.levels.{lvl}") for lvl, ps in spec.scopes.levels.items()},
        field_opener=_any(spec.scopes.field_openers, a, f"{where}: scopes.field_openers"),
        group_opener=_any(spec.scopes.group_openers, a, f"{where}: scopes.group_openers"),
        report_level={lvl: _any(ps, a, f"{where}: scopes.report_level") for lvl, ps in spec.scopes.report_level.items()},
        not_quantity_before=_regex(
            r"(?:" + _alternation(spec.not_quantity_before, a, f"{where}: not_quantity_before") + r")\s*(?=\d)",
            f"{where}: not_quantity_before", spec.not_quantity_before, a, scanning=True),
        ocr_noise=[_compile(p, a, f"{where}: ocr_noise", scanning=True) for p in spec.ocr_noise],
        units=[(name, _regex(r"\s*(?:" + _alternation(ps, a, f"{where}: units") + r")\b", f"{where}: units", ps, a))
               for name, ps in spec.units.items()],
        unit={},
        breakdown=_any(spec.breakdown_markers, a, f"{where}: breakdown_markers"),
        zero_statement=_any(spec.zero_statements, a, f"{where}: zero_statements"),
        whole_before_part=_any(spec.whole_before_part, a, f"{where}: whole_before_part"),
        countable=_any(spec.countables, a, f"{where}: countables"),
        not_dossier_table=_any(spec.tables_not_dossiers, a, f"{where}: tables_not_dossiers"),
        comparison_before=_any(spec.comparison_before, a, f"{where}: comparison_before"),
        comparison_after=_regex(r"\s*(?:" + _alternation(spec.comparison_after, a, f"{where}: comparison_after") + ")",
                                f"{where}: comparison_after", spec.comparison_after, a),
        share_before=_any(spec.share_before, a, f"{where}: share_before"),
        label_filler=_regex(r"\s*(?:(?:" + _alternation(spec.label_fillers, a, f"{where}: label_fillers") + r")\s+)?",
                            f"{where}: label_fillers", spec.label_fillers, a),
        issuer=_compile(spec.issuer, a, f"{where}: issuer"),
        parent_unit=_compile(spec.across.parent, a, f"{where}: across.parent"),
        commune_count=_compile(spec.across.commune_count, a, f"{where}: across.commune_count"),
        total_row=_regex(r"^\W*(?:" + _alternation(spec.total_rows, a, f"{where}: total_rows") + r")\b",
                         f"{where}: total_rows", spec.total_rows, a),
        total_heading=_regex(r"\W*(?:" + _alternation(spec.total_rows, a, f"{where}: total_rows") + r")\W*",
                             f"{where}: total_rows", spec.total_rows, a),
        unit_line=_compile(spec.scopes.unit_line, a, f"{where}: scopes.unit_line"),
        period_named=_compile(spec.dates.period_named, a, f"{where}: dates.period_named"),
        rank=_any(spec.ranks, a, f"{where}: ranks"),
        date_long=_compile(spec.dates.long, a, f"{where}: dates.long"),
        date_short=_compile(spec.dates.short, a, f"{where}: dates.short"),
        period=_compile(spec.dates.period, a, f"{where}: dates.period", scanning=True),
        reference=_compile(spec.dates.reference, a, f"{where}: dates.reference"),
    )
    lex.parents = {k: lab.parent for k, lab in keys.items()}
    lex.unit = dict(lex.units)
    lex.unit_of_group = {f"u{i}": name for i, (name, _) in enumerate(lex.units)}
    lex.any_unit = re.compile("|".join(f"(?P<u{i}>{rx.pattern})" for i, (_, rx) in enumerate(lex.units)))
    before_level = _any(spec.scopes.level_after, a, f"{where}: scopes.level_after").pattern
    lex.level_after = [(lvl, re.compile(f"(?:{before_level})\\s+(?:{rx.pattern})")) for lvl, rx in lex.levels.items()]
    return lex


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()
