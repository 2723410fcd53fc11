"""Assessor turns: start, run, resume and export a professional discussion from chat.

The actions call these; the discussion itself lives in the database (bot/records), so a restart of
any process loses nothing and the assessor can resume from another channel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.flows.learner import channel_identity, sender_person
from bot.flows import discussion as turns
from bot.records import discussion as records
from bot.records import access, people
from bot.records.db import transaction
from bot.domain.errors import RecordsError
from bot.records.models import Discussion
from bot.records.enrolment import enrolment_for
from bot.records import catalogue as catalogues
from bot.domain.answers import resolve
from bot.domain.planning import resolve_unit, source_name, unit_label
from catalogue.errors import SourceError
from bot.domain.export.record import STATUS_LABELS, label
from bot.domain.replies import Reply

# A learner's name: up to three words after "with"/"for" (and "my learner"), ending where the unit or
# anything else begins ("with ana costa on unit 206", "for Sam Patel, unit 207"); or a possessive
# before the discussion ("start Ana's PD on 219").
_STOP = (r"on|for|about|covering|re|regarding|in|at|to|today|now|please|unit|units|and|what|which|this|the|"
         r"doing|tomorrow|this|using|via|over|starting|from|it|will|is|pd|professional|discussion")
_WORD = r"[A-Za-z][\w'’.-]*"
_NAME = (rf"(?:(?i:my|our)\s+)?(?:(?i:learner|apprentice|candidate|student)\s+)?"
         rf"(?P<name>(?!(?i:{_STOP})\b){_WORD}(?:\s+(?!(?i:{_STOP})\b){_WORD}){{0,2}})")
_WITH = re.compile(r"\b(?i:with|for)\s+" + _NAME)
_POSSESSIVE = re.compile(rf"\b(?i:start|run|begin|open|do|new|launch)\s+(?:(?i:a|the)\s+)?(?P<name>{_WORD}(?:\s+{_WORD})?)"
                         r"['’]s?\s+(?i:professional\s+discussion|pd|discussion)")
# "resume Ana's discussion", "carry on with Sam", "continue the PD for Sam Patel"
_NOT_A_NAME = r"(?!(?i:the|my|our|a|an|that|this|it|discussion|pd|professional|session|where|from|again|please|now)\b)"
_RESUME_NAME = re.compile(r"\b(?i:with|for|resume|continue)\s+" +
                          r"(?:(?i:my|our)\s+)?(?:(?i:learner|apprentice|candidate)\s+)?(?P<name>" + _NOT_A_NAME +
                          r"[A-Za-z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)")
_ON = re.compile(r"\b(?:on|for|covering)\s+(?P<units>.+)$", re.I)
_OUTCOMES = re.compile(r"\b(?:outcomes?|LOs?|elements?)\s*(?P<nums>\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)
# "what will it cover?" beside the start: the plan is the answer (it is given on every start)
_COVER = re.compile(r"[\s,.;:!?-]*\b(?:and\s+|so\s+)?(?:what(?:'s|\s+is|\s+will|\s+would|\s+does|\s+do)?\s+"
                    r"(?:it|this|that|we|the\s+plan|the\s+discussion|the\s+pd|be)\s*(?:be\s+)?(?:cover(?:ed|ing)?|"
                    r"include|involve|look\s+like)|show\s+(?:me\s+)?(?:the\s+)?plan|what(?:'s|\s+is)\s+(?:in\s+)?"
                    r"the\s+plan)\b.*$", re.I)


# A message that can only be a start, whatever the NLU made of it: "PD with Zara on <unit title>",
# "start a professional discussion for Sam on 206", "start Ana's PD on 219".
_STARTS = re.compile(r"^\W*(?:(?:ok|right|so|please|can\s+we|let'?s|i\s+(?:want|need|would\s+like|'d\s+like)\s+to)"
                     r"[\s,]+)*(?:(?:start|begin|run|do|open|launch)\s+)?(?:(?:a|the|an)\s+)?(?:new\s+)?"
                     r"(?:pd|p\.d\.|professional\s+discussion)\s+(?:with|for)\s+\S+.*\s(?:on|covering)\s+\S", re.I)


def looks_like_start(text: str) -> bool:
    """Whether the message asks to start a professional discussion with a learner on some units."""
    return bool(_STARTS.search(text or "")) or bool(_POSSESSIVE.search(text or "") and _ON.search(text or ""))


@dataclass(slots=True)
class StartRequest:
    learner: str | None
    units: list[str]
    outcomes: list[str] | None
    unit_text: str = ""  # the words naming the units, for the catalogue's lookup ("unit 219 Support ...")


def _name_of(text: str) -> str | None:
    m = _WITH.search(text) or _POSSESSIVE.search(text)
    if m is None:
        return None
    return re.sub(r"['’]s?$", "", m.group("name")).strip(" .,")


def parse_start(text: str, entities: dict[str, list[str]]) -> StartRequest:
    """"Start a professional discussion with Sam on unit 206 and 207, outcome 2" -> its parts."""
    text = _COVER.sub("", text)
    learner = (entities.get("learner_name") or [None])[0]
    if found := _name_of(text):
        # the NLU entity may hold only part of the name ("Sam" of "Sam Patel"): the longer wins
        if learner is None or (len(found) > len(learner) and learner.lower() in found.lower()):
            learner = found
    outcomes = None
    if m := _OUTCOMES.search(text):
        outcomes = re.findall(r"\d+", m.group("nums"))
        text = text[: m.start()] + text[m.end():]
    units: list[str] = []
    rest = text
    if learner:
        rest = _WITH.sub(" ", rest, count=1) if _WITH.search(rest) else _POSSESSIVE.sub(" ", rest, count=1)
    unit_text = ""
    if m := _ON.search(rest):
        unit_text = m.group("units").strip(" .?!")
        for part in re.split(r"\s*(?:,|\band\b|&|\bplus\b)\s*", m.group("units")):
            part = re.sub(r"^(?:the\s+)?units?\s+", "", part.strip(" .?!"), flags=re.I)
            if part:
                units.append(part)
    if not units:
        units = list(entities.get("unit") or [])
    return StartRequest(learner, units, outcomes, unit_text)


def _assessor(session, sender_id: str, staff: str | None):
    return sender_person(session, sender_id, staff)


def _safely(work):
    """A records refusal (not signed in, not yours) is the reply, never an error."""
    try:
        return transaction(work)
    except RecordsError as error:
        return error


def start(sender_id: str, text: str, entities: dict[str, list[str]],
          staff: str | None = None) -> tuple[list[dict], int | None]:
    req = parse_start(text, entities)
    result = _safely(lambda session: _start(session, sender_id, staff, req))
    return ([Reply(result.message).to_rasa()], None) if isinstance(result, RecordsError) else result


def _start(session, sender_id: str, staff: str | None, req: StartRequest) -> tuple[list[dict], int | None]:
    who = _assessor(session, sender_id, staff)
    access.require_assessor(who, "start a professional discussion")
    if not req.learner:
        return [Reply("Who is the learner? Say e.g. *start a professional discussion with Sam on unit 206*.").to_rasa()], None
    learner = _learner(session, who, req.learner)
    if isinstance(learner, str):
        return [Reply(learner).to_rasa()], None
    access.require_start(session, who, who, learner)  # before saying anything about their enrolment
    units = _units(session, learner, req)
    if isinstance(units, str):
        return [Reply(units).to_rasa()], None
    try:
        d = records.start(session, who, learner, None, units, req.outcomes, channel=channel_identity(sender_id)[0])
    except RecordsError as error:
        return [Reply(error.message).to_rasa()], None
    result = turns.start_reply(session, d.id)
    return [r.to_rasa() for r in result.replies], d.id


def _learner(session, who, name: str):
    """The learner a name means, or what to say instead. A full name (typos allowed) is enough; a first
    name only when one of the learners assigned to this assessor has it (or one learner at all)."""
    matches = people.find_people(session, name, role="learner")
    if not matches:
        return (f"I can't find a learner called *{name}*. Check the name, or ask an admin to register them.")
    exact = [p for p in matches if p.display_name.casefold() == name.casefold()]
    if len(exact) == 1:
        return exact[0]
    mine_ids = {p.id for p in access.assigned_learners(session, who)}
    mine = [p for p in matches if p.id in mine_ids]
    if len(mine) == 1:
        return mine[0]
    if mine:
        names = ", ".join(p.display_name for p in mine[:5])
        return f"More than one of your learners matches *{name}*: {names}. Which one?"
    if len(matches) == 1:
        return matches[0]  # the access policy says whether this assessor may (require_start)
    # learners of other assessors are not named to this one
    return f"No learner assigned to you matches *{name}*; {access.HOW_TO_ASSIGN}."


def _units(session, learner, req: StartRequest):
    """Unit refs for the start, read from the message by the catalogue's lookup within the learner's
    qualification (number, reference, title, number and title, typos); or what to say instead."""
    if not req.unit_text:
        return req.units
    enrolled = enrolment_for(session, learner)
    try:
        cat = catalogues.current()
    except SourceError:  # records.start says what is wrong with the specification
        return req.units
    found = resolve.units(cat, req.unit_text, enrolled.source_id if enrolled else None)
    if not found or enrolled is None:
        return req.units  # records.start names what is missing
    refs: list[str] = []
    for u in found:
        if u.outside:
            return (f"Unit {u.mention} is not part of the {source_name(cat, enrolled.source_id)} that "
                    f"{learner.display_name} is enrolled on.")
        if u.ref is None and u.options:
            options = "; ".join(_unit_name(cat, enrolled.source_id, r) for r in u.options[:4])
            return f"Which unit do you mean by “{u.mention}”: {options}?"
        if u.ref and u.ref not in refs:
            refs.append(u.ref)
    return refs or req.units


def _unit_name(cat, source_id: str, ref: str) -> str:
    spec = resolve_unit(cat, source_id, ref)
    return f"unit {unit_label(spec)}" if spec else ref


def step(sender_id: str, discussion_id: int, text: str, message_id: str | None,
         staff: str | None = None, api_url: str = "") -> tuple[list[dict], bool]:
    """One message during a discussion. Returns (messages, still active)."""

    def turn(session):
        who = _assessor(session, sender_id, staff)
        return turns.handle(session, int(discussion_id), text, who, client_msg_id=message_id)

    try:
        result = transaction(turn)
    except RecordsError as error:
        return [Reply(error.message).to_rasa()], False
    messages = [r.to_rasa() for r in result.replies]
    if result.exported:
        messages += export(sender_id, api_url, staff)
    return messages, not (result.finished or result.paused)


def resume(sender_id: str, text: str, entities: dict[str, list[str]],
           staff: str | None = None) -> tuple[list[dict], int | None]:
    result = _safely(lambda session: _resume(session, sender_id, staff, text, entities))
    return ([Reply(result.message).to_rasa()], None) if isinstance(result, RecordsError) else result


def _resume(session, sender_id: str, staff: str | None, text: str, entities: dict[str, list[str]]) -> tuple[list[dict], int | None]:
    who = _assessor(session, sender_id, staff)
    access.require_assessor(who, "resume a professional discussion")
    learner = None
    name = (entities.get("learner_name") or [None])[0]
    if not name and (m := _RESUME_NAME.search(text)):
        name = re.sub(r"['’]s$", "", m.group("name"))
    if name:
        learner = people.find_person(session, name, role="learner")
    try:
        result = turns.resume(session, who, learner)
    except RecordsError as error:
        return [Reply(error.message).to_rasa()], None
    active = None if result.finished else result.discussion_id
    return [r.to_rasa() for r in result.replies], active


def export(sender_id: str, api_url: str, staff: str | None = None) -> list[dict]:
    """Where to download the record of the assessor's latest discussion."""
    result = _safely(lambda session: _export(session, sender_id, staff, api_url))
    return [Reply(result.message).to_rasa()] if isinstance(result, RecordsError) else result


def _export(session, sender_id: str, staff: str | None, api_url: str) -> list[dict]:
    who = _assessor(session, sender_id, staff)
    access.require_assessor(who, "export discussion records from chat")
    d = session.scalar(access.readable_discussions(who).where(Discussion.assessor_id == who.id)
                       .order_by(Discussion.updated_at.desc(), Discussion.id.desc()).limit(1))
    if d is None:
        return [Reply("You have no professional discussions to export yet.").to_rasa()]
    base = f"{api_url.rstrip('/')}/api/discussions/{d.id}/export"
    return [Reply(f"The record of discussion {d.id} ({label(STATUS_LABELS, d.status).lower()}) can be downloaded, "
                  "with your API token, as:\n"
                  f"- PDF: {base}?format=pdf\n- CSV: {base}?format=csv\n- JSON: {base}?format=json").to_rasa()]
