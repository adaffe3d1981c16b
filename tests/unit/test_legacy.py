"""auditor.source.legacy: text typed with TCVN3 (.VnTime) or VNI (VNI-Times) fonts is recognised, and converted
only when that is reliable; genuine Unicode, Windows-1258, English and short strings are left alone."""
from __future__ import annotations

import random
import shutil
import subprocess
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.source.legacy import LegacyText, sniff_bytes, sniff_text

NFC = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
TONES = "\u0300\u0301\u0303\u0309\u0323"

# --- the published tables, typed here independently of the module --------------------------------
# TCVN3 (ABC / TCVN 5712:1993 VN3), Unicode letter and code, as listed by bogoengine src/charset.hpp and
# duydev/vietnamese-conversion src/charsets.ts (and glibc iconv TCVN5712-1 for these positions).
TCVN3_PAIRS = dict(p.split(":") for p in """
à:b5 á:b8 ả:b6 ã:b7 ạ:b9 ằ:bb ắ:be ẳ:bc ẵ:bd ặ:c6 ă:a8 ầ:c7 ấ:ca ẩ:c8 ẫ:c9 ậ:cb â:a9
è:cc é:d0 ẻ:ce ẽ:cf ẹ:d1 ề:d2 ế:d5 ể:d3 ễ:d4 ệ:d6 ê:aa ì:d7 í:dd ỉ:d8 ĩ:dc ị:de
ò:df ó:e3 ỏ:e1 õ:e2 ọ:e4 ồ:e5 ố:e8 ổ:e6 ỗ:e7 ộ:e9 ô:ab ờ:ea ớ:ed ở:eb ỡ:ec ợ:ee ơ:ac
ù:ef ú:f3 ủ:f1 ũ:f2 ụ:f4 ừ:f5 ứ:f8 ử:f6 ữ:f7 ự:f9 ư:ad ỳ:fa ý:fd ỷ:fb ỹ:fc ỵ:fe đ:ae
Ă:a1 Â:a2 Ê:a3 Ô:a4 Ơ:a5 Ư:a6 Đ:a7""".split())
TCVN3_PAIRS = {u: int(h, 16) for u, h in TCVN3_PAIRS.items()}

# VNI-Windows, as listed by xvnkb vni.h and duydev charsets.ts: a letter is its base plus these bytes.
VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_tcvn3(text: str) -> bytes:
    """What a .VnTime document saved as ANSI holds (tone-marked capitals share the lower-case code)."""
    out = bytearray()
    for ch in NFC(text):
        code = TCVN3_PAIRS.get(ch) or TCVN3_PAIRS.get(ch.lower())
        out += bytes([code]) if code else ch.encode("cp1252")
    return bytes(out)


def to_vni(text: str) -> bytes:
    out = []
    for ch in NFC(text):
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0].lower(), d[1:]
        tone = "".join(m for m in marks if m in TONES)
        shape = "".join(m for m in marks if m not in TONES)
        if ch.lower() == "đ":
            seq = "ñ"
        elif not marks:
            out.append(ch)
            continue
        elif base == "i":
            seq = VNI_I[tone]
        elif base == "y" and tone == "\u0323":
            seq = "î"
        elif shape == "\u0302":
            seq = base + VNI_CIRC[tone]
        elif shape == "\u0306":
            seq = base + VNI_BREVE[tone]
        elif shape == "\u031b":
            seq = {"o": "ô", "u": "ö"}[base] + VNI_TONE.get(tone, "")
        else:
            seq = base + VNI_TONE[tone]
        out.append(seq.upper() if d[0].isupper() else seq)
    return "".join(out).encode("cp1252")


def to_cp1258(text: str, precomposed: bool = True) -> bytes:
    """Windows-1258 as Vietnamese Windows software wrote it: base letter (with ^, breve or horn) + tone
    byte; with precomposed=False every tone is a combining mark (NFD, then the shape marks recomposed)."""
    out = []
    for ch in NFC(text):
        if precomposed:
            try:
                out.append(ch.encode("cp1258"))
                continue
            except UnicodeEncodeError:
                pass
        parts = unicodedata.normalize("NFD", ch)
        base = NFC("".join(c for c in parts if c not in TONES))
        out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


