"""The City & Guilds unit pool: no rules of combination, so progress questions get the units' own
credits and what was checked, never a crash or an invented rule (figures: the pool's unit headers)."""
from bot.domain.answers import LearnerContext

from .conftest import buttons, text

DONE_13 = "City & Guilds: I've done 206 207 210 212 213 216 217 218 219 220 221 222 224 - how many credits is that?"


def test_what_is_left_in_the_pool_says_it_has_no_rules_and_counts_the_units(ask):
    a = ask("ask_remaining", "doing city and guilds units, done 206, 207 and 212. what do i still need?")
    t = text(a)
    assert "The City & Guilds unit pool has no rules of combination" in t
    assert "(I checked the whole of cg_unit_pool.txt)" in t
    assert "- Unit 206 Communicate verbally with customers (D/506/2119), level 2, 3 credits" in t
    assert "In all: *9 credits* (level 2: 9)." in t
    assert a.unit_updates == {} and a.set_source is None  # nothing recorded against a pool
    assert "SFJ Awards Level 2 Diploma in Customer Service" in [b.title for b in buttons(a)]


def test_a_learner_framed_in_the_pool_never_gets_a_crash(ask):
    for intent, said in [("ask_remaining", "what do i still need?"), ("ask_what_if", "what if I swap 206 for 207?"),
                         ("ask_group_credits", "how many credits from group B?")]:
        t = text(ask(intent, said, LearnerContext("cg-pool")))
        assert "has no rules of combination" in t, intent


def test_thirteen_units_are_counted_and_a_swap_changes_the_count(ask):
    assert "In all: *40 credits* (level 2: 40)." in text(ask("report_units", DONE_13))
    swap = text(ask("ask_what_if", "what if I swap 222 for 228?", LearnerContext(earlier=[DONE_13])))
    assert "without 222 (5) and with 228 (2): 40 -> *37 credits*" in swap
    assert "228 L/506/1905 (L2, 2)" in swap and "K/506/2978" not in swap


def test_credits_by_level_are_said(ask):
    t = text(ask("ask_remaining", "c&g: done 206, 302 and 402 - how many credits is that?"))
    assert "In all: *12 credits* (level 2: 3; level 3: 5; level 4: 4)." in t
    assert "At level 3 or above: 9 credits." in t


def test_no_unit_of_the_pool_is_mandatory(ask):
    t = text(ask("ask_list_units", "which c&g units are mandatory?"))
    assert "none of its units is mandatory" in t
    assert "no qualification title or number" in t


def test_the_pool_lists_its_units_at_a_level(ask):
    t = text(ask("ask_list_units", "list the level 4 units in the city & guilds pool"))
    assert t.startswith("The City & Guilds unit pool has 5 units at level 4 (25 credits in all):")
    for ref in ("D/506/2153", "R/506/2179", "L/506/2181", "Y/506/2183", "D/506/2962"):
        assert ref in t


def test_a_unit_fact_in_the_pool_is_the_unit_card(ask):
    t = text(ask("report_units", "city and guilds unit 406 credits and glh?"))
    assert "Level 4, 6 credits, 25 GLH (City & Guilds unit pool)" in t


def test_a_unit_question_framed_in_the_pool_is_answered_from_the_units_text(ask):
    # C&G 307 "a report of a minimum of 3000 words to a maximum of 5000 words" (L6311-6312)
    t = text(ask("report_units", "city and guilds 307 - min and max words for the report?"))
    assert "a report of a minimum of 3000 words" in t and "Which qualification" not in t


def test_the_assessment_type_decides_e_volve_and_evidence_questions(ask):
    # C&G 305 "Assessment type: E-volve or portfolio of evidence" (L5242); 228 short answer questions (L3981)
    a = ask("ask_unit_info", "C&G 305 - how long does the report have to be and can it be done on e-volve instead?")
    assert a.replies[0].text.startswith('*Yes*: its assessment type is "E-volve or portfolio of evidence"')
    assert "minimum of 3000\nwords to a maximum of 5000 words" in text(a)
    card = text(ask("ask_unit_info", "tell me about c&g unit 228"))
    assert "- Assessment type: Short Answer Questions (C&G) Assignment or Skills CFA on-line ERR workbook" in card
    pd = ask("ask_evidence_allowed", "c&g 228: can I do it by professional discussion?").replies[0].text
    assert pd.startswith("*No*, not as stated: Employee rights and responsibilities (L/506/1905) is assessed by "
                         "\"Short Answer Questions (C&G)")


def test_a_rule_question_about_one_unit_quotes_that_units_text(ask):
    # C&G 322: "assessed as specified in the e-Skills IT User Assessment Strategy 2009" (L10216-10225)
    t = text(ask("ask_assessment_rule", "c&g 322 which assessment strategy applies"))
    assert "IT User Assessment Strategy" in t


def test_no_question_crashes_with_the_pool_as_the_learners_frame(ask):
    # the asker fixture fails on "something went wrong"; every intent and a spread of messages
    from bot.domain.answers.dispatch import _CATALOGUE
    for intent in _CATALOGUE:
        for said in ("how many credits from group B?", "list units", "rules on simulation", "which units are mandatory",
                     "what's the qualification number", "done 206 and 207", "tell me about 206"):
            assert ask(intent, said, LearnerContext("cg-pool")).replies
