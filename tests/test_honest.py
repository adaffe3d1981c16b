"""Issue 13, "honest and safe with real users' files": each test is a command a user would type and
the output or file it must give. (Output never onto an input: test_output_safety.py; Word lists,
letterheads and refused formats: test_word_structure.py and test_sources.py.)"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.check.catalog import known_keys
from auditor.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTHING_VI = "Không tìm thấy số liệu nào để kiểm tra — tệp này có phải báo cáo TTHC?"
NOTHING_EN = "No figures found to check — is this file a TTHC report?"
NO_PROBLEM = ("Không phát hiện sai sót", "No problems found")


def cli(*args, cwd: Path | None = None, env: dict | None = None, module: str = "auditor") -> subprocess.CompletedProcess:
    """`python -m auditor ARGS` (the same as `tthc-audit ARGS`), output as bytes."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, timeout=300)


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


# ------------------------------------------------------------------ a. nothing to check

@pytest.fixture
def hello(tmp_path) -> Path:
    p = tmp_path / "xin-chao.txt"
    p.write_text("Xin chào\n", encoding="utf-8")
    return p


def test_a_text_without_figures_says_nothing_was_checked_and_exits_2(hello, capsys):
    assert main([str(hello)]) == 2
    out = capsys.readouterr().out
    assert NOTHING_VI in " ".join(out.split())
    assert not any(w in out for w in NO_PROBLEM)
    assert main(["--lang", "en", str(hello)]) == 2
    out = capsys.readouterr().out
    assert NOTHING_EN in " ".join(out.split()) and not any(w in out for w in NO_PROBLEM)


def test_prose_with_numbers_but_no_figures_is_not_a_clean_report(tmp_path, capsys):
    p = tmp_path / "thu.txt"
    p.write_text("Thư mời họp\nKính mời 3 đồng chí dự họp lúc 8 giờ, phòng 2.\n", encoding="utf-8")
    assert main([str(p)]) == 2
    assert NOTHING_VI in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("data", [b"x\x00\x01\x02", b"x\x01\x02\x03", b"\x01\x00\x02\x00a\x00b\x00"],
                         ids=["nul-one-side", "controls", "controls-utf16-layout"])
def test_a_tiny_or_control_heavy_file_is_binary_not_utf16(data, tmp_path, capsys):
    from auditor.source.decode import decode
    from auditor.errors import InputError

    with pytest.raises(InputError) as info:
        decode(data)
    assert info.value.code == "IO003"
    p = tmp_path / "la.txt"
    p.write_bytes(data)
    assert main([str(p)]) == 2
    out, err = capsys.readouterr()
    assert "nhị phân" in err and not any(w in out for w in NO_PROBLEM)


def test_utf16_without_a_byte_order_mark_is_still_read():
    from auditor.source.decode import decode

    assert decode("Số hồ sơ: 12".encode("utf-16-le")).encoding == "utf-16-le"
    assert decode("ab".encode("utf-16-be")).text == "ab"


def test_a_selection_of_no_rule_is_said_and_exits_2(capsys):
    assert main(["--select", "ZZ", str(EXAMPLES / "xa-sach.txt")]) == 2
    out, err = capsys.readouterr()
    assert "--select ZZ" in err and "không có luật nào" in err
    assert "Không có luật nào được chạy" in " ".join(out.split()) and not any(w in out for w in NO_PROBLEM)
    assert main(["--select", "AR", str(EXAMPLES / "xa-sach.txt")]) == 0  # a real prefix: checked, clean