# --- real Vietnamese ------------------------------------------------------------------------------
REPORT = """Báo cáo tình hình và kết quả giải quyết thủ tục hành chính quý I năm 2024.
Số hóa hồ sơ khi tiếp nhận: 1.190/1.215 hồ sơ, đạt tỷ lệ 97,94%.
Đã giải quyết trước hạn, đúng hạn; quá hạn: 8 hồ sơ. Ưu tiên phường Đông Hòa, Ngọc Lặc.
Tổng số hồ sơ tiếp nhận trong kỳ là 2.345 hồ sơ, trong đó tiếp nhận trực tuyến 1.876 hồ sơ.

Số hồ sơ đã giải quyết đúng hạn chiếm tỷ lệ cao; không có hồ sơ nào bị trả lại không rõ lý do.
Ủy ban nhân dân huyện đề nghị các xã, thị trấn tiếp tục rà soát, đơn giản hóa thủ tục.
Cán bộ một cửa phải hướng dẫn người dân đầy đủ, công khai thời hạn và phí, lệ phí.
Việc số hóa kết quả giải quyết được thực hiện theo Nghị định số 45/2020/NĐ-CP của Chính phủ.
"""
# lower case except for ASCII capitals and the capitals TCVN3 has (Ă Â Ê Ô Ơ Ư Đ)
REPORT_T3 = "".join(c.lower() if c.lower() in TCVN3_PAIRS and c not in TCVN3_PAIRS else c for c in REPORT)

# syllables whose legacy spelling is never a Vietnamese word as it stands (đ, ư, ơ, ă, â, ê, ô)
STRONG = """được đơn những người năm đầu thương nước đặc phường hướng sử thuở dưỡng bước mười đẳng trưởng
lượng chương hưởng mượn đường đất đăng đối đồng đề đều đây ưu tâm văn bản yêu""".split()
SYLLABLES = STRONG + """số liệu báo cáo tình hình giải quyết hồ sơ thủ tục hành chính ủy ban nhân dân xã huyện
tỉnh thành phố cộng hoà hòa hội chủ nghĩa việt nam độc lập tự do hạnh phúc quý tháng ngày kỳ họp quyết
định tiếp nhận trực tuyến trả kết quả đúng hạn quá trước tỷ lệ đạt phần trăm tổng trong đó cán bộ một
cửa dẫn công khai thời phí phản ánh kiến nghị quy về việc thực hiện theo phủ ngành địa phương cấp giấy
chứng quyền dụng ký hộ tịch sinh kết hôn thực sao điện tử dịch vụ mức độ toàn trình xử lý cơ sở dữ
quốc gia nghiêm túc khẩn trương kiểm tra giám sát đánh giá chỉ hài lòng doanh nghiệp khuyến khích chiếu
cầu thẩm trách nhiệm phối hợp triển ứng xuống lên ra vào ở tại với cho của và là có không đã đang sẽ
rồi nữa cũng vẫn còn mới nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý hà nội
huế đà nẵng cần thơ hải phòng quảng trị nghệ an thanh hoá đắk lắk bắc giang khuya khuỷu ngoằn ngoèo
huơ xoong chuyện truyện nguyệt khuyết quyển giếng giữa gìn già gì giường giặt oái oăm hoạch toán khoảng
khoanh hoàn xoay nguệch ngoạc ước ao ấy ạ ừ ờ ý ê ô ư ăn ân ích ướt uống ốm yếu yên""".split()
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\r\n", " 2024 ", " - ", "; ", " (12,5%) ", "\n\n"]


def _text(words: list[str], seps: list[str], rng: random.Random, caps: str) -> str:
    out = []
    for w in words:
        if caps == "title" or (caps == "some" and rng.random() < 0.2):
            w = w[0].upper() + w[1:]
        elif caps == "upper" and rng.random() < 0.2:
            w = w.upper()
        out.append(w + rng.choice(seps))
    return "".join(out)


