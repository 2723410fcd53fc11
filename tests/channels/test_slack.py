"""Slack connector: request signatures, event filtering, mention stripping, retries, buttons, threads.

The webhook handler is driven directly (no Rasa server) and the replies go over HTTP to the fake
Slack Web API, so the requests the connector makes are the ones Slack would receive.
"""
from __future__ import annotations

import asyncio
import json
import time

import pytest

pytest.importorskip("rasa", reason="the Slack connector runs in the Rasa engine environment")

from bot.engine.channels.slack import (  # noqa: E402
    Incoming,
    SlackInput,
    SlackSettings,
    clean_text,
    incoming_from_event,
    signature_for,
    verify_signature,
)
from tests.channels.conftest import RecordingBot, settle  # noqa: E402
from tests.fakes.slack import BOT_USER_ID, TEAM_ID, FakeSlack, buttons_in, text_of  # noqa: E402


@pytest.fixture(scope="module")
def slack():
    fake = FakeSlack()
    yield fake
    fake.stop()


@pytest.fixture
def channel(slack):
    return SlackInput(SlackSettings(bot_token=slack.token, signing_secret=slack.signing_secret, api_url=slack.api_url))


def run(channel, body, headers, bot):
    async def go():
        result = await channel.handle(headers, body, bot)
        await settle(channel)
        return result
    return asyncio.run(go())


# ---- signatures ----------------------------------------------------------------------------------

