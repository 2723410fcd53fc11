"""respond(): route an intent to its conversation module.

The message text is the truth (entities are hints). A button click arrives as a slash-intent payload,
e.g. /report_units{"unit": "D/506/2119", "status": "claimed"}; its entities are read from the payload
and its "text" entity, when present, stands for the learner's original message ("Show more").
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Callable

from bot.domain.replies import Reply
from bot.logsafe import failure

from . import (assessment, asks, cite, criterion, evidence, passages, pool, qualification, remaining, resolve, route,
               smalltalk, unheld, unit_info, units)
from .context import Answer, LearnerContext
from .cues import QUAL_ASPECTS, RULE_TOPICS, status_segments, topics_in, unit_level, wants_mandatory
from .followup import clear_unit, follow_up
from .format import fit, parse_payload, payload

log = logging.getLogger(__name__)

Handler = Callable[..., Answer]

# intent -> (handler, takes a page number)
_CATALOGUE: dict[str, tuple[Handler, bool]] = {
    "choose_qualification": (qualification.choose, False),
    "report_units": (units.report, False),
    "ask_remaining": (remaining.remaining, True),
    "ask_what_if": (remaining.what_if, True),
    "ask_group_credits": (remaining.group_credits, True),
    "ask_unit_info": (unit_info.unit_info, True),
    "ask_list_units": (unit_info.list_units, True),
    "ask_criterion": (criterion.explain, True),
    "ask_evidence_type": (evidence.evidence_type, True),
    "ask_evidence_allowed": (evidence.allowed, True),
    "ask_assessment_rule": (assessment.rule, True),
    "ask_qualification_info": (qualification.info, True),
    "search_specification": (passages.ask, True),  # not a model intent: route.reroute() chooses it
}
_SOCIAL = {"greet", "goodbye", "thank", "help", "human_handoff"}  # never a follow-up about a unit
_OWN_RECORD = {"report_units", "ask_remaining", "ask_what_if"}
_SMALLTALK: dict[str, Callable[[LearnerContext], Answer]] = {
    "greet": smalltalk.greet, "goodbye": smalltalk.goodbye, "thank": smalltalk.thank, "help": smalltalk.help_,
    "affirm": smalltalk.affirm, "deny": smalltalk.deny, "out_of_scope": smalltalk.out_of_scope,
    "human_handoff": smalltalk.human_handoff,
}


def respond(intent: str, text: str, entities: dict[str, list[str]] | None, ctx: LearnerContext, *, cat) -> Answer:
    """The replies to one learner message, from the catalogue `cat`."""
    entities = {k: list(v) for k, v in (entities or {}).items()}
    if ctx.pending:
        picked = pick(cat, text or "", intent, ctx.pending)
        if picked is not None:  # "the second one" after a choice: as if its button had been clicked
            text = picked
    clicked = parse_payload(text or "")
    if clicked is not None:
        intent, given = clicked
        entities.update(given)
        text = (given.get("text") or [""])[0]
    page = _page(entities)
    if clicked is None and (not_here := unheld.unheld(cat, text or "")):
        return unheld.answer(cat, not_here)  # never another qualification's facts as this one's
    if ctx.earlier and not entities.get("unit") and clicked is None:
        intent, text = follow_up(cat, intent, text or "", ctx, named_qualification(cat, text or "", entities)
                                 or ctx.source_id)
    if clicked is None and intent in _MAY_NAME_A_REF and _names_unit_and_ref(cat, text or "", ctx, entities):
        # "highfield L3 Resolve customers' complaints LO1", "c&g 207 LO2": that outcome or criterion of that unit
        intent = "ask_evidence_allowed" if resolve.evidence_types(cat, text or "") else "ask_criterion"
    elif clicked is None and intent == "report_units" and _asks_about_named_units(cat, text or "", ctx, entities):
        intent = "ask_unit_info"  # "city and guilds 307 - min and max words for the report?": nothing reported
    elif clicked is None and intent in _MAY_ASK_FACTS and _COMMAND_VERB.search(text or "") and \
            criterion.asked_verbs(cat, text or ""):
        intent = "ask_criterion"  # "ncfe: command verb outline - meaning?"
    elif clicked is None and intent == "report_units" and _WHAT_IF.match(text or ""):
        intent = "ask_what_if"  # "what if I also do X and Y?" is a change tried, not a report
    elif clicked is None and intent in _MAY_REPORT_UNITS and reports_then_asks_what_is_left(cat, text or ""):
        intent = "ask_remaining"  # "done 206 207 ... 224 - what's left?": whatever the classifier made of the list
    elif clicked is None and intent in _MAY_ASK_FACTS and _asks_unit_facts(cat, text or "", ctx, entities):
        intent = "ask_unit_info"  # "units 15 and 16 - credit points and codes?", "408: level, credits and UAN?"
    elif clicked is None and intent in _MAY_ASK_FACTS and len(asks.structure_parts(text or "")) > 1 and \
            asks.asks_structure(cat, text or "", named_qualification(cat, text or "", entities) or ctx.source_id):
        intent = "ask_qualification_info"  # "total credits, and what's mandatory?": the whole structure holds both
    elif clicked is None and route.asks_more(intent, text or ""):
        # "svq 4 rules of combination" is not a choice; an unsure intent may still be answerable
        has_qualification = bool(ctx.source_id or named_qualification(cat, text or "", entities))
        if _names_a_unit(cat, text or "", ctx, entities):
            intent = "ask_unit_info"  # a unit's title may hold a topic's words ("... through a contact centre")
        else:
            intent = route.reroute(intent, text or "", has_qualification)
    if intent in _SMALLTALK:
        return _SMALLTALK[intent](ctx)
    if clicked is None and (in_pool := _pool_answer(cat, intent, text or "", ctx, entities)) is not None:
        return in_pool
    if pool.is_pool(cat, ctx.source_id):
        ctx = replace(ctx, source_id=None)  # a unit pool is no qualification: every other answer is given without one
    if intent not in _CATALOGUE:
        return fallback(cat, text or "", ctx, entities.get("_ranking", []))
    if clicked is None and intent == "ask_unit_info" and _about_the_qualification(cat, text or "", entities):
        intent = route.by_topic(text or "") or "ask_qualification_info"  # "601/4310/1 total credits?"
    if intent in _ABOUT_A_UNIT_WHEN_NAMED and _names_a_unit(cat, text or "", ctx, entities):
        intent = "ask_unit_info"  # "how many credits is <unit> on the SFJ diploma": a unit fact, not the qualification's
    handler, paged = _CATALOGUE[intent]
    named = named_qualification(cat, text or "", entities) if intent != "choose_qualification" else None
    own = ctx.source_id
    if named is not None and ctx.source_id and intent in _OWN_RECORD:
        named = None  # units are recorded and counted against the learner's own qualification only
    if named is not None and named != ctx.source_id:
        # the qualification the message names is the frame of this answer; the learner's own units
        # belong to their enrolment, so they only count when the named one is theirs
        ctx = replace(ctx, source_id=named, planned=[], claimed=[], achieved=[]) if ctx.source_id else \
            replace(ctx, source_id=named)
    try:
        answer = handler(cat, text or "", entities, ctx, page=page) if paged else handler(cat, text or "", entities, ctx)
        if intent == "report_units" and clicked is None and answer.unit_updates and _ASKS_WHAT_IS_LEFT.search(text or ""):
            answer = _then_what_is_left(cat, answer, ctx)
        elif intent == "ask_remaining" and clicked is None and ctx.source_id and _reports(text or ""):
            # "done units 1, 2, 3 and 5. what do i still need?": record them first, then count them
            recorded = units.report(cat, text or "", entities, ctx)
            if recorded.unit_updates:
                answer = _then_what_is_left(cat, recorded, ctx)
            elif recorded.pending_choice:
                answer = recorded  # "which unit did you mean by ...?" comes before any count
        if clicked is None and answer.replies and not answer.pending_choice:
            answer = _and_further_asks(cat, answer, intent, text or "", entities, ctx)
        if named is not None and answer.set_source is None and own is None:
            answer.set_source = named  # kept for the conversation: the next question needs no naming
        answer.replies = fit(answer.replies)  # a safety net: the modules page their long answers themselves
        return answer
    except Exception as error:  # noqa: BLE001 - a reply must always go back to the chat; the log gets the trace
        # the length, the error type and frames, never the message text (nor the error's message: it may quote it)
        log.error("answer failed: intent=%s length=%d %s", intent, len(text or ""), failure(error))
        return Answer([Reply("Sorry, something went wrong while I looked that up. Please try again, or ask in "
                             "other words.")])


def named_qualification(cat, text: str, entities: dict[str, list[str]]) -> str | None:
    """The one qualification a message clearly names anywhere in it (awarding body or its other names,
    level, kind, title words, number), read from the catalogue's metadata at run time, or None."""
    hits = [h for h in resolve.qualifications(cat, text, entities) if cat.source(h.source_id).qualification]
    if len(hits) == 1 and not hits[0].weak:
        return hits[0].source_id
    return None


