"""Report files to text: plain text, Word (.docx) and PDF with a text layer.

Word paragraphs become lines as a reader sees them printed (list numbering and bullets written
out, tracked changes accepted, content controls and text boxes read), Word tables become
tab-separated rows, the form the structure grammar already reads, and the letterhead table becomes
the header lines a typed report has; PDF pages are read with their layout so that table columns
stay apart. Each line remembers where it came from ("đoạn 12", "bảng 2, hàng 5", "trang 3") so that
a finding can be found again in the original document, not only in the extracted text. What a
Word file holds that is not read (pictures, charts, embedded objects) is named in Source.notes.

Other office formats (.doc, .xls, .xlsx, .odt, .ods, .rtf, PowerPoint) are recognised by their
bytes and refused with a message that names the format and says what to save it as.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .decode import decode
from ..errors import InputError
from ..findings import fmt

WORD_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".md")
REPORT_SUFFIXES = TEXT_SUFFIXES + WORD_SUFFIXES + PDF_SUFFIXES
# formats a clerk may hand in that are recognised and refused with a reason, never skipped
REFUSED_SUFFIXES = (".doc", ".dot", ".xls", ".xlsx", ".xlsm", ".odt", ".ods", ".odp", ".rtf", ".ppt", ".pptx")

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
    # what the document holds that was not read (pictures, charts, embedded objects, footnotes),
    # each with the places it sits at: Note.message(lang) is one sentence for the user
    notes: tuple[Note, ...] = ()


def read_source(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Text of a report file, whatever its format; InputError with a plain reason when it cannot be
    read, or when a Word or PDF file unpacks to more than unpack_limit(`max_bytes`)."""
    lower = path.lower()
    other = _other_format(lower, data)
    if other is not None:
        raise _refused(other)
    if data.startswith(b"%PDF") or lower.endswith(PDF_SUFFIXES):
        return _pdf(data, max_bytes)
    if data.startswith(b"PK\x03\x04") or lower.endswith(WORD_SUFFIXES):
        return _docx(data, max_bytes, lower)
    decoded = decode(data)
    from .legacy import sniff_bytes, sniff_text

    # a file that is not UTF-8 is judged on its bytes: decoding it as Windows-1258 recomposes marks
    found = sniff_bytes(data) if decoded.encoding == "windows-1258" else sniff_text(decoded.text)
    if found is None:
        return Source(decoded.text, decoded.encoding)
    if found.text is None:
        raise InputError("IO008", legacy_message(found.scheme))
    return Source(found.text, f"{decoded.encoding}, {found.scheme}→Unicode")


# --- formats that are not read ----------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97-2003


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


# what a compound file holds tells its kind: the stream names of its directory, stored in UTF-16
_OLE2_STREAMS = (("encrypted", _utf16("EncryptedPackage")), ("doc", _utf16("WordDocument")),
                 ("xls", _utf16("Workbook")), ("xls", _utf16("Book") + b"\0\0"),
                 ("ppt", _utf16("PowerPoint Document")))
_BY_SUFFIX = {".doc": "doc", ".dot": "doc", ".xls": "xls", ".xlsx": "xlsx", ".xlsm": "xlsx", ".odt": "odt",
              ".ods": "ods", ".odp": "odp", ".rtf": "rtf", ".ppt": "ppt", ".pptx": "pptx"}

_AS_DOCX = "hãy mở bằng Word, lưu lại dạng .docx (Tệp → Lưu thành → Word Document) hoặc .pdf, .txt rồi kiểm tra lại"
_AS_ODT = ("hãy mở bằng LibreOffice, lưu lại dạng .docx (Tệp → Lưu thành → Word 2007-365) hoặc .pdf, .txt "
           "rồi kiểm tra lại")
_SHEET = ("chương trình chỉ đọc báo cáo .docx, .pdf, .txt: hãy chép bảng phụ lục vào báo cáo Word (dán thành bảng) "
          "hoặc xuất bảng tính ra .pdf rồi kiểm tra lại")
