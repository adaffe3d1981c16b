"""Many reports at once: files, folders and glob patterns, a reproducible sample, parallel workers.

Output order is the order of the inputs (sorted within a folder), whatever the number of workers.
"""
from __future__ import annotations

import glob
import os
import random
from collections.abc import Iterator
from pathlib import Path

from .check.catalog import Catalog
from .engine import Audit, Selection, audit_file
from .errors import InputError
from .facts import Report
from .source.read import DEFAULT_MAX_BYTES, REPORT_SUFFIXES



def collect(inputs: list[str], skipped: list[str] | None = None) -> tuple[list[str], list[Audit]]:
    """Paths to audit, and an Audit with a problem for every input that names nothing. A folder
    gives its reports and also its office files in formats that are not read (.doc, .xls, .xlsx,
    .odt, ...): read_source refuses each with its reason, so the run lists them as not read
    instead of passing over them in silence. A result this program wrote into a folder (`-o
    nop/ket-qua.txt`) is no report: it is left out of the folder's files and named in `skipped`."""
    from .source.read import REFUSED_SUFFIXES

    paths: list[str] = []
    missing: list[Audit] = []
    for item in inputs:
        p = Path(item)
        if item == "-" or p.is_file():
            paths.append(item)
        elif p.is_dir():
            found, ours = _not_ours(sorted(str(q) for q in p.rglob("*")
                                           if q.is_file() and q.suffix.lower() in REPORT_SUFFIXES + REFUSED_SUFFIXES), skipped)
            if not found and not ours:
                missing.append(Audit(item, None, [], [{"code": "IO001", "message": f"thư mục {item} không có tệp báo cáo (.txt, .md, .docx, .pdf)"}]))
            paths.extend(found)
        elif any(ch in item for ch in "*?["):
            found, ours = _not_ours(sorted(f for f in glob.glob(item, recursive=True) if Path(f).is_file()), skipped)
            if not found and not ours:
                missing.append(Audit(item, None, [], [{"code": "IO001", "message": f"không có tệp nào khớp mẫu {item}"}]))
            paths.extend(found)
        else:
            missing.append(Audit(item, None, [], [{"code": "IO001", "message": f"không có tệp {item}"}]))
    seen: set[str] = set()
    unique = [x for x in paths if not (x in seen or seen.add(x))]
    return unique, missing


def _not_ours(found: list[str], skipped: list[str] | None) -> tuple[list[str], list[str]]:
    """The files of a folder or pattern, without the results this tool wrote there (noted in `skipped`)."""
    from .output import written_by_us

    ours = [f for f in found if written_by_us(Path(f))]
    if skipped is not None:
        skipped.extend(ours)
    return [f for f in found if f not in ours], ours

def sample(paths: list[str], n: int | None, seed: int) -> list[str]:
    if n is None or n >= len(paths):
        return paths
    chosen = set(random.Random(seed).sample(range(len(paths)), n))
    return [p for i, p in enumerate(paths) if i in chosen]


def _one(args: tuple[str, Catalog, Selection, str, bool, bool, int]) -> Audit:
    path, catalog, selection, lang, summary_only, keep_facts, max_bytes = args
    try:
        audit = audit_file(path, catalog, selection, lang, max_bytes)
        if keep_facts and audit.report is not None:
            from .across.store import fact_rows  # only with --db: sqlite stays out of a plain run's start-up
            audit.fact_rows = fact_rows(audit.report)
        audit = _slim(audit)
    except InputError as exc:
        return Audit(path, None, [], [{"code": exc.code, "message": exc.message}])
    except Exception as exc:  # a fault of ours on one report must not stop the other reports
        return Audit(path, None, [], [{"code": "IO099", "message": f"lỗi nội bộ khi kiểm tra tệp này ({type(exc).__name__}: "
                                                             f"{' '.join(str(exc).split())[:200]}); xin báo cho nhóm phát triển"}])
    if summary_only:  # the summary needs the counts, not the checks nor the text
        audit.tally = audit.counts()
        audit.checks = []
        if audit.report is not None:
            audit.report.text = ""
    return audit


def _slim(audit: Audit) -> Audit:
    """Keep what the renderers print (text, header, checks); drop the extraction working set, so a
    batch's memory does not grow with every report's numbers and tables."""
    rep = audit.report
    if rep is not None:
        for name in ("quantities", "scopes", "facts", "breakdowns", "shares", "ranks", "lists", "clauses", "dates",
                     "periods", "references", "tables", "same_as"):
            setattr(rep, name, [])
        rep.tree = None
    return audit


def audit_many(paths: list[str], catalog: Catalog, selection: Selection, lang: str, jobs: int,
               progress=None, summary_only: bool = False, keep_facts: bool = False,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Audit]:
    """Audits in the order of `paths`, yielded as they are ready; `keep_facts` keeps the stated
    facts in compact form (for the --db store) when the extraction working set is dropped."""
    settings = (catalog, selection, lang, summary_only, keep_facts, max_bytes)
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield _one((p, *settings))
            if progress:
                progress()
        return
    yield from _parallel(paths, settings, min(jobs, len(paths)), progress)


