"""The wheel carries rules/ and grammars/, and the installed package finds them from any folder."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {proc.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("*.whl"))


def test_wheel_holds_rules_and_grammars(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("rules", "grammars"):
        shipped = {Path(n).name for n in names if n.startswith(f"auditor/_data/{folder}/")}
        expected = {p.name for p in (ROOT / folder).iterdir() if p.is_file()}
        assert shipped == expected


def test_unpacked_wheel_runs_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    report = elsewhere / "bc.txt"
    report.write_text((ROOT / "examples" / "xa-loi.txt").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "auditor.cli", "--format", "json", "bc.txt"], cwd=elsewhere,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert '"schema": 1' in proc.stdout
    assert str(site) in subprocess.run([sys.executable, "-c", "import auditor.resources as r; print(r.rules_dir())"],
                                       cwd=elsewhere, capture_output=True, text=True, env=env).stdout
