"""Fact keys for the figures of the prose, from the lexicon's labels (grammars/lexicon.yaml).

A figure's label is looked for in the words before it, back to its phrase's start and never across
another figure ("Tổng số hồ sơ tiếp nhận: 2.869"); failing that, right after it ("8.220 hồ sơ giải
quyết đúng hạn"), which is less sure. Words that fit several keys ("quá hạn": of the resolved or of
the pending dossiers) are read in their context: the total the figure is a part of, the figure
before it in the sentence, the heading it stands under.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..facts import Breakdown, Fact, Quantity, Share, parts_stated
from ..lexicon import Label
from .context import Ctx, skip_marks
from .relations import Relations

_LABEL_REACH = 45  # a label ending further than this before its figure names something else
_AFTER_REACH = 3  # a label after a figure starts right after it (fillers "đã", "được" aside)
# "(,) qua bưu chính và ": the words of one more kind of the figure before, a joiner (folded text)
_NAMES_ON = re.compile(r"\s*,?\s*[^,;:()\d]{2,40}?\s(?:va|hoac)\s+")


def _line_end(f: str, pos: int) -> int:
    end = f.find("\n", pos)
    return len(f) if end < 0 else end


class Labeller:
    def __init__(self, ctx: Ctx, rel: Relations):
        self.ctx, self.rel = ctx, rel
        self.fact_of: dict[int, Fact] = {}  # id(quantity) -> its fact
        self.last_in_sentence: dict[int, str] = {}  # sentence start -> key of its last fact
        self.label_end: dict[int, int] = {}  # id(quantity) -> where the words of its label end
        self.bases = {lab.base for lab in ctx.lex.labels if lab.base}  # keys other figures are shares of

    def run(self) -> None:
        ctx = self.ctx
        for q in ctx.qs:
            if q.role not in ("quantity", "numerator") or q.percent or q.unit not in (None, "dossiers"):
                continue
            if q.decimals and q.reading != "scaled" and q.value != q.value.to_integral():
                continue  # "80,12" is no count of dossiers: a rate that lost its "%", or another measure
            node = ctx.node_at(q.start)
            if node is None or node.kind == "table":
                continue
            self.label(q)
        _zero_statements(ctx, self)

    def label(self, q: Quantity) -> None:
        ctx = self.ctx
        if id(q) in self.fact_of:
            return  # the result of a stated sum, named by the words before its first term
        labels, at, end = self._before(q)
        if labels:
            labels, at, end = self._qualified(q, labels, at, end)
        if labels and _total_word_before(self.ctx, q) and (self._after_a_list(q) or self._after_named_units(q)):
            # "Huyện A (14 hồ sơ), Huyện B (16 hồ sơ) (tổng cộng 30 hồ sơ)": the sum of the list, no figure of
            # its own (and not the last unit's received)
            labels = []
        if labels and at == "before" and self._total_of_a_subject(q, labels):
            labels = []
        if labels and q.role != "numerator" and (":" in ctx.folded[end:q.start] or _total_word_before(self.ctx, q)):
            # "Thanh toán trực tuyến: có 358 hồ sơ phát sinh phí, lệ phí, …": a topic before a colon names
            # the paragraph; the words right after the figure name the figure, when they name another key;
            # so do they after a bare total word ("…, tổng cộng 52 hồ sơ quá hạn")
            after, at_after, end_after = self._after(q)
            if after and all(a.key != b.key for a in after for b in labels):
                labels, at, end = after, at_after, end_after
        if labels and at == "before" and (self._joined_after_another(q, end) or _kind_of_the_one_before(self, q)):
            after, at_after, end_after = self._after(q)
            if after:
                labels, at, end = after, at_after, end_after
        if any(lab.only_as_part for lab in labels):
            # "(kỳ trước chuyển sang 42, mới 2.814)": a bare "mới" names new dossiers only as a part of received
            context = self._context_key(q)  # the whole it is a part of, or a sibling stated before it
            labels = [lab for lab in labels if not lab.only_as_part or lab.parent in (context, ctx.lex.parents.get(context))]
        if not labels and q.role == "numerator":
            self._fraction_after(q)  # "(1.237/1.486 hồ sơ mới tiếp nhận)": the words after name the base
            return
        if not labels:
            labels, at, end = self._after(q)
        if not labels:
            self._named_total(q)
            return
        lab, alternatives, undecided = self._choose(q, labels)
        # a label read after its figure owns the words up to the phrase's end ("29 hồ sơ trả lại dân do
        # không đủ điều kiện, 179 …"): they name that figure, not the next one
        self.label_end[id(q)] = end if at == "before" else max(end, min(ctx.inline.phrase(end)[1], len(ctx.folded)))
        scope = ctx.scope_at(q.start)
        result = _result_of_a_stated_sum(self.rel, q) if at == "before" else None
        if result is not None:
            # "tổng số hồ sơ phải giải quyết là 60.873 + 708 = 61.581": the words name the result, not the first term
            self.add(Fact(lab.key, result, ctx.scope_at(result.start), at, alternatives, undecided=undecided))
            return
        fact = Fact(lab.key, q, scope, at, alternatives, undecided=undecided)
        if q.role == "numerator":
            den = ctx.next_figure(q)
            self.add(fact)
            if den is not None and lab.base and at == "before" and (lab.base.endswith(".base") or self._plain(den)):
                # "trước và đúng hạn 2.461/2.462 hồ sơ": the base's figure, unless words after it say it
                # counts something else ("843/1555 hồ sơ được tiếp nhận của TTHC được cung cấp DVC …")
                self.add(Fact(lab.base, den, scope, "position"))
            return
        self.add(fact)

    def _joined_after_another(self, q: Quantity, label_end: int) -> bool:
        """"… 7 hồ sơ đất đai giải quyết quá hạn và 1 hồ sơ đang quá hạn": the words before q end with a joiner
        and follow another figure of its clause, so they name that figure; q is named by the words after it."""
        f = self.ctx.folded
        if not self.ctx.lex.item_join.fullmatch(f, label_end, q.start) or not f[label_end:q.start].strip():
            return False
        prev = self.ctx.prev_figure(q)
        return prev is not None and prev.role == "quantity" and prev.end >= self.ctx.inline.clause(q.start)[0] \
            and id(prev) not in self.fact_of

    def _after_a_list(self, q: Quantity) -> bool:
        """Whether two or more counts stand before q in its sentence."""
        s0 = self.ctx.inline.sentence(q.start)[0]
        return sum(1 for x in self.ctx.between(s0, q.start) if x.role == "quantity" and not x.percent) >= 2

    def _after_named_units(self, q: Quantity) -> bool:
        """Whether two or more units are named before q in its sentence ("Còn 2 đơn vị có hồ sơ trễ hạn là xã
        Tân Phú và phường An Lạc, với tổng cộng 9 hồ sơ"): a total after them is theirs together."""
        s0 = self.ctx.inline.sentence(q.start)[0]
        return sum(1 for s in self.ctx.report.scopes if s.kind == "unit" and s0 <= s.start < q.start) >= 2

    def _total_of_a_subject(self, q: Quantity, labels: list[Label]) -> bool:
        """"Còn 1 đơn vị có hồ sơ trễ hạn là …, với tổng cộng 3 hồ sơ": a bare total word after its sentence has
        named what it speaks of (another key, no figure read under it yet) totals that, not what the total word
        alone reads as."""
        ctx, f = self.ctx, self.ctx.folded
        tm = ctx.lex.total_word_end.search(f, max(0, q.start - 16), q.start)
        if tm is None or {lab.key for _, _, lab in ctx.lex.candidates(f[tm.start():q.start])} != {lab.key for lab in labels}:
            return False
        s0 = ctx.inline.sentence(q.start)[0]
        if any(id(x) in self.fact_of for x in ctx.between(s0, q.start)):
            return False
        named = {lab.key for _, _, lab in ctx.lex.candidates(f[s0:tm.start()])}
        return bool(named - {lab.key for lab in labels})

    def _fraction_after(self, q: Quantity) -> None:
        """A fraction with no label before it: the rate named before its percentage gives the
        numerator's key ("Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 83,24% (1.237/1.486 …)"), and the
        words after it name the denominator."""
        ctx = self.ctx
        den = ctx.next_figure(q)
        share = next((s for s in ctx.report.shares if s.numerator is q), None)
        scope = ctx.scope_at(q.start)
        if share is not None and share.numerator_key:
            self.add(Fact(share.numerator_key, q, scope, "before"))
        else:
            # "…trực tuyến 4.822/4.995, trong đó … Lĩnh vực X: 596/605": a part of a keyed fraction is of its key
            bd = self.rel.part_of.get(id(q))
            whole = self.fact_of.get(id(bd.total[0])) if bd is not None and len(bd.total) == 2 else None
            if whole is not None:
                self.add(Fact(whole.key, q, scope, "position"))
        if den is None:
            return
        labels, at, end = self._after(q)
        if not labels:
            return
        lab, alternatives, undecided = self._choose(den, labels)
        self.label_end[id(q)] = max(end, min(ctx.inline.phrase(end)[1], len(ctx.folded)))
        if lab.key in self.bases:  # "(1.237/1.486 hồ sơ mới tiếp nhận)": a whole, so the base's name
            self.add(Fact(lab.key, den, scope, "after", alternatives, undecided=undecided))
        elif share is None or not share.numerator_key:  # "5/1.452 hồ sơ quá hạn": a part, the numerator's
            self.add(Fact(lab.key, q, scope, "after", alternatives, undecided=undecided))

    def _named_total(self, q: Quantity) -> None:
        """"Lĩnh vực hộ tịch 723 hồ sơ. …": the figure right after the name of a field or a group that
        opens its block is that field's dossiers received (a reading by position: unsure)."""
        ctx = self.ctx
        scope = ctx.scope_at(q.start)
        if q.role != "quantity" or scope.kind not in ("field", "group") or not scope.start <= q.start:
            return
        between = ctx.folded[scope.end:q.start]
        if len(between) > 12 or ctx.between(scope.end, q.start) or not ctx.lex.named_total_gap.fullmatch(between):
            return
        self.add(Fact("received", q, scope, "position", ("received.new",)))

    def _plain(self, den: Quantity) -> bool:
        """Nothing but a unit and a bracket or a link after a fraction's denominator."""
        f = self.ctx.folded
        um = self.ctx.lex.any_unit.match(f, den.end)
        pos = um.end() if um else den.end
        words = f[pos:self.ctx.inline.phrase(pos)[1]]
        return len(re.findall(r"[a-z]+", words.split("(")[0])) <= 2

    def add(self, fact: Fact) -> None:
        self.ctx.report.facts.append(fact)
        self.fact_of[id(fact.q)] = fact
        self.last_in_sentence[self.ctx.inline.sentence(fact.q.start)[0]] = fact.key

    def _before(self, q: Quantity) -> tuple[list[Label], str, int]:
        ctx, f = self.ctx, self.ctx.folded
        lo = max(ctx.inline.clause(q.start)[0], self._prev_end(q))
        line_start = f.rfind("\n", 0, q.start) + 1
        if not f[line_start:q.start].strip() and not f[q.end:_line_end(f, q.end)].strip():
            lo = max(lo, line_start)  # a figure alone on its line is a table's cell: the line above is no label of it
        aside = ctx.inline.aside(q.start)
        if aside is not None:
            lo = max(lo, aside[0] + 1)
        seg = _words_before(ctx, lo, q.start)
        if not seg.strip() or _whole_named_before(ctx, seg, q):
            return [], "", 0
        cands = [c for c in ctx.lex.candidates(seg) if len(seg) - c[1] <= _LABEL_REACH]
        cands = _past_a_list_opener(ctx, seg, cands)
        for a, b in ctx.inline.asides_in(lo, q.start):
            # "Số hồ sơ trả lại (không đủ điều kiện giải quyết): 12": a bracket between a label and its figure
            # explains the label; the words inside it name nothing, unless a label reads across it
            parts_named = ctx.lex.parts_follow.match(ctx.folded, a + 1) is not None
            a, b = a - lo, b - lo
            if not parts_named and (any(s < a and b < e for s, e, _ in cands) or not any(e <= a for _, e, _ in cands)):
                continue
            # ("Tổng số hồ sơ trong quý (gồm kỳ trước chuyển sang và tiếp nhận mới) là 967": the parts a bracket
            # says the figure holds never name it)
            cands = [c for c in cands if not a <= c[0] < b]
        if not cands:
            return [], "", 0
        nearest = max(e for _, e, _ in cands)
        longest = max(e - s for s, e, _ in cands if e == nearest)
        if _two_named(ctx, seg, cands, nearest - longest, q):
            return [], "", 0
        return [lab for s, e, lab in cands if e == nearest and e - s == longest], "before", lo + nearest

    def _qualified(self, q: Quantity, labels, at: str, end: int):
        """"tiếp nhận 2.400 hồ sơ trực tiếp": words right after the figure's unit that name a part of
        what the words before it name make it that part (the in-person dossiers, not all received)."""
        if q.role != "quantity" or q.unit != "dossiers":
            return labels, at, end
        um = self.ctx.lex.any_unit.match(self.ctx.folded, q.end)
        if um is None or not self.ctx.folded[um.end():um.end() + 2].startswith(" "):
            return labels, at, end
        after, _, a_end = self._after(q)
        if not after:
            return labels, at, end
        keys = {lab.key for lab in labels} | {k for lab in labels for k in lab.alternatives}
        finer = [lab for lab in after if any(k in keys for k in self.ctx.lex.ancestors(lab.key))]
        words = self.ctx.folded[um.end():a_end]
        if finer and len(words.split()) <= 3:
            return finer, "after", a_end
        return labels, at, end

    def _after(self, q: Quantity) -> tuple[list[Label], str, int]:
        ctx, f = self.ctx, self.ctx.folded
        pos = q.end
        if q.role == "numerator":
            den = ctx.next_figure(q)
            pos = den.end if den is not None else pos
        um = ctx.lex.any_unit.match(f, pos)
        if um:
            pos = um.end()
        nxt = ctx.next_figure(q)
        limit = min(ctx.inline.phrase(pos)[1], nxt.start if nxt is not None and nxt.start > pos else len(f))
        colon = f.rfind(":", f.rfind("\n", 0, q.start) + 1, q.start)
        if colon >= 0 and not f[colon + 1:q.start].strip():
            limit = min(limit, _line_end(f, pos))  # "Máy tính:⇥08⏎Tổng số hồ sơ tiếp nhận:⇥1.277": the next line is its own
        seg = f[pos:limit]
        lead = ctx.lex.label_filler.match(seg)
        every = ctx.lex.candidates(seg)
        cands = [c for c in every if c[0] <= lead.end() + _AFTER_REACH]
        if not cands:
            return [], "", 0
        first = min(s for s, _, _ in cands)
        longest = max(e - s for s, e, _ in cands if s == first)
        labels = [lab for s, e, lab in cands if s == first and e - s == longest]
        # "370 hồ sơ còn đang xử lý trong hạn": a part of the figure named further on is the figure
        keys = {lab.key for lab in labels}
        finer = [lab for s, e, lab in every if s >= first + longest and lab.parent in keys]
        if finer:
            return finer, "after", pos + max(e for s, e, lab in every if lab in finer)
        return labels, "after", pos + first + longest

    def _prev_end(self, q: Quantity) -> int:
        """Where the words about the previous figure end: its label read after it, its unit, or the
        figure itself; and no label reaches back across a "+" or "=" written between figures."""
        prev = self.ctx.prev_figure(q)
        if prev is not None and prev.role == "date" and (_COLON_ONLY.fullmatch(self.ctx.folded, prev.end, q.start)
                                                        or _LA_ONLY.fullmatch(self.ctx.folded, prev.end, q.start)
                                                        and _period_end_at(self.ctx, prev)):
            while prev is not None and prev.role == "date":
                prev = self.ctx.prev_figure(prev)  # "Đang giải quyết đến ngày 15/9/2024: 24 hồ sơ": a date in the label
        while prev is not None and prev.role in ("other", "noise") and re.search(r"[a-z]", self.ctx.folded[prev.end:q.start]):
            prev = self.ctx.prev_figure(prev)  # "trực tuyến mức độ 3,4 đạt 3.241": a code is no figure with words of its own
        if prev is None:
            return 0
        um = self.ctx.lex.any_unit.match(self.ctx.folded, prev.end)
        end = max(um.end() if um else prev.end, self.label_end.get(id(prev), 0))
        if self.ctx.lex.reason_after.match(self.ctx.folded, um.end() if um else prev.end):
            end = max(end, min(self.ctx.inline.phrase(end)[1], q.start))  # "4 hồ sơ do … đúng hẹn, 5 hồ sơ"
        sign = max(self.ctx.folded.rfind("+", end, q.start), self.ctx.folded.rfind("=", end, q.start))
        return max(end, sign + 1)

    def _choose(self, q: Quantity, labels: list[Label]) -> tuple[Label, tuple[str, ...], bool]:
        keys: list[str] = []
        for lab in labels:
            if lab.key not in keys:
                keys.append(lab.key)
        if len(keys) > 1:
            context = self._context_key(q)
            for lab in labels:
                if context and lab.parent and (lab.parent == context or lab.parent == self.ctx.lex.parents.get(context)):
                    return lab, tuple(lab.alternatives), False
            return labels[0], tuple(keys[1:]), True
        return labels[0], tuple(labels[0].alternatives), False

    def _context_key(self, q: Quantity) -> str | None:
        """The key of the total this figure is a part of, or of the figure before it in its sentence,
        or of the figure that heads its item."""
        bd = self.rel.part_of.get(id(q))
        if bd is not None:
            fact = self.fact_of.get(id(bd.total[0]))
            if fact is not None:
                return fact.key
        key = self.last_in_sentence.get(self.ctx.inline.sentence(q.start)[0])
        if key:
            return key
        node = self.ctx.node_at(q.start)
        for anc in node.ancestors() if node is not None else ():
            if anc.kind != "item":
                continue
            for hq in self.ctx.between(anc.body_start, anc.end):
                fact = self.fact_of.get(id(hq))
                if fact is not None:
                    return fact.key
        return None


def _total_word_before(ctx: Ctx, q: Quantity) -> bool:
    return ctx.lex.total_word_end.search(ctx.folded, max(0, q.start - 16), q.start) is not None


def _two_named(ctx: Ctx, seg: str, cands, start: int, q: Quantity) -> bool:
    """"Số hồ sơ trả lại, công dân xin rút: 47 hồ sơ (trả lại 29, rút 18)": the words name two figures of one level
    joined and the figure is broken down into them: their sum, no figure of either key (where the sum is all the
    report gives, it is still read as the last one's)."""
    last = [lab for s, e, lab in cands if s == start]
    joined = any(e <= start and ctx.lex.label_join.fullmatch(seg, e, start) and all(
        lab.key != other.key and ctx.lex.parents.get(lab.key) == ctx.lex.parents.get(other.key) for other in last)
        for s, e, lab in cands)
    return joined and any(bd.total and bd.total[0] is q for bd in ctx.report.breakdowns)


def _words_before(ctx: Ctx, lo: int, end: int) -> str:
    """The words from lo to a figure at end that may name it, brackets closed off blanked (same length)."""
    f = ctx.folded
    seg = f[lo:end]
    for a, b in ctx.inline.asides_in(lo, end):
        # "24.450 hồ sơ (không có hồ sơ kỳ trước chuyển sang), gồm 22.102 …": a closed bracket names
        # nothing after a break; "đúng hạn (kể cả trước hạn) là 2.942" still names its figure
        if b < end and _closed_off(ctx, f[b + 1:end]):
            seg = seg[:a - lo] + " " * (b + 1 - a) + seg[b + 1 - lo:]
    close = seg.rfind(")")
    if close >= 0 and _closed_off(ctx, seg[close + 1:]):
        seg = " " * (close + 1) + seg[close + 1:]  # the rest of a bracket the previous figure stood in
    return seg


def _period_end_at(ctx: Ctx, q: Quantity) -> bool:
    """Whether the date figure q is the report's last day ("31/12/2025" of a year's report)."""
    end = ctx.report.header.period_end
    d = next((d for d in ctx.report.dates if d.start <= q.start < d.end), None)
    return end is not None and d is not None and (d.day, d.month, d.year) == (end.day, end.month, end.year)


_COLON_ONLY = re.compile(r"\s*:\s*")  # "Đang giải quyết đến ngày 15/9/2024: 24"
_LA_ONLY = re.compile(r"\s*la\s+")  # "tồn đến 31/12/2025 là 17" (at the period's end; at 30/6 it is another stock)


def _closed_off(ctx: Ctx, after: str) -> bool:
    """Whether the words after a closing bracket break it off from the figure that follows: a comma, a
    connector ("gồm"), a joiner ("(…, 43,3% tổng số hồ sơ mới tiếp nhận) và 21.907 hồ sơ …")."""
    joined = ctx.lex.item_join.match(after)
    return bool(re.search(r"[,;]", after) or ctx.lex.breakdown.search(after) or after[:joined.end()].strip())


def _zero_statements(ctx: Ctx, lab: Labeller) -> None:
    """"không có hồ sơ quá hạn" states a figure of zero, to be compared with the figures stated."""

    f = ctx.folded
    for m in ctx.lex.zero_statement.finditer(f):
        end = min(ctx.inline.phrase(m.end())[1], m.end() + 40)
        seg = f[m.end():end]
        cands = [c for c in ctx.lex.candidates(seg) if c[0] == 0]
        if not cands or _said_of_counted_units(ctx, m.start()):
            continue
        longest = max(e for _, e, _ in cands)
        labels = [lb for s, e, lb in cands if e == longest]
        keys = list(dict.fromkeys(lb.key for lb in labels))
        # "không có hồ sơ quá hạn": of the resolved ones first; with no word to say which, it is unsure
        q = Quantity(Decimal(0), 0, ctx.text[m.start():m.end() + longest], m.start(), m.end() + longest, role="zero")
        scope = ctx.scope_at(m.start())
        while scope.kind == "other" and scope.parent is not None:
            scope = scope.parent  # "- Chỉ đạo … đúng thời gian, không có hồ sơ quá hạn": a claim about the unit itself
        ctx.report.facts.append(Fact(keys[0], q, scope, "before", undecided=len(keys) > 1))


def _said_of_counted_units(ctx: Ctx, pos: int) -> bool:
    """"Có 08/13 sở không có hồ sơ quá hạn", "5 xã không phát sinh hồ sơ quá hạn", "02/05 lĩnh vực không có …":
    the claim is about the units or fields counted before it in its clause, not a zero for the whole report."""
    start = ctx.inline.clause(pos)[0]
    return any(q.unit in ("units", "fields") for q in ctx.between(start, pos))


_OWN_BRACKET = re.compile(r"[^\S\n]*(?:[a-z]+[^\S\n]*){0,2}\(")  # "18.214 hồ sơ (", "18.214 ("


def nested_includes(ctx: Ctx) -> None:
    """"đúng thời hạn 18.214 hồ sơ (trước hạn 13.759)": a figure whose own bracket gives one smaller figure of the key it
    may count with (relations.nested_includes) counts both: it takes the key of the two together."""
    including = ctx.lex.nested_includes
    if not including:
        return
    by_start = {fa.q.start: fa for fa in ctx.report.facts}
    for fa in ctx.report.facts:
        if fa.key not in including:
            continue
        m = _OWN_BRACKET.match(ctx.folded, fa.q.end)
        aside = ctx.inline.aside(m.end()) if m is not None else None
        if aside is None or aside[0] != m.end() - 1:
            continue
        inside = [by_start.get(q.start) for q in ctx.between(aside[0], aside[1]) if q.role == "quantity" and not q.percent]
        if len(inside) == 1 and inside[0] is not None and inside[0].key in including[fa.key] \
                and inside[0].q.value < fa.q.value:
            fa.key = including[fa.key][inside[0].key]


def wholes_of_parts(ctx: Ctx, labeller: Labeller) -> None:
    """"… quá hạn 11 hồ sơ (0,10%), gồm 8 hồ sơ đã giải quyết quá hạn và 03 hồ sơ đang giải quyết quá hạn": a figure
    broken down into figures of exactly the keys a whole is made of (relations.wholes_of_parts) is that whole."""
    wholes = ctx.lex.wholes_of_parts
    if not wholes:
        return
    fact_of = labeller.fact_of
    for bd in ctx.report.breakdowns:
        total = fact_of.get(id(bd.total[0])) if bd.total else None
        keys = {fa.key for p in bd.parts if p and (fa := fact_of.get(id(p[0]))) is not None}
        if total is None or len(keys) < 2 or total.key in wholes:
            continue
        whole = next((w for w, parts in wholes.items() if keys == parts and total.key in parts), None)
        if whole is not None:
            total.key = whole


def resolve_alternatives(ctx: Ctx) -> None:
    """A fact read from words that fit several keys takes the key whose other statement it repeats,
    else the key its scope does not state yet."""
    report = ctx.report
    stated: dict[tuple[int, str], list[Fact]] = {}
    for fa in report.facts:
        if not fa.alternatives:
            stated.setdefault((fa.scope.id, fa.key), []).append(fa)
    for fa in report.facts:
        if not fa.alternatives:
            continue
        for alt in (fa.key, *fa.alternatives):
            if any(o.q.value == fa.q.value for o in stated.get((fa.scope.id, alt), [])):
                fa.key = alt
                break
        else:
            taken = stated.get((fa.scope.id, fa.key), [])
            if taken and all(o.label_at == "column" for o in taken) and fa.label_at != "column":
                pass  # a table column under the same words: the text restates the table, whatever the value
            elif taken and not fa.undecided:
                free = [a for a in fa.alternatives if not stated.get((fa.scope.id, a))]
                if not free:
                    fa.key = ""
                    continue
                fa.key = free[0]
            if _readings_differ(ctx, fa, stated):
                fa.undecided = True
        fa.alternatives = ()
        stated.setdefault((fa.scope.id, fa.key), []).append(fa)
    report.facts = sorted((fa for fa in report.facts if fa.key), key=lambda fa: fa.q.start)


def _readings_differ(ctx: Ctx, fa: Fact, stated: dict) -> bool:
    """Whether the keys a figure's words fit would check it differently: "tiếp nhận 287 hồ sơ" is all
    received or only the new ones, and the two differ when the same scope states what else the whole
    holds ("kỳ trước chuyển sang 18"). Nothing repeats it to decide, so it is unsure: a check on it
    warns, never errs."""
    parents = ctx.lex.parents
    keys = (fa.key, *fa.alternatives)
    for child in keys:
        whole = parents.get(child)
        if whole not in keys:
            continue
        others = [k for k, p in parents.items() if p == whole and k != child]
        if any(o.q.value for k in others for o in stated.get((fa.scope.id, k), [])):
            return True
    return False


def prune_breakdowns(ctx: Ctx, lab: Labeller) -> None:
    """A list of parts whose labels name figures of different wholes ("trực tuyến 2.381 hồ sơ, đã giải
    quyết trước hạn 2.380 hồ sơ") is no breakdown of one total: the identities between those keys check
    what it says."""
    parents = ctx.lex.parents
    keep = []
    for bd in ctx.report.breakdowns:
        if bd.how in ("marker", "aside", "children") and len(bd.parts) >= 2:
            keys = _without_parts_of_parts(ctx, bd, [lab.fact_of[id(p[0])].key if id(p[0]) in lab.fact_of else None
                                                     for p in bd.parts])
            if keys is None or not _total_of_the_counted(ctx, bd):
                continue
            known = [k for k in keys if k]
            # "…, cụ thể: - Kỳ trước chuyển sang …; - Tiếp nhận mới …; - Đã giải quyết …": inputs and outcomes
            if (all(keys) or len(known) >= 3) and len({parents.get(k) for k in known}) > 1:
                continue
        keep.append(bd)
    ctx.report.breakdowns = keep
    asides = {id(bd.total[0]): bd for bd in keep if bd.how == "aside"}
    for bd in keep:
        if bd.how in ("marker", "children") and id(bd.total[0]) in asides:
            _narrow_total(ctx, lab, bd, asides[id(bd.total[0])])
    _whole_of_its_bracket(ctx, lab)
    _unname_parts_like_their_total(ctx, lab)


def _without_parts_of_parts(ctx: Ctx, bd: Breakdown, keys: list[str | None]) -> list[str | None] | None:
    """"Tiếp nhận 2.856 hồ sơ (kỳ trước chuyển sang 42, mới 2.814, trực tuyến 2.316)": a part whose key
    is a part of another part's key (online of new) splits that part further, so it is left out of the
    sum. The keys of the parts kept; None when fewer than two are left."""
    present = {k for k in keys if k}
    nested = {i for i, k in enumerate(keys) if k and present & set(ctx.lex.ancestors(k)) - {k}}
    if not nested:
        return keys
    for name in ("parts", "names", "signs"):
        items = getattr(bd, name)
        if items:
            setattr(bd, name, [x for i, x in enumerate(items) if i not in nested])
    return [k for i, k in enumerate(keys) if i not in nested] if len(bd.parts) >= 2 else None


def _total_of_the_counted(ctx: Ctx, bd: Breakdown) -> bool:
    """"rà soát 30 TTHC thuộc 06 lĩnh vực (Hộ tịch 06, Đất đai 07, …)", "6 TTHC trong 3 dự thảo, cụ thể: …: 02
    TTHC": the figure right before the list counts its items (as many as it says, or in another unit than
    theirs); the items' figures add up to the count before it in the sentence, when there is one in their
    unit. False when there is none: the list is no breakdown of a figure the reader can name."""
    if len(bd.total) != 1 or bd.total_is_percent or any(len(p) != 1 for p in bd.parts):
        return True
    total, parts = bd.total[0], [p[0] for p in bd.parts]
    units = {p.unit for p in parts}
    other_unit = total.unit is not None and len(units) == 1 and None not in units and total.unit not in units
    if not (other_unit or total.value == len(parts) and sum(p.value for p in parts) != total.value):
        return True
    unit = next(iter(units)) if len(units) == 1 else None
    s0 = ctx.inline.sentence(total.start)[0]
    before = [q for q in ctx.between(s0, total.start) if q.role == "quantity" and not q.percent
              and (q.unit == unit or unit is None and q.unit != total.unit)]
    if not before:
        return False
    bd.total = [before[-1]]
    bd.complete = total.value == len(parts)  # all the items the figure counted are listed
    return True


def _whole_of_its_bracket(ctx: Ctx, lab: Labeller) -> None:
    """"Tổng số hồ sơ … tiếp nhận trong kỳ là 4.133 (106 kỳ trước chuyển qua; 4.027 tiếp nhận mới, …)": the
    bracket states a figure under the same words as the one before it and a sibling of it (both parts of one
    whole in the lexicon) that add up to it, so the figure before is their whole, not the first of them."""
    parents = ctx.lex.parents
    has_whole = {k for k, p in parents.items() if p is not None}  # the only keys a bracket can split a whole into
    for fa in list(ctx.report.facts):
        if fa.key not in has_whole or ctx.inline.aside(fa.q.start) is None:
            continue
        outer = _figure_before_bracket(ctx, fa.q)
        whole = lab.fact_of.get(id(outer)) if outer is not None else None
        parent = parents.get(fa.key)
        if whole is None or whole.key != fa.key or whole.scope is not fa.scope or parent is None:
            continue
        aside = ctx.inline.aside(fa.q.start)
        if aside is None or aside[0] < whole.q.end:
            continue
        siblings = [lab.fact_of[id(q)] for q in ctx.between(aside[0], aside[1])
                    if id(q) in lab.fact_of and q is not fa.q and parents.get(lab.fact_of[id(q)].key) == parent
                    and lab.fact_of[id(q)].key != fa.key]
        if any(s.q.value + fa.q.value == whole.q.value for s in siblings):
            whole.key = parent


def _unname_parts_like_their_total(ctx: Ctx, lab: Labeller) -> None:
    """"Hồ sơ trực tuyến: 700; trong đó nộp qua Cổng Dịch vụ công quốc gia 420": a part is never its own
    total; the words that read it as "online" name the kind of part, not the figure, which stays a part
    of the breakdown and states no online count of its own. A part of another scope ("Trong đó, Quý III
    tiếp nhận 950") is that scope's own figure."""
    drop: set[int] = set()
    for bd in ctx.report.breakdowns:
        if bd.how not in ("marker", "children", "aside") or len(bd.total) != 1:
            continue
        total = lab.fact_of.get(id(bd.total[0]))
        if total is None:
            continue
        for p in bd.parts:
            fa = lab.fact_of.get(id(p[0]))
            if fa is not None and fa.key == total.key and fa.scope is total.scope and p[0] is not bd.total[0]:
                drop.add(id(fa))
            elif fa is not None and bd.how == "marker" and fa.key != total.key \
                    and ctx.lex.parents.get(fa.key) is not None and ctx.lex.parents.get(fa.key) == ctx.lex.parents.get(total.key):
                # "Giải quyết đúng hạn: 1.327 hồ sơ, trong đó trước hạn 1.223": a figure holding its sibling is more
                # than its words say (on time with the early ones): which figure it is, they do not tell
                drop.add(id(total))
                ctx.report.unread.add((total.scope.id, total.key))
    # "Hồ sơ trực tuyến: 3.391 hồ sơ (qua Cổng Dịch vụ công quốc gia 2.488 hồ sơ)": one part in brackets
    for fa in ctx.report.facts:
        outer = _figure_before_bracket(ctx, fa.q)
        whole = lab.fact_of.get(id(outer)) if outer is not None else None
        if whole is not None and whole.key == fa.key and whole.scope is fa.scope and fa.q.value < whole.q.value:
            drop.add(id(fa))
    drop |= _subsets_said_of_which(ctx)
    if drop:
        ctx.report.facts = [fa for fa in ctx.report.facts if id(fa) not in drop]
        lab.fact_of = {k: fa for k, fa in lab.fact_of.items() if id(fa) not in drop}


def _subsets_said_of_which(ctx: Ctx) -> set[int]:
    """"- Hộ tịch: đã giải quyết 387/402 hồ sơ⏎   + trong đó giải quyết trong ngày: 282 hồ sơ": a figure whose words open
    with "trong đó" is a part of the one before it; under that one's own words it is a narrower kind ("in the
    day"), not the same figure stated again (the ids of such facts)."""
    out, last = set(), {}
    for fa in ctx.report.facts:
        before = last.get((fa.scope.id, fa.key))
        last[(fa.scope.id, fa.key)] = fa
        if before is None or fa.q.value >= before.q.value or fa.q.percent or before.q.approx:
            continue
        s0 = skip_marks(ctx.folded, ctx.inline.clause(fa.q.start)[0])
        marker = ctx.lex.breakdown.match(ctx.folded, s0)
        # ("trong đó" may name only some parts; "cụ thể", "gồm" go on to name the whole's parts, or the whole again)
        if marker is not None and not ctx.lex.complete_marker.fullmatch(marker.group(0)) and before.q.end >= s0 - _SUBSET_REACH:
            out.add(id(fa))
    return out


_SUBSET_REACH = 200  # "trong đó …" speaks of the figure this close before it


def _narrow_total(ctx: Ctx, lab: Labeller, bd, aside) -> None:
    """"tiếp nhận 640 hồ sơ (kỳ trước chuyển sang 25; mới tiếp nhận 615), trong đó: trực tuyến 470;
    trực tiếp 145": the parts are of the new dossiers, which the bracket after the total states; they
    add up to that part of it, not to the whole."""
    fa = lab.fact_of.get(id(bd.total[0]))
    keys = {lab.fact_of[id(p[0])].key if id(p[0]) in lab.fact_of else None for p in bd.parts}
    if fa is None or None in keys:
        return
    wholes = {ctx.lex.parents.get(k) for k in keys}
    if len(wholes) != 1:
        return
    whole = wholes.pop()
    if whole is None or whole == fa.key or fa.key not in ctx.lex.ancestors(whole):
        return
    named = [p for p in aside.parts if id(p[0]) in lab.fact_of and lab.fact_of[id(p[0])].key == whole]
    if len(named) == 1 and len(named[0]) == len(bd.total):
        bd.total = named[0]


def _figure_before_bracket(ctx: Ctx, q: Quantity) -> Quantity | None:
    """The figure a bracket holding `q` follows, with at most its unit between: "3.391 hồ sơ (… 2.488 …)"."""
    aside = ctx.inline.aside(q.start)
    if aside is None:
        return None
    before = ctx.between(max(0, aside[0] - 24), aside[0])
    if not before:
        return None
    gap = ctx.folded[before[-1].end:aside[0]]
    return before[-1] if len(gap.split()) <= 3 and not any(ch in gap for ch in ",;:.") else None


def link_bases(ctx: Ctx, lab: Labeller) -> None:
    """Each share's possible bases, most likely first (see Share.bases)."""
    first_of: dict[tuple[int, str], Quantity] = {}
    for fa in ctx.report.facts:
        if fa.q.role != "zero":
            first_of.setdefault((fa.scope.id, fa.key), fa.q)
    rate_of = {id(fa.q): fa.key[:-1] for fa in ctx.report.facts if fa.key.endswith("%")}
    parts = parts_stated(ctx.report.facts, ctx.lex.parents)
    for s in ctx.report.shares:
        _named_rate(ctx, lab, s, rate_of.get(id(s.pct)))
        _bases(ctx, lab, s, first_of, parts)
    _shares_of_the_parents_base(ctx)


def _shares_of_the_parents_base(ctx: Ctx) -> None:
    """"phát hiện 17 hồ sơ có sai sót, chiếm 12,59% số hồ sơ được kiểm tra; trong đó: 07 hồ sơ (5,19%); 06 hồ sơ
    (4,44%); 04 hồ sơ (2,96%)": the parts' percentages add up to their total's own, so they are shares of the
    total's base (the dossiers checked), not of the total."""
    groups: dict[int, list[Share]] = {}
    for s in ctx.report.shares:
        if s.bases and s.bases[0][1] in ("breakdown", "breakdown_far") and s.numerator is not None:
            groups.setdefault(id(s.bases[0][0]), []).append(s)
    own = {id(s.numerator): s for s in ctx.report.shares if s.numerator is not None}
    for key, members in groups.items():
        parent = own.get(key)
        if parent is None or len(members) < 2 or parent in members:
            continue
        d = max(m.pct.decimals for m in members + [parent])
        slack = Decimal(len(members) + 1) / 2 / Decimal(10) ** d  # each rounded by half a unit at most
        unit = Decimal(1) / Decimal(10) ** d
        # ... or, when a part's share was not read, each part's share is its count over the base the total's share
        # implies (14 hồ sơ at 17,50%: of 80; 04 hồ sơ, chiếm 5,00%)
        implied = parent.numerator.value and all(
            abs(m.pct.value - m.numerator.value * parent.pct.value / parent.numerator.value) <= unit for m in members)
        if abs(sum((m.pct.value for m in members), Decimal(0)) - parent.pct.value) <= slack or implied:
            for m in members:
                m.bases = list(parent.bases)  # none when the total's base is not stated: then none is checked


def _named_rate(ctx: Ctx, lab: Labeller, s: Share, named: str | None) -> None:
    """"…, quá hạn 20 hồ sơ, tỷ lệ giải quyết trước và đúng hạn đạt 98%": the rate's words name what it
    is the rate of; a figure that is something else, merely before it, is not its numerator."""
    if named is None or s.numerator is None or s.via not in ("linked", "after", "aside"):
        return
    fa = lab.fact_of.get(id(s.numerator))
    if fa is None or fa.key == named or named in ctx.lex.ancestors(fa.key):
        return
    s.numerator, s.numerator_key, s.breakdown_total, s.via = None, named, None, "rate"
    base = ctx.lex.base_of(named)
    s.base_keys = s.base_keys or ((base,) if base else ())


def _bases(ctx: Ctx, lab: Labeller, s: Share, first_of: dict, parts: dict[str, set[str]]) -> None:
    own = lab.fact_of.get(id(s.numerator)) if s.numerator is not None else None
    if own is not None and own.scope is not s.scope and s.scope in own.scope.chain():
        # "…, cấp xã có 70 hồ sơ quá hạn, chiếm 0,81% số hồ sơ đã giải quyết": the share is of its
        # numerator's narrower scope, whose base the report may not state
        s.scope = own.scope

    def stated(key: str):
        scope = s.scope
        while scope is not None:
            q = first_of.get((scope.id, key))
            if q is not None:
                return q
            if scope.kind not in ("period",):
                break  # a figure of the scope itself; a period aside may name its parent's total
            scope = scope.parent
        return None

    if s.numerator is None and not s.numerator_key and s.base_named:
        # "tỷ lệ giải quyết đúng hạn đạt 98% số hồ sơ đến hạn": the rate's own words name its numerator
        rate = next((fa for fa in ctx.report.facts if fa.q is s.pct and fa.key.endswith("%")), None)
        s.numerator_key = rate.key[:-1] if rate is not None else None
    if s.numerator is None and s.numerator_key and s.denominator is not None:
        s.numerator = stated(s.numerator_key)  # "tỷ lệ … trước hạn và đúng hạn đạt 98% số hồ sơ đến hạn (1.200)"
        s.via = s.via or "rate"
    if s.denominator is not None:
        s.bases = [(s.denominator, "stated")]
        return
    num_fact = lab.fact_of.get(id(s.numerator)) if s.numerator is not None else None
    if s.numerator is None and s.numerator_key:
        s.numerator = stated(s.numerator_key)
        if s.numerator is None:
            return
    if s.base_named:
        for key in s.base_keys:
            if num_fact is not None and num_fact.key in ctx.lex.ancestors(key):
                continue  # "1.524 hồ sơ, chiếm 49,9% tổng số hồ sơ tiếp nhận": no part of the figure is its base
            q = stated(key) if key != "*total" else (s.breakdown_total[0] if s.breakdown_total else None)
            if q is not None and q is not s.numerator:
                s.bases = [(q, "named")]
                # "chiếm 87,98% số hồ sơ tiếp nhận" of the online ones: the words name all received, and may
                # mean the new ones the online ones are part of (the carried-over were filed before)
                chain = ctx.lex.ancestors(num_fact.key) if num_fact is not None and key != "*total" else []
                between = chain[:chain.index(key)] if key in chain else []
                for k in between:
                    q2 = stated(k)
                    if q2 is not None and q2 is not s.numerator and q2.value != q.value:
                        s.bases.append((q2, "named"))
                return
        return  # the words name a base the report does not state: nothing to divide by
    if s.breakdown_total is not None:
        total = s.breakdown_total[0]
        bd = lab.rel.part_of.get(id(s.numerator))
        said = ctx.inline.clause(total.start) == ctx.inline.clause(s.numerator.start) or (bd is not None and bd.how in ("children", "marker"))
        if said and num_fact is not None and not _base_fits(ctx, num_fact.key, lab.fact_of.get(id(total))):
            said = False  # "tiếp nhận 8.424; trong đó 8.220 giải quyết đúng hạn, đạt 99,8%": a rate of the resolved ones, maybe
        s.bases.append((total, "breakdown" if said else "breakdown_far"))
    keys = list(s.base_keys)
    if num_fact is not None and ctx.lex.base_of(num_fact.key):
        keys.append(ctx.lex.base_of(num_fact.key))
    usual = list(keys)
    # a base the scope does not state may be stated as the whole it is part of ("mới tiếp nhận" as "tiếp nhận")
    keys += [p for k in keys if (p := ctx.lex.parents.get(k)) and p not in keys]
    # ... and a part's share, when no usual base is stated, of the whole it is part of ("số hóa đầy đủ
    # thành phần … đạt 99,04%" of the dossiers digitised at receipt)
    whole = ctx.lex.parents.get(num_fact.key) if num_fact is not None else None
    if whole and whole not in keys:
        keys.append(whole)
        usual.append(whole)
    for key in keys:
        q = stated(key)
        if q is not None and q is not s.numerator and all(q is not b for b, _ in s.bases):
            # a whole holding other parts stated beside the usual base ("kỳ trước chuyển sang 1.065") is no other
            # name for it
            s.bases.append((q, "key" if key in usual or not parts.get(key, set()) - set(usual) else "wider_key"))


def fraction_facts(ctx: Ctx, lab: Labeller) -> None:
    """"Tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,78% (2.784/2.790 hồ sơ)": the rate's words name the
    fraction's numerator (and its base the denominator) when nothing else labels them."""
    rate_of = {id(fa.q): fa.key[:-1] for fa in ctx.report.facts if fa.key.endswith("%")}
    keyed: dict[int, Share] = {}  # sentence -> the last fraction whose rate words name its keys
    for s in sorted(ctx.report.shares, key=lambda s: s.pct.start):
        if s.via not in ("fraction", "after") or s.numerator is None or s.numerator.unit not in (None, "dossiers"):
            continue  # "after": "tỷ lệ nộp trực tuyến 75,78%, tương đương 13.421 hồ sơ"; "06/09 đơn vị" counts units
        if not s.numerator_key and id(s.pct) in rate_of:
            s.numerator_key = rate_of[id(s.pct)]
            base = ctx.lex.base_of(s.numerator_key)
            s.base_keys = s.base_keys or ((base,) if base else ())
        sentence = ctx.inline.sentence(s.pct.start)[0]
        lead = keyed.get(sentence)
        if not s.numerator_key and lead is not None and ctx.lex.breakdown.search(ctx.folded, lead.pct.end, s.numerator.start):
            # "Tỷ lệ … trực tuyến đạt 96,54% (4.822/4.995), trong đó …: Lĩnh vực Xây dựng: 187/190 hồ sơ": the
            # fields' fractions are of the same figures as the rate they break down
            s.numerator_key, s.base_keys = lead.numerator_key, lead.base_keys
        if not s.numerator_key:
            continue
        keyed.setdefault(sentence, s)
        scope = ctx.scope_at(s.pct.start)
        if id(s.numerator) not in lab.fact_of:
            lab.add(Fact(s.numerator_key, s.numerator, scope, "before"))
        if s.denominator is not None and id(s.denominator) not in lab.fact_of and len(s.base_keys) == 1:
            # the usual base is a guess: "91/287 hồ sơ" may be of the new dossiers or of all received;
            # the figure it repeats decides, never the guess (it must not vouch for "tiếp nhận 287")
            whole = ctx.lex.parents.get(s.base_keys[0])
            lab.add(Fact(s.base_keys[0], s.denominator, scope, "before", (whole,) if whole else ()))


def _base_fits(ctx: Ctx, key: str, total: Fact | None) -> bool:
    """Whether the total a part is listed under is what a share of that part is usually of: its
    lexicon base or a whole above that base (a part with no usual base fits any total)."""
    base = ctx.lex.base_of(key)
    if base is None or total is None:
        return True
    return total.key in (base, *ctx.lex.ancestors(base))


def rate_facts(ctx: Ctx) -> None:
    """A percentage named as the rate of a figure is a fact of its own (key "resolved.on_time%"),
    compared with the same rate stated elsewhere: "tỷ lệ đúng hạn của cấp huyện (82.92%)"; a
    percentage before its label, "98,5% hồ sơ được giải quyết trước hạn" (unsure: nothing names it a
    rate); and the clauses that go on from a rate, "…, đúng hạn 9,1%, quá hạn 0,7%"."""
    f, lex = ctx.folded, ctx.lex
    last: dict[int, Fact] = {}  # sentence start -> the rate fact read last in it
    key_of = {id(fa.q): fa.key for fa in ctx.report.facts}
    for s in sorted(ctx.report.shares, key=lambda s: s.pct.start):
        p = s.pct
        if s.comparison or s.via == "table" or p.role != "quantity":
            continue
        sentence = ctx.inline.sentence(p.start)[0]
        before = last.get(sentence)
        if _criterion_of_counted_units(ctx, p):
            continue
        fact = _rate_named_before(ctx, p, before)
        if fact is None and s.numerator is None:
            fact = _rate_named_after(ctx, p, before)
        elif fact is None and s.via == "linked":
            # "Đã giải quyết: 441 hồ sơ, 100% đúng hạn": the rate of a part its words name, of the count before
            # it ("1.758 hồ sơ, tương ứng 18,31% tổng số tiếp nhận" names the base instead: no part of it)
            fact = _rate_named_after(ctx, p, before)
            whole = key_of.get(id(s.numerator))
            if fact is not None and (whole is None or whole not in ctx.lex.ancestors(fact.key[:-1])):
                fact = None
        if fact is not None:
            ctx.report.facts.append(fact)
            last[sentence] = fact


def _criterion_of_counted_units(ctx: Ctx, p: Quantity) -> bool:
    """"Có 03/15 xã, thị trấn đạt tỷ lệ trực tuyến trên 90%": a rate after a count of units, with no dossiers counted
    between, is what those units reach, not the rate of the whole stated again."""
    before = ctx.between(ctx.inline.clause(p.start)[0], p.start)
    return any(q.unit in ("units", "fields") for q in before) and not any(q.unit == "dossiers" for q in before)


def _rate_named_before(ctx: Ctx, p: Quantity, before: Fact | None) -> Fact | None:
    """"tỷ lệ <label> … x%", or "<label> x%" in a clause after another rate of the sentence."""
    f, lex = ctx.folded, ctx.lex
    clause = ctx.inline.clause(p.start)[0]
    lo = max(clause, p.start - 90, before.q.end if before is not None else 0)
    tm = None
    for tm in lex.rate_word.finditer(f, lo, p.start):
        pass
    if tm is not None:
        words, reach = f[tm.end():p.start], 14
    elif before is not None:
        words, reach = f[ctx.inline.phrase(p.start)[0]:p.start], 3  # "…, đúng hạn 9,1%"
    else:
        return None
    key = _rate_key(ctx, words, reach, lex.rate_tail, before, full=True, whole=_named_before(ctx, p.start))
    return Fact(key + "%", p, ctx.scope_at(p.start), "before") if key else None


def _rate_named_after(ctx: Ctx, p: Quantity, before: Fact | None) -> Fact | None:
    f, lex = ctx.folded, ctx.lex
    lead = lex.rate_after.match(f, p.end)
    if lead is None:
        return None
    words = f[lead.end():min(len(f), lead.end() + 80)]
    key = _rate_key(ctx, words, 0, lex.rate_label_end, before, full=False, whole=_named_before(ctx, p.start))
    return Fact(key + "%", p, ctx.scope_at(p.start), "after") if key else None


def _rate_key(ctx: Ctx, words: str, reach: int, tail: re.Pattern, before: Fact | None, *, full: bool,
              whole: set[str] = frozenset()) -> str | None:
    """The one key the first, longest label in `words` names, when only `tail` follows it. A label that
    may mean several figures ("quá hạn") takes the one beside the sentence's rate before it, else the
    one part of a figure the sentence named before (`whole`: "Hồ sơ đang giải quyết: … quá hạn")."""
    cands = [c for c in ctx.lex.candidates(words) if c[0] <= reach]
    if not cands:
        return None
    first = min(c[0] for c in cands)
    longest = max(c[1] - c[0] for c in cands if c[0] == first)
    labels = [c[2] for c in cands if c[0] == first and c[1] - c[0] == longest]
    keys = {k for lab in labels for k in (lab.key, *lab.alternatives)}
    if before is not None and any(_siblings(ctx, k, before.key[:-1]) for k in keys):
        keys = {k for k in keys if _siblings(ctx, k, before.key[:-1])}
    elif len(keys) > 1 and whole:
        keys = {k for k in keys if ctx.lex.parents.get(k) in whole} or keys
    if len(keys) > 1 and (len(labels) > 1 or any(lab.alternatives for lab in labels)):
        keys = {lab.key for lab in labels}
    after = first + longest
    ends = tail.fullmatch(words, after) if full else tail.match(words, after)
    if len(keys) != 1 or not ends:
        return None  # "tỷ lệ hồ sơ trực tuyến được giải quyết nhanh": the rate of something else
    return keys.pop()


def _named_before(ctx: Ctx, pos: int) -> set[str]:
    """The keys the sentence names before `pos`."""
    start = max(ctx.inline.sentence(pos)[0], pos - 200)
    return {k for _, _, lab in ctx.lex.candidates(ctx.folded[start:pos]) for k in (lab.key, *lab.alternatives)}


def _siblings(ctx: Ctx, a: str, b: str) -> bool:
    parents = ctx.lex.parents
    return a != b and parents.get(a) is not None and parents.get(a) == parents.get(b)


def _past_a_list_opener(ctx: Ctx, seg: str, cands: list) -> list:
    """"… hồ sơ mới tiếp nhận gồm: Đất đai 54.856": the words before a list's opener name the whole, and the
    first part's own name stands between; a bare "trong đó 4 hồ sơ quá hạn" keeps the whole's words, which
    the words after the figure narrow."""
    last = None
    for last in ctx.lex.parts_follow.finditer(seg) if cands else ():
        pass
    lead = ctx.lex.breakdown_lead.search(seg) if cands else None
    colon = seg.find(":", lead.end()) if lead is not None else -1
    if colon >= 0 and (last is None or last.start() < colon) and any(ch.isalpha() for ch in seg[colon:]):
        return [c for c in cands if c[1] > colon]  # "Phân theo lĩnh vực, số hồ sơ mới …: hộ tịch 1.126"
    if last is None or not any(ch.isalpha() for ch in seg[last.end():]):
        return cands
    return [c for c in cands if c[1] > last.start()]


def _result_of_a_stated_sum(rel: Relations, q: Quantity) -> Quantity | None:
    """The result written after "=" of a sum whose first term is q ("60.873 + 708 = 61.581")."""
    bd = rel.part_of.get(id(q))
    if bd is None or bd.how != "stated_sum" or bd.parts[0][0] is not q or len(bd.total) != 1:
        return None
    return bd.total[0] if bd.total[0].start > q.start else None


def _kind_of_the_one_before(lb: "Labeller", q: Quantity) -> bool:
    """"644 hồ sơ trực tiếp, qua bưu chính và 55 hồ sơ kỳ trước chuyển sang": the words between the two
    figures go on naming the one before (its second channel) up to the joiner; q is named after it."""
    prev = lb.ctx.prev_figure(q)
    if prev is None or prev.role != "quantity" or id(prev) not in lb.fact_of:
        return False
    f = lb.ctx.folded
    um = lb.ctx.lex.any_unit.match(f, prev.end)
    said = max(um.end() if um else prev.end, lb.label_end.get(id(prev), 0))
    return _NAMES_ON.fullmatch(f, said, q.start) is not None


def _whole_named_before(ctx: Ctx, seg: str, q: Quantity) -> bool:
    """"Trong số 1.201 hồ sơ nhận mới có …", "Trong 1.937 hồ sơ nộp trực tuyến, có 1.505 …": the words before the
    figure name the whole it is part of (each form ends with a word of relations.whole_before_part_ends)."""
    ends = ctx.lex.whole_before_part_ends
    if ends and not seg.rstrip().endswith(ends):
        return False
    return ctx.lex.whole_before_part.search(seg) is not None or \
        ctx.lex.whole_before_part.search(ctx.folded, max(ctx.inline.sentence(q.start)[0], q.start - 120), q.start) is not None
