"""Word and PDF reports read like their text originals: same findings, places named in the original."""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from auditor.check.catalog import load_catalog
from auditor.cli import main
from auditor.engine import Selection, audit_bytes
from auditor.errors import InputError
from auditor.source.read import read_source
from test_acceptance import corpus_mod  # bench/corpus.py: its bare PDF writer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF")]


def _blocks(text: str):
    """Lines of a text report grouped as Word would hold them: paragraphs, and tab rows as one table."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].split("\t"))
                i += 1
            yield "table", rows
        else:
            yield "paragraph", lines[i]
            i += 1


def to_docx(text: str, merge_header: bool = False) -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for kind, body in _blocks(text):
        if kind == "paragraph":
            d.add_paragraph(body)
            continue
        width = max(len(r) for r in body)
        table = d.add_table(rows=len(body), cols=width)
        for r, row in enumerate(body):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if merge_header:
            # a title row merged across the table, as appendix tables often have
            title = d.tables[-1].add_row()
            title._tr.getparent().remove(title._tr)
            table.rows[0]._tr.addprevious(title._tr)
            merged = table.cell(0, 0).merge(table.cell(0, width - 1))
            merged.text = "Biểu tổng hợp"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _font() -> Path | None:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").exists() and (folder / "DejaVuSans-Bold.ttf").exists():
            return folder
    return None


def to_pdf(text: str) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    folder = _font()
    if folder is None:
        pytest.skip("no DejaVu font for Vietnamese PDF text (Debian package fonts-dejavu-core)")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.add_font("dv", fname=str(folder / "DejaVuSans.ttf"))
    pdf.add_font("dv", style="B", fname=str(folder / "DejaVuSans-Bold.ttf"))
    pdf.set_font("dv", size=9)
    for kind, body in _blocks(text):
        if kind == "paragraph":
            pdf.multi_cell(0, 5, body or " ", new_x="LMARGIN", new_y="NEXT")
            continue
        width = max(len(r) for r in body)
        with pdf.table() as table:
            for row in body:
                cells = table.row()
                for value in row + [""] * (width - len(row)):
                    cells.cell(value)
    return bytes(pdf.output())


CATALOG = load_catalog([])


def failures(path: str, data: bytes) -> list[tuple[str, str]]:
    audit = audit_bytes(path, data, CATALOG, Selection(), "vi")
    return sorted((c.code, " ".join(audit.report.text[c.start:c.end].split())) for c in audit.checks if c.status == "fail")


@pytest.mark.parametrize("name", ["xa-sach", "xa-loi", "huyen-loi"])
def test_word_report_gives_the_findings_of_its_text(name):
    text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    assert failures(f"{name}.docx", to_docx(text)) == failures(f"{name}.txt", text.encode())


@pytest.mark.parametrize("name", ["xa-sach", "xa-loi", "huyen-loi", "huyen-sach"])
def test_pdf_report_gives_the_findings_of_its_text(name):
    text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    assert failures(f"{name}.pdf", to_pdf(text)) == failures(f"{name}.txt", text.encode())


def test_word_table_rows_and_merged_cells():
    text = (EXAMPLES / "xa-sach.txt").read_text(encoding="utf-8")
    source = read_source("r.docx", to_docx(text, merge_header=True))
    rows = [line for line in source.text.split("\n") if "\t" in line]
    assert rows[0].split("\t")[0] == "Biểu tổng hợp"
    assert set(rows[0].split("\t")[1:]) == {""}  # a merged cell's text appears once
    first_table_line = source.text.split("\n").index(rows[0]) + 1
    assert source.places.at_line(first_table_line).as_dict() == {"table": 1, "row": 1}
    assert source.places.at_line(first_table_line + 2).label("vi") == "bảng 1, hàng 3"
    assert source.places.at_line(1).label("en") == "paragraph 1"


def test_word_findings_name_paragraph_and_row(tmp_path, capsys):
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8")
    path = tmp_path / "xa-loi.docx"
    path.write_bytes(to_docx(text))
    assert main([str(path), "--format", "json"]) == 1
    checks = [c for c in json.loads(capsys.readouterr().out)["reports"][0]["checks"] if c["status"] == "fail"]
    assert checks and all("where" in c for c in checks)
    lines = text.split("\n")
    for c in checks:  # every paragraph here is one line: paragraph number = line number
        if "paragraph" in c["where"]:
            assert c["where"]["paragraph"] == c["line"]
            assert c["quote"].split("\n")[0] in lines[c["line"] - 1]
    assert main([str(path)]) == 1
    assert "(đoạn " in capsys.readouterr().out


def test_pdf_pages_are_named(tmp_path, capsys):
    path = tmp_path / "huyen-loi.pdf"
    path.write_bytes(to_pdf((EXAMPLES / "huyen-loi.txt").read_text(encoding="utf-8")))
    assert main([str(path), "--format", "json"]) == 1
    checks = json.loads(capsys.readouterr().out)["reports"][0]["checks"]
    pages = {c["where"]["page"] for c in checks if "where" in c}
    assert pages >= {1, 2}


def test_scanned_pdf_needs_ocr_first(tmp_path, capsys):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a page with a picture and no text, as a scan is
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "OCR" in err and "Traceback" not in err


@pytest.mark.parametrize("name, data, code", [
    ("cut.docx", None, "IO007"),
    ("empty.docx", b"", "IO002"),
    ("empty.pdf", b"", "IO002"),
    ("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "IO007"),
    ("not-a-zip.docx", b"PK\x03\x04 this is not a Word package", "IO007"),
])
def test_broken_documents_are_refused_plainly(name, data, code):
    if data is None:
        data = to_docx("Báo cáo\nTổng số hồ sơ tiếp nhận: 10.")[:700]
    with pytest.raises(InputError) as err:
        read_source(name, data)
    assert err.value.code == code
    assert err.value.message


def test_folder_of_mixed_formats(tmp_path, capsys):
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(to_docx(text))
    (tmp_path / "c.pdf").write_bytes(to_pdf(text))
    (tmp_path / "notes.json").write_text("{}")  # not a report: not collected
    assert main([str(tmp_path), "--format", "json", "--jobs", "1"]) == 1
    reports = json.loads(capsys.readouterr().out)["reports"]
    assert [Path(r["path"]).name for r in reports] == ["a.txt", "b.docx", "c.pdf"]
    errors = {Path(r["path"]).name: r["summary"]["error"] for r in reports}
    assert errors["a.txt"] == errors["b.docx"] == errors["c.pdf"] > 0


def _legacy_encoders():
    import importlib.util

    spec = importlib.util.spec_from_file_location("legacy_encoders", Path(__file__).parent / "unit" / "test_legacy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.to_tcvn3, mod.to_vni


@pytest.mark.parametrize("scheme", ["TCVN3", "VNI"])
def test_legacy_font_reports_are_converted_and_audited(scheme, tmp_path, capsys):
    to_tcvn3, to_vni = _legacy_encoders()
    encode = to_tcvn3 if scheme == "TCVN3" else to_vni
    text = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8")
    expected = [(code, quote.lower()) for code, quote in failures("x.txt", text.encode())]
    raw = encode(text)  # a .txt saved as "ANSI" from a .VnTime / VNI-Times document
    assert [(c, q.lower()) for c, q in failures("x.txt", raw)] == expected
    word = to_docx(raw.decode("cp1252"))  # the same letters typed in Word with the legacy font
    assert [(c, q.lower()) for c, q in failures("x.docx", word)] == expected
    path = tmp_path / "x.txt"
    path.write_bytes(raw)
    assert main([str(path), "--format", "json"]) == 1
    assert scheme in json.loads(capsys.readouterr().out)["reports"][0]["document"]["encoding"]


def test_half_legacy_report_is_refused_plainly(tmp_path, capsys):
    to_tcvn3, _ = _legacy_encoders()
    lines = (EXAMPLES / "xa-loi.txt").read_text(encoding="utf-8").split("\n")
    typed = [i for i, line in enumerate(lines) if line.strip()][::2]  # every other line typed in .VnTime
    mixed = "\n".join(to_tcvn3(line).decode("cp1252") if i in typed else line for i, line in enumerate(lines))
    path = tmp_path / "mixed.txt"
    path.write_text(mixed, encoding="utf-8")
    assert main([str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "TCVN3" in err and "Unikey" in err


def _pdf_with_content(content: bytes, image_side: int = 0) -> bytes:
    """A one-page PDF whose page content is `content`, deflated; with `image_side`, the page also
    holds a grey image of that many pixels a side."""
    import zlib

    stream = zlib.compress(content, 9)
    pixels = zlib.compress(b"\x80" * image_side * image_side, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
               b"/Length %d /Filter /FlateDecode >>\nstream\n" % (max(image_side, 1), max(image_side, 1), len(pixels))
               + pixels + b"\nendstream"]
    return corpus_mod.pdf_of(objects)


def _word_with_paragraphs(paragraph: str, count: int) -> bytes:
    """A Word file whose text is `paragraph` `count` times: small on disk, large unpacked."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(paragraph * count)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


