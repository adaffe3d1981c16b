"""Limits and hostile inputs (issue 5).

What this file protects:

* every run on a hostile report (random bytes, truncated UTF-8, UTF-16 without a byte-order mark,
  NUL bytes, one 1 MB line, 100,000 lines, 10,000-digit numbers, thousands of "trong đó",
  unbalanced parentheses, a 500-column table) ends with exit 0, 1 or 2 and a message, never a
  traceback, and within a time bound that a quadratic blow-up would break (until the fix a 1.3 MB
  one-line report took over 300 s; it now takes about 10 s);
* an internal fault is not passed off as an unreadable file (no IO099 problem on these inputs);
* the input-size limit: a file over --max-bytes (default 5,000,000) is refused with a one-line
  message that names the limit and the option, and --max-bytes lets the same file be audited;
* the auditor never writes next to its input, nor in the working directory, and never changes
  the input (bytes and modification time);
* the same input gives byte-identical JSON on every run, in-process and across processes with
  different hash seeds.

Each input is built in code, deterministically, and written to a fresh folder as bao-cao.txt.
Time bounds are about 4-5x what this machine measured (floor 5 s for small inputs, to absorb
start-up and a busy CI machine).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

DEFAULT_MAX_BYTES = 5_000_000

SENTENCE = ("Tổng số hồ sơ tiếp nhận trong kỳ là 1.234 hồ sơ, trong đó trực tuyến 1.000 hồ sơ; "
            "đã giải quyết đúng hạn đạt 98,5%.")
CLAUSE = "Tổng số hồ sơ tiếp nhận 1.234 hồ sơ, trong đó trực tuyến 1.000 hồ sơ; "
REPORT = (EXAMPLES / "xa-sach.txt").read_text(encoding="utf-8")  # a clean commune report of the project's own


# ---------------------------------------------------------------- inputs

def _random_bytes() -> bytes:
    return random.Random(0).randbytes(50_000)


def _cut_mid_char(text: str) -> bytes:
    """`text` in UTF-8, cut after the first byte of its last multi-byte character."""
    data = text.encode("utf-8")
    last = max(i for i, b in enumerate(data) if b >= 0xC0)  # lead byte of the last multi-byte character
    return data[: last + 1]


def _truncated_utf8_end() -> bytes:
    return (SENTENCE + "\n").encode("utf-8") * 200 + _cut_mid_char(SENTENCE)


def _truncated_utf8_repeated() -> bytes:
    # every line ends inside a character
    return (_cut_mid_char(SENTENCE) + b"\n") * 200


def _nul_bytes() -> bytes:
    return ("Tổng số hồ sơ tiếp nhận 120 hồ sơ\x00, trong đó trực tuyến 80\x00 hồ sơ.\n" * 50).encode("utf-8")


def _nul_bytes_late() -> bytes:
    # the NULs after the first 8 KB, where a sniff of the head does not see them
    head = REPORT * 20
    return (head + "Số hồ sơ đã giải quyết: 100\x00\x00 hồ sơ.\n" + REPORT).encode("utf-8")


def _one_mb_line() -> bytes:
    return (CLAUSE * (1_000_000 // len(CLAUSE) + 1)).encode("utf-8")  # >= 1,000,000 characters, no newline


def _hundred_thousand_lines() -> bytes:
    return "".join(f"- Xã {i}: {i % 97} hồ sơ\n" for i in range(100_000)).encode("utf-8")


def _huge_numbers() -> bytes:
    return ("Tổng số hồ sơ tiếp nhận: " + "9" * 10_000 + " hồ sơ, trong đó trực tuyến " + "1" * 10_000
            + " hồ sơ.\n").encode("utf-8")


def _many_trong_do() -> bytes:
    return ("Tổng số hồ sơ 100 hồ sơ, " + "trong đó 5 hồ sơ, " * 5000 + "\n").encode("utf-8")


_INSIDE = "Tổng số hồ sơ tiếp nhận 120 hồ sơ, trong đó trực tuyến 80 hồ sơ, trực tiếp 40 hồ sơ"


def _open_parens() -> bytes:
    return ("(" * 5000 + _INSIDE + ")" * 3000 + "\n").encode("utf-8")


def _close_parens() -> bytes:
    return (")" * 5000 + _INSIDE + "(" * 3000 + "\n").encode("utf-8")


def _wide_table() -> bytes:
    head = ["STT", "Lĩnh vực"] + [f"Chỉ tiêu {j}" for j in range(1, 499)]
    rows = ["\t".join(head)]
    for i in range(1, 31):
        rows.append("\t".join([str(i), f"Lĩnh vực {i}"] + [str((i * j) % 1000) for j in range(1, 499)]))
    return ("Bảng tổng hợp kết quả giải quyết hồ sơ\n" + "\n".join(rows) + "\n").encode("utf-8")


def _big_cheap() -> bytes:
    """Over 6 MB that costs little to audit: long lines of one word, no numbers. (6 MB of blank
    lines would take ~20 s: the cost is per line.)"""
    line = ("Báo cáo " + "a" * 1000 + "\n").encode("utf-8")
    return line * 6000  # 6,066,000 bytes


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], bytes]
    bound: float  # seconds for one in-process run
    expect: str = "any"  # "any": exit 0, 1 or 2; "audited": exit 0 or 1 with at least one check;
    # "utf-8": damaged UTF-8 still read as UTF-8; "consistent": a text whose figures agree, so no check may fail (repetition must not make parts of
    # one "trong đó" list out of the next clause's figures)


CASES = [
    Case("random-bytes", _random_bytes, 5),
    Case("truncated-utf8-at-end", _truncated_utf8_end, 5, "utf-8"),
    Case("truncated-utf8-every-line", _truncated_utf8_repeated, 5, "utf-8"),
    Case("utf16-le-without-bom", lambda: REPORT.encode("utf-16-le"), 5, "audited"),
    Case("utf16-be-without-bom", lambda: REPORT.encode("utf-16-be"), 5, "audited"),
    Case("nul-bytes", _nul_bytes, 5),
    Case("nul-bytes-after-8kb", _nul_bytes_late, 5),
    Case("one-1mb-line", _one_mb_line, 50, "consistent"),
    Case("100k-short-lines", _hundred_thousand_lines, 40),
    Case("10k-digit-numbers", _huge_numbers, 5),
    Case("5000-trong-do", _many_trong_do, 10, "consistent"),
    Case("5000-open-3000-close-parens", _open_parens, 5),
    Case("5000-close-3000-open-parens", _close_parens, 5),
    Case("tsv-500-columns", _wide_table, 5),
]


# ---------------------------------------------------------------- helpers

@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def _main(argv: list[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return Run(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def _snapshot(*folders: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the folders, with its bytes and modification time."""
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns)
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def place(tmp_path, monkeypatch):
    """Write `data` as <tmp>/in/bao-cao.txt and work from the empty <tmp>/cwd; return the input path."""
    inbox, cwd = tmp_path / "in", tmp_path / "cwd"
    inbox.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)

    def put(data: bytes) -> Path:
        path = inbox / "bao-cao.txt"
        path.write_bytes(data)
        return path
    return put


