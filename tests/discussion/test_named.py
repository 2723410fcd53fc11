"""Task assessor point 1 (issue 19.2): a criterion named by words of its text is the one decided,
whichever the discussion stands on; words that fit several are asked about, and nothing is stored."""
from __future__ import annotations

import pytest

from bot.domain.discussion.commands import parse
from bot.domain.discussion.named import match
from tests.discussion.test_turns import answer_for, d, decision_for, say  # noqa: F401  (fixture)

CRITERIA = [("1.1", "Explain how to adapt their speech to meet customers’ needs"),
            ("1.2", "Describe the importance of active listening"),
            ("1.3", "Identify the features of effective telephone communication"),
            ("2.1", "Use appropriate language when speaking to customers"),
            ("2.2", "Adapt their communication to meet customers’ needs"),
            ("2.3", "Use body language to show interest in what customers say")]


@pytest.mark.parametrize("words, expected", [
    ("body language", ["2.3"]), ("listening", ["1.2"]), ("active listenin", ["1.2"]), ("phone", ["1.3"]),
    ("telephone communication", ["1.3"]), ("adapting speech", ["1.1"]), ("speech", ["1.1"]),
    ("customers needs", ["1.1", "2.2"]),  # both say it: ask
    ("complaints", []), ("", []),
])
def test_words_name_criteria(words, expected):
    assert match(words, CRITERIA) == expected


@pytest.mark.parametrize("text, kind, about, reason", [
    ("the complaints one is met", "met", "complaints", None),
    ("mark the one about body language as not yet", "not_yet_met", "body language", None),
    ("mark the one about body language as not yet, she never mentioned eye contact", "not_yet_met", "body language",
     "she never mentioned eye contact"),
    ("the one about listening is met - good examples", "met", "listening", "good examples"),
    ("tick off the telephone one", "met", "telephone", None),
    ("not yet for the one on tone: no examples", "not_yet_met", "tone", "no examples"),
    ("the listening one, not yet, nothing on paraphrasing", "not_yet_met", "listening", "nothing on paraphrasing"),
    ("I think the complaints one is a not yet because she forgot the log", "not_yet_met", "complaints",
     "she forgot the log"),
    ("go to the one about body language", "goto", "body language", None),
    ("segmentation one is a not yet - didn't give any methods", "not_yet_met", "segmentation",
     "didn't give any methods"),
    ("the body language one is met as well, crossed arms and eye contact", "met", "body language",
     "crossed arms and eye contact"),
])
def test_decisions_naming_a_criterion_by_words(text, kind, about, reason):
    cmd = parse(text)
    assert (cmd.kind, cmd.about, cmd.text, cmd.ref) == (kind, about, reason, None)


@pytest.mark.parametrize("text", ["the first one is met", "She explained the one about tone well"])
def test_where_words_are_not_a_criterion(text):
    cmd = parse(text)
    assert cmd.about is None and cmd.kind not in ("met", "not_yet_met")


@pytest.mark.parametrize("text, kind", [("met for that one", "met"), ("yes that one's met", "met"),
                                        ("ok that one is a not yet, no example", "not_yet_met")])
def test_that_one_is_the_current_criterion(text, kind):
    cmd = parse(text)
    assert (cmd.kind, cmd.about, cmd.ref) == (kind, None, None)


def test_words_decide_that_criterion(session, world, d):
    say(session, d, world, "She'd slow down and check they understood")  # an answer to 1.1
    said = say(session, d, world, "the listening one is met, she paraphrased back")
    assert said.replies[0].text == "1.2: met."
    assert decision_for(session, d, "1.2") == ("met", "she paraphrased back")
    assert decision_for(session, d, "1.1") is None
    assert answer_for(session, d, "1.1") == "She'd slow down and check they understood"
    say(session, d, world, "mark the telephone one as not yet, nothing on call etiquette")
    assert decision_for(session, d, "1.3") == ("not_yet_met", "nothing on call etiquette")
    assert decision_for(session, d, "1.1") is None


def test_words_without_reason_ask_for_it(session, world, d):
    ask = say(session, d, world, "mark the one about appropriate language as not yet")
    assert ask.replies[0].text.startswith("What is missing for 2.1?")
    say(session, d, world, "jargon throughout")
    assert decision_for(session, d, "2.1") == ("not_yet_met", "jargon throughout")


def test_words_fitting_several_are_asked_about(session, world, d):
    asked = say(session, d, world, "the one about customers needs is met")
    reply = asked.replies[0]
    assert "More than one criterion" in reply.text and "haven't recorded" in reply.text
    assert [b.payload for b in reply.buttons] == ["1.1 met", "2.2 met"]
    assert decision_for(session, d, "1.1") is None and decision_for(session, d, "2.2") is None
    say(session, d, world, reply.buttons[1].payload)
    assert decision_for(session, d, "2.2") == ("met", None) and decision_for(session, d, "1.1") is None


