"""Command line: `tthc-audit FILE...`, `tthc-audit rules`, `tthc-audit rule CODE`, `tthc-audit facts FILE`.

Exit status: 0 no error-level finding, 1 at least one, 2 usage or input problems or nothing to
check, 130 stopped by Ctrl-C.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

INTERRUPTED = "tthc-audit: đã dừng theo yêu cầu (Ctrl-C)"

try:  # Ctrl-C while the libraries load (the first half second) is a clean stop too
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from . import __version__
    from .arguments import Parser, fail as _fail, positive_int, selection_of as _selection, whole_int
    from .check.catalog import Catalog, load_catalog
    from .config import find_config, load_config
    from .batch import audit_many, collect, default_jobs, sample, summary_rows, tallied
    from .engine import Audit, Selection, audit_bytes, report_rules
    from .errors import ConfigError, InputError
    from .output import TEXT_HEADER, atomic_writer, check_output, quiet_stdout, tolerant_streams, utf8_stdout
    from .render.json_out import json_chunks
    from .positions import LineIndex
    from .render.tabular import csv_check_chunks, csv_chunks, jsonl_chunks
    from .render.text import render_across, render_summary, render_text
    from .render.words import Sample
    from .source.read import DEFAULT_MAX_BYTES, UNPACK_ALLOWANCE_TEXT
except KeyboardInterrupt:
    sys.stderr.write(INTERRUPTED + "\n")
    raise SystemExit(130) from None

_SUBCOMMANDS = ("rules", "rule", "facts", "history", "serve")


class _Out(Console):
    """Standard output. A closed pipe (`| head`) is an ordinary BrokenPipeError for the caller to end
    the run with the status of what was printed (Rich's own handling exits with status 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


FORMATS = ("text", "json", "jsonl", "csv", "csv-checks", "sarif", "html")


def _parser(prog: str) -> argparse.ArgumentParser:
    p = Parser(
        prog=prog, version=f"tthc-audit {__version__}",
        usage=f"{prog} [tùy chọn] TỆP_HOẶC_THƯ_MỤC ...\n       {prog} {{rules,rule,facts,history,serve}} ...",
        description="Kiểm tra số liệu trong báo cáo thủ tục hành chính (TTHC): tổng, tỷ lệ, số nêu hai lần, "
                    "danh sách, phụ lục, ngày tháng.",
        epilog="lệnh khác (mỗi lệnh có --help riêng):\n"
               "  tthc-audit rules            danh mục luật\n"
               "  tthc-audit rule AR001       giải thích một luật, kèm ví dụ đúng và sai\n"
               "  tthc-audit facts TỆP        mọi số liệu đã trích, với khóa, phạm vi và dòng:cột\n"
               "  tthc-audit history ĐƠN_VỊ --db KHO   các kỳ báo cáo của một đơn vị, số liệu chính đặt cạnh nhau\n"
               "  tthc-audit serve            trang web trên máy này: kéo thả báo cáo, xem kết quả\n\n"
               "mã thoát: 0 không còn lỗi, 1 còn lỗi, 2 lỗi sử dụng, tệp không đọc được hoặc không có gì để kiểm tra, "
               "130 bị dừng (Ctrl-C)")
    p.add_argument("files", nargs="*", metavar="TỆP", help="tệp, thư mục (đệ quy) hoặc mẫu glob; '-' để đọc từ đầu vào chuẩn")
    p.add_argument("--format", choices=FORMATS, default="text", metavar="ĐỊNH_DẠNG",
                   help="định dạng kết quả: text (mặc định), json, jsonl, csv (mỗi tệp một dòng), csv-checks "
                        "(mỗi phép kiểm tra một dòng), sarif (cho công cụ rà soát), html (một trang tự chứa để gửi xã)")
    p.add_argument("--output", "-o", default=None, metavar="TỆP", help="ghi kết quả vào tệp này thay vì màn hình")
    p.add_argument("--summary-only", action="store_true", help="chỉ in bảng tổng hợp (nhiều báo cáo)")
    p.add_argument("--sample", type=positive_int, default=None, metavar="N", help="chỉ kiểm tra N báo cáo chọn ngẫu nhiên")
    p.add_argument("--seed", type=whole_int, default=0, metavar="SỐ",
                   help="hạt giống cho --sample (mặc định 0: cùng kết quả mỗi lần)")
    p.add_argument("--jobs", "-j", type=positive_int, default=None, metavar="N",
                   help="số tiến trình song song (mặc định: số lõi máy)")
    p.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, metavar="BYTE",
                   help=f"bỏ qua tệp lớn hơn cỡ này, báo là không đọc (mặc định 5 MB); tệp Word, PDF còn không được "
                        f"giải nén ra quá {UNPACK_ALLOWANCE_TEXT}")
    p.add_argument("--lang", choices=("vi", "en"), default=None, help="ngôn ngữ thông báo: vi (mặc định) hoặc en")
    p.add_argument("--rules", action="append", default=[], metavar="TỆP_HOẶC_THƯ_MỤC", help="thêm tệp/thư mục luật YAML")
    p.add_argument("--select", default=None, metavar="MÃ", help="chỉ chạy các luật có mã bắt đầu bằng (phân cách bằng dấu phẩy), ví dụ AR,PC001")
    p.add_argument("--ignore", default=None, metavar="MÃ", help="bỏ các luật có mã bắt đầu bằng (phân cách bằng dấu phẩy)")
    p.add_argument("--config", default=None, metavar="TỆP",
                   help="tệp cấu hình (mặc định: .tthc-audit.yaml tìm từ thư mục báo cáo lên)")
    p.add_argument("--show-passed", action="store_true", help="in cả các kiểm tra đã đạt")
    p.add_argument("--db", default=None, metavar="KHO",
                   help="lưu mọi báo cáo vào kho SQLite này; tệp không đổi không kiểm tra lại; đối chiếu giữa các báo cáo trong kho")
    return p


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    tolerant_streams()
    err = Console(stderr=True, highlight=False)
    try:
        if argv and argv[0] in _SUBCOMMANDS and not Path(argv[0]).is_file():
            return _subcommand(argv[0], argv[1:], err)
        return _audit(argv, err)
    except ConfigError as exc:
        return _fail(err, str(exc))
    except InputError as exc:
        return _fail(err, exc.message)
    except BrokenPipeError:  # `tthc-audit rules | head`: the reader has what it wanted
        quiet_stdout()
        return 0
    except KeyboardInterrupt:  # workers are stopped where the batch is closed (batch.audit_many)
        err.print(escape(INTERRUPTED + ("; các báo cáo đã lưu vào kho vẫn nguyên vẹn" if "--db" in argv else "")),
                  soft_wrap=True, highlight=False)
        return 130


