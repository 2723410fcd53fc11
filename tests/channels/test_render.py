"""Rendering replies as Block Kit (Slack) and Markdown / Adaptive Cards (Teams)."""
from __future__ import annotations

import pytest

from bot.engine.channels.dedupe import SeenKeys
from bot.engine.channels.render import (
    ADAPTIVE_CARD_CONTENT_TYPE,
    adaptive_card,
    buttons_of,
    slack_blocks,
    slack_chosen_blocks,
    slack_mrkdwn,
    markdown,
)
from bot.domain.replies import Button, Reply

REPLY = Reply(
    "You still need *2 units* from group B:\n- Resolve complaints (206)\n- Buddy a colleague (207)",
    buttons=[Button("Tell me about 206", '/ask_unit_info{"unit": "206"}'), Button("Thanks", "/thank")],
    source="SFJ Awards Level 2 Diploma, line 446",
).to_rasa()


def test_slack_mrkdwn_escapes_control_characters_and_shows_list_bullets():
    assert slack_mrkdwn("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert slack_mrkdwn("Units:\n- 206\n  - 2.3\n-not a list") == "Units:\n• 206\n  • 2.3\n-not a list"


def test_slack_blocks_section_then_buttons_carrying_the_payloads():
    blocks = slack_blocks(REPLY["text"], REPLY["buttons"])
    assert [b["type"] for b in blocks] == ["section", "actions"]
    assert blocks[0]["text"] == {
        "type": "mrkdwn",
        "text": "You still need *2 units* from group B:\n• Resolve complaints (206)\n• Buddy a colleague (207)\n"
                "_(SFJ Awards Level 2 Diploma, line 446)_",
    }
    buttons = blocks[1]["elements"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Tell me about 206", '/ask_unit_info{"unit": "206"}'), ("Thanks", "/thank")]
    assert len({b["action_id"] for b in buttons}) == 2  # action ids must be unique in a message


def test_slack_blocks_respect_block_kit_limits():
    many = [{"title": f"Unit {i} " + "x" * 100, "payload": f"/u{i}"} for i in range(30)]
    blocks = slack_blocks("pick one", many)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert all(len(e["text"]["text"]) == 75 and e["text"]["text"].endswith("…") for a in actions for e in a["elements"])
    assert len({e["action_id"] for a in actions for e in a["elements"]}) == 30
    long_text = "\n".join("line %04d " % i + "y" * 90 for i in range(60))  # ~6000 characters
    sections = [b for b in slack_blocks(long_text) if b["type"] == "section"]
    assert len(sections) == 3 and all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert "\n".join(s["text"]["text"] for s in sections) == long_text


def test_slack_long_payload_goes_to_the_stash():
    payload = "/ask_unit_info" + '{"text": "%s"}' % ("z" * 2100)
    stashed = {}

    def stash(value: str) -> str:
        stashed["ref"] = value
        return "stash:abc"

    [_, actions] = slack_blocks("more?", [{"title": "Show more", "payload": payload}], stash)
    assert actions["elements"][0]["value"] == "stash:abc" and stashed["ref"] == payload
    with pytest.raises(ValueError):
        slack_blocks("more?", [{"title": "Show more", "payload": payload}])


def test_slack_chosen_blocks_replace_buttons_with_the_choice():
    blocks = slack_blocks("Which?", [{"title": "A <1>", "payload": "/a"}])
    chosen = slack_chosen_blocks(blocks, "A <1>")
    assert [b["type"] for b in chosen] == ["section", "context"]
    assert chosen[1]["elements"][0]["text"] == "You chose: *A &lt;1&gt;*"


def test_buttons_without_payload_are_dropped_and_title_defaults_to_payload():
    assert buttons_of([{"title": "x"}, {"payload": "/thank"}, {"title": " Go ", "payload": " /go "}]) == [
        ("/thank", "/thank"), ("Go", "/go")]


def test_markdown_translates_emphasis_and_keeps_lists_together():
    text = "You need *2 units*:\n- 206\n- 207\nThat is all.\n_(SFJ Awards Level 2 Diploma, line 446)_"
    assert markdown(text) == (
        "You need **2 units**:\n\n- 206\n- 207\n\nThat is all.\n\n*(SFJ Awards Level 2 Diploma, line 446)*")
    # no emphasis inside words or arithmetic, and snake_case names stay as they are
    assert markdown("2*3*4 and unit_ref_x and * not bold *") == "2*3*4 and unit_ref_x and * not bold *"


def test_adaptive_card_has_text_and_submit_buttons_that_come_back_as_messages():
    card = adaptive_card(REPLY["text"], REPLY["buttons"])
    assert card["contentType"] == ADAPTIVE_CARD_CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"
    content = card["content"]
    assert content["type"] == "AdaptiveCard" and content["version"] == "1.2"
    assert content["body"] == [{"type": "TextBlock", "wrap": True, "text": markdown(REPLY["text"])}]
    first = content["actions"][0]
    assert first["type"] == "Action.Submit" and first["title"] == "Tell me about 206"
    assert first["data"]["payload"] == '/ask_unit_info{"unit": "206"}'
    assert first["data"]["msteams"] == {"type": "messageBack", "text": '/ask_unit_info{"unit": "206"}',
                                        "displayText": "Tell me about 206",
                                        "value": {"payload": '/ask_unit_info{"unit": "206"}'}}
    assert "actions" not in adaptive_card("plain")["content"]


def test_seen_keys_remembers_for_ttl_and_stays_bounded():
    now = [1000.0]
    seen = SeenKeys(ttl=60, max_keys=3, clock=lambda: now[0])
    assert seen.first_time("ev1") and not seen.first_time("ev1")
    assert not seen.first_time("other", "ev1")  # any known key makes it a duplicate ...
    assert seen.first_time("other")  # ... and the duplicate did not record its other keys
    assert seen.first_time(None, "") is True  # nothing to compare: not a duplicate
    now[0] += 61
    assert seen.first_time("ev1")  # forgotten after the ttl
    for key in ("a", "b", "c"):
        assert seen.first_time(key)
    assert seen.first_time("ev1")  # the oldest key was dropped to keep the bound


def test_markdown_keeps_quotes_and_headings_as_text():
    # a criterion quoted after "> ", or a "#" in an answer, must not become a block quote or a heading
    assert markdown("> “Describe the importance of active listening”\nAsk: why?") == (
        "\\> “Describe the importance of active listening”\n\nAsk: why?")
    assert markdown("# of calls\n  > indented") == "\\# of calls\n\n  \\> indented"
    assert markdown("a > b and c # d") == "a > b and c # d"


def test_markdown_keeps_numbered_items_inside_a_list_together():
    text = "- 3 outcomes:\n  1. Understand calls\n  2. Plan calls\n- Also in: NCFE"
    assert markdown(text) == text
