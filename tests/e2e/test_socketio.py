"""The socket.io channel, as a chat widget uses it (Socket.IO over HTTP long-polling, session kept),
against the real Rasa server and action server."""
import uuid

import pytest

from tests.e2e.socketio_client import SocketIOChat

pytestmark = pytest.mark.e2e


def test_socketio_conversation_with_custom_action_and_long_message_guard(stack):
    chat = SocketIOChat(stack.services["rasa"].url)
    try:
        assert chat.handshake["upgrades"] == []  # websocket is not offered (bot/engine/channels/socketio.py)
        wanted = f"slack:T1:U-{uuid.uuid4().hex[:8]}"
        session = chat.session(wanted)
        assert session != wanted  # the server issues session ids; a client cannot pick one
        # Rasa Webchat's opening {"message": null}: a greeting, not "Sorry, I'm not sure what you meant"
        opening = chat.say(session, None, until="assistant")
        assert "qualifications assistant" in opening and "not sure" not in opening
        assert "qualifications assistant" in chat.say(session, "hello", until="assistant")
        unit = chat.say(session, "tell me about K/506/2155", until="Make telephone calls to customers")
        assert "K/506/2155" in unit
        # Markdown, as Rasa Webchat renders it: bold in **, one list with its numbered outcomes inside
        assert unit.startswith("**Make telephone calls to customers** (K/506/2155)\n\n- Level 2"), unit
        assert "\n  1. Understand how to make telephone calls to customers (8 criteria)\n  2. " in unit, unit
        assert "too long" in chat.say(session, "customer service " * 6_000, until="too long")
    finally:
        chat.close()
