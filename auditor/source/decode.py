"""Bytes to text: the decoded NFC text is the source every span indexes into."""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from ..errors import InputError

# Windows-1258 stores Vietnamese tones as combining marks; NFC composes them after decoding.
_LEGACY = "cp1258"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _many_controls(codes) -> bool:
    """More control characters (tab, newline, form feed, return aside) than any typed text has: more
    than one in fifty (a few stray ones are tolerated in a long text), or one in ten of a short file."""
    codes = list(codes)
    bad = sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13))
    return bad > max(8, len(codes) // 50) or bad * 10 > len(codes)


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192] or _many_controls(data[:8192])


_VI_LETTERS = set("ĂăĐđĨĩŨũƠơƯư")


def _plausible(ch: str) -> bool:
    """A character a Vietnamese report typed in UTF-16 would hold: printable ASCII, Latin-1, the
    Vietnamese letters and tone marks, punctuation, arrows and mathematical signs."""
    o = ord(ch)
    return (32 <= o < 127 or ch in "\t\n\r\f" or 0xA0 <= o <= 0xFF or ch in _VI_LETTERS or 0x300 <= o <= 0x323
            or 0x1EA0 <= o <= 0x1EF9 or 0x2000 <= o <= 0x206F or 0x2190 <= o <= 0x22FF)


def _utf16_without_bom(data: bytes) -> str | None:
    """Some exporters write UTF-16 without a byte-order mark: text in Latin script then has a NUL in
    every other byte, on one side only. Which side tells the byte order. The decoded text must then
    read as Vietnamese: a few bytes of a binary file (`x\\0\\1\\2`) also put a NUL on one side,
    but decode to letters of other scripts or to control characters."""
    sample = data[:8192]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= half * 0.3 and others <= half * 0.02:
            try:
                head = sample.decode(encoding)
            except UnicodeDecodeError:
                return None
            plain = sum(1 for ch in head if " " <= ch <= "~" or ch in "\t\n\r")
            odd = sum(1 for ch in head if not _plausible(ch))
            # Vietnamese prose is mostly plain ASCII letters, digits and spaces between the accented ones;
            # one odd character in a hundred is a symbol the report used, more is not this encoding
            return encoding if odd <= len(head) // 100 and plain >= len(head) * 0.5 else None
    return None


def _damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few broken bytes (a file cut mid-letter, a bad copy) is still UTF-8: reading it as
    Windows-1258 would garble every accented letter. Told apart by the share of well-formed
    multi-byte letters; the broken bytes become U+FFFD and the encoding name says how many."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    letters = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    if letters < 10 * broken:
        return None
    return text, f"utf-8 ({broken} × U+FFFD)"


def decode(data: bytes) -> Decoded:
    """Decode a report: UTF-8 (BOM or not), UTF-16 with or without BOM, else Windows-1258."""
    if not data.strip():
        raise InputError("IO002", "tệp rỗng")
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _strict(data, "utf-16"), "utf-16"
    elif utf16 := _utf16_without_bom(data):
        text, enc = _strict(data, utf16), utf16
    else:
        if _looks_binary(data):
            raise InputError("IO003", "tệp nhị phân, không phải văn bản")
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            damaged = _damaged_utf8(data)
            if damaged is not None:
                text, enc = damaged
            else:
                text, enc = _strict(data, _LEGACY), "windows-1258"
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in text:
        raise InputError("IO003", "tệp chứa ký tự NUL, không phải văn bản thuần")
    if not text.strip():
        raise InputError("IO002", "tệp rỗng")
    return Decoded(text, enc)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError("IO004", f"không giải mã được theo {encoding} (byte {exc.start})") from None
