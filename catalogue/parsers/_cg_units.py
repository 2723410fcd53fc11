"""Line reader and unit state machine for the City & Guilds unit pool (cityguilds.py).

The text is a run of unit specifications extracted from PDF: one content line,
then usually a blank line; wrapped lines follow each other directly. The bullet
glyph was lost, so a bullet is a line indented by one or two spaces, but unit
headers, headings and a few AC lines carry the same stray indent. Everything
here therefore tests the stripped text first and the indent last.

Block texts (guidance, range, NOS, notes) keep the source's wording; each item
or paragraph is on its own line and bullets are rendered with "• ".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from catalogue.errors import SourceError
from catalogue.model import Criterion, Outcome, UnitSpec

SOURCE_ID = "cg-pool"
BULLET = "• "

_PAGE_NUMBER = re.compile(r"\s*\d{1,2}\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HYPHEN_BREAK = re.compile(r"[A-Za-z]-$")
_NOT_A_WORD = re.compile(r"(?:o|eg)(?:\s|$)")  # "o" and "eg" start a new item even in lower case
_RUN_ON = re.compile(r"Unit |Learning outcome|Evidence|\s\d$")
_ITEM_END = re.compile(r"[\s*.]+$")
UNIT_HEADER = re.compile(r"Unit (\d{3}(?:/\d{3})?) (\S.*)")
_UAN = re.compile(r"UAN: ([A-Za-z]/\d{3}/\d{4})")
_LEVEL = re.compile(r"Level: (?:Level )?(\d)")
_CREDITS = re.compile(r"Credit value: (\d+)")
_GLH = re.compile(r"GLH: (\d+)")
_TYPE = re.compile(r"Assessment type: (.*)")
_NOS = re.compile(r"Relationship to NOS: (.*)")
_REQ_LABEL = re.compile(r"Assessment(?: requirements\b.*)?")
_REQ_LABEL_TEXT = "Assessment requirements specified by a sector or regulatory body:"
_AIM = re.compile(r"Aim: (.*)")
_LO = re.compile(r"(\d+)\.\s+(\S.*)")
_AC = re.compile(r"(\d+)\.(\d+)\s+(\S.*)")
_AC_LABEL = re.compile(r"(\d+)\.(\d+)(?:\s+(\S.*))?")  # per-AC guidance label: "1.1" or "1.1 Equality is ..."

# Section headings, matched on the stripped, lower-cased line.
_GUIDANCE = re.compile(r"assessment guidance(?:/evidence)?")
_EVIDENCE = re.compile(r"evidence (?:for this element )?may be supplied by:")
_RANGE = "range"
_RANGE_IN_GUIDANCE = re.compile(r"Range of .*:")  # 218 and 222 put a range list inside the guidance
PORTFOLIO = "additional guidance if delivered as portfolio based"
_CRITERION_GUIDANCE = "In this criterion"


@dataclass(frozen=True, slots=True)
class Line:
    no: int  # 1-based line number in the file
    text: str  # stripped
    indent: int  # leading spaces
    gap: bool  # a blank line (or a dropped page number) comes before it

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(slots=True)
class Para:
    """A paragraph or bullet item of a block, with the lines it spans."""

    text: str
    bullet: bool
    start: int
    end: int


@dataclass(slots=True)
class RawUnit:
    """A parsed unit plus what the fact extraction needs: where each note came from."""

    spec: UnitSpec
    header_lines: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (first, last) line
    unit_notes: list[Para] = field(default_factory=list)  # after the last LO
    outcome_notes: dict[str, list[Para]] = field(default_factory=dict)  # LO number -> notes after its evidence
    portfolio: list[Para] = field(default_factory=list)  # "Additional Guidance if delivered as Portfolio based"
    supporting: list[Para] = field(default_factory=list)  # appendix after a repeated header
    evidence_items: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # LO number -> (line, raw item)


def read_lines(path: Path) -> tuple[list[Line], int]:
    """Non-blank lines (page numbers dropped) and the file's line count."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, 0, f"cannot read: {exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(name, data[: exc.start].count(b"\n") + 1, "not valid UTF-8") from exc
    raw = text.split("\n")
    if raw[-1].strip():  # the file ends with a newline (and a stray space)
        raise SourceError(name, len(raw), "last line has no newline: the copy is truncated")
    tail = raw.pop()
    # One search over the text instead of one per line; the error names the first such line.
    # (The popped last line is blank by the check above and is not searched, as before.)
    if bad := _CONTROL.search(text, 0, len(text) - len(tail)):
        raise SourceError(name, text.count("\n", 0, bad.start()) + 1,
                          "control character (tab, form feed, NUL ...) in the text")
    lines: list[Line] = []
    gap = False
    for no, s in enumerate(raw, 1):
        s = s.rstrip()
        # A page number line ends with a digit; test that before the regex (most lines do not).
        if not s.strip() or (s[-1].isdigit() and _PAGE_NUMBER.fullmatch(s)):
            gap = True
            continue
        stripped = s.lstrip(" ")
        lines.append(Line(no, stripped, len(s) - len(stripped), gap))
        gap = False
    return lines, len(raw)


