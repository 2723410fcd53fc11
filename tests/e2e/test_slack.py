"""Slack, end to end: signed Events API / interactivity requests to the running Rasa server's
/webhooks/slack/webhook; answers are caught by the fake Slack Web API (SLACK_API_URL).

Each answer is compared with what the REST channel gives for the same conversation, rendered as
Block Kit, so the channel is checked to deliver what the bot says, all of it and nothing twice.
"""
from __future__ import annotations

import time
import uuid

import pytest

from bot.engine.channels.render import slack_mrkdwn
from tests.e2e.channel_helpers import await_transcript, normalise, post, rest_transcript
from tests.fakes.slack import BOT_USER_ID, buttons_in, text_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def slack(stack):
    return stack.fakes.slack


@pytest.fixture
def webhook(stack) -> str:
    return stack.services["rasa"].url + "/webhooks/slack/webhook"


def fresh(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def transcript(slack, channel: str, after: int):
    posts = slack.messages(channel, after)
    return (normalise("\n\n".join(text_of(p) for p in posts)),
            [(b["text"]["text"], b["value"]) for p in posts for b in buttons_in(p)])


def converse(stack, slack, webhook, sender, text, *, user, channel, **event_args):
    """Say `text` on Slack and over REST; wait until Slack shows what REST answered. Returns the posts."""
    expected = rest_transcript(stack.say(sender, text), slack_mrkdwn)
    after = len(slack.posted)
    body, headers = slack.signed_event(slack.event(text, user=user, channel=channel, **event_args))
    status, _ = post(webhook, body, headers)
    assert status == 200
    await_transcript(slack.wait_until, lambda: transcript(slack, channel, after), expected)
    return slack.messages(channel, after)


def test_learner_direct_messages_get_the_bots_answers(stack, slack, webhook, sender):
    user, channel = fresh("U"), fresh("D")
    hello = converse(stack, slack, webhook, sender, "hello", user=user, channel=channel)
    assert "qualification" in text_of(hello[0]).lower()
    help_posts = converse(stack, slack, webhook, sender, "what can you do?", user=user, channel=channel)
    assert any(buttons_in(p) for p in help_posts), "the help answer offers buttons"
    unit = converse(stack, slack, webhook, sender, "tell me about K/506/2155", user=user, channel=channel)
    assert "Make telephone calls to customers" in "\n".join(text_of(p) for p in unit)
    assert all("thread_ts" not in p for p in hello + help_posts + unit)  # a DM is answered in the DM


def test_mention_in_a_channel_thread_and_a_button_click_stay_in_the_thread(stack, slack, webhook, sender):
    user, channel, thread = fresh("U"), fresh("C"), f"{time.time():.6f}"
    # in a channel the bot's @mention comes first; it must not reach the NLU
    expected = rest_transcript(stack.say(sender, "what can you do?"), slack_mrkdwn)
    after = len(slack.posted)
    body, headers = slack.signed_event(slack.event(f"<@{BOT_USER_ID}> what can you do?", user=user, channel=channel,
                                                   kind="app_mention", thread_ts=thread))
    assert post(webhook, body, headers)[0] == 200
    await_transcript(slack.wait_until, lambda: transcript(slack, channel, after), expected)
    assert all(p["thread_ts"] == thread for p in slack.messages(channel, after))

    message = next(p for p in slack.messages(channel, after) if buttons_in(p))
    button = buttons_in(message)[0]
    expected = rest_transcript(stack.say(sender, button["value"]), slack_mrkdwn)
    after = len(slack.posted)
    body, headers = slack.signed_click(slack.click(message, button, user=user))
    assert post(webhook, body, headers)[0] == 200
    await_transcript(slack.wait_until, lambda: transcript(slack, channel, after), expected)
    assert all(p["thread_ts"] == thread for p in slack.messages(channel, after))
    # the clicked message now shows the choice instead of its buttons
    update = slack.wait_until(lambda: next((u for u in slack.updated if u["ts"] == message["ts"]), None))
    assert button["text"]["text"] in update["blocks"][-1]["elements"][0]["text"]
    assert not any(b["type"] == "actions" for b in update["blocks"])


def test_slack_retries_are_not_answered_twice(stack, slack, webhook, sender):
    user, channel = fresh("U"), fresh("D")
    envelope = slack.event("thanks", user=user, channel=channel)
    expected = rest_transcript(stack.say(sender, "thanks"), slack_mrkdwn)
    after = len(slack.posted)
    body, headers = slack.signed_event(envelope)
    assert post(webhook, body, headers)[0] == 200
    for attempt in ("1", "2", "3"):
        body, headers = slack.signed_event(envelope)  # Slack re-signs each retry
        headers.update({"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"})
        assert post(webhook, body, headers)[0] == 200
    await_transcript(slack.wait_until, lambda: transcript(slack, channel, after), expected)
    time.sleep(3)  # time enough for a duplicate answer to show up
    assert transcript(slack, channel, after) == expected


def test_forged_or_stale_requests_are_refused(slack, webhook):
    channel = fresh("D")
    envelope = slack.event("hello", user=fresh("U"), channel=channel)
    body, headers = slack.signed_event(envelope, secret="someone-elses-secret")
    assert post(webhook, body, headers)[0] == 401
    body, headers = slack.signed_event(envelope, timestamp=int(time.time()) - 6 * 60)
    assert post(webhook, body, headers)[0] == 401
    body, headers = slack.signed_event(envelope)
    assert post(webhook, body.replace(b"hello", b"HELLO"), headers)[0] == 401  # body changed after signing
    assert post(webhook, body, {"Content-Type": "application/json"})[0] == 401
    time.sleep(2)
    assert slack.messages(channel) == []


def test_url_verification_handshake(slack, webhook):
    body, headers = slack.signed_event({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                                        "type": "url_verification"})
    status, text = post(webhook, body, headers)
    assert status == 200 and '"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"' in text.replace(" ", "")
