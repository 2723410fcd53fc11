"""Teams connector: Bot Framework token validation, reading activities, replying via the connector.

Tokens are minted by the fake Bot Framework with its own RSA key, published through fake OpenID
metadata and JWKS; replies go over HTTP to the fake token endpoint and connector service.
"""
from __future__ import annotations

import asyncio
import json

import pytest

jwt = pytest.importorskip("jwt")
pytest.importorskip("rasa", reason="the Teams connector runs in the Rasa engine environment")

from bot.engine.channels.teams import (  # noqa: E402
    AuthError,
    TeamsInput,
    TeamsSettings,
    TokenValidator,
    message_text,
    sender_id,
)
from tests.channels.conftest import RecordingBot, settle  # noqa: E402
from tests.fakes.botframework import FakeBotFramework, card_actions, reply_text  # noqa: E402


@pytest.fixture(scope="module")
def bf():
    fake = FakeBotFramework()
    yield fake
    fake.stop()


def settings_for(fake: FakeBotFramework) -> TeamsSettings:
    return TeamsSettings.load(None, fake.env())


@pytest.fixture
def channel(bf):
    return TeamsInput(settings_for(bf))


def run(channel, activity, headers, bot):
    async def go():
        result = await channel.handle(headers, json.dumps(activity).encode(), bot)
        await settle(channel)
        return result
    return asyncio.run(go())


def validate(bf, activity, headers):
    validator = TokenValidator(bf.app_id, bf.login.openid_metadata_url)
    return asyncio.run(validator.validate(headers.get("Authorization"), activity))


# ---- token validation ----------------------------------------------------------------------------

def test_a_genuine_token_is_accepted(bf):
    activity = bf.message("hi")
    claims = validate(bf, activity, bf.headers(activity))
    assert claims["aud"] == bf.app_id and claims["serviceurl"] == activity["serviceUrl"]


@pytest.mark.parametrize("bad, reason", [
    ({"wrong_key": True}, "Signature verification failed"),
    ({"expires_in": -3600}, "expired"),
    ({"audience": "00000000-0000-0000-0000-000000000000"}, "(?i)audience"),
    ({"issuer": "https://sts.windows.net/evil/"}, "(?i)issuer"),
    ({"service_url": "https://evil.example/emea/"}, "serviceUrl"),
    ({"algorithm": "HS256"}, "not allowed"),
    ({"algorithm": "RS512"}, "not allowed"),
])
def test_forged_or_misdirected_tokens_are_refused(bf, bad, reason):
    activity = bf.message("hi")
    with pytest.raises(AuthError, match=reason):
        validate(bf, activity, bf.headers(activity, **bad))


def test_missing_header_unknown_key_and_unendorsed_channel_are_refused(bf):
    activity = bf.message("hi")
    with pytest.raises(AuthError, match="no bearer token"):
        validate(bf, activity, {})
    with pytest.raises(AuthError, match="no bearer token"):
        validate(bf, activity, {"Authorization": "Basic abc"})
    forged = jwt.encode({"iss": "https://api.botframework.com", "aud": bf.app_id, "exp": 9_999_999_999,
                         "serviceurl": activity["serviceUrl"]}, bf.login.key, algorithm="RS256",
                        headers={"kid": "no-such-key"})
    with pytest.raises(AuthError, match="unknown signing key"):
        validate(bf, activity, {"Authorization": f"Bearer {forged}"})
    slack_activity = bf.message("hi", channel_id="slack")  # the fake key endorses msteams, emulator, ...
    with pytest.raises(AuthError, match="endorse"):
        validate(bf, slack_activity, bf.headers(slack_activity))


def test_a_token_within_five_minutes_of_expiry_is_still_accepted(bf):
    activity = bf.message("hi")
    validate(bf, activity, bf.headers(activity, expires_in=-120))  # clock skew allowance


# ---- reading activities --------------------------------------------------------------------------

def test_message_text_strips_the_bot_mention_and_prefers_a_card_payload(bf):
    assert message_text(bf.message("what units are in group C?", mention=True)) == "what units are in group C?"
    untagged = bf.message("<at>Assessment Assistant</at> hi &amp; bye")
    assert message_text(untagged) == "hi & bye"  # no mention entity: the tag with the bot's name goes
    assert message_text(bf.message("ask <at>Sam</at> too")) == "ask Sam too"  # other people's names stay
    assert message_text(bf.message("", value={"payload": "/thank"})) == "/thank"
    assert message_text(bf.message("typed", value={"other": 1})) == "typed"