def join_wrapped(parts: list[str]) -> str:
    """Join wrapped lines with one space; a word broken after a hyphen ("self-" / "service")
    is joined without one (every line-final hyphen in this text is such a break)."""
    out = ""
    for p in parts:
        p = p.strip()
        if not out:
            out = p
        elif _HYPHEN_BREAK.search(out, len(out) - 3):  # only the last characters can match
            out += p
        else:
            out += " " + p
    return out


def _is_bullet(line: Line) -> bool:
    # Footnotes and "In this criterion" sentences sometimes carry the stray indent too.
    return bool(line.indent) and not line.text.startswith(("*", _CRITERION_GUIDANCE))


def _continues(line: Line, prev: Para) -> bool:
    """Whether a line continues the previous paragraph/bullet rather than starting a new one.
    Bullet continuations are not indented and are often separated by a blank line."""
    if _is_bullet(line) or line.text.startswith(_CRITERION_GUIDANCE):
        return False
    if prev.text.endswith(":"):
        return False
    if not line.gap:
        return True
    if line.text[0].islower() and not _NOT_A_WORD.match(line.text):
        return True
    return prev.text.count("(") > prev.text.count(")")


def paragraphs(lines: list[Line]) -> list[Para]:
    paras: list[Para] = []
    for line in lines:
        if paras and _continues(line, paras[-1]):
            p = paras[-1]
            p.text, p.end = join_wrapped([p.text, line.text]), line.no
        else:
            paras.append(Para(line.text, _is_bullet(line), line.no, line.no))
    return paras


def render(paras: list[Para]) -> str:
    return "\n".join((BULLET if p.bullet else "") + p.text for p in paras)


def note_paras(lines: list[Line]) -> list[Para]:
    """Notes as paragraphs; a bare "Note:" label is joined to the paragraph after it."""
    out: list[Para] = []
    for p in paragraphs(lines):
        if out and out[-1].text == "Note:":
            out[-1] = Para(out[-1].text + " " + p.text, False, out[-1].start, p.end)
        else:
            out.append(p)
    return out


def split_segments(file: str, lines: list[Line]) -> list[list[Line]]:
    """Split the text at every "Unit NNN" header (48 of them: 45 units and 3 repeats)."""
    segments: list[list[Line]] = []
    for line in lines:
        if line.indent <= 2 and UNIT_HEADER.fullmatch(line.text):
            segments.append([line])
        elif not segments:
            raise SourceError(file, line.no, f"text before the first unit header: {line.text[:60]!r}")
        else:
            segments[-1].append(line)
    return segments


class _Cursor:
    def __init__(self, file: str, lines: list[Line], unit: str):
        self.file, self.lines, self.unit, self.i = file, lines, unit, 0

    def peek(self) -> Optional[Line]:
        return self.lines[self.i] if self.i < len(self.lines) else None

    def next(self, what: str) -> Line:
        line = self.peek()
        if line is None:
            last = self.lines[-1].no if self.lines else 0
            raise self.error(last, f"ends where {what} was expected (truncated?)")
        self.i += 1
        return line

    def expect(self, pattern: re.Pattern | str, what: str) -> re.Match | Line:
        line = self.next(what)
        if isinstance(pattern, str):
            if line.low != pattern.lower():
                raise self.error(line.no, f"expected {what}, found {line.text[:60]!r}")
            return line
        m = pattern.fullmatch(line.text)
        if not m:
            raise self.error(line.no, f"expected {what}, found {line.text[:60]!r}")
        return m

    def error(self, line: int, reason: str) -> SourceError:
        return SourceError(self.file, line, f"unit {self.unit}: {reason}")


