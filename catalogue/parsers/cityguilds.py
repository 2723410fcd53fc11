"""Parser for the City & Guilds unit pool (source id "cg-pool", sources/cg_unit_pool.txt).

The text is 45 unit specifications joined together, with no title, number or rules
of combination, so the document's qualification is None. The unit state machine
lives in _cg_units.py; this module checks the result against the unit table of the
source notes (the text states no totals of its own), and derives the facts and the
evidence vocabulary. See /work/shared/source-notes/002.md for the text's traps.
"""
from __future__ import annotations

import re
from pathlib import Path

from catalogue.errors import SourceError
from catalogue.model import Citation, EvidenceType, Fact, SourceDocument, UnitSpec
from catalogue.parsers._cg_units import (
    BULLET, SOURCE_ID, Para, RawUnit, clean_item, paragraphs, parse_unit, read_lines, render, split_segments, title_of,
)

SHORT_NAME = "City & Guilds unit pool"

# (unit number, UAN, LOs, ACs) in file order, from the unit table of the source notes.
# The text gives no counts of its own; this table is what makes a truncated or
# damaged copy fail instead of yielding a plausible partial catalogue.
EXPECTED_UNITS: tuple[tuple[str, str, int, int], ...] = (
    ("206", "D/506/2119", 2, 16), ("207", "T/506/2126", 3, 11), ("210", "L/506/2133", 2, 8),
    ("212", "Y/506/2135", 2, 10), ("213", "T/506/2143", 2, 13), ("216", "F/506/2159", 2, 14),
    ("217", "Y/506/2149", 2, 12), ("218", "T/506/2160", 3, 9), ("219", "A/506/2161", 3, 11),
    ("220", "H/506/2977", 3, 10), ("221", "J/506/2163", 2, 11), ("222", "K/506/2978", 2, 11),
    ("224", "L/506/1807", 2, 10), ("225", "H/506/1814", 2, 12), ("226", "L/506/1869", 4, 16),
    ("227", "M/506/1895", 3, 13), ("228", "L/506/1905", 2, 10), ("231", "M/502/8587", 3, 19),
    ("302", "D/506/2170", 4, 19), ("303", "H/506/1912", 3, 14), ("304", "L/506/2150", 3, 16),
    ("305/695", "Y/506/2152", 4, 16), ("306/696", "J/506/2910", 3, 14), ("307/697", "D/506/1942", 5, 19),
    ("308", "T/506/2952", 3, 13), ("309", "Y/506/2166", 3, 13), ("310", "D/506/2167", 3, 12),
    ("311", "R/506/2151", 2, 17), ("312", "K/506/2172", 3, 15), ("313", "T/506/1820", 3, 10),
    ("314", "A/506/1821", 3, 14), ("315", "J/506/1921", 2, 12), ("316", "M/506/1931", 3, 10),
    ("317", "F/502/8612", 5, 22), ("318", "R/502/8615", 4, 15), ("319", "K/502/8622", 2, 11),
    ("320", "K/503/0418", 3, 16), ("321", "D/503/0397", 4, 22), ("322", "J/502/4397", 3, 9),
    ("323", "K/506/2169", 2, 13), ("402", "D/506/2153", 3, 17), ("404", "R/506/2179", 4, 21),
    ("406", "L/506/2181", 3, 12), ("407", "Y/506/2183", 3, 12), ("408", "D/506/2962", 3, 17),
)
EXPECTED_EVIDENCE_LISTS = 103
EXPECTED_LINES = 12116


def parse(path: Path) -> SourceDocument:
    path = Path(path)
    file = path.name
    lines, line_count = read_lines(path)
    raws = _parse_units(file, lines)
    _check(file, raws, line_count)
    return SourceDocument(id=SOURCE_ID, short_name=SHORT_NAME, file=file, qualification=None,
                          units=[r.spec for r in raws], facts=_facts(raws), evidence_types=_evidence_types(raws),
                          line_count=line_count)


def _parse_units(file: str, lines) -> list[RawUnit]:
    raws: list[RawUnit] = []
    for seg in split_segments(file, lines):
        number, title, start = title_of(file, seg)
        if seg[start].text.startswith("UAN:"):
            raws.append(parse_unit(file, seg))
            continue
        # A repeated header followed by "Supporting information": an appendix of the unit before it.
        if not raws or (raws[-1].spec.number, raws[-1].spec.title) != (number, title):
            raise SourceError(file, seg[0].no, f"supporting information for unit {number} does not follow that unit")
        paras = paragraphs(seg[start:])
        raws[-1].supporting = paras
        raws[-1].spec.notes.append(render(paras))
    return raws


