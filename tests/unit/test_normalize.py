"""auditor.normalize.fold: one character in, one out; diacritics gone; newlines where they were."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.normalize import fold

VI_LOWER = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ")
VI_LETTERS = VI_LOWER + VI_LOWER.upper()


@settings(max_examples=300)
@given(st.text(max_size=300))
@example("Số hóa\nhồ sơ\r\n\u2028x\u0301\n")
@example("İstanbul ß ﬁ \U0001d400\n")
def test_fold_preserves_length_and_newlines(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert [i for i, ch in enumerate(folded) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize("text, folded", [
    ("Số hóa hồ sơ", "so hoa ho so"),
    ("Đ", "d"),
    ("đ", "d"),
    ("ĐÃ GIẢI QUYẾT", "da giai quyet"),
    ("Ủy ban nhân dân", "uy ban nhan dan"),
    ("trước và đúng hạn", "truoc va dung han"),
    ("Tổng số hồ sơ tiếp nhận: 1.510", "tong so ho so tiep nhan: 1.510"),
])
def test_fold_strips_vietnamese_diacritics(text, folded):
    assert fold(text) == folded


@settings(max_examples=200)
@given(st.text(alphabet=VI_LETTERS + " \n", max_size=80))
def test_vietnamese_letters_fold_to_plain_lowercase_ascii(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(text.upper()) == folded  # case does not matter for matching


@settings(max_examples=100)
@given(st.text(alphabet=" \t\r\x0b\x0c\u00a0\u2003\u3000", max_size=30))
def test_other_whitespace_folds_to_space(text):
    assert fold(text) == " " * len(text)
