"""Reading what the learner named (issue 13, patterns 1 and 6): the qualification by any of its names,
never taken for a unit; every unit of a list, none dropped. Facts from catalogue/sources/."""
from __future__ import annotations

import pytest

from bot.domain.answers import LearnerContext, resolve

from .conftest import text


@pytest.mark.parametrize("message,source", [
    ("601/4310/1 whats the minimum number of credits", "sfj-l2"),
    ("how many guided learning hours is the habc level 3 customer service diploma", "habc-l3"),
    ("SVQ 4 in Customer Service at SCQF Level 8 - total credit points?", "svq4"),
    ("Highfield Level 3 Diploma in Customer Service (QCF): min credits?", "habc-l3"),
    ("the level 1 certificate in customer service, how many credits", "ncfe-l1"),
])
def test_a_qualification_named_by_its_title_or_number_is_no_unit(cat, message, source):
    assert resolve.unit(cat, message, source) is None
    assert resolve.units(cat, message, source) == []


@pytest.mark.parametrize("message,source,total", [
    ("601/4310/1 whats the minimum number of credits", None, "45"),
    ("601/4027/6 - how many credits altogether?", None, "55"),
    ("601/3972/9 how many credits", None, "23"),
])
def test_a_qualification_number_first_is_the_question_frame(ask, message, source, total):
    answer = ask("ask_unit_info", message, LearnerContext(source))
    assert total in text(answer) and "couldn't find that unit" not in text(answer)


@pytest.mark.parametrize("message,source,numbers", [
    ("done 304 and 305", "habc-l3", ["304", "305"]),  # HABC learners give C&G numbers too
    ("I've finished 206, 207 & 210", "sfj-l2", ["206", "207", "210"]),
    ("done 206/207/210", "sfj-l2", ["206", "207", "210"]),
    ("svq 4: done 1,2,3", "svq4", ["1", "2", "3"]),
    ("done units 1-5 and 9", "svq4", ["1", "2", "3", "4", "5", "9"]),
    ("finished units 01 to 05", "ncfe-l1", ["01", "02", "03", "04", "05"]),
    ("206 207 & 210 done", "sfj-l2", ["206", "207", "210"]),
])
def test_every_unit_of_a_list_is_read(cat, message, source, numbers):
    found = resolve.units(cat, message, source)
    assert [u.mention for u in found] == numbers and all(u.ref for u in found)


def test_a_number_no_specification_has_is_kept_not_dropped(cat):
    found = resolve.units(cat, "done 206, 207, 209 & 210", "sfj-l2")
    assert [u.mention for u in found] == ["206", "207", "209", "210"]
    assert found[2].ref is None and not found[2].options


def test_a_unit_double_number_stays_one_unit(cat):
    assert [(u.mention, u.ref) for u in resolve.units(cat, "c&g 305/695", "cg-pool")] == [("305/695", "Y/506/2152")]


def test_the_unknown_number_is_said_when_units_are_recorded(ask):
    answer = ask("report_units", "I've finished 206, 209 and 210", LearnerContext("sfj-l2"))
    assert set(answer.unit_updates) == {"D/506/2119", "L/506/2133"}
    assert '"209"' in text(answer)


# --- criterion and outcome references in the forms people type ----------------------------------


@pytest.mark.parametrize("message,ref", [
    ("LO2 AC3", "2.3"), ("what about lo 2, ac 3?", "2.3"), ("outcome 2 criterion 3", "2.3"), ("AC 3 of LO2", "2.3"),
    ("LO2.3", "2.3"), ("criterion two point three", "2.3"), ("ac2.3", "2.3"), ("and 2.3?", "2.3"),
    ("knowledge point 8", "K&U8"), ("K and U statement 5", "K&U5"), ("ku 5", "K&U5"), ("pc four", "PC4"),
    ("performance criterion 4", "PC4"), ("what does the PC 4 say", "PC4"),
])
def test_a_criterion_reference_as_people_type_it(message, ref):
    found = resolve.criterion(message)
    assert found is not None and found.ref == ref
    assert resolve.outcome_number(message) is None  # "LO2 AC3" is a criterion, not outcome 2


@pytest.mark.parametrize("message,number", [("LO1", "1"), ("learning outcome two", "2"), ("unit 206 outcome 1", "1"),
                                            ("what about LO 3?", "3")])
def test_an_outcome_reference(message, number):
    assert resolve.outcome_number(message) == number and resolve.criterion(message) is None


def test_a_unit_with_an_outcome_gets_that_outcome(ask):
    # habc_l3_diploma.txt: Unit 9 Resolve customers' complaints, outcome 1 and its criteria
    a = ask("nlu_fallback", "highfield L3 Resolve customers' complaints LO1", LearnerContext())
    t = text(a)
    assert "Understand the monitoring and resolution of customers' complaints" in t and "AC 1.1" in t
    assert a.set_source == "habc-l3"


def test_a_unit_with_a_criterion_is_a_criterion_question_not_a_report(ask):
    # pearson_svq4.txt: unit 10 Handle Referred Customer Complaints, PC2
    a = ask("report_units", "pearson svq Handle Referred Customer Complaints PC2", LearnerContext())
    assert not a.unit_updates and "take personal responsibility for dealing with the complaint" in text(a)


def test_an_outcome_a_unit_lacks_is_said(ask):
    a = ask("ask_criterion", "c&g 212 LO5", LearnerContext())
    assert "has no outcome 5" in text(a) and "1, 2" in text(a)


# --- follow-ups keep the unit, the criterion's kind and the qualification named ------------------


