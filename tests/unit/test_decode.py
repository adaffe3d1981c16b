"""auditor.source.decode: bytes in any encoding a commune office produces become the same NFC text."""
from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.source.decode import decode
from auditor.errors import InputError

SAMPLE = ("ỦY BAN NHÂN DÂN XÃ THẠCH LÂM\n"
          "Số hóa hồ sơ khi tiếp nhận: 1.190/1.215 hồ sơ, đạt tỷ lệ 97,94%.\n"
          "Đã giải quyết trước hạn, đúng hạn; quá hạn: 8 hồ sơ. Ưu tiên phường Đông Hòa, Ngọc Lặc.\n")

# Windows-1258 spells tones as combining marks after a base letter that may carry ^, ˘ or the horn.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode the way Vietnamese Windows software did: base letter (with its shape mark) + tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def _variants(text: str) -> dict[str, bytes]:
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-sig": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "windows-1258": to_cp1258(text),
    }


EXPECTED_NAME = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
                 "windows-1258": "windows-1258"}


def test_cp1258_helper_really_uses_combining_tones():
    data = to_cp1258("ố")
    assert data == "ô".encode("cp1258") + "\u0301".encode("cp1258")
    assert data.decode("cp1258") != "ố"  # decomposed: only NFC makes it equal
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "ố"


@pytest.mark.parametrize("variant", list(EXPECTED_NAME))
def test_every_encoding_gives_the_same_nfc_text(variant):
    data = _variants(SAMPLE)[variant]
    decoded = decode(data)
    assert decoded.text == unicodedata.normalize("NFC", SAMPLE)
    assert unicodedata.is_normalized("NFC", decoded.text)
    assert decoded.encoding == EXPECTED_NAME[variant]


VI_TEXT = st.text(
    alphabet=st.sampled_from(list("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstu"
                                  "ùúủũụưừứửữựvxyỳýỷỹỵĐƯƠÂÊÔĂ0123456789 .,:;()/%-\n")),
    min_size=1, max_size=120,
).filter(lambda t: t.strip())


@settings(max_examples=150)
@given(VI_TEXT)
@example("Số hóa hồ sơ")
def test_encodings_agree_on_generated_vietnamese(text):
    expected = unicodedata.normalize("NFC", text)
    for variant, data in _variants(text).items():
        decoded = decode(data)
        assert decoded.text == expected, variant
    # pure ASCII is valid UTF-8, so only non-ASCII cp1258 input falls back to the legacy codec
    if not text.isascii():
        assert decode(to_cp1258(text)).encoding == "windows-1258"


def test_decomposed_utf8_is_composed():
    nfd = unicodedata.normalize("NFD", SAMPLE)
    assert nfd != SAMPLE
    assert decode(nfd.encode("utf-8")).text == unicodedata.normalize("NFC", SAMPLE)


def test_line_endings_become_newlines():
    assert decode(b"a 1\r\nb 2\rc 3\n").text == "a 1\nb 2\nc 3\n"


# --- unreadable input ---------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"",
    b"   ",
    b" \t\r\n\n  ",
    codecs.BOM_UTF8,
    codecs.BOM_UTF8 + b"  \n",
    codecs.BOM_UTF16_LE + " \n\t ".encode("utf-16-le"),
    codecs.BOM_UTF16_BE,
    "\u00a0\u3000\n".encode("utf-8"),
], ids=["empty", "spaces", "mixed-ws", "bom-only", "bom-ws", "utf16-ws", "utf16-bom-only", "unicode-ws"])
def test_empty_or_whitespace_only_is_io002(data):
    with pytest.raises(InputError) as info:
        decode(data)
    assert info.value.code == "IO002"
    assert info.value.message


@pytest.mark.parametrize("data", [
    b"Tong so\x00 ho so 12",
    b"\x00" * 10,
    b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13" * 20,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    codecs.BOM_UTF8 + "a\x00b".encode("utf-8"),
    codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"),
], ids=["nul", "nuls", "controls", "png", "bom-nul", "utf16-nul"])
def test_binary_is_io003(data):
    with pytest.raises(InputError) as info:
        decode(data)
    assert info.value.code == "IO003"


def test_odd_length_utf16_is_an_input_error():
    with pytest.raises(InputError) as info:
        decode(codecs.BOM_UTF16_LE + "Số".encode("utf-16-le") + b"\x41")
    assert info.value.code.startswith("IO")


@settings(max_examples=300)
@given(st.binary(max_size=400))
@example(b"\x81\x8a\x9a\xfe")
@example(b"\xff\xfe\x00")
def test_arbitrary_bytes_decode_or_raise_input_error(data):
    try:
        decoded = decode(data)
    except InputError as exc:
        assert exc.code in {"IO002", "IO003", "IO004"}
        assert exc.message
        return
    assert decoded.text.strip()
    assert "\x00" not in decoded.text
    assert "\r" not in decoded.text
    assert unicodedata.is_normalized("NFC", decoded.text)
    assert decoded.encoding in {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "windows-1258"} \
        or decoded.encoding.startswith("utf-8 (")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_in_its_byte_order(encoding):
    decoded = decode(SAMPLE.encode(encoding))
    assert decoded.text == unicodedata.normalize("NFC", SAMPLE)
    assert decoded.encoding == encoding


@settings(max_examples=100)
@given(VI_TEXT, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_generated_vietnamese_in_utf16_without_bom(text, encoding):
    if len(text) < 2 or sum(ch.isascii() for ch in text) < len(text) * 0.5:
        return  # too short, or mostly letters beyond Latin-1, carry no NUL byte to tell the order by
    decoded = decode(text.encode(encoding))
    assert decoded.text == unicodedata.normalize("NFC", text)


def test_controls_in_utf16_layout_are_still_binary():
    with pytest.raises(InputError) as info:
        decode(b"\x01\x00\x02\x00" * 40)
    assert info.value.code == "IO003"


def test_utf8_cut_mid_letter_stays_utf8():
    data = SAMPLE.encode("utf-8") + "ố".encode("utf-8")[:2]
    decoded = decode(data)
    assert decoded.text == unicodedata.normalize("NFC", SAMPLE) + "\ufffd"
    assert decoded.encoding == "utf-8 (1 × U+FFFD)"


def test_utf8_with_a_few_broken_bytes_is_not_read_as_windows_1258():
    lines = [line.encode("utf-8") for line in SAMPLE.splitlines()]
    data = b"\n".join(line[:-1] if line[-1] >= 0x80 else line + b"\xc3" for line in lines) * 5
    decoded = decode(data)
    assert decoded.encoding.startswith("utf-8 (")
    assert "Số hóa hồ sơ khi tiếp nhận" in decoded.text


def test_windows_1258_is_not_taken_for_damaged_utf8():
    assert decode(to_cp1258(SAMPLE * 3)).encoding == "windows-1258"
