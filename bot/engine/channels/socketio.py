"""Rasa's socket.io channel with the long-message guard (bot/engine/channels/guard.py). Same events and
path as Rasa's own (`session_request`/`session_confirm`, `user_uttered` in, `bot_uttered` out,
/socket.io).

It also mends `session_request`: Rasa 3.6 calls python-socketio's `enter_room` without awaiting it,
and since python-socketio 5.10 made that a coroutine, the socket never joins its session's room and
no answer reaches a widget that keeps its session (RasaHQ/rasa#13027). And it offers clients
HTTP long-polling only: python-engineio's websocket transport for Sanic does not work with the
Sanic 21 that Rasa 3.6 runs on (the handshake answer corrupts the stream), so a client that
upgraded would lose its connection. Socket.IO clients, Rasa Webchat among them, poll by default."""
from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.engine.channels.guard import guard


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> Any:
            metadata = message.metadata if isinstance(message.metadata, dict) else None
            message.text, message.metadata = guard(message.text, metadata)
            return await on_new_message(message)

        blueprint = super().blueprint(guarded)
        sio = self.sio
        sio.eio.allow_upgrades = False

        async def session_request(sid: str, data: Optional[dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        sio.on("session_request", namespace=self.namespace)(session_request)  # replaces Rasa's handler
        return blueprint
