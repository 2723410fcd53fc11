"""rasa-sdk's own plugin hook (rasa_sdk.plugin imports this package by name when the action server
starts): the action server answers /webhook only to Rasa, which proves itself with the shared secret
ACTION_SERVER_TOKEN in `Authorization: Bearer ...` (endpoints.yml sends it on every call).
Without a configured secret every call is refused: the server fails closed, never open."""
from __future__ import annotations

import hmac
import logging

import pluggy
from sanic import Sanic, response

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)
OPEN_PATHS = ("/health",)  # the health check carries no tracker and answers nothing personal


def authorised(header: str, token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    from bot.logsafe import install
    from bot.settings import Settings

    install()  # nothing personal in the action server's log (bot/logsafe.py)

    token = Settings().action_server_token or ""
    if not token:
        logger.warning("ACTION_SERVER_TOKEN is not set: the action server refuses every call.")

    @app.on_request
    async def require_token(request):
        if request.path in OPEN_PATHS or request.method == "OPTIONS":
            return None
        if not authorised(request.headers.get("authorization", ""), token):
            return response.json({"error": "This action server answers only the assistant's Rasa servers "
                                           "(Authorization: Bearer <ACTION_SERVER_TOKEN>)."}, status=401)
        return None


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(__import__(__name__, fromlist=["attach_sanic_app_extensions"]))
