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
