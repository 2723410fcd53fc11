"""Text helpers shared by the SFJ and HABC parsers.

Both texts are flattened tables: an outcome's criteria are numbered tokens
("1.", "1.1", "1.1.") inside a stream that may be split across cells, lines,
HTML fragments and page breaks. So the body is joined into one stream and
tokenised by number, never split on tabs, tags or line ends.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from catalogue.errors import SourceError
from catalogue.model import Citation, Criterion, Fact, Outcome

_TAGS = re.compile(r"</?(?:p|i)>")
_SPACE = re.compile(r"\s+")
_FOOTNOTE = re.compile("[\u00b9\u00b2\u00b3\u2074-\u2079]")
# "3." starts an outcome, "3.1" or "3.1." a criterion. Unit bodies hold no other
# digits, so a number is always a token; the sequence check catches anything else.
_TOKEN = re.compile(r"(?<![\w.])(\d{1,2})\.(?:(\d{1,2})\.?)?(?=\s|$)")
_BULLET = re.compile(r"^\s*-(?:\s+|$)")


def read_lines(path: Path) -> list[str]:
    """The file's lines (1-based line n is lines[n-1]); the last line may lack a newline."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path.name, 0, f"cannot read: {exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(path.name, data[:exc.start].count(b"\n") + 1, f"not UTF-8: {exc.reason}") from exc
    if not text.strip():
        raise SourceError(path.name, 1, "file is empty")
    return text.split("\n")


def strip_tags(s: str) -> str:
    return _TAGS.sub(" ", s)


def squash(s: str) -> str:
    """Join wrapped text: tags dropped, runs of whitespace (tabs, line ends) to one space."""
    return _SPACE.sub(" ", strip_tags(s)).strip()


def prose(s: str) -> str:
    """Narrative text as read: footnote superscripts and markdown emphasis/bullets removed."""
    return squash(_BULLET.sub("", _FOOTNOTE.sub("", s).replace("**", "")))


def is_footnote(s: str) -> bool:
    return bool(_FOOTNOTE.match(s.strip()))


def outcome_kind(text: str) -> str:
    if text.startswith(("Understand", "Know ")):
        return "knowledge"
    if text.startswith("Be able to"):
        return "competence"
    return "other"


def parse_outcomes(file: str, pieces: list[tuple[int, str]], unit: str) -> list[Outcome]:
    """Read LOs and ACs from a unit body given as (line number, cleaned text) pieces.

    Outcomes must run 1, 2, 3 ... and each outcome's criteria N.1, N.2 ... with no
    gap; anything else (or text outside a numbered item) raises SourceError.
    """
    if not pieces:
        raise SourceError(file, 0, f"{unit}: no learning outcomes")
    starts, parts, pos = [], [], 0
    for line, text in pieces:
        starts.append(pos)
        parts.append(text)
        pos += len(text) + 1
    stream = " ".join(parts)

    def line_at(offset: int) -> int:
        return pieces[bisect_right(starts, offset) - 1][0]

    tokens = list(_TOKEN.finditer(stream))
    head = stream[: tokens[0].start()] if tokens else stream
    if head.strip():
        raise SourceError(file, pieces[0][0], f"{unit}: text before the first outcome: {squash(head)[:60]!r}")
    outcomes: list[Outcome] = []
    for i, tok in enumerate(tokens):
        end = tokens[i + 1].start() if i + 1 < len(tokens) else len(stream)
        text, line = squash(stream[tok.end():end]), line_at(tok.start())
        major, minor = int(tok.group(1)), tok.group(2)
        if not text:
            raise SourceError(file, line, f"{unit}: empty text after {tok.group(0)!r}")
        if minor is None:
            if major != len(outcomes) + 1:
                raise SourceError(file, line, f"{unit}: outcome {major} out of sequence")
            if outcomes and not outcomes[-1].criteria:
                raise SourceError(file, line, f"{unit}: outcome {major - 1} has no criteria")
            outcomes.append(Outcome(number=str(major), text=text, kind=outcome_kind(text), line=line))
            continue
        if not outcomes or major != len(outcomes):
            raise SourceError(file, line, f"{unit}: criterion {major}.{minor} outside outcome {len(outcomes)}")
        criteria = outcomes[-1].criteria
        if int(minor) != len(criteria) + 1:
            raise SourceError(file, line, f"{unit}: criterion {major}.{minor} follows {major}.{len(criteria)}")
        criteria.append(Criterion(ref=f"{major}.{int(minor)}", text=text, kind="ac", line=line))
    if not outcomes or not outcomes[-1].criteria:
        raise SourceError(file, pieces[-1][0], f"{unit}: last outcome has no criteria")
    return outcomes


