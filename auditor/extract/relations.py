"""Relations the text states by its shape, in any unit, with no lexicon key needed.

- breakdowns: "N, trong đó a, b" / "N, gồm a và b" / "N (a; b)" / a line ending "trong đó:" and its
  sub-items (a sub-item "cộng …" is the total) / "a và b (tổng cộng N)" / "a + b = N";
- shares: "a/b (x%)", "N hồ sơ (x%)", "N, chiếm x%", "x%, tương đương N", "x% tổng số tiếp nhận",
  "a trong tổng số b (đạt x%)", and the total a part's percentage is of;
- partitions: the shares of one base whose counts make the base must make 100%.

Each records how it was stated (`how`, `via`), which decides how sure a failed check is.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..facts import Breakdown, Item, Quantity, Scope, Share
from ..parse.document import Node
from .context import COUNT_ROLES, Ctx

_TOTAL_GAP = 200  # the total before "trong đó" is at most this far back
_LINK_GAP = 70  # a percentage names the figure before it when at most this far
_PLUS_GAP = re.compile(r"[^\n+=()]{0,20}\+[ \t]*")  # a "+" right before the next figure of a sum, its unit before it


def _each_on_the_totals_scale(bd: Breakdown) -> bool:
    """"đạt 8,76/10 điểm; cụ thể: … 9,72/10 điểm; 9,41/10 điểm": fractions each out of the total's own
    denominator are components of an average, not parts of a sum."""
    return len(bd.total) == 2 and len(bd.parts) > 1 and all(len(p) == 2 and p[1].value == bd.total[1].value
                                                            for p in bd.parts)


class Relations:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.part_of: dict[int, Breakdown] = {}  # id(first quantity of a part) -> its breakdown
        self.listed_in: set[int] = set()  # id(first quantity) of figures already read as parts

    # ---------------------------------------------------------------- figures as items
    def item_at(self, q: Quantity) -> Item | None:
        if q.role == "numerator":
            den = self.ctx.next_figure(q)
            return (q, den) if den is not None else None
        if q.role == "quantity" and not q.percent:
            return (q,)
        return None

    def items(self, a: int, b: int, *, depth_of: tuple[int, int] | None = None) -> list[Item]:
        """Count items starting in [a, b) at the bracket level of `depth_of` (an aside, or None for
        the text outside brackets): figures inside deeper brackets are notes, not list members."""
        out: list[Item] = []
        inline = self.ctx.inline
        for q in self.ctx.between(a, b):
            if q.role not in COUNT_ROLES or q.percent:
                continue
            if inline.aside(q.start) != depth_of:
                continue
            it = self.item_at(q)
            if it is not None:
                out.append(it)
        return out

    def unit_of(self, it: Item) -> str | None:
        return it[-1].unit if len(it) > 1 else it[0].unit

    def add(self, bd: Breakdown) -> None:
        self.ctx.report.breakdowns.append(bd)
        for p in bd.parts:
            self.part_of.setdefault(id(p[0]), bd)
            self.listed_in.add(id(p[0]))

    def same_unit(self, total: Item, parts: list[Item]) -> list[Item]:
        """The parts that count what the total counts. A total of no stated unit takes parts of any
        unit but one that is surely no dossier count ("… tại 24 quầy, trong đó 38 công chức …")."""
        unit = self.unit_of(total)
        if unit in ("time", "money"):
            # "1 ngày làm việc (8 giờ), gồm 4 + 2 + 2 giờ", "1,25 tỷ đồng, gồm 850 triệu đồng …": days and hours,
            # "tỷ" and "triệu" are one unit only to a reader who converts
            word = _unit_word(self.ctx, total[-1])
            return [p for p in parts if len(p) == len(total) and self.unit_of(p) == unit and _unit_word(self.ctx, p[-1]) == word]
        return [p for p in parts if len(p) == len(total) and p[0].role != "delta"
                and (self.unit_of(p) in (unit, None) or unit is None and self.unit_of(p) == "dossiers")]

    # ---------------------------------------------------------------- "N, trong đó a, b"
    def marker_breakdowns(self, node: Node) -> None:
        ctx, f, inline = self.ctx, self.ctx.folded, self.ctx.inline
        start, end = node.body_start, _own_end(node)
        for m in ctx.lex.breakdown.finditer(f, start, end):
            aside = inline.aside(m.start())
            s_start, s_end = inline.sentence(m.start())
            lo = max(start, s_start, m.start() - _TOTAL_GAP)
            if aside is not None:
                lo = max(lo, aside[0])
            before = self.items(lo, m.start(), depth_of=aside)
            if not before and aside is not None:  # "N (trong đó a, b)": the total stands before the bracket
                # (not across the full stop of a bracket on a line of its own: "… 391.027 hồ sơ.⏎(Theo cấp: …)"; right
                # after it on the same line it still is: "là: 51 thủ tục. (Trong đó: …)")
                opened = inline.sentence(aside[0])[0]
                lo = max(start, aside[0] - _TOTAL_GAP, opened if "\n" in f[opened:aside[0]] else 0)
                before = self.items(lo, aside[0], depth_of=inline.aside(aside[0]))
            elif not before and not f[s_start:m.start()].strip(" ("):
                # "… 2.528/2.532 hồ sơ. Phát sinh ở lĩnh vực: …": a sentence opening with the marker breaks
                # down the figure the sentence before ends with
                before = self.items(max(start, m.start() - _TOTAL_GAP), m.start(), depth_of=aside)
                if before and _ends_a_list(self, before[-1], m.start()):
                    continue
            if not before:
                continue
            total = before[-1]
            if len(before) >= 2 and ctx.lex.base_before.search(f, before[-2][-1].end, total[0].start):
                total = before[-2]  # "1.642 dịch vụ … trên tổng số 1.897 TTHC (86,56%), trong đó: …": the base is no whole
            gap = f[total[-1].end:m.start()]
            if ";" in gap.rstrip(" ;") or ctx.lex.breakdown.search(gap):
                continue
            if (total[0].end <= s_start or ";" in gap) and id(total[0]) in self.part_of:
                # "… 125 TTHC, trong đó … bãi bỏ 20 TTHC. Phân theo cấp: …": the sentence before ends with a
                # part; the new one breaks down the same whole again, not that part; so does a marker after
                # the ";" that closes a list ("157 hồ sơ, gồm: …, khai báo tạm vắng 9; trong đó 149 …")
                total = self.part_of[id(total[0])].total
            list_end = min(aside[1] if aside else s_end, end)
            after_colon = f[m.end():min(list_end, m.end() + 3)].strip(" :") == "" and f.find(":", m.end() - 1, m.end() + 3) >= 0
            if after_colon and not ctx.between(m.end(), list_end):
                continue  # "trong đó:" closing the line: its sub-items are the parts (children_breakdowns)
            list_end = self._list_end(m.end(), list_end, aside)
            listed = self.items(m.end(), list_end, depth_of=aside)
            parts = self.same_unit(total, listed)
            if not parts or _several_per_scope(ctx, total, parts):
                continue
            word = " ".join(m.group(0).split()).strip(" :")
            complete = bool(ctx.lex.complete_marker.fullmatch(word))
            if not complete and _overlapping(self, total, parts, m.end(), list_end):
                continue
            word = " ".join(ctx.text[m.start():m.end()].split()).strip(" :")  # as written, for messages
            gaps = any(q.role not in ("quantity", "numerator", "denominator", "delta") and not q.percent
                       for q in ctx.between(m.end(), list_end) if inline.aside(q.start) == aside) \
                or _other_units(self, total, listed, parts)
            self.add(Breakdown(total, parts, "marker", complete, ctx.scope_at(total[0].start), total[0].start, list_end,
                               word=word, gaps=gaps))

    def _list_end(self, start: int, end: int, aside) -> int:
        """A list ends at the next "trong đó" of its own bracket level (that part breaks down further),
        and an inline list (parts set apart by commas) ends with its clause."""
        ctx, f, inline = self.ctx, self.ctx.folded, self.ctx.inline
        for m in ctx.lex.breakdown.finditer(f, start, end):
            if inline.aside(m.start()) == aside:
                end = m.start()
                break
        semi = f.find(";", start, end)
        # after a colon, parts may be set apart by ";"; parts set apart by commas end at the first ";"
        if semi >= 0 and (":" not in f[start - 2:start + 1]
                          or ":" not in f[start:semi].lstrip(" :") and len(self.items(start, semi, depth_of=aside)) >= 2):
            end = semi
        stop = ctx.lex.list_stop.search(f, start, end)
        return stop.start() if stop else end

    # ---------------------------------------------------------------- a line ending "…:" and its sub-items
    def children_breakdowns(self, node: Node) -> None:
        """A line ending "…, trong đó:" and the items under it, or, for a paragraph, the run of items
        right after it (a paragraph holds no items in the tree)."""
        ctx, f = self.ctx, self.ctx.folded
        kids = _item_run(node.children) if node.kind == "item" else _following_items(node)
        if len(kids) < 2:
            return
        own = f[node.body_start:_own_end(node)].rstrip()
        if not own.endswith(":"):
            return
        # the total is a figure of the sentence that opens the list: "Toàn tỉnh tiếp nhận 3.000 hồ sơ; …
        # Cụ thể theo từng cấp:" or "Hồ sơ tiếp nhận mới phân theo lĩnh vực:" name no figure of their own,
        # and the last figure of the sentence before is not what the items add up to
        lead = max(node.body_start, self.ctx.inline.sentence(node.body_start + len(own) - 1)[0])
        head_items = [it for it in self.items(lead, _own_end(node)) if it[0].unit != "money"]
        if len(head_items) >= 2 and self._side_by_side(head_items, kids, node):
            return
        total = head_items[-1] if head_items else None
        found: list[tuple[Node, list[Item]]] = []
        for kid in kids:
            # the item's first sentence: a line wrapped on after it ("….⏎Lũy kế … 17.890") says more than the part
            first = self.items(kid.body_start, min(_own_end(kid), ctx.inline.sentence(kid.body_start)[1]))
            if not first:
                continue
            if ctx.total_word(kid.body_start) and total is None:
                total = first[0]
                continue
            if ctx.total_word(kid.body_start):
                continue
            found.append((kid, first))
        if total is None:
            return
        unit = self.unit_of(total)
        # an item's part is its first figure of the total's unit: "Hồ sơ do 02 xã cũ bàn giao …: 40 hồ sơ"
        picked = [(kid, next((it for it in items if self.unit_of(it) == unit), items[0])) for kid, items in found]
        # an item counted in another unit ("Đăng ký kết hôn: 9.089 cặp" among "trường hợp" under "46.829 việc")
        # may still be a part: left out, it leaves the sum short of the total without saying so
        other_units = any(self.unit_of(p) != unit for _, p in picked)
        picked = [(kid, p) for kid, p in picked if self.unit_of(p) == unit and len(p) == len(total)]
        parts = [p for _, p in picked]
        names = [" ".join(ctx.text[kid.body_start:p[0].start].split()).strip(" :") for kid, p in picked]
        if len(parts) < 2:
            return  # "02 nhóm TTHC liên thông:" counts the sub-items; it is not the total of their figures
        if any(_periods_in(ctx, kid) > 1 for kid, _ in picked):
            return  # "- Tháng 11: …; Tháng 12: …" on one item: its first figure is not all it adds
        whole = self.part_of.get(id(total[0]))
        if whole is not None and whole.total[0].start >= lead and len(total) == len(whole.total) == 1:
            # "tiếp nhận 4.210 hồ sơ, trong đó trực tuyến 2.645 hồ sơ, cụ thể:": the items may break down the
            # whole or its part; the words do not say which, so only a list that adds up to one of them is read
            added = sum((p[0].value for p in parts), Decimal(0))
            total = next((t for t in (total, whole.total) if t[0].value == added), None)
            if total is None:
                return
        self.add(Breakdown(total, parts, "children", True, ctx.node_scope.get(id(node), ctx.report.scopes[0]),
                           total[0].start, kids[-1].end, names, gaps=other_units))

    def _side_by_side(self, totals: list[Item], kids: list[Node], node: Node) -> bool:
        """"649 TTHC … toàn trình và 902 TTHC … một phần, cụ thể:" over "+ Cấp tỉnh: 512 TTHC toàn trình, 708
        TTHC một phần": each item gives one part of each total, in the same order. False when the items
        do not give as many figures as the line has totals."""
        ctx = self.ctx
        kids = [kid for kid in kids if not ctx.total_word(kid.body_start)]
        rows = [self.items(kid.body_start, _own_end(kid)) for kid in kids]
        if len(rows) < 2 or any(len(r) != len(totals) for r in rows):
            return False
        names = [" ".join(ctx.text[kid.body_start:r[0][0].start].split()).strip(" :") for kid, r in zip(kids, rows)]
        for i, total in enumerate(totals):
            parts = [r[i] for r in rows]
            if all(self.unit_of(p) == self.unit_of(total) and len(p) == len(total) for p in parts):
                self.add(Breakdown(total, parts, "children", True, ctx.node_scope.get(id(node), ctx.report.scopes[0]),
                                   total[0].start, kids[-1].end, names))
        return True

    # ---------------------------------------------------------------- "N (a, b)" and "a và b (tổng cộng N)"
    def aside_breakdowns(self, node: Node) -> None:
        ctx, f, inline = self.ctx, self.ctx.folded, self.ctx.inline
        start, end = node.body_start, _own_end(node)
        for a, b in inline.asides_in(start, end):
            if b - a > _ASIDE_REACH:
                continue  # a bracket left open to the block's end holds no list of parts
            inside = self.items(a + 1, b, depth_of=(a, b))
            if not inside:
                continue
            words = f[a + 1:b]
            if ctx.lex.breakdown.search(words) or ctx.lex.aside_other_time.match(f, a + 1) or ctx.lex.not_parts.search(words) \
                    or _one_period_aside(ctx, words):
                continue
            tm = ctx.total_word(_skip(f, a + 1))
            if tm and len(inside) == 1:
                self._total_after(node, inside[0], a)
                continue
            if len(inside) < 2 or any(q.approx for it in inside for q in it):
                continue
            lead = f[a + 1:inside[0][0].start].strip(" :")
            if lead and not ctx.lex.label_regex.match(lead) and (len(lead.split()) > 5 or ctx.lex.aside_note.search(lead)):
                continue  # "(con số này đã gộp 370 … và 9 …)": a note about the figure, not its parts
            outer = inline.aside(a)
            before = self.items(max(start, inline.clause(a)[0]), a, depth_of=outer)
            if not before:
                continue
            total = before[-1]
            gap = f[total[-1].end:a].strip(" ")
            same_unit = total[-1].unit is not None and all(it[-1].unit == total[-1].unit for it in inside)
            if gap and not ctx.lex.any_unit.fullmatch(gap) and not (same_unit and len(gap) <= 80 and "," not in gap):
                continue  # "24 văn bản chỉ đạo … (12 kế hoạch, 8 công văn, 4 quyết định)" is one; words elsewhere not
            parts = self.same_unit(total, inside)
            if len(parts) >= 2 and id(parts[0][0]) not in self.listed_in and not _overlapping(self, total, parts, a, b):
                self.add(Breakdown(total, parts, "aside", False, ctx.scope_at(total[0].start), total[0].start, b))

    def _total_after(self, node: Node, total: Item, aside_start: int) -> None:
        ctx, inline = self.ctx, self.ctx.inline
        lo = max(node.body_start, inline.clause(aside_start)[0])
        parts = self.same_unit(total, self.items(lo, aside_start, depth_of=inline.aside(aside_start)))
        if len(parts) >= 2:
            self.add(Breakdown(total, parts, "total_after", True, ctx.scope_at(total[0].start), parts[0][0].start,
                               total[-1].end))

    # ---------------------------------------------------------------- "Trình độ: Đại học 06 người, Cao đẳng 03 người"
    def colon_lists(self, node: Node) -> None:
        """A list after a colon of figures in one unit ("Trình độ chuyên môn: Đại học 06 người, Trung cấp
        02 người") breaks down the last figure of that unit stated before it in the block."""
        ctx, f, inline = self.ctx, self.ctx.folded, self.ctx.inline
        start, end = node.body_start, _own_end(node)
        if len(ctx.between(start, end)) < 3:
            return  # a total and two parts at least
        for colon in _all(f, ":", start, end):
            s_end = min(inline.sentence(colon)[1], end, colon + _LIST_REACH)
            parts = self.items(colon + 1, s_end, depth_of=inline.aside(colon))
            if len(parts) < 2 or any(len(p) != 1 for p in parts) or id(parts[0][0]) in self.listed_in:
                continue
            unit = parts[0][0].unit
            if unit in (None, "money", "time", "dossiers") or any(p[0].unit != unit for p in parts):
                continue
            gaps = [f[a[0].end:b[0].start] for a, b in zip(parts, parts[1:])]
            if not all(ctx.lex.list_gap.fullmatch(g) for g in gaps):
                continue
            earlier = [it for it in self.items(max(start, colon - 400), colon, depth_of=inline.aside(colon))
                       if len(it) == 1 and it[0].unit == unit and id(it[0]) not in self.listed_in]
            if ctx.lex.total_word_end.search(f, max(0, parts[-1][0].start - 16), parts[-1][0].start):
                earlier, parts = [parts[-1]], parts[:-1]  # "…; tháng thứ ba 15.544; tổng cộng 43.747": the list's own total
            if not earlier or len(parts) < 2:
                continue
            total = earlier[-1]
            if _overlapping(self, total, parts, colon, s_end):
                continue  # "21 cán bộ, công chức, trong đó: nữ 08 người, đảng viên 19 người": traits that overlap
            self.add(Breakdown(total, parts, "colon_list", False, ctx.scope_at(total[0].start), total[0].start, s_end,
                               word=":"))

    # ---------------------------------------------------------------- "a + b = c", "a + b so với c"
    def arithmetic(self, node: Node) -> None:
        ctx, f = self.ctx, self.ctx.folded
        start, end = node.body_start, _own_end(node)
        if len(ctx.between(start, end)) < 3:
            return
        for m in ctx.lex.stated_sum.finditer(f, start, end):
            lo, hi = ctx.inline.sentence(m.start())
            # a sum written out stands close around its sign: a long sentence is not read whole per sign
            lo, hi = max(lo, start, m.start() - _SUM_REACH), min(hi, end, m.end() + _SUM_REACH)
            seq = self.items(lo, hi, depth_of=ctx.inline.aside(m.start()))
            before = [it for it in seq if it[-1].end <= m.start()]
            after = [it for it in seq if it[0].start >= m.end()]
            if not before or not after:
                continue
            parts = [before[-1]]
            for it in reversed(before[:-1]):  # figures joined by "+" before the sign ("311 hồ sơ + 117 hồ sơ")
                if not _PLUS_GAP.fullmatch(f, it[-1].end, parts[0][0].start):
                    break  # (not a "+" between words: "428 (TT + TTBC)⏎Tổng phải GQ: 428 + 18 = 446")
                parts.insert(0, it)
            if len(parts) < 2:
                continue
            asserted = "=" in m.group(0)
            self.add(Breakdown(after[0], self.same_unit(after[0], parts), "stated_sum", asserted,
                               ctx.scope_at(parts[0][0].start), parts[0][0].start, after[0][-1].end,
                               word=" ".join(ctx.text[m.start():m.end()].split())))


def _several_per_scope(ctx, total: Item, parts: list[Item]) -> bool:
    """"Cụ thể: Xã A: tiếp nhận 300, giải quyết 291 hồ sơ; Xã B: …": each unit after the marker states
    several figures of its own; they are its figures, not parts of the total before the marker."""
    home = ctx.scope_at(total[0].start)
    scopes = [ctx.scope_at(p[0].start) for p in parts]
    own = {id(sc) for sc in scopes if sc is not home}
    return len(own) >= 2 and len(set(map(id, scopes))) < len(scopes)


def _following_items(node: Node) -> list[Node]:
    """The run of items of one style right after a paragraph, in its parent."""
    if node.parent is None:
        return []
    siblings = node.parent.children
    return _item_run(siblings[siblings.index(node) + 1:])


def _periods_in(ctx: Ctx, node: Node) -> int:
    """How many periods the figures of one item are of."""
    return len({id(sc) for q in ctx.between(node.body_start, _own_end(node))
                if (sc := ctx.scope_at(q.start)).kind == "period"})


def _item_run(nodes: list[Node]) -> list[Node]:
    """The first items of `nodes`, of one style, up to anything else: "+ Trước hạn …; + Quá hạn …" under
    "Đã giải quyết: …, trong đó:", not the "- Lĩnh vực …" list that a later paragraph opens."""
    out: list[Node] = []
    for sib in nodes:
        if sib.kind != "item" or (out and sib.style != out[0].style):
            break
        out.append(sib)
    return out


def _own_end(node: Node) -> int:
    return node.children[0].start if node.children and node.children[0].start < node.end else node.end


def _skip(f: str, pos: int) -> int:
    while pos < len(f) and f[pos] in " \t\n":
        pos += 1
    return pos


# -------------------------------------------------------------------- shares


def read_shares(ctx: Ctx, rel: Relations) -> None:
    lex, f, inline = ctx.lex, ctx.folded, ctx.inline
    for i, p in enumerate(ctx.qs):
        if not p.percent or p.role not in ("quantity",):
            continue
        _base_before(ctx, p)
        node = ctx.node_at(p.start)
        if node is None or node.kind == "table":
            continue
        share = Share(p, ctx.scope_at(p.start))
        c_start = max(inline.clause(p.start)[0], node.body_start)
        window = f[max(c_start, p.start - 60):p.start]
        share.comparison = bool(lex.comparison_before.search(window)) and not lex.share_before.search(window) \
            or bool(lex.comparison_after.match(f, p.end))
        share.compared = bool(lex.comparison_before.search(f, max(c_start, p.start - _CLAUSE_REACH), p.start))
        share.rate_named = bool(lex.rate_word.search(f, max(c_start, p.start - 120), p.start)) or bool(lex.share_before.search(window))
        _numerator(ctx, rel, share, i, c_start)
        _named_base(ctx, share)
        if share.numerator is not None and share.denominator is None:
            bd = rel.part_of.get(id(share.numerator))
            if bd is not None and len(bd.total) == 1:
                share.breakdown_total = bd.total
        ctx.report.shares.append(share)


def _base_before(ctx: Ctx, p: Quantity) -> None:
    """"Tỷ lệ … trên số hồ sơ đến hạn là 99,51%": the words naming the base before the percentage, in its
    sentence (at most 300 characters back)."""
    text, f = ctx.text, ctx.folded
    start = max(text.rfind(". ", 0, p.start) + 1, text.rfind("\n\n", 0, p.start) + 1, p.start - 300) + 1
    named = ctx.lex.of_total.search(f, start, p.start)
    if named is not None:
        ctx.report.bases_before[p.start] = " ".join(f[named.end():p.start].split()[:6])


def _rate_opens_anew(ctx: Ctx, between: str) -> bool:
    """"- Quá hạn: 8 hồ sơ⏎Tỷ lệ giải quyết đúng hạn (…) là 99,94%": a rate named on a line or in a sentence of its
    own after the count is that rate, not the count's share."""
    m = ctx.lex.rate_word.search(between)
    return m is not None and re.search(r"[\n.;:!?]\s*$", between[:m.start()]) is not None


def _names_its_own(ctx: Ctx, between: str) -> bool:
    """"đã giải quyết 200 hồ sơ, đúng hạn 99,50%": words after the count's phrase name what the percentage
    is the rate of; the count is its base at most, not its numerator."""
    comma = between.find(",")
    return comma >= 0 and bool(ctx.lex.candidates(between[comma + 1:].strip()))


def _numerator(ctx: Ctx, rel: Relations, share: Share, i: int, c_start: int) -> None:
    lex, f, qs = ctx.lex, ctx.folded, ctx.qs
    p = share.pct
    # "x% (a/b …)": the fraction right after, in brackets
    if i + 2 < len(qs) and qs[i + 1].role == "numerator" and re.fullmatch(r"\s*\(\s*", f[p.end:qs[i + 1].start]):
        share.numerator, share.denominator, share.via = qs[i + 1], qs[i + 2], "fraction"
        _rate_keys(lex, share, f[max(c_start, p.start - _RATE_REACH):p.start])
        return
    if lex.any_unit.match(f, p.end) and not lex.base_after.match(f, p.end):
        return  # "đã chuyển 100% TTHC": a percentage of something the sentence names after it, not a share
    level = ctx.inline.aside(p.start)
    j = i - 1
    while j >= 0 and qs[j].start >= c_start and (qs[j].role not in ("quantity", "numerator", "denominator")
                                                 or ctx.inline.aside(qs[j].start) not in (level, _inner(ctx, qs[j], p))):
        j -= 1
    prev = qs[j] if j >= 0 and qs[j].start >= c_start and not qs[j].percent else None
    if prev is not None:
        between = f[prev.end:p.start]
        if prev.role == "denominator" and len(between) <= 150 and ";" not in between:
            if prev.unit in lex.attaining_units and lex.attained.fullmatch(f, _past_units(ctx, prev.end, p.start), p.start):
                return  # "11/16 đơn vị đạt … 99%": what each unit attains, not the share the fraction makes
            if any(q.percent for q in ctx.between(prev.end, p.start)):
                return  # "09/10 đơn vị (90,00%) đạt … từ 98%": the fraction's share was stated right after it
            if lex.other_time.search(f, prev.end, p.start):
                return  # "99,90% (23.023/23.045 hồ sơ, cùng kỳ năm 2024 đạt 99,49%)": another period's rate
            if lex.deducted_before.search(f, max(0, qs[j - 1].start - 16), qs[j - 1].start):
                return  # "bị trừ 6,67/24,50 điểm, chỉ đạt 72,78%": the share kept, not the fraction lost
            share.numerator, share.denominator, share.via = qs[j - 1], prev, "fraction"
            return
        if prev.role == "quantity" and len(between) <= _LINK_GAP and lex.share_link.fullmatch(between) \
                and not _names_its_own(ctx, between) and not _rate_opens_anew(ctx, between):
            share.numerator, share.via = prev, "linked"
            # "2,373 trong tổng số 3,297 hồ sơ (đạt 71.97%)": the base stands between
            pj = j - 1
            if pj >= 0 and qs[pj].start >= c_start and qs[pj].role == "quantity" and not qs[pj].percent \
                    and lex.of_total.search(f, qs[pj].end, prev.start) \
                    and ctx.inline.sentence(qs[pj].start) == ctx.inline.sentence(prev.start):  # not "… 480 HS.⏎Trong số …"
                share.numerator, share.denominator, share.via = qs[pj], prev, "of_total"
            return
    # "x%, tương đương 13,421 hồ sơ": the figure after
    nm = lex.share_after.match(f, p.end)
    if nm:
        nxt = ctx.at(nm.end())
        if nxt is not None and nxt.role == "quantity" and not nxt.percent:
            share.numerator, share.via = nxt, "after"
            return
    # a rate named in words: "Tỷ lệ hồ sơ nộp trực tuyến đạt 43,6%"
    if _rate_keys(lex, share, f[max(c_start, p.start - _RATE_REACH):p.start]):
        share.via = "rate"


def _past_units(ctx: Ctx, pos: int, end: int) -> int:
    """Past the units a count names, one or several ("12/54 xã, phường đạt …", "sở, ngành và địa phương")."""
    f, lex = ctx.folded, ctx.lex
    while pos < end:
        join = lex.item_join.match(f, pos, end)
        um = lex.any_unit.match(f, join.end(), end)
        if um is None or um.end() == join.end():
            break
        pos = um.end()
    return pos


def _rate_keys(lex, share: Share, clause: str) -> bool:
    """The keys of a rate named in words before its percentage."""
    for spec, rx in lex.rates:
        m = rx.search(clause)
        # "tỷ lệ hồ sơ trực tuyến đạt 43,6%", not "tỷ lệ hồ sơ trực tuyến được giải quyết nhanh đạt 95,7%"
        if m and lex.rate_tail.fullmatch(clause, m.end()):
            share.numerator_key, share.base_keys = spec.numerator, (spec.denominator,)
            return True
    return False


def _inner(ctx: Ctx, q: Quantity, p: Quantity):
    """The bracket that holds q, when the percentage p closes it: "N hồ sơ (x%)" reads N in "(… N hồ sơ, x%)"."""
    a = ctx.inline.aside(q.start)
    return a if a is not None and a[0] < p.start < a[1] else None


def _named_base(ctx: Ctx, share: Share) -> None:
    """"… 81,69% tổng số tiếp nhận", "… (12,72% số đã giải quyết)", "… trên tổng số 63 tỉnh"."""
    lex, f = ctx.lex, ctx.folded
    p = share.pct
    m = lex.base_after.match(f, p.end)
    if not m:
        aside = ctx.inline.aside(p.start)
        if aside is not None:  # "(93,98% sé hd so mới tiep nhan)": words of a base, too damaged to read
            share.base_unread = len(re.findall(r"[a-z]{2,}", f[p.end:aside[1]])) >= 2
        return
    nxt = ctx.at(m.end())
    if nxt is not None and nxt.role == "quantity" and not nxt.percent and share.denominator is None:
        share.denominator, share.base_named = nxt, True
        return
    words = f[m.end():m.end() + 60]
    cut = re.search(r"[;,()]|\.\s|\.$", words)
    words = words[:cut.start()] if cut else words
    found = lex.candidates(words)
    cands = [c for c in found if c[0] <= 12]
    if cands:  # and the readings that overlap them: "tổng số hồ sơ được [tiếp nhận] mới trong năm"
        reach = max(c[1] for c in cands)
        cands += [c for c in found if 12 < c[0] < reach]
    if cands:
        # the most specific reading: words after a head qualify it ("tổng số hồ sơ được tiếp nhận mới
        # trong năm" is the new ones), so the reading that ends last, then the longest; a base so named
        # is that one, never the wider figure the first words alone would name
        _, _, lab = min(cands, key=lambda c: (-c[1], -(c[1] - c[0]), c[0]))
        share.base_keys, share.base_named = tuple(dict.fromkeys((lab.key, *lab.alternatives))), True
    elif lex.whole_base.match(f, m.end()) or lex.whole_base.match(f, p.end):
        share.base_keys, share.base_named = ("*total",), True  # "chiếm 17,2% tổng số": the scope's own total
    elif share.denominator is None:
        q = _figure_named(ctx, p, words)
        if q is not None:
            share.denominator, share.base_named = q, True
        else:
            share.base_unread = bool(words.strip())  # a base named in words the lexicon does not know


def _figure_named(ctx: Ctx, p: Quantity, words: str) -> Quantity | None:
    """A base named by words the lexicon has no key for ("98% số hồ sơ đến hạn"): the count before the
    percentage, in its block, that the same words name ("Số hồ sơ đến hạn giải quyết là 1.200")."""
    named = " ".join(re.findall(r"[a-z0-9]+", words))
    if len(named.split()) < 2:
        return None
    node = ctx.node_at(p.start)
    if node is None:
        return None
    f = ctx.folded
    rx = re.compile(r"\b" + r"\s+".join(map(re.escape, named.split())) + r"\b")
    for q in reversed(ctx.between(max(node.body_start, p.start - _NAMED_REACH), p.start)):
        if q.role != "quantity" or q.percent:
            continue
        phrase = f[ctx.inline.phrase(q.start)[0]:q.start]
        if rx.search(phrase):
            return q
    return None


def partitions(ctx: Ctx) -> None:
    """Shares of one base whose counts add up to it must make 100% (within rounding)."""
    groups: dict[tuple, list[Share]] = {}
    for s in ctx.report.shares:
        if s.numerator is None or s.comparison or not s.bases:
            continue
        base, how = s.bases[0]
        if how in ("stated", "named", "breakdown"):
            # one base: the same figure, or the same denominator written again in one sentence ("a/T …, b/T …")
            key = (s.scope.id, base.value, ctx.inline.sentence(base.start)[0]) if how == "stated" else (id(base),)
            groups.setdefault(key, []).append(s)
        elif how in ("key", "wider_key"):
            # "trực tuyến 1.120 hồ sơ (70%), trực tiếp 480 hồ sơ (30%)": shares of the usual base in one
            # sentence, whose counts make that base exactly, are its partition too
            groups.setdefault((id(base), ctx.inline.sentence(s.pct.start)[0]), []).append(s)
    for members in groups.values():
        base = members[0].bases[0][0]
        if len(members) < 2 or sum(m.numerator.value for m in members) != base.value:
            continue
        ctx.report.breakdowns.append(Breakdown(
            (base,), [(m.pct,) for m in members], "shares", True, members[0].scope, members[0].pct.start,
            members[-1].pct.end, total_is_percent=True))


_RATE_REACH = 150  # characters before a percentage in which the words naming its rate are read
_CLAUSE_REACH = 400  # characters of a clause read back from a percentage (a run-on text is one clause)
_ASIDE_REACH = 1500  # characters of a bracket that can hold the parts of the figure before it
_NAMED_REACH = 1500  # characters back from a percentage that its named base may stand (a long block is not read whole)
_SUM_REACH = 300  # characters around "=" or "so với" in which a written-out sum is read
_LIST_REACH = 600  # characters after a colon in which its list of parts is read


def _all(text: str, ch: str, start: int, end: int):
    """Every position of `ch` in text[start:end]."""
    i = text.find(ch, start, end)
    while i >= 0:
        yield i
        i = text.find(ch, i + 1, end)


def _ends_a_list(rel: Relations, last: Item, before: int) -> bool:
    """"Có 9 phản ánh về quy định và 79 về hành vi. Phân theo lĩnh vực: …": the sentence before ends
    with one of two or more figures it lists side by side, so its last figure is no whole the new
    sentence could break down (their whole may stand earlier still): which one it is, is not said."""
    s_start = rel.ctx.inline.sentence(last[0].start)[0]
    unit = rel.unit_of(last)
    return sum(1 for it in rel.items(s_start, before) if rel.unit_of(it) == unit and len(it) == len(last)) >= 2


def read_relations(ctx: Ctx) -> Relations:
    rel = Relations(ctx)
    for node in ctx.nodes:
        if node.kind in ("item", "paragraph"):
            rel.marker_breakdowns(node)
    for node in ctx.nodes:
        if node.kind in ("item", "paragraph"):
            rel.children_breakdowns(node)
            rel.aside_breakdowns(node)
            rel.arithmetic(node)
            rel.colon_lists(node)
    ctx.report.breakdowns[:] = [bd for bd in ctx.report.breakdowns if not _each_on_the_totals_scale(bd)]
    return rel


def _one_period_aside(ctx: Ctx, words: str) -> bool:
    """"…, đã giải quyết 2.110 hồ sơ (6 tháng đầu năm: 1.702 hồ sơ tiếp nhận, 1.698 hồ sơ đã giải quyết)": a
    bracket that opens by naming one period gives that period's figures, not the parts of the figure before
    it ("(Quý I: 1.670 hồ sơ, Quý II: 1.898 hồ sơ)", a period per item, is a breakdown)."""
    periods = list(ctx.lex.scope_rx("period").finditer(words))
    return len(periods) == 1 and not words[:periods[0].start()].strip(" \t\n:-–")


def _overlapping(rel: Relations, total: Item, parts: list[Item], a: int, b: int) -> bool:
    """Parts above their total that count people by traits that overlap (relations.overlapping_traits)."""
    lex = rel.ctx.lex
    return rel.unit_of(total) in lex.overlapping_units and sum(p[0].value for p in parts) > total[0].value \
        and lex.overlapping_traits.search(rel.ctx.folded, a, b) is not None


def _other_units(rel: Relations, total: Item, listed: list[Item], parts: list[Item]) -> bool:
    """Whether a listed item counted in another unit was left out of the parts ("2.433 việc/bản, gồm 2.210 bản
    sao, 187 chữ ký, …"): it may still be one, so the sum falling short of the total is unsure."""
    unit = rel.unit_of(total)
    kept = {id(p[0]) for p in parts}
    return any(id(it[0]) not in kept and it[0].role != "delta" and rel.unit_of(it) not in (None, unit) for it in listed)


def _unit_word(ctx: Ctx, q: Quantity) -> str:
    """The words of a figure's unit as written, its scale word first ("ty dong", "trieu", "gio")."""
    f, lex = ctx.folded, ctx.lex
    sm = lex.scale.match(f, q.end)
    um = lex.any_unit.match(f, sm.end() if sm else q.end)
    words = ((sm.group(0) if sm else "") + " " + (um.group(0) if um else "")).split()
    return words[0] if words else ""
