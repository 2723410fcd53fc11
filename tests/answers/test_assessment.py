"""Conversation 7: assessment rules quoted from the specifications, and silence said as silence."""
import re

import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, text


def test_simulation_in_the_sfj_diploma(ask):
    a = ask("ask_assessment_rule", "is simulation allowed", LearnerContext("sfj-l2"))
    first = a.replies[0]
    assert first.text.startswith("*Only in some cases*: the SFJ Awards Level 2 Diploma in Customer Service limits simulation")
    assert "\n*Simulation and realistic working environments* in the SFJ Awards Level 2 Diploma" in first.text
    assert "must be carried out in a real job and simulation is not allowed with the exception of the Sales units" \
        in first.text
    assert first.source == "SFJ Awards Level 2 Diploma, 4.9 Use of Simulated Activities, lines 446, 448"
    assert all(r.source for r in a.replies)


def test_simulation_for_one_unit(ask):
    first = ask("ask_assessment_rule", "is simulation allowed for unit K/503/0421",
                LearnerContext("sfj-l2")).replies[0]
    # the verdict first (issue 13, pattern 7), then the statement that decides it (L370)
    assert first.text.startswith("*No*, simulation is not allowed for Deal with incidents through a contact centre "
                                 "(K/503/0421) in the SFJ Awards Level 2 Diploma in Customer Service")
    assert "Contact Centre NVQs must be undertaken in a real working environment" in first.text
    sales = ask("ask_assessment_rule", "can I use simulation for unit M/502/8587", LearnerContext("sfj-l2")).replies[0]
    assert sales.text.startswith("*Yes*, simulation can be used for Processing sales orders (M/502/8587)")


def test_silent_specification_points_to_the_strategy_it_defers_to(ask):
    a = ask("ask_assessment_rule", "can I be assessed in Welsh?", LearnerContext("habc-l3"))
    reply = a.replies[0]
    assert reply.text.startswith("The HABC Level 3 Diploma in Customer Service (QCF) says nothing about the language "
                                 "of assessment.")
    assert ('It does say: "All assessment criteria must be met and assessed in line with Skills CFA assessment '
            'strategy" (line 124)') in reply.text
    assert reply.source == "HABC Level 3 Diploma, Guidance on assessment, line 124"
    assert parse_payload(buttons(a)[0].payload) == ("ask_assessment_rule", {"topic": ["language"],
                                                                            "qualification": ["all"]})


def test_language_where_it_is_stated(ask):
    reply = ask("ask_assessment_rule", "can I be assessed in Welsh?", LearnerContext("svq4")).replies[0]
    assert "may be in English, Welsh or Irish" in reply.text
    assert reply.source.startswith("Pearson SVQ 4 in Customer Service (SCQF Level 8), Language of assessment, line")


@pytest.mark.parametrize("source, question, quote, line", [
    ("ncfe-l1", "do trainee assessors need countersigning",
     "must ensure their decisions are countersigned by a suitably-qualified assessor/verifier", "210-212"),
    ("svq4", "how old can my evidence be", "Current: usually not more than two years old", "354"),
    ("sfj-l2", "can I transfer credits from another qualification",
     "Credits from identical units that have already been achieved by the learner may be transferred.", "230"),
    ("habc-l3", "can I use RPL?", "Centres wishing to utilise RPL as part of the qualification assessment", "134"),
    ("sfj-l2", "does an expert witness count the same as observation",
     "Expert Witness testimony has parity with assessor observation", "434"),
])
def test_rules_are_quoted_with_their_line(ask, source, question, quote, line):
    replies = ask("ask_assessment_rule", question, LearnerContext(source)).replies
    hit = [r for r in replies if quote in r.text]
    assert hit and re.search(rf"\blines? (?:[\d, -]+, )?{line}\b", hit[0].source), [r.source for r in hit]


def test_appeals_across_specifications_groups_the_silent_ones(ask):
    a = ask("ask_assessment_rule", "how do I appeal an assessment decision", LearnerContext())
    assert a.replies[0].text.startswith("*Appeals* in the SVQ 4 in Customer Service at SCQF Level 8:")
    assert "Centres must have a policy for dealing with appeals from candidates." in a.replies[0].text
    assert a.replies[1].text.startswith("Nothing on appeals in: SFJ Awards Level 2 Diploma in Customer Service, "
                                        "HABC Level 3 Diploma in Customer Service (QCF), NCFE Level 1 Certificate")


def test_no_topic_asks_with_buttons(ask):
    a = ask("ask_assessment_rule", "what are the rules", LearnerContext("sfj-l2"))
    assert a.replies[0].text == "Which assessment rule do you want to know about?"
    assert "Appeals" in [b.title for b in buttons(a)]
    clicked = ask("ask_assessment_rule", buttons(a)[-2].payload, LearnerContext("svq4"))
    assert "Centres must have a policy for dealing with appeals" in text(clicked)


def test_a_may_i_question_that_a_statement_forbids_opens_with_no(ask):
    # HABC L128: the IQA "must not have been involved in any aspect of the delivery or assessment"
    first = ask("ask_assessment_rule", "can my assessor also be the IQA on highfield l3?").replies[0].text
    assert first.startswith("*No*, not as stated: the HABC Level 3 Diploma in Customer Service (QCF) says")
    assert "must not have been involved in any aspect of the delivery or assessment" in first
    assert "(line 128)" in first
    # a question the statements do not forbid gets no invented verdict
    other = ask("ask_assessment_rule", "what do IQAs need on highfield l3?").replies[0].text
    assert not other.startswith("*No*")
