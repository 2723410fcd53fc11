"""The one request-body limit of every process (issue 14.12): the API, the Rasa servers' REST,
socket.io, Slack and Teams webhooks. Standard library only: the Rasa engine imports it too.

MAX_REQUEST_BYTES sets it (default 1 MiB: a chat message is at most a few kB, the longest answer
the records take 20,000 characters, a Slack or Teams delivery a few kB). The one exception is the
catalogue import, whose body is a whole specification file (catalogue.interchange.MAX_BYTES).
"""
from __future__ import annotations

from typing import Optional

DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def too_large(limit: int, size: Optional[int] = None) -> str:
    """The sentence a refused request gets (with HTTP 413)."""
    sent = f"This request is {_size(size)}" if size else "This request is too large"
    return (f"{sent}; the assistant accepts at most {_size(limit)} in one request. "
            "Send a shorter message (or split it into several), and nothing of this one was kept.")
