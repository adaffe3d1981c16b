"""Loading grammars/lexicon.yaml: labels and contexts, compiled for the folded text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .build_cache import built
from .errors import ConfigError, first_to_fix
from .resources import grammar_path
from .yaml_lines import line_of_item, line_of_scalar

T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class LabelSpec(_Strict):
    key: str
    parent: str | None = None
    base: str | None = None
    patterns: list[str]
    # other keys the same words may stand for (resolved against the report's other figures)
    or_: list[str] = []
    # the words name this key only for a part of its parent's figure ("mới" in "tiếp nhận 120 (kỳ trước 4, mới 116)")
    only_as_part: bool = False

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    def __init__(self, **data):
        if "or" in data:
            data["or_"] = data.pop("or")
        super().__init__(**data)


class RateSpec(_Strict):
    numerator: str
    denominator: str
    patterns: list[str]


class FigureSpec(_Strict):
    approximate_before: list[str]
    approximate_above: list[str]
    approximate_below: list[str]
    exact_before: list[str]
    change_before: list[str]
    change_after: list[str]
    year_before: list[str]
    scale: dict[str, list[str]]
    scale_money: list[str]
    not_quantity_before: list[str]
    average_before: list[str] = []
    singled_out_before: list[str] = []
    identifiers: list[str] = []
    bands: list[str] = []
    range_to: list[str] = []
    ocr_noise: list[str]
    not_counts: list[str] = []
    day_before: list[str] = []
    subject_units: list[str] = []
    page_furniture: list[str] = []


class ScopeSpec(_Strict):
    agency: list[str]
    level: dict[str, list[str]]
    unit: list[str]
    field: list[str]
    group: list[str]
    period: list[str]
    whole: list[str]
    topics: list[str]
    openers: list[str]
    level_after: list[str]
    name_fillers: list[str]
    other_time_asides: list[str]
    other_times: list[str] = []
    subset_sentences: list[str] = []
    subset_with_own: list[str] = []
    unit_status: list[str] = []
    qualifier_leads: list[str] = []
    field_lists: list[str]
    field_announcements: list[str] = []
    count_words: list[str] = []
    period_openers: list[str]
    sentence_period_openers: list[str] = []
    period_list_joins: list[str] = []
    numbered_periods: list[str] = []
    summary_openers: list[str] = []
    own_periods: list[str] = []
    legend_periods: list[str] = []
    sentence_periods: list[str] = []
    stage_mentions: list[str] = []
    discourse_openers: list[str] = []
    country_wholes: list[str] = []
    subject_leads: list[str] = []
    unit_lookalikes: list[str] = []
    group_not_after: list[str] = []
    subjects: list[str] = []
    unit_line: str
    report_level: dict[str, list[str]]


class RelationSpec(_Strict):
    breakdown_markers: list[str]
    complete_markers: list[str]
    total_words: list[str]
    list_stops: list[str]
    respectively: list[str] = []
    not_parts: list[str]
    stated_sum: list[str]
    list_gap: list[str]
    item_joins: list[str] = []
    aside_note_words: list[str]
    share_link: list[str]
    attained: list[str] = []
    attaining_units: list[str] = []
    overlapping_units: list[str] = []
    overlapping_traits: list[str] = []
    target_after: list[str] = []
    deducted_before: list[str] = []
    rate_includes: dict[str, list[str]] = {}
    nested_includes: dict[str, dict[str, str]] = {}
    wholes_of_parts: dict[str, list[str]] = {}
    label_joins: list[str] = []
    share_after: list[str]
    of_total: list[str]
    base_after: list[str]
    whole_base: list[str]
    comparison_before: list[str]
    comparison_after: list[str]
    compared_with: list[str]
    share_before: list[str]
    zero_statements: list[str]
    whole_before_part: list[str]
    whole_before_part_ends: list[str] = []
    parts_follow: list[str] = []
    breakdown_leads: list[str] = []
    bases_before: list[str] = []
    named_total_gap: list[str]
    label_fillers: list[str]
    reason_after: list[str] = []
    change_up: list[str]
    change_down: list[str]
    rank_steps: list[str]


class TableSpec(_Strict):
    caption_unit: list[str]
    index_headings: list[str]
    rank_headings: list[str]
    notes_headings: list[str]
    procedure_headings: list[str] = []
    other_count_headings: list[str] = []
    provincial_rows: list[str] = []
    period_headings: list[str] = []
    stock_keys: list[str] = []
    all_dossier_words: list[str] = []
    attachment_lines: list[str] = []
    selection_captions: list[str] = []
    heading_abbreviations: dict[str, str] = {}
    caption_titles: list[str] = []
    change_headings: list[str]
    whole_headings: list[str]
    percent_headings: list[str]
    points_headings: list[str]
    total_rows: list[str]
    not_part_rows: list[str]
    ratio_headings: list[str]
    plan_headings: list[str]
    average_headings: list[str] = []
    not_dossiers: list[str]


class DateSpec(_Strict):
    long: str
    short: str
    partial: str
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
    rate_words: list[str]
    rate_tail: list[str]
    rate_after: list[str]
    rate_label_end: list[str]
    figures: FigureSpec
    units: dict[str, list[str]]
    scopes: ScopeSpec
    relations: RelationSpec
    countables: list[str]
    names_with_va: list[str]
    tables: TableSpec
    issuer: str
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
    only_as_part: bool = False


@dataclass
class Lexicon:
    """The compiled lexicon. Each regex is named after the section of grammars/lexicon.yaml it comes
    from; see that file for what each recognises."""
    labels: list[Label]
    label_regex: re.Pattern  # one alternation of every label pattern, for a first fast pass
    label_of_group: list[Label]
    label_by_group: dict[str, Label]
    keys: dict[str, Label]
    rates: list[tuple[RateSpec, re.Pattern]]
    rate_word: re.Pattern
    rate_tail: re.Pattern
    rate_after: re.Pattern
    rate_label_end: re.Pattern
    # figures
    approximate_before: re.Pattern  # these match ending right before a figure
    approx_above: re.Pattern
    approx_below: re.Pattern
    exact_before: re.Pattern
    delta_before: re.Pattern
    delta_after: re.Pattern  # matched right after a figure
    year_before: re.Pattern
    scale: re.Pattern  # matched right after a figure; the group names the factor
    scale_of: dict[str, int]
    scale_money: re.Pattern
    not_quantity_before: re.Pattern
    average_before: re.Pattern  # "bình quân mỗi năm 218,0": an average, no count to add up
    singled_out_before: re.Pattern  # "… nhiều nhất với 577 hồ sơ": the figure of the one unit singled out
    identifier: re.Pattern  # "000.00.27.H25-240910-0160": a code whose digits count nothing
    band: re.Pattern  # "từ 41% đến 100%", "từ 81% trở lên": percentages that say who is counted (each a group)
    range_to: re.Pattern
    ocr_noise: list[re.Pattern]
    not_count: re.Pattern  # numbers that are never counts, one group each ("7 giờ 30", "^2^")
    day_before: re.Pattern  # the words before a day and a month without a year ("Thứ 7 (20/9)")
    subject_units: frozenset[str]
    subject_count: re.Pattern  # "(tổng) số <what is counted>": which subject unit, by group name
    page_furniture: re.Pattern
    units: list[tuple[str, re.Pattern]]
    any_unit: re.Pattern  # every unit in one alternation, in lexicon order; lastgroup names it
    unit_of_group: dict[str, str]
    # scopes
    scope_kinds: list[tuple[str, re.Pattern]]  # (kind, regex) in the order they are tried
    level_mention: re.Pattern  # a level named anywhere; lastgroup is its id
    topic: re.Pattern
    opener: re.Pattern
    level_after: re.Pattern
    name_filler: re.Pattern
    aside_other_time: re.Pattern
    qualifier_lead: re.Pattern  # "hồ sơ thuộc lĩnh vực …": words between a figure's unit and the group or field it is of
    subset_sentence: re.Pattern  # a sentence about some dossiers apart ("… được bàn giao và đã xử lý xong …")
    subset_with_own: re.Pattern  # ... unless it counts the unit's own new dossiers too: then they are a part
    unit_status: re.Pattern  # "(cũ)", "mới" right after a unit's name: the old unit and the new are two
    other_time: re.Pattern  # another period named right before a figure ("cùng kỳ năm 2023 là …")
    field_list: re.Pattern
    field_announcement: re.Pattern
    count_words: re.Pattern
    period_opener: re.Pattern
    sentence_period_opener: re.Pattern  # a block-opening period that holds for its sentence only
    period_list_join: re.Pattern  # the word before the last of a list of periods ("… và tháng 12 …")
    numbered_period: re.Pattern  # searched in a period's name: one period of several ("tháng 7", "quý II")
    summary_opener: re.Pattern
    own_period: re.Pattern
    discourse_opener: re.Pattern  # "Ngoài ra, …": words before a sentence's subject that name nothing
    country_whole: re.Pattern  # "cả nước", "toàn quốc": the whole country, above any reporting unit
    subject_lead: re.Pattern  # "Hồ sơ của …": words before a body whose dossiers the sentence counts
    stage_mention: re.Pattern  # a stage of several years named anywhere in a sentence ("… cả giai đoạn đạt …")
    sentence_period: re.Pattern  # periods that hold for their sentence only, even opening a block ("Trong 05 năm, …")
    legend_period: re.Pattern  # one side of a legend "Quý này / Quý trước" over pairs of figures
    unit_lookalikes: frozenset[str]
    group_not_after: re.Pattern
    subject: re.Pattern
    unit_line: re.Pattern
    report_level: dict[str, re.Pattern]
    # relations
    breakdown: re.Pattern
    complete_marker: re.Pattern
    total_words: re.Pattern
    total_word_end: re.Pattern  # a total word ending where a figure starts ("…, tổng cộng 52")
    not_parts: re.Pattern
    stated_sum: re.Pattern
    list_gap: re.Pattern
    item_join: re.Pattern  # fullmatched on the words between two items' figures: "và", ", "
    aside_note: re.Pattern
    share_link: re.Pattern
    attained: re.Pattern
    attaining_units: frozenset[str]
    overlapping_units: frozenset[str]  # "21 cán bộ, trong đó: nữ 08, đảng viên 19": parts that may overlap
    overlapping_traits: re.Pattern  # … when they are named by such traits
    target_after: re.Pattern
    deducted_before: re.Pattern
    rate_includes: dict[str, tuple[str, ...]]
    nested_includes: dict[str, dict[str, str]]
    wholes_of_parts: dict[str, frozenset[str]]
    label_join: re.Pattern  # fullmatched between the labels of two kinds named for one figure ("trả lại, rút")
    share_after: re.Pattern
    of_total: re.Pattern
    base_after: re.Pattern
    whole_base: re.Pattern
    comparison_before: re.Pattern
    compared_with: re.Pattern  # "so với <a time>" right before a bracket: the time in group 1
    comparison_after: re.Pattern
    share_before: re.Pattern
    zero_statement: re.Pattern
    whole_before_part: re.Pattern
    whole_before_part_ends: tuple[str, ...]  # the words every whole_before_part form ends with
    parts_follow: re.Pattern
    breakdown_lead: re.Pattern  # "Phân theo lĩnh vực, số hồ sơ …:": a colon after it opens the list of parts
    base_before: re.Pattern  # "… trên tổng số 1.897": the figure after it is what the one before is counted against
    named_total_gap: re.Pattern
    change_up: re.Pattern  # searched in the words before a change
    change_down: re.Pattern
    rank_steps: re.Pattern  # matched right after a change: "tăng 39 bậc"
    label_filler: re.Pattern
    reason_after: re.Pattern  # "4 hồ sơ do …": a reason for the figure before, up to its phrase's end
    countable: re.Pattern
    name_with_va: re.Pattern  # searched in a folded list item
    # tables
    caption_unit: re.Pattern
    index_heading: re.Pattern
    rank_heading: re.Pattern
    notes_heading: re.Pattern
    procedure_heading: re.Pattern
    other_count_heading: re.Pattern
    provincial_row: re.Pattern
    caption_title: re.Pattern  # "Bảng 1 -", "Biểu số 02.": what opens a table's title, before its words
    period_heading: re.Pattern  # a column naming each row's period ("Tháng" over "01/2026"): names, not figures
    stock_keys: frozenset[str]  # figures of a moment (carried over, pending): never summed over periods
    all_dossier_words: re.Pattern
    attachment_line: re.Pattern
    selection_caption: re.Pattern
    heading_abbreviations: dict[str, str]
    heading_abbreviation: re.Pattern
    delta_heading: re.Pattern
    whole_heading: re.Pattern  # "tổng số", "số lượng" opening a heading, then what it counts
    percent_heading: re.Pattern
    points_heading: re.Pattern
    total_row: re.Pattern
    not_part_row: re.Pattern
    list_stop: re.Pattern
    respectively: re.Pattern
    dossier_word: re.Pattern
    plan_heading: re.Pattern
    average_heading: re.Pattern
    ratio_heading: re.Pattern
    not_dossier_table: re.Pattern
    # dates, documents, ranks
    issuer: re.Pattern
    rank: re.Pattern
    date_long: re.Pattern
    date_short: re.Pattern
    date_partial: re.Pattern
    period_named: re.Pattern
    period: re.Pattern
    reference: re.Pattern
    parent_unit: re.Pattern
    commune_count: re.Pattern
    parents: dict[str, str | None] = field(default_factory=dict)
    _labels_at: dict[str, list[Label]] = field(default_factory=dict)
    _candidates_of: dict[str, tuple] = field(default_factory=dict)
    _scope_rx: dict[str, re.Pattern] = field(default_factory=dict)
    _remembered: dict[tuple, object] = field(default_factory=dict)

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

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """A reading that depends only on a short text and this lexicon (where a name ends), computed
        once: reports repeat the same names field after field and row after row."""
        try:
            return self._remembered[key]  # type: ignore[return-value]
        except KeyError:
            if len(self._remembered) >= 20_000:
                self._remembered.clear()  # bounded, like the label readings
            found = self._remembered[key] = compute()
            return found

    def forget_readings(self) -> None:
        """Empty the remembered label readings (a benchmark compares sizes from the same cold start)."""
        self._candidates_of.clear()
        self._remembered.clear()

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

    def ancestors(self, key: str) -> list[str]:
        return ancestors(self.parents, key)

    def scope_rx(self, kind: str) -> re.Pattern:
        """The pattern of one kind of scope ("period", "unit", "level", "whole", …)."""
        if not self._scope_rx:
            self._scope_rx.update(self.scope_kinds)
        return self._scope_rx[kind]


ANY_DIGIT = r"\d"  # among first_chars(…, digits=True): any digit, written as in a character class


def first_chars(pattern: str, digits: bool = False) -> frozenset[str] | None:
    """The characters a match of `pattern` can begin with, or None when any may (or it cannot tell).
    Lets the label matcher skip the patterns that cannot match at a position. With `digits`, a
    pattern that may begin with any digit has ANY_DIGIT among them, for a lookahead's class."""
    try:  # the standard library's own regex parser
        from re import _constants as c, _parser as sre_parse
    except ImportError:  # Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse  # type: ignore[no-redef]

    def of(items) -> frozenset[str] | None:
        optional: set[str] = set()  # first characters of optional parts met so far
        for op, av in items:
            if op is c.AT or op in (c.ASSERT, c.ASSERT_NOT):
                continue  # \b, ^, look-arounds: zero width, the first character is what follows
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
                elif iop is c.CATEGORY and iav is c.CATEGORY_DIGIT and digits:
                    chars.add(ANY_DIGIT)
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
        chars = chars or first_chars(text, digits=True)
        if chars:
            starts = "".join(c if c == ANY_DIGIT else re.escape(c) for c in sorted(chars))
            text = f"(?=[{starts}])(?:{text})"
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


