"""Conversation 1 (choosing a qualification) and 8 (qualification facts), on the real catalogue."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, sources, text


def test_a_bare_level_is_confirmed_not_chosen(ask):
    a = ask("choose_qualification", "level 2")
    assert a.set_source is None
    assert "SFJ Awards Level 2 Diploma in Customer Service" in a.replies[0].text
    assert "only level 2 qualification" in a.replies[0].text
    payloads = [parse_payload(b.payload) for b in buttons(a)]
    assert ("choose_qualification", {"qualification": ["sfj-l2"]}) in payloads
    assert ("choose_qualification", {"qualification": ["all"]}) in payloads
    assert a.pending_choice == ['/choose_qualification{"qualification": "sfj-l2"}']


def test_awarding_body_and_level_choose_it(ask):
    a = ask("choose_qualification", "I'm doing the level 3 diploma with Highfield")
    assert a.set_source == "habc-l3"
    assert "HABC Level 3 Diploma in Customer Service (QCF)" in a.replies[0].text
    assert "601/4027/6" in a.replies[0].text and "55 credits" in a.replies[0].text
    assert a.replies[0].source == "HABC Level 3 Diploma"


def test_ambiguous_name_asks_with_a_button_each(ask):
    a = ask("choose_qualification", "the diploma")
    assert a.set_source is None
    assert sorted(parse_payload(p)[1]["qualification"][0] for p in a.pending_choice) == ["habc-l3", "sfj-l2"]
    titles = [b.title for b in buttons(a)]
    assert "HABC Level 3 Diploma in Customer Service (QCF)" in titles
    assert "SFJ Awards Level 2 Diploma in Customer Service" in titles


def test_the_cg_unit_pool_is_not_a_qualification(ask):
    a = ask("choose_qualification", "City & Guilds")
    assert a.set_source is None
    reply = a.replies[0]
    assert "not a qualification" in reply.text and "45 unit specifications" in reply.text
    assert "no qualification title, number or rules of combination" in reply.text
    assert reply.source == "City & Guilds unit pool"
    assert {parse_payload(b.payload)[1]["qualification"][0] for b in reply.buttons} == {
        "sfj-l2", "habc-l3", "ncfe-l1", "svq4"}


def test_button_choice_sets_it_and_warns_when_withdrawn(ask):
    a = ask("choose_qualification", '/choose_qualification{"qualification": "sfj-l2"}')
    assert a.set_source == "sfj-l2"
    assert "withdrawn" in a.replies[1].text and "30 September 2022" in a.replies[1].text
    assert a.replies[1].source == "SFJ Awards Level 2 Diploma, 2 The Qualification, line 103"


def test_choosing_the_same_again_changes_nothing(ask):
    a = ask("choose_qualification", "NCFE level 1", LearnerContext("ncfe-l1"))
    assert a.set_source is None and "already set up" in a.replies[0].text


def test_unknown_name_offers_every_qualification(ask):
    a = ask("choose_qualification", "the plumbing NVQ please")
    assert a.set_source is None
    assert len(buttons(a)) == 4


# --- qualification facts -----------------------------------------------------------------


def test_sfj_enrolment_is_refused_with_both_dates(ask):
    for question, ctx in [("is the SFJ diploma still running", LearnerContext()),
                          ("can I enrol on it?", LearnerContext("sfj-l2"))]:
        a = ask("ask_qualification_info", question, ctx)
        reply = a.replies[0]
        assert "withdrawn" in reply.text
        assert "after 30 September 2022" in reply.text and "by 30 September 2023" in reply.text
        assert reply.source == "SFJ Awards Level 2 Diploma, 2 The Qualification, line 103"


def test_other_specs_state_no_withdrawal_date(ask):
    reply = ask("ask_qualification_info", "is it still running?", LearnerContext("svq4")).replies[0]
    assert "Pre Publication Draft" in reply.text and "states no withdrawal" in reply.text
    assert "first registration: September 2015" in reply.text
    assert reply.source.startswith("Pearson SVQ 4 in Customer Service (SCQF Level 8)")


def test_glh_tqt_and_credits(ask):
    habc = LearnerContext("habc-l3")
    a = ask("ask_qualification_info", "how many GLH is the diploma", habc)
    assert len(a.replies) == 1 and "289-375" in a.replies[0].text and "depending on the units" in a.replies[0].text
    assert "does not state total qualification time" in ask("ask_qualification_info", "what's the TQT", habc).replies[0].text
    credits = ask("ask_qualification_info", "how many credits do I need", habc).replies[0]
    assert "at least 55 credits" in credits.text and "At least 40 credits from units at level 3 or above" in credits.text
    assert credits.source == "HABC Level 3 Diploma, rules of combination, lines 98-104"
    svq = ask("ask_qualification_info", "how many credits", LearnerContext("svq4")).replies[0]
    assert "64 SCQF credit points" in svq.text and "Exactly 8 units: 2 mandatory and 6 optional" in svq.text


@pytest.mark.parametrize("source_id, question, facts", [
    # sfj_l2_diploma.txt L130, L138-192: 45 credits, A 19 mandatory (5 units), B min 3, C min 16, D max 7; 39 units
    ("sfj-l2", "wats the rule of combination", ["at least 45 credits", "39 units", "Mandatory: 5 units, 19 credits",
                                                "Group B (optional: at least 3 credits)", "at least 16 credits",
                                                "Group D (optional: at most 7 credits)", "A/506/2130", "L/506/1788",
                                                "GLH 245; TQT 450"]),
    # habc_l3_diploma.txt L98-104, L213-287: 55 credits, 40 at level 3+, M 31 (6 units), A min 15, B max 9; 45 units
    ("habc-l3", "how many mandatory credits", ["at least 55 credits", "45 units", "Mandatory: 6 units, 31 credits",
                                               "At least 40 credits from units at level 3 or above",
                                               "at least 15 credits", "at most 9 credits", "T/506/2952"]),
    # svq: 64 points, 48 at SCQF 8, exactly 8 units, 6 optional, one from each of B-E, D at most one
    ("svq4", "whats the structure", ["at least 64 SCQF credit points", "Exactly 8 units: 2 mandatory and 6 optional",
                                     "At least 48 SCQF credit points from units at level 8 or above",
                                     "Group D (optional: at least 1 unit, at most 1 unit)", "CFACSF5", "CFACSF6",
                                     "GLH not stated; TQT not stated"]),
])
def test_a_structure_question_gets_the_whole_rule_of_combination(ask, source_id, question, facts):
    """Issue 13, pattern 3: total, mandatory units and credits, each group's limits, level minimum, counts."""
    t = text(ask("ask_qualification_info", question, LearnerContext(source_id)))
    for fact in facts:
        assert fact in t


