"""Paging, payloads and labels used by every conversation module (no catalogue needed)."""
from bot.domain.answers.format import SHOW_MORE, join_words, paged, parse_payload, payload, split_text, unit_label
from bot.domain.replies import MAX_REPLY_CHARS
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
    from bot.domain.replies import Button

    text = "\n".join("y" * 100 for _ in range(80))  # 8,080 characters: 8 replies of 11 lines, 3 pages
    choice = [Button("Pick", "/x")]
    first = paged(text, "Some source", "ask_unit_info", "tell me about 206", buttons=choice)
    assert len(first) == 3 and all(r.source == "Some source" for r in first)
    assert [b.title for b in first[-1].buttons] == [SHOW_MORE] and first[0].buttons == []
    intent, entities = parse_payload(first[-1].buttons[0].payload)
    assert intent == "ask_unit_info" and entities == {"text": ["tell me about 206"], "page": ["2"]}
    last = paged(text, "Some source", "ask_unit_info", "tell me about 206", page=99, buttons=choice)
    assert len(last) == 2 and last[-1].buttons == choice and last[0].buttons == []
    assert last[-1].text == split_text(text)[-1]
    everything = [r.text for p in (1, 2, 3) for r in paged(text, "S", "i", "m", page=p)]
    assert "\n".join(everything) == text


def test_sections_keep_their_sources_and_pages_hold_three_replies():
    sections = [(f"section {i}", f"source {i}") for i in range(5)]
    first = paged(sections, intent="ask_evidence_type", message="what is PD", entities={"unit": ["206"]})
    assert [(r.text, r.source) for r in first] == [("section 0", "source 0"), ("section 1", "source 1"),
                                                   ("section 2", "source 2")]
    assert first[-1].buttons[0].title == SHOW_MORE
    intent, entities = parse_payload(first[-1].buttons[0].payload)
    assert entities == {"text": ["what is PD"], "page": ["2"], "unit": ["206"]}
    second = paged(sections, intent="ask_evidence_type", message="what is PD", page=2)
    assert [r.source for r in second] == ["source 3", "source 4"] and second[-1].buttons == []


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