def title_of(file: str, seg: list[Line]) -> tuple[str, str, int]:
    """(number, title, index of the first line after the title) of a segment."""
    number, first = UNIT_HEADER.fullmatch(seg[0].text).groups()
    parts, i = [first], 1
    while i < len(seg) and not (seg[i].text.startswith("UAN:") or seg[i].text == "Supporting information"):
        parts.append(seg[i].text)
        i += 1
        if len(parts) > 3:
            raise SourceError(file, seg[0].no, f"unit {number}: no UAN within three lines of the header")
    if i == len(seg):
        raise SourceError(file, seg[-1].no, f"unit {number}: header with no UAN or supporting information (truncated?)")
    return number, join_wrapped(parts), i


def parse_unit(file: str, seg: list[Line]) -> RawUnit:
    number, title, start = title_of(file, seg)
    cur = _Cursor(file, seg, number)
    cur.i = start
    uan = cur.expect(_UAN, "'UAN:'").group(1).upper()
    level = int(cur.expect(_LEVEL, "'Level:'").group(1))
    credits = int(cur.expect(_CREDITS, "'Credit value:'").group(1))
    glh = int(cur.expect(_GLH, "'GLH:'").group(1))
    spec = UnitSpec(source=SOURCE_ID, ref=uan, number=number, title=title, level=level, credits=credits,
                    glh=glh, line=seg[0].no, simulation="not stated")
    raw = RawUnit(spec)
    _parse_header_fields(cur, raw)
    while cur.peek() is not None and cur.peek().low != PORTFOLIO:
        _parse_outcome(cur, raw)
    if not spec.outcomes:
        raise cur.error(seg[-1].no, "no learning outcomes")
    if cur.peek() is not None:  # the portfolio guidance of 305/306/307 closes the unit
        raw.portfolio = note_paras(seg[cur.i:])
        spec.notes.append(render(raw.portfolio))
    with_lists = [o.evidence_line is not None for o in spec.outcomes]
    if any(with_lists) and not all(with_lists):
        missing = next(o for o in spec.outcomes if o.evidence_line is None)
        raise cur.error(missing.line, f"LO{missing.number} has no evidence list although other LOs have one")
    return raw


def _block(cur: _Cursor, stop) -> list[Line]:
    out = []
    while cur.peek() is not None and not stop(cur.peek()):
        out.append(cur.next(""))
    return out


def _parse_header_fields(cur: _Cursor, raw: RawUnit) -> None:
    """Assessment type and NOS (both optional, in either order), the requirements label and value, the aim."""
    spec = raw.spec

    def is_label(line: Line) -> bool:
        t = line.text
        return bool(_TYPE.fullmatch(t) or _NOS.fullmatch(t) or _REQ_LABEL.fullmatch(t) or _AIM.fullmatch(t)
                    or line.low == "learning outcome")

    while True:
        line = cur.next("the unit's header fields")
        if m := _TYPE.fullmatch(line.text):
            if spec.assessment_type is not None:
                raise cur.error(line.no, "two 'Assessment type:' fields")
            body = [line] + _block(cur, is_label)
            spec.assessment_type = join_wrapped([m.group(1)] + [b.text for b in body[1:]])
            raw.header_lines["assessment_type"] = (line.no, body[-1].no)
        elif m := _NOS.fullmatch(line.text):
            if spec.nos is not None:
                raise cur.error(line.no, "two 'Relationship to NOS:' fields")
            body = [line] + _block(cur, is_label)
            spec.nos = render(paragraphs([Line(line.no, m.group(1), 0, False)] + body[1:]))
        elif _REQ_LABEL.fullmatch(line.text):
            label = [line]
            while not label[-1].text.endswith("regulatory body:"):
                label.append(cur.next("the rest of the 'Assessment requirements' label"))
                if len(label) > 4:
                    raise cur.error(line.no, "'Assessment requirements' label does not end within four lines")
            if join_wrapped([x.text for x in label]) != _REQ_LABEL_TEXT:
                raise cur.error(line.no, f"unexpected label {join_wrapped([x.text for x in label])!r}")
            body = _block(cur, is_label)
            if not body:
                raise cur.error(label[-1].no, "empty assessment requirements")
            spec.assessment_requirements = join_wrapped([b.text for b in body])
            raw.header_lines["assessment_requirements"] = (body[0].no, body[-1].no)
        elif m := _AIM.fullmatch(line.text):
            if spec.assessment_requirements is None:
                raise cur.error(line.no, "'Aim:' before the assessment requirements")
            body = _block(cur, lambda x: x.low == "learning outcome")
            spec.aim = join_wrapped([m.group(1)] + [b.text for b in body])
            raw.header_lines["aim"] = (line.no, (body[-1] if body else line).no)
            return
        else:
            raise cur.error(line.no, f"unexpected header line {line.text[:60]!r}")


