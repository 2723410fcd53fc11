"""Re-routing by the message's own words where the classifier's intent cannot answer it (issue 13, pattern 5).

Two cases: a message that names a qualification *and asks something about it* ("svq 4 rules of
combination", "does the SFJ level 2 have any exemptions?") is classified as choosing it; and a question
the classifier is unsure of (nlu_fallback, out_of_scope) that names a qualification, or comes from a
learner who has one. Both go to the module for the topic asked about; an unsure question with no such
topic is searched for in the specification's text (passages.py). Everything else keeps its intent.
"""
from __future__ import annotations

import re

from .cues import QUAL_ASPECTS, RULE_TOPICS, topics_in, unit_level

_UNSURE = {"nlu_fallback", "out_of_scope"}
# a question, not a statement of what one is doing: a question mark, a question word, or a verb first
_ASKS = re.compile(r"\?|\b(?:what|what'?s|whats|how|when|which|who|where|why|list|show me|tell me)\b|"
                   r"(?:^|[.,:;!-]\s*)(?:is|are|does|do|can|could|may|must|should|will|has|have|any)\b", re.I)
# what choose_qualification itself answers ("which qualification am I on?") or another module does
_OWN_QUESTIONS = re.compile(r"\b(?:which|what)\b.*\b(?:am i on|have i got|have you got me|am i doing|is mine|"
                            r"is set|got set|down for|registered on)\b|\b(?:still need|left to do|what'?s left|"
                            r"remaining|what else)\b", re.I)
_ASPECTS = [a for a in QUAL_ASPECTS if a != "level"]  # "level 3" names a qualification more often than it asks
# topics asked without a question word ("svq 4 rules of combination"); "starting" or "doing" are not asks
_TOPIC_ASKS = re.compile(r"\brules?\b|\bmandatory\b|\bcompulsory\b|\bstructure\b|\bglh\b|\btqt\b|\bexempt|"
                         r"\bgrad(?:e|ed|ing)\b|\bcredit values?\b|\bqualification number\b", re.I)


def asks_about_it(text: str) -> bool:
    """Does a message that names a qualification also ask something about it?"""
    if _OWN_QUESTIONS.search(text):
        return False
    return bool(_ASKS.search(text) or _TOPIC_ASKS.search(text))


def by_topic(text: str) -> str | None:
    """The intent whose module answers the topic the message asks about, or None."""
    if unit_level(text) is not None:
        return "ask_list_units"  # "are there any level 3 units on the SFJ diploma?"
    if topics_in(text, RULE_TOPICS):
        return "ask_assessment_rule"
    if topics_in(text, {a: QUAL_ASPECTS[a] for a in _ASPECTS}):
        return "ask_qualification_info"
    return None


def asks_more(intent: str, text: str) -> bool:
    """Is this a message that reroute() may send elsewhere: a choice that also asks, or an unsure question?"""
    if intent == "choose_qualification":
        return asks_about_it(text)
    return intent in _UNSURE and bool(_ASKS.search(text))


def reroute(intent: str, text: str, has_qualification: bool) -> str:
    """The intent to answer `text` under; `has_qualification`: the message names one or the learner has one."""
    if intent == "choose_qualification" and asks_about_it(text):
        return by_topic(text) or "ask_qualification_info"
    if intent in _UNSURE and has_qualification and _ASKS.search(text):
        return by_topic(text) or "search_specification"  # the specification's own words, or what was searched
    return intent
