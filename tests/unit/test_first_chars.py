"""The label matcher skips patterns by their possible first characters: the skip must never hide a match."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from auditor.lexicon import default_lexicon, first_chars
from auditor.normalize import fold

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
