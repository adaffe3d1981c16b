"""SARIF 2.1.0, the static-analysis exchange format code-review tools and dashboards read.

Every check is a result: failures with kind "fail" and the rule's level, checks that could not be
decided with kind "review" (never "pass"), passed checks with kind "pass", so that a consumer sees
what was checked, not only what failed. An unreadable report is a tool-execution notification.
Columns count Unicode code points, as the JSON contract does.
"""
from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__
from ..check.catalog import Catalog
from ..records import report_record

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_KIND = {"fail": "fail", "skip": "review", "pass": "pass"}


def _uri(path: str) -> str:
    """A URI reference, as SARIF requires: percent-encoded (spaces, Vietnamese letters), file: when absolute."""
    if path == "<stdin>":
        return "stdin"
    p = PurePath(path)
    return p.as_uri() if p.is_absolute() else quote(p.as_posix(), safe="/")


def _rules(catalog: Catalog, lang: str) -> list[dict]:
    return [{
        "id": r.code, "name": r.name,
        "shortDescription": {"text": getattr(r.message, lang)},
        "fullDescription": {"text": getattr(r.why, lang)},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {"kind": r.kind},
    } for r in catalog.rules]


def _region(rec: dict) -> dict:
    region = {"startLine": rec["line"], "startColumn": rec["column"], "endLine": rec["end_line"],
              "endColumn": rec["end_column"], "snippet": {"text": rec["quote"]}}
    return region


def _result(rec: dict, uri: str, rule_index: dict[str, int]) -> dict:
    res: dict = {"ruleId": rec["code"], "kind": _KIND[rec["status"]],
                 "level": _LEVEL[rec["severity"]] if rec["status"] == "fail" else "none",
                 "message": {"text": rec["message"]}}
    if rec["code"] in rule_index:
        res["ruleIndex"] = rule_index[rec["code"]]
    if "line" in rec:
        loc: dict = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(rec)}}
        if "where" in rec:
            loc["logicalLocations"] = [{"name": json.dumps(rec["where"], sort_keys=True), "kind": "element"}]
        res["locations"] = [loc]
    related = [{"id": i, "message": {"text": r["label"]},
                "physicalLocation": {"artifactLocation": {"uri": uri},
                                     "region": {"startLine": r["line"], "startColumn": r["column"], "endLine": r["end_line"]}}}
               for i, r in enumerate(rec.get("related", [])) if "line" in r]
    if related:
        res["relatedLocations"] = related
    props = {k: rec[k] for k in ("numbers", "arithmetic", "scope", "likely_culprit") if k in rec}
    if props:
        res["properties"] = props
    return res


def sarif_chunks(audits, seen=lambda a: None, catalog: Catalog | None = None, lang: str = "vi", across=None,
                 sample=None):
    """One SARIF log, written report by report. A report read but with nothing checked is a
    notification (level "warning"), as is what a Word or PDF file holds that was not read (level
    "note"): a consumer must not take the absence of results for a clean report."""
    rules = _rules(catalog, lang) if catalog is not None else []
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    driver = {"name": "tthc-audit", "version": __version__, "language": lang, "rules": rules}
    head = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0"}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ',\n "runs": [{\n  "tool": {"driver": ' \
        + json.dumps(driver, ensure_ascii=False) + '},\n  "columnKind": "unicodeCodePoints",\n  "results": ['
    artifacts: list[dict] = []
    notices: list[dict] = []
    first = True
    for audit in audits:
        uri = _uri(audit.path)
        rec = report_record(audit, lang)
        artifacts.append({"location": {"uri": uri}, **({"encoding": audit.encoding} if audit.encoding else {})})
        for problem in rec["problems"]:
            notices.append({"level": "error", "message": {"text": problem["message"]},
                            "descriptor": {"id": problem["code"]},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        if "not_checked" in rec:
            notices.append({"level": "warning", "message": {"text": rec["not_checked"]["message"]},
                            "descriptor": {"id": "NOT-CHECKED"}, "properties": {"reason": rec["not_checked"]["reason"]},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        for note in rec.get("unread", []):
            notices.append({"level": "note", "message": {"text": note["message"]}, "descriptor": {"id": "UNREAD"},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        for check in rec["checks"]:
            yield ("" if first else ",") + "\n   " + json.dumps(_result(check, uri, rule_index), ensure_ascii=False)
            first = False
        seen(audit)
    for check in across() if across is not None else []:  # checks across reports (--db): every report named
        res = {"ruleId": check.code, "kind": _KIND[check.status],
               "level": _LEVEL[check.severity] if check.status == "fail" else "none", "message": {"text": check.message},
               "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(p.path)},
                                                   **({"region": {"startLine": p.line, "startColumn": p.column}} if p.line else {})},
                              "message": {"text": p.label}} for p in check.related],
               "properties": {"numbers": check.numbers}}
        if check.code in rule_index:
            res["ruleIndex"] = rule_index[check.code]
        yield ("" if first else ",") + "\n   " + json.dumps(res, ensure_ascii=False)
        first = False
    invocation = {"executionSuccessful": not any(n["level"] == "error" for n in notices),
                  "toolExecutionNotifications": notices}
    if sample is not None:
        invocation["properties"] = {"sample": sample.record()}
    yield "\n  ],\n  \"artifacts\": " + json.dumps(artifacts, ensure_ascii=False) \
        + ",\n  \"invocations\": [" + json.dumps(invocation, ensure_ascii=False) + "]\n }]\n}\n"
