"""Counts said as numbers, and group questions with amounts (issue 13, patterns 3 and 4). Figures from the
specification texts: SVQ unit 3 lists K&U 1-9 (L660-669); HABC unit 9 has 2 outcomes and 17 criteria;
every NCFE Group B unit is worth 3 credits (L125-132); SVQ Group D holds unit 10 only (L236-237); HABC
Group A "(All optional credits can be achieved from this group)" (L237), Group B has no minimum (L268)."""
from bot.domain.answers import LearnerContext

from .conftest import text


def test_knowledge_statements_are_counted(ask):
    a = ask("ask_criterion", "how many K&U statements in Champion Customer Service svq4")
    assert a.replies[0].text == "Champion Customer Service (CFACSA17) has *9 knowledge statements* (K&U1-K&U9)."


def test_assessment_criteria_are_counted_per_outcome(ask):
    first = ask("ask_unit_info", "how many assessment criteria are in Resolve customers' complaints?",
                LearnerContext("habc-l3")).replies[0].text
    assert first.startswith("Resolve customers' complaints (R/506/2151) has *17 assessment criteria* (8 in outcome 1, "
                            "9 in outcome 2).")


def test_performance_criteria_of_an_svq_unit(ask):
    first = ask("ask_criterion", "how many performance criteria does svq 4 unit 1 have").replies[0].text
    assert first == "Show Understanding of Customer Service Management (CFACSF5) has *9 performance criteria* (PC1-PC9)."


def test_units_needed_from_a_group_are_worked_out_from_its_credits(ask):
    t = text(ask("ask_group_credits", "group B - how many units do i need from it", LearnerContext("ncfe-l1")))
    assert "every unit in it is worth 3 credits, so at least 2 units" in t


def test_a_group_with_no_maximum_says_none_is_stated(ask):
    first = ask("ask_group_credits", "whats the max credits I can take from group C", LearnerContext("ncfe-l1"))
    assert first.replies[0].text.startswith("Group C: the specification states no minimum and no maximum for it.")
    t = text(ask("ask_group_credits", "what's the maximum from group A?", LearnerContext("habc-l3")))
    assert "Group A: at least 15 credits and no maximum is stated." in t


def test_more_units_than_a_group_holds(ask):
    first = ask("ask_group_credits", "can I do 3 units from group D", LearnerContext("svq4")).replies[0].text
    assert first.startswith("*No*: Group D holds 1 unit (Handle Referred Customer Complaints, CFACSC8), so 3 isn't "
                            "possible.")


def test_all_optional_credits_from_one_group_and_none_from_another(ask):
    t = text(ask("ask_group_credits", "can I do all my optional credits from group A and none from group B?",
                 LearnerContext("habc-l3")))
    assert t.startswith("*Yes*: 24 credits from Group A is within its rule.")
    assert 'It states: "(All optional credits can be achieved from this group)" (line 237)' in t
    assert "*Yes*: Group B has no minimum, so you need take nothing from it." in t
    assert "it is not necessary to choose any units from this group)\" (line 268)" in t


def test_the_svq_structure_quotes_how_optional_units_are_chosen(ask):
    t = text(ask("ask_qualification_info", "svq 4 rules of combination"))
    assert "- Exactly 8 units: 2 mandatory and 6 optional" in t
    assert "the candidate must complete a further two units from any of Groups B, C and E" in t


def test_a_listed_group_says_its_credits(ask):
    t = text(ask("ask_list_units", "which units are in group A", LearnerContext("ncfe-l1")))
    assert t.startswith("*Group A (mandatory)*: Group A mandatory units (5 units, 14 credits)")
