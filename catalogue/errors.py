"""Errors raised while reading a specification text."""
from __future__ import annotations


class SourceError(Exception):
    """A specification text could not be parsed exactly.

    The build stops on the first one: a partial catalogue is never returned.
    """

    def __init__(self, file: str, line: int, reason: str):
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}:{line}: {reason}")
