"""Microsoft Teams, end to end: Bot Framework activities with signed JWTs to the running Rasa
server's /webhooks/teams/webhook; replies are caught by the fake Bot Connector at the activity's
serviceUrl, after the bot fetched an app token from the fake Entra ID token endpoint.

Each answer is compared with what the REST channel gives for the same conversation, rendered for
Teams (Markdown text, or an Adaptive Card when there are buttons).
"""
from __future__ import annotations

import json
import time
import uuid

import pytest

from bot.engine.channels.render import markdown
from tests.e2e.channel_helpers import await_transcript, normalise, post, rest_transcript
from tests.fakes.botframework import card_actions, reply_text

pytestmark = pytest.mark.e2e


@pytest.fixture
def teams(stack):
    return stack.fakes.teams


@pytest.fixture
def webhook(stack) -> str:
    return stack.services["rasa"].url + "/webhooks/teams/webhook"


def fresh_user() -> str:
    return "29:1" + uuid.uuid4().hex


def transcript(teams, conversation_id: str, after: int):
    replies = [r["activity"] for r in teams.connector.replies_in(conversation_id, after)]
    return (normalise("\n\n".join(reply_text(a) for a in replies)),
            [(c["title"], c["data"]["payload"]) for a in replies for c in card_actions(a)])


def send(teams, webhook, activity, **mint_args) -> int:
    return post(webhook, json.dumps(activity).encode(), teams.headers(activity, **mint_args))[0]


def converse(stack, teams, webhook, sender, activity, said: str | None = None):
    """Post an activity; wait until Teams shows what REST answers to `said` (default: its text)."""
    expected = rest_transcript(stack.say(sender, said or activity["text"]), markdown)
    conversation = activity["conversation"]["id"]
    after = len(teams.connector.replies)
    assert send(teams, webhook, activity) == 200
    await_transcript(teams.connector.wait_until, lambda: transcript(teams, conversation, after), expected)
    return teams.connector.replies_in(conversation, after)


def test_personal_chat_gets_the_bots_answers(stack, teams, webhook, sender):
    user, conversation = fresh_user(), "a:" + uuid.uuid4().hex
    hello = converse(stack, teams, webhook, sender, teams.message("hello", user_id=user, conversation_id=conversation))
    assert "qualification" in reply_text(hello[0]["activity"]).lower()
    helped = converse(stack, teams, webhook, sender,
                      teams.message("what can you do?", user_id=user, conversation_id=conversation))
    assert any(card_actions(r["activity"]) for r in helped), "the help answer comes as a card with buttons"
    unit = converse(stack, teams, webhook, sender,
                    teams.message("tell me about K/506/2155", user_id=user, conversation_id=conversation))
    assert "Make telephone calls to customers" in "\n".join(reply_text(r["activity"]) for r in unit)
    # every reply answers the activity it belongs to, from the bot to the user
    for reply in hello + helped + unit:
        assert reply["reply_to"] == reply["activity"]["replyToId"]
        assert reply["activity"]["from"]["id"] == teams.bot["id"]
        assert reply["activity"]["recipient"]["id"] == user
    # a single-tenant bot gets its token from its own tenant, for the Bot Framework scope
    assert {r["tenant"] for r in teams.login.token_requests} == {teams.tenant_id}


def test_channel_mention_is_stripped_and_a_card_click_is_understood(stack, teams, webhook, sender):
    user = fresh_user()
    conversation = f"19:{uuid.uuid4().hex}@thread.tacv2;messageid={int(time.time() * 1000)}"
    mention = teams.message("what can you do?", mention=True, user_id=user, conversation_id=conversation,
                            conversation_type="channel")
    assert mention["text"].startswith("<at>")
    replies = converse(stack, teams, webhook, sender, mention, said="what can you do?")
    assert all(r["reply_to"] == mention["id"] for r in replies)  # answered in the message's thread

    card = next(r["activity"] for r in replies if card_actions(r["activity"]))
    action = card_actions(card)[0]
    click = teams.click(action, user_id=user, conversation_id=conversation, conversation_type="channel")
    converse(stack, teams, webhook, sender, click, said=action["data"]["payload"])


def test_bot_added_to_a_team_greets(stack, teams, webhook, sender):
    conversation = "a:" + uuid.uuid4().hex
    added = teams.bot_added(conversation_id=conversation, user_id=fresh_user())
    replies = converse(stack, teams, webhook, sender, added, said="/greet")
    assert replies and "qualification" in reply_text(replies[0]["activity"]).lower()


@pytest.mark.parametrize("bad", [
    {"wrong_key": True}, {"expires_in": -3600}, {"audience": "another-bots-app-id"},
    {"service_url": "https://attacker.example/emea/"}, {"issuer": "https://sts.windows.net/evil/"},
], ids=["wrong-key", "expired", "wrong-audience", "wrong-serviceUrl", "wrong-issuer"])
def test_activities_with_bad_tokens_are_refused(teams, webhook, bad):
    conversation = "a:" + uuid.uuid4().hex
    activity = teams.message("hello", conversation_id=conversation)
    assert send(teams, webhook, activity, **bad) == 401
    time.sleep(1.5)
    assert teams.connector.replies_in(conversation) == []


def test_activity_without_a_token_is_refused(teams, webhook):
    conversation = "a:" + uuid.uuid4().hex
    activity = teams.message("hello", conversation_id=conversation)
    assert post(webhook, json.dumps(activity).encode(), {"Content-Type": "application/json"})[0] == 401
    time.sleep(1.5)
    assert teams.connector.replies_in(conversation) == []
