"""The qualification catalogue: five specification texts parsed into one validated model.

Plain Python, testable without Rasa. Public API:

    from catalogue import load_catalogue
    cat = load_catalogue()                 # built once per process, cached
    cat.unit("K/506/2155")                 # -> Unit (every source's view of it)
    catalogue.lookup / catalogue.rules     # fuzzy lookup, rules of combination
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing build here would pull in every parser on `import catalogue`
    from catalogue.build import Catalogue

_lock = threading.Lock()
_cached: "Catalogue | None" = None


def load_catalogue() -> "Catalogue":
    """The catalogue built from catalogue/sources, once per process (thread-safe).
    A SourceError propagates and nothing is cached, so a fixed file is picked up on the next call."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                from catalogue.build import build

                _cached = build()
    return _cached


def clear_cache() -> None:
    """Forget the cached catalogue (tests; after editing a source file)."""
    global _cached
    with _lock:
        _cached = None
