"""`tthc-audit serve`: a web page on this machine for clerks who never open a terminal.

Drop or choose one or more reports, get the same self-contained HTML page `--format html` writes,
with links to download it and the JSON and CSV outputs. The server listens on 127.0.0.1 only.
Uploads are read into memory, audited and forgotten: nothing is written to disk, kept after the
response, or logged (no access log; the file names and contents never reach the terminal).

Starlette, uvicorn and python-multipart are imported when `serve` runs, not when the module is
imported, so that the plain command line does not pay for them at start-up.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import logging
import os
import re
import signal
import socket
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .arguments import fail as _fail, selection_of as _selection
from .check.catalog import Catalog, load_catalog
from .config import find_config, load_config
from .engine import Audit, Selection, audit_bytes
from .source.read import DEFAULT_MAX_BYTES, UNPACK_ALLOWANCE_TEXT
from .errors import ConfigError, InputError

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_FILES = 20
FIELD = "files"  # the one form field the page sends
ACCEPT = ".txt,.md,.docx,.pdf"
# a form carries, besides the files themselves, boundaries and part headers: allow this much on top
FORM_OVERHEAD = 1_000_000
MAX_NAME = 255


@dataclass(frozen=True)
class Settings:
    catalog: Catalog
    selection: Selection
    lang: str = "vi"  # the page's language when the address does not say ?lang=
    max_bytes: int = DEFAULT_MAX_BYTES
    max_files: int = DEFAULT_MAX_FILES

    @property
    def max_body(self) -> int:
        return self.max_files * self.max_bytes + FORM_OVERHEAD


# ---------------------------------------------------------------- the one call into the core

def audit_upload(name: str, data: bytes, settings: Settings, lang: str) -> Audit:
    """One uploaded report audited as the command line audits a file: a file that cannot be read
    becomes an Audit with its problem, worded as the CLI words it (see cli._run)."""
    try:
        return audit_bytes(name, data, settings.catalog, settings.selection, lang, settings.max_bytes)
    except InputError as exc:
        return Audit(name, None, [], [{"code": exc.code, "message": exc.message}])


def render_all(audits: list[Audit], lang: str) -> tuple[str, str, str]:
    """The HTML page, JSON and CSV of the CLI's --format html, json and csv-checks (one row per check:
    what a clerk with a few reports wants in a spreadsheet), for the same audits."""
    from .render.html import html_chunks
    from .render.json_out import json_chunks
    from .render.tabular import csv_check_chunks

    def seen(audit: Audit) -> None:
        pass
    return ("".join(html_chunks(audits, seen, lang)), "".join(json_chunks(audits, seen, None, lang)),
            "".join(csv_check_chunks(audits, seen, None, lang)))


# ---------------------------------------------------------------- words

_W = {
    "vi": {
        "title": "Kiểm tra số liệu báo cáo thủ tục hành chính",
        "lead": "Chọn hoặc kéo thả báo cáo vào khung dưới đây. Chương trình kiểm tra các phần có cộng đủ tổng không, "
                "tỷ lệ có khớp phân số không, văn bản và phụ lục có khớp nhau không, ngày tháng có hợp lệ không, "
                "rồi hiện toàn văn báo cáo với chỗ sai được tô màu và giải thích ngay bên dưới.",
        "drop": "Kéo thả báo cáo vào đây",
        "pick": "hoặc bấm vào khung để chọn tệp (.txt, .docx, .pdf); chọn được nhiều tệp một lúc",
        "submit": "Kiểm tra", "busy": "Đang kiểm tra…",
        "privacy": "Tệp chỉ được đọc trên máy này: không gửi đi đâu, không lưu lại sau khi trả kết quả.",
        "limits": "Mỗi lần tối đa {files} tệp, mỗi tệp không quá {size}.",
        "outputs": "Kết quả tải về được dạng HTML (một trang, mở bằng trình duyệt nào cũng được, gửi cho xã), "
                   "JSON và CSV (cho bảng tính và chương trình khác).",
        "other": "English", "other_lang": "en",
        "error_h": "Chưa kiểm tra được",
        "again": "Kiểm tra báo cáo khác", "download": "Tải về:", "dl_html": "Trang kết quả (HTML)",
        "dl_json": "JSON", "dl_csv": "CSV (bảng tính)", "toolbar": "Tải kết quả",
        "result_stem": "ket-qua-kiem-tra",
        # bad requests
        "no_file": "Chưa có tệp báo cáo nào. Hãy chọn hoặc kéo thả ít nhất một tệp (.txt, .docx, .pdf).",
        "empty_name": "Có một tệp không có tên. Hãy chọn lại tệp báo cáo.",
        "too_large": "Tệp “{name}” lớn hơn giới hạn {limit} cho mỗi tệp. Người chạy chương trình có thể "
                     "nâng giới hạn bằng: tthc-audit serve --max-bytes SỐ_BYTE",
        "too_many": "Mỗi lần chỉ kiểm tra được tối đa {n} tệp. Hãy chia các báo cáo thành nhiều lần gửi "
                    "(hoặc chạy: tthc-audit serve --max-files SỐ_TỆP).",
        "body_too_large": "Dữ liệu gửi lên quá lớn (hơn {limit}). Mỗi lần tối đa {n} tệp, mỗi tệp không "
                          "quá {size}.",
        "wrong_field": "Biểu mẫu gửi lên không đúng: trường “{field}” không phải trường tệp báo cáo "
                       "(trường đúng là “files”). Hãy dùng trang kiểm tra tại địa chỉ gốc.",
        "not_a_file": "Biểu mẫu gửi lên không đúng: trường “files” phải là một tệp, không phải chữ.",
        "path_in_name": "Tên tệp “{name}” có chứa đường dẫn thư mục. Chỉ gửi tên tệp, ví dụ: bao-cao.docx.",
        "bad_name": "Tên tệp “{name}” có ký tự điều khiển hoặc quá dài (tối đa {n} ký tự). Hãy đổi tên tệp rồi "
                    "gửi lại.",
        "not_multipart": "Yêu cầu gửi lên không phải biểu mẫu tải tệp (multipart/form-data). Hãy dùng trang "
                         "kiểm tra tại địa chỉ gốc.",
        "malformed": "Dữ liệu biểu mẫu gửi lên bị hỏng hoặc không đầy đủ. Hãy gửi lại.",
        "bad_lang": "Ngôn ngữ “{lang}” không có; dùng ?lang=vi (tiếng Việt) hoặc ?lang=en (tiếng Anh).",
        "bad_host": "Trang này chỉ mở được bằng địa chỉ http://127.0.0.1 hoặc http://localhost trên chính máy "
                    "đang chạy chương trình.",
        "bad_origin": "Yêu cầu đến từ một trang khác, không phải trang kiểm tra này, nên bị từ chối.",
        "not_found": "Không có trang này. Trang kiểm tra nằm ở địa chỉ gốc.",
        "bad_method": "Trang này không nhận kiểu yêu cầu đó. Hãy quay về trang kiểm tra.",
        "internal": "Có lỗi bên trong chương trình khi kiểm tra; không có tệp nào được lưu lại. Hãy thử lại, "
                    "hoặc kiểm tra bằng dòng lệnh: tthc-audit TỆP.",
    },
    "en": {
        "title": "Check the figures of administrative-procedure (TTHC) reports",
        "lead": "Choose or drop reports in the box below. The program checks that parts add up to their totals, "
                "that rates match their fractions, that the text agrees with the appendix and that dates are valid, "
                "then shows each report in full with every problem highlighted and explained right under it.",
        "drop": "Drop reports here",
        "pick": "or click the box to choose files (.txt, .docx, .pdf); several at once is fine",
        "submit": "Check", "busy": "Checking…",
        "privacy": "Files are read on this computer only: nothing is sent anywhere or kept after the answer.",
        "limits": "At most {files} files at a time, each no larger than {size}.",
        "outputs": "The result can be downloaded as HTML (one page that opens in any browser), JSON and CSV.",
        "other": "Tiếng Việt", "other_lang": "vi",
        "error_h": "Nothing was checked",
        "again": "Check other reports", "download": "Download:", "dl_html": "Result page (HTML)",
        "dl_json": "JSON", "dl_csv": "CSV (spreadsheet)", "toolbar": "Download the result",
        "result_stem": "audit-result",
        "no_file": "No report was sent. Choose or drop at least one file (.txt, .docx, .pdf).",
        "empty_name": "A file has no name. Choose the report again.",
        "too_large": "The file “{name}” is larger than the limit of {limit} per file. Whoever runs the "
                     "program can raise it with: tthc-audit serve --max-bytes BYTES",
        "too_many": "At most {n} files can be checked at a time. Send the reports in several goes "
                    "(or run: tthc-audit serve --max-files N).",
        "body_too_large": "Too much data was sent (over {limit}). At most {n} files at a time, each no "
                          "larger than {size}.",
        "wrong_field": "The form is not the expected one: “{field}” is not the report field (“files”). Use the "
                       "page at the root address.",
        "not_a_file": "The form is not the expected one: “files” must be a file, not text.",
        "path_in_name": "The file name “{name}” contains a folder path. Send the file name only, e.g. report.docx.",
        "bad_name": "The file name “{name}” has control characters or is too long (at most {n} characters). "
                    "Rename the file and send it again.",
        "not_multipart": "The request is not a file upload form (multipart/form-data). Use the page at the root "
                         "address.",
        "malformed": "The form data is damaged or incomplete. Send it again.",
        "bad_lang": "There is no language “{lang}”; use ?lang=vi (Vietnamese) or ?lang=en (English).",
        "bad_host": "This page opens only as http://127.0.0.1 or http://localhost on the computer running the "
                    "program.",
        "bad_origin": "The request came from another page, not this one, and was refused.",
        "not_found": "There is no such page. The checking page is at the root address.",
        "bad_method": "This page does not take that kind of request. Go back to the checking page.",
        "internal": "Something went wrong inside the program; no file was kept. Try again, or check the file "
                    "on the command line: tthc-audit FILE.",
    },
}


def _memory_given_back(page: str) -> str:
    """The answer, once the heap its audit freed is handed back to the system. The audits run in a pool of threads and
    glibc keeps an arena per thread: what one request freed stays in its arena's pages, so a server that answered many
    uploads at once kept their peak for good."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    return page


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim; None elsewhere."""
    try:
        import ctypes
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class BadRequest(Exception):
    """A request the page cannot answer with a result: its status and the words to show."""

    def __init__(self, status: int, key: str, **values):
        super().__init__(key)
        self.status = status
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        values = {k: (_size(v, lang) if k in ("limit", "size") else fmt(v, lang)) if isinstance(v, int) else v
                  for k, v in self.values.items()}
        return _W[lang][self.key].format(**values)


# ---------------------------------------------------------------- pages

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#1f2328;
font:17px/1.55 "Segoe UI","Noto Sans",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif}
.wrap{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.top{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
h1{font-size:1.55rem;line-height:1.25;margin:.3rem 0 .6rem}
.lang{font-size:.95rem;white-space:nowrap}
a{color:#0b57d0}
.lead{margin:.2rem 0 1rem;color:#3c4043}
.err{border-left:6px solid #b3261e;background:#fff0ee;border-radius:6px;padding:.7rem 1rem;margin:0 0 1.1rem}
.err h2{margin:0 0 .25rem;font-size:1.15rem;color:#b3261e}.err p{margin:0}
.drop{position:relative;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:.3rem;
min-height:13rem;padding:1.5rem;border:3px dashed #8c959f;border-radius:12px;background:#fff;text-align:center;
cursor:pointer}
.drop:hover,.drop.over,.drop:focus-within{border-color:#0b57d0;background:#eef4ff}
.drop input{position:absolute;inset:0;width:100%;height:100%;opacity:0;cursor:pointer}
.drop .big{font-size:1.35rem;font-weight:600}.drop .small{color:#59636e}
.drop.busy{border-style:solid;border-color:#0b57d0;background:#eef4ff}
.chosen{min-height:1.6em;margin:.6rem 0;font-weight:600;overflow-wrap:anywhere}
button{font:inherit;font-weight:600;padding:.55rem 1.6rem;border-radius:8px;border:1px solid #0b57d0;
background:#0b57d0;color:#fff;cursor:pointer}
button:hover{background:#0842a0}
.notes{margin:1.2rem 0 0;padding-left:1.2rem;color:#3c4043;font-size:.95rem}.notes li{margin:.25rem 0}
"""

