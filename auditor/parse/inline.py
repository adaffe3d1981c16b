"""Sentences, clauses and parenthesised asides inside the blocks of the document tree.

Computed once per report, as sorted offsets: every later question ("which sentence holds this
figure?", "is it inside brackets?") is a binary search, never a new scan of the text.

- a sentence ends at ". ", "? ", "! " (not after a short abbreviation such as "TP." or "Q."), at
  the end of a heading's title, and at the end of every block;
- a clause ends at a sentence end or at ";";
- a phrase ends at a clause end or at "," or ":" (a figure's label is looked for in its phrase);
- an aside is a balanced "( … )" or "[ … ]"; one left open ends with its sentence.
"""
from __future__ import annotations

import re

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .document import Node

_ABBREVIATION_MAX = 2  # "TP.", "Q.", "P.", "TS.": a full stop after so short a capitalised word is not an end


@dataclass
class Inline:
    sentence_cuts: list[int] = field(default_factory=list)  # offsets where a sentence begins
    clause_cuts: list[int] = field(default_factory=list)
    phrase_cuts: list[int] = field(default_factory=list)
    asides: list[tuple[int, int]] = field(default_factory=list)  # (open, close) offsets, sorted by open
    _aside_starts: list[int] = field(default_factory=list)
    _aside_parent: list[int] = field(default_factory=list)  # the aside each one sits in, or -1

    def sentence(self, pos: int) -> tuple[int, int]:
        return _around(self.sentence_cuts, pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return _around(self.clause_cuts, pos)

    def phrase(self, pos: int) -> tuple[int, int]:
        return _around(self.phrase_cuts, pos)

    def aside(self, pos: int) -> tuple[int, int] | None:
        """The innermost aside holding `pos` (its brackets excluded), or None."""
        # the last aside opening before pos holds it, or one of the asides around that one does
        j = bisect_right(self._aside_starts, pos) - 1
        while j >= 0:
            a, b = self.asides[j]
            if a < pos < b:
                return (a, b)
            j = self._aside_parent[j]
        return None

    def asides_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The asides that open in [start, end), in order."""
        return self.asides[bisect_left(self._aside_starts, start):bisect_left(self._aside_starts, end)]

    def cuts_between(self, kind: str, a: int, b: int) -> bool:
        cuts = {"sentence": self.sentence_cuts, "clause": self.clause_cuts, "phrase": self.phrase_cuts}[kind]
        i = bisect_right(cuts, a)
        return i < len(cuts) and cuts[i] <= b


def _around(cuts: list[int], pos: int) -> tuple[int, int]:
    i = bisect_right(cuts, pos)
    start = cuts[i - 1] if i else 0
    end = cuts[i] if i < len(cuts) else 1 << 62
    return start, end


_MARKS = re.compile(r"[()\[\];,:.?!]|\n(?=\n)")  # the characters that cut or bracket a text
_SPLIT_THOUSANDS = re.compile(r" \d{3}(?![\d.,])| \d{1,3}\s?%")  # "7. 846", "99. 59%"


def _full_stop(text: str, i: int) -> bool:
    """Whether the "." at i ends a sentence: white space follows, and it does not close an abbreviation
    ("TP. Rạch Giá") or a figure's thousands ("2.500" has no space after the dot)."""
    nxt = text[i + 1:i + 2]
    if nxt and not nxt.isspace():
        return False
    if i > 0 and text[i - 1].isdigit() and _SPLIT_THOUSANDS.match(text, i + 1):
        return False  # "7. 846", "99. 59%": OCR split a figure
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    word = text[j:i]
    if j >= 2 and text[j - 1] == " " and text[j - 2].isdigit():
        return True  # "… là 480 HS. Trong số …": a unit after its figure ends the sentence, no abbreviated title
    return not (0 < len(word) <= _ABBREVIATION_MAX and word[0].isupper())


def analyse(root: Node, text: str) -> Inline:
    out = Inline()
    sentence, clause, phrase = set(), set(), set()
    for node in root.walk():
        if node.kind == "document":
            continue
        sentence.add(node.start)
        sentence.add(node.end)
        if node.kind == "table":
            continue
        if node.kind == "item":
            sentence.add(node.body_start)
            if node.is_heading and node.head_end < node.end:
                sentence.add(node.head_end)  # a title ends at its line's end; a bullet's lines wrap one text
            if node.children:
                sentence.add(node.children[0].start)
        end = node.children[0].start if node.children else node.end
        opened: list[int] = []
        for m in _MARKS.finditer(text, node.body_start, end):
            i, ch = m.start(), m.group()
            if ch in "([":
                opened.append(i)
            elif ch in ")]" and opened:
                out.asides.append((opened.pop(), i))
            elif ch == ";":
                clause.add(i + 1)
            elif ch in ",:":
                phrase.add(i + 1)
            elif ch in ".?!" and _full_stop(text, i):
                sentence.add(i + 1)
                while opened:  # a bracket left open ends with its sentence
                    out.asides.append((opened.pop(), i))
            elif ch == "\n" and text[i + 1:i + 2] == "\n":
                sentence.add(i)
        for a in opened:
            out.asides.append((a, end))
    out.sentence_cuts = sorted(sentence)
    out.clause_cuts = sorted(sentence | clause)
    out.phrase_cuts = sorted(sentence | clause | phrase | {a + 1 for a, _ in out.asides} | {b for _, b in out.asides})
    out.asides.sort(key=lambda ab: (ab[0], -ab[1]))
    out._aside_starts = [a for a, _ in out.asides]
    out._aside_parent = _parents(out.asides)
    return out


def _parents(spans: list[tuple[int, int]]) -> list[int]:
    """For spans sorted by start (outer first on a tie), the index of the span each sits in, or -1."""
    parents, open_ = [], []
    for i, (a, b) in enumerate(spans):
        while open_ and spans[open_[-1]][1] <= a:
            open_.pop()
        parents.append(open_[-1] if open_ and b <= spans[open_[-1]][1] else -1)
        open_.append(i)
    return parents


def within(cuts: list[int], a: int, b: int) -> list[int]:
    """The cuts strictly between a and b."""
    return cuts[bisect_right(cuts, a):bisect_left(cuts, b)]
