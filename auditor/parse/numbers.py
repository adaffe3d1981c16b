"""Finding and reading numbers in Vietnamese report text, with their spans.

Vietnamese style groups thousands with "." and marks decimals with ","
("2.498" = 2498, "98,70%" = 98.70); some reports use English style ("3,278", "98.87%").
A separator followed by exactly three digits is ambiguous; it is read as a thousands
group for counts and by the document's decimal mark for percentages and amounts.
"""
from __future__ import annotations

import re
from bisect import bisect_right, insort
from decimal import Decimal
from typing import NamedTuple

# A percentage whose digits OCR split with spaces: "99 ,96%", "0. 04%", and "99 04 A" (% read as A).
_PCT_SPACED = re.compile(r"(?=\d)(?<![\d.,])(\d{1,3}) ?([.,]) ?(\d{1,3}) ?%")
_PCT_OCR_A = re.compile(r"(?=\d)(?<![\d.,])(\d{1,3}) (\d{2}) ?A\b")
# A number not glued to a word ("S6" is OCR for "Số"), but a glued currency sign is allowed ("5.158.000đ").
# a figure ends at a letter's edge, and a footnote mark ("12.032¹ hồ sơ") is no letter
_NUMBER = re.compile(r"(?=\d)(?<![^\W\d_])(?<![\d.,])\d+(?:[.,]\d+)*(?!\d)(?:(?![^\W\d_\u00b9\u00b2\u00b3\u2070-\u2079])|(?=[đd]\b))")
_PCT_AFTER = re.compile(r"\s?%")
# thousands set apart by a space ("2 130", "12 345,5"), as some offices and some converters write them
_SPACED_THOUSANDS = re.compile(r"(?=\d)(?<![^\W\d_])(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)(?![ \u00a0\u202f]\d)")
_MARK_GROUPED = re.compile(r"(?=\d)(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d]|[.,]\d)")
_SPACES = re.compile(r"[ \u00a0\u202f]")
# both marks in one number: thousands groups of three, then one decimal part ("1.005,8", "1,005.8")
_WELL_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:,\d{3})+\.\d+")
_SEPARATOR = re.compile(r"[.,]")
_NON_DIGIT = re.compile(r"\D")


class RawNumber(NamedTuple):  # a tuple: a long report has a hundred thousand of them
    start: int
    end: int
    raw: str
    percent: bool
    rejoined: bool = False  # OCR put a space inside its digits ("7. 846", "136, 350"): read joined


# A figure whose thousands group OCR split with a space or a line break ("7. 846", "9 .604", "136, 350",
# "4⏎.361", "4.⏎449"): one to three
# digits, a separator with a space on one side, exactly three digits; not one of a run of figures
# ("1, 2, 3") and not a percentage (those are read above).
# ... and one whose decimals it set apart ("44 ,46", "tăng 3 ,55"): a space before the mark, none after
_SPLIT_DECIMAL = re.compile(r"(?=\d)(?<![\d.,])(?<!\d[.,] )(\d{1,3}) ([.,])(\d{1,2})(?![\d.,%])(?! ?%)")
# ("1 .298 .845": OCR may split every group of a many-group figure, not only the first)
_SPLIT_THOUSANDS = re.compile(r"(?=\d)(?<!\d[.,] )(?<![\d.,])(\d{1,3}(?:[.,]\d{3})*)( [.,] ?| ?[.,] |\n[.,]|[.,]\n)(\d{3}(?: ?[.,] ?\d{3})*)(?![\d%])(?! ?[.,] ?\d)(?! ?%)")


# OCR's letters for digits inside a figure ("1.O20", "2.0l6", "88,9l%", "trực tiếp 1l hồ sơ"): read as the
# digits they stand for when the result is a well-formed figure; the reading is unsure (rejoined)
_OCR_LETTERED = re.compile(r"(?=[\dOl])(?<![^\W_])(?<![.,])(?=[\dOl]*\d)(?=[\d.,]*[Ol])[\dOl][\dOl.,]*(?<![.,])(?![^\W_])")
_OCR_DIGITS = str.maketrans("Ol", "01")
_WELL_FORMED = re.compile(r"\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?")


def decimal_mark_of(text: str) -> str:
    """The document's decimal mark, from the shapes that are not ambiguous."""
    comma = dot = 0
    for m in _NUMBER.finditer(text):
        raw = m.group()
        if raw.count("/"):
            continue
        seps = _SEPARATOR.findall(raw)
        if not seps:
            continue
        groups = _SEPARATOR.split(raw)
        if len(set(seps)) == 2:  # "1.005,8": the last separator is the decimal mark
            comma += seps[-1] == ","
            dot += seps[-1] == "."
        elif len(seps) >= 2:  # "5.158.000": repeated separator groups thousands
            if all(len(g) == 3 for g in groups[1:]):
                comma += seps[0] == "."
                dot += seps[0] == ","
        elif len(groups[1]) != 3 and not _looks_like_date_part(text, m.start(), m.end()):
            comma += seps[0] == ","
            dot += seps[0] == "."
    return "." if dot > comma else ","


def _looks_like_date_part(text: str, start: int, end: int) -> bool:
    return text[end:end + 1] == "/" or text[start - 1:start] == "/"