# chooses, drops anywhere on the page, and sends the form as soon as files are there
_SCRIPT = """(function(){
var f=document.getElementById('up'),i=document.getElementById('files'),d=document.getElementById('drop'),
c=document.getElementById('chosen');
function go(){if(!i.files||!i.files.length)return;
c.textContent=f.getAttribute('data-busy')+' '+Array.prototype.map.call(i.files,function(x){return x.name}).join(', ');
d.classList.add('busy');f.submit();}
i.addEventListener('change',go);
['dragenter','dragover'].forEach(function(e){document.addEventListener(e,function(ev){ev.preventDefault();d.classList.add('over');});});
document.addEventListener('dragleave',function(ev){if(!ev.relatedTarget)d.classList.remove('over');});
document.addEventListener('drop',function(ev){ev.preventDefault();d.classList.remove('over');
if(ev.dataTransfer&&ev.dataTransfer.files.length){i.files=ev.dataTransfer.files;go();}});
})();"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()

PAGE_CSP = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
RESULT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def fmt(n: int | float, lang: str) -> str:
    """A number as the reader writes it: 20.000 and 2,5 in Vietnamese, 20,000 and 2.5 in English."""
    text = f"{n:,.1f}".rstrip("0").rstrip(".") if isinstance(n, float) else f"{n:,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else text


def _size(n: int, lang: str) -> str:
    """A size as a clerk reads it: 5 MB, 2,5 MB, 20.000 byte."""
    if n >= 1_000_000:
        return f"{fmt(round(n / 1_000_000, 1), lang)} MB"
    return f"{fmt(n, lang)} {'byte' if lang == 'vi' else 'bytes'}"


def upload_page(settings: Settings, lang: str, error: str | None = None) -> str:
    w = _W[lang]
    err = (f'<div class="err" role="alert"><h2>{_esc(w["error_h"])}</h2><p id="message">{_esc(error)}</p></div>\n'
           if error else "")
    limits = w["limits"].format(files=settings.max_files, size=_size(settings.max_bytes, lang))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light">\n'
        f"<title>{_esc(w['title'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<main class="wrap">\n'
        f'<div class="top"><h1>{_esc(w["title"])}</h1>'
        f'<a class="lang" href="/?lang={w["other_lang"]}" hreflang="{w["other_lang"]}">{_esc(w["other"])}</a></div>\n'
        f"{err}"
        f'<p class="lead">{_esc(w["lead"])}</p>\n'
        f'<form id="up" method="post" action="/kiem-tra?lang={lang}" enctype="multipart/form-data" '
        f'data-busy="{_esc(w["busy"])}">\n'
        f'<label class="drop" id="drop"><input type="file" id="files" name="{FIELD}" multiple accept="{ACCEPT}" required>'
        f'<span class="big">{_esc(w["drop"])}</span><span class="small">{_esc(w["pick"])}</span></label>\n'
        '<p class="chosen" id="chosen" aria-live="polite"></p>\n'
        f'<button type="submit">{_esc(w["submit"])}</button>\n</form>\n'
        f'<ul class="notes"><li>{_esc(w["privacy"])}</li><li>{_esc(limits)}</li><li>{_esc(w["outputs"])}</li></ul>\n'
        f"</main>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n")


_BAR_CSS = (
    ".tthc-serve{position:sticky;top:0;z-index:10;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;"
    "padding:.55rem 1rem;background:#1f2328;color:#fff;font:15px/1.4 \"Segoe UI\",\"Noto Sans\",Roboto,"
    "\"DejaVu Sans\",Arial,sans-serif}"
    ".tthc-serve a{color:#fff;font-weight:600}.tthc-serve .dl{display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center}"
    ".tthc-serve a.btn{background:#0b57d0;border-radius:6px;padding:.2rem .7rem;text-decoration:none}"
    ".tthc-serve a.btn:hover{background:#0842a0}"
    "@media print{.tthc-serve{display:none}}")
_BODY = re.compile(r"<body[^>]*>")


def _data_uri(text: str, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _stem(names: list[str], lang: str) -> str:
    if len(names) == 1:
        stem = Path(names[0]).stem.strip() or _W[lang]["result_stem"]
        return f"{stem}-{_W[lang]['result_stem']}"
    return _W[lang]["result_stem"]


def result_page(page: str, json_text: str, csv_text: str, names: list[str], lang: str) -> str:
    """The report page as the CLI writes it, with a bar on top: download it, its JSON and CSV, or
    go back and check other reports. The downloads are data: links, so nothing stays on the server."""
    w = _W[lang]
    stem = _stem(names, lang)
    bar = (f'<nav class="tthc-serve" aria-label="{_esc(w["toolbar"])}"><style>{_BAR_CSS}</style>'
           f'<a href="/?lang={lang}" id="again">← {_esc(w["again"])}</a>'
           f'<span class="dl">{_esc(w["download"])} '
           f'<a class="btn" id="dl-html" download="{_esc(stem)}.html" href="{_data_uri(page, "text/html")}">{_esc(w["dl_html"])}</a>'
           f'<a class="btn" id="dl-json" download="{_esc(stem)}.json" href="{_data_uri(json_text, "application/json")}">{_esc(w["dl_json"])}</a>'
           f'<a class="btn" id="dl-csv" download="{_esc(stem)}.csv" href="{_data_uri(csv_text, "text/csv")}">{_esc(w["dl_csv"])}</a>'
           "</span></nav>\n")
    m = _BODY.search(page)
    if m is None:  # the renderer always writes <body>; never lose the bar if that changes
        return bar + page
    return page[:m.end()] + "\n" + bar + page[m.end():]


# ---------------------------------------------------------------- reading the form

_QUOTED_NAME = re.compile(r'(?:^|;)\s*filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', re.IGNORECASE)


class _Form:
    """Collects the uploaded files in memory, from python-multipart's streaming parser.

    A problem found on the way (a file too large, too many files, another field, a path in a name)
    is remembered and the rest of the body is read and dropped, so that the browser gets to read
    the answer; the first problem is raised when the body is in."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.files: list[tuple[str, bytearray]] = []
        self.problem: BadRequest | None = None
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._current: bytearray | None = None  # the file being read, None while dropping a part

    def _fail(self, status: int, key: str, **values) -> None:
        if self.problem is None:
            self.problem = BadRequest(status, key, **values)
        self._current = None
        self.files.clear()  # nothing of a refused form is audited; free it now

    def callbacks(self) -> dict:
        return {"on_part_begin": self.on_part_begin, "on_part_data": self.on_part_data,
                "on_header_field": self.on_header_field, "on_header_value": self.on_header_value,
                "on_header_end": self.on_header_end, "on_headers_finished": self.on_headers_finished}

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._current = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        if self.problem is not None:
            return
        raw = self._disposition.decode("latin-1")
        _kind, options = parse_options_header(raw)
        field = options.get(b"name", b"").decode("utf-8", "replace")
        if field != FIELD:
            return self._fail(400, "wrong_field", field=field)
        found = _QUOTED_NAME.search(raw)
        if found is None:
            return self._fail(400, "not_a_file")
        # the raw parameter, not the parsed one: python-multipart cuts "C:\dir\a.txt" down to "a.txt"
        quoted = found.group(1).strip()
        name = unicodedata.normalize("NFC", options.get(b"filename", b"").decode("utf-8", "replace")).strip()
        if "/" in quoted or "\\" in quoted.replace('\\"', "") or name in (".", ".."):
            raw_name = quoted[1:-1].replace("\\\\", "\\").replace('\\"', '"') if quoted.startswith('"') else quoted
            return self._fail(400, "path_in_name", name=raw_name.encode("latin-1").decode("utf-8", "replace")[:200])
        if not name:
            # a file input left empty still sends one part with no name and no content
            self._current = None
            return
        if len(name) > MAX_NAME or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
            return self._fail(400, "bad_name", name=name[:80], n=MAX_NAME)
        if len(self.files) >= self.settings.max_files:
            return self._fail(400, "too_many", n=self.settings.max_files)
        self._current = bytearray()
        self.files.append((name, self._current))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current is None:
            return
        self._current += data[start:end]
        if len(self._current) > self.settings.max_bytes:
            self._fail(413, "too_large", name=self.files[-1][0], limit=self.settings.max_bytes)


