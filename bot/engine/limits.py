"""The Rasa server's request-body limit (bot/limits.py, MAX_REQUEST_BYTES): Sanic's own
REQUEST_MAX_SIZE (its default is 100 MB) on the app Rasa builds, which covers every route on it
(REST, socket.io polling, the Slack and Teams webhooks), and a 413 that says what to do instead of
Sanic's bare "Payload Too Large". Applied by bot/engine/patches.py."""
from __future__ import annotations

import functools

from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge

from bot.engine.settings import engine_settings
from bot.limits import too_large


def limit(app: Sanic, max_bytes: int) -> Sanic:
    app.config.REQUEST_MAX_SIZE = max_bytes

    async def refuse(request, _error: PayloadTooLarge):
        declared = request.headers.get("content-length", "") if request is not None else ""
        return response.json({"detail": too_large(max_bytes, int(declared) if declared.isdigit() else None)},
                             status=413)

    app.error_handler.add(PayloadTooLarge, refuse)
    return app


def limiting(configure_app):
    """rasa.core.run.configure_app, then the limit on the app it returns."""

    @functools.wraps(configure_app)
    def configure(*args, **kwargs):
        return limit(configure_app(*args, **kwargs), engine_settings().max_request_bytes)

    return configure