def _written(words: list[str], where: str) -> re.Pattern:
    """Words as written, capitalised or in capitals ("Sở", "SỞ"; never "số"): matched on the text
    itself, not on its folded form, because their diacritics are what tells them apart."""
    forms = sorted({w for word in words for w in (word, word.upper())}, key=len, reverse=True)
    try:
        return re.compile("(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in forms) + r")\b" if forms else "(?!)")
    except re.error as exc:
        raise ConfigError(f"{where}: {exc}") from None


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


def _before_figure(patterns: list[str], a: dict[str, str], where: str) -> re.Pattern:
    """Words that end right before a figure (white space between allowed)."""
    # each word starts a word: "ước" is no "thuộc", "kh" no "khác"
    return _regex(r"\b(?:" + _alternation(patterns, a, where) + r")\s*(?=\d)", where, patterns, a, scanning=True)


def _at(patterns: list[str], a: dict[str, str], where: str) -> re.Pattern:
    """Words matched where a figure or a span ends ("match" at that offset)."""
    return _regex(r"(?:" + _alternation(patterns, a, where) + r")", where, patterns, a)


def _named(groups: dict[str, list[str]], a: dict[str, str], where: str, *, scanning: bool = False) -> re.Pattern:
    """One alternation whose matched group's name says which entry matched."""
    text = "|".join(f"(?P<{name}>{_alternation(ps, a, where)})" for name, ps in groups.items())
    return _regex(text, where, [p for ps in groups.values() for p in ps], a, scanning=scanning)


