"""Paging, payloads and labels used by every conversation module (no catalogue needed)."""
from bot.answers.format import SHOW_MORE, join_words, paged, parse_payload, payload, split_text, unit_label
from bot.replies import MAX_REPLY_CHARS
from catalogue.model import UnitSpec


def test_payload_round_trip_keeps_text_and_lists():
    p = payload("report_units", unit="D/506/2119", status="claimed")
    assert p == '/report_units{"unit": "D/506/2119", "status": "claimed"}'
    assert parse_payload(p) == ("report_units", {"unit": ["D/506/2119"], "status": ["claimed"]})
    assert parse_payload('/ask_remaining') == ("ask_remaining", {})
    assert parse_payload('/x{"unit": ["a", "b"]}') == ("x", {"unit": ["a", "b"]})


def test_ordinary_text_and_broken_json_are_not_payloads():
    assert parse_payload("I've finished 206") is None
    assert parse_payload("/ask_unit_info{not json") is None
    assert parse_payload("and/or services") is None


def test_split_text_respects_the_limit_and_loses_nothing():
    lines = [f"- line {i} " + "x" * 90 for i in range(40)]
    text = "\n".join(lines)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(len(c) <= MAX_REPLY_CHARS for c in chunks)
    assert "\n".join(chunks) == text


def test_split_text_cuts_an_overlong_line_between_words():
    text = " ".join(["word"] * 700)
    chunks = split_text(text)
    assert all(len(c) <= MAX_REPLY_CHARS for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_paged_offers_show_more_until_the_last_page_then_the_choice_buttons():
    from bot.replies import Button

    text = "\n".join("y" * 100 for _ in range(30))
    choice = [Button("Pick", "/x")]
    first = paged(text, "Some source", "ask_unit_info", "tell me about 206", buttons=choice)[0]
    assert first.source == "Some source"
    assert [b.title for b in first.buttons] == [SHOW_MORE]
    intent, entities = parse_payload(first.buttons[0].payload)
    assert intent == "ask_unit_info" and entities == {"text": ["tell me about 206"], "page": ["2"]}
    last = paged(text, "Some source", "ask_unit_info", "tell me about 206", page=99, buttons=choice)[0]
    assert last.buttons == choice
    assert last.text == split_text(text)[-1]


def test_short_answer_is_one_page_without_show_more():
    replies = paged("short", "S", "help", "help")
    assert len(replies) == 1 and replies[0].buttons == []


def test_unit_label_names_number_title_and_ref():
    spec = UnitSpec(source="cg-pool", ref="D/506/2119", number="206", title="Communicate verbally with customers",
                    level=2, credits=3, glh=14, line=2)
    assert unit_label(spec) == "Unit 206 Communicate verbally with customers (D/506/2119)"
    spec.number = None
    assert unit_label(spec) == "Communicate verbally with customers (D/506/2119)"


def test_join_words():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["a", "b"], "or") == "a or b"
