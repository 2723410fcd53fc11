"""Helpers shared by the actions."""
from __future__ import annotations

import logging

from rasa_sdk.executor import CollectingDispatcher

from bot.logsafe import failure

log = logging.getLogger(__name__)

SORRY = ("Sorry, something went wrong on my side while answering that, and nothing was lost. "
         "Please try again in a moment.")


def text_of(message: dict) -> str:
    """What the user typed: the full text when the channel kept a very long message from the NLU
    (bot/engine/channels/guard.py sends /long_message with the text in the metadata)."""
    full = (message.get("metadata") or {}).get("full_text")
    return full if isinstance(full, str) else (message.get("text") or "")


# The REST and socket.io channels pass a staff member's API token on as its hash under this key,
# after dropping any the client sent (bot/engine/channels/identity.py, STAFF_KEY).
STAFF_KEY = "staff_token_sha256"


def staff_of(message: dict) -> str | None:
    value = (message.get("metadata") or {}).get(STAFF_KEY)
    return value if isinstance(value, str) and value else None


def entities_of(message: dict) -> dict[str, list[str]]:
    """Rasa entities grouped by type: {"unit": ["206", "buddy a colleague"], ...}."""
    grouped: dict[str, list[str]] = {}
    for e in message.get("entities") or []:
        value = e.get("value")
        if isinstance(value, str) and value.strip():
            grouped.setdefault(e["entity"], []).append(value.strip())
    return grouped


def safely(dispatcher: CollectingDispatcher, fn, *args):
    """Run one turn; on an unexpected error apologise (never a stack trace to the user).

    The log names the error type only: learners' answers stay out of application logs.
    """
    try:
        return fn(*args)
    except Exception as error:  # noqa: BLE001 - the user gets a clear reply, the log gets the type
        # frames only, never the exception message: it may quote what the learner typed
        log.error("turn failed: %s", failure(error))
        dispatcher.utter_message(text=SORRY)
        return None
