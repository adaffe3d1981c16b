"""Errors that end a run with exit status 2 and a one-line message (never a traceback)."""
from __future__ import annotations


class InputError(Exception):
    """The report cannot be read: missing, empty, binary or undecodable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class ConfigError(Exception):
    """A rule catalog, lexicon or config file is malformed; the message names the file and line."""


def first_to_fix(errors: list[dict]) -> dict:
    """Of pydantic's errors, the one to report: a misspelt key is both an unknown key and a missing
    one, and only the unknown one is in the file, where its line can be shown."""
    return next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
