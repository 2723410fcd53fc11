"""Several asks in one message (issue 13, pattern 2), read from the learner's own words.

The classifier gives one intent per message, so a message that asks two things is routed here by what
it asks, not by that intent:
- facts of the units it names ("units 15 and 16 - credit points and codes?", "408: level, credits and
  UAN?"): every named unit's facts, one line each;
- two or more parts of the rules of combination ("total credits, and what's mandatory?", "the min from
  group A, the max from group B and the credits at level 3"): the whole structure, which holds them all;
- a further question in its own clause ("what's left, and what could I do next?"): answered after the
  first, by its topic.
Nothing here calls the NLU again: each part is read with the same cues the answer modules use.
"""
from __future__ import annotations

import re

from . import resolve
from .cues import credit_amount, group_amounts, status_segments
from .route import by_topic

# facts a unit's description holds
_UNIT_FACTS = re.compile(r"\b(?:credits?|credit\s+points?|cps?|level|scqf|glh|guided|code|codes|uan|urn|reference|"
                         r"ref|called|title|titles|name|names|group|criteria|criterion|acs?|pcs?|outcomes?|elements?|"
                         r"los?|mandatory|compulsory|optional|each|both|what\s+(?:is|are)|tell\s+me)\b", re.I)
_WHAT_IF = re.compile(r"\b(?:what\s+if|if\s+i|swap|instead|replace|drop)\b", re.I)


def unit_refs(cat, text: str, source_id: str | None) -> list[str]:
    """The units of `source_id` (any, without one) a message clearly names, in order, each once."""
    return list(dict.fromkeys(u.ref for u in resolve.units(cat, text, source_id) if u.ref and not u.outside))


def may_ask_unit_facts(text: str) -> bool:
    """The words alone: a fact of a unit asked, and nothing done, planned or swapped."""
    return (bool(_UNIT_FACTS.search(resolve.without_qualification(text))) and not _WHAT_IF.search(text)
            and status_segments(text)[0][0] is None and not group_amounts(text) and credit_amount(text) is None)


def asks_unit_facts(cat, text: str, source_id: str | None) -> bool:
    """A question about the facts of the units it names, not a report of them nor a change of plan."""
    if not may_ask_unit_facts(text) or resolve.evidence_types(cat, text):
        return False
    if resolve.criterion(text) is not None or resolve.outcome_number(text) is not None:
        return False  # a criterion or outcome question goes to its own module
    return bool(unit_refs(cat, text, source_id))


# the parts of a rule of combination a question can ask for
_STRUCTURE_PARTS = {
    "total": re.compile(r"\b(?:total|altogether|in\s+all|overall|credit\s+value|how\s+many\s+credits?\s+(?:do\s+i\s+"
                        r"need|is\s+it|are\s+there)|minimum\s+credits?)\b", re.I),
    "mandatory": re.compile(r"\b(?:mandatory|compulsory|required\s+units|must\s+do)\b", re.I),
    "group": re.compile(r"\b(?:groups?\s+[a-z]\b|optional\s+groups?|min(?:imum)?\s+(?:from|in|for)|max(?:imum)?\s+"
                        r"(?:from|in|for)|from\s+(?:each|every)\s+group)", re.I),
    "level": re.compile(r"\b(?:at\s+level\s*\d|level\s*\d\s+or\s+(?:above|higher)|scqf\s+level\s*\d\s+credits)\b", re.I),
    "units": re.compile(r"\bhow\s+many\s+units\b", re.I),
}


def structure_parts(text: str) -> list[str]:
    return [name for name, pattern in _STRUCTURE_PARTS.items() if pattern.search(text)]


def asks_structure(cat, text: str, source_id: str | None) -> bool:
    """Two or more parts of the rules of combination asked together, about no unit in particular."""
    if len(structure_parts(text)) < 2 or status_segments(text)[0][0] is not None:
        return False
    return not unit_refs(cat, text, source_id)


# a further ask in its own clause: after a question mark, or ", and what ...", "; also how ...", "also, can ..."
_FURTHER = re.compile(r"(?:\?+|[,;]\s*(?:and\s+|also\s+|plus\s+)?|\s+(?:and\s+also|also)\s+)(?=(?:and\s+|also\s+|,\s*)*"
                      r"(?:what|how|which|who|when|where|why|can|could|is|are|does|do|will|should)\b)", re.I)


def clauses(text: str) -> list[str]:
    """The message cut where a further ask starts: "how long is the report and can it be done on e-volve?"
    -> ["how long is the report", "can it be done on e-volve"]."""
    return [p for part in _FURTHER.split(text) for p in (p.strip(" ,;?") for p in _AND_ASK.split(part)) if p]


_AND_ASK = re.compile(r"\s+and\s+(?=(?:can|could|is|are|does|do|will|what|how|which|who|when|where)\b)", re.I)


def further_asks(text: str) -> list[str]:
    """The clauses after the first that ask something themselves ("what's left, and what could I do next?")."""
    parts = [p.strip(" ,;?") for p in _FURTHER.split(text)]
    return [p for p in parts[1:] if p]


def further_topic(text: str, main_intent: str) -> list[tuple[str, str]]:
    """(intent, clause) for each further ask whose topic another module answers."""
    out = []
    for part in further_asks(text):
        intent = by_topic(part)
        if intent and intent != main_intent and (intent, part) not in out:
            out.append((intent, part))
    return out
