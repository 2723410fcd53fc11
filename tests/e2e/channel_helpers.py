"""Shared by the Slack and Teams end-to-end tests: posting to a webhook, comparing with REST answers.

A channel must say exactly what the bot says (the REST channel is the reference), only rendered for
the service. Rasa's REST channel cuts a plain text answer at blank lines into several messages while
the chat services get it whole, so transcripts are compared as one text with blank lines normalised.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Callable

from bot.engine.channels.render import buttons_of


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 30.0) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def normalise(text: str) -> str:
    return re.sub(r"\n{2,}", "\n\n", text).strip()


def rest_transcript(replies: list[dict], render: Callable[[str], str]) -> tuple[str, list[tuple[str, str]]]:
    """What the channel should show for these REST replies: rendered text and (title, payload) buttons."""
    text = normalise(render("\n\n".join(r.get("text") or "" for r in replies if r.get("text"))))
    buttons = [pair for r in replies for pair in buttons_of(r.get("buttons"))]
    return text, buttons


def await_transcript(wait_until: Callable, current: Callable[[], tuple[str, list]], expected: tuple[str, list],
                     timeout: float = 60.0) -> None:
    """Wait until the channel's transcript equals `expected`; on time-out, fail showing both."""
    try:
        wait_until(lambda: current() == expected, timeout)
    except TimeoutError:
        got = current()
        assert got == expected, "the channel did not deliver the bot's answer as REST gives it"