_SLIDES = "hãy gửi báo cáo dạng .docx, .pdf hoặc .txt"
_FORMATS = {  # the format in the clerk's words, then what to do
    "doc": ("tệp Word 97-2003 (.doc) chưa đọc được", _AS_DOCX),
    "rtf": ("tệp RTF (.rtf) chưa đọc được", _AS_DOCX),
    "ole": ("tệp Office đời cũ (97-2003) chưa đọc được", _AS_DOCX),
    "odt": ("văn bản OpenDocument (.odt, LibreOffice) chưa đọc được", _AS_ODT),
    "odf": ("tệp OpenDocument (LibreOffice) chưa đọc được", _AS_ODT),
    "xls": ("bảng tính Excel 97-2003 (.xls) không đọc được", _SHEET),
    "xlsx": ("bảng tính Excel (.xlsx) không đọc được", _SHEET),
    "ods": ("bảng tính OpenDocument (.ods, LibreOffice) không đọc được", _SHEET),
    "ppt": ("bản trình chiếu PowerPoint 97-2003 (.ppt) không đọc được", _SLIDES),
    "pptx": ("bản trình chiếu PowerPoint (.pptx) không đọc được", _SLIDES),
    "odp": ("bản trình chiếu OpenDocument (.odp) không đọc được", _SLIDES),
    "zip": ("tệp nén (.zip)", "hãy giải nén rồi kiểm tra từng báo cáo bên trong (.docx, .pdf, .txt)"),
}


def _refused(kind: str) -> InputError:
    """The one-line refusal of a format that is not read: what it is, and what to do."""
    if kind == "encrypted":
        return InputError("IO009", "tệp Office có mật khẩu: hãy mở bằng Word, gỡ mật khẩu (Tệp → Thông tin → "
                                   "Bảo vệ tài liệu), lưu lại dạng .docx rồi kiểm tra lại")
    what, how = _FORMATS[kind]
    return InputError("IO011", f"{what}: {how}")


def _other_format(lower: str, data: bytes) -> str | None:
    """The kind of an office file that is not read, told by its bytes (or, for bytes that are not a
    package or a PDF, by its name): None when it is text, Word (.docx) or PDF."""
    named = _BY_SUFFIX.get(lower[lower.rfind("."):]) if "." in lower else None
    if data.startswith(_OLE2):
        # a workbook may hold an embedded Word document, and so its stream name: the file's own
        # name decides between the kinds found
        found = [kind for kind, stream in _OLE2_STREAMS if stream in data]
        if "encrypted" in found or not found:
            return found[0] if found else named or "ole"
        return named if named in found else found[0]
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if data.startswith((b"PK\x03\x04", b"%PDF")):
        return None  # a package is told by its contents (a .docx renamed .doc is read)
    return named


def _other_package(package, names: set[str], lower: str) -> str | None:
    """The kind of a zip package that is not a Word document: Excel, PowerPoint, OpenDocument, or a
    plain archive; None for Word (or for a damaged package, which python-docx then reports)."""
    if "word/document.xml" in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names:
        mimetype = package.read("mimetype")[:80]
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            kind = mimetype[len(b"application/vnd.oasis.opendocument."):].split(b"-")[0]
            return {b"text": "odt", b"spreadsheet": "ods", b"presentation": "odp"}.get(kind, "odf")
    if "[Content_Types].xml" not in names and not lower.endswith(WORD_SUFFIXES):
        return "zip"
    return None


# --- Word ------------------------------------------------------------------------------------

def _too_unpacked(kind: str, unpacked: int, max_bytes: int) -> InputError:
    return InputError("IO005", f"tệp {kind} giải nén ra hơn {fmt(unpacked, 'vi')} byte, quá giới hạn "
                               f"{fmt(unpack_limit(max_bytes), 'vi')} byte cho tệp nén ({UNPACK_ALLOWANCE_TEXT}; "
                               "dùng --max-bytes để nâng)")


