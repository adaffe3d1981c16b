"""Where results are written: never onto a report being read, never a half-written file.

The target of `--output` is checked before any report is read (an input is refused whether it is
named the same way, through another path, or through a link), then written under a temporary
name in the same folder and renamed into place only when the whole run succeeded.
"""
from __future__ import annotations

import os
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
