""""(Tổng) số <what>": which unit a count is of, read on the folded text."""
from __future__ import annotations

import pytest

from auditor.lexicon import default_lexicon
from auditor.source.normalize import fold


@pytest.mark.parametrize("words, unit", [
    ("Tổng số thủ tục hành chính được công bố", "procedures"),  # "thủ" folds like "thư"
    ("Số TTHC theo cấp", "procedures"),
    ("Số thư xin lỗi đã gửi", "letters"),
    ("Tổng số phản ánh, kiến nghị", "petitions"),
])
def test_the_unit_a_count_names(words, unit):
    m = default_lexicon().subject_count.search(fold(words))
    assert m is not None and m.lastgroup == unit


def test_dossiers_are_no_subject_unit():
    assert default_lexicon().subject_count.search(fold("Tổng số hồ sơ TTHC tiếp nhận")) is None