def _docx(data: bytes, max_bytes: int, lower: str = "") -> Source:
    if not data.strip():
        raise InputError("IO002", "tệp Word rỗng")
    import zipfile

    try:
        # the sizes a package declares bound what reading it unpacks: the zip reader stops there
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            unpacked = sum(member.file_size for member in members)
            names = {member.filename for member in members}
            other = _other_package(package, names, lower)
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a damaged directory
        named = _BY_SUFFIX.get(lower[lower.rfind("."):]) if "." in lower else None
        if named is not None:  # a damaged .xlsx is still not a report to read
            raise _refused(named) from None
        raise InputError("IO007", f"tệp Word (.docx) hỏng hoặc không đúng định dạng: {_reason(exc)}") from None
    if other is not None:
        raise _refused(other)
    if unpacked > unpack_limit(max_bytes):
        raise _too_unpacked("Word", unpacked, max_bytes)
    try:
        import docx
        document = docx.Document(io.BytesIO(data))
        reader = _WordReader(document)
        reader.read()
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed packages
        raise InputError("IO007", f"tệp Word (.docx) hỏng hoặc không đúng định dạng: {_reason(exc)}") from None
    text = unicodedata.normalize("NFC", "\n".join(reader.lines))
    if not text.strip():
        if reader.unread:
            raise InputError("IO006", "tệp Word không có chữ đọc được, chỉ có " + reader.notes()[0].message("vi"))
        raise InputError("IO002", "tệp Word không có chữ")
    return _legacy_checked(Source(text, "docx", Places(reader.places), tuple(reader.notes())))


# Word's markup, read with lxml directly: python-docx's paragraph text leaves out tracked
# insertions, content controls, fields and text boxes, and knows nothing of list numbering.
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _split_tag(el) -> tuple[str, str]:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _val(el, name: str = "val") -> str | None:
    return None if el is None else el.get(_w(name))


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _on(el) -> bool:
    """A Word on/off property: present and not switched off."""
    return el is not None and _val(el) not in ("0", "false", "off")


def _choice(alternate):
    """The content of mc:AlternateContent: its first choice (the fallback repeats it in older markup)."""
    for child in alternate:
        if _split_tag(child) in ((_MC, "Choice"), (_MC, "Fallback")):
            return child
    return None


# Separate markers a reader sees before a list item; what the structure grammar reads as bullets.
_DASHES = {"-": "-", "+": "+", "–": "-", "—": "-", "−": "-", "‐": "-"}


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: restart after an item of this 1-based level (0: never)
    legal: bool = False  # isLgl: every level shown in Arabic digits
    style: str | None = None  # a paragraph style linked to this level


def _level(el) -> _Level:
    level = _Level()
    level.start = _int(_val(el.find(_w("start"))), 1)
    level.fmt = _val(el.find(_w("numFmt"))) or "decimal"
    level.text = _val(el.find(_w("lvlText"))) or ""
    level.restart = _int(_val(el.find(_w("lvlRestart"))))
    level.legal = _on(el.find(_w("isLgl")))
    level.style = _val(el.find(_w("pStyle")))
    return level


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _counter(n: int, fmt: str) -> str:
    """A list counter as Word prints it in the given number format."""
    if fmt == "none":
        return ""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(n)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26 * 10:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # … y, z, aa, bb: Word repeats the letter
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero" and 0 <= n < 10:
        return f"0{n}"
    return str(n)  # decimal, and the formats of other scripts: digits are what the reader needs