def parse_number(raw: str, decimal_mark: str, *, prefer_decimal: bool) -> tuple[Decimal, int]:
    """Value and count of decimals written. `prefer_decimal` decides a lone 3-digit group."""
    if raw.isdigit():
        return Decimal(raw), 0
    s = raw.replace(" ", "")
    seps = _SEPARATOR.findall(s)
    if not seps:
        return Decimal(s), 0
    if len(set(seps)) == 2 and not _WELL_GROUPED.fullmatch(s):
        # "1.2,3.4" (section numbers run together): no reading is a number; keep the digits
        return Decimal(_NON_DIGIT.sub("", s)), 0
    if len(set(seps)) == 2:
        dec = seps[-1]
        thou = "," if dec == "." else "."
        intpart, frac = s.rsplit(dec, 1)
        return Decimal(intpart.replace(thou, "") + "." + frac), len(frac)
    sep = seps[0]
    groups = s.split(sep)
    if len(groups) > 2:
        if all(len(g) == 3 for g in groups[1:]):
            return Decimal("".join(groups)), 0
        # malformed grouping ("1.2.3"): keep the digits, say no decimals
        return Decimal("".join(groups)), 0
    intpart, frac = groups
    if len(frac) == 3 and not (prefer_decimal and sep == decimal_mark):
        return Decimal(intpart + frac), 0
    return Decimal(intpart + "." + frac), len(frac)


def _pct_end(text: str, b: int) -> int | None:
    """Where the percent sign right after a figure ends ("98,70%", "98,70 %"); None with none."""
    pm = _PCT_AFTER.match(text, b) if "%" in text[b:b + 2] else None
    return pm.end() if pm else None


def _spaced_thousands(text: str, found: list[re.Match]) -> bool:
    """Whether the document groups thousands with spaces (`found`: its figures written so): two or more,
    and none grouped with a dot or a comma. Only then is "2 130" one figure; in a text that groups with
    dots, "14 998" may be OCR's "là 998", two words."""
    return len(found) >= 2 and _MARK_GROUPED.search(text) is None


_CELL_EDGE_BEFORE = re.compile(r"(?:^|(?<=\n)|[|\t])[ ]*$")
_CELL_EDGE_AFTER = re.compile(r"[ ]*(?:$|[|\t])")


def _whole_cell(text: str, a: int, b: int) -> bool:
    """A figure that is all of a pipe or tab cell ("| 6 425 |"): its spaces can only group thousands."""
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    line_end = len(text) if line_end < 0 else line_end
    return _CELL_EDGE_BEFORE.search(text, line_start, a) is not None and _CELL_EDGE_AFTER.match(text, b, line_end) is not None \
        and ("|" in text[line_start:line_end] or "\t" in text[line_start:line_end])


def scan(text: str) -> list[RawNumber]:
    r"""Every number-like run in the text, in order, percentages marked; spans are half-open. (Each
    pattern opens with "(?=\d)": the engine then skips to the next digit instead of trying its
    look-behinds at every character.)"""
    found: list[RawNumber] = []
    taken: list[tuple[int, int]] = []  # spans already read, sorted and disjoint

    def free(a: int, b: int) -> bool:
        i = bisect_right(taken, (a, b))
        return (i == 0 or taken[i - 1][1] <= a) and (i == len(taken) or b <= taken[i][0])

    for rx in (_PCT_SPACED, _PCT_OCR_A):
        for m in rx.finditer(text):
            raw = m.group()
            if rx is _PCT_SPACED and " " not in raw:
                continue  # ordinary "98,70%" is read below
            a, b = m.start(), m.end()
            if free(a, b):
                digits = f"{m.group(1)},{m.group(3)}" if rx is _PCT_SPACED else f"{m.group(1)},{m.group(2)}"
                sep = m.group(2) if rx is _PCT_SPACED else ","
                digits = digits.replace(",", sep) if rx is _PCT_SPACED else digits
                found.append(RawNumber(a, b, digits, True))
                insort(taken, (a, b))
    grouped = list(_SPACED_THOUSANDS.finditer(text))
    spaced = _spaced_thousands(text, grouped)
    for m in grouped:
        a, b = m.span()
        if (spaced or _whole_cell(text, a, b)) and free(a, b):
            end = _pct_end(text, b)
            found.append(RawNumber(a, end or b, _SPACES.sub("", m.group()), end is not None))
            insort(taken, (a, end or b))
    for m in _SPLIT_DECIMAL.finditer(text):
        a, b = m.span()
        if free(a, b):
            found.append(RawNumber(a, b, m.group(1) + m.group(2) + m.group(3), False, True))
            insort(taken, (a, b))
    for m in _SPLIT_THOUSANDS.finditer(text):
        a, b = m.span()
        if free(a, b):
            found.append(RawNumber(a, b, m.group(1) + m.group(2).strip() + m.group(3).replace(" ", ""), False, True))
            insort(taken, (a, b))
    for m in _OCR_LETTERED.finditer(text):
        a, b = m.span()
        digits = m.group().translate(_OCR_DIGITS)
        if free(a, b) and _WELL_FORMED.fullmatch(digits):
            end = _pct_end(text, b)
            found.append(RawNumber(a, end or b, digits, end is not None, True))
            insort(taken, (a, end or b))
    for m in _NUMBER.finditer(text):
        a, b = m.span()
        if taken and not free(a, b):
            continue
        end = _pct_end(text, b)
        found.append(RawNumber(a, end or b, m.group(), end is not None))
    found.sort()  # by start: spans are disjoint
    return found