def test_nothing_to_check_counts_as_not_checked_in_every_format(hello, tmp_path, capsys):
    clean = EXAMPLES / "xa-sach.txt"
    assert main(["--format", "json", str(hello), str(clean)]) == 2
    doc = _json(capsys)
    nothing, fine = doc["reports"]
    assert nothing["verdict"] == "not_checked" and nothing["not_checked"] == {"reason": "figures", "message": NOTHING_VI}
    assert fine["verdict"] == "ok" and "not_checked" not in fine

    assert main(["--format", "jsonl", "--lang", "en", str(hello)]) == 2
    assert json.loads(capsys.readouterr().out)["not_checked"]["message"] == NOTHING_EN

    assert main(["--format", "csv", str(hello), str(clean)]) == 2
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert [(Path(r["path"]).name, r["verdict"]) for r in rows] == [("xin-chao.txt", "not_checked"), ("xa-sach.txt", "ok")]
    assert rows[0]["checks"] == "0" and rows[0]["reason"] == NOTHING_VI

    assert main(["--format", "csv-checks", str(hello)]) == 2
    [row] = csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")))
    assert row["status"] == "not_checked" and row["message"] == NOTHING_VI

    assert main(["--format", "sarif", str(hello)]) == 2
    run = _json(capsys)["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["message"]["text"] == NOTHING_VI and run["results"] == []

    assert main(["--format", "html", str(hello), str(clean)]) == 2
    page = capsys.readouterr().out
    section = page[page.index('id="r1"'):page.index('id="r2"')]
    assert '<span class="tag skip">Không có gì để kiểm tra</span>' in section and NOTHING_VI in section
    assert 'class="tag ok"' not in section
    summary = page[page.index('id="summary"'):]
    row = re.search(r'<tr class="[^"]*v-not_checked[^"]*" data-report="r1">.*?</tr>', summary).group(0)
    assert '<span class="tag skip">Không có gì để kiểm tra</span>' in row
    assert "2 báo cáo: 1 không phát hiện lỗi, 1 không có gì để kiểm tra." in summary


def test_a_folder_with_a_non_report_exits_2_and_the_summary_says_why(hello, capsys):
    shutil.copy(EXAMPLES / "xa-sach.txt", hello.parent / "xa-sach.txt")
    result = hello.parent.parent / "tong-hop.txt"  # a wide page: no cell folds
    assert main(["--summary-only", str(hello.parent), "-o", str(result)]) == 2
    out = " ".join(result.read_text(encoding="utf-8").split())
    assert "2 báo cáo (1 không có gì để kiểm tra)" in out and "(không có gì để kiểm tra)" in out


# ------------------------------------------------------------------ b. what a Word file holds that is not read

def _word_with_a_picture(path: Path) -> Path:
    docx = pytest.importorskip("docx")
    from test_word_structure import png

    d = docx.Document()
    for line in (EXAMPLES / "xa-sach.txt").read_text(encoding="utf-8").split("\n"):
        d.add_paragraph(line)
    d.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    d.save(path)
    return path


def test_what_a_word_file_holds_unread_is_shown_in_text_json_html_and_csv(tmp_path, capsys):
    from auditor.source.read import read_source

    path = _word_with_a_picture(tmp_path / "bao-cao.docx")
    [note] = read_source(str(path), path.read_bytes()).notes
    said = note.message("vi")
    assert "hình ảnh" in said

    main([str(path)])
    out = " ".join(capsys.readouterr().out.split())
    assert "Nội dung trong tệp không được đọc" in out and said in out

    main(["--format", "json", str(path)])
    [rep] = _json(capsys)["reports"]
    assert rep["unread"] == [{"kind": "image", "count": 1, "message": said, "where": [p.as_dict() for p in note.places]}]

    main(["--format", "json", "--lang", "en", str(path)])
    assert _json(capsys)["reports"][0]["unread"][0]["message"] == note.message("en")

    main(["--format", "html", str(path)])
    page = capsys.readouterr().out
    block = re.search(r'<div class="unread" role="note">(.*?)</div>', page).group(1)
    assert "Nội dung trong tệp không được đọc" in block and said in block

    main(["--format", "csv", str(path)])
    [row] = csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")))
    assert row["unread"] == said


def test_unread_content_survives_the_store(tmp_path, capsys):
    path = _word_with_a_picture(tmp_path / "bao-cao.docx")
    db = tmp_path / "kho.db"
    main(["--format", "json", "--db", str(db), str(path)])
    first = _json(capsys)["reports"][0]
    main(["--format", "json", "--db", str(db), str(path)])  # from the store this time
    again = _json(capsys)["reports"][0]
    assert first["unread"] and again["unread"] == first["unread"] and again["verdict"] == first["verdict"]


# ------------------------------------------------------------------ c, d. the store: every format, every submission

def commune(start: str, end: str, carried: int, pending: int, day: int = 5, month: int = 7, number: int = 15) -> str:
    return f"""ỦY BAN NHÂN DÂN
XÃ AN PHÚ

Số: {number}/BC-UBND
An Phú, ngày {day:02d} tháng {month:02d} năm 2024

BÁO CÁO
Tình hình, kết quả giải quyết thủ tục hành chính
(Từ ngày {start} đến ngày {end})

Kính gửi: UBND huyện Vĩnh Khang.

1. Tổng số hồ sơ tiếp nhận: {carried + 100} hồ sơ (kỳ trước chuyển sang: {carried} hồ sơ; tiếp nhận mới trong kỳ: 100 hồ sơ).
2. Số hồ sơ đã giải quyết: {carried + 100 - pending} hồ sơ. Số hồ sơ đang giải quyết: {pending} hồ sơ.
"""


def test_html_with_a_store_shows_the_checks_across_reports(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("01/01/2024", "31/3/2024", 5, 10, month=4), encoding="utf-8")
    (tmp_path / "q2.txt").write_text(commune("01/4/2024", "30/6/2024", 9, 9), encoding="utf-8")
    db = tmp_path / "kho.db"
    assert main(["--format", "json", "--db", str(db), str(tmp_path)]) == 1
    across = _json(capsys)["across"]
    [xr] = [c for c in across if c["code"] == "XR101"]
    assert main(["--format", "html", "--db", str(db), str(tmp_path)]) == 1
    page = capsys.readouterr().out
    section = page[page.index('<section class="across card" id="across"'):]
    section = section[:section.index("</section>")]
    assert "Đối chiếu giữa các báo cáo trong kho" in section
    assert f"{len(across)} phép đối chiếu" in section
    row = re.search(r'<tr id="x\d+" class="error" data-code="XR101">.*?</tr>', section, re.S).group(0)
    import html as _html
    assert _html.escape(xr["message"], quote=False) in row
    assert 'href="#r2-L13"' in row and 'href="#r1-L14"' in row  # each report it compared, at its line
    assert main(["--format", "html", str(tmp_path)]) == 0 and 'id="across"' not in capsys.readouterr().out


def test_a_corrected_resubmission_is_kept_and_the_newer_is_used(tmp_path, capsys):
    """Two files claim the same period: the corrected one (dated later) sorts first by name."""
    (tmp_path / "q1.txt").write_text(commune("01/01/2024", "31/3/2024", 5, 10, month=4), encoding="utf-8")
    (tmp_path / "q2-ban-sua.txt").write_text(commune("01/4/2024", "30/6/2024", 10, 9, day=20, number=18), encoding="utf-8")
    (tmp_path / "q2.txt").write_text(commune("01/4/2024", "30/6/2024", 9, 9, day=5), encoding="utf-8")
    db = tmp_path / "kho.db"
    assert main(["--format", "json", "--db", str(db), str(tmp_path)]) == 0  # the wrong q2.txt is not compared
    across = _json(capsys)["across"]
    [carry] = [c for c in across if c["code"] == "XR101"]
    assert carry["status"] == "pass" and Path(carry["related"][0]["path"]).name == "q2-ban-sua.txt"
    [twice] = [c for c in across if c["code"] == "XR100"]
    assert twice["severity"] == "info" and "q2-ban-sua.txt" in twice["message"] and "q2.txt" in twice["message"]
    assert "20/07/2024" in twice["message"] and "05/07/2024" in twice["message"]  # chosen by the report's own date
    assert [Path(p["path"]).name for p in twice["related"]] == ["q2-ban-sua.txt", "q2.txt"]
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 3  # both submissions are kept
    main(["history", "An Phú", "--db", str(db)])
    out = " ".join(capsys.readouterr().out.split())
    assert "q2-ban-sua.txt" in out and "còn được nộp trong q2.txt" in out


def test_the_file_time_decides_between_two_reports_of_the_same_date(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("01/01/2024", "31/3/2024", 5, 10, month=4), encoding="utf-8")
    (tmp_path / "a.txt").write_text(commune("01/4/2024", "30/6/2024", 10, 9), encoding="utf-8")
    (tmp_path / "b.txt").write_text(commune("01/4/2024", "30/6/2024", 9, 9, number=16), encoding="utf-8")
    now = time.time()
    os.utime(tmp_path / "a.txt", (now, now))
    os.utime(tmp_path / "b.txt", (now - 3600, now - 3600))  # b.txt sorts last but was saved earlier
    assert main(["--format", "json", "--db", str(tmp_path / "kho.db"), str(tmp_path)]) == 0
    across = _json(capsys)["across"]
    [carry] = [c for c in across if c["code"] == "XR101"]
    assert Path(carry["related"][0]["path"]).name == "a.txt" and carry["status"] == "pass"
    [twice] = [c for c in across if c["code"] == "XR100"]
    assert "tệp sửa sau" in twice["message"]


def test_a_file_corrected_in_place_replaces_its_earlier_content(tmp_path, capsys):
    (tmp_path / "q1.txt").write_text(commune("01/01/2024", "31/3/2024", 5, 10, month=4), encoding="utf-8")
    (tmp_path / "q2.txt").write_text(commune("01/4/2024", "30/6/2024", 9, 9), encoding="utf-8")
    db = tmp_path / "kho.db"
    assert main(["--db", str(db), str(tmp_path)]) == 1
    capsys.readouterr()
    (tmp_path / "q2.txt").write_text(commune("01/4/2024", "30/6/2024", 10, 9), encoding="utf-8")
    assert main(["--format", "json", "--db", str(db), str(tmp_path)]) == 0
    across = _json(capsys)["across"]
    assert [c["status"] for c in across if c["code"] == "XR101"] == ["pass"]
    assert not [c for c in across if c["code"] == "XR100"]  # one file, not two submissions


# ------------------------------------------------------------------ e. no tracebacks

@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html", "sarif"])
def test_an_output_stream_that_is_not_utf8_never_crashes(fmt):
    proc = cli("--format", fmt, EXAMPLES / "xa-loi.txt", env={"PYTHONIOENCODING": "cp1252"})
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr[-2000:]
    if fmt != "text":  # the machine formats stay UTF-8 (the CSV says so with its byte-order mark)
        assert re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựđ]", proc.stdout.decode("utf-8"))
    else:  # the terminal's encoding, with what it cannot hold replaced
        assert "UBND X" in proc.stdout.decode("cp1252")
    proc = cli(EXAMPLES / "khong-co.txt", env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("name, status", [("xa-sach.txt", 0), ("xa-loi.txt", 1)])
def test_a_closed_pipe_ends_with_the_reports_own_status(name, status):
    """`tthc-audit bao-cao.txt --show-passed | head -3`: the reader stops early."""
    full = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["--show-passed"], ["--format", "json"], ["--format", "html"]):
        proc = subprocess.Popen([sys.executable, "-m", "auditor", *args, str(EXAMPLES / name)] * 1,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full)
        proc.stdout.read(200)
        proc.stdout.close()  # like `| head`: the rest cannot be written
        err = proc.stderr.read()
        assert proc.wait(timeout=120) == status, (args, err[-2000:])
        assert b"Traceback" not in err and b"Exception ignored" not in err and b"BrokenPipe" not in err