def _assert_untouched(path: Path, before: dict) -> None:
    after = _snapshot(path.parent, Path.cwd())
    assert sorted(after) == sorted(before), "the auditor wrote files next to its input or in the working directory"
    assert after == before, "the auditor changed its input"


def _assert_one_line(message: str) -> None:
    assert message.strip(), "empty message"
    assert "\n" not in message.strip(), f"message on more than one line: {message!r}"


def _assert_outcome(run: Run, path: Path) -> dict:
    """Exit 0, 1 or 2, no traceback, a schema-1 JSON document; a refusal (2) carries a one-line message, and so does a report read but not checked (2)."""
    assert run.code in (0, 1, 2), f"exit {run.code}"
    assert "Traceback" not in run.err, run.err[-2000:]
    assert "Traceback" not in run.out[:10_000]
    doc = json.loads(run.out)
    assert doc["schema"] == 1
    [report] = doc["reports"]
    assert report["path"] == str(path)
    for problem in report["problems"]:
        assert problem["code"] != "IO099", f"internal fault: {problem['message']}"
        assert problem["code"].startswith("IO")
        _assert_one_line(problem["message"])
    if run.code == 2 and not report["problems"]:
        # read, but nothing in it could be checked: said so in the document, never "no errors"
        assert report["verdict"] == "not_checked", "exit 2 without a problem or a not-checked verdict in the JSON"
        _assert_one_line(report["not_checked"]["message"])
        assert not report["checks"] or all(c["status"] == "skip" for c in report["checks"])
    elif run.code == 2:
        # with --format json the reason is in the document, and named on stderr for the person watching
        assert run.err.strip().splitlines() == [f"tthc-audit: {path}: {p['message']}" for p in report["problems"]]
    else:
        assert not report["problems"]
    return report


