"""Conversation 2: reporting units finished (claimed) or planned."""
import pytest

from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, text

SFJ = LearnerContext("sfj-l2")


def test_several_units_by_number_and_title_are_claimed(ask):
    a = ask("report_units", "I've finished 206, 207 and Exceed customer expectations", SFJ)
    assert a.unit_updates == {"D/506/2119": "claimed", "T/506/2126": "claimed", "Y/506/2135": "claimed"}
    noted = a.replies[0]
    assert noted.text.startswith("Noted as *finished* (3 units)")
    assert "your claim: your assessor still has to confirm" in noted.text
    for title in ("Communicate verbally with customers (D/506/2119)", "Communicate with customers in writing "
                  "(T/506/2126)", "Exceed customer expectations (Y/506/2135)"):
        assert title in noted.text
    assert "achieved" not in noted.text
    assert noted.source == "SFJ Awards Level 2 Diploma"
    assert "9 of at least 45 credits" in a.replies[-1].text


def test_planned_words_give_planned(ask):
    a = ask("report_units", "I'm planning buddy a colleague", LearnerContext("habc-l3"))
    assert a.unit_updates == {"M/506/1895": "planned"}
    assert a.replies[0].text.startswith("Noted as *planned*")
    assert "Unit 42 Buddy a colleague to develop their skills (M/506/1895)" in a.replies[0].text


def test_finished_and_planned_in_one_message(ask):
    a = ask("report_units", "I have done 206 and 207 but I'm thinking of deal with incoming telephone calls next",
            SFJ)
    assert a.unit_updates == {"D/506/2119": "claimed", "T/506/2126": "claimed", "H/506/2154": "planned"}


def test_misspelt_titles_and_urns(ask):
    a = ask("report_units", "completed exceed custmer expectatons and k/506/2155", LearnerContext("ncfe-l1"))
    assert a.unit_updates == {"K/506/2155": "claimed"}  # Y/506/2135 is not in the NCFE certificate
    assert "Not recorded: *Exceed customer expectations*" in text(a)


def test_ambiguous_title_asks_with_buttons(ask):
    a = ask("report_units", "I've finished communicate with customers", SFJ)
    assert a.unit_updates == {}
    assert a.pending_choice == [b.payload for b in buttons(a)]
    assert a.replies[0].text == 'Which unit did you mean by "communicate with customers"?'
    assert sorted(parse_payload(b.payload)[1]["unit"][0] for b in buttons(a)) == ["D/506/2119", "T/506/2126"]
    assert {parse_payload(b.payload)[1]["status"][0] for b in buttons(a)} == {"claimed"}


def test_clicking_the_choice_records_it(ask):
    a = ask("report_units", '/report_units{"unit": "T/506/2126", "status": "claimed"}', SFJ)
    assert a.unit_updates == {"T/506/2126": "claimed"}


def test_unit_outside_the_qualification_is_refused_with_where_it_is(ask):
    a = ask("report_units", "I've finished champion customer service", SFJ)
    assert a.unit_updates == {}
    refusal = a.replies[0].text
    assert "is not in your SFJ Awards Level 2 Diploma in Customer Service" in refusal
    assert "HABC Level 3 Diploma (Group A)" in refusal
    assert "City & Guilds unit pool (unit 402)" in refusal
    assert "Pearson SVQ 4 in Customer Service (SCQF Level 8) (Group B)" in refusal
    assert a.replies[0].source == "SFJ Awards Level 2 Diploma, rules of combination, line 130"


def test_cg_number_outside_the_svq_is_refused(ask):
    a = ask("report_units", "I've finished 206", LearnerContext("svq4"))
    assert a.unit_updates == {}
    assert "Communicate verbally with customers" in a.replies[0].text and "not in your SVQ 4" in a.replies[0].text


def test_a_qualification_is_needed_first(ask):
    a = ask("report_units", "I've finished 206")
    assert a.unit_updates == {} and "Which qualification" in a.replies[0].text
    assert len(buttons(a)) == 4