def test_sender_id_is_tenant_and_entra_object_id(bf):
    activity = bf.message("hi", aad_object_id="aad-1")
    assert sender_id(activity) == f"teams:{bf.tenant_id}:aad-1"
    del activity["from"]["aadObjectId"], activity["channelData"]
    assert sender_id(activity) == f"teams:{bf.tenant_id}:29:1learner"


# ---- the webhook ---------------------------------------------------------------------------------

def test_invalid_token_gets_401_and_reaches_nobody(channel, bf):
    bot = RecordingBot()
    activity = bf.message("hi", conversation_id="a:unauth")
    for bad in ({"wrong_key": True}, {"expires_in": -3600}, {"audience": "someone-else"},
                {"service_url": "https://evil.example/"}):
        assert run(channel, activity, bf.headers(activity, **bad), bot).status == 401
    assert run(channel, activity, {"Content-Type": "application/json"}, bot).status == 401
    assert bot.messages == [] and bf.connector.replies_in("a:unauth") == []


def test_channel_message_is_answered_in_its_thread_with_an_adaptive_card(channel, bf):
    bot = RecordingBot({"text": "Group C has *3 units*", "buttons": [{"title": "Unit 206", "payload": "/u206"}]})
    activity = bf.message("what units are in group C?", mention=True, conversation_type="channel",
                          conversation_id="19:abc@thread.tacv2;messageid=1700000000001")
    result = run(channel, activity, bf.headers(activity), bot)
    assert result.status == 200
    [message] = bot.messages
    assert message.text == "what units are in group C?" and message.input_channel == "teams"
    assert message.sender_id == sender_id(activity)
    [reply] = bf.connector.replies_in("19:abc@thread.tacv2;messageid=1700000000001")
    assert reply["reply_to"] == activity["id"]  # POST .../activities/{activityId}
    sent = reply["activity"]
    assert sent["type"] == "message" and sent["replyToId"] == activity["id"]
    assert sent["from"] == bf.bot and sent["recipient"]["id"] == activity["from"]["id"]
    assert reply_text(sent) == "Group C has **3 units**"
    [action] = card_actions(sent)
    assert action["title"] == "Unit 206" and action["data"]["payload"] == "/u206"
    # the app token came from the bot's own tenant (single-tenant bot)
    assert bf.login.token_requests[-1]["tenant"] == bf.tenant_id
    assert bf.login.token_requests[-1]["form"]["scope"] == "https://api.botframework.com/.default"

    # clicking the card button comes back as a message the bot understands
    clicker = RecordingBot({"text": "Unit 206 is ..."})
    click = bf.click(action, conversation_id="a:1personal-chat")
    run(channel, click, bf.headers(click), clicker)
    assert [m.text for m in clicker.messages] == ["/u206"]


def test_redelivered_activity_is_answered_once(channel, bf):
    bot = RecordingBot({"text": "plain *text*"})
    activity = bf.message("hello", conversation_id="a:redelivered")
    assert run(channel, activity, bf.headers(activity), bot).status == 200
    assert run(channel, activity, bf.headers(activity), bot).body == "duplicate"
    assert len(bot.messages) == 1
    [reply] = bf.connector.replies_in("a:redelivered")
    assert reply["activity"]["text"] == "plain **text**" and reply["activity"]["textFormat"] == "markdown"


def test_bot_added_to_a_conversation_greets(channel, bf):
    bot = RecordingBot({"text": "Hello, I can help with your qualification."})
    added = bf.bot_added(conversation_id="a:installed")
    assert run(channel, added, bf.headers(added), bot).status == 200
    assert [m.text for m in bot.messages] == ["/greet"]
    assert reply_text(bf.connector.replies_in("a:installed")[0]["activity"]).startswith("Hello")
    someone_else = bf.bot_added(conversation_id="a:joined")
    someone_else["membersAdded"] = [{"id": "29:someone"}]
    run(channel, someone_else, bf.headers(someone_else), bot)
    assert len(bot.messages) == 1


