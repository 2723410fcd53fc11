"""Conversation 3: what the learner still needs, what-if swaps, and group credit questions."""
import pytest

from bot.domain.answers import LearnerContext

from .conftest import text

HABC_MANDATORY = ["L/506/2150", "Y/506/2152", "J/506/2910", "K/506/2169", "D/506/1942", "T/506/2952"]


def test_remaining_reports_each_group_and_the_total(ask):
    ctx = LearnerContext("sfj-l2", claimed=["D/506/2119", "Y/506/2135"])
    a = ask("ask_remaining", "what units do I still need?", ctx)
    first = a.replies[0]
    assert first.text.startswith("*SFJ Awards Level 2 Diploma in Customer Service*: 6 of 45 credits so far")
    assert "2 units are your own claim, not yet confirmed by your assessor" in first.text
    assert "- Group A (mandatory): 0 of 5 units done; still to do: Deliver customer service (A/506/2130, 5 credits)" in first.text
    assert "- Group B (optional: at least 3 credits): 3 credits from 1 unit, minimum met" in first.text
    assert "- Group C (optional: at least 16 credits): 3 credits from 1 unit, *13 more needed*" in first.text
    assert "- Total: 6 of at least 45 credits (*39 to go*)" in first.text
    assert first.source == "SFJ Awards Level 2 Diploma, rules of combination, line 130"
    suggestion = a.replies[1].text
    # the plan with the fewest hours has no more credits than any other: one plan, truly the quickest
    # (it used to be called "quickest" at +253 GLH beside a +217 GLH plan; issue 18)
    assert suggestion.startswith("*Quickest way to finish* (fewest extra credits and fewest hours: +39 credits, +217 GLH)")
    assert "Group A: its 5 mandatory units above" in suggestion
    assert len(a.replies) == 2


def test_habc_level_three_shortfall(ask):
    ctx = LearnerContext("habc-l3", claimed=HABC_MANDATORY + ["D/506/2119", "T/506/2126"])
    first = ask("ask_remaining", "how many credits have I got left", ctx).replies[0]
    assert "37 of 55 credits" in first.text
    assert "- Group M (mandatory): all done" in first.text
    assert "- Level 3 or above: 31 of at least 40 credits (*9 short*)" in first.text
    assert "- Group A (optional: at least 15 credits): 6 credits from 2 units, *9 more needed*" in first.text


def test_habc_group_b_maximum_reached(ask):
    # three level 3 Group B units: 4 + 3 + 4 = 11 credits, only 9 count
    ctx = LearnerContext("habc-l3", claimed=["H/506/1912", "T/506/1820", "A/506/1821"])
    first = ask("ask_remaining", "what do I still need", ctx).replies[0]
    assert "Group B (optional: at most 9 credits): 9 credits from 3 units" in first.text
    assert "maximum reached: more units here won't count" in first.text
    assert "2 credits over the maximum don't count" in first.text


def test_svq_unit_counts_and_level_eight_credits(ask):
    ctx = LearnerContext("svq4", claimed=["CFACSF5"], planned=["CFACSF6"])
    a = ask("ask_remaining", "what do I still need", ctx)
    t = text(a)
    assert "10 of 64 SCQF credit points" in t
    assert "- Units: 1 of 8 (0 of 6 optional)" in t
    assert "- Level 8 or above: 10 of at least 48 SCQF credit points (*38 short*)" in t
    assert "- Group D (optional: at least 1 unit, at most 1 unit): 0 SCQF credit points, *1 more unit needed*" in t
    assert "With your 1 planned unit as well you'd have 20 SCQF credit points" in t


def test_complete_qualification_says_so(ask):
    done = ["L/506/2083", "Y/506/2085", "L/506/1791", "R/506/1792", "Y/506/1793", "A/506/2094", "A/506/2113",
            "H/506/1795", "A/506/1799"]  # 14 + 6 + 3 = 23 credits
    a = ask("ask_remaining", "what do I still need", LearnerContext("ncfe-l1", achieved=done))
    assert "you meet the rules of combination of the *NCFE Level 1 Certificate in Customer Service* (23 credits)" \
        in a.replies[0].text
    assert "not yet confirmed" not in a.replies[0].text


def test_remaining_needs_a_qualification(ask):
    a = ask("ask_remaining", "what do I still need")
    assert "First tell me your qualification" in a.replies[0].text


def test_what_if_swap(ask):
    ctx = LearnerContext("sfj-l2", claimed=["D/506/2119", "Y/506/2135"])
    reply = ask("ask_what_if", "what if I swap exceed customer expectations for 207", ctx).replies[0]
    assert "without Exceed customer expectations (Y/506/2135, 3 credits) and with Communicate with customers in writing (T/506/2126, 3 credits)" in reply.text
    assert "- Group B: 3 -> 6 credits" in reply.text and "- Group C: 3 -> 0 credits (not met)" in reply.text
    assert "16 more credits in Group C" in reply.text and "5 mandatory units of Group A" in reply.text
    assert reply.source == "SFJ Awards Level 2 Diploma, rules of combination, line 130"


