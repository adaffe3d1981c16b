"""The HTML page (auditor/render/html.py), checked as a document: well nested, self-contained,
every finding marked where it stands, the summary equal to the counts. No browser here (see
test_html_browser.py)."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from auditor.batch import audit_many, collect, summary_rows, tallied
from auditor.check.catalog import load_catalog
from auditor.engine import Audit, Selection, audit_file, audit_text
from auditor.findings import Check, Related
from auditor.render.html import html_chunks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PLANTED = yaml.safe_load((EXAMPLES / "planted.yaml").read_text(encoding="utf-8"))
NAMES = sorted(p.name for p in EXAMPLES.glob("*.txt"))

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# tags whose end tag HTML lets one leave out: the page never relies on that
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite", "ping"}
FETCHING_TAGS = {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base", "frame"}


# ---------------------------------------------------------------- a small DOM, strict about nesting

class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


class StrictTree(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the innermost open element, on
    unclosed elements, and on duplicate attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.errors: list[str] = []
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        names = [k for k, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"duplicate attribute in <{tag}> at {self.getpos()}")
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.errors.append(f"self-closing <{tag}/> at {self.getpos()}")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.cur = self.cur.parent

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag for void <{tag}> at {self.getpos()}")
            return
        if self.cur.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.cur.tag}> at {self.getpos()}")
            return
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(doc: str) -> Node:
    p = StrictTree()
    p.feed(doc)
    p.close()
    assert p.errors == [], p.errors[:5]
    assert p.cur is p.root, f"unclosed <{p.cur.tag}>"
    assert p.doctype is not None and p.doctype.lower() == "doctype html"
    return p.root


def by_id(root: Node) -> dict[str, Node]:
    ids: dict[str, Node] = {}
    for n in root.iter():
        if "id" in n.attrs:
            assert n.attrs["id"] not in ids, f"duplicate id {n.attrs['id']}"
            ids[n.attrs["id"]] = n
    return ids


def render(audits, **kw) -> str:
    return "".join(html_chunks(audits, **kw))


# ---------------------------------------------------------------- the audited examples

@lru_cache(maxsize=None)
def _audit(name: str, lang: str = "vi") -> Audit:
    return audit_file(str(EXAMPLES / name), load_catalog([]), Selection(), lang)


def _audits(lang: str = "vi") -> list[Audit]:
    return [_audit(n, lang) for n in NAMES]


@lru_cache(maxsize=None)
def _page(lang: str = "vi") -> tuple[str, Node]:
    doc = render(_audits(lang), lang=lang)
    return doc, parse(doc)


def _line_of(text: str):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect_right(starts, offset)


def _pieces(root: Node, cid: str) -> list[Node]:
    return [n for n in root.iter() if n.tag == "mark" and n.attrs.get("data-check") == cid]


# ---------------------------------------------------------------- tests

def test_document_is_well_formed_and_self_contained():
    doc, root = _page()
    assert doc.startswith("<!DOCTYPE html>\n")
    html_el = next(n for n in root.iter() if n.tag == "html")
    assert html_el.attrs["lang"] == "vi"
    assert any(n.tag == "meta" and n.attrs.get("charset", "").lower() == "utf-8" for n in root.iter())
    ids = by_id(root)  # no duplicate id
    for n in root.iter():
        assert n.tag not in FETCHING_TAGS, f"<{n.tag}> would fetch or run something"
        for k, v in n.attrs.items():
            assert not k.startswith("on"), f"event handler {k} on <{n.tag}>"
            if k in URL_ATTRS:
                assert v.startswith("#"), f"{k}={v!r} on <{n.tag}> leaves the page"
                assert v[1:] in ids, f"link to missing anchor {v}"
            assert "url(" not in v.replace(" ", "").lower()
    style = "".join(n.text() for n in root.iter() if n.tag == "style")
    assert style and "@import" not in style and "url(" not in style and "@font-face" not in style
    assert "http:" not in doc and "https:" not in doc and "src=" not in doc and "//" not in style
    csp = next(n for n in root.iter() if n.tag == "meta" and n.attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp.attrs["content"]


def test_every_failing_check_is_marked_with_its_exact_text():
    _, root = _page()
    ids = by_id(root)
    for i, audit in enumerate(_audits(), 1):
        text = audit.report.text
        for j, c in enumerate(audit.checks):
            cid = f"r{i}-c{j}"
            if c.status == "pass":
                assert cid not in ids and not _pieces(root, cid), "a passed check is not highlighted"
                continue
            pieces = _pieces(root, cid)
            assert pieces, f"{audit.path}: {c.code} has no <mark>"
            assert ids[cid] is pieces[0], "the first piece carries the id"
            # a mark stays inside one line (and one table cell): line breaks are between pieces
            assert "".join(p.text() for p in pieces) == text[c.start:c.end].replace("\n", "")
            for p in pieces:
                assert p.attrs["data-code"] == c.code and p.attrs["data-status"] == c.status
                assert (c.severity if c.status == "fail" else "skip") in p.classes()
            if "\n" not in text[c.start:c.end]:
                assert ids[cid].text() == text[c.start:c.end] or len(pieces) > 1
            if c.status == "fail":
                note = ids[f"r{i}-n{j}"]
                assert note.attrs["role"] == "note" and note.attrs["data-for"] == cid
                assert not any(a.tag == "details" for a in note.ancestors()), "explanations need no click"
                assert c.message in note.text()
                for k, r in enumerate(c.related):
                    rel = ids[f"{cid}-k{k}"]
                    assert rel.tag == "mark" and "rel" in rel.classes() and rel.attrs["data-for"] == cid
                    got = [p for p in root.iter() if p.tag == "mark" and p.attrs.get("data-rel") == f"{cid}-k{k}"]
                    assert got[0] is rel
                    assert "".join(p.text() for p in got) == text[r.start:r.end].replace("\n", "")
                    assert any(a.tag == "a" and a.attrs.get("href") == f"#{cid}-k{k}" for a in note.iter())
                row = ids[f"r{i}-f{j}"]  # the list of findings links to the mark
                assert any(a.tag == "a" and a.attrs.get("href") == f"#{cid}" for a in row.iter())
                if c.arithmetic:
                    assert c.arithmetic in row.text()
                if c.culprit:
                    assert c.culprit in row.text()


def test_single_line_findings_are_one_mark_each_in_the_planted_report():
    _, root = _page()
    ids = by_id(root)
    i = NAMES.index("xa-loi.txt") + 1
    audit = _audit("xa-loi.txt")
    fails = [(j, c) for j, c in enumerate(audit.checks) if c.status == "fail"]
    line = _line_of(audit.report.text)
    planted = {e["line"] for e in PLANTED["xa-loi.txt"]}
    # every planted line has a failure on it, and every failure stands on a planted line or compares a
    # figure of one (a planted figure may fail several rules: AR001 and AR007 both find the received
    # total of line 35 off; AR008 on line 43 compares the wrong 2.601 of line 37)
    assert planted <= {line(c.start) for _, c in fails}
    for _, c in fails:
        assert line(c.start) in planted or any(line(r.start) in planted for r in c.related), (line(c.start), c.message)
    for j, c in fails:
        assert "\n" not in audit.report.text[c.start:c.end]
        assert ids[f"r{i}-c{j}"].text() == audit.report.text[c.start:c.end]


def test_every_planted_error_has_a_mark_and_a_visible_explanation_on_its_line():
    _, root = _page()
    ids = by_id(root)
    for name, entries in PLANTED.items():
        i = NAMES.index(name) + 1
        audit = _audit(name)
        line = _line_of(audit.report.text)
        for e in entries or []:
            near = [j for j, c in enumerate(audit.checks) if c.status == "fail"
                    and (line(c.start) == e["line"] or any(line(r.start) == e["line"] for r in c.related))]
            assert near, (name, e["line"])
            for j in near:
                assert ids[f"r{i}-c{j}"].tag == "mark"
                assert f"r{i}-n{j}" in ids


def test_the_full_text_is_all_there_line_by_line():
    _, root = _page()
    ids = by_id(root)
    for i, audit in enumerate(_audits(), 1):
        text = audit.report.text
        lines = text.split("\n")
        src = next(n for n in ids[f"r{i}"].iter() if "src" in n.classes())
        shown = []
        for k in range(1, len(lines) + 1):
            el = ids[f"r{i}-L{k}"]
            assert any(c.attrs.get("data-n") == str(k) for c in el.iter() if "lno" in c.classes())
            cells = [c for c in el.children if isinstance(c, Node) and "lno" not in c.classes()]
            shown.append("".join(c.text() for c in cells))
        assert shown == lines, audit.path
        assert f"r{i}-L{len(lines) + 1}" not in ids
        assert src is not None


def test_tables_are_tables():
    _, root = _page()
    ids = by_id(root)
    i = NAMES.index("huyen-bang.txt") + 1
    row = ids[f"r{i}-L95"]  # the "Tổng cộng" row of the appendix, aligned with spaces in the file
    assert row.tag == "tr"
    assert len([c for c in row.children if isinstance(c, Node)]) >= 10
    j = NAMES.index("xa-sach.txt") + 1
    assert ids[f"r{j}-L166"].tag == "tr"  # a tab-separated table


def test_not_made_checks_are_listed_as_such_never_as_passed():
    doc, root = _page()
    ids = by_id(root)
    for i, audit in enumerate(_audits(), 1):
        skips = [j for j, c in enumerate(audit.checks) if c.status == "skip"]
        section = ids[f"r{i}"]
        items = [n for n in section.iter() if n.tag == "ul" and "skips" in n.classes()]
        if not skips:
            assert not items
            continue
        listed = [n.attrs["id"] for n in items[0].iter() if n.tag == "li"]
        assert listed == [f"r{i}-f{j}" for j in skips]
        heading = " ".join(n.text() for n in section.iter() if n.tag == "h3")
        assert "Không kết luận được" in heading  # the one word for undecided, as in the text output
        c = audit.counts()
        counts = next(n for n in section.iter() if "counts" in n.classes()).text()
        assert f"{c['pass']} đạt" in counts and f"{c['skip']} không kết luận được" in counts
        words = " ".join(n.text() for n in root.iter() if n.tag in ("h3", "th", "ul") and n.attrs.get("class") != "skips")
        assert "kiểm tra được" not in words and "kiểm tra được" not in counts


def _summary_table(root: Node) -> tuple[list[Node], Node]:
    table = next(n for n in by_id(root)["summary"].iter() if n.tag == "table")
    body = next(n for n in table.iter() if n.tag == "tbody")
    rows = [n for n in body.children if isinstance(n, Node) and n.tag == "tr"]
    foot = next(n for n in table.iter() if n.tag == "tfoot")
    return rows, foot


def _cell(row: Node, cls: str) -> str:
    return next(c for c in row.children if isinstance(c, Node) and cls in c.classes()).text()


def test_summary_counts_equal_the_audits_worst_first_with_totals():
    doc, root = _page()
    audits = _audits()
    rows, foot = _summary_table(root)
    assert len(rows) == len(audits)
    order = [r["path"] for r in summary_rows([tallied_copy(a) for a in audits])]
    assert [_cell(r, "file") for r in rows] == order
    sums = {"made": 0, "errors": 0, "warnings": 0, "undecided": 0}
    for row in rows:
        i = int(row.attrs["data-report"][1:])
        c = audits[i - 1].counts()
        assert _cell(row, "file") == audits[i - 1].path
        got = {k: int(_cell(row, k)) for k in sums}
        # the same count of checks as the text output and the JSON summary: every check, undecided ones too
        assert got == {"made": c["checks"], "errors": c["error"], "warnings": c["warning"], "undecided": c["skip"]}
        for k in sums:
            sums[k] += got[k]
    total = next(n for n in foot.iter() if n.tag == "tr")
    assert {k: int(_cell(total, k)) for k in sums} == sums
    assert f"{len(audits)} báo cáo" in foot.text()
    # the summary is written last (the reports stream) but shown first
    assert doc.index('id="summary"') > doc.index('id="r1"')
    style = "".join(n.text() for n in root.iter() if n.tag == "style")
    assert re.search(r"\.summary\{order:1\}", style) and re.search(r"\.reports\{order:2", style)


def tallied_copy(a: Audit) -> Audit:
    return Audit(a.path, a.report, [], a.problems, a.encoding, a.counts())


def test_unreadable_file_is_a_row_and_a_section_with_its_reason(tmp_path):
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    paths, missing = collect([str(EXAMPLES / "xa-sach.txt"), str(empty), str(tmp_path / "khong-co.txt")])
    audits = list(audit_many(paths, load_catalog([]), Selection(), "vi", 1)) + missing
    assert [bool(a.problems) for a in audits] == [False, True, True]
    doc = render(audits)
    root = parse(doc)
    ids = by_id(root)
    rows, foot = _summary_table(root)
    assert [r.attrs["class"].split()[0] for r in rows] == ["s2", "s2", "s0"]  # unreadable first
    assert [r.attrs["class"].split()[1] for r in rows] == ["v-unreadable", "v-unreadable", "v-ok"]
    for row in rows[:2]:
        i = int(row.attrs["data-report"][1:])
        assert _cell(row, "status") == "Không đọc được"
        assert _cell(row, "issuer") == audits[i - 1].problems[0]["message"]
        section = ids[f"r{i}"]
        assert audits[i - 1].problems[0]["message"] in section.text()
        assert any(n.attrs.get("role") == "alert" for n in section.iter())
        assert f"r{i}-text" not in ids
    # the files not read are not counted among the reports (issue 13: "28 báo cáo, 5 không đọc được")
    assert "1 báo cáo, 2 tệp không đọc được" in foot.text() and "3 báo cáo" not in doc


def test_text_is_escaped_and_marks_around_markup_stay_text():
    text = ("UBND XÃ THỬ\nBÁO CÁO\n"
            "Tổng số hồ sơ <b>tiếp nhận</b>: 12 hồ sơ & <script>alert(1)</script> \"trích\" 'dẫn'.\n"
            "Dòng có ký tự điều khiển \x01 ở giữa.\n")
    audit = audit_text("thu<1>.txt", text, "utf-8", load_catalog([]), Selection(), "vi")
    s = text.index("<b>")
    audit.checks = [Check("ZZ001", "thử", "fail", "error", s, s + len("<b>tiếp nhận</b>"), "Có <i>thẻ</i> & dấu “<”.",
                          arithmetic="1 < 2", related=[Related("<script>", text.index("<script>"), text.index("</script>") + 9)])]
    doc = render([audit])
    root = parse(doc)
    assert "<script" not in doc and "<b>" not in doc and "<i>" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "&amp;" in doc
    ids = by_id(root)
    assert ids["r1-c0"].text() == "<b>tiếp nhận</b>"
    assert ids["r1-c0-k0"].text() == "<script>alert(1)</script>"
    assert "Có <i>thẻ</i> & dấu “<”." in ids["r1-n0"].text()
    assert "thu<1>.txt" in ids["r1-h"].text()
    assert "\x01" not in doc and "\u2401" in doc  # a control character is shown, not sent raw


def test_overlapping_nested_and_multiline_spans_nest_properly():
    text = "UBND XÃ THỬ\nBÁO CÁO\nmột hai ba bốn năm sáu bảy\ntám chín mười\n\nmười một\n"
    audit = audit_text("t.txt", text, "utf-8", load_catalog([]), Selection(), "vi")
    L3 = text.index("một hai")
    L4 = text.index("tám")
    L6 = text.index("mười một")
    spans = [
        (L3, L3 + 10, "error", []),                      # "một hai ba"
        (L3 + 4, L3 + 14, "warning", []),                # "hai ba bốn": crosses the first
        (L3 + 4, L3 + 10, "info", []),                   # nested in both
        (L3 + 4, L3 + 10, "error", []),                  # same extent as the one before
        (L3 + 20, L4 + 3, "error", [(L3 + 8, L3 + 18)]),  # over a line break; related crosses others
        (L4, L4, "warning", []),                         # empty
        (L4 + 13, L6, "info", []),                       # only line breaks
        (L3, L6 + 8, "warning", [(L3, L6 + 8)]),         # everything, related identical
    ]
    audit.checks = [Check(f"ZZ{k:03}", "x", "fail", sev, s, e, f"m{k}", related=[Related("r", a, b) for a, b in rel])
                    for k, (s, e, sev, rel) in enumerate(spans)]
    audit.checks.append(Check("ZZ999", "x", "skip", "error", L3 + 2, L3 + 12, "không kiểm tra được"))
    root = parse(render([audit]))
    ids = by_id(root)
    for j, c in enumerate(audit.checks):
        pieces = _pieces(root, f"r1-c{j}")
        assert pieces and ids[f"r1-c{j}"] is pieces[0]
        assert "".join(p.text() for p in pieces) == text[c.start:c.end].replace("\n", "")
    assert ids["r1-c2"].text() == text[L3 + 4:L3 + 10]
    assert ids["r1-c0"].text() == "một hai ba"


def test_english_labels_with_lang_en():
    doc, root = _page("en")
    html_el = next(n for n in root.iter() if n.tag == "html")
    assert html_el.attrs["lang"] == "en"
    heads = [n.text() for n in root.iter() if n.tag in ("h2", "h3", "th")]
    assert "Summary" in heads and "Checks" in heads and any(h.startswith("Failed checks") for h in heads)
    assert "Undecided" in heads
    assert "Tổng hợp" not in doc and "Không kết luận được" not in doc and "Toàn văn" not in doc
    vi_doc, _ = _page("vi")
    assert "Tổng hợp" in vi_doc and "Kiểm tra" in vi_doc and "Cảnh báo" in vi_doc
    with pytest.raises(ValueError):
        render([], lang="fr")


def test_same_input_same_bytes():
    a = render(_audits())
    b = render([audit_file(str(EXAMPLES / n), load_catalog([]), Selection(), "vi") for n in NAMES])
    assert a == b


def test_streams_one_report_at_a_time_and_tells_when_each_is_written():
    pulled: list[str] = []
    seen: list[str] = []
    made: list[Audit] = []

    def source():
        for n in ("xa-loi.txt", "huyen-loi.txt", "xa-sach.txt"):
            pulled.append(n)
            made.append(audit_file(str(EXAMPLES / n), load_catalog([]), Selection(), "vi"))
            yield made[-1]

    def on_seen(a):
        seen.append(Path(a.path).name)
        tallied(a)  # what the command line does: drops the text once written

    out = []
    for chunk in html_chunks(source(), on_seen):
        out.append(chunk)
        if '<section class="report' in chunk and 'id="r1"' in chunk:
            assert pulled == ["xa-loi.txt"], "the first report is written before the second is read"
    assert seen == ["xa-loi.txt", "huyen-loi.txt", "xa-sach.txt"]
    root = parse("".join(out))
    rows, _ = _summary_table(root)
    assert [Path(_cell(r, "file")).name for r in rows] == ["xa-loi.txt", "huyen-loi.txt", "xa-sach.txt"]
    assert [_cell(r, "errors") for r in rows] == [str(a.counts()["error"]) for a in made]
    assert int(_cell(rows[0], "errors")) > 0 and _cell(rows[2], "errors") == "0"


def test_empty_batch_is_still_a_page():
    root = parse(render([]))
    rows, foot = _summary_table(root)
    assert rows == [] and "0 báo cáo" in foot.text()
