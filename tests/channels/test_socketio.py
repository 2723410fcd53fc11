"""The socket.io channel: Rasa's own handler, with our long-message guard in front of the bot, and
session ids only the server issues (issue 14.1)."""
import asyncio
import hashlib

import pytest

pytest.importorskip("rasa")

from bot.engine.channels.guard import LONG_MESSAGE, MAX_NLU_CHARS  # noqa: E402
from bot.engine.channels.socketio import GuardedSocketIOInput  # noqa: E402


class Widget:
    """A connected socket on a channel, recording what the server emits."""

    def __init__(self, bot, session_persistence: bool = True) -> None:
        self.channel = GuardedSocketIOInput(session_persistence=session_persistence)
        self.channel.blueprint(bot)
        self.sent: list[tuple] = []

        async def emit(event, data, room=None, **kwargs):
            self.sent.append((event, data, room))

        self.channel.sio.emit = emit
        self.handlers = self.channel.sio.handlers["/"]
        self.sockets = 0

    def connect(self) -> str:
        self.sockets += 1
        return asyncio.run(self.channel.sio.manager.pre_connect(f"engine-io-sid-{self.sockets}", "/"))

    def session(self, sid: str, requested=None) -> str:
        asyncio.run(self.handlers["session_request"](sid, {"session_id": requested} if requested else {}))
        event, session_id, room = self.sent[-1]
        assert (event, room) == ("session_confirm", sid)
        return session_id

    def say(self, sid: str, data: dict) -> None:
        asyncio.run(self.handlers["user_uttered"](sid, data))


def test_ordinary_message_reaches_the_bot_unchanged(bot):
    w = Widget(bot)
    sid = w.connect()
    session = w.session(sid)
    w.say(sid, {"message": "what does 2.3 of unit 206 mean?", "session_id": session, "metadata": {"page": "x"}})
    [message] = bot.messages
    assert (message.text, message.sender_id, message.metadata) == ("what does 2.3 of unit 206 mean?", session,
                                                                   {"page": "x"})
    assert message.input_channel == "socketio"


def test_long_message_is_kept_from_the_nlu_with_its_full_text_in_metadata(bot):
    w = Widget(bot)
    sid = w.connect()
    text = "customer service " * (MAX_NLU_CHARS // 10)
    w.say(sid, {"message": text, "session_id": w.session(sid)})
    [message] = bot.messages
    assert message.text == LONG_MESSAGE
    assert message.metadata["full_text"] == text.strip()


def test_nul_bytes_are_dropped(bot):
    w = Widget(bot, session_persistence=False)
    w.say("sid-2", {"message": "hi\x00there"})
    assert bot.messages[0].text == "hithere" and bot.messages[0].sender_id == "sid-2"


def test_session_request_joins_the_session_room_so_answers_reach_the_widget(bot):
    # Rasa 3.6's own handler forgets to await enter_room (RasaHQ/rasa#13027): no answer ever arrives
    w = Widget(bot)
    sid = w.connect()
    session = w.session(sid)
    assert [p[0] for p in w.channel.sio.manager.get_participants("/", session)] == [sid]


def test_a_client_cannot_choose_its_session_or_join_another(bot):
    w = Widget(bot)
    victim_sid, attacker_sid = w.connect(), w.connect()
    victim = w.session(victim_sid)
    for requested in ("slack:T1:U2", "teams:29:abc", "s-9", victim.split(".")[0] + ".0" * 16):
        got = w.session(attacker_sid, requested)
        assert got != requested and got != victim
        assert attacker_sid not in [p[0] for p in w.channel.sio.manager.get_participants("/", victim)]
    # naming the victim's session (or a Slack user) in a message changes nothing: it is the socket's own
    for named in (victim, "slack:T1:U2"):
        w.say(attacker_sid, {"message": "sign", "session_id": named})
    assert {m.sender_id for m in bot.messages} == {got}


def test_a_widget_keeps_a_session_the_server_issued(bot):
    w = Widget(bot)
    first = w.session(w.connect())
    assert w.session(w.connect(), first) == first  # a reload brings back the id it was given


def test_a_message_before_any_session_is_refused(bot):
    w = Widget(bot)
    w.say(w.connect(), {"message": "hello", "session_id": "slack:T1:U2"})
    assert bot.messages == [] and "start a session" in w.sent[-1][1]["text"]


def test_a_staff_token_is_passed_on_as_its_hash_and_a_forged_hash_is_dropped(bot):
    w = Widget(bot)
    sid = w.connect()
    session = w.session(sid)
    w.say(sid, {"message": "hello", "session_id": session, "metadata": {"staff_token_sha256": "f" * 64}})
    w.say(sid, {"message": "hello", "session_id": session, "auth_token": "tok-1"})
    assert "staff_token_sha256" not in bot.messages[0].metadata
    assert bot.messages[1].metadata["staff_token_sha256"] == hashlib.sha256(b"tok-1").hexdigest()
    assert "tok-1" not in repr(bot.messages[1].metadata)


def test_clients_are_not_offered_the_broken_websocket_upgrade(bot):
    channel = GuardedSocketIOInput()
    channel.blueprint(bot)
    assert channel.sio.eio.allow_upgrades is False


@pytest.mark.parametrize("opening", [None, "", "   "], ids=["null", "empty", "blank"])
def test_a_null_or_empty_opening_message_starts_the_session_with_the_greeting(bot, opening):
    # Rasa Webchat opens a conversation by sending {"message": null} (no initPayload): greet, not "Sorry..."
    w = Widget(bot)
    sid = w.connect()
    session = w.session(sid)
    w.say(sid, {"message": opening, "session_id": session})
    w.say(sid, {"message": "", "session_id": session})  # a later empty message is not answered
    w.say(sid, {"message": "hello", "session_id": session})
    assert [(m.text, m.sender_id) for m in bot.messages] == [("/greet", session), ("hello", session)]


def test_a_message_without_a_message_field_opens_with_the_greeting_too(bot):
    w = Widget(bot)
    sid = w.connect()
    w.say(sid, {"session_id": w.session(sid)})
    assert [m.text for m in bot.messages] == ["/greet"]


def test_replies_go_out_as_one_markdown_message_with_quick_replies(bot):
    # Rasa Webchat renders CommonMark: *bold* would be italic, single line breaks joined, "> " a quote
    w = Widget(bot)
    sid = w.connect()
    session = w.session(sid)
    w.say(sid, {"message": "hello", "session_id": session})
    assert w.sent[-1] == ("bot_uttered", {"text": "Hello **there**"}, session)  # the bot's answer in the turn
    out = bot.messages[0].output_channel
    text = "*1.2* (2 of 5)\n> “Describe the importance of active listening”\n- one\n- two\n_(City & Guilds, line 20)_"
    asyncio.run(out.send_text_with_buttons(session, text, [{"title": "Met", "payload": "met"},
                                                           {"title": "Not yet met", "payload": "not yet met"}]))
    event, sent, room = w.sent[-1]
    assert (event, room) == ("bot_uttered", session)
    assert sent == {"text": "**1.2** (2 of 5)\n\n\\> “Describe the importance of active listening”\n\n- one\n- two\n\n"
                            "*(City & Guilds, line 20)*",
                    "quick_replies": [{"content_type": "text", "title": "Met", "payload": "met"},
                                      {"content_type": "text", "title": "Not yet met", "payload": "not yet met"}]}
    assert isinstance(w.channel.get_output_channel(), type(out))  # messages sent outside a turn too