def _check(file: str, raws: list[RawUnit], line_count: int) -> None:
    """Compare the parse with EXPECTED_UNITS; report the first difference at its unit's line
    (a missing unit at the file's last line)."""
    last_line = max(line_count, 1)
    for i, (number, uan, n_lo, n_ac) in enumerate(EXPECTED_UNITS):
        if i >= len(raws):
            raise SourceError(file, last_line, f"unit {number} ({uan}) missing: the copy ends after "
                                               f"{len(raws)} of {len(EXPECTED_UNITS)} units (truncated?)")
        s = raws[i].spec
        found = (s.number, s.ref, len(s.outcomes), len(s.criteria))
        if found != (number, uan, n_lo, n_ac):
            raise SourceError(file, s.line, f"expected unit {number} ({uan}) with {n_lo} LOs and {n_ac} ACs, found "
                                            f"unit {found[0]} ({found[1]}) with {found[2]} LOs and {found[3]} ACs")
    if len(raws) > len(EXPECTED_UNITS):
        raise SourceError(file, raws[len(EXPECTED_UNITS)].spec.line, "more units than the 45 expected")
    lists = sum(o.evidence_line is not None for r in raws for o in r.spec.outcomes)
    if lists != EXPECTED_EVIDENCE_LISTS:
        raise SourceError(file, last_line, f"{lists} evidence lists, expected {EXPECTED_EVIDENCE_LISTS}")
    if line_count != EXPECTED_LINES:
        # Counts above can survive a cut inside the last unit's notes; the length cannot.
        raise SourceError(file, last_line, f"{line_count} lines, expected {EXPECTED_LINES} (truncated or altered)")


# --- evidence vocabulary -------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# Keys in the order tested: the first pattern that matches wins.
_METHODS: tuple[tuple[str, re.Pattern], ...] = (
    ("expert_witness", re.compile(r"\bexpert witness")),
    ("witness_testimony", re.compile(r"\bwitness (?:testimon|statement)")),
    ("professional_discussion", re.compile(r"\bprofessional discussion|^discussion$")),
    ("reflective_account", re.compile(r"\breflective account|\bcase stud(?:y|ies)\b|\bpersonal statement")),
    ("observation", re.compile(r"^(?:direct |assessor )?observations?$")),
    ("questioning", re.compile(r"^(?:oral |written )?question(?:ing|s)(?: and answers?)?$")),
    ("report", re.compile(r"^reports?$|^reports? on\b")),
)
# Work products (the notes' "product/work products": products, records, documents, plans,
# policies ...): any item naming an artefact the candidate or the workplace produces.
_PRODUCT = re.compile(
    r"\b(?:products?|records?|documentation|documents?|polic(?:y|ies)|procedures?|plans?|manuals?|materials?"
    r"|feedback|data|strategy|content|information|letters?|emails?|entries|logs?|charts?|map|offer|requirements"
    r"|legislation|programme|agreements?|analysis|findings|questions asked|techniques|appraisal|presentation"
    r"|resources|rotas|frequently asked questions|faq|schedules|standards|targets|updates|criteria|frame"
    r"|business case)\b")


def canonical_evidence(item: str) -> str:
    """Map a raw "Evidence may be supplied by" item to a canonical evidence key:
    observation, witness_testimony, expert_witness, professional_discussion,
    reflective_account, questioning, product, report, or other.

    Follows source notes 002 §4: expert witness testimony is kept apart from witness
    testimony, a case study counts as a reflective account, "report on ..." is a
    report, and documents, records, plans and policies are (work) products.
    """
    key = clean_item(_SPACES.sub(" ", item.translate(_QUOTES).lower())).strip()
    for name, pattern in _METHODS:
        if pattern.search(key):
            return name
    return "product" if _PRODUCT.search(key) else "other"


# The plain name each canonical type has in the lists; the first such item is cited.
_TYPE_NAMES = {
    "observation": "observation", "witness_testimony": "witness testimony",
    "expert_witness": "expert witness testimony", "professional_discussion": "professional discussion",
    "reflective_account": "reflective account", "questioning": "questioning", "product": "product",
    "report": "report",
}


