"""Rasa's REST channel with the long-message guard (bot/engine/channels/guard.py). Same webhook path:
/webhooks/rest/webhook."""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.engine.channels.guard import guard


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[str]:
        return guard((req.json or {}).get("message"))[0]

    def get_metadata(self, request: Request) -> Optional[dict[str, Any]]:
        body = request.json or {}
        metadata = body.get("metadata")
        return guard(body.get("message"), metadata if isinstance(metadata, dict) else None)[1]
