"""The --db store: every audited report in one SQLite file (embedded, nothing to start).

A report is kept with its content hash, issuing body, level, period, extracted facts with their
spans, and findings. The same content audited with the same rules, lexicon, language and
selection is not audited again: its stored result is shown. Each report is written in one
transaction, so a batch killed half-way leaves whole reports only, and running it again adds
the rest.

Every submission is kept. When two files claim the same unit and period (a corrected resubmission,
or a period typed wrong), both stay in the store; the checks across reports and `history` use the
newer by the report's own date, then by the file's modification time, and say so (`submissions`).
A file audited again after it changed counts once, by its latest content.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

from .. import __version__
from ..check.catalog import Catalog
from ..errors import InputError
from ..facts import DateMention, Header, Report
from ..findings import Check, Related
from ..lexicon import default_lexicon
from ..source.normalize import fold
from ..positions import LineIndex
from ..resources import grammar_path

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  audited_at TEXT NOT NULL,
  issuer TEXT, unit TEXT, parent TEXT, level TEXT,
  period_start TEXT, period_end TEXT, period_text TEXT,
  communes INTEGER,
  encoding TEXT, decimal_mark TEXT,
  checks INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL, undecided INTEGER NOT NULL,
  text TEXT NOT NULL, header TEXT NOT NULL, result TEXT NOT NULL, places TEXT,
  report_date TEXT, file_mtime REAL, notes TEXT, figures INTEGER,
  UNIQUE(sha256, fingerprint));
CREATE INDEX IF NOT EXISTS reports_unit ON reports(unit, period_start, period_end);
CREATE INDEX IF NOT EXISTS reports_parent ON reports(parent, period_start, period_end);
CREATE TABLE IF NOT EXISTS facts(
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  key TEXT NOT NULL, scope TEXT NOT NULL, scope_label TEXT, value TEXT NOT NULL, raw TEXT,
  line INTEGER, col INTEGER, start INTEGER, end_ INTEGER, weak INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facts_report ON facts(report_id, scope, key);
CREATE TABLE IF NOT EXISTS findings(
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  code TEXT NOT NULL, rule TEXT, status TEXT NOT NULL, severity TEXT NOT NULL,
  line INTEGER, col INTEGER, start INTEGER, end_ INTEGER, message TEXT, quote TEXT);
CREATE INDEX IF NOT EXISTS findings_report ON findings(report_id);
"""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(catalog: Catalog, lang: str, selection) -> str:
    """What, besides the content, decides an audit's result: a change in any of it re-audits."""
    h = hashlib.sha256()
    h.update(f"{__version__}|{lang}|{sorted(selection.select)}|{sorted(selection.ignore)}|{sorted(selection.severity.items())}".encode())
    for rule in catalog.rules:
        h.update(rule.model_dump_json(exclude={"source", "line"}).encode())
    h.update(grammar_path("lexicon.yaml").read_bytes())
    return h.hexdigest()


def unit_key(issuer: str | None) -> str | None:
    """"UBND Huyện Vĩnh Khang" -> "huyen vinh khang": the same unit however its name is typed."""
    if not issuer:
        return None
    key = " ".join(fold(issuer).split())
    key = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", key)
    return key or None


def _iso(d: DateMention | None) -> str | None:
    if d is None or not (d.day and d.month and d.year):
        return None
    try:
        return date(d.year, d.month, d.day).isoformat()
    except ValueError:
        return None


def parent_of(text: str, own: str | None) -> str | None:
    """The district a commune report is addressed to, as a unit key."""
    for m in default_lexicon().parent_unit.finditer(fold(text)):
        key = " ".join(f"{m.group(1)} {m.group(2)}".split())
        if key != own:
            return key
    return None


def communes_named(text: str) -> int | None:
    counts = [int(n) for m in default_lexicon().commune_count.finditer(fold(text)) for n in m.groups() if n]
    return max(counts) if counts else None


def store_scope(scope) -> str:
    """The scope a cross-report check reads: "|" the reporting unit's own figures (the whole of a
    commune; the district's own level), "commune|" a district's communes taken together; any other
    scope by its id, kept but not compared across reports."""
    chain = scope.chain()
    if scope.kind in ("document", "own"):
        return "|"
    if scope.kind == "level" and all(s.kind in ("document", "own") for s in chain[:-1]):
        return f"{scope.name}|"
    return f"#{scope.id}"


