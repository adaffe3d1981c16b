"""Many reports at once: folders, globs, samples, workers, machine formats, unreadable files."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from auditor.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _copy_examples(tmp_path: Path) -> Path:
    folder = tmp_path / "nop"
    (folder / "xa").mkdir(parents=True)
    for p in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(p, folder / ("xa" if p.name.startswith("xa") else "") / p.name)
    (folder / "hong.txt").write_bytes(b"\x00\x01\x02" * 50)
    return folder


def test_folder_is_walked_and_a_broken_file_does_not_stop_the_rest(tmp_path, capsys):
    folder = _copy_examples(tmp_path)
    code = main(["--format", "json", "--jobs", "1", str(folder)])
    doc = json.loads(capsys.readouterr().out)
    names = [Path(r["path"]).name for r in doc["reports"]]
    assert sorted(names) == sorted([p.name for p in EXAMPLES.glob("*.txt")] + ["hong.txt"])
    broken = next(r for r in doc["reports"] if r["path"].endswith("hong.txt"))
    assert broken["problems"][0]["code"] == "IO003"
    assert code == 2  # the worst of all reports


def test_output_does_not_depend_on_jobs(tmp_path, capsys):
    folder = _copy_examples(tmp_path)
    main(["--format", "json", "--jobs", "1", str(folder)])
    one = capsys.readouterr().out
    main(["--format", "json", "--jobs", "2", str(folder)])
    two = capsys.readouterr().out
    assert one == two


def test_sample_is_reproducible_and_sized(tmp_path, capsys):
    folder = _copy_examples(tmp_path)
    main(["--format", "jsonl", "--sample", "3", "--seed", "7", str(folder)])
    first = capsys.readouterr().out
    main(["--format", "jsonl", "--sample", "3", "--seed", "7", str(folder)])
    assert capsys.readouterr().out == first
    assert len(first.strip().split("\n")) == 3


def test_glob_and_csv(tmp_path, capsys):
    code = main(["--format", "csv-checks", str(EXAMPLES / "xa-*.txt")])
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # for Excel (see test_csv_is_for_excel_one_row_per_report)
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert {Path(r["path"]).name for r in rows} == {p.name for p in EXAMPLES.glob("xa-*.txt")}
    assert code == 1
    fails = [r for r in rows if r["status"] == "fail"]
    assert fails and all(r["line"].isdigit() for r in fails)


def test_summary_counts_match_json(tmp_path, capsys):
    folder = _copy_examples(tmp_path)
    out = tmp_path / "tong-hop.txt"
    main(["--summary-only", "--output", str(out), str(folder)])
    summary = out.read_text(encoding="utf-8")
    main(["--format", "json", str(folder)])
    doc = json.loads(capsys.readouterr().out)
    errors = sum(r["summary"]["error"] for r in doc["reports"])
    warnings = sum(r["summary"]["warning"] for r in doc["reports"])
    footer = [ln for ln in summary.splitlines() if "báo cáo" in ln][-1]
    cells = [c.strip() for c in footer.split("│") if c.strip()]
    assert cells[-3:-1] == [str(errors), str(warnings)]


def test_missing_glob_is_a_problem_not_a_crash(tmp_path, capsys):
    code = main(["--format", "json", str(EXAMPLES / "xa-sach.txt"), str(tmp_path / "*.docx")])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2
    assert any(r["problems"] for r in doc["reports"])


def test_an_internal_fault_on_one_report_is_reported_and_the_rest_are_audited(tmp_path, monkeypatch, capsys):
    import auditor.batch as batch
    from auditor.cli import main

    real = batch.audit_file

    def flaky(path, *args):
        if path.endswith("b.txt"):
            raise RuntimeError("hỏng giả lập")
        return real(path, *args)

    monkeypatch.setattr(batch, "audit_file", flaky)
    src = Path(__file__).resolve().parent.parent / "examples" / "xa-sach.txt"
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(src.read_bytes())
    assert main([str(tmp_path), "--jobs", "1", "--format", "json"]) == 2
    reports = json.loads(capsys.readouterr().out)["reports"]
    assert [r["problems"][0]["code"] if r["problems"] else None for r in reports] == [None, "IO099", None]
    assert "RuntimeError" in reports[1]["problems"][0]["message"]
    assert all(r["summary"]["checks"] > 0 for r in (reports[0], reports[2]))


def test_a_summary_row_keeps_nothing_that_grows_with_the_report():
    """A batch of 10,000 keeps one of these per report: header and counts, not text, facts or scopes."""
    from auditor.batch import summary_rows, tallied
    from auditor.check.catalog import load_catalog
    from auditor.engine import Selection, audit_file

    audit = audit_file(str(EXAMPLES / "huyen-loi.txt"), load_catalog(), Selection(), "vi")
    kept = tallied(audit)
    assert kept.report.header == audit.report.header
    rep = kept.report
    assert (rep.text, rep.facts, rep.scopes, rep.tables, rep.shares, rep.breakdowns, rep.tree, kept.checks) \
        == ("", [], [], [], [], [], None, [])
    assert kept.counts() == audit.counts()
    assert summary_rows([kept]) == summary_rows([audit])
    assert audit.report.facts and audit.report.text  # the caller's audit is left whole


def test_a_long_summary_prints_in_aligned_pieces_with_one_header_and_one_footer():
    import io as _io

    from rich.console import Console

    from auditor.render.text import render_summary

    rows = [{"path": f"nop/xa-{i:05d}.txt", "issuer": "UBND Xã An Bình" if i % 3 else "UBND Xã Bình Minh Thượng",
             "level": "commune", "period": "1/1/2024–30/6/2024", "checks": 100 + i, "errors": i % 2, "warnings": 0,
             "undecided": 1, "status": i % 2, "problem": None} for i in range(1200)]
    out = _io.StringIO()
    render_summary(rows, Console(file=out, width=100, color_system=None), "vi")
    lines = out.getvalue().splitlines()
    assert sum("Tổng hợp" in line for line in lines) == 1
    assert sum("Cơ quan" in line for line in lines) == 1
    assert sum("1200 báo cáo" in line for line in lines) == 1
    assert all(f"xa-{i:05d}" in out.getvalue() for i in range(1200))
    body = [line for line in lines if line.startswith("│")]
    assert len({len(line) for line in body}) == 1  # the pieces line up as one table
    assert str(sum(100 + i for i in range(1200))) in lines[-2]
