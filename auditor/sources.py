"""Report files to text: plain text, Word (.docx) and PDF with a text layer.

Word paragraphs become lines and Word tables become tab-separated rows, the form the structure
grammar already reads; PDF pages are read with their layout so that table columns stay apart.
Each line remembers where it came from ("đoạn 12", "bảng 2, hàng 5", "trang 3") so that a
finding can be found again in the original document, not only in the extracted text.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .decode import decode
from .errors import InputError
from .findings import fmt

WORD_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".md")
REPORT_SUFFIXES = TEXT_SUFFIXES + WORD_SUFFIXES + PDF_SUFFIXES

DEFAULT_MAX_BYTES = 5_000_000
# Word and PDF files are compressed, so the size limit also bounds what they unpack to: a 400 KB
# Word file of repeated text once unpacked to 100 MB and took 107 s and 3.3 GB to read. Markup takes
# several bytes per byte of text, and even an empty document carries styles, a theme and fonts
# (python-docx's blank one unpacks to 0.8 MB): eight times the limit plus 8 MB leaves room for real
# documents.
UNPACK_FACTOR = 8
PACKAGE_ALLOWANCE = 8_000_000


def unpack_limit(max_bytes: int) -> int:
    return UNPACK_FACTOR * max_bytes + PACKAGE_ALLOWANCE


UNPACK_ALLOWANCE_TEXT = f"{UNPACK_FACTOR} lần --max-bytes, cộng {PACKAGE_ALLOWANCE // 1_000_000} MB"


@dataclass(frozen=True)
class Place:
    kind: str  # paragraph | row | page
    number: int
    table: int = 0

    def as_dict(self) -> dict[str, int]:
        if self.kind == "row":
            return {"table": self.table, "row": self.number}
        return {self.kind: self.number}

    def label(self, lang: str) -> str:
        if self.kind == "paragraph":
            return f"{'đoạn' if lang == 'vi' else 'paragraph'} {self.number}"
        if self.kind == "row":
            return (f"bảng {self.table}, hàng {self.number}" if lang == "vi" else f"table {self.table}, row {self.number}")
        return f"{'trang' if lang == 'vi' else 'page'} {self.number}"


class Places:
    """Where each line of the extracted text sits in the original document."""

    def __init__(self, line_places: list[Place]):
        self.line_places = line_places

    def at_line(self, line: int) -> Place | None:
        """The place of a 1-based line of the extracted text."""
        if 1 <= line <= len(self.line_places):
            return self.line_places[line - 1]
        return None


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str  # utf-8, utf-16, windows-1258, docx, pdf, or a converted legacy scheme
    places: Places | None = None


def read_source(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Text of a report file, whatever its format; InputError with a plain reason when it cannot be
    read, or when a Word or PDF file unpacks to more than unpack_limit(`max_bytes`)."""
    lower = path.lower()
    if data.startswith(b"%PDF") or lower.endswith(PDF_SUFFIXES):
        return _pdf(data, max_bytes)
    if data.startswith(b"PK\x03\x04") or lower.endswith(WORD_SUFFIXES):
        return _docx(data, max_bytes)
    decoded = decode(data)
    from .legacy import sniff_bytes, sniff_text

    # a file that is not UTF-8 is judged on its bytes: decoding it as Windows-1258 recomposes marks
    found = sniff_bytes(data) if decoded.encoding == "windows-1258" else sniff_text(decoded.text)
    if found is None:
        return Source(decoded.text, decoded.encoding)
    if found.text is None:
        raise InputError("IO008", legacy_message(found.scheme))
    return Source(found.text, f"{decoded.encoding}, {found.scheme}→Unicode")


# --- Word ------------------------------------------------------------------------------------

def _too_unpacked(kind: str, unpacked: int, max_bytes: int) -> InputError:
    return InputError("IO005", f"tệp {kind} giải nén ra hơn {fmt(unpacked, 'vi')} byte, quá giới hạn "
                               f"{fmt(unpack_limit(max_bytes), 'vi')} byte cho tệp nén ({UNPACK_ALLOWANCE_TEXT}; "
                               "dùng --max-bytes để nâng)")


