"""Matching for the learner answer evaluation (tests/eval/questions.yaml, scripts/eval_answers.py).

A turn's reply passes when every `expect` string appears in it, at least one string of each `any`
list appears, no `forbid` string appears and, if `first` is given, one of its words opens the reply.
Both sides are normalised the same way first (`normalise`): case, whitespace, markdown emphasis
(* _ ` >), curly quotes and dashes do not matter. A string that starts or ends with a digit matches
only as a whole token, so "3" is not found in "2013", "3.1", "2.3" or "A/506/2130".
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                        "“": '"', "”": '"', "„": '"', "″": '"'})
DASHES = re.compile(r"[‐‑‒–—―−]")
EMPHASIS = re.compile(r"[*_`>]")
SPACE = re.compile(r"\s+")
OPENING = 200  # characters of the reply in which a `first` word must appear (the verdict comes first)
TURN_KEYS = {"say", "expect", "any", "forbid", "first"}
EXCHANGE_KEYS = {"id", "spec", "pattern", "source", "turns", "note"}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES)
    text = DASHES.sub("-", text)
    text = EMPHASIS.sub("", text)
    return SPACE.sub(" ", text).strip().lower()


def _digit_edge_ok(hay: str, i: int, step: int) -> bool:
    """True if position i (just outside a match that ends in a digit) does not continue the number."""
    if i < 0 or i >= len(hay):
        return True
    c = hay[i]
    if c.isalnum():
        return False
    if c in "./,:":  # "2.3", "3.1", "1,000", "10:30", "601/4310/1": still inside a number
        j = i + step
        return not (0 <= j < len(hay) and hay[j].isdigit())
    return True


def contains(hay: str, needle: str) -> bool:
    """Whether the normalised needle occurs in the normalised hay (numbers as whole tokens)."""
    needle = normalise(needle)
    if not needle:
        return True
    start = 0
    while (i := hay.find(needle, start)) >= 0:
        end = i + len(needle)
        left = not needle[0].isdigit() or _digit_edge_ok(hay, i - 1, -1)
        right = not needle[-1].isdigit() or _digit_edge_ok(hay, end, +1)
        if left and right:
            return True
        start = i + 1
    return False


def opens_with(hay: str, words: list[str]) -> bool:
    """Whether one of the words (whole words) appears in the opening of the normalised reply."""
    opening = hay[:OPENING]
    return any(re.search(r"(?<![\w'])" + re.escape(normalise(w)) + r"(?![\w'])", opening) for w in words)


def check_turn(reply: str, turn: dict) -> list[str]:
    """What is wrong with one reply for one turn; an empty list means it passes."""
    hay = normalise(reply)
    problems = [f"missing {s!r}" for s in turn.get("expect") or [] if not contains(hay, s)]
    problems += [f"none of {alts!r}" for alts in turn.get("any") or [] if not any(contains(hay, a) for a in alts)]
    problems += [f"forbidden {s!r}" for s in turn.get("forbid") or [] if contains(hay, s)]
    if turn.get("first") and not opens_with(hay, turn["first"]):
        problems.append(f"does not open with one of {turn['first']!r}")
    return problems


def reply_text(messages: list[dict]) -> str:
    """The bot's messages as one text: each message's text, then its button titles."""
    parts = []
    for m in messages or []:
        if m.get("text"):
            parts.append(m["text"])
        parts += [b.get("title") or "" for b in m.get("buttons") or []]
    return "\n".join(parts)


def load(path: Path) -> dict:
    from ruamel.yaml import YAML  # pinned in requirements.lock (a rasa-sdk dependency)

    return YAML(typ="safe").load(Path(path).read_text(encoding="utf-8"))


def patterns(exchange: dict) -> list[int]:
    p = exchange.get("pattern")
    return list(p) if isinstance(p, list) else [p]


def structure_errors(doc: dict, specs: set[str]) -> list[str]:
    """Everything wrong with the shape of a questions document (ids, keys, turns)."""
    errors, seen = [], set()
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("exchanges"), list):
        return ["the document must be a mapping with version: 1 and a list of exchanges"]
    for n, ex in enumerate(doc["exchanges"]):
        where = f"exchange {n} ({ex.get('id') if isinstance(ex, dict) else ex!r})"
        if not isinstance(ex, dict):
            errors.append(f"{where}: not a mapping")
            continue
        if unknown := set(ex) - EXCHANGE_KEYS:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        if not ex.get("id") or ex["id"] in seen:
            errors.append(f"{where}: missing or repeated id")
        seen.add(ex.get("id"))
        if ex.get("spec") not in specs:
            errors.append(f"{where}: spec must be one of {sorted(specs)}")
        if not all(isinstance(p, int) and 1 <= p <= 8 for p in patterns(ex)):
            errors.append(f"{where}: pattern must be 1-8 or a list of them")
        if not ex.get("source"):
            errors.append(f"{where}: no source")
        turns = ex.get("turns")
        if not isinstance(turns, list) or not turns:
            errors.append(f"{where}: no turns")
            continue
        for t, turn in enumerate(turns):
            if not isinstance(turn, dict) or not isinstance(turn.get("say"), str) or not turn["say"].strip():
                errors.append(f"{where} turn {t}: empty say")
                continue
            if unknown := set(turn) - TURN_KEYS:
                errors.append(f"{where} turn {t}: unknown keys {sorted(unknown)}")
            for key in ("expect", "forbid", "first"):
                if not all(isinstance(s, str) and s.strip() for s in turn.get(key) or []):
                    errors.append(f"{where} turn {t}: {key} must be a list of non-empty strings")
            if not all(isinstance(a, list) and a and all(isinstance(s, str) for s in a) for a in turn.get("any") or []):
                errors.append(f"{where} turn {t}: any must be a list of non-empty lists of strings")
    return errors
