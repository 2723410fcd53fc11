"""Keep very long messages away from the NLU model.

DIET's memory grows with the square of a message's length in tokens: a 100 kB paste took a Rasa
server past 12 GB. Every channel passes its text through `guard`, which replaces a message over
the limit by the intent payload `/long_message` and carries the full text in the metadata. The
actions then answer it without NLU: a learner's question that long gets "please send a shorter
message"; a professional-discussion answer is recorded (the records layer has its own 50 kB limit).
Standard library only: this runs inside the Rasa engine.
"""
from __future__ import annotations

from typing import Any, Optional

MAX_NLU_CHARS = 5000
MAX_NLU_WORDS = 800
LONG_MESSAGE = "/long_message"


def guard(text: Any, metadata: Optional[dict[str, Any]] = None) -> tuple[str, Optional[dict[str, Any]]]:
    """(text for Rasa, metadata). Non-text input becomes text; long text becomes /long_message."""
    if text is None:
        return "", metadata
    if not isinstance(text, str):
        text = str(text)
    text = text.replace("\x00", "")  # NUL bytes break tracker stores and logs, and mean nothing here
    if len(text) > MAX_NLU_CHARS or len(text.split()) > MAX_NLU_WORDS:
        return LONG_MESSAGE, {**(metadata or {}), "full_text": text}
    return text, metadata
