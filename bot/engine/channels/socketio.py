"""Rasa's socket.io channel with the long-message guard (bot/engine/channels/guard.py). Same events and
path as Rasa's own (`session_request`/`session_confirm`, `user_uttered` in, `bot_uttered` out,
/socket.io).

It also mends `session_request`: Rasa 3.6 calls python-socketio's `enter_room` without awaiting it,
and since python-socketio 5.10 made that a coroutine, the socket never joins its session's room and
no answer reaches a widget that keeps its session (RasaHQ/rasa#13027). And it offers clients
HTTP long-polling only: python-engineio's websocket transport for Sanic does not work with the
Sanic 21 that Rasa 3.6 runs on (the handshake answer corrupts the stream), so a client that
upgraded would lose its connection. Socket.IO clients, Rasa Webchat among them, poll by default.

Session ids are the server's (bot/engine/channels/identity.py, issue 14.1): `session_request` keeps
a client's id only if this server signed it, and a message is always taken as from the session its
socket was confirmed in, whatever `session_id` it names, so no client joins another's room or
speaks as another sender. A staff token may come in the message's `auth_token`; it is passed on as
its hash and never kept.

A null or empty first message on a socket (Rasa Webchat sends one when it opens a conversation with
no initPayload) starts the session with the greeting ("/greet"), instead of an empty message the bot
cannot understand; a later empty message is dropped (issue 18).

Replies go out in Markdown (CommonMark, what Rasa Webchat renders), one message per reply with its
buttons as quick replies: the same rendering step as Teams (bot/engine/channels/render.py)."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.engine.channels.guard import guard
from bot.engine.channels.identity import SessionIds, with_staff_token
from bot.engine.channels.render import buttons_of, markdown
from bot.engine.settings import engine_settings


GREETING = "/greet"  # the intent a new conversation starts with (the web chat page sends it too)


class MarkdownSocketIOOutput(SocketIOOutput):
    """Each reply as one `bot_uttered` message in Markdown (bot/engine/channels/render.py), its buttons
    as the widget's quick replies. Rasa's own output splits a text at blank lines into several bubbles,
    which would cut a reply (and its list) apart once Markdown separates its lines by blank lines."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": markdown(text.strip())})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        replies = [{"content_type": "text", "title": title, "payload": payload} for title, payload in buttons_of(buttons)]
        await self._send_message(recipient_id, {"text": markdown(text.strip()), "quick_replies": replies})


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        return MarkdownSocketIOOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> Any:
            metadata = message.metadata if isinstance(message.metadata, dict) else None
            message.text, message.metadata = guard(message.text, metadata)
            return await on_new_message(message)

        blueprint = super().blueprint(guarded)
        sio = self.sio
        sio.eio.allow_upgrades = False
        sio.eio.max_http_buffer_size = engine_settings().max_request_bytes  # as Sanic's (bot/engine/limits.py)

        ids = SessionIds(engine_settings().socketio_session_secret)
        confirmed: dict[str, str] = {}  # socket id -> the session it was confirmed in
        spoken: set[str] = set()  # sockets that have sent a message

        async def to_bot(sid: str, data: dict) -> None:
            """Rasa's handle_message, answering through MarkdownSocketIOOutput."""
            sender = data["session_id"] if self.session_persistence else sid
            await guarded(UserMessage(data["message"], MarkdownSocketIOOutput(sio, self.bot_message_evt), sender,
                                      input_channel=self.name(), metadata=data.get(self.metadata_key)))

        async def session_request(sid: str, data: Optional[dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = confirmed[sid] = ids.accept(data.get("session_id"))
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        async def user_message(sid: str, data: Any) -> None:
            data = dict(data) if isinstance(data, dict) else {}
            first = sid not in spoken
            spoken.add(sid)
            if not isinstance(data.get("message"), str) or not data["message"].strip():
                if not first:
                    return
                data["message"] = GREETING
            if self.session_persistence:
                if sid not in confirmed:
                    await sio.emit(self.bot_message_evt, {"text": "Please start a session first (session_request)."},
                                   room=sid)
                    return
                data["session_id"] = confirmed[sid]
            metadata = data.get(self.metadata_key)
            data[self.metadata_key] = with_staff_token(metadata if isinstance(metadata, dict) else None,
                                                       data.pop("auth_token", None) if isinstance(data.get("auth_token"), str) else None)
            await to_bot(sid, data)

        async def disconnect(sid: str) -> None:
            confirmed.pop(sid, None)
            spoken.discard(sid)

        sio.on("session_request", namespace=self.namespace)(session_request)  # replaces Rasa's handlers
        sio.on(self.user_message_evt, namespace=self.namespace)(user_message)
        sio.on("disconnect", namespace=self.namespace)(disconnect)
        return blueprint
