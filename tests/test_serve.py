"""`tthc-audit serve`, as a real uvicorn server in its own process: the page, the same outputs as
the command line, bad requests answered with a Vietnamese page and a 4xx status while the server
keeps serving, 127.0.0.1 only, nothing kept, and memory back to its level after 20 parallel uploads."""
from __future__ import annotations

import base64
import errno
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STARTUP = 30  # seconds for the server to print its address


# ---------------------------------------------------------------- helpers (also used by test_serve_browser.py)

class Server:
    """`python -m auditor.cli serve --port 0 --no-browser ...` in `cwd`, with a private TMPDIR."""

    def __init__(self, cwd: Path, *args: str, port: str | None = "0"):
        self.cwd = cwd
        self.tmp = cwd.parent / f"{cwd.name}-tmp"
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(self.tmp), "PYTHONUNBUFFERED": "1"}
        env.pop("DISPLAY", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        port_args = ["--port", port] if port is not None else []
        self.proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", *port_args, "--no-browser", *args],
                                     cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.left_in_tmp: list[Path] = []
        self.first_line = self._read_address()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.first_line)
        assert m, f"no address printed: {self.first_line!r}"
        self.port = int(m.group(1))
        self.url = m.group(0)

    def _read_address(self) -> str:
        """Lines up to the one with the address; the process is killed if it takes too long."""
        import threading

        watchdog = threading.Timer(STARTUP, self.proc.kill)
        watchdog.start()
        try:
            before = []
            for line in self.proc.stdout:
                if "http://" in line:
                    return "".join(before) + line
                before.append(line)
        finally:
            watchdog.cancel()
        self.proc.kill()
        raise AssertionError(f"serve did not start: {''.join(before)}{self.proc.stderr.read()}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
        """SIGTERM, as a service manager stops it (or SIGINT, Ctrl+C): a clean end with status 0."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        # the grammar's own cache (lark writes its parse tables there) is not an upload
        self.left_in_tmp = [p for p in self.tmp.iterdir() if not p.name.startswith(".lark_cache")]
        shutil.rmtree(self.tmp, ignore_errors=True)
        return self.proc.returncode, self.first_line + out, err


def form(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body written by hand, so that a test can send what a browser would
    not: any field name, any file name. A part with name None is a plain text field."""
    boundary = "----tthc" + uuid.uuid4().hex
    out = bytearray()
    for field, filename, data in parts:
        disp = f'form-data; name="{field}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            host: str = "127.0.0.1", timeout: float = 120) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body, headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data.decode("utf-8")
    finally:
        conn.close()


def upload(port: int, files: list[tuple[str, bytes]], lang: str | None = None) -> tuple[int, dict, str]:
    body, ctype = form(*[("files", name, data) for name, data in files])
    return request(port, "POST", "/kiem-tra" + (f"?lang={lang}" if lang else ""), body, {"Content-Type": ctype})


def downloads(page: str) -> dict[str, tuple[str, str]]:
    """The three download links of a result page: {id: (file name, decoded content)}."""
    out = {}
    for m in re.finditer(r'<a class="btn" id="(dl-\w+)" download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', page):
        out[m.group(1)] = (m.group(2), base64.b64decode(m.group(3)).decode("utf-8"))
    return out


def message(page: str) -> str:
    m = re.search(r'<p id="message">([^<]*)</p>', page)
    return m.group(1) if m else ""


def cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=120)
    # the output exactly as written (UTF-8, the CSV's CRLF line ends kept: no newline translation)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8", errors="replace"))


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("serve")
    s = Server(cwd)
    yield s
    code, out, err = s.stop()
    assert code == 0, err
    assert err == "", err  # no traceback, no warning, no log line
    # nothing about the requests reached the terminal: no access log, no file name
    assert "kiem-tra" not in out + err and "xa-loi" not in out + err, out + err
    assert list(cwd.iterdir()) == [], "serve wrote into the folder it was started from"
    assert s.left_in_tmp == [], "serve wrote into the temporary folder"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A server with small limits: 3 files at a time, 20,000 bytes each."""
    s = Server(tmp_path_factory.mktemp("serve-small"), "--max-files", "3", "--max-bytes", "20000")
    yield s
    code, _out, err = s.stop()
    assert code == 0 and "Traceback" not in err, err


def _still_serving(s: Server) -> None:
    assert s.alive()
    status, _, page = request(s.port, "GET", "/")
    assert status == 200 and 'name="files"' in page


# ---------------------------------------------------------------- the page

def test_prints_its_address_and_serves_the_vietnamese_page(server):
    assert server.first_line.splitlines()[-1].startswith("Trang kiểm tra báo cáo đang chạy tại http://127.0.0.1:")
    status, headers, page = request(server.port, "GET", "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page and "Kéo thả báo cáo vào đây" in page
    assert '<input type="file" id="files" name="files" multiple' in page
    assert 'enctype="multipart/form-data"' in page and 'action="/kiem-tra?lang=vi"' in page
    assert "Mỗi lần tối đa 20 tệp, mỗi tệp không quá 5 MB." in page
    # nothing from the network: no external address, no font, and a policy that forbids loading any
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert "@font-face" not in page and "@import" not in page
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp
    assert headers["cache-control"] == "no-store"


def test_english_with_lang_en_and_a_bad_language_is_a_400(server):
    status, _, page = request(server.port, "GET", "/?lang=en")
    assert status == 200 and '<html lang="en">' in page and "Drop reports here" in page
    assert 'action="/kiem-tra?lang=en"' in page
    status, _, page = request(server.port, "GET", "/?lang=fr")
    assert status == 400 and "Ngôn ngữ “fr” không có" in message(page)


def test_ctrl_c_stops_it_quietly(tmp_path):
    s = Server(tmp_path)
    _still_serving(s)
    code, out, err = s.stop(signal.SIGINT)
    assert code == 0 and err == "", err
    assert out.rstrip().endswith("Đã dừng.")


def test_cli_start_up_does_not_load_the_web_libraries():
    code = ("import sys, auditor.cli; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'python_multipart', 'anyio')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------- same results as the command line

def test_results_are_the_cli_outputs(server, tmp_path):
    names = ["xa-loi.docx", "huyen-bang.txt"]
    for n in names:
        shutil.copy(EXAMPLES / n, tmp_path / n)
    broken = b"\x00\x01 not a Word file at all " * 40
    (tmp_path / "hong.docx").write_bytes(broken)
    files = [(n, (tmp_path / n).read_bytes()) for n in [*names, "hong.docx"]]
    status, headers, page = upload(server.port, files)
    assert status == 200, message(page)
    assert headers["cache-control"] == "no-store"
    assert "default-src 'none'" in headers["content-security-policy"]
    got = downloads(page)
    assert set(got) == {"dl-html", "dl-json", "dl-csv"}
    assert got["dl-html"][0] == "ket-qua-kiem-tra.html"
    for fmt, key in (("html", "dl-html"), ("json", "dl-json"), ("csv-checks", "dl-csv")):
        proc = cli(["--format", fmt, *names, "hong.docx"], tmp_path)
        assert proc.returncode == 2, proc.stderr  # the broken file: exit 2, as always
        assert got[key][1] == proc.stdout, f"{fmt}: the page's download differs from tthc-audit --format {fmt}"
    # the page shown is that same report, with the download bar on top
    assert page.replace(page[page.index('<nav class="tthc-serve"'):page.index("</nav>\n") + 7], "") \
        .replace("<body>\n\n", "<body>\n") == got["dl-html"][1]
    # the unreadable file carries the command line's own message
    cli_msg = cli(["hong.docx"], tmp_path).stderr
    problem = json.loads(got["dl-json"][1])["reports"][2]["problems"][0]["message"]
    assert problem in " ".join(cli_msg.split())
    assert html.escape(problem, quote=False) in page
    assert "Không đọc được" in page


def test_one_report_in_english(server):
    status, _, page = upload(server.port, [("xa-sach.txt", (EXAMPLES / "xa-sach.txt").read_bytes())], lang="en")
    assert status == 200
    assert '<html lang="en">' in page and "Download:" in page
    assert downloads(page)["dl-csv"][0] == "xa-sach-audit-result.csv"


def test_an_empty_file_is_shown_as_not_read(server):
    status, _, page = upload(server.port, [("rong.txt", b"")])
    assert status == 200
    record = json.loads(downloads(page)["dl-json"][1])["reports"][0]
    assert record["problems"] and record["problems"][0]["code"].startswith("IO")
    assert html.escape(record["problems"][0]["message"], quote=False) in page


def test_config_and_rules_as_the_cli(tmp_path):
    """.tthc-audit.yaml from the folder serve starts in (its rules, severity, ignore) and --rules."""
    # copies of two built-in rules under new codes: whatever the rule format, they are valid rules
    import yaml

    def copy(source: str, code: str, new: str, path: Path) -> None:
        rules = yaml.safe_load((ROOT / "rules" / source).read_text(encoding="utf-8"))["rules"]
        rule = next(r for r in rules if r["code"] == code)
        rule = {**rule, "code": new, "name": f"{rule['name']}-{new.lower()}"}
        path.write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    (tmp_path / "luat").mkdir()
    copy("percent.yaml", "PC004", "ZZ001", tmp_path / "luat" / "zz.yaml")
    copy("percent.yaml", "PC001", "ZY001", tmp_path / "zy.yaml")
    (tmp_path / ".tthc-audit.yaml").write_text("rules: [luat/]\nignore: [PC]\nseverity: {CT001: info}\n",
                                               encoding="utf-8")
    s = Server(tmp_path, "--rules", str(tmp_path / "zy.yaml"))
    try:
        status, _, page = upload(s.port, [("xa-loi.txt", (EXAMPLES / "xa-loi.txt").read_bytes())])
        assert status == 200, message(page)
        checks = json.loads(downloads(page)["dl-json"][1])["reports"][0]["checks"]
        codes = {c["code"] for c in checks}
        assert {"ZZ001", "ZY001"} <= codes
        assert not any(c.startswith("PC") for c in codes)
        assert {c["severity"] for c in checks if c["code"] == "CT001"} == {"info"}
    finally:
        code, _, err = s.stop()
    assert code == 0, err


@pytest.mark.parametrize("config, args, words", [
    ("select: [AR]\nbogus: 1\n", [], ".tthc-audit.yaml:2"),
    ("", ["--rules", "khong-co.yaml"], "khong-co.yaml"),
    ("", ["--port", "70000"], "--port"),
    ("", ["--max-files", "0"], "--max-files"),
])
def test_a_bad_start_is_one_line_and_exit_2(tmp_path, config, args, words):
    if config:
        (tmp_path / ".tthc-audit.yaml").write_text(config, encoding="utf-8")
    proc = cli(["serve", "--no-browser", "--port", "0", *args], tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and words in proc.stderr
    assert "http://" not in proc.stdout


def test_a_port_in_use_is_exit_2_and_the_default_port_falls_back(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = cli(["serve", "--no-browser", "--port", str(port)], tmp_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert f"không mở được cổng {port}" in " ".join(proc.stderr.split())
    # the default port, when something else has it, gives way to a free one
    from auditor.serve import DEFAULT_PORT

    with socket.socket() as default:
        try:
            default.bind(("127.0.0.1", DEFAULT_PORT))
            default.listen(1)
        except OSError:
            pass  # something else holds it already: the same situation
        s = Server(tmp_path, port=None)
        try:
            assert s.port != DEFAULT_PORT
            assert f"Cổng {DEFAULT_PORT} đang bận, dùng cổng {s.port}." in s.first_line
            _still_serving(s)
        finally:
            code, _, err = s.stop()
    assert code == 0, err


# ---------------------------------------------------------------- bad requests: a clear page, 4xx, still serving

def _too_big_body(limit: int) -> tuple[bytes, str]:
    return form(("files", "lon.txt", b"a" * (limit + 1)))


BAD = [
    # (what, server, method, path, body maker, extra headers, status, words of the message)
    ("no file chosen", "server", "POST", "/kiem-tra", lambda: form(("files", "", b"")), {}, 400, "Chưa có tệp báo cáo nào"),
    ("an empty form", "server", "POST", "/kiem-tra", lambda: form(), {}, 400, "Chưa có tệp báo cáo nào"),
    ("a wrong field", "server", "POST", "/kiem-tra", lambda: form(("tep", "a.txt", b"x")), {}, 400,
     "trường “tep” không phải trường tệp báo cáo"),
    ("text, not a file", "server", "POST", "/kiem-tra", lambda: form(("files", None, b"abc")), {}, 400,
     "phải là một tệp"),
    ("a relative path", "server", "POST", "/kiem-tra", lambda: form(("files", "../../etc/passwd", b"x")), {}, 400,
     "Tên tệp “../../etc/passwd” có chứa đường dẫn thư mục"),
    ("a folder", "server", "POST", "/kiem-tra", lambda: form(("files", "nop/xa-loi.txt", b"x")), {}, 400,
     "có chứa đường dẫn thư mục"),
    ("a Windows path", "server", "POST", "/kiem-tra", lambda: form(("files", "C:\\\\Users\\\\a.txt", b"x")), {}, 400,
     "Tên tệp “C:\\Users\\a.txt” có chứa đường dẫn thư mục"),
    ("a control character", "server", "POST", "/kiem-tra", lambda: form(("files", "a\x1b[31m.txt", b"x")), {}, 400,
     "ký tự điều khiển"),
    ("not a form", "server", "POST", "/kiem-tra", lambda: (b"a=1", "application/x-www-form-urlencoded"), {}, 415,
     "không phải biểu mẫu tải tệp"),
    ("a broken form", "server", "POST", "/kiem-tra", lambda: (b"--zz\r\ngarbage", "multipart/form-data; boundary=xx"), {},
     400, "bị hỏng hoặc không đầy đủ"),
    ("no boundary", "server", "POST", "/kiem-tra", lambda: (b"", "multipart/form-data"), {}, 400, "bị hỏng"),
    ("a file too large", "small", "POST", "/kiem-tra", lambda: _too_big_body(20000), {}, 413,
     "Tệp “lon.txt” lớn hơn giới hạn 20.000 byte"),
    ("too many files", "small", "POST", "/kiem-tra", lambda: form(*[("files", f"{i}.txt", b"x") for i in range(4)]), {},
     400, "tối đa 3 tệp"),
    ("a body larger than all files allowed", "small", "POST", "/kiem-tra", lambda: form(("files", "a.txt", b"x")),
     {"Content-Length-Override": "999999999"}, 413, "Dữ liệu gửi lên quá lớn"),
    ("another site's form", "server", "POST", "/kiem-tra", lambda: form(("files", "a.txt", b"x")),
     {"Origin": "http://evil.example"}, 403, "đến từ một trang khác"),
    ("another host name", "server", "GET", "/", lambda: (None, None), {"Host": "evil.example"}, 400,
     "chỉ mở được bằng địa chỉ http://127.0.0.1"),
    ("an unknown page", "server", "GET", "/etc/passwd", lambda: (None, None), {}, 404, "Không có trang này"),
    ("a wrong method", "server", "PUT", "/kiem-tra", lambda: (b"", "text/plain"), {}, 405, "không nhận kiểu yêu cầu"),
]


@pytest.mark.parametrize("what, which, method, path, make, extra, status, words", BAD, ids=[b[0] for b in BAD])
def test_bad_request_gets_a_clear_page(request_fixture, what, which, method, path, make, extra, status, words):
    s = request_fixture(which)
    body, ctype = make()
    headers = {"Content-Type": ctype} if ctype else {}
    headers.update(extra)
    if "Content-Length-Override" in headers:  # announce more than the limit and send nothing
        headers["Content-Length"] = headers.pop("Content-Length-Override")
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.putrequest(method, path)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        got, page = resp.status, resp.read().decode("utf-8")
        conn.close()
    elif "Host" in headers:
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.putrequest(method, path, skip_host=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        got, page = resp.status, resp.read().decode("utf-8")
        conn.close()
    else:
        got, _, page = request(s.port, method, path, body, headers)
    assert got == status, (what, got, message(page))
    assert '<html lang="vi">' in page and 'role="alert"' in page
    assert words in " ".join(message(page).split()), message(page)
    assert "Traceback" not in page and "File \"" not in page
    _still_serving(s)


@pytest.fixture
def request_fixture(request):
    return lambda name: request.getfixturevalue(name)


def test_an_error_page_in_english(small):
    body, ctype = form(*[("files", f"{i}.txt", b"x") for i in range(5)])
    status, _, page = request(small.port, "POST", "/kiem-tra?lang=en", body, {"Content-Type": ctype})
    assert status == 400 and "At most 3 files can be checked at a time" in message(page)


def test_a_file_at_the_limit_is_audited_and_one_byte_more_is_refused(small):
    text = (EXAMPLES / "xa-sach.txt").read_bytes()
    exact = (text + b"\n" * 20000)[:20000]
    status, _, page = upload(small.port, [("xa-sach.txt", exact)])
    assert status == 200, message(page)
    status, _, page = upload(small.port, [("xa-sach.txt", exact + b"\n")])
    assert status == 413
    _still_serving(small)


def test_a_client_that_hangs_up_mid_upload_does_not_stop_the_server(server):
    body, ctype = form(("files", "xa-loi.txt", (EXAMPLES / "xa-loi.txt").read_bytes()))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        head = (f"POST /kiem-tra HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        sock.sendall(head + body[: len(body) // 2])
    time.sleep(0.3)
    _still_serving(server)


def _asgi(app, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, str]:
    """One request straight into the application, in this process."""
    import anyio

    path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765),
             "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "127.0.0.1:8765", **(headers or {})}.items()]}
    sent = {"status": 0, "body": b""}
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")
    anyio.run(app, scope, receive, send)
    return sent["status"], sent["body"].decode("utf-8")


def test_a_failure_inside_the_core_is_a_500_page_not_a_traceback(capfd):
    from auditor.cli import Selection, load_catalog
    from auditor.serve import Settings, create_app

    class Broken:  # a catalog whose every use fails, as a bug in the core would
        def __getattr__(self, name):
            raise RuntimeError("secret-report-content")
    app = create_app(Settings(Broken(), Selection()))
    body, ctype = form(("files", "bi-mat.txt", (EXAMPLES / "xa-sach.txt").read_bytes()))
    status, page = _asgi(app, "POST", "/kiem-tra", body, {"content-type": ctype})
    assert status == 500
    assert "Có lỗi bên trong chương trình" in message(page) and "Traceback" not in page
    assert "secret-report-content" not in page
    err = capfd.readouterr().err
    assert "RuntimeError" in err and "bi-mat" not in err and "secret" not in err
    # the same application still answers, and with a working catalog it audits
    good = create_app(Settings(load_catalog(), Selection()))
    assert _asgi(app, "GET", "/")[0] == 200
    status, page = _asgi(good, "POST", "/kiem-tra", body, {"content-type": ctype})
    assert status == 200 and "bi-mat.txt" in page


# ---------------------------------------------------------------- 127.0.0.1 only

def _refused(host: str, port: int, family=socket.AF_INET) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        try:
            s.connect((host, port))
        except ConnectionRefusedError:
            return True
        except OSError as exc:  # no IPv6 on this machine: nothing listens there either
            return exc.errno in (errno.EADDRNOTAVAIL, errno.ENETUNREACH, errno.EAFNOSUPPORT)
        return False


def _listening(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port:
                found.add(addr)
    return found


def test_listens_on_127_0_0_1_only(server):
    assert _listening(server.port) == {"0100007F"}  # 127.0.0.1, in the kernel's byte order; no 0.0.0.0, no ::
    assert not _refused("127.0.0.1", server.port)
    # other loopback addresses reach this machine too; a server bound to every interface would answer there
    assert _refused("127.0.0.2", server.port)
    assert _refused("::1", server.port, socket.AF_INET6)


_NETNS_PROBE = r"""
import json, os, re, socket, subprocess, sys
def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True)
ip("link", "set", "lo", "up")
try:  # a second interface, with an address of its own
    ip("link", "add", "tthc0", "type", "veth", "peer", "name", "tthc1")
    ip("addr", "add", "10.213.7.1/24", "dev", "tthc0")
    ip("link", "set", "tthc0", "up")
    ip("link", "set", "tthc1", "up")
