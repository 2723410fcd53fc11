"""Conversation 4: unit information and unit lists."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, text


def test_unit_by_cg_number_in_the_learners_qualification(ask):
    a = ask("ask_unit_info", "tell me about unit 206", LearnerContext("sfj-l2"))
    reply = a.replies[0]
    lines = reply.text.splitlines()
    assert lines[0] == "*Communicate verbally with customers* (D/506/2119)"
    assert "- In your SFJ Awards Level 2 Diploma in Customer Service: Group B (optional: at least 3 credits)" in lines
    assert "- Level 2, 3 credits, 14 GLH (SFJ Awards Level 2 Diploma)" in lines
    assert "  1. Understand how to communicate verbally with customers (6 criteria)" in lines
    assert "  2. Be able to use customer service language to communicate with customers (10 criteria)" in lines
    assert "- Also in: HABC Level 3 Diploma (Group A); City & Guilds unit pool (unit 206)" in lines
    assert reply.source == "SFJ Awards Level 2 Diploma, unit D/506/2119, line 566"
    # its sources differ only in case or punctuation (catalogue: minor): nothing for a learner to act on
    assert any(d.minor for d in ask.cat.differences_for("D/506/2119"))
    assert "differ" not in reply.text and "only in case" not in text(a)


def test_unit_by_urn_without_a_qualification(ask):
    reply = ask("ask_unit_info", "what's K/506/2155", LearnerContext()).replies[0]
    assert reply.text.startswith("*Make telephone calls to customers* (K/506/2155)")
    assert "Level 2, 3 credits, 16 GLH" in reply.text
    assert "NCFE Level 1 Certificate in Customer Service (Group B, unit 10)" not in reply.text  # numbers as printed
    assert "NCFE Level 1 Certificate in Customer Service (Group B)" in reply.text


def test_differences_between_sources_are_shown_with_both_values(ask):
    reply = ask("ask_unit_info", "tell me about manage a customer service award programme",
                LearnerContext("habc-l3")).replies[0]
    assert "Unit 26, Group A (optional: at least 15 credits)" in reply.text
    assert "Credits: 4 in the HABC Level 3 Diploma; 6 in the City & Guilds unit pool" in reply.text
    assert "GLH: 15 in the HABC Level 3 Diploma; 25 in the City & Guilds unit pool" in reply.text


def test_unit_outside_the_qualification_is_described_and_flagged(ask):
    reply = ask("ask_unit_info", "tell me about champion customer service", LearnerContext("ncfe-l1")).replies[0]
    assert "*Not in your NCFE Level 1 Certificate in Customer Service.*" in reply.text
    assert "Champion" in reply.text.splitlines()[0]


def test_svq_unit_by_its_number_shows_elements_and_knowledge(ask):
    reply = ask("ask_unit_info", "unit 10", LearnerContext("svq4")).replies[0]
    assert reply.text.startswith("*Handle Referred Customer Complaints* (CFACSC8)")
    assert "Unit 10, Group D" in reply.text and "10 credit points, GLH not stated" in reply.text
    assert "  E1. Investigate referred customer complaints (4 criteria)" in reply.text
    assert "- 12 knowledge statements (K&U1-K&U12)" in reply.text


def test_ambiguous_unit_asks_with_buttons(ask):
    a = ask("ask_unit_info", "tell me about communicate", LearnerContext("sfj-l2"))
    assert a.pending_choice == [b.payload for b in buttons(a)]
    assert sorted(b.payload for b in buttons(a)) == ['/ask_unit_info{"unit": "D/506/2119"}',
                                                     '/ask_unit_info{"unit": "T/506/2126"}']
    writing = next(b for b in buttons(a) if "T/506/2126" in b.payload)
    clicked = ask("ask_unit_info", writing.payload, LearnerContext("sfj-l2"))
    assert clicked.replies[0].text.startswith("*Communicate with customers in writing* (T/506/2126)")


def test_unknown_unit(ask):
    a = ask("ask_unit_info", "tell me about unit 999", LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith("I couldn't find \"unit 999\" in any of my specifications")


def test_list_a_group_marks_the_learners_units(ask):
    a = ask("ask_list_units", "what units are in group B", LearnerContext("ncfe-l1", claimed=["A/506/2094"],
                                                                        planned=["K/506/2155"]))
    lines = text(a).splitlines()
    assert lines[0] == "*Group B (optional: at least 6 credits)*: Group B optional units (6 units, 18 credits)"
    assert "- Unit 06 Record details of customer service problems (A/506/2094), level 1, 3 credits - done" in lines
    assert "- Unit 10 Make telephone calls to customers (K/506/2155), level 2, 3 credits - planned" in lines
    assert len([l for l in lines if l.startswith("- Unit")]) == 6
    assert a.replies[0].source == "NCFE Level 1 Certificate in Customer Service, rules of combination, lines 111-115"


def test_list_mandatory_units(ask):
    lines = text(ask("ask_list_units", "list the mandatory units", LearnerContext("habc-l3"))).splitlines()
    assert lines[0] == "*Group M (mandatory)*: Mandatory Group (6 units, 31 credits)"
    assert [l.split(" (")[0] for l in lines[1:]] == [
        "- Unit 1 Organise and deliver customer service", "- Unit 2 Understand the customer service environment",
        "- Unit 3 Understand customers and customer retention", "- Unit 4 Resolve customers' problems",
        "- Unit 5 Principles of business", "- Unit 6 Manage personal and professional development"]


def test_long_list_is_paged_with_show_more(ask):
    a = ask("ask_list_units", "list all the units", LearnerContext("habc-l3"))  # 45 units: 4 replies
    assert len(a.replies) == 3
    more = a.replies[-1].buttons[-1]
    assert more.title == "Show more"
    intent, entities = parse_payload(more.payload)
    assert intent == "ask_list_units" and entities["page"] == ["2"]
    page2 = ask("ask_list_units", more.payload, LearnerContext("habc-l3"))
    assert "Unit 45 Bespoke Software (J/502/4397)" in text(page2)
    assert "Unit 7 Develop resources" in text(a) and "Unit 7 Develop resources" not in text(page2)


def test_group_that_does_not_exist_lists_the_real_ones(ask):
    reply = ask("ask_list_units", "what units are in group F", LearnerContext("habc-l3")).replies[0]
    assert reply.text == "The HABC Level 3 Diploma in Customer Service (QCF) has no group F; its groups are M, A, B."


def test_list_units_at_a_level(ask):
    lines = text(ask("ask_list_units", "which units are level 3", LearnerContext("sfj-l2"))).splitlines()
    assert lines[0] == "Units at level 3:"
    assert [l for l in lines if l.startswith("- ")] == [
        "- Resolve customers' complaints (R/506/2151), level 3, 4 credits",
        "- Gather, analyse and interpret customer feedback (D/506/2170), level 3, 5 credits",
        "- Negotiate in a business environment (H/506/1912), level 3, 4 credits"]
    none = ask("ask_list_units", "list the level 4 units", LearnerContext("ncfe-l1")).replies[0]
    assert none.text == "The NCFE Level 1 Certificate in Customer Service has no units at level 4."


@pytest.mark.parametrize("source_id, question, count", [
    ("sfj-l2", "how many assessment criteria are in Resolve customers' complaints", "17 criteria in all"),  # L772-782
    ("habc-l3", "how many ACs in Principles of business", "19 criteria in all"),  # habc L380-404
    ("sfj-l2", "how many ACs in deliver customer service", "20 criteria in all"),  # sfj L485-506
])
def test_a_count_question_gets_the_number(ask, source_id, question, count):
    """Issue 13, pattern 3: the number of criteria is said, not left to add up from the outcomes."""
    assert count in text(ask("ask_unit_info", question, LearnerContext(source_id)))