def _audit(argv: list[str], err: Console) -> int:
    args = _parser("tthc-audit").parse_args(argv)
    if not args.files:
        return _fail(err, "cần ít nhất một tệp báo cáo (xem tthc-audit --help)")
    config_path = Path(args.config) if args.config else find_config(Path(args.files[0]) if args.files[0] != "-" else Path.cwd())
    config = load_config(config_path)
    lang = args.lang or config.lang or "vi"
    catalog = load_catalog(config.rules + [Path(r) for r in args.rules])
    selection = _selection(args, config)
    unknown = sorted(code for code in selection.severity if code not in catalog.by_code)
    if unknown:
        raise ConfigError(f"{config_path}: severity: không có luật {', '.join(unknown)} (xem: tthc-audit rules)")
    _unmatched(selection, catalog, err)
    out_path = check_output(args.output, args.files) if args.output else None
    skipped: list[str] = []
    paths, missing = collect(args.files, skipped)
    for p in skipped:
        err.print(f"[dim]tthc-audit: bỏ qua {escape(p)}: tệp kết quả do tthc-audit ghi, không phải báo cáo[/]", soft_wrap=True)
    if out_path is not None:  # a report found in a folder or by a glob is an input too
        for p in paths:
            if p != "-" and _same_path(Path(p), out_path):
                raise InputError("IO010", f"không ghi kết quả đè lên báo cáo đang kiểm tra: {args.output} là tệp đầu vào {p}")
    if len(args.files) == 1 and missing and not paths:
        return _fail(err, missing[0].problems[0]["message"])
    found = len(paths)
    paths = sample(paths, args.sample, args.seed)
    drawn = Sample(len(paths), found, args.seed) if args.sample is not None else None
    store = None
    if args.db:
        from .across.store import Store
        store = Store(args.db)
    runner = _run(paths, catalog, selection, lang, args, err, missing, store)
    stream: Iterator[Audit] = runner
    try:
        if len(paths) + len(missing) == 1 and args.format == "text":
            only = next(stream)
            if only.problems:
                return _fail(err, only.problems[0]["message"])
            stream = iter([only])
        return _emit(stream, args, lang, catalog, store, selection, err, drawn)
    finally:
        runner.close()  # a batch cut short (Ctrl-C, a closed pipe) stops its workers here
        if store is not None:
            store.close()


