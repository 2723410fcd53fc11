"""Which planned criterion an assessor means by words of its text: "the complaints one", "the one
about body language".

Each word of the description is looked for in every criterion's text, allowing plurals, endings and
small typos ("complaint" for "complaints", "langauge"). A word found in many criteria says little
("customers"), so it counts for less. The best criterion wins only when it alone has the top score
and covers at least half the description; otherwise the caller asks which one was meant.
"""
from __future__ import annotations

import re
from typing import Sequence, TypeVar

from rapidfuzz.distance import DamerauLevenshtein

K = TypeVar("K")

# words that describe no criterion ("the one about how they ...")
_STOP = {"the", "a", "an", "one", "about", "on", "of", "to", "and", "or", "with", "for", "in", "their", "they",
         "her", "his", "them", "it", "its", "how", "what", "why", "when", "that", "this", "is", "are", "be", "bit",
         "criterion", "question", "point", "ac", "pc", "where", "she", "he", "you", "your", "re", "regarding",
         "covering", "around", "thing", "stuff", "explain", "explaining", "describe", "describing", "identify",
         "outline", "state", "list"}


def words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-z][a-z'’-]*", text.lower()):
        w = re.sub(r"['’]s$", "", w).strip("'’-")
        if len(w) > 1 and w not in _STOP:
            out.append(w)
    return out


def _same(a: str, b: str) -> bool:
    """One word for the other: equal, a common stem of five letters ("complaints"/"complaint",
    "listening"/"listen"), the end of a compound ("phone"), or a small typo in a long word."""
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5] and abs(len(a) - len(b)) <= 3:
        return True
    if min(len(a), len(b)) >= 5 and (a.endswith(b) or b.endswith(a)):  # "phone" in "telephone"
        return True
    return min(len(a), len(b)) >= 5 and DamerauLevenshtein.normalized_similarity(a, b) >= 0.8


def match(description: str, criteria: Sequence[tuple[K, str]]) -> list[K]:
    """The criteria (keys) the description names: one when it is clear, several when it could be any of
    them (best first), none when no criterion reads like it."""
    wanted = words(description)
    if not wanted:
        return []
    texts = [(key, set(words(text))) for key, text in criteria]
    found = {w: [key for key, ws in texts if any(_same(w, t) for t in ws)] for w in wanted}
    scores = []
    for key, _ in texts:
        hits = [w for w in wanted if key in found[w]]
        # a word in every criterion still counts a little, so "customers" alone is not nothing
        weight = sum(1.0 / len(found[w]) for w in hits)
        scores.append((len(hits), weight, key))
    enough = (len(wanted) + 1) // 2
    ranked = sorted((s for s in scores if s[0] >= enough), key=lambda s: (s[0], s[1]), reverse=True)
    if not ranked:
        return []
    best = ranked[0][:2]
    return [key for n, weight, key in ranked if (n, weight) == best]
