"""Rasa's REST channel with the long-message guard (bot/engine/channels/guard.py) and the identity
rules of bot/engine/channels/identity.py: a Slack or Teams sender id is refused (403), a staff
token in `Authorization: Bearer` is passed on as its hash, anyone else is an anonymous learner.
Same webhook path: /webhooks/rest/webhook."""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.channels.rest import RestInput
from sanic.exceptions import Forbidden
from sanic.request import Request

from bot.engine.channels.guard import guard
from bot.engine.channels.identity import bearer, spoofs_verified_channel, with_staff_token


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = (req.json or {}).get("sender")
        if spoofs_verified_channel(sender):
            raise Forbidden("Slack and Teams users can only speak through their own channel's verified webhook.")
        return sender

    def _extract_message(self, req: Request) -> Optional[str]:
        return guard((req.json or {}).get("message"))[0]

    def get_metadata(self, request: Request) -> Optional[dict[str, Any]]:
        body = request.json or {}
        metadata = body.get("metadata")
        metadata = with_staff_token(metadata if isinstance(metadata, dict) else None,
                                    bearer(request.headers.get("authorization")))
        return guard(body.get("message"), metadata)[1]