# A parallel batch runs its own workers, one pipe each, rather than a ProcessPoolExecutor: stopping
# a pool half-way (Ctrl-C, a closed output) means killing workers that may be writing a result, and
# the pool's own threads then wait forever on the half-written message, so the command never exits.
# Here the main process alone reads the pipes, so a batch cut short ends its workers and is done.

def _worker(conn, settings) -> None:
    """Audit the paths the main process sends, one at a time, until it sends None or goes away.
    Ctrl-C is ignored: the terminal sends it to every process of the group, and the main process
    alone decides to stop (and stops the workers), so no worker prints a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        conn.send(_one((path, *settings)))


class _Workers:
    def __init__(self, settings, count: int):
        import multiprocessing

        self.ctx = multiprocessing.get_context()
        self.settings = settings
        self.slots = [self._start() for _ in range(count)]  # [process, connection, index of its path or None]

    def _start(self) -> list:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.settings), daemon=True)
        proc.start()
        child.close()
        return [proc, parent, None]

    def replace(self, slot: list) -> None:
        """A worker that died (killed, out of memory): its report is lost, the next one gets a new worker."""
        self._end(slot, now=True)
        slot[:] = self._start()

    @staticmethod
    def _end(slot: list, now: bool) -> None:
        proc, conn, _ = slot
        if not now:
            try:
                conn.send(None)
            except OSError:
                now = True
        conn.close()
        if now and proc.is_alive():
            proc.terminate()
        proc.join(timeout=1 if now else 5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=1)

    def close(self, now: bool) -> None:
        for slot in self.slots:
            self._end(slot, now)


def _parallel(paths: list[str], settings, jobs: int, progress) -> Iterator[Audit]:
    from multiprocessing.connection import wait

    workers = _Workers(settings, jobs)
    finished = False
    try:
        done: dict[int, Audit] = {}
        sent = out = 0
        window = jobs * 4  # results waiting for an earlier, slower report: memory stays flat

        def feed(slot: list) -> None:
            nonlocal sent
            if sent < len(paths) and sent - out < window:
                slot[1].send(paths[sent])
                slot[2] = sent
                sent += 1
        for slot in workers.slots:
            feed(slot)
        while out < len(paths):
            while out in done:
                yield done.pop(out)
                out += 1
                if progress:
                    progress()
                for slot in workers.slots:
                    if slot[2] is None:
                        feed(slot)
            busy = {slot[1]: slot for slot in workers.slots if slot[2] is not None}
            if not busy:
                continue
            for conn in wait(list(busy)):
                slot = busy[conn]
                i = slot[2]
                try:
                    done[i] = conn.recv()
                except (EOFError, OSError):
                    done[i] = Audit(paths[i], None, [], [{"code": "IO099", "message":
                                    "tiến trình kiểm tra tệp này dừng đột ngột (hết bộ nhớ?); xin báo cho nhóm phát triển"}])
                    workers.replace(slot)
                slot[2] = None
                feed(slot)
        finished = True
    finally:
        # Ctrl-C, a closed output, an error: end the workers now, not after the reports in hand
        workers.close(now=not finished)


def tallied(audit: Audit) -> Audit:
    """What the summary and the exit status need of an audit already written out: its header and
    counts, nothing that grows with the report (a batch of 10,000 keeps 10,000 of these)."""
    rep = audit.report
    report = Report(rep.path, "", rep.encoding, rep.decimal_mark, rep.header) if rep is not None else None
    return Audit(audit.path, report, [], audit.problems, audit.encoding, audit.counts(),
                 notes=audit.notes, figures=audit.figures, rules=audit.rules)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def summary_rows(audits: list[Audit]) -> list[dict]:
    """One row per report, worst first (unreadable, then most errors, then most warnings)."""
    rows = []
    for a in audits:
        c = a.counts()
        h = a.report.header if a.report else None
        rows.append({
            "path": a.path,
            "issuer": h.issuer if h else None,
            "level": h.level if h else None,
            "period": _short_period(h) if h else None,
            "checks": c["checks"], "passed": c["pass"], "errors": c["error"], "warnings": c["warning"],
            "info": c["info"], "undecided": c["skip"],
            "status": a.status, "verdict": a.verdict, "unchecked": a.unchecked,
            "problem": a.problems[0]["message"] if a.problems else None,
        })
    rows.sort(key=lambda r: (-r["status"], r["verdict"] != "unreadable", -r["errors"], -r["warnings"], r["path"]))
    return rows


def _short_period(h) -> str | None:
    if h.period_start and h.period_end:
        a, b = h.period_start, h.period_end
        return f"{a.day or '?'}/{a.month or '?'}/{a.year or '?'}–{b.day or '?'}/{b.month or '?'}/{b.year or '?'}"
    return " ".join(h.period_text.split()) if h.period_text else None
