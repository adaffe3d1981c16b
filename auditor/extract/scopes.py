"""Scopes from structure: what each heading, bullet, lead label, opener and aside is about.

A heading, bullet or lead label ("Cấp huyện:", "2. Phường An Lạc: …", "Riêng tháng 01 …", "Tại Bộ
phận Một cửa …", "(năm 2022: …)") opens a segment. The lexicon (`scopes` in grammars/lexicon.yaml)
says what the words name: a level, a unit, an agency, a field, a group, a period, the whole; a
heading that only names figures ("Kết quả giải quyết", "Số liệu tiếp nhận") stays in the scope
around it; anything else opens a scope of its own that nothing else shares. A false split loses a
check; a false merge prints a false error: when in doubt, split.

Scopes are interned by (parent, kind, name): the table row "Cấp huyện" and the lead "* Cấp huyện:" in
the same section are one scope, so their figures are compared; the same words under another period
are another scope.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..facts import Scope
from ..lexicon import ANY_DIGIT, first_chars
from ..source.normalize import fold
from ..parse.document import Node
from ..parse.inline import within
from .context import Ctx, skip_marks
from .header import HEADER_LINES

_HEAD_REACH = 110  # a heading's or lead's naming words sit in its first hundred characters
# a field's name, dashes aside: "Lao động - Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch"
_FIELD_WORDS = 8
_LEAD_MAX = 100  # "Cấp sở, ban, ngành:" — a lead label is short and holds no figure
# a heading of a few words that names figures ("Kết quả giải quyết") stays in its scope; a long one
# the reader does not otherwise understand ("+ Tiếp nhận … thông qua Hệ thống … của Tỉnh:") stays apart
_TOPIC_WORDS = 16  # a heading that names figures in up to this many words is a topic, not a scope


class Scopes:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.interned: dict[tuple[int, str, str], Scope] = {}
        h = ctx.report.header
        self.root = Scope(0, "document", "", h.issuer or "", None, 0, len(ctx.text))
        ctx.report.scopes = [self.root]

    def new(self, parent: Scope, kind: str, name: str, label: str, start: int, end: int) -> Scope:
        if kind == "other":  # not understood: shares with nothing
            return self._make(parent, kind, name, label, start, end)
        if kind in ("unit", "level", "agency") and (status := self.ctx.lex.unit_status.match(self.ctx.folded, end)):
            # "Các xã cũ", "Phường 1 (mới)": the old unit and the new one apart
            kind, name, label = "unit", f"{name} {status.group(1)}", label + self.ctx.text[end:status.end()].rstrip()
        if parent.kind == kind and parent.name == name:
            return parent  # "- Sở Tư pháp: …" whose sentence names "Sở Tư pháp" again
        if kind == "agency" and parent.kind in ("agency", "level", "own") and not _levels_named(name):
            return parent
        named = _levels_named(name) if kind == "agency" else []
        province = self.ctx.report.header.level == "province"
        if kind == "agency" and (named == ["province"] or not named and province) and "cap" not in name.split():
            # a province's dossiers go to its service centre, its departments and the central agencies' branches:
            # "Trung tâm Phục vụ hành chính công (tỉnh)" is one of them, not the level; a district's or a
            # commune's one-stop office is its level's only door
            return self._interned(parent, kind, name, label, start, end)
        if len(named) == 1 and not self._own_level(kind, name):
            kind, name = "level", named[0]  # "Bộ phận Một cửa cấp xã" speaks for the commune level, as "UBND cấp xã" does  # "Bộ phận Một cửa của 19 xã …" under "1.2. Bộ phận Một cửa cấp xã": the same agency
        if kind in ("level", "agency") and self._own_level(kind, name):
            # the reporting unit's own level ("UBND cấp huyện", "Bộ phận Một cửa huyện" in a district's
            # report) is one scope, apart from the whole ("toàn huyện") that includes its communes; a
            # commune has no level below it, so there its own level is the whole
            if self.ctx.report.header.level == "commune":
                return parent
            kind, name = "own", "own"
            if parent.kind == "own":
                return parent  # "UBND huyện …" in the district's own section: the same
        if parent is self.root and kind in ("level", "agency") and self._subject(kind, name):
            return parent  # "Điểm phục vụ hành chính công cấp xã" in a report on the communes: the whole
        if kind == "level":
            while parent.parent is not None and self._level_of(parent) not in (None, name):
                parent = parent.parent  # "Cấp huyện …; cấp xã …": the communes are no part of the district's own level
            if self._level_of(parent) == name:
                return parent  # "Bộ phận Một cửa cấp xã … ở cấp xã": the same level
        if kind == "period" and (self.ctx.lex.own_period.match(name) or self._own_period(name)):
            return parent  # "Năm 2023, …" in the report for 2023: the report's own period
        if kind == "row":
            unit = self._unit_named(parent, name)
            if unit is not None:
                return unit  # the row "Đông Hòa" of a table of units is the "Phường Đông Hòa" the text speaks of
        return self._interned(parent, kind, name, label, start, end)

    def _interned(self, parent: Scope, kind: str, name: str, label: str, start: int, end: int) -> Scope:
        key = (parent.id, kind, name)
        found = self.interned.get(key)
        if found is not None and kind == "unit" and _marks_differ(found.label, label, len(name.split())):
            # "xã Tân Thạnh" and "xã Tân Thanh", "Thạnh Quới" and "Thạnh Qưới": two communes of one district whose
            # names fold alike; told apart by their marks when both are written with them
            key = (parent.id, kind, name + "\x00" + "|".join(_marks(label)[-len(name.split()):]))
            found = self.interned.get(key)
        if found is None:
            found = self.interned[key] = self._make(parent, kind, name, label, start, end)
        return found

    def _level_of(self, scope: Scope) -> str | None:
        if scope.kind == "own":
            return self.ctx.report.header.level
        if scope.kind == "level":
            return scope.name
        if scope.kind == "agency":
            said = _levels_named(scope.name)
            return said[0] if len(said) == 1 else None
        return None

    def _own_period(self, name: str) -> bool:
        own = self.ctx.report.header.period_text
        if not own or not name or self.ctx.report.header.several_periods:
            return False
        # a whole word of the report's period, not the tail of one of its dates ("01 2026" of "từ ngày 01/01/2026")
        return re.search(r"(?<!\w)(?<!\d\s)" + re.escape(name) + r"(?!\w)", normal_name(fold(own))) is not None

    def _unit_named(self, parent: Scope, name: str) -> Scope | None:
        unit_word = self.ctx.lex.scope_rx("unit")
        units = [sc for (pid, kind, _), sc in self.interned.items()
                 if pid == parent.id and kind == "unit" and unit_word.sub("", sc.name, count=1).strip() == name]
        return units[0] if len(units) == 1 else None

    def _subject(self, kind: str, name: str) -> bool:
        subject = self.ctx.report.header.subject_level
        if not subject:
            return False
        return name == subject if kind == "level" else _levels_named(name) == [subject]

    def _own_level(self, kind: str, name: str) -> bool:
        level = self.ctx.report.header.level
        if not level:
            return False
        if kind == "level":
            return name == level
        said = _levels_named(name)
        return not said or said == [level]

    def higher_whole(self, name: str) -> bool:
        """Whether a whole ("toàn huyện", "toàn tỉnh", "cả nước") is one above the reporting unit's level."""
        level = self.ctx.report.header.level
        said = _levels_named(name)
        country = self.ctx.lex.country_whole.fullmatch(name) is not None
        if not level or not said and not country:
            return False
        return country or _LEVEL_RANK[said[0]] < _LEVEL_RANK.get(level, 0)

    def _make(self, parent, kind, name, label, start, end) -> Scope:
        s = Scope(len(self.ctx.report.scopes), kind, name, label, parent, start, end)
        self.ctx.report.scopes.append(s)
        return s

    def of_words(self, parent: Scope, start: int, end: int, *, lead: bool, title: bool = False) -> Scope | None:
        """The scope that the words text[start:end] open under `parent`; None when they only name
        figures (the scope stays `parent`). A section title that names no level, unit, field or period
        ("4. Đổi mới việc giám sát …") is a topic, however long: its figures stay in the scope around it."""
        found = classify(self.ctx, start, end)
        if found is None:
            return None
        kind, name, a, b = found
        if kind == "other" and title:
            return None
        if kind == "whole" and self.higher_whole(name):
            # "toàn huyện tiếp nhận mới 48.215 hồ sơ" in a commune's report: the district, for comparison
            label = " ".join(self.ctx.text[a:b].split()).strip(" :;,.-–")
            return self.new(parent, "unit", name, label[:80], a, b)
        if kind == "whole" or (kind == "agency" and self.ctx.report.header.level == "commune" and parent is self.root):
            return parent  # "Trung tâm Phục vụ hành chính công xã" of a commune's report: the commune itself
        if kind == "topic":
            return None
        label = " ".join(self.ctx.text[a:b].split()).strip(" :;,.-–")
        return self.new(parent, kind, name, label[:80], a, b)


_LEVEL_WORDS = {"province": {"tinh"}, "district": {"huyen", "quan", "thi", "thanh"}, "commune": {"xa", "phuong"}}


_LEVEL_RANK = {"province": 1, "district": 2, "commune": 3}


def _levels_named(name: str) -> list[str]:
    """The levels an agency's name says it belongs to ("bo phan mot cua cap xa" -> commune)."""
    words = set(name.split())
    return [lvl for lvl, ws in _LEVEL_WORDS.items() if words & ws]


