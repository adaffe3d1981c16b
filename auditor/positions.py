"""Offsets to 1-based line and column, computed only when rendering."""
from __future__ import annotations

import re
from bisect import bisect_right


class LineIndex:
    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end]
