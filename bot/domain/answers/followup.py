"""Follow-ups keep the topic (issue 13, pattern 6): "and 2.1?", "is it mandatory?", "can I use a witness
testimony for it?" are about the unit of the learner's earlier message, and a bare unit name given after
"Which unit is criterion 3.2 in?" answers that question. The message is rewritten with the unit's code,
so every answer module reads it the one way it reads any message."""
from __future__ import annotations

import re

from . import resolve
from .context import LearnerContext
from .cues import status_segments
from .route import by_topic

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


def _topic(cat, ctx: LearnerContext, source_id: str | None) -> tuple[str | None, str | None]:
    """(the unit of the latest earlier message naming one, that message)."""
    for said in ctx.earlier:
        ref = clear_unit(cat, said, _frame_named(cat, said) or source_id)
        if ref is not None:
            return ref, said
    return None, None


def _frame_named(cat, text: str) -> str | None:
    """The qualification or unit pool a message names clearly, if one."""
    hits = [h for h in resolve.qualifications(cat, text) if not h.weak or cat.source(h.source_id).qualification is None]
    return hits[0].source_id if len(hits) == 1 else None


def _earlier_ref(ctx: LearnerContext) -> tuple[resolve.CriterionMention | None, str | None]:
    """The criterion, else the outcome, the conversation was last about (the latest earlier message naming one)."""
    for said in ctx.earlier:
        crit = resolve.criterion(said)
        if crit is not None and crit.ref:
            return crit, None
        outcome = resolve.outcome_number(said)
        if outcome is not None:
            return None, outcome
    return None, None


# "and 9?", "what about 4", "number 5?": the next criterion of the kind just asked about
_BARE_NUMBER = re.compile(r"^\s*(?:and|also|what about|how about|then|ok(?:ay)?|so)?\s*(?:number|no\.?|#)?\s*"
                          r"(\d{1,2})\s*(?:then|too|please)?\s*[?.!]*\s*$", re.I)
# what a criterion's own answer holds: its guidance, range, meaning
_ABOUT_A_CRITERION = re.compile(r"\b(?:guidance|range|mean|meaning|example|examples)\b", re.I)
# an evidence question that names no type: "what evidence can be used?", "what evidence is accepted for it?"
_ANY_EVIDENCE = re.compile(r"\bevidence\b", re.I)


def _next_ref(crit: resolve.CriterionMention, n: str) -> str:
    """"K&U8" + "9" -> "K&U 9"; "PC4" + "5" -> "PC 5"; "2.3" + "4" -> "AC 2.4"."""
    if crit.ref.startswith("K&U"):
        return f"K&U {int(n)}"
    if crit.ref.startswith("PC"):
        return f"PC {int(n)}"
    return f"AC {crit.ref.split('.')[0]}.{int(n)}"


def follow_up(cat, intent: str, text: str, ctx: LearnerContext, source_id: str | None) -> tuple[str, str]:
    """(intent, text) with the topic filled in where the message leans on an earlier one."""
    if not ctx.earlier or clear_unit(cat, text, source_id) is not None:
        return _bare_unit_reply(cat, intent, text, ctx, source_id)
    topic, said = _topic(cat, ctx, source_id)
    if topic is None:
        return intent, text
    frame = _frame_named(cat, said)
    if frame is not None and frame != source_id and not resolve.qualifications(cat, text):
        topic = f"{topic} in the {cat.source(frame).short_name}"  # "c&g 302" then "LO2?": still the C&G unit
    crit = resolve.criterion(text)
    outcome = resolve.outcome_number(text)
    evidence = bool(resolve.evidence_types(cat, text) or _ANY_EVIDENCE.search(text))
    earlier_crit, earlier_outcome = _earlier_ref(ctx)
    bare = _BARE_NUMBER.match(text)
    if bare and earlier_crit is not None and crit is None:
        return "ask_criterion", f"{_next_ref(earlier_crit, bare.group(1))} of {topic}"  # "and 9?" after K&U 8
    if (crit is not None and crit.ref) or outcome is not None:
        return ("ask_evidence_allowed" if evidence else "ask_criterion"), f"{text} of {topic}"
    if earlier_crit is not None and _ABOUT_A_CRITERION.search(text) and not evidence:
        # "is there any guidance for it?" after "what does 2.5 of unit 11 mean?": that criterion's guidance
        return "ask_criterion", f"{_PRONOUN.sub(' ', text)} for {earlier_crit.text} of {topic}"
    if evidence and not _PRONOUN.search(text) and (earlier_crit is not None or earlier_outcome is not None):
        # "what evidence can be used?" after "c&g 213 LO1": for that outcome (or criterion) of that unit
        ref = earlier_crit.text if earlier_crit is not None else f"outcome {earlier_outcome}"
        return "ask_evidence_allowed", f"{text} for {ref} of {topic}"
    if intent in _NOT_ABOUT_UNITS and (not (_QUESTION.search(text) and _FACT.search(text)) or _PERSON.search(text)):
        return intent, text  # "thanks, that's it", "can I talk to someone about it?"
    if _PRONOUN.search(text):
        text = _PRONOUN.sub(topic, text, count=1)
    elif _LEAD.match(text) or _bare_fact(cat, text):
        text = f"{text} of {topic}"
    else:
        return intent, text
    if evidence:
        return "ask_evidence_allowed", text
    if intent in _NOT_ABOUT_UNITS:
        return by_topic(text) or "ask_unit_info", text  # "how is that unit assessed?" is no request for a person
    return ("ask_unit_info" if intent in _UNIT_FACT else intent), text


# intents a short question about the unit in view is often taken for ("which NOS?" as deny)
_NOT_ABOUT_UNITS = {"deny", "affirm", "greet", "goodbye", "thank", "help", "human_handoff"}
_PERSON = re.compile(r"\b(?:person|human|someone|somebody|talk|speak|contact|call me|phone me)\b", re.I)
_QUESTION = re.compile(r"\?|^\s*(?:and\s+)?(?:what|which|who|how|when|where|why|is|are|does|do|can|could)\b", re.I)


# a unit's fact asked on its own after a unit was the topic: "how many credits?", "what level?", "glh?"
_FACT = re.compile(r"\b(?:credits?|credit\s+points?|level|glh|guided\s+learning|code|uan|urn|group|criteria|acs|"
                   r"outcomes?|elements?|called|title|worth|nos|national\s+occupational|assessed|assessment|aim|"
                   r"guidance|range|who\s+is\s+it\s+for)\b", re.I)


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
