"""Rule files and `.tthc-audit.yaml`: malformed ones are refused with file:line, valid ones take effect."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from auditor.check.catalog import load_catalog
from auditor.cli import main
from auditor.errors import ConfigError

BUILTIN = load_catalog()

# a report where AR004 applies (resolved = early + on time + late), and one where it does not hold
RESOLVED_OK = "Số hồ sơ đã giải quyết: 1.180; trong đó, giải quyết trước hạn: 1.002, đúng hạn: 170, quá hạn: 8.\n"
RESOLVED_BAD = "Số hồ sơ đã giải quyết: 1.180; trong đó, giải quyết trước hạn: 1.002, đúng hạn: 170, quá hạn: 18.\n"

VALID_RULE = """\
rules:
  - code: ZZ001
    name: resolved-is-early-ontime-late-again
    kind: identity
    severity: error
    lhs: resolved
    rhs: resolved.early + resolved.on_time + resolved.late
    message:
      vi: "Đã giải quyết phải bằng trước hạn + đúng hạn + quá hạn."
      en: "Resolved must be early + on time + late."
    why:
      vi: "Kiểm tra thử."
      en: "A test rule."
"""


def _rule_file(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def _report(tmp_path: Path, text: str = RESOLVED_OK, name: str = "bao-cao.txt") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _refused(capsys, rules: Path, report: Path) -> tuple[str, int]:
    """Run with the extra rule file; it must be refused. Returns (message, line named)."""
    code = main(["--format", "json", "--rules", str(rules), str(report)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""  # no partial audit
    assert "Traceback" not in err
    message = " ".join(err.split())
    m = re.search(re.escape(rules.name) + r":(\d+)", err.replace("\n", ""))
    assert m, f"the message does not name {rules.name}:LINE: {message!r}"
    return message, int(m.group(1))


def _lines_of(path: Path, *needles: str) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [next(i for i, ln in enumerate(lines, 1) if needle in ln) for needle in needles]


# --- malformed rule files ------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("    lhs: resolved\n", "    lhs: resolved\n    colour: red\n", "colour"),
    # a typo makes a key both unknown and missing: the message names the word that is in the file
    ("severity: error", "severty: error", "severty"),
])
def test_unknown_key(tmp_path, capsys, old, new, key):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace(old, new))
    message, line = _refused(capsys, rules, _report(tmp_path))
    first, bad = _lines_of(rules, "code: ZZ001", f"{key}:")
    assert first <= line <= bad
    assert key in message


def test_wrong_type(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("severity: error", "severity: fatal"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    first, bad = _lines_of(rules, "code: ZZ001", "severity: fatal")
    assert first <= line <= bad
    assert "severity" in message


def test_message_must_be_a_mapping(tmp_path, capsys):
    body = VALID_RULE.replace('    message:\n      vi: "Đã giải quyết phải bằng trước hạn + đúng hạn + quá hạn."\n'
                              '      en: "Resolved must be early + on time + late."\n', "    message: 12\n")
    assert body != VALID_RULE
    rules = _rule_file(tmp_path, "extra.yaml", body)
    message, line = _refused(capsys, rules, _report(tmp_path))
    first, bad = _lines_of(rules, "code: ZZ001", "message: 12")
    assert first <= line <= bad


def test_bad_expression(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace(
        "rhs: resolved.early + resolved.on_time + resolved.late", 'rhs: "received + + x"'))
    message, line = _refused(capsys, rules, _report(tmp_path))
    first, bad = _lines_of(rules, "code: ZZ001", "rhs:")
    assert first <= line <= bad
    assert "received + + x" in message


def test_optional_key_not_in_expression(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("    lhs: resolved\n", "    lhs: resolved\n    optional: [pending]\n"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert "pending" in message


def test_python_tag_is_refused_and_not_executed(tmp_path, capsys):
    marker = tmp_path / "marker"
    for i, body in enumerate([
        f'rules:\n  - !!python/object/apply:os.system ["echo hi > {marker}"]\n',
        f'rules: !!python/object/apply:os.system ["echo hi > {marker}"]\n',
        f'rules:\n  - code: !!python/object/apply:os.system ["echo hi > {marker}"]\n',
    ]):
        rules = _rule_file(tmp_path, f"evil{i}.yaml", body)
        message, line = _refused(capsys, rules, _report(tmp_path))
        assert line == _lines_of(rules, "!!python")[0]
        assert not marker.exists(), "a YAML python tag was executed"


def test_duplicate_code(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("ZZ001", "AR001"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "code: AR001")[0]
    assert "AR001" in message
    # the message also says where the first AR001 is
    assert Path(BUILTIN.by_code["AR001"].source).name in message


def test_duplicate_code_within_one_extra_file(tmp_path, capsys):
    second = VALID_RULE.split("rules:\n", 1)[1]
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE + second)
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == [i for i, ln in enumerate(rules.read_text().splitlines(), 1) if "code: ZZ001" in ln][1]


@pytest.mark.parametrize("body", [
    "rules:\n  code: ZZ001\n  name: x\n",
    "rules: ZZ001\n",
    "just a sentence\n",
    "42\n",
], ids=["mapping", "scalar", "text", "number"])
def test_not_a_list(tmp_path, capsys, body):
    rules = _rule_file(tmp_path, "extra.yaml", body)
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert 1 <= line <= len(body.splitlines())


def test_invalid_yaml(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", "rules:\n  - code: ZZ001\n    name: [unclosed\n")
    _refused(capsys, rules, _report(tmp_path))


def test_list_item_not_a_mapping_names_its_line(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE + "  - 42\n")
    _, line = _refused(capsys, rules, _report(tmp_path))
    assert line == len(rules.read_text(encoding="utf-8").splitlines())


def test_top_level_list_item_not_a_mapping_names_its_line(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", "- code: ZZ001\n  name: x\n- just text\n")
    _, line = _refused(capsys, rules, _report(tmp_path))
    assert line in (1, 3)  # the offending item, or at worst the list


def test_malformed_key_name_names_its_line(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", "keys:\n  resolved.extra: {vi: \"thêm\"}\n")
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == 2
    assert "resolved.extra" in message


def test_missing_rules_path(tmp_path, capsys):
    code = main(["--rules", str(tmp_path / "khong-co.yaml"), str(_report(tmp_path))])
    assert code == 2
    assert "khong-co.yaml" in capsys.readouterr().err


def test_load_catalog_raises_config_error(tmp_path):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("severity: error", "severity: fatal"))
    with pytest.raises(ConfigError, match=r"extra\.yaml:\d+"):
        load_catalog([rules])


# --- a valid extra rule file ---------------------------------------------------------------------

def _checks(capsys) -> list[dict]:
    return [c for r in json.loads(capsys.readouterr().out)["reports"] for c in r["checks"]]


def test_extra_rule_is_loaded_and_applied(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE)
    catalog = load_catalog([rules])
    assert "ZZ001" in catalog.by_code
    assert len(catalog.rules) == len(BUILTIN.rules) + 1

    assert main(["--format", "json", "--rules", str(rules), str(_report(tmp_path))]) == 0
    mine = [c for c in _checks(capsys) if c["code"] == "ZZ001"]
    assert mine and all(c["status"] == "pass" for c in mine)

    bad = _report(tmp_path, RESOLVED_BAD, "loi.txt")
    assert main(["--format", "json", "--select", "ZZ", "--rules", str(rules), str(bad)]) == 1
    mine = _checks(capsys)
    assert {c["code"] for c in mine} == {"ZZ001"}
    assert any(c["status"] == "fail" and c["severity"] == "error" for c in mine)


def test_extra_rule_folder(tmp_path, capsys):
    folder = tmp_path / "luat"
    folder.mkdir()
    _rule_file(folder, "a.yaml", VALID_RULE)
    _rule_file(folder, "b.yml", VALID_RULE.replace("ZZ001", "ZZ002"))
    (folder / "ghi-chu.txt").write_text("not a rule file", encoding="utf-8")
    assert main(["--format", "json", "--rules", str(folder), str(_report(tmp_path))]) == 0
    assert {"ZZ001", "ZZ002"} <= {c["code"] for c in _checks(capsys)}


def test_extra_rule_is_listed_and_explained(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE)
    assert main(["rules", "--rules", str(rules)]) == 0
    assert "ZZ001" in capsys.readouterr().out
    assert main(["rule", "ZZ001", "--rules", str(rules)]) == 0
    assert "resolved.early + resolved.on_time + resolved.late" in capsys.readouterr().out


# --- .tthc-audit.yaml ----------------------------------------------------------------------------

# XR010 fails (a warning by default); PC001 passes.
CONFIG_REPORT = ("Số hồ sơ đã giải quyết: 1.180; trong đó quá hạn: 8.\n\n"
                 "Trong kỳ có 9 hồ sơ giải quyết quá hạn do lỗi phần mềm.\n\n"
                 "Số hóa hồ sơ khi tiếp nhận: 452/460 hồ sơ, đạt tỷ lệ 98,26%.\n")


@pytest.fixture
def nested_report(tmp_path) -> Path:
    sub = tmp_path / "huyen" / "xa"
    sub.mkdir(parents=True)
    return _report(sub, CONFIG_REPORT)


def test_report_without_config(nested_report, capsys):
    assert main(["--format", "json", str(nested_report)]) == 0
    checks = _checks(capsys)
    assert any(c["code"].startswith("PC") for c in checks)
    xr = [c for c in checks if c["code"] == "XR010"]
    assert xr and all(c["severity"] == "warning" and c["status"] == "fail" for c in xr)


def test_config_found_by_walking_up(tmp_path, nested_report, capsys):
    (tmp_path / ".tthc-audit.yaml").write_text("ignore: [PC]\nseverity:\n  XR010: error\n", encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 1  # the warning became an error
    checks = _checks(capsys)
    assert not any(c["code"].startswith("PC") for c in checks)
    xr = [c for c in checks if c["code"] == "XR010"]
    assert xr and all(c["severity"] == "error" for c in xr)


def test_command_line_ignore_overrides_config(tmp_path, nested_report, capsys):
    (tmp_path / ".tthc-audit.yaml").write_text("ignore: [PC]\nseverity:\n  XR010: error\n", encoding="utf-8")
    assert main(["--format", "json", "--ignore", "XR", str(nested_report)]) == 0
    checks = _checks(capsys)
    assert any(c["code"].startswith("PC") for c in checks)  # config's ignore replaced, not added to
    assert not any(c["code"].startswith("XR") for c in checks)


def test_config_in_the_report_folder_wins_over_a_parent(tmp_path, nested_report, capsys):
    (tmp_path / ".tthc-audit.yaml").write_text("ignore: [PC]\n", encoding="utf-8")
    (nested_report.parent / ".tthc-audit.yaml").write_text("ignore: [XR]\n", encoding="utf-8")
    main(["--format", "json", str(nested_report)])
    codes = {c["code"] for c in _checks(capsys)}
    assert any(c.startswith("PC") for c in codes)
    assert not any(c.startswith("XR") for c in codes)


def test_config_lang_and_relative_rules(tmp_path, nested_report, capsys):
    _rule_file(tmp_path, "luat-them.yaml", VALID_RULE)
    nested_report.write_text(RESOLVED_BAD, encoding="utf-8")
    (tmp_path / ".tthc-audit.yaml").write_text("lang: en\nselect: [ZZ]\nrules: [luat-them.yaml]\n", encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 1
    checks = _checks(capsys)
    assert {c["code"] for c in checks} == {"ZZ001"}
    assert all(c["message"].startswith("Resolved must be") for c in checks if c["status"] == "fail")


def test_explicit_config_option(tmp_path, nested_report, capsys):
    cfg = tmp_path / "khac.yaml"
    cfg.write_text("select: [PC]\n", encoding="utf-8")
    main(["--format", "json", "--config", str(cfg), str(nested_report)])
    codes = {c["code"] for c in _checks(capsys)}
    assert codes and all(c.startswith("PC") for c in codes)


@pytest.mark.parametrize("body, bad_line", [
    ("ignore: [PC]\ncolour: red\n", 2),
    ("ignore: [PC]\nseverity:\n  XR010: fatal\n", 2),
    ("lang: fr\n", 1),
    ("ignore: [PC\n", None),
    ("- PC\n", None),
], ids=["unknown-key", "bad-severity", "bad-lang", "bad-yaml", "not-a-mapping"])
def test_malformed_config(tmp_path, nested_report, capsys, body, bad_line):
    cfg = tmp_path / ".tthc-audit.yaml"
    cfg.write_text(body, encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    flat = err.replace("\n", "")
    assert ".tthc-audit.yaml" in flat
    if bad_line is not None:
        assert re.search(r"\.tthc-audit\.yaml:(\d+)", flat).group(1) == str(bad_line)


def test_config_severity_codes_are_case_insensitive_like_select(tmp_path, nested_report, capsys):
    (tmp_path / ".tthc-audit.yaml").write_text("severity:\n  xr010: error\n", encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 1
    assert all(c["severity"] == "error" for c in _checks(capsys) if c["code"] == "XR010")


def test_no_code_path_evaluates_python():
    """Rules and configs are data: no eval/exec/compile of text, and every YAML loader is a safe one."""
    import ast

    import yaml

    from auditor.check.catalog import _LineLoader

    assert issubclass(_LineLoader, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    root = Path(__file__).resolve().parent.parent / "auditor"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
                assert name not in {"eval", "exec", "compile", "unsafe_load", "full_load", "__import__"} or (
                    isinstance(fn, ast.Attribute) and name == "compile" and getattr(fn.value, "id", "") == "re"
                ), f"{path.name}:{node.lineno} calls {name}"
                if name == "load" and getattr(fn.value, "id", "") == "yaml":
                    loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                    assert loader is not None, f"{path.name}:{node.lineno} yaml.load without a Loader"
                    assert "Safe" in ast.unparse(loader) or ast.unparse(loader) == "_LineLoader", \
                        f"{path.name}:{node.lineno} yaml.load with {ast.unparse(loader)}"