def test_what_if_with_a_unit_outside_the_qualification(ask):
    reply = ask("ask_what_if", "what if I add champion customer service", LearnerContext("sfj-l2")).replies[0]
    assert "is not in your SFJ Awards Level 2 Diploma in Customer Service" in reply.text
    assert "HABC Level 3 Diploma (Group A)" in reply.text


@pytest.mark.parametrize("source, question, expected", [
    ("sfj-l2", "can I take 12 credits from group B?", "*No*: Group B only holds 6 credits in total"),
    ("habc-l3", "can I take 12 credits from group B?", "*No*: at most 9 credits count from Group B; 3 of your 12"),
    ("sfj-l2", "can I do 10 credits from group D", "*No*: at most 7 credits count from Group D"),
    ("sfj-l2", "how many credits can I do from group D", "Group D: at most 7 credits."),
    ("ncfe-l1", "can I take 3 credits from group B", "*Not enough*: Group B needs at least 6 credits."),
    ("sfj-l2", "can I take 20 credits from group C", "*Yes*: 20 credits from Group C is within its rule."),
    ("sfj-l2", "can I take 12 credits from group A", "Group A is mandatory: you take all of its units, 19 credits."),
])
def test_group_credit_questions_follow_the_rule(ask, source, question, expected):
    reply = ask("ask_group_credits", question, LearnerContext(source)).replies[0]
    assert reply.text.startswith(expected)
    assert reply.source.startswith(f"{ask.cat.source(source).short_name}, rules of combination")


def test_group_credits_names_the_other_minima(ask):
    reply = ask("ask_group_credits", "can I take 12 credits from group B?", LearnerContext("sfj-l2")).replies[0]
    assert "Group B has 2 units worth 6 credits in total; every unit in it is worth 3 credits, so at least 1 unit." in reply.text
    assert "You also need: all of Group A (19 credits); at least 16 credits from Group C." in reply.text


def test_group_that_does_not_exist(ask):
    reply = ask("ask_group_credits", "how many credits from group E", LearnerContext("habc-l3")).replies[0]
    lines = reply.text.splitlines()
    assert lines[0] == "The HABC Level 3 Diploma in Customer Service (QCF) has no group E; its groups are M, A and B."
    assert "Group B: at most 9 credits. (17 units worth 58 credits)" in lines


def test_no_group_named_gives_every_groups_rule(ask):
    reply = ask("ask_group_credits", "do I have to do one from each group", LearnerContext("svq4")).replies[0]
    assert reply.text.splitlines() == [
        "Group A: mandatory, every unit. (2 units worth 20 SCQF credit points)",
        "Group B: at least 1 unit. (2 units worth 21 SCQF credit points)",
        "Group C: at least 1 unit. (5 units worth 42 SCQF credit points)",
        "Group D: at least 1 unit and at most 1 unit. (1 unit worth 10 SCQF credit points)",
        "Group E: at least 1 unit. (9 units worth 75 SCQF credit points)",
        "In total at least 64 SCQF credit points, 48 of them from units at level 8 or above; exactly 8 units "
        "(6 optional)."]


def test_several_groups_and_amounts_in_one_question(ask):
    reply = ask("ask_group_credits", "could I take 16 credits from group C and 8 from group D",
                LearnerContext("sfj-l2")).replies[0]
    assert "*Yes*: 16 credits from Group C is within its rule." in reply.text
    assert "*No*: at most 7 credits count from Group D; 1 of your 8" in reply.text
    more = ask("ask_group_credits", "can i do more than 7 credits from group D", LearnerContext("sfj-l2")).replies[0]
    assert more.text.startswith("*No*: at most 7 credits count from Group D; 1 of your 8")


def test_what_if_instead_of(ask):
    ctx = LearnerContext("sfj-l2", claimed=["D/506/2119"])
    reply = ask("ask_what_if", "what if I do 207 instead of 206", ctx).replies[0]
    assert "without Communicate verbally with customers (D/506/2119, 3 credits) and with Communicate with customers in writing (T/506/2126, 3 credits)" \
        in reply.text
    assert "- Total: 3 -> 3 credits" in reply.text


def test_what_if_dropping_a_unit_outside_the_qualification(ask):
    reply = ask("ask_what_if", "what if I drop exceed customer expectations", LearnerContext("ncfe-l1")).replies[0]
    assert reply.text.startswith("Exceed customer expectations (Y/506/2135) is not in your NCFE Level 1 Certificate "
                                 "in Customer Service, so leaving it out changes nothing.")


