"""Where results are written: never onto a report being read, never a half-written file.

The target of `--output` is checked before any report is read (an input is refused whether it is
named the same way, through another path, or through a link), then written under a temporary
name in the same folder and renamed into place only when the whole run succeeded.
"""
from __future__ import annotations

import io
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import InputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(target: str, inputs: list[str]) -> Path:
    """The resolved output path, or an InputError (exit 2) that says why it cannot be written."""
    out = Path(target)
    if out.is_dir():
        raise InputError("IO010", f"không ghi được kết quả: {target} là thư mục, hãy nêu tên tệp (ví dụ {Path(target) / 'ket-qua.html'})")
    for item in inputs:
        if item == "-":
            continue
        src = Path(item)
        if _same_file(out, src) or (not out.exists() and out.resolve() == src.resolve()):
            raise InputError("IO010", f"không ghi kết quả đè lên báo cáo đang kiểm tra: {target} là tệp đầu vào {item}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("IO010", f"không ghi được kết quả: không có thư mục {folder}")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputError("IO010", f"không ghi được kết quả vào {target}: không có quyền ghi")
    return out


def is_inside(path: Path, inputs: list[str]) -> bool:
    """Whether `path` lies in one of the input folders (an output there would be read as a report next time)."""
    resolved = path.resolve()
    for item in inputs:
        p = Path(item)
        if item != "-" and p.is_dir() and resolved.is_relative_to(p.resolve()):
            return True
    return False


@contextmanager
def atomic_writer(target: Path, newline: str | None = None, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text stream whose content replaces `target` only if the block finishes without an exception."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
        mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# The first line of a text result written with -o: it tells a person, and the next folder run, that
# the file is a result of this program, not a report (see written_by_us).
TEXT_HEADER = {"vi": "tthc-audit {version} — kết quả kiểm tra (không phải báo cáo)",
               "en": "tthc-audit {version} — audit result (not a report)"}
_BOX = ("─", "┏", "┌", "╭", "━")  # what Rich's text output opens with: a rule or a table's top border


def written_by_us(path: Path) -> bool:
    """Whether a file in an input folder is a result this program wrote (any format, with -o or a
    shell redirect): its opening bytes say so. Such a file is no report to audit."""
    try:
        with open(path, "rb") as f:
            head = f.read(2048)
    except OSError:
        return False
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("utf-8", errors="ignore")
    first = text.lstrip().split("\n", 1)[0].strip()
    if first.startswith("tthc-audit ") and ("kết quả" in first or "audit result" in first):
        return True
    if first.startswith(_BOX) or (first in ("Tổng hợp", "Summary") and "\n" in text.lstrip()
                                  and text.lstrip().split("\n")[1].lstrip().startswith(_BOX)):
        return True
    if first.startswith("{") and ('"schema": 1' in text[:200] or '"name": "tthc-audit"' in text):
        return True
    if first.startswith(("path,issuer,level,", "path,code,rule,status,")):  # render/tabular.py's two layouts
        return True
    return 'content="tthc-audit' in text and text.lstrip().lower().startswith("<!doctype html")


@contextmanager
def utf8_stdout() -> Iterator[IO[str]]:
    """Standard output for the machine formats: UTF-8 whatever the terminal's encoding (JSON is UTF-8
    by definition, the CSV opens with a UTF-8 byte-order mark, the HTML declares charset=utf-8), with
    no newline translation. A stream with no byte layer (a test's StringIO) is used as it is."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
        stream.flush()
    finally:
        try:
            stream.detach()  # sys.stdout keeps its byte layer
        except (OSError, ValueError):
            _KEEP.append(stream)  # a broken pipe: never let the wrapper close sys.stdout's buffer


_KEEP: list = []


def quiet_stdout() -> None:
    """After a broken pipe (`| head`): send what is left to /dev/null, so that Python's own flush at
    exit does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def tolerant_streams() -> None:
    """Standard output and error replace what their encoding cannot hold (PYTHONIOENCODING=cp1252,
    a Windows console) instead of raising UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
