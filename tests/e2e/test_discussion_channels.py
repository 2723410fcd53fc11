"""The assessor's words through every channel (task assessor point 3, issue 19 "What to deliver"): the
same professional discussion run over REST, the web chat (the page's /chat/api/message), socket.io
(Rasa Webchat's protocol), Slack (signed Events API requests, answers caught by the fake Web API) and
Teams (signed Bot Framework activities, answers caught by the fake Bot Connector). Each run has a
decision typed as a sentence, criteria named by number and by words of their text (a decision and an
answer), and an export; what is STORED is then read back through the API, and the export link the
bot gave is fetched."""
from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from pypdf import PdfReader

from tests.e2e.channel_helpers import post
from tests.e2e.conftest import api, texts
from tests.e2e.socketio_client import SocketIOChat
from tests.fakes.botframework import reply_text
from tests.fakes.slack import TEAM_ID, text_of

pytestmark = pytest.mark.e2e

# (what the assessor types, what the bot's answer must hold before the next turn)
SCRIPT = [
    ("start a pd with my learner {name} on unit 311", "Professional discussion with"),
    ("mystery shopper reports, the complaints log and the monthly survey", "Saved for 1.1"),
    ("1.1 is a not yet, she didn't say which technique suits what", "1.1: not yet met."),
    ("mark the one about escalating complaints as met", "1.6: met."),
    ("for the one about conflict management she said stay calm and listen", "Saved for 1.4"),
    ("met", "1.4: met."),
    ("export the record", "format=json"),
]


def _centre(stack, identities: list[dict]) -> dict:
    suffix = uuid.uuid4().hex[:6]
    status, assessor = api(stack, "POST", "/api/people", {"display_name": f"Asha {suffix}", "role": "assessor",
                                                         "identities": identities})
    assert status == 201, assessor
    status, token = api(stack, "POST", f"/api/people/{assessor['id']}/tokens")
    assert status == 201, token
    name = f"Eve{suffix} Marsh"
    status, learner = api(stack, "POST", "/api/people", {"display_name": name, "role": "learner"})
    assert status == 201, learner
    assert api(stack, "POST", "/api/enrolments", {"learner_id": learner["id"], "source_id": "cg-pool",
                                                  "assessor_id": assessor["id"]})[0] == 201
    return {"token": token["token"], "learner_id": learner["id"], "name": name}


def _rest(stack, centre):
    sender = f"e2e-rest-{uuid.uuid4().hex[:8]}"
    return lambda text, until: texts(stack.say(sender, text, token=centre["token"]))


def _web(stack, centre):
    """The web chat page's own request: POST /chat/api/message on the API, signed in with the token."""
    sender = f"web:{uuid.uuid4()}"

    def say(text, until):
        body = json.dumps({"sender": sender, "message": text}).encode()
        status, raw = post(stack.services["api"].url + "/chat/api/message", body,
                           {"Content-Type": "application/json", "Authorization": f"Bearer {centre['token']}"}, 60)
        assert status == 200, raw
        return texts(json.loads(raw)["messages"])
    return say


def _socketio(stack, centre, chats):
    chat = SocketIOChat(stack.services["rasa"].url)
    chats.append(chat)
    session = chat.session()
    return lambda text, until: chat.say(session, text, until=until, auth_token=centre["token"])


def _slack_user() -> str:
    return "U" + uuid.uuid4().hex[:10].upper()


def _slack(stack, user):
    slack, channel = stack.fakes.slack, "D" + uuid.uuid4().hex[:10].upper()
    webhook = stack.services["rasa"].url + "/webhooks/slack/webhook"

    def say(text, until):
        after = len(slack.posted)
        body, headers = slack.signed_event(slack.event(text, user=user, channel=channel))
        assert post(webhook, body, headers)[0] == 200
        shown = lambda: "\n".join(text_of(p) for p in slack.messages(channel, after))  # noqa: E731
        return _wait(slack.wait_until, shown, until)
    return say


def _wait(wait_until, shown, until: str) -> str:
    try:
        wait_until(lambda: until in shown(), 60)
    except TimeoutError:
        assert until in shown(), f"no answer with {until!r}; the channel showed {shown()!r}"
    return shown()


def _teams(stack, user):
    teams, conversation = stack.fakes.teams, "a:" + uuid.uuid4().hex
    webhook = stack.services["rasa"].url + "/webhooks/teams/webhook"

    def say(text, until):
        after = len(teams.connector.replies)
        activity = teams.message(text, user_id="29:1" + user, aad_object_id=user, conversation_id=conversation)
        assert post(webhook, json.dumps(activity).encode(), teams.headers(activity))[0] == 200
        shown = lambda: "\n".join(reply_text(r["activity"])  # noqa: E731
                                  for r in teams.connector.replies_in(conversation, after))
        return _wait(teams.connector.wait_until, shown, until)
    return say


@pytest.fixture
def chats():
    opened: list[SocketIOChat] = []
    yield opened
    for chat in opened:
        chat.close()


@pytest.mark.parametrize("channel", ["rest", "web", "socketio", "slack", "teams"])
def test_discussion_through_every_channel(stack, channel, chats):
    identities, slack_user, teams_user = [], _slack_user(), str(uuid.uuid4())  # Teams: the Entra ID object id
    if channel == "slack":
        identities = [{"channel": "slack", "external_id": f"{TEAM_ID}:{slack_user}"}]
    if channel == "teams":
        identities = [{"channel": "teams", "external_id": f"{stack.fakes.teams.tenant_id or 'fake-tenant'}:{teams_user}"}]
    centre = _centre(stack, identities)
    say = {"rest": lambda: _rest(stack, centre), "web": lambda: _web(stack, centre),
           "socketio": lambda: _socketio(stack, centre, chats), "slack": lambda: _slack(stack, slack_user),
           "teams": lambda: _teams(stack, teams_user)}[channel]()
    replies = [say(text.format(name=centre["name"]), until) for text, until in SCRIPT]
    for (text, until), reply in zip(SCRIPT, replies):
        assert until in reply, (text, reply)
    assert "Then back to 1.2" in replies[4], replies[4]  # the named answer did not move the discussion

    status, rows = api(stack, "GET", "/api/discussions")
    [d] = [r for r in rows if r["learner_id"] == centre["learner_id"]]
    status, record = api(stack, "GET", f"/api/discussions/{d['id']}/export?format=json")
    assert status == 200, record
    stored = {c["criterion_ref"]: (c["answer"], c["decision_code"], c["reason"]) for c in record["criteria"]}
    assert stored["1.1"] == ("mystery shopper reports, the complaints log and the monthly survey", "not_yet_met",
                             "she didn't say which technique suits what")
    assert stored["1.6"] == (None, "met", None)
    assert stored["1.4"] == ("she said stay calm and listen", "met", None)
    assert all(stored[ref] == (None, None, None) for ref in ("1.2", "1.3", "1.5"))
    assert record["channel_code"] == channel if channel in ("slack", "teams") else record["channel_code"]

    # the export link the bot gave, in this channel's rendering, names this record; it downloads it
    path = re.search(r"https?://\S+?(/api/discussions/\d+/export)\?format=json", replies[-1]).group(1)
    assert path == f"/api/discussions/{d['id']}/export"
    status, pdf = api(stack, "GET", path + "?format=pdf")
    assert status == 200
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Not yet met" in text and "she didn't say which technique suits what" in text
