"""Issue 13 patterns 1, 3, 5: a message that names a qualification and asks about it is answered, not taken for
a choice; an unsure classification of a question about a qualification is answered by its topic.
Phrasings are written from the specification texts (catalogue/sources/), not from tests/eval."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.route import asks_about_it, reroute

from .conftest import text


@pytest.mark.parametrize("message", [
    "I'm doing the SFJ level 2 diploma", "my course is the Pearson SVQ", "Highfield level 3",
    "I'm starting the NCFE certificate next week", "which qualification am I on?",
])
def test_a_plain_choice_asks_nothing_more(message):
    assert not asks_about_it(message)
    assert reroute("choose_qualification", message, True) == "choose_qualification"


@pytest.mark.parametrize("message, intent", [
    ("svq 4 rules of combination", "ask_qualification_info"),
    ("what's mandatory on the NCFE level 1 certificate", "ask_qualification_info"),
    ("does the highfield diploma allow exemptions", "ask_assessment_rule"),
    ("are there level 4 units on the HABC level 3?", "ask_list_units"),
    ("is the pearson svq still a draft?", "ask_qualification_info"),
])
def test_a_choice_that_asks_goes_to_the_topic(message, intent):
    assert reroute("choose_qualification", message, True) == intent


def test_an_unsure_question_is_routed_only_with_a_qualification_in_view():
    assert reroute("nlu_fallback", "who hears an appeal on the svq 4?", True) == "ask_assessment_rule"
    assert reroute("nlu_fallback", "who hears an appeal?", False) == "nlu_fallback"
    assert reroute("out_of_scope", "kjh lkj ,,, 99//", True) == "out_of_scope"  # no question, no topic


@pytest.mark.parametrize("message, facts", [
    # sfj_l2_diploma.txt L130-145: 45 credits, Group A mandatory 19 credits
    ("SFJ level 2 diploma rules of combination", ["45", "19", "Group B", "Group C", "Group D"]),
    # habc_l3_diploma.txt L98-104: 40 credits at level 3 or above, Group M 31 credits
    ("how many credits have to be level 3 or above on the highfield diploma?", ["40", "31"]),
    # pearson_svq4.txt L217-220: 64 SCQF credit points, 48 at SCQF level 8, 8 units
    ("what is the structure of the pearson svq 4", ["64", "48", "8 units"]),
])
def test_choice_with_a_structure_question_gets_the_structure_and_keeps_the_qualification(ask, message, facts):
    a = ask("choose_qualification", message)
    reply = text(a)
    assert "Got it: you're doing" not in reply
    for fact in facts:
        assert fact in reply, (fact, reply)
    assert a.set_source is not None  # kept for the conversation


def test_choice_with_a_topic_question_answers_the_topic(ask):
    # habc_l3_diploma.txt L186-193: learners show photo ID (passport, photocard driving licence)
    reply = text(ask("choose_qualification", "highfield level 3: what identification do learners need?"))
    assert "passport" in reply.lower()


def test_unsure_question_about_a_units_count_gets_the_unit(ask):
    # sfj_l2_diploma.txt L772-782: Resolve customers' complaints (R/506/2151) has 17 criteria
    reply = text(ask("nlu_fallback", "how many criteria does Resolve customers' complaints have?",
                     LearnerContext("sfj-l2")))
    assert "R/506/2151" in reply and "17 criteria" in reply


def test_unsure_chatter_is_not_answered_with_facts(ask):
    reply = text(ask("nlu_fallback", "hmm ok then", LearnerContext("sfj-l2")))
    assert "didn't understand" in reply or "not sure what you meant" in reply
