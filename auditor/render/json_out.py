"""The JSON contract (schema 1, ../shared/design.md §4): passed checks included."""
from __future__ import annotations

import json

from ..engine import Audit
from ..records import check_record, report_record


def json_chunks(audits, seen=lambda a: None, across=None, lang: str = "vi", sample=None):
    """The schema-1 document piece by piece, one report at a time (a batch never sits in memory whole).
    `across`, called once every report is written, gives the checks across reports (--db); `sample`
    (render.words.Sample) says that the reports are a random sample."""
    yield '{\n  "schema": 1,' + (f'\n  "sample": {json.dumps(sample.record())},' if sample is not None else "") \
        + '\n  "reports": ['
    for i, audit in enumerate(audits):
        body = json.dumps(report_record(audit, lang), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("," if i else "") + "\n    " + body
        seen(audit)
    yield "\n  ]"
    if across is not None:
        body = json.dumps([check_record(c, None) for c in across()], ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ',\n  "across": ' + body
    yield "\n}\n"


def render_json(audits: list[Audit], lang: str = "vi") -> str:
    return "".join(json_chunks(audits, lang=lang))
