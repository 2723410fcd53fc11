"""Issue 13 patterns 1 and 7: a yes/no question about a unit opens with the plain answer, in the qualification
the question names (or the learner's). Phrasings are written from catalogue/sources/, not from tests/eval."""
import pytest

from bot.domain.answers import LearnerContext

from .conftest import text


@pytest.mark.parametrize("message, ctx, opening, facts", [
    # sfj_l2_diploma.txt L138-145: Deliver customer service (A/506/2130) is in mandatory Group A
    ("is Deliver customer service compulsory on the SFJ level 2 diploma?", None, "*Yes*", ["Group A (mandatory)"]),
    # sfj_l2_diploma.txt L153-168: Resolve customer service problems is in optional Group C
    ("is Resolve customer service problems mandatory on the sfj diploma?", None, "*No*", ["optional", "Group C"]),
    # ncfe_l1_certificate.txt L125-132: unit 08 Communicate with customers in writing is in Group B
    ("ncfe level 1 - is unit 08 optional?", None, "*Yes*", ["Group B"]),
    ("is unit 08 in group C?", "ncfe-l1", "*No*", ["Group B", "not Group C"]),
    # pearson_svq4.txt L236-237: Group D holds only unit 10 and needs one unit
    ("svq 4 - is unit 10 mandatory?", None, "*Effectively yes*", ["Group D"]),
    # habc_l3_diploma.txt L221-230: unit 5 Principles of business is level 3, in mandatory Group M
    ("is unit 5 level 3 on the highfield diploma?", None, "*Yes*", ["level 3 unit"]),
    ("is unit 5 a level 2 unit?", "habc-l3", "*No*", ["level 3 unit, not level 2"]),
])
def test_yes_no_unit_questions_open_with_the_verdict(ask, message, ctx, opening, facts):
    a = ask("ask_unit_info", message, LearnerContext(ctx) if ctx else None)
    first = a.replies[0].text
    assert first.startswith(opening), first
    for fact in facts:
        assert fact in first.split("\n")[0], (fact, first)


def test_a_plain_unit_question_has_no_verdict(ask):
    a = ask("ask_unit_info", "tell me about unit 08", LearnerContext("ncfe-l1"))
    assert a.replies[0].text.startswith("*Communicate with customers in writing*")


def test_membership_of_the_named_qualification(ask):
    # sfj_l2_diploma.txt L153-168: T/506/2157 Carry out customer service handovers is in Group C
    first = ask("ask_unit_info", "is T/506/2157 on the SFJ diploma?").replies[0].text
    assert first.startswith("*Yes*, it is in the SFJ Awards Level 2 Diploma in Customer Service: Group C"), first
