"""The letterhead's level: the body that issues the report, also when the body above it is named first."""
import pytest

from auditor.extract import extract

_BODY = "\n\nSố: 12/BC-UBND\n\nBÁO CÁO\nKết quả giải quyết thủ tục hành chính quý I năm 2025\n\nKính gửi: UBND huyện Yên Lạc\n"


@pytest.mark.parametrize("head, level", [
    ("ỦY BAN NHÂN DÂN\nXÃ TAM HỒNG", "commune"),
    ("UBND HUYỆN YÊN LẠC\nUBND XÃ TAM HỒNG", "commune"),           # the body above, then the issuer
    ("UBND TỈNH VĨNH PHÚC\nUBND HUYỆN YÊN LẠC", "district"),
    ("UBND TỈNH VĨNH PHÚC\nSỞ TƯ PHÁP", "province"),                 # a department is of its province's level
    ("UBND HUYỆN YÊN LẠC\nPHÒNG TƯ PHÁP", "district"),
])
def test_level_of_the_issuing_body(head, level):
    assert extract("x", head + _BODY, "utf-8").header.level == level


def test_an_addressee_is_no_part_of_the_letterhead():
    # "Kính gửi: UBND huyện …" names who receives the report, below the title
    assert extract("x", "ỦY BAN NHÂN DÂN\nXÃ TAM HỒNG" + _BODY, "utf-8").header.level == "commune"
