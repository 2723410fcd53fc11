"""Issue 19 points 1 and 2: decisions typed as sentences are decisions (with their reason), the
criterion they name is the one decided, and a message that could be either is asked about."""
from __future__ import annotations

import pytest

from bot.domain.discussion.commands import parse
from tests.discussion.test_turns import answer_for, d, decision_for, say  # noqa: F401  (fixture)


@pytest.mark.parametrize("text, kind, ref, reason", [
    ("that's met", "met", None, None),
    ("Thats met.", "met", None, None),
    ("met for that one", "met", None, None),
    ("Mark that one as met.", "met", None, None),
    ("tick it off", "met", None, None),
    ("yes that one's met", "met", None, None),
    ("I think 1.2 is met", "met", "1.2", None),
    ("mark 1.3 as met", "met", "1.3", None),
    ("ac 3.1 met", "met", "ac 3.1", None),
    ("1.2 is a not yet, she didn't mention the complaints log", "not_yet_met", "1.2",
     "she didn't mention the complaints log"),
    ("not yet for 1.4 - no example", "not_yet_met", "1.4", "no example"),
    ("she hasn't met it yet", "not_yet_met", None, None),
    ("i'd say that's a not yet - no log", "not_yet_met", None, "no log"),
    ("good example of the log, tick it off", "met", None, "good example of the log"),
    ("that is met but mention the log next time", "met", None, "mention the log next time"),
])
def test_sentences_are_decisions(text, kind, ref, reason):
    cmd = parse(text)
    assert (cmd.kind, cmd.ref, cmd.text) == (kind, ref, reason)


@pytest.mark.parametrize("text", ["that's met I reckon she covered it", "She met the target so that's done",
                                  "1.2 met the customer halfway"])
def test_either_is_ambiguous(text):
    assert parse(text).kind == "ambiguous"


def test_decision_sentence_is_not_answer_text(session, world, d):
    say(session, d, world, "She said she'd speak slowly and check they understood")
    result = say(session, d, world, "Mark that one as met.")
    assert result.replies[0].text == "1.1: met."
    assert answer_for(session, d, "1.1") == "She said she'd speak slowly and check they understood"
    assert decision_for(session, d, "1.1") == ("met", None)


def test_named_criterion_is_the_one_decided(session, world, d):
    say(session, d, world, "mark 1.3 as met")
    assert decision_for(session, d, "1.3") == ("met", None)
    assert decision_for(session, d, "1.1") is None
    said = say(session, d, world, "1.2 is a not yet, she didn't mention tone")
    assert decision_for(session, d, "1.2") == ("not_yet_met", "she didn't mention tone")
    assert said.replies[1].text.startswith("*1.1*")  # back to what is still open
    say(session, d, world, "met")
    assert decision_for(session, d, "1.1") == ("met", None)


def test_named_not_yet_without_reason_asks_for_that_criterion(session, world, d):
    ask = say(session, d, world, "2.1 is a not yet")
    assert ask.replies[0].text.startswith("What is missing for 2.1?")
    say(session, d, world, "no example of a difficult call")
    assert decision_for(session, d, "2.1") == ("not_yet_met", "no example of a difficult call")
    assert decision_for(session, d, "1.1") is None


def test_ambiguous_is_asked_then_saved_as_answer(session, world, d):
    asked = say(session, d, world, "She met the target so that's done")
    assert "haven't stored it" in asked.replies[0].text
    assert answer_for(session, d, "1.1") is None and decision_for(session, d, "1.1") is None
    say(session, d, world, "answer")
    assert answer_for(session, d, "1.1") == "She met the target so that's done"
    assert decision_for(session, d, "1.1") is None


def test_ambiguous_then_a_decision(session, world, d):
    say(session, d, world, "that's met I reckon she covered it")
    say(session, d, world, "met")
    assert decision_for(session, d, "1.1") == ("met", None) and answer_for(session, d, "1.1") is None


def _sign_all(session, world, d):
    for _ in range(5):
        say(session, d, world, "met")
    say(session, d, world, "finish")
    say(session, d, world, "sign now")
    say(session, d, world, "I confirm")
    return say(session, d, world, "learner confirms")


@pytest.mark.parametrize("text", ["met", "that's met", "1.2 is a not yet, no log", "she also said she'd log it"])
def test_signed_record_keeps_the_assessor_and_says_what_can_be_done(session, world, d, text):
    """Issue 19 point 5: after signing, a command is answered with the amendment route; nothing changes."""
    assert not _sign_all(session, world, d).finished
    before = (decision_for(session, d, "1.1"), decision_for(session, d, "1.2"), answer_for(session, d, "1.1"))
    result = say(session, d, world, text)
    assert not result.finished and "signed off" in result.replies[0].text and "amend" in result.replies[0].text
    assert (decision_for(session, d, "1.1"), decision_for(session, d, "1.2"), answer_for(session, d, "1.1")) == before
    assert say(session, d, world, "leave").finished


def test_export_in_the_discussion_asks_the_caller_for_links(session, world, d):
    _sign_all(session, world, d)
    result = say(session, d, world, "export the record")
    assert result.exported and not result.finished
