"""Vietnamese typed with legacy font encodings: TCVN3 (ABC, .VnTime) and VNI-Windows (VNI-Times).

Such text is Windows-1252 code points that a legacy font draws as Vietnamese letters: "Sè liÖu" (TCVN3)
or "Soá lieäu" (VNI) is "Số liệu". `sniff_bytes` / `sniff_text` say which scheme a text uses and convert it
only when the evidence is strong; otherwise `text` is None and the caller should ask for a Unikey conversion.

Tables (each entry cross-checked against at least two independent published tables):
- TCVN3 (TCVN 5712:1993 VN3 / "ABC"): bogoengine src/charset.hpp (numeric Unicode->TCVN3), duydev
  vietnamese-conversion src/charsets.ts, xvnkb tcvn.h, and glibc iconv TCVN5712-1 (the VN1 superset; its
  codes for the 74 VN3 letters below are identical). VN3 has no tone-marked capitals: the .VnTime (lower)
  and .VnTimeH (upper) fonts share one code per toned letter, so as in those sources (and Unikey) a code
  decodes to the lower-case letter; only Ă Â Ê Ô Ơ Ư Đ have codes of their own (0xA1-0xA7). VN1's extra
  capitals in 0x80-0x9F / 0xC0... are not decoded: in .VnTime files those bytes are Windows-1252 text
  (smart quotes, dashes) and stay as they are.
- VNI-Windows: xvnkb vni.h and duydev charsets.ts (146 and 134 entries, identical), and the README
  example "Xin chaøo caùc baïn". A VNI letter is a base letter followed by a mark byte (tone, or ^/breve
  with a tone); capitals use the upper-case mark (AÙ = Á). Marks decode to combining characters and are
  composed by NFC, so the two-character sequences need no per-match Python code.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LegacyText", "sniff_bytes", "sniff_text"]


@dataclass(frozen=True)
class LegacyText:
    scheme: str          # "TCVN3" or "VNI"
    text: str | None     # the converted text, Unicode NFC, when the conversion is reliable; else None
    evidence: float      # share (0..1) of the suspicious characters that the scheme explains


# Windows-1252 as a 256-character decoding table (its five undefined bytes stay Latin-1 controls).
_ANSI = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256))
_ANSI_ENC = codecs.charmap_build(_ANSI)

# TCVN3: letters in code order (tones per vowel: grave, hook, tilde, acute, dot below).
_TCVN3_LETTERS = ("ĂÂÊÔƠƯĐăâêôơưđ" "àảãáạ" "ằẳẵắặ" "ầẩẫấậ" "èẻẽéẹ" "ềểễếệ" "ìỉĩíị"
                  "òỏõóọ" "ồổỗốộ" "ờởỡớợ" "ùủũúụ" "ừửữứự" "ỳỷỹýỵ")
_TCVN3_CODES = bytes.fromhex("a1a2a3a4a5a6a7a8a9aaabacadae" "b5b6b7b8b9" "bbbcbdbec6" "c7c8c9cacb"
                             "cccecfd0d1" "d2d3d4d5d6" "d7d8dcddde" "dfe1e2e3e4" "e5e6e7e8e9"
                             "eaebecedee" "eff1f2f3f4" "f5f6f7f8f9" "fafbfcfdfe")
_TCVN3 = dict(zip(_TCVN3_CODES.decode("latin-1"), _TCVN3_LETTERS))   # look-alike -> letter

# VNI: mark bytes (lower-case form; the upper-case form is the same mark) and stand-alone letters.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300\u0309\u0303\u0301\u0323"
_VNI_TONES = dict(zip("øûõùï", (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)))
_VNI_CIRC = dict(zip("âàåãáä", ("\u0302" + t for t in ("", _GRAVE, _HOOK, _TILDE, _ACUTE, _DOT))))
_VNI_BREVE = dict(zip("êèúüéë", ("\u0306" + t for t in ("", _GRAVE, _HOOK, _TILDE, _ACUTE, _DOT))))
_VNI_LETTERS = dict(zip("ôöñæóòîíì", "ơưđỉĩịỵíì"))
_VNI = {k2: v for d in (_VNI_TONES, _VNI_CIRC, _VNI_BREVE) for k, v in d.items() for k2 in (k, k.upper())}
_VNI.update({k2: (v if k2 == k else v.upper()) for k, v in _VNI_LETTERS.items() for k2 in (k, k.upper())})


def _cls(chars: str, cased: bool = True) -> str:
    return "[" + re.escape(chars + chars.upper() if cased else chars) + "]"


_T, _C, _B = "".join(_VNI_TONES), "".join(_VNI_CIRC), "".join(_VNI_BREVE)
# Which suspicious characters a scheme explains: every TCVN3 code; a VNI letter, or a VNI mark after a
# base the table pairs it with (a: all 17; e, o: tones, ^; u, ơ, ư: tones; y: tones but the dot, ỵ = î).
_EXPLAINS = {
    "TCVN3": re.compile(_cls("".join(_TCVN3), cased=False)),   # É and é are different codes
    "VNI": re.compile("|".join([_cls("".join(_VNI_LETTERS)),
                                f"(?<=[aA]){_cls(_T + _C + _B)}",
                                f"(?<=[eEoO]){_cls(_T + _C)}",
                                f"(?<=[uUôÔöÖ]){_cls(_T)}",
                                f"(?<=[yY]){_cls(_T[:-1])}"])),
}
_TRANSLATE = {"TCVN3": str.maketrans(_TCVN3), "VNI": str.maketrans(_VNI)}
_DECODE = {"TCVN3": _ANSI.translate(_TRANSLATE["TCVN3"]),                            # charmap table
           "VNI": {b: _VNI.get(c, c) for b, c in enumerate(_ANSI)}}                     # may map to 2-3 chars

# Suspicious: non-ASCII, not whitespace, not punctuation/symbols (curly quotes, dashes, €, ™), not a BOM.
_SUSPECT = re.compile(r"[^\x00-\x7f\s\u2000-\u2bff\ufeff]")
_WORD = re.compile(r"(?:[^\W\d_]|[^\x00-\x7f\s\u2000-\u2bff\ufeff])+")

# Vietnamese syllable shapes: onset + rhyme (toneless, lower case) and at most one tone (ăk: Đắk Lắk).
_RHYMES = """a ai ao au ay am an ang anh ap at ac ach ăm ăn ăng ăp ăt ăc ăk âu ây âm ân âng âp ât âc
e eo em en eng ep et ec ê êu êm ên ênh êp êt êch i ia iu im in inh ip it ich iêu iêm iên iêng iêp iêt iêc
yêu yêm yên yêng yêt o oi om on ong op ot oc oong ooc oa oai oay oao oam oan oang oanh oap oat oac oach
oăm oăn oăng oăt oăc oe oeo oem oen oet ô ôi ôm ôn ông ôp ôt ôc ơ ơi ơm ơn ơp ơt u ua ui um un ung up ut uc
uân uâng uât uây uê uênh uêch uôi uôm uôn uông uôt uôc uơ uy uya uyu uych uynh uyn uyt uyp uyên uyêt
ư ưa ưi ưu ưm ưn ưng ưt ưc ươi ươu ươm ươn ương ươp ươt ươc y""".split()
_SYLLABLE = re.compile("(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?(?:%s)"
                       % "|".join(sorted(_RHYMES, key=len, reverse=True)))
_TONE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")

_SAMPLE = 60_000      # characters read from each of the start, middle and end of a long text
_MIN_SUSPECTS = 4     # fewer suspicious characters than this: ordinary text
_MIN_FIXED = 3        # words that only the conversion makes Vietnamese: fewer, not legacy at all
_RELIABLE = dict(evidence=0.9, valid=0.85, fixed=4)


def sniff_bytes(data: bytes) -> LegacyText | None:
    """Raw bytes of a file that is NOT valid UTF-8 (a .txt saved as 'ANSI' from a legacy-font document).

    Bytes that are valid UTF-8 are decoded and judged by `sniff_text`; bytes with NUL are not text."""
    if not data or b"\x00" in data:
        return None
    try:
        return sniff_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _sniff(codecs.charmap_decode(data, "strict", _ANSI)[0], data)


def sniff_text(text: str) -> LegacyText | None:
    """Text already decoded as Unicode (a UTF-8 file, or runs read from a .docx) whose characters are the
    code points the legacy font drew as Vietnamese letters (Windows-1252 / Latin-1 look-alikes such as
    'Sè liÖu', 'Soá lieäu'). Pass a whole document: short strings give too little evidence."""
    return _sniff(text, None)


def _is_syllable(word: str) -> bool:
    d = unicodedata.normalize("NFD", word.lower())
    tones = _TONE.findall(d)
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", _TONE.sub("", d))
    if not _SYLLABLE.fullmatch(bare):
        return False
    # a syllable closed by p, t, c, ch takes only the acute or the dot-below tone
    return not (bare.endswith(("p", "t", "c", "ch")) and tones and tones[0] not in (_ACUTE, _DOT))


def _sample(text: str) -> str:
    if len(text) <= 3 * _SAMPLE:
        return text
    mid = len(text) // 2
    return "\n".join((text[:_SAMPLE], text[mid:mid + _SAMPLE], text[-_SAMPLE:]))


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _sniff(look: str, raw: bytes | None) -> LegacyText | None:
    sample = _sample(look)
    suspects = len(_SUSPECT.findall(sample))
    if suspects < _MIN_SUSPECTS:
        return None
    words = {w for w in _WORD.findall(sample) if _SUSPECT.search(w)}
    best = None
    for scheme, explains in _EXPLAINS.items():
        evidence = len(explains.findall(sample)) / suspects
        own = fixed = broken = junk = valid = 0
        for w in words:
            before = _is_syllable(_nfc(w))
            if _SUSPECT.search(explains.sub("", w)):      # the scheme cannot read this word
                junk += not before
                continue
            after = _is_syllable(_nfc(w.translate(_TRANSLATE[scheme])))
            own, valid = own + 1, valid + after
            fixed += after and not before
            broken += before and not after
            junk += not (before or after)
        valid /= own or 1
        # legacy text: the scheme makes words Vietnamese that were not, breaks hardly any that were, and
        # leaves few words that are Vietnamese neither way (Windows-1258 misread as ANSI leaves many)
        if fixed < _MIN_FIXED or fixed <= 2 * (broken + junk) or valid < 0.5 or evidence < 0.3:
            continue
        reliable = (evidence >= _RELIABLE["evidence"] and valid >= _RELIABLE["valid"]
                    and fixed >= _RELIABLE["fixed"] and broken <= 0.1 * fixed)
        key = (reliable, evidence * valid)
        if best is None or key > best[0]:
            best = (key, scheme, evidence)
    if best is None:
        return None
    (reliable, _), scheme, evidence = best
    return LegacyText(scheme, _convert(scheme, look, raw) if reliable else None, round(evidence, 3))


def _convert(scheme: str, look: str, raw: bytes | None) -> str:
    if raw is None:
        try:   # back to the ANSI bytes so the table runs as a C-level charmap decode
            raw = codecs.charmap_encode(look, "strict", _ANSI_ENC)[0]
        except UnicodeEncodeError:
            return _nfc(look.translate(_TRANSLATE[scheme]))
    return _nfc(codecs.charmap_decode(raw, "strict", _DECODE[scheme])[0])
