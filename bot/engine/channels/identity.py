"""Who a REST or socket.io message comes from, as far as the engine can tell (issue 14.1).

Neither channel verifies anyone, so neither may speak for a verified channel's users: a sender id
with a Slack or Teams prefix is refused there. A staff member proves who they are with an API
token (`Authorization: Bearer ...`, issued by the API); the engine has no database, so it passes
the token's SHA-256 on in the message metadata (STAFF_KEY) and the action server looks it up
(bot/records/people.py). Whatever a client puts under that key itself is dropped. Without a token
the sender is an anonymous learner. Standard library only: this runs inside the Rasa engine.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any, Optional

STAFF_KEY = "staff_token_sha256"
VERIFIED_PREFIXES = ("slack:", "teams:")


def spoofs_verified_channel(sender: Any) -> bool:
    return isinstance(sender, str) and sender.lower().startswith(VERIFIED_PREFIXES)


def bearer(authorization: Optional[str]) -> Optional[str]:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def with_staff_token(metadata: Optional[dict[str, Any]], token: Optional[str]) -> dict[str, Any]:
    """The metadata without any client-supplied STAFF_KEY, plus the hash of a presented token."""
    clean = {k: v for k, v in (metadata or {}).items() if k != STAFF_KEY}
    if token:
        clean[STAFF_KEY] = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return clean


class SessionIds:
    """Socket.io session ids issued by the server: '<uuid>.<hmac>'. A client may bring back an id
    it was given (a widget keeps its session over a reload) but cannot make one up, so it cannot
    join another session's room or speak as another sender."""

    def __init__(self, secret: str = "") -> None:
        # no secret configured: a random one, so ids are valid for this process's lifetime only
        self._key = (secret or secrets.token_hex(32)).encode("utf-8")

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        nonce = uuid.uuid4().hex
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, session_id: Any) -> bool:
        if not isinstance(session_id, str) or session_id.count(".") != 1:
            return False
        nonce, sig = session_id.split(".")
        return len(nonce) == 32 and nonce.isalnum() and hmac.compare_digest(sig, self._sign(nonce))

    def accept(self, requested: Any) -> str:
        """The client's id if this server issued it, else a new one."""
        return requested if self.valid(requested) else self.issue()
