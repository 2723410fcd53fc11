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