def test_without_done_or_planned_words_it_asks_which(ask):
    a = ask("report_units", "206 and 207", SFJ)
    assert a.unit_updates == {}
    intents = [parse_payload(b.payload) for b in buttons(a)]
    assert intents == [("report_units", {"unit": ["D/506/2119", "T/506/2126"], "status": ["claimed"]}),
                       ("report_units", {"unit": ["D/506/2119", "T/506/2126"], "status": ["planned"]})]


def test_assessor_confirmed_units_are_not_downgraded(ask):
    ctx = LearnerContext("sfj-l2", achieved=["D/506/2119"])
    a = ask("report_units", "I'm planning 206 and 207", ctx)
    assert a.unit_updates == {"T/506/2126": "planned"}
    assert "Already confirmed as achieved by your assessor" in text(a)


def test_nothing_recognisable(ask):
    a = ask("report_units", "I've finished the thing with the stuff", SFJ)
    assert a.unit_updates == {}
    assert "didn't catch a unit name" in text(a) or "couldn't find a unit" in text(a)


def test_plans_alone_do_not_report_progress(ask):
    a = ask("report_units", "I'm thinking of doing the social media one", SFJ)
    assert a.unit_updates == {"J/506/2163": "planned"}
    assert len(a.replies) == 1 and "count" not in a.replies[0].text


def test_the_second_one_or_a_few_title_words_pick_from_the_offered_units(ask):
    offered = ask("report_units", "I've finished communicate with customers", SFJ).pending_choice
    second = parse_payload(offered[1])[1]["unit"][0]
    ctx = LearnerContext("sfj-l2", pending=offered)
    assert ask("nlu_fallback", "the second one", ctx).unit_updates == {second: "claimed"}
    assert ask("report_units", "2", ctx).unit_updates == {second: "claimed"}
    assert ask("report_units", "the last one", ctx).unit_updates == {second: "claimed"}
    assert ask("nlu_fallback", "verbally", ctx).unit_updates == {"D/506/2119": "claimed"}
    assert ask("nlu_fallback", "in writing", ctx).unit_updates == {"T/506/2126": "claimed"}
    # a new, longer message is not taken as a pick
    assert ask("report_units", "I've finished exceed customer expectations", ctx).unit_updates == {
        "Y/506/2135": "claimed"}
    assert ask("report_units", "7", ctx).unit_updates == {}


@pytest.mark.parametrize("source, message, expected", [
    ("sfj-l2", "I have done all the mandatory units", {r: "claimed" for r in
                                                       ["A/506/2130", "F/506/2131", "J/506/2132", "A/506/1964", "L/506/1788"]}),
    ("sfj-l2", "ive done 206 207 and 221", {"D/506/2119": "claimed", "T/506/2126": "claimed", "J/506/2163": "claimed"}),
    ("sfj-l2", "my plan is 302, 303 and 311", {"D/506/2170": "planned", "H/506/1912": "planned", "R/506/2151": "planned"}),
    ("habc-l3", "I think I'll go for bespoke software", {"J/502/4397": "planned"}),
    ("habc-l3", "I'm working towards manage personal and professional development", {"T/506/2952": "planned"}),
    ("sfj-l2", "I finished the complaints unit yesterday", {"R/506/2151": "claimed"}),
    ("ncfe-l1", "got unit 07 and unit 06 done today", {"A/506/2113": "claimed", "A/506/2094": "claimed"}),
])
def test_report_phrasings(ask, source, message, expected):
    assert ask("report_units", message, LearnerContext(source)).unit_updates == expected


@pytest.mark.parametrize("source, message, refused", [
    ("sfj-l2", "I want to take deliver seamless customer service with a team",
     "*Deliver Seamless Customer Service with a Team* is not in your SFJ Awards Level 2 Diploma"),
    ("habc-l3", "I've done unit 3 and unit 5 of the SVQ", "*Champion Customer Service* is not in your HABC"),
    ("habc-l3", "I've done the telephone calls one",
     '"telephone calls" could be *Deal with incoming telephone calls from customers* or *Make telephone calls to '
     'customers*, but none of them is in your HABC'),
])
def test_units_named_only_elsewhere_are_refused(ask, source, message, refused):
    a = ask("report_units", message, LearnerContext(source))
    assert a.unit_updates == {}
    assert refused in a.replies[0].text
