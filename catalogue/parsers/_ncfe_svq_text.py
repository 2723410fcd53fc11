"""Reading helpers shared by the NCFE and SVQ parsers.

`SourceText` reads a specification strictly (UTF-8, LF, no NUL) and finds lines by
pattern, raising `SourceError` with the file and line whenever an expected line is
missing, so a truncated copy can never yield a partial document. Facts are located
by an exact anchor phrase and widened to the whole sentence(s) around it, so each
one carries the source's own words and its line.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional, Pattern, Union

from catalogue.errors import SourceError
from catalogue.model import Citation, Fact

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# A sentence ends at . ! or ? followed by space and a capital, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"(“])")
_BULLET = re.compile(r"^(?:- ·|[-•·]) ")
_FOOTNOTE_MARK = re.compile("[\u00b9\u00b2\u00b3\u2074-\u2079]")
_SPACES = re.compile(r" {2,}")
_CONTINUATION = re.compile(r"^ (?!-)\S")  # a wrapped line: one leading space, not a ' - ' sub-item
_NUMBERED = re.compile(r"\d+\. ")

PatternLike = Union[str, Pattern[str]]


def clean(text: str) -> str:
    """Remove extraction markup: HTML tags, **bold** and *italic* asterisks, footnote
    superscripts, doubled spaces."""
    text = _FOOTNOTE_MARK.sub("", _TAG.sub("", text).replace("*", ""))
    return _SPACES.sub(" ", text).strip()


def unbullet(text: str) -> str:
    """Strip a list bullet ('- ', '• ', '- · ') from the start of a cleaned line."""
    return _BULLET.sub("", text, count=1)


class SourceText:
    """One specification file as 1-based lines."""

    def __init__(self, path: Path, source: str):
        self.path, self.file, self.source = Path(path), Path(path).name, source
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(self.file, 0, f"cannot read file: {exc.strerror}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(self.file, raw[: exc.start].count(b"\n") + 1, "not valid UTF-8") from None
        for bad, what in (("\x00", "NUL byte"), ("\r", "carriage return (expected LF line ends)")):
            if bad in text:
                raise SourceError(self.file, text[: text.index(bad)].count("\n") + 1, f"unexpected {what}")
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        if not self.lines:
            raise SourceError(self.file, 1, "file is empty")
        # Each `fact` scans forward from its start line, so the same lines are joined and
        # cleaned many times over; the lines never change, so keep each result.
        self._logical: dict[int, tuple[str, int]] = {}
        self._fact_text: dict[int, Optional[tuple[str, int]]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, n: int) -> str:
        """Line n (1-based)."""
        return self.lines[n - 1]

    def error(self, n: int, reason: str) -> SourceError:
        return SourceError(self.file, n, reason)

    def cite(self, line: int, end_line: Optional[int] = None, section: Optional[str] = None) -> Citation:
        return Citation(self.source, line, end_line if end_line and end_line != line else None, section)

    def find(self, pattern: PatternLike, start: int = 1, end: Optional[int] = None, what: str = "") -> tuple[int, re.Match]:
        """First line in [start, end] matching `pattern` (re.search), else SourceError."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        stop = min(end or len(self), len(self))
        for n in range(start, stop + 1):
            m = rx.search(self[n])
            if m:
                return n, m
        what = what or repr(rx.pattern)
        if end and end <= len(self):
            raise self.error(start, f"expected {what} between lines {start} and {end}")
        raise self.error(len(self), f"file ends before {what} (searched from line {start})")

    def next_text(self, n: int, end: Optional[int] = None) -> int:
        """The first non-blank line after line n."""
        stop = min(end or len(self), len(self))
        for k in range(n + 1, stop + 1):
            if self[k].strip():
                return k
        raise self.error(n, "file ends where more text was expected")

    def logical(self, n: int) -> tuple[str, int]:
        """Line n joined with its wrapped continuations (lines starting with one space
        that are not ' - ' sub-items); returns the cleaned text and the last line used."""
        if n not in self._logical:
            parts, end = [self[n]], n
            while end + 1 <= len(self) and _CONTINUATION.match(self[end + 1]):
                end += 1
                parts.append(self[end].strip())
            self._logical[n] = clean(" ".join(parts)), end
        return self._logical[n]

    def _fact_candidate(self, n: int) -> Optional[tuple[str, int]]:
        """What `fact` searches on line n: the logical line, unbulleted, tabs as ': ', and its
        last line; None for a wrapped continuation (searched with its first line)."""
        if n not in self._fact_text:
            if _CONTINUATION.match(self[n]) and n > 1 and self[n - 1].strip():
                self._fact_text[n] = None
            else:
                text, end = self.logical(n)
                self._fact_text[n] = unbullet(text).replace("\t", ": "), end
        return self._fact_text[n]

    def fact(
        self,
        topic: str,
        anchor: str,
        *,
        start: int = 1,
        section: Optional[str] = None,
        units: Iterable[str] = (),
        whole: bool = False,
        items: bool = False,
    ) -> Fact:
        """The sentence(s) containing `anchor` on the first line from `start` that has it.

        whole: take the whole (logical) line. items: also take the '- ' list that follows.
        Tab-separated table rows read as 'label: value'.
        """
        for n in range(start, len(self) + 1):
            candidate = self._fact_candidate(n)
            if candidate is None:
                continue
            text, end = candidate
            pos = text.find(anchor)
            if pos < 0:
                continue
            if not whole:
                text = _sentences_around(text, pos, pos + len(anchor))
            if items:
                listed, end = self.list_after(end)
                text = "\n".join([text] + [i if _NUMBERED.match(i) else f"- {i}" for i in listed])
            return Fact(topic, text, self.cite(n, end, section), list(units))
        raise self.error(len(self), f"file ends before the text {anchor!r} (searched from line {start})")

    def list_after(self, n: int) -> tuple[list[str], int]:
        """The '- ' or '1. ' items (blank lines allowed before the first) following line n;
        a numbered item keeps its number."""
        items, k, last = [], n + 1, n
        while k <= len(self):
            line = self[k]
            if line.startswith("- ") or _NUMBERED.match(line):
                text, last = self.logical(k)
                items.append(unbullet(text))
                k = last + 1
            elif not line.strip() and not items:
                k += 1
            else:
                break
        if not items:
            raise self.error(n, "expected a list after this line")
        return items, last


def _sentences_around(text: str, begin: int, end: int) -> str:
    """The shortest run of whole sentences of `text` covering text[begin:end]."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    first = max(s for s in starts if s <= begin)
    stops = [m.start() for m in _SENTENCE_END.finditer(text) if m.start() >= end] + [len(text)]
    return text[first : min(stops)].strip()