LINE = "Tổng số hồ sơ tiếp nhận: 10 hồ sơ. "
PDF_LINE = b"BT /F1 9 Tf 40 800 Td (Tong so ho so tiep nhan: 10 ho so.) Tj ET\n"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_document_that_unpacks_far_beyond_the_limit_is_refused_at_once(kind, tmp_path, capsys):
    """A "zip bomb": 8 times --max-bytes plus 8 MB unpacked is the most a Word or PDF file may hold. A 400 KB
    Word file that unpacked to 100 MB once took 107 s and 3.3 GB; refused, it takes no reading."""
    if kind == "docx":
        data = _word_with_paragraphs(LINE, 300_000)  # 10.5 MB of text
    else:
        pytest.importorskip("pdfplumber")
        data = _pdf_with_content(PDF_LINE * 200_000)  # 13 MB of page content
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(data)
    assert len(data) < 200_000
    t0 = time.perf_counter()
    assert main([str(path), "--max-bytes", "100000"]) == 2
    assert time.perf_counter() - t0 < 10
    err = capsys.readouterr().err
    assert "giải nén" in err and "--max-bytes" in err and "Traceback" not in err
    assert path.read_bytes() == data


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_document_within_the_unpacked_limit_is_read(kind, tmp_path, capsys):
    if kind == "docx":
        data = _word_with_paragraphs(LINE, 200)
    else:
        pytest.importorskip("pdfplumber")
        data = _pdf_with_content(PDF_LINE * 200)
    path = tmp_path / f"small.{kind}"
    path.write_bytes(data)
    code = main([str(path), "--max-bytes", "100000", "--format", "json"])
    out, err = capsys.readouterr()
    [report] = json.loads(out)["reports"]
    assert report["problems"] == [] and "giải nén" not in err  # read, not refused for its unpacked size
    # 200 lines drawn at one spot may leave no figure: then it says so, and only then exits 2
    assert code == (2 if report["verdict"] == "not_checked" else 1 if report["summary"]["error"] else 0)