def fact_rows(report: Report) -> list[tuple]:
    """The stated facts (not the derived ones) in a compact form a worker can send back."""
    return [(f.key, store_scope(f.scope), f.scope.display("vi"), str(f.q.value), report.text[f.q.start:f.q.end], f.q.start, f.q.end,
             int(not f.sure)) for f in report.facts if not f.derived_from and f.q.role != "zero"]


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise InputError("IO010", f"{self.path}: kho dữ liệu phiên bản {row[0]}, chương trình cần {SCHEMA_VERSION}")
            self._add_columns()
        except sqlite3.DatabaseError as exc:
            raise InputError("IO010", f"{self.path}: không mở được kho dữ liệu SQLite ({exc})") from None

    def _add_columns(self) -> None:
        """A store made before the report date, file time, unread notes and figure count were kept gets
        the columns (the report date read back from the stored header)."""
        have = {r[1] for r in self.db.execute("PRAGMA table_info(reports)")}
        added = [(n, t) for n, t in (("report_date", "TEXT"), ("file_mtime", "REAL"), ("notes", "TEXT"),
                                     ("figures", "INTEGER")) if n not in have]
        if not added:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for name, kind in added:
                self.db.execute(f"ALTER TABLE reports ADD COLUMN {name} {kind}")
            if any(n == "report_date" for n, _ in added):
                for rid, header in self.db.execute("SELECT id, header FROM reports").fetchall():
                    d = json.loads(header).get("date")
                    self.db.execute("UPDATE reports SET report_date=? WHERE id=?",
                                    (_iso(DateMention(**d)) if d else None, rid))
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    # --- one report -----------------------------------------------------------------------

    def find(self, sha: str, fp: str) -> int | None:
        row = self.db.execute("SELECT id FROM reports WHERE sha256=? AND fingerprint=?", (sha, fp)).fetchone()
        return row[0] if row else None

    def save(self, path: str, sha: str, fp: str, audit, facts: list[tuple], mtime: float | None = None) -> int:
        """Write one audited report, its facts and findings in one transaction."""
        from ..records import report_record  # it imports the engine; keep start-up light

        rep = audit.report
        h = rep.header
        unit = unit_key(h.issuer)
        counts = audit.counts()
        index = LineIndex(rep.text)
        record = report_record(audit)
        places = [asdict(p) for p in audit.places.line_places] if audit.places is not None else None
        notes = [{"kind": n.kind, "count": n.count, "places": [asdict(p) for p in n.places]} for n in audit.notes]
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("DELETE FROM reports WHERE sha256=? AND fingerprint=?", (sha, fp))
            cur.execute(
                "INSERT INTO reports(path, sha256, fingerprint, audited_at, issuer, unit, parent, level, period_start,"
                " period_end, period_text, communes, encoding, decimal_mark, checks, errors, warnings, undecided,"
                " text, header, result, places, report_date, file_mtime, notes, figures)"
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (path, sha, fp, datetime.now(timezone.utc).isoformat(timespec="seconds"), h.issuer, unit,
                 parent_of(rep.text, unit) if h.level == "commune" else None, h.level,
                 _iso(h.period_start), _iso(h.period_end), h.period_text,
                 communes_named(rep.text) if h.level == "district" else None,
                 audit.encoding, rep.decimal_mark, counts["checks"], counts["error"], counts["warning"], counts["skip"],
                 rep.text, json.dumps(asdict(h), ensure_ascii=False),
                 json.dumps([asdict(c) for c in audit.checks], ensure_ascii=False),
                 json.dumps(places) if places is not None else None,
                 _iso(h.date), mtime, json.dumps(notes, ensure_ascii=False) if notes else None, audit.figures))
            rid = cur.lastrowid
            cur.executemany(
                "INSERT INTO facts VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                [(rid, key, scope, label, value, raw, *index.line_col(start), start, end, weak)
                 for key, scope, label, value, raw, start, end, weak in facts])
            cur.executemany(
                "INSERT INTO findings VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                [(rid, r["code"], r["rule"], r["status"], r["severity"], r.get("line"), r.get("column"), c.start, c.end,
                  r["message"], r.get("quote")) for c, r in zip(audit.checks, record["checks"])])
            cur.execute("COMMIT")
        except BaseException:  # Ctrl-C included; a transaction already ended has nothing to undo
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return rid

    def load(self, rid: int, path: str):
        """A stored audit, as the renderers need it."""
        from ..engine import Audit
        from ..source.read import Note, Place, Places

        row = self.db.execute("SELECT text, header, result, encoding, decimal_mark, places, notes, figures FROM reports"
                              " WHERE id=?", (rid,)).fetchone()
        text, header, result, encoding, decimal_mark, places, notes, figures = row
        hd = json.loads(header)
        for name in ("date", "period_start", "period_end"):
            if hd.get(name):
                hd[name] = DateMention(**hd[name])
        if hd.get("number_span"):
            hd["number_span"] = tuple(hd["number_span"])
        report = Report(path, text, encoding, decimal_mark, Header(**hd))
        checks = []
        for c in json.loads(result):
            c["related"] = [Related(**r) for r in c["related"]]
            checks.append(Check(**c))
        line_places = Places([Place(**p) for p in json.loads(places)]) if places else None
        unread = tuple(Note(n["kind"], tuple(Place(**p) for p in n["places"]), n["count"]) for n in json.loads(notes or "[]"))
        if figures is None:  # stored before the count was kept: the stated facts tell
            figures = self.db.execute("SELECT COUNT(*) FROM facts WHERE report_id=?", (rid,)).fetchone()[0]
        return Audit(path, report, checks, [], encoding, None, line_places, notes=unread, figures=figures)

    # --- across reports -------------------------------------------------------------------

    def submissions(self) -> tuple[list[sqlite3.Row], list[tuple[sqlite3.Row, list[sqlite3.Row]]]]:
        """The report used for each unit and period, and every period claimed by more than one report
        as (the one used, the others). A file counts once, by its latest audit (a file audited again
        after it was corrected replaces its earlier content); the same content under two names counts
        once. Of two reports of one unit and period, the newer by the report's own date is used, then
        by the file's modification time, then the one audited last."""
        self.db.row_factory = sqlite3.Row
        try:
            rows = self.db.execute(
                "SELECT id, path, sha256, issuer, unit, parent, level, period_start, period_end, period_text, communes,"
                " report_date, file_mtime FROM reports WHERE unit IS NOT NULL ORDER BY id").fetchall()
        finally:
            self.db.row_factory = None
        by_path: dict[str, sqlite3.Row] = {}
        for r in rows:
            by_path[r["path"]] = r  # ordered by id: the last audit of a file wins
        by_content: dict[str, sqlite3.Row] = {}
        for r in sorted(by_path.values(), key=lambda r: r["id"]):
            by_content[r["sha256"]] = r
        groups: dict[tuple, list[sqlite3.Row]] = {}
        for r in by_content.values():
            key = (r["unit"], r["period_start"] or r["period_text"], r["period_end"] or "")
            groups.setdefault(key, []).append(r)
        chosen, twice = [], []
        for group in groups.values():
            group.sort(key=_newest, reverse=True)
            chosen.append(group[0])
            if len(group) > 1:
                twice.append((group[0], group[1:]))
        chosen.sort(key=lambda r: (r["unit"], r["period_start"] or "", r["id"]))
        return chosen, twice

    def latest(self) -> list[sqlite3.Row]:
        """The report used for each unit and period (see `submissions`)."""
        return self.submissions()[0]

    def facts_of(self, rid: int, scope: str) -> dict[str, tuple]:
        """The first sure statement of each key in a scope: (value, raw, line, column)."""
        out: dict[str, tuple] = {}
        for key, value, raw, line, col, weak in self.db.execute(
                "SELECT key, value, raw, line, col, weak FROM facts WHERE report_id=? AND scope=? ORDER BY weak, start",
                (rid, scope)):
            out.setdefault(key, (value, raw, line, col, weak))
        return out

    def units(self, query: str) -> list[str]:
        q = " ".join(fold(query).split())
        q = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", q)
        rows = self.db.execute("SELECT DISTINCT unit FROM reports WHERE unit IS NOT NULL ORDER BY unit").fetchall()
        exact = [u for (u,) in rows if u == q]
        return exact or [u for (u,) in rows if q in u]

    def periods(self, unit: str) -> list[tuple]:
        """The report used for each period of a unit, oldest period first: (id, path, issuer,
        period_start, period_end, period_text, errors, warnings, other paths claiming the period)."""
        chosen, twice = self.submissions()
        others = {used["id"]: [r["path"] for r in rest] for used, rest in twice}
        ids = [r["id"] for r in chosen if r["unit"] == unit]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT id, path, issuer, period_start, period_end, period_text, errors, warnings FROM reports"
            f" WHERE id IN ({marks}) ORDER BY period_start, period_text", ids).fetchall()
        return [(*r, others.get(r[0], [])) for r in rows]


def _newest(r) -> tuple:
    """How two submissions of one period are ordered: the report's date, the file's time, the audit."""
    return (r["report_date"] or "", r["file_mtime"] or 0.0, r["id"])


def why_chosen(used, other, lang: str) -> str:
    """Why `used` was taken over `other`, in words."""
    vi = lang == "vi"
    if (used["report_date"] or "") != (other["report_date"] or "") and used["report_date"]:
        d = lambda iso: "/".join(reversed(iso.split("-"))) if iso else ("không rõ" if vi else "unknown")
        return (f"ngày báo cáo {d(used['report_date'])}, sau {d(other['report_date'])}" if vi else
                f"report dated {d(used['report_date'])}, after {d(other['report_date'])}")
    if (used["file_mtime"] or 0) != (other["file_mtime"] or 0) and used["file_mtime"]:
        return ("cùng ngày báo cáo, tệp sửa sau" if vi else "same report date, file modified later")
    return ("cùng ngày báo cáo và thời điểm tệp, kiểm tra sau" if vi else "same report date and file time, audited later")
