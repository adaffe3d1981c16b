"""What every extraction pass shares: the text and its folded twin, the figures in order, the tree."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..facts import Quantity, Report, Scope
from ..lexicon import Lexicon
from ..source.normalize import fold
from ..parse.document import Node
from ..parse.inline import Inline

COUNT_ROLES = ("quantity", "numerator")


def writes_cong(written: str) -> bool:
    """Whether the words, as written, hold "công" ("công khai", "Công chứng", "Tổng công ty"), which folds
    like the "cộng" of a total."""
    return "công" in written.lower()


def skip_marks(f: str, pos: int) -> int:
    """Past the spaces and bullet marks at pos ("  - ", "+ ", "• "): where a line's words begin."""
    while pos < len(f) and f[pos] in " \t\n-–+*·•":
        pos += 1
    return pos


_OCR_ZERO = re.compile(r"(?<=[a-z])0(?![0-9])")


@dataclass
class Ctx:
    text: str
    lex: Lexicon
    report: Report
    folded: str = ""
    qs: list[Quantity] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    tree: Node | None = None
    inline: Inline | None = None
    nodes: list[Node] = field(default_factory=list)  # blocks in text order
    node_starts: list[int] = field(default_factory=list)
    node_scope: dict[int, Scope] = field(default_factory=dict)  # id(node) -> its scope
    sub_spans: dict[int, list[tuple[int, int, Scope]]] = field(default_factory=dict)  # id(node) -> narrower spans in it
    _span_index: dict[int, tuple] = field(default_factory=dict, repr=False)  # id(node) -> its spans sorted, for scope_at
    classified: dict[tuple[int, int], tuple | None] = field(default_factory=dict, repr=False)  # span -> what it names
    field_lines: set[int] = field(default_factory=set, repr=False)  # id(node) of blocks whose lines each name a field
    kind_items: set[int] = field(default_factory=set, repr=False)  # id(node) of bullets each about the kind it names

    def __post_init__(self) -> None:
        # OCR's "0" for "o" after a letter ("bàn gia0", "the0 lĩnh vực") read as the letter; figures are read
        # from the text itself, and "0" after a letter begins no figure
        self.folded = _OCR_ZERO.sub("o", fold(self.text))
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    # ---------------------------------------------------------------- figures
    def set_figures(self, qs: list[Quantity]) -> None:
        self.qs = qs
        self.starts = [q.start for q in qs]
        self.report.quantities = qs

    def at(self, pos: int) -> Quantity | None:
        i = bisect_left(self.starts, pos)
        if i < len(self.qs) and self.qs[i].start == pos:
            return self.qs[i]
        return None

    def index(self, q: Quantity) -> int:
        return bisect_left(self.starts, q.start)

    def between(self, a: int, b: int) -> list[Quantity]:
        """Figures that start in [a, b)."""
        return self.qs[bisect_left(self.starts, a):bisect_left(self.starts, b)]

    def mark(self, start: int, end: int, role: str) -> None:
        for q in self.between(start, end):
            q.role = role

    def next_figure(self, q: Quantity) -> Quantity | None:
        i = self.index(q) + 1
        return self.qs[i] if i < len(self.qs) else None

    def prev_figure(self, q: Quantity) -> Quantity | None:
        i = self.index(q)
        return self.qs[i - 1] if i else None

    # ---------------------------------------------------------------- structure
    def set_tree(self, tree: Node, inline: Inline) -> None:
        self.tree, self.inline = tree, inline
        self.nodes = [n for n in tree.walk() if n.kind != "document"]
        self.nodes.sort(key=lambda n: n.start)
        self.node_starts = [n.start for n in self.nodes]
        self.report.tree = tree

    def total_word(self, pos: int) -> re.Match | None:
        """"Tổng cộng", "Cộng", "Tổng số" opening at `pos`; not "công" ("công khai"), which folds the same."""
        m = self.lex.total_words.match(self.folded, pos)
        return None if m is not None and writes_cong(self.text[m.start():m.end()]) else m

    def node_at(self, pos: int) -> Node | None:
        """The block holding `pos`: blocks do not overlap (an item's own lines end where its children begin)."""
        i = bisect_right(self.node_starts, pos) - 1
        if i >= 0 and pos < self.nodes[i].end:
            return self.nodes[i]
        return None

    def line_of(self, pos: int) -> int:
        return bisect_right(self.line_starts, pos)

    def scope_at(self, pos: int) -> Scope:
        """The scope of the block holding `pos`, narrowed by a lead, an opener or an aside inside it."""
        node = self.node_at(pos)
        if node is None:
            return self.report.scopes[0]
        spans = self.sub_spans.get(id(node))
        if spans:
            index = self._span_index.get(id(node))
            if index is None:
                order = sorted(spans, key=lambda sp: sp[0])
                reach, far = [], -1
                for a, b, _ in order:
                    far = max(far, b)
                    reach.append(far)
                index = self._span_index[id(node)] = ([sp[0] for sp in order], order, reach)
            starts, order, reach = index
            # the innermost span holding pos opens last before it; once no earlier span reaches past pos, stop
            k = bisect_right(starts, pos) - 1
            while k >= 0 and reach[k] > pos:
                a, b, s = order[k]
                if pos < b:
                    return s
                k -= 1
        return self.node_scope.get(id(node), self.report.scopes[0])
