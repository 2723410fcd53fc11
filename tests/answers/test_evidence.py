"""Conversation 6: evidence types per specification, and whether evidence is listed for an outcome."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, text


def test_habc_only_mentions_discussion_as_a_method_code(ask):
    a = ask("ask_evidence_type", "what is a professional discussion?", LearnerContext("habc-l3"))
    reply = a.replies[0]
    assert reply.text == ("*Yes, it is listed*, but not described: the HABC Level 3 Diploma in Customer Service (QCF) does not describe professional "
                          "discussion; its only mention is the method code D – Discussion in its list of evidence "
                          "types (Appendix 3: Sample Assessment Material).")
    assert reply.source == "HABC Level 3 Diploma, Appendix 3: Sample Assessment Material, line 1257"
    assert parse_payload(buttons(a)[0].payload) == (
        "ask_evidence_type", {"evidence_type": ["professional_discussion"], "qualification": ["all"]})


def test_sfj_names_professional_discussion_as_an_alternative_source(ask):
    reply = ask("ask_evidence_type", "what counts as a PD?", LearnerContext("sfj-l2")).replies[0]
    assert "alternative evidence sources which may be used where direct observation is not possible" in reply.text
    assert reply.source == "SFJ Awards Level 2 Diploma, 4.8 Workplace Assessment, line 436"


def test_every_specification_on_expert_witnesses(ask):
    a = ask("ask_evidence_type", "what counts as an expert witness", LearnerContext(), qualification="all")
    t = text(a)
    assert "Expert Witness testimony has parity with assessor observation" in t
    assert "be familiar with the qualification unit" in t
    assert any(r.source == "SFJ Awards Level 2 Diploma, 4.7 The Expert Witnesses, lines 424-428" for r in a.replies)
    assert "It lists expert witness testimony as evidence for 3 of the 102 outcomes that have an evidence list" in t
    rest = ask("ask_evidence_type", a.replies[-1].buttons[-1].payload, LearnerContext())
    t2 = text(rest)
    assert "expert witness testimony (EWT)" in t2  # the SVQ's own name for it
    assert ("Nothing on expert witness testimony in: HABC Level 3 Diploma in Customer Service (QCF), NCFE Level 1 "
            "Certificate in Customer Service") in t2


def test_silent_specification_names_what_was_checked(ask):
    reply = ask("ask_evidence_type", "what is a reflective account", LearnerContext("ncfe-l1")).replies[0]
    assert reply.text.startswith("*Not stated*: the NCFE Level 1 Certificate in Customer Service says nothing about reflective "
                                 "account. I checked its evidence types (Assessor observation, witness testimony")
    assert reply.source == "NCFE Level 1 Certificate in Customer Service"


def test_no_evidence_type_lists_the_kinds_the_specification_names(ask):
    a = ask("ask_evidence_type", "what types of evidence can I use", LearnerContext("habc-l3"))
    reply = a.replies[0]
    assert reply.text == ("The HABC Level 3 Diploma in Customer Service (QCF) names these kinds of evidence: "
                          "Obs – Observation, Pe – Product evidence, Q – Questioning, Sim – Simulation/assignment, "
                          "Wt – Witness testimony, R – RPL, O – Other and D – Discussion. Ask me about any of them.")
    assert reply.source == "HABC Level 3 Diploma, Appendix 3: Sample Assessment Material, lines 1256-1258"
    assert len(reply.buttons) == 5
    unknown = ask("ask_evidence_type", "what evidence is there", LearnerContext())
    assert unknown.replies[0].text == "Which kind of evidence do you want to know about?"


def test_evidence_listed_for_an_outcome_without_naming_a_kind(ask):
    reply = ask("ask_evidence_allowed", "what evidence can I use for unit 207 outcome 2", LearnerContext("sfj-l2")).replies[0]
    assert reply.text.endswith("Outcome 2 (be able to plan written communications to customers): observation, witness "
                               "testimony, questioning, letters/emails or other relevant documentation, customer "
                               "data/records.")
    assert reply.source == "City & Guilds unit pool, line 493"


def test_pd_is_listed_for_outcome_one_of_206_via_the_cg_spec(ask):
    a = ask("ask_evidence_allowed", "can I use a professional discussion for unit 206 outcome 1?",
            LearnerContext("sfj-l2"))
    listing = a.replies[0]
    assert listing.text == (
        "*Yes*, professional discussion is listed for outcome 1.\n"  # the verdict first (issue 13, pattern 7)
        "The SFJ Awards Level 2 Diploma in Customer Service lists no evidence per outcome for Communicate verbally "
        "with customers (D/506/2119). The City & Guilds unit pool lists evidence for the same unit (unit 206):\n"
        "Outcome 1 (understand how to communicate verbally with customers): *Yes*, listed. It lists: professional "
        "discussion, reflective account, questioning.")
    assert listing.source == "City & Guilds unit pool, line 155"
    notes = a.replies[1]
    assert notes.text.startswith("*Special requirements for this unit:*")
    assert "observed communicating verbally with a number of customers over time" in notes.text
    assert "SFJ Awards recognise that there are alternative evidence sources" in a.replies[2].text


def test_observation_is_not_listed_for_a_knowledge_outcome(ask):
    reply = ask("ask_evidence_allowed", "can I use observation for unit 206", LearnerContext()).replies[0]
    assert "Outcome 1 (understand how to communicate verbally with customers): *Not listed*. It lists: " \
           "professional discussion, reflective account, questioning." in reply.text
    assert "Outcome 2 (be able to use customer service language to communicate with customers): *Yes*, listed." \
        in reply.text


def test_witness_testimony_is_not_listed_for_bespoke_software(ask):
    reply = ask("ask_evidence_allowed", "can I use witness testimony for 2.3 of unit 322",
                LearnerContext("habc-l3")).replies[0]
    assert "Unit 45 Bespoke Software" in reply.text
    assert reply.text.endswith("Outcome 2 (Create and modify appropriate structures to organise and retrieve "
                               "information efficiently.): *Not listed*. It lists: product, expert witness testimony.")
    assert reply.source == "City & Guilds unit pool, line 10294"


def test_report_length_requirement_is_named(ask):
    a = ask("ask_evidence_allowed", "can I use a report for negotiate in a business environment",
            LearnerContext("habc-l3"))
    notes = a.replies[1]
    assert "any report at this level would need to be in excess of 500 words" in notes.text
    assert notes.source == "City & Guilds unit pool, Unit 303, Supporting information, lines 4852-4854"


def test_svq_unit_without_lists_gets_the_general_statement(ask):
    reply = ask("ask_evidence_allowed", "can I use professional discussion for unit 10", LearnerContext("svq4")).replies[0]
    assert reply.text.startswith("*Not stated* for this unit: none of my specifications lists evidence per outcome for Unit 10 Handle Referred "
                                 "Customer Complaints")
    assert "professional discussion (PD)" in reply.text
    assert reply.source == "Pearson SVQ 4 in Customer Service (SCQF Level 8), Types of evidence, line 381"


def test_outcome_that_does_not_exist(ask):
    reply = ask("ask_evidence_allowed", "can I use observation for unit 206 outcome 5", LearnerContext("sfj-l2")).replies[0]
    assert reply.text == "Communicate verbally with customers (D/506/2119) has no outcome 5; its outcomes are 1 and 2."
    assert reply.source == "SFJ Awards Level 2 Diploma, unit D/506/2119, line 566"


def test_allowed_without_unit_asks_for_it(ask):
    reply = ask("ask_evidence_allowed", "can I use witness testimony?", LearnerContext("sfj-l2")).replies[0]
    assert reply.text == 'For which unit? For example: "can I use witness testimony for unit 206 outcome 1?"'


def test_ncfe_witness_testimony_is_a_list_entry_with_unit_notes(ask):
    a = ask("ask_evidence_type", "what is witness testimony", LearnerContext("ncfe-l1"))
    t = text(a)
    assert "method code" not in t
    assert "2 units have notes about it" in t
    allowed = ask("ask_evidence_allowed", "can I use a witness statement for unit 11 outcome 2", LearnerContext("ncfe-l1"))
    notes = [r for r in allowed.replies if r.text.startswith("*Special requirements for this unit:*")]
    assert "confirmed by a line manager or experienced colleague" in notes[0].text
    assert notes[0].source == "NCFE Level 1 Certificate in Customer Service, Unit 11 Assessment guidance, lines 1120, 1122"
    assert a.replies[0].source == "NCFE Level 1 Certificate in Customer Service, Internal assessment, line 309"


def test_allowed_without_a_unit_still_gives_the_general_rule(ask):
    a = ask("ask_evidence_allowed", "can professional discussion be used for performance criteria",
            LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith("For which unit?")
    assert "alternative evidence sources" in a.replies[1].text and a.replies[1].source.endswith("line 436")


@pytest.mark.parametrize("source_id, key, opening", [
    ("sfj-l2", "simulation", "*Only in some cases*: the SFJ Awards Level 2 Diploma in Customer Service limits simulation"),
    ("ncfe-l1", "simulation", "*Only in some cases*: the NCFE Level 1 Certificate in Customer Service limits simulation"),
    ("habc-l3", "rpl", "*Yes*, recognition of prior learning (RPL) can be used in the HABC Level 3 Diploma in "
                       "Customer Service (QCF), on the conditions below."),
    ("habc-l3", "witness_testimony", "*Yes, it is listed*, but not described:"),
    ("ncfe-l1", "reflective_account", "*Not stated*: the NCFE Level 1 Certificate"),
])
def test_a_qualification_wide_evidence_answer_opens_with_its_verdict(cat, source_id, key, opening):
    """Issue 13, pattern 7: yes / only in some cases / not stated first, then what the specification says."""
    from bot.domain.answers.evidence import describe
    assert describe(cat, source_id, key)[0][0].startswith(opening)


@pytest.mark.parametrize("question, opening", [
    ("can observation be used for c&g 206 LO1?", "*No*, observation is not listed for outcome 1.\n"),
    ("can i use witness testimony for c&g 219?", "*Yes, for outcomes 2 and 3* only; it is not listed for outcome 1.\n"),
    ("can I use a professional discussion for c&g 206 outcome 1?", "*Yes*, professional discussion is listed for outcome 1.\n"),
])
def test_a_unit_evidence_answer_opens_with_its_verdict(ask, question, opening):
    a = ask("ask_evidence_allowed", question, LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith(opening)


def test_an_assessment_rule_on_an_evidence_type_opens_with_its_verdict(ask):
    a = ask("ask_assessment_rule", "is simulation allowed", LearnerContext("sfj-l2"), topic="simulation")
    assert a.replies[0].text.startswith("*Only in some cases*: the SFJ Awards Level 2 Diploma in Customer Service "
                                        "limits simulation"), a.replies[0].text


def test_simulation_is_decided_unit_by_unit_in_the_sfj_diploma(ask):
    # SFJ L393-395: Sales units may be assessed through simulation; L446: not allowed for Skills CFA units
    # except the Sales units; L370: Contact Centre units in a real working environment
    sales = ask("ask_evidence_allowed", "sfj l2 can simulation be used for Processing sales orders?").replies[0]
    assert sales.text.startswith("*Yes*, simulation can be used for Processing sales orders (M/502/8587)")
    assert "realistic working environment" in sales.text
    centre = ask("ask_evidence_allowed", "can Deal with incidents through a contact centre be simulated on sfj?")
    assert centre.replies[0].text.startswith("*No*, simulation is not allowed for Deal with incidents through a "
                                             "contact centre (K/503/0421)")
    assert "must be undertaken in a real working environment" in centre.replies[0].text
    other = ask("ask_evidence_allowed", "can I use simulation for unit 206?", LearnerContext("sfj-l2")).replies[0]
    assert other.text.startswith("*No*, simulation is not allowed for Communicate verbally with customers")
    assert "with the exception of the Sales units" in other.text


def test_an_evidence_question_that_also_asks_a_units_glh_gets_both(ask):
    # C&G 222 (and SFJ): 5 credits, 22 GLH
    t = text(ask("ask_evidence_allowed", "cg 222: GLH and how many customers do i need to be observed with"))
    assert "observation" in t.lower()
    assert "level 2, 5 credits, 22 GLH" in t