def find_sections(file: str, lines: list[str], headings: list[str],
                  prosed: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Map each heading to its (start, end) 0-based line range.

    A heading is its last occurrence as a whole line (the contents list repeats some);
    headings must appear in the given order, so a missing or moved one is an error.
    `prosed` is `prose` of every line, if the caller already has it.
    """
    if prosed is None:
        prosed = [prose(s) for s in lines]
    # One pass instead of one per heading: the last index of every line's text.
    last = {text: i for i, text in enumerate(prosed)}
    found: list[int] = []
    for h in headings:
        if h not in last:
            raise SourceError(file, len(lines), f"heading not found: {h!r}")
        if found and last[h] <= found[-1]:  # e.g. only the contents-list entry is left in a cut copy
            raise SourceError(file, found[-1] + 1, f"heading {h!r} not found after line {found[-1] + 1}")
        found.append(last[h])
    ends = found[1:] + [len(lines)]
    return {h: (s, e) for h, s, e in zip(headings, found, ends)}


@dataclass(frozen=True)
class FactSpec:
    """Where a fact is: its section, the start of its first line and (optionally) its last line."""

    topic: str
    section: str
    first: str
    last: str | None = None
    units: str | None = None  # name of a unit set the parser derives, e.g. "sales"


class Text:
    """A source's lines with its sections, for citing verbatim passages."""

    def __init__(self, source: str, file: str, lines: list[str], headings: list[str]):
        self.source, self.file, self.lines = source, file, lines
        # Every lookup below compares cleaned lines; clean each line once, not once per lookup.
        self.prosed = [prose(s) for s in lines]
        self.sections = find_sections(file, lines, headings, self.prosed)

    def find(self, section: str, prefix: str, after: int | None = None) -> int:
        """0-based index of the first line in `section` that starts with `prefix`."""
        start, end = self.sections[section]
        for i in range(max(start + 1, after or 0), end):
            if self.prosed[i].startswith(prefix):
                return i
        raise SourceError(self.file, start + 1, f"{section}: no line starting {prefix!r}")

    def match(self, section: str, pattern: str) -> tuple[re.Match, int]:
        """The line in `section` fully matching `pattern` (after prose cleaning) and its 0-based index.

        Several hits are allowed only if they read the same (a title repeated on a cover page)."""
        start, end = self.sections[section]
        regex = re.compile(pattern)
        hits = [(m, i) for i in range(start, end) if (m := regex.fullmatch(self.prosed[i]))]
        if not hits or len({m.group(0) for m, _ in hits}) > 1:
            raise SourceError(self.file, start + 1, f"{section}: expected one line matching {pattern!r}, "
                                                    f"found {len(hits)}")
        return hits[0]

    def passage(self, spec: FactSpec) -> tuple[str, Citation]:
        first = self.find(spec.section, spec.first)
        last = self.find(spec.section, spec.last, after=first) if spec.last else first
        # Lists are blank-line separated and interleaved with footnotes and lone "-" bullets.
        texts = [p for s, p in zip(self.lines[first:last + 1], self.prosed[first:last + 1]) if p and not is_footnote(s)]
        cite = Citation(self.source, first + 1, last + 1 if last != first else None, spec.section)
        return " ".join(texts), cite

    def facts(self, specs: list[FactSpec], unit_sets: dict[str, list[str]] | None = None) -> list[Fact]:
        out = []
        for spec in specs:
            text, cite = self.passage(spec)
            units = list((unit_sets or {})[spec.units]) if spec.units else []
            out.append(Fact(spec.topic, text, cite, units))
        return out