def _build(spec: LexiconSpec, where: str) -> Lexicon:
    a = spec.aliases
    labels: list[Label] = []
    keys: dict[str, Label] = {}
    group_parts: list[str] = []
    label_of_group: list[Label] = []
    for ls in spec.labels:
        for p in ls.patterns:
            rx = _compile(p, a, f"{where}: labels[{ls.key}]")
            lab = Label(ls.key, ls.parent, ls.base, list(ls.or_), rx, first_chars(rx.pattern), ls.only_as_part)
            labels.append(lab)
            group_parts.append(f"(?P<g{len(label_of_group)}>{rx.pattern}\\b)")
            label_of_group.append(lab)
        keys.setdefault(ls.key, Label(ls.key, ls.parent, ls.base, [], re.compile("")))
    lex = Lexicon(
        **_label_fields(spec, a, where, labels, keys, group_parts, label_of_group),
        **_figure_fields(spec, a, where), **_scope_fields(spec, a, where),
        **_relation_fields(spec, a, where), **_other_fields(spec, a, where))
    lex.parents = {k: lab.parent for k, lab in keys.items()}
    return lex


def _label_fields(spec: LexiconSpec, a: dict[str, str], where: str, labels, keys, group_parts, label_of_group) -> dict:
    return dict(
        labels=labels,
        # every label starts a word: one \b before them all fails a position inside a word once, not once per label
        label_regex=_regex("\\b(?:" + "|".join(group_parts) + ")", f"{where}: labels", [], a, scanning=True,
                           chars=_union(lab.first for lab in labels)),
        label_of_group=label_of_group,
        label_by_group={f"g{i}": lab for i, lab in enumerate(label_of_group)},
        keys=keys,
        rates=[(r, _any(r.patterns, a, f"{where}: rates")) for r in spec.rates],
        rate_word=_any(spec.rate_words, a, f"{where}: rate_words"),
        rate_tail=_any(spec.rate_tail, a, f"{where}: rate_tail"),
        rate_after=_any(spec.rate_after, a, f"{where}: rate_after"),
        rate_label_end=_any(spec.rate_label_end, a, f"{where}: rate_label_end"),
    )


