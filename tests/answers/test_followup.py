"""Issue 13 pattern 6: a follow-up keeps the unit of the learner's earlier message."""
import pytest

from bot.domain.answers import LearnerContext

from .conftest import text


def after(*earlier: str, source: str = "sfj-l2") -> LearnerContext:
    return LearnerContext(source, earlier=list(reversed(earlier)))


def test_a_bare_criterion_number_is_about_the_earlier_unit(ask):
    a = ask("ask_unit_info", "and 1.2?", after("what's Deal with incoming telephone calls from customers about"))
    assert "H/506/2154" in text(a) and "1.2" in text(a)


@pytest.mark.parametrize("intent, message", [
    ("ask_qualification_info", "what level is it?"),
    ("nlu_fallback", "is that unit optional?"),
    ("ask_assessment_rule", "and how many credits"),
])
def test_a_question_about_it_is_about_the_earlier_unit(ask, intent, message):
    a = ask(intent, message, after("tell me about K/506/2155"))
    assert "Make telephone calls to customers" in text(a) and "Group C" in text(a)


def test_a_unit_given_after_which_unit_answers_the_criterion_question(ask):
    a = ask("report_units", "make telephone calls to customers", after("explain criterion 1.1"))
    assert a.unit_updates == {} and "K/506/2155" in text(a) and "1.1" in text(a)


def test_no_earlier_unit_leaves_the_message_as_it_is(ask):
    a = ask("ask_criterion", "and 2.1?", after("hello"))
    assert "Which unit" in text(a)


def test_an_earlier_criterion_question_does_not_turn_a_report_of_units_into_a_question(ask):
    a = ask("report_units", "I've finished make telephone calls to customers", after("explain criterion 1.1"))
    assert a.unit_updates == {"K/506/2155": "claimed"}