def classify(ctx: Ctx, start: int, end: int) -> tuple[str, str, int, int] | None:
    """What the words between start and end are about: (kind, name, span) of the first thing they
    name; ("topic", …) when they name figures; ("other", …) when nothing is recognised. A table's
    row labels are asked about more than once (the table's scope, then each row's)."""
    key = (start, end)
    if key not in ctx.classified:
        ctx.classified[key] = _classify(ctx, start, end)
    return ctx.classified[key]


def _classify(ctx: Ctx, start: int, end: int) -> tuple[str, str, int, int] | None:
    f = ctx.folded
    words = f[start:end]
    if not words.strip():
        return None
    lex = ctx.lex
    best = None
    for kind, rx in lex.scope_kinds:
        for m in rx.finditer(words):
            if best is not None and m.start() >= best[2] - start:
                break
            name, stop = _name(kind, m, ctx, start, end)
            if name:
                best = (kind, name, start + m.start(), start + stop)
                break
    lead = _skip_numbering(ctx.text, skip_marks(f, start))
    if best is not None and (best[2] <= lead or best[0] != "period"):
        return best
    # "Sở Văn hóa, Thể thao và Du lịch, trong quý có …": a body named first is what the words are about, not
    # the period named after it
    subject = _subject(ctx, lead, end) if lead < end else None
    if subject is not None:
        return ("group", subject[0], lead, subject[1])
    if best is not None:
        return best
    if len(words.split()) <= _TOPIC_WORDS and (lex.topic.search(words) or lex.label_regex.search(words)):
        return ("topic", "", start, end)
    return ("other", " ".join(words.split())[:60], start, end)


_ADMINISTRATIVE = {"phường", "xã", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh", "tp", "tp.",
                   "thôn", "khu phố", "tổ dân phố", "xóm", "khóm"}
_ADMINISTRATIVE_FOLDED = {fold(w) for w in _ADMINISTRATIVE}


def _administrative(raw: str, lookalikes: frozenset[str]) -> bool:
    """"Phường", "XÃ", "tỉnh" name a unit; "phương hướng", "tính", "xa" do not. Text that lost its
    diacritics (OCR) is given the benefit of the doubt."""
    words = raw.lower().split()
    tail = " ".join(w for w in words if w not in ("ubnd", "uỷ", "ủy", "ban", "nhân", "dân"))
    if tail in _ADMINISTRATIVE or tail.isascii():
        return True
    # OCR that lost some marks ("phuờng", "Xă"): the letters of an administrative word, unless they
    # spell a common word of the same letters ("phương", "tính": scopes.unit_lookalikes)
    return fold(tail) in _ADMINISTRATIVE_FOLDED and tail not in lookalikes


_NAME_WORD = re.compile(r"[ \t]*([^\s,;:()]+)")
_NAME_WORD_WRAPPED = re.compile(r"[ \t]*\n[ \t]*([^\s,;:()]+)")  # "… xã⏎Long Mỹ tiếp nhận …": a line wrapped after the type word
_NUMBERING = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|[IVX]{1,4}\.)\s+")
_SAID_OF_A_NAME = {"đã", "đang", "được", "có", "là", "đạt", "chiếm", "gồm", "tiếp", "giải", "thực", "trả", "nhận", "với",
                   "trong", "không", "chưa", "còn", "cũng", "thụ"}
_LEVEL_WORDS_WRITTEN = {"tỉnh", "huyện", "xã", "thành", "phố", "thị", "quận", "phường", "trấn"}


def _skip_numbering(text: str, pos: int) -> int:
    m = _NUMBERING.match(text, pos)
    return m.end() if m else pos


def _subject(ctx: Ctx, start: int, end: int) -> tuple[str, int] | None:
    """An agency named as the subject at `start` ("Sở Tư pháp", "Công an huyện", "Bảo hiểm xã hội
    huyện"): its name and where it ends; None when the head word has no name after it ("Trung tâm
    tiếp nhận …" is the reporting centre itself)."""
    m = ctx.lex.subject.match(ctx.text, start, end)
    if m is None:
        return None
    first = _NAME_WORD.match(ctx.text, m.end(), end)
    if not first or "\n" in ctx.text[m.end():first.start(1)] or not (
            first.group(1)[0].isupper() or first.group(1).lower() in _LEVEL_WORDS_WRITTEN):
        return None
    # "Sở Tài nguyên và Môi trường": the name's first word is capitalised, the rest may not be; it
    # ends where something is said of it (a label, a verb) or at a mark
    pos, words = first.end(), 1
    while words < 7:
        wm = _NAME_WORD.match(ctx.text, pos, end)
        if not wm or "\n" in ctx.text[pos:wm.start(1)] or wm.group(1).lower() in _SAID_OF_A_NAME \
                or ctx.lex.label_regex.match(ctx.folded, wm.start(1)) or wm.group(1)[0].isdigit():
            break
        words += 1
        pos = wm.end()
    return normal_name(ctx.folded[start:pos]), pos
_NUMBERED_NAME = re.compile(r"\d+[A-ZĐ]?\.?")  # "Phường 3", "Khu 5A"; not OCR's "1a" for "là"


def _marks(label: str) -> tuple[str, ...]:
    """Each word's diacritics, in order of letters dropped ("Hòa" and "Hoà" alike, "Thạnh" and "Thanh" not)."""
    return tuple("".join(sorted(ch for ch in unicodedata.normalize("NFD", w) if unicodedata.combining(ch)))
                 for w in label.lower().split())


def _marks_differ(a: str, b: str, words: int) -> bool:
    """Whether two names that fold alike (their last `words` words: "UBND huyện Hương Điền" and "huyện Hương
    Điền" are one) are written with different marks, both with marks (a name OCR or a keyboard left without any
    is the same name; one damaged in part is taken as another, which costs a check)."""
    ma, mb = _marks(a)[-words:], _marks(b)[-words:]
    return ma != mb and any(ma[1:]) and any(mb[1:])


def normal_name(words: str) -> str:
    """A name to compare: folded words, brackets and punctuation dropped ("Hộ tịch (Bộ Tư pháp)" and
    "hộ tịch" are one field; "Liên thông Hộ tịch - Đăng ký thường trú" and "liên thông hộ tịch, đăng ký
    thường trú" one group)."""
    words = re.sub(r"\([^)]*\)?", " ", words)
    return " ".join(re.findall(r"[a-z0-9]+", words))


def _name(kind: str, m: re.Match, ctx: Ctx, offset: int, end: int) -> tuple[str, int]:
    """A canonical name and where it ends: a level's id; a unit's type word and the capitalised words
    after it ("Phường An Lạc"; "các huyện" names no unit); other names' words without fillers."""
    if kind == "level":
        after = _NAME_WORD.match(ctx.text, offset + m.end(), end)
        if ctx.text[offset + m.start():offset + m.end()].lower().startswith(("ubnd", "ủy ban", "uỷ ban")) \
                and after and after.group(1)[:1].isupper():
            return "", m.end()  # "UBND huyện Quỳnh Lưu": a named unit, not the level
        return m.lastgroup or "level", m.end()
    at = offset + m.start()
    if kind == "group" and ctx.lex.group_not_after.search(ctx.folded, max(0, at - 24), at):
        return "", m.end()
    if kind == "unit":
        if not _administrative(ctx.text[offset + m.start():offset + m.end()], ctx.lex.unit_lookalikes):
            return "", m.end()
        pos, words = offset + m.end(), []
        text = ctx.text
        while len(words) < 5:
            wm = _NAME_WORD.match(text, pos, end) or (None if words else _NAME_WORD_WRAPPED.match(text, pos, end))
            # a number names a unit right after its type word ("Phường 3", "Khu phố 2"); after a name, it is a
            # figure ("xã An Phú 5 việc")
            if not wm or not (wm.group(1)[0].isupper() or not words and _NUMBERED_NAME.fullmatch(wm.group(1))) \
                    or "\t" in text[pos:wm.start(1)] \
                    or "  " in text[pos:wm.start(1)]:
                break
            words.append(wm.group(1))
            pos = wm.end()
        if not words:
            return "", m.end()
        while pos > offset + m.end() and text[pos - 1] in "./":
            pos -= 1  # "UBND xã Đông Phong./." at a report's end: the name, not its full stop
        name = ctx.folded[offset + m.start():pos]
        stop = pos - offset
    else:
        name, stop = m.group(0), _name_end(ctx, m, ctx.text[offset + m.start():offset + m.end()])
        name = name[:stop - m.start()]
        if kind == "agency":
            # "Bộ phận Một cửa 8 xã, thị trấn", "Bộ phận Một cửa các xã, thị trấn": an agency of the units
            # counted or gathered after it, at their level
            cm = _COUNTED_UNITS.match(ctx.folded, offset + stop)
            if cm is not None and cm.start() == offset + stop and not _levels_named(normal_name(name)):
                name, stop = name + " " + cm.group(1), cm.end() - offset
    name = ctx.lex.name_filler.sub(" ", name)
    return normal_name(name), stop


_COUNTED_UNITS = re.compile(r"\s*(?:cua\s+|tai\s+)?(?:cac\s+(?:\d{1,3}\s+)?|\d{1,3}\s+)(xa|phuong|thi tran|huyen|quan|thi xa)\b")


_PREDICATE = re.compile(r"\s(?:la|dat|chiem|gom)\s")  # not "có": "người có công"
_PREDICATE_WORDS = {"là", "đạt", "chiếm", "gồm"}
_TRAILING_VERB = re.compile(r"(?:\s+(?:da|duoc|co|la|thi|va|voi|dang))+\s*$|[\s,]+$")