def _figure_fields(spec: LexiconSpec, a: dict[str, str], where: str) -> dict:
    fig = spec.figures
    units = [(name, _regex(r"\s*(?:" + _alternation(ps, a, f"{where}: units") + r")\b", f"{where}: units", ps, a))
             for name, ps in spec.units.items()]
    scale_groups = {f"x{factor}": ps for factor, ps in fig.scale.items()}
    return dict(
        approximate_before=_before_figure(fig.approximate_before, a, f"{where}: figures.approximate_before"),
        approx_above=_any(fig.approximate_above, a, f"{where}: figures.approximate_above"),
        approx_below=_any(fig.approximate_below, a, f"{where}: figures.approximate_below"),
        exact_before=_before_figure(fig.exact_before, a, f"{where}: figures.exact_before"),
        delta_before=_before_figure(fig.change_before, a, f"{where}: figures.change_before"),
        delta_after=_at(fig.change_after, a, f"{where}: figures.change_after"),
        year_before=_any(fig.year_before, a, f"{where}: figures.year_before"),
        scale=_regex(r"\s*(?:" + _named(scale_groups, a, f"{where}: figures.scale").pattern + r")\b",
                     f"{where}: figures.scale", [], a),
        scale_of={f"x{factor}": int(factor) for factor in fig.scale},
        scale_money=_at(fig.scale_money, a, f"{where}: figures.scale_money"),
        not_quantity_before=_before_figure(fig.not_quantity_before, a, f"{where}: figures.not_quantity_before"),
        average_before=_before_figure(fig.average_before or ["(?!)"], a, f"{where}: figures.average_before"),
        singled_out_before=_before_figure(fig.singled_out_before or ["(?!)"], a, f"{where}: figures.singled_out_before"),
        identifier=_any(fig.identifiers or ["(?!)"], a, f"{where}: figures.identifiers", scanning=True),
        band=_any(fig.bands or ["(?!)"], a, f"{where}: figures.bands", scanning=True),
        range_to=_at(fig.range_to or ["(?!)"], a, f"{where}: figures.range_to"),
        ocr_noise=[_compile(p, a, f"{where}: figures.ocr_noise", scanning=True) for p in fig.ocr_noise],
        not_count=_any(fig.not_counts or ["(?!)"], a, f"{where}: figures.not_counts", scanning=True),
        day_before=_any(fig.day_before or ["(?!)"], a, f"{where}: figures.day_before"),
        subject_units=frozenset(fig.subject_units),
        # "số" as in "số phản ánh", never the "sơ" of "hồ sơ TTHC" (both fold to "so")
        subject_count=_regex(r"\bs(?<!h[o0d]\x20s)o(?:\s+luong)?\s+(?:" + "|".join(
            f"(?P<{name}>{_alternation(spec.units[name], a, f'{where}: units')})" for name in fig.subject_units
            if name in spec.units) + r")\b", f"{where}: figures.subject_units", [], a),
        page_furniture=_any(fig.page_furniture or ["(?!)"], a, f"{where}: figures.page_furniture"),
        units=units,
        any_unit=re.compile("|".join(f"(?P<u{i}>{rx.pattern})" for i, (_, rx) in enumerate(units))),
        unit_of_group={f"u{i}": name for i, (name, _) in enumerate(units)},
    )


