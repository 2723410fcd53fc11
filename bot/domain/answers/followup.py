"""Follow-ups keep the topic (issue 13, pattern 6): "and 2.1?", "is it mandatory?", "can I use a witness
testimony for it?" are about the unit of the learner's earlier message, and a bare unit name given after
"Which unit is criterion 3.2 in?" answers that question. The message is rewritten with the unit's code,
so every answer module reads it the one way it reads any message."""
from __future__ import annotations

import re

from . import resolve
from .context import LearnerContext
from .cues import status_segments

_PRONOUN = re.compile(r"\b(?:it|this unit|that unit|the unit|this one|that one)\b", re.I)
_LEAD = re.compile(r"^\s*(?:and|also|what about|how about|plus)\b", re.I)
_UNIT_FACT = {"ask_qualification_info", "ask_group_credits", "nlu_fallback", "out_of_scope", "ask_list_units",
              "ask_assessment_rule"}
_EVERY_TITLE = {"customer", "customers", "service"}
SHORT = 8  # words: a reply to "which unit?" is a title, not a sentence


def clear_unit(cat, text: str, source_id: str | None) -> str | None:
    """The unit a text clearly names: its code or number, or at least two words of its title."""
    found = resolve.unit(cat, text, source_id)
    if found is None or found.ref is None or found.outside:
        return None
    title = resolve.significant(cat.unit(found.ref).title)
    shared = title & resolve.significant(text)
    # "customer service" is in nearly every title and most questions: it names no unit by itself
    if resolve.names_unit_code(text) or len(shared) >= 2 and shared - _EVERY_TITLE:
        return found.ref
    return None


def _topic(cat, ctx: LearnerContext, source_id: str | None) -> str | None:
    for said in ctx.earlier:
        ref = clear_unit(cat, said, source_id)
        if ref is not None:
            return ref
    return None


def follow_up(cat, intent: str, text: str, ctx: LearnerContext, source_id: str | None) -> tuple[str, str]:
    """(intent, text) with the topic filled in where the message leans on an earlier one."""
    if not ctx.earlier or clear_unit(cat, text, source_id) is not None:
        return _bare_unit_reply(cat, intent, text, ctx, source_id)
    topic = _topic(cat, ctx, source_id)
    if topic is None:
        return intent, text
    crit = resolve.criterion(text)
    evidence = resolve.evidence_types(cat, text)
    if crit is not None and crit.ref:
        return ("ask_evidence_allowed" if evidence else "ask_criterion"), f"{text} of {topic}"
    if _PRONOUN.search(text):
        text = _PRONOUN.sub(topic, text, count=1)
    elif _LEAD.match(text) or _bare_fact(cat, text):
        text = f"{text} of {topic}"
    else:
        return intent, text
    if evidence:
        return "ask_evidence_allowed", text
    return ("ask_unit_info" if intent in _UNIT_FACT else intent), text


# a unit's fact asked on its own after a unit was the topic: "how many credits?", "what level?", "glh?"
_FACT = re.compile(r"\b(?:credits?|credit\s+points?|level|glh|guided\s+learning|code|uan|urn|group|criteria|acs|"
                   r"outcomes?|elements?|called|title|worth)\b", re.I)


def _bare_fact(cat, text: str) -> bool:
    return (len(text.split()) <= SHORT and bool(_FACT.search(text)) and not resolve.qualifications(cat, text)
            and status_segments(text)[0][0] is None)


def _bare_unit_reply(cat, intent: str, text: str, ctx: LearnerContext, source_id: str | None) -> tuple[str, str]:
    """A unit named on its own right after a question that lacked one: that question, about this unit."""
    if not ctx.earlier or len(text.split()) > SHORT or status_segments(text)[0][0] is not None:
        return intent, text
    ref = clear_unit(cat, text, source_id)
    before = ctx.earlier[0]
    if ref is None or clear_unit(cat, before, source_id) is not None:
        return intent, text
    crit = resolve.criterion(before)
    if resolve.evidence_types(cat, before):
        return "ask_evidence_allowed", f"{before} for {ref}"
    if crit is not None and crit.ref:
        return "ask_criterion", f"{crit.text} of {ref}"
    return intent, text