# "I've done X, Y and Z. What do I still need?": the second ask in the same message.
_ASKS_WHAT_IS_LEFT = re.compile(
    r"\b(?:what(?:'?s| is| do i)?\s+(?:still\s+)?(?:left|need|else|remaining|missing)|still\s+need|how\s+(?:many|much)\s+more"
    r"|left\s+to\s+do|what\s+(?:else\s+)?(?:do\s+)?i\s+(?:still\s+)?(?:need|have\s+to\s+do)"
    r"|am\s+i\s+(?:done|finished|there|complete)|have\s+i\s+(?:passed|finished|completed|done\s+enough|got\s+enough)"
    r"|is\s+(?:that|this|it)\s+(?:enough|ok|okay|all|everything|sufficient)|(?:got|have)\s+enough|enough\s+(?:credits|units)"
    r"|how\s+many\s+(?:\w+\s+){0,3}(?:credits?|credit\s+points|units)\s+(?:is\s+that|have\s+i|do\s+i\s+have|does\s+that))", re.I)


# the intents a message listing units and asking what is left is often taken for (a long list of codes
# reads like nothing the classifier saw); an evidence or what-if question keeps its own intent
_MAY_REPORT_UNITS = {"nlu_fallback", "report_units", "ask_remaining", "ask_group_credits", "ask_qualification_info",
                     "ask_unit_info", "ask_list_units", "choose_qualification", "out_of_scope", "affirm"}


