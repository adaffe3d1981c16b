"""The --db store: reports kept with facts and findings, unchanged files not audited twice,
checks across reports (previous period, district against its communes), history, kill and resume."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parent.parent


def commune(name: str, start: str, end: str, carried: int, new: int, resolved: int, pending: int,
            district: str = "Vĩnh Khang") -> str:
    day, month, year = end.split("/")
    return f"""ỦY BAN NHÂN DÂN
XÃ {name.upper()}

Số: 15/BC-UBND
{name}, ngày 05 tháng {int(month) % 12 + 1} năm {year}

BÁO CÁO
Tình hình, kết quả giải quyết thủ tục hành chính
(Từ ngày {start} đến ngày {end})

Kính gửi: UBND huyện {district}.

1. Tổng số hồ sơ tiếp nhận: {carried + new} hồ sơ (kỳ trước chuyển sang: {carried} hồ sơ; tiếp nhận mới trong kỳ: {new} hồ sơ).
2. Số hồ sơ đã giải quyết: {resolved} hồ sơ. Số hồ sơ đang giải quyết: {pending} hồ sơ.
"""


def district(start: str, end: str, communes: int, received: int, resolved: int, pending: int) -> str:
    return f"""ỦY BAN NHÂN DÂN
HUYỆN VĨNH KHANG

Số: 207/BC-UBND
Vĩnh Khang, ngày 10 tháng 7 năm 2024

BÁO CÁO
Tình hình, kết quả giải quyết thủ tục hành chính
(Từ ngày {start} đến ngày {end})