def _assert_text_refusal(path: Path, *extra: str) -> str:
    """The same input with the text format: exit 2 and one line on stderr, 'tthc-audit: …'."""
    run = _main(["--jobs", "1", *extra, str(path)])
    assert run.code == 2
    assert "Traceback" not in run.err
    _assert_one_line(run.err)
    assert run.err.startswith("tthc-audit:"), run.err
    return run.err


# ---------------------------------------------------------------- hostile inputs

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_ends_cleanly(case: Case, place):
    path = place(case.build())
    before = _snapshot(path.parent, Path.cwd())

    run = _main(["--jobs", "1", "--format", "json", str(path)])

    assert run.seconds < case.bound, f"{case.id}: {run.seconds:.1f} s (bound {case.bound} s)"
    report = _assert_outcome(run, path)
    if case.expect == "audited":
        assert run.code in (0, 1)
        assert report["checks"], "decoded but nothing was checked"
    if case.expect == "utf-8":  # broken bytes do not make the whole file Windows-1258 mojibake
        encoding = report["document"]["encoding"]
        assert encoding.startswith("utf-8 (") and report["checks"], encoding
    if case.expect == "consistent":
        failed = [c for c in report["checks"] if c["status"] == "fail"]
        assert not failed, f"{len(failed)} failing checks, first: {failed[:1]}"
        assert run.code == 0 or report["verdict"] == "not_checked"
    if run.code == 2 and report["problems"]:
        _assert_text_refusal(path)
    _assert_untouched(path, before)


# ---------------------------------------------------------------- size limit

def test_over_the_size_limit_is_refused_with_a_message(place):
    data = _big_cheap()
    assert len(data) > 6_000_000
    path = place(data)
    before = _snapshot(path.parent, Path.cwd())

    run = _main(["--jobs", "1", "--format", "json", str(path)])

    assert run.seconds < 5
    assert run.code == 2
    report = _assert_outcome(run, path)
    [problem] = report["problems"]
    assert problem["code"] == "IO005"
    assert str(DEFAULT_MAX_BYTES) in problem["message"] and "--max-bytes" in problem["message"]
    assert str(len(data)) in problem["message"]
    assert report["checks"] == []

    line = _assert_text_refusal(path)
    assert str(DEFAULT_MAX_BYTES) in line and "--max-bytes" in line
    _assert_untouched(path, before)


def test_max_bytes_raises_the_limit(place):
    path = place(_big_cheap())
    before = _snapshot(path.parent, Path.cwd())

    run = _main(["--jobs", "1", "--format", "json", "--max-bytes", "7000000", str(path)])

    assert run.seconds < 10, f"{run.seconds:.1f} s"
    report = _assert_outcome(run, path)
    # read, not refused: no problem; it has no figures, so the honest verdict is "not checked" (exit 2)
    assert not report["problems"]
    assert report["verdict"] == "not_checked" and run.code == 2
    assert report["document"]["encoding"] == "utf-8"
    _assert_untouched(path, before)