# intents a question about the facts of named units, or about several parts of the rules, is taken for
_MAY_ASK_FACTS = _MAY_REPORT_UNITS | {"ask_what_if", "deny", "ask_criterion"}


def _asks_unit_facts(cat, text: str, ctx: LearnerContext, entities: dict[str, list[str]]) -> bool:
    if not asks.may_ask_unit_facts(text):
        return False
    frame = named_qualification(cat, text, entities) or _named_pool(cat, text) or ctx.source_id
    return asks.asks_unit_facts(cat, text, frame)


def _pool_answer(cat, intent: str, text: str, ctx: LearnerContext, entities) -> Answer | None:
    """A question framed in a unit pool that only a qualification could answer (what is left, what is
    mandatory, its number): the pool's answer, never a qualification menu in its place or a crash."""
    pool_id = pool.frame(cat, text, ctx)
    if pool_id is None:
        return None
    if intent in pool.COUNTS and (intent != "report_units" or _reports(text) or _ASKS_WHAT_IS_LEFT.search(text)):
        return pool.counts(cat, pool_id, intent, text, ctx)
    if intent == "report_units" and asks.unit_refs(cat, text, pool_id):
        # nothing can be recorded against a pool: "c&g 307 - min and max words for the report?" asks about the unit
        return unit_info.unit_info(cat, text, entities, ctx, page=_page(entities))
    if _names_a_unit(cat, text, ctx, entities) or resolve.criterion(text) is not None:
        return None  # a unit's own facts: its module reads them in the pool
    asks_rules = bool(topics_in(text, QUAL_ASPECTS)) or wants_mandatory(text) or unit_level(text) is not None
    if intent in _POOL_FACTS and asks_rules and not (intent == "ask_list_units" and not (
            wants_mandatory(text) or unit_level(text) is not None)):
        return pool.facts(cat, pool_id, text)
    return None


_POOL_FACTS = {"ask_list_units", "ask_qualification_info", "nlu_fallback", "out_of_scope", "search_specification",
               "choose_qualification"}


def _named_pool(cat, text: str) -> str | None:
    """The unit pool a message names ("c&g 224"), which sets how its unit numbers are read."""
    hits = [h for h in resolve.qualifications(cat, text) if cat.source(h.source_id).qualification is None]
    return hits[0].source_id if hits else None


def _reports(text: str) -> bool:
    return status_segments(text)[0][0] is not None


def reports_then_asks_what_is_left(cat, text: str) -> bool:
    """'I've done X, Y and Z - what's left?', 'doing group A plus 17 and 18, is that enough?'."""
    return (bool(_ASKS_WHAT_IS_LEFT.search(text)) and _reports(text) and not _WHAT_IF.match(text)
            and not resolve.evidence_types(cat, text))


_WHAT_IF = re.compile(r"\s*(?:so\s+|and\s+|ok\s+)?(?:what\s+(?:if|about|happens\s+if)|if\s+i|suppose|imagine)\b", re.I)


