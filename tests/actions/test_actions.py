"""The rasa-sdk actions against the real catalogue and database (SQLite and PostgreSQL), without Rasa:
a Tracker goes in, the dispatcher's messages and the events come out."""
from __future__ import annotations

import asyncio
import hashlib

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.assessor import ActionStartDiscussion, ValidateDiscussionForm
from actions.learner import ActionAnswer, ActionDidYouMean
from bot.records import enrolment, people
from catalogue import load_catalogue


@pytest.fixture(autouse=True)
def database(db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db)
    return db


def tracker(sender: str, text: str, intent: str, entities=(), slots=None, message_id="m1", events=(),
            token: str | None = None) -> Tracker:
    """`token`: a staff API token, passed on by the REST channel as its hash in the metadata."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "intent_ranking": [{"name": intent, "confidence": 0.9}], "entities": list(entities),
               "message_id": message_id,
               "metadata": {"staff_token_sha256": hashlib.sha256(token.encode()).hexdigest()} if token else {}}
    return Tracker(sender, slots or {}, message, list(events), False, None, {}, "action_listen")


def run(action, t: Tracker, domain=None):
    dispatcher = CollectingDispatcher()
    if isinstance(action, ValidateDiscussionForm):
        events = asyncio.run(action.run(dispatcher, t, domain or {"slots": {"discussion_step": {}},
                                                                 "forms": {"discussion_form": {"required_slots": ["discussion_step"]}}}))
    else:
        events = asyncio.run(action.run(dispatcher, t, domain or {}))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), dispatcher.messages, events


def test_choice_of_qualification_is_remembered_for_the_learner(session):
    text, _, _ = run(ActionAnswer(), tracker("web:abc", "I'm doing NCFE level 1", "choose_qualification"))
    assert "NCFE Level 1 Certificate in Customer Service" in text
    learner = people.get_or_create_person_for_identity(session, "web", "abc")
    assert enrolment.enrolment_for(session, learner).source_id == "ncfe-l1"
    # a later session (new tracker, same identity) knows the choice
    text, _, _ = run(ActionAnswer(), tracker("web:abc", "what do I still need?", "ask_remaining"))
    assert "23" in text and "Group A" in text


def test_reported_units_are_claims_saved_in_the_database(session):
    run(ActionAnswer(), tracker("rest-1", "I'm on the level 3 diploma with Highfield", "choose_qualification"))
    text, _, events = run(ActionAnswer(), tracker("rest-1", "I've finished 206, 207 and Exceed customer expectations",
                                                  "report_units"))
    assert "Exceed customer expectations" in text
    learner = people.get_or_create_person_for_identity(session, "rest", "rest-1")
    enr = enrolment.enrolment_for(session, learner)
    assert sorted(enrolment.claimed_refs(session, enr)) == ["D/506/2119", "T/506/2126", "Y/506/2135"]
    assert enrolment.achieved_refs(session, enr) == []  # a learner's claim is never an assessor's confirmation


def test_criterion_text_is_verbatim(session):
    run(ActionAnswer(), tracker("rest-2", "SFJ level 2 diploma", "choose_qualification"))
    text, _, _ = run(ActionAnswer(), tracker("rest-2", "what does 2.3 of unit 206 mean?", "ask_criterion"))
    expected = load_catalogue().spec("D/506/2119", "sfj-l2").criterion("2.3").text
    assert expected in text


def test_fallback_offers_did_you_mean(session):
    text, messages, _ = run(ActionDidYouMean(), tracker("rest-3", "asdfgh qwerty", "nlu_fallback"))
    assert text
    assert any(m.get("buttons") for m in messages)


def test_unexpected_error_gives_a_clear_reply_not_a_crash(session, monkeypatch):
    import actions.learner as learner_actions

    def broken(*_args):
        raise RuntimeError("database exploded: learner answer text")

    monkeypatch.setattr(learner_actions, "learner_turn", broken)
    text, _, events = run(ActionAnswer(), tracker("rest-4", "hello", "help"))
    assert "try again" in text and "exploded" not in text
    assert events == []


def test_learner_cannot_start_a_discussion(session):
    text, _, events = run(ActionStartDiscussion(), tracker("rest-5", "start a professional discussion with Sam on unit 206",
                                                           "start_discussion"))
    assert "assessor role" in text
    assert not any(e.get("event") == "followup" for e in events)


def test_assessor_discussion_turns_are_saved_as_they_happen(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    assessor = people.create_person(session, "Alex Assessor", "assessor", actor=admin)
    token = people.issue_token(session, assessor, actor=admin)
    sam = people.create_person(session, "Sam Patel", "learner", actor=admin)
    enrolment.enrol(session, sam, "ncfe-l1", assessor, actor=admin)
    session.commit()  # the test is the unit of work here: what the action server reads must be committed

    text, _, events = run(ActionStartDiscussion(), tracker("assessor-1", "start a professional discussion with Sam Patel on unit 09",
                                                           "start_discussion", token=token))
    first = load_catalogue().spec("H/506/2154", "ncfe-l1").criteria[0]
    assert first.text in text
    slot = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slot["discussion_id"]
    assert any(e.get("event") == "followup" and e.get("name") == "discussion_form" for e in events)

    slots = {"discussion_id": slot["discussion_id"], "discussion_step": "the caller's name and why they ring",
             "requested_slot": "discussion_step"}
    said = "the caller's name and why they ring"
    # what Rasa sends the form's validation action: the user's message, then the slot it filled
    t = tracker("assessor-1", said, "nlu_fallback", slots=slots, message_id="m2", token=token,
                events=[{"event": "user", "text": said}, {"event": "slot", "name": "discussion_step", "value": said}])
    t.active_loop = {"name": "discussion_form"}
    run(ValidateDiscussionForm(), t)
    from bot.records import discussion as records
    d = records.get(session, int(slot["discussion_id"]))
    answers = records.current_answers(session, d)
    assert [a.text for a in answers.values()] == ["the caller's name and why they ring"]


def test_overlong_question_gets_a_clear_reply(session):
    text, _, _ = run(ActionAnswer(), tracker("rest-6", "unit " * 10_000, "ask_unit_info"))
    assert "too long" in text and "2,000 characters" in text


def test_keyboard_mashing_classified_as_affirm_is_not_understood(session):
    text, _, _ = run(ActionAnswer(), tracker("rest-7", "kjhkjh", "affirm"))
    assert "didn't understand" in text or "did you mean" in text.lower()


def test_long_message_kept_from_the_nlu_is_answered_from_its_full_text(session):
    t = tracker("rest-8", "/long_message", "long_message")
    t.latest_message["metadata"] = {"full_text": "tell me about unit 206 " * 500}
    text, _, _ = run(ActionAnswer(), t)
    assert "too long" in text


def test_explicit_session_start_replies_and_carries_slots_over():
    from actions.session import NEW_SESSION, ActionSessionStart

    t = tracker("rest-9", "/session_start", "session_start", slots={"pending_choice": ["/x"], "requested_slot": "s"})
    text, _, events = run(ActionSessionStart(), t)
    assert text == NEW_SESSION
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"pending_choice": ["/x"]}


def test_automatic_session_start_is_silent():
    from actions.session import ActionSessionStart

    text, _, _ = run(ActionSessionStart(), tracker("rest-10", "what do I still need", "ask_remaining"))
    assert text == ""
