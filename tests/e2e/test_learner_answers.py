"""Issue 13 patterns 3, 4 and 7 through the trained bot: complete structures, concrete gaps, verdicts first.

Phrasings are written from the specification texts (catalogue/sources/), not from tests/eval or data/.
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("choose, question, facts", [
    # sfj_l2_diploma.txt L130-192: 45 credits; A mandatory 19 (5 units); B >= 3; C >= 16; D <= 7
    ("I'm doing the SFJ level 2 diploma", "how many credits is the qualification?",
     ["45", "19", "Group B", "Group C", "16", "Group D", "7", "A/506/2130"]),
    # habc_l3_diploma.txt L98-104: 55 credits, 40 at level 3 or above, M 31, A >= 15, B <= 9
    ("I'm on the Highfield level 3 diploma", "how many credits is the diploma?",
     ["55", "40", "31", "15", "9"]),
    # Pearson SVQ L217-220: 64 SCQF credit points, 48 at level 8, exactly 8 units, 6 optional
    ("I'm doing the SVQ", "how many credits is the qualification?", ["64", "48", "8 units", "6 optional"]),
])
def test_structure_answer_is_complete(stack, sender, choose, question, facts):
    stack.say(sender, choose)
    reply = texts(stack.say(sender, question))
    for fact in facts:
        assert fact in reply, (fact, reply)


def test_still_needed_names_groups_and_units(stack, sender):
    stack.say(sender, "I'm doing the NCFE level 1 certificate")
    stack.say(sender, "I've finished Understand working in a customer service environment")
    reply = texts(stack.say(sender, "what do I still need?"))
    # ncfe_l1: A mandatory (5 units, 14 credits), B at least 6, 23 in total; 3 done
    assert "Y/506/2085" in reply and "*6 more needed*" in reply.replace("_", "") or "6 more needed" in reply, reply
    assert "20 to go" in reply, reply


@pytest.mark.parametrize("question, opening", [
    ("can I use observation for c&g 206 outcome 1?", "No"),
    ("can I use a professional discussion for unit 206 outcome 1?", "Yes"),
])
def test_evidence_answer_starts_with_the_verdict(stack, sender, question, opening):
    stack.say(sender, "I'm doing the SFJ level 2 diploma")
    first = stack.say(sender, question)[0]["text"].lstrip("*")
    assert first.startswith(opening), first