def _evidence_types(raws: list[RawUnit]) -> list[EvidenceType]:
    """One EvidenceType per canonical type the lists use. The text never describes the
    types (it has no evidence-types section), so every description is None."""
    found: dict[str, EvidenceType] = {}
    for raw in raws:
        for lo, items in raw.evidence_items.items():
            for line, text in items:
                name = clean_item(text)
                key = canonical_evidence(name)
                if key not in found and _TYPE_NAMES.get(key) == name.lower():
                    found[key] = EvidenceType(key, name, None, _cite(raw, line, None, f"LO{lo} evidence"))
    return [found[k] for k in _TYPE_NAMES if k in found]


# --- facts ---------------------------------------------------------------------------------------

# Topic -> what a paragraph must say to be a fact on that topic.
_TOPICS: tuple[tuple[str, re.Pattern], ...] = (
    ("professional_discussion", re.compile(r"professional discussion|be able to discuss them", re.I)),
    ("observation", re.compile(r"\bobserv(?:ed|ation)", re.I)),
    ("witness_testimony", re.compile(r"witness testimon", re.I)),
    ("assessment_method", re.compile(r"short answer|e-volve|portfolio|\breport\b|\bassessed\b", re.I)),
    ("centre_requirements", re.compile(r"\bby the centre\b", re.I)),
)


_OBSERVATION = re.compile(r"\bobservation\b")


def _cite(raw: RawUnit, start: int, end: int | None, where: str | None = None) -> Citation:
    section = f"Unit {raw.spec.number}" + (f", {where}" if where else "")
    return Citation(SOURCE_ID, start, end if end and end != start else None, section)


def _facts(raws: list[RawUnit]) -> list[Fact]:
    facts: list[Fact] = []
    for raw in raws:
        ref = [raw.spec.ref]
        # Header fields: how the unit is assessed.
        for name, label in (("assessment_type", "Assessment type"),
                            ("assessment_requirements", "Assessment requirements")):
            text = getattr(raw.spec, name)
            if text and text != "N/A" and name in raw.header_lines:
                cite = _cite(raw, *raw.header_lines[name], label)
                facts.append(Fact("assessment_method", f"{label}: {text}", cite, ref))
        if raw.spec.aim and _OBSERVATION.search(raw.spec.aim):  # 231 and 317: the "Aim" is about evidence
            facts.append(Fact("observation", raw.spec.aim, _cite(raw, *raw.header_lines["aim"], "Aim"), ref))
        # Notes, supporting information and portfolio guidance, paragraph by paragraph.
        sources: list[tuple[str | None, list[Para]]] = [(f"LO{n} notes", ps) for n, ps in raw.outcome_notes.items()]
        sources += [(None, raw.unit_notes), ("Supporting information", raw.supporting),
                    ("Additional Guidance if delivered as Portfolio based", raw.portfolio)]
        for where, paras in sources:
            for p in paras:
                if where and p.text == where:
                    continue  # the portfolio heading on its own
                topics = [t for t, pattern in _TOPICS if pattern.search(p.text)]
                if where and where.startswith("Additional Guidance") and "assessment_method" not in topics:
                    topics.append("assessment_method")  # every paragraph there says how the portfolio is assessed
                for topic in topics:
                    facts.append(Fact(topic, p.text, _cite(raw, p.start, p.end, where), ref))
        # Expert witnesses appear only as an evidence item (unit 322).
        for lo, items in raw.evidence_items.items():
            if any(canonical_evidence(t) == "expert_witness" for _, t in items):
                outcome = raw.spec.outcomes[int(lo) - 1]
                text = "Evidence may be supplied by:\n" + "\n".join(BULLET + e for e in outcome.evidence)
                cite = _cite(raw, outcome.evidence_line, items[-1][0], f"LO{lo}")
                facts.append(Fact("expert_witness", text, cite, ref))
    return facts


def unit_by_number(units: list[UnitSpec], number: str) -> UnitSpec | None:
    """The unit whose C&G number is `number`; either half of "305/695" finds that unit."""
    for u in units:
        if number == u.number or number in (u.number or "").split("/"):
            return u
    return None