def _name_end(ctx: Ctx, m: re.Match, written: str) -> int:
    """Where a field's or group's name ends: before the first thing said about it ("Lĩnh vực Hộ tịch
    tiếp nhận 820 hồ sơ" names "Hộ tịch"). The name's first words are kept even when they are a
    label's ("Lĩnh vực giải quyết khiếu nại, tố cáo")."""
    words = m.group(0)
    return m.start() + ctx.lex.remember(("name_end", words, written), lambda: _name_length(ctx, words, written))


def _name_length(ctx: Ctx, words: str, written: str) -> int:
    first = re.match(r"\S+(?:\s+\S+)?\s+\S+", words)  # the kind's word and the name's first word
    if first is None:
        return len(words)
    stop = len(words)
    for lm in ctx.lex.label_regex.finditer(words, first.end()):
        if lm.start() > first.end() and words[lm.start() - 1] == " ":
            stop = lm.start()
            break
    # "Lĩnh vực Tài nguyên và Môi trường là lĩnh vực có …"; "đạt" and "đất" fold alike: the word as written decides
    for vm in _PREDICATE.finditer(words, first.end(), stop):
        word = written[vm.start():vm.end()].strip().lower()
        if word in _PREDICATE_WORDS or word.isascii():
            stop = vm.start()
            break
    if stop == len(words):
        return len(words)
    return len(_TRAILING_VERB.sub("", words[:stop]))


def _head_span(ctx: Ctx, node: Node) -> tuple[int, int]:
    """The naming words of a block: up to its first colon or figure, within reach."""
    start = node.body_start
    end = min(node.head_end if node.kind == "item" else node.end, start + _HEAD_REACH)
    text = ctx.folded
    colon = text.find(":", start, end)
    if colon >= 0 and not (node.kind == "item" and node.is_heading and text[colon + 1:end].strip()
                           and not any(_counts(q) for q in ctx.between(start, end))):
        end = colon  # … but a title goes on past its colon ("1. Nhóm thủ tục liên thông: đăng ký khai sinh – …")
    for q in ctx.between(start, end):
        if _counts(q):
            end = q.start
            break
    return start, end


_SIBLING_TITLE_WORDS = 8
_BRACKETED = re.compile(r"\([^()]*\)")


def _kinds_by_bullet(ctx: Ctx, node: Node) -> set[int]:
    """"+ Đăng ký biến động (chuyển nhượng, …): 1.103 hồ sơ, trong đó …⏎+ Đăng ký thế chấp: 725 hồ sơ, …": sibling
    bullets, two or more, each opening with a name the lexicon does not read as a figure, a colon and a count,
    are each about the kind they name (the ids of such bullets)."""
    f, found = ctx.folded, []
    for child in node.children:
        if child.kind != "item" or child.is_heading:
            continue
        s = skip_marks(f, child.body_start)
        colon = f.find(":", s, min(child.end, s + _LEAD_MAX))
        if colon < 0 or "\n" in f[s:colon] or ctx.between(s, colon):
            continue
        first = next((q for q in ctx.between(colon, child.end) if _counts(q)), None)
        # (the lexicon's labels, the dearest test, last)
        if first is not None and not f[colon + 1:first.start].strip() and not ctx.lex.label_regex.search(f, s, colon):
            found.append(id(child))
    return set(found) if len(found) >= 2 else set()


def _named_siblings(ctx: Ctx, node: Node) -> set[int]:
    """"a) Tư pháp - Hộ tịch⏎Tiếp nhận 713 hồ sơ; …⏎b) Tài nguyên và Môi trường⏎Tiếp nhận 2.134 hồ sơ; …": sibling
    headings of one style, each a short name the reader does not know followed by its own figures, name whose
    figures they are, one apiece (the ids of such headings; none when fewer than two)."""
    found: dict[str, list[int]] = {}
    for child in node.children:
        if child.kind != "item" or not child.is_heading:
            continue
        a, b = _head_span(ctx, child)
        words = re.sub(r"\([^)]*\)?", " ", ctx.folded[a:b]).split()  # "(đất đai, môi trường)" says what it holds
        kind = (classify(ctx, a, b) or ("topic",))[0]
        if kind == "other" and 0 < len(words) <= _SIBLING_TITLE_WORDS and b < child.end \
                and any(_counts(q) for q in ctx.between(b, child.end)):
            found.setdefault(child.style, []).append(id(child))
    return {i for ids in found.values() if len(ids) >= 2 for i in ids}


def _lead_of_its_line(ctx: Ctx, head_end: int) -> bool:
    """"1. Đăng ký lần đầu: tiếp nhận 3.124 hồ sơ, …": a numbered line whose name ends in a colon followed by what
    is counted on the same line names whose figures they are, like a lead; no section title."""
    f = ctx.folded
    if not f.startswith(":", head_end):
        return False
    line_end = f.find("\n", head_end)
    line_end = len(f) if line_end < 0 else line_end
    return ctx.lex.label_regex.match(f, skip_marks(f, head_end + 1)) is not None \
        and any(_counts(q) for q in ctx.between(head_end, line_end))


def _counts(q) -> bool:
    """A figure that counts something, not a date, a number of months ("2 tháng đầu năm"), a code, or
    the number of units a lead names ("- 09 Chi nhánh: tiếp nhận …", "Bộ phận Một cửa của 19 xã:")."""
    return (q.role in ("quantity", "numerator", "rank") or q.percent) and q.unit not in ("time", "units")


def _lead_only(ctx: Ctx, node: Node) -> bool:
    """A line that is only a label ending in a colon ("UBND cấp huyện:"), naming the list after it."""
    return _only_a_lead(ctx, node.body_start, node.end)


def _only_a_lead(ctx: Ctx, a: int, b: int) -> bool:
    body = ctx.text[a:b].strip()
    # "Quý I/2024:", "Tháng 7/2025:": a year or a date names the lead; a count would be its figure
    return body.endswith(":") and len(body) <= _LEAD_MAX and not any(_counts(q) for q in ctx.between(a, b))


def _lines(f: str, start: int, end: int):
    """(start, end) of each line between start and end."""
    pos = start
    while pos < end:
        line_end = f.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        yield pos, line_end
        pos = line_end + 1


def assign_scopes(ctx: Ctx) -> Scopes:
    sc = Scopes(ctx)
    reports = [(0, sc.root)] + _pasted_reports(ctx, sc)
    if len(reports) == 1:
        _walk(ctx, sc, ctx.tree, sc.root)
    else:  # each pasted report's blocks under its own unit
        for (begin, scope), (until, _) in zip(reports, reports[1:] + [(len(ctx.text), None)]):
            _walk(ctx, sc, replace(ctx.tree, children=[c for c in ctx.tree.children if begin <= c.start < until]), scope)
    first = ctx.tree.children[0] if ctx.tree.children else None
    if first is not None and first.kind == "paragraph" and first.start < ctx.line_starts[min(len(ctx.line_starts) - 1, 3)] \
            and not any(_counts(q) for q in ctx.between(first.start, first.end)):
        ctx.node_scope[id(first)] = sc.root  # the letterhead names the reporting unit: the document itself
    _leads(ctx)
    _openers(ctx, sc)
    return sc


_OWN_NUMBER_LINE = re.compile(r"^[ *]*s[o06b8e]\s*:\s*\d{1,5}\s*/\s*[a-z]", re.M)  # "Số: 51/BC-UBND"
_UNIT_BODY = re.compile(r"\W*(?:ubnd|uy ban nhan dan)\s+")
_LETTERHEAD_LINES = 6  # a letterhead's unit line stands this close above its "Số:"


def _pasted_reports(ctx: Ctx, sc: Scopes) -> list[tuple[int, Scope]]:
    """Reports pasted one after another into one file (a district's summary with its communes' reports
    attached, each with its letterhead "UBND XÃ AN HÒA … Số: 51/BC-UBND … BÁO CÁO"): where each letterhead after
    the file's own begins, and the unit it names, whose scope its figures are in."""
    f, out = ctx.folded, []
    own_end = ctx.line_starts[min(len(ctx.line_starts) - 1, HEADER_LINES)]
    for m in _OWN_NUMBER_LINE.finditer(f, own_end):
        unit = None
        line = m.start()
        for _ in range(_LETTERHEAD_LINES):
            if line == 0:
                break
            line = f.rfind("\n", 0, line - 1) + 1
            body = f[line:f.find("\n", line)]
            um = ctx.lex.unit_line.match(body, ub.end() if (ub := _UNIT_BODY.match(body)) else 0)
            if um is not None and ctx.text[line:line + len(body)].strip(" *").split("  ")[0].isupper():
                unit = unit or (line, line + um.start(1), line + um.end(1))
                begin = line
        if unit is not None and (not out or out[-1][0] < begin):
            label = " ".join(ctx.text[unit[1]:unit[2]].split())
            out.append((begin, sc.new(sc.root, "unit", normal_name(f[unit[1]:unit[2]]), label.title(), unit[1], unit[2])))
    return out


