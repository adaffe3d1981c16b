"""A reproducible folder of generated TTHC reports in the formats inspectors actually receive.

    python bench/corpus.py OUT_DIR --count 200 --seed 1

Mix (for any count ≥ 20; smaller counts keep the same shares, rounded):
  ~45 % .txt  — UTF-8 (some with BOM, some CRLF), UTF-16 with BOM, Windows-1258 bytes
  ~30 % .docx — python-docx; paragraphs split into several runs, and the appendix as a real Word
                table with a header row (a few keep the appendix as tab-separated paragraphs)
  ~20 % .pdf  — fpdf2 with a TTF font that has Vietnamese glyphs (DejaVu Sans or similar); the
                appendix as a drawn table on a landscape page. Without fpdf2 or such a font these
                reports are written as .txt and their manifest entry says why.
   ~5 % broken — empty .txt, binary-garbage .txt, truncated .docx, image-only .pdf (no text layer),
                zero-byte .pdf (round-robin, so 200 files give two of each).

Every readable report is bench/run.py's `report()` (same figures, same wording) with a varied header
(issuer, number, period and report date kept mutually consistent), sometimes the national motto, a
request paragraph and a signature block; some use English digit grouping, some are OCR-damaged.
About a third have one planted error: exactly one figure changed (a field's received total, its
resolved total, its online rate, or one cell of the appendix table).

`make_corpus(out_dir, count, seed)` returns the manifest and writes it as OUT_DIR/manifest.json:
{file name: {"format", "broken", "planted", ...details...}}. The same (count, seed) gives byte-identical
files (the dates inside .docx and .pdf are pinned). 200 files take about 4 s.
"""
from __future__ import annotations

import argparse
import codecs
import datetime
import io
import json
import random
import re
import sys
import time
import unicodedata
import zipfile
from pathlib import Path


def _load_bench_run():
    """bench/run.py (the one report generator), under a name that cannot clash with another `run`."""
    import importlib.util

    name = "tthc_bench_run"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "run.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_run = _load_bench_run()
fmt, ocr, report = _run.fmt, _run.ocr, _run.report

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]

BROKEN_KINDS = ["empty-txt", "binary-txt", "truncated-docx", "image-only-pdf", "zero-byte-pdf"]

# (issuer line, place, slug with diacritics, plain slug)
ISSUERS = [
    ("XÃ AN BÌNH", "An Bình", "xã An Bình", "xa-an-binh"),
    ("XÃ YÊN PHÚ", "Yên Phú", "xã Yên Phú", "xa-yen-phu"),
    ("PHƯỜNG HÒA KHÁNH", "Hòa Khánh", "phường Hòa Khánh", "phuong-hoa-khanh"),
    ("THỊ TRẤN ĐỒNG LÊ", "Đồng Lê", "thị trấn Đồng Lê", "tt-dong-le"),
    ("XÃ TÂN HƯNG", "Tân Hưng", "xã Tân Hưng", "xa-tan-hung"),
    ("XÃ QUẢNG ĐIỀN", "Quảng Điền", "xã Quảng Điền", "xa-quang-dien"),
]
# (period line, report date (d, m, y), request letter date) — mutually consistent
PERIODS = [
    ("(Từ ngày 15/6/2024 đến ngày 14/9/2024)", (20, 9, 2024), "05/9/2024"),
    ("(Từ ngày 15/12/2023 đến ngày 14/3/2024)", (18, 3, 2024), "01/3/2024"),
    ("(Từ ngày 15/3/2024 đến ngày 14/6/2024)", (19, 6, 2024), "03/6/2024"),
    ("(Từ ngày 01/01/2024 đến ngày 30/6/2024)", (8, 7, 2024), "21/6/2024"),
    ("(Từ ngày 15/12/2023 đến ngày 14/12/2024)", (17, 12, 2024), "28/11/2024"),
]
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def find_font() -> str | None:
    for cand in FONT_CANDIDATES:
        if Path(cand).is_file():
            return cand
    return None


