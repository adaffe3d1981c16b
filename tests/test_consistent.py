"""Consistent texts in the habits of reports written elsewhere (tests/consistent/*.txt, written for the
project: each figure computed, each percentage rounded half up): the auditor must print no error on
any of them. Each file is a habit that once made a false "lỗi": a percentage tied to the figure before
it rather than the one its words name, a list summed against the last figure of the sentence before,
petitions, units or desks counted as dossiers, a date range read as a fraction, a name with a number
("Quầy số 12") read as a count. A warning may remain where the text leaves a figure unsure."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_file

FOLDER = Path(__file__).resolve().parent / "consistent"
CATALOG = load_catalog([])


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.txt")), ids=lambda p: p.stem)
def test_a_consistent_text_gets_no_error(path):
    audit = audit_file(str(path), CATALOG, Selection(), "vi")
    assert not audit.problems
    errors = [(c.code, c.message) for c in audit.checks if c.status == "fail" and c.severity == "error"]
    assert errors == []


def test_the_folder_is_not_empty():
    assert len(list(FOLDER.glob("*.txt"))) >= 20
