"""The API's request-body limit (bot/limits.py), as ASGI middleware in front of every route.

The body is read (up to the limit, never further) before the route runs, so a route never sees
part of a refused request. The catalogue import streams its own, larger, limit.
"""
from __future__ import annotations

import json

from bot.limits import too_large

OWN_LIMIT = ("/api/catalogue/imports",)  # reads its body itself, up to catalogue.interchange.MAX_BYTES


class BodyLimit:
    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] in OWN_LIMIT:
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send, int(declared))
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see that
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return await self._refuse(send, None)
            if not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send, size) -> None:
        body = json.dumps({"detail": too_large(self.max_bytes, size)}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