def _have(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


# ---------------------------------------------------------------- the text of one report

def _text(rng: random.Random, planted: bool) -> tuple[str, dict]:
    """One report as text (tabs between table cells) and what was done to it."""
    # at most len(FIELDS) = 7: beyond that bench/run.py names fields "Hộ tịch 2", which no real report does
    fields = rng.choice([3, 4, 5, 6, 7])
    english = rng.random() < 0.15
    damaged = not planted and rng.random() < 0.08  # OCR damage only where nothing is planted
    text = report(rng, fields, english=english, damaged=False)
    lines = text.split("\n")
    who = rng.randrange(len(ISSUERS))
    issuer, place, _, _ = ISSUERS[who]
    period, (d, m, y), asked = rng.choice(PERIODS)
    number = rng.randint(5, 480)
    lines[1] = issuer
    lines[3] = f"Số: {number}/BC-UBND"
    lines[5] = f"{place}, ngày {d} tháng {m} năm {y}"
    lines[9] = period
    if rng.random() < 0.6:
        lines[2:2] = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    if rng.random() < 0.5:
        at = lines.index("I. KẾT QUẢ")
        lines[at:at] = [f"Thực hiện Công văn số {rng.randint(100, 4999)}/UBND-VP ngày {asked} của UBND huyện về việc "
                        f"báo cáo kết quả giải quyết thủ tục hành chính, UBND {place} báo cáo như sau:", ""]
    if rng.random() < 0.5:
        at = lines.index("PHỤ LỤC")
        lines[at:at] = ["Nơi nhận:", "- UBND huyện;", "- Lưu: VT.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                        rng.choice(["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thu Hà"]), ""]
    text = "\n".join(lines)
    info: dict = {"issuer": who, "fields": fields, "english": english, "ocr_damaged": damaged}
    if planted:
        text, info["plant"] = _plant(rng, text, english)
    if damaged:
        text = ocr(text, rng)
    return text, info


def _num(raw: str, english: bool) -> int:
    return int(raw.replace("," if english else ".", ""))


def _plant(rng: random.Random, text: str, english: bool) -> tuple[str, dict]:
    """Change exactly one figure; say which, where (1-based line of the text form), from what to what."""
    lines = text.split("\n")
    field_lines = [i for i, ln in enumerate(lines) if ln.startswith("+ Lĩnh vực ")]
    table_rows = [i for i, ln in enumerate(lines) if re.match(r"\d+\t", ln)]
    kind = rng.choice(["received", "resolved", "percent", "table_cell"])
    num = r"\d{1,3}(?:[.,]\d{3})*"
    if kind == "table_cell":
        i = rng.choice(table_rows)
        cells = lines[i].split("\t")
        col = rng.randint(2, len(cells) - 1)
        old = _num(cells[col], english)
        new = _shift(rng, old)
        cells[col] = fmt(new, english)
        lines[i] = "\t".join(cells)
        where = f"{cells[1]}, cột {col + 1}"
    else:
        i = rng.choice(field_lines)
        pattern = {"received": rf"(tiếp nhận )({num})( hồ sơ)", "resolved": rf"(đã giải quyết )({num})( hồ sơ)",
                   "percent": r"(đạt )(\d+[.,]\d\d)(%)"}[kind]
        m = re.search(pattern, lines[i])
        if kind == "percent":
            old_v = float(m.group(2).replace(",", "."))
            new_v = old_v + rng.choice([-1, 1]) * rng.uniform(1.5, 9.0)
            if not 0 <= new_v <= 100:
                new_v = old_v - (new_v - old_v)
            old, new = m.group(2), f"{new_v:.2f}" if english else f"{new_v:.2f}".replace(".", ",")
        else:
            old = _num(m.group(2), english)
            new = _shift(rng, old)
        lines[i] = lines[i][:m.start(2)] + (new if kind == "percent" else fmt(new, english)) + lines[i][m.end(2):]
        where = lines[i].split(":")[0][2:]
    return "\n".join(lines), {"kind": kind, "line": i + 1, "where": where, "was": str(old), "now": str(new)}


def _shift(rng: random.Random, old: int) -> int:
    delta = rng.choice([1, 2, 3, 5, 7, 9, 10, 12, 18, 20, 30, 100])
    return old + delta if rng.random() < 0.5 or old - delta < 0 else old - delta


# ---------------------------------------------------------------- encodings

def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software wrote it: base letters (â, ê, ô, ơ, ư, ă, đ and the
    Latin-1 accented ones) precomposed, tones as combining marks. Plain NFD cannot be encoded (cp1258
    has no combining circumflex, breve or horn). Raises UnicodeEncodeError for what it cannot hold."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258", errors="strict")


def _encode_txt(rng: random.Random, text: str) -> tuple[bytes, dict]:
    """The bytes, and {"encoding": what a reader should detect, "newline": "lf"|"crlf"}."""
    roll = rng.random()
    crlf = rng.random() < 0.25
    info = {"newline": "crlf" if crlf else "lf"}
    if crlf:
        text = text.replace("\n", "\r\n")
    if roll < 0.5:
        return text.encode("utf-8"), {"encoding": "utf-8", **info}
    if roll < 0.6:
        return codecs.BOM_UTF8 + text.encode("utf-8"), {"encoding": "utf-8-sig", **info}
    if roll < 0.78:
        return text.encode("utf-16"), {"encoding": "utf-16", **info}  # BOM included
    try:
        data = to_cp1258(text)
        data.decode("utf-8")  # would a reader take it for UTF-8? then it is no test of cp1258
    except UnicodeEncodeError:
        return text.encode("utf-8"), {"encoding": "utf-8", "encoding_note": "cp1258 could not encode it", **info}
    except UnicodeDecodeError:
        return data, {"encoding": "windows-1258", **info}
    return text.encode("utf-8"), {"encoding": "utf-8", "encoding_note": "its cp1258 bytes were valid UTF-8", **info}


# ---------------------------------------------------------------- Word

def _blocks(text: str) -> list[tuple[str, object]]:
    """('p', line) for a paragraph, ('t', [[cells]...]) for a run of tab-separated lines."""
    out: list[tuple[str, object]] = []
    for line in text.rstrip("\n").split("\n"):
        if "\t" in line:
            if out and out[-1][0] == "t":
                out[-1][1].append(line.split("\t"))
            else:
                out.append(("t", [line.split("\t")]))
        else:
            out.append(("p", line))
    return out


def _docx_bytes(rng: random.Random, text: str, real_tables: bool) -> bytes:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    doc.core_properties.created = doc.core_properties.modified = datetime.datetime(2024, 1, 1)
    doc.core_properties.author = "tthc-audit corpus"
    bold = {"BÁO CÁO", "PHỤ LỤC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN"}
    for kind, body in _blocks(text):
        if kind == "t" and real_tables:
            rows = body
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for r, (row, cells) in enumerate(zip(table.rows, rows)):
                for c, cell in enumerate(row.cells):  # row.cells once per row: table.cell() is O(cells)
                    cell.text = cells[c] if c < len(cells) else ""
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
                            run.font.size = Pt(9)
            continue
        lines = [body] if kind == "p" else ["\t".join(r) for r in body]
        for line in lines:
            para = doc.add_paragraph()
            # Word splits a paragraph into runs wherever formatting or editing history changes;
            # cut some lines at random points (sometimes inside a number) to make the reader join them
            cuts = sorted(rng.sample(range(1, len(line)), min(len(line) - 1, rng.choice([0, 0, 1, 2, 3])))) if len(line) > 1 else []
            start = 0
            for cut in cuts + [len(line)]:
                run = para.add_run(line[start:cut])
                if line in bold:
                    run.bold = True
                start = cut
    buf = io.BytesIO()
    doc.save(buf)
    return _pin_zip(buf.getvalue())


def _pin_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps, so the same seed gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


# ---------------------------------------------------------------- PDF

def _pdf(font: str):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("VN", "", font)
    pdf.set_font("VN", size=10)
    return pdf


def _pdf_bytes(text: str, font: str) -> bytes:
    """Lines placed with text() after wrapping by character count (multi_cell and table() are
    ~10x slower); the appendix as a ruled grid on a landscape page, numbers right-aligned."""
    import textwrap

    pdf = _pdf(font)
    pdf.add_page()
    left, bottom, size = pdf.l_margin, pdf.h - 15, 10
    y = pdf.t_margin
    for kind, body in _blocks(text):
        if kind == "p":
            for line in textwrap.wrap(body, 92) or [""]:
                y += 5 if line else 3
                if y > bottom:
                    pdf.add_page()
                    y = pdf.t_margin + 5
                if line:
                    pdf.text(left, y, line)
            continue
        rows = body
        ncols = max(len(r) for r in rows)
        pdf.add_page(orientation="L")
        pdf.set_font("VN", size=7)
        rest = (pdf.epw - 8 - 32) / max(1, ncols - 2)
        widths = [8, 32] + [rest] * (ncols - 2)
        y = pdf.t_margin
        for r, cells in enumerate(rows):
            wrapped = [textwrap.wrap(cells[c] if c < len(cells) else "", max(4, int(widths[c] / 1.45))) or [""]
                       for c in range(ncols)]
            height = 3.5 * max(len(w) for w in wrapped) + 1.5
            if y + height > pdf.h - 12:
                pdf.add_page(orientation="L")
                y = pdf.t_margin
            x = left
            for c in range(ncols):
                pdf.rect(x, y, widths[c], height)
                for k, piece in enumerate(wrapped[c]):
                    if r == 0 or c < 2:
                        tx = x + 1 if c == 1 or r == 0 else x + (widths[c] - pdf.get_string_width(piece)) / 2
                    else:
                        tx = x + widths[c] - 1 - pdf.get_string_width(piece)
                    pdf.text(tx, y + 3.5 * (k + 1), piece)
                x += widths[c]
            y += height
        pdf.set_font("VN", size=size)
        y = bottom + 1  # whatever follows a table starts on a new (portrait) page
    return bytes(pdf.output())


def _image_only_pdf(rng: random.Random) -> bytes:
    """A 'scanned' page: shapes and a grey noise image, no text operator at all."""
    try:
        from fpdf import FPDF
    except ImportError:
        return _raw_image_only_pdf()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
    pdf.add_page()
    pdf.set_fill_color(235, 235, 235)
    pdf.rect(10, 10, 190, 277, style="F")
    pdf.set_draw_color(40, 40, 40)
    for k in range(28):  # 'lines of text' as grey bars
        pdf.set_fill_color(90, 90, 90)
        pdf.rect(20, 30 + k * 8, rng.randint(60, 170), 3, style="F")
    try:
        from PIL import Image

        img = Image.frombytes("L", (64, 64), bytes(rng.randrange(256) for _ in range(64 * 64)))
        pdf.image(img, x=150, y=12, w=40)
    except ImportError:
        pass
    return bytes(pdf.output())


def _raw_image_only_pdf() -> bytes:
    """The same without fpdf2: one page whose only content is a filled rectangle."""
    content = b"0.5 g 20 20 555 800 re f"
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
                   b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"])


def pdf_of(objs: list[bytes]) -> bytes:
    """A PDF file of these objects, numbered from 1 (the first is the catalog), with a correct
    cross-reference table: for PDFs no library would write (bare, hostile)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------- the folder

def _plan(rng: random.Random, count: int) -> list[str]:
    """Formats in the stated shares, shuffled; the broken kinds taken in turn (two of each for 200)."""
    n_broken = max(1, round(count * 0.05)) if count >= 5 else 0
    n_pdf = round(count * 0.20)
    n_docx = round(count * 0.30)
    n_txt = count - n_broken - n_pdf - n_docx
    if n_txt < 0:  # tiny counts
        n_docx += n_txt
        n_txt = 0
    kinds = [BROKEN_KINDS[i % len(BROKEN_KINDS)] for i in range(n_broken)] + ["pdf"] * n_pdf + ["docx"] * n_docx + ["txt"] * n_txt
    rng.shuffle(kinds)
    return kinds


def _name(rng: random.Random, i: int, ext: str, who: int | None = None) -> str:
    _, _, pretty, plain = ISSUERS[rng.randrange(len(ISSUERS)) if who is None else who]
    roll = rng.random()
    if roll < 0.25:  # what people name files: diacritics and spaces
        return f"{i:03d} Báo cáo TTHC {pretty}.{ext}"
    return f"{i:03d}-bc-{plain}.{ext}"


def make_corpus(out_dir: Path, count: int, seed: int) -> dict:
    """Write `count` reports into out_dir (created if needed) and return the manifest
    {file name: {"format", "broken", "planted", ...}}, also written as out_dir/manifest.json.

    "format" is what the file really is (its extension); an entry meant to be a PDF but written as
    .txt (no fpdf2 or no font with Vietnamese glyphs) has "wanted": "pdf" and a "note" saying why."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    font = find_font()
    have_fpdf = _have("fpdf")
    have_docx = _have("docx")
    pdf_note = None if (font and have_fpdf) else (
        "fpdf2 is not installed" if not have_fpdf else "no TTF font with Vietnamese glyphs found in: " + ", ".join(FONT_CANDIDATES))
    manifest: dict[str, dict] = {}
    for i, kind in enumerate(_plan(rng, count), 1):
        r = random.Random(rng.getrandbits(64))  # one stream per file: reproducible whatever else changes
        if kind in BROKEN_KINDS:
            entry, name, data = _broken(r, i, kind, have_docx)
        else:
            planted = r.random() < 0.35
            text, info = _text(r, planted)
            ext = kind
            entry = {"format": kind, "broken": False, "planted": planted, **info}
            if kind == "pdf" and pdf_note:
                ext, entry["format"], entry["wanted"], entry["note"] = "txt", "txt", "pdf", pdf_note + "; written as .txt"
            if kind == "docx" and not have_docx:
                ext, entry["format"], entry["wanted"], entry["note"] = "txt", "txt", "docx", "python-docx is not installed; written as .txt"
            name = _name(r, i, ext, info["issuer"])
            entry["issuer"] = ISSUERS[info["issuer"]][0]
            if ext == "txt":
                data, how = _encode_txt(r, text)
                entry.update(how)
            elif ext == "docx":
                entry["word_tables"] = r.random() < 0.8
                data = _docx_bytes(r, text, entry["word_tables"])
            else:
                data = _pdf_bytes(text, font)
                entry["font"] = Path(font).name
        (out_dir / name).write_bytes(data)
        manifest[name] = entry
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                           encoding="utf-8")
    return manifest


