"""The plain answer that opens a yes/no question about a unit (issue 13, patterns 1 and 7): "Is X mandatory on
the SFJ diploma?", "is unit 4 in group B?", "is 302 level 3?", "is T/506/2157 on the SFJ qualification?".
The unit card follows it; this only says yes or no, and why, from the same catalogue facts."""
from __future__ import annotations

import re

from catalogue.model import UnitSpec

from . import cite
from .cues import group_letter, wants_mandatory, wants_optional
from .structure import group_text

# a clause that starts with "is"/"are"/"does": "NCFE level 1 cert - is unit 05 mandatory?"
_YES_NO = re.compile(r"(?:^|[.,:;!?()-]\s*)(?:is|are|does|do)\b", re.I)
_LEVEL = re.compile(r"\b(?:a\s+)?level\s*(\d)\b(?!\s*(?:diploma|certificate|qualification|cert|dip|svq))", re.I)
_ON_IT = re.compile(r"\b(?:on|in|part of|included in)\s+(?:the|my)\s+\S+", re.I)


def assessment_type(cat, ref: str) -> tuple[str, UnitSpec] | None:
    """The assessment type a source gives the unit (C&G: "E-volve or portfolio of evidence"), and that source's view."""
    for spec in cat.unit(ref).specs.values():
        if spec.assessment_type:
            return spec.assessment_type, spec
    return None


_TYPE_WORDS = re.compile(r"\b(?:e-?\s?volve|on-?\s?line|online|short\s+answer|assignment|workbook|portfolio|test|exam)\b",
                         re.I)


def _type_verdict(cat, spec: UnitSpec, text: str) -> str | None:
    """'can 305 be done on e-volve?': yes when its stated assessment type names what was asked."""
    found = assessment_type(cat, spec.ref)
    asked = _TYPE_WORDS.findall(text)
    if found is None or not asked:
        return None
    stated, where = found
    said = f"its assessment type is \"{stated}\" ({cite.name(cat, where.source)}, unit {where.number})"
    norm = re.sub(r"[\s-]", "", stated.lower())
    if any(re.sub(r"[\s-]", "", a.lower()) in norm for a in asked):
        return f"*Yes*: {said}."
    return f"*Not as stated*: {said}."


def unit_verdict(cat, spec: UnitSpec, text: str, source_id: str | None) -> str | None:
    """'*Yes*, ...' / '*No*, ...' for a yes/no question about the unit in a qualification, or None."""
    if re.search(r"\b(?:can|could|may)\b", text, re.I) and (by_type := _type_verdict(cat, spec, text)) is not None:
        return by_type  # "can 305 be done on e-volve?"
    if not _YES_NO.search(text):
        return None
    frame = source_id or spec.source
    title = cite.title(cat, frame)
    group = cat.group_of(frame, spec.ref)
    here = cat.spec(spec.ref, frame)
    letter = group_letter(text)
    if wants_mandatory(text) or wants_optional(text):
        if group is None:
            return f"*No*, it is not in the {title} at all." if here is None else None
        if group.mandatory:
            return (f"*Yes*, it is mandatory in the {title}: {group_text(group)}." if wants_mandatory(text)
                    else f"*No*, it is not optional: it is mandatory in the {title} ({group_text(group)}).")
        only = len(group.units) == 1 and (group.min_units or 0) >= 1
        if only and wants_mandatory(text):
            return (f"*Effectively yes*: it is the only unit of {group_text(group)} in the {title}, and that group "
                    f"needs at least one unit.")
        return (f"*No*, it is optional in the {title}: {group_text(group)}." if wants_mandatory(text)
                else f"*Yes*, it is optional in the {title}: {group_text(group)}.")
    if letter is not None:
        if group is None:
            return f"*No*, it is not in any group of the {title}."
        if group.id == letter:
            return f"*Yes*, it is in Group {group.id} of the {title}: {group_text(group)}."
        return f"*No*, it is in Group {group.id} of the {title} ({group_text(group)}), not Group {letter}."
    level = _LEVEL.search(_without_qualification_level(cat, text, frame))
    if level is not None:
        asked = int(level.group(1))
        if spec.level == asked:
            return f"*Yes*, it is a level {spec.level} unit ({cite.name(cat, spec.source)})."
        return f"*No*, it is a level {spec.level} unit, not level {asked} ({cite.name(cat, spec.source)})."
    if _ON_IT.search(text):
        if group is not None:
            return f"*Yes*, it is in the {title}: {group_text(group)}."
        if here is None:
            return f"*No*, it is not in the {title}."
    return None


def _without_qualification_level(cat, text: str, frame: str) -> str:
    """The text without the qualification's own level ("the NCFE level 1": not a question about the unit)."""
    q = cat.source(frame).qualification
    if q is None or q.level is None:
        return text
    return re.sub(rf"\b(?:ncfe|sfj(?:\s+awards)?|habc|highfield|pearson|svq|the)\s+(?:level|l)\s*{q.level}\b", " ",
                  text, flags=re.I)