async def read_form(request, settings: Settings) -> list[tuple[str, bytes]]:
    """The uploaded files, or BadRequest. The body is read in pieces and never held whole; a body
    larger than every allowed file together is refused as soon as it is seen to be."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data":
        raise BadRequest(415, "not_multipart")
    boundary = params.get(b"boundary")
    if not boundary:
        raise BadRequest(400, "malformed")
    limit = settings.max_body
    too_big = BadRequest(413, "body_too_large", limit=limit, n=settings.max_files, size=settings.max_bytes)
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_big
    form = _Form(settings)
    try:
        parser = MultipartParser(boundary, form.callbacks())
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                raise too_big
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise BadRequest(400, "malformed") from None
    if form.problem is not None:
        raise form.problem
    files = [(name, bytes(data)) for name, data in form.files]
    if not files:
        raise BadRequest(400, "no_file")
    return files


# ---------------------------------------------------------------- the application

_ALLOWED_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def _hostname(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[:value.find("]") + 1]
    return value.rsplit(":", 1)[0] if ":" in value else value


def _lang_of(request, settings: Settings) -> str:
    """The page's language: ?lang= when given (an unknown one is refused), else the server's."""
    lang = request.query_params.get("lang")
    if lang is None:
        return settings.lang
    if lang not in _W:
        raise BadRequest(400, "bad_lang", lang=lang[:20])
    return lang


def _lang_or_default(request, settings: Settings) -> str:
    lang = request.query_params.get("lang")
    return lang if lang in _W else settings.lang


def _guard(request) -> None:
    """Only this machine's own page may use the server: a name other than 127.0.0.1 or
    localhost (DNS rebinding) or a form sent from another site is refused."""
    if _hostname(request.headers.get("host", "")) not in _ALLOWED_HOSTS:
        raise BadRequest(400, "bad_host")
    origin = request.headers.get("origin")
    if request.method == "POST" and origin is not None:
        if origin.split("://", 1)[-1].lower() != request.headers.get("host", "").lower():
            raise BadRequest(403, "bad_origin")


def _headers(csp: str) -> dict:
    return {"Content-Security-Policy": csp, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}


def create_app(settings: Settings):
    """The Starlette application: GET / is the page, POST /kiem-tra audits what it sends."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import HTMLResponse, RedirectResponse
    from starlette.routing import Route

    limiter = None
    # python-multipart logs what it finds wrong in a form (bytes of the upload among it): the page
    # says what is wrong, and nothing about a request is to be logged
    quiet = logging.getLogger("python_multipart")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False

    def lang_of(request: Request) -> str:
        return _lang_of(request, settings)

    def error_page(request: Request, status: int, message_of) -> HTMLResponse:
        lang = _lang_or_default(request, settings)
        return HTMLResponse(upload_page(settings, lang, message_of(lang)), status_code=status, headers=_headers(PAGE_CSP))

    def refused(request: Request, bad: BadRequest) -> HTMLResponse:
        return error_page(request, bad.status, bad.message)

    async def index(request: Request):
        try:
            _guard(request)
            lang = lang_of(request)
        except BadRequest as bad:
            return refused(request, bad)
        return HTMLResponse(upload_page(settings, lang), headers=_headers(PAGE_CSP))

    async def audit(request: Request):
        nonlocal limiter
        import anyio

        try:
            _guard(request)
            lang = lang_of(request)
            files = await read_form(request, settings)
        except BadRequest as bad:
            return refused(request, bad)
        except ClientDisconnect:  # the browser went away mid-upload: no one to answer
            return error_page(request, 400, lambda lang: _W[lang]["malformed"])
        except Exception as exc:  # noqa: BLE001 - a parser surprise: an answer, not a traceback
            _log(exc)
            return error_page(request, 400, lambda lang: _W[lang]["malformed"])

        def work() -> str:
            audits = [audit_upload(name, data, settings, lang) for name, data in files]
            files.clear()
            page, json_text, csv_text = render_all(audits, lang)
            names = [a.path for a in audits]
            del audits
            return _memory_given_back(result_page(page, json_text, csv_text, names, lang))
        # one audit at a time: the core's caches are not made for threads, and the GIL would not
        # let two audits run at once anyway; waiting requests hold only their uploads
        if limiter is None:
            limiter = anyio.CapacityLimiter(1)
        try:
            body = await anyio.to_thread.run_sync(work, limiter=limiter)
        except Exception as exc:  # noqa: BLE001
            _log(exc)
            return error_page(request, 500, lambda lang: _W[lang]["internal"])
        return HTMLResponse(body, headers=_headers(RESULT_CSP))

    async def back_to_page(request: Request):  # a reload of a result page: back to the form
        return RedirectResponse(f"/?lang={_lang_or_default(request, settings)}", status_code=303)

    async def http_error(request: Request, exc: HTTPException):
        key = "not_found" if exc.status_code == 404 else "bad_method" if exc.status_code == 405 else "malformed"
        response = error_page(request, exc.status_code, lambda lang: _W[lang][key])
        if exc.status_code == 405 and exc.headers:
            response.headers.update(exc.headers)
        return response

    routes = [Route("/", index, methods=["GET"]), Route("/kiem-tra", audit, methods=["POST"]),
              Route("/kiem-tra", back_to_page, methods=["GET"])]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def _log(exc: BaseException) -> None:
    """One line for whoever runs the server: what went wrong, never a file's name or content."""
    print(f"tthc-audit serve: {type(exc).__name__} khi xử lý một yêu cầu (đã trả trang báo lỗi)", file=sys.stderr,
          flush=True)