def _walk(ctx: Ctx, sc: Scopes, node: Node, scope: Scope, announced: bool = False) -> None:
    previous = None  # the scope the item before opened, which a paragraph after it continues
    opened: list[Scope] = []  # the scopes the items just before opened, one each
    named = _named_siblings(ctx, node)
    kinds = _kinds_by_bullet(ctx, node)
    ctx.kind_items |= kinds
    for child in node.children:
        own = scope
        lead = _field_lead(ctx, child.body_start, child.end, announced or id(child) in kinds
                           or _lines_by_field(ctx, child.body_start, child.end)) \
            if child.kind in ("item", "paragraph") else None
        if lead is not None:
            # "Chia theo lĩnh vực:" over "- Hộ tịch (617): …": each line names a field the lexicon need not know
            own = _field_scope(ctx, sc, scope, *lead)
            ctx.field_lines.add(id(child))
        elif child.kind in ("item", "paragraph"):
            announced = False
            a, b = _head_span(ctx, child)
            if _names_scope(ctx, child, b):
                title = child.is_heading and not _lead_of_its_line(ctx, b) and id(child) not in named
                own = _with_period(ctx, sc, sc.of_words(scope, a, b, lead=True, title=title) or scope, b)
            elif child.kind == "paragraph" and previous is not None and not _names_another(ctx, child) \
                    and not _after_a_list_of_scopes(ctx, opened, child) and not _names_its_section(ctx, child, scope):
                own = previous  # "- Bộ phận Một cửa cấp xã đã tiếp nhận …" then "Tỷ lệ … trực tuyến …"
        ctx.node_scope[id(child)] = own
        if child.kind == "item":
            # a kind of dossier named only by its item ("- Đăng ký thường trú: 600 hồ sơ (…)") ends with it
            previous = own if own is not scope and not child.is_heading and id(child) not in kinds \
                and not (own.kind == "other" and _broken_down(ctx, child)) else None
            opened = opened + [own] if previous is not None else []
        elif child.kind != "paragraph":
            previous, opened = None, []
        announces = _announces_fields(ctx, child)
        _walk(ctx, sc, child, own, announces)
        announced = announced or announces


def _after_a_list_of_scopes(ctx: Ctx, opened: list[Scope], para: Node) -> bool:
    """"- Lĩnh vực Cư trú: …⏎- Lĩnh vực Hộ tịch: …⏎⏎Trong 1.937 hồ sơ …": prose after a blank line that ends a list of
    items, each about its own field or period ("- Năm 2021: …⏎- Năm 2022: …"), speaks for the section again, not for the
    last one. (After the items of two levels, "- Cấp huyện: …⏎- Cấp xã: …⏎⏎Tỷ lệ …" may still be the last level's.)"""
    if not ctx.text[para.body_start:para.body_start + 1].isupper():
        return False  # "quyết 1 hồ sơ; …" after a page's number: the item's sentence, carried over the page
    return len({s.id for s in opened}) >= 2 and all(s.kind in ("field", "period") for s in opened) and _BLANK_LINE_BEFORE.search(ctx.text, max(0, para.start - 40), para.start) is not None


_BLANK_LINE_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")


def _names_its_section(ctx: Ctx, para: Node, section: Scope) -> bool:
    """"2. Lĩnh vực đất đai" over "+ Chi nhánh khu vực I: …" … "+ Chi nhánh khu vực IV: …", then "Số hồ sơ đất đai giải
    quyết quá hạn là 77 hồ sơ, chiếm 0,84% … của lĩnh vực": a paragraph whose first sentence names its section's field
    again speaks for the field, not for the last item."""
    if section.kind != "field":
        return False
    field_word = dict(ctx.lex.units).get("fields")
    kind_word = field_word.match(section.name) if field_word is not None else None
    name = section.name[kind_word.end():].strip() if kind_word else section.name  # "dat dai" of "linh vuc dat dai"
    if len(name) < 3:
        return False
    first = ctx.folded[para.body_start:ctx.inline.sentence(para.body_start)[1]]
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", normal_name(first)) is not None


_SUBJECT_KINDS = ("field", "group", "level", "unit", "agency")
_PAREN_FIGURE = re.compile(r"\s*\(\s*[\d.,]+\s*(?:[a-z]{1,6}\s*)?\)\s*$")  # "(617)", "(617 hs)" closing a lead


def _with_period(ctx: Ctx, sc: Scopes, own: Scope, head_end: int) -> Scope:
    """"- Cấp huyện lũy kế 9 tháng tiếp nhận …" beside "- Cấp huyện quý III tiếp nhận …": a period named
    after the level or the unit a head opens with narrows it to that period."""
    if own.kind not in ("level", "unit", "agency", "field", "group") or not own.start < own.end < head_end:
        return own
    m = ctx.lex.scope_rx("period").search(ctx.folded, own.end, head_end)
    if m is None or ctx.folded[own.end:m.start()].strip(" ,"):
        return own  # only a period right after the name ("Cấp huyện lũy kế …"), not one further on
    label = " ".join(ctx.text[m.start():m.end()].split())
    return sc.new(own, "period", normal_name(m.group(0)), label, m.start(), m.end())


def _announces_fields(ctx: Ctx, node: Node) -> bool:
    """A block whose own words end by announcing lines by field ("Chia theo lĩnh vực:", "4. Theo lĩnh vực")."""
    if node.kind not in ("item", "paragraph", "heading", "section"):
        return False
    end = node.children[0].start if node.children and node.children[0].start < node.end else node.end
    own = ctx.folded[max(node.body_start, end - 80):end]
    return ctx.lex.field_announcement.search(own.rstrip()) is not None


def _field_lead(ctx: Ctx, start: int, end: int, announced: bool) -> tuple[int, int] | None:
    """The name before the colon that opens a line ("Hộ tịch: …" after "Chia theo lĩnh vực:", or anywhere
    "Chứng thực (505): …", a name with its total in brackets), without the bracketed total; None when
    the line opens otherwise, or its lead names a level, a unit, a period … (those open their own scopes)."""
    f = ctx.folded
    s = _skip_numbering(ctx.text, skip_marks(f, start))
    colon = f.find(":", s, min(end, s + _LEAD_MAX))
    if colon < 0 or "\n" in f[s:colon]:
        return None
    paren = _PAREN_FIGURE.search(f, s, colon)
    if paren is None and not announced:
        return None
    stop = paren.start() if paren else colon
    # (a bracket after the name says what it holds: "Đăng ký biến động (chuyển nhượng, tặng cho, thừa kế):")
    words = [w for w in _BRACKETED.sub(" ", f[s:stop]).split() if any(ch.isalpha() for ch in w)]
    if not 1 <= len(words) <= _FIELD_WORDS or any(ch.isdigit() for ch in f[s:stop]) or ctx.between(s, stop):
        return None
    found = classify(ctx, s, stop)
    if found is not None and found[0] not in ("topic", "other", "field"):
        return None
    return s, stop


def _lines_by_field(ctx: Ctx, start: int, end: int) -> bool:
    """Lines that each open with a name and a colon, then what is counted ("Tư pháp – Hộ tịch: tiếp nhận 168,
    đã giải quyết 163⏎Chứng thực: tiếp nhận 91, …"), two or more in a block: lines by field, announced or not."""
    f, found = ctx.folded, 0
    if f.count(":", start, end) < 2 or "\n" not in f[start:end]:
        return False
    for pos, line_end in _lines(f, start, end):
        lead = _field_lead(ctx, pos, line_end, True)
        if lead is not None:
            colon = f.find(":", lead[1], line_end)
            if colon >= 0 and ctx.lex.label_regex.match(f, skip_marks(f, colon + 1)) \
                    and not ctx.lex.label_regex.search(f, lead[0], lead[1]):
                found += 1
                if found == 2:
                    return True
    return False


def _field_scope(ctx: Ctx, sc: Scopes, parent: Scope, a: int, b: int) -> Scope:
    """The field a line's lead names, whether or not it writes "lĩnh vực" itself."""
    words = ctx.folded[a:b]
    name = normal_name(words if words.lstrip().startswith("linh vuc") else "linh vuc " + words)
    label = " ".join(ctx.text[a:b].split()).strip(" :;,.-–")
    return sc.new(parent, "field", name, label if label.lower().startswith("lĩnh vực") else f"lĩnh vực {label}", a, b)


def _names_another(ctx: Ctx, node: Node) -> bool:
    """Whether a paragraph names a level or a body before its first figure ("Hồ sơ giải quyết quá hạn
    cấp huyện là 37 hồ sơ" after the items of the district's offices): it speaks of that one, not of
    the last item above it."""
    first = next((q.start for q in ctx.between(node.body_start, node.end) if _counts(q)), None)
    if first is None:
        return False
    f = ctx.folded
    return ctx.lex.level_mention.search(f, node.body_start, first) is not None \
        or ctx.lex.subject.search(ctx.text, node.body_start, first) is not None


def _names_scope(ctx: Ctx, node: Node, head_end: int) -> bool:
    """Whether a block's first words name what it is about: a title ("2. Tại Bộ phận Một cửa …"), a
    lead before a colon ("Phường An Lạc: …"), a lead line ("UBND cấp huyện:"), or a sentence whose
    subject is a field, a level or a unit ("Lĩnh vực hộ tịch 723 hồ sơ", "Bộ phận Một cửa cấp xã đã
    tiếp nhận …"). Other sentences name no scope: their figures stay where they are."""
    if node.kind not in ("item", "paragraph"):
        return False
    if _lead_only(ctx, node):
        return True
    if ctx.folded.startswith(":", head_end):
        # "Cấp huyện: 44 nhân viên …" names a scope; "Thủ tục đang thực hiện: 396" only names its figure
        after = ctx.folded[head_end + 1:head_end + 12].lstrip()
        kind = (classify(ctx, node.body_start, head_end) or ("topic",))[0]
        return not after[:1].isdigit() or kind not in ("other", "topic") or kind == "other" and _broken_down(ctx, node)
    title_end = node.head_end if node.is_heading else node.end
    figures = [q for q in ctx.between(node.body_start, title_end) if _counts(q)]
    if node.kind == "item" and not figures:
        return True
    found = classify(ctx, node.body_start, head_end)
    start = node.body_start + len(ctx.folded[node.body_start:head_end]) - len(ctx.folded[node.body_start:head_end].lstrip(" *-"))
    om = ctx.lex.opener.match(ctx.folded, start)
    # "Toàn tỉnh tiếp nhận …" after the items of the levels: the whole again, not the last item's level
    return found is not None and found[0] in _SUBJECT_KINDS + ("whole",) and found[2] in (start, om.end() if om else start)


