"""Acceptance: 200 generated reports in every input format, through the real command, in every output format.

The corpus comes from bench/corpus.py (txt in UTF-8/UTF-16/Windows-1258, Word with real tables, PDF
with a Vietnamese TTF font, ~5 % broken files, about a third with one planted wrong figure). The
command runs as a subprocess over the folder with --jobs 2, once per output format, and the outputs
are held against each other and against the manifest of what was generated.

    pytest -s tests/test_acceptance.py     # -s shows the measured detection rates
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
COUNT = 200
SEED = 1
EXT = {"text": "txt", "json": "json", "jsonl": "jsonl", "csv": "csv", "csv-checks": "csv", "sarif": "sarif", "html": "html"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _load_corpus_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("tthc_bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus_mod = _load_corpus_module()


# ------------------------------------------------------------------ fixtures

@dataclass
class Corpus:
    folder: Path
    manifest: dict[str, dict]
    seconds: float

    def names(self, *, fmt: str | None = None, broken: bool | None = None, planted: bool | None = None) -> list[str]:
        return [n for n, e in self.manifest.items()
                if (fmt is None or e["format"] == fmt) and (broken is None or e["broken"] == broken)
                and (planted is None or e["planted"] == planted)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    folder = tmp_path_factory.mktemp("acceptance") / "bao-cao"
    t0 = time.perf_counter()
    manifest = corpus_mod.make_corpus(folder, COUNT, SEED)
    took = time.perf_counter() - t0
    shares = Counter(e["format"] + ("/broken" if e["broken"] else "") for e in manifest.values())
    print(f"\ncorpus: {len(manifest)} files in {took:.1f} s: {dict(sorted(shares.items()))}")
    return Corpus(folder, manifest, took)


@dataclass
class Run:
    fmt: str
    jobs: int
    code: int
    output: Path
    stderr: str
    seconds: float

    def text(self) -> str:
        assert "Traceback" not in self.stderr, f"--format {self.fmt} crashed:\n{self.stderr[-3000:]}"
        assert self.output.is_file() and self.output.stat().st_size, (
            f"--format {self.fmt} wrote nothing to {self.output} (exit {self.code}); stderr:\n{self.stderr[-2000:]}")
        return self.output.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cli(corpus, tmp_path_factory):
    """cli(fmt, jobs=2) -> Run; each (format, jobs) runs once per module, on first use."""
    out_dir = tmp_path_factory.mktemp("outputs")  # outside the audited folder
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    done: dict[tuple[str, int], Run] = {}

    def run(fmt: str, jobs: int = 2) -> Run:
        if (fmt, jobs) not in done:
            out = out_dir / f"audit-{fmt}-jobs{jobs}.{EXT[fmt]}"
            extra = ["--summary-only"] if fmt == "text" else []
            cmd = [sys.executable, "-m", "auditor.cli", str(corpus.folder), "--format", fmt, *extra,
                   "--jobs", str(jobs), "--output", str(out)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
            done[fmt, jobs] = Run(fmt, jobs, proc.returncode, out, proc.stderr, time.perf_counter() - t0)
            print(f"\n--format {fmt} --jobs {jobs}: exit {proc.returncode} in {done[fmt, jobs].seconds:.1f} s")
        return done[fmt, jobs]

    return run


@pytest.fixture(scope="module")
def reports(cli) -> dict[str, dict]:
    """The JSON reports by file name (the corpus folder is flat, names are unique)."""
    doc = json.loads(cli("json").text())
    assert doc["schema"] == 1
    by_name: dict[str, dict] = {}
    for rep in doc["reports"]:
        by_name.setdefault(Path(rep["path"]).name, []).append(rep)  # type: ignore[arg-type]
    return by_name  # name -> list of reports (more than one would be a duplicate)


def _one(reports: dict[str, list], name: str) -> dict:
    assert len(reports.get(name, [])) == 1, f"{name}: {len(reports.get(name, []))} reports in the JSON"
    return reports[name][0]


def _uri_name(uri: str) -> str:
    parts = urlsplit(uri)
    return Path(unquote(parts.path if parts.scheme in ("", "file") else uri)).name


# ------------------------------------------------------------------ the corpus itself

def test_corpus_has_the_stated_mix(corpus):
    m = corpus.manifest
    assert len(m) == COUNT
    on_disk = sorted(p.name for p in corpus.folder.iterdir())
    assert on_disk == sorted([*m, "manifest.json"])
    assert json.loads((corpus.folder / "manifest.json").read_text(encoding="utf-8")) == m
    broken = corpus.names(broken=True)
    assert len(broken) == round(COUNT * 0.05)
    assert {m[n]["damage"] for n in broken} == set(corpus_mod.BROKEN_KINDS)
    readable = [n for n in m if not m[n]["broken"]]
    by_format = Counter(m[n].get("wanted", m[n]["format"]) for n in readable)
    assert by_format["txt"] == round(COUNT * 0.45) and by_format["docx"] == round(COUNT * 0.30) and by_format["pdf"] == round(COUNT * 0.20)
    planted = corpus.names(broken=False, planted=True)
    assert 0.2 * len(readable) < len(planted) < 0.5 * len(readable)
    encodings = Counter(m[n].get("encoding") for n in corpus.names(fmt="txt", broken=False))
    assert {"utf-8", "utf-8-sig", "utf-16", "windows-1258"} <= set(encodings), encodings
    assert any(m[n].get("word_tables") for n in corpus.names(fmt="docx", broken=False))
    assert corpus.seconds < 30, f"generating {COUNT} reports took {corpus.seconds:.1f} s"


def test_corpus_is_reproducible(tmp_path):
    a = corpus_mod.make_corpus(tmp_path / "a", 25, 7)
    b = corpus_mod.make_corpus(tmp_path / "b", 25, 7)
    assert a == b
    for name in a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_windows_1258_round_trip():
    import unicodedata

    rng = __import__("random").Random(3)
    for _ in range(30):
        text, _info = corpus_mod._text(rng, False)
        data = corpus_mod.to_cp1258(text)
        assert unicodedata.normalize("NFC", data.decode("cp1258")) == unicodedata.normalize("NFC", text)


def test_generated_word_files_open_and_hold_tables(corpus):
    docx = pytest.importorskip("docx")
    names = corpus.names(fmt="docx", broken=False)
    assert names
    for name in names:
        doc = docx.Document(corpus.folder / name)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "ỦY BAN NHÂN DÂN" in text and "Lĩnh vực" in text, name  # words the OCR damage leaves alone
        if corpus.manifest[name]["word_tables"]:
            assert doc.tables, name
            head = [c.text for c in doc.tables[0].rows[0].cells]
            assert head[:2] == ["STT", "Lĩnh vực"] and len(head) == 11, (name, head)
        else:
            assert not doc.tables and "STT\tLĩnh vực" in text, name
    for name in corpus.names(fmt="docx", broken=True):
        with pytest.raises(Exception):
            docx.Document(corpus.folder / name)


def _pdf_page_texts(path: Path) -> list[str]:
    """Text of each page, read with pypdf if installed, else with pdfplumber (the auditor's own reader)."""
    try:
        import pypdf
    except ImportError:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_generated_pdfs_carry_vietnamese_text(corpus):
    names = corpus.names(fmt="pdf", broken=False)
    if not names:
        notes = {e.get("note") for e in corpus.manifest.values() if e.get("wanted") == "pdf"}
        pytest.skip(f"no PDF in the corpus: {notes}")
    for name in names:
        first = _pdf_page_texts(corpus.folder / name)[0]
        assert "ỦY BAN NHÂN DÂN" in first and "Lĩnh vực" in first, (name, first[:300])
        if not corpus.manifest[name]["ocr_damaged"]:
            assert "tiếp nhận" in first and "hồ sơ" in first and "trực tuyến" in first, (name, first[:300])
    for name in corpus.names(fmt="pdf", broken=True):
        path = corpus.folder / name
        if path.stat().st_size:
            assert "".join(_pdf_page_texts(path)).strip() == "", name


# ------------------------------------------------------------------ the command over the corpus

def test_exit_status_is_the_worst_for_every_format(cli, corpus):
    assert corpus.names(broken=True)
    for fmt in EXT:
        run = cli(fmt)
        run.text()  # the format exists and wrote something (an unknown --format also exits 2)
        assert run.code == 2, f"--format {fmt}: exit {run.code}, expected 2 (unreadable files present)"


def test_every_file_is_reported_exactly_once(reports, corpus):
    names = Counter({n: len(r) for n, r in reports.items()})
    assert "manifest.json" not in names, "manifest.json was audited as a report (only report formats should be collected)"
    missing = sorted(set(corpus.manifest) - set(names))
    extra = sorted(set(names) - set(corpus.manifest))
    twice = sorted(n for n, k in names.items() if k > 1)
    assert not missing and not extra and not twice, (
        f"missing {len(missing)} (formats {Counter(corpus.manifest[n]['format'] for n in missing)}): {missing[:5]}; "
        f"unexpected: {extra[:5]}; more than once: {twice[:5]}")


def test_broken_files_have_problems_and_readable_ones_have_none(reports, corpus):
    wrong = []
    for name, entry in corpus.manifest.items():
        rep = _one(reports, name)
        if entry["broken"]:
            ok = rep["problems"] and all(re.fullmatch(r"[A-Z]{2,}\d{3}", p.get("code") or "") and (p.get("message") or "").strip()
                                         for p in rep["problems"])
            if not ok:
                wrong.append((name, entry["damage"], rep["problems"]))
        elif rep["problems"] or not rep["summary"]["checks"] or rep.get("document") is None:
            wrong.append((name, entry["format"], rep["problems"] or f"{rep['summary']['checks']} checks"))
    assert not wrong, f"{len(wrong)} files read wrongly, e.g. {wrong[:6]}"


def test_text_encodings_are_detected(reports, corpus):
    wrong = [(n, corpus.manifest[n]["encoding"], _one(reports, n)["document"]["encoding"])
             for n in corpus.names(fmt="txt", broken=False)
             if _one(reports, n)["document"]["encoding"] != corpus.manifest[n]["encoding"]]
    assert not wrong, wrong[:6]


def test_tables_are_read_in_text_and_word(reports, corpus):
    """The appendix (tab rows in .txt, a real table in most .docx) yields table checks (TB…)."""
    without = [n for n in corpus.names(broken=False) if corpus.manifest[n]["format"] in ("txt", "docx")
               and not corpus.manifest[n]["ocr_damaged"]
               and not any(c["code"].startswith("TB") for c in _one(reports, n)["checks"])]
    pdfs = corpus.names(fmt="pdf", broken=False)
    with_tb = sum(any(c["code"].startswith("TB") for c in _one(reports, n)["checks"]) for n in pdfs)
    print(f"\nPDF reports whose appendix table was checked: {with_tb}/{len(pdfs)}")
    assert not without, f"{len(without)} reports without a table check: {without[:6]}"


def _json_summaries(reports) -> dict[str, dict]:
    return {n: r[0]["summary"] for n, r in reports.items()}


def test_jsonl_summaries_equal_json(cli, reports):
    lines = [json.loads(ln) for ln in cli("jsonl").text().splitlines() if ln.strip()]
    assert all(rec["schema"] == 1 for rec in lines)
    jsonl = Counter(Path(rec["path"]).name for rec in lines)
    assert jsonl == Counter({n: len(r) for n, r in reports.items()})
    got = {Path(rec["path"]).name: rec["summary"] for rec in lines}
    want = _json_summaries(reports)
    diff = [(n, want[n], got.get(n)) for n in want if got.get(n) != want[n]]
    assert not diff, diff[:5]


def test_csv_has_one_row_per_file_with_the_json_counts(cli, reports):
    run = cli("csv")
    run.text()  # it ran and wrote something
    data = run.output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")  # for Excel: BOM and CRLF
    text = data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert Counter(Path(r["path"]).name for r in rows) == Counter({n: len(r) for n, r in reports.items()})
    diff = []
    for row in rows:
        rep = reports[Path(row["path"]).name][0]
        if rep["problems"]:
            ok = row["verdict"] == "unreadable" and row["reason"] == "; ".join(p["message"] for p in rep["problems"])
        else:
            s = rep["summary"]
            ok = row["verdict"] == rep["verdict"] and [row[k] for k in ("checks", "passed", "failed", "errors", "warnings", "info", "undecided")] \
                == [str(s[k]) for k in ("checks", "pass", "fail", "error", "warning", "info", "skip")]
        if not ok:
            diff.append((row, rep["summary"], rep["problems"]))
    assert not diff, diff[:3]


def test_csv_checks_counts_equal_json(cli, reports):
    text = cli("csv-checks").text()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    got: dict[str, Counter] = {}
    problems: Counter = Counter()
    for row in rows:
        name = Path(row["path"]).name
        c = got.setdefault(name, Counter())
        if row["status"] == "problem":
            problems[name] += 1
            continue
        if row["status"] == "not_checked":  # the row of a file with no check (see test_honest.py)
            continue
        c["checks"] += 1
        c[row["status"]] += 1
        if row["status"] == "fail":
            c[row["severity"]] += 1
    keys = ("checks", "pass", "fail", "skip", "error", "warning", "info")
    diff = []
    for name, summary in _json_summaries(reports).items():
        c = got.get(name, Counter())
        if {k: c[k] for k in keys} != {k: summary[k] for k in keys}:
            diff.append((name, summary, dict(c)))
        if problems[name] != len(reports[name][0]["problems"]):
            diff.append((name, "problems", problems[name], reports[name][0]["problems"]))
    assert not diff, diff[:5]


def test_sarif_has_one_result_per_failing_check(cli, reports):
    log = json.loads(cli("sarif").text())
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    failing: dict[str, Counter] = {}
    for res in run["results"]:
        if res.get("kind", "fail") != "fail":  # SARIF: no kind means "fail"; pass/review results may be listed too
            continue
        loc = res["locations"][0]["physicalLocation"]
        start = loc["region"]["startLine"]
        assert isinstance(start, int) and start >= 1, res
        assert res["level"] in ("error", "warning", "note"), res
        failing.setdefault(_uri_name(loc["artifactLocation"]["uri"]), Counter())[res["ruleId"], start, res["level"]] += 1
    diff = []
    for name, reps in reports.items():
        want = Counter((c["code"], c["line"], SARIF_LEVEL[c["severity"]]) for c in reps[0]["checks"] if c["status"] == "fail")
        got = failing.pop(name, Counter())
        if got != want or sum(got.values()) != reps[0]["summary"]["fail"]:
            diff.append((name, reps[0]["summary"]["fail"], sum(got.values()), (want - got).most_common(2), (got - want).most_common(2)))
    assert not diff and not failing, (diff[:5], list(failing)[:5])


def test_sarif_uris_are_uri_references(cli):
    """SARIF 2.1.0 §3.10: artifactLocation.uri is an RFC 3986 URI reference; the corpus has file
    names with spaces and Vietnamese letters, which must be percent-encoded."""
    log = json.loads(cli("sarif").text())
    uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for res in log["runs"][0]["results"] if res.get("locations")}
    uris |= {a["location"]["uri"] for a in log["runs"][0].get("artifacts", [])}
    bad = sorted(u for u in uris if not re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", u))
    assert not bad, f"{len(bad)} URIs are not percent-encoded, e.g. {bad[:3]}"


def test_html_names_every_file(cli, corpus):
    page = html.unescape(cli("html").text())
    assert "<html" in page.lower()
    missing = [n for n in corpus.manifest if n not in page and unquote(n) not in page]
    assert not missing, f"{len(missing)} file names not in the HTML page: {missing[:5]}"


def _summary_footer(text: str) -> tuple[str, list[int]]:
    """The footer row of the Rich summary table: its first cell and the four totals
    (checks, errors, warnings, undecided) — the last four cells."""
    lines = text.rstrip("\n").splitlines()
    # the footer sits between the last ├…┤ rule and the bottom └…┘ border (one line unless wrapped)
    bottom = max(i for i, ln in enumerate(lines) if ln.lstrip().startswith(("└", "+", "╰")))
    rule = max(i for i, ln in enumerate(lines[:bottom]) if ln.lstrip().startswith(("├", "┡", "╞", "|-", "+-")))
    cells: list[str] = []
    for ln in lines[rule + 1:bottom]:
        parts = [p.strip() for p in re.split(r"[│┃|]", ln)[1:-1]]
        cells = parts if not cells else [(a + " " + b).strip() for a, b in zip(cells, parts)]
    return cells[0], [int(x) for x in cells[-4:]]


def test_summary_totals_equal_json_sums(cli, reports, corpus):
    first, (checks, errors, warnings, undecided) = _summary_footer(cli("text").text())
    summaries = [r[0]["summary"] for r in reports.values()]
    print(f"\nsummary footer: {first!r}: {checks} checks, {errors} errors, {warnings} warnings, {undecided} undecided")
    assert errors == sum(s["error"] for s in summaries)
    assert warnings == sum(s["warning"] for s in summaries)
    assert checks == sum(s["checks"] for s in summaries)
    assert undecided == sum(s["skip"] for s in summaries)
    # "190 báo cáo, 10 tệp không đọc được": the files not read are not counted among the reports
    m = re.fullmatch(r"(\d+) báo cáo(?: \((\d+) không có gì để kiểm tra\))?, (\d+) tệp không đọc được", first)
    broken = len(corpus.names(broken=True))
    assert m and (int(m.group(1)), int(m.group(3))) == (COUNT - broken, broken), first
    assert int(m.group(2) or 0) == sum(r[0].get("verdict") == "not_checked" for r in reports.values())


def test_json_is_the_same_with_one_or_two_workers(cli):
    assert cli("json", jobs=1).text() == cli("json", jobs=2).text()


def test_planted_errors_are_found_and_consistent_reports_pass(reports, corpus):
    """Detection measured by format. Thresholds:
    - planted: every one (100 %): each plant changes one figure that takes part in a stated sum, a
      stated rate or a table total, so at least one check must fail whatever the format;
    - consistent: the figures are consistent by construction (bench/run.py computes every total
      and rate from the parts), so any error-level finding is a false alarm. Plain text and Word
      reach the auditor losslessly: 100 % of their undamaged consistent reports must be free of
      errors. PDF layout recovery and OCR damage may legitimately cost a little: ≥ 95 % over all
      consistent reports (about one false alarm in 20)."""
    rows = []
    missed, false_alarms = [], []
    for fmt in ("txt", "docx", "pdf"):
        planted = corpus.names(fmt=fmt, broken=False, planted=True)
        clean = corpus.names(fmt=fmt, broken=False, planted=False)
        found = [n for n in planted if _one(reports, n)["summary"]["fail"] > 0]
        found_err = [n for n in planted if _one(reports, n)["summary"]["error"] > 0]
        quiet = [n for n in clean if _one(reports, n)["summary"]["error"] == 0]
        missed += [(n, corpus.manifest[n]["plant"]) for n in planted if n not in found]
        false_alarms += [(n, fmt, corpus.manifest[n]["ocr_damaged"],
                          [c["code"] for c in _one(reports, n)["checks"] if c["status"] == "fail" and c["severity"] == "error"][:4])
                         for n in clean if n not in quiet]
        rows.append(f"{fmt:5} planted found {len(found)}/{len(planted)} (with an error {len(found_err)}), "
                    f"consistent without error {len(quiet)}/{len(clean)}")
    # where the findings point, for text files (their line numbers are the generator's): a failing
    # check on the planted line, or comparing with it
    txt = corpus.names(fmt="txt", broken=False, planted=True)
    located = sum(any(c["status"] == "fail" and corpus.manifest[n]["plant"]["line"] in
                      [c.get("line"), *(r.get("line") for r in c.get("related", []))]
                      for c in _one(reports, n)["checks"]) for n in txt)
    rows.append(f"txt   planted with a failing check on or citing the planted line: {located}/{len(txt)}")
    warned = sum(_one(reports, n)["summary"]["warning"] > 0 for n in corpus.names(broken=False, planted=False))
    rows.append(f"all   consistent with a warning: {warned}/{len(corpus.names(broken=False, planted=False))}")
    print("\n" + "\n".join(rows))
    clean_all = corpus.names(broken=False, planted=False)
    strict = [f for f in false_alarms if f[1] in ("txt", "docx") and not f[2]]
    assert not missed, f"{len(missed)} planted errors not found: {missed[:5]}"
    assert located == len(txt), f"only {located}/{len(txt)} planted text errors have a failing check at their line"
    assert not strict, f"false alarms in consistent text/Word reports: {strict[:5]}"
    assert len(false_alarms) <= 0.05 * len(clean_all), f"{len(false_alarms)}/{len(clean_all)} false alarms: {false_alarms[:5]}"


def test_pdf_reports_are_read(reports, corpus):
    names = corpus.names(fmt="pdf", broken=False)
    if not names:
        notes = {e.get("note") for e in corpus.manifest.values() if e.get("wanted") == "pdf"}
        pytest.skip(f"no PDF in the corpus: {notes}")
    unread = [(n, _one(reports, n)["problems"]) for n in names if _one(reports, n)["problems"] or not _one(reports, n)["summary"]["checks"]]
    assert not unread, unread[:5]