@pytest.mark.parametrize("question, expected", [
    ("what if I did both 407 and 408", "with Manage the use of technology to improve customer service (Y/506/2183, unit 27, 4 "
                                       "credits) and Develop a social media strategy for customer service (D/506/2962, unit 28, 5 "
                                       "credits)"),
    ("if I take out buddy a colleague will I still pass", "without Buddy a colleague to develop their skills "
                                                          "(M/506/1895, unit 42, 3 credits)"),
    ("would it still work if I swapped unit 11 for unit 15", "without Monitor the quality of customer service "
                                                             "interactions (K/506/2172, unit 11, 5 credits) and with Exceed "
                                                             "customer expectations (Y/506/2135, unit 15, 3 credits)"),
])
def test_what_if_phrasings(ask, question, expected):
    ctx = LearnerContext("habc-l3", claimed=["M/506/1895", "K/506/2172"])
    assert expected in ask("ask_what_if", question, ctx).replies[0].text


@pytest.mark.parametrize("question, expected", [
    ("would swapping unit 18 for unit 19 change anything", "without Develop customer relationships (Y/506/2149, unit 18, 3 "
                                                           "credits) and with Support customer service improvements"),
    ("what if I didn't bother with buddy a colleague", "without Buddy a colleague to develop their skills"),
    ("could I swap out buddy a colleague", "without Buddy a colleague to develop their skills"),
    ("would it be ok to swap deliver customer service to challenging customers for exceed customer expectations",
     "without Deliver customer service to challenging customers (F/506/2159, unit 17, 3 credits) and with Exceed customer "
     "expectations (Y/506/2135, unit 15, 3 credits)"),
])
def test_more_what_if_phrasings(ask, question, expected):
    ctx = LearnerContext("habc-l3", claimed=["M/506/1895", "Y/506/2149", "F/506/2159"])
    assert expected in ask("ask_what_if", question, ctx).replies[0].text


def test_summary_is_the_one_plain_text_report(cat):
    """The API's progress summary and the CLI print this; the chat answer is made of the same lines."""
    from catalogue import rules
    from bot.domain.answers.remaining import summary

    text = summary(cat, rules.remaining(cat, "ncfe-l1", ["L/506/2083"]))
    assert text.startswith("NCFE Level 1 Certificate in Customer Service: not complete yet.")
    assert "- Group A (mandatory): 1 of 5 units done; still to do: Communication in customer service" in text
    assert "- Group B (optional: at least 6 credits): 0 credits, *6 more needed*" in text
    assert "- Total: 3 of at least 23 credits (*20 to go*)" in text
    assert "Cheapest ways to finish (fewest extra credits):" in text
    assert "1. +20 credits, +128 GLH (total 23 credits):" in text  # 11 mandatory credits + 9 from group B
    done = summary(cat, rules.remaining(cat, "sfj-l2", []))
    assert "not complete yet" in done and "*45 to go*" in done


def test_what_if_over_a_group_maximum_says_what_does_not_count(ask):
    """sfj_l2_diploma.txt L130, L189-190: Group D counts at most 7 credits; 7 + 5 leaves 5 uncounted."""
    a = ask("ask_what_if", "what if i did Deal with incidents through a contact centre and Carry out direct sales "
                           "activities in a contact centre", LearnerContext("sfj-l2"))
    assert "- Group D: 0 -> 7 credits; at most 7 count, so 5 of its 12 credits would not count" in a.replies[0].text


def test_remaining_names_the_missing_mandatory_units_by_reference(ask):
    t = text(ask("ask_remaining", "what's left", LearnerContext("sfj-l2", claimed=["A/506/2130"])))
    for ref in ("F/506/2131", "J/506/2132", "A/506/1964", "L/506/1788"):
        assert ref in t


def test_one_plan_with_fewest_credits_and_fewest_hours_is_the_quickest(ask):
    # NCFE: a set of 23 credits with the fewest hours exists, so it is the one plan, and truly quickest
    replies = ask("ask_remaining", "what do I still need", LearnerContext("ncfe-l1")).replies
    plans = [r.text.split("\n")[0] for r in replies[1:]]
    assert plans == ["*Quickest way to finish* (fewest extra credits and fewest hours: +23 credits, +143 GLH):"]


def test_without_hours_a_plan_is_not_called_quickest(ask):
    # the SVQ states no GLH: the plan has the fewest credit points, which says nothing of time
    replies = ask("ask_remaining", "what do I still need", LearnerContext("svq4")).replies
    assert [r.text.split("\n")[0] for r in replies[1:]] == ["*Fewest extra SCQF credit points* (+64 SCQF credit points):"]


def test_with_nothing_recorded_the_whole_structure_is_given_when_asked_for(ask):
    # SFJ L130: 45 credits, five mandatory units of 19 credits, B min 3, C min 16, D max 7
    t = text(ask("ask_remaining", "what do i need to pass it overall? like the whole structure", LearnerContext("sfj-l2")))
    assert "*Rules of combination of the SFJ Awards Level 2 Diploma in Customer Service* (601/4310/1)" in t
    assert "- Mandatory: 5 units, 19 credits" in t
    assert "- Group D (optional: at most 7 credits)" in t


def test_a_question_on_progression_is_not_a_progress_report(ask):
    # SVQ L201: progression to the Modern Apprenticeship in Management
    t = text(ask("ask_remaining", "what can i progress to", LearnerContext("svq4")))
    assert "Modern Apprenticeship in Management" in t and "so far" not in t