def test_signature_is_v0_hmac_sha256_of_version_timestamp_and_body():
    # Slack's documented example: secret 8f742231b10e8888abcd99yyyzzz85a5, timestamp 1531420618
    body = (b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert signature_for("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == expected
    assert verify_signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", expected, body, now=1531420618 + 10)


def test_signature_rejects_tampering_wrong_secret_stale_and_missing_parts():
    body, now = b'{"type":"event_callback"}', 1_700_000_000
    good = signature_for("secret", str(now), body)
    assert verify_signature("secret", str(now), good, body, now=now)
    assert not verify_signature("secret", str(now), good, body + b" ", now=now)
    assert not verify_signature("other", str(now), good, body, now=now)
    assert not verify_signature("secret", str(now), good, body, now=now + 301)  # replayed 5 min later
    assert not verify_signature("secret", str(now), good, body, now=now - 301)  # from the future
    assert verify_signature("secret", str(now), good, body, now=now + 299)
    assert not verify_signature("", str(now), signature_for("", str(now), body), body, now=now)  # unconfigured
    assert not verify_signature("secret", None, good, body, now=now)
    assert not verify_signature("secret", str(now), None, body, now=now)
    assert not verify_signature("secret", "yesterday", good, body, now=now)


# ---- reading events ------------------------------------------------------------------------------

def test_clean_text_strips_the_bot_mention_and_undoes_slack_markup():
    text = "<@U0CSBOT01> what's <https://example.org/x|this link> &amp; <#C123|general> &lt;3 <@U999|sam>?"
    assert clean_text(text, {"U0CSBOT01"}) == "what's this link & #general <3 @sam?"
    assert clean_text("mail <mailto:a@b.org> or <https://x.org>", set()) == "mail a@b.org or https://x.org"
    assert clean_text("<!here> hi", set()) == "@here hi"
    assert clean_text("<@U0CSBOT01>", {"U0CSBOT01"}) == ""


def test_incoming_from_event_answers_direct_messages_and_mentions_only():
    dm = incoming_from_event(FakeSlack.event("hi", user="U1", channel="D1", ts="1700000000.000100"))
    assert dm == Incoming(text="hi", team=TEAM_ID, user="U1", channel="D1", thread_ts=None, mention=False,
                          message_id=f"slack:{TEAM_ID}:D1:1700000000.000100")  # 14.6: the records' client_msg_id
    assert dm.sender_id == f"slack:{TEAM_ID}:U1"
    mention = incoming_from_event(FakeSlack.event("<@U0CSBOT01> hi", kind="app_mention", channel="C1",
                                                  thread_ts="1.5"))
    assert mention.mention and mention.channel == "C1" and mention.thread_ts == "1.5"
    # plain channel chatter, the bot's own posts and edits are not for the bot
    assert incoming_from_event(FakeSlack.event("hello all", channel="C1", channel_type="channel")) is None
    assert incoming_from_event(FakeSlack.event("echo", bot_id="B0CSBOT01")) is None
    assert incoming_from_event(FakeSlack.event("edit", subtype="message_changed")) is None
    assert incoming_from_event(FakeSlack.event("x", kind="reaction_added")) is None
    # a Slack Connect user keeps the identity of their own workspace
    assert incoming_from_event(FakeSlack.event("hi", user_team="T0OTHER")).sender_id.startswith("slack:T0OTHER:")


# ---- the webhook ---------------------------------------------------------------------------------

def test_url_verification_echoes_the_challenge_only_when_signed(channel, slack):
    body, headers = slack.signed_event({"type": "url_verification", "token": "x", "challenge": "abc123"})
    result = run(channel, body, headers, RecordingBot())
    assert (result.status, result.body) == (200, {"challenge": "abc123"})
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert run(channel, body, headers, RecordingBot()).status == 401


def test_unsigned_or_stale_events_get_401_and_reach_nobody(channel, slack):
    bot = RecordingBot()
    body, headers = slack.signed_event(slack.event("hello"), timestamp=int(time.time()) - 6 * 60)
    assert run(channel, body, headers, bot).status == 401
    body, headers = slack.signed_event(slack.event("hello"), secret="not-the-secret")
    assert run(channel, body, headers, bot).status == 401
    body, _ = slack.signed_event(slack.event("hello"))
    assert run(channel, body, {"Content-Type": "application/json"}, bot).status == 401
    assert bot.messages == []


def test_direct_message_is_answered_once_even_when_slack_retries(channel, slack):
    bot = RecordingBot({"text": "You said {text}"})
    envelope = slack.event("what units do I still need?", channel="D0RETRY01")
    body, headers = slack.signed_event(envelope)
    assert run(channel, body, headers, bot).status == 200
    for attempt in (1, 2):  # Slack's retries: same event_id, new signature, retry headers
        body, headers = slack.signed_event(envelope)
        headers.update({"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"})
        result = run(channel, body, headers, bot)
        assert (result.status, result.body) == (200, "duplicate")
    assert [m.text for m in bot.messages] == ["what units do I still need?"]
    message = bot.messages[0]
    assert message.sender_id == f"slack:{TEAM_ID}:U0LEARNER" and message.input_channel == "slack"
    assert message.metadata["slack"]["channel"] == "D0RETRY01"
    [posted] = slack.messages("D0RETRY01")
    assert text_of(posted) == "You said what units do I still need?" and "thread_ts" not in posted


def test_mention_in_a_thread_is_answered_in_that_thread_without_the_mention(channel, slack):
    bot = RecordingBot({"text": "ok", "buttons": [{"title": "Unit 206", "payload": '/ask_unit_info{"unit":"206"}'}]})
    envelope = slack.event(f"<@{BOT_USER_ID}> tell me about unit 206", kind="app_mention", channel="C0THREAD1",
                           thread_ts="1700000000.000001")
    envelope.pop("authorizations")  # older payloads lack them: the bot asks auth.test who it is
    body, headers = slack.signed_event(envelope)
    run(channel, body, headers, bot)
    assert [m.text for m in bot.messages] == ["tell me about unit 206"]
    [posted] = slack.messages("C0THREAD1")
    assert posted["thread_ts"] == "1700000000.000001"
    assert [(b["text"]["text"], b["value"]) for b in buttons_in(posted)] == [("Unit 206", '/ask_unit_info{"unit":"206"}')]


def test_same_message_as_message_and_app_mention_events_is_answered_once(channel, slack):
    bot = RecordingBot()
    ts = f"{time.time():.6f}"
    first = slack.event(f"<@{BOT_USER_ID}> hi", channel="D0TWICE01", ts=ts)
    second = slack.event(f"<@{BOT_USER_ID}> hi", kind="app_mention", channel="D0TWICE01", ts=ts)
    for envelope in (first, second):
        body, headers = slack.signed_event(envelope)
        assert run(channel, body, headers, bot).status == 200
    assert [m.text for m in bot.messages] == ["hi"]


def test_bare_mention_says_hello(channel, slack):
    bot = RecordingBot()
    body, headers = slack.signed_event(slack.event(f"<@{BOT_USER_ID}>", kind="app_mention", channel="C0HELLO01"))
    run(channel, body, headers, bot)
    assert [m.text for m in bot.messages] == ["/greet"]


def test_button_click_sends_the_payload_marks_the_choice_and_stays_in_the_thread(channel, slack):
    long_payload = "/ask_remaining" + json.dumps({"text": "w" * 2500})
    bot = RecordingBot({"text": "Pick", "buttons": [{"title": "Show more", "payload": long_payload},
                                                    {"title": "Thanks", "payload": "/thank"}]})
    body, headers = slack.signed_event(slack.event("list", channel="D0CLICK01", thread_ts="1700000000.000002"))
    run(channel, body, headers, bot)
    [posted] = slack.messages("D0CLICK01")
    more, thanks = buttons_in(posted)
    assert more["value"].startswith("stash:") and len(more["value"]) < 2000

    clicker = RecordingBot({"text": "Next page"})
    body, headers = slack.signed_click(slack.click(posted, more, user="U0LEARNER"))
    result = run(channel, body, headers, clicker)
    assert result.status == 200
    assert [m.text for m in clicker.messages] == [long_payload]  # the full payload, back from the stash
    assert clicker.messages[0].sender_id == f"slack:{TEAM_ID}:U0LEARNER"
    answer = slack.messages("D0CLICK01")[-1]
    assert text_of(answer) == "Next page" and answer["thread_ts"] == "1700000000.000002"
    [update] = [u for u in slack.updated if u["ts"] == posted["ts"]]
    assert [b["type"] for b in update["blocks"]] == ["section", "context"]
    assert "Show more" in update["blocks"][-1]["elements"][0]["text"]

    # the same click delivered twice is answered once
    assert run(channel, body, headers, clicker).body == "duplicate"
    assert len(clicker.messages) == 1


def test_settings_come_from_credentials_then_environment_with_slack_as_default_api():
    env = {"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_SIGNING_SECRET": "env-secret"}
    assert SlackSettings.load(None, env) == SlackSettings("xoxb-env", "env-secret", "https://slack.com/api/")
    assert SlackSettings.load({"bot_token": "xoxb-cred", "api_url": "http://127.0.0.1:1/api"}, env) == \
        SlackSettings("xoxb-cred", "env-secret", "http://127.0.0.1:1/api/")
    unconfigured = SlackInput(SlackSettings.load(None, {}))  # no secret: nothing is ever accepted
    body = b"{}"
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": signature_for("", "0", body)}
    assert asyncio.run(unconfigured.handle(headers, body, RecordingBot())).status == 401
