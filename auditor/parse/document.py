"""The document tree: sections nested by their numbering and bullet style, paragraphs, tables.

The Lark grammar (grammars/report.lark) reads each line as one typed token (a heading "I.", "1.",
"1.1", "a)", a bullet "-", "+", "*", "·", a table row, text) and groups wrapped lines into
blocks. This module nests those blocks the way a reader does:

- headings have a fixed order (I. > 1. > 1.1 > a)); a heading opens a section that holds what
  follows it until a heading of the same or a higher order;
- bullets nest by first appearance and indentation, as in any word processor: a bullet style
  not open yet opens a level under the current item, a style already open closes back to it;
- a paragraph after a blank line closes the open bullets (a list ends where prose resumes).

Every node keeps its span in the decoded text; nothing is re-found later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lark import Lark, Token, Transformer

from ..resources import grammar_path

HEADING_STYLES = ("ROMAN", "NUMBERED", "DOTTED", "LETTER")
BULLET_STYLES = ("DASH", "PLUS", "DOT", "ARROW", "STARRED")
# fixed order of the heading styles: a smaller rank contains a larger one
_HEADING_RANK = {"ROMAN": 1, "NUMBERED": 2, "DOTTED": 3, "LETTER": 4}


@dataclass(eq=False)
class Node:
    kind: str  # document | item | paragraph | table
    start: int  # offsets into the decoded text, half-open
    end: int
    lines: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each line, newline excluded
    style: str = ""  # the marker's style for an item: ROMAN, NUMBERED, ..., DASH, PLUS, ...
    marker: tuple[int, int] = (0, 0)  # span of the marker itself ("1.", "a)", "-")
    head_end: int = 0  # where a heading's title ends (its body may follow on the next lines)
    indent: int = 0
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)

    @property
    def body_start(self) -> int:
        return self.marker[1] if self.kind == "item" else self.start

    @property
    def is_heading(self) -> bool:
        return self.kind == "item" and self.style in HEADING_STYLES

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def depth(self) -> int:
        return sum(1 for _ in self.ancestors())


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(grammar_path("report.lark").read_text(encoding="utf-8"), parser="lalr", lexer="basic", cache=True,
                maybe_placeholders=False)


def _span(token: Token) -> tuple[int, int]:
    return token.start_pos, token.start_pos + len(token.value.rstrip("\n"))


class _Blocks(Transformer):
    """Each grammar rule to a flat Node; nesting comes after."""

    def _node(self, kind: str, tokens: list[Token]) -> Node:
        lines = [_span(t) for t in tokens]
        return Node(kind, lines[0][0], lines[-1][1], lines)

    def item(self, tokens):
        node = self._node("item", tokens)
        first = tokens[0]
        node.style = first.type
        text = first.value.rstrip("\n")
        stripped = text.lstrip(" \t")
        node.indent = len(text) - len(stripped)
        node.marker = _marker_span(first.type, text, first.start_pos)
        node.head_end = node.lines[0][1]
        return node

    def paragraph(self, tokens):
        return self._node("paragraph", tokens)

    def table(self, tokens):
        return self._node("table", tokens)

    def spaced(self, tokens):
        return self._node("spaced", tokens)

    def start(self, items):
        return [b for b in items if isinstance(b, Node)]


def _marker_span(style: str, line: str, offset: int) -> tuple[int, int]:
    i = len(line) - len(line.lstrip(" \t"))
    j = i
    if style in BULLET_STYLES:
        while j < len(line) and line[j] in "-–—+*·•▪●■◦○►➢➤→✓✔":
            j += 1
    else:
        while j < len(line) and not line[j].isspace():
            j += 1
            if line[j - 1] in ".)/" and (j >= len(line) or not line[j].isdigit()):
                break
    while j < len(line) and line[j] in " \t":
        j += 1
    return offset + i, offset + j


_LEAD_LINE = re.compile(r"[ \t]*[A-ZĐÀ-Ỹ][^\n:;.]{0,58}:[ \t]*$")  # "Cấp xã:", "Khối sở, ngành:" alone on its line


def _lead_lines_apart(blocks: list[Node], text: str) -> list[Node]:
    """"- Trả lại 296, rút 15 hồ sơ.⏎Cấp xã:⏎- Tiếp nhận …": a line that is only a lead with its colon, after a
    bullet's finished sentence, is no wrapped part of that bullet but a lead of its own over what follows. So is
    a sentence opening with a capital after the last of a list of one-line items ("- VNeID: 1.234 hồ sơ;⏎- Trực
    tiếp: 362 hồ sơ.⏎Tỷ lệ …", "c) Xã C (cũ): tiếp nhận … hồ sơ.⏎Cộng 6 tháng đầu năm, …"): the text goes on about
    the whole."""
    out: list[Node] = []
    for b in blocks:
        # the item before is one line closing with ";" or "." (a list of one-line items)
        last_of_a_list = b.kind == "item" and bool(out) and out[-1].kind == "item" and len(out[-1].lines) == 1 \
            and text[out[-1].lines[-1][0]:out[-1].lines[-1][1]].rstrip()[-1:] in (";", ".")
        cut = next((k for k in range(1, len(b.lines)) if _opens_apart(b, k, text, last_of_a_list)), None) \
            if b.kind == "item" else None
        if cut is None:
            out.append(b)
            continue
        b.lines, rest = b.lines[:cut], b.lines[cut:]
        b.end = b.lines[-1][1]
        b.head_end = min(b.head_end, b.end)
        out += [b, Node("paragraph", rest[0][0], rest[-1][1], rest)]
    return out


_FIGURE_CELL = re.compile(r"\S {2,}[\d.,]*\d%?[ \t]*$", re.M)


def _join_spaced(blocks: list[Node], text: str) -> list[Node]:
    """Runs of wide-gapped lines touching a table (no blank line between) are part of it: its
    heading rows above, its notes or ragged rows among its lines. Alone they are prose."""
    out: list[Node] = []
    for b in blocks:
        prev = out[-1] if out else None
        touching = prev is not None and text.count("\n", prev.end, b.start) <= 1
        if touching and {prev.kind, b.kind} <= {"table", "spaced"} and "table" in (prev.kind, b.kind):
            prev.kind = "table"
            prev.lines.extend(b.lines)
            prev.end = b.end
            continue
        out.append(b)
    for b in out:
        if b.kind == "spaced":
            # a label and a figure per line, three lines or more: a two-column table
            rows = sum(1 for s, e in b.lines if _FIGURE_CELL.search(text, s, e))
            b.kind = "table" if rows >= 2 and len(b.lines) >= 3 else "paragraph"
        if b.kind == "table" and all(_KEY_VALUE.match(text, s, e) for s, e in b.lines if text[s:e].strip()):
            b.kind = "paragraph"  # "Công chức một cửa:⇥⇥05⏎Máy tính:⇥⇥08": a label and its value per line, no table
    return out


# a line that is a label ending in a colon, then its value after tabs or spaces
_KEY_VALUE = re.compile(r"[ \t]*[^\t|\d\n][^\t|\n]*:(?:\t+|[ ]{2,})[^\t|\n]*$")


def _heading_title(node: Node, text: str) -> None:
    """A heading's title is its first line, and the next lines when the title wraps: no closing mark
    at the end of a line, and the next line begins in lower case, or the title is a sentence with
    figures that goes on ("4. Có 11/18 huyện … : Nông Sơn, …, Tây⏎Giang, Thăng Bình …")."""
    end = node.lines[0][1]
    for s, e in node.lines[1:]:
        last = text[node.lines[0][0]:end].rstrip()
        nxt = text[s:e].lstrip()
        sentence = len(last) > 60 and any(ch.isdigit() for ch in last[node.body_start - node.lines[0][0]:])
        if last and last[-1] not in ".:;!?)" and (nxt[:1].islower() or sentence or last[-1] == ","):
            end = e
        else:
            break
    node.head_end = end


def _holds_prose(item: Node, text: str) -> bool:
    """A section heading, or an item that is only a lead ending in a colon ("* Cấp huyện:"), holds the
    prose after it. A numbered line that is a sentence with figures ("2. Hồ sơ đang xử lý: 1.758 hồ
    sơ.") is an item of a list, and prose after it belongs to the section around the list."""
    head = text[item.body_start:item.head_end].rstrip()
    if head.endswith(":"):
        return True
    if not item.is_heading:
        return False
    return not (head.endswith((".", ";")) and any(ch.isdigit() for ch in head) and len(head) > 40)


def _list_closed(lead: Node, child: Node, text: str) -> bool:
    """"b) Cấp xã (97 xã, phường):" then its bullets, a blank line and a paragraph: the lead's list is over
    and the paragraph speaks for the section again. A section heading ("2.", "II.") holds it still."""
    if lead.style in ("ROMAN", "NUMBERED") or not text[lead.body_start:lead.head_end].rstrip().endswith(":") \
            or not any(c.kind == "item" for c in lead.children):
        return False
    return "\n\n" in text[lead.children[-1].end:child.start].replace(" ", "").replace("\t", "")


def _can_hold(parent: Node, child: Node, open_styles: list[str], text: str) -> bool:
    if parent.kind == "document":
        return True
    if child.kind != "item":  # prose and tables belong to the nearest heading, not to a bullet
        return _holds_prose(parent, text) and not _list_closed(parent, child, text)
    p_rank, c_rank = _HEADING_RANK.get(parent.style), _HEADING_RANK.get(child.style)
    if p_rank and c_rank:
        # (the same style set deeper in is a level down: "a) Văn phòng Sở: …" over "   i. Tiếp nhận mới …")
        return p_rank < c_rank or p_rank == c_rank and child.indent > parent.indent + 1
    if parent.style == child.style:
        return child.indent > parent.indent + 1
    if child.indent != parent.indent:
        return child.indent > parent.indent
    if p_rank:  # a bullet or a starred line under a numbered heading
        return True
    if c_rank:  # a numbered heading under a bullet only when indented deeper
        return False
    if _lead_only(child, text):
        # "- Tại UBND cấp huyện:⏎+ Tỷ lệ …: 57,30%.⏎* Cấp xã:⏎- Tổng số …": a lead in a new bullet style opens a section
        # beside the one before, never under it or under its statements
        return False
    # two bullet styles at the same indentation: the one met later is the deeper, unless it is already open
    return child.style not in open_styles


def _opens_apart(b: Node, k: int, text: str, last_of_a_list: bool) -> bool:
    """Whether line k of item b opens a paragraph of its own: a lead line after a finished sentence or right after
    the item's heading line ("1. Kết quả … theo từng cấp⏎Cấp tỉnh:"), or a capitalised sentence after the last of a
    list of one-line items."""
    end = text[b.lines[k - 1][0]:b.lines[k - 1][1]].rstrip()[-1:]
    if not (end in (".", ";", "!", "?") or k == 1 and end not in (",", ":")):
        return False
    line = text[b.lines[k][0]:b.lines[k][1]]
    return _LEAD_LINE.match(text, b.lines[k][0], b.lines[k][1]) is not None \
        or k == 1 and last_of_a_list and end == "." and line.lstrip()[:1].isupper()


def _lead_only(node: Node, text: str) -> bool:
    """An item that is only a lead with its colon ("* Cấp xã:"), no figure of its own."""
    words = text[node.body_start:node.end].strip()
    return words.endswith(":") and "\n" not in words and not any(ch.isdigit() for ch in words)


# "Nơi nhận:" opens the signature block; "PHỤ LỤC", "BIỂU MẪU", "Biểu số 01" open an appendix
_CLOSING = re.compile(r"[ \t]*(?:N[ơo]i nh[ậa]n\s*:|PH[ỤU] L[ỤU]C\b|Ph[ụu] l[ụu]c\b|BI[ỂE]U(?: M[ẪA]U| S[ỐO])?\b|"
                      r"Bi[ểe]u (?:m[ẫa]u|s[ốo])\b)")


def nest(blocks: list[Node], text: str) -> Node:
    root = Node("document", 0, len(text))
    stack: list[Node] = [root]
    for b in blocks:
        if b.kind == "item" and b.style in _HEADING_RANK:
            _heading_title(b, text)
        elif b.kind == "item":
            b.head_end = b.end  # a bullet's lines are one wrapped text
        if b.kind == "paragraph" and _CLOSING.match(text, b.start):
            del stack[1:]  # the signature block and the appendices after it belong to no section
        while len(stack) > 1 and not _can_hold(stack[-1], b, [n.style for n in stack[1:]], text):
            stack.pop()
        parent = stack[-1]
        b.parent = parent
        parent.children.append(b)
        if b.kind == "item":
            stack.append(b)
    return root


def parse_document(text: str) -> Node:
    """The whole report as a tree. Always succeeds: every line is at least TEXT."""
    source = text if text.endswith("\n") else text + "\n"
    blocks = _Blocks().transform(_parser().parse(source))
    n = len(text)
    for b in blocks:  # the added final newline is not part of the source
        b.end = min(b.end, n)
        b.lines = [(s, min(e, n)) for s, e in b.lines]
        b.head_end = min(b.head_end, n)
    return nest(_join_spaced(_lead_lines_apart(blocks, text), text), text)
