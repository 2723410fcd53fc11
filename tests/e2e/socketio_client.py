"""A minimal Socket.IO client (Socket.IO 5 over Engine.IO 4 HTTP long-polling), enough to talk to the
bot as a chat widget such as Rasa Webchat does: connect, session_request, user_uttered, bot_uttered."""
from __future__ import annotations

import json
import time

import httpx

SEPARATOR = "\x1e"  # between Engine.IO packets in one polling payload


class SocketIOChat:
    def __init__(self, rasa_url: str) -> None:
        self.http = httpx.Client(timeout=60)
        self.url = f"{rasa_url}/socket.io/?EIO=4&transport=polling"
        self.pending: list[str] = []
        opened = self._poll()[0]
        assert opened.startswith("0"), opened  # Engine.IO open packet
        self.handshake = json.loads(opened[1:])
        self.url += f"&sid={self.handshake['sid']}"
        self._post("40")  # Socket.IO connect to the default namespace
        assert self._packet().startswith("40")

    def close(self) -> None:
        self._post("1")
        self.http.close()

    def _poll(self) -> list[str]:
        r = self.http.get(self.url)
        r.raise_for_status()
        return r.text.split(SEPARATOR)

    def _post(self, packet: str) -> None:
        self.http.post(self.url, content=packet, headers={"Content-Type": "text/plain;charset=UTF-8"}).raise_for_status()

    def _packet(self) -> str:
        while not self.pending:
            for packet in self._poll():
                if packet == "2":  # the server's ping (every 25 s at most): answer, or it drops the session
                    self._post("3")
                if packet != "6":  # noop
                    self.pending.append(packet)
        return self.pending.pop(0)

    def emit(self, event: str, data) -> None:
        self._post("42" + json.dumps([event, data]))

    def event(self) -> tuple[str, object]:
        """The next event, or ("ping", None) when a poll ended with only the server's ping."""
        packet = self._packet()
        while not packet.startswith("42") and packet != "2":
            packet = self._packet()
        if packet == "2":
            return "ping", None
        name, *args = json.loads(packet[2:])
        return name, args[0] if args else None

    def session(self, session_id: str | None = None) -> str:
        """Ask for a session (or to keep `session_id`); returns the id the server confirmed."""
        self.emit("session_request", {"session_id": session_id} if session_id else {})
        name, confirmed = self.event()
        assert name == "session_confirm" and isinstance(confirmed, str), (name, confirmed)
        return confirmed

    def say(self, session_id: str, text: str | None, until: str, timeout: float = 60,
            auth_token: str | None = None) -> str:
        """Send a message (with a staff API token, when given) and read the bot's answers (`bot_uttered`)
        until their text holds `until`. (A long-poll is never cut short: the server would hand the next
        packet to the dropped poll.)"""
        self.emit("user_uttered", {"message": text, "session_id": session_id,
                                   **({"auth_token": auth_token} if auth_token else {})})
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while until not in "\n".join(seen):
            assert time.monotonic() < deadline, f"no answer with {until!r} in {timeout}s; got {seen}"
            name, data = self.event()
            if name == "bot_uttered" and isinstance(data, dict):
                seen.append(data.get("text") or "")
        return "\n".join(seen)
