"""Words every format shares, so that text, HTML, CSV and JSON say the same thing the same way:
one word for a check that could not be decided, one phrase per verdict on a whole report, one way
to count a batch (files not read are not counted among the reports) and to name a sample."""
from __future__ import annotations

from dataclasses import dataclass

UNDECIDED = {"vi": "không kết luận được", "en": "undecided"}

# the verdict on one report (Audit.verdict), as a badge or a cell
VERDICT = {
    "vi": {"unreadable": "Không đọc được", "not_checked": "Không có gì để kiểm tra", "errors": "Có lỗi",
           "warnings": "Có cảnh báo", "info": "Có lưu ý", "ok": "Không phát hiện sai sót"},
    "en": {"unreadable": "Unreadable", "not_checked": "Nothing to check", "errors": "Errors",
           "warnings": "Warnings", "info": "Notes", "ok": "No problems found"},
}

# what a Word or PDF file holds that was not read (sources.Note)
UNREAD_HEAD = {"vi": "Nội dung trong tệp không được đọc", "en": "Content of the file that was not read"}

LEVELS = {"vi": {"commune": "xã", "district": "huyện", "province": "tỉnh"},
          "en": {"commune": "commune", "district": "district", "province": "province"}}


def level_phrase(level: str | None, lang: str) -> str:
    """"cấp xã" / "commune level"."""
    if not level:
        return ""
    name = LEVELS["en" if lang == "en" else "vi"].get(level, level)
    return f"{name} level" if lang == "en" else f"cấp {name}"


@dataclass(frozen=True)
class Sample:
    """A random sample drawn with --sample: `n` of `of` files, with `seed`."""
    n: int
    of: int
    seed: int

    def phrase(self, lang: str) -> str:
        if lang == "en":
            return f"random sample of {self.n} of {self.of} files (--sample {self.n} --seed {self.seed})"
        return f"mẫu ngẫu nhiên {self.n} trong {self.of} tệp (--sample {self.n} --seed {self.seed})"

    def record(self) -> dict:
        return {"n": self.n, "of": self.of, "seed": self.seed}


def batch_phrase(verdicts: list[str], lang: str, sample: Sample | None = None) -> str:
    """"23 báo cáo (1 không có gì để kiểm tra), 5 tệp không đọc được": files not read are not reports."""
    unread = sum(1 for v in verdicts if v == "unreadable")
    nothing = sum(1 for v in verdicts if v == "not_checked")
    read = len(verdicts) - unread
    if lang == "en":
        text = f"{read} report{'s' if read != 1 else ''}" + (f" ({nothing} with nothing to check)" if nothing else "") \
            + (f", {unread} file{'s' if unread != 1 else ''} unreadable" if unread else "")
    else:
        text = f"{read} báo cáo" + (f" ({nothing} không có gì để kiểm tra)" if nothing else "") \
            + (f", {unread} tệp không đọc được" if unread else "")
    if sample is not None:
        text += f" — {sample.phrase(lang)}"
    return text