def documents(caps: str = "none"):
    """Random text of real syllables, at least four of them STRONG and twelve in all distinct."""
    return st.tuples(st.lists(st.sampled_from(STRONG), min_size=4, max_size=8, unique=True),
                     st.lists(st.sampled_from(SYLLABLES), min_size=8, max_size=60, unique=True),
                     st.lists(st.sampled_from(SYLLABLES), max_size=40),
                     st.randoms(use_true_random=False)).map(
        lambda t: _text(t[0] + t[1] + t[2], SEPARATORS, t[3], caps))


def tcvn3_safe_title(text: str) -> str:
    """Capitalise the first letter of each line where TCVN3 can spell the capital."""
    lines = text.split("\n")
    return "\n".join(l[:1].upper() + l[1:] if l[:1].isascii() or l[:1].upper() in TCVN3_PAIRS else l
                     for l in lines)


# --- the tables, through the public interface ---------------------------------------------------------
def test_tcvn3_every_code_decodes_to_its_letter():
    codes = bytes(TCVN3_PAIRS.values())
    result = sniff_bytes(to_tcvn3(REPORT_T3) + b"\n" + codes + b"\n")
    assert result is not None and result.scheme == "TCVN3" and result.text is not None
    assert result.text.split("\n")[-2] == "".join(TCVN3_PAIRS)


def test_tcvn3_table_matches_glibc_iconv():
    """A third, independent source: glibc's TCVN5712-1 (VN1) agrees on every VN3 position."""
    if not shutil.which("iconv"):
        pytest.skip("no iconv")
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes(TCVN3_PAIRS.values()),
                         capture_output=True)
    if run.returncode:
        pytest.skip("iconv without TCVN5712-1")
    assert NFC(run.stdout.decode()) == "".join(TCVN3_PAIRS)
    assert sniff_text(to_tcvn3(REPORT_T3).decode("cp1252") + "\n" + bytes(TCVN3_PAIRS.values()).decode(
        "latin-1")).text.splitlines()[-1] == NFC(run.stdout.decode())


def test_vni_every_sequence_decodes_to_its_letter():
    # xvnkb vni.h order: base, acute, grave, hook, tilde, dot below for each vowel, then Đ
    rows = "a aù aø aû aõ aï aâ aá aà aå aã aä aê aé aè aú aü aë e eù eø eû eõ eï eâ eá eà eå eã eä " \
           "o où oø oû oõ oï oâ oá oà oå oã oä ô ôù ôø ôû ôõ ôï u uù uø uû uõ uï ö öù öø öû öõ öï " \
           "i í ì æ ó ò y yù yø yû yõ î ñ"
    letters = "aáàảãạâấầẩẫậăắằẳẵặeéèẻẽẹêếềểễệoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựiíìỉĩịyýỳỷỹỵđ"
    line = rows.replace(" ", "") + "\n" + rows.upper().replace(" ", "")   # one word each: no vote
    result = sniff_text(to_vni(REPORT).decode("cp1252") + "\n" + line)
    assert result is not None and result.scheme == "VNI" and result.text is not None
    assert result.text.splitlines()[-2:] == [letters, letters.upper()]


