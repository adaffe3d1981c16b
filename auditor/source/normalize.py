"""Length-preserving folding: one character in, one character out, so offsets survive.

The folded text is for matching only (labels without diacritics, lower case);
spans always index into the original decoded text.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that NFD does not decompose to an ASCII base but that OCR and Vietnamese use.
_SPECIAL = {"đ": "d", "ð": "d", "ı": "i", "ł": "l", "ø": "o", "æ": "a", "œ": "o", "ß": "s"}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    if ch.isspace():
        return " " if ch != "\n" else "\n"
    if ch.isascii():
        return ch.lower()
    low = ch.lower()
    if len(low) == 1 and low in _SPECIAL:  # capital Đ, Ð (OCR's stand-in for Đ), Ø, Ł, Æ, Œ, ẞ too
        return _SPECIAL[low]
    base = unicodedata.normalize("NFD", ch)[0].lower()
    base = _SPECIAL.get(base, base)  # ǽ, ǿ: accented æ, ø
    return base if len(base) == 1 else ch


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = "\n" if ch == "\n" else fold_char(ch)
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Strip diacritics and lower-case, keeping len(fold(t)) == len(t) and every newline in place."""
    return text.translate(_TABLE)
