"""argparse in Vietnamese: headings, help of -h and --version, and its error messages, each error on
one line with exit status 2 (argparse itself prints English words and a usage block)."""
from __future__ import annotations

import argparse
import re
import sys

from rich.console import Console
from rich.markup import escape

from .engine import Selection

_ERRORS = [  # argparse's English messages (Python 3.10-3.13), most specific first
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"không hiểu tham số: \1"),
    (r"argument (.+?): invalid choice: (.*?) \(choose from (.*)\)", r"tham số \1: không có lựa chọn \2 (chọn một trong: \3)"),
    (r"argument (.+?): invalid (.+?) value: (.*)", r"tham số \1: giá trị không hợp lệ \3"),
    (r"argument (.+?): expected one argument", r"tham số \1 cần một giá trị"),
    (r"argument (.+?): expected at least one argument", r"tham số \1 cần ít nhất một giá trị"),
    (r"argument (.+?): not allowed with argument (.*)", r"tham số \1 không dùng cùng \2"),
    (r"argument (.+?): (.*)", r"tham số \1: \2"),
    (r"ambiguous option: (.+?) could match (.*)", r"tùy chọn \1 chưa rõ: có thể là \2"),
]


def vietnamese_error(message: str) -> str:
    for pattern, repl in _ERRORS:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, repl, message, flags=re.S)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Vietnamese; an error is one line and exit status 2."""

    def __init__(self, *args, version: str | None = None, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="in hướng dẫn này rồi thoát")
        if version:
            self.add_argument("--version", action="version", version=version, help="in số phiên bản rồi thoát")

    def error(self, message: str):  # noqa: D401 - argparse's hook
        sys.stderr.write(f"{self.prog}: {' '.join(vietnamese_error(message).split())} (xem: {self.prog} --help)\n")
        sys.exit(2)


def positive_int(text: str) -> int:
    """A whole number of at least 1 (--jobs, --sample, --max-bytes, ...)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên dương, không phải {text}")
    return value


def whole_int(text: str) -> int:
    """Any whole number (--seed)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần một số nguyên, không phải {text!r}") from None


def fail(console: Console, message: str) -> int:
    """A refusal on one line, however long the path (no wrapping where stderr is not a terminal): exit 2."""
    console.print(f"[bold red]tthc-audit:[/] {escape(' '.join(message.split()))}", soft_wrap=True)
    return 2


def selection_of(args, config) -> Selection:
    """The rules to run: the config file's select/ignore/severity, then the command line's."""
    sel = Selection(select=list(config.select), ignore=list(config.ignore), severity=dict(config.severity))
    if args.select is not None:
        sel.select = _split(args.select)
    if args.ignore is not None:
        sel.ignore = _split(args.ignore)
    return sel


def _split(value: str | None) -> list[str]:
    return [v.strip().upper() for v in (value or "").split(",") if v.strip()]