def test_multi_tenant_bot_gets_its_token_from_botframework_com():
    fake = FakeBotFramework(tenant_id="")
    try:
        settings = TeamsSettings.load(None, fake.env())
        assert not settings.single_tenant
        assert settings.token_endpoint == f"{fake.login.url}/botframework.com/oauth2/v2.0/token"
        channel = TeamsInput(settings)
        bot = RecordingBot({"text": "hi"})
        activity = fake.message("hello", conversation_id="a:multi")
        run(channel, activity, fake.headers(activity), bot)
        assert fake.login.token_requests[-1]["tenant"] == "botframework.com"
        assert len(fake.connector.replies_in("a:multi")) == 1
    finally:
        fake.stop()


def test_default_addresses_are_microsofts():
    single = TeamsSettings.load({"app_id": "a", "app_password": "p", "tenant_id": "t-1"}, {})
    assert single.openid_metadata_url == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert single.token_endpoint == "https://login.microsoftonline.com/t-1/oauth2/v2.0/token"
    multi = TeamsSettings.load({"app_id": "a", "app_password": "p"}, {})
    assert multi.token_endpoint == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    override = TeamsSettings.load({}, {"TEAMS_TOKEN_URL": "http://127.0.0.1:9/{tenant}/token"})
    assert override.token_endpoint == "http://127.0.0.1:9/botframework.com/token"


# ---- single tenant (issue 14.9) --------------------------------------------------------------------

def test_single_tenant_bot_refuses_activities_and_tokens_of_another_tenant(channel, bf):
    bot = RecordingBot({"text": "hi"})
    genuine = bf.message("hello", conversation_id="a:tenant-ok")
    assert run(channel, genuine, bf.headers(genuine, tid=bf.tenant_id), bot).status == 200
    assert len(bot.messages) == 1  # the right tenant, in the token or not, is answered

    other = bf.message("hello", conversation_id="a:tenant-other")
    other["channelData"]["tenant"]["id"] = other["conversation"]["tenantId"] = "another-tenant"
    mixed = bf.message("hello", conversation_id="a:tenant-mixed")
    mixed["conversation"]["tenantId"] = "another-tenant"  # channelData still says ours
    nameless = bf.message("hello", conversation_id="a:tenant-none")
    del nameless["channelData"], nameless["conversation"]["tenantId"]
    wrong_token = bf.message("hello", conversation_id="a:tenant-token")
    for activity, headers in ((other, bf.headers(other)), (mixed, bf.headers(mixed)), (nameless, bf.headers(nameless)),
                              (wrong_token, bf.headers(wrong_token, tid="another-tenant"))):
        assert run(channel, activity, headers, bot).status == 401, activity["conversation"]["id"]
        assert bf.connector.replies_in(activity["conversation"]["id"]) == []
    assert len(bot.messages) == 1


def test_a_multi_tenant_bot_takes_any_tenant():
    fake = FakeBotFramework(tenant_id="")
    try:
        channel = TeamsInput(TeamsSettings.load(None, fake.env()))
        bot = RecordingBot({"text": "hi"})
        activity = fake.message("hello", conversation_id="a:any-tenant")
        activity["channelData"]["tenant"]["id"] = activity["conversation"]["tenantId"] = "some-customer"
        assert run(channel, activity, fake.headers(activity, tid="some-customer"), bot).status == 200
        assert len(bot.messages) == 1
    finally:
        fake.stop()


def test_production_profile_refuses_another_openid_metadata_address(bf):
    from bot.engine.channels.teams import SettingsError

    with pytest.raises(SettingsError, match="TEAMS_OPENID_METADATA_URL .* production"):
        TeamsSettings.load(None, {**bf.env(), "CSA_PROFILE": "production"})
    with pytest.raises(SettingsError):  # nor through credentials.yml
        TeamsSettings.load({"openid_metadata_url": bf.login.openid_metadata_url}, {"CSA_PROFILE": "production"})
    production = {k: v for k, v in bf.env().items() if k != "TEAMS_OPENID_METADATA_URL"}
    settings = TeamsSettings.load(None, {**production, "CSA_PROFILE": "production"})
    assert settings.openid_metadata_url == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert TeamsSettings.load(None, bf.env()).openid_metadata_url == bf.login.openid_metadata_url  # tests may