def _unmatched(selection: Selection, catalog: Catalog, err: Console) -> None:
    """A --select or --ignore prefix that names no rule is most likely a typo: say so (the run goes on,
    and a report on which no rule runs is reported as not checked)."""
    for option, prefixes in (("--select", selection.select), ("--ignore", selection.ignore)):
        for prefix in prefixes:
            if not any(r.code.startswith(prefix) for r in catalog.rules):
                err.print(f"[yellow]tthc-audit:[/] {option} {escape(prefix)}: không có luật nào có mã bắt đầu bằng "
                          f"{escape(prefix)} (xem: tthc-audit rules)", soft_wrap=True)


def _run(paths, catalog, selection, lang, args, err: Console, missing: list[Audit], store=None) -> Iterator[Audit]:
    """Audits in input order, produced one at a time so that memory does not grow with the batch."""
    if "-" in paths:
        paths = [p for p in paths if p != "-"]
        try:
            data = sys.stdin.buffer.read()
            if len(data) > args.max_bytes:
                raise InputError("IO005", f"đầu vào lớn hơn {args.max_bytes} byte (dùng --max-bytes để nâng giới hạn)")
            yield audit_bytes("<stdin>", data, catalog, selection, lang, args.max_bytes)
        except InputError as exc:
            yield Audit("<stdin>", None, [], [{"code": exc.code, "message": exc.message}])
    too_big = []
    for p in list(paths):
        size = Path(p).stat().st_size
        if size > args.max_bytes:
            paths.remove(p)
            too_big.append(Audit(p, None, [], [{"code": "IO005", "message": f"tệp {size} byte, lớn hơn giới hạn {args.max_bytes} (dùng --max-bytes để nâng)"}]))
    jobs = args.jobs or default_jobs()
    summary_only = args.summary_only and args.format == "text" and store is None
    if len(paths) > 1 and err.is_terminal:
        from rich.progress import Progress
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("Đang kiểm tra" if lang == "vi" else "Auditing", total=len(paths))
            yield from _stored(paths, store, lambda todo: audit_many(
                todo, catalog, selection, lang, jobs, progress=lambda: bar.advance(task), summary_only=summary_only,
                keep_facts=store is not None, max_bytes=args.max_bytes), catalog, selection, lang, advance=lambda: bar.advance(task))
    else:
        yield from _stored(paths, store, lambda todo: audit_many(
            todo, catalog, selection, lang, jobs, summary_only=summary_only, keep_facts=store is not None,
            max_bytes=args.max_bytes),
            catalog, selection, lang)
    yield from too_big
    yield from missing


def _stored(paths, store, audit, catalog, selection, lang, advance=None) -> Iterator[Audit]:
    """With a store: reports whose content was audited before under the same rules come from the
    store; the others are audited and each is saved, in its own transaction, as soon as it is done."""
    if store is None:
        yield from audit(paths)
        return
    from .across.store import content_hash, fingerprint

    fp = fingerprint(catalog, lang, selection)
    known: dict[str, int] = {}
    hashes: dict[str, str] = {}
    for p in paths:
        try:
            hashes[p] = content_hash(Path(p).read_bytes())
        except OSError:
            continue
        rid = store.find(hashes[p], fp)
        if rid is not None:
            known[p] = rid
    store.touched = set(hashes.values())
    store.reused = len(known)
    fresh = audit([p for p in paths if p not in known])
    rules = report_rules(catalog, selection)
    try:
        for p in paths:
            if p in known:
                if advance:
                    advance()
                a = store.load(known[p], p)
                a.rules = rules
                yield a
                continue
            a = next(fresh)
            if not a.problems and a.report is not None and p in hashes:
                store.save(p, hashes[p], fp, a, a.fact_rows or [], _mtime(p))
            yield a
    finally:
        fresh.close()


def _mtime(path: str) -> float | None:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return None


