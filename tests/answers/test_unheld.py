"""A qualification the catalogue does not hold is said to be missing, never answered with another's facts."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.unheld import unheld

from .conftest import text


@pytest.mark.parametrize("message, named", [
    ("the ILM level 3 certificate in leadership - rules of combination?", "ILM level 3 certificate in leadership"),
    ("how many credits is the level 4 diploma from highfield", "level 4 diploma from highfield"),
    ("sfj awards level 3 diploma in customer service, how many credits", "sfj awards level 3 diploma in customer service"),
    ("svq 2 in customer service at scqf 5 - structure?", "svq 2 in customer service at scqf 5"),
    ("NCFE level 2 certificate in retail", "NCFE level 2 certificate in retail"),
    ("whats in the OCR customer service nvq", "OCR customer service nvq"),
    ("level 6 diploma in customer service management", "level 6 diploma in customer service management"),
])
def test_a_qualification_not_held_is_named_back(cat, message, named):
    assert unheld(cat, message) == named


@pytest.mark.parametrize("message", [
    "is unit 5 mandatory on the Pearson SVQ?", "how many level 2 units are in the HABC diploma",
    "at least 40 credits at level 3 or above on the highfield diploma?", "svq 4 at scqf level 8",
    "what's the difference between the level 2 and level 3 diplomas", "Level 1 certificate in customer service",
    "nvq level 2 customer service", "i'm on the sfj l2 diploma", "the level 8 svq", "2.3 of unit 206", "hi",
])
def test_the_qualifications_held_are_not_refused(cat, message):
    assert unheld(cat, message) is None


def test_the_answer_says_what_was_checked_and_states_no_other_qualifications_facts(ask):
    a = ask("ask_group_credits", "how many credits is the SFJ level 3 diploma?", LearnerContext("sfj-l2"))
    t = text(a)
    assert t.startswith("I don't have the specification of *SFJ level 3 diploma*")
    for held in ("SFJ Awards Level 2 Diploma in Customer Service", "HABC Level 3 Diploma in Customer Service (QCF)",
                 "NCFE Level 1 Certificate in Customer Service", "SVQ 4 in Customer Service at SCQF Level 8"):
        assert held in t
    assert "45" not in t and "credits so far" not in t  # the SFJ Level 2 Diploma's total is not offered as this one's
    assert a.set_source is None


@pytest.mark.parametrize("message", ["which units are level 4 on the highfield diploma",
                                     "the highfield diploma units at level 4", "is the habc diploma level 3?"])
def test_a_level_of_units_is_not_a_level_of_the_qualification(cat, message):
    assert unheld(cat, message) is None


def test_pearsons_own_brands_are_pearson(cat):
    assert unheld(cat, "Edexcel / pearson svq customer service level 4 - minimum age?") is None
    assert unheld(cat, "pearson btec level 2 certificate in customer service GLH?") is not None
