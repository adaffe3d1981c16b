"""Rule files and `.tthc-audit.yaml`: malformed ones are refused with file:line, valid ones take effect."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from auditor.check.catalog import load_catalog
from auditor.check.kinds import KINDS
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
    kind: sum
    over: scopes
    severity: error
    total: resolved
    parts: resolved.early + resolved.on_time + resolved.late
    message:
      vi: "Đã giải quyết phải bằng trước hạn + đúng hạn + quá hạn: {parts} ≠ {total}."
      en: "Resolved must be early + on time + late: {parts} ≠ {total}."
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
    ("    total: resolved\n", "    total: resolved\n    colour: red\n", "colour"),
    # a typo makes a key both unknown and missing: the message names the word that is in the file
    ("severity: error", "severty: error", "severty"),
])
def test_unknown_key(tmp_path, capsys, old, new, key):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace(old, new))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, f"{key}:")[0]
    assert key in message


def test_wrong_type(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("severity: error", "severity: fatal"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "severity: fatal")[0]
    assert "severity" in message


def test_message_must_be_a_mapping(tmp_path, capsys):
    body = VALID_RULE.replace('    message:\n      vi: "Đã giải quyết phải bằng trước hạn + đúng hạn + quá hạn: {parts} ≠ {total}."\n'
                              '      en: "Resolved must be early + on time + late: {parts} ≠ {total}."\n', "    message: 12\n")
    assert body != VALID_RULE
    rules = _rule_file(tmp_path, "extra.yaml", body)
    message, line = _refused(capsys, rules, _report(tmp_path))
    first, bad = _lines_of(rules, "code: ZZ001", "message: 12")
    assert first <= line <= bad


def test_bad_expression(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace(
        "parts: resolved.early + resolved.on_time + resolved.late", 'parts: "received + + x"'))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "parts:")[0]
    assert "received + + x" in message


def test_optional_key_not_in_expression(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("    total: resolved\n", "    total: resolved\n    optional: [pending]\n"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "optional:")[0]
    assert "pending" in message


def test_unknown_kind(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("kind: sum", "kind: identity"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "kind: identity")[0]
    assert "identity" in message
    assert all(kind in message for kind in KINDS)  # and it says which kinds there are


def test_missing_kind(tmp_path, capsys):
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("    kind: sum\n", ""))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "code: ZZ001")[0]
    assert "kind" in message


@pytest.mark.parametrize("field", ["message", "passed"])
def test_bad_template_slot(tmp_path, capsys, field):
    """A message slot the kind does not fill ({lhs} was the old identity's) is refused where it is written."""
    body = VALID_RULE
    if field == "passed":
        body = body.replace("    why:\n", '    passed:\n      vi: "Đạt: {lhs}."\n      en: "Passed: {lhs}."\n    why:\n')
    else:
        body = body.replace("{parts} ≠ {total}.\"\n      en", "{lhs} ≠ {total}.\"\n      en")
    assert body != VALID_RULE
    rules = _rule_file(tmp_path, "extra.yaml", body)
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, f"    {field}:")[0]
    assert "{lhs}" in message
    assert "{total}" in message  # the slots the kind has


def test_unknown_fact_key(tmp_path, capsys):
    """A fact key the lexicon never produces would make the rule silently check nothing."""
    rules = _rule_file(tmp_path, "extra.yaml", VALID_RULE.replace("resolved.on_time", "resolved.ontime"))
    message, line = _refused(capsys, rules, _report(tmp_path))
    assert line == _lines_of(rules, "parts:")[0]
    assert "resolved.ontime" in message


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
    fails = [c for c in mine if c["status"] == "fail" and c["severity"] == "error"]
    assert fails
    # the message is the rule's template, its slots filled with the figures as written
    assert any(c["message"].startswith("Đã giải quyết phải bằng trước hạn + đúng hạn + quá hạn: 1.002 + 170 + 18 ≠ 1.180")
               for c in fails), [c["message"] for c in fails]


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
    out = capsys.readouterr().out
    assert "resolved.early + resolved.on_time + resolved.late" in out
    assert "Kiểm tra thử" in out  # its why


# --- one custom rule of each kind, written in YAML only (issue 12) ------------------------------

def _custom_rule(code: str, fields: str, vi: str, en: str) -> str:
    return (f"rules:\n  - code: {code}\n    name: custom-{code.lower()}\n    severity: error\n"
            + textwrap.indent(textwrap.dedent(fields).strip("\n"), "    ") + "\n"
            + f'    message:\n      vi: "{vi}"\n      en: "{en}"\n'
            + '    why:\n      vi: "Luật riêng của tỉnh."\n      en: "A province\'s own rule."\n')


