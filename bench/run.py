"""Benchmark: the whole pipeline against simple floors, measured in one run on this machine.

    python bench/run.py              # quick (a few hundred reports in the batch)
    python bench/run.py --batch 10000

Prints throughput against a one-regex floor, per-report latency, CLI cold start against bare
imports, batch wall time for --jobs 1 and 2 with peak memory, and how time grows with size.
"""
from __future__ import annotations

import argparse
import compileall
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.check.catalog import load_catalog  # noqa: E402
from auditor.engine import Selection, audit_text  # noqa: E402
from auditor.lexicon import default_lexicon  # noqa: E402

FIELDS = ["Hộ tịch", "Chứng thực", "Bảo trợ xã hội", "Người có công", "Đất đai", "Tư pháp", "Nội vụ",
          "Nuôi con nuôi", "Văn hóa", "Giáo dục và Đào tạo", "Y tế", "Nông nghiệp", "Thủy lợi", "Giao thông vận tải",
          "Xây dựng", "Tài nguyên nước", "Môi trường", "Công thương", "Kế hoạch và Đầu tư", "Tài chính",
          "Lao động việc làm", "Phòng chống tệ nạn xã hội", "Thi đua khen thưởng", "Tôn giáo", "Thể dục thể thao",
          "Du lịch", "Gia đình", "Trẻ em", "Khiếu nại", "Tiếp công dân"]
# a benchmark report may have more fields than a province has: the extra ones are told apart by a
# place name, never by a number (a number in a field's name is a figure to the auditor)
PLACES = ["", " thôn Bắc", " thôn Nam", " thôn Đông", " thôn Tây", " xóm Trại", " xóm Chùa", " xóm Giữa", " bản Mường",
          " bản Lác", " ấp Mới", " ấp Cũ", " khu Đồi", " khu Chợ", " tổ Bến", " tổ Đình"]


def fmt(n: int, english: bool) -> str:
    s = f"{n:,}"
    return s if english else s.replace(",", ".")


def pct(a: int, b: int, english: bool) -> str:
    v = f"{a * 100 / b:.2f}" if b else "0.00"
    return v if english else v.replace(".", ",")


def ocr(text: str, rng: random.Random) -> str:
    src, dst = "ốồơờớợưứừệềếạảãấầậắằặ", "6oooooouuu8eeaaaaaaaa"
    table = str.maketrans(src, dst[:len(src)].ljust(len(src), "a"))
    out = text.translate(table).replace("Số", "S6").replace("tỷ lệ", "ty 1&")
    return out


COMMUNE_SYLLABLES = ["An", "Bình", "Phú", "Hòa", "Thạnh", "Long", "Tân", "Mỹ", "Phước", "Lợi", "Đông", "Tây", "Hưng",
                     "Thuận", "Lộc", "Thành", "Quang", "Minh", "Trung", "Sơn"]


