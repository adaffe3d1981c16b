"""Where the bundled rule catalog and grammars live, from a source checkout or an installed wheel."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """`rules` or `grammars`: inside the wheel (auditor/_data/NAME) or beside the package in a checkout."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder '{name}' not found beside {_PKG}")


def grammar_path(filename: str) -> Path:
    return data_dir("grammars") / filename


def rules_dir() -> Path:
    return data_dir("rules")
