"""respond(): small talk, fallback, button payloads, and properties every answer keeps."""
import pytest

from bot.domain.answers import LearnerContext, respond
from bot.domain.answers.format import parse_payload
from bot.domain.replies import MAX_REPLY_CHARS

from .conftest import buttons, text


def test_help_says_what_the_bot_can_do_without_the_catalogue():
    a = respond("help", "what can you do?", {}, LearnerContext(), cat=object())  # small talk never reads it
    t = text(a)
    for skill in ("choose your qualification", "what you still need", "explain a unit or a criterion",
                  "evidence and assessment rules", "professional discussion"):
        assert skill in t
    assert len(buttons(a)) == 3


def test_greeting_asks_for_a_qualification_until_one_is_chosen():
    new = respond("greet", "hi", {}, LearnerContext(), cat=object())
    assert "Which qualification are you working towards?" in new.replies[0].text
    known = respond("greet", "hi", {}, LearnerContext("sfj-l2"), cat=object())
    assert "Which qualification" not in text(known)


@pytest.mark.parametrize("intent, words", [
    ("human_handoff", "contact your assessor or your training centre"),
    ("out_of_scope", "outside what I can help with"),
    ("goodbye", "Goodbye"),
    ("thank", "You're welcome"),
])
def test_small_talk(intent, words):
    assert words in text(respond(intent, "x", {}, LearnerContext(), cat=object()))


def test_a_clearly_named_criterion_of_a_clearly_named_unit_is_answered_not_guessed(ask):
    a = ask("nlu_fallback", "2.3 unit 206 hmm", LearnerContext("sfj-l2"))
    assert "Communicate clearly, concisely and professionally with customers" in text(a)  # D/506/2119 AC 2.3


def test_fallback_offers_best_guesses_as_buttons(ask):
    a = ask("nlu_fallback", "2.3 verbally hmm", LearnerContext("sfj-l2"))  # one title word: a guess, not a name
    assert a.replies[0].text == "Sorry, I'm not sure what you meant. Did you mean one of these?"
    got = [parse_payload(b.payload) for b in buttons(a)]
    assert ("ask_criterion", {"unit": ["D/506/2119"], "criterion": ["2.3"]}) in got
    assert ("ask_unit_info", {"unit": ["D/506/2119"]}) in got
    assert ("report_units", {"unit": ["D/506/2119"], "status": ["claimed"]}) in got


def test_fallback_for_evidence_and_rules(ask):
    got = [parse_payload(b.payload) for b in buttons(ask("nlu_fallback", "expert witness welsh?", LearnerContext()))]
    assert ("ask_evidence_type", {"evidence_type": ["expert_witness"]}) in got
    assert ("ask_assessment_rule", {"topic": ["language"]}) in got


def test_fallback_without_any_guess_explains_what_the_bot_does(ask):
    a = ask("nlu_fallback", "banana", LearnerContext())
    assert "I didn't understand that" in a.replies[0].text and "choose your qualification" in a.replies[0].text


def test_entities_are_only_hints_the_text_decides(ask):
    a = ask("ask_unit_info", "tell me about unit 207", LearnerContext("sfj-l2"), unit="206")
    assert a.replies[0].text.startswith("*Communicate with customers in writing* (T/506/2126)")


def test_the_entity_is_used_when_the_text_names_no_unit(ask):
    a = ask("ask_unit_info", "tell me about that one", LearnerContext("sfj-l2"), unit="exceed customer expectations")
    assert a.replies[0].text.startswith("*Exceed customer expectations* (Y/506/2135)")


# Every factual reply names its source; questions back to the learner carry buttons or a question mark.
SWEEP = [
    ("choose_qualification", "the SVQ", None), ("report_units", "I've finished 206 and 999", "sfj-l2"),
    ("ask_remaining", "what's left", "habc-l3"), ("ask_what_if", "what if I drop 206", "sfj-l2"),
    ("ask_group_credits", "how many credits from group C", "ncfe-l1"), ("ask_unit_info", "buddy a colleague", None),
    ("ask_list_units", "optional units", "svq4"), ("ask_criterion", "explain 1.4 of unit 207", "ncfe-l1"),
    ("ask_evidence_type", "what is witness testimony", None),
    ("ask_evidence_allowed", "can I use a reflective account for 1.2 of unit 302", "habc-l3"),
    ("ask_assessment_rule", "who can assess me", "svq4"), ("ask_qualification_info", "how old must I be", None),
]


@pytest.mark.parametrize("intent, message, source", SWEEP)
def test_factual_replies_are_sourced_and_fit_a_message(ask, intent, message, source):
    a = ask(intent, message, LearnerContext(source, claimed=["D/506/2119"] if source == "sfj-l2" else []))
    assert a.replies
    for r in a.replies:
        assert len(r.text) <= MAX_REPLY_CHARS
        assert r.source or r.buttons or "?" in r.text, r.text


def test_show_more_pages_cover_the_whole_answer(ask):
    ctx = LearnerContext("sfj-l2")
    first = ask("ask_assessment_rule", "is simulation allowed", ctx)
    seen, payload = [r.text for r in first.replies], first.replies[-1].buttons[-1].payload
    for _ in range(5):
        page = ask("ask_assessment_rule", payload, ctx)
        seen += [r.text for r in page.replies]
        more = [b for b in page.replies[-1].buttons if b.title == "Show more"]
        if not more:
            break
        payload = more[0].payload
    joined = "\n".join(seen)
    assert "9. Candidates must show" in joined or "Candidates must show" in joined  # Appendix A, the last fact
    assert len(seen) == len(set(seen))  # no page repeats another


