"""Learner conversations through the trained bot over HTTP: right units, numbers and verbatim text."""
from __future__ import annotations

import pytest

from catalogue import load_catalogue
from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


def test_highfield_learner_journey(stack, sender):
    reply = texts(stack.say(sender, "I'm doing the level 3 diploma with Highfield"))
    assert "HABC Level 3 Diploma in Customer Service" in reply and "601/4027/6" in reply

    reply = texts(stack.say(sender, "I've finished 206, 207 and Exceed customer expectations"))
    for title in ("Communicate verbally with customers", "Communicate with customers in writing",
                  "Exceed customer expectations"):
        assert title in reply, reply

    reply = texts(stack.say(sender, "what units do I still need?"))
    assert "9 of 55 credits" in reply or "9 of at least 55 credits" in reply, reply
    assert "Group M" in reply and "40" in reply  # mandatory group and the level 3 credit rule
    assert "HABC Level 3 Diploma" in reply  # the source is named

    reply = texts(stack.say(sender, "what does 2.3 of unit 206 mean?"))
    assert load_catalogue().spec("D/506/2119", "habc-l3").criterion("2.3").text in reply

    reply = texts(stack.say(sender, "can I take 12 credits from group B?"))
    assert "9" in reply and "Group B" in reply, reply


def test_choice_is_remembered_across_sessions(stack, sender):
    stack.say(sender, "I'm on the SVQ")
    stack.say(sender, "/session_start")  # a new session for the same person
    reply = texts(stack.say(sender, "what do I still need"))
    assert "SVQ 4" in reply and "8" in reply and "64" in reply, reply


def test_unit_by_misspelt_title(stack, sender):
    reply = texts(stack.say(sender, "tell me about buddie a colleage"))
    assert "Buddy a colleague to develop their skills" in reply and "M/506/1895" in reply


def test_ambiguous_reference_asks_which(stack, sender):
    messages = stack.say(sender, "tell me about the resolve customers unit")
    buttons = [b["title"] for m in messages for b in m.get("buttons") or []]
    joined = " ".join(buttons) + texts(messages)
    assert "complaints" in joined and "problems" in joined, messages


def test_evidence_allowed_from_the_outcome_list(stack, sender):
    reply = texts(stack.say(sender, "can I use a professional discussion for unit 206 outcome 1?"))
    assert "Yes" in reply and "City & Guilds" in reply, reply


def test_withdrawn_sfj_diploma(stack, sender):
    reply = texts(stack.say(sender, "can I still enrol on the SFJ level 2 diploma?"))
    assert "30 September 2022" in reply and "30 September 2023" in reply, reply


def test_spec_silence_is_said(stack, sender):
    stack.say(sender, "I'm doing the Highfield level 3 diploma")
    reply = texts(stack.say(sender, "what is a professional discussion?"))
    assert "D – Discussion" in reply or "does not describe" in reply, reply


def test_gibberish_and_human(stack, sender):
    reply = texts(stack.say(sender, "sdkfjh qwpoeiru zxmcnv"))
    assert reply and ("understand" in reply.lower() or "did you mean" in reply.lower()), reply
    reply = texts(stack.say(sender, "I want to talk to a real person")).lower()
    assert "assessor" in reply or "training provider" in reply or "tutor" in reply, reply


def test_huge_and_binary_messages_get_a_reply(stack, sender):
    # kept away from the NLU by the channel guard, answered from the action server
    assert "too long" in texts(stack.say(sender, "customer service " * 6_000))
    reply = texts(stack.say(sender, "\x00\x01\x02 \ufffd what is unit 999/999?"))
    assert reply


def test_restart_and_new_session_get_a_reply(stack, sender):
    assert "restarted" in texts(stack.say(sender, "/restart")).lower()
    assert "new conversation" in texts(stack.say(sender, "/session_start")).lower()