def _then_what_is_left(cat, recorded: Answer, ctx: LearnerContext) -> Answer:
    """The units just recorded, then what the qualification still needs counting them."""
    claimed = [r for r, status in recorded.unit_updates.items() if status != "planned"]
    planned = [r for r, status in recorded.unit_updates.items() if status == "planned"]
    after = replace(ctx, claimed=list(dict.fromkeys(ctx.claimed + claimed)),
                    planned=list(dict.fromkeys(ctx.planned + planned)))
    left = remaining.remaining(cat, "", {}, after, page=1, plan=not claimed)  # only planned: is the plan enough?
    # the report's own progress line ("Ask 'what do I still need?'") is answered here already
    recorded.replies = [r for r in recorded.replies if not any("ask_remaining" in b.payload for b in r.buttons)]
    recorded.replies += left.replies
    return recorded


def _and_further_asks(cat, answer: Answer, intent: str, text: str, entities, ctx: LearnerContext) -> Answer:
    """The answer, then one to each further ask of the message that another module answers ("what's left,
    and what could I do next after it?"), in the order asked."""
    for other, part in asks.further_topic(text, intent):
        handler, paged_ = _CATALOGUE[other]
        more = handler(cat, part, {}, ctx, page=1) if paged_ else handler(cat, part, {}, ctx)
        answer.replies += more.replies
    return answer


_ABOUT_A_UNIT_WHEN_NAMED = {"ask_qualification_info", "ask_group_credits", "choose_qualification", "ask_list_units"}


def _names_a_unit(cat, text: str, ctx: LearnerContext, entities: dict[str, list[str]]) -> bool:
    if entities.get("unit") or resolve.criterion(text) is not None:
        return False  # a button's payload, or a criterion question, is left to its intent
    return clear_unit(cat, text, named_qualification(cat, text, entities) or ctx.source_id) is not None


_MAY_NAME_A_REF = {"ask_unit_info", "nlu_fallback", "out_of_scope", "choose_qualification", "ask_qualification_info",
                   "ask_list_units", "report_units"}


def _names_unit_and_ref(cat, text: str, ctx: LearnerContext, entities: dict[str, list[str]]) -> bool:
    """A unit named clearly with one of its criteria or outcomes, and nothing else asked."""
    crit = resolve.criterion(text)
    if (crit is None or not crit.ref) and resolve.outcome_number(text) is None or _reports(text):
        return False  # "done unit 9 LO2" still reports the unit
    frame = named_qualification(cat, text, entities) or _named_pool(cat, text) or ctx.source_id
    return clear_unit(cat, resolve.strip_refs(text), frame) is not None


# a question, not a list of units: a question word, or the words of a fact asked for
_ASKS_SOMETHING = re.compile(r"\b(?:what|what'?s|whats|how|which|who|when|where|why|does|do|is|are|can|could|should|"
                             r"must|min(?:imum)?|max(?:imum)?|tell me|credits?|glh|level|uan|urn|code|nos|words)\b", re.I)
_COMMAND_VERB = re.compile(r"\bcommand\s+(?:verb|word)s?\b|\bmean(?:s|ing)?\b|\bdefin", re.I)


def _asks_about_named_units(cat, text: str, ctx: LearnerContext, entities: dict[str, list[str]]) -> bool:
    """Units named with a question and no word saying they are done or planned: a question about them."""
    if _reports(text) or _WHAT_IF.match(text) or not _ASKS_SOMETHING.search(resolve.without_qualification(text)):
        return False
    frame = named_qualification(cat, text, entities) or _named_pool(cat, text) or ctx.source_id
    return resolve.names_unit_code(text) and bool(asks.unit_refs(cat, text, frame) or
                                                  any(u.ref is None for u in resolve.units(cat, text, frame)))


def _about_the_qualification(cat, text: str, entities: dict[str, list[str]]) -> bool:
    """A qualification named and no unit, criterion or outcome: a question about the qualification itself."""
    named = named_qualification(cat, text, entities)
    if named is None or entities.get("unit") or resolve.names_unit_code(text):
        return False
    if resolve.criterion(text) is not None or resolve.outcome_number(text) is not None:
        return False
    return clear_unit(cat, text, named) is None and not asks.unit_refs(cat, text, named)


def _page(entities: dict[str, list[str]]) -> int:
    try:
        return max(1, int((entities.get("page") or ["1"])[0]))
    except ValueError:
        return 1


_ORDINAL = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
            "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "last": -1}