TCVN3_WORDS = [  # as typed in .VnTime, and as the tables read them
    ("Sè liÖu b¸o c¸o", "Số liệu báo cáo"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("Uû ban nh©n d©n x· Th¹ch L©m", "Uỷ ban nhân dân xã Thạch Lâm"),
    ("thñ tôc hµnh chÝnh ®\xadîc gi¶i quyÕt", "thủ tục hành chính được giải quyết"),
    ("§¬n vÞ: hå s¬; n¨m 2024", "Đơn vị: hồ sơ; năm 2024"),
    ("QuyÕt ®Þnh sè 45, kú häp thø hai", "Quyết định số 45, kỳ họp thứ hai"),
    ("Qu¶ng TrÞ, Hµ TÜnh, §¾k L¾k, B¾c Giang", "Quảng Trị, Hà Tĩnh, Đắk Lắk, Bắc Giang"),
    ("hîp lÖ, l\xadu tr÷, ý kiÕn, nh÷ng ng\xadêi", "hợp lệ, lưu trữ, ý kiến, những người"),
]
VNI_WORDS = [
    ("Soá lieäu baùo caùo", "Số liệu báo cáo"),
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),            # the duydev/vietnamese-conversion example
    ("ÑOÄC LAÄP - TÖÏ DO - HAÏNH PHUÙC", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"),
    ("Uyû ban nhaân daân xaõ Thaïch Laâm", "Uỷ ban nhân dân xã Thạch Lâm"),
    ("thuû tuïc haønh chính ñöôïc giaûi quyeát", "thủ tục hành chính được giải quyết"),
    ("Ñôn vò: hoà sô; naêm 2024", "Đơn vị: hồ sơ; năm 2024"),
    ("Quyeát ñònh soá 45, kyø hoïp thöù hai", "Quyết định số 45, kỳ họp thứ hai"),
    ("Quaûng Trò, Haø Tónh, Ñaék Laék, Baéc Giang", "Quảng Trị, Hà Tĩnh, Đắk Lắk, Bắc Giang"),
    ("hôïp leä, löu tröõ, yù kieán, chæ ñaïo, kyõ, saün saøng, chaúng, ñaëc bieät",
     "hợp lệ, lưu trữ, ý kiến, chỉ đạo, kỹ, sẵn sàng, chẳng, đặc biệt"),
]


@pytest.mark.parametrize("scheme,pairs", [("TCVN3", TCVN3_WORDS), ("VNI", VNI_WORDS)])
def test_known_words(scheme, pairs):
    legacy = "\n".join(p[0] for p in pairs)
    for result in (sniff_text(legacy), sniff_bytes(legacy.encode("cp1252"))):
        assert result == LegacyText(scheme, "\n".join(p[1] for p in pairs), 1.0)


def test_encoders_agree_with_the_known_words():
    for legacy, uni in TCVN3_WORDS:
        assert to_tcvn3(uni) == legacy.encode("cp1252")
    for legacy, uni in VNI_WORDS:
        assert to_vni(uni) == legacy.encode("cp1252")


# --- round trips -----------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(documents())
def test_tcvn3_round_trip(text):
    text = tcvn3_safe_title(text)
    data = to_tcvn3(text)
    assert sniff_bytes(data) == LegacyText("TCVN3", text, 1.0)
    assert sniff_text(data.decode("cp1252")) == LegacyText("TCVN3", text, 1.0)


@settings(max_examples=150, deadline=None)
@given(documents(caps="upper"))
def test_vni_round_trip(text):
    data = to_vni(text)
    assert sniff_bytes(data) == LegacyText("VNI", text, 1.0)
    assert sniff_text(data.decode("cp1252")) == LegacyText("VNI", text, 1.0)


def test_tcvn3_capitals_with_tones_read_as_lower_case():
    """VN3 has no code for Ủ, Ạ...: .VnTime and .VnTimeH share the lower-case code, as the sources do."""
    result = sniff_bytes(to_tcvn3("ỦY BAN NHÂN DÂN XÃ THẠCH LÂM\n" + REPORT_T3))
    assert result.text.splitlines()[0] == "ủY BAN NHÂN DÂN Xã THạCH LÂM"


# --- ordinary text is left alone -------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(documents(caps="some"))
def test_unicode_vietnamese_is_not_legacy(text):
    for form in ("NFC", "NFD"):
        t = unicodedata.normalize(form, text)
        assert sniff_text(t) is None
        assert sniff_bytes(t.encode("utf-8")) is None
        assert sniff_bytes(t.encode("utf-16")) is None


@settings(max_examples=100, deadline=None)
@given(documents(caps="some"), st.booleans())
def test_windows_1258_is_not_legacy(text, precomposed):
    data = to_cp1258(text, precomposed)
    assert sniff_bytes(data) is None
    assert sniff_text(data.decode("cp1258")) is None          # decoded properly
    assert sniff_text(data.decode("cp1252")) is None          # or misread as ANSI


@pytest.mark.parametrize("text", [
    REPORT, unicodedata.normalize("NFD", REPORT), "\ufeff" + REPORT,
    "Annual report on administrative procedures, Q1 2024: 1,190 of 1,215 files (97.94%).\n" * 20,
    "1.190 1.215 97,94 8 2.345 1.876 45/2020\n" * 50, "", "   \n",
    "Sè liÖu", "Soá lieäu", "café", "2 × 3 × 4 × 5 = 120 ± 0,5 µm",
    "Le élève a reçu une lettre très intéressante à propos de l'été dernier; où est la fenêtre? "
    "Noël, naïve, café, déjà, garçon, hôtel, forêt, Über die Straße, Größe, schön, Mädchen.",
    "Hồ sơ (files) received: 1.190; đúng hạn (on time): 1.182; quá hạn (late): 8. Report by UBND xã.\n" * 5,
])
def test_ordinary_text_is_not_legacy(text):
    assert sniff_text(text) is None
    assert sniff_bytes(text.encode("utf-8")) is None
    try:
        ansi = text.encode("cp1252")
    except UnicodeEncodeError:
        return
    assert sniff_bytes(ansi) is None


def test_windows_1258_report_is_not_legacy():
    for precomposed in (True, False):
        assert sniff_bytes(to_cp1258(REPORT, precomposed)) is None


# --- weak evidence: recognised, not converted ----------------------------------------------------------
@pytest.mark.parametrize("scheme,encode", [("TCVN3", to_tcvn3), ("VNI", to_vni)])
def test_half_legacy_document_is_named_but_not_converted(scheme, encode):
    lines = REPORT.splitlines()
    mixed = "\n".join(encode(l).decode("cp1252") if i % 2 == 0 else l for i, l in enumerate(lines))
    result = sniff_text(mixed)
    assert result is not None and result.scheme == scheme and result.text is None
    assert 0.3 <= result.evidence < 0.9


def test_legacy_words_among_unexplained_characters_are_not_converted():
    # TCVN3 text in which a third of the non-ASCII characters mean nothing in TCVN3
    noise = " ".join("ðÿÀÅ°±²"[i % 7] * 2 for i in range(60))
    result = sniff_bytes(to_tcvn3(REPORT_T3) + b"\n" + noise.encode("cp1252"))
    assert result is not None and result.scheme == "TCVN3" and result.text is None
    assert result.evidence < 0.9


# --- structure and speed -------------------------------------------------------------------------------
def test_tcvn3_keeps_lines_and_ascii_in_place():
    text = "\r\n".join(["", "   "] + REPORT_T3.splitlines() + ["", "x = 1; y = 2", ""])
    data = to_tcvn3(text)
    converted = sniff_bytes(data).text
    assert converted == text
    assert len(converted) == len(data)                       # one character per byte
    assert all(c == chr(b) for c, b in zip(converted, data) if b < 0x80)
    assert converted.splitlines(keepends=True)[1] == "   \r\n"


def test_vni_keeps_lines():
    text = "\n".join(["# tiêu đề", ""] + REPORT.splitlines() + ["", "x = 1; y = 2", "\r"])
    legacy = to_vni(text).decode("cp1252")
    converted = sniff_text(legacy).text
    assert converted == NFC(text)
    old, new = legacy.splitlines(keepends=True), converted.splitlines(keepends=True)
    assert len(old) == len(new)
    assert [l for l in old if l.isascii()] == [l for l in new if l.isascii()]


def test_five_megabytes_in_well_under_a_second():
    def big(unit, encoded):
        k = 5_000_000 // len(encoded) + 1
        return unit and unit * k, encoded * k
    cases = [(sniff_bytes, *big(REPORT_T3, to_tcvn3(REPORT_T3))),
             (sniff_text, *big(REPORT_T3, to_tcvn3(REPORT_T3).decode("cp1252"))),
             (sniff_bytes, *big(REPORT, to_vni(REPORT))),
             (sniff_text, *big(REPORT, to_vni(REPORT).decode("cp1252"))),
             (sniff_bytes, *big(None, to_cp1258(REPORT))),
             (sniff_text, *big(None, REPORT))]
    for sniff, expected, data in cases:
        start = time.perf_counter()
        result = sniff(data)
        elapsed = time.perf_counter() - start
        assert elapsed < 2.5, (sniff.__name__, elapsed)      # ~0.3 s at most on the reference machine
        assert (result and result.text) == (expected and NFC(expected))


def test_import_is_light():
    code = "import sys, auditor.source.legacy; print(sorted(m for m in ('docx', 'pypdf', 'lark', 'pydantic', " \
           "'rich', 'yaml', 'numpy') if m in sys.modules))"
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
