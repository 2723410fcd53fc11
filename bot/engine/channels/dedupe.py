"""Remembering which deliveries were already handled, so a retried delivery never answers twice."""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable


class SeenKeys:
    """A bounded set of keys that forgets each key `ttl` seconds after it was first seen.

    Slack retries an event up to three times within about an hour when the first delivery was not
    acknowledged fast enough; Bot Framework may re-post an activity. One process handles a channel,
    so an in-memory set is enough.
    """

    def __init__(self, ttl: float = 3600.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, *keys: str | None) -> bool:
        """Record the keys; True unless any of them was seen within the last `ttl` seconds."""
        now = self._clock()
        self._expire(now)
        keys = tuple(k for k in keys if k)
        if any(k in self._seen for k in keys):
            return False
        for key in keys:
            self._seen[key] = now
        while len(self._seen) > self._max:
            self._seen.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        while self._seen:
            key, when = next(iter(self._seen.items()))
            if now - when < self._ttl:
                break
            self._seen.popitem(last=False)