def _docx(data: bytes, max_bytes: int) -> Source:
    if not data.strip():
        raise InputError("IO002", "tệp Word rỗng")
    import zipfile

    try:
        # the sizes a package declares bound what reading it unpacks: the zip reader stops there
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a damaged directory
        raise InputError("IO007", f"tệp Word (.docx) hỏng hoặc không đúng định dạng: {_reason(exc)}") from None
    if unpacked > unpack_limit(max_bytes):
        raise _too_unpacked("Word", unpacked, max_bytes)
    try:
        import docx
        from docx.table import Table
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        places: list[Place] = []
        paragraph = table_no = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                table_no += 1
                for row_no, cells in enumerate(_table_rows(block), 1):
                    lines.append("\t".join(cells))
                    places.append(Place("row", row_no, table_no))
            else:
                paragraph += 1
                for part in block.text.split("\n"):
                    lines.append(part)
                    places.append(Place("paragraph", paragraph))
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed packages
        raise InputError("IO007", f"tệp Word (.docx) hỏng hoặc không đúng định dạng: {_reason(exc)}") from None
    text = unicodedata.normalize("NFC", "\n".join(lines))
    if not text.strip():
        raise InputError("IO002", "tệp Word không có chữ")
    return _legacy_checked(Source(text, "docx", Places(places)))


def _table_rows(table) -> list[list[str]]:
    """Cell texts row by row; a merged cell's text appears once, in its first grid position, so a
    figure spanning rows or columns is never counted twice."""
    seen = set()
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            tc = cell._tc
            if tc in seen:
                cells.append("")
                continue
            seen.add(tc)
            cells.append(" ".join(cell.text.split()))
        rows.append(cells)
    return rows


# --- PDF -------------------------------------------------------------------------------------

# a line that starts a new item rather than continuing a wrapped sentence
_NEW_ITEM = re.compile(r"^\s*(?:[-+•*–]|\(?[0-9IVXivx]{1,4}[.)/](?:\s|$)|[a-zđ][.)]\s|[A-ZĐ][.]\s)")


def _pdf(data: bytes, max_bytes: int) -> Source:
    if not data.strip():
        raise InputError("IO002", "tệp PDF rỗng")
    try:
        import logging

        import pdfplumber
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # warnings about odd PDFs are not the clerk's business
        lines: list[str] = []
        places: list[Place] = []
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            unpacked = _pdf_unpacked(pdf.doc, unpack_limit(max_bytes))
            if unpacked > unpack_limit(max_bytes):
                raise _too_unpacked("PDF", unpacked, max_bytes)
            pages = len(pdf.pages)
            wrapped = False
            for number, page in enumerate(pdf.pages, 1):
                page_lines, ends_wrapped = _page_lines(page)
                if lines and page_lines:
                    # a sentence running over the page break continues; anything else starts a new block
                    if wrapped and lines[-1] and not _NEW_ITEM.match(page_lines[0]):
                        lines[-1] += " " + page_lines.pop(0)
                    elif lines[-1] and (lines[-1].rstrip().endswith((".", ":", ";")) or _NEW_ITEM.match(page_lines[0])):
                        # the page ended a sentence: a new block; otherwise the block runs on
                        lines.append("")
                        places.append(Place("page", number))
                lines.extend(page_lines)
                places.extend([Place("page", number)] * len(page_lines))
                wrapped = ends_wrapped
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged or locked files
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise InputError("IO009", "tệp PDF có mật khẩu: hãy mở khóa rồi kiểm tra lại") from None
        raise InputError("IO007", f"tệp PDF hỏng, không đọc được: {_reason(exc)}") from None
    text = unicodedata.normalize("NFC", "\n".join(lines))
    if sum(ch.isalnum() for ch in text) < 20:
        raise InputError("IO006", f"tệp PDF không có lớp chữ ({pages} trang, có lẽ là bản quét): "
                                  "cần nhận dạng chữ (OCR) trước khi kiểm tra")
    return _legacy_checked(Source(text, "pdf", Places(places)))


