"""Golden files for the example reports (sqlfluff style).

For every examples/<stem>.txt this writes, beside this script:

  <stem>.facts.json     what extraction finds: every fact (key, scope label, value, raw text, line:col),
                        percent claims, ranks, lists with their item counts, dates and cited documents;
  <stem>.findings.json  the JSON record of the default `vi` audit (auditor.render.json_out.report_record)
                        with the free-text parts left out (message, arithmetic, related labels), so that a
                        change of wording does not break the goldens, only a change of what is found.

Run `python tests/golden/regen.py` after an intended change; tests/test_golden.py compares.
Output is deterministic: sorted keys, ensure_ascii=False, indent=1, trailing newline.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parent.parent
EXAMPLES = ROOT / "examples"

if str(ROOT) not in sys.path:  # runnable as a script from anywhere
    sys.path.insert(0, str(ROOT))

from auditor.check.catalog import load_catalog  # noqa: E402
from auditor.decode import decode  # noqa: E402
from auditor.engine import Selection, audit_bytes  # noqa: E402
from auditor.extract import extract  # noqa: E402
from auditor.render.json_out import report_record  # noqa: E402
from auditor.render.positions import LineIndex  # noqa: E402

# free text in a check record: wording, not findings
_DROP_FROM_CHECK = ("message", "arithmetic")
_DROP_FROM_RELATED = ("label",)


def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _pos(index: LineIndex, offset: int) -> str:
    line, col = index.line_col(offset)
    return f"{line}:{col}"


def _q(q, index: LineIndex) -> dict | None:
    if q is None:
        return None
    return {"at": _pos(index, q.start), "raw": q.raw, "value": q.number}


def facts_record(path: Path) -> dict:
    decoded = decode(path.read_bytes())
    rep = extract(_rel(path), decoded.text, decoded.encoding)
    index = LineIndex(rep.text)

    def scope(s: str) -> str:
        return rep.scopes.get(s, s)

    facts = [{
        "at": _pos(index, fa.q.start), "key": fa.key, "scope": scope(fa.scope), "value": fa.q.number, "raw": fa.q.raw,
        "role": fa.q.role,
    } for fa in rep.facts]
    percents = [{
        "at": _pos(index, c.pct.start), "raw": c.pct.raw, "value": c.pct.number, "scope": scope(c.scope),
        "numerator": _q(c.numerator, index), "denominator": _q(c.denominator, index),
        "numerator_key": c.numerator_key, "denominator_key": c.denominator_key, "comparison": c.comparison,
    } for c in rep.percents]
    ranks = [{"at": _pos(index, r.start), "rank": _q(r.rank, index), "of": _q(r.of, index)} for r in rep.ranks]
    lists = [{
        "at": _pos(index, lc.start), "count": _q(lc.count, index), "of": _q(lc.of, index), "item_count": len(lc.items),
        "items": [" ".join(rep.text[a:b].split()) for a, b in lc.items], "alternative_count": lc.alternative_count,
    } for lc in rep.lists]
    dates = [{"at": _pos(index, d.start), "raw": d.raw, "day": d.day, "month": d.month, "year": d.year} for d in rep.dates]
    references = [{
        "at": _pos(index, r.start), "type": r.doc_type, "number": r.number, "suffix": r.suffix, "issuer": r.issuer,
        "date": None if r.date is None else _pos(index, r.date.start),
    } for r in rep.references]
    return {"path": _rel(path), "encoding": decoded.encoding, "decimal_mark": rep.decimal_mark, "facts": facts,
            "percents": percents, "ranks": ranks, "lists": lists, "dates": dates, "references": references}


_CATALOG = None


def findings_record(path: Path) -> dict:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load_catalog()
    audit = audit_bytes(_rel(path), path.read_bytes(), _CATALOG, Selection(), "vi")
    rec = report_record(audit)
    for check in rec["checks"]:
        for k in _DROP_FROM_CHECK:
            check.pop(k, None)
        for r in check.get("related", []):
            for k in _DROP_FROM_RELATED:
                r.pop(k, None)
    return rec


def dump(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def golden_paths(example: Path) -> tuple[Path, Path]:
    return GOLDEN / f"{example.stem}.facts.json", GOLDEN / f"{example.stem}.findings.json"


def main() -> int:
    written = 0
    for ex in examples():
        facts_path, findings_path = golden_paths(ex)
        for target, record in ((facts_path, facts_record(ex)), (findings_path, findings_record(ex))):
            text = dump(record)
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                target.write_text(text, encoding="utf-8")
                print(f"{'updated' if old is not None else 'created'} {target.relative_to(ROOT)}")
                written += 1
    stale = {p for p in GOLDEN.glob("*.json")} - {p for ex in examples() for p in golden_paths(ex)}
    for p in sorted(stale):
        p.unlink()
        print(f"removed {p.relative_to(ROOT)} (no such example)")
    print(f"{written} golden file(s) written, {len(examples()) * 2} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