def test_a_closed_pipe_after_a_subcommand_is_quiet():
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0 and err == b""


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT as a terminal sends them")
@pytest.mark.parametrize("whom", ["group", "main"])
def test_ctrl_c_during_a_parallel_store_run_stops_cleanly(tmp_path, whom):
    """Ctrl-C in a terminal reaches every process of the group; `kill -INT` the main process alone."""
    folder = tmp_path / "nop"
    folder.mkdir()
    for i in range(40):
        for name in ("xa-loi", "huyen-loi", "huyen-bang"):
            text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8").replace("Số: ", f"Số: {i}", 1)
            (folder / f"{name}-{i:02d}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "kho.db"
    cmd = [sys.executable, "-m", "auditor", str(folder), "--jobs", "2", "--db", str(db), "--summary-only"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until reports are being saved
        time.sleep(0.3)
        try:
            if db.exists() and sqlite3.connect(db).execute("SELECT COUNT(*) FROM reports").fetchone()[0] >= 3:
                break
        except sqlite3.Error:
            pass
    t0 = time.time()
    if whom == "group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    took = time.time() - t0
    assert proc.returncode == 130, err.decode()[-2000:]
    assert took < 5, f"took {took:.1f} s to stop"
    text = err.decode()
    assert "Traceback" not in text and "cannot rollback" not in text
    assert [ln for ln in text.splitlines() if ln.strip()] == [
        "tthc-audit: đã dừng theo yêu cầu (Ctrl-C); các báo cáo đã lưu vào kho vẫn nguyên vẹn"]
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert left == [], "workers left running"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    assert 3 <= saved < 120
    assert con.execute("SELECT COUNT(*) FROM reports WHERE id NOT IN (SELECT report_id FROM findings)").fetchone()[0] == 0
    con.close()
    again = subprocess.run(cmd, capture_output=True, env=env, timeout=600)  # the run resumes where it stopped
    assert again.returncode == 1 and b"Traceback" not in again.stderr
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 120


# ------------------------------------------------------------------ f. CSV for Excel

def test_csv_is_for_excel_one_row_per_file_with_its_verdict(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    for name in ("xa-loi.txt", "xa-sach.txt", "huyen-loi.txt"):
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "rong.txt").write_bytes(b"")
    (folder / "xin-chao.txt").write_text("Xin chào\n", encoding="utf-8")
    out = tmp_path / "ket-qua.csv"
    proc = cli(folder, "--format", "csv", "-o", out)
    assert proc.returncode == 2
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads Vietnamese right
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in ln for ln in lines)  # every line ends CRLF
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    by = {Path(r["path"]).name: r for r in rows}
    assert sorted(by) == ["huyen-loi.txt", "rong.txt", "xa-loi.txt", "xa-sach.txt", "xin-chao.txt"]
    assert by["xa-loi.txt"]["issuer"] == "UBND Xã Phú Lạc" and by["xa-loi.txt"]["level"] == "commune"
    assert by["xa-loi.txt"]["verdict"] == "errors" and int(by["xa-loi.txt"]["errors"]) > 0
    assert by["xa-sach.txt"]["verdict"] == "ok" and by["xa-sach.txt"]["errors"] == "0"
    assert by["rong.txt"]["verdict"] == "unreadable" and by["rong.txt"]["reason"] and by["rong.txt"]["checks"] == ""
    assert by["xin-chao.txt"]["verdict"] == "not_checked" and by["xin-chao.txt"]["reason"] == NOTHING_VI
    doc = json.loads(cli(folder, "--format", "json").stdout)
    for rep in doc["reports"]:  # the same counts as the JSON
        row = by[Path(rep["path"]).name]
        if rep["problems"]:
            continue
        s = rep["summary"]
        assert [row[k] for k in ("checks", "passed", "errors", "warnings", "undecided")] == \
            [str(s[k]) for k in ("checks", "pass", "error", "warning", "skip")]


def test_csv_checks_is_one_row_per_check_and_every_file_has_a_row(tmp_path):
    (tmp_path / "rong.txt").write_bytes(b"")
    proc = cli("--format", "csv-checks", EXAMPLES / "xa-loi.txt", tmp_path / "rong.txt")
    assert proc.returncode == 2 and proc.stdout.startswith(b"\xef\xbb\xbf") and b"\r\n" in proc.stdout
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8-sig"), newline="")))
    doc = json.loads(cli("--format", "json", EXAMPLES / "xa-loi.txt").stdout)
    checks = doc["reports"][0]["checks"]
    mine = [r for r in rows if Path(r["path"]).name == "xa-loi.txt"]
    assert [(r["code"], r["status"], r["line"]) for r in mine] == [(c["code"], c["status"], str(c["line"])) for c in checks]
    assert [r["status"] for r in rows if Path(r["path"]).name == "rong.txt"] == ["problem"]


# ------------------------------------------------------------------ g. the same counts and words everywhere

def test_text_html_and_json_report_the_same_number_of_checks(capsys):
    path = str(EXAMPLES / "huyen-loi.txt")
    main(["--format", "json", path])
    s = _json(capsys)["reports"][0]["summary"]
    main([path])
    text = " ".join(capsys.readouterr().out.split())
    assert (f"Đã kiểm tra: {s['checks']} — {s['pass']} đạt, {s['fail']} không đạt ({s['error']} lỗi, "
            f"{s['warning']} cảnh báo, {s['info']} lưu ý), {s['skip']} không kết luận được") in text
    main(["--format", "html", path])
    page = capsys.readouterr().out
    assert f"{s['checks']} phép kiểm tra: {s['pass']} đạt" in page
    assert f'<td class="n made">{s["checks"]}</td>' in page
    assert "không kiểm tra được" not in page.split("<main")[0]  # the legend: one word for undecided


def test_files_not_read_are_not_counted_among_the_reports(tmp_path, capsys):
    for name in ("xa-loi.txt", "xa-sach.txt"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    for i in range(3):
        (tmp_path / f"rong-{i}.txt").write_bytes(b"")
    result = tmp_path.parent / f"{tmp_path.name}-tong-hop.txt"
    main(["--summary-only", str(tmp_path), "-o", str(result)])
    out = " ".join(result.read_text(encoding="utf-8").split())
    assert "2 báo cáo, 3 tệp không đọc được" in out and "5 báo cáo" not in out
    main(["--summary-only", "--lang", "en", str(tmp_path), "-o", str(result)])
    assert "2 reports, 3 files unreadable" in " ".join(result.read_text(encoding="utf-8").split())
    main(["--format", "html", str(tmp_path)])
    page = capsys.readouterr().out
    assert "2 báo cáo: 1 có lỗi, 1 không phát hiện lỗi; 3 tệp không đọc được." in page


def test_a_sample_is_named_in_the_summary_the_page_and_the_json(tmp_path, capsys):
    for name in ("xa-loi.txt", "xa-sach.txt", "huyen-loi.txt", "huyen-sach.txt"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    result = tmp_path.parent / f"{tmp_path.name}-tong-hop.txt"
    main(["--summary-only", "--sample", "2", "--seed", "3", str(tmp_path), "-o", str(result)])
    assert "mẫu ngẫu nhiên 2 trong 4 tệp (--sample 2 --seed 3)" in " ".join(result.read_text(encoding="utf-8").split())
    main(["--format", "html", "--sample", "2", "--seed", "3", str(tmp_path)])
    assert "Mẫu ngẫu nhiên 2 trong 4 tệp (--sample 2 --seed 3)." in capsys.readouterr().out
    main(["--format", "json", "--sample", "2", "--seed", "3", str(tmp_path)])
    doc = _json(capsys)
    assert doc["sample"] == {"n": 2, "of": 4, "seed": 3} and len(doc["reports"]) == 2
    main(["--format", "json", str(tmp_path)])
    assert "sample" not in _json(capsys)


# ------------------------------------------------------------------ h. messages, help, options

def _messages(lang: str) -> list[str]:
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        doc = json.loads(cli("--format", "json", "--lang", lang, path).stdout)
        out += [c["message"] for r in doc["reports"] for c in r["checks"]]
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_messages_are_in_sentence_case_and_leak_no_internal_key(lang):
    keys = sorted((k for k in known_keys() if "." in k or "_" in k), key=len, reverse=True)
    messages = _messages(lang)
    assert messages
    for m in messages:
        assert m[:1] == m[:1].upper(), m
        after_stop = re.findall(r"[.!?] +[“\"(]?(\w)", m)
        assert all(ch == ch.upper() for ch in after_stop), m
        leaked = [k for k in keys if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w])", m)]
        assert not leaked, (leaked, m)


def test_english_translates_scopes_and_levels(capsys):
    main(["--format", "json", "--lang", "en", str(EXAMPLES / "xa-loi.txt")])
    scopes = {c.get("scope") for c in _json(capsys)["reports"][0]["checks"]}
    assert "reporting unit" in scopes and "đơn vị báo cáo" not in scopes
    main(["--lang", "en", str(EXAMPLES / "xa-loi.txt")])
    out = capsys.readouterr().out
    assert "(commune level)" in out and "Level commune" not in out and "cấp xã" not in out
    main(["--format", "html", "--lang", "en", str(EXAMPLES / "xa-loi.txt")])
    page = capsys.readouterr().out
    assert "(commune level)" in page and "cấp xã" not in page
    main([str(EXAMPLES / "xa-loi.txt")])
    assert "(cấp xã)" in capsys.readouterr().out


def test_help_is_vietnamese_with_a_description_for_every_subcommand():
    proc = cli("--help")
    text = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and text.startswith("cách dùng: ")
    for word in ("usage:", "options:", "positional arguments", "show this help", "show program"):
        assert word not in text
    assert "tùy chọn:" in text and "in hướng dẫn này rồi thoát" in text and "csv-checks" in text
    for sub in ("rules", "rule", "facts", "history", "serve"):
        proc = cli(sub, "--help")
        text = proc.stdout.decode("utf-8")
        assert proc.returncode == 0 and text.startswith(f"cách dùng: tthc-audit {sub}"), text
        assert "usage:" not in text and "options:" not in text and "show this help" not in text
        description = text.split("\n\n")[1]
        assert len(description) > 30 and re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", description)


def test_python_dash_m_auditor_is_the_command():
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("tthc-audit ")
    assert cli(EXAMPLES / "xa-sach.txt").returncode == 0
    assert cli(EXAMPLES / "xa-loi.txt").returncode == 1


@pytest.mark.parametrize("args", [["--max-bytes", "-1"], ["--max-bytes", "0"], ["--max-bytes", "5MB"], ["--jobs", "0"],
                                  ["--sample", "0"], ["--sample", "-2"], ["--seed", "x"]])
def test_invalid_option_values_are_refused_on_one_line(args):
    proc = cli(*args, EXAMPLES / "xa-sach.txt")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and proc.stdout == b""
    [line] = err.strip().splitlines()
    assert line.startswith(f"tthc-audit: tham số {args[0]}") and "Traceback" not in err


@pytest.mark.parametrize("fmt, name", [("text", "ket-qua.txt"), ("json", "ket-qua.txt"), ("jsonl", "ket-qua.md"),
                                       ("csv", "ket-qua.txt"), ("csv-checks", "ket-qua.md"), ("sarif", "ket-qua.txt"),
                                       ("html", "ket-qua.md")])
def test_a_result_written_into_the_folder_is_not_audited_next_time(tmp_path, fmt, name):
    folder = tmp_path / "nop"
    folder.mkdir()
    shutil.copy(EXAMPLES / "xa-sach.txt", folder / "xa-sach.txt")
    assert cli(folder, "--format", fmt, "-o", folder / name).returncode == 0
    proc = cli(folder, "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert [Path(r["path"]).name for r in json.loads(proc.stdout)["reports"]] == ["xa-sach.txt"]
    assert f"bỏ qua {folder / name}" in " ".join(proc.stderr.decode().split())
    # a shell redirect writes no header line: the text result is still known by its first line
    (folder / "redirect.txt").write_bytes(cli(folder / "xa-sach.txt").stdout)
    proc = cli(folder, "--format", "json")
    assert [Path(r["path"]).name for r in json.loads(proc.stdout)["reports"]] == ["xa-sach.txt"]



def test_an_english_text_result_in_the_folder_is_skipped_too(tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    shutil.copy(EXAMPLES / "xa-sach.txt", folder / "xa-sach.txt")
    assert cli(folder, "--lang", "en", "-o", folder / "result.txt").returncode == 0
    assert (folder / "result.txt").read_text(encoding="utf-8").startswith("tthc-audit ")
    proc = cli(folder, "--format", "json")
    assert [Path(r["path"]).name for r in json.loads(proc.stdout)["reports"]] == ["xa-sach.txt"]