def _pdf_unpacked(doc, budget: int) -> int:
    """What the document's streams unpack to, counted before pdfminer unpacks any of them, and only
    up to just over `budget`. Images are left out: the text reader never unpacks them (a scan is
    large and legitimate). Object streams are counted before the objects inside them are read."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    total = 0
    seen: set[int] = set()

    def count(objid: int) -> None:
        nonlocal total
        if objid in seen or total > budget:
            return
        seen.add(objid)
        try:
            obj = doc.getobj(objid)
        except Exception:  # noqa: BLE001 - a broken object is pdfplumber's to report, or to skip
            return
        if not isinstance(obj, PDFStream) or getattr(obj.get("Subtype"), "name", None) == "Image":
            return
        raw = obj.rawdata if obj.rawdata is not None else obj.data or b""
        if obj.decipher and obj.rawdata is not None:
            raw = obj.decipher(obj.objid, obj.genno, raw, obj.attrs)
        filters = obj.get_filters()
        if filters and filters[0][0] in LITERALS_FLATE_DECODE:
            total += _inflated_size(raw, budget - total + 1)
        else:
            total += len(raw)

    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                strmid, _, _ = xref.get_pos(objid)
            except Exception:  # noqa: BLE001
                strmid = None
            if strmid is not None:
                count(strmid)  # the object stream holding it, before reading it unpacks the stream
            count(objid)
            if total > budget:
                return total
    return total


def _inflated_size(raw: bytes, limit: int) -> int:
    """Bytes a zlib stream inflates to, stopping once past `limit` (memory stays at one chunk)."""
    import zlib

    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while size <= limit:
            chunk = inflater.decompress(pending, 1 << 20)
            size += len(chunk)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
    except zlib.error:
        pass  # pdfminer reads what it can of a damaged stream: count what inflated
    return size


def _page_lines(page) -> tuple[list[str], bool]:
    """A page in reading order: ruled tables as tab-separated rows, other text as lines in which a
    wide gap (an unruled table's column) stays wide and a sentence wrapped at the margin is joined."""
    tables = page.find_tables()
    items: list[tuple[float, str, object]] = [(t.bbox[1], "table", t) for t in tables]
    outside = page
    for t in tables:
        outside = outside.outside_bbox(t.bbox)
    text_lines = outside.extract_text_lines(return_chars=True)
    right = max((ln["x1"] for ln in text_lines), default=0.0)
    left = min((ln["x0"] for ln in text_lines), default=0.0)
    items.extend((ln["top"], "line", ln) for ln in text_lines)
    pitches = sorted(b["top"] - a["top"] for a, b in zip(text_lines, text_lines[1:]) if b["top"] > a["top"])
    pitch = pitches[len(pitches) // 5] if pitches else 0.0  # the usual step within a paragraph
    items.sort(key=lambda it: (it[0], it[1]))
    out: list[str] = []
    wrapped = False  # the previous line ran to the right margin
    top = None  # of the previous text line
    for _, kind, item in items:
        if kind == "table":
            out.append("")
            for row in item.extract():
                out.append("\t".join(" ".join((cell or "").split()) for cell in row))
            out.append("")
            wrapped, top = False, None
            continue
        text = _spaced(item["chars"]).strip()
        # paragraph spacing shows as a wider step than the page's usual line pitch; the grammar
        # reads it as a blank line
        gap = top is not None and pitch > 0 and item["top"] - top > 1.4 * pitch
        if gap and out and out[-1]:
            out.append("")
        if wrapped and not gap and out and out[-1] and not _NEW_ITEM.match(text):
            out[-1] = out[-1] + " " + text
        else:
            out.append(text)
        wrapped = right - left > 0 and item["x1"] >= right - 0.06 * (right - left)
        top = item["top"]
    ends_wrapped = wrapped and bool(out) and bool(out[-1])
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return [line for i, line in enumerate(out) if line or (i and out[i - 1])], ends_wrapped


def _spaced(chars: list[dict]) -> str:
    """Characters to text: a small gap is a space, a gap wider than two letters is a column break."""
    parts: list[str] = []
    prev = None
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            size = prev.get("size") or 10.0
            if gap > 1.2 * size:
                parts.append("   ")
            elif gap > 0.15 * size and c["text"] != " " and prev["text"] != " ":
                parts.append(" ")
        parts.append(c["text"])
        prev = c
    return re.sub(r"(?<=\S) {4,}(?=\S)", "   ", "".join(parts))


# --- both ------------------------------------------------------------------------------------

def _legacy_checked(source: Source) -> Source:
    """Word and PDF text typed in a legacy Vietnamese font arrives as Latin look-alike letters."""
    from .legacy import sniff_text

    found = sniff_text(source.text)
    if found is None:
        return source
    if found.text is None:
        raise InputError("IO008", legacy_message(found.scheme))
    return Source(found.text, f"{source.encoding}, {found.scheme}→Unicode", source.places)


def legacy_message(scheme: str) -> str:
    return (f"văn bản gõ bằng bảng mã cũ {scheme} (phông .VnTime/VNI), không chuyển đổi chắc chắn được: "
            "hãy chuyển sang Unicode (ví dụ bằng Unikey, công cụ chuyển mã) rồi kiểm tra lại")


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def place_of_line(places: Places | None, line: int, lang: str) -> str | None:
    if places is None:
        return None
    place = places.at_line(line)
    return place.label(lang) if place else None


__all__ = ["Place", "Places", "REPORT_SUFFIXES", "Source", "place_of_line", "read_source"]