# (code, kind fields, vi template, en template, failing text, passing text, figures the failure uses,
#  the line it points at, words the filled failure message holds: the slots' values as the report writes them)
CUSTOM = [
    pytest.param(
        "ZZ101", "kind: sum\nover: scopes\ntotal: pending\nparts: pending.in_time + pending.overdue\n",
        "Riêng: đang giải quyết {total} khác {parts}.", "Own: pending {total} is not {parts}.",
        "Số hồ sơ đang giải quyết: 50; trong hạn: 45; quá hạn: 3.\n",
        "Số hồ sơ đang giải quyết: 50; trong hạn: 47; quá hạn: 3.\n",
        [50, 45, 3], 1, ["đang giải quyết 50 khác 45 + 3"], id="sum-over-scopes"),
    pytest.param(
        "ZZ102", "kind: sum\nover: breakdowns\nshapes: [marker]\n",
        "Riêng: {parts} không bằng {total}.", "Own: {parts} is not {total}.",
        "Nhân sự chuyên trách: 10 người, gồm 1 Giám đốc, 2 Phó Giám đốc và 6 chuyên viên.\n",
        "Nhân sự chuyên trách: 9 người, gồm 1 Giám đốc, 2 Phó Giám đốc và 6 chuyên viên.\n",
        [10, 1, 2, 6], 1, ["1 + 2 + 6 không bằng 10"], id="sum-over-breakdowns"),
    pytest.param(
        "ZZ103", "kind: ratio\nover: shares\nvia: [fraction]\n",
        "Riêng: {numerator}/{denominator} không ra {stated}.", "Own: {numerator}/{denominator} is not {stated}.",
        "Số hóa hồ sơ khi tiếp nhận: 452/460 hồ sơ, đạt tỷ lệ 97,26%.\n",
        "Số hóa hồ sơ khi tiếp nhận: 452/460 hồ sơ, đạt tỷ lệ 98,26%.\n",
        [452, 460, 97.26], 1, ["452/460 không ra 97,26%"], id="ratio"),
    pytest.param(
        "ZZ104", "kind: equal\nover: scopes\nsources: text\n",
        "Riêng: {name} nêu {first} rồi {second}.", "Own: {name} stated {first} then {second}.",
        "Số hồ sơ đã giải quyết: 1.180 hồ sơ.\n\nIII. SỐ LIỆU CHÍNH\nSố hồ sơ đã giải quyết: 1.108 hồ sơ.\n",
        "Số hồ sơ đã giải quyết: 1.180 hồ sơ.\n\nIII. SỐ LIỆU CHÍNH\nSố hồ sơ đã giải quyết: 1.180 hồ sơ.\n",
        [1180, 1108], 4, ["nêu 1.180 rồi 1.108"], id="equal"),  # at the second statement
    pytest.param(
        "ZZ105", "kind: bound\nover: ranks\n",
        "Riêng: hạng {value} trên {limit} đơn vị.", "Own: rank {value} of {limit}.",
        "Hồ sơ quá hạn: 23 hồ sơ, xếp thứ 13/12 toàn tỉnh.\n",
        "Hồ sơ quá hạn: 23 hồ sơ, xếp thứ 8/12 toàn tỉnh.\n",
        [13, 12], 1, ["hạng 13 trên 12 đơn vị"], id="bound"),
    pytest.param(
        "ZZ106", "kind: count\nover: lists\n",
        "Riêng: nêu {stated}, kể {listed}: {items}.", "Own: states {stated}, lists {listed}: {items}.",
        "Có 04/09 phòng chuyên môn đã thực hiện (Tư pháp, Nội vụ, Y tế).\n",
        "Có 03/09 phòng chuyên môn đã thực hiện (Tư pháp, Nội vụ, Y tế).\n",
        [4, 9, 3], 1, ["nêu 4, kể 3", "Tư pháp", "Nội vụ", "Y tế"], id="count"),
    pytest.param(
        "ZZ107", "kind: dates\nover: references\n",
        "Riêng: {what} {date} sau ngày báo cáo {limit}.", "Own: {what} {date} after the report's {limit}.",
        "Hòa Bình, ngày 10 tháng 9 năm 2024\n\nThực hiện Công văn số 245/UBND-VP ngày 15/9/2024 của UBND huyện.\n",
        "Hòa Bình, ngày 20 tháng 9 năm 2024\n\nThực hiện Công văn số 245/UBND-VP ngày 15/9/2024 của UBND huyện.\n",
        [245, 15, 9, 2024], 3, ["245/UBND-VP", "15/9/2024 sau ngày báo cáo 10/9/2024"], id="dates"),
    pytest.param(
        "ZZ108", "kind: growth\nover: changes\n",
        "Riêng: từ {before} lên {now} là {computed}, không phải {stated}.",
        "Own: from {before} to {now} is {computed}, not {stated}.",
        "Số hồ sơ tiếp nhận là 2.150 hồ sơ, tăng 8,5% so với cùng kỳ năm 2024 (2.000 hồ sơ).\n",
        "Số hồ sơ tiếp nhận là 2.150 hồ sơ, tăng 7,5% so với cùng kỳ năm 2024 (2.000 hồ sơ).\n",
        [2150, 2000, 8.5], 1, ["từ 2.000 lên 2.150", "không phải 8,5%"], id="growth"),
]


def test_every_kind_has_a_custom_rule_test():
    assert {p.values[1].split("\n")[0].split(": ")[1] for p in CUSTOM} == set(KINDS)