_PICK = re.compile(r"^\s*(?:(?:the|option|number|no\.?)\s*)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|"
                   r"5th|one|two|three|four|five|[1-9])(?:\s+(?:one|option))?(?:\s+please)?\s*[.!]?\s*$", re.I)
_WORDS = re.compile(r"[^a-z0-9 ]+")


def pick(cat, text: str, intent: str, options: list[str]) -> str | None:
    """The payload of the option a short reply picks: "2", "the second one", "last", "yes" to a single
    option, or a few words that occur in exactly one option's title ("in writing")."""
    if not options:
        return None
    m = _PICK.match(text)
    if m:
        token = m.group(1).lower()
        n = int(token) if token.isdigit() else _ORDINAL[token]
        if -1 <= n <= len(options) and n:
            return options[n - 1] if n > 0 else options[-1]
        return None
    if intent == "affirm" and len(options) == 1:
        return options[0]
    words = _WORDS.sub(" ", text.lower()).split()
    if not words or len(words) > 6:
        return None
    phrase = " ".join(words)
    hits = [o for o in options if phrase in " ".join(_WORDS.sub(" ", _option_title(cat, o).lower()).split())]
    return hits[0] if len(hits) == 1 else None


def _option_title(cat, option: str) -> str:
    parsed = parse_payload(option)
    if parsed is None:
        return option
    _, entities = parsed
    for ref in entities.get("unit", []):
        if cat.unit(ref) is not None:
            return cat.unit(ref).title
    for sid in entities.get("qualification", []):
        if sid in cat.sources:
            return cite.title(cat, sid)
    return option


# what each intent offers, as a "did you mean" button that re-asks the message under that intent
INTENT_LABELS = {
    "choose_qualification": "Choose my qualification", "report_units": "Record these units",
    "ask_remaining": "What do I still need?", "ask_what_if": "Try a change to my plan",
    "ask_group_credits": "Group credit rules", "ask_unit_info": "Tell me about a unit",
    "ask_list_units": "List units", "ask_criterion": "Explain a criterion",
    "ask_evidence_type": "Explain an evidence type", "ask_evidence_allowed": "Can I use this evidence?",
    "ask_assessment_rule": "Assessment rules", "ask_qualification_info": "Qualification facts",
    "help": "What can you do?", "human_handoff": "Talk to a person",
}


def fallback(cat, text: str, ctx: LearnerContext, ranking: list[str] | None = None) -> Answer:
    """'Did you mean ...?' with buttons built from what the message seems to be about, then from the
    classifier's next best intents (each re-asks the same message under that intent)."""
    guesses: list[tuple[str, str]] = []
    crit = resolve.criterion(text)
    unit = resolve.unit(cat, text, ctx.source_id)
    if unit is not None and unit.ref:
        title = cat.unit(unit.ref).title
        if crit is not None and crit.ref:
            guesses.append((f"Explain {crit.ref} of {title}", payload("ask_criterion", unit=unit.ref, criterion=crit.ref)))
        guesses.append((f"Tell me about {title}", payload("ask_unit_info", unit=unit.ref)))
        if ctx.source_id and not unit.outside:
            guesses.append((f"I've finished {title}", payload("report_units", unit=unit.ref, status="claimed")))
    kinds = [found.key for found in resolve.evidence_types(cat, text)[:1]]
    for key in kinds:
        guesses.append((f"What is {evidence.NAMES[key]}?", payload("ask_evidence_type", evidence_type=key)))
    for topic in [t for t in topics_in(text, RULE_TOPICS) if t not in kinds][:1]:
        guesses.append((f"Rules on {assessment.TOPIC_NAMES[topic]}", payload("ask_assessment_rule", topic=topic)))
    for hit in resolve.qualifications(cat, text)[:1]:
        if cat.source(hit.source_id).qualification is not None and hit.source_id != ctx.source_id:
            guesses.append((f"I'm doing the {cat.source(hit.source_id).qualification.title}",
                            payload("choose_qualification", qualification=hit.source_id)))
    if ctx.source_id and any(w in text.lower() for w in ("need", "left", "remaining", "credits")):
        guesses.append(("What do I still need?", payload("ask_remaining")))
    offered = {parse_payload(p)[0] for _, p in guesses}
    for intent in ranking or []:
        if intent in INTENT_LABELS and intent not in offered and len(guesses) < 4:
            guesses.append((INTENT_LABELS[intent], payload(intent, text=text) if text else payload(intent)))
            offered.add(intent)
    return smalltalk.fallback(guesses)
