"""`--output` never touches a report: refused onto any input before anything is read, written whole or not at all."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORMATS = ("text", "json", "jsonl", "csv", "csv-checks", "sarif", "html")


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    for name in ("xa-loi.txt", "xa-loi.docx"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["xa-loi.txt", "xa-loi.docx"])
def test_output_onto_the_input_is_refused_and_the_input_kept(reports: Path, name: str, fmt: str, capsys):
    report = reports / name
    before = _digest(report)
    assert main([str(report), "--format", fmt, "-o", str(report)]) == 2
    assert _digest(report) == before
    err = capsys.readouterr().err
    assert "đè lên báo cáo" in err and "Traceback" not in err


@pytest.mark.parametrize("spelling", ["link", "dotted", "folder"])
def test_output_onto_an_input_named_another_way_is_refused(reports: Path, spelling: str, monkeypatch):
    report = reports / "xa-loi.txt"
    before = _digest(report)
    monkeypatch.chdir(reports)
    if spelling == "link":
        os.symlink(report, reports / "link.txt")
        args = ["xa-loi.txt", "-o", "link.txt"]
    elif spelling == "dotted":
        (reports / "sub").mkdir()
        args = ["xa-loi.txt", "-o", "sub/../xa-loi.txt"]
    else:  # the report is found by reading the folder
        args = [".", "--format", "html", "-o", "xa-loi.txt"]
    assert main(args) == 2
    assert _digest(report) == before


def test_output_into_a_missing_folder_or_onto_a_folder_fails_before_auditing(reports: Path, capsys):
    report = reports / "xa-loi.txt"
    assert main([str(report), "-o", str(reports / "khong-co" / "kq.html"), "--format", "html"]) == 2
    assert "không có thư mục" in capsys.readouterr().err
    assert main([str(report), "-o", str(reports)]) == 2
    assert "là thư mục" in capsys.readouterr().err
    assert sorted(p.name for p in reports.iterdir()) == ["xa-loi.docx", "xa-loi.txt"]


def test_a_failed_run_leaves_no_half_written_file(reports: Path, monkeypatch):
    """The output is renamed into place only at the end: a run stopped midway leaves the old file as it was."""
    out = reports / "kq.json"
    out.write_text("kết quả cũ", encoding="utf-8")

    import auditor.cli as cli

    def broken(*args, **kwargs):
        yield '{"schema": 1, "reports": ['
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "json_chunks", broken)
    assert main([str(reports / "xa-loi.txt"), "--format", "json", "-o", str(out)]) != 0
    assert out.read_text(encoding="utf-8") == "kết quả cũ"
    assert sorted(p.name for p in reports.iterdir()) == ["kq.json", "xa-loi.docx", "xa-loi.txt"]


def test_output_is_written_when_the_target_is_new(reports: Path):
    out = reports / "kq.html"
    assert main([str(reports / "xa-loi.txt"), "--format", "html", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
