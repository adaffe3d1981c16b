"""The HTML page in a real headless Chromium: nothing fetched, every planted error highlighted,
visible and explained right next to it, the summary shown above the reports."""
from __future__ import annotations

import os
import re
import shutil
import struct
import time
from bisect import bisect_right
from pathlib import Path

import pytest
import yaml

from auditor.check.catalog import load_catalog
from auditor.engine import Selection, audit_file
from auditor.render.html import html_chunks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PLANTED = yaml.safe_load((EXAMPLES / "planted.yaml").read_text(encoding="utf-8"))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NAMES = ["xa-loi.txt", "huyen-bang.txt"]  # prose findings, and findings inside a wide table
VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install -y chromium)")


def _line_of(text: str):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect_right(starts, offset)


def _planted_targets(audits):
    """(report id, check id, note id, quote, planted entry, related marks, severity) for every
    failing check that stands on a planted line and covers the planted words (or compares them)."""
    out = []
    for i, (name, audit) in enumerate(zip(NAMES, audits), 1):
        text = audit.report.text
        line = _line_of(text)
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        for e in PLANTED[name]:
            words = re.compile(r"\s+".join(map(re.escape, e["quote"].split())))
            m = words.search(text, starts[e["line"] - 1])
            assert m and line(m.start()) == e["line"], f"{name}:{e['line']}: planted words not on their line"
            overlaps = lambda a, b: a < m.end() and m.start() < b
            found = []
            for j, c in enumerate(audit.checks):
                if c.status != "fail" or line(c.start) != e["line"]:
                    continue
                rel = [(f"r{i}-c{j}-k{k}", text[r.start:r.end]) for k, r in enumerate(c.related)
                       if overlaps(r.start, r.end)]
                if overlaps(c.start, c.end) or rel:
                    found.append((f"r{i}", f"r{i}-c{j}", f"r{i}-n{j}", text[c.start:c.end], e, rel, c.severity))
            assert found, f"{name}:{e['line']}: no failing check on the planted words"
            out.extend(found)
    return out


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_page_in_a_real_browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    t0 = time.monotonic()
    audits = [audit_file(str(EXAMPLES / n), load_catalog([]), Selection(), "vi") for n in NAMES]
    targets = _planted_targets(audits)
    page_file = tmp_path / "bao-cao.html"
    with page_file.open("w", encoding="utf-8") as f:
        for chunk in html_chunks(audits):
            f.write(chunk)
    url = page_file.as_uri()

    requests: list[str] = []
    blocked: list[str] = []
    console_errors: list[str] = []

    def gate(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=15000)
        try:
            context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
            context.set_default_timeout(5000)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", gate)
            page.goto(url, wait_until="load")

            # nothing but the file itself was asked for, and nothing had to be blocked
            assert blocked == []
            assert requests and all(u.startswith("file://") for u in requests), requests
            assert set(requests) == {url}
            assert console_errors == []  # e.g. no Content-Security-Policy violation

            assert page.locator("html").get_attribute("lang") == "vi"
            page_width = VIEWPORT["width"]

            # the summary is shown above the first report, though it is written after it
            summary = page.locator("#summary").bounding_box()
            first = page.locator("#r1").bounding_box()
            assert summary and first and summary["y"] + summary["height"] <= first["y"]
            assert page.locator("#summary tbody tr").count() == len(NAMES)

            for rid, cid, nid, quote, entry, related, severity in targets:
                where = f"{rid} line {entry['line']} ({entry['family']}: {entry['quote']!r})"
                mark = page.locator(f"#{cid}")
                assert mark.evaluate("e => e.tagName") == "MARK", where
                mark.scroll_into_view_if_needed()
                assert mark.is_visible(), where
                box = mark.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, where
                assert 0 <= box["x"] and box["x"] + box["width"] <= page_width, f"{where}: off the page {box}"
                assert mark.text_content() == quote, where
                painted = mark.evaluate("e => getComputedStyle(e).backgroundColor")
                r, g, b = (int(x) for x in re.findall(r"\d+", painted)[:3])
                assert (r, g, b) != (0, 0, 0) and r >= b + 20, f"{where}: not highlighted ({painted})"
                if severity == "error":
                    assert r > g, f"{where}: an error is not red ({painted})"
                for kid, text in related:
                    rel = page.locator(f"#{kid}")
                    assert rel.is_visible() and rel.text_content() == text, where

                note = page.locator(f"#{nid}")
                assert note.is_visible(), where
                nbox = note.bounding_box()
                assert nbox and nbox["height"] > 10, where
                gap = nbox["y"] - (box["y"] + box["height"])
                # the notes of one line follow it in a block: the ones before this note push it down
                above = note.evaluate("e => { let h = 0; for (let p = e.previousElementSibling; p; "
                                      "p = p.previousElementSibling) h += p.getBoundingClientRect().height; return h; }")
                assert 0 <= gap - above < 120, f"{where}: explanation {gap:.0f}px from its mark ({above:.0f}px of notes above)"
                assert note.get_attribute("data-for") == cid
                assert "lỗi" in note.inner_text() or "cảnh báo" in note.inner_text(), where

            shot = tmp_path / "html-report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()

    data = shot.read_bytes()
    width, height = _png_size(data)
    assert width == VIEWPORT["width"] and height > 3000, (width, height)
    assert len(data) > 100_000
    try:
        from PIL import Image
    except ImportError:
        pass
    else:
        with Image.open(shot) as im:
            colours = im.convert("RGB").resize((256, 256)).getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 200  # text, highlights, tables: not a blank page
    if os.environ.get("TTHC_SAVE_SCREENSHOT"):
        keep = Path(__file__).resolve().parent / "artifacts"
        keep.mkdir(exist_ok=True)
        shutil.copy(shot, keep / "html-report.png")
    assert time.monotonic() - t0 < 20
