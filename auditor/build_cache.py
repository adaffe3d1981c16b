"""What a run builds before it reads a report, kept between runs.

Building the lexicon is a third of a run's start on a commune-sized report: Python's `re` module
compiles its ~230 regular expressions with Python code (~65 ms), after the YAML is parsed and
validated; the rule catalog's YAML and its validation are another ~15 ms. Like Lark's `cache=True`
(which this package already uses for its grammars), the built object is pickled, under a name made from everything it was built from (its input files, this
package's source, the Python version), and read back while none of those changed.

A compiled pattern pickles as its text and is compiled again when read back, which would keep the
cost; here it is kept with its compiled program and handed back to the regex engine as is. The
program is kept only when handing it back gives a pattern equal to the one compiled (a `re.Pattern`
compares its program), and a program this Python does not take is compiled from its text: the cache
can make a start slower, never a result different.

The cache is the user's own (`$XDG_CACHE_HOME/tthc-audit`, else `~/.cache/tthc-audit`), or the
folder named by TTHC_AUDIT_CACHE_DIR; TTHC_AUDIT_NO_CACHE=1 turns it off. A folder that cannot be
written to, or a damaged file, only means building again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

_FORMAT = b"tthc-audit build cache 1"
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    if os.environ.get("TTHC_AUDIT_NO_CACHE", "") not in ("", "0"):
        return None
    named = os.environ.get("TTHC_AUDIT_CACHE_DIR")
    if named:
        return Path(named)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "tthc-audit" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tthc-audit"


def built(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    """`build()`, or what it built the last time from the same inputs and the same code."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{_fingerprint(inputs)}.pickle"
    except OSError:
        return build()  # an input that cannot be read: let the build say so, in its words
    kept = _read(path)
    if kept is not None:
        return kept
    made = build()
    _write(folder, name, path, made)
    return made


def _fingerprint(inputs: list[Path]) -> str:
    digest = hashlib.sha256(_source_digest())
    for path in inputs:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def _source_digest() -> bytes:
    """This package's source and the Python running it: read once per process."""
    digest = hashlib.sha256(_FORMAT)
    digest.update(sys.version.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _read(path: Path):
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            return None  # a pickle is code: only ever read one this user wrote
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, damaged, or from classes that changed: build again
        return None


def _write(folder: Path, name: str, path: Path, made) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                _ProgramPickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(made)
            os.replace(temp, path)  # whole or not at all, whatever another process does meanwhile
        finally:
            Path(temp).unlink(missing_ok=True)  # left only when the dump failed
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, not a failure
        pass


class _ProgramPickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern) and isinstance(obj.pattern, str):
            program = _program(obj)
            if program is not None:
                return _pattern, (obj.pattern, obj.flags, *program)
        return NotImplemented


def _program(p: re.Pattern) -> tuple | None:
    """The compiled program of `p` (code, groups, group names), as the regex engine takes it."""
    try:
        import _sre
        from re import _compiler, _parser

        tree = _parser.parse(p.pattern, p.flags)
        code = [int(op) for op in _compiler._code(tree, p.flags)]  # opcodes are named ints: plain ones pickle
        names = tree.state.groupdict
        by_index = [None] * tree.state.groups
        for key, i in names.items():
            by_index[i] = key
        program = (code, tree.state.groups - 1, dict(names), tuple(by_index))
        return program if _sre.compile(p.pattern, p.flags, *program) == p else None
    except Exception:  # noqa: BLE001 - another Python's re: keep the text only
        return None


def _pattern(text: str, flags: int, code: list[int], groups: int, names: dict, by_index: tuple) -> re.Pattern:
    try:
        import _sre

        return _sre.compile(text, flags, code, groups, names, by_index)
    except Exception:  # noqa: BLE001 - a program this Python does not take: compile the text
        return re.compile(text, flags)
