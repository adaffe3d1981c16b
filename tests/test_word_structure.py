"""Word reports typed the usual way: Word's own lists, the letterhead table, tracked changes,
content controls and text boxes read as the printed page shows them; what is not read is said.

Every document here is built in the test with python-docx plus the raw WordprocessingML that
python-docx has no API for (numbering definitions, w:ins/w:del, w:sdt, text boxes)."""
from __future__ import annotations

import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.source.read import _counter, read_source

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W_NS}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


# --- building documents ------------------------------------------------------------------------

def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def set_numbering(d, abstracts: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> None:
    """Replace the document's numbering definitions: abstract id → its levels, numId → (abstract id,
    level overrides as raw XML)."""
    numbering = d.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for aid, levels in abstracts.items():
        numbering.append(parse_xml(f'<w:abstractNum {NS} w:abstractNumId="{aid}">'
                                   f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'))
    for num_id, (aid, overrides) in nums.items():
        numbering.append(parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'))


def listed(d, text: str, num_id: int | None = None, ilvl: int | None = None, style: str | None = None):
    """A paragraph with direct numbering (numId, ilvl), as Word writes a list item."""
    p = d.add_paragraph(text, style=style)
    if num_id is not None or ilvl is not None:
        ppr = p._p.get_or_add_pPr()
        parts = (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "") + \
                (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "")
        num_pr = parse_xml(f"<w:numPr {NS}>{parts}</w:numPr>")
        style_el = ppr.find(w("pStyle"))
        if style_el is not None:
            style_el.addnext(num_pr)
        else:
            ppr.insert(0, num_pr)
    return p


def raw(d, xml: str) -> None:
    """Append raw body XML (paragraphs, tables, content controls) before the section properties."""
    d.element.body.find(w("sectPr")).addprevious(parse_xml(_with_ns(xml)))


def _with_ns(xml: str) -> str:
    """Declare the namespaces on the first element of a fragment."""
    m = re.match(r"\s*<([\w:]+)", xml)
    return xml[:m.end()] + " " + NS + xml[m.end():]


def saved(d) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def lines(data: bytes, name: str = "r.docx") -> list[str]:
    return read_source(name, data).text.split("\n")


BULLET = "\uf0b7"  # Word's bullet in the Symbol font, a private-use character


# --- lists -------------------------------------------------------------------------------------

OUTLINE = [level(0, "upperRoman", "%1."), level(1, "decimal", "%2."), level(2, "lowerLetter", "%3)"),
           level(3, "decimal", "%1.%4.", extra='<w:isLgl/>')]
BULLETS = [level(0, "bullet", BULLET), level(1, "bullet", "o"), level(2, "bullet", "▪")]


def test_word_lists_are_written_out_as_the_reader_sees_them():
    d = docx.Document()
    set_numbering(d, {10: OUTLINE, 11: BULLETS, 12: [level(0, "decimal", "%1)", start=3)],
                      13: [level(0, "bullet", "-"), level(1, "bullet", "+")]},
                  {1: (10, ""), 2: (11, ""), 3: (12, ""), 4: (10, ""),
                   5: (10, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'), 6: (13, "")})
    listed(d, "CÔNG TÁC CHỈ ĐẠO", 1, 0)
    listed(d, "Công bố thủ tục", 1, 1)
    listed(d, "Tại xã", 1, 2)
    listed(d, "Tại thôn", 1, 2)
    listed(d, "Tiếp nhận hồ sơ", 1, 1)
    listed(d, "Trực tuyến", 1, 2)  # the letters restart under a new "2."
    listed(d, "Hộ tịch: 10 hồ sơ", 2, 0)
    listed(d, "Khai sinh: 6 hồ sơ", 2, 1)
    listed(d, "Trong hạn: 6 hồ sơ", 2, 2)
    d.add_paragraph("Một đoạn văn thường.")
    listed(d, "KẾT QUẢ", 4, 0)  # another numId over the same list: it counts on (II.)
    listed(d, "Ưu điểm", 4, 1)  # the second level restarted under II.
    listed(d, "Chi tiết", 4, 3)  # isLgl: Roman I shown as a digit
    listed(d, "Thứ ba", 3, 0)  # starts at 3
    listed(d, "Thứ tư", 3, 0)
    listed(d, "NHIỆM VỤ", 5, 0)  # a startOverride restarts the shared list
    listed(d, "NHIỆM VỤ TIẾP", 1, 0)  # and the first numId counts on from there
    listed(d, "Gạch đầu dòng gõ bằng Word", 6, 0)
    listed(d, "Dấu cộng", 6, 1)
    listed(d, "Không đánh số", 0, 0, style="List Bullet")  # numId 0 switches the style's bullet off
    assert lines(saved(d)) == [
        "I. CÔNG TÁC CHỈ ĐẠO",
        "1. Công bố thủ tục",
        "a) Tại xã",
        "b) Tại thôn",
        "2. Tiếp nhận hồ sơ",
        "a) Trực tuyến",
        "- Hộ tịch: 10 hồ sơ",
        "  + Khai sinh: 6 hồ sơ",
        "    + Trong hạn: 6 hồ sơ",
        "Một đoạn văn thường.",
        "II. KẾT QUẢ",
        "1. Ưu điểm",
        "2.1. Chi tiết",
        "3) Thứ ba",
        "4) Thứ tư",
        "I. NHIỆM VỤ",
        "II. NHIỆM VỤ TIẾP",
        "- Gạch đầu dòng gõ bằng Word",
        "  + Dấu cộng",
        "Không đánh số",
    ]


def test_numbering_inherited_from_styles():
    """Numbering given by a paragraph style, by a style it is based on, and Word's built-in bullet
    styles (List Bullet 2 is a list of its own at level 0, printed one step in)."""
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    muc = d.styles.add_style("Mục đánh số", WD_STYLE_TYPE.PARAGRAPH)
    muc.base_style = d.styles["List Number"]
    d.add_paragraph("Công tác chỉ đạo", style="List Number")
    d.add_paragraph("Kết quả", style=muc)
    d.add_paragraph("Hộ tịch", style="List Bullet")
    d.add_paragraph("Khai sinh", style="List Bullet 2")
    listed(d, "Cấp lại", ilvl=0, style="List Bullet 2")  # ilvl given, numId from the style
    assert lines(saved(d)) == ["1. Công tác chỉ đạo", "2. Kết quả", "- Hộ tịch", "  + Khai sinh", "  + Cấp lại"]


def test_a_numbering_style_link_is_followed():
    """A list defined through a numbering style (abstractNum with numStyleLink → style → numId →
    abstractNum with styleLink), as Word writes multilevel lists saved as styles."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.append(parse_xml(f'<w:abstractNum {NS} w:abstractNumId="1"><w:styleLink w:val="DanhMuc"/>'
                               f'{level(0, "decimal", "Mục %1.")}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:abstractNum {NS} w:abstractNumId="2"><w:numStyleLink w:val="DanhMuc"/></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {NS} w:numId="1"><w:abstractNumId w:val="1"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {NS} w:numId="2"><w:abstractNumId w:val="2"/></w:num>'))
    d.styles.element.append(parse_xml(f'<w:style {NS} w:type="numbering" w:styleId="DanhMuc"><w:name w:val="Danh mục"/>'
                                      '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'))
    listed(d, "Một", 2, 0)
    listed(d, "Hai", 1, 0)  # the same list through its other numId: counts on
    assert lines(saved(d)) == ["Mục 1. Một", "Mục 2. Hai"]


@pytest.mark.parametrize("n, fmt, shown", [
    (1, "decimal", "1"), (5, "decimalZero", "05"), (12, "decimalZero", "12"), (14, "upperRoman", "XIV"),
    (9, "lowerRoman", "ix"), (1, "lowerLetter", "a"), (26, "lowerLetter", "z"), (27, "lowerLetter", "aa"),
    (28, "upperLetter", "BB"), (3, "none", ""), (4, "ordinalText", "4"),
    (10**9, "lowerLetter", "1000000000")])  # a hostile start value does not repeat a letter a billion times
def test_counter_formats(n, fmt, shown):
    assert _counter(n, fmt) == shown


# --- the letterhead ----------------------------------------------------------------------------

def letterhead(d, issuer: list[str], number: list[str], motto: list[str], dated: list[str]) -> None:
    table = d.add_table(rows=2, cols=2)
    for (r, c), cell_lines in {(0, 0): issuer, (1, 0): number, (0, 1): motto, (1, 1): dated}.items():
        cell = table.cell(r, c)
        cell.text = cell_lines[0]
        for extra in cell_lines[1:]:
            cell.add_paragraph(extra)


HEAD = (["ỦY BAN NHÂN DÂN", "XÃ PHÚ LẠC"], ["Số: 142/BC-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], ["Phú Lạc, ngày 16 tháng 12 năm 2024"])


def test_letterhead_table_becomes_header_lines():
    d = docx.Document()
    d.add_paragraph("")  # Word documents often open with an empty paragraph
    letterhead(d, *HEAD)
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Tổng số hồ sơ tiếp nhận: 120 hồ sơ.")
    source = read_source("r.docx", saved(d))
    got = source.text.split("\n")
    assert got == ["", "ỦY BAN NHÂN DÂN", "XÃ PHÚ LẠC", "", "Số: 142/BC-UBND", "",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
                   "Phú Lạc, ngày 16 tháng 12 năm 2024", "", "BÁO CÁO", "Tổng số hồ sơ tiếp nhận: 120 hồ sơ."]
    assert source.places.at_line(2).as_dict() == {"table": 1, "row": 1}
    assert source.places.at_line(5).as_dict() == {"table": 1, "row": 2}
    assert source.places.at_line(10).label("vi") == "bảng 1, hàng 2"
    assert source.places.at_line(12).as_dict() == {"paragraph": 2}


def test_letterhead_is_told_by_its_content_not_its_position():
    """A small table at the top that holds no motto, number or date stays a table; so does a
    letterhead-like table once the body has begun."""
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "Lĩnh vực", (0, 1): "Số hồ sơ", (1, 0): "Hộ tịch", (1, 1): "120"}.items():
        table.cell(r, c).text = value
    d.add_paragraph("Thực hiện Công văn số 2046/UBND-VP ngày 25/11/2024 của UBND huyện về việc báo cáo "
                    "kết quả công tác kiểm soát thủ tục hành chính năm 2024, UBND xã báo cáo như sau:")
    letterhead(d, *HEAD)
    got = lines(saved(d))
    assert got[:2] == ["Lĩnh vực\tSố hồ sơ", "Hộ tịch\t120"]
    assert got[3:] == ["ỦY BAN NHÂN DÂN XÃ PHÚ LẠC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
                       "Số: 142/BC-UBND\tPhú Lạc, ngày 16 tháng 12 năm 2024"]


def test_letterhead_found_by_number_and_date_without_the_motto():
    d = docx.Document()
    letterhead(d, ["UBND XÃ PHÚ LẠC"], ["Số: 7/BC-UBND"], [""], ["Phú Lạc, ngày 02 tháng 01 năm 2025"])
    d.add_paragraph("BÁO CÁO")
    assert lines(saved(d)) == ["UBND XÃ PHÚ LẠC", "", "Số: 7/BC-UBND", "", "Phú Lạc, ngày 02 tháng 01 năm 2025", "",
                               "BÁO CÁO"]


def test_letterhead_gives_the_header_of_the_typed_report(tmp_path, capsys):
    """Through the whole program: the issuer, number, place and date read from a Word letterhead
    are those read from the same header typed line by line ("Cơ quan: không rõ" before)."""
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8")
    typed, word = tmp_path / "xa.txt", tmp_path / "xa.docx"
    typed.write_text(text, encoding="utf-8")
    word.write_bytes(report_docx(text))
    assert main([str(typed), "--format", "json"]) == 1
    expected = json.loads(capsys.readouterr().out)["reports"][0]["document"]
    assert main([str(word), "--format", "json"]) == 1
    got = json.loads(capsys.readouterr().out)["reports"][0]["document"]
    for key in ("issuer", "level", "number", "place", "date", "period"):
        assert got[key] == expected[key], key
    assert got["issuer"] and got["number"] == "142/BC-UBND" and got["date"] == "2024-12-16"


# --- a whole report typed with Word's lists and letterhead --------------------------------------

_ROMAN = re.compile(r"^([IVX]+)\. (.*)$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\. (.*)$")
_NUMBER = re.compile(r"^(\d{1,2})\. (\D.*)$")
_LETTER = re.compile(r"^([a-z])\) (.*)$")
REPORT_LISTS = [level(0, "upperRoman", "%1."), level(1, "decimal", "%2."), level(2, "lowerLetter", "%3)"),
                level(3, "decimal", "%2.%4.")]


def split_header(text: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """The typed header's issuer, number, motto and date lines, and the lines from the title on."""
    all_lines = text.split("\n")
    title = all_lines.index("BÁO CÁO")
    head = [ln for ln in all_lines[:title] if ln.strip()]
    motto = [ln for ln in head if ln.startswith(("CỘNG HÒA", "Độc lập"))]
    number = [ln for ln in head if ln.startswith("Số:")]
    dated = [ln for ln in head if " ngày " in ln]
    issuer = [ln for ln in head if ln not in motto + number + dated]
    return issuer, number, motto, dated, all_lines[title:]


def canonical(text: str) -> str:
    """The typed report with its header in the order a Word letterhead is read: left column, then right."""
    issuer, number, motto, dated, body = split_header(text)
    return "\n".join(issuer + [""] + number + [""] + motto + [""] + dated + [""] + body)


def report_docx(text: str) -> bytes:
    """The report as a clerk types it in Word: the header in a letterhead table, headings and
    items as Word lists (no marker typed in the text), other lines as paragraphs, tab rows as a table."""
    d = docx.Document()
    set_numbering(d, {1: REPORT_LISTS, 2: BULLETS}, {1: (1, ""), 2: (2, "")})
    issuer, number, motto, dated, body = split_header(text)
    letterhead(d, issuer, number, motto, dated)
    i = 0
    while i < len(body):
        line = body[i]
        if "\t" in line:
            rows = []
            while i < len(body) and "\t" in body[i]:
                rows.append(body[i].split("\t"))
                i += 1
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        if m := _ROMAN.match(line):
            listed(d, m.group(2), 1, 0)
        elif m := _DOTTED.match(line):
            listed(d, m.group(3), 1, 3)
        elif m := _NUMBER.match(line):
            listed(d, m.group(2), 1, 1)
        elif m := _LETTER.match(line):
            listed(d, m.group(2), 1, 2)
        elif line.startswith("- "):
            listed(d, line[2:], 2, 0)
        elif line.startswith("+ "):
            listed(d, line[2:], 2, 1)
        else:
            d.add_paragraph(line)
        i += 1
    return saved(d)


def failing(path: Path, capsys) -> tuple[int, set[tuple[str, int, str]]]:
    status = main([str(path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)["reports"][0]
    return status, {(c["code"], c["line"], c["quote"]) for c in report["checks"] if c["status"] == "fail"}


@pytest.mark.parametrize("name", ["xa-loi", "huyen-loi", "huyen-sach", "xa-sach"])
def test_word_lists_give_the_findings_of_the_typed_report(name, tmp_path, capsys):
    """A report whose headings and bullets are Word lists and whose header is a letterhead table
    gives the findings of the same report typed with "I.", "1.", "a)", "- ", "+ " in a .txt.
    Before, the markers were lost: bullets ran together and "nêu hai lần" warnings appeared."""
    text = canonical((EXAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    data = report_docx(text)
    typed_markers = re.compile(r"[-+] |[IVX]+\. |\d{1,2}\. \D|[a-z]\) ")
    assert not any(typed_markers.match(p.text) for p in docx.Document(io.BytesIO(data)).paragraphs)  # none typed
    extracted = read_source(f"{name}.docx", data).text
    assert [ln.lstrip(" ") for ln in extracted.split("\n")] == text.split("\n")
    assert any(ln.startswith("  + ") for ln in extracted.split("\n"))  # "+" items one step in
    typed, word = tmp_path / f"{name}.txt", tmp_path / f"{name}.docx"
    typed.write_text(text, encoding="utf-8")
    word.write_bytes(data)
    expected = failing(typed, capsys)
    assert failing(word, capsys) == expected
    if name.endswith("loi"):
        assert expected[0] == 1 and expected[1]


# --- tracked changes, content controls, text boxes ------------------------------------------------

def test_tracked_changes_read_as_printed():
    d = docx.Document()
    raw(d, '<w:p><w:r><w:t xml:space="preserve">Tổng số hồ sơ tiếp nhận: </w:t></w:r>'
           '<w:del w:id="1" w:author="A"><w:r><w:delText>120</w:delText></w:r></w:del>'
           '<w:ins w:id="2" w:author="A"><w:r><w:t>125</w:t></w:r></w:ins>'
           '<w:r><w:t xml:space="preserve"> hồ sơ.</w:t></w:r></w:p>')
    # a paragraph deleted whole (its text and its mark): gone, not even a blank line
    raw(d, '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="A"/></w:rPr></w:pPr>'
           '<w:del w:id="4" w:author="A"><w:r><w:delText>Đoạn đã xóa 99 hồ sơ.</w:delText></w:r></w:del></w:p>')
    # a paragraph whose mark was deleted runs on into the next one
    raw(d, '<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="A"/></w:rPr></w:pPr>'
           '<w:r><w:t xml:space="preserve">Đã giải quyết </w:t></w:r></w:p>')
    raw(d, '<w:p><w:r><w:t>110 hồ sơ.</w:t></w:r></w:p>')
    # a move: the text where it went is read, where it came from is not
    raw(d, '<w:p><w:moveFrom w:id="6" w:author="A"><w:r><w:t>Trả lại 2 hồ sơ.</w:t></w:r></w:moveFrom>'
           '<w:r><w:t>Đang giải quyết 8 hồ sơ.</w:t></w:r>'
           '<w:moveTo w:id="7" w:author="A"><w:r><w:t xml:space="preserve"> Trả lại 2 hồ sơ.</w:t></w:r></w:moveTo></w:p>')
    # hidden text is not printed
    raw(d, '<w:p><w:r><w:t xml:space="preserve">Rút 1 hồ sơ.</w:t></w:r>'
           '<w:r><w:rPr><w:vanish/></w:rPr><w:t>Ghi chú ẩn 5 hồ sơ</w:t></w:r></w:p>')
    assert lines(saved(d)) == ["Tổng số hồ sơ tiếp nhận: 125 hồ sơ.", "Đã giải quyết 110 hồ sơ.",
                               "Đang giải quyết 8 hồ sơ. Trả lại 2 hồ sơ.", "Rút 1 hồ sơ."]


def test_tracked_table_rows_and_an_inserted_list_item():
    d = docx.Document()
    set_numbering(d, {1: BULLETS}, {1: (1, "")})
    raw(d, '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
           '<w:tr><w:tc><w:p><w:r><w:t>Hộ tịch</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>10</w:t></w:r></w:p></w:tc></w:tr>'
           '<w:tr><w:trPr><w:del w:id="1" w:author="A"/></w:trPr>'
           '<w:tc><w:p><w:del w:id="2" w:author="A"><w:r><w:delText>Đất đai</w:delText></w:r></w:del></w:p></w:tc>'
           '<w:tc><w:p><w:del w:id="3" w:author="A"><w:r><w:delText>7</w:delText></w:r></w:del></w:p></w:tc></w:tr>'
           '<w:tr><w:trPr><w:ins w:id="4" w:author="A"/></w:trPr>'
           '<w:tc><w:p><w:ins w:id="5" w:author="A"><w:r><w:t>Chứng thực</w:t></w:r></w:ins></w:p></w:tc>'
           '<w:tc><w:p><w:ins w:id="6" w:author="A"><w:r><w:t>12</w:t></w:r></w:ins></w:p></w:tc></w:tr></w:tbl>')
    raw(d, '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
           '<w:rPr><w:ins w:id="7" w:author="A"/></w:rPr></w:pPr>'
           '<w:ins w:id="8" w:author="A"><w:r><w:t>Mục thêm vào</w:t></w:r></w:ins></w:p>')
    source = read_source("r.docx", saved(d))
    assert source.text.split("\n") == ["Hộ tịch\t10", "Chứng thực\t12", "- Mục thêm vào"]
    assert source.places.at_line(2).as_dict() == {"table": 1, "row": 2}


def test_content_controls_fields_and_links_are_read():
    d = docx.Document()
    raw(d, '<w:sdt><w:sdtPr><w:alias w:val="Kết quả"/></w:sdtPr><w:sdtContent>'
           '<w:p><w:r><w:t>Tổng số hồ sơ tiếp nhận: 120 hồ sơ.</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>Đã giải quyết 110 hồ sơ.</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    raw(d, '<w:p><w:r><w:t xml:space="preserve">Xã </w:t></w:r>'
           '<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>Phú Lạc</w:t></w:r></w:sdtContent></w:sdt>'
           '<w:r><w:t xml:space="preserve"> đạt </w:t></w:r>'
           '<w:fldSimple w:instr=" =110/120*100 "><w:r><w:t>91,67</w:t></w:r></w:fldSimple>'
           '<w:r><w:t xml:space="preserve">% (</w:t></w:r>'
           '<w:hyperlink r:id="rId99"><w:r><w:t>dichvucong.gov.vn</w:t></w:r></w:hyperlink>'
           '<w:r><w:t>).</w:t></w:r></w:p>')
    raw(d, '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
           '<w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>Hộ tịch</w:t></w:r></w:p></w:tc>'
           '<w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>120</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>'
           '</w:tr></w:sdtContent></w:sdt></w:tbl>')
    assert lines(saved(d)) == ["Tổng số hồ sơ tiếp nhận: 120 hồ sơ.", "Đã giải quyết 110 hồ sơ.",
                               "Xã Phú Lạc đạt 91,67% (dichvucong.gov.vn).", "Hộ tịch\t120"]


TEXT_BOX = ('<w:p><w:r><w:t>Trước hộp.</w:t></w:r><w:r><mc:AlternateContent>'
            '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Hộp"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Ghi chú: 15 hồ sơ quá hạn.</w:t></w:r></w:p>'
            '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Ghi chú: 15 hồ sơ quá hạn.</w:t>'
            '</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def test_a_text_box_is_read_once_after_its_paragraph():
    d = docx.Document()
    raw(d, TEXT_BOX)
    d.add_paragraph("Sau hộp.")
    source = read_source("r.docx", saved(d))
    assert source.text.split("\n") == ["Trước hộp.", "Ghi chú: 15 hồ sơ quá hạn.", "Sau hộp."]
    assert source.places.at_line(2).as_dict() == {"paragraph": 1}
    assert source.notes == ()


# --- what is not read is said -------------------------------------------------------------------

def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def test_pictures_charts_and_embedded_objects_are_named_with_their_places():
    d = docx.Document()
    d.add_paragraph("Tổng số hồ sơ tiếp nhận: 120 hồ sơ.")
    d.add_paragraph().add_run().add_picture(io.BytesIO(png()))  # a screenshot of a table, say
    d.add_paragraph("Biểu đồ kết quả:")
    raw(d, '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="9" name="Biểu đồ"/><a:graphic>'
           '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId98"/>'
           '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    raw(d, '<w:p><w:r><w:t>Phụ lục:</w:t></w:r><w:r><w:object><v:shape><v:imagedata r:id="rId97"/></v:shape>'
           '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" r:id="rId96"/></w:object></w:r></w:p>')
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ảnh"
    table.cell(0, 1).paragraphs[0].add_run().add_picture(io.BytesIO(png()))
    raw(d, '<w:p><w:r><w:t>Số liệu</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    source = read_source("r.docx", saved(d))
    assert "Tổng số hồ sơ tiếp nhận: 120 hồ sơ." in source.text
    notes = {n.kind: n for n in source.notes}
    assert set(notes) == {"image", "chart", "object", "note"}
    assert notes["image"].count == 2
    assert [p.label("vi") for p in notes["image"].places] == ["đoạn 2", "bảng 1, hàng 1"]
    assert notes["object"].places[0].as_dict() == {"paragraph": 5}  # its preview picture is not a second note
    assert notes["chart"].places[0].as_dict() == {"paragraph": 4}
    message = notes["image"].message("vi")
    assert message.startswith("2 hình ảnh (đoạn 2, bảng 1, hàng 1)") and "không được đọc" in message
    assert "Excel" in notes["object"].message("vi")
    assert notes["image"].message("en").startswith("Image × 2 (paragraph 2, table 1, row 1)")


def test_a_page_header_with_text_is_named():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Tổng số hồ sơ năm 2024: 2.869"
    d.add_paragraph("Tổng số hồ sơ tiếp nhận: 120 hồ sơ.")
    assert [n.kind for n in read_source("r.docx", saved(d)).notes] == ["header"]
    d.sections[0].header.paragraphs[0].text = "Trang 2"  # a page number is not worth a note
    assert read_source("r.docx", saved(d)).notes == ()


def test_a_word_file_with_only_a_picture_says_so(tmp_path, capsys):
    d = docx.Document()
    d.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    with pytest.raises(InputError) as err:
        read_source("scan.docx", saved(d))
    assert err.value.code == "IO006" and "hình ảnh" in err.value.message
    path = tmp_path / "scan.docx"
    path.write_bytes(saved(d))
    assert main([str(path)]) == 2
    err_text = capsys.readouterr().err
    assert "hình ảnh" in err_text and "Traceback" not in err_text


def test_a_legacy_font_word_file_keeps_its_notes():
    """Notes survive the conversion of a .VnTime-typed document to Unicode."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("legacy_encoders", Path(__file__).parent / "unit" / "test_legacy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    d = docx.Document()
    for line in (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8").split("\n")[:40]:
        d.add_paragraph(mod.to_tcvn3(line).decode("cp1252"))
    d.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    source = read_source("r.docx", saved(d))
    assert "TCVN3" in source.encoding and [n.kind for n in source.notes] == ["image"]
