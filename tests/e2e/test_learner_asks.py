"""Issue 13 through the trained bot: a qualification named in the question (pattern 1), follow-ups that
keep the unit (pattern 6) and mashed keys (pattern 8). Phrasings written from the specification texts."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("message, expected", [
    ("unit 3 of the NCFE level one certificate - what is it", "L/506/1791"),
])
def test_a_qualification_named_in_the_question_is_used_and_kept(stack, sender, message, expected):
    reply = texts(stack.say(sender, message))
    assert expected in reply and "Which qualification" not in reply, reply
    reply = texts(stack.say(sender, "what do I still need?"))  # kept: no need to name it again
    assert "Which qualification" not in reply and "First tell me your qualification" not in reply, reply


def test_follow_ups_keep_the_unit(stack, sender):
    stack.say(sender, "tell me about Deal with incoming telephone calls from customers on the SFJ diploma")
    reply = texts(stack.say(sender, "and 1.2?"))
    assert "H/506/2154" in reply and "1.2" in reply, reply
    reply = texts(stack.say(sender, "what level is it?"))
    assert "Deal with incoming telephone calls from customers" in reply and "Level 2" in reply, reply


@pytest.mark.parametrize("message", ["kjh lkj ,,, 99//", "qwe rty ~~ 0/0"])
def test_mashed_keys_are_not_understood(stack, sender, message):
    reply = texts(stack.say(sender, message))
    assert "didn't understand" in reply.lower() and "Which qualification" not in reply, reply


# --- pattern 2: several asks in one message ------------------------------------------------------

@pytest.mark.parametrize("message, expected", [
    ("pearson svq: units 13 and 14 - credit points and codes?", ["CFACSD16", "CFACSD17", "11 credit points",
                                                                   "7 credit points"]),
    ("C&G: what are units 220 and 221 called", ["Support customers using self-service equipment",
                                               "Use social media to deliver customer service"]),
    ("whats the total credit value of the NCFE level 1, and whats compulsory?", ["23 credits", "14 credits",
                                                                                 "L/506/2083"]),
])
def test_every_ask_of_a_message_is_answered(stack, sender, message, expected):
    reply = texts(stack.say(sender, message))
    assert all(e in reply for e in expected) and "Have you finished these" not in reply, reply


# --- pattern 4: concrete "what do I still need" ---------------------------------------------------

@pytest.mark.parametrize("message", ["Pearson SVQ: finished units 1, 2, 4 and 6. what's missing?",
                                     "svq4 - done 1 2 4 6, what do i still need"])
def test_units_listed_then_what_is_left_is_concrete(stack, sender, message):
    reply = texts(stack.say(sender, message))
    # 41 of 64; level 8: 41 of 48; group D's only unit and one of group E still needed
    assert "41 of 64" in reply and "7 short" in reply and "Handle Referred Customer Complaints" in reply, reply
    reply = texts(stack.say(sender, "what if I swap unit 6 for unit 7?"))
    assert "Group C: 10 -> 8" in reply and "Units that would complete it" in reply, reply


def test_a_long_list_is_recorded_whole(stack, sender):
    reply = texts(stack.say(sender, "ncfe level 1 - finished 01 02 03 04 05 06 07 08 09 10 11 14 15, have I got enough?"))
    assert "(13 units)" in reply and "meet the rules of combination" in reply and "38" in reply, reply


# --- pattern 6: a bare fact question keeps the unit -----------------------------------------------

@pytest.mark.parametrize("follow", ["how many credits?", "what level?"])
def test_a_bare_fact_question_keeps_the_unit(stack, sender, follow):
    stack.say(sender, "highfield level 3 unit 26")
    reply = texts(stack.say(sender, follow))
    assert "L/506/2181" in reply and "Did you mean" not in reply, reply
