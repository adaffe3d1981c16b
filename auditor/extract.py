"""From decoded text to a Report: every figure with its span, its key and its scope.

Structure comes from the Lark grammar (auditor/parse.py); meaning from the lexicon
(grammars/lexicon.yaml) matched on the folded, length-preserving text, so every offset found
in the folded text is an offset in the source.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from .facts import (Breakdown, Clause, DateMention, Fact, Fraction, Header, ListClaim, PercentClaim, Quantity, RankClaim,
                    Reference, Report)
from .lexicon import Label, Lexicon, default_lexicon
from .normalize import fold
from .numbers import decimal_mark_of, parse_number, scan
from .parse import Block, parse_blocks
from .tables import read_table

_CLAUSE_END = re.compile(r"[;,()\[\]]|\.(?=\s)|\n\s*\n")
_SENTENCE_END = re.compile(r"\.(?=\s+\S)|;|\n\s*\n")
_FULL_STOP = re.compile(r"\.(?=\s+\S)|\n\s*\n")
_RANK_NUMBERS = re.compile(r"\s*(\d{1,3})\s*/\s*(\d{1,3})\b")
_FULL_STOP_SPACE = re.compile(r"\.(?=\s)")
_LIST_OPENER = re.compile(r"[^():;.,]{0,80}?([(:])")
_LIST_END = re.compile(r"\.(?=\s)|;|\n\s*\n")
_HEADER_LINES = 14
_WORD = re.compile(r"[a-z]+")
_SHAPE_WORD = re.compile(r"[a-z#]+")
_CLAUSE_SEPARATOR = re.compile(r"[,;:]|\.(?=\s)|$")
# a field's name ends at a figure, a colon or a full stop; a digit inside a word is OCR's ("ch6ng")
_NAME_END = re.compile(r"(?<![a-z])\d|\d(?![a-z])|[:;()]|\.\s| la\b")
_NAME_THEN_COLON = re.compile(r"(?:[^\d:;.()]|(?<=[a-z])\d(?=[a-z])){3,80}:")
_PARENTHESISED = re.compile(r"\(.*?\)")
# the kinds this module names prose scopes by ("lĩnh vực Hộ tịch", folded), not words of a report
_FIELD_OPENER = re.compile(r"^(?:linh vuc|lien thong|nhom)\s+")
# how far back a sentence's context and how far forward a list may reach: a clerk's sentence is a few
# hundred characters; bounding the reach keeps time linear on text without full stops (OCR output
# often loses them, and a whole report can arrive as one line)
_REACH = 2000
_SENTENCE_LABELS = 600  # how far back the words naming a bare percentage are read
_SAME_SCOPE = 0.6  # Jaccard similarity of words at which a table row's label names a prose scope
# figures are sums of counts and amounts in đồng: 24 characters ("999.999.999.999.999.999,99") is far
# beyond any of them and well inside the 28 digits decimal arithmetic keeps exact
_LONGEST_FIGURE = 24
_LEVEL_RANK = {"commune": 0, "district": 1, "province": 2}
_LEVEL_NAME = {"commune": "cấp xã", "district": "cấp huyện", "province": "cấp tỉnh"}


def _int(s: str) -> int | None:
    try:
        return int(s)
    except (TypeError, ValueError):
        return None


def _date(day: str | None, month: str | None, year: str | None, start: int, end: int, raw: str) -> DateMention:
    return DateMention(_int(day), _int(month), _int(year), start, end, raw)


# "12/" with no digit after is a document number; so is "5/12/" ("05/2024/NĐ-CP")
_SLASH_DIGIT = re.compile(r"/\s*\d")
_DOCREF_SLASHES = re.compile(r"/\s*\d{1,5}\s*/")
_FRACTION_SLASH = re.compile(r"\s?/\s?")
_HEADING_WITH_FIGURES = re.compile(r":\s*\d|\d\s*(?:ho so|hs\b|%)")


def _inside(dates: list[DateMention], pos: int) -> bool:
    """Whether `pos` falls inside one of `dates` (in text order, not overlapping)."""
    i = bisect_right(dates, pos, key=lambda d: d.start)
    return bool(i) and pos < dates[i - 1].end


@dataclass
class _ScopeWords:
    scopes: list[tuple[str, set[str]]] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=dict)
    seen: int = 0  # scopes of the report looked at so far


def clause_start(seg: str) -> int | None:
    """Where the last clause of `seg` begins: after its last ";" or "." + white space, and the
    white space after that; None when there is no such mark. Read from the end, not scanned from
    the start: every figure asks, with up to _REACH characters before it."""
    semi = seg.rfind(";")
    dot = seg.rfind(".")
    while dot >= 0 and not seg[dot + 1:dot + 2].isspace():
        dot = seg.rfind(".", 0, dot)
    cut = max(semi, dot)
    if cut < 0:
        return None
    j = cut + 1
    while j < len(seg) and seg[j].isspace():
        j += 1
    return j


class _Extractor:
    def __init__(self, path: str, text: str, encoding: str, lex: Lexicon):
        self.path, self.text, self.lex = path, text, lex
        self.folded = fold(text)
        self.mark = decimal_mark_of(text)
        self.report = Report(path, text, encoding, self.mark, Header())
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.ambiguous: list[str] = []
        self.fact_of: dict[int, Fact] = {}  # id(quantity) -> the fact it states
        self._countable = re.compile(r"\s*(?:" + lex.countable.pattern + r")\b")
        self._marker = re.compile(r"\b(?:" + lex.breakdown.pattern + r")\b\s*(?:co\s+)?:?")
        self._marker_then_colon = re.compile(r"(?:" + lex.breakdown.pattern + r")\s*:\s*$")  # a block ending "trong đó:"
        # a field's name has no figure in it, but OCR puts digits inside words ("Phòng ch6ng tệ nạn")
        self._field_clause = re.compile(r"(?:^\s*|[:(,]\s*)(?:" + lex.field_opener.pattern
                                        + r")\s+((?:[^:;\d()]|(?<=[a-z])\d(?=[a-z])){2,60}?)\s*:\s")
        self.fraction_of: dict[int, Fraction] = {}  # id(denominator) -> its fraction
        self._listed: set[int] = set()  # id(first quantity) of every part of a breakdown read so far
        self._scope_words: dict[bool, _ScopeWords] = {}
        # keys that are the whole of some other key: a label naming one of them after "a/b" names b
        self.totals = {lab.base for lab in lex.labels if lab.base} | {lab.parent for lab in lex.labels if lab.parent}

    def _add_fact(self, fact: Fact) -> None:
        self.report.facts.append(fact)
        self.fact_of[id(fact.q)] = fact

    def _add_breakdown(self, bd: Breakdown) -> None:
        self.report.breakdowns.append(bd)
        self._listed.update(id(p[0]) for p in bd.parts)

    def _add_fraction(self, fr: Fraction) -> None:
        self.report.fractions.append(fr)
        self.fraction_of[id(fr.denominator)] = fr

    # ---------------------------------------------------------------- numbers and their roles
    def read_numbers(self) -> list[Quantity]:
        qs: list[Quantity] = []
        f = self.folded
        unit_at, unit_of = self.lex.any_unit.match, self.lex.unit_of_group
        for r in scan(self.text):
            um = unit_at(f, r.end)
            unit = unit_of[um.lastgroup] if um else None
            value, decimals = parse_number(r.raw, self.mark, prefer_decimal=r.percent or unit == "money")
            q = Quantity(value, decimals, r.raw, r.start, r.end, r.percent)
            if not r.percent:
                q.unit = unit
            qs.append(q)
        self.starts = [q.start for q in qs]
        self.qs = qs
        # dates first: their digits are never quantities
        for m in self.lex.date_long.finditer(f):
            self._mark(m.start(), m.end(), "date")
            self.report.dates.append(_date(m.group(1), m.group(2), m.group(3), m.start(), m.end(), self.text[m.start():m.end()]))
        long_dates = list(self.report.dates)  # in text order, not overlapping
        for m in self.lex.date_short.finditer(f):
            if _inside(long_dates, m.start()):
                continue
            self._mark(m.start(), m.end(), "date")
            self.report.dates.append(_date(m.group(1), m.group(2), m.group(3), m.start(), m.end(), self.text[m.start():m.end()]))
        self.report.dates.sort(key=lambda d: d.start)
        for m in self.lex.reference.finditer(f):
            self._mark(m.start("num"), m.end("num"), "docref")
            self.report.references.append(self._reference(m))
        for m in self.lex.rank.finditer(f):
            mm = _RANK_NUMBERS.match(f, m.end())
            if mm:
                r, o = self._at(mm.start(1)), self._at(mm.start(2))
                if r and o:
                    r.role = o.role = "rank"
                    self.report.ranks.append(RankClaim(r, o, m.start(), mm.end()))
        for rx in self.lex.ocr_noise:
            for m in rx.finditer(f):
                q = self._at(m.start(1))
                if q and not q.percent:
                    q.role = "noise"
        # one pass over the text: where the words before a figure say it is not a quantity
        not_quantity_at = {m.end() for m in self.lex.not_quantity_before.finditer(f)}
        text = self.text
        for i, q in enumerate(qs):
            if q.role != "quantity":
                continue
            if len(q.raw) > _LONGEST_FIGURE:
                q.role = "other"  # an identifier or OCR debris, never a count: and beyond exact decimal sums
                continue
            slash_after = text[q.end:q.end + 1] == "/"
            if (slash_after and ((not q.percent and not _SLASH_DIGIT.match(text, q.end, q.end + 3))
                                or _DOCREF_SLASHES.match(text, q.end, q.end + 12))) \
                    or (text[q.start - 1:q.start] == "/" and i and qs[i - 1].role in ("docref", "date")):
                q.role = "docref"
            elif not q.percent and q.start in not_quantity_at:
                q.role = "other"
        # fractions "a/b": two quantities joined by a slash
        for a, b in zip(qs, qs[1:]):
            if b.start - a.end > 3 or a.role != "quantity" or b.role != "quantity":
                continue
            gap = text[a.end:b.start]
            if a.value <= 12 and 1990 <= b.value <= 2100 and a.decimals == b.decimals == 0 and gap == "/":
                a.role = b.role = "date"  # "tháng 7/2024"
                continue
            if not a.percent and _FRACTION_SLASH.fullmatch(gap):
                a.role, b.role = "numerator", "denominator"
                if b.unit is None:
                    a.unit = None
                else:
                    a.unit = b.unit
        self.report.quantities = qs
        return qs

    def _at(self, pos: int) -> Quantity | None:
        i = bisect_left(self.starts, pos)
        if i < len(self.qs) and self.qs[i].start == pos:
            return self.qs[i]
        return None

    def _mark(self, start: int, end: int, role: str) -> None:
        i = bisect_left(self.starts, start)
        while i < len(self.qs) and self.qs[i].start < end:
            self.qs[i].role = role
            i += 1

    def _reference(self, m: re.Match) -> Reference:
        f = self.folded
        tail = f[m.end():m.end() + 60]
        dm = re.match(r"\s*,?\s*ng[a-z]{1,2}y\s*", tail)
        date = None
        if dm:
            pos = m.end() + dm.end()
            date = next((d for d in self.report.dates if d.start == pos or (pos <= d.start < pos + 3)), None)
        if date is None:
            head = f[max(0, m.start() - 80):m.start()]
            bm = list(re.finditer(r"ng[a-z]{1,2}y\s*", head))
            if bm and not re.search(r"[.;]\s|\n\s*\n", head[bm[-1].start():]):
                pos = max(0, m.start() - 80) + bm[-1].end()
                date = next((d for d in self.report.dates if pos <= d.start < pos + 3), None)
        issuer = None
        after = f[(date.end if date else m.end()):(date.end if date else m.end()) + 70]
        im = self.lex.issuer.match(after)
        if im:
            issuer = im.group(1)
        return Reference(m.group("type"), int(m.group("num")), re.sub(r"\s+", "", m.group("suffix")),
                         date, issuer, m.start(), m.end())

    # ---------------------------------------------------------------- header
    def read_header(self) -> None:
        h = self.report.header
        f = self.folded
        head_end = self.line_starts[min(_HEADER_LINES, len(self.line_starts) - 1)]
        head = f[:head_end]
        lines = [ln for ln in head.split("\n") if ln.strip()]
        for ln in lines[:8]:
            for lvl, rx in self.lex.report_level.items():
                if rx.search(ln.strip("* ")):
                    h.level = h.level or lvl
        # issuer: the line under "ỦY BAN NHÂN DÂN" naming the unit
        for i, ln in enumerate(self.text[:head_end].split("\n")[:8]):
            fl = fold(ln).strip("* ")
            m = self.lex.unit_line.match(fl)
            if m and not fl.startswith(("uy ban", "ubnd", "cong hoa")):
                raw = ln.strip("* ")[m.start(1):m.end(1)]
                h.issuer = "UBND " + raw.strip().title()
                break
        m = re.search(r"(\d{1,5})\s?/\s?([A-ZĐ][A-ZĐa-z]*(?:\s?-\s?[A-ZĐ][A-ZĐa-z\-]*)+)", self.text[:head_end])
        if m:
            h.number = re.sub(r"\s+", "", m.group(0))
            h.number_span = (m.start(), m.end())
            self._mark(m.start(), m.end(), "docref")
        dates = [d for d in self.report.dates if d.start < head_end and "ng" in f[d.start:d.start + 3]]
        if dates:
            h.date = dates[0]
            if h.number and h.number_span:
                num, _, suffix = h.number.partition("/")
                kinds = {"bc": "bao cao", "kh": "ke hoach", "qd": "quyet dinh", "tb": "thong bao", "tt": "to trinh"}
                doc_type = kinds.get(fold(suffix)[:2], "cong van")
                self.report.references.append(Reference(doc_type, int(num), fold(suffix), h.date, None,
                                                        h.number_span[0], h.number_span[1]))
            line_start = f.rfind("\n", 0, h.date.start) + 1
            if h.number_span and line_start <= h.number_span[1] <= h.date.start:
                line_start = h.number_span[1]  # "Số: 195/BC-UBND   Đại Sơn, ngày …" on one line
            pm = re.search(r"([^\s,][^,\n]*?)\s*,\s*$", self.text[line_start:h.date.start])
            if pm:
                place = re.sub(r".*\s{2,}", "", pm.group(1)).strip()
                caps = re.search(r"(?:[A-ZĐÀ-Ỹ][^\s,]*\s*){1,4}$", place)
                h.place = (caps.group(0).strip() if caps else place[-40:]) or None
        for m in self.lex.period.finditer(f):
            a = self._date_in(m.start("a"), m.end("a"))
            b = self._date_in(m.start("b"), m.end("b"))
            if a and b:
                h.period_start, h.period_end = a, b
                h.period_text = self.text[m.start():m.end()]
                break
        if not h.period_text:
            after = h.date.end if h.date else 0
            qm = self.lex.period_named.search(f, after, head_end + 2000)
            if qm:
                h.period_text = self.text[qm.start():qm.end()]

    def periods(self) -> list[tuple[DateMention, DateMention, int, int]]:
        out = []
        for m in self.lex.period.finditer(self.folded):
            a = self._date_in(m.start("a"), m.end("a"))
            b = self._date_in(m.start("b"), m.end("b"))
            if a and b:
                out.append((a, b, m.start(), m.end()))
        return out

    def _date_in(self, start: int, end: int) -> DateMention | None:
        for d in self.report.dates:
            if start <= d.start < end:
                return d
        return None

    # ---------------------------------------------------------------- blocks, scopes and facts
    def read_blocks(self, blocks: list[Block]) -> None:
        report_rank = _LEVEL_RANK.get(self.report.header.level or "", 0)
        level, field = "", ""
        self.blocks = blocks
        for bi, b in enumerate(blocks):
            if b.kind == "table":
                self._read_table(bi, blocks)
                continue
            opening = self.folded[b.start:min(b.end, b.start + 70)]
            if b.kind == "heading":
                level, field = "", ""
                for lvl, rx in self.lex.levels.items():
                    if rx.search(opening) and _LEVEL_RANK[lvl] < report_rank:
                        level = lvl
                        break
                # "1. Tổng số hồ sơ tiếp nhận: 120 hồ sơ" is a numbered item that states figures,
                # not a title: read it like a paragraph
                if not _HEADING_WITH_FIGURES.search(self.folded[b.start:b.end]):
                    continue
            stripped = re.sub(r"^[\W_]+", "", opening)
            if b.kind == "bullet" and re.match(r"\s*[-–—]", opening):
                field = ""
            for lvl, rx in self.lex.levels.items():
                m = rx.search(opening)
                if m and _LEVEL_RANK[lvl] < report_rank:
                    level = lvl
                    break
                if m and _LEVEL_RANK[lvl] >= report_rank:
                    level = ""
                    break
            lead = len(opening) - len(stripped)  # bullet marks and spaces before the words
            wide = self.folded[b.start + lead:min(b.end, b.start + lead + 160)]
            om = self.lex.field_opener.match(wide) or self.lex.group_opener.match(wide)
            if not om and field and b.kind == "bullet" and _NAME_THEN_COLON.match(wide):
                om = re.match(r"", wide)
            if om:
                name = _NAME_END.split(wide[om.end():], maxsplit=1)[0].rstrip(" .,")
                kind = "lĩnh vực" if self.lex.field_opener.match(wide) else ("liên thông" if self.lex.group_opener.match(wide) else "nhóm")
                name_start = b.start + lead + om.end()
                raw_name = self.text[name_start:name_start + len(name)]
                field = f"{kind} {' '.join(raw_name.split())}".strip()
            scope = f"{level}|{field}"
            if scope not in self.report.scopes:
                parts = [_LEVEL_NAME[level]] if level else ["đơn vị báo cáo"]
                if field:
                    parts.append(field)
                self.report.scopes[scope] = " – ".join(parts)
            self._read_block(bi, b, scope, opener=bool(om))
            self._zero_statements(bi, b, scope)
            # a field inherited from an earlier block is a guess: compare clauses by the level only
            self._clauses(bi, b, scope if om else f"{level}|")
            tail = self.folded[max(b.start, b.end - 30):b.end]
            if self._marker_then_colon.search(tail):
                last = [q for q in self.qs[bisect_left(self.starts, b.start):bisect_left(self.starts, b.end)]
                        if q.role in ("quantity", "numerator")]
                if last:
                    field = f"{field} trong đó {last[-1].raw}".strip()

    def _read_block(self, bi: int, b: Block, scope: str, opener: bool) -> None:
        i = bisect_left(self.starts, b.start)
        recent: list[str] = []
        first_quantity = True
        consumed = b.start  # text up to here already labelled the figure before it
        last_keyed_fraction: str | None = None
        sentence_of_key = -1
        while i < len(self.qs) and self.qs[i].start < b.end:
            q = self.qs[i]
            prev_end = self.qs[i - 1].end if i else b.start
            prev_end = max(prev_end, b.start)
            scope = self._clause_level(prev_end, q.start, scope)
            here = self._clause_field(b.start, q.start, scope)
            if q.percent and q.role == "quantity":
                self._percent(bi, b, here, i, recent)
            elif q.role in ("quantity", "numerator") and q.unit in (None, "dossiers"):
                label = self._label_before(max(prev_end, consumed), q.start, recent)
                rate = self._rate_before(b.start, q) if label is None and q.role == "numerator" else None
                if rate is not None:  # "tỷ lệ hồ sơ trực tuyến đạt 96,54% (4.822/4.995 …)"
                    self._add_fraction(Fraction(q, self.qs[i + 1], here, bi, rate.numerator))
                    self._add_fact(Fact(rate.numerator, q, here, bi, weak=True))
                    self._add_fact(Fact(rate.denominator, self.qs[i + 1], here, bi, weak=True))
                    last_keyed_fraction = rate.numerator if here == scope else last_keyed_fraction
                    sentence_of_key = self._sentence_start(b.start, q.start)
                    first_quantity = False
                    i += 2
                    continue
                from_suffix = label is None
                if label is None:
                    label = self._label_after(q, b.end, recent)
                    consumed = self._suffix_end
                key = label.key if label else None
                if q.role == "numerator" and from_suffix and key in self.totals:
                    self._add_fraction(Fraction(q, self.qs[i + 1], scope, bi, None))
                    self._add_fact(Fact(key, self.qs[i + 1], scope, bi, tuple(label.alternatives), weak=True))
                    first_quantity = False
                    i += 1
                    continue
                alts: tuple[str, ...] = tuple(label.alternatives) + tuple(self.ambiguous) if label else ()
                weak = from_suffix
                if key is None and opener and first_quantity and q.role == "quantity":
                    key, alts, weak = "received", ("received.new",), True
                if key is None and here != scope and q.role == "numerator" and last_keyed_fraction \
                        and self._sentence_start(b.start, q.start) == sentence_of_key:
                    # "…trực tuyến đạt 96,54% (4.822/4.995), trong đó Lĩnh vực Tư pháp: 596/605": a field's
                    # share of the same rate
                    key, weak = last_keyed_fraction, True
                if q.role == "numerator":
                    den = self.qs[i + 1]
                    fr = Fraction(q, den, here, bi, key)
                    self._add_fraction(fr)
                    if key:
                        base = self.lex.base_of(key)
                        self._add_fact(Fact(key, q, here, bi, alts, weak=weak))
                        if base:  # the denominator states the total the share is of
                            self._add_fact(Fact(base, den, here, bi, weak=weak))
                        recent.append(key)
                        if here == scope:
                            last_keyed_fraction = key
                            sentence_of_key = self._sentence_start(b.start, q.start)
                elif key:
                    self._add_fact(Fact(key, q, self._qualified_scope(q, scope), bi, alts, weak=weak,
                                        undecided=bool(self.ambiguous) and not (label and label.alternatives)))
                    if not self.ambiguous:  # an undecided reading does not decide the next one
                        recent.append(key)
                first_quantity = False
            i += 1

    def _zero_statements(self, bi: int, b: Block, scope: str) -> None:
        """"xã không có hồ sơ quá hạn" states a figure of zero, to be compared with the figures stated."""
        f = self.folded
        for m in self.lex.zero_statement.finditer(f, b.start, b.end):
            seg = f[m.end():min(b.end, m.end() + 40)]
            cut = _CLAUSE_END.search(seg)
            seg = seg[:cut.start()] if cut else seg
            cands = [c for c in self.lex.candidates(seg) if c[0] == 0]
            label = self._choose(cands, [])
            if label is None:
                continue
            end = m.end() + max(e for s, e, lab in cands if lab is label)
            q = Quantity(Decimal(0), 0, self.text[m.start():end], m.start(), end, role="zero")
            self._add_fact(Fact(label.key, q, scope, bi))

    def _clauses(self, bi: int, b: Block, scope: str) -> None:
        f = self.folded
        pos = b.start
        for m in _CLAUSE_SEPARATOR.finditer(f, b.start, b.end):
            end = m.start()
            i = bisect_left(self.starts, pos)
            nums = []
            while i < len(self.qs) and self.qs[i].start < end:
                nums.append(self.qs[i])
                i += 1
            if any(q.role in ("quantity", "numerator") for q in nums):
                pieces, last = [], pos
                for q in nums:  # the clause's words with each figure as "#"
                    pieces += (f[last:q.start], "#")
                    last = q.end
                pieces.append(f[last:end])
                words = _SHAPE_WORD.findall("".join(pieces))
                words = [w for k, w in enumerate(words) if k == 0 or w != words[k - 1]]  # "cấp cấp thẻ" typed twice
                if len(words) >= 6:
                    self.report.clauses.append(Clause(pos, end, " ".join(words), nums, scope, bi))
            pos = m.end()

    # ---------------------------------------------------------------- appendix tables
    def _key_of_header(self, group: str, leaf: str, previous: list) -> str | None:
        group_label = self._choose(self.lex.candidates(group), []) if group else None
        if group_label and (not leaf or self.lex.total_heading.fullmatch(leaf) or leaf == group):
            return group_label.key
        recent = [k for k in ([group_label.key] if group_label else []) + [p for p in previous if p]]
        cands = self.lex.candidates(leaf)
        if group_label:  # under a group heading, read the leaf as one of its parts
            under = [c for c in cands if c[2].parent == group_label.key or c[2].key == group_label.key]
            cands = under or cands
        label = self._choose(cands, recent[-1:] if recent else [])
        return label.key if label else None

    def _number_at(self, start: int, end: int) -> Quantity | None:
        i = bisect_left(self.starts, start)
        while i < len(self.qs) and self.qs[i].start < end:
            if self.qs[i].role not in ("date", "docref"):
                q = self.qs[i]
                q.role = "quantity" if q.role in ("numerator", "denominator", "other", "noise") else q.role
                return q
            i += 1
        return None

    def _read_table(self, bi: int, blocks: list[Block]) -> None:
        b = blocks[bi]
        header_lines: list[tuple[int, int]] = []
        if bi and blocks[bi - 1].kind == "paragraph" and self.text[blocks[bi - 1].end:b.start].count("\n") <= 1:
            header_lines = blocks[bi - 1].lines[-3:]
        table = read_table(self.text, header_lines, b.lines, self._key_of_header, self._number_at, self.lex.total_row,
                           self.lex.total_heading)
        if table is None:
            return
        title = self.folded[max(0, b.start - 300):b.start] + " " + " ".join(fold(c.text) for r in table.headers for c in r.cells)
        if self.lex.not_dossier_table.search(title):
            table.columns = [None] * len(table.columns)  # complaints, staff, budget: not dossier counts
        ti = len(self.report.tables)
        self.report.tables.append(table)
        for ri, row in enumerate([table.total_row] + table.detail_rows if table.total_row else table.detail_rows):
            if any(row is m for m, _ in table.misaligned):
                continue
            scope = f"table{ti}|{'total' if row is table.total_row else ri}"
            line = bisect_right(self.line_starts, row.line_start)
            self.report.scopes[scope] = f"Phụ lục, dòng {line}: {' '.join(row.label.split())[:50]}"
            for key, q in zip(table.columns, row.numbers):
                if key and q is not None:
                    q.role = "cell"
                    self._add_fact(Fact(key, q, scope, bi))
            self.report.table_links[scope] = "|" if row is table.total_row else self._prose_scope_for(row.label)

    def _prose_scope_for(self, label: str) -> str:
        """The prose scope whose name shares most words with a table row's label (Jaccard ≥ 0.6)."""
        words = set(_WORD.findall(fold(_PARENTHESISED.sub("", label))))
        if not words:
            return ""
        keep_opener = bool(words & {"lien", "thong"})
        index = self._scope_words_index(keep_opener)
        # a scope within reach shares at least 60% of the label's words, so it has one of its rarest
        # len - ceil(0.6 len) + 1 words: only those words' scopes need scoring (common words such as
        # "thôn" name hundreds of scopes in a long report)
        rarest = sorted(words, key=lambda w: (len(index.by_word.get(w, ())), w))
        probe = rarest[:len(words) - math.ceil(_SAME_SCOPE * len(words)) + 1]
        best, best_score = "", 0.0
        for k in sorted({k for w in probe for k in index.by_word.get(w, ())}):  # the first scope wins a tie
            scope, other = index.scopes[k]
            shared = len(words & other)
            score = shared / (len(words) + len(other) - shared)
            if score > best_score:
                best, best_score = scope, score
        return best if best_score >= _SAME_SCOPE else ""

    def _scope_words_index(self, keep_opener: bool) -> "_ScopeWords":
        """Words of each prose scope's name, kept up to date as scopes are added (they only grow)."""
        index = self._scope_words.setdefault(keep_opener, _ScopeWords())
        scopes = list(self.report.scopes)
        for scope in scopes[index.seen:]:
            if scope.startswith("table") or "|" not in scope:
                continue
            name = fold(scope.split("|", 1)[1])
            if not keep_opener:
                name = _FIELD_OPENER.sub("", name)
            other = set(_WORD.findall(name))
            if not other:
                continue
            k = len(index.scopes)
            index.scopes.append((scope, other))
            for w in other:
                index.by_word.setdefault(w, []).append(k)
        index.seen = len(scopes)
        return index

    def _sentence_start(self, block_start: int, pos: int) -> int:
        start = max(block_start, pos - _REACH)
        for m in _FULL_STOP.finditer(self.folded, start, pos):
            start = m.end()
        return start

    def _rate_before(self, block_start: int, q: Quantity):
        """A rate named in words just before "x% (a/b": its keys are the fraction's."""
        f = self.folded
        i = bisect_left(self.starts, q.start)
        if i == 0 or not self.qs[i - 1].percent or not re.fullmatch(r"\s*\(\s*", f[self.qs[i - 1].end:q.start]):
            return None
        clause = f[self._sentence_start(block_start, q.start):self.qs[i - 1].start]
        for spec, rx in self.lex.rates:
            if rx.search(clause):
                return spec
        return None

    def _clause_field(self, block_start: int, pos: int, scope: str) -> str:
        """"…; Lĩnh vực Xây dựng: 187/190 hồ sơ": a clause that opens with a field is that field's."""
        f = self.folded
        window_start = max(block_start, pos - 120)
        seg = f[window_start:pos]
        cut = max(seg.rfind(";"), seg.rfind(". "))
        seg = seg[cut + 1:]
        m = self._field_clause.search(seg)
        if not m:
            return scope
        start = window_start + cut + 1 + m.start(1)
        raw = " ".join(self.text[start:start + len(m.group(1))].split())
        new = f"{scope.split('|', 1)[0]}|lĩnh vực {raw}"
        if new not in self.report.scopes:
            level = scope.split("|", 1)[0]
            self.report.scopes[new] = " – ".join([_LEVEL_NAME[level] if level else "đơn vị báo cáo", f"lĩnh vực {raw}"])
        return new

    def _clause_level(self, start: int, end: int, scope: str) -> str:
        """"…; cấp xã thanh toán trực tuyến 9.127/11.940": a clause that opens with a level switches to it."""
        seg = self.folded[max(start, end - _REACH):end]
        opens = clause_start(seg)
        if opens is None:
            return scope
        head = seg[opens:opens + 25]
        report_rank = _LEVEL_RANK.get(self.report.header.level or "", 0)
        for lvl, rx in self.lex.levels.items():
            if rx.match(head):
                new = f"{lvl if _LEVEL_RANK[lvl] < report_rank else ''}|"
                self.report.scopes.setdefault(new, _LEVEL_NAME[lvl] if new != "|" else "đơn vị báo cáo")
                return new
        return scope

    def _qualified_scope(self, q: Quantity, scope: str) -> str:
        seg = self.folded[q.end:q.end + 45]
        m = _CLAUSE_END.search(seg)
        seg = seg[:m.start()] if m else seg
        report_rank = _LEVEL_RANK.get(self.report.header.level or "", 0)
        for lvl, rx in self.lex.level_after:
            if rx.search(seg):
                new = f"{lvl if _LEVEL_RANK[lvl] < report_rank else ''}|"
                self.report.scopes.setdefault(new, _LEVEL_NAME[lvl] if _LEVEL_RANK[lvl] < report_rank else "đơn vị báo cáo")
                return new
        return scope

    def _labels_between(self, lo: int, hi: int) -> list[tuple[int, int, Label]]:
        """Label readings between two offsets, read gap by gap between the figures: no label spans a
        figure, and the lexicon remembers each short gap's reading, so dense percentages do not read
        the same words again for every figure."""
        f, out, pos = self.folded, [], lo
        i = bisect_left(self.starts, lo)
        if i and self.qs[i - 1].end > lo:  # a figure straddling the start
            pos = self.qs[i - 1].end
        while pos < hi:
            nxt = self.qs[i].start if i < len(self.qs) and self.qs[i].start < hi else hi
            if nxt > pos:
                out.extend((pos + a, pos + b, lab) for a, b, lab in self.lex.candidates(f[pos:nxt]))
            if nxt >= hi:
                break
            pos, i = max(pos, self.qs[i].end), i + 1
        return out

    def _choose(self, cands: list[tuple[int, int, Label]], recent: list[str]) -> Label | None:
        if not cands:
            return None
        # the label ending nearest the number, and of those the longest
        nearest = max(e for _, e, _ in cands)
        longest = max(e - s for s, e, _ in cands if e == nearest)
        best = [lab for s, e, lab in cands if e == nearest and e - s == longest]
        keys = []
        for lab in best:
            if lab.key not in keys:
                keys.append(lab.key)
        self.ambiguous = []
        if len(keys) > 1 and recent:
            last = recent[-1]
            for lab in best:
                if lab.parent and (lab.parent == last or lab.parent == self.lex.parents.get(last)):
                    return lab
        # nothing around decides ("2 hồ sơ quá hạn"): the other readings stay open
        self.ambiguous = keys[1:]
        return best[0]

    def _label_before(self, start: int, end: int, recent: list[str]) -> Label | None:
        seg = self.folded[start:end]
        cut = 0
        for m in _CLAUSE_END.finditer(seg):
            cut = m.end()
        clause = seg[cut:]
        if not clause.strip() or self.lex.whole_before_part.search(clause):
            return None
        # a label far from its number is a label of something else
        cands = [c for c in self.lex.candidates(clause) if len(clause) - c[1] <= 45]
        return self._choose(cands, recent)

    def _label_after(self, q: Quantity, block_end: int, recent: list[str]) -> Label | None:
        f = self.folded
        pos = q.end
        if q.role == "numerator":
            nxt = self.qs[bisect_left(self.starts, q.end)]
            pos = nxt.end
        um = self.lex.unit["dossiers"].match(f, pos)  # skip "hồ sơ"
        if um:
            pos = um.end()
        nxt_i = bisect_left(self.starts, pos)
        limit = min(block_end, self.qs[nxt_i].start if nxt_i < len(self.qs) else block_end)
        seg = f[pos:limit]
        m = _CLAUSE_END.search(seg)
        if m:
            seg = seg[:m.start()]
        lead = self.lex.label_filler.match(seg)
        cands = [c for c in self.lex.candidates(seg) if c[0] <= lead.end() + 1]
        chosen = self._choose(cands, recent)
        self._suffix_end = pos + max((e for _, e, lab in cands if lab is chosen), default=0)
        return chosen

    # ---------------------------------------------------------------- percentages
    def _percent(self, bi: int, b: Block, scope: str, i: int, recent: list[str]) -> None:
        f = self.folded
        pct = self.qs[i]
        sent_start = max(b.start, pct.start - _REACH)
        for m in _SENTENCE_END.finditer(f, sent_start, pct.start):
            sent_start = m.end()
        claim = PercentClaim(pct, scope, bi)
        window = f[max(sent_start, pct.start - 60):pct.start]
        after = f[pct.end:pct.end + 20]
        claim.comparison = bool(self.lex.comparison_before.search(window)) and not self.lex.share_before.search(window) \
            or bool(self.lex.comparison_after.match(after))
        prev = None
        j = i - 1
        forward = i + 2 < len(self.qs) and self.qs[i + 1].role == "numerator" \
            and re.fullmatch(r"\s*\(\s*", f[pct.end:self.qs[i + 1].start])
        if forward:
            j = -1
        while j >= 0 and self.qs[j].start >= sent_start:
            if self.qs[j].percent:
                break
            if self.qs[j].role in ("quantity", "denominator", "numerator"):
                prev = self.qs[j]
                break
            j -= 1
        if prev is not None:
            between = f[prev.end:pct.start]
            linked = not re.search(r"[;]", between) and len(between) < (150 if prev.role == "denominator" else 70)
            if linked and prev.role == "denominator":
                num = self.qs[j - 1]
                claim.numerator, claim.denominator = num, prev
                fr = self.fraction_of.get(id(prev))
                claim.numerator_key = fr.key if fr else None
            elif linked and prev.role == "quantity":
                claim.numerator = prev
                fact = self.fact_of.get(id(prev))
                if fact:
                    claim.numerator_key = fact.key
                    claim.denominator_key = self.lex.base_of(fact.key)
        if claim.numerator is None and i + 2 < len(self.qs) and self.qs[i + 1].role == "numerator" \
                and re.fullmatch(r"\s*\(\s*", f[pct.end:self.qs[i + 1].start]):
            claim.numerator, claim.denominator = self.qs[i + 1], self.qs[i + 2]
        if claim.numerator is None:
            clause = f[sent_start:pct.start]
            for spec, rx in self.lex.rates:
                if rx.search(clause):
                    claim.numerator_key, claim.denominator_key = spec.numerator, spec.denominator
                    break
        if claim.numerator is None:
            seen = []
            # the labels of the sentence the percentage closes, read no further back than a long sentence
            for _, _, lab in sorted(self._labels_between(max(sent_start, pct.start - _SENTENCE_LABELS), pct.start),
                                    key=lambda c: c[0]):
                if lab.key not in seen:
                    seen.append(lab.key)
            claim.context_keys = seen
        claim.sentence_numbers = [q for q in self.qs[bisect_left(self.starts, sent_start):i]
                                  if q.role in ("quantity", "denominator") and not q.percent
                                  and q is not claim.numerator and q.unit != "money"]
        self.report.percents.append(claim)

    # ---------------------------------------------------------------- counts with lists
    def read_lists(self, blocks: list[Block]) -> None:
        f = self.folded
        for bi, b in enumerate(blocks):
            if b.kind in ("table", "heading"):
                continue
            i = bisect_left(self.starts, b.start)
            while i < len(self.qs) and self.qs[i].start < b.end:
                q = self.qs[i]
                i += 1
                if q.role not in ("quantity", "numerator") or q.percent:
                    continue
                of = self.qs[i] if q.role == "numerator" else None
                pos = of.end if of else q.end
                cm = self._countable.match(f, pos)
                if not cm:
                    continue
                rest_end = b.end
                sm = _FULL_STOP_SPACE.search(f, cm.end(), b.end)
                sentence_end = sm.start() if sm else b.end
                opener = _LIST_OPENER.match(f, cm.end(), sentence_end)
                if not opener or any(x.role in ("quantity", "numerator")
                                     for x in self.qs[bisect_left(self.starts, cm.end()):bisect_left(self.starts, opener.end())]):
                    continue
                start = opener.end()
                if opener.group(1) == "(":
                    close = self.text.find(")", start, rest_end)
                    if close < 0:
                        continue
                    body_end = close
                else:
                    body_end = b.end
                body = self.text[start:body_end]
                items = _split_items(body, start, folded=f[start:body_end])
                if not items and opener.group(1) == ":":
                    items = self._following_items(blocks, bi)
                if not items:
                    continue
                # a parenthesis that holds numbers is a breakdown, not a list of names
                if opener.group(1) == "(" and re.search(r"\d", body):
                    continue
                alt = _split_items(body, start, split_last_va=True, folded=f[start:body_end]) if opener.group(1) == "(" else None
                claim = ListClaim(q, of, items, q.start, body_end, len(alt) if alt and len(alt) != len(items) else None)
                self.report.lists.append(claim)

    # ---------------------------------------------------------------- breakdowns ("trong đó", lists after a colon)
    def _unit_of(self, q: Quantity) -> str | None:
        if q.role == "numerator":
            nxt = self.qs[bisect_left(self.starts, q.end)]
            return nxt.unit
        return q.unit

    def _items_in(self, start: int, end: int) -> list[list[Quantity]]:
        """Counts and fractions between two offsets, percentages left out."""
        return self._items_from(bisect_left(self.starts, start), end)

    def _items_from(self, i: int, end: int) -> list[list[Quantity]]:
        out: list[list[Quantity]] = []
        while i < len(self.qs) and self.qs[i].start < end:
            q = self.qs[i]
            if q.role == "numerator" and i + 1 < len(self.qs):
                out.append([q, self.qs[i + 1]])
                i += 2
                continue
            if q.role == "quantity" and not q.percent:
                out.append([q])
            i += 1
        return out

    def _last_item(self, start: int, end: int, near: int) -> list[Quantity] | None:
        """The last of _items_in(start, end) if it begins within `near` characters of `end`, read from
        the nearest place where pairing starts afresh (not from `start`: that would be quadratic)."""
        first = bisect_left(self.starts, start)
        k = max(first, bisect_left(self.starts, end - near))
        while k > first and self.qs[k - 1].role == "numerator":
            k -= 1
        items = self._items_from(k, end)
        return items[-1] if items else None

    def read_breakdowns(self, blocks: list[Block]) -> None:
        f = self.folded
        marker = self._marker
        key_of = {id(fa.q): fa.key for fa in self.report.facts}
        for bi, b in enumerate(blocks):
            if b.kind in ("table", "heading"):
                continue
            for m in marker.finditer(f, b.start, b.end):
                # the total is the figure (or fraction) right before the marker, at most 260 characters away
                total = self._last_item(b.start, m.start(), near=260)
                if not total:
                    continue
                gap = f[total[-1].end:m.start()]
                if len(gap) > 200 or ";" in gap:
                    continue
                opened_paren = "(" in gap[-6:] or f[m.start() - 1:m.start()] == "("
                if opened_paren:
                    close = f.find(")", m.end(), b.end)
                    end = close if close >= 0 else b.end
                else:
                    sm = _FULL_STOP_SPACE.search(f, m.end(), b.end)
                    end = sm.start() if sm else b.end
                    semi = f.find(";", m.end(), end)
                    if semi >= 0 and f.find(":", m.end() - 1, semi) < 0:
                        end = semi  # an inline list ends with its clause; one after a colon may run on
                end = self._before_next_breakdown(m.end(), end)
                cut = end > m.end() + _REACH
                end = min(end, m.end() + _REACH)
                parts = self._items_in(m.end(), end)
                if not parts and f[m.end() - 1:m.end()] == ":" and not f[m.end():b.end].strip():
                    parts = self._sub_block_parts(blocks, bi, total)
                    end = max((p[-1].end for p in parts), default=end)
                unit = self._unit_of(total[0])
                parts = [p for p in parts if len(p) == len(total) and self._unit_of(p[0]) in (unit, None)]
                keys = [key_of.get(id(p[0])) for p in parts]
                if all(keys) and len(set(keys)) == len(keys):
                    continue  # distinct parts the lexicon knows are checked by the identity rules
                if len(parts) >= 2 and unit != "money":
                    complete = f[m.end() - 1:m.end()] == ":" and not cut
                    self._add_breakdown(Breakdown(total, parts, total[0].start, end, "marker" if complete else "some"))
            self._colon_lists(b)

    def _before_next_breakdown(self, start: int, end: int) -> int:
        """A list ends where the next "trong đó" outside parentheses begins a breakdown of its own
        ("…, thôn Tây 40 người, trong đó nữ 30 người, …": 40 is the last part here, and the total there)."""
        f = self.folded
        for m2 in self._marker.finditer(f, start, min(end, start + _REACH)):
            between = f[start:m2.start()]
            if between.count("(") > between.count(")"):
                continue  # "(trong đó …)" inside a part breaks down that part
            return m2.start()
        return end

    def _sub_block_parts(self, blocks: list[Block], bi: int, total: list[Quantity]) -> list[list[Quantity]]:
        """The first figure of each block under "Trong đó:", up to the blocks whose figures make the total."""
        parts: list[list[Quantity]] = []
        for nb in self._sub_blocks(blocks, bi)[:8]:
            items = [p for p in self._items_in(nb.start, nb.end) if len(p) == len(total)]
            if not items:
                continue
            parts.append(items[0])
            if all(sum((p[i].value for p in parts), Decimal(0)) == total[i].value for i in range(len(total))):
                break
        return parts

    def _sub_blocks(self, blocks: list[Block], bi: int) -> list[Block]:
        out = []
        for nb in blocks[bi + 1:]:
            if nb.kind in ("heading", "table") or (nb.kind == "bullet" and re.match(r"\s*[-–—]", self.folded[nb.start:nb.start + 3])):
                break
            out.append(nb)
        return out

    def _colon_lists(self, b: Block) -> None:
        """"Trình độ chuyên môn: Đại học 19 người, Trung cấp 01 người." against the last total in that unit."""
        f = self.folded
        for m in re.finditer(r":", f[b.start:b.end]):
            pos = b.start + m.end()
            sm = _LIST_END.search(f, pos, min(b.end, pos + _REACH))
            if not sm and b.end > pos + _REACH:
                continue  # no end within reach: not a list a clerk typed
            end = sm.start() if sm else b.end
            parts = self._items_in(pos, end)
            if len(parts) < 2 or any(len(p) != 1 for p in parts):
                continue
            unit = parts[0][0].unit
            if unit not in ("people", "procedures", "items") or any(p[0].unit != unit for p in parts):
                continue
            gaps = [f[a[0].end:c[0].start] for a, c in zip(parts, parts[1:])]
            if any(not re.match(r"\s*[a-z ]{0,20}\s*,(?:\s*va)?\s*[a-z ]{0,40}$|\s*[a-z ]{0,20}\s+va\s+[a-z ]{0,40}$", g) for g in gaps):
                continue
            earlier = [q for q in self._items_in(max(b.start, b.start + m.start() - _REACH), b.start + m.start())
                       if len(q) == 1 and q[0].unit == unit]
            listed = self._listed
            # a total is not itself a part: not listed before, not right after "trong đó"
            earlier = [q for q in earlier if id(q[0]) not in listed
                       and not re.search(r"trong d[a-z0-9]\s*:?\s*(?:c[a-z0-9]\s+)?$", f[max(b.start, q[0].start - 15):q[0].start])]
            if not earlier:
                continue
            self._add_breakdown(Breakdown(earlier[-1], parts, earlier[-1][0].start, end, "colon"))

    def _following_items(self, blocks: list[Block], bi: int) -> list[tuple[int, int]]:
        items = []
        kind = None
        for b in blocks[bi + 1:]:
            if b.kind in ("heading", "table") or (kind and b.kind != kind):
                break
            kind = b.kind
            first = re.sub(r"^[\W_]+", "", self.folded[b.start:b.start + 30]).split(" ")[0]
            if items:
                prev_first = re.sub(r"^[\W_]+", "", self.folded[items[0][0]:items[0][0] + 30]).split(" ")[0]
                if first != prev_first and b.kind != "bullet":
                    break
            items.append((b.start, b.end))
            if len(items) > 30:
                break
        return items


