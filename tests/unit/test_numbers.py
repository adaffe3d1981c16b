"""auditor.parse.numbers: reading Vietnamese- and English-style figures, and finding them in text."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.parse.numbers import decimal_mark_of, parse_number, scan

# Words that sit between figures in a report; none contains a digit, "/" or a separator glued to a digit.
WORDS = ["hồ sơ", "Tổng số", "tiếp nhận", "đạt", "trong đó", "trực tuyến", "quá hạn", "đơn vị", "xã",
         "received", "dossiers", "of which", "online", "late", "-", ";", ":", "(", ")"]


def vi_int(n: int) -> str:
    """1234567 -> "1.234.567" (Vietnamese: dot groups thousands)."""
    return f"{n:,}".replace(",", ".")


def en_int(n: int) -> str:
    """1234567 -> "1,234,567" (English: comma groups thousands)."""
    return f"{n:,}"


def decimal_text(int_part: int, frac: str, mark: str) -> str:
    grouped = vi_int(int_part) if mark == "," else en_int(int_part)
    return f"{grouped}{mark}{frac}"


# --- parse_number -------------------------------------------------------------------------------

@settings(max_examples=200)
@given(n=st.integers(min_value=0, max_value=10**12), prefer=st.booleans())
@example(n=1234567, prefer=False)
@example(n=1000, prefer=True)
def test_vietnamese_integer_round_trips(n, prefer):
    value, decimals = parse_number(vi_int(n), ",", prefer_decimal=prefer)
    assert value == n
    assert decimals == 0


@settings(max_examples=200)
@given(n=st.integers(min_value=0, max_value=10**12), prefer=st.booleans())
@example(n=1234567, prefer=False)
@example(n=3278, prefer=True)
def test_english_integer_round_trips(n, prefer):
    value, decimals = parse_number(en_int(n), ".", prefer_decimal=prefer)
    assert value == n
    assert decimals == 0


@settings(max_examples=200)
@given(
    int_part=st.integers(min_value=0, max_value=10**9),
    frac=st.text(alphabet="0123456789", min_size=1, max_size=4),
    mark=st.sampled_from([",", "."]),
)
@example(int_part=98, frac="70", mark=",")
@example(int_part=98, frac="70", mark=".")
@example(int_part=1005, frac="8", mark=",")
@example(int_part=0, frac="04", mark=",")
@example(int_part=12, frac="345", mark=",")
def test_decimal_round_trips_with_its_count_of_decimals(int_part, frac, mark):
    raw = decimal_text(int_part, frac, mark)
    value, decimals = parse_number(raw, mark, prefer_decimal=True)
    assert value == Decimal(f"{int_part}.{frac}")
    assert decimals == len(frac)  # "98,70" keeps both written decimals


@given(frac=st.text(alphabet="0123456789", min_size=1, max_size=2).filter(lambda f: len(f) != 3),
       int_part=st.integers(min_value=0, max_value=999), mark=st.sampled_from([",", "."]),
       doc_mark=st.sampled_from([",", "."]), prefer=st.booleans())
def test_a_short_fraction_is_a_decimal_whatever_the_document_says(frac, int_part, mark, doc_mark, prefer):
    # "98,70" cannot be a thousands group, so neither the document's mark nor the preference matters.
    value, decimals = parse_number(f"{int_part}{mark}{frac}", doc_mark, prefer_decimal=prefer)
    assert value == Decimal(f"{int_part}.{frac}")
    assert decimals == len(frac)


@pytest.mark.parametrize("raw, mark, prefer, expected", [
    ("1.234", ",", False, (Decimal(1234), 0)),     # Vietnamese count: thousands
    ("1.234", ",", True, (Decimal(1234), 0)),      # dot is not the decimal mark here
    ("1,234", ".", False, (Decimal(1234), 0)),     # English count
    ("1,234", ",", True, (Decimal("1.234"), 3)),   # Vietnamese amount: decimal comma
    ("1.234", ".", True, (Decimal("1.234"), 3)),   # English amount: decimal point
    ("1,234", ",", False, (Decimal(1234), 0)),     # a count is never fractional
])
def test_lone_three_digit_group_follows_document_and_preference(raw, mark, prefer, expected):
    assert parse_number(raw, mark, prefer_decimal=prefer) == expected


@settings(max_examples=150)
@given(n=st.integers(min_value=0, max_value=99999), pad=st.integers(min_value=1, max_value=4))
@example(n=2, pad=1)
def test_leading_zeros_are_ignored(n, pad):
    raw = "0" * pad + str(n)
    for mark in (",", "."):
        for prefer in (True, False):
            assert parse_number(raw, mark, prefer_decimal=prefer) == (Decimal(n), 0)


def test_leading_zero_count_example():
    assert parse_number("02", ",", prefer_decimal=False) == (Decimal(2), 0)
    assert parse_number("06", ".", prefer_decimal=False) == (Decimal(6), 0)


# --- scan ---------------------------------------------------------------------------------------

def _values(text: str, mark: str = ","):
    return [(parse_number(r.raw, mark, prefer_decimal=r.percent)[0], r.percent) for r in scan(text)]


@pytest.mark.parametrize("text, value", [
    ("đạt tỷ lệ 99 ,96%", Decimal("99.96")),
    ("đạt tỷ lệ 99, 96%", Decimal("99.96")),
    ("tỷ lệ quá hạn 0. 04%", Decimal("0.04")),
    ("tỷ lệ quá hạn 0 . 04 %", Decimal("0.04")),
])
def test_ocr_split_percentages(text, value):
    found = scan(text)
    assert len(found) == 1, found
    r = found[0]
    assert r.percent
    assert parse_number(r.raw, ",", prefer_decimal=True)[0] == value
    # the span covers the whole split figure, "%" included, and nothing else
    assert r.start == re.search(r"\d", text).start()
    assert r.end == len(text) and text.endswith("%")


def test_ocr_number_glued_to_letter_is_not_a_number():
    assert scan("S6") == []
    assert scan("S6 hồ sơ") == []
    found = scan("S6 có 12 hồ sơ")
    assert [(r.raw, r.percent) for r in found] == [("12", False)]


def test_currency_glued_to_amount():
    text = "Lệ phí thu được 5.158.000đ trong kỳ."
    found = scan(text)
    assert len(found) == 1
    r = found[0]
    assert parse_number(r.raw, ",", prefer_decimal=False) == (Decimal(5158000), 0)
    assert text[r.start:r.end] == "5.158.000"
    assert not r.percent


def test_plain_percentage_and_count():
    text = "Đã giải quyết 1.180 hồ sơ, đạt 98,70%."
    assert _values(text) == [(Decimal(1180), False), (Decimal("98.70"), True)]


# texts built from figures and words: scan must find exactly the figures, with exact spans
_vi_count = st.integers(min_value=0, max_value=10**9).map(lambda n: (vi_int(n), Decimal(n), False))
_vi_pct = st.tuples(st.integers(0, 100), st.text("0123456789", min_size=1, max_size=2)).map(
    lambda t: (f"{t[0]},{t[1]}%", Decimal(f"{t[0]}.{t[1]}"), True))
_word = st.sampled_from(WORDS)


@settings(max_examples=150)
@given(parts=st.lists(st.tuples(_word, st.one_of(_vi_count, _vi_pct)), min_size=1, max_size=8))
def test_scan_finds_every_figure_with_its_span(parts):
    text = ""
    expected = []
    for word, (shown, value, pct) in parts:
        text += word + " "
        start = len(text)
        text += shown
        expected.append((start, start + len(shown), value, pct))
        text += " "
    found = scan(text)
    assert [(r.start, r.end) for r in found] == [(s, e) for s, e, _, _ in expected]
    assert [r.percent for r in found] == [p for *_, p in expected]
    for r, (_, _, value, _) in zip(found, expected):
        assert parse_number(r.raw, ",", prefer_decimal=r.percent)[0] == value



@pytest.mark.parametrize("raw", ["1.234,5.6", "1,2.3,4", "1.2,3.4", "2.1,1.3"])
def test_irregular_mixed_separators_do_not_crash(raw):
    [found] = scan(f"tại mục {raw} của Kế hoạch")
    assert found.raw == raw
    for mark in (",", "."):
        for prefer in (True, False):
            value, decimals = parse_number(raw, mark, prefer_decimal=prefer)
            assert isinstance(value, Decimal) and decimals >= 0


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=200), st.text(alphabet="0123456789.,% S", max_size=40)))
@example("99 ,96% và 0. 04% và 5.158.000đ, S6, 1.005,8")
@example("O0A")  # OCR's letters for digits: never a figure cut out of the middle of a word ("O" alone read as 0)
def test_scan_spans_are_ordered_disjoint_and_inside_the_text(text):
    found = scan(text)
    prev_end = 0
    for r in found:
        assert 0 <= r.start < r.end <= len(text)
        assert r.start >= prev_end
        prev_end = r.end
        assert any(ch.isdigit() for ch in text[r.start:r.end])
        value, decimals = parse_number(r.raw, ",", prefer_decimal=r.percent)
        assert value >= 0 and decimals >= 0


# --- decimal_mark_of ----------------------------------------------------------------------------

# shapes a reader can only take one way: repeated thousands groups, a mixed "1.005,8", a 1-2 or 4 digit fraction
def _unambiguous(style: str):
    big = st.integers(min_value=1_000_000, max_value=10**10)
    mixed = st.tuples(st.integers(1000, 10**7), st.text("0123456789", min_size=1, max_size=2))
    short = st.tuples(st.integers(0, 999), st.text("0123456789", min_size=1, max_size=2))
    if style == "vi":
        return st.one_of(big.map(vi_int), mixed.map(lambda t: f"{vi_int(t[0])},{t[1]}"),
                         short.map(lambda t: f"{t[0]},{t[1]}%"))
    return st.one_of(big.map(en_int), mixed.map(lambda t: f"{en_int(t[0])}.{t[1]}"),
                     short.map(lambda t: f"{t[0]}.{t[1]}%"))


def _ambiguous(style: str):
    # a plain count, or a lone 3-digit group ("1.234"/"1,234"): carries no evidence either way
    n = st.integers(min_value=0, max_value=999_999)
    return n.map(vi_int if style == "vi" else en_int)


def _document(style: str):
    figure = st.one_of(_unambiguous(style), _ambiguous(style))
    return st.tuples(
        st.lists(st.tuples(_word, figure), max_size=6),
        st.tuples(_word, _unambiguous(style)),
        st.lists(st.tuples(_word, figure), max_size=6),
    ).map(lambda t: " ".join(f"{w} {f}" for w, f in [*t[0], t[1], *t[2]]) + ".")


@settings(max_examples=150)
@given(_document("vi"))
@example("Tổng số 1.510 hồ sơ, đạt 98,70%.")
def test_vietnamese_document_has_decimal_comma(text):
    assert decimal_mark_of(text) == ","


@settings(max_examples=150)
@given(_document("en"))
@example("received 3,278 dossiers, 98.87% on time.")
def test_english_document_has_decimal_point(text):
    assert decimal_mark_of(text) == "."


def test_dates_do_not_vote_for_a_decimal_mark():
    # "15.6/2024"-like date parts next to "/" are not decimals; the figures decide
    text = "Từ ngày 15.6/2024 đến 14.9/2024, tổng số 1.234.567 hồ sơ."
    assert decimal_mark_of(text) == ","


@pytest.mark.parametrize("text, raw", [
    ("tiếp nhận mới 1 .298 .845 hồ sơ", "1.298.845"),  # OCR split every group
    ("tổng số tiền 6. 118.240.000 đồng", "6.118.240.000"),  # only the first
    ("đã giải quyết 1 .298.845 hồ sơ", "1.298.845"),
])
def test_ocr_split_groups_rejoin_into_one_figure(text, raw):
    found = scan(text)
    assert [r.raw for r in found] == [raw] and text[found[0].start:found[0].end].replace(" ", "") == raw
