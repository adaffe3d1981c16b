"""The lexicon kept between runs (auditor/build_cache.py) is the lexicon built afresh: every compiled
pattern the same program, every reading the same; a damaged, foreign or unwritable cache only means
building again."""
from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import build_cache
from auditor.lexicon import Lexicon, load_lexicon
from auditor.resources import grammar_path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = grammar_path("lexicon.yaml")


def _patterns(value, where: str = "lexicon"):
    """Every compiled pattern inside a built lexicon, with where it sits."""
    if isinstance(value, re.Pattern):
        yield where, value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _patterns(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _patterns(v, f"{where}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _patterns(v, f"{where}[{i}]")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TTHC_AUDIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("TTHC_AUDIT_NO_CACHE", raising=False)
    return folder


def _kept(calls: list) -> Lexicon:
    def build():
        calls.append(1)
        return load_lexicon(LEXICON)
    return build_cache.built("lexicon", [LEXICON], build)


def test_the_kept_lexicon_is_the_built_one(cache):
    calls: list = []
    first = _kept(calls)
    again = _kept(calls)
    assert calls == [1], "the second start read the lexicon back instead of building it"
    fresh = dict(_patterns(load_lexicon(LEXICON)))
    kept = dict(_patterns(again))
    assert len(kept) == len(fresh) > 200
    # a re.Pattern compares its compiled program, not only its text
    assert [w for w, p in fresh.items() if kept.get(w) != p] == []
    assert again.keys.keys() == first.keys.keys() and again.parents == first.parents
    assert len(list(cache.glob("lexicon-*.pickle"))) == 1


def test_a_kept_pattern_is_handed_back_without_compiling(cache, monkeypatch):
    _kept([])
    compiled: list = []
    real = re._compiler.compile
    monkeypatch.setattr(re._compiler, "compile", lambda p, flags=0: compiled.append(p) or real(p, flags))
    _kept([])
    assert compiled == []


def test_a_damaged_file_is_built_again_and_replaced(cache):
    _kept([])
    (kept,) = cache.glob("lexicon-*.pickle")
    kept.write_bytes(kept.read_bytes()[: len(kept.read_bytes()) // 2])
    calls: list = []
    lex = _kept(calls)
    assert calls == [1] and lex.label_regex.pattern
    assert pickle.loads(kept.read_bytes()).label_regex == lex.label_regex


def test_a_folder_that_cannot_be_written_only_means_building(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TTHC_AUDIT_CACHE_DIR", str(blocker / "cache"))
    calls: list = []
    assert _kept(calls).label_regex.pattern and _kept(calls).label_regex.pattern
    assert calls == [1, 1]


def test_turned_off_nothing_is_written(cache, monkeypatch):
    monkeypatch.setenv("TTHC_AUDIT_NO_CACHE", "1")
    calls: list = []
    _kept(calls)
    _kept(calls)
    assert calls == [1, 1] and not cache.exists()


def test_a_changed_input_is_a_new_file_and_the_old_one_goes(cache, tmp_path):
    own = tmp_path / "lexicon.yaml"
    own.write_bytes(LEXICON.read_bytes())
    build_cache.built("lexicon", [own], lambda: load_lexicon(own))
    (before,) = cache.glob("lexicon-*.pickle")
    own.write_bytes(LEXICON.read_bytes() + b"\n# a comment changes the file, so the name\n")
    calls: list = []
    build_cache.built("lexicon", [own], lambda: calls.append(1) or load_lexicon(own))
    (after,) = cache.glob("lexicon-*.pickle")
    assert calls == [1] and after != before


def test_a_program_this_python_does_not_take_is_compiled_from_its_text():
    pattern = build_cache._pattern(r"h[oồ]\s+s[oơ]", re.UNICODE, [0, 1, 2], 0, {}, (None,))
    assert pattern == re.compile(r"h[oồ]\s+s[oơ]") and pattern.search("có 12 hồ sơ")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners on this operating system")
def test_a_file_of_another_user_is_never_read(cache, monkeypatch):
    _kept([])
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    calls: list = []
    _kept(calls)
    assert calls == [1]


def test_the_cli_reads_the_same_with_and_without_the_cache(cache):
    example = ROOT / "examples" / "xa-loi.txt"
    run = lambda env: subprocess.run([sys.executable, "-m", "auditor.cli", "--format", "json", str(example)],  # noqa: E731
                                     capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env})
    off = run({"TTHC_AUDIT_NO_CACHE": "1"})
    first, second = run({}), run({})
    assert list(cache.glob("lexicon-*.pickle"))
    assert json.loads(off.stdout) == json.loads(first.stdout) == json.loads(second.stdout)
    assert off.returncode == first.returncode == second.returncode == 1


def test_the_kept_catalog_is_the_read_one_and_extra_rules_are_still_checked(cache, monkeypatch, tmp_path):
    from auditor.check.catalog import load_catalog
    from auditor.errors import ConfigError

    first, kept = load_catalog([]), load_catalog([])
    assert list(cache.glob("catalog-*.pickle"))
    monkeypatch.setenv("TTHC_AUDIT_NO_CACHE", "1")
    fresh = load_catalog([])
    dump = lambda c: ([(r.code, r.model_dump(), r.source, r.line) for r in c.rules], c.keys)  # noqa: E731
    assert dump(kept) == dump(fresh) == dump(first) and len(fresh.rules) > 20
    monkeypatch.delenv("TTHC_AUDIT_NO_CACHE")
    twice = tmp_path / "own.yaml"
    code = fresh.rules[0].code
    twice.write_text(f"rules:\n  - code: {code}\n    name: again\n    kind: bound\n    over: ranks\n"
                     "    severity: error\n    message: {vi: 'x', en: 'x'}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=code):
        load_catalog([twice])