def _split_items(body: str, offset: int, split_last_va: bool = False, folded: str = "") -> list[tuple[int, int]]:
    """List items: split on ";" when present, else on ","; names of agencies keep their "và"."""
    sep = ";" if ";" in body else ","
    items = []
    pos = 0
    for part in body.split(sep):
        s, e = pos, pos + len(part)
        pos = e + 1
        if part.strip():
            items.append((offset + s + len(part) - len(part.lstrip()), offset + e - (len(part) - len(part.rstrip()))))
    if len(items) == 1 or split_last_va:
        # "A và B": two items only when "và" joins lower-case words (agency names are capitalised)
        s, e = items[-1] if items else (0, 0)
        last = body[s - offset:e - offset]
        last_folded = (folded or body)[s - offset:e - offset]
        m = re.search(r"\s+v[aà]\s+(?=[a-zà-ỹđ])", last) if "và" in last else re.search(r"\s+va\s+(?=[a-z])", last_folded)
        if m and "và" not in last and not last[m.end():m.end() + 1].islower():
            m = None
        if m:
            items[-1:] = [(s, s + m.start()), (s + m.end(), e)]
    return items


def extract(path: str, text: str, encoding: str = "utf-8", lex: Lexicon | None = None) -> Report:
    ex = _Extractor(path, text, encoding, lex or default_lexicon())
    ex.read_numbers()
    ex.read_header()
    blocks = parse_blocks(text)
    ex.read_blocks(blocks)
    ex.read_lists(blocks)
    ex.read_breakdowns(blocks)
    ex.report.periods = ex.periods()
    _resolve_alternatives(ex.report)
    return ex.report


def _resolve_alternatives(report: Report) -> None:
    """A fact read from ambiguous words takes the key whose other statement it repeats."""
    stated: dict[tuple[str, str], list[Fact]] = {}
    for fa in report.facts:
        if not fa.alternatives:
            stated.setdefault((fa.scope, fa.key), []).append(fa)
    for fa in report.facts:
        if not fa.alternatives:
            continue
        for alt in (fa.key, *fa.alternatives):
            if any(o.q.value == fa.q.value for o in stated.get((fa.scope, alt), [])):
                fa.key = alt
                break
        else:
            if stated.get((fa.scope, fa.key)) and not fa.undecided:
                free = [a for a in fa.alternatives if not stated.get((fa.scope, a))]
                if not free:
                    fa.key = ""  # dropped below
                    continue
                fa.key = free[0]
        fa.alternatives = ()
        stated.setdefault((fa.scope, fa.key), []).append(fa)
    report.facts = [fa for fa in report.facts if fa.key]
