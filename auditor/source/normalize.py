"""Length-preserving folding: one character in, one character out, so offsets survive.

The folded text is for matching only (labels without diacritics, lower case);
spans always index into the original decoded text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFD does not decompose to an ASCII base but that OCR and Vietnamese use.
_SPECIAL = {"đ": "d", "ð": "d", "ı": "i", "ł": "l", "ø": "o", "æ": "a", "œ": "o", "ß": "s"}
# footnote marks ("12.032¹ hồ sơ", "quá hạn 10 hồ sơ²"): no part of the words around them
_SUPERSCRIPT_DIGITS = frozenset("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    if ch.isspace():
        return " " if ch != "\n" else "\n"
    if ch.isascii():
        return ch.lower()
    if ch in _SUPERSCRIPT_DIGITS:
        return " "
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


_BARE_PAGE_NUMBER = re.compile(r"\f[ \t]*\d{1,3}[ \t]*")
_CENTRED_NUMBER = re.compile(r"[ \t]{8,}\d{1,3}[ \t\r]*")


def _centred_number(lines: list[str], k: int) -> bool:
    """A number alone, set far in from the margin, with a blank line on each side: a converted page's number."""
    return bool(_CENTRED_NUMBER.fullmatch(lines[k])) and 0 < k < len(lines) - 1 \
        and not lines[k - 1].strip() and not lines[k + 1].strip()


def blank_page_furniture(text: str, furniture: re.Pattern) -> str:
    """The text with each line that is only a page's furniture (its number, "Trang 2/7", a bare number
    after a form feed) blanked out with the line break before it, length kept: figures there are no
    figures, and the paragraph or table the page broke runs on."""
    chars, pos, folded = None, 0, fold(text)
    lines = text.split("\n")
    for k, line in enumerate(lines):
        a, pos = pos, pos + len(line) + 1
        if not line.strip() or not (furniture.fullmatch(folded, a, a + len(line))
                                    or _BARE_PAGE_NUMBER.fullmatch(line.strip(" \t\r"))
                                    or _centred_number(lines, k)):
            continue
        chars = chars if chars is not None else list(text)
        chars[max(a - 1, 0):a + len(line)] = " " * (a + len(line) - max(a - 1, 0))
    return text if chars is None else "".join(chars)