# ---------------------------------------------------------------- the command

def _parser() -> argparse.ArgumentParser:
    from .arguments import Parser, positive_int

    p = Parser(
        prog="tthc-audit serve",
        description="Mở một trang web trên chính máy này để kiểm tra báo cáo mà không cần gõ lệnh: kéo thả hoặc chọn "
                    "báo cáo (.txt, .docx, .pdf), xem kết quả với chỗ sai tô màu, tải về dạng HTML, JSON, CSV. "
                    "Chỉ máy này mở được trang (địa chỉ 127.0.0.1); tệp được kiểm tra trong bộ nhớ, không lưu lại.",
        epilog="ví dụ: tthc-audit serve                 (mở trình duyệt tại http://127.0.0.1:8765/)\n"
               "       tthc-audit serve --port 0 --no-browser --rules luat-cua-tinh/\n"
               "Dừng bằng Ctrl+C. Trang tiếng Anh: thêm ?lang=en vào địa chỉ.",
    )
    p.add_argument("--port", type=_port, default=None, metavar="CỔNG",
                   help=f"cổng (mặc định {DEFAULT_PORT}, nếu bận thì tự chọn cổng trống; 0: luôn chọn một cổng trống)")
    p.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt, chỉ in địa chỉ")
    p.add_argument("--lang", choices=("vi", "en"), default=None,
                   help="ngôn ngữ mặc định của trang và kết quả (mặc định: vi; ?lang=en trên địa chỉ cũng được)")
    p.add_argument("--rules", action="append", default=[], metavar="TỆP_HOẶC_THƯ_MỤC", help="thêm tệp/thư mục luật YAML")
    p.add_argument("--select", default=None, metavar="MÃ", help="chỉ chạy các luật có mã bắt đầu bằng (phân cách bằng dấu phẩy)")
    p.add_argument("--ignore", default=None, metavar="MÃ", help="bỏ các luật có mã bắt đầu bằng (phân cách bằng dấu phẩy)")
    p.add_argument("--config", default=None, metavar="TỆP",
                   help="tệp cấu hình (mặc định: .tthc-audit.yaml tìm từ thư mục đang đứng lên)")
    p.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, metavar="BYTE",
                   help=f"từ chối tệp lớn hơn cỡ này (mặc định 5 MB); tệp Word, PDF còn không được giải nén ra quá "
                        f"{UNPACK_ALLOWANCE_TEXT}")
    p.add_argument("--max-files", type=positive_int, default=DEFAULT_MAX_FILES, metavar="N",
                   help=f"số tệp tối đa mỗi lần gửi (mặc định {DEFAULT_MAX_FILES})")
    return p