def _parse_outcome(cur: _Cursor, raw: RawUnit) -> None:
    spec = raw.spec
    first = cur.expect("learning outcome", "'Learning outcome'")
    cur.expect("the learner will:", "'The learner will:'")
    lo_lines = _block(cur, lambda x: x.low == "assessment criteria")
    m = _LO.fullmatch(lo_lines[0].text) if lo_lines else None
    number = len(spec.outcomes) + 1
    if not m or int(m.group(1)) != number:
        raise cur.error(first.no, f"expected learning outcome {number}")
    text = join_wrapped([m.group(2)] + [x.text for x in lo_lines[1:]])
    low = text.lower()
    kind = "knowledge" if low.startswith("understand") else "competence" if low.startswith("be able to") else "other"
    outcome = Outcome(number=str(number), text=text, kind=kind, line=lo_lines[0].no)
    spec.outcomes.append(outcome)
    cur.expect("assessment criteria", "'Assessment criteria'")
    cur.expect("the learner can:", "'The learner can:'")
    _parse_criteria(cur, outcome)
    _parse_sections(cur, raw, outcome)


def _is_section_start(line: Line) -> bool:
    low = line.low
    return bool(low in ("learning outcome", _RANGE, PORTFOLIO) or _GUIDANCE.fullmatch(low) or _EVIDENCE.fullmatch(low))


def _parse_criteria(cur: _Cursor, outcome: Outcome) -> None:
    texts: list[list[str]] = []
    while (line := cur.peek()) is not None and not _is_section_start(line):
        cur.next("")
        m = _AC.fullmatch(line.text)
        if m:
            expected = f"{outcome.number}.{len(texts) + 1}"
            if f"{m.group(1)}.{m.group(2)}" != expected:
                raise cur.error(line.no, f"expected AC {expected}, found {m.group(1)}.{m.group(2)}")
            outcome.criteria.append(Criterion(ref=expected, text="", kind="ac", line=line.no))
            texts.append([m.group(3)])
        elif not texts:
            raise cur.error(line.no, f"expected AC {outcome.number}.1, found {line.text[:60]!r}")
        else:
            texts[-1].append(line.text)
    if not texts:
        raise cur.error((line or cur.lines[-1]).no, f"LO{outcome.number} has no assessment criteria")
    for criterion, parts in zip(outcome.criteria, texts):
        criterion.text = _strip_editorial(join_wrapped(parts))
        if _RUN_ON.search(criterion.text):
            raise cur.error(criterion.line, f"AC {criterion.ref} runs into other text: {criterion.text[-60:]!r}")


# An author's query left in the text of 404 AC 1.2; it is not part of the criterion.
_EDITORIAL = re.compile(r"\s+do we need to give examples of techniques here\?$")


def _strip_editorial(text: str) -> str:
    return _EDITORIAL.sub("", text)


def _parse_sections(cur: _Cursor, raw: RawUnit, outcome: Outcome) -> None:
    """Guidance, range, evidence list and notes of one LO, up to the next LO or the unit's end."""
    guidance: Optional[list[Line]] = None
    range_: Optional[list[Line]] = None
    tail: list[Line] = []
    current: Optional[list[Line]] = None
    evidence_ahead = _evidence_ahead(cur)
    while (line := cur.peek()) is not None and line.low not in ("learning outcome", PORTFOLIO):
        cur.next("")
        low = line.low
        if _GUIDANCE.fullmatch(low) and guidance is None and outcome.evidence_line is None:
            guidance = current = []
        elif low == _RANGE and range_ is None and outcome.evidence_line is None:
            range_ = current = []
        elif _EVIDENCE.fullmatch(low) and outcome.evidence_line is None:
            outcome.evidence_line = line.no
            raw.evidence_items[outcome.number] = _parse_evidence(cur)
            outcome.evidence = [clean_item(t) for _, t in raw.evidence_items[outcome.number]]
            current = tail
        elif current is None:
            raise cur.error(line.no, f"text after LO{outcome.number}'s criteria without a heading: {line.text[:60]!r}")
        elif current is guidance and low.startswith("note:") and not evidence_ahead:
            current = tail  # 222: the unit's note follows the last guidance directly
            tail.append(line)
        else:
            current.append(line)
    if guidance:
        outcome.guidance = render(paragraphs(guidance))
        range_ = range_ or _range_in_guidance(guidance)
        if any(x.text.startswith(_CRITERION_GUIDANCE) for x in guidance):
            _criterion_guidance(cur, outcome, guidance)
    if range_:
        outcome.range = render(paragraphs(range_))
    notes = note_paras(tail)
    last = cur.peek() is None or cur.peek().low == PORTFOLIO
    if last:
        raw.unit_notes = notes
        raw.spec.notes.extend(p.text for p in notes)
    else:
        raw.outcome_notes[outcome.number] = notes
        outcome.notes = [p.text for p in notes]


