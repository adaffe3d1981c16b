"""Golden files for the example reports (sqlfluff style): what extraction finds and what the audit says.

For every bundled example report (examples/*.txt, examples/kho/*.txt, examples/*.docx, examples/*.pdf)
this writes, beside this script, two YAML files named after the example's path under examples/
("xa-loi.txt", "kho/an-phu-q1.txt" -> "kho--an-phu-q1.txt"):

  <name>.facts.yaml     what extraction finds (auditor.extract over auditor.source.read.read_source):
                        the header; the scopes; every fact, one line each (line:col, key, the figure as
                        written, its value, scope name and kind, where its label was found, sure or not);
                        breakdowns (total, parts, shape, connector); shares with every base they may have
                        and how each was found; lists with their items; ranks; dates, periods, cited documents;
  <name>.findings.yaml  every check of the default audit in Vietnamese (failed first, then skipped, then
                        passed; each by position): code, status, severity, line:col, the quote, scope,
                        numbers, the full message, the arithmetic, the likely culprit and the places compared.

The explanation is pinned on purpose (issue 12): a wrong or English word in a message shows up in a diff.

Run `python tests/golden/regen.py` after an intended change (from anywhere); tests/test_golden.py compares.
Output is deterministic: no absolute paths, no timings, sorted by position, one fixed key order; every
file is valid YAML (values are JSON scalars, one fact or figure per line so a diff reads fact by fact).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parent.parent
EXAMPLES = ROOT / "examples"
PATTERNS = ("*.txt", "kho/*.txt", "*.docx", "*.pdf")
SUFFIXES = (".facts.yaml", ".findings.yaml")
STATUS_ORDER = {"fail": 0, "skip": 1, "pass": 2}

if str(ROOT) not in sys.path:  # runnable as a script from anywhere
    sys.path.insert(0, str(ROOT))

from auditor.check.catalog import load_catalog  # noqa: E402
from auditor.engine import Selection, audit_bytes  # noqa: E402
from auditor.extract import extract  # noqa: E402
from auditor.records import report_record  # noqa: E402
from auditor.positions import LineIndex  # noqa: E402
from auditor.source.read import read_source  # noqa: E402


def examples() -> list[Path]:
    return sorted({p for pattern in PATTERNS for p in EXAMPLES.glob(pattern)}, key=lambda p: _name(p))


def _name(example: Path) -> str:
    return example.relative_to(EXAMPLES).as_posix().replace("/", "--")


def _rel(path: Path) -> str:
    """The path the report is read under: relative to the project, the same on every machine."""
    return path.relative_to(ROOT).as_posix()


def golden_paths(example: Path) -> tuple[Path, Path]:
    return tuple(GOLDEN / f"{_name(example)}{suffix}" for suffix in SUFFIXES)


# --- facts ------------------------------------------------------------------------------------


def _raw(q) -> str:
    """The figure as written, on one line; a percentage with its sign."""
    raw = " ".join(q.raw.split())
    return raw + ("%" if q.percent and not raw.endswith("%") else "")


class _Facts:
    def __init__(self, rep):
        self.rep = rep
        self.index = LineIndex(rep.text)

    def pos(self, offset: int) -> str:
        line, col = self.index.line_col(offset)
        return f"{line}:{col}"

    def span(self, start: int, end: int) -> str:
        return f"{self.pos(start)}-{self.pos(max(start, end - 1))}"

    def words(self, start: int, end: int) -> str:
        return " ".join(self.rep.text[start:end].split())

    def q(self, q) -> str | None:
        """A figure as written, where it stands, and how it was read when that is not plainly: "2.869@35:28"."""
        if q is None:
            return None
        out = f"{_raw(q)}@{self.pos(q.start)}"
        notes = [n for n in (q.approx, "" if q.reading == "clean" else q.reading) if n]
        return out + (f" ({', '.join(notes)})" if notes else "")

    def item(self, item) -> str:
        return " / ".join(self.q(q) for q in item)

    def scope(self, s) -> str | None:
        return None if s is None else s.display("vi")

    def date(self, d) -> str | None:
        if d is None:
            return None
        return f"{d.day or '?'}/{d.month or '?'}/{d.year or '?'}@{self.pos(d.start)}"


def facts_record(path: Path) -> dict:
    source = read_source(_rel(path), path.read_bytes())
    rep = extract(_rel(path), source.text, source.encoding)
    f = _Facts(rep)
    h = rep.header
    header = {
        "issuer": h.issuer, "level": h.level, "number": h.number, "place": h.place, "date": f.date(h.date),
        "period": h.period_text, "period_start": f.date(h.period_start), "period_end": f.date(h.period_end),
    }
    scopes = [{
        "at": f.span(s.start, s.end), "name": s.display("vi"), "kind": s.kind, "label": s.label,
        "parent": f.scope(s.parent),
    } for s in sorted(rep.scopes, key=lambda s: (s.start, -s.end, s.display("vi"), s.kind))]
    facts = [{
        "at": f.pos(fa.q.start), "key": fa.key, "raw": _raw(fa.q), "value": fa.q.number,
        "scope": f.scope(fa.scope), "scope_kind": fa.scope.kind, "label_at": fa.label_at, "sure": fa.sure,
        **({"unit": fa.q.unit} if fa.q.unit not in (None, "dossiers") else {}),
        **({"approx": fa.q.approx} if fa.q.approx else {}),
        **({"reading": fa.q.reading} if fa.q.reading != "clean" else {}),
        **({"alternatives": list(fa.alternatives)} if fa.alternatives else {}),
        **({"undecided": True} if fa.undecided else {}),
        **({"derived_from": [f.q(p.q) for p in fa.derived_from]} if fa.derived_from else {}),
    } for fa in sorted(rep.facts, key=lambda fa: (fa.q.start, fa.q.end, fa.key, fa.scope.display("vi")))]
    breakdowns = [{
        "at": f.span(b.start, b.end), "how": b.how, "word": b.word, "complete": b.complete, "scope": f.scope(b.scope),
        "total": f.item(b.total), "parts": [f.item(p) for p in b.parts],
        **({"names": list(b.names)} if any(b.names) else {}),
        **({"signs": list(b.signs)} if b.signs and any(s != 1 for s in b.signs) else {}),
        **({"total_is_percent": True} if b.total_is_percent else {}),
        **({"gaps": True} if b.gaps else {}),
    } for b in sorted(rep.breakdowns, key=lambda b: (b.start, b.end, b.how, [q.start for q in b.total]))]
    shares = [{
        "at": f.pos(s.pct.start), "pct": f.q(s.pct), "scope": f.scope(s.scope), "via": s.via,
        "numerator": f.q(s.numerator), "numerator_key": s.numerator_key, "denominator": f.q(s.denominator),
        "base_keys": list(s.base_keys), "bases": [f"{f.q(b)} ({how})" for b, how in s.bases],
        **({"base_named": True} if s.base_named else {}),
        **({"comparison": True} if s.comparison else {}),
        **({"breakdown_total": f.item(s.breakdown_total)} if s.breakdown_total else {}),
    } for s in sorted(rep.shares, key=lambda s: (s.pct.start, s.pct.end))]
    lists = [{
        "at": f.span(lc.start, lc.end), "count": f.q(lc.count), "of": f.q(lc.of), "noun": lc.noun,
        "item_count": len(lc.items), "items": [f.words(a, b) for a, b in lc.items],
        **({"alternative_count": lc.alternative_count} if lc.alternative_count is not None else {}),
    } for lc in sorted(rep.lists, key=lambda lc: (lc.start, lc.end))]
    ranks = [{"at": f.pos(r.start), "rank": f.q(r.rank), "of": f.q(r.of)}
             for r in sorted(rep.ranks, key=lambda r: (r.start, r.end))]
    dates = [{"at": f.pos(d.start), "raw": d.raw, "date": f"{d.day or '?'}/{d.month or '?'}/{d.year or '?'}"}
             for d in sorted(rep.dates, key=lambda d: (d.start, d.end))]
    periods = [{"at": f.span(start, end), "from": f.date(a), "to": f.date(b)}
               for a, b, start, end in sorted(rep.periods, key=lambda p: (p[2], p[3]))]
    references = [{
        "at": f.pos(r.start), "type": r.doc_type, "number": r.number, "suffix": r.suffix, "issuer": r.issuer,
        "date": f.date(r.date),
    } for r in sorted(rep.references, key=lambda r: (r.start, r.end))]
    same_as = sorted(f"{f.scope(a)} = {f.scope(b)}" for a, b in rep.same_as)
    return {
        "path": _rel(path), "encoding": source.encoding, "decimal_mark": rep.decimal_mark, "header": header,
        "scopes": scopes, "facts": facts, "breakdowns": breakdowns, "shares": shares, "lists": lists,
        "ranks": ranks, "dates": dates, "periods": periods, "references": references, "same_as": same_as,
    }


# --- findings ---------------------------------------------------------------------------------

_CATALOG = None


def _where(place: dict | None) -> str:
    return "" if not place else " (" + ", ".join(f"{k} {v}" for k, v in place.items()) + ")"


def _check(rec: dict) -> dict:
    # the message right under the code, so that a diff of a message shows whose it is
    out = {"code": rec["code"], "status": rec["status"], "severity": rec["severity"], "message": rec["message"]}
    if rec.get("arithmetic"):
        out["arithmetic"] = rec["arithmetic"]
    out.update({
        "at": f"{rec['line']}:{rec['column']}-{rec['end_line']}:{rec['end_column']}" + _where(rec.get("where")),
        "quote": " ".join(rec["quote"].split()), "scope": rec.get("scope"), "numbers": rec["numbers"],
    })
    if rec.get("likely_culprit"):
        out["culprit"] = rec["likely_culprit"]
    if rec.get("related"):
        out["related"] = [f"{r['line']}:{r['column']}{_where(r.get('where'))} “{' '.join(r['quote'].split())}” — {r['label']}"
                          for r in rec["related"]]
    return out


def findings_record(path: Path) -> dict:
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load_catalog()
    audit = audit_bytes(_rel(path), path.read_bytes(), _CATALOG, Selection(), "vi")
    rec = report_record(audit)
    checks = sorted(rec["checks"], key=lambda c: (STATUS_ORDER[c["status"]], c["line"], c["column"], c["code"],
                                                  c["end_line"], c["end_column"], c["message"]))
    by_status = {status: [_check(c) for c in checks if c["status"] == status] for status in STATUS_ORDER}
    return {"path": rec["path"], "document": rec.get("document"), "summary": rec["summary"],
            "problems": rec["problems"], "failed": by_status["fail"], "skipped": by_status["skip"],
            "passed": by_status["pass"]}


# --- YAML out ---------------------------------------------------------------------------------
# A small emitter, so that the layout is ours and stable: block mappings and lists, scalars written as
# JSON (a JSON scalar is a YAML scalar); a fact, a scope, a share... is one flow mapping on one line.

_ONE_LINE = {"scopes", "facts", "shares", "breakdowns", "lists", "ranks", "dates", "periods", "references"}


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")
_NOT_PLAIN = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # YAML 1.1 would read these as values


def _scalar(v) -> str:
    """JSON, except an identifier ("received.new", "document", "AR001") is written plain."""
    if isinstance(v, str) and _PLAIN.fullmatch(v) and v.lower() not in _NOT_PLAIN:
        return v
    return json.dumps(v, ensure_ascii=False)


def _flow(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _block(v, indent: str, one_line: bool) -> list[str]:
    """Lines for a value that follows "key:" (or "- ") on its own lines."""
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            lines.extend(_entry(f"{indent}{k}:", x, indent, k in _ONE_LINE))
    elif isinstance(v, list):
        for x in v:
            if one_line or not isinstance(x, (dict, list)) or not x:
                lines.append(f"{indent}- {_flow(x)}")
            else:
                sub = _block(x, indent + "  ", False)
                lines.append(f"{indent}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
    return lines


def _entry(head: str, v, indent: str, one_line: bool) -> list[str]:
    if isinstance(v, dict) and v and not one_line:
        return [head, *_block(v, indent + "  ", False)]
    if isinstance(v, list) and v and any(isinstance(x, (dict, list, str)) for x in v):
        return [head, *_block(v, indent, one_line)]
    return [f"{head} {_flow(v)}"]


def dump(obj: dict) -> str:
    return "\n".join(_block(obj, "", False)) + "\n"


def main() -> int:
    written = 0
    exs = examples()
    for ex in exs:
        facts_path, findings_path = golden_paths(ex)
        for target, record in ((facts_path, facts_record(ex)), (findings_path, findings_record(ex))):
            text = dump(record)
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                target.write_text(text, encoding="utf-8", newline="\n")
                print(f"{'updated' if old is not None else 'created'} {target.relative_to(ROOT).as_posix()}")
                written += 1
    wanted = {p for ex in exs for p in golden_paths(ex)}
    stale = {p for suffix in SUFFIXES for p in GOLDEN.glob(f"*{suffix}")} | set(GOLDEN.glob("*.json"))
    for p in sorted(stale - wanted):
        p.unlink()
        print(f"removed {p.relative_to(ROOT).as_posix()} (no such example)")
    print(f"{written} golden file(s) written, {len(exs) * 2} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
