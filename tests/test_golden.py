"""Golden files: extraction and findings for every bundled example report, compared with tests/golden/*.yaml.

The records are built by tests/golden/regen.py (the one place that says what a golden holds): the facts
with their scopes and how they were read, and every check with its full Vietnamese message and arithmetic,
so that a change of what is found or of how it is explained shows up as a diff.
When a change is intended, run `python tests/golden/regen.py` and review the diff of the goldens.
"""
from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest
import yaml

GOLDEN = Path(__file__).resolve().parent / "golden"
HINT = "if the change is intended, run `python tests/golden/regen.py` and review `git diff tests/golden`"
MAX_DIFF_LINES = 300


def _load_regen():
    spec = importlib.util.spec_from_file_location("tthc_golden_regen", GOLDEN / "regen.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


regen = _load_regen()
EXAMPLES = regen.examples()
KINDS = {"facts": (0, regen.facts_record), "findings": (1, regen.findings_record)}


def _golden(example: Path, kind: str) -> Path:
    return regen.golden_paths(example)[KINDS[kind][0]]


def _build(example: Path, kind: str) -> str:
    return regen.dump(KINDS[kind][1](example))


def _compare(expected_path: Path, actual_text: str) -> None:
    if not expected_path.exists():
        pytest.fail(f"missing golden file tests/golden/{expected_path.name}; {HINT}", pytrace=False)
    expected_text = expected_path.read_text(encoding="utf-8")
    if expected_text == actual_text:
        return
    diff = list(difflib.unified_diff(expected_text.splitlines(), actual_text.splitlines(),
                                     fromfile=f"tests/golden/{expected_path.name} (stored)", tofile="now",
                                     lineterm="", n=4))
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines")
    pytest.fail(f"tests/golden/{expected_path.name} differs from what the code gives now:\n" + "\n".join(shown)
                + f"\n\n{HINT}", pytrace=False)


def test_examples_are_found():
    names = {p.relative_to(regen.EXAMPLES).as_posix() for p in EXAMPLES}
    assert {"xa-loi.txt", "xa-sach.txt", "huyen-loi.txt", "xa-loi.docx", "huyen-loi.pdf"} <= names
    assert any(n.startswith("kho/") for n in names)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.relative_to(regen.EXAMPLES).as_posix())
def test_golden(example: Path, kind: str):
    _compare(_golden(example, kind), _build(example, kind))


def test_every_golden_has_an_example():
    wanted = {p.name for ex in EXAMPLES for p in regen.golden_paths(ex)}
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.is_file() and p.name != "regen.py" and p.name not in wanted)
    assert not stale, f"golden files without an example: {stale}; {HINT} (it removes them)"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.name)
def test_goldens_are_yaml_without_local_paths(path: Path):
    """A golden is valid YAML a reviewer or a script can read, and holds nothing of the machine it was made on."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict) and data["path"].startswith("examples/")
    root = str(regen.ROOT)
    assert root not in text and "\\" + "\\" not in data["path"]
    if path.name.endswith(".findings.yaml"):
        s = data["summary"]
        assert s["checks"] == len(data["failed"]) + len(data["skipped"]) + len(data["passed"])
        assert all(c["message"] for part in ("failed", "skipped", "passed") for c in data[part])


def test_goldens_are_deterministic():
    """Two runs give identical bytes (no set order, ids, timings or caches leak into a golden)."""
    for ex in EXAMPLES[:2] + [p for p in EXAMPLES if p.suffix != ".txt"][:1]:
        for kind in KINDS:
            assert _build(ex, kind) == _build(ex, kind), f"{ex.name} {kind}"


def test_dump_is_the_yaml_it_claims():
    """The emitter writes what YAML reads back, awkward strings included."""
    record = {"path": "examples/x.txt", "a": [{"at": "1:2", "s": 'quote " and “ngoặc” : # - yes', "n": 2.5, "b": True,
                                               "none": None, "key": "received.new", "word": "no"}],
              "facts": [{"at": "3:4", "items": ["x", "y"], "empty": []}], "nested": {"k": ["a: b", 1]}, "e": []}
    assert yaml.safe_load(regen.dump(record)) == record