def _port(text: str) -> int:
    """A TCP port, 0 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"cần một số cổng từ 0 đến 65535, không phải {text!r}")
    return value


def settings_from(args: argparse.Namespace, cwd: Path) -> Settings:
    """Catalog, selection and language exactly as the command line makes them; the config file is
    looked up from the folder serve was started in."""
    config_path = Path(args.config) if args.config else find_config(cwd)
    config = load_config(config_path)
    catalog = load_catalog(config.rules + [Path(r) for r in args.rules])
    selection = _selection(args, config)
    unknown = sorted(code for code in selection.severity if code not in catalog.by_code)
    if unknown:
        raise ConfigError(f"{config_path}: severity: không có luật {', '.join(unknown)} (xem: tthc-audit rules)")
    return Settings(catalog, selection, args.lang or config.lang or "vi", args.max_bytes, args.max_files)


def bind(port: int, fallback: bool) -> socket.socket:
    """A listening socket on 127.0.0.1 only. When the default port is taken, any free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            if not fallback:
                raise
            sock.bind((HOST, 0))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _open_browser(url: str) -> None:
    """Only where a browser window can open: a terminal browser would take over the terminal."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    import webbrowser

    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def main(argv: list[str]) -> int:
    """`tthc-audit serve [options]`: 0 when stopped with Ctrl+C, 2 on a usage or configuration error."""
    from rich.console import Console

    args = _parser().parse_args(argv)  # --port, --max-bytes, --max-files: checked by their types
    settings = settings_from(args, Path.cwd())
    err = Console(stderr=True, highlight=False)
    try:
        import uvicorn
        from python_multipart import __version__ as _  # noqa: F401 - fail here, not at the first upload
    except ImportError as exc:
        return _fail(err, f"thiếu thư viện {exc.name}: cài lại bằng pip install tthc-audit")
    wanted = DEFAULT_PORT if args.port is None else args.port
    try:
        sock = bind(wanted, fallback=args.port is None)
    except OSError as exc:
        return _fail(err, f"không mở được cổng {wanted} trên {HOST}: {exc.strerror or exc} (chọn cổng khác bằng --port, "
                          f"hoặc --port 0 để tự chọn cổng trống)")
    port = sock.getsockname()[1]
    url = f"http://{HOST}:{port}/"
    if args.port is None and port != wanted:
        print(f"Cổng {wanted} đang bận, dùng cổng {port}.", flush=True)
    print(f"Trang kiểm tra báo cáo đang chạy tại {url}", flush=True)
    print("Chỉ máy này mở được địa chỉ đó. Tệp gửi lên được kiểm tra trong bộ nhớ và không lưu lại. "
          "Nhấn Ctrl+C để dừng.", flush=True)
    if not args.no_browser:
        _open_browser(url)
    config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False, lifespan="off",
                            server_header=False, proxy_headers=False, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    # uvicorn stops gracefully on SIGINT/SIGTERM and then raises the signal again: let either end
    # the program quietly, with status 0
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    print("Đã dừng.", flush=True)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