def test_inflated_size_stops_just_past_the_limit():
    import zlib

    from auditor.source.read import _inflated_size

    raw = zlib.compress(b"\0" * 50_000_000)
    assert _inflated_size(raw, 1_000_000) <= 1_000_000 + (1 << 20)
    assert _inflated_size(raw, 1_000_000) > 1_000_000
    assert _inflated_size(zlib.compress(b"abc" * 1000), 10**9) == 3000
    assert _inflated_size(b"not zlib at all", 10**9) == 0


def test_a_scan_with_large_images_still_asks_for_ocr(tmp_path, capsys):
    """Images are never unpacked to read text, so they do not count against the unpacked limit: a
    scanned report (one 25 MB page image here) is told to need OCR, not to be too large."""
    pytest.importorskip("pdfplumber")
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_with_content(b"q 595 0 0 842 0 0 cm /Im1 Do Q\n", image_side=5000))
    assert main([str(path), "--max-bytes", "100000"]) == 2
    err = capsys.readouterr().err
    assert "OCR" in err and "giải nén" not in err


def _mutations():
    from hypothesis import strategies as st

    return st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(["flip", "cut", "insert", "zero"]),
                              st.binary(min_size=1, max_size=16)), min_size=1, max_size=6)


def _mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for where, how, junk in edits:
        i = int(where * len(out)) if out else 0
        if how == "flip" and out:
            out[i] ^= junk[0] or 1
        elif how == "cut":
            del out[i:]
        elif how == "insert":
            out[i:i] = junk
        elif out:
            out[i:i + len(junk)] = bytes(len(junk))
    return bytes(out)


SAMPLE_TEXT = "Tổng số hồ sơ tiếp nhận: 120 hồ sơ, trong đó trực tuyến 100 hồ sơ, trực tiếp 20 hồ sơ.\nSTT\tLĩnh vực\tTổng\n1\tHộ tịch\t120"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_damaged_documents_are_read_or_refused_never_crash(kind):
    """Random damage to a real Word or PDF file: the reader returns text or refuses with an
    InputError (exit 2 and a message), in bounded time, and never raises anything else."""
    from hypothesis import HealthCheck, given, settings

    base = to_docx(SAMPLE_TEXT) if kind == "docx" else to_pdf(SAMPLE_TEXT)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_mutations())
    def run(edits):
        data = _mutate(base, edits)
        t0 = time.perf_counter()
        try:
            source = read_source(f"damaged.{kind}", data)
        except InputError as exc:
            assert exc.code.startswith("IO") and exc.message
        else:
            assert isinstance(source.text, str)
        assert time.perf_counter() - t0 < 20

    run()