except subprocess.CalledProcessError:  # no veth in this kernel: a second address of the namespace's own
    ip("addr", "add", "10.213.7.1/32", "dev", "lo")
def connects(host, port):
    with socket.socket() as s:
        s.settimeout(5)
        try:
            s.connect((host, port))
            return True
        except ConnectionRefusedError:
            return False
# control: a socket bound to every interface is reached at the other interface's address
with socket.socket() as anyaddr:
    anyaddr.bind(("0.0.0.0", 0)); anyaddr.listen(1)
    control = connects("10.213.7.1", anyaddr.getsockname()[1])
server = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", "--port", "0", "--no-browser"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))
    print(json.dumps({"control": control, "loopback": connects("127.0.0.1", port),
                      "other": connects("10.213.7.1", port)}))
finally:
    server.terminate(); server.wait(20)
"""


def test_refuses_connections_at_another_interface_address(tmp_path):
    """In a network namespace of its own (nothing leaves it), with a second interface: the server
    is reached at 127.0.0.1 and refused at the other interface's address."""
    unshare, ip = shutil.which("unshare"), shutil.which("ip") or ("/usr/sbin/ip" if Path("/usr/sbin/ip").exists() else None)
    if not unshare or not ip:
        pytest.skip("needs unshare and ip (util-linux, iproute2) for a private network namespace")
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(ip).parent), os.environ.get("PATH", "")])}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.pop("DISPLAY", None)
    try:
        subprocess.run([unshare, "-rn", "true"], check=True, capture_output=True, timeout=20)
    except (subprocess.CalledProcessError, OSError) as exc:
        pytest.skip(f"no private network namespace here (unshare -rn: {exc})")
    proc = subprocess.run([unshare, "-rn", sys.executable, "-c", _NETNS_PROBE], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and "Operation not permitted" in proc.stderr:
        pytest.skip(f"cannot make an interface in the namespace: {proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"control": True, "loopback": True, "other": False}


# ---------------------------------------------------------------- load and memory

def _larger_examples() -> list[tuple[str, bytes]]:
    files = sorted([*EXAMPLES.glob("*.txt"), *EXAMPLES.glob("*.docx")], key=lambda p: -p.stat().st_size)[:4]
    return [(p.name, p.read_bytes()) for p in files]


def test_twenty_parallel_uploads_finish_and_memory_returns(tmp_path):
    files = _larger_examples()
    assert any(name.endswith(".docx") for name, _ in files)
    s = Server(tmp_path)
    try:
        expected = None
        for _ in range(3):  # warm up: libraries, grammar, lexicon, caches
            status, _, page = upload(s.port, files)
            assert status == 200
            expected = expected or downloads(page)["dl-json"][1]
        time.sleep(0.5)
        base = s.rss_mb()
        peak = base
        t0 = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            futures = [pool.submit(upload, s.port, files) for _ in range(20)]
            while not all(f.done() for f in futures):
                peak = max(peak, s.rss_mb())
                time.sleep(0.05)
                assert time.monotonic() - t0 < 300, "20 parallel uploads took more than 5 minutes"
            results = [f.result() for f in futures]
        assert [r[0] for r in results] == [200] * 20
        # every answer is whole and the same: no request saw another's files
        assert all(downloads(r[2])["dl-json"][1] == expected for r in results)
        time.sleep(1.0)
        after = s.rss_mb()
        assert after <= base + 20, f"memory did not come back: {base:.0f} MB before, {peak:.0f} MB at most, {after:.0f} MB after"
        _still_serving(s)
    finally:
        code, _, err = s.stop()
    assert code == 0, err
    assert s.left_in_tmp == [], "an upload was written to the temporary folder"
