"""The socket.io channel: Rasa's own handler, with our long-message guard in front of the bot."""
import asyncio

import pytest

pytest.importorskip("rasa")

from bot.engine.channels.guard import LONG_MESSAGE, MAX_NLU_CHARS  # noqa: E402
from bot.engine.channels.socketio import GuardedSocketIOInput  # noqa: E402


def handler(channel: GuardedSocketIOInput, bot):
    channel.blueprint(bot)
    return channel.sio.handlers["/"]["user_uttered"]


def test_ordinary_message_reaches_the_bot_unchanged(bot):
    channel = GuardedSocketIOInput(session_persistence=True)
    asyncio.run(handler(channel, bot)("sid-1", {"message": "what does 2.3 of unit 206 mean?", "session_id": "s-1",
                                               "metadata": {"page": "x"}}))
    [message] = bot.messages
    assert (message.text, message.sender_id, message.metadata) == ("what does 2.3 of unit 206 mean?", "s-1",
                                                                   {"page": "x"})
    assert message.input_channel == "socketio"


def test_long_message_is_kept_from_the_nlu_with_its_full_text_in_metadata(bot):
    channel = GuardedSocketIOInput(session_persistence=True)
    text = "customer service " * (MAX_NLU_CHARS // 10)
    asyncio.run(handler(channel, bot)("sid-1", {"message": text, "session_id": "s-1"}))
    [message] = bot.messages
    assert message.text == LONG_MESSAGE
    assert message.metadata["full_text"] == text.strip()


def test_nul_bytes_are_dropped(bot):
    channel = GuardedSocketIOInput()
    asyncio.run(handler(channel, bot)("sid-2", {"message": "hi\x00there"}))
    assert bot.messages[0].text == "hithere" and bot.messages[0].sender_id == "sid-2"


def test_session_request_joins_the_session_room_so_answers_reach_the_widget(bot):
    # Rasa 3.6's own handler forgets to await enter_room (RasaHQ/rasa#13027): no answer ever arrives
    channel = GuardedSocketIOInput(session_persistence=True)
    channel.blueprint(bot)
    sent = []

    async def emit(event, data, room=None, **kwargs):
        sent.append((event, data, room))

    channel.sio.emit = emit

    async def connect_and_request() -> str:
        sid = await channel.sio.manager.pre_connect("engine-io-sid", "/")  # a connected socket
        await channel.sio.handlers["/"]["session_request"](sid, {"session_id": "s-9"})
        return sid

    sid = asyncio.run(connect_and_request())
    assert sent == [("session_confirm", "s-9", sid)]
    assert [p[0] for p in channel.sio.manager.get_participants("/", "s-9")] == [sid]


def test_clients_are_not_offered_the_broken_websocket_upgrade(bot):
    channel = GuardedSocketIOInput()
    channel.blueprint(bot)
    assert channel.sio.eio.allow_upgrades is False