def _scope_fields(spec: LexiconSpec, a: dict[str, str], where: str) -> dict:
    sco = spec.scopes
    # searched through whole blocks: each starts with a look at the characters a match can begin with
    level = _named(sco.level, a, f"{where}: scopes.level", scanning=True)
    kinds = [(kind, level if kind == "level" else _any(getattr(sco, kind), a, f"{where}: scopes.{kind}", scanning=True))
             for kind in ("agency", "level", "field", "group", "unit", "period", "whole")]
    return dict(
        scope_kinds=kinds,
        level_mention=level,
        topic=_any(sco.topics, a, f"{where}: scopes.topics"),
        opener=_at(sco.openers, a, f"{where}: scopes.openers"),
        level_after=_regex(r"(?:" + _alternation(sco.level_after, a, f"{where}: scopes.level_after") + ")",
                           f"{where}: scopes.level_after", sco.level_after, a),
        name_filler=_any(sco.name_fillers, a, f"{where}: scopes.name_fillers"),
        aside_other_time=_at(sco.other_time_asides, a, f"{where}: scopes.other_time_asides"),
        other_time=_any(sco.other_times or ["(?!)"], a, f"{where}: scopes.other_times"),
        subset_sentence=_any(sco.subset_sentences or ["(?!)"], a, f"{where}: scopes.subset_sentences", scanning=True),
        subset_with_own=_any(sco.subset_with_own or ["(?!)"], a, f"{where}: scopes.subset_with_own"),
        unit_status=_regex(r"\s*\(?\s*(" + _alternation(sco.unit_status or ["(?!)"], a, f"{where}: scopes.unit_status") + r")\b",
                           f"{where}: scopes.unit_status", sco.unit_status or ["(?!)"], a),
        qualifier_lead=_regex(r"\s+(?:(?:" + _alternation(sco.qualifier_leads or ["(?!)"], a, f"{where}: scopes.qualifier_leads")
                              + r")\s+)?", f"{where}: scopes.qualifier_leads", sco.qualifier_leads, a),
        field_list=_any(sco.field_lists, a, f"{where}: scopes.field_lists"),
        field_announcement=_any(sco.field_announcements or ["(?!)"], a, f"{where}: scopes.field_announcements"),
        count_words=_at(sco.count_words or ["(?!)"], a, f"{where}: scopes.count_words"),
        period_opener=_at(sco.period_openers, a, f"{where}: scopes.period_openers"),
        sentence_period_opener=_at(sco.sentence_period_openers or ["(?!)"], a, f"{where}: scopes.sentence_period_openers"),
        numbered_period=_any(sco.numbered_periods or ["(?!)"], a, f"{where}: scopes.numbered_periods"),
        period_list_join=_any([rf"\b(?:{p})\s+" for p in sco.period_list_joins] or ["(?!)"], a,
                              f"{where}: scopes.period_list_joins", scanning=True),
        summary_opener=_at(sco.summary_openers or ["(?!)"], a, f"{where}: scopes.summary_openers"),
        own_period=_at(sco.own_periods or ["(?!)"], a, f"{where}: scopes.own_periods"),
        legend_period=_any(sco.legend_periods or ["(?!)"], a, f"{where}: scopes.legend_periods"),
        sentence_period=_at(sco.sentence_periods or ["(?!)"], a, f"{where}: scopes.sentence_periods"),
        stage_mention=_any(sco.stage_mentions or ["(?!)"], a, f"{where}: scopes.stage_mentions", scanning=True),
        discourse_opener=_at(sco.discourse_openers or ["(?!)"], a, f"{where}: scopes.discourse_openers"),
        country_whole=_at(sco.country_wholes or ["(?!)"], a, f"{where}: scopes.country_wholes"),
        subject_lead=_at(sco.subject_leads or ["(?!)"], a, f"{where}: scopes.subject_leads"),
        unit_lookalikes=frozenset(sco.unit_lookalikes),
        group_not_after=_any(sco.group_not_after or ["(?!)"], a, f"{where}: scopes.group_not_after"),
        subject=_written(sco.subjects, f"{where}: scopes.subjects"),
        unit_line=_compile(sco.unit_line, a, f"{where}: scopes.unit_line"),
        report_level={lvl: _any(ps, a, f"{where}: scopes.report_level") for lvl, ps in sco.report_level.items()},
    )