def _broken_down(ctx: Ctx, node: Node) -> bool:
    """An item that breaks its own figure down in brackets ("- Đăng ký thường trú: 600 hồ sơ (trực
    tuyến 550, trực tiếp 50)"): the name before the colon is a kind of its own, and the figures in the
    brackets are that kind's, apart from its siblings'."""
    if node.kind != "item":
        return False
    end = min(node.children[0].start if node.children else node.end, ctx.inline.sentence(node.body_start)[1])
    return any(len([q for q in ctx.between(a, b) if _counts(q)]) >= 2 for a, b in ctx.inline.asides_in(node.body_start, end))


def _leads(ctx: Ctx) -> None:
    """A lead line ("UBND cấp huyện:") names the run of items that follows it, whatever their nesting:
    the items of the style of the first one after it, at its depth, until another lead or another kind
    of line."""
    nodes = ctx.nodes
    for i, lead in enumerate(nodes):
        if not _lead_only(ctx, lead):
            continue
        scope = ctx.node_scope[id(lead)]
        context = ctx.node_scope.get(id(lead.parent), ctx.report.scopes[0]) if lead.parent else ctx.report.scopes[0]
        if scope is context or scope.parent is not context:
            continue
        first = next((n for n in nodes[i + 1:i + 2] if n.kind == "item"), None)
        if first is None or first.parent is lead:
            continue  # nothing after it, or its list is nested under it already
        style, depth, current = first.style, first.depth(), None
        for n in nodes[i + 1:]:
            if current is not None and any(a is current for a in n.ancestors()):
                pass
            elif n.kind == "item" and n.style == style and n.depth() == depth and not _lead_only(ctx, n):
                current = n
            else:
                break
            if ctx.node_scope.get(id(n)) is context:
                ctx.node_scope[id(n)] = scope


def _openers(ctx: Ctx, sc: Scopes) -> None:
    """Narrower scopes inside a block: a lead "Cấp xã: …", a clause opened by "Riêng tháng 01 …",
    "Tại Bộ phận …", and an aside about another period "(năm 2022: 7 đơn vị)"."""
    inline, f, lex = ctx.inline, ctx.folded, ctx.lex
    for node in ctx.nodes:
        if node.kind == "table" or not ctx.between(node.body_start, node.end):
            continue  # scopes matter only where there are figures
        base = ctx.node_scope.get(id(node), sc.root)
        spans: list[tuple[int, int, Scope]] = []
        # the block's own text: its sub-items are blocks of their own (reading their text here too made
        # the pass quadratic in the depth of the outline)
        end = node.children[0].start if node.children and node.children[0].start < node.end else node.end
        body_start = node.body_start
        if end <= body_start:
            continue
        if (base.kind == "other" or id(node) in ctx.kind_items) and base.parent is not None and _broken_down(ctx, node):
            # "- Đăng ký tạm trú: 900 hồ sơ (…).⏎Số hồ sơ nộp trực tuyến là …": the kind its item names is
            # its first sentence's; a sentence run on after it speaks of the whole again
            first_end = inline.sentence(body_start)[1]
            if first_end < end:
                spans.append((first_end, end, base.parent))
        spans += _clause_openers(ctx, sc, base, body_start, end)
        spans += _period_openers(ctx, sc, base, body_start, end)
        spans += _other_time_before(ctx, sc, base, body_start, end) + _compared_asides(ctx, sc, base, body_start, end)
        spans += _wholes_again(ctx, sc, base, node, body_start, end)
        # lead labels inside a block: "- Cấp sở, ban, ngành: tỷ lệ …", "Lũy kế 2 tháng: …", "…; Lĩnh vực X: a/b",
        # "… đạt tỷ lệ cao: Lĩnh vực Tư pháp: 596/605 hồ sơ; …"
        colons = [i + 1 for i in _all_colons(f, body_start, end)]
        for cut in sorted(set([body_start] + within(inline.sentence_cuts, body_start, end)
                              + within(inline.clause_cuts, body_start, end) + colons)):
            s = skip_marks(f, cut)
            colon = f.find(":", s, min(end, s + _LEAD_MAX))
            if colon < 0 or any(_counts(q) for q in ctx.between(s, colon)):
                continue
            if node.kind == "item" and s <= body_start + 1:
                continue  # the item's own head: its scope already
            scope = sc.of_words(base, s, colon, lead=True)
            if scope is not None and scope.kind != "other":
                whole = cut == body_start or cut in inline.sentence_cuts and cut not in colons
                reach = inline.sentence(colon)[1] if whole else inline.clause(colon)[1]
                spans.append((s, min(reach, end), scope))
        spans += _field_list(ctx, sc, base, body_start, end)
        spans += _field_lines(ctx, sc, base, body_start, end, id(node) in ctx.field_lines)
        # a level or a unit named inside a clause: "tỷ lệ đúng hạn của cấp huyện (82.92%)", "… 9.127 hồ sơ
        # ở cấp xã", "Đơn vị nhiều nhất: phường Tân Mỹ với 1.204 hồ sơ"
        head = _head_span(ctx, node)[1] if ctx.node_scope.get(id(node)) is not ctx.node_scope.get(id(node.parent)) else body_start
        mentions = list(_mentions(ctx, sc, base, head, end))
        per_sentence: dict[int, int] = {}
        for _, s, _ in mentions:
            key = inline.sentence(s)[0]
            per_sentence[key] = per_sentence.get(key, 0) + 1
        for scope, s, e in mentions:
            clause_start, clause_end = inline.clause(s)
            figures_before = [q for q in ctx.between(clause_start, s) if q.role in ("quantity", "numerator")]
            if len(figures_before) >= 2 and figures_before[-1].unit == "units" and not f[figures_before[-1].end:s].strip():
                continue  # "500 hồ sơ mới của 7 sở, ngành (…)": the units counted for the figure before, no scope after
            a = clause_start if lex.level_after.match(f, max(clause_start, s - 4), s) and figures_before else s
            alone = per_sentence[inline.sentence(s)[0]] == 1
            if alone and f[max(0, s - 4):s].rstrip().endswith(":"):
                # "Dẫn đầu về nộp trực tuyến: xã Tân Lập, 298/300 hồ sơ …; chỉ 2 hồ sơ nộp trực tiếp": the
                # unit a lead introduces is what the rest of its sentence speaks of
                clause_end = inline.sentence(s)[1]
            spans.append((a, min(clause_end, end), scope))
        spans += _other_time_asides(ctx, sc, base, body_start, end) + _subset_sentences(ctx, sc, base, node, body_start, end) \
            + _stage_sentences(ctx, sc, base, body_start, end)
        spans += _subjects(ctx, sc, base, body_start, end) + _qualified_figures(ctx, sc, base, body_start, end)
        if spans:
            ctx.sub_spans[id(node)] = _nested(ctx, sc, _closed_by_brackets(ctx, spans))


def _closed_by_brackets(ctx: Ctx, spans: list[tuple[int, int, Scope]]) -> list[tuple[int, int, Scope]]:
    """A scope opened inside brackets closes with them: "(cấp huyện: 1.482 hồ sơ; cấp xã: 9.028 hồ sơ), đã
    giải quyết 10.002 hồ sơ" - the resolved are the whole's again."""
    out = []
    for a, b, scope in spans:
        aside = ctx.inline.aside(a)
        out.append((a, min(b, aside[1]) if aside is not None else b, scope))
    return out


