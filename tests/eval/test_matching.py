"""The answer evaluation's matcher (scripts/evallib.py): normalisation, whole-token numbers, any/forbid/first."""
from __future__ import annotations

from scripts.evallib import check_turn, contains, normalise, reply_text


def test_normalise_folds_case_space_emphasis_quotes_and_dashes():
    assert normalise("  **Group  B**\n– _minimum_ `3`  ") == "group b - minimum 3"
    assert normalise("**No**, it is *not* allowed") == "no, it is not allowed"
    assert normalise("customers’ “journey”") == "customers' \"journey\""
    assert normalise("> Mandatory Group A — 19 credits") == "mandatory group a - 19 credits"
    assert normalise("2\u00a0credits") == "2 credits"  # a no-break space is a space


def test_numbers_match_only_as_whole_tokens():
    hay = normalise("Unit A/506/2130 (2013), criteria 2.3 and 3.1, 1,000 words")
    for inside in ("3", "13", "2", "1", "0", "30", "506"):
        assert not contains(hay, inside), inside
    assert contains(hay, "2.3") and contains(hay, "3.1") and contains(hay, "A/506/2130")
    assert contains(normalise("You need 3 more credits."), "3")
    assert contains(normalise("Total: 45."), "45")
    assert contains(normalise("(19)"), "19")
    assert contains(normalise("45-credit diploma"), "45")
    assert not contains(normalise("3rd"), "3")


def test_text_needles_match_as_substrings_after_normalising():
    hay = normalise("**Optional Group C** – minimum 16 credits; Explain the relationship between customers’ needs")
    assert contains(hay, "group c - minimum 16")
    assert contains(hay, "relationship between customers' needs")
    assert not contains(hay, "Group D")


def test_check_turn_reports_missing_any_forbidden_and_first():
    turn = {"expect": ["45", "Group B"], "any": [["max", "at most"]], "forbid": ["Which qualification"],
            "first": ["yes"]}
    assert check_turn("Yes: 45 credits, at most 7 from Group D and some from Group B.", turn) == []
    problems = check_turn("Which qualification? 145 credits from Group B.", turn)
    assert "missing '45'" in problems
    assert "none of ['max', 'at most']" in problems
    assert "forbidden 'Which qualification'" in problems
    assert any(p.startswith("does not open with") for p in problems)
    assert len(problems) == 4


def test_first_is_a_whole_word_in_the_opening_only():
    turn = {"first": ["no"]}
    assert check_turn("No, simulation is not allowed.", turn) == []
    assert check_turn("Not stated: nothing here. " + "x" * 200, {"first": ["not stated"]}) == []
    assert check_turn("Knowing this, the answer is yes.", turn)  # "no" inside "knowing" does not count
    assert check_turn("x" * 200 + " no", turn)  # too late to be a verdict
    assert check_turn("You can't use it.", {"first": ["you can"]})  # a contraction is not the word
    assert check_turn("The SFJ diploma lists no evidence per outcome.", {"first": ["no,", "no."]})
    assert check_turn("**No**, it is not listed.", {"first": ["no,", "no."]}) == []


def test_a_turn_without_expectations_passes_anything():
    assert check_turn("", {"say": "hi"}) == []


def test_reply_text_joins_texts_and_button_titles():
    messages = [{"text": "Which unit?", "buttons": [{"title": "Unit 206", "payload": "/x"}]}, {"image": "y"},
                {"text": "Or type it."}]
    assert reply_text(messages) == "Which unit?\nUnit 206\nOr type it."
    assert reply_text([]) == ""