class _Numbering:
    """Word's list numbering: numbering.xml's definitions, the styles that carry numbering, and the
    running counters. Counters belong to the abstract definition, so two numIds of one list share
    them; a numId with a startOverride restarts its levels where it is first used (ECMA-376 §17.9)."""

    def __init__(self, document):
        self.styles: dict[str, tuple[str | None, str | None, str | None, str]] = {}  # id → basedOn, numId, ilvl, name
        self.default_style: str | None = None
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, tuple[str | None, str | None]] = {}  # abstract → numStyleLink, styleLink
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.pending: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        self._resolved: dict[str, str | None] = {}
        styles = _related_element(document.part, "/styles")
        for style in styles.iter(_w("style")) if styles is not None else ():
            sid = style.get(_w("styleId"))
            if not sid:
                continue
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            self.styles[sid] = (_val(style.find(_w("basedOn"))),
                                _val(num_pr.find(_w("numId"))) if num_pr is not None else None,
                                _val(num_pr.find(_w("ilvl"))) if num_pr is not None else None,
                                _val(style.find(_w("name"))) or "")
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                self.default_style = sid
        numbering = _related_element(document.part, "/numbering")
        if numbering is None:
            return
        for abstract in numbering.iter(_w("abstractNum")):
            aid = abstract.get(_w("abstractNumId"))
            self.abstracts[aid] = {_int(lvl.get(_w("ilvl")), 0): _level(lvl) for lvl in abstract.findall(_w("lvl"))}
            self.links[aid] = (_val(abstract.find(_w("numStyleLink"))), _val(abstract.find(_w("styleLink"))))
        for num in numbering.iter(_w("num")):
            overrides = {}
            for override in num.findall(_w("lvlOverride")):
                lvl = override.find(_w("lvl"))
                overrides[_int(override.get(_w("ilvl")), 0)] = (_int(_val(override.find(_w("startOverride")))),
                                                               _level(lvl) if lvl is not None else None)
            self.nums[num.get(_w("numId"))] = (_val(num.find(_w("abstractNumId"))), overrides)

    def _abstract(self, num_id: str) -> str | None:
        """The abstract definition a numId counts in, through a numbering style's link."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        self._resolved[num_id] = None  # a link loop ends here
        aid = self.nums[num_id][0] if num_id in self.nums else None
        link = self.links.get(aid, (None, None))[0] if aid is not None else None
        if link:
            linked = self.styles.get(link, (None, None, None, ""))[1]
            aid = self._abstract(linked) if linked in self.nums else None
        self._resolved[num_id] = aid if aid in self.abstracts else None
        return self._resolved[num_id]

    def _style_numbering(self, style: str | None) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        seen = set()
        while style and style not in seen and style in self.styles:
            seen.add(style)
            based, s_num, s_lvl, _ = self.styles[style]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = based
        return num_id, ilvl

    def marker(self, ppr) -> str | None:
        """The marker Word prints before this paragraph ("1.", "a)", "I.", "- ", "  + "), counting it."""
        style = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        style = style or self.default_style
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id = _val(num_pr.find(_w("numId"))) if num_pr is not None else None
        ilvl = _val(num_pr.find(_w("ilvl"))) if num_pr is not None else None
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numbering(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None  # numId 0 switches off the numbering a style would give
        aid = self._abstract(num_id)
        if aid is None:
            return None
        levels = self.abstracts[aid]
        overrides = self.nums[num_id][1]
        level_no = _int(ilvl)
        if level_no is None:  # a level linked to the paragraph's style, else the first
            level_no = next((n for n, lv in levels.items() if lv.style and lv.style == style), 0)
        level_no = max(0, min(level_no, 8))

        def definition(n: int) -> _Level:
            if n in overrides and overrides[n][1] is not None:
                return overrides[n][1]
            return levels.get(n, _Level())

        counts = self.counters.setdefault(aid, [None] * 9)
        pending = self.pending.setdefault(aid, {})
        if num_id not in self.used:
            self.used.add(num_id)
            pending.update({n: start for n, (start, _) in overrides.items() if start is not None})
        level = definition(level_no)
        if level_no in pending:
            value = pending.pop(level_no)
        elif counts[level_no] is None:
            value = level.start
        else:
            value = counts[level_no] + 1
        counts[level_no] = value
        for deeper in range(level_no + 1, 9):
            restart = definition(deeper).restart
            if restart is None or (restart != 0 and level_no < restart):
                counts[deeper] = None
        if level.fmt == "bullet" or ("%" not in level.text and len(level.text.strip()) == 1
                                     and not level.text.strip().isalnum()):
            glyph = level.text.strip()
            if not glyph:
                return None
            depth = level_no
            name = self.styles.get(style or "", (None, None, None, ""))[3]
            builtin = re.fullmatch(r"List Bullet ([2-5])", name)
            if depth == 0 and builtin:  # Word's built-in deeper bullet styles are single-level lists
                depth = int(builtin.group(1)) - 1
            return "  " * depth + _DASHES.get(glyph, "-" if depth == 0 else "+")

        def placeholder(m: re.Match) -> str:
            n = int(m.group(1)) - 1
            value_n = counts[n] if counts[n] is not None else definition(n).start
            return _counter(value_n, "decimal" if level.legal else definition(n).fmt)

        text = re.sub(r"%([1-9])", placeholder, level.text).strip()
        return text or None


def _related_element(part, reltype_end: str):
    """The XML of the document's styles or numbering part, if it has one (python-docx's own
    accessors would make an empty one)."""
    for rel in part.rels.values():
        if not rel.is_external and rel.reltype.endswith(reltype_end):
            return getattr(rel.target_part, "element", None)
    return None


# Things in a Word file whose text is not read: named in a note, never lost without a word.
_UNREAD = {
    "image": ("hình ảnh", "image", "chữ và số trong hình không được đọc, không được kiểm tra",
              "text and figures inside images are not read or checked"),
    "chart": ("biểu đồ", "chart", "số liệu của biểu đồ không được đọc, không được kiểm tra",
              "chart data is not read or checked"),
    "smartart": ("sơ đồ SmartArt", "SmartArt diagram", "chữ trong sơ đồ không được đọc",
                 "text inside diagrams is not read"),
    "object": ("đối tượng nhúng (ví dụ bảng Excel dán kiểu đối tượng)", "embedded object (e.g. a pasted Excel sheet)",
               "nội dung không được đọc, không được kiểm tra; hãy dán bảng thành bảng Word",
               "its content is not read or checked; paste the table as a Word table"),
    "note": ("chú thích cuối trang", "footnote or endnote", "nội dung chú thích không được kiểm tra",
             "footnote text is not checked"),
    "header": ("đầu trang/chân trang có chữ", "page header or footer with text", "phần này không được kiểm tra",
               "it is not checked"),
}


@dataclass(frozen=True)
class Note:
    """Something in the document that was not read, and where: for the caller to show beside the findings."""
    kind: str  # image | chart | smartart | object | note | header
    places: tuple[Place, ...] = ()
    count: int = 1

    def message(self, lang: str = "vi") -> str:
        what_vi, what_en, why_vi, why_en = _UNREAD[self.kind]
        shown = ", ".join(p.label(lang) for p in self.places[:6]) + (", …" if len(self.places) > 6 else "")
        where = f" ({shown})" if shown else ""
        if lang == "vi":
            return f"{'' if self.kind == 'header' else f'{self.count} '}{what_vi}{where}: {why_vi}"
        times = f" × {self.count}" if self.count > 1 and self.kind != "header" else ""
        return f"{what_en[0].upper()}{what_en[1:]}{times}{where}: {why_en}"


# The national motto, a document number and a dated place line: what tells a letterhead table
_MOTTO = re.compile(r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|doc\s*lap\W{0,4}tu\s*do\W{0,4}hanh\s*phuc")
_NUMBER = re.compile(r"(?:^|\s)so\s*:")
_DATED = re.compile(r"ngay\s*\S{0,3}\s*thang\s*\S{0,3}\s*nam")
# a paragraph this long, or this many paragraphs with text, is the body: a letterhead comes before it
_BODY_PARAGRAPH = 80
_HEAD_PARAGRAPHS = 6


class _WordReader:
    """Lines of a Word document as a reader would see them printed, with their places."""

    def __init__(self, document):
        self.document = document
        self.numbering = _Numbering(document)
        self.lines: list[str] = []
        self.places: list[Place] = []
        self.unread: dict[str, list[Place]] = {}
        self.paragraph = self.table = 0
        self.place = Place("paragraph", 0)
        self.carried = ""  # text of paragraphs whose mark was deleted: it runs on into the next one
        self.body_started = False
        self.head_paragraphs = 0

    # -- blocks ------------------------------------------------------------------------------
    def read(self) -> None:
        for kind, el in self._blocks(self.document.element.body):
            if kind == "p":
                self._body_paragraph(el)
            else:
                self._table(el)
        self._flush_carried()
        self._headers()

    def _blocks(self, container):
        """Paragraphs and tables in reading order, through content controls, custom XML and tracked
        changes (inserted and moved-here content kept, deleted and moved-away content dropped)."""
        for child in container:
            ns, name = _split_tag(child)
            if ns == _W:
                if name in ("p", "tbl"):
                    yield name, child
                elif name == "sdt":
                    content = child.find(_w("sdtContent"))
                    if content is not None:
                        yield from self._blocks(content)
                elif name in ("customXml", "ins", "moveTo", "smartTag"):
                    yield from self._blocks(child)
            elif ns == _MC and name == "AlternateContent":
                chosen = _choice(child)
                if chosen is not None:
                    yield from self._blocks(chosen)

    def _emit(self, text: str, place: Place) -> None:
        for part in text.split("\n"):
            self.lines.append(part)
            self.places.append(place)

    def _flush_carried(self) -> None:
        if self.carried:
            self._emit(self.carried, self.place)
            self.carried = ""

    def _body_paragraph(self, p) -> None:
        self.paragraph += 1
        self.place = Place("paragraph", self.paragraph)
        text, boxes, deleted_mark = self._paragraph(p)
        if deleted_mark:
            self.paragraph -= 1  # joined to the next paragraph: it is not a paragraph of its own when printed
            self.carried += text
            self._boxes(boxes)
            return
        self._emit(text, self.place)
        self._boxes(boxes)
        if text.strip():
            self.head_paragraphs += 1
            if len(text.strip()) >= _BODY_PARAGRAPH or self.head_paragraphs >= _HEAD_PARAGRAPHS:
                self.body_started = True

    def _paragraph(self, p) -> tuple[str, list, bool]:
        """A paragraph's printed text with its list marker, the text boxes anchored in it, and
        whether its paragraph mark was deleted (its text then joins the next paragraph)."""
        out: list[str] = []
        boxes: list = []
        self._inline(p, out, boxes)
        ppr = p.find(_w("pPr"))
        mark = ppr.find(_w("rPr")) if ppr is not None else None
        deleted_mark = mark is not None and (mark.find(_w("del")) is not None or mark.find(_w("moveFrom")) is not None)
        text = "".join(out)
        if deleted_mark:
            return text, boxes, True
        text, self.carried = self.carried + text, ""
        marker = self.numbering.marker(ppr)
        if marker:
            text = f"{marker} {text.lstrip(' ')}" if text.strip() else marker
        return text, boxes, False

    def _boxes(self, boxes: list) -> None:
        """Text boxes anchored in a paragraph: their lines follow it, at its place."""
        for box in boxes:
            for line in self._lines_of(box):
                self._emit(line, self.place)

    def _lines_of(self, container) -> list[str]:
        """The lines of a text box or a table cell: paragraphs, and nested tables as rows."""
        lines: list[str] = []
        saved, self.carried = self.carried, ""  # a body paragraph's text running on is not the box's
        for kind, el in self._blocks(container):
            if kind == "p":
                text, boxes, deleted_mark = self._paragraph(el)
                if deleted_mark:
                    self.carried += text
                    continue
                lines.extend(text.split("\n"))
                for box in boxes:
                    lines.extend(self._lines_of(box))
            else:
                for cells in self._grid(el):
                    lines.append(" ".join(" ".join(self._lines_of(tc)).split() for tc in cells if tc is not None))
        if self.carried:
            lines.append(self.carried)
        self.carried = saved
        return lines

    # -- inline content ----------------------------------------------------------------------
    def _inline(self, el, out: list[str], boxes: list) -> None:
        for child in el:
            ns, name = _split_tag(child)
            if ns == _W:
                if name == "r":
                    self._run(child, out, boxes)
                elif name in ("hyperlink", "smartTag", "customXml", "fldSimple", "ins", "moveTo", "dir", "bdo"):
                    self._inline(child, out, boxes)
                elif name == "sdt":
                    content = child.find(_w("sdtContent"))
                    if content is not None:
                        self._inline(content, out, boxes)
                # del, moveFrom: not printed; pPr, bookmarks, proofing marks, comments: not text
            elif ns == _MC and name == "AlternateContent":
                chosen = _choice(child)
                if chosen is not None:
                    self._inline(chosen, out, boxes)
            elif ns == _MATH:  # an equation: its letters and digits in order
                out.append("".join(t.text or "" for t in child.iter(f"{{{_MATH}}}t")))

    def _run(self, r, out: list[str], boxes: list) -> None:
        rpr = r.find(_w("rPr"))
        if rpr is not None and _on(rpr.find(_w("vanish"))):
            return  # hidden text is not printed
        for child in r:
            ns, name = _split_tag(child)
            if ns == _W:
                if name == "t":
                    out.append(child.text or "")
                elif name in ("tab", "ptab"):
                    out.append("\t")
                elif name == "br":
                    if child.get(_w("type")) in (None, "textWrapping"):
                        out.append("\n")
                elif name == "cr":
                    out.append("\n")
                elif name == "noBreakHyphen":
                    out.append("-")
                elif name in ("drawing", "pict", "object"):
                    self._graphic(child, boxes)
                elif name in ("footnoteReference", "endnoteReference"):
                    self._unread("note")
                # delText, instrText (field codes), fldChar, sym, softHyphen, rPr: not printed text
            elif ns == _MC and name == "AlternateContent":
                chosen = _choice(child)
                if chosen is not None:
                    self._run(chosen, out, boxes)

    def _graphic(self, el, boxes: list) -> None:
        """A drawing, VML picture or embedded object: its text boxes are read; a picture, chart,
        diagram or embedded object is noted as not read. Plain shapes (lines, frames) are decoration."""
        noted = set()
        for d in el.iter():
            ns, name = _split_tag(d)
            if d is el or _inside_box(d, el):
                continue  # read with its text box, which notes it in turn
            if name == "txbxContent" and ns == _W:
                boxes.append(d)
            elif name == "OLEObject":
                noted.add("object")
            elif name == "pic" and ns.endswith("/picture") or name == "imagedata":
                noted.add("image")
            elif name == "chart" and ns.endswith("/chart"):
                noted.add("chart")
            elif name == "relIds" and ns.endswith("/diagram"):
                noted.add("smartart")
        if "object" in noted:
            noted.discard("image")  # the object's preview picture
        for kind in sorted(noted):
            self._unread(kind)

    def _unread(self, kind: str) -> None:
        self.unread.setdefault(kind, []).append(self.place)

    # -- tables ------------------------------------------------------------------------------
    def _grid(self, tbl) -> list[list]:
        """A table's cells row by row, one entry per grid column: a cell spanning columns or
        continuing a vertical merge gives None where it repeats, so its text appears once."""
        rows = []
        for tr in self._children(tbl, "tr"):
            trpr = tr.find(_w("trPr"))
            if trpr is not None and trpr.find(_w("del")) is not None:
                continue  # a deleted row
            before = _int(_val(trpr.find(_w("gridBefore"))), 0) if trpr is not None else 0
            cells: list = [None] * max(0, min(before or 0, 64))
            for tc in self._children(tr, "tc"):
                tcpr = tc.find(_w("tcPr"))
                span = _int(_val(tcpr.find(_w("gridSpan"))), 1) if tcpr is not None else 1
                merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                continued = merge is not None and _val(merge) in (None, "continue")
                cells.append(None if continued else tc)
                cells.extend([None] * (max(1, min(span or 1, 64)) - 1))
            rows.append(cells)
        return rows

    def _children(self, el, name: str):
        for child in el:
            ns, tag = _split_tag(child)
            if ns != _W:
                continue
            if tag == name:
                yield child
            elif tag == "sdt":
                content = child.find(_w("sdtContent"))
                if content is not None:
                    yield from self._children(content, name)
            elif tag in ("customXml", "ins", "moveTo"):
                yield from self._children(child, name)

    def _table(self, tbl) -> None:
        self._flush_carried()
        self.table += 1
        grid = self._grid(tbl)
        texts = []
        for row_no, cells in enumerate(grid, 1):
            self.place = Place("row", row_no, self.table)
            texts.append([self._lines_of(tc) if tc is not None else [] for tc in cells])
        if not self.body_started and _is_letterhead(texts):
            self._letterhead(texts)
            return
        self.body_started = True
        for row_no, cells in enumerate(texts, 1):
            self._emit("\t".join(" ".join(" ".join(lines).split()) for lines in cells), Place("row", row_no, self.table))

    def _letterhead(self, texts: list[list[list[str]]]) -> None:
        """The letterhead table as the header lines a typed report has: the left column (issuer,
        number) first, then the right (motto, place and date), a blank line between cells."""
        width = max((len(cells) for cells in texts), default=0)
        first = True
        for col in range(width):
            for row_no, cells in enumerate(texts, 1):
                lines = [" ".join(line.split()) for line in (cells[col] if col < len(cells) else [])]
                lines = [line for line in lines if line]
                if not lines:
                    continue
                place = Place("row", row_no, self.table)
                if not first:
                    self._emit("", place)
                first = False
                for line in lines:
                    self._emit(line, place)
        if not first:
            self._emit("", self.places[-1])

    # -- page headers and footers --------------------------------------------------------------
    def _headers(self) -> None:
        """Text in page headers and footers is not read; say so when there is more than a page number."""
        for rel in self.document.part.rels.values():
            if rel.is_external or not rel.reltype.endswith(("/header", "/footer")):
                continue
            element = getattr(rel.target_part, "element", None)
            if element is None:
                continue
            text = " ".join(t.text or "" for t in element.iter(_w("t")) if not _deleted(t))
            words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w.lower() not in ("trang", "page", "of", "tổng", "số")]
            if words:
                self.unread.setdefault("header", []).append(None)
                return

    def notes(self) -> list[Note]:
        out = []
        for kind in _UNREAD:
            places = self.unread.get(kind)
            if not places:
                continue
            distinct = tuple(dict.fromkeys(p for p in places if p is not None and p.number))
            out.append(Note(kind, distinct, len(places)))
        return out


def _inside_box(node, root) -> bool:
    """Whether `node` sits inside a text box within `root` (not counting `node` itself)."""
    for a in node.iterancestors():
        if a is root:
            return False
        if _split_tag(a) == (_W, "txbxContent"):
            return True
    return False


def _deleted(node) -> bool:
    return any(_split_tag(a) in ((_W, "del"), (_W, "moveFrom")) for a in node.iterancestors())


def _is_letterhead(texts: list[list[list[str]]]) -> bool:
    """A small table of two or three columns holding the national motto, or a document number
    and a dated place line: the letterhead of an administrative document."""
    width = max((len(cells) for cells in texts), default=0)
    if not texts or len(texts) > 6 or not 2 <= width <= 4:
        return False
    from .normalize import fold

    folded = " ".join(fold(" ".join(line for lines in cells for line in lines)) for cells in texts)
    return bool(_MOTTO.search(folded) or (_NUMBER.search(folded) and _DATED.search(folded)))


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
    return Source(found.text, f"{source.encoding}, {found.scheme}→Unicode", source.places, source.notes)


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


__all__ = ["Note", "Place", "Places", "REFUSED_SUFFIXES", "REPORT_SUFFIXES", "Source", "place_of_line", "read_source"]