def _evidence_ahead(cur: _Cursor) -> bool:
    for line in cur.lines[cur.i:]:
        if line.low == "learning outcome":
            return False
        if _EVIDENCE.fullmatch(line.low):
            return True
    return False


def _parse_evidence(cur: _Cursor) -> list[tuple[int, str]]:
    """Bullets up to the first line that is neither a bullet nor a lower-case continuation."""
    items: list[tuple[int, str]] = []
    while (line := cur.peek()) is not None and not _is_section_start(line) and not line.text.startswith("*"):
        if line.indent:
            items.append((line.no, line.text))
        elif items and line.text[0].islower():
            items[-1] = (items[-1][0], join_wrapped([items[-1][1], line.text]))
        else:
            break
        cur.next("")
    return items


def clean_item(text: str) -> str:
    """An evidence item without its trailing footnote stars and full stops."""
    return _ITEM_END.sub("", text)


def _range_in_guidance(guidance: list[Line]) -> Optional[list[Line]]:
    """A "Range of ...:" heading inside the guidance and the list under it (218, 222)."""
    for i, line in enumerate(guidance):
        if not line.indent and _RANGE_IN_GUIDANCE.fullmatch(line.text):
            end = i + 1
            while end < len(guidance) and (guidance[end].indent or guidance[end].text == "eg"
                                           or guidance[end].text[0].islower()):
                end += 1
            return guidance[i:end]
    return None


def _criterion_guidance(cur: _Cursor, outcome: Outcome, guidance: list[Line]) -> None:
    """Split guidance written AC by AC (308, 313, 314, 315) into Criterion.guidance.

    A block starts at a label ("1.1" alone or "1.1 text") for the next AC. 308 omits
    the labels for 3.3 and 3.4, so a new plain paragraph after a finished "In this
    criterion ..." sentence (one not ending in a colon) also starts the next block.
    Each AC must end up with exactly one "In this criterion" paragraph.
    """
    refs = [c.ref for c in outcome.criteria]
    blocks: list[list[Line]] = [[]]
    for line in guidance:
        k = len(blocks) - 1
        m = _AC_LABEL.fullmatch(line.text)
        label = m and f"{m.group(1)}.{m.group(2)}"
        first_label = not blocks[k] and label == refs[k]
        next_label = blocks[k] and k + 1 < len(refs) and label == refs[k + 1]
        if m and (first_label or next_label):
            if blocks[k]:
                blocks.append([])
            if m.group(3):
                blocks[-1].append(Line(line.no, m.group(3), 0, line.gap))
            continue
        if k + 1 < len(refs) and line.gap and not line.indent and _after_criterion_sentence(blocks[k], line):
            blocks.append([])
        blocks[-1].append(line)
    if len(blocks) != len(refs):
        raise cur.error(guidance[0].no, f"LO{outcome.number}: {len(blocks)} guidance blocks for {len(refs)} criteria")
    for criterion, block in zip(outcome.criteria, blocks):
        n = sum(x.text.startswith(_CRITERION_GUIDANCE) for x in block)
        if n != 1:
            raise cur.error(block[0].no if block else guidance[0].no,
                            f"AC {criterion.ref}: {n} 'In this criterion' paragraphs, expected 1")
        criterion.guidance = render(paragraphs(block))


def _after_criterion_sentence(block: list[Line], line: Line) -> bool:
    """Whether `line` starts a new paragraph after the block's finished "In this criterion" sentence."""
    starts = [i for i, x in enumerate(block) if x.text.startswith(_CRITERION_GUIDANCE)]
    if not starts or line.text.startswith(_CRITERION_GUIDANCE):
        return False
    paras = paragraphs(block[starts[-1]:])
    return len(paras) == 1 and not paras[0].text.endswith(":") and not _continues(line, paras[0])
