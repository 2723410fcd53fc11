"""Conversation 5: what a criterion means (verbatim text, outcome, glossary verb, evidence, guidance)."""
from bot.domain.answers import LearnerContext
from bot.domain.answers.format import parse_payload

from .conftest import buttons, text


def test_criterion_of_a_cg_numbered_unit_in_the_sfj_diploma(ask, cat):
    a = ask("ask_criterion", "what does 2.3 of unit 206 mean?", LearnerContext("sfj-l2"))
    head, verb, evidence = a.replies[0], a.replies[1], a.replies[2]
    assert head.text == ("*AC 2.3* of Communicate verbally with customers (D/506/2119):\n"
                         "\u201cCommunicate clearly, concisely and professionally with customers\u201d\n"
                         "It belongs to outcome 2: Be able to use customer service language to communicate with customers")
    assert head.text.splitlines()[1][1:-1] == cat.spec("D/506/2119", "sfj-l2").criterion("2.3").text
    assert head.source == "SFJ Awards Level 2 Diploma, unit D/506/2119, AC 2.3, line 580"  # the unit, not only a line
    assert verb.text.startswith('The NCFE Level 1 Certificate in Customer Service glossary of command verbs')
    assert 'does not define "Communicate"' in verb.text and verb.source.endswith("lines 1374-1387")
    assert evidence.text.startswith("*Evidence listed for outcome 2*: The SFJ Awards Level 2 Diploma lists no "
                                    "evidence per outcome; the City & Guilds unit pool lists for the same unit:")
    assert "- observation\n- witness testimony\n- professional discussion" in evidence.text
    assert evidence.source == "City & Guilds unit pool, unit 206, outcome 2, line 280"


def test_command_verb_from_the_ncfe_glossary_is_cited_as_such(ask):
    a = ask("ask_criterion", "explain AC 1.2 in resolve customers complaints", LearnerContext("habc-l3"))
    assert a.replies[0].text.splitlines()[1] == ("\u201cExplain how to identify those complaints that should prompt a "
                                                 "review of the service offer and service delivery\u201d")
    verb = a.replies[1]
    assert verb.text == ('*Explain* means: "Provide details about the subject with reasons showing how or why." '
                         '(from the NCFE Level 1 Certificate in Customer Service glossary: your specification does '
                         'not define command verbs)')
    assert verb.source == "NCFE Level 1 Certificate in Customer Service glossary, line 1377"


def test_ncfe_learner_gets_the_glossary_without_the_borrowed_note(ask):
    a = ask("ask_criterion", "what does 1.1 of unit 01 mean", LearnerContext("ncfe-l1"))
    assert a.replies[0].text.splitlines()[1] == "\u201cState what is meant by 'customer service'\u201d"
    assert a.replies[1].text == '*State* means: "Give the main points in brief, clear sentences."'


def test_guidance_keyed_by_criterion(ask):
    a = ask("ask_criterion", "what does 1.1 of unit 308 mean", LearnerContext("habc-l3"))
    guidance = [r for r in a.replies if r.text.startswith("*Guidance for 1.1*")]
    if not guidance:  # third reply onwards is behind "Show more"
        more = a.replies[-1].buttons[-1].payload
        guidance = [r for r in ask("ask_criterion", more, LearnerContext("habc-l3")).replies
                    if r.text.startswith("*Guidance for 1.1*")]
    assert "In this criterion the learner is required to compare sources of information" in guidance[0].text
    assert guidance[0].source == "City & Guilds unit pool, unit 308, line 6378"


def test_svq_performance_criterion(ask):
    a = ask("ask_criterion", "PC 5 unit 10", LearnerContext("svq4"))
    head = a.replies[0]
    assert head.text.startswith("*PC5* of Unit 10 Handle Referred Customer Complaints (CFACSC8):")
    assert ("\u201cidentify a range of possible solutions that balance customer expectations and your organisation's "
            "service offer") in head.text
    assert "element E2: Take action to deal with referred customer complaints" in head.text
    assert head.source == "Pearson SVQ 4 in Customer Service (SCQF Level 8), unit 10, PC5, line 1105"


def test_svq_knowledge_statement(ask):
    head = ask("ask_criterion", "K&U 8 of unit 1", LearnerContext("svq4")).replies[0]
    assert head.text.startswith("*K&U8* of Unit 1 Show Understanding of Customer Service Management (CFACSF5):")
    assert "knowledge and understanding statement" in head.text