def _broken(r: random.Random, i: int, kind: str, have_docx: bool) -> tuple[dict, str, bytes]:
    ext = kind.rsplit("-", 1)[1]
    entry = {"format": ext, "broken": True, "planted": False, "damage": kind}
    if kind == "empty-txt":
        data = b""
    elif kind == "binary-txt":
        data = bytes(r.randrange(256) for _ in range(r.randint(512, 4096))) + b"\x00\x00"
    elif kind == "truncated-docx":
        if have_docx:
            whole = _docx_bytes(r, _text(r, False)[0], True)
            data = whole[: int(len(whole) * r.uniform(0.3, 0.7))]
        else:  # a zip signature and then nothing: what a cut download looks like
            data = b"PK\x03\x04" + bytes(r.randrange(256) for _ in range(300))
    elif kind == "image-only-pdf":
        data = _image_only_pdf(r)
    else:  # zero-byte-pdf
        data = b""
    return entry, _name(r, i, ext), data  # named like the others: nothing in the name says "broken"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.perf_counter()
    manifest = make_corpus(a.out_dir, a.count, a.seed)
    took = time.perf_counter() - t0
    by = {}
    for e in manifest.values():
        key = (e["format"], "broken" if e["broken"] else "planted" if e["planted"] else "consistent")
        by[key] = by.get(key, 0) + 1
    print(f"{len(manifest)} files in {a.out_dir} in {took:.1f} s")
    for (f, state), n in sorted(by.items()):
        print(f"  {f:5} {state:10} {n}")
    notes = {e["note"] for e in manifest.values() if "note" in e}
    for n in sorted(notes):
        print(f"  note: {n}")


if __name__ == "__main__":
    main()
