"""One learner turn: channel identity -> person -> learner context -> answer -> saved updates.

The Rasa actions call these functions and only translate to and from Rasa (keep actions/ thin).
Everything here is testable without Rasa against the real catalogue and database.
"""
from __future__ import annotations

from bot.domain.answers import respond
from bot.domain.gibberish import is_gibberish
from bot.domain.answers.context import LearnerContext
from bot.records import catalogue as catalogues
from bot.records import enrolment, people
from bot.records.db import transaction
from bot.domain.errors import RecordsError
from bot.domain.replies import Reply

# A learner's question is a sentence or two; anything far longer is a paste by mistake (or abuse),
# and fuzzy matching over it would be slow. The discussion's answers have their own, larger limit.
MAX_QUESTION_CHARS = 2000

CHANNELS = ("slack", "teams", "web")


def channel_identity(sender_id: str) -> tuple[str, str]:
    """'slack:T1:U2' -> ('slack', 'T1:U2'); any other sender id is a REST identity."""
    prefix, sep, rest = sender_id.partition(":")
    if sep and prefix in CHANNELS and rest:
        return prefix, rest
    return "rest", sender_id


def sender_person(session, sender_id: str, staff: str | None = None):
    """The person behind a chat sender; `staff`: the hash of an API token the channel passed on."""
    return people.person_for_sender(session, *channel_identity(sender_id), staff_token_sha256=staff)


def learner_context(session, person, pending: list[str] | None = None,
                    earlier: list[str] | None = None) -> tuple[LearnerContext, object]:
    enr = enrolment.enrolment_for(session, person)
    if enr is None:
        return LearnerContext(pending=list(pending or []), earlier=list(earlier or [])), None
    return LearnerContext(
        source_id=enr.source_id,
        planned=enrolment.planned_refs(session, enr),
        claimed=enrolment.claimed_refs(session, enr),
        achieved=enrolment.achieved_refs(session, enr),
        pending=list(pending or []),
        earlier=list(earlier or []),
    ), enr


def learner_turn(sender_id: str, intent: str, text: str, entities: dict[str, list[str]],
                 pending: list[str] | None = None, ranking: list[str] | None = None,
                 staff: str | None = None, earlier: list[str] | None = None) -> tuple[list[dict], list[str]]:
    """Answer one learner message. `ranking`: the classifier's next best intents, for "did you
    mean ...?"; `staff`: the hash of an API token the channel passed on; `earlier`: the learner's previous
    messages, latest first (a follow-up's topic). Returns (Rasa messages, refs offered as choices)."""
    if len(text) > MAX_QUESTION_CHARS:
        return [Reply(f"That message is too long for me to read ({len(text):,} characters). Please ask in a "
                      f"shorter message, up to {MAX_QUESTION_CHARS:,} characters.").to_rasa()], []

    cat = catalogues.current()
    if is_gibberish(text, cat):
        # mashed keys land on short intents like affirm: say we didn't understand, and guess nothing
        intent, ranking = "nlu_fallback", []
    if intent == "nlu_fallback":
        entities = {**entities, "_ranking": list(ranking or [])}

    def turn(session):
        person = sender_person(session, sender_id, staff)
        ctx, enr = learner_context(session, person, pending, earlier)
        answer = respond(intent, text, entities, ctx, cat=cat)
        if answer.set_source and answer.set_source != ctx.source_id:
            enr = enrolment.enrol(session, person, answer.set_source)
        for ref, status in answer.unit_updates.items():
            if enr is not None:
                enrolment.set_unit_status(session, enr, ref, status, actor=person)
        return answer

    try:
        answer = transaction(turn)
    except RecordsError as error:  # e.g. a staff chat without its token
        return [Reply(error.message).to_rasa()], []
    return [r.to_rasa() for r in answer.replies], answer.pending_choice