def test_criterion_not_in_the_unit_names_what_exists(ask):
    reply = ask("ask_criterion", "what does 3.1 of unit 206 mean?", LearnerContext("sfj-l2")).replies[0]
    assert reply.text == ("Communicate verbally with customers (D/506/2119) has no criterion 3.1. Its criteria are "
                          "1.1-1.6 and 2.1-2.10.")
    svq = ask("ask_criterion", "what is PC 30 of unit 10", LearnerContext("svq4")).replies[0]
    assert svq.text.endswith("Its criteria are PC1-PC14 and K&U1-K&U12.")


def test_malformed_reference(ask):
    reply = ask("ask_criterion", "what does AC 2 of unit 206 mean?", LearnerContext("sfj-l2")).replies[0]
    assert reply.text == "I couldn't read that criterion: 'AC 2' is ambiguous: say 'AC 2.1', 'PC 2' or 'K&U 2'."


def test_missing_unit_or_criterion(ask):
    assert ask("ask_criterion", "what does 2.3 mean?", LearnerContext("sfj-l2")).replies[0].text == (
        'Which unit is criterion 2.3 in? For example: "2.3 of unit 206".')
    assert ask("ask_criterion", "what does it mean?", LearnerContext("sfj-l2")).replies[0].text.startswith(
        "Which criterion?")
    assert ask("ask_criterion", "what does 2.3 of unit 999 mean", LearnerContext("sfj-l2")).replies[0].text.startswith(
        "I couldn't find the unit for criterion 2.3")
    assert ask("ask_unit_info", "tell me about unit 999", LearnerContext("sfj-l2")).replies[0].text.startswith(
        "I couldn't find \"unit 999\" in any of my specifications")


def test_ambiguous_unit_keeps_the_criterion_in_the_buttons(ask):
    a = ask("ask_criterion", "what does 1.2 of communicate mean", LearnerContext("sfj-l2"))
    got = sorted((parse_payload(b.payload)[1]["unit"][0], parse_payload(b.payload)[1]["criterion"][0])
                 for b in buttons(a))
    assert got == [("D/506/2119", "1.2"), ("T/506/2126", "1.2")]
    writing = next(b for b in buttons(a) if "T/506/2126" in b.payload)
    clicked = ask("ask_criterion", writing.payload, LearnerContext("sfj-l2"))
    assert "*AC 1.2* of Communicate with customers in writing (T/506/2126)" in text(clicked)


def test_command_verbs_asked_directly(ask):
    a = ask("ask_criterion", "what's the difference between explain and describe", LearnerContext("sfj-l2"))
    assert [r.text.split(" means")[0] for r in a.replies] == ["*Explain*", "*Describe*"]
    assert a.replies[1].source == "NCFE Level 1 Certificate in Customer Service glossary, line 1376"
    missing = ask("ask_criterion", "what is meant by evaluate", LearnerContext("ncfe-l1")).replies[0]
    assert 'does not define "evaluate"' in missing.text
    assert missing.source == "NCFE Level 1 Certificate in Customer Service glossary, lines 1374-1387"
    phrase = ask("ask_criterion", "what does it mean by 'give examples'", LearnerContext("ncfe-l1")).replies[0]
    assert phrase.text == '*Give (examples of)* means: "Provide relevant examples to support the subject."'


def test_verb_with_a_criterion_but_no_unit(ask):
    a = ask("ask_criterion", "what does describe mean in 1.2", LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith("*Describe* means:")
    assert a.replies[1].text == 'To see criterion 1.2 itself, tell me its unit, e.g. "1.2 of unit 206".'


def test_chatter_is_not_taken_for_a_unit(ask):
    reply = ask("ask_criterion", "I don't understand what 2.7 means", LearnerContext("sfj-l2")).replies[0]
    assert reply.text == 'Which unit is criterion 2.7 in? For example: "2.7 of unit 206".'


def test_criterion_of_a_unit_outside_the_qualification_says_so(ask):
    head = ask("ask_criterion", "what does 1.1 of unit 304 mean", LearnerContext("sfj-l2")).replies[0]
    assert "of Unit 1 Organise and deliver customer service (L/506/2150)" in head.text
    assert head.text.endswith("(This unit is not in your SFJ Awards Level 2 Diploma in Customer Service.)")