def _figures(rng: random.Random) -> list[int]:
    """One unit's consistent figures: received, online, direct, carried, resolved, early, on time, late, pending."""
    online, direct, carried = rng.randint(50, 900), rng.randint(0, 200), rng.randint(0, 30)
    received = online + direct + carried
    pending = rng.randint(0, received // 10)
    resolved = received - pending
    early = rng.randint(0, resolved)
    late = rng.randint(0, (resolved - early) // 5)
    ontime = resolved - early - late
    return [received, online, direct, carried, resolved, early, ontime, late, pending]


def _sentence(v: list[int], english: bool) -> str:
    f = lambda n: fmt(n, english)  # noqa: E731
    received, online, direct, carried, resolved, early, ontime, late, pending = v
    return (f"tiếp nhận {f(received)} hồ sơ, trong đó trực tuyến {f(online)} hồ sơ, "
            f"trực tiếp {f(direct)} hồ sơ, kỳ trước chuyển sang {f(carried)} hồ sơ; đã giải quyết {f(resolved)} hồ sơ "
            f"(trước hạn {f(early)}, đúng hạn {f(ontime)}, quá hạn {f(late)}), đang giải quyết {f(pending)} hồ sơ. "
            f"Tỷ lệ trực tuyến đạt {pct(online, online + direct, english)}% ({f(online)}/{f(online + direct)} hồ sơ).")


def _appendix(title: str, first_column: str, rows: list[tuple[str, list[int]]], english: bool) -> list[str]:
    lines = ["", title, f"STT\t{first_column}\tTổng số tiếp nhận\tTrực tuyến\tTrực tiếp/bưu chính\tTừ kỳ trước\t"
             "Tổng số đã giải quyết\tTrước hạn\tĐúng hạn\tQuá hạn\tĐang giải quyết"]
    totals = [sum(r[1][j] for r in rows) for j in range(9)]
    lines.append("\t".join(["", "Tổng cộng"] + [fmt(v, english) for v in totals]))
    for i, (name, vals) in enumerate(rows, 1):
        lines.append("\t".join([str(i), name] + [fmt(v, english) for v in vals]))
    return lines


def report(rng: random.Random, fields: int, english: bool = False, damaged: bool = False, communes: int = 0) -> str:
    """A consistent report: a commune's (fields in prose and an appendix) or, with `communes`, a
    district's (its own fields, the communes' totals in prose, and an appendix row per commune)."""
    unit = "HUYỆN AN BÌNH" if communes else "XÃ AN BÌNH"
    lines = ["ỦY BAN NHÂN DÂN", unit, "", "Số: 57/BC-UBND", "", "An Bình, ngày 20 tháng 9 năm 2024", "",
             "BÁO CÁO", "Kết quả giải quyết thủ tục hành chính", "(Từ ngày 15/6/2024 đến ngày 14/9/2024)", "",
             "I. KẾT QUẢ", ""]
    if communes:
        lines += ["1. Cấp huyện", ""]
    rows = []
    for i in range(fields):
        name = FIELDS[i % len(FIELDS)] + PLACES[(i // len(FIELDS)) % len(PLACES)]
        v = _figures(rng)
        rows.append((name, v))
        lines += [f"+ Lĩnh vực {name}: {_sentence(v, english)}", ""]
    lines += _appendix("PHỤ LỤC I" if communes else "PHỤ LỤC", "Lĩnh vực", rows, english)
    if communes:
        names = [f"Xã {a} {b}" for a in COMMUNE_SYLLABLES for b in COMMUNE_SYLLABLES if a != b]
        commune_rows = [(names[i % len(names)], _figures(rng)) for i in range(communes)]
        totals = [sum(r[1][j] for r in commune_rows) for j in range(9)]
        lines += ["", "2. Cấp xã", "", f"Các xã trên địa bàn huyện {_sentence(totals, english)}", ""]
        lines += _appendix("PHỤ LỤC II", "Đơn vị", commune_rows, english)
    text = "\n".join(lines) + "\n"
    return ocr(text, rng) if damaged else text


def corpus(rng: random.Random, count: int) -> Iterator[str]:
    """Commune and district reports from about 5 KB to 200 KB, both number styles, some OCR-damaged."""
    for _ in range(count):
        english, damaged = rng.random() < 0.3, rng.random() < 0.3
        if rng.random() < 0.3:
            yield report(rng, rng.choice([20, 60, 250]), english, damaged, communes=rng.choice([15, 60, 500]))
        else:
            yield report(rng, rng.choice([15, 40, 120, 450]), english, damaged)


def make_corpus(rng: random.Random, count: int) -> list[str]:
    return list(corpus(rng, count))


def timed(fn, *args):
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=400, help="reports in the batch test (the target is stated for 10000)")
    a = ap.parse_args()
    rng = random.Random(1)
    catalog = load_catalog()
    texts = make_corpus(rng, 40)
    size = sum(len(t.encode()) for t in texts)
    audit_text("w", texts[0], "utf-8", catalog, Selection(), "vi")  # warm the grammar caches

    lat = [timed(audit_text, "b", t, "utf-8", catalog, Selection(), "vi") for t in texts]
    pipeline = sum(lat)
    floor_rx = re.compile(r"\d+(?:[.,]\d+)*")
    floor = sum(timed(lambda t: floor_rx.findall(t), t) for t in texts)
    print(f"corpus: {len(texts)} reports, {size / 1e6:.2f} MB, {min(len(t) for t in texts) // 1000}–{max(len(t) for t in texts) // 1000} KB each")
    print(f"pipeline: {size / pipeline / 1e6:.2f} MB/s, {len(texts) / pipeline:.1f} reports/s")
    print(f"regex floor: {size / floor / 1e6:.1f} MB/s; pipeline/floor = 1/{pipeline / floor:.0f} (target ≥ 1/20)")
    ms = sorted(x * 1000 for x in lat)
    print(f"latency per report: p50 {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms")

    # the same report with k times the fields (distinct names, figures consistent): pasting one body k
    # times instead would state every figure k times and add repeated-figure checks that 1x does not have
    # times each size from the same cold start of the label-reading memory
    sized = {k: report(random.Random(7), 60 * k) for k in (1, 2, 4, 8)}

    def cold(text: str) -> float:
        default_lexicon().forget_readings()
        return timed(audit_text, "g", text, "utf-8", catalog, Selection(), "vi")
    t1 = min(cold(sized[1]) for _ in range(3))
    growth = []
    for k in (2, 4, 8):
        tk = min(cold(sized[k]) for _ in range(3))
        growth.append(f"{k}x size ({len(sized[k].encode()) / len(sized[1].encode()):.1f}x bytes): {tk / t1:.1f}x time")
    print(f"growth from a {len(sized[1].encode()) // 1000} KB report: " + ", ".join(growth) + " (target: 8x size ≤ 10x time)")

    # the libraries compared against were byte-compiled when pip installed them, and so is this
    # package when installed with `pip install .`; an editable checkout under PYTHONDONTWRITEBYTECODE
    # would otherwise compile every module from source on every start
    compileall.compile_dir(ROOT / "auditor", quiet=1)
    with tempfile.TemporaryDirectory() as d:
        sample = Path(d) / "r.txt"
        seed_sized = min(texts, key=lambda t: abs(len(t.encode()) - 15_000))  # the seed reports are 10–30 KB
        sample.write_text(seed_sized, encoding="utf-8")
        cli = [sys.executable, "-m", "auditor.cli", str(sample)]
        imports = [sys.executable, "-c", "import lark, rich, pydantic, yaml"]
        quiet = lambda cmd: subprocess.run(cmd, capture_output=True)  # noqa: E731
        c_cli = min(timed(quiet, cli) for _ in range(3))
        c_imp = min(timed(quiet, imports) for _ in range(3))
        print(f"cold start ({len(seed_sized.encode()) // 1000} KB report): CLI {c_cli * 1000:.0f} ms, bare imports {c_imp * 1000:.0f} ms, ratio {c_cli / c_imp:.2f} (target ≤ 1.5)")
        # where the start goes: the bare `import pydantic` is lazy, the first model class is not
        c_mod = min(timed(quiet, [sys.executable, "-c", "import auditor.cli"]) for _ in range(3))
        c_pyd = min(timed(quiet, [sys.executable, "-c", "import pydantic; pydantic.BaseModel"]) for _ in range(3))
        c_lazy = min(timed(quiet, [sys.executable, "-c", "import pydantic"]) for _ in range(3))
        # the four libraries as the CLI must use them: a console to print on, one pydantic model
        # validated (which also loads pydantic's plugin finder), a LALR parser from a grammar
        in_use = ("import yaml, rich.console, lark; from pydantic import BaseModel\n"
                  "class M(BaseModel):\n    x: int\n"
                  "M.model_validate({'x': 1}); rich.console.Console()\n"
                  "lark.Lark('start: \"a\"', parser='lalr')")
        c_use = min(timed(quiet, [sys.executable, "-c", in_use]) for _ in range(3))
        print(f"  of which: importing the CLI's modules {c_mod * 1000:.0f} ms (pydantic's BaseModel alone "
              f"{(c_pyd - c_lazy) * 1000:.0f} ms), then loading rules and lexicon, auditing and printing {(c_cli - c_mod) * 1000:.0f} ms")
        print(f"  the four libraries used, not only imported (a console, a pydantic model validated, a LALR parser): "
              f"{c_use * 1000:.0f} ms = {c_use / c_imp:.2f}x the bare imports before this package does anything")

        folder = Path(d) / "batch"
        folder.mkdir()
        # every report of the batch is a different one: repeated texts would be read from the
        # lexicon's memory of label readings and flatter the figures
        batch_bytes = 0
        for i, text in enumerate(corpus(random.Random(2), a.batch)):
            batch_bytes += (folder / f"r{i:05d}.txt").write_bytes(text.encode())
        for jobs in (1, 2):
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", _PEAK_WRAPPER, "--summary-only", "--jobs", str(jobs), str(folder)],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - t0
            peaks = json.loads(done.stderr.strip().splitlines()[-1])
            print(f"batch of {a.batch} different reports ({batch_bytes / 1e6:.0f} MB) with --jobs {jobs}: {wall:.1f} s ({a.batch / wall:.0f} reports/s); peak memory: "
                  f"main process {peaks['main']:.0f} MB, largest worker {peaks['worker']:.0f} MB; "
                  f"projected for 10000: {wall * 10000 / a.batch:.0f} s")


# The CLI run in a fresh process that, when done, prints the high-water mark of its own memory and of
# its largest worker. Measured from inside: a child's getrusage() maximum would include the pages
# of the (large) benchmark process it was spawned from.
_PEAK_WRAPPER = """
import json, resource, sys
from auditor.cli import main
code = main(sys.argv[1:])
def hwm():
    try:
        for line in open('/proc/self/status'):
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"main": hwm(), "worker": worker}), file=sys.stderr)
sys.exit(code)
"""

if __name__ == "__main__":
    main()
