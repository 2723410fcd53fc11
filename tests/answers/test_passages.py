"""Issue 13 pattern 5: a question no structured answer fits is answered with the specification's own passage,
its source and its lines; when nothing matches, the answer says what was searched. Questions are written from
the specification texts (catalogue/sources/), not from tests/eval."""
from bot.domain.answers import LearnerContext
from bot.domain.answers.passages import answer_sections, nothing_found, search, split_passages, terms

from .conftest import sources, text

_TEXT = """Contents

- 1 About us
- 2 The Qualification

Delivery ratios

Centres should not exceed one assessor to twelve learners in any one session of assessment.

Evidence could include:

- worksheets
- peer reports
"""


def test_passages_keep_their_lines_and_headings_join_what_follows():
    found = split_passages("x", _TEXT)
    assert [(p.line, p.end_line) for p in found] == [(6, 8), (10, 13)]  # the contents list is no answer
    assert found[0].text.startswith("Delivery ratios\nCentres should not exceed")
    assert found[1].line_of(1) == 12 and found[1].text.splitlines()[1] == "- worksheets"


def test_terms_drop_question_words_and_meet_plurals():
    assert terms("What are the Assessors' ratios?") == terms("assessor ratio")


def test_a_ratio_question_gets_the_passage_with_its_lines(cat):
    # habc_l3_diploma.txt L108-110: 1 qualified tutor/assessor to 12 learners
    (reply, source), = answer_sections(cat, "how many learners can one tutor have at a time?", ["habc-l3"])
    assert "1 qualified tutor/assessor to 12 learners" in reply
    assert "lines 108-110" in reply and source.startswith("HABC Level 3 Diploma")


def test_a_rare_word_alone_finds_its_passage(cat):
    # ncfe_l1_certificate.txt L230-234: the Learner's Evidence Tracking Log (LETL) need not be used
    (reply, _), = answer_sections(cat, "what's the LETL?", ["ncfe-l1"])
    assert "You don't have to use the LETL" in reply


def test_nothing_matching_says_what_was_searched(cat):
    assert search(cat, "can I bring my dog to the assessment?", ["sfj-l2"]) == []
    reply, source = nothing_found(cat, "can I bring my dog to the assessment?", ["sfj-l2"])
    assert "SFJ Awards Level 2 Diploma in Customer Service" in reply and '"dog"' in reply
    assert "does not state" in reply


def test_unsure_question_with_a_qualification_is_searched(ask):
    # pearson_svq4.txt L404: suspected malpractice is reported to the Investigations Team at Pearson
    a = ask("nlu_fallback", "who do we tell about suspected malpractice?", LearnerContext("svq4"))
    assert "Investigations Team" in text(a)
    assert any("line 404" in s for s in sources(a))


def test_unsure_question_outside_the_specification_says_what_was_checked(ask):
    a = ask("nlu_fallback", "what colour is the canteen?", LearnerContext("ncfe-l1"))
    assert "couldn't find that in the NCFE Level 1 Certificate in Customer Service" in text(a)


def test_an_evidence_kind_no_type_names_gets_a_verdict_then_the_passage(ask):
    # ncfe_l1_certificate.txt L306-316: "worksheets" and "learner and peer reports" are in the portfolio list
    a = ask("ask_evidence_allowed", "can peer reports go in my portfolio?", LearnerContext("ncfe-l1"))
    first = a.replies[0].text
    assert first.startswith("*Yes*") and "learner and peer reports" in first and "line 315" in first
    assert "lines 306-316" in first


def test_a_qualification_question_without_a_field_gets_the_passage(ask):
    # pearson_svq4.txt L454: usually two standards verification visits per year
    reply = text(ask("ask_qualification_info", "how many standards verification visits does a centre get on the svq?"))
    assert "two standards verification visits per year" in reply


def test_a_unit_question_beyond_the_card_quotes_the_units_own_text(ask):
    # cg_unit_pool.txt L1646-1662: unit 217 is linked to NOS CFACSD1 Develop customer relationships
    a = ask("ask_unit_info", "city & guilds unit 217: which national occupational standards is it linked to?")
    first = a.replies[0].text
    assert first.startswith("On that, the City & Guilds unit pool says") and "CFACSD1" in first
    assert "Develop customer relationships" in text(a)  # the card follows


def test_a_unit_question_the_text_is_silent_on_says_what_was_searched(ask):
    # cg_unit_pool.txt L3003-3165: unit 222 has no 'Relationship to NOS' field
    first = ask("ask_unit_info", "which NOS is city and guilds unit 222 linked to?").replies[0].text
    assert first.startswith("That is not stated for Provide post-transaction customer service (K/506/2978)")
    assert "City & Guilds unit pool, lines 3003-" in first and '"nos"' in first


def test_a_card_question_gets_only_the_card(ask):
    a = ask("ask_unit_info", "how many credits is unit 217 worth?", LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith("*Develop customer relationships*")