@pytest.mark.parametrize("code, fields, vi, en, bad, good, numbers, line, words", CUSTOM)
def test_custom_rule_of_each_kind_runs_with_no_python_change(tmp_path, capsys, code, fields, vi, en, bad, good,
                                                              numbers, line, words):
    rules = _rule_file(tmp_path, "rieng.yaml", _custom_rule(code, fields, vi, en))
    assert code in load_catalog([rules]).by_code

    # the failing text: the rule runs, fails as an error, and its message is its own template, filled
    assert main(["--format", "json", "--select", code, "--rules", str(rules), str(_report(tmp_path, bad, "sai.txt"))]) == 1
    checks = _checks(capsys)
    assert {c["code"] for c in checks} == {code}
    fails = [c for c in checks if c["status"] == "fail"]
    assert len(fails) == 1, fails
    fail = fails[0]
    assert fail["severity"] == "error"
    assert fail["message"].startswith("Riêng: ")
    assert all(w in fail["message"] for w in words), fail["message"]
    assert sorted(fail["numbers"]) == sorted(numbers)
    assert fail["line"] == line

    # the English template is used with --lang en
    assert main(["--format", "json", "--lang", "en", "--select", code, "--rules", str(rules),
                 str(_report(tmp_path, bad, "sai.txt"))]) == 1
    assert [c["message"] for c in _checks(capsys) if c["status"] == "fail"][0].startswith("Own: ")

    # the corrected text: the same rule runs and passes
    assert main(["--format", "json", "--select", code, "--rules", str(rules), str(_report(tmp_path, good, "dung.txt"))]) == 0
    checks = _checks(capsys)
    assert checks and all(c["code"] == code and c["status"] == "pass" for c in checks)


# --- .tthc-audit.yaml ----------------------------------------------------------------------------

# DT003 fails (a warning by default, and a sure one: the config can raise it to an error);
# XR010 fails as a warning (one of its figures is named by the words after it); PC001 passes.
CONFIG_REPORT = ("Hòa Bình, ngày 10 tháng 9 năm 2024\n\n"
                 "Thực hiện Công văn số 245/UBND-VP ngày 15/9/2024 của UBND huyện.\n\n"
                 "Số hồ sơ đã giải quyết: 1.180; trong đó quá hạn: 8.\n\n"
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
    for code in ("XR010", "DT003"):
        found = [c for c in checks if c["code"] == code]
        assert found and all(c["severity"] == "warning" and c["status"] == "fail" for c in found), code


def test_config_found_by_walking_up(tmp_path, nested_report, capsys):
    (tmp_path / ".tthc-audit.yaml").write_text("ignore: [PC]\nseverity:\n  DT003: error\n", encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 1  # the warning became an error
    checks = _checks(capsys)
    assert not any(c["code"].startswith("PC") for c in checks)
    dt = [c for c in checks if c["code"] == "DT003"]
    assert dt and all(c["severity"] == "error" for c in dt)


def test_config_severity_lowers_an_error(tmp_path, capsys):
    report = _report(tmp_path, RESOLVED_BAD)
    assert main(["--format", "json", "--select", "AR004", str(report)]) == 1
    assert any(c["severity"] == "error" and c["status"] == "fail" for c in _checks(capsys))
    (tmp_path / ".tthc-audit.yaml").write_text("severity:\n  AR004: warning\n", encoding="utf-8")
    assert main(["--format", "json", "--select", "AR004", str(report)]) == 0
    checks = _checks(capsys)
    assert any(c["status"] == "fail" for c in checks)
    assert all(c["severity"] == "warning" for c in checks if c["status"] == "fail")


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
    fails = [c for c in checks if c["status"] == "fail"]
    assert fails and all(c["message"].startswith("Resolved must be") for c in fails)


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
    (tmp_path / ".tthc-audit.yaml").write_text("severity:\n  dt003: error\n", encoding="utf-8")
    assert main(["--format", "json", str(nested_report)]) == 1
    dt = [c for c in _checks(capsys) if c["code"] == "DT003"]
    assert dt and all(c["severity"] == "error" for c in dt)


def test_no_code_path_evaluates_python():
    """Rules and configs are data: no eval/exec/compile of text (a regular expression's is no Python), every
    YAML loader is a safe one, and the one pickle read is the build cache's, of a file this user wrote."""
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
                    isinstance(fn, ast.Attribute) and name == "compile" and getattr(fn.value, "id", "") in ("re", "_sre")
                ), f"{path.name}:{node.lineno} calls {name}"
                if name in ("load", "loads") and getattr(fn.value, "id", "") == "pickle":
                    assert path.name == "build_cache.py", f"{path.name}:{node.lineno} reads a pickle"
                if name == "load" and getattr(fn.value, "id", "") == "yaml":
                    loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                    assert loader is not None, f"{path.name}:{node.lineno} yaml.load without a Loader"
                    assert "Safe" in ast.unparse(loader) or ast.unparse(loader) == "_LineLoader", \
                        f"{path.name}:{node.lineno} yaml.load with {ast.unparse(loader)}"