def _writer(fmt: str, catalog: Catalog, lang: str, across, drawn: Sample | None):
    if fmt == "sarif":
        from .render.sarif import sarif_chunks
        return lambda audits, seen: sarif_chunks(audits, seen, catalog, lang, across, drawn)
    if fmt == "html":
        from .render.html import html_chunks
        return lambda audits, seen: html_chunks(audits, seen, lang, across, drawn)
    chunks = {"json": json_chunks, "jsonl": jsonl_chunks, "csv": csv_chunks, "csv-checks": csv_check_chunks}[fmt]
    return lambda audits, seen: chunks(audits, seen, across, lang, drawn)


class _Tally:
    """What the exit status needs of the audits written so far: each one's tally, the checks across
    reports, and the audit being written (a broken pipe may cut it short: it was seen in part)."""

    def __init__(self):
        self.kept: list[Audit] = []
        self.found: list = []
        self.current: Audit | None = None

    def watch(self, audits: Iterator[Audit]) -> Iterator[Audit]:
        for audit in audits:
            self.current = audit
            yield audit

    def status(self) -> int:
        seen = self.kept + ([self.current] if self.current is not None else [])
        worst = max((a.status for a in seen), default=0)
        if any(c.status == "fail" and c.severity == "error" for c in self.found):
            worst = max(worst, 1)
        return worst


def _emit(audits: Iterator[Audit], args, lang: str, catalog: Catalog, store, selection, err: Console,
          drawn: Sample | None = None) -> int:
    """Write each audit as it comes, keep only its tally for the summary; return the exit status.
    In the machine formats an unreadable file is also named on stderr, for the person watching.
    Machine formats are UTF-8 whatever the terminal's encoding; a closed pipe (`| head`) ends the
    run quietly with the status of what was written."""
    tally = _Tally()
    text = args.format == "text"
    try:
        if args.output:
            with atomic_writer(Path(args.output), newline="" if not text else None) as out:
                if text:
                    out.write(TEXT_HEADER[lang].format(version=__version__) + "\n\n")
                _write_all(tally.watch(audits), out, args, lang, catalog, store, selection, err, tally, drawn)
        elif text:
            _write_all(tally.watch(audits), sys.stdout, args, lang, catalog, store, selection, err, tally, drawn)
        else:
            with utf8_stdout() as out:
                _write_all(tally.watch(audits), out, args, lang, catalog, store, selection, err, tally, drawn)
    except BrokenPipeError:
        quiet_stdout()
    return tally.status()


def _write_all(audits: Iterator[Audit], out, args, lang: str, catalog: Catalog, store, selection, err: Console,
               tally: _Tally, drawn: Sample | None) -> None:
    def across():
        if store is not None:
            from .across.checks import run_across
            tally.found.extend(run_across(store, catalog, selection, lang, getattr(store, "touched", None)))
        return tally.found
    if args.format == "text":
        console = Console(highlight=False, file=out, width=200) if args.output else _Out(highlight=False)
        for audit in audits:
            if not args.summary_only:
                render_text([audit], console, lang, show_passed=args.show_passed)
            tally.kept.append(tallied(audit))
        if args.summary_only or len(tally.kept) > 1 or drawn is not None:
            render_summary(summary_rows(tally.kept), console, lang, drawn)
        if store is not None:
            render_across(across(), console, lang, store, args.show_passed)
    else:
        writer = _writer(args.format, catalog, lang, across if store is not None else None, drawn)

        def seen(audit: Audit) -> None:
            tally.kept.append(tallied(audit))
            for problem in audit.problems:
                _fail(err, f"{audit.path}: {problem['message']}")
        for chunk in writer(audits, seen):
            out.write(chunk)


_ABOUT = {
    "rules": "Danh mục luật: mã, tên, loại kiểm tra, mức và nội dung của mọi luật (kể cả luật thêm bằng --rules).",
    "rule": "Giải thích một luật: nội dung, vì sao, công thức, ví dụ đúng và sai.",
    "facts": "Mọi số liệu chương trình đọc được trong một báo cáo: khóa, phạm vi, giá trị, dòng:cột; rồi các tỷ lệ, "
             "phép cộng, xếp hạng và danh sách mà văn bản nêu.",
    "history": "Các kỳ báo cáo của một đơn vị trong kho --db, số liệu chính đặt cạnh nhau (mỗi kỳ một cột).",
}


