"""The label matcher skips patterns by their possible first characters: the skip must never hide a match."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hypothesis import given, settings, strategies as st

from auditor.errors import ConfigError
from auditor.lexicon import default_lexicon, first_chars, load_lexicon
from auditor.source.normalize import fold

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_known_shapes():
    assert first_chars(r"(?:so\s+)?moi") == frozenset("sm")
    assert first_chars(r"\btong|da") == frozenset("td")
    assert first_chars(r"[a-c]+d") == frozenset("abc")
    assert first_chars(r"(?:x|)y") is None  # may begin with y too: cannot tell, so no skipping
    assert first_chars(r"x*") is None
    assert first_chars(r"[^a]b") is None
    assert first_chars(r"\d+") is None


def test_every_label_match_in_the_examples_starts_with_an_allowed_character():
    lex = default_lexicon()
    texts = [fold(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    seen = 0
    for text in texts:
        for lab in lex.labels:
            for m in lab.regex.finditer(text):
                seen += 1
                assert lab.first is None or text[m.start()] in lab.first, lab.regex.pattern
    assert seen > 100


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdeghiklmnopqrstuvxy0123456789 .,:;()/%\n", max_size=120))
def test_no_match_is_skipped_on_random_text(text):
    lex = default_lexicon()
    for s in range(len(text)):
        allowed = lex.labels_starting(text[s])
        for lab in lex.labels:
            if lab not in allowed:
                assert lab.regex.match(text, s) is None


def _without_lookahead(rx):
    """The pattern a whole-text scanner was built from, before its first-character lookahead."""
    m = re.fullmatch(r"\(\?=\[(.*?)(?<!\\)\]\)\(\?:(.*)\)", rx.pattern, re.S)
    assert m, rx.pattern
    return re.compile(m.group(2), rx.flags)


def _scanners():
    lex = default_lexicon()
    return [lex.label_regex, lex.not_quantity_before, lex.period, *lex.ocr_noise]


def test_scanners_find_what_their_patterns_find_in_the_examples():
    texts = [fold(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    found = 0
    for rx in _scanners():
        plain = _without_lookahead(rx)
        for text in texts:
            fast = [(m.start(), m.end(), m.lastgroup) for m in rx.finditer(text)]
            assert fast == [(m.start(), m.end(), m.lastgroup) for m in plain.finditer(text)]
            found += len(fast)
    assert found > 100


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdeghiklmnopqrstuvxy0123456789 .,:;()/%\n", max_size=160))
def test_scanners_find_what_their_patterns_find_on_random_text(text):
    for rx in _scanners():
        plain = _without_lookahead(rx)
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)]


LEXICON = Path(__file__).resolve().parents[2] / "grammars" / "lexicon.yaml"


def _line_with(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_bad_lexicon_pattern_is_named_with_its_line(tmp_path):
    src = LEXICON.read_text(encoding="utf-8")
    # (a pattern in the file, what it becomes, the section the message names)
    for broken, named, section in [("'\\bnam'", "(?:nam", "figures.not_quantity_before"),  # unclosed group
                                   ("'\\b[dp]e an'", "{NOPE}", "figures.not_quantity_before"),  # unknown alias
                                   ("'\\b(?:[o&]|cua|tai)\\s+$'", "(?:[o&|cua|tai)$", "scopes.level_after")]:
        bad = tmp_path / "lexicon.yaml"
        text = src.replace(broken, repr(named), 1)
        assert text != src, broken
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            load_lexicon(bad)
        message = str(exc.value)
        assert message.startswith(f"{bad}:{_line_with(text, repr(named))}: ")
        assert section in message and named in message


def test_a_malformed_lexicon_entry_is_refused_with_its_line(tmp_path):
    src = LEXICON.read_text(encoding="utf-8")
    bad = tmp_path / "lexicon.yaml"
    text = src.replace("ocr_noise:", "ocr_nosie:", 1)  # a misspelt section
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_lexicon(bad)
    # the section sits under figures: the message names its path in the file
    assert str(exc.value).startswith(f"{bad}:{_line_with(text, 'ocr_nosie:')}: figures.ocr_nosie")
    text = src.replace("    parent: received\n", "    parnet: received\n", 1)  # a misspelt field of a label
    assert text != src
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_lexicon(bad)
    assert str(exc.value).startswith(f"{bad}:{_line_with(text, 'parnet:')}: labels.")
    assert "parnet" in str(exc.value)
    bad.write_text(src.replace("ocr_noise:", "ocr_noise: [", 1), encoding="utf-8")  # not YAML any more
    with pytest.raises(ConfigError) as exc:
        load_lexicon(bad)
    assert "YAML" in str(exc.value) and str(exc.value).startswith(f"{bad}:")