def after(*earlier: str, source: str | None = None) -> LearnerContext:
    return LearnerContext(source, earlier=list(reversed(earlier)))


@pytest.mark.parametrize("intent", ["report_units", "ask_criterion", "nlu_fallback"])
def test_a_bare_number_after_a_knowledge_statement_is_the_next_one(ask, intent):
    # pearson_svq4.txt unit 2 (CFACSF6): K&U8 and K&U9
    a = ask(intent, "and 9?", after("svq 4 unit 2 knowledge point 8", source="svq4"))
    assert "K&U9" in text(a) and "the structure of legislation and external regulation" in text(a)
    assert not a.unit_updates


def test_a_bare_number_after_a_performance_criterion_is_the_next_one(ask):
    a = ask("report_units", "and 4", after("svq4 unit 10 PC2", "and PC 3?", source="svq4"))
    assert "PC4" in text(a) and "CFACSC8" in text(a)


def test_an_outcome_follow_up_is_about_the_earlier_unit(ask):
    a = ask("report_units", "and LO2?", after("highfield L3 Resolve customers' complaints LO1", source="habc-l3"))
    assert "Be able to deal with customers' complaints" in text(a) and not a.unit_updates


def test_an_evidence_follow_up_keeps_the_outcome_and_the_unit_pool(ask):
    # cg_unit_pool.txt unit 207, outcome 2 evidence: "letters/emails or other relevant documentation"
    a = ask("nlu_fallback", "what evidence is accepted?", after("c&g 207 LO2"))
    assert "letters/emails or other relevant documentation" in text(a)
    b = ask("ask_evidence_allowed", "what evidence can I use for LO1?", after("city & guilds 207"))
    assert "organisational policies and procedures" in text(b)


@pytest.mark.parametrize("intent,message,fact", [
    ("deny", "which nos?", "CFACSB3"),  # cg_unit_pool.txt unit 213: CFACSB3 Deliver customer service on ...
    ("human_handoff", "how is that unit assessed?", "T/506/2143"),
])
def test_a_short_question_about_the_unit_in_view_is_answered_whatever_the_intent(ask, intent, message, fact):
    a = ask(intent, message, after("cg 213"))
    assert fact in text(a)


@pytest.mark.parametrize("intent,message,said", [
    ("human_handoff", "can I talk to someone about it?", "contact your assessor"),
    ("thank", "thanks", "welcome"),
])
def test_social_messages_after_a_unit_stay_social(ask, intent, message, said):
    assert said in text(ask(intent, message, after("sfj diploma unit 206", source="sfj-l2")))


# --- a unit named with a question, a unit no specification holds, a body named on its own ---------


@pytest.mark.parametrize("message,fact", [
    ("city and guilds unit 304 credits and glh?", "27 GLH"),  # cg_unit_pool.txt unit 304: 5 credits, 27 GLH
    ("c&g 305 - what's the minimum word count for the written report?", "3000"),  # unit 305: 3000 to 5000 words
])
def test_a_question_about_named_units_is_no_report(ask, message, fact):
    a = ask("report_units", message, LearnerContext())
    assert fact in text(a) and not a.unit_updates and "Which qualification" not in text(a)


def test_a_unit_of_no_specification_is_not_guessed_from_customer_service_alone(ask):
    a = ask("ask_unit_info", "tell me about the unit dragon taming for customer service advisors", LearnerContext())
    assert "couldn't find" in text(a) and "specifications" in text(a) and not a.pending_choice


def test_a_unit_of_another_qualification_is_still_found_by_its_title(ask):
    a = ask("ask_unit_info", "tell me about champion customer service", LearnerContext("ncfe-l1"))
    assert "Not in your NCFE Level 1 Certificate in Customer Service" in text(a)


def test_guidance_asked_after_a_criterion_is_that_criterion_s(ask):
    a = ask("ask_qualification_info", "is there any guidance for it?",
            after("NCFE L1: what does 1.3 of unit 11 mean?", source="ncfe-l1"))
    assert "AC 1.3" in text(a) and "R/506/2134" in text(a)


@pytest.mark.parametrize("message,source", [("sfj unit buddy a colleague", "sfj-l2"),
                                            ("highfield, how many credits in total for all the units I take", "habc-l3")])
def test_an_awarding_body_alone_names_its_qualification_anywhere_in_a_message(cat, message, source):
    assert [(h.source_id, h.weak) for h in resolve.qualifications(cat, message)] == [(source, False)]


def test_sign_language_asked_on_a_named_qualification_gets_its_adjustment_line(ask):
    # sfj_l2_diploma.txt L477: "... carrying out the assessment in British or Irish Sign Language."
    a = ask("ask_assessment_rule", "can the sfj assessment be done in welsh or sign language", LearnerContext())
    assert "British or Irish Sign Language" in text(a) and "Welsh" in text(a)


@pytest.mark.parametrize("intent", ["report_units", "nlu_fallback", "ask_criterion"])
def test_a_command_verb_asked_in_few_words_is_explained_from_the_glossary(ask, intent):
    # ncfe_l1_certificate.txt glossary: Outline - "Identify or describe the main points."
    a = ask(intent, "ncfe: command verb outline - meaning?", LearnerContext())
    assert "Identify or describe the main points" in text(a)


def test_a_weak_guess_at_a_title_says_no_unit_has_it(ask):
    a = ask("ask_unit_info", "is Manage a customer complaints call centre team a level 3 unit?", LearnerContext())
    assert "couldn't find a unit called" in text(a) and "specifications" in text(a)
