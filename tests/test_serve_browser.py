"""`tthc-audit serve` in a real headless Chromium, as a clerk uses it: open the page, choose a Word
report and a broken file, see the findings and the not-read message, download the HTML page; then
drop a clean report and see no error. Nothing is fetched from anywhere but the local server.

With TTHC_SAVE_SCREENSHOT=1 the screenshots for the guide are written to docs/serve.png (the page)
and docs/serve-ket-qua.png (a result)."""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
import time
from pathlib import Path

import pytest

from test_serve import Server, cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1100, "height": 760}
BROKEN = b"\x00\x01 this is not a Word file at all \xff\xfe" * 30

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install -y chromium)")

# a drop of real files, as the browser delivers it to the page: a DataTransfer holding File objects
_DROP = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, {type: 'text/plain'}));
  const zone = document.getElementById('drop');
  for (const type of ['dragenter', 'dragover', 'drop'])
    zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
}"""


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_clerk_checks_reports_in_the_browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    t0 = time.monotonic()
    work = tmp_path / "cli"
    work.mkdir()
    shutil.copy(EXAMPLES / "xa-loi.docx", work / "xa-loi.docx")
    (work / "hong.docx").write_bytes(BROKEN)
    # what the command line says about the same two files
    expected_html = cli(["xa-loi.docx", "hong.docx", "--format", "html"], work).stdout
    report = json.loads(cli(["xa-loi.docx", "hong.docx", "--format", "json"], work).stdout)["reports"]
    fails = [c for c in report[0]["checks"] if c["status"] == "fail"]
    errors = [c for c in fails if c["severity"] == "error"]
    not_read = report[1]["problems"][0]["message"]
    assert errors and not_read

    (tmp_path / "cwd").mkdir()
    server = Server(tmp_path / "cwd")
    requests: list[str] = []
    blocked: list[str] = []
    console_errors: list[str] = []

    def gate(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    shots = {}
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=15000)
            try:
                context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
                context.set_default_timeout(30000)
                page = context.new_page()
                page.on("request", lambda r: requests.append(r.url))
                page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
                page.route("**/*", gate)

                # the page, in Vietnamese
                page.goto(server.url, wait_until="load")
                assert page.locator("html").get_attribute("lang") == "vi"
                assert page.locator("#drop").is_visible()
                assert "Kéo thả báo cáo vào đây" in page.locator("#drop").inner_text()
                shots["serve.png"] = page.screenshot()

                # choose a Word report and a broken file: the page sends them at once
                with page.expect_navigation(wait_until="load"):
                    page.set_input_files("#files", [str(work / "xa-loi.docx"), str(work / "hong.docx")])
                assert page.url.startswith(server.url + "kiem-tra")
                rows = page.locator("#summary tbody tr")
                assert rows.count() == 2
                broken_row = page.locator("#summary tbody tr", has_text="hong.docx")
                assert "Không đọc được" in broken_row.inner_text()
                assert " ".join(not_read.split()) in " ".join(broken_row.inner_text().split())
                # the findings, highlighted in the text and listed, as the command line found them
                section = page.locator("section.report", has_text="xa-loi.docx").first
                assert section.locator("table.find tbody tr").count() == len(fails)
                marks = section.locator("mark.m.error")
                assert marks.count() >= len(errors)
                first = marks.first
                first.scroll_into_view_if_needed()
                assert first.is_visible()
                colour = first.evaluate("e => getComputedStyle(e).backgroundColor")
                r, g, b = (int(x) for x in re.findall(r"\d+", colour)[:3])
                assert r > g and r > b, f"an error is not red ({colour})"
                notes = section.locator(".note.error")
                assert notes.count() >= len(errors) and notes.first.is_visible()
                problems = page.locator("section.report", has_text="hong.docx").locator(".problems")
                assert problems.is_visible() and " ".join(not_read.split()) in " ".join(problems.inner_text().split())

                page.evaluate("window.scrollTo(0, 0)")
                shots["serve-ket-qua.png"] = page.screenshot()

                # download the HTML page: it is the one the command line writes
                with page.expect_download() as dl:
                    page.click("#dl-html")
                assert dl.value.suggested_filename == "ket-qua-kiem-tra.html"
                saved = tmp_path / "tai-ve.html"
                dl.value.save_as(saved)
                assert saved.read_text(encoding="utf-8") == expected_html
                with page.expect_download() as dl:
                    page.click("#dl-json")
                dl.value.save_as(tmp_path / "tai-ve.json")
                assert json.loads((tmp_path / "tai-ve.json").read_text(encoding="utf-8"))["reports"] == report

                # back to the page, and a clean report dropped on it: no error
                with page.expect_navigation(wait_until="load"):
                    page.click("#again")
                assert page.locator("#drop").is_visible()
                data = (EXAMPLES / "xa-sach.txt").read_bytes()
                with page.expect_navigation(wait_until="load"):
                    page.evaluate(_DROP, ["xa-sach.txt", base64.b64encode(data).decode("ascii")])
                assert page.locator("#summary tbody tr").count() == 1
                status = page.locator("#summary tbody tr td.status").inner_text().strip()
                assert status not in ("Có lỗi", "Không đọc được"), status
                assert page.locator("#summary tbody tr td.errors").inner_text().strip() == "0"
                assert page.locator("section.report mark.m.error").count() == 0  # (the legend has a sample)
                assert page.locator(".problems").count() == 0
                clean = page.locator("section.report", has_text="xa-sach.txt")
                assert clean.is_visible() and clean.locator("table.find tr.error, .note.error").count() == 0
            finally:
                browser.close()
    finally:
        code, out, err = server.stop()
    assert code == 0 and "Traceback" not in err, err
    assert "xa-loi" not in out + err and "hong" not in out + err  # nothing about the files was logged

    # nothing was fetched but the local server's own pages, and the page broke no policy
    assert blocked == [], blocked
    assert requests and all(u.startswith(server.url) or u.startswith("data:") for u in requests), requests
    assert console_errors == [], console_errors

    for name, data in shots.items():
        width, height = _png_size(data)
        assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])
        assert len(data) > 30_000, f"{name}: an almost empty picture"
        (tmp_path / name).write_bytes(data)
        if os.environ.get("TTHC_SAVE_SCREENSHOT"):
            (ROOT / "docs" / name).write_bytes(data)
    assert time.monotonic() - t0 < 120


def test_the_page_in_english(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    server = Server(tmp_path)
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=15000)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(server.url + "?lang=en", wait_until="load")
                assert page.locator("html").get_attribute("lang") == "en"
                assert "Drop reports here" in page.locator("#drop").inner_text()
                with page.expect_navigation(wait_until="load"):
                    page.set_input_files("#files", [str(EXAMPLES / "xa-loi.txt")])
                assert page.locator("html").get_attribute("lang") == "en"
                assert "Errors" in page.locator("#summary").inner_text()
                # without a file the form is not sent: the browser asks for one (the server would answer 400)
                with page.expect_navigation(wait_until="load"):
                    page.click("#again")
                page.click("button[type=submit]")
                assert page.locator("#files").evaluate("e => e.validity.valueMissing")
                assert page.url == server.url + "?lang=en"
            finally:
                browser.close()
    finally:
        code, _, err = server.stop()
    assert code == 0, err