def _subcommand(name: str, rest: list[str], err: Console) -> int:
    if name == "serve":  # a local web page; its libraries are loaded only here
        from .serve import main as serve
        return serve(rest)
    p = Parser(prog=f"tthc-audit {name}", description=_ABOUT[name])
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ: vi (mặc định) hoặc en")
    p.add_argument("--rules", action="append", default=[], metavar="TỆP_HOẶC_THƯ_MỤC", help="thêm tệp/thư mục luật YAML")
    if name == "rule":
        p.add_argument("code", metavar="MÃ", help="mã luật, ví dụ AR001 (xem: tthc-audit rules)")
    if name == "facts":
        p.add_argument("file", metavar="TỆP", help="tệp báo cáo (.txt, .md, .docx, .pdf)")
    if name == "history":
        p.add_argument("unit", metavar="ĐƠN_VỊ", help="tên đơn vị, ví dụ \"xã Thạch Lâm\" (có dấu hay không đều được)")
        p.add_argument("--db", required=True, metavar="KHO", help="kho SQLite đã tạo bằng tthc-audit --db")
        p.add_argument("--format", choices=("text", "json"), default="text", help="text (mặc định) hoặc json")
    args = p.parse_args(rest)
    if name == "history":
        return _history(args, err)
    catalog = load_catalog([Path(r) for r in args.rules])
    out = _Out(highlight=False)
    if name == "rules":
        return _list_rules(catalog, out, args.lang)
    if name == "rule":
        return _explain(catalog, args.code.upper(), out, args.lang, err)
    return _facts(args.file, out, args.lang)


HISTORY_KEYS = ("carried_over", "received.new", "received", "received.online", "resolved", "resolved.late",
                "pending", "pending.overdue", "returned", "digitised.receipt", "digitised.result", "online_payment")


def _history(args, err: Console) -> int:
    """A unit's periods side by side: one column per period, one row per key figure."""
    import json

    from .across.store import Store

    if not Path(args.db).is_file():
        return _fail(err, f"không có kho {args.db} (tạo bằng: tthc-audit THƯ_MỤC --db {args.db})")
    store = Store(args.db)
    try:
        units = store.units(args.unit)
        if not units:
            return _fail(err, f"kho {args.db} không có báo cáo nào của đơn vị “{args.unit}”")
        catalog = load_catalog([Path(r) for r in args.rules])
        vi = args.lang == "vi"
        result = []
        for unit in units:
            periods = []
            for rid, path, issuer, start, end, text, errors, warnings, others in store.periods(unit):
                facts = store.facts_of(rid, "|")
                periods.append({"path": path, "issuer": issuer, "period_start": start, "period_end": end, "period": text,
                                "errors": errors, "warnings": warnings, "other_submissions": others,
                                "figures": {k: {"value": facts[k][0], "line": facts[k][2], "quote": facts[k][1]}
                                            for k in HISTORY_KEYS if k in facts}})
            result.append({"unit": unit, "periods": periods})
        if args.format == "json":
            print(json.dumps({"schema": 1, "history": result}, ensure_ascii=False, indent=2))
            return 0
        out = _Out(highlight=False)
        for item in result:
            ps = item["periods"]
            t = Table(title=f"{ps[-1]['issuer'] or item['unit']} — {len(ps)} {'kỳ báo cáo' if vi else 'periods'}")
            t.add_column("Số liệu" if vi else "Figure")
            for p in ps:
                head = f"{_dmy(p['period_start'])} → {_dmy(p['period_end'])}" if p["period_start"] else (" ".join((p["period"] or "?").split()))
                t.add_column(escape(head) + f"\n[dim]{escape(Path(p['path']).name)}[/]", justify="right")
            for key in HISTORY_KEYS:
                if any(key in p["figures"] for p in ps):
                    t.add_row(catalog.key_name(key, args.lang), *[escape(p["figures"][key]["quote"]) if key in p["figures"] else "—" for p in ps])
            t.add_row("[bold]" + ("Lỗi / cảnh báo" if vi else "Errors / warnings") + "[/]", *[f"{p['errors']} / {p['warnings']}" for p in ps])
            out.print(t)
            for p in ps:
                if p["other_submissions"]:
                    names = ", ".join(Path(o).name for o in p["other_submissions"])
                    out.print(f"[dim]{escape(Path(p['path']).name)}: " + escape(
                        f"kỳ này còn được nộp trong {names}; dùng bản mới hơn" if vi else
                        f"this period was also submitted in {names}; the newer is shown") + "[/]")
        return 0
    finally:
        store.close()


