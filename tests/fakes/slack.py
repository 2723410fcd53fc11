"""Fake Slack: the Web API methods the bot calls, plus builders for signed Events API requests.

The Web API part answers like slack.com/api/ does (HTTP 200 with {"ok": ...}), checks the bot token
and keeps every posted message. The request builders produce what Slack itself would POST to the
bot's webhook: an event_callback envelope or a block_actions form, signed with v0 HMAC-SHA256.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from tests.fakes.server import FakeServer, Request

TEAM_ID = "T0CSTEAM1"
BOT_USER_ID = "U0CSBOT01"
BOT_ID = "B0CSBOT01"
APP_ID = "A0CSAPP01"


class FakeSlack(FakeServer):
    def __init__(self) -> None:
        self.token = "xoxb-fake-" + secrets.token_hex(8)
        self.signing_secret = secrets.token_hex(16)
        self.posted: list[dict] = []  # chat.postMessage arguments, in order
        self.updated: list[dict] = []  # chat.update arguments
        self._ts = 1_700_000_000.000100
        self._ts_lock = threading.Lock()
        super().__init__()
        self.api_url = f"{self.url}/api/"

    # ---- Web API ---------------------------------------------------------------------------

    def _next_ts(self) -> str:
        with self._ts_lock:
            self._ts += 1
            return f"{self._ts:.6f}"

    def handle(self, request: Request) -> tuple[int, Any]:
        if not request.path.startswith("/api/"):
            return 404, {"ok": False, "error": "unknown_path"}
        method = request.path[len("/api/"):]
        if "json" in request.headers.get("content-type", ""):
            args = request.json()
        else:
            args = request.form()
        token = request.headers.get("authorization", "").removeprefix("Bearer ") or args.get("token", "")
        if token != self.token:
            return 200, {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return 200, {"ok": True, "url": "https://fake.slack.test/", "team": "Fake team", "user": "assessor-bot",
                         "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            if not args.get("channel"):
                return 200, {"ok": False, "error": "channel_not_found"}
            if not args.get("text") and not args.get("blocks"):
                return 200, {"ok": False, "error": "no_text"}
            ts = self._next_ts()
            self.posted.append(dict(args, ts=ts))
            return 200, {"ok": True, "channel": args["channel"], "ts": ts,
                         "message": {"type": "message", "bot_id": BOT_ID, "text": args.get("text", ""), "ts": ts}}
        if method == "chat.update":
            self.updated.append(dict(args))
            return 200, {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        return 200, {"ok": False, "error": "unknown_method"}

    def messages(self, channel: str | None = None, after: int = 0) -> list[dict]:
        return [m for m in self.posted[after:] if channel is None or m["channel"] == channel]

    def wait_for_messages(self, channel: str, count: int = 1, after: int = 0, timeout: float = 60.0,
                          settle: float = 1.0) -> list[dict]:
        """At least `count` messages posted to `channel` since index `after`; then waits `settle`
        seconds more so that the rest of a multi-message answer is included."""
        self.wait_until(lambda: len(self.messages(channel, after)) >= count, timeout)
        time.sleep(settle)
        return self.messages(channel, after)

    # ---- requests Slack would send to the bot -------------------------------------------------

    def sign(self, body: bytes, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        base = b"v0:" + ts.encode() + b":" + body
        digest = hmac.new((secret or self.signing_secret).encode(), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}

    @staticmethod
    def event(text: str, user: str = "U0LEARNER", channel: str = "D0DIRECT1", kind: str = "message",
              channel_type: str = "im", thread_ts: str | None = None, team: str = TEAM_ID,
              event_id: str | None = None, ts: str | None = None, **extra: Any) -> dict:
        """An Events API event_callback envelope, as Slack posts it."""
        ts = ts or f"{time.time():.6f}"
        event = {"type": kind, "user": user, "text": text, "ts": ts, "channel": channel,
                 "event_ts": ts, "team": team, **extra}
        if kind == "message":
            event["channel_type"] = channel_type
        if thread_ts:
            event["thread_ts"] = thread_ts
        return {
            "token": "deprecated-verification-token", "team_id": team, "api_app_id": APP_ID,
            "event": event, "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(), "event_time": int(float(ts)),
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": BOT_USER_ID,
                                "is_bot": True, "is_enterprise_install": False}],
        }

    @staticmethod
    def click(message: dict, button: dict, user: str = "U0LEARNER", team: str = TEAM_ID) -> dict:
        """A block_actions payload for a click on `button` (a Block Kit element) under a message the
        bot posted (`message`, as captured by the fake)."""
        container = {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"],
                     "is_ephemeral": False}
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        return {
            "type": "block_actions", "api_app_id": APP_ID, "token": "deprecated-verification-token",
            "team": {"id": team, "domain": "fake"},
            "user": {"id": user, "username": "learner", "team_id": team},
            "container": container, "trigger_id": f"{int(time.time())}.{uuid.uuid4().int % 10**12}.x",
            "channel": {"id": message["channel"], "name": "directmessage"},
            "message": {"type": "message", "ts": message["ts"], "text": message.get("text", ""),
                        "bot_id": BOT_ID, "blocks": message.get("blocks") or [],
                        **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {})},
            "response_url": "https://hooks.slack.test/actions/fake",
            "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "reply-buttons-0",
                         "text": button["text"], "value": button["value"], "action_ts": f"{time.time():.6f}"}],
        }

    def signed_event(self, envelope: dict, **sign_args: Any) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(envelope).encode()
        return body, {"Content-Type": "application/json", **self.sign(body, **sign_args)}

    def signed_click(self, payload: dict, **sign_args: Any) -> tuple[bytes, dict[str, str]]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, {"Content-Type": "application/x-www-form-urlencoded", **self.sign(body, **sign_args)}


def buttons_in(message: dict) -> list[dict]:
    """The Block Kit buttons of a posted message."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [e for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]


def text_of(message: dict) -> str:
    """The mrkdwn text of a posted message's sections (what a person reads)."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section")