1. Cấp huyện: tổng số hồ sơ tiếp nhận 50 hồ sơ; đã giải quyết 45 hồ sơ; đang giải quyết 5 hồ sơ.
2. Cấp xã: Bộ phận Một cửa của {communes} xã đã tiếp nhận {received} hồ sơ; đã giải quyết {resolved} hồ sơ; đang giải quyết {pending} hồ sơ.
"""


def run(capsys, *args) -> tuple[int, dict | str]:
    code = main([*map(str, args)])
    out = capsys.readouterr().out
    return code, (json.loads(out) if "--format" in args and "json" in args else out)


def across(doc: dict, code: str) -> list[dict]:
    return [c for c in doc.get("across", []) if c["code"] == code]


def test_carried_over_against_previous_pending(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("An Phú", "01/01/2024", "31/3/2024", 5, 115, 110, 10), encoding="utf-8")
    (tmp_path / "q2.txt").write_text(commune("An Phú", "01/4/2024", "30/6/2024", 9, 100, 100, 9), encoding="utf-8")
    code, doc = run(capsys, tmp_path, "--db", tmp_path / "kho.db", "--format", "json", "--jobs", "1")
    [check] = across(doc, "XR101")
    assert check["status"] == "fail" and check["severity"] == "error" and code == 1
    assert check["numbers"] == [9, 10]
    assert [Path(p["path"]).name for p in check["related"]] == ["q2.txt", "q1.txt"]
    assert [p["quote"] for p in check["related"]] == ["9", "10"] and [p["line"] for p in check["related"]] == [13, 14]
    # one finding type: a check across reports has the fields of a report's own checks, and no place of its own
    own = doc["reports"][0]["checks"][0]
    assert set(check) - {"arithmetic", "scope", "likely_culprit"} <= set(own) | {"related"}
    assert "line" not in check and all({"label", "path", "line", "column", "quote"} <= set(p) for p in check["related"])
    # mended: the same check passes, and only the changed file is audited again
    (tmp_path / "q2.txt").write_text(commune("An Phú", "01/4/2024", "30/6/2024", 10, 99, 100, 9), encoding="utf-8")
    code, out = run(capsys, tmp_path, "--db", tmp_path / "kho.db", "--jobs", "1")
    assert "1 báo cáo không đổi" in out and code == 0
    code, doc = run(capsys, tmp_path, "--db", tmp_path / "kho.db", "--format", "json")
    assert [c["status"] for c in across(doc, "XR101")] == ["pass"]


def test_a_gap_between_periods_is_not_compared(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("An Phú", "01/01/2024", "31/3/2024", 5, 115, 110, 10), encoding="utf-8")
    (tmp_path / "q3.txt").write_text(commune("An Phú", "01/7/2024", "30/9/2024", 3, 100, 100, 3), encoding="utf-8")
    _, doc = run(capsys, tmp_path, "--db", tmp_path / "kho.db", "--format", "json")
    assert across(doc, "XR101") == []


@pytest.mark.parametrize("stated, communes_in_text, communes_written, status", [
    (172, 2, 2, "pass"),     # 109 + 63 = 172
    (170, 2, 2, "fail"),     # the communes already add up to more than the district says
    (180, 2, 2, "fail"),     # every commune is in the store and the sum falls short
    (180, 3, 2, "skip"),     # one commune is missing from the store: a shortfall decides nothing
])
def test_district_against_its_communes(tmp_path, capsys, stated, communes_in_text, communes_written, status):
    (tmp_path / "an-phu.txt").write_text(commune("An Phú", "01/4/2024", "30/6/2024", 9, 100, 100, 9), encoding="utf-8")
    (tmp_path / "binh-an.txt").write_text(commune("Bình An", "01/4/2024", "30/6/2024", 3, 60, 60, 3), encoding="utf-8")
    (tmp_path / "other.txt").write_text(commune("Cát Lợi", "01/4/2024", "30/6/2024", 0, 7, 7, 0, district="Hòa Bình"), encoding="utf-8")
    (tmp_path / "huyen.txt").write_text(district("01/4/2024", "30/6/2024", communes_in_text, stated, 160, 12), encoding="utf-8")
    code, doc = run(capsys, tmp_path, "--db", tmp_path / "kho.db", "--format", "json", "--jobs", "1")
    received = [c for c in across(doc, "XR102") if "tiếp nhận" in c["message"]]
    assert [c["status"] for c in received] == [status]
    assert received[0]["numbers"] == [stated, 109, 63]  # the commune of another district is not summed
    names = {Path(p["path"]).name for p in received[0]["related"]}
    assert names == {"huyen.txt", "an-phu.txt", "binh-an.txt"}
    assert (code == 1) == (status == "fail")
    resolved = [c for c in across(doc, "XR102") if "đã giải quyết" in c["message"]]
    assert [c["status"] for c in resolved] == ["pass"]


def test_store_holds_facts_and_findings_and_repeats_the_same_output(tmp_path, capsys):
    src = ROOT / "examples" / "huyen-loi.txt"
    (tmp_path / "r.txt").write_bytes(src.read_bytes())
    db = tmp_path / "kho.db"
    code1, first = run(capsys, tmp_path / "r.txt", "--db", db, "--format", "json")
    code2, second = run(capsys, tmp_path / "r.txt", "--db", db, "--format", "json")
    assert code1 == code2 == 1
    assert first["reports"] == second["reports"]  # the second came from the store
    con = sqlite3.connect(db)
    (rid, checks, errors, unit, level, start, end), = con.execute(
        "SELECT id, checks, errors, unit, level, period_start, period_end FROM reports")
    assert (unit, level, start, end) == ("huyen vinh khang", "district", "2024-01-01", "2024-06-30")
    assert checks == len(first["reports"][0]["checks"]) == con.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    assert errors == first["reports"][0]["summary"]["error"]
    text = src.read_text(encoding="utf-8")
    facts = con.execute("SELECT key, raw, start, end_ FROM facts WHERE report_id=?", (rid,)).fetchall()
    assert len(facts) > 20
    assert all(text[s:e] == raw for _, raw, s, e in facts)  # every stored figure carries its span
    assert ("carried_over", "162") in {(k, r) for k, r, _, _ in facts}


def test_history_shows_periods_side_by_side(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("An Phú", "01/01/2024", "31/3/2024", 5, 115, 110, 10), encoding="utf-8")
    (tmp_path / "q2.txt").write_text(commune("An Phú", "01/4/2024", "30/6/2024", 10, 99, 100, 9), encoding="utf-8")
    db = tmp_path / "kho.db"
    run(capsys, tmp_path, "--db", db)
    assert main(["history", "xã an phu", "--db", str(db), "--format", "json"]) == 0
    [unit] = json.loads(capsys.readouterr().out)["history"]
    assert unit["unit"] == "xa an phu"
    assert [p["period_start"] for p in unit["periods"]] == ["2024-01-01", "2024-04-01"]
    assert [p["figures"]["pending"]["value"] for p in unit["periods"]] == ["10", "9"]
    assert main(["history", "An Phú", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "01/01/2024 → 31/03/2024" in out and "01/04/2024 → 30/06/2024" in out  # dates as written in Vietnam
    assert "2024-01-01" not in out
    assert main(["history", "Xã Không Có", "--db", str(db)]) == 2


def test_a_file_that_is_not_a_store_is_refused(tmp_path, capsys):
    bad = tmp_path / "kho.db"
    bad.write_text("không phải SQLite " * 100)
    assert main([str(ROOT / "examples" / "xa-sach.txt"), "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "kho.db" in err and "Traceback" not in err
    assert main(["history", "x", "--db", str(tmp_path / "none.db")]) == 2


def test_killed_batch_leaves_whole_reports_and_a_rerun_completes_it(tmp_path):
    base = (ROOT / "examples" / "huyen-loi.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    n = 120
    for i in range(n):
        (folder / f"r{i:03}.txt").write_text(base + f"\nGhi chú: bản số {i}.\n", encoding="utf-8")
    db = tmp_path / "kho.db"
    cmd = [sys.executable, "-c", "import sys; from auditor.cli import main; sys.exit(main())",
           str(folder), "--db", str(db), "--jobs", "1", "--summary-only"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    done = 0
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    done = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
            except sqlite3.OperationalError:
                pass
        if done >= 5:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        assert 5 <= stored < n, "the batch was not killed half-way: raise n"
        # whole reports only: every stored report has all its findings and facts
        for rid, checks in con.execute("SELECT id, checks FROM reports").fetchall():
            assert con.execute("SELECT COUNT(*) FROM findings WHERE report_id=?", (rid,)).fetchone()[0] == checks
            assert con.execute("SELECT COUNT(*) FROM facts WHERE report_id=?", (rid,)).fetchone()[0] > 0
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 1, rerun.stderr
    assert f"{stored} báo cáo không đổi" in " ".join(rerun.stdout.split())
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == n
        assert con.execute("SELECT COUNT(DISTINCT sha256) FROM reports").fetchone()[0] == n