def test_a_limit_below_the_file_size_is_honoured(place):
    path = place(REPORT.encode("utf-8"))
    run = _main(["--jobs", "1", "--format", "json", "--max-bytes", "100", str(path)])
    assert run.code == 2
    [problem] = _assert_outcome(run, path)["problems"]
    assert problem["code"] == "IO005" and "100" in problem["message"]


# ---------------------------------------------------------------- determinism

def _hostile_mix() -> bytes:
    """A smaller hostile report with many checks, related figures and culprits: cheap to run four times."""
    return ((CLAUSE * 300) + "\n" + "Tổng số hồ sơ 100 hồ sơ, " + "trong đó 5 hồ sơ, " * 300 + "\n"
            + "(" * 200 + _INSIDE + ")" * 100 + "\n" + REPORT).encode("utf-8")


def _subprocess_json(path: Path, seed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "auditor.cli", "--jobs", "1", "--format", "json", str(path)],
                          capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize("source", ["examples/xa-loi.txt", "hostile-mix"])
def test_same_input_gives_byte_identical_json(source, place):
    if source == "hostile-mix":
        path = place(_hostile_mix())
    else:
        path = place((ROOT / source).read_bytes())
    before = _snapshot(path.parent, Path.cwd())

    first = _main(["--jobs", "1", "--format", "json", str(path)])
    second = _main(["--jobs", "1", "--format", "json", str(path)])
    report = _assert_outcome(first, path)
    assert report["checks"], "a determinism test on an empty result proves little"
    assert first.code == second.code
    assert first.out.encode("utf-8") == second.out.encode("utf-8")

    # across processes, where set and dict orders built on str hashes would differ
    runs = [_subprocess_json(path, seed) for seed in ("0", "4242")]
    for proc in runs:
        assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-2000:]
        assert proc.returncode == first.code
        assert proc.stdout == first.out.encode("utf-8")
    _assert_untouched(path, before)


# ---------------------------------------------------------------- the installed command

def _command() -> list[str]:
    exe = shutil.which("tthc-audit", path=str(Path(sys.executable).parent)) or shutil.which("tthc-audit")
    return [exe] if exe else [sys.executable, "-m", "auditor.cli"]


def test_installed_command_on_a_one_mb_line(place):
    path = place(_one_mb_line())
    before = _snapshot(path.parent, Path.cwd())

    proc = subprocess.run([*_command(), "--jobs", "1", "--format", "json", str(path)], capture_output=True,
                          timeout=60, env=dict(os.environ, PYTHONIOENCODING="utf-8"))

    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-2000:]
    assert proc.returncode in (0, 1, 2)
    doc = json.loads(proc.stdout)
    assert doc["schema"] == 1
    if proc.returncode == 2:
        assert doc["reports"][0]["problems"]
    _assert_untouched(path, before)


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(place):
    data = REPORT.encode("utf-8")
    path = place(data)
    run = _main(["--jobs", "1", "--format", "json", "--max-bytes", str(len(data)), str(path)])
    report = _assert_outcome(run, path)
    assert run.code in (0, 1) and not report["problems"] and report["checks"]
    run = _main(["--jobs", "1", "--format", "json", "--max-bytes", str(len(data) - 1), str(path)])
    assert run.code == 2
    [problem] = _assert_outcome(run, path)["problems"]
    assert problem["code"] == "IO005"


def test_standard_input_over_the_limit_is_refused(tmp_path):
    data = REPORT.encode("utf-8")
    cmd = [sys.executable, "-m", "auditor.cli", "--format", "json", "--max-bytes"]
    over = subprocess.run([*cmd, str(len(data) - 1), "-"], input=data, capture_output=True, timeout=60, cwd=tmp_path)
    assert over.returncode == 2, over.stderr
    assert b"Traceback" not in over.stderr
    [report] = json.loads(over.stdout)["reports"]
    assert [p["code"] for p in report["problems"]] == ["IO005"]
    exact = subprocess.run([*cmd, str(len(data)), "-"], input=data, capture_output=True, timeout=60, cwd=tmp_path)
    assert exact.returncode in (0, 1), exact.stderr
    assert json.loads(exact.stdout)["reports"][0]["checks"]