def _dmy(iso: str | None) -> str:
    """"2024-06-30" -> "30/06/2024", as dates are written in Vietnam."""
    if not iso:
        return "?"
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _list_rules(catalog: Catalog, out: Console, lang: str) -> int:
    t = Table(title="Danh mục luật" if lang == "vi" else "Rule catalog")
    for col in ("Mã", "Tên", "Loại", "Mức", "Nội dung") if lang == "vi" else ("Code", "Name", "Kind", "Severity", "What"):
        t.add_column(col)
    for r in catalog.rules:
        t.add_row(r.code, r.name, r.kind, r.severity, r.statement(lang))
    out.print(t)
    return 0


def _explain(catalog: Catalog, code: str, out: Console, lang: str, err: Console) -> int:
    rule = catalog.by_code.get(code)
    if rule is None:
        return _fail(err, f"không có luật {code} (xem: tthc-audit rules)")
    vi = lang == "vi"
    out.print(f"[bold]{rule.code}[/] {rule.name}  [dim]({rule.kind}, {rule.severity}; {rule.source}:{rule.line})[/]")
    out.print(escape(rule.statement(lang)))
    out.print(f"\n[bold]{'Vì sao' if vi else 'Why'}:[/] {escape(rule.why.get(lang))}")
    if getattr(rule, "total", None):
        out.print(f"\n[bold]{'Công thức' if vi else 'Formula'}:[/] {rule.total} = {rule.parts}"
                  + (f"  [dim]({'coi bằng 0 nếu không nêu' if vi else 'zero when not stated'}: {', '.join(rule.optional)})[/]" if rule.optional else ""))
    details = [(n, v) for n, v in rule.spec_lines() if n not in ("total", "parts", "optional")]
    if details:
        out.print("\n" + "\n".join(f"[dim]{escape(n)}:[/] {escape(v)}" for n, v in details))
    if rule.examples.fail:
        out.print(f"\n[bold red]{'Ví dụ sai' if vi else 'Failing example'}:[/]\n  {escape(rule.examples.fail)}")
    if rule.examples.pass_:
        out.print(f"\n[bold green]{'Ví dụ đúng' if vi else 'Passing example'}:[/]\n  {escape(rule.examples.pass_)}")
    return 0


def _facts(path: str, out: Console, lang: str) -> int:
    """Every figure extraction found, with its key, scope and place; then the relations the text
    states by its shape (shares, breakdowns, ranks, lists)."""
    from .extract import extract
    from .source.read import read_source

    p = Path(path)
    if not p.is_file():
        raise InputError("IO001", f"không có tệp {path}")
    source = read_source(path, p.read_bytes())
    report = extract(path, source.text, source.encoding)
    index = LineIndex(report.text)
    vi = lang == "vi"
    t = Table(title=f"{'Số liệu trích xuất' if vi else 'Extracted figures'}: {path}")
    for col in (("Vị trí", "Khóa", "Phạm vi", "Giá trị", "Văn bản") if vi else ("Where", "Key", "Scope", "Value", "Text")):
        t.add_column(col)

    def place(pos: int) -> str:
        line, col = index.line_col(pos)
        return f"{line}:{col}"

    def raw(q) -> str:
        return escape(" ".join(report.text[q.start:q.end].split()))

    for fa in report.facts:
        note = "" if fa.sure else f" [dim]({'chưa chắc' if vi else 'unsure'})[/]"
        t.add_row(place(fa.q.start), fa.key + note, escape(fa.scope.display(lang)), str(fa.q.number), raw(fa.q))
    for s in report.shares:
        base = ", ".join(f"{b.number} ({how})" for b, how in s.bases)
        what = f"{s.numerator.number}/{base}" if s.numerator is not None else ""
        t.add_row(place(s.pct.start), "%", escape(s.scope.display(lang)), str(s.pct.number), escape(what))
    for bd in report.breakdowns:
        parts = " + ".join("/".join(str(q.number) for q in p) for p in bd.parts)
        t.add_row(place(bd.start), f"= ({bd.how})", escape(bd.scope.display(lang)),
                  "/".join(str(q.number) for q in bd.total), escape(parts))
    for r in report.ranks:
        t.add_row(place(r.start), "rank", "", f"{r.rank.number}/{r.of.number}", "")
    for lc in report.lists:
        t.add_row(place(lc.start), "list", "", str(lc.count.number), f"{len(lc.items)} {'mục' if vi else 'items'}")
    out.print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
