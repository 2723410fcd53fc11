"""What the Slack and Teams connectors share: one signed webhook that acknowledges at once and
answers in the background (both services re-send a delivery that is not acknowledged quickly)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Result:
    status: int
    body: Any = ""  # dict -> JSON, str -> text


class WebhookChannel(InputChannel):
    """An InputChannel with GET / (health) and POST /webhook, handled by `handle`."""

    _tasks: set[asyncio.Task]  # set by the subclass's __init__

    async def handle(self, headers: Mapping[str, str], body: bytes, on_new_message: OnNewMessage) -> Result:
        raise NotImplementedError

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        hook = Blueprint(f"cs_{self.name()}_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            result = await self.handle(request.headers, request.body, on_new_message)
            if isinstance(result.body, dict):
                return response.json(result.body, status=result.status)
            return response.text(result.body, status=result.status)

        return hook

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # keep a reference until done, or the task may be collected
        task.add_done_callback(self._tasks.discard)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that works for plain dicts as well as Sanic's headers."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value
