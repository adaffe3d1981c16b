"""Bytes to text: the decoded NFC text is the source every span indexes into."""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from .errors import InputError

# Windows-1258 stores Vietnamese tones as combining marks; NFC composes them after decoding.
_LEGACY = "cp1258"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 50)


def decode(data: bytes) -> Decoded:
    """Decode a report: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1258."""
    if not data.strip():
        raise InputError("IO002", "tệp rỗng")
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _strict(data, "utf-16"), "utf-16"
    else:
        if _looks_binary(data):
            raise InputError("IO003", "tệp nhị phân, không phải văn bản")
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
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