def _wholes_again(ctx: Ctx, sc: Scopes, base: Scope, node: Node, body_start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"Như vậy, tổng số …" after the items of a list: the scope around the list; "Tính chung toàn huyện, …"
    closing the section of the last level: the whole itself. ("Toàn tỉnh tiếp nhận …" in a commune's report is the
    province's: a subject, read by _subjects.)"""
    f, inline = ctx.folded, ctx.inline
    around = ctx.node_scope.get(id(node.parent), sc.root) if node.parent is not None else sc.root
    # a paragraph set under the last item of a list ("c) Đăng ký khai tử: …⏎⏎Tổng cộng tháng 11 xã tiếp nhận …"): the
    # scope around the list, from its first sentence on
    after_items = node.kind == "paragraph" and node.parent is not None and node.parent.kind == "item" \
        and node.parent.parent is not None
    if after_items:
        around = ctx.node_scope.get(id(node.parent.parent), sc.root)
    whole = ctx.lex.scope_rx("whole")
    spans = []
    for cut in [body_start] + within(inline.sentence_cuts, body_start, end):
        s = skip_marks(f, cut)
        opener = ctx.lex.summary_opener.match(f, s)
        named_whole = whole.match(f, skip_marks(f, opener.end()) if opener else s)
        own_whole = named_whole is not None and base.kind in _SUBJECT_KINDS and \
            _levels_named(named_whole.group(0)) == [ctx.report.header.level]  # "toàn huyện" in a district's report
        if own_whole:
            spans.append((s, min(inline.sentence(s)[1], end), sc.root))
        elif around is not base and (cut != body_start or after_items) and (opener or named_whole):
            # … and "Toàn tỉnh tiếp nhận …" closing the item of the last level: the whole again
            spans.append((s, min(inline.sentence(s)[1], end), around))
    return spans


def _subjects(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """A sentence whose subject is an agency or a named unit is that one's: "- Sở Tư pháp tiếp nhận …",
    "Công an huyện tiếp nhận mới 4.120 hồ sơ. Bảo hiểm xã hội huyện tiếp nhận …", "Thôn Bắc tiếp nhận …"."""
    out = []
    sentences = set(within(ctx.inline.sentence_cuts, start, end))
    # "Một số sở có số hồ sơ lớn: Sở Tư pháp 6.972 hồ sơ (…); Sở Xây dựng 5.580 hồ sơ (…)": each clause of a
    # list after a colon or a semicolon whose subject is a body is that body's
    listed = [c for c in within(ctx.inline.phrase_cuts, start, end) if ctx.text[c - 1:c] in (":", ";")]
    for cut in sorted({start} | sentences | set(listed)):
        s = _skip_numbering(ctx.text, skip_marks(ctx.folded, cut))
        lead = ctx.lex.breakdown.match(ctx.folded, s)
        if lead is not None and ctx.folded.startswith(",", lead.end()):
            s = skip_marks(ctx.folded, lead.end() + 1)  # "Trong đó, Phòng Tài nguyên và Môi trường tiếp nhận …"
        elif (opener := ctx.lex.discourse_opener.match(ctx.folded, s) or ctx.lex.subject_lead.match(ctx.folded, s)) is not None:
            s = opener.end()  # "Ngoài ra, Văn phòng Đăng ký đất đai chi nhánh … tiếp nhận …", "Hồ sơ của Sở Nội vụ là …"
        found = _subject(ctx, s, end) if s < end else None
        if found is None and s < end and (cut == start or cut in sentences):
            found = _unit_subject(ctx, s, end) or _higher_whole_subject(ctx, sc, base, s, end)
        if found is None:
            continue
        scope = sc.of_words(base, s, found[1], lead=True)
        if scope is not None and scope.kind != "other":
            until = ctx.inline.sentence(s)[1] if cut == start or cut in sentences else ctx.inline.clause(s)[1]
            out.append((s, min(until, end), scope))
    return out + _named_items(ctx, sc, base, [start] + listed, end) + _subject_clauses(ctx, sc, base, start, end) \
        + _lead_lines(ctx, sc, base, start, end)


def _higher_whole_subject(ctx: Ctx, sc: Scopes, base: Scope, s: int, end: int) -> tuple[int, int] | None:
    """"Trong tháng, toàn huyện tiếp nhận mới 5.412 hồ sơ" in a commune's report: the district as the subject."""
    wm = ctx.lex.scope_rx("whole").match(ctx.folded, s, end)
    if wm is None:
        return None
    found = classify(ctx, s, wm.end())
    return (s, wm.end()) if found is not None and found[0] == "whole" and sc.higher_whole(found[1]) else None


def _lead_lines(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"Đội Kê khai - Kế toán thuế:⏎    nhận 1.962 …⏎Đội Quản lý thuế thu nhập cá nhân:⏎    nhận 3.247 …" in one block:
    lines that are only a body's name and a colon each open that body's figures, to the next such line."""
    f = ctx.folded
    if f.count(":", start, end) < 2 or "\n" not in f[start:end]:
        return []
    leads = [(s, _subject(ctx, s, line_end) or _named_lead(ctx, s, line_end)) for pos, line_end in _lines(f, start, end)
             if _only_a_lead(ctx, pos, line_end) for s in (skip_marks(f, pos),)]
    if sum(1 for _, found in leads if found is not None) < 2:
        return []
    out = []
    # (the block's scope may be its first lead's own: the leads are siblings under what holds the block)
    holder = base.parent if base.parent is not None and base.start >= start else base
    for (s, found), (nxt, _) in zip(leads, leads[1:] + [(end, None)]):
        scope = sc.of_words(holder, s, found[1], lead=True) if found is not None else None
        if scope is not None and scope.kind != "other":
            out.append((s, nxt, scope))
    return out


def _named_lead(ctx: Ctx, s: int, line_end: int) -> tuple[str, int] | None:
    """A line "Cấp huyện:", "Lĩnh vực Đất đai:" that names a level, a unit, an agency, a group or a field."""
    colon = ctx.folded.rfind(":", s, line_end)
    found = classify(ctx, s, colon) if colon > s else None
    return (found[1], colon) if found is not None and found[0] in ("level", "unit", "agency", "group", "field") else None


_SUBJECT_WORDS = (2, 6)  # "Đăng ký thường trú 2.698 hồ sơ": a subject this long before its count


def _subject_clauses(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"Đăng ký thường trú 2.698 hồ sơ, trong đó trực tuyến 2.574 hồ sơ; đăng ký tạm trú 10.460 hồ sơ, trong đó
    …": clauses of one sentence that each open with words naming what they count (no label, no known scope)
    are each their own, when two or more do: the figures of two procedures are not one figure twice."""
    f, inline = ctx.folded, ctx.inline
    out = []
    for s0 in [start] + within(inline.sentence_cuts, start, end):
        s_end = min(inline.sentence(s0)[1], end)
        if ";" not in ctx.text[s0:s_end]:
            continue
        cuts = [s0] + [c for c in within(inline.phrase_cuts, s0, s_end) if ctx.text[c - 1:c] == ";"]
        found = []
        for cut in cuts:
            s = skip_marks(f, cut)
            stop = min(inline.clause(s)[1], s_end)
            first = next((q for q in ctx.between(s, stop) if _counts(q)), None)
            words = f[s:first.start].split() if first is not None else []
            if not _SUBJECT_WORDS[0] <= len(words) <= _SUBJECT_WORDS[1] or any(w[0].isdigit() or ":" in w for w in words) \
                    or ctx.lex.label_regex.search(f, s, first.start) or ctx.lex.breakdown.match(f, s) \
                    or (classify(ctx, s, first.start) or ("other",))[0] != "other":
                continue
            found.append((s, stop, " ".join(ctx.text[s:first.start].split())))
        if len(found) >= 2:
            out += [(a, b, sc.new(base, "group", normal_name(fold(name)), name, a, a + len(name))) for a, b, name in found]
    return out


def _named_items(ctx: Ctx, sc: Scopes, base: Scope, cuts: list[int], end: int) -> list[tuple[int, int, Scope]]:
    """"… tại các xã (373 hồ sơ, trực tuyến 300): Tân Lập 120 (trực tuyến 100); An Hòa 253 (…)": clauses of
    a list that each open with a proper name and its figure are each that one's, when two or more do.
    A name is capitalised words that the lexicon does not read as a label ("Trực tuyến 300" is one)."""
    found = []
    for cut in cuts:
        s = skip_marks(ctx.folded, cut)
        stop = min(ctx.inline.clause(s)[1], end)
        first = next((q for q in ctx.between(s, stop) if _counts(q)), None)
        if first is None:
            continue
        words = ctx.text[s:first.start].split()
        if not 1 <= len(words) <= 4 or not all(w.istitle() and w.isalpha() for w in words):
            continue
        kind = classify(ctx, s, first.start)
        if kind is not None and kind[0] not in ("other",) or ctx.lex.label_regex.search(ctx.folded, s, first.start):
            continue
        found.append((s, stop, " ".join(words)))
    if len(found) < 2:
        return []
    return [(a, b, sc.new(base, "row", normal_name(fold(name)), name, a, a + len(name))) for a, b, name in found]


def _unit_subject(ctx: Ctx, s: int, end: int) -> tuple[str, int] | None:
    """A sentence that opens with a named unit, a field or a group of procedures ("Thôn Bắc tiếp nhận 412 hồ
    sơ; …", "Trong đó, lĩnh vực Đất đai tiếp nhận nhiều nhất với …", "Hai nhóm thủ tục liên thông tiếp nhận
    2.905 hồ sơ: …"): its name and where it ends, when something is said of it before any figure."""
    stop = min(ctx.inline.sentence(s)[1], end)
    first = next((q.start for q in ctx.between(s, stop) if _counts(q)), stop)
    found = classify(ctx, s, first) if first > s else None
    if found is None or found[0] not in ("unit", "group", "field"):
        return None
    counted = ctx.lex.count_words.match(ctx.folded, s)
    if found[2] != s and not (found[0] == "group" and counted is not None and counted.end() == found[2]):
        return None
    return found[1], found[3]


_NESTED_MAX = 64


def _nested(ctx: Ctx, sc: Scopes, spans: list[tuple[int, int, Scope]]) -> list[tuple[int, int, Scope]]:
    """A span inside another of the block speaks of a part of it: "Tính từ đầu năm, cấp xã tiếp nhận …"
    is the commune level over the year so far, not over the report's period (and the other way round)."""
    if len(spans) > _NESTED_MAX:
        return spans  # a block of hundreds of narrower spans is a list, not a sentence about a period (and pairs are quadratic)
    out = []
    for a, b, s in spans:
        sentence = ctx.inline.sentence(a)[0]
        around = [(a2, b2, s2) for a2, b2, s2 in spans if a2 <= a and b <= b2 and (a2, b2) != (a, b)
                  and ctx.inline.sentence(a2)[0] == sentence]
        # "… cấp xã" inside "Tính từ đầu năm, …" of the commune level's section names the section again
        narrower = [s2 for _, _, s2 in around if s in s2.chain()[:-1]]
        outer = [(a2, b2, s2) for a2, b2, s2 in around
                 if (s2.kind == "period") != (s.kind == "period") and s2.parent is s.parent]
        if narrower:
            s = narrower[0]
        elif outer:
            _, _, wide = min(outer, key=lambda sp: sp[1] - sp[0])
            s = sc.new(wide, s.kind, s.name, s.label, s.start, s.end)
        out.append((a, b, s))
    return out


def _clause_openers(ctx: Ctx, sc: Scopes, base: Scope, body_start: int, end: int) -> list[tuple[int, int, Scope]]:
    """Clause openers, and phrase openers after a comma: "Riêng tháng 01 …", "Tại Bộ phận …", "…, trong
    đó riêng quý III tiếp nhận …"."""
    inline, f, lex = ctx.inline, ctx.folded, ctx.lex
    spans: list[tuple[int, int, Scope]] = []
    clause_cuts = set([body_start] + within(inline.clause_cuts, body_start, end))
    sentences = {body_start} | set(within(inline.sentence_cuts, body_start, end))
    for cut in sorted(clause_cuts | set(within(inline.phrase_cuts, body_start, end))):
        m = lex.opener.match(f, cut) or lex.opener.match(f, skip_marks(f, cut))
        if not m:
            continue
        if cut not in clause_cuts and (inline.aside(cut) is not None or not _written_lower(ctx.text, m.start(), m.end())):
            continue  # after a comma only a lower-case "riêng", "tại" …: "(Tư pháp, Tài chính - Kế hoạch)" names fields
        a = m.end()
        # "Riêng Sở X, … 15 hồ sơ quá hạn; tỷ lệ … (2.099/2.114)": an opener that begins its sentence holds to its end
        b = min(inline.sentence(a)[1] if cut in sentences else inline.clause(a)[1], end)
        head_end = min(b, a + _HEAD_REACH)
        colon = f.find(":", a, head_end)
        first = next((q.start for q in ctx.between(a, head_end) if q.role in ("quantity", "numerator", "rank")), head_end)
        words_end = min(first, colon if colon >= 0 else head_end)
        scope = sc.of_words(base, a, words_end, lead=False)
        if (scope is None or scope.kind == "other") and "rieng" in m.group(0) and f[a:words_end].strip():
            # "Riêng hồ sơ trực tuyến, tỷ lệ … (262/279)": "riêng" sets apart a part the reader cannot name
            label = " ".join(ctx.text[a:words_end].split()).strip(" ,:")
            scope = sc.new(base, "other", normal_name(f[a:words_end])[:60], label[:80], a, words_end)
            spans.append((m.start(), b, scope))
        elif scope is not None and scope.kind != "other":
            spans.append((m.start(), b, scope))
    return spans + _field_clauses(ctx, sc, base, sorted(clause_cuts - {body_start}), end)


def _field_clauses(ctx: Ctx, sc: Scopes, base: Scope, cuts: list[int], end: int) -> list[tuple[int, int, Scope]]:
    """"Riêng lĩnh vực đất đai, tỷ lệ … (11.903/14.218 hồ sơ); lĩnh vực môi trường tiếp nhận 412 hồ sơ": a clause
    after a ";" that opens with a field's name is that field's."""
    f, field = ctx.folded, ctx.lex.scope_rx("field")
    holder = base.parent if base.kind == "field" and base.parent is not None else base  # a field is no field's part
    spans = []
    for cut in cuts:
        s = skip_marks(f, cut)
        if f[cut - 1:cut] != ";" and not f[max(0, s - 2):s].strip().endswith(";") or not field.match(f, s):
            continue
        b = min(ctx.inline.clause(s)[1], end)
        first = next((q.start for q in ctx.between(s, b) if q.role in ("quantity", "numerator")), b)
        scope = sc.of_words(holder, s, first, lead=False)
        if scope is not None and scope.kind == "field":
            spans.append((s, b, scope))
    return spans


def _written_lower(text: str, a: int, b: int) -> bool:
    word = text[a:b].strip()
    return bool(word) and word[0].islower()


def _other_time_asides(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """Asides about another period: "(năm 2022: 7 đơn vị; tăng 7 đơn vị)", "(khi đó xếp thứ 8)"."""
    f, out = ctx.folded, []
    for a, b in ctx.inline.asides_in(start, end):
        m = ctx.lex.aside_other_time.match(f, a + 1)
        if m:
            name = " ".join(f[a + 1:a + 1 + len(m.group(0))].split())
            reach = a
            if not f[m.end():b].strip(" .,"):  # "từ 2.915 hồ sơ (quý I)": the aside names the figure's period
                before = [q for q in ctx.between(max(start, a - 40), a)]
                if before and not re.search(r"[,;:.(]", f[before[-1].end:a]):
                    reach = before[-1].start
            out.append((reach, b + 1, sc.new(base, "period", name, ctx.text[a + 1:a + 1 + len(m.group(0))].strip(), a, b)))
    return out


def _period_openers(ctx: Ctx, sc: Scopes, base: Scope, body_start: int, end: int) -> list[tuple[int, int, Scope]]:
    """A sentence opening with a period: "Trong tháng 9, …", "6 tháng đầu năm 2024, …", "Quý II năm 2024, …"."""
    inline, f, lex = ctx.inline, ctx.folded, ctx.lex
    spans: list[tuple[int, int, Scope]] = []
    period = lex.scope_rx("period")
    # … and a clause after ";" ("Tháng 7 tiếp nhận mới 412 hồ sơ; tháng 8 tiếp nhận mới 389 hồ sơ")
    clauses = set([body_start] + within(inline.sentence_cuts, body_start, end) + within(inline.clause_cuts, body_start, end)
                  + _title_line_ends(ctx, body_start, end))
    # … and a phrase after a comma or a colon naming a numbered period ("…, trong đó: tháng 7 tiếp nhận
    # 409 hồ sơ, tháng 8 tiếp nhận 421 hồ sơ", "Trong đó, Quý III tiếp nhận …")
    phrases = {c for c in within(inline.phrase_cuts, body_start, end) if ctx.text[c - 1:c] in (",", ":")} - clauses
    # … and the last of such a list, after "và" ("…, tháng 11 tiếp nhận 250 hồ sơ và tháng 12 tiếp nhận 350 hồ sơ")
    phrases |= {m.end() for m in lex.period_list_join.finditer(f, body_start, end)} - clauses
    for cut in sorted(clauses | phrases):
        s = skip_marks(f, cut)
        m = lex.period_opener.match(f, s)
        pm = period.match(f, m.end()) if m else None
        numbered = pm is not None and lex.numbered_period.search(f, pm.start(), pm.end()) is not None
        if pm and (numbered or cut in clauses and f[pm.end():pm.end() + 16].lstrip(" 0123456789/").startswith((",", ":"))):
            label = " ".join(ctx.text[pm.start():pm.end()].split())
            scope = sc.new(base, "period", normal_name(f[pm.start():pm.end()]), label, pm.start(), pm.end())
            reach = inline.sentence(s)[1] if cut in clauses else inline.clause(s)[1]
            if _listed_period(ctx, period, pm):
                reach = inline.clause(s)[1]  # "Tháng 10 tiếp nhận …; tháng 11 tiếp nhận …": one of a list, its clause
            elif cut == body_start and not lex.sentence_period_opener.match(f, s) and not lex.sentence_period.match(f, pm.start()):
                reach = end  # the block's own period: later openers in it narrow it again
            aside = inline.aside(max(s, reach - 1)) if reach < end else None
            if aside is not None and aside[0] > s:
                # "Lũy kế 9 tháng, tiếp nhận 5.491 (6 tháng đầu năm 3.412; quý III 2.079), đã giải quyết 5.534": a ";"
                # inside a bracket ends no clause of the words around it
                reach = inline.clause(min(aside[1] + 1, end - 1))[1]
            spans.append((s, min(reach, end), scope))
    return spans


def _title_line_ends(ctx: Ctx, start: int, end: int) -> list[int]:
    """Line starts after a title line of the block ("Tiếp nhận, giải quyết hồ sơ TTHC⏎Trong 05 năm, …"): a short
    line with no closing mark before a line that opens with a capital starts a sentence of its own."""
    text, out = ctx.text, []
    pos = text.find("\n", start, end)
    line_start = start
    while pos >= 0:
        line = text[line_start:pos].strip()
        nxt = text[pos + 1:pos + 2]
        if line and len(line) <= _TITLE_LINE and line[-1] not in ".,;:" and nxt.isupper():
            out.append(pos + 1)
        line_start, pos = pos + 1, text.find("\n", pos + 1, end)
    return out


_TITLE_LINE = 90  # a title fits one line


def _listed_period(ctx: Ctx, period, pm) -> bool:
    """Whether a numbered period opens the first of clauses that each open with another ("Tháng 10 tiếp nhận
    484 hồ sơ; tháng 11 …"): each period holds for its own clause."""
    f, inline = ctx.folded, ctx.inline
    clause_end, sentence_end = inline.clause(pm.start())[1], inline.sentence(pm.start())[1]
    if clause_end >= sentence_end:
        return False
    nxt = period.match(f, skip_marks(f, clause_end + 1))
    return nxt is not None and ctx.lex.numbered_period.search(f, nxt.start(), nxt.end()) is not None


_OTHER_TIME_GAP = 30  # "… cùng kỳ năm 2023 là 8.583 hồ sơ": the other period stands this close before its figure


def _other_time_before(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """Another period named inside a clause right before a figure: "Tổng số hồ sơ mới tiếp nhận cùng kỳ
    năm 2023 là 8.583 hồ sơ" is last year's figure, not the report's."""
    f, out = ctx.folded, []
    for m in ctx.lex.other_time.finditer(f, start, end):
        aside = ctx.inline.aside(m.start())
        if aside is not None and ctx.lex.aside_other_time.match(f, aside[0] + 1):
            continue  # "(cùng kỳ năm 2023: …)": an aside of its own (_other_time_asides)
        clause_end = min(ctx.inline.clause(m.start())[1], end)
        near = min(clause_end, m.end() + _OTHER_TIME_GAP + 1)  # only the figure right after (a long clause costs nothing)
        after = next((q for q in ctx.between(m.end(), near) if q.role in ("quantity", "numerator")), None)
        if after is None or after.start - m.end() > _OTHER_TIME_GAP or re.search(r"[,;:(]", f[m.end():after.start]):
            continue
        label = " ".join(ctx.text[m.start():m.end()].split())
        out.append((m.start(), clause_end, sc.new(base, "period", normal_name(f[m.start():m.end()]), label, m.start(), m.end())))
    return out


def _compared_asides(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"So với 6 tháng đầu năm (tiếp nhận mới 75.601 hồ sơ, trực tuyến 62.748 hồ sơ), …": a bracket right after the
    period a comparison names holds that period's figures."""
    f, out = ctx.folded, []
    if "(" not in f[start:end]:
        return out
    period = ctx.lex.scope_rx("period")
    for a, b in ctx.inline.asides_in(start, end):
        if not ctx.between(a, b):
            continue
        lo = max(start, a - 45)
        pm = next((m for m in period.finditer(f, lo, a) if not f[m.end():a].strip()), None)
        if pm is None or not ctx.lex.comparison_before.search(f, max(start, pm.start() - 16), pm.start()):
            continue
        label = " ".join(ctx.text[pm.start():pm.end()].split())
        out.append((a, b, sc.new(base, "period", normal_name(pm.group(0)), label, pm.start(), pm.end())))
    return out


def _subset_sentences(ctx: Ctx, sc: Scopes, base: Scope, node, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """A clause about some dossiers set apart (scopes.subset_sentences: those handed over by a merged unit)
    is theirs to its sentence's end, its figure before the words too: "Do hợp nhất …, có 12 hồ sơ được bàn
    giao và đã xử lý xong 12 hồ sơ". As a part of a whole ("gồm 68 hồ sơ tiếp nhận bàn giao và 1.100 hồ sơ
    mới", an item under "…, trong đó:") they are the whole's."""
    f, out = ctx.folded, []
    if node.kind == "item" and f[max(0, node.start - _LEAD_MAX):node.start].rstrip().endswith(":"):
        return out
    for m in ctx.lex.subset_sentence.finditer(f, start, end):
        s0, e = ctx.inline.sentence(m.start())
        if ctx.lex.breakdown.search(f, max(s0, start), m.start()) or ctx.lex.subset_with_own.search(f, s0, e):
            continue
        s = max(ctx.inline.clause(m.start())[0], start)
        label = " ".join(ctx.text[m.start():m.end()].split())
        out.append((s, min(e, end), sc.new(base, "group", normal_name(f[m.start():m.end()]), label, m.start(), m.end())))
    return out


def _stage_sentences(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """A sentence naming a stage of several years anywhere (scopes.stage_mentions: "… cả giai đoạn đạt 98,85%") is
    the stage's: a year's report sums up its stage beside the year's own figures."""
    out = []
    for m in ctx.lex.stage_mention.finditer(ctx.folded, start, end):
        if ctx.inline.aside(m.start()) is not None:
            continue  # "(cả giai đoạn: …)": an aside of its own
        s, e = ctx.inline.sentence(m.start())
        label = " ".join(ctx.text[m.start():m.end()].split())
        out.append((max(s, start), min(e, end), sc.new(base, "period", "giai doan", label, m.start(), m.end())))
    return out


def _qualified_figures(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"Đã giải quyết 270 hồ sơ liên thông", "… 95 hồ sơ thuộc lĩnh vực đất đai": a group or a field named right
    after a count's unit is what the count is of; its clause, from the figure's own words on, is that one's."""
    f, out = ctx.folded, []
    kinds = [(kind, rx) for kind, rx in ctx.lex.scope_kinds if kind in ("group", "field")]
    # the characters a group or a field can open with (or None: any), to skip the figures no name follows
    starts = ctx.lex.remember(("qualifier starts",), lambda: _first_chars_of([rx for _, rx in kinds]))
    prev_end = start
    for q in ctx.between(start, end):
        if q.role not in ("quantity", "numerator") or q.percent or q.unit != "dossiers":
            prev_end = q.end
            continue
        um = ctx.lex.any_unit.match(f, q.end)
        lead = ctx.lex.qualifier_lead.match(f, um.end()) if um is not None else None
        nxt = f[lead.end():lead.end() + 1] if lead is not None else ""
        if lead is None or starts is not None and nxt not in starts and not (nxt.isdigit() and ANY_DIGIT in starts):
            prev_end = q.end
            continue
        found = next(((kind, m) for kind, rx in kinds if (m := rx.match(f, lead.end()))), None)
        kind, m = found if found is not None else ("", None)
        if m is not None and m.start() < ctx.inline.clause(q.start)[1] and ctx.node_at(m.start()) is ctx.node_at(q.start):
            stop = min(m.end(), ctx.inline.phrase(m.start())[1])
            name = normal_name(f[m.start():stop])
            if name and not (base.kind == kind and name in base.name):  # "77 hồ sơ liên thông" under "Liên thông …"
                clause = ctx.inline.clause(q.start)
                scope = sc.new(base, kind, name, " ".join(ctx.text[m.start():stop].split()), m.start(), stop)
                out.append((max(clause[0], prev_end, start), min(clause[1], end), scope))
        prev_end = q.end
    return out


def _first_chars_of(patterns: list) -> frozenset[str] | None:
    chars: set[str] = set()
    for rx in patterns:
        got = first_chars(rx.pattern, digits=True)
        if got is None:
            return None
        chars |= got
    return frozenset(chars)


def _all_colons(f: str, start: int, end: int) -> list[int]:
    out, i = [], f.find(":", start, end)
    while i >= 0:
        out.append(i)
        i = f.find(":", i + 1, end)
    return out


def _field_list(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int) -> list[tuple[int, int, Scope]]:
    """"… theo lĩnh vực: Tư pháp: 700/700 hồ sơ; Nội vụ: 390/390 …": after a list of fields opens, each
    clause's lead names a field."""
    f, inline, out = ctx.folded, ctx.inline, []
    for m in ctx.lex.field_list.finditer(f, start, end):
        s_end = min(inline.sentence(m.start())[1], end)
        cuts = [m.end()] + within(inline.clause_cuts, m.end(), s_end) + [s_end]
        for a, b in zip(cuts, cuts[1:]):
            s = skip_marks(f, a)
            colon = f.find(":", s, min(b, s + _LEAD_MAX))
            if colon < 0:
                colon = _name_before_figure(ctx, s, b)  # "… theo lĩnh vực: Hộ tịch 118; Chứng thực 74; …"
            if colon < 0 or colon - s < 2 or any(q.role in ("quantity", "numerator") for q in ctx.between(s, colon)):
                continue
            name = normal_name("linh vuc " + f[s:colon])
            label = " ".join(ctx.text[s:colon].split())
            out.append((s, b, sc.new(base, "field", name, f"lĩnh vực {label}", s, colon)))
    return out


def _name_before_figure(ctx: Ctx, s: int, b: int) -> int:
    """Where a list item's name ends when a figure follows it directly ("Hộ tịch 118"): the figure's start, if the
    words before it name no figure; -1 otherwise."""
    first = next((q for q in ctx.between(s, b) if q.role in ("quantity", "numerator")), None)
    if first is None or first.start - s > _LEAD_MAX:
        return -1
    words = ctx.folded[s:first.start].strip()
    if not words or any(ch.isdigit() for ch in words) or ctx.lex.candidates(words):
        return -1
    return s + len(ctx.folded[s:first.start].rstrip())


def _field_lines(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int, announced: bool) -> list[tuple[int, int, Scope]]:
    """The lines after the first of a block that open with a field's name ("Hộ tịch: …;⏎Chứng thực: …"
    after "Theo lĩnh vực:", or "Chứng thực (505): …" anywhere): each line its own field's, to its end."""
    out = []
    pos = ctx.text.find("\n", start, end)
    # "4. Theo lĩnh vực:⏎Hộ tịch: …⏎Chứng thực: …" as one block: its first line announces the lines after it
    announced = announced or pos >= 0 and ctx.lex.field_announcement.search(ctx.folded[start:pos].rstrip()) is not None \
        or _lines_by_field(ctx, start, end)
    while pos >= 0:
        line_end = ctx.text.find("\n", pos + 1, end)
        stop = line_end if line_end >= 0 else end
        lead = _field_lead(ctx, pos + 1, stop, announced)
        if lead is not None:
            item = ctx.node_at(lead[0])
            if item is not None and item.kind == "item" and ctx.text.rfind("\n", 0, item.start) + 1 == pos + 1:
                stop = max(stop, min(item.end, end))  # "4. Lao động - …: tiếp nhận 231, …" wrapped onto the lines after
            out.append((lead[0], stop, _field_scope(ctx, sc, base, *lead)))
        pos = line_end
    return out


def _mentions(ctx: Ctx, sc: Scopes, base: Scope, start: int, end: int):
    """Levels and units named anywhere in a block, as (scope, start, end)."""
    f = ctx.folded
    for m in ctx.lex.level_mention.finditer(f, start, end):
        yield (sc.new(base, "level", m.lastgroup or "level", " ".join(ctx.text[m.start():m.end()].split()), m.start(), m.end()),
               m.start(), m.end())
    unit = ctx.lex.scope_rx("unit")
    for m in unit.finditer(f, start, end):
        name, stop = _name("unit", m, ctx, 0, end)  # offsets of a whole-text match are absolute already
        if name:
            label = " ".join(ctx.text[m.start():stop].split())
            yield sc.new(base, "unit", name, label, m.start(), stop), m.start(), stop