def test_grading_stated_or_silent(ask):
    svq = ask("ask_qualification_info", "is it graded", LearnerContext("svq4")).replies[0]
    assert "graded pass/fail" in svq.text and svq.source.endswith("line 165")
    sfj = ask("ask_qualification_info", "is it graded", LearnerContext("sfj-l2")).replies[0]
    assert "says nothing about grading" in sfj.text and sfj.source == "SFJ Awards Level 2 Diploma"


def test_age_entry_and_number(ask):
    age = ask("ask_qualification_info", "how old do I have to be", LearnerContext("svq4")).replies[0]
    assert "18+" in age.text and age.source.endswith("line 161")
    number = ask("ask_qualification_info", "what's the qualification number", LearnerContext("svq4")).replies[0]
    assert "prints no qualification number" in number.text
    entry = ask("ask_qualification_info", "what are the entry requirements", LearnerContext("habc-l3")).replies[0]
    assert "minimum of level 2 in literacy" in entry.text and entry.source.endswith("lines 90-93")


def test_overview_without_an_aspect(ask):
    a = ask("ask_qualification_info", "tell me about my qualification", LearnerContext("ncfe-l1"))
    t = text(a)
    for fact in ("601/3972/9", "at least 23 credits", "GLH: 133; TQT: 230", "Grades are not awarded."):
        assert fact in t
    assert sources(a) == ["NCFE Level 1 Certificate in Customer Service",
                          "NCFE Level 1 Certificate in Customer Service, rules of combination, lines 111-115"]
    assert "Group B (optional: at least 6 credits)" in t


def test_yes_to_a_single_suggestion_chooses_it(ask):
    offered = ask("choose_qualification", "level 2").pending_choice
    a = ask("affirm", "yes", LearnerContext(pending=offered))
    assert a.set_source == "sfj-l2"


def test_a_withdrawn_qualification_still_gives_its_start_date(ask):
    # SFJ L16 "Operation Start Date: 1 September 2014"; L101-103 the withdrawal dates
    t = text(ask("ask_qualification_info", "when did the sfj level 2 customer service diploma start"))
    assert "no learners can be registered after 30 September 2022" in t
    assert "operational start: 1 September 2014" in t


def test_a_question_beyond_the_fields_quotes_the_specification_first(ask):
    # NCFE L62 "Aim reference: 60139729"; SVQ L483 "One SCQF credit point equals 10 notional learning hours"
    a = ask("ask_qualification_info", "aim reference for the ncfe level 1 customer service?")
    assert "Aim reference: 60139729" in a.replies[0].text
    assert "lines 58-70" in a.replies[0].source
    t = text(ask("ask_unit_info", "svq 4 - what's one credit point worth in hours"))
    assert t.startswith("The SVQ 4 in Customer Service at SCQF Level 8 says this (lines 481-483)")
    assert "One SCQF credit point equals 10 notional learning hours." in t


def test_a_qualification_question_taken_for_a_unit_one_is_answered_for_the_qualification(ask):
    t = text(ask("ask_unit_info", "601/4310/1 whats the total credits needed"))
    assert t.startswith("*Rules of combination of the SFJ Awards Level 2 Diploma in Customer Service* (601/4310/1)")
    assert "- Total: at least 45 credits" in t