def test_fallback_adds_the_classifiers_next_intents_re_asking_the_same_text(ask):
    a = ask("nlu_fallback", "banana split", LearnerContext("sfj-l2"), _ranking=["ask_unit_info", "help", "greet"])
    got = [(b.title, parse_payload(b.payload)) for b in buttons(a)]
    assert got == [("Tell me about a unit", ("ask_unit_info", {"text": ["banana split"]})),
                   ("What can you do?", ("help", {"text": ["banana split"]}))]


def test_a_clicked_payload_decides_the_intent(ask):
    a = ask("help", '/ask_group_credits{"group": "D"}', LearnerContext("sfj-l2"))
    assert a.replies[0].text.startswith("Group D: at most 7 credits.")


# --- issue 13 pattern 1: a qualification named anywhere in the message is the frame, and kept ---

@pytest.mark.parametrize("intent, message, source", [
    ("ask_unit_info", "on the highfield level 3 diploma which group is Exceed customer expectations in", "habc-l3"),
    ("ask_unit_info", "Exceed customer expectations - HABC L3 - credits?", "habc-l3"),
    ("ask_unit_info", "for the SFJ Awards diploma, what level is Make telephone calls to customers", "sfj-l2"),
    ("ask_qualification_info", "total credits needed for the scqf level 8 svq please", "svq4"),
    ("ask_unit_info", "unit 3 of the ncfe level one certificate", "ncfe-l1"),
])
def test_a_named_qualification_frames_the_answer_and_is_kept(ask, message, intent, source):
    a = ask(intent, message)
    assert a.set_source == source
    assert "Which qualification" not in text(a)


def test_a_message_naming_no_qualification_still_asks(ask):
    a = ask("ask_qualification_info", "how many credits do I need in total?")
    assert a.set_source is None


def test_another_qualification_named_frames_one_answer_without_changing_the_learners_own(ask):
    a = ask("ask_unit_info", "is Exceed customer expectations in the highfield diploma?", LearnerContext("sfj-l2"))
    assert a.set_source is None
    assert "Y/506/2135" in text(a) and "HABC" in text(a)


@pytest.mark.parametrize("intent, message, source, ref", [
    ("ask_qualification_info", "how many GLH does Resolve customer service problems have on the sfj diploma", "sfj-l2",
     "A/506/2158"),
    ("ask_group_credits", "in the SFJ level 2 diploma which group is buddy a colleague in", "sfj-l2", "M/506/1895"),
    ("choose_qualification", "which group is Exceed customer expectations in on the Highfield level 3 diploma?",
     "habc-l3", "Y/506/2135"),
    ("ask_list_units", "SFJ Awards diploma: how many credits is Make telephone calls to customers", "sfj-l2",
     "K/506/2155"),
])
def test_a_unit_named_with_a_qualification_is_answered_about_the_unit(ask, intent, message, source, ref):
    a = ask(intent, message)
    assert a.set_source == source and ref in text(a)


def test_a_group_question_stays_a_group_question(ask):
    a = ask("ask_group_credits", "how many units in group D", LearnerContext("sfj-l2"))
    assert "Group D" in text(a)


@pytest.mark.parametrize("ask_left", ["what do I still need?", "whats left?", "how many more credits do i need",
                                      "what else do i need to do"])
def test_units_done_and_what_is_left_in_one_message_are_both_answered(ask, ask_left):
    msg = f"I've done Resolve customer service problems and Provide post-transaction customer service. {ask_left}"
    a = ask("report_units", msg, LearnerContext("sfj-l2"))
    assert set(a.unit_updates) == {"A/506/2158", "K/506/2978"}
    t = text(a)
    assert "Noted as *finished* (2 units)" in t
    assert "10 of 45 credits" in t  # counted with the two just recorded (5 + 5), not before them
    assert "Group C" in t and "6 more needed" in t  # Group C needs at least 16: 10 done
    assert not any("ask_remaining" in b.payload for b in buttons(a))  # answered, not offered as a button


def test_units_done_without_asking_what_is_left_only_records_them(ask):
    a = ask("report_units", "I've done Resolve customer service problems", LearnerContext("sfj-l2"))
    assert "credits so far" not in text(a)


@pytest.mark.parametrize("whole", ["all the mandatory units plus", "the mandatory group +"])
def test_units_named_beside_a_whole_group_are_all_recorded(ask, whole):
    msg = (f"ive done {whole} Communicate verbally with customers, Resolve customer service problems and "
           "Provide post-transaction customer service. am I done?")
    a = ask("report_units", msg, LearnerContext("sfj-l2"))
    assert len(a.unit_updates) == 8  # Group A's five and the three named
    assert {"D/506/2119", "A/506/2158", "K/506/2978"} <= set(a.unit_updates)
    assert "32 of 45 credits" in text(a)


def test_what_is_left_with_the_units_done_in_the_same_message_counts_them(ask):
    a = ask("ask_remaining", "svq4 done units 1, 2, 3 and 5. what do i still need?", LearnerContext("svq4"))
    assert len(a.unit_updates) == 4
    assert "38 of 64" in text(a)  # 10 + 10 + 10 + 8 credit points
