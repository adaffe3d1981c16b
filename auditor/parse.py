"""Report structure with Lark: headings, bullets, paragraphs and tables, each with its span."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lark import Lark, Token, Transformer

from .resources import grammar_path


@dataclass
class Block:
    kind: str  # heading | bullet | paragraph | table
    start: int  # offsets into the decoded text, half-open
    end: int
    lines: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each line, newline excluded

    def text(self, source: str) -> str:
        return source[self.start:self.end]


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(grammar_path("report.lark").read_text(encoding="utf-8"), parser="lalr", lexer="basic", cache=True,
                maybe_placeholders=False)


class _ToBlocks(Transformer):
    def _block(self, kind: str, tokens: list[Token]) -> Block:
        lines = []
        for t in tokens:
            end = t.start_pos + len(t.value.rstrip("\n"))
            lines.append((t.start_pos, end))
        return Block(kind, lines[0][0], lines[-1][1], lines)

    def heading(self, items):
        return self._block("heading", items)

    def bullet(self, items):
        return self._block("bullet", items)

    def paragraph(self, items):
        return self._block("paragraph", items)

    def table(self, items):
        return self._block("table", items)

    def start(self, items):
        return [b for b in items if isinstance(b, Block)]


def parse_blocks(text: str) -> list[Block]:
    """Split a report into blocks. Always succeeds: every line is at least TEXT."""
    source = text if text.endswith("\n") else text + "\n"
    tree = _parser().parse(source)
    blocks = _ToBlocks().transform(tree)
    n = len(text)
    for b in blocks:  # the added final newline is not part of the source
        b.end = min(b.end, n)
        b.lines = [(s, min(e, n)) for s, e in b.lines]
    return blocks
