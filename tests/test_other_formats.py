"""Office files in formats that are not read (.doc, .xls, .xlsx, .odt, .ods, .rtf) are recognised by
their bytes and refused with one plain line that names the format and asks for .docx/.pdf/.txt:
exit 2, never a traceback nor a raw zip/lxml error; a folder run lists them as not read.

Every file is built here: a real compound file (Office 97-2003) with the streams Word and Excel
write, real zip packages with the parts Excel and LibreOffice write, an RTF text."""
from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.source.read import read_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FREE, END, FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (MS-CFB version 3, 512-byte sectors) holding `streams`, each of at least
    4096 bytes so that it lives in ordinary sectors: header, one FAT sector, one directory sector."""
    assert len(streams) <= 3 and all(len(b) >= 4096 for b in streams.values())
    fat = [FAT, END]
    entries = [("Root Entry", 5, 1 if streams else FREE, END, 0)]
    data = b""
    # siblings in the directory's order (shorter names first, then by upper case), each the right
    # sibling of the one before: a valid, if unbalanced, all-black red-black tree
    for name in sorted(streams, key=lambda n: (len(n), n.upper())):
        body = streams[name] + b"\0" * (-len(streams[name]) % 512)
        first = len(fat)
        count = len(body) // 512
        fat += list(range(first + 1, first + count)) + [END]
        data += body
        entries.append((name, 2, FREE, first, len(streams[name])))
    directory = b""
    for i, (name, kind, child, start, size) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        right = i + 1 if 1 <= i < len(entries) - 1 else FREE
        directory += (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                      + struct.pack("<III", FREE, right, child if kind == 5 else FREE) + b"\0" * 16
                      + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))
    directory = directory.ljust(512, b"\0")
    assert len(fat) <= 128
    # signature, class id, versions 3.62, byte order, sector shifts 9 and 6, reserved; then directory
    # sectors (0 in version 3), FAT sectors (1), first directory sector (1), transaction signature,
    # mini stream cutoff, first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors;
    # then the 109 first FAT sector numbers (the FAT is sector 0)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *[FREE] * 108))
    assert len(header) == 512
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", FREE) * (128 - len(fat))
    return header + fat_sector + directory + data


def word_97() -> bytes:
    return compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 4094, "1Table": b"\0" * 4096})


def excel_97() -> bytes:
    return compound_file({"Workbook": b"\x09\x08" + b"\0" * 4094})


def package(parts: dict[str, str], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:
            z.writestr(zipfile.ZipInfo(stored_first), parts[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, body in parts.items():
            if name != stored_first:
                z.writestr(name, body)
    return out.getvalue()


def xlsx() -> bytes:
    return package({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                       'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                           '<sheets><sheet name="Phụ lục" sheetId="1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                    '2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tổng</t></is></c>'
                                    '<c r="B1"><v>120</v></c></row></sheetData></worksheet>',
    })


def opendocument(kind: str) -> bytes:
    return package({
        "mimetype": f"application/vnd.oasis.opendocument.{kind}",
        "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                                 'xmlns:manifest:1.0"/>',
        "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                       'office:1.0"><office:body/></office:document-content>',
    }, stored_first="mimetype")


RTF = rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 T\u7893?ng s\u7889? h\u7891? s\u417?: 120.\par}"

FORMATS = [  # name, bytes, words the message must hold
    ("bao-cao.doc", word_97, "Word 97-2003 (.doc)"),
    ("phu-luc.xls", excel_97, "Excel 97-2003 (.xls)"),
    ("phu-luc.xlsx", xlsx, "Excel (.xlsx)"),
    ("bao-cao.odt", lambda: opendocument("text"), "OpenDocument (.odt"),
    ("phu-luc.ods", lambda: opendocument("spreadsheet"), "OpenDocument (.ods"),
    ("bao-cao.rtf", lambda: RTF, "RTF (.rtf)"),
]


@pytest.mark.parametrize("name, make, words", FORMATS)
def test_other_formats_are_refused_by_name_of_format(name, make, words, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(make())
    assert main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = " ".join(err.split())
    assert words in line and ".docx" in line and ".pdf" in line and ".txt" in line
    assert "Traceback" not in err and "lxml" not in err.lower() and "zip" not in err.lower()
    assert "nhị phân" not in line  # the old ".doc is a binary file"
    assert err.strip().count("\n") == 0  # one line (Rich may wrap only on a terminal)
    with pytest.raises(InputError) as info:
        read_source(name, path.read_bytes())
    assert info.value.code == "IO011"


@pytest.mark.parametrize("name, make, words", [
    ("bao-cao.docx", word_97, "Word 97-2003 (.doc)"),  # an old file renamed .docx: told by its bytes
    ("khong-ro", excel_97, "Excel 97-2003 (.xls)"),
    ("bao-cao.docx", xlsx, "Excel (.xlsx)"),
    ("bao-cao.txt", lambda: RTF, "RTF (.rtf)"),
    ("bao-cao.docx", lambda: opendocument("text"), "OpenDocument (.odt"),
    # a workbook holding an embedded Word document has that document's stream name too
    ("phu-luc.xls", lambda: compound_file({"Workbook": b"\0" * 4096, "WordDocument": b"\0" * 4096}),
     "Excel 97-2003 (.xls)"),
])
def test_formats_are_told_by_their_bytes_not_their_names(name, make, words):
    with pytest.raises(InputError) as info:
        read_source(name, make())
    assert info.value.code == "IO011" and words in info.value.message


def test_a_word_file_saved_with_an_old_name_is_read():
    """A .docx renamed .doc (common when a template is passed around) is a Word package: read."""
    from test_sources import to_docx

    source = read_source("bao-cao.doc", to_docx("Tổng số hồ sơ tiếp nhận: 120 hồ sơ."))
    assert source.text == "Tổng số hồ sơ tiếp nhận: 120 hồ sơ."


def test_a_password_protected_word_file_is_said_to_be_locked(tmp_path, capsys):
    """Word saves a document with a password as a compound file holding the encrypted package."""
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 4092,
                                    "EncryptedPackage": b"\0" * 4096}))
    assert main([str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "mật khẩu" in err and "Traceback" not in err


def test_a_damaged_spreadsheet_is_still_named_as_a_spreadsheet():
    with pytest.raises(InputError) as info:
        read_source("phu-luc.xlsx", xlsx()[:300])
    assert info.value.code == "IO011" and "Excel (.xlsx)" in info.value.message


def test_compound_file_builder_is_well_formed():
    """The test's compound file has the layout the format prescribes (so the refusal is tested on a
    file Word would recognise, not on eight magic bytes)."""
    data = word_97()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and len(data) % 512 == 0
    sector_shift, = struct.unpack_from("<H", data, 30)
    first_dir, = struct.unpack_from("<I", data, 48)
    assert sector_shift == 9
    directory = data[512 * (first_dir + 1):512 * (first_dir + 2)]
    names = [directory[i:i + 64].decode("utf-16-le").split("\0")[0] for i in range(0, 512, 128)]
    assert names[:3] == ["Root Entry", "1Table", "WordDocument"]
    start, size = struct.unpack_from("<IQ", directory, 2 * 128 + 116)
    assert data[512 * (start + 1):512 * (start + 1) + 2] == b"\xec\xa5" and size == 4096  # Word's magic number


def test_a_folder_lists_files_it_cannot_read(tmp_path, capsys, monkeypatch):
    """An inspector's folder of mixed submissions: each .doc, .xls, .xlsx, .odt, .ods, .rtf appears
    in the results as not read, with its reason, beside the reports that were audited."""
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8")
    (tmp_path / "a-bao-cao.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ghi-chu.json").write_text("{}")  # not a report nor an office file: not collected
    for name, make, _ in FORMATS:
        (tmp_path / "nop" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "nop" / name).write_bytes(make())
    assert main([str(tmp_path), "--format", "json", "--jobs", "1"]) == 2
    out, err = capsys.readouterr()
    reports = {Path(r["path"]).name: r for r in json.loads(out)["reports"]}
    assert set(reports) == {"a-bao-cao.txt"} | {name for name, _, _ in FORMATS}
    assert reports["a-bao-cao.txt"]["summary"]["error"] > 0 and not reports["a-bao-cao.txt"]["problems"]
    for name, _, words in FORMATS:
        problems = reports[name]["problems"]
        assert [p["code"] for p in problems] == ["IO011"] and words in problems[0]["message"], name
    assert "Traceback" not in err
    monkeypatch.setenv("COLUMNS", "400")  # the summary table's cells unwrapped, whatever the terminal
    assert main([str(tmp_path), "--summary-only", "--jobs", "1"]) == 2
    summary = " ".join(capsys.readouterr().out.split())
    for name, _, _ in FORMATS:
        assert name in summary


def test_a_folder_of_old_files_only_is_not_called_empty(tmp_path, capsys):
    (tmp_path / "bao-cao.doc").write_bytes(word_97())
    (tmp_path / "phu-luc.xls").write_bytes(excel_97())
    assert main([str(tmp_path), "--format", "json", "--jobs", "1"]) == 2
    reports = json.loads(capsys.readouterr().out)["reports"]
    assert sorted(Path(r["path"]).name for r in reports) == ["bao-cao.doc", "phu-luc.xls"]
    assert all(r["problems"][0]["code"] == "IO011" for r in reports)
