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
def _training_words() -> frozenset[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        words.update(WORD.findall(path.read_text("utf-8").lower()))
    return frozenset(words)


def vocabulary(cat) -> frozenset[str]:
    """Every word of the training data and of the catalogue's unit titles and criteria (kept with
    the catalogue, so a qualification added at run time brings its words)."""
    known = cat.cache.get("gibberish.vocabulary")
    if known is None:
        words = set(_training_words())
        for unit in cat.units.values():
            for spec in unit.specs.values():
                words.update(WORD.findall(spec.title.lower()))
                for c in spec.criteria:
                    words.update(WORD.findall(c.text.lower()))
        known = cat.cache["gibberish.vocabulary"] = frozenset(
            {w for w in words if len(w) > 1 or w in {"i", "a"}} | CHAT_WORDS)
    return known


# A number alone (a pick: "2"), a criterion (2.3), a C&G unit (206), a unit or qualification code: a
# reference is never gibberish; digits mashed with symbols ("99//", "0/0") are no reference.
_REFERENCE = re.compile(r"^\s*\d{1,3}\s*[.!?]?\s*$|(?<![\d.])\d{1,2}\.\d{1,3}(?![\d.])|(?<![\d/])\d{3}(?![\d/])|"
                        r"[a-z]\s?/\s?\d{3}\s?/\s?\d{4}|\d{3}/\d{4}/\d|\b\d{8}\b")


def is_gibberish(text: str, cat) -> bool:
    lowered = text.lower()
    if _REFERENCE.search(lowered):
        return False
    words = WORD.findall(lowered)
    if not words:
        return bool(lowered.strip())  # only punctuation or symbols
    known = vocabulary(cat)
    return not any(w in known for w in words)