def test_words_fitting_none_are_said_so(session, world, d):
    said = say(session, d, world, "the complaints one is met")
    assert "No criterion planned for this discussion reads like “complaints”" in said.replies[0].text
    assert all(decision_for(session, d, ref) is None for ref in ("1.1", "1.2", "1.3", "2.1", "2.2"))


def test_goto_by_words(session, world, d):
    said = say(session, d, world, "go to the one about the telephone")
    assert said.replies[0].text.startswith("*1.3*")
    say(session, d, world, "she'd smile down the phone and give her name")
    assert answer_for(session, d, "1.3") == "she'd smile down the phone and give her name"


# ---------------------------------------------------------------- answers naming their criterion (task point 1)


@pytest.mark.parametrize("text, ref, about, answer", [
    ("for the one about the complaints log she said she writes each one down", None, "the complaints log",
     "she said she writes each one down"),
    ("on the telephone one she said she answers within three rings", None, "telephone",
     "she said she answers within three rings"),
    ("re the listening one, she nods and paraphrases", None, "listening", "she nods and paraphrases"),
    ("the body language one: crossed arms put people off", None, "body language", "crossed arms put people off"),
    ("for the one on tone - she lowers her voice", None, "tone", "she lowers her voice"),
    ("for 1.3 she said she answers within three rings", "1.3", None, "she said she answers within three rings"),
    ("on 2.1, no jargon with customers", "2.1", None, "no jargon with customers"),
    ("1.3 - she answers within three rings", "1.3", None, "she answers within three rings"),
])
def test_answers_naming_their_criterion(text, ref, about, answer):
    cmd = parse(text)
    assert (cmd.kind, cmd.ref, cmd.about, cmd.text) == ("answer", ref, about, answer)


@pytest.mark.parametrize("text", ["For the most part she stayed calm", "On the other hand she said sorry first",
                                  "for the first one she said speak slowly", "with the one customer who shouted "
                                  "she stayed calm"])
def test_answers_that_name_no_criterion_are_kept_whole(text):
    cmd = parse(text)
    assert (cmd.kind, cmd.ref, cmd.about, cmd.text) == ("answer", None, None, text)


def test_answer_by_words_lands_there_then_back_to_what_is_open(session, world, d):
    said = say(session, d, world, "for the one about the telephone she said she answers within three rings")
    assert said.replies[-1].text == "Saved for 1.3. Met, not yet met, or more to add? (Then back to 1.1.)"
    assert answer_for(session, d, "1.3") == "she said she answers within three rings"
    assert answer_for(session, d, "1.1") is None
    say(session, d, world, "and gives her name")  # more for the named one
    assert answer_for(session, d, "1.3") == "she said she answers within three rings\n\nand gives her name"
    decided = say(session, d, world, "met")
    assert decision_for(session, d, "1.3") == ("met", None) and decision_for(session, d, "1.1") is None
    assert decided.replies[0].text == "1.3: met."
    assert decided.replies[1].text.startswith("*1.1*")  # the discussion is back on what is open
    say(session, d, world, "She slows down for older customers")
    assert answer_for(session, d, "1.1") == "She slows down for older customers"


def test_answer_by_number_out_of_order_then_not_yet_with_reason(session, world, d):
    say(session, d, world, "for 2.1, she avoids jargon mostly")
    ask = say(session, d, world, "not yet")
    assert ask.replies[0].text.startswith("What is missing for 2.1?")
    say(session, d, world, "still said 'escalate the ticket' to a customer")
    assert decision_for(session, d, "2.1") == ("not_yet_met", "still said 'escalate the ticket' to a customer")
    assert answer_for(session, d, "2.1") == "she avoids jargon mostly" and decision_for(session, d, "1.1") is None


def test_answer_by_words_fitting_several_asks_which(session, world, d):
    asked = say(session, d, world, "for the one about customers needs: she asks what they prefer")
    reply = asked.replies[0]
    assert "More than one criterion" in reply.text
    assert [b.payload for b in reply.buttons] == ["1.1: she asks what they prefer", "2.2: she asks what they prefer"]
    assert answer_for(session, d, "1.1") is None and answer_for(session, d, "2.2") is None
    say(session, d, world, reply.buttons[1].payload)
    assert answer_for(session, d, "2.2") == "she asks what they prefer" and answer_for(session, d, "1.1") is None


def test_answer_by_words_fitting_none_stores_nothing_until_told(session, world, d):
    asked = say(session, d, world, "for the complaints one she said she logs them")
    assert "No criterion planned for this discussion reads like “complaints”" in asked.replies[0].text
    assert all(answer_for(session, d, ref) is None for ref in ("1.1", "1.2", "1.3", "2.1", "2.2"))
    say(session, d, world, "answer")
    assert answer_for(session, d, "1.1") == "she said she logs them"
