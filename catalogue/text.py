"""Text normalisation for matching and for comparing sources.

The model keeps each source's wording exactly; these helpers only derive
comparison keys from it. Two levels:

* `squash`: whitespace only (what "the same text" means when comparing sources);
* `fold`: also case, quotes, dashes, superscripts and accents (what a learner's
  typing is matched against).
"""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
_DASHES = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]+\s*")
_SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070-\u209f]")
_TRAILING_PUNCT = re.compile(r"[\s.;:,]+$")
_NON_WORD = re.compile(r"[^a-z0-9&/ ]+")


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Matching key: NFKC, lower case, ASCII quotes and dashes, no superscripts, squashed."""
    text = _SUPERSCRIPTS.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return squash(text.translate(_QUOTES).replace("\u2013", "-").replace("\u2014", "-").lower())


def words(text: str) -> str:
    """`fold` with punctuation removed (apostrophes dropped, other marks become spaces):
    "Resolve customers’ complaints" -> "resolve customers complaints"."""
    text = fold(text).replace("'", "").replace('"', " ")
    text = _DASHES.sub(" ", text)
    return squash(_NON_WORD.sub(" ", text))


def compact(text: str) -> str:
    """Reference key: letters and digits only, upper case ("k/506/2155 " -> "K5062155")."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


# Differences between two sources' wording that do not change the meaning. Each is a
# transformation; a difference is "minor" when the texts are equal once all are applied,
# and it is labelled with the ones that were needed. (Plain string methods where possible:
# the build compares about two thousand pairs.)
_ANY_QUOTE_TABLE = str.maketrans({c: '"' for c in "'\"`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2032\u2033"})
_DASH = re.compile("[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def _dehyphen(s: str) -> str:
    return _DASHES.sub(" ", s) if _DASH.search(s) else s


_MINOR = {
    "case": str.lower,
    "quotes": lambda s: s.translate(_ANY_QUOTE_TABLE),  # curly or straight, single or double
    "hyphenation": _dehyphen,
    "trailing punctuation": lambda s: s.rstrip(" .;:,"),
}


def _apply(text: str, kinds) -> str:
    for kind in kinds:
        text = _MINOR[kind](text)
    return text


def minor_kinds(a: str, b: str) -> list[str] | None:
    """How two wordings differ: [] if equal after whitespace normalisation, a list of
    minor kinds ("case", "quotes", ...) if only those differ, None if the wording differs."""
    if a == b:  # most pairs in a build: skip the normalising
        return []
    a, b = squash(a), squash(b)
    if a == b:
        return []
    if a.lower() == b.lower():
        return ["case"]
    every = list(_MINOR)
    if _apply(a, every) != _apply(b, every):
        return None
    needed = []
    for k in every:
        rest = [x for x in every if x != k]
        if _apply(a, rest) != _apply(b, rest):
            needed.append(k)
    return needed or every  # the transformations interact; report them all rather than none
