"""Issue 13 patterns 2, 4 and 6 without Rasa: a message that reports units and asks what is left gets both,
whatever intent the classifier gave it; long lists are recorded whole; whole groups are read in their
everyday phrasings. Phrasings written from the specifications' rules of combination."""
from __future__ import annotations

import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.cues import whole_groups
from bot.domain.answers import resolve

from .conftest import text

SVQ_SOME = ["CFACSF5", "CFACSF6", "CFACSA18", "CFACSB13"]  # units 1, 2, 4, 6: 10 + 10 + 11 + 10 = 41


@pytest.mark.parametrize("message, source, expected", [
    ("Pearson SVQ: finished units 1, 2, 4 and 6", "svq4", SVQ_SOME),
    ("svq4 - done 1 2 4 6", "svq4", SVQ_SOME),
    ("sfj l2 - done 206 and 207", None, ["D/506/2119", "T/506/2126"]),
    ("highfield level 3: done units 1, 2", "habc-l3", ["L/506/2150", "Y/506/2152"]),
])
def test_the_qualification_named_first_takes_no_unit_with_it(cat, message, source, expected):
    assert [u.ref for u in resolve.units(cat, message, source)] == expected


def test_thirteen_units_named_are_thirteen_recorded(ask):
    message = "ncfe level 1 - finished 01 02 03 04 05 06 07 08 09 10 11 14 15, have I got enough?"
    a = ask("nlu_fallback", message, LearnerContext())
    assert len(a.unit_updates) == 13 and set(a.unit_updates.values()) == {"claimed"}
    t = text(a)
    # 14 (group A) + 18 (group B, six units of 3) + 6 (14, 15) = 38 of 23: complete
    assert "meet the rules of combination" in t and "38" in t, t
    assert a.set_source == "ncfe-l1"


@pytest.mark.parametrize("intent", ["nlu_fallback", "report_units", "ask_remaining", "ask_unit_info", "affirm"])
def test_units_reported_then_what_is_left_is_answered_whatever_the_intent(ask, intent):
    a = ask(intent, "Pearson SVQ: finished units 1, 2, 4 and 6. what's missing?", LearnerContext("svq4"))
    t = text(a)
    assert set(a.unit_updates) == set(SVQ_SOME)
    # 41 of 64; level 8: 41 of 48 (7 short); groups D and E still need a unit each
    assert "41 of 64" in t and "7 short" in t and "23 to go" in t, t
    assert "Group D" in t and "Handle Referred Customer Complaints" in t
    assert 'Ask "what do I still need?"' not in t  # answered here, not offered


def test_the_whole_plan_is_counted_when_only_planned_units_are_named(ask):
    a = ask("report_units", "NCFE L1: I'm doing group A plus units 14 and 15, is that enough?", LearnerContext())
    t = text(a)
    assert set(a.unit_updates.values()) == {"planned"} and len(a.unit_updates) == 7
    # 14 + 3 + 3 = 20 of 23; group B (6 credits) not started
    assert "20 of 23" in t and "finished or planned" in t and "6 more needed" in t, t


def test_a_what_if_keeps_its_own_intent(cat):
    from bot.domain.answers.dispatch import reports_then_asks_what_is_left
    assert not reports_then_asks_what_is_left(cat, "what if I had done 206 instead, what's left?")
    assert not reports_then_asks_what_is_left(cat, "I've done a witness testimony, is that enough?")
    assert reports_then_asks_what_is_left(cat, "done 206 and 207, what's left?")


@pytest.mark.parametrize("fragment, letters, mandatory", [
    ("I've finished everything in group C", ["C"], False),
    ("done both group B units", ["B"], False),
    ("I've done group A plus units 06 and 07", ["A"], False),
    ("group B is done", ["B"], False),
    ("mandatory done, plus 206", [], True),
    ("I've done the mandatory ones and 206", [], True),
    ("done group A unit 3", [], False),  # a unit of the group, not the group
    ("done the mandatory unit Deliver customer service", [], False),  # one unit
])
def test_whole_groups_in_everyday_phrasings(fragment, letters, mandatory):
    assert whole_groups(fragment) == (letters, mandatory)


def test_a_whole_group_and_units_beside_it_are_all_recorded(ask):
    a = ask("report_units", "I've done everything in group A and both group B units", LearnerContext("sfj-l2"))
    assert set(a.unit_updates) == {"A/506/2130", "F/506/2131", "J/506/2132", "A/506/1964", "L/506/1788",
                                   "D/506/2119", "T/506/2126"}


# --- several asks in one message (pattern 2) ------------------------------------------------------


@pytest.mark.parametrize("intent", ["report_units", "ask_remaining", "nlu_fallback", "ask_unit_info"])
def test_the_facts_of_every_unit_named_are_given(ask, intent):
    a = ask(intent, "pearson svq: units 13 and 14 - credit points and codes?", LearnerContext())
    t = text(a)
    assert not a.unit_updates and "Have you finished these" not in t
    assert t.index("CFACSD16") < t.index("CFACSD17"), t  # in the order named
    assert "11 credit points" in t and "7 credit points" in t and "Group E" not in t or "11 credit points" in t


