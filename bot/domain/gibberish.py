"""Is a message keyboard mashing? ("asdfgh", "kjhkjh", ";lkj;lkj").

DIET must put every message in some intent, and mashed keys tend to land on short intents like
`affirm` with middling confidence, above the fallback threshold. A message none of whose words the
assistant has ever seen (in its training data or in the specifications) and that holds no unit or
criterion number is answered as not understood instead.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[a-z]+")
# Chat shorthand people type that the training data may not happen to contain.
CHAT_WORDS = {"thx", "ty", "tx", "pls", "plz", "ok", "k", "kk", "np", "lol", "ta", "cya", "bye", "hi", "hey",
              "yo", "yh", "ye", "ya", "nah", "nope", "idk", "u", "ur", "r", "wot", "wat", "hw", "wt", "msg"}


@functools.lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    from catalogue import load_catalogue

    words: set[str] = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        words.update(WORD.findall(path.read_text("utf-8").lower()))
    cat = load_catalogue()
    for unit in cat.units.values():
        for spec in unit.specs.values():
            words.update(WORD.findall(spec.title.lower()))
            for c in spec.criteria:
                words.update(WORD.findall(c.text.lower()))
    return frozenset({w for w in words if len(w) > 1 or w in {"i", "a"}} | CHAT_WORDS)


def is_gibberish(text: str) -> bool:
    lowered = text.lower()
    if re.search(r"\d", lowered):
        return False  # "206", "2.3", "K/506/2155": references are never gibberish
    words = WORD.findall(lowered)
    if not words:
        return bool(lowered.strip())  # only punctuation or symbols
    known = vocabulary()
    return not any(w in known for w in words)
