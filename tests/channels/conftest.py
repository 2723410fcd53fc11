"""Channel tests run in the Rasa engine environment (.venv-rasa), where the connectors run:
  .venv-rasa/bin/python -m pytest tests/channels
Modules that need Rasa skip themselves elsewhere; render and dedupe tests run anywhere."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest


class RecordingBot:
    """Stands in for Rasa's agent: keeps each UserMessage and answers through its output channel."""

    def __init__(self, answer: dict | None = None) -> None:
        self.messages: list[Any] = []
        self.answer = answer if answer is not None else {"text": "Hello *there*"}

    async def __call__(self, message: Any) -> None:
        self.messages.append(message)
        reply = dict(self.answer)
        if "buttons" in reply:
            reply["buttons"] = [dict(b) for b in reply["buttons"]]
        if reply.get("text"):
            reply["text"] = reply["text"].replace("{text}", message.text)
        await message.output_channel.send_response(message.sender_id, reply)


async def settle(channel: Any) -> None:
    """Wait for the answers a channel handles in the background after acknowledging."""
    while channel._tasks:
        await asyncio.gather(*list(channel._tasks))


@pytest.fixture
def bot() -> RecordingBot:
    return RecordingBot()
