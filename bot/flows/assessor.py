"""Assessor turns: start, run, resume and export a professional discussion from chat.

The actions call these; the discussion itself lives in the database (bot/records), so a restart of
any process loses nothing and the assessor can resume from another channel.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.flows.learner import channel_identity, sender_person
from bot.flows import discussion as turns
from bot.records import discussion as records
from bot.records import people
from bot.records.db import transaction
from bot.domain.errors import RecordsError
from bot.records.models import Discussion
from bot.domain.replies import Reply

# A name is one word, plus a second only when it is capitalised ("Sam Patel", not "Sam on"); "my learner"
# and "learner" before it are not part of it.
_NAME = r"(?:(?i:my|our)\s+)?(?:(?i:learner|apprentice|candidate)\s+)?(?P<name>[A-Za-z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)"
_WITH = re.compile(r"\b(?i:with)\s+" + _NAME)
# "resume Ana's discussion", "carry on with Sam", "continue the PD for Sam Patel"
_NOT_A_NAME = r"(?!(?i:the|my|our|a|an|that|this|it|discussion|pd|professional|session|where|from|again|please|now)\b)"
_RESUME_NAME = re.compile(r"\b(?i:with|for|resume|continue)\s+" + _NAME.replace("(?P<name>", "(?P<name>" + _NOT_A_NAME))
_ON = re.compile(r"\b(?:on|for|covering)\s+(?P<units>.+)$", re.I)
_OUTCOMES = re.compile(r"\b(?:outcomes?|LOs?|elements?)\s*(?P<nums>\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)


@dataclass(slots=True)
class StartRequest:
    learner: str | None
    units: list[str]
    outcomes: list[str] | None


def parse_start(text: str, entities: dict[str, list[str]]) -> StartRequest:
    """"Start a professional discussion with Sam on unit 206 and 207, outcome 2" -> its parts."""
    learner = (entities.get("learner_name") or [None])[0]
    if m := _WITH.search(text):
        # the NLU entity may hold only part of the name ("Sam" of "Sam Patel"): the longer wins
        if learner is None or (len(m.group("name")) > len(learner) and learner.lower() in m.group("name").lower()):
            learner = m.group("name")
    outcomes = None
    if m := _OUTCOMES.search(text):
        outcomes = re.findall(r"\d+", m.group("nums"))
        text = text[: m.start()] + text[m.end():]
    units: list[str] = []
    if m := _ON.search(_WITH.sub(" ", text) if learner else text):
        for part in re.split(r"\s*(?:,|\band\b|&|\bplus\b)\s*", m.group("units")):
            part = re.sub(r"^(?:the\s+)?units?\s+", "", part.strip(" .?!"), flags=re.I)
            if part:
                units.append(part)
    if not units:
        units = list(entities.get("unit") or [])
    return StartRequest(learner, units, outcomes)


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
    if who.role != "assessor":
        return [Reply("Starting a professional discussion needs the assessor role, and your account "
                      "does not have it. An admin can grant it (see README: Identity and roles).").to_rasa()], None
    if not req.learner:
        return [Reply("Who is the learner? Say e.g. *start a professional discussion with Sam on unit 206*.").to_rasa()], None
    matches = people.find_people(session, req.learner, role="learner")
    if not matches:
        return [Reply(f"I can't find a learner called *{req.learner}*. Check the name, or ask an admin to "
                      "register them.").to_rasa()], None
    if len(matches) > 1 and matches[0].display_name.lower() != req.learner.lower():
        names = ", ".join(p.display_name for p in matches[:5])
        return [Reply(f"More than one learner matches *{req.learner}*: {names}. Which one?").to_rasa()], None
    try:
        d = records.start(session, who, matches[0], None, req.units, req.outcomes, channel=channel_identity(sender_id)[0])
    except RecordsError as error:
        return [Reply(error.message).to_rasa()], None
    result = turns.start_reply(session, d.id)
    return [r.to_rasa() for r in result.replies], d.id


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
    if who.role != "assessor":
        return [Reply("Resuming a professional discussion needs the assessor role.").to_rasa()], None
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
    if who.role != "assessor":
        return [Reply("Exporting discussion records needs the assessor role.").to_rasa()]
    d = session.scalar(select(Discussion).where(Discussion.assessor_id == who.id)
                       .order_by(Discussion.updated_at.desc(), Discussion.id.desc()).limit(1))
    if d is None:
        return [Reply("You have no professional discussions to export yet.").to_rasa()]
    base = f"{api_url.rstrip('/')}/api/discussions/{d.id}/export"
    return [Reply(f"The record of discussion {d.id} ({d.status}) can be downloaded, with your API token, as:\n"
                  f"- PDF: {base}?format=pdf\n- CSV: {base}?format=csv\n- JSON: {base}?format=json").to_rasa()]