def _relation_fields(spec: LexiconSpec, a: dict[str, str], where: str) -> dict:
    rel = spec.relations
    return dict(
        breakdown=_any(rel.breakdown_markers, a, f"{where}: relations.breakdown_markers"),
        list_stop=_any(rel.list_stops, a, f"{where}: relations.list_stops"),
        respectively=_any(rel.respectively or ["(?!)"], a, f"{where}: relations.respectively"),
        complete_marker=_any(rel.complete_markers, a, f"{where}: relations.complete_markers"),
        total_words=_at(rel.total_words, a, f"{where}: relations.total_words"),
        total_word_end=_regex(r"(?:" + _alternation(rel.total_words, a, f"{where}: relations.total_words") + r")\W*$",
                              f"{where}: relations.total_words", rel.total_words, a),
        not_parts=_any(rel.not_parts, a, f"{where}: relations.not_parts"),
        stated_sum=_any(rel.stated_sum, a, f"{where}: relations.stated_sum"),
        list_gap=_any(rel.list_gap, a, f"{where}: relations.list_gap"),
        item_join=_any([rf"\s*[,;]?\s*(?:\b(?:{p})\b)?\s*" for p in rel.item_joins] or ["(?!)"], a,
                       f"{where}: relations.item_joins"),
        aside_note=_any(rel.aside_note_words, a, f"{where}: relations.aside_note_words"),
        share_link=_any(rel.share_link, a, f"{where}: relations.share_link"),
        attained=_any(rel.attained or ["(?!)"], a, f"{where}: relations.attained"),
        attaining_units=frozenset(rel.attaining_units),
        overlapping_units=frozenset(rel.overlapping_units),
        overlapping_traits=_any(rel.overlapping_traits or ["(?!)"], a, f"{where}: relations.overlapping_traits"),
        target_after=_at(rel.target_after or ["(?!)"], a, f"{where}: relations.target_after"),
        deducted_before=_any(rel.deducted_before or ["(?!)"], a, f"{where}: relations.deducted_before"),
        rate_includes={k: tuple(v) for k, v in rel.rate_includes.items()},
        nested_includes=rel.nested_includes,
        wholes_of_parts={k: frozenset(v) for k, v in rel.wholes_of_parts.items()},
        label_join=_any(rel.label_joins or ["(?!)"], a, f"{where}: relations.label_joins"),
        share_after=_at(rel.share_after, a, f"{where}: relations.share_after"),
        of_total=_any(rel.of_total, a, f"{where}: relations.of_total"),
        base_after=_at(rel.base_after, a, f"{where}: relations.base_after"),
        whole_base=_at(rel.whole_base, a, f"{where}: relations.whole_base"),
        comparison_before=_any(rel.comparison_before, a, f"{where}: relations.comparison_before"),
        compared_with=_regex(r"\b(?:" + _alternation(rel.compared_with, a, f"{where}: relations.compared_with")
                             + r") ([^,;.()\d]{2,40}?(?:\d{1,4}(?:/\d{4})?)?)\s*$",
                             f"{where}: relations.compared_with", rel.compared_with, a),
        comparison_after=_at(rel.comparison_after, a, f"{where}: relations.comparison_after"),
        share_before=_any(rel.share_before, a, f"{where}: relations.share_before"),
        zero_statement=_any(rel.zero_statements, a, f"{where}: relations.zero_statements"),
        whole_before_part=_any(rel.whole_before_part, a, f"{where}: relations.whole_before_part"),
        whole_before_part_ends=tuple(rel.whole_before_part_ends),
        parts_follow=_any(rel.parts_follow or ["(?!)"], a, f"{where}: relations.parts_follow"),
        breakdown_lead=_any(rel.breakdown_leads or ["(?!)"], a, f"{where}: relations.breakdown_leads"),
        base_before=_any(rel.bases_before or ["(?!)"], a, f"{where}: relations.bases_before"),
        named_total_gap=_any(rel.named_total_gap, a, f"{where}: relations.named_total_gap"),
        change_up=_any(rel.change_up, a, f"{where}: relations.change_up", scanning=True),
        change_down=_any(rel.change_down, a, f"{where}: relations.change_down", scanning=True),
        rank_steps=_any(rel.rank_steps, a, f"{where}: relations.rank_steps"),
        reason_after=_at(rel.reason_after or ["(?!)"], a, f"{where}: relations.reason_after"),
        label_filler=_regex(r"\s*(?:(?:" + _alternation(rel.label_fillers, a, f"{where}: relations.label_fillers") + r")\s+)?",
                            f"{where}: relations.label_fillers", rel.label_fillers, a),
    )


