"""Golden files: extraction and findings for every example report, compared with tests/golden/*.json.

The records are built by tests/golden/regen.py (the one place that says what a golden holds);
when a change is intended, run `python tests/golden/regen.py` and review the diff of the goldens.
"""
from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
HINT = "run python tests/golden/regen.py if the change is intended"
MAX_DIFF_LINES = 300


def _load_regen():
    spec = importlib.util.spec_from_file_location("tthc_golden_regen", GOLDEN / "regen.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


regen = _load_regen()
EXAMPLES = regen.examples()
BUILDERS = {"facts": regen.facts_record, "findings": regen.findings_record}


def _compare(expected_path: Path, actual_text: str) -> None:
    if not expected_path.exists():
        pytest.fail(f"missing golden file {expected_path.name}; {HINT}", pytrace=False)
    expected_text = expected_path.read_text(encoding="utf-8")
    if expected_text == actual_text:
        return
    diff = list(difflib.unified_diff(expected_text.splitlines(), actual_text.splitlines(),
                                     fromfile=f"golden/{expected_path.name}", tofile="now", lineterm="", n=4))
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines")
    pytest.fail(f"{expected_path.name} differs from the stored golden:\n" + "\n".join(shown) + f"\n\n{HINT}", pytrace=False)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden(example: Path, kind: str):
    facts_path, findings_path = regen.golden_paths(example)
    expected = facts_path if kind == "facts" else findings_path
    _compare(expected, regen.dump(BUILDERS[kind](example)))


def test_every_golden_has_an_example():
    wanted = {p.name for ex in EXAMPLES for p in regen.golden_paths(ex)}
    stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.name not in wanted)
    assert not stale, f"golden files without an example: {stale}; {HINT}"


def test_goldens_are_deterministic():
    """Two runs in one process give the same text (no set order, ids or caches leak into a golden)."""
    ex = EXAMPLES[0]
    for build in BUILDERS.values():
        assert regen.dump(build(ex)) == regen.dump(build(ex))
