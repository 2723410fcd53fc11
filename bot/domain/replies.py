"""What the assistant says: channel-neutral replies.

Every conversation module (learner answers, the professional discussion) returns a list of `Reply`.
The actions turn them into Rasa messages (text + buttons); the channel connectors render buttons as
Block Kit (Slack) or Adaptive Cards (Teams). Plain text uses light Markdown: `*bold*` and "- " lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# A chat message longer than this is split, with an offer to show more.
MAX_REPLY_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Button:
    title: str
    payload: str  # what the bot receives when clicked: a slash-intent ("/ask_unit_info{...}") or plain text


@dataclass(slots=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    source: str | None = None  # e.g. "NCFE Level 1 Certificate, rules of combination"

    def render(self) -> str:
        """Text with its source attribution, as shown in the chat."""
        return f"{self.text}\n_({self.source})_" if self.source else self.text

    def to_rasa(self) -> dict:
        message: dict = {"text": self.render()}
        if self.buttons:
            message["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return message