def _other_fields(spec: LexiconSpec, a: dict[str, str], where: str) -> dict:
    tab = spec.tables
    return dict(
        name_with_va=_any(spec.names_with_va, a, f"{where}: names_with_va", scanning=True),
        countable=_regex(r"\s*(?:" + _alternation(spec.countables, a, f"{where}: countables") + r")\b",
                         f"{where}: countables", spec.countables, a),
        caption_unit=_any(tab.caption_unit, a, f"{where}: tables.caption_unit"),
        index_heading=_any(tab.index_headings, a, f"{where}: tables.index_headings"),
        rank_heading=_any(tab.rank_headings, a, f"{where}: tables.rank_headings"),
        notes_heading=_any(tab.notes_headings, a, f"{where}: tables.notes_headings"),
        procedure_heading=_any(tab.procedure_headings or ["(?!)"], a, f"{where}: tables.procedure_headings"),
        other_count_heading=_any(tab.other_count_headings or ["(?!)"], a, f"{where}: tables.other_count_headings"),
        provincial_row=_any(tab.provincial_rows or ["(?!)"], a, f"{where}: tables.provincial_rows"),
        period_heading=_any(tab.period_headings or ["(?!)"], a, f"{where}: tables.period_headings"),
        stock_keys=frozenset(tab.stock_keys),
        all_dossier_words=_any(tab.all_dossier_words or ["(?!)"], a, f"{where}: tables.all_dossier_words"),
        attachment_line=_at(tab.attachment_lines or ["(?!)"], a, f"{where}: tables.attachment_lines"),
        selection_caption=_any(tab.selection_captions or ["(?!)"], a, f"{where}: tables.selection_captions"),
        heading_abbreviations=dict(tab.heading_abbreviations),
        heading_abbreviation=re.compile(r"\b(?:" + "|".join(map(re.escape, tab.heading_abbreviations)) + r")\b"
                                        if tab.heading_abbreviations else "(?!)"),
        caption_title=_any(tab.caption_titles or ["(?!)"], a, f"{where}: tables.caption_titles"),
        delta_heading=_any(tab.change_headings, a, f"{where}: tables.change_headings"),
        whole_heading=_regex(r"(?:" + _alternation(tab.whole_headings, a, f"{where}: tables.whole_headings") + r") ",
                             f"{where}: tables.whole_headings", tab.whole_headings, a),
        percent_heading=_any(tab.percent_headings, a, f"{where}: tables.percent_headings"),
        points_heading=_any(tab.points_headings, a, f"{where}: tables.points_headings"),
        total_row=_regex(r"^\W*(?:" + _alternation(tab.total_rows, a, f"{where}: tables.total_rows") + r")\b",
                         f"{where}: tables.total_rows", tab.total_rows, a),
        not_part_row=_regex(r"^\W*(?:" + _alternation(tab.not_part_rows, a, f"{where}: tables.not_part_rows") + r")\b",
                            f"{where}: tables.not_part_rows", tab.not_part_rows, a),
        ratio_heading=_any(tab.ratio_headings, a, f"{where}: tables.ratio_headings"),
        plan_heading=_any(tab.plan_headings, a, f"{where}: tables.plan_headings"),
        average_heading=_any(tab.average_headings, a, f"{where}: tables.average_headings"),
        dossier_word=_any([r"\b{HS}\b"], a, f"{where}: aliases.HS"),
        not_dossier_table=_any(tab.not_dossiers, a, f"{where}: tables.not_dossiers"),
        issuer=_compile(spec.issuer, a, f"{where}: issuer"),
        rank=_any(spec.ranks, a, f"{where}: ranks"),
        date_long=_compile(spec.dates.long, a, f"{where}: dates.long"),
        date_short=_compile(spec.dates.short, a, f"{where}: dates.short"),
        date_partial=_compile(spec.dates.partial, a, f"{where}: dates.partial", scanning=True),
        period_named=_compile(spec.dates.period_named, a, f"{where}: dates.period_named"),
        period=_compile(spec.dates.period, a, f"{where}: dates.period", scanning=True),
        reference=_compile(spec.dates.reference, a, f"{where}: dates.reference"),
        parent_unit=_compile(spec.across.parent, a, f"{where}: across.parent"),
        commune_count=_compile(spec.across.commune_count, a, f"{where}: across.commune_count"),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    path = grammar_path("lexicon.yaml")
    return built("lexicon", [path], lambda: load_lexicon(path))


def ancestors(parents: dict[str, str | None], key: str) -> list[str]:
    """The wholes a key is part of, nearest first ("received.online" -> received.new, received)."""
    out: list[str] = []
    while (key := parents.get(key)) is not None and key not in out:
        out.append(key)
    return out