def test_units_of_the_unit_pool_are_read_by_its_numbers(ask):
    t = text(ask("nlu_fallback", "C&G: what are units 220 and 221 called", LearnerContext()))
    assert "Support customers using self-service equipment" in t and "Use social media to deliver customer service" in t
    assert "unit 220, City & Guilds unit pool" in t, t
    one = text(ask("ask_remaining", "city & guilds 404 - level, credits and UAN?", LearnerContext()))
    assert "R/506/2179" in one and "Level 4" in one and "First tell me your qualification" not in one, one


def test_a_learners_own_group_is_shown_for_each_unit(ask):
    t = text(ask("ask_unit_info", "units 12 and 17: credits and group?", LearnerContext("habc-l3")))
    assert t.count("Group A (optional: at least 15 credits)") == 2, t


@pytest.mark.parametrize("message", [
    "whats the total credit value of the NCFE level 1, and whats compulsory?",
    "highfield L3 - the minimum from group A and the credits at level 3 or above?",
    "SFJ diploma: how many credits do I need overall and what's the max in group D?",
])
def test_several_parts_of_the_rules_get_the_whole_structure(ask, message):
    a = ask("ask_what_if", message, LearnerContext())
    t = text(a)
    assert "Rules of combination" in t and "couldn't find a unit" not in t, t
    assert a.set_source in ("ncfe-l1", "habc-l3", "sfj-l2")


def test_the_structure_facts_asked_together_are_all_there(ask):
    t = text(ask("ask_group_credits", "highfield L3 - the minimum from group A and the credits at level 3 or above?",
                 LearnerContext()))
    assert "at least 15 credits" in t and "At least 40 credits from units at level 3 or above" in t, t


def test_a_further_ask_in_its_own_clause_is_answered_after_the_first(ask):
    a = ask("ask_remaining", "I've done units 01 to 05. whats left, and what can i progress to after the qualification?",
            LearnerContext("ncfe-l1"))
    t = text(a)
    assert len(a.unit_updates) == 5  # the range 01 to 05 is five units
    assert "Group B (optional: at least 6 credits): 0 credits" in t and "9 to go" in t, t
    assert t.index("9 to go") < t.index("Progression"), t
    assert "Level 2 Diploma in Customer Service" in t


@pytest.mark.parametrize("message, refs", [
    ("done units 01 to 04", ["L/506/2083", "Y/506/2085", "L/506/1791", "R/506/1792"]),
    ("I did units 06 to 08", ["A/506/2094", "A/506/2113", "T/506/2126"]),
])
def test_a_range_of_unit_numbers_is_every_unit_between(cat, message, refs):
    assert [u.ref for u in resolve.units(cat, message, "ncfe-l1")] == refs


# --- concrete "what do I still need" and follow-ups (patterns 4 and 6) ---------------------------


def test_a_what_if_names_the_units_that_would_complete_it(ask):
    done = ["CFACSF5", "CFACSF6", "CFACSA18", "CFACSB13"]  # units 1, 2, 4, 6
    t = text(ask("ask_what_if", "what if I swap unit 6 for unit 7?", LearnerContext("svq4", claimed=done)))
    assert "Group C: 10 -> 8" in t and "Units that would complete it" in t, t
    assert "Handle Referred Customer Complaints" in t  # group D's only unit, still needed


def test_what_if_i_also_do_is_a_change_tried_not_a_report(ask):
    a = ask("report_units", "what if I also did units 14 and 15?", LearnerContext("ncfe-l1", claimed=[
        "L/506/2083", "Y/506/2085", "L/506/1791", "R/506/1792", "Y/506/1793"]))
    t = text(a)
    assert not a.unit_updates and "Have you finished these" not in t
    assert "14 -> 20" in t and "6 more credits in Group B" in t, t


def test_the_total_still_needed_is_said_in_words(ask):
    t = text(ask("ask_remaining", "what's left?", LearnerContext("sfj-l2", claimed=["A/506/2130", "F/506/2131"])))
    assert "7 of 45 credits so far (38 more credits needed in total)" in t, t


def test_units_named_after_a_group_are_not_the_whole_group(ask):
    a = ask("report_units", "so far I've done group C ones: Exceed customer expectations and Make telephone calls "
            "to customers", LearnerContext("sfj-l2"))
    assert set(a.unit_updates) == {"Y/506/2135", "K/506/2155"}


@pytest.mark.parametrize("follow", ["how many credits?", "what level?", "glh?", "which group"])
def test_a_bare_fact_question_after_a_unit_is_about_that_unit(ask, follow):
    ctx = LearnerContext("habc-l3", earlier=["tell me about unit 26"])
    t = text(ask("nlu_fallback", follow, ctx))
    assert "L/506/2181" in t and "Did you mean" not in t, t


def test_stray_words_of_a_question_are_no_second_unit(ask):
    t = text(ask("nlu_fallback", "is unit T/506/2157 in the sfj diploma and what is it worth", LearnerContext()))
    assert "Carry out customer service handovers" in t and t.count("GLH") == 1, t
